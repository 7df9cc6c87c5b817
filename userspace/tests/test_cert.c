// SPDX-License-Identifier: GPL-2.0
/*
 * IKE_AUTH with X.509 certificates and signatures (RFC 7296 §3.6, §3.7,
 * RFC 7427) between two IKE SAs in one process (ike_pair.h), with keys and
 * certificates made at start (certgen.h): RSA, ECDSA P-256 and P-384, DN
 * and FQDN identities, and what must fail: an untrusted CA, an identity
 * the certificate does not name, a wrong signature, an expired
 * certificate, a shared key where a signature is due. The signature
 * formats are checked byte by byte against RFC 7427 Appendix A and
 * verified with OpenSSL apart from the code under test.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>
#include <cmocka.h>

#include "ike/auth.h"
#include "ike_pair.h"
#include "certgen.h"

#define DAY (24 * 3600L)


/* made once in main(): a CA of each kind and a spare key for forgeries */
static EVP_PKEY *rsa_ca_key, *ec_ca_key, *other_ca_key, *rsa_key, *p256_key[2],
		*p384_key[2], *spare_key;
static X509 *rsa_ca, *ec_ca, *other_ca, *sub_ca;

/* A certificate for @e: subject CN=moon/sun, SANs of its default names. */
static X509 *cert_for(const struct end *e, EVP_PKEY *key, X509 *ca,
		      EVP_PKEY *ca_key, long from, long to)
{
	return make_cert(key, e->initiator ? "moon" : "sun", ca, ca_key, false,
			 e->initiator ? "DNS:moon.example,IP:192.0.2.1" :
					"DNS:sun.example", from, to);
}

/* Its key and certificate from @ca, which it trusts. */
static void give_cert(struct end *e, EVP_PKEY *key, X509 *ca, EVP_PKEY *ca_key,
		      long from, long to)
{
	X509 *x = cert_for(e, key, ca, ca_key, from, to);

	cert_config_set(&e->config.cert, x, key, ca);
	X509_free(x);
}

/* Another certificate for the same key, its trust left as it is. */
static void reissue(struct end *e, EVP_PKEY *key, X509 *ca, EVP_PKEY *ca_key,
		    long from, long to)
{
	X509 *x = cert_for(e, key, ca, ca_key, from, to);

	der_into(x, e->config.cert.cert, sizeof(e->config.cert.cert),
		 &e->config.cert.cert_len);
	X509_free(x);
}

/* Both ends certified by one CA, the identities the default FQDNs. */
static void certify_both(EVP_PKEY *ikey, EVP_PKEY *rkey, X509 *ca, EVP_PKEY *ca_key)
{
	give_cert(&I, ikey, ca, ca_key, -60, DAY);
	give_cert(&R, rkey, ca, ca_key, -60, DAY);
}

static void assert_established(void)
{
	assert_int_equal(I.sa.state, IKE_SA_STATE_ESTABLISHED);
	assert_int_equal(R.sa.state, IKE_SA_STATE_ESTABLISHED);
	/* the first Child SA too: inbound and outbound at each end */
	assert_int_equal(I.num_calls, 2);
	assert_int_equal(R.num_calls, 2);
}

/* The responder refused the initiator: AUTHENTICATION_FAILED, no SAs. */
static void assert_refused_by_r(void)
{
	assert_int_equal(R.sa.state, IKE_SA_STATE_FAILED);
	assert_int_equal(R.m.error.notify, IKE_N_AUTHENTICATION_FAILED);
	assert_int_equal(I.sa.state, IKE_SA_STATE_FAILED);
	assert_int_equal(I.num_calls + R.num_calls, 0);
}

static void test_ecdsa_p256_fqdn(void **state)
{
	(void)state;
	certify_both(p256_key[0], p256_key[1], ec_ca, ec_ca_key);
	run();
	assert_established();
	/* each end announced RFC 7427 hashes: SHA2-256, 384, 512 */
	assert_int_equal(ike_auth_peer_hashes(&I.sa),
			 IKE_HASH_BIT(2) | IKE_HASH_BIT(3) | IKE_HASH_BIT(4));
	assert_int_equal(ike_auth_peer_hashes(&R.sa),
			 IKE_HASH_BIT(2) | IKE_HASH_BIT(3) | IKE_HASH_BIT(4));
}

