package cc

import (
	"bytes"
	"fmt"
	"io/fs"
	"os"
	"os/exec"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"syscall"
	"testing"

	"stable/internal/likebare"
)

// TestCompileLikeBare runs real compilers twice on each command line:
// alone, and through stablecc (this binary under that name, with an empty
// record store), in directories set up alike. Both must end alike: same exit status, same files with the
// same bytes, same stdout. Command lines the wrapper passes through are
// the compiler alone by definition and pass.
func TestCompileLikeBare(t *testing.T) {
	cases := []struct {
		line string
		vary []string // outputs that differ between two runs of the compiler alone: compared by presence
	}{
		{line: "-c a.c"},
		{line: "-c a.c -o out/a.o"},
		{line: "-O2 -Wp,-MMD,out/.a.o.d -Iinc -c -o out/a.o a.c"},
		{line: "-MD -MF a.dep -MT custom -c a.c -o a.o"},
		{line: "-MMD -MP -c a.c"},
		{line: "-MD -c sub/b.c -o out/b.o"},
		{line: "-S a.c"},
		{line: "-S -MMD a.c -o out/a.s"},
		{line: "-E a.c -o out/a.i"},
		{line: "-E -MD a.c -o a.i"},
		{line: "-x c -c noext -o noext.o"},
		{line: "-c -S a.c"},
		{line: "-x c -c noext"},
		{line: "-x c -c /dev/null -o out/null.o"},
		{line: "-MMD -c sub/b.c"},
		{line: "-c a.c -o out/a.o -MMD"},
		{line: "-c a.c -include a.h -o a.o -MD -MF a.o.d -MQ $(obj)/a.o"},
		{line: "-c a.c -Wp,-MMD,x.d,-MT,x -o a.o"},
		{line: "-Wp,-MD,./.a.o.d -Wp,-MT,a.o -c -o a.o a.c"},
		{line: "-MD -MF a.d -MF b.d -c a.c -o x.o"},
		{line: "-Wp,-MD,a.d -Wp,-MD,b.d -c a.c -o x.o"},
		{line: "-Wp,-MMD,b.d -MD -MF a.d -c a.c -o x.o"},
		{line: "-Wp,-MD,a.d,-MF,b.d -c a.c -o x.o"},
		{line: "-MD -c a.c -o x.o -o y.o"},
		{line: "-c a.c -o x.o -o y.o"},
		{line: "-S -c a.c"},
		{line: "-E -c a.c"},
		{line: "-c a.c -o a.c"},
		{line: "-c a.c -o ''"},
		{line: "-c a.c -MF x.d -o a.o"},
		{line: "-g -gsplit-dwarf -c a.c -o out/a.o"},
		{line: "-g -gsplit-dwarf -MD -c a.c"},
		{line: "-save-temps -c a.c"},
		{line: "-save-temps=obj -c a.c -o out/a.o"},
		{line: "-fprofile-arcs -ftest-coverage -c a.c -o out/a.o", vary: []string{"out/a.gcno", "out/a.o"}},
		{line: "-c s.S -o out/s.o -MD"},
		{line: "-MD -MT a.o -MT b.o -c a.c"},
		{line: "-Wp,-MD,a.d -MT x -c a.c -o a.o"},
		{line: "-c a.c -o missing/a.o"},
		{line: "-c nothere.c -o out/n.o"},
		{line: "-ftime-trace -c a.c -o out/a.o", vary: []string{"out/a.json"}},
		{line: "--serialize-diagnostics out/a.dia -c a.c -o out/a.o"},
		{line: "-fsave-optimization-record -c a.c -o out/a.o", vary: []string{"out/a.c.opt-record.json.gz"}},
		{line: "-MMD -MF missing/a.d -c a.c -o a.o"},
		{line: "-c a.c -o out/a.o -MD -MP -MF out/a.d"},
		{line: "-x c -c a.h -o h.o"},
		{line: "-c inc/../a.c -o ./out/./a.o -MD"},
		{line: "-g -fdebug-prefix-map=.=/x -c a.c -o out/a.o"},
		{line: "-c a.c -o out/a.o -Werror -Wunused-variable -DBAD"},
		{line: "-c a.c -o out/a.o -DWARN"},
		{line: "-MD -c long.c -o out/long.o"},
		{line: "-MMD -c long.c"},
		{line: "-MD -S long.c -o out/long.s"},
		{line: "-MD -c inc/../long.c -o ./out/./long.o"},
		{line: "-MMD -MP -c long.c -o out/$x.o"},
		{line: "-MD -E long.c -o out/long.i"},
		{line: "-Wp,-MMD,out/.long.o.d -c long.c -o out/long.o"},
	}
	for _, cc := range []string{"gcc", "clang"} {
		path, err := exec.LookPath(cc)
		if err != nil {
			t.Logf("%s not installed", cc)
			continue
		}
		for _, c := range cases {
			t.Run(cc+"/"+c.line, func(t *testing.T) {
				args := append([]string{path}, shellWords(c.line)...)
				dir := t.TempDir()
				setupSources(t, dir)
				code1, out1 := runBare(t, dir, args)
				bare := ccSnapshot(t, dir)
				os.RemoveAll(dir)
				os.MkdirAll(dir, 0o777)
				setupSources(t, dir)

				_, p := NewAction(args, dir)
				if p.Passthrough {
					t.Logf("passthrough: %s", p.Reason) // run unmodified
				}
				store := t.TempDir()
				code2, out2 := runWrapped(t, dir, store, args)
				wrapped := ccSnapshot(t, dir)
				for _, f := range c.vary {
					if _, ok := bare[f]; ok {
						bare[f] = "(varies)"
					}
					if _, ok := wrapped[f]; ok {
						wrapped[f] = "(varies)"
					}
				}
				diff := compareTrees(bare, wrapped)
				if code1 != code2 || diff != "" || !bytes.Equal(out1, out2) {
					msg := "exit " + strconv.Itoa(code1) + " alone, " + strconv.Itoa(code2) + " wrapped; " + diff
					if !bytes.Equal(out1, out2) {
						msg += fmt.Sprintf("; output differs:\n%s\nalone, and wrapped:\n%s", out1, out2)
					}
					t.Fatalf("plan object %q depfile %q: %s", p.Object, p.Depfile, msg)
				}
				if code1 != 0 || p.Passthrough || len(c.vary) > 0 {
					return
				}
				// Again, as make asks after a touch: a record hit must leave
				// the same files and print the same, the object untouched,
				// and a depfile fixdep deleted written back as it was.
				objStat, _ := os.Stat(filepath.Join(dir, p.Object))
				if p.Depfile != "" {
					os.Remove(filepath.Join(dir, p.Depfile))
				}
				code3, out3 := runWrapped(t, dir, store, args)
				again := ccSnapshot(t, dir)
				for _, f := range c.vary {
					if _, ok := again[f]; ok {
						again[f] = "(varies)"
					}
				}
				if d := compareTrees(bare, again); code3 != 0 || d != "" || !bytes.Equal(out1, out3) {
					t.Fatalf("second wrapped run: exit %d; %s; output %q, alone %q", code3, d, out3, out1)
				}
				if st, err := os.Stat(filepath.Join(dir, p.Object)); err != nil || !os.SameFile(st, objStat) || !st.ModTime().Equal(objStat.ModTime()) {
					t.Fatalf("second wrapped run replaced %s", p.Object)
				}
			})
		}
	}
}

