// Command stable-objcopy runs objcopy so that unchanged outputs stay untouched.
package main

import (
	"os"

	"stable/stable"
	"stable/wrap/objcopy"
)

func main() { stable.Exit(objcopy.Wrapper.Main(os.Args)) }
