package stable

import (
	"fmt"
	"os"
)

// Execute is the end of every wrapper: it applies the environment's
// configuration, does the action, reports a problem of the wrapper's own in
// one line, and exits the way the tool did.
func Execute(name string, a *Action) {
	cfg := FromEnv()
	cfg.Apply(a)
	run := Do
	if cfg.Disabled {
		run = RunUnmodified
	}
	out, err := run(a)
	if err != nil {
		fmt.Fprintf(os.Stderr, "%s: %v\n", name, err)
	}
	Exit(out.Status)
}
