#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# The vesp datapath between vesp devices, beyond the algorithms (those are
# vesp_esp_algs.sh): replayed, tampered with and unknown packets, an SA
# switch under load, a hub with three spokes, lifetimes and their
# notifications, the device MTU and path MTU, and keys that never come
# back out.
#
# Most tests use two namespaces joined by a veth, with a tunnel keyed by
# hand with the vesp CLI (see setup_pair in lib_esp.sh):
#
#  +------------ $NS_A -------------+     +------------ $NS_B -------------+
#  | vesp0 10.0.1.1, fd00:1::1      |     | vesp0 10.0.2.1, fd00:2::1      |
#  |   peer 1: 10.0.2.0/24,         |     |   peer 1: 10.0.1.0/24,         |
#  |           fd00:2::/64          |     |           fd00:1::/64          |
#  |   out SPI 0x1001, in 0x2001    |     |   out SPI 0x2001, in 0x1001    |
#  | va 192.0.2.1/24, 2001:db8::1 --+-----+-- vb 192.0.2.2/24, 2001:db8::2 |
#  +--------------------------------+     +--------------------------------+
#     tc filters on va and vb count or drop ESP by SPI; tcpdump captures
#     ESP on va that esp_inject.py sends again: as captured, with a bit
#     flipped, or with another SPI.
#
# The multipoint tests use a hub and three spokes, each spoke behind a
# veth of its own:
#
#                    +------------- $HUB ---------------+
#                    | vesp0 10.0.0.1, route 10.0.0.0/16|
#                    |  peer N: 10.0.N.0/24, path to    |
#                    |  198.18.N.2, out SPI 0x100N,     |
#                    |  in 0x200N              (N=1..3) |
#                    +--h1---------h2---------h3--------+
#                        |198.18.1.0 |198.18.2.0|198.18.3.0/24
#                  +-ul--$S1-+ +-ul--$S2-+ +-ul--$S3-+
#                  | vesp0   | | vesp0   | | vesp0   |
#                  | 10.0.1.1| | 10.0.2.1| | 10.0.3.1|
#                  +---------+ +---------+ +---------+
#            each spoke: peer 1 (the hub) with 10.0.0.0/24
#
# The path MTU tests put a router between A and B (setup_routed), whose
# link to B carries no more than 1400 bytes.
#
# Usage: vesp_esp.sh [-v] [-p] [TEST]...

# shellcheck disable=SC2317 # test_* functions are called by name
source "$(dirname "$(readlink -f "$0")")/lib.sh"
source "$SELFTEST_DIR/lib_esp.sh"

TESTS="
	replay			replayed ESP is rx_replay, inside and left of the window, and not delivered
	auth_fail_gcm		AES-GCM-128: a flipped bit in the ciphertext or the ICV is rx_auth_fail
	auth_fail_chacha	ChaCha20-Poly1305: the same
	auth_fail_cbc		AES-CBC-128/HMAC-SHA256: the same
	auth_fail_null		NULL/HMAC-SHA256: the same
	unknown_spi		ESP for an SPI nobody has, or for a deleted SA, is rx_unknown_spi
	sa_switch		new SAs replace the old ones under a ping flood without losing a packet
	hub_routing		a hub sends each spoke's prefix to that spoke and nothing else to it
	hub_policy		a spoke sending from outside its prefixes is dropped as rx_policy
	lifetime_packets	soft and hard packet limits and a soft byte limit notify; the hard one deletes the SA
	lifetime_bytes		a soft byte limit notifies, a hard one deletes the SA; so does an inbound hard packet limit
	lifetime_time		a soft time limit of 2 s notifies; a hard one of 4 s, set later, deletes the SA
	mtu_default		vesp0's MTU leaves room for the outer header and ESP of each algorithm, until set by hand
	pmtu_4in4		IPv4 in IPv4, AES-GCM: a path MTU learnt on the underlay gives DF packets frag needed with the exact MTU; no DF is fragmented outside
	pmtu_4in6		IPv4 in IPv6, ChaCha20-Poly1305: the same
	pmtu_6in4		IPv6 in IPv4, NULL/HMAC: packet too big with the exact MTU
	pmtu_6in6		IPv6 in IPv6, AES-CBC-256/HMAC: the same
	no_keys			no key in any encoding in what vesp shows, lists, monitors or reads from the kernel
"

##############################################################################
# Replay, tampering, unknown SPIs

# esp_list FILE: "SPI SEQUENCE_NUMBER" of each ESP frame in FILE,
# separated by commas.
esp_list()
{
	python3 "$ESP_INJECT" list "$1" | awk '{ print $2, $3 }' | paste -sd,
}

test_replay()
{
	local dir cap rx

	setup_pair 4 0 || return
	add_sa_pair aes-gcm-128 "$SPI_AB" "$SPI_BA" -- replay-window 32 || return
	dir=$(mktemp -d) && defer rm -rf "$dir"
	cap=$dir/ab.pcap

	capture_start "$NS_A" va "$cap" 3 "esp and src host $A_UL4" || return
	check_ping "$NS_A" 3 "$B_IN4" "A to B"
	capture_wait || return
	check_eq "$(esp_list "$cap")" "0x00001001 1,0x00001001 2,0x00001001 3" \
		"captured SPIs and sequence numbers"

	snap "$NS_B"
	rx=${SNAP[dev.rx]}
	check_eq "$(esp_send "$NS_A" va "$cap")" 3 "packets replayed"
	snap_until "$NS_B" drop.rx_replay 3
	check_drops_in SNAP "B, replays inside the window" rx_replay=3
	check_eq "${SNAP[sa.in.$SPI_AB.packets]}" 3 "B's inbound SA packets"
	check_eq "${SNAP[sa.in.$SPI_AB.seq]}" 3 "B's highest sequence number"
	check_eq "${SNAP[dev.rx]}" "$rx" "B's rx packets"

	# 40 more: sequence numbers 1 to 3 are now left of the 32-packet window.
	check_ping "$NS_A" 40 "$B_IN4" "A to B" -i 0.01
	snap "$NS_B"
	check_eq "${SNAP[sa.in.$SPI_AB.seq]}" 43 "B's highest sequence number"
	rx=${SNAP[dev.rx]}
	check_eq "$(esp_send "$NS_A" va "$cap")" 3 "packets replayed"
	snap_until "$NS_B" drop.rx_replay 6
	check_drops_in SNAP "B, replays left of the window" rx_replay=6
	check_eq "${SNAP[sa.in.$SPI_AB.packets]}" 43 "B's inbound SA packets"
	check_eq "${SNAP[dev.rx]}" "$rx" "B's rx packets"
	# No echo reply to a replayed request.
	snap "$NS_A"
	check_eq "${SNAP[sa.in.$SPI_BA.packets]}" 43 "echo replies A got"
	check_drops_in SNAP "A"
}

