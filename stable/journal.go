package stable

import (
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"slices"
	"time"
)

// Entry is what a wrapper did for one action: a line of STABLE_LOG, and
// what `stable explain` tells about an output.
type Entry struct {
	Time     time.Time         `json:"time"`
	Wrapper  string            `json:"wrapper"`
	Argv     []string          `json:"argv"`
	Dir      string            `json:"dir"`
	Env      []string          `json:"env,omitempty"`   // the variables of the identity (Action.Env)
	Tools    []string          `json:"tools,omitempty"` // the programs of the identity, as "path size mtime"
	Decision string            `json:"decision"`        // hit, ran, passthrough, failed
	Why      string            `json:"why,omitempty"`
	Outputs  map[string]string `json:"outputs,omitempty"` // name -> kept, replaced, created...
	ToolMs   float64           `json:"tool_ms"`           // the tool's run, or the run a hit saved
	TotalMs  float64           `json:"total_ms"`          // the wrapper's whole invocation
	// Mismatches are what STABLE_VERIFY found the wrapper would have got
	// wrong (decision "mismatch").
	Mismatches []string `json:"mismatches,omitempty"`
}

// Explained is what the store keeps per output: the last entry, and the
// latest earlier one with another command line, to show what changed.
type Explained struct {
	Last  Entry  `json:"last"`
	Other *Entry `json:"other,omitempty"`
}

// newEntry describes an outcome.
func newEntry(wrapper string, a *Action, out *Outcome, start time.Time) Entry {
	e := Entry{Time: start, Wrapper: wrapper, Argv: a.Argv, Env: a.Env, Tools: toolsOf(a), Why: out.Why, Mismatches: out.Mismatches,
		ToolMs:  ms(out.Elapsed),
		TotalMs: ms(time.Since(start))}
	e.Dir, _ = a.absDir()
	switch {
	case len(out.Mismatches) > 0:
		e.Decision = "mismatch"
	case out.Hit:
		e.Decision, e.Why = "hit", "no input changed since the record"
	case out.Passthrough:
		e.Decision = "passthrough"
	case !out.Status.OK():
		e.Decision = "failed"
	default:
		e.Decision = "ran"
	}
	if len(out.Results) > 0 {
		e.Outputs = map[string]string{}
		for k, v := range out.Results {
			e.Outputs[k] = v.String()
		}
	}
	return e
}

func ms(d time.Duration) float64 { return float64(d.Microseconds()) / 1000 }

// journal writes the entry to STABLE_LOG and, with a store, under each
// output for `stable explain`. Neither may fail a build.
func (r *Runner) journal(a *Action, out *Outcome) {
	if r.Config.Log == "" && (r.Store == nil || out.told) {
		return
	}
	e := newEntry(r.Name, a, out, r.start)
	if r.Config.Log != "" {
		appendLine(r.Config.Log, e)
	}
	if r.Store != nil && !out.told {
		for _, o := range a.outputNames() {
			r.Store.explain(absIn(e.Dir, o), e)
		}
	}
}

// outputNames lists what an action writes, for explain: its outputs, its
// stdout file, the file of an in-place step, the trees it rewrites.
func (a *Action) outputNames() []string {
	names := slices.Clone(a.Outputs)
	for _, n := range append([]string{a.StdoutTo, a.Step}, a.RewriteTrees...) {
		if n != "" && !slices.Contains(names, n) {
			names = append(names, n)
		}
	}
	return names
}

// absIn is p made absolute against dir.
func absIn(dir, p string) string {
	if filepath.IsAbs(p) {
		return filepath.Clean(p)
	}
	return filepath.Join(dir, p)
}

// appendLine adds one JSON line with a single write, so lines of parallel
// wrappers never interleave.
func appendLine(path string, e Entry) {
	b, err := json.Marshal(e)
	if err != nil {
		return
	}
	f, err := os.OpenFile(path, os.O_WRONLY|os.O_APPEND|os.O_CREATE, 0o666)
	if err != nil {
		return
	}
	f.Write(append(b, '\n'))
	f.Close()
}

func (s *Store) explainPath(output string) string {
	sum := sha256.Sum256([]byte(filepath.Clean(output)))
	h := hex.EncodeToString(sum[:16])
	return filepath.Join(s.Dir, "explain", h[:2], h[2:]+".json")
}

func (s *Store) explain(output string, e Entry) {
	p := s.explainPath(output)
	x := Explained{Last: e}
	if old, err := s.Explain(output); err == nil {
		x.Other = old.Other
		if !old.Last.sameIdentity(e) {
			x.Other = &old.Last
		}
	}
	b, err := json.Marshal(x)
	if err != nil {
		return
	}
	os.MkdirAll(filepath.Dir(p), 0o777)
	writeFileAtomic(p, b, 0o666)
}

// Explain returns what the store knows about the last action that wrote
// output (an absolute path): the entry, and the latest earlier one whose
// command line differed (nil if none).
func (s *Store) Explain(output string) (*Explained, error) {
	b, err := os.ReadFile(s.explainPath(output))
	if err != nil {
		return nil, err
	}
	var x Explained
	if err := json.Unmarshal(b, &x); err != nil {
		return nil, err
	}
	return &x, nil
}

// sameIdentity says whether two entries are of the same command line, in
// the same directory, environment and programs.
func (e Entry) sameIdentity(o Entry) bool {
	return slices.Equal(e.Argv, o.Argv) && e.Dir == o.Dir && slices.Equal(e.Env, o.Env) && slices.Equal(e.Tools, o.Tools)
}

// toolsOf describes the programs of an action's identity for explain.
func toolsOf(a *Action) []string {
	var out []string
	for _, p := range append([]string{a.Path}, a.Tools...) {
		if p == "" {
			continue
		}
		if fi, err := os.Stat(p); err == nil {
			out = append(out, fmt.Sprintf("%s %d %s", p, fi.Size(), fi.ModTime().UTC().Format(time.RFC3339Nano)))
		} else {
			out = append(out, p+" absent")
		}
	}
	return out
}
