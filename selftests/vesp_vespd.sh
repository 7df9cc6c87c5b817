#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# vespd against vespd: two namespaces joined by a veth, a vesp0 in each,
# keyed by a vespd in each with a pre-shared key. The tunnel must come up
# by itself, carry pings both ways, show its SAs in "vesp show", and lose
# no packet while its Child SAs and IKE SA are rekeyed.
#
#	+------------- $a -------------+     +------------- $b -------------+
#	| vespd (initiator)            |     | vespd (responder)            |
#	| vesp0 10.0.1.1               |     | vesp0 10.0.2.1               |
#	|   route 10.0.2.0/24          |     |   route 10.0.1.0/24          |
#	| veth 192.168.50.1/24  <--- IKE, ESP --->  veth 192.168.50.2/24    |
#	+------------------------------+     +------------------------------+
#
# Usage: vesp_vespd.sh [-v] [-p] [TEST]...

# shellcheck disable=SC2317 # test_* functions are called by name
source "$(dirname "$(readlink -f "$0")")/lib.sh"
source "$SELFTEST_DIR/lib_vespd.sh"

TESTS="
	psk_up_ping		PSK tunnel comes up by itself, SAs shown, ping both ways
	rekey_no_loss		Child and IKE SAs rekeyed every few seconds under pings: no loss
"

vesp_require()
{
	vespd_require
}

# setup_pair [KEY=VALUE]...: namespaces A and B, veth, vesp0 with routes,
# a responder vespd in B and an initiator vespd in A, with extra config.
setup_pair()
{
	setup_ns A B || return
	vespd_workdir || return

	ip -n "$A" link add eth0 type veth peer name eth0 netns "$B" || return
	ip -n "$A" addr add 192.168.50.1/24 dev eth0
	ip -n "$B" addr add 192.168.50.2/24 dev eth0
	ip -n "$A" link set eth0 up
	ip -n "$B" link set eth0 up
	ip -n "$A" link add vesp0 type vesp || { fail "cannot create vesp0"; return 1; }
	ip -n "$B" link add vesp0 type vesp || { fail "cannot create vesp0"; return 1; }
	ip -n "$A" addr add 10.0.1.1/32 dev vesp0
	ip -n "$B" addr add 10.0.2.1/32 dev vesp0
	ip -n "$A" link set vesp0 up
	ip -n "$B" link set vesp0 up
	ip -n "$A" route add 10.0.2.0/24 dev vesp0 src 10.0.1.1
	ip -n "$B" route add 10.0.1.0/24 dev vesp0 src 10.0.2.1

	write_conf "$WORKDIR/b.conf" 192.168.50.2 192.168.50.1 b.example a.example no "$@"
	write_conf "$WORKDIR/a.conf" 192.168.50.1 192.168.50.2 a.example b.example yes "$@"
	vespd_ns "$B" b
	vespd_ns "$A" a
	# the namespaces' deletion kills the daemons; show their logs on failure
	defer dump_logs "$WORKDIR/a.log" "$WORKDIR/b.log"
}

# keyed: both ends have an active outbound SA that is the other's inbound.
keyed()
{
	local oa ob

	oa=$(active_out "$A")
	ob=$(active_out "$B")
	[ -n "$oa" ] && [ -n "$ob" ] &&
		sa_spis "$B" in | grep -qx "$oa" &&
		sa_spis "$A" in | grep -qx "$ob"
}

wait_keyed()
{
	slowwait "$WAIT_TIMEOUT" keyed ||
		fail "no SAs installed ${WAIT_TIMEOUT}s after vespd started"
}

test_psk_up_ping()
{
	local out

	setup_pair || return
	wait_keyed || return

	out=$(ip netns exec "$A" "$VESP_CLI" show vesp0 2>&1)
	check_match "$out" "sa in 0x[0-9a-f]+: aes-gcm, esn" "vesp show in a"
	check_match "$out" "sa out 0x[0-9a-f]+ \(active\): aes-gcm, esn" \
		"vesp show in a"
	out=$(ip netns exec "$B" "$VESP_CLI" show vesp0 2>&1)
	check_match "$out" "sa out 0x[0-9a-f]+ \(active\): aes-gcm, esn" \
		"vesp show in b"

	run_cmd ip netns exec "$A" ping -c 3 -i 0.2 -W 2 10.0.2.1
	check_err $? "ping a -> b through vesp0: $CMD_OUT"
	run_cmd ip netns exec "$B" ping -c 3 -i 0.2 -W 2 10.0.1.1
	check_err $? "ping b -> a through vesp0: $CMD_OUT"
}

# Child SAs live 6 s, the IKE SA 14 s (less up to a tenth of jitter on
# each end): a 30 s ping each way, 20 packets a second, spans several
# rekeys of each.
test_rekey_no_loss()
{
	local before after pa pb

	setup_pair child-lifetime=6s ike-lifetime=14s || return
	wait_keyed || return
	before=$(active_out "$A")

	ip netns exec "$A" ping -q -c 600 -i 0.05 10.0.2.1 > "$WORKDIR/ping_a" 2>&1 &
	pa=$!
	ip netns exec "$B" ping -q -c 600 -i 0.05 10.0.1.1 > "$WORKDIR/ping_b" 2>&1 &
	pb=$!
	wait "$pa"
	wait "$pb"
	after=$(active_out "$A")

	[ -n "$after" ] && [ "$after" != "$before" ] ||
		fail "outbound SA of a not rekeyed: $before before, $after after"
	grep -q "IKE SA rekeyed" "$WORKDIR/a.log" "$WORKDIR/b.log" ||
		fail "IKE SA never rekeyed"
	grep -q "IKE SA lost" "$WORKDIR/a.log" "$WORKDIR/b.log" &&
		fail "IKE SA lost during the rekeys"
	check_no_loss "$WORKDIR/ping_a" "ping a -> b during rekeys"
	check_no_loss "$WORKDIR/ping_b" "ping b -> a during rekeys"
}

vesp_run_tests "$@"
