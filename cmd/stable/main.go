// Command stable runs build tools so that unchanged outputs stay untouched.
package main

import "stable/cmd/cli"

func main() { cli.Stable() }
