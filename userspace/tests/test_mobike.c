// SPDX-License-Identifier: GPL-2.0
/*
 * MOBIKE (RFC 4555) between two IKE SAs in one process (ike_pair.h):
 * negotiated in IKE_AUTH or not, address lists built and parsed, an
 * UPDATE_SA_ADDRESSES moving both ends' IKE SA and their module paths
 * with no new Child SA, the answer's COOKIE2 checked, NAT detection done
 * again for the new addresses, and a responder that may not move the SA
 * itself making the initiator do it.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>
#include <arpa/inet.h>
#include <netinet/in.h>
#include <cmocka.h>

#include "ike/message.h"
#include "ike_pair.h"

static struct ike_endpoint ep(const char *ip, uint16_t port)
{
	struct ike_endpoint e = { .port = port };

	if (inet_pton(AF_INET, ip, e.addr) == 1) {
		e.family = AF_INET;
	} else {
		assert_int_equal(inet_pton(AF_INET6, ip, e.addr), 1);
		e.family = AF_INET6;
	}
	return e;
}

/*
 * Two paths: 192.0.2.1 - 192.0.2.2 (in use) and 198.51.100.1 -
 * 198.51.100.2; each end offers its addresses of both.
 */
static void two_paths(bool i_mobike, bool r_mobike)
{
	I.config.mobike = i_mobike;
	R.config.mobike = r_mobike;
	I.config.local_addrs[0] = ep("192.0.2.1", 0);
	I.config.local_addrs[1] = ep("198.51.100.1", 0);
	I.config.num_local_addrs = 2;
	R.config.local_addrs[0] = ep("192.0.2.2", 0);
	R.config.local_addrs[1] = ep("198.51.100.2", 0);
	R.config.num_local_addrs = 2;
	end_start(&I);
	end_start(&R);
	I.sa.local = ep("192.0.2.1", 500);
	I.sa.remote = ep("192.0.2.2", 500);
	R.sa.local = ep("192.0.2.2", 500);
	R.sa.remote = ep("192.0.2.1", 500);
}

/* Deliver @from's oldest datagram to @to as travelling between its addresses. */
static enum ike_manager_status carry(struct end *from, struct end *to)
{
	struct ike_endpoint src = from->out_local[0], dst = from->out_remote[0];
	uint8_t buf[IKE_MESSAGE_MAX_LEN];
	size_t len = take(from, buf);

	return ike_manager_receive_from(&to->m, buf, len, &dst, &src);
}

static void carry_all(void)
{
	while (I.num_out || R.num_out) {
		if (I.num_out)
			carry(&I, &R);
		if (R.num_out)
			carry(&R, &I);
	}
}

static void up(bool i_mobike, bool r_mobike)
{
	two_paths(i_mobike, r_mobike);
	assert_int_equal(ike_manager_initiate(&I.m), IKE_MANAGER_OK);
	carry_all();
	assert_int_equal(I.sa.state, IKE_SA_STATE_ESTABLISHED);
	assert_int_equal(R.sa.state, IKE_SA_STATE_ESTABLISHED);
	assert_int_equal(I.num_calls, 2);	/* the first child, in and out */
	assert_int_equal(R.num_calls, 2);
}

/*
 *   IKE_AUTH {..., N(MOBIKE_SUPPORTED), N(ADDITIONAL_IP4_ADDRESS 198.51.100.1)} -->
 *         <-- {..., N(MOBIKE_SUPPORTED), N(ADDITIONAL_IP4_ADDRESS 198.51.100.2)}
 */
static void test_negotiated(void **state)
{
	(void)state;
	up(true, true);
	assert_true(I.sa.mobike.enabled);
	assert_true(R.sa.mobike.enabled);
	/* each learnt the other's address besides the one in use */
	assert_true(R.sa.mobike.peer_addrs_known);
	assert_int_equal(R.sa.mobike.num_peer_addrs, 1);
	assert_memory_equal(R.sa.mobike.peer_addrs[0].addr, ep("198.51.100.1", 0).addr, 4);
	assert_int_equal(I.sa.mobike.num_peer_addrs, 1);
	assert_memory_equal(I.sa.mobike.peer_addrs[0].addr, ep("198.51.100.2", 0).addr, 4);
	assert_true(ike_manager_can_move(&I.m));
	assert_false(ike_manager_can_move(&R.m));
}

