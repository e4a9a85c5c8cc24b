package stable

import (
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
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
	Decision string            `json:"decision"` // hit, ran, passthrough, failed
	Why      string            `json:"why,omitempty"`
	Outputs  map[string]string `json:"outputs,omitempty"` // name -> kept, replaced, created...
	ToolMs   float64           `json:"tool_ms"`           // the tool's run, or the run a hit saved
	TotalMs  float64           `json:"total_ms"`          // the wrapper's whole invocation
}

// explained is what the store keeps per output: the last entry, and the
// latest earlier one with another command line, to show what changed.
type explained struct {
	Last  Entry  `json:"last"`
	Other *Entry `json:"other,omitempty"`
}

// newEntry describes an outcome.
func newEntry(wrapper string, a *Action, out *Outcome, start time.Time) Entry {
	e := Entry{Time: start, Wrapper: wrapper, Argv: a.Argv, Why: out.Why,
		ToolMs:  ms(out.Elapsed),
		TotalMs: ms(time.Since(start))}
	e.Dir, _ = a.absDir()
	switch {
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
func (a *Action) journal(wrapper string, out *Outcome, start time.Time) {
	logPath := os.Getenv("STABLE_LOG")
	if logPath == "" && a.Store == nil {
		return
	}
	e := newEntry(wrapper, a, out, start)
	if logPath != "" {
		appendLine(logPath, e)
	}
	if a.Store != nil {
		for _, o := range a.outputNames() {
			a.Store.explain(filepath.Join(e.Dir, o), e)
		}
	}
}

func (a *Action) outputNames() []string {
	if a.StdoutTo != "" && !slices.Contains(a.Outputs, a.StdoutTo) {
		return append(slices.Clone(a.Outputs), a.StdoutTo)
	}
	return a.Outputs
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
	x := explained{Last: e}
	if old, err := s.Explain(output); err == nil {
		x.Other = old.Other
		if !slices.Equal(old.Last.Argv, e.Argv) || old.Last.Dir != e.Dir {
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
func (s *Store) Explain(output string) (*explained, error) {
	b, err := os.ReadFile(s.explainPath(output))
	if err != nil {
		return nil, err
	}
	var x explained
	if err := json.Unmarshal(b, &x); err != nil {
		return nil, err
	}
	return &x, nil
}
