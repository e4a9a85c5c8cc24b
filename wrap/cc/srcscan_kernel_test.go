package cc

import (
	"os"
	"os/exec"
	"path/filepath"
	"slices"
	"sort"
	"strings"
	"testing"
)

// TestSourceScannerKernelTree scans a Linux source tree, if one is at
// $STABLE_KERNEL_TREE, and checks what matters there: no header makes a
// compile unrecordable, and the files that embed data name it.
func TestSourceScannerKernelTree(t *testing.T) {
	root := os.Getenv("STABLE_KERNEL_TREE")
	if root == "" {
		t.Skip("STABLE_KERNEL_TREE not set")
	}
	isSource := func(p string) bool {
		return slices.Contains([]string{".c", ".h", ".S", ".s"}, filepath.Ext(p))
	}
	names, files := readSourceTree(t, root, isSource)
	facts := map[string]SourceFacts{}
	for i, name := range names {
		s := NewSourceScanner(strings.HasSuffix(name, ".S") || strings.HasSuffix(name, ".s"))
		feedLikeCaller(s, files[i])
		rel, _ := filepath.Rel(root, name)
		facts[rel] = s.Facts()
	}
	for _, area := range []string{"include/", "arch/x86/include/", ""} {
		var unresolved, computed, has, asm, timed []string
		for name, f := range facts {
			if !strings.HasPrefix(name, area) {
				continue
			}
			if f.AsmUnresolved != "" {
				unresolved = append(unresolved, name+": "+f.AsmUnresolved)
			}
			if f.Computed {
				computed = append(computed, name)
			}
			if len(f.HasIncludes) > 0 || f.HasComputed {
				has = append(has, name)
			}
			if len(f.AsmFiles) > 0 {
				asm = append(asm, name+": "+strings.Join(f.AsmFiles, " "))
			}
			if len(f.TimeMacros) > 0 {
				timed = append(timed, name)
			}
		}
		sort.Strings(unresolved)
		sort.Strings(asm)
		t.Logf("%q: AsmUnresolved %d, Computed %d, HasIncludes %d, AsmFiles %d, TimeMacros %d",
			area, len(unresolved), len(computed), len(has), len(asm), len(timed))
		if area != "" && len(unresolved) > 0 {
			t.Errorf("headers under %s unrecordable:\n%s", area, strings.Join(unresolved, "\n"))
		}
		if area == "" && testing.Verbose() {
			sort.Strings(computed)
			sort.Strings(has)
			sort.Strings(timed)
			t.Logf("unresolved:\n%s\nasm files:\n%s\ncomputed: %s\nhas: %s\ntime: %s",
				strings.Join(unresolved, "\n"), strings.Join(asm, "\n"),
				strings.Join(computed, " "), strings.Join(has, " "), strings.Join(timed, " "))
		}
	}
	want := map[string][]string{
		"kernel/configs.c":               {"kernel/config_data.gz"},
		"kernel/kheaders.c":              {"kernel/kheaders_data.tar.xz"},
		"certs/system_certificates.S":    {"certs/signing_key.x509", "certs/x509_certificate_list"},
		"usr/initramfs_data.S":           {"usr/initramfs_inc_data"},
		"arch/x86/realmode/rmpiggy.S":    {"arch/x86/realmode/rm/realmode.bin", "arch/x86/realmode/rm/realmode.relocs"},
		"arch/s390/include/asm/cpu_mf.h": {"asm/cpu_mf-insn.h"},
	}
	for name, files := range want {
		if f := facts[name]; !slices.Equal(f.AsmFiles, files) || f.AsmUnresolved != "" {
			t.Errorf("%s: AsmFiles %q, AsmUnresolved %q; want %q", name, f.AsmFiles, f.AsmUnresolved, files)
		}
	}
	for _, name := range []string{"arch/arm/boot/bootp/initrd.S", "arch/riscv/kernel/vdso/vdso.S"} {
		if facts[name].AsmUnresolved == "" {
			t.Errorf("%s: .incbin of a macro not reported", name)
		}
	}
	checkPiggy(t, root)
}

// checkPiggy builds mkpiggy and scans the piggy.S it writes, as kbuild
// generates it at build time.
func checkPiggy(t *testing.T, root string) {
	if _, err := exec.LookPath("gcc"); err != nil {
		t.Log("no gcc: piggy.S not checked")
		return
	}
	dir := t.TempDir()
	src := filepath.Join(root, "arch/x86/boot/compressed/mkpiggy.c")
	tool := filepath.Join(dir, "mkpiggy")
	if out, err := exec.Command("gcc", "-I", filepath.Join(root, "tools/include"), "-o", tool, src).CombinedOutput(); err != nil {
		t.Fatalf("building mkpiggy: %v\n%s", err, out)
	}
	blob := "arch/x86/boot/compressed/vmlinux.bin.gz"
	os.MkdirAll(filepath.Join(dir, filepath.Dir(blob)), 0o755)
	os.WriteFile(filepath.Join(dir, blob), []byte("\x1f\x8b compressed\x00\x10\x00\x00"), 0o644)
	cmd := exec.Command(tool, blob)
	cmd.Dir = dir
	piggy, err := cmd.Output()
	if err != nil {
		t.Fatalf("mkpiggy: %v", err)
	}
	s := NewSourceScanner(true)
	s.Feed(piggy)
	if f := s.Facts(); !slices.Equal(f.AsmFiles, []string{blob}) || f.AsmUnresolved != "" {
		t.Errorf("piggy.S: %+v\n%s", f, piggy)
	}
}
