// SPDX-License-Identifier: GPL-2.0
/*
 * KUnit tests for the longest-prefix-match table of multipoint devices.
 *
 * Peers are addresses inside a dummy array: the table stores them and
 * compares them but never dereferences them.
 */

#include <kunit/test.h>
#include <linux/inet.h>
#include <linux/mutex.h>
#include <linux/prandom.h>
#include <linux/rcupdate.h>
#include <linux/slab.h>
#include <linux/socket.h>

#include "../prefixes.h"

#define NUM_PEERS 16

static u8 dummy_peers[NUM_PEERS];

static struct vesp_peer *peer(unsigned int i)
{
	return (struct vesp_peer *)&dummy_peers[i];
}

struct fixture {
	struct kunit *test;
	struct mutex lock;	/* stands for the device's update lock */
	struct vesp_prefixes table;
};

static int prefixes_test_init(struct kunit *test)
{
	struct fixture *fx;

	fx = kunit_kzalloc(test, sizeof(*fx), GFP_KERNEL);
	if (!fx)
		return -ENOMEM;
	fx->test = test;
	mutex_init(&fx->lock);
	vesp_prefixes_init(&fx->table);
	test->priv = fx;
	return 0;
}

static void prefixes_test_exit(struct kunit *test)
{
	struct fixture *fx = test->priv;

	mutex_lock(&fx->lock);
	vesp_prefixes_free(&fx->table, &fx->lock);
	mutex_unlock(&fx->lock);
	/* Freeing must leave nothing behind, branches included. */
	KUNIT_EXPECT_EQ(test, fx->table.count, 0U);
	KUNIT_EXPECT_NULL(test, rcu_access_pointer(fx->table.root4));
	KUNIT_EXPECT_NULL(test, rcu_access_pointer(fx->table.root6));
	mutex_destroy(&fx->lock);
}

/* Parses @s, an address of @family, into @buf (16 bytes). */
static void parse(struct fixture *fx, int family, const char *s, u8 *buf)
{
	int ok;

	memset(buf, 0, 16);
	if (family == AF_INET)
		ok = in4_pton(s, -1, buf, -1, NULL);
	else
		ok = in6_pton(s, -1, buf, -1, NULL);
	KUNIT_ASSERT_EQ_MSG(fx->test, ok, 1, "bad address in test: %s", s);
}

static int family_of(const char *s)
{
	return strchr(s, ':') ? AF_INET6 : AF_INET;
}

static int add_raw(struct fixture *fx, int family, const u8 *addr,
		   u8 cidr, struct vesp_peer *p)
{
	int ret;

	mutex_lock(&fx->lock);
	ret = vesp_prefixes_insert(&fx->table, family, addr, cidr, p,
				   &fx->lock);
	mutex_unlock(&fx->lock);
	return ret;
}

static int del_raw(struct fixture *fx, int family, const u8 *addr,
		   u8 cidr, struct vesp_peer *p)
{
	int ret;

	mutex_lock(&fx->lock);
	ret = vesp_prefixes_remove(&fx->table, family, addr, cidr, p,
				   &fx->lock);
	mutex_unlock(&fx->lock);
	return ret;
}

static void remove_by_peer(struct fixture *fx, struct vesp_peer *p)
{
	mutex_lock(&fx->lock);
	vesp_prefixes_remove_by_peer(&fx->table, p, &fx->lock);
	mutex_unlock(&fx->lock);
}

/* Lookups run in softirq or with BHs off in the driver. */
static struct vesp_peer *find_raw(struct fixture *fx, int family,
				  const u8 *addr)
{
	struct vesp_peer *p;

	rcu_read_lock_bh();
	p = vesp_prefixes_lookup(&fx->table, family, addr);
	rcu_read_unlock_bh();
	return p;
}

static int add(struct fixture *fx, const char *s, u8 cidr,
	       struct vesp_peer *p)
{
	int family = family_of(s);
	u8 addr[16];

	parse(fx, family, s, addr);
	return add_raw(fx, family, addr, cidr, p);
}

static int del(struct fixture *fx, const char *s, u8 cidr,
	       struct vesp_peer *p)
{
	int family = family_of(s);
	u8 addr[16];

	parse(fx, family, s, addr);
	return del_raw(fx, family, addr, cidr, p);
}

static struct vesp_peer *find(struct fixture *fx, const char *s)
{
	int family = family_of(s);
	u8 addr[16];

	parse(fx, family, s, addr);
	return find_raw(fx, family, addr);
}

/* The message names the address, as all lookups fail on this one line. */
static void expect_lookup(struct fixture *fx, const char *s,
			  struct vesp_peer *p)
{
	KUNIT_EXPECT_PTR_EQ_MSG(fx->test, find(fx, s), p, "lookup %s", s);
}

/* What a walk passed to its callback, and how much more it will take. */
struct walk_rec {
	int family;
	u8 addr[16];
	u8 cidr;
};

struct walk_ctx {
	struct walk_rec *recs;
	unsigned int n;
	unsigned int max;
	unsigned int budget;	/* prefixes to accept before refusing */
	struct walk_rec refused;	/* the last prefix refused */
	bool has_refused;
};

static void rec_fill(struct walk_rec *r, int family, const void *addr,
		     u8 cidr)
{
	memset(r, 0, sizeof(*r));
	r->family = family;
	memcpy(r->addr, addr, family == AF_INET ? 4 : 16);
	r->cidr = cidr;
}

