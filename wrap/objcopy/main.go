package objcopy

import (
	"strings"

	"stable/wrap/launcher"
)

const usage = `Usage: stable-objcopy [OBJCOPY] ARGS...

Run objcopy so that an unchanged output keeps its inode and mtime.

  make OBJCOPY=stable-objcopy
  make OBJCOPY="stable-objcopy llvm-objcopy"
  make OBJCOPY="stable-objcopy aarch64-linux-gnu-objcopy"

OBJCOPY is any program whose name contains "objcopy" (default: objcopy in
PATH). Both the IN OUT form and the in-place IN form are understood; the
input and files named by options such as --add-section NAME=FILE make up the
record, so a repeat whose inputs did not change does not run objcopy.
Options that print or write further files (-v, --dump-section,
--split-dwo) run objcopy unmodified; @FILE arguments are read as objcopy
reads them, and their files are inputs of the record.
`

// Wrapper is stable-objcopy: any tool whose name contains "objcopy"
// (llvm-objcopy-16, aarch64-linux-gnu-objcopy).
var Wrapper = launcher.Wrapper{
	Name: Name, Default: "objcopy", Usage: usage, Action: NewAction,
	IsTool: func(base string) bool { return strings.Contains(base, "objcopy") },
}
