// SPDX-License-Identifier: GPL-2.0
/* X.509 credentials: see cert.h. */
#include "cert.h"

#include <string.h>
#include <strings.h>

#include <openssl/crypto.h>
#include <openssl/err.h>
#include <openssl/pem.h>
#include <openssl/x509v3.h>

#include "identity.h"

void ike_cert_config_clear(struct ike_cert_config *c)
{
	OPENSSL_cleanse(c->key, sizeof(c->key));
	c->key_len = 0;
}

static int cert_to_der(X509 *x, uint8_t *out, size_t cap, size_t *len,
		       const char *path, struct ike_error *err)
{
	int n = i2d_X509(x, NULL);
	uint8_t *p = out;

	if (n <= 0 || (size_t)n > cap)
		return ike_error_set(err, 0, "certificate in '%s' over %zu bytes",
				     path, cap);
	i2d_X509(x, &p);
	*len = (size_t)n;
	return 0;
}

/* Each certificate of the PEM file @path, handed to @take; how many. */
static int read_certs(const char *path, int (*take)(void *ctx, X509 *x),
		      void *ctx, struct ike_error *err)
{
	BIO *bio = BIO_new_file(path, "r");
	int n = 0, ret = 0;
	X509 *x;

	if (!bio)
		return ike_error_set(err, 0, "cannot open '%s'", path);
	while (ret == 0 && (x = PEM_read_bio_X509(bio, NULL, NULL, NULL))) {
		ret = take(ctx, x);
		X509_free(x);
		n++;
	}
	ERR_clear_error();
	BIO_free(bio);
	if (ret < 0)
		return -1;
	if (!n)
		return ike_error_set(err, 0, "no PEM certificate in '%s'", path);
	return n;
}

struct take_ctx {
	struct ike_cert_config *c;
	const char *path;
	struct ike_error *err;
};

static int take_first(void *ctx, X509 *x)
{
	struct take_ctx *t = ctx;

	if (t->c->cert_len)
		return 0;
	return cert_to_der(x, t->c->cert, sizeof(t->c->cert), &t->c->cert_len,
			   t->path, t->err);
}

static int take_ca(void *ctx, X509 *x)
{
	struct take_ctx *t = ctx;
	struct ike_cert_config *c = t->c;

	if (c->num_cas == IKE_MAX_CAS)
		return ike_error_set(t->err, 0, "more than %d CA certificates",
				     IKE_MAX_CAS);
	if (cert_to_der(x, c->ca[c->num_cas], sizeof(c->ca[0]),
			&c->ca_len[c->num_cas], t->path, t->err) < 0)
		return -1;
	c->num_cas++;
	return 0;
}

int ike_cert_config_set_cert(struct ike_cert_config *c, const char *path,
			     struct ike_error *err)
{
	struct take_ctx t = { c, path, err };

	c->cert_len = 0;
	return read_certs(path, take_first, &t, err) < 0 ? -1 : 0;
}

int ike_cert_config_add_cas(struct ike_cert_config *c, const char *path,
			    struct ike_error *err)
{
	struct take_ctx t = { c, path, err };

	return read_certs(path, take_ca, &t, err) < 0 ? -1 : 0;
}

int ike_cert_config_set_key(struct ike_cert_config *c, const char *path,
			    struct ike_error *err)
{
	BIO *bio = BIO_new_file(path, "r");
	EVP_PKEY *pkey;
	uint8_t *der = NULL;
	int n, ret = 0;

	ike_cert_config_clear(c);
	if (!bio)
		return ike_error_set(err, 0, "cannot open key file '%s'", path);
	pkey = PEM_read_bio_PrivateKey(bio, NULL, NULL, NULL);
	BIO_free(bio);
	ERR_clear_error();
	if (!pkey)
		return ike_error_set(err, 0, "no PEM private key in '%s'", path);
	if (EVP_PKEY_get_base_id(pkey) != EVP_PKEY_RSA &&
	    EVP_PKEY_get_base_id(pkey) != EVP_PKEY_EC) {
		EVP_PKEY_free(pkey);
		return ike_error_set(err, 0, "key in '%s' is neither RSA nor ECDSA",
				     path);
	}
	n = i2d_PrivateKey(pkey, &der);
	EVP_PKEY_free(pkey);
	if (n <= 0 || (size_t)n > sizeof(c->key)) {
		ret = ike_error_set(err, 0, "key in '%s' over %zu bytes", path,
				    sizeof(c->key));
	} else {
		memcpy(c->key, der, (size_t)n);
		c->key_len = (size_t)n;
	}
	if (der)
		OPENSSL_clear_free(der, n > 0 ? (size_t)n : 0);
	return ret;
}

EVP_PKEY *ike_cert_private_key(const struct ike_cert_config *c,
			       struct ike_error *err)
{
	const uint8_t *p = c->key;
	EVP_PKEY *pkey = d2i_AutoPrivateKey(NULL, &p, (long)c->key_len);

