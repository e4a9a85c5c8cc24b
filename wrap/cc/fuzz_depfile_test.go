package cc

import (
	"path/filepath"
	"slices"
	"strings"
	"testing"
)

// writeDepfile writes a rule the way gcc lays one out: quoted targets, a
// colon, quoted prerequisites on continuation lines.
func writeDepfile(targets, prereqs []string) []byte {
	var b strings.Builder
	for i, x := range targets {
		if i > 0 {
			b.WriteByte(' ')
		}
		b.WriteString(QuoteMake(x))
	}
	b.WriteByte(':')
	for _, x := range prereqs {
		b.WriteString(" \\\n  " + QuoteMake(x))
	}
	b.WriteByte('\n')
	return []byte(b.String())
}

// quotable says whether QuoteMake and ParseDepfile agree on a name. They do
// not on a backslash before white space, a colon or the end of the name
// (gcc doubles such backslashes, ParseDepfile reads them literally), nor on
// a target ending in a colon (nothing quotes it). ParseDepfile can produce
// such names from a hand-written depfile; misreading them is safe (the
// "input" does not exist, no record is saved).
func quotable(names []string, target bool) bool {
	for _, n := range names {
		if target && strings.HasSuffix(n, ":") {
			return false
		}
		for i := 0; i < len(n); i++ {
			if n[i] == '\\' && (i+1 == len(n) || strings.IndexByte(" \t:", n[i+1]) >= 0) {
				return false
			}
		}
	}
	return true
}

// FuzzDepfileRewrite: ParseDepfile never panics, never returns an empty
// name, and for names QuoteMake can express, parse(write(parse(x))) ==
// parse(x) with gcc's layout (continuation lines). FixDepfile, given the
// temporaries of a plan in place of its outputs, gives back exactly the
// depfile with the real names.
func FuzzDepfileRewrite(f *testing.F) {
	for _, s := range []string{
		// gcc -MMD -MP, kbuild -Wp,-MMD, clang -MD with system headers.
		"kernel/fork.o: kernel/fork.c include/linux/kconfig.h \\\n include/generated/autoconf.h include/linux/compiler_types.h\n",
		"a.o: a.c a.h \\\n b.h\na.h:\nb.h:\n",
		"x.o: x.c /usr/include/stdio.h /usr/lib/gcc/x86_64-linux-gnu/12/include/stddef.h \\\n  /usr/include/x86_64-linux-gnu/bits/types.h\n",
		"CMakeFiles/app.dir/main.c.o: /src/main.c /src/include/app.h\n",
		"dir\\ with\\ space/a.o: dir\\ with\\ space/a.c we$$ird.h \\#hash.h\n",
		"a.o x: a.c\r\n",
		"C:/src/a.o: C:/src/a.c\n",
		"a.o: a.c \\\r\n b.h\n",
		"tab\\\tname.o: a.c\n",
		": orphan.h\n",
		"a.o:\n",
		"",
		"\n\n",
		"no colon",
		"a\\:b.o: c\\:d.h\n",
		"a.o: b:c.h d.h:\n",
	} {
		f.Add([]byte(s))
	}
	f.Fuzz(func(t *testing.T, data []byte) {
		targets, prereqs, err := ParseDepfile(data)
		if err != nil {
			return
		}
		for _, n := range slices.Concat(targets, prereqs) {
			if n == "" {
				t.Fatalf("%q: an empty name in %q %q", data, targets, prereqs)
			}
		}
		if !quotable(targets, true) || !quotable(prereqs, false) {
			return
		}
		w := writeDepfile(targets, prereqs)
		t2, p2, err := ParseDepfile(w)
		if err != nil || !slices.Equal(t2, targets) || !slices.Equal(p2, prereqs) {
			t.Fatalf("round trip of %q through %q: %q %q -> %q %q (%v)", data, w, targets, prereqs, t2, p2, err)
		}

		// The compiler wrote the temporaries' names where the outputs'
		// belong (default targets): FixDepfile puts the real ones back.
		if len(targets) == 0 || strings.Contains(string(w), ".stable-") {
			return
		}
		if b := filepath.Base(targets[0]); b == "." || b == ".." || strings.HasSuffix(targets[0], "/") {
			return // a directory is no object
		}
		p := &Plan{Object: targets[0], Outputs: []Output{{Path: targets[0], Kind: "object"}}}
		fromTemp := slices.Clone(targets)
		fromTemp[0] = realTemp(targets[0])
		for i, x := range fromTemp[1:] {
			if x == targets[0] {
				fromTemp[i+1] = realTemp(x)
			}
		}
		fixed, err := FixDepfile(writeDepfile(fromTemp, prereqs), p, realTemp)
		if err != nil {
			t.Fatalf("FixDepfile(%q): %v", writeDepfile(fromTemp, prereqs), err)
		}
		if t3, p3, err := ParseDepfile(fixed); err != nil || !slices.Equal(t3, targets) || !slices.Equal(p3, prereqs) {
			t.Fatalf("FixDepfile gave %q: %q %q, want %q %q (%v)", fixed, t3, p3, targets, prereqs, err)
		}
	})
}

