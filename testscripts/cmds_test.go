package testscripts

import (
	"crypto/sha256"
	"io/fs"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"syscall"
	"time"

	"github.com/rogpeppe/go-internal/testscript"
)

// Commands the scripts need beyond testscript's own: file identity checks
// with nanosecond precision, and touch.
var commands = map[string]func(ts *testscript.TestScript, neg bool, args []string){
	"remember": remember,
	"unchanged": func(ts *testscript.TestScript, neg bool, args []string) {
		compare(ts, neg, args, bothSame, "unchanged")
	},
	"mtime-same": func(ts *testscript.TestScript, neg bool, args []string) {
		compare(ts, neg, args, mtimeSame, "mtime-same")
	},
	"inode-same": func(ts *testscript.TestScript, neg bool, args []string) {
		compare(ts, neg, args, inodeSame, "inode-same")
	},
	"kept": func(ts *testscript.TestScript, neg bool, args []string) {
		compare(ts, neg, args, keptSame, "kept")
	},
	"settled": func(ts *testscript.TestScript, neg bool, args []string) {
		compare(ts, neg, args, settledLater, "settled")
	},
	"mtime-newer": mtimeNewer,
	"touch":       touch,
	"no-temps":    noTemps,
	"sleep":       sleep,
	"mount-tmpfs": mountTmpfs,
	"remount-ro":  remountRO,
}

// sleep DURATION: wait, e.g. past the filesystem's clock tick.
func sleep(ts *testscript.TestScript, neg bool, args []string) {
	if len(args) != 1 {
		ts.Fatalf("usage: sleep DURATION")
	}
	d, err := time.ParseDuration(args[0])
	ts.Check(err)
	time.Sleep(d)
}

type ident struct {
	ino   uint64
	mtime int64
	sum   [32]byte // content
}

// remembered holds, per script, the identity of files at `remember` time.
var remembered sync.Map // *testscript.TestScript -> map[string]ident

func identOf(ts *testscript.TestScript, name string) ident {
	fi, err := os.Stat(ts.MkAbs(name))
	ts.Check(err)
	b, err := os.ReadFile(ts.MkAbs(name))
	ts.Check(err)
	return ident{ino: fi.Sys().(*syscall.Stat_t).Ino, mtime: fi.ModTime().UnixNano(), sum: sha256.Sum256(b)}
}

// remember FILE...: note each file's inode and mtime for later checks.
func remember(ts *testscript.TestScript, neg bool, args []string) {
	if neg || len(args) == 0 {
		ts.Fatalf("usage: remember FILE...")
	}
	m, _ := remembered.LoadOrStore(ts, map[string]ident{})
	for _, a := range expand(ts, args) {
		m.(map[string]ident)[a] = identOf(ts, a)
	}
}

func bothSame(a, b ident) bool { return a == b }

// keptSame: the same file with the same content, whatever its mtime.
func keptSame(a, b ident) bool { return a.ino == b.ino && a.sum == b.sum }

// settledLater: the same file with the same content, given a later mtime
// (an unchanged output settled against a newer input).
func settledLater(a, b ident) bool { return keptSame(a, b) && b.mtime > a.mtime }
func mtimeSame(a, b ident) bool    { return a.mtime == b.mtime }
func inodeSame(a, b ident) bool    { return a.ino == b.ino }

// compare: each FILE against what `remember` noted. With !, each file must
// differ.
func compare(ts *testscript.TestScript, neg bool, args []string, same func(a, b ident) bool, name string) {
	if len(args) == 0 {
		ts.Fatalf("usage: %s FILE...", name)
	}
	m, ok := remembered.Load(ts)
	if !ok {
		ts.Fatalf("%s: nothing remembered", name)
	}
	for _, a := range expand(ts, args) {
		old, ok := m.(map[string]ident)[a]
		if !ok {
			ts.Fatalf("%s: %s was not remembered", name, a)
		}
		now := identOf(ts, a)
		if same(old, now) == neg {
			ts.Fatalf("%s %s: was ino %d mtime %s, now ino %d mtime %s", name, a,
				old.ino, ns(old.mtime), now.ino, ns(now.mtime))
		}
	}
}

// expand turns glob patterns into the matching files, sorted.
func expand(ts *testscript.TestScript, args []string) []string {
	var out []string
	for _, a := range args {
		if !strings.ContainsAny(a, "*?[") {
			out = append(out, a)
			continue
		}
		ms, err := filepath.Glob(ts.MkAbs(a))
		ts.Check(err)
		if len(ms) == 0 {
			ts.Fatalf("no file matches %s", a)
		}
		for _, m := range ms {
			rel, _ := filepath.Rel(ts.MkAbs("."), m)
			out = append(out, rel)
		}
	}
	return out
}

func ns(t int64) string { return time.Unix(0, t).Format("15:04:05.000000000") }

// mtime-newer A B: A's mtime is strictly after B's (as make decides).
func mtimeNewer(ts *testscript.TestScript, neg bool, args []string) {
	if len(args) != 2 {
		ts.Fatalf("usage: mtime-newer A B")
	}
	a, b := identOf(ts, args[0]), identOf(ts, args[1])
	if (a.mtime > b.mtime) == neg {
		ts.Fatalf("mtime-newer %s %s: %s vs %s", args[0], args[1], ns(a.mtime), ns(b.mtime))
	}
}

// touch FILE...: set mtime to now, creating empty files that do not exist,
// then wait past a clock tick of process start times (10 ms), as a user
// would before the next build: a build starting in the same tick could not
// tell the touch from a change made during the build (stable/settle.go).
func touch(ts *testscript.TestScript, neg bool, args []string) {
	now := time.Now()
	for _, a := range expand(ts, args) {
		p := ts.MkAbs(a)
		if _, err := os.Stat(p); os.IsNotExist(err) {
			ts.Check(os.WriteFile(p, nil, 0o666))
		}
		ts.Check(os.Chtimes(p, now, now))
	}
	time.Sleep(20 * time.Millisecond)
}

// no-temps [DIR]: nothing a wrapper left behind under DIR (default: .).
func noTemps(ts *testscript.TestScript, neg bool, args []string) {
	root := "."
	if len(args) > 0 {
		root = args[0]
	}
	filepath.WalkDir(ts.MkAbs(root), func(p string, d fs.DirEntry, err error) error {
		if err == nil && strings.HasPrefix(d.Name(), ".stable-") {
			ts.Fatalf("temporary left behind: %s", p)
		}
		if d != nil && d.IsDir() && d.Name() == ".records" {
			return filepath.SkipDir
		}
		return nil
	})
}
