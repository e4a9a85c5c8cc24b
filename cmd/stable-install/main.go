// Command stable-install runs install so that unchanged destinations stay untouched.
package main

import "stable/wrap/install"

func main() { install.Wrapper.Main() }
