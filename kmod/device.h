/* SPDX-License-Identifier: GPL-2.0 */
/*
 * vesp tunnel interfaces: the net_device and its rtnl_link_ops.
 */
#ifndef _VESP_DEVICE_H
#define _VESP_DEVICE_H

#include <linux/netdevice.h>
#include <linux/u64_stats_sync.h>
#include <net/ip.h>
#include <net/net_namespace.h>

struct nlattr;
struct netlink_ext_ack;

/*
 * Worst-case bytes that ESP tunnel mode adds to an inner packet: outer IPv6
 * header, UDP encapsulation, ESP header, a 16-byte IV, up to 15 bytes of
 * padding to a 16-byte block, pad length and next header, a 16-byte ICV.
 */
#define VESP_MAX_OVERHEAD	(40 + 8 + 8 + 16 + 15 + 2 + 16)
#define VESP_MIN_MTU		68
#define VESP_MAX_MTU		(IP_MAX_MTU - VESP_MAX_OVERHEAD)
#define VESP_DEFAULT_MTU	(ETH_DATA_LEN - VESP_MAX_OVERHEAD)

/**
 * struct vesp_pcpu_stats - per-CPU counters of one vesp device
 * @rx_packets: packets decapsulated and delivered to the stack
 * @rx_bytes: inner bytes of @rx_packets
 * @tx_packets: packets encapsulated and handed to the underlay
 * @tx_bytes: inner bytes of @tx_packets
 * @tx_carrier_errors: packets dropped because no SA or path can carry them
 * @tx_dropped: packets dropped on transmit for any other reason
 * @syncp: lets 32-bit readers see consistent 64-bit values
 *
 * Written only by the CPU that owns them, with BHs disabled; read by
 * ndo_get_stats64 under u64_stats_fetch_begin/retry.
 */
struct vesp_pcpu_stats {
	u64_stats_t rx_packets;
	u64_stats_t rx_bytes;
	u64_stats_t tx_packets;
	u64_stats_t tx_bytes;
	u64_stats_t tx_carrier_errors;
	u64_stats_t tx_dropped;
	struct u64_stats_sync syncp;
};

/**
 * struct vesp_device - private part of a vesp net_device
 * @dev: the net_device this is the private area of
 * @underlay_net: netns in which ESP packets are sent and received: the one
 *	the device was created in, even after the device moves. Cleared when
 *	that netns dies. Written under RTNL, read under RCU.
 * @device_list: entry in the module's list of devices, under RTNL
 * @fwmark: mark for outer packets, %IFLA_VESP_FWMARK; written under RTNL,
 *	read locklessly on transmit
 * @flags: &enum vesp_link_flags; written under RTNL, read locklessly
 * @stats: per-CPU counters, see &struct vesp_pcpu_stats
 */
struct vesp_device {
	struct net_device *dev;
	struct net __rcu *underlay_net;
	struct list_head device_list;
	u32 fwmark;
	u32 flags;
	struct vesp_pcpu_stats __percpu *stats;
};

int vesp_device_init(void);
void vesp_device_uninit(void);

int vesp_device_validate_info_data(const struct nlattr *info_data,
				   struct netlink_ext_ack *extack);

#endif /* _VESP_DEVICE_H */
