package objcopy

import (
	"strings"

	"stable/wrap/launcher"
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

// wrapper is stable-objcopy's front: any tool whose name contains "objcopy"
// (llvm-objcopy-16, aarch64-linux-gnu-objcopy).
var wrapper = launcher.Launcher{
	Name: Name, Default: "objcopy", Help: help, NewAction: NewAction,
	IsTool: func(base string) bool { return strings.Contains(base, "objcopy") },
}

// Main is stable-objcopy.
func Main() { wrapper.Main() }
