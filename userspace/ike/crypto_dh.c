// SPDX-License-Identifier: GPL-2.0
/*
 * Key exchange for IKEv2 through EVP_PKEY: MODP-2048 (group 14, RFC 3526),
 * NIST P-256/P-384 (groups 19/20, RFC 5903) and Curve25519 (group 31,
 * RFC 8031). Here live the wire encodings of public values and shared
 * secrets and the checks of what a peer sends.
 */
#include "crypto.h"

#include <stdlib.h>
#include <string.h>

#include <openssl/bn.h>
#include <openssl/core_names.h>
#include <openssl/crypto.h>
#include <openssl/evp.h>
#include <openssl/param_build.h>

#include "crypto_internal.h"
#include "payload.h"	/* Notify type numbers */

struct ike_dh {
	uint16_t group;
	EVP_PKEY *key;
};

enum dh_kind { DH_MODP, DH_ECP, DH_X25519 };

struct dh_group {
	uint16_t id;
	enum dh_kind kind;
	const char *algorithm;	/* EVP_PKEY algorithm name */
	const char *group_name;	/* OSSL_PKEY_PARAM_GROUP_NAME, NULL for X25519 */
	size_t field_len;	/* bytes of the modulus / of one coordinate */
};

static const struct dh_group groups[] = {
	{ IKE_DH_MODP_2048, DH_MODP, "DH", "modp_2048", 256 },
	{ IKE_DH_ECP_256, DH_ECP, "EC", "P-256", 32 },
	{ IKE_DH_ECP_384, DH_ECP, "EC", "P-384", 48 },
	{ IKE_DH_CURVE25519, DH_X25519, "X25519", NULL, 32 },
};

static const struct dh_group *find_group(uint16_t id)
{
	for (size_t i = 0; i < sizeof(groups) / sizeof(groups[0]); i++)
		if (groups[i].id == id)
			return &groups[i];
	return NULL;
}

bool ike_dh_supported(uint16_t group)
{
	return find_group(group) != NULL;
}

size_t ike_dh_public_len(uint16_t group)
{
	const struct dh_group *g = find_group(group);

	if (!g)
		return 0;
	/* RFC 5903 §7: x | y without the SEC1 0x04 octet */
	return g->kind == DH_ECP ? 2 * g->field_len : g->field_len;
}

size_t ike_dh_shared_len(uint16_t group)
{
	const struct dh_group *g = find_group(group);

	/* MODP: padded to the modulus (§2.14); ECP: x only (RFC 5903 §7) */
	return g ? g->field_len : 0;
}

uint16_t ike_dh_group(const struct ike_dh *dh)
{
	return dh->group;
}

void ike_dh_free(struct ike_dh *dh)
{
	if (!dh)
		return;
	EVP_PKEY_free(dh->key);	/* clears the private key */
	free(dh);
}

static struct ike_dh *dh_wrap(uint16_t group, EVP_PKEY *key,
			      struct ike_error *err)
{
	struct ike_dh *dh = calloc(1, sizeof(*dh));

	if (!dh) {
		EVP_PKEY_free(key);
		ike_error_set(err, 0, "ike_dh: out of memory");
		return NULL;
	}
	dh->group = group;
	dh->key = key;
	return dh;
}

struct ike_dh *ike_dh_generate(uint16_t group, struct ike_error *err)
{
	const struct dh_group *g = find_group(group);
	EVP_PKEY_CTX *ctx = NULL;
	EVP_PKEY *key = NULL;
	OSSL_PARAM params[2];

