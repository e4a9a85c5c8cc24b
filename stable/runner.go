package stable

import (
	"fmt"
	"os"
	"runtime/debug"
	"strings"
	"time"
)

// Runner is how actions run in this invocation: the configuration read
// from the environment, the record store, where decisions are told.
type Runner struct {
	Name    string // the wrapper, for messages and the journal
	Config  config
	Store   *Store // nil: no records
	notices *os.File
	start   time.Time
}

// NewRunner reads the environment. An unusable store is said once and
// means no records.
func NewRunner(name string) *Runner {
	r := &Runner{Name: name, Config: fromEnv(), start: time.Now()}
	r.notices = openNotices(r.Config.Debug)
	if r.Config.NoRecords {
		return r
	}
	s, err := OpenStore(r.Config.Dir)
	if err != nil {
		warnOnce(r.Config.Dir, fmt.Sprintf("stable: records off, %v", err))
		return r
	}
	r.Store = s
	return r
}

// Execute is the end of every wrapper: it does the action as the
// environment configures it, reports a problem of the wrapper's own in one
// line, and returns how the tool ended, for the caller to exit the same way.
func Execute(name string, a *Action) Status {
	// A wrapper lives for milliseconds: collecting garbage would cost more
	// than the memory it frees, so collect only past a generous bound.
	debug.SetGCPercent(-1)
	debug.SetMemoryLimit(256 << 20)
	r := NewRunner(name)
	out, err := r.Do(a)
	if err != nil {
		fmt.Fprintf(os.Stderr, "%s: %v\n", name, err)
	}
	if len(out.Mismatches) > 0 && out.Status.OK() {
		out.Status = Status{Code: CodeMismatch}
	}
	return out.Status
}

// CodeMismatch is the exit status of a wrapper whose verification found a
// decision the tool's own run contradicts (STABLE_VERIFY).
const CodeMismatch = 3

// Do runs the action through the stages its kind has: an in-place step, a
// tree rewrite, or the pipeline of a tool with declared outputs (see
// pipeline.go). Counters and the journal hear every outcome. An error is a
// problem of the wrapper's own; the tool's failures are in the status.
func (r *Runner) Do(a *Action) (*Outcome, error) {
	var out *Outcome
	var err error
	switch {
	case r.Config.Disabled:
		out, err = r.passthrough(a, "disabled")
	case a.Passthrough != "":
		out, err = r.passthrough(a, a.Passthrough)
	case a.Step != "":
		out, err = r.step(a)
	case len(a.RewriteTrees) > 0:
		out, err = r.rewriteTrees(a)
	case len(a.Outputs) == 0 && a.StdoutTo == "":
		out, err = r.passthrough(a, "no outputs to look after")
	default:
		out, err = r.pipeline(a)
	}
	if !out.Passthrough {
		r.report(a, out)
	}
	return out, err
}

// report counts an outcome and writes it to the journal.
func (r *Runner) report(a *Action, out *Outcome) {
	for _, m := range out.Mismatches {
		fmt.Fprintf(os.Stderr, "stable: VERIFY MISMATCH: %s: %s\n", a.Argv[0], m)
	}
	if r.Store != nil {
		r.Store.Count(out)
	}
	r.journal(a, out)
}

// passthrough runs the tool unmodified: the wrapper could not help, and it
// must not be in the way.
func (r *Runner) passthrough(a *Action, why string) (*Outcome, error) {
	r.logf("passthrough %s: %s", a.command(), why)
	out := &Outcome{Why: why, Passthrough: true}
	r.forget(a)
	if a.StdoutTo == "" {
		// Nothing to look after: become the tool. Its exit status, signals
		// and streams are then its own, and no second process costs time.
		r.report(a, out)
		removeLive()
		err := execTool(a.Path, a.Argv, a.Dir)
		out.Status = notStarted(err)
		return out, err
	}
	f, err := os.Create(a.path(a.StdoutTo))
	if err != nil {
		out.Status = Status{Code: 1}
		r.report(a, out)
		return out, err
	}
	defer f.Close()
	cmd := &toolRun{Argv: a.Argv, Path: a.Path, Dir: a.Dir, Stdout: f}
	out.Status, err = cmd.Run()
	out.Elapsed = cmd.Elapsed
	r.report(a, out)
	return out, err
}

// path is p in the action's directory.
func (a *Action) path(p string) string {
	if a.Dir == "" || len(p) > 0 && p[0] == '/' {
		return p
	}
	return a.Dir + "/" + p
}

// command is the command line for messages.
func (a *Action) command() string { return strings.Join(a.Argv, " ") }
