package testscripts

// Commands for the build-system scripts (bs_*.txtar): counting shims in
// front of the real compilers and binutils, the counts they logged, "is the
// next build a no-op" checks with the build tool's own explanation when it
// is not, and masquerade symlinks (TestMain runs the wrapper a tool name
// stands for when STABLE_TEST_MASQUERADE is set).

import (
	"fmt"
	"os"
	"path/filepath"
	"regexp"
	"sort"
	"strconv"
	"strings"
	"sync"
	"syscall"

	"github.com/rogpeppe/go-internal/testscript"
)

func init() {
	for name, f := range map[string]func(ts *testscript.TestScript, neg bool, args []string){
		"shims":           shims,
		"runs":            runs,
		"runs-le":         runsLE,
		"runs-reset":      runsReset,
		"ninja-noop":      ninjaNoop,
		"make-noop":       makeNoop,
		"cmake-make-noop": cmakeMakeNoop,
		"lookpath":        lookpath,
		"masquerade":      masquerade,
		"hold":            hold,
		"same-file":       sameFile,
	} {
		commands[name] = f
	}
}

// masquerade DIR NAME=WRAPPER...: symlinks DIR/NAME to the wrapper WRAPPER
// found in PATH (gcc=stablecc, ar=stable-ar, ranlib=stable-ranlib). Fails
// when a wrapper is not in PATH. Set STABLE_TEST_MASQUERADE=1 for them to
// work.
func masquerade(ts *testscript.TestScript, neg bool, args []string) {
	if neg || len(args) < 2 {
		ts.Fatalf("usage: masquerade DIR NAME=WRAPPER...")
	}
	dir := ts.MkAbs(args[0])
	ts.Check(os.MkdirAll(dir, 0o777))
	for _, a := range args[1:] {
		name, wrapper, ok := strings.Cut(a, "=")
		if !ok {
			ts.Fatalf("masquerade: %s: want NAME=WRAPPER", a)
		}
		p := lookPathIn(ts, wrapper, "")
		if p == "" {
			ts.Fatalf("masquerade: %s is not in PATH (is it registered in TestMain?)", wrapper)
		}
		os.Remove(filepath.Join(dir, name))
		ts.Check(os.Symlink(p, filepath.Join(dir, name)))
	}
}

// lookPathIn finds an executable NAME in the script's PATH, skipping the
// directory skip.
func lookPathIn(ts *testscript.TestScript, name, skip string) string {
	for _, dir := range filepath.SplitList(ts.Getenv("PATH")) {
		if dir == "" || dir == skip {
			continue
		}
		p := filepath.Join(dir, name)
		if fi, err := os.Stat(p); err == nil && !fi.IsDir() && fi.Mode()&0o111 != 0 {
			return p
		}
	}
	return ""
}

// lookpath VAR NAME: set VAR to the path of NAME in PATH; fails when NAME is
// not there (a wrapper not written or not registered yet).
func lookpath(ts *testscript.TestScript, neg bool, args []string) {
	if neg || len(args) != 2 {
		ts.Fatalf("usage: lookpath VAR NAME")
	}
	p := lookPathIn(ts, args[1], "")
	if p == "" {
		ts.Fatalf("lookpath: %s is not in PATH", args[1])
	}
	ts.Setenv(args[0], p)
}

// shimKinds: what each shim counts. A compiler shim tells compiles (-c)
// from links (-o without -c/-S/-E/-M) and ignores the rest (queries,
// preprocessing); the others count every run.
var compilerShim = regexp.MustCompile(`^(.*-)?(gcc|cc|clang|g\+\+|c\+\+)(-[0-9.]+)?$`)

// shims DIR TOOL...: a shell shim DIR/TOOL for each TOOL, in front of the
// real TOOL found in PATH (outside DIR), which it runs by absolute path.
// Each run the shim counts goes, as one line "CWD: ARGS", to
// $WORK/logs/TREE/KIND, where TREE is the first directory of the current
// directory under $WORK (so each build tree counts on its own, whatever
// runs the tool) and KIND is cc or ld for a compiler, else the tool's name.
func shims(ts *testscript.TestScript, neg bool, args []string) {
	if neg || len(args) < 2 {
		ts.Fatalf("usage: shims DIR TOOL...")
	}
	dir := ts.MkAbs(args[0])
	ts.Check(os.MkdirAll(dir, 0o777))
	work := ts.Getenv("WORK")
	for _, tool := range args[1:] {
		real := lookPathIn(ts, tool, dir)
		if real == "" {
			ts.Fatalf("shims: %s not in PATH", tool)
		}
		var kind string
		if compilerShim.MatchString(tool) {
			kind = `kind=ld
for a in "$@"; do
	case $a in
	-E|-S|-M|-MM|-v|-V|-###|--version|-dumpversion|-dumpfullversion|-dumpmachine|-print-*|--print-*) kind=; break;;
	-c) kind=cc;;
	esac
done
if [ "$kind" = ld ]; then
	case " $* " in *" -o "*) ;; *) kind=;; esac
fi`
		} else {
			kind = "kind=" + tool
		}
		script := fmt.Sprintf(`#!/bin/sh
# counting shim for %[1]s (see cmds_buildsys_test.go)
%[2]s
if [ -n "$kind" ]; then
	case $PWD in
	%[3]s/*) t=${PWD#%[3]s/}; t=${t%%%%/*};;
	*) t=outside;;
	esac
	mkdir -p %[3]s/logs/$t
	printf '%%s: %%s\n' "$PWD" "$*" >> %[3]s/logs/$t/$kind
fi
exec %[1]s "$@"
`, real, kind, work)
		ts.Check(os.WriteFile(filepath.Join(dir, tool), []byte(script), 0o755))
	}
}

