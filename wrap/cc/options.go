package cc

import "strings"

// The compiler options that matter to a record, in one table (as ccache's
// compopt does for ccache): how each is spelt, how it takes its argument,
// and what it means for the wrapper. An option the table does not know is
// carried along as it is; one that takes a separate argument must be in
// the table, or its argument would be read as a source.

// argForm says how an option takes its argument.
type argForm uint8

const (
	noArg     argForm = iota // the word alone
	sepArg                   // the next word (-Xclang x)
	eitherArg                // the next word, or joined (-o x, -ox)
	joinArg                  // joined only: a prefix (-Wa,..., -fdump-...)
	eqArg                    // joined after '=' (--sysroot=DIR)
	eqOrSep                  // --name=value or --name value
	optEq                    // alone or with =value (-fprofile-use[=path])
)

// effect is what an option means for the wrapper (a bit set).
type effect uint32

const (
	eOutput    effect = 1 << iota // names the output (-o)
	eDepFile                      // names the depfile (-MF)
	eDepTarget                    // names depfile targets (-MT, -MQ)
	eDepGen                       // asks for a depfile (-MD, -MMD)
	eMode                         // -c, -S, -E
	eLang                         // -x
	eQuote                        // a directory searched for "" includes (-iquote)
	eAngle                        // searched for <> and "" (-I)
	eSystem                       // a system directory (-isystem)
	eAfter                        // searched last (-idirafter)
	eQuery                        // prints instead of compiling: passthrough
	ePass                         // writes files named in ways not redirected: passthrough
	eNoRecord                     // reads files a record cannot describe
	eReads                        // its argument is a file the compile reads: an input
	eDirect                       // output-derived names inside the compile: no redirection
	eDriver                       // changes the programs the driver runs or where it looks
	eWp                           // -Wp,: options for the preprocessor
	eXpre                         // -Xpreprocessor: the next word is for the preprocessor
	eAsm                          // -Wa, / -Xassembler: options for the assembler
	eLink                         // only meaningful when linking (-l, -L, -Wl,)
	eDepAlone                     // -M, -MM: dependencies instead of output
	eTimeArg                      // its argument may expand the time (-D with __TIME__)
)

// opt is one entry of the table.
type opt struct {
	name string
	arg  argForm
	does effect
	why  string // for the reader, and the reason given when it steps aside
}

