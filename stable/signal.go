package stable

import (
	"os"
	"os/signal"
	"sync"
	"syscall"
)

// guard routes SIGINT, SIGTERM and SIGHUP: while a tool runs they are passed
// on to it (the wrapper then exits the way the tool did, after removing its
// temporaries); at any other moment the wrapper removes its temporaries and
// dies of the signal at once.
var guard struct {
	sync.Mutex
	once  sync.Once
	child *os.Process
	got   syscall.Signal
}

// Guard installs the signal routing. Every wrapper calls it first, before
// any temporary exists.
func Guard() {
	guard.once.Do(func() {
		ch := make(chan os.Signal, 8)
		signal.Notify(ch, syscall.SIGINT, syscall.SIGTERM, syscall.SIGHUP)
		go func() {
			for s := range ch {
				onSignal(s.(syscall.Signal))
			}
		}()
	})
}

func onSignal(s syscall.Signal) {
	guard.Lock()
	defer guard.Unlock()
	if guard.got == 0 {
		guard.got = s
	}
	if guard.child != nil {
		guard.child.Signal(s)
		return
	}
	Exit(Status{Code: 128 + int(s), Signal: s})
}

func setChild(p *os.Process) {
	guard.Lock()
	guard.child = p
	guard.Unlock()
}

// interrupted returns the first signal received, or 0.
func interrupted() syscall.Signal {
	guard.Lock()
	defer guard.Unlock()
	return guard.got
}
