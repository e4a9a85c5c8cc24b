package ar

import (
	"os"
	"path/filepath"
	"regexp"
	"strings"

	"stable/stable"
)

// Name is the wrapper's own name; under any other (a symlink called ar or
// x86_64-linux-gnu-ar) it masquerades as that tool.
const Name = "stable-ar"

// NewAction describes one ar run. An archive that a recipe removed first
// (rm -f $@; $(AR) ...) is written by ar itself and, when it comes out as
// stable-ar last wrote it, gets that mtime back: the archive a recipe
// rebuilds from unchanged objects does not look new to make.
func NewAction(argv []string) *stable.Action {
	p := Parse(argv)
	a := &stable.Action{Argv: argv, Passthrough: p.Passthrough, Extra: []string{Name}}
	if p.Create {
		a.Outputs = []string{p.Archive}
		a.Revive = []string{p.Archive}
	}
	if len(p.Forget) > 0 {
		a.Revive = p.Forget // a passthrough forgets these notes
	}
	for _, m := range p.Members {
		if strings.HasSuffix(m, ".a") {
			// kbuild's built-in.a inside its parent's: with STABLE_SETTLE
			// only the outermost unchanged archive stays older than its
			// members, so make asks for it alone.
			a.SettleInputs = append(a.SettleInputs, m)
		}
	}
	if p.Create {
		a.Finish = func(func(string) string) (*stable.Found, error) {
			id, err := identity(p.Archive)
			if err != nil {
				id = stable.Digest{} // unknown: no revive, the note goes
			}
			return &stable.Found{Identity: map[string]stable.Digest{p.Archive: id}}, nil
		}
	}
	// No inputs: a record could never answer (the archive is always
	// missing when stable-ar writes it), so the members are not hashed.
	return a
}

// toolName matches ar, llvm-ar, gcc-ar, x86_64-linux-gnu-ar, ar-2.40,
// llvm-ar-16 and such.
var toolName = regexp.MustCompile(`^(.*[-_])?ar(-[0-9.]+)?$`)

// Tool splits the wrapper's arguments into the ar to run and its
// arguments: "stable-ar llvm-ar ARGS" names it, "stable-ar ARGS" means ar,
// and a masquerading symlink means the tool of its own name further down
// PATH.
func Tool(argv0 string, args []string) (string, []string) {
	if !IsLauncher(argv0) {
		return filepath.Base(argv0), args
	}
	if len(args) > 0 && isAr(args[0]) {
		return args[0], args[1:]
	}
	return "ar", args
}

func isAr(arg string) bool {
	if strings.HasPrefix(arg, "-") || !toolName.MatchString(filepath.Base(arg)) {
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
