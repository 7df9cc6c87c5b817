#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# Inside the test VM (test-deb.sh starts it): install the built packages
# with Debian's dpkg and dkms as an operator would, and use them.
#
# The VM's root is the host's, shared read-only; a writable overlay of it
# (upper layer in the VM's RAM) is the system the packages go into, entered
# with chroot. There, "dpkg -i vesp-dkms" runs dkms's own postinst, which
# builds vesp.ko against /lib/modules/$(uname -r)/build (the headers of
# the kernel the VM runs) and installs it; modprobe then loads that module
# into the VM's kernel. Nothing reaches the host's files.
#
# Usage: deb-install-guest.sh DEB_DIR     Prints TAP.

set -u

debs=$(readlink -f "$1")
kver=$(uname -r)
root=/tmp/deb-root
testno=0
failed=0

result()
{
	testno=$((testno + 1))
	if [ "$1" = ok ]; then
		echo "ok $testno $2"
	else
		failed=$((failed + 1))
		echo "not ok $testno $2"
		[ $# -gt 2 ] && printf '%s\n' "${@:3}" | sed 's/^/# /'
	fi
}

# check NAME CMD...: one result, the command's output shown on failure.
check()
{
	local name=$1 out

	shift
	if out=$("$@" 2>&1); then
		result ok "$name"
	else
		result fail "$name" "$out"
	fi
}

in_root() { chroot "$root" "$@"; }

echo "TAP version 13"

modprobe overlay
mkdir -p /tmp/deb-upper /tmp/deb-work "$root"
if ! mount -t overlay overlay -o lowerdir=/,upperdir=/tmp/deb-upper,workdir=/tmp/deb-work "$root"; then
	echo "Bail out! no writable overlay of the root"
	exit 1
fi
for dir in /proc /sys /dev /run /tmp; do
	mount --rbind "$dir" "$root$dir"
done
mkdir -p "$root$debs"
mount --bind "$debs" "$root$debs"
cleanup()
{
	umount -R "$root" 2>/dev/null
}
trap cleanup EXIT

# The host may have either package installed; this system must not.
in_root dpkg --purge vesp vesp-dkms >/dev/null 2>&1
rm -rf "$root/var/lib/dkms/vesp" "$root/lib/modules/$kver/updates/dkms/vesp.ko"

dkms_deb=$(ls "$debs"/vesp-dkms_*_all.deb)
vesp_deb=$(ls "$debs"/vesp_*_amd64.deb)
version=$(dpkg-deb -f "$dkms_deb" Version)

out=$(in_root env DEBIAN_FRONTEND=noninteractive dpkg -i "$dkms_deb" 2>&1)
rc=$?
echo "$out" | grep -E 'Building module|Installing|Signing|DKMS: install completed|Error' | sed 's/^/# dpkg: /'
if [ $rc -eq 0 ]; then
	result ok "dpkg -i $(basename "$dkms_deb")"
else
	result fail "dpkg -i $(basename "$dkms_deb")" "exit $rc" "$out"
fi

status=$(in_root dkms status vesp 2>&1)
echo "# dkms status: $status"
if [[ $status == *"vesp/$version, $kver, x86_64: installed"* ]]; then
	result ok "dkms status: vesp/$version installed for $kver"
else
	result fail "dkms status: vesp/$version installed for $kver" "$status"
fi

module=$(in_root modinfo -k "$kver" -n vesp 2>&1)
if [ "$module" = "/lib/modules/$kver/updates/dkms/vesp.ko" ]; then
	result ok "modinfo vesp: the DKMS module ($module)"
else
	result fail "modinfo vesp: the DKMS module" "got '$module'"
fi

check "modprobe vesp loads it" in_root modprobe vesp
# The kernel keeps each module's GNU build ID note: the loaded one must be
# the file DKMS built.
objcopy -O binary --only-section=.note.gnu.build-id "$root$module" /tmp/deb-build-id
if [ -s /tmp/deb-build-id ] && cmp -s /tmp/deb-build-id /sys/module/vesp/notes/.note.gnu.build-id; then
	result ok "the loaded vesp is the DKMS build (same build ID)"
else
	result fail "the loaded vesp is the DKMS build" \
		"loaded: $(od -An -tx1 /sys/module/vesp/notes/.note.gnu.build-id 2>&1 | tr -d '\n')" \
		"DKMS:   $(od -An -tx1 /tmp/deb-build-id 2>&1 | tr -d '\n')"
fi

out=$(in_root env DEBIAN_FRONTEND=noninteractive dpkg -i "$vesp_deb" 2>&1)
rc=$?
if [ $rc -eq 0 ]; then
	result ok "dpkg -i $(basename "$vesp_deb")"
else
	result fail "dpkg -i $(basename "$vesp_deb")" "exit $rc" "$out"
fi
check "vespd.service enabled by the postinst" \
	test -L "$root/etc/systemd/system/multi-user.target.wants/vespd.service"
check "tmpfiles.d made /run/vespd.sock" test -L /run/vespd.sock
check "man vespd.conf finds the page" in_root man -w 5 vespd.conf
check "bash completion for vesp installed" \
	in_root bash -c 'source /usr/share/bash-completion/completions/vesp && complete -p vesp'

# Debian's ip finds the plugin in its own directory: no IP_LIB_DIR.
ns=deb-$$
in_root ip netns add "$ns"
check "ip link add vesp0 type vesp fwmark 0x5 copy-dscp on" \
	in_root env -u IP_LIB_DIR ip -n "$ns" link add vesp0 type vesp fwmark 0x5 copy-dscp on
info=$(in_root env -u IP_LIB_DIR ip -n "$ns" -d -j link show vesp0 | jq -c '.[0].linkinfo.info_data')
echo "# ip -d -j link show vesp0: info_data $info"
if [ "$info" = '{"fwmark":5,"copy_dscp":true}' ]; then
	result ok "ip -d -j link show vesp0 shows vesp's settings"
else
	result fail "ip -d -j link show vesp0 shows vesp's settings" "got '$info'"
fi
in_root ip netns delete "$ns"

# vespd as vespd.service starts it: its ExecStart line, with the
# RuntimeDirectory systemd would make and a $NOTIFY_SOCKET listener
# standing in for systemd (there is no systemd in the VM).
exec_start=$(sed -n 's/^ExecStart=//p' "$root/lib/systemd/system/vespd.service")
mkdir -m 0700 /run/vespd
notify=/run/deb-notify.sock
/usr/bin/python3 -c '
import socket, sys
s = socket.socket(socket.AF_UNIX, socket.SOCK_DGRAM)
s.bind(sys.argv[1])
s.settimeout(120)
print("bound", flush=True)
try:
    while True:
        msg = s.recv(4096).decode()
        print(msg.replace("\n", " "), flush=True)
        if "STOPPING=1" in msg:
            break
except socket.timeout:
    print("timeout", flush=True)
' "$notify" >/tmp/deb-notify.log &
listener=$!
busy=0
until grep -q bound /tmp/deb-notify.log || ((busy++ > 100)); do sleep 0.1; done
# shellcheck disable=SC2086 # the unit's command line, split as systemd does
chroot "$root" env NOTIFY_SOCKET="$notify" $exec_start 2>/tmp/deb-vespd.log &
vespd=$!
busy=0
until grep -q READY=1 /tmp/deb-notify.log || ((busy++ > 300)); do sleep 0.1; done
echo "# sd_notify: $(tr '\n' '|' </tmp/deb-notify.log)"
check "vespd ($exec_start) told systemd READY=1" grep -q "READY=1 STATUS=0 tunnels" /tmp/deb-notify.log
# JSON: with no tunnels the text answer is empty, which vesp reports.
answer=$(in_root vesp -j ike show 2>&1)
if [ "$answer" = "[]" ]; then
	result ok "vesp -j ike show reaches it through /run/vespd.sock: $answer"
else
	result fail "vesp -j ike show reaches it through /run/vespd.sock" "got '$answer'"
fi
# ExecReload=/bin/kill -HUP $MAINPID: RELOADING=1, then READY=1 again.
kill -HUP "$vespd"
busy=0
until [ "$(grep -c READY=1 /tmp/deb-notify.log)" -ge 2 ] || ((busy++ > 300)); do sleep 0.1; done
if grep -A1 RELOADING=1 /tmp/deb-notify.log | grep -q "READY=1 STATUS=0 tunnels"; then
	result ok "SIGHUP: RELOADING=1 then READY=1"
else
	result fail "SIGHUP: RELOADING=1 then READY=1" "$(cat /tmp/deb-notify.log)"
fi
kill -TERM "$vespd"
wait "$vespd"
rc=$?
wait "$listener"
if [ "$rc" -eq 0 ] && grep -q "STOPPING=1" /tmp/deb-notify.log; then
	result ok "vespd stopped on SIGTERM, STOPPING=1"
else
	result fail "vespd stopped on SIGTERM, STOPPING=1" "exit $rc" "$(cat /tmp/deb-notify.log)"
fi
echo "# vespd's log: $(tr '\n' '|' </tmp/deb-vespd.log)"

check "rmmod vesp" rmmod vesp
out=$(in_root env DEBIAN_FRONTEND=noninteractive dpkg --purge vesp vesp-dkms 2>&1)
check "dpkg --purge vesp vesp-dkms" test $? -eq 0
check "the DKMS module is gone" test ! -e "$root/lib/modules/$kver/updates/dkms/vesp.ko"
check "no vesp left in dkms status" test -z "$(in_root dkms status vesp 2>&1)"

echo "1..$testno"
echo "# $((testno - failed)) passed, $failed failed"
[ "$failed" -eq 0 ]
