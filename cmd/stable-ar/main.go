// Command stable-ar runs ar so that an archive rebuilt from unchanged
package main

import (
	"os"

	"stable/stable"
	"stable/wrap/ar"
)

func main() { stable.Exit(ar.Wrapper.Main(os.Args)) }