// TestFixDepfileLeftover: a temporary name FixDepfile cannot map back is an
// error, never a committed depfile.
func TestFixDepfileLeftover(t *testing.T) {
	p := &Plan{Object: "a.o", Outputs: []Output{{Path: "a.o", Kind: "object"}}}
	data := []byte("a.o: a.c out/.stable-123/other.h\n")
	if _, err := FixDepfile(data, p, realTemp); err == nil {
		t.Fatal("a depfile naming an unknown temporary was accepted")
	}
	data = []byte(realTemp("a.o") + ": a.c\n")
	got, err := FixDepfile(data, p, realTemp)
	if err != nil || string(got) != "a.o: a.c\n" {
		t.Fatalf("FixDepfile = %q, %v", got, err)
	}
}

func TestParseDepfile(t *testing.T) {
	for _, c := range []struct {
		in       string
		targets  []string
		prereqs  []string
		mustFail bool
	}{
		{"a.o: a.c a.h \\\n b.h\na.h:\nb.h:\n", []string{"a.o", "a.h", "b.h"}, []string{"a.c", "a.h", "b.h"}, false},
		{"a\\ b.o: c\\ d.h e$$f.h \\#g.h\n", []string{"a b.o"}, []string{"c d.h", "e$f.h", "#g.h"}, false},
		{"C:/x.o: C:/x.c\r\n", []string{"C:/x.o"}, []string{"C:/x.c"}, false},
		{"a.o: a.c \\\r\n b.h\r\n", []string{"a.o"}, []string{"a.c", "b.h"}, false},
		{"x.o y.o: z.h\n", []string{"x.o", "y.o"}, []string{"z.h"}, false},
		{"just words\n", nil, nil, true},
		{"", nil, nil, false},
	} {
		tg, pr, err := ParseDepfile([]byte(c.in))
		if (err != nil) != c.mustFail || !slices.Equal(tg, c.targets) || !slices.Equal(pr, c.prereqs) {
			t.Errorf("ParseDepfile(%q) = %q %q %v, want %q %q fail=%v", c.in, tg, pr, err, c.targets, c.prereqs, c.mustFail)
		}
	}
}

func TestQuoteMake(t *testing.T) {
	for in, want := range map[string]string{
		"a.o":     "a.o",
		"a b":     `a\ b`,
		`a\ b`:    `a\\\ b`,
		"a\tb":    "a\\\tb",
		"$x":      "$$x",
		"#h":      `\#h`,
		`c:\x.h`:  `c:\x.h`,
		"a:b":     "a:b",
		"":        "",
		`tail\\ `: `tail\\\\\ `,
	} {
		if got := QuoteMake(in); got != want {
			t.Errorf("QuoteMake(%q) = %q, want %q", in, got, want)
		}
	}
}
