package cc

import (
	"slices"
	"strings"
	"testing"
)

func fuzzTemp(p string) string { return "/tmp/T/.stable-x/" + p }

// FuzzAnalyze: any compiler command line either passes through or gives
// distinct outputs that the redirected command line names by temporary.
func FuzzAnalyze(f *testing.F) {
	for _, s := range []string{
		"gcc -c a.c -o a.o",
		"gcc -Wp,-MMD,dir/.a.o.d -nostdinc -Iinclude -c -o dir/a.o dir/a.c",
		"clang -MD -MF a.d -MQ a.o -c a.c",
		"gcc -c a.c b.c",
		"gcc -S a.c",
		"gcc -E a.c -o a.i",
		"gcc -o app a.o b.o",
		"gcc -gsplit-dwarf -c a.c",
		"gcc -x c -c - -o x.o",
		"gcc -c -oa.o a.c -MMD -MP",
		"clang --serialize-diagnostics a.dia -c a.c",
		"gcc @args.rsp",
		"gcc -c a.c -o /dev/null",
		"gcc -print-file-name=libgcc.a",
	} {
		f.Add(strings.ReplaceAll(s, " ", "\x00"))
	}
	dir := f.TempDir()
	f.Fuzz(func(t *testing.T, s string) {
		args := strings.Split(s, "\x00")
		p := Analyze(args, dir)
		if p.Passthrough {
			return
		}
		seen := map[string]bool{}
		for _, o := range p.Outputs {
			if o.Path == "" || seen[o.Path] {
				t.Fatalf("output %q empty or twice in %q", o.Path, args)
			}
			seen[o.Path] = true
		}
		argv := p.Argv(fuzzTemp)
		joined := strings.Join(argv, "\x00")
		for _, o := range p.Outputs {
			if o.Kind == "depfile" && p.depArg < 0 {
				// -MD without -MF: the compiler derives the name from the
				// object's, which is redirected.
				continue
			}
			if !strings.Contains(joined, fuzzTemp(o.Path)) {
				t.Fatalf("output %q not redirected: %q", o.Path, argv)
			}
		}
	})
}

// FuzzDepfile: parsing never panics, and what QuoteMake writes parses back
// to the same names.
func FuzzDepfile(f *testing.F) {
	for _, s := range []string{
		"a.o: a.c a.h \\\n b.h\n",
		"a.o: a\\ b.h c$$d.h \\#e.h\nb.h:\n",
		"dir/x.o dir/y.o: C:/x.h\r\n",
		"",
		"no colon here",
	} {
		f.Add([]byte(s))
	}
	f.Fuzz(func(t *testing.T, data []byte) {
		targets, prereqs, err := ParseDepfile(data)
		if err != nil || !representable(targets) || !representable(prereqs) {
			return
		}
		var b strings.Builder
		for _, x := range targets {
			b.WriteString(QuoteMake(x) + " ")
		}
		b.WriteString(":")
		for _, x := range prereqs {
			b.WriteString(" " + QuoteMake(x))
		}
		b.WriteString("\n")
		t2, p2, err := ParseDepfile([]byte(b.String()))
		if len(targets) == 0 {
			return // a rule without targets has nothing to write back
		}
		if err != nil || !slices.Equal(t2, targets) || !slices.Equal(p2, prereqs) {
			t.Fatalf("round trip of %q: %q %q -> %q %q (%v)", data, targets, prereqs, t2, p2, err)
		}
	})
}

// representable leaves out names whose make quoting is ambiguous and which
// no build here produces: backslashes (make and the compilers disagree on
// them), a trailing colon, line breaks. Misreading such a name is safe: the
// "input" does not exist, so no record is saved and the tool always runs.
func representable(names []string) bool {
	for _, n := range names {
		if strings.HasSuffix(n, ":") || strings.ContainsAny(n, "\\\r\n") {
			return false
		}
	}
	return true
}
