// Command stable-install runs install so that unchanged destinations stay untouched.
package main

import (
	"os"

	"stable/stable"
	"stable/wrap/install"
)

func main() { stable.Exit(install.Wrapper.Main(os.Args)) }
