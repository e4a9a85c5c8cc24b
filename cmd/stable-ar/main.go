// Command stable-ar runs ar so that an archive rebuilt from unchanged
// objects keeps the mtime it had.
package main

import "stable/wrap/ar"

func main() { ar.Main() }
