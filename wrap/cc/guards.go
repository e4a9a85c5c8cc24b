package cc

import (
	"maps"
	"os"
	"path/filepath"
	"regexp"
	"slices"
	"strings"

	"stable/stable"
)

// guards turns what the scans of a compile's inputs say into the rest of
// its record: files read that no depfile lists (.incbin), paths where a
// new file would be read instead of one that was (shadowing headers,
// __has_include, precompiled headers), and what makes a compile
// impossible to record (#embed, __TIMESTAMP__, an operand only the
// preprocessor knows).
type guards struct {
	c     *compile
	found *stable.Found
	scans map[string]SourceFacts
	deps  []string        // the depfile's prerequisites, the source first
	names map[string]bool // every trailing part of a depfile path (depfileHas)
	seen  listing         // directories read for absent()
	// followed are the system headers found by following includes (-MMD
	// leaves them out of the depfile): guarded against shadows as well.
	followed []string
	placed   []placed // placements(), once
}

func (g *guards) all() {
	if g.c.p.userOnly {
		g.systemHeaders()
	}
	g.time()
	g.embed()
	g.shadows()
	g.includers()
	g.hasIncludes()
	g.forcedIncludes()
	g.asmFiles()
	g.pch()
}

func (g *guards) noRecord(why string) {
	if g.found.NoRecord == "" {
		g.found.NoRecord = why
	}
}

func (g *guards) absent(paths ...string) {
	for _, p := range paths {
		if !g.exists(p) {
			g.found.Absent = append(g.found.Absent, p)
		}
	}
}

// exists says whether p (against the compile's directory) names an entry,
// from the directory listings read once per compile.
func (g *guards) exists(p string) bool {
	if g.seen == nil {
		g.seen = listing{}
	}
	return g.seen.exists(abs(g.c.dir, p))
}

// time: a compile that expands the time of day writes other bytes every
// time, unless SOURCE_DATE_EPOCH fixes that time (gcc honours it for
// __DATE__ and __TIME__; __TIMESTAMP__ is the source's mtime).
func (g *guards) time() {
	uses := map[string]bool{}
	if g.c.p.TimeArg != "" {
		uses["__TIME__"] = true
	}
	for _, sf := range g.scans {
		for _, m := range sf.TimeMacros {
			uses[m] = true
		}
	}
	switch {
	case len(uses) == 0:
	case uses["__TIMESTAMP__"]:
		g.noRecord("__TIMESTAMP__ expands a source's mtime")
	case g.c.p.Family != "gcc":
		g.noRecord("__DATE__ or __TIME__ expands the time of the compile")
	default:
		v, ok := os.LookupEnv("SOURCE_DATE_EPOCH")
		if !ok {
			g.noRecord("__DATE__ or __TIME__ expands the time of the compile (no SOURCE_DATE_EPOCH)")
			return
		}
		g.found.Conds = append(g.found.Conds, "SOURCE_DATE_EPOCH="+v)
	}
}

func (g *guards) embed() {
	for in, sf := range g.scans {
		if sf.Embed {
			g.noRecord(in + " uses #embed")
		}
		if sf.DependencyPragma {
			// gcc compares that file's mtime with the source's and warns.
			g.noRecord(in + " uses #pragma GCC dependency")
		}
	}
}

// shadows: for every header that lies under search directory k (the
// compiler's own system directories included), the same relative name
// under each directory searched before k. Which directory really resolved
// a header is not known (-I. and -Iinc both contain inc/x.h), so every one
// that contains it counts. ccache's direct mode misses a header created
// there; a record must not.
func (g *guards) shadows() {
	search := g.search()
	seen := map[string]bool{}
	for _, pl := range g.placements() {
		for _, earlier := range search[:pl.k] {
			c := filepath.Join(earlier, pl.rel)
			if !seen[c] {
				seen[c] = true
				g.absent(c)
			}
		}
	}
}

// placed is a header read (in the depfile, or followed) as it lies under
// search directory k.
type placed struct {
	k   int
	rel string
}

// placements lists where each header read lies in the search, worked out
// once per compile: shadows and includers both walk it, and a kernel
// compile has ~800 headers and ~10 directories.
func (g *guards) placements() []placed {
	if g.placed != nil {
		return g.placed
	}
	search := g.search()
	clean := make([]string, len(search))
	for k, sd := range search {
		clean[k] = filepath.Clean(sd)
	}
	g.placed = []placed{}
	for _, d := range append(g.deps[1:], g.followed...) {
		d = filepath.Clean(d)
		for k, sd := range clean {
			if rel, ok := underClean(d, sd); ok {
				g.placed = append(g.placed, placed{k, rel})
			}
		}
	}
	return g.placed
}

