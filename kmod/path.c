// SPDX-License-Identifier: GPL-2.0
/*
 * vesp underlay paths: routing ESP packets in the underlay netns and
 * putting the outer IPv4 or IPv6 header on them.
 */

#include <linux/ip.h>
#include <linux/ipv6.h>
#include <linux/netdevice.h>
#include <linux/skbuff.h>
#include <linux/slab.h>
#include <net/ip.h>
#include <net/ip6_route.h>
#include <net/ipv6.h>
#include <net/route.h>

#include "device.h"
#include "esp.h"
#include "path.h"

/**
 * vesp_path_create() - make a path; the caller adds it to a peer
 * @id: path ID
 * @family: AF_INET or AF_INET6
 * @local: outer source address, all zeroes for "routing decides"
 * @remote: outer destination address
 * @priority: lower is preferred
 *
 * Return: the path or an ERR_PTR().
 */
struct vesp_path *vesp_path_create(u32 id, u16 family,
				   const union vesp_addr *local,
				   const union vesp_addr *remote, u32 priority)
{
	struct vesp_path *path;
	int ret;

	path = kzalloc(sizeof(*path), GFP_KERNEL);
	if (!path)
		return ERR_PTR(-ENOMEM);
	ret = dst_cache_init(&path->dst_cache, GFP_KERNEL);
	if (ret) {
		kfree(path);
		return ERR_PTR(ret);
	}
	path->id = id;
	path->family = family;
	path->local = *local;
	path->remote = *remote;
	rwlock_init(&path->remote_lock);
	path->priority = priority;
	vesp_liveness_path_init(path);
	return path;
}

static void vesp_path_free_rcu(struct rcu_head *rcu)
{
	struct vesp_path *path = container_of(rcu, struct vesp_path, rcu);

	dst_cache_destroy(&path->dst_cache);
	kfree(path);
}

/**
 * vesp_path_free() - free a path once transmitters are done with it
 * @path: a path no longer reachable from its peer
 */
void vesp_path_free(struct vesp_path *path)
{
	call_rcu(&path->rcu, vesp_path_free_rcu);
}

/**
 * vesp_path_outer_len() - bytes of outer header the path adds
 * @path: the path
 *
 * Return: the size of the outer IP header.
 */
unsigned int vesp_path_outer_len(const struct vesp_path *path)
{
	return path->family == AF_INET ? sizeof(struct iphdr) :
					 sizeof(struct ipv6hdr);
}

static struct dst_entry *vesp_path_route4(struct vesp_device *vesp,
					  struct vesp_path *path,
					  struct net *net, __be32 *saddr)
{
	struct flowi4 fl4 = {
		.daddr = path->remote.v4.s_addr,	/* remote_lock held */
		.saddr = path->local.v4.s_addr,
		.flowi4_proto = IPPROTO_ESP,
		.flowi4_mark = READ_ONCE(vesp->fwmark),
	};
	struct rtable *rt;

	rt = dst_cache_get_ip4(&path->dst_cache, saddr);
	if (rt)
		return &rt->dst;
	rt = ip_route_output_key(net, &fl4);
	if (IS_ERR(rt))
		return ERR_CAST(rt);
	if (rt->dst.dev == vesp->dev) {
		/* The underlay route points back into the tunnel: a loop. */
		ip_rt_put(rt);
		return ERR_PTR(-ELOOP);
	}
	*saddr = fl4.saddr;
	dst_cache_set_ip4(&path->dst_cache, &rt->dst, fl4.saddr);
	return &rt->dst;
}

static struct dst_entry *vesp_path_route6(struct vesp_device *vesp,
					  struct vesp_path *path,
					  struct net *net,
					  struct in6_addr *saddr)
{
#if IS_ENABLED(CONFIG_IPV6)
	struct flowi6 fl6 = {
		.daddr = path->remote.v6,	/* remote_lock held */
		.saddr = path->local.v6,
		.flowi6_proto = IPPROTO_ESP,
		.flowi6_mark = READ_ONCE(vesp->fwmark),
	};
	struct dst_entry *dst;

	dst = dst_cache_get_ip6(&path->dst_cache, saddr);
	if (dst)
		return dst;
	dst = ip6_route_output(net, NULL, &fl6);
	if (dst->error) {
		int err = dst->error;

		dst_release(dst);
		return ERR_PTR(err);
	}
	if (dst->dev == vesp->dev) {
		dst_release(dst);
		return ERR_PTR(-ELOOP);
	}
	if (ipv6_addr_any(&fl6.saddr)) {
		int err = ipv6_dev_get_saddr(net, ip6_dst_idev(dst)->dev,
					     &fl6.daddr, 0, &fl6.saddr);

		if (err) {
			dst_release(dst);
			return ERR_PTR(err);
		}
	}
	*saddr = fl6.saddr;
	dst_cache_set_ip6(&path->dst_cache, dst, &fl6.saddr);
	return dst;
#else
	return ERR_PTR(-EAFNOSUPPORT);
#endif
}

