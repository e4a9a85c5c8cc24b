package cli

import (
	"errors"
	"fmt"
	"os"

	"github.com/alecthomas/kong"

	"stable/stable"
	"stable/wrap/run"
)

type runCmd struct {
	Output  []string `short:"o" name:"output" sep:"none" placeholder:"FILE" help:"A file the command writes; it must appear in the command line. Repeatable."`
	Input   []string `short:"i" name:"input" sep:"none" placeholder:"FILE" help:"A file the result depends on. With inputs declared, a repeat whose inputs did not change skips the command. Repeatable."`
	Stdout  string   `name:"stdout" placeholder:"FILE" help:"Write the command's stdout to FILE (like kbuild's filechk)."`
	Tree    []string `name:"tree" sep:"none" placeholder:"DIR" help:"A directory the command rewrites in place; afterwards every file under it whose content did not change keeps its old mtime (and inode where possible). Repeatable; not with -o, -i or --stdout."`
	InPlace bool     `name:"inplace" help:"The command rewrites its last argument in place (kbuild's objtool after each compile); see README. Not with -o, -i, --stdout or --tree."`
	Env     []string `name:"env" sep:"none" placeholder:"NAME" help:"An environment variable the result depends on. Repeatable."`
	Cmd     []string `arg:"" optional:"" passthrough:"" name:"command" help:"The command and its arguments, after --."`
}

var cli struct {
	Run     runCmd     `cmd:"" help:"Run a command; replace each output only when its content or mode changed."`
	Stats   statsCmd   `cmd:"" help:"Show the record store's counters (like ccache -s)."`
	Trim    trimCmd    `cmd:"" help:"Shrink the record store, oldest records first."`
	Explain explainCmd `cmd:"" help:"Tell why the last action for an output ran (or was skipped)."`
	Demo    demoCmd    `cmd:"" help:"Build a small C project plain, with stablecc, and settled (stable-ar, STABLE_SETTLE=1); show what each rebuilds."`
}

func (r *runCmd) Run() error {
	cmd := r.Cmd
	if len(cmd) > 0 && cmd[0] == "--" {
		cmd = cmd[1:]
	}
	if len(cmd) == 0 {
		return errors.New("no command given: stable run [-o OUT]... -- CMD ARGS...")
	}
	if len(r.Tree) > 0 {
		return r.runTree(cmd)
	}
	if r.InPlace {
		return r.runInPlace(cmd)
	}
	spec := &run.Spec{Outputs: r.Output, Inputs: r.Input, Stdout: r.Stdout, Argv: cmd}
	if err := spec.Check(); err != nil {
		return err
	}
	var env []string
	for _, name := range r.Env {
		env = append(env, name+"="+os.Getenv(name))
	}
	stable.Execute("stable", spec.Action(env))
	return nil
}

// environment is what every wrapper reads (stable.Config, STABLE_LOG).
const environment = `Environment, for every wrapper:
  STABLE_DIR=DIR       record store (default: the user cache directory)
  STABLE_MAXSIZE=SIZE  bound of the record store, e.g. 200M (default 512M)
  STABLE_DISABLE=1     run every tool unmodified
  STABLE_NORECORDS=1   compare and commit, never skip a tool
  STABLE_SETTLE=1      objects that compile to the same bytes get the current
                       time, and archives stable-ar rebuilds the same get their
                       old mtime back: make stops asking (see README)
  STABLE_DEBUG=1       print each decision on stderr
  STABLE_LOG=FILE      append one JSON line per action to FILE`

// Stable is the stable command: generic wrapping and the record store.
func Stable() {
	stable.Guard()
	if runFast(os.Args[1:]) {
		return
	}
	parser := kong.Must(&cli,
		kong.Name("stable"),
		kong.Description("Run build tools so that a rebuild producing the same bytes leaves each output alone (same inode, same mtime).\n\n"+environment),
		kong.UsageOnError())
	args, command := splitCommand(os.Args[1:])
	ctx, err := parser.Parse(args)
	parser.FatalIfErrorf(err)
	if command != nil {
		cli.Run.Cmd = command
	}
	parser.FatalIfErrorf(ctx.Run())
}

// splitCommand takes the command of `stable run ... -- CMD...` out of the
// arguments before they are parsed: the parser's time grows with the
// square of the arguments, and a command line of a build can be long.
func splitCommand(args []string) (own, command []string) {
	if len(args) == 0 || args[0] != "run" {
		return args, nil
	}
	for i := 1; i < len(args); i++ {
		switch a := args[i]; {
		case a == "--":
			return args[:i], args[i+1:]
		case a == "-o" || a == "-i" || a == "--output" || a == "--input" || a == "--stdout" || a == "--env" || a == "--tree":
			i++ // its value may itself be "--"
		}
	}
	return args, nil
}

func (r *runCmd) runTree(cmd []string) error {
	if len(r.Output)+len(r.Input) > 0 || r.Stdout != "" {
		return errors.New("--tree cannot be combined with -o, -i or --stdout")
	}
	if len(cmd) == 0 {
		return errors.New("no command given after --")
	}
	st, err := stable.RunTree(r.Tree, cmd)
	if err != nil {
		fmt.Fprintf(os.Stderr, "stable: %v\n", err)
	}
	stable.Exit(st)
	return nil
}

func (r *runCmd) runInPlace(cmd []string) error {
	if len(r.Output)+len(r.Input)+len(r.Tree) > 0 || r.Stdout != "" {
		return errors.New("--inplace cannot be combined with -o, -i, --stdout or --tree")
	}
	if len(cmd) < 2 {
		return errors.New("--inplace needs a command whose last argument is the file it rewrites")
	}
	st, err := stable.RunInPlace(cmd[len(cmd)-1], cmd)
	if err != nil {
		fmt.Fprintf(os.Stderr, "stable: %v\n", err)
	}
	stable.Exit(st)
	return nil
}
