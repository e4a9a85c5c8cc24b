package ar

import (
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
			id, thin, err := thinIdentity(p.Archive)
			if !thin {
				return &stable.Found{}, nil
			}
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
