package ar

import (
	"fmt"
	"io/fs"
	"os/exec"
	"path/filepath"
	"strings"
	"syscall"
	"testing"

	"stable/internal/likebare"
	"stable/stable"
)

// TestMain: re-executed as stable-ranlib (TestRanlibLikeBare), the binary
// is stable-ranlib; otherwise stable-ar.
func TestMain(m *testing.M) {
	likebare.Main(m, func(args []string) stable.Status {
		if filepath.Base(args[0]) == RanlibName {
			return Ranlib.Main(args)
		}
		return Wrapper.Main(args)
	})
}

// TestArLikeBare runs GNU ar and llvm-ar on each command line in one tree
// and stable-ar in another set up alike: the trees must hold the same bytes
// and modes, the runs must exit alike and print the same, and a wrapped run
// must keep every file it did not change. Each case runs on a fresh tree
// and again on the files the first run wrote.
func TestArLikeBare(t *testing.T) {
	cases := []likebare.Case{
		{Args: "cDPrST thin.a a.o b.o"},
		{Args: "cDPrST sub/thin.a a.o sub/c.o"},
		{Args: "cDPrsT thin.a a.o b.o"},
		{Args: "rcs lib.a a.o b.o"},
		{Args: "rc lib.a a.o"},
		{Args: "r lib.a a.o"},
		{Args: "-rcs lib.a a.o b.o"},
		{Args: "qc lib.a a.o b.o"},
		// U stamps the time of the run into the archive: runs a second apart differ.
		{Args: "rcsU lib.a a.o", Differs: "U archives hold the time of the run", Expect: []string{`^run \d: lib\.a content `}},
		{Args: "rcv lib.a a.o b.o"},
		{Args: "cDPrST empty.a"},
		{Args: "rcs old.a b.o"},
		{Args: "d old.a a.o"},
		{Args: "t old.a"},
		{Args: "tv old.a"},
		{Args: "p old.a a.o"},
		{Args: "s old.a"},
		{Args: "mPiT a.o old.a b.o"},
		{Args: "rcs lib.a missing.o"},
		{Args: "rcs nodir/lib.a a.o"},
		{Args: "rcs lib.a notobj.txt"},
		{Args: "rcs"},
		{Args: "zz lib.a a.o"},
		{Args: "--thin rcs lib.a a.o"},
		{Args: "rcs lib.a @list.txt"},
		{Args: "rcsN 1 lib.a a.o"},
		{Args: "rcs lnk.a a.o"},
		// An existing archive with a second hard link (hl2.a): the other
		// link sees what it sees with ar alone.
		{Args: "rcs hl.a b.o"},
		{Args: "rc hl.a a.o"},
		{Args: "s hl.a"},
		{Args: "rcs hl.a sub/c.o"},
	}
	setup := arSetup(likeObjects(t))
	for _, tool := range []string{"ar", "llvm-ar"} {
		t.Run(tool, func(t *testing.T) {
			if _, err := exec.LookPath(tool); err != nil {
				t.Skip(tool + " not installed")
			}
			h := &likebare.Harness{Tool: tool, Argv0: Name, Setup: setup}
			if tool != "ar" {
				h.Pre = []string{tool}
			}
			h.Run(t, cases)
		})
	}
}

// TestArLikeBareUmask runs archive command lines alone and wrapped under
// umask 077 and 022: a new archive gets 0666 less the umask, an existing
// one rebuilt in place keeps its mode; ranlib likewise.
func TestArLikeBareUmask(t *testing.T) {
	cases := []likebare.Case{
		{Args: "rcs lib.a a.o b.o"},
		{Args: "cDPrST thin.a a.o b.o"},
		{Args: "rcs old.a b.o"},
		{Args: "s old.a"},
	}
	ranlibCases := []likebare.Case{{Args: "noindex.a"}, {Args: "-D noindex.a"}}
	setup := arSetup(likeObjects(t))
	for _, mask := range []int{0o077, 0o022} {
		t.Run(fmt.Sprintf("umask%03o", mask), func(t *testing.T) {
			old := syscall.Umask(mask)
			t.Cleanup(func() { syscall.Umask(old) })
			for _, tool := range []string{"ar", "llvm-ar", "ranlib", "llvm-ranlib"} {
				t.Run(tool, func(t *testing.T) {
					if _, err := exec.LookPath(tool); err != nil {
						t.Skip(tool + " not installed")
					}
					h := &likebare.Harness{Tool: tool, Argv0: Name, Setup: setup}
					c := cases
					if strings.HasSuffix(tool, "ranlib") {
						h.Argv0, c = RanlibName, ranlibCases
					}
					if !strings.HasPrefix(tool, h.Argv0[len("stable-"):]) {
						h.Pre = []string{tool}
					}
					h.Run(t, c)
				})
			}
		})
	}
}

