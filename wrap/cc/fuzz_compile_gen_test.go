package cc

import (
	"fmt"
	"maps"
	"os"
	"slices"
	"strings"
)

// The generator of FuzzCompileLikeBare: from the fuzzer's bytes, a source
// tree, a compile command line and a sequence of changes between builds.
// Every decision reads one byte (its value modulo the number of choices);
// once the bytes run out, decisions come from a pseudo-random sequence
// seeded by them, so that every input is a whole scenario and each byte
// the fuzzer mutates flips one decision. Seeds are written by name
// (ccSeed): the generator then answers each decision from a map and
// records the byte that gives that answer.

// ccChoices hands out decisions.
type ccChoices struct {
	b    []byte
	i    int
	enc  map[string]int // encoding a seed: the answers by name (0 when absent)
	out  []byte         // encoding: the bytes that give these answers
	used map[string]bool

	seeded bool
	state  uint64
}

// n decides among k choices; name identifies the decision in a seed.
func (c *ccChoices) n(name string, k int) int {
	if k <= 1 {
		return 0
	}
	if k > 256 {
		panic("ccChoices: more than 256 choices")
	}
	if c.enc != nil {
		v := c.enc[name]
		if v < 0 || v >= k {
			panic(fmt.Sprintf("seed: %s=%d is not among %d choices", name, v, k))
		}
		c.used[name] = true
		c.out = append(c.out, byte(v))
		return v
	}
	if c.i >= len(c.b) {
		return int(c.more() % uint64(k))
	}
	v := int(c.b[c.i]) % k
	c.i++
	return v
}

// more continues past the fuzzer's bytes with a generator seeded by them
// (splitmix64): every input is a whole scenario, the bytes the fuzzer
// mutates steer its first decisions.
func (c *ccChoices) more() uint64 {
	if !c.seeded {
		c.state = 0x9e3779b97f4a7c15
		for _, b := range c.b {
			c.state = (c.state ^ uint64(b)) * 0x100000001b3
		}
		c.seeded = true
	}
	c.state += 0x9e3779b97f4a7c15
	z := c.state
	z = (z ^ z>>30) * 0xbf58476d1ce4e5b9
	z = (z ^ z>>27) * 0x94d049bb133111eb
	return z ^ z>>31
}

// yes is true one time in k (the answer 1).
func (c *ccChoices) yes(name string, k int) bool { return c.n(name, k) == 1 }

// ccSeed encodes the named answers as fuzzer bytes.
func ccSeed(answers map[string]int) []byte {
	c := &ccChoices{enc: answers, used: map[string]bool{}}
	genCCScenario(c)
	for name := range answers {
		if !c.used[name] {
			panic("seed: decision " + name + " was never asked")
		}
	}
	return c.out
}

// ccScenario is one generated test: a tree, a command line, changes.
type ccScenario struct {
	cc      string   // "gcc" or "clang", as the command line names it
	args    []string // after the compiler
	env     []string // NAME=value for both runs (CPATH, SOURCE_DATE_EPOCH)
	dirs    []string
	files   map[string]string
	links   map[string]string // symlinks: path -> target
	changes []ccChange
}

// ccChange is one change between builds: operations on both trees.
type ccChange struct {
	what string
	ops  []ccOp
}

// ccOp is one operation of a change.
type ccOp struct {
	// 'w' write in place, 'n' write a new file over it (rename), 't'
	// touch, 'r' remove, 'd' mkdir, 'D' remove every depfile, 'e' set a
	// variable, 'm' make every output mode 0600, 'j' overwrite an output
	// (".d": every depfile) if it exists, 'H' give every output another
	// hard link (X.hl), 'L' move every output to X.real and make X a
	// symlink to it
	kind byte
	path string
	data string
}

func (s *ccScenario) String() string {
	var b strings.Builder
	fmt.Fprintf(&b, "command: %s %s\n", s.cc, shellQuote(s.args))
	if len(s.env) > 0 {
		fmt.Fprintf(&b, "env: %s\n", strings.Join(s.env, " "))
	}
	for _, name := range slices.Sorted(maps.Keys(s.links)) {
		fmt.Fprintf(&b, "--- %s -> %s\n", name, s.links[name])
	}
	for _, name := range slices.Sorted(maps.Keys(s.files)) {
		fmt.Fprintf(&b, "--- %s\n%s", name, s.files[name])
		if !strings.HasSuffix(s.files[name], "\n") {
			b.WriteString("\\ (no newline)\n")
		}
	}
	for i, c := range s.changes {
		fmt.Fprintf(&b, "change %d: %s\n", i+1, c.what)
		for _, op := range c.ops {
			switch op.kind {
			case 'w', 'n':
				fmt.Fprintf(&b, "  %c %s: %q\n", op.kind, op.path, op.data)
			case 'e':
				fmt.Fprintf(&b, "  env %s=%s\n", op.path, op.data)
			default:
				fmt.Fprintf(&b, "  %c %s\n", op.kind, op.path)
			}
		}
	}
	return b.String()
}

func shellQuote(args []string) string {
	q := make([]string, len(args))
	for i, a := range args {
		if a == "" || strings.ContainsAny(a, " $'\"\\*?()") {
			q[i] = "'" + strings.ReplaceAll(a, "'", `'\''`) + "'"
		} else {
			q[i] = a
		}
	}
	return strings.Join(q, " ")
}

