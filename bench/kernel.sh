#!/usr/bin/env bash
# kernel.sh: the Linux kernel real-tree benchmark of issue 5.
#
# Usage:
#   go install ./cmd/...                    # stable's binaries in $(go env GOPATH)/bin
#   bench/kernel.sh [CONFIG...]             # default: all five configurations
#   KBENCH=/tmp/elsewhere JOBS=4 bench/kernel.sh plain stablecc
#
# CONFIG (each builds in its own O= directory, with its own caches):
#   plain            make CC=gcc
#   ccache           make CC="ccache gcc"             (own CCACHE_DIR, cleared first)
#   stablecc         make CC="stablecc gcc" AR=stable-ar STABLE_SETTLE=1
#                         objtool="stable run --inplace -- <objtool>"
#                    (the whole kbuild setup: settled objects, revived archives)
#   stablecc-ccache  the same with CC="stablecc ccache gcc"
#   stablecc-keep    make CC="stablecc gcc" objtool="stable run --inplace -- <objtool>"
#                    (stablecc's default: unchanged objects keep their old mtime,
#                     so make asks for them again until a real change)
#   stablecc-bare    make CC="stablecc gcc"           (objtool left unwrapped, to show
#                                                      what objtool's in-place rewrite does)
#   Every stable configuration gets its own STABLE_DIR, cleared first.
#
# Environment:
#   KBENCH    work directory (default /tmp/stable-kbench): the source is
#             extracted there once, plus out-CONFIG/, caches, shims and logs/
#   KSRC_TAR  kernel tarball (default /usr/src/linux-source-6.12.tar.xz,
#             Debian package linux-source-6.12; the build also needs flex,
#             bison, bc, libelf-dev, libssl-dev)
#   JOBS      make -j (default 2)
#   KCSV      results file (default bench/results/kernel.csv)
#   IDLE_WAIT seconds to wait for an idle machine before each make (default 900)
#   REPEAT    makes of noop and again, whose median is their wall time (default 5)
#
# The tree: x86_64 `make tinyconfig`, out of tree (O=), fixed KBUILD_BUILD_*
# so that every configuration must produce the same vmlinux. Scenarios, in
# order, per configuration:
#   clean           make in an empty O= (after `make tinyconfig`, not timed)
#   noop            make again, nothing changed
#   touch-kernel.h  touch include/linux/kernel.h (reaches ~430 of ~520 objects), make
#   again           make once more, nothing changed since
#   comment-fork.c  append a comment to kernel/fork.c, make
# kernel.h and fork.c are then put back as they were (content and mtime,
# from copies taken at extraction), so every configuration starts from the
# same source; an interrupted run is repaired the same way at the next start.
#
# Columns of the CSV (one row per configuration and scenario):
#   config, scenario, seconds   wall time of the make. noop and again are made
#                   REPEAT times: seconds is the median, compiles and
#                   objtool_runs are per make, objs_written counts any of
#                   them, cpu_seconds and foreign_cpu are the first's
#   compiles        compiles that really reached gcc: a shim named gcc, first
#                   in PATH, counts each `gcc -c` of a kernel file
#                   (-D__KERNEL__; host tools and /dev/null probes are not
#                   counted) and execs /usr/bin/gcc. A compile ccache answers
#                   from its cache or stablecc skips by its record never
#                   reaches the shim; ccache's own preprocessor run (-E) is not
#                   a compile. stablecc and ccache find the shim by PATH (stablecc
#                   skips only itself), so their real compiles are counted.
#   relinked        yes when vmlinux's mtime changed
#   vmlinux_sha256  must be the same in every row; a warning says otherwise
#   objtool_runs    objtool processes started (a shim in front of
#                   ./tools/objtool/objtool, also under `stable run --inplace`)
#   objs_written    kernel .o files (vmlinux.o excluded) whose mtime moved
#   cpu_seconds     user+sys CPU of the make and everything it ran
#   foreign_cpu     CPU seconds other processes used meanwhile (from
#                   /proc/stat): wall times are only comparable when this is
#                   near 0. Before each make the script waits (up to
#                   IDLE_WAIT seconds, default 900) for the machine to be idle.
# Rows of the configurations being run replace their old rows; other rows
# stay. A markdown table of the whole file goes to stdout at the end.
# Per scenario, make's output is in $KBENCH/logs/CONFIG-SCENARIO.log and,
# for stable configurations, `stable stats` of that make in ...stats.
set -euo pipefail

