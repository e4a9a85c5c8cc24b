package cc

import (
	"bytes"
	"unicode/utf8"
)

// codeLexer finds the comments of a logical text, blanks them in out (a
// copy of the content), and refuses what it cannot blank safely.
type codeLexer struct {
	v        *logicalText
	src, out []byte
	marks    [5]int // cached positions of the next marks, see nextMark
}

func (l *codeLexer) at(k int) byte {
	if k < len(l.v.c) {
		return l.v.c[k]
	}
	return 0
}

// run lexes the text. It jumps from mark to mark (slashes, quotes, '#'):
// only comments, literals and directives matter.
func (l *codeLexer) run() bool {
	c := l.v.c
	l.marks = [5]int{-2, -2, -2, -2, -2}
	if !l.hasOperatorsOK() {
		return false
	}
	ok := true
	for k := 0; ok && k < len(c); {
		j := l.nextMark(k)
		switch {
		case j < 0:
			return true
		case c[j] == '/':
			k, ok = l.slash(j)
		case c[j] == '"':
			k, ok = literalEnd(c, j), !rawPrefix(c, j)
		case c[j] == '\'':
			k, ok = literalEnd(c, j), charPrefix(c, j)
		case c[j] == '#' || l.at(j+1) == ':': // '#' or its digraph "%:"
			k = j + 1 + boolToInt(c[j] == '%')
			ok = !lineStart(c, j) || l.directiveOK(k)
		default:
			k = j + 1
		}
	}
	return ok
}

// nextMark returns the first of the marks the lexer stops at, at or after
// k, or -1. Each one's next position is kept, so that the text is searched
// once per mark.
func (l *codeLexer) nextMark(k int) int {
	m := -1
	for i, b := range []byte{'/', '"', '\'', '#', '%'} {
		l.marks[i] = nextByte(l.v.c, k, b, l.marks[i])
		m = minPos(m, l.marks[i])
	}
	return m
}

// slash reads what starts with the slash at k: a comment, or not.
func (l *codeLexer) slash(k int) (int, bool) {
	switch {
	case l.at(k+1) != '*' && l.at(k+1) != '/':
		return k + 1, true
	case l.at(k+1) == '*':
		return l.blockComment(k)
	}
	return l.lineComment(k)
}

// rawPrefix reports whether the quote at j opens a C++ raw string: R"(...)"
// holds comment-like text, splices undone, and ends where the lexer cannot
// tell.
func rawPrefix(c []byte, j int) bool {
	i := j
	for i > 0 && isIdent(c[i-1]) {
		i--
	}
	switch string(c[i:j]) {
	case "R", "LR", "uR", "UR", "u8R":
		return true
	}
	return false
}

// charPrefix reports whether the apostrophe at j opens a character literal
// rather than ending a number: after a number, it is a digit separator in
// C++14 and C23 (1'000, 0x1'ff, 1e+5'0), which the lexer would misread.
func charPrefix(c []byte, j int) bool {
	i := j
	for i > 0 && isIdent(c[i-1]) {
		i--
	}
	return i == j || c[i] < '0' || c[i] > '9'
}

// blockComment blanks the comment at k and returns where it ends.
func (l *codeLexer) blockComment(k int) (int, bool) {
	c := l.v.c
	j := bytes.Index(c[k+2:], []byte("*/"))
	if j < 0 {
		return 0, false // unterminated: an error
	}
	e := k + 2 + j + 2
	text := c[k+2 : e-2]
	if l.v.splicedIn(e-1, e-1) || commentRisk(text) {
		return 0, false // clang warns of a spliced */
	}
	ps, pe := l.v.phys(k), l.v.phys(e-1)
	rest := restOfLine(l.src, pe+1)
	if len(rest) > 0 && (!isASCII(text) || l.leadsLine(ps, pe)) {
		// Something follows on the line. Its display column in
		// diagnostics would change with non-ASCII text before it. When the
		// comment is the first thing on the line, gcc's
		// -Wmisleading-indentation, which reads the line's first non-blank
		// column, would see the token instead; and a comment that spans
		// lines stands for one space: blanked, its line ends become real,
		// ending a directive early, or starting one at a '#' after it.
		return 0, false
	}
	if len(rest) == 0 && l.backslashBefore(ps) {
		return 0, false
	}
	l.blank(ps, pe, text)
	return e, true
}

