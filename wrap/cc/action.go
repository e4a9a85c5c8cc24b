package cc

import (
	"os"
	"path/filepath"
	"slices"
	"strings"

	"stable/stable"
)

// envIdentity lists the variables that can change what a compile or link
// writes. The locale (the language of replayed warnings) and
// SOURCE_DATE_EPOCH (the time macros) matter only to some runs: a record
// holds them as conditions then (stable.Found.Conds).
var envIdentity = []string{
	"CPATH", "C_INCLUDE_PATH", "CPLUS_INCLUDE_PATH", "OBJC_INCLUDE_PATH",
	"GCC_EXEC_PREFIX", "COMPILER_PATH", "LIBRARY_PATH", "GCC_COMPARE_DEBUG",
	"CCC_OVERRIDE_OPTIONS", "SDKROOT", "MACOSX_DEPLOYMENT_TARGET",
}

// launchers are programs that take a compiler command line as their own;
// their variables (CCACHE_*, ...) change what they do.
var launchers = map[string]string{"ccache": "CCACHE_", "sccache": "SCCACHE_", "distcc": "DISTCC_", "icecc": "ICECC_"}

// ownDepfile is the name of the depfile the wrapper asks for when the
// caller asked for none: it lives in the output's private temporary
// directory and disappears with it.
const ownDepfile = ".stable-deps.d"

// NewAction describes a compile or a link for the stable mechanism. argv
// is the full command to run (launchers such as ccache first, then the
// compiler); dir is the working directory. A command line the wrapper does
// not fully understand gives an action that runs it unmodified.
func NewAction(argv []string, dir string) (*stable.Action, *Plan) {
	n := 0
	for n < len(argv)-1 && launchers[filepath.Base(argv[n])] != "" {
		n++
	}
	prefix, p := argv[:n], Analyze(argv[n:], dir)
	a := &stable.Action{Argv: argv, Dir: dir}
	if p.Passthrough {
		a.Passthrough = p.Reason
		return a, p
	}
	// A launcher in front (distcc) may put an unnamed depfile elsewhere;
	// one written through a symlink has its temporary beside the target,
	// not where the compiler would name it.
	p.NameDepfile = n > 0 || p.Depfile != "" && isSymlink(abs(dir, p.Depfile))
	c := &compile{p: p, a: a, dir: dir, prefix: prefix, driver: argv[n]}
	c.declare()
	return a, p
}

// compile is one compile or link being described.
type compile struct {
	p      *Plan
	a      *stable.Action
	dir    string
	prefix []string // launchers before the compiler
	driver string
	facts  *driverFacts
	deps   bool // the compiler writes a depfile the wrapper reads
	blind  int  // codeBlind, once: 0 unknown, 1 yes, 2 no
}

// declare fills the action from the plan.
func (c *compile) declare() {
	p, a := c.p, c.a
	for _, o := range p.Outputs {
		a.Outputs = append(a.Outputs, o.Path)
	}
	a.Inputs = slices.Clone(p.Inputs)
	a.NoRecord = p.NoRecord
	a.ReplaceLinks = true // gcc, clang and ld replace a symlink at -o...
	a.WriteThrough = c.writtenThrough()
	a.Env = c.env()
	a.Extra = []string{Name, p.Family}
	a.TerminalArgs = []string{"-fdiagnostics-color=always"}
	a.Prepare = c.prepare
	a.Scanner = c.scanner
	if p.Depfile != "" {
		a.Replay = []string{p.Depfile}
		a.NotNewer = [][2]string{{p.Depfile, p.Object}}
	}
	if len(p.Direct) > 0 {
		c.direct()
		return
	}
	// A link's linker is asked first (prepare); gfortran refuses -MD for a
	// source it reads without its preprocessor (and keeps no record).
	c.deps = !p.Link && !p.noCpp
	a.Redirect = func(temp func(string) string) []string {
		if c.deps && (p.Depfile == "" || p.Link) {
			p.WantDepfile(c.ownDeps(temp))
		}
		return slices.Concat(c.prefix, p.Argv(temp))
	}
	a.Finish = c.finish
}

