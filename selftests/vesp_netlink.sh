#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# The "vesp" generic netlink family, request by request: every malformed
# request must be refused with the precise errno and extended ACK (message
# and, where there is one, the attribute it points at); dumps must be
# complete and filtered by device; only CAP_NET_ADMIN over the device's
# netns may change or read peers and SAs; and SA keys must never come
# back, in any reply or any output of the CLI.
#
# Requests are sent by vesp_genl_raw.py, which writes exactly what it is
# told, malformed or not, and prints the kernel's answer as one line:
#
#	ENODEV "no vesp device with this ifindex" @ifindex
#	 errno  extack message                     the attribute it points at
#
# Each test runs in namespaces of its own; no packet is sent:
#
#	+---------------- $ns ----------------+
#	|  vesp0  vesp1  dummy0               |
#	|  vesp_genl_raw.py --batch, vesp CLI |
#	+-------------------------------------+
#
# Usage: vesp_netlink.sh [-v] [-p] [TEST]...

# shellcheck disable=SC2317 # test_* functions are called by name
source "$(dirname "$(readlink -f "$0")")/lib.sh"

TESTS="
	device			missing, unknown and non-vesp devices; ifindex and ifname attribute checks
	unknown_attrs		unknown attribute types at every nesting level, padding types, NLA_F_NESTED
	attr_lengths		attributes of the wrong length at every nesting level
	peers			missing peer or ID, ID 0, duplicates with and without NLM_F_REPLACE
	prefixes		host bits, prefix lengths, address lengths and families of prefixes
	paths			path attributes, unknown peer, duplicate ID, unicast remote
	sa_attrs		SPI, direction, algorithm, replay window, active flag, lifetimes
	sa_keys			key lengths of every algorithm, keys an algorithm does not take
	read_only		read-only attributes in requests are refused with their reason
	liveness		peer liveness settings and device flags: limits, read-only state, unknown peers
	unknown_objects		paths and SAs of unknown peers, unknown paths and SAs
	spi_unique		inbound SPIs unique per underlay netns, outbound ones per peer
	unprivileged		without CAP_NET_ADMIN over the netns: EPERM, nothing changes
	dump			2000 prefixes dump completely, raw and through vesp show; dumps filtered by device
	cli_prefixes		2000 prefixes in one vesp peer add; too many for one request is refused before sending
	cli_errors		the CLI prints the kernel's extack once as 'vesp: kernel: ...' and exits 1
	keys_hidden		no key byte in vesp show, sa list (text and JSON) or any reply attribute
"

# The vesp CLI: $VESP_CLI, else on PATH, else the repository's build.
VESP=${VESP_CLI:-$(command -v vesp || echo "$SELFTEST_DIR/../userspace/build/vesp")}
RAW=${VESP_GENL_RAW:-$SELFTEST_DIR/vesp_genl_raw.py}
SELFTEST_VESP=$VESP
SELFTEST_RAW=$RAW
# Debian's python for the unprivileged user too, who may not read the
# home of root's own python.
PYTHON=/usr/bin/python3
[ -x "$PYTHON" ] || PYTHON=$(command -v python3)

NOBODY=(setpriv --reuid 65534 --regid 65534 --clear-groups)

# Keys: a 4-byte salt, 16-, 24- and 32-byte cipher keys, a 32-byte
# integrity key.
SALT=c0c1c2c3
K16=000102030405060708090a0b0c0d0e0f
K24=${K16}1011121314151617
K32=${K16}101112131415161718191a1b1c1d1e1f
KA=a0a1a2a3a4a5a6a7a8a9aaabacadaeafb0b1b2b3b4b5b6b7b8b9babbbcbdbebf

vesp_require()
{
	[ -x "$VESP" ] ||
		ktap_bail_out "vesp CLI $VESP missing: build it with make -C userspace"
	[ -n "$PYTHON" ] || ktap_bail_out "python3 is required"
	require_cmds setpriv unshare
	modprobe -q dummy
}

##############################################################################
# Helpers

# setup NS_VAR: a namespace with vesp0, vesp1 and dummy0.
setup()
{
	setup_ns "$1" || return
	run_cmd ip -n "${!1}" -batch - <<-EOF
		link add vesp0 type vesp
		link add vesp1 type vesp
		link add dummy0 type dummy
	EOF
	check_err $? "devices in ${!1}: $CMD_OUT"
}

# raw NS ARG...: one request in NS; its output in CMD_OUT.
raw()
{
	local ns=$1

	shift
	run_cmd ip netns exec "$ns" "$PYTHON" "$RAW" "$@"
}

