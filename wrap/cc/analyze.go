package cc

import (
	"path/filepath"
	"strconv"
	"strings"
)

// arg is one argument as analysed: its text and where it stands on the
// caller's command line (-1 inside a response file, where it cannot be
// rewritten).
type arg struct {
	s   string
	pos int
}

// scan is the state of one pass over the arguments.
type scan struct {
	p       *Plan
	args    []arg
	mode    byte // 'c', 'S', 'E', or 0 (a link)
	lang    string
	out     string
	outAt   int    // position of the -o value, -1 unknown
	outPre  string // "-o" when joined (-ofile)
	md      bool   // -MD/-MMD or their -Wp, forms
	modes   string // each of c, S, E given, once
	nOut    int    // -o options seen
	drvDep  bool   // -MD, -MMD or -MF given to the driver
	wpDep   bool   // the same inside -Wp,
	mf      string
	mfAt    int
	mfPre   string
	mfSuf   string
	quote   []string
	include []string
	system  []string
	after   []string
}

// Analyze reads a compiler command line; args[0] is the compiler. dir is
// the working directory, against which @response files are read.
func Analyze(args []string, dir string) *Plan {
	p := &Plan{Family: family(args[0]), Args: args, objArg: -1, depArg: -1}
	expanded, ok := expandResponseFiles(args, dir)
	if !ok {
		return passthrough(p, "response file not readable")
	}
	s := &scan{p: p, args: expanded, outAt: -1, mfAt: -1}
	for i := 1; i < len(s.args); i++ {
		n, why := s.one(i)
		if why != "" {
			return passthrough(p, why)
		}
		i += n
	}
	return s.finish()
}

// one reads args[i] and returns how many following arguments it consumed,
// or a reason to pass the whole command through.
func (s *scan) one(i int) (int, string) {
	a := s.args[i].s
	if hasAnyPrefix(a, unrecordedPrefixes) {
		s.p.NoRecord = "reads a file its depfile does not list: " + a
	}
	switch {
	case a == "-":
		return 0, "source on stdin"
	case !strings.HasPrefix(a, "-"):
		return 0, s.input(a)
	case a == "-c" || a == "-S" || a == "-E":
		s.mode = a[1]
		if !strings.Contains(s.modes, a[1:]) {
			s.modes += a[1:]
		}
		return 0, ""
	case a == "-MD" || a == "-MMD":
		s.md, s.drvDep = true, true
		return 0, ""
	case a == "-MP":
		return 0, ""
	case isQuery(a):
		return 0, "query " + a
	case hasAnyPrefix(a, passthroughPrefixes):
		return 0, "option " + a
	case strings.HasPrefix(a, "-Wp,"):
		return 0, s.wp(i)
	}
	return s.valued(i)
}

// input takes a file operand: a source, or anything else (a link).
func (s *scan) input(a string) string {
	if underDir(a, "/dev/") || underDir(a, "/proc/") {
		// cc-option probes compile /dev/null; <(...) gives /dev/fd/N.
		// Neither can be recorded, and a probe's output is thrown away.
		return "source " + a + " is not a regular file"
	}
	if (s.lang != "" && s.lang != "none") || sourceExt[filepath.Ext(a)] {
		s.p.Sources = append(s.p.Sources, a)
		return ""
	}
	return "input " + a + " is not a source"
}

// valued handles options that carry a value, separate or joined.
func (s *scan) valued(i int) (int, string) {
	a := s.args[i].s
	name, val, n := a, "", 0
	if separate[a] {
		if i+1 >= len(s.args) {
			return 0, "missing value after " + a
		}
		val, n = s.args[i+1].s, 1
	} else if j := joinedPrefix(a); j != "" {
		name, val = j, a[len(j):]
	} else if k := strings.IndexByte(a, '='); k > 0 && strings.HasPrefix(a, "--") {
		name, val = a[:k], a[k+1:]
	}
	switch name {
	case "-o":
		s.nOut++
		if val == "" || strings.HasSuffix(val, "/") {
			return n, "output " + strconv.Quote(val) + " names no file"
		}
		s.out, s.outAt, s.outPre = val, s.args[i+n].pos, strings.TrimSuffix(a, val)
		if n == 1 {
			s.outPre = ""
		}
	case "-MF":
		s.drvDep = true
		s.mf, s.mfAt, s.mfPre, s.mfSuf = val, s.args[i+n].pos, strings.TrimSuffix(a, val), ""
		if n == 1 {
			s.mfPre = ""
		}
	case "-MT", "-MQ":
		s.p.hasTarget = true
	case "-x":
		s.lang = val
	case "-iquote":
		s.quote = append(s.quote, val)
	case "-I":
		s.include = append(s.include, val)
	case "-isystem":
		s.system = append(s.system, val)
	case "-idirafter":
		s.after = append(s.after, val)
	}
	return n, ""
}

// joinedPrefix returns the option a joined argument starts with, longest
// first (-iwithprefixbefore before -iwithprefix).
func joinedPrefix(a string) string {
	best := ""
	for _, j := range joinable {
		if len(a) > len(j) && strings.HasPrefix(a, j) && len(j) > len(best) {
			best = j
		}
	}
	return best
}

// wp reads -Wp,opt,opt...: kbuild's -Wp,-MMD,F and tools/build's
// -Wp,-MD,F -Wp,-MT,T hand dependency options to the preprocessor.
func (s *scan) wp(i int) string {
	a := s.args[i].s
	parts := strings.Split(a[len("-Wp,"):], ",")
	for k := 0; k < len(parts); k++ {
		switch parts[k] {
		case "-MD", "-MMD", "-MF":
			if k+1 >= len(parts) {
				return "incomplete " + a
			}
			if parts[k] != "-MF" {
				s.md = true
			}
			s.wpDep = true
			k++
			s.mf, s.mfAt = parts[k], s.args[i].pos
			s.mfPre = "-Wp," + strings.Join(parts[:k], ",") + ","
			if k+1 < len(parts) {
				// clang reads more -Wp dependency options in one argument
				// than gcc does (it writes a second depfile for -MT there).
				return "several options in " + a
			}
		case "-MT", "-MQ":
			s.p.hasTarget = true
			k++
		case "-M", "-MM":
			return "preprocessor " + parts[k]
		case "-MP":
		default:
			if strings.HasPrefix(parts[k], "-M") || strings.HasPrefix(parts[k], "-o") {
				return "preprocessor option " + parts[k]
			}
		}
	}
	return ""
}
