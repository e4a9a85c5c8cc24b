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
// -u, -n, -i, -l, -s, --parents, --backup, --remove-destination...) make
// the wrapper step aside: they print temporary names or decide by the
// destination's state.
var longFlags = map[string]bool{
	"force": true, "no-dereference": true, "dereference": true, "one-file-system": true,
	"reflink": true, "sparse": true, "keep-directory-symlink": true,
}

// Parse reads a cp command line (tool first).
func Parse(argv []string) *copying.Plan {
	p := copying.New(argv)
	var keep preserved
	p.Scan(func(argv []string, i int) (int, string) {
		a := argv[i]
		if strings.HasPrefix(a, "--") {
			return long(p, argv, i, &keep)
		}
		for k := 1; k < len(a); k++ {
			switch c := a[k]; {
			case c == 'p':
				keep = preservedAll
			case c == 'a':
				p.Recursive, keep = true, preservedAll
			case c == 'r' || c == 'R':
				p.Recursive = true
			case c == 'T':
				p.NoTargetDir()
			case c == 't':
				dir, n, ok := copying.Value(argv, i, a[k+1:], k+1 < len(a))
				if !ok {
					return 0, "-t lacks its argument"
				}
				p.TargetDir(dir, i+n)
				return n, ""
			case strings.IndexByte(shortFlags, c) < 0:
				return 0, "-" + string(c) + " runs cp unmodified"
			}
		}
		return 0, ""
	})
	p.KeepMode, p.KeepOwner, p.InPlace, p.KeepTimes = !keep.mode, !keep.owner, true, keep.times
	return p.Resolve()
}

// preserved is what --preserve keeps of a source: its mode, its owner,
// its mtime.
type preserved struct{ mode, owner, times bool }

// preservedAll is -p, -a and --preserve without a list.
var preservedAll = preserved{true, true, true}

// long reads one --option of cp.
func long(p *copying.Plan, argv []string, i int, keep *preserved) (int, string) {
	name, val, joined := strings.Cut(argv[i][2:], "=")
	switch {
	case name == "recursive":
		p.Recursive = true
	case name == "archive":
		p.Recursive, *keep = true, preservedAll
	case name == "preserve":
		if !joined {
			val = "all" // --preserve alone keeps mode, ownership and timestamps
		}
		// Each --preserve adds to what the ones before it keep.
		keep.mode = keep.mode || has(val, "mode")
		keep.owner = keep.owner || has(val, "ownership")
		keep.times = keep.times || has(val, "timestamps")
	case name == "no-preserve" && joined:
		keep.mode = keep.mode && !has(val, "mode")
		keep.owner = keep.owner && !has(val, "ownership")
		keep.times = keep.times && !has(val, "timestamps")
	case name == "no-target-directory":
		p.NoTargetDir()
	case name == "target-directory":
		dir, n, ok := copying.Value(argv, i, val, joined)
		if !ok {
			return 0, "--target-directory lacks its argument"
		}
		p.TargetDir(dir, i+n)
		return n, ""
	case !longFlags[name]:
		return 0, "--" + name + " runs cp unmodified"
	}
	return 0, ""
}

// has tells whether a --preserve list names an attribute.
func has(list, attr string) bool {
	for _, a := range strings.Split(list, ",") {
		if a == attr || a == "all" {
			return true
		}
	}
	return false
}
