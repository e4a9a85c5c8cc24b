package stable

import "time"

// Action is what a wrapper declares about one tool invocation: the command,
// the files it reads and writes, and the hooks of the wrapper's knowledge of
// the tool. How this run is configured (records, settling, verifying) is
// the Runner's business, not the Action's.
type Action struct {
	Argv []string // the command as the caller wrote it, real output names in place
	Path string   // the tool's executable when the wrapper found it; "" looks up Argv[0]
	Dir  string   // working directory; "" is the current one

	Outputs []string // files the tool writes
	Inputs  []string // files the result depends on, as far as known before the run
	// Tools lists programs the tool runs besides Argv[0] (the compiler's
	// cc1 and as, the linker, the compiler behind a launcher): each one's
	// identity is part of the action's, as the tool's own is.
	Tools []string
	// Prepare, when set, runs before the identity is taken, with records
	// on: a wrapper learns there, from facts kept in the store (Memo), what
	// the identity needs (the programs a compiler driver runs) and whether
	// the tool can say what it read. An answer other than "" says why the
	// action must not be recorded.
	Prepare func(s *Store) string
	Env     []string // NAME=value pairs that belong to the identity
	Extra   []string // further identity from the wrapper

	// Redirect returns the command line with every output replaced by its
	// temporary. Nil replaces arguments equal to an output name.
	Redirect func(temp func(name string) string) []string
	// StdoutTo names the output that receives the tool's stdout.
	StdoutTo string
	// Finish runs after the tool succeeded and before the commit: a wrapper
	// fixes its temporaries there and says what it learnt about the run.
	Finish func(temp func(name string) string) (*Found, error)
	// TerminalArgs are added to the command line when stderr is a terminal,
	// so the tool prints as it would there (colours) while its stderr is
	// still captured for replay. They are not part of the identity.
	TerminalArgs []string
	// Replay lists small side outputs a record stores whole; a later hit
	// recreates them when they are missing (fixdep deletes depfiles).
	Replay []string
	// NotNewer lists pairs {a, b}: after the action a's mtime is at most b's.
	NotNewer [][2]string
	// Scanner, when set, gives a scanner for an input whose content
	// changed since its record: a record still holds when the scanner's
	// digest of the new content (Facts.Code) is the one recorded (a
	// comment added to a source leaves the compiler's view unchanged).
	Scanner func(path string) Scanner

	// Passthrough, when set, says why the tool must run unmodified (a
	// command line the wrapper does not fully understand).
	Passthrough string
	// NoRecord, when set, says why this action must never be answered by a
	// record: it reads something a record cannot describe. Its outputs
	// are still compared and kept.
	NoRecord string

	// How the tool treats its outputs (see TxnOptions).
	Trees        []string // directory trees (cp -r), committed file by file
	InPlace      bool     // the tool rewrites an existing output in place (cp, objcopy IN, ranlib)
	KeepMode     bool     // an existing output keeps its mode (cp without -p)
	KeepOwner    bool     // an existing output keeps its owner (cp without -p as root)
	Direct       []string // outputs the tool must write at their real path (see TxnOptions.Direct)
	Seed         []string // outputs whose temporary starts as a copy of the existing file (ranlib)
	ReplaceLinks bool     // a symlink at an output is replaced, not written through (compilers)
	// WriteThrough lists outputs the tool opens and truncates (a
	// compiler's depfile, gcc's .s): written through a symlink, into an
	// existing file, which keeps its inode and mode (ReplaceLinks, InPlace
	// KeepMode and KeepOwner as such a tool does, for those alone).
	WriteThrough []string
	KeepsSame    bool // the tool leaves an output with the same content alone (install -C)
	// KeepTimes: the tool gives its outputs the mtimes of its sources (cp
	// -p, install -p), so an unchanged output is never settled.
	KeepTimes bool

	// Revive lists outputs a recipe may remove before the tool runs
	// (rm -f $@; ar ...): they are written directly, and one that comes out
	// as stable last committed it may get that mtime back (see revive.go).
	Revive []string
	// KeepCopies: the caller removes the outputs before the tool runs
	// (libtool): the store keeps a copy of each, so a hit can write them
	// back (copies.go).
	KeepCopies bool
	// SettleInputs lists inputs stable wrote whose one consumer is this
	// action (an archive inside an archive): when a revived output comes
	// back unchanged, those get the current time too.
	SettleInputs []string

	// Step, for an in-place step (kbuild's objtool), names the file the
	// command rewrites in place (see step.go).
	Step string
	// RewriteTrees, for a command that rewrites whole directories in
	// place (an install script), names them (see tree.go).
	RewriteTrees []string
}

// Found is what a wrapper learnt from a run.
type Found struct {
	Inputs []string    // more inputs to hash (the headers in a depfile)
	States []FileState // more inputs the wrapper already hashed (ScanFile)
	// Absent lists paths that must stay absent for a record to hold: a
	// header created there would be found before one the tool used.
	Absent []string
	// NoRecord, when set, says why this run must not be skipped next time
	// (__DATE__ in a source, say).
	NoRecord string
	// Conds lists NAME=value pairs of the environment (NAME alone: unset)
	// that the outputs depend on in this run only (SOURCE_DATE_EPOCH where
	// a time macro is expanded): the record holds while they do.
	Conds []string
	// Identity, per Revive output, replaces its content hash when deciding
	// whether it came out as last time: a thin archive is also the content
	// of the members it names. The zero Digest means it cannot be told.
	Identity map[string]Digest
	// Consumes lists inputs stable wrote (archives) that this recorded
	// action reads: their notes learn that a record answers for their
	// consumer (see revive.go).
	Consumes []string
}

// Outcome is what the runner did.
type Outcome struct {
	Status      Status
	Hit         bool   // the tool was not run: a record matched
	Passthrough bool   // the tool ran unmodified
	Why         string // why the tool ran (no record, which input changed...)
	Results     map[string]Result
	Elapsed     time.Duration
	// Mismatches lists what verification found the wrapper had decided
	// wrongly (STABLE_VERIFY).
	Mismatches []string
	// told: a hit `stable explain` already tells of (record.Explained).
	told bool
}
