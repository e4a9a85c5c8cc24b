package cp

import (
	"stable/wrap/copying"
	"stable/wrap/launcher"
)

const usage = `Usage: stable-cp CP-ARGS...

Copy like cp, but leave a destination whose content and mode would not
change alone (same inode, same mtime).

  stable-cp -p lib/lkl.o tools/lkl/lib/lkl.o
  stable-cp -r include/ out/        (each file of the tree compared)
  stable-cp a.h b.h -t out/include

A replaced file is exactly what cp writes: with -p it carries the source's
mtime and mode, without it an existing destination keeps its mode. Options
that print or decide by the destination (-v, -u, -n, -i, -l, -s, --parents,
--backup) run cp unmodified.
`

// Wrapper is stable-cp.
var Wrapper = launcher.Wrapper{Name: "stable-cp", Default: "cp", Usage: usage,
	IsTool: func(string) bool { return false }, Action: copying.Action("stable-cp", Parse)}
