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
#include <net/dst_cache.h>

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
 * @peer_entry: entry in &vesp_peer.path_list, under the update_lock
 * @id: chosen by userspace, unique within the peer
 * @family: AF_INET or AF_INET6
 * @local: outer source address; all zeroes lets routing choose
 * @remote: outer destination address
 * @priority: lower is preferred
 * @dst_cache: route to @remote, per CPU
 * @rcu: for freeing after readers are done
 */
struct vesp_path {
	struct list_head peer_entry;
	u32 id;
	u16 family;
	union vesp_addr local;
	union vesp_addr remote;
	u32 priority;
	struct dst_cache dst_cache;
	struct rcu_head rcu;
};

struct vesp_path *vesp_path_create(u32 id, u16 family,
				   const union vesp_addr *local,
				   const union vesp_addr *remote, u32 priority);
void vesp_path_free(struct vesp_path *path);
struct dst_entry *vesp_path_route(struct vesp_device *vesp,
				  struct vesp_path *path, struct net *net,
				  union vesp_addr *saddr);
int vesp_path_xmit(struct vesp_device *vesp, struct net *net,
		   struct sk_buff *skb, const struct vesp_esp_ctx *ctx);
unsigned int vesp_path_outer_len(const struct vesp_path *path);

#endif /* _VESP_PATH_H */
