#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# Every ESP algorithm of vesp with IPv4 and IPv6 inside and outside, each
# with and without extended sequence numbers, between two vesp devices:
# pings both ways and iperf3 (TCP, 1 MiB each way: -R for the other),
# then the same packet count at every step (outbound SA, device, ESP with
# the SA's SPI leaving one end of the veth and reaching the other, inbound
# SA, device), no other ESP and no inner packet in the clear on the
# underlay, no drops.
#
#  +------------ $NS_A -------------+     +------------ $NS_B -------------+
#  | vesp0 10.0.1.1, fd00:1::1      |     | vesp0 10.0.2.1, fd00:2::1      |
#  |   peer 1: 10.0.2.0/24,         |     |   peer 1: 10.0.1.0/24,         |
#  |           fd00:2::/64          |     |           fd00:1::/64          |
#  |   out SPI 0x1001, in 0x2001    |     |   out SPI 0x2001, in 0x1001    |
#  | va 192.0.2.1/24, 2001:db8::1 --+-----+-- vb 192.0.2.2/24, 2001:db8::2 |
#  +--------------------------------+     +--------------------------------+
#     tc filters on va and vb, both ways, count ESP by SPI, other ESP,
#     and inner (10/8, fd00::/8) packets in the clear.
#
# A test is ALG_INNERinOUTER, ALG one of gcm128, gcm256, chacha, cbc128,
# cbc256 and null, with _esn where the families differ, so that each
# algorithm runs with and without ESN: gcm128_4in4, gcm128_6in4_esn ...
#
# Usage: vesp_esp_algs.sh [-v] [-p] [TEST]...

# shellcheck disable=SC2317 # test_* functions are called by name
source "$(dirname "$(readlink -f "$0")")/lib.sh"
source "$SELFTEST_DIR/lib_esp.sh"

TESTS=""

# check_flow WHAT SPI TX TX_TC TX_DEV RX RX_TC: one direction of the
# tunnel counted the same packets everywhere. TX and RX name arrays filled
# by counters (fresh devices: nothing went through them before), TX_TC
# and RX_TC by tc_counters on the sender's veth TX_DEV and the receiver's.
# What the veth dropped (its peer's backlog full, under load) is counted.
check_flow()
{
	local what=$1 spi=$2
	local -n tx=$3 tx_tc=$4 rx=$6 rx_tc=$7
	local tx_dev=$5 sent=${tx[sa.out.$spi.packets]} received lost

	if ! [[ $sent =~ ^[0-9]+$ ]] || ((sent == 0)); then
		fail "$what: the outbound SA sent '$sent' packets"
		return
	fi
	check_eq "${tx[sa.out.$spi.seq]}" "$sent" "$what: outbound sequence number"
	check_eq "${tx[dev.tx]}" "$sent" "$what: device tx packets, against SA packets"
	check_eq "${tx_tc[1]}" "$sent" "$what: ESP packets with the SA's SPI sent"
	received=${rx_tc[11]:-none}
	lost=${tx[$tx_dev.tx_dropped]:-none}
	if ! [[ $received$lost =~ ^[0-9]+$ ]]; then
		fail "$what: no counts of ESP received ($received) or veth drops ($lost)"
		return
	fi
	check_eq $((sent - received)) "$lost" \
		"$what: ESP packets sent less those received, against veth drops"
	((lost == 0)) || ktap_print_msg "$what: the veth dropped $lost packets"
	check_eq "${rx[sa.in.$spi.packets]}" "$received" "$what: inbound SA packets"
	check_eq "${rx[dev.rx]}" "$received" "$what: device rx packets"
	# Highest sequence number: the last packet sent, unless it was lost.
	((lost)) || check_eq "${rx[sa.in.$spi.seq]}" "$sent" \
		"$what: inbound highest sequence number"
}

# check_underlay WHAT TC: on a veth, no ESP with another SPI and no inner
# packet in the clear, either way.
check_underlay()
{
	local what=$1 pref
	local -n __t=$2

	for pref in 2 12; do
		check_eq "${__t[$pref]}" 0 "$what: ESP with other SPIs (pref $pref)"
	done
	for pref in 3 4 13 14; do
		check_eq "${__t[$pref]}" 0 "$what: inner packets in the clear (pref $pref)"
	done
}

