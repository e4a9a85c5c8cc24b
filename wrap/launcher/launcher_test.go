package launcher

import (
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"
)

// TestTool: the tool a command line means, as launcher and as masquerade.
func TestTool(t *testing.T) {
	dir := t.TempDir()
	for _, n := range []string{"llvm-ar", "notexec-ar"} {
		mode := os.FileMode(0o755)
		if n == "notexec-ar" {
			mode = 0o644
		}
		os.WriteFile(filepath.Join(dir, n), []byte("#!/bin/sh\n"), mode)
	}
	t.Setenv("PATH", dir)
	w := Wrapper{Name: "stable-ar", Default: "ar",
		IsTool: func(b string) bool { return strings.HasSuffix(b, "ar") }}
	cases := []struct {
		argv0 string
		args  []string
		tool  string
		rest  []string
	}{
		{"stable-ar", []string{"llvm-ar", "rcs", "x.a"}, "llvm-ar", []string{"rcs", "x.a"}},
		{"/usr/bin/stable-ar", []string{"rcs", "x.a"}, "ar", []string{"rcs", "x.a"}},
		{"stable-ar", []string{"notexec-ar", "x.a"}, "ar", []string{"notexec-ar", "x.a"}},
		{"stable-ar", []string{"missing-ar", "x.a"}, "ar", []string{"missing-ar", "x.a"}},
		{"stable-ar", []string{"-ar"}, "ar", []string{"-ar"}},
		{"/opt/bin/x86_64-linux-gnu-ar", []string{"rcs", "x.a"}, "x86_64-linux-gnu-ar", []string{"rcs", "x.a"}},
	}
	for _, c := range cases {
		tool, rest, err := w.Tool(c.argv0, c.args)
		if err != nil || tool != c.tool || !slices.Equal(rest, c.rest) {
			t.Errorf("Tool(%q, %q) = %q %q %v, want %q %q", c.argv0, c.args, tool, rest, err, c.tool, c.rest)
		}
	}
	cc := Wrapper{Name: "stablecc"}
	if tool, rest, err := cc.Tool("stablecc", []string{"ccache", "gcc", "-c"}); err != nil || tool != "ccache" || len(rest) != 2 {
		t.Errorf("stablecc ccache gcc -c: %q %q %v", tool, rest, err)
	}
	if _, _, err := cc.Tool("stablecc", nil); err == nil {
		t.Error("stablecc without a compiler: no error")
	}
	if !cc.ownArgs([]string{"-s"}) || cc.ownArgs([]string{"gcc", "-s"}) || w.ownArgs([]string{"-h", "x.a"}) {
		t.Error("own options misread")
	}
}
