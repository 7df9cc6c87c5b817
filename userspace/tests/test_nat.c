// SPDX-License-Identifier: GPL-2.0
/*
 * NAT detection in IKE_SA_INIT (RFC 7296 §2.23): the hash against values
 * computed by hand (Python's hashlib over the same bytes), both notifies
 * both ways, no NAT when the addresses agree, and a NAT in front of either
 * end found from a changed address or port.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>
#include <arpa/inet.h>
#include <sys/socket.h>
#include <cmocka.h>

#include "ike/nat.h"
#include "ike_pair.h"


static struct ike_endpoint ep(const char *addr, uint16_t port)
{
	struct ike_endpoint e = { .port = port };

	e.family = strchr(addr, ':') ? AF_INET6 : AF_INET;
	assert_int_equal(inet_pton(e.family, addr, e.addr), 1);
	return e;
}

static void test_hash(void **state)
{
	struct ike_endpoint v4 = ep("192.0.2.1", 500), v6 = ep("2001:db8::1", 4500);
	uint8_t out[IKE_NAT_HASH_LEN], want[IKE_NAT_HASH_LEN];
	struct ike_endpoint none = { 0 };
	struct ike_error err;

	(void)state;
	/* sha1(SPIi | SPIr | address | port), SPIr 0 as in the request */
	assert_int_equal(ike_nat_hash(0x0102030405060708ULL, 0, &v4, out, &err), 0);
	hex_decode("644b4575455bd6fcc1efe2be8162a9218e448e5f", want, sizeof(want));
	assert_memory_equal(out, want, sizeof(want));
	assert_int_equal(ike_nat_hash(0x0102030405060708ULL, 0x1112131415161718ULL,
				      &v6, out, &err), 0);
	hex_decode("1ee24423bf8f59515e0265c6d0f08be3d038f7e5", want, sizeof(want));
	assert_memory_equal(out, want, sizeof(want));
	/* another port is another hash */
	v6.port = 500;
	assert_int_equal(ike_nat_hash(0x0102030405060708ULL, 0x1112131415161718ULL,
				      &v6, out, &err), 0);
	assert_memory_not_equal(out, want, sizeof(want));
	assert_int_equal(ike_nat_hash(1, 2, &none, out, &err), -1);
}

/* The two ends as they see themselves and each other, then both started. */
static void addresses(const char *i_local, uint16_t i_port, const char *r_sees_i,
		      uint16_t r_sees_port)
{
	end_start(&I);
	end_start(&R);
	I.sa.local = ep(i_local, i_port);
	I.sa.remote = ep("192.0.2.2", 500);
	R.sa.local = ep("192.0.2.2", 500);
	R.sa.remote = ep(r_sees_i, r_sees_port);
}

static void test_notifies_sent_no_nat(void **state)
{
	uint8_t want[IKE_NAT_HASH_LEN];
	const struct ike_payload *src, *dst;
	struct ike_message msg;
	struct ike_error err;

	(void)state;
	addresses("192.0.2.1", 500, "192.0.2.1", 500);
	ike_manager_initiate(&I.m);
	/* HDR, SAi1, KEi, Ni, N(NAT_DETECTION_SOURCE_IP), N(..._DESTINATION_IP) */
	assert_int_equal(ike_message_parse(&msg, I.out[0], I.out_len[0], &err), 0);
	src = ike_message_find_notify(&msg, IKE_N_NAT_DETECTION_SOURCE_IP);
	dst = ike_message_find_notify(&msg, IKE_N_NAT_DETECTION_DESTINATION_IP);
	assert_non_null(src);
	assert_non_null(dst);
	ike_nat_hash(I.sa.spi_i, 0, &I.sa.local, want, &err);
	assert_memory_equal(src->u.notify.data.ptr, want, sizeof(want));
	ike_nat_hash(I.sa.spi_i, 0, &I.sa.remote, want, &err);
	assert_memory_equal(dst->u.notify.data.ptr, want, sizeof(want));
	deliver(&I, &R);
	/* and the response, with both SPIs */
	assert_int_equal(ike_message_parse(&msg, R.out[0], R.out_len[0], &err), 0);
	src = ike_message_find_notify(&msg, IKE_N_NAT_DETECTION_SOURCE_IP);
	assert_non_null(src);
	ike_nat_hash(R.sa.spi_i, R.sa.spi_r, &R.sa.local, want, &err);
	assert_memory_equal(src->u.notify.data.ptr, want, sizeof(want));
	settle(&I, &R);
	assert_int_equal(I.sa.state, IKE_SA_STATE_ESTABLISHED);
	assert_true(I.sa.nat.checked);
	assert_true(R.sa.nat.checked);
	assert_false(I.sa.nat.local || I.sa.nat.remote);
	assert_false(R.sa.nat.local || R.sa.nat.remote);
}

