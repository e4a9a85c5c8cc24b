// Package copying knows what is common to the command lines of cp and
// install: sources, a target file or directory, and where each copy lands.
package copying

import (
	"fmt"
	"os"
	"path/filepath"
	"slices"
	"strings"

	"stable/stable"
)

// Plan is what one cp or install command line writes.
type Plan struct {
	Passthrough string   // why the tool must run unmodified; "" when the plan holds
	Argv        []string // the command as given, tool first
	Sources     []string
	Outputs     []string // one per source
	Trees       []string // outputs that are directory trees (cp -r)
	Recursive   bool
	KeepMode    bool // an existing destination keeps its mode (cp without -p)
	KeepOwner   bool // an existing destination keeps its owner (cp without -p, as root)
	InPlace     bool // the tool writes into an existing destination (cp), not a new file (install)
	KeepTimes   bool // copies get their sources' mtimes (-p)
	KeepsSame   bool // the tool leaves a destination with the same content alone (install -C)

	pos       []int  // indices of the positional arguments in Argv
	targetDir string // -t DIR
	targetArg int    // index of the argument holding DIR (-t DIR, -tDIR, --target-directory=DIR); -1 when none
	noTarget  bool   // -T
}

// New starts a plan; the tool's own parser fills it.
func New(argv []string) *Plan { return &Plan{Argv: argv, targetArg: -1} }

// Aside marks the plan as passthrough and returns it.
func (p *Plan) Aside(why string) *Plan {
	p.Passthrough = why
	return p
}

// Positional notes argument i as a source or target.
func (p *Plan) Positional(i int) { p.pos = append(p.pos, i) }

// TargetDir notes -t DIR given in argument i.
func (p *Plan) TargetDir(dir string, i int) { p.targetDir, p.targetArg = dir, i }

// NoTargetDir notes -T.
func (p *Plan) NoTargetDir() { p.noTarget = true }

// Resolve decides where every source lands, the way cp and install do:
// into -t DIR; onto the one target with -T; into the last argument when it
// is a directory; else onto it.
func (p *Plan) Resolve() *Plan {
	if p.Passthrough != "" {
		return p
	}
	args := make([]string, len(p.pos))
	for k, i := range p.pos {
		args[k] = p.Argv[i]
	}
	switch {
	case p.targetDir != "":
		if p.noTarget {
			return p.Aside("-t together with -T")
		}
		return p.into(p.targetDir, args)
	case len(args) < 2:
		return p.Aside("missing destination")
	case p.noTarget:
		if len(args) != 2 {
			return p.Aside("-T takes one source and one destination")
		}
		return p.onto(args[0], args[1])
	}
	last := args[len(args)-1]
	if isDir(last) {
		p.targetArg = p.pos[len(p.pos)-1]
		return p.into(last, args[:len(args)-1])
	}
	if len(args) > 2 {
		return p.Aside(fmt.Sprintf("target %s is not a directory", last))
	}
	return p.onto(args[0], last)
}

func (p *Plan) into(dir string, sources []string) *Plan {
	if len(sources) == 0 {
		return p.Aside("no source")
	}
	for _, s := range sources {
		base := filepath.Base(strings.TrimRight(s, "/"))
		if base == "/" || base == "." || base == ".." {
			return p.Aside("source " + s + " has no name of its own")
		}
		if !p.add(s, filepath.Join(dir, base)) {
			return p
		}
	}
	return p
}

func (p *Plan) onto(src, dst string) *Plan {
	p.targetArg = p.pos[len(p.pos)-1]
	p.add(src, dst)
	return p
}

// add records one copy; a directory source makes a tree output, which only
// a recursive copy can write.
func (p *Plan) add(src, dst string) bool {
	if src == "" || dst == "" {
		p.Aside("an empty file name")
		return false
	}
	if b := filepath.Base(dst); b == "." || b == ".." || strings.HasSuffix(dst, "/") {
		p.Aside("destination " + dst + " names no file")
		return false
	}
	// cp and install treat these in their own ways (refuse a copy onto its
	// own source, replace or refuse a symlink, dangling or not); a
	// temporary in between would hide that.
	if fi, err := os.Lstat(dst); err == nil && fi.Mode()&os.ModeSymlink != 0 {
		p.Aside("destination " + dst + " is a symbolic link")
		return false
	}
	if stable.SameFile(src, dst) {
		p.Aside(src + " and " + dst + " are the same file")
		return false
	}
	if slices.Contains(p.Outputs, dst) {
		p.Aside("two sources land on " + dst)
		return false
	}
	if isDir(src) {
		if !p.Recursive {
			p.Aside(src + " is a directory")
			return false
		}
		if why := treeClash(src, dst); why != "" {
			p.Aside(why)
			return false
		}
		p.Trees = append(p.Trees, dst)
	}
	p.Sources = append(p.Sources, src)
	p.Outputs = append(p.Outputs, dst)
	return true
}

// Inputs lists the sources that are single files: a record can describe
// those; a tree source makes the copy run every time.
func (p *Plan) Inputs() []string {
	if len(p.Trees) > 0 {
		return nil
	}
	return p.Sources
}

// Redirect returns the command line writing to the temporaries instead:
// a target directory becomes the outputs' private temporary directory
// (every copy keeps its name), a target file its temporary.
func (p *Plan) Redirect(temp func(string) string) []string {
	argv := slices.Clone(p.Argv)
	to := temp(p.Outputs[0])
	if p.targetDir != "" || len(p.Outputs) > 1 || p.Argv[p.targetArg] != p.Outputs[0] {
		to = filepath.Dir(to)
		if p.targetDir != "" {
			arg := argv[p.targetArg]
			argv[p.targetArg] = strings.TrimSuffix(arg, p.targetDir) + to
			return argv
		}
	}
	argv[p.targetArg] = to
	return argv
}

func isDir(p string) bool {
	fi, err := os.Stat(p)
	return err == nil && fi.IsDir()
}

// Option reads the option at argv[i] for one tool: it returns how many
// further arguments it consumed, or why the tool must run unmodified.
type Option func(argv []string, i int) (int, string)

// Scan walks a cp- or install-style command line: arguments after "--" and
// arguments not starting with '-' are positional, the rest go to option.
func (p *Plan) Scan(option Option) *Plan {
	argv := p.Argv
	for i := 1; i < len(argv); i++ {
		a := argv[i]
		switch {
		case a == "--":
			for j := i + 1; j < len(argv); j++ {
				p.Positional(j)
			}
			return p
		case strings.HasPrefix(a, "-") && a != "-":
			n, why := option(argv, i)
			if why != "" {
				return p.Aside(why)
			}
			i += n
		default:
			p.Positional(i)
		}
	}
	return p
}

// Value returns an option's value: joined (--name=V, -xV) or the next
// argument, and how many further arguments that took.
func Value(argv []string, i int, joined string, isJoined bool) (string, int, bool) {
	if isJoined {
		return joined, 0, true
	}
	if i+1 >= len(argv) {
		return "", 0, false
	}
	return argv[i+1], 1, true
}
