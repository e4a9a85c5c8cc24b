package stable

import (
	"bytes"
	"fmt"
	"math/rand/v2"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"syscall"
	"testing"
	"time"
)

// utStat is the part of a file's stat that tells whether it was touched.
type utStat struct {
	ino          uint64
	mtime, ctime int64 // ns
	mode         os.FileMode
	size         int64
}

func utStatOf(t *testing.T, path string) utStat {
	t.Helper()
	fi, err := os.Stat(path)
	if err != nil {
		t.Fatal(err)
	}
	st := fi.Sys().(*syscall.Stat_t)
	return utStat{uint64(st.Ino), st.Mtim.Sec*1e9 + st.Mtim.Nsec, st.Ctim.Sec*1e9 + st.Ctim.Nsec, fi.Mode(), fi.Size()}
}

// utWrite writes a file with an exact mode (whatever the umask) and an old
// mtime, so that any rewrite of it shows in its stat.
func utWrite(t *testing.T, path string, data []byte, mode os.FileMode) {
	t.Helper()
	if err := os.WriteFile(path, data, mode); err != nil {
		t.Fatal(err)
	}
	if err := os.Chmod(path, mode); err != nil {
		t.Fatal(err)
	}
	old := time.Date(2020, 1, 2, 3, 4, 5, 123456789, time.UTC)
	if err := os.Chtimes(path, old, old); err != nil {
		t.Fatal(err)
	}
}

// utTool plays the tool: it writes data at the temporary the transaction
// gave for name.
func utTool(t *testing.T, txn *Txn, name string, data []byte, mode os.FileMode) {
	t.Helper()
	tmp := txn.Temp(name)
	if tmp == name {
		t.Fatalf("%s has no temporary", name)
	}
	if err := os.WriteFile(tmp, data, mode); err != nil {
		t.Fatal(err)
	}
	if err := os.Chmod(tmp, mode); err != nil {
		t.Fatal(err)
	}
}

// utNoTemps fails when a directory holds a stable temporary.
func utNoTemps(t *testing.T, dirs ...string) {
	t.Helper()
	for _, d := range dirs {
		ents, err := os.ReadDir(d)
		if err != nil {
			t.Fatal(err)
		}
		for _, e := range ents {
			if strings.HasPrefix(e.Name(), TempPrefix) {
				t.Errorf("temporary %s left in %s", e.Name(), d)
			}
		}
	}
}

func utCommitOne(t *testing.T, out string, data []byte, mode os.FileMode, opts TxnOptions) *Out {
	t.Helper()
	txn, err := BeginWith([]string{out}, opts)
	if err != nil {
		t.Fatal(err)
	}
	utTool(t, txn, out, data, mode)
	if err := txn.Commit(true); err != nil {
		t.Fatal(err)
	}
	utNoTemps(t, filepath.Dir(out))
	return txn.Outs()[0]
}

func utContent(t *testing.T, path string) []byte {
	t.Helper()
	b, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	return b
}

func TestTxnSameContentKept(t *testing.T) {
	for _, size := range []int{0, 1, 4096, 3*chunk + 17} {
		t.Run(fmt.Sprint(size), func(t *testing.T) {
			out := filepath.Join(t.TempDir(), "out.o")
			data := bytes.Repeat([]byte("abcdefg\x00"), size/8+1)[:size]
			utWrite(t, out, data, 0o644)
			before := utStatOf(t, out)
			o := utCommitOne(t, out, data, 0o644, TxnOptions{})
			if o.Result != Kept {
				t.Fatalf("result %v, want kept", o.Result)
			}
			if after := utStatOf(t, out); after != before {
				t.Fatalf("kept output touched: %+v -> %+v", before, after)
			}
			if o.Hash != DigestBytes(data) {
				t.Fatalf("hash of kept output %v, want %v", o.Hash, DigestBytes(data))
			}
		})
	}
}