	if (!pkey)
		ike_error_set(err, 0, "%s: no usable private key", __func__);
	return pkey;
}

static X509 *from_der(const uint8_t *der, size_t len)
{
	return d2i_X509(NULL, &der, (long)len);
}

X509 *ike_cert_own(const struct ike_cert_config *c, struct ike_error *err)
{
	X509 *x = from_der(c->cert, c->cert_len);

	if (!x)
		ike_error_set(err, 0, "%s: no usable certificate", __func__);
	return x;
}

/* Whether a subjectAltName of @x of @gen_type holds @data. */
static bool alt_name(X509 *x, int gen_type, struct ike_chunk data)
{
	GENERAL_NAMES *names = X509_get_ext_d2i(x, NID_subject_alt_name, NULL, NULL);
	bool found = false;

	for (int i = 0; names && i < sk_GENERAL_NAME_num(names) && !found; i++) {
		GENERAL_NAME *g = sk_GENERAL_NAME_value(names, i);
		ASN1_STRING *s;

		if (g->type != gen_type)
			continue;
		s = gen_type == GEN_IPADD ? g->d.iPAddress : g->d.ia5;
		if ((size_t)ASN1_STRING_length(s) != data.len)
			continue;
		if (gen_type == GEN_IPADD)
			found = !memcmp(ASN1_STRING_get0_data(s), data.ptr, data.len);
		else	/* DNS names and mail addresses ignore case */
			found = !strncasecmp((const char *)ASN1_STRING_get0_data(s),
					     (const char *)data.ptr, data.len);
	}
	GENERAL_NAMES_free(names);
	return found;
}

/* KEY_ID: the subjectKeyIdentifier, or SHA-1 of the public key bits. */
static bool key_id(X509 *x, struct ike_chunk data)
{
	const ASN1_OCTET_STRING *ski = X509_get0_subject_key_id(x);
	uint8_t hash[EVP_MAX_MD_SIZE];
	unsigned int len;

	if (ski && (size_t)ASN1_STRING_length(ski) == data.len &&
	    !memcmp(ASN1_STRING_get0_data(ski), data.ptr, data.len))
		return true;
	return X509_pubkey_digest(x, EVP_sha1(), hash, &len) == 1 &&
	       len == data.len && !memcmp(hash, data.ptr, len);
}

bool ike_cert_names_id(X509 *x, uint8_t type, struct ike_chunk data)
{
	switch (type) {
	case IKE_ID_DER_ASN1_DN:
		return ike_identity_dn_equal(data, X509_get_subject_name(x));
	case IKE_ID_FQDN:
		return alt_name(x, GEN_DNS, data);
	case IKE_ID_RFC822_ADDR:
		return alt_name(x, GEN_EMAIL, data);
	case IKE_ID_IPV4_ADDR:
	case IKE_ID_IPV6_ADDR:
		return alt_name(x, GEN_IPADD, data);
	case IKE_ID_KEY_ID:
		return key_id(x, data);
	default:
		return false;
	}
}

int ike_cert_config_check(const struct ike_cert_config *c,
			  struct ike_identity *id, struct ike_error *err)
{
	EVP_PKEY *pkey = ike_cert_private_key(c, err);
	X509 *x = ike_cert_own(c, err);
	X509_NAME *subject;
	uint8_t *p;
	int ret = 0, n;

	if (!pkey || !x) {
		ret = -1;
		goto out;
	}
	if (X509_check_private_key(x, pkey) != 1) {
		ret = ike_error_set(err, 0, "private key does not match the certificate");
		goto out;
	}
	subject = X509_get_subject_name(x);
	n = i2d_X509_NAME(subject, NULL);
	/* the subject's own encoding, so a peer comparing bytes agrees too */
	if ((!id->type || (id->type == IKE_ID_DER_ASN1_DN &&
			   ike_identity_dn_equal(ike_chunk(id->data, id->len),
						 subject))) &&
	    n > 0 && (size_t)n <= sizeof(id->data)) {
		p = id->data;
		i2d_X509_NAME(subject, &p);
		id->type = IKE_ID_DER_ASN1_DN;
		id->len = (size_t)n;
	}
	if (!id->type)
		ret = ike_error_set(err, 0, "certificate subject too long for an ID");
	else if (!ike_cert_names_id(x, id->type, ike_chunk(id->data, id->len)))
		ret = ike_error_set(err, 0, "local-id is not in the certificate "
				    "(subject or subjectAltName)");
out:
	ERR_clear_error();
	EVP_PKEY_free(pkey);
	X509_free(x);
	return ret;
}

int ike_cert_build_cert(const struct ike_cert_config *c, struct ike_builder *b)
{
	return ike_build_cert(b, IKE_PAYLOAD_CERT, IKE_CERT_X509_SIG, c->cert,
			      c->cert_len);
}

