// SPDX-License-Identifier: GPL-2.0
/*
 * The Encrypted payload (RFC 7296 §3.14) on EVP_CIPHER and EVP_MAC:
 *
 *   SK generic header | IV | E(inner payloads | padding | pad length) | ICV
 *
 * AEAD ciphers (AES-GCM-16, RFC 5282; ChaCha20-Poly1305, RFC 7634) use the
 * 4-byte salt from the end of the key material and the 8-byte IV as nonce,
 * authenticate the IKE header up to the SK generic header as AAD, and the
 * tag is the ICV. AES-CBC is followed by an HMAC over the whole message up
 * to the ICV, truncated.
 */
#include "crypto.h"

#include <string.h>

#include <openssl/core_names.h>
#include <openssl/crypto.h>
#include <openssl/evp.h>

#include "crypto_internal.h"
#include "payload.h"
#include "wire.h"

#define AEAD_NONCE_LEN 12

int ike_sk_cipher_init(struct ike_sk_cipher *c, const struct ike_suite *suite,
		       const uint8_t *encr_key, const uint8_t *integ_key,
		       struct ike_error *err)
{
	memset(c, 0, sizeof(*c));
	if (ike_key_sizes_for(&c->sizes, suite, err) < 0)
		return -1;
	if (!c->sizes.aead && !integ_key)
		return ike_error_set(err, 0, "%s: integrity key missing", __func__);
	c->suite = *suite;
	c->encr_key = encr_key;
	c->integ_key = c->sizes.aead ? NULL : integ_key;
	return 0;
}

int ike_sk_cipher_from_keys(struct ike_sk_cipher *c,
			    const struct ike_sa_keys *keys, bool from_initiator,
			    struct ike_error *err)
{
	return ike_sk_cipher_init(c, &keys->suite,
				  from_initiator ? keys->sk_ei : keys->sk_er,
				  from_initiator ? keys->sk_ai : keys->sk_ar, err);
}

/* Padding so that inner payloads, padding and pad length fill whole blocks. */
static size_t pad_len(const struct ike_sk_cipher *c, size_t plain_len)
{
	size_t block = c->sizes.block;

	return (block - (plain_len + 1) % block) % block;
}

size_t ike_sk_body_len(const struct ike_sk_cipher *c, size_t plain_len)
{
	return c->sizes.iv + plain_len + pad_len(c, plain_len) + 1 + c->sizes.icv;
}

static const char *cipher_name(const struct ike_suite *suite)
{
	switch (suite->encr) {
	case IKE_ENCR_AES_GCM_16:
		return suite->encr_key_bits == 128 ? "AES-128-GCM" :
		       suite->encr_key_bits == 192 ? "AES-192-GCM" : "AES-256-GCM";
	case IKE_ENCR_CHACHA20_POLY1305:
		return "ChaCha20-Poly1305";
	case IKE_ENCR_AES_CBC:
		return suite->encr_key_bits == 128 ? "AES-128-CBC" :
		       suite->encr_key_bits == 192 ? "AES-192-CBC" : "AES-256-CBC";
	default:
		return NULL;
	}
}

static const char *integ_digest(uint16_t integ)
{
	switch (integ) {
	case IKE_INTEG_HMAC_SHA2_256_128: return "SHA2-256";
	case IKE_INTEG_HMAC_SHA2_384_192: return "SHA2-384";
	case IKE_INTEG_HMAC_SHA2_512_256: return "SHA2-512";
	default: return NULL;
	}
}

/* HMAC over @data, truncated to the ICV length (RFC 4868). */
static int compute_icv(const struct ike_sk_cipher *c, const uint8_t *data,
		       size_t len, uint8_t *icv, struct ike_error *err)
{
	uint8_t full[EVP_MAX_MD_SIZE];
	OSSL_PARAM params[2];
	EVP_MAC_CTX *ctx = NULL;
	EVP_MAC *mac = NULL;
	size_t full_len = 0;
	int ret = -1;

	params[0] = OSSL_PARAM_construct_utf8_string(OSSL_MAC_PARAM_DIGEST,
			(char *)integ_digest(c->suite.integ), 0);
	params[1] = OSSL_PARAM_construct_end();
	mac = EVP_MAC_fetch(NULL, "HMAC", NULL);
	ctx = mac ? EVP_MAC_CTX_new(mac) : NULL;
	if (!ctx || !EVP_MAC_init(ctx, c->integ_key, c->sizes.integ_key, params) ||
	    !EVP_MAC_update(ctx, data, len) ||
	    !EVP_MAC_final(ctx, full, &full_len, sizeof(full)) ||
	    full_len < c->sizes.icv) {
		ike_crypto_fail(err, 0, __func__, "HMAC");
		goto out;
	}
	memcpy(icv, full, c->sizes.icv);
	ret = 0;
out:
	OPENSSL_cleanse(full, sizeof(full));
	EVP_MAC_CTX_free(ctx);
	EVP_MAC_free(mac);
	return ret;
}

/*
 * Check that @msg ends with an SK payload at @sk_offset whose generic
 * header's length matches what is left, and return the body length.
 */
