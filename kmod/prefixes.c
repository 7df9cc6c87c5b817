// SPDX-License-Identifier: GPL-2.0
/*
 * The inner prefixes of a multipoint vesp device: which peer an inner
 * destination is sent to, and which inner sources a peer may send from.
 *
 * Each family has a binary trie with path compression. A node stands for
 * one prefix; its two children hold longer prefixes inside it, chosen by
 * the first bit past it. Chains of nodes with one child and no peer are
 * never stored: a node without a peer (a "branch") exists only to join two
 * subtrees that differ at its length. Prefix lengths grow strictly along
 * every path, so a lookup visits at most 33 or 129 nodes and keeps the
 * last peer it passed: the longest match.
 *
 * Every peer with prefixes here has a &struct vesp_prefix_set listing its
 * nodes, so that removing a peer and dumping its prefixes cost what the
 * peer has, not what the table has. The table does not know the peer's
 * layout, so these sets live in a small hash table of their own.
 *
 * Lookups and dumps run under RCU alone; writers hold the mutex the caller
 * passes in. A node's peer is set before the node is published and is
 * only ever cleared afterwards: giving a prefix to another peer, or a
 * prefix to a branch, publishes a new node in place of the old one. So a
 * node joins at most one peer's list in its life, and a dump walking that
 * list under RCU can never be led into another peer's list.
 */

#include <asm/unaligned.h>
#include <linux/bitops.h>
#include <linux/lockdep.h>
#include <linux/rculist.h>
#include <linux/slab.h>
#include <linux/socket.h>

#include "prefixes.h"

/*
 * An address as one 128-bit number, most significant bit first, so that
 * bit n of the key is bit n of the address in both families: an IPv4
 * address fills the top 32 bits and leaves the rest zero.
 */
struct vesp_prefix_key {
	u64 hi;
	u64 lo;
};

/**
 * struct vesp_prefix_node - one prefix, or a branch, in a trie
 * @child: prefixes longer than this one and inside it, indexed by their
 *	bit number @cidr; written under the lock, read under RCU
 * @peer: the peer the prefix leads to, NULL for a branch. Set before the
 *	node is published and afterwards only cleared, under the lock; read
 *	under RCU
 * @key: the prefix, with the bits past @cidr zero; fixed
 * @cidr: the prefix length; fixed
 * @bits: 32 or 128: the family of the trie the node is in; fixed
 * @serial: where the prefix stands in its peer's list, see &struct
 *	vesp_prefixes; fixed
 * @peer_link: entry in &struct vesp_prefix_set.nodes of the peer, from
 *	publication until @peer is cleared; unused by branches. Under the
 *	lock, read under RCU
 * @parent: the node whose child this is, NULL for a root; under the lock,
 *	never read by readers
 * @rcu: frees the node once readers cannot see it
 */
struct vesp_prefix_node {
	struct vesp_prefix_node __rcu *child[2];
	struct vesp_peer __rcu *peer;
	struct vesp_prefix_key key;
	u8 cidr;
	u8 bits;
	u64 serial;
	struct list_head peer_link;
	struct vesp_prefix_node *parent;
	struct rcu_head rcu;
};

/**
 * struct vesp_prefix_set - the prefixes of one peer
 * @hnode: entry in &struct vesp_prefixes.peers, keyed by @peer; under the
 *	lock, read under RCU
 * @peer: the peer; fixed
 * @nodes: the nodes that lead to @peer, in increasing order of their
 *	serial numbers (a node is only ever added at the tail, with the
 *	table's newest serial). Never empty while the set is in the table.
 *	Under the lock, read under RCU
 * @rcu: frees the set once readers cannot see it
 */
struct vesp_prefix_set {
	struct hlist_node hnode;
	struct vesp_peer *peer;
	struct list_head nodes;
	struct rcu_head rcu;
};

#define deref_locked(p, lock) \
	rcu_dereference_protected(p, lockdep_is_held(lock))

/*
 * Lookups run in softirq context or with BHs off; dumps and tests hold
 * rcu_read_lock(). Either keeps nodes alive since RCU flavours merged.
 */
