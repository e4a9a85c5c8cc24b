package launcher

import (
	"path/filepath"
	"strings"
)

// IsLLVM says the tool is LLVM's, by the name it is run under or the file
// that name resolves to (ar or objcopy as a symlink to llvm-ar): LLVM's
// binutils write a new file where GNU's rewrite the old one in place.
func IsLLVM(name, path string) bool {
	if strings.Contains(filepath.Base(name), "llvm") {
		return true
	}
	real, err := filepath.EvalSymlinks(path)
	return err == nil && strings.Contains(filepath.Base(real), "llvm")
}
