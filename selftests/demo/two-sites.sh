#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# Runs inside the VM, module loaded: two sites, each a network namespace
# with a vesp device, joined by two underlay links. A vespd at each site
# keys the tunnel with IKEv2 and a pre-shared key; then underlay 1 fails
# and traffic moves to underlay 2.
#
#   site-a                                           site-b
#   vespd (initiator)                                vespd (responder)
#   vesp0 10.1.0.1, fd01::1  ...... ESP ......  vesp0 10.2.0.1, fd02::1
#   veth-a1 192.0.2.1      --- underlay 1 ---   veth-b1 192.0.2.2     path 1, IKE
#   veth-a2 2001:db8:2::1  --- underlay 2 ---   veth-b2 2001:db8:2::2 path 2, backup
#
# Every step prints the commands it runs and their real output; checks
# print "ok:" or "FAILED:". The last line says whether the demo passed,
# and the exit status is 1 if any check failed.

# shellcheck disable=SC2317 # cleanup and checks are called indirectly
set -u
exec 3>&1

top=$(cd "$(dirname "$0")/../.." && pwd)
vesp=$top/userspace/build/vesp
vespd=$top/userspace/build/vespd

work=$(mktemp -d /tmp/vesp-demo.XXXXXX)
nstep=0
failures=0
vespd_pids=()
declare -A log_lines
bg_pids=()

step()
{
	nstep=$((nstep + 1))
	printf '\n== %d. %s\n' "$nstep" "$*"
}

# An explanation line.
say()
{
	printf '   %s\n' "$*"
}

# The command line as an operator would type it: "at a CMD" is
# "ip netns exec site-a CMD", the programs of the tree go by their names.
cmdline()
{
	local line

	if [ "$1" = at ]; then
		line="ip netns exec site-$2 ${*:3}"
	else
		line="$*"
	fi
	line=${line//$vespd/vespd}
	printf '%s' "${line//$vesp/vesp}"
}

# Show a command, then run it with its output. The command line goes to
# fd 3, the demo's stdout, so that redirecting the output keeps it.
show()
{
	printf '$ %s\n' "$(cmdline "$@")" >&3
	"$@"
}

# show_grep PATTERN CMD...: show and run CMD, only its lines matching PATTERN.
show_grep()
{
	local pattern=$1

	shift
	printf "\$ %s | grep -E '%s'\n" "$(cmdline "$@")" "$pattern"
	"$@" | grep -E "$pattern"
}

ok()
{
	printf '   ok: %s\n' "$*"
}

bad()
{
	printf '   FAILED: %s\n' "$*"
	failures=$((failures + 1))
}

# expect WHAT CMD...: show and run CMD, a check that it succeeds.
expect()
{
	local what=$1

	shift
	check "$what" show "$@"
}

# check WHAT CMD...: run CMD (which shows what it does), a check that it
# succeeds.
check()
{
	local what=$1

	shift
	if "$@"; then
		ok "$what"
	else
		bad "$what"
	fi
}

finish()
{
	printf '\n'
	if [ "$failures" -eq 0 ]; then
		printf 'vesp demo: PASSED, all checks ok in %d steps (%d s)\n' \
			"$nstep" "$SECONDS"
		exit 0
	fi
	local checks=checks

	[ "$failures" -eq 1 ] && checks=check
	printf 'vesp demo: FAILED, %d %s failed (%d s)\n' "$failures" "$checks" "$SECONDS"
	exit 1
}

# A step everything after depends on failed: say so and stop.
fatal()
{
	bad "$*"
	say "the remaining steps depend on this one: stopping here"
	for site in a b; do
		[ -s "$work/site-$site.log" ] || continue
		say "vespd log of site-$site:"
		sed 's/^/     /' "$work/site-$site.log"
	done
	finish
}

cleanup()
{
	local pid

	for pid in "${bg_pids[@]}" "${vespd_pids[@]}"; do
		kill "$pid" 2>/dev/null
	done
	wait 2>/dev/null
	ip netns del site-a 2>/dev/null
	ip netns del site-b 2>/dev/null
	rm -rf "$work"
}
trap cleanup EXIT

# at SITE CMD...: run CMD in site-SITE's namespace.
at()
{
	local site=$1

	shift
	ip netns exec "site-$site" "$@"
}

# wait_for SECONDS CMD...: until CMD succeeds, polling every 0.2 s.
wait_for()
{
	local end=$((SECONDS + $1))

	shift
	until "$@"; do
		[ "$SECONDS" -lt "$end" ] || return 1
		sleep 0.2
	done
}

# ike_json SITE: site-SITE's vespd's tunnels, IKE SAs and Child SAs as
# JSON, from `vesp -j ike show` over its control socket.
ike_json()
{
	"$vesp" -j ike -s "$work/site-$1.sock" show
}

# tunnel_up SITE: site-SITE's vespd has its tunnel to the other site up,
# with a Child SA installed under its current IKE SA.
tunnel_up()
{
	local json

	json=$(ike_json "$1" 2>/dev/null) &&
		jq -e 'any(.[];
			(.name | test("^to-[ab]$")) and .state == "up" and
			any(.ike_sas[]; .current and
				any(.children[]; .state == "installed")))' \
			<<< "$json" > /dev/null
}

