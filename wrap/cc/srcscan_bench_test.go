package cc

import (
	"bytes"
	"io/fs"
	"os"
	"path/filepath"
	"runtime"
	"strings"
	"syscall"
	"testing"
	"time"
)

// feedLikeCaller feeds data as the wrapper reads a file: 256 KiB at a
// time, each chunk cut after its last newline unless it has none.
func feedLikeCaller(s *SourceScanner, data []byte) {
	const chunk = 256 << 10
	for len(data) > 0 {
		n := min(chunk, len(data))
		if n < len(data) {
			if j := bytes.LastIndexByte(data[:n], '\n'); j >= 0 {
				n = j + 1
			}
		}
		s.Feed(data[:n])
		data = data[n:]
	}
}

// readSourceTree reads the regular files under root whose names pass keep.
func readSourceTree(tb testing.TB, root string, keep func(string) bool) (names []string, files [][]byte) {
	filepath.WalkDir(root, func(p string, d fs.DirEntry, err error) error {
		if err != nil || !d.Type().IsRegular() || !keep(p) {
			return nil
		}
		if b, err := os.ReadFile(p); err == nil {
			names, files = append(names, p), append(files, b)
		}
		return nil
	})
	if len(files) == 0 {
		tb.Skipf("no files under %s", root)
	}
	return names, files
}

// BenchmarkSourceScanner scans every file under /usr/include (libc, kernel,
// C++ and boost headers) the way compiles read headers: each file copied
// into a buffer, as read(2) leaves it, then scanned. BenchmarkReadCopy is
// the copy alone; the scanner's own speed is the difference.
func BenchmarkSourceScanner(b *testing.B) { benchScan(b, "/usr/include", true) }
func BenchmarkReadCopy(b *testing.B)      { benchScan(b, "/usr/include", false) }

// BenchmarkSourceScannerKernel scans the headers of a Linux tree at
// $STABLE_KERNEL_TREE.
func BenchmarkSourceScannerKernel(b *testing.B) {
	root := os.Getenv("STABLE_KERNEL_TREE")
	if root == "" {
		b.Skip("STABLE_KERNEL_TREE not set")
	}
	benchScan(b, filepath.Join(root, "include"), true)
}

func benchScan(b *testing.B, root string, scan bool) {
	_, files := readSourceTree(b, root, func(p string) bool { return !strings.HasSuffix(p, ".gz") })
	total := 0
	for _, f := range files {
		total += len(f)
	}
	buf := make([]byte, 0, 1<<20)
	b.SetBytes(int64(total))
	runtime.LockOSThread()
	defer runtime.UnlockOSThread()
	t0 := threadCPU()
	b.ResetTimer()
	defer func() {
		// Thread CPU time, not wall time: other work on the machine
		// does not count.
		cpu := (threadCPU() - t0).Seconds()
		b.ReportMetric(float64(total)*float64(b.N)/cpu/1e9, "GB/s-cpu")
	}()
	for range b.N {
		for _, f := range files {
			buf = append(buf[:0], f...)
			if scan {
				s := NewSourceScanner(false)
				feedLikeCaller(s, buf)
				s.Facts()
			}
		}
	}
}

// threadCPU returns the CPU time used by the calling thread.
func threadCPU() time.Duration {
	var ru syscall.Rusage
	syscall.Getrusage(1, &ru) // RUSAGE_THREAD
	return time.Duration(ru.Utime.Nano() + ru.Stime.Nano())
}
