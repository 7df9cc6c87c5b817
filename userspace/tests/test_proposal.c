// SPDX-License-Identifier: GPL-2.0
/*
 * Proposal configuration and negotiation (ike/proposal.c): the responder's
 * choice, the initiator's check of the answer, RFC 7296 §3.3.6 rules on
 * what makes a transform or a proposal unacceptable.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>
#include <cmocka.h>

#include "ike/payload.h"
#include "ike/proposal.h"
#include "lib/testutil.h"

static struct ike_proposal parse_ok(uint8_t protocol, const char *text)
{
	struct ike_proposal p;
	struct ike_error err;

	if (ike_proposal_from_string(&p, protocol, text, &err) < 0)
		fail_msg("'%s': %s", text, err.text);
	return p;
}

static void expect_transform(const struct ike_proposal *p, uint8_t type,
			     uint16_t id, uint16_t key_bits)
{
	const struct ike_transform *t = ike_proposal_find(p, type);

	if (!t)
		fail_msg("no transform of type %u", type);
	assert_int_equal(t->id, id);
	assert_int_equal(t->key_length, key_bits);
}

static size_t count_type(const struct ike_proposal *p, uint8_t type)
{
	size_t n = 0;

	for (size_t i = 0; i < p->num_transforms; i++)
		n += p->transforms[i].type == type;
	return n;
}

static void test_from_string(void **state)
{
	struct ike_proposal p;
	struct ike_error err;

	(void)state;
	p = parse_ok(IKE_PROTO_IKE, "aes256gcm16-prfsha384-x25519");
	assert_int_equal(p.num_transforms, 3);
	expect_transform(&p, IKE_TRANSFORM_ENCR, IKE_ENCR_AES_GCM_16, 256);
	expect_transform(&p, IKE_TRANSFORM_PRF, IKE_PRF_HMAC_SHA2_384, 0);
	expect_transform(&p, IKE_TRANSFORM_DH, IKE_DH_CURVE25519, 0);

	/* strongSwan's rule: the PRF follows the integrity algorithm */
	p = parse_ok(IKE_PROTO_IKE, "aes128-aes256-sha256-sha512-modp2048-ecp384");
	assert_int_equal(count_type(&p, IKE_TRANSFORM_PRF), 2);
	expect_transform(&p, IKE_TRANSFORM_PRF, IKE_PRF_HMAC_SHA2_256, 0);

	p = parse_ok(IKE_PROTO_ESP, "chacha20poly1305-aes256gcm16-ecp256-esn-noesn");
	assert_int_equal(count_type(&p, IKE_TRANSFORM_ESN), 2);
	expect_transform(&p, IKE_TRANSFORM_ENCR, IKE_ENCR_CHACHA20_POLY1305, 0);

	assert_int_equal(ike_proposal_from_string(&p, IKE_PROTO_IKE,
						  "aes256gcm16-blowfish-x25519", &err), -1);
	assert_non_null(strstr(err.text, "unknown algorithm 'blowfish'"));
	/* AEAD with a MAC */
	assert_int_equal(ike_proposal_from_string(&p, IKE_PROTO_IKE,
						  "aes256gcm16-sha256-x25519", &err), -1);
	assert_non_null(strstr(err.text, "integrity algorithm with an AEAD"));
	/* CBC without a MAC */
	assert_int_equal(ike_proposal_from_string(&p, IKE_PROTO_IKE,
						  "aes128-prfsha256-ecp256", &err), -1);
	assert_non_null(strstr(err.text, "without integrity"));
	/* AEAD and CBC mixed */
	assert_int_equal(ike_proposal_from_string(&p, IKE_PROTO_ESP,
						  "aes128-aes128gcm16-sha256", &err), -1);
	/* IKE needs a key exchange */
	assert_int_equal(ike_proposal_from_string(&p, IKE_PROTO_IKE,
						  "aes256gcm16-prfsha256", &err), -1);
	assert_non_null(strstr(err.text, "no key exchange"));
	/* ESN is for Child SAs only */
	assert_int_equal(ike_proposal_from_string(&p, IKE_PROTO_IKE,
						  "aes256gcm16-prfsha256-x25519-esn", &err), -1);
}

