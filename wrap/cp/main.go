package cp

import "stable/wrap/copying"

const help = `Usage: stable-cp CP-ARGS...

Copy like cp, but leave a destination whose content and mode would not
change alone (same inode, same mtime).

  stable-cp -p lib/lkl.o tools/lkl/lib/lkl.o
  stable-cp -r include/ out/        (each file of the tree compared)
  stable-cp a.h b.h -t out/include

A replaced file is exactly what cp writes: with -p it carries the source's
mtime and mode, without it an existing destination keeps its mode. Options
that print or decide by the destination (-v, -u, -n, -i, -l, -s, --parents,
--backup) run cp unmodified.

Environment: STABLE_DIR, STABLE_MAXSIZE, STABLE_DISABLE, STABLE_NORECORDS,
STABLE_DEBUG (see stable --help).
`

// Wrapper is stable-cp.
var Wrapper = &copying.Wrapper{Name: "stable-cp", Tool: "cp", Help: help, Parse: Parse}
