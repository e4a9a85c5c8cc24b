package cc

import (
	"bytes"
	"fmt"
	"math/rand"
	"os"
	"os/exec"
	"path/filepath"
	"slices"
	"strconv"
	"sync"
	"testing"
	"time"
)

// ctConfig is one way to compile. Carets are off: a diagnostic's caret
// line echoes its source line, comment and all, so only what the
// diagnostics say and where is compared.
type ctConfig struct {
	cc   string
	args []string
}

var ctConfigs = []ctConfig{
	{"gcc", []string{"-c", "-g", "-O2", "-fno-diagnostics-show-caret"}},
	{"gcc", []string{"-c", "-Wall", "-Wextra", "-fno-diagnostics-show-caret"}},
	{"clang", []string{"-c", "-gdwarf-4", "-O2", "-fno-caret-diagnostics"}},
	{"clang", []string{"-c", "-O0", "-fno-caret-diagnostics"}},
}

type ctResult struct {
	obj, stderr []byte
	failed      bool
}

// compileCT compiles src as dir/t.c; both sources of a pair compile in the
// same directory under the same name, which debug info records.
func compileCT(dir string, c ctConfig, src string) ctResult {
	os.WriteFile(filepath.Join(dir, "t.c"), []byte(src), 0o644)
	os.Remove(filepath.Join(dir, "t.o"))
	cmd := exec.Command(c.cc, append(append([]string(nil), c.args...), "t.c", "-o", "t.o")...)
	cmd.Dir = dir
	var stderr bytes.Buffer
	cmd.Stderr = &stderr
	err := cmd.Run()
	obj, _ := os.ReadFile(filepath.Join(dir, "t.o"))
	return ctResult{obj, stderr.Bytes(), err != nil}
}

type ctStats struct {
	pairs, refused, differ, compared, failed int
}

// TestCodeTextCompilers generates C sources and variants of them with other
// comments; whenever CodeText (with TrimLineEnds) finds a pair equal, each
// compiler configuration must give both the same object and the same
// diagnostics. It runs a few seconds; STABLE_CODETEXT_RUN=10m runs longer,
// STABLE_CODETEXT_SEED replays a seed.
func TestCodeTextCompilers(t *testing.T) {
	var configs []ctConfig
	for _, c := range ctConfigs {
		if _, err := exec.LookPath(c.cc); err == nil {
			configs = append(configs, c)
		}
	}
	if len(configs) == 0 {
		t.Skip("neither gcc nor clang installed")
	}
	budget := 4 * time.Second
	if d, err := time.ParseDuration(os.Getenv("STABLE_CODETEXT_RUN")); err == nil {
		budget = d
	}
	seed := time.Now().UnixNano()
	if s, err := strconv.ParseInt(os.Getenv("STABLE_CODETEXT_SEED"), 10, 64); err == nil {
		seed = s
	}
	t.Logf("seed %d", seed)
	r := rand.New(rand.NewSource(seed))
	dirs := make([]string, len(configs))
	for i := range dirs {
		dirs[i] = t.TempDir()
	}
	var st ctStats
	for start := time.Now(); st.compared < 2 || time.Since(start) < budget; {
		a := genSource(r, 3+r.Intn(6))
		fresh := 0.03
		if r.Intn(4) == 0 {
			fresh = 0.4
		}
		checkCodeTextPair(t, configs, dirs, a.String(), a.variant(r, fresh).String(), &st)
		if t.Failed() {
			break
		}
	}
	t.Logf("%d pairs: %d refused, %d with other code, %d compared (%d compiles, %d pairs failing to compile alike)",
		st.pairs, st.refused, st.differ, st.compared, st.compared*2*len(configs), st.failed)
}

func checkCodeTextPair(t *testing.T, configs []ctConfig, dirs []string, a, b string, st *ctStats) {
	st.pairs++
	ca, okA := CodeText([]byte(a))
	cb, okB := CodeText([]byte(b))
	switch {
	case !okA || !okB:
		st.refused++
		return
	case !bytes.Equal(TrimLineEnds(ca), TrimLineEnds(cb)):
		st.differ++
		return
	}
	st.compared++
	var wg sync.WaitGroup
	msgs := make([]string, len(configs))
	failed := make([]bool, len(configs))
	for i, c := range configs {
		wg.Add(1)
		go func() {
			defer wg.Done()
			ra, rb := compileCT(dirs[i], c, a), compileCT(dirs[i], c, b)
			failed[i] = ra.failed
			switch {
			case ra.failed != rb.failed || !bytes.Equal(ra.stderr, rb.stderr):
				msgs[i] = fmt.Sprintf("%s %q: diagnostics differ:\n%s\n---\n%s", c.cc, c.args, ra.stderr, rb.stderr)
			case !bytes.Equal(ra.obj, rb.obj):
				msgs[i] = fmt.Sprintf("%s %q: objects differ", c.cc, c.args)
			}
		}()
	}
	wg.Wait()
	if slices.Contains(failed, true) {
		st.failed++
	}
	for _, m := range msgs {
		if m != "" {
			dir := os.TempDir()
			os.WriteFile(filepath.Join(dir, "codetext-a.c"), []byte(a), 0o644)
			os.WriteFile(filepath.Join(dir, "codetext-b.c"), []byte(b), 0o644)
			t.Errorf("%s\n(sources in %s/codetext-[ab].c)", m, dir)
		}
	}
}
