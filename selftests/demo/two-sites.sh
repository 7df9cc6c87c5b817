#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# Runs inside the VM, module loaded: two sites, each a network namespace
# with a vesp device, joined by two underlay links. A vespd at each site
# keys the tunnel with IKEv2 and a pre-shared key over two paths; then
# underlay 1 fails and the tunnel moves to underlay 2 by itself: the
# module's path liveness switches ESP, vespd moves IKE after it (MOBIKE).
#
#   site-a                                           site-b
#   vespd (initiator)                                vespd (responder)
#   vesp0 10.1.0.1, fd01::1  ...... ESP ......  vesp0 10.2.0.1, fd02::1
#   veth-a1 192.0.2.1      --- underlay 1 ---   veth-b1 192.0.2.2     path 1, preferred
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

# path_active SITE ID: path ID carries site-SITE's outbound ESP.
path_active()
{
	at "$1" "$vesp" -j show vesp0 |
		jq -e --argjson id "$2" 'any(.[0].peers[0].paths[]; .id == $id and .active)' \
		> /dev/null
}

# both_paths_up SITE: site-SITE's module finds both paths alive.
both_paths_up()
{
	[ "$(at "$1" "$vesp" -j show vesp0 |
		jq '[.[0].peers[0].paths[] | select(.state == "up")] | length')" = 2 ]
}

# ike_on_path SITE ID: site-SITE's vespd runs IKE over path ID.
ike_on_path()
{
	ike_json "$1" | jq -e --argjson id "$2" 'any(.[]; .path == $id)' > /dev/null
}

carrier()
{
	at "$1" cat /sys/class/net/vesp0/carrier
}

