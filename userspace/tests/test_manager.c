// SPDX-License-Identifier: GPL-2.0
/*
 * The task manager (ike/manager.c) between two IKE SAs in one process:
 * message IDs, retransmission with backoff and giving up, cached responses
 * for retransmitted requests, INVALID_KE_PAYLOAD and COOKIE retries. The
 * exchanges themselves are tested in test_exchanges.c.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>
#include <cmocka.h>

#include "ike_pair.h"


static void assert_established(void)
{
	assert_int_equal(I.sa.state, IKE_SA_STATE_ESTABLISHED);
	assert_int_equal(R.sa.state, IKE_SA_STATE_ESTABLISHED);
	assert_true(ike_manager_idle(&I.m));
	assert_true(ike_manager_idle(&R.m));
}

static void test_message_ids(void **state)
{
	struct ike_header hdr;

	(void)state;
	end_start(&I);
	end_start(&R);
	/*
	 * I  IKE_SA_INIT #0 -->          R
	 *                   <-- #0
	 *    IKE_AUTH #1    -->
	 *                   <-- #1
	 */
	assert_int_equal(ike_manager_initiate(&I.m), IKE_MANAGER_OK);
	hdr = peek(&I);
	assert_int_equal(hdr.exchange, IKE_EXCHANGE_SA_INIT);
	assert_int_equal(hdr.message_id, 0);
	assert_int_equal(deliver(&I, &R), IKE_MANAGER_OK);
	assert_int_equal(deliver(&R, &I), IKE_MANAGER_OK);
	/* the response to IKE_SA_INIT sends IKE_AUTH at once */
	hdr = peek(&I);
	assert_int_equal(hdr.exchange, IKE_EXCHANGE_AUTH);
	assert_int_equal(hdr.message_id, 1);
	assert_int_equal(deliver(&I, &R), IKE_MANAGER_OK);
	hdr = peek(&R);
	assert_true(hdr.flags & IKE_FLAG_RESPONSE);
	assert_false(hdr.flags & IKE_FLAG_INITIATOR);
	assert_int_equal(hdr.message_id, 1);
	assert_int_equal(deliver(&R, &I), IKE_MANAGER_OK);
	assert_established();
	assert_int_equal(I.m.next_id, 2);
	assert_int_equal(R.m.peer_next_id, 2);

	/* the responder's own requests count from 0 in its own window */
	assert_int_equal(ike_manager_liveness(&R.m), IKE_MANAGER_OK);
	hdr = peek(&R);
	assert_int_equal(hdr.exchange, IKE_EXCHANGE_INFORMATIONAL);
	assert_int_equal(hdr.message_id, 0);
	assert_false(hdr.flags & IKE_FLAG_RESPONSE);
	settle(&R, &I);
	assert_int_equal(R.m.next_id, 1);
	assert_int_equal(I.m.peer_next_id, 1);
	assert_established();
}

static void test_retransmit_backoff_and_give_up(void **state)
{
	uint8_t first[IKE_MESSAGE_MAX_LEN], again[IKE_MESSAGE_MAX_LEN];
	size_t first_len;

	(void)state;
	end_start(&I);
	/* I  IKE_SA_INIT #0 --> (lost), again after 1 s, 2 s, 4 s; then I gives up */
	assert_int_equal(ike_manager_initiate(&I.m), IKE_MANAGER_OK);
	first_len = take(&I, first);
	assert_int_equal(ike_manager_deadline(&I.m), 1000);

	now_ms = 999;
	assert_int_equal(ike_manager_tick(&I.m), IKE_MANAGER_OK);
	assert_int_equal(I.num_out, 0);
	now_ms = 1000;
	assert_int_equal(ike_manager_tick(&I.m), IKE_MANAGER_OK);
	assert_int_equal(take(&I, again), first_len);
	/* a retransmission is the same bytes, not a new request (§2.1) */
	assert_memory_equal(first, again, first_len);
	assert_int_equal(ike_manager_deadline(&I.m), 1000 + 2000);
	now_ms = 3000;
	assert_int_equal(ike_manager_tick(&I.m), IKE_MANAGER_OK);
	take(&I, again);
	assert_int_equal(ike_manager_deadline(&I.m), 3000 + 4000);
	now_ms = 7000;
	assert_int_equal(ike_manager_tick(&I.m), IKE_MANAGER_OK);
	take(&I, again);
	assert_int_equal(ike_manager_deadline(&I.m), 7000 + 8000);
	/* three retries sent: the fourth deadline gives up */
	now_ms = 14999;
	assert_int_equal(ike_manager_tick(&I.m), IKE_MANAGER_OK);
	now_ms = 15000;
	assert_int_equal(ike_manager_tick(&I.m), IKE_MANAGER_DEAD);
	assert_int_equal(I.num_out, 0);
	assert_int_equal(I.sa.state, IKE_SA_STATE_FAILED);
	assert_non_null(strstr(I.m.error.text, "given up"));
}

