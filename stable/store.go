package stable

import (
	"bytes"
	"fmt"
	"io/fs"
	"math"
	"math/rand/v2"
	"os"
	"path/filepath"
	"sort"
	"strconv"
	"syscall"
	"time"

	"github.com/klauspost/compress/zstd"
)

// Store keeps records, one file per action key, under Dir/records.
type Store struct {
	Dir     string
	MaxSize int64 // bytes; the oldest records go past it
}

// defaultMaxSize bounds the record store unless STABLE_MAXSIZE says otherwise.
const defaultMaxSize = 512 << 20

// DefaultDir is where records live: $STABLE_DIR, else the user's cache
// directory.
func DefaultDir() string {
	if d := os.Getenv("STABLE_DIR"); d != "" {
		return d
	}
	if d, err := os.UserCacheDir(); err == nil {
		return filepath.Join(d, "stable")
	}
	return ""
}

// OpenStore makes sure dir is usable. An error says why it is not; the
// caller then runs without records.
func OpenStore(dir string) (*Store, error) {
	if dir == "" {
		return nil, fmt.Errorf("no record directory: set STABLE_DIR")
	}
	s := &Store{Dir: dir, MaxSize: defaultMaxSize}
	if v := os.Getenv("STABLE_MAXSIZE"); v != "" {
		n, err := ParseSize(v)
		if err != nil {
			return nil, fmt.Errorf("STABLE_MAXSIZE: %w", err)
		}
		s.MaxSize = n
	}
	if err := os.MkdirAll(s.recordsDir(), 0o777); err != nil {
		return nil, err
	}
	return s, nil
}

func (s *Store) recordsDir() string { return filepath.Join(s.Dir, "records") }

func (s *Store) path(key string) string {
	return filepath.Join(s.recordsDir(), key[:2], key)
}

// zstdMagic starts a compressed entry; plain ones start with codecMagic.
var zstdMagic = []byte{0x28, 0xb5, 0x2f, 0xfd}

// compressAbove: entries larger than this (post notes holding a whole
// object, records with long captured warnings) are stored compressed;
// ordinary records are read faster as they are.
const compressAbove = 128 << 10

// Load returns the record for key, or nil when there is none or it cannot
// be read: a damaged record is the same as no record.
func (s *Store) Load(key string) *record {
	b := s.loadBytes(key)
	if b == nil {
		return nil
	}
	r, err := decodeRecord(b)
	if err != nil || r.Version != recordVersion || r.Key != key {
		return nil
	}
	return r
}

// Save writes the record atomically: concurrent writers of one key each
// rename a whole file into place, and the last one wins.
func (s *Store) Save(r *record) error {
	r.Version = recordVersion
	b, err := encodeRecord(r)
	if err != nil {
		return err
	}
	return s.saveBytes(r.Key, b)
}

// maxEntry bounds an entry of the store, decompressed: the largest record
// (a depfile of thousands of headers, replayed warnings of 1 MB) is far
// below it, and a damaged or hostile entry cannot make a wrapper allocate
// more.
const maxEntry = 64 << 20

// loadBytes reads the entry at key, decompressed; nil when there is none
// or it is damaged.
func (s *Store) loadBytes(key string) []byte {
	b, err := readRegular(s.path(key), maxEntry)
	if err != nil {
		return nil
	}
	if bytes.HasPrefix(b, zstdMagic) {
		if b, err = unzstd(b); err != nil {
			return nil
		}
	}
	return b
}

// saveBytes writes an entry atomically, compressed when large, and now
// and then trims the store.
func (s *Store) saveBytes(key string, b []byte) error {
	if len(b) > compressAbove {
		b = zstdBytes(b)
	}
	p := s.path(key)
	err := writeFileAtomic(p, b, 0o644)
	if isNotExist(err) {
		if err = os.MkdirAll(filepath.Dir(p), 0o777); err == nil {
			err = writeFileAtomic(p, b, 0o644)
		}
	}
	if err != nil {
		return err
	}
	if rand.IntN(trimEvery) == 0 {
		s.Trim(s.MaxSize)
	}
	return nil
}

func zstdBytes(b []byte) []byte {
	e, err := zstd.NewWriter(nil, zstd.WithEncoderConcurrency(1), zstd.WithEncoderLevel(zstd.SpeedFastest), zstd.WithWindowSize(1<<20))
	if err != nil {
		return b
	}
	defer e.Close()
	return e.EncodeAll(b, nil)
}

