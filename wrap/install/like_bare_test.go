package install

import (
	"bytes"
	"encoding/json"
	"fmt"
	"io/fs"
	"os"
	"os/exec"
	"path/filepath"
	"slices"
	"strings"
	"syscall"
	"testing"
	"time"

	"stable/stable"
)

// likeEnv makes the test binary stable-install itself (see TestMain):
// every wrapped run goes through Wrapper.Main as the installed binary does,
// passthrough (which execs the tool) included.
const likeEnv = "STABLE_TEST_LIKE_BARE_WRAPPER"

func TestMain(m *testing.M) {
	if os.Getenv(likeEnv) != "" {
		Wrapper.Main()
		os.Exit(0)
	}
	os.Exit(m.Run())
}

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
		partial = "by design (DEVELOPERS.md, never half-written): when the tool fails, every temporary is discarded and old outputs stay as they were; install alone keeps the files it installed before the error"
	)
	cases := []likeCase{
		{args: "a c"},
		{args: "b c"},
		{args: "-m 0644 a c"},
		{args: "-m 755 a c"},
		{args: "-m u+x a c"},
		{args: "-m go-rwx b c"},
		{args: "-m 600 b c"},
		{args: "-m 4755 b c"},
		{args: "-m644 a c"},
		{args: "--mode=644 a c"},
		{args: "--mode 640 a c"},
		{args: "-p a c"},
		{args: "-p -m 644 b c"},
		{args: "--preserve-timestamps a c"},
		{args: "-C a c"},
		{args: "-C -m 644 a c"},
		{args: "--compare -m 755 b c"},
		{args: "-Cp a c"},
		{args: "-c a c"},
		{args: "-o root -g root a c"},
		{args: "-g root -m 640 a c"},
		{args: "--owner=root --group=root -m 644 a out"},
		{args: "-D a newdir/sub/c"},
		{args: "-D a out/c"},
		{args: "-D -m 644 a out/deep/c"},
		{args: "-D -t newdir a b"},
		{args: "-D -t out a b"},
		{args: "-d newdir"},
		{args: "-d out/x out/y"},
		{args: "-d -m 700 out"},
		{args: "-t out a b"},
		{args: "-t out -m 644 a"},
		{args: "-pt out a b"},
		{args: "--target-directory=out a"},
		{args: "-T a c"},
		{args: "-T a out"},
		{args: "--no-target-directory b c"},
		{args: "a out"},
		{args: "a out/"},
		{args: "-m 644 a out/"},
		{args: "a b out"},
		{args: "-m 644 -p a b out"},
		{args: "a b c"},
		{args: "-- a c"},
		{args: "empty c"},
		{args: "ro c"},
		{args: "-p ro c"},
		{args: "missing c"},
		{args: "missing out"},
		{args: "a missing out", bug: partial},
		{args: "-t out a missing b", bug: partial},
		{args: "a nodir/c"},
		{args: "a nodir/"},
		{args: "-t nodir a"},
		{args: "src out"},
		{args: "a src"},
		{args: "a a"},
		{args: "a ./a"},
		{args: "a ."},
		{args: "-t . a"},
		{args: "-m 644 a ."},
		{args: "a lnk"},
		{args: "-p a lnk"},
		{args: "-m 644 a lnk"},
		{args: "a dlink"},
		{args: "a dirlink"},
		{args: "a dirlink/c"},
		{args: "lnk c"},
		{args: "dlink c"},
		{args: "-s prog.o c"},
		{args: "--strip prog.o c"},
		{args: "-s -m 644 prog.o out/"},
		{args: "-s a c"},
		{args: "--strip-program=true -s prog.o c"},
		{args: "-v a c"},
		{args: "-b a c"},
		{args: "-S .bak a c"},
		{args: "--backup=numbered a c"},
		{args: "-Z a c"},
		{args: "--bogus a c"},
		{args: "-m a c"},
		{args: "-m 999 a c"},
		{args: "-t"},
		{args: "a"},
	}
	obj := likeObject(t)
	h := &likeHarness{
		tool:  "install",
		argv0: "stable-install",
		setup: func(t *testing.T, dir string) {
			t.Helper()
			files := []likeFile{
				{name: "a", data: "alpha\n", mode: 0o644},
				{name: "b", data: "beta: an executable\n", mode: 0o755},
				{name: "ro", data: "read only\n", mode: 0o444},
				{name: "empty", data: "", mode: 0o644},
				{name: "t1", data: "target of lnk\n", mode: 0o640},
				{name: "src/f1", data: "one\n", mode: 0o644},
				{name: "out", mode: 0o755 | fs.ModeDir},
				{name: "lnk", data: "t1", mode: fs.ModeSymlink},
				{name: "dlink", data: "nothere", mode: fs.ModeSymlink},
				{name: "dirlink", data: "out", mode: fs.ModeSymlink},
			}
			if obj != "" {
				files = append(files, likeFile{name: "prog.o", data: obj, mode: 0o644})
			}
			writeFiles(t, dir, files)
		},
	}
	h.run(t, cases)
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

