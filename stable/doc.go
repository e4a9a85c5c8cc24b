// Package stable is the mechanism behind every stable wrapper.
//
// A wrapped tool writes each output into a private temporary directory
// beside the real file (same filesystem, so the final rename is atomic and
// nobody else can plant a symlink inside it). After the tool succeeds each
// temporary is compared with the existing output: identical content and
// mode leave the existing file alone (same inode, same mtime); anything else
// is renamed into place. When the tool fails, every temporary is removed and
// every old output stays as it was.
//
// Records remember, per action, the content of every input and what was
// committed for every output, so that a repeated action whose inputs did not
// really change can skip the tool entirely. This is what lets make settle
// after a header is touched without a real change: the kept object stays
// older than the header, make keeps asking, and the answer becomes cheap.
package stable