active_out_sa()
{
	at "$1" "$vesp" show vesp0 sas | awk '$2 == "out" && $5 == "active" { print $3 }'
}

# keyed: both vespds report the tunnel up and each end's active outbound
# SA is the other end's inbound one.
keyed()
{
	local oa ob

	tunnel_up a && tunnel_up b || return 1
	oa=$(active_out_sa a)
	ob=$(active_out_sa b)
	[ -n "$oa" ] && [ -n "$ob" ] &&
		at b "$vesp" show vesp0 sas | awk '$2 == "in" { print $3 }' | grep -qx "$oa" &&
		at a "$vesp" show vesp0 sas | awk '$2 == "in" { print $3 }' | grep -qx "$ob"
}

# counter SITE NAME: a drop counter of vesp0 at SITE.
counter()
{
	at "$1" "$vesp" show vesp0 stats | awk -v n="$2" '$1 == n { print $2 }'
}

# capture_esp SITE DEV COUNT: capture COUNT ESP packets on DEV while pinging
# through the tunnel; show them.
capture_esp()
{
	local site=$1 dev=$2 count=$3 pid n=0

	printf '$ tcpdump -c %d -nni %s esp   # at site-%s, while site-a pings\n' \
		"$count" "$dev" "$site"
	at "$site" timeout 60 tcpdump -l -c "$count" -nni "$dev" esp \
		> "$work/tcpdump" 2>/dev/null &
	pid=$!
	while kill -0 "$pid" 2>/dev/null && [ "$n" -lt 100 ]; do
		at a ping -c 1 -W 1 10.2.0.1 > /dev/null
		n=$((n + 1))
	done
	wait "$pid"
	cat "$work/tcpdump"
	[ "$(grep -c 'ESP(spi=' "$work/tcpdump")" -eq "$count" ]
}

# active_path ID WHAT: show site-a's paths, a check that path ID is the
# one outbound ESP takes.
active_path()
{
	show_grep '^  path' at a "$vesp" show vesp0
	if at a "$vesp" show vesp0 | grep -q "^  path $1: .*(active)"; then
		ok "$2"
	else
		bad "$2: path $1 is not the active one"
	fi
}

# iperf TARGET: a short iperf3 run from site-a to TARGET at site-b.
iperf()
{
	at b iperf3 -s -1 -D > /dev/null
	wait_for 30 eval "at b ss -Hltn 'sport = :5201' | grep -q LISTEN" || return 1
	printf '$ iperf3 -c %s -t 3   # site-a to site-b\n' "$1"
	at a iperf3 -c "$1" -t 3 -f m > "$work/iperf" 2>&1
	grep -E 'sender|receiver|error' "$work/iperf"
	grep -q receiver "$work/iperf"
}

modprobe veth

step "two sites, two underlay links between them"
say "Each site is a network namespace. Underlay 1 runs IPv4, underlay 2 IPv6."
show ip netns add site-a
show ip netns add site-b
show ip -n site-a link add veth-a1 type veth peer name veth-b1 netns site-b
show ip -n site-a link add veth-a2 type veth peer name veth-b2 netns site-b
show ip -n site-a addr add 192.0.2.1/24 dev veth-a1
show ip -n site-b addr add 192.0.2.2/24 dev veth-b1
show ip -n site-a addr add 2001:db8:2::1/64 dev veth-a2 nodad
show ip -n site-b addr add 2001:db8:2::2/64 dev veth-b2 nodad
for dev in a1 a2 b1 b2; do
	ip -n "site-${dev:0:1}" link set "veth-$dev" up
	ip -n "site-${dev:0:1}" link set lo up
done
say "(links up)"

step "a vesp tunnel device at each site, routed like any other link"
for site in a b; do
	here=1; there=2
	[ $site = b ] && { here=2; there=1; }
	show ip -n site-$site link add vesp0 type vesp ||
		fatal "cannot create a vesp device: is the module loaded?"
	show ip -n site-$site addr add 10.$here.0.1/24 dev vesp0
	show ip -n site-$site addr add fd0$here::1/64 dev vesp0 nodad
	show ip -n site-$site link set vesp0 up
	show ip -n site-$site route add 10.$there.0.0/24 dev vesp0
	show ip -n site-$site route add fd0$there::/64 dev vesp0
