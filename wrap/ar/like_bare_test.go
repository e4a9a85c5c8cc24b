package ar

import (
	"io/fs"
	"os/exec"
	"testing"

	"stable/internal/likebare"
)

func TestMain(m *testing.M) { likebare.Main(m, Wrapper.Main) }

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
	}
	objs := likeObjects(t)
	setup := func(t *testing.T, dir string) {
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
		})
	}
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

// likeObjects compiles two objects and a deterministic archive of them.
func likeObjects(t *testing.T) map[string]string {
	return likebare.Build(t,
		map[string]string{"a.c": "int a(void) { return 1; }\n", "b.c": "int b(void) { return 1; }\n"},
		[][]string{{"gcc", "-c", "a.c"}, {"gcc", "-c", "b.c"}, {"ar", "rcD", "old.a", "a.o", "b.o"}},
		"a.o", "b.o", "old.a")
}
