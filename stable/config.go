package stable

import (
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"os"
	"path/filepath"
)

// Config is what the environment says about every wrapper, ccache-style:
//
//	STABLE_DIR      record store (default: the user cache dir, .../stable)
//	STABLE_MAXSIZE  record store bound, e.g. 200M (default 512M)
//	STABLE_DISABLE  1: run every tool unmodified
//	STABLE_NORECORDS 1: compare and commit outputs, never skip a tool
//	STABLE_DEBUG    1: print each decision on stderr
//	STABLE_SETTLE   1: unchanged objects older than a source get the current
//	                time (settle.go), so make stops asking for them
type Config struct {
	Dir       string
	Disabled  bool
	NoRecords bool
	Debug     bool
	Settle    bool
}

// FromEnv reads the configuration.
func FromEnv() Config {
	return Config{
		Dir:       DefaultDir(),
		Disabled:  truthy(os.Getenv("STABLE_DISABLE")),
		NoRecords: truthy(os.Getenv("STABLE_NORECORDS")),
		Debug:     truthy(os.Getenv("STABLE_DEBUG")),
		Settle:    truthy(os.Getenv("STABLE_SETTLE")),
	}
}

func truthy(v string) bool { return v != "" && v != "0" && v != "false" && v != "no" }

// Apply wires the configuration into an action: the store (nil when records
// are off or unusable) and the debug log.
func (c Config) Apply(a *Action) {
	if c.Debug {
		a.Log = func(format string, args ...any) {
			fmt.Fprintf(os.Stderr, "stable: "+format+"\n", args...)
		}
	}
	if !c.Settle {
		a.Settle, a.SettleInputs, a.keepNew = nil, nil, true
	}
	if c.NoRecords {
		if len(a.Revive) > 0 {
			// No notes this time: those of earlier runs may be stale after.
			if s, err := OpenStore(c.Dir); err == nil {
				a.forget(s)
			}
			a.Revive = nil
		}
		return
	}
	s, err := OpenStore(c.Dir)
	if err != nil {
		warnOnce(c.Dir, fmt.Sprintf("stable: records off, %v", err))
		return
	}
	a.Store = s
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
	fmt.Fprintln(os.Stderr, msg)
}