	if (!g) {
		ike_error_set(err, 0, "%s: group %u not implemented", __func__, group);
		return NULL;
	}
	ctx = EVP_PKEY_CTX_new_from_name(NULL, g->algorithm, NULL);
	if (!ctx || EVP_PKEY_keygen_init(ctx) <= 0) {
		ike_crypto_fail(err, 0, __func__, "EVP_PKEY_keygen_init");
		goto out;
	}
	if (g->group_name) {
		params[0] = OSSL_PARAM_construct_utf8_string(OSSL_PKEY_PARAM_GROUP_NAME,
							     (char *)g->group_name, 0);
		params[1] = OSSL_PARAM_construct_end();
		if (EVP_PKEY_CTX_set_params(ctx, params) <= 0) {
			ike_crypto_fail(err, 0, __func__, "EVP_PKEY_CTX_set_params");
			goto out;
		}
	}
	if (EVP_PKEY_generate(ctx, &key) <= 0) {
		ike_crypto_fail(err, 0, __func__, "EVP_PKEY_generate");
		key = NULL;
	}
out:
	EVP_PKEY_CTX_free(ctx);
	return key ? dh_wrap(group, key, err) : NULL;
}

/*
 * An EVP_PKEY of @g from its parts: @priv (may be NULL for a peer's public
 * key) and @pub in KE encoding. OpenSSL rejects EC points off the curve here.
 */
static EVP_PKEY *import_key(const struct dh_group *g, struct ike_chunk priv,
			    struct ike_chunk pub, struct ike_error *err)
{
	uint8_t point[1 + IKE_DH_PUBLIC_MAX_LEN];
	OSSL_PARAM_BLD *bld = NULL;
	OSSL_PARAM *params = NULL;
	BIGNUM *priv_bn = NULL, *pub_bn = NULL;
	EVP_PKEY_CTX *ctx = NULL;
	EVP_PKEY *key = NULL;

	bld = OSSL_PARAM_BLD_new();
	if (!bld || !OSSL_PARAM_BLD_push_utf8_string(bld, OSSL_PKEY_PARAM_GROUP_NAME,
						     g->group_name, 0))
		goto fail;
	if (priv.ptr) {
		/* a secure BIGNUM makes the parameter builder wipe its copy */
		priv_bn = BN_secure_new();
		if (!priv_bn || !BN_bin2bn(priv.ptr, (int)priv.len, priv_bn) ||
		    !OSSL_PARAM_BLD_push_BN(bld, OSSL_PKEY_PARAM_PRIV_KEY, priv_bn))
			goto fail;
	}
	if (g->kind == DH_MODP) {
		pub_bn = BN_bin2bn(pub.ptr, (int)pub.len, NULL);
		if (!pub_bn || !OSSL_PARAM_BLD_push_BN(bld, OSSL_PKEY_PARAM_PUB_KEY, pub_bn))
			goto fail;
	} else {
		point[0] = 0x04;	/* SEC1 uncompressed point */
		memcpy(point + 1, pub.ptr, pub.len);
		if (!OSSL_PARAM_BLD_push_octet_string(bld, OSSL_PKEY_PARAM_PUB_KEY,
						      point, pub.len + 1))
			goto fail;
	}
	params = OSSL_PARAM_BLD_to_param(bld);
	ctx = EVP_PKEY_CTX_new_from_name(NULL, g->algorithm, NULL);
	if (!params || !ctx || EVP_PKEY_fromdata_init(ctx) <= 0 ||
	    EVP_PKEY_fromdata(ctx, &key, priv.ptr ? EVP_PKEY_KEYPAIR :
			      EVP_PKEY_PUBLIC_KEY, params) <= 0) {
		key = NULL;
		goto fail;
	}
	goto out;
fail:
	ike_crypto_fail(err, IKE_N_INVALID_SYNTAX, __func__, "import key");
out:
	EVP_PKEY_CTX_free(ctx);
	OSSL_PARAM_free(params);
	OSSL_PARAM_BLD_free(bld);
	BN_clear_free(priv_bn);
	BN_free(pub_bn);
	return key;
}

/*
 * A peer's public value as an EVP_PKEY, checked: MODP values must lie in
 * [2, p-2] and in the prime-order subgroup, ECP values on the curve
 * (RFC 7296 §5, RFC 6989).
 */
static EVP_PKEY *import_peer(const struct dh_group *g, struct ike_chunk pub,
			     struct ike_error *err)
{
	EVP_PKEY_CTX *check = NULL;
	EVP_PKEY *key;

