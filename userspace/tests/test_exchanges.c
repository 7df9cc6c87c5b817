// SPDX-License-Identifier: GPL-2.0
/*
 * IKE_AUTH with a shared key and the first Child SA, and INFORMATIONAL
 * (liveness, Delete), between two IKE SAs in one process (ike_pair.h).
 * Each case draws the message flow, then checks both ends and what each
 * asked its kernel to do.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>
#include <cmocka.h>

#include "ike/auth.h"
#include "ike_pair.h"


/* IKE_SA_INIT then IKE_AUTH, every datagram delivered. */
static void assert_established(void)
{
	assert_int_equal(I.sa.state, IKE_SA_STATE_ESTABLISHED);
	assert_int_equal(R.sa.state, IKE_SA_STATE_ESTABLISHED);
}

/*
 * Each end installed inbound, then outbound made active; what one sends
 * with, the other receives with.
 */
static void assert_child_installed(uint32_t alg, size_t enc_len, size_t auth_len,
				   bool esn)
{
	const struct kernel_call *i_in, *i_out, *r_in, *r_out;

	assert_int_equal(I.num_calls, 2);
	assert_int_equal(R.num_calls, 2);
	i_in = call(&I, 0, 'a', VESP_SA_DIR_IN);
	i_out = call(&I, 1, 'a', VESP_SA_DIR_OUT);
	r_in = call(&R, 0, 'a', VESP_SA_DIR_IN);
	r_out = call(&R, 1, 'a', VESP_SA_DIR_OUT);
	assert_false(i_in->active);
	assert_true(i_out->active);
	assert_true(r_out->active);
	assert_int_equal(i_in->peer, 7);
	assert_int_equal(r_in->peer, 9);

	assert_int_equal(i_out->spi, r_in->spi);
	assert_int_equal(r_out->spi, i_in->spi);
	assert_int_not_equal(i_in->spi, r_in->spi);
	assert_int_equal(i_out->sa.alg, alg);
	assert_int_equal(r_in->sa.alg, alg);
	assert_int_equal(i_out->sa.esn, esn);
	assert_int_equal(r_out->sa.esn, esn);
	assert_int_equal(i_out->sa.enc_key_len, enc_len);
	assert_int_equal(i_out->sa.auth_key_len, auth_len);
	assert_memory_equal(i_out->sa.enc_key, r_in->sa.enc_key, enc_len);
	assert_memory_equal(r_out->sa.enc_key, i_in->sa.enc_key, enc_len);
	assert_memory_equal(i_out->sa.auth_key, r_in->sa.auth_key, auth_len);
	assert_memory_equal(r_out->sa.auth_key, i_in->sa.auth_key, auth_len);
	/* the two directions have keys of their own */
	assert_memory_not_equal(i_out->sa.enc_key, i_in->sa.enc_key, enc_len);

	assert_int_equal(I.sa.children[0].state, IKE_CHILD_INSTALLED);
	assert_int_equal(I.sa.children[0].spi_out, R.sa.children[0].spi_in);
}

static void test_psk_aes_gcm(void **state)
{
	static const char *const r_esp[] = { "aes256gcm16-noesn-esn", NULL };
	struct ike_child_keys keys;
	struct ike_error err;

	(void)state;
	/* both offer ESN and no ESN; the responder's preference decides */
	add_proposals(R.config.child_proposals, &R.config.num_child_proposals,
		      IKE_PROTO_ESP, r_esp);
	/*
	 * I  HDR, SA, KE, Ni                       -->
	 *                                          <--  HDR, SA, KE, Nr
	 *    HDR, SK {IDi, AUTH, SAi2, TSi, TSr}   -->
	 *                          <--  HDR, SK {IDr, AUTH, SAr2, TSi, TSr}
	 */
	run();
	assert_established();
	/* AES-256-GCM: 32-byte key and 4-byte salt; the responder chose no ESN */
	assert_child_installed(VESP_SA_ALG_AES_GCM_16, 36, 0, false);

	/* the kernel keys are KEYMAT as §2.17 splits it, in the module's order */
	assert_int_equal(ike_child_keys_derive(&keys, &I.sa.children[0].suite,
					       I.sa.suite.prf,
					       ike_chunk(I.sa.keys.sk_d,
							 I.sa.keys.sizes.prf_key),
					       ike_chunk(NULL, 0),
					       ike_chunk(I.sa.ni, I.sa.ni_len),
					       ike_chunk(I.sa.nr, I.sa.nr_len), &err), 0);
	assert_memory_equal(I.calls[1].sa.enc_key, keys.encr_i, 36);
	assert_memory_equal(I.calls[0].sa.enc_key, keys.encr_r, 36);
	ike_child_keys_clear(&keys);
}