static void test_select_prefers_local_order(void **state)
{
	struct ike_proposal local[2], received[2], sel;
	struct ike_error err;

	(void)state;
	local[0] = parse_ok(IKE_PROTO_IKE, "aes256gcm16-prfsha256-x25519");
	local[1] = parse_ok(IKE_PROTO_IKE, "aes128-sha256-ecp256");
	/* the peer prefers CBC, we prefer GCM: ours wins */
	received[0] = parse_ok(IKE_PROTO_IKE, "aes128-sha256-ecp256");
	received[1] = parse_ok(IKE_PROTO_IKE, "aes128gcm16-aes256gcm16-prfsha512-prfsha256-x25519");
	received[1].number = 2;

	assert_int_equal(ike_proposal_select(local, 2, received, 2, &sel, &err), 0);
	assert_int_equal(sel.number, 2);
	assert_int_equal(sel.num_transforms, 3);
	/* within a type too: our first algorithm the peer offers */
	expect_transform(&sel, IKE_TRANSFORM_ENCR, IKE_ENCR_AES_GCM_16, 256);
	expect_transform(&sel, IKE_TRANSFORM_PRF, IKE_PRF_HMAC_SHA2_256, 0);
	assert_null(ike_proposal_find(&sel, IKE_TRANSFORM_INTEG));

	/* two alternatives each, in opposite orders: ours decides */
	local[0] = parse_ok(IKE_PROTO_IKE, "aes256gcm16-aes128gcm16-prfsha384-prfsha256-ecp256-x25519");
	received[1] = parse_ok(IKE_PROTO_IKE, "aes128gcm16-aes256gcm16-prfsha256-prfsha384-x25519-ecp256");
	assert_int_equal(ike_proposal_select(local, 1, &received[1], 1, &sel, &err), 0);
	expect_transform(&sel, IKE_TRANSFORM_ENCR, IKE_ENCR_AES_GCM_16, 256);
	expect_transform(&sel, IKE_TRANSFORM_PRF, IKE_PRF_HMAC_SHA2_384, 0);
	expect_transform(&sel, IKE_TRANSFORM_DH, IKE_DH_ECP_256, 0);

	/* without our first proposal on offer, the second local one is used */
	assert_int_equal(ike_proposal_select(local, 2, received, 1, &sel, &err), 0);
	assert_int_equal(sel.number, 1);
	expect_transform(&sel, IKE_TRANSFORM_ENCR, IKE_ENCR_AES_CBC, 128);
	expect_transform(&sel, IKE_TRANSFORM_INTEG, IKE_INTEG_HMAC_SHA2_256_128, 0);
	expect_transform(&sel, IKE_TRANSFORM_PRF, IKE_PRF_HMAC_SHA2_256, 0);
	expect_transform(&sel, IKE_TRANSFORM_DH, IKE_DH_ECP_256, 0);
}

static void test_select_needs_every_type(void **state)
{
	struct ike_proposal local, received, sel;
	struct ike_error err;

	(void)state;
	local = parse_ok(IKE_PROTO_IKE, "aes256gcm16-prfsha256-x25519");

	/* same cipher, other key length */
	received = parse_ok(IKE_PROTO_IKE, "aes128gcm16-prfsha256-x25519");
	memset(&err, 0, sizeof(err));
	assert_int_equal(ike_proposal_select(&local, 1, &received, 1, &sel, &err), -1);
	assert_int_equal(err.notify, IKE_N_NO_PROPOSAL_CHOSEN);

	/* everything but the group */
	received = parse_ok(IKE_PROTO_IKE, "aes256gcm16-prfsha256-ecp384");
	assert_int_equal(ike_proposal_select(&local, 1, &received, 1, &sel, &err), -1);

	/* no PRF at all */
	memset(&received, 0, sizeof(received));
	received.number = 1;
	received.protocol = IKE_PROTO_IKE;
	ike_proposal_add(&received, IKE_TRANSFORM_ENCR, IKE_ENCR_AES_GCM_16, 256);
	ike_proposal_add(&received, IKE_TRANSFORM_DH, IKE_DH_CURVE25519, 0);
	assert_int_equal(ike_proposal_select(&local, 1, &received, 1, &sel, &err), -1);

	/* AES without Key Length attribute is not a cipher we can run */
	received = parse_ok(IKE_PROTO_IKE, "aes256gcm16-prfsha256-x25519");
	received.transforms[0].key_length = 0;
	assert_int_equal(ike_proposal_select(&local, 1, &received, 1, &sel, &err), -1);

	/* ESP proposals do not satisfy an IKE configuration */
	received = parse_ok(IKE_PROTO_ESP, "aes256gcm16");
	assert_int_equal(ike_proposal_select(&local, 1, &received, 1, &sel, &err), -1);
}