static void test_ecdsa_p384_dn(void **state)
{
	struct ike_error err;

	(void)state;
	certify_both(p384_key[0], p384_key[1], ec_ca, ec_ca_key);
	/* no local-id: the certificate's subject, as the daemon's config does */
	memset(&I.config.local_id, 0, sizeof(I.config.local_id));
	assert_int_equal(ike_cert_config_check(&I.config.cert, &I.config.local_id,
					       &err), 0);
	assert_int_equal(I.config.local_id.type, IKE_ID_DER_ASN1_DN);
	/* a DN written otherwise (spaces) still names the same subject */
	set_id(&R.config.local_id, "dn:C=CH,O=vesp,  CN=sun");
	assert_int_equal(ike_cert_config_check(&R.config.cert, &R.config.local_id,
					       &err), 0);
	set_id(&R.config.remote_id, "dn:C=CH, O=vesp, CN=moon");
	set_id(&I.config.remote_id, "dn:C=CH, O=vesp, CN=sun");
	run();
	assert_established();
}

static void test_rsa(void **state)
{
	(void)state;
	/* one RSA end, one ECDSA end, both under an RSA CA */
	certify_both(rsa_key, p256_key[1], rsa_ca, rsa_ca_key);
	set_id(&I.config.local_id, "192.0.2.1");
	set_id(&R.config.remote_id, "192.0.2.1");
	run();
	assert_established();
}

static void test_untrusted_ca(void **state)
{
	(void)state;
	certify_both(p256_key[0], p256_key[1], ec_ca, ec_ca_key);
	/* I's certificate from a CA R does not know, with the same name */
	reissue(&I, p256_key[0], other_ca, other_ca_key, -60, DAY);
	run();
	assert_refused_by_r();
}

/*
 * I's certificate comes from a sub-CA and travels alone: R must know the
 * sub-CA. As with strongSwan, any configured CA is a trust anchor, the
 * root above it needed or not.
 */
static void test_sub_ca(void **state)
{
	struct ike_cert_config *rc = &R.config.cert;

	(void)state;
	for (int round = 0; round < 3; round++) {
		end_teardown(&I);
		end_teardown(&R);
		setup(NULL);
		certify_both(p256_key[0], p256_key[1], ec_ca, ec_ca_key);
		reissue(&I, p256_key[0], sub_ca, spare_key, -60, DAY);
		if (round == 1) {	/* root and sub-CA */
			der_into(sub_ca, rc->ca[1], sizeof(rc->ca[1]), &rc->ca_len[1]);
			rc->num_cas = 2;
		} else if (round == 2) {	/* the sub-CA alone */
			der_into(sub_ca, rc->ca[0], sizeof(rc->ca[0]), &rc->ca_len[0]);
		}
		run();
		if (round == 0) {	/* the root alone: no path */
			assert_refused_by_r();
			continue;
		}
		assert_int_equal(R.sa.state, IKE_SA_STATE_ESTABLISHED);
		/* I trusts the root, which R's certificate chains up to */
		assert_int_equal(I.sa.state, IKE_SA_STATE_ESTABLISHED);
	}
}

static void test_id_not_in_cert(void **state)
{
	(void)state;
	certify_both(p256_key[0], p256_key[1], ec_ca, ec_ca_key);
	/* R expects mars and I claims it, but the certificate says moon */
	set_id(&I.config.local_id, "fqdn:mars.example");
	set_id(&R.config.remote_id, "fqdn:mars.example");
	run();
	assert_refused_by_r();
}

static void test_bad_signature(void **state)
{
	uint8_t *p;
	int n;

	(void)state;
	certify_both(p256_key[0], p256_key[1], ec_ca, ec_ca_key);
	/* I signs with a key its certificate does not hold */
	p = I.config.cert.key;
	n = i2d_PrivateKey(spare_key, &p);
	assert_true(n > 0);
	I.config.cert.key_len = (size_t)n;
	run();
	assert_refused_by_r();
}

static void test_responder_checked(void **state)
{
	(void)state;
	certify_both(p256_key[0], p256_key[1], ec_ca, ec_ca_key);
	/* R's certificate expired yesterday: I refuses it after R accepted I */
	reissue(&R, p256_key[1], ec_ca, ec_ca_key, -2 * DAY, -DAY);
	run();
	assert_int_equal(R.sa.state, IKE_SA_STATE_ESTABLISHED);
	assert_int_equal(I.sa.state, IKE_SA_STATE_FAILED);
	assert_int_equal(I.m.error.notify, IKE_N_AUTHENTICATION_FAILED);
	assert_int_equal(I.num_calls, 0);
}

