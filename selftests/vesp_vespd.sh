#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# vespd against vespd: two namespaces joined by a veth, a vesp0 in each,
# keyed by a vespd in each with a pre-shared key. The tunnel must come up
# by itself, carry pings both ways, show its SAs in "vesp show", and lose
# no packet while its Child SAs and IKE SA are rekeyed, on its own timers
# and on the module's soft expiry events; it must come back by itself when
# the responder restarts without its state, and vesp ike must list and
# start and stop it through vespd's control socket.
#
#	+------------- $a -------------+     +------------- $b -------------+
#	| vespd (initiator)            |     | vespd (responder)            |
#	| vesp0 10.0.1.1               |     | vesp0 10.0.2.1               |
#	|   route 10.0.2.0/24          |     |   route 10.0.1.0/24          |
#	| veth 192.168.50.1/24  <--- IKE, ESP --->  veth 192.168.50.2/24    |
#	+------------------------------+     +------------------------------+
#
# The mobike_* tests add a second path; see setup_two_paths.
#
# Usage: vesp_vespd.sh [-v] [-p] [TEST]...
#
# ESP=PROPOSAL picks the ESP proposal of both ends (default aes256gcm16-esn),
# e.g. ESP=aes256gcm16-x25519-esn for rekeys with PFS.

# shellcheck disable=SC2317 # test_* functions are called by name
source "$(dirname "$(readlink -f "$0")")/lib.sh"
source "$SELFTEST_DIR/lib_vespd.sh"

TESTS="
	psk_up_ping		PSK tunnel comes up by itself, SAs shown, ping both ways
	rekey_no_loss		Child and IKE SAs rekeyed every few seconds under pings: no loss
	soft_expiry_rekey	module's soft expiry in packets drives Child SA rekeys: no loss
	peer_restart		responder killed, its SAs gone, restarted: tunnel back by itself
	ctl			vesp ike show -j lists the SAs, vesp ike down/up stop and start
	hub_two_spokes		hub with two tunnels on one vesp0: each spoke's traffic to its peer, spoofing dropped
	mobike_local_addr	two paths, the initiator's active address deleted: MOBIKE moves IKE and ESP, same SAs
	mobike_peer_addr	two paths, the responder's active address deleted: MOBIKE moves IKE and ESP, same SAs
	mobike_link_down	two paths, the active link down: unanswered IKE moves IKE and ESP, same SAs
"

ESP=${ESP:-aes256gcm16-esn}

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

	write_conf "$WORKDIR/b.conf" 192.168.50.2 192.168.50.1 b.example a.example no \
		"esp=$ESP" "$@"
	write_conf "$WORKDIR/a.conf" 192.168.50.1 192.168.50.2 a.example b.example yes \
		"esp=$ESP" "$@"
	# the namespaces' deletion kills the daemons; show their logs on failure
	defer dump_logs "$WORKDIR/a.log" "$WORKDIR/b.log"
	[ -n "${NO_START:-}" ] && return
	vespd_ns "$B" b
	vespd_ns "$A" a
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
# ping_rekeyed WHAT: 30 s of pings both ways, 20 a second, must all pass,
# and a's outbound SA must change meanwhile.
ping_rekeyed()
{
	local before after pa pb loss_a loss_b

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
	loss_a=$(grep -o '[0-9.]*% packet loss' "$WORKDIR/ping_a")
	loss_b=$(grep -o '[0-9.]*% packet loss' "$WORKDIR/ping_b")
	check_eq "$loss_a" "0% packet loss" "ping a -> b during $1"
	check_eq "$loss_b" "0% packet loss" "ping b -> a during $1"
}

test_rekey_no_loss()
{
	setup_pair child-lifetime=6s ike-lifetime=14s || return
	wait_keyed || return
	ping_rekeyed rekeys
	grep -q "IKE SA rekeyed" "$WORKDIR/a.log" "$WORKDIR/b.log" ||
		fail "IKE SA never rekeyed"
	grep -q "IKE SA lost" "$WORKDIR/a.log" "$WORKDIR/b.log" &&
		fail "IKE SA lost during the rekeys"
}

# vesp ike against the vespd of NAME (a or b), in its namespace.
ike()
{
	local name=$1 ns

	shift
	ns=$([ "$name" = a ] && echo "$A" || echo "$B")
	ip netns exec "$ns" "$VESP_CLI" "$@" 2>&1
}