# tamper_test ALG: a bit flipped in the ciphertext, then in the ICV, of
# packets B never saw (tc dropped them on the way) fails authentication;
# the same packets unmodified are then accepted, so the flip was the only
# thing wrong with them.
tamper_test()
{
	local alg=$1 dir cap rx

	setup_pair 4 0 || return
	add_sa_pair "$alg" "$SPI_AB" "$SPI_BA" || return
	dir=$(mktemp -d) && defer rm -rf "$dir"
	cap=$dir/ab.pcap
	check_ping "$NS_A" 1 "$B_IN4" "first ping"

	tc_hook_add "$NS_B" vb
	esp_drop_add "$NS_B" vb ingress 4 1 "$SPI_AB"
	capture_start "$NS_A" va "$cap" 2 "esp and src host $A_UL4" || return
	check_eq "$(ping_count "$NS_A" -c 2 -i 0.1 -W 1 "$B_IN4")" "2 0" \
		"pings sent and answered while tc drops them"
	capture_wait || return
	tc_filter_del "$NS_B" vb ingress 1
	check_eq "$(esp_list "$cap")" "0x00001001 2,0x00001001 3" \
		"captured SPIs and sequence numbers"
	snap "$NS_B"
	check_eq "${SNAP[sa.in.$SPI_AB.seq]}" 1 "B's highest sequence number"
	rx=${SNAP[dev.rx]}

	# 40 bytes into the ESP packet: past header and IV, in the payload.
	check_eq "$(esp_send "$NS_A" va "$cap" --frame 0 --flip 40)" 1 "sent"
	snap_until "$NS_B" drop.rx_auth_fail 1
	check_drops_in SNAP "B, ciphertext bit flipped" rx_auth_fail=1
	check_eq "${SNAP[sa.in.$SPI_AB.seq]}" 1 "B's highest sequence number"
	check_eq "${SNAP[sa.in.$SPI_AB.packets]}" 1 "B's inbound SA packets"
	check_eq "${SNAP[dev.rx]}" "$rx" "B's rx packets"

	check_eq "$(esp_send "$NS_A" va "$cap" --frame 0)" 1 "sent"
	snap_until "$NS_B" "sa.in.$SPI_AB.packets" 2
	check_eq "${SNAP[sa.in.$SPI_AB.seq]}" 2 \
		"B's highest sequence number, packet unmodified"
	check_eq "${SNAP[dev.rx]}" $((rx + 1)) "B's rx packets"

	check_eq "$(esp_send "$NS_A" va "$cap" --frame 1 --flip -1)" 1 "sent"
	snap_until "$NS_B" drop.rx_auth_fail 2
	check_drops_in SNAP "B, ICV bit flipped" rx_auth_fail=2
	check_eq "${SNAP[sa.in.$SPI_AB.packets]}" 2 "B's inbound SA packets"

	check_eq "$(esp_send "$NS_A" va "$cap" --frame 1)" 1 "sent"
	snap_until "$NS_B" "sa.in.$SPI_AB.packets" 3
	check_eq "${SNAP[sa.in.$SPI_AB.seq]}" 3 \
		"B's highest sequence number, packet unmodified"
	check_eq "${SNAP[dev.rx]}" $((rx + 2)) "B's rx packets"
	check_drops_in SNAP "B, in the end" rx_auth_fail=2
	# The echo replies to the two packets accepted came back.
	snap_until "$NS_A" "sa.in.$SPI_BA.packets" 3
	check_drops_in SNAP "A"
}

test_auth_fail_gcm() { tamper_test aes-gcm-128; }
test_auth_fail_chacha() { tamper_test chacha20-poly1305; }
test_auth_fail_cbc() { tamper_test aes-cbc-128-hmac-sha256; }
test_auth_fail_null() { tamper_test null-hmac-sha256; }

test_unknown_spi()
{
	local dir cap rx

	setup_pair 4 0 || return
	add_sa_pair aes-gcm-128 "$SPI_AB" "$SPI_BA" || return
	dir=$(mktemp -d) && defer rm -rf "$dir"
	cap=$dir/ab.pcap

	capture_start "$NS_A" va "$cap" 1 "esp and src host $A_UL4" || return
	check_ping "$NS_A" 1 "$B_IN4" "A to B"
	capture_wait || return
	snap "$NS_B"
	rx=${SNAP[dev.rx]}

	check_eq "$(esp_send "$NS_A" va "$cap" --spi 0xdead0001 --repeat 3)" 3 \
		"packets sent with SPI 0xdead0001"
	snap_until "$NS_B" drop.rx_unknown_spi 3
	check_drops_in SNAP "B, SPI 0xdead0001" rx_unknown_spi=3
	check_eq "${SNAP[dev.rx]}" "$rx" "B's rx packets"
	check_eq "${SNAP[sa.in.$SPI_AB.packets]}" 1 "B's inbound SA packets"

	# An SPI that was B's: A goes on sending with it.
	vesp_ok "$NS_B" sa del vesp0 1 in "$SPI_AB"
	check_eq "$(ping_count "$NS_A" -c 2 -i 0.1 -W 1 "$B_IN4")" "2 0" \
		"pings sent and answered after B deleted its SA"
	snap_until "$NS_B" drop.rx_unknown_spi 5
	check_drops_in SNAP "B, deleted SA" rx_unknown_spi=5
	check_eq "${SNAP[dev.rx]}" "$rx" "B's rx packets"
	check_eq "${SNAP[sa.in.$SPI_AB.packets]:-none}" none "B's deleted SA"
	# The count belongs to the underlay netns: A's stays 0.
	check_drops "$NS_A" "A"
}