static void test_select_unacceptable_parts(void **state)
{
	struct ike_proposal local, received[2], sel;
	struct ike_error err;

	(void)state;
	local = parse_ok(IKE_PROTO_IKE, "aes256gcm16-prfsha256-x25519");

	/*
	 * §3.3.6: a transform with an attribute we do not understand is
	 * unacceptable, its siblings of the same type are still considered.
	 */
	received[0] = parse_ok(IKE_PROTO_IKE, "aes256gcm16-prfsha384-prfsha256-x25519");
	received[0].transforms[2].unknown_attribute = true;	/* prfsha256 */
	assert_int_equal(ike_proposal_select(&local, 1, received, 1, &sel, &err), -1);
	received[0].transforms[2].unknown_attribute = false;
	received[0].transforms[1].unknown_attribute = true;	/* prfsha384 */
	assert_int_equal(ike_proposal_select(&local, 1, received, 1, &sel, &err), 0);

	/* an unknown transform ID is passed over */
	received[0] = parse_ok(IKE_PROTO_IKE, "aes256gcm16-prfsha256-x25519");
	ike_proposal_add(&received[0], IKE_TRANSFORM_ENCR, IKE_ENCR_3DES, 0);
	assert_int_equal(ike_proposal_select(&local, 1, received, 1, &sel, &err), 0);
	assert_int_equal(sel.num_transforms, 3);

	/*
	 * A transform type we do not know (6 = ADDKE1, RFC 9370) makes the
	 * whole proposal unacceptable, the next proposal still counts.
	 */
	ike_proposal_add(&received[0], 6, IKE_DH_CURVE25519, 0);
	received[1] = parse_ok(IKE_PROTO_IKE, "aes256gcm16-prfsha256-x25519");
	received[1].number = 2;
	assert_int_equal(ike_proposal_select(&local, 1, received, 1, &sel, &err), -1);
	assert_int_equal(ike_proposal_select(&local, 1, received, 2, &sel, &err), 0);
	assert_int_equal(sel.number, 2);

	/* ESN belongs to ESP and AH only */
	received[0] = parse_ok(IKE_PROTO_IKE, "aes256gcm16-prfsha256-x25519");
	ike_proposal_add(&received[0], IKE_TRANSFORM_ESN, IKE_ESN_NO, 0);
	assert_int_equal(ike_proposal_select(&local, 1, received, 1, &sel, &err), -1);

	/* an explicit INTEG NONE next to an AEAD cipher is fine */
	received[0] = parse_ok(IKE_PROTO_IKE, "aes256gcm16-prfsha256-x25519");
	ike_proposal_add(&received[0], IKE_TRANSFORM_INTEG, IKE_INTEG_NONE, 0);
	assert_int_equal(ike_proposal_select(&local, 1, received, 1, &sel, &err), 0);
	assert_null(ike_proposal_find(&sel, IKE_TRANSFORM_INTEG));
}