var options = []opt{
	// Outputs and modes.
	{"-o", eitherArg, eOutput, "the output"},
	{"--output", eqOrSep, eOutput, "the output"},
	{"-c", noArg, eMode, "compile"},
	{"-S", noArg, eMode, "compile to assembler"},
	{"-E", noArg, eMode, "preprocess"},
	{"-x", eitherArg, eLang, "the language of the sources after it"},
	{"--language", eqOrSep, eLang, "the language of the sources after it"},

	// Dependency output.
	{"-MD", noArg, eDepGen, "depfile beside the output"},
	{"-MMD", noArg, eDepGen, "depfile without system headers"},
	{"--write-dependencies", noArg, eDepGen, "clang's -MD"},
	{"--write-user-dependencies", noArg, eDepGen, "clang's -MMD"},
	{"-MF", eitherArg, eDepFile, "the depfile"},
	{"-MT", eitherArg, eDepTarget, "a depfile target"},
	{"-MQ", eitherArg, eDepTarget, "a quoted depfile target"},
	{"-MP", noArg, 0, "phony targets for headers"},
	{"-MG", noArg, 0, "missing headers as dependencies"},
	{"-M", noArg, eDepAlone, "dependencies instead of output"},
	{"-MM", noArg, eDepAlone, "dependencies instead of output"},
	{"--dependencies", noArg, eDepAlone, "clang's -M"},
	{"--user-dependencies", noArg, eDepAlone, "clang's -MM"},
	{"-MJ", eitherArg, ePass, "a compilation database fragment"},
	{"-Wp,", joinArg, eWp, "preprocessor options"},
	{"-Xpreprocessor", sepArg, eXpre, "a preprocessor option"},

	// Include search.
	{"-I", eitherArg, eAngle, "an include directory"},
	{"-iquote", eitherArg, eQuote, "an include directory for \"\" includes"},
	{"-isystem", eitherArg, eSystem, "a system include directory"},
	{"-idirafter", eitherArg, eAfter, "an include directory searched last"},
	{"--include-directory", eqOrSep, eAngle, "-I spelt long"},
	{"--include-directory-after", eqOrSep, eAfter, "-idirafter spelt long"},
	{"--include-prefix", eqOrSep, eDriver, "-iprefix spelt long"},
	{"--include-with-prefix", eqOrSep, eNoRecord, "-iwithprefix spelt long"},
	{"--include-with-prefix-after", eqOrSep, eNoRecord, "-iwithprefix spelt long"},
	{"--include-with-prefix-before", eqOrSep, eNoRecord, "-iwithprefixbefore spelt long"},
	{"-iprefix", eitherArg, eDriver, "a prefix for -iwithprefix"},
	{"-iwithprefix", eitherArg, eNoRecord, "include directories under -iprefix"},
	{"-iwithprefixbefore", eitherArg, eNoRecord, "include directories under -iprefix"},
	{"-isysroot", eitherArg, eDriver, "the system root for headers"},
	{"--sysroot", eqOrSep, eDriver, "the system root"},
	{"-imultilib", eitherArg, eDriver, "a multilib subdirectory"},
	{"-imultiarch", eitherArg, eDriver, "a multiarch subdirectory"},
	{"-iframework", eitherArg, eNoRecord, "a framework directory"},
	{"-F", eitherArg, eNoRecord, "a framework directory"},
	{"-nostdinc", noArg, eDriver, "no system include directories"},
	{"-nostdinc++", noArg, eDriver, "no C++ system include directories"},
	{"-include", eitherArg, 0, "a header read first (listed in the depfile)"},
	{"--include", eqOrSep, 0, "-include spelt long"},
	{"-imacros", eitherArg, 0, "a header read for its macros (listed in the depfile)"},

	// The programs the driver runs, and where it finds them.
	{"-B", eitherArg, eDriver, "where the driver finds cc1, as, ld"},
	{"--prefix", eqOrSep, eDriver, "clang's -B"},
	{"-fuse-ld=", joinArg, eDriver, "the linker"},
	{"--ld-path=", joinArg, eDriver, "the linker"},
	{"--gcc-toolchain", eqOrSep, eDriver, "the gcc installation clang uses"},
	{"-gcc-toolchain", sepArg, eDriver, "the gcc installation clang uses"},
	{"-target", sepArg, eDriver, "the target"},
	{"--target", eqOrSep, eDriver, "the target"},
	{"-arch", sepArg, eDriver, "the target architecture"},
	{"-no-integrated-as", noArg, eDriver, "an external assembler"},
	{"-fno-integrated-as", noArg, eDriver, "an external assembler"},
	{"-fintegrated-as", noArg, eDriver, "the integrated assembler"},
	{"-integrated-as", noArg, eDriver, "the integrated assembler"},
	{"-m32", noArg, eDriver, "32-bit target"},
	{"-m64", noArg, eDriver, "64-bit target"},
	{"-mx32", noArg, eDriver, "x32 target"},
	{"-specs=", joinArg, eDriver | eReads, "a specs file"},
	{"--specs=", joinArg, eDriver | eReads, "a specs file"},
	{"-specs", sepArg, eDriver | eReads, "a specs file"},
	{"--config", eqOrSep, eNoRecord, "a clang configuration file, options a record cannot read"},
	{"--config=", joinArg, eNoRecord, "a clang configuration file"},
	{"-resource-dir", eqOrSep, eDriver, "clang's resource directory"},
	{"-working-directory", eqOrSep, ePass, "another working directory"},
	{"-ivfsoverlay", eitherArg, eNoRecord, "a virtual file system"},

	// Files the compile reads that its depfile does not list.
	{"-fprofile-use", optEq, eDirect | eNoRecord, "profile data named after the output"},
	{"-fbranch-probabilities", noArg, eDirect | eNoRecord, "profile data named after the output"},
	{"-fauto-profile", optEq, eDirect | eNoRecord, "a sample profile"},
	{"-fprofile-sample-use=", joinArg, eReads, "a sample profile"},
	{"-fprofile-instr-use", optEq, eReads, "clang profile data"},
	{"-fprofile-remapping-file=", joinArg, eReads, "a profile remapping file"},
	{"-fprofile-list=", joinArg, eReads, "a profile list"},
	{"-fsanitize-ignorelist=", joinArg, eReads, "a sanitizer ignore list"},
	{"-fsanitize-blacklist=", joinArg, eReads, "a sanitizer ignore list"},
	{"-fsanitize-coverage-allowlist=", joinArg, eReads, "a coverage allow list"},
	{"-fsanitize-coverage-ignorelist=", joinArg, eReads, "a coverage ignore list"},
	{"-fxray-attr-list=", joinArg, eReads, "an xray list"},
	{"-fxray-always-instrument=", joinArg, eReads, "an xray list"},
	{"-fxray-never-instrument=", joinArg, eReads, "an xray list"},
	{"-include-pch", eitherArg, eReads, "a precompiled header"},
	{"-fplugin=", joinArg, eNoRecord, "a compiler plugin (found by the driver)"},
	{"-fplugin-arg-", joinArg, eNoRecord, "a compiler plugin's argument"},
	{"-Xclang", sepArg, eNoRecord, "an option of clang's front end, unread"},
	{"-mllvm", sepArg, 0, "an LLVM option"},
	{"-Xanalyzer", sepArg, 0, "an analyzer option"},
	{"-Xopenmp-target", sepArg, 0, "an OpenMP target option"},
	{"-fcoverage-", joinArg, eNoRecord, "coverage mapping"},

	// Output names that depend on the output path, or outputs beside it.
	{"-gsplit-dwarf", noArg, eDirect, "a .dwo named after the output, its name in the object"},
	{"-gsplit-dwarf=", joinArg, eDirect, "a .dwo named after the output"},
	{"-fprofile-arcs", noArg, ePass, "a .gcno beside the output, .gcda names in the object"},
	{"-ftest-coverage", noArg, ePass, "a .gcno beside the output"},
	{"--coverage", noArg, ePass, "a .gcno beside the output"},
	{"-fprofile-generate", optEq, ePass, "profile names in the object"},
	{"-fprofile-instr-generate", optEq, ePass, "profile names in the object"},
	{"-fcs-profile-generate", optEq, ePass, "profile names in the object"},
	{"-save-temps", optEq, ePass, "intermediate files beside the output"},
	{"-fdump-", joinArg, ePass, "dump files beside the output"},
	{"-fstack-usage", noArg, ePass, "a .su beside the output"},
	{"-fcallgraph-info", optEq, ePass, "a .ci beside the output"},
	{"-ftime-trace", optEq, ePass, "a .json beside the output"},
	{"-ftime-trace-granularity=", joinArg, 0, ""},
	{"-fsave-optimization-record", optEq, ePass, "a .opt.yaml beside the output"},
	{"-foptimization-record-file=", joinArg, ePass, "an optimization record"},
	{"--serialize-diagnostics", eqOrSep, ePass, "a .dia file"},
	{"-dumpdir", sepArg, ePass, "where dumps go"},
	{"-dumpbase", sepArg, ePass, "the base of dump names"},
	{"-dumpbase-ext", sepArg, ePass, "the base of dump names"},
	{"-aux-info", sepArg, ePass, "prototypes to a file"},
	{"-fopt-info", optEq, ePass, "optimization notes, maybe to a file"},
	{"-fmodules", noArg, ePass, "a module cache"},
	{"-fcxx-modules", noArg, ePass, "a module cache"},
	{"-fmodules-ts", noArg, ePass, "module files"},
	{"-emit-", joinArg, ePass, "other outputs"},
	{"-flto", optEq, ePass, "link-time optimization"},
	{"-fdebug-types-section", noArg, 0, ""},
	{"-gen-reproducer", optEq, ePass, "a reproducer"},
	{"-ftemporal-profile", noArg, ePass, "profile names in the object"},
	{"-frecord-command-line", noArg, eDirect, "the command line, output name included, in the object"},
	{"-frecord-gcc-switches", noArg, eDirect, "the command line in the object"},
	{"-grecord-command-line", noArg, eDirect, "the command line, output name included, in the debug info"},
	{"-grecord-gcc-switches", noArg, eDirect, "the command line in the debug info"},
	{"-Wa,", joinArg, eAsm, "assembler options"},
	{"-Xassembler", sepArg, eAsm, "an assembler option"},

	// Queries: the driver prints something instead of compiling.
	{"--version", noArg, eQuery, ""},
	{"-v", noArg, eQuery, ""},
	{"-###", noArg, eQuery, ""},
	{"--help", optEq, eQuery, ""},
	{"--target-help", noArg, eQuery, ""},
	{"-dumpmachine", noArg, eQuery, ""},
	{"-dumpversion", noArg, eQuery, ""},
	{"-dumpfullversion", noArg, eQuery, ""},
	{"-dumpspecs", noArg, eQuery, ""},
	{"-print-", joinArg, eQuery, ""},
	{"--print-", joinArg, eQuery, ""},
	{"-Q", noArg, eQuery, ""},
	{"-fsyntax-only", noArg, eQuery, "no output"},

	// Arguments of the link, and others with a separate argument.
	{"-D", eitherArg, eTimeArg, "a macro"},
	{"-U", eitherArg, 0, "a macro undefined"},
	{"-A", eitherArg, 0, "an assertion"},
	{"-L", eitherArg, eLink, "a library directory"},
	{"-l", eitherArg, eLink, "a library"},
	{"-T", eitherArg, eLink, "a linker script"},
	{"-u", eitherArg, eLink, "an undefined symbol"},
	{"-e", eitherArg, eLink, "the entry point"},
	{"-z", eitherArg, eLink, "a linker keyword"},
	{"-G", eitherArg, 0, "small data size"},
	{"-Xlinker", sepArg, eLink, "a linker option"},
	{"-Wl,", joinArg, eLink, "linker options"},
	{"--param", eqOrSep, 0, "a parameter"},
	{"-arcmt-migrate-report-output", sepArg, ePass, ""},
}