/* One end without MOBIKE: neither uses it, whichever end it is. */
static void test_not_negotiated(void **state)
{
	(void)state;
	up(true, false);
	assert_false(I.sa.mobike.enabled);
	assert_false(R.sa.mobike.enabled);
	assert_false(ike_manager_can_move(&I.m));
	teardown(NULL);
	setup(NULL);
	up(false, true);
	assert_false(I.sa.mobike.enabled);
	assert_false(R.sa.mobike.enabled);
	assert_false(I.sa.mobike.peer_addrs_known);
}

/* The request out, decrypted by @to as it would be, for a look at its payloads. */
static void open_oldest(struct end *from, struct end *to, struct ike_message *msg,
			uint8_t *plain)
{
	struct ike_error err;
	bool answer;

	assert_int_equal(ike_message_open(&to->sa, msg, from->out[0], from->out_len[0],
					  plain, IKE_MESSAGE_MAX_LEN, &answer, &err), 0);
}

/*
 * The initiator's path 1 dies; it moves to path 2:
 *
 *   INFORMATIONAL {N(UPDATE_SA_ADDRESSES), N(NAT_D_SRC), N(NAT_D_DST),
 *                  N(COOKIE2), N(ADDITIONAL_IP4_ADDRESS 192.0.2.1)}  -->
 *        from 198.51.100.1 to 198.51.100.2
 *                 <-- {N(NAT_D_SRC), N(NAT_D_DST), N(COOKIE2)}
 *
 * Both IKE SAs and both module paths are on path 2; no Child SA is new.
 */
static void test_update_moves_both_ends(void **state)
{
	struct ike_endpoint l2 = ep("198.51.100.1", 500), r2 = ep("198.51.100.2", 500);
	uint8_t plain[IKE_MESSAGE_MAX_LEN];
	const struct ike_payload *c;
	struct ike_message msg;
	const struct kernel_call *p;

	(void)state;
	up(true, true);
	assert_int_equal(ike_manager_move(&I.m, &l2, &r2), IKE_MANAGER_OK);
	assert_int_equal(I.num_out, 1);
	assert_true(ike_endpoint_equal(&I.out_local[0], &l2));
	assert_true(ike_endpoint_equal(&I.out_remote[0], &r2));
	assert_int_equal(peek(&I).exchange, IKE_EXCHANGE_INFORMATIONAL);
	open_oldest(&I, &R, &msg, plain);
	assert_non_null(ike_message_find_notify(&msg, IKE_N_UPDATE_SA_ADDRESSES));
	assert_non_null(ike_message_find_notify(&msg, IKE_N_NAT_DETECTION_SOURCE_IP));
	assert_non_null(ike_message_find_notify(&msg, IKE_N_NAT_DETECTION_DESTINATION_IP));
	c = ike_message_find_notify(&msg, IKE_N_COOKIE2);
	assert_non_null(c);
	assert_int_equal(c->u.notify.data.len, IKE_COOKIE2_LEN);
	/* the address it left is one of its others now */
	c = ike_message_find_notify(&msg, IKE_N_ADDITIONAL_IP4_ADDRESS);
	assert_non_null(c);
	assert_memory_equal(c->u.notify.data.ptr, ep("192.0.2.1", 0).addr, 4);

	assert_int_equal(carry(&I, &R), IKE_MANAGER_OK);
	assert_true(ike_endpoint_equal(&R.sa.local, &r2));
	assert_true(ike_endpoint_equal(&R.sa.remote, &l2));
	assert_int_equal(R.num_calls, 3);
	p = call(&R, 2, 'p', 0);
	assert_true(ike_endpoint_same_addr(&p->local, &r2));
	assert_true(ike_endpoint_same_addr(&p->remote, &l2));
	assert_int_equal(p->peer, 9);
	/* the answer goes back the way the update came */
	assert_true(ike_endpoint_equal(&R.out_local[0], &r2));
	assert_true(ike_endpoint_equal(&R.out_remote[0], &l2));
	open_oldest(&R, &I, &msg, plain);
	assert_non_null(ike_message_find_notify(&msg, IKE_N_COOKIE2));
	assert_non_null(ike_message_find_notify(&msg, IKE_N_NAT_DETECTION_SOURCE_IP));

	assert_int_equal(carry(&R, &I), IKE_MANAGER_OK);
	assert_int_equal(I.num_calls, 3);
	p = call(&I, 2, 'p', 0);
	assert_true(ike_endpoint_same_addr(&p->local, &l2));
	assert_true(ike_endpoint_same_addr(&p->remote, &r2));
	assert_false(I.sa.nat.local || I.sa.nat.remote);
	assert_false(R.sa.nat.local || R.sa.nat.remote);
	assert_true(ike_manager_idle(&I.m));
	/* later requests take the new path, both ways */
	assert_int_equal(ike_manager_liveness(&R.m), IKE_MANAGER_OK);
	assert_true(ike_endpoint_equal(&R.out_remote[0], &l2));
	carry_all();
	assert_int_equal(I.sa.state, IKE_SA_STATE_ESTABLISHED);
	assert_int_equal(I.num_calls, 3);
	assert_int_equal(R.num_calls, 3);
}

