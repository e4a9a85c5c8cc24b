package stable

import (
	"errors"
	"io/fs"
	"os"
	"path/filepath"
)

// Some recipes remove an output before the tool writes it again (libtool
// removes each object before it compiles it): there is nothing left to
// keep, and a record that holds for every input still cannot answer, for
// want of the bytes. For such an action the store keeps a compressed copy
// of each output it committed, by content hash; a later hit writes the
// output back from it, as the tool would have written it (a new file,
// with the recorded mode), and the tool does not run.
//
// Which actions: those whose wrapper knows the caller removes outputs
// (Action.KeepCopies), and those found to be missing an output while
// everything else of their record held (learnt, for the next time).

// copyKey is the store key of the copy of content h.
func copyKey(h Digest) string { return noteKey("copy", h.String()) }

// keepCopy stores the content of the file at path, known to hash to h.
func (s *Store) keepCopy(path string, h Digest) error {
	if _, err := os.Stat(s.path(copyKey(h))); err == nil {
		return nil // the same content is kept already
	}
	b, err := readRegular(path, maxEntry)
	if err != nil {
		return err
	}
	if DigestBytes(b) != h {
		return errors.New("changed while it was copied")
	}
	return s.saveBytes(copyKey(h), append(append([]byte{}, copyMagic...), b...))
}

// copyMagic starts a copy, as codecMagic starts a record.
var copyMagic = []byte("stbc\x01")

// restoreCopy writes the kept content h back at path with mode.
func (s *Store) restoreCopy(path string, h Digest, mode os.FileMode) error {
	b := s.loadBytes(copyKey(h))
	if len(b) < len(copyMagic) || string(b[:len(copyMagic)]) != string(copyMagic) {
		return fs.ErrNotExist
	}
	b = b[len(copyMagic):]
	if DigestBytes(b) != h {
		return errors.New("damaged copy")
	}
	os.MkdirAll(filepath.Dir(path), 0o777)
	return writeFileAtomic(path, b, mode)
}

// restoreCopies writes back the outputs of a hit that a recipe removed.
func (r *Runner) restoreCopies(rec *record) string {
	for _, o := range rec.Outputs {
		p := rec.abs(o.Path)
		if !o.Copy || !missing(p) {
			continue
		}
		if err := r.Store.restoreCopy(p, o.Hash, o.Mode.Perm()); err != nil {
			return "no copy of " + o.Path + " to write back: " + err.Error()
		}
		r.logf("copy %s: written back from the store", o.Path)
	}
	return ""
}

// keepCopies keeps a copy of each output a run committed, for an action
// whose outputs a recipe removes, and says which.
func (r *Runner) keepCopies(a *Action, txn *Txn) map[string]bool {
	if !a.KeepCopies {
		return nil
	}
	kept := map[string]bool{}
	for _, o := range txn.Outs() {
		if o.Tree || o.Hash.IsZero() || o.Result == Missing || o.Result == Passed || isReplayed(a, o.Name) {
			continue
		}
		if r.Store.keepCopy(a.path(o.Name), o.Hash) == nil {
			kept[o.Name] = true
		}
	}
	return kept
}

func missing(path string) bool {
	_, err := os.Lstat(path)
	return errors.Is(err, fs.ErrNotExist)
}
