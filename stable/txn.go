package stable

import (
	"errors"
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
	opts  TxnOptions
}

// TxnOptions says how a tool treats its outputs.
type TxnOptions struct {
	// Trees lists outputs that are whole directory trees (cp -r): their
	// files are compared and committed one by one.
	Trees []string
	// InPlace: the tool writes into an existing output (cp, objcopy's
	// in-place form, ranlib), so other hard links of it see the new
	// content. A changed output is then written into the existing file
	// when replacing it would show: it has other links, or (KeepOwner) an
	// owner the new file could not have.
	InPlace bool
	// KeepMode: an existing output keeps its mode (cp without -p), so a
	// temporary takes the mode of the file it stands for.
	KeepMode bool
	// KeepOwner: an existing output keeps its owner (cp without
	// --preserve=ownership), so only its content and mode are compared.
	KeepOwner bool
	// Direct lists outputs the tool writes at their real path: a recipe
	// removed the old file (there is none to protect), or redirecting would
	// change what the tool writes or reads (a name derived from the output
	// path). An existing one is moved aside for the run and put back, old
	// inode and mtime, when the tool writes the same bytes again.
	Direct []string
	// ReplaceLinks: the tool replaces a symlink at an output path by a
	// file (compilers, install) instead of writing where it points.
	ReplaceLinks bool
	// Seed lists outputs the tool reads before it rewrites them (ranlib,
	// ar s): each temporary starts as a copy of the existing file.
	Seed []string
	// KeepTimes: the tool gives each output its source's mtime (cp -p):
	// an output kept for its content still takes the mtime the tool set.
	KeepTimes bool
	// Stdout names the output that is the tool's stdout: the shell's >
	// writes into an existing file, so it is InPlace, KeepMode and KeepOwner alone.
	Stdout string
	// WriteThrough lists outputs written through a symlink and in place
	// whatever ReplaceLinks says (Action.WriteThrough).
	WriteThrough []string
	// KeepsSame: the tool itself leaves an existing output with the same
	// content alone (install -C), other hard links or not.
	KeepsSame bool
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
	Aside  string // a Direct output's old file, moved aside for the run
	// Copied: Aside is a copy, and the old file stays for the tool to
	// truncate and rewrite (a depfile written through); oldTime is its
	// mtime, given back when the bytes come out the same.
	Copied  bool
	oldTime time.Time

	inPlace, keepMode, keepOwner bool // TxnOptions.InPlace, KeepMode, KeepOwner, for this output
	through                      bool // written through a symlink (TxnOptions.WriteThrough)
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

// live tracks temporary directories so that a signal can remove them, and
// the outputs moved aside so that it can put them back.
var live = struct {
	sync.Mutex
	dirs   map[string]bool
	locks  map[string]*os.File // the flock that marks a temporary as owned
	asides map[string]string   // aside -> the output it stands for
}{dirs: map[string]bool{}, locks: map[string]*os.File{}, asides: map[string]string{}}

// Begin prepares a temporary for every output. An output that is not a
// regular file path (/dev/null, "-", a FIFO) gets no temporary: the tool
// writes it directly. An error means a temporary directory could not be
// made (unwritable or missing directory); the caller should then run the
// tool unmodified, which reports the problem in its own words.
func Begin(names []string) (*Txn, error) { return BeginWith(names, TxnOptions{}) }

// BeginWith is Begin for tools with trees, in-place or direct outputs.
func BeginWith(names []string, opts TxnOptions) (*Txn, error) {
	t := &Txn{dirs: map[string]string{}, opts: opts}
	for _, name := range names {
		through := name == opts.Stdout || slices.Contains(opts.WriteThrough, name)
		o := &Out{Name: name, Tree: slices.Contains(opts.Trees, name),
			inPlace: opts.InPlace || through, keepMode: opts.KeepMode || through,
			keepOwner: opts.KeepOwner || through, through: through}
		t.outs = append(t.outs, o)
		if err := t.prepare(o); err != nil {
			t.Abort()
			return nil, err
		}
	}
	if t.Start == 0 {
		// No temporary directory to read the filesystem's clock from:
		// the wall clock, less a coarse tick, errs on the safe side.
		t.Start = time.Now().Add(-coarseTick).UnixNano()
	}
	return t, nil
}

// prepare gives one output its temporary, or moves its old file aside.
func (t *Txn) prepare(o *Out) error {
	target, regular := o.Name, true
	if t.opts.ReplaceLinks && !o.through {
		regular = notLinkedOrRegular(o.Name)
	} else {
		target, regular = resolveOutput(o.Name)
	}
	if o.Tree {
		if regular, err := treeTarget(target); !regular {
			return err
		}
	} else if !regular {
		o.Result = Passed
		return nil
	}
	o.Target = target
	if slices.Contains(t.opts.Direct, o.Name) {
		o.Temp, o.Direct = target, true
		if o.through {
			return t.copyAside(o)
		}
		return t.moveAside(o)
	}
	dir, err := t.tempDir(filepath.Dir(target))
	if err != nil {
		return err
	}
	o.Temp = filepath.Join(dir, filepath.Base(target))
	if slices.Contains(t.opts.Seed, o.Name) {
		return seed(target, o.Temp)
	}
	return nil
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

// notLinkedOrRegular says whether a tool that replaces what is at name can
// be given a temporary for it: nothing there, a regular file, or a symlink
// (which the rename replaces as the tool would).
func notLinkedOrRegular(name string) bool {
	if name == "" || name == "-" {
		return false
	}
	fi, err := os.Lstat(name)
	if err != nil {
		return errors.Is(err, fs.ErrNotExist)
	}
	return fi.Mode().IsRegular() || fi.Mode()&fs.ModeSymlink != 0
}

// Abort removes every temporary and puts back what was moved aside; the old
// outputs are as they were, but for those the tool rewrote in place.
func (t *Txn) Abort() {
	for _, o := range t.outs {
		switch {
		case o.Aside == "":
		case o.Copied:
			// The tool had the old file to itself: what it left there
			// stands, as it would without the wrapper.
			dropAside(o.Aside)
		default:
			putAside(o.Aside, o.Target)
		}
		o.Aside = ""
	}
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

// removeLive removes all temporaries of this process, after putting back
// what was moved aside; used on signals and at exit.
func removeLive() {
	live.Lock()
	defer live.Unlock()
	for aside, target := range live.asides {
		os.Rename(aside, target)
	}
	for d := range live.dirs {
		os.RemoveAll(d)
	}
}

// isTemp reports whether a path lies inside a stable temporary directory.
func isTemp(path string) bool {
	return strings.Contains(filepath.ToSlash(path), "/"+TempPrefix) || strings.HasPrefix(path, TempPrefix)
}
