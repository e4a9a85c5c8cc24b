package cc

import (
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"stable/wrap/respfile"
)

// Real command lines, as kbuild, tools/build, cmake, meson and libtool
// write them, with what Analyze must make of them.
var realLines = []struct {
	name    string
	line    string
	object  string // "" with pass: a passthrough
	depfile string
	pass    bool
}{
	{"kbuild-gcc", "gcc -Wp,-MMD,kernel/.fork.o.d -nostdinc -I./arch/x86/include -I./arch/x86/include/generated -I./include -I./arch/x86/include/uapi -I./arch/x86/include/generated/uapi -I./include/uapi -I./include/generated/uapi -include ./include/linux/compiler-version.h -include ./include/linux/kconfig.h -include ./include/linux/compiler_types.h -D__KERNEL__ -fmacro-prefix-map=./= -std=gnu11 -fshort-wchar -funsigned-char -fno-common -fno-PIE -fno-strict-aliasing -mno-sse -mno-mmx -mno-sse2 -mno-3dnow -mno-avx -fcf-protection=branch -fno-jump-tables -m64 -falign-jumps=1 -falign-loops=1 -mno-80387 -mno-fp-ret-in-387 -mpreferred-stack-boundary=3 -mskip-rax-setup -mtune=generic -mno-red-zone -mcmodel=kernel -Wno-sign-compare -fno-asynchronous-unwind-tables -mindirect-branch=thunk-extern -mindirect-branch-register -mfunction-return=thunk-extern -fpatchable-function-entry=16,16 -fno-delete-null-pointer-checks -O2 -fstack-protector-strong -fno-omit-frame-pointer -pg -mrecord-mcount -mfentry -DCC_USING_FENTRY -falign-functions=16 -Wall -Wundef -Werror=implicit-function-declaration -Wframe-larger-than=2048 -g -gdwarf-5 -DKBUILD_MODFILE=\"kernel/fork\" -DKBUILD_BASENAME=\"fork\" -DKBUILD_MODNAME=\"fork\" -D__KBUILD_MODNAME=kmod_fork -c -o kernel/fork.o kernel/fork.c",
		"kernel/fork.o", "kernel/.fork.o.d", false},
	{"kbuild-clang", "clang -Wp,-MMD,fs/.inode.o.d -nostdinc -I./arch/x86/include -I./include -include ./include/linux/kconfig.h -D__KERNEL__ --target=x86_64-linux-gnu -fintegrated-as -Werror=unknown-warning-option -Werror=ignored-optimization-argument -Werror=option-ignored -Werror=unused-command-line-argument -mno-sse -O2 -c -o fs/inode.o fs/inode.c",
		"fs/inode.o", "fs/.inode.o.d", false},
	{"kbuild-asm", "gcc -Wp,-MMD,arch/x86/entry/.entry_64.o.d -nostdinc -I./arch/x86/include -D__ASSEMBLY__ -fno-PIE -m64 -DCC_USING_FENTRY -c -o arch/x86/entry/entry_64.o arch/x86/entry/entry_64.S",
		"arch/x86/entry/entry_64.o", "arch/x86/entry/.entry_64.o.d", false},
	{"kbuild-bounds-s", "gcc -Wp,-MMD,kernel/.bounds.s.d -nostdinc -I./include -D__KERNEL__ -fverbose-asm -S -o kernel/bounds.s kernel/bounds.c",
		"kernel/bounds.s", "kernel/.bounds.s.d", false},
	{"kbuild-lds", "gcc -E -Wp,-MMD,arch/x86/kernel/.vmlinux.lds.d -nostdinc -I./include -P -Ux86 -D__ASSEMBLY__ -DLINKER_SCRIPT -o arch/x86/kernel/vmlinux.lds arch/x86/kernel/vmlinux.lds.S",
		"arch/x86/kernel/vmlinux.lds", "arch/x86/kernel/.vmlinux.lds.d", false},
	{"kbuild-cc-option", "gcc -Werror -mno-sse -c -x c /dev/null -o .tmp_123/tmp", "", "", true},
	{"kbuild-probe-devnull", "gcc -Werror -c -x c /dev/null -o /dev/null", "", "", true},
	{"tools-build", "gcc -Wp,-MD,./.fixdep.o.d -Wp,-MT,fixdep.o -O2 -fomit-frame-pointer -D\"BUILD_STR(s)=#s\" -c -o fixdep.o fixdep.c",
		"fixdep.o", "./.fixdep.o.d", false},
	{"cmake", "/usr/bin/cc -DFOO -I/src/include -O2 -g -MD -MT CMakeFiles/app.dir/main.c.o -MF CMakeFiles/app.dir/main.c.o.d -o CMakeFiles/app.dir/main.c.o -c /src/main.c",
		"CMakeFiles/app.dir/main.c.o", "CMakeFiles/app.dir/main.c.o.d", false},
	{"meson", "cc -Ilibfoo.so.p -I. -I.. -fdiagnostics-color=always -D_FILE_OFFSET_BITS=64 -Wall -Winvalid-pch -O0 -g -fPIC -MD -MQ libfoo.so.p/foo.c.o -MF libfoo.so.p/foo.c.o.d -o libfoo.so.p/foo.c.o -c ../foo.c",
		"libfoo.so.p/foo.c.o", "libfoo.so.p/foo.c.o.d", false},
	{"libtool", "gcc -DHAVE_CONFIG_H -I. -I.. -g -O2 -MT foo.lo -MD -MP -MF .deps/foo.Tpo -c foo.c -fPIC -DPIC -o .libs/foo.o",
		".libs/foo.o", ".deps/foo.Tpo", false},
	{"joined", "gcc -c -oa.o a.c -MMD -MFa.dep", "a.o", "a.dep", false},
	{"default-names", "gcc -c -MMD src/a.c", "a.o", "a.d", false},
	{"default-depfile", "gcc -c -MD -o obj/x.o x.c", "obj/x.o", "obj/x.d", false},
	{"asm-default", "clang -S x.c", "x.s", "", false},
	{"host-link", "gcc -o scripts/basic/fixdep scripts/basic/fixdep.c", "", "", true},
	{"link", "gcc -o app a.o b.o -lm", "app", "", false},
	{"link-default", "cc a.o lib.a", "a.out", "", false},
	{"link-map", "gcc -o app a.o -Wl,-Map=app.map", "", "", true},
	{"link-flto", "gcc -flto -o app a.o", "", "", true},
	{"E-stdout", "gcc -E x.c", "", "", true},
	{"split-dwarf", "gcc -gsplit-dwarf -c x.c -o x.o", "x.o", "", false},
	{"output-long", "gcc -c x.c --output=p.o", "p.o", "", false},
	{"output-long-sep", "gcc -c x.c --output p.o", "p.o", "", false},
	{"write-dependencies", "clang -c x.c --write-dependencies -o x.o", "x.o", "x.d", false},
	{"xpreprocessor-md", "gcc -Xpreprocessor -MD -c x.c -o x.o", "", "", true},
	{"fortran-md", "gfortran -MD -c x.f90 -o x.o", "", "", true},
	{"fortran-cpp-md", "gfortran -cpp -MD -c x.F90 -o x.o", "x.o", "x.d", false},
	{"version", "gcc --version", "", "", true},
	{"print-file-name", "gcc -print-file-name=libgcc.a", "", "", true},
	{"several", "gcc -c a.c b.c", "", "", true},
	{"stdin", "gcc -x c -c - -o x.o", "", "", true},
	{"M-only", "gcc -M x.c", "", "", true},
	{"depfile-is-object", "gcc -c x.c -MD -MF x.o -o x.o", "", "", true},
	{"depfile-devnull", "gcc -c x.c -MD -MF /dev/null -o x.o", "", "", true},
}

