package stable

import (
	"os"
	"os/signal"
	"syscall"
	"time"
)

// Exit ends the wrapper the way the tool ended: with its exit code, or by
// the signal that stopped it, so make reports an interrupted build as one.
// Temporaries still in place are removed first.
func Exit(st Status) {
	removeLive()
	if st.Signal != 0 {
		signal.Reset(st.Signal)
		syscall.Kill(os.Getpid(), st.Signal)
		time.Sleep(100 * time.Millisecond)
		os.Exit(128 + int(st.Signal))
	}
	os.Exit(st.Code)
}
