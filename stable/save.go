package stable

import (
	"fmt"
	"os"
	"slices"
	"time"
)

// inputStates takes the state of every input: hashed when a record is to
// be kept, otherwise only stat'ed (settling needs the newest mtime). why
// says why no record can describe this run ("" when one can).
func (r *Runner) inputStates(a *Action, txn *Txn, found *Found, cmd *toolRun) ([]FileState, string) {
	why := a.noRecord(found, cmd)
	hash := r.Store != nil && why == ""
	seen := map[string]bool{}
	var states []FileState
	add := func(st FileState) {
		if st.Ctime >= txn.Start && why == "" {
			why = "input " + st.Path + " changed while the tool ran"
		}
		states = append(states, st)
	}
	for _, st := range found.States {
		if !seen[st.Path] {
			seen[st.Path] = true
			add(st)
		}
	}
	for _, in := range slices.Concat(a.Inputs, found.Inputs) {
		if seen[in] {
			continue
		}
		seen[in] = true
		st, err := inputState(a.path(in), hash)
		if err != nil {
			if why == "" {
				why = "input " + in + ": " + err.Error()
			}
			continue
		}
		st.Path = in
		add(st)
	}
	return states, why
}

// inputState hashes or stats one input.
func inputState(path string, hash bool) (FileState, error) {
	if hash {
		return stateOf(path)
	}
	fi, err := os.Stat(path)
	if err != nil {
		return FileState{}, err
	}
	return statOf(path, fi), nil
}

// noRecord says why a run cannot be described by a record, before any
// input is read.
func (a *Action) noRecord(found *Found, cmd *toolRun) string {
	switch {
	case a.NoRecord != "":
		return a.NoRecord
	case found.NoRecord != "":
		return found.NoRecord
	case len(a.Inputs)+len(found.Inputs)+len(found.States) == 0:
		return "no inputs known: the tool runs every time"
	case len(a.Trees) > 0:
		return "a tree output cannot be described by a record"
	case !cmd.Captured:
		return "output of the tool was not captured"
	}
	for _, in := range a.Inputs {
		if slices.Contains(a.Outputs, in) {
			// Rewriting a file in place: its next input is this run's
			// output, and the tool need not be idempotent.
			return "input " + in + " is also an output"
		}
	}
	return ""
}

// save stores the record of a successful run. It declines (and says why)
// when the run cannot be described faithfully.
func (r *Runner) save(a *Action, key string, txn *Txn, found *Found, cmd *toolRun, inputs []FileState) string {
	dir, _ := a.absDir()
	rec := &record{Key: key, Argv: a.Argv, Dir: dir, Time: time.Now().UnixNano(),
		Elapsed: int64(cmd.Elapsed), Stdout: cmd.Out, Stderr: cmd.Err, Inputs: inputs,
		Conds: conds(found.Conds, len(cmd.Out)+len(cmd.Err) > 0), Consumes: found.Consumes}
	if cmd.Combined {
		rec.Stdout, rec.Stderr = nil, cmd.Err
	}
	if len(rec.Stdout)+len(rec.Stderr) > 0 {
		// What the tool printed may quote an input as it is (a warning
		// shows its source line, comments and all): only the exact
		// content can answer for it.
		for i := range rec.Inputs {
			rec.Inputs[i].Code = Digest{}
		}
	}
	var why string
	if rec.Absent, why = groupAbsent(dir, found.Absent); why != "" {
		return why
	}
	copies := r.keepCopies(a, txn)
	for _, o := range txn.Outs() {
		st, why := a.committedState(o)
		if why != "" {
			return why
		}
		st.Copy = copies[o.Name]
		rec.Outputs = append(rec.Outputs, st)
	}
	if err := r.Store.Save(rec); err != nil {
		return err.Error()
	}
	return ""
}

// localeVars choose the language of what a tool prints: a record that
// replays messages holds only in the same locale.
var localeVars = []string{"LANGUAGE", "LC_ALL", "LC_MESSAGES", "LC_CTYPE", "LANG"}

// conds adds the locale to the wrapper's conditions when the record
// replays what the tool printed.
func conds(found []string, printed bool) []string {
	c := slices.Clone(found)
	if printed {
		for _, name := range localeVars {
			c = append(c, envCond(name))
		}
	}
	return c
}

// envCond is a condition on one variable as it is now.
func envCond(name string) string {
	if v, ok := os.LookupEnv(name); ok {
		return name + "=" + v
	}
	return name
}

func (a *Action) committedState(o *Out) (outState, string) {
	if o.Result == Missing || o.Result == Passed {
		return outState{}, fmt.Sprintf("output %s was %s", o.Name, o.Result)
	}
	fi, err := os.Stat(a.path(o.Name))
	if err != nil {
		return outState{}, err.Error()
	}
	st := outState{FileState: statOf(o.Name, fi)}
	st.Hash = o.Hash
	if slices.Contains(a.Replay, o.Name) {
		if st.Data, err = os.ReadFile(a.path(o.Name)); err != nil {
			return outState{}, err.Error()
		}
		if st.Data == nil {
			st.Data = []byte{}
		}
	}
	return st, ""
}
