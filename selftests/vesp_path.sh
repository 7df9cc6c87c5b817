#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# Path liveness, automatic failover, the carrier that follows liveness,
# and roaming, between two vesp devices joined by two underlay paths:
#
#  +------------- $NS_A --------------+    +------------- $NS_B --------------+
#  | vesp0 10.0.1.1                   |    | vesp0 10.0.2.1                   |
#  |  peer 1: 10.0.2.0/24             |    |  peer 1: 10.0.1.0/24             |
#  |  path 1 (priority 0)  a1 ------------------ b1  path 1 (priority 0)     |
#  |        192.0.2.1/24              |    |       192.0.2.2/24               |
#  |  path 2 (priority 10) a2 ------------------ b2  path 2 (priority 10)    |
#  |        198.51.100.1/24           |    |       198.51.100.2/24            |
#  |  out SPI 0x1001, in 0x2001       |    |  out SPI 0x2001, in 0x1001       |
#  +----------------------------------+    +----------------------------------+
#
# Liveness runs at 100 ms intervals with a multiplier of 3 (a 300 ms detect
# time). A numbered UDP stream (udp_stream.py) from A to B shows what a
# cut costs: packets lost, none reordered or duplicated, the stream to its
# end. Paths are cut by taking a veth down, by dropping ESP in one
# direction only (nftables when installed, else a tc filter), or by tc
# filters that come and go. Timing is never asserted tightly: the tests
# wait for what must happen and bound what they count generously; the
# numbers are the business of bench/failover.sh.
#
# Usage: vesp_path.sh [-v] [-p] [TEST]...

# shellcheck disable=SC2317 # test_* functions are called by name
source "$(dirname "$(readlink -f "$0")")/lib.sh"
source "$SELFTEST_DIR/lib_esp.sh"
source "$SELFTEST_DIR/lib_path.sh"

TESTS="
	probes		liveness is off by default; on, both paths come up at both ends by probes, which are not device traffic
	link_down	the active path's link goes down mid-stream: traffic moves to path 2, no SA change, no reordering; back after the hold-down
	one_way		ESP from A to B dropped on path 1 only: both ends find path 1 dead and move to path 2; back when the drop ends
	carrier		with carrier-liveness, no live path or no outbound SA takes the carrier and the routes away; they come back
	flapping	a preferred path that keeps failing for less than the hold-down gets traffic back once only, after it settles
	no_roam_forged	with roaming on, replayed or forged ESP from a new address moves no path
	roaming		A's address changes mid-stream: B's path moves to it, with an event, and traffic flows both ways
"

DETECT_MS=$((INTERVAL * MULTIPLIER))

vesp_require()
{
	require_esp_tools
	[ -r "$UDP_STREAM" ] || ktap_bail_out "$UDP_STREAM missing"
}

##############################################################################
# Tests

test_probes()
{
	local sent dev_tx dev_rx probes ns path switches
	local -A tc=()

	setup_paths || return
	add_sa_pair aes-gcm-128 "$SPI_AB" "$SPI_BA" || return
	tc_hook_add "$NS_A" a2 || return
	esp_counter_add "$NS_A" a2 egress 4 1 || return

	# Off by default: no state, no probes, path 1 carries everything.
	check_eq "$(peer_json "$NS_A" .liveness_interval_ms)" 0 "default interval"
	check_eq "$(peer_json "$NS_A" .roaming)" false "default roaming"
	check_eq "$(path_json "$NS_A" 1 state)" null "path state with liveness off"
	check_ping "$NS_A" 3 10.0.2.1 "A to B, liveness off"
	sleep 1
	tc_counters "$NS_A" a2 tc
	check_eq "${tc[1]}" 0 "ESP on path 2 with liveness off"

	snap "$NS_A"
	dev_tx=${SNAP[dev.tx]}
	dev_rx=${SNAP[dev.rx]}
	liveness_on 1000 "$NS_A" "$NS_B" || return
	check_eq "$(peer_json "$NS_A" '"\(.liveness_interval_ms) \(.liveness_multiplier) \(.hold_down_ms)"')" \
		"100 3 1000" "A's liveness settings"
	wait_all_up "$NS_A" "$NS_B"
	for ns in "$NS_A" "$NS_B"; do
		for path in 1 2; do
			check_eq "$(path_json "$ns" "$path" heard_by_peer)" true \
				"path $path heard by the peer of $ns"
			probes=$(path_json "$ns" "$path" probes_received)
			((probes > 0)) || fail "probes received on path $path in $ns: $probes"
		done
	done
	# Counted by tc after the crypto, which may still hold one.
	sent=$(path_json "$NS_A" 2 probes_sent)
	tc_counters "$NS_A" a2 tc
	((sent > 0 && tc[1] >= sent - 1)) ||
		fail "ESP on path 2: ${tc[1]} packets, $sent probes sent"
	switches=$(peer_json "$NS_A" .path_switches)
	sleep 1
	check_eq "$(peer_json "$NS_A" .path_switches)" "$switches" \
		"path switches with both paths up"
	# Probes are the module's own: not the device's traffic, no drop.
	snap "$NS_A"
	check_eq "${SNAP[dev.tx]}" "$dev_tx" "A's vesp0 tx packets after probing"
	check_eq "${SNAP[dev.rx]}" "$dev_rx" "A's vesp0 rx packets after probing"
	check_drops_in SNAP "A"
	check_drops "$NS_B" "B"

	# Off again: no state and no more probes from A.
	vesp_ok "$NS_A" peer set vesp0 1 liveness off
	check_eq "$(path_json "$NS_A" 1 state)" null "path state with liveness off again"
	sent=$(path_json "$NS_A" 2 probes_sent)
	sleep 0.5
	check_eq "$(path_json "$NS_A" 2 probes_sent)" "$sent" "probes sent after liveness off"
	check_eq "$(active_path "$NS_A")" 1 "active path with liveness off"
}

