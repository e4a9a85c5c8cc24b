package cc

import (
	"bytes"
	"os"
	"os/exec"
	"path/filepath"
	"slices"
	"strings"
	"testing"
)

// asmLocations are the directories of the test tree: the working
// directory, the source's directory (never searched), and directories for
// -I, -iquote and -isystem. Each holds d/data.bin and d/inc.s, marked with
// its name.
var asmLocations = []string{"work", "src", "inc1", "inc2", "q", "sys"}

var asmSources = map[string]string{
	"s": ".section .rodata.t,\"a\"\n.incbin \"d/data.bin\"\n.include \"d/inc.s\"\n",
	"S": ".section .rodata.t,\"a\"\n.incbin \"d/data.bin\"\n.include \"d/inc.s\"\n",
	"c": "asm(\".section .rodata.t,\\\"a\\\"\\n.incbin \\\"d/data.bin\\\"\\n.include \\\"d/inc.s\\\"\\n.previous\\n\");\n",
}

// TestAsmCandidatesMatchCompilers compiles C with inline asm, .S and .s with
// gcc and clang, on a tree where the operands of .incbin and .include
// exist in every directory, then removes the one embedded and compiles
// again, until the compile fails. Each time, the file embedded must be the
// one AsmFound picks among AsmCandidates, and the depfile must not list
// it.
func TestAsmCandidatesMatchCompilers(t *testing.T) {
	configs := [][]string{
		nil,
		{"-Wa,-I,../inc1"},
		{"-Wa,-I../inc2", "-Wa,-I../inc1"},
		{"-I../inc2", "-Wa,-I../inc1"},
		{"-Xassembler", "-I", "-Xassembler", "../inc1", "-I", "../inc2"},
		{"-iquote", "../q", "-isystem", "../sys", "-I../inc1"},
	}
	for _, cc := range []string{"gcc", "clang"} {
		if _, err := exec.LookPath(cc); err != nil {
			t.Logf("%s not installed", cc)
			continue
		}
		for _, kind := range []string{"c", "S", "s"} {
			t.Run(cc+"/"+kind, func(t *testing.T) {
				t.Parallel()
				for _, args := range configs {
					checkAsmSearch(t, cc, kind, args)
				}
			})
		}
	}
}

func checkAsmSearch(t *testing.T, cc, kind string, args []string) {
	root := t.TempDir()
	for _, loc := range asmLocations {
		writeAsmMarks(t, filepath.Join(root, loc), loc)
	}
	src := filepath.Join(root, "src", "t."+kind)
	os.WriteFile(src, []byte(asmSources[kind]), 0o644)
	s := NewSourceScanner(kind != "c")
	s.Feed([]byte(asmSources[kind]))
	if f := s.Facts(); !slices.Equal(f.AsmFiles, []string{"d/data.bin", "d/inc.s"}) {
		t.Fatalf("scanner: %+v", f)
	}
	work := filepath.Join(root, "work")
	clang := cc == "clang"
	dirs := AsmSearchDirs(append([]string{cc}, args...), clang, kind == "c")
	for range asmLocations {
		want, _, found := AsmFound(AsmCandidates("d/data.bin", work, dirs, clang), clang, nil)
		cmd := exec.Command(cc, append(slices.Clip(args), "-MD", "-MF", "t.d", "-c", "../src/t."+kind, "-o", "t.o")...)
		cmd.Dir = work
		os.Remove(filepath.Join(work, "t.o"))
		out, err := cmd.CombinedOutput()
		if !found {
			if err == nil {
				t.Errorf("%s %q %s: compiled, but no candidate exists", cc, args, kind)
			}
			return
		}
		if err != nil {
			t.Fatalf("%s %q %s: %v\n%s", cc, args, kind, err, out)
		}
		loc := locationOf(t, root, want)
		obj, _ := os.ReadFile(filepath.Join(work, "t.o"))
		for _, mark := range []string{"BIN@" + loc + ".", "INC@" + loc + "."} {
			if !bytes.Contains(obj, []byte(mark)) {
				t.Fatalf("%s %q %s: object lacks %s (candidates %q)", cc, args, kind, mark, AsmCandidates("d/data.bin", work, dirs, clang))
			}
		}
		if dep, _ := os.ReadFile(filepath.Join(work, "t.d")); bytes.Contains(dep, []byte("data.bin")) || bytes.Contains(dep, []byte("inc.s")) {
			t.Errorf("%s %s: depfile lists the assembler's files:\n%s", cc, kind, dep)
		}
		os.RemoveAll(filepath.Join(root, loc, "d"))
	}
	t.Errorf("%s %q %s: still compiles with every file removed", cc, args, kind)
}

