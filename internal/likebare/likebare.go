// Package likebare runs a tool alone and through its stable wrapper on the
// same command lines and compares what each leaves: exit status, output,
// and the whole tree (content, modes, symlinks, owners, mtimes the tool
// sets). The like-bare tests of wrap/cp, wrap/install, wrap/objcopy and
// wrap/ar use it; the wrapper side is the test binary itself, re-executed under the
// wrapper's name (see Main).
package likebare

import (
	"bytes"
	"encoding/json"
	"fmt"
	"io/fs"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"slices"
	"strings"
	"syscall"
	"testing"
	"time"

	"stable/stable"
)

// Env makes a test binary run as the wrapper (see Main).
const Env = "STABLE_TEST_LIKE_BARE_WRAPPER"

// Main is a test package's TestMain: with Env set the binary is the
// wrapper (wrapper never returns for a passthrough: it execs the tool),
// otherwise it runs the tests.
func Main(m *testing.M, wrapper func(args []string) stable.Status) {
	if os.Getenv(Env) != "" {
		stable.Exit(wrapper(os.Args))
	}
	os.Exit(m.Run())
}

// Case is one command line: the tool's arguments as words split at
// spaces, two single quotes standing for an empty word.
type Case struct {
	Args  string
	Setup func(t *testing.T, dir string) // after the common setup
	// Differs, when set, names an intended difference (a design the
	// README states); Expect holds its shape: every difference shown must
	// match one of these patterns, or the case fails.
	Differs string
	Expect  []string
	Skip    map[string]string // tool -> why the case cannot be compared with it
}

// Harness runs a tool alone and through its wrapper (this test binary
// under the wrapper's name).
type Harness struct {
	Tool  string   // the tool as the bare command line names it
	Argv0 string   // the wrapper's name
	Pre   []string // wrapper arguments before the tool's (stable-objcopy llvm-objcopy)
	Setup func(t *testing.T, dir string)
}

// likeOld bounds the fixed mtimes the setup gives: an mtime before it was
// set deterministically (by the setup, or by the tool from a source).
var likeOld = time.Date(2022, 1, 1, 0, 0, 0, 0, time.UTC).UnixNano()