here=$(cd "$(dirname "$0")" && pwd)
work=${KBENCH:-/tmp/stable-kbench}
tarball=${KSRC_TAR:-/usr/src/linux-source-6.12.tar.xz}
jobs=${JOBS:-2}
repeat=${REPEAT:-5}
csv=${KCSV:-$here/results/kernel.csv}
header=config,scenario,seconds,compiles,relinked,vmlinux_sha256,objtool_runs,objs_written,cpu_seconds,foreign_cpu
configs=("$@")
[ ${#configs[@]} -gt 0 ] || configs=(plain ccache stablecc stablecc-ccache stablecc-keep stablecc-bare)

# Reproducible builds: every configuration must link the same vmlinux.
export KBUILD_BUILD_TIMESTAMP='Thu Jan  1 00:00:00 UTC 2026'
export KBUILD_BUILD_USER=bench KBUILD_BUILD_HOST=bench KBUILD_BUILD_VERSION=1
export LC_ALL=C
# A caller's stable settings must not change what is measured.
unset STABLE_DISABLE STABLE_NORECORDS STABLE_DEBUG STABLE_LOG STABLE_SETTLE CCACHE_PATH CCACHE_DISABLE

for cfg in "${configs[@]}"; do
	case $cfg in
	plain | ccache | stablecc | stablecc-ccache | stablecc-keep | stablecc-bare) ;;
	*) echo "kernel.sh: unknown configuration $cfg" >&2; exit 2 ;;
	esac
	case $cfg in
	stablecc*) command -v stablecc >/dev/null && command -v stable >/dev/null && command -v stable-ar >/dev/null ||
		{ echo "kernel.sh: stablecc and stable must be in PATH (go install ./cmd/...)" >&2; exit 2; } ;;
	esac
	case $cfg in
	*ccache*) command -v ccache >/dev/null || { echo "kernel.sh: ccache not found" >&2; exit 2; } ;;
	esac
done

mkdir -p "$work/logs" "$(dirname "$csv")"
src=$work/$(basename "$tarball" .tar.xz)
pristine=$work/pristine
edited=(include/linux/kernel.h kernel/fork.c)

# --- the source, extracted once; pristine copies of the files we edit ---
if [ ! -f "$src/Makefile" ]; then
	echo "extracting $tarball into $work ..." >&2
	tar -C "$work" -xf "$tarball"
fi
[ -f "$src/Makefile" ] || { echo "kernel.sh: $tarball did not give $src" >&2; exit 1; }
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

# --- stable's binaries, copied aside so a reinstall mid-run changes nothing ---
if [ -n "$(command -v stablecc || true)" ]; then
	mkdir -p "$work/bin"
	for b in stable stablecc stable-ar stable-objcopy stable-cp stable-install; do
		p=$(command -v "$b" || true)
		[ -n "$p" ] || continue
		cp "$p" "$work/bin/.$b.new" && mv "$work/bin/.$b.new" "$work/bin/$b" # never write a running binary
	done
	export PATH="$work/bin:$PATH"
fi

# --- counting shims ---
# gcc: counts real kernel compiles, then runs the real gcc by absolute path
# (so neither stablecc nor ccache can loop back into the shim).
# objtool-count: counts objtool runs, then runs the command it is given.
shim=$work/shim
mkdir -p "$shim"
cat > "$shim/gcc.new" <<'EOF'
#!/bin/sh
case " $* " in
*/dev/null*) ;;
*" -c "*) case " $* " in *" -D__KERNEL__ "*) echo x >> "$KB_COMPILES" ;; esac ;;
esac
exec /usr/bin/gcc "$@"
EOF
cat > "$shim/objtool-count.new" <<'EOF'
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