// shellWords splits on spaces; a word of two single quotes is empty.
func shellWords(s string) []string {
	var out []string
	for _, w := range strings.Fields(s) {
		if w == "''" {
			w = ""
		}
		out = append(out, w)
	}
	return out
}

// longSource includes headers with long names, so that depfile lines wrap:
// a target of another length would wrap them elsewhere.
var longSource = func() string {
	var b strings.Builder
	for i := range 12 {
		fmt.Fprintf(&b, "#include \"inc/a_header_with_a_rather_long_name_%d.h\"\n", i)
	}
	return b.String() + "int l;\n"
}()

func setupSources(t *testing.T, dir string) {
	t.Helper()
	files := map[string]string{
		"a.c":     "#include \"a.h\"\nint a(void) { return A; }\n#ifdef BAD\nvoid u(void) { int unused; }\n#endif\n#ifdef WARN\n#warning a warning\n#endif\n",
		"s.S":     "#define X 1\n.globl s\ns: ret\n",
		"long.c":  longSource,
		"a.h":     "#define A 1\n",
		"inc/i.h": "#define I 2\n",
		"sub/b.c": "#include \"b.h\"\nint b(void) { return B; }\n",
		"sub/b.h": "#define B 3\n",
		"noext":   "int n;\n",
	}
	for i := range 12 {
		files[fmt.Sprintf("inc/a_header_with_a_rather_long_name_%d.h", i)] = fmt.Sprintf("#define L%d\n", i)
	}
	for name, s := range files {
		p := filepath.Join(dir, name)
		os.MkdirAll(filepath.Dir(p), 0o777)
		if err := os.WriteFile(p, []byte(s), 0o666); err != nil {
			t.Fatal(err)
		}
	}
	os.MkdirAll(filepath.Join(dir, "out"), 0o777)
}

