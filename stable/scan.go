package stable

import "time"

// Scanner reads the content of an input while it is hashed (one read for
// both): a wrapper learns there what the file says about the tool's run
// (a source's includes, __DATE__, .incbin) and the tool's own view of it.
type Scanner interface {
	// Feed sees the content in order, in chunks that end on a line
	// boundary (but in lines longer than a chunk).
	Feed(chunk []byte)
	// Facts ends the scan.
	Facts() Facts
}

// Facts is what a scanner learnt from one file.
type Facts struct {
	// Code is a digest of the content as the tool sees it (a compiler:
	// comments blanked), zero when the tool sees every byte.
	Code Digest
	// Data is the wrapper's own summary of the file, opaque to stable.
	Data []byte
}

// ScanFile stats and hashes the file at path, showing its content to sc
// when not nil, and returns the state (with Code) and what sc learnt.
func ScanFile(path string, sc Scanner) (FileState, Facts, error) {
	var feed func([]byte)
	if sc != nil {
		feed = sc.Feed
	}
	d, st, err := scanFile(path, feed)
	if err != nil {
		return FileState{}, Facts{}, err
	}
	var f Facts
	if sc != nil {
		f = sc.Facts()
	}
	return FileState{Path: path, Size: st.Size, Mtime: time.Unix(st.Mtim.Sec, st.Mtim.Nsec).UnixNano(),
		Ctime: time.Unix(st.Ctim.Sec, st.Ctim.Nsec).UnixNano(), Ino: uint64(st.Ino), Dev: uint64(st.Dev),
		Mode: modeOf(st.Mode), Hash: d, Code: f.Code}, f, nil
}
