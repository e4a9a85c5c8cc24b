package cli

import (
	"bytes"
	"fmt"
	"io/fs"
	"os"
	"os/exec"
	"path/filepath"
	"slices"
	"strings"
	"syscall"
	"testing"
	"time"

	"stable/internal/likebare"
	"stable/stable"
)

// TestMain makes this test binary act as `stable` when likebare.Env is
// set, so the wrapped side of TestRunLikeBare runs exactly what users run.
func TestMain(m *testing.M) {
	likebare.Main(m, func(args []string) stable.Status {
		args[0] = "stable"
		return Main(args)
	})
}

// runLikeBareCase is one `stable run` command line, run alone (through sh,
// as make runs a recipe) and wrapped, in directories set up alike.
type runLikeBareCase struct {
	name string
	prep string   // sh script run in the fresh directory after the common files
	opts []string // stable run options before "--"
	cmd  []string // the command and its arguments
	runs int      // how many times the command runs in a row (0: once)
	// between is a sh script run (on both sides alike) before each run
	// after the first: what a user or a build does between two makes.
	between string
	hits    int  // record hits the wrapped runs must have had
	joined  bool // stdout and stderr are one pipe (2>&1)
	// design names a difference README says is intended; expect holds
	// its shape: every difference shown must match one of the patterns.
	design string
	expect []string
}

// runLikeBareFiles are in every directory before prep.
var runLikeBareFiles = map[string]string{
	"a":          "alpha\n",
	"b":          "beta\n",
	"out":        "alpha\n", // an existing output, same content as a
	"old":        "old\n",
	"noexec.sh":  "#!/bin/sh\necho x > \"$1\"\n",
	"src/same":   "same\n",
	"src/s/deep": "deep\n",
}

// treePrep makes a tree t/ for the --tree cases.
const treePrep = `mkdir -p t/sub t/gone
printf 'same\n' > t/same
printf 'replaced\n' > t/replaced
printf 'changed\n' > t/changed
printf 'del\n' > t/del
printf 'keep\n' > t/sub/keep
printf 'x\n' > t/gone/x
printf 'mode\n' > t/mode
`

// treeScript rewrites t/ in every way a script can.
const treeScript = `printf 'same\n' > t/same
cp t/replaced t/tmp && mv t/tmp t/replaced
printf 'CHANGED\n' > t/changed
rm t/del
rm -r t/gone
chmod 755 t/mode
mkdir t/newsub
printf 'n\n' > t/newsub/n
printf 'new\n' > t/new
ln -s same t/link
echo rewrote t
`

func sh(script string, args ...string) []string {
	return append([]string{"sh", "-c", script, "sh"}, args...)
}