# The Child SAs a limit of 400 packets (soft at 360 to 400, hard at 600),
# and no limit in time: 20 pings a second each way put 40 packets a second
# through each SA, so the module's soft expiry alone rekeys them every
# ten seconds or so, during a 30 s ping.
test_soft_expiry_rekey()
{
	local out

	setup_pair child-lifetime=0 child-lifetime-packets=400 || return
	wait_keyed || return
	out=$(ip netns exec "$A" "$VESP_CLI" -j sa list vesp0 2> /dev/null)
	check_match "$out" '"soft_packets":(3[6-9][0-9]|400)' "soft packet limit in the module"
	check_match "$out" '"hard_packets":600' "hard packet limit in the module"

	ping_rekeyed "rekeys on soft expiry"
	grep -q "soft expiry in the module: rekeying" "$WORKDIR/a.log" "$WORKDIR/b.log" ||
		fail "no rekey on a soft expiry event"
	grep -q "IKE SA lost\|hard lifetime" "$WORKDIR/a.log" "$WORKDIR/b.log" &&
		fail "IKE SA lost or hard expiry during the rekeys"
}

# a's IKE SA is a new one: vesp ike show lists it established with another SPI.
ike_spi_changed()
{
	local spi

	spi=$(ike a -j ike -s "$WORKDIR/a.sock" show |
		jq -r '.[0].ike_sas[] | select(.current and .state == "established") | .spi')
	[ -n "$spi" ] && [ "$spi" != "$1" ]
}

# The responder dies with kill -9 and its peer, SAs and all, goes from
# the module; restarted, it knows nothing. The initiator's liveness check
# (after 2 s of silence) goes unanswered, it gives up after two
# retransmissions (1 + 2 + 4 s) and starts over: the tunnel must be back
# within a minute with nobody's help, and carry pings.
test_peer_restart()
{
	local spi

	setup_pair liveness=2s retransmit-tries=2 || return
	wait_keyed || return
	spi=$(ike a -j ike -s "$WORKDIR/a.sock" show | jq -r '.[0].ike_sas[0].spi')

	kill -9 "$VESPD_PID_b"
	wait "$VESPD_PID_b" 2> /dev/null
	run_cmd ip netns exec "$B" "$VESP_CLI" peer del vesp0 1
	check_err $? "deleting b's peer and SAs: $CMD_OUT"
	[ -z "$(sa_spis "$B" in)" ] || fail "b's SAs still there"
	vespd_ns "$B" b

	slowwait 60 keyed || { fail "tunnel not back 60 s after the restart"; return; }
	slowwait 10 ike_spi_changed "$spi" || fail "a's IKE SA not replaced"
	grep -q "IKE SA lost" "$WORKDIR/a.log" || fail "a never gave the old IKE SA up"
	run_cmd ip netns exec "$A" ping -c 3 -i 0.2 -W 2 10.0.2.1
	check_err $? "ping a -> b after the restart: $CMD_OUT"
	run_cmd ip netns exec "$B" ping -c 3 -i 0.2 -W 2 10.0.1.1
	check_err $? "ping b -> a after the restart: $CMD_OUT"
}

no_sas()
{
	[ -z "$(sa_spis "$1" in)" ] && [ -z "$(sa_spis "$1" out)" ]
}

