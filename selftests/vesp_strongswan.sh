#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# vespd against strongSwan: vespd keys vesp0 in one namespace, Debian's
# charon (configured with swanctl) keys the kernel's XFRM in the other,
# with an xfrm interface on its side, route based like vesp. Each test
# brings the tunnel up with vespd as initiator or as responder, checks
# that both daemons installed the same SPIs and algorithm, and pings
# through vesp0 on one side and xfrm0 on the other; the SA counters of
# both ends must count the pings. Then the SAs are rekeyed under a ping
# flood, charon is killed and restarted, and certificates replace the
# pre-shared key.
#
#	+------------- $A -------------+     +------------- $S -------------+
#	| vespd                        |     | charon, swanctl              |
#	| vesp0 10.0.1.1               |     | xfrm0 (if_id 42) 10.0.2.1    |
#	|   route 10.0.2.0/24          |     |   route 10.0.1.0/24          |
#	| eth0 192.168.50.1/24  <--- IKE, ESP --->  eth0 192.168.50.2/24    |
#	+------------------------------+     +------------------------------+
#
# charon's files (strongswan.conf, swanctl.conf, credentials, its vici
# socket and log) live in the test's $WORKDIR: nothing under /etc is used.
#
# Usage: vesp_strongswan.sh [-v] [-p] [TEST]...

# shellcheck disable=SC2317 # test_* functions are called by name
# charon installs SAs and policies slowly under TCG, the more so on a busy
# host
: "${WAIT_TIMEOUT:=120}"
source "$(dirname "$(readlink -f "$0")")/lib.sh"
source "$SELFTEST_DIR/lib_vespd.sh"

TESTS="
	initiator_psk_aes256gcm16	vespd initiates, PSK, AES-GCM-256 with ESN, x25519
	responder_psk_aes256gcm16	charon initiates, PSK, AES-GCM-256 with ESN, x25519
	initiator_psk_chacha20poly1305	vespd initiates, PSK, ChaCha20-Poly1305 with ESN, ecp256
	responder_psk_chacha20poly1305	charon initiates, PSK, ChaCha20-Poly1305 with ESN, ecp256
	initiator_psk_aes128_sha256	vespd initiates, PSK, AES-128-CBC/HMAC-SHA2-256 without ESN, modp2048
	responder_psk_aes128_sha256	charon initiates, PSK, AES-128-CBC/HMAC-SHA2-256 without ESN, modp2048
	rekey_flood			vespd rekeys the Child SAs with PFS, charon the IKE SA, under a ping flood: vesp loses nothing
	rekey_flood_peer		charon rekeys the Child SAs, vespd the IKE SA, under a ping flood: vesp loses nothing
	ecdsa_initiator			ECDSA certificates from a common CA, vespd initiates
	ecdsa_responder			ECDSA certificates from a common CA, charon initiates
	strongswan_restart		charon killed and restarted, not initiating: vespd brings the tunnel back
	mobike_initiator		two paths, vespd's active address deleted: its MOBIKE update moves charon's SAs, same SPIs
	mobike_responder		two paths, charon's active address deleted: charon's MOBIKE moves vespd's SAs, same SPIs
"

CHARON=${CHARON:-/usr/lib/ipsec/charon}
IF_ID=42
# How long vespd may take to notice that charon restarted and to bring
# the tunnel back: liveness checks, their retransmissions, one retry.
RESTART_TIMEOUT=90

vesp_require()
{
	vespd_require
	[ -x "$CHARON" ] ||
		ktap_bail_out "$CHARON missing: selftests/tools/deps.sh installs strongSwan"
	require_cmds swanctl openssl ping
	modprobe -q xfrm_interface ||
		ktap_skip_all "xfrm_interface module not available"
	modprobe -q esp4 || ktap_skip_all "esp4 module not available"
}

##############################################################################
# strongSwan

