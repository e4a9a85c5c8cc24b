package cc

import (
	"slices"
	"strings"
	"testing"
)

// TestOptionTable exercises every entry of the option table, in each
// spelling its argument form allows, and checks that Analyze does what the
// entry says: steps aside for queries and outputs it cannot redirect, keeps
// no record where a file cannot be described, takes files read as inputs,
// hands driver options to the driver's facts, and never reads an option's
// argument as a source.
func TestOptionTable(t *testing.T) {
	for _, o := range options {
		for _, form := range spellings(o) {
			args := append(append([]string{"gcc"}, form...), "-c", "x.c", "-o", "x.o")
			if o.does&eDepFile != 0 {
				args = append(args, "-MD")
			}
			p := Analyze(args, t.TempDir())
			t.Run(strings.Join(form, " "), func(t *testing.T) { checkOption(t, o, form, p) })
		}
	}
}

// spellings are the ways an option may be written, with a sample value.
func spellings(o opt) [][]string {
	v := sampleValue(o)
	switch o.arg {
	case noArg:
		return [][]string{{o.name}}
	case sepArg:
		return [][]string{{o.name, v}}
	case eitherArg:
		return [][]string{{o.name, v}, {o.name + v}}
	case joinArg:
		return [][]string{{o.name + v}}
	case eqArg:
		return [][]string{{o.name + "=" + v}}
	case eqOrSep:
		return [][]string{{o.name, v}, {o.name + "=" + v}}
	case optEq:
		return [][]string{{o.name}, {o.name + "=" + v}}
	}
	return nil
}

func sampleValue(o opt) string {
	switch {
	case o.does&eOutput != 0:
		return "other.o"
	case o.does&eLang != 0:
		return "c"
	case o.does&eDepFile != 0:
		return "deps.d"
	case o.does&eReads != 0:
		return "read.txt"
	case o.does&eAsm != 0:
		return "-I,asmdir"
	case o.does&eWp != 0:
		return "-DX"
	case o.name == "-print-" || o.name == "--print-":
		return "file-name=libgcc.a"
	case o.does&eXpre != 0:
		return "-DX"
	}
	return "val"
}

func checkOption(t *testing.T, o opt, form []string, p *Plan) {
	t.Helper()
	pass := o.does&(eQuery|ePass|eDepAlone) != 0
	switch {
	case pass != p.Passthrough && !(o.does&eOutput != 0 && p.Reason == "-o given more than once") &&
		!(o.does&eMode != 0 && p.Reason == "more than one of -c, -S, -E"):
		t.Fatalf("%q: passthrough %v (%s), the table says %v", form, p.Passthrough, p.Reason, pass)
	case p.Passthrough:
		return
	case !slices.Equal(p.Sources, []string{"x.c"}):
		t.Fatalf("%q: sources %q: an argument was read as a source", form, p.Sources)
	case o.does&eNoRecord != 0 && p.NoRecord == "":
		t.Fatalf("%q: recorded, the table says no record", form)
	case o.does&eNoRecord == 0 && o.does&eTimeArg == 0 && p.NoRecord != "":
		t.Fatalf("%q: no record (%s), the table says nothing of it", form, p.NoRecord)
	case o.does&eReads != 0 && !slices.Contains(p.Inputs, "read.txt") && !slices.Contains(p.Inputs, "default.profdata"):
		t.Fatalf("%q: inputs %q lack the file read", form, p.Inputs)
	case o.does&eDriver != 0 && !slices.Contains(p.DriverArgs, form[0]):
		t.Fatalf("%q: not among the driver's options %q", form, p.DriverArgs)
	case o.does&eDirect != 0 && len(p.Direct) == 0:
		t.Fatalf("%q: redirected, the table says it runs as it is", form)
	case o.does&eDepFile != 0 && p.Depfile != "deps.d":
		t.Fatalf("%q: depfile %q", form, p.Depfile)
	case o.does&(eAngle|eQuote|eSystem|eAfter) != 0 && !slices.Contains(p.SearchDirs(), "val"):
		t.Fatalf("%q: search %q lacks its directory", form, p.SearchDirs())
	}
}

// TestOptionLookup: the longest spelling wins, joined values are split off,
// and options the table does not know are carried along.
func TestOptionLookup(t *testing.T) {
	for a, want := range map[string][2]string{
		"-iwithprefixbefore/x": {"-iwithprefixbefore", "/x"},
		"-iwithprefix/x":       {"-iwithprefix", "/x"},
		"-ofile.o":             {"-o", "file.o"},
		"--output=f.o":         {"--output", "f.o"},
		"-fprofile-use=dir":    {"-fprofile-use", "dir"},
		"-gsplit-dwarf=single": {"-gsplit-dwarf=", "single"},
		"-Wa,-I,x":             {"-Wa,", "-I,x"},
		"-emit-llvm":           {"-emit-", "llvm"},
		"-fdump-tree-all":      {"-fdump-", "tree-all"},
	} {
		o, v, _ := lookup(a)
		if o == nil || o.name != want[0] || v != want[1] {
			t.Errorf("lookup(%q) = %v %q, want %q %q", a, o, v, want[0], want[1])
		}
	}
	for _, a := range []string{"-Wall", "-O2", "-fno-common", "-flto-partition=one", "-mno-sse"} {
		if o, _, _ := lookup(a); o != nil {
			t.Errorf("lookup(%q) = %q: not in the table", a, o.name)
		}
	}
}
