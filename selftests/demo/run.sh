#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# `make demo`: build everything, boot the test VM and show vesp at work
# between two sites keyed by vespd, over two underlay paths, one of which
# fails. Each site is a network namespace inside the VM; the VM itself
# has no network device to the outside.

set -eu

top=$(cd "$(dirname "$0")/../.." && pwd)

"$top/selftests/tools/deps.sh" demo
make -s -C "$top" all

echo "vesp demo: booting the test VM (software emulation takes ~20 s)"
# The VM's console is a terminal: colours only when ours is one too.
color=
[ -t 1 ] || color="NO_COLOR=1 "
exec "$top/selftests/vm/run.sh" --timeout 600 \
	--cmd "$color$top/selftests/demo/two-sites.sh"
