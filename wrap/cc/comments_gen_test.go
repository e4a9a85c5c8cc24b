package cc

import (
	"math/rand"
	"strconv"
	"strings"
)

// ctBlocks are pieces of C that compile under gcc and clang whatever the
// comments put in their slots: @M@ between tokens (a block comment or
// nothing), @B@ the same at the start of a line (mostly nothing: before a
// token, CodeText refuses it), @D@ the same inside a directive, @R@ a block
// comment that must be there (it keeps two '-' apart), @E@ the end of a
// line (any comment), @L@ a whole line, @F@ a fallthrough comment, @S@
// text in a string that looks like a comment's. @N@ numbers the block.
var ctBlocks = []string{
	"#include @M@<stddef.h>@E@\n",
	"#define ADD@N@(a, b) @D@\\\n\t((a) @D@+ \\\n\t (b))@E@\nint add@N@(int x, int y) {@E@\n\treturn ADD@N@(x, @M@y);@E@\n}\n",
	"const char *str@N@ = \"/* not a comment */ // nor this\" @M@;@E@\n",
	"const char chr@N@[] = { '\"', '\\'', '/', '*', @M@'/' };@E@\n",
	"#if 0@E@\n@B@don't worry /* about it\n#endif@E@\n",
	"int sw@N@(int v) {@E@\n\tint r = 0;@E@\n\tswitch (v) {@E@\n\tcase 1:\n\t\tr += 1;\n\t\t@F@\n\tcase 2:\n\t\tr += 2;\n\t\tbreak;\n\tdefault:\n\t\tbreak;\n\t}\n\treturn r;@E@\n}\n",
	"@L@\n",
	"@L@\n@L@\n",
	"#define STR@N@(x) #x@E@\nconst char *sv@N@ = STR@N@(a @M@b  @M@ c);@E@\n",
	"int ln@N@ = __LINE__;@E@\n",
	"int ind@N@(int x) {\n\tif (x)@E@\n\t\tx++;@E@\n\t@B@x--;\n\treturn x;\n}\n",
	"@B@#define Q@N@ 1@E@\nint q@N@ = Q@N@;@E@\n#ifdef Q@N@@E@\nint qq@N@;@E@\n#endif@E@\n",
	"struct s@N@ {@E@\n\tint a;@E@\n\tint @M@b;@E@\n};\nstruct s@N@ sv@N@ = { .a = 1, @M@.b = 2 };\n",
	"int pa@N@ = 7 -@R@-2;@E@\n",
	"#define CAT@N@(a, b) a ## b\nint CAT@N@(cat, @M@n@N@) = 1;@E@\n",
	"int dv@N@(int a, int b) { return a / @M@b; }@E@\n",
	"#define MM@N@ 1 @D@+ 2\nint mm@N@ = MM@N@;@E@\n",
	"int f@N@(void) @M@{ return 0; }@E@\n",
	"const char *cs@N@ = \"/*@S@*/ //@S@\";@E@\n",
}

// ctEndings close the file.
var ctEndings = []string{"", "\n", "// end", "/* end */\n", "\n\n/* appended\n * comment */\n"}

// ctSource is a generated source: its text around the slots, and what
// fills each slot.
type ctSource struct {
	parts []string // text before each slot, then after the last
	kinds []string // slot kinds: M D R E L F
	fills []string
	end   string
}

func (s *ctSource) String() string {
	var b strings.Builder
	for i, f := range s.fills {
		b.WriteString(s.parts[i])
		b.WriteString(f)
	}
	b.WriteString(s.parts[len(s.parts)-1])
	b.WriteString(s.end)
	return b.String()
}

// genSource puts n random blocks together and fills their slots.
func genSource(r *rand.Rand, n int) *ctSource {
	var text strings.Builder
	for i := 0; i < n; i++ {
		text.WriteString(strings.ReplaceAll(ctBlocks[r.Intn(len(ctBlocks))], "@N@", strconv.Itoa(i)))
	}
	s := &ctSource{end: ctEndings[r.Intn(len(ctEndings))]}
	rest := text.String()
	for {
		i := strings.Index(rest, "@")
		if i < 0 {
			break
		}
		j := strings.Index(rest[i+1:], "@")
		s.parts = append(s.parts, rest[:i])
		s.kinds = append(s.kinds, rest[i+1:i+1+j])
		rest = rest[i+2+j:]
	}
	s.parts = append(s.parts, rest)
	for _, k := range s.kinds {
		s.fills = append(s.fills, genFill(r, k))
	}
	return s
}