// ccGen is the generator's state.
type ccGen struct {
	c  *ccChoices
	sc *ccScenario

	asm      bool   // the source is assembler with cpp (.S)
	srcDir   string // the source's directory
	src      string
	quote    []string // -iquote directories
	inc      []string // -I
	cpath    []string // CPATH
	system   []string // -isystem
	cinc     []string // C_INCLUDE_PATH
	after    []string // -idirafter
	asmInc   []string // -Wa,-I
	headers  []string // include names in use (a.h, b.h, ...), for changes
	homes    map[string]string
	chains   map[string][]string
	object   string // the output the command line names, "" for stdout
	depNames bool   // the command line asks for a depfile
	rsp      []string
	vals     int // a counter for new values
	mainExpr []string
	warnLine string // the source's line that gets a warning with -Wall
	mainIncs []string
	warn     int
	bin      int        // where .incbin is: 0 nowhere, 1 the source, 2 a.h, 3 b.h
	binName  string     // the .incbin operand
	binHome  string     // the directory that holds it
	asmGroup []ccGroup  // -Wa,-I / -Xassembler options
	incS     string     // the file .include names (.S), its path
	mmd      bool       // -MMD: the depfile leaves system headers out
	rspFiles []string   // response files, the outer first
	rspWords [][]string // their words
}

// ccWork stands for the absolute path of the tree while it builds.
const ccWork = "@W@"

// ccAllDirs are the directories every tree has, searched or not.
var ccAllDirs = []string{".", "src", "q", "inc1", "inc2", "sys", "aft", "cpath", "asm", "out"}

// ccAvoid steers the generator away from the constructs of wrapper bugs
// already reported, so that a fuzzing run can look for others until they
// are fixed: FUZZCC_AVOID=rsp keeps options the wrapper reads from the
// command line as written (search directories, -g, -E, -W, -std) out of
// response files; wpmt keeps clang's -Wp,-MD from -Wp,-MT and -Wp,-MQ;
// mmdsys keeps changes from shadowing a header of a system directory
// under -MMD, and the -include'd header out of those directories; pre
// keeps changes from shadowing the -include'd header; long keeps gcc's long
// spellings (--include-directory=) away; waclang keeps headers out of the
// directory clang's -Wa,-I names; mode keeps outputs' modes as the
// compilers give them; next keeps #include_next from a source in the
// working directory; links keeps outputs from being linked; computed keeps #include MACRO from naming a header
// of a system directory.
func ccAvoid(what, group string) bool {
	if !slices.Contains(strings.Split(os.Getenv("FUZZCC_AVOID"), ","), what) {
		return false
	}
	switch what {
	case "rsp":
		return !slices.Contains([]string{"D", "O", "f", "out", "dep", "mt"}, group)
	}
	return true
}

func genCCScenario(c *ccChoices) *ccScenario {
	g := &ccGen{c: c, homes: map[string]string{}, chains: map[string][]string{}, sc: &ccScenario{files: map[string]string{}}}
	g.gen()
	return g.sc
}

func (g *ccGen) gen() {
	c, sc := g.c, g.sc
	sc.cc = []string{"gcc", "clang"}[c.n("cc", 2)]
	g.asm = c.n("lang", 5) == 4
	g.srcDir = []string{"src", "."}[c.n("srcdir", 2)]
	ext := ".c"
	if g.asm {
		ext = ".S"
	}
	g.src = pathJoin(g.srcDir, "main"+ext)
	sc.dirs = slices.Clone(ccAllDirs[1:])

	// Include search.
	var groups []ccGroup
	g.inc = [][]string{{"inc1", "inc2"}, {"inc2"}, {"inc2", "inc1"}, {}, {"inc1"}}[c.n("idirs", 5)]
	for _, d := range g.inc {
		var w []string
		form := c.n("iform."+d, 7)
		if form == 4 && ccAvoid("long", "") {
			form = 0
		}
		switch form {
		case 0:
			w = []string{"-I" + d}
		case 1:
			w = []string{"-I", d}
		case 2:
			w = []string{"-I./" + d}
		case 3:
			w = []string{"-I" + d + "/"}
		case 4:
			w = []string{"--include-directory=" + d}
		case 5:
			w = []string{"-I" + ccWork + "/" + d} // absolute
		case 6:
			w = []string{"-Iout/../" + d}
		}
		groups = append(groups, ccGroup{name: "I." + d, words: w})
	}
	if c.yes("iquote", 3) {
		g.quote = []string{"q"}
		groups = append(groups, ccGroup{name: "iquote", words: [][]string{{"-iquote", "q"}, {"-iquoteq"}}[c.n("iquote.form", 2)]})
	}
	if c.yes("isystem", 3) {
		// Also a directory given with -I: the compilers then drop the -I.
		d := []string{"sys", "sys", "inc1", "inc2"}[c.n("isystem.dir", 4)]
		g.system = []string{d}
		g.inc = slices.DeleteFunc(slices.Clone(g.inc), func(i string) bool { return i == d })
		groups = append(groups, ccGroup{name: "isystem", words: [][]string{{"-isystem", d}, {"-isystem" + d}}[c.n("isystem.form", 2)]})
	}
	if c.yes("idirafter", 3) {
		g.after = []string{"aft"}
		w := []string{"-idirafter", "aft"}
		if c.yes("idirafter.form", 3) && !ccAvoid("long", "") {
			w = []string{"--include-directory-after=aft"}
		}
		groups = append(groups, ccGroup{name: "idirafter", words: w})
	}
	if c.yes("cpath", 6) {
		switch c.n("cpath.var", 3) {
		case 0:
			g.cpath = []string{"cpath"}
			sc.env = append(sc.env, "CPATH=cpath")
		case 1: // searched as a system directory, after -isystem
			g.cinc = []string{"cpath"}
			sc.env = append(sc.env, "C_INCLUDE_PATH=cpath")
		case 2: // an empty element is the working directory
			g.cpath = []string{".", "cpath"}
			sc.env = append(sc.env, "CPATH=:cpath")
		}
	}

	// Headers, each in a directory the compiler finds it in (mostly).
	g.genHeaders()

	// The source.
	if g.asm {
		g.genAsmSource()
	} else {
		g.genCSource()
	}

	// Options.
	groups = append(groups, g.genOptions()...)
	g.assemble(groups)
	g.genChanges()
}

