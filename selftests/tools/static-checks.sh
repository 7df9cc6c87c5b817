#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# Static checks of the kernel code, printed as TAP: checkpatch --strict on
# every C file and header under kmod/ and uapi/ (one point each), then a
# W=1 build and a sparse pass against the newest installed kernel headers
# (or those of $KVER).
#
# The builds run on a fresh copy of the sources under
# $VESP_CACHE/static-checks: kbuild only recompiles what changed, so a copy
# shows every warning on every run, and the repository's own objects are
# neither rebuilt with W=1 nor raced by a concurrent build.
#
# Usage: static-checks.sh
# Exits 0 only if every point passed.

set -u

repo=$(cd "$(dirname "$0")/../.." && pwd)
cache=${VESP_CACHE:-/var/cache/vesp}
linux=$("$repo/selftests/tools/linux-tree.sh") || exit 1
work=$cache/static-checks
scratch=$work/src

newest_kernel() {
	local build v

	for build in /lib/modules/*/build; do
		v=${build#/lib/modules/}
		v=${v%/build}
		[ -d "$build/" ] && [ -e "/boot/vmlinuz-$v" ] && echo "$v"
	done | sort -V | tail -n 1
}

KVER=${KVER:-$(newest_kernel)}
if [ -z "$KVER" ]; then
	echo "static-checks.sh: no kernel with headers installed (selftests/tools/deps.sh build)" >&2
	exit 1
fi

cd "$repo" || exit 1
mapfile -t files < <(find kmod uapi -name '*.[ch]' ! -name '*.mod.c' | sort)

echo "TAP version 13"
echo "1..$((${#files[@]} + 2))"
echo "# kernel headers: /lib/modules/$KVER/build"
n=0
failed=0

# point PASSED NAME DETAILS: one test point; DETAILS follow as "# " lines.
point() {
	n=$((n + 1))
	if [ "$1" = yes ]; then
		echo "ok $n $2"
	else
		echo "not ok $n $2"
		failed=$((failed + 1))
	fi
	[ -z "$3" ] || sed 's/^/# /' <<< "$3"
}

start=$SECONDS
for f in "${files[@]}"; do
	if out=$(perl "$linux/scripts/checkpatch.pl" --no-tree --strict \
		--terse --show-types -f "$f" 2>&1); then
		point yes "checkpatch $f" ""
	else
		point no "checkpatch $f" "$out"
	fi
done
echo "# checkpatch took $((SECONDS - start)) s"

# kbuild for the copy, with its paths shown relative to the repository.
kmake() {
	make -C "/lib/modules/$KVER/build" M="$scratch" CONFIG_VESP=m W=1 \
		"$@" 2>&1 | sed "s|$scratch/||g"
	return "${PIPESTATUS[0]}"
}

mkdir -p "$work"
# One run at a time: runs share the copy.
exec 9>"$work/.lock"
flock 9
rm -rf "$scratch"
mkdir "$scratch"
rsync -a --exclude='*.mod.c' --include='*/' --include='*.[ch]' \
	--include=Kbuild --include=Kconfig --include=Makefile --exclude='*' \
	Kbuild kmod uapi "$scratch/"

# Debian's kernel has no KUnit, so the KUnit suites are compiled (the kmod/
# target stops before modpost) but the module is linked without them.
start=$SECONDS
out=$(kmake CONFIG_VESP_KUNIT_TEST=y kmod/ && kmake)
built=$?
if [ $built -eq 0 ] && ! grep -Eqi '(warning|error):' <<< "$out"; then
	point yes "W=1 build has no warnings" ""
else
	point no "W=1 build has no warnings" "$out"
fi
echo "# W=1 build took $((SECONDS - start)) s"

# Everything is compiled already, so each message now comes from sparse.
start=$SECONDS
if [ $built -ne 0 ]; then
	point no "sparse" "not run: the module does not build (see the W=1 build)"
else
	out=$(kmake CONFIG_VESP_KUNIT_TEST=y C=2 kmod/)
	status=$?
	checked=$(grep -c '^  CHECK ' <<< "$out")
	if [ $status -eq 0 ] && [ "$checked" -gt 0 ] &&
	   ! grep -Eqi '(warning|error):' <<< "$out"; then
		point yes "sparse" ""
	else
		point no "sparse" "$out"
	fi
	echo "# sparse checked $checked files in $((SECONDS - start)) s"
	for f in "${files[@]}"; do
		[[ $f == *.c ]] && ! grep -q "^  CHECK   $f\$" <<< "$out" &&
			echo "# not in the build, so not compiled or checked: $f"
	done
fi

echo "# $((n - failed)) passed, $failed failed"
[ "$failed" -eq 0 ]