done
say "No SA yet: nothing leaves in clear, the drop is counted (tx_no_peer)."
show at a ping -c 1 -W 1 10.2.0.1 > /dev/null
if [ "$(counter a tx_no_peer)" -ge 1 ]; then
	ok "unkeyed packet dropped and counted"
else
	bad "no tx_no_peer drop counted"
fi

step "vespd at each site, with a pre-shared key"
say "Both sites share one random key (in $work/psk, mode 600, not shown)."
say "site-a initiates, site-b answers; IKE runs over underlay 1."
od -An -tx1 -N32 /dev/urandom | tr -d ' \n' > "$work/psk"
chmod 600 "$work/psk"
for site in a b; do
	other=b; here=1; there=2; initiate=yes
	[ $site = b ] && { other=a; here=2; there=1; initiate=no; }
	cat > "$work/site-$site.conf" <<-EOF
		# vespd.conf of site-$site (see vespd.conf(5))
		[tunnel to-$other]
		device = vesp0
		peer-id = 1
		local = 192.0.2.$here
		remote = 192.0.2.$there
		local-id = site-$site.example
		remote-id = site-$other.example
		psk-file = $work/psk
		ike = aes256gcm16-prfsha256-x25519
		esp = aes256gcm16-esn
		initiate = $initiate
		# IKE stays on underlay 1 while it is down below: check the
		# peer is alive after 5 minutes of silence, not 30 s
		liveness = 5m
	EOF
done
show cat "$work/site-a.conf"
say "site-b's is the mirror image, with initiate = no."
for site in b a; do
	expect "site-$site's configuration is valid" \
		"$vespd" -n -f "$work/site-$site.conf"
done
for site in b a; do
	printf '$ ip netns exec site-%s vespd -F -f %s -s %s &\n' \
		"$site" "$work/site-$site.conf" "$work/site-$site.sock"
	at $site "$vespd" -F -f "$work/site-$site.conf" -s "$work/site-$site.sock" \
		2> "$work/site-$site.log" &
	vespd_pids+=($!)
done

step "the tunnel comes up by itself"
say "In a VM just booted, the first SA makes the kernel load its AES-GCM"
say "modules and seed its random number generator, which can take a minute"
say "under software emulation; should site-a give up meanwhile (after 63 s"
say "without an answer), vespd starts over by itself."
start=$SECONDS
wait_for 180 keyed || fatal "the tunnel did not come up within 180 s"
ok "both ends keyed $((SECONDS - start)) s after vespd started"
# from here on, the IKE SA must never be lost
for site in a b; do
	log_lines[$site]=$(wc -l < "$work/site-$site.log")
done
say "vespd's log at site-a:"
sed 's/^/     /' "$work/site-a.log"
say "vespd's view (vesp ike asks it over its control socket; it shows the"
say "IKE SA's SPIs and the Child SA's ESP SPIs, inbound and outbound):"
for site in a b; do
	show "$vesp" ike -s "$work/site-$site.sock" show
done
say "The kernel's view: peer 1 with path 1 (added by vespd) and the SAs."
show at a "$vesp" show vesp0
oa=$(active_out_sa a)
if at b "$vesp" show vesp0 sas | awk '$2 == "in" { print $3 }' | grep -qx "$oa"; then
	ok "site-a's outbound SA $oa is site-b's inbound SA"
else
	bad "site-a's outbound SA $oa is not an inbound SA at site-b"
fi

step "a backup path over underlay 2"
say "vespd knows one path; the operator gives peer 1 a second one with a"
say "higher priority value, i.e. less preferred. Path 1 stays active."
show at a "$vesp" path add vesp0 1 2 remote 2001:db8:2::2 local 2001:db8:2::1 priority 10
show at b "$vesp" path add vesp0 1 2 remote 2001:db8:2::1 local 2001:db8:2::2 priority 10
active_path 1 "path 1 active, path 2 standing by"

step "traffic through the tunnel, IPv4 and IPv6"
expect "IPv4 through the tunnel" at a ping -c 3 -i 0.2 -W 2 10.2.0.1
expect "IPv6 through the tunnel" at a ping -c 3 -i 0.2 -W 2 fd02::1
check "iperf3 through the tunnel" iperf 10.2.0.1

step "on underlay 1 it is ESP"
check "ESP on underlay 1" capture_esp b veth-b1 4

