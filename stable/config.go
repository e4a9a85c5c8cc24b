package stable

import (
	"os"
	"strings"
)

// config is what the environment says about every wrapper, ccache-style:
//
//	STABLE_DIR       record store (default: the user cache dir, .../stable)
//	STABLE_MAXSIZE   record store bound, e.g. 200M (default 512M)
//	STABLE_DISABLE   1: run every tool unmodified
//	STABLE_NORECORDS 1: compare and commit outputs, never skip a tool
//	STABLE_SETTLE    0: an unchanged output older than its inputs keeps its
//	                 old mtime instead of getting the current one (settle.go)
//	STABLE_VERIFY    1: run the tool even where a record answers, and report
//	                 every decision the run contradicts (verify.go)
//	STABLE_DEBUG     1: each decision on the terminal; a path: appended there
//	STABLE_LOG       FILE: one JSON line per action appended to FILE
type config struct {
	Dir       string
	Disabled  bool
	NoRecords bool
	Settle    bool
	Verify    bool
	Debug     string // "", "1" (the terminal) or a file
	Log       string
}

// fromEnv reads the configuration.
func fromEnv() config {
	return config{
		Dir:       DefaultDir(),
		Disabled:  truthy(os.Getenv("STABLE_DISABLE")),
		NoRecords: truthy(os.Getenv("STABLE_NORECORDS")),
		Settle:    os.Getenv("STABLE_SETTLE") == "" || truthy(os.Getenv("STABLE_SETTLE")),
		Verify:    truthy(os.Getenv("STABLE_VERIFY")),
		Debug:     debugTarget(os.Getenv("STABLE_DEBUG")),
		Log:       os.Getenv("STABLE_LOG"),
	}
}

func truthy(v string) bool { return v != "" && v != "0" && v != "false" && v != "no" }

// debugTarget reads STABLE_DEBUG: a path (it holds a slash) is a file to
// append to, any other true value means the terminal.
func debugTarget(v string) string {
	switch {
	case strings.Contains(v, "/"):
		return v
	case truthy(v):
		return "1"
	}
	return ""
}

// EnvHelp is the environment section of every wrapper's --help.
const EnvHelp = `Environment, for every wrapper:
  STABLE_DIR=DIR       record store (default: the user cache directory)
  STABLE_MAXSIZE=SIZE  bound of the record store, e.g. 200M (default 512M)
  STABLE_DISABLE=1     run every tool unmodified
  STABLE_NORECORDS=1   compare and commit, never skip a tool
  STABLE_SETTLE=0      an unchanged output older than its inputs keeps its old
                       mtime (default: it gets the current time, as a rebuild
                       would give it, so make and ninja stop asking; see README)
  STABLE_VERIFY=1      run the tool even where a record answers, report every
                       decision the run contradicts, exit 3 if there is one
  STABLE_DEBUG=1       each decision on the terminal (STABLE_DEBUG=FILE: appended
                       to FILE); never on the tool's own stdout or stderr
  STABLE_LOG=FILE      append one JSON line per action to FILE
`
