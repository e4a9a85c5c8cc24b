package stable

import (
	"fmt"
	"os"
	"path/filepath"
	"slices"
	"time"
)

// run executes the tool on temporaries and commits what it wrote.
func (a *Action) run(key string, out *Outcome) (*Outcome, error) {
	txn, err := BeginWith(a.Outputs, TxnOptions{Trees: a.Trees, KeepModes: a.KeepModes, Direct: a.direct()})
	if err != nil {
		return a.passthrough("no temporary: " + err.Error())
	}
	defer txn.Abort()
	argv := a.Argv
	if a.Redirect != nil {
		argv = a.Redirect(txn.Temp)
	}
	cmd := &Command{Argv: argv, Path: a.Path, Dir: a.Dir, Capture: a.Store != nil, Unname: txn.Unname}
	if cmd.Capture && len(a.TerminalArgs) > 0 && isTerminal(os.Stderr) {
		cmd.Argv = append(slices.Clone(argv), a.TerminalArgs...)
		cmd.ForceCapture = true
	}
	if a.StdoutTo != "" {
		to, flags := txn.Temp(a.StdoutTo), os.O_WRONLY|os.O_CREATE|os.O_EXCL
		if to == a.StdoutTo {
			// Not a regular file (/dev/null, a pipe): written directly,
			// as the shell's > would.
			flags = os.O_WRONLY | os.O_CREATE | os.O_TRUNC
		}
		f, err := os.OpenFile(a.path(to), flags, 0o666)
		if err != nil {
			out.Status = Status{Code: 1}
			return out, err
		}
		defer f.Close()
		cmd.Stdout = f
	}
	out.Status, err = cmd.Run()
	out.Elapsed = cmd.Elapsed
	if err != nil || !out.Status.OK() || out.Status.Signal != 0 {
		return out, err
	}
	found := &Found{}
	if a.Finish != nil {
		if found, err = a.Finish(txn.Temp); err != nil {
			return out, err
		}
	}
	kept := a.keepForPost(txn)
	err = txn.Commit(a.Store != nil)
	for _, o := range kept {
		if o.Result != Replaced {
			os.Remove(KeepName(o.Target))
		}
	}
	if err == nil {
		a.revive(txn, found)
	}
	for _, o := range txn.Outs() {
		out.Results[o.Name] = o.Result
	}
	if err != nil {
		out.Status = Status{Code: 1}
		return out, err
	}
	a.order()
	if a.Store != nil {
		if why := a.save(key, txn, found, cmd); why != "" {
			a.Log("no record: %s", why)
		}
	}
	return out, nil
}

// save stores the record of a successful run. It declines (and says why)
// when the run cannot be described faithfully.
func (a *Action) save(key string, txn *Txn, found *Found, cmd *Command) string {
	if found.NoRecord != "" {
		return found.NoRecord
	}
	if len(a.Inputs)+len(found.Inputs) == 0 {
		return "no inputs known: the tool runs every time"
	}
	if len(a.Trees) > 0 {
		return "a tree output cannot be described by a record"
	}
	for _, in := range a.Inputs {
		if slices.Contains(a.Outputs, in) {
			// Rewriting a file in place: its next input is this run's
			// output, and the tool need not be idempotent.
			return "input " + in + " is also an output"
		}
	}
	if !cmd.Captured {
		return "output of the tool was not captured"
	}
	dir, _ := a.absDir()
	r := &Record{Key: key, Argv: a.Argv, Dir: dir, Time: time.Now().UnixNano(),
		Elapsed: int64(cmd.Elapsed), Stdout: cmd.Out, Stderr: cmd.Err}
	if cmd.Combined {
		r.Stdout, r.Stderr = nil, cmd.Err
	}
	seen := map[string]bool{}
	var why string
	if r.Absent, why = groupAbsent(dir, found.Absent); why != "" {
		return why
	}
	for _, in := range slices.Concat(a.Inputs, found.Inputs) {
		if seen[in] {
			continue
		}
		seen[in] = true
		var scan func([]byte)
		var noRecord string
		if a.Scan != nil {
			check := a.Scan(in)
			scan = func(b []byte) {
				if noRecord == "" {
					noRecord = check(b)
				}
			}
		}
		st, err := scanState(a.path(in), scan)
		if err != nil {
			return "input " + in + ": " + err.Error()
		}
		if noRecord != "" {
			return noRecord
		}
		if st.Ctime >= txn.Start {
			return "input " + in + " changed while the tool ran"
		}
		st.Path = in
		r.Inputs = append(r.Inputs, st)
	}
	if len(a.Settle) > 0 {
		a.settleKept(txn, r.Inputs)
	}
	for _, o := range txn.Outs() {
		st, why := a.outState(o)
		if why != "" {
			return why
		}
		r.Outputs = append(r.Outputs, st)
	}
	if err := a.Store.Save(r); err != nil {
		return err.Error()
	}
	return ""
}

func (a *Action) outState(o *Out) (OutState, string) {
	if o.Result == Missing || o.Result == Passed {
		return OutState{}, fmt.Sprintf("output %s was %s", o.Name, o.Result)
	}
	fi, err := os.Stat(a.path(o.Name))
	if err != nil {
		return OutState{}, err.Error()
	}
	st := OutState{FileState: statOf(o.Name, fi)}
	st.Hash = o.Hash
	if slices.Contains(a.Replay, o.Name) {
		if st.Data, err = os.ReadFile(a.path(o.Name)); err != nil {
			return OutState{}, err.Error()
		}
		if st.Data == nil {
			st.Data = []byte{}
		}
	}
	return st, ""
}

// keepForPost keeps aside (hard link) each output that an in-place step
// rewrites after the tool (see PostNote), so that step's wrapper can put
// it back when it comes out the same.
func (a *Action) keepForPost(txn *Txn) []*Out {
	if a.Store == nil {
		return nil
	}
	var kept []*Out
	for _, o := range txn.Outs() {
		if o.Temp == "" || o.Tree {
			continue
		}
		abs, _ := filepath.Abs(o.Target)
		if a.Store.LoadPost(abs) == nil {
			continue
		}
		keep := KeepName(o.Target)
		os.Remove(keep)
		if os.Link(o.Target, keep) == nil {
			kept = append(kept, o)
		}
	}
	return kept
}