func TestTxnDifferentReplaced(t *testing.T) {
	big := bytes.Repeat([]byte{7}, 2*chunk+5)
	lastByte := bytes.Clone(big)
	lastByte[len(lastByte)-1] = 8
	firstByte := bytes.Clone(big)
	firstByte[0] = 8
	boundary := bytes.Clone(big)
	boundary[chunk] = 8
	for _, c := range []struct {
		name     string
		old, new []byte
	}{
		{"same-size", []byte("hello"), []byte("hellO")},
		{"longer", []byte("hello"), []byte("hello!")},
		{"shorter", []byte("hello"), []byte("hell")},
		{"to-empty", []byte("hello"), nil},
		{"from-empty", nil, []byte("x")},
		{"last-byte-of-3-chunks", big, lastByte},
		{"first-byte-of-3-chunks", big, firstByte},
		{"chunk-boundary", big, boundary},
	} {
		t.Run(c.name, func(t *testing.T) {
			out := filepath.Join(t.TempDir(), "out")
			utWrite(t, out, c.old, 0o644)
			before := utStatOf(t, out)
			o := utCommitOne(t, out, c.new, 0o644, TxnOptions{})
			if o.Result != Replaced {
				t.Fatalf("result %v, want replaced", o.Result)
			}
			if !bytes.Equal(utContent(t, out), c.new) {
				t.Fatal("new content not in place")
			}
			if after := utStatOf(t, out); after.ino == before.ino || after.mtime == before.mtime {
				t.Fatalf("replaced output kept its inode or mtime: %+v -> %+v", before, after)
			}
			if o.Hash != DigestBytes(c.new) {
				t.Fatal("hash is not the new content's")
			}
		})
	}
}

func TestTxnMissingCreated(t *testing.T) {
	dir := t.TempDir()
	out := filepath.Join(dir, "new.o")
	o := utCommitOne(t, out, []byte("fresh"), 0o640, TxnOptions{})
	if o.Result != Created {
		t.Fatalf("result %v, want created", o.Result)
	}
	if st := utStatOf(t, out); st.mode != 0o640 || !bytes.Equal(utContent(t, out), []byte("fresh")) {
		t.Fatalf("created %v", st)
	}
}

func TestTxnModeChangeReplaced(t *testing.T) {
	out := filepath.Join(t.TempDir(), "tool")
	utWrite(t, out, []byte("#!/bin/sh\n"), 0o644)
	before := utStatOf(t, out)
	o := utCommitOne(t, out, []byte("#!/bin/sh\n"), 0o755, TxnOptions{})
	if o.Result != Replaced {
		t.Fatalf("result %v, want replaced", o.Result)
	}
	if after := utStatOf(t, out); after.mode != 0o755 || after.ino == before.ino {
		t.Fatalf("mode change not committed: %+v -> %+v", before, after)
	}
}

// KeepModes: a tool that writes into an existing file keeps its mode, so a
// temporary with another mode but the same content changes nothing.
func TestTxnKeepModes(t *testing.T) {
	out := filepath.Join(t.TempDir(), "f")
	utWrite(t, out, []byte("same"), 0o755)
	before := utStatOf(t, out)
	if o := utCommitOne(t, out, []byte("same"), 0o644, TxnOptions{InPlace: true, KeepMode: true, KeepOwner: true}); o.Result != Kept {
		t.Fatalf("result %v, want kept", o.Result)
	}
	if after := utStatOf(t, out); after != before {
		t.Fatalf("kept output touched: %+v -> %+v", before, after)
	}
	if o := utCommitOne(t, out, []byte("other"), 0o644, TxnOptions{InPlace: true, KeepMode: true, KeepOwner: true}); o.Result != Replaced {
		t.Fatalf("result %v, want replaced", o.Result)
	}
	if st := utStatOf(t, out); st.mode != 0o755 {
		t.Fatalf("replaced in-place output has mode %v, want the old 0755", st.mode)
	}
}

