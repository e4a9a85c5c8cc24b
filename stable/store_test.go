package stable

import (
	"bytes"
	"encoding/binary"
	"encoding/json"
	"fmt"
	"math/rand/v2"
	"os"
	"os/exec"
	"path/filepath"
	"reflect"
	"strings"
	"sync"
	"syscall"
	"testing"
	"time"
)

func utStore(t *testing.T) *Store {
	t.Helper()
	t.Setenv("STABLE_MAXSIZE", "")
	s, err := OpenStore(filepath.Join(t.TempDir(), "store"))
	if err != nil {
		t.Fatal(err)
	}
	return s
}

func utKey(i int) string { return actionID{Argv: []string{"tool", fmt.Sprint(i)}}.Key() }

// utRecord is a record with every field set, n inputs long.
func utRecord(key string, n int) *record {
	r := &record{Key: key, Argv: []string{"gcc", "-c", "x.c", "-o", "x.o"}, Dir: "/src", Time: 1234567890123,
		Elapsed: 42, Stdout: []byte("out\n"), Stderr: []byte("x.c:1: warning: w\n"),
		Absent: []absentDir{{Dir: "/src/include", State: FileState{Path: "/src/include", Ino: 9}, Names: []string{"a.h", "sys/b.h"}}},
		Outputs: []outState{
			{FileState: FileState{Path: "x.o", Size: 100, Mtime: 5, Ctime: 6, Ino: 7, Dev: 8, Mode: 0o644, Hash: DigestBytes([]byte("o"))}},
			{FileState: FileState{Path: "x.d", Size: 0, Mode: 0o644}, Data: []byte{}},
			{FileState: FileState{Path: "y.d", Size: 3, Mode: 0o600}, Data: []byte("y: ")},
		}}
	for i := 0; i < n; i++ {
		r.Inputs = append(r.Inputs, FileState{Path: fmt.Sprintf("include/linux/h%d.h", i), Size: int64(i), Mtime: -int64(i),
			Ctime: int64(i) << 20, Ino: uint64(i) * 77, Dev: 2049, Mode: 0o644, Hash: DigestBytes([]byte{byte(i)})})
	}
	return r
}

func TestStoreRoundTrip(t *testing.T) {
	s := utStore(t)
	for _, n := range []int{0, 1, 4000} { // 4000 inputs: past compressAbove
		key := utKey(n)
		r := utRecord(key, n)
		if err := s.Save(r); err != nil {
			t.Fatal(err)
		}
		got := s.Load(key)
		if got == nil {
			t.Fatalf("%d inputs: saved record not loaded", n)
		}
		a, _ := encodeRecord(got)
		b, _ := encodeRecord(r)
		if !bytes.Equal(a, b) || got.Key != key || len(got.Inputs) != n || !reflect.DeepEqual(got.Outputs, r.Outputs) ||
			got.Outputs[1].Data == nil || got.Outputs[0].Data != nil {
			t.Fatalf("%d inputs: loaded record differs:\n%+v\n%+v", n, got, r)
		}
		raw, _ := os.ReadFile(s.path(key))
		if compressed := bytes.HasPrefix(raw, zstdMagic); compressed != (n == 4000) {
			t.Errorf("%d inputs: stored compressed %v", n, compressed)
		}
	}
	if s.Load(utKey(99)) != nil {
		t.Fatal("a record for a key never saved")
	}
}