	if (g->kind == DH_X25519) {
		key = EVP_PKEY_new_raw_public_key_ex(NULL, g->algorithm, NULL,
						     pub.ptr, pub.len);
		if (!key)
			ike_crypto_fail(err, IKE_N_INVALID_SYNTAX, __func__,
					"X25519 public key");
		return key;
	}
	key = import_key(g, ike_chunk(NULL, 0), pub, err);
	if (!key)
		return NULL;
	check = EVP_PKEY_CTX_new_from_pkey(NULL, key, NULL);
	if (!check || EVP_PKEY_public_check(check) != 1) {
		ike_crypto_fail(err, IKE_N_INVALID_SYNTAX, __func__,
				"peer public value fails validation");
		EVP_PKEY_free(key);
		key = NULL;
	}
	EVP_PKEY_CTX_free(check);
	return key;
}

int ike_dh_public(const struct ike_dh *dh, uint8_t *out, size_t cap,
		  size_t *len, struct ike_error *err)
{
	const struct dh_group *g = find_group(dh->group);
	BIGNUM *x = NULL, *y = NULL;
	size_t need = ike_dh_public_len(dh->group);
	int ret = -1;

	if (cap < need)
		return ike_error_set(err, 0, "%s: buffer (got %zu < need %zu)",
				     __func__, cap, need);
	switch (g->kind) {
	case DH_MODP:
		/* §3.4: zero-padded on the left to the length of the modulus */
		if (!EVP_PKEY_get_bn_param(dh->key, OSSL_PKEY_PARAM_PUB_KEY, &x) ||
		    BN_bn2binpad(x, out, (int)need) < 0)
			goto fail;
		break;
	case DH_ECP:
		if (!EVP_PKEY_get_bn_param(dh->key, OSSL_PKEY_PARAM_EC_PUB_X, &x) ||
		    !EVP_PKEY_get_bn_param(dh->key, OSSL_PKEY_PARAM_EC_PUB_Y, &y) ||
		    BN_bn2binpad(x, out, (int)g->field_len) < 0 ||
		    BN_bn2binpad(y, out + g->field_len, (int)g->field_len) < 0)
			goto fail;
		break;
	case DH_X25519: {
		size_t raw_len = need;

		if (!EVP_PKEY_get_raw_public_key(dh->key, out, &raw_len) ||
		    raw_len != need)
			goto fail;
		break;
	}
	}
	*len = need;
	ret = 0;
	goto out;
fail:
	ike_crypto_fail(err, 0, __func__, "export public value");
out:
	BN_free(x);
	BN_free(y);
	return ret;
}

struct ike_dh *ike_dh_from_keypair(uint16_t group, struct ike_chunk priv,
				   struct ike_chunk pub, struct ike_error *err)
{
	const struct dh_group *g = find_group(group);
	uint8_t derived[IKE_DH_PUBLIC_MAX_LEN];
	EVP_PKEY_CTX *check = NULL;
	struct ike_dh *dh = NULL;
	EVP_PKEY *key = NULL;
	size_t derived_len;

	if (!g) {
		ike_error_set(err, 0, "%s: group %u not implemented", __func__, group);
		return NULL;
	}
	if (pub.ptr && pub.len != ike_dh_public_len(group)) {
		ike_error_set(err, 0, "%s: public value (got %zu, need %zu bytes)",
			      __func__, pub.len, ike_dh_public_len(group));
		return NULL;
	}
	if (g->kind == DH_X25519) {
		key = EVP_PKEY_new_raw_private_key_ex(NULL, g->algorithm, NULL,
						      priv.ptr, priv.len);
		if (!key) {
			ike_crypto_fail(err, 0, __func__, "X25519 private key");
			return NULL;
		}
	} else {
		if (!pub.ptr) {
			ike_error_set(err, 0, "%s: group %u needs the public value",
				      __func__, group);
			return NULL;
		}
		key = import_key(g, priv, pub, err);
		if (!key)
			return NULL;
		/* OpenSSL takes the public value on trust: make it prove itself */
		check = EVP_PKEY_CTX_new_from_pkey(NULL, key, NULL);
		if (!check || EVP_PKEY_pairwise_check(check) != 1) {
			ike_crypto_fail(err, 0, __func__,
					"public value does not match private key");
			EVP_PKEY_CTX_free(check);
			EVP_PKEY_free(key);
			return NULL;
		}
		EVP_PKEY_CTX_free(check);
	}
	dh = dh_wrap(group, key, err);
	if (dh && pub.ptr && g->kind == DH_X25519) {
		if (ike_dh_public(dh, derived, sizeof(derived), &derived_len, err) < 0 ||
		    CRYPTO_memcmp(derived, pub.ptr, derived_len) != 0) {
			ike_error_set(err, 0, "%s: public value does not match private key",
				      __func__);
			ike_dh_free(dh);
			dh = NULL;
		}
	}
	return dh;
}