# ss_cmd ARG...: swanctl in $S, talking to the test's charon, with
# strongswan.conf from $SS_CONF if set.
ss_cmd()
{
	ip netns exec "$S" env STRONGSWAN_CONF="${SS_CONF:-$WORKDIR/strongswan.conf}" \
		SWANCTL_DIR="$WORKDIR/swanctl" swanctl "$@" \
		--uri "unix://$WORKDIR/charon.vici"
}

# ss_write_strongswan_conf: charon with the plugins the tests need and
# no more (OpenSSL does the IKE crypto), its vici socket and log in
# $WORKDIR. swanctl loads no plugin, but to read credentials (with
# SS_CONF=$WORKDIR/swanctl-creds.conf): each costs time under TCG.
ss_write_strongswan_conf()
{
	cat > "$WORKDIR/swanctl-creds.conf" <<-EOF
	swanctl {
		load = random nonce pem pkcs1 pkcs8 x509 pubkey openssl
	}
	EOF
	cat > "$WORKDIR/strongswan.conf" <<-EOF
	charon {
		load = random nonce kdf openssl pem pkcs1 pkcs8 x509 pubkey constraints kernel-netlink socket-default vici
		install_routes = no
		install_virtual_ip = no
		plugins {
			vici {
				socket = unix://$WORKDIR/charon.vici
			}
		}
		filelog {
			stderr {
				time_format = %T
				default = 1
				ike = 2
				knl = 1
			}
		}
	}
	swanctl {
		load =
	}
	EOF
}

# ss_section PREFIX ARG...: the ARGs PREFIX.KEY=VALUE as swanctl.conf
# lines KEY = VALUE. Later lines win over earlier ones of the same key.
ss_section()
{
	local prefix=$1 kv

	shift
	for kv in "$@"; do
		[[ $kv == "$prefix".* ]] || continue
		kv=${kv#"$prefix".}
		echo "${kv%%=*} = ${kv#*=}"
	done
}

# ss_write_swanctl_conf ARG...: connection "v", child "c", PSK by default.
# ARGs ike.KEY=VALUE, local.KEY=VALUE, remote.KEY=VALUE and
# child.KEY=VALUE set keys of the connection, its local and remote
# authentication and its child; other ARGs are for vespd, ignored.
ss_write_swanctl_conf()
{
	cat > "$WORKDIR/swanctl/swanctl.conf" <<-EOF
	connections {
		v {
			version = 2
			local_addrs = 192.168.50.2
			remote_addrs = 192.168.50.1
			proposals = aes256gcm16-prfsha256-x25519
	$(ss_section ike "$@")
			local {
				auth = psk
				id = s.example
	$(ss_section local "$@")
			}
			remote {
				auth = psk
				id = a.example
	$(ss_section remote "$@")
			}
			children {
				c {
					local_ts = 0.0.0.0/0, ::/0
					remote_ts = 0.0.0.0/0, ::/0
					esp_proposals = aes256gcm16-esn
					if_id_in = $IF_ID
					if_id_out = $IF_ID
					start_action = none
	$(ss_section child "$@")
				}
			}
		}
	}
	secrets {
		ike-psk {
			id-1 = a.example
			id-2 = s.example
			secret = "$PSK"
		}
	}
	EOF
}

# ss_start: starts charon in $S and loads its configuration; it initiates
# nothing by itself.
ss_start()
{
	rm -f "$WORKDIR/charon.vici"
	ip netns exec "$S" env STRONGSWAN_CONF="$WORKDIR/strongswan.conf" \
		"$CHARON" &>> "$WORKDIR/charon.log" &
	SS_PID=$!
	if ! slowwait "$WAIT_TIMEOUT" test -S "$WORKDIR/charon.vici"; then
		fail "no vici socket from charon ${WAIT_TIMEOUT}s after its start"
		return 1
	fi
	SS_CONF=$WORKDIR/swanctl-creds.conf run_cmd ss_cmd --load-all
	check_err $? "swanctl --load-all: $CMD_OUT"
}

# ss_stop [SIGNAL]: stops charon and waits until it is gone, so that the
# next one can take its pid file.
ss_stop()
{
	[ -n "$SS_PID" ] || return 0
	kill -"${1:-TERM}" "$SS_PID" 2> /dev/null
	wait "$SS_PID" 2> /dev/null
	SS_PID=
}

# ss_initiate: charon initiates child "c"; returns once it is up.
ss_initiate()
{
	run_cmd ss_cmd --initiate --child c --timeout "$WAIT_TIMEOUT"
	check_err $? "swanctl --initiate: $CMD_OUT"
}

# ss_ike_sas: charon's IKE SAs, one line each: STATE SPI_I SPI_R.
ss_ike_sas()
{
	ss_cmd --list-sas 2> /dev/null | awk '
		/^[^ ].*: #[0-9]+, / {
			sub(/,$/, "", $3); sub(/_i\*?$/, "", $5); sub(/_r\*?$/, "", $6)
			print $3, $5, $6
		}'
}

