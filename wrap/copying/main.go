package copying

import (
	"stable/stable"
)

// Action returns the Action of a copying wrapper (stable-cp for cp,
// stable-install for install), given the tool's command-line parser.
func Action(wrapper string, parse func(argv []string) *Plan) func(name, path string, args []string) *stable.Action {
	return func(name, path string, args []string) *stable.Action {
		argv := append([]string{name}, args...)
		p := parse(argv)
		a := &stable.Action{Argv: argv, Path: path, Passthrough: p.Passthrough}
		if p.Passthrough != "" {
			return a
		}
		a.Outputs = p.Outputs
		a.Inputs = p.Inputs()
		a.Trees = p.Trees
		a.InPlace, a.KeepTimes, a.KeepsSame = p.InPlace, p.KeepTimes, p.KeepsSame
		a.KeepMode, a.KeepOwner = p.KeepMode, p.KeepOwner
		a.Extra = []string{wrapper}
		a.Redirect = p.Redirect
		if p.KeepTimes {
			// A hit could not give the copies their sources' mtimes as
			// the tool does: the tool runs, and the content decides.
			a.NoRecord = "copies take their sources' mtimes"
		}
		return a
	}
}
