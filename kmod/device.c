// SPDX-License-Identifier: GPL-2.0
/*
 * vesp tunnel interfaces: creation, deletion, configuration through
 * rtnetlink ("ip link add vesp0 type vesp"), statistics, and what happens
 * when network namespaces go away.
 */

#include <linux/if_arp.h>
#include <linux/ip.h>
#include <linux/ipv6.h>
#include <linux/rtnetlink.h>
#include <linux/skbuff.h>
#include <linux/vesp.h>
#include <net/netns/generic.h>
#include <net/rtnetlink.h>

#include "device.h"
#include "lifetime.h"
#include "liveness.h"
#include "main.h"
#include "path.h"
#include "peer.h"
#include "send.h"

/* Every vesp device, in every netns. Protected by RTNL. */
static LIST_HEAD(vesp_device_list);

/**
 * struct vesp_net - per-netns state, for the netns as an underlay
 * @unknown_spi: ESP that arrived here for an SPI neither vesp nor XFRM has
 * @underlay_users: devices whose underlay this netns is; under RTNL,
 *	read locklessly by the receive path
 */
struct vesp_net {
	atomic64_t unknown_spi;
	unsigned int underlay_users;
};

static unsigned int vesp_net_id __read_mostly;

static const struct nla_policy vesp_link_policy[IFLA_VESP_MAX + 1] = {
	[IFLA_VESP_FWMARK]	= { .type = NLA_U32 },
	[IFLA_VESP_FLAGS]	= NLA_POLICY_MASK(NLA_U32, VESP_LINK_F_ALL),
};

static bool vesp_xmit_header_ok(struct sk_buff *skb)
{
	switch (skb->protocol) {
	case htons(ETH_P_IP):
		return pskb_network_may_pull(skb, sizeof(struct iphdr)) &&
		       ip_hdr(skb)->version == 4;
	case htons(ETH_P_IPV6):
		return pskb_network_may_pull(skb, sizeof(struct ipv6hdr)) &&
		       ipv6_hdr(skb)->version == 6;
	}
	return false;
}

static netdev_tx_t vesp_xmit(struct sk_buff *skb, struct net_device *dev)
{
	struct vesp_device *vesp = netdev_priv(dev);

	if (unlikely(!vesp_xmit_header_ok(skb))) {
		vesp_count_drop(vesp, VESP_A_STATS_TX_BAD_PROTOCOL, false);
		kfree_skb(skb);
		return NETDEV_TX_OK;
	}
	rcu_read_lock();
	vesp_send(vesp, skb);
	rcu_read_unlock();
	return NETDEV_TX_OK;
}

static void vesp_get_stats64(struct net_device *dev,
			     struct rtnl_link_stats64 *total)
{
	struct vesp_device *vesp = netdev_priv(dev);
	int cpu;

	for_each_possible_cpu(cpu) {
		const struct vesp_pcpu_stats *stats = per_cpu_ptr(vesp->stats, cpu);
		u64 rx_packets, rx_bytes, tx_packets, tx_bytes;
		u64 tx_carrier_errors, tx_dropped, rx_errors;
		unsigned int start;

		do {
			start = u64_stats_fetch_begin(&stats->syncp);
			rx_packets = u64_stats_read(&stats->rx_packets);
			rx_bytes = u64_stats_read(&stats->rx_bytes);
			tx_packets = u64_stats_read(&stats->tx_packets);
			tx_bytes = u64_stats_read(&stats->tx_bytes);
			tx_carrier_errors = u64_stats_read(&stats->tx_carrier_errors);
			tx_dropped = u64_stats_read(&stats->tx_dropped);
			rx_errors = u64_stats_read(&stats->rx_errors);
		} while (u64_stats_fetch_retry(&stats->syncp, start));

		total->rx_packets += rx_packets;
		total->rx_bytes += rx_bytes;
		total->tx_packets += tx_packets;
		total->tx_bytes += tx_bytes;
		total->tx_carrier_errors += tx_carrier_errors;
		total->tx_dropped += tx_dropped;
		total->rx_errors += rx_errors;
	}
	/* Carrier errors are a kind of transmit error, as on any other link. */
	total->tx_errors = total->tx_carrier_errors;
	total->rx_dropped += dev->stats.rx_dropped;
}