static void test_esn_and_cbc(void **state)
{
	static const char *const i_esp[] = { "aes128-sha256-esn", NULL };
	static const char *const r_esp[] = { "chacha20poly1305-noesn",
					     "aes128-sha256-esn-noesn", NULL };

	(void)state;
	add_proposals(I.config.child_proposals, &I.config.num_child_proposals,
		      IKE_PROTO_ESP, i_esp);
	add_proposals(R.config.child_proposals, &R.config.num_child_proposals,
		      IKE_PROTO_ESP, r_esp);
	run();
	assert_established();
	/* AES-128-CBC and HMAC-SHA2-256-128: 16- and 32-byte keys, with ESN */
	assert_child_installed(VESP_SA_ALG_AES_CBC_HMAC_SHA256, 16, 32, true);
}

static void test_chacha20(void **state)
{
	static const char *const esp[] = { "chacha20poly1305-esn", NULL };
	static const char *const ike[] = { "chacha20poly1305-prfsha512-ecp256", NULL };

	(void)state;
	add_proposals(I.config.child_proposals, &I.config.num_child_proposals,
		      IKE_PROTO_ESP, esp);
	add_proposals(R.config.child_proposals, &R.config.num_child_proposals,
		      IKE_PROTO_ESP, esp);
	add_proposals(I.config.proposals, &I.config.num_proposals, IKE_PROTO_IKE, ike);
	add_proposals(R.config.proposals, &R.config.num_proposals, IKE_PROTO_IKE, ike);
	run();
	assert_established();
	assert_child_installed(VESP_SA_ALG_CHACHA20_POLY1305, 36, 0, true);
}

static void test_identity_types(void **state)
{
	static const char *const ids[][2] = {
		{ "192.0.2.1", "198.51.100.7" },
		{ "2001:db8::1", "2001:db8::2" },
		{ "keyid:00c0ffee", "fqdn:sun.example" },
	};

	(void)state;
	for (size_t i = 0; i < sizeof(ids) / sizeof(ids[0]); i++) {
		end_teardown(&I);
		end_teardown(&R);
		setup(NULL);
		set_id(&I.config.local_id, ids[i][0]);
		set_id(&R.config.remote_id, ids[i][0]);
		set_id(&R.config.local_id, ids[i][1]);
		set_id(&I.config.remote_id, ids[i][1]);
		run();
		assert_established();
	}
	assert_int_equal(I.config.local_id.type, IKE_ID_KEY_ID);
	assert_int_equal(I.config.local_id.len, 4);
	assert_int_equal(R.config.local_id.type, IKE_ID_FQDN);
}

static void test_wrong_psk(void **state)
{
	(void)state;
	R.config.psk[0] ^= 1;
	/*
	 * I  HDR, SK {IDi, AUTH, SAi2, TSi, TSr}  -->
	 *                          <--  HDR, SK {N(AUTHENTICATION_FAILED)}
	 */
	end_start(&I);
	end_start(&R);
	ike_manager_initiate(&I.m);
	deliver(&I, &R);
	deliver(&R, &I);
	assert_int_equal(deliver(&I, &R), IKE_MANAGER_DEAD);
	assert_int_equal(R.m.error.notify, IKE_N_AUTHENTICATION_FAILED);
	assert_int_equal(deliver(&R, &I), IKE_MANAGER_DEAD);
	assert_int_equal(I.sa.state, IKE_SA_STATE_FAILED);
	assert_int_equal(R.sa.state, IKE_SA_STATE_FAILED);
	assert_int_equal(I.num_calls + R.num_calls, 0);
}

