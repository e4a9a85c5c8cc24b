package copying

import (
	"errors"
	"io/fs"
	"os"
	"path/filepath"
	"syscall"
)

// treeClash says why copying the tree src over the existing dst needs cp
// itself, or "" when a merge does what cp does. cp writes through a
// symlink it finds in the destination, into a file other links share, and
// refuses a directory over a file: a merge would replace each.
func treeClash(src, dst string) string {
	why := ""
	filepath.WalkDir(src, func(path string, d fs.DirEntry, err error) error {
		if err != nil {
			return nil // cp reports what it cannot read
		}
		rel, _ := filepath.Rel(src, path)
		to := filepath.Join(dst, rel)
		fi, err := os.Lstat(to)
		switch {
		case errors.Is(err, fs.ErrNotExist):
			if d.IsDir() {
				return filepath.SkipDir // nothing of it there yet
			}
			return nil
		case err != nil:
			why = "cannot look at " + to
		case fi.Mode()&fs.ModeSymlink != 0:
			why = to + " is a symbolic link"
		case d.IsDir() != fi.IsDir():
			why = to + " and " + path + " are not both directories"
		case fi.Mode().IsRegular() && nlink(fi) > 1:
			why = to + " has other hard links"
		}
		if why != "" {
			return fs.SkipAll
		}
		return nil
	})
	return why
}

func nlink(fi fs.FileInfo) uint64 {
	if st, ok := fi.Sys().(*syscall.Stat_t); ok {
		return uint64(st.Nlink)
	}
	return 1
}
