// Package testscripts runs the end-to-end tests: each .txtar file is a
// script that drives the real binaries with real make, compilers and tools.
package testscripts

import (
	"os"
	"path/filepath"
	"testing"

	"github.com/rogpeppe/go-internal/testscript"

	"stable/cmd/cli"
	"stable/wrap/ar"
	"stable/wrap/cc"
	"stable/wrap/cp"
	"stable/wrap/install"
	"stable/wrap/objcopy"
)

func TestMain(m *testing.M) {
	// A symlink named after a compiler (masquerade) reaches this binary
	// under that name; testscript only knows registered names.
	if os.Getenv("STABLE_TEST_MASQUERADE") != "" && !cc.IsLauncher(os.Args[0]) {
		switch filepath.Base(os.Args[0]) {
		case "gcc", "cc", "clang":
			cc.Main()
			os.Exit(0)
		}
	}
	testscript.Main(m, map[string]func(){
		"stable":         cli.Stable,
		"stablecc":       cc.Main,
		"stable-ar":      ar.Main,
		"stable-objcopy": objcopy.Main,
		"stable-cp":      cp.Wrapper.Main,
		"stable-install": install.Wrapper.Main,
	})
}

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
