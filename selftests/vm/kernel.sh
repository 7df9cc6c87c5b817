#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# Print the path of the kernel image for KVER that boots fastest in qemu.
# Under software emulation a bzImage spends seconds decompressing itself,
# so the uncompressed ELF inside it is extracted once into the cache
# (VESP_CACHE/vm, default /var/cache/vesp/vm); qemu boots that directly
# through its PVH entry. A kernel without PVH support, or not compressed
# with xz as Debian's are, is booted as it is.
#
# Usage: kernel.sh KVER

set -euo pipefail

kver=$1
bzimage=/boot/vmlinuz-$kver
cache=${VESP_CACHE:-/var/cache/vesp}/vm
vmlinux=$cache/vmlinux-$kver

if [ -e "$vmlinux" ] && [ "$vmlinux" -nt "$bzimage" ]; then
	echo "$vmlinux"
	exit 0
fi
if ! grep -qx CONFIG_PVH=y "/boot/config-$kver" 2>/dev/null; then
	echo "$bzimage"
	exit 0
fi

mkdir -p "$cache"
staging=$(mktemp "$cache/.vmlinux.XXXXXX")
trap 'rm -f "$staging"' EXIT

# The payload starts at the first xz stream header.
offset=$(LC_ALL=C grep -aboP -m 1 '\xFD7zXZ\x00' "$bzimage" | head -n 1 | cut -d: -f1)
if [ -n "$offset" ] &&
   xz -dcq --single-stream <(tail -c +"$((offset + 1))" "$bzimage") >"$staging"; then
	mv "$staging" "$vmlinux"
	echo "$vmlinux"
else
	echo "$bzimage"
fi
