#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# Print the path of the vesp test VM's initramfs for kernel KVER, building
# it first when the cache (VESP_CACHE/vm, default /var/cache/vesp/vm) has
# none. It holds busybox, the modules that mount a virtio-9p share, and
# selftests/vm/init as /init. The cache key hashes init, this script and
# busybox, so an edit to any of them builds a new image and a rerun costs
# nothing.
#
# Usage: initramfs.sh KVER

set -euo pipefail

kver=$1
here=$(dirname "$(readlink -f "$0")")
cache=${VESP_CACHE:-/var/cache/vesp}/vm
busybox=/bin/busybox
# What init needs to mount the host's root: 9p over virtio-pci.
share_modules=(9p 9pnet_virtio virtio_pci)

key=$(cat "$here/init" "$0" "$busybox" | sha256sum | cut -c 1-16)
image=$cache/initramfs-$kver-$key.cpio
if [ -e "$image" ]; then
	echo "$image"
	exit 0
fi

mkdir -p "$cache"
staging=$(mktemp -d "$cache/.initramfs.XXXXXX")
trap 'rm -rf "$staging" "$staging.cpio"' EXIT

mkdir -p "$staging"/{bin,dev,newroot,lib/modules}
mknod "$staging/dev/console" c 5 1
install -m 0755 "$here/init" "$staging/init"
cp "$busybox" "$staging/bin/busybox"
for applet in $("$busybox" --list); do
	[ "$applet" = busybox ] && continue
	ln -s busybox "$staging/bin/$applet"
done

# Dependencies first, each once; built-in ones need nothing. Modules are
# stored uncompressed so that busybox insmod and any kernel can load them.
modprobe -S "$kver" --show-depends -a "${share_modules[@]}" |
while read -r verb path _; do
	[ "$verb" = insmod ] || continue
	name=$(basename "$path")
	name=${name%%.ko*}
	[ -e "$staging/lib/modules/$name.ko" ] && continue
	case "$path" in
	*.ko)		cat "$path" ;;
	*.ko.xz)	xz -dc "$path" ;;
	*.ko.zst)	zstd -dcq "$path" ;;
	*.ko.gz)	gzip -dc "$path" ;;
	*)		echo "initramfs.sh: unknown module format: $path" >&2
			exit 1 ;;
	esac >"$staging/lib/modules/$name.ko"
	echo "$name" >>"$staging/modules"
done

# busybox cpio always reports a block count on stderr: show it only on failure.
if ! log=$(cd "$staging" &&
	   find . | "$busybox" cpio -o -H newc -R 0:0 2>&1 >"$staging.cpio"); then
	echo "$log" >&2
	exit 1
fi
# Images of an older init are dead weight.
rm -f "$cache/initramfs-$kver-"*.cpio
mv "$staging.cpio" "$image"
echo "$image"
