// SPDX-License-Identifier: GPL-2.0
/*
 * vesp peers and what hangs off them: paths and SAs. Everything here runs
 * under the device's update_lock; the datapath only reads the RCU
 * pointers &vesp_peer.tx_sa and &vesp_peer.tx_path.
 */

#include <linux/lockdep.h>
#include <linux/netdevice.h>
#include <linux/slab.h>
#include <linux/vesp.h>
#include <net/netlink.h>

#include "device.h"
#include "liveness.h"
#include "path.h"
#include "peer.h"
#include "sa.h"

/* Limits against configuration mistakes; the messages below name them. */
#define VESP_MAX_PEERS		4096
#define VESP_MAX_PATHS		16
#define VESP_MAX_SAS		64

static void vesp_assert_locked(struct vesp_device *vesp)
{
	lockdep_assert_held(&vesp->update_lock);
}

/**
 * vesp_peer_find() - find a peer by ID
 * @vesp: the device, update_lock held
 * @id: peer ID
 *
 * Return: the peer or NULL.
 */
struct vesp_peer *vesp_peer_find(struct vesp_device *vesp, u32 id)
{
	struct vesp_peer *peer;

	vesp_assert_locked(vesp);
	list_for_each_entry(peer, &vesp->peer_list, vesp_entry)
		if (peer->id == id)
			return peer;
	return NULL;
}

/**
 * vesp_peer_create() - add a peer without prefixes, paths or SAs
 * @vesp: the device, update_lock held
 * @id: peer ID, not 0 and not in use
 * @extack: where to say what is wrong
 *
 * Return: the peer or an ERR_PTR().
 */
struct vesp_peer *vesp_peer_create(struct vesp_device *vesp, u32 id,
				   struct netlink_ext_ack *extack)
{
	struct vesp_peer *peer;

	vesp_assert_locked(vesp);
	if (vesp_peer_find(vesp, id)) {
		NL_SET_ERR_MSG(extack, "a peer with this ID exists");
		return ERR_PTR(-EEXIST);
	}
	if (vesp->peer_count >= VESP_MAX_PEERS) {
		NL_SET_ERR_MSG(extack,
			       "the device has the most peers it may have (4096)");
		return ERR_PTR(-ENOSPC);
	}
	peer = kzalloc(sizeof(*peer), GFP_KERNEL);
	if (!peer)
		return ERR_PTR(-ENOMEM);
	peer->vesp = vesp;
	peer->id = id;
	INIT_LIST_HEAD(&peer->sa_list);
	INIT_LIST_HEAD(&peer->path_list);
	vesp_liveness_peer_init(peer);
	list_add_tail(&peer->vesp_entry, &vesp->peer_list);
	vesp->peer_count++;
	vesp_device_config_changed(vesp);
	return peer;
}

/* Unpublish first: once unlinked the datapath cannot find the SA again. */
static void vesp_peer_unlink_sa(struct vesp_peer *peer, struct vesp_sa *sa)
{
	if (rcu_access_pointer(peer->tx_sa) == sa)
		RCU_INIT_POINTER(peer->tx_sa, NULL);
	set_bit(VESP_SA_UNLINKED, &sa->state);
	vesp_sa_hash_remove(sa);
	list_del(&sa->peer_entry);
	vesp_sa_put(sa);
	vesp_liveness_peer_changed(peer);
}

static void vesp_peer_free_rcu(struct rcu_head *rcu)
{
	kfree(container_of(rcu, struct vesp_peer, rcu));
}

/**
 * vesp_peer_remove() - delete a peer with its prefixes, paths and SAs
 * @peer: the peer; its device's update_lock held
 */
