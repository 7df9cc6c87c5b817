// SPDX-License-Identifier: GPL-2.0
/*
 * vesp receive: ESP from the underlay to the device.
 *
 * vesp hooks protocol 50 through the XFRM protocol handler chains, ahead
 * of the kernel's own ESP. A packet whose SPI belongs to a vesp SA is
 * vesp's; any other goes on down the chain unchanged, so XFRM tunnels on
 * the same host keep working.
 */

#include <linux/icmp.h>
#include <linux/icmpv6.h>
#include <linux/ip.h>
#include <linux/ipv6.h>
#include <linux/netdevice.h>
#include <net/dsfield.h>
#include <net/esp.h>
#include <net/inet_ecn.h>
#include <net/ip.h>
#include <net/ip6_route.h>
#include <net/route.h>
#include <net/xfrm.h>

#include "device.h"
#include "esp.h"
#include "liveness.h"
#include "peer.h"
#include "receive.h"
#include "sa.h"
#include "trailer.h"

/* Runs before xfrm interfaces (10), VTI (100) and plain ESP (0). */
#define VESP_XFRM_PRIORITY	200

static void vesp_receive_drop(struct vesp_device *vesp, struct sk_buff *skb,
			      enum vesp_stats_attr reason)
{
	vesp_count_drop(vesp, reason, true);
	kfree_skb(skb);
}

/* Checks the inner header and trims the skb to the inner packet. */
static int vesp_receive_inner(struct sk_buff *skb, u8 next_hdr,
			      int *family, const void **saddr)
{
	skb_reset_network_header(skb);
	if (next_hdr == IPPROTO_IPIP) {
		const struct iphdr *iph;
		unsigned int len;

		if (!pskb_may_pull(skb, sizeof(*iph)))
			return -EINVAL;
		iph = ip_hdr(skb);
		len = ntohs(iph->tot_len);
		if (iph->version != 4 || iph->ihl < 5 || len < iph->ihl * 4 ||
		    len > skb->len)
			return -EINVAL;
		if (pskb_trim(skb, len))
			return -EINVAL;
		skb->protocol = htons(ETH_P_IP);
		*family = AF_INET;
		*saddr = &ip_hdr(skb)->saddr;
		return 0;
	}
	if (next_hdr == IPPROTO_IPV6) {
		const struct ipv6hdr *ip6h;
		unsigned int len;

		if (!pskb_may_pull(skb, sizeof(*ip6h)))
			return -EINVAL;
		ip6h = ipv6_hdr(skb);
		len = sizeof(*ip6h) + ntohs(ip6h->payload_len);
		if (ip6h->version != 6 || len > skb->len)
			return -EINVAL;
		if (pskb_trim(skb, len))
			return -EINVAL;
		skb->protocol = htons(ETH_P_IPV6);
		*family = AF_INET6;
		*saddr = &ipv6_hdr(skb)->saddr;
		return 0;
	}
	return -EPROTONOSUPPORT;
}

/* RFC 6040: congestion marked on the outer header reaches the inner one. */
static void vesp_receive_ecn(struct sk_buff *skb, u8 outer_dsfield)
{
	if (!INET_ECN_is_ce(outer_dsfield))
		return;
	if (skb->protocol == htons(ETH_P_IP))
		IP_ECN_set_ce(ip_hdr(skb));
	else
		IP6_ECN_set_ce(skb, ipv6_hdr(skb));
}

static enum vesp_stats_attr vesp_trailer_reason(enum vesp_trailer_verdict v)
{
	switch (v) {
	case VESP_TRAILER_BAD_PADDING:
		return VESP_A_STATS_RX_BAD_PADDING;
	case VESP_TRAILER_BAD_NEXTHDR:
		return VESP_A_STATS_RX_BAD_NEXT_HEADER;
	default:
		return VESP_A_STATS_RX_BAD_LENGTH;
	}
}

/**
 * vesp_receive_finish() - after decryption: checks, then up the device
 * @skb: the packet, data at the ESP header; VESP_SKB_CB() holds the SA
 *	reference and the request memory
 * @err: result of the decryption
 */