##############################################################################
# Rekeying

# sa_at_least NS DIR SPI N: the SA processed at least N packets.
sa_at_least()
{
	local packets

	snap "$1"
	packets=${SNAP[sa.$2.$3.packets]:-}
	[ -n "$packets" ] && ((packets >= $4))
}

test_sa_switch()
{
	local alg=aes-gcm-256 count=3000 dir pid
	local new_ab=$((0x1002)) new_ba=$((0x2002)) keys_ab keys_ba
	local -A a b

	setup_pair 4 0 || return
	add_sa_pair "$alg" "$SPI_AB" "$SPI_BA" || return
	dir=$(mktemp -d) && defer rm -rf "$dir"

	# 200 a second for 15 s, if the machine keeps up; longer if not.
	ip netns exec "$NS_A" ping -i 0.005 -c "$count" -W 5 "$B_IN4" \
		> "$dir/ping" 2>&1 &
	pid=$!
	defer kill "$pid"
	busywait "$BUSYWAIT_TIMEOUT" sa_at_least "$NS_A" out "$SPI_AB" 100 ||
		fail "the ping did not start"

	make_keys keys_ab "$alg"
	make_keys keys_ba "$alg"
	# A to B: the new SA goes active as it is added.
	vesp_ok "$NS_B" sa add vesp0 1 in spi "$new_ab" alg "$alg" "${keys_ab[@]}"
	vesp_ok "$NS_A" sa add vesp0 1 out spi "$new_ab" alg "$alg" \
		"${keys_ab[@]}" active
	# B to A: added, then activated.
	vesp_ok "$NS_A" sa add vesp0 1 in spi "$new_ba" alg "$alg" "${keys_ba[@]}"
	vesp_ok "$NS_B" sa add vesp0 1 out spi "$new_ba" alg "$alg" "${keys_ba[@]}"
	snap "$NS_B"
	check_eq "${SNAP[sa.out.$new_ba.active]}" false \
		"B's new SA active before vesp sa activate"
	vesp_ok "$NS_B" sa activate vesp0 1 "$new_ba"

	busywait "$BUSYWAIT_TIMEOUT" sa_at_least "$NS_A" out "$new_ab" 100 ||
		fail "A's new SA carries no traffic"
	busywait "$BUSYWAIT_TIMEOUT" sa_at_least "$NS_B" out "$new_ba" 100 ||
		fail "B's new SA carries no traffic"
	process_gone "$pid" &&
		fail "the ping ended before the switch was over: too slow a machine?"
	# The old SAs are idle now: what one end sent, the other received.
	counters "$NS_A" a
	counters "$NS_B" b
	check_eq "${a[sa.out.$new_ab.active]}/${a[sa.out.$SPI_AB.active]}" \
		true/false "A's new and old SA active"
	check_eq "${b[sa.out.$new_ba.active]}/${b[sa.out.$SPI_BA.active]}" \
		true/false "B's new and old SA active"
	check_eq "${b[sa.in.$SPI_AB.packets]}" "${a[sa.out.$SPI_AB.packets]}" \
		"packets of the old SAs, A to B"
	check_eq "${a[sa.in.$SPI_BA.packets]}" "${b[sa.out.$SPI_BA.packets]}" \
		"packets of the old SAs, B to A"
	vesp_batch "$NS_A" <<-EOF
		sa del vesp0 1 out $SPI_AB
		sa del vesp0 1 in $SPI_BA
	EOF
	vesp_batch "$NS_B" <<-EOF
		sa del vesp0 1 in $SPI_AB
		sa del vesp0 1 out $SPI_BA
	EOF

	slowwait $((WAIT_TIMEOUT * 2)) process_gone "$pid" || fail "ping did not end"
	check_eq "$(sed -n 's/^\([0-9]\+ packets transmitted, [0-9]\+ received\).*/\1/p' \
		"$dir/ping")" "$count packets transmitted, $count received" \
		"ping through the switch" || ktap_print_msg "$(tail -3 "$dir/ping")"
	snap "$NS_A"
	check_eq $((${a[sa.out.$SPI_AB.packets]:-0} + ${SNAP[sa.out.$new_ab.packets]:-0})) \
		"$count" "A's outbound packets, old and new SA"
	check_eq $((${a[sa.in.$SPI_BA.packets]:-0} + ${SNAP[sa.in.$new_ba.packets]:-0})) \
		"$count" "A's inbound packets, old and new SA"
	check_eq "$(printf '%s\n' "${!SNAP[@]}" | sed -n 's/^sa\.\(.*\)\.packets$/\1/p' |
		sort | paste -sd,)" "in.$new_ba,out.$new_ab" "A's SAs in the end"
	check_drops_in SNAP "A"
	snap "$NS_B"
	check_eq $((${b[sa.in.$SPI_AB.packets]:-0} + ${SNAP[sa.in.$new_ab.packets]:-0})) \
		"$count" "B's inbound packets, old and new SA"
	check_eq $((${b[sa.out.$SPI_BA.packets]:-0} + ${SNAP[sa.out.$new_ba.packets]:-0})) \
		"$count" "B's outbound packets, old and new SA"
	check_drops_in SNAP "B"
}

##############################################################################
# A hub with three spokes

# setup_hub: namespaces HUB and S1..S3 as drawn at the top, with SAs.
setup_hub()
{
	local n spoke keys_out keys_in

	setup_ns HUB S1 S2 S3 || return
	ip_batch "$HUB" <<-EOF || return
		$(vesp_lines 10.0.0.1 10.0.0.0/16)
		$(for n in 1 2 3; do
			spoke=S$n
			echo "link add h$n type veth peer name ul netns ${!spoke}"
			echo "addr add 198.18.$n.1/24 dev h$n"
			echo "link set h$n up"
		done)
	EOF
	for n in 1 2 3; do
		spoke=S$n
		spoke=${!spoke}
		ip_batch "$spoke" <<-EOF || return
			addr add 198.18.$n.2/24 dev ul
			link set ul up
			$(vesp_lines "10.0.$n.1" 10.0.0.0/24)
		EOF

		make_keys keys_out aes-gcm-128
		make_keys keys_in aes-gcm-128
		vesp_batch "$HUB" <<-EOF || return
			peer add vesp0 $n prefix 10.0.$n.0/24
			path add vesp0 $n 1 remote 198.18.$n.2
			sa add vesp0 $n in spi 0x200$n alg aes-gcm-128 ${keys_in[*]}
			sa add vesp0 $n out spi 0x100$n alg aes-gcm-128 ${keys_out[*]} active
		EOF
		vesp_batch "$spoke" <<-EOF || return
			peer add vesp0 1 prefix 10.0.0.0/24
			path add vesp0 1 1 remote 198.18.$n.1
			sa add vesp0 1 in spi 0x100$n alg aes-gcm-128 ${keys_out[*]}
			sa add vesp0 1 out spi 0x200$n alg aes-gcm-128 ${keys_in[*]} active
		EOF
	done
}