func ccSnapshot(t *testing.T, dir string) map[string]string {
	t.Helper()
	m := map[string]string{}
	filepath.WalkDir(dir, func(p string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() {
			return nil
		}
		rel, _ := filepath.Rel(dir, p)
		b, _ := os.ReadFile(p)
		m[rel] = string(b)
		return nil
	})
	return m
}

func compareTrees(a, b map[string]string) string {
	var d []string
	for k, v := range a {
		w, ok := b[k]
		switch {
		case !ok:
			d = append(d, k+" only alone")
		case v != w:
			d = append(d, k+" differs")
		}
	}
	for k := range b {
		if _, ok := a[k]; !ok {
			d = append(d, k+" only wrapped")
		}
	}
	slices.Sort(d)
	return strings.Join(d, ", ")
}

func runBare(t *testing.T, dir string, args []string) (int, []byte) {
	t.Helper()
	return runIn(t, dir, exec.Command(args[0], args[1:]...))
}

// runWrapped runs the command line through stablecc: this test binary,
// started under that name (see TestMain), with the record store given.
func runWrapped(t *testing.T, dir, store string, args []string) (int, []byte) {
	t.Helper()
	cmd := exec.Command(os.Args[0], args...)
	cmd.Args[0] = "stablecc"
	cmd.Env = append(os.Environ(), likebare.Env+"=1", "STABLE_DIR="+store,
		"STABLE_DISABLE=", "STABLE_NORECORDS=", "STABLE_DEBUG=", "STABLE_LOG=")
	return runIn(t, dir, cmd)
}

// runIn returns the exit status, and stdout followed by stderr.
func runIn(t *testing.T, dir string, cmd *exec.Cmd) (int, []byte) {
	t.Helper()
	cmd.Dir = dir
	var out, errs bytes.Buffer
	cmd.Stdout, cmd.Stderr = &out, &errs
	err := cmd.Run()
	if err != nil && cmd.ProcessState == nil {
		t.Fatal(err)
	}
	return cmd.ProcessState.ExitCode(), append(out.Bytes(), errs.Bytes()...)
}

func TestMain(m *testing.M) { likebare.Main(m, Wrapper.Main) }

// TestCompileDestLikeBare runs gcc and clang alone and through stablecc
// on command lines whose destinations are not plain files: an -o that is a
// symlink (the compilers replace the link), a dangling one, a depfile that
// is a symlink (the compilers write through it), an object with a second
// hard link (the compilers write a new file: the other link keeps the old
// content), an output in a symlinked directory. The trees must end alike
// (content, modes, link targets), fresh and over existing outputs, and
// stablecc must keep what it did not change.
func TestCompileDestLikeBare(t *testing.T) {
	cases := []likebare.Case{
		{Args: "-c a.c -o link.o"},
		{Args: "-MD -c a.c -o link.o"},
		{Args: "-c a.c -o dlink.o"},
		{Args: "-S a.c -o link.s"},
		{Args: "-MD -c a.c -o x.o"},
		{Args: "-MD -MF dep.d -c a.c -o x.o"},
		{Args: "-Wp,-MMD,dep.d -c a.c -o x.o"},
		{Args: "-c a.c -o hl.o"},
		{Args: "-MD -c a.c -o hl.o"},
		{Args: "-c a.c -o dirlink/a.o"},
		{Args: "-MD -c a.c -o dirlink/a.o"},
	}
	// Where an output is there already with the same bytes and the fixed
	// 2021 mtime the harness gives it, that mtime is older than inputs of
	// the compile (/usr/include/stdc-predef.h): stablecc keeps the file and
	// gives it the current time (README, stable/settle.go). Only the
	// outputs themselves may show that; a second hard link may not.
	for i := range cases {
		cases[i].Differs = "an unchanged output older than its inputs gets the current time (settling)"
		cases[i].Expect = []string{`^run 1: (x|link|objdir/a|hl|t|real)\.(o|d|s) unchanged but rewritten by the wrapped run \(new inode or mtime\)$`}
	}
	for _, cc := range []string{"gcc", "clang"} {
		t.Run(cc, func(t *testing.T) {
			h := &likebare.Harness{Tool: cc, Argv0: "stablecc", Pre: []string{cc}, Setup: setupDest}
			h.Run(t, cases)
		})
	}
}