# ss_children: charon's installed Child SAs, one line each:
# ALG SPI_IN SPI_OUT PACKETS_IN PACKETS_OUT (SPIs as 8 hex digits).
ss_children()
{
	ss_cmd --list-sas 2> /dev/null | awk '
		function packets(i) {
			for (i = 2; i <= NF; i++)
				if ($i ~ /^packets/)
					return $(i - 1)
			return "?"
		}
		/^  [^ ].*: #[0-9]+, reqid / {
			installed = $5 == "INSTALLED,"; alg = $7
		}
		installed && $1 == "in" { spi_in = $2; pk_in = packets() }
		installed && $1 == "out" {
			print alg, spi_in, $2, pk_in, packets()
			installed = 0
		}'
}

##############################################################################
# Topology

# setup_interop INITIATE ARG...: namespaces A (vespd) and S (charon) joined
# by a veth, vesp0 and xfrm0 with their routes, charon started and
# configured, then vespd, initiating if INITIATE is yes. ARGs KEY=VALUE
# go to vespd's configuration, prefixed ones to charon's (see
# ss_write_swanctl_conf). With $CERT_DIR set (see make_certs), charon
# loads s.example's key and certificate and the CA from there.
setup_interop()
{
	local initiate=$1 vespd_args=() arg

	shift
	for arg in "$@"; do
		[[ $arg =~ ^(ike|local|remote|child)\. ]] || vespd_args+=("$arg")
	done

	setup_ns A S || return
	vespd_workdir || return
	mkdir -p "$WORKDIR"/swanctl/{x509,x509ca,private}
	if [ -n "${CERT_DIR:-}" ]; then
		cp "$CERT_DIR/s.pem" "$WORKDIR/swanctl/x509/"
		cp "$CERT_DIR/s.key" "$WORKDIR/swanctl/private/"
		cp "$CERT_DIR/ca.pem" "$WORKDIR/swanctl/x509ca/"
	fi
	SS_PID=
	# the namespaces' deletion kills the daemons; show their logs on failure
	defer dump_logs "$WORKDIR/a.log" "$WORKDIR/charon.log"
	defer ss_stop

	ip -n "$A" link add eth0 type veth peer name eth0 netns "$S" || return
	ip -n "$A" -batch - <<-EOF || { fail "cannot set up $A"; return 1; }
		addr add 192.168.50.1/24 dev eth0
		link set eth0 up
		link add vesp0 type vesp
		addr add 10.0.1.1/32 dev vesp0
		link set vesp0 up
		route add 10.0.2.0/24 dev vesp0 src 10.0.1.1
	EOF
	ip -n "$S" -batch - <<-EOF || { fail "cannot set up $S"; return 1; }
		addr add 192.168.50.2/24 dev eth0
		link set eth0 up
		link add xfrm0 type xfrm dev eth0 if_id $IF_ID
		addr add 10.0.2.1/32 dev xfrm0
		link set xfrm0 up
		route add 10.0.1.0/24 dev xfrm0 src 10.0.2.1
	EOF

	if [ -n "${TWO_PATHS:-}" ]; then
		# path 2 of the mobike tests: a second veth, 192.168.60.0/24
		ip -n "$A" link add eth1 type veth peer name eth1 netns "$S" || return
		ip -n "$A" addr add 192.168.60.1/24 dev eth1
		ip -n "$S" addr add 192.168.60.2/24 dev eth1
		ip -n "$A" link set eth1 up
		ip -n "$S" link set eth1 up
	fi

	ss_write_strongswan_conf
	ss_write_swanctl_conf "$@"
	ss_start || return
	write_conf "$WORKDIR/a.conf" 192.168.50.1 192.168.50.2 a.example s.example \
		"$initiate" "${vespd_args[@]}"
	if [ -n "${TWO_PATHS:-}" ]; then
		sed -i '/^local = \|^remote = /d' "$WORKDIR/a.conf"
		{
			echo "path = local 192.168.50.1 remote 192.168.50.2"
			echo "path = local 192.168.60.1 remote 192.168.60.2 priority 10"
		} >> "$WORKDIR/a.conf"
	fi
	vespd_ns "$A" a
	VESPD_PID=$!
}