// writeAsmMarks writes loc/d/data.bin and loc/d/inc.s, each naming loc.
func writeAsmMarks(t *testing.T, dir, loc string) {
	t.Helper()
	if err := os.MkdirAll(filepath.Join(dir, "d"), 0o755); err != nil {
		t.Fatal(err)
	}
	os.WriteFile(filepath.Join(dir, "d", "data.bin"), []byte("BIN@"+loc+"."), 0o644)
	os.WriteFile(filepath.Join(dir, "d", "inc.s"), []byte(".ascii \"INC@"+loc+".\"\n"), 0o644)
}

// locationOf names the test location a candidate path lies in.
func locationOf(t *testing.T, root, path string) string {
	fi, err := os.Stat(path)
	for _, loc := range asmLocations {
		if other, err2 := os.Stat(filepath.Join(root, loc, "d", "data.bin")); err == nil && err2 == nil && os.SameFile(fi, other) {
			return loc
		}
	}
	t.Fatalf("%s is in no location", path)
	return ""
}

// TestAsmCandidatesOddities checks the corners: an absolute name is also
// tried under each directory, and a directory in the way stops gas but not
// clang.
func TestAsmCandidatesOddities(t *testing.T) {
	for _, cc := range []string{"gcc", "clang"} {
		if _, err := exec.LookPath(cc); err != nil {
			continue
		}
		clang := cc == "clang"
		root := t.TempDir()
		abs := filepath.Join(root, "nowhere", "blob.bin")
		inc := filepath.Join(root, "inc")
		os.MkdirAll(filepath.Join(inc, filepath.Dir(abs)), 0o755)
		os.WriteFile(filepath.Join(inc, abs), []byte("BIN@abs."), 0o644)
		os.MkdirAll(filepath.Join(root, "work", "d", "data.bin"), 0o755) // a directory in the way
		writeAsmMarks(t, inc, "inc")
		src := ".section .rodata.t,\"a\"\n.incbin \"" + abs + "\"\n.incbin \"d/data.bin\"\n"
		os.WriteFile(filepath.Join(root, "t.s"), []byte(src), 0o644)
		work := filepath.Join(root, "work")
		if got := AsmCandidates(abs, work, []string{"../inc"}, clang); got[1] != work+"/../inc/"+abs {
			t.Errorf("absolute name under a directory: %q", got)
		}
		_, _, foundAbs := AsmFound(AsmCandidates(abs, work, []string{"../inc"}, clang), clang, nil)
		_, i, found := AsmFound(AsmCandidates("d/data.bin", work, []string{"../inc"}, clang), clang, nil)
		cmd := exec.Command(cc, "-Wa,-I../inc", "-c", "../t.s", "-o", "t.o")
		cmd.Dir = work
		out, err := cmd.CombinedOutput()
		if !foundAbs || found != (err == nil) || found && i != 1 {
			t.Errorf("%s: found %v at %d, compile: %v %s", cc, found, i, err, out)
		}
		if obj, _ := os.ReadFile(filepath.Join(work, "t.o")); err == nil && !bytes.Contains(obj, []byte("BIN@abs.BIN@inc.")) {
			t.Errorf("%s: object lacks the files found", cc)
		}
	}
}

func TestAsmSearchDirs(t *testing.T) {
	line := strings.Fields("cc -I a -Ib --include-directory=c -iquote q -isystem s -Wa,-I,w1,-Iw2 -Xassembler -I -Xassembler x1 -Xassembler -Ix2 -Wa,-I -Wa,w3")
	cases := []struct {
		clang, inline bool
		want          string
	}{
		{false, true, "a b c w1 w2 x1 x2 w3"},
		{false, false, "a b c w1 w2 x1 x2 w3"},
		{true, false, "a b c w1 w2 x1 x2 w3"},
		{true, true, "w1 w2 x1 x2 w3 a b c q s"},
	}
	for _, c := range cases {
		if got := strings.Join(AsmSearchDirs(line, c.clang, c.inline), " "); got != c.want {
			t.Errorf("clang %v inline %v: %s, want %s", c.clang, c.inline, got, c.want)
		}
	}
}
