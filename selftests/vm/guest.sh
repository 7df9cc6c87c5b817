#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# Inside the vesp test VM: load the module, do what the host asked (run
# tests through kselftest's runner, run one command, or open a shell), then
# leave in the results share what the host checks afterwards. run.sh starts
# it through the job file; it is not meant to be run by hand.
#
# Usage: guest.sh --module PATH|NAME --module-name NAME --timeout SEC
#                 --marker TEXT
#                 (--kselftest DIR TEST... | [--cwd DIR] --shell ROWS COLS TERM
#                  | [--cwd DIR] --cmd CMD)
#
# TEXT goes to the kernel log first: the host checks the log from there on.
#
# The second serial port carries what the host prints (the TAP, or the
# command's output); the console carries kernel messages and this script's
# own errors.

set -u

results=/run/vesp
host_out=/dev/ttyS1

export PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin
export HOME=/tmp

mode=tests
cwd=/
while [ $# -gt 0 ]; do
	case "$1" in
	--module)	module=$2; shift 2 ;;
	--module-name)	module_name=$2; shift 2 ;;
	--kselftest)	kselftest_dir=$2; shift 2 ;;
	--timeout)	timeout=$2; shift 2 ;;
	--marker)	marker=$2; shift 2 ;;
	--cwd)		cwd=$2; shift 2 ;;
	--shell)	mode=shell; rows=$2; cols=$3; term=$4; shift 4 ;;
	--cmd)		mode=cmd; cmd=$2; shift 2 ;;
	*)		break ;;
	esac
done

# A path is insmod'ed as it is; a bare name is one of Debian's modules.
if [[ "$module" == */* ]]; then
	load=(insmod "$module")
	# For tests that unload and load it again.
	export VESP_MODULE=$module
else
	load=(modprobe "$module")
fi

load_module()
{
	"${load[@]}" >"$results/insmod.log" 2>&1
	echo $? >"$results/insmod.rc"
}

# Unloading proves nothing still holds the module (a leaked device or
# reference) and runs its exit path before the log is checked. A test may
# have unloaded it already.
unload_module()
{
	if [ ! -d "/sys/module/$module_name" ]; then
		echo "not loaded at the end" >"$results/rmmod.skip"
		return
	fi
	rmmod "$module_name" >"$results/rmmod.log" 2>&1
	echo $? >"$results/rmmod.rc"
}

# kselftest's runner wants BASE_DIR/kselftest/ for its helpers and reads
# BASE_DIR/DIR/settings, DIR being where run_many starts. Both live in a
# scratch BASE_DIR here, so the (read-only) repository stays untouched and
# every test gets the timeout the host chose; each test still runs in its
# own directory.
run_tests()
{
	local base=/tmp/kselftest

	mkdir -p "$base/vesp"
	ln -s "$kselftest_dir" "$base/kselftest"
	echo "timeout=$timeout" >"$base/vesp/settings"
	cd "$base/vesp" || return
	(
		set +u	# runner.sh expands unset variables
		export BASE_DIR=$base
		# shellcheck source=/dev/null # from Debian's linux-source
		. "$base/kselftest/runner.sh"
		run_many "$@"
	) 2>&1 | tee "$results/tap" >"$host_out"
}

run_shell()
{
	stty -F /dev/ttyS0 rows "$rows" cols "$cols"
	if [ "$(<"$results/insmod.rc")" = 0 ]; then
		echo "vesp VM: $module_name loaded; exit the shell to power off."
	else
		echo "vesp VM: ${load[*]} failed: $(<"$results/insmod.log")"
	fi >/dev/ttyS0
	cd "$cwd" 2>/dev/null || cd /
	TERM=$term setsid -c bash -i </dev/ttyS0 >/dev/ttyS0 2>&1
	echo $? >"$results/rc"
}

run_cmd()
{
	cd "$cwd" 2>/dev/null || cd /
	timeout "$timeout" bash -c "$cmd" </dev/null >"$host_out" 2>&1
	echo $? >"$results/rc"
}

echo "$marker" >/dev/kmsg
# Raw, so that the host reads exactly what was written (no \r\n).
stty -F "$host_out" raw -echo
hostname vesp-vm
ip link set lo up

load_module
case "$mode" in
tests)	run_tests "$@" ;;
shell)	run_shell ;;
cmd)	run_cmd ;;
esac
if [ -d "/sys/module/$module_name" ]; then
	cat "/sys/module/$module_name/taint" >"$results/module-taint"
fi
[ "$mode" = tests ] && unload_module

dmesg >"$results/dmesg"
cat /proc/sys/kernel/tainted >"$results/tainted"
