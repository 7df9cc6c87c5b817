// SPDX-License-Identifier: GPL-2.0
/*
 * IKEv2 message parsing and building (ike/payload.c, ike/payload_build.c):
 * round trips of every payload type, then one case per rejection rule.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <cmocka.h>

#include "ike/payload.h"
#include "ike/wire.h"
#include "lib/testutil.h"

#define BUF_LEN 4096

static const struct ike_header sa_init_header = {
	.spi_i = 0x0102030405060708ULL,
	.spi_r = 0,
	.major_version = IKE_MAJOR_VERSION,
	.minor_version = IKE_MINOR_VERSION,
	.exchange = IKE_EXCHANGE_SA_INIT,
	.flags = IKE_FLAG_INITIATOR,
	.message_id = 0,
};

static void fill(uint8_t *p, size_t len, uint8_t seed)
{
	for (size_t i = 0; i < len; i++)
		p[i] = (uint8_t)(seed + i);
}

/* Two IKE proposals: AES-GCM-16-256 or -128 / PRF / X25519, and AES-CBC+HMAC. */
static void sample_ike_proposals(struct ike_proposal p[2])
{
	memset(p, 0, 2 * sizeof(p[0]));
	p[0].number = 1;
	p[0].protocol = IKE_PROTO_IKE;
	ike_proposal_add(&p[0], IKE_TRANSFORM_ENCR, IKE_ENCR_AES_GCM_16, 256);
	ike_proposal_add(&p[0], IKE_TRANSFORM_ENCR, IKE_ENCR_AES_GCM_16, 128);
	ike_proposal_add(&p[0], IKE_TRANSFORM_PRF, IKE_PRF_HMAC_SHA2_256, 0);
	ike_proposal_add(&p[0], IKE_TRANSFORM_DH, IKE_DH_CURVE25519, 0);
	p[1].number = 2;
	p[1].protocol = IKE_PROTO_IKE;
	ike_proposal_add(&p[1], IKE_TRANSFORM_ENCR, IKE_ENCR_AES_CBC, 128);
	ike_proposal_add(&p[1], IKE_TRANSFORM_INTEG, IKE_INTEG_HMAC_SHA2_256_128, 0);
	ike_proposal_add(&p[1], IKE_TRANSFORM_PRF, IKE_PRF_HMAC_SHA2_256, 0);
	ike_proposal_add(&p[1], IKE_TRANSFORM_DH, IKE_DH_ECP_256, 0);
}

/* IKE_SA_INIT request: SA, KE, Ni, N(NAT_DETECTION_*), V, CERTREQ. */
static size_t build_sa_init(uint8_t *buf, size_t cap)
{
	struct ike_proposal props[2];
	struct ike_builder b;
	uint8_t ke[32], nonce[32], natd[20], vid[16], certreq[20];
	struct ike_error err;
	size_t len = 0;

	sample_ike_proposals(props);
	fill(ke, sizeof(ke), 0x10);
	fill(nonce, sizeof(nonce), 0x40);
	fill(natd, sizeof(natd), 0x80);
	fill(vid, sizeof(vid), 0xa0);
	fill(certreq, sizeof(certreq), 0xc0);

	ike_builder_init_message(&b, buf, cap, &sa_init_header);
	ike_build_sa(&b, props, 2);
	ike_build_ke(&b, IKE_DH_CURVE25519, ke, sizeof(ke));
	ike_build_nonce(&b, nonce, sizeof(nonce));
	ike_build_notify(&b, 0, 0, 0, IKE_N_NAT_DETECTION_SOURCE_IP, natd, sizeof(natd));
	ike_build_notify(&b, 0, 0, 0, IKE_N_NAT_DETECTION_DESTINATION_IP, natd, sizeof(natd));
	ike_build_vendor(&b, vid, sizeof(vid));
	ike_build_cert(&b, IKE_PAYLOAD_CERTREQ, IKE_CERT_X509_SIG, certreq, sizeof(certreq));
	assert_int_equal(ike_builder_finish(&b, &len, &err), 0);
	return len;
}

