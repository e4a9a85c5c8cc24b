// Package launcher is the front of a wrapper that stands in for one family
// of binutils-style tools (objcopy, ar): launcher use ("stable-ar llvm-ar
// ARGS"), masquerade use (a symlink named like the tool), --help, and the
// hand-over to the stable mechanism.
package launcher

import (
	"fmt"
	"os"
	"path/filepath"
	"strings"

	"stable/stable"
)

// Launcher describes one wrapper.
type Launcher struct {
	Name      string                             // the wrapper's own name: stable-ar
	Default   string                             // the tool run when none is named: ar
	Help      string                             // printed for no arguments, -h or --help
	IsTool    func(base string) bool             // names a tool of the family (llvm-ar-16)
	NewAction func(argv []string) *stable.Action // argv[0] is the tool
}

// Main runs the wrapper on os.Args and exits with the tool's status.
func (l Launcher) Main() {
	args := os.Args[1:]
	if l.IsLauncher(os.Args[0]) && (len(args) == 0 || len(args) == 1 && (args[0] == "-h" || args[0] == "--help")) {
		fmt.Print(l.Help)
		return
	}
	stable.Guard()
	name, args := l.Tool(os.Args[0], args)
	path, err := stable.FindTool(name)
	if err != nil {
		fmt.Fprintf(os.Stderr, "%s: %v\n", l.Name, err)
		os.Exit(stable.CodeNotFound)
	}
	a := l.NewAction(append([]string{name}, args...))
	a.Path = path
	stable.Execute(l.Name, a)
}

// Tool splits the wrapper's arguments into the tool to run and its
// arguments: "stable-ar llvm-ar ARGS" names it, "stable-ar ARGS" means the
// default, and a masquerading symlink means the tool of its own name
// further down PATH.
func (l Launcher) Tool(argv0 string, args []string) (string, []string) {
	if !l.IsLauncher(argv0) {
		return filepath.Base(argv0), args
	}
	if len(args) > 0 && l.names(args[0]) {
		return args[0], args[1:]
	}
	return l.Default, args
}

// names tells a tool of the family (found in PATH, executable) from a
// file to work on.
func (l Launcher) names(arg string) bool {
	if strings.HasPrefix(arg, "-") || !l.IsTool(filepath.Base(arg)) {
		return false
	}
	p, err := stable.FindTool(arg)
	if err != nil {
		return false
	}
	fi, err := os.Stat(p)
	return err == nil && !fi.IsDir() && fi.Mode()&0o111 != 0
}

// IsLauncher reports whether argv0 names the wrapper rather than a tool it
// masquerades as.
func (l Launcher) IsLauncher(argv0 string) bool {
	return strings.HasPrefix(filepath.Base(argv0), l.Name)
}
