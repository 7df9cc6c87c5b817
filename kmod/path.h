/* SPDX-License-Identifier: GPL-2.0 */
/*
 * vesp underlay paths: where a peer's ESP packets go, and how they get
 * their outer header and route.
 */
#ifndef _VESP_PATH_H
#define _VESP_PATH_H

#include <linux/in.h>
#include <linux/in6.h>
#include <linux/list.h>
#include <linux/spinlock.h>
#include <net/dst_cache.h>

#include "liveness.h"

struct dst_entry;
struct net;
struct sk_buff;
struct vesp_device;
struct vesp_esp_ctx;

/**
 * union vesp_addr - an IPv4 or IPv6 address, network order
 * @v4: IPv4
 * @v6: IPv6
 */
union vesp_addr {
	struct in_addr v4;
	struct in6_addr v6;
};

/**
 * struct vesp_path - an underlay path to a peer
 * @peer_entry: entry in &vesp_peer.path_list, an RCU list written under
 *	both the update_lock and the peer's liveness_lock
 * @id: chosen by userspace, unique within the peer
 * @family: AF_INET or AF_INET6
 * @local: outer source address; all zeroes lets routing choose
 * @remote: outer destination address; roaming moves it, so it is read
 *	and written under @remote_lock (vesp_path_remote())
 * @remote_lock: guards @remote, and orders a roam's reset of @dst_cache
 *	after any route lookup that used the old @remote
 * @priority: lower is preferred
 * @dst_cache: route to @remote, per CPU
 * @live: liveness state, see &struct vesp_path_liveness
 * @rcu: for freeing after readers are done
 */
struct vesp_path {
	struct list_head peer_entry;
	u32 id;
	u16 family;
	union vesp_addr local;
	union vesp_addr remote;
	rwlock_t remote_lock;	/* remote, and dst_cache resets by roaming */
	u32 priority;
	struct dst_cache dst_cache;
	struct vesp_path_liveness live;
	struct rcu_head rcu;
};

struct vesp_path *vesp_path_create(u32 id, u16 family,
				   const union vesp_addr *local,
				   const union vesp_addr *remote, u32 priority);
void vesp_path_free(struct vesp_path *path);
struct dst_entry *vesp_path_route(struct vesp_device *vesp,
				  struct vesp_path *path, struct net *net,
				  union vesp_addr *saddr, union vesp_addr *daddr);
void vesp_path_remote(struct vesp_path *path, union vesp_addr *remote);
void vesp_path_move(struct vesp_path *path, const union vesp_addr *remote);
bool vesp_path_local_matches(const struct vesp_path *path,
			     const union vesp_addr *local);
int vesp_path_xmit(struct vesp_device *vesp, struct net *net,
		   struct sk_buff *skb, const struct vesp_esp_ctx *ctx);
unsigned int vesp_path_outer_len(const struct vesp_path *path);

#endif /* _VESP_PATH_H */