# --- results file: keep rows of other configurations ---
tmpcsv=$(mktemp "$csv.XXXXXX")
echo "$header" > "$tmpcsv"
if [ -f "$csv" ] && [ "$(head -1 "$csv")" = "$header" ]; then
	tail -n +2 "$csv" | awk -F, -v drop=" ${configs[*]} " 'index(drop, " " $1 " ") == 0' >> "$tmpcsv"
fi
mv "$tmpcsv" "$csv"

lines() { [ -f "$1" ] && wc -l < "$1" || echo 0; }

# plain's vmlinux hash (from this run or kept rows): the reference.
ref_sha() { awk -F, '$1 == "plain" && $2 == "clean" { print $6 }' "$csv" | tail -1; }

# busy_ticks: CPU time used by the whole machine so far, in 1/100 s.
busy_ticks() { awk '/^cpu / { print $2 + $3 + $4 + $7 + $8 + $9; exit }' /proc/stat; }

# wait_idle: timings on a shared machine mean nothing while others compute;
# wait until the machine is idle (under 15% of one CPU over 2 s).
wait_idle() {
	local b0 b1 waited=0
	while :; do
		b0=$(busy_ticks)
		sleep 2
		b1=$(busy_ticks)
		[ $((b1 - b0)) -lt 30 ] && return 0
		if [ "$waited" -ge "${IDLE_WAIT:-900}" ]; then
			echo "kernel.sh: machine still busy after ${waited}s, measuring anyway" >&2
			return 0
		fi
		[ "$waited" = 0 ] && echo "kernel.sh: waiting for the machine to be idle ..." >&2
		sleep 8
		waited=$((waited + 10))
	done
}

# timed_build: one make, its times in $tf (wall user sys).
timed_build() {
	if ! { time build >"$log" 2>&1; } 2>"$tf"; then
		echo "kernel.sh: make failed for $cfg/$scn, see $log" >&2
		tail -20 "$log" >&2
		exit 1
	fi
}

# median_wall FIRST: the median wall time of FIRST and REPEAT-1 more makes
# of a scenario that leaves the tree as it found it (noop, again): a single
# make of a few seconds varies by a second here.
median_wall() {
	local walls=("$1") i w rest
	for ((i = 1; i < repeat; i++)); do
		wait_idle
		timed_build
		read -r w rest <"$tf"
		walls+=("$w")
	done
	printf '%s\n' "${walls[@]}" | sort -n | awk '{ v[NR] = $1 } END { print v[int((NR + 1) / 2)] }'
}

# step SCENARIO: time one make, append one CSV row.
step() {
	local scn=$1 c0 o0 mt0=none mt1 b0 b1 wall user sys relinked=no sha ref objs n=1
	local log=$work/logs/$cfg-$1.log tf=$work/logs/$cfg-$1.time TIMEFORMAT='%R %U %S'
	wait_idle
	c0=$(lines "$KB_COMPILES")
	o0=$(lines "$KB_OBJTOOLS")
	[ -f "$out/vmlinux" ] && mt0=$(stat -c %y "$out/vmlinux")
	[ "$stable_cfg" = yes ] && stable stats --zero >/dev/null
	touch "$work/marker"
	sleep 0.01 # the marker must be strictly older than anything make writes
	b0=$(busy_ticks)
	timed_build
	b1=$(busy_ticks)
	read -r wall user sys <"$tf"
	case $scn in noop | again) wall=$(median_wall "$wall") n=$repeat ;; esac
	[ "$stable_cfg" = yes ] && stable stats >"$work/logs/$cfg-$scn.stats"
	mt1=$(stat -c %y "$out/vmlinux")
	[ "$mt1" != "$mt0" ] && relinked=yes
	sha=$(sha256sum "$out/vmlinux" | cut -d' ' -f1)
	objs=$(find "$out" -name '*.o' -newer "$work/marker" ! -path "$out/tools/*" \
		! -path "$out/scripts/*" ! -path "$out/vmlinux.o" | wc -l)
	printf '%s,%s,%.1f,%d,%s,%s,%d,%d,%.1f,%.1f\n' "$cfg" "$scn" "$wall" \
		$((($(lines "$KB_COMPILES") - c0) / n)) "$relinked" "$sha" \
		$((($(lines "$KB_OBJTOOLS") - o0) / n)) "$objs" "$(echo "$user + $sys" | bc)" \
		"$(echo "scale = 2; f = ($b1 - $b0) / 100 - $user - $sys; if (f < 0) f = 0; f" | bc)" | tee -a "$csv" >&2
	ref=$(ref_sha)
	if [ -n "$ref" ] && [ "$sha" != "$ref" ]; then
		echo "kernel.sh: WARNING: $cfg/$scn vmlinux sha256 $sha differs from plain's $ref" >&2
	fi
}

