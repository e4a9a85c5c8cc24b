package cli

import (
	"fmt"
	"os"
	"path/filepath"

	"stable/wrap/launcher"
)

// masqueradeCmd makes a directory of symlinks named like the tools, each
// pointing at its wrapper: put early in PATH, every build that runs gcc, cc,
// ar or objcopy by name runs the wrappers (a Debian package build, a
// vendor's build script) without changing a variable of its own.
type masqueradeCmd struct {
	Dir   string   `arg:"" name:"dir" help:"The directory to fill (created if missing)."`
	Tools []string `name:"tool" sep:"none" placeholder:"NAME=WRAPPER" help:"A further link, e.g. x86_64-linux-gnu-gcc=stablecc. Repeatable."`
}

// masquerades are the links made by default.
var masquerades = []struct{ name, wrapper string }{
	{"cc", "stablecc"}, {"gcc", "stablecc"}, {"c++", "stablecc"}, {"g++", "stablecc"},
	{"clang", "stablecc"}, {"clang++", "stablecc"},
	{"ar", "stable-ar"}, {"ranlib", "stable-ranlib"}, {"objcopy", "stable-objcopy"},
}

func (c *masqueradeCmd) Run() error {
	if err := os.MkdirAll(c.Dir, 0o777); err != nil {
		return err
	}
	links := masquerades
	for _, t := range c.Tools {
		name, wrapper, ok := cutEq(t)
		if !ok {
			return fmt.Errorf("--tool %q: want NAME=WRAPPER", t)
		}
		links = append(links, struct{ name, wrapper string }{name, wrapper})
	}
	for _, l := range links {
		target, err := launcher.Sibling(l.wrapper)
		if err != nil {
			return fmt.Errorf("%s: %w", l.wrapper, err)
		}
		p := filepath.Join(c.Dir, l.name)
		os.Remove(p)
		if err := os.Symlink(target, p); err != nil {
			return err
		}
	}
	fmt.Printf("%s: %d tools; put it first in PATH: PATH=%s:$PATH\n", c.Dir, len(links), c.Dir)
	return nil
}

func cutEq(s string) (string, string, bool) {
	for i := 0; i < len(s); i++ {
		if s[i] == '=' {
			return s[:i], s[i+1:], i > 0 && i < len(s)-1
		}
	}
	return "", "", false
}