var runKinds = []string{"cc", "ld", "ar", "ranlib"}

func runCount(ts *testscript.TestScript, tree, kind string) int {
	b, err := os.ReadFile(filepath.Join(ts.Getenv("WORK"), "logs", tree, kind))
	if os.IsNotExist(err) {
		return 0
	}
	ts.Check(err)
	return strings.Count(string(b), "\n")
}

func runSummary(ts *testscript.TestScript, tree string) string {
	var s []string
	for _, k := range runKinds {
		s = append(s, fmt.Sprintf("%s=%d", k, runCount(ts, tree, k)))
	}
	return tree + ": " + strings.Join(s, " ")
}

// runs TREE KIND=N...: the shims logged exactly N runs of KIND (cc, ld, ar,
// ranlib) in TREE since its last runs-reset. On a mismatch the logged
// command lines are shown.
func runs(ts *testscript.TestScript, neg bool, args []string) {
	if neg || len(args) < 2 {
		ts.Fatalf("usage: runs TREE KIND=N...")
	}
	tree := args[0]
	ts.Logf("%s", runSummary(ts, tree))
	var bad []string
	for _, a := range args[1:] {
		kind, n, ok := strings.Cut(a, "=")
		want, err := strconv.Atoi(n)
		if !ok || err != nil {
			ts.Fatalf("runs: %s: want KIND=N", a)
		}
		if got := runCount(ts, tree, kind); got != want {
			b, _ := os.ReadFile(filepath.Join(ts.Getenv("WORK"), "logs", tree, kind))
			bad = append(bad, fmt.Sprintf("%s: %d runs of %s, want %d:\n%s", tree, got, kind, want, head(short(string(b)), 6)))
		}
	}
	if len(bad) > 0 {
		ts.Fatalf("%s", strings.Join(bad, "\n"))
	}
}

// runs-le TREE OTHER: for every kind, TREE logged no more runs than OTHER
// (a wrapped build never does more work than the plain one).
func runsLE(ts *testscript.TestScript, neg bool, args []string) {
	if neg || len(args) != 2 {
		ts.Fatalf("usage: runs-le TREE OTHER")
	}
	ts.Logf("%s; %s", runSummary(ts, args[0]), runSummary(ts, args[1]))
	for _, k := range runKinds {
		a, b := runCount(ts, args[0], k), runCount(ts, args[1], k)
		if a > b {
			log, _ := os.ReadFile(filepath.Join(ts.Getenv("WORK"), "logs", args[0], k))
			ts.Fatalf("%s ran %s %d times, %s only %d:\n%s", args[0], k, a, args[1], b, head(short(string(log)), 6))
		}
	}
}

// runs-reset [TREE...]: forget what the shims logged for each TREE (for
// every tree without arguments).
func runsReset(ts *testscript.TestScript, neg bool, args []string) {
	if len(args) == 0 {
		ts.Check(os.RemoveAll(filepath.Join(ts.Getenv("WORK"), "logs")))
	}
	for _, tree := range args {
		ts.Check(os.RemoveAll(filepath.Join(ts.Getenv("WORK"), "logs", tree)))
	}
}

// short cuts each line of s to 200 bytes.
func short(s string) string {
	lines := strings.SplitAfter(s, "\n")
	for i, l := range lines {
		if len(l) > 200 {
			lines[i] = l[:200] + "...\n"
		}
	}
	return strings.Join(lines, "")
}

func head(s string, n int) string {
	lines := strings.SplitAfter(s, "\n")
	if len(lines) > n {
		lines = append(lines[:n], fmt.Sprintf("... (%d more)\n", len(lines)-n))
	}
	return strings.Join(lines, "")
}

// ninja-noop DIR: ninja has nothing to do in DIR (ninja -n says "no work to
// do"). Otherwise it fails with ninja's own reasons (-d explain).
func ninjaNoop(ts *testscript.TestScript, neg bool, args []string) {
	if len(args) != 1 {
		ts.Fatalf("usage: ninja-noop DIR")
	}
	err := ts.Exec("ninja", "-C", ts.MkAbs(args[0]), "-n", "-d", "explain")
	out := ts.ReadFile("stdout")
	var explain string
	for _, l := range strings.SplitAfter(ts.ReadFile("stderr"), "\n") {
		// Meson's phony targets explain themselves on every run.
		if !strings.Contains(l, "meson-test-prereq") && !strings.Contains(l, "meson-benchmark-prereq") {
			explain += l
		}
	}
	noop := err == nil && strings.Contains(out, "ninja: no work to do")
	switch {
	case noop && neg:
		ts.Fatalf("ninja in %s has no work to do", args[0])
	case !noop && !neg:
		ts.Fatalf("ninja in %s has work to do:\n%s%s", args[0], head(explain, 12), head(out, 6))
	}
}