func TestTxnToolWroteNothing(t *testing.T) {
	out := filepath.Join(t.TempDir(), "f")
	utWrite(t, out, []byte("old"), 0o644)
	before := utStatOf(t, out)
	txn, err := Begin([]string{out})
	if err != nil {
		t.Fatal(err)
	}
	if err := txn.Commit(true); err != nil {
		t.Fatal(err)
	}
	if r := txn.Outs()[0].Result; r != Missing {
		t.Fatalf("result %v, want missing", r)
	}
	if utStatOf(t, out) != before {
		t.Fatal("old output touched")
	}
	utNoTemps(t, filepath.Dir(out))
}

func TestTxnNotRegularPassed(t *testing.T) {
	dir := t.TempDir()
	fifo := filepath.Join(dir, "fifo")
	if err := syscall.Mkfifo(fifo, 0o644); err != nil {
		t.Fatal(err)
	}
	os.Mkdir(filepath.Join(dir, "adir"), 0o777)
	names := []string{"/dev/null", "-", "", fifo, filepath.Join(dir, "adir")}
	txn, err := Begin(names)
	if err != nil {
		t.Fatal(err)
	}
	for _, o := range txn.Outs() {
		if o.Result != Passed || o.Temp != "" || txn.Temp(o.Name) != o.Name {
			t.Errorf("%q: result %v temp %q, want passed without temporary", o.Name, o.Result, o.Temp)
		}
	}
	if err := txn.Commit(true); err != nil {
		t.Fatal(err)
	}
	utNoTemps(t, dir)
}

// A symlinked output is written where it points, as the tool would; the
// link itself stays.
func TestTxnSymlinkedOutput(t *testing.T) {
	root := t.TempDir()
	os.MkdirAll(filepath.Join(root, "real"), 0o777)
	os.MkdirAll(filepath.Join(root, "links"), 0o777)
	target := filepath.Join(root, "real", "f.o")
	link := filepath.Join(root, "links", "f.o")
	hop := filepath.Join(root, "links", "hop")
	utWrite(t, target, []byte("one"), 0o644)
	if err := os.Symlink("../real/f.o", link); err != nil {
		t.Fatal(err)
	}
	if err := os.Symlink("f.o", hop); err != nil { // a chain: hop -> f.o -> ../real/f.o
		t.Fatal(err)
	}
	for _, name := range []string{link, hop} {
		before := utStatOf(t, target)
		if o := utCommitOne(t, name, []byte("one"), 0o644, TxnOptions{}); o.Result != Kept || o.Target != target {
			t.Fatalf("%s: result %v target %q, want kept %q", name, o.Result, o.Target, target)
		}
		if utStatOf(t, target) != before {
			t.Fatalf("%s: kept target touched", name)
		}
		utNoTemps(t, filepath.Join(root, "real"), filepath.Join(root, "links"))
	}
	if o := utCommitOne(t, hop, []byte("two"), 0o644, TxnOptions{}); o.Result != Replaced {
		t.Fatalf("result %v, want replaced", o.Result)
	}
	if got := utContent(t, target); string(got) != "two" {
		t.Fatalf("target holds %q", got)
	}
	for _, l := range []string{link, hop} {
		if fi, err := os.Lstat(l); err != nil || fi.Mode()&os.ModeSymlink == 0 {
			t.Fatalf("%s is no longer a symlink", l)
		}
	}
	utNoTemps(t, filepath.Join(root, "real"), filepath.Join(root, "links"))

	// A dangling link: the tool would create the file it points to.
	dangling := filepath.Join(root, "links", "dangling")
	os.Symlink("../real/new.o", dangling)
	if o := utCommitOne(t, dangling, []byte("new"), 0o644, TxnOptions{}); o.Result != Created {
		t.Fatalf("dangling: result %v, want created", o.Result)
	}
	if got := utContent(t, filepath.Join(root, "real", "new.o")); string(got) != "new" {
		t.Fatalf("dangling link target holds %q", got)
	}
}

