// Command stable-objcopy runs objcopy so that unchanged outputs stay untouched.
package main

import "stable/wrap/objcopy"

func main() { objcopy.Main() }