static void test_responder_auth_checked(void **state)
{
	(void)state;
	/* the responder proves the key too: a wrong one there fails at I */
	I.config.psk_len--;
	R.config.psk_len--;
	R.config.psk[R.config.psk_len - 1] ^= 1;
	I.config.psk[I.config.psk_len - 1] ^= 1;
	/* both sides agree on a changed key: still fine */
	run();
	assert_established();
	end_teardown(&I);
	end_teardown(&R);
	setup(NULL);
	set_id(&I.config.remote_id, "fqdn:mars.example");
	run();
	/* the responder authenticated itself as sun.example, not mars */
	assert_int_equal(R.sa.state, IKE_SA_STATE_ESTABLISHED);
	assert_int_equal(I.sa.state, IKE_SA_STATE_FAILED);
	assert_int_equal(I.m.error.notify, IKE_N_AUTHENTICATION_FAILED);
	assert_int_equal(I.num_calls, 0);
}

static void test_wrong_identity(void **state)
{
	(void)state;
	set_id(&R.config.remote_id, "fqdn:mars.example");
	run();
	assert_int_equal(R.sa.state, IKE_SA_STATE_FAILED);
	assert_int_equal(I.sa.state, IKE_SA_STATE_FAILED);
	assert_int_equal(I.num_calls + R.num_calls, 0);
}

static void test_child_refused_ike_sa_stays(void **state)
{
	static const char *const r_esp[] = { "aes128gcm16-noesn", NULL };

	(void)state;
	add_proposals(R.config.child_proposals, &R.config.num_child_proposals,
		      IKE_PROTO_ESP, r_esp);
	/*
	 * I  HDR, SK {IDi, AUTH, SAi2(AES-256-GCM), TSi, TSr}  -->
	 *              <--  HDR, SK {IDr, AUTH, N(NO_PROPOSAL_CHOSEN)}
	 */
	run();
	assert_established();
	assert_int_equal(I.m.auth.child.error, IKE_N_NO_PROPOSAL_CHOSEN);
	assert_int_equal(I.num_calls + R.num_calls, 0);
}

static void test_child_not_taken_is_deleted(void **state)
{
	(void)state;
	/* I's kernel refuses the child R made: I deletes it (§1.4.1) */
	I.refuse_add = true;
	/*
	 * I  HDR, SK {IDi, AUTH, SAi2, TSi, TSr}  -->
	 *                          <--  HDR, SK {IDr, AUTH, SAr2, TSi, TSr}
	 *    HDR, SK {D(ESP, SPIi)}               -->
	 *                          <--  HDR, SK {D(ESP, SPIr)}
	 */
	run();
	assert_established();
	assert_int_equal(I.num_calls, 0);
	assert_int_equal(R.num_calls, 4);
	assert_int_equal(call(&R, 2, 'd', VESP_SA_DIR_OUT)->spi, R.calls[1].spi);
	assert_int_equal(call(&R, 3, 'd', VESP_SA_DIR_IN)->spi, R.calls[0].spi);
	for (size_t i = 0; i < IKE_MAX_CHILDREN; i++) {
		assert_int_equal(I.sa.children[i].state, IKE_CHILD_FREE);
		assert_int_equal(R.sa.children[i].state, IKE_CHILD_FREE);
	}
	assert_true(ike_manager_idle(&I.m));
}

/*
 * An IKE_AUTH message of @e as another implementation writes it, sealed
 * with @e's keys: ID and AUTH (the shared key), then one ESP proposal of
 * AES-GCM-256 and ESN, with a KE transform for X25519 when @with_ke, and
 * route-based selectors.
 */
