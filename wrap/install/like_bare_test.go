package install

import (
	"io/fs"
	"os"
	"os/exec"
	"path/filepath"
	"testing"

	"stable/internal/likebare"
)

func TestMain(m *testing.M) { likebare.Main(m, Wrapper.Main) }

// TestInstallLikeBare runs coreutils install on each command line twice in
// one directory, and stable-install twice in another set up alike; after
// each run both trees must hold the same files with the same bytes, modes,
// owners and (where install sets them deterministically, -p) mtimes, and
// the runs must exit alike and print the same. A wrapped run must also keep
// the inode and mtime of every file whose content and mode it did not
// change. Each case runs on a fresh tree and, when install wrote files,
// again with those files already there: identical, identical but mode
// 0600, and different.
func TestInstallLikeBare(t *testing.T) {
	const (
		partial = "README Known limits: a failing tool leaves the old outputs exactly as they were; install alone keeps the files it installed before the error"
	)
	cases := []likebare.Case{
		{Args: "a c"},
		{Args: "b c"},
		{Args: "-m 0644 a c"},
		{Args: "-m 755 a c"},
		{Args: "-m u+x a c"},
		{Args: "-m go-rwx b c"},
		{Args: "-m 600 b c"},
		{Args: "-m 4755 b c"},
		{Args: "-m644 a c"},
		{Args: "--mode=644 a c"},
		{Args: "--mode 640 a c"},
		{Args: "-p a c"},
		{Args: "-p -m 644 b c"},
		{Args: "--preserve-timestamps a c"},
		{Args: "-C a c"},
		{Args: "-C -m 644 a c"},
		{Args: "--compare -m 755 b c"},
		{Args: "-Cp a c"},
		{Args: "-c a c"},
		{Args: "-o root -g root a c"},
		{Args: "-g root -m 640 a c"},
		{Args: "--owner=root --group=root -m 644 a out"},
		{Args: "-D a newdir/sub/c"},
		{Args: "-D a out/c"},
		{Args: "-D -m 644 a out/deep/c"},
		{Args: "-D -t newdir a b"},
		{Args: "-D -t out a b"},
		{Args: "-d newdir"},
		{Args: "-d out/x out/y"},
		{Args: "-d -m 700 out"},
		{Args: "-t out a b"},
		{Args: "-t out -m 644 a"},
		{Args: "-pt out a b"},
		{Args: "--target-directory=out a"},
		{Args: "-T a c"},
		{Args: "-T a out"},
		{Args: "--no-target-directory b c"},
		{Args: "a out"},
		{Args: "a out/"},
		{Args: "-m 644 a out/"},
		{Args: "a b out"},
		{Args: "-m 644 -p a b out"},
		{Args: "a b c"},
		{Args: "-- a c"},
		{Args: "empty c"},
		{Args: "ro c"},
		{Args: "-p ro c"},
		{Args: "missing c"},
		{Args: "missing out"},
		{Args: "a missing out", Differs: partial, Expect: likebare.LeftByFailure},
		{Args: "-t out a missing b", Differs: partial, Expect: likebare.LeftByFailure},
		{Args: "a nodir/c"},
		{Args: "a nodir/"},
		{Args: "-t nodir a"},
		{Args: "src out"},
		{Args: "a src"},
		{Args: "a a"},
		{Args: "a ./a"},
		{Args: "a ."},
		{Args: "-t . a"},
		{Args: "-m 644 a ."},
		{Args: "a lnk"},
		{Args: "-p a lnk"},
		{Args: "-m 644 a lnk"},
		{Args: "a dlink"},
		{Args: "a dirlink"},
		{Args: "a dirlink/c"},
		{Args: "lnk c"},
		{Args: "dlink c"},
		{Args: "-s prog.o c"},
		{Args: "--strip prog.o c"},
		{Args: "-s -m 644 prog.o out/"},
		{Args: "-s a c"},
		{Args: "--strip-program=true -s prog.o c"},
		{Args: "-v a c"},
		{Args: "-b a c"},
		{Args: "-S .bak a c"},
		{Args: "--backup=numbered a c"},
		{Args: "-Z a c"},
		{Args: "--bogus a c"},
		{Args: "-m a c"},
		{Args: "-m 999 a c"},
		{Args: "-t"},
		{Args: "a"},
	}
	obj := likeObject(t)
	h := &likebare.Harness{
		Tool:  "install",
		Argv0: "stable-install",
		Setup: func(t *testing.T, dir string) {
			t.Helper()
			files := []likebare.File{
				{Name: "a", Data: "alpha\n", Mode: 0o644},
				{Name: "b", Data: "beta: an executable\n", Mode: 0o755},
				{Name: "ro", Data: "read only\n", Mode: 0o444},
				{Name: "empty", Data: "", Mode: 0o644},
				{Name: "t1", Data: "target of lnk\n", Mode: 0o640},
				{Name: "src/f1", Data: "one\n", Mode: 0o644},
				{Name: "out", Mode: 0o755 | fs.ModeDir},
				{Name: "lnk", Data: "t1", Mode: fs.ModeSymlink},
				{Name: "dlink", Data: "nothere", Mode: fs.ModeSymlink},
				{Name: "dirlink", Data: "out", Mode: fs.ModeSymlink},
			}
			if obj != "" {
				files = append(files, likebare.File{Name: "prog.o", Data: obj, Mode: 0o644})
			}
			likebare.WriteFiles(t, dir, files)
		},
	}
	h.Run(t, cases)
}

// likeObject compiles a small object with debug information for install -s;
// "" when there is no gcc.
func likeObject(t *testing.T) string {
	gcc, err := exec.LookPath("gcc")
	if err != nil {
		t.Log("gcc not installed: no object to strip")
		return ""
	}
	dir := t.TempDir()
	src := filepath.Join(dir, "prog.c")
	os.WriteFile(src, []byte("int answer(void) { return 42; }\nint data = 1;\n"), 0o644)
	if out, err := exec.Command(gcc, "-g", "-c", src, "-o", filepath.Join(dir, "prog.o")).CombinedOutput(); err != nil {
		t.Fatalf("gcc: %v\n%s", err, out)
	}
	b, err := os.ReadFile(filepath.Join(dir, "prog.o"))
	if err != nil {
		t.Fatal(err)
	}
	return string(b)
}