// The harness below is shared, word for word, by the like-bare tests of
// wrap/cp, wrap/install and wrap/objcopy.

// likeCase is one command line: the tool's arguments as words split at
// spaces, two single quotes standing for an empty word. bug, when set,
// names a known difference: the case skips with that message when the
// difference shows.
type likeCase struct {
	args  string
	setup func(t *testing.T, dir string) // after the common setup
	bug   string
	skip  map[string]string // tool -> why the case cannot be compared with it
}

// likeHarness runs a tool alone and through its wrapper (this test binary
// under the wrapper's name).
type likeHarness struct {
	tool  string   // the tool as the bare command line names it
	argv0 string   // the wrapper's name
	pre   []string // wrapper arguments before the tool's (stable-objcopy llvm-objcopy)
	setup func(t *testing.T, dir string)
}

// likeOld bounds the fixed mtimes the setup gives: an mtime before it was
// set deterministically (by the setup, or by the tool from a source).
var likeOld = time.Date(2022, 1, 1, 0, 0, 0, 0, time.UTC).UnixNano()

func (h *likeHarness) run(t *testing.T, cases []likeCase) {
	toolPath, err := exec.LookPath(h.tool)
	if err != nil {
		t.Skipf("%s not installed", h.tool)
	}
	self, err := os.Executable()
	if err != nil {
		t.Fatal(err)
	}
	for _, c := range cases {
		t.Run(strings.ReplaceAll(c.args, "/", "|"), func(t *testing.T) {
			t.Parallel()
			if why, ok := c.skip[h.tool]; ok {
				t.Skip(why)
			}
			args := likeWords(c.args)
			setup := func(t *testing.T, dir string) {
				h.setup(t, dir)
				if c.setup != nil {
					c.setup(t, dir)
				}
			}
			// The first bare run on a fresh tree tells which files the
			// command writes: the other variants find them already there.
			var written []string
			var after likeTree
			first := func(pre, post likeTree) {
				after = post
				for p, e := range post {
					if e.kind == 'f' && (pre[p].kind != 'f' || pre[p].data != e.data || pre[p].perm != e.perm) {
						written = append(written, p)
					}
				}
				slices.Sort(written)
			}
			fresh := func(t *testing.T, dir string) {
				setup(t, dir)
				fixDirTimes(t, dir)
			}
			t.Run("fresh", func(t *testing.T) {
				h.compare(t, c, toolPath, self, args, fresh, first)
			})
			if len(written) == 0 {
				return
			}
			for _, v := range []string{"same", "mode", "diff"} {
				t.Run(v, func(t *testing.T) {
					prep := func(t *testing.T, dir string) {
						setup(t, dir)
						for _, p := range written {
							e := after[p]
							data, perm, mt := e.data, e.perm, time.Date(2021, 6, 1, 0, 0, 0, 0, time.UTC)
							switch v {
							case "mode":
								perm = 0o600
								if e.perm == 0o600 {
									perm = 0o644
								}
							case "diff":
								data, perm = "stale "+p+"\n", 0o600
							}
							writeFiles(t, dir, []likeFile{{name: p, data: data, mode: perm}})
							os.Chtimes(filepath.Join(dir, p), mt, mt)
						}
						fixDirTimes(t, dir)
					}
					h.compare(t, c, toolPath, self, args, prep, nil)
				})
			}
		})
	}
}

