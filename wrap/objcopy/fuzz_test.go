package objcopy

import (
	"slices"
	"strings"
	"testing"
)

func temp(p string) string { return ".stable-x/" + p }

// FuzzParse: any objcopy command line passes through or names one output
// that the redirected command line writes by its temporary, and nothing
// else changes.
func FuzzParse(f *testing.F) {
	for _, s := range []string{
		"objcopy -O binary -j .text in.o out.bin",
		"objcopy --prefix-symbols=lkl_ vmlinux lkl.o",
		"objcopy --strip-debug a.o",
		"objcopy -Obinary -R.comment --add-section .x=f in out",
		"objcopy --set-section-flags .bss=alloc,load in -- out",
		"objcopy -v in out",
		"objcopy --dump-section .x=f in out",
		"llvm-objcopy -Sg in",
	} {
		f.Add(strings.ReplaceAll(s, " ", "\x00"))
	}
	f.Fuzz(func(t *testing.T, s string) {
		argv := strings.Split(s, "\x00")
		p := Parse(argv)
		if p.Passthrough != "" {
			return
		}
		if p.Output == "" || p.Input == "" {
			t.Fatalf("empty file in %q", argv)
		}
		got := p.Redirect(temp)
		want := slices.Clone(argv)
		if p.InPlace {
			want = append(want, temp(p.Output))
		} else {
			want[p.outArg] = temp(p.Output)
		}
		if !slices.Equal(got, want) {
			t.Fatalf("redirect %q: got %q", argv, got)
		}
	})
}
