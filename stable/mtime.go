package stable

import (
	"os"
	"time"
)

// NotNewer sets a's mtime to b's when a is newer, to the nanosecond: make
// rebuilds only when a prerequisite is strictly newer, so equal is settled.
func NotNewer(a, b string) error {
	fa, err := os.Stat(a)
	if err != nil {
		return err
	}
	fb, err := os.Stat(b)
	if err != nil {
		return err
	}
	if !fa.ModTime().After(fb.ModTime()) {
		return nil
	}
	return os.Chtimes(a, time.Time{}, fb.ModTime())
}