/* The update reaches the responder through a NAT: it says so, and still moves. */
static void test_update_nat_rechecked(void **state)
{
	struct ike_endpoint l2 = ep("198.51.100.1", 500), r2 = ep("198.51.100.2", 500);
	struct ike_endpoint nat = ep("203.0.113.9", 4500);
	uint8_t buf[IKE_MESSAGE_MAX_LEN];
	size_t len;

	(void)state;
	up(true, true);
	assert_false(R.sa.nat.remote);
	ike_manager_move(&I.m, &l2, &r2);
	len = take(&I, buf);
	assert_int_equal(ike_manager_receive_from(&R.m, buf, len, &r2, &nat),
			 IKE_MANAGER_OK);
	assert_true(R.sa.nat.checked);
	assert_true(R.sa.nat.remote);
	assert_false(R.sa.nat.local);
	assert_true(ike_endpoint_equal(&R.sa.remote, &nat));
	assert_true(ike_endpoint_equal(&R.out_remote[0], &nat));
}

/*
 * An answer to the update whose COOKIE2 is not ours (or none at all):
 * not an answer from the peer on that path; the SA fails, and the
 * module's path stays.
 */
static void answer_with_cookie(const uint8_t *cookie, size_t cookie_len)
{
	struct ike_endpoint l2 = ep("198.51.100.1", 500), r2 = ep("198.51.100.2", 500);
	uint8_t chain[256], out[IKE_MESSAGE_MAX_LEN];
	struct ike_header hdr;
	struct ike_builder b;
	struct ike_error err;
	size_t len;

	up(true, true);
	ike_manager_move(&I.m, &l2, &r2);
	hdr = peek(&I);
	take(&I, out);
	/* the responder's answer, made by hand under its keys */
	hdr = ike_sa_header(&R.sa, IKE_EXCHANGE_INFORMATIONAL, true, hdr.message_id);
	ike_builder_init_chain(&b, chain, sizeof(chain));
	if (cookie)
		ike_build_notify(&b, 0, 0, 0, IKE_N_COOKIE2, cookie, cookie_len);
	assert_int_equal(ike_message_seal(&R.sa, &hdr, &b, out, sizeof(out), &len, &err), 0);
	assert_int_equal(ike_manager_receive_from(&I.m, out, len, &l2, &r2),
			 IKE_MANAGER_DEAD);
	assert_non_null(strstr(I.m.error.text, "COOKIE2"));
	assert_int_equal(I.num_calls, 2);	/* no path call */
}

static void test_cookie2_mismatch_rejected(void **state)
{
	static const uint8_t wrong[IKE_COOKIE2_LEN] = { 1, 2, 3 };

	(void)state;
	answer_with_cookie(wrong, sizeof(wrong));
	assert_non_null(strstr(I.m.error.text, "mismatch"));
	teardown(NULL);
	setup(NULL);
	answer_with_cookie(NULL, 0);
	assert_non_null(strstr(I.m.error.text, "missing"));
}

/* The responder may not move the SA: an update from it changes nothing there. */
static void test_responder_update_ignored(void **state)
{
	struct ike_endpoint l2 = ep("198.51.100.2", 500), r2 = ep("198.51.100.1", 500);

	(void)state;
	up(true, true);
	/* its requests follow the path it chose; no update goes out */
	assert_int_equal(ike_manager_move(&R.m, &l2, &r2), IKE_MANAGER_OK);
	assert_int_equal(R.num_out, 0);
	assert_true(ike_endpoint_equal(&R.sa.remote, &r2));
	assert_false(ike_manager_can_move(&R.m));
}

