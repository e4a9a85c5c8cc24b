package stable

import (
	"io/fs"
	"os"
	"syscall"
	"time"
)

// FileState is what a record knows about one file: enough stat fields to
// notice any rewrite cheaply, and the content hash to decide when the stat
// changed whether the content did too.
type FileState struct {
	Path  string      `json:"path"`
	Size  int64       `json:"size"`
	Mtime int64       `json:"mtime"` // ns since the epoch
	Ctime int64       `json:"ctime"` // ns since the epoch
	Ino   uint64      `json:"ino"`
	Dev   uint64      `json:"dev"`
	Mode  fs.FileMode `json:"mode"`
	Hash  Digest      `json:"hash"`
}

// statOf fills the stat part of a FileState.
func statOf(path string, fi fs.FileInfo) FileState {
	st := FileState{Path: path, Size: fi.Size(), Mtime: fi.ModTime().UnixNano(), Mode: fi.Mode()}
	if sys, ok := fi.Sys().(*syscall.Stat_t); ok {
		st.Ino = uint64(sys.Ino)
		st.Dev = uint64(sys.Dev)
		st.Ctime = time.Unix(sys.Ctim.Sec, sys.Ctim.Nsec).UnixNano()
	}
	return st
}

// sameStat reports whether two states describe the same unmodified file.
func (s FileState) sameStat(o FileState) bool {
	return s.Size == o.Size && s.Mtime == o.Mtime && s.Ctime == o.Ctime &&
		s.Ino == o.Ino && s.Dev == o.Dev && s.Mode == o.Mode
}

// stateOf stats and hashes the file at path.
func stateOf(path string) (FileState, error) {
	fi, err := os.Stat(path)
	if err != nil {
		return FileState{}, err
	}
	st := statOf(path, fi)
	st.Hash, err = HashFile(path)
	return st, err
}
