package stable

import (
	"crypto/sha256"
	"encoding/hex"
	"os"
	"path/filepath"
)

// Some recipes rewrite an output in place right after the tool wrote it:
// kbuild runs objtool on each object after the compiler. The object on disk
// is then never what the compiler wrote, so without help a rebuild
// compiles again, hands objtool a new file and relinks everything.
//
// `stable run --inplace -- CMD... FILE` runs such a step and leaves a post
// note for FILE: the content before the step, the state after it. A wrapper
// whose output carries a note (stablecc) then:
//   - accepts the post-processed file as its own output (a record hit);
//   - gives the step the content it expects (what the compiler wrote)
//     while keeping the old file aside as a hard link (KeepName);
// and the step's wrapper, finding the result identical to the file kept
// aside, puts the old file back: old inode, old mtime, nothing relinks.
// Every byte on disk is always what the recipe without wrappers writes; a
// step that stops running just leaves the compiler's output in place.

// postNote is what an in-place step did to a file the last time.
type postNote struct {
	Path   string    // absolute path of the file
	Key    string    // identity of the step (tool, command line, directory)
	In     Digest    // content before the step
	InData []byte    // that content, to hand the step again
	Out    FileState // the file after the step
	Stderr []byte    // what the step printed
	Stdout []byte
	// Newer is the newest mtime among the inputs of the tool run that
	// handed the file to the step (0: unknown): a file the step puts back
	// is older than that one settles (step.go).
	Newer int64
}

func postKey(abs string) string { return noteKey("post", abs) }

// noteKey is the store key of a note of one kind about the file at abs.
func noteKey(kind, abs string) string {
	sum := sha256.Sum256([]byte(kind + "\x00" + filepath.Clean(abs)))
	return hex.EncodeToString(sum[:])
}

// LoadPost returns the note for the file at abs, or nil.
func (s *Store) LoadPost(abs string) *postNote {
	b := s.loadBytes(postKey(abs))
	if b == nil {
		return nil
	}
	n, err := decodeNote(b)
	if err != nil || n.Path != filepath.Clean(abs) {
		return nil
	}
	return n
}

// SavePost stores the note for its file.
func (s *Store) SavePost(n *postNote) error {
	n.Path = filepath.Clean(n.Path)
	return s.saveBytes(postKey(n.Path), encodeNote(n))
}

// keepName is where the file an in-place step will rewrite is kept aside
// until the step's wrapper compares.
func keepName(path string) string {
	return filepath.Join(filepath.Dir(path), TempPrefix+"keep-"+filepath.Base(path))
}

// vouches tells whether the file at abs is the note's post-processed form
// of content in: the note starts from in, and the file is still what the
// step left (same stat, or same content).
func (n *postNote) vouches(abs string, in Digest) bool {
	if n == nil || n.In != in {
		return false
	}
	fi, err := os.Stat(abs)
	if err != nil {
		return false
	}
	if statOf(abs, fi).sameStat(n.Out) {
		return true
	}
	h, err := HashFile(abs)
	return err == nil && h == n.Out.Hash
}

// handOver prepares the file at abs for the in-place step: the current
// file is kept aside (hard link), and the content the step expects is put
// in its place.
func (n *postNote) handOver(abs string, mode os.FileMode) error {
	keep := keepName(abs)
	os.Remove(keep)
	if err := os.Link(abs, keep); err != nil {
		return err
	}
	return writeFileAtomic(abs, n.InData, mode)
}

// putBack renames the kept file over path when it is still exactly the
// state the step left last time.
func putBack(keep, path string, out *FileState) bool {
	return keptAsLeft(keep, out) && os.Rename(keep, path) == nil
}
