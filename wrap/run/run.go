// Package run is `stable run`: a command whose outputs are named on its
// own command line (or are its stdout), a script that rewrites directories
// in place (--tree), or a step that rewrites one file in place (--inplace).
// One parser reads its options, and each form becomes one stable.Action.
package run

import (
	"errors"
	"fmt"
	"io"
	"os"
	"slices"
	"strings"

	"github.com/alecthomas/kong"

	"stable/stable"
)

// Options are `stable run`'s own options.
type Options struct {
	Output  []string `short:"o" name:"output" sep:"none" placeholder:"FILE" help:"A file the command writes; it must appear in the command line. Repeatable."`
	Input   []string `short:"i" name:"input" sep:"none" placeholder:"FILE" help:"A file the result depends on. With inputs declared, a repeat whose inputs did not change skips the command. Repeatable."`
	Stdout  string   `name:"stdout" placeholder:"FILE" help:"Write the command's stdout to FILE (like kbuild's filechk)."`
	Tree    []string `name:"tree" sep:"none" placeholder:"DIR" help:"A directory the command rewrites in place; afterwards every file under it whose content did not change keeps its old mtime (and inode where possible). Repeatable; not with -o or --stdout."`
	InPlace bool     `name:"inplace" help:"The command rewrites its last argument in place (kbuild's objtool after each compile); see README. Not with -o, --stdout or --tree."`
	Env     []string `name:"env" sep:"none" placeholder:"NAME" help:"An environment variable the result depends on. Repeatable."`
}

const usage = `Run a command; replace each output only when its content or mode changed.

  stable run -o OUT [-o OUT2 ...] [-i IN ...] [--env NAME ...] -- CMD ARGS...
  stable run --stdout OUT [-i IN ...] -- CMD ARGS...
  stable run --tree DIR [--tree DIR2 ...] -- CMD ARGS...
  stable run --inplace [-i IN ...] -- CMD ARGS... FILE

The options end at the first "--"; everything after it is the command.`

// Main is `stable run ARGS...`.
func Main(args []string) stable.Status {
	opts, cmd, err := Parse(args, os.Stdout)
	if errors.Is(err, errHelp) {
		return stable.Status{}
	}
	if err == nil {
		var a *stable.Action
		if a, err = opts.Action(cmd); err == nil {
			return stable.Execute("stable", a)
		}
	}
	fmt.Fprintf(os.Stderr, "stable run: %v\n", err)
	return stable.Status{Code: 2}
}

var errHelp = errors.New("help shown")

// Parse reads the options before the first "--" and returns the command
// after it. The command is split off before the options are parsed: a
// build's command line can be long, and the option parser's time grows
// with it.
func Parse(args []string, help io.Writer) (*Options, []string, error) {
	i := slices.Index(args, "--")
	own, cmd := args, []string(nil)
	if i >= 0 {
		own, cmd = args[:i], args[i+1:]
	}
	opts := &Options{}
	shown := false
	p, err := kong.New(opts, kong.Name("stable run"), kong.Description(usage),
		kong.Writers(help, help), kong.Exit(func(int) { shown = true }))
	if err != nil {
		return nil, nil, err
	}
	if _, err := p.Parse(own); shown {
		return nil, nil, errHelp
	} else if err != nil {
		return nil, nil, err
	}
	if i < 0 {
		return nil, nil, errors.New("no command: the options end with --, then the command follows")
	}
	if len(cmd) == 0 {
		return nil, nil, errors.New("no command given after --")
	}
	return opts, cmd, nil
}

// Action turns the options and the command into the action of its form.
func (o *Options) Action(cmd []string) (*stable.Action, error) {
	env := envPairs(o.Env)
	switch {
	case o.InPlace:
		if len(o.Output)+len(o.Tree) > 0 || o.Stdout != "" {
			return nil, errors.New("--inplace cannot be combined with -o, --stdout or --tree")
		}
		if len(cmd) < 2 {
			return nil, errors.New("--inplace needs a command whose last argument is the file it rewrites")
		}
		return &stable.Action{Argv: cmd, Step: cmd[len(cmd)-1], Inputs: o.Input, Env: env}, nil
	case len(o.Tree) > 0:
		if len(o.Output) > 0 || o.Stdout != "" {
			return nil, errors.New("--tree cannot be combined with -o or --stdout")
		}
		return &stable.Action{Argv: cmd, RewriteTrees: o.Tree, Inputs: o.Input, Env: env}, nil
	}
	spec := &Spec{Outputs: o.Output, Inputs: o.Input, Stdout: o.Stdout, Argv: cmd}
	if err := spec.Check(); err != nil {
		return nil, err
	}
	return spec.Action(env), nil
}

// envPairs are the declared variables as they are now; an unset one is
// left out, so unset and empty differ.
func envPairs(names []string) []string {
	var env []string
	for _, n := range names {
		if v, ok := os.LookupEnv(n); ok {
			env = append(env, n+"="+v)
		} else {
			env = append(env, n)
		}
	}
	return env
}

// Spec is what the user declared around a command with outputs.
type Spec struct {
	Outputs []string // -o: each must appear in Argv
	Inputs  []string // -i
	Stdout  string   // --stdout
	Argv    []string
}

// Check verifies that every declared output can be redirected: it must
// stand in the command line as a whole argument or after '=' in one
// (--out=FILE), so no output is silently written in place.
func (s *Spec) Check() error {
	for _, o := range s.Outputs {
		if !slices.ContainsFunc(s.Argv[1:], func(a string) bool { return names(a, o) }) {
			return fmt.Errorf("output %s does not appear in the command line; name it exactly as the command does, or use --stdout", o)
		}
	}
	return nil
}

// Redirect returns the command line with each output replaced by temp(output).
func (s *Spec) Redirect(temp func(string) string) []string {
	argv := slices.Clone(s.Argv)
	for i := 1; i < len(argv); i++ {
		for _, o := range s.Outputs {
			if argv[i] == o {
				argv[i] = temp(o)
			} else if strings.HasSuffix(argv[i], "="+o) {
				argv[i] = strings.TrimSuffix(argv[i], o) + temp(o)
			}
		}
	}
	return argv
}

func names(arg, out string) bool {
	return arg == out || strings.HasSuffix(arg, "="+out)
}

// AllOutputs lists every output, stdout's included.
func (s *Spec) AllOutputs() []string {
	if s.Stdout == "" {
		return s.Outputs
	}
	return append(slices.Clone(s.Outputs), s.Stdout)
}

// Action turns the spec into a stable action. Without declared inputs the
// command's result cannot be known in advance, so it always runs; records
// then only serve to compare.
func (s *Spec) Action(env []string) *stable.Action {
	return &stable.Action{
		Argv:     s.Argv,
		Outputs:  s.AllOutputs(),
		Inputs:   s.Inputs,
		Env:      env,
		Extra:    []string{"stable run"},
		Redirect: s.Redirect,
		StdoutTo: s.Stdout,
	}
}
