#!/usr/bin/env bash
# git.sh: the kernel scenarios on a second real tree, git 2.39 from
# Debian's source package (its Makefile writes -MMD -MP depfiles, links
# builtin/*.o directly and the rest through libgit.a, xdiff/lib.a and
# reftable/libreftable.a): how fast, and never wrong.
#
# Usage:
#   GOBIN=/tmp/stable-bin go install ./cmd/...   # stable's binaries, first in PATH
#   PATH=/tmp/stable-bin:$PATH bench/git.sh [CONFIG...]
#
# Default CONFIGs: plain ccache stablecc stablecc-ccache stablecc-verify
# stablecc-keep; plain always runs first, as the reference (when it is not
# among the CONFIGs, its rows in the results file are, and there must be some).
#   plain            make CC=gcc
#   ccache           make CC="ccache gcc"
#   stablecc         make CC="stablecc gcc" AR=stable-ar (the wrappers'
#                    defaults: settling)
#   stablecc-ccache  make CC="stablecc ccache gcc" AR=stable-ar
#   stablecc-verify  stablecc with STABLE_VERIFY=1: every skip and every kept
#                    output is checked by running the tool; a difference is a
#                    "stable: VERIFY MISMATCH" (counted: make's output,
#                    `stable stats`, STABLE_LOG)
#   stablecc-keep    stablecc with STABLE_SETTLE=0
# Each configuration gets its own CCACHE_DIR and STABLE_DIR, cleared first,
# and starts with `make clean` (git builds in its source tree).
#
# Needs: a deb-src line for bookworm (git.sh runs `apt-get source
# --download-only git` into $GITBENCH), gcc, ccache, zlib1g-dev, bc.
#
# Environment: GITBENCH (work directory, default /tmp/stable-gitbench),
# JOBS (make -j, default 2), GCSV (results, default bench/results/git.csv),
# IDLE_WAIT and REPEAT as for kernel.sh (defaults 900 and 5).
#
# Scenarios, in order, per configuration (the source each builds: orig or change):
#   clean                    make after make clean                      orig
#   noop                     make again                                 orig
#   touch-git-compat-util.h  touch the header every source includes     orig
#   again-touch                                                         orig
#   comment-diff.c           a comment appended to diff.c               orig
#   again-comment                                                       orig
#   change-usage.c           usage.c: die()'s "fatal: " -> "fatal! "
#                            (libgit.a, same length)                  change
#   again-change                                                      change
#   revert-usage.c           usage.c gets its original content back
#                            (mtime: now)                               orig
#   again-revert                                                        orig
# git-compat-util.h, diff.c and usage.c are put back as extracted (content
# and mtime) after each configuration, and at exit.
#
# Never wrong: after every make, the git binary's sha256 must equal plain's
# for the same scenario and that of every earlier step on the same source;
# any difference, and any verify mismatch, is printed loudly at once and
# again at the end, and the script then exits 1.
#
# Columns of bench/results/git.csv: config, scenario, seconds (noop and
# again-*: the median of REPEAT makes), compiles (that reached gcc: a shim
# named gcc first in PATH logs each `gcc -c ... -o`; per make), relinked
# (the linker really ran for git: the shim logs each link's -o), git_sha256, objs_written (.o files whose mtime moved),
# archives_written (of libgit.a, xdiff/lib.a, reftable/libreftable.a),
# verify_mismatches ("stable: VERIFY MISMATCH" lines in make's output),
# stats_mismatches (`stable stats`' "verify mismatches", "-" where there is
# none), cpu_seconds, foreign_cpu (as in kernel.sh). Markdown tables of the
# whole file go to stdout at the end (bench/plot.py). make's output is in
# $GITBENCH/logs/CONFIG-SCENARIO.log, `stable stats` in ...stats.
set -euo pipefail