# cut_test HOW: the stream from A to B while path 1 is cut by HOW (link
# or one_way), then the cut undone.
cut_test()
{
	local how=$1 dir spi sas mon switches rate=200 count=1400
	local -A report=()

	setup_paths || return
	dir=$(mktemp -d) && defer rm -rf "$dir"
	mon=$dir/events
	monitor_start "$NS_A" "$mon" 10.0.2.1 || return
	add_sa_pair aes-gcm-128 "$SPI_AB" "$SPI_BA" || return
	liveness_on 3000 "$NS_A" "$NS_B" || return
	wait_all_up "$NS_A" "$NS_B"
	spi=$(active_spi "$NS_A")
	sas=$(peer_json "$NS_A" '.sas | length')
	switches=$(peer_json "$NS_A" .path_switches)

	stream_start "$dir" "$rate" "$count" || return
	sleep 2
	if [ "$how" = link ]; then
		ip -n "$NS_A" link set a1 down
	else
		drop_one_way add || return
	fi
	wait_active "$NS_A" 2
	if [ "$how" = one_way ]; then
		# Both ends: B no longer hears A; A hears B, who says so.
		wait_active "$NS_B" 2
		wait_path "$NS_A" 1 down
		check_eq "$(path_json "$NS_A" 1 heard_by_peer)" false \
			"A's path 1 heard by B"
		(($(path_json "$NS_A" 1 last_rx_ms) < DETECT_MS)) ||
			fail "A hears nothing on path 1: last rx $(path_json "$NS_A" 1 last_rx_ms) ms ago"
	fi
	stream_end "$dir" report || return
	# Lost: what was on the way during the detect time, bounded by 5 of them.
	check_stream report "$count" $((5 * DETECT_MS * rate / 1000)) "the stream"
	[ "${report[longest_gap]}" -gt 0 ] || fail "the cut lost no packet: was path 1 in use?"
	check_eq "$(active_spi "$NS_A")" "$spi" "A's active SA after the switch"
	check_eq "$(peer_json "$NS_A" '.sas | length')" "$sas" "A's SAs after the switch"
	check_eq "$(carrier_of "$NS_A")" 1 "A's carrier with one path left"
	check_eq "$(path_json "$NS_A" 1 state)" down "A's path 1 while cut"
	monitor_has "$mon" '.event == "path" and .path.id == 1 and .path.path_event == "down"' ||
		fail "no path down event: $(cat "$mon")"
	monitor_has "$mon" '.event == "path" and .path.id == 2 and
		.path.path_event == "switched" and .path.previous_id == 1' ||
		fail "no switched event to path 2: $(cat "$mon")"

	# Undone: path 1 comes up, and gets traffic back after the hold-down.
	if [ "$how" = link ]; then
		ip -n "$NS_A" link set a1 up
	else
		drop_one_way del || return
	fi
	wait_path "$NS_A" 1 up
	check_eq "$(active_path "$NS_A")" 2 "A's active path as soon as path 1 is up"
	wait_active "$NS_A" 1
	monitor_has "$mon" '.event == "path" and .path.id == 1 and
		.path.path_event == "switched" and .path.previous_id == 2' ||
		fail "no switched event back to path 1: $(cat "$mon")"
	check_eq "$(($(peer_json "$NS_A" .path_switches) - switches))" 2 \
		"A's path switches, away and back"
	check_ping "$NS_A" 3 10.0.2.1 "A to B after the switch back"
}

test_link_down()
{
	cut_test link
}

test_one_way()
{
	cut_test one_way
}

