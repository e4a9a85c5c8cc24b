package stable

import (
	"os"
	"path/filepath"
	"strings"
)

// step runs an in-place step (Action.Step: `stable run --inplace`), which
// rewrites its file in place, and settles it: when a wrapper kept the
// previous file aside (see PostNote) and the step wrote the same bytes
// again, the previous file (inode, mtime) goes back. When the note says
// this very step already turned this very content into the file kept
// aside, the step is not run at all. The note for next time is saved.
//
// The step is identified by its command line, directory, program and the
// content of every file it reads besides its own: declared inputs, and any
// argument (or the part of one after '=' or ',') that names an existing
// file, such as objcopy's --update-section .blob=blob.bin.
func (r *Runner) step(a *Action) (*Outcome, error) {
	out := &Outcome{Results: map[string]Result{}}
	cmd := &toolRun{Argv: a.Argv, Path: a.Path, Dir: a.Dir, Capture: true}
	abs, err := filepath.Abs(a.path(a.Step))
	if err != nil || r.Store == nil {
		out.Why = "no record store"
		return r.runStep(out, cmd)
	}
	key, err := r.stepKey(a)
	before, rerr := os.ReadFile(abs)
	if err != nil || rerr != nil {
		out.Why = "step cannot be identified"
		return r.runStep(out, cmd)
	}
	keep := keepName(abs)
	defer os.Remove(keep)
	in := DigestBytes(before)
	n := r.Store.LoadPost(abs)
	out.Why = skipStep(n, key, in, keep)
	if out.Why == "" && !r.Config.Verify {
		if n.Out.Hash == in || putBack(keep, abs, &n.Out) {
			r.settleStep(abs, n)
			r.logf("inplace %s: answered from its note", a.Step)
			os.Stdout.Write(n.Stdout)
			os.Stderr.Write(n.Stderr)
			out.Hit, out.Results[a.Step] = true, Kept
			return out, nil
		}
		out.Why = "no unchanged result of last time kept aside"
	}
	claimed := out.Why == ""
	r.logf("inplace %s: run: %s", a.Step, out.Why)
	out, err = r.runStep(out, cmd)
	if err != nil || !out.Status.OK() {
		return out, err
	}
	after, err := stateOf(abs)
	if claimed && err == nil && after.Hash != n.Out.Hash {
		out.Mismatches = append(out.Mismatches, a.Step+": the step wrote other content than its note says")
	}
	out.Results[a.Step] = Replaced
	if putBackSame(keep, abs) {
		out.Results[a.Step] = Kept
		r.settleStep(abs, n)
		after, err = stateOf(abs)
	} else if after.Hash == in {
		out.Results[a.Step] = Kept
	}
	if err == nil && cmd.Captured {
		r.Store.SavePost(&postNote{Path: abs, Key: key, In: in, InData: before, Out: after, Stderr: cmd.Err, Stdout: cmd.Out, Newer: noteNewer(n)})
	}
	return out, nil
}

func (r *Runner) runStep(out *Outcome, cmd *toolRun) (*Outcome, error) {
	var err error
	out.Status, err = cmd.Run()
	out.Elapsed = cmd.Elapsed
	return out, err
}

// skipStep tells why the step must run, or "" when its note would answer:
// the same step, given the same content, left it as it was or turned it
// into the file kept aside.
func skipStep(n *postNote, key string, in Digest, keep string) string {
	switch {
	case n == nil:
		return "no note"
	case n.Key != key:
		return "another step, or another content of a file it reads, than last time"
	case n.In != in:
		return "the file is not what the step got last time"
	case n.Out.Hash == in:
		return "" // the step leaves this content as it is
	case !keptAsLeft(keep, &n.Out):
		return "no unchanged result of last time kept aside"
	}
	return ""
}

// putBackSame puts the kept file back when the step wrote the same bytes
// and mode again: old inode, old mtime.
func putBackSame(keep, path string) bool {
	kfi, err := os.Lstat(keep)
	if err != nil {
		return false
	}
	fi, err := os.Lstat(path)
	if err != nil || !comparable(kfi, fi, false) {
		return false
	}
	if same, _ := sameContent(keep, path, nil); !same {
		return false
	}
	return os.Rename(keep, path) == nil
}

// stepKey identifies an in-place step (see step).
func (r *Runner) stepKey(a *Action) (string, error) {
	tool, err := toolPath(a.Path, a.Argv[0], a.Dir)
	if err != nil {
		return "", err
	}
	dir, err := a.absDir()
	if err != nil {
		return "", err
	}
	var reads []string
	for _, in := range append(append([]string{}, a.Inputs...), stepFiles(a)...) {
		d, err := HashFile(a.path(in))
		if err != nil {
			return "", err
		}
		reads = append(reads, in+"="+d.String())
	}
	return actionID{Argv: a.Argv, Dir: dir, Tool: tool, Env: a.Env, Extra: append([]string{"inplace"}, reads...)}.Key(), nil
}

// stepFiles lists the existing files the step's arguments name, its own
// file aside.
func stepFiles(a *Action) []string {
	var files []string
	for _, arg := range a.Argv[1:] {
		for _, p := range candidates(arg) {
			if p == a.Step {
				continue
			}
			if fi, err := os.Stat(a.path(p)); err == nil && fi.Mode().IsRegular() {
				files = append(files, p)
			}
		}
	}
	return files
}

// candidates are the parts of an argument that may name a file.
func candidates(arg string) []string {
	c := []string{arg}
	if i := strings.LastIndexByte(arg, '='); i >= 0 {
		c = append(c, arg[i+1:])
	}
	for _, p := range strings.Split(arg, ",") {
		if p != arg {
			c = append(c, p)
		}
	}
	return c
}

// keptAsLeft says whether the kept file is still exactly the state the
// step left last time.
func keptAsLeft(keep string, out *FileState) bool {
	fi, err := os.Lstat(keep)
	if err != nil || !fi.Mode().IsRegular() {
		return false
	}
	st := statOf(keep, fi)
	// Linking it aside changed its ctime and link count, nothing else.
	return st.Ino == out.Ino && st.Dev == out.Dev && st.Size == out.Size && st.Mtime == out.Mtime && st.Mode == out.Mode
}

func noteNewer(n *postNote) int64 {
	if n == nil {
		return 0
	}
	return n.Newer
}

// settleStep: the tool that handed the file to the step ran because
// something it read is newer than the old file; put back, the old file
// gets the current time as a rebuild would give it (settle.go), or make
// asks for it again and again. The note follows.
func (r *Runner) settleStep(abs string, n *postNote) {
	if !r.Config.Settle || n == nil || n.Newer == 0 {
		return
	}
	if st, ok := settleFile(abs, n.Newer); ok {
		st.Hash, st.Path = n.Out.Hash, n.Out.Path
		n.Out = st
		r.Store.SavePost(n)
		r.logf("settle %s: put back, given the current time", abs)
	}
}
