// SPDX-License-Identifier: GPL-2.0
/*
 * vesp tunnel interfaces: creation, deletion, configuration through
 * rtnetlink ("ip link add vesp0 type vesp"), statistics, and what happens
 * when network namespaces go away.
 */

#include <linux/if_arp.h>
#include <linux/rtnetlink.h>
#include <linux/skbuff.h>
#include <linux/vesp.h>
#include <net/rtnetlink.h>

#include "device.h"

/* Every vesp device, in every netns. Protected by RTNL. */
static LIST_HEAD(vesp_device_list);

static const struct nla_policy vesp_link_policy[IFLA_VESP_MAX + 1] = {
	[IFLA_VESP_FWMARK]	= { .type = NLA_U32 },
	[IFLA_VESP_FLAGS]	= NLA_POLICY_MASK(NLA_U32, VESP_LINK_F_ALL),
};

static void vesp_count_tx_carrier_error(struct vesp_device *vesp)
{
	struct vesp_pcpu_stats *stats = this_cpu_ptr(vesp->stats);

	u64_stats_update_begin(&stats->syncp);
	u64_stats_inc(&stats->tx_carrier_errors);
	u64_stats_update_end(&stats->syncp);
}

static netdev_tx_t vesp_xmit(struct sk_buff *skb, struct net_device *dev)
{
	struct vesp_device *vesp = netdev_priv(dev);

	/* No SA can carry the packet yet: the link has no carrier to send on. */
	vesp_count_tx_carrier_error(vesp);
	kfree_skb(skb);
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
		u64 tx_carrier_errors, tx_dropped;
		unsigned int start;

		do {
			start = u64_stats_fetch_begin(&stats->syncp);
			rx_packets = u64_stats_read(&stats->rx_packets);
			rx_bytes = u64_stats_read(&stats->rx_bytes);
			tx_packets = u64_stats_read(&stats->tx_packets);
			tx_bytes = u64_stats_read(&stats->tx_bytes);
			tx_carrier_errors = u64_stats_read(&stats->tx_carrier_errors);
			tx_dropped = u64_stats_read(&stats->tx_dropped);
		} while (u64_stats_fetch_retry(&stats->syncp, start));

		total->rx_packets += rx_packets;
		total->rx_bytes += rx_bytes;
		total->tx_packets += tx_packets;
		total->tx_bytes += tx_bytes;
		total->tx_carrier_errors += tx_carrier_errors;
		total->tx_dropped += tx_dropped;
	}
	/* Carrier errors are a kind of transmit error, as on any other link. */
	total->tx_errors = total->tx_carrier_errors;
	total->rx_dropped += dev->stats.rx_dropped;
}

/* Called under RTNL by register_netdevice(), before the device is visible. */
static int vesp_dev_init(struct net_device *dev)
{
	struct vesp_device *vesp = netdev_priv(dev);

	vesp->stats = netdev_alloc_pcpu_stats(struct vesp_pcpu_stats);
	if (!vesp->stats)
		return -ENOMEM;
	list_add(&vesp->device_list, &vesp_device_list);
	return 0;
}

/* Called under RTNL on unregistration, and when registration fails. */
static void vesp_dev_uninit(struct net_device *dev)
{
	struct vesp_device *vesp = netdev_priv(dev);

	list_del(&vesp->device_list);
}

/*
 * The last reference is gone: nobody can read the counters any more.
 * Also called by register_netdevice() when it fails after vesp_dev_init().
 */
static void vesp_dev_free(struct net_device *dev)
{
	struct vesp_device *vesp = netdev_priv(dev);

	free_percpu(vesp->stats);
	vesp->stats = NULL;
}

static const struct net_device_ops vesp_netdev_ops = {
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
	if (data[IFLA_VESP_FWMARK])
		WRITE_ONCE(vesp->fwmark, nla_get_u32(data[IFLA_VESP_FWMARK]));
	if (data[IFLA_VESP_FLAGS])
		WRITE_ONCE(vesp->flags, nla_get_u32(data[IFLA_VESP_FLAGS]));
}

static int vesp_newlink(struct net *src_net, struct net_device *dev,
			struct nlattr *tb[], struct nlattr *data[],
			struct netlink_ext_ack *extack)
{
	struct vesp_device *vesp = netdev_priv(dev);

	/*
	 * ESP travels in the netns the device was created from, even if the
	 * device itself is created in or later moved to another one.
	 */
	RCU_INIT_POINTER(vesp->underlay_net, src_net);
	vesp_link_apply(vesp, data);
	return register_netdevice(dev);
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
		RCU_INIT_POINTER(vesp->underlay_net, NULL);
		netif_carrier_off(vesp->dev);
	}
	rtnl_unlock();
}

static struct pernet_operations vesp_netns_ops = {
	.pre_exit = vesp_netns_pre_exit,
};

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