// ccGroup is a group of words kept together on the command line.
type ccGroup struct {
	name  string
	words []string
	out   bool // names an output: rarely in a response file
}

func pathJoin(dir, name string) string {
	if dir == "." || dir == "" {
		return name
	}
	return dir + "/" + name
}

// quoteChain is where #include "name" in a file of dir looks, in order.
func (g *ccGen) quoteChain(dir string) []string {
	return slices.Concat([]string{dir}, g.quote, g.inc, g.cpath, g.system, g.cinc, g.after)
}

func (g *ccGen) angleChain() []string {
	return slices.Concat(g.inc, g.cpath, g.system, g.cinc, g.after)
}

func (g *ccGen) pick(name string, dirs []string) string {
	if len(dirs) == 0 {
		return "inc2" // searched nowhere: the compile fails
	}
	return dirs[g.c.n(name, len(dirs))]
}

func (g *ccGen) value() int {
	g.vals++
	return g.vals
}

// header writes a header at its home and remembers it, with the
// directories an include of it searches (in order).
func (g *ccGen) header(name, home string, chain []string, text string) {
	g.homes[name] = home
	g.chains[name] = chain
	g.headers = append(g.headers, name)
	g.sc.files[pathJoin(home, name)] = text
}

// cOnly wraps C text so that an assembler source may include the header.
func cOnly(s string) string { return "#ifndef __ASSEMBLER__\n" + s + "#endif\n" }

func (g *ccGen) genHeaders() {
	c := g.c
	var mainIncs []string
	// once.h, guarded, included twice.
	qc := g.quoteChain(g.srcDir)
	switch c.n("once", 3) {
	case 1:
		g.header("once.h", g.pick("once.home", qc), qc,
			"#pragma once\n/* once.h */\n#define ONCE_VAL 3\n"+cOnly("struct once_s { int v; };\n"))
		mainIncs = append(mainIncs, `#include "once.h"`)
		g.mainExpr = append(g.mainExpr, "ONCE_VAL")
	case 2:
		g.header("once.h", g.pick("once.home", qc), qc,
			"#ifndef ONCE_H\n#define ONCE_H\n// once.h\n#define ONCE_VAL 3\n"+cOnly("struct once_s { int v; };\n")+"#endif\n")
		mainIncs = append(mainIncs, `#include "once.h"`)
		g.mainExpr = append(g.mainExpr, "ONCE_VAL")
	}
	warn := c.n("warn", 4) // 1: an unused variable in the source, 2: #warning in a.h, 3: both
	bin := 0
	if !g.asm {
		bin = c.n("bin", 4) // 1: .incbin in the source, 2: in a.h, 3: in b.h
	} else if c.n("bin", 3) != 0 {
		bin = 1
	}
	if c.n("a", 4) != 3 {
		home := g.pick("a.home", qc)
		text := "/* a.h: quoted */\n#define A_VAL 1\n"
		if c.yes("a.has", 4) {
			g.chains["opt.h"] = g.quoteChain(home)
			// __has_include relative to the header's own directory.
			text += "#if __has_include(\"opt.h\")\n#include \"opt.h\"\n#endif\n"
		}
		if warn >= 2 {
			text += "#warning \"a.h says hello\"\n"
		}
		if bin == 2 {
			text += g.incbinC()
		}
		g.header("a.h", home, qc, text)
		if c.yes("a.computed", 4) && !(ccAvoid("computed", "") && slices.Contains(slices.Concat(g.system, g.cinc, g.after), home)) {
			mainIncs = append(mainIncs, "#define A_HEADER \"a.h\"\n#include A_HEADER")
		} else {
			mainIncs = append(mainIncs, `#include "a.h"`)
		}
		g.mainExpr = append(g.mainExpr, "A_VAL")
	}
	if c.n("b", 4) != 3 {
		home := g.pick("b.home", g.angleChain())
		text := "// b.h: angle\n"
		switch c.n("b2", 3) {
		case 0: // beside b.h, found relative to it
			text += "#include \"b2.h\"\n"
			g.header("b2.h", home, g.quoteChain(home), "#define B2_VAL 5\n")
		case 1: // found through the search chain, not beside b.h
			var chain []string
			for _, d := range g.quoteChain(home)[1:] {
				if d != home {
					chain = append(chain, d)
				}
			}
			text += "#include \"b2.h\"\n"
			if len(chain) == 0 {
				chain = []string{home}
			}
			g.header("b2.h", g.pick("b2.home", chain), g.quoteChain(home), "#define B2_VAL 6\n")
		case 2: // in a subdirectory of b.h's
			text += "#include \"sub/b2.h\"\n"
			b2 := "/* sub */\n#include \"../b3.h\"\n#define B2_VAL (7 + B3_VAL)\n"
			if !strings.Contains(home, "/") && home != "." && c.yes("sublink", 3) {
				// sub is a symlink to deep/sub: its "../b3.h" is
				// deep/b3.h, not the b3.h beside b.h (a decoy, maybe).
				g.sc.dirs = append(g.sc.dirs, "deep/sub")
				g.sc.links = map[string]string{pathJoin(home, "sub"): "../deep/sub"}
				g.homes["sub/b2.h"], g.chains["sub/b2.h"] = home, g.quoteChain(home)
				g.headers = append(g.headers, "sub/b2.h")
				g.sc.files["deep/sub/b2.h"] = b2
				g.sc.files["deep/b3.h"] = "#define B3_VAL 1\n"
				if c.yes("sublink.decoy", 2) {
					g.sc.files[pathJoin(home, "b3.h")] = "#define B3_VAL 2\n"
				}
				break
			}
			g.sc.dirs = append(g.sc.dirs, pathJoin(home, "sub"))
			g.header("sub/b2.h", home, g.quoteChain(home), b2)
			g.header("b3.h", home, []string{home}, "#define B3_VAL 1\n")
		}
		text += "#define B_VAL (B2_VAL + 2)\n"
		if bin == 3 {
			text += g.incbinC()
		}
		g.header("b.h", home, g.angleChain(), text)
		mainIncs = append(mainIncs, `#include <b.h>`)
		g.mainExpr = append(g.mainExpr, "B_VAL")
	}
	if ac := slices.Compact(g.angleChain()); len(ac) >= 2 && c.yes("next", 4) && !(ccAvoid("next", "") && g.srcDir == ".") {
		// n.h in the first angle directory goes on to the next n.h.
		j := 1 + c.n("next.home", len(ac)-1)
		g.sc.files[pathJoin(ac[0], "n.h")] = "/* n.h: the first */\n#include_next <n.h>\n#define N1_VAL 1\n"
		g.header("n.h", ac[j], ac[1:], "/* n.h: the next */\n#define N_VAL 2\n")
		mainIncs = append(mainIncs, `#include <n.h>`)
		g.mainExpr = append(g.mainExpr, "N_VAL", "N1_VAL")
	}
	if len(mainIncs) > 0 && g.homes["once.h"] != "" {
		mainIncs = append(mainIncs, `#include "once.h"`)
	}
	optChain := g.chains["opt.h"] // a.h's own __has_include
	switch c.n("has", 4) {
	case 1:
		optChain = append(optChain, qc...)
		mainIncs = append(mainIncs, "#if __has_include(\"opt.h\")\n#include \"opt.h\"\n#endif")
	case 2:
		optChain = append(optChain, g.angleChain()...)
		mainIncs = append(mainIncs, "#if defined __has_include\n#if __has_include(<opt.h>)\n#include <opt.h>\n#endif\n#endif")
	case 3:
		optChain = slices.Concat(optChain, qc, g.angleChain())
		mainIncs = append(mainIncs, "#if __has_include(\"opt.h\") && __has_include(<opt.h>)\n#include <opt.h>\n#endif")
	}
	g.chains["opt.h"] = optChain
	if c.yes("opt", 3) {
		g.homes["opt.h"] = g.pick("opt.home", ccAllDirs)
		g.sc.files[pathJoin(g.homes["opt.h"], "opt.h")] = "#define OPT_VAL 9\n"
	}
	g.headers = append(g.headers, "opt.h")
	if !g.asm && c.yes("date", 12) {
		g.header("date.h", g.pick("date.home", qc), qc, cOnly("const char build_date[] = __DATE__;\n"))
		mainIncs = append(mainIncs, `#include "date.h"`)
		if c.yes("sde", 2) {
			g.sc.env = append(g.sc.env, "SOURCE_DATE_EPOCH=1700000000")
		}
	}
	g.mainIncs = mainIncs
	g.warn = warn
	g.bin = bin
}

