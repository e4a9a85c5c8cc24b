// Package cc knows gcc's and clang's command lines: which files a compile
// or a link reads and writes, and how to send its outputs to temporaries
// without changing a byte of what it writes.
package cc

import (
	"path/filepath"
	"slices"
	"strings"
)

// Plan is what Analyze learnt from a compiler command line.
type Plan struct {
	// Passthrough: run the compiler unmodified (probes, anything not
	// understood). Reason says why, for STABLE_DEBUG.
	Passthrough bool
	Reason      string
	// NoRecord: the compile reads a file a record cannot describe (a
	// plugin, a --config file): it still runs on temporaries, and is never
	// answered by a record.
	NoRecord string

	Family  string // "gcc" or "clang"
	Args    []string
	Sources []string
	Outputs []Output
	Object  string // the main output (object, .s, .i, or what a link writes)
	Depfile string // the depfile the caller asked for, "" if none
	Link    bool   // a link through the driver: Object is the linked file

	Inputs     []string // files named by options, and response files: inputs of a record
	Direct     []string // options that derive names from the output path: no redirection
	DriverArgs []string // options that change the programs the driver runs
	AsmArgs    []string // options for the assembler (-Wa, -Xassembler)
	LinkArgs   []string // options for the linker
	TimeArg    string   // an argument that expands the time of the compile
	// NameDepfile: name the depfile the driver would name itself (-MF):
	// a launcher in front (distcc) may put an unnamed one elsewhere.
	NameDepfile bool

	objArg    int    // index in Args of the -o value, -1 when the wrapper must add -o
	objPre    string // the option's text when the value is joined to it (-o, --output=)
	depArg    int    // index in Args holding the depfile path (-MF F, -MFF, -Wp,...,F), -1 if none
	depPrefix string // text before and after the path in Args[depArg]
	depSuffix string
	hasTarget bool // -MT or -MQ given
	// target: the depfile target gcc's driver would name with -MQ (the -o
	// value as written, or the default object) when -MD/-MMD has no
	// -MT/-MQ. Given explicitly, the compiler writes the same target,
	// line breaks included, although the object goes to a temporary.
	target  string
	search  []string
	sysDirs []string // -isystem, C_INCLUDE_PATH and -idirafter: what -MMD leaves out
	defines []string // the macros -D defines
	forced  []string // the files of -include and -imacros
	wantDep string
	linkDep string // the link's own dependency file (--dependency-file)
	noCpp   bool   // a Fortran source gfortran reads without its preprocessor
	asm     bool   // an assembler source (.s, .S): clang's assembler writes its object in place
	// userOnly: the caller's depfile leaves system headers out (-MMD), so
	// the record finds them by following the includes (guards.go).
	userOnly bool
}

// Output is one file the compile writes.
type Output struct {
	Path string
	Kind string // "object", "asm", "preprocessed", "depfile", "linked"
}

func passthrough(p *Plan, why string) *Plan {
	p.Passthrough, p.Reason = true, why
	return p
}

// family tells gcc from clang by the program's name.
func family(prog string) string {
	if strings.Contains(filepath.Base(prog), "clang") {
		return "clang"
	}
	return "gcc"
}

// Argv returns the command line with every output sent to temp(output).
func (p *Plan) Argv(temp func(string) string) []string {
	out := slices.Clone(p.Args)
	if p.objArg >= 0 {
		out[p.objArg] = p.objPre + temp(p.Object)
	}
	if p.depArg >= 0 {
		out[p.depArg] = p.depPrefix + temp(p.Depfile) + p.depSuffix
	}
	// What the wrapper adds is joined to its option: a path of its own
	// that starts with '@' (an output in a directory named @x) must not
	// be read as a response file.
	if p.objArg < 0 {
		out = append(out, "-o"+temp(p.Object))
	}
	if p.target != "" {
		out = append(out, "-MQ"+p.target)
	}
	if p.NameDepfile && p.Depfile != "" && p.depArg < 0 {
		out = append(out, "-MF"+temp(p.Depfile))
	}
	if p.wantDep != "" {
		// Only for the wrapper's own use; -MQ keeps the target harmless.
		out = append(out, "-MD", "-MF"+p.wantDep, "-MQ", "stable-deps")
	}
	if p.linkDep != "" {
		out = append(out, "-Wl,--dependency-file="+p.linkDep)
	}
	return out
}

// WantDepfile asks for a depfile of the wrapper's own at path (only when
// the caller asked for none): records need the list of headers, or of
// what a link read.
func (p *Plan) WantDepfile(path string) {
	switch {
	case p.Link:
		p.linkDep = path
	case p.Depfile == "":
		p.wantDep = path
	}
}

// SearchDirs lists the include directories in the order the preprocessor
// searches them for a quoted include of the main source: the source's own
// directory, -iquote, -I, CPATH, -isystem, C_INCLUDE_PATH (or its C++ or
// Objective-C twin), then -idirafter. The compiler's own system
// directories come after those (driver.go).
func (p *Plan) SearchDirs() []string { return p.search }
