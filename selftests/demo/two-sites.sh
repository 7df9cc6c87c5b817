#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# Runs inside the VM, module loaded: two sites, each a network namespace
# with a vesp device, joined by an underlay veth pair, keyed by hand.
#
#   site-a                                     site-b
#   vesp0 10.1.0.1, fd01::1 ... ESP ... vesp0 10.2.0.1, fd02::1
#   veth  192.0.2.1 ------- underlay ------- veth  192.0.2.2

set -eu

top=$(cd "$(dirname "$0")/../.." && pwd)
vesp=$top/userspace/build/vesp

step()
{
	printf '\n== %s\n' "$*"
}

show()
{
	printf '$ %s\n' "$*"
	"$@"
}

# Random keys for the demo; never printed.
key()
{
	od -An -tx1 -N"$1" /dev/urandom | tr -d ' \n'
}

cleanup()
{
	ip netns del site-a 2>/dev/null || true
	ip netns del site-b 2>/dev/null || true
}
trap cleanup EXIT

modprobe veth

step "two sites, one underlay link between them"
show ip netns add site-a
show ip netns add site-b
show ip -n site-a link add veth-a type veth peer name veth-b netns site-b
show ip -n site-a addr add 192.0.2.1/24 dev veth-a
show ip -n site-b addr add 192.0.2.2/24 dev veth-b
show ip -n site-a link set veth-a up
show ip -n site-b link set veth-b up

step "a vesp tunnel device at each site, routed like any other link"
for site in a b; do
	here=1; there=2
	[ $site = b ] && { here=2; there=1; }
	show ip -n site-$site link add vesp0 type vesp
	show ip -n site-$site addr add 10.$here.0.1/24 dev vesp0
	show ip -n site-$site addr add fd0$here::1/64 dev vesp0 nodad
	show ip -n site-$site link set vesp0 up
	show ip -n site-$site route add 10.$there.0.0/24 dev vesp0
	show ip -n site-$site route add fd0$there::/64 dev vesp0
done

step "no SA yet: nothing leaves in clear, the drop is counted"
show ip netns exec site-a ping -c 2 -i 0.2 -W 1 10.2.0.1 || true
show ip netns exec site-a "$vesp" stats vesp0

step "keys by hand (vespd will do this with IKEv2): AES-GCM-256 with ESN"
ab=$(key 36)
ba=$(key 36)
show ip netns exec site-a "$vesp" peer add vesp0 1 prefix 10.2.0.0/24 prefix fd02::/64
show ip netns exec site-b "$vesp" peer add vesp0 1 prefix 10.1.0.0/24 prefix fd01::/64
show ip netns exec site-a "$vesp" path add vesp0 1 1 remote 192.0.2.2
show ip netns exec site-b "$vesp" path add vesp0 1 1 remote 192.0.2.1
echo "\$ vesp sa add ... (keys from /dev/urandom, not shown)"
ip netns exec site-a "$vesp" sa add vesp0 1 out spi 0x1001 alg aes-gcm-256 enc-key "$ab" esn active
ip netns exec site-b "$vesp" sa add vesp0 1 in spi 0x1001 alg aes-gcm-256 enc-key "$ab" esn
ip netns exec site-b "$vesp" sa add vesp0 1 out spi 0x2001 alg aes-gcm-256 enc-key "$ba" esn active
ip netns exec site-a "$vesp" sa add vesp0 1 in spi 0x2001 alg aes-gcm-256 enc-key "$ba" esn

step "traffic through the tunnel, IPv4 and IPv6"
show ip netns exec site-a ping -c 3 -i 0.2 10.2.0.1
show ip netns exec site-a ping -c 3 -i 0.2 fd02::1
ip netns exec site-b iperf3 -s -1 -D >/dev/null
sleep 1
show ip netns exec site-a iperf3 -c 10.2.0.1 -t 2 -f m | grep -E 'sender|receiver'

step "on the underlay it is ESP"
ip netns exec site-b timeout 10 tcpdump -c 3 -nni veth-b esp 2>/dev/null &
sleep 1
ip netns exec site-a ping -c 3 -i 0.2 10.2.0.1 >/dev/null
wait

step "rekey under a ping flood: new SAs in, switch, old ones out"
ab2=$(key 36)
ip netns exec site-a ping -c 400 -i 0.005 -q 10.2.0.1 > /tmp/flood.txt &
sleep 0.5
ip netns exec site-b "$vesp" sa add vesp0 1 in spi 0x1002 alg aes-gcm-256 enc-key "$ab2" esn
ip netns exec site-a "$vesp" sa add vesp0 1 out spi 0x1002 alg aes-gcm-256 enc-key "$ab2" esn active
show ip netns exec site-a "$vesp" sa del vesp0 1 out 0x1001
wait
grep -E 'packets transmitted' /tmp/flood.txt
show ip netns exec site-a "$vesp" show vesp0

step "site-b's view, as JSON for scripts"
ip netns exec site-b "$vesp" -j show vesp0 | head -c 600
echo
echo
echo "demo done"