// Temporaries live in private directories beside their outputs, keep the
// output's base name, and are gone after Abort and after Commit.
func TestTxnAbortAndPrivacy(t *testing.T) {
	root := t.TempDir()
	d1, d2 := filepath.Join(root, "a"), filepath.Join(root, "b")
	os.Mkdir(d1, 0o777)
	os.Mkdir(d2, 0o777)
	outs := []string{filepath.Join(d1, "x.o"), filepath.Join(d1, "x.d"), filepath.Join(d2, "y.o")}
	utWrite(t, outs[0], []byte("old"), 0o644)
	before := utStatOf(t, outs[0])
	txn, err := Begin(outs)
	if err != nil {
		t.Fatal(err)
	}
	for _, o := range txn.Outs() {
		if filepath.Base(o.Temp) != filepath.Base(o.Name) {
			t.Errorf("temporary %s does not keep the base name of %s", o.Temp, o.Name)
		}
		pd := filepath.Dir(o.Temp)
		if filepath.Dir(pd) != filepath.Dir(o.Name) || !isTemp(o.Temp) {
			t.Errorf("temporary %s is not in a private directory beside %s", o.Temp, o.Name)
		}
		fi, err := os.Lstat(pd)
		if err != nil || !fi.IsDir() || fi.Mode().Perm() != 0o700 {
			t.Errorf("private directory %s: %v %v", pd, fi.Mode(), err)
		}
		utTool(t, txn, o.Name, []byte("new"), 0o644)
	}
	txn.Abort()
	utNoTemps(t, d1, d2)
	if utStatOf(t, outs[0]) != before {
		t.Fatal("Abort touched an old output")
	}
	for _, p := range outs[1:] {
		if _, err := os.Lstat(p); err == nil {
			t.Fatalf("Abort created %s", p)
		}
	}
	txn.Abort() // twice is harmless
	if err := txn.Commit(true); err != nil {
		t.Fatal(err)
	}
	utNoTemps(t, d1, d2)
}

// A directory that cannot hold a temporary is an error from Begin (the
// caller then runs the tool unmodified), and nothing is left behind.
func TestTxnBeginError(t *testing.T) {
	dir := t.TempDir()
	ok := filepath.Join(dir, "ok.o")
	if _, err := Begin([]string{ok, filepath.Join(dir, "missing", "x.o")}); err == nil {
		t.Fatal("Begin in a missing directory succeeded")
	}
	utNoTemps(t, dir)
	// Under a regular file: no temporary, the tool meets ENOTDIR itself.
	file := filepath.Join(dir, "file")
	utWrite(t, file, nil, 0o644)
	txn, err := Begin([]string{filepath.Join(file, "x.o")})
	if err != nil || txn.Outs()[0].Result != Passed {
		t.Fatalf("under a regular file: %v %v", txn, err)
	}
}