test_ctl()
{
	local out spi

	setup_pair || return
	wait_keyed || return

	out=$(ike a -j ike -s "$WORKDIR/a.sock" show)
	check_eq "$(jq -r '.[0].name' <<< "$out")" t "tunnel name in vesp ike show -j"
	check_eq "$(jq -r '.[0].state' <<< "$out")" up "tunnel state"
	check_eq "$(jq -r '.[0].ike_sas[0].state' <<< "$out")" established "IKE SA state"
	check_eq "$(jq -r '.[0].ike_sas[0].initiator' <<< "$out")" true "IKE SA role"
	check_eq "$(jq -r '.[0].ike_sas[0].children[0].spi_out' <<< "$out")" \
		"$(active_out "$A")" "child's outbound SPI is the active one in the module"
	check_eq "$(jq -r '.[0].ike_sas[0].children[0].spi_in' <<< "$out")" \
		"$(active_out "$B")" "child's inbound SPI is b's active outbound"
	[[ "$out" == *"$PSK"* ]] && fail "vesp ike show -j shows the key"
	out=$(ike b ike -s "$WORKDIR/b.sock" show)
	check_match "$out" "tunnel t: up, vesp0 peer 1" "vesp ike show in b"
	check_match "$out" "child esp in 0x[0-9a-f]{8} out 0x[0-9a-f]{8} installed" \
		"child in vesp ike show"

	out=$(ike a ike -s "$WORKDIR/nonexistent.sock" show)
	check_fail $? "vesp ike show without vespd"
	check_match "$out" "cannot reach vespd at .*nonexistent.sock" "error without vespd"
	out=$(ike a ike -s "$WORKDIR/a.sock" up nosuch)
	check_fail $? "vesp ike up of an unknown tunnel"
	check_match "$out" "vespd: no tunnel 'nosuch'" "error for an unknown tunnel"

	spi=$(ike a -j ike -s "$WORKDIR/a.sock" show | jq -r '.[0].ike_sas[0].spi')
	out=$(ike a ike -s "$WORKDIR/a.sock" down t)
	check_err $? "vesp ike down t: $out"
	check_eq "$(ike a -j ike -s "$WORKDIR/a.sock" show | jq -r '.[0].state')" \
		stopped "state after down"
	slowwait 10 no_sas "$A" || fail "a's SAs still in the module after down"
	slowwait 10 no_sas "$B" || fail "b's SAs still in the module after a's down"

	out=$(ike a ike -s "$WORKDIR/a.sock" up t)
	check_err $? "vesp ike up t: $out"
	wait_keyed || return
	slowwait 10 ike_spi_changed "$spi" || fail "no new IKE SA after up"
	run_cmd ip netns exec "$A" ping -c 3 -i 0.2 -W 2 10.0.2.1
	check_err $? "ping a -> b after up: $CMD_OUT"
}

# hub_conf FILE: the hub's two tunnels on vesp0, one per spoke, each with
# the spoke's inner prefix; the spokes start.
hub_conf()
{
	local i

	for i in 2 3; do
		echo "[tunnel spoke$i]"
		echo "device = vesp0"
		echo "peer-id = $i"
		echo "local = 192.168.5$i.1"
		echo "remote = 192.168.5$i.2"
		echo "local-id = hub.example"
		echo "remote-id = spoke$i.example"
		echo "psk-file = $WORKDIR/psk"
		echo "ike = aes256gcm16-prfsha256-x25519"
		echo "esp = $ESP"
		echo "initiate = no"
		echo "remote-prefixes = 10.0.$i.0/24"
	done > "$1"
}