// make-noop [MAKE ARGS...]: make -q exits 0 (nothing to remake). Otherwise
// it fails with make's reasons: the "newer than target" and "does not
// exist" lines of make --debug=b -n.
func makeNoop(ts *testscript.TestScript, neg bool, args []string) {
	err := ts.Exec("make", append([]string{"-q"}, args...)...)
	noop := err == nil
	switch {
	case noop && neg:
		ts.Fatalf("make -q %s: nothing to remake", strings.Join(args, " "))
	case !noop && !neg:
		ts.Exec("make", append([]string{"-n", "--debug=b"}, args...)...)
		var why []string
		seen := map[string]bool{}
		for _, l := range strings.Split(ts.ReadFile("stdout"), "\n") {
			l = strings.TrimSpace(l)
			if (strings.Contains(l, "newer than target") || strings.Contains(l, "does not exist") || strings.HasPrefix(l, "Must remake")) && !seen[l] {
				seen[l] = true
				why = append(why, l)
			}
		}
		sort.SliceStable(why, func(i, j int) bool {
			return strings.HasPrefix(why[i], "Prereq") && !strings.HasPrefix(why[j], "Prereq")
		})
		ts.Fatalf("make -q %s: %v; make --debug=b -n says:\n%s", strings.Join(args, " "), err, head(strings.Join(why, "\n"), 12))
	}
}

// cmake-make-noop DIR: make in a tree of CMake's Unix Makefiles generator
// would build nothing: make -n (its recursive makes print what they would
// run) announces no object, archive or program. make -q cannot say so: the
// generated makefiles' targets are phony.
func cmakeMakeNoop(ts *testscript.TestScript, neg bool, args []string) {
	if len(args) != 1 {
		ts.Fatalf("usage: cmake-make-noop DIR")
	}
	if err := ts.Exec("make", "-C", ts.MkAbs(args[0]), "-n"); err != nil {
		ts.Fatalf("make -n: %v\n%s", err, ts.ReadFile("stderr"))
	}
	var work []string
	for _, l := range strings.Split(ts.ReadFile("stdout"), "\n") {
		if i := strings.Index(l, `"Building C object`); i >= 0 {
			work = append(work, l[i:])
		} else if i := strings.Index(l, `"Linking C`); i >= 0 {
			work = append(work, l[i:])
		}
	}
	switch {
	case len(work) == 0 && neg:
		ts.Fatalf("make in %s has no work to do", args[0])
	case len(work) > 0 && !neg:
		ts.Fatalf("make in %s has work to do (%d steps):\n%s", args[0], len(work), head(strings.Join(work, "\n"), 8))
	}
}

// held keeps, per script, an open descriptor of each file `hold` was
// given: while it is open, the file's inode cannot be freed and its number
// handed to a new file, so "the same inode" means the same file even when
// a tool removed the old one and wrote a new one (ld and ar do).
var held sync.Map // *testscript.TestScript -> map[string]*os.File

// hold FILE...: keep each file open until the end of the script (or the
// next hold of the same name), for same-file.
func hold(ts *testscript.TestScript, neg bool, args []string) {
	if neg || len(args) == 0 {
		ts.Fatalf("usage: hold FILE...")
	}
	v, loaded := held.LoadOrStore(ts, map[string]*os.File{})
	m := v.(map[string]*os.File)
	if !loaded {
		ts.Defer(func() {
			for _, f := range m {
				f.Close()
			}
			held.Delete(ts)
		})
	}
	for _, a := range expand(ts, args) {
		f, err := os.Open(ts.MkAbs(a))
		ts.Check(err)
		if old := m[a]; old != nil {
			old.Close()
		}
		m[a] = f
	}
}

// same-file FILE...: each file is still the one `hold` opened (same inode:
// kept, possibly with a new mtime). With !, each is another file.
func sameFile(ts *testscript.TestScript, neg bool, args []string) {
	if len(args) == 0 {
		ts.Fatalf("usage: same-file FILE...")
	}
	v, ok := held.Load(ts)
	if !ok {
		ts.Fatalf("same-file: nothing held")
	}
	m := v.(map[string]*os.File)
	for _, a := range expand(ts, args) {
		f := m[a]
		if f == nil {
			ts.Fatalf("same-file: %s was not held", a)
		}
		was, err := f.Stat()
		ts.Check(err)
		now, err := os.Stat(ts.MkAbs(a))
		ts.Check(err)
		if os.SameFile(was, now) == neg {
			if neg {
				ts.Fatalf("same-file %s: still the same file (ino %d)", a, now.Sys().(*syscall.Stat_t).Ino)
			}
			ts.Fatalf("same-file %s: replaced: was ino %d, now ino %d mtime %s", a,
				was.Sys().(*syscall.Stat_t).Ino, now.Sys().(*syscall.Stat_t).Ino, ns(now.ModTime().UnixNano()))
		}
	}
}