test_hub_routing()
{
	local n spoke count
	local -A rx_before tc

	setup_hub || return
	for n in 1 2 3; do
		spoke=S$n
		spoke=${!spoke}
		tc_hook_add "$spoke" ul
		esp_counter_add "$spoke" ul ingress 4 1 "0x100$n"
		esp_counter_add "$spoke" ul ingress 4 2
		snap "$spoke"
		rx_before[$n]=${SNAP[dev.rx]}
	done
	[ "$RET" -eq 0 ] || return

	# Spoke N gets N + 1 pings, so that each count tells whose they are.
	for n in 1 2 3; do
		check_ping "$HUB" $((n + 1)) "10.0.$n.1" "hub to spoke $n"
	done
	snap "$HUB"
	for n in 1 2 3; do
		count=$((n + 1))
		check_eq "${SNAP[sa.out.$((0x1000 + n)).packets]}" "$count" \
			"hub's outbound SA to spoke $n"
		check_eq "${SNAP[sa.in.$((0x2000 + n)).packets]}" "$count" \
			"hub's inbound SA from spoke $n"
	done
	for n in 1 2 3; do
		spoke=S$n
		spoke=${!spoke}
		count=$((n + 1))
		tc_counters "$spoke" ul tc
		check_eq "${tc[1]}" "$count" "ESP with SPI 0x100$n reaching spoke $n"
		check_eq "${tc[2]}" 0 "ESP with other SPIs reaching spoke $n"
		snap "$spoke"
		check_eq "${SNAP[sa.in.$((0x1000 + n)).packets]}" "$count" \
			"spoke $n's inbound SA"
		check_eq $((${SNAP[dev.rx]:-0} - ${rx_before[$n]:-0})) "$count" \
			"spoke $n's rx packets"
		check_drops_in SNAP "spoke $n"
	done

	# Inside the hub's route, outside every peer's prefixes.
	check_eq "$(ping_count "$HUB" -c 1 -W 1 10.0.9.1)" "1 0" \
		"pings to 10.0.9.1 sent and answered"
	check_drops "$HUB" "hub" tx_no_peer=1
}

test_hub_policy()
{
	local rx

	setup_hub || return
	# Spoke 1 borrows an address of spoke 2's prefix and one of nobody's.
	ip_batch "$S1" <<-EOF
		addr add 10.0.2.99/32 dev vesp0
		addr add 10.9.9.9/32 dev vesp0
	EOF
	snap "$HUB"
	rx=${SNAP[dev.rx]}

	check_eq "$(ping_count "$S1" -c 2 -i 0.1 -W 1 -I 10.0.2.99 10.0.0.1)" \
		"2 0" "pings from 10.0.2.99 sent and answered"
	check_eq "$(ping_count "$S1" -c 2 -i 0.1 -W 1 -I 10.9.9.9 10.0.0.1)" \
		"2 0" "pings from 10.9.9.9 sent and answered"
	snap "$S1"
	check_eq "${SNAP[sa.out.$((0x2001)).packets]}" 4 "spoke 1's outbound SA"
	snap_until "$HUB" drop.rx_policy 4
	check_drops_in SNAP "hub" rx_policy=4
	check_eq "${SNAP[dev.rx]}" "$rx" "hub's rx packets"
	check_eq "${SNAP[sa.in.$((0x2001)).packets]}" 0 \
		"hub's inbound SA from spoke 1, packets delivered"
	check_eq "${SNAP[sa.out.$((0x1001)).packets]}" 0 "hub's replies to spoke 1"

	# From their own addresses, spokes 1 and 2 get through.
	check_ping "$S1" 1 10.0.0.1 "spoke 1 from 10.0.1.1"
	check_ping "$S2" 1 10.0.0.1 "spoke 2 from 10.0.2.1"
	snap "$HUB"
	check_eq "${SNAP[sa.in.$((0x2001)).packets]}" 1 "hub's inbound SA from spoke 1"
	check_eq "${SNAP[dev.rx]}" $((rx + 2)) "hub's rx packets"
	check_drops_in SNAP "hub, in the end" rx_policy=4
}

##############################################################################
# Lifetimes

# setup_acquire_peer NS: peer 9 with 10.0.9.0/24 and no SA, for
# monitor_start to draw acquire notifications from.
setup_acquire_peer()
{
	ip -n "$1" route add 10.0.9.0/24 dev vesp0 src "$A_IN4"
	vesp_ok "$1" peer add vesp0 9 prefix 10.0.9.0/24
}

# lifetime_setup IN_LIMITS OUT_LIMITS: a tunnel with AES-GCM SAs, A's
# with the limits given, and "vesp monitor" on A (setup_acquire_peer,
# monitor_start) writing to MON; NO_SA is A's tx_no_sa count then.
lifetime_setup()
{
	local alg=aes-gcm-128 in_limits=$1 out_limits=$2 dir keys_ab keys_ba

	setup_pair 4 0 || return
	setup_acquire_peer "$NS_A" || return
	make_keys keys_ab "$alg"
	make_keys keys_ba "$alg"
	vesp_batch "$NS_B" <<-EOF || return
		sa add vesp0 1 in spi $SPI_AB alg $alg ${keys_ab[*]}
		sa add vesp0 1 out spi $SPI_BA alg $alg ${keys_ba[*]} active
	EOF
	vesp_batch "$NS_A" <<-EOF || return
		sa add vesp0 1 in spi $SPI_BA alg $alg ${keys_ba[*]} $in_limits
		sa add vesp0 1 out spi $SPI_AB alg $alg ${keys_ab[*]} active $out_limits
	EOF
	dir=$(mktemp -d) && defer rm -rf "$dir"
	MON=$dir/monitor
	monitor_start "$NS_A" "$MON" 10.0.9.1 || return
	snap "$NS_A"
	NO_SA=${SNAP[drop.tx_no_sa]}
}

