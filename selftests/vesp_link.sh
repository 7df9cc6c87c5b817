#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# The vesp link type through rtnetlink: creation and deletion, MTU bounds,
# the IFLA_INFO_DATA attributes (fwmark, flags) at creation and through
# changelink, strict rejection of malformed attributes, the transmit path
# without SAs, and many devices at once.
#
# Each test runs in a namespace of its own; no packet leaves it:
#
#	+---------------------- $ns ----------------------+
#	|                                                 |
#	|  vesp0  10.0.0.1 peer 10.0.0.2                  |
#	|    ping 10.0.0.2 -> no SA: dropped, counted     |
#	|                     as a tx carrier error       |
#	+-------------------------------------------------+
#
# Usage: vesp_link.sh [-v] [-p] [TEST]...

# shellcheck disable=SC2317 # test_* functions are called by name
source "$(dirname "$(readlink -f "$0")")/lib.sh"

TESTS="
	create_delete		ip link add/del: point-to-point, NOARP, no link-layer address, default MTU
	mtu_bounds_set		ip link set mtu: minimum and maximum accepted, one beyond rejected
	mtu_bounds_create	MTU at creation: minimum and maximum accepted, one beyond rejected
	reject_lladdr		a link-layer address is rejected at creation
	attrs_create		fwmark and flags given at creation are reported back
	attrs_changelink	changelink updates fwmark and flags, each on its own
	reject_unknown_attr	unknown IFLA_INFO_DATA attribute types are rejected
	reject_bad_length	attributes of the wrong size are rejected
	reject_unknown_flag	unknown IFLA_VESP_FLAGS bits are rejected
	tx_without_sa		packets sent without SAs are counted as tx carrier errors
	many_devices		1000 devices created and deleted with ip -batch
"

# What the design promises: 68 is the smallest MTU IPv4 allows; 1395 is
# 1500 less the worst-case ESP overhead over an IPv6 underlay.
VESP_MIN_MTU=68
VESP_DEFAULT_MTU=1395

# The extack texts of the kernel's attribute validation (lib/nlattr.c):
# rtnetlink's own liberal parse rejects a too short attribute and bad flag
# bits, the module's strict validation everything else.
MSG_UNKNOWN_ATTR="Unknown attribute type"
MSG_TOO_SHORT="Attribute failed policy validation"
MSG_TOO_LONG="invalid attribute length"
MSG_RESERVED_BIT="reserved bit set"

# check_rejected RC MSG WHAT: the request failed with exactly "Error: MSG".
check_rejected()
{
	local rc=$1 msg=$2 what=$3

	check_fail "$rc" "$what: accepted" || return
	check_eq "$CMD_OUT" "Error: $msg" "$what: error"
}

test_create_delete()
{
	local ns flags

	setup_ns ns || return
	run_cmd ip -n "$ns" link add vesp0 type vesp
	check_err $? "ip link add vesp0 type vesp: $CMD_OUT" || return

	check_eq "$(link_json "$ns" vesp0 .linkinfo.info_kind)" vesp "kind"
	flags=,$(link_json "$ns" vesp0 '.flags | join(",")'),
	[[ $flags == *,POINTOPOINT,* ]] || fail "flags $flags lack POINTOPOINT"
	[[ $flags == *,NOARP,* ]] || fail "flags $flags lack NOARP"
	[[ $flags == *,BROADCAST,* ]] && fail "flags $flags have BROADCAST"
	check_eq "$(link_json "$ns" vesp0 .link_type)" none "link type"
	check_eq "$(link_json "$ns" vesp0 'has("address")')" false \
		"has a link-layer address"
	check_eq "$(link_json "$ns" vesp0 .mtu)" "$VESP_DEFAULT_MTU" "default MTU"
	check_eq "$(link_json "$ns" vesp0 .min_mtu)" "$VESP_MIN_MTU" "minimum MTU"

	run_cmd ip -n "$ns" link set vesp0 up
	check_err $? "ip link set vesp0 up: $CMD_OUT"
	run_cmd ip -n "$ns" link del vesp0
	check_err $? "ip link del vesp0: $CMD_OUT"
	link_exists "$ns" vesp0 && fail "vesp0 still exists after deletion"
	check_eq "$(count_vesp "$ns")" 0 "vesp links left"
}

