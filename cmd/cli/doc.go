// Package cli holds the command lines of every stable binary. Each binary's
// main only calls into it, and the end-to-end tests register the same
// functions as commands, so what they run is what users run.
package cli
