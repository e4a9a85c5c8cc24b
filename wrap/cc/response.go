package cc

import (
	"os"
	"path/filepath"
	"strings"
)

// expandResponseFiles replaces @file arguments by their contents, as gcc
// and clang read them. Arguments from a response file get position -1:
// they can be analysed but not rewritten. A response file that cannot be
// read is reported, since the compiler would then take @file literally.
func expandResponseFiles(args []string, dir string) ([]arg, bool) {
	out := make([]arg, 0, len(args))
	for i, a := range args {
		if i == 0 || !strings.HasPrefix(a, "@") || len(a) == 1 {
			out = append(out, arg{a, i})
			continue
		}
		words, ok := readResponse(a[1:], dir, 0)
		if !ok {
			return nil, false
		}
		for _, w := range words {
			out = append(out, arg{w, -1})
		}
	}
	return out, true
}

func readResponse(name, dir string, depth int) ([]string, bool) {
	if depth > 10 {
		return nil, false
	}
	if !filepath.IsAbs(name) && dir != "" {
		name = filepath.Join(dir, name)
	}
	b, err := os.ReadFile(name)
	if err != nil {
		return nil, false
	}
	var out []string
	for _, w := range splitResponse(string(b)) {
		if strings.HasPrefix(w, "@") && len(w) > 1 {
			inner, ok := readResponse(w[1:], dir, depth+1)
			if !ok {
				return nil, false
			}
			out = append(out, inner...)
			continue
		}
		out = append(out, w)
	}
	return out, true
}

// splitResponse splits like libiberty's buildargv: white space separates
// words, single and double quotes group, a backslash escapes any character.
func splitResponse(s string) []string {
	var out []string
	var w strings.Builder
	in, quote, esc := false, byte(0), false
	for i := 0; i < len(s); i++ {
		c := s[i]
		switch {
		case esc:
			w.WriteByte(c)
			esc, in = false, true
		case c == '\\':
			esc, in = true, true
		case quote != 0:
			if c == quote {
				quote = 0
			} else {
				w.WriteByte(c)
			}
		case c == '\'' || c == '"':
			quote, in = c, true
		case c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\v' || c == '\f':
			if in {
				out = append(out, w.String())
				w.Reset()
				in = false
			}
		default:
			w.WriteByte(c)
			in = true
		}
	}
	if in {
		out = append(out, w.String())
	}
	return out
}
