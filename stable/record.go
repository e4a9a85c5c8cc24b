package stable

import (
	"os"
	"path/filepath"
	"strings"
	"time"
)

// recordVersion changes whenever the meaning of a record changes; older
// records then simply stop matching.
const recordVersion = 4

// record is what one successful action left behind.
type record struct {
	Version int         `json:"version"`
	Key     string      `json:"key"`
	Argv    []string    `json:"argv"`
	Dir     string      `json:"dir"`
	Time    int64       `json:"time"`    // wall clock (ns) when the states below were taken
	Elapsed int64       `json:"elapsed"` // how long the tool ran (ns), for the time-saved estimate
	Inputs  []FileState `json:"inputs"`
	Outputs []outState  `json:"outputs"`
	Absent  []absentDir `json:"absent,omitempty"` // paths that must not exist
	Stdout  []byte      `json:"stdout,omitempty"`
	Stderr  []byte      `json:"stderr,omitempty"`
	// Conds are NAME=value pairs (NAME alone: unset) of the environment
	// the outputs depend on in this run only (Found.Conds, the locale of
	// replayed messages): the record holds while they do.
	Conds []string `json:"conds,omitempty"`
	// Consumes are inputs stable wrote that this action reads (archives):
	// a hit marks them as answered for (revive.go).
	Consumes []string `json:"consumes,omitempty"`
	// Explained: `stable explain` already tells of a hit of this record,
	// so further hits need not write it again.
	Explained bool `json:"explained,omitempty"`
}

// outState is an output as committed. Data holds the whole content of a
// small side output (a depfile) that callers may delete and a hit recreates.
// Copy says the store keeps a copy of the content (copies.go): a recipe
// that removes the output before the tool runs (libtool) gets it back.
type outState struct {
	FileState
	Data []byte `json:"data,omitempty"`
	Copy bool   `json:"copy,omitempty"`
}

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
// scanner, when not nil, gives the tool's view of an input whose content
// changed (see FileState.Code).
func (r *record) Fresh(vouch func(*outState) bool, scanner func(string) Scanner) (why string, changed bool) {
	for i := range r.Inputs {
		ok, ch := r.checkInput(&r.Inputs[i], scanner)
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
		if o.Copy && missing(r.abs(o.Path)) {
			continue // recreated from the store's copy (copies.go)
		}
		mode := o.Mode
		ok, ch := r.checkInput(&o.FileState, nil)
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

// checkInput compares one recorded file with the disk: stat first, content
// only when the stat moved or was taken too close to the file's last
// change, and the tool's view of the content (Code) when the bytes moved.
func (r *record) checkInput(s *FileState, scanner func(string) Scanner) (ok, changed bool) {
	now, err := statPath(r.abs(s.Path))
	if err != nil || !now.Mode.IsRegular() {
		return false, false
	}
	now.Path = s.Path
	if now.sameStat(*s) && s.Ctime < r.Time-trustMargin {
		return true, false
	}
	if now.Size == s.Size {
		d, err := HashFile(r.abs(s.Path))
		if err != nil {
			return false, false
		}
		if d == s.Hash {
			now.Hash, now.Code = d, s.Code
			*s = now
			return true, true
		}
	}
	if s.Code.IsZero() || scanner == nil {
		return false, false
	}
	st, facts, err := ScanFile(r.abs(s.Path), scanner(s.Path))
	if err != nil || facts.Code != s.Code {
		return false, false
	}
	st.Path, st.Code = s.Path, facts.Code
	*s = st
	return true, true
}

// condsHold says which condition of the record the environment no longer
// meets, or "" when all hold.
func (r *record) condsHold() string {
	for _, c := range r.Conds {
		name, want, set := strings.Cut(c, "=")
		got, isSet := os.LookupEnv(name)
		if set != isSet || got != want {
			return name + " is not what it was when the record was made"
		}
	}
	return ""
}

func (r *record) abs(p string) string {
	if filepath.IsAbs(p) || r.Dir == "" {
		return p
	}
	if !strings.HasPrefix(p, ".") {
		return r.Dir + "/" + p // a hit takes a path per input: no cleaning needed
	}
	return filepath.Join(r.Dir, p)
}
