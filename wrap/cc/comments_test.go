package cc

import (
	"bytes"
	"os"
	"path/filepath"
	"runtime"
	"strings"
	"testing"
)

func TestCodeText(t *testing.T) {
	const refused = "\x00refused"
	cases := []struct{ in, want string }{
		// Blanking keeps tabs, newlines and columns; the end is trimmed.
		{"int a; /* c */\nint b; // d\n", "int a;        \nint b;"},
		{"int a;/*\tx\t*/int b;\n", "int a;  \t \t  int b;"},
		// A comment first on its line, before a token: gcc's
		// -Wmisleading-indentation reads the line's first non-blank.
		{"\t/* c */ x--;\n", refused},
		{"\t/* a\n\t * b */ x--;\n", refused},
		{"\t/* c */\n\tx--;\n", "\t       \n\tx--;"},
		{"x = a/**/+/**/b;\n", "x = a    +    b;"},
		{"int a;\r\n// crlf\r\nint b;\r\n", "int a;\r\n       \r\nint b;"},
		{"int a;\n/* appended\n * at the end */\n\n", "int a;"},
		// Literals.
		{"char *s = \"/* not */ // not\"; /* yes */\n", "char *s = \"/* not */ // not\";"},
		{"char c = '\"'; char d = '\\''; /* c */ char *e = \"\\\"/*\";\n", "char c = '\"'; char d = '\\'';         char *e = \"\\\"/*\";"},
		{"char *s = \"unterminated\ny /* c */ x;\n", "char *s = \"unterminated\ny         x;"},
		{"#if 0\ndon't /* in the literal */\n#endif\n", "#if 0\ndon't /* in the literal */\n#endif"},
		{"u8'a' /* c */;\n", "u8'a'        ;"},
		// Splices.
		{"a /\\\n* spliced start */ b\n", refused},
		{"a /\\\n* spliced start */\n", "a"},
		{"a /\\\n* spliced start */\nb\n", "a  \\\n                  \nb"},
		{"a /* x \\\n y */\n", "a"},
		{"a /* x \\\n y */ + b\n", refused},
		{"#define X 1 /* a \\\n b */\n", "#define X 1"},
		{"#define X 1 \\\n /* c */ + 2\n", refused},
		{"#define X 1 \\\n + 2 /* c */\n", "#define X 1 \\\n + 2"},
		{"x // spliced \\\n y\n", refused},
		{"x /* spliced end *\\\n/ y\n", refused},
		{"x \\ \n y\n", refused},
		{"x \\/* c */\n", refused},
		{"x \\ /* a */ /* b */\n", refused},
		{"x \\ // c\n", refused},
		{"x \\/* c */ y\n", "x \\        y"},
		{"x;\n\\\n", refused},
		// Comments that matter are kept.
		{"case 1: f(); /* FALLTHROUGH */\ncase 2: // falls through\n", "case 1: f(); /* FALLTHROUGH */\ncase 2: // falls through"},
		// Comment text that compilers warn about.
		{"/* a /* nested */\n", refused},
		{"// a /* nested\n", refused},
		{"/* caf\xc3\xa9 */ int a;\n", refused},
		{"int a; /* caf\xc3\xa9 */\n", "int a;"},
		{"int a; /* \xe2\x80\xae bidi */\n", refused},
		{"int a; /* \xff */\n", refused},
		{"int a; /* \x00 */\n", refused},
		// Multi-line comments where newlines mean something.
		{"#define X 1 /* a\n b */ + 2\n", refused},
		{"#define X 1 /* a\n b */\nint y;\n", "#define X 1     \n     \nint y;"},
		{"int a; /*\n*/ # define Z 1\n", refused},
		{"int a; /*\n*/ %:define Z 1\n", refused},
		{"/* c */ #define Z 1\n", refused},
		// Header names are no comments.
		{"#include <a//b.h>\n", refused},
		{"#  include_next /* c */ <a/*b*/c.h>\n", refused},
		{"#if __has_include ( <a//b.h> )\n#endif\n", refused},
		{"#include <a/b.h> // c\n", "#include <a/b.h>"},
		{"#if a < b // c > d\n#endif\n", "#if a < b         \n#endif"},
		// clang prints the text of #warning and #error as written.
		{"#warning hello /* c */ world\n", refused},
		{"#error hello // c\n", refused},
		{"/* c */ #error hello\n", refused},
		// Forms the lexer cannot follow.
		{"auto s = R\"(/* x */)\";\n", refused},
		{"auto s = u8R\"x(a)x\";\n", refused},
		{"puts(\"ERROR\"); /* c */\n", "puts(\"ERROR\");"},
		{"char *s = \"/* R\" \"x\";\n", "char *s = \"/* R\" \"x\";"},
		{"int a = 1'000; /* c */\n", refused},
		{"x ??/\ny\n", refused},
		{"int a;\r/* lone cr */\n", refused},
		{"int a; /* unterminated\n", refused},
	}
	for _, c := range cases {
		got, ok := CodeText([]byte(c.in))
		if c.want == refused {
			if ok {
				t.Errorf("%q: %q, want refused", c.in, got)
			}
			continue
		}
		if !ok || string(got) != c.want {
			t.Errorf("%q:\n got %q %v\nwant %q", c.in, got, ok, c.want)
		}
	}
}