static void test_sa_init_round_trip(void **state)
{
	uint8_t buf[BUF_LEN], again[BUF_LEN], expect[32];
	struct ike_message msg;
	struct ike_error err;
	struct ike_builder b;
	const struct ike_payload *p;
	size_t len, len2;

	(void)state;
	len = build_sa_init(buf, sizeof(buf));
	assert_int_equal(ike_message_parse(&msg, buf, len, &err), 0);

	assert_int_equal(msg.hdr.spi_i, sa_init_header.spi_i);
	assert_int_equal(msg.hdr.spi_r, 0);
	assert_int_equal(msg.hdr.exchange, IKE_EXCHANGE_SA_INIT);
	assert_int_equal(msg.hdr.flags, IKE_FLAG_INITIATOR);
	assert_int_equal(msg.hdr.major_version, 2);
	assert_int_equal(msg.hdr.length, len);
	assert_int_equal(msg.hdr.next_payload, IKE_PAYLOAD_SA);
	assert_int_equal(msg.num_payloads, 7);
	assert_int_equal(msg.num_skipped, 0);

	assert_int_equal(msg.sa.num_proposals, 2);
	assert_int_equal(msg.sa.proposals[0].number, 1);
	assert_int_equal(msg.sa.proposals[0].num_transforms, 4);
	assert_int_equal(msg.sa.proposals[0].transforms[0].id, IKE_ENCR_AES_GCM_16);
	assert_int_equal(msg.sa.proposals[0].transforms[0].key_length, 256);
	assert_int_equal(msg.sa.proposals[0].transforms[1].key_length, 128);
	assert_int_equal(msg.sa.proposals[0].transforms[3].type, IKE_TRANSFORM_DH);
	assert_int_equal(msg.sa.proposals[0].transforms[3].key_length, 0);
	assert_int_equal(msg.sa.proposals[1].number, 2);
	assert_int_equal(msg.sa.proposals[1].transforms[1].id,
			 IKE_INTEG_HMAC_SHA2_256_128);

	p = ike_message_find(&msg, IKE_PAYLOAD_KE);
	assert_non_null(p);
	assert_int_equal(p->u.ke.group, IKE_DH_CURVE25519);
	fill(expect, 32, 0x10);
	assert_int_equal(p->u.ke.data.len, 32);
	assert_memory_equal(p->u.ke.data.ptr, expect, 32);

	p = ike_message_find(&msg, IKE_PAYLOAD_NONCE);
	assert_non_null(p);
	fill(expect, 32, 0x40);
	assert_int_equal(p->body.len, 32);
	assert_memory_equal(p->body.ptr, expect, 32);

	p = ike_message_find_notify(&msg, IKE_N_NAT_DETECTION_DESTINATION_IP);
	assert_non_null(p);
	assert_int_equal(p->u.notify.data.len, 20);
	assert_int_equal(p->u.notify.spi_size, 0);
	assert_null(ike_message_find_notify(&msg, IKE_N_COOKIE));

	p = ike_message_find(&msg, IKE_PAYLOAD_CERTREQ);
	assert_non_null(p);
	assert_int_equal(p->u.cert.encoding, IKE_CERT_X509_SIG);
	assert_int_equal(p->u.cert.data.len, 20);

	/* encode what was understood again: the same bytes */
	ike_builder_init_message(&b, again, sizeof(again), &msg.hdr);
	for (size_t i = 0; i < msg.num_payloads; i++)
		ike_build_parsed(&b, &msg, &msg.payloads[i]);
	assert_int_equal(ike_builder_finish(&b, &len2, &err), 0);
	assert_int_equal(len2, len);
	assert_memory_equal(again, buf, len);
}

/* The payloads of an IKE_AUTH request, as they sit inside the SK payload. */
static size_t build_auth_inner(uint8_t *buf, size_t cap, uint8_t *first)
{
	struct ike_proposal esp = { .number = 1, .protocol = IKE_PROTO_ESP,
				    .spi_size = 4, .spi = 0xc0ffee01 };
	struct ike_ts ts[2] = {
		{ .type = IKE_TS_IPV4_ADDR_RANGE, .ip_protocol = 0,
		  .start_port = 0, .end_port = 65535,
		  .start_addr = { 10, 0, 0, 0 }, .end_addr = { 10, 0, 0, 255 } },
		{ .type = IKE_TS_IPV6_ADDR_RANGE, .ip_protocol = 6,
		  .start_port = 443, .end_port = 443,
		  .start_addr = { 0x20, 0x01, 0x0d, 0xb8 },
		  .end_addr = { 0x20, 0x01, 0x0d, 0xb8, [15] = 0xff } },
	};
	uint8_t id[] = "vesp.example", cert[100], auth[32], spis[8];
	struct ike_builder b;
	struct ike_error err;
	size_t len = 0;

	ike_proposal_add(&esp, IKE_TRANSFORM_ENCR, IKE_ENCR_AES_GCM_16, 256);
	ike_proposal_add(&esp, IKE_TRANSFORM_ESN, IKE_ESN_NO, 0);
	fill(cert, sizeof(cert), 1);
	fill(auth, sizeof(auth), 2);
	ike_put_be32(spis, 0x11111111);
	ike_put_be32(spis + 4, 0x22222222);

	ike_builder_init_chain(&b, buf, cap);
	ike_build_id(&b, IKE_PAYLOAD_IDI, IKE_ID_FQDN, id, sizeof(id) - 1);
	ike_build_cert(&b, IKE_PAYLOAD_CERT, IKE_CERT_X509_SIG, cert, sizeof(cert));
	ike_build_auth(&b, IKE_AUTH_SHARED_KEY_MIC, auth, sizeof(auth));
	ike_build_notify(&b, 0, 0, 0, IKE_N_INITIAL_CONTACT, NULL, 0);
	ike_build_sa(&b, &esp, 1);
	ike_build_ts(&b, IKE_PAYLOAD_TSI, ts, 2);
	ike_build_ts(&b, IKE_PAYLOAD_TSR, ts, 1);
	ike_build_notify(&b, IKE_PROTO_ESP, 4, 0xc0ffee01, IKE_N_REKEY_SA, NULL, 0);
	ike_build_delete(&b, IKE_PROTO_ESP, 4, 2, spis);
	assert_int_equal(ike_builder_finish(&b, &len, &err), 0);
	*first = b.first_payload;
	return len;
}