// binSetup places the file .incbin reads, and the assembler options that
// find it, once.
func (g *ccGen) binSetup() {
	if g.binName != "" {
		return
	}
	c := g.c
	locs := slices.Concat([]string{".", "asm"}, g.inc)
	if g.sc.cc == "clang" && !g.asm {
		// clang assembles inline asm with the compiler's directories.
		locs = slices.Concat(locs, g.quote, g.system, g.cpath)
	}
	g.binHome = locs[c.n("bin.loc", len(locs))]
	g.binName = []string{"data.bin", "blob/data.bin"}[c.n("bin.name", 2)]
	if strings.Contains(g.binName, "/") {
		g.sc.dirs = append(g.sc.dirs, pathJoin(g.binHome, "blob"))
	}
	g.sc.files[pathJoin(g.binHome, g.binName)] = ccBinData(c.n("bin.data", 4), 0)
	g.asmOptions(g.binHome == "asm")
}

// asmOptions gives the assembler the asm directory (when must, or now and
// then).
func (g *ccGen) asmOptions(must bool) {
	if g.asmGroup != nil || !must && !g.c.yes("wa", 4) {
		return
	}
	g.asmInc = []string{"asm"}
	w := [][]string{{"-Wa,-I,asm"}, {"-Wa,-Iasm"}, {"-Xassembler", "-Iasm"}, {"-Xassembler", "-I", "-Xassembler", "asm"},
		{"-Wa,-I," + ccWork + "/asm"}}[g.c.n("wa.form", 5)]
	g.asmGroup = []ccGroup{{name: "wa", words: w}}
}

// ccBinData is the content of data.bin: size class k, version v.
func ccBinData(k, v int) string {
	n := []int{8, 16, 3, 0}[k%4]
	var b strings.Builder
	for i := 0; i < n; i++ {
		b.WriteByte(byte('A' + (i+v)%26))
	}
	return b.String()
}

// incbinC is C text whose inline asm embeds the data file.
func (g *ccGen) incbinC() string {
	g.binSetup()
	return cOnly("asm(\".pushsection .rodata.blob,\\\"a\\\"\\n\\t.incbin \\\"" + g.binName + "\\\"\\n\\t.popsection\");\n")
}

// ccDefaults are macros the source uses that options or optional headers
// define.
var ccDefaults = []string{"OPT_VAL", "FOO_VAL", "RSP_VAL", "PRE_VAL"}

func (g *ccGen) defaults(b *strings.Builder) {
	for _, m := range ccDefaults {
		fmt.Fprintf(b, "#ifndef %s\n#define %s 0\n#endif\n", m, m)
	}
}

func (g *ccGen) genCSource() {
	var b strings.Builder
	b.WriteString("/* main.c: the source */\n")
	for _, inc := range g.mainIncs {
		b.WriteString(inc + "\n")
	}
	g.defaults(&b)
	expr := strings.Join(append(slices.Clone(g.mainExpr), ccDefaults...), " + ")
	b.WriteString("int main_val(void)\n{\n\treturn " + expr + "; // the sum\n}\n")
	if g.warn == 1 || g.warn == 3 {
		g.warnLine = "int warned(void) { int unused_local; return 0; }"
		b.WriteString(g.warnLine + "\n")
	}
	if g.bin == 1 {
		b.WriteString(g.incbinC())
	}
	b.WriteString("// the end\n")
	g.sc.files[g.src] = b.String()
}