# check_requests CMD...: stdin holds one check a line, "REQUEST | ANSWER";
# blank lines and "#" comments are skipped. All requests are sent in order
# through one "CMD... vesp_genl_raw.py --batch" (CMD puts it in a netns,
# maybe as another user); each answer must be exactly as written.
check_requests()
{
	local line requests=() expected=() answers i

	while IFS= read -r line; do
		[[ $line =~ ^[[:space:]]*(#.*)?$ ]] && continue
		line=${line#"${line%%[![:space:]]*}"}
		# Only suffix patterns: others cost seconds on a long request.
		requests+=("${line% | *}")
		expected+=("${line:${#requests[-1]} + 3}")
	done
	answers=$(printf '%s\n' "${requests[@]}" |
		  "$@" "$PYTHON" "$RAW" --batch 2>&1)
	mapfile -t answers <<< "$answers"
	((VERBOSE)) && ktap_print_msg "$(printf '%s\n' "${answers[@]}")"
	for i in "${!requests[@]}"; do
		check_eq "${answers[i]-no answer}" "${expected[i]}" \
			"${requests[i]:0:300}"
	done
	[ ${#answers[@]} -eq ${#requests[@]} ] ||
		fail "${#requests[@]} requests, ${#answers[@]} answers"
}

# in_ns NS: the command prefix for check_requests.
in_ns()
{
	echo ip netns exec "$1"
}

# sa REST...: an SA_NEW for vesp0's peer 1 with the SA attributes REST.
sa()
{
	echo "sa_new ifname=vesp0 peer{ id=1 sa{ $* } }"
}

##############################################################################
# Tests

test_device()
{
	local ns

	setup ns || return
	# shellcheck disable=SC2046 # in_ns gives words
	check_requests $(in_ns "$ns") <<-EOF
		dev_get | EINVAL "a device is needed: ifindex or ifname"
		peer_new peer{ id=1 } | EINVAL "a device is needed: ifindex or ifname"
		sa_new peer{ id=1 sa{ spi=256 dir=in } } | EINVAL "a device is needed: ifindex or ifname"
		dev_get ifindex=9999 | ENODEV "no vesp device with this ifindex" @ifindex
		dev_get ifname=nosuch | ENODEV "no vesp device with this name" @ifname
		dev_get ifindex=@lo | ENODEV "no vesp device with this ifindex" @ifindex
		dev_get ifindex=@dummy0 | ENODEV "no vesp device with this ifindex" @ifindex
		dev_get ifname=dummy0 | ENODEV "no vesp device with this name" @ifname
		peer_new ifname=dummy0 peer{ id=1 } | ENODEV "no vesp device with this name" @ifname
		dev_get ifindex=0 | ERANGE "integer out of range" @ifindex
		dev_get ifname:str=vesp0 | EINVAL "Attribute failed policy validation" @ifname
		dev_get ifname=vesp0123456789ab | EINVAL "Attribute failed policy validation" @ifname
		# The ifindex wins over the name.
		dev_get ifindex=@vesp0 ifname=nosuch | ok
		dev_get ifindex=@vesp1 | ok
		dev_get ifname=vesp1 | ok
		stats_get ifname=vesp0 | ok
		# Only vesp devices are listed.
		--dump dev_get | done 2
		# A dump's errors carry a message too (in its NLMSG_DONE, which
		# has no room for the attribute they point at).
		--dump peer_get | EINVAL "a device is needed: ifindex or ifname"
		--dump sa_get | EINVAL "a device is needed: ifindex or ifname"
		--dump peer_get ifname=dummy0 | ENODEV "no vesp device with this name"
		--dump sa_get ifindex=9999 | ENODEV "no vesp device with this ifindex"
		--dump dev_get ifname=nosuch | ENODEV "no vesp device with this name"
		--dump dev_get ifindex=@dummy0 | ENODEV "no vesp device with this ifindex"
		# A dump naming a device lists that one only.
		--dump dev_get ifname=vesp1 | done 1
		--dump dev_get ifindex=@vesp0 | done 1
	EOF
	raw "$ns" dev_get ifname=vesp1
	check_eq "$(grep -c . <<< "$CMD_OUT")" 7 "DEV_GET reply lines: $CMD_OUT"
	check_match "$CMD_OUT" "^ifindex=[0-9]+
ifname=vesp1
fwmark=0
peer_count=0
flags=0
--
ok$" "DEV_GET reply"
	raw "$ns" --dump dev_get ifname=vesp1
	check_eq "$(grep '^ifname=' <<< "$CMD_OUT")" "ifname=vesp1" \
		"DEV_GET dump of vesp1"
}

test_unknown_attrs()
{
	local ns

	setup ns || return
	# shellcheck disable=SC2046
	check_requests $(in_ns "$ns") <<-EOF
		peer_new ifname=vesp0 peer{ id=1 } | ok
		path_new ifname=vesp0 peer{ id=1 path{ id=1 family=inet remote=192.0.2.1 } } | ok
		# Type 0, or beyond the maximum at each level.
		dev_get ifname=vesp0 #9=0x00 | EINVAL "Unknown attribute type" @#9
		dev_get ifname=vesp0 #16383 | EINVAL "Unknown attribute type" @#16383
		peer_new ifname=vesp0 peer{ id=2 #11=0x00 } | EINVAL "Unknown attribute type" @peer.#11
		peer_new ifname=vesp0 peer{ id=2 prefix{ family=inet addr=10.0.0.0 len=8 #4=0x00 } } | EINVAL "Unknown attribute type" @peer.prefix.#4
		path_new ifname=vesp0 peer{ id=1 path{ id=2 family=inet remote=192.0.2.1 #17=0x00 } } | EINVAL "Unknown attribute type" @peer.path.#17
		$(sa spi=256 dir=in alg=aes-gcm enc_key=0x$K16$SALT '#21=0x00') | EINVAL "Unknown attribute type" @peer.sa.#21
		# Padding types are in range but have no policy.
		dev_get ifname=vesp0 #0=0x00 | EINVAL "Unknown attribute type" @#0
		dev_get ifname=vesp0 pad=0x00000000 | EINVAL "Unsupported attribute" @pad
		peer_new ifname=vesp0 peer{ id=2 pad=0x00000000 } | EINVAL "Unsupported attribute" @peer.pad
		$(sa spi=256 dir=in alg=aes-gcm enc_key=0x$K16$SALT pad=0x00000000) | EINVAL "Unsupported attribute" @peer.sa.pad
		# Nests must say so; other attributes must not.
		peer_new ifname=vesp0 peer!{ id=2 } | EINVAL "NLA_F_NESTED is missing" @peer
		peer_new ifname=vesp0 peer{ id=2 prefix!{ family=inet addr=10.0.0.0 len=8 } } | EINVAL "NLA_F_NESTED is missing" @peer.prefix
		peer_new ifname=vesp0 peer{ id=2 prefix{ family=inet addr{ } len=8 } } | EINVAL "NLA_F_NESTED not expected" @peer.prefix.addr
		# Nothing was added on the way.
		--dump peer_get ifname=vesp0 | done 1
	EOF
}

test_attr_lengths()
{
	local ns

	setup ns || return
	# shellcheck disable=SC2046
	check_requests $(in_ns "$ns") <<-EOF
		peer_new ifname=vesp0 peer{ id=1 } | ok
		dev_get ifindex:u16=@vesp0 | EINVAL "invalid attribute length" @ifindex
		dev_get ifindex:u64=@vesp0 | EINVAL "invalid attribute length" @ifindex
		dev_set ifname=vesp0 fwmark:u8=1 | EINVAL "invalid attribute length" @fwmark
		peer_new ifname=vesp0 peer{ id:u16=2 } | EINVAL "invalid attribute length" @peer.id
		peer_new ifname=vesp0 peer{ id=2 prefix{ family:u32=inet addr=10.0.0.0 len=8 } } | EINVAL "invalid attribute length" @peer.prefix.family
		peer_new ifname=vesp0 peer{ id=2 prefix{ family=inet addr=10.0.0.0 len:u32=8 } } | EINVAL "invalid attribute length" @peer.prefix.len
		peer_new ifname=vesp0 peer{ id=2 prefix{ family=inet6 addr=0x${K16}00 len=8 } } | ERANGE "Attribute failed policy validation" @peer.prefix.addr
		path_new ifname=vesp0 peer{ id=1 path{ id=1 family=inet remote=192.0.2.1 priority:u16=1 } } | EINVAL "invalid attribute length" @peer.path.priority
		path_new ifname=vesp0 peer{ id=1 path{ id=1 family=inet6 remote=0x${K16}00 } } | ERANGE "Attribute failed policy validation" @peer.path.remote
		$(sa spi=256 dir:u32=in alg=aes-gcm enc_key=0x$K16$SALT) | EINVAL "invalid attribute length" @peer.sa.dir
		$(sa spi:u64=256 dir=in alg=aes-gcm enc_key=0x$K16$SALT) | EINVAL "invalid attribute length" @peer.sa.spi
		$(sa spi=256 dir=in alg=aes-gcm enc_key=0x$K16$SALT soft_bytes:u32=1) | EINVAL "invalid attribute length" @peer.sa.soft_bytes
		$(sa spi=256 dir=in alg=aes-gcm enc_key=0x$K16$SALT esn:u8=1) | ERANGE "Attribute failed policy validation" @peer.sa.esn
		$(sa spi=256 dir=in alg=aes-gcm enc_key=0x$K32$K32$SALT) | ERANGE "Attribute failed policy validation" @peer.sa.enc_key
		$(sa spi=256 dir=in alg=aes-cbc-hmac-sha256 enc_key=0x$K16 auth_key=0x$KA${KA}00) | ERANGE "Attribute failed policy validation" @peer.sa.auth_key
		--dump sa_get ifname=vesp0 | done 0
	EOF
}

test_peers()
{
	local ns

	setup ns || return
	# shellcheck disable=SC2046
	check_requests $(in_ns "$ns") <<-EOF
		peer_new ifname=vesp0 | EINVAL "the request needs a peer"
		peer_del ifname=vesp0 | EINVAL "the request needs a peer"
		peer_get ifname=vesp0 | EINVAL "the request needs a peer"
		peer_new ifname=vesp0 peer{ } | EINVAL "the peer needs an ID" @peer
		peer_new ifname=vesp0 peer{ prefix{ family=inet addr=10.0.0.0 len=8 } } | EINVAL "the peer needs an ID" @peer
		peer_new ifname=vesp0 peer{ id=0 } | ERANGE "integer out of range" @peer.id
		peer_new ifname=vesp0 peer{ id=1 path{ id=1 family=inet remote=192.0.2.1 } } | EINVAL "paths and SAs are added with their own commands"
		$(sa spi=256 dir=in alg=aes-gcm enc_key=0x$K16$SALT | sed 's/sa_new/peer_new/') | EINVAL "paths and SAs are added with their own commands"
		peer_new ifname=vesp0 peer{ id=1 prefix{ family=inet addr=10.0.0.0 len=8 } } | ok
		peer_new ifname=vesp0 peer{ id=1 } | EEXIST "the peer exists; NLM_F_REPLACE replaces its prefixes" @peer.id
		peer_new ifname=vesp0 peer{ id=1 prefix{ family=inet addr=10.0.0.0 len=8 } } | EEXIST "the peer exists; NLM_F_REPLACE replaces its prefixes" @peer.id
		# Another device may use the same ID.
		peer_new ifname=vesp1 peer{ id=1 } | ok
		--replace peer_new ifname=vesp0 peer{ id=1 prefix{ family=inet6 addr=fd00:: len=8 } } | ok
		# NLM_F_REPLACE adds a peer that is not there.
		--replace peer_new ifname=vesp0 peer{ id=4294967295 } | ok
		peer_del ifname=vesp0 peer{ id=2 } | ENOENT "no such peer" @peer.id
		peer_get ifname=vesp0 peer{ id=2 } | ENOENT "no such peer" @peer.id
		peer_del ifname=vesp0 peer{ id=4294967295 } | ok
		peer_del ifname=vesp0 peer{ id=4294967295 } | ENOENT "no such peer" @peer.id
		dev_get ifname=vesp0 | ok
	EOF
	# The replaced peer has exactly the new prefix.
	raw "$ns" --dump peer_get ifname=vesp0
	check_eq "$(grep '^peer\.' <<< "$CMD_OUT" | tr '\n' ' ')" \
		"peer.id=1 peer.liveness_interval=0 peer.liveness_multiplier=3 peer.hold_down=1000 peer.roaming=0 peer.path_switches=0 peer.prefix.family=10 peer.prefix.addr=fd000000000000000000000000000000 peer.prefix.len=8 " \
		"peer 1 after NLM_F_REPLACE"
	raw "$ns" dev_get ifname=vesp0
	check_match "$CMD_OUT" $'\npeer_count=1\n' "peer count"
}

test_prefixes()
{
	local ns

	setup ns || return
	# shellcheck disable=SC2046
	check_requests $(in_ns "$ns") <<-EOF
		# Host bits, IPv4 and IPv6, at the byte the length ends in.
		peer_new ifname=vesp0 peer{ id=1 prefix{ family=inet addr=10.0.0.1 len=8 } } | EINVAL "the address has bits set past the prefix length" @peer.prefix.addr
		peer_new ifname=vesp0 peer{ id=1 prefix{ family=inet addr=10.0.64.0 len=17 } } | EINVAL "the address has bits set past the prefix length" @peer.prefix.addr
		peer_new ifname=vesp0 peer{ id=1 prefix{ family=inet addr=0.0.0.1 len=0 } } | EINVAL "the address has bits set past the prefix length" @peer.prefix.addr
		peer_new ifname=vesp0 peer{ id=1 prefix{ family=inet6 addr=fd00::1 len=127 } } | EINVAL "the address has bits set past the prefix length" @peer.prefix.addr
		# Lengths: past 32 for IPv4 the module says so, past 128 the policy.
		peer_new ifname=vesp0 peer{ id=1 prefix{ family=inet addr=10.0.0.0 len=33 } } | EINVAL "prefix length longer than the address" @peer.prefix.len
		peer_new ifname=vesp0 peer{ id=1 prefix{ family=inet addr=10.0.0.0 len=128 } } | EINVAL "prefix length longer than the address" @peer.prefix.len
		peer_new ifname=vesp0 peer{ id=1 prefix{ family=inet6 addr=fd00:: len=129 } } | ERANGE "integer out of range" @peer.prefix.len
		# Address length against the family.
		peer_new ifname=vesp0 peer{ id=1 prefix{ family=inet addr=fd00:: len=8 } } | EINVAL "an IPv4 address has 4 bytes" @peer.prefix.addr
		peer_new ifname=vesp0 peer{ id=1 prefix{ family=inet addr=0x0a0000 len=8 } } | EINVAL "an IPv4 address has 4 bytes" @peer.prefix.addr
		peer_new ifname=vesp0 peer{ id=1 prefix{ family=inet6 addr=10.0.0.0 len=8 } } | EINVAL "an IPv6 address has 16 bytes" @peer.prefix.addr
		# Families.
		peer_new ifname=vesp0 peer{ id=1 prefix{ family=7 addr=10.0.0.0 len=8 } } | EAFNOSUPPORT "the family must be AF_INET or AF_INET6" @peer.prefix.family
		peer_new ifname=vesp0 peer{ id=1 prefix{ family=0 addr=10.0.0.0 len=8 } } | EAFNOSUPPORT "the family must be AF_INET or AF_INET6" @peer.prefix.family
		peer_new ifname=vesp0 peer{ id=1 prefix{ addr=10.0.0.0 len=8 } } | EINVAL "an address family is needed" @peer.prefix
		peer_new ifname=vesp0 peer{ id=1 prefix{ family=inet len=8 } } | EINVAL "a prefix needs an address and a length" @peer.prefix
		peer_new ifname=vesp0 peer{ id=1 prefix{ family=inet addr=10.0.0.0 } } | EINVAL "a prefix needs an address and a length" @peer.prefix
		# One bad prefix among good ones: nothing is added.
		peer_new ifname=vesp0 peer{ id=1 prefix{ family=inet addr=10.0.0.0 len=8 } prefix{ family=inet addr=10.1.0.1 len=16 } } | EINVAL "the address has bits set past the prefix length" @peer.prefix.addr
		--dump peer_get ifname=vesp0 | done 0
		# The edges that are right.
		peer_new ifname=vesp0 peer{ id=1 prefix{ family=inet addr=0.0.0.0 len=0 } prefix{ family=inet6 addr=:: len=0 } prefix{ family=inet addr=10.0.0.1 len=32 } prefix{ family=inet6 addr=fd00::1 len=128 } } | ok
		--dump peer_get ifname=vesp0 | done 1
	EOF
}

test_paths()
{
	local ns

	setup ns || return
	# shellcheck disable=SC2046
	check_requests $(in_ns "$ns") <<-EOF
		peer_new ifname=vesp0 peer{ id=1 } | ok
		path_new ifname=vesp0 | EINVAL "the request needs a peer"
		path_new ifname=vesp0 peer{ id=1 } | EINVAL "the request needs a path" @peer
		path_new ifname=vesp0 peer{ id=1 path{ family=inet remote=192.0.2.1 } } | EINVAL "the path needs an ID" @peer.path
		path_new ifname=vesp0 peer{ id=1 path{ id=0 family=inet remote=192.0.2.1 } } | ERANGE "integer out of range" @peer.path.id
		path_new ifname=vesp0 peer{ id=1 path{ id=1 remote=192.0.2.1 } } | EINVAL "an address family is needed" @peer.path
		path_new ifname=vesp0 peer{ id=1 path{ id=1 family=11 remote=192.0.2.1 } } | EAFNOSUPPORT "the family must be AF_INET or AF_INET6" @peer.path.family
		path_new ifname=vesp0 peer{ id=1 path{ id=1 family=inet } } | EINVAL "the path needs a remote address" @peer.path
		path_new ifname=vesp0 peer{ id=1 path{ id=1 family=inet remote=2001:db8::1 } } | EINVAL "an IPv4 address has 4 bytes" @peer.path.remote
		path_new ifname=vesp0 peer{ id=1 path{ id=1 family=inet6 remote=192.0.2.1 } } | EINVAL "an IPv6 address has 16 bytes" @peer.path.remote
		path_new ifname=vesp0 peer{ id=1 path{ id=1 family=inet remote=192.0.2.1 local=2001:db8::1 } } | EINVAL "an IPv4 address has 4 bytes" @peer.path.local
		path_new ifname=vesp0 peer{ id=1 path{ id=1 family=inet remote=224.0.0.1 } } | EINVAL "the remote address must be unicast" @peer.path.remote
		path_new ifname=vesp0 peer{ id=1 path{ id=1 family=inet remote=0.0.0.0 } } | EINVAL "the remote address must be unicast" @peer.path.remote
		path_new ifname=vesp0 peer{ id=1 path{ id=1 family=inet remote=255.255.255.255 } } | EINVAL "the remote address must be unicast" @peer.path.remote
		path_new ifname=vesp0 peer{ id=1 path{ id=1 family=inet6 remote=:: } } | EINVAL "the remote address must be unicast" @peer.path.remote
		path_new ifname=vesp0 peer{ id=1 path{ id=1 family=inet6 remote=ff02::1 } } | EINVAL "the remote address must be unicast" @peer.path.remote
		path_new ifname=vesp0 peer{ id=1 path{ id=1 family=inet remote=192.0.2.1 active } } | EINVAL "the active path is chosen by the kernel" @peer.path.active
		path_new ifname=vesp0 peer{ id=1 path{ id=1 family=inet remote=192.0.2.1 } } | ok
		path_new ifname=vesp0 peer{ id=1 path{ id=1 family=inet6 remote=2001:db8::1 } } | EEXIST "the peer has a path with this ID"
		path_new ifname=vesp0 peer{ id=1 path{ id=2 family=inet6 remote=2001:db8::1 local=2001:db8::2 priority=7 } } | ok
		path_del ifname=vesp0 peer{ id=1 path{ id=3 } } | ENOENT "no such path" @peer.path.id
		path_del ifname=vesp0 peer{ id=1 path{ id=2 } } | ok
		path_del ifname=vesp0 peer{ id=1 path{ id=2 } } | ENOENT "no such path" @peer.path.id
	EOF
}

test_sa_attrs()
{
	local ns gcm="alg=aes-gcm enc_key=0x$K16$SALT"

	setup ns || return
	# shellcheck disable=SC2046
	check_requests $(in_ns "$ns") <<-EOF
		peer_new ifname=vesp0 peer{ id=1 } | ok
		sa_new ifname=vesp0 peer{ id=1 } | EINVAL "the request needs an SA" @peer
		$(sa dir=in $gcm) | EINVAL "an SA needs an SPI and a direction" @peer.sa
		$(sa spi=256 $gcm) | EINVAL "an SA needs an SPI and a direction" @peer.sa
		$(sa spi=256 dir=in enc_key=0x$K16$SALT) | EINVAL "a new SA needs an algorithm" @peer.sa
		# SPIs 0..255 are reserved.
		$(sa spi=0 dir=in $gcm) | ERANGE "integer out of range" @peer.sa.spi
		$(sa spi=255 dir=in $gcm) | ERANGE "integer out of range" @peer.sa.spi
		$(sa spi=256 dir=in $gcm) | ok
		$(sa spi=0xffffffff dir=out $gcm) | ok
		# Directions and algorithms.
		$(sa spi=257 dir=0 $gcm) | ERANGE "integer out of range" @peer.sa.dir
		$(sa spi=257 dir=3 $gcm) | ERANGE "integer out of range" @peer.sa.dir
		$(sa spi=257 dir=in alg=0 enc_key=0x$K16$SALT) | ERANGE "integer out of range" @peer.sa.alg
		$(sa spi=257 dir=in alg=5 enc_key=0x$K16$SALT) | ERANGE "integer out of range" @peer.sa.alg
		# The replay window: inbound only, at most 4096.
		$(sa spi=257 dir=in $gcm replay_window=4097) | ERANGE "integer out of range" @peer.sa.replay_window
		$(sa spi=257 dir=in $gcm replay_window=0xffffffff) | ERANGE "integer out of range" @peer.sa.replay_window
		$(sa spi=257 dir=out $gcm replay_window=64) | EINVAL "only an inbound SA has a replay window" @peer.sa.replay_window
		$(sa spi=257 dir=out $gcm replay_window=0) | EINVAL "only an inbound SA has a replay window" @peer.sa.replay_window
		$(sa spi=257 dir=in $gcm replay_window=4096) | ok
		$(sa spi=258 dir=in $gcm replay_window=0) | ok
		# Active: outbound only.
		$(sa spi=259 dir=in $gcm active) | EINVAL "only an outbound SA can be active" @peer.sa.active
		$(sa spi=259 dir=out $gcm active) | ok
		# Lifetimes: soft past hard is refused, soft without hard is not.
		$(sa spi=260 dir=in $gcm soft_bytes=10 hard_bytes=9) | EINVAL "a soft lifetime exceeds its hard lifetime"
		$(sa spi=260 dir=in $gcm soft_packets=10 hard_packets=9) | EINVAL "a soft lifetime exceeds its hard lifetime"
		$(sa spi=260 dir=in $gcm soft_seconds=10 hard_seconds=9) | EINVAL "a soft lifetime exceeds its hard lifetime"
		$(sa spi=260 dir=in $gcm soft_bytes=10 hard_bytes=10 soft_packets=5) | ok
		# SA_SET: lifetimes checked against the SA's, the rest is fixed.
		sa_set ifname=vesp0 peer{ id=1 sa{ spi=260 dir=in hard_packets=4 } } | EINVAL "a soft lifetime exceeds its hard lifetime"
		sa_set ifname=vesp0 peer{ id=1 sa{ spi=260 dir=in hard_packets=5 } } | ok
		sa_set ifname=vesp0 peer{ id=1 sa{ spi=260 dir=in alg=aes-gcm } } | EOPNOTSUPP "algorithm, keys, ESN and window are fixed: add a new SA"
		sa_set ifname=vesp0 peer{ id=1 sa{ spi=260 dir=in enc_key=0x$K16$SALT } } | EOPNOTSUPP "algorithm, keys, ESN and window are fixed: add a new SA"
		sa_set ifname=vesp0 peer{ id=1 sa{ spi=260 dir=in esn } } | EOPNOTSUPP "algorithm, keys, ESN and window are fixed: add a new SA"
		sa_set ifname=vesp0 peer{ id=1 sa{ spi=260 dir=in replay_window=8 } } | EOPNOTSUPP "algorithm, keys, ESN and window are fixed: add a new SA"
		sa_set ifname=vesp0 peer{ id=1 sa{ spi=260 dir=in active } } | EINVAL "only an outbound SA can be active" @peer.sa.active
		sa_set ifname=vesp0 peer{ id=1 sa{ spi=0xffffffff dir=out active } } | ok
		--dump sa_get ifname=vesp0 | done 6
	EOF
}

test_sa_keys()
{
	local ns spi=256 line requests=

	setup ns || return
	# "ALG [KEYS] | ANSWER"; each gets an SPI of its own.
	while IFS= read -r line; do
		[ -n "$line" ] || continue
		requests+="$(sa spi=$spi dir=in alg="${line%% | *}") | ${line#* | }"$'\n'
		spi=$((spi + 1))
	done <<-EOF
		aes-gcm | EINVAL "AES-GCM needs a 16- or 32-byte key followed by a 4-byte salt"
		aes-gcm enc_key=0x$SALT | EINVAL "AES-GCM needs a 16- or 32-byte key followed by a 4-byte salt"
		aes-gcm enc_key=0x$K16 | EINVAL "AES-GCM needs a 16- or 32-byte key followed by a 4-byte salt"
		aes-gcm enc_key=0x$K32 | EINVAL "AES-GCM needs a 16- or 32-byte key followed by a 4-byte salt"
		aes-gcm enc_key=0x$K24$SALT | EINVAL "AES-GCM needs a 16- or 32-byte key followed by a 4-byte salt"
		aes-gcm enc_key=0x$K32${SALT}00 | EINVAL "AES-GCM needs a 16- or 32-byte key followed by a 4-byte salt"
		aes-gcm enc_key=0x$K16$SALT auth_key=0x$KA | EINVAL "AES-GCM takes no integrity key"
		aes-gcm enc_key=0x$K16$SALT | ok
		aes-gcm enc_key=0x$K32$SALT | ok
		aes-gcm enc_key=0x$K32$SALT esn | ok
		chacha20-poly1305 | EINVAL "ChaCha20-Poly1305 needs a 32-byte key followed by a 4-byte salt"
		chacha20-poly1305 enc_key=0x$K32 | EINVAL "ChaCha20-Poly1305 needs a 32-byte key followed by a 4-byte salt"
		chacha20-poly1305 enc_key=0x$K16$SALT | EINVAL "ChaCha20-Poly1305 needs a 32-byte key followed by a 4-byte salt"
		chacha20-poly1305 enc_key=0x$K32${SALT}00 | EINVAL "ChaCha20-Poly1305 needs a 32-byte key followed by a 4-byte salt"
		chacha20-poly1305 enc_key=0x$K32$SALT auth_key=0x$KA | EINVAL "ChaCha20-Poly1305 takes no integrity key"
		chacha20-poly1305 enc_key=0x$K32$SALT | ok
		aes-cbc-hmac-sha256 auth_key=0x$KA | EINVAL "AES-CBC needs a 16- or 32-byte key"
		aes-cbc-hmac-sha256 enc_key=0x$K16$SALT auth_key=0x$KA | EINVAL "AES-CBC needs a 16- or 32-byte key"
		aes-cbc-hmac-sha256 enc_key=0x$K24 auth_key=0x$KA | EINVAL "AES-CBC needs a 16- or 32-byte key"
		aes-cbc-hmac-sha256 enc_key=0x$K32$SALT auth_key=0x$KA | EINVAL "AES-CBC needs a 16- or 32-byte key"
		aes-cbc-hmac-sha256 enc_key=0x$K16 | EINVAL "HMAC-SHA2-256 needs a 32-byte integrity key"
		aes-cbc-hmac-sha256 enc_key=0x$K16 auth_key=0x$K16 | EINVAL "HMAC-SHA2-256 needs a 32-byte integrity key"
		aes-cbc-hmac-sha256 enc_key=0x$K16 auth_key=0x${KA}00 | EINVAL "HMAC-SHA2-256 needs a 32-byte integrity key"
		aes-cbc-hmac-sha256 enc_key=0x$K16 auth_key=0x$KA$KA | EINVAL "HMAC-SHA2-256 needs a 32-byte integrity key"
		aes-cbc-hmac-sha256 enc_key=0x$K16 auth_key=0x$KA | ok
		aes-cbc-hmac-sha256 enc_key=0x$K32 auth_key=0x$KA | ok
		aes-cbc-hmac-sha256 enc_key=0x$K32 auth_key=0x$KA esn | ok
		null-hmac-sha256 | EINVAL "HMAC-SHA2-256 needs a 32-byte integrity key"
		null-hmac-sha256 enc_key=0x$K16 auth_key=0x$KA | EINVAL "NULL encryption takes no cipher key"
		null-hmac-sha256 auth_key=0x$K16 | EINVAL "HMAC-SHA2-256 needs a 32-byte integrity key"
		null-hmac-sha256 auth_key=0x$KA | ok
		null-hmac-sha256 auth_key=0x$KA esn | ok
	EOF
	# shellcheck disable=SC2046
	check_requests $(in_ns "$ns") <<-EOF
		peer_new ifname=vesp0 peer{ id=1 } | ok
		$requests
		--dump sa_get ifname=vesp0 | done 9
	EOF
}

test_read_only()
{
	local ns gcm="alg=aes-gcm enc_key=0x$K16$SALT"

	setup ns || return
	# shellcheck disable=SC2046
	check_requests $(in_ns "$ns") <<-EOF
		peer_new ifname=vesp0 peer{ id=1 } | ok
		dev_set ifname=vesp0 peer_count=1 | EINVAL "the peer count is read-only" @peer_count
		peer_new ifname=vesp0 peer_count=0 peer{ id=2 } | EINVAL "the peer count is read-only" @peer_count
		dev_set ifname=vesp0 stats:flag | EINVAL "counters are read-only" @stats
		path_new ifname=vesp0 peer{ id=1 path{ id=1 family=inet remote=192.0.2.1 active } } | EINVAL "the active path is chosen by the kernel" @peer.path.active
		$(sa spi=256 dir=out $gcm seq=1) | EINVAL "sequence numbers are read-only" @peer.sa.seq
		$(sa spi=256 dir=out $gcm packets=0) | EINVAL "counters are read-only" @peer.sa.packets
		$(sa spi=256 dir=out $gcm bytes=0) | EINVAL "counters are read-only" @peer.sa.bytes
		$(sa spi=256 dir=out $gcm age=0) | EINVAL "the age is read-only" @peer.sa.age
		$(sa spi=256 dir=out $gcm expire_reason=soft) | EINVAL "only events carry an expire reason" @peer.sa.expire_reason
		$(sa spi=256 dir=out $gcm) | ok
		sa_set ifname=vesp0 peer{ id=1 sa{ spi=256 dir=out seq=0 } } | EINVAL "sequence numbers are read-only" @peer.sa.seq
		sa_set ifname=vesp0 peer{ id=1 sa{ spi=256 dir=out packets=0 } } | EINVAL "counters are read-only" @peer.sa.packets
		# Even a read must not carry them.
		sa_get ifname=vesp0 peer{ id=1 sa{ spi=256 dir=out bytes=0 } } | EINVAL "counters are read-only" @peer.sa.bytes
		--dump sa_get ifname=vesp0 | done 1
		dev_get ifname=vesp0 | ok
	EOF
	raw "$ns" dev_get ifname=vesp0
	check_match "$CMD_OUT" $'\nfwmark=0\npeer_count=1\n' "device unchanged"
}

test_liveness()
{
	local ns

	setup ns || return
	# shellcheck disable=SC2046
	check_requests $(in_ns "$ns") <<-EOF
		peer_new ifname=vesp0 peer{ id=1 } | ok
		peer_set ifname=vesp0 peer{ id=1 } | EINVAL "nothing to change: name a liveness setting" @peer
		peer_set ifname=vesp0 peer{ id=2 liveness_interval=100 } | ENOENT "no such peer" @peer.id
		peer_set ifname=vesp0 peer{ id=1 liveness_interval=5 } | ERANGE "the liveness interval is 0 (off) or 10 to 30000 ms" @peer.liveness_interval
		peer_set ifname=vesp0 peer{ id=1 liveness_interval=30001 } | ERANGE "integer out of range" @peer.liveness_interval
		peer_set ifname=vesp0 peer{ id=1 liveness_multiplier=0 } | ERANGE "integer out of range" @peer.liveness_multiplier
		peer_set ifname=vesp0 peer{ id=1 hold_down=30001 } | ERANGE "integer out of range" @peer.hold_down
		peer_set ifname=vesp0 peer{ id=1 roaming=2 } | ERANGE "integer out of range" @peer.roaming
		peer_set ifname=vesp0 peer{ id=1 path_switches=0 } | EINVAL "the switch count is read-only" @peer.path_switches
		peer_set ifname=vesp0 peer{ id=1 roaming=1 prefix{ family=inet addr=10.0.0.0 len=8 } } | EINVAL "prefixes, paths and SAs are changed with their own commands"
		peer_new ifname=vesp0 peer{ id=2 liveness_interval=9 } | ERANGE "the liveness interval is 0 (off) or 10 to 30000 ms" @peer.liveness_interval
		path_new ifname=vesp0 peer{ id=1 path{ id=1 family=inet remote=192.0.2.1 state=1 } } | EINVAL "path liveness is read-only" @peer.path.state
		path_new ifname=vesp0 peer{ id=1 path{ id=1 family=inet remote=192.0.2.1 probes_sent=0 } } | EINVAL "counters are read-only" @peer.path.probes_sent
		path_new ifname=vesp0 peer{ id=1 path{ id=1 family=inet remote=192.0.2.1 event=1 } } | EINVAL "only events carry an event" @peer.path.event
		dev_set ifname=vesp0 flags=4 | EINVAL "reserved bit set" @flags
		peer_set ifname=vesp0 peer{ id=1 liveness_interval=100 liveness_multiplier=4 hold_down=0 roaming=1 } | ok
		peer_new ifname=vesp0 peer{ id=2 liveness_interval=50 } | ok
		dev_set ifname=vesp0 flags=2 | ok
	EOF
	raw "$ns" peer_get ifname=vesp0 peer{ id=1 }
	check_match "$CMD_OUT" $'\npeer\.liveness_interval=100\npeer\.liveness_multiplier=4\npeer\.hold_down=0\npeer\.roaming=1\npeer\.path_switches=0\n' \
		"peer 1's settings"
	raw "$ns" peer_get ifname=vesp0 peer{ id=2 }
	check_match "$CMD_OUT" $'\npeer\.liveness_interval=50\npeer\.liveness_multiplier=3\npeer\.hold_down=1000\npeer\.roaming=0\n' \
		"peer 2's settings, defaults but the interval"
	raw "$ns" dev_get ifname=vesp0
	check_match "$CMD_OUT" $'\nflags=2\n' "device flags"
}

test_unknown_objects()
{
	local ns gcm="alg=aes-gcm enc_key=0x$K16$SALT"

	setup ns || return
	# shellcheck disable=SC2046
	check_requests $(in_ns "$ns") <<-EOF
		peer_new ifname=vesp0 peer{ id=1 } | ok
		path_new ifname=vesp0 peer{ id=2 path{ id=1 family=inet remote=192.0.2.1 } } | ENOENT "no such peer" @peer.id
		path_del ifname=vesp0 peer{ id=2 path{ id=1 } } | ENOENT "no such peer" @peer.id
		sa_new ifname=vesp0 peer{ id=2 sa{ spi=256 dir=in $gcm } } | ENOENT "no such peer" @peer.id
		sa_new ifname=vesp0 peer{ id=2 sa{ spi=256 dir=out $gcm active } } | ENOENT "no such peer" @peer.id
		sa_set ifname=vesp0 peer{ id=2 sa{ spi=256 dir=out active } } | ENOENT "no such peer" @peer.id
		sa_del ifname=vesp0 peer{ id=2 sa{ spi=256 dir=in } } | ENOENT "no such peer" @peer.id
		sa_get ifname=vesp0 peer{ id=2 sa{ spi=256 dir=in } } | ENOENT "no such peer" @peer.id
		# Peer 1 of vesp1 is another peer.
		$(sa spi=256 dir=in $gcm) | ok
		sa_get ifname=vesp1 peer{ id=1 sa{ spi=256 dir=in } } | ENOENT "no such peer" @peer.id
		sa_get ifname=vesp0 peer{ id=1 sa{ spi=256 dir=out } } | ENOENT "the peer has no SA with this SPI and direction" @peer.sa.spi
		sa_del ifname=vesp0 peer{ id=1 sa{ spi=257 dir=in } } | ENOENT "the peer has no SA with this SPI and direction" @peer.sa.spi
		sa_set ifname=vesp0 peer{ id=1 sa{ spi=257 dir=out active } } | ENOENT "the peer has no SA with this SPI and direction" @peer.sa.spi
		sa_get ifname=vesp0 peer{ id=1 sa{ spi=256 dir=in } } | ok
		sa_del ifname=vesp0 peer{ id=1 sa{ spi=256 dir=in } } | ok
		sa_del ifname=vesp0 peer{ id=1 sa{ spi=256 dir=in } } | ENOENT "the peer has no SA with this SPI and direction" @peer.sa.spi
		--dump sa_get ifname=vesp0 | done 0
	EOF
}

# vesp2 lives in $other but was created in $ns: its underlay is $ns. A
# device in $third has its own underlay.
test_spi_unique()
{
	local ns other third gcm="alg=aes-gcm enc_key=0x$K16$SALT"

	setup ns || return
	setup other || return
	setup third || return
	run_cmd ip -n "$ns" link add vesp2 netns "$other" type vesp
	check_err $? "vesp2 into $other: $CMD_OUT" || return

	# shellcheck disable=SC2046
	check_requests $(in_ns "$ns") <<-EOF
		peer_new ifname=vesp0 peer{ id=1 } | ok
		peer_new ifname=vesp0 peer{ id=2 } | ok
		peer_new ifname=vesp1 peer{ id=1 } | ok
		sa_new ifname=vesp0 peer{ id=1 sa{ spi=0x1000 dir=in $gcm } } | ok
		sa_new ifname=vesp0 peer{ id=1 sa{ spi=0x1000 dir=in $gcm } } | EEXIST "the peer has an SA with this SPI and direction"
		sa_new ifname=vesp0 peer{ id=2 sa{ spi=0x1000 dir=in $gcm } } | EEXIST "the inbound SPI is in use in this netns"
		sa_new ifname=vesp1 peer{ id=1 sa{ spi=0x1000 dir=in $gcm } } | EEXIST "the inbound SPI is in use in this netns"
		# Outbound SPIs are the peer's business: unique within it only.
		sa_new ifname=vesp0 peer{ id=1 sa{ spi=0x1000 dir=out $gcm } } | ok
		sa_new ifname=vesp0 peer{ id=2 sa{ spi=0x1000 dir=out $gcm } } | ok
		sa_new ifname=vesp1 peer{ id=1 sa{ spi=0x1000 dir=out $gcm } } | ok
		sa_new ifname=vesp0 peer{ id=1 sa{ spi=0x1000 dir=out $gcm } } | EEXIST "the peer has an SA with this SPI and direction"
	EOF
	# shellcheck disable=SC2046
	check_requests $(in_ns "$other") <<-EOF
		peer_new ifname=vesp2 peer{ id=1 } | ok
		sa_new ifname=vesp2 peer{ id=1 sa{ spi=0x1000 dir=in $gcm } } | EEXIST "the inbound SPI is in use in this netns"
		# vesp0 here has $other as its underlay: the SPI is free.
		peer_new ifname=vesp0 peer{ id=1 } | ok
		sa_new ifname=vesp0 peer{ id=1 sa{ spi=0x1000 dir=in $gcm } } | ok
		sa_new ifname=vesp2 peer{ id=1 sa{ spi=0x1001 dir=in $gcm } } | ok
	EOF
	# shellcheck disable=SC2046
	check_requests $(in_ns "$third") <<-EOF
		peer_new ifname=vesp0 peer{ id=1 } | ok
		sa_new ifname=vesp0 peer{ id=1 sa{ spi=0x1000 dir=in $gcm } } | ok
		sa_new ifname=vesp0 peer{ id=1 sa{ spi=0x1001 dir=in $gcm } } | ok
	EOF
	# Deleting an SA, or its peer, frees the SPI.
	# shellcheck disable=SC2046
	check_requests $(in_ns "$ns") <<-EOF
		sa_new ifname=vesp0 peer{ id=1 sa{ spi=0x1001 dir=in $gcm } } | EEXIST "the inbound SPI is in use in this netns"
		sa_del ifname=vesp0 peer{ id=1 sa{ spi=0x1000 dir=in } } | ok
		sa_new ifname=vesp1 peer{ id=1 sa{ spi=0x1000 dir=in $gcm } } | ok
		peer_del ifname=vesp1 peer{ id=1 } | ok
		sa_new ifname=vesp0 peer{ id=2 sa{ spi=0x1000 dir=in $gcm } } | ok
	EOF
	run_cmd ip -n "$other" link del vesp2
	# shellcheck disable=SC2046
	check_requests $(in_ns "$ns") <<-EOF
		sa_new ifname=vesp0 peer{ id=2 sa{ spi=0x1001 dir=in $gcm } } | ok
	EOF
}

test_unprivileged()
{
	local ns gcm="alg=aes-gcm enc_key=0x$K16$SALT" who

	setup ns || return
	# shellcheck disable=SC2046
	check_requests $(in_ns "$ns") <<-EOF
		peer_new ifname=vesp0 peer{ id=1 } | ok
		path_new ifname=vesp0 peer{ id=1 path{ id=1 family=inet remote=192.0.2.1 } } | ok
		$(sa spi=256 dir=in $gcm) | ok
	EOF
	# Nobody, and root of a user namespace that does not own $ns, run
	# copies: they may not enter the checkout.
	local RAW VESP
	public_copy RAW "$SELFTEST_RAW" || return
	public_copy VESP "$SELFTEST_VESP" || return
	for who in nobody userns; do
		local cmd=(ip netns exec "$ns" "${NOBODY[@]}")
		[ $who = userns ] && cmd=(ip netns exec "$ns" unshare -U -r)
		check_requests "${cmd[@]}" <<-EOF
			# Devices and drop counters are public.
			dev_get ifname=vesp0 | ok
			--dump dev_get | done 2
			stats_get ifname=vesp0 | ok
			# Everything else needs CAP_NET_ADMIN in the device's netns.
			dev_set ifname=vesp0 fwmark=1 | EPERM ""
			peer_new ifname=vesp0 peer{ id=2 } | EPERM ""
			peer_del ifname=vesp0 peer{ id=1 } | EPERM ""
			peer_get ifname=vesp0 peer{ id=1 } | EPERM ""
			--dump peer_get ifname=vesp0 | EPERM ""
			path_new ifname=vesp0 peer{ id=1 path{ id=2 family=inet remote=192.0.2.2 } } | EPERM ""
			path_del ifname=vesp0 peer{ id=1 path{ id=1 } } | EPERM ""
			$(sa spi=257 dir=in $gcm) | EPERM ""
			sa_set ifname=vesp0 peer{ id=1 sa{ spi=256 dir=in hard_packets=1 } } | EPERM ""
			sa_del ifname=vesp0 peer{ id=1 sa{ spi=256 dir=in } } | EPERM ""
			sa_get ifname=vesp0 peer{ id=1 sa{ spi=256 dir=in } } | EPERM ""
			--dump sa_get ifname=vesp0 | EPERM ""
		EOF
	done
	# Nothing changed.
	raw "$ns" --dump peer_get ifname=vesp0
	check_eq "$(grep -E '^(fwmark|peer\.(id|path\.id|sa\.spi|sa\.hard_packets))=' <<< "$CMD_OUT" | tr '\n' ' ')" \
		"peer.id=1 peer.path.id=1 peer.sa.spi=256 peer.sa.hard_packets=0 " \
		"state after the refused requests"
	raw "$ns" dev_get ifname=vesp0
	check_match "$CMD_OUT" $'\nfwmark=0\n' "fwmark after the refused DEV_SET"

	run_cmd ip netns exec "$ns" "${NOBODY[@]}" "$VESP" peer add vesp0 5
	check_fail $? "vesp peer add as nobody succeeded"
	check_eq "$CMD_OUT" "vesp: peer add: Operation not permitted" \
		"vesp peer add as nobody"
	run_cmd ip netns exec "$ns" "${NOBODY[@]}" "$VESP" show vesp0
	check_fail $? "vesp show as nobody succeeded"
	check_eq "$CMD_OUT" "vesp: peer get: Operation not permitted" \
		"vesp show as nobody"
}

# dump_prefixes COUNT: PREFIX_WORDS, "prefix{ ... }" words for COUNT
# prefixes, three quarters IPv4 /24s, the rest IPv6 /64s, and PREFIX_LIST,
# the same in vesp's text form, one a line.
dump_prefixes()
{
	local count=$1 i v4=$(($1 * 3 / 4))

	PREFIX_WORDS= PREFIX_LIST=
	for ((i = 0; i < count; i++)); do
		if ((i < v4)); then
			PREFIX_WORDS+="prefix{ family=inet addr=10.$((i / 256)).$((i % 256)).0 len=24 } "
			PREFIX_LIST+="10.$((i / 256)).$((i % 256)).0/24"$'\n'
		else
			printf -v hex %x $i
			PREFIX_WORDS+="prefix{ family=inet6 addr=fd00:$hex:: len=64 } "
			PREFIX_LIST+="fd00:$hex::/64"$'\n'
		fi
	done
}

# check_shown_prefixes NS WHAT: vesp -j show vesp0 in NS lists exactly
# PREFIX_LIST as peer 1's prefixes; its JSON stays in CMD_OUT.
check_shown_prefixes()
{
	local ns=$1 what=$2 got want

	want=$(sort <<< "${PREFIX_LIST%$'\n'}")
	run_cmd ip netns exec "$ns" "$VESP" -j show vesp0
	check_err $? "vesp -j show vesp0 $what: ${CMD_OUT:0:300}" || return
	got=$(jq -r '.[0].peers[] | select(.id == 1) | .prefixes[]' <<< "$CMD_OUT" | sort)
	check_eq "$(wc -l <<< "$got")" "$(wc -l <<< "$want")" "prefixes in vesp -j show $what"
	[ "$got" == "$want" ] ||
		fail "vesp -j show $what: the prefixes differ from those added: $(diff <(echo "$want") <(echo "$got") | head -5)"
}

test_dump()
{
	local ns count=2000 messages got want ifindex hex

	setup ns || return
	dump_prefixes $count
	# shellcheck disable=SC2046
	check_requests $(in_ns "$ns") <<-EOF
		peer_new ifname=vesp0 peer{ id=1 $PREFIX_WORDS} | ok
		peer_new ifname=vesp0 peer{ id=2 prefix{ family=inet addr=192.0.2.0 len=24 } } | ok
		path_new ifname=vesp0 peer{ id=1 path{ id=1 family=inet remote=192.0.2.1 } } | ok
		$(sa spi=256 dir=in alg=aes-gcm enc_key=0x$K16$SALT) | ok
		peer_new ifname=vesp1 peer{ id=7 prefix{ family=inet addr=198.51.100.0 len=24 } } | ok
		sa_new ifname=vesp1 peer{ id=7 sa{ spi=257 dir=in alg=aes-gcm enc_key=0x$K16$SALT } } | ok
		sa_new ifname=vesp1 peer{ id=7 sa{ spi=258 dir=out alg=aes-gcm enc_key=0x$K16$SALT } } | ok
	EOF
	want=$(sort <<< "${PREFIX_LIST%$'\n'}")

	# The raw dump: several messages, every prefix exactly once, the
	# paths and SAs once, nothing of vesp1.
	raw "$ns" --dump peer_get ifindex=@vesp0
	check_err $? "PEER_GET dump of vesp0: ${CMD_OUT##*$'\n'}" || return
	messages=$(grep -c '^--$' <<< "$CMD_OUT")
	check_eq "${CMD_OUT##*$'\n'}" "done $messages" "end of the dump"
	# Each message of peer 1 names it again.
	((messages > 2)) && (($(grep -c '^peer\.id=1$' <<< "$CMD_OUT") > 1)) ||
		fail "$count prefixes came in $messages messages: no resumption tested"
	check_eq "$(grep -c '^peer\.prefix\.addr=' <<< "$CMD_OUT")" $((count + 1)) \
		"prefixes in the dump"
	check_eq "$(grep '^peer\.prefix\.addr=' <<< "$CMD_OUT" | sort -u | wc -l)" \
		$((count + 1)) "distinct prefixes in the dump"
	check_eq "$(grep -c '^peer\.path\.id=' <<< "$CMD_OUT")" 1 "paths in the dump"
	check_eq "$(grep -c '^peer\.sa\.spi=' <<< "$CMD_OUT")" 1 "SAs in the dump"
	check_eq "$(grep '^ifname=' <<< "$CMD_OUT" | sort -u)" "ifname=vesp0" \
		"devices in the dump of vesp0"
	check_eq "$(grep '^peer\.id=' <<< "$CMD_OUT" | sort -u | tr '\n' ' ')" \
		"peer.id=1 peer.id=2 " "peers in the dump of vesp0"

	# The CLI, which dumps too: JSON and text.
	check_shown_prefixes "$ns" "after the raw dump" || return
	check_eq "$(jq '.[0].peers | length' <<< "$CMD_OUT")" 2 "peers in vesp -j show"
	run_cmd ip netns exec "$ns" "$VESP" --color=never show vesp0
	check_err $? "vesp show vesp0: $CMD_OUT" || return
	got=$(grep -oE '(10\.[0-9]+\.[0-9]+\.0/24|fd00:[0-9a-f]+::/64)' <<< "$CMD_OUT" | sort)
	[ "$got" == "$want" ] ||
		fail "vesp show: $(wc -l <<< "$got") prefixes, not the $count added: $(diff <(echo "$want") <(echo "$got") | head -5)"

	# Filtered by device: vesp1's peer and SAs only.
	ifindex=$(ip netns exec "$ns" cat /sys/class/net/vesp1/ifindex)
	raw "$ns" --dump peer_get ifname=vesp1
	check_eq "$(grep -E '^(ifindex|ifname|peer\.id|peer\.sa\.spi|peer\.prefix\.addr)=' <<< "$CMD_OUT" | tr '\n' ' ')" \
		"ifindex=$ifindex ifname=vesp1 peer.id=7 peer.sa.spi=257 peer.sa.spi=258 peer.prefix.addr=c6336400 " \
		"PEER_GET dump of vesp1"
	raw "$ns" --dump sa_get ifname=vesp1
	check_eq "$(grep -E '^(ifname|peer\.id|peer\.sa\.spi)=|^done' <<< "$CMD_OUT" | tr '\n' ' ')" \
		"ifname=vesp1 peer.id=7 peer.sa.spi=257 ifname=vesp1 peer.id=7 peer.sa.spi=258 done 2 " \
		"SA_GET dump of vesp1"
	raw "$ns" --dump sa_get ifname=vesp0
	check_eq "$(grep -E '^(ifname|peer\.id|peer\.sa\.spi)=|^done' <<< "$CMD_OUT" | tr '\n' ' ')" \
		"ifname=vesp0 peer.id=1 peer.sa.spi=256 done 1 " "SA_GET dump of vesp0"
}

test_cli_prefixes()
{
	local ns count=2000 args=() p i too_many

	setup ns || return
	dump_prefixes $count
	for p in $PREFIX_LIST; do
		args+=(prefix "$p")
	done
	run_cmd ip netns exec "$ns" "$VESP" peer add vesp0 1 "${args[@]}"
	check_err $? "vesp peer add with $count prefixes: ${CMD_OUT:0:300}" || return
	check_shown_prefixes "$ns" "after vesp peer add" || return

	# The peer nest has a 16-bit length: 2340 IPv4 prefixes at most.
	too_many=()
	for ((i = 0; i < 2341; i++)); do
		too_many+=(prefix "11.$((i / 256)).$((i % 256)).0/24")
	done
	run_cmd ip netns exec "$ns" "$VESP" peer add vesp0 2 "${too_many[@]}"
	check_fail $? "vesp peer add with 2341 prefixes succeeded"
	check_eq "$CMD_OUT" \
		"vesp: 2341 prefixes do not fit one request (at most 2340 IPv4 or 1638 IPv6 prefixes)" \
		"vesp peer add with 2341 prefixes"
	run_cmd ip netns exec "$ns" "$VESP" peer add vesp0 2 "${too_many[@]:2}"
	check_err $? "vesp peer add with 2340 prefixes: ${CMD_OUT:0:300}"
	raw "$ns" --dump peer_get ifname=vesp0
	check_eq "$(grep -c '^peer\.prefix\.addr=' <<< "$CMD_OUT")" $((count + 2340)) \
		"prefixes of both peers in the kernel"
}

# cli_refused WHAT MESSAGE VESP_ARG...: the CLI fails with exit status 1,
# prints nothing on stdout and exactly "vesp: kernel: MESSAGE" on stderr.
cli_refused()
{
	local what=$1 msg=$2 out rc

	shift 2
	out=$(ip netns exec "$ns" "$VESP" "$@" 2> "$CLI_STDERR")
	rc=$?
	check_eq "$rc" 1 "$what: exit status"
	check_eq "$(cat "$CLI_STDERR")" "vesp: kernel: $msg" "$what: stderr"
	check_eq "$out" "" "$what: stdout"
}

test_cli_errors()
{
	local ns gcm="alg aes-gcm-128 enc-key $K16$SALT"

	setup ns || return
	CLI_STDERR=$(mktemp) || return
	defer rm -f "$CLI_STDERR"
	run_cmd ip netns exec "$ns" "$VESP" peer add vesp0 1 prefix 10.0.0.0/8
	check_err $? "vesp peer add: $CMD_OUT" || return
	run_cmd ip netns exec "$ns" "$VESP" peer add vesp1 1 prefix 10.0.0.0/8
	check_err $? "vesp peer add: $CMD_OUT" || return
	run_cmd ip netns exec "$ns" "$VESP" sa add vesp0 1 in spi 256 $gcm
	check_err $? "vesp sa add: $CMD_OUT" || return

	cli_refused "duplicate peer" \
		"the peer exists; NLM_F_REPLACE replaces its prefixes" \
		peer add vesp0 1
	cli_refused "unknown device" "no vesp device with this name" \
		peer add nosuch 1
	cli_refused "non-vesp device" "no vesp device with this name" \
		show dummy0
	cli_refused "path of an unknown peer" "no such peer" \
		path add vesp0 2 1 remote 192.0.2.1
	cli_refused "SA of an unknown peer" "no such peer" \
		sa add vesp0 2 in spi 257 $gcm
	cli_refused "unknown peer" "no such peer" peer del vesp0 2
	cli_refused "duplicate inbound SPI" \
		"the inbound SPI is in use in this netns" \
		sa add vesp1 1 in spi 256 $gcm
	cli_refused "duplicate SA" \
		"the peer has an SA with this SPI and direction" \
		sa add vesp0 1 in spi 256 $gcm
	cli_refused "window on an outbound SA" \
		"only an inbound SA has a replay window" \
		sa add vesp0 1 out spi 257 $gcm replay-window 32
	cli_refused "active inbound SA" "only an outbound SA can be active" \
		sa add vesp0 1 in spi 257 $gcm active
	cli_refused "soft above hard" "a soft lifetime exceeds its hard lifetime" \
		sa add vesp0 1 in spi 257 $gcm soft-packets 10 hard-packets 5
	cli_refused "unknown SA" "the peer has no SA with this SPI and direction" \
		sa del vesp0 1 out 256
	cli_refused "multicast remote" "the remote address must be unicast" \
		path add vesp0 1 1 remote 224.0.0.1
}

# key_windows_in TEXT HEX...: which 8 bytes in a row of the keys (all of
# a shorter one), as lower-case hex, TEXT contains.
key_windows_in()
{
	local text=$1 key i len

	shift
	for key in "$@"; do
		len=$((${#key} < 16 ? ${#key} : 16))
		for ((i = 0; i + len <= ${#key}; i += 2)); do
			[[ $text == *"${key:i:len}"* ]] && echo "${key:i:len}"
		done
	done | sort -u
}

test_keys_hidden()
{
	local ns spi out cmd found keys=() key rest dir
	# Keys unlike anything else, one per algorithm and direction.
	local g128=3b1f7d2a9c4e6f8051a3c5e7092b4d6f g256 cha cbc_e cbc_a nul_a
	g256=7e2c91d4a85f03b6e1c84a2d976f05b3${g128}
	cha=d4c3b2a1f0e9d8c7b6a5948372615f4e3d2c1b0a99887766554433221100ffee
	cbc_e=5a6b7c8d9eafb0c1d2e3f405162738495a6b7c8d9eafb0c1d2e3f40516273849
	cbc_a=8f9eadbccbdae9f80718293a4b5c6d7e8f9eadbccbdae9f80718293a4b5c6d7e
	nul_a=c3d2e1f00f1e2d3c4b5a69788796a5b4c3d2e1f00f1e2d3c4b5a69788796a5b4

	setup ns || return
	run_cmd ip netns exec "$ns" "$VESP" peer add vesp0 1 prefix 10.0.0.0/8
	check_err $? "vesp peer add: $CMD_OUT" || return
	spi=256
	for rest in "aes-gcm-128 enc-key ${g128}5eed5a17" \
		    "aes-gcm-256 enc-key ${g256}5eed5a17" \
		    "chacha20-poly1305 enc-key ${cha}5eed5a17" \
		    "aes-cbc-128-hmac-sha256 enc-key ${cbc_e:0:32} auth-key $cbc_a" \
		    "aes-cbc-256-hmac-sha256 enc-key ${cbc_e:32}${cbc_e:0:32} auth-key ${cbc_a:32}${cbc_a:0:32}" \
		    "null-hmac-sha256 auth-key $nul_a"; do
		for dir in in out; do
			# shellcheck disable=SC2086 # the words of $rest
			run_cmd ip netns exec "$ns" "$VESP" sa add vesp0 1 $dir \
				spi $((spi++)) alg $rest
			check_err $? "vesp sa add $dir $rest: $CMD_OUT" || return
		done
	done
	keys=("$g128" "$g256" "$cha" "$cbc_e" "${cbc_e:32}${cbc_e:0:32}"
	      "$cbc_a" "${cbc_a:32}${cbc_a:0:32}" "$nul_a" 5eed5a17)

	# Every way the CLI shows SAs, text and JSON: no 8 key bytes in a
	# row, in hex of either case, and no salt.
	for cmd in "show" "show vesp0" "show vesp0 sas" "show all" "sa list" \
		   "sa list vesp0" "-j show" "-j show vesp0 sas" "-j sa list"; do
		# shellcheck disable=SC2086 # the words of $cmd
		out=$(ip netns exec "$ns" "$VESP" --color=never $cmd 2>&1)
		check_match "$out" "0x0000010b|\"spi\":267" \
			"vesp $cmd shows the last SA" || continue
		found=$(key_windows_in "${out,,}" "${keys[@]}")
		check_eq "$found" "" "key bytes in the output of vesp $cmd"
	done
	# The check finds what is there.
	check_eq "$(key_windows_in "spi ${cha:20:16} alg" "${keys[@]}")" \
		"${cha:20:16}" "key bytes found by the check"

	# Every reply attribute at any depth, and the whole messages.
	local forbid=()
	for key in "${keys[@]}"; do
		forbid+=(--forbid "$key")
	done
	# shellcheck disable=SC2046
	check_requests $(in_ns "$ns") <<-EOF
		--dump ${forbid[*]} sa_get ifname=vesp0 | done 12
		--dump ${forbid[*]} peer_get ifname=vesp0 | done 1
		${forbid[*]} peer_get ifname=vesp0 peer{ id=1 } | ok
		$(for ((spi = 256; spi < 268; spi++)); do
			dir=in
			((spi % 2)) && dir=out
			echo "${forbid[*]} sa_get ifname=vesp0 peer{ id=1 sa{ spi=$spi dir=$dir } } | ok"
		done)
		# The check finds what is there: the device's name.
		--forbid $(printf vesp0 | od -An -tx1 | tr -d ' \n') sa_get ifname=vesp0 peer{ id=1 sa{ spi=256 dir=in } } | forbidden bytes in a reply: 7665737030
		--forbid 7665737030 --dump peer_get ifname=vesp0 | forbidden bytes in a reply: 7665737030
	EOF
}

vesp_run_tests "$@"