#define deref_reader(p) rcu_dereference_check(p, rcu_read_lock_bh_held())

/* Bits in an address of @family, 0 for a family the table does not hold. */
static u8 family_bits(int family)
{
	switch (family) {
	case AF_INET:
		return 32;
	case AF_INET6:
		return 128;
	}
	return 0;
}

static int bits_family(u8 bits)
{
	return bits == 32 ? AF_INET : AF_INET6;
}

static struct vesp_prefix_node __rcu **root_of(struct vesp_prefixes *t,
					       u8 bits)
{
	return bits == 32 ? &t->root4 : &t->root6;
}

/* Addresses come from packet headers and netlink: any alignment. */
static void key_load(struct vesp_prefix_key *k, u8 bits, const void *addr)
{
	if (bits == 32) {
		k->hi = (u64)get_unaligned_be32(addr) << 32;
		k->lo = 0;
	} else {
		k->hi = get_unaligned_be64(addr);
		k->lo = get_unaligned_be64(addr + 8);
	}
}

static void key_store(const struct vesp_prefix_key *k, u8 bits, u8 *addr)
{
	if (bits == 32) {
		put_unaligned_be32(k->hi >> 32, addr);
	} else {
		put_unaligned_be64(k->hi, addr);
		put_unaligned_be64(k->lo, addr + 8);
	}
}

/* Clears the bits of @k past the first @cidr (a shift by 64 is undefined). */
static void key_mask(struct vesp_prefix_key *k, u8 cidr)
{
	if (cidr == 0) {
		k->hi = 0;
		k->lo = 0;
	} else if (cidr <= 64) {
		k->hi &= ~0ULL << (64 - cidr);
		k->lo = 0;
	} else {
		k->lo &= ~0ULL << (128 - cidr);
	}
}

static bool key_equal(const struct vesp_prefix_key *a,
		      const struct vesp_prefix_key *b)
{
	return a->hi == b->hi && a->lo == b->lo;
}

/* How many leading bits @a and @b have in common: 128 if they are equal. */
static unsigned int key_common_bits(const struct vesp_prefix_key *a,
				    const struct vesp_prefix_key *b)
{
	u64 diff = a->hi ^ b->hi;

	if (diff)
		return 64 - fls64(diff);
	return 128 - fls64(a->lo ^ b->lo);
}

/* Bit @n of @k, counting from the most significant; @n < 128. */
static unsigned int key_bit(const struct vesp_prefix_key *k, unsigned int n)
{
	if (n < 64)
		return (k->hi >> (63 - n)) & 1;
	return (k->lo >> (127 - n)) & 1;
}

static bool key_in_node(const struct vesp_prefix_key *k,
			const struct vesp_prefix_node *node)
{
	return key_common_bits(k, &node->key) >= node->cidr;
}

/**
 * vesp_prefixes_init() - make an empty table
 * @t: the table
 */
void vesp_prefixes_init(struct vesp_prefixes *t)
{
	RCU_INIT_POINTER(t->root4, NULL);
	RCU_INIT_POINTER(t->root6, NULL);
	hash_init(t->peers);
	t->count = 0;
	t->serial = 0;
}

static struct vesp_prefix_set *set_find_locked(struct vesp_prefixes *t,
					       struct vesp_peer *peer,
					       struct mutex *lock)
{
	struct vesp_prefix_set *set;

	hash_for_each_possible_rcu(t->peers, set, hnode, (unsigned long)peer,
				   lockdep_is_held(lock))
		if (set->peer == peer)
			return set;
	return NULL;
}

static struct vesp_prefix_set *set_find_rcu(struct vesp_prefixes *t,
					    struct vesp_peer *peer)
{
	struct vesp_prefix_set *set;

	hash_for_each_possible_rcu(t->peers, set, hnode, (unsigned long)peer)
		if (set->peer == peer)
			return set;
	return NULL;
}

/* A set lives exactly as long as its peer has prefixes here. */
static void set_release_if_empty(struct vesp_prefix_set *set)
{
	if (!list_empty(&set->nodes))
		return;
	hash_del_rcu(&set->hnode);
	kfree_rcu(set, rcu);
}

