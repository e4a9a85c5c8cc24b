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
	case s.out == "-" || strings.HasPrefix(s.out, "/dev/"):
		return passthrough(p, "output "+s.out+" is not a file")
	case s.out != "" && s.outAt < 0:
		return passthrough(p, "output named in a response file")
	case s.md && s.mf != "" && s.mfAt < 0:
		return passthrough(p, "depfile named in a response file")
	}
	p.Object, p.objArg = s.out, s.outAt
	kind := map[byte]string{'c': "object", 'S': "asm", 'E': "preprocessed"}[s.mode]
	if p.Object == "" {
		src := filepath.Base(p.Sources[0])
		p.Object = strings.TrimSuffix(src, filepath.Ext(src)) + map[byte]string{'c': ".o", 'S': ".s"}[s.mode]
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
		if p.Depfile == "-" || strings.HasPrefix(p.Depfile, "/dev/") {
			return passthrough(p, "depfile "+p.Depfile+" is not a file")
		}
		if filepath.Clean(p.Depfile) == filepath.Clean(p.Object) {
			return passthrough(p, "depfile and output are one file")
		}
		p.Outputs = append(p.Outputs, Output{Path: p.Depfile, Kind: "depfile"})
	}
	p.search = append([]string{filepath.Dir(p.Sources[0])}, s.quote...)
	p.search = append(append(append(p.search, s.include...), s.system...), s.after...)
	return p
}
