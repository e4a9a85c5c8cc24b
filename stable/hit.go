package stable

import (
	"bytes"
	"os"
	"slices"
	"strings"
	"syscall"
	"time"
)

// lookup tries the record of key. A record that still describes the disk
// answers the action (out.Hit is set, the tool is not run). With
// STABLE_VERIFY such a record is returned instead, for the run to check
// its claims; otherwise nil, with out.Why saying why the tool must run.
func (r *Runner) lookup(a *Action, key string, out *Outcome) *record {
	if r.Store == nil {
		return nil
	}
	if a.NoRecord != "" {
		out.Why = a.NoRecord
		return nil
	}
	rec := r.Store.Load(key)
	if rec == nil {
		return nil
	}
	h, why := r.fresh(a, rec)
	if why != "" {
		out.Why = why
		if strings.HasPrefix(why, "output ") && rec.missingOutput() {
			// A recipe removed an output whose record held otherwise:
			// keep copies from now on, so that the next time is a hit.
			a.KeepCopies = true
		}
		return nil
	}
	if r.Config.Verify {
		out.Why = "verifying a record that holds"
		return rec
	}
	if why := r.applyHit(a, h); why != "" {
		out.Why = why
		return nil
	}
	r.logf("hit %s: tool not run", a.command())
	out.Hit, out.Elapsed, out.told = true, time.Duration(rec.Elapsed), h.told
	return nil
}

// hit is a record found to describe the disk.
type hit struct {
	rec     *record
	posts   []handOver // outputs an in-place step rewrote, to hand back to it
	changed bool       // states were refreshed: the record is saved again
	told    bool       // explain already tells of a hit of this record
}

// fresh decides whether the record still describes the disk and the
// environment; why is "" when it does.
func (r *Runner) fresh(a *Action, rec *record) (*hit, string) {
	if len(rec.Inputs) == 0 {
		return nil, "no inputs known"
	}
	if why := rec.condsHold(); why != "" {
		return nil, why
	}
	if why := a.linkToReplace(); why != "" {
		return nil, why
	}
	h := &hit{rec: rec}
	why, changed := rec.Fresh(func(o *outState) bool {
		abs := rec.abs(o.Path)
		n := r.Store.LoadPost(abs)
		if n.vouches(abs, o.Hash) {
			h.posts = append(h.posts, handOver{abs, o.Mode, n})
			return true
		}
		return false
	}, a.Scanner)
	h.changed = changed
	return h, why
}

// applyHit makes the disk what the tool would have left: side outputs
// callers deleted are recreated, outputs are settled, in-place steps get
// their content back, what the tool printed is replayed, and the record is
// refreshed.
func (r *Runner) applyHit(a *Action, h *hit) string {
	rec := h.rec
	if r.Config.Settle && !a.KeepTimes && r.settleHit(a, h) {
		h.changed = true
	}
	for _, p := range h.posts {
		if err := p.note.handOver(p.path, p.mode); err != nil {
			return "cannot hand " + p.path + " to its in-place step: " + err.Error()
		}
	}
	for _, o := range rec.Outputs {
		if o.Data == nil {
			continue
		}
		if err := restore(rec.abs(o.Path), o, a.writesThrough(rec, o.Path)); err != nil {
			return "cannot recreate " + o.Path + ": " + err.Error()
		}
	}
	if why := r.restoreCopies(rec); why != "" {
		return why
	}
	os.Stdout.Write(rec.Stdout)
	os.Stderr.Write(rec.Stderr)
	a.order()
	r.consumed(abss(rec.Dir, rec.Consumes))
	h.told = rec.Explained
	if !rec.Explained {
		rec.Explained, h.changed = true, true
	}
	if h.changed {
		r.Store.Save(rec)
	} else {
		r.Store.Touch(rec.Key)
	}
	return ""
}

// restore writes a recorded side output back when it is missing or
// altered; an identical file is left alone. A recreated file gets the mode
// the tool gives a new file under the current umask; an altered one keeps
// its own, as the tool rewriting it in place would. Where the tool writes
// through (a depfile), so does restore: through a symlink, and into a file
// with other hard links, which see the new content as they would.
func restore(path string, o outState, through bool) error {
	if through {
		path, _ = resolveOutput(path)
	}
	fi, err := os.Stat(path)
	if err == nil {
		if cur, err := os.ReadFile(path); err == nil && bytes.Equal(cur, o.Data) {
			return nil
		}
		if through && fi.Mode().IsRegular() && links(fi) > 1 {
			return os.WriteFile(path, o.Data, fi.Mode().Perm())
		}
		return writeFileAtomic(path, o.Data, fi.Mode().Perm())
	}
	return writeFileAtomic(path, o.Data, 0o666&^currentUmask())
}

// writesThrough says whether the tool writes a recorded output through
// (Action.WriteThrough).
func (a *Action) writesThrough(rec *record, path string) bool {
	abs := rec.abs(path)
	return slices.ContainsFunc(a.WriteThrough, func(o string) bool { return rec.abs(o) == abs })
}

// currentUmask reads the process's umask (setting it back at once).
func currentUmask() os.FileMode {
	m := syscall.Umask(0)
	syscall.Umask(m)
	return os.FileMode(m)
}

// handOver is an output whose in-place step (objtool) must get the
// content it expects again.
type handOver struct {
	path string
	mode os.FileMode
	note *postNote
}

// abss makes paths absolute against dir.
func abss(dir string, paths []string) []string {
	out := make([]string, len(paths))
	for i, p := range paths {
		out[i] = absIn(dir, p)
	}
	return out
}

// missingOutput says whether an output the record describes (not a side
// output it keeps whole) is missing.
func (r *record) missingOutput() bool {
	for _, o := range r.Outputs {
		if o.Data == nil && missing(r.abs(o.Path)) {
			return true
		}
	}
	return false
}

// linkToReplace says why a hit cannot do what the tool would: a tool that
// replaces a symlink at its output (a compiler) makes it a file.
func (a *Action) linkToReplace() string {
	if !a.ReplaceLinks {
		return ""
	}
	for _, o := range a.Outputs {
		if slices.Contains(a.WriteThrough, o) {
			continue
		}
		if fi, err := os.Lstat(a.path(o)); err == nil && fi.Mode()&os.ModeSymlink != 0 {
			return "output " + o + " is a symlink the tool replaces"
		}
	}
	return ""
}