void vesp_receive_finish(struct sk_buff *skb, int err)
{
	struct vesp_sa *sa = VESP_SKB_CB(skb)->sa;
	struct vesp_esp_ctx c = *vesp_esp_ctx(skb);
	struct vesp_device *vesp = sa->vesp;
	unsigned int hdrlen = sizeof(struct ip_esp_hdr) + sa->ivlen;
	enum vesp_trailer_verdict verdict;
	struct vesp_peer *source_peer;
	struct vesp_trailer t;
	const void *saddr;
	int family;

	vesp_esp_free_tmp(skb);
	if (unlikely(err)) {
		vesp_receive_drop(vesp, skb, err == -EBADMSG ?
				  VESP_A_STATS_RX_AUTH_FAIL :
				  VESP_A_STATS_CRYPTO_ERROR);
		goto out;
	}
	/* Only an authenticated packet may move the window. */
	if (vesp_replay_advance(sa->replay, c.seq) != VESP_REPLAY_OK) {
		vesp_receive_drop(vesp, skb, VESP_A_STATS_RX_REPLAY);
		goto out;
	}
	verdict = vesp_trailer_parse_skb(skb, hdrlen,
					 skb->len - hdrlen - sa->icvlen, &t);
	/*
	 * Authenticated and new: the path it came on works, whatever it
	 * carries, and it may move the path (roaming). A dummy packet may
	 * be the peer's liveness probe.
	 */
	vesp_liveness_rx(sa, c.family, &c.saddr, &c.daddr, skb, hdrlen,
			 verdict == VESP_TRAILER_DUMMY ? t.payload_len : 0);
	if (verdict == VESP_TRAILER_DUMMY) {
		/* Probes and traffic flow confidentiality padding: not delivered. */
		consume_skb(skb);
		goto out;
	}
	if (verdict != VESP_TRAILER_OK) {
		vesp_receive_drop(vesp, skb, vesp_trailer_reason(verdict));
		goto out;
	}
	if (pskb_trim(skb, hdrlen + t.payload_len)) {
		vesp_receive_drop(vesp, skb, VESP_A_STATS_RX_BAD_LENGTH);
		goto out;
	}
	__skb_pull(skb, hdrlen);
	if (vesp_receive_inner(skb, t.next_hdr, &family, &saddr)) {
		vesp_receive_drop(vesp, skb, VESP_A_STATS_RX_BAD_LENGTH);
		goto out;
	}

	rcu_read_lock();
	source_peer = vesp_prefixes_lookup(&vesp->prefixes, family, saddr);
	if (source_peer != sa->peer || test_bit(VESP_SA_UNLINKED, &sa->state)) {
		rcu_read_unlock();
		vesp_receive_drop(vesp, skb, VESP_A_STATS_RX_POLICY);
		goto out;
	}
	rcu_read_unlock();

	vesp_sa_account(sa, skb->len);
	vesp_receive_ecn(skb, c.dsfield);
	skb_scrub_packet(skb, !net_eq(sa->net, dev_net(vesp->dev)));
	skb->dev = vesp->dev;
	skb->pkt_type = PACKET_HOST;
	skb->ip_summed = CHECKSUM_NONE;
	skb_reset_transport_header(skb);
	vesp_count_rx(vesp, skb->len);
	netif_rx(skb);
out:
	vesp_sa_put(sa);
}

