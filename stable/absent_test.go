package stable

import (
	"os"
	"path/filepath"
	"testing"
	"time"
)

// A group of nested names under a missing directory is checked through
// that directory once, and still sees a name appear with it.
func TestStillAbsentNested(t *testing.T) {
	dir := t.TempDir()
	groups, why := groupAbsent(dir, []string{"lib/a.h", "lib/b.h", "other/c.h"})
	if why != "" || len(groups) != 1 || groups[0].Dir != dir || len(groups[0].Names) != 3 {
		t.Fatalf("groups %+v, %s", groups, why)
	}
	r := &record{Time: time.Now().UnixNano()}
	if ok, _ := r.stillAbsent(&groups[0]); !ok {
		t.Fatal("nothing appeared, yet the group does not hold")
	}
	if err := os.MkdirAll(filepath.Join(dir, "lib"), 0o777); err != nil {
		t.Fatal(err)
	}
	if ok, changed := r.stillAbsent(&groups[0]); !ok || changed {
		t.Fatal("an empty lib/ is no shadow, and the group's stat no longer covers lib/b.h")
	}
	// Long after, with the directory's stat as it is now, lib/b.h
	// appearing is still seen.
	r.Time = time.Now().Add(time.Hour).UnixNano()
	if err := os.WriteFile(filepath.Join(dir, "lib", "b.h"), nil, 0o666); err != nil {
		t.Fatal(err)
	}
	if ok, _ := r.stillAbsent(&groups[0]); ok {
		t.Fatal("lib/b.h appeared, yet the group holds")
	}
}
