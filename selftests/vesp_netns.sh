#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# vesp devices and network namespaces: moving a device keeps its settings,
# a name clash in the target refuses the move, deleting a namespace deletes
# its devices without leaking them, and a device outlives the namespace it
# was created from (its underlay), losing only its carrier.
#
#	+---- $ns_a -----+  ip link set vesp0 netns  +---- $ns_b -----+
#	|  vesp0         | ------------------------> |  vesp0         |
#	|  mtu, fwmark,  | <------------------------ |  (same         |
#	|  flags         |                           |   settings)    |
#	+----------------+                           +----------------+
#
#	+--- $doomed ----+           veth            +-- $observer ---+
#	|  vesp0..vesp3  |  probe-XXXXXX ---------- probe-XXXXXX      |
#	+----------------+                           +----------------+
#	ip netns del $doomed: the probe vanishing in $observer, then a second
#	probe's, shows the teardown finished (see netns_delete_and_wait).
#
# Usage: vesp_netns.sh [-v] [-p] [TEST]...

# shellcheck disable=SC2317 # test_* functions are called by name
source "$(dirname "$(readlink -f "$0")")/lib.sh"

TESTS="
	move_keeps_config	a device moved to another netns and back keeps MTU, fwmark, flags
	move_name_clash		a move onto a name taken in the target netns is refused
	ns_delete_devices	deleting a netns deletes its vesp devices, leaking nothing
	underlay_ns_delete	a device outlives the netns it was created from, without carrier
"

# check_vesp_link NS DEV MTU FWMARK FLAGS WHAT
check_vesp_link()
{
	local ns=$1 dev=$2 mtu=$3 fwmark=$4 flags=$5 what=$6

	if ! link_exists "$ns" "$dev"; then
		fail "$what: no $dev in $ns"
		return
	fi
	check_eq "$(link_json "$ns" "$dev" .linkinfo.info_kind)" vesp "$what: kind"
	check_eq "$(link_json "$ns" "$dev" .mtu)" "$mtu" "$what: MTU"
	check_vesp_attrs "$ns" "$dev" "$fwmark" "$flags" "$what"
}

test_move_keeps_config()
{
	local ns_a ns_b

	setup_ns ns_a ns_b || return
	vesp_rtnl "$ns_a" add vesp0 mtu 1400 fwmark 7 flags 1
	check_err $? "add: $CMD_OUT" || return

	run_cmd ip -n "$ns_a" link set vesp0 netns "$ns_b"
	check_err $? "move to $ns_b: $CMD_OUT" || return
	link_exists "$ns_a" vesp0 && fail "vesp0 still in $ns_a after the move"
	check_vesp_link "$ns_b" vesp0 1400 7 1 "moved"

	# Changes in the new netns stick, and travel back.
	run_cmd ip -n "$ns_b" link set vesp0 mtu 1300
	check_err $? "mtu in $ns_b: $CMD_OUT"
	vesp_rtnl "$ns_b" set vesp0 fwmark 8
	check_err $? "changelink in $ns_b: $CMD_OUT"
	run_cmd ip -n "$ns_b" link set vesp0 netns "$ns_a"
	check_err $? "move back to $ns_a: $CMD_OUT" || return
	link_exists "$ns_b" vesp0 && fail "vesp0 still in $ns_b after moving back"
	check_vesp_link "$ns_a" vesp0 1300 8 1 "moved back"

	# The device works where it landed.
	run_cmd ip -n "$ns_a" link set vesp0 up
	check_err $? "up after moving back: $CMD_OUT"
}

test_move_name_clash()
{
	local ns_a ns_b

	setup_ns ns_a ns_b || return
	vesp_rtnl "$ns_a" add vesp0 fwmark 1
	check_err $? "add in $ns_a: $CMD_OUT" || return
	vesp_rtnl "$ns_b" add vesp0 fwmark 2
	check_err $? "add in $ns_b: $CMD_OUT" || return

	run_cmd ip -n "$ns_a" link set vesp0 netns "$ns_b"
	check_fail $? "moved onto a name taken in $ns_b"
	check_match "$CMD_OUT" "File exists" "error"
	check_vesp_link "$ns_a" vesp0 1395 1 0 "left behind"
	check_vesp_link "$ns_b" vesp0 1395 2 0 "already there"
	check_eq "$(count_vesp "$ns_b")" 1 "vesp links in $ns_b"

	# A new name in the same request resolves the clash.
	run_cmd ip -n "$ns_a" link set vesp0 netns "$ns_b" name vesp1
	check_err $? "move with a new name: $CMD_OUT"
	check_vesp_link "$ns_b" vesp1 1395 1 0 "moved and renamed"
	check_eq "$(count_vesp "$ns_a")" 0 "vesp links in $ns_a"
}

test_ns_delete_devices()
{
	local doomed observer init_count i

	setup_ns doomed observer || return
	for i in 0 1 2; do
		run_cmd ip -n "$doomed" link add "vesp$i" type vesp
		check_err $? "add vesp$i: $CMD_OUT" || return
	done
	vesp_rtnl "$doomed" add vesp3 mtu 1280 fwmark 3 flags 1
	check_err $? "add vesp3: $CMD_OUT" || return
	ip -n "$doomed" link set vesp0 up
	ip -n "$doomed" addr add 10.0.0.1/32 peer 10.0.0.2/32 dev vesp0
	check_eq "$(count_vesp "$doomed")" 4 "vesp links before deletion"
	init_count=$(count_vesp)

	netns_delete_and_wait "$doomed" "$observer" || return
	netns_exists "$doomed" && fail "$doomed still listed"
	# Devices of a dying netns must die with it, not move to init_net.
	check_eq "$(count_vesp)" "$init_count" "vesp links in init_net"
	check_eq "$(count_vesp "$observer")" 0 "vesp links in $observer"
}

has_flag()
{
	local ns=$1 dev=$2 flag=$3

	[[ ,$(link_json "$ns" "$dev" '.flags | join(",")'), == *,$flag,* ]]
}

test_underlay_ns_delete()
{
	local underlay ns observer dev

	setup_ns underlay ns observer || return
	# Both take $underlay as their underlay: one is created there and
	# moved, the other created from there directly into $ns.
	run_cmd ip -n "$underlay" link add vesp0 type vesp
	check_err $? "add vesp0: $CMD_OUT" || return
	run_cmd ip -n "$underlay" link set vesp0 netns "$ns"
	check_err $? "move vesp0: $CMD_OUT" || return
	run_cmd ip -n "$underlay" link add vesp1 netns "$ns" type vesp
	check_err $? "add vesp1 into $ns: $CMD_OUT" || return
	for dev in vesp0 vesp1; do
		ip -n "$ns" link set "$dev" up
		has_flag "$ns" "$dev" LOWER_UP ||
			fail "$dev has no carrier before its underlay goes"
	done

	netns_delete_and_wait "$underlay" "$observer" || return
	for dev in vesp0 vesp1; do
		if ! link_exists "$ns" "$dev"; then
			fail "$dev went away with its underlay netns"
			continue
		fi
		has_flag "$ns" "$dev" LOWER_UP &&
			fail "$dev still has a carrier without its underlay netns"
		# The operational state follows through linkwatch, later.
		slowwait "$WAIT_TIMEOUT" has_flag "$ns" "$dev" NO-CARRIER ||
			fail "$dev is not reported NO-CARRIER"
	done

	run_cmd ip -n "$ns" link del vesp0
	check_err $? "delete vesp0 afterwards: $CMD_OUT"
	check_eq "$(count_vesp "$ns")" 1 "vesp links left in $ns"
}

vesp_run_tests "$@"
