package ar

import (
	"slices"
	"strings"

	"stable/stable"
	"stable/wrap/launcher"
)

// Name is the wrapper's own name; under any other (a symlink called ar or
// x86_64-linux-gnu-ar) it masquerades as that tool.
const Name = "stable-ar"

// NewAction describes one ar run (see Plan for the forms).
func NewAction(name, path string, args []string) *stable.Action {
	argv := append([]string{name}, args...)
	p := Parse(argv)
	a := &stable.Action{Argv: argv, Path: path, Passthrough: p.Passthrough, Extra: []string{Name}}
	a.Revive = p.Forget // a passthrough forgets these notes
	switch {
	case p.Create:
		created(a, p)
	case p.Update:
		updated(a, p)
	}
	return a
}

// created: an archive a recipe removed first (rm -f $@; $(AR) ...) is
// written by ar itself and, when it comes out as stable-ar last wrote it,
// may get that mtime back (stable/revive.go).
func created(a *stable.Action, p Plan) {
	a.Outputs = []string{p.Archive}
	a.Revive = []string{p.Archive}
	for _, m := range p.Members {
		if strings.HasSuffix(m, ".a") {
			// kbuild's built-in.a inside its parent's: only the outermost
			// unchanged archive stays older than its members, so make
			// asks for it alone.
			a.SettleInputs = append(a.SettleInputs, m)
		}
	}
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
	// No record: the archive is missing whenever stable-ar writes it, so
	// a record could never answer.
	a.NoRecord = "the recipe removes the archive before each run"
}

// updated: ar rewrites an existing archive (r, q, s); it works on a copy,
// and an archive that comes out the same keeps its inode. Its members are
// its inputs, so an unchanged archive older than them is settled.
func updated(a *stable.Action, p Plan) {
	a.Outputs = []string{p.Archive}
	a.Seed = a.Outputs
	// GNU ar copies its result into an archive with other links and
	// keeps its mode; llvm-ar writes a new file, and for s only when the
	// archive has no index yet.
	gnu := !launcher.IsLLVM(p.Argv[0], a.Path)
	a.InPlace, a.KeepMode, a.KeepOwner = gnu, gnu, gnu
	a.KeepsSame = !gnu && p.IndexOnly
	for _, m := range p.Members {
		if isFile(m) {
			a.Inputs = append(a.Inputs, m)
		}
	}
	a.NoRecord = "ar reads the archive it rewrites"
	at := p.archiveAt
	a.Redirect = func(temp func(string) string) []string {
		out := slices.Clone(p.Argv)
		out[at] = temp(p.Archive)
		return out
	}
	a.Revive = []string{p.Archive} // its note follows what it holds
}