test_lifetime_packets()
{
	local mon no_sa events

	lifetime_setup "soft-bytes 200" "soft-packets 3 hard-packets 5" || return
	mon=$MON no_sa=$NO_SA

	# Five pings go out on the SA, the fifth reaching its hard limit.
	check_eq "$(ping_count "$NS_A" -c 8 -i 0.2 -W 2 "$B_IN4")" "8 5" \
		"pings sent and answered"
	busywait "$BUSYWAIT_TIMEOUT" expire_event_seen "$mon" "$SPI_AB" hard ||
		fail "no hard expire notification for SPI $SPI_AB"
	sa_exists "$NS_A" out "$SPI_AB" && fail "the SA is still there after its hard limit"
	check_eq $((${SNAP[drop.tx_no_sa]:-0} - ${no_sa:-0})) 3 "tx_no_sa after the hard limit"
	check_eq "${SNAP[sa.in.$SPI_BA.packets]}" 5 "echo replies"

	events=$(monitor_events "$mon" ".event == \"expire\" and .sa.spi == $SPI_AB" |
		jq -r '"\(.sa.dir) \(.sa.reason) \(.sa.soft_packets) \(.sa.hard_packets)"' |
		paste -sd,)
	check_eq "$events" "out soft 3 5,out hard 3 5" "notifications for SPI $SPI_AB"
	check_eq "$(monitor_events "$mon" ".event == \"expire\" and .sa.reason == \"hard\"" |
		jq -r .sa.packets)" 5 "packets in the hard expire notification"
	events=$(monitor_events "$mon" ".event == \"expire\" and .sa.spi == $SPI_BA" |
		jq -r '"\(.sa.dir) \(.sa.reason) \(.sa.soft_bytes)"' | paste -sd,)
	check_eq "$events" "in soft 200" "notifications for SPI $SPI_BA"
	busywait "$BUSYWAIT_TIMEOUT" monitor_has "$mon" '.event == "acquire" and .peer == 1' ||
		fail "no acquire notification for peer 1 after the hard limit"
}

test_lifetime_bytes()
{
	local mon no_sa

	lifetime_setup "hard-packets 4" "soft-bytes 200 hard-bytes 400" || return
	mon=$MON no_sa=$NO_SA

	# Echo requests of 84 bytes: the third crosses 200 bytes, the fifth
	# 400 and is the last sent; the fourth reply ends the inbound SA.
	check_eq "$(ping_count "$NS_A" -c 8 -i 0.2 -W 2 "$B_IN4")" "8 4" \
		"pings sent and answered"
	busywait "$BUSYWAIT_TIMEOUT" expire_event_seen "$mon" "$SPI_AB" hard ||
		fail "no hard expire notification for SPI $SPI_AB"
	busywait "$BUSYWAIT_TIMEOUT" expire_event_seen "$mon" "$SPI_BA" hard ||
		fail "no hard expire notification for SPI $SPI_BA"
	snap "$NS_A"
	check_eq "${SNAP[sa.out.$SPI_AB.packets]:-none}" none "A's outbound SA after its hard limit"
	check_eq "${SNAP[sa.in.$SPI_BA.packets]:-none}" none "A's inbound SA after its hard limit"
	check_eq $((${SNAP[drop.tx_no_sa]:-0} - ${no_sa:-0})) 3 "tx_no_sa after the hard limit"
	# The fifth reply: its SA expired, or already gone.
	check_eq $((${SNAP[drop.rx_sa_expired]:-0} + ${SNAP[drop.rx_unknown_spi]:-0})) 1 \
		"rx_sa_expired and rx_unknown_spi"

	check_eq "$(monitor_events "$mon" ".event == \"expire\" and .sa.spi == $SPI_AB" |
		jq -r '"\(.sa.dir) \(.sa.reason) \(.sa.soft_bytes) \(.sa.hard_bytes)"' |
		paste -sd,)" "out soft 200 400,out hard 200 400" \
		"notifications for SPI $SPI_AB"
	check_eq "$(monitor_events "$mon" ".event == \"expire\" and .sa.spi == $SPI_AB and
		.sa.reason == \"hard\"" | jq -r .sa.bytes)" 420 \
		"bytes in the hard expire notification"
	check_eq "$(monitor_events "$mon" ".event == \"expire\" and .sa.spi == $SPI_BA" |
		jq -r '"\(.sa.dir) \(.sa.reason) \(.sa.hard_packets) \(.sa.packets)"' |
		paste -sd,)" "in hard 4 4" "notifications for SPI $SPI_BA"
}

