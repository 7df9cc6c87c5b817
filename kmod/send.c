// SPDX-License-Identifier: GPL-2.0
/*
 * vesp transmit: from a packet routed into the device to ESP on the
 * underlay. Peer by longest prefix match on the inner destination, its
 * active SA and path, path MTU, sequence number, encryption, outer header.
 */

#include <linux/icmp.h>
#include <linux/icmpv6.h>
#include <linux/ip.h>
#include <linux/ipv6.h>
#include <linux/netdevice.h>
#include <net/dsfield.h>
#include <net/icmp.h>
#include <net/inet_ecn.h>
#include <net/ip.h>

#include "device.h"
#include "esp.h"
#include "netlink.h"
#include "path.h"
#include "peer.h"
#include "sa.h"
#include "send.h"

/* How often traffic without an SA may ask userspace for one. */
#define VESP_ACQUIRE_INTERVAL	HZ

static void vesp_send_acquire(struct vesp_peer *peer)
{
	unsigned long last = READ_ONCE(peer->acquire_sent);

	if (time_before(jiffies, last + VESP_ACQUIRE_INTERVAL) &&
	    last != 0)
		return;
	if (cmpxchg(&peer->acquire_sent, last, jiffies ?: 1) != last)
		return;
	vesp_nl_notify_acquire(peer->vesp, peer);
}

/* Tells the inner sender the largest packet that fits, as a router would. */
static void vesp_send_too_big(struct sk_buff *skb, unsigned int mtu)
{
	if (skb->protocol == htons(ETH_P_IP))
		icmp_ndo_send(skb, ICMP_DEST_UNREACH, ICMP_FRAG_NEEDED,
			      htonl(mtu));
#if IS_ENABLED(CONFIG_IPV6)
	else
		icmpv6_ndo_send(skb, ICMPV6_PKT_TOOBIG, 0,
				max_t(unsigned int, mtu, IPV6_MIN_MTU));
#endif
}

/**
 * vesp_send_finish() - after encryption: outer header, then the underlay
 * @skb: the ESP packet, data at the ESP header; VESP_SKB_CB() holds the SA
 *	reference and the request memory
 * @err: result of the encryption
 */
void vesp_send_finish(struct sk_buff *skb, int err)
{
	struct vesp_sa *sa = VESP_SKB_CB(skb)->sa;
	struct vesp_device *vesp = sa->vesp;
	struct vesp_esp_ctx c = *vesp_esp_ctx(skb);
	struct net *net;

	vesp_esp_free_tmp(skb);
	if (unlikely(err)) {
		vesp_count_drop(vesp, VESP_A_STATS_CRYPTO_ERROR, false);
		kfree_skb(skb);
		goto out;
	}
	rcu_read_lock();
	net = rcu_dereference(vesp->underlay_net);
	if (unlikely(!net)) {
		rcu_read_unlock();
		vesp_count_drop(vesp, VESP_A_STATS_TX_NO_PATH, false);
		kfree_skb(skb);
		goto out;
	}
	/* Probes are the module's own: they are not the device's traffic. */
	if (!c.probe)
		vesp_count_tx(vesp, c.inner_len);
	vesp_path_xmit(vesp, net, skb, &c);
	rcu_read_unlock();
out:
	vesp_sa_put(sa);
}

static u8 vesp_send_dsfield(struct vesp_device *vesp, struct sk_buff *skb)
{
	u8 inner = skb->protocol == htons(ETH_P_IP) ?
		   ipv4_get_dsfield(ip_hdr(skb)) :
		   ipv6_get_dsfield(ipv6_hdr(skb));
	u8 ds = 0;

	if (READ_ONCE(vesp->flags) & VESP_LINK_F_COPY_DSCP)
		ds = inner & ~INET_ECN_MASK;
	/* ECN is always copied (RFC 6040 normal mode): it is not a secret. */
	return INET_ECN_encapsulate(ds, inner);
}

/*
 * The part of transmission that data and probes share: sequence number,
 * lifetimes, encryption. Takes the reference of @dst; consumes @skb, or
 * returns the reason of the drop for the caller to count and free it.
 */
static int vesp_send_esp(struct vesp_device *vesp, struct vesp_sa *sa,
			 struct net *net, struct sk_buff *skb,
			 struct dst_entry *dst, struct vesp_esp_ctx *ctx,
			 u8 nexthdr, enum vesp_stats_attr *reason)
{
	enum vesp_seq_verdict verdict;
	int ret;

	if (unlikely(!vesp_sa_get(sa))) {
		dst_release(dst);
		*reason = VESP_A_STATS_TX_NO_SA;
		return -ENOENT;
	}
	verdict = vesp_seq_next(&sa->seq, &ctx->seq);
	if (unlikely(verdict != VESP_SEQ_OK)) {
		if (verdict == VESP_SEQ_SOFT_LIMIT) {
			set_bit(VESP_SA_SEQ_WARNED, &sa->state);
			vesp_device_kick_expiry(vesp);
		} else {
			if (verdict == VESP_SEQ_HARD_LIMIT) {
				set_bit(VESP_SA_HARD_EXPIRED, &sa->state);
				vesp_device_kick_expiry(vesp);
			}
			vesp_sa_put(sa);
			dst_release(dst);
			*reason = VESP_A_STATS_TX_SEQ_EXHAUSTED;
			return -ENOSPC;
		}
	}
	vesp_sa_account(sa, skb->len);
	ctx->inner_len = skb->len;

	/* From here on the packet belongs to the underlay. */
	skb_scrub_packet(skb, !net_eq(net, dev_net(vesp->dev)));
	skb_dst_set(skb, dst);
	skb->dev = dst->dev;

	ret = vesp_esp_encrypt(sa, skb, nexthdr, ctx);
	if (ret == -EINPROGRESS)
		return 0;
	if (VESP_SKB_CB(skb)->tmp) {
		if (!ret)
			vesp_esp_encrypt_finish(skb);
		vesp_send_finish(skb, ret);
		return 0;
	}
	vesp_sa_put(sa);
	*reason = VESP_A_STATS_CRYPTO_ERROR;
	return ret;
}