// direct: options that name files after the output inside the compile
// (-gsplit-dwarf, -fprofile-use, -frecord-gcc-switches) make the command
// line run as it is; the old outputs are moved aside and put back when the
// compiler writes the same bytes. Nothing may be added to the command line
// (it may be recorded in the object), so without a depfile of the caller's
// there is no record.
func (c *compile) direct() {
	p, a := c.p, c.a
	if slices.ContainsFunc(p.Direct, func(o string) bool { return strings.HasPrefix(o, "-gsplit-dwarf") }) {
		dwo := strings.TrimSuffix(p.Object, filepath.Ext(p.Object)) + ".dwo"
		a.Outputs = append(a.Outputs, dwo)
		if p.Family == "clang" {
			a.WriteThrough = append(a.WriteThrough, dwo) // clang truncates it; gcc writes a new one
		}
	}
	a.Direct = slices.Clone(a.Outputs)
	if p.Depfile == "" && a.NoRecord == "" {
		a.NoRecord = "no depfile of the caller's, and nothing may be added to a command line the object records"
	}
	a.Finish = c.finish
	c.deps = p.Depfile != ""
}

// env is the identity's part of the environment: the compiler's
// variables, and those of the launchers in front of it.
func (c *compile) env() []string {
	var env []string
	for _, name := range envIdentity {
		if v, ok := os.LookupEnv(name); ok {
			env = append(env, name+"="+v)
		}
	}
	for _, l := range c.prefix {
		pre := launchers[filepath.Base(l)]
		for _, kv := range os.Environ() {
			if strings.HasPrefix(kv, pre) {
				env = append(env, kv)
			}
		}
	}
	return env
}

// prepare learns the programs behind the driver (and the launchers'
// compiler), and, for a link, whether the linker can say what it read.
func (c *compile) prepare(s *stable.Store) string {
	driver, err := stable.FindTool(c.driver)
	if err != nil {
		return "compiler " + c.driver + " not found"
	}
	f, err := facts(s, driver, c.p)
	if err != nil {
		return err.Error()
	}
	c.facts = f
	c.a.Tools = append(c.a.Tools, f.Programs...)
	if len(c.prefix) > 0 {
		c.a.Tools = append(c.a.Tools, driver) // the compiler behind the launcher
	}
	if c.p.Link {
		if c.deps = f.LinkDeps; !c.deps {
			return "the linker cannot list what it read (--dependency-file)"
		}
	}
	return ""
}

// ownDeps is where the wrapper's own depfile goes: beside the output's
// temporary.
func (c *compile) ownDeps(temp func(string) string) string {
	return filepath.Join(filepath.Dir(temp(c.p.Outputs[0].Path)), ownDepfile)
}

// depPath is the depfile the compiler wrote for this run.
func (c *compile) depPath(temp func(string) string) string {
	p := c.p
	switch {
	case p.Link:
		return c.ownDeps(temp)
	case p.Depfile != "":
		return temp(p.Depfile)
	}
	return c.ownDeps(temp)
}

func abs(dir, p string) string {
	if dir == "" || filepath.IsAbs(p) {
		return p
	}
	return filepath.Join(dir, p)
}

// writtenThrough lists the outputs the compiler opens and truncates rather
// than replaces: the depfile (gcc and clang), gcc's .s and .i (cc1 writes
// them), clang's object of an assembler source, and an object whose -o is
// a dangling symlink with gcc (as then creates the file it points to).
func (c *compile) writtenThrough() []string {
	var out []string
	for _, o := range c.p.Outputs {
		switch {
		case o.Kind == "depfile":
			out = append(out, o.Path)
		case c.p.Family == "gcc" && (o.Kind == "asm" || o.Kind == "preprocessed"):
			out = append(out, o.Path)
		case c.p.Family == "clang" && c.p.asm && o.Kind == "object":
			out = append(out, o.Path) // its integrated assembler truncates the object
		case c.p.Family == "gcc" && dangling(abs(c.dir, o.Path)):
			out = append(out, o.Path)
		}
	}
	return out
}

// dangling says whether path is a symlink to nothing.
func dangling(path string) bool {
	fi, err := os.Lstat(path)
	if err != nil || fi.Mode()&os.ModeSymlink == 0 {
		return false
	}
	_, err = os.Stat(path)
	return err != nil
}

func isSymlink(path string) bool {
	fi, err := os.Lstat(path)
	return err == nil && fi.Mode()&os.ModeSymlink != 0
}