func (g *ccGen) genAsmSource() {
	var b strings.Builder
	b.WriteString("/* main.S: the source */\n")
	for _, inc := range g.mainIncs {
		b.WriteString(inc + "\n")
	}
	g.defaults(&b)
	expr := strings.Join(append(slices.Clone(g.mainExpr), ccDefaults...), " + ")
	b.WriteString("\t.section .rodata.s,\"a\"\n\t.long " + expr + " /* the sum */\n")
	if g.bin == 1 {
		g.binSetup()
		b.WriteString("\t.incbin \"" + g.binName + "\"\n")
	}
	if g.c.yes("incs", 2) {
		g.asmOptions(false)
		locs := slices.Concat([]string{"."}, g.asmInc, g.inc)
		g.incS = pathJoin(locs[g.c.n("incs.loc", len(locs))], "inc.s")
		g.sc.files[g.incS] = "\t.long 0x1234\n"
		b.WriteString("\t.include \"inc.s\"\n")
	}
	b.WriteString("/* the end */\n")
	g.sc.files[g.src] = b.String()
}

// genOptions chooses every option but the include directories.
func (g *ccGen) genOptions() []ccGroup {
	c := g.c
	var gs []ccGroup
	add := func(name string, out bool, words ...string) {
		gs = append(gs, ccGroup{name: name, words: words, out: out})
	}
	mode := []string{"-c", "-c", "-c", "-c", "-c", "-c", "-S", "-E"}[c.n("mode", 8)]
	ext := map[string]string{"-c": ".o", "-S": ".s", "-E": ".i"}[mode]
	add("mode", false, mode)
	if mode == "-E" && c.yes("E.C", 3) {
		add("C", false, "-C") // comments kept in the output
	}
	switch c.n("out", 7) {
	case 0:
		if mode != "-E" {
			g.object = "main" + ext
		}
	case 1:
		g.object = "out/main" + ext
		add("out", true, "-o", g.object)
	case 2:
		g.object = "out/main" + ext
		add("out", true, "-o"+g.object)
	case 3:
		g.object = "out/main" + ext
		add("out", true, "--output="+g.object)
	case 4:
		g.object = "main" + ext
		add("out", true, "-o", g.object)
	case 5:
		g.object = "out/main" + ext
		add("out", true, "--output", g.object)
	case 6:
		g.object = "out/main" + ext
		add("out", true, "-o", ccWork+"/"+g.object)
	}
	mf := func(file string) []string {
		if c.yes("mf.form", 2) {
			return []string{"-MF" + file}
		}
		return []string{"-MF", file}
	}
	dep := c.n("dep", 8)
	wp := dep == 5 || dep == 6
	g.mmd = dep == 2 || dep == 4 || dep == 6
	switch dep {
	case 1:
		add("dep", true, "-MD")
	case 2:
		add("dep", true, "-MMD")
	case 3:
		add("dep", true, append([]string{"-MD"}, mf("out/main.d")...)...)
	case 4:
		add("dep", true, append([]string{"-MMD"}, mf("dep.d")...)...)
	case 5:
		add("dep", true, "-Wp,-MD,out/.main.d")
	case 6:
		add("dep", true, "-Wp,-MMD,out/.main.d")
	case 7:
		long := c.n("dep.long", 2)
		g.mmd = long == 1
		add("dep", true, []string{"--write-dependencies", "--write-user-dependencies"}[long])
	}
	if dep != 0 {
		mt := c.n("mt", 5)
		if wp && g.sc.cc == "clang" && (mt == 1 || mt == 2) && ccAvoid("wpmt", "") {
			mt = 0
		}
		switch mt {
		case 1:
			if wp {
				add("mt", false, "-Wp,-MT,out/custom.o")
			} else {
				add("mt", false, "-MT", "out/custom.o")
			}
		case 2:
			if wp {
				add("mt", false, "-Wp,-MQ,$(obj)/main.o")
			} else {
				add("mt", false, "-MQ", "$(obj)/main.o")
			}
		case 3:
			add("mt", false, "-MP")
		case 4:
			add("mt", false, "-MT", "a.o", "-MT", "b.o")
		}
	}
	if o := c.n("O", 4); o > 0 {
		add("O", false, []string{"", "-O0", "-O2", "-Os"}[o])
	}
	switch c.n("g", 7) {
	case 1:
		add("g", false, "-g")
	case 2:
		add("g", false, "-g0")
	case 3:
		add("g", false, "-gdwarf-4")
	case 4:
		add("g", false, "-g", "-gdwarf-4")
	case 5:
		add("g", false, "-g3")
	case 6:
		add("g", false, "-g", "-gdwarf-5")
	}
	switch c.n("W", 5) {
	case 1:
		add("W", false, "-Wall")
	case 2:
		add("W", false, "-Wall", "-Wextra")
	case 3:
		add("W", false, "-w")
	case 4:
		add("W", false, "-Wall", "-Werror")
	}
	switch c.n("D", 4) {
	case 1:
		add("D", false, "-DFOO_VAL=2")
	case 2:
		add("D", false, "-D", "FOO_VAL=3")
	case 3:
		add("D", false, "-DFOO_VAL=4", "-UFOO_VAL")
	}
	if !g.asm {
		switch c.n("std", 6) {
		case 4:
			add("std", false, "-std=gnu11")
		case 5:
			add("std", false, "-std=c99")
		}
	}
	switch c.n("f", 4) {
	case 1:
		add("f", false, "-fPIC")
	case 2:
		add("f", false, "-ffunction-sections")
	case 3:
		add("f", false, "-fno-asynchronous-unwind-tables")
	}
	if c.yes("pre", 4) {
		chain := slices.Concat([]string{"."}, g.quote, g.inc, g.cpath, g.system, g.cinc, g.after)
		pickFrom := chain
		if ccAvoid("mmdsys", "") && g.mmd {
			pickFrom = slices.Concat([]string{"."}, g.quote, g.inc, g.cpath)
		}
		home := g.pick("pre.home", pickFrom)
		g.header("pre.h", home, chain, "/* pre.h: -include */\n#define PRE_VAL 4\n")
		if c.yes("pre.form", 3) && !ccAvoid("long", "") {
			add("pre", false, "--include=pre.h")
		} else {
			add("pre", false, "-include", "pre.h")
		}
	}
	// Options the wrapper runs as written, passes through, or keeps no
	// record for.
	switch c.n("special", 20) {
	case 12:
		add("special", false, "-gsplit-dwarf")
	case 13:
		add("special", false, "-frecord-gcc-switches")
	case 14:
		add("special", false, "-save-temps")
	case 15:
		add("special", false, "-save-temps=obj")
	case 16:
		add("special", false, "-fstack-usage")
	case 17:
		add("special", false, "-fsyntax-only")
	case 18:
		if g.sc.cc == "clang" {
			add("special", false, "-Xclang", "-fno-color-diagnostics")
		} else {
			add("special", false, "-fdump-tree-original")
		}
	case 19:
		add("special", false, "-grecord-gcc-switches")
	}
	if g.asmGroup == nil {
		g.asmOptions(false)
	}
	gs = append(gs, g.asmGroup...)
	return gs
}

