/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The inner prefixes of a multipoint vesp device: a longest-prefix-match
 * table from IPv4 and IPv6 networks to the peers that reach them.
 */
#ifndef _VESP_PREFIXES_H
#define _VESP_PREFIXES_H

#include <linux/hashtable.h>
#include <linux/mutex.h>
#include <linux/types.h>

struct vesp_peer;
struct vesp_prefix_node;

/*
 * Most prefixes one device holds, both families together. Each costs one
 * or two 96-byte nodes, so a full table is about 3 MiB; the cap bounds
 * that and the time a peer's removal takes. A hub with a thousand spokes
 * of a dozen networks each still fits.
 */
#define VESP_PREFIXES_MAX		16384

/*
 * Buckets of the table's peer index, a power of two. The index is used by
 * writers and dumps only, never by packets, so a few peers per bucket at
 * the largest sizes cost nothing that matters.
 */
#define VESP_PREFIXES_PEER_HASH_BITS	7

/**
 * struct vesp_prefixes - longest-prefix-match table of one device
 * @root4: the IPv4 trie; written under the owner's lock, read under RCU
 * @root6: the IPv6 trie; written under the owner's lock, read under RCU
 * @peers: the peers that have prefixes here, each with the list of its
 *	prefixes (for removal and dumps); written under the owner's lock,
 *	read under RCU by vesp_prefixes_walk_peer()
 * @count: number of prefixes in both tries, at most %VESP_PREFIXES_MAX;
 *	under the owner's lock
 * @serial: the last serial number given to a prefix; a prefix gets the
 *	next one whenever it is inserted or moves to another peer, so each
 *	peer's prefixes are ordered by it (see vesp_prefixes_walk_peer());
 *	under the owner's lock
 *
 * "The owner's lock" is the mutex the owner of the table passes to every
 * function that changes it (the device's update lock); the table does not
 * know it otherwise, and asserts it with lockdep.
 */
struct vesp_prefixes {
	struct vesp_prefix_node __rcu *root4;
	struct vesp_prefix_node __rcu *root6;
	DECLARE_HASHTABLE(peers, VESP_PREFIXES_PEER_HASH_BITS);
	unsigned int count;
	u64 serial;
};

void vesp_prefixes_init(struct vesp_prefixes *t);
void vesp_prefixes_free(struct vesp_prefixes *t, struct mutex *lock);
int vesp_prefixes_insert(struct vesp_prefixes *t, int family,
			 const void *addr, u8 cidr,
			 struct vesp_peer *peer, struct mutex *lock);
int vesp_prefixes_remove(struct vesp_prefixes *t, int family,
			 const void *addr, u8 cidr,
			 struct vesp_peer *peer, struct mutex *lock);
void vesp_prefixes_remove_by_peer(struct vesp_prefixes *t,
				  struct vesp_peer *peer, struct mutex *lock);
struct vesp_peer *vesp_prefixes_lookup(struct vesp_prefixes *t, int family,
				       const void *addr);
int vesp_prefixes_walk_peer(struct vesp_prefixes *t, struct vesp_peer *peer,
			    u64 *pos,
			    int (*cb)(void *ctx, int family, const void *addr,
				      u8 cidr),
			    void *ctx);

#endif /* _VESP_PREFIXES_H */
