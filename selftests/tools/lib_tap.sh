# SPDX-License-Identifier: GPL-2.0
# shellcheck shell=bash
#
# TAP for the host-side test scripts of selftests/tools, sourced: each
# result numbered as it comes, the plan and a count at the end.
#
#   result ok|fail NAME [DETAIL...]   one result; DETAILs are comment lines
#   tap_finish                        the plan and the count; false if any
#                                     result failed

testno=0
failed=0

result()
{
	testno=$((testno + 1))
	if [ "$1" = ok ]; then
		echo "ok $testno $2"
	else
		failed=$((failed + 1))
		echo "not ok $testno $2"
		[ $# -gt 2 ] && printf '%s\n' "${@:3}" | sed 's/^/# /'
	fi
	return 0
}

tap_finish()
{
	echo "1..$testno"
	echo "# $((testno - failed)) passed, $failed failed"
	[ "$failed" -eq 0 ]
}
