/* SPDX-License-Identifier: ((GPL-2.0 WITH Linux-syscall-note) OR BSD-3-Clause) */
/*
 * vesp: route-based IPsec (ESP) tunnel interfaces.
 *
 * The one source of truth for the kernel module and userspace: rtnetlink
 * link attributes for "ip link add ... type vesp" and, later, the generic
 * netlink family "vesp".
 */
#ifndef _UAPI_LINUX_VESP_H
#define _UAPI_LINUX_VESP_H

#include <linux/types.h>

/** VESP_LINK_KIND - rtnl_link_ops kind, as in "ip link add ... type vesp" */
#define VESP_LINK_KIND "vesp"

/**
 * enum vesp_link_flags - bits of %IFLA_VESP_FLAGS
 * @VESP_LINK_F_COPY_DSCP: copy the DSCP of the inner packet to the outer
 *	header instead of sending outer packets with DSCP 0
 * @VESP_LINK_F_ALL: every defined flag; others are rejected
 */
enum vesp_link_flags {
	VESP_LINK_F_COPY_DSCP	= 1U << 0,

	VESP_LINK_F_ALL		= VESP_LINK_F_COPY_DSCP,
};

/**
 * enum vesp_link_attrs - attributes nested in IFLA_INFO_DATA of a vesp link
 * @IFLA_VESP_UNSPEC: unused
 * @IFLA_VESP_FWMARK: u32, firewall mark set on outer (ESP) packets, used to
 *	route the underlay by policy; 0 (default) sets no mark
 * @IFLA_VESP_FLAGS: u32, &enum vesp_link_flags; unknown bits are rejected
 * @__IFLA_VESP_MAX: one past the last attribute
 * @IFLA_VESP_MAX: the last attribute
 *
 * The attributes are validated strictly: unknown types, wrong lengths and
 * trailing data are rejected with an extended ACK message.
 */
enum vesp_link_attrs {
	IFLA_VESP_UNSPEC,
	IFLA_VESP_FWMARK,
	IFLA_VESP_FLAGS,

	__IFLA_VESP_MAX
};

#define IFLA_VESP_MAX (__IFLA_VESP_MAX - 1)

#endif /* _UAPI_LINUX_VESP_H */
