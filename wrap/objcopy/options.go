package objcopy

// Options of GNU objcopy and llvm-objcopy that take an argument, either
// separate (-O binary, --add-section x=f) or joined (-Obinary,
// --add-section=x=f). Everything else starting with '-' is a flag; an
// option neither list knows makes the wrapper step aside.
var shortArg = "IOFBjRKNLGWib"

var longArg = map[string]bool{
	"input-target": true, "output-target": true, "target": true, "binary-architecture": true,
	"only-section": true, "remove-section": true, "remove-relocations": true, "keep-section": true,
	"keep-symbol": true, "strip-symbol": true, "strip-unneeded-symbol": true, "localize-symbol": true,
	"keep-global-symbol": true, "globalize-symbol": true, "weaken-symbol": true,
	"interleave": true, "byte": true, "interleave-width": true, "gap-fill": true, "pad-to": true,
	"set-start": true, "change-start": true, "adjust-start": true,
	"change-addresses": true, "adjust-vma": true,
	"change-section-address": true, "adjust-section-vma": true,
	"change-section-lma": true, "change-section-vma": true,
	"set-section-flags": true, "set-section-alignment": true, "set-section-type": true,
	"rename-section": true, "long-section-names": true, "redefine-sym": true,
	"srec-len": true, "prefix-symbols": true, "prefix-sections": true, "prefix-alloc-sections": true,
	"file-alignment": true, "heap": true, "image-base": true, "section-alignment": true,
	"stack": true, "subsystem": true, "add-symbol": true, "reverse-bytes": true,
	"elf-stt-common": true, "remove-symbol-prefix": true, "new-symbol-visibility": true,
	"add-section": true, "update-section": true, "add-gnu-debuglink": true,
	"redefine-syms": true, "keep-symbols": true, "strip-symbols": true,
	"strip-unneeded-symbols": true, "keep-global-symbols": true, "localize-symbols": true,
	"globalize-symbols": true, "weaken-symbols": true, "set-symbol-visibility": true,
	"change-section-lma-all": true, "verilog-data-width": true, "set-symbols-visibility": true,
	"set-section-flags-all": true,
}

// optionalArg lists long options whose argument may only be joined with '='.
var optionalArg = map[string]bool{"compress-debug-sections": true}

// fileArgs names the options whose argument is (or ends in NAME=) a file the
// tool reads: inputs of the record.
var fileArgs = map[string]bool{
	"add-section": true, "update-section": true, "add-gnu-debuglink": true,
	"redefine-syms": true, "keep-symbols": true, "strip-symbols": true,
	"strip-unneeded-symbols": true, "keep-global-symbols": true, "localize-symbols": true,
	"globalize-symbols": true, "weaken-symbols": true,
}

// Flags without an argument that are known to leave the outputs to the
// positional arguments alone.
var flags = map[string]bool{
	"strip-all": true, "strip-debug": true, "strip-dwo": true, "strip-unneeded": true,
	"only-keep-debug": true, "keep-file-symbols": true, "discard-all": true, "discard-locals": true,
	"preserve-dates": true, "enable-deterministic-archives": true, "disable-deterministic-archives": true,
	"extract-dwo": true, "extract-symbol": true, "keep-section-symbols": true,
	"change-warnings": true, "adjust-warnings": true, "no-change-warnings": true, "no-adjust-warnings": true,
	"weaken": true, "localize-hidden": true, "wildcard": true, "strip-sections": true,
	"change-leading-char": true, "remove-leading-char": true, "decompress-debug-sections": true,
	"impure": true, "pure": true, "readonly-text": true, "writable-text": true,
	"keep-undefined": true, "only-keep-debug-sections": true, "merge-notes": true, "no-merge-notes": true,
	"strip-non-alloc": true, "allow-broken-links": true,
	"srec-forceS3": true, "regex": true, "strip-section-headers": true,
	"extract-main-partition": true,
}

// shortFlags are single-letter flags without an argument.
var shortFlags = "SgpDUMxXw"

// aside lists options after which the wrapper runs the tool unmodified:
// they print (and would show temporary names), write further files, or ask
// the tool about itself.
var aside = map[string]bool{
	"verbose": true, "v": true, "help": true, "h": true, "version": true, "V": true, "info": true,
	"dump-section": true, "split-dwo": true, "add-symbols-file": true,
}
