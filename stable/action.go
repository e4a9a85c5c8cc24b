package stable

import (
	"fmt"
	"os"
	"path/filepath"
	"time"
)

// Action is one tool invocation with its declared inputs and outputs.
type Action struct {
	Argv    []string // the command as the caller wrote it, real output names in place
	Path    string   // the tool's executable when the wrapper found it; "" looks up Argv[0]
	Dir     string   // working directory; "" is the current one
	Outputs []string // files the tool writes
	Inputs  []string // files the result depends on, as far as known before the run
	Env     []string // NAME=value pairs that belong to the identity
	Extra   []string // further identity from the wrapper

	// Redirect returns the command line with every output replaced by its
	// temporary. Nil replaces arguments equal to an output name.
	Redirect func(temp func(name string) string) []string
	// StdoutTo names the output that receives the tool's stdout.
	StdoutTo string
	// Finish runs after the tool succeeded and before the commit: a wrapper
	// fixes its temporaries there and says what it learnt about the run.
	Finish func(temp func(name string) string) (*Found, error)
	// TerminalArgs are added to the command line when stderr is a terminal,
	// so the tool prints as it would there (colours) while its stderr is
	// still captured for replay. They are not part of the identity.
	TerminalArgs []string
	// Replay lists small side outputs a record stores whole; a later hit
	// recreates them when they are missing (fixdep deletes depfiles).
	Replay []string
	// NotNewer lists pairs {a, b}: after the action a's mtime is at most b's.
	NotNewer [][2]string
	// Scan, when set, sees the content of every input while the record
	// hashes it (one read for both); an answer other than "" says why the
	// run must not be recorded (a source that uses __DATE__).
	Scan func(path string) func([]byte) string
	// Settle lists outputs that, coming out unchanged but older than an
	// input, get the current time (see settle.go); Config.Apply clears it
	// unless STABLE_SETTLE asks for settling.
	Settle []string
	// SettleInputs lists inputs stable wrote whose one consumer is this
	// action (an archive inside an archive): when the outputs come back
	// unchanged, those get the current time too (STABLE_SETTLE), so make
	// stops asking for them and asks for this action's outputs alone.
	SettleInputs []string
	// Revive lists outputs a recipe may remove before the tool runs
	// (rm -f $@; ar ...): a missing one is written by the tool directly,
	// and, with STABLE_SETTLE, one that comes out as stable last committed
	// it gets that mtime back (see revive.go). Without it the last-commit
	// notes are kept up to date all the same.
	Revive  []string
	keepNew bool // no STABLE_SETTLE: a revived output keeps its new mtime
	// Trees lists outputs that are directory trees (cp -r); KeepModes says
	// the tool keeps the mode of an output it overwrites (see TxnOptions).
	Trees     []string
	KeepModes bool

	// Passthrough, when set, says why the tool must run unmodified (a
	// command line the wrapper does not fully understand).
	Passthrough string

	// Journal, when set, hears the outcome (STABLE_LOG, stable explain);
	// a passthrough tells it just before the tool takes over the process.
	Journal func(*Outcome)

	// Store enables records; nil runs the tool every time.
	Store *Store
	// Log, when set, hears every decision (STABLE_DEBUG).
	Log func(format string, args ...any)
}

// Found is what a wrapper learnt from a run.
type Found struct {
	Inputs []string // more inputs (the headers in a depfile)
	// Absent lists paths that must stay absent for a record to hold: a
	// header created there would be found before one the tool used.
	Absent []string
	// NoRecord, when set, says why this run must not be skipped next time
	// (__DATE__ in a source, say).
	NoRecord string
	// Identity, per Revive output, replaces its content hash when deciding
	// whether it came out as last time: a thin archive is also the content
	// of the members it names. The zero Digest means it cannot be told.
	Identity map[string]Digest
}