static size_t scripted_auth(struct end *e, bool with_ke, uint8_t *out)
{
	const struct ike_identity *id = &e->config.local_id;
	struct ike_header hdr = ike_sa_header(&e->sa, IKE_EXCHANGE_AUTH,
					      !e->initiator, 1);
	uint8_t chain[IKE_MESSAGE_MAX_LEN], octets[IKE_MESSAGE_MAX_LEN + 512];
	uint8_t body[4 + IKE_ID_MAX_LEN] = { id->type }, auth[IKE_PRF_MAX_LEN];
	struct ike_proposal p = { .number = 1, .protocol = IKE_PROTO_ESP,
				  .spi_size = 4, .spi = 0x5a5a0001 };
	struct ike_builder b;
	struct ike_error err;
	size_t len;

	memcpy(body + 4, id->data, id->len);
	assert_int_equal(ike_auth_signed_octets(&e->sa, e->initiator,
						ike_chunk(body, 4 + id->len), octets,
						sizeof(octets), &len, &err), 0);
	assert_int_equal(ike_auth_psk(IKE_PRF_HMAC_SHA2_256, ike_chunk(PSK, strlen(PSK)),
				      ike_chunk(octets, len), auth, &err), 0);
	ike_proposal_add(&p, IKE_TRANSFORM_ENCR, IKE_ENCR_AES_GCM_16, 256);
	if (with_ke)
		ike_proposal_add(&p, IKE_TRANSFORM_DH, IKE_DH_CURVE25519, 0);
	ike_proposal_add(&p, IKE_TRANSFORM_ESN, IKE_ESN_YES, 0);
	ike_builder_init_chain(&b, chain, sizeof(chain));
	assert_int_equal(ike_identity_build(&b, e->initiator ? IKE_PAYLOAD_IDI :
					    IKE_PAYLOAD_IDR, id), 0);
	assert_int_equal(ike_build_auth(&b, IKE_AUTH_SHARED_KEY_MIC, auth, 32), 0);
	assert_int_equal(ike_build_sa(&b, &p, 1), 0);
	assert_int_equal(ike_build_ts(&b, IKE_PAYLOAD_TSI, e->config.ts_local,
				      e->config.num_ts_local), 0);
	assert_int_equal(ike_build_ts(&b, IKE_PAYLOAD_TSR, e->config.ts_remote,
				      e->config.num_ts_remote), 0);
	assert_int_equal(ike_message_seal(&e->sa, &hdr, &b, out, IKE_MESSAGE_MAX_LEN,
					  &len, &err), 0);
	return len;
}

/* Open @buf, an IKE_AUTH message for @e, and return its one ESP proposal. */
static struct ike_proposal open_auth(struct end *e, const uint8_t *buf, size_t len)
{
	static struct ike_message msg;
	uint8_t plain[IKE_MESSAGE_MAX_LEN];
	struct ike_error err;
	bool authentic;

	assert_int_equal(ike_message_open(&e->sa, &msg, buf, len, plain, sizeof(plain),
					  &authentic, &err), 0);
	assert_non_null(ike_message_find(&msg, IKE_PAYLOAD_SA));
	assert_int_equal(msg.sa.num_proposals, 1);
	return msg.sa.proposals[0];
}

/* Both ends configured with PFS, "aes256gcm16-x25519-esn". */
static void pfs_config(void)
{
	static const char *const esp[] = { "aes256gcm16-x25519-esn", NULL };

	add_proposals(I.config.child_proposals, &I.config.num_child_proposals,
		      IKE_PROTO_ESP, esp);
	add_proposals(R.config.child_proposals, &R.config.num_child_proposals,
		      IKE_PROTO_ESP, esp);
	end_start(&I);
	end_start(&R);
}

