package stable

import (
	"encoding/binary"
	"errors"
	"io/fs"
)

// Records, post notes and last-commit notes are stored in a small binary format of varints
// and length-prefixed strings. A hit decodes a record of a thousand file
// states on every compile: this reads one several times faster than JSON,
// and unlike encoding/gob it costs nothing at start-up (gob's init alone
// took 5 ms, half a wrapper's life). The magic tells a record from
// anything else that may sit at its path; a damaged one fails to decode.
var codecMagic = []byte("stbl\x04")

var errDamaged = errors.New("damaged record")

type enc struct {
	b    []byte
	prev string // the last path written: paths share its prefix (front coding)
}

func (e *enc) uint(v uint64) { e.b = binary.AppendUvarint(e.b, v) }
func (e *enc) int(v int64)   { e.b = binary.AppendVarint(e.b, v) }
func (e *enc) str(s string)  { e.uint(uint64(len(s))); e.b = append(e.b, s...) }

// blob keeps nil apart from empty: a replayable empty depfile is not "no data".
func (e *enc) blob(p []byte) {
	if p == nil {
		e.uint(0)
		return
	}
	e.uint(uint64(len(p)) + 1)
	e.b = append(e.b, p...)
}

func (e *enc) strs(ss []string) {
	e.uint(uint64(len(ss)))
	for _, s := range ss {
		e.str(s)
	}
}

func (e *enc) state(s *FileState) {
	e.path(s.Path)
	e.int(s.Size)
	e.int(s.Mtime)
	e.int(s.Ctime)
	e.uint(s.Ino)
	e.uint(s.Dev)
	e.uint(uint64(s.Mode))
	e.b = append(e.b, s.Hash[:]...)
	e.digest(s.Code)
}

// digest writes an optional digest: one byte says whether it is there.
func (e *enc) digest(d Digest) {
	if d.IsZero() {
		e.b = append(e.b, 0)
		return
	}
	e.b = append(e.b, 1)
	e.b = append(e.b, d[:]...)
}

type dec struct {
	b    []byte
	err  error
	prev string // the last path read (front coding)
}

func (d *dec) fail() { d.err, d.b = errDamaged, nil }

func (d *dec) uint() uint64 {
	v, n := binary.Uvarint(d.b)
	if n <= 0 {
		d.fail()
		return 0
	}
	d.b = d.b[n:]
	return v
}

func (d *dec) int() int64 {
	v, n := binary.Varint(d.b)
	if n <= 0 {
		d.fail()
		return 0
	}
	d.b = d.b[n:]
	return v
}

func (d *dec) take(n uint64) []byte {
	if n > uint64(len(d.b)) {
		d.fail()
		return nil
	}
	p := d.b[:n:n]
	d.b = d.b[n:]
	return p
}

func (d *dec) str() string { return string(d.take(d.uint())) }

func (d *dec) blob() []byte {
	n := d.uint()
	if n == 0 {
		return nil
	}
	return append([]byte{}, d.take(n-1)...)
}

// count reads a slice length, bounded by what is left (each element takes
// at least a byte), so a damaged length cannot ask for a huge allocation.
func (d *dec) count() int {
	n := d.uint()
	if n > uint64(len(d.b)) {
		d.fail()
		return 0
	}
	return int(n)
}

func (d *dec) strs() []string {
	n := d.count()
	if n == 0 {
		return nil
	}
	ss := make([]string, n)
	for i := range ss {
		ss[i] = d.str()
	}
	return ss
}

func (d *dec) state(s *FileState) {
	s.Path = d.path()
	s.Size = d.int()
	s.Mtime = d.int()
	s.Ctime = d.int()
	s.Ino = d.uint()
	s.Dev = d.uint()
	s.Mode = fs.FileMode(d.uint())
	copy(s.Hash[:], d.take(uint64(len(s.Hash))))
	s.Code = d.digest()
}

func (d *dec) digest() Digest {
	var g Digest
	switch flag := d.take(1); {
	case flag == nil:
	case flag[0] == 1:
		copy(g[:], d.take(uint64(len(g))))
	case flag[0] != 0:
		d.fail()
	}
	return g
}

// decoder reads what follows the magic; what lacks it is not one of ours
// (what says which kind was expected).
func decoder(b []byte, what string) (*dec, error) {
	if len(b) < len(codecMagic) || string(b[:len(codecMagic)]) != string(codecMagic) {
		return nil, errors.New(what)
	}
	return &dec{b: b[len(codecMagic):]}, nil
}