/*
 * An IKE_AUTH-shaped message whose SK body is the plain inner chain (the
 * crypto is tested elsewhere): the outer parse keeps SK opaque, the inner
 * parse decodes everything and marks it encrypted.
 */
static void test_inner_chain_round_trip(void **state)
{
	uint8_t inner[BUF_LEN], buf[BUF_LEN];
	struct ike_header hdr = sa_init_header;
	const struct ike_payload *p;
	struct ike_message msg;
	struct ike_builder b;
	struct ike_error err;
	size_t inner_len, len, sk_off;
	uint8_t first;

	(void)state;
	inner_len = build_auth_inner(inner, sizeof(inner), &first);
	assert_int_equal(first, IKE_PAYLOAD_IDI);

	hdr.exchange = IKE_EXCHANGE_AUTH;
	hdr.message_id = 1;
	hdr.spi_r = 0x1112131415161718ULL;
	ike_builder_init_message(&b, buf, sizeof(buf), &hdr);
	assert_int_equal(ike_build_sk(&b, first, inner_len, &sk_off), 0);
	memcpy(buf + sk_off + IKE_PAYLOAD_HEADER_LEN, inner, inner_len);
	assert_int_equal(ike_builder_finish(&b, &len, &err), 0);
	assert_int_equal(sk_off, IKE_HEADER_LEN);
	assert_int_equal(buf[16], IKE_PAYLOAD_SK);
	assert_int_equal(buf[sk_off], IKE_PAYLOAD_IDI);

	assert_int_equal(ike_message_parse(&msg, buf, len, &err), 0);
	assert_int_equal(msg.num_payloads, 1);
	p = ike_message_find(&msg, IKE_PAYLOAD_SK);
	assert_non_null(p);
	assert_int_equal(p->u.sk.inner_next_payload, IKE_PAYLOAD_IDI);
	assert_int_equal(p->u.sk.header_offset, IKE_HEADER_LEN);
	assert_int_equal(p->u.sk.data.len, inner_len);

	assert_int_equal(ike_message_parse_inner(&msg, p->u.sk.data.ptr,
						 p->u.sk.data.len, &err), 0);
	assert_int_equal(msg.num_payloads, 10);
	for (size_t i = 1; i < msg.num_payloads; i++)
		assert_true(msg.payloads[i].encrypted);

	p = ike_message_find(&msg, IKE_PAYLOAD_IDI);
	assert_int_equal(p->u.id.type, IKE_ID_FQDN);
	assert_int_equal(p->u.id.data.len, 12);
	assert_memory_equal(p->u.id.data.ptr, "vesp.example", 12);
	/* RestOfInitIDPayload: ID type, 3 reserved bytes, data */
	assert_int_equal(p->body.len, 16);

	p = ike_message_find(&msg, IKE_PAYLOAD_AUTH);
	assert_int_equal(p->u.auth.method, IKE_AUTH_SHARED_KEY_MIC);
	assert_int_equal(p->u.auth.data.len, 32);

	assert_int_equal(msg.sa.num_proposals, 1);
	assert_int_equal(msg.sa.proposals[0].protocol, IKE_PROTO_ESP);
	assert_int_equal(msg.sa.proposals[0].spi_size, 4);
	assert_int_equal(msg.sa.proposals[0].spi, 0xc0ffee01);

	assert_int_equal(msg.tsi.num_ts, 2);
	assert_int_equal(msg.tsi.ts[0].end_port, 65535);
	assert_int_equal(msg.tsi.ts[0].end_addr[3], 255);
	assert_int_equal(msg.tsi.ts[1].type, IKE_TS_IPV6_ADDR_RANGE);
	assert_int_equal(msg.tsi.ts[1].ip_protocol, 6);
	assert_int_equal(msg.tsi.ts[1].end_addr[15], 0xff);
	assert_int_equal(msg.tsr.num_ts, 1);

	p = ike_message_find_notify(&msg, IKE_N_REKEY_SA);
	assert_int_equal(p->u.notify.protocol, IKE_PROTO_ESP);
	assert_int_equal(p->u.notify.spi, 0xc0ffee01);

	p = ike_message_find(&msg, IKE_PAYLOAD_DELETE);
	assert_int_equal(p->u.del.num_spis, 2);
	assert_int_equal(ike_get_be32(p->u.del.spis.ptr + 4), 0x22222222);

	/* the inner chain may be parsed once only */
	assert_int_equal(ike_message_parse_inner(&msg, inner, inner_len, &err), -1);
}

