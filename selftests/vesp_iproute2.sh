#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# Debian's own ip(8) with vesp's iproute2 plugin, link_vesp.so: "ip link
# add/set ... type vesp OPTIONS", "ip -d [-j] link show" and "ip link help
# vesp". ip loads link_KIND.so from $IP_LIB_DIR when that is set (its
# compiled-in directory, /usr/lib/x86_64-linux-gnu/ip, otherwise); the
# tests point it at the plugin of the build tree. What ip sent is read
# back with vesp-rtnl, which does not use the plugin.
#
# Each test runs in a namespace of its own; no packet leaves it:
#
#	+------------------- $ns -------------------+
#	|  vesp0, vesp1 (type vesp), dummy0         |
#	+-------------------------------------------+
#
# Usage: vesp_iproute2.sh [-v] [-p] [TEST]...

# shellcheck disable=SC2317 # test_* functions are called by name
source "$(dirname "$(readlink -f "$0")")/lib.sh"

TESTS="
	abi_symbols		every symbol the plugin takes from ip is one ip exports
	help			ip link help vesp prints the usage from the plugin
	add_defaults		ip -d link shows fwmark 0 and every flag off by default
	add_options		ip link add with fwmark and copy-dscp: sent and shown
	json			ip -d -j link: info_data holds fwmark and copy_dscp
	set_fwmark		ip link set type vesp fwmark keeps the flags
	set_flag		ip link set type vesp copy-dscp keeps the fwmark
	carrier_flag		carrier-liveness on: no live peer, carrier off; off again: on
	round_trip		the options ip -d prints, given back, make the same link
	reject_values		bad numbers, on/off values and options: ip's errors, no link
	reject_not_vesp		changing a flag of a non-vesp device is refused
"

# The build tree's plugin unless told otherwise (kernel tree layout:
# tools/testing/selftests/vesp/../iproute2 does not exist, so say where).
: "${VESP_IP_LIB_DIR:=$(dirname "$SELFTEST_DIR")/iproute2/build}"
export IP_LIB_DIR=$VESP_IP_LIB_DIR
PLUGIN=$IP_LIB_DIR/link_vesp.so

vesp_require()
{
	[ -r "$PLUGIN" ] ||
		ktap_bail_out "$PLUGIN missing: build it with make -C iproute2"
	require_cmds nm
}

# vesp_opts NS DEV: what ip -d prints after "vesp", up to the next field
# ip itself prints (addrgenmode, numtxqueues, ...).
vesp_opts()
{
	ip -n "$1" -d -o link show dev "$2" |
		sed -E -n 's/.* vesp (.*)$/\1/; s/ (addrgenmode|numtxqueues) .*//p'
}

test_abi_symbols()
{
	local sym exported missing=()

	# Unversioned undefined symbols are ip's; versioned ones are libc's;
	# weak ones (w) are the toolchain's and may stay unresolved.
	exported=$(nm -D --defined-only /usr/sbin/ip | awk '{ print $3 }')
	for sym in $(nm -D --undefined-only "$PLUGIN" | awk '$1 == "U" && $2 !~ /@/ { print $2 }'); do
		grep -qxF "$sym" <<< "$exported" || missing+=("$sym")
	done
	check_eq "${missing[*]}" "" "symbols /usr/sbin/ip does not export"
	nm -D --defined-only "$PLUGIN" | grep -qw vesp_link_util ||
		fail "the plugin does not export vesp_link_util"
}

test_help()
{
	run_cmd ip link help vesp
	check_err $? "ip link help vesp: $CMD_OUT"
	check_match "$CMD_OUT" "^Usage: \.\.\. vesp \[ fwmark MARK \]" "usage"
	check_match "$CMD_OUT" "\[ copy-dscp \{ on \| off \} \]" "copy-dscp in usage"

	run_cmd ip link add vesp0 type vesp help
	check_fail $? "\"type vesp help\" went on"
	check_match "$CMD_OUT" "^Usage: \.\.\. vesp " "usage after help"
}

test_add_defaults()
{
	local ns

	setup_ns ns || return
	run_cmd ip -n "$ns" link add vesp0 type vesp
	check_err $? "ip link add: $CMD_OUT" || return
	check_eq "$(vesp_opts "$ns" vesp0)" "fwmark 0 copy-dscp off carrier-liveness off" "ip -d link"
}

