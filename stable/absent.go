package stable

import (
	"errors"
	"io/fs"
	"os"
	"path/filepath"
	"slices"
	"strings"
)

// absentDir guards paths that must stay absent (a header that would
// shadow one the compiler used) through the nearest directory that exists:
// no entry can appear below it without changing its mtime, so one stat of
// the directory usually answers for every name under it.
type absentDir struct {
	Dir   string    `json:"dir"`
	State FileState `json:"state"` // stat of Dir when the record was made
	Names []string  `json:"names"` // paths relative to Dir
}

// groupAbsent sorts absent paths (relative to the action's directory dir)
// under their nearest existing ancestor. Each directory's state is taken
// before its names are checked, so a name created in between shows as a
// changed directory next time. A path that exists cannot be guarded and is
// reported.
func groupAbsent(dir string, paths []string) ([]absentDir, string) {
	nearest := map[string]string{} // directory -> its nearest existing ancestor (or itself)
	var find func(d string) string
	find = func(d string) string {
		if a, ok := nearest[d]; ok {
			return a
		}
		a := d
		if fi, err := os.Stat(d); err != nil || !fi.IsDir() {
			if up := filepath.Dir(d); up != d {
				a = find(up)
			}
		}
		nearest[d] = a
		return a
	}
	byDir := map[string]*absentDir{}
	for _, p := range paths {
		abs := p
		if !filepath.IsAbs(abs) {
			abs = filepath.Join(dir, p)
		}
		anc := find(filepath.Dir(abs))
		g := byDir[anc]
		if g == nil {
			g = &absentDir{Dir: anc}
			byDir[anc] = g
		}
		rel, _ := filepath.Rel(anc, abs)
		g.Names = append(g.Names, rel)
	}
	out := make([]absentDir, 0, len(byDir))
	for _, g := range byDir {
		fi, err := os.Stat(g.Dir)
		if err != nil {
			return nil, err.Error()
		}
		g.State = statOf(g.Dir, fi)
		if n := firstPresent(g.Dir, g.Names); n != "" {
			return nil, filepath.Join(g.Dir, n) + " exists"
		}
		out = append(out, *g)
	}
	slices.SortFunc(out, func(a, b absentDir) int { return strings.Compare(a.Dir, b.Dir) })
	return out, ""
}

// stillAbsent checks one group: an unchanged directory (whose stat was
// taken safely after its last change) needs no look at the names; a
// changed one has each name looked up, and is refreshed when all are
// still absent.
func (r *record) stillAbsent(g *absentDir) (ok, changed bool) {
	fi, err := os.Stat(g.Dir)
	if err != nil || !fi.IsDir() {
		return false, false
	}
	now := statOf(g.Dir, fi)
	if now.sameStat(g.State) && g.State.Ctime < r.Time-trustMargin {
		return true, false
	}
	var lead leadDirs
	for _, n := range g.Names {
		if lead.present(g.Dir, n) {
			return false, false
		}
	}
	for _, missing := range lead {
		if !missing {
			// A directory on the way to a name appeared: the group's
			// stat no longer covers that name, so it is looked at each
			// time from now on.
			return true, false
		}
	}
	g.State = now
	return true, true
}

// firstPresent returns the first of names (relative to dir) that exists,
// or "". Names directly in dir are looked up in one read of it, taken
// after the directory's state (a name created in between shows as a
// changed directory next time); deeper ones by lstat.
func firstPresent(dir string, names []string) string {
	var listed map[string]bool
	var lead leadDirs
	for _, n := range names {
		if strings.ContainsRune(n, '/') || n == "." || n == ".." {
			if lead.present(dir, n) {
				return n
			}
			continue
		}
		if listed == nil {
			listed = map[string]bool{}
			if f, err := os.Open(dir); err == nil {
				ns, _ := f.Readdirnames(-1)
				f.Close()
				for _, x := range ns {
					listed[x] = true
				}
			}
		}
		if listed[n] {
			return n
		}
	}
	return ""
}

// leadDirs remembers which first components of nested names are missing:
// the 300 names lib/hN.h under a directory without lib take one lstat.
type leadDirs map[string]bool

// present says whether dir/name exists.
func (l *leadDirs) present(dir, name string) bool {
	if i := strings.IndexByte(name, '/'); i > 0 {
		first := name[:i]
		if *l == nil {
			*l = leadDirs{}
		}
		missing, known := (*l)[first]
		if !known {
			_, err := os.Lstat(filepath.Join(dir, first))
			missing = errors.Is(err, fs.ErrNotExist)
			(*l)[first] = missing
		}
		if missing {
			return false
		}
	}
	_, err := os.Lstat(filepath.Join(dir, name))
	return err == nil
}
