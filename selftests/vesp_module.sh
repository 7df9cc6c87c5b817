#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# Unloading and reloading the vesp module: rmmod must delete every vesp
# device in every namespace, whatever state it is in, and a reloaded module
# must work. The module is loaded again when the script ends, whatever
# happened, since later tests need it.
#
#	+--- init_net ---+  +-------- $ns_a --------+  +----- $ns_b -----+
#	|  vesp-mod0     |  |  vesp0, vesp1         |  |  vesp0 (moved    |
#	+----------------+  |  vesp2 (its underlay  |  |  from $ns_a)     |
#	                    |   netns deleted)      |  +------------------+
#	                    |  vesp3 (moved from    |
#	                    |   $ns_b)              |
#	                    +-----------------------+
#	$dying: vesp0, vesp1; deleted right before rmmod
#
# The module file comes from VESP_MODULE (set by the VM harness), else
# the repository's kmod/vesp.ko next to this directory, else modinfo.
#
# Usage: vesp_module.sh [-v] [-p] [TEST]...

# shellcheck disable=SC2317 # test_* functions are called by name
source "$(dirname "$(readlink -f "$0")")/lib.sh"

TESTS="
	rmmod_with_devices	rmmod deletes vesp devices in every netns, even one being deleted
	reload			the module loads again and its devices work
"

vesp_module_path()
{
	local repo_module=$SELFTEST_DIR/../kmod/vesp.ko

	if [ -n "${VESP_MODULE:-}" ]; then
		echo "$VESP_MODULE"
	elif [ -e "$repo_module" ]; then
		readlink -f "$repo_module"
	else
		modinfo -n vesp 2> /dev/null
	fi
}

module_loaded()
{
	[ -d /sys/module/vesp ]
}

module_unloaded()
{
	! module_loaded
}

load_module()
{
	module_loaded || run_cmd insmod "$VESP_MODULE_PATH"
}

test_rmmod_with_devices()
{
	local ns_a ns_b dying underlay observer dev ns

	setup_ns ns_a ns_b dying underlay observer || return
	# Whatever happens below, later tests need the module.
	defer load_module
	defer ip link del vesp-mod0

	run_cmd ip link add vesp-mod0 type vesp
	check_err $? "add in init_net: $CMD_OUT" || return
	for dev in vesp0 vesp1; do
		vesp_rtnl "$ns_a" add "$dev" fwmark 1 flags 1
		check_err $? "add $dev in $ns_a: $CMD_OUT" || return
		vesp_rtnl "$dying" add "$dev"
		check_err $? "add $dev in $dying: $CMD_OUT" || return
	done
	ip -n "$ns_a" link set vesp0 up
	ip -n "$ns_a" addr add 10.0.0.1/32 peer 10.0.0.2/32 dev vesp0

	run_cmd ip -n "$ns_b" link add vesp9 type vesp
	check_err $? "add in $ns_b: $CMD_OUT" || return
	run_cmd ip -n "$ns_b" link set vesp9 netns "$ns_a" name vesp3
	check_err $? "move from $ns_b: $CMD_OUT" || return
	run_cmd ip -n "$ns_a" link add vesp0-moved type vesp
	check_err $? "add vesp0-moved: $CMD_OUT" || return
	run_cmd ip -n "$ns_a" link set vesp0-moved netns "$ns_b" name vesp0
	check_err $? "move to $ns_b: $CMD_OUT" || return

	# A device whose underlay netns is gone is still on the module's list.
	run_cmd ip -n "$underlay" link add vesp2 netns "$ns_a" type vesp
	check_err $? "add vesp2 from $underlay: $CMD_OUT" || return
	netns_delete_and_wait "$underlay" "$observer" || return
	check_eq "$(count_vesp "$ns_a")" 4 "vesp links in $ns_a"
	check_eq "$(count_vesp "$ns_b")" 1 "vesp links in $ns_b"

	# Devices hold no module reference, and nothing else may.
	check_eq "$(cat /sys/module/vesp/refcnt)" 0 "module refcount" || return

	# rmmod waits for the teardown of $dying, which races with it.
	ip netns delete "$dying"
	run_cmd rmmod vesp
	check_err $? "rmmod: $CMD_OUT" || return
	module_loaded && fail "/sys/module/vesp still there after rmmod"

	link_exists "" vesp-mod0 && fail "vesp-mod0 left in init_net"
	for ns in "$ns_a" "$ns_b"; do
		for dev in vesp0 vesp1 vesp2 vesp3; do
			link_exists "$ns" "$dev" && fail "$dev left in $ns"
		done
		check_eq "$(ip -n "$ns" -o link show | wc -l)" 1 \
			"links in $ns (only lo)"
	done
}

test_reload()
{
	local ns

	setup_ns ns || return
	defer load_module
	if module_loaded; then
		run_cmd rmmod vesp
		check_err $? "rmmod: $CMD_OUT" || return
	fi

	run_cmd insmod "$VESP_MODULE_PATH"
	check_err $? "insmod $VESP_MODULE_PATH: $CMD_OUT" || return
	module_loaded || fail "/sys/module/vesp missing after insmod"

	vesp_rtnl "$ns" add vesp0 mtu 1400 fwmark 4 flags 1
	check_err $? "add after reload: $CMD_OUT" || return
	check_eq "$(link_json "$ns" vesp0 .mtu)" 1400 "MTU"
	check_vesp_attrs "$ns" vesp0 4 1 "after reload"
	vesp_rtnl "$ns" set vesp0 fwmark 5
	check_err $? "changelink after reload: $CMD_OUT"
	check_vesp_attrs "$ns" vesp0 5 1 "changed after reload"
	run_cmd ip -n "$ns" link del vesp0
	check_err $? "delete after reload: $CMD_OUT"
	check_eq "$(count_vesp "$ns")" 0 "vesp links left"
}

# Built in, the module cannot be unloaded; without a file, not reloaded.
vesp_require()
{
	[ -e /sys/module/vesp/refcnt ] ||
		ktap_skip_all "vesp is built into the kernel"
	VESP_MODULE_PATH=$(vesp_module_path)
	[ -e "${VESP_MODULE_PATH:-/nonexistent}" ] ||
		ktap_skip_all "no vesp.ko to reload (set VESP_MODULE)"
}

vesp_run_tests "$@"
