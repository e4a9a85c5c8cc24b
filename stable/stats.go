package stable

import (
	"encoding/json"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"time"

	"github.com/rogpeppe/go-internal/lockedfile"
)

// Stats are the store's counters, as `stable stats` shows them.
type Stats struct {
	Actions     int64 `json:"actions"`     // wrapped invocations
	Runs        int64 `json:"runs"`        // the tool ran on temporaries
	Hits        int64 `json:"hits"`        // a record matched: the tool was skipped
	Passthrough int64 `json:"passthrough"` // run unmodified (not understood, disabled, no temporary)
	Failed      int64 `json:"failed"`      // the tool failed
	Kept        int64 `json:"kept"`        // outputs left alone
	Replaced    int64 `json:"replaced"`
	Created     int64 `json:"created"`
	Revived     int64 `json:"revived"`    // removed by the recipe, came back the same (stable-ar)
	SavedNs     int64 `json:"saved_ns"`   // tool time skipped by hits (as recorded when it last ran)
	Mismatches  int64 `json:"mismatches"` // decisions STABLE_VERIFY found wrong
}

// statShards spreads counters over several files so that parallel builds
// rarely wait for each other's lock.
const statShards = 8

func (s *Store) statsPath(i int) string {
	return filepath.Join(s.Dir, "stats", fmt.Sprintf("%d.json", i))
}

// Count adds an outcome to the counters. Failing to count never fails a
// build.
func (s *Store) Count(o *Outcome) {
	var d Stats
	d.Actions = 1
	d.Mismatches = int64(len(o.Mismatches))
	switch {
	case o.Hit:
		d.Hits, d.SavedNs = 1, int64(o.Elapsed)
	case o.Passthrough:
		d.Passthrough = 1
	case !o.Status.OK():
		d.Failed = 1
	default:
		d.Runs = 1
	}
	for _, r := range o.Results {
		switch r {
		case Kept:
			d.Kept++
		case Replaced:
			d.Replaced++
		case Created:
			d.Created++
		case Revived:
			d.Revived++
		}
	}
	p := s.statsPath(os.Getpid() % statShards)
	os.MkdirAll(filepath.Dir(p), 0o777)
	lockedfile.Transform(p, func(b []byte) ([]byte, error) {
		var cur Stats
		json.Unmarshal(b, &cur) // a damaged shard starts again from zero
		cur.add(d)
		return json.Marshal(cur)
	})
}

func (a *Stats) add(b Stats) {
	a.Actions += b.Actions
	a.Runs += b.Runs
	a.Hits += b.Hits
	a.Passthrough += b.Passthrough
	a.Failed += b.Failed
	a.Kept += b.Kept
	a.Replaced += b.Replaced
	a.Created += b.Created
	a.Revived += b.Revived
	a.SavedNs += b.SavedNs
	a.Mismatches += b.Mismatches
}

// ReadStats sums the counters.
func (s *Store) ReadStats() Stats {
	var t Stats
	for i := 0; i < statShards; i++ {
		b, err := lockedfile.Read(s.statsPath(i))
		if err != nil {
			continue
		}
		var cur Stats
		if json.Unmarshal(b, &cur) == nil {
			t.add(cur)
		}
	}
	return t
}

// ZeroStats resets the counters. Shards that were never written need no
// reset; a shard that cannot be emptied is an error.
func (s *Store) ZeroStats() error {
	for i := 0; i < statShards; i++ {
		err := lockedfile.Transform(s.statsPath(i), func([]byte) ([]byte, error) { return nil, nil })
		if err != nil && !errors.Is(err, fs.ErrNotExist) {
			return err
		}
	}
	return nil
}

// Saved is the time-saved estimate.
func (t Stats) Saved() time.Duration { return time.Duration(t.SavedNs) }
