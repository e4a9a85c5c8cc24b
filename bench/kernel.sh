#!/usr/bin/env bash
# kernel.sh: the Linux kernel real-tree benchmark: how fast, and never wrong.
#
# Usage:
#   GOBIN=/tmp/stable-bin go install ./cmd/...   # stable's binaries, first in PATH
#   PATH=/tmp/stable-bin:$PATH bench/kernel.sh [CONFIG...]
#   KBENCH=/tmp/elsewhere JOBS=4 bench/kernel.sh plain stablecc-verify
#
# Default CONFIGs: plain ccache stablecc stablecc-ccache stablecc-verify
# stablecc-keep. Each builds in its own O= directory with its own caches
# (CCACHE_DIR and STABLE_DIR cleared first); plain always runs first, as the
# reference: when it is not among the CONFIGs, its rows in the results file
# are (and there must be some).
#   plain            make CC=gcc
#   ccache           make CC="ccache gcc"
#   stablecc         make CC="stablecc gcc" AR=stable-ar
#                         objtool="stable run --inplace -- <objtool>"
#                    (the kbuild setup; the wrappers' defaults: settling, i.e.
#                     unchanged objects get the current time, archives that
#                     come back the same their old mtime)
#   stablecc-ccache  the same with CC="stablecc ccache gcc"
#   stablecc-verify  stablecc with STABLE_VERIFY=1: records are still used,
#                    but every skip and every kept output is checked by running
#                    the tool, and a difference is a "stable: VERIFY MISMATCH"
#                    (counted: make's output, `stable stats`, STABLE_LOG)
#   stablecc-keep    stablecc with STABLE_SETTLE=0 (unchanged objects keep their
#                    old mtime, so make asks for them again until a real change)
#   stablecc-bare    stablecc with objtool unwrapped (not in the default list:
#                    it shows what objtool's in-place rewrite costs, see
#                    results/NOTES.md)
#
# Environment:
#   KBENCH    work directory (default /tmp/stable-kbench): the source is
#             extracted there once, plus out-CONFIG/, caches, shims and logs/
#   KSRC_TAR  kernel tarball (default /usr/src/linux-source-6.12.tar.xz,
#             Debian package linux-source-6.12; the build also needs flex,
#             bison, bc, libelf-dev, libssl-dev)
#   JOBS      make -j (default 2)
#   KCSV      results file (default bench/results/kernel.csv)
#   IDLE_WAIT seconds to wait for an idle machine before each make (default
#             900; 0 measures at once)
#   REPEAT    makes of noop and again-*, whose median is their wall time
#             (default 5)
#
# The tree: x86_64 `make tinyconfig` plus CONFIG_IKCONFIG=y and
# CONFIG_IKCONFIG_PROC=y (and CONFIG_PROC_FS=y, which IKCONFIG_PROC needs),
# out of tree (O=), target bzImage, fixed KBUILD_BUILD_* so that every
# configuration must produce the same vmlinux and bzImage. Two products
# embed others with .incbin, which no compiler depfile names:
# kernel/configs.o the gzipped .config (kernel/config_data.gz), and
# arch/x86/boot/compressed/piggy.o the compressed vmlinux (piggy.S holds
# only the sizes and the .incbin line). Scenarios, in order, per
# configuration (the source tree each builds: orig, change, config, kconfig):
#   clean           make in an empty O= (after tinyconfig and the IKCONFIG
#                   options, not timed)                                 orig
#   noop            make again, nothing changed                         orig
#   touch-kernel.h  touch include/linux/kernel.h (~465 of ~550 compiles) orig
#   again-touch     make once more, nothing changed since               orig
#   comment-fork.c  append a comment to kernel/fork.c                    orig
#   again-comment                                                       orig
#   change-panic.c  kernel/panic.c: PANIC_TIMER_STEP 100 -> 101 (code of
#                   panic() changes; vmlinux.bin keeps its size, its
#                   compressed size moves, so piggy.S changes too)     change
#   again-change                                                      change
#   revert-panic.c  panic.c gets its original content back (mtime: now)  orig
#   again-revert                                                        orig
#   config-cma      scripts/config -e CROSS_MEMORY_ATTACH, make olddefconfig
#                   (not timed): one more object (mm/process_vm_access.o),
#                   a new .config embedded                             config
#   again-config                                                      config
#   revert-config   scripts/config -d CROSS_MEMORY_ATTACH, olddefconfig  orig
#   kconfig-menu    init/Kconfig: menu "General setup" gets another title.
#                   syncconfig rewrites .config (its "# General setup"
#                   comments), not autoconf.h: no compile's depfile sees
#                   the change, only configs.o's .incbin of the new
#                   config_data.gz does                               kconfig
#   revert-kconfig  init/Kconfig gets its original content back           orig
# The edited sources are then put back as they were (content and mtime,
# from copies taken at extraction), so every configuration starts from the
# same source; an interrupted run is repaired the same way at the next start.
# (A config change such as config-cma changes include/generated/autoconf.h,
# which every compile includes, so configs.o's record would miss anyway;
# kconfig-menu is the change that only the .incbin input shows.)
#
# Never wrong: after every make, vmlinux's and bzImage's sha256 must equal
# plain's for the same scenario, and those of the earlier steps on the same
# source tree (so plain itself is checked for reproducibility); the .config
# that scripts/extract-ikconfig finds in vmlinux must be $O/.config, and the
# kernel that scripts/extract-vmlinux finds in bzImage must be vmlinux as
# kbuild strips it (objcopy -R .comment -S). Any difference, and any verify
# mismatch, is printed loudly at once and again at the end, and the script
# then exits 1.
#
# Columns of the CSV (one row per configuration and scenario):
#   config, scenario, seconds   wall time of the make. noop and again-* are
#                   made REPEAT times: seconds is the median, compiles and
#                   objtool_runs are per make, objs_written and
#                   archives_written count any of them, cpu_seconds and
#                   foreign_cpu are the first's
#   compiles        compiles that really reached gcc: a shim named gcc, first
#                   in PATH, logs each `gcc -c` of a kernel file
#                   (-D__KERNEL__; host tools and /dev/null probes are not
#                   counted) and execs /usr/bin/gcc. A compile ccache answers
#                   from its cache or stablecc skips by its record never
#                   reaches the shim; ccache's own preprocessor run (-E) is not
#                   a compile. stablecc and ccache find the shim by PATH (stablecc
#                   skips only itself), so their real compiles are counted, and
#                   so are the tool runs of STABLE_VERIFY=1. The objects
#                   compiled are in logs/CONFIG-SCENARIO.compiled (stablecc's
#                   temporaries keep the object's base name)
#   relinked        yes when vmlinux's mtime changed
#   vmlinux_sha256, bzimage_sha256   the products' hashes (see above)
#   objtool_runs    objtool processes started (a shim in front of
#                   ./tools/objtool/objtool, also under `stable run --inplace`)
#   objs_written    kernel .o files (vmlinux.o excluded) whose mtime moved
#   archives_written  kernel archives (built-in.a, lib.a, vmlinux.a) whose
#                   mtime moved
#   verify_mismatches  "stable: VERIFY MISMATCH" lines in make's output
#   stats_mismatches   the "verify mismatches" row of `stable stats` for the
#                   step ("-" where there is none)
#   embedded_ok     yes when vmlinux embeds $O/.config and bzImage embeds
#                   vmlinux; otherwise what differs
#   cpu_seconds     user+sys CPU of the make and everything it ran
#   foreign_cpu     CPU seconds other processes used meanwhile (from
#                   /proc/stat): wall times are only comparable when this is
#                   near 0. Before each make the script waits (up to
#                   IDLE_WAIT seconds) for the machine to be idle.
# Rows of the configurations being run replace their old rows; other rows
# stay; plain's rows come first. Markdown tables of the whole file go to
# stdout at the end (bench/plot.py, which also draws results/kernel.png
# when matplotlib is installed).
# Per scenario, make's output is in $KBENCH/logs/CONFIG-SCENARIO.log and,
# for stable configurations, `stable stats` of that step in ...stats
# (stablecc-verify: STABLE_LOG in ...jsonl), the objects compiled in
# ...compiled, arch/x86/boot/compressed/piggy.S in ...piggy.S.
set -euo pipefail