/* Build a message with one raw payload body; returns its length. */
static size_t build_one(uint8_t *buf, uint8_t type, bool critical,
			const uint8_t *body, size_t body_len)
{
	struct ike_builder b;
	struct ike_error err;
	size_t len = 0;

	ike_builder_init_message(&b, buf, BUF_LEN, &sa_init_header);
	ike_build_raw(&b, type, critical, body, body_len);
	assert_int_equal(ike_builder_finish(&b, &len, &err), 0);
	return len;
}

/* Expect a parse failure with @notify and @needle in the text. */
static void expect_reject(const uint8_t *buf, size_t len, uint16_t notify,
			  const char *needle)
{
	struct ike_message msg;
	struct ike_error err;

	memset(&err, 0, sizeof(err));
	assert_int_equal(ike_message_parse(&msg, buf, len, &err), -1);
	assert_int_equal(err.notify, notify);
	if (!strstr(err.text, needle))
		fail_msg("error '%s' lacks '%s'", err.text, needle);
}

static void test_rejects_short_header(void **state)
{
	uint8_t buf[BUF_LEN];
	size_t len = build_sa_init(buf, sizeof(buf));

	(void)state;
	(void)len;
	expect_reject(buf, 27, IKE_N_INVALID_SYNTAX, "got 27 < need 28");
}

static void test_rejects_length_mismatch(void **state)
{
	uint8_t buf[BUF_LEN];
	size_t len = build_sa_init(buf, sizeof(buf));

	(void)state;
	/* datagram shorter than declared */
	expect_reject(buf, len - 1, IKE_N_INVALID_SYNTAX, "got");
	/* datagram longer than declared */
	expect_reject(buf, len + 1, IKE_N_INVALID_SYNTAX, "declared");
	/* declared below the header size */
	ike_put_be32(buf + 24, 27);
	expect_reject(buf, len, IKE_N_INVALID_SYNTAX, "got 27 < need 28");
}

static void test_rejects_bad_major_version(void **state)
{
	uint8_t buf[BUF_LEN];
	size_t len = build_sa_init(buf, sizeof(buf));
	struct ike_message msg;
	struct ike_error err;

	(void)state;
	buf[17] = 0x30;
	expect_reject(buf, len, IKE_N_INVALID_MAJOR_VERSION, "major version 3");
	/* IKEv1: no answer, so no notify */
	buf[17] = 0x10;
	assert_int_equal(ike_message_parse(&msg, buf, len, &err), -1);
	assert_int_equal(err.notify, 0);
	/* a higher minor version is fine (§2.5) */
	buf[17] = 0x21;
	assert_int_equal(ike_message_parse(&msg, buf, len, &err), 0);
	assert_int_equal(msg.hdr.minor_version, 1);
}

static void test_rejects_payload_length(void **state)
{
	uint8_t buf[BUF_LEN], body[40] = { 0 };
	size_t len = build_one(buf, IKE_PAYLOAD_NONCE, false, body, sizeof(body));

	(void)state;
	/* below the generic header */
	ike_put_be16(buf + IKE_HEADER_LEN + 2, 3);
	expect_reject(buf, len, IKE_N_INVALID_SYNTAX, "got 3 < need 4");
	/* beyond the message */
	ike_put_be16(buf + IKE_HEADER_LEN + 2, 45);
	expect_reject(buf, len, IKE_N_INVALID_SYNTAX, "got 44 < need 45");
	/* shorter than the message: bytes left after the last payload */
	ike_put_be16(buf + IKE_HEADER_LEN + 2, 40);
	expect_reject(buf, len, IKE_N_INVALID_SYNTAX, "4 bytes after the last payload");
	/* chain promises another payload, message ends */
	ike_put_be16(buf + IKE_HEADER_LEN + 2, 44);
	buf[IKE_HEADER_LEN] = IKE_PAYLOAD_VENDOR;
	expect_reject(buf, len, IKE_N_INVALID_SYNTAX, "got 0 < need 4");
}

