package stable

import (
	"io/fs"
	"os"
	"path/filepath"
	"strconv"
	"time"
)

// treeSnap remembers the regular files under a directory that a command is
// about to rewrite in place (an install script writing a whole include
// tree), so that afterwards every file whose content did not change gets
// its old mtime back, and its old inode where the command replaced it.
type treeSnap struct {
	Dir   string
	files map[string]treeFile // by path under Dir
	links string              // private directory of hard links to the old files
}

type treeFile struct {
	FileState
	link string // hard link to the old inode; "" when none could be made
}

// snapTree records the files under dir; a missing dir is an empty tree. It
// costs one read of every file (their hashes): a file rewritten in place
// keeps nothing else of its old content.
func snapTree(dir string) (*treeSnap, error) {
	s := &treeSnap{Dir: dir, files: map[string]treeFile{}}
	if _, err := os.Stat(dir); err != nil {
		return s, nil
	}
	// The tree itself, not a symlink to it (WalkDir does not enter one),
	// and the links' directory beside it, never inside (--tree .).
	if real, err := filepath.EvalSymlinks(dir); err == nil {
		if abs, err := filepath.Abs(real); err == nil {
			s.Dir, dir = abs, abs
		}
	}
	if d, err := makeTemp(filepath.Dir(dir)); err == nil {
		s.links = d
	}
	err := filepath.WalkDir(dir, func(p string, e fs.DirEntry, err error) error {
		if err != nil || !e.Type().IsRegular() {
			return err
		}
		st, err := stateOf(p)
		if err != nil {
			return err
		}
		f := treeFile{FileState: st}
		if s.links != "" {
			l := filepath.Join(s.links, strconv.Itoa(len(s.files)))
			if os.Link(p, l) == nil {
				f.link = l
			}
		}
		s.files[p] = f
		return nil
	})
	if err != nil {
		s.Close()
	}
	return s, err
}

// KeepUnchanged gives every file whose content and mode the command left as they
// were its old inode (by renaming the kept hard link back) or its old mtime.
// New, changed and deleted files stay as the command left them. It returns
// how many files were kept and how many changed.
func (s *treeSnap) KeepUnchanged() (kept, changed int) {
	defer s.Close()
	filepath.WalkDir(s.Dir, func(p string, e fs.DirEntry, err error) error {
		if err != nil || !e.Type().IsRegular() {
			return nil
		}
		old, ok := s.files[p]
		if !ok {
			changed++
			return nil
		}
		if s.restore(p, old) {
			kept++
		} else {
			changed++
		}
		return nil
	})
	return kept, changed
}

// restore puts back one file's old identity when its content is unchanged.
func (s *treeSnap) restore(p string, old treeFile) bool {
	fi, err := os.Lstat(p)
	if err != nil {
		return false
	}
	cur := statOf(p, fi)
	if cur.Size != old.Size || cur.Mode != old.Mode {
		return false
	}
	if cur.Ino == old.Ino && cur.Mtime == old.Mtime {
		return true // untouched
	}
	if h, err := HashFile(p); err != nil || h != old.Hash {
		return false
	}
	if cur.Ino != old.Ino && old.link != "" && s.linkIntact(old) {
		if os.Rename(old.link, p) == nil {
			return true
		}
	}
	mt := time.Unix(0, old.Mtime)
	return os.Chtimes(p, time.Time{}, mt) == nil
}

// linkIntact checks that the old inode was not itself rewritten in place.
func (s *treeSnap) linkIntact(old treeFile) bool {
	fi, err := os.Lstat(old.link)
	if err != nil {
		return false
	}
	st := statOf(old.link, fi)
	return st.Ino == old.Ino && st.Size == old.Size && st.Mtime == old.Mtime
}

// Close removes the hard links.
func (s *treeSnap) Close() {
	if s.links != "" {
		removeTemp(s.links)
		s.links = ""
	}
}

// rewriteTrees runs a command that rewrites whole directories in place
// (Action.RewriteTrees: `stable run --tree`), then gives every unchanged
// file its old identity back (see TreeSnap). That happens whatever the
// command's status: a file left with its old content keeps its old mtime
// either way, which is never wrong.
func (r *Runner) rewriteTrees(a *Action) (*Outcome, error) {
	out := &Outcome{Why: "a tree rewrite keeps no record", Results: map[string]Result{}}
	var snaps []*treeSnap
	for _, d := range a.RewriteTrees {
		s, err := snapTree(a.path(d))
		if err != nil {
			for _, s := range snaps {
				s.Close()
			}
			return r.passthrough(a, "cannot read the tree "+d+": "+err.Error())
		}
		snaps = append(snaps, s)
	}
	cmd := &toolRun{Argv: a.Argv, Path: a.Path, Dir: a.Dir}
	var err error
	out.Status, err = cmd.Run()
	out.Elapsed = cmd.Elapsed
	for i, s := range snaps {
		kept, changed := s.KeepUnchanged()
		r.logf("tree %s: %d kept, %d new or changed", s.Dir, kept, changed)
		out.Results[a.RewriteTrees[i]] = Kept
		if changed > 0 {
			out.Results[a.RewriteTrees[i]] = Replaced
		}
	}
	return out, err
}
