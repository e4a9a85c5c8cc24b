package cc

import (
	"reflect"
	"strings"
	"testing"
)

// scanText scans text whole, then in chunks of every size up to 40 bytes
// (cut anywhere, as with lines longer than a chunk), and fails unless all
// agree.
func scanText(t *testing.T, text string, asm bool) SourceFacts {
	t.Helper()
	s := NewSourceScanner(asm)
	s.Feed([]byte(text))
	want := s.Facts()
	for n := 1; n <= 40 && n < len(text); n++ {
		s := NewSourceScanner(asm)
		for i := 0; i < len(text); i += n {
			s.Feed([]byte(text[i:min(i+n, len(text))]))
		}
		if got := s.Facts(); !reflect.DeepEqual(got, want) {
			t.Fatalf("chunks of %d: %+v\nwhole: %+v\ntext:\n%s", n, got, want, text)
		}
	}
	return want
}

func quoted(name string) Include     { return Include{Name: name} }
func angled(name string) Include     { return Include{Name: name, Angle: true} }
func angledNext(name string) Include { return Include{Name: name, Angle: true, Next: true} }

func TestSourceScannerIncludes(t *testing.T) {
	cases := []struct {
		text     string
		includes []Include
		computed bool
	}{
		{"#include <stdio.h>\n#include \"a.h\"\n", []Include{angled("stdio.h"), quoted("a.h")}, false},
		{"  #  include\t<x/y.h>  // c\n", []Include{angled("x/y.h")}, false},
		{"#include_next <limits.h>\n", []Include{angledNext("limits.h")}, false},
		{"#import \"objc.h\"\r\n#include \"b.h\"\r\n", []Include{quoted("objc.h"), quoted("b.h")}, false},
		{"#include \\\n  \"spliced.h\"\n", []Include{quoted("spliced.h")}, false},
		{"#inc\\\nlude <odd.h>\n", nil, false}, // the name is cut: not read (rare)
		{"%:include <digraph.h>\n", []Include{angled("digraph.h")}, false},
		{"#include /* why */ <c.h>\n", []Include{angled("c.h")}, false},
		{"#include FOO_H\n", nil, true},
		{"#include_next NEXT(x)\n", nil, true},
		{"#include <unterminated\n", nil, true},
		{"/*\n#include MACRO\n*/\nint x;\n", nil, false},                          // computed in a comment: no
		{"// #include MACRO\n", nil, false},                                       // not at line start anyway
		{"#define S(x) #x\nint a = 1 # 2;\n", nil, false},                         // '#' not starting a line
		{"#include \"a.h\"\n#include \"a.h\"\n", []Include{quoted("a.h")}, false}, // once
		{"#if 0\n#include <in_if0.h>\n#endif\n", []Include{angled("in_if0.h")}, false},
		{"#include <no_newline.h>", []Include{angled("no_newline.h")}, false},
	}
	for _, c := range cases {
		f := scanText(t, c.text, false)
		if !reflect.DeepEqual(f.Includes, c.includes) || f.Computed != c.computed {
			t.Errorf("%q: includes %v computed %v, want %v %v", c.text, f.Includes, f.Computed, c.includes, c.computed)
		}
	}
}

func TestSourceScannerHasInclude(t *testing.T) {
	cases := []struct {
		text     string
		has      []Include
		computed bool
	}{
		{"#if __has_include(<a.h>)\n#endif\n", []Include{angled("a.h")}, false},
		{"#if defined __has_include && __has_include ( \"b.h\" )\n", []Include{quoted("b.h")}, false},
		{"#elif __has_include_next(<c.h>)\n", []Include{angledNext("c.h")}, false},
		{"#if __has_include__(<old.h>)\n", []Include{angled("old.h")}, false},
		{"#define HAS(x) __has_include(x)\n", nil, true},
		{"#ifdef __has_include\n#endif\n", nil, false},
		{"#if defined(__has_include)\n#endif\n", nil, false},
		{"#define H \\\n  __has_include(\\\n<spliced.h>)\n", []Include{angled("spliced.h")}, false},
		{"#if x /* __has_include(MACRO) */\n#endif\n", nil, false},
		{"#if my__has_include(<no.h>)\n", nil, false},
	}
	for _, c := range cases {
		f := scanText(t, c.text, false)
		if !reflect.DeepEqual(f.HasIncludes, c.has) || f.HasComputed != c.computed {
			t.Errorf("%q: %v %v, want %v %v", c.text, f.HasIncludes, f.HasComputed, c.has, c.computed)
		}
	}
}

