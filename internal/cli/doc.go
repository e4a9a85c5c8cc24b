// Package cli is the command line of the `stable` command: run (see
// wrap/run), stats, trim, explain and demo. cmd/stable only calls Main,
// and the end-to-end tests register the same function as a command, so
// what they run is what users run.
package cli