NAME=kernel.sh
here=$(cd "$(dirname "$0")" && pwd)
. "$here/common.sh"
work=${KBENCH:-/tmp/stable-kbench}
tarball=${KSRC_TAR:-/usr/src/linux-source-6.12.tar.xz}
jobs=${JOBS:-2}
repeat=${REPEAT:-5}
csv=${KCSV:-$here/results/kernel.csv}
header=config,scenario,seconds,compiles,relinked,vmlinux_sha256,bzimage_sha256,objtool_runs,objs_written,archives_written,verify_mismatches,stats_mismatches,embedded_ok,cpu_seconds,foreign_cpu
[ $# -gt 0 ] || set -- plain ccache stablecc stablecc-ccache stablecc-verify stablecc-keep
mapfile -t configs < <(order_configs "$@")

# Reproducible builds: every configuration must link the same vmlinux.
export KBUILD_BUILD_TIMESTAMP='Thu Jan  1 00:00:00 UTC 2026'
export KBUILD_BUILD_USER=bench KBUILD_BUILD_HOST=bench KBUILD_BUILD_VERSION=1
export LC_ALL=C
# A caller's settings must not change what is measured (stable_env sets
# stable's own per configuration).
unset CCACHE_PATH CCACHE_DISABLE CCACHE_PREFIX KCONFIG_CONFIG KBUILD_OUTPUT

for cfg in "${configs[@]}"; do
	case $cfg in
	plain | ccache | stablecc | stablecc-ccache | stablecc-verify | stablecc-keep | stablecc-bare) need_stable "$cfg" ;;
	*) die "unknown configuration $cfg" ;;
	esac
