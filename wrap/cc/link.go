package cc

import (
	"path/filepath"
	"strings"
)

// A link through the driver (gcc -o app a.o lib.a -lm): the linker reads
// objects, archives, libraries and scripts, found by its own search. GNU
// ld (2.35 and later) and lld write every file they read to a dependency
// file (--dependency-file), so a link is recorded like a compile: its
// inputs are what the linker says it read. A linker that cannot, or
// options that write further files, run the driver unmodified.

// link plans a link, or passes it through.
func (s *scan) link() *Plan {
	p := s.p
	switch {
	case len(p.Sources) > 0:
		return passthrough(p, "compiles and links in one")
	case len(s.linkIn) == 0:
		return passthrough(p, "nothing to link")
	case s.md || s.drvDep || s.wpDep:
		return passthrough(p, "dependency options on a link")
	case s.out == "-" || underDir(s.out, "/dev/"):
		return passthrough(p, "output "+s.out+" is not a file")
	case s.out != "" && s.outAt < 0:
		return passthrough(p, "output named in a response file")
	case s.nOut > 1:
		return passthrough(p, "-o given more than once")
	case len(p.Direct) > 0:
		return passthrough(p, "option "+p.Direct[0]+" on a link")
	}
	for _, in := range s.linkIn {
		if underDir(in, "/dev/") || underDir(in, "/proc/") {
			return passthrough(p, "link input "+in+" is not a regular file")
		}
	}
	if why := linkerWrites(p.LinkArgs); why != "" {
		return passthrough(p, why)
	}
	p.Link = true
	p.Object, p.objArg, p.objPre = s.out, s.outAt, s.outPre
	if p.Object == "" {
		p.Object = "a.out"
	}
	p.Outputs = []Output{{Path: p.Object, Kind: "linked"}}
	return p
}

// linkerWrites says why options for the linker make it write or read what a
// record cannot follow: a map, an import library, a dependency file of the
// caller's own, another output, plugins.
func linkerWrites(args []string) string {
	for _, a := range args {
		var words []string
		if w, ok := strings.CutPrefix(a, "-Wl,"); ok {
			words = strings.Split(w, ",")
		} else if a == "-Xlinker" {
			continue
		} else {
			words = []string{a}
		}
		for _, w := range words {
			for _, bad := range []string{"-Map", "--Map", "--out-implib", "--dependency-file", "-o", "--output",
				"--print-map", "-plugin", "--plugin", "--pdb", "--write-", "--split-by", "-M", "--reproduce",
				"--save-temps", "--emit-relocs", "--trace"} {
				if w == bad || strings.HasPrefix(w, bad+"=") || bad != "-o" && bad != "-M" && strings.HasPrefix(w, bad) {
					return "linker option " + w
				}
			}
		}
	}
	return ""
}

// archiveInputs are the archives among what a link read: their wrapper's
// notes learn that a record answers for this consumer (stable/revive.go).
func archiveInputs(read []string) []string {
	var out []string
	for _, r := range read {
		if filepath.Ext(r) == ".a" {
			out = append(out, r)
		}
	}
	return out
}