test_lifetime_time()
{
	local alg=aes-gcm-128 new_ab=$((0x1002)) dir mon keys start elapsed age no_sa

	setup_pair 4 0 || return
	add_sa_pair "$alg" "$SPI_AB" "$SPI_BA" || return
	setup_acquire_peer "$NS_A" || return
	dir=$(mktemp -d) && defer rm -rf "$dir"
	mon=$dir/monitor
	monitor_start "$NS_A" "$mon" 10.0.9.1 || return

	make_keys keys "$alg"
	vesp_ok "$NS_B" sa add vesp0 1 in spi "$new_ab" alg "$alg" "${keys[@]}"
	start=$(date +%s%3N)
	vesp_ok "$NS_A" sa add vesp0 1 out spi "$new_ab" alg "$alg" "${keys[@]}" \
		active soft-time 2 || return

	busywait 10000 expire_event_seen "$mon" "$new_ab" soft ||
		fail "no soft expire notification within 10 s"
	elapsed=$(($(date +%s%3N) - start))
	((elapsed >= 1000)) || fail "soft expire after $elapsed ms, before 2 s"
	age=$(monitor_events "$mon" ".event == \"expire\" and .sa.reason == \"soft\"" |
		jq -r .sa.age)
	if ! [[ $age =~ ^[0-9]+$ ]] || ((age < 2 || age > 5)); then
		fail "SA age '$age' in the soft expire notification, expected 2 to 5"
	fi
	# Past the soft limit the SA still carries traffic.
	check_ping "$NS_A" 1 "$B_IN4" "after the soft limit"

	# A hard limit set now (the soft one stays), at 4 s of age, ends it.
	vesp_ok "$NS_A" sa set vesp0 1 out "$new_ab" hard-time 4
	busywait 10000 expire_event_seen "$mon" "$new_ab" hard ||
		fail "no hard expire notification within 10 s"
	elapsed=$(($(date +%s%3N) - start))
	((elapsed >= 3000)) || fail "hard expire after $elapsed ms, before 4 s"
	age=$(monitor_events "$mon" ".event == \"expire\" and .sa.reason == \"hard\"" |
		jq -r .sa.age)
	if ! [[ $age =~ ^[0-9]+$ ]] || ((age < 4)); then
		fail "SA age '$age' in the hard expire notification, expected 4 or more"
	fi
	check_eq "$(monitor_events "$mon" ".event == \"expire\" and .sa.spi == $new_ab" |
		jq -r '"\(.sa.reason) \(.sa.soft_seconds) \(.sa.hard_seconds)"' |
		paste -sd,)" "soft 2 0,hard 2 4" "notifications for SPI $new_ab"
	sa_exists "$NS_A" out "$new_ab" && fail "the SA is still there after its hard limit"

	# Nothing replaced it: traffic stops, counted, and asks for an SA.
	no_sa=${SNAP[drop.tx_no_sa]}
	check_eq "$(ping_count "$NS_A" -c 1 -W 1 "$B_IN4")" "1 0" \
		"pings sent and answered after the hard limit"
	snap "$NS_A"
	check_eq $((${SNAP[drop.tx_no_sa]:-0} - ${no_sa:-0})) 1 "tx_no_sa"
	busywait "$BUSYWAIT_TIMEOUT" monitor_has "$mon" '.event == "acquire" and .peer == 1' ||
		fail "no acquire notification for peer 1 after the hard limit"
}

##############################################################################
# Path MTU

# mtu_of NS DEV
mtu_of()
{
	ip -n "$1" -j link show dev "$2" | jq -r '.[0].mtu'
}

# Until set by hand, vesp0's MTU is the largest inner packet that fits
# the underlay's 1500 bytes with the outer header and the active SA's ESP.
test_mtu_default()
{
	local outer alg i=0 spi prev="" keys hdr want before
	local -A hdr_of=([4]=20 [6]=40)

	setup_pair 6 0 || return
	# Before any SA: no more than what the largest overhead leaves.
	before=$(mtu_of "$NS_A" vesp0)
	for outer in 4 6; do
		for alg in $ALGS; do
			want=$(esp_max_inner $((1500 - hdr_of[$outer])) "$alg")
			((before <= want)) ||
				fail "MTU $before before any SA, more than $want ($alg over IPv$outer)"
		done
	done

	for outer in 6 4; do
		if [ "$outer" = 4 ]; then
			vesp_batch "$NS_A" <<-EOF || return
				path del vesp0 1 1
				path add vesp0 1 1 remote $B_UL4
			EOF
		fi
		hdr=${hdr_of[$outer]}
		for alg in $ALGS; do
			i=$((i + 1))
			spi=$((0x1100 + i))
			make_keys keys "$alg"
			vesp_ok "$NS_A" sa add vesp0 1 out spi $spi alg "$alg" \
				"${keys[@]}" active || return
			[ -z "$prev" ] || vesp_ok "$NS_A" sa del vesp0 1 out $prev
			prev=$spi
			check_eq "$(mtu_of "$NS_A" vesp0)" \
				"$(esp_max_inner $((1500 - hdr)) "$alg")" \
				"vesp0's MTU with $alg over IPv$outer"
		done
	done
	check_eq "$(mtu_of "$NS_A" vesp0)" 1454 "vesp0's MTU, NULL/HMAC over IPv4"

	# Set by hand, it stays.
	ip -n "$NS_A" link set vesp0 mtu 1300
	make_keys keys aes-gcm-128
	vesp_ok "$NS_A" sa add vesp0 1 out spi 0x1200 alg aes-gcm-128 "${keys[@]}" active
	check_eq "$(mtu_of "$NS_A" vesp0)" 1300 "vesp0's MTU set by hand, after a new SA"
}

# setup_routed OUTER IPV6: NS_A and NS_B as in setup_pair, but with a
# router NS_R between them whose link to NS_B has an MTU of 1400:
#
#   NS_A va 192.0.2.1, 2001:db8::1 -- ra .254, ::fe  NS_R
#        rb 198.51.100.254, 2001:db8:2::fe (MTU 1400) -- vb .2, ::2 NS_B
#
# ESP from A too big for that link draws an ICMP error from the router.
setup_routed()
{
	local outer=$1 ipv6=$2

	setup_ns NS_A NS_R NS_B || return
	if [ "$outer" = 6 ] || ((ipv6)); then
		enable_ipv6 "$NS_A" "$NS_R" "$NS_B"
	fi
	if ! ip -n "$NS_R" link add ra type veth peer name va netns "$NS_A" ||
	   ! ip -n "$NS_R" link add rb type veth peer name vb netns "$NS_B"; then
		fail "cannot create veth pairs (CONFIG_VETH)"
		return 1
	fi
	ip netns exec "$NS_R" sysctl -qw net.ipv4.ip_forward=1 \
		net.ipv6.conf.all.forwarding=1
	ip_batch "$NS_R" <<-EOF || return
		addr add 192.0.2.254/24 dev ra
		addr add 198.51.100.254/24 dev rb
		$([ "$outer" = 6 ] && echo "addr add 2001:db8::fe/64 dev ra nodad")
		$([ "$outer" = 6 ] && echo "addr add 2001:db8:2::fe/64 dev rb nodad")
		link set rb mtu 1400
		link set ra up
		link set rb up
	EOF
	ip_batch "$NS_A" <<-EOF || return
		addr add $A_UL4/24 dev va
		$([ "$outer" = 6 ] && echo "addr add $A_UL6/64 dev va nodad")
		link set va up
		route add 198.51.100.0/24 via 192.0.2.254
		$([ "$outer" = 6 ] && echo "route add 2001:db8:2::/64 via 2001:db8::fe")
	EOF
	ip_batch "$NS_B" <<-EOF || return
		addr add 198.51.100.2/24 dev vb
		$([ "$outer" = 6 ] && echo "addr add 2001:db8:2::2/64 dev vb nodad")
		link set vb mtu 1400
		link set vb up
		route add 192.0.2.0/24 via 198.51.100.254
		$([ "$outer" = 6 ] && echo "route add 2001:db8::/64 via 2001:db8:2::fe")
	EOF
	if [ "$outer" = 4 ]; then
		setup_tunnel "$ipv6" "$A_UL4" 198.51.100.2
	else
		setup_tunnel "$ipv6" "$A_UL6" 2001:db8:2::2
	fi
}