static bool rec_equal(const struct walk_rec *a, const struct walk_rec *b)
{
	return a->family == b->family && a->cidr == b->cidr &&
	       !memcmp(a->addr, b->addr, sizeof(a->addr));
}

static int walk_collect(void *ctx, int family, const void *addr, u8 cidr)
{
	struct walk_ctx *w = ctx;

	if (!w->budget || w->n == w->max) {
		rec_fill(&w->refused, family, addr, cidr);
		w->has_refused = true;
		return -EMSGSIZE;
	}
	rec_fill(&w->recs[w->n++], family, addr, cidr);
	w->budget--;
	return 0;
}

/*
 * Walks @p's prefixes into @w, taking at most @chunk per call as a netlink
 * dump with a small skb would, and checks that each call starts with the
 * prefix the previous one refused. Returns the number of calls.
 */
static unsigned int walk_all(struct fixture *fx, struct vesp_peer *p,
			     struct walk_ctx *w, unsigned int chunk)
{
	unsigned int calls = 0, before;
	u64 pos = 0;
	int ret;

	do {
		struct walk_rec refused = w->refused;
		bool check = w->has_refused;

		w->budget = chunk;
		w->has_refused = false;
		before = w->n;
		ret = vesp_prefixes_walk_peer(&fx->table, p, &pos,
					      walk_collect, w);
		calls++;
		if (ret)
			KUNIT_ASSERT_EQ(fx->test, ret, -EMSGSIZE);
		if (check && w->n > before)
			KUNIT_EXPECT_TRUE(fx->test,
					  rec_equal(&refused, &w->recs[before]));
		/* Bound the loop even if the walk never ends. */
		KUNIT_ASSERT_LE(fx->test, calls, w->max + 2);
	} while (ret);
	return calls;
}

static struct walk_ctx *walk_ctx_alloc(struct kunit *test, unsigned int max)
{
	struct walk_ctx *w;

	w = kunit_kzalloc(test, sizeof(*w), GFP_KERNEL);
	KUNIT_ASSERT_NOT_NULL(test, w);
	w->recs = kunit_kcalloc(test, max, sizeof(*w->recs), GFP_KERNEL);
	KUNIT_ASSERT_NOT_NULL(test, w->recs);
	w->max = max;
	return w;
}

static void vesp_prefixes_exact_match(struct kunit *test)
{
	struct fixture *fx = test->priv;

	KUNIT_ASSERT_EQ(test, add(fx, "192.0.2.0", 24, peer(1)), 0);
	KUNIT_ASSERT_EQ(test, add(fx, "2001:db8::", 32, peer(2)), 0);
	KUNIT_EXPECT_EQ(test, fx->table.count, 2U);

	expect_lookup(fx, "192.0.2.0", peer(1));
	expect_lookup(fx, "192.0.2.77", peer(1));
	expect_lookup(fx, "192.0.2.255", peer(1));
	expect_lookup(fx, "192.0.1.255", NULL);
	expect_lookup(fx, "192.0.3.0", NULL);
	expect_lookup(fx, "2001:db8::", peer(2));
	expect_lookup(fx, "2001:db8:ffff:1::1", peer(2));
	expect_lookup(fx, "2001:db9::", NULL);
	expect_lookup(fx, "2001:db7:ffff::", NULL);
}

/* Nested prefixes, inserted in @order (indexes into the table below). */
static void check_nested(struct kunit *test, const unsigned int *order)
{
	static const struct {
		const char *addr;
		u8 cidr;
	} prefixes[] = {
		{ "10.0.0.0", 8 }, { "10.1.0.0", 16 }, { "10.1.2.0", 24 },
		{ "10.1.2.128", 25 }, { "2001:db8::", 32 },
		{ "2001:db8:0:1::", 64 }, { "2001:db8:0:1::", 127 },
	};
	struct fixture *fx = test->priv;
	unsigned int i;

	for (i = 0; i < ARRAY_SIZE(prefixes); i++) {
		unsigned int j = order[i];

		KUNIT_ASSERT_EQ(test, add(fx, prefixes[j].addr,
					  prefixes[j].cidr, peer(j)), 0);
	}
	expect_lookup(fx, "10.1.2.200", peer(3));
	expect_lookup(fx, "10.1.2.127", peer(2));
	expect_lookup(fx, "10.1.3.1", peer(1));
	expect_lookup(fx, "10.0.1.2", peer(0));
	expect_lookup(fx, "10.255.255.255", peer(0));
	expect_lookup(fx, "11.1.2.3", NULL);
	expect_lookup(fx, "2001:db8:0:1::1", peer(6));
	expect_lookup(fx, "2001:db8:0:1::2", peer(5));
	expect_lookup(fx, "2001:db8:0:1:8000::", peer(5));
	expect_lookup(fx, "2001:db8:0:2::", peer(4));
	expect_lookup(fx, "2001:db9::", NULL);

	mutex_lock(&fx->lock);
	vesp_prefixes_free(&fx->table, &fx->lock);
	mutex_unlock(&fx->lock);
	expect_lookup(fx, "10.1.2.200", NULL);
}

static void vesp_prefixes_longest_match_wins(struct kunit *test)
{
	static const unsigned int shortest_first[] = { 0, 1, 2, 3, 4, 5, 6 };
	static const unsigned int longest_first[] = { 3, 2, 1, 0, 6, 5, 4 };
	static const unsigned int mixed[] = { 2, 0, 3, 1, 5, 6, 4 };

	check_nested(test, shortest_first);
	check_nested(test, longest_first);
	check_nested(test, mixed);
}

