package stable

import (
	"bytes"
	"crypto/sha256"
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"testing"
	"testing/iotest"
)

func utPattern(n int) []byte {
	b := make([]byte, n)
	for i := range b {
		b[i] = byte(i*31 + i>>9)
	}
	return b
}

func TestSameContent(t *testing.T) {
	dir := t.TempDir()
	write := func(name string, b []byte) string {
		p := filepath.Join(dir, name)
		if err := os.WriteFile(p, b, 0o644); err != nil {
			t.Fatal(err)
		}
		return p
	}
	big := utPattern(4*chunk + 1234) // several chunks and a partial one
	flip := func(b []byte, i int) []byte { c := bytes.Clone(b); c[i] ^= 1; return c }
	exact := utPattern(2 * chunk) // a whole number of chunks
	for _, c := range []struct {
		name string
		a, b []byte
		same bool
	}{
		{"empty", nil, nil, true},
		{"small-equal", []byte("abc"), []byte("abc"), true},
		{"small-differ", []byte("abc"), []byte("abd"), false},
		{"size-differs", []byte("abc"), []byte("abcd"), false},
		{"empty-vs-one", nil, []byte{0}, false},
		{"multi-chunk-equal", big, bytes.Clone(big), true},
		{"multi-chunk-last-byte", big, flip(big, len(big)-1), false},
		{"multi-chunk-first-byte", big, flip(big, 0), false},
		{"chunk-last-byte", big, flip(big, chunk-1), false},
		{"chunk-first-byte", big, flip(big, chunk), false},
		{"whole-chunks-equal", exact, bytes.Clone(exact), true},
		{"whole-chunks-last-byte", exact, flip(exact, len(exact)-1), false},
		{"one-byte-shorter", big, big[:len(big)-1], false},
	} {
		t.Run(c.name, func(t *testing.T) {
			a, b := write(c.name+".a", c.a), write(c.name+".b", c.b)
			for _, pair := range [][2]string{{a, b}, {b, a}} {
				h := sha256.New()
				same, err := sameContent(pair[0], pair[1], h)
				if err != nil || same != c.same {
					t.Fatalf("sameContent = %v, %v; want %v", same, err, c.same)
				}
				if same {
					if want := sha256.Sum256(c.a); !bytes.Equal(h.Sum(nil), want[:]) {
						t.Fatal("the hash fed during the comparison is not the content's")
					}
				}
				if s, err := SameFiles(pair[0], pair[1]); s != c.same || err != nil {
					t.Fatalf("SameFiles = %v, %v", s, err)
				}
			}
		})
	}
	if _, err := sameContent(filepath.Join(dir, "none"), write("x", nil), nil); err == nil {
		t.Error("a missing file compared without error")
	}
	if _, err := sameContent(write("y", nil), filepath.Join(dir, "none"), nil); err == nil {
		t.Error("a missing file compared without error")
	}
}

// sameStream must not depend on how reads are cut up, and a read error
// must never give "same" (the output is then replaced, which is safe).
func TestSameStreamReaders(t *testing.T) {
	data := utPattern(3*chunk + 77)
	other := bytes.Clone(data)
	other[len(other)-1]++
	wraps := map[string]func(io.Reader) io.Reader{
		"plain":    func(r io.Reader) io.Reader { return r },
		"one-byte": iotest.OneByteReader,
		"half":     iotest.HalfReader,
		"data-err": iotest.DataErrReader,
	}
	for na, wa := range wraps {
		for nb, wb := range wraps {
			if na == "one-byte" && nb == "one-byte" {
				continue // slow, and covered by the mixed pairs
			}
			t.Run(na+"/"+nb, func(t *testing.T) {
				if same, err := sameStream(wa(bytes.NewReader(data)), wb(bytes.NewReader(data)), nil); !same || err != nil {
					t.Fatalf("equal streams: %v %v", same, err)
				}
				if same, err := sameStream(wa(bytes.NewReader(data)), wb(bytes.NewReader(other)), nil); same || err != nil {
					t.Fatalf("different streams: %v %v", same, err)
				}
			})
		}
	}
	boom := errors.New("boom")
	bad := io.MultiReader(bytes.NewReader(data[:chunk+10]), iotest.ErrReader(boom))
	if same, err := sameStream(bytes.NewReader(data), bad, nil); same || err != nil && !errors.Is(err, boom) {
		t.Fatalf("read error: %v %v", same, err)
	}
	bad = io.MultiReader(bytes.NewReader(data[:chunk+10]), iotest.ErrReader(boom))
	if same, err := sameStream(bad, bytes.NewReader(data), nil); same || err != nil && !errors.Is(err, boom) {
		t.Fatalf("read error: %v %v", same, err)
	}
	// An error exactly at a chunk boundary, where both sides read alike.
	bad = io.MultiReader(bytes.NewReader(data[:chunk]), iotest.ErrReader(boom))
	if same, err := sameStream(bytes.NewReader(data), bad, nil); same || !errors.Is(err, boom) && err != nil {
		t.Fatalf("read error at a boundary: %v %v", same, err)
	}
}

func TestHashFile(t *testing.T) {
	dir := t.TempDir()
	for _, n := range []int{0, 1, chunk, 2 * chunk, 2*chunk + 1, 5*chunk + 3} {
		p := filepath.Join(dir, fmt.Sprint(n))
		data := utPattern(n)
		os.WriteFile(p, data, 0o644)
		got, err := HashFile(p)
		if err != nil || got != DigestBytes(data) || got != Digest(sha256.Sum256(data)) {
			t.Fatalf("HashFile of %d bytes = %v, %v", n, got, err)
		}
	}
	if _, err := HashFile(filepath.Join(dir, "none")); err == nil {
		t.Fatal("HashFile of a missing file")
	}
	var d Digest
	if err := d.UnmarshalText([]byte(DigestBytes([]byte("x")).String())); err != nil || d != DigestBytes([]byte("x")) {
		t.Fatal("digest text round trip")
	}
	if d.UnmarshalText([]byte("abc")) == nil {
		t.Fatal("a short digest was accepted")
	}
}
