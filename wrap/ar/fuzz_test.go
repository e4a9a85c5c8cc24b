package ar

import (
	"bytes"
	"slices"
	"strconv"
	"strings"
	"testing"
)

// FuzzParse: any ar command line either is the creating form, whose
// archive is its third argument and whose key has one of r or q, or runs
// ar unmodified; one that may write forgets the notes of what it may write.
func FuzzParse(f *testing.F) {
	for _, s := range []string{
		"ar cDPrST built-in.a a.o b.o",
		"ar rcs lib.a a.o",
		"ar -rcs lib.a a.o",
		"ar mPiT init/main.o vmlinux.a head.o",
		"ar t vmlinux.a",
		"ar --thin rcs x.a y.o",
		"ar rcsN 2 x.a y.o",
		"ar qc x.a @list",
	} {
		f.Add(strings.ReplaceAll(s, " ", "\x00"))
	}
	f.Fuzz(func(t *testing.T, s string) {
		argv := strings.Split(s, "\x00")
		p := Parse(argv)
		if p.Passthrough != "" {
			if p.Create {
				t.Fatalf("%q: both passthrough and create", argv)
			}
			if len(argv) > 2 && p.Archive != "" && !strings.ContainsAny(strings.TrimPrefix(argv[1], "-"), "tpx") && !slices.Contains(p.Forget, p.Archive) {
				t.Fatalf("%q: may write %s but keeps its note", argv, p.Archive)
			}
			return
		}
		if !p.Create || p.Archive != argv[2] || p.Archive == "" || strings.HasPrefix(p.Archive, "-") {
			t.Fatalf("%q: archive %q", argv, p.Archive)
		}
		if !strings.ContainsAny(argv[1], "rq") || !slices.Equal(p.Members, argv[3:]) {
			t.Fatalf("%q: not a creating form", argv)
		}
	})
}

// FuzzThinMembers: the thin archive reader never panics, and reads back
// the names a well-formed archive holds.
func FuzzThinMembers(f *testing.F) {
	f.Add(thinArchive("a.o", "sub/b.o", "a_rather_long_name_of_an_object.o"))
	f.Add([]byte(thinMagic))
	f.Add([]byte(thinMagic + "//                                              4         `\n"))
	f.Fuzz(func(t *testing.T, b []byte) {
		thinMembers(b)
	})
}

func TestThinMembers(t *testing.T) {
	want := []string{"a.o", "sub/b.o", "a_rather_long_name_of_an_object.o"}
	got, err := thinMembers(thinArchive(want...))
	if err != nil || !slices.Equal(got, want) {
		t.Fatalf("got %q, %v", got, err)
	}
	// GNU ar may close a member's name field with a further '/'.
	b := bytes.Replace(thinArchive("x.o"), []byte("/0              0"), []byte("/0             /0"), 1)
	if got, err := thinMembers(b); err != nil || !slices.Equal(got, []string{"x.o"}) {
		t.Fatalf("got %q, %v", got, err)
	}
	if _, err := thinMembers([]byte(thinMagic + "garbage")); err == nil {
		t.Fatal("garbage read as an archive")
	}
}

// thinArchive writes a GNU thin archive naming members, as ar cDPrST does.
func thinArchive(members ...string) []byte {
	var names bytes.Buffer
	var offs []int
	for _, m := range members {
		offs = append(offs, names.Len())
		names.WriteString(m + "/\n")
	}
	if names.Len()%2 == 1 {
		names.WriteByte('\n')
	}
	var b bytes.Buffer
	b.WriteString(thinMagic)
	b.WriteString(header("//", names.Len()))
	b.Write(names.Bytes())
	for _, o := range offs {
		b.WriteString(header("/"+strconv.Itoa(o), 1000))
	}
	return b.Bytes()
}

func header(name string, size int) string {
	pad := func(s string, n int) string { return s + strings.Repeat(" ", n-len(s)) }
	return pad(name, 16) + pad("0", 12) + pad("0", 6) + pad("0", 6) + pad("644", 8) + pad(strconv.Itoa(size), 10) + "`\n"
}
