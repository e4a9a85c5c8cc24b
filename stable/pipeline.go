package stable

// pipeline runs a tool whose outputs are declared, one stage after the
// other, each in its own file:
//
//	identity  identity.go  what makes two invocations the same action
//	hit       hit.go       a record that still describes the disk answers
//	run       run.go       the tool writes temporaries beside the outputs
//	finish    (wrapper)    the wrapper fixes them, says what it learnt
//	verify    verify.go    STABLE_VERIFY: the run checks a hit's claims
//	commit    commit.go    only changed outputs replace the old ones
//	mtimes    revive.go, settle.go
//	record    save.go      what the next invocation may skip on
func (r *Runner) pipeline(a *Action) (*Outcome, error) {
	if r.Store != nil && a.Prepare != nil {
		if why := a.Prepare(r.Store); why != "" && a.NoRecord == "" {
			a.NoRecord = why
		}
	}
	key, err := r.identity(a)
	if err != nil {
		return r.passthrough(a, err.Error())
	}
	out := &Outcome{Why: "no record", Results: map[string]Result{}}
	claim := r.lookup(a, key, out)
	if out.Hit {
		return out, nil
	}
	r.logf("run %s: %s", a.command(), out.Why)
	return r.run(a, key, out, claim)
}