// lookup finds the table entry for an argument: the exact word first, then
// the longest entry whose argument may be joined to it.
func lookup(a string) (*opt, string, bool) {
	if o, ok := exact[a]; ok {
		return o, "", false
	}
	var best *opt
	for i := range options {
		o := &options[i]
		if len(o.name) > len(a) || !strings.HasPrefix(a, o.name) || best != nil && len(best.name) >= len(o.name) {
			continue
		}
		rest := a[len(o.name):]
		switch o.arg {
		case eitherArg, joinArg:
		case eqArg, eqOrSep, optEq:
			if !strings.HasPrefix(rest, "=") {
				continue
			}
		default:
			continue
		}
		best = o
	}
	if best == nil {
		return nil, "", false
	}
	val := a[len(best.name):]
	if best.arg == eqArg || best.arg == eqOrSep || best.arg == optEq {
		val = val[1:]
	}
	return best, val, true
}

// exact indexes the table by spelling.
var exact = func() map[string]*opt {
	m := map[string]*opt{}
	for i := range options {
		m[options[i].name] = &options[i]
	}
	return m
}()

// takesNext says whether the option, written alone, takes the next word.
func (o *opt) takesNext() bool {
	return o.arg == sepArg || o.arg == eitherArg || o.arg == eqOrSep
}

var sourceExt = setOf(".c", ".cc", ".cp", ".cxx", ".cpp", ".CPP", ".c++", ".C",
	".m", ".mm", ".M", ".i", ".ii", ".mi", ".mii", ".s", ".S", ".sx", ".h", ".hh",
	".hpp", ".hxx", ".H", ".cu", ".cl", ".F", ".F90", ".F95", ".F03", ".F08",
	".f", ".for", ".ftn", ".f90", ".f95", ".f03", ".f08", ".fpp", ".FPP")

// fortranNoCpp are Fortran sources gfortran compiles without its
// preprocessor (unless -cpp): it refuses -MD for them.
var fortranNoCpp = setOf(".f", ".for", ".ftn", ".f90", ".f95", ".f03", ".f08")

func setOf(ss ...string) map[string]bool {
	m := map[string]bool{}
	for _, s := range ss {
		m[s] = true
	}
	return m
}
