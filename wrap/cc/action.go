package cc

import (
	"bytes"
	"fmt"
	"os"
	"path/filepath"
	"slices"
	"strings"

	"stable/stable"
)

// envIdentity lists the variables that can change what a compile writes.
var envIdentity = []string{
	"CPATH", "C_INCLUDE_PATH", "CPLUS_INCLUDE_PATH", "OBJC_INCLUDE_PATH",
	"SOURCE_DATE_EPOCH", "GCC_EXEC_PREFIX", "COMPILER_PATH", "LIBRARY_PATH",
	"DEPENDENCIES_OUTPUT", "SUNPRO_DEPENDENCIES", "GCC_COMPARE_DEBUG",
	"CCC_OVERRIDE_OPTIONS", "SDKROOT", "MACOSX_DEPLOYMENT_TARGET",
	"LANG", "LC_ALL", "LC_CTYPE", "LC_MESSAGES", // the language of replayed warnings
}

// launchers are programs that take a compiler command line as their own.
var launchers = map[string]bool{"ccache": true, "sccache": true, "distcc": true, "icecc": true}

// ownDepfile is the name of the depfile the wrapper asks for when the
// caller asked for none: it lives in the object's private temporary
// directory and disappears with it.
const ownDepfile = ".stable-deps.d"

// NewAction describes a compile for the stable mechanism. argv is the full
// command to run (launchers such as ccache first, then the compiler); dir
// is the working directory. A command line the wrapper does not fully
// understand gives an action that runs it unmodified.
func NewAction(argv []string, dir string) (*stable.Action, *Plan) {
	n := 0
	for n < len(argv)-1 && launchers[filepath.Base(argv[n])] {
		n++
	}
	prefix, p := argv[:n], Analyze(argv[n:], dir)
	a := &stable.Action{Argv: argv, Dir: dir}
	if p.Passthrough {
		a.Passthrough = p.Reason
		return a, p
	}
	obj := ""
	for _, o := range p.Outputs {
		a.Outputs = append(a.Outputs, o.Path)
		if o.Kind == "object" && obj == "" {
			obj = o.Path
		}
	}
	a.NoRecord = p.NoRecord
	a.ReplaceLinks = true // gcc and clang replace a symlink at -o
	for _, name := range envIdentity {
		if v, ok := os.LookupEnv(name); ok {
			a.Env = append(a.Env, name+"="+v)
		}
	}
	a.Extra = []string{Name, p.Family}
	a.TerminalArgs = []string{"-fdiagnostics-color=always"}
	if p.Depfile != "" {
		a.Replay = []string{p.Depfile}
		if obj != "" {
			a.NotNewer = [][2]string{{p.Depfile, obj}}
		}
	}
	deps := func(temp func(string) string) string {
		if p.Depfile != "" {
			return temp(p.Depfile)
		}
		return filepath.Join(filepath.Dir(temp(p.Outputs[0].Path)), ownDepfile)
	}
	a.Redirect = func(temp func(string) string) []string {
		if p.Depfile == "" {
			p.WantDepfile(deps(temp))
		}
		return slices.Concat(prefix, p.Argv(temp))
	}
	a.Finish = func(temp func(string) string) (*stable.Found, error) {
		return finish(p, dir, deps(temp), temp)
	}
	return a, p
}

// finish puts the real names back into the depfile the compiler wrote and
// learns the compile's inputs from it.
func finish(p *Plan, dir, depPath string, temp func(string) string) (*stable.Found, error) {
	abs := depPath
	if dir != "" && !filepath.IsAbs(abs) {
		abs = filepath.Join(dir, abs)
	}
	data, err := os.ReadFile(abs)
	if err != nil {
		return &stable.Found{NoRecord: "no depfile: " + err.Error()}, nil
	}
	fixed, err := FixDepfile(data, p, temp)
	if err != nil {
		return nil, err
	}
	if !bytes.Equal(fixed, data) {
		if err := os.WriteFile(abs, fixed, 0o666); err != nil {
			return nil, fmt.Errorf("depfile %s: %w", p.Depfile, err)
		}
		data = fixed
	}
	_, prereqs, err := ParseDepfile(data)
	if err != nil {
		return &stable.Found{NoRecord: "depfile not understood: " + err.Error()}, nil
	}
	f := &stable.Found{}
	for _, in := range prereqs {
		st, facts, err := stable.ScanFile(abs2(dir, in), &timeScan{})
		if err != nil {
			return &stable.Found{NoRecord: "input " + in + ": " + err.Error()}, nil
		}
		st.Path = in
		f.States = append(f.States, st)
		if len(facts.Data) > 0 {
			f.NoRecord = fmt.Sprintf("%s uses %s", in, facts.Data)
		}
	}
	f.Absent = shadows(p, dir, prereqs)
	return f, nil
}

func abs2(dir, p string) string {
	if dir == "" || filepath.IsAbs(p) {
		return p
	}
	return filepath.Join(dir, p)
}

// timeScan finds the macros that expand the time of compilation: such a
// compile must run every time, never be answered by a record.
type timeScan struct{ found string }

func (t *timeScan) Feed(b []byte) {
	if t.found != "" {
		return
	}
	for _, m := range []string{"__DATE__", "__TIME__", "__TIMESTAMP__"} {
		if bytes.Contains(b, []byte(m)) {
			t.found = m
			return
		}
	}
}

func (t *timeScan) Facts() stable.Facts { return stable.Facts{Data: []byte(t.found)} }

// shadows lists the paths where a new header would be found before one the
// compile used: for every header that lies under search directory k, the
// same relative name under each search directory before k. Which directory
// really resolved a header is not known (-I. and -Iinc both contain
// inc/x.h), so every one that contains it counts. Paths that exist now were
// passed over by the compiler and are left out. ccache's direct mode misses
// a header created there; a record must not.
func shadows(p *Plan, dir string, deps []string) []string {
	search := p.SearchDirs()
	var out []string
	seen := map[string]bool{}
	for _, d := range deps {
		for k, sd := range search {
			rel, ok := under(d, sd)
			if !ok {
				continue
			}
			for _, earlier := range search[:k] {
				c := filepath.Join(earlier, rel)
				if !seen[c] {
					seen[c] = true
					if _, err := os.Lstat(abs(dir, c)); err != nil {
						out = append(out, c)
					}
				}
			}
		}
	}
	return out
}

func abs(dir, p string) string {
	if dir == "" || filepath.IsAbs(p) {
		return p
	}
	return filepath.Join(dir, p)
}

func under(path, dir string) (string, bool) {
	path, dir = filepath.Clean(path), filepath.Clean(dir)
	if dir == "." {
		return path, !filepath.IsAbs(path) && !strings.HasPrefix(path, "..")
	}
	if strings.HasPrefix(path, dir+"/") {
		return path[len(dir)+1:], true
	}
	return "", false
}