var runLikeBareCases = []runLikeBareCase{
	// -o with cp and sh scripts.
	{name: "cp to a new output", opts: []string{"-o", "new"}, cmd: []string{"cp", "a", "new"}},
	{name: "cp same content", opts: []string{"-o", "out"}, cmd: []string{"cp", "a", "out"}},
	{name: "cp changed content", opts: []string{"-o", "out"}, cmd: []string{"cp", "b", "out"}},
	{name: "sh writes output", opts: []string{"-o", "out"}, cmd: sh(`printf 'gen\n' > "$1"`, "out")},
	{name: "sh rewrites same content", opts: []string{"-o", "out"}, cmd: sh(`cat a > "$1"`, "out")},
	{name: "output as --out=FILE", opts: []string{"-o", "new"}, cmd: sh(`cp a "${1#--out=}"`, "--out=new")},
	{name: "output named twice", opts: []string{"-o", "out"}, cmd: sh(`cp b "$1"; cat "$2"`, "out", "out")},
	{name: "install -m 755", opts: []string{"-o", "new"}, cmd: []string{"install", "-m", "755", "a", "new"}},
	{name: "install same content", opts: []string{"-o", "out"}, cmd: []string{"install", "-m", "644", "a", "out"}},

	// Several -o.
	{name: "several outputs", opts: []string{"-o", "out", "-o", "old", "-o", "new"},
		cmd: sh(`cp a "$1"; cp b "$2"; printf x > "$3"`, "out", "old", "new")},
	{name: "several outputs one not written", opts: []string{"-o", "out", "-o", "old"},
		cmd: sh(`cp b "$1"`, "out", "old")},

	// --stdout.
	{name: "stdout same content", opts: []string{"--stdout", "out"}, cmd: []string{"printf", `alpha\n`}},
	{name: "stdout changed with stderr", opts: []string{"--stdout", "out"}, cmd: sh(`echo changed; echo note >&2`)},
	{name: "stdout new file", opts: []string{"--stdout", "new"}, cmd: []string{"cat", "a", "b"}},
	{name: "stdout through a symlink", prep: "ln -s old lnk", opts: []string{"--stdout", "lnk"}, cmd: []string{"echo", "new"}},
	{name: "stdout command fails", opts: []string{"--stdout", "out"}, cmd: sh(`echo partial; echo boom >&2; exit 1`),
		design: "README Known limits: a failing tool leaves the old outputs exactly as they were (alone, `cmd > out` leaves the partial stdout)",
		expect: []string{`(out|new): .* alone, .* wrapped$`, `(out|new) only alone`}},
	{name: "stdout command fails, new file", opts: []string{"--stdout", "new"}, cmd: sh(`echo partial; exit 3`),
		design: "README Known limits: a failing tool leaves the old outputs exactly as they were (alone, `cmd > new` creates it)",
		expect: []string{`(out|new): .* alone, .* wrapped$`, `(out|new) only alone`}},
	{name: "stdout into a 0755 file", prep: "chmod 755 out", opts: []string{"--stdout", "out"}, cmd: []string{"echo", "changed"}},
	{name: "stdout into a missing directory", opts: []string{"--stdout", "nodir/x"}, cmd: []string{"echo", "hi"},
		design: "README Guarantees (Never in the way): with no usable directory the command runs unmodified, and here it cannot start either way; the status of a failed redirection is the shell's own (dash 2, bash 1), the wrapper's is 1 with its own message",
		expect: []string{`exit 2 alone, 1 wrapped$`, `stderr ".*" alone, "stable: open nodir/x: .*" wrapped$`}},
	{name: "stdout to /dev/null", opts: []string{"--stdout", "/dev/null"}, cmd: sh(`echo hi; echo e >&2`)},
	{name: "output /dev/null", opts: []string{"-o", "/dev/null"}, cmd: []string{"cp", "a", "/dev/null"}},
	{name: "output becomes a directory", opts: []string{"-o", "newdir"}, cmd: []string{"mkdir", "newdir"}},
	{name: "existing output replaced by a directory", opts: []string{"-o", "out"}, cmd: sh(`rm -f "$1" && mkdir "$1"`, "out"),
		design: "README stable run: each output stays a regular file (or a symlink to one); a command that turns it into a directory is refused and the old file kept",
		expect: []string{`exit 0 alone, 1 wrapped$`, `stderr "" alone, "stable: cannot replace out: .*" wrapped$`, `out: directory .* alone, .* wrapped$`}},
	{name: "stdout missing command", opts: []string{"--stdout", "out"}, cmd: []string{"no-such-tool-xyz"},
		design: "README Guarantees (Failures are the tool's): 127 for a missing tool, reported by the wrapper in its own words instead of the shell's",
		expect: []string{`stderr "sh: 1: .*" alone, "stable: exec .*" wrapped$`}},

	// -i inputs and records: a repeat must leave the same files and print the same.
	{name: "record hit", opts: []string{"-o", "gen", "-i", "a"}, runs: 2, hits: 1,
		cmd: sh(`echo building; echo warning >&2; cp "$1" "$2"`, "a", "gen")},
	{name: "record hit 2>&1", opts: []string{"-o", "gen", "-i", "a"}, runs: 2, hits: 1, joined: true,
		cmd: sh(`echo 1; echo 2 >&2; echo 3; echo 4 >&2; cp "$1" "$2"`, "a", "gen")},
	{name: "record hit stdout", opts: []string{"--stdout", "gen", "-i", "a"}, runs: 2, hits: 1,
		cmd: sh(`cat "$1"; echo note >&2`, "a")},
	{name: "record hit two inputs", opts: []string{"-o", "gen", "-i", "a", "-i", "b"}, runs: 3, hits: 2,
		cmd: sh(`cat a b > "$1"; echo done`, "gen")},
	{name: "record input changed same size and mtime", opts: []string{"-o", "gen", "-i", "a"}, runs: 2,
		between: `printf 'ALPHA\n' > a; touch -r b a`,
		cmd:     sh(`echo building; cp "$1" "$2"`, "a", "gen")},
	{name: "record output deleted", opts: []string{"-o", "gen", "-i", "a"}, runs: 2, between: "rm gen",
		cmd: sh(`echo building; cp "$1" "$2"`, "a", "gen")},
	{name: "record output edited", opts: []string{"-o", "gen", "-i", "a"}, runs: 2, between: "echo edited > gen",
		cmd: sh(`echo building; cp "$1" "$2"`, "a", "gen")},
	{name: "record output in a directory the command creates", opts: []string{"-o", "d/x", "-i", "a"}, runs: 3, hits: 1,
		cmd: sh(`mkdir -p d && cp a "$1"`, "d/x")},
	{name: "record failing command", opts: []string{"-o", "gen", "-i", "a"}, runs: 2,
		cmd: sh(`echo trying; echo failed >&2; exit 3`, "gen")},

	// Outputs the command does not write, deletes or reads.
	{name: "output not written, existing", opts: []string{"-o", "out"}, cmd: []string{"true", "out"}},
	{name: "output not written, absent", opts: []string{"-o", "new"}, cmd: []string{"true", "new"}},
	{name: "command deletes its output", opts: []string{"-o", "out"}, cmd: []string{"rm", "-f", "out"},
		design: "README stable run: the command writes each output whole, into an empty place; one that reads, extends, tests for or deletes the old output sees none",
		expect: []string{`exit \d+ alone, \d+ wrapped$`, `stderr .* alone, .* wrapped$`, `out: .* alone, .* wrapped$`, `out only wrapped`}},
	{name: "command appends to its output", opts: []string{"-o", "out"}, cmd: sh(`echo more >> "$1"`, "out"),
		design: "README stable run: the command writes each output whole, into an empty place; one that reads, extends, tests for or deletes the old output sees none",
		expect: []string{`exit \d+ alone, \d+ wrapped$`, `stderr .* alone, .* wrapped$`, `out: .* alone, .* wrapped$`, `out only wrapped`}},
	{name: "ln -s onto an existing output", opts: []string{"-o", "out"}, cmd: []string{"ln", "-s", "a", "out"},
		design: "README stable run: the command writes each output whole, into an empty place; one that reads, extends, tests for or deletes the old output sees none",
		expect: []string{`exit \d+ alone, \d+ wrapped$`, `stderr .* alone, .* wrapped$`, `out: .* alone, .* wrapped$`, `out only wrapped`}},
	{name: "ln -sf onto an existing output", opts: []string{"-o", "out"}, cmd: []string{"ln", "-sf", "a", "out"}},

	// Modes.
	{name: "chmod 755 new output", opts: []string{"-o", "new"}, cmd: sh(`cp a "$1" && chmod 755 "$1"`, "new")},
	{name: "chmod 755 same content", opts: []string{"-o", "out"}, cmd: sh(`cp a "$1" && chmod 755 "$1"`, "out")},
	{name: "umask 077 new output", opts: []string{"-o", "new"}, cmd: sh(`umask 077; printf x > "$1"`, "new")},
	{name: "umask 077 existing output", opts: []string{"-o", "out"}, cmd: sh(`umask 077; printf x > "$1"`, "out"),
		design: "README stable run: an output gets the mode the command gives a new file, as in a clean build; a mode set by hand on the old file is not kept",
		expect: []string{`out: -\S+ ".*" alone, -\S+ ".*" wrapped$`}},
	{name: "cp onto an existing 0755 output", prep: "chmod 755 out", opts: []string{"-o", "out"}, cmd: []string{"cp", "b", "out"},
		design: "README stable run: an output gets the mode the command gives a new file, as in a clean build; a mode set by hand on the old file is not kept",
		expect: []string{`out: -\S+ ".*" alone, -\S+ ".*" wrapped$`}},
	{name: "same content into an existing 0600 output", prep: "chmod 600 out", opts: []string{"-o", "out"}, cmd: sh(`cat a > "$1"`, "out"),
		design: "README stable run: an output gets the mode the command gives a new file, as in a clean build; a mode set by hand on the old file is not kept",
		expect: []string{`out: -\S+ ".*" alone, -\S+ ".*" wrapped$`}},

	// Symlinked outputs are updated where they point.
	{name: "symlink output cp", prep: "mkdir real && cp a real/t && ln -s real/t lnk", opts: []string{"-o", "lnk"}, cmd: []string{"cp", "b", "lnk"}},
	{name: "symlink output same content", prep: "mkdir real && cp a real/t && ln -s real/t lnk", opts: []string{"-o", "lnk"}, cmd: []string{"cp", "a", "lnk"}},
	{name: "symlink output shell redirect", prep: "mkdir real && cp a real/t && ln -s ../real/t src/lnk", opts: []string{"-o", "src/lnk"},
		cmd: sh(`echo x > "$1"`, "src/lnk")},
	{name: "dangling symlink output shell redirect", prep: "mkdir real && ln -s real/none dl", opts: []string{"-o", "dl"}, cmd: sh(`cat a > "$1"`, "dl")},
	{name: "dangling symlink output cp", prep: "mkdir real && ln -s real/none dl", opts: []string{"-o", "dl"}, cmd: []string{"cp", "a", "dl"},
		design: "README stable run: a symlinked output is written where it points, as the shell's > does, also when it dangles",
		expect: []string{`exit 1 alone, 0 wrapped$`, `stderr ".*dangling.*" alone, "" wrapped$`, `real/none only wrapped`}},

	// Outputs in directories the command creates or recreates.
	{name: "output in a directory the command creates", opts: []string{"-o", "d/x"}, cmd: sh(`mkdir -p d && cp a "$1"`, "d/x")},
	{name: "output in a directory the command recreates", prep: "mkdir d && cp a d/x", opts: []string{"-o", "d/x"},
		cmd:    sh(`rm -rf d && mkdir d && cp a "$1"`, "d/x"),
		design: "README stable run: the output's directory must stay in place while the command runs (the temporary lives in it)",
		expect: []string{`exit 0 alone, 1 wrapped$`, `stderr "" alone, ".*No such file or directory.*" wrapped$`, `d/x only alone`}},
	{name: "command lists its output directory", opts: []string{"-o", "out"}, cmd: sh(`cp a "$1"; ls -A`, "out"),
		design: "README Guarantees (Never half-written): temporaries live in private mkdtemp directories beside the output, so the command sees a .stable-* entry",
		expect: []string{`stdout ".*" alone, "\.stable-\d+\\n.*" wrapped$`}},

	// Streams and exit statuses.
	{name: "exit 0 with streams", opts: []string{"-o", "new"}, cmd: sh(`echo to-out; echo to-err >&2; cp a "$1"`, "new")},
	{name: "exit 1 without writing", opts: []string{"-o", "out"}, cmd: sh(`echo o; echo e >&2; exit 1`, "out")},
	{name: "false", opts: []string{"-o", "out"}, cmd: []string{"false", "out"}},
	{name: "exit 3 after writing", opts: []string{"-o", "out"}, cmd: sh(`printf partial > "$1"; echo boom >&2; exit 3`, "out"),
		design: "README Known limits: a failing tool leaves the old outputs exactly as they were, where alone it may leave part of its work",
		expect: []string{`(out|new): .* alone, .* wrapped$`, `(out|new) only alone`}},
	{name: "exit 3 after creating", opts: []string{"-o", "new"}, cmd: sh(`printf partial > "$1"; exit 3`, "new"),
		design: "README Known limits: a failing tool leaves the old outputs exactly as they were, where alone it may leave part of its work",
		expect: []string{`(out|new): .* alone, .* wrapped$`, `(out|new) only alone`}},
	{name: "exit 127 from the command", opts: []string{"-o", "out"}, cmd: sh(`echo gone >&2; exit 127`, "out")},
	{name: "missing command 127", opts: []string{"-o", "out"}, cmd: []string{"no-such-tool-xyz", "out"},
		design: "README Guarantees (Failures are the tool's): 127 for a missing tool; the message is the wrapper's, not the shell's",
		expect: []string{`stderr "sh: 1: .*" alone, "stable: exec .*" wrapped$`}},
	{name: "missing command with inputs", opts: []string{"-o", "out", "-i", "a"}, cmd: []string{"no-such-tool-xyz", "a", "out"},
		design: "README Guarantees (Failures are the tool's): 127 for a missing tool; the message is the wrapper's, not the shell's",
		expect: []string{`stderr "sh: 1: .*" alone, "stable: exec .*" wrapped$`}},
	{name: "not executable 126", opts: []string{"-o", "out"}, cmd: []string{"./noexec.sh", "out"},
		design: "README Guarantees (Failures are the tool's): 126 for a non-executable tool; the message is the wrapper's, not the shell's",
		expect: []string{`stderr "sh: 1: .*" alone, "stable: exec .*" wrapped$`}},

	// --tree.
	{name: "tree rewrite", prep: treePrep, opts: []string{"--tree", "t"}, cmd: sh(treeScript)},
	{name: "tree wiped and copied", prep: "mkdir t && cp -r src/. t/", opts: []string{"--tree", "t"}, runs: 2,
		cmd: sh(`rm -rf t && mkdir t && cp -r src/. t/ && printf 'n\n' > t/n`)},
	{name: "tree script fails halfway", prep: treePrep, opts: []string{"--tree", "t"},
		cmd: sh(`set -e; printf 'CHANGED\n' > t/changed; printf 'same\n' > t/same; rm t/del; echo half; false; printf late > t/late`)},
	{name: "tree absent before", opts: []string{"--tree", "nt"}, cmd: sh(`mkdir -p nt/s && cp a nt/s/a`)},
	{name: "tree through a symlinked directory", prep: treePrep + "ln -s t tl\n", opts: []string{"--tree", "tl"},
		cmd: sh(`printf 'same\n' > tl/same; cp tl/replaced tl/x && mv tl/x tl/replaced`)},
	{name: "tree is the working directory", prep: treePrep, opts: []string{"--tree", "."}, cmd: sh(`find . -name '.stable-*' | wc -l`)},

	// --inplace.
	{name: "inplace sed changes", prep: "cp a f", opts: []string{"--inplace"}, cmd: []string{"sed", "-i", "s/alpha/ALPHA/", "f"}},
	{name: "inplace sed leaves content", prep: "cp a f", opts: []string{"--inplace"}, runs: 2, hits: 1, cmd: []string{"sed", "-i", "s/zzz/y/", "f"},
		design: "README In-place steps: the old file goes back only when a wrapper (stablecc) kept it aside; `stable run --inplace` alone keeps nothing, so sed -i's new inode stays",
		expect: []string{`f: same content and mode, but a new inode when wrapped$`, `f: same content and mode, but mtime .* became .* when wrapped$`}},
	{name: "inplace step prints", prep: "cp a f", opts: []string{"--inplace"}, runs: 2, hits: 1, cmd: sh(`echo checked; echo warn >&2`, "f")},
	{name: "inplace step fails", prep: "cp a f", opts: []string{"--inplace"}, cmd: sh(`printf partial > "$1"; echo bad >&2; exit 2`, "f")},
	{name: "inplace missing file", opts: []string{"--inplace"}, cmd: []string{"sed", "-i", "s/a/b/", "nofile"}},
}

