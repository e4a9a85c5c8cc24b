package stable

import (
	"os"
	"path/filepath"
	"strings"
	"syscall"
	"time"
)

// A wrapper holds an flock on each temporary directory it owns for as long
// as it lives. Only SIGKILL can leave one behind, and then the lock is gone
// with the process: the next wrapper writing in that directory sees an
// unlocked temporary and removes it.

// sweepAge spares temporaries younger than this: between MkdirTemp and
// flock a live wrapper's directory is briefly unlocked.
const sweepAge = time.Second

// makeTemp creates a private temporary directory in dir, locked and known
// to the signal handler, and sweeps leftovers of killed wrappers there.
func makeTemp(dir string) (string, error) {
	d, err := os.MkdirTemp(dir, TempPrefix)
	if err != nil {
		return "", err
	}
	f, err := os.Open(d)
	if err == nil {
		syscall.Flock(int(f.Fd()), syscall.LOCK_EX|syscall.LOCK_NB)
	}
	live.Lock()
	live.dirs[d] = true
	if f != nil {
		live.locks[d] = f
	}
	live.Unlock()
	sweep(dir, filepath.Base(d))
	return d, nil
}

// sweep removes the unlocked temporaries of dead wrappers in dir.
func sweep(dir, own string) {
	f, err := os.Open(dir)
	if err != nil {
		return
	}
	names, _ := f.Readdirnames(-1)
	f.Close()
	for _, n := range names {
		if n == own || !strings.HasPrefix(n, TempPrefix) {
			continue
		}
		p := filepath.Join(dir, n)
		if orphan(p) {
			os.RemoveAll(p)
		}
	}
}

// orphan tells whether a temporary belongs to no living wrapper: an
// unlocked directory, or a stale file of an atomic write (a recreated
// depfile) or of a hand-over to an in-place step (see PostNote), which
// live wrappers rename or remove within milliseconds.
func orphan(p string) bool {
	fi, err := os.Lstat(p)
	if err != nil || time.Since(fi.ModTime()) < sweepAge {
		return false
	}
	if fi.Mode().IsRegular() {
		b := filepath.Base(p)
		return strings.HasPrefix(b, TempPrefix+"w-") || strings.HasPrefix(b, TempPrefix+"keep-")
	}
	if !fi.IsDir() {
		return false
	}
	f, err := os.Open(p)
	if err != nil {
		return false
	}
	defer f.Close()
	return syscall.Flock(int(f.Fd()), syscall.LOCK_EX|syscall.LOCK_NB) == nil
}
