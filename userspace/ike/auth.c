// SPDX-License-Identifier: GPL-2.0
/* Shared-key and signature authentication: see auth.h. */
#include "auth.h"

#include <stdlib.h>
#include <string.h>

#include <openssl/crypto.h>
#include <openssl/ec.h>
#include <openssl/err.h>

#include "cert.h"
#include "crypto.h"
#include "wire.h"

/* §2.15: the pad, 17 ASCII bytes without a terminating NUL */
static const char key_pad[] = "Key Pad for IKEv2";

int ike_auth_signed_octets(const struct ike_sa *sa, bool signer_is_initiator,
			   struct ike_chunk id_body, uint8_t *out, size_t cap,
			   size_t *len, struct ike_error *err)
{
	struct ike_chunk msg = signer_is_initiator ?
		ike_chunk(sa->init_request, sa->init_request_len) :
		ike_chunk(sa->init_response, sa->init_response_len);
	struct ike_chunk nonce = signer_is_initiator ?
		ike_chunk(sa->nr, sa->nr_len) : ike_chunk(sa->ni, sa->ni_len);
	const uint8_t *sk_p = signer_is_initiator ? sa->keys.sk_pi : sa->keys.sk_pr;
	size_t prf_len = ike_prf_len(sa->suite.prf);

	if (!msg.len)
		return ike_error_set(err, 0, "%s: IKE_SA_INIT message not kept",
				     __func__);
	if (msg.len + nonce.len + prf_len > cap)
		return ike_error_set(err, 0, "%s: signed octets too long (got %zu > %zu)",
				     __func__, msg.len + nonce.len + prf_len, cap);
	memcpy(out, msg.ptr, msg.len);
	memcpy(out + msg.len, nonce.ptr, nonce.len);
	if (ike_prf(sa->suite.prf, ike_chunk(sk_p, sa->keys.sizes.prf_key),
		    &id_body, 1, out + msg.len + nonce.len, err) < 0)
		return -1;
	*len = msg.len + nonce.len + prf_len;
	return 0;
}

int ike_auth_psk(uint16_t prf, struct ike_chunk psk, struct ike_chunk octets,
		 uint8_t *out, struct ike_error *err)
{
	struct ike_chunk pad = ike_chunk(key_pad, sizeof(key_pad) - 1);
	uint8_t key[IKE_PRF_MAX_LEN];
	int ret;

	if (!psk.len)
		return ike_error_set(err, 0, "%s: no shared key", __func__);
	ret = ike_prf(prf, psk, &pad, 1, key, err);
	if (ret == 0)
		ret = ike_prf(prf, ike_chunk(key, ike_prf_len(prf)), &octets, 1,
			      out, err);
	OPENSSL_cleanse(key, sizeof(key));
	return ret;
}

bool ike_auth_equal(const uint8_t *a, const uint8_t *b, size_t len)
{
	return CRYPTO_memcmp(a, b, len) == 0;
}

/* What we announce and accept: SHA-2 only (RFC 8247 §3.2). */
static const uint8_t our_hashes[] = {
	IKE_HASH_SHA2_256, IKE_HASH_SHA2_384, IKE_HASH_SHA2_512,
};

int ike_auth_build_init(const struct ike_sa *sa, struct ike_builder *b,
			bool response, struct ike_error *err)
{
	const struct ike_cert_config *c = &sa->config->cert;
	uint8_t data[2 * sizeof(our_hashes)];

	if (!c->enabled)
		return 0;
	for (size_t i = 0; i < sizeof(our_hashes); i++)
		ike_put_be16(data + 2 * i, our_hashes[i]);
	if (ike_build_notify(b, 0, 0, 0, IKE_N_SIGNATURE_HASH_ALGORITHMS, data,
			     sizeof(data)) < 0)
		return ike_error_set(err, 0, "%s", b->err.text);
	return response ? ike_cert_build_certreq(c, b, err) : 0;
}

