package stable

import (
	"encoding/hex"
	"fmt"
	"hash"
)

// Digest is a content hash as stored in records.
type Digest [32]byte

func digestOf(h hash.Hash) Digest {
	var d Digest
	h.Sum(d[:0])
	return d
}

// DigestBytes hashes an in-memory value the same way HashFile hashes a file.
func DigestBytes(b []byte) Digest {
	h := newHash()
	h.Write(b)
	return digestOf(h)
}

func (d Digest) String() string { return hex.EncodeToString(d[:]) }

func (d Digest) IsZero() bool { return d == Digest{} }

func (d Digest) MarshalText() ([]byte, error) { return []byte(d.String()), nil }

func (d *Digest) UnmarshalText(b []byte) error {
	if hex.DecodedLen(len(b)) != len(d) {
		return fmt.Errorf("digest: want %d hex digits, got %d", 2*len(d), len(b))
	}
	_, err := hex.Decode(d[:], b)
	return err
}
