package stable

import (
	"bytes"
	"testing"
)

func sampleRecord() *record {
	return &record{Version: recordVersion, Key: "k", Argv: []string{"gcc", "-c", "x.c"}, Dir: "/w", Time: 7, Elapsed: 9,
		Inputs:  []FileState{{Path: "x.c", Size: 3, Mtime: -1, Ino: 4, Mode: 0o644, Hash: Digest{1, 2}}},
		Outputs: []outState{{FileState: FileState{Path: "x.o"}}, {FileState: FileState{Path: "x.d"}, Data: []byte{}}},
		Absent:  []absentDir{{Dir: "/w/inc", Names: []string{"a.h", "sub/b.h"}}},
		Stderr:  []byte("warning\n")}
}

// A record survives the trip through its encoding, nil and empty data
// kept apart (an empty depfile is still replayed).
func TestRecordRoundTrip(t *testing.T) {
	r := sampleRecord()
	b, _ := encodeRecord(r)
	got, err := decodeRecord(b)
	if err != nil {
		t.Fatal(err)
	}
	b2, _ := encodeRecord(got)
	if !bytes.Equal(b, b2) || got.Outputs[0].Data != nil || got.Outputs[1].Data == nil || got.Stdout != nil {
		t.Fatalf("round trip changed the record: %+v", got)
	}
}

// FuzzDecodeRecord: whatever sits at a record's path, decoding never panics
// nor allocates without bound, and what decodes re-encodes to the same bytes.
func FuzzDecodeRecord(f *testing.F) {
	b, _ := encodeRecord(sampleRecord())
	f.Add(b)
	f.Add(b[:len(b)/2])
	f.Add([]byte("{\"version\":1}"))
	f.Fuzz(func(t *testing.T, b []byte) {
		r, err := decodeRecord(b)
		if err != nil {
			return
		}
		b2, _ := encodeRecord(r)
		if r2, err := decodeRecord(b2); err != nil || r2.Key != r.Key || len(r2.Inputs) != len(r.Inputs) {
			t.Fatalf("re-encoding broke the record")
		}
	})
}