int ike_cert_build_certreq(const struct ike_cert_config *c,
			   struct ike_builder *b, struct ike_error *err)
{
	uint8_t hashes[IKE_MAX_CAS * IKE_CERTREQ_HASH_LEN];
	size_t len = 0;

	for (size_t i = 0; i < c->num_cas; i++) {
		X509 *ca = from_der(c->ca[i], c->ca_len[i]);
		uint8_t *spki = NULL;
		int n = ca ? i2d_X509_PUBKEY(X509_get_X509_PUBKEY(ca), &spki) : -1;
		bool ok = n > 0 && EVP_Digest(spki, (size_t)n, hashes + len, NULL,
					      EVP_sha1(), NULL) == 1;

		OPENSSL_free(spki);
		X509_free(ca);
		if (!ok)
			return ike_error_set(err, 0, "%s: CA %zu unusable", __func__, i);
		len += IKE_CERTREQ_HASH_LEN;
	}
	if (ike_build_cert(b, IKE_PAYLOAD_CERTREQ, IKE_CERT_X509_SIG, hashes, len) < 0)
		return ike_error_set(err, 0, "%s", b->err.text);
	return 0;
}

/* Every configured CA is a trust anchor, a root or not (as in strongSwan). */
static X509_STORE *trust_store(const struct ike_cert_config *c)
{
	X509_STORE *store = X509_STORE_new();

	if (store && X509_STORE_set_flags(store, X509_V_FLAG_PARTIAL_CHAIN) != 1) {
		X509_STORE_free(store);
		return NULL;
	}

	for (size_t i = 0; store && i < c->num_cas; i++) {
		X509 *ca = from_der(c->ca[i], c->ca_len[i]);
		int ok = ca && X509_STORE_add_cert(store, ca) == 1;

		X509_free(ca);
		if (!ok) {
			X509_STORE_free(store);
			return NULL;
		}
	}
	return store;
}

/* Chain @x (with the @untrusted intermediates) up to a CA of @c. */
static int verify_chain(const struct ike_cert_config *c, X509 *x,
			STACK_OF(X509) *untrusted, struct ike_error *err)
{
	X509_STORE *store = trust_store(c);
	X509_STORE_CTX *ctx = X509_STORE_CTX_new();
	int ret = -1, code = 0;

	if (store && ctx && X509_STORE_CTX_init(ctx, store, x, untrusted) == 1) {
		/*
		 * No purpose is set: like strongSwan, a certificate without
		 * the IKE extended key usages still authenticates.
		 */
		if (X509_verify_cert(ctx) == 1)
			ret = 0;
		else
			code = X509_STORE_CTX_get_error(ctx);
	}
	X509_STORE_CTX_free(ctx);
	X509_STORE_free(store);
	ERR_clear_error();
	if (ret < 0)
		ike_error_set(err, IKE_N_AUTHENTICATION_FAILED,
			      "%s: peer certificate not trusted: %s", __func__,
			      code ? X509_verify_cert_error_string(code) : "no store");
	return ret;
}

EVP_PKEY *ike_cert_verify_peer(const struct ike_cert_config *c,
			       const struct ike_message *msg,
			       const struct ike_payload *id,
			       struct ike_error *err)
{
	STACK_OF(X509) *untrusted = sk_X509_new_null();
	EVP_PKEY *pkey = NULL;
	X509 *end = NULL;

	for (size_t i = 0; untrusted && i < msg->num_payloads; i++) {
		const struct ike_payload *p = &msg->payloads[i];
		X509 *x;

		if (p->type != IKE_PAYLOAD_CERT ||
		    p->u.cert.encoding != IKE_CERT_X509_SIG)
			continue;
		x = from_der(p->u.cert.data.ptr, p->u.cert.data.len);
		if (!x) {
			ike_error_set(err, IKE_N_AUTHENTICATION_FAILED,
				      "%s: CERT payload %zu is no certificate",
				      __func__, i);
			goto out;
		}
		if (!end)
			end = x;
		else if (!sk_X509_push(untrusted, x))
			X509_free(x);
	}
	if (!end) {
		ike_error_set(err, IKE_N_AUTHENTICATION_FAILED,
			      "%s: no X.509 CERT payload", __func__);
		goto out;
	}
	if (verify_chain(c, end, untrusted, err) < 0)
		goto out;
	if (!ike_cert_names_id(end, id->u.id.type, id->u.id.data)) {
		ike_error_set(err, IKE_N_AUTHENTICATION_FAILED,
			      "%s: peer ID (type %u) not in its certificate",
			      __func__, id->u.id.type);
		goto out;
	}
	pkey = X509_get_pubkey(end);
	if (!pkey)
		ike_error_set(err, IKE_N_AUTHENTICATION_FAILED,
			      "%s: certificate key unusable", __func__);
out:
	ERR_clear_error();
	X509_free(end);
	sk_X509_pop_free(untrusted, X509_free);
	return pkey;
}