test_mtu_bounds_set()
{
	local ns max

	setup_ns ns || return
	run_cmd ip -n "$ns" link add vesp0 type vesp
	check_err $? "ip link add: $CMD_OUT" || return
	max=$(link_json "$ns" vesp0 .max_mtu)
	((max > VESP_DEFAULT_MTU)) ||
		fail "maximum MTU $max not above the default $VESP_DEFAULT_MTU"

	run_cmd ip -n "$ns" link set vesp0 mtu "$VESP_MIN_MTU"
	check_err $? "mtu $VESP_MIN_MTU refused: $CMD_OUT"
	check_eq "$(link_json "$ns" vesp0 .mtu)" "$VESP_MIN_MTU" "MTU"

	run_cmd ip -n "$ns" link set vesp0 mtu $((VESP_MIN_MTU - 1))
	check_fail $? "mtu $((VESP_MIN_MTU - 1)) accepted"
	check_match "$CMD_OUT" "^Error: mtu less than device minimum" "error"
	check_eq "$(link_json "$ns" vesp0 .mtu)" "$VESP_MIN_MTU" "MTU after refusal"

	run_cmd ip -n "$ns" link set vesp0 mtu "$max"
	check_err $? "mtu $max refused: $CMD_OUT"
	check_eq "$(link_json "$ns" vesp0 .mtu)" "$max" "MTU"

	run_cmd ip -n "$ns" link set vesp0 mtu $((max + 1))
	check_fail $? "mtu $((max + 1)) accepted"
	check_match "$CMD_OUT" "^Error: mtu greater than device maximum" "error"
	check_eq "$(link_json "$ns" vesp0 .mtu)" "$max" "MTU after refusal"
}

test_mtu_bounds_create()
{
	local ns max

	setup_ns ns || return
	run_cmd ip -n "$ns" link add vesp-ref type vesp
	check_err $? "ip link add: $CMD_OUT" || return
	max=$(link_json "$ns" vesp-ref .max_mtu)

	vesp_rtnl "$ns" add vesp0 mtu $((VESP_MIN_MTU - 1))
	check_fail $? "created with mtu $((VESP_MIN_MTU - 1))"
	check_eq "$CMD_OUT" "Error: mtu less than device minimum" "error"
	link_exists "$ns" vesp0 && fail "vesp0 created despite the error"

	vesp_rtnl "$ns" add vesp0 mtu $((max + 1))
	check_fail $? "created with mtu $((max + 1))"
	check_eq "$CMD_OUT" "Error: mtu greater than device maximum" "error"
	link_exists "$ns" vesp0 && fail "vesp0 created despite the error"

	vesp_rtnl "$ns" add vesp0 mtu "$VESP_MIN_MTU"
	check_err $? "mtu $VESP_MIN_MTU refused: $CMD_OUT"
	check_eq "$(link_json "$ns" vesp0 .mtu)" "$VESP_MIN_MTU" "MTU"

	vesp_rtnl "$ns" add vesp1 mtu "$max"
	check_err $? "mtu $max refused: $CMD_OUT"
	check_eq "$(link_json "$ns" vesp1 .mtu)" "$max" "MTU"
	check_eq "$(count_vesp "$ns")" 3 "vesp links"
}

test_reject_lladdr()
{
	local ns

	setup_ns ns || return
	run_cmd ip -n "$ns" link add vesp0 address 02:00:00:00:00:01 type vesp
	check_fail $? "created with a link-layer address"
	check_eq "$CMD_OUT" "Error: vesp: vesp devices have no link-layer address." \
		"error"
	link_exists "$ns" vesp0 && fail "vesp0 created despite the error"
}

