package cli

import (
	"fmt"
	"os"
	"strings"

	"github.com/alecthomas/kong"

	"stable/stable"
	"stable/wrap/cc"
)

// stableccOwn is stablecc's own command line, used only when no compiler
// follows: `stablecc --help`, `stablecc -s`.
type stableccOwn struct {
	ShowStats bool `short:"s" name:"show-stats" help:"Show the record store's counters."`
	ZeroStats bool `short:"z" name:"zero-stats" help:"Reset the counters."`
}

const stableccHelp = `Compile so that an unchanged object keeps its inode and mtime.

  make CC="stablecc gcc"                 as a launcher (also CMAKE_C_COMPILER_LAUNCHER=stablecc)
  ln -s $(command -v stablecc) ~/bin/gcc  masquerading: a symlink named gcc, cc or clang early in PATH

Depfiles are never left newer than their object, and a repeated compile whose inputs did not
change is answered from a record without running the compiler. Anything stablecc does not
understand (linking, -E to stdout, probes with -o /dev/null) runs the compiler unmodified.
Environment: STABLE_DIR, STABLE_DISABLE, STABLE_NORECORDS, STABLE_DEBUG (see stable --help).`

// Stablecc is the compiler wrapper.
func Stablecc() {
	stable.Guard()
	args := os.Args[1:]
	if cc.IsLauncher(os.Args[0]) && (len(args) == 0 || strings.HasPrefix(args[0], "-")) {
		stableccSelf(args)
		return
	}
	argv, err := cc.Resolve(os.Args[0], args)
	if err != nil {
		fmt.Fprintf(os.Stderr, "stablecc: %v\n", err)
		stable.Exit(stable.Status{Code: stable.CodeNotFound})
	}
	a, _ := cc.NewAction(argv, "")
	do(a)
}

func stableccSelf(args []string) {
	var own stableccOwn
	parser := kong.Must(&own, kong.Name("stablecc"), kong.Description(stableccHelp), kong.UsageOnError())
	_, err := parser.Parse(args)
	parser.FatalIfErrorf(err)
	s := statsCmd{Zero: own.ZeroStats}
	if !own.ShowStats && !own.ZeroStats {
		parser.FatalIfErrorf(fmt.Errorf("no compiler given: use stablecc COMPILER ARGS..."))
	}
	parser.FatalIfErrorf(s.Run())
}