// TestRunLikeBare runs each command line alone and through `stable run`
// (this binary under that name, with an empty record store of its own), in
// directories set up alike, the same number of times. Both must end alike:
// exit status, stdout, stderr, the whole tree (content, mode, symlink
// targets, no temporaries left). In the wrapped run, an output whose
// content and mode did not change must keep its inode and mtime.
func TestRunLikeBare(t *testing.T) {
	for _, c := range runLikeBareCases {
		t.Run(c.name, func(t *testing.T) {
			t.Parallel()
			alone, wrapped := t.TempDir(), t.TempDir()
			store := t.TempDir()
			setupRunLikeBare(t, alone, c.prep)
			setupRunLikeBare(t, wrapped, c.prep)
			var diffs []string
			runs := max(c.runs, 1)
			for i := range runs {
				if i > 0 && c.between != "" {
					shellIn(t, alone, c.between)
					shellIn(t, wrapped, c.between)
				}
				a := runAlone(t, alone, c)
				before := outputStates(wrapped, c)
				w := runStable(t, wrapped, store, c)
				at := fmt.Sprintf("run %d: ", i+1)
				if a.code != w.code {
					diffs = append(diffs, fmt.Sprintf("%sexit %d alone, %d wrapped", at, a.code, w.code))
				}
				if a.stdout != w.stdout {
					diffs = append(diffs, fmt.Sprintf("%sstdout %q alone, %q wrapped", at, a.stdout, w.stdout))
				}
				if a.stderr != w.stderr {
					diffs = append(diffs, fmt.Sprintf("%sstderr %q alone, %q wrapped", at, a.stderr, w.stderr))
				}
				for _, d := range diffTrees(snapTree(t, alone), snapTree(t, wrapped)) {
					diffs = append(diffs, at+d)
				}
				for _, d := range keptOutputs(wrapped, before) {
					diffs = append(diffs, at+d)
				}
			}
			if h := storeHits(t, store); h != int64(c.hits) {
				diffs = append(diffs, fmt.Sprintf("%d record hits in the wrapped runs, want %d", h, c.hits))
			}
			switch {
			case len(diffs) > 0 && c.design != "" && likebare.Expected(diffs, c.expect):
				t.Logf("intended (%s):\n  %s", c.design, strings.Join(diffs, "\n  "))
			case len(diffs) > 0:
				t.Errorf("stable run %s -- %q differs from the command alone:\n  %s",
					strings.Join(c.opts, " "), c.cmd, strings.Join(diffs, "\n  "))
			case c.design != "":
				t.Logf("no difference any more; the note can go: %s", c.design)
			}
		})
	}
}

