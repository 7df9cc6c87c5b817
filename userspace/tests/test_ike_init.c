// SPDX-License-Identifier: GPL-2.0
/*
 * IKE_SA_INIT between two IKE SAs in one process (ike/task_ike_init.c),
 * with mock randomness and fixed DH key pairs (RFC 7748 §6.1, RFC 5903
 * §8.1), so every run exchanges the same bytes. Each case draws the
 * message flow, then checks both ends.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>
#include <cmocka.h>

#include "ike/crypto.h"
#include "ike/payload.h"
#include "ike/sa.h"
#include "ike/task.h"
#include "ike/wire.h"
#include "lib/testutil.h"

#define BUF_LEN 2048

/* One end's outside world: counting "random" bytes and its own DH keys. */
struct mock {
	uint8_t next;
	const char *x25519_priv;
	const char *p256_priv, *p256_pub;
	unsigned int dh_created;
};

static int mock_random(void *ctx, uint8_t *buf, size_t len, struct ike_error *err)
{
	struct mock *m = ctx;

	(void)err;
	for (size_t i = 0; i < len; i++)
		buf[i] = m->next++;
	return 0;
}

static struct ike_dh *mock_dh(void *ctx, uint16_t group, struct ike_error *err)
{
	struct mock *m = ctx;
	uint8_t priv[64], pub[128];
	size_t priv_len, pub_len;

	m->dh_created++;
	switch (group) {
	case IKE_DH_CURVE25519:
		priv_len = hex_decode(m->x25519_priv, priv, sizeof(priv));
		return ike_dh_from_keypair(group, ike_chunk(priv, priv_len),
					   ike_chunk(NULL, 0), err);
	case IKE_DH_ECP_256:
		priv_len = hex_decode(m->p256_priv, priv, sizeof(priv));
		pub_len = hex_decode(m->p256_pub, pub, sizeof(pub));
		return ike_dh_from_keypair(group, ike_chunk(priv, priv_len),
					   ike_chunk(pub, pub_len), err);
	default:
		return ike_dh_generate(group, err);
	}
}

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

struct end {
	struct mock mock;
	struct ike_deps deps;
	struct ike_sa_config config;
	struct ike_sa sa;
	struct ike_init_task task;
};

static void end_setup(struct end *e, bool initiator, const char *const *proposals,
		      size_t n)
{
	struct ike_error err;

	memset(e, 0, sizeof(*e));
	e->mock.next = initiator ? 0x10 : 0x80;
	e->mock.x25519_priv = initiator ? X25519_A : X25519_B;
	e->mock.p256_priv = initiator ? P256_I : P256_R;
	e->mock.p256_pub = initiator ? P256_GI : P256_GR;
	e->deps.random = mock_random;
	e->deps.dh_create = mock_dh;
	e->deps.ctx = &e->mock;
	for (size_t i = 0; i < n; i++) {
		if (ike_proposal_from_string(&e->config.proposals[i], IKE_PROTO_IKE,
					     proposals[i], &err) < 0)
			fail_msg("%s", err.text);
		e->config.proposals[i].number = (uint8_t)(i + 1);
	}
	e->config.num_proposals = n;
	assert_int_equal(ike_sa_create(&e->sa, initiator, &e->config, &e->deps, &err), 0);
	ike_init_task_setup(&e->task);
}

static void end_teardown(struct end *e)
{
	ike_sa_destroy(&e->sa);
}

/*
 * One request and its response, passed as bytes. The statuses of the
 * responder's process_r and the initiator's process_i are returned; the
 * response is left parsed in @resp (over @resp_buf).
 */
