#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# `make check`: every test vesp has, in one run. Each stage prints TAP;
# its top-level "ok"/"not ok" lines are counted, and a stage that fails
# without reporting a failed test counts as one failure of its own. The run
# ends with one line "N passed, N failed[, N skipped]" and exits non-zero
# on any failure.
#
# Usage: check.sh [STAGE...]   stages: deps build unit static spec kunit vm
#
# Full output of every stage also goes to $VESP_CHECK_LOG (default
# /var/tmp/vesp-check), one file per stage.

set -u

top=$(cd "$(dirname "$0")/../.." && pwd)
logdir=${VESP_CHECK_LOG:-/var/tmp/vesp-check}
all_stages="deps build unit static spec kunit vm"
stages=${*:-$all_stages}

passed=0
failed=0
skipped=0
built=1

mkdir -p "$logdir"

stage_cmd()
{
	case "$1" in
	deps)	echo "$top/selftests/tools/deps.sh check" ;;
	build)	echo "make -C $top all" ;;
	unit)	echo "make -s -C $top/userspace check" ;;
	static)	echo "$top/selftests/tools/static-checks.sh" ;;
	spec)	echo "/usr/bin/python3 $top/selftests/tools/check-netlink-spec.py" ;;
	kunit)	echo "$top/selftests/kunit/run.sh" ;;
	vm)	echo "$top/selftests/vm/run.sh" ;;
	*)	return 1 ;;
	esac
}

# Stages whose output is not TAP count as one test: did the command work.
stage_is_tap()
{
	case "$1" in
	deps|build) return 1 ;;
	*) return 0 ;;
	esac
}

# The VM's TAP nests each script's cases one level down ("# ok 3 name")
# under the script's own result; the harness adds top-level "vm:" results.
# Cases are what count. A script that failed without a failed case (it
# crashed or timed out) counts as one failure.
count_vm()
{
	local log=$1 top_fail nested_fail

	p=$(grep -cE '^# +ok [0-9]+' "$log")
	s=$(grep -cE '^# +ok [0-9]+.*# *(SKIP|skip)' "$log")
	nested_fail=$(grep -cE '^# +not ok [0-9]+' "$log")
	p=$((p - s + $(grep -cE '^ok [0-9]+ vm:' "$log")))
	f=$((nested_fail + $(grep -cE '^not ok [0-9]+ vm:' "$log")))
	top_fail=$(grep -E '^not ok [0-9]+' "$log" | grep -cv ' vm:')
	[ "$nested_fail" -lt "$top_fail" ] && f=$((f + top_fail - nested_fail))
	return 0
}

run_stage()
{
	local stage=$1 cmd log rc p f s start

	if ! cmd=$(stage_cmd "$stage"); then
		echo "check.sh: unknown stage '$stage' (stages: $all_stages)" >&2
		failed=$((failed + 1))
		return
	fi
	log=$logdir/$stage.log
	start=$SECONDS
	echo "### $stage: $cmd"
	if [ "$stage" = vm ] || [ "$stage" = kunit ] || [ "$stage" = unit ]; then
		if [ "$built" -eq 0 ]; then
			echo "not ok $stage # the build failed"
			failed=$((failed + 1))
			return
		fi
	fi

	$cmd 2>&1 | tee "$log"
	rc=${PIPESTATUS[0]}

	if [ "$stage" = vm ]; then
		count_vm "$log"
	elif stage_is_tap "$stage"; then
		p=$(grep -cE '^ok [0-9]+' "$log")
		s=$(grep -cE '^ok [0-9]+.*# *(SKIP|skip)' "$log")
		f=$(grep -cE '^not ok [0-9]+' "$log")
		p=$((p - s))
		if [ "$rc" -ne 0 ] && [ "$f" -eq 0 ]; then
			echo "not ok $stage # exited $rc without reporting a failed test"
			f=1
		fi
	else
		p=0; s=0; f=0
		if [ "$rc" -eq 0 ]; then p=1; else f=1; fi
		[ "$stage" = build ] && [ "$rc" -ne 0 ] && built=0
	fi
	passed=$((passed + p))
	failed=$((failed + f))
	skipped=$((skipped + s))
	echo "### $stage: $p passed, $f failed, $s skipped ($((SECONDS - start)) s)"
}

for stage in $stages; do
	run_stage "$stage"
done

summary="$passed passed, $failed failed"
[ "$skipped" -gt 0 ] && summary="$summary, $skipped skipped"
echo "$summary"
[ "$failed" -eq 0 ]