// systemDirs are the compiler's own include directories.
func (g *guards) systemDirs() []string {
	if g.c.facts == nil {
		return nil
	}
	return g.c.facts.SystemDirs
}

// search is the whole include search: the plan's, then the compiler's own.
func (g *guards) search() []string {
	s := g.c.p.SearchDirs()
	if g.c.facts != nil {
		s = append(slices.Clone(s), g.c.facts.SystemDirs...)
	}
	return s
}

// includers: a quoted include is looked for in the includer's own
// directory first. A computed include (#include MACRO) names nothing the
// scan can read: the headers the depfile lists are guarded in that file's
// directory by every name they may have been included as.
func (g *guards) includers() {
	seen := map[string]bool{}
	for in, sf := range g.scans {
		dir := filepath.Dir(in)
		for _, inc := range sf.Includes {
			if !inc.Angle && !inc.Next && !filepath.IsAbs(inc.Name) {
				g.absent(filepath.Join(dir, inc.Name))
			}
		}
		if !sf.Computed {
			continue
		}
		for _, pl := range g.placements() {
			if !seen[dir+"\x00"+pl.rel] {
				seen[dir+"\x00"+pl.rel] = true
				g.absent(filepath.Join(dir, pl.rel))
			}
		}
	}
}

// hasIncludes: __has_include answers by whether a file exists. The first
// candidate that does is an input; the ones searched before it must stay
// absent; with none found, every candidate must.
func (g *guards) hasIncludes() {
	for in, sf := range g.scans {
		if sf.HasComputed {
			g.noRecord(in + ": __has_include of a name the preprocessor builds")
			return
		}
		for _, inc := range sf.HasIncludes {
			for _, cand := range g.candidates(in, inc) {
				if fi, err := os.Stat(abs(g.c.dir, cand)); err == nil && !fi.IsDir() {
					g.found.Inputs = append(g.found.Inputs, cand)
					break
				}
				g.absent(cand)
			}
		}
	}
}

// candidates are the paths the preprocessor tries for an include in file
// in: the includer's directory and the quote chain for "name", then the
// angle and system directories.
func (g *guards) candidates(in string, inc Include) []string {
	if filepath.IsAbs(inc.Name) {
		return []string{inc.Name}
	}
	var dirs []string
	search := g.search()
	if !inc.Angle {
		dirs = append(dirs, filepath.Dir(in))
		dirs = append(dirs, search[1:]...)
	} else {
		dirs = g.angleDirs(search)
	}
	out := make([]string, 0, len(dirs))
	for _, d := range dirs {
		out = append(out, filepath.Join(d, inc.Name))
	}
	return out
}

// angleDirs drops the source's directory and -iquote from the search.
func (g *guards) angleDirs(search []string) []string {
	skip := 1 + g.c.quoteCount()
	if skip > len(search) {
		return nil
	}
	return search[skip:]
}

// quoteCount is the number of -iquote directories in the plan's search.
func (c *compile) quoteCount() int {
	n := 0
	for i, a := range c.p.Args {
		if a == "-iquote" && i+1 < len(c.p.Args) || strings.HasPrefix(a, "-iquote") && len(a) > len("-iquote") {
			n++
		}
	}
	return n
}

// asmFiles: .incbin and .include are read by the assembler, which no
// depfile lists: each is found the way the assembler finds it and becomes
// an input, the candidates before it guarded.
func (g *guards) asmFiles() {
	for in, sf := range g.scans {
		if sf.AsmUnresolved != "" {
			g.noRecord(in + ": " + sf.AsmUnresolved)
			return
		}
		clang := g.c.p.Family == "clang"
		dirs := AsmSearchDirs(g.c.p.Args, clang, !isAsm(g.deps[0]))
		for _, name := range sf.AsmFiles {
			cands := AsmCandidates(name, ".", dirs, clang)
			if clang && !isAsm(g.deps[0]) {
				// clang's inline asm also searches CPATH and its own
				// directories after the ones given.
				cands = append(cands, AsmCandidates(name, ".", append(envDirs("CPATH"), g.systemDirs()...), clang)[1:]...)
			}
			path, i, ok := AsmFound(cands, clang, func(p string) (os.FileInfo, error) { return os.Stat(abs(g.c.dir, p)) })
			if !ok {
				// Named nowhere the assembler looks: a name in prose (a
				// format string, a comment), or a compile that would fail.
				// Any of them appearing would change the compile.
				g.absent(cands...)
				continue
			}
			g.found.Inputs = append(g.found.Inputs, path)
			g.absent(cands[:i]...)
		}
	}
}

