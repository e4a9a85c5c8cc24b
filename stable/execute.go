package stable

import (
	"fmt"
	"os"
	"runtime/debug"
	"time"
)

// Execute is the end of every wrapper: it applies the environment's
// configuration, does the action, reports a problem of the wrapper's own in
// one line, and exits the way the tool did.
func Execute(name string, a *Action) {
	start := time.Now()
	// A wrapper lives for milliseconds: collecting garbage would cost more
	// than the memory it frees, so collect only past a generous bound.
	debug.SetGCPercent(-1)
	debug.SetMemoryLimit(256 << 20)
	cfg := FromEnv()
	cfg.Apply(a)
	a.Journal = func(out *Outcome) { a.journal(name, out, start) }
	run := Do
	if cfg.Disabled {
		run = RunUnmodified
	}
	out, err := run(a)
	if !out.Passthrough {
		a.Journal(out)
	}
	if err != nil {
		fmt.Fprintf(os.Stderr, "%s: %v\n", name, err)
	}
	Exit(out.Status)
}
