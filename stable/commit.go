package stable

import (
	"errors"
	"fmt"
	"hash"
	"io"
	"io/fs"
	"os"
	"syscall"
	"time"
)

// Commit moves each temporary into place unless the existing file already
// has the same content, mode and owner. With hashing on, each output's Hash
// is the content the tool wrote, computed during the comparison where
// possible. It returns the first error after trying every output; the
// temporaries are always removed.
func (t *Txn) Commit(hashing bool) error {
	defer t.Abort()
	var first error
	for _, o := range t.outs {
		if o.Result != Pending {
			continue
		}
		var err error
		switch {
		case o.Tree:
			err = o.mergeTree(o.keepMode, o.keepOwner, t.opts.KeepTimes)
		case o.Direct:
			err = t.commitDirect(o, hashing)
		default:
			err = t.commitTemp(o, hashing)
		}
		if err != nil && first == nil {
			first = err
		}
	}
	return first
}

// commitTemp commits a temporary the tool wrote instead of the output.
func (t *Txn) commitTemp(o *Out, hashing bool) error {
	tfi, err := os.Lstat(o.Temp)
	if err != nil {
		o.Result = Missing
		return nil
	}
	ofi, err := os.Lstat(o.Target)
	exists := err == nil
	if err != nil && !errors.Is(err, fs.ErrNotExist) {
		return fmt.Errorf("cannot stat %s: %w", o.Name, unwrapPath(err))
	}
	if exists && o.keepMode {
		if tfi, err = takeMode(o.Temp, tfi, ofi); err != nil {
			return err
		}
	}
	h := hasher(hashing, tfi)
	// A tool that writes a new file (it unlinks the old one) leaves other
	// hard links of the old one as they were, mtime included: so does the
	// wrapper, whatever the content.
	unlinks := exists && !o.inPlace && !t.opts.KeepsSame && links(ofi) > 1
	// A tool writing in place gives the file a new owner without a new
	// inode: an owner alone is no reason to replace it.
	if exists && !unlinks && comparable(tfi, ofi, o.keepOwner || o.inPlace) {
		if eq, err := sameContent(o.Temp, o.Target, h); err == nil && eq {
			o.Result, o.Hash = Kept, digestOr(h)
			return o.keepAttrs(tfi, ofi, t.opts.KeepTimes)
		}
	}
	if h != nil {
		if o.Hash, err = HashFile(o.Temp); err != nil {
			return fmt.Errorf("cannot read %s: %w", o.Temp, unwrapPath(err))
		}
	}
	if exists && o.writeInto(tfi, ofi) {
		o.Result = Replaced
		if err := copyInto(o.Temp, o.Target, tfi, !o.keepMode, !o.keepOwner); err != nil || !t.opts.KeepTimes {
			return err
		}
		return os.Chtimes(o.Target, time.Time{}, tfi.ModTime())
	}
	if err := os.Rename(o.Temp, o.Target); err != nil {
		return fmt.Errorf("cannot replace %s: %w", o.Name, unwrapPath(err))
	}
	o.Result = Replaced
	if !exists {
		o.Result = Created
	}
	return nil
}

// keepAttrs gives a kept output what the tool would have set on it: the
// owner (cp --preserve=ownership as root), the source's mtime (cp -p).
func (o *Out) keepAttrs(tfi, ofi fs.FileInfo, keepTimes bool) error {
	if st, ok := tfi.Sys().(*syscall.Stat_t); ok && !o.keepOwner && !sameOwner(tfi, ofi) {
		if err := os.Lchown(o.Target, int(st.Uid), int(st.Gid)); err != nil {
			return fmt.Errorf("cannot set the owner of %s: %w", o.Name, unwrapPath(err))
		}
	}
	if keepTimes && !tfi.ModTime().Equal(ofi.ModTime()) {
		return os.Chtimes(o.Target, time.Time{}, tfi.ModTime())
	}
	return nil
}

