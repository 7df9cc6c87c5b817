#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# Do what a new user, or CI, does: clone the repository into a new folder
# with ../shared beside it, run `make demo` and `make check` there, and
# report how each ended. Run it before calling an issue done.
#
# Usage: fresh-clone.sh [-r REV] [-k] [PARENT...]
#   PARENT  where the temporary clone goes, one run each (default: /tmp);
#           for example: /tmp /root /var/tmp
#   -r REV  what to clone (default: HEAD; uncommitted changes never go)
#   -k      keep the clones (default: removed after a run that passed)
#
# Logs: /var/tmp/vesp-fresh/<parent>-<time>/{demo,check}.log, and make
# check's stage logs beside them. Exits non-zero if any run failed.

set -u

usage()
{
	sed -n 's/^# \{0,1\}//; 4,15p' "$0"
}

source_tree=$(cd "$(dirname "$0")/../.." && pwd)
rev=HEAD
keep=0
while getopts "r:kh" opt; do
	case $opt in
	r)	rev=$OPTARG ;;
	k)	keep=1 ;;
	h)	usage; exit 0 ;;
	*)	usage >&2; exit 2 ;;
	esac
done
shift $((OPTIND - 1))
[ $# -gt 0 ] || set -- /tmp

commit=$(git -C "$source_tree" rev-parse --verify "$rev^{commit}") ||
	{ echo "fresh-clone.sh: no revision $rev" >&2; exit 2; }
shared=$source_tree/../shared
logroot=/var/tmp/vesp-fresh
status=0
report=()

# run NAME LOG CMD...: CMD's output into LOG; a line for the report.
run()
{
	local name=$1 log=$2 start=$SECONDS rc last

	shift 2
	"$@" >"$log" 2>&1 </dev/null
	rc=$?
	last=$(grep -E '^([0-9]+ passed, [0-9]+ failed|vesp demo: )' "$log" | tail -n 1)
	report+=("$(printf '%-9s %-11s exit %d in %4d s  %s' "$parent" "$name" \
		"$rc" $((SECONDS - start)) "${last:-(no summary line)}")")
	return $rc
}

for parent in "$@"; do
	mkdir -p "$parent" || exit 2
	work=$(mktemp -d "$(readlink -f "$parent")/vesp-fresh.XXXXXX") || exit 2
	logs=$logroot/$(basename "$parent")-$(date +%Y%m%d-%H%M%S)
	mkdir -p "$logs"
	echo "fresh-clone.sh: $commit into $work/vesp, logs in $logs"
	git clone -q --no-hardlinks "$source_tree" "$work/vesp" &&
		git -C "$work/vesp" checkout -q "$commit" || exit 2
	[ -d "$shared" ] && cp -r "$shared" "$work/shared"

	failed=0
	run "make demo" "$logs/demo.log" make -C "$work/vesp" demo || failed=1
	run "make check" "$logs/check.log" \
		env VESP_CHECK_LOG="$logs/check" make -C "$work/vesp" check ||
		failed=1
	if [ $failed = 1 ]; then
		status=1
		echo "fresh-clone.sh: kept $work"
	elif [ $keep = 0 ]; then
		rm -rf "$work"
	fi
done

printf '%s\n' "${report[@]}"
exit $status
