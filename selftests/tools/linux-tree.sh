#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# Print the path of Debian's linux-source tree, unpacked once into a cache
# outside the repository (VESP_CACHE, default /var/cache/vesp). The tree is
# shared by the KUnit runner, the static checks and the VM harness (which
# takes kselftest's runner.sh from it); none of them modify it.

set -eu

cache=${VESP_CACHE:-/var/cache/vesp}
tarball=$(ls /usr/src/linux-source-*.tar.xz 2>/dev/null | sort -V | tail -n 1)
if [ -z "$tarball" ]; then
	echo "linux-tree.sh: no /usr/src/linux-source-*.tar.xz (apt-get install linux-source-6.1)" >&2
	exit 1
fi
name=$(basename "$tarball" .tar.xz)
tree=$cache/$name
stamp=$tree/.vesp-unpacked

if [ ! -e "$stamp" ] || [ "$tarball" -nt "$stamp" ]; then
	mkdir -p "$cache"
	exec 9>"$cache/.$name.lock"
	flock 9
	if [ ! -e "$stamp" ] || [ "$tarball" -nt "$stamp" ]; then
		rm -rf "$tree"
		tar -C "$cache" -xJf "$tarball"
		touch "$stamp"
	fi
fi
echo "$tree"
