package cp

import (
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"syscall"
	"testing"

	"stable/internal/likebare"
)

func TestMain(m *testing.M) { likebare.Main(m, Wrapper.Main) }

// TestCpLikeBare runs coreutils cp on each command line twice in one
// directory, and stable-cp twice in another set up alike; after each run
// both trees must hold the same files with the same bytes, modes, symlink
// targets and (where cp sets them deterministically, -p) mtimes, and the
// runs must exit alike and print the same. A wrapped run must also keep the
// inode and mtime of every file whose content and mode it did not change.
// Each case runs on a fresh tree and, when cp wrote files, again with those
// files already there: identical, identical but mode 0600, and different.
func TestCpLikeBare(t *testing.T) {
	const (
		partial = "README Known limits: a failing tool leaves the old outputs exactly as they were; cp alone keeps the copies it made before the error"
	)
	cases := []likebare.Case{
		{Args: "a c"},
		{Args: "-p a c"},
		{Args: "-p b c"},
		{Args: "b c"},
		{Args: "a out"},
		{Args: "a out/"},
		{Args: "-p a out/"},
		{Args: "a b out"},
		{Args: "-p a b out"},
		{Args: "-t out a b"},
		{Args: "-pt out a b"},
		{Args: "--target-directory=out a"},
		{Args: "--target-directory out -p b"},
		{Args: "-T a c"},
		{Args: "-T a out"},
		{Args: "--no-target-directory b c"},
		{Args: "--preserve=mode,timestamps a c"},
		{Args: "--preserve=timestamps b c"},
		{Args: "--preserve=mode b c"},
		{Args: "--preserve b c"},
		{Args: "-p --no-preserve=mode b c"},
		{Args: "-f a c"},
		{Args: "-x -H a c"},
		{Args: "--reflink=auto a c"},
		{Args: "--sparse=always b c"},
		{Args: "-- a c"},
		{Args: "-p empty c"},
		{Args: "-p ro c"},
		{Args: "ro c"},
		{Args: "a b c"},
		{Args: "missing c"},
		{Args: "missing out"},
		{Args: "a missing out", Differs: partial, Expect: likebare.LeftByFailure},
		{Args: "-t out a missing b", Differs: partial, Expect: likebare.LeftByFailure},
		{Args: "-r src missing out", Differs: partial, Expect: likebare.LeftByFailure},
		{Args: "a nodir/c"},
		{Args: "a nodir/"},
		{Args: "-t nodir a"},
		{Args: "src out"},
		{Args: "-r src dst"},
		{Args: "-r src out"},
		{Args: "-R src/ dst"},
		{Args: "-r src out/"},
		{Args: "-r src/ out/dst"},
		{Args: "-rT src out"},
		{Args: "-rp src dst"},
		{Args: "-rp src out"},
		{Args: "-a src dst"},
		{Args: "-a src out"},
		{Args: "-a src/ dst/"},
		{Args: "-a hl dst"},
		{Args: "-r -t out src a"},
		{Args: "-r src a"},
		{Args: "-r src src/sub", Differs: partial, Expect: likebare.LeftByFailure},
		{Args: "-r a src dst"},
		{Args: "--recursive --preserve=mode src dst"},
		{Args: "--archive src dst"},
		{Args: "lnk c"},
		{Args: "-L lnk c"},
		{Args: "-P lnk c"},
		{Args: "-d lnk c"},
		{Args: "-d lnk out"},
		{Args: "-P lnk out/"},
		{Args: "-r lnk c"},
		{Args: "-a lnk c"},
		{Args: "-L dlink c"},
		{Args: "-P dlink c"},
		{Args: "a dirlink"},
		{Args: "a dirlink/"},
		{Args: "-p a dirlink/c"},
		{Args: "a lnk"},
		{Args: "-p a lnk"},
		{Args: "-d lnk t1"},
		{Args: "--remove-destination a lnk"},
		{Args: "a dlink"},
		{Args: "-p a dlink"},
		{Args: "a a"},
		{Args: "a ./a"},
		{Args: "a ."},
		{Args: "-p b ."},
		{Args: "-t . a"},
		{Args: "src/f1 src"},
		{Args: "-v a c"},
		{Args: "-u a c"},
		{Args: "-n a c"},
		{Args: "-s a c"},
		{Args: "--parents src/f1 out"},
		// A destination with a second hard link: cp writes into the
		// existing file, so the other link sees the new content.
		{Args: "a hd1"},
		{Args: "-p b hd1"},
		{Args: "--preserve=mode a hd1"},
		{Args: "-t hdir a"},
		{Args: "-r src/. hdir"},
		{Args: "-r src hdir"},
		{Args: "-rp src hdir"},
		// Into a tree that holds a symlink to a file (tree/f1) and one to a
		// directory (tree/sub): cp writes through the first, and copies into
		// the directory the second names.
		{Args: "-r src/. tree"},
		{Args: "-rT src tree"},
		{Args: "-rp src/. tree"},
		{Args: "-a src/. tree"},
		{Args: "src/f1 tree/f1"},
		{Args: "-r src/sub tree"},
		{Args: "-r src hold"},
		{Args: "-rp src hold"},
		{Args: "-a src hold"},
		{Args: "-r src hold2"},
		{Args: "-R -t hold src a"},
		// A source owned by another user: -p keeps its owner (cp runs as
		// root), without -p the copy is the caller's.
		{Args: "-p own c"},
		{Args: "own c"},
		{Args: "-a own out"},
		{Args: "--preserve=ownership own c"},
		{Args: "-p own hd1"},
	}
	h := &likebare.Harness{
		Tool:  "cp",
		Argv0: "stable-cp",
		Setup: setupCp,
	}
	h.Run(t, cases)
}