func TestSourceScannerMisc(t *testing.T) {
	f := scanText(t, "const char *d = __DATE__ \" \" __TIME__;\nint __DATE__x; /* MY__TIMESTAMP__ */\n", false)
	if !reflect.DeepEqual(f.TimeMacros, []string{"__DATE__", "__TIME__"}) {
		t.Errorf("time macros %v", f.TimeMacros)
	}
	if f := scanText(t, "x = __TIMESTAMP__;", false); !reflect.DeepEqual(f.TimeMacros, []string{"__TIMESTAMP__"}) {
		t.Errorf("time macros %v", f.TimeMacros)
	}
	if f := scanText(t, "static const char d[] = {\n#embed \"blob.bin\"\n};\n", false); !f.Embed {
		t.Errorf("#embed not seen")
	}
	if f := scanText(t, "#if __has_embed(\"x\")\n#endif\n", false); !f.Embed {
		t.Errorf("__has_embed not seen")
	}
	if f := scanText(t, "#pragma GCC dependency \"parse.y\"\n", false); !f.DependencyPragma {
		t.Errorf("#pragma GCC dependency not seen")
	}
	if f := scanText(t, "#pragma GCC diagnostic push\n", false); f.DependencyPragma {
		t.Errorf("#pragma GCC diagnostic taken for dependency")
	}
}

func TestSourceScannerAsm(t *testing.T) {
	cases := []struct {
		name  string
		text  string
		asm   bool
		files []string
		bad   bool // AsmUnresolved
	}{
		{"asm incbin", "\t.incbin \"certs/signing_key.x509\"\n", true, []string{"certs/signing_key.x509"}, false},
		{"asm include and skip", "foo: .incbin \"a.bin\", 16, 32\n.include \"m.inc\"\n", true, []string{"a.bin", "m.inc"}, false},
		{"asm upper case", ".INCBIN \"up.bin\"\n", true, []string{"up.bin"}, false},
		{"asm macro", "\t.incbin\tINITRD\n", true, nil, true},
		{"asm macro arg", ".macro blob f\n.incbin \"\\f\"\n.endm\n", true, nil, true},
		{"asm comment", "/*\n * gas before 2001 did not support .incbin.\n.incbin FOO\n */\n", true, nil, false},
		{"asm line comment", "# .incbin FOO\n// .incbin BAR\n", true, nil, false},
		{"asm prose", "\t.ascii \"use .incbin FOO\"\n", true, nil, false},
		{"asm define", "#define BLOB(f) .incbin f\n", true, nil, true},
		{"asm define literal", "#define BLOB .incbin \"x.bin\"\n", true, []string{"x.bin"}, false},
		{"asm after semicolon", "nop; .incbin SYM\n", true, nil, true},
		{"asm symbol", "mov foo.incbin, %eax\n", true, nil, false},
		{"c inline", "asm(\".section .rodata\\n\\t.incbin \\\"kernel/config_data.gz\\\"\\n\");\n", false, []string{"kernel/config_data.gz"}, false},
		{"c inline lines", "asm (\n\"\t.global x\t\t\\n\"\n\"x:\t\t\\n\"\n\"\t.incbin \\\"k/x.gz\\\"\t\\n\"\n);\n", false, []string{"k/x.gz"}, false},
		{"c inline split", "asm(\".incbin \\\"\" \"split.bin\" \"\\\"\");\n", false, []string{"split.bin"}, false},
		{"c inline macro", "#define INCBIN(f) asm(\".incbin \\\"\" f \"\\\"\")\n", false, nil, true},
		{"c inline stringify", "asm(\".incbin \" STR(FILE));\n", false, nil, true},
		{"c include", "asm(\".include \\\"asm/cpu_mf-insn.h\\\"\\n\");\n", false, []string{"asm/cpu_mf-insn.h"}, false},
		{"c comment", "/*\n * from C via asm(\".include <asm/nospec-branch.h>\") but let's not go there.\n */\nint x;\n", false, nil, false},
		{"c line comment", "// asm(\".incbin \\\"\" X \"\\\"\")\n", false, nil, false},
		{"c prose string", "puts(\"we use .incbin here\");\n", false, nil, false},
		{"c designated", "struct s v = {\n\t.include = 1,\n\t.incbin = x,\n};\n", false, nil, false},
		{"c member", "v.include = p->incbin;\n", false, nil, false},
		{"c printf", "printf(\".incbin \\\"%s\\\"\\n\", argv[1]);\n", false, []string{"%s"}, false},
		{"c escape in operand", "asm(\".incbin \\\"a\\\\\\\\b\\\"\");\n", false, nil, true},
		{"c bare asm in header", "#ifdef __ASSEMBLY__\n\t.incbin BLOB\n#endif\n", false, nil, true},
		{"c char literal", "char c = '\"'; /* .incbin X */\n", false, nil, false},
		{"c hex escape", "asm(\"\\x2eincbin X\");\n", false, nil, false},
	}
	for _, c := range cases {
		f := scanText(t, c.text, c.asm)
		if !reflect.DeepEqual(f.AsmFiles, c.files) || (f.AsmUnresolved != "") != c.bad {
			t.Errorf("%s: files %q unresolved %q, want %q %v", c.name, f.AsmFiles, f.AsmUnresolved, c.files, c.bad)
		}
	}
}