test_attrs_create()
{
	local ns

	setup_ns ns || return
	run_cmd ip -n "$ns" link add vesp0 type vesp
	check_err $? "ip link add: $CMD_OUT" || return
	check_vesp_attrs "$ns" vesp0 0 0 "defaults"

	vesp_rtnl "$ns" add vesp1 fwmark 0x2a flags 1
	check_err $? "add with fwmark and flags: $CMD_OUT" || return
	check_vesp_attrs "$ns" vesp1 42 1 "set at creation"

	# All 32 bits, to catch truncation or sign trouble.
	vesp_rtnl "$ns" add vesp2 fwmark 0xffffffff
	check_err $? "add with fwmark 0xffffffff: $CMD_OUT" || return
	check_vesp_attrs "$ns" vesp2 4294967295 0 "largest fwmark"
}

test_attrs_changelink()
{
	local ns

	setup_ns ns || return
	run_cmd ip -n "$ns" link add vesp0 type vesp
	check_err $? "ip link add: $CMD_OUT" || return

	vesp_rtnl "$ns" set vesp0 fwmark 7
	check_err $? "set fwmark: $CMD_OUT"
	check_vesp_attrs "$ns" vesp0 7 0 "fwmark changed"

	vesp_rtnl "$ns" set vesp0 flags 1
	check_err $? "set flags: $CMD_OUT"
	check_vesp_attrs "$ns" vesp0 7 1 "flags changed, fwmark kept"

	vesp_rtnl "$ns" set vesp0 fwmark 0
	check_err $? "set fwmark 0: $CMD_OUT"
	check_vesp_attrs "$ns" vesp0 0 1 "fwmark cleared, flags kept"

	# Changes without IFLA_INFO_DATA leave the attributes alone.
	vesp_rtnl "$ns" set vesp0 mtu 1300
	check_err $? "set mtu through changelink: $CMD_OUT"
	check_eq "$(link_json "$ns" vesp0 .mtu)" 1300 "MTU"
	run_cmd ip -n "$ns" link set vesp0 up mtu 1280
	check_err $? "ip link set: $CMD_OUT"
	check_vesp_attrs "$ns" vesp0 0 1 "after MTU changes"
}

# check_attr_rejected NS MSG WHAT ARG...: "add" and "set" with ARG both fail
# with MSG, the first creating nothing, the second changing nothing.
check_attr_rejected()
{
	local ns=$1 msg=$2 what=$3

	shift 3
	vesp_rtnl "$ns" add vesp1 "$@"
	check_rejected $? "$msg" "add with $what"
	link_exists "$ns" vesp1 && fail "vesp1 created with $what"

	vesp_rtnl "$ns" set vesp0 fwmark 9 flags 0 "$@"
	check_rejected $? "$msg" "changelink with $what"
	check_vesp_attrs "$ns" vesp0 5 1 "after changelink with $what"
}

# A link to try changelink on, with settings a partial update would lose.
setup_reject_test()
{
	setup_ns "$1" || return
	vesp_rtnl "${!1}" add vesp0 fwmark 5 flags 1
	check_err $? "add: $CMD_OUT"
}

test_reject_unknown_attr()
{
	local ns

	setup_reject_test ns || return
	# Just past the last known type, far past it, and the reserved 0.
	check_attr_rejected "$ns" "$MSG_UNKNOWN_ATTR" "type IFLA_VESP_MAX + 1" \
		raw 3 u32 1
	check_attr_rejected "$ns" "$MSG_UNKNOWN_ATTR" "type 1000" \
		raw 1000 u32 1
	check_attr_rejected "$ns" "$MSG_UNKNOWN_ATTR" "type 0" \
		raw 0 u32 1
	check_eq "$(count_vesp "$ns")" 1 "vesp links"
}

