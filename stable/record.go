package stable

import (
	"crypto/sha256"
	"encoding/binary"
	"encoding/hex"
	"os"
	"path/filepath"
	"time"
)

// recordVersion changes whenever the meaning of a record changes; older
// records then simply stop matching.
const recordVersion = 3

// Record is what one successful action left behind.
type Record struct {
	Version int         `json:"version"`
	Key     string      `json:"key"`
	Argv    []string    `json:"argv"`
	Dir     string      `json:"dir"`
	Time    int64       `json:"time"`    // wall clock (ns) when the states below were taken
	Elapsed int64       `json:"elapsed"` // how long the tool ran (ns), for the time-saved estimate
	Inputs  []FileState `json:"inputs"`
	Outputs []OutState  `json:"outputs"`
	Absent  []AbsentDir `json:"absent,omitempty"` // paths that must not exist
	Stdout  []byte      `json:"stdout,omitempty"`
	Stderr  []byte      `json:"stderr,omitempty"`
}

// OutState is an output as committed. Data holds the whole content of a
// small side output (a depfile) that callers may delete and a hit recreates.
type OutState struct {
	FileState
	Data []byte `json:"data,omitempty"`
}

// Identity is what makes two invocations the same action.
type Identity struct {
	Argv  []string // as the caller wrote it, with the real output names
	Dir   string   // absolute working directory
	Tool  string   // resolved executable
	Env   []string // NAME=value pairs that can change the result
	Extra []string // wrapper-specific facts (version, mode)
}

// Key hashes an identity, including the tool binary's stat, so an upgraded
// compiler never matches an old record.
func (id Identity) Key() string {
	h := sha256.New()
	put := func(tag string, ss []string) {
		h.Write([]byte(tag))
		var n [8]byte
		binary.LittleEndian.PutUint64(n[:], uint64(len(ss)))
		h.Write(n[:])
		for _, s := range ss {
			binary.LittleEndian.PutUint64(n[:], uint64(len(s)))
			h.Write(n[:])
			h.Write([]byte(s))
		}
	}
	put("v", []string{string(rune('0' + recordVersion))})
	put("argv", id.Argv)
	put("dir", []string{id.Dir})
	put("tool", toolFacts(id.Tool))
	put("env", id.Env)
	put("extra", id.Extra)
	return hex.EncodeToString(h.Sum(nil))
}

func toolFacts(path string) []string {
	fi, err := os.Stat(path)
	if err != nil {
		return []string{path}
	}
	st := statOf(path, fi)
	return []string{path, itoa(st.Size), itoa(st.Mtime), itoa(int64(st.Ino))}
}

func itoa(n int64) string { return string(binary.AppendVarint(nil, n)) }

// trustMargin: a stat taken this close to a file's last change may not see
// a later change within the same coarse timestamp tick, so such a state is
// checked by content next time.
const trustMargin = int64(50 * time.Millisecond)

// Fresh tells why the record no longer describes the files on disk, or ""
// when every input and output still matches it. States whose stat moved but
// whose content did not are refreshed in place; changed reports that, so the
// caller can save the record again.
//
// vouch, when not nil, is asked about an output that no longer matches: it
// may accept the file as the output still (post-processed in place).
func (r *Record) Fresh(vouch func(*OutState) bool) (why string, changed bool) {
	for i := range r.Inputs {
		ok, ch := r.check(&r.Inputs[i])
		changed = changed || ch
		if !ok {
			return "input " + r.Inputs[i].Path + " changed", changed
		}
	}
	for i := range r.Absent {
		ok, ch := r.stillAbsent(&r.Absent[i])
		changed = changed || ch
		if !ok {
			return "a file appeared under " + r.Absent[i].Dir + " that could shadow an input", changed
		}
	}
	for i := range r.Outputs {
		o := &r.Outputs[i]
		if o.Data != nil {
			continue // recreated from the record when missing or altered
		}
		mode := o.Mode
		ok, ch := r.check(&o.FileState)
		changed = changed || ch
		if (!ok || o.Mode != mode) && (vouch == nil || !vouch(o)) {
			return "output " + o.Path + " changed since it was written", changed
		}
	}
	if changed {
		r.Time = time.Now().UnixNano()
	}
	return "", changed
}

// check compares one recorded file with the disk: stat first, content only
// when the stat moved or was taken too close to the file's last change.
func (r *Record) check(s *FileState) (ok, changed bool) {
	fi, err := os.Stat(r.abs(s.Path))
	if err != nil || !fi.Mode().IsRegular() {
		return false, false
	}
	now := statOf(s.Path, fi)
	if now.sameStat(*s) && s.Ctime < r.Time-trustMargin {
		return true, false
	}
	if now.Size != s.Size {
		return false, false
	}
	d, err := HashFile(r.abs(s.Path))
	if err != nil || d != s.Hash {
		return false, false
	}
	now.Hash = d
	*s = now
	return true, true
}

func (r *Record) abs(p string) string {
	if filepath.IsAbs(p) || r.Dir == "" {
		return p
	}
	return filepath.Join(r.Dir, p)
}
