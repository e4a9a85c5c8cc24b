package cc

import (
	"bytes"
	"sort"
)

// logicalText is the text as the compiler's lexer sees it, after
// backslash-newline splices are removed (translation phase 2).
type logicalText struct {
	c    []byte
	cuts []int32 // where in c each removed splice stood (before the character there)
	gone []int32 // how many bytes were removed up to each cut, that one included
}

// newLogicalText removes the splices. ok is false for the forms the
// compilers accept with a warning, which blanking could remove: a
// backslash and a newline separated by blanks. It is false as well for a
// carriage return that ends no line: clang ends a line there, where gcc
// does not.
func newLogicalText(b []byte) (v *logicalText, ok bool) {
	for i := bytes.IndexByte(b, '\r'); i >= 0; i = nextIndex(b, i+1, '\r') {
		if i+1 == len(b) || b[i+1] != '\n' {
			return nil, false
		}
	}
	v = &logicalText{c: b}
	var at []int // the splices
	for i := bytes.IndexByte(b, '\\'); i >= 0; i = nextIndex(b, i+1, '\\') {
		j := i + 1
		for j < len(b) && (b[j] == ' ' || b[j] == '\t' || b[j] == '\f' || b[j] == '\v') {
			j++
		}
		switch {
		case j == len(b) || b[j] != '\n' && b[j] != '\r':
		case j > i+1:
			return nil, false
		default:
			at = append(at, i)
		}
	}
	if len(at) > 0 {
		v.unsplice(b, at)
	}
	return v, true
}

// unsplice builds the text without the splices at the given positions.
func (v *logicalText) unsplice(b []byte, at []int) {
	v.c = make([]byte, 0, len(b))
	prev, gone := 0, 0
	for _, i := range at {
		v.c = append(v.c, b[prev:i]...)
		n := spliceLen(b, i)
		prev, gone = i+n, gone+n
		v.cuts = append(v.cuts, int32(len(v.c)))
		v.gone = append(v.gone, int32(gone))
	}
	v.c = append(v.c, b[prev:]...)
}

// phys returns where the character at k stands in the content.
func (v *logicalText) phys(k int) int {
	i := sort.Search(len(v.cuts), func(i int) bool { return int(v.cuts[i]) > k })
	if i == 0 {
		return k
	}
	return k + int(v.gone[i-1])
}

// splicedIn reports whether a splice was removed anywhere from before
// c[from] to before c[to].
func (v *logicalText) splicedIn(from, to int) bool {
	i := sort.Search(len(v.cuts), func(i int) bool { return int(v.cuts[i]) >= from })
	return i < len(v.cuts) && int(v.cuts[i]) <= to
}

func nextIndex(b []byte, from int, c byte) int {
	j := bytes.IndexByte(b[from:], c)
	if j < 0 {
		return -1
	}
	return from + j
}