static void test_rejects_short_bodies(void **state)
{
	static const struct { uint8_t type; size_t min; } cases[] = {
		{ IKE_PAYLOAD_SA, 8 }, { IKE_PAYLOAD_KE, 4 }, { IKE_PAYLOAD_IDI, 4 },
		{ IKE_PAYLOAD_CERT, 1 }, { IKE_PAYLOAD_AUTH, 4 },
		{ IKE_PAYLOAD_NONCE, 16 }, { IKE_PAYLOAD_NOTIFY, 4 },
		{ IKE_PAYLOAD_DELETE, 4 }, { IKE_PAYLOAD_TSI, 4 },
	};
	uint8_t buf[BUF_LEN], body[32] = { 0 };
	char needle[64];

	(void)state;
	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		size_t len = build_one(buf, cases[i].type, false, body, cases[i].min - 1);

		snprintf(needle, sizeof(needle), "%s (got %zu < need %zu)",
			 ike_payload_name(cases[i].type), cases[i].min - 1, cases[i].min);
		expect_reject(buf, len, IKE_N_INVALID_SYNTAX, needle);
	}
}

static void test_nonce_size_bounds(void **state)
{
	uint8_t buf[BUF_LEN], body[300] = { 0 };
	struct ike_message msg;
	struct ike_error err;
	size_t len;

	(void)state;
	len = build_one(buf, IKE_PAYLOAD_NONCE, false, body, 16);
	assert_int_equal(ike_message_parse(&msg, buf, len, &err), 0);
	len = build_one(buf, IKE_PAYLOAD_NONCE, false, body, 256);
	assert_int_equal(ike_message_parse(&msg, buf, len, &err), 0);
	len = build_one(buf, IKE_PAYLOAD_NONCE, false, body, 257);
	expect_reject(buf, len, IKE_N_INVALID_SYNTAX, "got 257 > max 256");
}

static void test_rejects_duplicates(void **state)
{
	uint8_t buf[BUF_LEN], nonce[16] = { 0 }, inner[64];
	struct ike_message msg;
	struct ike_builder b;
	struct ike_error err;
	size_t len, inner_len, sk_off;

	(void)state;
	ike_builder_init_message(&b, buf, sizeof(buf), &sa_init_header);
	ike_build_nonce(&b, nonce, sizeof(nonce));
	ike_build_nonce(&b, nonce, sizeof(nonce));
	assert_int_equal(ike_builder_finish(&b, &len, &err), 0);
	expect_reject(buf, len, IKE_N_INVALID_SYNTAX, "duplicate Nonce");

	/* Notify may repeat */
	ike_builder_init_message(&b, buf, sizeof(buf), &sa_init_header);
	ike_build_notify(&b, 0, 0, 0, IKE_N_COOKIE, nonce, 8);
	ike_build_notify(&b, 0, 0, 0, IKE_N_COOKIE, nonce, 8);
	assert_int_equal(ike_builder_finish(&b, &len, &err), 0);
	assert_int_equal(ike_message_parse(&msg, buf, len, &err), 0);

	/* a Nonce outside and one inside SK are still two */
	ike_builder_init_chain(&b, inner, sizeof(inner));
	ike_build_nonce(&b, nonce, sizeof(nonce));
	assert_int_equal(ike_builder_finish(&b, &inner_len, &err), 0);
	ike_builder_init_message(&b, buf, sizeof(buf), &sa_init_header);
	ike_build_nonce(&b, nonce, sizeof(nonce));
	ike_build_sk(&b, IKE_PAYLOAD_NONCE, inner_len, &sk_off);
	memcpy(buf + sk_off + 4, inner, inner_len);
	assert_int_equal(ike_builder_finish(&b, &len, &err), 0);
	assert_int_equal(ike_message_parse(&msg, buf, len, &err), 0);
	assert_int_equal(ike_message_parse_inner(&msg, inner, inner_len, &err), -1);
	assert_non_null(strstr(err.text, "duplicate Nonce"));
}

static void test_unknown_payloads(void **state)
{
	uint8_t buf[BUF_LEN], body[20] = { 0 };
	struct ike_message msg;
	struct ike_builder b;
	struct ike_error err;
	size_t len;

	(void)state;
	/* non-critical unknown payload between two known ones: skipped */
	ike_builder_init_message(&b, buf, sizeof(buf), &sa_init_header);
	ike_build_notify(&b, 0, 0, 0, IKE_N_COOKIE, body, 8);
	ike_build_raw(&b, 200, false, body, sizeof(body));
	ike_build_raw(&b, IKE_PAYLOAD_CP, false, body, 4);
	ike_build_nonce(&b, body, 16);
	assert_int_equal(ike_builder_finish(&b, &len, &err), 0);
	assert_int_equal(ike_message_parse(&msg, buf, len, &err), 0);
	assert_int_equal(msg.num_payloads, 2);
	assert_int_equal(msg.num_skipped, 2);
	assert_non_null(ike_message_find(&msg, IKE_PAYLOAD_NONCE));

	/* critical unknown payload: the whole message is refused */
	ike_builder_init_message(&b, buf, sizeof(buf), &sa_init_header);
	ike_build_nonce(&b, body, 16);
	ike_build_raw(&b, 200, true, body, sizeof(body));
	assert_int_equal(ike_builder_finish(&b, &len, &err), 0);
	memset(&err, 0, sizeof(err));
	assert_int_equal(ike_message_parse(&msg, buf, len, &err), -1);
	assert_int_equal(err.notify, IKE_N_UNSUPPORTED_CRITICAL_PAYLOAD);
	assert_int_equal(err.notify_data, 200);

	/* the critical bit on a payload we know changes nothing */
	len = build_one(buf, IKE_PAYLOAD_NONCE, true, body, 16);
	assert_int_equal(ike_message_parse(&msg, buf, len, &err), 0);
	assert_true(msg.payloads[0].critical);
}

