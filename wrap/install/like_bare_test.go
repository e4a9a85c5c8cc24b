package install

import (
	"fmt"
	"io/fs"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"syscall"
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
		owned   = "the owner changes (root and nobody): the destination is replaced, as install alone replaces it; the harness counts only content and mode as a change"
	)
	// rewritten is the shape of the owned difference: the destination,
	// whose content and mode stayed, got a new inode (in the variant where
	// it was there already, root's, with the same content and mode).
	rewritten := func(name string) []string {
		return []string{`^run 1: ` + regexp.QuoteMeta(name) + ` unchanged but rewritten by the wrapped run`}
	}
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
		// Owners by name: the installed file is nobody's (install runs as
		// root here), on a fresh destination and over one of root's.
		{Args: "-o nobody -g nogroup a c", Differs: owned, Expect: rewritten("c")},
		{Args: "-o nobody -g nogroup -m 640 a out/", Differs: owned, Expect: rewritten("out/a")},
		{Args: "-o nobody a c", Differs: owned, Expect: rewritten("c")},
		{Args: "-g nogroup -m 600 b c", Differs: owned, Expect: rewritten("c")},
		{Args: "--owner=nobody --group=nogroup -p a c", Differs: owned, Expect: rewritten("c")},
		{Args: "-C -o nobody -g nogroup a c", Differs: owned, Expect: rewritten("c")},
		{Args: "-o nobody -g nogroup a own"},
		{Args: "a own", Differs: owned, Expect: rewritten("own")},
		{Args: "-D -o nobody -g nogroup a newdir/c", Differs: owned, Expect: rewritten("newdir/c")},
		// A destination with a second hard link: install puts a new file in
		// place, and the other link keeps the old content.
		{Args: "a hd1"},
		{Args: "-m 644 -p b hd1"},
		{Args: "-C a hd1"},
		{Args: "-t hdir a"},
	}
	h := &likebare.Harness{Tool: "install", Argv0: "stable-install", Setup: installSetup(likeObject(t))}
	h.Run(t, cases)
}

// TestInstallLikeBareUmask runs command lines whose installed files get
// modes from the umask (install's default 0755 and -m are not filtered by
// it; -D's new directories are), alone and wrapped, under umask 077 and
// 022.
func TestInstallLikeBareUmask(t *testing.T) {
	cases := []likebare.Case{
		{Args: "a c"},
		{Args: "-m 644 a c"},
		{Args: "-p b c"},
		{Args: "-D a newdir/sub/c"},
		{Args: "-D -t newdir a b"},
		{Args: "-d newdir"},
		{Args: "-t out a b"},
	}
	h := &likebare.Harness{Tool: "install", Argv0: "stable-install", Setup: installSetup(likeObject(t))}
	for _, mask := range []int{0o077, 0o022} {
		t.Run(fmt.Sprintf("umask%03o", mask), func(t *testing.T) {
			withUmask(t, mask)
			h.Run(t, cases)
		})
	}
}

// withUmask sets the process's umask for a test and the parallel subtests
// it starts (tools alone and wrappers inherit it), and puts the old one
// back when they are done. Top-level tests of this package run one after
// another, so no other test sees it.
func withUmask(t *testing.T, mask int) {
	old := syscall.Umask(mask)
	t.Cleanup(func() { syscall.Umask(old) })
}

// installSetup makes the files the install cases name; obj is an object to
// strip ("" when there is no gcc).
func installSetup(obj string) func(t *testing.T, dir string) {
	return func(t *testing.T, dir string) {
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
			{Name: "own", Data: "alpha\n", Mode: 0o644},
			{Name: "hd1", Data: "hard linked destination\n", Mode: 0o640},
			{Name: "hd2", Data: "hd1", Mode: fs.ModeType}, // hard link to hd1
			{Name: "hdir/a", Data: "old a\n", Mode: 0o644},
			{Name: "hdir/a2", Data: "a", Mode: fs.ModeType}, // hard link to hdir/a
		}
		if obj != "" {
			files = append(files, likebare.File{Name: "prog.o", Data: obj, Mode: 0o644})
		}
		likebare.WriteFiles(t, dir, files)
		// own: an existing destination of another user's.
		if err := os.Lchown(filepath.Join(dir, "own"), 65534, 65534); err != nil {
			t.Fatalf("chown own: %v (the owner cases need root)", err)
		}
	}
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