# peer_packets NS PEER DIR: packets through PEER's SAs of direction DIR.
peer_packets()
{
	ip netns exec "$1" "$VESP_CLI" -j show vesp0 2> /dev/null |
		jq "[.[0].peers[] | select(.id == $2) | .sas[] |
		     select(.dir == \"$3\") | .packets // 0] | add // 0"
}

# hub_keyed: the hub has an active outbound SA for both spokes.
hub_keyed()
{
	[ "$(ip netns exec "$H" "$VESP_CLI" -j show vesp0 2> /dev/null |
	     jq '[.[0].peers[] | select(any(.sas[]; .dir == "out" and .active))] |
		 length')" = 2 ]
}

rx_policy()
{
	ip netns exec "$H" "$VESP_CLI" -j stats vesp0 | jq '.[0].stats.rx_policy // 0'
}

#	+-------- $S2 --------+                        +-------- $S3 --------+
#	| vespd, vesp0        |     +---- $H ----+     | vespd, vesp0        |
#	| 10.0.2.1, 0/0       |-----| vespd      |-----| 10.0.3.1, 0/0       |
#	| 192.168.52.2        |     | vesp0      |     | 192.168.53.2        |
#	+---------------------+     | 10.0.0.1   |     +---------------------+
#	                            | peer 2: 10.0.2.0/24, peer 3: 10.0.3.0/24
#	                            +------------+
test_hub_two_spokes()
{
	local i ns before after out

	setup_ns H S2 S3 || return
	vespd_workdir || return

	ip -n "$H" link add vesp0 type vesp || { fail "cannot create vesp0"; return 1; }
	ip -n "$H" addr add 10.0.0.1/32 dev vesp0
	ip -n "$H" link set vesp0 up
	# one route for both: the module's prefixes pick the spoke
	ip -n "$H" route add 10.0.0.0/16 dev vesp0 src 10.0.0.1
	for i in 2 3; do
		ns=S$i
		ns=${!ns}
		ip -n "$H" link add "eth$i" type veth peer name eth0 netns "$ns" || return
		ip -n "$H" addr add "192.168.5$i.1/24" dev "eth$i"
		ip -n "$ns" addr add "192.168.5$i.2/24" dev eth0
		ip -n "$H" link set "eth$i" up
		ip -n "$ns" link set eth0 up
		ip -n "$ns" link add vesp0 type vesp ||
			{ fail "cannot create vesp0"; return 1; }
		ip -n "$ns" addr add "10.0.$i.1/32" dev vesp0
		ip -n "$ns" link set vesp0 up
		ip -n "$ns" route add 10.0.0.0/16 dev vesp0 src "10.0.$i.1"
		# the spoke: route-based, the defaults
		write_conf "$WORKDIR/s$i.conf" "192.168.5$i.2" 192.168.5$i.1 \
			"spoke$i.example" hub.example yes
		vespd_ns "$ns" "s$i"
	done
	hub_conf "$WORKDIR/h.conf"
	vespd_ns "$H" h
	defer dump_logs "$WORKDIR/h.log" "$WORKDIR/s2.log" "$WORKDIR/s3.log"

	slowwait "$WAIT_TIMEOUT" hub_keyed ||
		{ fail "hub not keyed with both spokes ${WAIT_TIMEOUT}s after start"; return; }
	out=$(ip netns exec "$H" "$VESP_CLI" -j show vesp0)
	check_eq "$(jq -c '[.[0].peers[] | [.id, (.prefixes | join(","))]] | sort' \
		<<< "$out" 2> /dev/null)" \
		'[[2,"10.0.2.0/24"],[3,"10.0.3.0/24"]]' "hub's module peers and prefixes"

	for i in 2 3; do
		ns=S$i
		ns=${!ns}
		run_cmd ip netns exec "$ns" ping -c 3 -i 0.2 -W 2 10.0.0.1
		check_err $? "ping spoke$i -> hub: $CMD_OUT"
		before=$(peer_packets "$H" $((5 - i)) out)
		run_cmd ip netns exec "$H" ping -c 4 -i 0.2 -W 2 "10.0.$i.1"
		check_err $? "ping hub -> spoke$i: $CMD_OUT"
		after=$(peer_packets "$H" $((5 - i)) out)
		check_eq "$after" "$before" "hub -> spoke$i sent nothing to the other spoke"
		[ "$(peer_packets "$H" "$i" out)" -ge 4 ] ||
			fail "hub -> spoke$i not through peer $i's SA"
		[ "$(peer_packets "$H" "$i" in)" -ge 7 ] ||
			fail "spoke$i's packets not on peer $i's inbound SA"
	done

	# spoke 2 sends with spoke 3's inner address: the hub drops it
	before=$(rx_policy)
	ip -n "$S2" addr add 10.0.3.9/32 dev vesp0
	run_cmd ip netns exec "$S2" ping -c 3 -i 0.2 -W 1 -I 10.0.3.9 10.0.0.1
	check_fail $? "spoofed ping spoke2 (as 10.0.3.9) -> hub answered"
	after=$(rx_policy)
	[ "$after" -ge $((before + 3)) ] ||
		fail "hub's rx_policy $before -> $after after 3 spoofed packets"
}

# Two paths for the MOBIKE tests: the veth of setup_pair (path 1,
# 192.168.50.0/24) and a second one (path 2, 192.168.60.0/24, priority 10):
#
#	$a eth0 192.168.50.1  <--- path 1 --->  192.168.50.2 eth0 $b
#	$a eth1 192.168.60.1  <--- path 2 --->  192.168.60.2 eth1 $b
#
# setup_two_paths [KEY=VALUE]...: setup_pair with both paths in each
# vespd.conf and IKE liveness every 2 s.
setup_two_paths()
{
	local conf

	NO_START=1 setup_pair liveness=2s local= remote= "$@" || return
	ip -n "$A" link add eth1 type veth peer name eth1 netns "$B" || return
	ip -n "$A" addr add 192.168.60.1/24 dev eth1
	ip -n "$B" addr add 192.168.60.2/24 dev eth1
	ip -n "$A" link set eth1 up
	ip -n "$B" link set eth1 up
	for conf in a b; do
		local here=1 there=2

		[ "$conf" = b ] && here=2 there=1
		{
			echo "path = local 192.168.50.$here remote 192.168.50.$there"
			echo "path = local 192.168.60.$here remote 192.168.60.$there priority 10"
		} >> "$WORKDIR/$conf.conf"
	done
	vespd_ns "$B" b
	vespd_ns "$A" a
}

# active_remote NS: the remote address of the path vesp0's ESP takes.
active_remote()
{
	ip netns exec "$1" "$VESP_CLI" -j show vesp0 2> /dev/null |
		jq -r '.[0].peers[0].paths[] | select(.active) | .remote'
}

# on_path2: both modules send ESP on path 2.
on_path2()
{
	[ "$(active_remote "$A")" = 192.168.60.2 ] &&
		[ "$(active_remote "$B")" = 192.168.60.1 ]
}

# mobike_case CUT...: the tunnel up on path 1, a ping a -> b running (10 per
# second for 20 s), the command CUT run in the namespaces after 3 s:
# MOBIKE must bring IKE and both modules' ESP to path 2 with the SAs they
# had, the ping must go on there, and no IKE SA may be set up again.
mobike_case()
{
	local oa ob ping received out

	setup_two_paths || return
	wait_keyed || return
	check_eq "$(active_remote "$A")" 192.168.50.2 "a's ESP on path 1 at first"
	check_eq "$(active_remote "$B")" 192.168.50.1 "b's ESP on path 1 at first"
	oa=$(active_out "$A")
	ob=$(active_out "$B")
	ip netns exec "$A" ping -q -c 200 -i 0.1 -W 1 10.0.2.1 > "$WORKDIR/ping" 2>&1 &
	ping=$!
	sleep 3
	"$@"
	slowwait 30 on_path2 ||
		fail "ESP not on path 2 30 s after the cut: a $(active_remote "$A"), b $(active_remote "$B")"
	wait "$ping"
	check_eq "$(active_out "$A")" "$oa" "a's outbound SA after the move"
	check_eq "$(active_out "$B")" "$ob" "b's outbound SA after the move"
	keyed || fail "SAs of a and b do not pair up after the move"
	out=$(ike a -j ike -s "$WORKDIR/a.sock" show)
	check_eq "$(jq -r '.[0].path' <<< "$out")" 2 "path of a's IKE SA in vesp ike show"
	check_eq "$(jq -r '.[0].ike_sas[0].mobike' <<< "$out")" true "MOBIKE on a's IKE SA"
	check_eq "$(jq -r '.[0].ike_sas[0].remote' <<< "$out")" "192.168.60.2[500]" \
		"remote of a's IKE SA"
	check_eq "$(grep -c "up: IKE SA" "$WORKDIR/a.log")" 1 "IKE SAs set up by a"
	grep -q "IKE SA lost\|establishing the tunnel anew" "$WORKDIR/a.log" "$WORKDIR/b.log" &&
		fail "the tunnel was set up again instead of moved"
	grep -q "path 1 to path 2" "$WORKDIR/a.log" "$WORKDIR/b.log" ||
		fail "no path change in the logs"
	# the ping went on: most of its 200 came back, and a new one loses nothing
	received=$(grep -o '[0-9]* received' "$WORKDIR/ping" | cut -d' ' -f1)
	ktap_print_msg "${received:-0} of 200 pings (10 a second) answered across the move"
	[ "${received:-0}" -ge 120 ] || fail "ping during the move: $(tail -n 2 "$WORKDIR/ping")"
	run_cmd ip netns exec "$A" ping -c 5 -i 0.2 -W 2 10.0.2.1
	check_err $? "ping a -> b on path 2: $CMD_OUT"
	run_cmd ip netns exec "$B" ping -c 5 -i 0.2 -W 2 10.0.1.1
	check_err $? "ping b -> a on path 2: $CMD_OUT"
}

cut_a_addr()
{
	ip -n "$A" addr del 192.168.50.1/24 dev eth0
}

cut_b_addr()
{
	ip -n "$B" addr del 192.168.50.2/24 dev eth0
}

cut_link()
{
	ip -n "$A" link set eth0 down
}

# a learns from rtnetlink that its address is gone and sends
# UPDATE_SA_ADDRESSES from path 2 at once
test_mobike_local_addr()
{
	mobike_case cut_a_addr
}

# b (the responder, which does not decide) tells a its addresses from
# path 2; a, the original initiator, moves the SAs there by an update
test_mobike_peer_addr()
{
	mobike_case cut_b_addr
	grep -q "moved to path 2 by the peer" "$WORKDIR/a.log" ||
		fail "a did not follow b's address list"
}

# nothing tells either end: a liveness check goes unanswered three times
# on path 1 (2 s idle, then 1 s and 2 s), and that end moves on (a by its
# update, or b by telling a its addresses from path 2, whichever is first)
test_mobike_link_down()
{
	mobike_case cut_link
	grep -q "the peer does not answer on it" "$WORKDIR/a.log" "$WORKDIR/b.log" ||
		fail "neither end moved for lack of answers"
}

vesp_run_tests "$@"
