#!/usr/bin/env bash
# kernel.sh: time a Linux x86_64 tinyconfig build under plain gcc, ccache
# gcc, stablecc gcc and stablecc ccache gcc, through the scenarios that make
# a build cascade: clean build, no-op make, a touched header (then make
# again), a comment appended to one source.
#
#   bench/kernel.sh [CONFIG...]        CONFIG: plain ccache stablecc stablecc-ccache
#
# Needs: /usr/src/linux-source-6.12.tar.xz (apt-get install linux-source-6.12
# flex bison bc libelf-dev libssl-dev), gcc, ccache, and stable's binaries
# in PATH (go install ./cmd/...). Work happens in $KBENCH (default
# /tmp/stable-kbench); results are appended to bench/results/kernel.csv.
# "compiles" counts kernel compiles that really ran (see common.sh);
# the product whose relink and hash are reported is vmlinux.
#
# x86_64 tinyconfig runs objtool on every object right after the compiler,
# rewriting it in place. With stablecc, objtool is wrapped too
# (objtool="stable run --inplace -- ./tools/objtool/objtool"), so an object
# that comes out the same keeps its inode and mtime; the configuration
# stablecc-bare leaves objtool alone to show what it does otherwise.
set -euo pipefail

here=$(cd "$(dirname "$0")" && pwd)
. "$here/common.sh"
work=${KBENCH:-/tmp/stable-kbench}
src=$work/linux-source-6.12
CSV=$here/results/kernel.csv
configs=("$@")
[ ${#configs[@]} -gt 0 ] || configs=(plain ccache stablecc stablecc-ccache)

export KBUILD_BUILD_TIMESTAMP='Thu Jan  1 00:00:00 UTC 2026'
export KBUILD_BUILD_USER=bench KBUILD_BUILD_HOST=bench KBUILD_BUILD_VERSION=1
export LC_ALL=C COUNT_MATCH=" -D__KERNEL__ "

mkdir -p "$work" "$here/results"
[ -d "$src" ] || tar -C "$work" -xf /usr/src/linux-source-6.12.tar.xz
cp -p "$src/kernel/fork.c" "$work/fork.c.pristine"
snapshot_bin "$work/bin"
setup_shim "$work/shim"
[ -f "$CSV" ] || echo "config,scenario,seconds,compiles,relinked,sha256" > "$CSV"

for cfg in "${configs[@]}"; do
	use_config "$cfg" "$work"
	out=$work/out-$cfg
	PRODUCT=$out/vmlinux
	rm -rf "$out"
	objtool=()
	case $cfg in stablecc | stablecc-ccache) objtool=(objtool="stable run --inplace -- ./tools/objtool/objtool") ;; esac
	build() { make -s -C "$src" O="$out" ARCH=x86_64 -j2 CC="$CC_CMD" "${objtool[@]}" "$@"; }
	build tinyconfig >/dev/null
	step clean
	step noop
	touch "$src/include/linux/kernel.h"
	step touch-kernel.h
	step again
	echo '/* a comment */' >> "$src/kernel/fork.c"
	step comment-fork.c
	cp -p "$work/fork.c.pristine" "$src/kernel/fork.c"
done