// forcedIncludes: -include and -imacros look in the working directory
// first, then along the "" chain after the source's own directory: each
// place before the file found must stay empty.
func (g *guards) forcedIncludes() {
	search := g.search()
	for _, name := range g.c.p.forced {
		if filepath.IsAbs(name) || len(search) == 0 {
			continue
		}
		for _, d := range append([]string{"."}, search[1:]...) {
			c := filepath.Join(d, name)
			if g.exists(c) {
				break
			}
			g.absent(c)
		}
	}
}

// pch: gcc reads NAME.gch instead of NAME, for an #include of the main
// source or an -include, when one exists in a directory it searches: a
// precompiled header that appears there changes the compile, and one that
// is there is a file no depfile lists.
func (g *guards) pch() {
	if g.c.p.Family != "gcc" {
		return
	}
	src := g.deps[0]
	var incs []Include
	if sf, ok := g.scans[src]; ok {
		incs = append(incs, sf.Includes...)
	}
	for _, name := range g.c.p.forced {
		incs = append(incs, Include{Name: name})
	}
	for _, inc := range incs {
		for _, cand := range g.candidates(src, inc) {
			gch := cand + ".gch"
			if _, err := os.Lstat(abs(g.c.dir, gch)); err == nil {
				g.noRecord("precompiled header " + gch)
				return
			}
			g.found.Absent = append(g.found.Absent, gch)
			if _, err := os.Stat(abs(g.c.dir, cand)); err == nil {
				break
			}
		}
	}
}

func under(path, dir string) (string, bool) {
	return underClean(filepath.Clean(path), filepath.Clean(dir))
}

// underClean is under for paths already clean.
func underClean(path, dir string) (string, bool) {
	if dir == "." {
		return path, !filepath.IsAbs(path) && !strings.HasPrefix(path, "..")
	}
	if strings.HasPrefix(path, dir+"/") {
		return path[len(dir)+1:], true
	}
	return "", false
}

// maxWalk bounds the system headers followed for one compile.
const maxWalk = 5000

// systemHeaders: with -MMD the depfile leaves out the headers found in
// system directories, and a record must still see them change (a package
// upgrade). They are found by following the includes of every file read,
// the way the preprocessor searches, without evaluating #if: a header
// that a condition skips is one input more, never one less. Each system
// header found is hashed, scanned and followed in turn. What a computed
// #include inside a system header reads cannot be followed.
func (g *guards) systemHeaders() {
	if !g.foreignSystemDirs() {
		return // the compiler's own headers: its identity covers them
	}
	listed := map[string]bool{}
	for _, d := range g.deps {
		listed[filepath.Clean(abs(g.c.dir, d))] = true
	}
	queue := slices.Sorted(maps.Keys(g.scans))
	read := len(queue) // the files the depfile lists; the rest are followed
	for n := 0; n < len(queue) && n < maxWalk; n++ {
		sf, ok := g.scans[queue[n]]
		if !ok {
			continue
		}
		for _, inc := range sf.Includes {
			if !inc.Next && g.depfileHas(inc.Name) {
				continue // the depfile lists a file of that name: no system header
			}
			path := g.resolve(queue[n], inc)
			if path == "" || listed[filepath.Clean(abs(g.c.dir, path))] {
				continue
			}
			if n < read && !g.inSystemDir(path) {
				// A user header the depfile does not list was not read
				// (a condition skipped it); what a system header
				// includes is left out wherever it lies.
				continue
			}
			listed[filepath.Clean(abs(g.c.dir, path))] = true
			sc := g.c.scanner(path).(*fileScan)
			st, _, err := stable.ScanFile(abs(g.c.dir, path), sc)
			if err != nil {
				continue
			}
			st.Path = path
			g.found.States = append(g.found.States, st)
			g.scans[path] = sc.facts
			g.followed = append(g.followed, path)
			queue = append(queue, path)
		}
	}
	if len(queue) >= maxWalk {
		g.noRecord("more system headers than a record follows")
	}
	if g.computedMayRead() {
		g.noRecord("a computed #include may read a system header the -MMD depfile leaves out")
	}
}