/**
 * vesp_device_read_drops() - sum the drop counters of every CPU
 * @vesp: the device
 * @drops: filled, indexed by &enum vesp_stats_attr
 */
void vesp_device_read_drops(struct vesp_device *vesp,
			    u64 drops[__VESP_A_STATS_MAX])
{
	struct vesp_net *vn;
	struct net *net;
	int cpu, i;

	memset(drops, 0, sizeof(u64) * __VESP_A_STATS_MAX);
	for_each_possible_cpu(cpu) {
		const struct vesp_pcpu_stats *stats = per_cpu_ptr(vesp->stats, cpu);
		u64 snap[__VESP_A_STATS_MAX];
		unsigned int start;

		do {
			start = u64_stats_fetch_begin(&stats->syncp);
			for (i = 0; i < __VESP_A_STATS_MAX; i++)
				snap[i] = u64_stats_read(&stats->drops[i]);
		} while (u64_stats_fetch_retry(&stats->syncp, start));
		for (i = 0; i < __VESP_A_STATS_MAX; i++)
			drops[i] += snap[i];
	}
	/* Unknown SPIs cannot be told apart by device: the underlay's count. */
	rcu_read_lock();
	net = rcu_dereference(vesp->underlay_net);
	if (net) {
		vn = net_generic(net, vesp_net_id);
		drops[VESP_A_STATS_RX_UNKNOWN_SPI] = atomic64_read(&vn->unknown_spi);
	}
	rcu_read_unlock();
}

/**
 * vesp_device_count_unknown_spi() - count ESP that nobody owns
 * @net: the netns it arrived in
 *
 * Context: softirq, RCU read-side section.
 * Return: true if counted (vesp devices use @net as underlay, so the
 * packet is taken to be meant for one of them), false to leave it alone.
 */
bool vesp_device_count_unknown_spi(struct net *net)
{
	struct vesp_net *vn = net_generic(net, vesp_net_id);

	if (!READ_ONCE(vn->underlay_users))
		return false;
	atomic64_inc(&vn->unknown_spi);
	return true;
}

/**
 * vesp_device_config_changed() - note a change for dumps in progress
 * @vesp: the device, update_lock held
 */
void vesp_device_config_changed(struct vesp_device *vesp)
{
	lockdep_assert_held(&vesp->update_lock);
	vesp->update_gen++;
}

/**
 * vesp_device_kick_expiry() - have the lifetime work run soon
 * @vesp: the device
 *
 * Context: any.
 */
void vesp_device_kick_expiry(struct vesp_device *vesp)
{
	if (!READ_ONCE(vesp->dead))
		mod_delayed_work(vesp_wq, &vesp->expiry_work, 0);
}

/**
 * vesp_device_set_fwmark() - change the mark of outer packets
 * @vesp: the device, update_lock held
 * @fwmark: the new mark
 *
 * Cached underlay routes were looked up with the old mark: forget them.
 */
void vesp_device_set_fwmark(struct vesp_device *vesp, u32 fwmark)
{
	struct vesp_peer *peer;
	struct vesp_path *path;

	lockdep_assert_held(&vesp->update_lock);
	WRITE_ONCE(vesp->fwmark, fwmark);
	list_for_each_entry(peer, &vesp->peer_list, vesp_entry)
		list_for_each_entry(path, &peer->path_list, peer_entry)
			dst_cache_reset(&path->dst_cache);
}

/**
 * vesp_device_set_flags() - change the device's &enum vesp_link_flags
 * @vesp: the device
 * @flags: the new flags, already checked against %VESP_LINK_F_ALL
 *
 * Context: process context; RTNL or the update_lock held.
 */
