# SPDX-License-Identifier: GPL-2.0
# shellcheck shell=bash disable=SC2154 # repo and die come from run.sh
#
# Where the guest finds the checkout, sourced by run.sh; tools/
# test-harness.sh tests it alone.
#
# The checkout reaches the guest as a 9p share of its own, mounted in a
# directory no one but root may enter: wherever the clone lives (/tmp,
# /root, /var/tmp ...), the guest finds it, and a test that has another
# user run the checkout's files fails the same everywhere instead of
# only where the clone's directory happens to be private.
#
# Uses: repo, the checkout's real path on the host; die.

guest_checkout_dir=/run/vesp-checkout
guest_checkout=$guest_checkout_dir/$(basename "$repo")

# The guest mounts its own tmpfs over these, hiding the host's files.
is_hidden_in_guest()
{
	case "$1" in
	/tmp/*|/run/*|/var/tmp/*|/dev/*|/proc/*|/sys/*) return 0 ;;
	esac
	return 1
}

is_in_checkout()
{
	[[ "$1" == "$repo" || "$1" == "$repo"/* ]]
}

check_visible_in_guest()
{
	is_in_checkout "$1" && return
	if is_hidden_in_guest "$1"; then
		die "$1 is hidden in the VM, which mounts its own /$(cut -d/ -f2 <<<"$1")"
	fi
}

# The guest's path of a host PATH.
guest_path()
{
	if is_in_checkout "$1"; then
		echo "$guest_checkout${1#"$repo"}"
	else
		echo "$1"
	fi
}

# The job's first lines: mount the checkout. Where its host path is
# hidden under one of the guest's own tmpfs, a link from there finds it
# too, as a --cmd may name the host path.
job_prelude()
{
	local opts=ro,trans=virtio,version=9p2000.L,msize=262144,cache=loose
	local at

	at=$(printf %q "$guest_checkout")
	printf '%s\n' "set -e" \
		"mkdir -m 0700 $guest_checkout_dir" \
		"mkdir $at" \
		"mount -t 9p -o $opts checkout $at"
	if is_hidden_in_guest "$repo"; then
		printf '%s\n' "mkdir -p $(printf %q "$(dirname "$repo")")" \
			"ln -s $at $(printf %q "$repo")"
	fi
	echo "set +e"
}