step "underlay 1 fails"
say "A ping runs site-a to site-b all along (one every 0.2 s)."
# not through at(): $! must be ping itself, for the SIGINT that ends it
ip netns exec site-a ping -O -i 0.2 10.2.0.1 > "$work/ping-long" 2>&1 &
ping_pid=$!
bg_pids+=("$ping_pid")
wait_for 30 grep -q 'bytes from' "$work/ping-long" || bad "the long ping gets no answer"
no_path=$(counter a tx_no_path)
show ip -n site-a link set veth-a1 down
say "site-a's veth is down; site-b's side lost its carrier. The module does"
say "not check paths: it keeps sending on path 1, the preferred one, and"
say "site-a counts each packet it cannot route as tx_no_path."
sleep 2
show_grep 'tx_no_path' at a "$vesp" show vesp0 stats
show_grep '^  path' at a "$vesp" show vesp0
if [ "$(counter a tx_no_path)" -gt "$no_path" ]; then
	ok "path 1 is dead and still used: traffic is lost"
else
	bad "no tx_no_path drops at site-a after underlay 1 failed"
fi

step "switch to path 2, as a path monitor would"
say "vesp has no automatic failover yet, and vespd does not watch paths."
say "This step does what an operator or a monitoring daemon would do at"
say "each site: probe the underlay address of path 1, and when it does not"
say "answer, delete path 1. The kernel then sends on the next path, 2."
for site in a b; do
	peer_addr=192.0.2.2
	[ $site = b ] && peer_addr=192.0.2.1
	if show at $site ping -c 1 -W 1 "$peer_addr" > /dev/null 2>&1; then
		bad "site-$site: $peer_addr still answers on underlay 1"
	else
		say "site-$site: $peer_addr does not answer: path 1 is down"
		expect "site-$site switched to path 2" \
			at $site "$vesp" path del vesp0 1 1
	fi
done
active_path 2 "path 2 active at site-a"

step "traffic continues over underlay 2"
expect "IPv4 through the tunnel, over path 2" at a ping -c 3 -i 0.2 -W 2 10.2.0.1
expect "IPv6 through the tunnel, over path 2" at a ping -c 3 -i 0.2 -W 2 fd02::1
check "ESP on underlay 2, in IPv6" capture_esp b veth-b2 4
check "iperf3 through the tunnel, over path 2" iperf 10.2.0.1
kill -INT "$ping_pid"
wait "$ping_pid"
say "The ping that ran all along, from before the failure to now:"
grep -E 'transmitted' "$work/ping-long"
say "(the lost ones fell between the failure and the switch)"
tail_ok=$(tail -n 8 "$work/ping-long" | grep -c 'bytes from')
if [ "$tail_ok" -ge 1 ]; then
	ok "the long ping is answered again"
else
	bad "the long ping was not answered after the switch"
fi

step "the IKE SA survived"
say "The SAs did not change: the failover moved ESP, not the keys. vespd"
say "does not move IKE to another path yet: IKE still talks over underlay 1."
say "Its liveness check (after 30 s of silence by default, 5 min in this"
say "demo) gives up 63 s after the first unanswered try, taking the tunnel"
say "down: an outage of the IKE path longer than that is not survived yet."
for site in a b; do
	show "$vesp" ike -s "$work/site-$site.sock" show
	if json=$(ike_json $site) && jq -e 'any(.[];
			.state == "up" and .established == 1)' <<< "$json" > /dev/null; then
		ok "site-$site: still the first IKE SA"
	else
		bad "site-$site: the tunnel is not up on its first IKE SA"
	fi
done
if [ "$(active_out_sa a)" = "$oa" ]; then
	ok "site-a still sends on SA $oa"
else
	bad "site-a's outbound SA changed"
fi

step "underlay 1 repaired: traffic moves back"
show ip -n site-a link set veth-a1 up
wait_for 30 at a ping -c 1 -W 1 192.0.2.2 > /dev/null ||
	bad "underlay 1 does not come back"
show at a "$vesp" path add vesp0 1 1 remote 192.0.2.2 local 192.0.2.1
show at b "$vesp" path add vesp0 1 1 remote 192.0.2.1 local 192.0.2.2
active_path 1 "path 1 active again"
expect "IPv4 through the tunnel, over path 1 again" \
	at a ping -c 3 -i 0.2 -W 2 10.2.0.1
check "ESP on underlay 1 again" capture_esp b veth-b1 2

step "site-b's view, as JSON for scripts"
show at b "$vesp" -j show vesp0
echo
for site in a b; do
	tail -n +$((log_lines[$site] + 1)) "$work/site-$site.log" |
		grep -E 'IKE SA lost|error' &&
		bad "site-$site's vespd logged the lines above"
done

finish