func TestAnalyzeRealLines(t *testing.T) {
	for _, c := range realLines {
		t.Run(c.name, func(t *testing.T) {
			args := splitLine(c.line)
			p := Analyze(args, t.TempDir())
			if p.Passthrough != c.pass {
				t.Fatalf("passthrough %v (%s), want %v", p.Passthrough, p.Reason, c.pass)
			}
			if c.pass {
				return
			}
			if p.Object != c.object || p.Depfile != c.depfile {
				t.Fatalf("object %q depfile %q, want %q %q", p.Object, p.Depfile, c.object, c.depfile)
			}
			if len(p.Direct) == 0 {
				checkRedirect(t, args, p, "")
			}
		})
	}
}

// splitLine splits on spaces; quotes in the table are part of the words,
// as make hands them to the shell already stripped of nothing that matters.
func splitLine(s string) []string { return strings.Fields(s) }

// realTemp is what stable.Begin gives: the output's own directory, a
// private subdirectory, the same base name.
func realTemp(p string) string {
	return filepath.Join(filepath.Dir(p), ".stable-4711", filepath.Base(p))
}

// checkRedirect verifies the redirected command line of a plan: the
// compiler reads it as writing exactly the temporaries of the outputs,
// every argument outside the outputs' own stays as the caller wrote it,
// and no real output path is written any more.
func checkRedirect(t *testing.T, args []string, p *Plan, dir string) {
	t.Helper()
	seen := map[string]bool{}
	for _, o := range p.Outputs {
		if o.Path == "" || seen[filepath.Clean(o.Path)] {
			t.Fatalf("%q: output %q empty or twice in %q", args, o.Path, p.Outputs)
		}
		seen[filepath.Clean(o.Path)] = true
	}
	if len(p.Outputs) == 0 || p.Outputs[0].Path != p.Object {
		t.Fatalf("%q: outputs %q, object %q", args, p.Outputs, p.Object)
	}
	argv := p.Argv(realTemp)
	if len(argv) < len(args) {
		t.Fatalf("%q: redirected command line shorter: %q", args, argv)
	}
	for i, a := range args {
		if argv[i] == a {
			continue
		}
		ok := false
		for _, o := range p.Outputs {
			if strings.Contains(a, o.Path) && argv[i] == strings.Replace(a, o.Path, realTemp(o.Path), 1) ||
				strings.HasSuffix(a, o.Path) && argv[i] == strings.TrimSuffix(a, o.Path)+realTemp(o.Path) {
				ok = true
			}
		}
		if !ok {
			t.Fatalf("%q: argument %d %q became %q, which is no output's temporary", args, i, a, argv[i])
		}
	}
	joined := "\x00" + strings.Join(argv, "\x00") + "\x00"
	for _, o := range p.Outputs {
		if o.Kind == "depfile" && p.depArg < 0 {
			continue // derived by the compiler from the object's temporary
		}
		if !strings.Contains(joined, realTemp(o.Path)) {
			t.Fatalf("%q: output %q not redirected: %q", args, o.Path, argv)
		}
	}
	// Read back as the compiler reads it: it writes the temporaries and
	// nothing else.
	q := Analyze(argv, dir)
	if q.Passthrough {
		t.Fatalf("%q: redirected %q passes through: %s", args, argv, q.Reason)
	}
	if !slices.Equal(q.Sources, p.Sources) {
		t.Fatalf("%q: sources %q became %q", args, p.Sources, q.Sources)
	}
	if q.Object != realTemp(p.Object) {
		t.Fatalf("%q: redirected %q writes object %q, want %q", args, argv, q.Object, realTemp(p.Object))
	}
	if p.Depfile != "" && q.Depfile != realTemp(p.Depfile) {
		t.Fatalf("%q: redirected %q writes depfile %q, want %q", args, argv, q.Depfile, realTemp(p.Depfile))
	}
	if p.Depfile == "" && q.Depfile != "" {
		t.Fatalf("%q: redirected %q writes a depfile %q the caller did not ask for", args, argv, q.Depfile)
	}
	for _, o := range q.Outputs {
		if seen[filepath.Clean(o.Path)] {
			t.Fatalf("%q: redirected %q still writes the real %q", args, argv, o.Path)
		}
	}
}

