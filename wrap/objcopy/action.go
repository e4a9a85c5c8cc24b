package objcopy

import (
	"stable/stable"
	"stable/wrap/launcher"
)

// Name is the wrapper's own name; under any other (a symlink called
// objcopy or aarch64-linux-gnu-objcopy) it masquerades as that tool.
const Name = "stable-objcopy"

// NewAction describes one objcopy run for the stable mechanism.
func NewAction(name, path string, args []string) *stable.Action {
	argv := append([]string{name}, args...)
	p := Parse(argv)
	a := &stable.Action{Argv: argv, Path: path, Passthrough: p.Passthrough}
	if p.Passthrough != "" {
		return a
	}
	a.Outputs = []string{p.Output}
	a.Inputs = append(append([]string{p.Input}, p.Files...), p.Responses...)
	a.Extra = []string{Name}
	a.Redirect = p.Redirect
	// In place, GNU objcopy copies its result back into the file: same
	// inode, mode and owner; llvm-objcopy renames a new file over it, with
	// the input's mode. Given OUT, both write a new file.
	a.InPlace = p.InPlace && !launcher.IsLLVM(name, path)
	a.KeepMode, a.KeepOwner = p.InPlace, p.InPlace
	if a.KeepTimes = p.KeepTimes; a.KeepTimes {
		a.NoRecord = "-p gives the output the input's mtime"
	}
	return a
}
