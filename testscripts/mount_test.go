package testscripts

import (
	"os"
	"os/exec"
	"strings"

	"github.com/rogpeppe/go-internal/testscript"
)

// mount-tmpfs DIR SIZE: mount a small tmpfs (a full disk, a read-only
// directory) at DIR for the rest of the script. Needs root: guard with
// [root].
func mountTmpfs(ts *testscript.TestScript, neg bool, args []string) {
	if len(args) < 2 {
		ts.Fatalf("usage: mount-tmpfs DIR SIZE")
	}
	dir := ts.MkAbs(args[0])
	os.MkdirAll(dir, 0o777)
	opts := "size=" + args[1]
	if out, err := exec.Command("mount", "-t", "tmpfs", "-o", opts, "tmpfs", dir).CombinedOutput(); err != nil {
		ts.Fatalf("mount: %v: %s", err, out)
	}
	ts.Defer(func() { exec.Command("umount", "-l", dir).Run() })
}

// remount-ro DIR: make a mount-tmpfs directory read-only.
func remountRO(ts *testscript.TestScript, neg bool, args []string) {
	dir := ts.MkAbs(args[0])
	if out, err := exec.Command("mount", "-o", "remount,ro", dir).CombinedOutput(); err != nil {
		ts.Fatalf("remount: %v: %s", err, out)
	}
}

// condition answers [root]: the script may mount filesystems.
func condition(cond string) (bool, error) {
	switch cond {
	case "root":
		if os.Getuid() != 0 {
			return false, nil
		}
		dir, err := os.MkdirTemp("", "mnt")
		if err != nil {
			return false, nil
		}
		defer os.Remove(dir)
		if exec.Command("mount", "-t", "tmpfs", "-o", "size=4k", "tmpfs", dir).Run() != nil {
			return false, nil
		}
		exec.Command("umount", dir).Run()
		return true, nil
	}
	return false, &unknownCond{cond}
}

type unknownCond struct{ c string }

func (u *unknownCond) Error() string { return "unknown condition " + strings.TrimSpace(u.c) }
