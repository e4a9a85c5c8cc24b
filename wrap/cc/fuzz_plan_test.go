package cc

import (
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"
)

// FuzzPlanRedirect: any command line either passes through, or gives a
// plan whose outputs are distinct and non-empty and whose redirected
// command line, read back as the compiler reads it, writes exactly the
// temporaries: each one where its real path was, no real output left, no
// other argument changed (checkRedirect). Seeds are real kbuild, tools/build,
// cmake, meson and libtool lines, and response files.
func FuzzPlanRedirect(f *testing.F) {
	for _, c := range realLines {
		f.Add(strings.Join(splitLine(c.line), "\x00"))
	}
	for _, s := range []string{
		"gcc\x00@flags.rsp\x00-o\x00x.o\x00x.c",
		"gcc\x00-c\x00x.c\x00@out.rsp",
		"gcc\x00@deps.rsp\x00-c\x00x.c",
		"cc\x00-c\x00x.c\x00-o\x00",
		"gcc\x00-S\x00-c\x00a.c",
		"gcc\x00-Wp,-MD,a.d,-MF,b.d\x00-c\x00a.c",
		"gcc\x00-c\x00a.c\x00-MMD\x00-o\x00a",
		"gcc\x00-c\x00a.c\x00-MD\x00-o\x00.o",
		"clang\x00-x\x00c\x00-c\x00a\x00-MD\x00-MFa.d\x00-MTa.o",
		"gcc\x00-c\x00a.c\x00-o\x00d/\x00-MD",
	} {
		f.Add(s)
	}
	dir := f.TempDir()
	for name, s := range map[string]string{
		"flags.rsp": "-O2 '-DX=a b' -c -MMD",
		"out.rsp":   "-o x.o",
		"deps.rsp":  "-MD -MF y.d",
	} {
		if err := os.WriteFile(filepath.Join(dir, name), []byte(s), 0o666); err != nil {
			f.Fatal(err)
		}
	}
	f.Fuzz(func(t *testing.T, s string) {
		args := strings.Split(s, "\x00")
		p := Analyze(slices.Clone(args), dir)
		if !slices.Equal(p.Args, args) {
			t.Fatalf("Analyze changed its arguments: %q -> %q", args, p.Args)
		}
		p.SearchDirs()
		if p.Passthrough {
			if p.Reason == "" {
				t.Fatalf("%q: passthrough without a reason", args)
			}
			return
		}
		for _, o := range p.Outputs {
			if b := filepath.Base(o.Path); strings.HasSuffix(o.Path, "/") || b == "." || b == ".." {
				return // a directory: the compiler fails to write it, with or without the wrapper
			}
		}
		if len(p.Direct) > 0 {
			return // runs as it is: nothing is redirected
		}
		checkRedirect(t, args, p, dir)
		if p.Link {
			// The linker's dependency file is the wrapper's own, added last.
			p.WantDepfile("/tmp/.stable-1/.stable-deps.d")
			if argv := p.Argv(realTemp); argv[len(argv)-1] != "-Wl,--dependency-file=/tmp/.stable-1/.stable-deps.d" {
				t.Fatalf("%q: link without its dependency file: %q", args, argv)
			}
			return
		}
		// The wrapper's own depfile, when the caller asked for none, is
		// where the compiler writes its dependencies; a Fortran source
		// without the preprocessor gets none (action.go: gfortran would
		// refuse -MD there).
		if p.Depfile == "" && !p.noCpp {
			own := filepath.Join(filepath.Dir(realTemp(p.Object)), ".stable-deps.d")
			p.WantDepfile(own)
			if q := Analyze(p.Argv(realTemp), dir); q.Passthrough || q.Depfile != own || q.Object != realTemp(p.Object) {
				t.Fatalf("%q with own depfile: object %q depfile %q passthrough %v (%s)", args, q.Object, q.Depfile, q.Passthrough, q.Reason)
			}
		}
	})
}