// Whatever sits at a record's path, Load returns a record only when it is
// this key's and whole; anything else is no record, never a panic.
func TestStoreDamagedRecords(t *testing.T) {
	s := utStore(t)
	key := utKey(1)
	small, _ := encodeRecord(&record{Version: recordVersion, Key: key, Argv: []string{"cp", "a", "b"},
		Inputs: []FileState{{Path: "a"}}, Outputs: []outState{{FileState: FileState{Path: "b"}}}})
	large := utRecord(key, 2000)
	large.Version = recordVersion
	largeEnc, _ := encodeRecord(large)
	largeZ := zstdBytes(largeEnc)
	other := utRecord(utKey(2), 1)
	other.Version = recordVersion
	otherEnc, _ := encodeRecord(other)
	oldVersion := utRecord(key, 1)
	oldVersion.Version = recordVersion - 1
	oldEnc, _ := encodeRecord(oldVersion)
	asJSON, _ := json.Marshal(utRecord(key, 3))
	random := make([]byte, 4096)
	for i := range random {
		random[i] = byte(rand.Uint32())
	}

	cases := map[string][]byte{
		"empty":                  {},
		"random":                 random,
		"text":                   []byte("garbage"),
		"json-record":            asJSON,
		"json-wrong-shape":       []byte(`{"v":1,"key":"other","inputs":[]}`),
		"json-array":             []byte(`[1,2,3]`),
		"magic-only":             codecMagic,
		"magic-then-random":      append(bytes.Clone(codecMagic), random...),
		"another-key":            otherEnc,
		"older-version":          oldEnc,
		"trailing-bytes":         append(bytes.Clone(small), 0),
		"zstd-magic-garbage":     append(bytes.Clone(zstdMagic), random...),
		"zstd-of-random":         zstdBytes(random),
		"zstd-of-json":           zstdBytes(asJSON),
		"zstd-truncated":         largeZ[:len(largeZ)/2],
		"zstd-last-byte-gone":    largeZ[:len(largeZ)-1],
		"zstd-of-another-key":    zstdBytes(append(otherEnc, bytes.Repeat([]byte{0}, 0)...)),
		"zstd-of-truncated":      zstdBytes(largeEnc[:len(largeEnc)-10]),
		"zstd-of-record-garbage": zstdBytes(append(bytes.Clone(largeEnc), random...)),
	}
	// A huge count near the start: must fail, not allocate.
	huge := bytes.Clone(codecMagic)
	huge = binary.AppendVarint(huge, recordVersion)
	huge = binary.AppendUvarint(huge, uint64(len(key)))
	huge = append(huge, key...)
	huge = binary.AppendUvarint(huge, 1<<62)
	cases["huge-count"] = huge
	// Every truncation of a valid record.
	for n := 0; n < len(small); n++ {
		cases[fmt.Sprintf("truncated-%d", n)] = small[:n]
	}
	// Every single flipped bit of a valid record decodes to this key's
	// record or to nothing; a record that decodes must still be whole.
	for i := len(codecMagic); i < len(small); i++ {
		for bit := 0; bit < 8; bit++ {
			b := bytes.Clone(small)
			b[i] ^= 1 << bit
			cases[fmt.Sprintf("flip-%d-%d", i, bit)] = b
		}
	}
	p := s.path(key)
	os.MkdirAll(filepath.Dir(p), 0o777)
	for name, data := range cases {
		if err := os.WriteFile(p, data, 0o644); err != nil {
			t.Fatal(err)
		}
		func() {
			defer func() {
				if e := recover(); e != nil {
					t.Errorf("%s: Load panicked: %v", name, e)
				}
			}()
			r := s.Load(key)
			if r == nil {
				return
			}
			if strings.HasPrefix(name, "flip-") {
				if r.Key != key || r.Version != recordVersion {
					t.Errorf("%s: loaded a record of key %q version %d", name, r.Key, r.Version)
				}
				return
			}
			t.Errorf("%s: damaged record loaded: %+v", name, r)
		}()
	}

	// Not a file at all.
	os.Remove(p)
	os.Mkdir(p, 0o777)
	if s.Load(key) != nil {
		t.Error("a directory loaded as a record")
	}
	os.Remove(p)
	os.Symlink(p, p) // a loop
	if s.Load(key) != nil {
		t.Error("a symlink loop loaded as a record")
	}
	os.Remove(p)

	// After all that, a good record still saves over the damage and loads.
	if err := s.Save(large); err != nil {
		t.Fatal(err)
	}
	if r := s.Load(key); r == nil || len(r.Inputs) != 2000 {
		t.Fatal("a good record after damaged ones")
	}
}

