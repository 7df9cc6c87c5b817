#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# Install what building and testing vesp needs, from Debian's packages.
# As root it runs apt-get; otherwise it prints the one command to run.
#
# Usage: deps.sh [--list] [build|check|demo]   (default: check)
#   --list  print the profile's packages, one a line, and do nothing else

set -u

list=0
if [ "${1:-}" = --list ]; then
	list=1
	shift
fi
profile=${1:-check}

build_pkgs="make gcc libc6-dev pkg-config bc bison flex libelf-dev kmod
	linux-image-amd64 linux-headers-amd64
	libnl-3-dev libnl-genl-3-dev libnl-route-3-dev libssl-dev libsystemd-dev"
vm_pkgs="qemu-system-x86 busybox-static iproute2 procps iputils-ping
	ethtool iperf3 tcpdump jq python3 python3-scapy python3-yaml
	strace xxd nftables"
check_pkgs="linux-source-6.1 sparse perl python3 libcmocka-dev
	clang libclang-rt-14-dev xz-utils rsync
	strongswan-charon strongswan-swanctl openssl
	libstrongswan-standard-plugins libstrongswan-extra-plugins
	dpkg-dev debhelper dh-dkms dkms lintian bash-completion man-db binutils
	systemd"

case "$profile" in
build)	want="$build_pkgs" ;;
demo)	want="$build_pkgs $vm_pkgs" ;;
check)	want="$build_pkgs $vm_pkgs $check_pkgs" ;;
*)	echo "deps.sh: unknown profile '$profile' (build, check or demo)" >&2
	exit 2 ;;
esac

if [ $list = 1 ]; then
	# shellcheck disable=SC2086 # one package a word
	printf '%s\n' $want
	exit 0
fi

missing=()
for p in $want; do
	st=$(dpkg-query -W -f='${db:Status-Abbrev}' "$p" 2>/dev/null)
	[ "${st:0:2}" = "ii" ] || missing+=("$p")
done

# A kernel is only usable when both its image and its build tree exist.
have_kernel=
for b in /lib/modules/*/build; do
	v=${b#/lib/modules/}
	v=${v%/build}
	[ -e "/boot/vmlinuz-$v" ] && [ -d "$b/" ] && have_kernel=$v
done
if [ -z "$have_kernel" ]; then
	for p in linux-image-amd64 linux-headers-amd64; do
		[[ " ${missing[*]} " == *" $p "* ]] || missing+=("$p")
	done
fi

[ ${#missing[@]} -eq 0 ] && exit 0

cmd="apt-get install -y --no-install-recommends ${missing[*]}"
if [ "$(id -u)" -ne 0 ]; then
	echo "vesp: missing packages; run as root:" >&2
	echo "  apt-get update && $cmd" >&2
	exit 1
fi

echo "vesp: installing ${missing[*]}" >&2
export DEBIAN_FRONTEND=noninteractive
# A fresh machine may be running apt already (another make, unattended
# upgrades): wait for its lock rather than fail.
apt=(apt-get -o DPkg::Lock::Timeout=900)
if ! "${apt[@]}" install -y --no-install-recommends "${missing[@]}" >/dev/null; then
	"${apt[@]}" update >/dev/null || exit 1
	"${apt[@]}" install -y --no-install-recommends "${missing[@]}" >/dev/null ||
		exit 1
fi