static void vesp_prefixes_default_route(struct kunit *test)
{
	struct fixture *fx = test->priv;

	KUNIT_ASSERT_EQ(test, add(fx, "0.0.0.0", 0, peer(1)), 0);
	expect_lookup(fx, "0.0.0.0", peer(1));
	expect_lookup(fx, "128.0.0.1", peer(1));
	expect_lookup(fx, "255.255.255.255", peer(1));
	expect_lookup(fx, "::", NULL);

	KUNIT_ASSERT_EQ(test, add(fx, "::", 0, peer(2)), 0);
	expect_lookup(fx, "::", peer(2));
	expect_lookup(fx, "8000::", peer(2));
	expect_lookup(fx, "ffff:ffff:ffff:ffff:ffff:ffff:ffff:ffff", peer(2));
	expect_lookup(fx, "10.0.0.1", peer(1));

	/* More specific prefixes win over the default, on both sides. */
	KUNIT_ASSERT_EQ(test, add(fx, "128.0.0.0", 1, peer(3)), 0);
	KUNIT_ASSERT_EQ(test, add(fx, "::", 1, peer(4)), 0);
	expect_lookup(fx, "127.255.255.255", peer(1));
	expect_lookup(fx, "128.0.0.0", peer(3));
	expect_lookup(fx, "::1", peer(4));
	expect_lookup(fx, "8000::1", peer(2));

	/* Removing the default leaves only the specific ones. */
	KUNIT_EXPECT_EQ(test, del(fx, "0.0.0.0", 0, peer(1)), 0);
	expect_lookup(fx, "127.255.255.255", NULL);
	expect_lookup(fx, "200.0.0.1", peer(3));
}

static void vesp_prefixes_host_prefixes(struct kunit *test)
{
	struct fixture *fx = test->priv;

	KUNIT_ASSERT_EQ(test, add(fx, "192.0.2.1", 32, peer(1)), 0);
	KUNIT_ASSERT_EQ(test, add(fx, "192.0.2.2", 32, peer(2)), 0);
	KUNIT_ASSERT_EQ(test, add(fx, "0.0.0.0", 32, peer(3)), 0);
	KUNIT_ASSERT_EQ(test, add(fx, "255.255.255.255", 32, peer(4)), 0);
	KUNIT_ASSERT_EQ(test, add(fx, "::", 128, peer(5)), 0);
	KUNIT_ASSERT_EQ(test, add(fx, "::1", 128, peer(6)), 0);
	KUNIT_ASSERT_EQ(test, add(fx,
				  "ffff:ffff:ffff:ffff:ffff:ffff:ffff:ffff",
				     128, peer(7)), 0);
	KUNIT_ASSERT_EQ(test, add(fx, "2001:db8::", 64, peer(8)), 0);
	KUNIT_ASSERT_EQ(test, add(fx, "2001:db8::8000:0:0:1", 128,
				  peer(9)), 0);

	expect_lookup(fx, "192.0.2.1", peer(1));
	expect_lookup(fx, "192.0.2.2", peer(2));
	expect_lookup(fx, "192.0.2.0", NULL);
	expect_lookup(fx, "192.0.2.3", NULL);
	expect_lookup(fx, "0.0.0.0", peer(3));
	expect_lookup(fx, "0.0.0.1", NULL);
	expect_lookup(fx, "255.255.255.255", peer(4));
	expect_lookup(fx, "255.255.255.254", NULL);
	expect_lookup(fx, "::", peer(5));
	expect_lookup(fx, "::1", peer(6));
	expect_lookup(fx, "::2", NULL);
	expect_lookup(fx, "ffff:ffff:ffff:ffff:ffff:ffff:ffff:ffff", peer(7));
	expect_lookup(fx, "ffff:ffff:ffff:ffff:ffff:ffff:ffff:fffe", NULL);
	/* Bits 64 and 127 matter: the low half of the key. */
	expect_lookup(fx, "2001:db8::8000:0:0:1", peer(9));
	expect_lookup(fx, "2001:db8::8000:0:0:0", peer(8));
	expect_lookup(fx, "2001:db8::1", peer(8));
}

static void vesp_prefixes_families_apart(struct kunit *test)
{
	struct fixture *fx = test->priv;
	u8 addr[16] = { 10 };	/* 10.0.0.0 and 0a00:: share their bits */

	KUNIT_ASSERT_EQ(test, add_raw(fx, AF_INET, addr, 8, peer(1)), 0);
	expect_lookup(fx, "10.0.0.1", peer(1));
	expect_lookup(fx, "a00::1", NULL);
	KUNIT_ASSERT_EQ(test, add_raw(fx, AF_INET6, addr, 8, peer(2)), 0);
	expect_lookup(fx, "10.0.0.1", peer(1));
	expect_lookup(fx, "a00::1", peer(2));
	KUNIT_EXPECT_EQ(test, fx->table.count, 2U);

	/* Removing one family's prefix leaves the other's. */
	KUNIT_EXPECT_EQ(test, del_raw(fx, AF_INET6, addr, 8, peer(1)),
			-ENOENT);
	KUNIT_EXPECT_EQ(test, del_raw(fx, AF_INET, addr, 8, peer(1)), 0);
	expect_lookup(fx, "10.0.0.1", NULL);
	expect_lookup(fx, "a00::1", peer(2));
}