// compare sets up two directories alike and runs the command twice in
// each, alone and wrapped, comparing after each run; first, when not nil,
// sees the bare tree before and after the first run.
func (h *likeHarness) compare(t *testing.T, c likeCase, toolPath, self string, args []string, prep func(*testing.T, string), first func(pre, post likeTree)) {
	bareDir, wrapDir := t.TempDir(), t.TempDir()
	records := t.TempDir()
	prep(t, bareDir)
	prep(t, wrapDir)
	var diffs []string
	for run := 1; run <= 2; run++ {
		preB := likeSnap(t, bareDir)
		rb := h.bare(t, toolPath, bareDir, args)
		postB := likeSnap(t, bareDir)
		if run == 1 && first != nil {
			first(preB, postB)
		}

		preW := likeSnap(t, wrapDir)
		rw, decision := h.wrapped(t, self, wrapDir, records, args)
		postW := likeSnap(t, wrapDir)

		var d []string
		if rb.code != rw.code {
			d = append(d, fmt.Sprintf("exit %d alone, %d wrapped", rb.code, rw.code))
		}
		if rb.stdout != rw.stdout {
			d = append(d, fmt.Sprintf("stdout %q alone, %q wrapped", rb.stdout, rw.stdout))
		}
		if rb.stderr != rw.stderr {
			d = append(d, fmt.Sprintf("stderr %q alone, %q wrapped", rb.stderr, rw.stderr))
		}
		d = append(d, likeDiff(t, preB, postB, preW, postW, decision.Decision != "passthrough")...)
		for _, s := range d {
			diffs = append(diffs, fmt.Sprintf("run %d: %s", run, s))
		}
		t.Logf("run %d: wrapper %s (%s) %v", run, decision.Decision, decision.Why, decision.Outputs)
	}
	if len(diffs) == 0 {
		return
	}
	msg := fmt.Sprintf("%s %s: alone and wrapped differ:\n\t%s", h.tool, c.args, strings.Join(diffs, "\n\t"))
	if c.bug != "" {
		t.Skipf("%s\n%s", c.bug, msg)
	}
	t.Fatal(msg)
}