// assemble orders the groups, puts some in response files, and places the
// source.
func (g *ccGen) assemble(groups []ccGroup) {
	c, sc := g.c, g.sc
	rsp := c.n("rsp", 4)
	var line []ccGroup
	var outer, inner []string
	if rsp == 1 || rsp == 2 {
		outer = append(outer, "-DRSP_VAL=1")
	}
	for _, gr := range groups {
		k := 3
		if gr.out {
			k = 6
		}
		if (rsp == 1 || rsp == 2) && c.yes("inrsp."+gr.name, k) && !ccAvoid("rsp", gr.name) {
			if rsp == 2 && c.yes("inner."+gr.name, 2) {
				inner = append(inner, gr.words...)
			} else {
				outer = append(outer, gr.words...)
			}
			continue
		}
		line = append(line, gr)
	}
	src := []string{g.src}
	if c.yes("x", 4) {
		lang := "c"
		if g.asm {
			lang = "assembler-with-cpp"
		}
		if c.yes("x.joined", 2) {
			src = []string{"-x" + lang, g.src}
		} else {
			src = []string{"-x", lang, g.src}
		}
	}
	pos := len(line) - c.n("srcpos", len(line)+1)
	line = slices.Insert(line, pos, ccGroup{name: "src", words: src})
	sep := []string{" ", "\n"}[c.n("rsp.sep", 2)]
	switch rsp {
	case 1:
		g.rspFiles = []string{"args.rsp"}
		g.rspWords = [][]string{outer}
	case 2:
		g.rspFiles = []string{"rsp/opts.rsp", "rsp/more.rsp"}
		outer = append(outer, "@rsp/more.rsp")
		g.rspWords = [][]string{outer, append(inner, "-DMORE_VAL=1")}
		sc.dirs = append(sc.dirs, "rsp")
	}
	for i, f := range g.rspFiles {
		sc.files[f] = strings.Join(g.rspWords[i], sep) + "\n"
	}
	if len(g.rspFiles) > 0 {
		rpos := c.n("rsppos", len(line)+1)
		line = slices.Insert(line, rpos, ccGroup{name: "rsp", words: []string{"@" + g.rspFiles[0]}})
	}
	for _, gr := range line {
		sc.args = append(sc.args, gr.words...)
	}
}

// genChanges chooses 2 to 4 changes between builds.
func (g *ccGen) genChanges() {
	cur := maps.Clone(g.sc.files)
	n := 2 + g.c.n("changes", 3)
	for i := 0; i < n; i++ {
		g.sc.changes = append(g.sc.changes, g.change(fmt.Sprintf("change%d.", i), cur))
	}
}

// ccHeaders lists the headers of a tree, sorted.
func ccHeaders(cur map[string]string) []string {
	var hs []string
	for _, p := range slices.Sorted(maps.Keys(cur)) {
		if strings.HasSuffix(p, ".h") {
			hs = append(hs, p)
		}
	}
	return hs
}

// bumpValue gives the first NAME_VAL definition of a header the value v.
func bumpValue(text string, v int) string {
	lines := strings.SplitAfter(text, "\n")
	for i, l := range lines {
		f := strings.Fields(l)
		if len(f) == 3 && f[0] == "#define" && strings.HasSuffix(f[1], "_VAL") {
			lines[i] = fmt.Sprintf("#define %s %d\n", f[1], v)
			return strings.Join(lines, "")
		}
	}
	return text + fmt.Sprintf("#define EXTRA_VAL %d\n", v)
}

// change makes one change; cur is the tree as the changes so far left it.
func (g *ccGen) change(p string, cur map[string]string) ccChange {
	// A change that does not apply to this tree (no data file, no
	// response file) gives way to another.
	kind := g.c.n(p+"kind", 20)
	for try := 2; ; try++ {
		if ch, ok := g.changeOf(p, kind, cur); ok || try > 4 {
			return ch
		}
		kind = 1 + g.c.n(p+"kind"+fmt.Sprint(try), 19)
	}
}

