package stable

import (
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
)

// treeTarget checks that a tree output can be merged: it is a directory, or
// nothing yet.
func treeTarget(target string) (bool, error) {
	fi, err := os.Stat(target)
	if errors.Is(err, fs.ErrNotExist) || err == nil && fi.IsDir() {
		return true, nil
	}
	if err == nil {
		err = fmt.Errorf("%s is not a directory", target)
	}
	return false, err
}

// mergeTree commits a tree the tool wrote in a temporary directory: a new
// tree is renamed into place whole; into an existing one each file is
// compared and committed like a single output, so unchanged files keep
// their inode and mtime. Files the tool did not write are left alone, as
// the tool (cp -r) would leave them.
func (o *Out) mergeTree(keepMode, keepOwner, keepTimes bool) error {
	if _, err := os.Lstat(o.Temp); err != nil {
		o.Result = Missing
		return nil
	}
	if _, err := os.Lstat(o.Target); errors.Is(err, fs.ErrNotExist) {
		if err := os.Rename(o.Temp, o.Target); err != nil {
			return fmt.Errorf("cannot create %s: %w", o.Name, unwrapPath(err))
		}
		o.Result = Created
		return nil
	}
	changed, err := mergeEntry(o.Temp, o.Target, keep{keepMode, keepOwner, keepTimes})
	o.Result = Kept
	if changed {
		o.Result = Replaced
	}
	return err
}

func mergeDir(src, dst string, k keep) (changed bool, err error) {
	entries, err := os.ReadDir(src)
	if err != nil {
		return false, err
	}
	for _, e := range entries {
		c, err := mergeEntry(filepath.Join(src, e.Name()), filepath.Join(dst, e.Name()), k)
		changed = changed || c
		if err != nil {
			return changed, err
		}
	}
	return changed, nil
}

// mergeEntry commits one entry of a tree; it reports whether dst changed.
func mergeEntry(src, dst string, k keep) (bool, error) {
	sfi, err := os.Lstat(src)
	if err != nil {
		return false, err
	}
	dfi, err := os.Lstat(dst)
	if errors.Is(err, fs.ErrNotExist) {
		return true, rename(src, dst)
	}
	if err != nil {
		return false, err
	}
	switch {
	case sfi.IsDir() && dfi.IsDir():
		changed, err := mergeDir(src, dst, k)
		if err != nil || k.mode || sfi.Mode().Perm() == dfi.Mode().Perm() {
			return changed, err
		}
		// cp -p/-a gives an existing directory the source's mode too.
		return true, os.Chmod(dst, sfi.Mode().Perm())
	case sfi.IsDir() || dfi.IsDir():
		return false, fmt.Errorf("cannot replace %s: one is a directory, the other is not", dst)
	case sfi.Mode().IsRegular() && dfi.Mode().IsRegular():
		if k.mode {
			if sfi, err = takeMode(src, sfi, dfi); err != nil {
				return false, err
			}
		}
		// cp writes into an existing file: an owner alone is no reason
		// for a new inode.
		if comparable(sfi, dfi, true) {
			if eq, err := sameContent(src, dst, nil); err == nil && eq {
				o := &Out{Name: dst, Target: dst, keepOwner: k.owner}
				return false, o.keepAttrs(sfi, dfi, k.times)
			}
		}
	case sfi.Mode()&fs.ModeSymlink != 0 && dfi.Mode()&fs.ModeSymlink != 0:
		a, _ := os.Readlink(src)
		b, _ := os.Readlink(dst)
		if a == b {
			return false, nil
		}
	}
	return true, rename(src, dst)
}

// keep says what an existing file in a tree keeps (TxnOptions).
type keep struct{ mode, owner, times bool }

func rename(src, dst string) error {
	if err := os.Rename(src, dst); err != nil {
		return fmt.Errorf("cannot replace %s: %w", dst, unwrapPath(err))
	}
	return nil
}