/* The slot in the trie that points to @node. */
static struct vesp_prefix_node __rcu **node_slot(struct vesp_prefixes *t,
						 struct vesp_prefix_node *node)
{
	struct vesp_prefix_node *parent = node->parent;

	if (!parent)
		return root_of(t, node->bits);
	return &parent->child[key_bit(&node->key, parent->cidr)];
}

static struct vesp_prefix_node *node_alloc(const struct vesp_prefix_key *k,
					   u8 cidr, u8 bits)
{
	struct vesp_prefix_node *node;

	node = kzalloc(sizeof(*node), GFP_KERNEL);
	if (!node)
		return NULL;
	node->key = *k;
	key_mask(&node->key, cidr);
	node->cidr = cidr;
	node->bits = bits;
	INIT_LIST_HEAD(&node->peer_link);
	return node;
}

/*
 * Hangs @child below @parent, which is not published yet: publishing
 * @parent later orders this store before any reader can follow it.
 */
static void node_adopt(struct vesp_prefix_node *parent,
		       struct vesp_prefix_node *child)
{
	child->parent = parent;
	RCU_INIT_POINTER(parent->child[key_bit(&child->key, parent->cidr)],
			 child);
}

/* Takes @node, which has just left the trie, out of its peer's list. */
static void node_retire(struct vesp_prefix_node *node, struct mutex *lock)
{
	struct vesp_peer *peer = deref_locked(node->peer, lock);

	if (peer) {
		RCU_INIT_POINTER(node->peer, NULL);
		list_del_rcu(&node->peer_link);
	}
	kfree_rcu(node, rcu);
}

/* Puts @new, a copy of @old with another peer, in the trie in its place. */
static void node_replace(struct vesp_prefixes *t, struct vesp_prefix_node *old,
			 struct vesp_prefix_node *new, struct mutex *lock)
{
	struct vesp_prefix_node __rcu **slot = node_slot(t, old);
	struct vesp_prefix_node *child;
	int i;

	for (i = 0; i < 2; i++) {
		child = deref_locked(old->child[i], lock);
		RCU_INIT_POINTER(new->child[i], child);
		if (child)
			child->parent = new;
	}
	new->parent = old->parent;
	rcu_assign_pointer(*slot, new);
	/* Readers still on @old see its children until it is freed. */
	node_retire(old, lock);
}

/* Replaces @node, which has no other child than @child, by @child. */
static void node_splice(struct vesp_prefixes *t, struct vesp_prefix_node *node,
			struct vesp_prefix_node *child)
{
	struct vesp_prefix_node __rcu **slot = node_slot(t, node);

	if (child)
		child->parent = node->parent;
	rcu_assign_pointer(*slot, child);
	kfree_rcu(node, rcu);
}

/*
 * Follows the path of @k/@cidr from @slot down to the first slot that does
 * not hold a node whose prefix strictly contains @k/@cidr. *@parent is the
 * node that slot belongs to, NULL for the root.
 */
static struct vesp_prefix_node __rcu **
find_slot(struct vesp_prefix_node __rcu **slot, const struct vesp_prefix_key *k,
	  u8 cidr, struct vesp_prefix_node **parent, struct mutex *lock)
{
	struct vesp_prefix_node *node;

	*parent = NULL;
	while ((node = deref_locked(*slot, lock)) && node->cidr < cidr &&
	       key_in_node(k, node)) {
		*parent = node;
		slot = &node->child[key_bit(k, node->cidr)];
	}
	return slot;
}

