package testscripts

// Commands for the nw_*.txtar regression scripts, which build the same tree
// twice, with the tools alone (plain/) and through the wrappers (wrap/), and
// demand that both end with the same outputs.

import (
	"bytes"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"syscall"

	"github.com/rogpeppe/go-internal/testscript"
)

func init() {
	for name, f := range map[string]func(ts *testscript.TestScript, neg bool, args []string){
		"trees-same": treesSame,
		"modes":      modes,
		"defer-rm":   deferRm,
	} {
		commands[name] = f
	}
}

// trees-same A B [IGNORE...]: the trees under A and B hold the same names,
// each with the same kind, content (or symlink target), permission bits
// and owner. Names matching an IGNORE glob (matched against the base name)
// and the record store are left out. With !, the trees must differ.
func treesSame(ts *testscript.TestScript, neg bool, args []string) {
	if len(args) < 2 {
		ts.Fatalf("usage: trees-same A B [IGNORE...]")
	}
	a, b := nwSnap(ts, args[0], args[2:]), nwSnap(ts, args[1], args[2:])
	var diffs []string
	names := slices.Sorted(func(yield func(string) bool) {
		for k := range a {
			if !yield(k) {
				return
			}
		}
		for k := range b {
			if _, ok := a[k]; !ok && !yield(k) {
				return
			}
		}
	})
	for _, n := range names {
		x, inA := a[n]
		y, inB := b[n]
		switch {
		case !inA:
			diffs = append(diffs, n+": only in "+args[1])
		case !inB:
			diffs = append(diffs, n+": only in "+args[0])
		case x.kind != y.kind:
			diffs = append(diffs, fmt.Sprintf("%s: %c in %s, %c in %s", n, x.kind, args[0], y.kind, args[1]))
		default:
			if x.perm != y.perm {
				diffs = append(diffs, fmt.Sprintf("%s: mode %v in %s, %v in %s", n, x.perm, args[0], y.perm, args[1]))
			}
			if x.owner != y.owner {
				diffs = append(diffs, fmt.Sprintf("%s: owner %s in %s, %s in %s", n, x.owner, args[0], y.owner, args[1]))
			}
			if !bytes.Equal(x.data, y.data) {
				diffs = append(diffs, fmt.Sprintf("%s: content differs (%d bytes in %s, %d in %s)", n, len(x.data), args[0], len(y.data), args[1]))
			}
		}
	}
	switch {
	case neg && len(diffs) == 0:
		ts.Fatalf("trees-same %s %s: the trees are the same", args[0], args[1])
	case !neg && len(diffs) > 0:
		ts.Fatalf("trees-same %s %s:\n\t%s", args[0], args[1], strings.Join(diffs, "\n\t"))
	}
}

type nwEntry struct {
	kind  byte
	perm  fs.FileMode
	owner string
	data  []byte
}

func nwSnap(ts *testscript.TestScript, root string, ignore []string) map[string]nwEntry {
	dir := ts.MkAbs(root)
	m := map[string]nwEntry{}
	err := filepath.WalkDir(dir, func(p string, d fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		if p == dir {
			return nil
		}
		if d.Name() == ".records" {
			return filepath.SkipDir
		}
		for _, g := range ignore {
			if ok, _ := filepath.Match(g, d.Name()); ok {
				if d.IsDir() {
					return filepath.SkipDir
				}
				return nil
			}
		}
		fi, err := os.Lstat(p)
		if err != nil {
			return err
		}
		rel, _ := filepath.Rel(dir, p)
		e := nwEntry{kind: '?', perm: fi.Mode() & (fs.ModePerm | fs.ModeSetuid | fs.ModeSetgid | fs.ModeSticky)}
		if st, ok := fi.Sys().(*syscall.Stat_t); ok {
			e.owner = fmt.Sprintf("%d:%d", st.Uid, st.Gid)
		}
		switch {
		case fi.Mode().IsRegular():
			e.kind = 'f'
			e.data, err = os.ReadFile(p)
		case fi.IsDir():
			e.kind = 'd'
		case fi.Mode()&fs.ModeSymlink != 0:
			e.kind, e.perm = 'l', 0
			var t string
			t, err = os.Readlink(p)
			e.data = []byte(t)
		}
		m[rel] = e
		return err
	})
	ts.Check(err)
	return m
}

// modes FILE...: prints each file's permission bits and name, one a line
// (a symlink's own, not its target's), for `cmp stdout`.
func modes(ts *testscript.TestScript, neg bool, args []string) {
	for _, a := range args {
		fi, err := os.Lstat(ts.MkAbs(a))
		ts.Check(err)
		fmt.Fprintf(ts.Stdout(), "%04o %s\n", fi.Mode()&fs.ModePerm, a)
	}
}

// defer-rm PATH...: remove each path when the script ends, whether it
// passes or fails (files a script creates outside $WORK, such as a header
// in /usr/local/include).
func deferRm(ts *testscript.TestScript, neg bool, args []string) {
	if neg || len(args) == 0 {
		ts.Fatalf("usage: defer-rm PATH...")
	}
	for _, a := range args {
		p := ts.MkAbs(a)
		ts.Defer(func() { os.Remove(p) })
	}
}
