/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Keys and X.509 certificates made at test time with the OpenSSL API: a
 * CA, end-entity certificates it signs (subject DN, subjectAltNames,
 * validity), written to PEM files or put into a struct ike_cert_config.
 * Nothing is stored in the tree, so nothing expires.
 *
 * Functions are static inline so each test includes only what it uses.
 */
#ifndef TESTS_CERTGEN_H
#define TESTS_CERTGEN_H

#include <stdbool.h>
#include <stdio.h>
#include <string.h>

#include <openssl/evp.h>
#include <openssl/pem.h>
#include <openssl/x509v3.h>

#include "ike/cert.h"

/* An RSA key of @bits, or an ECDSA key on @curve ("P-256", "P-384"). */
static inline EVP_PKEY *gen_rsa(size_t bits)
{
	EVP_PKEY *k = EVP_PKEY_Q_keygen(NULL, NULL, "RSA", bits);

	assert_non_null(k);
	return k;
}

static inline EVP_PKEY *gen_ec(const char *curve)
{
	EVP_PKEY *k = EVP_PKEY_Q_keygen(NULL, NULL, "EC", curve);

	assert_non_null(k);
	return k;
}

/* C=CH, O=vesp, CN=@cn: built apart from identity.c's "dn:" parser */
static inline X509_NAME *make_name(const char *cn)
{
	X509_NAME *n = X509_NAME_new();

	assert_non_null(n);
	assert_int_equal(X509_NAME_add_entry_by_txt(n, "C", MBSTRING_ASC,
						    (const unsigned char *)"CH", -1, -1, 0), 1);
	assert_int_equal(X509_NAME_add_entry_by_txt(n, "O", MBSTRING_ASC,
						    (const unsigned char *)"vesp", -1, -1, 0), 1);
	assert_int_equal(X509_NAME_add_entry_by_txt(n, "CN", MBSTRING_ASC,
						    (const unsigned char *)cn, -1, -1, 0), 1);
	return n;
}

static inline void add_ext(X509 *x, X509 *issuer, int nid, const char *value)
{
	X509V3_CTX ctx;
	X509_EXTENSION *ext;

	X509V3_set_ctx(&ctx, issuer ? issuer : x, x, NULL, NULL, 0);
	ext = X509V3_EXT_conf_nid(NULL, &ctx, nid, value);
	assert_non_null(ext);
	assert_int_equal(X509_add_ext(x, ext, -1), 1);
	X509_EXTENSION_free(ext);
}

/*
 * A certificate for @key named C=CH, O=vesp, CN=@cn, signed by @issuer_key
 * (@issuer NULL: self-signed), a CA's with @ca. @san:
 * "DNS:moon.example,IP:192.0.2.1" or NULL. Valid from @from to @to seconds
 * relative to now.
 */
static inline X509 *make_cert(EVP_PKEY *key, const char *cn, X509 *issuer,
			      EVP_PKEY *issuer_key, bool ca, const char *san,
			      long from, long to)
{
	static long serial = 1;
	X509 *x = X509_new();
	X509_NAME *name = make_name(cn);

	assert_non_null(x);
	X509_set_version(x, 2);
	ASN1_INTEGER_set(X509_get_serialNumber(x), serial++);
	X509_gmtime_adj(X509_getm_notBefore(x), from);
	X509_gmtime_adj(X509_getm_notAfter(x), to);
	X509_set_subject_name(x, name);
	X509_set_issuer_name(x, issuer ? X509_get_subject_name(issuer) : name);
	X509_NAME_free(name);
	assert_int_equal(X509_set_pubkey(x, key), 1);
	add_ext(x, issuer, NID_subject_key_identifier, "hash");
	if (ca) {
		add_ext(x, issuer, NID_basic_constraints, "critical,CA:TRUE");
		add_ext(x, issuer, NID_key_usage, "critical,keyCertSign,cRLSign");
	}
	if (issuer)
		add_ext(x, issuer, NID_authority_key_identifier, "keyid");
	if (san)
		add_ext(x, issuer, NID_subject_alt_name, san);
	assert_true(X509_sign(x, issuer_key ? issuer_key : key, EVP_sha256()) > 0);
	return x;
}

static inline void der_into(X509 *x, uint8_t *out, size_t cap, size_t *len)
{
	int n = i2d_X509(x, NULL);

	assert_true(n > 0 && (size_t)n <= cap);
	i2d_X509(x, &out);
	*len = (size_t)n;
}

/* Credentials straight into @c: our certificate and key, one CA. */
static inline void cert_config_set(struct ike_cert_config *c, X509 *cert,
				   EVP_PKEY *key, X509 *ca)
{
	uint8_t *p = c->key;
	int n = i2d_PrivateKey(key, NULL);

	c->enabled = true;
	der_into(cert, c->cert, sizeof(c->cert), &c->cert_len);
	assert_true(n > 0 && (size_t)n <= sizeof(c->key));
	i2d_PrivateKey(key, &p);
	c->key_len = (size_t)n;
	c->num_cas = 1;
	der_into(ca, c->ca[0], sizeof(c->ca[0]), &c->ca_len[0]);
}

static inline void write_cert_pem(const char *path, X509 *x)
{
	FILE *f = fopen(path, "w");

	assert_non_null(f);
	assert_int_equal(PEM_write_X509(f, x), 1);
	fclose(f);
}

static inline void write_key_pem(const char *path, EVP_PKEY *k)
{
	FILE *f = fopen(path, "w");

	assert_non_null(f);
	assert_int_equal(PEM_write_PrivateKey(f, k, NULL, NULL, 0, NULL, NULL), 1);
	fclose(f);
}

#endif /* TESTS_CERTGEN_H */
