// SPDX-License-Identifier: GPL-2.0
/*
 * vesp device MTU. Until an administrator sets one, the device's MTU is
 * the largest inner packet that fits the underlay route of every peer's
 * active path once the active SA's overhead is added, so that nothing
 * routed into the tunnel needs fragmenting or an ICMP error first.
 */

#include <linux/netdevice.h>
#include <linux/rtnetlink.h>
#include <net/dst.h>

#include "device.h"
#include "esp.h"
#include "mtu.h"
#include "path.h"
#include "peer.h"
#include "sa.h"

/* The inner MTU for one peer, 0 if it cannot send yet. */
static unsigned int vesp_mtu_of_peer(struct vesp_device *vesp,
				     struct vesp_peer *peer, struct net *net)
{
	struct vesp_path *path;
	struct dst_entry *dst;
	union vesp_addr saddr, daddr;
	unsigned int mtu;
	struct vesp_sa *sa;

	path = rcu_dereference_protected(peer->tx_path,
					 lockdep_is_held(&vesp->update_lock));
	/* Freed only under the update_lock, so safe here even if not active. */
	sa = rcu_dereference_protected(peer->tx_sa,
				       lockdep_is_held(&vesp->update_lock));
	if (!path || !sa)
		return 0;
	/* The route cache is per CPU. */
	local_bh_disable();
	dst = vesp_path_route(vesp, path, net, &saddr, &daddr);
	local_bh_enable();
	if (IS_ERR(dst))
		return 0;
	mtu = dst_mtu(dst);
	dst_release(dst);
	if (mtu <= vesp_path_outer_len(path))
		return 0;
	return vesp_esp_max_inner(sa, mtu - vesp_path_outer_len(path));
}

/**
 * vesp_mtu_update() - follow the active paths and SAs with the MTU
 * @vesp: the device; neither RTNL nor its update_lock held
 *
 * Does nothing once the MTU was set by hand, or while no peer can send.
 */
void vesp_mtu_update(struct vesp_device *vesp)
{
	struct net_device *dev = vesp->dev;
	unsigned int mtu = 0, peer_mtu;
	struct vesp_peer *peer;
	struct net *net;

	rtnl_lock();
	if (vesp->mtu_set_by_user)
		goto out;
	mutex_lock(&vesp->update_lock);
	net = rtnl_dereference(vesp->underlay_net);
	if (net && !vesp->dead) {
		list_for_each_entry(peer, &vesp->peer_list, vesp_entry) {
			peer_mtu = vesp_mtu_of_peer(vesp, peer, net);
			if (peer_mtu && (!mtu || peer_mtu < mtu))
				mtu = peer_mtu;
		}
	}
	mutex_unlock(&vesp->update_lock);
	if (!mtu)
		goto out;
	mtu = clamp(mtu, dev->min_mtu, dev->max_mtu);
	if (mtu != dev->mtu) {
		vesp->mtu_setting_auto = true;
		dev_set_mtu(dev, mtu);
		vesp->mtu_setting_auto = false;
	}
out:
	rtnl_unlock();
}
