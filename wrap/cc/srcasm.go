package cc

import (
	"bytes"
	"strings"
)

// asmMarkers finds the assembler's .incbin and .include, in assembler text
// and in C (inline asm lives in string literals). Both assemblers take
// directive names in any case, so each '.' is looked at rather than
// searching one spelling.
func (p *pieceScan) asmMarkers() {
	b := p.b
	for i := 0; ; {
		j := bytes.IndexByte(b[i:], '.')
		if j < 0 {
			return
		}
		h := i + j
		i = h + 1
		if h+4 > len(b) || b[h+1]|0x20 != 'i' || b[h+2]|0x20 != 'n' || b[h+3]|0x20 != 'c' {
			continue
		}
		if word := asmWord(b, h); word != "" && asmWordStart(b, h) {
			p.asmMarker(h, word)
		}
	}
}

// asmWord returns "incbin" or "include" when one of them, as a whole word,
// follows the '.' at h.
func asmWord(b []byte, h int) string {
	for _, w := range []string{"incbin", "include"} {
		e := h + 1 + len(w)
		if e <= len(b) && strings.EqualFold(string(b[h+1:e]), w) && (e == len(b) || !isAsmIdent(b[e])) {
			return w
		}
	}
	return ""
}

// asmWordStart reports whether the '.' at h starts a word: not part of a
// symbol (x.incbin), but possibly right after a C escape ("\t.incbin").
func asmWordStart(b []byte, h int) bool {
	if h == 0 || !isAsmIdent(b[h-1]) {
		return true
	}
	return h >= 2 && b[h-2] == '\\' && strings.IndexByte("ntrfv", b[h-1]) >= 0
}

// isAsmIdent reports whether c may be part of an assembler symbol.
func isAsmIdent(c byte) bool { return isIdent(c) || c == '$' || c == '.' }

// Kinds of operand after .incbin or .include.
const (
	opNone       = iota // not the directive: C (.include = 1), prose (".incbin."), nothing
	opFile              // a string literal: the file's name
	opUnresolved        // something only the assembler or the preprocessor resolves
)

// asmMarker reads the operand after the directive word at h. A string
// literal is a name, wherever it stands. Anything else that could be an
// operand (a macro, an escape, a macro argument) makes the compile
// unrecordable, unless the lexer says it is prose: in a comment, not at
// the start of a statement, or in an assembler string (data). Where the
// lexer cannot tell, it is not prose.
func (p *pieceScan) asmMarker(h int, word string) {
	kind, name, why := asmOperand(p.b, h+1+len(word))
	switch kind {
	case opFile:
		p.asmFile(name)
		return
	case opNone:
		return
	}
	p.ask(h, func(m lexMode, lit int) {
		switch {
		case commentMode(m):
		case m == inString && !p.s.asm:
			p.inlineAsm(lit, h, word)
		case m == inString || m == inChar:
		case m == inUnknown || statementStart(p.b, h, true):
			p.s.unresolved("." + word + " " + why)
		}
	})
}

func (p *pieceScan) asmFile(name string) {
	if p.s.add('a', Include{Name: name}) {
		p.s.facts.AsmFiles = append(p.s.facts.AsmFiles, name)
	}
}

// asmOperand reads the operand starting at e (after the directive's name).
func asmOperand(t []byte, e int) (kind int, name, why string) {
	i := e
	for i < len(t) && (t[i] == ' ' || t[i] == '\t') {
		i++
	}
	if i == len(t) {
		return opNone, "", ""
	}
	switch c := t[i]; {
	case c == '"':
		for j := i + 1; j < len(t); j++ {
			switch t[j] {
			case '"':
				return opFile, string(t[i+1 : j]), ""
			case '\\':
				return opUnresolved, "", "operand has an escape or a macro argument"
			case '\n', 0:
				return opUnresolved, "", "operand is not one string literal"
			}
		}
		return opUnresolved, "", "operand is not one string literal"
	case c == 0:
		return opUnresolved, "", "operand is built from a macro"
	case c == '\\':
		return opUnresolved, "", "operand has an escape or a macro argument"
	case i == e:
		return opNone, "", "" // no blank after the name: a longer word in prose or C
	case isIdent(c) || strings.IndexByte("<(%'$@", c) >= 0:
		end := i
		for end < len(t) && end < i+40 && t[end] > ' ' {
			end++
		}
		return opUnresolved, "", string(t[i:end]) + " is not a string literal"
	}
	return opNone, "", ""
}

// statementStart reports whether position h starts an assembler statement:
// only blanks and labels stand between it and the start of its line or a
// ';'. In raw text a #define prefix counts too: the macro's body is then
// assembler text.
func statementStart(t []byte, h int, raw bool) bool {
	ls := h
	for ls > 0 && t[ls-1] != '\n' && t[ls-1] != ';' {
		ls--
	}
	pre := t[ls:h]
	if raw && (ls == 0 || t[ls-1] == '\n') {
		pre = stripDefine(pre)
	}
	return onlyLabels(pre)
}

// stripDefine removes "#define NAME" or "#define NAME(params)" from the
// start of a line.
func stripDefine(pre []byte) []byte {
	i := skipBlanks(pre, 0)
	if i >= len(pre) || pre[i] != '#' {
		return pre
	}
	i = skipBlanks(pre, i+1)
	if !bytes.HasPrefix(pre[i:], []byte("define")) {
		return pre
	}
	i = skipBlanks(pre, i+len("define"))
	for i < len(pre) && isIdent(pre[i]) {
		i++
	}
	if i < len(pre) && pre[i] == '(' {
		j := bytes.IndexByte(pre[i:], ')')
		if j < 0 {
			return pre
		}
		i += j + 1
	}
	return pre[i:]
}

// onlyLabels reports whether pre holds nothing but blanks and labels.
func onlyLabels(pre []byte) bool {
	for i := 0; ; {
		for i < len(pre) && strings.IndexByte(" \t\r\f\v", pre[i]) >= 0 {
			i++
		}
		if i == len(pre) {
			return true
		}
		j := i
		for j < len(pre) && isAsmIdent(pre[j]) {
			j++
		}
		if j == i || j == len(pre) || pre[j] != ':' {
			return false
		}
		i = j + 1
	}
}
