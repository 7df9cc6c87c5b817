#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# make install and make uninstall for those who do not use packages, into
# a scratch DESTDIR: install puts every file where it belongs (the ip
# plugin in ip's own directory whatever PREFIX is), uninstall removes all
# of them but the admin's /etc/vespd.conf, and a second install keeps an
# edited /etc/vespd.conf.
#
# Usage: test-install.sh   Prints TAP; exits 1 if a case fails.

set -u

top=$(dirname "$(dirname "$(dirname "$(readlink -f "$0")")")")
dest=$(mktemp -d)
trap 'rm -rf "$dest"' EXIT
# shellcheck disable=SC2016 # make expands it
kver=$(make -s --no-print-directory -C "$top" -f Makefile -f /dev/stdin print-kver <<<'print-kver: ; @echo $(KVER)')
multiarch=$(${CC:-cc} -print-multiarch)
# shellcheck source=selftests/tools/lib_tap.sh
. "$(dirname "$0")/lib_tap.sh"

files() { (cd "$dest" && find . \( -type f -o -type l \) | sed 's|^\./|/|' | sort); }

want="/etc/vespd.conf
/lib/modules/$kver/extra/kmod/vesp.ko
/usr/lib/$multiarch/ip/link_vesp.so
/usr/local/lib/systemd/system/vesp-link@.service
/usr/local/lib/systemd/system/vespd.service
/usr/local/lib/systemd/system/vespd@.service
/usr/local/lib/tmpfiles.d/vespd.conf
/usr/local/sbin/vesp
/usr/local/sbin/vespd
/usr/local/share/bash-completion/completions/vesp
/usr/local/share/man/man5/vespd.conf.5
/usr/local/share/man/man8/vesp.8
/usr/local/share/man/man8/vespd.8"

echo "TAP version 13"
if out=$(make -C "$top" install DESTDIR="$dest" 2>&1); then
	result ok "make install DESTDIR=..."
else
	result fail "make install DESTDIR=..." "$(tail -n 20 <<< "$out")"
fi
got=$(files)
if [ "$got" = "$want" ]; then
	result ok "make install: every file in its place"
else
	result fail "make install: every file in its place" "$(diff <(echo "$want") <(echo "$got"))"
fi
if grep -q '^ExecStart=/usr/local/sbin/vespd ' "$dest/usr/local/lib/systemd/system/vespd.service"; then
	result ok "the unit names the installed vespd"
else
	result fail "the unit names the installed vespd" \
		"$(grep ExecStart= "$dest/usr/local/lib/systemd/system/vespd.service")"
fi

echo "# edited" >>"$dest/etc/vespd.conf"
make -s -C "$top" install DESTDIR="$dest" >/dev/null 2>&1
if tail -n 1 "$dest/etc/vespd.conf" | grep -qx "# edited"; then
	result ok "a second make install keeps an edited /etc/vespd.conf"
else
	result fail "a second make install keeps an edited /etc/vespd.conf"
fi

if out=$(make -C "$top" uninstall DESTDIR="$dest" 2>&1); then
	result ok "make uninstall DESTDIR=..."
else
	result fail "make uninstall DESTDIR=..." "$(tail -n 20 <<< "$out")"
fi
got=$(files)
if [ "$got" = /etc/vespd.conf ]; then
	result ok "make uninstall: nothing left but /etc/vespd.conf"
else
	result fail "make uninstall: nothing left but /etc/vespd.conf" "$got"
fi

tap_finish
