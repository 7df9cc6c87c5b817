#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# `make demo`: build everything, boot the test VM and show vesp at work
# between two sites. Each site is a network namespace inside the VM; the
# VM itself has no network device to the outside.

set -eu

top=$(cd "$(dirname "$0")/../.." && pwd)

"$top/selftests/tools/deps.sh" demo
make -s -C "$top" all

echo "vesp demo: booting the test VM (software emulation takes ~20 s)"
exec "$top/selftests/vm/run.sh" --cmd "$top/selftests/demo/two-sites.sh"