// TestArgvWantDepfile: the wrapper's own depfile is asked for only when the
// caller asked for none, and it is the last -MF the compiler sees.
func TestArgvWantDepfile(t *testing.T) {
	p := Analyze(splitLine("gcc -O2 -c -o x.o x.c"), "")
	p.WantDepfile("/tmp/.stable-1/.stable-deps.d")
	argv := p.Argv(realTemp)
	q := Analyze(argv, "")
	if q.Passthrough || q.Depfile != "/tmp/.stable-1/.stable-deps.d" || q.Object != realTemp("x.o") {
		t.Fatalf("%q: object %q depfile %q (%s)", argv, q.Object, q.Depfile, q.Reason)
	}
	p = Analyze(splitLine("gcc -MMD -c -o x.o x.c"), "")
	p.WantDepfile("/tmp/own.d")
	if argv := p.Argv(realTemp); slices.Contains(argv, "/tmp/own.d") {
		t.Fatalf("own depfile asked for although the caller has one: %q", argv)
	}
}

// TestAnalyzeResponseFiles: options read from @files are understood; an
// output named inside one cannot be rewritten, so that compile passes
// through.
func TestAnalyzeResponseFiles(t *testing.T) {
	dir := t.TempDir()
	write := func(name, s string) {
		if err := os.WriteFile(filepath.Join(dir, name), []byte(s), 0o666); err != nil {
			t.Fatal(err)
		}
	}
	write("flags.rsp", "-O2 '-DX=a b' \"-I inc\" -c\n-MMD\n")
	write("out.rsp", "-o x.o")
	write("nested.rsp", "@flags.rsp -Wall")
	write("loop.rsp", "@loop.rsp")

	p := Analyze([]string{"gcc", "@flags.rsp", "-o", "x.o", "x.c"}, dir)
	if p.Passthrough || p.Object != "x.o" || p.Depfile != "x.d" {
		t.Fatalf("flags.rsp: %+v", p)
	}
	checkRedirect(t, p.Args, p, dir)
	if p := Analyze([]string{"gcc", "@nested.rsp", "-o", "x.o", "x.c"}, dir); p.Passthrough || p.Object != "x.o" {
		t.Fatalf("nested.rsp: %+v", p)
	}
	for _, args := range [][]string{
		{"gcc", "-c", "x.c", "@out.rsp"},
		{"gcc", "-c", "x.c", "@missing.rsp"},
		{"gcc", "-c", "x.c", "@loop.rsp"},
		{"gcc", "-c", "x.c", "-o", "@out.rsp"},
	} {
		if p := Analyze(args, dir); !p.Passthrough {
			t.Errorf("%q: not passed through: object %q", args, p.Object)
		}
	}
}

