// Command stable-cp runs cp so that unchanged destinations stay untouched.
package main

import (
	"os"

	"stable/stable"
	"stable/wrap/cp"
)

func main() { stable.Exit(cp.Wrapper.Main(os.Args)) }
