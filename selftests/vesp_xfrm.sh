#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# vesp against the kernel's own ESP: vesp on one side, XFRM on the other
# (ip xfrm state and policy with an if_id, and an xfrm interface: route
# based, like vesp), with the same keys and SPIs. If the two interoperate
# for every algorithm, with and without ESN, in both directions, over IPv4
# and IPv6, then vesp's wire format is right. The sequence numbers and
# packet counters of both sides must agree with the number of packets sent.
#
#  +------------------ $nsv ------------------+   +------------------ $nsx ------------------+
#  |                                          |   |                                          |
#  |  vesp0  10.1.0.1/32, fd01::1/128         |   |  xfrm0 (if_id 42)  10.2.0.1, fd02::1     |
#  |    peer 1: 10.2.0.0/24, fd02::/64        |   |    policy in/out 0/0 ::/0 if_id 42       |
#  |    out SPI 0x1001 -------------------------------> state SPI 0x1001                      |
#  |    in  SPI 0x2001 <------------------------------- state SPI 0x2001                      |
#  |                                          |   |                                          |
#  |  veth0  192.0.2.1/24  2001:db8::1/64 ======== veth0  192.0.2.2/24  2001:db8::2/64       |
#  |                                          |   |                                          |
#  |  xfrm1 (if_id 7) 10.3.0.1 <--- 0x4001 ----------- xfrm1 (if_id 8) 10.4.0.1 (coexist)   |
#  |                            ---- 0x3001 ---------->                                      |
#  +------------------------------------------+   +------------------------------------------+
#
# Each algorithm runs without ESN, then is rekeyed to new keys and SPIs
# (0x1002, 0x2002) with ESN, and XFRM's outbound sequence number is made
# to cross 2^32: vesp must infer a high half of 1 that is never sent, only
# covered by the ICV.
#
# Usage: vesp_xfrm.sh [-v] [-p] [TEST]...

# shellcheck disable=SC2317 # test_* functions are called by name
source "$(dirname "$(readlink -f "$0")")/lib.sh"

TESTS="
	aes_gcm_128		AES-GCM-128 (rfc4106) both ways; rekey to ESN, crossing 2^32
	aes_gcm_256		AES-GCM-256 both ways; rekey to ESN, crossing 2^32
	chacha20_poly1305	ChaCha20-Poly1305 (rfc7539esp) both ways; rekey to ESN, crossing 2^32
	aes_cbc_128_hmac_sha256	AES-128-CBC + HMAC-SHA2-256-128 both ways; rekey to ESN, crossing 2^32
	aes_cbc_256_hmac_sha256	AES-256-CBC + HMAC-SHA2-256-128 both ways; rekey to ESN, crossing 2^32
	null_hmac_sha256	NULL + HMAC-SHA2-256-128 both ways; rekey to ESN, crossing 2^32
	inner_ipv6		IPv6 inner packets over an IPv4 underlay
	outer_ipv6		IPv4 and IPv6 inner packets over IPv6 with ESN: AES-GCM, rekey to AES-CBC
	mismatch		a flipped key bit, then ESN on one side only: nothing passes, ICV failures counted
	coexist			a native XFRM tunnel beside vesp on one underlay: both flow at once
"

# The vesp CLI: $VESP_CLI, else on PATH, else the repository's build.
VESP=${VESP_CLI:-$(command -v vesp || echo "$SELFTEST_DIR/../userspace/build/vesp")}

# Pings per direction and test; each SA carries requests of one side and
# replies of the other.
PINGS=3
IF_ID=42

SPI_V2X=0x1001		# vesp out, XFRM in
SPI_X2V=0x2001		# XFRM out, vesp in

