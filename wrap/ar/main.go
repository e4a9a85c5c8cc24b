// Package ar is stable-ar: ar in front of make's archive recipes.
package ar

import (
	"regexp"

	"stable/wrap/launcher"
)

const help = `Usage: stable-ar [AR] ARGS...

Run ar so that an archive a recipe rebuilds from unchanged objects does not
look new to make. It is the archive half of STABLE_SETTLE=1 (see stablecc):

  make CC="stablecc gcc" AR=stable-ar STABLE_SETTLE=1
  make AR="stable-ar llvm-ar" ...

Archive recipes remove the archive before ar writes it again
(rm -f $@; $(AR) cDPrST $@ ...), so there is no old file to keep. stable-ar
lets ar write it, exactly as without the wrapper; with STABLE_SETTLE=1, when
the archive comes out as stable-ar last wrote it (for a thin archive: also
every member's content), it gets back the mtime it had then, so whatever was
linked from it stays up to date, and archives nested in it get the current
time. Without STABLE_SETTLE it only keeps its notes up to date.

Only the creating form "ar r|q[MODS] ARCHIVE MEMBER..." of an archive that
does not exist is looked after; every other command line (t, x, d, m, s, an
existing archive, long options, @files, a/b/i/N) runs ar unmodified, and one
that may rewrite the archive makes stable-ar forget what it last wrote there.
This assumes nothing but stable-ar writes the archive. Should a plain ar have
rewritten it, run make clean (or remove what was linked from it) before the
next wrapped build.

Environment: STABLE_DIR, STABLE_DISABLE, STABLE_NORECORDS, STABLE_SETTLE,
STABLE_DEBUG (see stable --help).
`

// toolName matches ar, llvm-ar, gcc-ar, x86_64-linux-gnu-ar, ar-2.40,
// llvm-ar-16 and such.
var toolName = regexp.MustCompile(`^(.*[-_])?ar(-[0-9.]+)?$`)

// wrapper is stable-ar's front.
var wrapper = launcher.Launcher{
	Name: Name, Default: "ar", Help: help, NewAction: NewAction, IsTool: toolName.MatchString,
}

// Main is stable-ar.
func Main() { wrapper.Main() }
