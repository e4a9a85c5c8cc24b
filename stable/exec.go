package stable

import (
	"bytes"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
	"os/exec"
	"syscall"
	"time"

	"golang.org/x/term"
)

// Status is how a tool ended: an exit code, or the signal that killed it.
type Status struct {
	Code   int
	Signal syscall.Signal
}

// OK reports a zero exit.
func (s Status) OK() bool { return s.Code == 0 && s.Signal == 0 }

// Conventional statuses of a shell for a tool it could not start.
const (
	CodeNotExecutable = 126
	CodeNotFound      = 127
)

// maxCapture bounds what is kept of a tool's stdout and stderr for replay.
// A tool that prints more runs every time: its output cannot be replayed.
const maxCapture = 1 << 20

// toolRun is one run of a tool.
type toolRun struct {
	Argv   []string
	Path   string // the executable; "" looks Argv[0] up
	Dir    string
	Env    []string  // nil: inherit
	Stdout *os.File  // nil: inherit (and capture when possible)
	Stdin  io.Reader // nil: inherit
	// Capture keeps what the tool prints on stdout and stderr, so a record
	// hit can replay it. Streams that are terminals are never captured (the
	// tool would lose its colours); Captured tells.
	Capture bool
	// ForceCapture captures stderr even on a terminal: the wrapper asked
	// the tool to print as on one (TerminalArgs).
	ForceCapture bool

	// Unname, when set, rewrites the tool's messages (stderr) before they
	// are shown: temporary paths back to the real output names.
	Unname func([]byte) []byte

	Out, Err []byte
	hold     *holdWriter
	Captured bool
	Combined bool // stdout and stderr were one file; everything is in Err
	Elapsed  time.Duration
}

// Run starts the tool and waits for it. A signal that reached the wrapper
// meanwhile (see Guard) went on to the tool, and the returned status carries
// it so the caller can clean up and die the same way.
func (c *toolRun) Run() (Status, error) {
	path, err := toolPath(c.Path, c.Argv[0], c.Dir)
	if err != nil {
		return notStarted(err), err
	}
	cmd := &exec.Cmd{Path: path, Args: c.Argv, Dir: c.Dir, Env: c.Env, Stdin: c.Stdin}
	if cmd.Stdin == nil {
		cmd.Stdin = os.Stdin
	}
	outCap, errCap := c.wire(cmd)
	start := time.Now()
	guard.Lock()
	err = cmd.Start()
	if err == nil {
		guard.child = cmd.Process
	}
	guard.Unlock()
	if err != nil {
		return notStarted(err), fmt.Errorf("%s: %w", c.Argv[0], unwrapPath(err))
	}
	err = cmd.Wait()
	setChild(nil)
	c.Elapsed = time.Since(start)
	if c.hold != nil {
		c.hold.Flush()
	}
	c.collect(outCap, errCap)
	st := statusOf(cmd.ProcessState)
	if sig := interrupted(); sig != 0 {
		st.Signal = sig
	}
	if err != nil && cmd.ProcessState == nil {
		return st, err
	}
	return st, nil
}

func statusOf(ps *os.ProcessState) Status {
	if ps == nil {
		return Status{Code: 1}
	}
	if ws, ok := ps.Sys().(syscall.WaitStatus); ok && ws.Signaled() {
		return Status{Code: 128 + int(ws.Signal()), Signal: ws.Signal()}
	}
	return Status{Code: ps.ExitCode()}
}

func notStarted(err error) Status {
	if errors.Is(err, fs.ErrPermission) || errors.Is(err, syscall.ENOEXEC) || errors.Is(err, syscall.E2BIG) {
		return Status{Code: CodeNotExecutable}
	}
	return Status{Code: CodeNotFound}
}

// capBuf keeps up to maxCapture bytes of what passes through it.
type capBuf struct {
	bytes.Buffer
	over bool
}