test_carrier()
{
	local dir start ms

	setup_paths || return
	dir=$(mktemp -d) && defer rm -rf "$dir"
	add_sa_pair aes-gcm-128 "$SPI_AB" "$SPI_BA" || return
	ip netns exec "$NS_A" sysctl -qw net.ipv4.conf.all.ignore_routes_with_linkdown=1
	vesp_ok "$NS_A" set vesp0 carrier-liveness on || return
	check_eq "$(ip netns exec "$NS_A" "$VESP_CLI" -j show vesp0 | jq -c '.[0].flags')" \
		'["carrier-liveness"]' "A's flags"
	liveness_on 1000 "$NS_A" "$NS_B" || return
	wait_all_up "$NS_A" "$NS_B"
	slowwait "$WAIT_TIMEOUT" carrier_is "$NS_A" 1 || fail "no carrier with both paths up"
	run_cmd ip -n "$NS_A" route get 10.0.2.1
	check_err $? "route to B with the carrier on: $CMD_OUT"
	ip netns exec "$NS_A" ip monitor link > "$dir/links" 2>&1 &
	defer kill $!
	sleep 0.5

	# Both paths cut: carrier off, and the route with it.
	start=$(date +%s%3N)
	ip -n "$NS_A" link set a1 down
	ip -n "$NS_A" link set a2 down
	slowwait "$WAIT_TIMEOUT" carrier_is "$NS_A" 0 || fail "carrier still on with no path"
	ms=$(($(date +%s%3N) - start))
	((VERBOSE)) && ktap_print_msg "carrier off ${ms} ms after the cut"
	((ms <= 10 * DETECT_MS)) || fail "carrier off only $ms ms after the cut"
	# The routes follow when the link watcher runs, within a second.
	slowwait 5 route_gone "$NS_A" 10.0.2.1 ||
		fail "route to B with the carrier off: $(ip -n "$NS_A" route get 10.0.2.1 2>&1)"
	slowwait 5 grep -q "vesp0:.*NO-CARRIER" "$dir/links" ||
		fail "ip monitor link saw no NO-CARRIER on vesp0: $(cat "$dir/links")"
	check_eq "$(path_json "$NS_A" 1 state)/$(path_json "$NS_A" 2 state)" down/down \
		"A's paths while cut"

	# Back: carrier on, routes and traffic back.
	ip -n "$NS_A" link set a1 up
	ip -n "$NS_A" link set a2 up
	slowwait "$WAIT_TIMEOUT" carrier_is "$NS_A" 1 || fail "no carrier after the paths came back"
	check_ping "$NS_A" 3 10.0.2.1 "A to B with the carrier back"

	# No usable outbound SA: carrier off too, until one is there.
	vesp_ok "$NS_A" sa del vesp0 1 out "$SPI_AB"
	slowwait "$WAIT_TIMEOUT" carrier_is "$NS_A" 0 || fail "carrier on without an outbound SA"
	vesp_ok "$NS_B" sa add vesp0 1 in spi 0x1002 alg aes-gcm-128 "${KEYS_AB[@]}"
	vesp_ok "$NS_A" sa add vesp0 1 out spi 0x1002 alg aes-gcm-128 "${KEYS_AB[@]}" active
	slowwait "$WAIT_TIMEOUT" carrier_is "$NS_A" 1 || fail "no carrier with the new SA"

	# Without the flag the carrier is on whatever liveness says.
	ip -n "$NS_A" link set a1 down
	ip -n "$NS_A" link set a2 down
	slowwait "$WAIT_TIMEOUT" carrier_is "$NS_A" 0 || fail "carrier still on with no path"
	vesp_ok "$NS_A" set vesp0 carrier-liveness off
	slowwait "$WAIT_TIMEOUT" carrier_is "$NS_A" 1 || fail "no carrier without the flag"
}

route_gone()
{
	! ip -n "$1" route get "$2" &> /dev/null
}

test_flapping()
{
	local i switches start changes

	setup_paths || return
	add_sa_pair aes-gcm-128 "$SPI_AB" "$SPI_BA" || return
	tc_hook_add "$NS_A" a1 || return
	liveness_on 2000 "$NS_A" "$NS_B" || return
	wait_all_up "$NS_A" "$NS_B"
	changes=$(path_json "$NS_A" 1 state_changes)
	start=$(peer_json "$NS_A" .path_switches)

	# Down for 600 ms (twice the detect time), up for 500 ms (a quarter of
	# the hold-down, with room for slow tc commands), five times.
	for i in 1 2 3 4 5; do
		esp_cut add || return
		sleep 0.6
		esp_cut del || return
		sleep 0.5
	done
	switches=$(($(peer_json "$NS_A" .path_switches) - start))
	changes=$(($(path_json "$NS_A" 1 state_changes) - changes))
	((VERBOSE)) && ktap_print_msg "path 1: $changes state changes, $switches switches"
	((changes >= 4)) || fail "path 1 changed state $changes times: it did not flap"
	check_eq "$switches" 1 "path switches while path 1 flapped"
	# Settled: back to path 1 once, after the hold-down.
	wait_path "$NS_A" 1 up
	wait_active "$NS_A" 1
	check_eq "$(($(peer_json "$NS_A" .path_switches) - start))" 2 \
		"path switches once path 1 settled"
	check_ping "$NS_A" 3 10.0.2.1 "A to B after the flapping"
}

