package cc

import "bytes"

// directiveOK checks the directive whose name follows position k. In
// #include and its kin, <name> is one token where "//" and "/*" are no
// comments and quotes open nothing: the lexer would misread it. The text of
// #error and #warning is printed by clang as written, comments included.
func (l *codeLexer) directiveOK(k int) bool {
	c := l.v.c
	k = skipCodeSpace(c, k)
	e := k
	for e < len(c) && isIdent(c[e]) {
		e++
	}
	switch string(c[k:e]) {
	case "include", "include_next", "import", "embed":
		return l.headerNameOK(skipCodeSpace(c, e), false)
	case "error", "warning":
		line := c[e:]
		if j := bytes.IndexByte(line, '\n'); j >= 0 {
			line = line[:j]
		}
		return !bytes.Contains(line, []byte("/*")) && !bytes.Contains(line, []byte("//"))
	}
	return true
}

// headerNameOK checks a <name> at k (after a '(' first, for __has_include
// and the like): false when it holds what would read as a comment or a
// literal.
func (l *codeLexer) headerNameOK(k int, paren bool) bool {
	c := l.v.c
	if paren {
		if l.at(k) != '(' {
			return true
		}
		k = skipCodeSpace(c, k+1)
	}
	if l.at(k) != '<' {
		return true
	}
	end := len(c)
	if j := bytes.IndexByte(c[k:], '\n'); j >= 0 {
		end = k + j
	}
	j := bytes.IndexByte(c[k:end], '>')
	if j < 0 {
		return true // no header name: the compiler lexes '<' and what follows as code
	}
	name := c[k+1 : k+j]
	return !bytes.Contains(name, []byte("//")) && !bytes.Contains(name, []byte("/*")) && bytes.IndexAny(name, `'"`) < 0
}

// skipCodeSpace skips blanks and block comments within a line.
func skipCodeSpace(c []byte, k int) int {
	for k < len(c) {
		switch {
		case c[k] == ' ' || c[k] == '\t' || c[k] == '\f' || c[k] == '\v':
			k++
		case c[k] == '/' && k+1 < len(c) && c[k+1] == '*':
			j := bytes.Index(c[k+2:], []byte("*/"))
			if j < 0 {
				return len(c)
			}
			k += j + 4
		default:
			return k
		}
	}
	return k
}

// hasOperatorsOK checks the header names of __has_include and its kin
// wherever they are: in a comment or a literal, a check too many only
// refuses a file.
func (l *codeLexer) hasOperatorsOK() bool {
	c := l.v.c
	for i := 0; ; {
		j := bytes.Index(c[i:], []byte("has_")) // not "__has_": '_' is everywhere
		if j < 0 {
			return true
		}
		i += j + len("has_")
		if i < 6 || string(c[i-6:i-4]) != "__" {
			continue
		}
		e := i
		for e < len(c) && isIdent(c[e]) {
			e++
		}
		if !l.headerNameOK(skipCodeSpace(c, e), true) {
			return false
		}
	}
}