static void test_select_esp(void **state)
{
	struct ike_proposal local, received, sel;
	struct ike_error err;

	(void)state;
	local = parse_ok(IKE_PROTO_ESP, "aes256gcm16-noesn");
	received = parse_ok(IKE_PROTO_ESP, "aes128gcm16-aes256gcm16-ecp256-esn-noesn");
	/* ESP proposals carry the sender's inbound SPI */
	received.spi_size = 4;
	received.spi = 0xcafe0001;
	ike_proposal_add(&received, IKE_TRANSFORM_DH, IKE_DH_NONE, 0);

	/* we want no PFS: the DH NONE alternative is taken and left out */
	assert_int_equal(ike_proposal_select(&local, 1, &received, 1, &sel, &err), 0);
	assert_int_equal(sel.spi_size, 4);
	assert_int_equal(sel.spi, 0xcafe0001);
	expect_transform(&sel, IKE_TRANSFORM_ENCR, IKE_ENCR_AES_GCM_16, 256);
	expect_transform(&sel, IKE_TRANSFORM_ESN, IKE_ESN_NO, 0);
	assert_null(ike_proposal_find(&sel, IKE_TRANSFORM_DH));

	/* with PFS configured, the peer's group is taken */
	local = parse_ok(IKE_PROTO_ESP, "aes256gcm16-ecp256-esn");
	assert_int_equal(ike_proposal_select(&local, 1, &received, 1, &sel, &err), 0);
	expect_transform(&sel, IKE_TRANSFORM_DH, IKE_DH_ECP_256, 0);
	expect_transform(&sel, IKE_TRANSFORM_ESN, IKE_ESN_YES, 0);

	/* PFS required, peer offers none */
	received = parse_ok(IKE_PROTO_ESP, "aes256gcm16-esn");
	assert_int_equal(ike_proposal_select(&local, 1, &received, 1, &sel, &err), -1);

	/* a peer leaving ESN out means no ESN; we accept that when we can */
	local = parse_ok(IKE_PROTO_ESP, "aes256gcm16");
	received = parse_ok(IKE_PROTO_ESP, "aes256gcm16");
	assert_int_equal(ike_proposal_select(&local, 1, &received, 1, &sel, &err), 0);
	expect_transform(&sel, IKE_TRANSFORM_ESN, IKE_ESN_NO, 0);
	received = parse_ok(IKE_PROTO_ESP, "aes256gcm16-esn");
	assert_int_equal(ike_proposal_select(&local, 1, &received, 1, &sel, &err), -1);

	/* CBC + HMAC for ESP */
	local = parse_ok(IKE_PROTO_ESP, "aes128-sha256");
	received = parse_ok(IKE_PROTO_ESP, "aes128-sha512-sha256-noesn");
	assert_int_equal(ike_proposal_select(&local, 1, &received, 1, &sel, &err), 0);
	expect_transform(&sel, IKE_TRANSFORM_INTEG, IKE_INTEG_HMAC_SHA2_256_128, 0);
}

static void test_check_response(void **state)
{
	struct ike_proposal offered[2], response, accepted;
	struct ike_error err;

	(void)state;
	offered[0] = parse_ok(IKE_PROTO_IKE, "aes256gcm16-aes128gcm16-prfsha256-x25519-ecp256");
	offered[1] = parse_ok(IKE_PROTO_IKE, "aes128-sha256-modp2048");
	offered[1].number = 2;

	response = parse_ok(IKE_PROTO_IKE, "aes128gcm16-prfsha256-ecp256");
	assert_int_equal(ike_proposal_check_response(offered, 2, &response, 1,
						     &accepted, &err), 0);
	expect_transform(&accepted, IKE_TRANSFORM_ENCR, IKE_ENCR_AES_GCM_16, 128);
	expect_transform(&accepted, IKE_TRANSFORM_DH, IKE_DH_ECP_256, 0);

	/* one transform per type */
	response = parse_ok(IKE_PROTO_IKE, "aes128gcm16-prfsha256-ecp256-x25519");
	assert_int_equal(ike_proposal_check_response(offered, 2, &response, 1,
						     &accepted, &err), -1);
	assert_non_null(strstr(err.text, "2 transforms of type 4"));

	/* something we did not offer in that proposal */
	response = parse_ok(IKE_PROTO_IKE, "aes128gcm16-prfsha256-modp2048");
	assert_int_equal(ike_proposal_check_response(offered, 2, &response, 1,
						     &accepted, &err), -1);
	assert_non_null(strstr(err.text, "did not offer"));

	/* a type left out that we required */
	response = parse_ok(IKE_PROTO_IKE, "aes128gcm16-prfsha256-ecp256");
	response.num_transforms = 2;
	assert_int_equal(ike_proposal_check_response(offered, 2, &response, 1,
						     &accepted, &err), -1);

	/* proposal numbers must be ours */
	response = parse_ok(IKE_PROTO_IKE, "aes128-sha256-modp2048");
	response.number = 2;
	assert_int_equal(ike_proposal_check_response(offered, 2, &response, 1,
						     &accepted, &err), 0);
	response.number = 3;
	assert_int_equal(ike_proposal_check_response(offered, 2, &response, 1,
						     &accepted, &err), -1);

	/* exactly one proposal */
	assert_int_equal(ike_proposal_check_response(offered, 2, offered, 2,
						     &accepted, &err), -1);

	/* ESP: ESN may be left out only when we offered "no ESN" */
	offered[0] = parse_ok(IKE_PROTO_ESP, "aes256gcm16-esn");
	response = parse_ok(IKE_PROTO_ESP, "aes256gcm16");
	assert_int_equal(ike_proposal_check_response(offered, 1, &response, 1,
						     &accepted, &err), -1);
	offered[0] = parse_ok(IKE_PROTO_ESP, "aes256gcm16-esn-noesn");
	assert_int_equal(ike_proposal_check_response(offered, 1, &response, 1,
						     &accepted, &err), 0);
	expect_transform(&accepted, IKE_TRANSFORM_ESN, IKE_ESN_NO, 0);
}

