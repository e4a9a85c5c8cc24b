// Command stable-ranlib runs ranlib so that an archive whose index comes out the same stays untouched.
package main

import (
	"os"

	"stable/stable"
	"stable/wrap/ar"
)

func main() { stable.Exit(ar.Ranlib.Main(os.Args)) }
