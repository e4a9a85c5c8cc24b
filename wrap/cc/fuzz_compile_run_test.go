package cc

import (
	"bytes"
	"encoding/json"
	"fmt"
	"io/fs"
	"maps"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"slices"
	"strings"
	"syscall"
	"testing"
	"time"

	"stable/internal/likebare"
	"stable/stable"
)

// The runner of FuzzCompileLikeBare: a scenario is built in two trees set
// up alike, one with the compiler alone, one through stablecc (this test
// binary under that name) with its own record store. Both trees are
// built at the same absolute path (each is renamed there for its build),
// so that what the compilers embed of the working directory (DW_AT_comp_dir,
// .dwo names) is the same.

// ccEntry is one file or directory of a snapshot.
type ccEntry struct {
	kind  byte // 'f', 'd', 'l'
	perm  fs.FileMode
	data  string
	ino   uint64
	nlink uint64
}

type ccTree map[string]ccEntry

func ccSnap(t *testing.T, dir string) ccTree {
	t.Helper()
	m := ccTree{}
	err := filepath.WalkDir(dir, func(p string, de fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		if p == dir {
			return nil
		}
		rel, _ := filepath.Rel(dir, p)
		fi, err := os.Lstat(p)
		if err != nil {
			return err
		}
		e := ccEntry{kind: '?', perm: fi.Mode() & (fs.ModePerm | fs.ModeSetuid | fs.ModeSetgid | fs.ModeSticky)}
		if st, ok := fi.Sys().(*syscall.Stat_t); ok {
			e.ino, e.nlink = st.Ino, uint64(st.Nlink)
		}
		switch {
		case fi.Mode().IsRegular():
			e.kind = 'f'
			b, err := os.ReadFile(p)
			if err != nil {
				return err
			}
			e.data = string(b)
		case fi.IsDir():
			e.kind = 'd'
		case fi.Mode()&fs.ModeSymlink != 0:
			e.kind = 'l'
			e.data, _ = os.Readlink(p)
		}
		m[rel] = e
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	return m
}

// ccResult is how one build ended.
type ccResult struct {
	code           int
	stdout, stderr string
}

// ccDiffTrees lists the differences between the tree the compiler alone
// left and the one the wrapper left. skip, when not nil, says which paths
// may differ.
func ccDiffTrees(alone, wrapped ccTree, skip func(string) bool) []string {
	var d []string
	keys := slices.Sorted(maps.Keys(alone))
	for k := range wrapped {
		if _, ok := alone[k]; !ok {
			keys = append(keys, k)
		}
	}
	for _, k := range keys {
		a, inA := alone[k]
		w, inW := wrapped[k]
		if strings.Contains(k, ".stable") && inW {
			d = append(d, k+": a temporary of the wrapper left behind")
			continue
		}
		if skip != nil && skip(k) {
			continue
		}
		switch {
		case !inW:
			d = append(d, k+" only alone")
		case !inA:
			d = append(d, k+" only wrapped")
		case a.kind != w.kind:
			d = append(d, fmt.Sprintf("%s is %c alone, %c wrapped", k, a.kind, w.kind))
		default:
			if a.perm != w.perm {
				d = append(d, fmt.Sprintf("%s mode %v alone, %v wrapped", k, a.perm, w.perm))
			}
			if a.data != w.data {
				d = append(d, fmt.Sprintf("%s content differs: %s", k, ccContentDiff(a.data, w.data)))
			}
		}
	}
	return d
}

// ccContentDiff describes how two contents differ: text in full when
// short, else sizes and the first differing offset.
func ccContentDiff(a, b string) string {
	printable := func(s string) bool {
		return !strings.ContainsFunc(s, func(r rune) bool { return r < 0x20 && r != '\n' && r != '\t' || r == 0xfffd })
	}
	if len(a)+len(b) < 4000 && printable(a) && printable(b) {
		return fmt.Sprintf("alone:\n%s\nwrapped:\n%s", a, b)
	}
	i := 0
	for i < len(a) && i < len(b) && a[i] == b[i] {
		i++
	}
	return fmt.Sprintf("%d bytes alone, %d wrapped, first difference at offset %d", len(a), len(b), i)
}

// ccEnv is the environment both runs share: the caller's, without what
// changes what the compilers or the wrapper do, in the C locale.
func ccEnv() []string {
	var env []string
	for _, kv := range os.Environ() {
		name, _, _ := strings.Cut(kv, "=")
		switch {
		case strings.HasPrefix(name, "STABLE_"), strings.HasPrefix(name, "LC_"), strings.HasPrefix(name, "GCC_"),
			strings.HasPrefix(name, "CCC_"), strings.HasSuffix(name, "INCLUDE_PATH"), name == likebare.Env:
			continue
		}
		switch name {
		case "CPATH", "SOURCE_DATE_EPOCH", "TMPDIR", "DEPENDENCIES_OUTPUT", "SUNPRO_DEPENDENCIES", "LANG", "LANGUAGE",
			"COMPILER_PATH", "LIBRARY_PATH", "TERM", "GOCOVERDIR":
			continue
		}
		env = append(env, kv)
	}
	return append(env, "LC_ALL=C")
}

// setEnv replaces or adds NAME=value.
func setEnv(env []string, name, value string) []string {
	env = slices.DeleteFunc(slices.Clone(env), func(kv string) bool { return strings.HasPrefix(kv, name+"=") })
	return append(env, name+"="+value)
}

// ccWriteTree sets a scenario's tree up in dir; it returns the inputs.
func ccWriteTree(t *testing.T, dir string, sc *ccScenario) {
	t.Helper()
	for _, d := range sc.dirs {
		if err := os.MkdirAll(filepath.Join(dir, d), 0o755); err != nil {
			t.Fatal(err)
		}
	}
	for name, target := range sc.links {
		if err := os.Symlink(target, filepath.Join(dir, name)); err != nil {
			t.Fatal(err)
		}
	}
	for name, data := range sc.files {
		p := filepath.Join(dir, name)
		if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(p, []byte(data), 0o644); err != nil {
			t.Fatal(err)
		}
	}
}

// ccApply applies one change to a tree; inputs are the files the
// scenario wrote (the rest are outputs).
func ccApply(t *testing.T, dir string, ch ccChange, inputs map[string]bool, env *[]string) {
	t.Helper()
	for _, op := range ch.ops {
		p := filepath.Join(dir, op.path)
		switch op.kind {
		case 'w':
			os.MkdirAll(filepath.Dir(p), 0o755)
			if fi, err := os.Lstat(p); err == nil && fi.IsDir() {
				continue // a directory was made there: the write fails alike
			}
			if err := os.WriteFile(p, []byte(op.data), 0o644); err != nil {
				t.Fatal(err)
			}
			inputs[op.path] = true
		case 'n':
			tmp := p + ".new"
			if err := os.WriteFile(tmp, []byte(op.data), 0o644); err != nil {
				t.Fatal(err)
			}
			if err := os.Rename(tmp, p); err != nil {
				t.Fatal(err)
			}
			inputs[op.path] = true
		case 't':
			now := time.Now()
			os.Chtimes(p, now, now)
		case 'r':
			os.RemoveAll(p)
			delete(inputs, op.path)
		case 'd':
			os.MkdirAll(p, 0o755)
		case 'D':
			filepath.WalkDir(dir, func(q string, de fs.DirEntry, err error) error {
				rel, _ := filepath.Rel(dir, q)
				if err == nil && !de.IsDir() && strings.HasSuffix(q, ".d") && !inputs[rel] {
					os.Remove(q)
				}
				return nil
			})
		case 'm', 'j', 'H', 'L':
			var outs []string
			filepath.WalkDir(dir, func(q string, de fs.DirEntry, err error) error {
				rel, _ := filepath.Rel(dir, q)
				// Symlinks too, for 'j': it writes through them.
				if err == nil && (de.Type().IsRegular() || op.kind == 'j' && de.Type()&fs.ModeSymlink != 0) && !inputs[rel] {
					outs = append(outs, rel)
				}
				return nil
			})
			for _, rel := range outs {
				q := filepath.Join(dir, rel)
				linked := strings.HasSuffix(rel, ".hl") || strings.HasSuffix(rel, ".real")
				switch {
				case op.kind == 'm':
					os.Chmod(q, 0o600)
				case op.kind == 'H' && !linked:
					os.Link(q, q+".hl")
				case op.kind == 'L' && !linked:
					if os.Rename(q, q+".real") == nil {
						os.Symlink(filepath.Base(q)+".real", q)
					}
				case op.kind == 'j' && (rel == op.path || op.path == ".d" && strings.HasSuffix(rel, ".d")):
					os.WriteFile(q, []byte(op.data), 0o666)
				}
			}
		case 'e':
			if env != nil {
				*env = setEnv(*env, op.path, op.data)
			}
		}
	}
}

// ccRun runs one build in dir.
func ccRun(t *testing.T, cmd *exec.Cmd) ccResult {
	t.Helper()
	var out, errs bytes.Buffer
	cmd.Stdout, cmd.Stderr = &out, &errs
	err := cmd.Run()
	if err != nil && cmd.ProcessState == nil {
		t.Fatal(err)
	}
	return ccResult{cmd.ProcessState.ExitCode(), out.String(), errs.String()}
}

// ccSignature is what a build produced, to tell builds apart: its exit
// status, what it printed, and its outputs in dir (read through symlinks).
func ccSignature(r ccResult, dir string, outputs map[string]bool) string {
	var b strings.Builder
	fmt.Fprintf(&b, "%d\x00%s\x00%s", r.code, r.stdout, r.stderr)
	for _, p := range slices.Sorted(maps.Keys(outputs)) {
		data, err := os.ReadFile(filepath.Join(dir, p))
		fmt.Fprintf(&b, "\x00%s\x00%v\x00%s", p, err == nil, data)
	}
	return b.String()
}

// ccStats, when FUZZCC_STATS names a file, receives one line per wrapped
// build: what the wrapper decided, and why.
func ccStats(e stable.Entry, sc *ccScenario, step int) {
	path := os.Getenv("FUZZCC_STATS")
	if path == "" {
		return
	}
	f, err := os.OpenFile(path, os.O_APPEND|os.O_CREATE|os.O_WRONLY, 0o644)
	if err != nil {
		return
	}
	defer f.Close()
	what := "build"
	if step > 0 {
		what = sc.changes[step-1].what
	}
	fmt.Fprintf(f, "%s\t%s\t%s\t%s\n", e.Decision, e.Why, sc.cc, what)
}

// runCCScenario builds a scenario alone and wrapped, after each change,
// and compares.
func runCCScenario(t *testing.T, sc *ccScenario) {
	ccPath, err := exec.LookPath(sc.cc)
	if err != nil {
		t.Skipf("%s not installed", sc.cc)
	}
	self, err := os.Executable()
	if err != nil {
		t.Fatal(err)
	}
	base := t.TempDir()
	plain, wrapped, work := filepath.Join(base, "alone"), filepath.Join(base, "wrapped"), filepath.Join(base, "w")
	store, logFile := filepath.Join(base, "store"), filepath.Join(base, "log")
	// The compilers' temporaries (gcc's /tmp/ccXXXXXX.s, named in the
	// assembler's messages) go to a directory of their own, and their
	// names are masked in what both runs print.
	tmp := filepath.Join(base, "tmp")
	if err := os.Mkdir(tmp, 0o755); err != nil {
		t.Fatal(err)
	}
	tmpName := regexp.MustCompile(regexp.QuoteMeta(tmp) + `/[A-Za-z0-9_.+-]+`)
	mask := func(r ccResult) ccResult {
		r.stdout = tmpName.ReplaceAllString(r.stdout, "$$TMPDIR/temp")
		r.stderr = tmpName.ReplaceAllString(r.stderr, "$$TMPDIR/temp")
		return r
	}
	sc = sc.at(work)
	ccWriteTree(t, plain, sc)
	ccWriteTree(t, wrapped, sc)
	inputs := map[string]bool{}
	for name := range sc.files {
		inputs[name] = true
	}
	env := setEnv(ccEnv(), "TMPDIR", tmp)
	for _, kv := range sc.env {
		name, v, _ := strings.Cut(kv, "=")
		env = setEnv(env, name, v)
	}
	var journal []string
	fail := func(step int, format string, args ...any) {
		t.Helper()
		t.Fatalf("%s\nscenario:\n%s\nwrapper, build by build:\n%s", fmt.Sprintf("build %d: ", step)+fmt.Sprintf(format, args...),
			sc, strings.Join(journal, "\n"))
	}
	move := func(from, to string) {
		t.Helper()
		if err := os.Rename(from, to); err != nil {
			t.Fatal(err)
		}
	}
	recorded := map[string]bool{} // signatures of builds the wrapper ran, and may have recorded
	primary := map[string]bool{}  // the outputs: files a build alone created
	for step := 0; step <= len(sc.changes); step++ {
		if step > 0 {
			ch := sc.changes[step-1]
			ccApply(t, plain, ch, maps.Clone(inputs), nil)
			ccApply(t, wrapped, ch, inputs, &env)
			// Records distrust a file changed within a clock tick of
			// their making; a build follows a change a little later.
			time.Sleep(20 * time.Millisecond)
		}

		move(plain, work)
		preB := ccSnap(t, work)
		cmd := &exec.Cmd{Path: ccPath, Args: append([]string{sc.cc}, sc.args...), Dir: work, Env: env}
		rb := mask(ccRun(t, cmd))
		postB := ccSnap(t, work)
		for p, e := range postB {
			if _, ok := preB[p]; !ok && e.kind == 'f' && !inputs[p] {
				primary[p] = true
			}
		}
		sig := ccSignature(rb, work, primary)
		move(work, plain)

		move(wrapped, work)
		preW := ccSnap(t, work)
		os.Remove(logFile)
		cmd = &exec.Cmd{Path: self, Args: append([]string{"stablecc", sc.cc}, sc.args...), Dir: work,
			Env: append(slices.Clone(env), likebare.Env+"=1", "STABLE_DIR="+store, "STABLE_LOG="+logFile)}
		rw := mask(ccRun(t, cmd))
		postW := ccSnap(t, work)
		move(work, wrapped)

		var e stable.Entry
		if b, err := os.ReadFile(logFile); err != nil || json.Unmarshal(bytes.TrimSpace(b), &e) != nil {
			fail(step, "no journal entry from the wrapper (%v); exit %d, stderr %q", err, rw.code, rw.stderr)
		}
		what := "first build"
		if step > 0 {
			what = "after " + sc.changes[step-1].what
		}
		journal = append(journal, fmt.Sprintf("  build %d (%s): alone exit %d; wrapped %s (%s)", step, what, rb.code, e.Decision, e.Why))
		ccStats(e, sc, step)
		ccCover(e, step)

		var d []string
		if rb.code != rw.code {
			d = append(d, fmt.Sprintf("exit %d alone, %d wrapped", rb.code, rw.code))
		}
		if rb.stdout != rw.stdout {
			d = append(d, fmt.Sprintf("stdout alone:\n%s\nwrapped:\n%s", rb.stdout, rw.stdout))
		}
		if rb.stderr != rw.stderr {
			d = append(d, fmt.Sprintf("stderr alone:\n%s\nwrapped:\n%s", rb.stderr, rw.stderr))
		}
		// A failing compiler may leave part of its work or remove its
		// outputs, where the wrapper leaves the old outputs as they were
		// (README, known limits): outputs may differ then, and the tree
		// alone takes the wrapped outputs for the builds that follow.
		failed := rb.code != 0 && rb.code == rw.code
		var skip func(string) bool
		if failed {
			skip = func(p string) bool { return !inputs[p] }
		}
		d = append(d, ccDiffTrees(postB, postW, skip)...)
		if e.Decision == "hit" && !recorded[sig] {
			d = append(d, "a record answered, but the compiler alone wrote or printed what no run the wrapper recorded did")
		}
		if e.Decision != "passthrough" {
			// An output the wrapper leaves unchanged keeps its inode (one
			// with other hard links is replaced as the compiler would).
			for p, o := range preW {
				if w, ok := postW[p]; ok && o.kind == 'f' && w.kind == 'f' && o.nlink == 1 && o.data == w.data && o.perm == w.perm && o.ino != w.ino {
					d = append(d, p+" unchanged but replaced by the wrapped build (new inode)")
				}
			}
		}
		if len(d) > 0 {
			fail(step, "alone and wrapped differ:\n%s", strings.Join(d, "\n"))
		}
		if e.Decision == "ran" && rb.code == 0 {
			recorded[sig] = true
		}
		if failed {
			ccResync(t, plain, postB, postW, inputs)
		}
	}
}

// ccResync makes the outputs of the tree alone those of the wrapped tree.
func ccResync(t *testing.T, dir string, alone, wrapped ccTree, inputs map[string]bool) {
	t.Helper()
	for p, e := range alone {
		if _, ok := wrapped[p]; !ok && e.kind == 'f' && !inputs[p] {
			os.Remove(filepath.Join(dir, p))
		}
	}
	for p, e := range wrapped {
		if e.kind != 'f' || inputs[p] {
			continue
		}
		if a, ok := alone[p]; ok && a.data == e.data && a.perm == e.perm {
			continue
		}
		q := filepath.Join(dir, p)
		os.MkdirAll(filepath.Dir(q), 0o755)
		os.Remove(q)
		if err := os.WriteFile(q, []byte(e.data), e.perm); err != nil {
			t.Fatal(err)
		}
		os.Chmod(q, e.perm)
	}
}

// ccCovered gives each kind of decision of the wrapper a branch of its
// own, so that the fuzzer's coverage sees a scenario that makes the
// wrapper decide in a new way (or for a new reason) as new.
var ccCovered [16]int

func ccCover(e stable.Entry, step int) {
	first := step == 0
	switch {
	case e.Decision == "hit":
		ccCovered[0]++
	case e.Decision == "passthrough":
		ccCovered[1]++
	case e.Decision == "failed" && first:
		ccCovered[2]++
	case e.Decision == "failed":
		ccCovered[3]++
	case e.Decision != "ran":
		ccCovered[4]++
	case first && e.Why == "no record":
		ccCovered[5]++
	case first:
		ccCovered[6]++ // a reason to keep no record
	case strings.HasPrefix(e.Why, "input "):
		ccCovered[7]++
	case strings.HasPrefix(e.Why, "a file appeared"):
		ccCovered[8]++
	case strings.HasPrefix(e.Why, "output "):
		ccCovered[9]++
	case strings.Contains(e.Why, "SOURCE_DATE_EPOCH"):
		ccCovered[10]++
	case e.Why == "no record":
		ccCovered[11]++
	default:
		ccCovered[12]++
	}
}

// at returns the scenario with ccWork replaced by the tree's path.
func (s *ccScenario) at(work string) *ccScenario {
	x := func(v string) string { return strings.ReplaceAll(v, ccWork, work) }
	out := &ccScenario{cc: s.cc, env: s.env, dirs: s.dirs, links: s.links, files: map[string]string{}}
	for _, a := range s.args {
		out.args = append(out.args, x(a))
	}
	for name, data := range s.files {
		out.files[name] = x(data)
	}
	for _, ch := range s.changes {
		c := ccChange{what: ch.what}
		for _, op := range ch.ops {
			op.data = x(op.data)
			c.ops = append(c.ops, op)
		}
		out.changes = append(out.changes, c)
	}
	return out
}
