#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# Boot Debian's kernel in qemu, with the host's root shared read-only over
# virtio-9p and no network link to the outside, and run vesp's selftests
# inside through kselftest's runner. The guest's TAP streams to stdout; the
# harness adds four results of its own: every test ran a case, the module
# loads, the module unloads, and the kernel log is clean.
#
# Files: kernel.sh and initramfs.sh prepare (and cache) what qemu boots;
# the initramfs's /init is ./init, which runs ./guest.sh in the shared
# root. See --help.

set -u

here=$(dirname "$(readlink -f "$0")")
repo=$(dirname "$(dirname "$here")")
selftests=$repo/selftests
# shellcheck source=selftests/vm/checkout.sh
. "$here/checkout.sh"

default_timeout=45		# kselftest's own default
cmd_default_timeout=300
boot_margin=120			# TCG boots in ~10 s; 2 shared cores can be slow
shutdown_margin=60		# rmmod, dmesg, power off

# Kernel log lines that fail a run. Splats all carry one of these. Only
# the log from the guest's start on counts: some CPUs make a stock kernel
# print "WARNING:" about their own flaws while it boots.
guest_start_marker='vesp-vm: guest started'
splats=(
	'WARNING:' 'BUG:' 'kernel BUG at' 'Oops' 'general protection fault'
	'Kernel panic' 'Call Trace:' 'refcount_t:'
	'possible recursive locking' 'inconsistent lock state'
	'suspicious RCU usage' 'circular locking'
	'KASAN' 'UBSAN' 'suspected memory leak'
	'unregister_netdevice: waiting' 'soft lockup' 'hard LOCKUP'
	'blocked for more than' 'rcu_.* detected stalls' 'rcu_.* self-detected stall'
)
splat_pattern=$(IFS='|'; echo "${splats[*]}")
# Taint bits a run may show: O (out-of-tree module), E (unsigned module).
allowed_taint=$((4096 | 8192))
taint_letters=PFSRMBUDAWCIOELKXT

usage()
{
	cat <<EOF
Usage: $0 [OPTION]... [TEST]...

Boot the kernel vesp is built for in qemu (no link to the outside, KVM
when available) and run each TEST in it through kselftest's runner.
A TEST is a path, or a file name under selftests/; with no TEST, the
TEST_PROGS of selftests/Makefile run. Prints TAP on stdout. After the
tests the harness adds four results: every test ran at least one case,
the module loads, it unloads, and the kernel log is clean (no WARNING, BUG, Oops, lockdep, KASAN, UBSAN,
refcount or leak report, and no kernel taint besides O and E).
Exits 0 when every result is ok (a SKIP is ok), 1 otherwise.

The guest sees the host's root read-only (tests find every installed
program), with its own /tmp, /run, /var/tmp and /dev. The checkout is a
read-only share of its own, wherever it lives: tests run from
$guest_checkout_dir/NAME, a directory only root may enter, and a
checkout under the guest's own /tmp is linked from its usual path too.

Options:
  --kver VER          kernel to boot (default: \$KVER, else the newest VER
                      with /boot/vmlinuz-VER and /lib/modules/VER/build)
  --module PATH|NAME  module to load first (default: kmod/vesp.ko);
                      a PATH is insmod'ed (and given to the tests as
                      VESP_MODULE), a NAME modprobe'd from the kernel's
                      own modules
  --timeout SEC       per-test timeout (default: timeout= in the tests'
                      settings file, else $default_timeout); with --cmd, the
                      command's (default $cmd_default_timeout)
  --cmd CMD           run CMD with bash in the VM instead of tests; its
                      output goes to stdout, its exit status is run.sh's
  --shell             open an interactive shell in the VM, module loaded;
                      exit it to power off (Ctrl-A X kills the VM)
  --results DIR       keep the run's files in DIR (created; must not
                      exist): TAP, dmesg, console log; default: a
                      temporary directory, removed
  --accel kvm|tcg     accelerator (default: kvm if it boots the kernel,
                      probed once per host boot; else tcg)
  -h, --help          this text