void vesp_device_set_flags(struct vesp_device *vesp, u32 flags)
{
	WRITE_ONCE(vesp->flags, flags);
	vesp_liveness_apply_carrier(vesp);
}

static void vesp_underlay_users_add(struct net *net, int delta)
{
	struct vesp_net *vn = net_generic(net, vesp_net_id);

	ASSERT_RTNL();
	WRITE_ONCE(vn->underlay_users, vn->underlay_users + delta);
}

/* Called under RTNL by register_netdevice(), before the device is visible. */
static int vesp_dev_init(struct net_device *dev)
{
	struct vesp_device *vesp = netdev_priv(dev);
	struct net *net = rtnl_dereference(vesp->underlay_net);

	vesp->stats = netdev_alloc_pcpu_stats(struct vesp_pcpu_stats);
	if (!vesp->stats)
		return -ENOMEM;
	mutex_init(&vesp->update_lock);
	spin_lock_init(&vesp->carrier_lock);
	INIT_LIST_HEAD(&vesp->peer_list);
	vesp_prefixes_init(&vesp->prefixes);
	INIT_DELAYED_WORK(&vesp->expiry_work, vesp_lifetime_work);
	list_add(&vesp->device_list, &vesp_device_list);
	if (net)
		vesp_underlay_users_add(net, 1);
	return 0;
}

/*
 * Called under RTNL on unregistration, and when registration fails.
 * Unpublishes every SA, so that nothing is received any more.
 */
static void vesp_dev_uninit(struct net_device *dev)
{
	struct vesp_device *vesp = netdev_priv(dev);
	struct net *net = rtnl_dereference(vesp->underlay_net);

	mutex_lock(&vesp->update_lock);
	WRITE_ONCE(vesp->dead, true);
	vesp_peer_remove_all(vesp);
	vesp_prefixes_free(&vesp->prefixes, &vesp->update_lock);
	mutex_unlock(&vesp->update_lock);
	cancel_delayed_work_sync(&vesp->expiry_work);
	list_del(&vesp->device_list);
	if (net)
		vesp_underlay_users_add(net, -1);
}

/*
 * The last reference is gone: nobody can read the counters any more.
 * Also called by register_netdevice() when it fails after vesp_dev_init().
 */
static void vesp_dev_free(struct net_device *dev)
{
	struct vesp_device *vesp = netdev_priv(dev);

	/* A packet that finished after unregistration may have kicked it. */
	cancel_delayed_work_sync(&vesp->expiry_work);
	free_percpu(vesp->stats);
	vesp->stats = NULL;
}

/* Called under RTNL; an MTU chosen by hand stops the automatic one. */
static int vesp_change_mtu(struct net_device *dev, int new_mtu)
{
	struct vesp_device *vesp = netdev_priv(dev);

	if (!vesp->mtu_setting_auto)
		vesp->mtu_set_by_user = true;
	dev->mtu = new_mtu;
	return 0;
}

static const struct net_device_ops vesp_netdev_ops = {
	.ndo_change_mtu		= vesp_change_mtu,
	.ndo_init		= vesp_dev_init,
	.ndo_uninit		= vesp_dev_uninit,
	.ndo_start_xmit		= vesp_xmit,
	.ndo_get_stats64	= vesp_get_stats64,
};

static void vesp_setup(struct net_device *dev)
{
	struct vesp_device *vesp = netdev_priv(dev);

	dev->netdev_ops = &vesp_netdev_ops;
	dev->type = ARPHRD_NONE;
	dev->flags = IFF_POINTOPOINT | IFF_NOARP;
	dev->priv_flags |= IFF_NO_QUEUE;
	dev->features |= NETIF_F_LLTX;
	dev->hard_header_len = 0;
	dev->addr_len = 0;
	dev->needed_headroom = LL_MAX_HEADER + VESP_MAX_OVERHEAD;
	dev->mtu = VESP_DEFAULT_MTU;
	dev->min_mtu = VESP_MIN_MTU;
	dev->max_mtu = VESP_MAX_MTU;
	dev->needs_free_netdev = true;
	dev->priv_destructor = vesp_dev_free;
	netif_keep_dst(dev);

	vesp->dev = dev;
}

