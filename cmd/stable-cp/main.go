// Command stable-cp runs cp so that unchanged destinations stay untouched.
package main

import "stable/wrap/cp"

func main() { cp.Wrapper.Main() }
