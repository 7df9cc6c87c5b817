/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Two IKE SAs with their task managers in one process, as strongSwan's
 * exchange tests run them: mock randomness (a counter per end), fixed DH
 * key pairs (RFC 7748 §6.1, RFC 5903 §8.1), one clock the test moves, an
 * outbox per end instead of a socket and a kernel that records its calls.
 * A test moves each datagram itself, so it can drop, repeat or reorder.
 *
 * Functions are static inline so each test includes only what it uses.
 */
#ifndef TESTS_IKE_PAIR_H
#define TESTS_IKE_PAIR_H

#include <string.h>

#include <linux/vesp.h>

#include "ike/cookie.h"
#include "ike/manager.h"
#include "ike/wire.h"
#include "lib/testutil.h"

#define OUTBOX_LEN 8
#define KERNEL_CALLS 16

/* RFC 7748 §6.1 (Alice, Bob) and RFC 5903 §8.1 (i, r) */
#define X25519_A "77076d0a7318a57d3c16c17251b26645df4c2f87ebc0992ab177fba51db92c2a"
#define X25519_B "5dab087e624a8a4b79e17f8b83800ee66f3bb1292618b6fd1c2f8b27ff88e0eb"
#define X25519_K "4a5d9d5ba4ce2de1728e3bf480350f25e07e21c947d19e3376f09b3c1e161742"
#define P256_I "C88F01F510D9AC3F70A292DAA2316DE544E9AAB8AFE84049C62A9C57862D1433"
#define P256_GI "DAD0B65394221CF9B051E1FECA5787D098DFE637FC90B9EF945D0C3772581180" \
		"5271A0461CDB8252D61F1C456FA3E59AB1F45B33ACCF5F58389E0577B8990BB3"
#define P256_R "C6EF9C5D78AE012A011164ACB397CE2088685D8F06BF9BE0B283AB46476BEE53"
#define P256_GR "D12DFB5289C8D4F81208B70270398C342296970A0BCCB74C736FC7554494BF63" \
		"56FBF3CA366CC23E8157854C13C58D6AAC23F046ADA30F8353E74F33039872AB"

struct kernel_call {
	char op;		/* 'a'dd, 's'et active, 'd'elete, 'p'ath set */
	uint32_t peer;
	bool active;
	uint8_t dir;
	uint32_t spi;
	struct ike_kernel_sa sa;
	struct ike_endpoint local, remote;	/* 'p' */
};

struct end {
	bool initiator;
	uint8_t next;		/* the mock's "random" bytes count up from here */
	unsigned int dh_created;
	unsigned int random_calls;
	struct ike_deps deps;
	struct ike_sa_config config;
	struct ike_sa sa;
	struct ike_manager m;
	/* the IKE SA that rekeys sa, and its manager */
	struct ike_sa sa2;
	struct ike_manager m2;
	struct ike_io io;
	size_t num_out;
	size_t out_len[OUTBOX_LEN];
	uint8_t out[OUTBOX_LEN][IKE_MESSAGE_MAX_LEN];
	/* the addresses each datagram was sent from and to */
	struct ike_endpoint out_local[OUTBOX_LEN], out_remote[OUTBOX_LEN];
	struct ike_kernel kernel;
	bool refuse_add;	/* the kernel refuses every new SA */
	size_t num_calls;
	struct kernel_call calls[KERNEL_CALLS];
};

static uint64_t now_ms;

static inline uint64_t mock_now(void *ctx)
{
	(void)ctx;
	return now_ms;
}

static inline int mock_send(void *ctx, const uint8_t *buf, size_t len,
			    const struct ike_endpoint *local,
			    const struct ike_endpoint *remote)
{
	struct end *e = ctx;

	assert_true(e->num_out < OUTBOX_LEN);
	memcpy(e->out[e->num_out], buf, len);
	e->out_local[e->num_out] = *local;
	e->out_remote[e->num_out] = *remote;
	e->out_len[e->num_out++] = len;
	return 0;
}

static inline int mock_random(void *ctx, uint8_t *buf, size_t len,
			      struct ike_error *err)
{
	struct end *e = ctx;

	(void)err;
	e->random_calls++;
	for (size_t i = 0; i < len; i++)
		buf[i] = e->next++;
	return 0;
}