static void test_lost_response_answered_from_cache(void **state)
{
	uint8_t first[IKE_MESSAGE_MAX_LEN], second[IKE_MESSAGE_MAX_LEN];
	unsigned int dh_before, random_before;
	size_t first_len, second_len;

	(void)state;
	end_start(&I);
	end_start(&R);
	/*
	 * I  IKE_AUTH #1 -->            R
	 *                <-- #1 (lost)
	 *    IKE_AUTH #1 -->            (retransmitted)
	 *                <-- #1          the same response, not processed again
	 */
	ike_manager_initiate(&I.m);
	deliver(&I, &R);
	deliver(&R, &I);
	deliver(&I, &R);
	first_len = take(&R, first);
	assert_int_equal(R.sa.state, IKE_SA_STATE_ESTABLISHED);
	assert_int_equal(R.num_calls, 2);
	dh_before = R.dh_created;
	random_before = R.random_calls;

	now_ms = 1000;
	ike_manager_tick(&I.m);
	assert_int_equal(deliver(&I, &R), IKE_MANAGER_OK);
	second_len = take(&R, second);
	assert_int_equal(second_len, first_len);
	assert_memory_equal(first, second, first_len);
	/* nothing new was drawn, derived or installed */
	assert_int_equal(R.dh_created, dh_before);
	assert_int_equal(R.random_calls, random_before);
	assert_int_equal(R.num_calls, 2);
	assert_int_equal(ike_manager_receive(&I.m, second, second_len), IKE_MANAGER_OK);
	assert_established();
}

static void test_unexpected_message_ids_dropped(void **state)
{
	uint8_t buf[IKE_MESSAGE_MAX_LEN];
	size_t len;

	(void)state;
	end_start(&I);
	end_start(&R);
	ike_manager_initiate(&I.m);
	settle(&I, &R);
	assert_established();

	/* a request from the future (#5, expected #2) gets no answer */
	ike_manager_liveness(&I.m);
	len = take(&I, buf);
	ike_put_be32(buf + 20, 5);
	assert_int_equal(ike_manager_receive(&R.m, buf, len), IKE_MANAGER_OK);
	assert_int_equal(R.num_out, 0);
	assert_int_equal(R.m.peer_next_id, 2);

	/* a response to a request we do not have out (#1 is done) is dropped */
	now_ms = 1000;
	ike_manager_tick(&I.m);
	deliver(&I, &R);
	len = take(&R, buf);
	ike_put_be32(buf + 20, 1);
	assert_int_equal(ike_manager_receive(&I.m, buf, len), IKE_MANAGER_OK);
	assert_false(ike_manager_idle(&I.m));
	assert_int_equal(I.m.active_id, 2);
}

static void test_tampered_message_dropped(void **state)
{
	uint8_t buf[IKE_MESSAGE_MAX_LEN];
	size_t len;

	(void)state;
	end_start(&I);
	end_start(&R);
	ike_manager_initiate(&I.m);
	deliver(&I, &R);
	deliver(&R, &I);
	/* an IKE_AUTH request failing its ICV is dropped without answer (§2.21.2) */
	len = take(&I, buf);
	buf[len - 1] ^= 1;
	assert_int_equal(ike_manager_receive(&R.m, buf, len), IKE_MANAGER_OK);
	assert_int_equal(R.num_out, 0);
	assert_int_equal(R.sa.state, IKE_SA_STATE_KEYED);
	assert_int_equal(R.m.peer_next_id, 1);
	/* the retransmission, intact, goes through */
	now_ms = 1000;
	ike_manager_tick(&I.m);
	settle(&I, &R);
	assert_established();
}

