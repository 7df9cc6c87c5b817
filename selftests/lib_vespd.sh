#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# Helpers for the selftests that run vespd (vesp_vespd.sh,
# vesp_strongswan.sh); source it after lib.sh. A test calls vespd_workdir
# first: $WORKDIR then holds the pre-shared key, the configurations and the
# daemons' logs and sockets, and goes away with the test.

USERSPACE_BUILD=${USERSPACE_BUILD:-$SELFTEST_DIR/../userspace/build}
VESPD=${VESPD:-$USERSPACE_BUILD/vespd}
VESP_CLI=${VESP_CLI:-$USERSPACE_BUILD/vesp}
PSK=vesp-selftest-psk-0123456789

# vespd_require: call from the script's vesp_require.
vespd_require()
{
	[ -x "$VESPD" ] || ktap_skip_all "$VESPD missing: make -C userspace"
	[ -x "$VESP_CLI" ] || ktap_skip_all "$VESP_CLI missing: make -C userspace"
	modprobe -q veth 2> /dev/null
}

# vespd_workdir: a private $WORKDIR with the pre-shared key in $WORKDIR/psk.
vespd_workdir()
{
	WORKDIR=$(mktemp -d /tmp/vesp_vespd.XXXXXX) || return
	defer rm -rf "$WORKDIR"
	printf '%s' "$PSK" > "$WORKDIR/psk"
	chmod 600 "$WORKDIR/psk"
}

# write_conf FILE LOCAL REMOTE LOCAL_ID REMOTE_ID INITIATE [KEY=VALUE]...
# One tunnel "t" on vesp0, peer 1, with the pre-shared key. A KEY=VALUE
# replaces the default for KEY, or adds it; an empty VALUE drops KEY.
write_conf()
{
	local file=$1 kv i
	local conf=(
		"device=vesp0" "peer-id=1" "local=$2" "remote=$3"
		"local-id=$4" "remote-id=$5" "psk-file=$WORKDIR/psk"
		"ike=aes256gcm16-prfsha256-x25519" "esp=aes256gcm16-esn"
		"initiate=$6"
	)

	shift 6
	for kv in "$@"; do
		for i in "${!conf[@]}"; do
			[ "${conf[i]%%=*}" != "${kv%%=*}" ] || unset "conf[i]"
		done
		conf+=("$kv")
	done
	{
		echo "[tunnel t]"
		for kv in "${conf[@]}"; do
			[ -z "${kv#*=}" ] || echo "${kv%%=*} = ${kv#*=}"
		done
	} > "$file"
}

# vespd_ns NS NAME: starts vespd in NS with $WORKDIR/NAME.conf, logging to
# $WORKDIR/NAME.log (appended: a restart keeps the first run's log); its
# PID goes to $VESPD_PID_NAME.
vespd_ns()
{
	local ns=$1 name=$2

	ip netns exec "$ns" "$VESPD" -F -d -f "$WORKDIR/$name.conf" \
		-s "$WORKDIR/$name.sock" &>> "$WORKDIR/$name.log" &
	# ip netns exec execs vespd: the same process
	eval "VESPD_PID_$name=\$!"
}

# Deferred commands run with their output discarded: dump_logs writes to
# this copy of the script's standard output.
exec {VESPD_LOG_FD}>&1

# dump_logs FILE...: shows the end of the files when the test has failed;
# defer it.
dump_logs()
{
	local f

	[ "$RET" -eq "$ksft_pass" ] && return
	for f in "$@"; do
		ktap_print_msg "${f##*/}: $(tail -n 200 "$f")" >&"$VESPD_LOG_FD"
	done
}

# sa_spis NS DIR: the SPIs of vesp0's SAs in direction DIR, one per line.
sa_spis()
{
	ip netns exec "$1" "$VESP_CLI" -j sa list vesp0 2> /dev/null |
		jq -r ".[] | select(.dir == \"$2\") | .spi"
}

# active_out NS: the SPI of vesp0's active outbound SA.
active_out()
{
	ip netns exec "$1" "$VESP_CLI" -j sa list vesp0 2> /dev/null |
		jq -r '.[] | select(.dir == "out" and .active) | .spi'
}

# check_no_loss FILE WHAT: FILE holds the output of a ping that lost nothing.
check_no_loss()
{
	local loss

	loss=$(grep -o '[0-9.]*% packet loss' "$1")
	check_eq "$loss" "0% packet loss" "$2"
}