static void test_psk_instead_of_signature(void **state)
{
	(void)state;
	give_cert(&R, p256_key[1], ec_ca, ec_ca_key, -60, DAY);
	/* I still uses the shared key, which R no longer accepts */
	run();
	assert_refused_by_r();
}

/* CERTREQ in R's IKE_SA_INIT response: SHA-1 of the CA's SPKI. */
static void test_certreq(void **state)
{
	struct ike_message msg;
	const struct ike_payload *p = NULL, *n;
	uint8_t *spki = NULL, hash[20];
	int len;

	(void)state;
	certify_both(p256_key[0], p256_key[1], ec_ca, ec_ca_key);
	end_start(&I);
	end_start(&R);
	ike_manager_initiate(&I.m);
	deliver(&I, &R);
	assert_int_equal(ike_message_parse(&msg, R.out[0], R.out_len[0], NULL), 0);
	for (size_t i = 0; i < msg.num_payloads; i++)
		if (msg.payloads[i].type == IKE_PAYLOAD_CERTREQ)
			p = &msg.payloads[i];
	assert_non_null(p);
	assert_int_equal(p->u.cert.encoding, IKE_CERT_X509_SIG);
	len = i2d_PUBKEY(ec_ca_key, &spki);
	assert_true(len > 0);
	assert_int_equal(EVP_Digest(spki, (size_t)len, hash, NULL, EVP_sha1(), NULL), 1);
	OPENSSL_free(spki);
	assert_int_equal(p->u.cert.data.len, 20);
	assert_memory_equal(p->u.cert.data.ptr, hash, 20);
	n = ike_message_find_notify(&msg, IKE_N_SIGNATURE_HASH_ALGORITHMS);
	assert_non_null(n);
	assert_int_equal(n->u.notify.data.len, 6);
	assert_memory_equal(n->u.notify.data.ptr, "\0\2\0\3\0\4", 6);
	settle(&I, &R);
	assert_established();
}

/*
 * Method 14 by the letter: length, the AlgorithmIdentifier of RFC 7427
 * Appendix A, and a signature OpenSSL verifies by itself over the octets;
 * without the peer's hashes the classic methods (RFC 4754 r|s, RSA SHA-1).
 */
static void check_sign(EVP_PKEY *key, unsigned int hashes, uint8_t want_method,
		       const char *want_alg, const EVP_MD *md)
{
	static const uint8_t octets[] = "octets to be signed";
	uint8_t out[IKE_AUTH_SIG_MAX_LEN], alg[32], der[256];
	struct ike_chunk o = ike_chunk(octets, sizeof(octets));
	size_t len, alg_len = want_alg ? hex_decode(want_alg, alg, sizeof(alg)) : 0;
	struct ike_chunk sig;
	struct ike_error err;
	EVP_MD_CTX *ctx = EVP_MD_CTX_new();
	uint8_t method;

	assert_int_equal(ike_auth_sign(key, hashes, o, &method, out, &len, &err), 0);
	assert_int_equal(method, want_method);
	sig = ike_chunk(out, len);
	if (want_alg) {
		assert_int_equal(out[0], alg_len);
		assert_memory_equal(out + 1, alg, alg_len);
		sig = ike_chunk(out + 1 + alg_len, len - 1 - alg_len);
	} else if (method != IKE_AUTH_RSA_SIG) {
		/* r|s back into DER for OpenSSL */
		ECDSA_SIG *s = ECDSA_SIG_new();
		uint8_t *p = der;

		assert_true(len % 2 == 0);
		ECDSA_SIG_set0(s, BN_bin2bn(out, (int)len / 2, NULL),
			       BN_bin2bn(out + len / 2, (int)len / 2, NULL));
		sig = ike_chunk(der, (size_t)i2d_ECDSA_SIG(s, &p));
		ECDSA_SIG_free(s);
	}
	assert_int_equal(EVP_DigestVerifyInit(ctx, NULL, md, NULL, key), 1);
	assert_int_equal(EVP_DigestVerify(ctx, sig.ptr, sig.len, o.ptr, o.len), 1);
	EVP_MD_CTX_free(ctx);
	/* and our own verification agrees, but not over other octets */
	assert_int_equal(ike_auth_verify(key, method, ike_chunk(out, len), o, &err), 0);
	o.len--;
	assert_int_equal(ike_auth_verify(key, method, ike_chunk(out, len), o, &err), -1);
	assert_int_equal(err.notify, IKE_N_AUTHENTICATION_FAILED);
}

