package stable

import (
	"errors"
	"os"
	"path/filepath"
	"slices"
)

// run executes the tool on temporaries and commits what it wrote. claim,
// when not nil, is a record that would have answered (STABLE_VERIFY): what
// the tool writes now is checked against it before the commit.
func (r *Runner) run(a *Action, key string, out *Outcome, claim *record) (*Outcome, error) {
	txn, err := BeginWith(a.Outputs, a.txnOptions())
	if err != nil {
		return r.passthrough(a, "no temporary: "+err.Error())
	}
	defer txn.Abort()
	cmd, closeStdout, err := r.command(a, txn)
	if err != nil {
		out.Status = Status{Code: 1}
		return out, err
	}
	out.Status, err = cmd.Run()
	closeStdout()
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
	if claim != nil {
		out.Mismatches = verifyClaim(a, claim, txn, cmd)
	}
	kept := r.keepForPost(txn)
	err = txn.Commit(r.Store != nil)
	for _, o := range kept {
		if o.Result != Replaced {
			os.Remove(keepName(o.Target))
		}
	}
	for _, o := range txn.Outs() {
		out.Results[o.Name] = o.Result
	}
	if err != nil {
		out.Status = Status{Code: 1}
		return out, err
	}
	r.afterCommit(a, key, txn, found, cmd, kept)
	for _, o := range txn.Outs() {
		out.Results[o.Name] = o.Result // revived
	}
	return out, nil
}

// txnOptions says how the tool treats its outputs.
func (a *Action) txnOptions() TxnOptions {
	return TxnOptions{Trees: a.Trees, InPlace: a.InPlace, KeepMode: a.KeepMode, KeepOwner: a.KeepOwner,
		Direct: append(slices.Clone(a.Direct), a.missingRevive()...), ReplaceLinks: a.ReplaceLinks, Seed: a.Seed, KeepTimes: a.KeepTimes, Stdout: a.StdoutTo, WriteThrough: a.WriteThrough, KeepsSame: a.KeepsSame}
}

// missingRevive lists the Revive outputs that are missing now: the tool
// writes those itself.
func (a *Action) missingRevive() []string {
	var d []string
	for _, name := range a.Revive {
		if _, err := os.Lstat(a.path(name)); errors.Is(err, os.ErrNotExist) {
			d = append(d, name)
		}
	}
	return d
}

// command prepares the tool's run on the temporaries: its redirected
// command line, its stdout when that is an output, what it prints captured
// for a record.
func (r *Runner) command(a *Action, txn *Txn) (*toolRun, func(), error) {
	argv := a.Argv
	if a.Redirect != nil {
		argv = a.Redirect(txn.Temp)
	}
	cmd := &toolRun{Argv: argv, Path: a.Path, Dir: a.Dir, Capture: r.Store != nil || r.Config.Verify, Unname: txn.Unname}
	if cmd.Capture && len(a.TerminalArgs) > 0 && isTerminal(os.Stderr) {
		cmd.Argv = append(slices.Clone(argv), a.TerminalArgs...)
		cmd.ForceCapture = true
	}
	if a.StdoutTo == "" {
		return cmd, func() {}, nil
	}
	to, flags := txn.Temp(a.StdoutTo), os.O_WRONLY|os.O_CREATE|os.O_EXCL
	if to == a.StdoutTo {
		// Not a regular file (/dev/null, a pipe): written directly, as
		// the shell's > would.
		flags = os.O_WRONLY | os.O_CREATE | os.O_TRUNC
	}
	f, err := os.OpenFile(a.path(to), flags, 0o666)
	if err != nil {
		return nil, nil, err
	}
	cmd.Stdout = f
	return cmd, func() { f.Close() }, nil
}

// afterCommit gives the outputs their mtimes and keeps the record.
func (r *Runner) afterCommit(a *Action, key string, txn *Txn, found *Found, cmd *toolRun, posts []*Out) {
	r.revive(a, txn, found)
	inputs, why := r.inputStates(a, txn, found, cmd)
	r.settleKept(a, txn, inputs)
	r.tellPosts(posts, inputs)
	a.order()
	if r.Store == nil {
		return
	}
	if why == "" {
		why = r.save(a, key, txn, found, cmd, inputs)
	}
	if why != "" {
		r.logf("no record: %s", why)
		return
	}
	// Recorded: what it reads will be answered for next time.
	r.consumed(found.Consumes)
}

// keepForPost keeps aside (hard link) each output that an in-place step
// rewrites after the tool (see PostNote), so that step's wrapper can put
// it back when it comes out the same.
func (r *Runner) keepForPost(txn *Txn) []*Out {
	if r.Store == nil {
		return nil
	}
	var kept []*Out
	for _, o := range txn.Outs() {
		if o.Temp == "" || o.Tree || o.Direct {
			continue
		}
		abs, _ := filepath.Abs(o.Target)
		if r.Store.LoadPost(abs) == nil {
			continue
		}
		keep := keepName(o.Target)
		os.Remove(keep)
		if os.Link(o.Target, keep) == nil {
			kept = append(kept, o)
		}
	}
	return kept
}

// tellPosts tells the in-place step of each output it will rewrite how new
// this run's inputs are (postNote.Newer).
func (r *Runner) tellPosts(posts []*Out, inputs []FileState) {
	newest := newestMtime(inputs)
	for _, o := range posts {
		abs, _ := filepath.Abs(o.Target)
		if n := r.Store.LoadPost(abs); n != nil && n.Newer != newest {
			n.Newer = newest
			r.Store.SavePost(n)
		}
	}
}
