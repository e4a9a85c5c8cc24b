package stable

import (
	"errors"
	"io/fs"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
)

// LookPath finds the executable a shell would run for name: a name with a
// slash is taken relative to dir, any other is searched in PATH.
func LookPath(name, dir string) (string, error) {
	if strings.Contains(name, "/") {
		p := name
		if !filepath.IsAbs(p) && dir != "" {
			p = filepath.Join(dir, p)
		}
		fi, err := os.Stat(p)
		if err != nil {
			return "", err
		}
		if fi.IsDir() || fi.Mode()&0o111 == 0 {
			return "", &fs.PathError{Op: "exec", Path: name, Err: fs.ErrPermission}
		}
		return p, nil
	}
	p, err := exec.LookPath(name)
	if errors.Is(err, exec.ErrDot) {
		err = nil
	}
	if err != nil {
		return "", &fs.PathError{Op: "exec", Path: name, Err: errNotFound}
	}
	return p, nil
}

var errNotFound = errors.New("command not found")

// FindTool looks name up like a shell but skips this executable, so a
// wrapper installed under a tool's name (masquerade) never finds itself.
// A name with a slash is taken as given.
func FindTool(name string) (string, error) {
	if strings.Contains(name, "/") {
		return name, nil
	}
	self, _ := os.Executable()
	self, _ = filepath.EvalSymlinks(self)
	for _, dir := range filepath.SplitList(os.Getenv("PATH")) {
		if dir == "" {
			dir = "."
		}
		p := filepath.Join(dir, name)
		fi, err := os.Stat(p)
		if err != nil || fi.IsDir() || fi.Mode()&0o111 == 0 {
			continue
		}
		if real, err := filepath.EvalSymlinks(p); err == nil && real == self {
			continue
		}
		return p, nil
	}
	return "", &fs.PathError{Op: "exec", Path: name, Err: errNotInPath}
}

var errNotInPath = errors.New("not found in PATH (other than this wrapper)")

// SameFile reports whether the paths a and b name the same file (both
// exist, same device and inode).
func SameFile(a, b string) bool {
	fa, err := os.Stat(a)
	if err != nil {
		return false
	}
	fb, err := os.Stat(b)
	return err == nil && os.SameFile(fa, fb)
}
