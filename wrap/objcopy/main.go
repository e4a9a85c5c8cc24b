package objcopy

import (
	"fmt"
	"os"

	"stable/stable"
)

const help = `Usage: stable-objcopy [OBJCOPY] ARGS...

Run objcopy so that an unchanged output keeps its inode and mtime.

  make OBJCOPY=stable-objcopy
  make OBJCOPY="stable-objcopy llvm-objcopy"
  make OBJCOPY="stable-objcopy aarch64-linux-gnu-objcopy"

OBJCOPY is any program whose name contains "objcopy" (default: objcopy in
PATH). Both the IN OUT form and the in-place IN form are understood; the
input and files named by options such as --add-section NAME=FILE make up the
record, so a repeat whose inputs did not change does not run objcopy.
Options that print or write further files (-v, --dump-section,
--split-dwo) run objcopy unmodified.

Environment: STABLE_DIR, STABLE_MAXSIZE, STABLE_DISABLE, STABLE_NORECORDS,
STABLE_DEBUG (see stable --help).
`

// Main is stable-objcopy.
func Main() {
	args := os.Args[1:]
	if IsLauncher(os.Args[0]) && (len(args) == 0 || len(args) == 1 && (args[0] == "-h" || args[0] == "--help")) {
		fmt.Print(help)
		return
	}
	stable.Guard()
	name, args := Tool(os.Args[0], args)
	path, err := stable.FindTool(name)
	if err != nil {
		fmt.Fprintf(os.Stderr, "%s: %v\n", Name, err)
		os.Exit(stable.CodeNotFound)
	}
	a := NewAction(append([]string{name}, args...))
	a.Path = path
	stable.Execute(Name, a)
}
