#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# `make check`: every test vesp has, in one run. Each stage prints TAP;
# its top-level "ok"/"not ok" lines are counted, and a stage that fails
# without reporting a failed test counts as one failure of its own. The run
# ends with one line "N passed, N failed[, N skipped]" and exits non-zero
# on any failure.
#
# Usage: check.sh [STAGE...]
#   stages: deps build harness unit static spec completion units install
#           kunit vm demo
#   and, not run by default: deb (make deb, then the packages in the VM;
#   about 12 minutes of VM time)
#
# Full output of every stage also goes to $VESP_CHECK_LOG (default
# /var/tmp/vesp-check), one file per stage.

set -u

top=$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)
logdir=${VESP_CHECK_LOG:-/var/tmp/vesp-check}
all_stages="deps build harness unit static spec completion units install kunit vm demo"

passed=0
failed=0
skipped=0
built=1

stage_cmd()
{
	case "$1" in
	deps)	echo "$top/selftests/tools/deps.sh check" ;;
	build)	echo "make -C $top all" ;;
	unit)	echo "make -s -C $top/userspace check" ;;
	static)	echo "$top/selftests/tools/static-checks.sh" ;;
	spec)	echo "/usr/bin/python3 $top/selftests/tools/check-netlink-spec.py" ;;
	harness) echo "$top/selftests/tools/test-harness.sh" ;;
	completion) echo "$top/selftests/tools/test-completion.sh" ;;
	units)	echo "$top/selftests/tools/test-systemd-units.sh" ;;
	install) echo "$top/selftests/tools/test-install.sh" ;;
	deb)	echo "$top/selftests/tools/test-deb.sh" ;;
	kunit)	echo "$top/selftests/kunit/run.sh" ;;
	vm)	echo "$top/selftests/vm/run.sh" ;;
	demo)	echo "$top/selftests/demo/run.sh" ;;
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
# crashed or timed out) counts as one failure; so does a VM stage that ran
# no case at all, whatever its exit status (run.sh also fails each script
# that ran none).
count_vm()
{
	local log=$1 top_fail nested_fail cases

	p=$(grep -cE '^# +ok [0-9]+' "$log")
	s=$(grep -cE '^# +ok [0-9]+.*# *(SKIP|skip)' "$log")
	nested_fail=$(grep -cE '^# +not ok [0-9]+' "$log")
	cases=$((p + nested_fail))
	p=$((p - s + $(grep -cE '^ok [0-9]+ vm:' "$log")))
	f=$((nested_fail + $(grep -cE '^not ok [0-9]+ vm:' "$log")))
	top_fail=$(grep -E '^not ok [0-9]+' "$log" | grep -cv ' vm:')
	[ "$nested_fail" -lt "$top_fail" ] && f=$((f + top_fail - nested_fail))
	if [ "$cases" -eq 0 ]; then
		echo "not ok vm # the VM stage ran no test case"
		f=$((f + 1))
	fi
	return 0
}

# The demo's checks print "ok: WHAT" or "FAILED: WHAT". A demo that fails
# without a failed check, or that checked nothing, counts as one failure.
count_demo()
{
	local log=$1 rc=$2

	p=$(grep -cE '^ +ok: ' "$log")
	f=$(grep -cE '^ +FAILED: ' "$log")
	s=0
	if [ "$p" -eq 0 ] || { [ "$rc" -ne 0 ] && [ "$f" -eq 0 ]; }; then
		echo "not ok demo # exited $rc after $p passed checks"
		f=$((f + 1))
	fi
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
	if [ "$stage" != deps ] && [ "$stage" != build ] && [ "$stage" != harness ]; then
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
	elif [ "$stage" = demo ]; then
		count_demo "$log" "$rc"
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

main()
{
	local stage

	mkdir -p "$logdir"
	# shellcheck disable=SC2048 # stage names are words
	for stage in ${*:-$all_stages}; do
		run_stage "$stage"
	done

	summary="$passed passed, $failed failed"
	[ "$skipped" -gt 0 ] && summary="$summary, $skipped skipped"
	echo "$summary"
	[ "$failed" -eq 0 ]
}

# tools/test-harness.sh sources this file for its counting functions.
if [ "${BASH_SOURCE[0]}" = "$0" ]; then
	main "$@"
fi