/* A request of I's built by hand around one payload, sealed, given to R. */
static void hand_request(uint8_t type, bool critical, struct ike_message *resp,
			 uint8_t *plain)
{
	uint8_t chain[64], buf[IKE_MESSAGE_MAX_LEN];
	struct ike_header hdr = ike_sa_header(&I.sa, IKE_EXCHANGE_INFORMATIONAL, false,
					      I.m.next_id++);
	struct ike_builder b;
	struct ike_error err;
	size_t len;

	ike_builder_init_chain(&b, chain, sizeof(chain));
	assert_int_equal(ike_build_raw(&b, type, critical, (const uint8_t *)"x", 1), 0);
	assert_int_equal(ike_message_seal(&I.sa, &hdr, &b, buf, sizeof(buf), &len, &err), 0);
	assert_int_equal(ike_manager_receive(&R.m, buf, len), IKE_MANAGER_OK);
	len = take(&R, buf);
	assert_int_equal(ike_message_open(&I.sa, resp, buf, len, plain, IKE_MESSAGE_MAX_LEN,
					  NULL, &err), 0);
	assert_true(resp->hdr.flags & IKE_FLAG_RESPONSE);
	assert_int_equal(resp->hdr.message_id, hdr.message_id);
}

static void test_unknown_payloads(void **state)
{
	static uint8_t plain[IKE_MESSAGE_MAX_LEN];
	static struct ike_message resp;
	const struct ike_payload *n;

	(void)state;
	end_start(&I);
	end_start(&R);
	ike_manager_initiate(&I.m);
	settle(&I, &R);
	/*
	 * I  HDR #2, SK {unknown(200), critical}  -->
	 *                 <--  HDR #2, SK {N(UNSUPPORTED_CRITICAL_PAYLOAD, 200)}
	 */
	hand_request(200, true, &resp, plain);
	n = ike_message_find_notify(&resp, IKE_N_UNSUPPORTED_CRITICAL_PAYLOAD);
	assert_non_null(n);
	assert_int_equal(n->u.notify.data.len, 1);
	assert_int_equal(n->u.notify.data.ptr[0], 200);
	assert_int_equal(R.m.peer_next_id, 3);
	/* not critical: skipped, an ordinary empty answer */
	hand_request(201, false, &resp, plain);
	assert_int_equal(resp.num_payloads, 1);	/* the SK payload only */
	assert_int_equal(R.m.peer_next_id, 4);
	assert_int_equal(R.sa.state, IKE_SA_STATE_ESTABLISHED);
	/* and the SA goes on */
	ike_manager_liveness(&I.m);
	settle(&I, &R);
	assert_established();
}

/* I's IKE_SA_INIT request again, with an unknown payload of @type added. */
static size_t sa_init_with(uint8_t type, bool critical, uint8_t *out)
{
	static struct ike_message req;
	struct ike_builder b;
	struct ike_error err;
	size_t len;

	assert_int_equal(ike_message_parse(&req, I.out[0], I.out_len[0], &err), 0);
	I.num_out = 0;
	ike_builder_init_message(&b, out, IKE_MESSAGE_MAX_LEN, &req.hdr);
	for (size_t i = 0; i < req.num_payloads; i++)
		assert_int_equal(ike_build_parsed(&b, &req, &req.payloads[i]), 0);
	assert_int_equal(ike_build_raw(&b, type, critical, (const uint8_t *)"xy", 2), 0);
	assert_int_equal(ike_builder_finish(&b, &len, &err), 0);
	return len;
}