static void vesp_prefixes_repoint(struct kunit *test)
{
	struct fixture *fx = test->priv;
	struct walk_ctx *w = walk_ctx_alloc(test, 4);

	KUNIT_ASSERT_EQ(test, add(fx, "10.0.0.0", 8, peer(1)), 0);
	KUNIT_ASSERT_EQ(test, add(fx, "10.1.0.0", 16, peer(1)), 0);
	KUNIT_ASSERT_EQ(test, add(fx, "10.0.0.0", 8, peer(2)), 0);
	KUNIT_EXPECT_EQ(test, fx->table.count, 2U);
	expect_lookup(fx, "10.2.0.0", peer(2));
	expect_lookup(fx, "10.1.0.0", peer(1));

	/* The prefix left peer 1's list and joined peer 2's. */
	walk_all(fx, peer(1), w, 8);
	KUNIT_ASSERT_EQ(test, w->n, 1U);
	KUNIT_EXPECT_EQ(test, w->recs[0].cidr, 16);
	w->n = 0;
	walk_all(fx, peer(2), w, 8);
	KUNIT_ASSERT_EQ(test, w->n, 1U);
	KUNIT_EXPECT_EQ(test, w->recs[0].cidr, 8);

	/* Host bits are ignored: this is 10.0.0.0/8 again. */
	KUNIT_ASSERT_EQ(test, add(fx, "10.200.3.4", 8, peer(3)), 0);
	KUNIT_EXPECT_EQ(test, fx->table.count, 2U);
	expect_lookup(fx, "10.2.0.0", peer(3));
	w->n = 0;
	walk_all(fx, peer(2), w, 8);
	KUNIT_EXPECT_EQ(test, w->n, 0U);

	/* Inserting what is already there changes nothing. */
	KUNIT_EXPECT_EQ(test, add(fx, "10.0.0.0", 8, peer(3)), 0);
	KUNIT_EXPECT_EQ(test, fx->table.count, 2U);

	/* A branch (10.0.0.0/15 joins 10.0.0.0/16 and 10.1.0.0/16) takes a
	 * prefix and gives it up again.
	 */
	KUNIT_ASSERT_EQ(test, add(fx, "10.0.0.0", 16, peer(4)), 0);
	KUNIT_ASSERT_EQ(test, add(fx, "10.0.0.0", 15, peer(5)), 0);
	KUNIT_EXPECT_EQ(test, fx->table.count, 4U);
	expect_lookup(fx, "10.0.1.1", peer(4));
	expect_lookup(fx, "10.1.1.1", peer(1));
	KUNIT_EXPECT_EQ(test, del(fx, "10.1.0.0", 16, peer(1)), 0);
	expect_lookup(fx, "10.1.1.1", peer(5));
	KUNIT_EXPECT_EQ(test, del(fx, "10.0.0.0", 15, peer(5)), 0);
	expect_lookup(fx, "10.1.1.1", peer(3));
	expect_lookup(fx, "10.0.1.1", peer(4));
}

static void vesp_prefixes_remove_one(struct kunit *test)
{
	struct fixture *fx = test->priv;

	KUNIT_ASSERT_EQ(test, add(fx, "10.0.0.0", 8, peer(1)), 0);
	KUNIT_ASSERT_EQ(test, add(fx, "10.1.0.0", 16, peer(2)), 0);
	KUNIT_ASSERT_EQ(test, add(fx, "10.1.2.0", 24, peer(3)), 0);
	KUNIT_ASSERT_EQ(test, add(fx, "10.1.128.0", 24, peer(3)), 0);

	/* Absent, the wrong peer, or the wrong length: nothing happens. */
	KUNIT_EXPECT_EQ(test, del(fx, "10.1.0.0", 16, peer(1)), -ENOENT);
	KUNIT_EXPECT_EQ(test, del(fx, "10.1.0.0", 17, peer(2)), -ENOENT);
	KUNIT_EXPECT_EQ(test, del(fx, "10.2.0.0", 16, peer(2)), -ENOENT);
	KUNIT_EXPECT_EQ(test, del(fx, "10.0.0.0", 9, peer(1)), -ENOENT);
	KUNIT_EXPECT_EQ(test, del(fx, "::", 0, peer(1)), -ENOENT);
	KUNIT_EXPECT_EQ(test, fx->table.count, 4U);

	/* The middle of three nested prefixes, which has two children. */
	KUNIT_EXPECT_EQ(test, del(fx, "10.1.0.0", 16, peer(2)), 0);
	KUNIT_EXPECT_EQ(test, fx->table.count, 3U);
	expect_lookup(fx, "10.1.2.3", peer(3));
	expect_lookup(fx, "10.1.128.3", peer(3));
	expect_lookup(fx, "10.1.3.3", peer(1));
	KUNIT_EXPECT_EQ(test, del(fx, "10.1.0.0", 16, peer(2)), -ENOENT);

	/* Host bits are ignored here too. */
	KUNIT_EXPECT_EQ(test, del(fx, "10.1.2.99", 24, peer(3)), 0);
	expect_lookup(fx, "10.1.2.3", peer(1));
	expect_lookup(fx, "10.1.128.3", peer(3));

	KUNIT_EXPECT_EQ(test, del(fx, "10.0.0.0", 8, peer(1)), 0);
	expect_lookup(fx, "10.1.2.3", NULL);
	expect_lookup(fx, "10.1.128.3", peer(3));
	KUNIT_EXPECT_EQ(test, del(fx, "10.1.128.0", 24, peer(3)), 0);
	KUNIT_EXPECT_EQ(test, fx->table.count, 0U);
	KUNIT_EXPECT_NULL(test, rcu_access_pointer(fx->table.root4));
}