/**
 * vesp_path_route() - route the path in the underlay
 * @vesp: the device
 * @path: the path
 * @net: the underlay netns
 * @saddr: set to the outer source address
 * @daddr: set to the outer destination address, the remote the route is for
 *
 * The remote and the route are taken under one read lock of
 * &vesp_path.remote_lock, so that a route cached for an old remote is
 * always reset by the roam that replaced it.
 *
 * Context: BHs disabled (the route cache is per CPU).
 * Return: a referenced route, or an ERR_PTR().
 */
struct dst_entry *vesp_path_route(struct vesp_device *vesp,
				  struct vesp_path *path, struct net *net,
				  union vesp_addr *saddr, union vesp_addr *daddr)
{
	struct dst_entry *dst;

	read_lock(&path->remote_lock);
	*daddr = path->remote;
	if (path->family == AF_INET)
		dst = vesp_path_route4(vesp, path, net, &saddr->v4.s_addr);
	else
		dst = vesp_path_route6(vesp, path, net, &saddr->v6);
	read_unlock(&path->remote_lock);
	return dst;
}

/**
 * vesp_path_remote() - read the remote address of a path
 * @path: the path
 * @remote: set to its remote address
 *
 * Context: process context or softirq.
 */
void vesp_path_remote(struct vesp_path *path, union vesp_addr *remote)
{
	read_lock_bh(&path->remote_lock);
	*remote = path->remote;
	read_unlock_bh(&path->remote_lock);
}

/**
 * vesp_path_move() - give a path a new remote address (roaming)
 * @path: the path
 * @remote: the new remote, of the path's family
 *
 * Routes cached for the old remote are forgotten.
 *
 * Context: process context or softirq.
 */
void vesp_path_move(struct vesp_path *path, const union vesp_addr *remote)
{
	write_lock_bh(&path->remote_lock);
	path->remote = *remote;
	dst_cache_reset(&path->dst_cache);
	write_unlock_bh(&path->remote_lock);
}

/**
 * vesp_path_local_matches() - whether a local address is the path's own
 * @path: the path
 * @local: an address of the path's family
 *
 * Return: true if the path's local address is @local, or is unset
 * (routing chooses, so any local address may be the one).
 */
bool vesp_path_local_matches(const struct vesp_path *path,
			     const union vesp_addr *local)
{
	if (path->family == AF_INET)
		return !path->local.v4.s_addr ||
		       path->local.v4.s_addr == local->v4.s_addr;
	return ipv6_addr_any(&path->local.v6) ||
	       ipv6_addr_equal(&path->local.v6, &local->v6);
}

/**
 * vesp_path_xmit() - put the outer header on an ESP packet and send it
 * @vesp: the device
 * @net: the underlay netns
 * @skb: the ESP packet, data at the ESP header, with the route from
 *	vesp_path_route() attached
 * @ctx: outer addresses, DS field and DF bit
 *
 * Return: 0, or a negative errno if the packet was dropped (and freed).
 */
int vesp_path_xmit(struct vesp_device *vesp, struct net *net,
		   struct sk_buff *skb, const struct vesp_esp_ctx *ctx)
{
	unsigned int len = skb->len;
	int ret;

	skb->mark = READ_ONCE(vesp->fwmark);
	if (ctx->family == AF_INET) {
		struct iphdr *iph;

		skb_push(skb, sizeof(*iph));
		skb_reset_network_header(skb);
		iph = ip_hdr(skb);
		iph->version = 4;
		iph->ihl = sizeof(*iph) >> 2;
		iph->tos = ctx->dsfield;
		iph->tot_len = htons(skb->len);
		iph->frag_off = ctx->df ? htons(IP_DF) : 0;
		iph->ttl = ip4_dst_hoplimit(skb_dst(skb));
		iph->protocol = IPPROTO_ESP;
		iph->saddr = ctx->saddr.v4.s_addr;
		iph->daddr = ctx->daddr.v4.s_addr;
		skb->protocol = htons(ETH_P_IP);
		memset(IPCB(skb), 0, sizeof(*IPCB(skb)));
		ip_select_ident(net, skb, NULL);
		ret = ip_local_out(net, NULL, skb);
	} else {
#if IS_ENABLED(CONFIG_IPV6)
		struct ipv6hdr *ip6h;

		skb_push(skb, sizeof(*ip6h));
		skb_reset_network_header(skb);
		ip6h = ipv6_hdr(skb);
		ip6_flow_hdr(ip6h, ctx->dsfield, 0);
		ip6h->payload_len = htons(len);
		ip6h->nexthdr = IPPROTO_ESP;
		ip6h->hop_limit = ip6_dst_hoplimit(skb_dst(skb));
		ip6h->saddr = ctx->saddr.v6;
		ip6h->daddr = ctx->daddr.v6;
		skb->protocol = htons(ETH_P_IPV6);
		memset(IP6CB(skb), 0, sizeof(*IP6CB(skb)));
		/* The stack may fragment it: the inner sender was told the MTU. */
		skb->ignore_df = !ctx->df;
		ret = ip6_local_out(net, NULL, skb);
#else
		kfree_skb(skb);
		return -EAFNOSUPPORT;
#endif
	}
	return net_xmit_eval(ret) ? -ENOBUFS : 0;
}
