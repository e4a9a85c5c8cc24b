package cc

import (
	"bytes"
	"errors"
	"strings"

	"stable/stable"
)

// ParseDepfile reads a depfile in make syntax: rules "targets: prereqs",
// backslash-newline continuations, "\ " and "\#" escapes, "$$" for "$".
// Phony rules (-MP) have no prerequisites and add nothing.
func ParseDepfile(data []byte) (targets, prereqs []string, err error) {
	text := strings.ReplaceAll(string(data), "\\\r\n", " ")
	text = strings.ReplaceAll(text, "\\\n", " ")
	for _, line := range strings.Split(text, "\n") {
		words := splitMakeWords(line)
		if len(words) == 0 {
			continue
		}
		colon := -1
		for i, w := range words {
			if w.colon {
				colon = i
				break
			}
		}
		if colon < 0 {
			return nil, nil, errors.New("depfile line without a colon")
		}
		for _, w := range words[:colon+1] {
			if w.text != "" {
				targets = append(targets, w.text)
			}
		}
		for _, w := range words[colon+1:] {
			prereqs = append(prereqs, w.text)
		}
	}
	return targets, prereqs, nil
}

type makeWord struct {
	text  string
	colon bool // the word ends the target list
}

// splitMakeWords splits one logical line into words, undoing the escapes
// compilers write. The rule's colon is the first ':' that ends a word
// (followed by white space or the end of line), which leaves drive letters
// and odd names with colons inside alone.
func splitMakeWords(line string) []makeWord {
	var out []makeWord
	var w strings.Builder
	flush := func(colon bool) {
		if w.Len() > 0 || colon {
			out = append(out, makeWord{w.String(), colon})
			w.Reset()
		}
	}
	seenColon := false
	for i := 0; i < len(line); i++ {
		c := line[i]
		switch {
		case c == '\\' && i+1 < len(line) && (line[i+1] == ' ' || line[i+1] == '\t' || line[i+1] == '#' || line[i+1] == ':'):
			w.WriteByte(line[i+1])
			i++
		case c == '$' && i+1 < len(line) && line[i+1] == '$':
			w.WriteByte('$')
			i++
		case c == ' ' || c == '\t' || c == '\r':
			flush(false)
		case c == ':' && !seenColon && (i+1 == len(line) || line[i+1] == ' ' || line[i+1] == '\t' || line[i+1] == '\r'):
			seenColon = true
			flush(true)
		default:
			w.WriteByte(c)
		}
	}
	flush(false)
	return out
}

// QuoteMake quotes a file name the way gcc and clang quote a default
// depfile target (as -MQ does): white space escaped with a backslash
// (backslashes before it doubled), '$' doubled, '#' escaped.
func QuoteMake(s string) string {
	var b strings.Builder
	for i := 0; i < len(s); i++ {
		switch c := s[i]; c {
		case ' ', '\t':
			for j := i - 1; j >= 0 && s[j] == '\\'; j-- {
				b.WriteByte('\\')
			}
			b.WriteByte('\\')
			b.WriteByte(c)
		case '$':
			b.WriteString("$$")
		case '#':
			b.WriteString("\\#")
		default:
			b.WriteByte(c)
		}
	}
	return b.String()
}

// FixDepfile puts the real output names back where the compiler wrote the
// temporary ones (default targets, clang's -Wp,-MD target). It fails when a
// temporary name is left, so a wrong depfile is never committed.
func FixDepfile(data []byte, p *Plan, temp func(string) string) ([]byte, error) {
	for _, o := range p.Outputs {
		t := temp(o.Path)
		if t == o.Path {
			continue
		}
		data = bytes.ReplaceAll(data, []byte(QuoteMake(t)), []byte(QuoteMake(o.Path)))
		data = bytes.ReplaceAll(data, []byte(t), []byte(o.Path))
	}
	if bytes.Contains(data, []byte("/"+stable.TempPrefix)) || bytes.HasPrefix(data, []byte(stable.TempPrefix)) {
		return nil, errors.New("depfile names a temporary that cannot be mapped back")
	}
	return data, nil
}
