package copying_test

import (
	"path/filepath"
	"strings"
	"testing"

	"stable/wrap/copying"
	"stable/wrap/cp"
	"stable/wrap/install"
)

func temp(p string) string { return filepath.Join(filepath.Dir(p), ".stable-x", filepath.Base(p)) }

// fuzzCopy: any cp or install command line passes through, or gives one
// output per source, all distinct, and a redirected command line in which
// only the destination argument changed, to a temporary.
func fuzzCopy(f *testing.F, parse func([]string) *copying.Plan, seeds []string) {
	for _, s := range seeds {
		f.Add(strings.ReplaceAll(s, " ", "\x00"))
	}
	// Relative names resolve in the package directory: testdata/dir is a
	// directory, testdata/dir/file a file, anything else is missing.
	f.Fuzz(func(t *testing.T, s string) {
		argv := strings.Split(s, "\x00")
		p := parse(argv)
		if p.Passthrough != "" {
			return
		}
		if len(p.Outputs) == 0 || len(p.Outputs) != len(p.Sources) {
			t.Fatalf("%q: %d sources, %d outputs", argv, len(p.Sources), len(p.Outputs))
		}
		seen := map[string]bool{}
		for _, o := range p.Outputs {
			if o == "" || seen[o] {
				t.Fatalf("%q: output %q empty or twice", argv, o)
			}
			seen[o] = true
		}
		got := p.Redirect(temp)
		if len(got) != len(argv) {
			t.Fatalf("%q: redirect changed the length: %q", argv, got)
		}
		diff := 0
		for i := range got {
			if got[i] != argv[i] {
				diff++
				if !strings.Contains(got[i], ".stable-x") {
					t.Fatalf("%q: argument %d became %q", argv, i, got[i])
				}
			}
		}
		if diff != 1 {
			t.Fatalf("%q: %d arguments changed: %q", argv, diff, got)
		}
	})
}

func FuzzCp(f *testing.F) {
	fuzzCopy(f, cp.Parse, []string{
		"cp -p a b", "cp a testdata/dir", "cp -r testdata/dir e", "cp -t testdata/dir a",
		"cp --target-directory=testdata/dir a", "cp -rp testdata testdata/dir", "cp -T a b",
		"cp -a testdata/dir x", "cp a testdata/dir/file testdata/dir", "cp -v a b",
	})
}

func FuzzInstall(f *testing.F) {
	fuzzCopy(f, install.Parse, []string{
		"install -m 644 a b", "install -D -m 0755 a testdata/dir/x", "install -t testdata/dir a",
		"install -pC a testdata/dir",
		"install -m644 -o root -g root a b", "install -d testdata/dir", "install -Ta b",
	})
}