# Keys differ per direction: swapped keys or SPIs would show. They are
# read through key_of.
# shellcheck disable=SC2034
K16_V2X=000102030405060708090a0b0c0d0e0f
K32_V2X=${K16_V2X}101112131415161718191a1b1c1d1e1f
KA_V2X=202122232425262728292a2b2c2d2e2f303132333435363738393a3b3c3d3e3f
SALT_V2X=a0a1a2a3
K16_X2V=404142434445464748494a4b4c4d4e4f
K32_X2V=${K16_X2V}505152535455565758595a5b5c5d5e5f
KA_X2V=606162636465666768696a6b6c6d6e6f707172737475767778797a7b7c7d7e7f
SALT_X2V=b0b1b2b3

vesp_require()
{
	[ -x "$VESP" ] ||
		ktap_bail_out "vesp CLI $VESP missing: build it with make -C userspace"
	require_cmds ping
	modprobe -q veth
	modprobe -q xfrm_interface ||
		ktap_skip_all "xfrm_interface module not available"
	modprobe -q esp4 || ktap_skip_all "esp4 module not available"
	modprobe -q esp6 || ktap_skip_all "esp6 module not available"
}

##############################################################################
# Keys: the vesp CLI's arguments and ip xfrm's for one algorithm and
# direction (V2X or X2V).

# key_of NAME DIR: the key NAME_DIR, e.g. K16_V2X, rotated by KEY_GEN
# bytes: a rekey sets a local KEY_GEN for keys of the next generation.
key_of()
{
	local var=$1_$2
	local key=${!var}
	local n=$((2 * ${KEY_GEN:-0} % ${#key}))

	echo "${key:n}${key:0:n}"
}

# alg_vesp_keys ALG DIR
alg_vesp_keys()
{
	local alg=$1 dir=$2
	local k16 k32 ka salt

	k16=$(key_of K16 "$dir") k32=$(key_of K32 "$dir")
	ka=$(key_of KA "$dir") salt=$(key_of SALT "$dir")
	case $alg in
	aes-gcm-128)			echo "enc-key $k16$salt" ;;
	aes-gcm-256|chacha20-poly1305)	echo "enc-key $k32$salt" ;;
	aes-cbc-128-hmac-sha256)	echo "enc-key $k16 auth-key $ka" ;;
	aes-cbc-256-hmac-sha256)	echo "enc-key $k32 auth-key $ka" ;;
	null-hmac-sha256)		echo "auth-key $ka" ;;
	esac
}

# alg_xfrm_keys ALG DIR: printed one word a line, for mapfile.
alg_xfrm_keys()
{
	local alg=$1 dir=$2
	local k16 k32 ka salt

	k16=$(key_of K16 "$dir") k32=$(key_of K32 "$dir")
	ka=$(key_of KA "$dir") salt=$(key_of SALT "$dir")
	case $alg in
	aes-gcm-128)
		printf '%s\n' aead 'rfc4106(gcm(aes))' "0x$k16$salt" 128 ;;
	aes-gcm-256)
		printf '%s\n' aead 'rfc4106(gcm(aes))' "0x$k32$salt" 128 ;;
	chacha20-poly1305)
		printf '%s\n' aead 'rfc7539esp(chacha20,poly1305)' "0x$k32$salt" 128 ;;
	aes-cbc-128-hmac-sha256)
		printf '%s\n' enc 'cbc(aes)' "0x$k16" auth-trunc 'hmac(sha256)' "0x$ka" 128 ;;
	aes-cbc-256-hmac-sha256)
		printf '%s\n' enc 'cbc(aes)' "0x$k32" auth-trunc 'hmac(sha256)' "0x$ka" 128 ;;
	null-hmac-sha256)
		printf '%s\n' enc 'ecb(cipher_null)' '' auth-trunc 'hmac(sha256)' "0x$ka" 128 ;;
	esac
}

##############################################################################
# Topology. TCG makes every process cost a tenth of a second or more:
# ip commands go in batches, counters are read in one go.

# ip_batch NS: the ip commands on standard input, one process.
ip_batch()
{
	run_cmd ip -n "$1" -batch -
	check_err $? "ip -n $1 -batch: $CMD_OUT"
}