test_reject_bad_length()
{
	local ns

	setup_reject_test ns || return
	check_attr_rejected "$ns" "$MSG_TOO_SHORT" "u16 fwmark" raw 1 u16 5
	check_attr_rejected "$ns" "$MSG_TOO_SHORT" "u8 flags" raw 2 u8 1
	check_attr_rejected "$ns" "$MSG_TOO_SHORT" "empty fwmark" raw 1 bytes ""
	check_attr_rejected "$ns" "$MSG_TOO_LONG" "u64 fwmark" raw 1 u64 5
	check_attr_rejected "$ns" "$MSG_TOO_LONG" "u64 flags" raw 2 u64 1
	check_eq "$(count_vesp "$ns")" 1 "vesp links"
}

test_reject_unknown_flag()
{
	local ns

	setup_reject_test ns || return
	check_attr_rejected "$ns" "$MSG_RESERVED_BIT" "flags 0x4" flags 0x4
	check_attr_rejected "$ns" "$MSG_RESERVED_BIT" "flags 0x7" flags 0x7
	check_attr_rejected "$ns" "$MSG_RESERVED_BIT" "flags 0x80000000" \
		flags 0x80000000
	check_eq "$(count_vesp "$ns")" 1 "vesp links"
}

tx_counter()
{
	link_json "$1" vesp0 ".stats64.tx.$2"
}

counter_at_least()
{
	(($(tx_counter "$1" "$2") >= $3))
}

test_tx_without_sa()
{
	local ns sent counter
	local -A before

	setup_ns ns || return
	run_cmd ip -n "$ns" link add vesp0 type vesp
	check_err $? "ip link add: $CMD_OUT" || return
	ip -n "$ns" addr add 10.0.0.1/32 peer 10.0.0.2/32 dev vesp0
	ip -n "$ns" link set vesp0 up
	for counter in packets bytes errors dropped carrier_errors; do
		before[$counter]=$(tx_counter "$ns" "$counter")
	done

	# No reply can come; ping's own count says how many left the socket.
	run_cmd ip netns exec "$ns" ping -c 3 -i 0.2 -W 1 10.0.0.2
	sent=$(sed -n 's/^\([0-9]\+\) packets transmitted.*/\1/p' <<< "$CMD_OUT")
	check_eq "$sent" 3 "packets ping sent" || return

	busywait "$BUSYWAIT_TIMEOUT" counter_at_least "$ns" carrier_errors \
		$((before[carrier_errors] + sent))
	check_eq "$(tx_counter "$ns" carrier_errors)" \
		$((before[carrier_errors] + sent)) "tx carrier errors"
	# Carrier errors are one kind of tx error, not drops or packets sent.
	check_eq "$(tx_counter "$ns" errors)" $((before[errors] + sent)) \
		"tx errors"
	check_eq "$(tx_counter "$ns" dropped)" "${before[dropped]}" "tx dropped"
	check_eq "$(tx_counter "$ns" packets)" "${before[packets]}" "tx packets"
	check_eq "$(tx_counter "$ns" bytes)" "${before[bytes]}" "tx bytes"
}

test_many_devices()
{
	local ns count=1000 i

	setup_ns ns || return
	run_cmd ip -n "$ns" -batch - <<< "$(for ((i = 0; i < count; i++)); do
		echo "link add vesp$i type vesp"
	done)"
	check_err $? "ip -batch link add: $CMD_OUT"
	check_eq "$(count_vesp "$ns")" "$count" "vesp links after creation"

	run_cmd ip -n "$ns" -batch - <<< "$(for ((i = 0; i < count; i++)); do
		echo "link del vesp$i"
	done)"
	check_err $? "ip -batch link del: $CMD_OUT"
	check_eq "$(count_vesp "$ns")" 0 "vesp links after deletion"
}

vesp_run_tests "$@"
