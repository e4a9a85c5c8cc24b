package stable

import (
	"bytes"
	"os"
)

// tryHit decides whether the record r still describes the disk. On a hit it
// recreates the side outputs callers may have deleted, settles outputs
// older than their inputs when asked to, replays what the tool printed,
// restores the mtime order and refreshes the record.
func (a *Action) tryHit(r *Record) string {
	if len(r.Inputs) == 0 {
		return "no inputs known"
	}
	var posts []handOver
	why, changed := r.Fresh(func(o *OutState) bool {
		abs := r.abs(o.Path)
		n := a.Store.LoadPost(abs)
		if n.vouches(abs, o.Hash) {
			posts = append(posts, handOver{abs, o.Mode, n})
			return true
		}
		return false
	})
	if why != "" {
		return why
	}
	if len(a.Settle) > 0 && a.settleHit(r, posts) {
		changed = true
	}
	for _, h := range posts {
		if err := h.note.handOver(h.path, h.mode); err != nil {
			return "cannot hand " + h.path + " to its in-place step: " + err.Error()
		}
	}
	for _, o := range r.Outputs {
		if o.Data == nil {
			continue
		}
		if err := restore(r.abs(o.Path), o); err != nil {
			return "cannot recreate " + o.Path + ": " + err.Error()
		}
	}
	os.Stdout.Write(r.Stdout)
	os.Stderr.Write(r.Stderr)
	a.order()
	a.Log("hit %s: tool not run", a.Argv[0])
	if changed {
		a.Store.Save(r)
	} else {
		a.Store.Touch(r.Key)
	}
	return ""
}

// restore writes a recorded side output back when it is missing or
// altered; an identical file is left alone.
func restore(path string, o OutState) error {
	if cur, err := os.ReadFile(path); err == nil && bytes.Equal(cur, o.Data) {
		if fi, err := os.Stat(path); err == nil && fi.Mode() == o.Mode {
			return nil
		}
	}
	return writeFileAtomic(path, o.Data, o.Mode)
}

// order applies the NotNewer pairs: a depfile must never be newer than the
// object it describes, or make rebuilds the object forever.
func (a *Action) order() {
	for _, p := range a.NotNewer {
		NotNewer(a.path(p[0]), a.path(p[1]))
	}
}

func (a *Action) path(p string) string {
	if a.Dir == "" || len(p) > 0 && p[0] == '/' {
		return p
	}
	return a.Dir + "/" + p
}

// handOver is an output whose in-place step (objtool) must get the
// content it expects again.
type handOver struct {
	path string
	mode os.FileMode
	note *PostNote
}
