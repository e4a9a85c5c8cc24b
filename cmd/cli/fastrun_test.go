package cli

import (
	"slices"
	"testing"
)

// fastRun must read exactly what the full parser reads, or step aside.
func TestFastRun(t *testing.T) {
	for _, c := range []struct {
		args []string
		ok   bool
		out  []string
		in   []string
		cmd  []string
	}{
		{[]string{"-o", "a", "-i", "b", "--", "cp", "b", "a"}, true, []string{"a"}, []string{"b"}, []string{"cp", "b", "a"}},
		{[]string{"-oa", "--input=b", "--output", "c", "--", "x"}, true, []string{"a", "c"}, []string{"b"}, []string{"x"}},
		{[]string{"--inplace", "--", "objtool", "f.o"}, true, nil, nil, []string{"objtool", "f.o"}},
		{[]string{"-o", "--", "--", "x"}, true, []string{"--"}, nil, []string{"x"}},
		{[]string{"-h"}, false, nil, nil, nil},
		{[]string{"-o", "a"}, false, nil, nil, nil},
		{[]string{"-o", "a", "--"}, false, nil, nil, nil},
		{[]string{"--bogus", "--", "x"}, false, nil, nil, nil},
	} {
		r, ok := fastRun(c.args)
		if ok != c.ok {
			t.Errorf("%q: ok %v, want %v", c.args, ok, c.ok)
			continue
		}
		if ok && (!slices.Equal(r.Output, c.out) || !slices.Equal(r.Input, c.in) || !slices.Equal(r.Cmd, c.cmd)) {
			t.Errorf("%q: got -o %q -i %q cmd %q", c.args, r.Output, r.Input, r.Cmd)
		}
	}
}