# snmp_counter NS FILE NAME: a counter of /proc/net/snmp or snmp6 in NS.
snmp_counter()
{
	ip netns exec "$1" awk -v name="$3" '
		FILENAME ~ /snmp6$/ { if ($1 == name) print $2; next }
		$1 == "Ip:" && !n { n = split($0, names); next }
		$1 == "Ip:" { for (i = 2; i <= n; i++) if (names[i] == name) print $i; exit }
		' "/proc/net/$2"
}

# pmtu_test INNER OUTER ALG: between A and B a link of 1400 bytes, which
# A's underlay does not know of yet: vesp0's MTU is what fits in 1500.
# The first DF packet that large is lost; the router's ICMP error teaches
# A's underlay the path MTU, and vesp honours it: IPv4 without DF is
# fragmented outside, a DF packet draws an ICMP error with the exact
# inner MTU (tx_too_big), the sender learns it, and what fits passes.
pmtu_test()
{
	local inner=$1 outer=$2 alg=$3 hdr=28 dst=$B_IN4 ul=198.51.100.2
	local room=1480 max small frag=FragCreates snmp=snmp

	setup_routed "$outer" $((inner == 6)) || return
	add_sa_pair "$alg" "$SPI_AB" "$SPI_BA" || return
	if [ "$inner" = 6 ]; then
		dst=$B_IN6
		hdr=48
	fi
	if [ "$outer" = 6 ]; then
		room=1460
		ul=2001:db8:2::2
		frag=Ip6FragCreates
		snmp=snmp6
	fi
	max=$(esp_max_inner $room "$alg")
	small=$(esp_max_inner $((room - 100)) "$alg")
	((VERBOSE)) && ktap_print_msg "largest inner packet: $max, then $small"
	check_eq "$(mtu_of "$NS_A" vesp0)" "$max" "A's vesp0 MTU"

	check_eq "$(ping_count "$NS_A" -c 1 -W 2 -M "do" -s $((max - hdr)) "$dst")" \
		"1 0" "DF ping of $max bytes, lost on the way"
	check_match "$(ip -n "$NS_A" route get "$ul")" " mtu 1400( |$)" \
		"A's underlay route to B after the router's ICMP error"
	check_drops "$NS_A" "A, first ping"

	if [ "$inner" = 4 ]; then
		check_ping "$NS_A" 1 "$dst" "no DF, $max bytes" -M dont -s $((max - hdr))
		check_eq "$(snmp_counter "$NS_A" $snmp $frag)" 2 \
			"A's outer fragments ($frag)"
	fi

	ping_count "$NS_A" -c 1 -W 2 -M "do" -s $((max - hdr)) "$dst" > /dev/null
	if [ "$inner" = 4 ]; then
		check_match "$PING_OUT" "Frag needed and DF set \(mtu = $small\)" \
			"DF ping of $max bytes"
	else
		check_match "$PING_OUT" "Packet too big: mtu=$small" \
			"ping of $max bytes"
	fi
	check_drops "$NS_A" "A, DF packet too big" tx_too_big=1

	# The sender learnt the MTU: now its own stack refuses.
	ping_count "$NS_A" -c 1 -W 2 -M "do" -s $((max - hdr)) "$dst" > /dev/null
	check_match "$PING_OUT" "message too long, mtu[=:] ?$small" "ping again"
	check_match "$(ip -n "$NS_A" route get "$dst")" " mtu $small( |$)" "route to $dst"
	check_ping "$NS_A" 1 "$dst" "DF, $small bytes" -M "do" -s $((small - hdr))
	check_drops "$NS_A" "A, in the end" tx_too_big=1
	check_drops "$NS_B" "B"
}

test_pmtu_4in4() { pmtu_test 4 4 aes-gcm-128; }
test_pmtu_4in6() { pmtu_test 4 6 chacha20-poly1305; }
test_pmtu_6in4() { pmtu_test 6 4 null-hmac-sha256; }
test_pmtu_6in6() { pmtu_test 6 6 aes-cbc-256-hmac-sha256; }

##############################################################################
# Keys stay in the kernel

# key_scan KEY_FILE FILE...: looks for the keys of KEY_FILE (hex, one a
# line) in each FILE (a FILE ending in .hex holds hex to be decoded
# first): any 8 bytes of a key, as raw bytes, as hex in either case with
# or without separators, as base64, or as decimal bytes. Prints one line
# per key found: its line number in KEY_FILE, how, and where.
key_scan()
{
	python3 - "$@" <<-'EOF'
	import base64, re, sys

	keys = [bytes.fromhex(k) for k in open(sys.argv[1]).read().split()]
	for name in sys.argv[2:]:
	    data = open(name, "rb").read()
	    if name.endswith(".hex"):
	        data = bytes.fromhex(data.decode())
	    text = data.decode("latin-1")
	    flat = re.sub(r"0x|\\x|[\s:,.\-]", "", text.lower())
	    digits = "," + ",".join(re.findall(r"\d+", text)) + ","
	    for i, key in enumerate(keys, 1):
	        how = None
	        for off in range(len(key) - 7):
	            win = key[off:off + 8]
	            if win in data or win[::-1] in data:
	                how = "raw bytes"
	            elif win.hex() in flat or win[::-1].hex() in flat:
	                how = "hex"
	            elif "," + ",".join(map(str, win)) + "," in digits:
	                how = "decimal"
	            if how:
	                break
	        for off in range(3):
	            b64 = base64.b64encode(key[off:]).decode()[:12]
	            if not how and len(b64) == 12 and (
	                    b64 in text or b64.translate(str.maketrans("+/", "-_")) in text):
	                how = "base64"
	        if how:
	            print(i, how, name)
	EOF
}