unsigned int ike_auth_peer_hashes(const struct ike_sa *sa)
{
	/* the peer's IKE_SA_INIT message, as kept for the AUTH payloads */
	const uint8_t *raw = sa->initiator ? sa->init_response : sa->init_request;
	size_t len = sa->initiator ? sa->init_response_len : sa->init_request_len;
	struct ike_message *msg = raw ? malloc(sizeof(*msg)) : NULL;
	const struct ike_payload *n;
	unsigned int hashes = 0;
	struct ike_error err;

	if (!msg || ike_message_parse(msg, raw, len, &err) < 0)
		goto out;
	n = ike_message_find_notify(msg, IKE_N_SIGNATURE_HASH_ALGORITHMS);
	for (size_t i = 0; n && i + 1 < n->u.notify.data.len; i += 2) {
		uint16_t h = ike_get_be16(n->u.notify.data.ptr + i);

		if (h < 32)
			hashes |= IKE_HASH_BIT(h);
	}
out:
	free(msg);
	return hashes;
}

/*
 * Signature schemes of AUTH method 14 as AlgorithmIdentifier blobs
 * (RFC 7427 Appendix A): RSA with NULL parameters, ECDSA without, as
 * strongSwan sends them. An RSA blob without parameters is accepted too.
 */
#define OID_RSA(last) 0x06, 0x09, 0x2a, 0x86, 0x48, 0x86, 0xf7, 0x0d, 0x01, 0x01, last
#define OID_ECDSA(last) 0x06, 0x08, 0x2a, 0x86, 0x48, 0xce, 0x3d, 0x04, 0x03, last

static const uint8_t rsa256[] = { 0x30, 0x0d, OID_RSA(0x0b), 0x05, 0x00 };
static const uint8_t rsa384[] = { 0x30, 0x0d, OID_RSA(0x0c), 0x05, 0x00 };
static const uint8_t rsa512[] = { 0x30, 0x0d, OID_RSA(0x0d), 0x05, 0x00 };
static const uint8_t rsa256_bare[] = { 0x30, 0x0b, OID_RSA(0x0b) };
static const uint8_t rsa384_bare[] = { 0x30, 0x0b, OID_RSA(0x0c) };
static const uint8_t rsa512_bare[] = { 0x30, 0x0b, OID_RSA(0x0d) };
static const uint8_t ecdsa256[] = { 0x30, 0x0a, OID_ECDSA(0x02) };
static const uint8_t ecdsa384[] = { 0x30, 0x0a, OID_ECDSA(0x03) };
static const uint8_t ecdsa512[] = { 0x30, 0x0a, OID_ECDSA(0x04) };

struct scheme {
	int key_type;		/* EVP_PKEY_RSA or EVP_PKEY_EC */
	uint8_t hash;		/* enum ike_hash_alg */
	const uint8_t *blob;
	size_t len;
};

#define SCHEME(type, hash, blob) { type, hash, blob, sizeof(blob) }
/* the first of each key type and hash is the one we send */
static const struct scheme schemes[] = {
	SCHEME(EVP_PKEY_RSA, IKE_HASH_SHA2_256, rsa256),
	SCHEME(EVP_PKEY_RSA, IKE_HASH_SHA2_384, rsa384),
	SCHEME(EVP_PKEY_RSA, IKE_HASH_SHA2_512, rsa512),
	SCHEME(EVP_PKEY_RSA, IKE_HASH_SHA2_256, rsa256_bare),
	SCHEME(EVP_PKEY_RSA, IKE_HASH_SHA2_384, rsa384_bare),
	SCHEME(EVP_PKEY_RSA, IKE_HASH_SHA2_512, rsa512_bare),
	SCHEME(EVP_PKEY_EC, IKE_HASH_SHA2_256, ecdsa256),
	SCHEME(EVP_PKEY_EC, IKE_HASH_SHA2_384, ecdsa384),
	SCHEME(EVP_PKEY_EC, IKE_HASH_SHA2_512, ecdsa512),
};

static const EVP_MD *hash_md(uint8_t hash)
{
	switch (hash) {
	case IKE_HASH_SHA1: return EVP_sha1();
	case IKE_HASH_SHA2_256: return EVP_sha256();
	case IKE_HASH_SHA2_384: return EVP_sha384();
	case IKE_HASH_SHA2_512: return EVP_sha512();
	default: return NULL;
	}
}