func unzstd(b []byte) ([]byte, error) {
	d, err := zstd.NewReader(nil, zstd.WithDecoderConcurrency(1), zstd.WithDecoderLowmem(true),
		zstd.WithDecoderMaxMemory(maxEntry), zstd.WithDecoderMaxWindow(maxEntry))
	if err != nil {
		return nil, err
	}
	defer d.Close()
	return d.DecodeAll(b, nil)
}

// trimEvery: one save in this many checks the store's size, which keeps
// the walk off nearly every invocation.
const trimEvery = 64

// Trim deletes the least recently used records until the store is at most
// max bytes, and returns how many bytes it holds then. A hit refreshes a
// record's mtime, so age means disuse.
func (s *Store) Trim(max int64) (int64, error) {
	type ent struct {
		path string
		size int64
		mod  time.Time
	}
	var all []ent
	var total int64
	err := filepath.WalkDir(s.recordsDir(), func(p string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() {
			return nil
		}
		fi, err := d.Info()
		if err != nil {
			return nil
		}
		all = append(all, ent{p, fi.Size(), fi.ModTime()})
		total += fi.Size()
		return nil
	})
	if total <= max {
		return total, err
	}
	sort.Slice(all, func(i, j int) bool { return all[i].mod.Before(all[j].mod) })
	for _, e := range all {
		if total <= max {
			break
		}
		if os.Remove(e.path) == nil {
			total -= e.size
		}
	}
	return total, err
}

// Touch marks a record as used now.
func (s *Store) Touch(key string) {
	now := time.Now()
	os.Chtimes(s.path(key), now, now)
}

// ParseSize reads a size such as 512M, 2G or 100k.
func ParseSize(v string) (int64, error) {
	if v == "" {
		return 0, fmt.Errorf("empty size")
	}
	mult := int64(1)
	switch v[len(v)-1] {
	case 'k', 'K':
		mult = 1 << 10
	case 'm', 'M':
		mult = 1 << 20
	case 'g', 'G':
		mult = 1 << 30
	}
	if mult != 1 {
		v = v[:len(v)-1]
	}
	n, err := strconv.ParseInt(v, 10, 64)
	if err != nil || n < 0 {
		return 0, fmt.Errorf("bad size %q", v)
	}
	if n > math.MaxInt64/mult {
		return 0, fmt.Errorf("size %q is too large", v)
	}
	return n * mult, nil
}

func isNotExist(err error) bool { return err != nil && os.IsNotExist(err) }

// writeFileAtomic replaces path with data by a rename in its directory.
func writeFileAtomic(path string, data []byte, mode os.FileMode) error {
	f, err := os.CreateTemp(filepath.Dir(path), TempPrefix+"w-")
	if err != nil {
		return err
	}
	_, err = f.Write(data)
	if err == nil {
		err = f.Chmod(mode)
	}
	if cerr := f.Close(); err == nil {
		err = cerr
	}
	if err == nil {
		err = os.Rename(f.Name(), path)
	}
	if err != nil {
		os.Remove(f.Name())
	}
	return err
}

// readRegular reads the whole file at path when it is a regular file of at
// most max bytes, with plain syscalls (a record is read on every hit). A
// FIFO or device planted there is refused without waiting for a writer
// (O_NONBLOCK), and a huge file without reading it.
func readRegular(path string, max int64) ([]byte, error) {
	fd, err := syscall.Open(path, syscall.O_RDONLY|syscall.O_CLOEXEC|syscall.O_NONBLOCK, 0)
	if err != nil {
		return nil, &fs.PathError{Op: "open", Path: path, Err: err}
	}
	defer syscall.Close(fd)
	var st syscall.Stat_t
	if err := syscall.Fstat(fd, &st); err != nil {
		return nil, &fs.PathError{Op: "stat", Path: path, Err: err}
	}
	if st.Mode&syscall.S_IFMT != syscall.S_IFREG || st.Size > max {
		return nil, &fs.PathError{Op: "read", Path: path, Err: errNotRegular}
	}
	b := make([]byte, st.Size)
	n := 0
	for n < len(b) {
		m, err := syscall.Read(fd, b[n:])
		if err == syscall.EINTR {
			continue
		}
		if err != nil {
			return nil, &fs.PathError{Op: "read", Path: path, Err: err}
		}
		if m == 0 {
			break
		}
		n += m
	}
	return b[:n], nil
}