// inSystemDir says whether path lies in a system include directory.
func (g *guards) inSystemDir(path string) bool {
	for _, d := range append(slices.Clone(g.c.p.sysDirs), g.systemDirs()...) {
		if _, ok := under(abs(g.c.dir, path), abs(g.c.dir, d)); ok {
			return true
		}
	}
	return false
}

// computedMayRead says whether a computed #include may have read a file:
// its macro is defined on the command line or by a #define in a file the
// compile read. A macro defined nowhere means a condition skipped the
// include (git's sha1dc headers: #ifdef X / #include X / #endif).
func (g *guards) computedMayRead() bool {
	var macros []string
	for _, sf := range g.scans {
		if !sf.Computed {
			continue
		}
		if len(sf.ComputedMacros) == 0 || slices.Contains(sf.ComputedMacros, "") {
			return true
		}
		macros = append(macros, sf.ComputedMacros...)
	}
	if len(macros) == 0 {
		return false
	}
	for _, m := range macros {
		if slices.Contains(g.c.p.defines, m) {
			return true
		}
	}
	defines := definesAny(macros)
	for path := range g.scans {
		b, err := os.ReadFile(abs(g.c.dir, path))
		if err != nil || defines.Match(b) {
			return true
		}
	}
	return false
}

// definesAny matches a #define of any of names (in a comment too: one
// more reason to keep no record, never one less); compiled once per
// compile, matched against each file read.
func definesAny(names []string) *regexp.Regexp {
	quoted := make([]string, len(names))
	for i, n := range names {
		quoted[i] = regexp.QuoteMeta(n)
	}
	return regexp.MustCompile(`(?m)^[ \t]*(#|%:)[ \t]*define[ \t]+(` + strings.Join(quoted, "|") + `)\b`)
}

// foreignSystemDirs says whether a system directory searched lies outside
// the compiler's own headers, which the compiler's identity covers (the
// kernel's -nostdinc -isystem $(cc -print-file-name=include) has none).
func (g *guards) foreignSystemDirs() bool {
	own := ""
	if g.c.facts != nil && g.c.facts.OwnInclude != "" {
		own = filepath.Dir(g.c.facts.OwnInclude)
	}
	for _, d := range append(slices.Clone(g.c.p.sysDirs), g.systemDirs()...) {
		if _, ok := under(abs(g.c.dir, d), own); own == "" || !ok {
			return true
		}
	}
	return false
}

// depfileHas says whether the depfile lists a file an include of name
// may have found.
func (g *guards) depfileHas(name string) bool {
	if g.names == nil {
		g.names = map[string]bool{}
		for _, d := range g.deps {
			for p := filepath.Clean(d); ; {
				g.names[p] = true
				i := strings.IndexByte(p, '/')
				if i < 0 {
					break
				}
				p = p[i+1:]
			}
		}
	}
	return g.names[filepath.Clean(name)]
}

// includerEntry is the search entry an #include_next's includer was found
// in: the one holding it under the very name it includes (n.h's
// #include_next <n.h>), else the first that holds it at all; -1 for none.
func includerEntry(search []string, in, name string) int {
	for k, sd := range search {
		if filepath.Clean(filepath.Join(sd, name)) == filepath.Clean(in) {
			return k
		}
	}
	for k, sd := range search {
		if _, ok := under(in, sd); ok {
			return k
		}
	}
	return -1
}

// resolve finds the file an include of file in names, as the preprocessor
// searches; "" when none exists.
func (g *guards) resolve(in string, inc Include) string {
	cands := g.candidates(in, inc)
	if inc.Next {
		// #include_next: the search goes on after the directory the
		// includer was found in.
		search := g.search()
		if k := includerEntry(search, in, inc.Name); k >= 0 {
			cands = nil
			for _, d := range search[k+1:] {
				cands = append(cands, filepath.Join(d, inc.Name))
			}
		}
	}
	for _, c := range cands {
		// Most candidates are missing: the directory listings read once
		// answer those without a stat each.
		if !g.exists(c) {
			continue
		}
		if fi, err := os.Stat(abs(g.c.dir, c)); err == nil && fi.Mode().IsRegular() {
			return c
		}
	}
	return ""
}
