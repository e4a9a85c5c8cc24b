package cc

import (
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"syscall"

	"stable/stable"
	"stable/wrap/launcher"
)

const usage = `Usage: stablecc COMPILER ARGS...

Compile so that an unchanged object keeps its inode, and a repeated compile
whose inputs did not change is answered from a record without running the
compiler.

  make CC="stablecc gcc"                       as a launcher, also in front of ccache:
  make CC="stablecc ccache gcc"                  stablecc first
  cmake -DCMAKE_C_COMPILER_LAUNCHER=stablecc -DCMAKE_C_LINKER_LAUNCHER=stablecc ...
  ln -s "$(command -v stablecc)" ~/bin/gcc     masquerading: a symlink named gcc, cc or
                                               clang early in PATH

Depfiles are never left newer than their object. Links through the compiler
driver keep records too (the linker's --dependency-file lists what it read).
Anything stablecc does not understand (-E to stdout, probes with -o /dev/null)
runs the compiler unmodified.

Options (only without a compiler):
  -h, --help        this help
  -s, --show-stats  the record store's counters (stable stats)
  -z, --zero-stats  reset them (stable stats --zero)
`

// Name is the wrapper's own name. Invoked under any other (a symlink
// called gcc, cc or clang early in PATH) it masquerades as that compiler.
const Name = "stablecc"

// Wrapper is stablecc. Its compile path stays free of any command-line
// library: it runs on every compile, and each millisecond of start-up
// counts there. Its few options of its own are handed to stable.
var Wrapper = launcher.Wrapper{
	Name: Name, Usage: usage, IsTool: func(string) bool { return true },
	Own:    ownOptions,
	Action: action,
}

// action describes one compile. Masquerading as the compiler behind a
// ccache that was put in front of it (Meson adds ccache by itself), the
// compile is ccache's: it preprocesses into its own cache, and writes the
// object itself; stablecc runs the compiler unmodified.
func action(name, path string, args []string) *stable.Action {
	a, _ := NewAction(append([]string{path}, args...), "")
	if a.Passthrough == "" && underLibtool() {
		// libtool removes each object before it compiles it: only a copy
		// in the store lets a record answer.
		a.KeepCopies = true
	}
	if !IsLauncher(os.Args[0]) && a.Passthrough == "" {
		if parent := stable.Parent(); launchers[parent] != "" {
			a.Passthrough = "run by " + parent + ", which writes the object itself"
		}
	}
	return a
}

// ownOptions runs `stable stats` for -s and -z, as ccache -s does.
func ownOptions(args []string) stable.Status {
	var to []string
	switch {
	case len(args) == 1 && (args[0] == "-s" || args[0] == "--show-stats"):
		to = []string{"stats"}
	case len(args) == 1 && (args[0] == "-z" || args[0] == "--zero-stats"):
		to = []string{"stats", "--zero"}
	default:
		fmt.Fprintf(os.Stderr, "%s: unknown option %s (see %s --help)\n", Name, args[0], Name)
		return stable.Status{Code: 2}
	}
	prog, err := launcher.Sibling("stable")
	if err != nil {
		fmt.Fprintf(os.Stderr, "%s: the stable command is not installed beside %s\n", Name, Name)
		return stable.Status{Code: stable.CodeNotFound}
	}
	err = syscall.Exec(prog, append([]string{"stable"}, to...), os.Environ())
	fmt.Fprintf(os.Stderr, "%s: %v\n", Name, err)
	return stable.Status{Code: stable.CodeNotExecutable}
}

// IsLauncher reports whether argv0 names the wrapper itself rather than a
// compiler it masquerades as.
func IsLauncher(argv0 string) bool { return strings.HasPrefix(filepath.Base(argv0), Name) }

// underLibtool says whether libtool runs this compile.
func underLibtool() bool {
	for _, arg := range stable.ParentArgs() {
		if filepath.Base(arg) == "libtool" {
			return true
		}
	}
	return false
}