func (h *Harness) Run(t *testing.T, cases []Case) {
	toolPath, err := exec.LookPath(h.Tool)
	if err != nil {
		t.Skipf("%s not installed", h.Tool)
	}
	self, err := os.Executable()
	if err != nil {
		t.Fatal(err)
	}
	for _, c := range cases {
		t.Run(strings.ReplaceAll(c.Args, "/", "|"), func(t *testing.T) {
			t.Parallel()
			if why, ok := c.Skip[h.Tool]; ok {
				t.Skip(why)
			}
			args := likeWords(c.Args)
			setup := func(t *testing.T, dir string) {
				h.Setup(t, dir)
				if c.Setup != nil {
					c.Setup(t, dir)
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
							WriteFiles(t, dir, []File{{Name: p, Data: data, Mode: perm}})
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
func (h *Harness) compare(t *testing.T, c Case, toolPath, self string, args []string, prep func(*testing.T, string), first func(pre, post likeTree)) {
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
	msg := fmt.Sprintf("%s %s: alone and wrapped differ:\n\t%s", h.Tool, c.Args, strings.Join(diffs, "\n\t"))
	if c.Differs != "" && Expected(diffs, c.Expect) {
		t.Logf("intended (%s):\n%s", c.Differs, msg)
		return
	}
	t.Fatal(msg)
}

// Expected says whether every difference matches one of the patterns.
func Expected(diffs, patterns []string) bool {
	for _, d := range diffs {
		if !slices.ContainsFunc(patterns, func(p string) bool { return regexp.MustCompile(p).MatchString(d) }) {
			return false
		}
	}
	return true
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
		// An mtime the tool set from a source (-p) must be the same: it
		// is part of what the tool writes, even onto a file it keeps.
		old, had := preB[p]
		if b.kind != 'l' && b.mtime < likeOld && (!had || old.mtime != b.mtime) && w.mtime != b.mtime {
			d = append(d, fmt.Sprintf("%s mtime %s alone, %s wrapped", p,
				time.Unix(0, b.mtime).UTC(), time.Unix(0, w.mtime).UTC()))
		}
	}
	// The wrapper's own promise: a file whose content and mode did not
	// change keeps its inode, and its mtime unless the tool sets one from
	// a source (then it is the tool's, compared above).
	if wrapped {
		for _, p := range likeKeys(preW, nil) {
			o, w := preW[p], postW[p]
			if o.kind != 'f' || w.kind != 'f' || o.data != w.data || o.perm != w.perm {
				continue
			}
			fromSource := postB[p].mtime < likeOld && w.mtime == postB[p].mtime
			// A tool that writes a new file breaks a hard link: alone, the
			// file with other links got a new inode, and wrapped it must.
			newFile := o.nlink > 1 && preB[p].ino != postB[p].ino
			if (o.ino != w.ino || o.mtime != w.mtime && !fromSource) && !newFile {
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

func (h *Harness) bare(t *testing.T, toolPath, dir string, args []string) likeResult {
	t.Helper()
	cmd := &exec.Cmd{Path: toolPath, Args: append([]string{h.Tool}, args...), Dir: dir,
		Env: append(os.Environ(), "LC_ALL=C")}
	return likeExec(t, cmd)
}

// wrapped runs the wrapper and reads what it decided from its STABLE_LOG.
func (h *Harness) wrapped(t *testing.T, self, dir, records string, args []string) (likeResult, stable.Entry) {
	t.Helper()
	argv := append(append([]string{h.Argv0}, h.Pre...), args...)
	log := filepath.Join(records, "log")
	os.Remove(log)
	cmd := &exec.Cmd{Path: self, Args: argv, Dir: dir,
		Env: append(os.Environ(), "LC_ALL=C", Env+"=1", "STABLE_DIR="+records, "STABLE_LOG="+log,
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
	nlink    uint64
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
			e.ino, e.uid, e.gid, e.nlink = st.Ino, st.Uid, st.Gid, uint64(st.Nlink)
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

// File is one entry to create: a regular file (mode holds the
// permissions), a directory (fs.ModeDir), a symlink (fs.ModeSymlink, data
// is the target) or a hard link (fs.ModeType, data is the existing file).
type File struct {
	Name string
	Data string
	Mode fs.FileMode
}

// likeTime is the mtime of the n-th file of a setup: old, distinct, fixed.
func likeTime(n int) time.Time {
	return time.Date(2020, 1, 1, 0, 0, 0, 0, time.UTC).Add(time.Duration(n) * 24 * time.Hour)
}

func WriteFiles(t *testing.T, dir string, files []File) {
	t.Helper()
	for n, f := range files {
		p := filepath.Join(dir, f.Name)
		if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
			t.Fatal(err)
		}
		var err error
		switch {
		case f.Mode == fs.ModeType:
			err = os.Link(filepath.Join(filepath.Dir(p), f.Data), p)
		case f.Mode&fs.ModeSymlink != 0:
			os.Remove(p)
			err = os.Symlink(f.Data, p)
		case f.Mode&fs.ModeDir != 0:
			if err = os.MkdirAll(p, 0o755); err == nil {
				err = os.Chmod(p, f.Mode&fs.ModePerm)
			}
		default:
			if fi, e := os.Lstat(p); e == nil && !fi.Mode().IsRegular() {
				os.Remove(p)
			}
			if err = os.WriteFile(p, []byte(f.Data), 0o600); err == nil {
				err = os.Chmod(p, f.Mode&(fs.ModePerm|fs.ModeSetuid|fs.ModeSetgid|fs.ModeSticky))
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

// Build makes the binary inputs of a setup: it writes sources into a
// fresh directory, runs each command there (skipping the test when a
// command's program is not installed) and returns the named products'
// bytes.
func Build(t *testing.T, sources map[string]string, cmds [][]string, products ...string) map[string]string {
	t.Helper()
	dir := t.TempDir()
	for name, text := range sources {
		if err := os.WriteFile(filepath.Join(dir, name), []byte(text), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	for _, argv := range cmds {
		if _, err := exec.LookPath(argv[0]); err != nil {
			t.Skip(argv[0] + " not installed")
		}
		cmd := exec.Command(argv[0], argv[1:]...)
		cmd.Dir = dir
		if out, err := cmd.CombinedOutput(); err != nil {
			t.Fatalf("%q: %v\n%s", argv, err, out)
		}
	}
	m := map[string]string{}
	for _, p := range products {
		b, err := os.ReadFile(filepath.Join(dir, p))
		if err != nil {
			t.Fatal(err)
		}
		m[p] = string(b)
	}
	return m
}

// LeftByFailure are the differences a failing tool leaves alone and not
// wrapped: files it wrote before it failed (new, or with their new content,
// mode and mtime), where the wrapper keeps the old outputs as they were.
var LeftByFailure = []string{`only alone$`, ` content .* alone, .* wrapped$`, ` mode \S+ alone, \S+ wrapped$`, ` mtime .* alone, .* wrapped$`}
