package stable

import (
	"crypto/sha256"
	"encoding/binary"
	"encoding/hex"
	"fmt"
	"os"
	"path/filepath"
)

// actionID is what makes two invocations the same action.
type actionID struct {
	Argv  []string // as the caller wrote it, with the real output names
	Dir   string   // absolute working directory
	Tool  string   // resolved executable
	Tools []string // further programs the tool runs (Action.Tools)
	Env   []string // NAME=value pairs that can change the result
	Extra []string // wrapper-specific facts (version, mode)
}

// identity is the record key of the action.
func (r *Runner) identity(a *Action) (string, error) {
	dir, err := a.absDir()
	if err != nil {
		return "", err
	}
	tool, err := toolPath(a.Path, a.Argv[0], a.Dir)
	if err != nil {
		return "", err
	}
	tool, _ = filepath.EvalSymlinks(tool)
	// The umask gives new outputs their mode: another umask, another
	// action (a hit would keep the mode of the old one).
	extra := append(append([]string{}, a.Extra...),
		"out="+fmt.Sprint(a.Outputs), "in="+fmt.Sprint(a.Inputs), "stdout="+a.StdoutTo,
		"umask="+fmt.Sprint(currentUmask()))
	return actionID{Argv: a.Argv, Dir: dir, Tool: tool, Tools: a.Tools, Env: a.Env, Extra: extra}.Key(), nil
}

func (a *Action) absDir() (string, error) {
	if filepath.IsAbs(a.Dir) {
		return a.Dir, nil
	}
	wd, err := os.Getwd()
	if err != nil {
		return "", err
	}
	return filepath.Join(wd, a.Dir), nil
}

// Key hashes an identity, including each program's stat, so an upgraded
// compiler (or assembler, or linker) never matches an old record.
func (id actionID) Key() string {
	h := sha256.New()
	put := func(tag string, ss []string) {
		h.Write([]byte(tag))
		var n [8]byte
		binary.LittleEndian.PutUint64(n[:], uint64(len(ss)))
		h.Write(n[:])
		for _, s := range ss {
			binary.LittleEndian.PutUint64(n[:], uint64(len(s)))
			h.Write(n[:])
			h.Write([]byte(s))
		}
	}
	put("v", []string{string(rune('0' + recordVersion))})
	put("argv", id.Argv)
	put("dir", []string{id.Dir})
	put("tool", toolFacts(id.Tool))
	for _, t := range id.Tools {
		put("tools", toolFacts(t))
	}
	put("env", id.Env)
	put("extra", id.Extra)
	return hex.EncodeToString(h.Sum(nil))
}

// toolFacts identifies a program by its path and stat: a reinstall gives
// it another inode, size or mtime.
func toolFacts(path string) []string {
	fi, err := os.Stat(path)
	if err != nil {
		return []string{path, "absent"}
	}
	st := statOf(path, fi)
	return []string{path, itoa(st.Size), itoa(st.Mtime), itoa(st.Ctime), itoa(int64(st.Ino))}
}

func itoa(n int64) string { return string(binary.AppendVarint(nil, n)) }
