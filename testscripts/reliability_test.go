package testscripts

import (
	"bytes"
	"fmt"
	"math/rand/v2"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"sync"
	"syscall"
	"testing"
	"time"
)

// buildBinaries builds the wrappers once for the tests that drive them as
// separate processes (killing them, running them side by side).
var buildBinaries = sync.OnceValues(func() (string, error) {
	dir, err := os.MkdirTemp("", "stable-bin")
	if err != nil {
		return "", err
	}
	cmd := exec.Command("go", "build", "-o", dir+"/", "stable/cmd/...")
	if out, err := cmd.CombinedOutput(); err != nil {
		return "", fmt.Errorf("go build: %v\n%s", err, out)
	}
	return dir, nil
})

// rig is a directory with two variants of every input and the bytes each
// tool writes for them unwrapped.
type rig struct {
	t        *testing.T
	dir, bin string
	env      []string
}

// job is one wrapped tool invocation of the rig; want maps each output to
// its content for variant 0 and 1.
type job struct {
	name   string
	argv   []string
	inputs map[string][2][]byte
	want   map[string][2][]byte
}

func newRig(t *testing.T) *rig {
	bin, err := buildBinaries()
	if err != nil {
		t.Fatal(err)
	}
	dir := t.TempDir()
	return &rig{t: t, dir: dir, bin: bin,
		env: append(os.Environ(), "STABLE_DIR="+filepath.Join(dir, ".records"), "PATH="+bin+":"+os.Getenv("PATH"))}
}

// sh runs a command in dir unwrapped and returns its error.
func (r *rig) sh(dir, script string) {
	cmd := exec.Command("sh", "-c", script)
	cmd.Dir = dir
	if out, err := cmd.CombinedOutput(); err != nil {
		r.t.Fatalf("%s: %v\n%s", script, err, out)
	}
}

// jobs sets up the three kinds of action: stable run, stable-objcopy and
// stablecc, each with a small and a large variant so that a truncated
// output cannot pass for either.
func (r *rig) jobs() []*job {
	ref := r.t.TempDir()
	big := strings.Repeat("a line of the large variant\n", 80000)
	r.sh(ref, `printf 'int k(void) { return 1; }\n' > k0.c
		{ echo 'static const char pad[2000000] = { 1 };'; echo 'int k(void) { return pad[7]; }'; } > k1.c
		gcc -c -o k0.o k0.c && gcc -c -o k1.o k1.c
		objcopy --prefix-symbols=p_ k0.o p0.o && objcopy --prefix-symbols=p_ k1.o p1.o
		cp k0.c x.c && gcc -MD -c -o x.o x.c && mv x.o x0.o && mv x.d x0.d
		cp k1.c x.c && gcc -MD -c -o x.o x.c && mv x.o x1.o && mv x.d x1.d`)
	read := func(name string) []byte {
		b, err := os.ReadFile(filepath.Join(ref, name))
		if err != nil {
			r.t.Fatal(err)
		}
		return b
	}
	pair := func(a, b string) [2][]byte { return [2][]byte{read(a), read(b)} }
	return []*job{
		{name: "run", argv: []string{"stable", "run", "-i", "in.txt", "-o", "out.txt", "--", "sh", "-c", `sed 's/^/x/' "$0" > "$1"`, "in.txt", "out.txt"},
			inputs: map[string][2][]byte{"in.txt": {[]byte("small\n"), []byte(big)}},
			want:   map[string][2][]byte{"out.txt": {[]byte("xsmall\n"), []byte(strings.ReplaceAll("\n"+big, "\na", "\nxa")[1:])}}},
		{name: "objcopy", argv: []string{"stable-objcopy", "--prefix-symbols=p_", "k.o", "p.o"},
			inputs: map[string][2][]byte{"k.o": pair("k0.o", "k1.o")},
			want:   map[string][2][]byte{"p.o": pair("p0.o", "p1.o")}},
		{name: "cc", argv: []string{"stablecc", "gcc", "-MD", "-c", "-o", "x.o", "x.c"},
			inputs: map[string][2][]byte{"x.c": pair("k0.c", "k1.c")},
			want:   map[string][2][]byte{"x.o": pair("x0.o", "x1.o"), "x.d": pair("x0.d", "x1.d")}},
	}
}

func (r *rig) setInputs(j *job, v int) {
	for name, c := range j.inputs {
		if err := os.WriteFile(filepath.Join(r.dir, name), c[v], 0o666); err != nil {
			r.t.Fatal(err)
		}
	}
}

func (r *rig) command(j *job) *exec.Cmd {
	cmd := exec.Command(filepath.Join(r.bin, j.argv[0]), j.argv[1:]...)
	cmd.Dir, cmd.Env = r.dir, r.env
	cmd.SysProcAttr = &syscall.SysProcAttr{Setpgid: true}
	return cmd
}

