// Command stable runs build tools so that unchanged outputs stay untouched.
package main

import (
	"os"

	"stable/internal/cli"
	"stable/stable"
)

func main() { stable.Exit(cli.Main(os.Args)) }
