package cc

import (
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"syscall"

	"stable/stable"
)

const help = `Usage: stablecc COMPILER ARGS...

Compile so that an unchanged object keeps its inode and mtime.

  make CC="stablecc gcc"                  as a launcher (also CMAKE_C_COMPILER_LAUNCHER=stablecc)
  ln -s "$(command -v stablecc)" ~/bin/gcc  masquerading: a symlink named gcc, cc or clang early in PATH

Depfiles are never left newer than their object, and a repeated compile whose
inputs did not change is answered from a record without running the compiler.
Anything stablecc does not understand (linking, -E to stdout, probes with
-o /dev/null) runs the compiler unmodified.

Options (only without a compiler):
  -h, --help        this help
  -s, --show-stats  the record store's counters (stable stats)
  -z, --zero-stats  reset them (stable stats --zero)

STABLE_SETTLE=1 gives an object that compiled to the same bytes the current
time, so make stops asking for it; with AR=stable-ar nothing relinks for it.

Environment: STABLE_DIR, STABLE_MAXSIZE, STABLE_DISABLE, STABLE_NORECORDS,
STABLE_SETTLE, STABLE_DEBUG (see stable --help).
`

// Main is stablecc. The compile path stays free of any command-line
// library: it runs on every compile, and each millisecond of start-up
// counts there. The few options of its own are handed to stable.
func Main() {
	args := os.Args[1:]
	if IsLauncher(os.Args[0]) && (len(args) == 0 || strings.HasPrefix(args[0], "-")) {
		options(args)
		return
	}
	stable.Guard()
	argv, err := Resolve(os.Args[0], args)
	if err != nil {
		fmt.Fprintf(os.Stderr, "stablecc: %v\n", err)
		os.Exit(stable.CodeNotFound)
	}
	a, _ := NewAction(argv, "")
	stable.Execute("stablecc", a)
}

func options(args []string) {
	var to []string
	switch {
	case len(args) == 0 || args[0] == "-h" || args[0] == "--help":
		fmt.Print(help)
		return
	case len(args) == 1 && (args[0] == "-s" || args[0] == "--show-stats"):
		to = []string{"stats"}
	case len(args) == 1 && (args[0] == "-z" || args[0] == "--zero-stats"):
		to = []string{"stats", "--zero"}
	default:
		fmt.Fprintf(os.Stderr, "stablecc: unknown option %s (see stablecc --help)\n", args[0])
		os.Exit(2)
	}
	self, _ := os.Executable()
	prog := filepath.Join(filepath.Dir(self), "stable")
	if _, err := os.Stat(prog); err != nil {
		if prog, err = exec.LookPath("stable"); err != nil {
			fmt.Fprintln(os.Stderr, "stablecc: the stable command is not installed beside stablecc")
			os.Exit(stable.CodeNotFound)
		}
	}
	err := syscall.Exec(prog, append([]string{"stable"}, to...), os.Environ())
	fmt.Fprintf(os.Stderr, "stablecc: %v\n", err)
	os.Exit(stable.CodeNotExecutable)
}
