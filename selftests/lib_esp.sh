#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# Helpers for the vesp selftests that send traffic through tunnels: the
# vesp command in a namespace, random keys, a two-namespace tunnel, SA and
# device counters, ESP counted on the underlay by tc, packet captures and
# the notification monitor. Source lib.sh first.

ESP_INJECT=${ESP_INJECT:-$SELFTEST_DIR/esp_inject.py}
# The vesp CLI: $VESP_CLI, else on PATH, else the repository's build.
if [ -z "${VESP_CLI:-}" ]; then
	VESP_CLI=$(command -v vesp ||
		   echo "$SELFTEST_DIR/../userspace/build/vesp")
fi

# shellcheck disable=SC2034 # used by the scripts that source this
ALGS="aes-gcm-128 aes-gcm-256 chacha20-poly1305 aes-cbc-128-hmac-sha256
      aes-cbc-256-hmac-sha256 null-hmac-sha256"

# Key lengths in bytes (the AEADs' enc-key includes the 4-byte salt), IV
# length and the block size the ESP payload is padded to (at least 4).
declare -A ALG_ENC_LEN=([aes-gcm-128]=20 [aes-gcm-256]=36
	[chacha20-poly1305]=36 [aes-cbc-128-hmac-sha256]=16
	[aes-cbc-256-hmac-sha256]=32 [null-hmac-sha256]=0)
declare -A ALG_AUTH_LEN=([aes-gcm-128]=0 [aes-gcm-256]=0
	[chacha20-poly1305]=0 [aes-cbc-128-hmac-sha256]=32
	[aes-cbc-256-hmac-sha256]=32 [null-hmac-sha256]=32)
declare -A ALG_IV_LEN=([aes-gcm-128]=8 [aes-gcm-256]=8
	[chacha20-poly1305]=8 [aes-cbc-128-hmac-sha256]=16
	[aes-cbc-256-hmac-sha256]=16 [null-hmac-sha256]=0)
declare -A ALG_ALIGN=([aes-gcm-128]=4 [aes-gcm-256]=4
	[chacha20-poly1305]=4 [aes-cbc-128-hmac-sha256]=16
	[aes-cbc-256-hmac-sha256]=16 [null-hmac-sha256]=4)
ESP_HDR_LEN=8
ESP_ICV_LEN=16
ESP_TRAILER_LEN=2

# The two ends of a tunnel (setup_pair): inner and underlay addresses.
A_IN4=10.0.1.1
B_IN4=10.0.2.1
A_IN6=fd00:1::1
B_IN6=fd00:2::1
A_UL4=192.0.2.1
B_UL4=192.0.2.2
A_UL6=2001:db8::1
B_UL6=2001:db8::2
# SPIs of the tunnel's SAs, A to B (0x1001) and B to A (0x2001), in
# decimal as "vesp -j" and the SNAP keys show them.
# shellcheck disable=SC2034 # used by the scripts that source this
SPI_AB=4097
# shellcheck disable=SC2034
SPI_BA=8193

require_esp_tools()
{
	require_cmds tc tcpdump ping iperf3 ss python3 awk sed paste
	[ -x "$VESP_CLI" ] ||
		ktap_bail_out "vesp CLI $VESP_CLI missing: build it with make -C userspace"
}

# vesp_ok NS ARG...: the vesp CLI in NS, which must succeed.
vesp_ok()
{
	local ns=$1

	shift
	run_cmd ip netns exec "$ns" "$VESP_CLI" "$@"
	check_err $? "vesp $*: $CMD_OUT"
}

