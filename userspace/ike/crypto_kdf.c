// SPDX-License-Identifier: GPL-2.0
/*
 * prf, prf+ and the key derivations of IKEv2 (RFC 7296 §2.13, §2.14, §2.17,
 * §2.18), on EVP_MAC. The suite → key size table lives here too.
 */
#include "crypto.h"

#include <string.h>

#include <openssl/core_names.h>
#include <openssl/crypto.h>
#include <openssl/err.h>
#include <openssl/evp.h>
#include <openssl/rand.h>

#include "crypto_internal.h"
#include "wire.h"

#define PRF_PLUS_MAX_BLOCKS 255	/* the counter is one octet */
#define AEAD_SALT_LEN 4		/* RFC 5282 §7.1, RFC 7634 §2 */
#define AEAD_IV_LEN 8
#define AEAD_TAG_LEN 16
#define AES_BLOCK_LEN 16

int ike_crypto_fail(struct ike_error *err, uint16_t notify, const char *func,
		    const char *what)
{
	unsigned long code = ERR_peek_last_error();
	char reason[96] = "no OpenSSL error";

	if (code)
		ERR_error_string_n(code, reason, sizeof(reason));
	ERR_clear_error();
	return ike_error_set(err, notify, "%s: %s: %s", func, what, reason);
}

/* The digest behind an HMAC-SHA2 PRF. */
static const char *prf_digest(uint16_t prf)
{
	switch (prf) {
	case IKE_PRF_HMAC_SHA2_256: return "SHA2-256";
	case IKE_PRF_HMAC_SHA2_384: return "SHA2-384";
	case IKE_PRF_HMAC_SHA2_512: return "SHA2-512";
	default: return NULL;
	}
}

size_t ike_prf_len(uint16_t prf)
{
	switch (prf) {
	case IKE_PRF_HMAC_SHA2_256: return 32;
	case IKE_PRF_HMAC_SHA2_384: return 48;
	case IKE_PRF_HMAC_SHA2_512: return 64;
	default: return 0;
	}
}

/* Integrity key and truncated ICV sizes of the HMAC-SHA2 MACs (RFC 4868). */
static bool integ_sizes(uint16_t integ, size_t *key, size_t *icv)
{
	switch (integ) {
	case IKE_INTEG_HMAC_SHA2_256_128: *key = 32; *icv = 16; return true;
	case IKE_INTEG_HMAC_SHA2_384_192: *key = 48; *icv = 24; return true;
	case IKE_INTEG_HMAC_SHA2_512_256: *key = 64; *icv = 32; return true;
	default: return false;
	}
}

int ike_key_sizes_for(struct ike_key_sizes *sizes, const struct ike_suite *suite,
		      struct ike_error *err)
{
	memset(sizes, 0, sizeof(*sizes));
	switch (suite->encr) {
	case IKE_ENCR_AES_GCM_16:
	case IKE_ENCR_CHACHA20_POLY1305:
		if (suite->encr == IKE_ENCR_CHACHA20_POLY1305 ?
		    suite->encr_key_bits != 0 :
		    suite->encr_key_bits != 128 && suite->encr_key_bits != 192 &&
		    suite->encr_key_bits != 256)
			return ike_error_set(err, 0, "%s: key length %u invalid for cipher %u",
					     __func__, suite->encr_key_bits, suite->encr);
		sizes->aead = true;
		sizes->salt = AEAD_SALT_LEN;
		sizes->encr_key = (suite->encr_key_bits ? suite->encr_key_bits / 8 : 32) +
				  AEAD_SALT_LEN;
		sizes->iv = AEAD_IV_LEN;
		sizes->block = 1;	/* no padding needed (RFC 7634 Appendix B) */
		sizes->icv = AEAD_TAG_LEN;
		if (suite->integ != IKE_INTEG_NONE)
			return ike_error_set(err, 0, "%s: integrity algorithm %u with AEAD cipher",
					     __func__, suite->integ);
		break;
	case IKE_ENCR_AES_CBC:
		if (suite->encr_key_bits != 128 && suite->encr_key_bits != 192 &&
		    suite->encr_key_bits != 256)
			return ike_error_set(err, 0, "%s: key length %u invalid for AES-CBC",
					     __func__, suite->encr_key_bits);
		sizes->encr_key = suite->encr_key_bits / 8;
		sizes->iv = AES_BLOCK_LEN;
		sizes->block = AES_BLOCK_LEN;
		if (!integ_sizes(suite->integ, &sizes->integ_key, &sizes->icv))
			return ike_error_set(err, 0, "%s: integrity algorithm %u not implemented",
					     __func__, suite->integ);
		break;
	default:
		return ike_error_set(err, 0, "%s: cipher %u not implemented",
				     __func__, suite->encr);
	}
	if (suite->protocol == IKE_PROTO_IKE) {
		sizes->prf_key = ike_prf_len(suite->prf);
		if (!sizes->prf_key)
			return ike_error_set(err, 0, "%s: PRF %u not implemented",
					     __func__, suite->prf);
	}
	return 0;
}

