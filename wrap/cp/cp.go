// Package cp knows the command line of coreutils cp.
package cp

import (
	"strings"

	"stable/wrap/copying"
)

// Short flags cp takes without an argument that the wrapper can carry
// along unchanged; 'p', 'a', 'r', 'R' and 'T' are read for their meaning.
const shortFlags = "fdPLHx"

// longFlags are harmless to carry along; options neither list knows (-v,
// -u, -n, -i, -l, -s, --parents, --backup...) make the wrapper step aside:
// they print temporary names or decide by the destination's state.
var longFlags = map[string]bool{
	"force": true, "no-dereference": true, "dereference": true, "one-file-system": true,
	"remove-destination": true, "reflink": true, "sparse": true, "keep-directory-symlink": true,
}

// Parse reads a cp command line (tool first).
func Parse(argv []string) *copying.Plan {
	p := copying.New(argv)
	preserveMode := false
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
			case name == "recursive":
				p.Recursive = true
			case name == "archive":
				p.Recursive, preserveMode = true, true
			case name == "preserve":
				preserveMode = !joined || hasMode(val)
			case name == "no-preserve" && joined:
				preserveMode = preserveMode && !hasMode(val)
			case name == "no-target-directory":
				p.NoTargetDir()
			case name == "target-directory":
				if !joined {
					if i+1 >= len(argv) {
						return p.Aside("--target-directory lacks its argument")
					}
					i++
					val = argv[i]
				}
				p.TargetDir(val, i)
			case longFlags[name]:
			default:
				return p.Aside("--" + name + " runs cp unmodified")
			}
		case strings.HasPrefix(a, "-") && a != "-":
			for k := 1; k < len(a); k++ {
				switch c := a[k]; {
				case c == 'p':
					preserveMode = true
				case c == 'a':
					p.Recursive, preserveMode = true, true
				case c == 'r' || c == 'R':
					p.Recursive = true
				case c == 'T':
					p.NoTargetDir()
				case c == 't':
					dir := a[k+1:]
					if dir == "" {
						if i+1 >= len(argv) {
							return p.Aside("-t lacks its argument")
						}
						i++
						dir = argv[i]
					}
					p.TargetDir(dir, i)
					k = len(a)
				case strings.IndexByte(shortFlags, c) >= 0:
				default:
					return p.Aside("-" + string(c) + " runs cp unmodified")
				}
			}
		default:
			p.Positional(i)
		}
	}
	p.KeepModes = !preserveMode
	return p.Resolve()
}

// hasMode tells whether a --preserve list names the mode.
func hasMode(list string) bool {
	for _, a := range strings.Split(list, ",") {
		if a == "mode" || a == "all" {
			return true
		}
	}
	return false
}