Environment: KVER; VESP_CACHE (default /var/cache/vesp) holds the
kernel and initramfs qemu boots, and the unpacked linux-source whose
kselftest runner runs the tests. VESP_VM_LOCK, a file: wait for the
lock on it before booting, so that VMs started at once run one after
the other (under emulation two VMs on two cores each crawl).
EOF
}

die()
{
	echo "run.sh: $*" >&2
	exit 1
}

default_kver()
{
	local build version

	for build in /lib/modules/*/build; do
		version=${build#/lib/modules/}
		version=${version%/build}
		[ -e "/boot/vmlinuz-$version" ] && echo "$version"
	done | sort -V | tail -n 1
}

# What kselftest itself would run: TEST_PROGS of selftests/Makefile.
default_tests()
{
	# shellcheck disable=SC2016 # make expands it
	make -s --no-print-directory -C "$selftests" -f Makefile -f /dev/stdin \
		vesp-vm-tests <<<'vesp-vm-tests: ; @echo $(TEST_PROGS)'
}

# A relative TEST is looked up under selftests/ first, then in $PWD.
resolve_test()
{
	local test=$1

	if [[ "$test" != /* ]] && [ -e "$selftests/$test" ]; then
		test=$selftests/$test
	fi
	[ -f "$test" ] || die "no test $1 (neither a file nor one under $selftests)"
	test=$(readlink -f "$test")
	check_visible_in_guest "$test"
	echo "$test"
}

settings_timeout()
{
	local value

	value=$(sed -n 's/^timeout=//p' "$1/settings" 2>/dev/null | tail -n 1)
	echo "${value:-$default_timeout}"
}

taint_flags()
{
	local value=$1 bit flags=

	for ((bit = 0; bit < ${#taint_letters}; bit++)); do
		((value & (1 << bit))) && flags+=${taint_letters:bit:1}
	done
	echo "$flags"
}

comment()
{
	sed 's/^/# /'
}

# Print the splats and the unexpected taint of the run; fail if any. The
# guest's dmesg is complete; when the guest did not get to save it, the
# console log still has every message of warning level and above.
kernel_log_findings()
{
	local log=$guest_dir/dmesg tainted found=0

	[ -e "$log" ] || log=$run_dir/console.log
	if grep -qF "$guest_start_marker" "$log" 2>/dev/null; then
		log=$(sed -n "/$guest_start_marker/,\$p" "$log")
	else
		log=$(cat "$log" 2>/dev/null)
	fi
	if grep -E "$splat_pattern" <<<"$log" | head -n 40 | grep .; then
		found=1
	fi
	if [ -e "$guest_dir/tainted" ]; then
		tainted=$(<"$guest_dir/tainted")
		if ((tainted & ~allowed_taint)); then
			echo "kernel tainted: $tainted ($(taint_flags "$tainted"))"
			found=1
		fi
	else
		echo "no taint recorded: the guest did not finish"
		found=1
	fi
	return $found
}

module_load_findings()
{
	local taint

	if [ ! -e "$guest_dir/insmod.rc" ]; then
		echo "no result: the guest did not get that far"
		return 1
	fi
	cat "$guest_dir/insmod.log"
	taint=$(cat "$guest_dir/module-taint" 2>/dev/null)
	[ -n "$taint" ] && echo "module taint: $taint"
	return "$(<"$guest_dir/insmod.rc")"
}

# Seconds from qemu's start to TIME (an $EPOCHREALTIME), to a tenth.
seconds_since_start()
{
	local us=$((${1//[.,]/} - ${qemu_started//[.,]/}))

	echo "$((us / 1000000)).$((us % 1000000 / 100000))"
}

# /dev/kvm may open and still not run a stock kernel (a nested hypervisor
# that runs only adapted guests hangs it): boot once to an immediate power
# off, and keep the answer for this kernel until the host reboots.
kvm_runs_kernel()
{
	local boot_id verdict

	[ -r /dev/kvm ] && [ -w /dev/kvm ] || return 1
	boot_id=$(</proc/sys/kernel/random/boot_id)
	verdict=$(dirname "$initramfs")/kvm-$kver-$boot_id
	if [ ! -e "$verdict" ]; then
		rm -f "$(dirname "$initramfs")/kvm-$kver-"*
		if timeout 15 qemu-system-x86_64 -accel kvm -m 256M -cpu max \
			-nic none -nodefaults -display none -no-reboot \
			-kernel "$kernel" -initrd "$initramfs" \
			-append "rdinit=/bin/poweroff -- -f" \
			</dev/null >/dev/null 2>&1; then
			echo yes >"$verdict"
		else
			echo no >"$verdict"
		fi
	fi
	[ "$(<"$verdict")" = yes ]
}

# --- TAP assembly (test mode) ---

# shellcheck source=selftests/vm/tap.sh
. "$here/tap.sh"

finish_tap()
{
	local qemu_status=$1 findings status

	if [ -z "$first_test_at" ]; then
		echo "TAP version 13"
		echo "1..$((${#tests[@]} + 4))"
	fi
	if [ "$qemu_status" = 124 ]; then
		echo "# the VM timed out after $budget s"
	elif [ "$qemu_status" != 0 ]; then
		echo "# qemu exited with status $qemu_status"
		comment <"$run_dir/qemu.log"
	fi
	if [ ! -e "$guest_dir/tainted" ]; then
		echo "# the guest did not finish; its console ended with:"
		tail -n 30 "$run_dir/console.log" 2>/dev/null | comment
	fi
	report_caseless

	findings=$(module_load_findings)
	status=$?
	[ -n "$findings" ] && comment <<<"$findings"
	if [ $status = 0 ]; then
		tap_result ok "vm: ${load_verb} $module"
	else
		tap_result "not ok" "vm: ${load_verb} $module"
	fi

	if [ -e "$guest_dir/rmmod.skip" ]; then
		tap_result ok "vm: rmmod $module_name" "SKIP $(<"$guest_dir/rmmod.skip")"
	elif [ ! -e "$guest_dir/rmmod.rc" ]; then
		echo "# no result: the guest did not get that far"
		tap_result "not ok" "vm: rmmod $module_name"
	elif [ "$(<"$guest_dir/rmmod.rc")" = 0 ]; then
		tap_result ok "vm: rmmod $module_name"
	else
		comment <"$guest_dir/rmmod.log"
		tap_result "not ok" "vm: rmmod $module_name"
	fi

	findings=$(kernel_log_findings)
	status=$?
	[ -n "$findings" ] && comment <<<"$findings"
	if [ $status = 0 ]; then
		tap_result ok "vm: kernel log clean"
	else
		tap_result "not ok" "vm: kernel log clean"
	fi

	echo "# Totals: pass:$passed fail:$failed skip:$skipped"
	[ -n "$first_test_at" ] && echo "# vm: tests started" \
		"$(seconds_since_start "$first_test_at") s after qemu"
	echo "# vm: kernel $kver, accel $accel," \
		"done in $(seconds_since_start "$EPOCHREALTIME") s"
	[ "$failed" = 0 ]
}

# --- --cmd and --shell: the command's status, unless the harness fails ---

finish_command()
{
	local qemu_status=$1 status findings

	status=$(cat "$guest_dir/rc" 2>/dev/null) || status=1
	if [ "$qemu_status" = 124 ]; then
		echo "run.sh: the VM timed out after $budget s" >&2
	elif [ "$qemu_status" != 0 ]; then
		echo "run.sh: qemu exited with status $qemu_status" >&2
		cat "$run_dir/qemu.log" >&2
	fi
	if ! findings=$(module_load_findings); then
		echo "run.sh: $load_verb $module failed: $findings" >&2
		[ "$status" = 0 ] && status=1
	fi
	if ! findings=$(kernel_log_findings); then
		echo "run.sh: kernel log not clean:" >&2
		echo "$findings" >&2
		[ "$status" = 0 ] && status=1
	fi
	return "$status"
}

# --- options ---

kver=${KVER:-}
module=$repo/kmod/vesp.ko
timeout=
mode=tests
cmd=
results=
accel=
while [ $# -gt 0 ]; do
	case "$1" in
	--kver)		kver=$2; shift 2 ;;
	--module)	module=$2; shift 2 ;;
	--timeout)	timeout=$2; shift 2 ;;
	--cmd)		mode=cmd; cmd=$2; shift 2 ;;
	--shell)	mode=shell; shift ;;
	--results)	results=$2; shift 2 ;;
	--accel)	accel=$2; shift 2 ;;
	-h|--help)	usage; exit 0 ;;
	--)		shift; break ;;
	-*)		die "unknown option $1 (see --help)" ;;
	*)		break ;;
	esac
done
[[ -z "$timeout" || "$timeout" =~ ^[1-9][0-9]*$ ]] ||
	die "--timeout wants seconds, not '$timeout'"

[ -n "$kver" ] || kver=$(default_kver)
[ -n "$kver" ] || die "no kernel with both /boot/vmlinuz-VER and" \
	"/lib/modules/VER/build (selftests/tools/deps.sh build)"
[ -e "/boot/vmlinuz-$kver" ] || die "no /boot/vmlinuz-$kver"
command -v qemu-system-x86_64 >/dev/null ||
	die "no qemu-system-x86_64 (selftests/tools/deps.sh demo)"

if [[ "$module" == */* ]]; then
	module=$(readlink -f "$module")
	check_visible_in_guest "$module"
	load_verb=insmod
	module_name=$(basename "$module" .ko)
	module_name=${module_name//-/_}
else
	load_verb=modprobe
	module_name=${module//-/_}
fi

case "$accel" in
''|kvm|tcg) ;;
*)	die "--accel is kvm or tcg, not '$accel'" ;;
esac

