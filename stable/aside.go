package stable

import (
	"errors"
	"io"
	"io/fs"
	"os"
	"path/filepath"
)

// An output the tool must write at its real path (TxnOptions.Direct) is
// moved aside into the transaction's private directory before the run: the
// tool then writes a new file exactly as it would alone, and the old one is
// there to compare with, and to put back (old inode, old mtime) when the
// tool wrote the same bytes, or when it failed. A signal puts it back too;
// only SIGKILL can leave it in the private directory, where the next sweep
// removes it and the output is whatever the tool had written.

// moveAside moves o's existing file into the private directory.
func (t *Txn) moveAside(o *Out) error {
	fi, err := os.Lstat(o.Target)
	if errors.Is(err, fs.ErrNotExist) {
		return nil
	}
	if err != nil {
		return err
	}
	if !fi.Mode().IsRegular() && fi.Mode()&fs.ModeSymlink == 0 {
		return &fs.PathError{Op: "move aside", Path: o.Name, Err: errNotRegular}
	}
	aside, err := t.asideName(o)
	if err != nil {
		return err
	}
	live.Lock()
	defer live.Unlock()
	if err := os.Rename(o.Target, aside); err != nil {
		return err
	}
	live.asides[aside] = o.Target
	o.Aside = aside
	return nil
}

// copyAside copies o's existing file into the private directory, for a
// Direct output the tool opens and truncates: the tool must find the very
// file (its inode, mode, other links) as it would alone.
func (t *Txn) copyAside(o *Out) error {
	fi, err := os.Stat(o.Target)
	if errors.Is(err, fs.ErrNotExist) {
		return nil
	}
	if err != nil {
		return err
	}
	if !fi.Mode().IsRegular() {
		return &fs.PathError{Op: "copy aside", Path: o.Name, Err: errNotRegular}
	}
	aside, err := t.asideName(o)
	if err != nil {
		return err
	}
	if err := seed(o.Target, aside); err != nil {
		return err
	}
	live.Lock()
	live.asides[aside] = o.Target
	live.Unlock()
	o.Aside, o.Copied, o.oldTime = aside, true, fi.ModTime()
	return nil
}

// asideName is where o's old file goes in the private directory.
func (t *Txn) asideName(o *Out) (string, error) {
	dir, err := t.tempDir(filepath.Dir(o.Target))
	if err != nil {
		return "", err
	}
	return filepath.Join(dir, filepath.Base(o.Target)), nil
}

// putAside puts an old file back over whatever the tool left at target.
func putAside(aside, target string) error {
	live.Lock()
	defer live.Unlock()
	delete(live.asides, aside)
	return os.Rename(aside, target)
}

// dropAside forgets an old file the tool's new one replaces.
func dropAside(aside string) {
	live.Lock()
	delete(live.asides, aside)
	live.Unlock()
	os.Remove(aside)
}

// seed copies an existing output into its temporary, mode included, for a
// tool that reads what it rewrites. A missing output leaves none.
func seed(target, temp string) error {
	in, err := os.Open(target)
	if errors.Is(err, fs.ErrNotExist) {
		return nil
	}
	if err != nil {
		return err
	}
	defer in.Close()
	fi, err := in.Stat()
	if err != nil {
		return err
	}
	out, err := os.OpenFile(temp, os.O_WRONLY|os.O_CREATE|os.O_EXCL, fi.Mode().Perm())
	if err != nil {
		return err
	}
	_, err = io.Copy(out, in)
	if cerr := out.Close(); err == nil {
		err = cerr
	}
	if err == nil {
		err = os.Chmod(temp, fi.Mode().Perm())
	}
	return err
}
