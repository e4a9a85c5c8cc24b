package ar

import (
	"regexp"
	"slices"
	"strings"

	"stable/stable"
	"stable/wrap/launcher"
)

const ranlibUsage = `Usage: stable-ranlib [RANLIB] [OPTIONS] ARCHIVE...

Run ranlib so that an archive whose index comes out the same keeps its
inode and mtime (GNU ranlib rewrites the archive in place every time):

  cmake -DCMAKE_AR=$(command -v stable-ar) -DCMAKE_RANLIB=$(command -v stable-ranlib) ...
  ./configure AR=stable-ar RANLIB=stable-ranlib

ranlib runs on a copy of each archive; an archive it changes is replaced,
one it leaves the same is left alone. Options -D, -U, -t and --plugin FILE
are carried along; any other runs ranlib unmodified.
`

// RanlibName is stable-ranlib's own name.
const RanlibName = "stable-ranlib"

var ranlibName = regexp.MustCompile(`^(.*[-_])?ranlib(-[0-9.]+)?$`)

// Ranlib is stable-ranlib.
var Ranlib = launcher.Wrapper{
	Name: RanlibName, Default: "ranlib", Usage: ranlibUsage, IsTool: ranlibName.MatchString, Action: NewRanlib,
}

// NewRanlib describes one ranlib run: each archive is an output the tool
// rewrites in place, given to it as a copy (Seed).
func NewRanlib(name, path string, args []string) *stable.Action {
	argv := append([]string{name}, args...)
	a := &stable.Action{Argv: argv, Path: path, Extra: []string{RanlibName}}
	var archives []int
	for i := 1; i < len(argv); i++ {
		switch arg := argv[i]; {
		case arg == "--plugin" && i+1 < len(argv):
			i++
		case strings.HasPrefix(arg, "--plugin="), arg == "-D", arg == "-U", arg == "-t":
		case strings.HasPrefix(arg, "-") || strings.HasPrefix(arg, "@") || arg == "":
			a.Passthrough = "option " + arg + " not understood"
			return a
		default:
			archives = append(archives, i)
		}
	}
	if len(archives) == 0 {
		a.Passthrough = "no archive named"
		return a
	}
	for _, i := range archives {
		if slices.Contains(a.Outputs, argv[i]) {
			a.Passthrough = "an archive named twice"
			return a
		}
		a.Outputs = append(a.Outputs, argv[i])
	}
	// GNU ranlib rewrites the archive in place; llvm-ranlib writes a new
	// file, and only when the archive has no index yet.
	gnu := !launcher.IsLLVM(name, path)
	a.Seed, a.InPlace, a.KeepsSame = a.Outputs, gnu, !gnu
	a.KeepMode, a.KeepOwner = gnu, gnu
	a.NoRecord = "ranlib reads the archive it writes"
	a.Redirect = func(temp func(string) string) []string {
		out := slices.Clone(argv)
		for _, i := range archives {
			out[i] = temp(argv[i])
		}
		return out
	}
	return a
}