func TestTrimLineEnds(t *testing.T) {
	cases := []struct{ in, want string }{
		{"int a;   \nint b;\t\n", "int a;\nint b;\n"},
		{"a  \r\nb \r\n", "a\r\nb\r\n"},
		{"x \\   \ny", "x \\ \ny"},
		{"last   ", "last"},
	}
	for _, c := range cases {
		if got := string(TrimLineEnds([]byte(c.in))); got != c.want {
			t.Errorf("%q: %q, want %q", c.in, got, c.want)
		}
	}
}

// FuzzCodeText: CodeText never panics; when it accepts, its text is the
// content with some bytes turned to spaces (never a tab or a line end),
// cut where only blanks remain (and splices into them), and reading it
// again changes nothing.
func FuzzCodeText(f *testing.F) {
	for _, s := range []string{
		"int a; /* c */\n", "x // c\n", "\"/*\" '\\'' /**/", "a /\\\n* c */ b", "#define X 1 /* a\n */\n",
		"#include <a.h> // c\n", "case 1: /* fall through */\n", "#if 0\ndon't\n#endif\n",
	} {
		f.Add([]byte(s))
	}
	for _, name := range []string{"stdio.h", "stdlib.h", "string.h", "linux/types.h"} {
		if b, err := os.ReadFile(filepath.Join("/usr/include", name)); err == nil {
			f.Add(b)
		}
	}
	f.Fuzz(func(t *testing.T, content []byte) {
		text, ok := CodeText(content)
		if !ok {
			return
		}
		if len(text) > len(content) {
			t.Fatalf("text longer than content")
		}
		for i, c := range text {
			if c != content[i] && (c != ' ' || content[i] == '\t' || content[i] == '\n' || content[i] == '\r') {
				t.Fatalf("byte %d: %q became %q", i, content[i], c)
			}
		}
		if n := len(text); n > 0 && strings.IndexByte(" \t\n\r\f\v\\", text[n-1]) >= 0 {
			t.Fatalf("blank at the end")
		}
		again, ok := CodeText(text)
		if !ok || !bytes.Equal(again, text) {
			t.Fatalf("not idempotent: %q -> %q -> %q %v", content, text, again, ok)
		}
		if trimmed := TrimLineEnds(text); bytes.Count(trimmed, []byte("\n")) != bytes.Count(text, []byte("\n")) {
			t.Fatalf("TrimLineEnds changed the lines")
		}
	})
}

// BenchmarkCodeText runs CodeText over every file under /usr/include.
func BenchmarkCodeText(b *testing.B) {
	_, files := readSourceTree(b, "/usr/include", func(string) bool { return true })
	total := 0
	for _, f := range files {
		total += len(f)
	}
	b.SetBytes(int64(total))
	runtime.LockOSThread()
	defer runtime.UnlockOSThread()
	t0 := threadCPU()
	b.ResetTimer()
	for range b.N {
		for _, f := range files {
			CodeText(f)
		}
	}
	b.ReportMetric(float64(total)*float64(b.N)/(threadCPU()-t0).Seconds()/1e9, "GB/s-cpu")
}
