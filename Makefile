# SPDX-License-Identifier: GPL-2.0
#
# vesp: route-based IPsec tunnel interfaces.
#
#   make            build kmod/vesp.ko and the userspace programs
#   make check      run every test (unit, KUnit, static checks, VM selftests)
#   make demo       boot a VM and show two sites talking through vesp
#   make install    install the module and programs on this machine
#
# The kernel defaults to the newest one installed with both its build tree
# and its image (the VM boots that image); override with KVER= or KDIR=.

# Worked out when a recipe first needs it, not when make reads this file:
# `make check` and `make demo` install the kernel first, and a fresh
# machine has none before that. Never exported: a value found empty here
# would stick to every make and script below (KVER given on the command
# line still reaches them, as make passes command-line variables on).
KVER ?= $(shell for b in /lib/modules/*/build; do \
		v=$$(basename $$(dirname $$b)); \
		[ -e /boot/vmlinuz-$$v ] && [ -d $$b/ ] && echo $$v; \
	done | sort -V | tail -n 1)
KDIR ?= /lib/modules/$(KVER)/build
PREFIX ?= /usr/local

KBUILD_ARGS = -C $(KDIR) M=$(CURDIR) CONFIG_VESP=m W=1

.PHONY: all modules userspace selftests-build check demo install \
	modules_install clean deps

all: modules userspace selftests-build

modules:
	@if [ -z "$(KVER)" ] && [ ! -d "$(KDIR)" ]; then \
		echo "vesp: no kernel with both /lib/modules/V/build and /boot/vmlinuz-V;" \
		     "run 'selftests/tools/deps.sh build' or set KDIR=" >&2; exit 1; fi
	$(MAKE) $(KBUILD_ARGS) modules

userspace:
	$(MAKE) -C userspace

selftests-build:
	$(MAKE) -C selftests

deps:
	selftests/tools/deps.sh check

check:
	selftests/tools/check.sh

demo:
	selftests/demo/run.sh

modules_install: modules
	$(MAKE) $(KBUILD_ARGS) INSTALL_MOD_DIR=extra modules_install
	depmod -a $(KVER)

install: modules_install
	$(MAKE) -C userspace install PREFIX=$(PREFIX)

clean:
	$(MAKE) $(KBUILD_ARGS) clean
	$(MAKE) -C userspace clean
	$(MAKE) -C selftests clean
