# SPDX-License-Identifier: GPL-2.0
# shellcheck shell=bash disable=SC2034,SC2154 # globals shared with run.sh
#
# TAP assembly for run.sh's test mode, sourced: counts the results that
# pass through, numbers the harness's own, and notes each test that
# reported no case of its own. tools/test-harness.sh tests it alone.
#
# Uses: tests (the tests asked for). Sets: passed, failed, skipped,
# number (the last result's), caseless (tests that ran no case),
# first_test_at.

passed=0
failed=0
skipped=0
number=0
caseless=()

count_result()
{
	case "$1" in
	"not ok "*)		failed=$((failed + 1)) ;;
	"ok "*"# SKIP"*)	skipped=$((skipped + 1)) ;;
	"ok "*)			passed=$((passed + 1)) ;;
	esac
}

# STATUS NAME [DIRECTIVE], numbered after the previous result.
tap_result()
{
	local line

	number=$((number + 1))
	line="$1 $number $2${3:+ # $3}"
	count_result "$line"
	echo "$line"
}

# Pass the guest's TAP through as it arrives, making room in its plan for
# the harness's own four results. kselftest's runner prints a test's own
# results indented ("# ok 3 name") between its header ("# selftests: ...")
# and its top-level result; a test that printed none ran nothing, however
# it exited.
stream_guest_tap()
{
	local line cases=0

	while IFS= read -r line || [ -n "$line" ]; do
		case "$line" in
		"TAP version "*)
			first_test_at=$EPOCHREALTIME ;;
		1..*)
			line="1..$((${#tests[@]} + 4))" ;;
		"# selftests: "*)
			cases=0 ;;
		"# ok "[0-9]*|"# not ok "[0-9]*)
			cases=$((cases + 1)) ;;
		esac
		if [[ "$line" =~ ^(not\ )?ok\ ([0-9]+)\ *([^#]*[^\ #])? ]]; then
			number=${BASH_REMATCH[2]}
			count_result "$line"
			[ "$cases" = 0 ] && caseless+=("${BASH_REMATCH[3]:-test $number}")
			cases=0
		fi
		echo "$line"
	done
}

# The harness's result for caseless tests; tests the VM never got to
# count as caseless too.
report_caseless()
{
	local index name

	for ((index = number; index < ${#tests[@]}; index++)); do
		name="selftests: vesp: $(basename "${tests[index]}")"
		tap_result "not ok" "$name" "no result: the VM stopped"
		caseless+=("$name")
	done
	if [ ${#caseless[@]} = 0 ]; then
		tap_result ok "vm: every test ran a case"
	else
		printf '# ran no case: %s\n' "${caseless[@]}"
		tap_result "not ok" "vm: every test ran a case"
	fi
}
