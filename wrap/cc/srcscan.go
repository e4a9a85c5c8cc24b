package cc

import (
	"bytes"
	"slices"
)

// Include is one literal include-like operand.
type Include struct {
	Name  string // as written between the quotes or angle brackets
	Angle bool   // <name> rather than "name"
	Next  bool   // #include_next / __has_include_next
}

// SourceFacts is what one file's text says about files its compile reads
// beyond the depfile, and about constructs that make a compile impossible
// to record. Lists keep the order of first appearance, without repeats.
// Names may be over-reported (a directive inside a comment counts): a
// guarded name the compile never reads is harmless. AsmUnresolved is never
// set by prose in a comment.
type SourceFacts struct {
	Includes []Include // #include, #include_next, #import with a literal operand, in order
	Computed bool      // an #include/#include_next whose operand is not a literal (a macro)
	// ComputedMacros are the macros those operands start with ("" where
	// the operand starts with none).
	ComputedMacros []string
	HasIncludes    []Include // __has_include(...) / __has_include_next(...) with a literal operand
	HasComputed    bool      // __has_include with a non-literal operand
	AsmFiles       []string  // operands of gas .incbin and .include directives, as written
	AsmUnresolved  string    // why an .incbin/.include operand cannot be read here; "" when all could
	TimeMacros     []string  // which of __DATE__, __TIME__, __TIMESTAMP__ appear
	Embed          bool      // #embed or __has_embed appears
	// DependencyPragma: #pragma GCC dependency. gcc compares the named
	// file's mtime with the source's and warns, so the compile's output
	// depends on mtimes, which a record does not keep.
	DependencyPragma bool
}

// SourceScanner reads one file in chunks and gathers its SourceFacts. It
// jumps with bytes.Index between rare markers instead of lexing every byte;
// the text is lexed (for comments and literals) only up to where a marker
// needs it.
type SourceScanner struct {
	asm    bool
	facts  SourceFacts
	carry  []byte           // the unfinished logical line at the end of the last chunk
	start  lexMode          // where the next piece starts: code, comment, or unknown
	seen   map[seenKey]bool // reported names, once there are many
	recent []seenKey        // reported names, while there are few
}

// maxLine bounds the carried line. A logical line longer than this is
// scanned in parts, and a marker across two parts could be missed, so such
// a file is reported unrecordable.
const maxLine = 1 << 20

// Chunks this long are likely followed by more (the caller reads 256 KiB at
// a time and cuts after the last newline), so they are lexed to their end,
// and the next starts in a known mode; so are those followed by an
// unfinished line. Smaller ones are likely the last, and lexed only up to
// where a marker needs it. Pieces shorter than lexSmall (lines joined
// across chunks) cost next to nothing to lex.
const (
	lexChunk = 192 << 10
	lexSmall = 512
)

// NewSourceScanner returns a scanner for one file; asm says the file is
// assembler (.s, .S, .sx) rather than C-family.
func NewSourceScanner(asm bool) *SourceScanner {
	return &SourceScanner{asm: asm, start: inCode}
}

// Feed scans the next chunk of the file. Chunks are scanned in pieces made
// of whole logical lines (splices included), so that directives, literals
// and markers are never cut; an unfinished line waits, copied, for the next
// chunk.
func (s *SourceScanner) Feed(chunk []byte) {
	whole := len(chunk) >= lexChunk
	if len(s.carry) > 0 {
		end := firstLineEnd(s.carry, chunk)
		if end < 0 {
			s.carry = append(s.carry, chunk...)
			s.boundCarry()
			return
		}
		s.carry = append(s.carry, chunk[:end]...)
		s.piece(s.carry, true)
		s.carry = s.carry[:0]
		chunk = chunk[end:]
	}
	cut := lastLineEnd(chunk)
	s.piece(chunk[:cut], whole || cut < len(chunk))
	s.carry = append(s.carry, chunk[cut:]...)
	s.boundCarry()
}

// Facts returns what the file says; the last line is scanned even without
// a final newline.
func (s *SourceScanner) Facts() SourceFacts {
	if len(s.carry) > 0 {
		s.piece(s.carry, false)
		s.carry = s.carry[:0]
	}
	return s.facts
}

// boundCarry scans an overlong unfinished line as it stands.
func (s *SourceScanner) boundCarry() {
	if len(s.carry) <= maxLine {
		return
	}
	s.piece(s.carry, false)
	s.carry = s.carry[:0]
	s.start = inUnknown
	s.unresolved("a line longer than 1 MiB")
}

