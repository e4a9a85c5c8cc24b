package cc

import "strings"

// separate lists the options whose value is the next argument (when not
// joined). Missing one would take its value for a source file.
var separate = setOf(
	"-o", "-x", "-MF", "-MT", "-MQ", "-I", "-iquote", "-isystem", "-idirafter",
	"-include", "-imacros", "-iprefix", "-iwithprefix", "-iwithprefixbefore",
	"-isysroot", "-imultilib", "-imultiarch", "-iframework", "-D", "-U", "-A",
	"-L", "-l", "-B", "-T", "-u", "-e", "-z", "-G", "-Xlinker", "-Xassembler",
	"-Xpreprocessor", "-Xclang", "-Xanalyzer", "-mllvm", "-target", "-arch",
	"-aux-info", "--param", "--sysroot", "-gcc-toolchain", "-F", "-ivfsoverlay",
	"-include-pch", "-Xopenmp-target", "-MJ", "-dumpdir", "-dumpbase",
	"-dumpbase-ext", "--serialize-diagnostics", "-working-directory",
	"-resource-dir", "--config",
)

// joinable are separate options that may also carry their value joined
// (-Ifoo, -DX=1, -ofile).
var joinable = []string{
	"-o", "-x", "-MF", "-MT", "-MQ", "-I", "-D", "-U", "-L", "-l", "-B", "-A",
	"-iquote", "-isystem", "-idirafter", "-include", "-imacros", "-isysroot",
	"-iprefix", "-iwithprefix", "-iwithprefixbefore", "-imultilib", "-F", "-u",
	"-z", "-T", "-G", "-e",
}

// passthroughs are options after which outputs are named in ways the
// wrapper does not redirect (names embedded in the object, intermediates
// beside the source, per-function dumps): the compiler runs unmodified.
var passthroughPrefixes = []string{
	"-gsplit-dwarf", "-fprofile-arcs", "-ftest-coverage", "--coverage",
	"-save-temps", "-fdump-", "-fstack-usage", "-fcallgraph-info",
	"-ftime-trace", "-fsave-optimization-record", "-foptimization-record-file",
	"--serialize-diagnostics", "-MJ", "-dumpdir", "-dumpbase", "-aux-info",
	"-working-directory", "-fmodules", "-fcxx-modules", "-emit-", "-flto",
	"-Wa,-a", "-Wa,--MD", "-fdebug-types-section=", "-fprofile-generate",
	"-fprofile-instr-generate", "-fcs-profile-generate", "-gen-reproducer",
	"-ftemporal-profile", "-fopt-info", "-frecord-command-line",
}

// unrecorded are options naming files the compiler reads that its depfile
// does not list: such compiles are never answered by a record.
var unrecordedPrefixes = []string{
	"-fprofile-use", "-fauto-profile", "-fprofile-sample-use", "-fprofile-instr-use",
	"-fsanitize-blacklist", "-fsanitize-ignorelist", "-fplugin", "-specs",
	"-B", "-resource-dir", "--config", "-fprofile-list", "-fxray-attr-list",
	"-fxray-always-instrument", "-fxray-never-instrument", "-Xclang",
	"-fsanitize-coverage-allowlist", "-fsanitize-coverage-ignorelist",
	"-fprofile-remapping-file", "-fcoverage-", "-include-pch", "-ivfsoverlay",
}

// queries print something about the compiler instead of compiling.
var queryPrefixes = []string{
	"--version", "-dumpmachine", "-dumpversion", "-dumpfullversion",
	"-dumpspecs", "-print-", "--print-", "-###", "--help", "-v", "--target-help",
	"-Q", "-fsyntax-only", "-M", "-MM",
}

var sourceExt = setOf(".c", ".cc", ".cp", ".cxx", ".cpp", ".CPP", ".c++", ".C",
	".m", ".mm", ".M", ".i", ".ii", ".mi", ".mii", ".s", ".S", ".sx", ".h", ".hh",
	".hpp", ".hxx", ".H", ".cu", ".cl", ".F", ".f", ".f90", ".F90")

func setOf(ss ...string) map[string]bool {
	m := map[string]bool{}
	for _, s := range ss {
		m[s] = true
	}
	return m
}

func hasAnyPrefix(s string, prefixes []string) bool {
	for _, p := range prefixes {
		if strings.HasPrefix(s, p) {
			return true
		}
	}
	return false
}

// exactOrPrefix reports whether arg is one of the query options: exact for
// short ones (-v, -M, -MM, -Q) so that -MD, -MMD, -Wall are not taken for them.
func isQuery(arg string) bool {
	switch arg {
	case "-v", "-M", "-MM", "-Q", "-###", "-fsyntax-only":
		return true
	}
	for _, p := range queryPrefixes {
		if len(p) > 3 && strings.HasPrefix(arg, p) {
			return true
		}
	}
	return false
}