done
for t in objcopy readelf xz bc; do command -v $t >/dev/null || die "$t not found"; done
[ -f "$tarball" ] || die "$tarball not found (apt-get install -y linux-source-6.12 flex bison bc libelf-dev libssl-dev)"

mkdir -p "$work/logs"
src=$work/$(basename "$tarball" .tar.xz)
pristine=$work/pristine
edited=(include/linux/kernel.h kernel/fork.c kernel/panic.c init/Kconfig)

# --- the source, extracted once; pristine copies of the files we edit ---
if [ ! -f "$src/Makefile" ]; then
	say "extracting $tarball into $work ..."
	tar -C "$work" -xf "$tarball"
fi
[ -f "$src/Makefile" ] || die "$tarball did not give $src"
mkdir -p "$pristine"
for f in "${edited[@]}"; do
	[ -f "$pristine/$(basename "$f")" ] || cp -p "$src/$f" "$pristine/"
done
restore_source() { # content and mtime, as extracted
	local f
	for f in "${edited[@]}"; do cp -p "$pristine/$(basename "$f")" "$src/$f"; done
}
restore_source # repairs an interrupted earlier run
trap restore_source EXIT
trap 'exit 130' INT TERM HUP # so that the EXIT trap runs

snapshot_bin "$work/bin"

# --- counting shims ---
# gcc: logs each real kernel compile (its -o), then runs the real gcc by
# absolute path (so neither stablecc nor ccache can loop back into it).
# objtool-count: counts objtool runs, then runs the command it is given.
shim=$work/shim
mkdir -p "$shim"
cat >"$shim/gcc.new" <<'EOF'
#!/bin/sh
case " $* " in
*/dev/null*) ;;
*" -c "*) case " $* " in *" -D__KERNEL__ "*)
	o=- prev=
	for a; do [ "$prev" = -o ] && o=$a; prev=$a; done
	echo "$o" >>"$KB_COMPILES" ;;
	esac ;;
esac
exec /usr/bin/gcc "$@"
EOF
cat >"$shim/objtool-count.new" <<'EOF'
#!/bin/sh
echo x >> "$KB_OBJTOOLS"
exec "$@"
EOF
for s in gcc objtool-count; do # rewritten only when different: its identity is part of records
	chmod +x "$shim/$s.new"
	if cmp -s "$shim/$s.new" "$shim/$s"; then rm "$shim/$s.new"; else mv "$shim/$s.new" "$shim/$s"; fi
done
export PATH="$shim:$PATH"
export KB_COMPILES KB_OBJTOOLS

csv_open "$header" "${configs[@]}"
require_plain "${configs[@]}"

# state_of SCENARIO: the source tree a scenario builds (see the top).
state_of() {
	case $1 in
	change-* | again-change) echo change ;;
	config-* | again-config) echo config ;;
	kconfig-*) echo kconfig ;;
	*) echo orig ;;
	esac
}

# embedded_ok: does vmlinux embed $out/.config, and bzImage vmlinux?
embedded_ok() {
	local t=$work/logs/embedded ok=yes
	if ! "$src/scripts/extract-ikconfig" "$out/vmlinux" >"$t.config" 2>/dev/null ||
		! cmp -s "$t.config" "$out/.config"; then
		ok=no-ikconfig
	fi
	objcopy -R .comment -S "$out/vmlinux" "$t.vmlinux.bin"
	if grep -q '^CONFIG_X86_NEED_RELOCS=y' "$out/.config"; then
		cat "$out/arch/x86/boot/compressed/vmlinux.relocs" >>"$t.vmlinux.bin"
	fi
	if ! "$src/scripts/extract-vmlinux" "$out/arch/x86/boot/bzImage" >"$t.payload" 2>/dev/null ||
		! cmp -s "$t.payload" "$t.vmlinux.bin"; then
		[ $ok = yes ] && ok=no-bzimage || ok=$ok+no-bzimage
	fi
	rm -f "$t.config" "$t.vmlinux.bin" "$t.payload"
	echo $ok
}