# setup_pair OUTER: namespaces nsv (vesp) and nsx (XFRM) joined by a veth
# pair, outer addresses of family OUTER (4 or 6) in V_ADDR and X_ADDR,
# vesp0 in nsv with peer 1 and a path, xfrm0 in nsx with its policies.
# IPv6 stays off on the tunnel devices unless enable_inner_ipv6 turns it
# on: nothing but the test's pings may cross them, or the counters would
# not add up.
setup_pair()
{
	local outer=$1 plen=24

	setup_ns nsv nsx || return
	V_ADDR=192.0.2.1 X_ADDR=192.0.2.2
	if [ "$outer" = 6 ]; then
		V_ADDR=2001:db8::1 X_ADDR=2001:db8::2 plen=64
	fi
	ip_batch "$nsv" <<-EOF || return
		link add veth0 type veth peer name veth0 netns $nsx
		link set veth0 up
		link add vesp0 type vesp
		address add 10.1.0.1/32 peer 10.2.0.1/32 dev vesp0
		link set vesp0 up
	EOF
	[ "$outer" = 6 ] && enable_ipv6 "$nsv" veth0 "$nsx" veth0
	ip_batch "$nsx" <<-EOF || return
		link set veth0 up
		address add $X_ADDR/$plen dev veth0 nodad
		link add xfrm0 type xfrm dev veth0 if_id $IF_ID
		address add 10.2.0.1/32 peer 10.1.0.1/32 dev xfrm0
		link set xfrm0 up
		$(xfrm_policies $IF_ID "$V_ADDR" "$X_ADDR")
	EOF
	run_cmd ip -n "$nsv" address add $V_ADDR/$plen dev veth0 nodad
	check_err $? "address $V_ADDR: $CMD_OUT" || return
	vesp_cmd "$nsv" peer add vesp0 1 prefix 10.2.0.0/24 prefix fd02::/64 ||
		return
	vesp_cmd "$nsv" path add vesp0 1 1 remote $X_ADDR
}

