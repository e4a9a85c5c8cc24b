// Command stablecc wraps gcc and clang so unchanged objects stay untouched.
package main

import "stable/wrap/cc"

func main() { cc.Main() }
