package cc

import (
	"bytes"
	"fmt"
	"os"
	"path/filepath"
	"slices"
	"strings"

	"stable/stable"
	"stable/wrap/ar"
)

// What a record of a compile holds, learnt after the compiler ran: every
// file its depfile lists, scanned for what the depfile does not say (see
// SourceFacts), and the paths where a new file would change the compile
// (guards.go). A link's record holds what the linker read.

// finish puts the real names back into the depfile the compiler wrote and
// learns the inputs of the run.
func (c *compile) finish(temp func(string) string) (*stable.Found, error) {
	if !c.deps {
		return &stable.Found{NoRecord: "no list of what the tool read"}, nil
	}
	path := abs(c.dir, c.depPath(temp))
	data, err := os.ReadFile(path)
	if err != nil {
		return &stable.Found{NoRecord: "no depfile: " + err.Error()}, nil
	}
	if !c.p.Link && len(c.p.Direct) == 0 {
		fixed, err := FixDepfile(data, c.p, temp)
		if err != nil {
			return nil, err
		}
		if !bytes.Equal(fixed, data) {
			if err := os.WriteFile(path, fixed, 0o666); err != nil {
				return nil, fmt.Errorf("depfile %s: %w", c.p.Depfile, err)
			}
			data = fixed
		}
	}
	_, prereqs, err := ParseDepfile(data)
	if err != nil {
		return &stable.Found{NoRecord: "depfile not understood: " + err.Error()}, nil
	}
	if c.p.Link {
		return c.linked(prereqs), nil
	}
	return c.compiled(prereqs), nil
}

// linked: a link's inputs are what the linker read. A thin archive is
// read through its members, which the linker's list leaves out.
func (c *compile) linked(read []string) *stable.Found {
	f := &stable.Found{Consumes: archiveInputs(read)}
	for _, r := range read {
		f.Inputs = append(f.Inputs, r)
		if filepath.Ext(r) != ".a" {
			continue
		}
		members, thin, err := ar.ThinMembers(abs(c.dir, r))
		if err != nil {
			return &stable.Found{NoRecord: "thin archive " + r + ": " + err.Error()}
		}
		if thin {
			f.Inputs = append(f.Inputs, members...)
		}
	}
	f.Absent = c.libraryGuards(read)
	return f
}

// compiled: each input is hashed and scanned in one read; what the scans
// say becomes more inputs, guarded paths and conditions.
func (c *compile) compiled(prereqs []string) *stable.Found {
	f := &stable.Found{}
	scans := map[string]SourceFacts{}
	for _, in := range dedupe(prereqs) {
		sc := c.scanner(in).(*fileScan)
		st, _, err := stable.ScanFile(abs(c.dir, in), sc)
		if err != nil {
			return &stable.Found{NoRecord: "input " + in + ": " + err.Error()}
		}
		st.Path = in
		f.States = append(f.States, st)
		scans[in] = sc.facts
	}
	g := &guards{c: c, found: f, scans: scans, deps: prereqs}
	g.all()
	return f
}

// scanner is the scanner of one input: what the file says, and, for the
// main source, its text with comments blanked where a comment cannot
// change the compile (a comment added to a source compiles to the same
// object; one added to a header costs a compile).
func (c *compile) scanner(path string) stable.Scanner {
	asm := isAsm(path)
	if c.blind == 0 {
		c.blind = 2
		if c.codeBlind() {
			c.blind = 1
		}
	}
	code := !asm && c.blind == 1 && len(c.p.Sources) > 0 && path == c.p.Sources[0]
	return &fileScan{src: NewSourceScanner(asm), code: code}
}

// fileScan is a stable.Scanner over one input.
type fileScan struct {
	src   *SourceScanner
	code  bool
	buf   []byte
	facts SourceFacts // what the scan found, after Facts
}

func (f *fileScan) Feed(b []byte) {
	f.src.Feed(b)
	if f.code {
		f.buf = append(f.buf, b...)
	}
}

func (f *fileScan) Facts() stable.Facts {
	var d stable.Digest
	if f.code {
		if text, ok := CodeText(f.buf); ok {
			// Blanks at line ends are trimmed too: a comment edited at the
			// end of a line leaves the same digest.
			d = stable.DigestBytes(TrimLineEnds(text))
		}
	}
	f.facts = f.src.Facts()
	return stable.Facts{Code: d}
}

// codeBlind says whether comments cannot change what this compile writes,
// so that a record still holds when only a comment changed: not with -E
// (comments may be kept, line markers printed), not where the object
// carries each file's checksum (clang's DWARF 5 line tables), not where
// warnings read comments (clang's -Wdocumentation), not where // or
// trigraphs mean something else (C89, -traditional, -trigraphs).
func (c *compile) codeBlind() bool {
	p := c.p
	if c.p.Link || strings.Contains(strings.Join(p.Args, " "), " -E") {
		return false
	}
	dwarf5 := false
	for _, a := range p.Args[1:] {
		switch {
		case a == "-C" || a == "-CC" || a == "-traditional" || a == "-traditional-cpp" || a == "-trigraphs" ||
			a == "-ansi" || a == "-std=c89" || a == "-std=c90" || a == "-std=iso9899:1990" || a == "-std=iso9899:199409" ||
			a == "-Weverything" || strings.HasPrefix(a, "-Wdocumentation") || a == "-Wcomment" || a == "-Wcomments":
			return false
		case p.Family == "clang" && a == "-g0":
			dwarf5 = false
		case p.Family == "clang" && strings.HasPrefix(a, "-gdwarf-"):
			dwarf5 = a >= "-gdwarf-5"
		case p.Family == "clang" && strings.HasPrefix(a, "-g") && !strings.HasPrefix(a, "-gno-"):
			dwarf5 = true
		}
	}
	return !dwarf5
}

// isAsm tells assembler sources from C-family ones.
func isAsm(path string) bool {
	switch filepath.Ext(path) {
	case ".s", ".S", ".sx", ".asm":
		return true
	}
	return false
}

func dedupe(ss []string) []string {
	seen := map[string]bool{}
	var out []string
	for _, s := range ss {
		if !seen[s] {
			seen[s] = true
			out = append(out, s)
		}
	}
	return out
}

// libraryGuards: for each -lNAME, a library of that name appearing in a
// directory the linker searches before the one it used would change the
// link.
func (c *compile) libraryGuards(read []string) []string {
	var dirs []string
	for i, a := range c.p.Args {
		switch {
		case a == "-L" && i+1 < len(c.p.Args):
			dirs = append(dirs, c.p.Args[i+1])
		case strings.HasPrefix(a, "-L") && len(a) > 2:
			dirs = append(dirs, a[2:])
		}
	}
	if c.facts != nil {
		dirs = append(dirs, c.facts.LinkDirs...)
	}
	var out []string
	for _, a := range c.p.Args {
		name, ok := strings.CutPrefix(a, "-l")
		if !ok || name == "" {
			continue
		}
		for _, d := range dirs {
			cands := []string{filepath.Join(d, "lib"+name+".so"), filepath.Join(d, "lib"+name+".a")}
			if strings.HasPrefix(name, ":") {
				cands = []string{filepath.Join(d, name[1:])}
			}
			used := false
			for _, cand := range cands {
				if slices.ContainsFunc(read, func(r string) bool { return stable.SameFile(abs(c.dir, r), abs(c.dir, cand)) }) {
					used = true
					break
				}
				if _, err := os.Lstat(abs(c.dir, cand)); err != nil {
					out = append(out, cand)
				}
			}
			if used {
				break
			}
		}
	}
	return out
}
