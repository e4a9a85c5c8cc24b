package stable

import (
	"os"
	"slices"
	"time"
)

// Settling: the mtime an unchanged output gets.
//
// When a tool's output comes out with the bytes it had, the file is left
// alone. But when the tool ran (or a record answered) because an input is
// newer than the output, keeping the old mtime leaves the output older
// than that input: make asks for it again on every later run, and ninja
// (which does not re-stat outputs of rules without restat) rebuilds it and
// everything after it on every run. So such an output gets the current
// time, as a real rebuild would give it: its content is what it was, its
// consumers are asked once, and their wrappers answer from records in
// turn, until the build is quiet. An output that is not older than its
// inputs (a step that runs every time, such as objcopy of a PHONY target)
// keeps its mtime, and nothing downstream moves. STABLE_SETTLE=0 keeps
// every unchanged output's mtime (make then re-asks, ninja loops).
//
// Under make one case keeps the old mtime all the same: every newer input
// was rewritten during this very build, by something other than a stable
// wrapper (a PHONY rule that relinks vmlinux with the same bytes on every
// make). make re-stats the output after its recipe, so nothing downstream
// runs; settling would instead run everything downstream on every make. An
// input changed before the build (edited, touched) or settled by a wrapper
// in this build (a cascade of answers) settles the output, and so does a
// foreign rewrite that came after a wrapper settled something in this build
// (a plain ar rebuilding an archive from settled objects: part of the
// cascade). make's start is known to a clock tick (10 ms): a change in the
// tick it started counts as during the build, the side that never
// cascades.

// settles decides whether an unchanged output with the given mtime gets
// the current time, against its inputs' states.
func (r *Runner) settles(mtime int64, inputs []FileState, dir string) bool {
	if !r.Config.Settle {
		return false
	}
	b := buildInfo()
	for _, in := range inputs {
		if in.Mtime <= mtime {
			continue
		}
		if b.tool != "make" || in.Mtime < b.start || r.bumpedByStable(absIn(dir, in.Path), in) ||
			r.cascadeBefore(in.Mtime) {
			return true
		}
	}
	return false
}

// bumpedByStable says whether a wrapper gave the file its current state
// (settled it, or wrote it): its path note says so.
func (r *Runner) bumpedByStable(abs string, st FileState) bool {
	if r.Store == nil {
		return false
	}
	n, ok := r.Store.loadLast(abs)
	return ok && n.Ino == st.Ino && n.Mtime == st.Mtime && n.Size == st.Size
}

// noteBump notes the state stable gave a file (see bumpedByStable), and
// that this build has a cascade of settled outputs (see cascadeBefore).
func (r *Runner) noteBump(abs string, st FileState) {
	if r.Store == nil {
		return
	}
	r.markCascade(st.Mtime)
	n, _ := r.Store.loadLast(abs)
	consumed := n.Consumed && n.Hash == st.Hash
	r.Store.saveLast(abs, lastNote{FileState: st, Consumed: consumed})
}

// newestMtime is the latest mtime among states.
func newestMtime(states []FileState) int64 {
	var n int64
	for _, s := range states {
		n = max(n, s.Mtime)
	}
	return n
}

// settleFile gives the file at path the current time when it is older than
// newest, and returns its new stat; ok is false when nothing was done.
func settleFile(path string, newest int64) (FileState, bool) {
	fi, err := os.Stat(path)
	if err != nil || fi.ModTime().UnixNano() >= newest {
		return FileState{}, false
	}
	now := time.Now()
	if now.UnixNano() < newest { // a clock behind the filesystem's (NFS)
		now = time.Unix(0, newest)
	}
	if os.Chtimes(path, time.Time{}, now) != nil {
		return FileState{}, false
	}
	if fi, err = os.Stat(path); err != nil {
		return FileState{}, false
	}
	return statOf(path, fi), true
}

// settleHit settles the outputs of a record hit. An output vouched for by
// an in-place step's note (objtool) is settled as the step left it, and
// the note learns the new stat so the step's wrapper still recognises it.
// It reports whether the record changed.
func (r *Runner) settleHit(a *Action, h *hit) bool {
	rec := h.rec
	newest, changed := newestMtime(rec.Inputs), false
	for i := range rec.Outputs {
		o := &rec.Outputs[i]
		if o.Data != nil {
			continue // side outputs follow their object (NotNewer)
		}
		abs := rec.abs(o.Path)
		fi, err := os.Stat(abs)
		if err != nil || !r.settles(fi.ModTime().UnixNano(), rec.Inputs, rec.Dir) {
			continue
		}
		st, ok := settleFile(abs, newest)
		if !ok {
			continue
		}
		r.logf("settle %s: unchanged, given the current time", o.Path)
		if p := findPost(h.posts, abs); p != nil {
			st.Hash, st.Path = p.note.Out.Hash, p.note.Out.Path
			p.note.Out = st
			r.Store.SavePost(p.note)
			continue
		}
		st.Hash, st.Path, st.Code = o.Hash, o.Path, o.Code
		o.FileState = st
		changed = true
		r.noteBump(abs, st)
	}
	if changed {
		rec.Time = time.Now().UnixNano()
	}
	return changed
}

// settleKept settles the outputs a run left alone, against its inputs, and
// notes the state of every output the run gave a new one.
func (r *Runner) settleKept(a *Action, txn *Txn, inputs []FileState) {
	newest := newestMtime(inputs)
	dir, _ := a.absDir()
	for _, o := range txn.Outs() {
		abs := absIn(dir, o.Name)
		switch {
		case o.Result == Created || o.Result == Replaced:
			if o.Tree || isReplayed(a, o.Name) || slices.Contains(a.Revive, o.Name) {
				continue // revive.go notes Revive outputs
			}
			if st, err := stateOfHashed(abs, o.Hash); err == nil {
				r.noteBump(abs, st)
			}
		case o.Result != Kept || o.Tree || isReplayed(a, o.Name) || a.KeepTimes:
		default:
			fi, err := os.Stat(abs)
			if err != nil || !r.settles(fi.ModTime().UnixNano(), inputs, dir) {
				continue
			}
			if st, ok := settleFile(abs, newest); ok {
				r.logf("settle %s: unchanged, given the current time", o.Name)
				st.Hash = o.Hash
				r.noteBump(abs, st)
			}
		}
	}
}

func isReplayed(a *Action, name string) bool {
	for _, n := range a.Replay {
		if n == name {
			return true
		}
	}
	return false
}

func findPost(posts []handOver, abs string) *handOver {
	for i := range posts {
		if posts[i].path == abs {
			return &posts[i]
		}
	}
	return nil
}

// order applies the NotNewer pairs: a depfile must never be newer than the
// object it describes, or make rebuilds the object forever.
func (a *Action) order() {
	for _, p := range a.NotNewer {
		notNewer(a.path(p[0]), a.path(p[1]))
	}
}

// notNewer sets a's mtime to b's when a is newer, to the nanosecond: make
// rebuilds only when a prerequisite is strictly newer, so equal is settled.
func notNewer(a, b string) error {
	fa, err := os.Stat(a)
	if err != nil {
		return err
	}
	fb, err := os.Stat(b)
	if err != nil {
		return err
	}
	if !fa.ModTime().After(fb.ModTime()) {
		return nil
	}
	return os.Chtimes(a, time.Time{}, fb.ModTime())
}