// A damaged record file must never take down or hang the wrapper that
// reads it. The check runs in a child process: a crash there is reported,
// not suffered.
func TestStoreHostileRecords(t *testing.T) {
	if path := os.Getenv("STABLE_TEST_LOAD"); path != "" {
		// Child: a memory bound like a real machine's, then one Load.
		lim := &syscall.Rlimit{Cur: 16 << 30, Max: 16 << 30}
		syscall.Setrlimit(syscall.RLIMIT_AS, lim)
		s := &Store{Dir: filepath.Dir(filepath.Dir(filepath.Dir(path)))}
		key := filepath.Base(path)
		if r := s.Load(key); r != nil {
			fmt.Println("loaded")
		}
		fmt.Println("ok")
		return
	}
	s := utStore(t)
	key := utKey(7)
	p := s.path(key)
	os.MkdirAll(filepath.Dir(p), 0o777)

	// A zstd frame of 20 bytes whose header claims 60 GB of content (the
	// decoder's default bound is 64 GB): the decoder allocates what the
	// header says before it finds the frame short.
	frame := append(bytes.Clone(zstdMagic), 0xC0, 0x50) // FCS 8 bytes, not single segment, 1 MB window
	frame = binary.LittleEndian.AppendUint64(frame, 60<<30)
	body := []byte("stbl\x02xx")
	h := uint32(1) | uint32(len(body))<<3 // last block, raw
	frame = append(frame, byte(h), byte(h>>8), byte(h>>16))
	frame = append(frame, body...)
	if err := os.WriteFile(p, frame, 0o644); err != nil {
		t.Fatal(err)
	}
	cmd := exec.Command(os.Args[0], "-test.run=^TestStoreHostileRecords$")
	cmd.Env = append(os.Environ(), "STABLE_TEST_LOAD="+p)
	out, err := cmd.CombinedOutput()
	if err != nil || !bytes.Contains(out, []byte("ok")) {
		first, _, _ := strings.Cut(string(out), "\n\n")
		t.Fatalf("a 20-byte zstd record claiming 60 GB of content crashes Store.Load: %v\n%s", err, first)
	}
}

// A FIFO at a record's path (a foreign file) must not hang the wrapper.
func TestStoreFIFORecord(t *testing.T) {
	s := utStore(t)
	key := utKey(8)
	p := s.path(key)
	os.MkdirAll(filepath.Dir(p), 0o777)
	if err := syscall.Mkfifo(p, 0o644); err != nil {
		t.Skip(err)
	}
	done := make(chan *record, 1)
	go func() { done <- s.Load(key) }()
	select {
	case r := <-done:
		if r != nil {
			t.Fatal("a FIFO loaded as a record")
		}
	case <-time.After(2 * time.Second):
		// Release the reader: a writer that closes at once gives it EOF.
		if f, err := os.OpenFile(p, os.O_WRONLY, 0); err == nil {
			f.Close()
		}
		<-done
		t.Fatal("a FIFO at a record's path blocks Store.Load until some writer appears")
	}
}

// A store whose directory cannot be written: loads find nothing, saves
// fail with an error the caller only logs, nothing panics.
func TestStoreReadOnly(t *testing.T) {
	dir := utReadOnlyDir(t)
	s, err := OpenStore(dir)
	if err != nil {
		t.Skipf("cannot open a read-only store here: %v", err)
	}
	if s.Load(utKey(1)) != nil {
		t.Fatal("record from an empty read-only store")
	}
	if err := s.Save(utRecord(utKey(1), 3)); err == nil {
		t.Fatal("Save into a read-only store reported no error")
	}
	if size, _ := s.Trim(0); size != 0 {
		t.Fatalf("Trim of an empty read-only store: %d", size)
	}
	s.Touch(utKey(1))
	s.Count(&Outcome{Results: map[string]Result{"x": Kept}})
	_ = s.ReadStats()
}

// utReadOnlyDir returns a store directory (with its records directory)
// that cannot be written: by permissions for a normal user, by a
// read-only tmpfs for root, or the test is skipped.
func utReadOnlyDir(t *testing.T) string {
	t.Helper()
	dir := filepath.Join(t.TempDir(), "ro")
	if os.Getuid() != 0 {
		os.MkdirAll(filepath.Join(dir, "records"), 0o777)
		os.Chmod(filepath.Join(dir, "records"), 0o555)
		os.Chmod(dir, 0o555)
		t.Cleanup(func() {
			os.Chmod(dir, 0o755)
			os.Chmod(filepath.Join(dir, "records"), 0o755)
		})
		return dir
	}
	os.MkdirAll(dir, 0o777)
	if out, err := exec.Command("mount", "-t", "tmpfs", "-o", "size=64k", "tmpfs", dir).CombinedOutput(); err != nil {
		t.Skipf("root, and no tmpfs to mount read-only: %v %s", err, out)
	}
	t.Cleanup(func() { exec.Command("umount", "-l", dir).Run() })
	os.MkdirAll(filepath.Join(dir, "records"), 0o777)
	if out, err := exec.Command("mount", "-o", "remount,ro", dir).CombinedOutput(); err != nil {
		t.Skipf("remount ro: %v %s", err, out)
	}
	return dir
}