/* The hash an ECDSA key of @bits signs with (RFC 4754, RFC 5480 §4). */
static uint8_t ec_hash(int bits)
{
	return bits <= 256 ? IKE_HASH_SHA2_256 :
	       bits <= 384 ? IKE_HASH_SHA2_384 : IKE_HASH_SHA2_512;
}

/* The classic ECDSA method of a key of @bits (RFC 4754), or 0. */
static uint8_t ec_method(int bits)
{
	switch (bits) {
	case 256: return IKE_AUTH_ECDSA_256;
	case 384: return IKE_AUTH_ECDSA_384;
	case 521: return IKE_AUTH_ECDSA_521;
	default: return 0;
	}
}

static int digest_sign(EVP_PKEY *key, const EVP_MD *md, struct ike_chunk octets,
		       uint8_t *out, size_t *len, struct ike_error *err)
{
	EVP_MD_CTX *ctx = EVP_MD_CTX_new();
	int ok = ctx && EVP_DigestSignInit(ctx, NULL, md, NULL, key) == 1 &&
		 EVP_DigestSign(ctx, out, len, octets.ptr, octets.len) == 1;

	EVP_MD_CTX_free(ctx);
	ERR_clear_error();
	return ok ? 0 : ike_error_set(err, 0, "%s: signing failed", __func__);
}

/* An ECDSA-Sig-Value (DER) into r|s of @half bytes each, in place. */
static int der_to_raw(uint8_t *sig, size_t *len, size_t half)
{
	const uint8_t *p = sig;
	ECDSA_SIG *s = d2i_ECDSA_SIG(NULL, &p, (long)*len);
	int ok = s && BN_bn2binpad(ECDSA_SIG_get0_r(s), sig, (int)half) > 0 &&
		 BN_bn2binpad(ECDSA_SIG_get0_s(s), sig + half, (int)half) > 0;

	ECDSA_SIG_free(s);
	*len = 2 * half;
	return ok ? 0 : -1;
}

/* r|s into an ECDSA-Sig-Value (DER) in @out; its length, or -1. */
static int raw_to_der(struct ike_chunk raw, uint8_t *out, size_t cap)
{
	ECDSA_SIG *s = ECDSA_SIG_new();
	BIGNUM *r = BN_bin2bn(raw.ptr, (int)(raw.len / 2), NULL);
	BIGNUM *v = BN_bin2bn(raw.ptr + raw.len / 2, (int)(raw.len / 2), NULL);
	int n = -1;

	if (s && r && v && ECDSA_SIG_set0(s, r, v) == 1) {
		r = v = NULL;
		n = i2d_ECDSA_SIG(s, NULL);
		if (n > 0 && (size_t)n <= cap)
			i2d_ECDSA_SIG(s, &out);
		else
			n = -1;
	}
	BN_free(r);
	BN_free(v);
	ECDSA_SIG_free(s);
	return n;
}

int ike_auth_sign(EVP_PKEY *key, unsigned int peer_hashes,
		  struct ike_chunk octets, uint8_t *method, uint8_t *out,
		  size_t *len, struct ike_error *err)
{
	int type = EVP_PKEY_get_base_id(key), bits = EVP_PKEY_get_bits(key);
	const struct scheme *sch = NULL;
	size_t sig_len;

	for (size_t i = 0; i < sizeof(schemes) / sizeof(schemes[0]) && !sch; i++) {
		const struct scheme *s = &schemes[i];

		if (s->key_type == type && peer_hashes & IKE_HASH_BIT(s->hash) &&
		    (type != EVP_PKEY_EC || s->hash == ec_hash(bits)))
			sch = s;
	}
	if (sch) {
		sig_len = IKE_AUTH_SIG_MAX_LEN - 1 - sch->len;
		if ((size_t)EVP_PKEY_get_size(key) > sig_len)
			return ike_error_set(err, 0, "%s: key too big", __func__);
		if (digest_sign(key, hash_md(sch->hash), octets, out + 1 + sch->len,
				&sig_len, err) < 0)
			return -1;
		*method = IKE_AUTH_DIGITAL_SIGNATURE;
		out[0] = (uint8_t)sch->len;
		memcpy(out + 1, sch->blob, sch->len);
		*len = 1 + sch->len + sig_len;
		return 0;
	}
	/* a peer without RFC 7427 */
	sig_len = IKE_AUTH_SIG_MAX_LEN;
	if ((size_t)EVP_PKEY_get_size(key) > sig_len)
		return ike_error_set(err, 0, "%s: key too big", __func__);
	if (type == EVP_PKEY_EC && ec_method(bits)) {
		if (digest_sign(key, hash_md(ec_hash(bits)), octets, out, &sig_len,
				err) < 0)
			return -1;
		if (der_to_raw(out, &sig_len, (size_t)(bits + 7) / 8) < 0)
			return ike_error_set(err, 0, "%s: bad ECDSA signature", __func__);
		*method = ec_method(bits);
	} else if (type == EVP_PKEY_RSA) {
		if (digest_sign(key, EVP_sha1(), octets, out, &sig_len, err) < 0)
			return -1;
		*method = IKE_AUTH_RSA_SIG;
	} else {
		return ike_error_set(err, 0, "%s: no signature scheme for the peer",
				     __func__);
	}
	*len = sig_len;
	return 0;
}