static void vesp_prefixes_remove_by_peer_keeps_others(struct kunit *test)
{
	struct fixture *fx = test->priv;
	struct walk_ctx *w = walk_ctx_alloc(test, 8);

	/* Peer 1's prefixes sit above, below and beside peer 2's. */
	KUNIT_ASSERT_EQ(test, add(fx, "10.0.0.0", 8, peer(1)), 0);
	KUNIT_ASSERT_EQ(test, add(fx, "10.1.0.0", 16, peer(2)), 0);
	KUNIT_ASSERT_EQ(test, add(fx, "10.1.2.0", 24, peer(1)), 0);
	KUNIT_ASSERT_EQ(test, add(fx, "10.1.3.0", 24, peer(2)), 0);
	KUNIT_ASSERT_EQ(test, add(fx, "2001:db8::", 32, peer(2)), 0);
	KUNIT_ASSERT_EQ(test, add(fx, "2001:db8:1::", 48, peer(1)), 0);
	KUNIT_ASSERT_EQ(test, add(fx, "::", 0, peer(1)), 0);

	remove_by_peer(fx, peer(1));
	KUNIT_EXPECT_EQ(test, fx->table.count, 3U);
	expect_lookup(fx, "10.0.0.1", NULL);
	expect_lookup(fx, "10.1.2.1", peer(2));
	expect_lookup(fx, "10.1.3.1", peer(2));
	expect_lookup(fx, "2001:db8:1::1", peer(2));
	expect_lookup(fx, "2001:db9::", NULL);

	walk_all(fx, peer(1), w, 8);
	KUNIT_EXPECT_EQ(test, w->n, 0U);
	walk_all(fx, peer(2), w, 8);
	KUNIT_EXPECT_EQ(test, w->n, 3U);

	/* Again, and for a peer that never had prefixes: no effect. */
	remove_by_peer(fx, peer(1));
	remove_by_peer(fx, peer(9));
	KUNIT_EXPECT_EQ(test, fx->table.count, 3U);

	remove_by_peer(fx, peer(2));
	KUNIT_EXPECT_EQ(test, fx->table.count, 0U);
	KUNIT_EXPECT_NULL(test, rcu_access_pointer(fx->table.root4));
	KUNIT_EXPECT_NULL(test, rcu_access_pointer(fx->table.root6));
}

static void vesp_prefixes_rejects_bad_input(struct kunit *test)
{
	struct fixture *fx = test->priv;
	u8 addr[16] = {};

	KUNIT_EXPECT_EQ(test, add_raw(fx, AF_UNSPEC, addr, 0, peer(1)),
			-EAFNOSUPPORT);
	KUNIT_EXPECT_EQ(test, add_raw(fx, AF_INET, addr, 33, peer(1)),
			-EINVAL);
	KUNIT_EXPECT_EQ(test, add_raw(fx, AF_INET6, addr, 129, peer(1)),
			-EINVAL);
	KUNIT_EXPECT_EQ(test, add_raw(fx, AF_INET, addr, 0, NULL),
			-EINVAL);
	KUNIT_EXPECT_EQ(test, del_raw(fx, AF_UNSPEC, addr, 0, peer(1)),
			-EAFNOSUPPORT);
	KUNIT_EXPECT_EQ(test, del_raw(fx, AF_INET, addr, 33, peer(1)),
			-EINVAL);
	KUNIT_EXPECT_EQ(test, fx->table.count, 0U);
	KUNIT_EXPECT_NULL(test, find_raw(fx, AF_UNSPEC, addr));
}

static void vesp_prefixes_size_capped(struct kunit *test)
{
	struct fixture *fx = test->priv;
	u8 addr[16] = { 10 };
	unsigned int i;

	for (i = 0; i < VESP_PREFIXES_MAX; i++) {
		addr[2] = i >> 8;
		addr[3] = i;
		addr[1] = i >> 16;
		KUNIT_ASSERT_EQ(test, add_raw(fx, AF_INET, addr, 32,
					      peer(i % NUM_PEERS)), 0);
	}
	KUNIT_EXPECT_EQ(test, fx->table.count, VESP_PREFIXES_MAX);

	/* Full: a new prefix in either family is refused... */
	addr[1] = 0xff;
	KUNIT_EXPECT_EQ(test, add_raw(fx, AF_INET, addr, 32, peer(0)),
			-ENOSPC);
	KUNIT_EXPECT_EQ(test, add_raw(fx, AF_INET6, addr, 64, peer(0)),
			-ENOSPC);
	/* ... even where it would turn a branch (10.0.0.0/31) into one. */
	addr[1] = 0;
	addr[2] = 0;
	addr[3] = 0;
	KUNIT_EXPECT_EQ(test, add_raw(fx, AF_INET, addr, 31, peer(0)),
			-ENOSPC);
	/* Moving an existing prefix to another peer still works. */
	KUNIT_EXPECT_EQ(test, add_raw(fx, AF_INET, addr, 32, peer(1)), 0);
	KUNIT_EXPECT_PTR_EQ(test, find_raw(fx, AF_INET, addr), peer(1));

	/* Room again after a removal. */
	KUNIT_EXPECT_EQ(test, del_raw(fx, AF_INET, addr, 32, peer(1)), 0);
	KUNIT_EXPECT_EQ(test, add_raw(fx, AF_INET6, addr, 64, peer(0)), 0);
	KUNIT_EXPECT_EQ(test, fx->table.count, VESP_PREFIXES_MAX);
}