/**
 * vesp_prefixes_insert() - make a prefix lead to a peer
 * @t: the table
 * @family: %AF_INET or %AF_INET6
 * @addr: the network, 4 or 16 bytes in network byte order, any alignment;
 *	bits past @cidr are ignored
 * @cidr: the prefix length, up to 32 or 128
 * @peer: the peer; it must be taken out of the table (for instance with
 *	vesp_prefixes_remove_by_peer()) and an RCU grace period must pass
 *	before it is freed
 * @lock: the table's lock, held by the caller
 *
 * A prefix already in the table moves to @peer, whichever peer it led to
 * before: the last writer wins. Lookups see either the old or the new
 * peer, never no peer.
 *
 * Context: Process context, with @lock held. Sleeps to allocate.
 * Return: 0, or -%EAFNOSUPPORT for another family, -%EINVAL for a prefix
 * length too long or no peer, -%ENOSPC if the table already holds
 * %VESP_PREFIXES_MAX prefixes and this one is new, -%ENOMEM.
 */
int vesp_prefixes_insert(struct vesp_prefixes *t, int family,
			 const void *addr, u8 cidr, struct vesp_peer *peer,
			 struct mutex *lock)
{
	struct vesp_prefix_node *node, *parent, *new, *branch = NULL;
	struct vesp_prefix_set *set, *new_set = NULL;
	struct vesp_prefix_node __rcu **slot;
	u8 bits = family_bits(family);
	struct vesp_peer *old = NULL;
	struct vesp_prefix_key k;
	unsigned int common = 0;
	bool exact;

	lockdep_assert_held(lock);

	if (!bits)
		return -EAFNOSUPPORT;
	if (cidr > bits || !peer)
		return -EINVAL;
	key_load(&k, bits, addr);
	key_mask(&k, cidr);

	slot = find_slot(root_of(t, bits), &k, cidr, &parent, lock);
	node = deref_locked(*slot, lock);
	exact = node && node->cidr == cidr && key_equal(&node->key, &k);
	if (exact) {
		old = deref_locked(node->peer, lock);
		if (old == peer)
			return 0;
	} else if (node) {
		/*
		 * @node is longer than @k/@cidr or leaves its path: either
		 * the new prefix goes above it (@common == @cidr) or a branch
		 * at the first bit where they differ joins the two.
		 */
		common = min_t(unsigned int, key_common_bits(&k, &node->key),
			       cidr);
	}
	/* Moving a prefix between peers or onto a branch adds none. */
	if (!old && t->count >= VESP_PREFIXES_MAX)
		return -ENOSPC;

	set = set_find_locked(t, peer, lock);
	if (!set) {
		new_set = kzalloc(sizeof(*new_set), GFP_KERNEL);
		if (!new_set)
			return -ENOMEM;
		new_set->peer = peer;
		INIT_LIST_HEAD(&new_set->nodes);
	}
	new = node_alloc(&k, cidr, bits);
	if (!new)
		goto err_free_set;
	if (node && !exact && common < cidr) {
		branch = node_alloc(&k, common, bits);
		if (!branch)
			goto err_free_new;
	}

	/* Nothing fails from here on. */
	if (new_set) {
		hash_add_rcu(t->peers, &new_set->hnode, (unsigned long)peer);
		set = new_set;
	}
	RCU_INIT_POINTER(new->peer, peer);
	new->serial = ++t->serial;
	list_add_tail_rcu(&new->peer_link, &set->nodes);
	if (!old)
		t->count++;

	if (exact) {
		struct vesp_prefix_set *old_set = NULL;

		if (old)
			old_set = set_find_locked(t, old, lock);
		node_replace(t, node, new, lock);
		if (old_set)
			set_release_if_empty(old_set);
	} else if (!node) {
		new->parent = parent;
		rcu_assign_pointer(*slot, new);
	} else if (!branch) {
		node_adopt(new, node);
		new->parent = parent;
		rcu_assign_pointer(*slot, new);
	} else {
		node_adopt(branch, node);
		node_adopt(branch, new);
		branch->parent = parent;
		rcu_assign_pointer(*slot, branch);
	}
	return 0;

err_free_new:
	kfree(new);
err_free_set:
	kfree(new_set);
	return -ENOMEM;
}

/*
 * Takes the prefix of @node out of the trie and @node out of its peer's
 * list, and frees what is no longer needed; the caller releases the set.
 */