test_add_options()
{
	local ns

	setup_ns ns || return
	run_cmd ip -n "$ns" link add vesp0 type vesp fwmark 0x10 copy-dscp on
	check_err $? "ip link add: $CMD_OUT" || return
	check_vesp_attrs "$ns" vesp0 16 1 "attributes sent"
	check_eq "$(vesp_opts "$ns" vesp0)" "fwmark 0x10 copy-dscp on carrier-liveness off" "ip -d link"

	run_cmd ip -n "$ns" link add vesp1 type vesp copy-dscp off fwmark 4294967295
	check_err $? "ip link add vesp1: $CMD_OUT" || return
	check_vesp_attrs "$ns" vesp1 4294967295 0 "attributes sent"
	check_eq "$(vesp_opts "$ns" vesp1)" "fwmark 0xffffffff copy-dscp off carrier-liveness off" "ip -d link"
}

test_json()
{
	local ns

	setup_ns ns || return
	run_cmd ip -n "$ns" link add vesp0 type vesp fwmark 42 copy-dscp on
	check_err $? "ip link add: $CMD_OUT" || return
	check_eq "$(link_json "$ns" vesp0 .linkinfo.info_kind)" vesp "info_kind"
	check_eq "$(link_json "$ns" vesp0 '.linkinfo.info_data | tojson')" \
		'{"fwmark":42,"copy_dscp":true,"carrier_liveness":false}' "info_data"
	# for the record: what an operator sees
	ktap_print_msg "$(ip -n "$ns" -d link show dev vesp0)"
	ktap_print_msg "$(ip -n "$ns" -d -j link show dev vesp0 | jq -c '.[0].linkinfo')"

	run_cmd ip -n "$ns" link set vesp0 type vesp copy-dscp off fwmark 0
	check_err $? "ip link set: $CMD_OUT" || return
	check_eq "$(link_json "$ns" vesp0 '.linkinfo.info_data | tojson')" \
		'{"fwmark":0,"copy_dscp":false,"carrier_liveness":false}' "info_data after set"
}

test_set_fwmark()
{
	local ns

	setup_ns ns || return
	run_cmd ip -n "$ns" link add vesp0 type vesp copy-dscp on
	check_err $? "ip link add: $CMD_OUT" || return
	run_cmd ip -n "$ns" link set vesp0 type vesp fwmark 7
	check_err $? "ip link set fwmark: $CMD_OUT" || return
	check_vesp_attrs "$ns" vesp0 7 1 "after set fwmark"
	check_eq "$(vesp_opts "$ns" vesp0)" "fwmark 0x7 copy-dscp on carrier-liveness off" "ip -d link"

	run_cmd ip -n "$ns" link set dev vesp0 up type vesp fwmark 0
	check_err $? "ip link set up type vesp fwmark 0: $CMD_OUT" || return
	check_vesp_attrs "$ns" vesp0 0 1 "after set fwmark 0"
}

test_set_flag()
{
	local ns

	setup_ns ns || return
	run_cmd ip -n "$ns" link add vesp0 type vesp fwmark 9
	check_err $? "ip link add: $CMD_OUT" || return
	run_cmd ip -n "$ns" link set vesp0 type vesp copy-dscp on
	check_err $? "ip link set copy-dscp on: $CMD_OUT" || return
	check_vesp_attrs "$ns" vesp0 9 1 "after copy-dscp on"

	run_cmd ip -n "$ns" link set vesp0 type vesp copy-dscp on
	check_err $? "ip link set copy-dscp on again: $CMD_OUT" || return
	check_vesp_attrs "$ns" vesp0 9 1 "after copy-dscp on twice"

	run_cmd ip -n "$ns" link set vesp0 type vesp copy-dscp off
	check_err $? "ip link set copy-dscp off: $CMD_OUT" || return
	check_vesp_attrs "$ns" vesp0 9 0 "after copy-dscp off"
	check_eq "$(vesp_opts "$ns" vesp0)" "fwmark 0x9 copy-dscp off carrier-liveness off" "ip -d link"
}

