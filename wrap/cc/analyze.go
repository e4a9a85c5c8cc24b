package cc

import (
	"path/filepath"
	"strconv"
	"strings"

	"stable/wrap/respfile"
)

// scan is the state of one pass over the arguments.
type scan struct {
	p       *Plan
	args    []respfile.Arg
	mode    byte // 'c', 'S', 'E', or 0 (a link)
	lang    string
	out     string
	outAt   int    // position of the -o value, -1 unknown
	outPre  string // the option's text before the value when joined (-o, --output=)
	md      bool   // -MD/-MMD or their -Wp, forms
	modes   string // each of c, S, E given, once
	nOut    int    // -o options seen
	drvDep  bool   // -MD, -MMD or -MF given to the driver
	wpDep   bool   // the same inside -Wp, or -Xpreprocessor
	mf      string
	mfAt    int
	mfPre   string
	mfSuf   string
	quote   []string
	include []string
	system  []string
	after   []string
	linkIn  []string // link inputs (objects, archives, libraries)
	cpp     bool     // -cpp: gfortran preprocesses every source
}

// Analyze reads a compiler command line; args[0] is the compiler. dir is
// the working directory, against which @response files are read.
func Analyze(args []string, dir string) *Plan {
	p := &Plan{Family: family(args[0]), Args: args, objArg: -1, depArg: -1}
	expanded, files, missing := respfile.Expand(args, dir)
	if len(missing) > 0 {
		return passthrough(p, "response file "+missing[0]+" not readable")
	}
	p.Inputs = append(p.Inputs, files...)
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
	a := s.args[i].S
	switch {
	case a == "-":
		return 0, "source on stdin"
	case !strings.HasPrefix(a, "-") || a == "":
		return 0, s.input(a)
	}
	o, val, joined := lookup(a)
	if a == "-cpp" {
		s.cpp = true
	}
	if o == nil {
		return 0, "" // carried along as it is
	}
	n := 0
	if !joined && o.takesNext() {
		if i+1 >= len(s.args) {
			return 0, "missing value after " + a
		}
		val, n = s.args[i+1].S, 1
	}
	return n, s.apply(o, a, val, i, n)
}

// apply acts on one option of the table.
func (s *scan) apply(o *opt, a, val string, i, n int) string {
	p := s.p
	switch {
	case o.does&eQuery != 0:
		return "query " + a
	case o.does&eDepAlone != 0:
		return "dependencies only: " + a
	case o.does&ePass != 0:
		return "option " + a + ": " + o.why
	}
	if o.does&eNoRecord != 0 && p.NoRecord == "" {
		p.NoRecord = "option " + a + ": " + o.why
	}
	if o.does&eReads != 0 {
		if val == "" && o.name == "-fprofile-instr-use" {
			val = "default.profdata" // clang's default
		}
		if val != "" {
			p.Inputs = append(p.Inputs, val)
		}
	}
	if o.does&eDirect != 0 {
		p.Direct = append(p.Direct, a)
	}
	if o.does&eDriver != 0 {
		p.DriverArgs = append(p.DriverArgs, a)
		if n == 1 {
			p.DriverArgs = append(p.DriverArgs, val)
		}
	}
	if o.does&eTimeArg != 0 && usesTime(val) {
		p.TimeArg = a
	}
	if o.name == "-include" || o.name == "--include" || o.name == "-imacros" {
		s.p.forced = append(s.p.forced, val)
	}
	if o.does&eTimeArg != 0 && strings.HasPrefix(a, "-D") {
		p.defines = append(p.defines, leadingIdent([]byte(val)))
	}
	if o.does&eAsm != 0 {
		p.AsmArgs = append(p.AsmArgs, a)
		if n == 1 {
			p.AsmArgs = append(p.AsmArgs, val)
		}
	}
	if o.does&eAsm != 0 {
		for _, w := range strings.Split(val, ",") {
			if strings.HasPrefix(w, "-a") || w == "--MD" || w == "-MD" || strings.HasPrefix(w, "-o") {
				return "assembler option " + w + " writes a file of its own"
			}
		}
	}
	if o.does&(eAsm|eLink) != 0 {
		// The assembler and the linker read @FILE words as response
		// files of their own: inputs, like the compiler's.
		for _, w := range strings.Split(val, ",") {
			if len(w) > 1 && w[0] == '@' {
				p.Inputs = append(p.Inputs, w[1:])
			}
		}
	}
	if o.does&eLink != 0 {
		p.LinkArgs = append(p.LinkArgs, a)
		if n == 1 {
			p.LinkArgs = append(p.LinkArgs, val)
		}
	}
	return s.known(o, a, val, i, n)
}