# outage_report WHAT: the ping's losses as time without traffic; a check
# that the tunnel healed at all (the figure itself is a benchmark's job:
# selftests/bench/failover.sh).
outage_report()
{
	local sent received

	sent=$(sed -n 's/^\([0-9]*\) packets transmitted.*/\1/p' "$work/ping-long")
	received=$(sed -n 's/.* \([0-9]*\) received.*/\1/p' "$work/ping-long")
	if [ -z "$sent" ] || [ -z "$received" ] || [ "$received" -eq 0 ]; then
		bad "$1: the ping got no answer"
		return
	fi
	say "$1: $((sent - received)) of $sent pings lost, one sent every 10 ms:"
	say "about $(((sent - received) * 10)) ms without traffic"
	if tail -n 20 "$work/ping-long" | grep -q 'bytes from'; then
		ok "the long ping is answered again after the failure"
	else
		bad "the long ping was not answered after the failure"
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
say "site-a initiates, site-b answers. The tunnel has two paths: underlay 1"
say "preferred, underlay 2 standing by. The module probes each every 100 ms"
say "and calls a path dead after 300 ms without authenticated ESP on it."
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
		path = local 192.0.2.$here remote 192.0.2.$there priority 0
		path = local 2001:db8:2::$here remote 2001:db8:2::$there priority 10
		path-liveness = 100ms
		path-liveness-multiplier = 3
		path-hold-down = 2s
		local-id = site-$site.example
		remote-id = site-$other.example
		psk-file = $work/psk
		ike = aes256gcm16-prfsha256-x25519
		esp = aes256gcm16-esn
		initiate = $initiate
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
say "The kernel's view: peer 1 with its two paths (added by vespd), their"
say "liveness, and the SAs."
show at a "$vesp" show vesp0
oa=$(active_out_sa a)
if at b "$vesp" show vesp0 sas | awk '$2 == "in" { print $3 }' | grep -qx "$oa"; then
	ok "site-a's outbound SA $oa is site-b's inbound SA"
else
	bad "site-a's outbound SA $oa is not an inbound SA at site-b"
fi

step "two paths, both alive"
say "Each site's module probes both paths and hears the other site on both."
wait_for 30 both_paths_up a || bad "site-a does not see both paths up"
active_path 1 "path 1 active, path 2 up and standing by"
say "The carrier follows liveness (the device flag carrier-liveness): off"
say "while no path works, so that routing daemons withdraw their routes."
show at a "$vesp" set vesp0 carrier-liveness on
show at b "$vesp" set vesp0 carrier-liveness on
if [ "$(carrier a)" = 1 ]; then
	ok "carrier on: a path is alive"
else
	bad "site-a's vesp0 has no carrier"
fi

step "traffic through the tunnel, IPv4 and IPv6"
expect "IPv4 through the tunnel" at a ping -c 3 -i 0.2 -W 2 10.2.0.1
expect "IPv6 through the tunnel" at a ping -c 3 -i 0.2 -W 2 fd02::1
check "iperf3 through the tunnel" iperf 10.2.0.1

step "on underlay 1 it is ESP"
check "ESP on underlay 1" capture_esp b veth-b1 4

step "underlay 1 fails, and nobody does anything"
say "A ping runs site-a to site-b all along, one every 10 ms; vesp monitor"
say "records the module's events at site-a."
at a "$vesp" monitor > "$work/monitor-a" 2>&1 &
bg_pids+=($!)
# not through at(): $! must be ping itself, for the SIGINT that ends it
ip netns exec site-a ping -O -i 0.01 -W 1 10.2.0.1 > "$work/ping-long" 2>&1 &
ping_pid=$!
bg_pids+=("$ping_pid")
wait_for 30 grep -q 'bytes from' "$work/ping-long" || bad "the long ping gets no answer"
sleep 1
show ip -n site-a link set veth-a1 down
say "site-a's veth is down; site-b's side lost its carrier. Both modules"
say "find path 1 dead and switch ESP to path 2 by themselves; vespd sees"
say "the switch and moves IKE there too, with MOBIKE."
wait_for 30 path_active a 2 || bad "site-a did not switch to path 2 within 30 s"
wait_for 30 path_active b 2 || bad "site-b did not switch to path 2 within 30 s"
active_path 2 "path 2 active at site-a, chosen by the module"
sleep 2
kill -INT "$ping_pid"
wait "$ping_pid"
say "The ping that ran all along, across the failure:"
grep -E 'transmitted' "$work/ping-long"
outage_report "the outage when underlay 1 failed"
say "Events at site-a (vesp monitor):"
sed 's/^/     /' "$work/monitor-a"
if grep -q 'switched' "$work/monitor-a"; then
	ok "the module announced the switch"
else
	bad "no path switch event seen by vesp monitor"
fi
if [ "$(carrier a)" = 1 ]; then
	ok "carrier stayed on: path 2 works"
else
	bad "site-a's vesp0 lost its carrier with path 2 alive"
fi

step "traffic continues over underlay 2"
expect "IPv4 through the tunnel, over path 2" at a ping -c 3 -i 0.2 -W 2 10.2.0.1
expect "IPv6 through the tunnel, over path 2" at a ping -c 3 -i 0.2 -W 2 fd02::1
check "ESP on underlay 2, in IPv6" capture_esp b veth-b2 4
check "iperf3 through the tunnel, over path 2" iperf 10.2.0.1

step "the SAs and the IKE SA moved, not replaced"
say "The failover moved ESP, not the keys: the same SAs. vespd moved the"
say "IKE SA to path 2 with MOBIKE (UPDATE_SA_ADDRESSES), no new IKE SA."
wait_for 30 ike_on_path a 2 || bad "site-a's IKE SA is not on path 2"
for site in a b; do
	show "$vesp" ike -s "$work/site-$site.sock" show
	if json=$(ike_json $site) && jq -e 'any(.[];
			.state == "up" and .established == 1)' <<< "$json" > /dev/null; then
		ok "site-$site: still the first IKE SA"
	else
		bad "site-$site: the tunnel is not up on its first IKE SA"
	fi
done
if ike_on_path a 2; then
	ok "site-a's IKE SA runs over path 2"
else
	bad "site-a's IKE SA is not on path 2"
fi
if [ "$(active_out_sa a)" = "$oa" ]; then
	ok "site-a still sends on SA $oa"
else
	bad "site-a's outbound SA changed"
fi

step "underlay 1 repaired: traffic moves back by itself"
events_seen=$(wc -l < "$work/monitor-a")
show ip -n site-a link set veth-a1 up
say "Path 1 must work for the hold-down time (2 s) before ESP goes back to"
say "it, so that a flapping link does not move traffic back and forth."
wait_for 60 path_active a 1 || bad "site-a did not return to path 1 within 60 s"
active_path 1 "path 1 active again, by itself"
say "Events at site-a:"
tail -n +$((events_seen + 1)) "$work/monitor-a" | sed 's/^/     /'
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