func TestOpenStoreUnusable(t *testing.T) {
	dir := t.TempDir()
	file := filepath.Join(dir, "file")
	os.WriteFile(file, nil, 0o644)
	if _, err := OpenStore(filepath.Join(file, "store")); err == nil {
		t.Error("a store under a regular file opened")
	}
	if _, err := OpenStore(""); err == nil {
		t.Error("a store without a directory opened")
	}
	t.Setenv("STABLE_MAXSIZE", "lots")
	if _, err := OpenStore(filepath.Join(dir, "s")); err == nil {
		t.Error("a bad STABLE_MAXSIZE accepted")
	}
	t.Setenv("STABLE_MAXSIZE", "3k")
	if s, err := OpenStore(filepath.Join(dir, "s")); err != nil || s.MaxSize != 3<<10 {
		t.Errorf("STABLE_MAXSIZE=3k: %v %v", s, err)
	}
}

func utStoreSize(t *testing.T, s *Store) int64 {
	var total int64
	filepath.Walk(s.recordsDir(), func(p string, fi os.FileInfo, err error) error {
		if err == nil && fi.Mode().IsRegular() {
			total += fi.Size()
		}
		return nil
	})
	return total
}

// Trim keeps the store within its bound, dropping the least recently used
// records first; Touch marks a record as used.
func TestStoreTrim(t *testing.T) {
	s := utStore(t)
	s.MaxSize = 1 << 40 // no trimming on Save
	const n = 40
	base := time.Now().Add(-time.Hour)
	for i := 0; i < n; i++ {
		if err := s.Save(utRecord(utKey(i), 20)); err != nil {
			t.Fatal(err)
		}
		mt := base.Add(time.Duration(i) * time.Second)
		os.Chtimes(s.path(utKey(i)), mt, mt)
	}
	s.Touch(utKey(0)) // the oldest, used just now
	total := utStoreSize(t, s)
	if got, err := s.Trim(total); err != nil || got != total {
		t.Fatalf("Trim to the current size: %d %v, want %d", got, err, total)
	}
	bound := total / 3
	got, err := s.Trim(bound)
	if err != nil || got > bound || got != utStoreSize(t, s) {
		t.Fatalf("Trim(%d) = %d, %v; on disk %d", bound, got, err, utStoreSize(t, s))
	}
	if s.Load(utKey(0)) == nil || s.Load(utKey(n-1)) == nil {
		t.Error("Trim dropped a recently used record")
	}
	if s.Load(utKey(1)) != nil {
		t.Error("Trim kept the least recently used record")
	}
	if got, _ := s.Trim(0); got != 0 || utStoreSize(t, s) != 0 {
		t.Fatalf("Trim(0) left %d bytes", got)
	}
	empty := &Store{Dir: filepath.Join(t.TempDir(), "none")}
	if got, _ := empty.Trim(0); got != 0 {
		t.Fatal("Trim of a missing store")
	}
}

// Saves trim now and then on their own: a long run of saves stays near
// the bound.
func TestStoreSavesStayBounded(t *testing.T) {
	s := utStore(t)
	s.MaxSize = 64 << 10
	for i := 0; i < 50*trimEvery; i++ {
		if err := s.Save(utRecord(utKey(i), 10)); err != nil {
			t.Fatal(err)
		}
	}
	one := int64(len(must(encodeRecord(utRecord(utKey(0), 10)))))
	// Between two trims at most a few trimEvery saves pile up past the
	// bound (each trim happens with probability 1/trimEvery).
	if size := utStoreSize(t, s); size > s.MaxSize+20*trimEvery*one {
		t.Fatalf("store holds %d bytes, bound %d", size, s.MaxSize)
	}
}

func must[T any](v T, err error) T {
	if err != nil {
		panic(err)
	}
	return v
}

