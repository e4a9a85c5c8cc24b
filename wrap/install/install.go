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
	p.Scan(func(argv []string, i int) (int, string) {
		if strings.HasPrefix(argv[i], "--") {
			return long(p, argv, i)
		}
		return short(p, argv, i)
	})
	return p.Resolve()
}

// long reads one --option of install.
func long(p *copying.Plan, argv []string, i int) (int, string) {
	name, val, joined := strings.Cut(argv[i][2:], "=")
	switch {
	case name == "no-target-directory":
		p.NoTargetDir()
	case name == "preserve-timestamps":
		p.KeepTimes = true
	case name == "compare":
		p.KeepsSame = true
	case name == "target-directory" || longArg[name]:
		v, n, ok := copying.Value(argv, i, val, joined)
		if !ok {
			return 0, "--" + name + " lacks its argument"
		}
		if name == "target-directory" {
			p.TargetDir(v, i+n)
		}
		return n, ""
	case !longFlags[name]:
		return 0, "--" + name + " runs install unmodified"
	}
	return 0, ""
}

// short reads a group of single-letter options.
func short(p *copying.Plan, argv []string, i int) (int, string) {
	a := argv[i]
	for k := 1; k < len(a); k++ {
		c := a[k]
		switch {
		case c == 'T':
			p.NoTargetDir()
		case c == 'p':
			p.KeepTimes = true
		case c == 'C':
			p.KeepsSame = true
		case c == 't' || strings.IndexByte(shortArg, c) >= 0:
			v, n, ok := copying.Value(argv, i, a[k+1:], k+1 < len(a))
			if !ok {
				return 0, "-" + string(c) + " lacks its argument"
			}
			if c == 't' {
				p.TargetDir(v, i+n)
			}
			return n, ""
		case strings.IndexByte(shortFlags, c) < 0:
			return 0, "-" + string(c) + " runs install unmodified"
		}
	}
	return 0, ""
}
