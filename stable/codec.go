package stable

import (
	"bytes"
	"encoding/gob"
	"errors"
)

// Records are gob-encoded: a hit decodes one on every invocation, and gob
// reads a record of a thousand file states several times faster than JSON
// (which validates the whole text before decoding it). gobMagic tells a
// record from anything else that may sit at its path.
var gobMagic = []byte("stbl")

func encodeRecord(r *Record) ([]byte, error) {
	var b bytes.Buffer
	b.Write(gobMagic)
	err := gob.NewEncoder(&b).Encode(r)
	return b.Bytes(), err
}

func decodeRecord(b []byte) (r *Record, err error) {
	if !bytes.HasPrefix(b, gobMagic) {
		return nil, errors.New("not a record")
	}
	defer func() {
		if recover() != nil {
			r, err = nil, errors.New("damaged record")
		}
	}()
	r = &Record{}
	err = gob.NewDecoder(bytes.NewReader(b[len(gobMagic):])).Decode(r)
	return r, err
}