test_carrier_flag()
{
	local ns

	setup_ns ns || return
	run_cmd ip -n "$ns" link add vesp0 type vesp copy-dscp on carrier-liveness on
	check_err $? "ip link add: $CMD_OUT" || return
	ip -n "$ns" link set vesp0 up
	check_vesp_attrs "$ns" vesp0 0 3 "both flags sent"
	check_eq "$(vesp_opts "$ns" vesp0)" "fwmark 0 copy-dscp on carrier-liveness on" \
		"ip -d link"
	# No peer has a live path: the carrier is off.
	check_eq "$(ip netns exec "$ns" cat /sys/class/net/vesp0/carrier)" 0 \
		"carrier with carrier-liveness on and no peer"

	run_cmd ip -n "$ns" link set vesp0 type vesp carrier-liveness off
	check_err $? "ip link set carrier-liveness off: $CMD_OUT" || return
	check_vesp_attrs "$ns" vesp0 0 1 "after carrier-liveness off"
	check_eq "$(ip netns exec "$ns" cat /sys/class/net/vesp0/carrier)" 1 \
		"carrier with carrier-liveness off"
}

test_round_trip()
{
	local ns opts

	setup_ns ns || return
	run_cmd ip -n "$ns" link add vesp0 type vesp fwmark 0xbeef copy-dscp on
	check_err $? "ip link add: $CMD_OUT" || return
	opts=$(vesp_opts "$ns" vesp0)
	# shellcheck disable=SC2086 # the options are words on purpose
	run_cmd ip -n "$ns" link add vesp1 type vesp $opts
	check_err $? "ip link add vesp1 type vesp $opts: $CMD_OUT" || return
	check_vesp_attrs "$ns" vesp1 48879 1 "vesp1 from ip -d's words"
	check_eq "$(vesp_opts "$ns" vesp1)" "$opts" "ip -d link of vesp1"
}

# reject NS WANT_REGEX ARG...: "ip -n NS link ARG..." fails with an error
# matching WANT_REGEX, and leaves no vesp9 behind.
reject()
{
	local ns=$1 want=$2

	shift 2
	run_cmd ip -n "$ns" link "$@"
	check_fail $? "ip link $* accepted" || return
	check_match "$CMD_OUT" "$want" "ip link $*"
	link_exists "$ns" vesp9 && fail "ip link $* created vesp9"
}

test_reject_values()
{
	local ns

	setup_ns ns || return
	reject "$ns" '^Error: argument "abc" is wrong: not a number' \
		add vesp9 type vesp fwmark abc
	reject "$ns" '^Error: argument "0x100000000" is wrong: not a number' \
		add vesp9 type vesp fwmark 0x100000000
	reject "$ns" '^Error: argument "-1" is wrong: not a number' \
		add vesp9 type vesp fwmark -1
	reject "$ns" '^Error: argument "yes" is wrong: must be "on" or "off"' \
		add vesp9 type vesp copy-dscp yes
	reject "$ns" '^Error: duplicate "fwmark": "2" is the second value' \
		add vesp9 type vesp fwmark 1 fwmark 2
	reject "$ns" '^Error: duplicate "copy-dscp": "off" is the second value' \
		add vesp9 type vesp copy-dscp on copy-dscp off
	reject "$ns" '^Command line is not complete' \
		add vesp9 type vesp fwmark
	reject "$ns" '^Error: unknown vesp option "frobnicate"' \
		add vesp9 type vesp frobnicate 1

	run_cmd ip -n "$ns" link add vesp0 type vesp fwmark 3
	check_err $? "ip link add vesp0: $CMD_OUT" || return
	reject "$ns" '^Error: argument "maybe" is wrong' \
		set vesp0 type vesp copy-dscp maybe
	check_vesp_attrs "$ns" vesp0 3 0 "after refused changes"
}

test_reject_not_vesp()
{
	local ns

	setup_ns ns || return
	run_cmd ip -n "$ns" link add dummy0 type dummy
	check_err $? "ip link add dummy0: $CMD_OUT" || return
	run_cmd ip -n "$ns" link set dummy0 type vesp copy-dscp on
	check_fail $? "copy-dscp set on a dummy device"
	check_eq "$CMD_OUT" "Error: the device is not a vesp device." "error"
}

vesp_run_tests "$@"