func encodeRecord(r *record) ([]byte, error) {
	e := &enc{b: append([]byte{}, codecMagic...)}
	e.int(int64(r.Version))
	e.str(r.Key)
	e.strs(r.Argv)
	e.str(r.Dir)
	e.int(r.Time)
	e.int(r.Elapsed)
	e.uint(uint64(len(r.Inputs)))
	for i := range r.Inputs {
		e.state(&r.Inputs[i])
	}
	e.uint(uint64(len(r.Outputs)))
	for i := range r.Outputs {
		e.state(&r.Outputs[i].FileState)
		e.blob(r.Outputs[i].Data)
		e.uint(boolBit(r.Outputs[i].Copy))
	}
	e.uint(uint64(len(r.Absent)))
	for i := range r.Absent {
		e.str(r.Absent[i].Dir)
		e.state(&r.Absent[i].State)
		e.strs(r.Absent[i].Names)
	}
	e.blob(r.Stdout)
	e.blob(r.Stderr)
	e.strs(r.Conds)
	e.strs(r.Consumes)
	e.uint(boolBit(r.Explained))
	return e.b, nil
}

func decodeRecord(b []byte) (*record, error) {
	d, err := decoder(b, "not a record")
	if err != nil {
		return nil, err
	}
	r := &record{}
	r.Version = int(d.int())
	r.Key = d.str()
	r.Argv = d.strs()
	r.Dir = d.str()
	r.Time = d.int()
	r.Elapsed = d.int()
	r.Inputs = make([]FileState, d.count())
	for i := range r.Inputs {
		d.state(&r.Inputs[i])
	}
	r.Outputs = make([]outState, d.count())
	for i := range r.Outputs {
		d.state(&r.Outputs[i].FileState)
		r.Outputs[i].Data = d.blob()
		r.Outputs[i].Copy = d.uint() == 1
	}
	r.Absent = make([]absentDir, d.count())
	for i := range r.Absent {
		r.Absent[i].Dir = d.str()
		d.state(&r.Absent[i].State)
		r.Absent[i].Names = d.strs()
	}
	r.Stdout = d.blob()
	r.Stderr = d.blob()
	r.Conds = d.strs()
	r.Consumes = d.strs()
	r.Explained = d.uint() == 1
	if d.err != nil || len(d.b) != 0 {
		return nil, errDamaged
	}
	return r, nil
}

func encodeNote(n *postNote) []byte {
	e := &enc{b: append([]byte{}, codecMagic...)}
	e.str(n.Path)
	e.str(n.Key)
	e.b = append(e.b, n.In[:]...)
	e.blob(n.InData)
	e.state(&n.Out)
	e.blob(n.Stderr)
	e.blob(n.Stdout)
	e.int(n.Newer)
	return e.b
}

func decodeNote(b []byte) (*postNote, error) {
	d, err := decoder(b, "not a note")
	if err != nil {
		return nil, err
	}
	n := &postNote{}
	n.Path = d.str()
	n.Key = d.str()
	copy(n.In[:], d.take(uint64(len(n.In))))
	n.InData = d.blob()
	d.state(&n.Out)
	n.Stderr = d.blob()
	n.Stdout = d.blob()
	n.Newer = d.int()
	if d.err != nil || len(d.b) != 0 {
		return nil, errDamaged
	}
	return n, nil
}

// encodeLast and decodeLast store a last-commit note (revive.go): the
// state of a file as stable last wrote it.
func encodeLast(n *lastNote) []byte {
	e := &enc{b: append([]byte{}, codecMagic...)}
	e.state(&n.FileState)
	e.uint(boolBit(n.Consumed))
	return e.b
}

func decodeLast(b []byte) (lastNote, error) {
	var n lastNote
	d, err := decoder(b, "not a last-commit note")
	if err != nil {
		return n, err
	}
	d.state(&n.FileState)
	n.Consumed = d.uint() == 1
	if d.err != nil || len(d.b) != 0 {
		return lastNote{}, errDamaged
	}
	return n, nil
}

func boolBit(b bool) uint64 {
	if b {
		return 1
	}
	return 0
}

// path writes a path as the length of the prefix it shares with the last
// one and the rest: the headers of a compile share long directory names,
// and records stay small without compression (which costs a hit more to
// undo than the bytes it saves to read).
func (e *enc) path(p string) {
	n := 0
	for n < len(p) && n < len(e.prev) && p[n] == e.prev[n] {
		n++
	}
	e.uint(uint64(n))
	e.str(p[n:])
	e.prev = p
}

func (d *dec) path() string {
	n := d.uint()
	rest := d.str()
	if n > uint64(len(d.prev)) {
		d.fail()
		return ""
	}
	p := d.prev[:n] + rest
	d.prev = p
	return p
}