static void test_pfs_first_child_strongswan_answer(void **state)
{
	uint8_t buf[IKE_MESSAGE_MAX_LEN];
	struct ike_proposal offer;
	size_t len;

	(void)state;
	pfs_config();
	/*
	 * I  HDR, SK {IDi, AUTH, SAi2(AES-GCM-256, ESN), TSi, TSr}  -->
	 *        <--  HDR, SK {IDr, AUTH, SAr2(AES-GCM-256, ESN), TSi, TSr}
	 *
	 * The first child has no key exchange (§1.2): I offers no KE
	 * transform, and strongSwan answers without one.
	 */
	ike_manager_initiate(&I.m);
	deliver(&I, &R);
	deliver(&R, &I);
	len = take(&I, buf);
	offer = open_auth(&R, buf, len);
	assert_null(ike_proposal_find(&offer, IKE_TRANSFORM_DH));
	assert_non_null(ike_proposal_find(&offer, IKE_TRANSFORM_ENCR));
	len = scripted_auth(&R, false, buf);
	assert_int_equal(ike_manager_receive(&I.m, buf, len), IKE_MANAGER_OK);
	assert_int_equal(I.sa.state, IKE_SA_STATE_ESTABLISHED);
	assert_int_equal(I.m.auth.child.error, 0);
	assert_int_equal(I.num_calls, 2);
	assert_int_equal(call(&I, 1, 'a', VESP_SA_DIR_OUT)->spi, 0x5a5a0001);
	assert_int_equal(I.sa.children[0].state, IKE_CHILD_INSTALLED);
	assert_int_equal(I.sa.children[0].suite.dh, IKE_DH_NONE);
	assert_true(I.sa.children[0].suite.esn);

	/* an answer that keeps the group anyway is taken, still without PFS */
	end_teardown(&I);
	end_teardown(&R);
	setup(NULL);
	pfs_config();
	ike_manager_initiate(&I.m);
	deliver(&I, &R);
	deliver(&R, &I);
	take(&I, buf);
	len = scripted_auth(&R, true, buf);
	assert_int_equal(ike_manager_receive(&I.m, buf, len), IKE_MANAGER_OK);
	assert_int_equal(I.m.auth.child.error, 0);
	assert_int_equal(I.num_calls, 2);
	assert_int_equal(I.sa.children[0].suite.dh, IKE_DH_NONE);

	/* an answer picking what was not offered: the child fails, and says why */
	end_teardown(&I);
	end_teardown(&R);
	setup(NULL);
	pfs_config();
	ike_manager_initiate(&I.m);
	deliver(&I, &R);
	deliver(&R, &I);
	take(&I, buf);
	I.config.child_proposals[0].transforms[0].key_length = 128;
	len = scripted_auth(&R, false, buf);
	assert_int_equal(ike_manager_receive(&I.m, buf, len), IKE_MANAGER_OK);
	assert_int_equal(I.sa.state, IKE_SA_STATE_ESTABLISHED);
	assert_int_equal(I.m.auth.child.error, IKE_N_NO_PROPOSAL_CHOSEN);
	assert_int_equal(I.num_calls, 0);
	assert_non_null(strstr(I.m.error.text, "did not offer"));
}

static void test_pfs_responder_takes_offer_with_ke(void **state)
{
	uint8_t buf[IKE_MESSAGE_MAX_LEN];
	struct ike_proposal answer;
	size_t len;

	(void)state;
	pfs_config();
	/*
	 * A peer that keeps the KE transform in IKE_AUTH:
	 *
	 * I  HDR, SK {IDi, AUTH, SAi2(AES-GCM-256, X25519, ESN), TSi, TSr}  -->
	 *        <--  HDR, SK {IDr, AUTH, SAr2(AES-GCM-256, ESN), TSi, TSr}
	 */
	ike_manager_initiate(&I.m);
	deliver(&I, &R);
	deliver(&R, &I);
	take(&I, buf);
	len = scripted_auth(&I, true, buf);
	assert_int_equal(ike_manager_receive(&R.m, buf, len), IKE_MANAGER_OK);
	assert_int_equal(R.sa.state, IKE_SA_STATE_ESTABLISHED);
	assert_false(R.m.auth_r.child_failed);
	assert_int_equal(R.num_calls, 2);
	assert_int_equal(R.sa.children[0].suite.dh, IKE_DH_NONE);
	len = take(&R, buf);
	answer = open_auth(&I, buf, len);
	assert_null(ike_proposal_find(&answer, IKE_TRANSFORM_DH));
	assert_int_equal(ike_proposal_find(&answer, IKE_TRANSFORM_ENCR)->id,
			 IKE_ENCR_AES_GCM_16);

	/* and one without it, as strongSwan sends it, the same way */
	end_teardown(&I);
	end_teardown(&R);
	setup(NULL);
	pfs_config();
	ike_manager_initiate(&I.m);
	deliver(&I, &R);
	deliver(&R, &I);
	take(&I, buf);
	len = scripted_auth(&I, false, buf);
	assert_int_equal(ike_manager_receive(&R.m, buf, len), IKE_MANAGER_OK);
	assert_false(R.m.auth_r.child_failed);
	assert_int_equal(R.num_calls, 2);
}

