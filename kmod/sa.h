/* SPDX-License-Identifier: GPL-2.0 */
/*
 * vesp security associations: keys, crypto transforms, sequence numbers,
 * lifetimes, and the inbound SPI table.
 */
#ifndef _VESP_SA_H
#define _VESP_SA_H

#include <crypto/aead.h>
#include <linux/atomic.h>
#include <linux/list.h>
#include <linux/refcount.h>
#include <linux/spinlock.h>
#include <linux/types.h>
#include <linux/workqueue.h>

#include "replay.h"

/* Anti-replay window of an inbound SA when userspace names none. */
#define VESP_REPLAY_WINDOW_DEFAULT	64

struct net;
struct vesp_device;
struct vesp_peer;

/**
 * struct vesp_sa_limits - soft and hard lifetimes; 0 means no limit
 * @soft_bytes: inner bytes after which userspace is told to rekey
 * @hard_bytes: inner bytes after which the SA is no longer used
 * @soft_packets: as @soft_bytes, in packets
 * @hard_packets: as @hard_bytes, in packets
 * @soft_seconds: age after which userspace is told to rekey
 * @hard_seconds: age after which the SA is deleted
 */
struct vesp_sa_limits {
	u64 soft_bytes;
	u64 hard_bytes;
	u64 soft_packets;
	u64 hard_packets;
	u32 soft_seconds;
	u32 hard_seconds;
};

/**
 * struct vesp_sa_config - what userspace asks for in %VESP_CMD_SA_NEW
 * @spi: SPI, host order
 * @dir: &enum vesp_sa_dir
 * @alg: &enum vesp_sa_alg
 * @enc_key: cipher key (and salt), or NULL
 * @enc_key_len: length of @enc_key
 * @auth_key: integrity key, or NULL
 * @auth_key_len: length of @auth_key
 * @esn: extended sequence numbers
 * @replay_window: inbound anti-replay window, 0 for none
 * @limits: lifetimes
 */
struct vesp_sa_config {
	u32 spi;
	u8 dir;
	u32 alg;
	const u8 *enc_key;
	unsigned int enc_key_len;
	const u8 *auth_key;
	unsigned int auth_key_len;
	bool esn;
	u32 replay_window;
	struct vesp_sa_limits limits;
};

/* Bits of &vesp_sa.state, set once and never cleared. */
enum vesp_sa_state_bit {
	VESP_SA_SOFT_EXPIRED,	/* soft limit reached, userspace told */
	VESP_SA_HARD_EXPIRED,	/* hard limit reached: not used any more */
	VESP_SA_SEQ_WARNED,	/* sequence number near its end */
	VESP_SA_UNLINKED,	/* removed from its peer and the SPI table */
	VESP_SA_SOFT_NOTIFIED,	/* userspace was told of SOFT_EXPIRED */
	VESP_SA_SEQ_NOTIFIED,	/* userspace was told of SEQ_WARNED */
};

/**
 * struct vesp_sa - one direction of a child SA
 * @spi_node: entry in the inbound SPI table, see sa.c; inbound SAs only
 * @peer_entry: entry in &vesp_peer.sa_list, under the device's update_lock
 * @peer: the peer this SA belongs to; the peer outlives its SAs' RCU
 *	readers, since it is freed after an RCU grace period that follows
 *	the removal of all of its SAs
 * @vesp: the device; the SA holds a reference to its net_device from
 *	the moment it is added to a peer, so that packets still in crypto
 *	can finish after the peer is gone
 * @net: underlay netns, the key of @spi_node with @spi
 * @refcnt: one for the peer's list, one for each packet in async crypto
 * @spi: SPI in network order, as it appears on the wire
 * @dir: &enum vesp_sa_dir
 * @alg: &enum vesp_sa_alg
 * @esn: 64-bit sequence numbers
 * @aead: the transform, keyed once at creation, then only read
 * @ivlen: bytes of IV on the wire
 * @icvlen: bytes of ICV on the wire
 * @blocksize: ESP payload is padded to a multiple of this
 * @seq: outbound: sequence numbers, never cycling
 * @replay: inbound: the anti-replay window and highest authenticated
 *	sequence number, with its own lock
 * @limits: lifetimes, written under the update_lock, read locklessly
 * @packets: packets processed
 * @bytes: inner bytes processed
 * @added: ktime_get_seconds() at creation
 * @state: &enum vesp_sa_state_bit flags
 * @free_work: frees the SA in process context after an RCU grace period
 */
struct vesp_sa {
	struct hlist_node spi_node;
	struct list_head peer_entry;
	struct vesp_peer *peer;
	struct vesp_device *vesp;
	struct net *net;
	refcount_t refcnt;
	__be32 spi;
	u8 dir;
	u32 alg;
	bool esn;
	struct crypto_aead *aead;
	unsigned int ivlen;
	unsigned int icvlen;
	unsigned int blocksize;
	struct vesp_seq seq;
	struct vesp_replay *replay;
	struct vesp_sa_limits limits;
	atomic64_t packets;
	atomic64_t bytes;
	time64_t added;
	unsigned long state;
	struct rcu_work free_work;
};

struct vesp_sa *vesp_sa_create(const struct vesp_sa_config *cfg,
			       struct netlink_ext_ack *extack);
void vesp_sa_put(struct vesp_sa *sa);
int vesp_sa_hash_insert(struct vesp_sa *sa, struct net *net,
			struct netlink_ext_ack *extack);
void vesp_sa_hash_remove(struct vesp_sa *sa);
struct vesp_sa *vesp_sa_lookup_rcu(const struct net *net, __be32 spi);
bool vesp_sa_usable(const struct vesp_sa *sa);
void vesp_sa_account(struct vesp_sa *sa, unsigned int bytes);
u64 vesp_sa_last_seq(const struct vesp_sa *sa);

static inline bool vesp_sa_get(struct vesp_sa *sa)
{
	return refcount_inc_not_zero(&sa->refcnt);
}

#endif /* _VESP_SA_H */