func (b *capBuf) Write(p []byte) (int, error) {
	if b.Len()+len(p) > maxCapture {
		b.over = true
	} else {
		b.Buffer.Write(p)
	}
	return len(p), nil
}

// wire connects the tool's stdout and stderr: straight to ours, through a
// holder that puts real output names back into messages (Unname), and
// through a tee that keeps a copy for records.
func (c *toolRun) wire(cmd *exec.Cmd) (outCap, errCap *capBuf) {
	cmd.Stdout, cmd.Stderr = os.Stdout, os.Stderr
	if c.Stdout != nil {
		cmd.Stdout = c.Stdout
	}
	var errW io.Writer = os.Stderr
	capture := c.Capture && (c.ForceCapture || !isTerminal(os.Stderr))
	if capture {
		c.Captured = true
		errCap = &capBuf{}
		errW = io.MultiWriter(os.Stderr, errCap)
	}
	if c.Unname != nil {
		c.hold = &holdWriter{dst: errW, fix: c.Unname}
		errW = c.hold
	}
	cmd.Stderr = errW
	switch {
	case c.Stdout != nil:
	case sameFile(os.Stdout, os.Stderr):
		// One pipe for both keeps the interleaving of a 2>&1 log exact.
		c.Combined = capture
		cmd.Stdout = cmd.Stderr
	case !capture:
	case isTerminal(os.Stdout):
		// Left alone so the tool sees its terminal. Only a wrapper that
		// forces capture gets here (compilers print nothing on stdout when
		// they compile); otherwise a terminal stdout cannot be replayed.
		c.Captured = c.ForceCapture
	default:
		outCap = &capBuf{}
		cmd.Stdout = io.MultiWriter(os.Stdout, outCap)
	}
	return outCap, errCap
}

// holdWriter keeps a tool's messages until it exits, so the temporary
// names in them can be turned back into the real ones: the wrapped tool
// then says exactly what the tool alone would. Beyond maxCapture it gives
// up holding and streams the rest unchanged.
type holdWriter struct {
	dst       io.Writer
	fix       func([]byte) []byte
	buf       bytes.Buffer
	streaming bool
}

func (h *holdWriter) Write(p []byte) (int, error) {
	if h.streaming {
		return h.dst.Write(p)
	}
	h.buf.Write(p)
	if h.buf.Len() > maxCapture {
		h.Flush()
		h.streaming = true
	}
	return len(p), nil
}

// Flush writes what is held, with real names.
func (h *holdWriter) Flush() {
	if h.buf.Len() > 0 {
		h.dst.Write(h.fix(h.buf.Bytes()))
		h.buf.Reset()
	}
}

func (c *toolRun) collect(outCap, errCap *capBuf) {
	if outCap != nil {
		c.Out = outCap.Bytes()
		c.Captured = c.Captured && !outCap.over
	}
	if errCap != nil {
		c.Err = errCap.Bytes()
		c.Captured = c.Captured && !errCap.over
	}
}

func isTerminal(f *os.File) bool { return term.IsTerminal(int(f.Fd())) }

func sameFile(a, b *os.File) bool {
	fa, err1 := a.Stat()
	fb, err2 := b.Stat()
	return err1 == nil && err2 == nil && os.SameFile(fa, fb)
}

// execTool replaces this process with the tool; it returns only on failure.
func execTool(path string, argv []string, dir string) error {
	path, err := toolPath(path, argv[0], dir)
	if err != nil {
		return err
	}
	if dir != "" {
		if err := os.Chdir(dir); err != nil {
			return err
		}
	}
	err = syscall.Exec(path, argv, os.Environ())
	return fmt.Errorf("%s: %w", argv[0], unwrapPath(err))
}

// toolPath is path when the wrapper already found the tool, else the
// lookup of name.
func toolPath(path, name, dir string) (string, error) {
	if path != "" {
		return path, nil
	}
	return LookPath(name, dir)
}