// likeDiff compares the trees after a bare and a wrapped run, given the
// trees before them.
func likeDiff(t *testing.T, preB, postB, preW, postW likeTree, wrapped bool) []string {
	var d []string
	for _, p := range likeKeys(postB, postW) {
		b, inB := postB[p]
		w, inW := postW[p]
		switch {
		case !inW:
			d = append(d, p+" only alone")
			continue
		case !inB:
			d = append(d, p+" only wrapped")
			continue
		case b.kind != w.kind:
			d = append(d, fmt.Sprintf("%s is %c alone, %c wrapped", p, b.kind, w.kind))
			continue
		}
		if b.perm != w.perm {
			d = append(d, fmt.Sprintf("%s mode %v alone, %v wrapped", p, b.perm, w.perm))
		}
		if b.data != w.data {
			d = append(d, fmt.Sprintf("%s content %q alone, %q wrapped", p, likeShort(b.data), likeShort(w.data)))
		}
		if b.uid != w.uid || b.gid != w.gid {
			d = append(d, fmt.Sprintf("%s owner %d:%d alone, %d:%d wrapped", p, b.uid, b.gid, w.uid, w.gid))
		}
		// An mtime the tool set from a source (-p) must be the same; a
		// file the wrapper kept (same inode and mtime as before the run,
		// same content) keeps its own: that is what the wrapper is for.
		old, had := preB[p]
		if b.kind != 'l' && b.mtime < likeOld && (!had || old.mtime != b.mtime) && w.mtime != b.mtime {
			if kept, ok := preW[p]; ok && b.kind == 'f' && kept.ino == w.ino && kept.mtime == w.mtime {
				t.Logf("%s kept with its own mtime (%s) where the tool alone sets %s",
					p, time.Unix(0, w.mtime).UTC(), time.Unix(0, b.mtime).UTC())
			} else {
				d = append(d, fmt.Sprintf("%s mtime %s alone, %s wrapped", p,
					time.Unix(0, b.mtime).UTC(), time.Unix(0, w.mtime).UTC()))
			}
		}
	}
	// The wrapper's own promise: a file whose content and mode did not
	// change keeps its inode and mtime.
	if wrapped {
		for _, p := range likeKeys(preW, nil) {
			o, w := preW[p], postW[p]
			if o.kind == 'f' && w.kind == 'f' && o.data == w.data && o.perm == w.perm && (o.ino != w.ino || o.mtime != w.mtime) {
				d = append(d, p+" unchanged but rewritten by the wrapped run (new inode or mtime)")
			}
		}
	}
	return d
}

type likeResult struct {
	code           int
	stdout, stderr string
}

func (h *likeHarness) bare(t *testing.T, toolPath, dir string, args []string) likeResult {
	t.Helper()
	cmd := &exec.Cmd{Path: toolPath, Args: append([]string{h.tool}, args...), Dir: dir,
		Env: append(os.Environ(), "LC_ALL=C")}
	return likeExec(t, cmd)
}

// wrapped runs the wrapper and reads what it decided from its STABLE_LOG.
func (h *likeHarness) wrapped(t *testing.T, self, dir, records string, args []string) (likeResult, stable.Entry) {
	t.Helper()
	argv := append(append([]string{h.argv0}, h.pre...), args...)
	log := filepath.Join(records, "log")
	os.Remove(log)
	cmd := &exec.Cmd{Path: self, Args: argv, Dir: dir,
		Env: append(os.Environ(), "LC_ALL=C", likeEnv+"=1", "STABLE_DIR="+records, "STABLE_LOG="+log,
			"STABLE_DISABLE=", "STABLE_NORECORDS=", "STABLE_DEBUG=")}
	r := likeExec(t, cmd)
	var e stable.Entry
	if b, err := os.ReadFile(log); err != nil || json.Unmarshal(b, &e) != nil {
		t.Fatalf("no journal entry from %q: %v", argv, err)
	}
	return r, e
}

func likeExec(t *testing.T, cmd *exec.Cmd) likeResult {
	t.Helper()
	var out, errb bytes.Buffer
	cmd.Stdout, cmd.Stderr = &out, &errb
	err := cmd.Run()
	if err != nil && cmd.ProcessState == nil {
		t.Fatal(err)
	}
	return likeResult{cmd.ProcessState.ExitCode(), out.String(), errb.String()}
}

// likeEntry is one file, directory or symlink of a snapshot.
type likeEntry struct {
	kind     byte // 'f', 'd', 'l', or '?'
	perm     fs.FileMode
	data     string // content, or symlink target
	mtime    int64
	ino      uint64
	uid, gid uint32
}

type likeTree map[string]likeEntry