static void test_sk_must_be_last(void **state)
{
	uint8_t buf[BUF_LEN], body[16] = { 0 };
	struct ike_builder b;
	struct ike_error err;
	size_t len, sk_off;

	(void)state;
	/* the builder refuses to go on after SK */
	ike_builder_init_message(&b, buf, sizeof(buf), &sa_init_header);
	assert_int_equal(ike_build_sk(&b, IKE_PAYLOAD_NONCE, 40, &sk_off), 0);
	assert_int_equal(ike_build_nonce(&b, body, 16), -1);
	assert_int_equal(ike_builder_finish(&b, &len, &err), -1);
	assert_non_null(strstr(err.text, "after the Encrypted payload"));

	/* and the parser refuses bytes after it */
	ike_builder_init_message(&b, buf, sizeof(buf), &sa_init_header);
	ike_build_sk(&b, IKE_PAYLOAD_NONCE, 40, &sk_off);
	assert_int_equal(ike_builder_finish(&b, &len, &err), 0);
	ike_put_be16(buf + sk_off + 2, 40);
	expect_reject(buf, len, IKE_N_INVALID_SYNTAX, "got 4 bytes after SK");
}

static void test_builder_overflow(void **state)
{
	uint8_t buf[64], body[64] = { 0 };
	struct ike_builder b;
	struct ike_error err;
	size_t len;

	(void)state;
	ike_builder_init_message(&b, buf, sizeof(buf), &sa_init_header);
	assert_int_equal(ike_build_nonce(&b, body, 16), 0);
	assert_int_equal(ike_build_nonce(&b, body, 32), -1);
	/* failures are sticky even when a later call would fit */
	assert_int_equal(ike_build_vendor(&b, body, 1), -1);
	assert_int_equal(ike_builder_finish(&b, &len, &err), -1);
	assert_non_null(strstr(err.text, "ike_build_nonce: buffer full"));

	ike_builder_init_message(&b, buf, 20, &sa_init_header);
	assert_int_equal(ike_builder_finish(&b, &len, &err), -1);
}

static void test_too_many_payloads(void **state)
{
	uint8_t buf[BUF_LEN];
	struct ike_message msg;
	struct ike_builder b;
	struct ike_error err;
	size_t len;

	(void)state;
	ike_builder_init_message(&b, buf, sizeof(buf), &sa_init_header);
	for (int i = 0; i < IKE_MAX_PAYLOADS; i++)
		ike_build_notify(&b, 0, 0, 0, IKE_N_COOKIE, NULL, 0);
	assert_int_equal(ike_builder_finish(&b, &len, &err), 0);
	assert_int_equal(ike_message_parse(&msg, buf, len, &err), 0);

	ike_builder_init_message(&b, buf, sizeof(buf), &sa_init_header);
	for (int i = 0; i <= IKE_MAX_PAYLOADS; i++)
		ike_build_notify(&b, 0, 0, 0, IKE_N_COOKIE, NULL, 0);
	assert_int_equal(ike_builder_finish(&b, &len, &err), 0);
	expect_reject(buf, len, IKE_N_INVALID_SYNTAX, "payloads");
}

/* Offsets into a one-SA-payload message built from a single proposal. */
#define SA_BODY (IKE_HEADER_LEN + IKE_PAYLOAD_HEADER_LEN)
#define PROP_LEN_OFF (SA_BODY + 2)
#define PROP_NUM_OFF (SA_BODY + 4)
#define PROP_NTRANS_OFF (SA_BODY + 7)
#define TRANS1 (SA_BODY + 8)

static size_t build_one_proposal(uint8_t *buf, const struct ike_proposal *p)
{
	struct ike_builder b;
	struct ike_error err;
	size_t len = 0;

	ike_builder_init_message(&b, buf, BUF_LEN, &sa_init_header);
	ike_build_sa(&b, p, 1);
	assert_int_equal(ike_builder_finish(&b, &len, &err), 0);
	return len;
}

