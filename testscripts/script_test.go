// Package testscripts runs the end-to-end tests: each .txtar file is a
// script that drives the real binaries with real make, compilers and tools.
package testscripts

import (
	"os"
	"path/filepath"
	"regexp"
	"testing"

	"github.com/rogpeppe/go-internal/testscript"

	"stable/internal/cli"
	"stable/stable"
	"stable/wrap/ar"
	"stable/wrap/cc"
	"stable/wrap/cp"
	"stable/wrap/install"
	"stable/wrap/objcopy"
)

func TestMain(m *testing.M) {
	// A symlink named after a tool (masquerade) reaches this binary under
	// that name; testscript only knows registered names.
	if os.Getenv("STABLE_TEST_MASQUERADE") != "" {
		if w := masqueradeAs(filepath.Base(os.Args[0])); w != nil {
			stable.Exit(w(os.Args))
		}
	}
	cmds := map[string]func(){}
	for name, w := range wrappers {
		cmds[name] = func() { stable.Exit(w(os.Args)) }
	}
	testscript.Main(m, cmds)
}

// wrappers are the suite's binaries, as the scripts run them.
var wrappers = map[string]func([]string) stable.Status{
	"stable":         cli.Main,
	"stablecc":       cc.Wrapper.Main,
	"stable-ar":      ar.Wrapper.Main,
	"stable-ranlib":  ar.Ranlib.Main,
	"stable-objcopy": objcopy.Wrapper.Main,
	"stable-cp":      cp.Wrapper.Main,
	"stable-install": install.Wrapper.Main,
}

// masqueradeAs is the wrapper a tool name stands for when a masquerade
// symlink reaches this binary: compilers, ar, ranlib, objcopy.
func masqueradeAs(base string) func([]string) stable.Status {
	switch {
	case compilerName.MatchString(base):
		return cc.Wrapper.Main
	case base == "ar":
		return ar.Wrapper.Main
	case base == "ranlib":
		return ar.Ranlib.Main
	case base == "objcopy":
		return objcopy.Wrapper.Main
	}
	return nil
}

var compilerName = regexp.MustCompile(`^([a-z0-9_]+-linux-gnu-)?(gcc|g\+\+|cc|c\+\+|clang|clang\+\+)(-[0-9]+)?$`)

func TestScripts(t *testing.T) {
	testscript.Run(t, testscript.Params{
		Dir:                 ".",
		RequireExplicitExec: true,
		Cmds:                commands,
		Condition:           condition,
		Setup: func(env *testscript.Env) error {
			// Each script gets its own record store, so scripts never see
			// each other's records.
			env.Setenv("STABLE_DIR", env.WorkDir+"/.records")
			env.Setenv("HOME", env.WorkDir)
			for _, k := range []string{"STABLE_DEBUG", "STABLE_DISABLE", "STABLE_NORECORDS", "STABLE_SETTLE", "MAKEFLAGS"} {
				env.Setenv(k, os.Getenv("STABLE_TEST_"+k))
			}
			return nil
		},
	})
}
