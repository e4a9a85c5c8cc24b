package install

import (
	"stable/wrap/copying"
	"stable/wrap/launcher"
)

const usage = `Usage: stable-install INSTALL-ARGS...

Install like coreutils install, but leave a destination whose content and
mode would not change alone (same inode, same mtime).

  stable-install -m 644 lkl.h out/include/lkl.h
  stable-install -p -m 644 -t out/include a.h b.h

-m, -o, -g, -p, -C, -s, -D, -t and -T are understood; a destination whose
directory does not exist yet (-D) and the other options (-d, -v, -b) run
install unmodified.
`

// Wrapper is stable-install.
var Wrapper = launcher.Wrapper{Name: "stable-install", Default: "install", Usage: usage,
	IsTool: func(string) bool { return false }, Action: copying.Action("stable-install", Parse)}