/* An inbound SA was found: from here on the packet is vesp's. */
static int vesp_receive_sa(struct vesp_sa *sa, struct sk_buff *skb,
			   const struct vesp_esp_ctx *outer)
{
	struct vesp_device *vesp = sa->vesp;
	const struct ip_esp_hdr *esph;
	enum vesp_replay_verdict verdict;
	unsigned int min_len, body;
	u64 seq;
	int ret;

	if (!vesp_sa_usable(sa)) {
		vesp_receive_drop(vesp, skb, VESP_A_STATS_RX_SA_EXPIRED);
		return 0;
	}
	min_len = sizeof(*esph) + sa->ivlen + VESP_TRAILER_LEN + sa->icvlen;
	if (skb->len < min_len || !pskb_may_pull(skb, sizeof(*esph) + sa->ivlen)) {
		vesp_receive_drop(vesp, skb, VESP_A_STATS_RX_BAD_LENGTH);
		return 0;
	}
	body = skb->len - sizeof(*esph) - sa->ivlen - sa->icvlen;
	if (body % max(sa->blocksize, 4U)) {
		vesp_receive_drop(vesp, skb, VESP_A_STATS_RX_BAD_LENGTH);
		return 0;
	}
	esph = (const struct ip_esp_hdr *)skb->data;
	/* Cheap check before the expensive decryption; updated only after. */
	verdict = vesp_replay_check(sa->replay, ntohl(esph->seq_no), &seq);
	if (verdict != VESP_REPLAY_OK) {
		vesp_receive_drop(vesp, skb, VESP_A_STATS_RX_REPLAY);
		return 0;
	}
	if (!vesp_sa_get(sa)) {
		vesp_receive_drop(vesp, skb, VESP_A_STATS_RX_SA_EXPIRED);
		return 0;
	}
	ret = vesp_esp_decrypt(sa, skb, seq, outer);
	if (ret == -EINPROGRESS)
		return 0;
	if (!VESP_SKB_CB(skb)->tmp) {
		vesp_receive_drop(vesp, skb, VESP_A_STATS_CRYPTO_ERROR);
		vesp_sa_put(sa);
		return 0;
	}
	vesp_esp_decrypt_finish(skb);
	vesp_receive_finish(skb, ret);
	return 0;
}

/* Whether XFRM has a state for this ESP packet, or ICMP error about one. */
static bool vesp_spi_is_xfrms(struct sk_buff *skb, __be32 spi,
			      const xfrm_address_t *daddr,
			      unsigned short family)
{
	struct xfrm_state *x;

	x = xfrm_state_lookup(dev_net(skb->dev), skb->mark, daddr, spi,
			      IPPROTO_ESP, family);
	if (!x)
		return false;
	xfrm_state_put(x);
	return true;
}

/*
 * An SPI no vesp SA has: XFRM's if it has a state for it, otherwise
 * nobody's, and counted against the underlay netns.
 */
static int vesp_receive_unknown(struct sk_buff *skb, __be32 spi,
				const xfrm_address_t *daddr,
				unsigned short family)
{
	if (vesp_spi_is_xfrms(skb, spi, daddr, family))
		return -EINVAL;
	if (!vesp_device_count_unknown_spi(dev_net(skb->dev)))
		return -EINVAL;
	kfree_skb(skb);
	return 0;
}

/*
 * ESP of either family, data at the ESP header. Return: 0 when vesp took
 * the packet, a negative errno to leave it to the next handler.
 */
static int vesp_receive(struct sk_buff *skb, unsigned short family)
{
	struct vesp_esp_ctx outer = { .family = family };
	const struct ip_esp_hdr *esph;
	const xfrm_address_t *daddr;
	struct vesp_sa *sa;

	if (!pskb_may_pull(skb, sizeof(*esph)))
		return -EINVAL;
	esph = (const struct ip_esp_hdr *)skb->data;
	if (family == AF_INET) {
		daddr = (const xfrm_address_t *)&ip_hdr(skb)->daddr;
		outer.saddr.v4.s_addr = ip_hdr(skb)->saddr;
		outer.daddr.v4.s_addr = ip_hdr(skb)->daddr;
		outer.dsfield = ipv4_get_dsfield(ip_hdr(skb));
	} else {
		daddr = (const xfrm_address_t *)&ipv6_hdr(skb)->daddr;
		outer.saddr.v6 = ipv6_hdr(skb)->saddr;
		outer.daddr.v6 = ipv6_hdr(skb)->daddr;
		outer.dsfield = ipv6_get_dsfield(ipv6_hdr(skb));
	}
	sa = vesp_sa_lookup_rcu(dev_net(skb->dev), esph->spi);
	if (!sa)
		return vesp_receive_unknown(skb, esph->spi, daddr, family);
	return vesp_receive_sa(sa, skb, &outer);
}

static int vesp_esp4_rcv(struct sk_buff *skb)
{
	return vesp_receive(skb, AF_INET);
}

/* Not vesp's: UDP-encapsulated ESP goes to XFRM. */
static int vesp_esp_input(struct sk_buff *skb, int nexthdr, __be32 spi,
			  int encap_type)
{
	return -EINVAL;
}