/*
 * The reference: a plain array searched from end to end, with byte-wise
 * prefix comparison, sharing no code with the table.
 */
struct ref_prefix {
	int family;
	u8 addr[16];
	u8 cidr;
	struct vesp_peer *peer;
};

struct ref_table {
	struct ref_prefix *v;
	unsigned int n;
	unsigned int max;
};

static bool ref_match(const struct ref_prefix *p, int family, const u8 *addr)
{
	unsigned int full = p->cidr / 8, rest = p->cidr % 8;

	if (p->family != family || memcmp(p->addr, addr, full))
		return false;
	return !rest || !((p->addr[full] ^ addr[full]) & (0xff00 >> rest));
}

static struct vesp_peer *ref_lookup(const struct ref_table *r, int family,
				    const u8 *addr)
{
	const struct ref_prefix *best = NULL;
	unsigned int i;

	for (i = 0; i < r->n; i++)
		if (ref_match(&r->v[i], family, addr) &&
		    (!best || r->v[i].cidr > best->cidr))
			best = &r->v[i];
	return best ? best->peer : NULL;
}

static void ref_canonical(struct ref_prefix *p, int family, const u8 *addr,
			  u8 cidr)
{
	unsigned int i;

	memset(p, 0, sizeof(*p));
	p->family = family;
	p->cidr = cidr;
	memcpy(p->addr, addr, family == AF_INET ? 4 : 16);
	for (i = 0; i < 16; i++) {
		if (i * 8 + 8 <= cidr)
			continue;
		p->addr[i] &= i * 8 >= cidr ? 0 : 0xff00 >> (cidr % 8);
	}
}

static int ref_find(const struct ref_table *r, const struct ref_prefix *p)
{
	unsigned int i;

	for (i = 0; i < r->n; i++)
		if (r->v[i].family == p->family && r->v[i].cidr == p->cidr &&
		    !memcmp(r->v[i].addr, p->addr, 16))
			return i;
	return -1;
}

static void ref_insert(struct kunit *test, struct ref_table *r, int family,
		       const u8 *addr, u8 cidr, struct vesp_peer *peer)
{
	struct ref_prefix p;
	int i;

	ref_canonical(&p, family, addr, cidr);
	p.peer = peer;
	i = ref_find(r, &p);
	if (i >= 0) {
		r->v[i].peer = peer;
		return;
	}
	KUNIT_ASSERT_LT(test, r->n, r->max);
	r->v[r->n++] = p;
}

static void ref_delete(struct ref_table *r, unsigned int i)
{
	r->v[i] = r->v[--r->n];
}

#define RANDOM_PREFIXES	2500
#define RANDOM_QUERIES	6000
#define RANDOM_BASES	4

/*
 * Addresses near a few base addresses, so that prefixes nest deeply, share
 * long stretches of bits and often repeat (and so move between peers).
 */
struct addr_gen {
	struct rnd_state rnd;
	u8 base[2][RANDOM_BASES][16];
};

static void gen_addr(struct addr_gen *g, int family, u8 *addr)
{
	unsigned int bits = family == AF_INET ? 32 : 128;
	unsigned int flips, bit, i;

	/* One address in ten anywhere at all. */
	if (prandom_u32_state(&g->rnd) % 10 == 0) {
		prandom_bytes_state(&g->rnd, addr, 16);
		return;
	}
	memcpy(addr, g->base[family == AF_INET6]
			    [prandom_u32_state(&g->rnd) % RANDOM_BASES], 16);
	flips = prandom_u32_state(&g->rnd) % 4;
	for (i = 0; i < flips; i++) {
		bit = prandom_u32_state(&g->rnd) % bits;
		addr[bit / 8] ^= 0x80 >> (bit % 8);
	}
}

static int gen_family(struct addr_gen *g)
{
	return prandom_u32_state(&g->rnd) % 2 ? AF_INET6 : AF_INET;
}

static void compare_lookups(struct kunit *test, struct addr_gen *g,
			    const struct ref_table *r)
{
	struct fixture *fx = test->priv;
	unsigned int i, wrong = 0, hits = 0;
	struct vesp_peer *want;
	u8 addr[16];
	int family;

	for (i = 0; i < RANDOM_QUERIES; i++) {
		family = gen_family(g);
		gen_addr(g, family, addr);
		want = ref_lookup(r, family, addr);
		wrong += find_raw(fx, family, addr) != want;
		hits += !!want;
	}
	KUNIT_EXPECT_EQ(test, wrong, 0U);
	/* A comparison of misses alone would prove little. */
	KUNIT_EXPECT_GT(test, hits, RANDOM_QUERIES / 4);
	KUNIT_EXPECT_EQ(test, fx->table.count, r->n);
}

/* Each of the reference's prefixes for @p is walked exactly once. */
static void compare_walk(struct kunit *test, const struct ref_table *r,
			 struct vesp_peer *p, struct walk_ctx *w)
{
	struct fixture *fx = test->priv;
	unsigned int i, j, expected = 0, seen;
	struct walk_rec want;