/**
 * vesp_send_probe() - send a liveness probe on a path
 * @vesp: the device
 * @sa: the active outbound SA; probes use sequence numbers and count
 *	against lifetimes like any packet
 * @path: the path to probe, whether or not it is the active one
 * @payload: the probe, carried as an ESP dummy packet (next header 59)
 * @len: its length
 *
 * Context: BHs disabled, in an RCU read-side section.
 * Return: 0 if the probe went to the crypto, a negative errno if not
 * (no route on the path is not counted as a drop: probing is how a dead
 * path is found to work again).
 */
int vesp_send_probe(struct vesp_device *vesp, struct vesp_sa *sa,
		    struct vesp_path *path, const void *payload,
		    unsigned int len)
{
	struct vesp_esp_ctx ctx = { .probe = true, .df = true };
	enum vesp_stats_attr reason;
	unsigned int headroom;
	struct dst_entry *dst;
	struct sk_buff *skb;
	struct net *net;
	int ret;

	net = rcu_dereference(vesp->underlay_net);
	if (!net)
		return -ENETUNREACH;
	dst = vesp_path_route(vesp, path, net, &ctx.saddr, &ctx.daddr);
	if (IS_ERR(dst))
		return PTR_ERR(dst);
	headroom = LL_MAX_HEADER + VESP_MAX_OVERHEAD;
	skb = alloc_skb(headroom + len + VESP_MAX_OVERHEAD, GFP_ATOMIC);
	if (!skb) {
		dst_release(dst);
		return -ENOMEM;
	}
	skb_reserve(skb, headroom);
	skb_put_data(skb, payload, len);
	ctx.family = path->family;
	ret = vesp_send_esp(vesp, sa, net, skb, dst, &ctx, IPPROTO_NONE,
			    &reason);
	if (ret) {
		vesp_count_drop(vesp, reason, false);
		kfree_skb(skb);
	}
	return ret;
}

/**
 * vesp_send() - transmit one inner packet
 * @vesp: the device
 * @skb: IPv4 or IPv6 packet, network header checked by the caller
 *
 * Context: ndo_start_xmit, BHs disabled, in an RCU read-side section.
 */
void vesp_send(struct vesp_device *vesp, struct sk_buff *skb)
{
	enum vesp_stats_attr reason;
	struct vesp_esp_ctx ctx = {};
	struct dst_entry *dst;
	struct vesp_path *path;
	struct vesp_peer *peer;
	unsigned int mtu;
	struct vesp_sa *sa;
	struct net *net;
	bool is_v4;
	u8 nexthdr;

	is_v4 = skb->protocol == htons(ETH_P_IP);
	peer = is_v4 ?
	       vesp_prefixes_lookup(&vesp->prefixes, AF_INET, &ip_hdr(skb)->daddr) :
	       vesp_prefixes_lookup(&vesp->prefixes, AF_INET6, &ipv6_hdr(skb)->daddr);
	if (unlikely(!peer)) {
		reason = VESP_A_STATS_TX_NO_PEER;
		goto drop;
	}
	sa = rcu_dereference(peer->tx_sa);
	if (unlikely(!sa || !vesp_sa_usable(sa))) {
		vesp_send_acquire(peer);
		reason = VESP_A_STATS_TX_NO_SA;
		goto drop;
	}
	path = rcu_dereference(peer->tx_path);
	net = rcu_dereference(vesp->underlay_net);
	if (unlikely(!path || !net)) {
		reason = VESP_A_STATS_TX_NO_PATH;
		goto drop;
	}
	dst = vesp_path_route(vesp, path, net, &ctx.saddr, &ctx.daddr);
	if (IS_ERR(dst)) {
		reason = VESP_A_STATS_TX_NO_PATH;
		goto drop;
	}

	mtu = vesp_esp_max_inner(sa, dst_mtu(dst) - vesp_path_outer_len(path));
	if (unlikely(skb->len > mtu)) {
		/* IPv4 without DF may be fragmented on the way, outer included. */
		if (!is_v4 || (ip_hdr(skb)->frag_off & htons(IP_DF))) {
			dst_release(dst);
			vesp_send_too_big(skb, mtu);
			reason = VESP_A_STATS_TX_TOO_BIG;
			goto drop;
		}
	} else {
		ctx.df = true;
	}

	ctx.family = path->family;
	ctx.dsfield = vesp_send_dsfield(vesp, skb);
	nexthdr = is_v4 ? IPPROTO_IPIP : IPPROTO_IPV6;
	if (!vesp_send_esp(vesp, sa, net, skb, dst, &ctx, nexthdr, &reason))
		return;

drop:
	vesp_count_drop(vesp, reason, false);
	kfree_skb(skb);
}
