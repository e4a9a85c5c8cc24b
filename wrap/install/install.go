// Package install knows the command line of coreutils install.
package install

import (
	"strings"

	"stable/wrap/copying"
)

// Options with an argument that the wrapper carries along unchanged.
const shortArg = "mog"

var longArg = map[string]bool{"mode": true, "owner": true, "group": true, "strip-program": true}

// Flags carried along; -d, -v, -b, -S and anything else unknown make the
// wrapper step aside (directories to make, names printed, backups).
const shortFlags = "pCcsD"

var longFlags = map[string]bool{"preserve-timestamps": true, "compare": true, "strip": true}

// Parse reads an install command line (tool first).
func Parse(argv []string) *copying.Plan {
	p := copying.New(argv)
	for i := 1; i < len(argv); i++ {
		a := argv[i]
		switch {
		case a == "--":
			for j := i + 1; j < len(argv); j++ {
				p.Positional(j)
			}
			i = len(argv)
		case strings.HasPrefix(a, "--"):
			name, val, joined := strings.Cut(a[2:], "=")
			switch {
			case name == "no-target-directory":
				p.NoTargetDir()
			case name == "target-directory" || longArg[name]:
				if !joined {
					if i+1 >= len(argv) {
						return p.Aside("--" + name + " lacks its argument")
					}
					i++
					val = argv[i]
				}
				if name == "target-directory" {
					p.TargetDir(val, i)
				}
			case longFlags[name]:
			default:
				return p.Aside("--" + name + " runs install unmodified")
			}
		case strings.HasPrefix(a, "-") && a != "-":
			n, why := short(p, argv, i)
			if why != "" {
				return p.Aside(why)
			}
			i += n
		default:
			p.Positional(i)
		}
	}
	return p.Resolve()
}

// short reads a group of single-letter options; it returns how many
// further arguments it consumed.
func short(p *copying.Plan, argv []string, i int) (int, string) {
	a := argv[i]
	for k := 1; k < len(a); k++ {
		c := a[k]
		switch {
		case c == 'T':
			p.NoTargetDir()
		case c == 't' || strings.IndexByte(shortArg, c) >= 0:
			val, n := a[k+1:], 0
			if val == "" {
				if i+1 >= len(argv) {
					return 0, "-" + string(c) + " lacks its argument"
				}
				val, n = argv[i+1], 1
			}
			if c == 't' {
				p.TargetDir(val, i+n)
			}
			return n, ""
		case strings.IndexByte(shortFlags, c) >= 0:
		default:
			return 0, "-" + string(c) + " runs install unmodified"
		}
	}
	return 0, ""
}