# flows_settled VAR_A VAR_B: takes counters of both ends into VAR_A and
# VAR_B; true when the SA packet counters of both stopped moving.
flows_settled()
{
	local -n __a=$1 __b=$2
	local last=$SETTLED

	sleep 0.2
	counters "$NS_A" "$1"
	counters "$NS_B" "$2"
	SETTLED="${__a[sa.out.$SPI_AB.packets]} ${__a[sa.in.$SPI_BA.packets]}"
	SETTLED+=" ${__b[sa.out.$SPI_BA.packets]} ${__b[sa.in.$SPI_AB.packets]}"
	[ "$SETTLED" = "$last" ]
}

# datapath_test ALG INNER OUTER [esn]
datapath_test()
{
	local alg=$1 inner=$2 outer=$3 esn=${4:-}
	local dst_ab=$B_IN4 dst_ba=$A_IN4 esn_json=false
	# shellcheck disable=SC2034 # filled through namerefs
	local -A a1 b1 tc_a tc_b

	[ -n "$esn" ] && esn_json=true
	if [ "$inner" = 6 ]; then
		dst_ab=$B_IN6
		dst_ba=$A_IN6
	fi
	setup_pair "$outer" $((inner == 6)) || return
	# A veth hands a packet to the receiver's stack on the CPU that sent
	# it: what two CPUs send arrives reordered, under emulation by more
	# than the default window of 64. The largest window covers every
	# packet of the test, so that only a true replay could be dropped.
	add_sa_pair "$alg" "$SPI_AB" "$SPI_BA" ${esn:+"$esn"} \
		-- replay-window 4096 || return
	tc_esp_counters "$NS_A" va "$outer" "$SPI_AB" "$SPI_BA"
	tc_esp_counters "$NS_B" vb "$outer" "$SPI_BA" "$SPI_AB"
	[ "$RET" -eq 0 ] || return

	check_ping "$NS_A" 3 "$dst_ab" "A to B"
	check_ping "$NS_B" 3 "$dst_ba" "B to A"
	if iperf_server "$NS_B"; then
		check_iperf "$NS_A" "$dst_ab" "iperf3 A to B"
		check_iperf "$NS_A" "$dst_ab" "iperf3 B to A" -R
	else
		fail "iperf3 server did not start"
	fi

	# The last packets may still be on their way: wait until the counters
	# stop moving.
	SETTLED=
	busywait "$BUSYWAIT_TIMEOUT" flows_settled a1 b1 ||
		fail "SA counters still moving after ${WAIT_TIMEOUT}s"
	tc_counters "$NS_A" va tc_a
	tc_counters "$NS_B" vb tc_b
	check_flow "A to B" "$SPI_AB" a1 tc_a va b1 tc_b
	check_flow "B to A" "$SPI_BA" b1 tc_b vb a1 tc_a
	check_underlay va tc_a
	check_underlay vb tc_b
	check_eq "${a1[sa.out.$SPI_AB.esn]}" "$esn_json" "ESN of A's outbound SA"
	check_eq "${b1[sa.in.$SPI_AB.esn]}" "$esn_json" "ESN of B's inbound SA"
	check_drops_in a1 "A"
	check_drops_in b1 "B"
}

declare -A ALG_SHORT=([aes-gcm-128]=gcm128 [aes-gcm-256]=gcm256
	[chacha20-poly1305]=chacha [aes-cbc-128-hmac-sha256]=cbc128
	[aes-cbc-256-hmac-sha256]=cbc256 [null-hmac-sha256]=null)
for alg in $ALGS; do
	for fam in 4in4 6in4 4in6 6in6; do
		inner=${fam:0:1}
		outer=${fam:3:1}
		esn=
		[ "$inner" = "$outer" ] || esn=esn
		name=${ALG_SHORT[$alg]}_$fam${esn:+_$esn}
		TESTS+="
	$name	$alg, IPv$inner in IPv$outer${esn:+, ESN}"
		eval "test_$name() { datapath_test $alg $inner $outer $esn; }"
	done
done
unset alg fam inner outer esn name

vesp_require()
{
	require_esp_tools
}

vesp_run_tests "$@"
