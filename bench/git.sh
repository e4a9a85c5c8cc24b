#!/usr/bin/env bash
# git.sh: the kernel scenarios on a second real tree, git 2.39 from
# Debian's source package (its Makefile writes -MMD -MP depfiles).
#
#   bench/git.sh [CONFIG...]   CONFIG: plain ccache stablecc stablecc-ccache stablecc-keep
#
# stablecc and stablecc-ccache build with AR=stable-ar STABLE_SETTLE=1 (the
# whole setup); stablecc-keep is stablecc's default (no settling).
#
# Needs: a deb-src line for bookworm (apt-get source --download-only git
# into $GITBENCH), gcc, ccache, zlib1g-dev, stable's binaries in PATH.
# Results: bench/results/git.csv. The touched header is git-compat-util.h,
# which every source includes; the comment goes into diff.c.
set -euo pipefail

here=$(cd "$(dirname "$0")" && pwd)
. "$here/common.sh"
work=${GITBENCH:-/tmp/stable-gitbench}
CSV=$here/results/git.csv
configs=("$@")
[ ${#configs[@]} -gt 0 ] || configs=(plain ccache stablecc stablecc-ccache stablecc-keep)
export LC_ALL=C COUNT_MATCH=" -o "

mkdir -p "$work" "$here/results"
if [ ! -d "$work/git-2.39.5" ]; then
	(cd "$work" && { ls git_*.orig.tar.xz >/dev/null 2>&1 || apt-get source --download-only git; } &&
		tar xf git_*.orig.tar.xz)
fi
src=$work/git-2.39.5
cp -p "$src/diff.c" "$work/diff.c.pristine"
snapshot_bin "$work/bin"
setup_shim "$work/shim"
[ -f "$CSV" ] || echo "config,scenario,seconds,compiles,relinked,sha256" > "$CSV"
PRODUCT=$src/git

build() {
	make -C "$src" -j2 CC="$CC_CMD" AR="$AR_CMD" CFLAGS=-O2 NO_CURL=1 NO_OPENSSL=1 NO_EXPAT=1 \
		NO_GETTEXT=1 NO_TCLTK=1 NO_PERL=1 NO_PYTHON=1 git
}

for cfg in "${configs[@]}"; do
	use_config "$cfg" "$work"
	make -C "$src" clean >/dev/null 2>&1
	step clean
	step noop
	touch "$src/git-compat-util.h"
	step touch-git-compat-util.h
	step again
	echo '/* a comment */' >> "$src/diff.c"
	step comment-diff.c
	cp -p "$work/diff.c.pristine" "$src/diff.c"
done
