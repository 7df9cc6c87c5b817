#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# Tests of the test machinery itself, on the host, in seconds: the traps
# a fresh machine or an unusual checkout set for `make check` and
# `make demo`. Prints TAP; `make check` runs it as its "harness" stage.
#
#   make_kver_unexported   a recipe sees no KVER unless the user gave one,
#                          so a kernel installed by the recipe is found
#   make_kver_given        KVER=... on make's command line reaches scripts
#   tap_cases_counted      a test that printed cases passes the VM check
#   tap_caseless_fails     a test that printed none fails it, and so do
#                          tests the VM never got to
#   count_vm_empty_fails   a VM stage log without a case fails make check
#   count_demo             the demo's checks are counted; a demo that
#                          checked nothing or failed silently fails
#   checkout_paths         the checkout's paths in the guest, wherever the
#                          clone is; other hidden paths are refused
#   checkout_prelude       the guest mounts the checkout privately, and
#                          links it from a hidden host path
#   deps_cover_selftests   every command a selftest requires comes from a
#                          package deps.sh installs (or one every Debian
#                          has): a fresh machine has nothing else

set -u

source_tree=$(cd "$(dirname "$0")/../.." && pwd)
number=0
failures=0

result()
{
	local name=$1 status=$2

	number=$((number + 1))
	if [ "$status" = 0 ]; then
		echo "ok $number $name"
	else
		echo "not ok $number $name"
		failures=$((failures + 1))
	fi
}

# expect_eq GOT WANT WHAT: prints the difference; false when they differ.
expect_eq()
{
	[ "$1" = "$2" ] && return 0
	printf '# %s: got "%s", want "%s"\n' "$3" "$1" "$2"
	return 1
}

# The top Makefile with one more target that prints what its recipes see.
make_env_kver()
{
	# shellcheck disable=SC2016 # make and the recipe's shell expand it
	env -u KVER make -s --no-print-directory -C "$source_tree" "$@" \
		--eval 'vesp-env-kver: ; @echo "[$${KVER-unset}]"' vesp-env-kver
}

test_make_kver_unexported()
{
	# `make demo` computed KVER before deps.sh installed the kernel, and
	# an exported empty value then stuck to the build below it.
	expect_eq "$(make_env_kver)" "[unset]" "KVER in a recipe's environment"
}

test_make_kver_given()
{
	expect_eq "$(make_env_kver KVER=6.1.0-test)" "[6.1.0-test]" \
		"KVER from the command line"
}

# tap_run TEST... < TAP: run stream_guest_tap and report_caseless on TAP
# as if TESTs had been asked for; prints the harness's last result line.
tap_run()
{
	(
		# shellcheck disable=SC2034 # tap.sh reads it
		tests=("$@")
		# shellcheck source=selftests/vm/tap.sh
		. "$source_tree/selftests/vm/tap.sh"
		shopt -s lastpipe
		stream_guest_tap >/dev/null
		report_caseless | tail -n 1
	)
}

test_tap_cases_counted()
{
	expect_eq "$(tap_run a.sh b.sh <<-EOF
		TAP version 13
		1..2
		# selftests: vesp: a.sh
		# ok 1 first
		# ok 2 second
		ok 1 selftests: vesp: a.sh
		# selftests: vesp: b.sh
		# not ok 1 broken
		not ok 2 selftests: vesp: b.sh # exit=1
	EOF
	)" "ok 3 vm: every test ran a case" "two tests with cases"
}

test_tap_caseless_fails()
{
	local ret=0

	expect_eq "$(tap_run a.sh b.sh <<-EOF
		TAP version 13
		1..2
		# selftests: vesp: a.sh
		# ok 1 first
		ok 1 selftests: vesp: a.sh
		# selftests: vesp: b.sh
		# run.sh: nothing to do here
		ok 2 selftests: vesp: b.sh
	EOF
	)" "not ok 3 vm: every test ran a case" "a test without a case" || ret=1
	expect_eq "$(tap_run a.sh b.sh <<-EOF
		TAP version 13
		1..2
		# selftests: vesp: a.sh
		# ok 1 first
		ok 1 selftests: vesp: a.sh
	EOF
	)" "not ok 3 vm: every test ran a case" "a test the VM never ran" || ret=1
	expect_eq "$(tap_run a.sh </dev/null)" \
		"not ok 2 vm: every test ran a case" "a VM that printed nothing" ||
		ret=1
	return $ret
}

# count_stage FUNCTION LOG [ARG...]: "p f" as check.sh counts LOG.
count_stage()
{
	local function=$1 log=$2

	shift 2
	(
		# shellcheck source=selftests/tools/check.sh
		. "$source_tree/selftests/tools/check.sh"
		"$function" "$log" "$@" >/dev/null
		echo "$p $f"
	)
}

test_count_vm_empty_fails()
{
	local log ret=0

	log=$(mktemp) || return
	printf '%s\n' "TAP version 13" "1..4" "ok 1 vm: every test ran a case" \
		"ok 2 vm: insmod vesp.ko" "ok 3 vm: rmmod vesp" \
		"ok 4 vm: kernel log clean" >"$log"
	expect_eq "$(count_stage count_vm "$log")" "4 1" "no case at all" || ret=1
	printf '%s\n' "TAP version 13" "1..5" "# selftests: vesp: a.sh" \
		"# ok 1 one" "# ok 2 two" "ok 1 selftests: vesp: a.sh" \
		"ok 2 vm: every test ran a case" "ok 3 vm: insmod vesp.ko" \
		"ok 4 vm: rmmod vesp" "ok 5 vm: kernel log clean" >"$log"
	expect_eq "$(count_stage count_vm "$log")" "6 0" "two cases" || ret=1
	rm -f "$log"
	return $ret
}

