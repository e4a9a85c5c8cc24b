package cc

import (
	"os"
	"path/filepath"
	"strings"
)

// listing answers "does this path exist" by reading each directory once:
// the guards of a compile ask about hundreds of names in a handful of
// directories, and one read of a directory costs what one stat does. It is
// a hint for choosing which paths to guard; the record re-checks every
// guarded name itself when it takes the directory's state.
type listing map[string]map[string]bool

// exists says whether path names an entry (without following a final
// symlink, as lstat).
func (l listing) exists(path string) bool {
	path = filepath.Clean(path)
	dir, base := filepath.Split(path)
	if dir == "" {
		dir = "."
	}
	dir = filepath.Clean(dir)
	if base == "" || base == "." || base == ".." || strings.Contains(path, "..") {
		_, err := os.Lstat(path)
		return err == nil
	}
	names, ok := l[dir]
	if !ok {
		if dir != "." && dir != "/" && !l.exists(dir) {
			names = nil
		} else {
			names = l.read(dir)
		}
		l[dir] = names
	}
	return names[base]
}

func (l listing) read(dir string) map[string]bool {
	f, err := os.Open(dir)
	if err != nil {
		return nil
	}
	defer f.Close()
	ns, _ := f.Readdirnames(-1)
	m := make(map[string]bool, len(ns))
	for _, n := range ns {
		m[n] = true
	}
	return m
}
