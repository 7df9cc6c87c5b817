#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# Helpers for vesp_path.sh and bench/failover.sh: two vesp namespaces
# joined by two underlay paths, liveness settings, path state as "vesp -j
# show" reports it, a numbered UDP stream from A to B, and the ways of
# cutting path 1. Source lib.sh and lib_esp.sh first.
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

UDP_STREAM=${UDP_STREAM:-$SELFTEST_DIR/udp_stream.py}

UL1_A=192.0.2.1
UL1_B=192.0.2.2
UL2_A=198.51.100.1
UL2_B=198.51.100.2
STREAM_PORT=9000
# Liveness settings of liveness_on; the bench changes INTERVAL.
INTERVAL=${INTERVAL:-100}
MULTIPLIER=${MULTIPLIER:-3}

##############################################################################
# Setup

# setup_paths [A_LOCAL]: NS_A and NS_B joined by two veths, vesp0 on both
# with peer 1 and paths 1 and 2, no SAs yet. With A_LOCAL "unset", A's paths
# name no local address (routing chooses it, as after DHCP), for roaming.
setup_paths()
{
	local a_local=${1:-set} local1="local $UL1_A" local2="local $UL2_A" ns

	setup_ns NS_A NS_B || return
	# Roaming tests send from addresses the routes do not lead back to.
	for ns in "$NS_A" "$NS_B"; do
		ip netns exec "$ns" sysctl -qw net.ipv4.conf.all.rp_filter=0 \
			net.ipv4.conf.default.rp_filter=0
	done
	if ! ip -n "$NS_A" link add a1 type veth peer name b1 netns "$NS_B" ||
	   ! ip -n "$NS_A" link add a2 type veth peer name b2 netns "$NS_B"; then
		fail "cannot create veth pairs (CONFIG_VETH)"
		return 1
	fi
	ip_batch "$NS_A" <<-EOF || return
		addr add $UL1_A/24 dev a1
		addr add $UL2_A/24 dev a2
		link set a1 up
		link set a2 up
	EOF
	ip_batch "$NS_B" <<-EOF || return
		addr add $UL1_B/24 dev b1
		addr add $UL2_B/24 dev b2
		link set b1 up
		link set b2 up
	EOF
	setup_vesp "$NS_A" 10.0.1.1 10.0.2.0/24 || return
	setup_vesp "$NS_B" 10.0.2.1 10.0.1.0/24 || return
	if [ "$a_local" = unset ]; then
		local1=
		local2=
	fi
	vesp_batch "$NS_A" <<-EOF || return
		peer add vesp0 1 prefix 10.0.2.0/24
		path add vesp0 1 1 remote $UL1_B $local1 priority 0
		path add vesp0 1 2 remote $UL2_B $local2 priority 10
	EOF
	vesp_batch "$NS_B" <<-EOF
		peer add vesp0 1 prefix 10.0.1.0/24
		path add vesp0 1 1 remote $UL1_A local $UL1_B priority 0
		path add vesp0 1 2 remote $UL2_A local $UL2_B priority 10
	EOF
}

# liveness_on HOLD_DOWN NS...: liveness at INTERVAL and MULTIPLIER.
liveness_on()
{
	local hold=$1 ns

	shift
	for ns in "$@"; do
		vesp_ok "$ns" peer set vesp0 1 liveness "$INTERVAL" \
			multiplier "$MULTIPLIER" hold-down "$hold" || return
	done
}

##############################################################################
# Queries

# peer_json NS JQ_FILTER: a field of peer 1 of vesp0 in "vesp -j show".
peer_json()
{
	ip netns exec "$1" "$VESP_CLI" -j show vesp0 2> /dev/null |
		jq -r ".[0].peers[0] | $2"
}

# path_json NS PATH FIELD
path_json()
{
	peer_json "$1" ".paths[] | select(.id == $2) | .$3"
}

active_path()
{
	peer_json "$1" '.paths[] | select(.active) | .id'
}

active_spi()
{
	peer_json "$1" '.sas[] | select(.active) | .spi'
}

path_is()
{
	[ "$(path_json "$1" "$2" state)" = "$3" ] || { sleep 0.05; return 1; }
}

active_is()
{
	[ "$(active_path "$1")" = "$2" ] || { sleep 0.05; return 1; }
}

# wait_path NS PATH STATE
wait_path()
{
	slowwait "$WAIT_TIMEOUT" path_is "$@" ||
		fail "path $2 in $1 is '$(path_json "$1" "$2" state)', not $3"
}

# wait_active NS PATH
wait_active()
{
	slowwait "$WAIT_TIMEOUT" active_is "$@" ||
		fail "the active path in $1 is '$(active_path "$1")', not $2"
}

