package cc

import (
	"errors"
	"os"
	"path/filepath"
	"strings"
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
	path, err := findNotSelf(name)
	if err != nil {
		return nil, err
	}
	return append([]string{path}, args...), nil
}

// findNotSelf looks name up like a shell, but skips this executable.
func findNotSelf(name string) (string, error) {
	self, _ := os.Executable()
	self, _ = filepath.EvalSymlinks(self)
	if strings.Contains(name, "/") {
		return name, nil // an explicit path is taken as given
	}
	for _, dir := range filepath.SplitList(os.Getenv("PATH")) {
		if dir == "" {
			dir = "."
		}
		p := filepath.Join(dir, name)
		fi, err := os.Stat(p)
		if err != nil || fi.IsDir() || fi.Mode()&0o111 == 0 {
			continue
		}
		if real, err := filepath.EvalSymlinks(p); err == nil && real == self {
			continue
		}
		return p, nil
	}
	return "", &os.PathError{Op: "exec", Path: name, Err: errNotFound}
}

var errNotFound = errors.New("compiler not found in PATH (other than stablecc itself)")