// changeOf makes a change of one kind, when it applies.
func (g *ccGen) changeOf(p string, kind int, cur map[string]string) (ccChange, bool) {
	c := g.c
	write := func(what, path, data string) ccChange {
		cur[path] = data
		return ccChange{what: what, ops: []ccOp{{kind: 'w', path: path, data: data}}}
	}
	touch := func(what, path string) ccChange {
		return ccChange{what: what, ops: []ccOp{{kind: 't', path: path}}}
	}
	pickHeader := func() string {
		hs := ccHeaders(cur)
		if len(hs) == 0 {
			return ""
		}
		return hs[c.n(p+"header", len(hs))]
	}
	v := 100 + g.value()
	switch kind {
	case 1: // touch a header, or replace it by a copy
		h := pickHeader()
		if h == "" {
			break
		}
		if c.yes(p+"copy", 3) {
			return ccChange{what: "replace " + h + " by a copy", ops: []ccOp{{kind: 'n', path: h, data: cur[h]}}}, true
		}
		return touch("touch "+h, h), true
	case 2: // a comment in the source
		return write(g.commentEdit(p, g.src, cur[g.src], v)), true
	case 3: // a header's content
		h := pickHeader()
		if h == "" {
			break
		}
		text := cur[h]
		switch c.n(p+"edit", 6) {
		case 0:
			return write("new value in "+h, h, bumpValue(text, v)), true
		case 1:
			return write("comment appended to "+h, h, text+"/* edited */\n"), true
		case 2:
			return write("unused macro added to "+h, h, text+fmt.Sprintf("#define UNUSED_%d 1\n", v)), true
		case 3:
			return write("comment line inserted at the top of "+h, h, "/* top */\n"+text), true
		case 4:
			return write("a comment of "+h+" edited, same length", h, swapCase(text)), true
		case 5:
			hs := ccHeaders(cur)
			from := hs[c.n(p+"from", len(hs))]
			return write(h+" given the content of "+from, h, cur[from]), true
		}
	case 4: // a header of the same name in another directory
		if len(g.headers) == 0 {
			break
		}
		name := g.headers[c.n(p+"name", len(g.headers))]
		dir := g.shadowDir(p, name)
		orig := cur[pathJoin(g.homes[name], name)]
		if orig == "" {
			orig = "#define SHADOW_VAL 1\n"
		}
		text := orig
		if !c.yes(p+"same", 3) {
			text = bumpValue(orig, v)
		}
		path := pathJoin(dir, name)
		ch := write("header "+path+" created (shadowing?)", path, text)
		if strings.Contains(name, "/") {
			ch.ops = slices.Insert(ch.ops, 0, ccOp{kind: 'd', path: pathJoin(dir, "sub")})
		}
		return ch, true
	case 5: // data.bin's content
		if g.binName == "" {
			break
		}
		path := pathJoin(g.binHome, g.binName)
		return write("new content in "+path, path, ccBinData(c.n(p+"size", 4), v)), true
	case 6: // the file __has_include looks for
		dir := g.shadowDir(p, "opt.h")
		return write("opt.h created in "+dir, pathJoin(dir, "opt.h"), fmt.Sprintf("#define OPT_VAL %d\n", v)), true
	case 7: // fixdep deletes the depfile
		return ccChange{what: "depfiles deleted", ops: []ccOp{{kind: 'D'}}}, true
	case 8: // a response file's content
		if len(g.rspFiles) == 0 {
			break
		}
		k := c.n(p+"rspfile", len(g.rspFiles))
		f := g.rspFiles[k]
		words := slices.Clone(g.rspWords[k])
		switch c.n(p+"rspedit", 4) {
		case 0:
			words = append(words, fmt.Sprintf("-DRSP_VAL=%d", v))
		case 1:
			return write("blanks added to "+f, f, cur[f]+"\n  \n"), true
		case 2:
			words = append(words, "-O2")
		case 3:
			words = append(words, "-DUNUSED_RSP")
		}
		g.rspWords[k] = words
		return write("words added to "+f, f, strings.Join(words, " ")+"\n"), true
	case 9: // touch data.bin
		if g.binName == "" {
			break
		}
		return touch("touch data", pathJoin(g.binHome, g.binName)), true
	case 10: // the .include'd file, or the -include'd header
		if g.incS != "" {
			if c.yes(p+"incs.touch", 3) {
				return touch("touch "+g.incS, g.incS), true
			}
			return write("new content in "+g.incS, g.incS, fmt.Sprintf("\t.long %d\n", v)), true
		}
		if h := g.homes["pre.h"]; h != "" {
			path := pathJoin(h, "pre.h")
			return write("new value in "+path, path, bumpValue(cur[path], v)), true
		}
	case 11: // SOURCE_DATE_EPOCH
		if g.homes["date.h"] == "" {
			break
		}
		return ccChange{what: "SOURCE_DATE_EPOCH changed", ops: []ccOp{{kind: 'e', path: "SOURCE_DATE_EPOCH", data: fmt.Sprint(1700000000 + 86400*v)}}}, true
	case 12: // the object removed
		if g.object == "" {
			break
		}
		if c.yes(p+"outdir", 3) {
			return ccChange{what: "out/ emptied", ops: []ccOp{{kind: 'r', path: "out"}, {kind: 'd', path: "out"}}}, true
		}
		return ccChange{what: "object removed", ops: []ccOp{{kind: 'r', path: g.object}}}, true
	case 13: // a header removed
		h := pickHeader()
		if h == "" {
			break
		}
		delete(cur, h)
		return ccChange{what: "remove " + h, ops: []ccOp{{kind: 'r', path: h}}}, true
	case 14: // a directory where the assembler looks first
		if g.binName == "" && g.incS == "" {
			break
		}
		name := g.binName
		if name == "" || g.incS != "" && c.yes(p+"asmdir", 2) {
			name = "inc.s"
		}
		dir := slices.Concat([]string{"."}, g.asmInc, g.inc)[c.n(p+"asmdir.in", 1+len(g.asmInc)+len(g.inc))]
		path := pathJoin(dir, name)
		if _, ok := cur[path]; ok {
			break
		}
		return ccChange{what: "directory " + path + " created", ops: []ccOp{{kind: 'd', path: path}}}, true
	case 15: // a comment of the source edited, same length
		return write("a comment of the source edited, same length", g.src, swapCase(cur[g.src])), true
	case 16: // a header moves to another directory
		h := pickHeader()
		if h == "" {
			break
		}
		dir := ccAllDirs[c.n(p+"dir", len(ccAllDirs))]
		to := pathJoin(dir, h[strings.LastIndexByte(h, '/')+1:])
		if to == h {
			break
		}
		text := cur[h]
		delete(cur, h)
		cur[to] = text
		return ccChange{what: "move " + h + " to " + to, ops: []ccOp{{kind: 'r', path: h}, {kind: 'w', path: to, data: text}}}, true
	case 17: // the outputs' mode changed by hand
		if ccAvoid("mode", "") {
			break
		}
		return ccChange{what: "outputs made mode 0600", ops: []ccOp{{kind: 'm'}}}, true
	case 18: // an output altered behind the compiler's back
		if c.yes(p+"junk.dep", 2) {
			return ccChange{what: "depfiles overwritten", ops: []ccOp{{kind: 'j', path: ".d", data: "junk: \\\n"}}}, true
		}
		if g.object == "" {
			break
		}
		return ccChange{what: "object overwritten", ops: []ccOp{{kind: 'j', path: g.object, data: "junk\n"}}}, true
	case 19: // outputs linked: another hard link to each, or each a symlink
		if ccAvoid("links", "") {
			break
		}
		if c.yes(p+"symlink", 2) {
			return ccChange{what: "outputs made symlinks to X.real", ops: []ccOp{{kind: 'L'}}}, true
		}
		return ccChange{what: "outputs hard-linked from X.hl", ops: []ccOp{{kind: 'H'}}}, true
	}
	return ccChange{what: "nothing"}, kind == 0
}