/*
 * The responder's address on path 1 goes: it tells the initiator its
 * addresses from path 2, and the initiator, which decides, moves there.
 *
 *   <-- INFORMATIONAL {N(ADDITIONAL_IP4_ADDRESS 192.0.2.2)} from 198.51.100.2
 *       {} -->
 *       INFORMATIONAL {N(UPDATE_SA_ADDRESSES), ...} --> to 198.51.100.2
 */
static void test_responder_addresses_move_initiator(void **state)
{
	struct ike_endpoint i2 = ep("198.51.100.1", 500), r2 = ep("198.51.100.2", 500);

	(void)state;
	up(true, true);
	ike_manager_move(&R.m, &r2, &i2);
	assert_int_equal(ike_manager_addresses(&R.m), IKE_MANAGER_OK);
	assert_int_equal(R.num_out, 1);
	assert_true(ike_endpoint_equal(&R.out_local[0], &r2));
	assert_int_equal(carry(&R, &I), IKE_MANAGER_OK);
	/* I answered, and sent its update to where R is now */
	assert_int_equal(I.num_out, 2);
	assert_true(ike_endpoint_same_addr(&I.sa.remote, &r2));
	assert_true(ike_endpoint_same_addr(&I.out_remote[1], &r2));
	carry_all();
	assert_true(ike_endpoint_same_addr(&R.sa.remote, &i2) ||
		    ike_endpoint_same_addr(&R.sa.remote, &I.sa.local));
	assert_int_equal(call(&I, 2, 'p', 0)->remote.addr[0], 198);
	assert_int_equal(I.sa.state, IKE_SA_STATE_ESTABLISHED);
	assert_int_equal(R.sa.state, IKE_SA_STATE_ESTABLISHED);
}

/* Address lists: built without the address in use, parsed back; bad ones refused. */
static void test_additional_addresses(void **state)
{
	struct ike_endpoint addrs[4] = {
		ep("192.0.2.1", 500), ep("2001:db8::1", 500), ep("192.0.2.1", 600),
		ep("198.51.100.1", 0),
	};
	struct ike_endpoint in_use = ep("192.0.2.1", 500);
	uint8_t buf[512], bad4[3] = { 0 };
	struct ike_header hdr = { .spi_i = 1, .exchange = IKE_EXCHANGE_INFORMATIONAL,
				  .major_version = 2 };
	struct ike_mobike_state st = { 0 };
	struct ike_message msg;
	struct ike_builder b;
	struct ike_error err;
	size_t len;

	(void)state;
	ike_builder_init_message(&b, buf, sizeof(buf), &hdr);
	assert_int_equal(ike_mobike_build_addresses(&b, addrs, 4, &in_use, &err), 0);
	assert_int_equal(ike_builder_finish(&b, &len, &err), 0);
	assert_int_equal(ike_message_parse(&msg, buf, len, &err), 0);
	assert_int_equal(msg.num_payloads, 2);	/* the IPv6 one and 198.51.100.1 */
	assert_int_equal(ike_mobike_parse_addresses(&msg, &st, &err), 1);
	assert_true(st.peer_addrs_known);
	assert_int_equal(st.num_peer_addrs, 2);
	assert_int_equal(st.peer_addrs[0].family, AF_INET6);
	assert_memory_equal(st.peer_addrs[0].addr, addrs[1].addr, 16);
	assert_int_equal(st.peer_addrs[1].family, AF_INET);
	assert_memory_equal(st.peer_addrs[1].addr, addrs[3].addr, 4);

	/* nothing else to offer: NO_ADDITIONAL_ADDRESSES, which empties the list */
	ike_builder_init_message(&b, buf, sizeof(buf), &hdr);
	assert_int_equal(ike_mobike_build_addresses(&b, addrs, 1, &in_use, &err), 0);
	assert_int_equal(ike_builder_finish(&b, &len, &err), 0);
	assert_int_equal(ike_message_parse(&msg, buf, len, &err), 0);
	assert_non_null(ike_message_find_notify(&msg, IKE_N_NO_ADDITIONAL_ADDRESSES));
	assert_int_equal(ike_mobike_parse_addresses(&msg, &st, &err), 1);
	assert_int_equal(st.num_peer_addrs, 0);
	assert_true(st.peer_addrs_known);

	/* no list at all: what was known stays */
	st.num_peer_addrs = 1;
	ike_builder_init_message(&b, buf, sizeof(buf), &hdr);
	ike_build_notify(&b, 0, 0, 0, IKE_N_COOKIE2, bad4, 3);
	assert_int_equal(ike_builder_finish(&b, &len, &err), 0);
	assert_int_equal(ike_message_parse(&msg, buf, len, &err), 0);
	assert_int_equal(ike_mobike_parse_addresses(&msg, &st, &err), 0);
	assert_int_equal(st.num_peer_addrs, 1);

	/* an IPv4 address of 3 bytes; addresses with NO_ADDITIONAL_ADDRESSES */
	ike_builder_init_message(&b, buf, sizeof(buf), &hdr);
	ike_build_notify(&b, 0, 0, 0, IKE_N_ADDITIONAL_IP4_ADDRESS, bad4, 3);
	assert_int_equal(ike_builder_finish(&b, &len, &err), 0);
	assert_int_equal(ike_message_parse(&msg, buf, len, &err), 0);
	assert_int_equal(ike_mobike_parse_addresses(&msg, &st, &err), -1);
	assert_int_equal(err.notify, IKE_N_INVALID_SYNTAX);
	ike_builder_init_message(&b, buf, sizeof(buf), &hdr);
	ike_build_notify(&b, 0, 0, 0, IKE_N_ADDITIONAL_IP4_ADDRESS, addrs[3].addr, 4);
	ike_build_notify(&b, 0, 0, 0, IKE_N_NO_ADDITIONAL_ADDRESSES, NULL, 0);
	assert_int_equal(ike_builder_finish(&b, &len, &err), 0);
	assert_int_equal(ike_message_parse(&msg, buf, len, &err), 0);
	assert_int_equal(ike_mobike_parse_addresses(&msg, &st, &err), -1);
	assert_int_equal(st.num_peer_addrs, 1);
}