static void test_sa_rejects_malformed(void **state)
{
	struct ike_proposal prop = { .number = 1, .protocol = IKE_PROTO_IKE };
	uint8_t buf[BUF_LEN], orig[BUF_LEN];
	size_t len;

	(void)state;
	ike_proposal_add(&prop, IKE_TRANSFORM_ENCR, IKE_ENCR_AES_CBC, 128);
	ike_proposal_add(&prop, IKE_TRANSFORM_PRF, IKE_PRF_HMAC_SHA2_256, 0);
	len = build_one_proposal(orig, &prop);

	/* declared transform count differs from what is there */
	memcpy(buf, orig, len);
	buf[PROP_NTRANS_OFF] = 3;
	expect_reject(buf, len, IKE_N_INVALID_SYNTAX, "got 2 transforms, declared 3");

	/* Last Substruc of the only proposal says "more follow" */
	memcpy(buf, orig, len);
	buf[SA_BODY] = 2;
	expect_reject(buf, len, IKE_N_INVALID_SYNTAX, "proposal Last Substruc");

	/* Last Substruc of the first transform says "last" */
	memcpy(buf, orig, len);
	buf[TRANS1] = 0;
	expect_reject(buf, len, IKE_N_INVALID_SYNTAX, "transform Last Substruc");

	/* proposal number 0 */
	memcpy(buf, orig, len);
	buf[PROP_NUM_OFF] = 0;
	expect_reject(buf, len, IKE_N_INVALID_SYNTAX, "proposal number");

	/* proposal length beyond the payload */
	memcpy(buf, orig, len);
	ike_put_be16(buf + PROP_LEN_OFF, ike_get_be16(orig + PROP_LEN_OFF) + 1);
	expect_reject(buf, len, IKE_N_INVALID_SYNTAX, "malformed proposal (got");

	/* transform length below its header */
	memcpy(buf, orig, len);
	ike_put_be16(buf + TRANS1 + 2, 7);
	expect_reject(buf, len, IKE_N_INVALID_SYNTAX, "transform length (got 7 < need 8)");

	/* attribute overrunning its transform: TLV length 200 */
	memcpy(buf, orig, len);
	ike_put_be16(buf + TRANS1 + 8, IKE_ATTR_KEY_LENGTH);
	ike_put_be16(buf + TRANS1 + 10, 200);
	expect_reject(buf, len, IKE_N_INVALID_SYNTAX, "transform attribute (got 4 < need 204)");

	/* an ESP proposal with an 8-byte SPI */
	prop.protocol = IKE_PROTO_ESP;
	prop.spi_size = 8;
	len = build_one_proposal(buf, &prop);
	expect_reject(buf, len, IKE_N_INVALID_SYNTAX, "SPI size (got 8 for protocol 3)");
}

static void test_sa_proposal_numbering(void **state)
{
	struct ike_proposal props[2];
	uint8_t buf[BUF_LEN];
	struct ike_message msg;
	struct ike_builder b;
	struct ike_error err;
	size_t len;

	(void)state;
	sample_ike_proposals(props);
	/* a response carries the one number it accepted */
	props[1].number = 7;
	len = build_one_proposal(buf, &props[1]);
	assert_int_equal(ike_message_parse(&msg, buf, len, &err), 0);
	assert_int_equal(msg.sa.proposals[0].number, 7);

	/* numbers must go up by one */
	props[1].number = 3;
	ike_builder_init_message(&b, buf, sizeof(buf), &sa_init_header);
	ike_build_sa(&b, props, 2);
	assert_int_equal(ike_builder_finish(&b, &len, &err), 0);
	expect_reject(buf, len, IKE_N_INVALID_SYNTAX, "proposal number (got 3 after 1)");
}

static void test_sa_unknown_attributes(void **state)
{
	struct ike_proposal prop = { .number = 1, .protocol = IKE_PROTO_IKE };
	uint8_t buf[BUF_LEN];
	struct ike_message msg;
	struct ike_error err;
	size_t len;

	(void)state;
	ike_proposal_add(&prop, IKE_TRANSFORM_ENCR, IKE_ENCR_AES_CBC, 128);
	ike_proposal_add(&prop, IKE_TRANSFORM_PRF, IKE_PRF_HMAC_SHA2_256, 0);
	len = build_one_proposal(buf, &prop);

	/* the Key Length attribute turned into an unknown TV attribute 15 */
	ike_put_be16(buf + TRANS1 + 8, IKE_ATTR_FORMAT_TV | 15);
	assert_int_equal(ike_message_parse(&msg, buf, len, &err), 0);
	assert_true(msg.sa.proposals[0].transforms[0].unknown_attribute);
	assert_false(msg.sa.proposals[0].transforms[1].unknown_attribute);

	/* a Key Length of 0 cannot be meant */
	ike_put_be16(buf + TRANS1 + 8, IKE_ATTR_FORMAT_TV | IKE_ATTR_KEY_LENGTH);
	ike_put_be16(buf + TRANS1 + 10, 0);
	assert_int_equal(ike_message_parse(&msg, buf, len, &err), 0);
	assert_true(msg.sa.proposals[0].transforms[0].unknown_attribute);
}