# vesp_batch NS: the vesp CLI in NS once for each line of standard input
# (its arguments, split at blanks), stopping at the first failure; one
# "ip netns exec" for all, which is much cheaper under emulation.
vesp_batch()
{
	local ns=$1 cmds rc

	cmds=$(cat)
	# shellcheck disable=SC2016 # expanded by the inner shell
	CMD_OUT=$(ip netns exec "$ns" bash -c 'while read -r -a args; do
			[ ${#args[@]} -gt 0 ] || continue
			"$0" "${args[@]}" || { echo "in: vesp ${args[*]}"; exit 1; }
		done' "$VESP_CLI" <<< "$cmds" 2>&1)
	rc=$?
	if ((VERBOSE)); then
		ktap_print_msg "VESP in $ns (exit $rc):"$'\n'"$cmds"
		[ -z "$CMD_OUT" ] || ktap_print_msg "$CMD_OUT"
	fi
	check_err $rc "vesp commands in $ns: $CMD_OUT"
}

# cmd_batch CMD NS: "CMD -batch -" in NS with the commands on standard
# input (ip or tc).
cmd_batch()
{
	local cmds

	cmds=$(cat)
	((VERBOSE)) && ktap_print_msg "${1^^} in $2:"$'\n'"$cmds"
	run_cmd "$1" -n "$2" -batch - <<< "$cmds"
	check_err $? "$1 -batch in $2: $CMD_OUT"
}

# ip_batch NS: the ip commands on standard input in NS.
ip_batch()
{
	cmd_batch ip "$1"
}

# random_hex VAR BYTES: VAR set to BYTES random bytes in hex, without
# spawning a process (SRANDOM comes from getrandom(), bash 5.1 and later).
random_hex()
{
	local -n __hex=$1
	local i

	__hex=
	for ((i = 0; i < $2; i++)); do
		printf -v __hex '%s%02x' "$__hex" $(((${SRANDOM:-$RANDOM} >> 3) & 0xff))
	done
}

# make_keys VAR ALG: stores in the array VAR the key arguments of "vesp sa
# add" for ALG, with fresh random keys.
make_keys()
{
	local -n __keys=$1
	local alg=$2 key

	__keys=()
	if ((ALG_ENC_LEN[$alg])); then
		random_hex key "${ALG_ENC_LEN[$alg]}"
		__keys+=(enc-key "$key")
	fi
	if ((ALG_AUTH_LEN[$alg])); then
		random_hex key "${ALG_AUTH_LEN[$alg]}"
		__keys+=(auth-key "$key")
	fi
	return 0
}

# esp_max_inner ROOM ALG: the largest inner packet that fits in ROOM bytes
# of ESP (RFC 4303): header, IV, payload padded with the 2-byte trailer to
# the alignment, ICV.
esp_max_inner()
{
	local room=$1 alg=$2
	local align=${ALG_ALIGN[$alg]}
	local fixed=$((ESP_HDR_LEN + ALG_IV_LEN[$alg] + ESP_ICV_LEN))

	echo $(((room - fixed) / align * align - ESP_TRAILER_LEN))
}

##############################################################################
# A tunnel between two namespaces
#
#  +------------ $NS_A -------------+     +------------ $NS_B -------------+
#  | vesp0 10.0.1.1, fd00:1::1      |     | vesp0 10.0.2.1, fd00:2::1      |
#  |   peer 1: 10.0.2.0/24,         |     |   peer 1: 10.0.1.0/24,         |
#  |           fd00:2::/64          |     |           fd00:1::/64          |
#  |   out SPI 0x1001, in 0x2001    |     |   out SPI 0x2001, in 0x1001    |
#  | va 192.0.2.1/24, 2001:db8::1 --+-----+-- vb 192.0.2.2/24, 2001:db8::2 |
#  +--------------------------------+     +--------------------------------+

# vesp_lines ADDR4 NET4 [ADDR6 NET6]: the ip commands for vesp0 with its
# inner addresses and routes to the peer's networks (IPv6 ones only with
# ADDR6, and IPv6 must then be on for new links).
vesp_lines()
{
	local addr4=$1 net4=$2 addr6=${3:-} net6=${4:-}

	echo "link add vesp0 type vesp"
	echo "addr add $addr4/32 dev vesp0"
	[ -z "$addr6" ] || echo "addr add $addr6/128 dev vesp0 nodad"
	echo "link set vesp0 up"
	echo "route add $net4 dev vesp0 src $addr4"
	[ -z "$addr6" ] || echo "route add $net6 dev vesp0 src $addr6"
}

# setup_vesp NS ADDR4 NET4: an IPv4-only vesp0 in NS (vesp_lines).
setup_vesp()
{
	local ns=$1

	shift
	ip_batch "$ns" <<< "$(vesp_lines "$@")"
}

# enable_ipv6 NS...: IPv6 on the links created from now on.
enable_ipv6()
{
	local ns

	for ns in "$@"; do
		ip netns exec "$ns" sysctl -qw net.ipv6.conf.default.disable_ipv6=0
	done
}

# setup_pair OUTER IPV6: namespaces NS_A and NS_B joined by a veth (va,
# vb) with IPv4 (and with OUTER 6 IPv6) addresses, vesp0 on both with a
# peer and a path over OUTER, and no SAs yet. IPv6 stays off unless the
# underlay or, with IPV6 1, the inner traffic needs it: MLD reports would
# land in the counters of IPv4 tests.
setup_pair()
{
	local outer=$1 ipv6=$2

	setup_ns NS_A NS_B || return
	if [ "$outer" = 6 ] || ((ipv6)); then
		enable_ipv6 "$NS_A" "$NS_B"
	fi
	if ! ip -n "$NS_A" link add va type veth peer name vb netns "$NS_B"; then
		fail "cannot create a veth pair (CONFIG_VETH)"
		return 1
	fi
	ip_batch "$NS_A" <<-EOF || return
		addr add $A_UL4/24 dev va
		$([ "$outer" = 6 ] && echo "addr add $A_UL6/64 dev va nodad")
		link set va up
	EOF
	ip_batch "$NS_B" <<-EOF || return
		addr add $B_UL4/24 dev vb
		$([ "$outer" = 6 ] && echo "addr add $B_UL6/64 dev vb nodad")
		link set vb up
	EOF
	if [ "$outer" = 4 ]; then
		setup_tunnel "$ipv6" "$A_UL4" "$B_UL4"
	else
		setup_tunnel "$ipv6" "$A_UL6" "$B_UL6"
	fi
}

# setup_tunnel IPV6 UL_A UL_B: vesp0 in NS_A and NS_B, with IPv6 inside
# if IPV6 is 1, and peer 1 on each with a path to the other's underlay
# address, UL_A or UL_B; no SAs yet.
setup_tunnel()
{
	tunnel_end "$NS_A" 1 2 "$1" "$2" "$3" &&
		tunnel_end "$NS_B" 2 1 "$1" "$3" "$2"
}

# tunnel_end NS SELF OTHER IPV6 LOCAL REMOTE: one end of setup_tunnel,
# 10.0.SELF.1 and fd00:SELF::1, its peer OTHER's prefixes behind REMOTE.
tunnel_end()
{
	local ns=$1 self=$2 other=$3 ipv6=$4 local=$5 remote=$6

	if ((ipv6)); then
		ip_batch "$ns" <<< "$(vesp_lines "10.0.$self.1" "10.0.$other.0/24" \
			"fd00:$self::1" "fd00:$other::/64")" || return
	else
		ip_batch "$ns" <<< "$(vesp_lines "10.0.$self.1" "10.0.$other.0/24")" ||
			return
	fi
	# The SAs come later: add_sa_pair, or the test's own.
	vesp_batch "$ns" <<-EOF
		peer add vesp0 1 prefix 10.0.$other.0/24 prefix fd00:$other::/64
		path add vesp0 1 1 remote $remote local $local
	EOF
}

# add_sa_pair ALG SPI_AB SPI_BA [OPTION...] [-- IN_OPTION...]: SAs for
# both directions of the tunnel, each with its own random keys (kept in
# KEYS_AB and KEYS_BA), the outbound ones active. OPTIONs (esn, limits) go
# to all four SAs, IN_OPTIONs (replay-window) to the inbound ones.
add_sa_pair()
{
	local alg=$1 spi_ab=$2 spi_ba=$3
	local opts=() in_opts=()

	shift 3
	while (($#)) && [ "$1" != -- ]; do
		opts+=("$1")
		shift
	done
	(($#)) && shift
	in_opts=("${opts[@]}" "$@")
	make_keys KEYS_AB "$alg"
	make_keys KEYS_BA "$alg"
	# Inbound first: the peer may send as soon as its outbound SA is there.
	vesp_batch "$NS_B" <<-EOF || return
		sa add vesp0 1 in spi $spi_ab alg $alg ${KEYS_AB[*]} ${in_opts[*]}
	EOF
	vesp_batch "$NS_A" <<-EOF || return
		sa add vesp0 1 in spi $spi_ba alg $alg ${KEYS_BA[*]} ${in_opts[*]}
		sa add vesp0 1 out spi $spi_ab alg $alg ${KEYS_AB[*]} ${opts[*]} active
	EOF
	vesp_batch "$NS_B" <<-EOF
		sa add vesp0 1 out spi $spi_ba alg $alg ${KEYS_BA[*]} ${opts[*]} active
	EOF
}

##############################################################################
# Counters

# counters NS VAR: fills the associative array VAR with the counters of
# vesp0 in NS, with one "vesp -j show" and one "ip -s link": for each SA
# sa.DIR.SPI.FIELD (SPI in decimal; packets, bytes, seq, esn, active), for
# each drop counter drop.NAME, dev.rx and dev.tx (packets of vesp0), and
# for every other link LINK.rx, LINK.tx, LINK.tx_dropped.
counters()
{
	local ns=$1 key value
	local -n __counters=$2

	__counters=()
	# shellcheck disable=SC2004,SC2016 # an associative array; inner shell
	while read -r key value; do
		[ -n "$key" ] && __counters[$key]=$value
	done <<< "$(ip netns exec "$ns" bash -c '"$0" -j show vesp0 &&
			ip -j -s link show' "$VESP_CLI" 2> /dev/null |
		jq -rs '(.[0][0] | (.peers[].sas[] | . as $sa |
				("packets", "bytes", "seq", "esn", "active") |
				"sa.\($sa.dir).\($sa.spi).\(.) \($sa[.])"),
			(.stats | to_entries[] | "drop.\(.key) \(.value)")),
			(.[1][] | (if .ifname == "vesp0" then "dev" else .ifname end) as $l |
				"\($l).rx \(.stats64.rx.packets)",
				"\($l).tx \(.stats64.tx.packets)",
				"\($l).tx_dropped \(.stats64.tx.dropped)")')"
}

# snap NS: counters NS SNAP, the snapshot tests read their checks from.
declare -A SNAP=()
snap()
{
	counters "$1" SNAP
}

# snap_until NS KEY VALUE: takes snapshots until SNAP[KEY] is VALUE, for
# what happens after the command that caused it returned.
snap_until()
{
	busywait "$BUSYWAIT_TIMEOUT" snap_is "$@" ||
		fail "$2 in $1 is '${SNAP[$2]:-}', not '$3', after ${WAIT_TIMEOUT}s"
}

snap_is()
{
	snap "$1"
	[ "${SNAP[$2]:-}" = "$3" ]
}

# sa_exists NS DIR SPI (takes a snapshot)
sa_exists()
{
	snap "$1"
	[ -n "${SNAP[sa.$2.$(($3)).packets]:-}" ]
}

# check_drops_in VAR WHAT [NAME=VALUE...]: every drop counter in the
# array VAR (filled by counters) is 0 except the NAMEs given, which must
# have their VALUEs; tx_no_peer is not checked unless named (IPv6
# link-local traffic lands there).
check_drops_in()
{
	local -n __d=$1
	local what=$2 entry key name
	local -A expect=()

	shift 2
	for entry in "$@"; do
		expect[${entry%%=*}]=${entry#*=}
	done
	for key in "${!__d[@]}"; do
		[[ $key == drop.* ]] || continue
		name=${key#drop.}
		[ "$name" = tx_no_peer ] && [ -z "${expect[$name]+set}" ] &&
			continue
		check_eq "${__d[$key]}" "${expect[$name]:-0}" "$what: $name"
	done
}

# check_drops NS WHAT [NAME=VALUE...]: the same on a fresh snapshot.
check_drops()
{
	local ns=$1

	shift
	snap "$ns"
	[ -n "${SNAP[drop.rx_replay]:-}" ] || fail "$1: no drop counters from vesp"
	check_drops_in SNAP "$@"
}

# ESP on the underlay, counted (or dropped) by tc filters on a link's
# ingress or egress: "basic" filters with cmp ematches, since u32 filters
# of a clsact qdisc share their hash tables between ingress and egress,
# which mixes them up in listings.

# tc_hook_add NS DEV: the clsact qdisc filters hang on.
tc_hook_add()
{
	run_cmd tc -n "$1" qdisc add dev "$2" clsact
	check_err $? "tc qdisc add dev $2 clsact: $CMD_OUT"
}

# esp_match FAMILY [SPI]: the ematch for ESP (with SPI) over FAMILY.
esp_match()
{
	local family=$1 spi=${2:-}

	if [ "$family" = 4 ]; then
		# Outer headers without options: vesp sends none.
		echo -n "cmp(u8 at 9 layer network eq 50)"
		[ -z "$spi" ] || echo -n " and cmp(u32 at 20 layer network eq $((spi)))"
	else
		echo -n "cmp(u8 at 6 layer network eq 50)"
		[ -z "$spi" ] || echo -n " and cmp(u32 at 40 layer network eq $((spi)))"
	fi
}

# tc_filter_add NS DEV HOOK FAMILY PREF EMATCH ACTION
tc_filter_add()
{
	local ns=$1 dev=$2 hook=$3 family=$4 pref=$5 ematch=$6 action=$7
	local proto=ip

	[ "$family" = 4 ] || proto=ipv6
	run_cmd tc -n "$ns" filter add dev "$dev" "$hook" protocol "$proto" \
		pref "$pref" basic match "$ematch" action "$action"
	check_err $? "tc filter add dev $dev $hook pref $pref ($ematch): $CMD_OUT"
}

# esp_counter_add NS DEV HOOK FAMILY PREF [SPI]
esp_counter_add()
{
	tc_filter_add "$1" "$2" "$3" "$4" "$5" "$(esp_match "$4" "${6:-}")" pass
}

# tc_esp_counters NS DEV OUTER SPI_OUT SPI_IN: counters on both hooks of
# DEV: the tunnel's SPI leaving at egress pref 1 and arriving at ingress
# pref 11, other ESP at 2 and 12, inner traffic in the clear at 3 and 13
# (IPv4), 4 and 14 (IPv6).
tc_esp_counters()
{
	local ns=$1 dev=$2 outer=$3 spi_out=$4 spi_in=$5
	local proto=ip hook spi base

	[ "$outer" = 4 ] || proto=ipv6
	tc_batch "$ns" <<< "$(
		echo "qdisc add dev $dev clsact"
		for hook in egress ingress; do
			spi=$spi_out
			base=0
			if [ $hook = ingress ]; then
				spi=$spi_in
				base=10
			fi
			echo "filter add dev $dev $hook protocol $proto pref $((base + 1))" \
			     "basic match '$(esp_match "$outer" "$spi")' action pass"
			echo "filter add dev $dev $hook protocol $proto pref $((base + 2))" \
			     "basic match '$(esp_match "$outer")' action pass"
			echo "filter add dev $dev $hook protocol ip pref $((base + 3))" \
			     "basic match 'cmp(u8 at 16 layer network eq 10)' action pass"
			echo "filter add dev $dev $hook protocol ipv6 pref $((base + 4))" \
			     "basic match 'cmp(u8 at 24 layer network eq 0xfd)' action pass"
		done)"
}

# tc_batch NS: the tc commands on standard input in NS.
tc_batch()
{
	cmd_batch tc "$1"
}

# tc_counters NS DEV VAR: fills the associative array VAR with the
# packets each filter on DEV counted, by pref (prefs must differ between
# ingress and egress).
tc_counters()
{
	local ns=$1 dev=$2 pref count
	local -n __tc=$3

	__tc=()
	# shellcheck disable=SC2004 # an associative array
	while read -r pref count; do
		[ -n "$pref" ] && __tc[$pref]=$count
	done <<< "$(printf 'filter show dev %s %s\n' "$dev" egress "$dev" ingress |
		tc -n "$ns" -s -batch - | awk '
		/^filter .* pref [0-9]+/ {
			for (i = 1; i < NF; i++)
				if ($i == "pref")
					pref = $(i + 1)
		}
		/^[ \t]*Sent [0-9]+ bytes [0-9]+ pkt/ { print pref, $4 }')"
}

# esp_drop_add NS DEV HOOK FAMILY PREF SPI: drop that SPI's ESP there.
esp_drop_add()
{
	tc_filter_add "$1" "$2" "$3" "$4" "$5" "$(esp_match "$4" "$6")" drop
}

# tc_filter_del NS DEV HOOK PREF
tc_filter_del()
{
	run_cmd tc -n "$1" filter del dev "$2" "$3" pref "$4"
	check_err $? "tc filter del dev $2 $3 pref $4: $CMD_OUT"
}

##############################################################################
# Traffic

# ping_count NS ARG...: runs ping in NS and prints "SENT RECEIVED".
ping_count()
{
	local ns=$1 out

	shift
	out=$(ip netns exec "$ns" ping "$@" 2>&1)
	PING_OUT=$out
	sed -n 's/^\([0-9]\+\) packets transmitted, \([0-9]\+\) \(packets \)\?received.*/\1 \2/p' \
		<<< "$out"
}

# check_ping NS COUNT DEST WHAT [ARG...]: COUNT pings all answered.
check_ping()
{
	local ns=$1 count=$2 dest=$3 what=$4 got

	shift 4
	got=$(ping_count "$ns" -c "$count" -i 0.1 -W 5 "$@" "$dest")
	check_eq "$got" "$count $count" "$what: pings sent and answered" ||
		ktap_print_msg "$PING_OUT"
}

# iperf_server NS: an iperf3 server, ready when this returns.
iperf_server()
{
	ip netns exec "$1" iperf3 -s -D || return
	busywait "$BUSYWAIT_TIMEOUT" iperf_listening "$1"
}

iperf_listening()
{
	[ -n "$(ip netns exec "$1" ss -Hltn 'sport = :5201')" ]
}

# check_iperf NS DEST WHAT [ARG...]: TCP to DEST, 1 MiB: short under
# emulation, and an amount to check.
check_iperf()
{
	local ns=$1 dest=$2 what=$3 out bytes

	shift 3
	out=$(ip netns exec "$ns" timeout $((WAIT_TIMEOUT)) \
		iperf3 -c "$dest" -n 1M -J "$@" 2>&1)
	# What the receiver reports may miss the last bytes still in flight.
	bytes=$(jq -r '"\(.end.sum_sent.bytes // 0) \(.end.sum_received.bytes // 0)"' \
		<<< "$out" 2> /dev/null)
	if ! [[ $bytes =~ ^[0-9]+\ [0-9]+$ ]] || ((${bytes% *} < 1048576 ||
						    ${bytes#* } == 0)); then
		fail "$what: iperf3 sent and received '$bytes' bytes: $(jq -r \
			'.error // empty' <<< "$out" 2> /dev/null || echo "$out")"
		return 1
	fi
	((VERBOSE)) && ktap_print_msg "$what: $bytes bytes"
	return 0
}

##############################################################################
# Captures

# capture_start NS DEV FILE COUNT FILTER: tcpdump in NS writes the next
# COUNT packets matching FILTER on DEV to FILE; ready when this returns.
capture_start()
{
	local ns=$1 dev=$2 file=$3 count=$4 filter=$5

	ip netns exec "$ns" tcpdump -Z root -U -n -i "$dev" -c "$count" \
		-w "$file" "$filter" 2> "$file.log" &
	CAPTURE_PID=$!
	defer kill "$CAPTURE_PID"
	busywait "$BUSYWAIT_TIMEOUT" grep -q "listening on" "$file.log" ||
		fail "tcpdump did not start: $(cat "$file.log")"
}

# capture_wait: the capture got its COUNT packets and ended.
capture_wait()
{
	busywait "$BUSYWAIT_TIMEOUT" process_gone "$CAPTURE_PID" ||
		fail "the capture did not get all its packets"
}

process_gone()
{
	! kill -0 "$1" 2> /dev/null
}

# esp_send NS DEV FILE ARG...: esp_inject.py send in NS; prints the count.
esp_send()
{
	local ns=$1 dev=$2 file=$3

	shift 3
	ip netns exec "$ns" python3 "$ESP_INJECT" send "$dev" "$file" "$@"
}

##############################################################################
# Notifications

# monitor_start NS FILE SYNC_DEST: "vesp -j monitor" in NS writing to
# FILE, known to be listening when this returns: traffic to SYNC_DEST,
# for which the peer has no SA, draws an acquire notification that shows
# up in FILE.
monitor_start()
{
	local ns=$1 file=$2 dest=$3

	ip netns exec "$ns" "$VESP_CLI" -j monitor > "$file" 2>&1 &
	defer kill $!
	busywait "$BUSYWAIT_TIMEOUT" monitor_synced "$ns" "$file" "$dest" ||
		fail "vesp monitor shows no acquire notification: $(cat "$file")"
}

monitor_synced()
{
	local ns=$1 file=$2 dest=$3

	ip netns exec "$ns" bash -c "echo > /dev/udp/$dest/9" 2> /dev/null
	grep -q '"event":"acquire"' "$file" || { sleep 0.1; return 1; }
}

# monitor_events FILE JQ_FILTER: the notifications selected, one a line.
monitor_events()
{
	jq -c "select($2)" "$1" 2> /dev/null
}

# expire_event_seen FILE SPI REASON
expire_event_seen()
{
	monitor_has "$1" ".event == \"expire\" and .sa.spi == $(($2)) and
		.sa.reason == \"$3\""
}

# monitor_has FILE JQ_CONDITION: a notification in FILE meets it.
monitor_has()
{
	[ -n "$(monitor_events "$1" "$2")" ]
}

# monitor_count_at_least FILE JQ_CONDITION N: at least N notifications in
# FILE meet it.
monitor_count_at_least()
{
	(($(monitor_events "$1" "$2" | wc -l) >= $3))
}
