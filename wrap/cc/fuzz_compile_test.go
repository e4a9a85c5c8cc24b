package cc

import (
	"testing"
)

// FuzzCompileLikeBare is TestCompileLikeBare over generated builds: from
// the fuzzer's bytes, a source tree (quoted and angle headers in several
// -I/-iquote/-isystem/-idirafter/CPATH directories, a header including
// another relative to itself, __has_include, #pragma once and guards,
// .incbin in inline asm or a .S with .include, -include, rarely
// __DATE__), a gcc or clang command line made of the options the wrapper
// knows (modes, output and depfile spellings, -Wp forms, response files,
// and now and then an option it runs as written, passes through or keeps
// no record for), and 2 to 4 changes between builds (see
// fuzz_compile_gen_test.go). Each build runs alone and through stablecc,
// in two trees built at the same path; after each, exit status, stdout,
// stderr and the whole tree (bytes and modes; no temporaries left) must
// be the same, a record may answer only for what a recorded run did, and
// an output the wrapper leaves unchanged keeps its inode.
//
// A failing input prints the scenario in full and what the wrapper
// decided at each build. STABLE_... variables of the caller are ignored;
// FUZZCC_STATS=FILE appends each wrapped build's decision there.
func FuzzCompileLikeBare(f *testing.F) {
	for _, s := range ccSeeds {
		f.Add(ccSeed(s))
	}
	f.Fuzz(func(t *testing.T, b []byte) {
		t.Parallel() // the seeds in parallel; no effect while fuzzing
		sc := genCCScenario(&ccChoices{b: b})
		runCCScenario(t, sc)
	})
}

// ccSeeds are the seeds by name (the decisions of fuzz_compile_gen_test.go):
// together they cover each construct and each change at least once, with
// both compilers.
var ccSeeds = []map[string]int{
	// The simplest: gcc -c, a quoted and an angle header, a touch and a
	// comment.
	{"change0.kind": 1, "change1.kind": 2},
	// clang, -MD -MF, -iquote, a shadowing header in the quote directory,
	// a header changed.
	{"cc": 1, "iquote": 1, "a.home": 1, "dep": 3, "change0.kind": 4, "change0.name": 1, "change0.dir": 2,
		"change1.kind": 3, "change1.edit": 0, "change1.header": 1},
	// gcc, .incbin from a -Wa,-I directory, data.bin changed and touched,
	// the depfile deleted (kbuild's -Wp,-MMD).
	{"bin": 1, "bin.loc": 1, "dep": 6, "out": 1, "changes": 2, "change0.kind": 9, "change1.kind": 5, "change2.kind": 7},
	// clang, .incbin in a header found in an -I directory, by the inline
	// asm's own search; the object removed.
	{"cc": 1, "bin": 2, "bin.loc": 2, "dep": 1, "change0.kind": 5, "change0.size": 1, "change1.kind": 12},
	// __has_include: the file appears, then moves; -isystem and -idirafter.
	{"has": 1, "isystem": 1, "idirafter": 1, "b.home": 2, "dep": 2, "changes": 2,
		"change0.kind": 6, "change0.dir": 4, "change1.kind": 6, "change1.dir": 1, "change2.kind": 16, "change2.dir": 3},
	// __has_include(<opt.h>) with opt.h present in an -iquote directory.
	{"cc": 1, "has": 2, "iquote": 1, "opt": 1, "opt.home": 2, "changes": 1, "change0.kind": 6, "change0.dir": 3, "change1.kind": 1},
	// A response file holding options, nested; its content changed.
	{"rsp": 2, "inrsp.I.inc1": 1, "inrsp.g": 1, "g": 1, "inrsp.O": 1, "O": 2, "inner.O": 1, "dep": 1,
		"change0.kind": 8, "change0.rspedit": 0, "change1.kind": 8, "change1.rspfile": 1, "change1.rspedit": 2},
	// clang -g (DWARF 5 holds each file's MD5): comments in the source.
	{"cc": 1, "g": 1, "dep": 1, "changes": 2, "change0.kind": 2, "change0.comment": 0, "change1.kind": 15, "change2.kind": 2, "change2.comment": 2},
	// gcc -g -Wall, an unused variable: a comment on the warned line, a
	// comment in a header; #warning in a header.
	{"g": 1, "W": 1, "warn": 3, "dep": 2, "changes": 1, "change0.kind": 2, "change0.comment": 3,
		"change1.kind": 3, "change1.edit": 1, "change2.kind": 0},
	// An assembler source with .include and .incbin; inc.s changed, a
	// directory in the way.
	{"lang": 4, "bin": 1, "incs": 1, "incs.loc": 1, "wa": 1, "dep": 1, "changes": 2,
		"change0.kind": 10, "change1.kind": 14, "change1.asmdir": 1, "change2.kind": 1},
	// clang on an assembler source, .incbin found through -I, -x.
	{"cc": 1, "lang": 4, "bin": 1, "bin.loc": 2, "x": 1, "dep": 5, "change0.kind": 5, "change1.kind": 7},
	// -include pre.h, once.h with #pragma once and with guards, -S.
	{"pre": 1, "once": 1, "mode": 6, "dep": 1, "change0.kind": 10, "change1.kind": 3, "change1.header": 2, "change1.edit": 3},
	{"cc": 1, "once": 2, "b2": 2, "dep": 7, "dep.long": 1, "mt": 2, "change0.kind": 4, "change0.name": 3, "change0.dir": 4,
		"change1.kind": 13, "change1.header": 0},
	// __DATE__ with SOURCE_DATE_EPOCH (gcc), which then changes.
	{"date": 1, "sde": 1, "dep": 1, "change0.kind": 11, "change1.kind": 1},
	// Options run as written or passed through: -gsplit-dwarf, -E -o,
	// -save-temps, -frecord-gcc-switches.
	{"g": 1, "special": 12, "dep": 1, "change0.kind": 2, "change1.kind": 3},
	{"cc": 1, "mode": 7, "out": 1, "dep": 1, "change0.kind": 2, "change0.comment": 4, "change1.kind": 3, "change1.edit": 1},
	{"special": 14, "change0.kind": 1, "change1.kind": 3},
	{"cc": 1, "special": 13, "dep": 3, "change0.kind": 3, "change1.kind": 7},
	// A header relative to its includer, b2.h elsewhere in the chain; the
	// shadow created beside b.h; CPATH.
	{"b2": 1, "cpath": 1, "b.home": 1, "b2.home": 0, "dep": 1, "change0.kind": 4, "change0.name": 2, "change0.dir": 4,
		"change1.kind": 4, "change1.name": 2, "change1.dir": 3},
}