/**
 * vesp_device_validate_info_data() - check IFLA_INFO_DATA of a vesp link
 * @info_data: the IFLA_INFO_DATA attribute
 * @extack: where to say what is wrong
 *
 * rtnetlink parses IFLA_INFO_DATA liberally, ignoring attribute types it
 * does not know; vesp wants unknown types, wrong lengths and trailing bytes
 * rejected, so that a tool newer than the module gets an error instead of
 * silently losing a setting.
 *
 * Return: 0 if valid, a negative errno with @extack set otherwise.
 */
int vesp_device_validate_info_data(const struct nlattr *info_data,
				   struct netlink_ext_ack *extack)
{
	return nla_validate_nested(info_data, IFLA_VESP_MAX, vesp_link_policy,
				   extack);
}

static int vesp_link_validate(struct nlattr *tb[], struct nlattr *data[],
			      struct netlink_ext_ack *extack)
{
	struct nlattr *info_data;

	if (tb[IFLA_ADDRESS] || tb[IFLA_BROADCAST]) {
		NL_SET_ERR_MSG_MOD(extack,
				   "vesp devices have no link-layer address");
		return -EINVAL;
	}
	if (!tb[IFLA_LINKINFO])
		return 0;
	info_data = nla_find_nested(tb[IFLA_LINKINFO], IFLA_INFO_DATA);
	if (!info_data)
		return 0;
	return vesp_device_validate_info_data(info_data, extack);
}

static void vesp_link_apply(struct vesp_device *vesp, struct nlattr *data[])
{
	if (!data)
		return;
	if (data[IFLA_VESP_FWMARK]) {
		mutex_lock(&vesp->update_lock);
		vesp_device_set_fwmark(vesp, nla_get_u32(data[IFLA_VESP_FWMARK]));
		mutex_unlock(&vesp->update_lock);
	}
	if (data[IFLA_VESP_FLAGS])
		vesp_device_set_flags(vesp, nla_get_u32(data[IFLA_VESP_FLAGS]));
}

static int vesp_newlink(struct net *src_net, struct net_device *dev,
			struct nlattr *tb[], struct nlattr *data[],
			struct netlink_ext_ack *extack)
{
	struct vesp_device *vesp = netdev_priv(dev);
	int ret;

	/*
	 * ESP travels in the netns the device was created from, even if the
	 * device itself is created in or later moved to another one.
	 */
	RCU_INIT_POINTER(vesp->underlay_net, src_net);
	vesp->mtu_set_by_user = !!tb[IFLA_MTU];
	ret = register_netdevice(dev);
	if (ret)
		return ret;
	vesp_link_apply(vesp, data);
	return 0;
}

static int vesp_changelink(struct net_device *dev, struct nlattr *tb[],
			   struct nlattr *data[],
			   struct netlink_ext_ack *extack)
{
	vesp_link_apply(netdev_priv(dev), data);
	return 0;
}

static size_t vesp_get_size(const struct net_device *dev)
{
	return nla_total_size(sizeof(u32)) +	/* IFLA_VESP_FWMARK */
	       nla_total_size(sizeof(u32));	/* IFLA_VESP_FLAGS */
}

static int vesp_fill_info(struct sk_buff *skb, const struct net_device *dev)
{
	const struct vesp_device *vesp = netdev_priv(dev);

	if (nla_put_u32(skb, IFLA_VESP_FWMARK, READ_ONCE(vesp->fwmark)) ||
	    nla_put_u32(skb, IFLA_VESP_FLAGS, READ_ONCE(vesp->flags)))
		return -EMSGSIZE;
	return 0;
}