static void test_unknown_payloads_in_sa_init(void **state)
{
	static struct ike_message resp;
	uint8_t buf[IKE_MESSAGE_MAX_LEN];
	const struct ike_payload *n;
	struct ike_error err;
	size_t len;

	(void)state;
	end_start(&I);
	end_start(&R);
	/*
	 * I  HDR, SAi1, KEi, Ni, unknown(210, critical)  -->
	 *            <--  HDR(SPIr 0), N(UNSUPPORTED_CRITICAL_PAYLOAD, 210)
	 */
	ike_manager_initiate(&I.m);
	len = sa_init_with(210, true, buf);
	assert_int_equal(ike_manager_receive(&R.m, buf, len), IKE_MANAGER_DEAD);
	len = take(&R, buf);
	assert_int_equal(ike_message_parse(&resp, buf, len, &err), 0);
	assert_int_equal(resp.hdr.spi_r, 0);
	n = ike_message_find_notify(&resp, IKE_N_UNSUPPORTED_CRITICAL_PAYLOAD);
	assert_non_null(n);
	assert_int_equal(n->u.notify.data.len, 1);
	assert_int_equal(n->u.notify.data.ptr[0], 210);
	assert_null(ike_message_find(&resp, IKE_PAYLOAD_KE));

	/* not critical: skipped, SA, KE and Nonce in the answer */
	end_teardown(&I);
	end_teardown(&R);
	setup(NULL);
	end_start(&I);
	end_start(&R);
	ike_manager_initiate(&I.m);
	len = sa_init_with(211, false, buf);
	assert_int_equal(ike_manager_receive(&R.m, buf, len), IKE_MANAGER_OK);
	len = take(&R, buf);
	assert_int_equal(ike_message_parse(&resp, buf, len, &err), 0);
	assert_int_not_equal(resp.hdr.spi_r, 0);
	assert_non_null(ike_message_find(&resp, IKE_PAYLOAD_KE));
	assert_null(ike_message_find_notify(&resp, IKE_N_UNSUPPORTED_CRITICAL_PAYLOAD));
	assert_int_equal(R.sa.state, IKE_SA_STATE_KEYED);
}

static void test_invalid_ke_retry(void **state)
{
	static const char *const i_ike[] = { "aes256gcm16-prfsha256-ecp256-x25519", NULL };
	struct ike_header hdr;

	(void)state;
	add_proposals(I.config.proposals, &I.config.num_proposals, IKE_PROTO_IKE, i_ike);
	end_start(&I);
	/*
	 * I  HDR #0, SA, KE(19), Ni  -->       R (wants 31)
	 *                            <--  N(INVALID_KE_PAYLOAD, 31)
	 *    HDR #0, SA, KE(31), Ni  -->       a new responder SA
	 *                            <--  SA, KE(31), Nr
	 *    IKE_AUTH #1 ...
	 */
	ike_manager_initiate(&I.m);
	end_start(&R);
	assert_int_equal(deliver(&I, &R), IKE_MANAGER_DEAD);
	hdr = peek(&R);
	/* a refusal creates no state: no responder SPI */
	assert_int_equal(hdr.spi_r, 0);
	assert_int_equal(deliver(&R, &I), IKE_MANAGER_OK);
	hdr = peek(&I);
	assert_int_equal(hdr.exchange, IKE_EXCHANGE_SA_INIT);
	assert_int_equal(hdr.message_id, 0);
	assert_int_equal(I.m.init.group, IKE_DH_CURVE25519);

	/* the daemon drops the refusing responder SA and makes a new one */
	end_teardown(&R);
	end_setup(&R, false);
	end_start(&R);
	settle(&I, &R);
	assert_established();
	/* AUTH signed the second IKE_SA_INIT request, and both agree on it */
	assert_int_equal(I.sa.init_request_len, R.sa.init_request_len);
	assert_memory_equal(I.sa.init_request, R.sa.init_request, I.sa.init_request_len);
}

/*
 * The responder's front door for IKE_SA_INIT: judge cookies before any SA
 * exists; returns whether an SA was made for @buf.
 */
static bool front_door(struct ike_cookie_secret *secret, const uint8_t *buf,
		       size_t len, bool under_load)
{
	static const uint8_t ipi[4] = { 192, 0, 2, 1 };	/* as in test_cookie */
	struct ike_message req;
	struct ike_error err;
	size_t out_len;

	assert_int_equal(ike_message_parse(&req, buf, len, &err), 0);
	switch (ike_cookie_check(secret, &req, ike_chunk(ipi, 4), under_load)) {
	case IKE_COOKIE_CHALLENGE:
		assert_int_equal(ike_cookie_build_challenge(secret, &req, ike_chunk(ipi, 4),
							    R.out[R.num_out], IKE_MESSAGE_MAX_LEN,
							    &out_len, &err), 0);
		R.out_len[R.num_out++] = out_len;
		return false;
	case IKE_COOKIE_ACCEPT:
		end_start(&R);
		assert_int_equal(ike_manager_receive(&R.m, buf, len), IKE_MANAGER_OK);
		return true;
	default:
		fail_msg("request dropped");
		return false;
	}
}