# wait_all_up NS...: both paths up at each NS, path 1 active.
wait_all_up()
{
	local ns

	for ns in "$@"; do
		wait_path "$ns" 1 up
		wait_path "$ns" 2 up
		wait_active "$ns" 1
	done
}

carrier_of()
{
	ip netns exec "$1" cat /sys/class/net/vesp0/carrier 2> /dev/null
}

carrier_is()
{
	[ "$(carrier_of "$1")" = "$2" ] || { sleep 0.02; return 1; }
}

##############################################################################
# A numbered stream from A to B

# stream_start DIR RATE COUNT [LOG]: the receiver in NS_B (with LOG, it
# logs each arrival there), then the sender in NS_A in the background;
# STREAM_PID is the sender's. The receiver ends STREAM_IDLE seconds after
# the last packet.
stream_start()
{
	local dir=$1 rate=$2 count=$3 log=()

	[ -z "${4:-}" ] || log=(--log "$4")
	rm -f "$dir/ready"
	ip netns exec "$NS_B" python3 "$UDP_STREAM" recv 10.0.2.1 "$STREAM_PORT" \
		--idle "${STREAM_IDLE:-3}" --ready "$dir/ready" "${log[@]}" \
		> "$dir/report" 2>&1 &
	RECV_PID=$!
	defer kill "$RECV_PID"
	busywait "$BUSYWAIT_TIMEOUT" test -e "$dir/ready" ||
		{ fail "the stream receiver did not start"; return 1; }
	ip netns exec "$NS_A" python3 "$UDP_STREAM" send 10.0.2.1 "$STREAM_PORT" \
		--rate "$rate" --count "$count" > "$dir/sent" 2>&1 &
	STREAM_PID=$!
	defer kill "$STREAM_PID"
}

# stream_end DIR VAR: waits for both ends; VAR gets the receiver's report.
stream_end()
{
	local dir=$1 key value pair pairs=()
	local -n __report=$2

	wait "$STREAM_PID"
	wait "$RECV_PID"
	__report=()
	read -r -a pairs < "$dir/report"
	for pair in "${pairs[@]}"; do
		key=${pair%%=*}
		value=${pair#*=}
		__report["$key"]=$value
	done
	((VERBOSE)) && ktap_print_msg "stream: sent $(cat "$dir/sent"), $(cat "$dir/report")"
	[ -n "${__report[received]:-}" ] ||
		fail "no report from the stream receiver: $(cat "$dir/report")"
}

# check_stream VAR COUNT MAX_LOST WHAT: the stream got to its end with at
# most MAX_LOST packets lost, none reordered or twice.
check_stream()
{
	local -n __r=$1
	local count=$2 max_lost=$3 what=$4

	check_eq "${__r[last]}" $((count - 1)) "$what: last packet received"
	check_eq "${__r[reordered]}" 0 "$what: packets out of order"
	check_eq "${__r[duplicates]}" 0 "$what: packets received twice"
	[ "${__r[lost]}" -le "$max_lost" ] ||
		fail "$what: ${__r[lost]} packets lost, more than $max_lost"
}

##############################################################################
# Cutting path 1

# drop_one_way add|del: ESP from A to B on path 1 dropped as B receives it.
drop_one_way()
{
	if command -v nft > /dev/null; then
		if [ "$1" = add ]; then
			run_cmd ip netns exec "$NS_B" nft -f - <<-EOF
				table netdev vesp_cut {
					chain b1_in {
						type filter hook ingress device "b1" priority 0;
						ip protocol esp drop
					}
				}
			EOF
		else
			run_cmd ip netns exec "$NS_B" nft delete table netdev vesp_cut
		fi
		check_err $? "nft $1: $CMD_OUT"
		return
	fi
	((VERBOSE)) && ktap_print_msg "nft is not installed: the one-way cut is a tc filter"
	if [ "$1" = add ]; then
		# The hook stays between cuts (the bench cuts several times).
		tc -n "$NS_B" qdisc show dev b1 | grep -q clsact ||
			tc_hook_add "$NS_B" b1 || return
		tc_filter_add "$NS_B" b1 ingress 4 1 "$(esp_match 4)" drop
	else
		tc_filter_del "$NS_B" b1 ingress 1
	fi
}

# esp_cut add|del: all ESP on a1 dropped both ways (tc prefs 1 and 11).
esp_cut()
{
	if [ "$1" = add ]; then
		tc_batch "$NS_A" <<-EOF
			filter add dev a1 egress protocol ip pref 1 basic match '$(esp_match 4)' action drop
			filter add dev a1 ingress protocol ip pref 11 basic match '$(esp_match 4)' action drop
		EOF
	else
		tc_batch "$NS_A" <<-EOF
			filter del dev a1 egress pref 1
			filter del dev a1 ingress pref 11
		EOF
	fi
}
