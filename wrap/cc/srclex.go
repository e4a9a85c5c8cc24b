package cc

import "bytes"

// lexMode says what a position of C-family text is part of. The source
// scanner asks it only at the rare places where the answer matters (an
// .incbin that cannot be read, a computed include), so text is lexed
// lazily, up to the last place asked about.
type lexMode uint8

const (
	inCode    lexMode = iota
	inBlock           // /* comment */
	inLine            // // comment, to the end of the logical line
	inString          // "literal"
	inChar            // 'literal'
	inUnknown         // text before it was never lexed: could be code or comment
)

// lexer walks the regions of text that are not code (comments and
// literals), in order. A piece of text always starts outside any literal or
// line comment (pieces are whole logical lines), so its starting mode is
// code or block comment.
type lexer struct {
	b         []byte
	asm       bool    // assembler text: an apostrophe opens no literal
	rs, re    int     // the current non-code region, b[rs:re]
	kind      lexMode // its kind
	slash, dq int     // cached positions of the next '/' and '"' (-1: none left)
	sq        int     // and of the next apostrophe
}

func newLexer(b []byte, asm bool, start lexMode) *lexer {
	l := &lexer{b: b, asm: asm, slash: -2, dq: -2, sq: -2}
	if start == inBlock {
		l.rs, l.re, l.kind = 0, blockEnd(b, 0), inBlock
	} else {
		l.next(0)
	}
	return l
}

// at returns the mode of position i; calls must come with i not decreasing.
func (l *lexer) at(i int) lexMode {
	for l.re <= i && l.re < len(l.b) {
		l.next(l.re)
	}
	if l.rs <= i && i < l.re {
		return l.kind
	}
	if i >= len(l.b) && l.kind == inBlock && l.re == len(l.b) {
		return inBlock // the piece ends inside a comment
	}
	return inCode
}

// literal returns where the string literal holding position i starts, after
// at(i) said inString.
func (l *lexer) literal() int { return l.rs }

// next finds the first non-code region at or after from.
func (l *lexer) next(from int) {
	b := l.b
	for {
		j := l.nextMark(from)
		if j < 0 {
			l.rs, l.re, l.kind = len(b), len(b), inCode
			return
		}
		switch b[j] {
		case '/':
			if j+1 < len(b) && b[j+1] == '*' {
				l.rs, l.re, l.kind = j, blockEnd(b, j+2), inBlock
				return
			}
			if j+1 < len(b) && b[j+1] == '/' {
				l.rs, l.re, l.kind = j, logicalEnd(b, j), inLine
				return
			}
			from = j + 1
		default:
			l.rs, l.re = j, literalEnd(b, j)
			l.kind = inString
			if b[j] == '\'' {
				l.kind = inChar
			}
			return
		}
	}
}

// nextMark returns the first slash, double quote or (in C) apostrophe at or
// after from. Each byte's next position is cached, so lexing a whole piece
// costs one pass of IndexByte per byte value rather than a byte-by-byte
// loop.
func (l *lexer) nextMark(from int) int {
	l.slash = nextByte(l.b, from, '/', l.slash)
	l.dq = nextByte(l.b, from, '"', l.dq)
	m := minPos(l.slash, l.dq)
	if !l.asm {
		l.sq = nextByte(l.b, from, '\'', l.sq)
		m = minPos(m, l.sq)
	}
	return m
}

func nextByte(b []byte, from int, c byte, cached int) int {
	if cached == -1 || cached >= from {
		return cached
	}
	j := bytes.IndexByte(b[from:], c)
	if j < 0 {
		return -1
	}
	return from + j
}

func minPos(a, b int) int {
	if a < 0 || (b >= 0 && b < a) {
		return b
	}
	return a
}

// blockEnd returns the end of a block comment whose text starts at from.
func blockEnd(b []byte, from int) int {
	j := bytes.Index(b[from:], []byte("*/"))
	if j < 0 {
		return len(b)
	}
	return from + j + 2
}

// literalEnd returns the end of the literal opened by the quote at q: past
// its closing quote, or at the newline that ends an unterminated one, as
// the compilers' lexers end it.
func literalEnd(b []byte, q int) int {
	for i := q + 1; i < len(b); i++ {
		switch b[i] {
		case '\\':
			i = skipEscaped(b, i)
		case '\n':
			return i
		case b[q]:
			return i + 1
		}
	}
	return len(b)
}

// skipEscaped returns the position of the last byte escaped by the backslash
// at i: the next byte, or the newline of a "\\\r\n" splice.
func skipEscaped(b []byte, i int) int {
	if i+2 < len(b) && b[i+1] == '\r' && b[i+2] == '\n' {
		return i + 2
	}
	return i + 1
}

// logicalEnd returns the position of the newline that ends the logical line
// holding position i (backslash-newline splices continue it), or len(b).
func logicalEnd(b []byte, i int) int {
	for {
		j := bytes.IndexByte(b[i:], '\n')
		if j < 0 {
			return len(b)
		}
		i += j
		if !spliced(b, i) {
			return i
		}
		i++
	}
}

// spliced reports whether the newline at i is escaped by a backslash (with
// an optional carriage return between).
func spliced(b []byte, i int) bool {
	k := i - 1
	if k >= 0 && b[k] == '\r' {
		k--
	}
	return k >= 0 && b[k] == '\\'
}
