package cli

import (
	"bytes"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"text/tabwriter"
	"time"
)

type demoCmd struct {
	CC   string `name:"cc" default:"cc" help:"Compiler to build the demo project with."`
	Keep bool   `name:"keep" help:"Keep the demo directory instead of removing it."`
}

// The demo project: a header every source includes, a dozen sources with
// depfiles, one program linked from them.
const demoMakefile = `SRCS := $(sort $(wildcard *.c))
OBJS := $(SRCS:.c=.o)
app: $(OBJS)
	$(CC) -o $@ $(OBJS)
%.o: %.c
	$(CC) -O2 -MMD -c -o $@ $<
-include $(OBJS:.o=.d)
`

const demoSources = 12

func demoFiles() map[string]string {
	files := map[string]string{
		"Makefile": demoMakefile,
		"common.h": "#ifndef COMMON_H\n#define COMMON_H\nstruct acc { long sum; int n; };\nstatic inline void add(struct acc *a, long v) { a->sum += v; a->n++; }\n",
	}
	var decls, calls strings.Builder
	for i := 0; i < demoSources; i++ {
		files[fmt.Sprintf("m%02d.c", i)] = fmt.Sprintf(
			"#include \"common.h\"\nvoid f%02d(struct acc *a) { for (int i = 0; i < %d; i++) add(a, i * %d); }\n", i, 10+i, i+1)
		fmt.Fprintf(&decls, "void f%02d(struct acc *a);\n", i)
		fmt.Fprintf(&calls, "\tf%02d(&a);\n", i)
	}
	files["common.h"] += decls.String() + "#endif\n"
	files["main.c"] = "#include <stdio.h>\n#include \"common.h\"\nint main(void) {\n\tstruct acc a = {0, 0};\n" +
		calls.String() + "\tprintf(\"%ld over %d\\n\", a.sum, a.n);\n\treturn 0;\n}\n"
	return files
}

// demoStep is one thing a developer does, then make.
type demoStep struct {
	name string
	do   func(dir string) error
}

var demoSteps = []demoStep{
	{"full build", nil},
	{"no-op make", nil},
	{"touch common.h (no change)", func(d string) error { return touchNow(filepath.Join(d, "common.h")) }},
	{"make again", nil},
	{"comment appended to m03.c", func(d string) error { return appendTo(filepath.Join(d, "m03.c"), "/* a comment */\n") }},
	{"unused inline added to common.h", func(d string) error {
		return appendTo(filepath.Join(d, "common.h"), "static inline long twice(long v) { return 2 * v; }\n")
	}},
	{"real change to common.h", func(d string) error { return replaceIn(filepath.Join(d, "common.h"), "a->n++", "a->n += 2") }},
}

type demoRow struct {
	compiles int
	relinked bool
	took     time.Duration
}

func (c *demoCmd) Run() error {
	root, err := os.MkdirTemp("", "stable-demo-")
	if err != nil {
		return err
	}
	if !c.Keep {
		defer os.RemoveAll(root)
	}
	self, err := os.Executable()
	if err != nil {
		return err
	}
	stablecc := filepath.Join(filepath.Dir(self), "stablecc")
	if _, err := os.Stat(stablecc); err != nil {
		if stablecc, err = exec.LookPath("stablecc"); err != nil {
			return fmt.Errorf("stablecc not found beside %s or in PATH: run go install ./cmd/...", self)
		}
	}
	fmt.Printf("Building a %d-file C project twice in %s: with %q and with %q.\n\n", demoSources+1, root, c.CC, "stablecc "+c.CC)
	plain, err := c.variant(filepath.Join(root, "plain"), "", "")
	if err != nil {
		return err
	}
	wrapped, err := c.variant(filepath.Join(root, "stable"), stablecc+" ", filepath.Join(root, "records"))
	if err != nil {
		return err
	}
	w := tabwriter.NewWriter(os.Stdout, 0, 0, 2, ' ', tabwriter.AlignRight)
	fmt.Fprintf(w, "step\tcompiler runs\trelinked\ttime\t\tcompiler runs\trelinked\ttime\t\n")
	fmt.Fprintf(w, "\t(plain)\t\t\t\t(stablecc)\t\t\t\n")
	for i, s := range demoSteps {
		p, q := plain[i], wrapped[i]
		fmt.Fprintf(w, "%s\t%d\t%s\t%s\t\t%d\t%s\t%s\t\n", s.name, p.compiles, yes(p.relinked), ms(p.took), q.compiles, yes(q.relinked), ms(q.took))
	}
	w.Flush()
	fmt.Println("\nWith stablecc, an untouched object keeps its mtime, so nothing downstream relinks; records")
	fmt.Println("answer the repeated questions make asks after a touch, without running the compiler.")
	return nil
}