void vesp_peer_remove(struct vesp_peer *peer)
{
	struct vesp_device *vesp = peer->vesp;
	struct vesp_path *path, *ptmp;
	struct vesp_sa *sa, *stmp;

	vesp_assert_locked(vesp);
	/* First, so that no timer runs on what is taken apart below. */
	vesp_liveness_peer_shutdown(peer);
	vesp_prefixes_remove_by_peer(&vesp->prefixes, peer, &vesp->update_lock);
	list_for_each_entry_safe(sa, stmp, &peer->sa_list, peer_entry)
		vesp_peer_unlink_sa(peer, sa);
	spin_lock_bh(&peer->liveness_lock);
	RCU_INIT_POINTER(peer->tx_path, NULL);
	list_for_each_entry_safe(path, ptmp, &peer->path_list, peer_entry) {
		list_del_rcu(&path->peer_entry);
		vesp_path_free(path);
	}
	spin_unlock_bh(&peer->liveness_lock);
	list_del(&peer->vesp_entry);
	vesp->peer_count--;
	vesp_device_config_changed(vesp);
	/* Transmitters may still hold the peer from a prefix lookup. */
	call_rcu(&peer->rcu, vesp_peer_free_rcu);
}

/**
 * vesp_peer_remove_all() - delete every peer of a device
 * @vesp: the device, update_lock held
 */
void vesp_peer_remove_all(struct vesp_device *vesp)
{
	struct vesp_peer *peer, *tmp;

	vesp_assert_locked(vesp);
	list_for_each_entry_safe(peer, tmp, &vesp->peer_list, vesp_entry)
		vesp_peer_remove(peer);
}

/**
 * vesp_peer_find_path() - find a path of a peer by ID
 * @peer: the peer; its device's update_lock held
 * @id: path ID
 *
 * Return: the path or NULL.
 */
struct vesp_path *vesp_peer_find_path(struct vesp_peer *peer, u32 id)
{
	struct vesp_path *path;

	vesp_assert_locked(peer->vesp);
	list_for_each_entry(path, &peer->path_list, peer_entry)
		if (path->id == id)
			return path;
	return NULL;
}

/**
 * vesp_peer_add_path() - give a peer another underlay path
 * @peer: the peer; its device's update_lock held
 * @path: a new path; owned by the peer on success
 * @extack: where to say what is wrong
 *
 * The path with the lowest priority value carries outbound ESP.
 *
 * Return: 0 or a negative errno.
 */
int vesp_peer_add_path(struct vesp_peer *peer, struct vesp_path *path,
		       struct netlink_ext_ack *extack)
{
	struct vesp_path *pos;
	unsigned int n = 0;

	vesp_assert_locked(peer->vesp);
	if (vesp_peer_find_path(peer, path->id)) {
		NL_SET_ERR_MSG(extack, "the peer has a path with this ID");
		return -EEXIST;
	}
	list_for_each_entry(pos, &peer->path_list, peer_entry)
		n++;
	if (n >= VESP_MAX_PATHS) {
		NL_SET_ERR_MSG(extack,
			       "the peer has the most paths it may have (16)");
		return -ENOSPC;
	}
	/* Keep the list sorted by priority; equal ones in order of addition. */
	list_for_each_entry(pos, &peer->path_list, peer_entry)
		if (pos->priority > path->priority)
			break;
	spin_lock_bh(&peer->liveness_lock);
	list_add_tail_rcu(&path->peer_entry, &pos->peer_entry);
	spin_unlock_bh(&peer->liveness_lock);
	vesp_liveness_peer_changed(peer);
	vesp_device_config_changed(peer->vesp);
	return 0;
}

/**
 * vesp_peer_remove_path() - delete a path
 * @peer: the peer; its device's update_lock held
 * @path: one of its paths
 */
void vesp_peer_remove_path(struct vesp_peer *peer, struct vesp_path *path)
{
	vesp_assert_locked(peer->vesp);
	spin_lock_bh(&peer->liveness_lock);
	list_del_rcu(&path->peer_entry);
	spin_unlock_bh(&peer->liveness_lock);
	/* Moves tx_path off @path before the grace period that frees it. */
	vesp_liveness_peer_changed(peer);
	vesp_path_free(path);
	vesp_device_config_changed(peer->vesp);
}

