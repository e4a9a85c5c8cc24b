package ar

import (
	"bytes"
	"crypto/sha256"
	"errors"
	"io"
	"os"
	"path/filepath"
	"strconv"
	"strings"

	"stable/stable"
)

// A thin archive (ar T) holds its members' names and symbols, not their
// content: rebuilt after a member changed, it can come out byte for byte
// the same, while what links against it must see the new member. Its
// identity for reviving is therefore its bytes plus the content of every
// file it refers to (nested thin archives are flattened by ar, so that is
// every leaf object).

const thinMagic = "!<thin>\n"

// thinIdentity is the digest that decides whether a thin archive came out
// as last time: its bytes and every member's content. thin is false for
// any other archive, whose content hash (the commit's) is its identity.
func thinIdentity(archive string) (d stable.Digest, thin bool, err error) {
	f, err := os.Open(archive)
	if err != nil {
		return d, false, nil // the commit reports it
	}
	defer f.Close()
	magic := make([]byte, len(thinMagic))
	if _, err := io.ReadFull(f, magic); err != nil || string(magic) != thinMagic {
		return d, false, nil
	}
	rest, err := io.ReadAll(f) // names and symbols only: small
	if err != nil {
		return d, true, err
	}
	b := append(magic, rest...)
	members, err := thinMembers(b)
	if err != nil {
		return d, true, err
	}
	h := sha256.New()
	h.Write(b)
	dir := realDir(archive)
	for _, m := range members {
		if !filepath.IsAbs(m) {
			m = filepath.Join(dir, m)
		}
		md, err := stable.HashFile(m)
		if err != nil {
			return d, true, err
		}
		h.Write([]byte(m + "\x00"))
		h.Write(md[:])
	}
	copy(d[:], h.Sum(nil))
	return d, true, nil
}

var errFormat = errors.New("not a thin archive ar understands")

// thinMembers lists the member paths of a thin archive, as stored
// (relative to the archive's directory unless absolute).
func thinMembers(b []byte) ([]string, error) {
	var names []byte
	var members []string
	off := len(thinMagic)
	for off < len(b) {
		if off+60 > len(b) || string(b[off+58:off+60]) != "`\n" {
			return nil, errFormat
		}
		hdr := b[off : off+60]
		off += 60
		name := strings.TrimRight(string(hdr[:16]), " ")
		size, err := strconv.Atoi(strings.TrimRight(string(hdr[48:58]), " "))
		if err != nil || size < 0 {
			return nil, errFormat
		}
		switch {
		case name == "/" || name == "/SYM64/" || name == "//":
			// Symbol table and long names carry their data.
			if size > len(b)-off {
				return nil, errFormat
			}
			if name == "//" {
				names = b[off : off+size]
			}
			off += size + size%2
		case strings.HasPrefix(name, "/"):
			m, err := longName(names, name[1:])
			if err != nil {
				return nil, err
			}
			members = append(members, m)
		default:
			members = append(members, strings.TrimSuffix(name, "/"))
		}
	}
	return members, nil
}

// longName reads the long names table at the decimal offset at starts
// with (GNU ar may end the field with a further "/").
func longName(names []byte, at string) (string, error) {
	if i := strings.IndexFunc(at, func(r rune) bool { return r < '0' || r > '9' }); i >= 0 {
		at = at[:i]
	}
	n, err := strconv.Atoi(at)
	if err != nil || n < 0 || n >= len(names) {
		return "", errFormat
	}
	end := bytes.Index(names[n:], []byte("/\n"))
	if end <= 0 {
		return "", errFormat
	}
	return string(names[n : n+end]), nil
}

// ThinMembers lists the files a thin archive refers to, as paths from the
// working directory (its members are stored relative to the archive's
// directory): a link through the archive reads those files, and a linker's
// dependency file names only the archive. thin is false for any other
// archive.
func ThinMembers(archive string) (members []string, thin bool, err error) {
	f, err := os.Open(archive)
	if err != nil {
		return nil, false, err
	}
	defer f.Close()
	magic := make([]byte, len(thinMagic))
	if _, err := io.ReadFull(f, magic); err != nil || string(magic) != thinMagic {
		return nil, false, nil
	}
	rest, err := io.ReadAll(f)
	if err != nil {
		return nil, true, err
	}
	names, err := thinMembers(append(magic, rest...))
	if err != nil {
		return nil, true, err
	}
	dir := realDir(archive)
	for _, m := range names {
		if !filepath.IsAbs(m) {
			m = filepath.Join(dir, m)
		}
		members = append(members, m)
	}
	return members, true, nil
}

// realDir is the directory of a thin archive as the kernel resolves it:
// through symlinks, so that a member named "../m.o" is found where ar and
// the linker find it (lib -> real/lib: real/m.o, not ./m.o).
func realDir(archive string) string {
	dir := filepath.Dir(archive)
	if real, err := filepath.EvalSymlinks(dir); err == nil {
		return real
	}
	return dir
}