static void round_trip(struct end *i, struct end *r, enum ike_task_status *st_r,
		       enum ike_task_status *st_i, uint8_t *req_buf, size_t *req_len,
		       uint8_t *resp_buf, struct ike_message *resp)
{
	static struct ike_message req;
	struct ike_header hdr;
	struct ike_builder b;
	struct ike_error err;
	size_t resp_len;

	hdr = ike_sa_header(&i->sa, IKE_EXCHANGE_SA_INIT, false, 0);
	ike_builder_init_message(&b, req_buf, BUF_LEN, &hdr);
	assert_int_equal(i->task.task.build_i(&i->task.task, &i->sa, &b, &err),
			 IKE_TASK_DONE);
	assert_int_equal(ike_builder_finish(&b, req_len, &err), 0);

	assert_int_equal(ike_message_parse(&req, req_buf, *req_len, &err), 0);
	*st_r = r->task.task.process_r(&r->task.task, &r->sa, &req, &err);

	hdr = ike_sa_header(&r->sa, IKE_EXCHANGE_SA_INIT, true, 0);
	/* a refusal creates no responder state, hence no responder SPI */
	if (*st_r != IKE_TASK_DONE)
		hdr.spi_r = 0;
	ike_builder_init_message(&b, resp_buf, BUF_LEN, &hdr);
	assert_int_equal(r->task.task.build_r(&r->task.task, &r->sa, &b, &err), *st_r);
	assert_int_equal(ike_builder_finish(&b, &resp_len, &err), 0);

	assert_int_equal(ike_message_parse(resp, resp_buf, resp_len, &err), 0);
	*st_i = i->task.task.process_i(&i->task.task, &i->sa, resp, &err);
}

static void assert_same_keys(const struct ike_sa *a, const struct ike_sa *b)
{
	const struct ike_key_sizes *s = &a->keys.sizes;

	assert_int_equal(a->state, IKE_SA_STATE_KEYED);
	assert_int_equal(b->state, IKE_SA_STATE_KEYED);
	assert_int_equal(a->spi_i, b->spi_i);
	assert_int_equal(a->spi_r, b->spi_r);
	assert_memory_equal(&a->suite, &b->suite, sizeof(a->suite));
	assert_memory_equal(a->keys.sk_d, b->keys.sk_d, s->prf_key);
	assert_memory_equal(a->keys.sk_ai, b->keys.sk_ai, s->integ_key);
	assert_memory_equal(a->keys.sk_ar, b->keys.sk_ar, s->integ_key);
	assert_memory_equal(a->keys.sk_ei, b->keys.sk_ei, s->encr_key);
	assert_memory_equal(a->keys.sk_er, b->keys.sk_er, s->encr_key);
	assert_memory_equal(a->keys.sk_pi, b->keys.sk_pi, s->prf_key);
	assert_memory_equal(a->keys.sk_pr, b->keys.sk_pr, s->prf_key);
	/* the two directions must not share keys */
	assert_memory_not_equal(a->keys.sk_ei, a->keys.sk_er, s->encr_key);
}