// past is the mtime of every file set up, so that a rewrite shows.
var past = time.Date(2001, 1, 1, 0, 0, 0, 0, time.UTC)

func setupRunLikeBare(t *testing.T, dir, prep string) {
	t.Helper()
	for name, s := range runLikeBareFiles {
		p := filepath.Join(dir, name)
		if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(p, []byte(s), 0o644); err != nil {
			t.Fatal(err)
		}
		if err := os.Chmod(p, 0o644); err != nil { // whatever the umask
			t.Fatal(err)
		}
	}
	if prep != "" {
		shellIn(t, dir, prep)
	}
	filepath.WalkDir(dir, func(p string, d fs.DirEntry, err error) error {
		if err == nil && d.Type()&fs.ModeSymlink == 0 {
			os.Chtimes(p, past, past)
		}
		return nil
	})
}

func shellIn(t *testing.T, dir, script string) {
	t.Helper()
	cmd := exec.Command("sh", "-c", script)
	cmd.Dir = dir
	cmd.Env = runLikeBareEnv()
	if out, err := cmd.CombinedOutput(); err != nil {
		t.Fatalf("%s: %v\n%s", script, err, out)
	}
}

func runLikeBareEnv() []string {
	var env []string
	for _, e := range os.Environ() {
		if !strings.HasPrefix(e, "STABLE_") && !strings.HasPrefix(e, "LC_") && !strings.HasPrefix(e, "LANG") {
			env = append(env, e)
		}
	}
	return append(env, "LC_ALL=C")
}