static struct rtnl_link_ops vesp_link_ops __read_mostly = {
	.kind		= VESP_LINK_KIND,
	.priv_size	= sizeof(struct vesp_device),
	.maxtype	= IFLA_VESP_MAX,
	.policy		= vesp_link_policy,
	.setup		= vesp_setup,
	.validate	= vesp_link_validate,
	.newlink	= vesp_newlink,
	.changelink	= vesp_changelink,
	.get_size	= vesp_get_size,
	.fill_info	= vesp_fill_info,
};

/*
 * A dying netns takes the underlay of the devices created from it. The
 * devices themselves may live elsewhere and stay, without a carrier, as a
 * WireGuard device does; those living in the dying netns are deleted by
 * the core through rtnl_link_ops.
 */
static void vesp_netns_pre_exit(struct net *net)
{
	struct vesp_device *vesp;

	rtnl_lock();
	list_for_each_entry(vesp, &vesp_device_list, device_list) {
		if (rcu_access_pointer(vesp->underlay_net) != net)
			continue;
		/* Its inbound SAs are keyed by this netns: drop them all. */
		mutex_lock(&vesp->update_lock);
		vesp_peer_remove_all(vesp);
		RCU_INIT_POINTER(vesp->underlay_net, NULL);
		mutex_unlock(&vesp->update_lock);
		vesp_underlay_users_add(net, -1);
		netif_carrier_off(vesp->dev);
	}
	rtnl_unlock();
}

static struct pernet_operations vesp_netns_ops = {
	.pre_exit = vesp_netns_pre_exit,
	.id = &vesp_net_id,
	.size = sizeof(struct vesp_net),
};

/**
 * vesp_device_from_netdev() - the vesp part of a net_device
 * @dev: any net_device
 *
 * Return: the vesp device, or NULL if @dev is not a vesp device.
 */
struct vesp_device *vesp_device_from_netdev(const struct net_device *dev)
{
	if (dev->rtnl_link_ops != &vesp_link_ops)
		return NULL;
	return netdev_priv(dev);
}

static struct vesp_device *vesp_device_checked(struct net_device *dev)
{
	struct vesp_device *vesp;

	if (!dev)
		return NULL;
	vesp = vesp_device_from_netdev(dev);
	if (!vesp)
		dev_put(dev);
	return vesp;
}

/**
 * vesp_device_get_by_index() - find and hold a vesp device
 * @net: the netns to look in
 * @ifindex: its ifindex
 *
 * Return: the device, to be released with vesp_device_put(), or NULL if
 * there is no vesp device with that index.
 */
struct vesp_device *vesp_device_get_by_index(struct net *net, int ifindex)
{
	return vesp_device_checked(dev_get_by_index(net, ifindex));
}

/**
 * vesp_device_get_by_name() - find and hold a vesp device
 * @net: the netns to look in
 * @name: its name
 *
 * Return: the device, to be released with vesp_device_put(), or NULL.
 */
struct vesp_device *vesp_device_get_by_name(struct net *net, const char *name)
{
	return vesp_device_checked(dev_get_by_name(net, name));
}

/**
 * vesp_device_put() - release a device found by vesp_device_get_by_*()
 * @vesp: the device
 */
void vesp_device_put(struct vesp_device *vesp)
{
	dev_put(vesp->dev);
}

/**
 * vesp_device_init() - register the vesp link type
 *
 * Return: 0 or a negative errno.
 */
int vesp_device_init(void)
{
	int ret;

	ret = register_pernet_device(&vesp_netns_ops);
	if (ret)
		return ret;
	ret = rtnl_link_register(&vesp_link_ops);
	if (ret)
		goto err_unregister_pernet;
	return 0;

err_unregister_pernet:
	unregister_pernet_device(&vesp_netns_ops);
	return ret;
}

/**
 * vesp_device_uninit() - delete every vesp device and unregister the type
 */
void vesp_device_uninit(void)
{
	rtnl_link_unregister(&vesp_link_ops);
	unregister_pernet_device(&vesp_netns_ops);
}