// likeSnap walks dir (not following symlinks).
func likeSnap(t *testing.T, dir string) likeTree {
	t.Helper()
	m := likeTree{}
	filepath.WalkDir(dir, func(p string, de fs.DirEntry, err error) error {
		if err != nil || p == dir {
			return nil
		}
		rel, _ := filepath.Rel(dir, p)
		fi, err := os.Lstat(p)
		if err != nil {
			return nil
		}
		e := likeEntry{kind: '?', perm: fi.Mode() & (fs.ModePerm | fs.ModeSetuid | fs.ModeSetgid | fs.ModeSticky),
			mtime: fi.ModTime().UnixNano()}
		if st, ok := fi.Sys().(*syscall.Stat_t); ok {
			e.ino, e.uid, e.gid = st.Ino, st.Uid, st.Gid
		}
		switch {
		case fi.Mode().IsRegular():
			e.kind = 'f'
			b, _ := os.ReadFile(p)
			e.data = string(b)
		case fi.IsDir():
			e.kind = 'd'
		case fi.Mode()&fs.ModeSymlink != 0:
			e.kind = 'l'
			e.data, _ = os.Readlink(p)
			e.perm = 0
		}
		m[rel] = e
		return nil
	})
	return m
}

func likeKeys(a, b likeTree) []string {
	var k []string
	for p := range a {
		k = append(k, p)
	}
	for p := range b {
		if _, ok := a[p]; !ok {
			k = append(k, p)
		}
	}
	slices.Sort(k)
	return k
}

func likeShort(s string) string {
	if len(s) > 40 {
		return fmt.Sprintf("%s... (%d bytes)", s[:40], len(s))
	}
	return s
}

// likeWords splits on spaces; two single quotes make an empty word.
func likeWords(s string) []string {
	var out []string
	for _, w := range strings.Fields(s) {
		if w == "''" {
			w = ""
		}
		out = append(out, w)
	}
	return out
}

// likeFile is one entry to create: a regular file (mode holds the
// permissions), a directory (fs.ModeDir), a symlink (fs.ModeSymlink, data
// is the target) or a hard link (fs.ModeType, data is the existing file).
type likeFile struct {
	name string
	data string
	mode fs.FileMode
}

// likeTime is the mtime of the n-th file of a setup: old, distinct, fixed.
func likeTime(n int) time.Time {
	return time.Date(2020, 1, 1, 0, 0, 0, 0, time.UTC).Add(time.Duration(n) * 24 * time.Hour)
}

func writeFiles(t *testing.T, dir string, files []likeFile) {
	t.Helper()
	for n, f := range files {
		p := filepath.Join(dir, f.name)
		if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
			t.Fatal(err)
		}
		var err error
		switch {
		case f.mode == fs.ModeType:
			err = os.Link(filepath.Join(filepath.Dir(p), f.data), p)
		case f.mode&fs.ModeSymlink != 0:
			os.Remove(p)
			err = os.Symlink(f.data, p)
		case f.mode&fs.ModeDir != 0:
			if err = os.MkdirAll(p, 0o755); err == nil {
				err = os.Chmod(p, f.mode&fs.ModePerm)
			}
		default:
			if fi, e := os.Lstat(p); e == nil && !fi.Mode().IsRegular() {
				os.Remove(p)
			}
			if err = os.WriteFile(p, []byte(f.data), 0o600); err == nil {
				err = os.Chmod(p, f.mode&(fs.ModePerm|fs.ModeSetuid|fs.ModeSetgid|fs.ModeSticky))
			}
			if err == nil {
				err = os.Chtimes(p, likeTime(n), likeTime(n))
			}
		}
		if err != nil {
			t.Fatal(err)
		}
	}
}

// fixDirTimes gives every directory under dir (dir included) an old fixed
// mtime, once the files are in place.
func fixDirTimes(t *testing.T, dir string) {
	t.Helper()
	mt := time.Date(2019, 1, 1, 0, 0, 0, 0, time.UTC)
	var dirs []string
	filepath.WalkDir(dir, func(p string, de fs.DirEntry, err error) error {
		if err == nil && de.IsDir() {
			dirs = append(dirs, p)
		}
		return nil
	})
	for _, d := range slices.Backward(dirs) {
		os.Chtimes(d, mt, mt)
	}
}