// Symlinks planted in a world-writable directory at names a temporary
// could take are never followed: not by the temporary directories, nor by
// the sweep of leftovers, nor by the atomic writes of records.
func TestPlantedSymlinksNotFollowed(t *testing.T) {
	root := t.TempDir()
	shared := filepath.Join(root, "shared")
	victim := filepath.Join(root, "victim")
	os.Mkdir(shared, 0o777)
	os.Chmod(shared, 0o1777)
	os.Mkdir(victim, 0o755)
	precious := filepath.Join(victim, "f")
	utWrite(t, precious, []byte("precious"), 0o644)
	victimBefore := utStatOf(t, precious)

	var planted []string
	plant := func(name, to string) {
		p := filepath.Join(shared, name)
		if err := os.Symlink(to, p); err == nil {
			planted = append(planted, p)
		}
	}
	// Names os.MkdirTemp would pick (the prefix and a decimal number), the
	// names of atomic writes and of kept files, all pointing at the victim.
	for i := 0; i < 2000; i++ {
		plant(fmt.Sprintf("%s%d", TempPrefix, i), victim)
		plant(fmt.Sprintf("%s%d", TempPrefix, rand.Uint32()), victim)
	}
	plant(TempPrefix+"w-1", precious)
	plant(TempPrefix+"keep-out.o", precious)
	plant(TempPrefix+"keep-out.d", precious)
	// An old, unlocked directory a killed wrapper might have left, holding
	// a symlink into the victim: the sweep removes it, not what it points at.
	evil := filepath.Join(shared, TempPrefix+"4242")
	os.Mkdir(evil, 0o755)
	os.Symlink(victim, filepath.Join(evil, "out.o"))
	os.Symlink(precious, filepath.Join(evil, "f"))
	old := time.Now().Add(-time.Hour)
	os.Chtimes(evil, old, old)

	out := filepath.Join(shared, "out.o")
	for i := 0; i < 50; i++ {
		txn, err := Begin([]string{out, filepath.Join(shared, "out.d")})
		if err != nil {
			t.Fatal(err)
		}
		for _, o := range txn.Outs() {
			if fi, err := os.Lstat(filepath.Dir(o.Temp)); err != nil || !fi.IsDir() {
				t.Fatalf("temporary directory %s is not a directory of ours", filepath.Dir(o.Temp))
			}
			utTool(t, txn, o.Name, []byte(fmt.Sprint("v", i%3)), 0o644)
		}
		if err := txn.Commit(true); err != nil {
			t.Fatal(err)
		}
	}
	if got := utContent(t, out); string(got) != "v1" {
		t.Fatalf("output holds %q", got)
	}
	ents, _ := os.ReadDir(victim)
	if len(ents) != 1 || utStatOf(t, precious) != victimBefore || string(utContent(t, precious)) != "precious" {
		t.Fatalf("the victim was written through a planted symlink: %v", ents)
	}
	for _, p := range planted {
		if fi, err := os.Lstat(p); err != nil || fi.Mode()&os.ModeSymlink == 0 {
			t.Fatalf("planted symlink %s removed or replaced", p)
		}
	}
	if _, err := os.Lstat(evil); err == nil {
		t.Error("the old unlocked leftover was not swept")
	}

	// Records written atomically into a directory full of planted links.
	store := &Store{Dir: shared, MaxSize: defaultMaxSize}
	recs := store.recordsDir()
	os.MkdirAll(filepath.Join(recs, "ab"), 0o777)
	for i := 0; i < 200; i++ {
		os.Symlink(precious, filepath.Join(recs, "ab", fmt.Sprintf("%sw-%d", TempPrefix, rand.Uint32())))
	}
	key := "ab" + strings.Repeat("0", 62)
	if err := store.Save(&record{Key: key, Argv: []string{"x"}}); err != nil {
		t.Fatal(err)
	}
	if r := store.Load(key); r == nil {
		t.Fatal("record not saved")
	}
	if string(utContent(t, precious)) != "precious" {
		t.Fatal("a record was written through a planted symlink")
	}
}

// Leftovers of a killed wrapper (unlocked, older than a second) are swept
// by the next transaction in their directory; a live one's are not.
func TestSweepLeftovers(t *testing.T) {
	dir := t.TempDir()
	left := filepath.Join(dir, TempPrefix+"99")
	os.Mkdir(left, 0o700)
	os.WriteFile(filepath.Join(left, "x.o"), []byte("half"), 0o644)
	stale := filepath.Join(dir, TempPrefix+"w-123")
	os.WriteFile(stale, []byte("half"), 0o644)
	young := filepath.Join(dir, TempPrefix+"98")
	os.Mkdir(young, 0o700)
	other := filepath.Join(dir, TempPrefix+"notmine")
	os.WriteFile(other, []byte("a file of another name"), 0o644)
	old := time.Now().Add(-time.Minute)
	for _, p := range []string{left, stale, other} {
		os.Chtimes(p, old, old)
	}

	live, err := Begin([]string{filepath.Join(dir, "live.o")})
	if err != nil {
		t.Fatal(err)
	}
	liveDir := filepath.Dir(live.Outs()[0].Temp)
	os.Chtimes(liveDir, old, old)

	txn, err := Begin([]string{filepath.Join(dir, "x.o")})
	if err != nil {
		t.Fatal(err)
	}
	defer txn.Abort()
	for p, want := range map[string]bool{left: false, stale: false, young: true, other: true, liveDir: true} {
		if _, err := os.Lstat(p); (err == nil) != want {
			t.Errorf("%s: exists %v, want %v", filepath.Base(p), err == nil, want)
		}
	}
	live.Abort()
}