test_count_demo()
{
	local log ret=0

	log=$(mktemp) || return
	printf '%s\n' "== 1. start" "   ok: one" "   ok: two" "   FAILED: three" \
		"vesp demo: FAILED, 1 check failed (9 s)" >"$log"
	expect_eq "$(count_stage count_demo "$log" 1)" "2 1" "a failed check" || ret=1
	printf '%s\n' "   ok: one" "   ok: two" >"$log"
	expect_eq "$(count_stage count_demo "$log" 0)" "2 0" "all checks ok" || ret=1
	expect_eq "$(count_stage count_demo "$log" 2)" "2 1" "a silent failure" ||
		ret=1
	printf '%s\n' "vesp demo: booting the test VM" >"$log"
	expect_eq "$(count_stage count_demo "$log" 0)" "0 1" "no check at all" ||
		ret=1
	rm -f "$log"
	return $ret
}

# in_checkout REPO CMD...: CMD with checkout.sh loaded for a clone at REPO.
in_checkout()
{
	(
		# shellcheck disable=SC2034 # checkout.sh reads it
		repo=$1
		# shellcheck disable=SC2317 # checkout.sh calls it
		die() { echo "died: $*"; exit 1; }
		shift
		# shellcheck source=selftests/vm/checkout.sh
		. "$source_tree/selftests/vm/checkout.sh"
		"$@"
	)
}

test_checkout_paths()
{
	local ret=0

	expect_eq "$(in_checkout /tmp/ci.1/vesp guest_path /tmp/ci.1/vesp/kmod/vesp.ko)" \
		/run/vesp-checkout/vesp/kmod/vesp.ko "a module under /tmp" || ret=1
	expect_eq "$(in_checkout /root/src guest_path /root/src)" \
		/run/vesp-checkout/src "the checkout itself" || ret=1
	expect_eq "$(in_checkout /root/src guest_path /var/cache/vesp/x)" \
		/var/cache/vesp/x "a path outside the checkout" || ret=1
	expect_eq "$(in_checkout /tmp/ci/vesp check_visible_in_guest /tmp/ci/vesp/a.sh; echo $?)" \
		0 "a test in a checkout under /tmp" || ret=1
	expect_eq "$(in_checkout /tmp/ci/vesp check_visible_in_guest /tmp/other.sh)" \
		"died: /tmp/other.sh is hidden in the VM, which mounts its own /tmp" \
		"a test under /tmp outside the checkout" || ret=1
	return $ret
}

test_checkout_prelude()
{
	local prelude ret=0

	prelude=$(in_checkout /var/tmp/c/vesp job_prelude)
	grep -qx 'mkdir -m 0700 /run/vesp-checkout' <<<"$prelude" ||
		{ echo "# no private directory: $prelude"; ret=1; }
	grep -qx 'mount -t 9p -o .* checkout /run/vesp-checkout/vesp' <<<"$prelude" ||
		{ echo "# no mount: $prelude"; ret=1; }
	grep -qx 'ln -s /run/vesp-checkout/vesp /var/tmp/c/vesp' <<<"$prelude" ||
		{ echo "# no link from the hidden host path: $prelude"; ret=1; }
	prelude=$(in_checkout /root/vesp job_prelude)
	if grep -q '^ln ' <<<"$prelude"; then
		echo "# a link over the visible /root/vesp: $prelude"
		ret=1
	fi
	return $ret
}

# The package that installed PROGRAM, or nothing.
package_of()
{
	local path

	# what the VM's PATH finds (guest.sh), not a developer's own
	path=$(PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin \
		command -v "$1") || return
	path=$(readlink -f "$path")
	# usrmerge: dpkg may know the file by its /bin or /sbin name
	{ dpkg -S "$path" || dpkg -S "${path#/usr}"; } 2>/dev/null |
		head -n 1 | cut -d: -f1
}

test_deps_cover_selftests()
{
	local covered cmd package ret=0

	# shellcheck disable=SC2046 # one package a word
	covered=$({
		apt-cache depends --recurse --no-recommends --no-suggests \
			--no-conflicts --no-breaks --no-replaces --no-enhances \
			$("$source_tree/selftests/tools/deps.sh" --list check) |
			grep -v '^ '
		dpkg-query -W -f='${Package} ${Essential} ${Priority}\n' |
			awk '$2 == "yes" || $3 == "required" { print $1 }'
	} 2>/dev/null | sort -u)
	for cmd in $(sed -n 's/^[[:space:]]*require_cmds //p' \
			"$source_tree"/selftests/*.sh | tr ' ' '\n' | sort -u); do
		package=$(package_of "$cmd")
		if [ -z "$package" ]; then
			echo "# $cmd: not installed here, and so by no package of deps.sh"
			ret=1
		elif ! grep -qx "$package" <<<"$covered"; then
			echo "# $cmd: from $package, which deps.sh does not install"
			ret=1
		fi
	done
	return $ret
}

names=$(sed -n 's/^#   \([a-z_]*\) .*/\1/p' "$0")
echo "TAP version 13"
echo "1..$(wc -w <<<"$names")"
for name in $names; do
	"test_$name"
	result "$name" $?
done
[ "$failures" = 0 ]
