// Package ar is stable-ar and stable-ranlib: ar and ranlib in front of
// make's and CMake's archive recipes.
package ar

import (
	"regexp"

	"stable/wrap/launcher"
)

const usage = `Usage: stable-ar [AR] ARGS...

Run ar so that an archive a recipe rebuilds from unchanged objects does not
look new to the build:

  make CC="stablecc gcc" AR=stable-ar
  make AR="stable-ar llvm-ar" ...
  cmake -DCMAKE_AR=$(command -v stable-ar) -DCMAKE_RANLIB=$(command -v stable-ranlib) ...

Archive recipes remove the archive before ar writes it again
(rm -f $@; $(AR) cDPrST $@ ...), so there is no old file to keep. stable-ar
lets ar write it, exactly as without the wrapper; when the archive comes out
as stable-ar last wrote it (for a thin archive: also every member's
content), and what reads it is a step stable does not answer (kbuild's
vmlinux link), it gets back the mtime it had then under make, so that step
does not run again, and archives nested in it get the current time. An
archive rebuilt in place (ar rcs on an existing archive, ar s) is kept when
it comes out the same.

Forms: r and q with the modifiers c D U P s S T u v f (any order, with or
without a leading -), s alone, --plugin FILE first (gcc-ar). Every other
command line (t, x, p, d, m, long options, @files, a/b/i/N) runs ar
unmodified, and one that may rewrite the archive makes stable-ar forget what
it last wrote there.
`

// toolName matches ar, llvm-ar, gcc-ar, x86_64-linux-gnu-ar, ar-2.40,
// llvm-ar-16 and such.
var toolName = regexp.MustCompile(`^(.*[-_])?ar(-[0-9.]+)?$`)

// Wrapper is stable-ar.
var Wrapper = launcher.Wrapper{
	Name: Name, Default: "ar", Usage: usage, IsTool: toolName.MatchString, Action: NewAction,
}
