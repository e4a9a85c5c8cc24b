// Package launcher is the one front of every wrapper binary (stablecc,
// stable-ar, stable-ranlib, stable-objcopy, stable-cp, stable-install):
// launcher use ("stable-ar llvm-ar ARGS", "stablecc gcc ARGS"), masquerade
// use (a symlink named like the tool, early in PATH), the wrapper's own
// options (--help, stablecc -s), and the hand-over to the stable mechanism.
package launcher

import (
	"fmt"
	"os"
	"path/filepath"
	"strings"

	"stable/stable"
)

// Wrapper describes one wrapper binary.
type Wrapper struct {
	Name string // the wrapper's own name: stable-ar
	// Default is the tool run when none is named (ar); "" means one must
	// be named (stablecc COMPILER ARGS).
	Default string
	Usage   string                 // help text; the environment section is added
	IsTool  func(base string) bool // names a tool of the family (llvm-ar-16)
	// Action describes one run: name is the tool as named, path where it
	// was found (a masquerading wrapper never finds itself).
	Action func(name, path string, args []string) *stable.Action
	// Own handles the wrapper's own options when it is invoked by its own
	// name with an option first (stablecc -s); nil knows only --help.
	Own func(args []string) stable.Status
}

// Main runs the wrapper on args (os.Args) and returns how the tool ended,
// for the caller to exit the same way (stable.Exit).
func (w Wrapper) Main(args []string) stable.Status {
	rest := args[1:]
	if w.IsSelf(args[0]) && w.ownArgs(rest) {
		return w.own(rest)
	}
	stable.Guard()
	name, rest, err := w.Tool(args[0], rest)
	if err != nil {
		fmt.Fprintf(os.Stderr, "%s: %v\n", w.Name, err)
		return stable.Status{Code: 2}
	}
	path, err := stable.FindTool(name)
	if err != nil {
		fmt.Fprintf(os.Stderr, "%s: %v\n", w.Name, err)
		return stable.Status{Code: stable.CodeNotFound}
	}
	return stable.Execute(w.Name, w.Action(name, path, rest))
}

// ownArgs says whether the arguments are the wrapper's own rather than a
// tool's: none, or (with no tool named first) an option of the wrapper's.
func (w Wrapper) ownArgs(args []string) bool {
	switch {
	case len(args) == 0:
		return true
	case args[0] == "-h" || args[0] == "--help":
		return len(args) == 1 || w.Default == ""
	}
	return w.Default == "" && strings.HasPrefix(args[0], "-")
}

func (w Wrapper) own(args []string) stable.Status {
	if len(args) == 0 || args[0] == "-h" || args[0] == "--help" || w.Own == nil {
		if len(args) > 0 && args[0] != "-h" && args[0] != "--help" {
			fmt.Fprintf(os.Stderr, "%s: unknown option %s (see %s --help)\n", w.Name, args[0], w.Name)
			return stable.Status{Code: 2}
		}
		fmt.Print(w.Usage, "\n", stable.EnvHelp)
		return stable.Status{}
	}
	return w.Own(args)
}

// Tool splits the wrapper's arguments into the tool to run and its
// arguments: "stable-ar llvm-ar ARGS" names it, "stable-ar ARGS" means the
// default, and a masquerading symlink means the tool of its own name
// further down PATH.
func (w Wrapper) Tool(argv0 string, args []string) (string, []string, error) {
	if !w.IsSelf(argv0) {
		return filepath.Base(argv0), args, nil
	}
	if len(args) > 0 && w.names(args[0]) {
		return args[0], args[1:], nil
	}
	if w.Default == "" {
		return "", nil, fmt.Errorf("no tool given: use %s TOOL ARGS...", w.Name)
	}
	return w.Default, args, nil
}

// names tells a tool of the family (found in PATH, executable) from a
// file to work on. Without a default, the first argument is the tool.
func (w Wrapper) names(arg string) bool {
	if strings.HasPrefix(arg, "-") {
		return false
	}
	if w.Default == "" {
		return true
	}
	if !w.IsTool(filepath.Base(arg)) {
		return false
	}
	p, err := stable.FindTool(arg)
	if err != nil {
		return false
	}
	fi, err := os.Stat(p)
	return err == nil && !fi.IsDir() && fi.Mode()&0o111 != 0
}

// IsSelf reports whether argv0 names the wrapper rather than a tool it
// masquerades as.
func (w Wrapper) IsSelf(argv0 string) bool {
	return strings.HasPrefix(filepath.Base(argv0), w.Name)
}

// Sibling finds another binary of the suite: beside this one first (the
// suite is installed together), else in PATH.
func Sibling(name string) (string, error) {
	if self, err := os.Executable(); err == nil {
		p := filepath.Join(filepath.Dir(self), name)
		if fi, err := os.Stat(p); err == nil && fi.Mode()&0o111 != 0 {
			return p, nil
		}
	}
	return stable.LookPath(name, "")
}