# TCG makes every process cost a tenth of a second or more, and more
# when the host is busy: what is polled reads each side once and matches
# in the shell.

# vesp_sas: vesp0's SAs in $A, one line each: DIR SPI ACTIVE ALG ESN
# PACKETS, the SPI as 8 hex digits like swanctl's.
vesp_sas()
{
	local dir spi rest

	ip netns exec "$A" "$VESP_CLI" -j sa list vesp0 2> /dev/null |
		jq -r '.[] | "\(.dir) \(.spi) \(.active) \(.alg) \(.esn) \(.packets)"' |
		while read -r dir spi rest; do
			printf '%s %08x %s\n' "$dir" "$spi" "$rest"
		done
}

# keyed: vespd's active outbound SA is the inbound one of one of charon's
# Child SAs, whose outbound SA is among vespd's inbound SAs. Sets
# VESP_OUT and VESP_IN to vespd's two (DIR SPI ACTIVE ALG ESN PACKETS),
# SS_CHILD to charon's and SS_CHILDREN to all of charon's (see
# ss_children).
keyed()
{
	local sas children line child=() out=() in=()

	sas=$(vesp_sas)
	children=$(ss_children)
	SS_CHILDREN=$children
	while read -r line; do
		[[ $line == "out "*" true "* ]] && read -r -a out <<< "$line"
	done <<< "$sas"
	[ ${#out[@]} -gt 0 ] || return 1
	while read -r -a child; do
		[ "${child[1]:-}" = "${out[1]}" ] || continue
		while read -r line; do
			[[ $line == "in ${child[2]} "* ]] || continue
			read -r -a in <<< "$line"
			VESP_OUT=${out[*]} VESP_IN=${in[*]} SS_CHILD=${child[*]}
			return 0
		done <<< "$sas"
	done <<< "$children"
	return 1
}

# keyed_or_gone: keyed, or vespd exited and waiting is pointless.
keyed_or_gone()
{
	keyed || ! kill -0 "$VESPD_PID" 2> /dev/null
}

wait_keyed()
{
	slowwait "$WAIT_TIMEOUT" keyed_or_gone && keyed && return
	if ! kill -0 "$VESPD_PID" 2> /dev/null; then
		fail "vespd exited: $(tail -n 3 "$WORKDIR/a.log")"
		return 1
	fi
	fail "no matching SAs at both ends ${WAIT_TIMEOUT}s after the start: $(sa_state)"
}

# sa_state: what both ends hold, for failure messages.
sa_state()
{
	echo "vesp0 in $A:"
	ip netns exec "$A" "$VESP_CLI" show vesp0 2>&1
	echo "charon in $S:"
	ss_cmd --list-sas 2>&1
	echo "XFRM errors in $S:"
	ip netns exec "$S" grep -v ' 0$' /proc/net/xfrm_stat
}

# ping_both COUNT: COUNT pings each way, one after the other.
ping_both()
{
	run_cmd ip netns exec "$A" ping -c "$1" -i 0.2 -W 2 10.0.2.1
	check_err $? "ping $A -> $S through vesp0 and xfrm0: $CMD_OUT"
	run_cmd ip netns exec "$S" ping -c "$1" -i 0.2 -W 2 10.0.1.1
	check_err $? "ping $S -> $A through xfrm0 and vesp0: $CMD_OUT"
}

# check_tunnel VESP_ALG ESN SS_ALG: the SAs of both ends agree on SPIs and
# algorithm, and 3 pings each way cross them: 6 packets each direction,
# counted by vesp and by XFRM alike.
check_tunnel()
{
	local vesp_alg=$1 esn=$2 ss_alg=$3
	local out=() in=() child=()

	keyed || { fail "SAs of both ends do not match"; return; }
	read -r -a out <<< "$VESP_OUT"
	read -r -a in <<< "$VESP_IN"
	read -r -a child <<< "$SS_CHILD"
	check_eq "${child[0]}" "$ss_alg" "charon's Child SA"
	check_eq "${out[3]} esn ${out[4]}" "$vesp_alg esn $esn" "vesp0's outbound SA"
	check_eq "${in[3]} esn ${in[4]}" "$vesp_alg esn $esn" "vesp0's inbound SA"

	ping_both 3 || return
	keyed || { fail "SAs of both ends changed during the pings"; return; }
	read -r -a out <<< "$VESP_OUT"
	read -r -a in <<< "$VESP_IN"
	read -r -a child <<< "$SS_CHILD"
	check_eq "${out[5]} ${child[3]}" "6 6" "packets out of vesp0 and into XFRM"
	check_eq "${in[5]} ${child[4]}" "6 6" "packets into vesp0 and out of XFRM"
}

##############################################################################
# Tests

# interop_psk INITIATE IKE ESP VESP_ALG ESN SS_ALG: the tunnel comes up
# with these proposals at both ends, vespd initiating or charon, and
# carries pings.
interop_psk()
{
	local initiate=$1 ike=$2 esp=$3

	setup_interop "$initiate" "ike=$ike" "esp=$esp" \
		"ike.proposals=$ike" "child.esp_proposals=$esp" || return
	if [ "$initiate" = no ]; then
		# vespd must be listening first
		slowwait "$WAIT_TIMEOUT" grep -q started "$WORKDIR/a.log"
		ss_initiate || return
	fi
	wait_keyed || return
	check_tunnel "$4" "$5" "$6"
}

test_initiator_psk_aes256gcm16()
{
	interop_psk yes aes256gcm16-prfsha256-x25519 aes256gcm16-esn \
		aes-gcm true ESP:AES_GCM_16-256/ESN
}

test_responder_psk_aes256gcm16()
{
	interop_psk no aes256gcm16-prfsha256-x25519 aes256gcm16-esn \
		aes-gcm true ESP:AES_GCM_16-256/ESN
}

test_initiator_psk_chacha20poly1305()
{
	interop_psk yes chacha20poly1305-prfsha256-ecp256 chacha20poly1305-esn \
		chacha20-poly1305 true ESP:CHACHA20_POLY1305/ESN
}

test_responder_psk_chacha20poly1305()
{
	interop_psk no chacha20poly1305-prfsha256-ecp256 chacha20poly1305-esn \
		chacha20-poly1305 true ESP:CHACHA20_POLY1305/ESN
}

test_initiator_psk_aes128_sha256()
{
	interop_psk yes aes128-sha256-modp2048 aes128-sha256-noesn \
		aes-cbc-hmac-sha256 false ESP:AES_CBC-128/HMAC_SHA2_256_128
}

test_responder_psk_aes128_sha256()
{
	interop_psk no aes128-sha256-modp2048 aes128-sha256-noesn \
		aes-cbc-hmac-sha256 false ESP:AES_CBC-128/HMAC_SHA2_256_128
}

# settled: keyed, with one IKE SA and one Child SA at charon: what is
# left after rekeys once the old SAs are deleted. Sets SS_IKE to the IKE SA
# (see ss_ike_sas).
settled()
{
	keyed || return 1
	SS_IKE=$(ss_ike_sas)
	[ -n "$SS_IKE" ] && [[ $SS_IKE != *$'\n'* ]] && [[ $SS_CHILDREN != *$'\n'* ]]
}

# xfrm_out_invalid: packets XFRM in $S dropped because the outbound SA
# its cached route held had just been deleted.
xfrm_out_invalid()
{
	ip netns exec "$S" awk '$1 == "XfrmOutStateInvalid" { print $2 }' /proc/net/xfrm_stat
}

# lost FILE: how many pings the ping output in FILE lost; all of them
# when it has no statistics.
lost()
{
	awk '/packets transmitted/ { n = $1 - $4 }
		END { print n == "" ? 999999 : n }' "$1"
}

# rekey_flood ARG...: the tunnel up with these settings, vespd initiating;
# 20 s of pings, 100 a second each way, while the Child SAs and the IKE
# SA are rekeyed; afterwards both are new, and charon holds one of each
# again. vesp must lose no packet. The only loss allowed is XFRM's own:
# when charon deletes an outbound SA the kernel drops what was on its way
# through the route cached with it (XfrmOutStateInvalid).
rekey_flood()
{
	local ike_before out_before out_after pa ps xfrm_drops loss

	setup_interop yes "$@" || return
	wait_keyed || return
	ike_before=$(ss_ike_sas)
	read -r _ out_before _ <<< "$VESP_OUT"
	xfrm_drops=$(xfrm_out_invalid)

	ip netns exec "$A" ping -q -c 2000 -i 0.01 10.0.2.1 > "$WORKDIR/ping_a" 2>&1 &
	pa=$!
	ip netns exec "$S" ping -q -c 2000 -i 0.01 10.0.1.1 > "$WORKDIR/ping_s" 2>&1 &
	ps=$!
	wait "$pa"
	wait "$ps"

	xfrm_drops=$(($(xfrm_out_invalid) - xfrm_drops))
	loss=$(($(lost "$WORKDIR/ping_a") + $(lost "$WORKDIR/ping_s")))
	if [ "$loss" -gt "$xfrm_drops" ]; then
		fail "$loss pings lost during rekeys, XFRM dropped $xfrm_drops: $(cat "$WORKDIR/ping_a" "$WORKDIR/ping_s")
$(sa_state)"
	fi
	if ! slowwait 20 settled; then
		fail "not one IKE SA and one matching Child SA after the rekeys: $(sa_state)"
		return
	fi
	read -r _ out_after _ <<< "$VESP_OUT"
	[ "$out_after" != "$out_before" ] ||
		fail "Child SA not rekeyed: vespd's outbound SPI still $out_before"
	[ "$SS_IKE" != "$ike_before" ] ||
		fail "IKE SA not rekeyed: still $ike_before"
	grep -q "IKE SA lost" "$WORKDIR/a.log" &&
		fail "vespd lost its IKE SA during the rekeys"
}

# vespd rekeys its Child SAs every 5 s, with PFS (X25519), charon its IKE
# SA every 10 s (without jitter; the hard limits leave TCG time to complete
# the rekeys). The first Child SA, made in IKE_AUTH, goes without the PFS
# group; a rekey must do the exchange.
test_rekey_flood()
{
	rekey_flood child-lifetime=5s esp=aes256gcm16-x25519-esn \
		child.esp_proposals=aes256gcm16-x25519-esn \
		ike.rekey_time=10s ike.over_time=10s ike.rand_time=0s || return
	grep -q 'selected proposal: ESP:[^ ]*CURVE_25519' "$WORKDIR/charon.log" ||
		fail "no Child SA rekey with the X25519 exchange at charon"
}

# charon rekeys its Child SAs every 5 s, vespd its IKE SA every 10 s.
test_rekey_flood_peer()
{
	rekey_flood ike-lifetime=10s \
		child.rekey_time=5s child.life_time=15s child.rand_time=0s
}

# make_certs DIR: an ECDSA P-256 CA in DIR, and a key and certificate it
# signed for a.example and s.example, the names in subjectAltName.
make_certs()
{
	local dir=$1 n serial=0

	run_cmd openssl req -x509 -new -newkey ec -pkeyopt ec_paramgen_curve:P-256 \
		-nodes -keyout "$dir/ca.key" -out "$dir/ca.pem" -days 2 \
		-subj "/CN=vesp selftest CA" \
		-addext "basicConstraints=critical,CA:TRUE" \
		-addext "keyUsage=critical,keyCertSign,cRLSign"
	check_err $? "openssl: CA: $CMD_OUT" || return
	for n in a s; do
		run_cmd openssl req -new -newkey ec -pkeyopt ec_paramgen_curve:P-256 \
			-nodes -keyout "$dir/$n.key" -out "$dir/$n.csr" \
			-subj "/CN=$n.example"
		check_err $? "openssl: $n.example's request: $CMD_OUT" || return
		printf 'subjectAltName = DNS:%s.example\n' "$n" > "$dir/$n.ext"
		run_cmd openssl x509 -req -in "$dir/$n.csr" -CA "$dir/ca.pem" \
			-CAkey "$dir/ca.key" -set_serial "$((++serial))" -days 2 \
			-extfile "$dir/$n.ext" -out "$dir/$n.pem"
		check_err $? "openssl: $n.example's certificate: $CMD_OUT" || return
	done
}

# interop_ecdsa INITIATE: both ends authenticate with certificates of one
# CA instead of the pre-shared key.
interop_ecdsa()
{
	local initiate=$1 CERT_DIR

	CERT_DIR=$(mktemp -d /tmp/vesp_certs.XXXXXX) || return
	defer rm -rf "$CERT_DIR"
	make_certs "$CERT_DIR" || return
	setup_interop "$initiate" psk-file= auth=pubkey \
		"cert=$CERT_DIR/a.pem" "key=$CERT_DIR/a.key" "ca=$CERT_DIR/ca.pem" \
		local.auth=pubkey local.certs=s.pem \
		remote.auth=pubkey remote.cacerts=ca.pem || return
	if [ "$initiate" = no ]; then
		slowwait "$WAIT_TIMEOUT" grep -q started "$WORKDIR/a.log"
		ss_initiate || return
	fi
	wait_keyed || return
	run_cmd ss_cmd --list-sas
	check_match "$CMD_OUT" "remote +'a\.example' @" "charon's IKE SA" || return
	check_tunnel aes-gcm true ESP:AES_GCM_16-256/ESN
}

test_ecdsa_initiator()
{
	interop_ecdsa yes
}

test_ecdsa_responder()
{
	interop_ecdsa no
}

# charon dies with SIGKILL, its XFRM states and policies are flushed and
# it starts again with nothing, initiating nothing: vespd must notice by
# itself (liveness checks) and set the tunnel up again.
test_strongswan_restart()
{
	local out_before ike_before

	setup_interop yes liveness=2s || return
	wait_keyed || return
	ping_both 2 || return
	read -r _ out_before _ <<< "$VESP_OUT"
	ike_before=$(ss_ike_sas)

	ss_stop KILL
	ip -n "$S" xfrm state flush
	ip -n "$S" xfrm policy flush
	ss_start || return

	if ! slowwait "$RESTART_TIMEOUT" rekeyed_since "$out_before"; then
		fail "tunnel not back ${RESTART_TIMEOUT}s after charon's restart"
		return
	fi
	[ "$SS_IKE" != "$ike_before" ] ||
		fail "charon's IKE SA unchanged by its restart"
	ping_both 2
}

# rekeyed_since SPI: settled, with another outbound SA than SPI.
rekeyed_since()
{
	local out

	settled || return 1
	read -r _ out _ <<< "$VESP_OUT"
	[ "$out" != "$1" ]
}

# vesp_active_remote: the remote address of the path vesp0's ESP takes.
vesp_active_remote()
{
	ip netns exec "$A" "$VESP_CLI" -j show vesp0 2> /dev/null |
		jq -r '.[0].peers[0].paths[] | select(.active) | .remote'
}

# ss_on_path2: charon's IKE SA is between the addresses of path 2.
ss_on_path2()
{
	local sas

	sas=$(ss_cmd --list-sas 2> /dev/null)
	grep -q "local .*@ 192\.168\.60\.2\[" <<< "$sas" &&
		grep -q "remote .*@ 192\.168\.60\.1\[" <<< "$sas"
}

# both_on_path2: vesp0's ESP and charon's IKE SA on path 2.
both_on_path2()
{
	[ "$(vesp_active_remote)" = 192.168.60.2 ] && ss_on_path2
}

# mobike_interop INITIATE CUT: the tunnel up over path 1 (with charon's
# MOBIKE, on by default), both ends knowing both paths; a ping from $A
# running (10 a second for 20 s) when CUT runs: MOBIKE must move IKE and
# ESP of both ends to path 2 with the SPIs they had, and pings go on.
mobike_interop()
{
	local initiate=$1 cut=$2 vesp_out ss_child received ping

	TWO_PATHS=1 setup_interop "$initiate" liveness=2s \
		"ike.local_addrs=192.168.50.2, 192.168.60.2" \
		"ike.remote_addrs=192.168.50.1, 192.168.60.1" || return
	if [ "$initiate" = no ]; then
		slowwait "$WAIT_TIMEOUT" grep -q started "$WORKDIR/a.log"
		ss_initiate || return
	fi
	wait_keyed || return
	check_eq "$(vesp_active_remote)" 192.168.50.2 "vesp0's ESP on path 1 at first"
	vesp_out=$VESP_OUT
	ss_child=$SS_CHILD
	ip netns exec "$A" ping -q -c 200 -i 0.1 -W 1 10.0.2.1 > "$WORKDIR/ping" 2>&1 &
	ping=$!
	sleep 3
	$cut
	slowwait 60 both_on_path2 ||
		fail "not on path 2 60 s after the cut: vesp0 $(vesp_active_remote); $(sa_state)"
	wait "$ping"
	keyed || { fail "SAs of both ends do not match after the move: $(sa_state)"; return; }
	check_eq "$(cut -d' ' -f1-2 <<< "$VESP_OUT")" "$(cut -d' ' -f1-2 <<< "$vesp_out")" \
		"vesp0's outbound SA after the move"
	check_eq "$(cut -d' ' -f1-3 <<< "$SS_CHILD")" "$(cut -d' ' -f1-3 <<< "$ss_child")" \
		"charon's Child SA after the move"
	check_eq "$(grep -c "up: IKE SA" "$WORKDIR/a.log")" 1 "IKE SAs set up by vespd"
	grep -q "IKE SA lost\|establishing the tunnel anew" "$WORKDIR/a.log" &&
		fail "the tunnel was set up again instead of moved"
	received=$(grep -o '[0-9]* received' "$WORKDIR/ping" | cut -d' ' -f1)
	ktap_print_msg "${received:-0} of 200 pings (10 a second) answered across the move"
	[ "${received:-0}" -ge 100 ] || fail "ping during the move: $(tail -n 2 "$WORKDIR/ping")"
	ping_both 3
}

cut_vespd_addr()
{
	ip -n "$A" addr del 192.168.50.1/24 dev eth0
}

cut_charon_addr()
{
	ip -n "$S" addr del 192.168.50.2/24 dev eth0
}

# vespd initiates; rtnetlink tells it its address is gone: it sends
# UPDATE_SA_ADDRESSES from path 2, and charon moves its SAs and policies
test_mobike_initiator()
{
	mobike_interop yes cut_vespd_addr
	grep -q "path 1 to path 2" "$WORKDIR/a.log" || fail "vespd did not change path"
}

# charon initiates; its address is gone: it probes vespd's other address
# (from vespd's ADDITIONAL_IP4_ADDRESS) and sends UPDATE_SA_ADDRESSES;
# vespd, the responder, moves its IKE SA and the module's path
test_mobike_responder()
{
	mobike_interop no cut_charon_addr
	grep -q "moved to path 2 by the peer" "$WORKDIR/a.log" ||
		fail "vespd's IKE SA not moved by charon's update"
}

vesp_run_tests "$@"
