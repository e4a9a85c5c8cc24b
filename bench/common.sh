# common.sh: what bench/kernel.sh and bench/git.sh share (sourced, not run).
#
# The sourcing script sets NAME (for messages), work (its work directory)
# and csv (its results file) before calling these, and defines build: one
# make of the tree, with make's arguments appended. cfg and scn name the
# configuration and scenario being measured.

say() { echo "$NAME: $*" >&2; }
die() { say "$*"; exit 2; }

# loud MESSAGE: a finding that must not go unnoticed (a hash that differs
# from plain's, a verify mismatch). Printed at once between blank lines,
# repeated in the summary at the end, and the script then exits 1.
problems=()
loud() {
	problems+=("$*")
	printf '\n%s: !!!!!!!!!! %s\n\n' "$NAME" "$*" >&2
}

# summary: the loud findings of the whole run again; the exit status the
# script ends with.
summary() {
	if [ ${#problems[@]} -eq 0 ]; then
		say "every product matched plain's at every step; no verify mismatch"
		return 0
	fi
	say "${#problems[@]} problem(s):"
	printf '  %s\n' "${problems[@]}" >&2
	return 1
}

lines() { [ -f "$1" ] && wc -l <"$1" || echo 0; }

# Known configurations, in the order of the results files (plain first: it
# is the reference every other configuration's products are compared with).
CONFIG_ORDER=(plain ccache stablecc stablecc-ccache stablecc-verify stablecc-keep stablecc-bare)

# order_configs CONFIG...: the configurations to run, plain first, each once.
order_configs() {
	local c k
	for k in "${CONFIG_ORDER[@]}"; do
		for c in "$@"; do [ "$c" = "$k" ] && { echo "$c"; break; }; done
	done
	for c in "$@"; do
		case " ${CONFIG_ORDER[*]} " in *" $c "*) ;; *) echo "$c" ;; esac
	done | awk '!seen[$0]++'
}

# csv_open HEADER CONFIG...: start $csv for this run. Rows of the
# configurations being run go; other rows stay (a file with another header
# is started anew).
csv_open() {
	local header=$1 tmp
	shift
	mkdir -p "$(dirname "$csv")"
	tmp=$(mktemp "$csv.XXXXXX")
	echo "$header" >"$tmp"
	if [ -f "$csv" ] && [ "$(head -1 "$csv")" = "$header" ]; then
		tail -n +2 "$csv" | awk -F, -v drop=" $* " 'index(drop, " " $1 " ") == 0' >>"$tmp"
	elif [ -f "$csv" ]; then
		say "$csv has other columns: starting it anew"
	fi
	mv "$tmp" "$csv"
}

# csv_sort: rows grouped by configuration, in CONFIG_ORDER (plain first),
# each configuration's rows in the order they were written.
csv_sort() {
	local tmp
	tmp=$(mktemp "$csv.XXXXXX")
	awk -F, -v order="${CONFIG_ORDER[*]}" '
		NR == 1 { print; n = split(order, o, " "); for (i = 1; i <= n; i++) rank[o[i]] = i; next }
		{ r = ($1 in rank) ? rank[$1] : 99; printf "%02d %08d %s\n", r, NR, $0 }' "$csv" >"$tmp.rows"
	{ head -1 "$tmp.rows"; tail -n +2 "$tmp.rows" | sort -k1,1n -k2,2n | cut -d' ' -f3-; } >"$tmp"
	rm -f "$tmp.rows"
	mv "$tmp" "$csv"
}

# column_of NAME: the 1-based index of a column of $csv.
column_of() { head -1 "$csv" | tr ',' '\n' | grep -nx "$1" | cut -d: -f1; }

# plain_value SCENARIO COLUMN: plain's value of COLUMN for SCENARIO, or "".
plain_value() {
	awk -F, -v s="$1" -v c="$(column_of "$2")" '$1 == "plain" && $2 == s { v = $c } END { print v }' "$csv"
}

