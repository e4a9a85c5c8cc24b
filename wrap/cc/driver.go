package cc

import (
	"encoding/json"
	"errors"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"

	"stable/stable"
)

// A compiler driver runs other programs: gcc runs cc1 and as (found in its
// own directories, then in PATH), collect2 and ld to link; clang runs its
// own front end in process, and as or ld when asked to. An upgraded
// assembler changes the object while the driver stays the same, so every
// program the driver runs is part of a record's identity. Which ones they
// are is asked of the driver itself (-###), once per driver, options and
// environment, and kept in the store (stable.Memo) with the PATH
// directories searched before each program found there: a program that
// appears earlier in PATH is seen.

// driverFacts is what the driver does beyond its own binary.
type driverFacts struct {
	Programs   []string   `json:"programs"` // absolute paths
	Guards     []dirGuard `json:"guards"`   // PATH directories searched before a program found there
	SystemDirs []string   `json:"system"`   // the driver's own include directories, in search order
	OwnInclude string     `json:"own"`      // the compiler's own headers (-print-file-name=include)
	LinkDeps   bool       `json:"linkdeps"` // a link: the linker writes --dependency-file
	LinkDirs   []string   `json:"linkdirs"` // a link: the directories the driver has the linker search
}

// dirGuard is a directory as it was when the facts were learnt.
type dirGuard struct {
	Dir   string `json:"dir"`
	Mtime int64  `json:"mtime"` // 0: it did not exist
}

// driverEnv are the variables that change what the driver runs or where
// it looks.
var driverEnv = []string{"PATH", "COMPILER_PATH", "GCC_EXEC_PREFIX", "LIBRARY_PATH", "CCC_OVERRIDE_OPTIONS", "SDKROOT"}

// facts returns the driver's facts for a plan, from the store when known.
func facts(s *stable.Store, driver string, p *Plan) (*driverFacts, error) {
	key := []string{"driver/2", driver, strings.Join(toolStat(driver), " "), langOf(p), boolWord(p.Link)}
	key = append(key, p.DriverArgs...)
	for _, name := range driverEnv {
		v, _ := os.LookupEnv(name)
		key = append(key, name+"="+v)
	}
	b, err := s.Memo(strings.Join(key, "\x00"), guardsHold, func() ([]byte, error) {
		f, err := probe(driver, p)
		if err != nil {
			return nil, err
		}
		return json.Marshal(f)
	})
	if err != nil {
		return nil, err
	}
	var f driverFacts
	return &f, json.Unmarshal(b, &f)
}

// guardsHold checks kept facts against the disk.
func guardsHold(b []byte) bool {
	var f driverFacts
	if json.Unmarshal(b, &f) != nil {
		return false
	}
	for _, g := range f.Guards {
		if mtimeOf(g.Dir) != g.Mtime {
			return false
		}
	}
	return true
}

// probe asks the driver what it runs (-###) and where it looks for
// headers (-E -v).
func probe(driver string, p *Plan) (*driverFacts, error) {
	f := &driverFacts{}
	args := append([]string{}, p.DriverArgs...)
	if p.Link {
		args = append(args, "-###", "-o", "/dev/null", "/dev/null")
	} else {
		args = append(args, "-###", "-c", "-x", langOf(p), "/dev/null", "-o", "/dev/null")
	}
	out, err := exec.Command(driver, args...).CombinedOutput()
	if err != nil {
		return nil, errors.New("the driver's -### failed: " + firstLine(out))
	}
	prefixes := programPrefixes(driver, p)
	for _, prog := range programsOf(out) {
		f.add(prog, prefixes)
	}
	if p.Link {
		f.LinkDirs = linkDirs(out)
		f.linker(driver, p)
		return f, nil
	}
	v, _ := exec.Command(driver, append(append([]string{}, p.DriverArgs...), "-E", "-v", "-x", langOf(p), "/dev/null", "-o", "/dev/null")...).CombinedOutput()
	f.SystemDirs = searchList(v)
	if own, err := exec.Command(driver, append(append([]string{}, p.DriverArgs...), "-print-file-name=include")...).Output(); err == nil {
		if d := strings.TrimSpace(string(own)); filepath.IsAbs(d) {
			f.OwnInclude = filepath.Clean(d)
		}
	}
	return f, nil
}

// add resolves a program as the driver runs it: gcc tries each of its
// program prefixes (-B, COMPILER_PATH, its own directories) before PATH; a
// path as -### prints it is where one of those led. Every directory
// searched before the one that held the program is guarded: a program
// appearing there would be run instead.
func (f *driverFacts) add(prog string, prefixes []string) {
	base := filepath.Base(prog)
	for _, pre := range prefixes {
		cand := pre + base
		if strings.Contains(prog, "/") && filepath.Clean(cand) == filepath.Clean(prog) || !strings.Contains(prog, "/") && isProgram(cand) {
			f.Programs = append(f.Programs, filepath.Clean(cand))
			return
		}
		d := filepath.Dir(cand)
		f.Guards = append(f.Guards, dirGuard{Dir: d, Mtime: mtimeOf(d)})
	}
	if strings.Contains(prog, "/") {
		if abs, err := filepath.Abs(prog); err == nil {
			f.Programs = append(f.Programs, filepath.Clean(abs))
		}
		return
	}
	for _, dir := range filepath.SplitList(os.Getenv("PATH")) {
		if dir == "" {
			dir = "."
		}
		p := filepath.Join(dir, prog)
		if fi, err := os.Stat(p); err == nil && !fi.IsDir() && fi.Mode()&0o111 != 0 {
			f.Programs = append(f.Programs, p)
			return
		}
		f.Guards = append(f.Guards, dirGuard{Dir: dir, Mtime: mtimeOf(dir)})
	}
}