static void test_signature_formats(void **state)
{
	const unsigned int all = IKE_HASH_BIT(2) | IKE_HASH_BIT(3) | IKE_HASH_BIT(4);

	(void)state;
	check_sign(p256_key[0], all, IKE_AUTH_DIGITAL_SIGNATURE,
		   "300a06082a8648ce3d040302", EVP_sha256());
	check_sign(p384_key[0], all, IKE_AUTH_DIGITAL_SIGNATURE,
		   "300a06082a8648ce3d040303", EVP_sha384());
	check_sign(rsa_key, all, IKE_AUTH_DIGITAL_SIGNATURE,
		   "300d06092a864886f70d01010b0500", EVP_sha256());
	/* a peer with SHA2-512 only */
	check_sign(rsa_key, IKE_HASH_BIT(4), IKE_AUTH_DIGITAL_SIGNATURE,
		   "300d06092a864886f70d01010d0500", EVP_sha512());
	check_sign(p256_key[0], 0, IKE_AUTH_ECDSA_256, NULL, EVP_sha256());
	check_sign(p384_key[0], 0, IKE_AUTH_ECDSA_384, NULL, EVP_sha384());
	check_sign(rsa_key, 0, IKE_AUTH_RSA_SIG, NULL, EVP_sha1());
}

/* What a peer's AUTH data must not get away with. */
static void test_verify_refuses(void **state)
{
	static const uint8_t octets[] = "octets";
	struct ike_chunk o = ike_chunk(octets, sizeof(octets));
	uint8_t out[IKE_AUTH_SIG_MAX_LEN], method;
	struct ike_error err;
	size_t len;

	(void)state;
	assert_int_equal(ike_auth_sign(p256_key[0], IKE_HASH_BIT(2), o, &method, out,
				       &len, &err), 0);
	/* another key */
	assert_int_equal(ike_auth_verify(p256_key[1], method, ike_chunk(out, len), o,
					 &err), -1);
	/* an ECDSA scheme with an RSA key */
	assert_int_equal(ike_auth_verify(rsa_key, method, ike_chunk(out, len), o,
					 &err), -1);
	/* a length byte past the end, an unknown AlgorithmIdentifier */
	out[0] = 0xff;
	assert_int_equal(ike_auth_verify(p256_key[0], method, ike_chunk(out, 20), o,
					 &err), -1);
	out[0] = 12;
	out[12] ^= 1;
	assert_int_equal(ike_auth_verify(p256_key[0], method, ike_chunk(out, len), o,
					 &err), -1);
	/* a classic method of the wrong size */
	assert_int_equal(ike_auth_verify(p256_key[0], IKE_AUTH_ECDSA_384,
					 ike_chunk(out, 96), o, &err), -1);
	assert_int_equal(ike_auth_verify(p256_key[0], IKE_AUTH_ECDSA_256,
					 ike_chunk(out, 63), o, &err), -1);
	assert_int_equal(err.notify, IKE_N_AUTHENTICATION_FAILED);
}

/* Identities a certificate names: subject DN, subjectAltNames, key id. */
static void test_names_id(void **state)
{
	X509 *x = make_cert(p256_key[0], "moon", ec_ca, ec_ca_key, false,
			    "DNS:Moon.Example,IP:192.0.2.1,IP:2001:db8::1", -60, DAY);
	struct ike_identity id;
	uint8_t hash[20];
	unsigned int len;
	static const char *const yes[] = {
		"moon.example", "192.0.2.1", "2001:db8::1", "dn:C=CH, O=vesp, CN=moon",
	};
	static const char *const no[] = {
		"sun.example", "moon.example.org", "192.0.2.2", "2001:db8::2",
		"dn:C=CH, O=vesp, CN=sun", "dn:C=CH, CN=moon", "keyid:0011",
	};

	(void)state;
	for (size_t i = 0; i < sizeof(yes) / sizeof(yes[0]); i++) {
		set_id(&id, yes[i]);
		assert_true(ike_cert_names_id(x, id.type, ike_chunk(id.data, id.len)));
	}
	for (size_t i = 0; i < sizeof(no) / sizeof(no[0]); i++) {
		set_id(&id, no[i]);
		assert_false(ike_cert_names_id(x, id.type, ike_chunk(id.data, id.len)));
	}
	/* KEY_ID: SHA-1 of the public key, as the subjectKeyIdentifier */
	assert_int_equal(X509_pubkey_digest(x, EVP_sha1(), hash, &len), 1);
	assert_true(ike_cert_names_id(x, IKE_ID_KEY_ID, ike_chunk(hash, len)));
	X509_free(x);
}