// known handles the options whose meaning shapes the plan.
func (s *scan) known(o *opt, a, val string, i, n int) string {
	switch {
	case o.does&eMode != 0:
		s.mode = a[1]
		if !strings.Contains(s.modes, a[1:]) {
			s.modes += a[1:]
		}
	case o.does&eOutput != 0:
		s.nOut++
		if val == "" || strings.HasSuffix(val, "/") {
			return "output " + strconv.Quote(val) + " names no file"
		}
		s.out, s.outAt, s.outPre = val, s.args[i+n].Pos, strings.TrimSuffix(a, val)
		if n == 1 {
			s.outPre = ""
		}
	case o.does&eDepGen != 0:
		s.md, s.drvDep = true, true
		s.p.userOnly = a == "-MMD" || a == "--write-user-dependencies"
	case o.does&eDepFile != 0:
		s.drvDep = true
		s.mf, s.mfAt, s.mfPre, s.mfSuf = val, s.args[i+n].Pos, strings.TrimSuffix(a, val), ""
		if n == 1 {
			s.mfPre = ""
		}
	case o.does&eDepTarget != 0:
		s.p.hasTarget = true
	case o.does&eLang != 0:
		s.lang = val
	case o.does&eQuote != 0:
		s.quote = append(s.quote, val)
	case o.does&eAngle != 0:
		s.include = append(s.include, val)
	case o.does&eSystem != 0:
		s.system = append(s.system, val)
	case o.does&eAfter != 0:
		s.after = append(s.after, val)
	case o.does&eWp != 0:
		return s.wp(i)
	case o.does&eXpre != 0:
		return s.preprocessor(val)
	}
	return ""
}

// input takes a file operand: a source, or a link input.
func (s *scan) input(a string) string {
	if underDir(a, "/dev/") || underDir(a, "/proc/") {
		// cc-option probes compile /dev/null; <(...) gives /dev/fd/N.
		// Neither can be recorded, and a probe's output is thrown away.
		return "source " + a + " is not a regular file"
	}
	if (s.lang != "" && s.lang != "none") || sourceExt[filepath.Ext(a)] {
		s.p.Sources = append(s.p.Sources, a)
		s.p.asm = isAssembler(s.lang, a)
		if s.lang == "" && fortranNoCpp[filepath.Ext(a)] && !s.cpp {
			s.p.noCpp = true
		}
		if isFortran(s.lang, a) && s.p.NoRecord == "" {
			// gfortran writes a .mod file for each module a source
			// defines, named inside the source: not a record's to recreate.
			s.p.NoRecord = "a Fortran source may write module files"
		}
		return ""
	}
	s.linkIn = append(s.linkIn, a)
	return ""
}

// preprocessor reads the word after -Xpreprocessor: a dependency option
// there is the preprocessor's, as in -Wp,.
func (s *scan) preprocessor(a string) string {
	switch a {
	case "-MD", "-MMD":
		s.md, s.wpDep = true, true
		return "preprocessor dependency option " + a + " given with -Xpreprocessor"
	case "-MF", "-MT", "-MQ", "-M", "-MM":
		return "preprocessor option " + a + " given with -Xpreprocessor"
	}
	return ""
}

// wp reads -Wp,opt,opt...: kbuild's -Wp,-MMD,F and tools/build's
// -Wp,-MD,F -Wp,-MT,T hand dependency options to the preprocessor.
func (s *scan) wp(i int) string {
	a := s.args[i].S
	parts := strings.Split(a[len("-Wp,"):], ",")
	for k := 0; k < len(parts); k++ {
		switch parts[k] {
		case "-MD", "-MMD", "-MF":
			if k+1 >= len(parts) {
				return "incomplete " + a
			}
			if parts[k] != "-MF" {
				s.md = true
				s.p.userOnly = parts[k] == "-MMD"
			}
			s.wpDep = true
			k++
			s.mf, s.mfAt = parts[k], s.args[i].Pos
			s.mfPre = "-Wp," + strings.Join(parts[:k], ",") + ","
			if k+1 < len(parts) {
				// clang reads more -Wp dependency options in one argument
				// than gcc does (it writes a second depfile for -MT there).
				return "several options in " + a
			}
		case "-MT", "-MQ":
			// clang's driver still names the object as a target of its
			// own: this one comes beside it.
			s.p.hasTarget = s.p.hasTarget || s.p.Family != "clang"
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

// usesTime says whether a macro definition expands the time of the
// compile (-DBUILD_TIME=__TIME__).
func usesTime(v string) bool {
	return strings.Contains(v, "__DATE__") || strings.Contains(v, "__TIME__") || strings.Contains(v, "__TIMESTAMP__")
}

// isFortran tells a Fortran source by its language or extension.
func isFortran(lang, src string) bool {
	if strings.HasPrefix(lang, "f") {
		return lang == "f77" || lang == "f95" || strings.HasPrefix(lang, "f77-") || strings.HasPrefix(lang, "f95-")
	}
	ext := filepath.Ext(src)
	return lang == "" && (fortranNoCpp[ext] || strings.HasPrefix(ext, ".F") || ext == ".fpp")
}

// isAssembler tells an assembler source (.s, .S, .sx, or -x assembler
// and assembler-with-cpp): -S has nothing to compile there.
func isAssembler(lang, src string) bool {
	if lang != "" && lang != "none" {
		return strings.HasPrefix(lang, "assembler")
	}
	switch filepath.Ext(src) {
	case ".s", ".S", ".sx":
		return true
	}
	return false
}
