#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# Helpers shared by the vesp selftests; every vesp_*.sh script sources it.
#
# A script lists its tests in TESTS, one "name  description" per line, and
# implements each as a function test_<name>, then ends with
# "vesp_run_tests "$@"". That parses -v and -p, checks that the module is
# there (and whatever an optional vesp_require function checks), runs the
# tests named on the command line (all of them by default) and prints one
# KTAP result per test.
#
# Inside a test, check_* record the first failure and let the test go on;
# setup_ns creates namespaces and defer registers cleanup. Both are undone
# when the test ends, passed or not, so each test starts from a clean slate.

ksft_pass=0
ksft_fail=1
ksft_skip=4

# TCG emulation is slow: wait generously for things that will happen.
: "${WAIT_TIMEOUT:=60}"
BUSYWAIT_TIMEOUT=$((WAIT_TIMEOUT * 1000))

SELFTEST_DIR=$(dirname "$(readlink -f "${BASH_SOURCE[0]}")")
VESP_RTNL=${VESP_RTNL:-$SELFTEST_DIR/vesp-rtnl}

VERBOSE=0
PAUSE_ON_FAIL=0
NS_LIST=()
DEFER_LIST=()
KTAP_TESTNO=0
KTAP_CNT_PASS=0
KTAP_CNT_FAIL=0

##############################################################################
# KTAP output

ktap_print_msg()
{
	local line

	while IFS= read -r line; do
		echo "# $line"
	done <<< "$*"
}

ktap_result()
{
	local result=$1 name=$2 directive=${3:-}

	KTAP_TESTNO=$((KTAP_TESTNO + 1))
	echo "$result $KTAP_TESTNO $name${directive:+ # $directive}"
}

ktap_print_totals()
{
	echo "# Totals: pass:$KTAP_CNT_PASS fail:$KTAP_CNT_FAIL xfail:0 xpass:0 skip:0 error:0"
}

# Nothing of the script can run: one plan line saying why, then exit 4.
ktap_skip_all()
{
	echo "TAP version 13"
	echo "1..0 # SKIP $*"
	exit $ksft_skip
}

# The script cannot go on: tell the runner and fail.
ktap_bail_out()
{
	echo "Bail out! $*"
	ktap_print_totals
	exit $ksft_fail
}

##############################################################################
# Assertions; they record the first failure of the running test in RET and
# RET_MSG, keep later ones from hiding it, and return the check's result.

fail()
{
	if [ "$RET" -ne "$ksft_fail" ]; then
		RET=$ksft_fail
		RET_MSG=$1
	fi
	((VERBOSE)) && ktap_print_msg "FAIL: $1"
	return 1
}

# check_err RC MSG: the previous command must have succeeded.
check_err()
{
	[ "$1" -eq 0 ] || fail "$2"
}

# check_fail RC MSG: the previous command must have failed.
check_fail()
{
	[ "$1" -ne 0 ] || fail "$2"
}

# check_eq GOT WANT WHAT
check_eq()
{
	[ "$1" == "$2" ] || fail "$3: got '$1', expected '$2'"
}

# check_match TEXT REGEX WHAT: extended regex, case-insensitive.
check_match()
{
	local text=$1 regex=$2

	shopt -s nocasematch
	if [[ $text =~ $regex ]]; then
		shopt -u nocasematch
		return 0
	fi
	shopt -u nocasematch
	fail "$3: '$text' does not match /$regex/"
}

##############################################################################
# Running commands and waiting

# run_cmd CMD...: runs CMD, keeps its stdout and stderr in CMD_OUT, shows
# both with -v and returns CMD's status.
run_cmd()
{
	local rc

	CMD_OUT=$("$@" 2>&1)
	rc=$?
	if ((VERBOSE)); then
		ktap_print_msg "COMMAND: $* (exit $rc)"
		[ -z "$CMD_OUT" ] || ktap_print_msg "$CMD_OUT"
	fi
	return $rc
}

# loopy_wait SLEEP_CMD TIMEOUT_MS CMD...: retries CMD until it succeeds or
# the time is up.
loopy_wait()
{
	local sleep_cmd=$1 timeout_ms=$2
	local start_ms

	shift 2
	start_ms=$(date +%s%3N)
	until "$@"; do
		(($(date +%s%3N) - start_ms <= timeout_ms)) || return 1
		$sleep_cmd
	done
}

busywait()
{
	local timeout_ms=$1

	shift
	loopy_wait : "$timeout_ms" "$@"
}

# slowwait TIMEOUT_S CMD...: for what takes seconds (netns teardown).
slowwait()
{
	local timeout_s=$1

	shift
	loopy_wait "sleep 0.1" $((timeout_s * 1000)) "$@"
}

