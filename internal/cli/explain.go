package cli

import (
	"fmt"
	"path/filepath"
	"strings"
	"time"

	"stable/stable"
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
		fmt.Printf("  what differs from the run before (%s):\n", x.Other.Time.Format(time.DateTime))
		for _, d := range identityDiff(*x.Other, e) {
			fmt.Printf("    %s\n", d)
		}
	}
	return nil
}

// identityDiff names what makes two entries different actions: arguments,
// directory, environment variables, programs.
func identityDiff(before, after stable.Entry) []string {
	var out []string
	if d := listDiff("argument", before.Argv, after.Argv); len(d) > 0 {
		out = append(out, d...)
	}
	if before.Dir != after.Dir {
		out = append(out, fmt.Sprintf("directory %s -> %s", before.Dir, after.Dir))
	}
	out = append(out, listDiff("environment", before.Env, after.Env)...)
	out = append(out, listDiff("program", before.Tools, after.Tools)...)
	if len(out) == 0 {
		out = append(out, "(the same command, directory, environment and programs; the record was lost or trimmed)")
	}
	return out
}

func why(w string) string {
	if w == "no record" {
		return "no record of this command (first run, or its flags, directory, programs or environment changed)"
	}
	return w
}

// listDiff lists the items only in before (-) or only in after (+).
func listDiff(what string, before, after []string) []string {
	count := map[string]int{}
	for _, a := range after {
		count[a]++
	}
	var out []string
	for _, b := range before {
		if count[b] > 0 {
			count[b]--
		} else {
			out = append(out, "- "+what+" "+b)
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
			out = append(out, "+ "+what+" "+a)
		}
	}
	return out
}