	w->n = 0;
	w->has_refused = false;
	walk_all(fx, p, w, 5);
	for (i = 0; i < r->n; i++) {
		if (r->v[i].peer != p)
			continue;
		expected++;
		rec_fill(&want, r->v[i].family, r->v[i].addr, r->v[i].cidr);
		seen = 0;
		for (j = 0; j < w->n; j++)
			seen += rec_equal(&want, &w->recs[j]);
		KUNIT_EXPECT_EQ(test, seen, 1U);
	}
	KUNIT_EXPECT_EQ(test, w->n, expected);
}

static void vesp_prefixes_random_vs_reference(struct kunit *test)
{
	struct fixture *fx = test->priv;
	struct ref_table *r;
	struct addr_gen *g;
	struct walk_ctx *w;
	unsigned int i, f, b, kept;
	u8 addr[16];
	int family;
	u8 cidr;

	r = kunit_kzalloc(test, sizeof(*r), GFP_KERNEL);
	KUNIT_ASSERT_NOT_NULL(test, r);
	r->max = RANDOM_PREFIXES;
	r->v = kunit_kcalloc(test, r->max, sizeof(*r->v), GFP_KERNEL);
	KUNIT_ASSERT_NOT_NULL(test, r->v);
	g = kunit_kzalloc(test, sizeof(*g), GFP_KERNEL);
	KUNIT_ASSERT_NOT_NULL(test, g);
	w = walk_ctx_alloc(test, RANDOM_PREFIXES);

	/* Fixed seed: a failure reproduces. */
	prandom_seed_state(&g->rnd, 0x76657370);
	for (f = 0; f < 2; f++)
		for (b = 0; b < RANDOM_BASES; b++)
			prandom_bytes_state(&g->rnd, g->base[f][b], 16);

	for (i = 0; i < RANDOM_PREFIXES; i++) {
		family = gen_family(g);
		gen_addr(g, family, addr);
		cidr = prandom_u32_state(&g->rnd) %
		       ((family == AF_INET ? 32 : 128) + 1);
		f = prandom_u32_state(&g->rnd) % NUM_PEERS;
		KUNIT_ASSERT_EQ(test, add_raw(fx, family, addr, cidr,
					      peer(f)), 0);
		ref_insert(test, r, family, addr, cidr, peer(f));
	}
	/* Enough repeats to exercise moving prefixes, few enough to test. */
	KUNIT_EXPECT_GT(test, r->n, RANDOM_PREFIXES / 2);
	compare_lookups(test, g, r);
	for (f = 0; f < NUM_PEERS; f++)
		compare_walk(test, r, peer(f), w);

	/* Remove a third, checking a wrong peer is refused first. */
	for (i = 0; i < r->n; i++) {
		struct ref_prefix *p = &r->v[i];
		unsigned int next = (u8 *)p->peer - dummy_peers + 1;
		struct vesp_peer *other = peer(next % NUM_PEERS);

		if (prandom_u32_state(&g->rnd) % 3)
			continue;
		KUNIT_EXPECT_EQ(test, del_raw(fx, p->family, p->addr,
					      p->cidr, other), -ENOENT);
		KUNIT_EXPECT_EQ(test, del_raw(fx, p->family, p->addr,
					      p->cidr, p->peer), 0);
		ref_delete(r, i--);
	}
	remove_by_peer(fx, peer(0));
	for (i = 0, kept = 0; i < r->n; i++)
		if (r->v[i].peer != peer(0))
			r->v[kept++] = r->v[i];
	r->n = kept;
	compare_lookups(test, g, r);
	for (f = 0; f < NUM_PEERS; f++)
		compare_walk(test, r, peer(f), w);

	/* Removing the rest one by one leaves no branch behind. */
	while (r->n) {
		struct ref_prefix *p = &r->v[r->n - 1];

		KUNIT_ASSERT_EQ(test, del_raw(fx, p->family, p->addr,
					      p->cidr, p->peer), 0);
		r->n--;
	}
	KUNIT_EXPECT_EQ(test, fx->table.count, 0U);
	KUNIT_EXPECT_NULL(test, rcu_access_pointer(fx->table.root4));
	KUNIT_EXPECT_NULL(test, rcu_access_pointer(fx->table.root6));
}

#define WALK_PREFIXES 300

/* Prefix @i of the walk tests: IPv4 for even @i, IPv6 for odd. */
static void walk_prefix(unsigned int i, int *family, u8 *addr, u8 *cidr)
{
	memset(addr, 0, 16);
	if (i % 2) {
		*family = AF_INET6;
		addr[0] = 0x20;
		addr[1] = 0x01;
		addr[6] = i >> 8;
		addr[7] = i;
		*cidr = 64;
	} else {
		*family = AF_INET;
		addr[0] = 10;
		addr[1] = i >> 8;
		addr[2] = i;
		*cidr = 24;
	}
}

/* How often prefix @i of the walk tests is in @w. */
static unsigned int walk_seen(const struct walk_ctx *w, unsigned int i)
{
	struct walk_rec want;
	unsigned int j, n = 0;
	int family;
	u8 addr[16];
	u8 cidr;

	walk_prefix(i, &family, addr, &cidr);
	rec_fill(&want, family, addr, cidr);
	for (j = 0; j < w->n; j++)
		n += rec_equal(&want, &w->recs[j]);
	return n;
}

