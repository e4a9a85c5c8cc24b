package cc

import (
	"errors"
	"path/filepath"
	"strings"

	"stable/stable"
)

// LauncherName is the wrapper's own name. Invoked under any other name (a
// symlink called gcc, cc or clang early in PATH) it masquerades as that
// compiler.
const LauncherName = "stablecc"

// IsLauncher reports whether argv0 names the wrapper itself rather than a
// compiler it masquerades as.
func IsLauncher(argv0 string) bool {
	return strings.HasPrefix(filepath.Base(argv0), LauncherName)
}

// Resolve returns the compiler command line to run. As a launcher
// ("stablecc gcc -c x.c") the compiler is the first argument; masquerading
// ("gcc -c x.c" through a symlink) it is the next program of the same name
// in PATH. Either way a program that is this wrapper itself is skipped, so
// a masquerade symlink never finds itself.
func Resolve(argv0 string, args []string) ([]string, error) {
	name := filepath.Base(argv0)
	if IsLauncher(argv0) {
		if len(args) == 0 {
			return nil, errors.New("no compiler given: use stablecc COMPILER ARGS...")
		}
		name, args = args[0], args[1:]
	}
	path, err := stable.FindTool(name)
	if err != nil {
		return nil, err
	}
	return append([]string{path}, args...), nil
}
