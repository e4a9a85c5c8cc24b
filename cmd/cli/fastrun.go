package cli

import (
	"fmt"
	"os"
	"strings"
)

// fastRun reads `stable run` options without building the command-line
// model: run sits in build recipes and is invoked once per output, and
// building the model costs more (6 ms) than the rest of a record hit. It
// gives up, and the full parser takes over, on anything but the plain forms
// of run's own options followed by "--" and a command (help, mistakes).
func fastRun(args []string) (*runCmd, bool) {
	r := &runCmd{}
	lists := map[string]*[]string{
		"-o": &r.Output, "--output": &r.Output, "-i": &r.Input, "--input": &r.Input,
		"--env": &r.Env, "--tree": &r.Tree,
	}
	for i := 0; i < len(args); i++ {
		a := args[i]
		name, val, joined := strings.Cut(a, "=")
		switch {
		case a == "--":
			r.Cmd = args[i+1:]
			return r, len(r.Cmd) > 0
		case a == "--inplace":
			r.InPlace = true
		case name == "--stdout" || lists[name] != nil:
			if !joined {
				if i+1 >= len(args) {
					return nil, false
				}
				i++
				val = args[i]
			}
			if name == "--stdout" {
				r.Stdout = val
			} else {
				*lists[name] = append(*lists[name], val)
			}
		case len(a) > 2 && (a[:2] == "-o" || a[:2] == "-i"):
			*lists[a[:2]] = append(*lists[a[:2]], a[2:])
		default:
			return nil, false
		}
	}
	return nil, false
}

// runFast runs `stable run` when fastRun understood it, and reports
// whether it did.
func runFast(args []string) bool {
	if len(args) == 0 || args[0] != "run" {
		return false
	}
	r, ok := fastRun(args[1:])
	if !ok {
		return false
	}
	if err := r.Run(); err != nil {
		fmt.Fprintf(os.Stderr, "stable: error: %v\n", err)
		os.Exit(1)
	}
	return true
}