// checkOutputs fails unless every output is absent or exactly one
// variant's content.
func (r *rig) checkOutputs(j *job, what string) {
	for name, w := range j.want {
		b, err := os.ReadFile(filepath.Join(r.dir, name))
		if os.IsNotExist(err) {
			continue
		}
		if err != nil || !bytes.Equal(b, w[0]) && !bytes.Equal(b, w[1]) {
			r.t.Fatalf("%s: %s is neither old nor new (%d bytes, %v)", what, name, len(b), err)
		}
	}
}

func (r *rig) temps() []string {
	m, _ := filepath.Glob(filepath.Join(r.dir, ".stable-*"))
	return m
}

// TestKill kills a wrapper, its tool or both with SIGKILL at random moments
// over many runs: each output is always the old or the new content, never
// a mix or truncated; leftover temporaries of a killed wrapper go with the
// next run in the directory; and the next runs produce exactly the bytes
// of the unwrapped tools.
func TestKill(t *testing.T) {
	n := 1000
	if testing.Short() {
		n = 60
	}
	if v, err := strconv.Atoi(os.Getenv("STABLE_KILL_ITERATIONS")); err == nil {
		n = v
	}
	r := newRig(t)
	jobs := r.jobs()
	took := map[string]time.Duration{}
	for _, j := range jobs {
		r.setInputs(j, 0)
		start := time.Now()
		if out, err := r.command(j).CombinedOutput(); err != nil {
			t.Fatalf("%s: %v\n%s", j.name, err, out)
		}
		took[j.name] = time.Since(start)
	}
	killed := map[string]int{}
	for i := 0; i < n; i++ {
		j := jobs[i%len(jobs)]
		r.setInputs(j, (i/len(jobs)+1)%2)
		cmd := r.command(j)
		if err := cmd.Start(); err != nil {
			t.Fatal(err)
		}
		time.Sleep(time.Duration(rand.Int64N(int64(took[j.name])*5/4 + 1)))
		victim := []string{"wrapper", "tool", "group"}[rand.IntN(3)]
		killVictim(cmd.Process.Pid, victim)
		cmd.Wait()
		syscall.Kill(-cmd.Process.Pid, syscall.SIGKILL) // whatever the victim left running
		killed[victim]++
		r.checkOutputs(j, fmt.Sprintf("iteration %d (%s, %s killed)", i, j.name, victim))
	}
	t.Logf("%d iterations; killed %v; %d leftover temporaries", n, killed, len(r.temps()))
	time.Sleep(1100 * time.Millisecond) // leftovers are swept once a second old
	for _, j := range jobs {
		for v := range 2 {
			r.setInputs(j, v)
			time.Sleep(20 * time.Millisecond)
			if out, err := r.command(j).CombinedOutput(); err != nil {
				t.Fatalf("%s: %v\n%s", j.name, err, out)
			}
			for name, w := range j.want {
				if b, _ := os.ReadFile(filepath.Join(r.dir, name)); !bytes.Equal(b, w[v]) {
					t.Fatalf("after the kills, %s variant %d: %s differs from an unwrapped run", j.name, v, name)
				}
			}
		}
	}
	if left := r.temps(); len(left) > 0 {
		t.Fatalf("temporaries left after the next runs: %v", left)
	}
}

// killVictim sends SIGKILL to the wrapper, to its tool (the wrapper's
// child, when it has one yet), or to the whole process group.
func killVictim(pid int, victim string) {
	switch victim {
	case "group":
		syscall.Kill(-pid, syscall.SIGKILL)
	case "tool":
		b, _ := os.ReadFile(fmt.Sprintf("/proc/%d/task/%d/children", pid, pid))
		if f := strings.Fields(string(b)); len(f) > 0 {
			if c, err := strconv.Atoi(f[0]); err == nil {
				syscall.Kill(c, syscall.SIGKILL)
				return
			}
		}
		fallthrough
	default:
		syscall.Kill(pid, syscall.SIGKILL)
	}
}

// TestConcurrent runs eight copies of each wrapper on the same output and
// the same record at once (BPF selftests build one object several times in
// parallel): every run succeeds quietly and the outputs end as the tool
// writes them.
func TestConcurrent(t *testing.T) {
	r := newRig(t)
	for round := range 6 {
		for _, j := range r.jobs()[:3] {
			v := round % 2
			r.setInputs(j, v)
			time.Sleep(20 * time.Millisecond)
			var wg sync.WaitGroup
			errs := make(chan string, 8)
			for range 8 {
				wg.Add(1)
				go func() {
					defer wg.Done()
					out, err := r.command(j).CombinedOutput()
					if err != nil || len(out) > 0 {
						errs <- fmt.Sprintf("%s: %v: %s", j.name, err, out)
					}
				}()
			}
			wg.Wait()
			close(errs)
			for e := range errs {
				t.Fatal(e)
			}
			for name, w := range j.want {
				if b, _ := os.ReadFile(filepath.Join(r.dir, name)); !bytes.Equal(b, w[v]) {
					t.Fatalf("round %d %s: %s is not what the tool writes", round, j.name, name)
				}
			}
		}
	}
	if left := r.temps(); len(left) > 0 {
		t.Fatalf("temporaries left: %v", left)
	}
}
