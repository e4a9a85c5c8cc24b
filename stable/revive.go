package stable

import (
	"os"
	"path/filepath"
	"slices"
	"time"
)

// Reviving (Action.Revive, used by stable-ar).
//
// Many recipes remove their output before the tool writes it again: kbuild's
// `rm -f $@; $(AR) cDPrST $@ ...`, git's `$(RM) $@ && $(AR) ...`, CMake's
// `cmake -E rm -f lib.a && ar qc lib.a ...`. The wrapper starts after the
// old file is gone, so "identical content keeps the old file" cannot
// apply: the tool writes the output itself, and it is compared with a
// last-commit note kept per path: the state (content hash, mode, mtime)
// the output had when stable last wrote it.
//
// An output that comes out as the note says is the file its consumers were
// built from. Whether it should get the note's mtime back depends on who
// consumes it:
//   - a recorded action (a link through stablecc) answers from its record
//     when asked, so the archive keeps its new mtime, like any settled
//     output, and the build settles (such a consumer marks the note when
//     it runs or is answered: "consumed since last written");
//   - under ninja, an output older than its inputs is rebuilt on every run
//     with everything after it, so it keeps its new mtime there too;
//   - otherwise, under make, the consumer is a step stable does not answer
//     (kbuild links vmlinux with its own scripts): the archive gets its old
//     mtime back and nothing is relinked; make asks for the archive again
//     on later runs (a cheap ar), until something really changes.
// The note is only as good as the assumption that nothing but stable wrote
// the path since: an archive written by a plain ar in between, and removed
// again, is unknown to the note.

// lastKey is the store key of the last-commit note of the file at abs.
func lastKey(abs string) string { return noteKey("last", abs) }

// lastNote is the state of a file as stable last committed it.
type lastNote struct {
	FileState
	Consumed bool // a recorded action reads it (see above)
}

// loadLast returns the note for the file at abs.
func (s *Store) loadLast(abs string) (lastNote, bool) {
	n, err := decodeLast(s.loadBytes(lastKey(abs)))
	return n, err == nil && n.Path == filepath.Clean(abs)
}

// saveLast writes the note for a file as committed.
func (s *Store) saveLast(abs string, n lastNote) error {
	n.Path = filepath.Clean(abs)
	return s.saveBytes(lastKey(abs), encodeLast(&n))
}

// revive gives each output the tool wrote directly the mtime of its note
// when it came out as the note says and its consumers need it, and notes
// every Revive output as it now is.
func (r *Runner) revive(a *Action, txn *Txn, found *Found) {
	if r.Store == nil {
		return
	}
	for _, o := range txn.Outs() {
		if !slices.Contains(a.Revive, o.Name) || o.Result == Missing || o.Result == Passed {
			continue
		}
		abs, _ := filepath.Abs(a.path(o.Name))
		id, ok := found.Identity[o.Name]
		if !ok {
			id = o.Hash
		}
		if id.IsZero() {
			os.Remove(r.Store.path(lastKey(abs)))
			continue
		}
		last, known := r.Store.loadLast(abs)
		same := known && sameAsLast(abs, id, last.FileState)
		if same && o.Direct && o.Result == Created && r.mayRevive(last) {
			if os.Chtimes(abs, time.Time{}, time.Unix(0, last.Mtime)) == nil {
				o.Result = Revived
				r.logf("revive %s: came out as last time, mtime given back", o.Name)
				r.settleInputs(a)
			}
		}
		if st, err := stateOfHashed(abs, id); err == nil {
			// Written again: which consumers read it is learnt anew
			// (they mark the note when they run or are answered).
			r.Store.saveLast(abs, lastNote{FileState: st})
		}
	}
}

// mayRevive says whether an output that came out as last time gets its old
// mtime back (see above).
func (r *Runner) mayRevive(last lastNote) bool {
	return r.Config.Settle && !last.Consumed && buildTool() != "ninja"
}

func sameAsLast(abs string, h Digest, last FileState) bool {
	fi, err := os.Stat(abs)
	return err == nil && h == last.Hash && fi.Size() == last.Size && fi.Mode() == last.Mode &&
		last.Mtime <= time.Now().UnixNano()
}

// stateOfHashed stats the file at path whose content hash is known.
func stateOfHashed(path string, h Digest) (FileState, error) {
	fi, err := os.Stat(path)
	if err != nil {
		return FileState{}, err
	}
	st := statOf(path, fi)
	st.Hash = h
	return st, nil
}

// consumed marks the notes of the inputs a recorded action reads.
func (r *Runner) consumed(paths []string) {
	if r.Store == nil {
		return
	}
	for _, in := range paths {
		abs, err := filepath.Abs(in)
		if err != nil {
			continue
		}
		if n, ok := r.Store.loadLast(abs); ok && !n.Consumed {
			n.Consumed = true
			r.Store.saveLast(abs, n)
		}
	}
}

// forget drops the notes of the Revive outputs: the tool is about to run
// unmodified and may rewrite them, so what stable last wrote there is no
// longer what they hold.
func (r *Runner) forget(a *Action) {
	if len(a.Revive) == 0 {
		return
	}
	s := r.Store
	if s == nil {
		var err error
		if s, err = OpenStore(r.Config.Dir); err != nil {
			return
		}
	}
	for _, name := range a.Revive {
		if abs, err := filepath.Abs(a.path(name)); err == nil {
			os.Remove(s.path(lastKey(abs)))
		}
	}
}

// settleInputs gives the current time to each SettleInputs file that
// stable wrote last (its note still describes it): an archive nested in one
// that just came back unchanged. Its note follows, so a later revive still
// recognises it.
func (r *Runner) settleInputs(a *Action) {
	for _, in := range a.SettleInputs {
		abs, err := filepath.Abs(a.path(in))
		if err != nil {
			continue
		}
		last, ok := r.Store.loadLast(abs)
		fi, err := os.Stat(abs)
		if !ok || err != nil || !statOf(abs, fi).sameStat(last.FileState) {
			continue
		}
		if st, ok := settleFile(abs, time.Now().UnixNano()); ok {
			st.Hash = last.Hash
			r.Store.saveLast(abs, lastNote{FileState: st, Consumed: last.Consumed})
			r.logf("settle %s: nested in an unchanged archive, given the current time", in)
		}
	}
}
