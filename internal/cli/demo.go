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
// depfiles, archived and linked whole into one program, as kbuild links
// vmlinux from its archives.
const demoMakefile = `SRCS := $(sort $(wildcard *.c))
OBJS := $(SRCS:.c=.o)
app: libdemo.a
	$(CC) -o $@ -Wl,--whole-archive libdemo.a -Wl,--no-whole-archive
libdemo.a: $(OBJS)
	rm -f $@; $(AR) rcs $@ $(OBJS)
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
	{"make again", nil},
	{"unused inline added to common.h", func(d string) error {
		return appendTo(filepath.Join(d, "common.h"), "static inline long twice(long v) { return 2 * v; }\n")
	}},
	{"real change to common.h", func(d string) error { return replaceIn(filepath.Join(d, "common.h"), "a->n++", "a->n += 2") }},
}

type demoRow struct {
	compiles int
	links    int
	took     time.Duration
}

// demoVariant is one way of building the project: a column of the table.
type demoVariant struct {
	label string
	cc    string   // launcher in front of the compiler, "" for none
	ar    string   // AR
	env   []string // STABLE_* for the variant
}

func (c *demoCmd) Run() error {
	root, err := os.MkdirTemp("", "stable-demo-")
	if err != nil {
		return err
	}
	if !c.Keep {
		defer os.RemoveAll(root)
	}
	stablecc, err := beside("stablecc")
	if err != nil {
		return err
	}
	stableAr, err := beside("stable-ar")
	if err != nil {
		return err
	}
	variants := []demoVariant{
		{"plain", "", "ar", []string{"STABLE_DISABLE=1"}},
		{"stablecc", stablecc + " ", "ar", nil},
		{"+ stable-ar", stablecc + " ", stableAr, nil},
	}
	fmt.Printf("Building a %d-file C project three times in %s:\n", demoSources+1, root)
	fmt.Printf("  plain:       make CC=%s\n  stablecc:    make CC=\"stablecc %s\"\n", c.CC, c.CC)
	fmt.Printf("  + stable-ar: make CC=\"stablecc %s\" AR=stable-ar\n\n", c.CC)
	var rows [][]demoRow
	for i, v := range variants {
		dir := filepath.Join(root, fmt.Sprint("v", i))
		r, err := c.variant(dir, v, filepath.Join(root, fmt.Sprint("records", i)))
		if err != nil {
			return err
		}
		rows = append(rows, r)
	}
	w := tabwriter.NewWriter(os.Stdout, 0, 0, 2, ' ', tabwriter.AlignRight)
	fmt.Fprint(w, "step\t")
	for range variants {
		fmt.Fprint(w, "compiles\tlinks\ttime\t\t")
	}
	fmt.Fprint(w, "\n\t")
	for _, v := range variants {
		fmt.Fprintf(w, "%s\t\t\t\t", v.label)
	}
	fmt.Fprintln(w)
	for i, s := range demoSteps {
		fmt.Fprintf(w, "%s\t", s.name)
		for _, r := range rows {
			fmt.Fprintf(w, "%d\t%d\t%s\t\t", r[i].compiles, r[i].links, ms(r[i].took))
		}
		fmt.Fprintln(w)
	}
	w.Flush()
	fmt.Println("\nCompiles and links are the compiler and linker runs that really happened. Through")
	fmt.Println("the wrappers, a touch or a comment runs neither: records answer the compile and link")
	fmt.Println("recipes, unchanged outputs keep their inodes and get the current time, so the make")
	fmt.Println("after has nothing to do. A change of the header that changes no object compiles but")
	fmt.Println("does not link.")
	return nil
}

// beside finds one of stable's binaries next to this one, or in PATH.
func beside(name string) (string, error) {
	self, err := os.Executable()
	if err != nil {
		return "", err
	}
	p := filepath.Join(filepath.Dir(self), name)
	if _, err := os.Stat(p); err == nil {
		return p, nil
	}
	if p, err = exec.LookPath(name); err != nil {
		return "", fmt.Errorf("%s not found beside %s or in PATH: run go install ./cmd/...", name, self)
	}
	return p, nil
}

// variant builds the project in dir as v says and walks through the
// steps. Compiler runs are counted by a shim in front of the
// real compiler.
func (c *demoCmd) variant(dir string, v demoVariant, records string) ([]demoRow, error) {
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
	script := fmt.Sprintf("#!/bin/sh\ncase \" $* \" in *-###*|*-print-*|*\" -v \"*) ;; *\" -c \"*) echo c >> %q;; *) echo l >> %q;; esac\nexec %q \"$@\"\n", counter, counter, real)
	if err := os.WriteFile(shim, []byte(script), 0o777); err != nil {
		return nil, err
	}
	cc := v.cc + shim
	var rows []demoRow
	for _, s := range demoSteps {
		if s.do != nil {
			// Past the filesystem's and the process clock's ticks, as a
			// person would be between an edit and a make.
			time.Sleep(20 * time.Millisecond)
			if err := s.do(dir); err != nil {
				return nil, err
			}
			time.Sleep(20 * time.Millisecond)
		}
		c0, l0 := countRuns(counter)
		start := time.Now()
		cmd := exec.Command("make", "-s", "CC="+cc, "AR="+v.ar)
		cmd.Dir = dir
		cmd.Env = append(append(os.Environ(), "STABLE_DIR="+records), v.env...)
		var out bytes.Buffer
		cmd.Stdout, cmd.Stderr = &out, &out
		if err := cmd.Run(); err != nil {
			return nil, fmt.Errorf("make in %s: %v\n%s", dir, err, out.String())
		}
		c1, l1 := countRuns(counter)
		rows = append(rows, demoRow{compiles: c1 - c0, links: l1 - l0, took: time.Since(start)})
	}
	return rows, nil
}

// countRuns counts the compiles and links the shim logged.
func countRuns(p string) (compiles, links int) {
	b, _ := os.ReadFile(p)
	return bytes.Count(b, []byte("c\n")), bytes.Count(b, []byte("l\n"))
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

func ms(d time.Duration) string { return fmt.Sprintf("%d ms", d.Milliseconds()) }