tests=()
if [ $mode = tests ]; then
	requested=("$@")
	[ $# -gt 0 ] || read -ra requested <<<"$(default_tests)"
	[ ${#requested[@]} -gt 0 ] || die "no TEST_PROGS in $selftests/Makefile"
	for test in "${requested[@]}"; do
		tests+=("$(resolve_test "$test")") || exit 1
	done
	if [ -z "$timeout" ]; then
		timeout=0
		for test in "${tests[@]}"; do
			value=$(settings_timeout "$(dirname "$test")")
			((value > timeout)) && timeout=$value
		done
	fi
	kselftest_dir=$("$selftests/tools/linux-tree.sh")/tools/testing/selftests/kselftest ||
		exit 1
	check_visible_in_guest "$kselftest_dir/"
	budget=$((boot_margin + ${#tests[@]} * timeout + shutdown_margin))
else
	[ $# = 0 ] || die "tests cannot be given with --$mode"
	: "${timeout:=$cmd_default_timeout}"
	budget=$((boot_margin + timeout + shutdown_margin))
fi

kernel=$("$here/kernel.sh" "$kver") || exit 1
initramfs=$("$here/initramfs.sh" "$kver") || exit 1
if [ -z "$accel" ]; then
	accel=tcg
	kvm_runs_kernel && accel=kvm
fi

# --- the run's directory: host files, and the guest's writable share ---

if [ -n "$results" ]; then
	if ! mkdir -p "$(dirname "$results")" || ! mkdir "$results"; then
		die "cannot create --results $results (it must not exist)"
	fi
	run_dir=$(readlink -f "$results")
else
	run_dir=$(mktemp -d "${TMPDIR:-/tmp}/vesp-vm.XXXXXX")
fi
guest_dir=$run_dir/guest
mkdir "$guest_dir"

cleanup()
{
	# qemu is bounded by its timeout; this covers run.sh itself dying.
	if [ -s "$run_dir/qemu.pid" ]; then
		kill "$(<"$run_dir/qemu.pid")" 2>/dev/null
	fi
	[ -n "$results" ] || rm -rf "$run_dir"
}
trap cleanup EXIT

guest_module=$module
[ "$load_verb" = insmod ] && guest_module=$(guest_path "$module")
guest_args=(--module "$guest_module" --module-name "$module_name"
	--timeout "$timeout" --marker "$guest_start_marker")
case $mode in
tests)
	guest_tests=()
	for test in "${tests[@]}"; do
		guest_tests+=("$(guest_path "$test")")
	done
	guest_args+=(--kselftest "$(guest_path "$kselftest_dir")" "${guest_tests[@]}") ;;
cmd)	guest_args+=(--cwd "$PWD" --cmd "$cmd") ;;
shell)	guest_args+=(--cwd "$PWD" --shell "$(tput lines 2>/dev/null || echo 24)"
		"$(tput cols 2>/dev/null || echo 80)" "${TERM:-vt100}") ;;
esac
{
	job_prelude
	printf '%q ' exec "$(guest_path "$here")/guest.sh" "${guest_args[@]}"
	echo
} >"$guest_dir/job"

# shellcheck disable=SC2054 # commas separate qemu's suboptions
qemu=(qemu-system-x86_64 -m 2G -smp 2 -cpu max -no-reboot
	-nic none -nodefaults -display none
	-pidfile "$run_dir/qemu.pid"
	-kernel "$kernel" -initrd "$initramfs"
	-append "console=ttyS0 loglevel=5 log_buf_len=8M panic=-1"
	-fsdev local,id=root,path=/,security_model=none,readonly=on,multidevs=remap
	-device virtio-9p-pci,fsdev=root,mount_tag=root
	-fsdev "local,id=checkout,path=$repo,security_model=none,readonly=on,multidevs=remap"
	-device virtio-9p-pci,fsdev=checkout,mount_tag=checkout
	-fsdev "local,id=results,path=$guest_dir,security_model=none"
	-device virtio-9p-pci,fsdev=results,mount_tag=results
	-accel "$accel")
# ttyS0 is the console, ttyS1 what the guest sends the host's stdout,
# always a pipe.
to_stdout=(-serial "file:$run_dir/console.log" -serial file:/dev/stdout)

if [ -n "${VESP_VM_LOCK:-}" ]; then
	exec {vm_lock}>>"$VESP_VM_LOCK" || die "cannot open $VESP_VM_LOCK"
	if ! flock -n "$vm_lock"; then
		echo "run.sh: waiting for $VESP_VM_LOCK" >&2
		flock "$vm_lock"
	fi
fi
qemu_started=$EPOCHREALTIME
case $mode in
tests)
	first_test_at=
	shopt -s lastpipe
	timeout --foreground -k 10 "$budget" "${qemu[@]}" "${to_stdout[@]}" \
		</dev/null 2>"$run_dir/qemu.log" | stream_guest_tap
	qemu_status=${PIPESTATUS[0]}
	finish_tap "$qemu_status"
	;;
cmd)
	# Through a pipe: qemu reopens /dev/stdout, and a file reopened gets
	# an offset of its own, writing over what run.sh's caller writes next.
	timeout --foreground -k 10 "$budget" "${qemu[@]}" "${to_stdout[@]}" \
		</dev/null 2>"$run_dir/qemu.log" | cat
	finish_command "${PIPESTATUS[0]}"
	;;
shell)
	echo "vesp VM: booting $kver ($accel)..." >&2
	"${qemu[@]}" -serial mon:stdio -serial null 2>"$run_dir/qemu.log"
	finish_command $?
	;;
esac