/* A request out when the path changes goes again on the new path at once. */
static void test_request_out_resent_on_move(void **state)
{
	struct ike_endpoint l2 = ep("198.51.100.1", 500), r2 = ep("198.51.100.2", 500);

	(void)state;
	up(true, true);
	assert_int_equal(ike_manager_liveness(&I.m), IKE_MANAGER_OK);
	take(&I, (uint8_t[IKE_MESSAGE_MAX_LEN]){ 0 });	/* lost on path 1 */
	now_ms += 3000;
	ike_manager_tick(&I.m);
	ike_manager_tick(&I.m);
	assert_int_equal(ike_manager_sends(&I.m), 2);
	I.num_out = 0;
	ike_manager_move(&I.m, &l2, &r2);
	assert_int_equal(ike_manager_sends(&I.m), 1);
	assert_int_equal(I.num_out, 1);
	assert_true(ike_endpoint_equal(&I.out_remote[0], &r2));
	carry_all();
	/* the liveness check, then the update behind it */
	assert_true(ike_endpoint_same_addr(&R.sa.remote, &l2));
	assert_int_equal(call(&I, 2, 'p', 0)->remote.addr[0], 198);
	assert_true(ike_manager_idle(&I.m));
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(test_negotiated, setup, teardown),
		cmocka_unit_test_setup_teardown(test_not_negotiated, setup, teardown),
		cmocka_unit_test_setup_teardown(test_update_moves_both_ends, setup, teardown),
		cmocka_unit_test_setup_teardown(test_update_nat_rechecked, setup, teardown),
		cmocka_unit_test_setup_teardown(test_cookie2_mismatch_rejected, setup,
						teardown),
		cmocka_unit_test_setup_teardown(test_responder_update_ignored, setup,
						teardown),
		cmocka_unit_test_setup_teardown(test_responder_addresses_move_initiator,
						setup, teardown),
		cmocka_unit_test(test_additional_addresses),
		cmocka_unit_test_setup_teardown(test_request_out_resent_on_move, setup,
						teardown),
	};

	return run_tap_tests("mobike", tests);
}