static void test_ike_sa_init(void **state)
{
	static const char *const mine[] = { "aes256gcm16-prfsha256-x25519",
					    "aes128-sha256-x25519" };
	static const char *const theirs[] = { "aes128-sha256-x25519",
					      "aes256gcm16-prfsha256-x25519" };
	uint8_t req[BUF_LEN], resp_buf[BUF_LEN], k[32], seed[IKE_PRF_MAX_LEN];
	struct ike_sa_keys expect;
	enum ike_task_status st_r, st_i;
	struct ike_message resp;
	struct ike_error err;
	struct end i, r;
	size_t req_len;

	(void)state;
	end_setup(&i, true, mine, 2);
	end_setup(&r, false, theirs, 2);

	/*
	 * initiator                               responder
	 * HDR(SPIi, 0), SA(2 proposals), KE(31), Ni -->
	 *                          <-- HDR(SPIi, SPIr), SA(#2), KE(31), Nr
	 */
	round_trip(&i, &r, &st_r, &st_i, req, &req_len, resp_buf, &resp);
	assert_int_equal(st_r, IKE_TASK_DONE);
	assert_int_equal(st_i, IKE_TASK_DONE);

	/* the responder's preference wins: proposal 2 of the initiator */
	assert_int_equal(resp.sa.num_proposals, 1);
	assert_int_equal(resp.sa.proposals[0].number, 2);
	assert_int_equal(i.sa.suite.encr, IKE_ENCR_AES_CBC);
	assert_int_equal(i.sa.suite.integ, IKE_INTEG_HMAC_SHA2_256_128);
	assert_int_equal(i.sa.suite.dh, IKE_DH_CURVE25519);
	assert_same_keys(&i.sa, &r.sa);
	assert_null(i.sa.dh);
	assert_null(r.sa.dh);
	end_teardown(&i);
	end_teardown(&r);

	/* the same with the initiator's first choice on both sides */
	end_setup(&i, true, mine, 2);
	end_setup(&r, false, mine, 2);
	round_trip(&i, &r, &st_r, &st_i, req, &req_len, resp_buf, &resp);
	assert_int_equal(st_i, IKE_TASK_DONE);
	assert_same_keys(&i.sa, &r.sa);
	assert_int_equal(i.sa.suite.encr, IKE_ENCR_AES_GCM_16);

	/*
	 * The keys are those of §2.14 over the RFC 7748 shared secret, the
	 * nonces in the order Ni | Nr and the SPIs in the order SPIi | SPIr.
	 */
	hex_decode(X25519_K, k, sizeof(k));
	assert_int_equal(ike_skeyseed(IKE_PRF_HMAC_SHA2_256, ike_chunk(i.sa.ni, i.sa.ni_len),
				      ike_chunk(r.sa.nr, r.sa.nr_len), ike_chunk(k, 32),
				      seed, &err), 0);
	assert_int_equal(ike_sa_keys_derive(&expect, &i.sa.suite, ike_chunk(seed, 32),
					    ike_chunk(i.sa.ni, i.sa.ni_len),
					    ike_chunk(r.sa.nr, r.sa.nr_len),
					    i.sa.spi_i, r.sa.spi_r, &err), 0);
	assert_memory_equal(expect.sk_d, i.sa.keys.sk_d, 32);
	assert_memory_equal(expect.sk_ei, i.sa.keys.sk_ei, 36);
	assert_memory_equal(expect.sk_pr, r.sa.keys.sk_pr, 32);
	/* the mocks were used: counting nonces, counting SPIs */
	assert_int_equal(i.sa.ni[0], 0x18);
	assert_int_equal(r.sa.spi_r, 0x8081828384858687ULL);
	ike_sa_keys_clear(&expect);
	end_teardown(&i);
	end_teardown(&r);
}