# require_plain CONFIG...: plain is the reference, so it must be among the
# configurations being run (it then runs first) or have rows in $csv.
require_plain() {
	case " $* " in *" plain "*) return 0 ;; esac
	[ -n "$(plain_value clean seconds)" ] ||
		die "plain is the reference and has no rows in $csv: run plain first ($0 plain $*)"
}

# busy_ticks: CPU time used by the whole machine so far, in 1/100 s.
busy_ticks() { awk '/^cpu / { print $2 + $3 + $4 + $7 + $8 + $9; exit }' /proc/stat; }

# wait_idle: timings on a shared machine mean nothing while others compute;
# wait until the machine is idle (under 15% of one CPU over 2 s), at most
# IDLE_WAIT seconds (default 900).
wait_idle() {
	local b0 b1 waited=0
	while :; do
		b0=$(busy_ticks)
		sleep 2
		b1=$(busy_ticks)
		[ $((b1 - b0)) -lt 30 ] && return 0
		if [ "$waited" -ge "${IDLE_WAIT:-900}" ]; then
			[ "${IDLE_WAIT:-900}" -gt 0 ] && say "machine still busy after ${waited}s, measuring anyway"
			return 0
		fi
		[ "$waited" = 0 ] && say "waiting for the machine to be idle ..."
		sleep 8
		waited=$((waited + 10))
	done
}

# snapshot_bin DIR: copy stable's binaries aside and put them first in
# PATH, so that a reinstall during a long run changes nothing.
snapshot_bin() {
	local b p
	command -v stablecc >/dev/null || return 0
	mkdir -p "$1"
	for b in stable stablecc stable-ar stable-ranlib stable-objcopy stable-cp stable-install; do
		p=$(command -v "$b" || true)
		[ -n "$p" ] || continue
		[ "$p" = "$1/$b" ] && continue
		cp "$p" "$1/.$b.new" && mv "$1/.$b.new" "$1/$b" # never write a running binary
	done
	export PATH="$1:$PATH"
}

# need_stable CONFIG: a stable configuration needs the wrappers in PATH.
need_stable() {
	case $1 in
	stablecc*) command -v stablecc >/dev/null && command -v stable >/dev/null && command -v stable-ar >/dev/null ||
		die "stablecc, stable-ar and stable must be in PATH (GOBIN=DIR go install ./cmd/..., DIR first in PATH)" ;;
	esac
	case $1 in
	*ccache*) command -v ccache >/dev/null || die "ccache not found (apt-get install -y ccache)" ;;
	esac
}

# stable_env CONFIG: the environment of stable's wrappers for a
# configuration. A caller's own stable settings never leak into a run.
#   stablecc, stablecc-ccache  nothing set: the wrappers' defaults (settling
#                              is the default; STABLE_SETTLE=0 is the old
#                              keep-the-mtime behaviour)
#   stablecc-verify            STABLE_VERIFY=1: records are used, but every
#                              skip and every kept output is checked by
#                              running the tool; each step also writes
#                              STABLE_LOG=logs/CONFIG-SCENARIO.jsonl
#   stablecc-keep              STABLE_SETTLE=0
stable_env() {
	unset STABLE_DISABLE STABLE_NORECORDS STABLE_DEBUG STABLE_LOG STABLE_SETTLE STABLE_VERIFY STABLE_MAXSIZE
	case $1 in
	stablecc-verify) export STABLE_VERIFY=1 ;;
	stablecc-keep) export STABLE_SETTLE=0 ;;
	esac
	case $1 in stablecc*) stable_cfg=yes ;; *) stable_cfg=no ;; esac
}

# timed_build LOG TIMES [ARGS]: one make (build ARGS), its output appended
# to LOG, its times to TIMES (wall user sys, TIMEFORMAT='%R %U %S').
# A wrapper that finds a verify mismatch exits non-zero, which stops make;
# the mismatch is counted from LOG, and make is run again (up to 4 times)
# so that the tree is finished and its products can still be compared.
timed_build() {
	local log=$1 tf=$2 try=1 m0 m1
	shift 2
	while :; do
		m0=$(mismatch_lines "$log")
		{ time build "$@" >>"$log" 2>&1; } 2>"$tf" && return 0
		m1=$(mismatch_lines "$log")
		if [ "$m1" -gt "$m0" ] && [ "$try" -lt 5 ]; then
			loud "$cfg/$scn: make stopped on $((m1 - m0)) VERIFY MISMATCH(es), see $log; making again"
			try=$((try + 1))
			continue
		fi
		say "make failed for $cfg/$scn, see $log"
		tail -20 "$log" >&2
		exit 1
	done
}