static void test_suite_from_proposal(void **state)
{
	struct ike_proposal p;
	struct ike_suite s;
	struct ike_error err;

	(void)state;
	p = parse_ok(IKE_PROTO_IKE, "aes128-sha384-ecp384");
	assert_int_equal(ike_suite_from_proposal(&s, &p, &err), 0);
	assert_int_equal(s.protocol, IKE_PROTO_IKE);
	assert_int_equal(s.encr, IKE_ENCR_AES_CBC);
	assert_int_equal(s.encr_key_bits, 128);
	assert_int_equal(s.integ, IKE_INTEG_HMAC_SHA2_384_192);
	assert_int_equal(s.prf, IKE_PRF_HMAC_SHA2_384);
	assert_int_equal(s.dh, IKE_DH_ECP_384);
	assert_false(s.esn);

	p = parse_ok(IKE_PROTO_ESP, "chacha20poly1305-esn");
	assert_int_equal(ike_suite_from_proposal(&s, &p, &err), 0);
	assert_int_equal(s.integ, IKE_INTEG_NONE);
	assert_int_equal(s.dh, IKE_DH_NONE);
	assert_true(s.esn);

	assert_string_equal(ike_transform_id_name(IKE_TRANSFORM_ENCR, 20), "AES_GCM_16");
	assert_string_equal(ike_transform_id_name(IKE_TRANSFORM_DH, 31), "CURVE25519");
	assert_null(ike_transform_id_name(IKE_TRANSFORM_PRF, 999));
}

/* Offer over the wire and choose from what the parser made of it. */
static void test_select_from_parsed_sa(void **state)
{
	struct ike_proposal offered[2], local, sel, accepted;
	struct ike_header hdr = { .major_version = 2, .exchange = IKE_EXCHANGE_SA_INIT };
	uint8_t buf[2048];
	struct ike_message msg;
	struct ike_builder b;
	struct ike_error err;
	size_t len;

	(void)state;
	offered[0] = parse_ok(IKE_PROTO_IKE, "aes128-sha256-modp2048");
	offered[1] = parse_ok(IKE_PROTO_IKE, "chacha20poly1305-aes256gcm16-prfsha512-x25519");
	offered[1].number = 2;
	ike_builder_init_message(&b, buf, sizeof(buf), &hdr);
	ike_build_sa(&b, offered, 2);
	assert_int_equal(ike_builder_finish(&b, &len, &err), 0);
	assert_int_equal(ike_message_parse(&msg, buf, len, &err), 0);

	local = parse_ok(IKE_PROTO_IKE, "aes256gcm16-prfsha512-x25519");
	assert_int_equal(ike_proposal_select(&local, 1, msg.sa.proposals,
					     msg.sa.num_proposals, &sel, &err), 0);
	assert_int_equal(sel.number, 2);

	/* the answer travels back and the initiator accepts it */
	ike_builder_init_message(&b, buf, sizeof(buf), &hdr);
	ike_build_sa(&b, &sel, 1);
	assert_int_equal(ike_builder_finish(&b, &len, &err), 0);
	assert_int_equal(ike_message_parse(&msg, buf, len, &err), 0);
	assert_int_equal(ike_proposal_check_response(offered, 2, msg.sa.proposals,
						     msg.sa.num_proposals,
						     &accepted, &err), 0);
	expect_transform(&accepted, IKE_TRANSFORM_ENCR, IKE_ENCR_AES_GCM_16, 256);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_from_string),
		cmocka_unit_test(test_select_prefers_local_order),
		cmocka_unit_test(test_select_needs_every_type),
		cmocka_unit_test(test_select_unacceptable_parts),
		cmocka_unit_test(test_select_esp),
		cmocka_unit_test(test_check_response),
		cmocka_unit_test(test_suite_from_proposal),
		cmocka_unit_test(test_select_from_parsed_sa),
	};

	return run_tap_tests("proposal", tests);
}