// firstLineEnd returns the length of chunk's part that completes the
// logical line begun in carry, or -1 when the whole chunk continues it.
func firstLineEnd(carry, chunk []byte) int {
	for i := 0; ; i++ {
		j := bytes.IndexByte(chunk[i:], '\n')
		if j < 0 {
			return -1
		}
		i += j
		if !splicedAcross(carry, chunk, i) {
			return i + 1
		}
	}
}

// splicedAcross is spliced for the newline at chunk[i], whose backslash
// may end the carry.
func splicedAcross(carry, chunk []byte, i int) bool {
	if i >= 2 {
		return spliced(chunk, i)
	}
	tail := slices.Concat(carry[max(0, len(carry)-2):], chunk[:i+1])
	return spliced(tail, len(tail)-1)
}

// lastLineEnd returns the length of b's longest prefix made of whole
// logical lines.
func lastLineEnd(b []byte) int {
	j := len(b)
	for {
		j = bytes.LastIndexByte(b[:j], '\n')
		if j < 0 {
			return 0
		}
		if !spliced(b, j) {
			return j + 1
		}
	}
}

// piece scans whole logical lines. whole asks for the piece to be lexed to
// its end, so that the next one starts in a known mode.
func (s *SourceScanner) piece(b []byte, whole bool) {
	if len(b) == 0 {
		return
	}
	p := &pieceScan{s: s, b: b, whole: whole || len(b) < lexSmall}
	p.directives()
	p.underscoreMarkers()
	p.asmMarkers()
	p.resolve()
}

// pieceScan is the scan of one piece. Markers whose meaning depends on
// whether they stand in a comment or a literal are queued and resolved in
// the order of their positions, so the lexer only moves forward.
type pieceScan struct {
	s       *SourceScanner
	b       []byte
	queries []query
	lx, alt *lexer // alt: lexed from a comment start, when the start is unknown
	whole   bool
}

type query struct {
	pos int
	fn  func(m lexMode, lit int)
}

func (p *pieceScan) ask(pos int, fn func(m lexMode, lit int)) {
	p.queries = append(p.queries, query{pos, fn})
}

// resolve answers the queries, then notes where the next piece starts. A
// piece nothing asked about is left unlexed unless it is to be whole: the
// next one starts unknown, and where lexing from either start leaves a
// doubt, a marker is read as code, the side that sets AsmUnresolved and
// Computed.
func (p *pieceScan) resolve() {
	if len(p.queries) == 0 && !p.whole {
		p.s.start = inUnknown
		return
	}
	slices.SortStableFunc(p.queries, func(a, b query) int { return a.pos - b.pos })
	start := p.s.start
	if start == inUnknown {
		p.lx, p.alt = newLexer(p.b, p.s.asm, inCode), newLexer(p.b, p.s.asm, inBlock)
	} else {
		p.lx = newLexer(p.b, p.s.asm, start)
	}
	for _, q := range p.queries {
		q.fn(p.mode(q.pos))
	}
	p.s.start, _ = p.mode(len(p.b))
}

// mode returns the lexer's mode at pos and, in a string, where the literal
// starts. Lexed from both possible starts, the answer is certain only
// where both agree.
func (p *pieceScan) mode(pos int) (lexMode, int) {
	m := p.lx.at(pos)
	if p.alt != nil && (p.alt.at(pos) != m || m == inString && p.alt.literal() != p.lx.literal()) {
		return inUnknown, 0
	}
	return m, p.lx.literal()
}

// seenKey is one reported name of one list.
type seenKey struct {
	list byte // 'i' Includes, 'h' HasIncludes, 'a' AsmFiles, 't' TimeMacros
	inc  Include
}

// add reports whether the name is new to its list. Lists are short (a
// header includes a dozen others), so they are searched in place until
// they grow long enough for a map to pay.
func (s *SourceScanner) add(list byte, inc Include) bool {
	k := seenKey{list, inc}
	if s.seen == nil {
		for _, x := range s.recent {
			if x == k {
				return false
			}
		}
		if len(s.recent) < 32 {
			s.recent = append(s.recent, k)
			return true
		}
		s.seen = map[seenKey]bool{}
		for _, x := range s.recent {
			s.seen[x] = true
		}
	}
	if s.seen[k] {
		return false
	}
	s.seen[k] = true
	return true
}

func (s *SourceScanner) unresolved(why string) {
	if s.facts.AsmUnresolved == "" {
		s.facts.AsmUnresolved = why
	}
}