static void test_dn_syntax(void **state)
{
	struct ike_identity id;
	struct ike_error err;

	(void)state;
	assert_int_equal(ike_identity_from_string(&id, "dn:CN=a,O=vesp", &err), 0);
	assert_int_equal(id.type, IKE_ID_DER_ASN1_DN);
	/* SEQUENCE { SET { SEQUENCE { OID CN, UTF8String "a" } } ... } */
	assert_int_equal(id.data[0], 0x30);
	assert_int_equal(id.len, 2 + id.data[1]);
	assert_int_equal(ike_identity_from_string(&id, "dn:", &err), -1);
	assert_int_equal(ike_identity_from_string(&id, "dn:CN", &err), -1);
	assert_int_equal(ike_identity_from_string(&id, "dn:XX=a", &err), -1);
	assert_int_equal(ike_identity_from_string(&id, "dn:CN=", &err), -1);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(test_ecdsa_p256_fqdn, setup, teardown),
		cmocka_unit_test_setup_teardown(test_ecdsa_p384_dn, setup, teardown),
		cmocka_unit_test_setup_teardown(test_rsa, setup, teardown),
		cmocka_unit_test_setup_teardown(test_untrusted_ca, setup, teardown),
		cmocka_unit_test_setup_teardown(test_sub_ca, setup, teardown),
		cmocka_unit_test_setup_teardown(test_id_not_in_cert, setup, teardown),
		cmocka_unit_test_setup_teardown(test_bad_signature, setup, teardown),
		cmocka_unit_test_setup_teardown(test_responder_checked, setup, teardown),
		cmocka_unit_test_setup_teardown(test_psk_instead_of_signature, setup,
						teardown),
		cmocka_unit_test_setup_teardown(test_certreq, setup, teardown),
		cmocka_unit_test(test_signature_formats),
		cmocka_unit_test(test_verify_refuses),
		cmocka_unit_test(test_names_id),
		cmocka_unit_test(test_dn_syntax),
	};
	int failed;

	rsa_ca_key = gen_rsa(2048);
	rsa_key = gen_rsa(2048);
	ec_ca_key = gen_ec("P-256");
	other_ca_key = gen_ec("P-256");
	spare_key = gen_ec("P-256");
	for (int i = 0; i < 2; i++) {
		p256_key[i] = gen_ec("P-256");
		p384_key[i] = gen_ec("P-384");
	}
	rsa_ca = make_cert(rsa_ca_key, "RSA CA", NULL, NULL, true, NULL, -60,
			   10 * DAY);
	ec_ca = make_cert(ec_ca_key, "ECDSA CA", NULL, NULL, true, NULL, -60,
			  10 * DAY);
	other_ca = make_cert(other_ca_key, "ECDSA CA", NULL, NULL, true, NULL, -60,
			     10 * DAY);
	/* a sub-CA under ec_ca, with the spare key */
	sub_ca = make_cert(spare_key, "Sub CA", ec_ca, ec_ca_key, true, NULL, -60,
			   10 * DAY);
	failed = run_tap_tests("cert", tests);
	X509_free(rsa_ca);
	X509_free(ec_ca);
	X509_free(other_ca);
	X509_free(sub_ca);
	EVP_PKEY_free(rsa_ca_key);
	EVP_PKEY_free(rsa_key);
	EVP_PKEY_free(ec_ca_key);
	EVP_PKEY_free(other_ca_key);
	EVP_PKEY_free(spare_key);
	for (int i = 0; i < 2; i++) {
		EVP_PKEY_free(p256_key[i]);
		EVP_PKEY_free(p384_key[i]);
	}
	return failed;
}
