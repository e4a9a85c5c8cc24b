package stable

import (
	"os"
	"path/filepath"
	"slices"
)

// AbsentDir guards paths that must stay absent (a header that would
// shadow one the compiler used) through the nearest directory that exists:
// no entry can appear below it without changing its mtime, so one stat of
// the directory usually answers for every name under it.
type AbsentDir struct {
	Dir   string    `json:"dir"`
	State FileState `json:"state"` // stat of Dir when the record was made
	Names []string  `json:"names"` // paths relative to Dir
}

// groupAbsent sorts absent paths (relative to the action's directory dir)
// under their nearest existing ancestor. A path that exists already cannot
// be guarded and is reported.
func groupAbsent(dir string, paths []string) ([]AbsentDir, string) {
	byDir := map[string]*AbsentDir{}
	var order []string
	for _, p := range paths {
		abs := p
		if !filepath.IsAbs(abs) {
			abs = filepath.Join(dir, p)
		}
		if _, err := os.Lstat(abs); err == nil {
			return nil, p + " exists"
		}
		anc := filepath.Dir(abs)
		for {
			if fi, err := os.Stat(anc); err == nil && fi.IsDir() {
				break
			}
			if next := filepath.Dir(anc); next != anc {
				anc = next
			} else {
				break
			}
		}
		g := byDir[anc]
		if g == nil {
			fi, err := os.Stat(anc)
			if err != nil {
				return nil, err.Error()
			}
			g = &AbsentDir{Dir: anc, State: statOf(anc, fi)}
			byDir[anc] = g
			order = append(order, anc)
		}
		rel, _ := filepath.Rel(anc, abs)
		g.Names = append(g.Names, rel)
	}
	slices.Sort(order)
	out := make([]AbsentDir, 0, len(order))
	for _, d := range order {
		out = append(out, *byDir[d])
	}
	return out, ""
}

// stillAbsent checks one group: an unchanged directory (whose stat was
// taken safely after its last change) needs no look at the names; a
// changed one has each name looked up, and is refreshed when all are
// still absent.
func (r *Record) stillAbsent(g *AbsentDir) (ok, changed bool) {
	fi, err := os.Stat(g.Dir)
	if err != nil || !fi.IsDir() {
		return false, false
	}
	now := statOf(g.Dir, fi)
	if now.sameStat(g.State) && g.State.Ctime < r.Time-trustMargin {
		return true, false
	}
	for _, n := range g.Names {
		if _, err := os.Lstat(filepath.Join(g.Dir, n)); err == nil {
			return false, false
		}
	}
	g.State = now
	return true, true
}
