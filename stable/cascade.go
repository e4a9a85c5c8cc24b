package stable

import (
	"fmt"
	"math/rand/v2"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"time"
)

// A build under make is known by its outermost make process. The first
// wrapper that gives an output a new state in it (settles it, or writes
// it) leaves a mark in the store with that time: a file some other step
// rewrote after it was, most likely, rewritten because of it (settle.go).

// cascadePath is the mark of the current build, "" outside make.
func (r *Runner) cascadePath() string {
	b := buildInfo()
	if b.tool != "make" || b.start == 0 || r.Store == nil {
		return ""
	}
	return filepath.Join(r.Store.Dir, "builds", fmt.Sprintf("%d-%d", b.pid, b.ticks))
}

// markCascade leaves the build's mark unless it is there.
func (r *Runner) markCascade(when int64) {
	p := r.cascadePath()
	if p == "" {
		return
	}
	if _, err := os.Stat(p); err == nil {
		return
	}
	os.MkdirAll(filepath.Dir(p), 0o777)
	f, err := os.OpenFile(p, os.O_WRONLY|os.O_CREATE|os.O_EXCL, 0o666)
	if err != nil {
		return // another wrapper marked it first
	}
	f.WriteString(strconv.FormatInt(when, 10))
	f.Close()
	if rand.IntN(32) == 0 {
		sweepMarks(filepath.Dir(p))
	}
}

// cascadeBefore says whether a wrapper gave an output a new state in this
// build before t.
func (r *Runner) cascadeBefore(t int64) bool {
	p := r.cascadePath()
	if p == "" {
		return false
	}
	b, err := readRegular(p, 64)
	if err != nil {
		return false
	}
	first, err := strconv.ParseInt(strings.TrimSpace(string(b)), 10, 64)
	return err == nil && first < t
}

// sweepMarks removes the marks of builds long over.
func sweepMarks(dir string) {
	ents, _ := os.ReadDir(dir)
	for _, e := range ents {
		if fi, err := e.Info(); err == nil && time.Since(fi.ModTime()) > 24*time.Hour {
			os.Remove(filepath.Join(dir, e.Name()))
		}
	}
}