NAME=git.sh
here=$(cd "$(dirname "$0")" && pwd)
. "$here/common.sh"
work=${GITBENCH:-/tmp/stable-gitbench}
jobs=${JOBS:-2}
repeat=${REPEAT:-5}
csv=${GCSV:-$here/results/git.csv}
header=config,scenario,seconds,compiles,relinked,git_sha256,objs_written,archives_written,verify_mismatches,stats_mismatches,cpu_seconds,foreign_cpu
[ $# -gt 0 ] || set -- plain ccache stablecc stablecc-ccache stablecc-verify stablecc-keep
mapfile -t configs < <(order_configs "$@")
export LC_ALL=C
unset CCACHE_PATH CCACHE_DISABLE CCACHE_PREFIX

for cfg in "${configs[@]}"; do
	case $cfg in
	plain | ccache | stablecc | stablecc-ccache | stablecc-verify | stablecc-keep) need_stable "$cfg" ;;
	*) die "unknown configuration $cfg" ;;
	esac
done

mkdir -p "$work/logs"
if [ ! -f "$work/git-2.39.5/Makefile" ]; then
	(cd "$work" && { ls git_*.orig.tar.xz >/dev/null 2>&1 || apt-get source --download-only git; } &&
		tar xf git_*.orig.tar.xz)
fi
src=$work/git-2.39.5
[ -f "$src/Makefile" ] || die "no git source in $src"
pristine=$work/pristine
edited=(git-compat-util.h diff.c usage.c)
mkdir -p "$pristine"
for f in "${edited[@]}"; do
	[ -f "$pristine/$f" ] || cp -p "$src/$f" "$pristine/"
done
restore_source() { # content and mtime, as extracted
	local f
	for f in "${edited[@]}"; do cp -p "$pristine/$f" "$src/$f"; done
}
restore_source # repairs an interrupted earlier run (and the old pristine copy of diff.c)
trap restore_source EXIT
trap 'exit 130' INT TERM HUP

snapshot_bin "$work/bin"

# gcc: logs each real compile (its -o), then runs /usr/bin/gcc.
shim=$work/shim
mkdir -p "$shim"
cat >"$shim/gcc.new" <<'EOF'
#!/bin/sh
case " $* " in
*/dev/null*) ;;
*" -c "*" -o "* | *" -o "*" -c "*)
	o=- prev=
	for a; do [ "$prev" = -o ] && o=$a; prev=$a; done
	echo "$o" >>"$GB_COMPILES" ;;
*-###* | *-print-* | *" -v "*) ;;
*" -o "*)
	o=- prev=
	for a; do [ "$prev" = -o ] && o=$a; prev=$a; done
	# stablecc links into a temporary beside the output: log the output.
	echo "$o" | sed 's,\(^\|/\)\.stable-[^/]*/,\1,' >>"$GB_LINKS" ;;
esac
exec /usr/bin/gcc "$@"
EOF
chmod +x "$shim/gcc.new"
if cmp -s "$shim/gcc.new" "$shim/gcc"; then rm "$shim/gcc.new"; else mv "$shim/gcc.new" "$shim/gcc"; fi
export PATH="$shim:$PATH" GB_COMPILES GB_LINKS

csv_open "$header" "${configs[@]}"
require_plain "${configs[@]}"

state_of() { case $1 in change-* | again-change) echo change ;; *) echo orig ;; esac; }

