package stable

import (
	"io/fs"
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
	// Code, when not zero, is a digest of the content as the tool sees it
	// (a compiler: with comments blanked, Action.Scanner): new content
	// with the same Code is the same input to the tool.
	Code Digest `json:"code,omitempty"`
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

// statPath stats the file at path with one stat(2), without the
// allocations of os.Stat: a hit takes one per input.
func statPath(path string) (FileState, error) {
	var st syscall.Stat_t
	for {
		err := syscall.Stat(path, &st)
		if err == syscall.EINTR {
			continue
		}
		if err != nil {
			return FileState{}, err
		}
		break
	}
	return FileState{Path: path, Size: st.Size, Mtime: time.Unix(st.Mtim.Sec, st.Mtim.Nsec).UnixNano(),
		Ctime: time.Unix(st.Ctim.Sec, st.Ctim.Nsec).UnixNano(), Ino: uint64(st.Ino), Dev: uint64(st.Dev),
		Mode: modeOf(st.Mode)}, nil
}

// stateOf stats and hashes the file at path.
func stateOf(path string) (FileState, error) {
	st, _, err := ScanFile(path, nil)
	return st, err
}

// modeOf turns a stat(2) mode into the FileMode os.Stat reports, so states
// taken either way compare equal.
func modeOf(m uint32) fs.FileMode {
	mode := fs.FileMode(m & 0o777)
	switch m & syscall.S_IFMT {
	case syscall.S_IFBLK:
		mode |= fs.ModeDevice
	case syscall.S_IFCHR:
		mode |= fs.ModeDevice | fs.ModeCharDevice
	case syscall.S_IFDIR:
		mode |= fs.ModeDir
	case syscall.S_IFIFO:
		mode |= fs.ModeNamedPipe
	case syscall.S_IFLNK:
		mode |= fs.ModeSymlink
	case syscall.S_IFSOCK:
		mode |= fs.ModeSocket
	}
	if m&syscall.S_ISGID != 0 {
		mode |= fs.ModeSetgid
	}
	if m&syscall.S_ISUID != 0 {
		mode |= fs.ModeSetuid
	}
	if m&syscall.S_ISVTX != 0 {
		mode |= fs.ModeSticky
	}
	return mode
}
