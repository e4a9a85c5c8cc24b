package cli

import (
	"fmt"
	"path/filepath"
	"strings"
	"time"
)

type explainCmd struct {
	storeFlag
	Output string `arg:"" name:"output" help:"An output file a wrapper wrote."`
}

func (c *explainCmd) Run() error {
	s, err := c.open()
	if err != nil {
		return err
	}
	abs, err := filepath.Abs(c.Output)
	if err != nil {
		return err
	}
	x, err := s.Explain(abs)
	if err != nil {
		return fmt.Errorf("nothing known about %s: no wrapper wrote it with the store %s (commands run unmodified, such as links and probes, leave no trace there; STABLE_LOG=FILE or STABLE_DEBUG=1 shows them)", c.Output, s.Dir)
	}
	e := x.Last
	fmt.Printf("%s: last action %s by %s\n", c.Output, e.Time.Format(time.DateTime), e.Wrapper)
	fmt.Printf("  command:  %s\n", strings.Join(e.Argv, " "))
	fmt.Printf("  in:       %s\n", e.Dir)
	switch e.Decision {
	case "hit":
		fmt.Printf("  decision: tool not run: %s (it took %.1f ms when it ran)\n", e.Why, e.ToolMs)
	case "passthrough":
		fmt.Printf("  decision: tool run unmodified: %s\n", e.Why)
	case "failed":
		fmt.Printf("  decision: tool ran and failed (%s)\n", e.Why)
	default:
		fmt.Printf("  decision: tool ran (%.1f ms): %s\n", e.ToolMs, why(e.Why))
	}
	for name, r := range e.Outputs {
		fmt.Printf("  output:   %s %s\n", name, r)
	}
	if x.Other != nil && e.Why == "no record" {
		fmt.Printf("  the command line differs from the one before (%s):\n", x.Other.Time.Format(time.DateTime))
		for _, d := range argDiff(x.Other.Argv, e.Argv) {
			fmt.Printf("    %s\n", d)
		}
		if x.Other.Dir != e.Dir {
			fmt.Printf("    directory %s -> %s\n", x.Other.Dir, e.Dir)
		}
	}
	return nil
}

func why(w string) string {
	if w == "no record" {
		return "no record of this command (first run, or its flags, directory, tool or environment changed)"
	}
	return w
}

// argDiff lists arguments only in before (-) or only in after (+).
func argDiff(before, after []string) []string {
	count := map[string]int{}
	for _, a := range after {
		count[a]++
	}
	var out []string
	for _, b := range before {
		if count[b] > 0 {
			count[b]--
		} else {
			out = append(out, "- "+b)
		}
	}
	seen := map[string]int{}
	for _, b := range before {
		seen[b]++
	}
	for _, a := range after {
		if seen[a] > 0 {
			seen[a]--
		} else {
			out = append(out, "+ "+a)
		}
	}
	if len(out) == 0 {
		out = append(out, "(same arguments; the tool or the environment changed)")
	}
	return out
}
