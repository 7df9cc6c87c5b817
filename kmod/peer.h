/* SPDX-License-Identifier: GPL-2.0 */
/*
 * vesp peers: the other ends of a tunnel, each with its inner prefixes,
 * underlay paths and SAs.
 */
#ifndef _VESP_PEER_H
#define _VESP_PEER_H

#include <linux/list.h>
#include <linux/rcupdate.h>
#include <linux/spinlock.h>
#include <linux/timer.h>
#include <linux/types.h>

struct netlink_ext_ack;
struct vesp_device;
struct vesp_path;
struct vesp_sa;

/**
 * struct vesp_peer - one peer of a vesp device
 * @vesp: the device
 * @id: chosen by userspace, unique within the device, not 0
 * @vesp_entry: entry in &vesp_device.peer_list
 * @sa_list: the peer's SAs, both directions
 * @path_list: the peer's paths, lowest priority value first; an RCU list
 *	written under both the update_lock and @liveness_lock
 * @tx_sa: the active outbound SA, or NULL
 * @tx_path: the path outbound ESP takes, or NULL; written under both the
 *	update_lock and @liveness_lock, so holding either is enough to read it
 * @acquire_sent: jiffies of the last %VESP_CMD_ACQUIRE_NTF, rate limit
 * @liveness_lock: guards the liveness state of the peer and its paths;
 *	taken with BHs disabled, inside the update_lock
 * @liveness_timer: sends probes and judges the paths while liveness is on
 * @liveness_dead: the peer is going away: the timer must not be armed
 *	again; under @liveness_lock
 * @interval_ms: probe interval, 0 when liveness is off; written under both
 *	locks
 * @multiplier: intervals without a packet before a path is dead; likewise
 * @hold_down_ms: how long a better path must be alive before outbound
 *	traffic returns to it; likewise
 * @roaming: authenticated packets from a new address move their path;
 *	written under @liveness_lock, read locklessly by the receive path
 * @path_switches: automatic path switches; under @liveness_lock
 * @carrier_ok: counted in &vesp_device.carrier_peers: the peer has a
 *	usable outbound SA and a live path; under @liveness_lock
 * @rcu: for freeing after readers are done
 *
 * Lists and the RCU pointers are written under the device's update_lock;
 * the datapath reads @tx_sa and @tx_path under RCU. A peer is freed after
 * an RCU grace period that follows its removal from the prefix table, and
 * after its timer was stopped for good.
 */
struct vesp_peer {
	struct vesp_device *vesp;
	u32 id;
	struct list_head vesp_entry;
	struct list_head sa_list;
	struct list_head path_list;
	struct vesp_sa __rcu *tx_sa;
	struct vesp_path __rcu *tx_path;
	unsigned long acquire_sent;
	spinlock_t liveness_lock;	/* liveness state, see above */
	struct timer_list liveness_timer;
	bool liveness_dead;
	u32 interval_ms;
	u8 multiplier;
	u32 hold_down_ms;
	bool roaming;
	u32 path_switches;
	bool carrier_ok;
	struct rcu_head rcu;
};

struct vesp_peer *vesp_peer_create(struct vesp_device *vesp, u32 id,
				   struct netlink_ext_ack *extack);
void vesp_peer_remove(struct vesp_peer *peer);
void vesp_peer_remove_all(struct vesp_device *vesp);
struct vesp_peer *vesp_peer_find(struct vesp_device *vesp, u32 id);

int vesp_peer_add_path(struct vesp_peer *peer, struct vesp_path *path,
		       struct netlink_ext_ack *extack);
struct vesp_path *vesp_peer_find_path(struct vesp_peer *peer, u32 id);
void vesp_peer_remove_path(struct vesp_peer *peer, struct vesp_path *path);

int vesp_peer_add_sa(struct vesp_peer *peer, struct vesp_sa *sa, bool activate,
		     struct netlink_ext_ack *extack);
struct vesp_sa *vesp_peer_find_sa(struct vesp_peer *peer, u8 dir, u32 spi);
void vesp_peer_activate_sa(struct vesp_peer *peer, struct vesp_sa *sa);
void vesp_peer_remove_sa(struct vesp_peer *peer, struct vesp_sa *sa);

#endif /* _VESP_PEER_H */
