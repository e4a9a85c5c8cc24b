package stable

import (
	"os"
	"slices"
	"time"
)

// Settling (STABLE_SETTLE=1, for outputs a wrapper lists in Action.Settle).
//
// An object that comes out unchanged keeps its old mtime, so after a header
// is touched it stays older than the header and make asks for it again on
// every run; each answer is cheap, but hundreds of them are not free.
// Settling gives such an object the current time instead: its content is
// what it was, so this is only what a real rebuild would have done to its
// mtime, and make stops asking. Its consumers are asked once instead; an
// archive step through stable-ar then comes out the same and keeps its old
// mtime (Action.Revive), so nothing further rebuilds. Where a consumer is
// unwrapped (a plain ar or ld), settling costs that consumer one rebuild,
// which is why it is off unless asked for.

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
func (a *Action) settleHit(r *Record, posts []handOver) bool {
	newest, changed := newestMtime(r.Inputs), false
	for i := range r.Outputs {
		o := &r.Outputs[i]
		if o.Data != nil || !slices.Contains(a.Settle, o.Path) {
			continue
		}
		abs := r.abs(o.Path)
		st, ok := settleFile(abs, newest)
		if !ok {
			continue
		}
		a.Log("settle %s: unchanged, given the current time", o.Path)
		if h := findPost(posts, abs); h != nil {
			st.Hash, st.Path = h.note.Out.Hash, h.note.Out.Path
			h.note.Out = st
			a.Store.SavePost(h.note)
			continue
		}
		st.Hash, st.Path = o.Hash, o.Path
		o.FileState = st
		changed = true
	}
	if changed {
		r.Time = time.Now().UnixNano()
	}
	return changed
}

// settleKept settles the outputs a run left alone, against the inputs the
// record is about to describe.
func (a *Action) settleKept(txn *Txn, inputs []FileState) {
	newest := newestMtime(inputs)
	for _, o := range txn.Outs() {
		if o.Result == Kept && slices.Contains(a.Settle, o.Name) {
			if _, ok := settleFile(a.path(o.Name), newest); ok {
				a.Log("settle %s: unchanged, given the current time", o.Name)
			}
		}
	}
}

func findPost(posts []handOver, abs string) *handOver {
	for i := range posts {
		if posts[i].path == abs {
			return &posts[i]
		}
	}
	return nil
}
