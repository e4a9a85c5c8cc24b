package cc

import (
	"bytes"
	"slices"
)

// directives finds each '#' (or its digraph "%:") that starts a line and
// reads the directive. Directives inside comments are read too: they only
// add names. Most directives are #define, #if and the like: the first two
// letters of the name turn them away before anything else is looked at.
func (p *pieceScan) directives() {
	b := p.b
	digraph := nextString(b, 0, "%:", -2)
	for i := 0; ; {
		j := bytes.IndexByte(b[i:], '#')
		if j < 0 {
			j = len(b) - i
		}
		h, k := i+j, i+j+1
		if digraph >= 0 && digraph < h {
			h, k = digraph, digraph+2
			digraph = nextString(b, k, "%:", -2)
		}
		if h >= len(b) {
			return
		}
		i = k
		if k < len(b) && (b[k] == ' ' || b[k] == '\t' || b[k] == '\\') {
			k = skipBlanks(b, k)
		}
		if k+2 <= len(b) && wantedDirective(b[k], b[k+1]) && lineStart(b, h) {
			p.directive(k)
		}
	}
}

// wantedDirective says whether a directive name starting with c0 c1 may be
// one the scanner reads: include, include_next, import, embed, pragma.
func wantedDirective(c0, c1 byte) bool {
	switch c0 {
	case 'i':
		return c1 == 'n' || c1 == 'm'
	case 'e':
		return c1 == 'm'
	case 'p':
		return c1 == 'r'
	}
	return false
}

func nextString(b []byte, from int, s string, cached int) int {
	if cached == -1 || cached >= from {
		return cached
	}
	j := bytes.Index(b[from:], []byte(s))
	if j < 0 {
		return -1
	}
	return from + j
}

// lineStart reports whether only blanks stand before position i on its line.
func lineStart(b []byte, i int) bool {
	for i--; i >= 0; i-- {
		switch b[i] {
		case ' ', '\t', '\f', '\v', '\r':
		case '\n':
			return true
		default:
			return false
		}
	}
	return true
}

// directive reads the directive whose name starts at k.
func (p *pieceScan) directive(k int) {
	b := p.b
	e := k
	for e < len(b) && isIdent(b[e]) {
		e++
	}
	switch string(b[k:e]) {
	case "include", "import":
		p.include(e, false)
	case "include_next":
		p.include(e, true)
	case "embed":
		p.s.facts.Embed = true
	case "pragma":
		p.pragma(e)
	}
}

// logicalLine returns the rest of the logical line from i, with its
// backslash-newline splices removed (copied only when it has some).
func logicalLine(b []byte, i int) []byte {
	line := b[i:logicalEnd(b, i)]
	if bytes.IndexByte(line, '\\') < 0 {
		return line
	}
	out := make([]byte, 0, len(line))
	for j := 0; j < len(line); j++ {
		if line[j] == '\\' {
			if n := spliceLen(line, j); n > 0 {
				j += n - 1
				continue
			}
		}
		out = append(out, line[j])
	}
	return out
}

// spliceLen returns the length of a backslash-newline splice at i, 0 if
// there is none.
func spliceLen(b []byte, i int) int {
	switch {
	case i+1 < len(b) && b[i+1] == '\n':
		return 2
	case i+2 < len(b) && b[i+1] == '\r' && b[i+2] == '\n':
		return 3
	}
	return 0
}

// include reads the operand of an #include-like directive.
func (p *pieceScan) include(at int, next bool) {
	line := logicalLine(p.b, at)
	name, angle, ok := headerName(line, skipSpace(line, 0))
	if !ok {
		macro := leadingIdent(line[skipSpace(line, 0):])
		p.ask(at, func(m lexMode, _ int) {
			if !commentMode(m) {
				p.s.facts.Computed = true
				if !slices.Contains(p.s.facts.ComputedMacros, macro) {
					p.s.facts.ComputedMacros = append(p.s.facts.ComputedMacros, macro)
				}
			}
		})
		return
	}
	inc := Include{Name: name, Angle: angle, Next: next}
	if p.s.add('i', inc) {
		p.s.facts.Includes = append(p.s.facts.Includes, inc)
	}
}

// headerName reads "name" or <name> at i.
func headerName(line []byte, i int) (name string, angle, ok bool) {
	if i >= len(line) || (line[i] != '"' && line[i] != '<') {
		return "", false, false
	}
	end := byte('"')
	if line[i] == '<' {
		end = '>'
	}
	j := bytes.IndexByte(line[i+1:], end)
	if j < 0 {
		return "", false, false
	}
	return string(line[i+1 : i+1+j]), end == '>', true
}

// hasOperator reads the __has_ operator at line[i], which stands at pos in
// the piece, and returns where to go on. Its forms: __has_include, __has_include_next, gcc's older
// __has_include__ and __has_include_next__, and __has_embed.
func (p *pieceScan) hasOperator(line []byte, i, pos int) int {
	e := i
	for e < len(line) && isIdent(line[e]) {
		e++
	}
	word := string(bytes.TrimSuffix(line[i+2:e], []byte("__")))
	switch word {
	case "has_embed":
		p.s.facts.Embed = true
		return e
	case "has_include", "has_include_next":
	default:
		return e
	}
	k := skipSpace(line, e)
	if k >= len(line) || line[k] != '(' {
		return e // a test such as "defined __has_include"
	}
	name, angle, ok := headerName(line, skipSpace(line, k+1))
	if !ok {
		p.ask(pos, func(m lexMode, _ int) {
			if !commentMode(m) {
				p.s.facts.HasComputed = true
			}
		})
		return e
	}
	inc := Include{Name: name, Angle: angle, Next: word == "has_include_next"}
	if p.s.add('h', inc) {
		p.s.facts.HasIncludes = append(p.s.facts.HasIncludes, inc)
	}
	return e
}

// pragma notes #pragma GCC dependency.
func (p *pieceScan) pragma(at int) {
	line := logicalLine(p.b, at)
	f := bytes.Fields(line)
	if len(f) >= 2 && string(f[0]) == "GCC" && string(f[1]) == "dependency" {
		p.s.facts.DependencyPragma = true
	}
}

func commentMode(m lexMode) bool { return m == inBlock || m == inLine }

func isIdent(c byte) bool {
	return c == '_' || c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= '0' && c <= '9'
}

// skipBlanks skips blanks and splices on one logical line.
func skipBlanks(b []byte, i int) int {
	for i < len(b) {
		switch {
		case b[i] == ' ' || b[i] == '\t' || b[i] == '\f' || b[i] == '\v':
			i++
		case b[i] == '\\' && spliceLen(b, i) > 0:
			i += spliceLen(b, i)
		default:
			return i
		}
	}
	return i
}

// skipSpace skips blanks and block comments in a spliced line.
func skipSpace(line []byte, i int) int {
	for {
		i = skipBlanks(line, i)
		if i+1 >= len(line) || line[i] != '/' || line[i+1] != '*' {
			return i
		}
		j := bytes.Index(line[i+2:], []byte("*/"))
		if j < 0 {
			return len(line)
		}
		i += j + 4
	}
}

// leadingIdent is the identifier b starts with ("" for none): the macro a
// computed #include expands.
func leadingIdent(b []byte) string {
	n := 0
	for n < len(b) && (b[n] == '_' || b[n] >= 'A' && b[n] <= 'Z' || b[n] >= 'a' && b[n] <= 'z' || n > 0 && b[n] >= '0' && b[n] <= '9') {
		n++
	}
	return string(b[:n])
}