// shadowDir is where a change puts a header of the same name: mostly a
// directory searched before the one that holds it (anywhere in its search
// when none does), else any directory.
func (g *ccGen) shadowDir(p, name string) string {
	if ccAvoid("mmdsys", "") && g.mmd && slices.Contains(slices.Concat(g.system, g.cinc, g.after), g.homes[name]) ||
		ccAvoid("pre", "") && name == "pre.h" {
		return "out"
	}
	d := g.anyShadowDir(p, name)
	if ccAvoid("waclang", "") && d == "asm" && g.sc.cc == "clang" && !g.asm {
		return "out"
	}
	return d
}

func (g *ccGen) anyShadowDir(p, name string) string {
	var earlier []string
	for _, d := range g.chains[name] {
		if d == g.homes[name] {
			break
		}
		if !slices.Contains(earlier, d) {
			earlier = append(earlier, d)
		}
	}
	if len(earlier) > 0 && g.c.n(p+"where", 4) != 0 {
		return earlier[g.c.n(p+"dir", len(earlier))]
	}
	return ccAllDirs[g.c.n(p+"dir", len(ccAllDirs))]
}

// swapCase flips the case of the first comment's letters, keeping its
// length: "/* main.c: the source */" <-> "/* MAIN.C: THE SOURCE */".
func swapCase(text string) string {
	i := strings.Index(text, "/*")
	j := strings.Index(text, "//")
	if i < 0 || j >= 0 && j < i {
		i = j
	}
	if i < 0 {
		return text + "// swapped\n"
	}
	end := strings.IndexByte(text[i:], '\n')
	if end < 0 {
		end = len(text) - i
	}
	b := []byte(text)
	for k := i + 2; k < i+end; k++ {
		switch ch := b[k]; {
		case ch >= 'a' && ch <= 'z':
			b[k] = ch - 'a' + 'A'
		case ch >= 'A' && ch <= 'Z':
			b[k] = ch - 'A' + 'a'
		}
	}
	return string(b)
}

// commentEdit adds a comment to the source.
func (g *ccGen) commentEdit(p, path, text string, v int) (string, string, string) {
	open, close := "/* ", " */"
	lineComment := !g.asm
	kind := g.c.n(p+"comment", 5)
	// What the comment says: mostly nothing a compiler reads, sometimes
	// what -Wcomment, -Wimplicit-fallthrough or a splice notice.
	note := fmt.Sprintf("note %d", v)
	if kind == 0 || kind == 1 || kind == 3 {
		switch g.c.n(p+"comment.text", 10) {
		case 6:
			note = "nested /* note"
		case 7:
			note = "FALLTHRU"
		case 8:
			note = "caf\u00e9 \u2014"
		case 9:
			if kind == 1 {
				note = "note \\"
			}
		}
	}
	switch kind {
	case 0:
		return "comment appended to " + path, path, text + "/* " + note + " */\n"
	case 1:
		if lineComment {
			return "line comment appended to " + path, path, text + "// " + note + "\n"
		}
		return "blank lines appended to " + path, path, text + "\n\n"
	case 2:
		return "comment line inserted at the top of " + path, path, fmt.Sprintf("/* top %d */\n", v) + text
	case 3:
		line := g.warnLine
		if line == "" || !strings.Contains(text, line) {
			line = "int main_val(void)"
			if g.asm {
				line = "\t.section .rodata.s,\"a\""
			}
		}
		i := strings.Index(text, line)
		if i < 0 {
			break
		}
		end := i + strings.IndexByte(text[i:], '\n')
		return "comment at the end of a line of " + path, path, text[:end] + " " + open + note + close + text[end:]
	case 4:
		return "blank lines appended to " + path, path, text + "\n\n\n"
	}
	return "comment appended to " + path, path, text + fmt.Sprintf("/* note %d */\n", v)
}