static void test_notify_and_delete_rules(void **state)
{
	uint8_t buf[BUF_LEN], body[16] = { 0 };
	struct ike_message msg;
	struct ike_error err;
	size_t len;

	(void)state;
	/* Notify SPI size over 8 */
	body[1] = 9;
	len = build_one(buf, IKE_PAYLOAD_NOTIFY, false, body, 16);
	expect_reject(buf, len, IKE_N_INVALID_SYNTAX, "Notify SPI size (got 9 > max 8)");
	/* SPI longer than the payload */
	body[1] = 4;
	len = build_one(buf, IKE_PAYLOAD_NOTIFY, false, body, 6);
	expect_reject(buf, len, IKE_N_INVALID_SYNTAX, "Notify (got 6 < need 8)");

	/* Delete for the IKE SA carries no SPI */
	memset(body, 0, sizeof(body));
	body[0] = IKE_PROTO_IKE;
	len = build_one(buf, IKE_PAYLOAD_DELETE, false, body, 4);
	assert_int_equal(ike_message_parse(&msg, buf, len, &err), 0);
	body[1] = 8;
	body[3] = 1;
	len = build_one(buf, IKE_PAYLOAD_DELETE, false, body, 12);
	expect_reject(buf, len, IKE_N_INVALID_SYNTAX, "Delete for IKE SA");
	/* ESP: count and length must agree */
	body[0] = IKE_PROTO_ESP;
	body[1] = 4;
	body[3] = 3;
	len = build_one(buf, IKE_PAYLOAD_DELETE, false, body, 12);
	expect_reject(buf, len, IKE_N_INVALID_SYNTAX, "Delete (got 12, need 16)");
}

static void test_ts_rules(void **state)
{
	uint8_t buf[BUF_LEN], body[64] = { 0 };
	struct ike_message msg;
	struct ike_error err;
	size_t len;

	(void)state;
	/* zero selectors */
	len = build_one(buf, IKE_PAYLOAD_TSI, false, body, 4);
	expect_reject(buf, len, IKE_N_INVALID_SYNTAX, "TSi (got 0 traffic selectors)");

	/* an IPv4 selector with an IPv6 length */
	body[0] = 1;
	body[4] = IKE_TS_IPV4_ADDR_RANGE;
	ike_put_be16(body + 6, 40);
	len = build_one(buf, IKE_PAYLOAD_TSR, false, body, 44);
	expect_reject(buf, len, IKE_N_INVALID_SYNTAX, "got length 40, need 16");

	/* an unknown selector type is skipped, a known one next to it kept */
	memset(body, 0, sizeof(body));
	body[0] = 2;
	body[4] = 10;		/* TS_SECLABEL */
	ike_put_be16(body + 6, 12);
	body[16] = IKE_TS_IPV4_ADDR_RANGE;
	ike_put_be16(body + 18, 16);
	ike_put_be16(body + 22, 65535);
	len = build_one(buf, IKE_PAYLOAD_TSI, false, body, 4 + 12 + 16);
	assert_int_equal(ike_message_parse(&msg, buf, len, &err), 0);
	assert_int_equal(msg.tsi.num_ts, 1);
	assert_int_equal(msg.tsi.num_unknown, 1);
	assert_int_equal(msg.tsi.ts[0].end_port, 65535);

	/* fewer selectors than declared */
	body[0] = 3;
	len = build_one(buf, IKE_PAYLOAD_TSI, false, body, 4 + 12 + 16);
	expect_reject(buf, len, IKE_N_INVALID_SYNTAX, "traffic selector (got 0 < need 8)");
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_sa_init_round_trip),
		cmocka_unit_test(test_inner_chain_round_trip),
		cmocka_unit_test(test_rejects_short_header),
		cmocka_unit_test(test_rejects_length_mismatch),
		cmocka_unit_test(test_rejects_bad_major_version),
		cmocka_unit_test(test_rejects_payload_length),
		cmocka_unit_test(test_rejects_short_bodies),
		cmocka_unit_test(test_nonce_size_bounds),
		cmocka_unit_test(test_rejects_duplicates),
		cmocka_unit_test(test_unknown_payloads),
		cmocka_unit_test(test_sk_must_be_last),
		cmocka_unit_test(test_builder_overflow),
		cmocka_unit_test(test_too_many_payloads),
		cmocka_unit_test(test_sa_rejects_malformed),
		cmocka_unit_test(test_sa_proposal_numbering),
		cmocka_unit_test(test_sa_unknown_attributes),
		cmocka_unit_test(test_notify_and_delete_rules),
		cmocka_unit_test(test_ts_rules),
	};

	return run_tap_tests("payload", tests);
}