static void prefix_remove(struct vesp_prefixes *t,
			  struct vesp_prefix_node *node, struct mutex *lock)
{
	struct vesp_prefix_node *child0 = deref_locked(node->child[0], lock);
	struct vesp_prefix_node *child1 = deref_locked(node->child[1], lock);
	struct vesp_prefix_node *parent = node->parent;
	struct vesp_prefix_node *child, *other;

	RCU_INIT_POINTER(node->peer, NULL);
	list_del_rcu(&node->peer_link);
	t->count--;

	/* It still joins two subtrees: it stays, as a branch. */
	if (child0 && child1)
		return;

	child = child0 ?: child1;
	node_splice(t, node, child);

	/*
	 * A branch always has two children; if @node was a leaf below one,
	 * the branch now has one and has no reason to be.
	 */
	if (!child && parent && !rcu_access_pointer(parent->peer)) {
		other = deref_locked(parent->child[0], lock) ?:
			deref_locked(parent->child[1], lock);
		node_splice(t, parent, other);
	}
}

/**
 * vesp_prefixes_remove() - take one prefix of a peer out of the table
 * @t: the table
 * @family: %AF_INET or %AF_INET6
 * @addr: the network, 4 or 16 bytes in network byte order; bits past
 *	@cidr are ignored
 * @cidr: the prefix length
 * @peer: the peer the prefix must lead to
 * @lock: the table's lock, held by the caller
 *
 * Context: Process context, with @lock held.
 * Return: 0, or -%ENOENT if the prefix is not in the table or leads to
 * another peer, -%EAFNOSUPPORT or -%EINVAL for a malformed prefix.
 */
int vesp_prefixes_remove(struct vesp_prefixes *t, int family,
			 const void *addr, u8 cidr, struct vesp_peer *peer,
			 struct mutex *lock)
{
	struct vesp_prefix_node *node, *parent;
	struct vesp_prefix_node __rcu **slot;
	u8 bits = family_bits(family);
	struct vesp_prefix_set *set;
	struct vesp_prefix_key k;

	lockdep_assert_held(lock);

	if (!bits)
		return -EAFNOSUPPORT;
	if (cidr > bits || !peer)
		return -EINVAL;
	key_load(&k, bits, addr);
	key_mask(&k, cidr);

	slot = find_slot(root_of(t, bits), &k, cidr, &parent, lock);
	node = deref_locked(*slot, lock);
	if (!node || node->cidr != cidr || !key_equal(&node->key, &k) ||
	    deref_locked(node->peer, lock) != peer)
		return -ENOENT;

	set = set_find_locked(t, peer, lock);
	prefix_remove(t, node, lock);
	set_release_if_empty(set);
	return 0;
}

static void set_remove_all(struct vesp_prefixes *t, struct vesp_prefix_set *set,
			   struct mutex *lock)
{
	struct vesp_prefix_node *node, *next;

	/*
	 * prefix_remove() frees @node and perhaps its parent, which is a
	 * branch and so not in the list: @next stays valid.
	 */
	list_for_each_entry_safe(node, next, &set->nodes, peer_link)
		prefix_remove(t, node, lock);
	set_release_if_empty(set);
}

/**
 * vesp_prefixes_remove_by_peer() - take all prefixes of a peer out
 * @t: the table
 * @peer: the peer, which may have no prefixes
 * @lock: the table's lock, held by the caller
 *
 * Lookups that start after this returns cannot find @peer; those already
 * running may, until an RCU grace period has passed.
 *
 * Context: Process context, with @lock held.
 */
void vesp_prefixes_remove_by_peer(struct vesp_prefixes *t,
				  struct vesp_peer *peer, struct mutex *lock)
{
	struct vesp_prefix_set *set;

	lockdep_assert_held(lock);

	set = set_find_locked(t, peer, lock);
	if (set)
		set_remove_all(t, set, lock);
}

/**
 * vesp_prefixes_free() - empty a table
 * @t: the table
 * @lock: the table's lock, held by the caller
 *
 * Readers may still be running; every node is freed after an RCU grace
 * period, so whoever unloads the module must call rcu_barrier() first.
 * The table is empty and usable afterwards.
 *
 * Context: Process context, with @lock held.
 */