# mismatch_lines LOG: lines of LOG in which a wrapper reported a verify
# mismatch (STABLE_VERIFY=1).
mismatch_lines() {
	[ -f "$1" ] || { echo 0; return; }
	grep -c 'stable: VERIFY MISMATCH' "$1" || true
}

# stats_mismatches STATS: the "verify mismatches N" row of `stable stats`
# output, or "-" when there is none (not a stable configuration, or
# binaries from before STABLE_VERIFY).
stats_mismatches() {
	local n=""
	[ -f "$1" ] && n=$(awk '/^verify mismatches/ { print $NF; exit }' "$1")
	echo "${n:--}"
}

# jsonl_mismatches FILE: STABLE_LOG lines whose decision is "mismatch".
jsonl_mismatches() {
	[ -f "$1" ] || { echo 0; return; }
	grep -c '"decision": *"mismatch"' "$1" || true
}

# median_of WALL...: the median of the numbers given.
median_of() { printf '%s\n' "$@" | sort -n | awk '{ v[NR] = $1 } END { print v[int((NR + 1) / 2)] }'; }

# check_mismatches LOGCOUNT STATSCOUNT JSONCOUNT: loud when any witness
# saw a mismatch, or when they disagree.
check_mismatches() {
	local m=$1 s=$2 j=$3
	if [ "$m" != 0 ] || { [ "$s" != - ] && [ "$s" != 0 ]; } || [ "$j" != 0 ]; then
		loud "$cfg/$scn: VERIFY MISMATCH: $m in make's output, $s in stable stats, $j in STABLE_LOG"
	elif [ "$stable_cfg" = yes ] && [ "${STABLE_VERIFY:-}" = 1 ] && [ "$s" = - ]; then
		[ -n "${warned_no_verify:-}" ] ||
			say "note: stable stats has no \"verify mismatches\" row: these binaries predate STABLE_VERIFY, which they ignore"
		warned_no_verify=1
	fi
}

# check_hash SCENARIO STATE COLUMN HASH: the product's hash must equal
# plain's for the same scenario (plain: nothing to compare with) and, within
# this configuration, the hash of every earlier scenario whose source tree
# was the same (STATE names the tree: orig, change, config); a tree that
# differs from the original must give another product.
declare -A seen_hash=()
check_hash() {
	local s=$1 state=$2 col=$3 h=$4 ref
	if [ "$cfg" != plain ]; then
		ref=$(plain_value "$s" "$col")
		if [ -z "$ref" ]; then
			say "warning: plain has no $col for $s to compare with"
		elif [ "$h" != "$ref" ]; then
			loud "$cfg/$s: $col ${h:0:16} differs from plain's ${ref:0:16}"
		fi
	fi
	if [ -n "${seen_hash[$col/$state]:-}" ]; then
		[ "$h" = "${seen_hash[$col/$state]}" ] ||
			loud "$cfg/$s: $col ${h:0:16} differs from ${seen_hash[$col/$state]:0:16}, that of an earlier step on the same source ($state): not reproducible"
	else
		seen_hash[$col/$state]=$h
		if [ "$state" != orig ] && [ "$h" = "${seen_hash[$col/orig]:-}" ]; then
			loud "$cfg/$s: $col is the original's although the source changed ($state): the change changed nothing"
		fi
	fi
}

# run_plot: the markdown tables of $csv (and its PNG when matplotlib is there).
run_plot() {
	local py=/usr/bin/python3
	[ -x "$py" ] || py=$(command -v python3 || true)
	if [ -z "$py" ]; then
		say "no python3: no tables (bench/plot.py $csv)"
		return 0
	fi
	"$py" "$(dirname "${BASH_SOURCE[0]}")/plot.py" "$csv" || true # its exit status: see summary
}