static inline struct ike_dh *mock_dh(void *ctx, uint16_t group,
				     struct ike_error *err)
{
	struct end *e = ctx;
	uint8_t priv[64], pub[128];
	size_t priv_len, pub_len;

	e->dh_created++;
	switch (group) {
	case IKE_DH_CURVE25519:
		priv_len = hex_decode(e->initiator ? X25519_A : X25519_B, priv,
				      sizeof(priv));
		return ike_dh_from_keypair(group, ike_chunk(priv, priv_len),
					   ike_chunk(NULL, 0), err);
	case IKE_DH_ECP_256:
		priv_len = hex_decode(e->initiator ? P256_I : P256_R, priv, sizeof(priv));
		pub_len = hex_decode(e->initiator ? P256_GI : P256_GR, pub, sizeof(pub));
		return ike_dh_from_keypair(group, ike_chunk(priv, priv_len),
					   ike_chunk(pub, pub_len), err);
	default:
		return ike_dh_generate(group, err);
	}
}

static inline struct kernel_call *record(struct end *e, char op, uint32_t peer)
{
	struct kernel_call *c;

	assert_true(e->num_calls < KERNEL_CALLS);
	c = &e->calls[e->num_calls++];
	memset(c, 0, sizeof(*c));
	c->op = op;
	c->peer = peer;
	return c;
}

static inline int mock_sa_add(void *ctx, uint32_t peer, const struct ike_kernel_sa *sa,
			      bool active, struct ike_error *err)
{
	struct kernel_call *c;

	if (((struct end *)ctx)->refuse_add)
		return ike_error_set(err, 0, "mock kernel: no");
	c = record(ctx, 'a', peer);
	c->sa = *sa;
	c->dir = sa->dir;
	c->spi = sa->spi;
	c->active = active;
	return 0;
}

static inline int mock_sa_activate(void *ctx, uint32_t peer, uint32_t spi,
				   struct ike_error *err)
{
	struct kernel_call *c = record(ctx, 's', peer);

	(void)err;
	c->dir = VESP_SA_DIR_OUT;
	c->spi = spi;
	return 0;
}

static inline int mock_sa_del(void *ctx, uint32_t peer, uint8_t dir, uint32_t spi,
			      struct ike_error *err)
{
	struct kernel_call *c = record(ctx, 'd', peer);

	(void)err;
	c->dir = dir;
	c->spi = spi;
	return 0;
}

static inline int mock_path_set(void *ctx, uint32_t peer,
				const struct ike_endpoint *local,
				const struct ike_endpoint *remote, struct ike_error *err)
{
	struct kernel_call *c = record(ctx, 'p', peer);

	(void)err;
	c->local = *local;
	c->remote = *remote;
	return 0;
}

static inline void add_proposals(struct ike_proposal *out, size_t *num,
				 uint8_t protocol, const char *const *text)
{
	struct ike_error err;

	for (*num = 0; text && text[*num]; (*num)++) {
		if (ike_proposal_from_string(&out[*num], protocol, text[*num], &err) < 0)
			fail_msg("%s", err.text);
		out[*num].number = (uint8_t)(*num + 1);
	}
}

static inline void set_id(struct ike_identity *id, const char *text)
{
	struct ike_error err;

	if (ike_identity_from_string(id, text, &err) < 0)
		fail_msg("%s", err.text);
}

static const char *const default_ike[] = { "aes256gcm16-prfsha256-x25519", NULL };
static const char *const default_esp[] = { "aes256gcm16-esn-noesn", NULL };
#define PSK "a shared key of no great length"

/*
 * One end with defaults: the proposals above, PSK, FQDN identities
 * (initiator "moon.example", responder "sun.example"), route-based
 * selectors, peer 7 (initiator) and 9 (responder).
 */