func TestSplitResponse(t *testing.T) {
	for in, want := range map[string][]string{
		"a b\tc\n":          {"a", "b", "c"},
		`'a b' "c d" e\ f`:  {"a b", "c d", "e f"},
		`"" ''`:             {"", ""},
		`a"b c"d`:           {"ab cd"},
		`\\ \'`:             {`\`, `'`},
		"":                  nil,
		"   \n\t ":          nil,
		`"unterminated a b`: {"unterminated a b"},
	} {
		if got := respfile.Split(in); !slices.Equal(got, want) {
			t.Errorf("Split(%q) = %q, want %q", in, got, want)
		}
	}
}

func TestSearchDirs(t *testing.T) {
	p := Analyze(splitLine("gcc -idirafter late -Iinc -isystem sys -iquote q -Iinc2 -c src/x.c"), "")
	want := []string{"src", "q", "inc", "inc2", "sys", "late"}
	if got := p.SearchDirs(); !slices.Equal(got, want) {
		t.Fatalf("SearchDirs = %q, want %q", got, want)
	}
}

func TestNoRecordOptions(t *testing.T) {
	for _, line := range []string{
		"gcc -fprofile-use=x.gcda -c x.c",
		"gcc -fplugin=./p.so -c x.c",
		"clang --config my.cfg -c x.c",
		"clang -Xclang -load -Xclang p.so -c x.c",
	} {
		p := Analyze(splitLine(line), "")
		if p.Passthrough || p.NoRecord == "" {
			t.Errorf("%s: passthrough %v, NoRecord %q", line, p.Passthrough, p.NoRecord)
		}
	}
}