test_no_roam_forged()
{
	local dir cap mon

	setup_paths || return
	dir=$(mktemp -d) && defer rm -rf "$dir"
	cap=$dir/ab.pcap
	mon=$dir/events
	monitor_start "$NS_B" "$mon" 10.0.1.1 || return
	add_sa_pair aes-gcm-128 "$SPI_AB" "$SPI_BA" || return
	vesp_ok "$NS_B" peer set vesp0 1 roaming on || return
	check_eq "$(peer_json "$NS_B" .roaming)" true "B's roaming"

	capture_start "$NS_A" a1 "$cap" 3 "esp and src host $UL1_A" || return
	check_ping "$NS_A" 3 10.0.2.1 "A to B"
	capture_wait || return

	# Replayed from a new address: the replay window stops them first.
	check_eq "$(esp_send "$NS_A" a1 "$cap" --saddr 192.0.2.99)" 3 "packets replayed"
	snap_until "$NS_B" drop.rx_replay 3
	# Forged: a sequence number far ahead, so the ICV is what fails.
	check_eq "$(esp_send "$NS_A" a1 "$cap" --saddr 192.0.2.99 --flip 4)" 3 \
		"packets forged"
	snap_until "$NS_B" drop.rx_auth_fail 3
	# tx_no_sa: what monitor_start sent before there were SAs.
	check_drops_in SNAP "B" rx_replay=3 rx_auth_fail=3 \
		tx_no_sa="${SNAP[drop.tx_no_sa]}"
	[ "${SNAP[drop.tx_no_sa]}" -ge 1 ] || fail "B's tx_no_sa: ${SNAP[drop.tx_no_sa]}"

	check_eq "$(path_json "$NS_B" 1 remote)" "$UL1_A" "B's path 1 remote"
	check_eq "$(path_json "$NS_B" 2 remote)" "$UL2_A" "B's path 2 remote"
	monitor_has "$mon" '.event == "path"' &&
		fail "a path event for replayed or forged packets: $(monitor_events "$mon" '.event == "path"')"
	check_ping "$NS_B" 3 10.0.1.1 "B to A afterwards"
}

test_roaming()
{
	local dir mon rate=200 count=1000
	local -A report=()

	setup_paths unset || return
	dir=$(mktemp -d) && defer rm -rf "$dir"
	mon=$dir/events
	monitor_start "$NS_B" "$mon" 10.0.1.1 || return
	add_sa_pair aes-gcm-128 "$SPI_AB" "$SPI_BA" || return
	liveness_on 1000 "$NS_A" "$NS_B" || return
	vesp_ok "$NS_B" peer set vesp0 1 roaming on || return
	wait_all_up "$NS_A" "$NS_B"
	ip netns exec "$NS_A" sysctl -qw net.ipv4.conf.a1.promote_secondaries=1

	stream_start "$dir" "$rate" "$count" || return
	sleep 1.5
	# A is renumbered on path 1, as by DHCP: the new address first.
	ip_batch "$NS_A" <<-EOF || return
		addr add 192.0.2.11/24 dev a1
		addr del $UL1_A/24 dev a1
	EOF
	stream_end "$dir" report || return
	check_stream report "$count" $((5 * DETECT_MS * rate / 1000)) "the stream"

	check_eq "$(path_json "$NS_B" 1 remote)" 192.0.2.11 "B's path 1 remote"
	check_eq "$(path_json "$NS_B" 2 remote)" "$UL2_A" "B's path 2 remote"
	monitor_has "$mon" '.event == "path" and .path.id == 1 and
		.path.path_event == "roamed" and .path.remote == "192.0.2.11" and
		.path.previous_remote == "'"$UL1_A"'"' ||
		fail "no roamed event: $(cat "$mon")"
	check_eq "$(monitor_events "$mon" '.path.path_event == "roamed"' | wc -l)" 1 \
		"roamed events"
	wait_path "$NS_B" 1 up
	check_eq "$(active_path "$NS_B")" 1 "B's active path"
	check_ping "$NS_B" 3 10.0.1.1 "B to A at A's new address"
}

vesp_run_tests "$@"