static inline void end_setup(struct end *e, bool initiator)
{
	memset(e, 0, sizeof(*e));
	e->initiator = initiator;
	e->next = initiator ? 0x10 : 0x80;
	e->kernel = (struct ike_kernel){
		.sa_add = mock_sa_add, .sa_activate = mock_sa_activate,
		.sa_del = mock_sa_del, .path_set = mock_path_set, .ctx = e,
	};
	e->deps = (struct ike_deps){ mock_random, mock_dh, e, &e->kernel };
	e->io = (struct ike_io){ mock_now, mock_send, e };
	add_proposals(e->config.proposals, &e->config.num_proposals, IKE_PROTO_IKE,
		      default_ike);
	add_proposals(e->config.child_proposals, &e->config.num_child_proposals,
		      IKE_PROTO_ESP, default_esp);
	set_id(&e->config.local_id, initiator ? "moon.example" : "sun.example");
	set_id(&e->config.remote_id, initiator ? "sun.example" : "moon.example");
	memcpy(e->config.psk, PSK, strlen(PSK));
	e->config.psk_len = strlen(PSK);
	ike_sa_config_default_ts(&e->config);
	e->config.peer_id = initiator ? 7 : 9;
}

/* Create the SA and its manager, once the test has adjusted the config. */
static inline void end_start(struct end *e)
{
	struct ike_error err;

	assert_int_equal(ike_sa_create(&e->sa, e->initiator, &e->config, &e->deps,
				       &err), 0);
	ike_manager_init(&e->m, &e->sa, &e->io, (struct ike_retransmit){ 1000, 3 });
}

static inline void end_teardown(struct end *e)
{
	ike_manager_destroy(&e->m);
	ike_sa_destroy(&e->sa);
	if (e->m2.sa) {
		ike_manager_destroy(&e->m2);
		ike_sa_destroy(&e->sa2);
	}
	ike_sa_config_clear(&e->config);
}

/* Take the oldest datagram out of @from's outbox. */
static inline size_t take(struct end *from, uint8_t *buf)
{
	size_t len;

	assert_true(from->num_out > 0);
	len = from->out_len[0];
	memcpy(buf, from->out[0], len);
	from->num_out--;
	memmove(from->out[0], from->out[1], from->num_out * sizeof(from->out[0]));
	memmove(from->out_len, from->out_len + 1, from->num_out * sizeof(size_t));
	memmove(from->out_local, from->out_local + 1,
		from->num_out * sizeof(from->out_local[0]));
	memmove(from->out_remote, from->out_remote + 1,
		from->num_out * sizeof(from->out_remote[0]));
	return len;
}

/*
 * Move the oldest datagram of @from to @to, to the manager of the IKE SA
 * its initiator SPI names (as the daemon's SA table would); @to's status.
 */
static inline enum ike_manager_status deliver(struct end *from, struct end *to)
{
	uint8_t buf[IKE_MESSAGE_MAX_LEN];
	size_t len = take(from, buf);
	struct ike_manager *m = &to->m;

	if (to->m2.sa && ike_get_be64(buf) == to->sa2.spi_i)
		m = &to->m2;
	return ike_manager_receive(m, buf, len);
}

/* Run every datagram both ways until both outboxes are empty. */
static inline void settle(struct end *a, struct end *b)
{
	while (a->num_out || b->num_out) {
		if (a->num_out)
			deliver(a, b);
		if (b->num_out)
			deliver(b, a);
	}
}

/* The recorded kernel call @i of @e, checked for its kind and direction. */
static inline const struct kernel_call *call(const struct end *e, size_t i,
					     char op, uint8_t dir)
{
	assert_true(i < e->num_calls);
	assert_int_equal(e->calls[i].op, op);
	assert_int_equal(e->calls[i].dir, dir);
	return &e->calls[i];
}

/* The message ID and exchange in the header of @from's oldest datagram. */
static inline struct ike_header peek(const struct end *from)
{
	struct ike_header hdr;

	assert_true(from->num_out > 0);
	assert_int_equal(ike_header_parse(&hdr, from->out[0], from->out_len[0], NULL), 0);
	return hdr;
}

/* The initiator and the responder of the test at hand. */
static struct end I, R;

/* cmocka fixtures: a fresh pair for each test, at time 0. */
static inline int setup(void **state)
{
	(void)state;
	now_ms = 0;
	end_setup(&I, true);
	end_setup(&R, false);
	return 0;
}

static inline int teardown(void **state)
{
	(void)state;
	end_teardown(&I);
	end_teardown(&R);
	return 0;
}

/* Start both ends and let the initiator bring the IKE SA up. */
static inline void run(void)
{
	end_start(&I);
	end_start(&R);
	assert_int_equal(ike_manager_initiate(&I.m), IKE_MANAGER_OK);
	settle(&I, &R);
}

#endif /* TESTS_IKE_PAIR_H */