static void test_invalid_ke_retry(void **state)
{
	static const char *const mine[] = { "aes256gcm16-prfsha256-x25519-ecp256" };
	static const char *const theirs[] = { "aes256gcm16-prfsha256-ecp256" };
	uint8_t req[BUF_LEN], first_ni[IKE_NONCE_LEN], resp_buf[BUF_LEN];
	const struct ike_payload *n;
	enum ike_task_status st_r, st_i;
	struct ike_message resp, again;
	struct ike_error err;
	struct end i, r;
	size_t req_len;

	(void)state;
	end_setup(&i, true, mine, 1);
	end_setup(&r, false, theirs, 1);

	/*
	 * initiator                               responder
	 * HDR, SA, KE(31), Ni               -->
	 *                                   <--   HDR(SPIi, 0), N(INVALID_KE_PAYLOAD, 19)
	 */
	round_trip(&i, &r, &st_r, &st_i, req, &req_len, resp_buf, &resp);
	assert_int_equal(st_r, IKE_TASK_FAILED);
	assert_int_equal(st_i, IKE_TASK_RETRY);
	assert_int_equal(resp.hdr.spi_r, 0);
	n = ike_message_find_notify(&resp, IKE_N_INVALID_KE_PAYLOAD);
	assert_non_null(n);
	assert_int_equal(n->u.notify.data.len, 2);
	assert_int_equal(ike_get_be16(n->u.notify.data.ptr), IKE_DH_ECP_256);
	assert_int_equal(i.sa.state, IKE_SA_STATE_CREATED);
	memcpy(first_ni, i.sa.ni, sizeof(first_ni));

	/*
	 * HDR, SA, KE(19), Ni (same Ni)     -->
	 *                                   <--   HDR, SA, KE(19), Nr
	 */
	end_teardown(&r);
	end_setup(&r, false, theirs, 1);
	round_trip(&i, &r, &st_r, &st_i, req, &req_len, resp_buf, &resp);
	assert_int_equal(ike_message_parse(&again, req, req_len, &err), 0);
	n = ike_message_find(&again, IKE_PAYLOAD_KE);
	assert_int_equal(n->u.ke.group, IKE_DH_ECP_256);
	assert_int_equal(n->u.ke.data.len, 64);
	n = ike_message_find(&again, IKE_PAYLOAD_NONCE);
	assert_memory_equal(n->body.ptr, first_ni, IKE_NONCE_LEN);
	assert_int_equal(st_r, IKE_TASK_DONE);
	assert_int_equal(st_i, IKE_TASK_DONE);
	assert_same_keys(&i.sa, &r.sa);
	assert_int_equal(i.mock.dh_created, 2);
	end_teardown(&i);
	end_teardown(&r);
}

static void test_invalid_ke_for_unoffered_group(void **state)
{
	static const char *const mine[] = { "aes256gcm16-prfsha256-x25519" };
	uint8_t req[BUF_LEN], resp_buf[BUF_LEN], group[2];
	struct ike_message resp;
	struct ike_header hdr;
	struct ike_builder b;
	struct ike_error err;
	struct end i;
	size_t len;

	(void)state;
	end_setup(&i, true, mine, 1);
	hdr = ike_sa_header(&i.sa, IKE_EXCHANGE_SA_INIT, false, 0);
	ike_builder_init_message(&b, req, sizeof(req), &hdr);
	assert_int_equal(i.task.task.build_i(&i.task.task, &i.sa, &b, &err), IKE_TASK_DONE);

	/* <-- N(INVALID_KE_PAYLOAD, 14): a group we never offered */
	hdr.flags = IKE_FLAG_RESPONSE;
	ike_builder_init_message(&b, resp_buf, sizeof(resp_buf), &hdr);
	ike_put_be16(group, IKE_DH_MODP_2048);
	ike_build_notify(&b, 0, 0, 0, IKE_N_INVALID_KE_PAYLOAD, group, 2);
	assert_int_equal(ike_builder_finish(&b, &len, &err), 0);
	assert_int_equal(ike_message_parse(&resp, resp_buf, len, &err), 0);
	assert_int_equal(i.task.task.process_i(&i.task.task, &i.sa, &resp, &err),
			 IKE_TASK_FAILED);
	assert_int_equal(i.sa.state, IKE_SA_STATE_FAILED);
	end_teardown(&i);
}

static void test_no_proposal_chosen(void **state)
{
	static const char *const mine[] = { "aes256gcm16-prfsha256-x25519" };
	static const char *const theirs[] = { "chacha20poly1305-prfsha512-x25519" };
	uint8_t req[BUF_LEN], resp_buf[BUF_LEN];
	enum ike_task_status st_r, st_i;
	struct ike_message resp;
	struct end i, r;
	size_t req_len;

	(void)state;
	end_setup(&i, true, mine, 1);
	end_setup(&r, false, theirs, 1);

	/*
	 * HDR, SA, KE, Ni                   -->
	 *                                   <--   HDR, N(NO_PROPOSAL_CHOSEN)
	 */
	round_trip(&i, &r, &st_r, &st_i, req, &req_len, resp_buf, &resp);
	assert_int_equal(st_r, IKE_TASK_FAILED);
	assert_int_equal(st_i, IKE_TASK_FAILED);
	assert_non_null(ike_message_find_notify(&resp, IKE_N_NO_PROPOSAL_CHOSEN));
	assert_int_equal(resp.num_payloads, 1);
	assert_int_equal(i.sa.state, IKE_SA_STATE_FAILED);
	assert_int_not_equal(r.sa.state, IKE_SA_STATE_KEYED);
	end_teardown(&i);
	end_teardown(&r);
}

