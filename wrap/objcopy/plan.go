// Package objcopy knows the command line of GNU objcopy and llvm-objcopy:
// which file it reads, which it writes, and how to point the write at a
// temporary.
package objcopy

import (
	"fmt"
	"os"
	"slices"
	"strings"

	"stable/wrap/respfile"
)

// Plan is what one objcopy command line reads and writes.
type Plan struct {
	Passthrough string   // why the tool must run unmodified; "" when the plan holds
	Argv        []string // the command as given, tool first
	Input       string
	Output      string   // the input itself for the in-place form
	InPlace     bool     // one positional: objcopy rewrites its input
	Files       []string // further inputs named by options (--add-section x=FILE)
	Responses   []string // @FILE response files read (inputs too)
	KeepTimes   bool     // -p: the output gets the input's mtime
	outArg      int      // index of the output positional in Argv; -1 in place
	words       []string // the arguments, response files expanded
	at          []respfile.Arg
}

// Parse reads an objcopy command line (tool first).
func Parse(argv []string) *Plan {
	p := &Plan{Argv: argv, outArg: -1}
	args, files, missing := respfile.Expand(argv, "")
	if len(missing) > 0 {
		return p.aside("response file " + missing[0] + " not readable")
	}
	p.Responses = files
	words := make([]string, len(args))
	for i, a := range args {
		words[i] = a.S
	}
	p.words, p.at = words, args
	var pos []int
	argv = words
	for i := 1; i < len(argv); i++ {
		a := argv[i]
		switch {
		case a == "--":
			for j := i + 1; j < len(argv); j++ {
				pos = append(pos, j)
			}
			i = len(argv)
		case strings.HasPrefix(a, "--"):
			n, why := p.long(argv, i)
			if why != "" {
				return p.aside(why)
			}
			i += n
		case strings.HasPrefix(a, "-") && a != "-":
			n, why := p.short(argv, i)
			if why != "" {
				return p.aside(why)
			}
			i += n
		default:
			pos = append(pos, i)
		}
	}
	return p.positionals(pos)
}

func (p *Plan) aside(why string) *Plan {
	p.Passthrough = why
	return p
}

// long handles --name, --name=value and --name value; it returns how many
// further arguments it consumed.
func (p *Plan) long(argv []string, i int) (int, string) {
	name, val, joined := strings.Cut(argv[i][2:], "=")
	switch {
	case aside[name]:
		return 0, "--" + name + " runs the tool unmodified"
	case name == "preserve-dates" && !joined:
		p.KeepTimes = true
		return 0, ""
	case flags[name] && !joined, optionalArg[name]:
		return 0, ""
	case !longArg[name]:
		return 0, "unknown option --" + name
	}
	n := 0
	if !joined {
		if i+1 >= len(argv) {
			return 0, "--" + name + " lacks its argument"
		}
		val, n = argv[i+1], 1
	}
	if fileArgs[name] {
		p.file(val)
	}
	if (name == "output-target" || name == "target") && namesOutput(val) {
		return 0, "--" + name + "=" + val + " writes the output's name into it"
	}
	return n, ""
}

// short handles a group of single-letter options such as -Sg or -Obinary.
func (p *Plan) short(argv []string, i int) (int, string) {
	a := argv[i]
	for k := 1; k < len(a); k++ {
		c := a[k]
		switch {
		case aside[string(c)]:
			return 0, "-" + string(c) + " runs the tool unmodified"
		case c == 'p':
			p.KeepTimes = true
		case strings.IndexByte(shortFlags, c) >= 0:
			continue
		case strings.IndexByte(shortArg, c) >= 0:
			val, n := a[k+1:], 0
			if k+1 == len(a) {
				if i+1 >= len(argv) {
					return 0, "-" + string(c) + " lacks its argument"
				}
				val, n = argv[i+1], 1
			}
			if (c == 'O' || c == 'F') && namesOutput(val) {
				return 0, "-" + string(c) + " " + val + " writes the output's name into it"
			}
			return n, ""
		default:
			return 0, "unknown option -" + string(c)
		}
	}
	return 0, ""
}

// file notes the file an option reads: "FILE" or "NAME=FILE".
func (p *Plan) file(val string) {
	if _, f, ok := strings.Cut(val, "="); ok {
		val = f
	}
	if val != "" {
		p.Files = append(p.Files, val)
	}
}

func (p *Plan) positionals(pos []int) *Plan {
	switch len(pos) {
	case 1:
		p.Input, p.Output, p.InPlace = p.words[pos[0]], p.words[pos[0]], true
	case 2:
		p.Input, p.Output, p.outArg = p.words[pos[0]], p.words[pos[1]], p.at[pos[1]].Pos
		if p.outArg < 0 {
			return p.aside("output named in a response file")
		}
	default:
		return p.aside(fmt.Sprintf("%d file arguments (want IN [OUT])", len(pos)))
	}
	if p.Input == "" || p.Output == "" {
		return p.aside("an empty file name")
	}
	// objcopy replaces a symlinked output by a file (GNU) or writes through
	// it, dangling or not, in its own ways; it decides alone.
	if fi, err := os.Lstat(p.Output); err == nil && fi.Mode()&os.ModeSymlink != 0 {
		return p.aside("output " + p.Output + " is a symbolic link")
	}
	return p
}

// namesOutput: S-record output starts with a header record holding the
// output file's name, which a temporary would change.
func namesOutput(target string) bool { return strings.Contains(target, "srec") }

// Redirect returns the command line writing to temp(output) instead.
func (p *Plan) Redirect(temp func(string) string) []string {
	argv := slices.Clone(p.Argv)
	if p.InPlace {
		return append(argv, temp(p.Output))
	}
	argv[p.outArg] = temp(p.Output)
	return argv
}
