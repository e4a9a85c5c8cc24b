// Package respfile reads @FILE arguments the way gcc, clang and binutils
// read them (libiberty's expandargv): the file's words replace the
// argument, recursively; an @FILE that cannot be read stays as it is.
package respfile

import (
	"os"
	"path/filepath"
	"strings"
)

// Arg is one argument after expansion and where it stands on the caller's
// command line: -1 inside a response file, where it cannot be rewritten.
type Arg struct {
	S   string
	Pos int
}

// maxDepth bounds nesting, as libiberty does against a file naming itself.
const maxDepth = 10

// Expand replaces each @FILE argument after the first by its words, read
// against dir. It returns the expanded arguments and every response file
// read (inputs of a record). missing lists @FILE arguments whose file could
// not be read: the tools take those literally.
func Expand(args []string, dir string) (out []Arg, files, missing []string) {
	out = make([]Arg, 0, len(args))
	for i, a := range args {
		if i == 0 || !strings.HasPrefix(a, "@") || len(a) == 1 {
			out = append(out, Arg{a, i})
			continue
		}
		words, read, ok := readFile(a[1:], dir, 0)
		if !ok {
			missing = append(missing, a)
			out = append(out, Arg{a, i})
			continue
		}
		files = append(files, read...)
		for _, w := range words {
			out = append(out, Arg{w, -1})
		}
	}
	return out, files, missing
}

func readFile(name, dir string, depth int) (words, files []string, ok bool) {
	if depth > maxDepth {
		return nil, nil, false
	}
	p := name
	if !filepath.IsAbs(p) && dir != "" {
		p = filepath.Join(dir, p)
	}
	fi, err := os.Stat(p)
	if err != nil || fi.IsDir() {
		return nil, nil, false
	}
	b, err := os.ReadFile(p)
	if err != nil {
		return nil, nil, false
	}
	files = []string{name}
	for _, w := range Split(string(b)) {
		if strings.HasPrefix(w, "@") && len(w) > 1 {
			inner, more, ok := readFile(w[1:], dir, depth+1)
			if ok {
				words = append(words, inner...)
				files = append(files, more...)
				continue
			}
		}
		words = append(words, w)
	}
	return words, files, true
}

// Split splits like libiberty's buildargv: white space separates words,
// single and double quotes group, a backslash escapes any character.
func Split(s string) []string {
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
