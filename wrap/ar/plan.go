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
	// it from the members: the case stable-ar looks after.
	Create bool
	// Passthrough says why ar runs unmodified; Forget then lists the
	// files it may rewrite (the archive of d, m, s, r or q, or every
	// argument of a command line not understood), whose last-commit notes
	// must go.
	Passthrough string
	Forget      []string
}

// createMods are the modifiers whose meaning for a new archive is known:
// c quiet create, D/U (non)deterministic, P full paths, s/S index or not,
// T thin, u newer only, v verbose, f truncate names, o (x only).
const createMods = "cDUPsSTuvfo"

// Parse reads an ar command line (argv[0] is the tool). Anything but a
// plain "ar KEY ARCHIVE MEMBER..." runs ar unmodified: long options,
// response files, MRI scripts, positioning modifiers (a, b, i, N) and
// modifiers whose effect it does not know.
func Parse(argv []string) Plan {
	p := Plan{Argv: argv}
	if len(argv) < 3 {
		p.Passthrough = "no archive named"
		return p
	}
	key := strings.TrimPrefix(argv[1], "-")
	if strings.HasPrefix(argv[1], "--") || key == "" {
		p.Passthrough = "option " + argv[1] + " not understood"
		p.Forget = operands(argv[1:])
		return p
	}
	op, why := operation(key)
	if why != "" {
		p.Passthrough = why
		if !readOnly(key) {
			p.Forget = operands(argv[2:])
		}
		return p
	}
	p.Archive = argv[2]
	for _, m := range argv[3:] {
		if strings.HasPrefix(m, "@") || strings.HasPrefix(m, "-") {
			p.Passthrough = "member " + m + " not understood"
			break
		}
	}
	switch {
	case strings.ContainsRune("tpx", op):
		p.Passthrough = "reads the archive"
		return p
	case p.Archive == "" || strings.HasPrefix(p.Archive, "-"):
		p.Passthrough = "archive name " + p.Archive + " not understood"
	case !strings.ContainsRune("qr", op):
		p.Passthrough = "rewrites an existing archive in place"
	case !missing(p.Archive):
		p.Passthrough = "updates an existing archive in place"
	}
	if p.Passthrough != "" {
		if p.Archive != "" {
			p.Forget = []string{p.Archive}
		}
		return p
	}
	p.Create, p.Members = true, argv[3:]
	return p
}

// operation finds the one operation letter of key and checks every
// modifier.
func operation(key string) (rune, string) {
	var op rune
	for _, c := range key {
		switch {
		case strings.ContainsRune("dmpqrstx", c) && op == 0:
			op = c
		case c == 's' && op != 0 || strings.ContainsRune(createMods, c):
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