/* Never called for vesp packets, which do not go through xfrm_input(). */
static int vesp_esp_rcv_cb(struct sk_buff *skb, int err)
{
	return 1;
}

/* Path MTU and redirects from the underlay, for ESP that XFRM did not send. */
static int vesp_esp4_err(struct sk_buff *skb, u32 info)
{
	const struct iphdr *iph = (const struct iphdr *)skb->data;
	const struct ip_esp_hdr *esph;
	struct net *net = dev_net(skb->dev);

	esph = (const struct ip_esp_hdr *)(skb->data + (iph->ihl << 2));
	if (vesp_spi_is_xfrms(skb, esph->spi,
			      (const xfrm_address_t *)&iph->daddr, AF_INET))
		return -ENOENT;
	switch (icmp_hdr(skb)->type) {
	case ICMP_DEST_UNREACH:
		if (icmp_hdr(skb)->code != ICMP_FRAG_NEEDED)
			return 0;
		ipv4_update_pmtu(skb, net, info, 0, IPPROTO_ESP);
		return 0;
	case ICMP_REDIRECT:
		ipv4_redirect(skb, net, 0, IPPROTO_ESP);
		return 0;
	}
	return 0;
}

static struct xfrm4_protocol vesp_esp4_protocol __read_mostly = {
	.handler	= vesp_esp4_rcv,
	.input_handler	= vesp_esp_input,
	.cb_handler	= vesp_esp_rcv_cb,
	.err_handler	= vesp_esp4_err,
	.priority	= VESP_XFRM_PRIORITY,
};

#if IS_ENABLED(CONFIG_IPV6)
static int vesp_esp6_rcv(struct sk_buff *skb)
{
	return vesp_receive(skb, AF_INET6);
}

static int vesp_esp6_err(struct sk_buff *skb, struct inet6_skb_parm *opt,
			 u8 type, u8 code, int offset, __be32 info)
{
	const struct ipv6hdr *ip6h = (const struct ipv6hdr *)skb->data;
	const struct ip_esp_hdr *esph;
	struct net *net = dev_net(skb->dev);

	esph = (const struct ip_esp_hdr *)(skb->data + offset);
	if (vesp_spi_is_xfrms(skb, esph->spi,
			      (const xfrm_address_t *)&ip6h->daddr, AF_INET6))
		return -ENOENT;
	if (type == ICMPV6_PKT_TOOBIG)
		ip6_update_pmtu(skb, net, info, 0, 0, sock_net_uid(net, NULL));
	else if (type == NDISC_REDIRECT)
		ip6_redirect(skb, net, skb->dev->ifindex, 0,
			     sock_net_uid(net, NULL));
	return 0;
}

static struct xfrm6_protocol vesp_esp6_protocol __read_mostly = {
	.handler	= vesp_esp6_rcv,
	.input_handler	= vesp_esp_input,
	.cb_handler	= vesp_esp_rcv_cb,
	.err_handler	= vesp_esp6_err,
	.priority	= VESP_XFRM_PRIORITY,
};
#endif

/**
 * vesp_receive_init() - start taking ESP from the network
 *
 * Return: 0 or a negative errno.
 */
int vesp_receive_init(void)
{
	int ret;

	ret = xfrm4_protocol_register(&vesp_esp4_protocol, IPPROTO_ESP);
	if (ret)
		return ret;
#if IS_ENABLED(CONFIG_IPV6)
	ret = xfrm6_protocol_register(&vesp_esp6_protocol, IPPROTO_ESP);
	if (ret) {
		xfrm4_protocol_deregister(&vesp_esp4_protocol, IPPROTO_ESP);
		return ret;
	}
#endif
	return 0;
}

/**
 * vesp_receive_uninit() - stop taking ESP from the network
 */
void vesp_receive_uninit(void)
{
#if IS_ENABLED(CONFIG_IPV6)
	xfrm6_protocol_deregister(&vesp_esp6_protocol, IPPROTO_ESP);
#endif
	xfrm4_protocol_deregister(&vesp_esp4_protocol, IPPROTO_ESP);
}