static int sk_body(const uint8_t *msg, size_t msg_len, size_t sk_offset,
		   size_t *body_len, struct ike_error *err)
{
	size_t declared;

	if (sk_offset < IKE_HEADER_LEN || sk_offset > msg_len ||
	    msg_len - sk_offset < IKE_PAYLOAD_HEADER_LEN)
		return ike_error_set(err, IKE_N_INVALID_SYNTAX,
				     "ike_sk: malformed SK offset %zu in %zu-byte message",
				     sk_offset, msg_len);
	declared = ike_get_be16(msg + sk_offset + 2);
	if (declared != msg_len - sk_offset)
		return ike_error_set(err, IKE_N_INVALID_SYNTAX,
				     "ike_sk: malformed SK length (got %zu, need %zu)",
				     declared, msg_len - sk_offset);
	*body_len = declared - IKE_PAYLOAD_HEADER_LEN;
	return 0;
}

/* AEAD over [in, in + len) to out; @tag is read (decrypt) or written (encrypt). */
static int aead_run(const struct ike_sk_cipher *c, bool encrypt,
		    const uint8_t *iv, const uint8_t *aad, size_t aad_len,
		    const uint8_t *in, size_t len, const uint8_t *trailer,
		    uint8_t *out, uint8_t *tag, struct ike_error *err)
{
	size_t key_len = c->sizes.encr_key - c->sizes.salt;
	uint8_t nonce[AEAD_NONCE_LEN];
	EVP_CIPHER_CTX *ctx = NULL;
	EVP_CIPHER *cipher = NULL;
	int n, ret = -1;

	/* RFC 4106 §4 / RFC 7634 §2: nonce = salt | explicit IV */
	memcpy(nonce, c->encr_key + key_len, c->sizes.salt);
	memcpy(nonce + c->sizes.salt, iv, c->sizes.iv);

	cipher = EVP_CIPHER_fetch(NULL, cipher_name(&c->suite), NULL);
	ctx = EVP_CIPHER_CTX_new();
	if (!cipher || !ctx ||
	    !EVP_CipherInit_ex2(ctx, cipher, NULL, NULL, encrypt, NULL) ||
	    EVP_CIPHER_CTX_get_key_length(ctx) != (int)key_len ||
	    !EVP_CIPHER_CTX_ctrl(ctx, EVP_CTRL_AEAD_SET_IVLEN, AEAD_NONCE_LEN, NULL) ||
	    !EVP_CipherInit_ex2(ctx, NULL, c->encr_key, nonce, encrypt, NULL)) {
		ike_crypto_fail(err, 0, __func__, "cipher setup");
		goto out;
	}
	if (!encrypt &&
	    !EVP_CIPHER_CTX_ctrl(ctx, EVP_CTRL_AEAD_SET_TAG, (int)c->sizes.icv, tag)) {
		ike_crypto_fail(err, 0, __func__, "set tag");
		goto out;
	}
	if (!EVP_CipherUpdate(ctx, NULL, &n, aad, (int)aad_len) ||
	    (len && !EVP_CipherUpdate(ctx, out, &n, in, (int)len)) ||
	    (trailer && !EVP_CipherUpdate(ctx, out + len, &n, trailer, 1))) {
		ike_crypto_fail(err, 0, __func__, "cipher update");
		goto out;
	}
	if (EVP_CipherFinal_ex(ctx, out + len + (trailer ? 1 : 0), &n) <= 0) {
		ike_crypto_fail(err, 0, __func__, encrypt ? "cipher final" :
				"integrity check failed");
		goto out;
	}
	if (encrypt &&
	    !EVP_CIPHER_CTX_ctrl(ctx, EVP_CTRL_AEAD_GET_TAG, (int)c->sizes.icv, tag)) {
		ike_crypto_fail(err, 0, __func__, "get tag");
		goto out;
	}
	ret = 0;
out:
	OPENSSL_cleanse(nonce, sizeof(nonce));
	EVP_CIPHER_CTX_free(ctx);
	EVP_CIPHER_free(cipher);
	return ret;
}

/* AES-CBC without OpenSSL's padding: IKE does its own (§3.14). */
static int cbc_run(const struct ike_sk_cipher *c, bool encrypt,
		   const uint8_t *iv, const uint8_t *in, size_t len,
		   uint8_t *out, struct ike_error *err)
{
	EVP_CIPHER_CTX *ctx = EVP_CIPHER_CTX_new();
	EVP_CIPHER *cipher = EVP_CIPHER_fetch(NULL, cipher_name(&c->suite), NULL);
	int n = 0, m = 0, ret = -1;

	if (!cipher || !ctx ||
	    !EVP_CipherInit_ex2(ctx, cipher, c->encr_key, iv, encrypt, NULL) ||
	    EVP_CIPHER_CTX_get_key_length(ctx) != (int)c->sizes.encr_key ||
	    !EVP_CIPHER_CTX_set_padding(ctx, 0) ||
	    !EVP_CipherUpdate(ctx, out, &n, in, (int)len) ||
	    EVP_CipherFinal_ex(ctx, out + n, &m) <= 0 ||
	    (size_t)(n + m) != len) {
		ike_crypto_fail(err, 0, __func__, "AES-CBC");
		goto out;
	}
	ret = 0;
out:
	EVP_CIPHER_CTX_free(ctx);
	EVP_CIPHER_free(cipher);
	return ret;
}

