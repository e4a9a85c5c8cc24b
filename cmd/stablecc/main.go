// Command stablecc wraps gcc and clang so unchanged objects stay untouched.
package main

import (
	"os"

	"stable/stable"
	"stable/wrap/cc"
)

func main() { stable.Exit(cc.Wrapper.Main(os.Args)) }