# enable_ipv6 NS DEV...: IPv6 on the devices, off by default in setup_ns
# namespaces.
enable_ipv6()
{
	while [ $# -ge 2 ]; do
		ip netns exec "$1" sysctl -qw "net.ipv6.conf.$2.disable_ipv6=0"
		shift 2
	done
}

# xfrm_policies IF_ID PEER_ADDR LOCAL_ADDR: ip batch lines for route-based
# policies that send all of IPv4 and IPv6 on the xfrm interface with IF_ID
# to PEER_ADDR, and take it from there.
xfrm_policies()
{
	local if_id=$1 peer=$2 local=$3 sel

	for sel in 0.0.0.0/0 ::/0; do
		echo "xfrm policy add dir out src $sel dst $sel if_id $if_id" \
			"tmpl src $local dst $peer proto esp mode tunnel"
		echo "xfrm policy add dir in src $sel dst $sel if_id $if_id" \
			"tmpl src $peer dst $local proto esp mode tunnel"
	done
}

# enable_inner_ipv6: IPv6 on both tunnel devices, without a link-local
# address (no router solicitation; NOARP devices join no solicited-node
# group and skip DAD) and with explicit routes.
enable_inner_ipv6()
{
	ip -n "$nsv" link set vesp0 addrgenmode none
	ip -n "$nsx" link set xfrm0 addrgenmode none
	enable_ipv6 "$nsv" vesp0 "$nsx" xfrm0
	ip_batch "$nsv" <<-EOF
		address add fd01::1/128 dev vesp0 nodad
		route add fd02::1/128 dev vesp0
	EOF
	ip_batch "$nsx" <<-EOF
		address add fd02::1/128 dev xfrm0 nodad
		route add fd01::1/128 dev xfrm0
	EOF
}

# vesp_cmd NS ARG...: the vesp CLI in NS; failures fail the test.
vesp_cmd()
{
	local ns=$1

	shift
	run_cmd ip netns exec "$ns" "$VESP" "$@"
	check_err $? "vesp $*: $CMD_OUT"
}

# vesp_sa_add DIR SPI ALG ESN [ARG...]: ESN is "esn" or "".
vesp_sa_add()
{
	local dir=$1 spi=$2 alg=$3 esn=$4 keydir

	shift 4
	[ "$dir" = out ] && keydir=V2X || keydir=X2V
	# shellcheck disable=SC2046 # the keys are words
	vesp_cmd "$nsv" sa add vesp0 1 "$dir" spi "$spi" alg "$alg" \
		$(alg_vesp_keys "$alg" $keydir) $esn "$@"
}

# xfrm_state SRC DST SPI ALG KEYDIR ESN IF_ID [ARG...]: an ip batch line.
# af-unspec lets one tunnel state carry IPv4 and IPv6 alike, as vesp
# does; the window gives XFRM's ESN state, which also tracks the highest
# sequence number received.
xfrm_state()
{
	local src=$1 dst=$2 spi=$3 alg=$4 keydir=$5 esn=$6 if_id=$7
	local keys

	shift 7
	mapfile -t keys <<< "$(alg_xfrm_keys "$alg" "$keydir")"
	printf 'xfrm state add src %s dst %s proto esp spi %s mode tunnel' \
		"$src" "$dst" "$spi"
	printf ' if_id %s replay-window 64 flag af-unspec %s' "$if_id" "$esn"
	printf ' %s' "$@"
	printf " '%s'" "${keys[@]}"
	echo
}

# setup_sas ALG ESN: both directions on both sides.
setup_sas()
{
	local alg=$1 esn=$2

	vesp_sa_add out $SPI_V2X "$alg" "$esn" active || return
	vesp_sa_add in $SPI_X2V "$alg" "$esn" || return
	ip_batch "$nsx" <<-EOF
		$(xfrm_state "$V_ADDR" "$X_ADDR" $SPI_V2X "$alg" V2X "$esn" $IF_ID)
		$(xfrm_state "$X_ADDR" "$V_ADDR" $SPI_X2V "$alg" X2V "$esn" $IF_ID)
	EOF
}

# rekey ALG ESN V2X X2V: SAs of the next key generation with SPIs V2X and
# X2V on both sides, in the order of a rekey: the new inbound SAs first,
# then the outbound switch. XFRM's old outbound state goes, the old
# inbound ones stay. SPI_V2X, SPI_X2V and KEY_GEN move on: callers make
# them local.
rekey()
{
	local alg=$1 esn=$2 v2x=$3 x2v=$4 old_x2v=$SPI_X2V

	KEY_GEN=$((KEY_GEN + 1)) SPI_V2X=$v2x SPI_X2V=$x2v
	vesp_sa_add in "$x2v" "$alg" "$esn" || return
	ip_batch "$nsx" <<-EOF || return
		$(xfrm_state "$V_ADDR" "$X_ADDR" "$v2x" "$alg" V2X "$esn" $IF_ID)
		xfrm state delete src $X_ADDR dst $V_ADDR proto esp spi $old_x2v
		$(xfrm_state "$X_ADDR" "$V_ADDR" "$x2v" "$alg" X2V "$esn" $IF_ID)
	EOF
	vesp_sa_add out "$v2x" "$alg" "$esn" active
}

##############################################################################
# Traffic and counters

# ping_ok NS DST COUNT: COUNT echo requests, every one answered.
ping_ok()
{
	local ns=$1 dst=$2 count=$3

	run_cmd ip netns exec "$ns" ping -q -c "$count" -i 0.1 -W 2 "$dst"
	check_match "$CMD_OUT" " $count received" "ping $dst from $ns"
}

# ping_fails NS DST: two echo requests, nothing comes back.
ping_fails()
{
	local ns=$1 dst=$2

	run_cmd ip netns exec "$ns" ping -q -c 2 -i 0.1 -W 1 "$dst"
	check_match "$CMD_OUT" " 0 received" "ping $dst from $ns"
}

# snapshot [NS...]: reads every counter at once into COUNTERS: from vesp
# in nsv "vesp/DIR/SPI/{packets,seq}" and "vesp/stats/NAME", from XFRM in
# each NS (nsx by default) "NS/SPI/{packets,rseq,oseq,failed}", where
# rseq is the highest sequence number received and oseq the last one
# sent, with their high halves. SPIs are decimal.
snapshot()
{
	local ns key value lines

	declare -gA COUNTERS=()
	lines=$({ ip netns exec "$nsv" "$VESP" -j sa list vesp0
		  ip netns exec "$nsv" "$VESP" -j stats vesp0; } | jq -rs '
		(.[0][] | "vesp/\(.dir)/\(.spi)/packets \(.packets)",
			  "vesp/\(.dir)/\(.spi)/seq \(.seq)"),
		(.[1][0].stats | to_entries[] | "vesp/stats/\(.key) \(.value)")')
	for ns in "${@:-$nsx}"; do
		lines+=$'\n'$(ip -n "$ns" -s xfrm state | awk -v ns="$ns" '
		function hex(s,   i, v) {
			sub(/,$/, "", s)
			sub(/^0x/, "", s)
			v = 0
			for (i = 1; i <= length(s); i++)
				v = v * 16 + index("0123456789abcdef",
						   substr(s, i, 1)) - 1
			return v
		}
		function field(name,   i) {
			for (i = 1; i < NF; i++)
				if ($i == name)
					return $(i + 1)
			return "0"
		}
		function flush() {
			if (spi == "")
				return
			printf "%s/%s/packets %d\n", ns, spi, packets
			printf "%s/%s/rseq %.0f\n", ns, spi, rhi * 4294967296 + rseq
			printf "%s/%s/oseq %.0f\n", ns, spi, ohi * 4294967296 + oseq
			printf "%s/%s/failed %d\n", ns, spi, failed
		}
		/^src / { flush(); spi = ""; packets = rhi = rseq = ohi = oseq = failed = 0 }
		$1 == "proto" && $3 == "spi" { s = $4; sub(/\(.*/, "", s); spi = hex(s) }
		$1 == "seq-hi" {
			rhi = hex(field("seq-hi")); rseq = hex(field("seq"))
			ohi = hex(field("oseq-hi")); oseq = hex(field("oseq"))
		}
		$2 ~ /^[0-9]+\(packets\)$/ { packets = $2 + 0 }
		$1 == "replay-window" && $5 == "failed" { failed = $6 }
		END { flush() }')
	done
	while read -r key value; do
		[ -n "$key" ] && COUNTERS[$key]=$value
	done <<< "$lines"
}

# check_counter KEY WANT WHAT: a counter of the last snapshot.
check_counter()
{
	check_eq "${COUNTERS[$1]-missing}" "$2" "$3: $1"
}

# check_vesp_sa DIR SPI PACKETS SEQ WHAT
check_vesp_sa()
{
	local dir=$1 spi=$(($2)) packets=$3 seq=$4 what=$5

	check_counter "vesp/$dir/$spi/packets" "$packets" "$what"
	check_counter "vesp/$dir/$spi/seq" "$seq" "$what"
}

# check_xfrm_state NS SPI PACKETS RSEQ OSEQ WHAT: an XFRM state's
# counters, its integrity failures 0.
check_xfrm_state()
{
	local key=$1/$(($2)) packets=$3 rseq=$4 oseq=$5 what=$6

	check_counter "$key/packets" "$packets" "$what"
	check_counter "$key/rseq" "$rseq" "$what"
	check_counter "$key/oseq" "$oseq" "$what"
	check_counter "$key/failed" 0 "$what"
}

# check_no_drops WHAT: vesp0 dropped nothing.
check_no_drops()
{
	local key drops=

	for key in "${!COUNTERS[@]}"; do
		[[ $key == vesp/stats/* ]] && [ "${COUNTERS[$key]}" != 0 ] &&
			drops+=" ${key#vesp/stats/}=${COUNTERS[$key]}"
	done
	[[ ${!COUNTERS[*]} == *vesp/stats/rx_unknown_spi* ]] ||
		fail "$1: vesp stats unreadable"
	check_eq "$drops" "" "$1: vesp0 drop counters"
}

# exchange [6]: PINGS pings each way between the tunnel addresses, IPv4
# and, with 6, IPv6 too.
exchange()
{
	ping_ok "$nsv" 10.2.0.1 "$PINGS"
	ping_ok "$nsx" 10.1.0.1 "$PINGS"
	if [ -n "${1:-}" ]; then
		ping_ok "$nsv" fd02::1 "$PINGS"
		ping_ok "$nsx" fd01::1 "$PINGS"
	fi
}

# check_counts N WHAT: N packets each way went through both sides' SAs,
# and the sequence numbers are N: every packet counted once on each side.
check_counts()
{
	local n=$1 what=$2

	snapshot
	check_vesp_sa out $SPI_V2X "$n" "$n" "$what"
	check_vesp_sa in $SPI_X2V "$n" "$n" "$what"
	check_xfrm_state "$nsx" $SPI_V2X "$n" "$n" 0 "$what"
	check_xfrm_state "$nsx" $SPI_X2V "$n" 0 "$n" "$what"
	check_no_drops "$what"
}

# xfrm_reinstall_out ALG OSEQ: XFRM's outbound state again, same key and
# SPI, the last sequence number sent OSEQ.
xfrm_reinstall_out()
{
	ip_batch "$nsx" <<-EOF
		xfrm state delete src $X_ADDR dst $V_ADDR proto esp spi $SPI_X2V
		$(xfrm_state "$X_ADDR" "$V_ADDR" $SPI_X2V "$1" X2V esn $IF_ID \
			replay-oseq "$2")
	EOF
}

# esn_wrap ALG N: after N packets each way, XFRM's outbound SA is
# installed again with the same key and SPI, first sending 2^31 - 1, then
# 2^32 - 2, 2^32 - 1, 2^32 and 2^32 + 1. The last two go out with a low
# half of 0 and 1: vesp must infer the high half, 1, which only the ICV
# covers, and must not take 0 for a replay. Its window moves in two steps
# because from the start it could not tell 2^32 - 2 from a packet just
# behind the window.
esn_wrap()
{
	local alg=$1 n=$2 what="ESN across 2^32"

	xfrm_reinstall_out "$alg" 0x7ffffffe || return
	ping_ok "$nsx" 10.1.0.1 1
	xfrm_reinstall_out "$alg" 0xfffffffd || return
	ping_ok "$nsx" 10.1.0.1 4

	snapshot
	check_vesp_sa in $SPI_X2V $((n + 5)) $((0x100000001)) "$what"
	check_xfrm_state "$nsx" $SPI_X2V 4 0 $((0x100000001)) "$what"
	# The replies went out on vesp's SA as ever.
	check_vesp_sa out $SPI_V2X $((n + 5)) $((n + 5)) "$what"
	check_xfrm_state "$nsx" $SPI_V2X $((n + 5)) $((n + 5)) 0 "$what"
	check_no_drops "$what"
}

# run_alg ALG: one algorithm without ESN, then a rekey to new keys with
# ESN, whose sequence numbers cross 2^32.
run_alg()
{
	local alg=$1 n=$((2 * PINGS)) old_v2x=$SPI_V2X old_x2v=$SPI_X2V
	local SPI_V2X=$SPI_V2X SPI_X2V=$SPI_X2V KEY_GEN=0

	setup_pair 4 || return
	setup_sas "$alg" "" || return
	exchange
	check_counts $n "$alg"

	rekey "$alg" esn 0x1002 0x2002 || return
	exchange
	check_counts $n "$alg esn"
	# Not one packet more on the old SAs.
	check_vesp_sa out "$old_v2x" $n $n "$alg after the rekey"
	check_vesp_sa in "$old_x2v" $n $n "$alg after the rekey"
	check_xfrm_state "$nsx" "$old_v2x" $n $n 0 "$alg after the rekey"
	esn_wrap "$alg" $n
}

##############################################################################
# Tests

test_aes_gcm_128()		{ run_alg aes-gcm-128; }
test_aes_gcm_256()		{ run_alg aes-gcm-256; }
test_chacha20_poly1305()	{ run_alg chacha20-poly1305; }
test_aes_cbc_128_hmac_sha256()	{ run_alg aes-cbc-128-hmac-sha256; }
test_aes_cbc_256_hmac_sha256()	{ run_alg aes-cbc-256-hmac-sha256; }
test_null_hmac_sha256()		{ run_alg null-hmac-sha256; }

test_inner_ipv6()
{
	setup_pair 4 || return
	setup_sas chacha20-poly1305 "" || return
	enable_inner_ipv6 || return
	exchange 6
	check_counts $((4 * PINGS)) "inner IPv6"
}

# Both kinds of transform over IPv6: an AEAD, then a rekey to authencesn.
test_outer_ipv6()
{
	local SPI_V2X=$SPI_V2X SPI_X2V=$SPI_X2V KEY_GEN=0

	setup_pair 6 || return
	setup_sas aes-gcm-128 esn || return
	enable_inner_ipv6 || return
	exchange 6
	check_counts $((4 * PINGS)) "outer IPv6, AES-GCM"
	rekey aes-cbc-256-hmac-sha256 esn 0x1002 0x2002 || return
	exchange 6
	check_counts $((4 * PINGS)) "outer IPv6, AES-CBC"
}

# check_mismatch FAILS WHAT: two pings each way went unanswered on the
# current SAs; each side counted the other's two packets as ICV failures,
# vesp FAILS of them in all.
check_mismatch()
{
	local fails=$1 what=$2

	ping_fails "$nsv" 10.2.0.1
	ping_fails "$nsx" 10.1.0.1
	snapshot
	check_counter vesp/stats/rx_auth_fail "$fails" "$what"
	check_vesp_sa in $SPI_X2V 0 0 "$what"
	check_vesp_sa out $SPI_V2X 2 2 "$what"
	check_counter "$nsx/$((SPI_V2X))/failed" 2 "$what"
	check_counter "$nsx/$((SPI_V2X))/packets" 0 "$what"
	check_counter "$nsx/$((SPI_V2X))/rseq" 0 "$what"
	check_counter "$nsx/$((SPI_X2V))/oseq" 2 "$what"
}

# A flipped key bit, then ESN on one side only.
test_mismatch()
{
	local alg=aes-gcm-256 SPI_V2X=$SPI_V2X SPI_X2V=$SPI_X2V KEY_GEN=0
	# Copies that key_of sees.
	local K32_V2X=$K32_V2X K32_X2V=$K32_X2V

	setup_pair 4 || return
	vesp_sa_add out $SPI_V2X $alg "" active || return
	vesp_sa_add in $SPI_X2V $alg "" || return
	# The last bit of each AES key, not of the salt, flipped for XFRM.
	K32_V2X=${K32_V2X%f}e K32_X2V=${K32_X2V%f}e
	ip_batch "$nsx" <<-EOF || return
		$(xfrm_state "$V_ADDR" "$X_ADDR" $SPI_V2X $alg V2X "" $IF_ID)
		$(xfrm_state "$X_ADDR" "$V_ADDR" $SPI_X2V $alg X2V "" $IF_ID)
	EOF
	check_mismatch 2 "key mismatch"

	# The high half is 0 all along, yet with ESN it is in the ICV.
	alg=aes-cbc-128-hmac-sha256
	vesp_sa_add in 0x2002 $alg esn || return
	vesp_sa_add out 0x1002 $alg esn active || return
	SPI_V2X=0x1002 SPI_X2V=0x2002
	ip_batch "$nsx" <<-EOF || return
		xfrm state delete src $X_ADDR dst $V_ADDR proto esp spi 0x2001
		$(xfrm_state "$V_ADDR" "$X_ADDR" $SPI_V2X $alg V2X "" $IF_ID)
		$(xfrm_state "$X_ADDR" "$V_ADDR" $SPI_X2V $alg X2V "" $IF_ID)
	EOF
	check_mismatch 4 "ESN mismatch"
}

# A second, native XFRM tunnel between the same namespaces and underlay
# addresses: xfrm1 (if_id 7) in nsv, xfrm1 (if_id 8) in nsx, SPIs 0x3001
# (nsv to nsx) and 0x4001. vesp sees ESP for 0x4001 first and must hand it
# on to XFRM without counting it; XFRM's policies in nsv must leave vesp's
# decrypted packets alone. Pings run over both tunnels at once.
test_coexist()
{
	local alg=aes-gcm-128 count=20 pids pid ns dst ns_dst

	setup_pair 4 || return
	setup_sas $alg "" || return
	ip_batch "$nsv" <<-EOF || return
		link add xfrm1 type xfrm dev veth0 if_id 7
		address add 10.3.0.1/32 peer 10.4.0.1/32 dev xfrm1
		link set xfrm1 up
		$(xfrm_policies 7 "$X_ADDR" "$V_ADDR")
		$(xfrm_state "$V_ADDR" "$X_ADDR" 0x3001 $alg X2V "" 7)
		$(xfrm_state "$X_ADDR" "$V_ADDR" 0x4001 $alg V2X "" 7)
	EOF
	ip_batch "$nsx" <<-EOF || return
		link add xfrm1 type xfrm dev veth0 if_id 8
		address add 10.4.0.1/32 peer 10.3.0.1/32 dev xfrm1
		link set xfrm1 up
		$(xfrm_policies 8 "$V_ADDR" "$X_ADDR")
		$(xfrm_state "$V_ADDR" "$X_ADDR" 0x3001 $alg X2V "" 8)
		$(xfrm_state "$X_ADDR" "$V_ADDR" 0x4001 $alg V2X "" 8)
	EOF

	# With a deadline, ping fails unless every reply came back.
	pids=()
	for ns_dst in "$nsv 10.4.0.1" "$nsv 10.2.0.1" "$nsx 10.3.0.1" \
			"$nsx 10.1.0.1"; do
		read -r ns dst <<< "$ns_dst"
		ip netns exec "$ns" ping -q -c $count -w 60 -i 0.05 "$dst" \
			> /dev/null 2>&1 &
		pids+=("$!:ping $dst from $ns")
	done
	for pid in "${pids[@]}"; do
		wait "${pid%%:*}"
		check_err $? "${pid#*:}: some replies missing"
	done

	snapshot "$nsv" "$nsx"
	check_counter vesp/stats/rx_unknown_spi 0 "vesp beside XFRM"
	check_no_drops "vesp beside XFRM"
	check_vesp_sa out $SPI_V2X $((2 * count)) $((2 * count)) "vesp tunnel"
	check_vesp_sa in $SPI_X2V $((2 * count)) $((2 * count)) "vesp tunnel"
	check_xfrm_state "$nsx" $SPI_V2X $((2 * count)) $((2 * count)) 0 \
		"vesp tunnel"
	check_xfrm_state "$nsx" $SPI_X2V $((2 * count)) 0 $((2 * count)) \
		"vesp tunnel"
	check_xfrm_state "$nsv" 0x3001 $((2 * count)) 0 $((2 * count)) \
		"XFRM tunnel"
	check_xfrm_state "$nsv" 0x4001 $((2 * count)) $((2 * count)) 0 \
		"XFRM tunnel"
	check_xfrm_state "$nsx" 0x3001 $((2 * count)) $((2 * count)) 0 \
		"XFRM tunnel"
	check_xfrm_state "$nsx" 0x4001 $((2 * count)) 0 $((2 * count)) \
		"XFRM tunnel"
}

vesp_run_tests "$@"
