package stable

import (
	"bytes"
	"errors"
	"fmt"
	"hash"
	"io/fs"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"sync"
	"time"
)

// TempPrefix starts the name of every private temporary directory. Nothing a
// build names as an output starts with it, so leftovers of a killed wrapper
// can never be mistaken for outputs.
const TempPrefix = ".stable-"

// Txn holds the temporaries of one tool invocation.
type Txn struct {
	// Start is the filesystem's own clock when the transaction began: the
	// ctime of its first temporary directory. An input whose ctime is not
	// older than this may have changed while the tool ran.
	Start int64
	outs  []*Out
	dirs  map[string]string // real directory -> private temporary directory
	keep  bool              // TxnOptions.KeepModes
}

// TxnOptions says how a tool treats its outputs.
type TxnOptions struct {
	// Trees lists outputs that are whole directory trees (cp -r): their
	// files are compared and committed one by one.
	Trees []string
	// KeepModes: the tool writes into an existing output in place, which
	// keeps that file's mode (cp without -p, objcopy's in-place form), so a
	// temporary takes the mode of the file it stands for.
	KeepModes bool
	// Direct lists outputs that do not exist: the tool writes them itself
	// (Action.Revive), since there is no old file to keep.
	Direct []string
}

// Out is one output of a transaction.
type Out struct {
	Name   string // as the caller named it (in argv, in records)
	Target string // the file the tool would really write (symlinks resolved)
	Temp   string // where the tool writes instead; "" means passthrough
	Result Result
	Hash   Digest // content the tool wrote, when Commit hashed
	Tree   bool   // a directory tree, merged file by file
	Direct bool   // written by the tool itself: Temp is Target
}

// Result says what Commit did with an output.
type Result int

const (
	Pending  Result = iota
	Kept            // identical: the existing file was left alone
	Replaced        // the existing file differed and was replaced
	Created         // there was no file before
	Missing         // the tool wrote nothing there; the old file stays
	Passed          // not a regular file (/dev/null, -, a pipe): the tool wrote it directly
	Revived         // missing before, came back as last committed, mtime given back (revive.go)
)

var resultNames = [...]string{"pending", "kept", "replaced", "created", "missing", "passed", "revived"}

func (r Result) String() string { return resultNames[r] }

// live tracks temporary directories so that a signal can remove them.
var live = struct {
	sync.Mutex
	dirs  map[string]bool
	locks map[string]*os.File // the flock that marks a temporary as owned
}{dirs: map[string]bool{}, locks: map[string]*os.File{}}

// Begin prepares a temporary for every output. An output that is not a
// regular file path (/dev/null, "-", a FIFO) gets no temporary: the tool
// writes it directly. An error means a temporary directory could not be
// made (unwritable or missing directory); the caller should then run the
// tool unmodified, which reports the problem in its own words.
func Begin(names []string) (*Txn, error) { return BeginWith(names, TxnOptions{}) }

// BeginWith is Begin for tools with trees or in-place outputs.
func BeginWith(names []string, opts TxnOptions) (*Txn, error) {
	t := &Txn{dirs: map[string]string{}, keep: opts.KeepModes}
	for _, name := range names {
		o := &Out{Name: name, Tree: slices.Contains(opts.Trees, name)}
		t.outs = append(t.outs, o)
		target, regular := resolveOutput(name)
		if o.Tree {
			if regular, err := treeTarget(target); !regular {
				t.Abort()
				return nil, err
			}
		} else if !regular {
			o.Result = Passed
			continue
		}
		o.Target = target
		if slices.Contains(opts.Direct, name) {
			o.Temp, o.Direct = target, true
			continue
		}
		dir, err := t.tempDir(filepath.Dir(target))
		if err != nil {
			t.Abort()
			return nil, err
		}
		o.Temp = filepath.Join(dir, filepath.Base(target))
	}
	if t.Start == 0 {
		// No temporary directory to read the filesystem's clock from:
		// the wall clock, less a coarse tick, errs on the safe side.
		t.Start = time.Now().Add(-coarseTick).UnixNano()
	}
	return t, nil
}

// coarseTick bounds how far the filesystem's timestamps lag the wall clock.
const coarseTick = 20 * time.Millisecond

// Outs lists the outputs in the order given to Begin.
func (t *Txn) Outs() []*Out { return t.outs }

// Temp returns the temporary path for an output name, or the name itself
// when it has none.
func (t *Txn) Temp(name string) string {
	for _, o := range t.outs {
		if o.Name == name && o.Temp != "" {
			return o.Temp
		}
	}
	return name
}

func (t *Txn) tempDir(dir string) (string, error) {
	if d, ok := t.dirs[dir]; ok {
		return d, nil
	}
	// MkdirTemp creates a fresh directory with mode 0700 and never follows
	// a symlink planted at its name, so the paths inside cannot be hijacked.
	d, err := makeTemp(dir)
	if err != nil {
		return "", err
	}
	t.dirs[dir] = d
	if t.Start == 0 {
		if fi, err := os.Stat(d); err == nil {
			t.Start = statOf(d, fi).Ctime
		}
	}
	return d, nil
}

// resolveOutput follows symlinks at the output path the way a tool that
// opens it for writing would, and says whether it names a regular file (or
// nothing yet).
func resolveOutput(name string) (string, bool) {
	if name == "" || name == "-" {
		return name, false
	}
	p := name
	for i := 0; i < 40; i++ {
		fi, err := os.Lstat(p)
		if err != nil {
			return p, errors.Is(err, fs.ErrNotExist)
		}
		if fi.Mode()&fs.ModeSymlink == 0 {
			return p, fi.Mode().IsRegular()
		}
		link, err := os.Readlink(p)
		if err != nil {
			return p, false
		}
		if !filepath.IsAbs(link) {
			link = filepath.Join(filepath.Dir(p), link)
		}
		p = link
	}
	return p, false
}

