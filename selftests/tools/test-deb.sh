#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# The Debian packages end to end: "make deb" (dpkg-buildpackage, then
# lintian, which fails the build on any error or warning), then in the
# test VM deb-install-guest.sh installs them with dpkg into a writable
# overlay of the root, so that vesp-dkms's postinst builds the module
# with Debian's dkms against the VM kernel's headers, and loads and uses
# it. Takes a few minutes: dkms compiles under emulation.
#
# Usage: test-deb.sh [--no-build]   Prints TAP; exits 1 on a failure.

set -u

top=$(dirname "$(dirname "$(dirname "$(readlink -f "$0")")")")
debs=$top/build/deb

if [ "${1:-}" != --no-build ]; then
	if ! out=$(make -C "$top" deb 2>&1); then
		echo "TAP version 13"
		echo "not ok 1 make deb"
		tail -n 40 <<< "$out" | sed 's/^/# /'
		echo "1..1"
		exit 1
	fi
fi
# The VM is shared by every helper on the machine: one at a time.
exec flock /var/lock/vesp-vm.lock "$top/selftests/vm/run.sh" --module dummy \
	--timeout 1500 --cmd "$top/selftests/tools/deb-install-guest.sh $debs"