// TestSourceScannerUnknownStart: a later chunk whose start was never lexed
// is resolved from both possible starts.
func TestSourceScannerUnknownStart(t *testing.T) {
	head := "int a;\n" + strings.Repeat("/* filler */ int b;\n", 100)
	for _, c := range []struct {
		tail string
		bad  bool
	}{
		{"/*\n.incbin FOO\n*/\n", false},
		{"#define X \\\n .incbin FOO\n", true},
	} {
		s := NewSourceScanner(false)
		s.Feed([]byte(head))
		s.Feed([]byte(c.tail))
		if f := s.Facts(); (f.AsmUnresolved != "") != c.bad {
			t.Errorf("%q: unresolved %q", c.tail, f.AsmUnresolved)
		}
	}
	// A chunk ending inside a comment: small pieces and big chunks are
	// lexed to their end, so the next chunk knows it starts in a comment.
	for _, filler := range []int{0, 200 << 10} {
		s := NewSourceScanner(false)
		s.Feed([]byte(strings.Repeat("int x;\n", filler/7) + "/* a comment\n"))
		s.Feed([]byte(" .incbin FOO is prose */\n"))
		if f := s.Facts(); f.AsmUnresolved != "" {
			t.Errorf("comment across chunks after %d bytes: %q", filler, f.AsmUnresolved)
		}
	}
	// A medium chunk, not lexed, followed by one whose start cannot be
	// told from either side: read as code.
	s := NewSourceScanner(false)
	s.Feed([]byte(strings.Repeat("int x;\n", 200) + "/* a comment\n"))
	s.Feed([]byte(" .incbin FOO is prose */\n"))
	if f := s.Facts(); f.AsmUnresolved == "" {
		t.Errorf("undecidable start read as comment")
	}
}

func TestSourceScannerLongLine(t *testing.T) {
	s := NewSourceScanner(false)
	line := []byte(strings.Repeat("x", 64<<10))
	for i := 0; i < 20; i++ {
		s.Feed(line)
	}
	if f := s.Facts(); f.AsmUnresolved == "" {
		t.Errorf("a 1.25 MiB line passes")
	}
}

// FuzzSourceScanner: the scanner never panics, and fed in chunks cut
// anywhere it finds what it finds fed whole, except that a chunk whose
// start it never lexed may leave it unsure where it stood: then it may only
// say more (unresolved, computed), never less.
func FuzzSourceScanner(f *testing.F) {
	for _, s := range []string{
		"#include <a.h>\n#include MACRO\n", "asm(\".incbin \\\"x\\\"\");\n", "/* .incbin X */\n.incbin Y\n",
		"#if __has_include(<a.h>)\n#endif\n__DATE__ __TIME__\n", "#define X \\\n .incbin \"f\"\n",
	} {
		f.Add([]byte(s), uint8(7), false)
	}
	f.Fuzz(func(t *testing.T, text []byte, cut uint8, asm bool) {
		s := NewSourceScanner(asm)
		s.Feed(text)
		whole := s.Facts()
		n := int(cut)%64 + 1
		c := NewSourceScanner(asm)
		for i := 0; i < len(text); i += n {
			c.Feed(text[i:min(i+n, len(text))])
		}
		parts := c.Facts()
		if whole.AsmUnresolved != "" && parts.AsmUnresolved == "" || whole.Computed && !parts.Computed || whole.HasComputed && !parts.HasComputed {
			t.Fatalf("chunks of %d say less:\n%+v\n%+v", n, parts, whole)
		}
		if parts.AsmUnresolved == "" {
			parts.Computed, parts.HasComputed = whole.Computed, whole.HasComputed
			if !reflect.DeepEqual(parts, whole) {
				t.Fatalf("chunks of %d:\n%+v\n%+v", n, parts, whole)
			}
		}
	})
}
