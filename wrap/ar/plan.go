package ar

import (
	"errors"
	"os"
	"strings"
)

// Plan is what one ar command line does to its archive.
type Plan struct {
	Argv    []string
	Archive string
	Members []string
	// Create: the archive does not exist and the command (r or q) makes
	// it from the members: written directly, compared with what stable-ar
	// last wrote there (revive).
	Create bool
	// Update: the archive exists and the command (r, q or s) rewrites it:
	// ar works on a copy, and an archive that comes out the same is kept.
	Update bool
	// IndexOnly: the command is s, which llvm-ar skips when the archive
	// already has an index.
	IndexOnly bool
	// Passthrough says why ar runs unmodified; Forget then lists the
	// files it may rewrite (the archive of d or m, or every argument of a
	// command line not understood), whose last-commit notes must go.
	Passthrough string
	Forget      []string

	archiveAt int    // index of the archive in Argv
	key       string // the key argument, without a leading -
}

// createMods are the modifiers whose meaning for r, q and s is known:
// c quiet create, D/U (non)deterministic, P full paths, s/S index or not,
// T thin, u newer only, v verbose, f truncate names, o (x only).
const createMods = "cDUPSTuvfo"

// Parse reads an ar command line (argv[0] is the tool). Anything but
// "ar [--plugin FILE] KEY ARCHIVE MEMBER..." with a known key runs ar
// unmodified: other long options, response files, MRI scripts,
// positioning modifiers (a, b, i, N) and modifiers whose effect it does
// not know.
func Parse(argv []string) Plan {
	p := Plan{Argv: argv}
	k := skipPlugin(argv)
	if len(argv) < k+2 {
		p.Passthrough = "no archive named"
		return p
	}
	key := strings.TrimPrefix(argv[k], "-")
	if strings.HasPrefix(argv[k], "--") || key == "" {
		p.Passthrough = "option " + argv[k] + " not understood"
		p.Forget = operands(argv[k:])
		return p
	}
	op, why := operation(key)
	if why != "" {
		p.Passthrough = why
		if !readOnly(key) {
			p.Forget = operands(argv[k+1:])
		}
		return p
	}
	p.archiveAt, p.key = k+1, key
	p.Archive = argv[k+1]
	p.Members = argv[k+2:]
	return p.decide(op)
}

// decide tells the forms apart once the key is read.
func (p Plan) decide(op rune) Plan {
	for _, m := range p.Members {
		if strings.HasPrefix(m, "@") || strings.HasPrefix(m, "-") || m == "" {
			p.Passthrough = "member " + m + " not understood"
		}
	}
	switch {
	case strings.ContainsRune("tpx", op):
		p.Passthrough = "reads the archive"
		return p
	case p.Archive == "" || strings.HasPrefix(p.Archive, "-") || strings.HasPrefix(p.Archive, "@"):
		p.Passthrough = "archive name " + p.Archive + " not understood"
	case !strings.ContainsRune("qrs", op):
		p.Passthrough = "rewrites an existing archive in ways not looked after"
	case op == 's' && len(p.Members) > 0:
		p.Passthrough = "s with members"
	case !isFile(p.Archive) && !missing(p.Archive):
		p.Passthrough = "archive " + p.Archive + " is not a regular file"
	case !missing(p.Archive) && (strings.ContainsRune(p.key, 'T') || isThin(p.Archive)):
		// A thin archive names its members relative to its own
		// directory: a copy elsewhere would name others.
		p.Passthrough = "updates a thin archive in place"
	}
	if p.Passthrough != "" {
		if p.Archive != "" {
			p.Forget = []string{p.Archive}
		}
		return p
	}
	if missing(p.Archive) {
		p.Create = op != 's'
		if !p.Create {
			// ar fails here; forgetting a note costs nothing.
			p.Passthrough, p.Forget = "no archive to index", []string{p.Archive}
		}
		return p
	}
	p.Update, p.IndexOnly = true, op == 's'
	return p
}

// skipPlugin returns the index of the key: gcc-ar and libtool put
// --plugin FILE before it.
func skipPlugin(argv []string) int {
	k := 1
	for k < len(argv) {
		switch {
		case argv[k] == "--plugin" && k+1 < len(argv):
			k += 2
		case strings.HasPrefix(argv[k], "--plugin="):
			k++
		default:
			return k
		}
	}
	return k
}

// operation finds the one operation letter of key and checks every
// modifier. s is an operation alone and a modifier beside r or q.
func operation(key string) (rune, string) {
	var op rune
	for _, c := range key {
		switch {
		case strings.ContainsRune("dmpqrtx", c):
			if op != 0 && op != 's' {
				return 0, "two operations in " + key
			}
			op = c
		case c == 's':
			if op == 0 {
				op = 's'
			}
		case strings.ContainsRune(createMods, c):
		default:
			return 0, "modifier " + string(c) + " not understood"
		}
	}
	if op == 0 {
		return 0, "no operation in " + key
	}
	return op, ""
}

// readOnly tells a key whose operation only reads (t, p, x) from one that
// may write or is not known.
func readOnly(key string) bool {
	i := strings.IndexAny(key, "dmpqrstx")
	return i >= 0 && strings.ContainsRune("tpx", rune(key[i])) && !strings.ContainsAny(key[i+1:], "dmqr")
}

// operands are the arguments that may name an archive.
func operands(args []string) []string {
	var files []string
	for _, a := range args {
		if a != "" && !strings.HasPrefix(a, "-") && !strings.HasPrefix(a, "@") {
			files = append(files, a)
		}
	}
	return files
}

func missing(path string) bool {
	_, err := os.Lstat(path)
	return errors.Is(err, os.ErrNotExist)
}

func isFile(path string) bool {
	fi, err := os.Lstat(path)
	return err == nil && fi.Mode().IsRegular()
}

// isThin tells a thin archive by its magic.
func isThin(path string) bool {
	f, err := os.Open(path)
	if err != nil {
		return false
	}
	defer f.Close()
	b := make([]byte, len(thinMagic))
	n, _ := f.Read(b)
	return string(b[:n]) == thinMagic
}