static int digest_verify(EVP_PKEY *key, const EVP_MD *md, struct ike_chunk sig,
			 struct ike_chunk octets, struct ike_error *err)
{
	EVP_MD_CTX *ctx = EVP_MD_CTX_new();
	int ok = ctx && EVP_DigestVerifyInit(ctx, NULL, md, NULL, key) == 1 &&
		 EVP_DigestVerify(ctx, sig.ptr, sig.len, octets.ptr, octets.len) == 1;

	EVP_MD_CTX_free(ctx);
	ERR_clear_error();
	return ok ? 0 : ike_error_set(err, IKE_N_AUTHENTICATION_FAILED,
				      "%s: signature does not verify", __func__);
}

/* AUTH method 14: find the scheme, check it suits the key. */
static int verify_ds(EVP_PKEY *key, struct ike_chunk data, struct ike_chunk octets,
		     struct ike_error *err)
{
	int type = EVP_PKEY_get_base_id(key);
	size_t alg_len = data.len ? data.ptr[0] : 0;

	if (!data.len || data.len < 1 + alg_len)
		return ike_error_set(err, IKE_N_AUTHENTICATION_FAILED,
				     "%s: malformed signature AUTH data", __func__);
	for (size_t i = 0; i < sizeof(schemes) / sizeof(schemes[0]); i++) {
		const struct scheme *s = &schemes[i];

		if (s->len != alg_len || memcmp(s->blob, data.ptr + 1, alg_len))
			continue;
		if (s->key_type != type)
			return ike_error_set(err, IKE_N_AUTHENTICATION_FAILED,
					     "%s: signature scheme does not suit the key",
					     __func__);
		return digest_verify(key, hash_md(s->hash),
				     ike_chunk(data.ptr + 1 + alg_len,
					       data.len - 1 - alg_len), octets, err);
	}
	return ike_error_set(err, IKE_N_AUTHENTICATION_FAILED,
			     "%s: unsupported signature scheme", __func__);
}

int ike_auth_verify(EVP_PKEY *key, uint8_t method, struct ike_chunk data,
		    struct ike_chunk octets, struct ike_error *err)
{
	int type = EVP_PKEY_get_base_id(key), bits = EVP_PKEY_get_bits(key);
	uint8_t der[IKE_AUTH_SIG_MAX_LEN];
	int n;

	if (method == IKE_AUTH_DIGITAL_SIGNATURE)
		return verify_ds(key, data, octets, err);
	if (method == IKE_AUTH_RSA_SIG && type == EVP_PKEY_RSA)
		return digest_verify(key, EVP_sha1(), data, octets, err);
	if (type == EVP_PKEY_EC && method == ec_method(bits)) {
		if (data.len != 2 * (size_t)((bits + 7) / 8) ||
		    (n = raw_to_der(data, der, sizeof(der))) < 0)
			return ike_error_set(err, IKE_N_AUTHENTICATION_FAILED,
					     "%s: malformed ECDSA signature", __func__);
		return digest_verify(key, hash_md(ec_hash(bits)),
				     ike_chunk(der, (size_t)n), octets, err);
	}
	return ike_error_set(err, IKE_N_AUTHENTICATION_FAILED,
			     "%s: auth method %u does not suit the peer's key",
			     __func__, method);
}