# step SCENARIO: time one make (REPEAT for noop and again-*), append one CSV row.
step() {
	local scn=$1 c0 o0 mt0=none mt1 b0 b1 wall user sys rest relinked=no vsha bsha objs archs emb n=1 i
	local log=$work/logs/$cfg-$1.log tf=$work/logs/$cfg-$1.time stats=$work/logs/$cfg-$1.stats
	local jsonl=$work/logs/$cfg-$1.jsonl TIMEFORMAT='%R %U %S' walls=() m s j
	rm -f "$log" "$stats" "$jsonl"
	[ "${STABLE_VERIFY:-}" = 1 ] && export STABLE_LOG=$jsonl
	wait_idle
	c0=$(lines "$KB_COMPILES")
	o0=$(lines "$KB_OBJTOOLS")
	[ -f "$out/vmlinux" ] && mt0=$(stat -c %y "$out/vmlinux")
	[ "$stable_cfg" = yes ] && stable stats --zero >/dev/null
	touch "$work/marker"
	sleep 0.01 # the marker must be strictly older than anything make writes
	b0=$(busy_ticks)
	timed_build "$log" "$tf" bzImage
	b1=$(busy_ticks)
	read -r wall user sys <"$tf"
	case $scn in
	noop | again-*)
		walls=("$wall") n=$repeat
		for ((i = 1; i < repeat; i++)); do
			wait_idle
			timed_build "$log" "$tf" bzImage
			read -r wall rest <"$tf"
			walls+=("$wall")
		done
		wall=$(median_of "${walls[@]}")
		;;
	esac
	[ "$stable_cfg" = yes ] && stable stats >"$stats"
	unset STABLE_LOG
	mt1=$(stat -c %y "$out/vmlinux")
	[ "$mt1" != "$mt0" ] && relinked=yes
	vsha=$(sha256sum "$out/vmlinux" | cut -d' ' -f1)
	bsha=$(sha256sum "$out/arch/x86/boot/bzImage" | cut -d' ' -f1)
	objs=$(find "$out" -name '*.o' -newer "$work/marker" ! -path "$out/tools/*" \
		! -path "$out/scripts/*" ! -path "$out/vmlinux.o" | wc -l)
	archs=$(find "$out" -name '*.a' -newer "$work/marker" ! -path "$out/tools/*" ! -path "$out/scripts/*" | wc -l)
	tail -n +$((c0 + 1)) "$KB_COMPILES" 2>/dev/null | sed 's,.*/,,' | sort | uniq -c >"$work/logs/$cfg-$scn.compiled" || true
	m=$(mismatch_lines "$log") s=$(stats_mismatches "$stats") j=$(jsonl_mismatches "$jsonl")
	emb=$(embedded_ok)
	# piggy.S holds only the sizes of the compressed vmlinux it .incbin's:
	# say when vmlinux changed but piggy.S did not (then nothing but the
	# .incbin tells the new piggy.o from the old one).
	cp "$out/arch/x86/boot/compressed/piggy.S" "$work/logs/$cfg-$scn.piggy.S"
	if [ -n "$prev_vsha" ] && [ "$vsha" != "$prev_vsha" ] && cmp -s "$work/logs/$cfg-$scn.piggy.S" "$prev_piggy"; then
		say "note: $cfg/$scn: vmlinux changed, piggy.S did not (only its .incbin tells piggy.o apart)"
	fi
	prev_vsha=$vsha prev_piggy=$work/logs/$cfg-$scn.piggy.S
	printf '%s,%s,%.1f,%d,%s,%s,%s,%d,%d,%d,%d,%s,%s,%.1f,%.1f\n' "$cfg" "$scn" "$wall" \
		$((($(lines "$KB_COMPILES") - c0) / n)) "$relinked" "$vsha" "$bsha" \
		$((($(lines "$KB_OBJTOOLS") - o0) / n)) "$objs" "$archs" "$m" "$s" "$emb" "$(echo "$user + $sys" | bc)" \
		"$(echo "scale = 2; f = ($b1 - $b0) / 100 - $user - $sys; if (f < 0) f = 0; f" | bc)" | tee -a "$csv" >&2
	check_mismatches "$m" "$s" "$j"
	check_hash "$scn" "$(state_of "$scn")" vmlinux_sha256 "$vsha"
	check_hash "$scn" "$(state_of "$scn")" bzimage_sha256 "$bsha"
	[ "$emb" = yes ] || loud "$cfg/$scn: embedded products differ from the tree's ($emb)"
}

