package run

import (
	"io"
	"slices"
	"testing"
)

// TestParse: one parser reads stable run's options, and the command starts
// after the first "--" whatever it holds.
func TestParse(t *testing.T) {
	for _, c := range []struct {
		args    []string
		out, in []string
		cmd     []string
		err     bool
	}{
		{args: []string{"-o", "a", "-i", "b", "--", "cp", "b", "a"}, out: []string{"a"}, in: []string{"b"}, cmd: []string{"cp", "b", "a"}},
		{args: []string{"-oa", "--input=b", "--output", "c", "--", "x"}, out: []string{"a", "c"}, in: []string{"b"}, cmd: []string{"x"}},
		{args: []string{"--inplace", "--", "objtool", "f.o"}, cmd: []string{"objtool", "f.o"}},
		{args: []string{"-o", "a", "--", "sh", "-c", "x", "--", "y"}, out: []string{"a"}, cmd: []string{"sh", "-c", "x", "--", "y"}},
		{args: []string{"-o", "a"}, err: true},
		{args: []string{"-o", "a", "--"}, err: true},
		{args: []string{"--bogus", "--", "x"}, err: true},
		{args: []string{"-i", "--", "x"}, err: true},
	} {
		o, cmd, err := Parse(c.args, io.Discard)
		if (err != nil) != c.err {
			t.Errorf("%q: error %v, want error %v", c.args, err, c.err)
			continue
		}
		if err == nil && (!slices.Equal(o.Output, c.out) || !slices.Equal(o.Input, c.in) || !slices.Equal(cmd, c.cmd)) {
			t.Errorf("%q: -o %q -i %q command %q", c.args, o.Output, o.Input, cmd)
		}
	}
}

// TestForms: the options choose one form of action, and refuse mixtures.
func TestForms(t *testing.T) {
	for _, c := range []struct {
		args []string
		ok   bool
	}{
		{[]string{"--tree", "t", "--", "sh", "x"}, true},
		{[]string{"--tree", "t", "-o", "x", "--", "cp", "a", "x"}, false},
		{[]string{"--inplace", "--stdout", "x", "--", "sed", "f"}, false},
		{[]string{"--inplace", "--", "sed"}, false},
		{[]string{"-o", "missing", "--", "cp", "a", "b"}, false},
	} {
		o, cmd, err := Parse(c.args, io.Discard)
		if err == nil {
			_, err = o.Action(cmd)
		}
		if (err == nil) != c.ok {
			t.Errorf("%q: %v", c.args, err)
		}
	}
}
