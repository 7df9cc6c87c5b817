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
	$(MAKE) $(KBUILD_ARGS) INSTALL_MOD_DIR=extra INSTALL_MOD_PATH=$(DESTDIR) modules_install
	$(if $(DESTDIR),,depmod -a $(KVER))

install: modules_install
	$(MAKE) -C userspace install PREFIX=$(PREFIX)

clean:
	$(MAKE) $(KBUILD_ARGS) clean
	$(MAKE) -C userspace clean
	$(MAKE) -C selftests clean

# ---------------------------------------------------------------------------
# Fitting into the system: the iproute2 plugin, systemd units, bash
# completion and DKMS source beside "make install"; "make uninstall"; and
# "make deb" for Debian packages (vesp and vesp-dkms, see debian/).
# Both install targets honour DESTDIR; PREFIX=/usr gives distribution paths.
#
#   make dkms-source   the module source and dkms.conf into $(DKMSDIR)
#   make deb           build/deb/*.deb via dpkg-buildpackage, then lintian

VERSION := $(shell sed -n 's/^\#define VESP_VERSION "\(.*\)"$$/\1/p' userspace/vesp/main.c)
SBINDIR ?= $(PREFIX)/sbin
MANDIR ?= $(PREFIX)/share/man
# ip looks in its compiled-in directory only, whatever PREFIX is.
IPLIBDIR ?= /usr/lib/$(shell $(CC) -print-multiarch)/ip
ifeq ($(PREFIX),/usr)
UNITDIR ?= $(shell pkg-config --variable=systemdsystemunitdir systemd 2>/dev/null || echo /lib/systemd/system)
else
UNITDIR ?= $(PREFIX)/lib/systemd/system
endif
TMPFILESDIR ?= $(PREFIX)/lib/tmpfiles.d
COMPLETIONDIR ?= $(PREFIX)/share/bash-completion/completions
SYSCONFDIR ?= /etc
DKMSDIR ?= /usr/src/vesp-$(VERSION)
DEB_BUILD ?= build/deb

UNITS := vespd.service vespd@.service vesp-link@.service

.PHONY: iproute2 dist-install dkms-source uninstall deb dist-clean

all: iproute2

iproute2:
	$(MAKE) -C iproute2

clean: dist-clean

dist-clean:
	$(MAKE) -C iproute2 clean
	rm -rf $(DEB_BUILD)

install: dist-install

# The units name /usr/sbin/vespd and /etc; they get $(SBINDIR), $(SYSCONFDIR).
dist-install: iproute2
	$(MAKE) -C iproute2 install IPLIBDIR=$(IPLIBDIR)
	install -d $(DESTDIR)$(UNITDIR) $(DESTDIR)$(TMPFILESDIR) \
		$(DESTDIR)$(COMPLETIONDIR) $(DESTDIR)$(MANDIR)/man5 $(DESTDIR)$(SYSCONFDIR)
	for unit in $(UNITS); do \
		sed 's|/usr/sbin/|$(SBINDIR)/|g; s|/etc/|$(SYSCONFDIR)/|g' dist/systemd/$$unit \
			>$(DESTDIR)$(UNITDIR)/$$unit && \
		chmod 0644 $(DESTDIR)$(UNITDIR)/$$unit || exit 1; \
	done
	install -m 0644 dist/systemd/vespd.tmpfiles $(DESTDIR)$(TMPFILESDIR)/vespd.conf
	install -m 0644 dist/completion/vesp $(DESTDIR)$(COMPLETIONDIR)/vesp
	install -m 0644 $(wildcard Documentation/man/*.5) $(DESTDIR)$(MANDIR)/man5/
	# a configuration without tunnels, so that vespd.service starts; kept
	[ -e $(DESTDIR)$(SYSCONFDIR)/vespd.conf ] || \
		install -m 0644 dist/vespd.conf $(DESTDIR)$(SYSCONFDIR)/vespd.conf

dkms-source:
	install -d $(DESTDIR)$(DKMSDIR)/kmod $(DESTDIR)$(DKMSDIR)/uapi/linux
	install -m 0644 Kbuild $(DESTDIR)$(DKMSDIR)/
	install -m 0644 kmod/Kbuild kmod/Kconfig $(filter-out %.mod.c,$(wildcard kmod/*.[ch])) $(DESTDIR)$(DKMSDIR)/kmod/
	install -m 0644 uapi/linux/vesp.h $(DESTDIR)$(DKMSDIR)/uapi/linux/
	sed 's/#MODULE_VERSION#/$(VERSION)/' dist/dkms/dkms.conf >$(DESTDIR)$(DKMSDIR)/dkms.conf

# What install put there, /etc/vespd.conf excepted: it is the admin's.
uninstall:
	$(MAKE) -C iproute2 uninstall IPLIBDIR=$(IPLIBDIR)
	rm -f $(DESTDIR)$(SBINDIR)/vesp $(DESTDIR)$(SBINDIR)/vespd
	rm -f $(addprefix $(DESTDIR)$(MANDIR)/man8/,$(notdir $(wildcard Documentation/man/*.8)))
	rm -f $(addprefix $(DESTDIR)$(MANDIR)/man5/,$(notdir $(wildcard Documentation/man/*.5)))
	rm -f $(addprefix $(DESTDIR)$(UNITDIR)/,$(UNITS))
	rm -f $(DESTDIR)$(TMPFILESDIR)/vespd.conf $(DESTDIR)$(COMPLETIONDIR)/vesp
	rm -f $(DESTDIR)/lib/modules/$(KVER)/extra/kmod/vesp.ko
	-rmdir $(DESTDIR)/lib/modules/$(KVER)/extra/kmod 2>/dev/null
	$(if $(DESTDIR),,depmod -a $(KVER))

# dpkg-buildpackage writes into the parent directory: build in a copy of
# the tracked (and new, unignored) files under $(DEB_BUILD).
deb:
	rm -rf $(DEB_BUILD)
	mkdir -p $(DEB_BUILD)/vesp-$(VERSION)
	git ls-files -z --cached --others --exclude-standard | \
		xargs -0 cp --parents -t $(DEB_BUILD)/vesp-$(VERSION)
	cd $(DEB_BUILD)/vesp-$(VERSION) && dpkg-buildpackage -us -uc -b
	lintian --fail-on error,warning --info $(DEB_BUILD)/vesp_*.changes
