package cc

import (
	"bytes"
	"io"
	"io/fs"
	"os"
	"os/exec"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"testing"

	"stable/stable"
)

// TestCompileLikeBare runs real compilers twice on each command line:
// alone, and through NewAction and stable.Do (temporaries, commit, no
// records), in the same directory. Both must end alike: same exit status, same files with the
// same bytes, same stdout. Command lines the wrapper passes through are
// the compiler alone by definition and pass.
func TestCompileLikeBare(t *testing.T) {
	cases := []struct {
		line string
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

				// stable's temporaries are made relative to the process's
				// directory, as in a real wrapper (Action.Dir is not used
				// for them), so compile from inside dir.
				t.Chdir(dir)
				a, p := NewAction(args, "")
				if a.Passthrough != "" {
					t.Logf("passthrough: %s", a.Passthrough) // the compiler alone
					return
				}
				code2, out2 := runWrapped(t, a)
				wrapped := ccSnapshot(t, dir)
				diff := compareTrees(bare, wrapped)
				if code1 != code2 || diff != "" || !bytes.Equal(out1, out2) {
					msg := "exit " + strconv.Itoa(code1) + " alone, " + strconv.Itoa(code2) + " wrapped; " + diff
					if !bytes.Equal(out1, out2) {
						msg += "; stdout differs (" + strconv.Itoa(len(out1)) + " bytes alone, " + strconv.Itoa(len(out2)) + " wrapped)"
					}
					t.Fatalf("plan object %q depfile %q: %s", p.Object, p.Depfile, msg)
				}
			})
		}
	}
}

// shellWords splits on spaces; ” is an empty word.
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

func setupSources(t *testing.T, dir string) {
	t.Helper()
	files := map[string]string{
		"a.c":     "#include \"a.h\"\nint a(void) { return A; }\n",
		"a.h":     "#define A 1\n",
		"inc/i.h": "#define I 2\n",
		"sub/b.c": "#include \"b.h\"\nint b(void) { return B; }\n",
		"sub/b.h": "#define B 3\n",
		"noext":   "int n;\n",
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
	cmd := exec.Command(args[0], args[1:]...)
	cmd.Dir = dir
	var out bytes.Buffer
	cmd.Stdout = &out
	cmd.Stderr = io.Discard
	err := cmd.Run()
	if err != nil && cmd.ProcessState == nil {
		t.Fatal(err)
	}
	return cmd.ProcessState.ExitCode(), out.Bytes()
}

// runWrapped does the action with the process's stdout and stderr sent to
// files, as the tool inherits them.
func runWrapped(t *testing.T, a *stable.Action) (int, []byte) {
	t.Helper()
	outF, err := os.CreateTemp(t.TempDir(), "stdout")
	if err != nil {
		t.Fatal(err)
	}
	errF, _ := os.Create(outF.Name() + ".err")
	saveOut, saveErr := os.Stdout, os.Stderr
	os.Stdout, os.Stderr = outF, errF
	out, doErr := stable.Do(a)
	os.Stdout, os.Stderr = saveOut, saveErr
	outF.Close()
	errF.Close()
	if doErr != nil && out.Status.OK() {
		t.Fatalf("stable.Do: %v", doErr)
	}
	b, _ := os.ReadFile(outF.Name())
	return out.Status.Code, b
}