// setupDest makes the sources and the odd destinations of
// TestCompileDestLikeBare.
func setupDest(t *testing.T, dir string) {
	t.Helper()
	likebare.WriteFiles(t, dir, []likebare.File{
		{Name: "a.c", Data: "int a(void) { return 1; }\n", Mode: 0o644},
		{Name: "t.o", Data: "target of link.o\n", Mode: 0o644},
		{Name: "link.o", Data: "t.o", Mode: fs.ModeSymlink},
		{Name: "t.s", Data: "target of link.s\n", Mode: 0o644},
		{Name: "link.s", Data: "t.s", Mode: fs.ModeSymlink},
		{Name: "dlink.o", Data: "nothere.o", Mode: fs.ModeSymlink},
		{Name: "real.d", Data: "old depfile\n", Mode: 0o644},
		{Name: "x.d", Data: "real.d", Mode: fs.ModeSymlink},
		{Name: "dep.d", Data: "real.d", Mode: fs.ModeSymlink},
		{Name: "hl.o", Data: "hard linked object\n", Mode: 0o644},
		{Name: "hl2.o", Data: "hl.o", Mode: fs.ModeType}, // hard link to hl.o
		{Name: "objdir", Mode: 0o755 | fs.ModeDir},
		{Name: "dirlink", Data: "objdir", Mode: fs.ModeSymlink},
	})
}

// TestCompileUmaskLikeBare runs compiles alone and through stablecc under
// umask 077 and 022: a new object, assembler file or depfile gets 0666
// less the umask; the trees (modes included) must end alike, fresh and
// over existing outputs. (testscripts/nw_umask.txtar covers a record hit
// that writes a deleted depfile back, and a umask changed between runs.)
func TestCompileUmaskLikeBare(t *testing.T) {
	cases := []likebare.Case{
		{Args: "-c a.c -o x.o"},
		{Args: "-MD -c a.c -o x.o"},
		{Args: "-S a.c -o x.s"},
		{Args: "-MMD -c a.c -o objdir/a.o"},
	}
	for i := range cases {
		cases[i].Differs = "an unchanged output older than its inputs gets the current time (settling)"
		cases[i].Expect = []string{`^run 1: (x|objdir/a)\.(o|d|s) unchanged but rewritten by the wrapped run \(new inode or mtime\)$`}
	}
	for _, mask := range []int{0o077, 0o022} {
		t.Run(fmt.Sprintf("umask%03o", mask), func(t *testing.T) {
			old := syscall.Umask(mask)
			t.Cleanup(func() { syscall.Umask(old) })
			for _, cc := range []string{"gcc", "clang"} {
				t.Run(cc, func(t *testing.T) {
					h := &likebare.Harness{Tool: cc, Argv0: "stablecc", Pre: []string{cc}, Setup: setupUmask}
					h.Run(t, cases)
				})
			}
		})
	}
}

// setupUmask makes the source and the output directory of
// TestCompileUmaskLikeBare.
func setupUmask(t *testing.T, dir string) {
	t.Helper()
	likebare.WriteFiles(t, dir, []likebare.File{
		{Name: "a.c", Data: "int a(void) { return 1; }\n", Mode: 0o644},
		{Name: "objdir", Mode: 0o755 | fs.ModeDir},
	})
}