static void test_ts_narrowed(void **state)
{
	struct ike_ts *ts = &R.config.ts_local[0];

	(void)state;
	/* the responder allows only 10.1.0.0/16 behind it, IPv4 only */
	R.config.num_ts_local = 1;
	memset(ts->start_addr, 0, 16);
	ts->start_addr[0] = 10;
	ts->start_addr[1] = 1;
	memcpy(ts->end_addr, ts->start_addr, 4);
	ts->end_addr[2] = ts->end_addr[3] = 0xff;
	run();
	assert_established();
	assert_int_equal(I.m.auth.child.num_tsr, 1);
	assert_memory_equal(I.m.auth.child.tsr[0].end_addr, ts->end_addr, 4);
	assert_int_equal(I.m.auth.child.num_tsi, 2);

	/* nothing in common: TS_UNACCEPTABLE, the IKE SA stays */
	end_teardown(&I);
	end_teardown(&R);
	setup(NULL);
	I.config.num_ts_remote = 1;	/* IPv4 only */
	R.config.num_ts_local = 1;
	R.config.ts_local[0] = R.config.ts_local[1];	/* IPv6 only */
	run();
	assert_established();
	assert_int_equal(I.m.auth.child.error, IKE_N_TS_UNACCEPTABLE);
}

/* @ts: the IPv4 prefix a.b.c.0/24, any protocol and port. */
static void set_ts24(struct ike_ts *ts, uint8_t a, uint8_t b, uint8_t c)
{
	memset(ts, 0, sizeof(*ts));
	ts->type = IKE_TS_IPV4_ADDR_RANGE;
	ts->end_port = 0xffff;
	ts->start_addr[0] = ts->end_addr[0] = a;
	ts->start_addr[1] = ts->end_addr[1] = b;
	ts->start_addr[2] = ts->end_addr[2] = c;
	ts->end_addr[3] = 0xff;
}

/*
 * A hub whose tunnel to this spoke has remote-prefixes 10.0.2.0/24 and a
 * spoke configured route-based (0.0.0.0/0 and ::/0 both ways), each end
 * starting: the spoke's selectors narrow to its prefix either way, and a
 * spoke offering nothing of it is refused.
 */
static void test_ts_hub_and_spoke(void **state)
{
	struct ike_ts want;

	(void)state;
	set_ts24(&want, 10, 0, 2);
	/* the spoke (I) starts: the hub narrows its TSi 0/0 to the prefix */
	set_ts24(&R.config.ts_remote[0], 10, 0, 2);
	R.config.num_ts_remote = 1;
	run();
	assert_established();
	assert_int_equal(R.m.auth_r.child.num_tsi, 1);
	assert_memory_equal(&R.m.auth_r.child.tsi[0], &want, sizeof(want));
	assert_int_equal(R.m.auth_r.child.num_tsr, 2);
	/* and the spoke takes the narrowed answer */
	assert_int_equal(I.m.auth.child.num_tsi, 1);
	assert_memory_equal(&I.m.auth.child.tsi[0], &want, sizeof(want));
	assert_int_equal(I.m.auth.child.num_tsr, 2);
	assert_int_equal(I.m.auth.child.error, 0);
	assert_int_equal(I.num_calls, 2);
	assert_int_equal(R.num_calls, 2);

	/* the hub (I) starts: it offers TSr = the prefix, the spoke keeps it */
	end_teardown(&I);
	end_teardown(&R);
	setup(NULL);
	set_ts24(&I.config.ts_remote[0], 10, 0, 2);
	I.config.num_ts_remote = 1;
	run();
	assert_established();
	assert_int_equal(R.m.auth_r.child.num_tsr, 1);
	assert_memory_equal(&R.m.auth_r.child.tsr[0], &want, sizeof(want));
	assert_int_equal(I.m.auth.child.num_tsr, 1);
	assert_memory_equal(&I.m.auth.child.tsr[0], &want, sizeof(want));
	assert_int_equal(I.num_calls, 2);

	/* a spoke whose local-prefixes are 10.0.3.0/24: TS_UNACCEPTABLE */
	end_teardown(&I);
	end_teardown(&R);
	setup(NULL);
	set_ts24(&I.config.ts_local[0], 10, 0, 3);
	I.config.num_ts_local = 1;
	set_ts24(&R.config.ts_remote[0], 10, 0, 2);
	R.config.num_ts_remote = 1;
	run();
	assert_established();
	assert_true(R.m.auth_r.child_failed);
	assert_int_equal(R.m.auth_r.child.error, IKE_N_TS_UNACCEPTABLE);
	assert_int_equal(I.m.auth.child.error, IKE_N_TS_UNACCEPTABLE);
	/* nothing reached either module */
	assert_int_equal(I.num_calls, 0);
	assert_int_equal(R.num_calls, 0);
}

