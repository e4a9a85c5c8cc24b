package cli

import (
	"fmt"
	"os"
	"text/tabwriter"
	"time"

	"stable/stable"
)

type storeFlag struct {
	Store string `name:"store" env:"STABLE_DIR" placeholder:"DIR" help:"Record store (default: the user cache directory)."`
}

func (f storeFlag) open() (*stable.Store, error) {
	dir := f.Store
	if dir == "" {
		dir = stable.DefaultDir()
	}
	return stable.OpenStore(dir)
}

type statsCmd struct {
	storeFlag
	Zero bool `short:"z" name:"zero" help:"Reset the counters to zero."`
}

func (c *statsCmd) Run() error {
	s, err := c.open()
	if err != nil {
		return err
	}
	if c.Zero {
		if err := s.ZeroStats(); err != nil {
			return err
		}
		fmt.Println("Statistics zeroed")
		return nil
	}
	t := s.ReadStats()
	size, _ := s.Trim(1 << 62)
	w := tabwriter.NewWriter(os.Stdout, 0, 0, 2, ' ', 0)
	row := func(k string, v any) { fmt.Fprintf(w, "%s\t%v\n", k, v) }
	row("record store", s.Dir)
	row("actions", t.Actions)
	row("  tool runs", t.Runs)
	row("  skipped by records", fmt.Sprintf("%d%s", t.Hits, pct(t.Hits, t.Actions)))
	row("  passed through", t.Passthrough)
	row("  tool failed", t.Failed)
	row("outputs kept", t.Kept)
	row("outputs replaced", t.Replaced)
	row("outputs created", t.Created)
	row("outputs revived", t.Revived)
	row("tool time saved", t.Saved().Round(time.Millisecond))
	row("verify mismatches", t.Mismatches)
	row("store size", fmt.Sprintf("%.1f MiB of %.0f MiB", float64(size)/(1<<20), float64(s.MaxSize)/(1<<20)))
	return w.Flush()
}

func pct(a, b int64) string {
	if b == 0 {
		return ""
	}
	return fmt.Sprintf(" (%.1f%%)", 100*float64(a)/float64(b))
}

type trimCmd struct {
	storeFlag
	Max string `name:"max-size" placeholder:"SIZE" help:"Bound to trim to, e.g. 100M (default: STABLE_MAXSIZE or 512M)."`
}

func (c *trimCmd) Run() error {
	s, err := c.open()
	if err != nil {
		return err
	}
	max := s.MaxSize
	if c.Max != "" {
		if max, err = stable.ParseSize(c.Max); err != nil {
			return err
		}
	}
	size, err := s.Trim(max)
	fmt.Printf("store size %.1f MiB\n", float64(size)/(1<<20))
	return err
}
