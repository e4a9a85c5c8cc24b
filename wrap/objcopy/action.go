package objcopy

import (
	"os"
	"path/filepath"
	"strings"

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

// Tool splits the wrapper's arguments into the objcopy to run and its
// arguments: "stable-objcopy llvm-objcopy ARGS" names it, "stable-objcopy
// ARGS" means objcopy, and a masquerading symlink means the tool of its
// own name further down PATH.
func Tool(argv0 string, args []string) (string, []string) {
	if !IsLauncher(argv0) {
		return filepath.Base(argv0), args
	}
	if len(args) > 0 && isObjcopy(args[0]) {
		return args[0], args[1:]
	}
	return "objcopy", args
}

// isObjcopy tells a tool name (objcopy, llvm-objcopy-16,
// aarch64-linux-gnu-objcopy, /usr/bin/objcopy) from a file to work on.
func isObjcopy(arg string) bool {
	if strings.HasPrefix(arg, "-") || !strings.Contains(filepath.Base(arg), "objcopy") {
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
func IsLauncher(argv0 string) bool { return strings.HasPrefix(filepath.Base(argv0), Name) }