static void test_liveness(void **state)
{
	(void)state;
	run();
	/*
	 * I  HDR #2, SK {}  -->
	 *                   <--  HDR #2, SK {}
	 */
	assert_int_equal(ike_manager_liveness(&I.m), IKE_MANAGER_OK);
	/* asked again while one is out: not queued twice */
	assert_int_equal(ike_manager_liveness(&I.m), IKE_MANAGER_OK);
	assert_int_equal(I.m.num_queued, 0);
	assert_int_equal(deliver(&I, &R), IKE_MANAGER_OK);
	assert_int_equal(deliver(&R, &I), IKE_MANAGER_OK);
	assert_true(ike_manager_idle(&I.m));
	assert_established();

	/* a silent peer is given up after the retransmissions */
	assert_int_equal(ike_manager_liveness(&I.m), IKE_MANAGER_OK);
	I.num_out = 0;
	for (now_ms = 0; now_ms < 20000; now_ms += 500)
		if (ike_manager_tick(&I.m) == IKE_MANAGER_DEAD)
			break;
	assert_int_equal(now_ms, 15000);
	assert_int_equal(I.num_out, 3);
}

static void test_delete_child(void **state)
{
	uint32_t i_in, r_in;

	(void)state;
	run();
	i_in = I.sa.children[0].spi_in;
	r_in = R.sa.children[0].spi_in;
	/*
	 * I  HDR, SK {D(ESP, SPIi)}  -->
	 *                            <--  HDR, SK {D(ESP, SPIr)}
	 */
	assert_int_equal(ike_manager_delete_child(&I.m, i_in), IKE_MANAGER_OK);
	settle(&I, &R);
	/* each end: outbound first, then inbound */
	assert_int_equal(R.num_calls, 4);
	assert_int_equal(call(&R, 2, 'd', VESP_SA_DIR_OUT)->spi, i_in);
	assert_int_equal(call(&R, 3, 'd', VESP_SA_DIR_IN)->spi, r_in);
	assert_int_equal(I.num_calls, 4);
	assert_int_equal(call(&I, 2, 'd', VESP_SA_DIR_OUT)->spi, r_in);
	assert_int_equal(call(&I, 3, 'd', VESP_SA_DIR_IN)->spi, i_in);
	assert_int_equal(I.sa.children[0].state, IKE_CHILD_FREE);
	assert_int_equal(R.sa.children[0].state, IKE_CHILD_FREE);
	assert_established();
}

static void test_delete_ike_sa(void **state)
{
	(void)state;
	run();
	/*
	 * R  HDR #0, SK {D(IKE)}  -->   I
	 *                         <--   HDR #0, SK {}
	 */
	assert_int_equal(ike_manager_delete_ike(&R.m), IKE_MANAGER_OK);
	assert_int_equal(deliver(&R, &I), IKE_MANAGER_CLOSED);
	assert_int_equal(deliver(&I, &R), IKE_MANAGER_CLOSED);
	assert_int_equal(I.sa.state, IKE_SA_STATE_DELETED);
	assert_int_equal(R.sa.state, IKE_SA_STATE_DELETED);
	/* the children went with it, at both ends */
	assert_int_equal(I.num_calls, 4);
	assert_int_equal(R.num_calls, 4);
	assert_int_equal(call(&I, 3, 'd', VESP_SA_DIR_IN)->spi, I.calls[0].spi);
	assert_int_equal(call(&R, 3, 'd', VESP_SA_DIR_IN)->spi, R.calls[0].spi);
	/* nothing more is sent on a deleted SA */
	assert_int_equal(ike_manager_liveness(&I.m), IKE_MANAGER_DEAD);
}

