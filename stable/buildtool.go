package stable

import (
	"bytes"
	"os"
	"strconv"
	"strings"
	"sync"
	"time"

	"golang.org/x/sys/unix"
)

// build is the build tool this wrapper runs under, found among its
// ancestor processes (a recipe's shell, a compiler launcher or a script may
// stand between): make re-stats a target after its recipe, ninja does not
// for rules without restat, and settle.go and revive.go decide by that.
type build struct {
	tool  string // "make", "ninja", or "" when neither is found
	start int64  // when the outermost make among the ancestors started (ns)
	pid   int    // that make's process id
	ticks int64  // and its start time in clock ticks since boot: with pid, the build's name
}

var buildInfo = sync.OnceValue(func() build {
	var b build
	pid := os.Getppid()
	for i := 0; i < 32 && pid > 1; i++ {
		st, ok := readProc(pid)
		if !ok {
			break
		}
		switch st.comm {
		case "make", "gmake", "remake":
			if b.tool == "" {
				b.tool = "make"
			}
			if b.tool == "make" {
				b.start, b.pid, b.ticks = st.start, pid, st.ticks // the outermost wins
			}
		case "ninja", "samu":
			if b.tool == "" {
				b.tool = "ninja"
			}
		}
		pid = st.ppid
	}
	return b
})

type procInfo struct {
	comm  string
	ppid  int
	start int64 // ns since the epoch
	ticks int64 // clock ticks since boot
}

// readProc reads a process's command name, parent and start time.
func readProc(pid int) (procInfo, bool) {
	b, err := os.ReadFile("/proc/" + strconv.Itoa(pid) + "/stat")
	if err != nil {
		return procInfo{}, false
	}
	// pid (comm) state ppid ...; comm may hold spaces and parentheses.
	open, end := bytes.IndexByte(b, '('), bytes.LastIndexByte(b, ')')
	if open < 0 || end < open {
		return procInfo{}, false
	}
	f := bytes.Fields(b[end+1:])
	if len(f) < 20 {
		return procInfo{}, false
	}
	ppid, err1 := strconv.Atoi(string(f[1]))
	ticks, err2 := strconv.ParseInt(string(f[19]), 10, 64)
	if err1 != nil || err2 != nil {
		return procInfo{}, false
	}
	return procInfo{comm: string(b[open+1 : end]), ppid: ppid, ticks: ticks,
		start: bootTime() + ticks*int64(time.Second)/clockTicks}, true
}

// clockTicks is the kernel's USER_HZ, the unit of a process's start time
// in /proc: 100 on every Linux architecture that matters here.
const clockTicks = 100

// bootTime is when the system booted (ns since the epoch): the wall clock
// less the time since boot, to the nanosecond (/proc/stat's btime has only
// seconds).
var bootTime = sync.OnceValue(func() int64 {
	var ts unix.Timespec
	if unix.ClockGettime(unix.CLOCK_BOOTTIME, &ts) != nil {
		return 0
	}
	return time.Now().UnixNano() - ts.Nano()
})

// buildTool names the build tool this wrapper runs under.
func buildTool() string { return buildInfo().tool }

// Parent is the command name of this process's parent ("" when unknown).
func Parent() string {
	st, _ := readProc(os.Getppid())
	return st.comm
}

// ParentArgs is the command line of this process's parent (nil when
// unknown): a wrapper may learn there what kind of caller runs it.
func ParentArgs() []string {
	b, err := os.ReadFile("/proc/" + strconv.Itoa(os.Getppid()) + "/cmdline")
	if err != nil || len(b) == 0 {
		return nil
	}
	return strings.Split(strings.TrimSuffix(string(b), "\x00"), "\x00")
}