// Outcome is what Do did.
type Outcome struct {
	Status      Status
	Hit         bool   // the tool was not run: a record matched
	Passthrough bool   // the tool ran unmodified
	Why         string // why the tool ran (no record, which input changed...)
	Results     map[string]Result
	Elapsed     time.Duration
}

// Do runs the action: a matching record skips the tool; otherwise the tool
// writes temporaries that are then committed. An error is a problem of the
// wrapper's own (outputs could not be committed); the tool's failures are in
// the status.
func Do(a *Action) (*Outcome, error) {
	out, err := do(a)
	if a.Store != nil && out != nil && !out.Passthrough {
		a.Store.Count(out)
	}
	return out, err
}

func do(a *Action) (*Outcome, error) {
	if a.Log == nil {
		a.Log = func(string, ...any) {}
	}
	if a.Passthrough != "" {
		return a.passthrough(a.Passthrough)
	}
	if len(a.Outputs) == 0 && a.StdoutTo == "" {
		return a.passthrough("no outputs to look after")
	}
	id, err := a.identity()
	if err != nil {
		return a.passthrough(err.Error())
	}
	key := id.Key()
	out := &Outcome{Why: "no record", Results: map[string]Result{}}
	if a.Store != nil {
		if r := a.Store.Load(key); r != nil {
			if why := a.tryHit(r); why == "" {
				out.Hit = true
				out.Elapsed = time.Duration(r.Elapsed)
				return out, nil
			} else {
				out.Why = why
			}
		}
	}
	a.Log("run %s: %s", a.Argv[0], out.Why)
	return a.run(key, out)
}

func (a *Action) identity() (Identity, error) {
	dir, err := a.absDir()
	if err != nil {
		return Identity{}, err
	}
	tool, err := toolPath(a.Path, a.Argv[0], a.Dir)
	if err != nil {
		return Identity{}, err
	}
	tool, _ = filepath.EvalSymlinks(tool)
	return Identity{Argv: a.Argv, Dir: dir, Tool: tool, Env: a.Env,
		Extra: append(append([]string{}, a.Extra...), "out="+fmt.Sprint(a.Outputs), "in="+fmt.Sprint(a.Inputs), "stdout="+a.StdoutTo)}, nil
}

func (a *Action) absDir() (string, error) {
	if filepath.IsAbs(a.Dir) {
		return a.Dir, nil
	}
	wd, err := os.Getwd()
	if err != nil {
		return "", err
	}
	return filepath.Join(wd, a.Dir), nil
}

// RunUnmodified runs the tool as if there were no wrapper (STABLE_DISABLE).
func RunUnmodified(a *Action) (*Outcome, error) { return a.passthrough("disabled") }

// passthrough runs the tool unmodified: the wrapper could not help, and it
// must not be in the way.
func (a *Action) passthrough(why string) (*Outcome, error) {
	if a.Log == nil {
		a.Log = func(string, ...any) {}
	}
	a.Log("passthrough %s: %s", a.Argv[0], why)
	out := &Outcome{Why: why, Passthrough: true}
	if a.Store != nil {
		a.Store.Count(out)
		a.forget(a.Store)
	}
	if a.StdoutTo == "" {
		// Nothing to look after: become the tool. Its exit status, signals
		// and streams are then its own, and no second process costs time.
		if a.Journal != nil {
			a.Journal(out)
		}
		removeLive()
		err := execTool(a.Path, a.Argv, a.Dir)
		out.Status = notStarted(err)
		return out, err
	}
	f, err := os.Create(a.StdoutTo)
	if err != nil {
		out.Status = Status{Code: 1}
		return out, err
	}
	defer f.Close()
	cmd := &Command{Argv: a.Argv, Path: a.Path, Dir: a.Dir, Stdout: f}
	out.Status, err = cmd.Run()
	out.Elapsed = cmd.Elapsed
	if a.Journal != nil {
		a.Journal(out)
	}
	return out, err
}
