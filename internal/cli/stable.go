package cli

import (
	"fmt"
	"os"

	"github.com/alecthomas/kong"

	"stable/stable"
	"stable/wrap/run"
)

// runCmd stands for `stable run` in the model, for help: run.Main parses
// its options itself, with a model of its own.
type runCmd struct {
	run.Options
	Command []string `arg:"" optional:"" passthrough:"" name:"command" help:"The command and its arguments, after --."`
}

var cli struct {
	Run     runCmd        `cmd:"" help:"Run a command; replace each output only when its content or mode changed (stable run --help)."`
	Stats   statsCmd      `cmd:"" help:"Show the record store's counters (like ccache -s)."`
	Trim    trimCmd       `cmd:"" help:"Shrink the record store, oldest records first."`
	Explain explainCmd    `cmd:"" help:"Tell why the last action for an output ran (or was skipped)."`
	Demo    demoCmd       `cmd:"" help:"Build a small C project plain and through the wrappers; show what each rebuilds."`
	Masq    masqueradeCmd `cmd:"" name:"masquerade" help:"Fill a directory with symlinks named like the tools (gcc, cc, ar, ranlib, objcopy...) that run the wrappers; put it first in PATH."`
}

// Main is the stable command; args are os.Args. It returns how the tool
// (or the command itself) ended.
func Main(args []string) stable.Status {
	if len(args) > 1 && args[1] == "run" {
		// The hot path: in build recipes, once per output.
		stable.Guard()
		return run.Main(args[2:])
	}
	code := -1
	parser, err := kong.New(&cli,
		kong.Name("stable"),
		kong.Description("Run build tools so that a rebuild producing the same bytes leaves each output alone (same inode, same mtime).\n\n"+stable.EnvHelp),
		kong.UsageOnError(),
		kong.Exit(func(c int) { code = c }))
	if err != nil {
		fmt.Fprintf(os.Stderr, "stable: %v\n", err)
		return stable.Status{Code: 2}
	}
	ctx, err := parser.Parse(args[1:])
	if code >= 0 {
		return stable.Status{Code: code}
	}
	if err != nil {
		parser.Errorf("%v", err)
		return stable.Status{Code: 2}
	}
	if err := ctx.Run(); err != nil {
		fmt.Fprintf(os.Stderr, "stable: error: %v\n", err)
		return stable.Status{Code: 1}
	}
	return stable.Status{}
}

// Run of `stable run` reached through the full model: the options were
// given without "--" or with help.
func (r *runCmd) Run() error {
	return fmt.Errorf("the command follows --: stable run [OPTIONS] -- CMD ARGS...")
}
