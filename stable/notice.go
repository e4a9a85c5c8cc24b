package stable

import (
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"os"
	"path/filepath"
)

// A wrapper's own words never go to the tool's stdout or stderr on
// success: configure scripts and libtool read a compiler's stderr to decide
// what works, and one extra line there changes the build. Decisions
// (STABLE_DEBUG) go to the controlling terminal or to a file; the one
// warning a wrapper may have (records off) goes to the terminal, and to
// stderr only when there is none.

// openNotices opens where STABLE_DEBUG sends decisions; nil when nowhere.
func openNotices(target string) *os.File {
	switch target {
	case "":
		return nil
	case "1":
		f, err := os.OpenFile("/dev/tty", os.O_WRONLY, 0)
		if err != nil {
			return nil
		}
		return f
	}
	f, err := os.OpenFile(target, os.O_WRONLY|os.O_APPEND|os.O_CREATE, 0o666)
	if err != nil {
		return nil
	}
	return f
}

// logf writes one decision line, with a single write so that lines of
// parallel wrappers sharing a file never interleave.
func (r *Runner) logf(format string, args ...any) {
	if r.notices == nil {
		return
	}
	r.notices.WriteString(fmt.Sprintf("%s: "+format+"\n", append([]any{r.Name}, args...)...))
}

// warnOnce prints msg the first time it is seen for this user and key, so a
// build of a thousand objects says it once, not a thousand times.
func warnOnce(key, msg string) {
	sum := sha256.Sum256([]byte(key))
	mark := filepath.Join(os.TempDir(), fmt.Sprintf("stable-warned-%d-%s", os.Getuid(), hex.EncodeToString(sum[:6])))
	f, err := os.OpenFile(mark, os.O_WRONLY|os.O_CREATE|os.O_EXCL, 0o600)
	if err != nil && !os.IsNotExist(err) {
		return
	}
	if f != nil {
		f.Close()
	}
	if tty, err := os.OpenFile("/dev/tty", os.O_WRONLY, 0); err == nil {
		fmt.Fprintln(tty, msg)
		tty.Close()
		return
	}
	fmt.Fprintln(os.Stderr, msg)
}