// programPrefixes are the prefixes gcc tries for a program it runs, in
// order ("programs:" of -print-search-dirs: -B prefixes, COMPILER_PATH, its
// own directories); clang prints whole paths and reports none.
func programPrefixes(driver string, p *Plan) []string {
	if p.Family != "gcc" {
		return nil
	}
	out, err := exec.Command(driver, append(append([]string{}, p.DriverArgs...), "-print-search-dirs")...).Output()
	if err != nil {
		return nil
	}
	for _, line := range strings.Split(string(out), "\n") {
		if rest, ok := strings.CutPrefix(line, "programs: ="); ok {
			return strings.Split(rest, ":")
		}
	}
	return nil
}

func isProgram(p string) bool {
	fi, err := os.Stat(p)
	return err == nil && !fi.IsDir() && fi.Mode()&0o111 != 0
}

// linker adds what a link through gcc runs after collect2 (ld, found as
// collect2 finds it), and whether it writes a dependency file.
func (f *driverFacts) linker(driver string, p *Plan) {
	ld := ""
	for _, prog := range f.Programs {
		if b := filepath.Base(prog); strings.HasPrefix(b, "ld") || strings.Contains(b, "-ld") {
			ld = prog
		}
	}
	if ld == "" {
		out, err := exec.Command(driver, append(append([]string{}, p.DriverArgs...), "-print-prog-name=ld")...).Output()
		if err != nil {
			return
		}
		name := strings.TrimSpace(string(out))
		if fuse := fuseLd(p.DriverArgs); fuse != "" && !strings.Contains(fuse, "/") {
			name = "ld." + fuse
		}
		f.add(name, programPrefixes(driver, p))
		ld = f.Programs[len(f.Programs)-1]
	}
	f.LinkDeps = exec.Command(ld, "--dependency-file=/dev/null", "--version").Run() == nil
}

// fuseLd is the -fuse-ld= value among the driver options.
func fuseLd(args []string) string {
	for _, a := range args {
		if v, ok := strings.CutPrefix(a, "-fuse-ld="); ok {
			return v
		}
	}
	return ""
}

// programsOf reads the commands -### prints: one per line, the program
// first, quoted by clang ("(in-process)" marks clang's own front end).
func programsOf(out []byte) []string {
	var progs []string
	for _, line := range strings.Split(string(out), "\n") {
		if !strings.HasPrefix(line, " ") || strings.HasPrefix(line, " (in-process)") {
			continue
		}
		line = strings.TrimSpace(line)
		prog := line
		if strings.HasPrefix(line, `"`) {
			if end := strings.Index(line[1:], `"`); end >= 0 {
				prog = line[1 : end+1]
			}
		} else if i := strings.IndexByte(line, ' '); i >= 0 {
			prog = line[:i]
		}
		if prog != "" && !strings.Contains(prog, "=") {
			progs = append(progs, prog)
		}
	}
	return progs
}

// linkDirs reads the -L directories the driver gives the linker.
func linkDirs(out []byte) []string {
	var dirs []string
	for _, w := range strings.Fields(string(out)) {
		w = strings.Trim(w, `"`)
		if d, ok := strings.CutPrefix(w, "-L"); ok && d != "" {
			dirs = append(dirs, filepath.Clean(d))
		}
	}
	return dirs
}

// searchList reads the <...> search list -v prints.
func searchList(out []byte) []string {
	var dirs []string
	in := false
	for _, line := range strings.Split(string(out), "\n") {
		switch {
		case strings.HasPrefix(line, "#include <...> search starts here:"):
			in = true
		case strings.HasPrefix(line, "End of search list."):
			return dirs
		case in && strings.HasPrefix(line, " "):
			d := strings.TrimSpace(line)
			d = strings.TrimSuffix(d, " (framework directory)")
			dirs = append(dirs, filepath.Clean(d))
		}
	}
	return dirs
}

// langOf is the -x language of a plan's source, for probing.
func langOf(p *Plan) string {
	if p.Link || len(p.Sources) == 0 {
		return "none"
	}
	switch ext := filepath.Ext(p.Sources[0]); {
	case ext == ".S" || ext == ".sx":
		return "assembler-with-cpp"
	case ext == ".s":
		return "assembler"
	case langPathVar("", p.Sources[0]) == "CPLUS_INCLUDE_PATH":
		return "c++"
	case ext == ".m":
		return "objective-c"
	case fortranNoCpp[ext] || ext == ".F" || strings.HasPrefix(ext, ".F"):
		return "f95"
	}
	return "c"
}

func toolStat(path string) []string {
	fi, err := os.Stat(path)
	if err != nil {
		return []string{"absent"}
	}
	return []string{fi.ModTime().String(), itoa(fi.Size())}
}

func mtimeOf(dir string) int64 {
	fi, err := os.Stat(dir)
	if err != nil {
		return 0
	}
	return fi.ModTime().UnixNano()
}

func boolWord(b bool) string {
	if b {
		return "link"
	}
	return "compile"
}

func itoa(n int64) string { return strconv.FormatInt(n, 10) }

func firstLine(b []byte) string {
	s, _, _ := strings.Cut(strings.TrimSpace(string(b)), "\n")
	return s
}
