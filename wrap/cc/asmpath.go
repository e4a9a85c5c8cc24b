package cc

import (
	"io/fs"
	"os"
	"path/filepath"
	"strings"
)

// How the assemblers find the operand of .incbin and .include, as observed
// with GNU as 2.40 (behind gcc 12, for C and for .s/.S) and clang 14's
// integrated assembler (asmpath_test.go checks it against both):
//
//   - The name as written, relative to the process's working directory.
//     Neither looks in the directory of the source, nor of the file that
//     holds the directive (an .include'd file's own .incbin is relative to
//     the working directory too). gcc hands as a temporary file in /tmp,
//     which changes nothing.
//   - Then each directory given to the assembler, in order, joined with
//     "/" even to an absolute name ("/x/y" is also tried as "DIR//x/y").
//   - Both take directive names in any case (.INCBIN).
//   - A directory in the way: gas stops there and fails, clang passes over
//     it to the next candidate.
//   - Neither lists the file in a -MD depfile.
//
// Which directories the assembler is given differs between the drivers;
// see AsmSearchDirs.

// AsmCandidates lists, in search order, the paths the assembler tries for
// name: the compile's working directory dir (relative names), then each
// -I directory given to the assembler (-Wa,-I,DIR / -Wa,-IDIR / -Xassembler
// -I...), relative ones taken from dir. The order is the same for both
// assemblers; clang matters only to which directories there are (see
// AsmSearchDirs) and to which candidate is read (AsmFound). Paths are
// cleaned unless they hold "..", which the system resolves through
// symbolic links where cleaning would not.
func AsmCandidates(name, dir string, incDirs []string, clang bool) []string {
	out := []string{name}
	if !filepath.IsAbs(name) {
		out[0] = joinPath(dir, name)
	}
	for _, d := range incDirs {
		if !filepath.IsAbs(d) {
			d = joinPath(dir, d)
		}
		out = append(out, joinPath(d, name))
	}
	return out
}

// joinPath joins as the assemblers do, with a slash, and cleans the result
// when that cannot change what it names.
func joinPath(dir, name string) string {
	p := dir + "/" + name
	if strings.Contains(p, "..") {
		return p
	}
	return filepath.Clean(p)
}

// AsmFound returns the candidate the assembler reads and its index: the
// first that exists, except that clang passes over directories. found is
// false when the assembler finds nothing (the compile fails) or stops at a
// directory (gas fails). stat is os.Stat when nil.
func AsmFound(candidates []string, clang bool, stat func(string) (fs.FileInfo, error)) (path string, i int, found bool) {
	if stat == nil {
		stat = os.Stat
	}
	for i, c := range candidates {
		fi, err := stat(c)
		switch {
		case err != nil:
		case !fi.IsDir():
			return c, i, true
		case !clang:
			return c, i, false
		}
	}
	return "", -1, false
}