/**
 * vesp_peer_find_sa() - find an SA of a peer
 * @peer: the peer; its device's update_lock held
 * @dir: &enum vesp_sa_dir
 * @spi: SPI, host order
 *
 * Return: the SA or NULL.
 */
struct vesp_sa *vesp_peer_find_sa(struct vesp_peer *peer, u8 dir, u32 spi)
{
	struct vesp_sa *sa;

	vesp_assert_locked(peer->vesp);
	list_for_each_entry(sa, &peer->sa_list, peer_entry)
		if (sa->dir == dir && be32_to_cpu(sa->spi) == spi)
			return sa;
	return NULL;
}

/**
 * vesp_peer_add_sa() - install an SA for a peer
 * @peer: the peer; its device's update_lock held
 * @sa: a new SA; its reference passes to the peer on success
 * @activate: outbound only: make it the SA in use at once
 * @extack: where to say what is wrong
 *
 * An inbound SA is published in the SPI table, where the receive path
 * finds it; an outbound one only when activated. Installing the new
 * inbound SA before switching the outbound one is what makes a rekey lose
 * nothing.
 *
 * Return: 0 or a negative errno.
 */
int vesp_peer_add_sa(struct vesp_peer *peer, struct vesp_sa *sa, bool activate,
		     struct netlink_ext_ack *extack)
{
	struct vesp_device *vesp = peer->vesp;
	struct vesp_sa *pos;
	unsigned int n = 0;
	struct net *net;
	int ret;

	vesp_assert_locked(vesp);
	if (vesp_peer_find_sa(peer, sa->dir, be32_to_cpu(sa->spi))) {
		NL_SET_ERR_MSG(extack,
			       "the peer has an SA with this SPI and direction");
		return -EEXIST;
	}
	list_for_each_entry(pos, &peer->sa_list, peer_entry)
		n++;
	if (n >= VESP_MAX_SAS) {
		NL_SET_ERR_MSG(extack,
			       "the peer has the most SAs it may have (64)");
		return -ENOSPC;
	}
	sa->peer = peer;
	if (sa->dir == VESP_SA_DIR_IN) {
		net = rcu_dereference_protected(vesp->underlay_net,
						lockdep_rtnl_is_held() ||
						lockdep_is_held(&vesp->update_lock));
		if (!net) {
			NL_SET_ERR_MSG(extack,
				       "the device's underlay netns is gone");
			return -ENETUNREACH;
		}
		ret = vesp_sa_hash_insert(sa, net, extack);
		if (ret)
			return ret;
	}
	/* Dropped when the SA is freed, after its last packet. */
	sa->vesp = vesp;
	dev_hold(vesp->dev);
	list_add_tail(&sa->peer_entry, &peer->sa_list);
	if (sa->dir == VESP_SA_DIR_OUT && activate)
		rcu_assign_pointer(peer->tx_sa, sa);
	vesp_liveness_peer_changed(peer);
	vesp_device_config_changed(vesp);
	vesp_device_kick_expiry(vesp);
	return 0;
}

/**
 * vesp_peer_activate_sa() - switch outbound traffic to another SA
 * @peer: the peer; its device's update_lock held
 * @sa: one of its outbound SAs
 *
 * One pointer store: every packet goes out under either the old or the
 * new SA, none is lost in between.
 */
void vesp_peer_activate_sa(struct vesp_peer *peer, struct vesp_sa *sa)
{
	vesp_assert_locked(peer->vesp);
	rcu_assign_pointer(peer->tx_sa, sa);
	vesp_liveness_peer_changed(peer);
	vesp_device_config_changed(peer->vesp);
}

/**
 * vesp_peer_remove_sa() - delete an SA
 * @peer: the peer; its device's update_lock held
 * @sa: one of its SAs
 */
void vesp_peer_remove_sa(struct vesp_peer *peer, struct vesp_sa *sa)
{
	vesp_assert_locked(peer->vesp);
	vesp_peer_unlink_sa(peer, sa);
	vesp_device_config_changed(peer->vesp);
}