int ike_sk_encrypt(const struct ike_sk_cipher *c, uint8_t *msg, size_t msg_len,
		   size_t sk_offset, const uint8_t *plain, size_t plain_len,
		   const uint8_t *iv, struct ike_error *err)
{
	size_t body_len, pad = pad_len(c, plain_len);
	size_t enc_len = plain_len + pad + 1;
	uint8_t *body, *ciphertext, *icv;
	uint8_t pad_length = (uint8_t)pad;

	if (sk_body(msg, msg_len, sk_offset, &body_len, err) < 0)
		return -1;
	if (body_len != ike_sk_body_len(c, plain_len))
		return ike_error_set(err, 0, "%s: SK body (got %zu, need %zu bytes)",
				     __func__, body_len, ike_sk_body_len(c, plain_len));
	if (plain_len > INT32_MAX / 2)
		return ike_error_set(err, 0, "%s: plaintext too long", __func__);
	body = msg + sk_offset + IKE_PAYLOAD_HEADER_LEN;
	ciphertext = body + c->sizes.iv;
	icv = ciphertext + enc_len;
	memcpy(body, iv, c->sizes.iv);

	if (c->sizes.aead) {
		/* pad is 0 for AEAD: the pad length octet is the only trailer */
		return aead_run(c, true, iv, msg, sk_offset + IKE_PAYLOAD_HEADER_LEN,
				plain, plain_len, &pad_length, ciphertext, icv, err);
	}

	/* padding content is the sender's choice (§3.14): zeros */
	memcpy(ciphertext, plain, plain_len);
	memset(ciphertext + plain_len, 0, pad);
	ciphertext[plain_len + pad] = pad_length;
	if (cbc_run(c, true, iv, ciphertext, enc_len, ciphertext, err) < 0)
		return -1;
	return compute_icv(c, msg, msg_len - c->sizes.icv, icv, err);
}

int ike_sk_decrypt(const struct ike_sk_cipher *c, const uint8_t *msg,
		   size_t msg_len, size_t sk_offset, uint8_t *plain, size_t cap,
		   size_t *plain_len, struct ike_error *err)
{
	uint8_t expected[IKE_SK_ICV_MAX_LEN], tag[IKE_SK_ICV_MAX_LEN];
	const uint8_t *body, *iv, *ciphertext, *icv;
	size_t body_len, enc_len, min_enc, pad;

	if (sk_body(msg, msg_len, sk_offset, &body_len, err) < 0)
		return -1;
	min_enc = c->sizes.aead ? 1 : c->sizes.block;
	if (body_len < c->sizes.iv + min_enc + c->sizes.icv)
		return ike_error_set(err, IKE_N_INVALID_SYNTAX,
				     "%s: malformed SK (got %zu < need %zu)", __func__,
				     body_len, c->sizes.iv + min_enc + c->sizes.icv);
	body = msg + sk_offset + IKE_PAYLOAD_HEADER_LEN;
	iv = body;
	ciphertext = body + c->sizes.iv;
	enc_len = body_len - c->sizes.iv - c->sizes.icv;
	icv = ciphertext + enc_len;
	if (enc_len % c->sizes.block)
		return ike_error_set(err, IKE_N_INVALID_SYNTAX,
				     "%s: malformed SK (got %zu bytes, not whole blocks)",
				     __func__, enc_len);
	if (cap < enc_len)
		return ike_error_set(err, 0, "%s: buffer (got %zu < need %zu)",
				     __func__, cap, enc_len);

	if (c->sizes.aead) {
		memcpy(tag, icv, c->sizes.icv);
		if (aead_run(c, false, iv, msg, sk_offset + IKE_PAYLOAD_HEADER_LEN,
			     ciphertext, enc_len, NULL, plain, tag, err) < 0) {
			OPENSSL_cleanse(plain, enc_len);
			return -1;
		}
	} else {
		/* verify before decrypting: nothing unauthenticated is parsed */
		if (compute_icv(c, msg, msg_len - c->sizes.icv, expected, err) < 0)
			return -1;
		if (CRYPTO_memcmp(expected, icv, c->sizes.icv) != 0)
			return ike_error_set(err, 0, "%s: integrity check failed",
					     __func__);
		if (cbc_run(c, false, iv, ciphertext, enc_len, plain, err) < 0)
			return -1;
	}
	pad = plain[enc_len - 1];
	if (pad + 1 > enc_len) {
		OPENSSL_cleanse(plain, enc_len);
		return ike_error_set(err, IKE_N_INVALID_SYNTAX,
				     "%s: malformed SK padding (got %zu > %zu)",
				     __func__, pad + 1, enc_len);
	}
	*plain_len = enc_len - pad - 1;
	return 0;
}
