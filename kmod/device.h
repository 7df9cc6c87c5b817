/* SPDX-License-Identifier: GPL-2.0 */
/*
 * vesp tunnel interfaces: the net_device and its rtnl_link_ops.
 */
#ifndef _VESP_DEVICE_H
#define _VESP_DEVICE_H

#include <linux/mutex.h>
#include <linux/netdevice.h>
#include <linux/u64_stats_sync.h>
#include <linux/vesp.h>
#include <linux/workqueue.h>
#include <net/ip.h>
#include <net/net_namespace.h>

#include "prefixes.h"

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
 * @rx_errors: packets dropped on receive, for any reason
 * @drops: the reason of each drop, indexed by &enum vesp_stats_attr
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
	u64_stats_t rx_errors;
	u64_stats_t drops[__VESP_A_STATS_MAX];
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
 * @flags: &enum vesp_link_flags; written under RTNL or the update_lock,
 *	read locklessly
 * @stats: per-CPU counters, see &struct vesp_pcpu_stats
 * @update_lock: serialises every change of peers, paths and SAs
 * @peer_list: the peers, under @update_lock
 * @peer_count: entries in @peer_list, under @update_lock
 * @update_gen: bumped under @update_lock by every change, so that a dump
 *	that spans several messages can tell it saw a changing list
 * @prefixes: inner prefix to peer, written under @update_lock, read
 *	under RCU
 * @expiry_work: applies SA lifetimes and sends their events, taking
 *	@update_lock; scheduled by the datapath and once a second while any
 *	SA has a lifetime in seconds
 * @dead: set under @update_lock when the device is unregistered; no
 *	peer may be added after that
 * @mtu_set_by_user: the MTU was chosen by hand and is left alone; under
 *	RTNL
 * @mtu_setting_auto: vesp itself is changing the MTU; under RTNL
 * @carrier_lock: orders the carrier changes of different peers
 * @carrier_peers: peers with a usable outbound SA and a live path, see
 *	&vesp_peer.carrier_ok; under @carrier_lock
 */
struct vesp_device {
	struct net_device *dev;
	struct net __rcu *underlay_net;
	struct list_head device_list;
	u32 fwmark;
	u32 flags;
	struct vesp_pcpu_stats __percpu *stats;
	struct mutex update_lock;	/* peers, paths, SAs, update_gen */
	struct list_head peer_list;
	unsigned int peer_count;
	u32 update_gen;
	struct vesp_prefixes prefixes;
	struct delayed_work expiry_work;
	bool dead;
	bool mtu_set_by_user;
	bool mtu_setting_auto;
	spinlock_t carrier_lock;	/* carrier_peers, netif_carrier_*() */
	unsigned int carrier_peers;
};

/*
 * Counting from the datapath: BHs are disabled there, so the CPU cannot
 * change under this_cpu_ptr().
 */
static inline void vesp_count_drop(struct vesp_device *vesp,
				   enum vesp_stats_attr reason, bool rx)
{
	struct vesp_pcpu_stats *stats = this_cpu_ptr(vesp->stats);

	u64_stats_update_begin(&stats->syncp);
	u64_stats_inc(&stats->drops[reason]);
	if (rx)
		u64_stats_inc(&stats->rx_errors);
	else if (reason == VESP_A_STATS_TX_NO_SA ||
		 reason == VESP_A_STATS_TX_NO_PATH ||
		 reason == VESP_A_STATS_TX_NO_PEER)
		u64_stats_inc(&stats->tx_carrier_errors);
	else
		u64_stats_inc(&stats->tx_dropped);
	u64_stats_update_end(&stats->syncp);
}

static inline void vesp_count_tx(struct vesp_device *vesp, unsigned int len)
{
	struct vesp_pcpu_stats *stats = this_cpu_ptr(vesp->stats);

	u64_stats_update_begin(&stats->syncp);
	u64_stats_inc(&stats->tx_packets);
	u64_stats_add(&stats->tx_bytes, len);
	u64_stats_update_end(&stats->syncp);
}

static inline void vesp_count_rx(struct vesp_device *vesp, unsigned int len)
{
	struct vesp_pcpu_stats *stats = this_cpu_ptr(vesp->stats);

	u64_stats_update_begin(&stats->syncp);
	u64_stats_inc(&stats->rx_packets);
	u64_stats_add(&stats->rx_bytes, len);
	u64_stats_update_end(&stats->syncp);
}

int vesp_device_init(void);
void vesp_device_uninit(void);
struct vesp_device *vesp_device_get_by_index(struct net *net, int ifindex);
struct vesp_device *vesp_device_get_by_name(struct net *net,
					    const char *name);
void vesp_device_put(struct vesp_device *vesp);
void vesp_device_read_drops(struct vesp_device *vesp,
			    u64 drops[__VESP_A_STATS_MAX]);
void vesp_device_config_changed(struct vesp_device *vesp);
struct vesp_device *vesp_device_from_netdev(const struct net_device *dev);
void vesp_device_set_fwmark(struct vesp_device *vesp, u32 fwmark);
void vesp_device_set_flags(struct vesp_device *vesp, u32 flags);
void vesp_device_kick_expiry(struct vesp_device *vesp);
bool vesp_device_count_unknown_spi(struct net *net);

int vesp_device_validate_info_data(const struct nlattr *info_data,
				   struct netlink_ext_ack *extack);

#endif /* _VESP_DEVICE_H */