// variant builds the project in dir with CC=launcher+compiler and walks
// through the steps. Compiler runs are counted by a shim in front of the
// real compiler.
func (c *demoCmd) variant(dir, launcher, records string) ([]demoRow, error) {
	if err := os.MkdirAll(dir, 0o777); err != nil {
		return nil, err
	}
	for name, body := range demoFiles() {
		if err := os.WriteFile(filepath.Join(dir, name), []byte(body), 0o666); err != nil {
			return nil, err
		}
	}
	counter := filepath.Join(dir, ".compiles")
	shim := filepath.Join(dir, ".shim", filepath.Base(c.CC))
	if err := os.MkdirAll(filepath.Dir(shim), 0o777); err != nil {
		return nil, err
	}
	real, err := exec.LookPath(c.CC)
	if err != nil {
		return nil, fmt.Errorf("demo needs a C compiler: %w", err)
	}
	script := fmt.Sprintf("#!/bin/sh\ncase \" $* \" in *\" -c \"*) echo >> %q;; esac\nexec %q \"$@\"\n", counter, real)
	if err := os.WriteFile(shim, []byte(script), 0o777); err != nil {
		return nil, err
	}
	cc := launcher + shim
	var rows []demoRow
	for _, s := range demoSteps {
		if s.do != nil {
			time.Sleep(20 * time.Millisecond) // past the filesystem clock tick, as a person would be
			if err := s.do(dir); err != nil {
				return nil, err
			}
		}
		before := countLines(counter)
		app := mtimeOf(filepath.Join(dir, "app"))
		start := time.Now()
		cmd := exec.Command("make", "-s", "CC="+cc)
		cmd.Dir = dir
		cmd.Env = append(os.Environ(), "STABLE_DIR="+records)
		if records == "" {
			cmd.Env = append(cmd.Env, "STABLE_DISABLE=1")
		}
		var out bytes.Buffer
		cmd.Stdout, cmd.Stderr = &out, &out
		if err := cmd.Run(); err != nil {
			return nil, fmt.Errorf("make in %s: %v\n%s", dir, err, out.String())
		}
		rows = append(rows, demoRow{compiles: countLines(counter) - before,
			relinked: mtimeOf(filepath.Join(dir, "app")) != app, took: time.Since(start)})
	}
	return rows, nil
}

func countLines(p string) int {
	b, _ := os.ReadFile(p)
	return bytes.Count(b, []byte("\n"))
}

func mtimeOf(p string) int64 {
	fi, err := os.Stat(p)
	if err != nil {
		return 0
	}
	return fi.ModTime().UnixNano()
}

func touchNow(p string) error {
	now := time.Now()
	return os.Chtimes(p, now, now)
}

func appendTo(p, text string) error {
	f, err := os.OpenFile(p, os.O_WRONLY|os.O_APPEND, 0)
	if err != nil {
		return err
	}
	_, err = f.WriteString(text)
	if cerr := f.Close(); err == nil {
		err = cerr
	}
	return err
}

func replaceIn(p, old, new string) error {
	b, err := os.ReadFile(p)
	if err != nil {
		return err
	}
	return os.WriteFile(p, []byte(strings.Replace(string(b), old, new, 1)), 0o666)
}

func yes(b bool) string {
	if b {
		return "yes"
	}
	return "no"
}

func ms(d time.Duration) string { return fmt.Sprintf("%d ms", d.Milliseconds()) }