// setupCp makes the files the cp cases name; every mtime is fixed and old.
func setupCp(t *testing.T, dir string) {
	t.Helper()
	likebare.WriteFiles(t, dir, []likebare.File{
		{Name: "a", Data: "alpha\n", Mode: 0o644},
		{Name: "b", Data: "beta: an executable\n", Mode: 0o755},
		{Name: "ro", Data: "read only\n", Mode: 0o444},
		{Name: "empty", Data: "", Mode: 0o644},
		{Name: "t1", Data: "target of lnk\n", Mode: 0o640},
		{Name: "src/f1", Data: "one\n", Mode: 0o644},
		{Name: "src/exe", Data: "#!/bin/sh\n", Mode: 0o755},
		{Name: "src/sub/f2", Data: "two\n", Mode: 0o600},
		{Name: "src/sub", Mode: 0o750 | fs.ModeDir},
		{Name: "src/link", Data: "f1", Mode: fs.ModeSymlink},
		{Name: "hl/x", Data: "hard linked\n", Mode: 0o644},
		{Name: "hl/y", Data: "x", Mode: fs.ModeType}, // hard link to hl/x
		{Name: "out", Mode: 0o755 | fs.ModeDir},
		{Name: "lnk", Data: "t1", Mode: fs.ModeSymlink},
		{Name: "dlink", Data: "nothere", Mode: fs.ModeSymlink},
		{Name: "dirlink", Data: "out", Mode: fs.ModeSymlink},
		{Name: "hd1", Data: "hard linked destination\n", Mode: 0o640},
		{Name: "hd2", Data: "hd1", Mode: fs.ModeType}, // hard link to hd1
		{Name: "hdir/a", Data: "old a\n", Mode: 0o644},
		{Name: "hdir/a2", Data: "a", Mode: fs.ModeType}, // hard link to hdir/a
		{Name: "hdir/f1", Data: "old f1\n", Mode: 0o600},
		{Name: "hdir/f1.other", Data: "f1", Mode: fs.ModeType},
		{Name: "hdir/src/f1", Data: "old src f1\n", Mode: 0o644},
		{Name: "hdir/f1.src", Data: "src/f1", Mode: fs.ModeType}, // hard link to hdir/src/f1
		{Name: "tree", Mode: 0o755 | fs.ModeDir},
		{Name: "tree/f1", Data: "../t2", Mode: fs.ModeSymlink},
		{Name: "tree/sub", Data: "../odir", Mode: fs.ModeSymlink},
		{Name: "t2", Data: "target of tree/f1\n", Mode: 0o664},
		{Name: "odir/f2", Data: "old two\n", Mode: 0o644},
		{Name: "own", Data: "owned by nobody\n", Mode: 0o640},
		{Name: "hold/src/f1", Data: "../../t2", Mode: fs.ModeSymlink},
		{Name: "hold/src/exe", Data: "old exe\n", Mode: 0o755},
		{Name: "hold2/src/sub", Data: "../../odir", Mode: fs.ModeSymlink},
	})
	chownNobody(t, dir, "own")
}

// chownNobody gives the named files to nobody:nogroup (65534), as a file
// of another user; the tests run as root, or the case cannot be set up.
func chownNobody(t *testing.T, dir string, names ...string) {
	t.Helper()
	for _, n := range names {
		if err := os.Lchown(filepath.Join(dir, n), 65534, 65534); err != nil {
			t.Fatalf("chown %s: %v (the owner cases need root)", n, err)
		}
	}
}

// TestCpLikeBareUmask runs command lines whose copies get modes from the
// umask (a new file is the source's mode less the umask, an existing one
// keeps its own), alone and wrapped, under umask 077 and 022.
func TestCpLikeBareUmask(t *testing.T) {
	cases := []likebare.Case{
		{Args: "a c"},
		{Args: "b c"},
		{Args: "-p b c"},
		{Args: "--no-preserve=mode b c"},
		{Args: "a b out"},
		{Args: "-r src dst"},
		{Args: "-a src dst"},
		{Args: "-r src out"},
		{Args: "a nodir/c"},
	}
	h := &likebare.Harness{Tool: "cp", Argv0: "stable-cp", Setup: setupCp}
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
