// Command stablecc wraps gcc and clang so unchanged objects stay untouched.
package main

import "stable/cmd/cli"

func main() { cli.Stablecc() }