void vesp_prefixes_free(struct vesp_prefixes *t, struct mutex *lock)
{
	struct vesp_prefix_set *set;
	struct hlist_node *next;
	int bkt;

	lockdep_assert_held(lock);

	/*
	 * Removing every peer's prefixes one by one keeps the trie valid
	 * for readers at every step, and frees each branch with its last
	 * prefix.
	 */
	hash_for_each_safe(t->peers, bkt, next, set, hnode)
		set_remove_all(t, set, lock);

	WARN_ON(rcu_access_pointer(t->root4) || rcu_access_pointer(t->root6) ||
		t->count);
}

/**
 * vesp_prefixes_lookup() - the peer of the longest prefix holding an address
 * @t: the table
 * @family: %AF_INET or %AF_INET6
 * @addr: the address, 4 or 16 bytes in network byte order, any alignment
 *
 * Outbound packets are sent to the peer found for their destination;
 * decrypted packets are accepted only if the peer found for their source
 * is the one whose SA decrypted them.
 *
 * Context: Under rcu_read_lock() or rcu_read_lock_bh(), or in softirq.
 * Return: the peer, valid until the read-side critical section ends, or
 * NULL if no prefix holds @addr or the family is not IPv4 or IPv6.
 */
struct vesp_peer *vesp_prefixes_lookup(struct vesp_prefixes *t, int family,
				       const void *addr)
{
	struct vesp_peer *found = NULL, *peer;
	u8 bits = family_bits(family);
	struct vesp_prefix_node *node;
	struct vesp_prefix_key k;

	if (unlikely(!bits))
		return NULL;
	key_load(&k, bits, addr);

	node = deref_reader(*root_of(t, bits));
	while (node && key_in_node(&k, node)) {
		peer = deref_reader(node->peer);
		if (peer)
			found = peer;
		/* A host prefix has no bit past it, so no children. */
		if (node->cidr == bits)
			break;
		node = deref_reader(node->child[key_bit(&k, node->cidr)]);
	}
	return found;
}

/**
 * vesp_prefixes_walk_peer() - pass each prefix of a peer to a callback
 * @t: the table
 * @peer: the peer
 * @pos: where to start: 0 for the first prefix, else the value this
 *	function left here on its previous call. Advanced past each prefix
 *	@cb accepts.
 * @cb: called with @ctx, the family, the network (4 or 16 bytes, network
 *	byte order, host bits zero) and the prefix length. Returns 0 to go
 *	on; anything else stops the walk before that prefix, which will be
 *	the first one passed when the walk resumes from @pos. Must not
 *	sleep: it runs under rcu_read_lock().
 * @ctx: passed to @cb
 *
 * A netlink dump that fills its skb keeps @pos in its callback context
 * (netlink_callback::ctx) and resumes at the next call. Resuming does not
 * depend on the table staying still: each prefix that stays with @peer
 * throughout is passed exactly once, prefixes removed before they were
 * reached are not passed, and prefixes added to @peer meanwhile are passed
 * once, as they sort after every prefix already passed.
 *
 * Context: Any context that may take rcu_read_lock(); with or without the
 * table's lock.
 * Return: 0 once every prefix was passed, else what @cb returned.
 */
int vesp_prefixes_walk_peer(struct vesp_prefixes *t, struct vesp_peer *peer,
			    u64 *pos,
			    int (*cb)(void *ctx, int family, const void *addr,
				      u8 cidr),
			    void *ctx)
{
	struct vesp_prefix_node *node;
	struct vesp_prefix_set *set;
	u8 addr[16];
	int ret = 0;

	rcu_read_lock();
	set = set_find_rcu(t, peer);
	if (!set)
		goto out;
	list_for_each_entry_rcu(node, &set->nodes, peer_link) {
		if (node->serial <= *pos)
			continue;
		key_store(&node->key, node->bits, addr);
		ret = cb(ctx, bits_family(node->bits), addr, node->cidr);
		if (ret)
			break;
		*pos = node->serial;
	}
out:
	rcu_read_unlock();
	return ret;
}
