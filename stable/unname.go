package stable

import (
	"bytes"
	"path/filepath"
)

// Unname turns the temporary paths in a tool's message back into the
// output names the caller gave, so an error reads as it would without the
// wrapper: first each temporary as passed, then the private directory in
// any other spelling of a path.
func (t *Txn) Unname(msg []byte) []byte {
	if !bytes.Contains(msg, []byte(TempPrefix)) {
		return msg
	}
	for _, o := range t.outs {
		if o.Temp != "" {
			msg = bytes.ReplaceAll(msg, []byte(o.Temp), []byte(o.Name))
		}
	}
	for _, d := range t.dirs {
		msg = bytes.ReplaceAll(msg, []byte(filepath.Base(d)+"/"), nil)
	}
	return msg
}