// commitDirect accounts for an output the tool wrote at its real path: put
// back the old file when the new one is the same, else keep the new one.
func (t *Txn) commitDirect(o *Out, hashing bool) error {
	fi, err := os.Lstat(o.Target)
	switch {
	case err != nil:
		o.Result = Missing
		if o.Copied { // the tool removed the very file it was given
			dropAside(o.Aside)
			return nil
		}
		if o.Aside != "" {
			return putAside(o.Aside, o.Target)
		}
		return nil
	case !fi.Mode().IsRegular():
		o.Result = Passed
		if o.Aside != "" {
			dropAside(o.Aside)
		}
		return nil
	}
	h := hasher(hashing, fi)
	if o.Aside != "" {
		afi, err := os.Lstat(o.Aside)
		if err == nil && comparable(fi, afi, o.keepOwner) {
			if eq, err := sameContent(o.Target, o.Aside, h); err == nil && eq {
				o.Result, o.Hash = Kept, digestOr(h)
				if o.Copied {
					dropAside(o.Aside)
					return os.Chtimes(o.Target, time.Time{}, o.oldTime)
				}
				return putAside(o.Aside, o.Target)
			}
		}
		dropAside(o.Aside)
		o.Result = Replaced
	} else {
		o.Result = Created
	}
	if h != nil {
		if o.Hash, err = HashFile(o.Target); err != nil {
			return fmt.Errorf("cannot read %s: %w", o.Name, unwrapPath(err))
		}
	}
	return nil
}

func hasher(on bool, fi fs.FileInfo) hash.Hash {
	if on && fi.Mode().IsRegular() {
		return newHash()
	}
	return nil
}

func digestOr(h hash.Hash) Digest {
	if h == nil {
		return Digest{}
	}
	return digestOf(h)
}

// comparable says whether a content comparison can decide: both regular
// files of the same mode and size, and the same owner unless the tool
// keeps the existing one.
func comparable(nfi, ofi fs.FileInfo, keepOwner bool) bool {
	if !nfi.Mode().IsRegular() || nfi.Mode() != ofi.Mode() || nfi.Size() != ofi.Size() {
		return false
	}
	return keepOwner || sameOwner(nfi, ofi)
}

// writeInto says whether a changed output must be written into the
// existing file rather than replaced by a rename: the tool writes in place,
// and a new inode would show (other hard links see the tool's write; an
// owner a new file of ours cannot have).
func (o *Out) writeInto(nfi, ofi fs.FileInfo) bool {
	if !o.inPlace || !ofi.Mode().IsRegular() {
		return false
	}
	return links(ofi) > 1 || o.keepOwner && !sameOwner(nfi, ofi)
}

func sameOwner(a, b fs.FileInfo) bool {
	sa, ok1 := a.Sys().(*syscall.Stat_t)
	sb, ok2 := b.Sys().(*syscall.Stat_t)
	return !ok1 || !ok2 || sa.Uid == sb.Uid && sa.Gid == sb.Gid
}

func links(fi fs.FileInfo) uint64 {
	if st, ok := fi.Sys().(*syscall.Stat_t); ok {
		return uint64(st.Nlink)
	}
	return 1
}

// copyInto writes src's content into the existing file dst, as a tool that
// rewrites it in place does; dst also takes src's mode, and its owner where
// allowed, when the tool gives it those.
func copyInto(src, dst string, sfi fs.FileInfo, mode, owner bool) error {
	in, err := os.Open(src)
	if err != nil {
		return err
	}
	defer in.Close()
	out, err := os.OpenFile(dst, os.O_WRONLY|os.O_TRUNC, 0)
	if err != nil {
		return fmt.Errorf("cannot write %s: %w", dst, unwrapPath(err))
	}
	_, err = io.Copy(out, in)
	if err == nil && mode {
		err = out.Chmod(sfi.Mode())
	}
	if st, ok := sfi.Sys().(*syscall.Stat_t); ok && err == nil && owner {
		out.Chown(int(st.Uid), int(st.Gid)) // not permitted unless root: the owner stays
	}
	if cerr := out.Close(); err == nil {
		err = cerr
	}
	if err != nil {
		return fmt.Errorf("cannot write %s: %w", dst, unwrapPath(err))
	}
	return nil
}

// takeMode gives the temporary the mode of the file it stands for, as a
// tool writing that file in place would leave it.
func takeMode(temp string, tfi, ofi fs.FileInfo) (fs.FileInfo, error) {
	const bits = fs.ModePerm | fs.ModeSetuid | fs.ModeSetgid | fs.ModeSticky
	if !tfi.Mode().IsRegular() || !ofi.Mode().IsRegular() || tfi.Mode()&bits == ofi.Mode()&bits {
		return tfi, nil
	}
	if err := os.Chmod(temp, ofi.Mode()&bits); err != nil {
		return nil, fmt.Errorf("cannot set the mode of %s: %w", temp, unwrapPath(err))
	}
	return os.Lstat(temp)
}

func unwrapPath(err error) error {
	var le *os.LinkError
	if errors.As(err, &le) {
		return le.Err
	}
	var pe *fs.PathError
	if errors.As(err, &pe) {
		return pe.Err
	}
	return err
}