static void test_cookie(void **state)
{
	static const uint8_t ipi[4] = { 192, 0, 2, 1 }, other[4] = { 192, 0, 2, 2 };
	struct ike_cookie_secret secret = { 0 };
	uint8_t buf[IKE_MESSAGE_MAX_LEN];
	struct ike_message msg;
	struct ike_error err;
	size_t len;

	(void)state;
	assert_int_equal(ike_cookie_rotate(&secret, &R.deps, &err), 0);
	end_start(&I);
	/*
	 * I  HDR #0, SA, KE, Ni             -->   R under load
	 *                                   <--   N(COOKIE)
	 *    HDR #0, N(COOKIE), SA, KE, Ni  -->   an SA is made now
	 */
	ike_manager_initiate(&I.m);
	len = take(&I, buf);
	assert_false(front_door(&secret, buf, len, true));
	assert_int_equal(peek(&R).spi_r, 0);
	assert_int_equal(deliver(&R, &I), IKE_MANAGER_OK);

	/* the retry carries the cookie first, with the same nonce */
	len = take(&I, buf);
	assert_int_equal(ike_message_parse(&msg, buf, len, &err), 0);
	assert_int_equal(msg.payloads[0].type, IKE_PAYLOAD_NOTIFY);
	assert_int_equal(msg.payloads[0].u.notify.type, IKE_N_COOKIE);
	assert_int_equal(msg.hdr.message_id, 0);

	/* a cookie changed by one bit is not ours: challenged again */
	buf[len - 1] ^= 1;	/* in the nonce: the hash no longer fits */
	assert_false(front_door(&secret, buf, len, true));
	R.num_out = 0;
	buf[len - 1] ^= 1;

	/* from another address the same cookie does not count */
	assert_int_equal(ike_message_parse(&msg, buf, len, &err), 0);
	assert_int_equal(ike_cookie_check(&secret, &msg, ike_chunk(other, 4), true),
			 IKE_COOKIE_CHALLENGE);

	/* one rotation later the cookie still counts */
	assert_int_equal(ike_cookie_rotate(&secret, &R.deps, &err), 0);
	assert_true(front_door(&secret, buf, len, true));
	settle(&R, &I);
	assert_established();
	/* two rotations later it does not */
	assert_int_equal(ike_cookie_rotate(&secret, &R.deps, &err), 0);
	assert_int_equal(ike_message_parse(&msg, buf, len, &err), 0);
	assert_int_equal(ike_cookie_check(&secret, &msg, ike_chunk(ipi, 4), true),
			 IKE_COOKIE_CHALLENGE);
	ike_cookie_clear(&secret);
}

static void test_cookie_not_under_load(void **state)
{
	struct ike_cookie_secret secret = { 0 };
	uint8_t buf[IKE_MESSAGE_MAX_LEN];
	struct ike_error err;
	size_t len;

	(void)state;
	assert_int_equal(ike_cookie_rotate(&secret, &R.deps, &err), 0);
	end_start(&I);
	ike_manager_initiate(&I.m);
	len = take(&I, buf);
	assert_true(front_door(&secret, buf, len, false));
	settle(&R, &I);
	assert_established();
	ike_cookie_clear(&secret);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(test_message_ids, setup, teardown),
		cmocka_unit_test_setup_teardown(test_retransmit_backoff_and_give_up,
						setup, teardown),
		cmocka_unit_test_setup_teardown(test_lost_response_answered_from_cache,
						setup, teardown),
		cmocka_unit_test_setup_teardown(test_unexpected_message_ids_dropped,
						setup, teardown),
		cmocka_unit_test_setup_teardown(test_tampered_message_dropped, setup,
						teardown),
		cmocka_unit_test_setup_teardown(test_unknown_payloads, setup, teardown),
		cmocka_unit_test_setup_teardown(test_unknown_payloads_in_sa_init, setup,
						teardown),
		cmocka_unit_test_setup_teardown(test_invalid_ke_retry, setup, teardown),
		cmocka_unit_test_setup_teardown(test_cookie, setup, teardown),
		cmocka_unit_test_setup_teardown(test_cookie_not_under_load, setup,
						teardown),
	};

	return run_tap_tests("manager", tests);
}