static void vesp_prefixes_walk_resumes(struct kunit *test)
{
	struct fixture *fx = test->priv;
	struct walk_ctx *w = walk_ctx_alloc(test, WALK_PREFIXES);
	unsigned int i, calls, mine = 0;
	u64 pos = 0;
	int family;
	u8 addr[16];
	u8 cidr;
	int ret;

	/* Peer 1 holds every third prefix, peer 2 the others. */
	for (i = 0; i < WALK_PREFIXES; i++) {
		walk_prefix(i, &family, addr, &cidr);
		KUNIT_ASSERT_EQ(test, add_raw(fx, family, addr, cidr,
					      peer(i % 3 ? 2 : 1)), 0);
		mine += !(i % 3);
	}

	calls = walk_all(fx, peer(1), w, 7);
	KUNIT_EXPECT_EQ(test, w->n, mine);
	KUNIT_EXPECT_EQ(test, calls, DIV_ROUND_UP(mine, 7));
	for (i = 0; i < WALK_PREFIXES; i++)
		KUNIT_EXPECT_EQ_MSG(test, walk_seen(w, i), i % 3 ? 0U : 1U,
				    "prefix %u", i);

	/* A callback that takes nothing makes no progress and no harm. */
	w->n = 0;
	w->budget = 0;
	ret = vesp_prefixes_walk_peer(&fx->table, peer(1), &pos, walk_collect,
				      w);
	KUNIT_EXPECT_EQ(test, ret, -EMSGSIZE);
	KUNIT_EXPECT_EQ(test, pos, 0ULL);
	KUNIT_EXPECT_EQ(test, w->n, 0U);
}

static void vesp_prefixes_walk_resumes_across_changes(struct kunit *test)
{
	struct fixture *fx = test->priv;
	struct walk_ctx *w = walk_ctx_alloc(test, 2 * WALK_PREFIXES);
	unsigned int i, seen;
	u64 pos = 0;
	int family;
	u8 addr[16];
	u8 cidr;
	int ret;

	for (i = 0; i < WALK_PREFIXES / 2; i++) {
		walk_prefix(i, &family, addr, &cidr);
		KUNIT_ASSERT_EQ(test, add_raw(fx, family, addr, cidr,
					      peer(1)), 0);
	}
	/* The first 50 are dumped. */
	w->budget = 50;
	ret = vesp_prefixes_walk_peer(&fx->table, peer(1), &pos,
				      walk_collect, w);
	KUNIT_ASSERT_EQ(test, ret, -EMSGSIZE);
	KUNIT_ASSERT_EQ(test, w->n, 50U);

	/*
	 * Between two parts of the dump: 40..59 are removed (half already
	 * dumped), 100..109 move to peer 2 and 110..119 move to peer 2 and
	 * back, 150..299 are added.
	 */
	for (i = 40; i < 60; i++) {
		walk_prefix(i, &family, addr, &cidr);
		KUNIT_ASSERT_EQ(test, del_raw(fx, family, addr, cidr,
					      peer(1)), 0);
	}
	for (i = 100; i < 120; i++) {
		walk_prefix(i, &family, addr, &cidr);
		KUNIT_ASSERT_EQ(test, add_raw(fx, family, addr, cidr,
					      peer(2)), 0);
		if (i >= 110)
			KUNIT_ASSERT_EQ(test, add_raw(fx, family, addr,
						      cidr, peer(1)), 0);
	}
	for (i = WALK_PREFIXES / 2; i < WALK_PREFIXES; i++) {
		walk_prefix(i, &family, addr, &cidr);
		KUNIT_ASSERT_EQ(test, add_raw(fx, family, addr, cidr,
					      peer(1)), 0);
	}

	w->budget = UINT_MAX;
	ret = vesp_prefixes_walk_peer(&fx->table, peer(1), &pos,
				      walk_collect, w);
	KUNIT_EXPECT_EQ(test, ret, 0);
	for (i = 0; i < WALK_PREFIXES; i++) {
		seen = walk_seen(w, i);
		if (i >= 50 && i < 60)
			KUNIT_EXPECT_EQ_MSG(test, seen, 0U, "removed %u", i);
		else if (i >= 100 && i < 110)
			KUNIT_EXPECT_EQ_MSG(test, seen, 0U, "moved %u", i);
		else
			KUNIT_EXPECT_EQ_MSG(test, seen, 1U, "prefix %u", i);
	}
	KUNIT_EXPECT_EQ(test, w->n, WALK_PREFIXES - 20U);
}

static struct kunit_case vesp_prefixes_test_cases[] = {
	KUNIT_CASE(vesp_prefixes_exact_match),
	KUNIT_CASE(vesp_prefixes_longest_match_wins),
	KUNIT_CASE(vesp_prefixes_default_route),
	KUNIT_CASE(vesp_prefixes_host_prefixes),
	KUNIT_CASE(vesp_prefixes_families_apart),
	KUNIT_CASE(vesp_prefixes_repoint),
	KUNIT_CASE(vesp_prefixes_remove_one),
	KUNIT_CASE(vesp_prefixes_remove_by_peer_keeps_others),
	KUNIT_CASE(vesp_prefixes_rejects_bad_input),
	KUNIT_CASE(vesp_prefixes_size_capped),
	KUNIT_CASE(vesp_prefixes_random_vs_reference),
	KUNIT_CASE(vesp_prefixes_walk_resumes),
	KUNIT_CASE(vesp_prefixes_walk_resumes_across_changes),
	{}
};

static struct kunit_suite vesp_prefixes_test_suite = {
	.name = "vesp-prefixes",
	.init = prefixes_test_init,
	.exit = prefixes_test_exit,
	.test_cases = vesp_prefixes_test_cases,
};

kunit_test_suites(&vesp_prefixes_test_suite);
