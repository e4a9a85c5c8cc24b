package cc

import "bytes"

// inlineAsm reads the directive at h inside the C string literal whose
// quote is at lit, as the assembler will see it: decoded, with the
// literals that follow it appended as the compiler concatenates them.
func (p *pieceScan) inlineAsm(lit, h int, word string) {
	d, hd := decodeLiterals(p.b, lit, h)
	if hd < 0 {
		return
	}
	kind, name, why := asmOperand(d, hd+1+len(word))
	switch kind {
	case opFile:
		p.asmFile(name)
	case opUnresolved:
		if statementStart(d, hd, false) {
			p.s.unresolved("." + word + " " + why)
		}
	}
}

// decodeLiterals decodes the string literal whose quote is at lit and those
// adjacent to it, until the assembler line holding position h is complete.
// It returns the text and where h landed in it. When the literals are
// followed by an identifier or a directive (a macro that may supply more
// text), the text ends with a 0 byte, which no operand can be read across.
func decodeLiterals(b []byte, lit, h int) (d []byte, hd int) {
	hd = -1
	for i := lit; ; {
		j := i + 1
		for j < len(b) && b[j] != '"' && b[j] != '\n' {
			if j == h {
				hd = len(d)
			}
			if b[j] != '\\' {
				d = append(d, b[j])
				j++
				continue
			}
			var n int
			d, n = cEscape(d, b, j)
			j += n
		}
		if j >= len(b) || b[j] != '"' || hd >= 0 && bytes.IndexByte(d[hd:], '\n') >= 0 {
			return d, hd
		}
		k := skipCSpace(b, j+1)
		if k < len(b) && b[k] == '"' {
			i = k
			continue
		}
		if k < len(b) && (isIdent(b[k]) || b[k] == '#') {
			d = append(d, 0)
		}
		return d, hd
	}
}

// cEscape decodes the escape at b[i] onto d and returns how many bytes it
// took. Escapes that stand for more than a byte (\u) decode to a backslash:
// an operand holding one is left unresolved.
func cEscape(d, b []byte, i int) ([]byte, int) {
	if n := spliceLen(b, i); n > 0 {
		return d, n
	}
	if i+1 >= len(b) {
		return append(d, '\\'), 1
	}
	c := b[i+1]
	if v := simpleEscapes[c]; v != 0 {
		return append(d, v), 2
	}
	n, v := 1, 0
	switch {
	case c >= '0' && c <= '7':
		for n <= 3 && i+n < len(b) && b[i+n] >= '0' && b[i+n] <= '7' {
			v = v*8 + int(b[i+n]-'0')
			n++
		}
		return append(d, byte(v)), n
	case c == 'x':
		for n = 2; i+n < len(b) && hexDigit(b[i+n]) >= 0; n++ {
			v = v*16 + hexDigit(b[i+n])
		}
		return append(d, byte(v)), n
	}
	return append(d, '\\'), 2
}

var simpleEscapes = [256]byte{'n': '\n', 't': '\t', 'r': '\r', 'f': '\f', 'v': '\v',
	'a': 7, 'b': 8, 'e': 27, '\\': '\\', '\'': '\'', '"': '"', '?': '?'}

func hexDigit(c byte) int {
	switch {
	case c >= '0' && c <= '9':
		return int(c - '0')
	case c|0x20 >= 'a' && c|0x20 <= 'f':
		return int(c|0x20-'a') + 10
	}
	return -1
}

// skipCSpace skips white space, splices and comments between C tokens.
func skipCSpace(b []byte, i int) int {
	for i < len(b) {
		switch {
		case b[i] == ' ' || b[i] == '\t' || b[i] == '\n' || b[i] == '\r' || b[i] == '\f' || b[i] == '\v':
			i++
		case b[i] == '\\' && spliceLen(b, i) > 0:
			i += spliceLen(b, i)
		case bytes.HasPrefix(b[i:], []byte("/*")):
			i = blockEnd(b, i+2)
		case bytes.HasPrefix(b[i:], []byte("//")):
			i = logicalEnd(b, i)
		default:
			return i
		}
	}
	return i
}

// underscoreMarkers finds the identifiers that start with "__" and matter:
// __DATE__, __TIME__, __TIMESTAMP__, and the __has_ operators. One search
// for the pair serves them all: "__" is rarer in C than any single letter
// of these names. Occurrences in comments count: that only makes a compile
// rerun, or adds a name.
func (p *pieceScan) underscoreMarkers() {
	b := p.b
	for i := 0; ; {
		j := indexPair(b[i:])
		if j < 0 || i+j+3 > len(b) {
			return
		}
		u := i + j
		i = u + 2
		if u > 0 && isIdent(b[u-1]) {
			continue
		}
		switch b[u+2] {
		case 'D', 'T':
			p.timeMacro(u)
		case 'h':
			if bytes.HasPrefix(b[u:], []byte("__has_")) {
				i = u + p.hasOperator(logicalLine(b, u), 0, u)
			}
		}
	}
}

// timeMacro notes the time macro at b[at], if there is one.
func (p *pieceScan) timeMacro(at int) {
	for _, w := range timeMacros {
		if wordAt(p.b, at, w) && p.s.add('t', Include{Name: w}) {
			p.s.facts.TimeMacros = append(p.s.facts.TimeMacros, w)
		}
	}
}

var timeMacros = []string{"__DATE__", "__TIME__", "__TIMESTAMP__"}

// wordAt reports whether the identifier w stands whole at b[at].
func wordAt(b []byte, at int, w string) bool {
	end := at + len(w)
	return end <= len(b) && string(b[at:end]) == w && (at == 0 || !isIdent(b[at-1])) && (end == len(b) || !isIdent(b[end]))
}
