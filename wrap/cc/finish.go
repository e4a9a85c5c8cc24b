package cc

import (
	"path/filepath"
	"strings"
)

// finish turns what the scan saw into the plan.
func (s *scan) finish() *Plan {
	p := s.p
	switch {
	case s.mode == 0:
		return passthrough(p, "linking")
	case len(p.Sources) == 0:
		return passthrough(p, "no source")
	case len(p.Sources) > 1:
		return passthrough(p, "several sources")
	case s.mode == 'E' && s.out == "":
		return passthrough(p, "-E to stdout")
	case s.out == "-" || underDir(s.out, "/dev/"):
		return passthrough(p, "output "+s.out+" is not a file")
	case s.out != "" && s.outAt < 0:
		return passthrough(p, "output named in a response file")
	case s.md && s.mf != "" && s.mfAt < 0:
		return passthrough(p, "depfile named in a response file")
	// Where the drivers disagree with a simple reading (the earliest of
	// -c/-S/-E wins; gcc hands -Wp options to cc1 after its own; gcc
	// refuses -MF alone), the compiler decides alone.
	case len(s.modes) > 1:
		return passthrough(p, "more than one of -c, -S, -E")
	case s.nOut > 1:
		return passthrough(p, "-o given more than once")
	case s.wpDep && s.drvDep:
		return passthrough(p, "dependency options both in -Wp, and for the driver")
	case (s.wpDep || s.drvDep) && !s.md:
		return passthrough(p, "-MF without -MD or -MMD")
	}
	p.Object, p.objArg = s.out, s.outAt
	kind := map[byte]string{'c': "object", 'S': "asm", 'E': "preprocessed"}[s.mode]
	if p.Object == "" {
		src := filepath.Base(p.Sources[0])
		p.Object = strings.TrimSuffix(src, filepath.Ext(src)) + map[byte]string{'c': ".o", 'S': ".s"}[s.mode]
	}
	if filepath.Clean(p.Object) == filepath.Clean(p.Sources[0]) {
		return passthrough(p, "output "+p.Object+" is the source") // gcc refuses it
	}
	p.objPre = s.outPre
	p.Outputs = []Output{{Path: p.Object, Kind: kind}}
	if s.md {
		p.Depfile = s.mf
		if p.Depfile == "" {
			p.Depfile = strings.TrimSuffix(p.Object, filepath.Ext(p.Object)) + ".d"
		} else {
			p.depArg, p.depPrefix, p.depSuffix = s.mfAt, s.mfPre, s.mfSuf
		}
		if p.Depfile == "-" || underDir(p.Depfile, "/dev/") {
			return passthrough(p, "depfile "+p.Depfile+" is not a file")
		}
		if d := filepath.Clean(p.Depfile); d == filepath.Clean(p.Object) || d == filepath.Clean(p.Sources[0]) {
			return passthrough(p, "depfile "+p.Depfile+" is the output or the source")
		}
		p.Outputs = append(p.Outputs, Output{Path: p.Depfile, Kind: "depfile"})
		p.target = s.depTarget()
	}
	p.search = append([]string{filepath.Dir(p.Sources[0])}, s.quote...)
	p.search = append(append(append(p.search, s.include...), s.system...), s.after...)
	return p
}

// depTarget is the target the driver itself would give the depfile when
// none is named: the -o value (gcc: for driver -MD/-MMD only, not with -E;
// clang: also for -Wp,-MD,F), or the source's stem with .o. Named
// explicitly, it makes the compiler write the very same bytes while the
// object goes to a temporary; "" where the target does not depend on -o.
func (s *scan) depTarget() string {
	p := s.p
	switch {
	case p.hasTarget:
		return ""
	case p.Family == "gcc" && (!s.drvDep || s.mode == 'E'):
		return ""
	case s.out != "":
		return s.out
	}
	src := filepath.Base(p.Sources[0])
	return strings.TrimSuffix(src, filepath.Ext(src)) + ".o"
}

// underDir tells whether path, however spelt (//dev/x), lies under dir
// (given with its trailing slash).
func underDir(path, dir string) bool { return strings.HasPrefix(filepath.Clean(path), dir) }
