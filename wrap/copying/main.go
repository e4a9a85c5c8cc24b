package copying

import (
	"fmt"
	"os"
	"path/filepath"
	"strings"

	"stable/stable"
)

// Wrapper is one copying tool's wrapper: stable-cp for cp, stable-install
// for install.
type Wrapper struct {
	Name  string // the wrapper's own name
	Tool  string // the tool it stands in for
	Help  string
	Parse func(argv []string) *Plan
}

// Action describes one run for the stable mechanism.
func (w *Wrapper) Action(argv []string) *stable.Action {
	p := w.Parse(argv)
	a := &stable.Action{Argv: argv, Passthrough: p.Passthrough}
	if p.Passthrough != "" {
		return a
	}
	a.Outputs = p.Outputs
	a.Inputs = p.Inputs()
	a.Trees = p.Trees
	a.KeepModes = p.KeepModes
	a.Extra = []string{w.Name}
	a.Redirect = p.Redirect
	return a
}

// Main runs the wrapper. Invoked under its own name the tool is the one it
// stands in for; under any other (a symlink called cp early in PATH) it is
// the program of that name further down PATH.
func (w *Wrapper) Main() {
	name, args := filepath.Base(os.Args[0]), os.Args[1:]
	if strings.HasPrefix(name, w.Name) {
		if len(args) == 0 || len(args) == 1 && (args[0] == "-h" || args[0] == "--help") {
			fmt.Print(w.Help)
			return
		}
		name = w.Tool
	}
	stable.Guard()
	path, err := stable.FindTool(name)
	if err != nil {
		fmt.Fprintf(os.Stderr, "%s: %v\n", w.Name, err)
		os.Exit(stable.CodeNotFound)
	}
	a := w.Action(append([]string{name}, args...))
	a.Path = path
	stable.Execute(w.Name, a)
}