// Abort removes every temporary; the old outputs are untouched.
func (t *Txn) Abort() {
	for _, d := range t.dirs {
		removeTemp(d)
	}
	t.dirs = map[string]string{}
}

func removeTemp(d string) {
	os.RemoveAll(d)
	live.Lock()
	delete(live.dirs, d)
	if f := live.locks[d]; f != nil {
		f.Close()
		delete(live.locks, d)
	}
	live.Unlock()
}

// removeLive removes all temporaries of this process; used on signals.
func removeLive() {
	live.Lock()
	defer live.Unlock()
	for d := range live.dirs {
		os.RemoveAll(d)
	}
}

// Commit moves each temporary into place unless the existing file already
// has the same content and mode. With hashing on, each output's Hash is the
// content the tool wrote, computed during the comparison where possible. It
// returns the first error after trying every output; the temporaries are
// always removed.
func (t *Txn) Commit(hashing bool) error {
	defer t.Abort()
	var first error
	for _, o := range t.outs {
		if o.Result != Pending {
			continue
		}
		commit := o.commit
		if o.Tree {
			commit = o.mergeTree
		} else if o.Direct {
			commit = o.written
		}
		if err := commit(hashing, t.keep); err != nil && first == nil {
			first = err
		}
	}
	return first
}

func (o *Out) commit(hashing, keepMode bool) error {
	tfi, err := os.Lstat(o.Temp)
	if err != nil {
		o.Result = Missing
		return nil
	}
	ofi, err := os.Lstat(o.Target)
	exists := err == nil
	if err != nil && !errors.Is(err, fs.ErrNotExist) {
		return fmt.Errorf("cannot stat %s: %w", o.Name, unwrapPath(err))
	}
	if exists && keepMode {
		if tfi, err = takeMode(o.Temp, tfi, ofi); err != nil {
			return err
		}
	}
	var h hash.Hash
	if hashing && tfi.Mode().IsRegular() {
		h = newHash()
	}
	if exists && comparable(tfi, ofi) {
		if eq, err := sameContent(o.Temp, o.Target, h); err == nil && eq {
			o.Result = Kept
			if h != nil {
				o.Hash = digestOf(h)
			}
			return nil
		}
	}
	if h != nil {
		if o.Hash, err = HashFile(o.Temp); err != nil {
			return fmt.Errorf("cannot read %s: %w", o.Temp, unwrapPath(err))
		}
	}
	if err := os.Rename(o.Temp, o.Target); err != nil {
		return fmt.Errorf("cannot replace %s: %w", o.Name, unwrapPath(err))
	}
	o.Result = Replaced
	if !exists {
		o.Result = Created
	}
	return nil
}

// written accounts for an output the tool wrote directly: there was no file
// before, so it is created, or missing when the tool wrote nothing.
func (o *Out) written(hashing, _ bool) error {
	fi, err := os.Lstat(o.Target)
	switch {
	case err != nil:
		o.Result = Missing
		return nil
	case !fi.Mode().IsRegular():
		o.Result = Passed
		return nil
	}
	o.Result = Created
	if hashing {
		if o.Hash, err = HashFile(o.Target); err != nil {
			return fmt.Errorf("cannot read %s: %w", o.Name, unwrapPath(err))
		}
	}
	return nil
}

// takeMode gives the temporary the mode of the file it stands for, as a
// tool writing that file in place would leave it.
func takeMode(temp string, tfi, ofi fs.FileInfo) (fs.FileInfo, error) {
	const bits = fs.ModePerm | fs.ModeSetuid | fs.ModeSetgid | fs.ModeSticky
	if !tfi.Mode().IsRegular() || !ofi.Mode().IsRegular() || tfi.Mode()&bits == ofi.Mode()&bits {
		return tfi, nil
	}
	if err := os.Chmod(temp, ofi.Mode()&bits); err != nil {
		return nil, fmt.Errorf("cannot set the mode of %s: %w", temp, unwrapPath(err))
	}
	return os.Lstat(temp)
}

// comparable says whether a content comparison can decide: both regular
// files of the same mode and size.
func comparable(tfi, ofi fs.FileInfo) bool {
	return tfi.Mode().IsRegular() && tfi.Mode() == ofi.Mode() && tfi.Size() == ofi.Size()
}

func unwrapPath(err error) error {
	var le *os.LinkError
	if errors.As(err, &le) {
		return le.Err
	}
	var pe *fs.PathError
	if errors.As(err, &pe) {
		return pe.Err
	}
	return err
}

// IsTemp reports whether a path lies inside a stable temporary directory.
func IsTemp(path string) bool {
	return strings.Contains(filepath.ToSlash(path), "/"+TempPrefix) || strings.HasPrefix(path, TempPrefix)
}

// Unname turns the temporary paths in a tool's message back into the
// output names the caller gave, so an error reads as it would without the
// wrapper: first each temporary as passed, then the private directory in
// any other spelling of a path.
func (t *Txn) Unname(msg []byte) []byte {
	if !bytes.Contains(msg, []byte(TempPrefix)) {
		return msg
	}
	for _, o := range t.outs {
		if o.Temp != "" {
			msg = bytes.ReplaceAll(msg, []byte(o.Temp), []byte(o.Name))
		}
	}
	for _, d := range t.dirs {
		msg = bytes.ReplaceAll(msg, []byte(filepath.Base(d)+"/"), nil)
	}
	return msg
}
