// Package run knows the command line of `stable run`: a command whose
// outputs are named on its own command line (or are its stdout).
package run

import (
	"stable/stable"

	"fmt"
	"slices"
	"strings"
)

// Spec is what the user declared around the command.
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
	if len(s.Argv) == 0 {
		return fmt.Errorf("no command given after --")
	}
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
	a := &stable.Action{
		Argv:     s.Argv,
		Outputs:  s.AllOutputs(),
		Inputs:   s.Inputs,
		Env:      env,
		Extra:    []string{"stable run"},
		Redirect: s.Redirect,
		StdoutTo: s.Stdout,
	}
	return a
}
