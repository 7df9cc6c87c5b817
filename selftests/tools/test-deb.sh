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
# One VM at a time on this machine: run.sh waits for $VESP_VM_LOCK when it
# is set; otherwise take the shared lock here (not both: a second flock
# of the same file would wait for the first forever).
vm=("$top/selftests/vm/run.sh" --module dummy --timeout 1500
    --cmd "$top/selftests/tools/deb-install-guest.sh $debs")
if [ -n "${VESP_VM_LOCK:-}" ]; then
	exec "${vm[@]}"
fi
exec flock /var/lock/vesp-vm.lock "${vm[@]}"
