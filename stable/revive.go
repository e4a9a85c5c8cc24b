package stable

import (
	"errors"
	"os"
	"path/filepath"
	"slices"
	"time"
)

// Reviving (Action.Revive, used by stable-ar).
//
// Many recipes remove their output before the tool writes it again: kbuild's
// `rm -f $@; $(AR) cDPrST $@ ...`, git's `$(RM) $@ && $(AR) ...`, automake's
// `-rm -f $@`. The wrapper is started after the old file is gone, so the
// usual "identical content keeps the old file" cannot apply, and a rebuilt
// archive would always look new to make.
//
// This matters with STABLE_SETTLE (settle.go), whose settled objects make
// every archive recipe run again; without it, an archive is asked for only
// when a member really changed or was rebuilt after make clean, and an old
// mtime would only make make ask for it again and again. So without
// STABLE_SETTLE the notes are kept, but no mtime is given back.
//
// For such an output the mechanism keeps a last-commit note per path: the
// state (content hash, mode, mtime) the output had when stable last wrote
// it. When the output is missing, the tool writes it directly (there is no
// old file to protect, and the tool's own write is what the recipe does
// without the wrapper); when the result has the content and mode of the
// note, it gets the note's mtime back. Its consumers, built from that same
// content after that mtime, are then still up to date.
//
// The note is only as good as the assumption that nothing but stable wrote
// the path since: an archive written by a plain ar in between, and removed
// again, is unknown to the note.

// lastKey is the store key of the last-commit note of the file at abs.
func lastKey(abs string) string { return noteKey("last", abs) }

// loadLast returns the note for the file at abs.
func (s *Store) loadLast(abs string) (FileState, bool) {
	st, err := decodeLast(s.loadBytes(lastKey(abs)))
	return st, err == nil && st.Path == filepath.Clean(abs)
}

// saveLast writes the note for a file as committed.
func (s *Store) saveLast(abs string, st FileState) error {
	st.Path = filepath.Clean(abs)
	return s.saveBytes(lastKey(abs), encodeLast(&st))
}

// direct lists the Revive outputs that are missing now: the tool writes
// those itself.
func (a *Action) direct() []string {
	var d []string
	for _, name := range a.Revive {
		if _, err := os.Lstat(a.path(name)); errors.Is(err, os.ErrNotExist) {
			d = append(d, name)
		}
	}
	return d
}

// revive gives each output the tool wrote directly the mtime of its note
// when it came out as the note says, and notes every Revive output as it
// now is.
func (a *Action) revive(txn *Txn, found *Found) {
	if a.Store == nil {
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
			os.Remove(a.Store.path(lastKey(abs)))
			continue
		}
		if o.Direct && o.Result == Created && !a.keepNew {
			if last, ok := a.Store.loadLast(abs); ok && a.sameAsLast(abs, id, last) {
				if os.Chtimes(abs, time.Time{}, time.Unix(0, last.Mtime)) == nil {
					o.Result = Revived
					a.Log("revive %s: came out as last time, mtime given back", o.Name)
					a.settleInputs()
				}
			}
		}
		if st, err := stateOfHashed(abs, id); err == nil {
			a.Store.saveLast(abs, st)
		}
	}
}

func (a *Action) sameAsLast(abs string, h Digest, last FileState) bool {
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

// forget drops the notes of the Revive outputs: the tool is about to run
// unmodified and may rewrite them, so what stable last wrote there is no
// longer what they hold.
func (a *Action) forget(s *Store) {
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
func (a *Action) settleInputs() {
	for _, in := range a.SettleInputs {
		abs, err := filepath.Abs(a.path(in))
		if err != nil {
			continue
		}
		last, ok := a.Store.loadLast(abs)
		fi, err := os.Stat(abs)
		if !ok || err != nil || !statOf(abs, fi).sameStat(last) {
			continue
		}
		if st, ok := settleFile(abs, time.Now().UnixNano()); ok {
			st.Hash = last.Hash
			a.Store.saveLast(abs, st)
			a.Log("settle %s: nested in an unchanged archive, given the current time", in)
		}
	}
}