// Eight writers of one key at once, readers alongside: every save
// succeeds, every load sees a whole record of one writer or nothing, and
// the final record loads.
func TestStoreConcurrentSave(t *testing.T) {
	s := utStore(t)
	key := utKey(3)
	var wg sync.WaitGroup
	errs := make(chan error, 1000)
	stop := make(chan struct{})
	var readers sync.WaitGroup
	for r := 0; r < 2; r++ {
		readers.Add(1)
		go func() {
			defer readers.Done()
			for {
				select {
				case <-stop:
					return
				default:
				}
				if got := s.Load(key); got != nil && (len(got.Inputs) < 1 || got.Elapsed != int64(len(got.Inputs))) {
					errs <- fmt.Errorf("torn record: %d inputs, elapsed %d", len(got.Inputs), got.Elapsed)
				}
			}
		}()
	}
	for g := 1; g <= 8; g++ {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for i := 0; i < 30; i++ {
				n := g * 20 // writers 6 and up write compressed records
				r := utRecord(key, n)
				r.Elapsed = int64(n)
				if err := s.Save(r); err != nil {
					errs <- err
				}
			}
		}()
	}
	wg.Wait()
	close(stop)
	readers.Wait()
	close(errs)
	for err := range errs {
		t.Error(err)
	}
	got := s.Load(key)
	if got == nil || got.Elapsed != int64(len(got.Inputs)) {
		t.Fatalf("final record: %+v", got)
	}
	filepath.Walk(s.recordsDir(), func(p string, fi os.FileInfo, err error) error {
		if err == nil && strings.HasPrefix(fi.Name(), TempPrefix) {
			t.Errorf("temporary left: %s", p)
		}
		return nil
	})
}

func TestParseSize(t *testing.T) {
	for in, want := range map[string]int64{
		"0": 0, "1": 1, "512M": 512 << 20, "512m": 512 << 20, "2G": 2 << 30, "2g": 2 << 30,
		"100k": 100 << 10, "100K": 100 << 10, "1048576": 1 << 20,
	} {
		if got, err := ParseSize(in); err != nil || got != want {
			t.Errorf("ParseSize(%q) = %d, %v; want %d", in, got, err, want)
		}
	}
	for _, in := range []string{"-1", "-1M", "M", "k", "1.5G", "1T", "10MB", " 1M", "1M ", "x", "0x10", "1e6"} {
		if got, err := ParseSize(in); err == nil {
			t.Errorf("ParseSize(%q) = %d, want an error", in, got)
		}
	}
}

func TestParseSizeEmpty(t *testing.T) {
	defer func() {
		if e := recover(); e != nil {
			t.Fatalf("ParseSize(\"\") panics: %v", e)
		}
	}()
	if _, err := ParseSize(""); err == nil {
		t.Fatal("ParseSize(\"\") gave no error")
	}
}

func TestParseSizeOverflow(t *testing.T) {
	for _, in := range []string{"9000000000G", "9223372036854775807k", "17179869184G"} {
		got, err := ParseSize(in)
		if err == nil && got <= 0 {
			t.Fatalf("ParseSize(%q) = %d with no error: the multiplication overflowed", in, got)
		}
		if err == nil {
			t.Errorf("ParseSize(%q) = %d, want an error (overflow)", in, got)
		}
	}
}

func TestPostNoteRoundTrip(t *testing.T) {
	s := utStore(t)
	abs := filepath.Join(t.TempDir(), "x.o")
	n := &postNote{Path: abs + "/.", Key: "k", In: DigestBytes([]byte("in")), InData: []byte("in"), Stdout: []byte("out"),
		Out: FileState{Path: abs, Size: 3, Ino: 4, Hash: DigestBytes([]byte("out"))}, Stderr: []byte("w\n")}
	if err := s.SavePost(n); err != nil {
		t.Fatal(err)
	}
	got := s.LoadPost(abs)
	if got == nil || got.Path != abs || !bytes.Equal(got.InData, n.InData) || got.Out != n.Out || !bytes.Equal(got.Stderr, n.Stderr) {
		t.Fatalf("post note: %+v", got)
	}
	if s.LoadPost(abs+"x") != nil {
		t.Fatal("a note for another file")
	}
	os.WriteFile(s.path(postKey(abs)), []byte("garbage"), 0o644)
	if s.LoadPost(abs) != nil {
		t.Fatal("a damaged note loaded")
	}
}
