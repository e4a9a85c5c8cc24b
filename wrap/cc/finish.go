package cc

import (
	"os"
	"path/filepath"
	"slices"
	"strings"
)

// finish turns what the scan saw into the plan.
func (s *scan) finish() *Plan {
	p := s.p
	if s.mode == 0 {
		return s.link()
	}
	if why := s.refuse(); why != "" {
		return passthrough(p, why)
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
		if why := s.depfile(); why != "" {
			return passthrough(p, why)
		}
	}
	include := s.include
	if p.Family == "clang" && !p.asm {
		// clang hands each -Wa,-I of a C compile to the compiler as an -I
		// ahead of the others (asmdirs.go): #include searches it too.
		include = append(assemblerDirs(asmWords(p.AsmArgs)), include...)
	}
	p.search = append([]string{filepath.Dir(p.Sources[0])}, s.quote...)
	p.search = append(append(append(p.search, include...), envDirs("CPATH")...), s.system...)
	p.search = append(append(p.search, envDirs(langPathVar(s.lang, p.Sources[0]))...), s.after...)
	p.sysDirs = slices.Concat(s.system, envDirs(langPathVar(s.lang, p.Sources[0])), s.after)
	return p
}

// refuse says why a compile must run unmodified: command lines the drivers
// read in their own ways, and what the wrapper cannot redirect.
func (s *scan) refuse() string {
	p := s.p
	switch {
	case len(p.Sources) == 0:
		return "no source"
	case len(p.Sources) > 1:
		return "several sources"
	case len(s.linkIn) > 0:
		return "input " + s.linkIn[0] + " is not a source"
	case s.mode == 'E' && s.out == "":
		return "-E to stdout"
	case s.out == "-" || underDir(s.out, "/dev/"):
		return "output " + s.out + " is not a file"
	case s.out != "" && s.outAt < 0:
		return "output named in a response file"
	case s.md && s.mf != "" && s.mfAt < 0:
		return "depfile named in a response file"
	// Where the drivers disagree with a simple reading (the earliest of
	// -c/-S/-E wins; gcc hands -Wp options to cc1 after its own; gcc
	// refuses -MF alone), the compiler decides alone.
	// gcc prints an assembler source preprocessed to stdout whatever -o
	// says, clang writes it to -o: each its own way.
	case s.mode == 'S' && p.asm:
		return "-S on an assembler source"
	case len(s.modes) > 1:
		return "more than one of -c, -S, -E"
	case s.nOut > 1:
		return "-o given more than once"
	case s.wpDep && s.drvDep:
		return "dependency options both for the preprocessor and for the driver"
	case (s.wpDep || s.drvDep) && !s.md:
		return "-MF without -MD or -MMD"
	case s.md && p.noCpp:
		return "a Fortran source without the preprocessor: gfortran writes no depfile"
	case os.Getenv("DEPENDENCIES_OUTPUT") != "" || os.Getenv("SUNPRO_DEPENDENCIES") != "":
		return "a depfile asked for in the environment (DEPENDENCIES_OUTPUT)"
	case len(p.Direct) > 0 && s.mode == 'E':
		return "option " + p.Direct[0] + " with -E"
	}
	return ""
}

// depfile plans the depfile the caller asked for.
func (s *scan) depfile() string {
	p := s.p
	p.Depfile = s.mf
	if p.Depfile == "" {
		p.Depfile = strings.TrimSuffix(p.Object, filepath.Ext(p.Object)) + ".d"
	} else {
		p.depArg, p.depPrefix, p.depSuffix = s.mfAt, s.mfPre, s.mfSuf
	}
	if p.Depfile == "-" || underDir(p.Depfile, "/dev/") {
		return "depfile " + p.Depfile + " is not a file"
	}
	if d := filepath.Clean(p.Depfile); d == filepath.Clean(p.Object) || d == filepath.Clean(p.Sources[0]) {
		return "depfile " + p.Depfile + " is the output or the source"
	}
	p.Outputs = append(p.Outputs, Output{Path: p.Depfile, Kind: "depfile"})
	p.target = s.depTarget()
	return ""
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

// envDirs lists the directories of a search-path variable (CPATH): an
// empty element means the working directory, as for the compilers.
func envDirs(name string) []string {
	v, ok := os.LookupEnv(name)
	if name == "" || !ok || v == "" {
		return nil
	}
	var dirs []string
	for _, d := range filepath.SplitList(v) {
		if d == "" {
			d = "."
		}
		dirs = append(dirs, d)
	}
	return dirs
}

// langPathVar is the system include path variable of a source's language.
func langPathVar(lang, src string) string {
	switch {
	case lang == "c++" || lang == "c++-header" || lang == "" && cxxExt[filepath.Ext(src)]:
		return "CPLUS_INCLUDE_PATH"
	case lang == "objective-c" || lang == "" && filepath.Ext(src) == ".m":
		return "OBJC_INCLUDE_PATH"
	}
	return "C_INCLUDE_PATH"
}

var cxxExt = setOf(".cc", ".cp", ".cxx", ".cpp", ".CPP", ".c++", ".C", ".ii", ".hh", ".hpp", ".hxx", ".H", ".mm")

// underDir tells whether path, however spelt (//dev/x), lies under dir
// (given with its trailing slash).
func underDir(path, dir string) bool { return strings.HasPrefix(filepath.Clean(path), dir) }

// asmWords are the assembler's own arguments among -Wa,a,b and
// -Xassembler a.
func asmWords(asmArgs []string) []string {
	var words []string
	for i := 0; i < len(asmArgs); i++ {
		switch a := asmArgs[i]; {
		case strings.HasPrefix(a, "-Wa,"):
			words = append(words, strings.Split(a[len("-Wa,"):], ",")...)
		case a == "-Xassembler" && i+1 < len(asmArgs):
			i++
			words = append(words, asmArgs[i])
		}
	}
	return words
}
