#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# Run vesp's KUnit suites under User Mode Linux with the kernel's own
# tools/testing/kunit/kunit.py, and print the result as TAP: kunit.py's
# output as "# " lines, then one "ok"/"not ok" line per test case and one
# for the kernel log (see results-to-tap.py). The raw log stays in
# $VESP_CACHE/kunit/build/test.log.
#
# kunit.py needs the module inside a kernel tree. The scratch tree under
# $VESP_CACHE/kunit/src is a hard-link copy of Debian's linux-source (free,
# and with the pristine mtimes, so builds stay incremental); kmod/ and the
# uapi header are symlinked into it, so edits in the repository are seen
# by the next run. Objects go to $VESP_CACHE/kunit/build.
#
# Usage: run.sh [kunit.py run arguments, e.g. a filter glob 'vesp-device.*']
# Exits 0 only if the kernel built, every test case passed or skipped and
# the kernel logged no BUG, WARNING or UBSAN report.

set -eu

here=$(cd "$(dirname "$0")" && pwd)
repo=$(cd "$here/../.." && pwd)
cache=${VESP_CACHE:-/var/cache/vesp}
pristine=$("$repo/selftests/tools/linux-tree.sh")
work=$cache/kunit
tree=$work/src
build=$work/build
results=$build/vesp-results.json

mkdir -p "$work"
# One run at a time: runs share the scratch tree and the build directory.
exec 9>"$work/.lock"
flock 9

# A build directory from an older source tree would hold objects newer
# than the new sources, which make would wrongly keep.
if [ ! -e "$tree/.vesp-scratch" ] ||
   [ "$pristine/.vesp-unpacked" -nt "$tree/.vesp-scratch" ]; then
	rm -rf "$tree" "$build"
	cp -al "$pristine" "$tree"
	touch "$tree/.vesp-scratch"
fi

# Replace $1 by the pristine file plus the line $2, as a new file (the old
# one may be a hard link into the pristine tree), and only if it differs:
# an unchanged file keeps its mtime, so kbuild has nothing to redo.
add_line() {
	local file=$1 line=$2 want

	want=$(cat "$pristine/$file" && printf '%s' "$line")
	[ "$(cat "$tree/$file")" = "$want" ] && return
	printf '%s\n' "$want" > "$tree/$file.vesp-new"
	mv "$tree/$file.vesp-new" "$tree/$file"
}

link() {
	[ "$(readlink "$tree/$2")" = "$1" ] || ln -sfn "$1" "$tree/$2"
}

link "$repo/kmod" drivers/net/vesp
link "$repo/uapi/linux/vesp.h" include/uapi/linux/vesp.h
add_line drivers/net/Kconfig 'source "drivers/net/vesp/Kconfig"'
add_line drivers/net/Makefile 'obj-$(CONFIG_VESP) += vesp/'

echo "TAP version 13"
rm -f "$results"
# kunit.py ends with "stty sane", which complains when there is no tty.
# Compiler messages name files by their path in the repository.
set +e
/usr/bin/python3 "$tree/tools/testing/kunit/kunit.py" run \
	--kunitconfig="$here/vesp.kunitconfig" --build_dir="$build" \
	--jobs="$(nproc)" --json="$results" "$@" 2>&1 |
	sed -u -e "/^stty: 'standard input': Inappropriate ioctl/d" \
		-e "s|$tree/drivers/net/vesp/|$repo/kmod/|g" -e 's/^/# /'
kunit_status=${PIPESTATUS[0]}
set -e

if [ ! -s "$results" ]; then
	echo "Bail out! kunit.py gave no results (exit $kunit_status): config, build or boot failed"
	exit 1
fi
/usr/bin/python3 "$here/results-to-tap.py" "$results" "$build/test.log" || exit 1
# kunit.py also fails on what the per-case lines cannot show, such as a
# kernel that crashed after the last result.
if [ "$kunit_status" -ne 0 ]; then
	echo "# kunit.py exited with status $kunit_status"
	exit 1
fi