int ike_prf(uint16_t prf, struct ike_chunk key, const struct ike_chunk *data,
	    size_t num_data, uint8_t *out, struct ike_error *err)
{
	const char *digest = prf_digest(prf);
	OSSL_PARAM params[2];
	EVP_MAC_CTX *ctx = NULL;
	EVP_MAC *mac = NULL;
	size_t out_len = 0;
	int ret = -1;

	if (!digest)
		return ike_error_set(err, 0, "%s: PRF %u not implemented", __func__, prf);
	params[0] = OSSL_PARAM_construct_utf8_string(OSSL_MAC_PARAM_DIGEST,
						     (char *)digest, 0);
	params[1] = OSSL_PARAM_construct_end();

	mac = EVP_MAC_fetch(NULL, "HMAC", NULL);
	if (!mac) {
		ike_crypto_fail(err, 0, __func__, "EVP_MAC_fetch(HMAC)");
		goto out;
	}
	ctx = EVP_MAC_CTX_new(mac);
	if (!ctx || !EVP_MAC_init(ctx, key.ptr, key.len, params)) {
		ike_crypto_fail(err, 0, __func__, "EVP_MAC_init");
		goto out;
	}
	for (size_t i = 0; i < num_data; i++) {
		if (data[i].len && !EVP_MAC_update(ctx, data[i].ptr, data[i].len)) {
			ike_crypto_fail(err, 0, __func__, "EVP_MAC_update");
			goto out;
		}
	}
	if (!EVP_MAC_final(ctx, out, &out_len, ike_prf_len(prf)) ||
	    out_len != ike_prf_len(prf)) {
		ike_crypto_fail(err, 0, __func__, "EVP_MAC_final");
		goto out;
	}
	ret = 0;
out:
	EVP_MAC_CTX_free(ctx);	/* clears the keyed state */
	EVP_MAC_free(mac);
	return ret;
}

/*
 * prf+ (K,S) = T1 | T2 | T3 | ...  where
 *   T1 = prf (K, S | 0x01), Tn = prf (K, Tn-1 | S | n)
 */
int ike_prf_plus(uint16_t prf, struct ike_chunk key, const struct ike_chunk *seed,
		 size_t num_seed, uint8_t *out, size_t out_len,
		 struct ike_error *err)
{
	size_t block = ike_prf_len(prf), done = 0;
	struct ike_chunk parts[8];
	uint8_t t[IKE_PRF_MAX_LEN];
	uint8_t counter;
	int ret = -1;

	if (!block)
		return ike_error_set(err, 0, "%s: PRF %u not implemented", __func__, prf);
	if (out_len > PRF_PLUS_MAX_BLOCKS * block)
		return ike_error_set(err, 0, "%s: %zu bytes requested (max %zu)",
				     __func__, out_len, PRF_PLUS_MAX_BLOCKS * block);
	if (num_seed + 2 > sizeof(parts) / sizeof(parts[0]))
		return ike_error_set(err, 0, "%s: seed in %zu parts (max %zu)",
				     __func__, num_seed, sizeof(parts) / sizeof(parts[0]) - 2);

	for (counter = 1; done < out_len; counter++) {
		size_t n = 0, take;

		if (counter > 1)
			parts[n++] = ike_chunk(t, block);
		for (size_t i = 0; i < num_seed; i++)
			parts[n++] = seed[i];
		parts[n++] = ike_chunk(&counter, 1);
		if (ike_prf(prf, key, parts, n, t, err) < 0)
			goto out;
		take = out_len - done < block ? out_len - done : block;
		memcpy(out + done, t, take);
		done += take;
	}
	ret = 0;
out:
	OPENSSL_cleanse(t, sizeof(t));
	return ret;
}

int ike_skeyseed(uint16_t prf, struct ike_chunk ni, struct ike_chunk nr,
		 struct ike_chunk shared, uint8_t *skeyseed,
		 struct ike_error *err)
{
	uint8_t key[2 * 256];	/* nonces are at most 256 bytes each (§3.9) */
	int ret;

	if (ni.len > 256 || nr.len > 256)
		return ike_error_set(err, 0, "%s: nonce too long", __func__);
	/*
	 * For HMAC the key is all of Ni | Nr; only fixed-key PRFs (AES-XCBC,
	 * AES-CMAC) would take half of each (§2.14), and we offer none.
	 */
	memcpy(key, ni.ptr, ni.len);
	memcpy(key + ni.len, nr.ptr, nr.len);
	ret = ike_prf(prf, ike_chunk(key, ni.len + nr.len), &shared, 1, skeyseed, err);
	OPENSSL_cleanse(key, sizeof(key));
	return ret;
}

int ike_skeyseed_rekey(uint16_t old_prf, struct ike_chunk old_sk_d,
		       struct ike_chunk shared, struct ike_chunk ni,
		       struct ike_chunk nr, uint8_t *skeyseed,
		       struct ike_error *err)
{
	const struct ike_chunk data[] = { shared, ni, nr };