static void test_responder_refuses_incomplete_request(void **state)
{
	static const char *const mine[] = { "aes256gcm16-prfsha256-x25519" };
	uint8_t req[BUF_LEN], ke[32] = { 9 }, resp_buf[BUF_LEN];
	struct ike_message msg, resp;
	struct ike_header hdr = { .spi_i = 1, .major_version = 2,
				  .exchange = IKE_EXCHANGE_SA_INIT,
				  .flags = IKE_FLAG_INITIATOR };
	struct ike_builder b;
	struct ike_error err;
	struct end r;
	size_t len;

	(void)state;
	end_setup(&r, false, mine, 1);
	/* HDR, SA, KE (no Ni) --> */
	ike_builder_init_message(&b, req, sizeof(req), &hdr);
	ike_build_sa(&b, r.config.proposals, 1);
	ike_build_ke(&b, IKE_DH_CURVE25519, ke, sizeof(ke));
	assert_int_equal(ike_builder_finish(&b, &len, &err), 0);
	assert_int_equal(ike_message_parse(&msg, req, len, &err), 0);
	memset(&err, 0, sizeof(err));
	assert_int_equal(r.task.task.process_r(&r.task.task, &r.sa, &msg, &err),
			 IKE_TASK_FAILED);
	assert_int_equal(err.notify, IKE_N_INVALID_SYNTAX);
	/* <-- N(INVALID_SYNTAX) */
	ike_builder_init_message(&b, resp_buf, sizeof(resp_buf), &hdr);
	r.task.task.build_r(&r.task.task, &r.sa, &b, &err);
	assert_int_equal(ike_builder_finish(&b, &len, &err), 0);
	assert_int_equal(ike_message_parse(&resp, resp_buf, len, &err), 0);
	assert_non_null(ike_message_find_notify(&resp, IKE_N_INVALID_SYNTAX));
	end_teardown(&r);

	/* HDR, SA, KE(all-zero X25519 point), Ni --> : refused, INVALID_SYNTAX */
	end_setup(&r, false, mine, 1);
	memset(ke, 0, sizeof(ke));
	ike_builder_init_message(&b, req, sizeof(req), &hdr);
	ike_build_sa(&b, r.config.proposals, 1);
	ike_build_ke(&b, IKE_DH_CURVE25519, ke, sizeof(ke));
	ike_build_nonce(&b, ke, 16);
	assert_int_equal(ike_builder_finish(&b, &len, &err), 0);
	assert_int_equal(ike_message_parse(&msg, req, len, &err), 0);
	memset(&err, 0, sizeof(err));
	assert_int_equal(r.task.task.process_r(&r.task.task, &r.sa, &msg, &err),
			 IKE_TASK_FAILED);
	assert_int_equal(err.notify, IKE_N_INVALID_SYNTAX);
	assert_int_not_equal(r.sa.state, IKE_SA_STATE_KEYED);
	end_teardown(&r);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_ike_sa_init),
		cmocka_unit_test(test_invalid_ke_retry),
		cmocka_unit_test(test_invalid_ke_for_unoffered_group),
		cmocka_unit_test(test_no_proposal_chosen),
		cmocka_unit_test(test_responder_refuses_incomplete_request),
	};

	return run_tap_tests("ike_init", tests);
}