// arSetup makes the files the ar cases name from the objects.
func arSetup(objs map[string]string) func(t *testing.T, dir string) {
	return func(t *testing.T, dir string) {
		t.Helper()
		likebare.WriteFiles(t, dir, []likebare.File{
			{Name: "a.o", Data: objs["a.o"], Mode: 0o644},
			{Name: "b.o", Data: objs["b.o"], Mode: 0o644},
			{Name: "sub", Mode: 0o755 | fs.ModeDir},
			{Name: "sub/c.o", Data: objs["a.o"], Mode: 0o644},
			{Name: "old.a", Data: objs["old.a"], Mode: 0o644},
			{Name: "notobj.txt", Data: "not an object\n", Mode: 0o644},
			{Name: "list.txt", Data: "a.o b.o\n", Mode: 0o644},
			{Name: "lnk.a", Data: "old.a", Mode: fs.ModeSymlink},
			{Name: "hl.a", Data: objs["noindex.a"], Mode: 0o640},
			{Name: "hl2.a", Data: "hl.a", Mode: fs.ModeType}, // hard link to hl.a
			{Name: "noindex.a", Data: objs["noindex.a"], Mode: 0o644},
		})
	}
}

// TestRanlibLikeBare runs GNU ranlib and llvm-ranlib on each command line
// in one tree and stable-ranlib in another set up alike, as
// TestArLikeBare does for ar.
func TestRanlibLikeBare(t *testing.T) {
	cases := []likebare.Case{
		{Args: "noindex.a"},
		{Args: "-D noindex.a"},
		{Args: "old.a"},
		{Args: "noindex.a old.a"},
		// A second hard link (hl2.a) to the archive ranlib rewrites: the
		// other link sees what it sees with ranlib alone.
		{Args: "hl.a"},
		{Args: "-D hl.a"},
		{Args: "hlx.a"},
		// An archive of mode 0640 without a second link: the mode it ends
		// with is the tool's.
		{Args: "m640.a"},
	}
	objs := likeObjects(t)
	setup := func(t *testing.T, dir string) {
		t.Helper()
		likebare.WriteFiles(t, dir, []likebare.File{
			{Name: "old.a", Data: objs["old.a"], Mode: 0o644},
			{Name: "noindex.a", Data: objs["noindex.a"], Mode: 0o644},
			{Name: "hl.a", Data: objs["noindex.a"], Mode: 0o640},
			{Name: "hl2.a", Data: "hl.a", Mode: fs.ModeType}, // hard link to hl.a
			{Name: "hlx.a", Data: objs["old.a"], Mode: 0o640},
			{Name: "hlx2.a", Data: "hlx.a", Mode: fs.ModeType}, // hard link to hlx.a
			{Name: "m640.a", Data: objs["noindex.a"], Mode: 0o640},
		})
	}
	for _, tool := range []string{"ranlib", "llvm-ranlib"} {
		t.Run(tool, func(t *testing.T) {
			if _, err := exec.LookPath(tool); err != nil {
				t.Skip(tool + " not installed")
			}
			h := &likebare.Harness{Tool: tool, Argv0: RanlibName, Setup: setup}
			if tool != "ranlib" {
				h.Pre = []string{tool}
			}
			h.Run(t, cases)
		})
	}
}

// likeObjects compiles two objects, a deterministic archive of them and
// one without an index (for ranlib to add).
func likeObjects(t *testing.T) map[string]string {
	return likebare.Build(t,
		map[string]string{"a.c": "int a(void) { return 1; }\n", "b.c": "int b(void) { return 1; }\n"},
		[][]string{{"gcc", "-c", "a.c"}, {"gcc", "-c", "b.c"}, {"ar", "rcD", "old.a", "a.o", "b.o"},
			{"ar", "rcDS", "noindex.a", "a.o", "b.o"}},
		"a.o", "b.o", "old.a", "noindex.a")
}
