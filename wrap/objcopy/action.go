package objcopy

import (
	"stable/stable"
)

// Name is the wrapper's own name; under any other (a symlink called
// objcopy or aarch64-linux-gnu-objcopy) it masquerades as that tool.
const Name = "stable-objcopy"

// NewAction describes one objcopy run for the stable mechanism.
func NewAction(argv []string) *stable.Action {
	p := Parse(argv)
	a := &stable.Action{Argv: argv, Passthrough: p.Passthrough}
	if p.Passthrough != "" {
		return a
	}
	a.Outputs = []string{p.Output}
	a.Inputs = append([]string{p.Input}, p.Files...)
	a.Extra = []string{Name}
	a.Redirect = p.Redirect
	// In place, objcopy keeps the mode of the file it rewrites.
	a.KeepModes = p.InPlace
	return a
}