type runResult struct {
	code           int
	stdout, stderr string
}

// runAlone runs the command as a make recipe would, through sh, with its
// stdout sent to the --stdout file when there is one.
func runAlone(t *testing.T, dir string, c runLikeBareCase) runResult {
	t.Helper()
	script := `"$@"`
	var args []string
	if i := slices.Index(c.opts, "--stdout"); i >= 0 {
		script = `o=$1; shift; "$@" > "$o"`
		args = append(args, c.opts[i+1])
	}
	args = append([]string{"sh", "-c", script, "sh"}, append(args, c.cmd...)...)
	return runCmdIn(t, dir, exec.Command(args[0], args[1:]...), runLikeBareEnv(), c.joined)
}

// runStable runs `stable run OPTS -- CMD`: this test binary under that
// name, with its own record store.
func runStable(t *testing.T, dir, store string, c runLikeBareCase) runResult {
	t.Helper()
	args := append(append(append([]string{"run"}, c.opts...), "--"), c.cmd...)
	cmd := exec.Command(os.Args[0], args...)
	cmd.Args[0] = "stable"
	return runCmdIn(t, dir, cmd, append(runLikeBareEnv(), likebare.Env+"=1", "STABLE_DIR="+store), c.joined)
}

// runCmdIn runs cmd in dir; joined sends stdout and stderr down one pipe.
func runCmdIn(t *testing.T, dir string, cmd *exec.Cmd, env []string, joined bool) runResult {
	t.Helper()
	cmd.Dir = dir
	cmd.Env = env
	var out, errs bytes.Buffer
	cmd.Stdout, cmd.Stderr = &out, &errs
	if joined {
		cmd.Stderr = cmd.Stdout
	}
	err := cmd.Run()
	if err != nil && cmd.ProcessState == nil {
		t.Fatal(err)
	}
	return runResult{cmd.ProcessState.ExitCode(), out.String(), errs.String()}
}