##############################################################################
# Namespaces and cleanup

# defer CMD...: runs CMD when the test ends, the last registered first.
defer()
{
	DEFER_LIST+=("$(printf '%q ' "$@")")
}

run_deferred()
{
	local i

	for ((i = ${#DEFER_LIST[@]} - 1; i >= 0; i--)); do
		eval "${DEFER_LIST[i]}" &> /dev/null
	done
	DEFER_LIST=()
}

netns_exists()
{
	ip netns list | awk '{ print $1 }' | grep -qxF "$1"
}

netns_gone()
{
	! netns_exists "$1"
}

cleanup_ns()
{
	local ns ret=0

	for ns in "$@"; do
		ip netns pids "$ns" 2> /dev/null | xargs -r kill
		ip netns delete "$ns" &> /dev/null
		if ! busywait $BUSYWAIT_TIMEOUT netns_gone "$ns"; then
			ktap_print_msg "warning: namespace $ns was not removed"
			ret=1
		fi
	done
	return $ret
}

# setup_ns VAR...: creates one namespace per VAR, named after it with a
# random suffix so that runs in parallel do not collide, and stores the
# name in VAR. Loopback is up; IPv6 stays off on new links unless a test
# enables it, so that no router solicitation or MLD report shows up in the
# counters the tests read.
setup_ns()
{
	# Odd local names: a caller's VAR must not be shadowed here.
	local __setup_ns_var __setup_ns_name

	for __setup_ns_var in "$@"; do
		__setup_ns_name=${__setup_ns_var,,}-$(mktemp -u XXXXXX)
		if ! ip netns add "$__setup_ns_name"; then
			fail "cannot create namespace $__setup_ns_name"
			return 1
		fi
		NS_LIST+=("$__setup_ns_name")
		ip -n "$__setup_ns_name" link set lo up
		ip netns exec "$__setup_ns_name" \
			sysctl -qw net.ipv6.conf.default.disable_ipv6=1
		printf -v "$__setup_ns_var" '%s' "$__setup_ns_name"
	done
}

# netns_delete_and_wait NS OBSERVER: deletes NS and waits until the kernel
# has torn it down completely, its devices freed; fails the test if not.
# A veth probe from NS into OBSERVER vanishes when cleanup_net() unregisters
# NS's devices; cleanup_net() then waits for the last reference to each of
# them. The "netns" workqueue is ordered, so a second namespace deleted
# after that point is torn down by the next cleanup_net(), and its own
# probe vanishes only once NS's teardown has returned.
netns_delete_and_wait()
{
	local ns=$1 observer=$2 next probe

	probe=$(mktemp -u probe-XXXXXX)
	if ! ip -n "$ns" link add "$probe" type veth peer name "$probe" \
			netns "$observer"; then
		fail "cannot add a veth probe to $ns (CONFIG_VETH)"
		return
	fi
	ip netns delete "$ns"
	if ! slowwait "$WAIT_TIMEOUT" link_gone "$observer" "$probe"; then
		fail "devices of $ns still there ${WAIT_TIMEOUT}s after ip netns delete"
		return
	fi

	setup_ns next || return
	ip -n "$next" link add "$probe" type veth peer name "$probe" netns "$observer"
	ip netns delete "$next"
	slowwait "$WAIT_TIMEOUT" link_gone "$observer" "$probe" ||
		fail "teardown of $ns unfinished after ${WAIT_TIMEOUT}s: a device reference leaked?"
}

# public_copy VAR FILE: sets VAR to a copy of FILE that any user may read
# and run, in a scratch directory removed when the test ends. A test that
# runs a file as another user runs such a copy: the checkout may sit where
# only root can enter (under /root, and always in the VM).
public_copy()
{
	local __public_dir

	__public_dir=$(mktemp -d /tmp/vesp-public.XXXXXX) || return
	defer rm -rf "$__public_dir"
	chmod 0755 "$__public_dir" && install -m 0755 "$2" "$__public_dir/" ||
		return
	printf -v "$1" '%s' "$__public_dir/$(basename "$2")"
}

cleanup_all()
{
	run_deferred
	cleanup_ns "${NS_LIST[@]}"
	NS_LIST=()
}

##############################################################################
# Link queries

# link_json NS DEV JQ_FILTER: one field of "ip -d -s -s -j link show".
link_json()
{
	local ns=$1 dev=$2 filter=$3

	ip -n "$ns" -d -s -s -j link show dev "$dev" | jq -r ".[0] | $filter"
}

# netns_opt NS: ip's option for NS; none for "", the script's own netns.
netns_opt()
{
	[ -z "$1" ] || echo "-n $1"
}

# link_exists NS DEV
link_exists()
{
	# shellcheck disable=SC2046 # netns_opt is split on purpose
	ip $(netns_opt "$1") link show dev "$2" &> /dev/null
}

link_gone()
{
	! link_exists "$1" "$2"
}

# count_vesp [NS]: vesp links in NS, by default in the script's own netns.
count_vesp()
{
	# shellcheck disable=SC2046 # netns_opt is split on purpose
	ip $(netns_opt "${1:-}") -o link show type vesp | wc -l
}

# vesp_rtnl NS ARG...: the helper, inside NS; output in CMD_OUT.
vesp_rtnl()
{
	local ns=$1

	shift
	run_cmd ip netns exec "$ns" "$VESP_RTNL" "$@"
}

# check_vesp_attrs NS DEV FWMARK FLAGS WHAT: what "vesp-rtnl get" reports.
check_vesp_attrs()
{
	local ns=$1 dev=$2 fwmark=$3 flags=$4 what=$5

	vesp_rtnl "$ns" get "$dev"
	check_err $? "$what: vesp-rtnl get $dev: $CMD_OUT" || return
	check_eq "${CMD_OUT//$'\n'/ }" "fwmark $fwmark flags $flags" "$what"
}

##############################################################################
# Test selection and main loop

usage()
{
	echo "Usage: $0 [-v] [-p] [TEST]..."
	echo "  -v  verbose: show commands and their output"
	echo "  -p  pause on failure, before cleanup, to inspect the state"
	echo "Tests (all of them by default):"
	echo "$TESTS" | awk 'NF { name = $1; sub(/^[ \t]*[^ \t]+[ \t]+/, "")
		printf "  %-22s%s\n", name, $0 }'
}

test_names()
{
	echo "$TESTS" | awk 'NF { print $1 }'
}

require_cmds()
{
	local cmd

	for cmd in "$@"; do
		command -v "$cmd" > /dev/null ||
			ktap_bail_out "$cmd is required but not installed"
	done
}

# The vesp module must be there for every script; load it if it is not.
require_vesp()
{
	[ "$(id -u)" -eq 0 ] || ktap_skip_all "must run as root"
	[ -x "$VESP_RTNL" ] ||
		ktap_bail_out "$VESP_RTNL missing: build it with make -C $SELFTEST_DIR"
	[ -d /sys/module/vesp ] || modprobe -q vesp ||
		ktap_skip_all "vesp module not loaded and modprobe vesp failed"
}

run_one_test()
{
	local name=$1

	RET=$ksft_pass
	RET_MSG=
	((VERBOSE)) && ktap_print_msg "=== $name"
	"test_$name"
	if [ "$RET" -eq "$ksft_fail" ] && ((PAUSE_ON_FAIL)); then
		ktap_print_msg "$name failed: $RET_MSG"
		echo "Paused before cleanup; press Enter to continue."
		read -r
	fi
	cleanup_all || fail "namespace cleanup failed"

	if [ "$RET" -eq "$ksft_pass" ]; then
		KTAP_CNT_PASS=$((KTAP_CNT_PASS + 1))
		ktap_result ok "$name"
	else
		KTAP_CNT_FAIL=$((KTAP_CNT_FAIL + 1))
		ktap_print_msg "$RET_MSG"
		ktap_result "not ok" "$name"
	fi
}

vesp_run_tests()
{
	local all selected=() name opt

	while getopts "vph" opt; do
		case $opt in
		v) VERBOSE=1 ;;
		p) PAUSE_ON_FAIL=1 ;;
		h) usage; exit $ksft_pass ;;
		*) usage >&2; exit $ksft_fail ;;
		esac
	done
	shift $((OPTIND - 1))

	all=$(test_names)
	for name in "$@"; do
		if ! grep -qx "$name" <<< "$all"; then
			echo "$0: unknown test '$name'" >&2
			usage >&2
			exit $ksft_fail
		fi
		selected+=("$name")
	done
	[ ${#selected[@]} -gt 0 ] || mapfile -t selected <<< "$all"

	require_cmds ip jq
	require_vesp
	# A script may need more, e.g. a module file to reload.
	if declare -F vesp_require > /dev/null; then
		vesp_require
	fi
	trap cleanup_all EXIT
	# The runner's timeout sends TERM: still clean up on the way out.
	trap 'exit $ksft_fail' INT TERM

	echo "TAP version 13"
	echo "1..${#selected[@]}"
	for name in "${selected[@]}"; do
		run_one_test "$name"
	done
	ktap_print_totals

	[ "$KTAP_CNT_FAIL" -eq 0 ] || exit $ksft_fail
	exit $ksft_pass
}