# strace_data FILE: the bytes strace -e read=all/write=all dumped, as hex.
strace_data()
{
	sed -n 's/^ | [0-9a-f]\{5\}  \(.\{48\}\).*/\1/p' "$1" | tr -d ' \n'
}

test_no_keys()
{
	local dir mon alg i spi keys found cmd
	local cmds=("" "show" "show vesp0" "show all" "-j show" "show vesp0 sas"
		    "show vesp0 peers" "sa list" "sa list vesp0" "-j sa list"
		    "--color=always show" "stats" "-j stats")

	setup_ns NS_A || return
	setup_vesp "$NS_A" "$A_IN4" 10.0.2.0/24 || return
	vesp_ok "$NS_A" peer add vesp0 1 prefix 10.0.2.0/24 || return
	setup_acquire_peer "$NS_A" || return
	dir=$(mktemp -d) && defer rm -rf "$dir"
	mon=$dir/monitor
	monitor_start "$NS_A" "$mon" 10.0.9.1 || return

	# An inbound SA of every algorithm with soft-time 1, whose expire
	# notifications show them, and an outbound one; the keys given as
	# arguments, in a file (two lines, as xxd -p writes) and on standard
	# input. The requests are traced: a control that the scan finds keys.
	: > "$dir/keys"
	i=0
	for alg in $ALGS aes-gcm-256; do
		i=$((i + 1))
		spi=$((0x3000 + i))
		make_keys keys "$alg"
		printf '%s\n' "${keys[1]}" >> "$dir/keys"
		[ ${#keys[@]} -gt 2 ] && printf '%s\n' "${keys[3]}" >> "$dir/keys"
		cmd="sa add vesp0 1 in spi $spi alg $alg"
		[ "$i" -gt 6 ] && cmd="sa add vesp0 1 out spi $spi alg $alg active"
		case $((i % 3)) in
		1)
			echo "\"\$1\" $cmd ${keys[*]} soft-time 1"
			;;
		2)
			printf '%s\n%s\n' "${keys[1]:0:20}" "${keys[1]:20}" > "$dir/key$i"
			keys[1]=@$dir/key$i
			echo "\"\$1\" $cmd ${keys[*]} soft-time 1"
			;;
		0)
			echo "${keys[1]}" > "$dir/stdin$i"
			keys[1]=-
			echo "\"\$1\" $cmd ${keys[*]} soft-time 1 < $dir/stdin$i"
			;;
		esac
	done > "$dir/add.sh"
	echo "exit 0" >> "$dir/add.sh"
	sed -i 's/$/ || exit 1/; $s/ || exit 1$//' "$dir/add.sh"
	run_cmd ip netns exec "$NS_A" strace -f -o "$dir/add.trace" \
		-e trace=sendmsg,sendto -e write=all \
		bash "$dir/add.sh" "$VESP_CLI"
	check_err $? "vesp sa add: $CMD_OUT" || return
	strace_data "$dir/add.trace" > "$dir/add.hex"
	check_eq "$(key_scan "$dir/keys" "$dir/add.hex" | wc -l)" \
		"$(wc -l < "$dir/keys")" "control: keys found in the traced requests"
	# The soft limits of 1 s: notifications that carry each SA.
	busywait 10000 monitor_count_at_least "$mon" '.event == "expire"' 7 ||
		fail "fewer than 7 expire notifications"

	# What vesp prints, and what it reads from the kernel.
	# shellcheck disable=SC2016 # expanded by the inner shell
	ip netns exec "$NS_A" bash -c 'for cmd in "$@"; do $0 $cmd || exit; done' \
		"$VESP_CLI" "${cmds[@]}" > "$dir/out" 2>&1 ||
		fail "vesp failed: $(tail -1 "$dir/out")"
	check_eq "$(grep -c '"dir":"out"' "$dir/out")" 2 \
		"JSON objects of the outbound SA in the output"
	cat "$mon" >> "$dir/out"
	dmesg >> "$dir/out"
	# shellcheck disable=SC2016
	ip netns exec "$NS_A" strace -f -o "$dir/show.trace" \
		-e trace=recvmsg,recvfrom -e read=all \
		bash -c '$0 -j show && $0 -j sa list' "$VESP_CLI" > /dev/null 2>&1
	strace_data "$dir/show.trace" > "$dir/show.hex"
	[ -s "$dir/show.hex" ] || fail "strace showed no data read from the kernel"

	# Controls: the scan finds a key in each form it looks for.
	head -1 "$dir/keys" > "$dir/key1"
	tr a-f A-F < "$dir/key1" | sed 's/../&:/g' > "$dir/control.upper"
	xxd -r -p "$dir/key1" | base64 > "$dir/control.b64"
	xxd -r -p "$dir/key1" | od -An -tu1 > "$dir/control.dec"
	xxd -r -p "$dir/key1" > "$dir/control.raw"
	check_eq "$(key_scan "$dir/key1" "$dir"/control.* | awk '{ print $2 }' |
		LC_ALL=C sort | paste -sd,)" "base64,decimal,hex,raw" \
		"control: forms found"

	found=$(key_scan "$dir/keys" "$dir/out" "$dir/show.hex")
	[ -z "$found" ] || fail "keys found (line in the key list, how, where): $found"
	((VERBOSE)) && ktap_print_msg "scanned $(wc -c < "$dir/out") bytes of output," \
		"$(($(wc -c < "$dir/show.hex") / 2)) bytes of replies for" \
		"$(wc -l < "$dir/keys") keys"
	return 0
}

vesp_require()
{
	require_esp_tools
	require_cmds strace xxd base64 sed
}

vesp_run_tests "$@"
