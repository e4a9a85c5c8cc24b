// Package testscripts runs the end-to-end tests: each .txtar file is a
// script that drives the real binaries with real make, compilers and tools.
package testscripts

import (
	"os"
	"testing"

	"github.com/rogpeppe/go-internal/testscript"

	"stable/cmd/cli"
)

func TestMain(m *testing.M) {
	testscript.Main(m, map[string]func(){
		"stable": cli.Stable,
	})
}

func TestScripts(t *testing.T) {
	testscript.Run(t, testscript.Params{
		Dir:                 ".",
		RequireExplicitExec: true,
		Cmds:                commands,
		Setup: func(env *testscript.Env) error {
			// Each script gets its own record store, so scripts never see
			// each other's records.
			env.Setenv("STABLE_DIR", env.WorkDir+"/.records")
			env.Setenv("HOME", env.WorkDir)
			for _, k := range []string{"STABLE_DEBUG", "STABLE_DISABLE", "STABLE_NORECORDS", "MAKEFLAGS"} {
				env.Setenv(k, os.Getenv("STABLE_TEST_"+k))
			}
			return nil
		},
	})
}