# config_edit ARGS: scripts/config ARGS on $out/.config, then olddefconfig
# (not timed; its output goes to logs/CONFIG-olddefconfig.log).
config_edit() {
	"$src/scripts/config" --file "$out/.config" "$@"
	build olddefconfig >>"$work/logs/$cfg-olddefconfig.log" 2>&1
}

for cfg in "${configs[@]}"; do
	out=$work/out-$cfg
	export CCACHE_DIR=$work/ccache-$cfg STABLE_DIR=$work/stable-$cfg
	KB_COMPILES=$work/count-$cfg KB_OBJTOOLS=$work/objtool-$cfg
	rm -rf "$out" "$CCACHE_DIR" "$STABLE_DIR" "$KB_COMPILES" "$KB_OBJTOOLS" "$work/logs/$cfg"-*
	mkdir -p "$out"
	stable_env "$cfg"
	seen_hash=() prev_vsha= prev_piggy=
	otool="$shim/objtool-count ./tools/objtool/objtool" # relative to O=, as kbuild's own
	ar=ar
	case $cfg in
	plain) cc=gcc ;;
	ccache) cc="ccache gcc" ;;
	stablecc | stablecc-verify | stablecc-keep) cc="stablecc gcc" otool="stable run --inplace -- $otool" ar=stable-ar ;;
	stablecc-ccache) cc="stablecc ccache gcc" otool="stable run --inplace -- $otool" ar=stable-ar ;;
	stablecc-bare) cc="stablecc gcc" ar=stable-ar ;;
	esac
	# HOSTCC stays gcc (through the shim, not counted: no -D__KERNEL__).
	build() { make -C "$src" O="$out" ARCH=x86_64 -j"$jobs" CC="$cc" AR="$ar" objtool="$otool" "$@"; }
	say "== $cfg: CC=\"$cc\" AR=$ar objtool=\"$otool\" $(env | grep '^STABLE_[A-Z]*=' | grep -v STABLE_DIR | tr '\n' ' ')"
	build tinyconfig >"$work/logs/$cfg-tinyconfig.log" 2>&1
	config_edit -e PROC_FS -e IKCONFIG -e IKCONFIG_PROC
	for o in PROC_FS IKCONFIG IKCONFIG_PROC; do
		grep -qx "CONFIG_$o=y" "$out/.config" || die "CONFIG_$o=y did not stay in $out/.config"
	done
	cp "$out/.config" "$work/logs/$cfg-config.orig"

	step clean
	step noop
	touch "$src/include/linux/kernel.h"
	step touch-kernel.h
	step again-touch
	echo '/* kernel.sh: a comment that changes no code */' >>"$src/kernel/fork.c"
	step comment-fork.c
	step again-comment
	sed 's/^#define PANIC_TIMER_STEP 100$/#define PANIC_TIMER_STEP 101/' "$pristine/panic.c" >"$src/kernel/panic.c"
	grep -q '^#define PANIC_TIMER_STEP 101$' "$src/kernel/panic.c" || die "kernel/panic.c: PANIC_TIMER_STEP 100 not found"
	step change-panic.c
	step again-change
	cat "$pristine/panic.c" >"$src/kernel/panic.c" # original content, mtime now
	step revert-panic.c
	step again-revert
	config_edit -e CROSS_MEMORY_ATTACH
	grep -qx CONFIG_CROSS_MEMORY_ATTACH=y "$out/.config" || die "CONFIG_CROSS_MEMORY_ATTACH=y did not stay"
	step config-cma
	step again-config
	config_edit -d CROSS_MEMORY_ATTACH
	cmp -s "$out/.config" "$work/logs/$cfg-config.orig" ||
		loud "$cfg: .config after reverting CROSS_MEMORY_ATTACH differs from the original (diff $out/.config $work/logs/$cfg-config.orig)"
	step revert-config
	sed 's/^menu "General setup"$/menu "General setup (kernel.sh)"/' "$pristine/Kconfig" >"$src/init/Kconfig"
	grep -q '^menu "General setup (kernel.sh)"$' "$src/init/Kconfig" || die "init/Kconfig: menu \"General setup\" not found"
	step kconfig-menu
	cat "$pristine/Kconfig" >"$src/init/Kconfig"
	step revert-kconfig
	restore_source
	csv_sort
done

run_plot
summary
