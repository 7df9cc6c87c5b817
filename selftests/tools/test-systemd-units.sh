#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# vespd's systemd units and journal logging, on the host (no VM, no
# running systemd needed): "make install" and "make dist-install" into a
# scratch PREFIX (the units then name the scratch vespd), and
#   - systemd-analyze verify accepts vespd.service and instances of
#     vespd@.service and vesp-link@.service, and rejects a unit with a
#     mistake (so it can fail);
#   - systemd-analyze security --offline rates each "OK" or better
#     (exposure below 3.0) and prints the figure;
#   - the tmpfiles.d line makes /run/vespd.sock a link into /run/vespd/;
#   - vespd prefixes its lines with the syslog priority ("<3>...") when
#     stderr is the journal ($JOURNAL_STREAM, as systemd sets it), and not
#     otherwise. Without the module vespd stops at "netlink: ..." at
#     priority error, which is the line checked.
#
# Usage: test-systemd-units.sh   Prints TAP; exits 1 if a case fails.

set -u

top=$(dirname "$(dirname "$(dirname "$(readlink -f "$0")")")")
scratch=$(mktemp -d)
trap 'rm -rf "$scratch"' EXIT
prefix=$scratch/prefix
units=$prefix/lib/systemd/system
max_exposure=3.0

# shellcheck source=selftests/tools/lib_tap.sh
. "$(dirname "$0")/lib_tap.sh"

echo "TAP version 13"

if ! out=$(make -s -C "$top/userspace" install PREFIX="$prefix" 2>&1 &&
	   make -s -C "$top" dist-install PREFIX="$prefix" SYSCONFDIR="$prefix/etc" \
		IPLIBDIR="$prefix/lib/ip" 2>&1); then
	echo "Bail out! install into $prefix failed: $out"
	exit 1
fi
export MANPATH=$prefix/share/man	# verify runs "man" for Documentation=

# verify UNIT_PATH NAME: no complaint at all, exit 0.
verify()
{
	local out rc

	out=$(systemd-analyze verify "$1" 2>&1)
	rc=$?
	if [ $rc -eq 0 ] && [ -z "$out" ]; then
		result ok "systemd-analyze verify $2"
	else
		result fail "systemd-analyze verify $2" "exit $rc" "$out"
	fi
}

verify "$units/vespd.service" vespd.service
verify "$units/vespd@blue.service" vespd@blue.service
verify "$units/vesp-link@vesp0.service" vesp-link@vesp0.service

# The same checks must see a mistake: an unknown key and a missing program.
sed 's/^ProtectHome=yes/ProtectHomes=yes/; s|^ExecStart=[^ ]*|ExecStart=/nonexistent/vespd|' \
	"$units/vespd.service" >"$scratch/vespd.service"
out=$(systemd-analyze verify "$scratch/vespd.service" 2>&1)
rc=$?
if [ $rc -ne 0 ] && [[ $out == *ProtectHomes* ]] && [[ $out == */nonexistent/vespd* ]]; then
	result ok "systemd-analyze verify rejects a broken vespd.service"
else
	result fail "systemd-analyze verify rejects a broken vespd.service" "exit $rc" "$out"
fi

for unit in vespd.service vespd@.service vesp-link@.service; do
	out=$(systemd-analyze security --offline=true "$units/$unit" 2>&1)
	level=$(sed -n 's/^→ Overall exposure level for .*: \([0-9.]*\) .*/\1/p' <<< "$out")
	if [ -n "$level" ] && awk -v l="$level" -v m="$max_exposure" 'BEGIN { exit !(l < m) }'; then
		result ok "systemd-analyze security $unit: exposure $level (below $max_exposure)"
	else
		result fail "systemd-analyze security $unit: exposure '$level'" "$out"
	fi
done

mkdir -p "$scratch/root"
out=$(systemd-tmpfiles --root="$scratch/root" --create "$prefix/lib/tmpfiles.d/vespd.conf" 2>&1)
link=$(readlink "$scratch/root/run/vespd.sock")
if [ "$link" = /run/vespd/vespd.sock ]; then
	result ok "tmpfiles.d links /run/vespd.sock to /run/vespd/vespd.sock"
else
	result fail "tmpfiles.d links /run/vespd.sock to /run/vespd/vespd.sock" "link '$link'" "$out"
fi

# Journal priorities. vespd -F fails at its first netlink request here (the
# host has no vesp module), logging at priority error (3).
printf '# no tunnels\n' >"$scratch/empty.conf"
vespd=$prefix/sbin/vespd
"$vespd" -F -f "$scratch/empty.conf" -s "$scratch/ctl.sock" -p 50000 -P 0 \
	2>"$scratch/plain.log"
plain=$(head -n 1 "$scratch/plain.log")
(
	exec 2>"$scratch/journal.log"
	JOURNAL_STREAM=$(stat -L -c '%d:%i' /proc/self/fd/2)
	export JOURNAL_STREAM
	exec "$vespd" -F -f "$scratch/empty.conf" -s "$scratch/ctl.sock" -p 50000 -P 0
)
journal=$(head -n 1 "$scratch/journal.log")
if [[ $journal == "<3>netlink: "* ]]; then
	result ok "stderr to the journal: lines carry their priority ($journal)"
else
	result fail "stderr to the journal: lines carry their priority" "got '$journal'"
fi
if [[ $plain == "vespd: error: netlink: "* ]]; then
	result ok "stderr elsewhere: no priority prefix ($plain)"
else
	result fail "stderr elsewhere: no priority prefix" "got '$plain'"
fi
# A $JOURNAL_STREAM naming another file is not the journal.
JOURNAL_STREAM=1:1 "$vespd" -F -f "$scratch/empty.conf" -s "$scratch/ctl.sock" \
	-p 50000 -P 0 2>"$scratch/other.log"
other=$(head -n 1 "$scratch/other.log")
if [[ $other == "vespd: error: netlink: "* ]]; then
	result ok "a JOURNAL_STREAM of another file is ignored"
else
	result fail "a JOURNAL_STREAM of another file is ignored" "got '$other'"
fi

tap_finish
