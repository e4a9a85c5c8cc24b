package cc

import "bytes"

// CodeText returns content with every comment blanked (each comment byte
// replaced by a space, tabs and newlines kept, so every token keeps its
// line and column) and blank space at the end of the file removed; ok is
// false when the file uses something this cannot blank safely, and the
// caller must then compare raw content.
//
// Two files with the same CodeText compile to the same object, and to the
// same diagnostics as long as none is printed: a diagnostic shows its
// source line, comment included, so a record whose compile printed
// anything should be matched on raw content. It holds for C and C++ as
// gcc and clang read them by default; not for assembler-with-cpp (an
// apostrophe is no literal there), -traditional-cpp (a comment joins
// tokens), C90 (// is no comment), -C/-CC preprocessing (comments are
// output), nor clang's DWARF 5 line tables (they hold each file's MD5).
//
// Comments that may mean something to a compiler are kept as they are:
// those mentioning "fall" (gcc's -Wimplicit-fallthrough reads them).
// Anything else where a comment's text or shape can change what the
// compilers do or say makes ok false (see commentRisk and the checks in
// codeLexer), and so do C++ raw strings, which the lexer cannot follow.
// TrimLineEnds lets comments at the ends of lines change length too.
func CodeText(content []byte) (text []byte, ok bool) {
	if bytes.Contains(content, []byte("??/")) {
		return nil, false // a backslash with -trigraphs
	}
	v, ok := newLogicalText(content)
	if !ok {
		return nil, false
	}
	l := &codeLexer{v: v, src: content, out: bytes.Clone(content)}
	if !l.run() {
		return nil, false
	}
	// The end is trimmed, and with it a splice that joined a comment:
	// followed by nothing, it would be warned about.
	out := bytes.TrimRight(l.out, " \t\n\r\f\v")
	for n := len(out); n > 0 && out[n-1] == '\\'; n = len(out) {
		if spliceLen(l.out, n-1) == 0 || len(bytes.TrimRight(content[n:], " \t\n\r\f\v")) == 0 {
			return nil, false // a backslash or a splice that ends the file itself
		}
		out = bytes.TrimRight(out[:n-1], " \t\n\r\f\v")
	}
	return out, true
}

// TrimLineEnds drops the blanks that end each line of a CodeText. Tokens
// keep their line and column, so two sources whose trimmed CodeTexts are
// equal compile alike just the same, and a comment at the end of a line
// may then change its length. A blank right after a backslash stays: a
// backslash before the newline would read as a splice.
func TrimLineEnds(text []byte) []byte {
	out := make([]byte, 0, len(text))
	for len(text) > 0 {
		line, rest, found := bytes.Cut(text, []byte("\n"))
		end := []byte(nil)
		if found {
			end = []byte("\n")
			if bytes.HasSuffix(line, []byte("\r")) {
				line, end = line[:len(line)-1], []byte("\r\n")
			}
		}
		trimmed := bytes.TrimRight(line, " \t\f\v")
		if len(trimmed) < len(line) && bytes.HasSuffix(trimmed, []byte("\\")) {
			trimmed = line[:len(trimmed)+1]
		}
		out = append(append(out, trimmed...), end...)
		text = rest
	}
	return out
}