	return ike_prf(old_prf, old_sk_d, data, 3, skeyseed, err);
}

int ike_sa_keys_derive(struct ike_sa_keys *keys, const struct ike_suite *suite,
		       struct ike_chunk skeyseed, struct ike_chunk ni,
		       struct ike_chunk nr, uint64_t spi_i, uint64_t spi_r,
		       struct ike_error *err)
{
	uint8_t spis[16], keymat[3 * IKE_PRF_MAX_LEN + 2 * IKE_INTEG_KEY_MAX_LEN +
				 2 * IKE_ENCR_KEY_MAX_LEN];
	const struct ike_chunk seed[] = { ni, nr, ike_chunk(spis, sizeof(spis)) };
	struct ike_key_sizes sizes;
	size_t total, off = 0;
	int ret = -1;

	memset(keys, 0, sizeof(*keys));
	if (suite->protocol != IKE_PROTO_IKE)
		return ike_error_set(err, 0, "%s: suite is not for an IKE SA", __func__);
	if (ike_key_sizes_for(&sizes, suite, err) < 0)
		return -1;
	total = 3 * sizes.prf_key + 2 * sizes.integ_key + 2 * sizes.encr_key;
	ike_put_be64(spis, spi_i);
	ike_put_be64(spis + 8, spi_r);
	if (ike_prf_plus(suite->prf, skeyseed, seed, 3, keymat, total, err) < 0)
		goto out;

	keys->suite = *suite;
	keys->sizes = sizes;
	/* §2.14: the order is fixed; absent keys take no bytes */
	memcpy(keys->sk_d, keymat + off, sizes.prf_key);
	off += sizes.prf_key;
	memcpy(keys->sk_ai, keymat + off, sizes.integ_key);
	off += sizes.integ_key;
	memcpy(keys->sk_ar, keymat + off, sizes.integ_key);
	off += sizes.integ_key;
	memcpy(keys->sk_ei, keymat + off, sizes.encr_key);
	off += sizes.encr_key;
	memcpy(keys->sk_er, keymat + off, sizes.encr_key);
	off += sizes.encr_key;
	memcpy(keys->sk_pi, keymat + off, sizes.prf_key);
	off += sizes.prf_key;
	memcpy(keys->sk_pr, keymat + off, sizes.prf_key);
	ret = 0;
out:
	OPENSSL_cleanse(keymat, sizeof(keymat));
	return ret;
}

void ike_sa_keys_clear(struct ike_sa_keys *keys)
{
	OPENSSL_cleanse(keys, sizeof(*keys));
}

int ike_child_keys_derive(struct ike_child_keys *keys,
			  const struct ike_suite *child_suite, uint16_t prf,
			  struct ike_chunk sk_d, struct ike_chunk shared,
			  struct ike_chunk ni, struct ike_chunk nr,
			  struct ike_error *err)
{
	uint8_t keymat[2 * (IKE_ENCR_KEY_MAX_LEN + IKE_INTEG_KEY_MAX_LEN)];
	struct ike_chunk seed[3];
	struct ike_key_sizes sizes;
	size_t n = 0, off = 0, total;
	int ret = -1;

	memset(keys, 0, sizeof(*keys));
	if (child_suite->protocol != IKE_PROTO_ESP)
		return ike_error_set(err, 0, "%s: suite is not for ESP", __func__);
	if (ike_key_sizes_for(&sizes, child_suite, err) < 0)
		return -1;
	if (shared.len)
		seed[n++] = shared;
	seed[n++] = ni;
	seed[n++] = nr;
	total = 2 * (sizes.encr_key + sizes.integ_key);
	if (ike_prf_plus(prf, sk_d, seed, n, keymat, total, err) < 0)
		goto out;

	keys->suite = *child_suite;
	keys->sizes = sizes;
	/* §2.17: initiator→responder first; encryption key before integrity key */
	memcpy(keys->encr_i, keymat + off, sizes.encr_key);
	off += sizes.encr_key;
	memcpy(keys->integ_i, keymat + off, sizes.integ_key);
	off += sizes.integ_key;
	memcpy(keys->encr_r, keymat + off, sizes.encr_key);
	off += sizes.encr_key;
	memcpy(keys->integ_r, keymat + off, sizes.integ_key);
	ret = 0;
out:
	OPENSSL_cleanse(keymat, sizeof(keymat));
	return ret;
}

void ike_child_keys_clear(struct ike_child_keys *keys)
{
	OPENSSL_cleanse(keys, sizeof(*keys));
}

int ike_random(uint8_t *buf, size_t len, struct ike_error *err)
{
	if (len > (size_t)INT32_MAX || RAND_bytes(buf, (int)len) != 1)
		return ike_crypto_fail(err, 0, __func__, "RAND_bytes");
	return 0;
}