static void test_initiator_behind_nat(void **state)
{
	(void)state;
	/* I is 10.0.0.1 inside; R sees it as 198.51.100.7 */
	addresses("10.0.0.1", 500, "198.51.100.7", 500);
	ike_manager_initiate(&I.m);
	settle(&I, &R);
	assert_int_equal(I.sa.state, IKE_SA_STATE_ESTABLISHED);
	assert_true(I.sa.nat.local);
	assert_false(I.sa.nat.remote);
	assert_false(R.sa.nat.local);
	assert_true(R.sa.nat.remote);
}

static void test_port_translated(void **state)
{
	(void)state;
	/* the same address, but the NAT moved the source port */
	addresses("192.0.2.1", 500, "192.0.2.1", 40123);
	ike_manager_initiate(&I.m);
	settle(&I, &R);
	assert_true(I.sa.nat.local);
	assert_true(R.sa.nat.remote);
	assert_false(R.sa.nat.local);
}

static void test_unknown_addresses_no_notifies(void **state)
{
	struct ike_message msg;
	struct ike_error err;

	(void)state;
	end_start(&I);
	end_start(&R);
	ike_manager_initiate(&I.m);
	assert_int_equal(ike_message_parse(&msg, I.out[0], I.out_len[0], &err), 0);
	assert_null(ike_message_find_notify(&msg, IKE_N_NAT_DETECTION_SOURCE_IP));
	settle(&I, &R);
	assert_int_equal(I.sa.state, IKE_SA_STATE_ESTABLISHED);
	assert_false(I.sa.nat.checked);
	assert_false(R.sa.nat.checked);
}

/* A message of the given notifies, parsed. */
static void notifies(struct ike_message *msg, uint8_t *buf, const uint8_t *src,
		     size_t src_len, const uint8_t *dst, size_t dst_len)
{
	struct ike_header hdr = { .spi_i = 0x0102030405060708ULL,
				  .exchange = IKE_EXCHANGE_SA_INIT,
				  .major_version = IKE_MAJOR_VERSION,
				  .flags = IKE_FLAG_INITIATOR };
	struct ike_builder b;
	struct ike_error err;
	size_t len;

	ike_builder_init_message(&b, buf, IKE_MESSAGE_MAX_LEN, &hdr);
	ike_build_notify(&b, 0, 0, 0, IKE_N_NAT_DETECTION_SOURCE_IP, src, src_len);
	ike_build_notify(&b, 0, 0, 0, IKE_N_NAT_DETECTION_DESTINATION_IP, dst, dst_len);
	assert_int_equal(ike_builder_finish(&b, &len, &err), 0);
	if (ike_message_parse(msg, buf, len, &err) < 0)
		fail_msg("%s", err.text);
}

static void test_check(void **state)
{
	struct ike_endpoint local = ep("192.0.2.2", 500), remote = ep("192.0.2.1", 500);
	uint8_t src[IKE_NAT_HASH_LEN], dst[IKE_NAT_HASH_LEN], buf[IKE_MESSAGE_MAX_LEN];
	struct ike_nat_state st = { 0 };
	struct ike_message msg;
	struct ike_error err;

	(void)state;
	ike_nat_hash(0x0102030405060708ULL, 0, &remote, src, &err);
	ike_nat_hash(0x0102030405060708ULL, 0, &local, dst, &err);
	notifies(&msg, buf, src, sizeof(src), dst, sizeof(dst));
	assert_int_equal(ike_nat_check(&msg, &local, &remote, &st, &err), 0);
	assert_true(st.checked);
	assert_false(st.local || st.remote);
	/* one bit off in the source: the peer is behind a NAT */
	src[19] ^= 1;
	notifies(&msg, buf, src, sizeof(src), dst, sizeof(dst));
	assert_int_equal(ike_nat_check(&msg, &local, &remote, &st, &err), 0);
	assert_true(st.remote);
	assert_false(st.local);
	/* in the destination: we are */
	src[19] ^= 1;
	dst[0] ^= 0x80;
	notifies(&msg, buf, src, sizeof(src), dst, sizeof(dst));
	assert_int_equal(ike_nat_check(&msg, &local, &remote, &st, &err), 0);
	assert_false(st.remote);
	assert_true(st.local);
	/* a hash that is not SHA-1 long is malformed */
	notifies(&msg, buf, src, 19, dst, sizeof(dst));
	assert_int_equal(ike_nat_check(&msg, &local, &remote, &st, &err), -1);
	assert_int_equal(err.notify, IKE_N_INVALID_SYNTAX);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_hash),
		cmocka_unit_test_setup_teardown(test_notifies_sent_no_nat, setup, teardown),
		cmocka_unit_test_setup_teardown(test_initiator_behind_nat, setup, teardown),
		cmocka_unit_test_setup_teardown(test_port_translated, setup, teardown),
		cmocka_unit_test_setup_teardown(test_unknown_addresses_no_notifies, setup,
						teardown),
		cmocka_unit_test(test_check),
	};

	return run_tap_tests("nat", tests);
}
