package bench

import (
	"crypto/md5"
	"crypto/sha1"
	"crypto/sha256"
	"crypto/sha3"
	"crypto/sha512"
	"fmt"
	"hash"
	"hash/fnv"
	"os"
	"os/exec"
	"path/filepath"
	"testing"

	"stable/stable"
)

// twin writes two identical files of size bytes.
func twin(b *testing.B, size int) (string, string) {
	b.Helper()
	dir := b.TempDir()
	data := make([]byte, 1<<20)
	for i := range data {
		data[i] = byte(i * 7)
	}
	p, q := filepath.Join(dir, "a"), filepath.Join(dir, "b")
	for _, name := range []string{p, q} {
		f, err := os.Create(name)
		if err != nil {
			b.Fatal(err)
		}
		for n := 0; n < size; n += len(data) {
			f.Write(data[:min(len(data), size-n)])
		}
		f.Close()
	}
	return p, q
}

// BenchmarkCompare: stable's streaming comparison of two identical files
// (the worst case: every byte read) against cmp(1) on the same files.
func BenchmarkCompare(b *testing.B) {
	sizes := []int{1 << 20, 512 << 20}
	if testing.Short() {
		sizes = sizes[:1]
	}
	for _, size := range sizes {
		p, q := twin(b, size)
		b.Run(fmt.Sprintf("stable/%dMB", size>>20), func(b *testing.B) {
			b.SetBytes(int64(size))
			for b.Loop() {
				if same, err := stable.SameFiles(p, q); err != nil || !same {
					b.Fatal(same, err)
				}
			}
		})
		b.Run(fmt.Sprintf("cmp/%dMB", size>>20), func(b *testing.B) {
			b.SetBytes(int64(size))
			for b.Loop() {
				if err := exec.Command("cmp", "-s", p, q).Run(); err != nil {
					b.Fatal(err)
				}
			}
		})
	}
}

// BenchmarkHash: candidates for the content hash of records. Records need
// collision resistance (an input that changed must never look unchanged),
// which leaves the SHA-2 and SHA-3 families; MD5, SHA-1 and FNV are shown
// for scale only.
func BenchmarkHash(b *testing.B) {
	hashes := []struct {
		name string
		new  func() hash.Hash
	}{
		{"sha256", sha256.New}, {"sha512", sha512.New}, {"sha512_256", sha512.New512_256},
		{"sha3-256", func() hash.Hash { return sha3.New256() }},
		{"sha1(broken)", sha1.New}, {"md5(broken)", md5.New}, {"fnv64(not-crypto)", func() hash.Hash { return fnv.New64a() }},
	}
	for _, size := range []int{4 << 10, 1 << 20, 64 << 20} {
		data := make([]byte, size)
		for i := range data {
			data[i] = byte(i)
		}
		for _, h := range hashes {
			b.Run(fmt.Sprintf("%s/%dKB", h.name, size>>10), func(b *testing.B) {
				b.SetBytes(int64(size))
				for b.Loop() {
					x := h.new()
					x.Write(data)
					x.Sum(nil)
				}
			})
		}
	}
}

// BenchmarkRunOverhead: one `stable run -o f -- cp a f` against `cp a f`:
// the tool runs every time (no inputs declared, or records off), and the
// record hit when the input is declared.
func BenchmarkRunOverhead(b *testing.B) {
	bin := buildBinaries(b)
	dir := b.TempDir()
	os.WriteFile(filepath.Join(dir, "a"), make([]byte, 64<<10), 0o666)
	env := append(os.Environ(), "STABLE_DIR="+filepath.Join(dir, "store"))
	run := func(b *testing.B, env []string, argv ...string) {
		for b.Loop() {
			cmd := exec.Command(argv[0], argv[1:]...)
			cmd.Dir, cmd.Env = dir, env
			if out, err := cmd.CombinedOutput(); err != nil {
				b.Fatalf("%v: %s", err, out)
			}
		}
	}
	stableBin := filepath.Join(bin, "stable")
	b.Run("cp", func(b *testing.B) { run(b, env, "cp", "a", "f") })
	b.Run("stable-run-cp", func(b *testing.B) { run(b, env, stableBin, "run", "-o", "f", "--", "cp", "a", "f") })
	b.Run("stable-run-cp-norecords", func(b *testing.B) {
		run(b, append(env, "STABLE_NORECORDS=1"), stableBin, "run", "-o", "f", "--", "cp", "a", "f")
	})
	b.Run("stable-run-cp-hit", func(b *testing.B) { run(b, env, stableBin, "run", "-i", "a", "-o", "f", "--", "cp", "a", "f") })
}