/* §2.15 by hand, to check the helpers' framing against the text. */
static void test_auth_octets(void **state)
{
	uint8_t octets[8192], auth[IKE_PRF_MAX_LEN], inner[IKE_PRF_MAX_LEN];
	uint8_t maced[IKE_PRF_MAX_LEN], by_hand[8192], expect[IKE_PRF_MAX_LEN];
	uint8_t body[4 + IKE_ID_MAX_LEN];
	struct ike_chunk pad = ike_chunk("Key Pad for IKEv2", 17), part;
	struct ike_error err;
	size_t len, n;

	(void)state;
	run();
	body[0] = IKE_ID_FQDN;
	body[1] = body[2] = body[3] = 0;
	memcpy(body + 4, "moon.example", 12);
	part = ike_chunk(body, 16);
	assert_int_equal(ike_auth_signed_octets(&I.sa, true, part, octets,
						sizeof(octets), &len, &err), 0);
	/* RealMessage1 | NonceRData | prf(SK_pi, IDi') */
	memcpy(by_hand, I.sa.init_request, I.sa.init_request_len);
	n = I.sa.init_request_len;
	memcpy(by_hand + n, I.sa.nr, I.sa.nr_len);
	n += I.sa.nr_len;
	assert_int_equal(ike_prf(IKE_PRF_HMAC_SHA2_256,
				 ike_chunk(I.sa.keys.sk_pi, 32), &part, 1, maced, &err), 0);
	memcpy(by_hand + n, maced, 32);
	n += 32;
	assert_int_equal(len, n);
	assert_memory_equal(octets, by_hand, n);

	assert_int_equal(ike_auth_psk(IKE_PRF_HMAC_SHA2_256, ike_chunk(PSK, strlen(PSK)),
				      ike_chunk(octets, len), auth, &err), 0);
	assert_int_equal(ike_prf(IKE_PRF_HMAC_SHA2_256, ike_chunk(PSK, strlen(PSK)),
				 &pad, 1, inner, &err), 0);
	part = ike_chunk(by_hand, n);
	assert_int_equal(ike_prf(IKE_PRF_HMAC_SHA2_256, ike_chunk(inner, 32), &part, 1,
				 expect, &err), 0);
	assert_memory_equal(auth, expect, 32);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(test_psk_aes_gcm, setup, teardown),
		cmocka_unit_test_setup_teardown(test_esn_and_cbc, setup, teardown),
		cmocka_unit_test_setup_teardown(test_chacha20, setup, teardown),
		cmocka_unit_test_setup_teardown(test_identity_types, setup, teardown),
		cmocka_unit_test_setup_teardown(test_wrong_psk, setup, teardown),
		cmocka_unit_test_setup_teardown(test_responder_auth_checked, setup,
						teardown),
		cmocka_unit_test_setup_teardown(test_wrong_identity, setup, teardown),
		cmocka_unit_test_setup_teardown(test_child_refused_ike_sa_stays, setup,
						teardown),
		cmocka_unit_test_setup_teardown(test_child_not_taken_is_deleted, setup,
						teardown),
		cmocka_unit_test_setup_teardown(test_pfs_first_child_strongswan_answer,
						setup, teardown),
		cmocka_unit_test_setup_teardown(test_pfs_responder_takes_offer_with_ke,
						setup, teardown),
		cmocka_unit_test_setup_teardown(test_ts_narrowed, setup, teardown),
		cmocka_unit_test_setup_teardown(test_ts_hub_and_spoke, setup, teardown),
		cmocka_unit_test_setup_teardown(test_liveness, setup, teardown),
		cmocka_unit_test_setup_teardown(test_delete_child, setup, teardown),
		cmocka_unit_test_setup_teardown(test_delete_ike_sa, setup, teardown),
		cmocka_unit_test_setup_teardown(test_auth_octets, setup, teardown),
	};

	return run_tap_tests("exchanges", tests);
}
