# common.sh: what the real-tree benchmarks share (sourced, not run).
#
# A counting shim named gcc goes first in PATH: it logs every real compile
# (-c, but not a probe of /dev/null) matching $COUNT_MATCH before running
# /usr/bin/gcc, so a compile ccache answers or stablecc skips is not
# counted. step NAME times one make and appends a CSV row:
#   config,scenario,seconds,compiles,relinked,sha256
# where relinked tells whether $PRODUCT's mtime changed, and sha256 is
# the start of $PRODUCT's hash (it must be equal across configurations).

setup_shim() { # setup_shim DIR
	mkdir -p "$1"
	cat > "$1/gcc" <<'SHIM'
#!/bin/sh
case " $* " in
*/dev/null*) ;;
*" -c "*) case " $* " in *"$COUNT_MATCH"*) echo x >> "$COUNT_FILE" ;; esac ;;
esac
exec /usr/bin/gcc "$@"
SHIM
	chmod +x "$1/gcc"
	export PATH="$1:$PATH"
}

# snapshot_bin DIR: copy stable's installed binaries aside and put them
# first in PATH, so reinstalling during a long run changes nothing.
snapshot_bin() {
	mkdir -p "$1"
	local b
	for b in stable stablecc stable-ar stable-objcopy stable-cp stable-install; do
		cp "$(command -v "$b")" "$1/"
	done
	export PATH="$1:$PATH"
}

cc_for() {
	case $1 in
	plain) echo gcc ;;
	ccache) echo "ccache gcc" ;;
	stablecc | stablecc-keep | stablecc-bare) echo "stablecc gcc" ;;
	stablecc-ccache) echo "stablecc ccache gcc" ;;
	*) echo "unknown configuration $1" >&2; exit 2 ;;
	esac
}

# use_config CFG WORK: fresh caches and counter for one configuration.
use_config() {
	export CCACHE_DIR=$2/ccache-$1 STABLE_DIR=$2/stable-$1 COUNT_FILE=$2/count-$1
	rm -rf "$CCACHE_DIR" "$STABLE_DIR" "$COUNT_FILE"
	CFG=$1 CC_CMD=$(cc_for "$1") LOGDIR=$2
	# stablecc and stablecc-ccache are the whole setup: settled objects and
	# archives through stable-ar; stablecc-keep is stablecc's default.
	AR_CMD=ar
	export STABLE_SETTLE=0
	case $1 in stablecc | stablecc-ccache) AR_CMD=stable-ar STABLE_SETTLE=1 ;; esac
}

count() { [ -f "$COUNT_FILE" ] && wc -l < "$COUNT_FILE" || echo 0; }

step() { # step NAME: run build (a function the script defines), log a row
	local before mt_before=none t0 t1 relinked=no
	before=$(count)
	[ -f "$PRODUCT" ] && mt_before=$(stat -c %y "$PRODUCT")
	t0=$(date +%s.%N)
	build >/dev/null 2>"$LOGDIR/stderr-$CFG-$1" || { echo "build failed: $LOGDIR/stderr-$CFG-$1" >&2; exit 1; }
	t1=$(date +%s.%N)
	[ "$(stat -c %y "$PRODUCT")" != "$mt_before" ] && relinked=yes
	printf '%s,%s,%.1f,%d,%s,%s\n' "$CFG" "$1" "$(echo "$t1 - $t0" | bc)" \
		$(( $(count) - before )) "$relinked" "$(sha256sum "$PRODUCT" | cut -c1-16)" | tee -a "$CSV"
}
