package bench

import (
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
)

// buildBinaries builds the project's commands once per benchmark run.
func buildBinaries(b *testing.B) string {
	b.Helper()
	dir := b.TempDir()
	cmd := exec.Command("go", "build", "-o", dir+"/", "stable/cmd/...")
	if out, err := cmd.CombinedOutput(); err != nil {
		b.Fatalf("go build: %v\n%s", err, out)
	}
	return dir
}

// headerTree writes a source that includes n headers (chains of 30
// includes, as kernel headers pull in each other) and returns its path.
func headerTree(b *testing.B, dir string, n int) string {
	b.Helper()
	inc := filepath.Join(dir, "include", "lib")
	if err := os.MkdirAll(inc, 0o777); err != nil {
		b.Fatal(err)
	}
	for i := 0; i < n; i++ {
		var h strings.Builder
		fmt.Fprintf(&h, "#ifndef H%d\n#define H%d\n", i, i)
		if i+1 < n && (i+1)%30 != 0 {
			fmt.Fprintf(&h, "#include <lib/h%d.h>\n", i+1)
		}
		fmt.Fprintf(&h, "struct s%d { int a, b; long c[%d]; };\nstatic inline int f%d(struct s%d *p) { return p->a + p->b + %d; }\n#endif\n", i, i%7+1, i, i, i)
		if err := os.WriteFile(filepath.Join(inc, fmt.Sprintf("h%d.h", i)), []byte(h.String()), 0o666); err != nil {
			b.Fatal(err)
		}
	}
	src := filepath.Join(dir, "x.c")
	body := "int g(struct s1 *p) { return f1(p); }\n"
	for i := n - n%30; i >= 0; i -= 30 {
		if i < n {
			body = fmt.Sprintf("#include <lib/h%d.h>\n", i) + body
		}
	}
	if err := os.WriteFile(src, []byte(body), 0o666); err != nil {
		b.Fatal(err)
	}
	return src
}

func run(b *testing.B, dir string, env []string, argv ...string) {
	cmd := exec.Command(argv[0], argv[1:]...)
	cmd.Dir = dir
	cmd.Env = append(os.Environ(), env...)
	if out, err := cmd.CombinedOutput(); err != nil {
		b.Fatalf("%v: %v\n%s", argv, err, out)
	}
}

// BenchmarkStablecc compares, on a source that includes 300 headers, the
// bare compiler with stablecc: a miss without records (the compiler runs
// on temporaries), a miss that writes a record (a new -D on every run, the
// store kept, as in a build where one flag changed), and a record hit (the
// compiler does not run). Each row runs the bare compile beside it
// (…/bare-pair) so ratios come from one run.
func BenchmarkStablecc(b *testing.B) {
	for _, compiler := range []string{"gcc", "clang"} {
		if _, err := exec.LookPath(compiler); err != nil {
			continue
		}
		bin := buildBinaries(b)
		dir := b.TempDir()
		headerTree(b, dir, 300)
		args := func(i int) []string {
			return []string{compiler, "-O2", "-Iinclude", "-MMD", fmt.Sprintf("-DRUN=%d", i), "-c", "-o", "x.o", "x.c"}
		}
		store := []string{"STABLE_DIR=" + filepath.Join(dir, ".records")}
		n := 0
		b.Run(compiler+"/bare", func(b *testing.B) {
			for i := 0; i < b.N; i++ {
				n++
				run(b, dir, nil, args(n)...)
			}
		})
		b.Run(compiler+"/stablecc-miss", func(b *testing.B) {
			env := append(store, "STABLE_NORECORDS=1")
			for i := 0; i < b.N; i++ {
				n++
				run(b, dir, env, append([]string{bin + "/stablecc"}, args(n)...)...)
			}
		})
		b.Run(compiler+"/stablecc-miss-recording", func(b *testing.B) {
			for i := 0; i < b.N; i++ {
				n++
				run(b, dir, store, append([]string{bin + "/stablecc"}, args(n)...)...)
			}
		})
		b.Run(compiler+"/stablecc-hit", func(b *testing.B) {
			run(b, dir, store, append([]string{bin + "/stablecc"}, args(0)...)...)
			for i := 0; i < b.N; i++ {
				run(b, dir, store, append([]string{bin + "/stablecc"}, args(0)...)...)
			}
		})
	}
}