// genFill returns a random filling for a slot of kind k.
func genFill(r *rand.Rand, k string) string {
	switch k {
	case "F":
		return []string{"/* fall through */", "// FALLTHROUGH", "/* FALLTHRU */", "/* Falls through. */", "__attribute__((fallthrough));", "/* on to the next */"}[r.Intn(6)]
	case "R":
		return "/*" + genCommentText(r, false) + "*/"
	case "S":
		return []string{"", "a", "ab c", "x y z"}[r.Intn(4)]
	case "M", "D", "B":
		if r.Intn(4) == 0 || k == "B" && r.Intn(6) > 0 {
			return ""
		}
		return "/*" + genCommentText(r, r.Intn(3) == 0) + "*/ "
	}
	switch r.Intn(8) { // E, L
	case 0:
		return ""
	case 1, 2:
		return " //" + genCommentText(r, false)
	case 3:
		return " /\\\n* spliced start */"
	}
	return " /*" + genCommentText(r, r.Intn(4) == 0) + "*/"
}

// genCommentText returns comment text: words and odd characters, now and
// then what compilers notice (fall, non-ASCII, a nested /*).
func genCommentText(r *rand.Rand, lines bool) string {
	pieces := []string{"word", " ", " ", "\t", "don't", "\"q\"", "#define X", "*", "/", "//", "x*y", "\\", "??=", "'", "%:", "<a.h>", "-"}
	rare := []string{"caf\u00e9", "\u2014", "fall", "/*", "\\\n", "\x00"}
	var b strings.Builder
	for n := r.Intn(8); n > 0; n-- {
		p := pieces[r.Intn(len(pieces))]
		if r.Intn(60) == 0 {
			p = rare[r.Intn(len(rare))]
		}
		b.WriteString(p)
		if lines && r.Intn(3) == 0 {
			b.WriteString("\n *")
		}
	}
	t := b.String()
	for strings.Contains(t, "*/") || strings.Contains(t, "/*") && r.Intn(10) > 0 {
		t = strings.ReplaceAll(strings.ReplaceAll(t, "*/", "* /"), "/*", "/ *")
	}
	if strings.HasSuffix(t, "*") || strings.HasSuffix(t, "/") {
		t += " "
	}
	return strings.TrimRight(t, "\\") + " "
}

// variant returns s with its slots refilled: most alike (the same comment,
// one of the same shape, or the comment blanked by hand as CodeText would),
// some anew.
func (s *ctSource) variant(r *rand.Rand, fresh float64) *ctSource {
	v := *s
	v.fills = append([]string(nil), s.fills...)
	for i, f := range v.fills {
		switch x := r.Float64(); {
		case x < fresh:
			v.fills[i] = genFill(r, s.kinds[i])
		case x < 0.5:
			v.fills[i] = sameShape(r, f)
		case x < 0.6:
			v.fills[i] = blankedByHand(f)
		}
	}
	if r.Float64() < fresh {
		v.end = ctEndings[r.Intn(len(ctEndings))]
	}
	if len(v.fills) > 0 && r.Intn(3) == 0 {
		i := r.Intn(len(v.fills))
		v.fills[i] = blankedByHand(s.fills[i])
	}
	return &v
}

// sameShape replaces the letters of a comment with others, keeping
// everything else: the same CodeText, unless the comment is one kept
// verbatim.
func sameShape(r *rand.Rand, f string) string {
	if containsFold([]byte(f), "fall") {
		return f
	}
	b := []byte(f)
	start := strings.Index(f, "/") + 2 // keep the comment's opening
	for i := max(start, 0); i < len(b); i++ {
		if b[i] >= 'a' && b[i] <= 'z' && !(b[i] == 'a' && i > 0 && b[i-1] == '<') {
			b[i] = "abcdeghijklmnopqrstuvwxyz"[r.Intn(25)]
		}
	}
	return string(b)
}

// blankedByHand turns a slot's comment into blanks, as CodeText does,
// whatever the comment: the pair then tests that blanking is harmless
// wherever CodeText accepts it.
func blankedByHand(f string) string {
	b := []byte(f)
	for i, c := range b {
		if c != '\t' && c != '\n' {
			b[i] = ' '
		}
	}
	return string(b)
}