static bool all_zero(const uint8_t *p, size_t len)
{
	uint8_t acc = 0;

	for (size_t i = 0; i < len; i++)
		acc |= p[i];
	return acc == 0;
}

int ike_dh_shared(const struct ike_dh *dh, struct ike_chunk peer, uint8_t *out,
		  size_t cap, size_t *len, struct ike_error *err)
{
	const struct dh_group *g = find_group(dh->group);
	size_t need = ike_dh_shared_len(dh->group), got;
	EVP_PKEY_CTX *ctx = NULL;
	EVP_PKEY *peer_key = NULL;
	int ret = -1;

	if (peer.len != ike_dh_public_len(dh->group))
		return ike_error_set(err, IKE_N_INVALID_SYNTAX,
				     "%s: malformed KE data for group %u (got %zu, need %zu)",
				     __func__, dh->group, peer.len,
				     ike_dh_public_len(dh->group));
	if (cap < need)
		return ike_error_set(err, 0, "%s: buffer (got %zu < need %zu)",
				     __func__, cap, need);
	peer_key = import_peer(g, peer, err);
	if (!peer_key)
		return -1;

	ctx = EVP_PKEY_CTX_new_from_pkey(NULL, dh->key, NULL);
	if (!ctx || EVP_PKEY_derive_init(ctx) <= 0) {
		ike_crypto_fail(err, 0, __func__, "EVP_PKEY_derive_init");
		goto out;
	}
	/* §2.14: g^ir keeps the leading zeros, as long as the modulus */
	if (g->kind == DH_MODP) {
		unsigned int pad = 1;
		OSSL_PARAM params[] = {
			OSSL_PARAM_construct_uint(OSSL_EXCHANGE_PARAM_PAD, &pad),
			OSSL_PARAM_construct_end(),
		};

		if (EVP_PKEY_CTX_set_params(ctx, params) <= 0) {
			ike_crypto_fail(err, 0, __func__, "set DH padding");
			goto out;
		}
	}
	if (EVP_PKEY_derive_set_peer_ex(ctx, peer_key, 1) <= 0) {
		ike_crypto_fail(err, IKE_N_INVALID_SYNTAX, __func__,
				"peer public value rejected");
		goto out;
	}
	got = cap;
	if (EVP_PKEY_derive(ctx, out, &got) <= 0) {
		/* X25519 lands here for small-order points (all-zero result) */
		ike_crypto_fail(err, IKE_N_INVALID_SYNTAX, __func__, "EVP_PKEY_derive");
		goto out;
	}
	if (got != need) {
		OPENSSL_cleanse(out, got);
		ike_error_set(err, 0, "%s: shared secret (got %zu, need %zu bytes)",
			      __func__, got, need);
		goto out;
	}
	/* RFC 8031 §2.3: an all-zero X25519 result must abort the exchange */
	if (g->kind == DH_X25519 && all_zero(out, got)) {
		ike_error_set(err, IKE_N_INVALID_SYNTAX,
			      "%s: all-zero X25519 shared secret", __func__);
		goto out;
	}
	*len = got;
	ret = 0;
out:
	EVP_PKEY_CTX_free(ctx);
	EVP_PKEY_free(peer_key);
	return ret;
}