step() {
	local scn=$1 c0 l0 mt0=none b0 b1 wall user sys rest relinked=no sha objs archs n=1 i
	local log=$work/logs/$cfg-$1.log tf=$work/logs/$cfg-$1.time stats=$work/logs/$cfg-$1.stats
	local jsonl=$work/logs/$cfg-$1.jsonl TIMEFORMAT='%R %U %S' walls=() m s j
	rm -f "$log" "$stats" "$jsonl"
	[ "${STABLE_VERIFY:-}" = 1 ] && export STABLE_LOG=$jsonl
	wait_idle
	c0=$(lines "$GB_COMPILES") l0=$(lines "$GB_LINKS")
	[ -f "$src/git" ] && mt0=$(stat -c %y "$src/git")
	[ "$stable_cfg" = yes ] && stable stats --zero >/dev/null
	touch "$work/marker"
	sleep 0.01
	b0=$(busy_ticks)
	timed_build "$log" "$tf"
	b1=$(busy_ticks)
	read -r wall user sys <"$tf"
	case $scn in
	noop | again-*)
		walls=("$wall") n=$repeat
		for ((i = 1; i < repeat; i++)); do
			wait_idle
			timed_build "$log" "$tf"
			read -r wall rest <"$tf"
			walls+=("$wall")
		done
		wall=$(median_of "${walls[@]}")
		;;
	esac
	[ "$stable_cfg" = yes ] && stable stats >"$stats"
	unset STABLE_LOG
	# Relinked: the linker really ran for git (a link a record answers
	# may still give git a new mtime, as a rebuild would).
	tail -n +$((l0 + 1)) "$GB_LINKS" 2>/dev/null | grep -qx 'git' && relinked=yes
	sha=$(sha256sum "$src/git" | cut -d' ' -f1)
	objs=$(find "$src" -name '*.o' -newer "$work/marker" | wc -l)
	archs=$(find "$src/libgit.a" "$src/xdiff/lib.a" "$src/reftable/libreftable.a" -newer "$work/marker" 2>/dev/null | wc -l)
	tail -n +$((c0 + 1)) "$GB_COMPILES" 2>/dev/null | sed 's,.*/,,' | sort | uniq -c >"$work/logs/$cfg-$scn.compiled" || true
	m=$(mismatch_lines "$log") s=$(stats_mismatches "$stats") j=$(jsonl_mismatches "$jsonl")
	printf '%s,%s,%.1f,%d,%s,%s,%d,%d,%d,%s,%.1f,%.1f\n' "$cfg" "$scn" "$wall" \
		$((($(lines "$GB_COMPILES") - c0) / n)) "$relinked" "$sha" "$objs" "$archs" "$m" "$s" \
		"$(echo "$user + $sys" | bc)" \
		"$(echo "scale = 2; f = ($b1 - $b0) / 100 - $user - $sys; if (f < 0) f = 0; f" | bc)" | tee -a "$csv" >&2
	check_mismatches "$m" "$s" "$j"
	check_hash "$scn" "$(state_of "$scn")" git_sha256 "$sha"
}

for cfg in "${configs[@]}"; do
	export CCACHE_DIR=$work/ccache-$cfg STABLE_DIR=$work/stable-$cfg
	GB_COMPILES=$work/count-$cfg GB_LINKS=$work/links-$cfg
	rm -rf "$CCACHE_DIR" "$STABLE_DIR" "$GB_COMPILES" "$GB_LINKS" "$work/logs/$cfg"-*
	stable_env "$cfg"
	seen_hash=()
	ar=ar
	case $cfg in
	plain) cc=gcc ;;
	ccache) cc="ccache gcc" ;;
	stablecc | stablecc-verify | stablecc-keep) cc="stablecc gcc" ar=stable-ar ;;
	stablecc-ccache) cc="stablecc ccache gcc" ar=stable-ar ;;
	esac
	build() {
		make -C "$src" -j"$jobs" CC="$cc" AR="$ar" CFLAGS=-O2 NO_CURL=1 NO_OPENSSL=1 NO_EXPAT=1 \
			NO_GETTEXT=1 NO_TCLTK=1 NO_PERL=1 NO_PYTHON=1 "$@" git
	}
	say "== $cfg: CC=\"$cc\" AR=$ar $(env | grep '^STABLE_[A-Z]*=' | grep -v STABLE_DIR | tr '\n' ' ')"
	make -C "$src" clean >"$work/logs/$cfg-make-clean.log" 2>&1

	step clean
	step noop
	touch "$src/git-compat-util.h"
	step touch-git-compat-util.h
	step again-touch
	echo '/* git.sh: a comment that changes no code */' >>"$src/diff.c"
	step comment-diff.c
	step again-comment
	sed 's/vreportf(_("fatal: "), err, params);/vreportf(_("fatal! "), err, params);/' "$pristine/usage.c" >"$src/usage.c"
	grep -q '"fatal! "' "$src/usage.c" || die "usage.c: die_builtin's \"fatal: \" not found"
	step change-usage.c
	step again-change
	cat "$pristine/usage.c" >"$src/usage.c" # original content, mtime now
	step revert-usage.c
	step again-revert
	restore_source
	csv_sort
done

run_plot
summary