// Commits of the same output from several transactions at once: every
// commit succeeds and the file always holds one whole version.
func TestTxnConcurrentCommits(t *testing.T) {
	dir := t.TempDir()
	out := filepath.Join(dir, "out.o")
	versions := [][]byte{bytes.Repeat([]byte("a"), 3*chunk), bytes.Repeat([]byte("b"), 3*chunk), bytes.Repeat([]byte("a"), 3*chunk)}
	var wg sync.WaitGroup
	errs := make(chan error, 64)
	for g := 0; g < 8; g++ {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for i := 0; i < 20; i++ {
				txn, err := Begin([]string{out})
				if err != nil {
					errs <- err
					return
				}
				data := versions[(g+i)%len(versions)]
				if err := os.WriteFile(txn.Temp(out), data, 0o644); err != nil {
					errs <- err
				}
				if err := txn.Commit(true); err != nil {
					errs <- err
				}
				if got, err := os.ReadFile(out); err != nil || !(bytes.Equal(got, versions[0]) || bytes.Equal(got, versions[1])) {
					errs <- fmt.Errorf("output torn: %d bytes, %v", len(got), err)
				}
			}
		}()
	}
	wg.Wait()
	close(errs)
	for err := range errs {
		t.Error(err)
	}
	utNoTemps(t, dir)
}

func TestUnname(t *testing.T) {
	dir := t.TempDir()
	out := filepath.Join(dir, "x.o")
	txn, err := Begin([]string{out, "/dev/null"})
	if err != nil {
		t.Fatal(err)
	}
	defer txn.Abort()
	tmp := txn.Temp(out)
	priv := filepath.Base(filepath.Dir(tmp))
	msg := "as: cannot write " + tmp + "\nld: ./" + priv + "/x.o: bad\n"
	got := string(txn.Unname([]byte(msg)))
	want := "as: cannot write " + out + "\nld: ./x.o: bad\n"
	if got != want {
		t.Fatalf("Unname:\n%q\nwant\n%q", got, want)
	}
	if s := "nothing to map"; string(txn.Unname([]byte(s))) != s {
		t.Fatal("Unname changed a message without temporaries")
	}
}

func TestIsTemp(t *testing.T) {
	for p, want := range map[string]bool{
		"a/.stable-123/x.o": true, ".stable-1/x": true, "/t/.stable-w-9": true,
		"a/x.o": false, "a/stable-1/x": false, "a/x.stable-1": false,
	} {
		if isTemp(p) != want {
			t.Errorf("IsTemp(%q) = %v", p, !want)
		}
	}
}

func TestNotNewer(t *testing.T) {
	dir := t.TempDir()
	a, b := filepath.Join(dir, "a.d"), filepath.Join(dir, "a.o")
	os.WriteFile(a, nil, 0o644)
	os.WriteFile(b, nil, 0o644)
	ta := time.Date(2024, 5, 6, 7, 8, 9, 999, time.UTC)
	tb := time.Date(2024, 5, 6, 7, 8, 9, 123, time.UTC)
	os.Chtimes(a, ta, ta)
	os.Chtimes(b, tb, tb)
	if err := notNewer(a, b); err != nil {
		t.Fatal(err)
	}
	if sa, sb := utStatOf(t, a), utStatOf(t, b); sa.mtime != sb.mtime {
		t.Fatalf("a %d, b %d: a must not be newer", sa.mtime, sb.mtime)
	}
	older := tb.Add(-time.Hour)
	os.Chtimes(a, older, older)
	notNewer(a, b)
	if utStatOf(t, a).mtime != older.UnixNano() {
		t.Fatal("an older file was moved")
	}
	if notNewer(filepath.Join(dir, "none"), b) == nil {
		t.Fatal("a missing file is no error")
	}
}
