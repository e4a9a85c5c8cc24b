package stable

import (
	"bytes"
	"fmt"
	"os"
)

// With STABLE_VERIFY=1 a record that holds does not answer: the tool runs
// as on a miss, and what it wrote is compared with what the record claims
// it would write (each output's content, the side outputs a hit recreates,
// what the tool printed). Every difference is a decision the wrapper would
// have got wrong; it is reported loudly (Runner.report), counted, and the
// wrapper exits non-zero. The tool's own outputs are then committed as on
// a miss, so the build itself is right either way.

// verifyClaim lists the differences between the record and this run.
func verifyClaim(a *Action, claim *record, txn *Txn, cmd *toolRun) []string {
	var bad []string
	for _, o := range claim.Outputs {
		p := txn.Temp(o.Path)
		if bad1 := verifyOutput(a.path(p), o); bad1 != "" {
			bad = append(bad, o.Path+": "+bad1)
		}
	}
	if !cmd.Captured {
		return bad
	}
	out, errs := cmd.Out, cmd.Err
	if cmd.Combined {
		out, errs = nil, cmd.Err
	}
	if !bytes.Equal(out, claim.Stdout) {
		bad = append(bad, fmt.Sprintf("stdout %q, the record replays %q", out, claim.Stdout))
	}
	if !bytes.Equal(errs, claim.Stderr) {
		bad = append(bad, fmt.Sprintf("stderr %q, the record replays %q", errs, claim.Stderr))
	}
	return bad
}

// verifyOutput compares one output the tool just wrote at p with the
// record's claim.
func verifyOutput(p string, o outState) string {
	if o.Data != nil {
		b, err := os.ReadFile(p)
		if err != nil {
			return "the tool wrote no file, the record recreates one"
		}
		if !bytes.Equal(b, o.Data) {
			return fmt.Sprintf("the tool wrote %q, the record recreates %q", b, o.Data)
		}
		return ""
	}
	h, err := HashFile(p)
	switch {
	case err != nil:
		return "the tool wrote no file: " + err.Error()
	case h != o.Hash:
		return "the tool wrote other content than the record says (" + h.String()[:12] + " != " + o.Hash.String()[:12] + ")"
	}
	return ""
}