for cfg in "${configs[@]}"; do
	out=$work/out-$cfg
	export CCACHE_DIR=$work/ccache-$cfg STABLE_DIR=$work/stable-$cfg
	KB_COMPILES=$work/count-$cfg KB_OBJTOOLS=$work/objtool-$cfg
	rm -rf "$out" "$CCACHE_DIR" "$STABLE_DIR" "$KB_COMPILES" "$KB_OBJTOOLS"
	mkdir -p "$out"
	otool="$shim/objtool-count ./tools/objtool/objtool" # relative to O=, as kbuild's own
	stable_cfg=no ar=ar settle=0
	case $cfg in
	plain) cc=gcc ;;
	ccache) cc="ccache gcc" ;;
	stablecc) cc="stablecc gcc" otool="stable run --inplace -- $otool" ar=stable-ar settle=1 stable_cfg=yes ;;
	stablecc-ccache) cc="stablecc ccache gcc" otool="stable run --inplace -- $otool" ar=stable-ar settle=1 stable_cfg=yes ;;
	stablecc-keep) cc="stablecc gcc" otool="stable run --inplace -- $otool" stable_cfg=yes ;;
	stablecc-bare) cc="stablecc gcc" stable_cfg=yes ;;
	esac
	# HOSTCC stays gcc (through the shim, not counted: no -D__KERNEL__).
	build() { make -C "$src" O="$out" ARCH=x86_64 -j"$jobs" CC="$cc" AR="$ar" STABLE_SETTLE=$settle objtool="$otool" "$@"; }
	echo "== $cfg: CC=\"$cc\" AR=$ar STABLE_SETTLE=$settle objtool=\"$otool\"" >&2
	build tinyconfig >"$work/logs/$cfg-tinyconfig.log" 2>&1
	step clean
	step noop
	touch "$src/include/linux/kernel.h"
	step touch-kernel.h
	step again
	echo '/* kernel.sh: a comment that changes no code */' >> "$src/kernel/fork.c"
	step comment-fork.c
	restore_source
done

# --- markdown table of the whole results file ---
ref=$(ref_sha)
awk -F, -v ref="$ref" '
NR == 1 { next }
{ rows[NR] = $0; if ($2 == "noop") noop[$1] = $3 }
END {
	print "| config | scenario | seconds | × no-op | CPU s | compiles | objtool runs | objects written | vmlinux relinked | vmlinux sha256 | foreign CPU s |"
	print "|---|---|--:|--:|--:|--:|--:|--:|---|---|--:|"
	for (i = 2; i <= NR; i++) {
		split(rows[i], f, ",")
		x = (f[1] in noop && noop[f[1]] > 0) ? sprintf("%.1f", f[3] / noop[f[1]]) : "-"
		s = substr(f[6], 1, 12) (ref == "" ? "" : (f[6] == ref ? " (= plain)" : " **DIFFERS**"))
		printf "| %s | %s | %s | %s | %s | %s | %s | %s | %s | %s | %s |\n", f[1], f[2], f[3], x, f[9], f[4], f[7], f[8], f[5], s, f[10]
	}
}' "$csv"