// storeHits counts the record hits a store saw.
func storeHits(t *testing.T, dir string) int64 {
	t.Helper()
	s, err := stable.OpenStore(dir)
	if err != nil {
		t.Fatal(err)
	}
	return s.ReadStats().Hits
}

// snapTree describes every entry under dir: type, mode, content or target.
func snapTree(t *testing.T, dir string) map[string]string {
	t.Helper()
	m := map[string]string{}
	err := filepath.WalkDir(dir, func(p string, d fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		rel, _ := filepath.Rel(dir, p)
		info, err := d.Info()
		if err != nil {
			return err
		}
		switch {
		case d.Type()&fs.ModeSymlink != 0:
			target, _ := os.Readlink(p)
			m[rel] = "symlink to " + target
		case d.IsDir():
			m[rel] = fmt.Sprintf("directory %v", info.Mode().Perm())
		default:
			b, _ := os.ReadFile(p)
			m[rel] = fmt.Sprintf("%v %q", info.Mode(), b)
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	return m
}

func diffTrees(alone, wrapped map[string]string) []string {
	var d []string
	for k, v := range alone {
		w, ok := wrapped[k]
		switch {
		case !ok:
			d = append(d, fmt.Sprintf("%s only alone (%s)", k, v))
		case v != w:
			d = append(d, fmt.Sprintf("%s: %s alone, %s wrapped", k, v, w))
		}
	}
	for k, w := range wrapped {
		if _, ok := alone[k]; !ok {
			d = append(d, fmt.Sprintf("%s only wrapped (%s)", k, w))
		}
	}
	slices.Sort(d)
	return d
}

// outState is an output file as the wrapper found it.
type outState struct {
	link    string // "" for a regular file, else the symlink's target
	ino     uint64
	mtime   time.Time
	mode    fs.FileMode
	content []byte
}

// outputNames lists the files the wrapper looks after: each -o and
// --stdout file (through symlinks), every regular file under each --tree
// directory, the --inplace file.
func outputNames(dir string, c runLikeBareCase) []string {
	var names []string
	for i := 0; i < len(c.opts); i++ {
		switch c.opts[i] {
		case "-o", "--stdout":
			names = append(names, c.opts[i+1])
			i++
		case "-i", "--env":
			i++
		case "--tree":
			root := c.opts[i+1]
			i++
			// The trailing slash follows a symlinked root.
			filepath.WalkDir(filepath.Join(dir, root)+"/", func(p string, d fs.DirEntry, err error) error {
				if err == nil && d.Type().IsRegular() {
					rel, _ := filepath.Rel(dir, p)
					names = append(names, rel)
				}
				return nil
			})
		case "--inplace":
			names = append(names, c.cmd[len(c.cmd)-1])
		}
	}
	return names
}

func outputStates(dir string, c runLikeBareCase) map[string]outState {
	m := map[string]outState{}
	for _, n := range outputNames(dir, c) {
		if st, ok := statOutput(filepath.Join(dir, n)); ok {
			m[n] = st
		}
	}
	return m
}

func statOutput(p string) (outState, bool) {
	link := ""
	if li, err := os.Lstat(p); err == nil && li.Mode()&fs.ModeSymlink != 0 {
		link, _ = os.Readlink(p)
		link = "-> " + link
	}
	fi, err := os.Stat(p)
	if err != nil || !fi.Mode().IsRegular() {
		return outState{}, false
	}
	b, err := os.ReadFile(p)
	if err != nil {
		return outState{}, false
	}
	return outState{link: link, ino: fi.Sys().(*syscall.Stat_t).Ino, mtime: fi.ModTime(), mode: fi.Mode(), content: b}, true
}

// keptOutputs reports each output whose content and mode are what they
// were before the wrapped run but whose inode or mtime are not.
func keptOutputs(dir string, before map[string]outState) []string {
	var d []string
	for n, old := range before {
		now, ok := statOutput(filepath.Join(dir, n))
		if !ok || now.link != old.link || now.mode != old.mode || !bytes.Equal(now.content, old.content) {
			continue
		}
		if now.ino != old.ino {
			d = append(d, fmt.Sprintf("%s: same content and mode, but a new inode when wrapped", n))
		}
		if !now.mtime.Equal(old.mtime) {
			d = append(d, fmt.Sprintf("%s: same content and mode, but mtime %s became %s when wrapped", n,
				old.mtime.Format(time.RFC3339Nano), now.mtime.Format(time.RFC3339Nano)))
		}
	}
	slices.Sort(d)
	return d
}