// backslashBefore reports whether a comment at ps that ends its line
// follows a backslash and blanks: blanked, they would read as a splice.
func (l *codeLexer) backslashBefore(ps int) bool {
	ls := bytes.LastIndexByte(l.out[:ps], '\n') + 1
	return bytes.HasSuffix(bytes.TrimRight(l.out[ls:ps], " \t\f\v"), []byte("\\"))
}

// leadsLine reports whether the comment from ps to pe (in the content) is
// the first non-blank thing on the line where it ends.
func (l *codeLexer) leadsLine(ps, pe int) bool {
	if bytes.IndexByte(l.src[ps:pe], '\n') >= 0 {
		return true
	}
	ls := bytes.LastIndexByte(l.src[:ps], '\n') + 1
	return len(bytes.Trim(l.src[ls:ps], " \t\f\v")) == 0
}

// lineComment blanks the comment at k and returns where it ends.
func (l *codeLexer) lineComment(k int) (int, bool) {
	c := l.v.c
	e := len(c)
	if j := bytes.IndexByte(c[k:], '\n'); j >= 0 {
		e = k + j
	}
	if l.v.splicedIn(k+1, e) || commentRisk(c[k+2:e]) || l.backslashBefore(l.v.phys(k)) {
		return 0, false // a // comment continued by a splice: -Wcomment
	}
	l.blank(l.v.phys(k), l.v.phys(e-1), c[k+2:e])
	return e, true
}

// blank replaces the content's bytes from ps to pe (inclusive) with spaces,
// keeping tabs, line ends and splices, unless the comment is one to keep.
func (l *codeLexer) blank(ps, pe int, text []byte) {
	if containsFold(text, "fall") {
		return // gcc's -Wimplicit-fallthrough reads /* falls through */ and the like
	}
	for i := ps; i <= pe; i++ {
		switch l.out[i] {
		case '\t', '\n', '\r':
		case '\\':
			if spliceLen(l.src, i) == 0 {
				l.out[i] = ' '
			}
		default:
			l.out[i] = ' '
		}
	}
}

// commentRisk reports comment text whose blanking could change what a
// compiler says: "/*" inside (-Wcomment), a NUL byte, bytes that are not
// UTF-8 (newer compilers warn), and Unicode bidirectional controls
// (gcc's -Wbidi-chars).
func commentRisk(text []byte) bool {
	if bytes.Contains(text, []byte("/*")) || bytes.IndexByte(text, 0) >= 0 {
		return true
	}
	if isASCII(text) {
		return false
	}
	if !utf8.Valid(text) {
		return true
	}
	for _, r := range string(text) {
		if r == 0x061c || r == 0x200e || r == 0x200f || r >= 0x202a && r <= 0x202e || r >= 0x2066 && r <= 0x2069 {
			return true
		}
	}
	return false
}

// restOfLine returns what follows position i on its physical line, blanks
// trimmed.
func restOfLine(b []byte, i int) []byte {
	line := b[i:]
	if j := bytes.IndexByte(line, '\n'); j >= 0 {
		line = line[:j]
	}
	return bytes.Trim(line, " \t\f\v\r")
}

func isASCII(b []byte) bool {
	for _, c := range b {
		if c >= 0x80 {
			return false
		}
	}
	return true
}

// containsFold reports whether b contains w, a lower-case ASCII word, in
// any case.
func containsFold(b []byte, w string) bool {
	for _, first := range [2]byte{w[0], w[0] - 'a' + 'A'} {
		for i := 0; ; i++ {
			j := bytes.IndexByte(b[i:], first)
			if j < 0 {
				break
			}
			i += j
			if i+len(w) <= len(b) && lettersFold(b[i:i+len(w)], w) {
				return true
			}
		}
	}
	return false
}

// lettersFold compares b with w, lower-case letters, ignoring case.
func lettersFold(b []byte, w string) bool {
	for i := range b {
		if b[i]|0x20 != w[i] {
			return false
		}
	}
	return true
}

func boolToInt(x bool) int {
	if x {
		return 1
	}
	return 0
}
