package stable

import (
	"bytes"
	"crypto/sha256"
	"errors"
	"hash"
	"io"
	"io/fs"
	"os"
	"syscall"
)

// chunk is the read size of the streaming comparison: large enough to keep
// syscalls rare on outputs of hundreds of MB, small enough to stay in cache.
const chunk = 256 << 10

// sameContent reports whether the files at a and b hold the same bytes.
// Sizes are compared first; content is streamed in chunks, so memory stays
// flat whatever the size. When h is not nil it receives every byte of a that
// was read, which lets a caller hash a new output while comparing it.
func sameContent(a, b string, h hash.Hash) (bool, error) {
	fa, err := os.Open(a)
	if err != nil {
		return false, err
	}
	defer fa.Close()
	fb, err := os.Open(b)
	if err != nil {
		return false, err
	}
	defer fb.Close()
	sa, err := fa.Stat()
	if err != nil {
		return false, err
	}
	sb, err := fb.Stat()
	if err != nil {
		return false, err
	}
	if sa.Size() != sb.Size() {
		return false, nil
	}
	return sameStream(fa, fb, h)
}

var bufPool = make(chan []byte, 4)

func getBuf() []byte {
	select {
	case b := <-bufPool:
		return b
	default:
		return make([]byte, 2*chunk)
	}
}

func putBuf(b []byte) {
	select {
	case bufPool <- b:
	default:
	}
}

func sameStream(ra, rb io.Reader, h hash.Hash) (bool, error) {
	buf := getBuf()
	defer putBuf(buf)
	ba, bb := buf[:chunk], buf[chunk:]
	for {
		na, ea := io.ReadFull(ra, ba)
		nb, eb := io.ReadFull(rb, bb)
		if h != nil {
			h.Write(ba[:na])
		}
		if na != nb || !bytes.Equal(ba[:na], bb[:nb]) {
			return false, nil
		}
		doneA, errA := readDone(ea)
		doneB, errB := readDone(eb)
		if errA != nil {
			return false, errA
		}
		if errB != nil {
			return false, errB
		}
		if doneA || doneB {
			return doneA && doneB, nil
		}
	}
}

func readDone(err error) (bool, error) {
	if err == nil {
		return false, nil
	}
	if errors.Is(err, io.EOF) || errors.Is(err, io.ErrUnexpectedEOF) {
		return true, nil
	}
	return false, err
}

// newHash returns the content hash used for records. SHA-256 is collision
// resistant and runs on the SHA extensions of current x86 and arm64 cores;
// see BenchmarkHash for the comparison that chose it.
func newHash() hash.Hash { return sha256.New() }

// HashFile returns the content hash of the file at path.
func HashFile(path string) (Digest, error) {
	d, _, err := scanFile(path, nil)
	return d, err
}

var errNotRegular = errors.New("not a regular file")

// scanFile hashes the file at path with one pass of plain read(2) calls
// (os.File would register every file with the poller first, which costs
// more than reading a small header) and shows each chunk to scan, when
// given; a chunk ends on a line boundary, so a token never straddles two
// (except in lines longer than a chunk). It also returns the file's stat.
func scanFile(path string, scan func([]byte)) (Digest, syscall.Stat_t, error) {
	var st syscall.Stat_t
	// O_NONBLOCK: opening a FIFO (a source fed by a pipe) must not wait
	// for a writer that is long gone; it is refused below.
	fd, err := syscall.Open(path, syscall.O_RDONLY|syscall.O_CLOEXEC|syscall.O_NONBLOCK, 0)
	if err != nil {
		return Digest{}, st, &fs.PathError{Op: "open", Path: path, Err: err}
	}
	defer syscall.Close(fd)
	if err := syscall.Fstat(fd, &st); err != nil {
		return Digest{}, st, &fs.PathError{Op: "stat", Path: path, Err: err}
	}
	if st.Mode&syscall.S_IFMT != syscall.S_IFREG {
		return Digest{}, st, &fs.PathError{Op: "read", Path: path, Err: errNotRegular}
	}
	h := newHash()
	buf := getBuf()
	defer putBuf(buf)
	n := 0 // bytes held in buf, not yet hashed
	left := st.Size
	for {
		m := 0
		if left > 0 {
			// The size from fstat spares the read that would only say
			// EOF; a file that grows meanwhile has a new ctime, which the
			// record's "changed while the tool ran" check sees.
			var err error
			m, err = syscall.Read(fd, buf[n:])
			if err == syscall.EINTR {
				continue
			}
			if err != nil {
				return Digest{}, st, &fs.PathError{Op: "read", Path: path, Err: err}
			}
			left -= int64(m)
		}
		n += m
		end := n
		if m > 0 && n == len(buf) {
			if i := bytes.LastIndexByte(buf[:n], '\n'); i > 0 {
				end = i + 1
			}
		} else if m > 0 && left > 0 {
			continue // fill the buffer before hashing
		} else if m > 0 {
			m = 0 // all read: hash what is held and end
		}
		h.Write(buf[:end])
		if scan != nil {
			scan(buf[:end])
		}
		n = copy(buf, buf[end:n])
		if m == 0 {
			return digestOf(h), st, nil
		}
	}
}

// SameFiles reports whether the files at a and b hold the same bytes,
// streaming as Commit does (for benchmarks and tools).
func SameFiles(a, b string) (bool, error) { return sameContent(a, b, nil) }
