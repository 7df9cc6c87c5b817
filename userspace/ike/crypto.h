/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The cryptography of IKEv2, as thin wrappers over OpenSSL EVP:
 *  - prf and prf+ (RFC 7296 §2.13) with HMAC-SHA2-256/384/512,
 *  - SKEYSEED and the IKE SA keys (§2.14, §2.18), Child SA keys (§2.17),
 *  - key exchange for groups 14, 19, 20 and 31 (RFC 3526, 5903, 8031),
 *  - protection of the Encrypted (SK) payload (§3.14, RFC 5282, RFC 7634).
 *
 * Every secret this module writes into a caller's structure is wiped by the
 * matching *_clear() function; every intermediate secret is wiped before
 * returning. Nothing here logs or prints.
 */
#ifndef IKE_CRYPTO_H
#define IKE_CRYPTO_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "chunk.h"
#include "error.h"
#include "proposal.h"

#define IKE_PRF_MAX_LEN 64		/* HMAC-SHA2-512 */
#define IKE_ENCR_KEY_MAX_LEN 36		/* 32-byte key + 4-byte salt */
#define IKE_INTEG_KEY_MAX_LEN 64	/* HMAC-SHA2-512-256 */
#define IKE_SK_IV_MAX_LEN 16		/* AES-CBC */
#define IKE_SK_ICV_MAX_LEN 32		/* HMAC-SHA2-512-256 */
#define IKE_DH_PUBLIC_MAX_LEN 256	/* MODP-2048 */
#define IKE_DH_SHARED_MAX_LEN 256

/* What a negotiated suite needs in key material and SK framing. */
struct ike_key_sizes {
	size_t encr_key;	/* bytes of key material, salt included */
	size_t salt;		/* trailing salt bytes of encr_key (AEAD) */
	size_t integ_key;	/* 0 with AEAD */
	size_t prf_key;		/* SK_d, SK_pi, SK_pr: the PRF output (§2.14) */
	size_t iv;		/* explicit IV in the SK payload */
	size_t block;		/* padding unit of the SK plaintext */
	size_t icv;		/* integrity checksum / AEAD tag */
	bool aead;
};

int ike_key_sizes_for(struct ike_key_sizes *sizes, const struct ike_suite *suite,
		      struct ike_error *err);

/* Output size of @prf, 0 when not implemented. */
size_t ike_prf_len(uint16_t prf);

/* prf(key, data[0] | data[1] | ...) into @out (ike_prf_len(prf) bytes). */
int ike_prf(uint16_t prf, struct ike_chunk key, const struct ike_chunk *data,
	    size_t num_data, uint8_t *out, struct ike_error *err);

/* prf+(key, seed[0] | seed[1] | ...) (§2.13), @out_len at most 255 blocks. */
int ike_prf_plus(uint16_t prf, struct ike_chunk key, const struct ike_chunk *seed,
		 size_t num_seed, uint8_t *out, size_t out_len,
		 struct ike_error *err);

/* SKEYSEED = prf(Ni | Nr, g^ir) (§2.14), ike_prf_len(prf) bytes. */
int ike_skeyseed(uint16_t prf, struct ike_chunk ni, struct ike_chunk nr,
		 struct ike_chunk shared, uint8_t *skeyseed,
		 struct ike_error *err);

/*
 * SKEYSEED for a rekeyed IKE SA (§2.18):
 * prf(SK_d (old), g^ir (new) | Ni | Nr), with the old SA's PRF.
 */
int ike_skeyseed_rekey(uint16_t old_prf, struct ike_chunk old_sk_d,
		       struct ike_chunk shared, struct ike_chunk ni,
		       struct ike_chunk nr, uint8_t *skeyseed,
		       struct ike_error *err);

/* The seven keys of an IKE SA (§2.14); "i"/"r" name the sending side. */
struct ike_sa_keys {
	struct ike_suite suite;
	struct ike_key_sizes sizes;
	uint8_t sk_d[IKE_PRF_MAX_LEN];
	uint8_t sk_ai[IKE_INTEG_KEY_MAX_LEN];
	uint8_t sk_ar[IKE_INTEG_KEY_MAX_LEN];
	uint8_t sk_ei[IKE_ENCR_KEY_MAX_LEN];
	uint8_t sk_er[IKE_ENCR_KEY_MAX_LEN];
	uint8_t sk_pi[IKE_PRF_MAX_LEN];
	uint8_t sk_pr[IKE_PRF_MAX_LEN];
};

/*
 * {SK_d | SK_ai | SK_ar | SK_ei | SK_er | SK_pi | SK_pr}
 *     = prf+(SKEYSEED, Ni | Nr | SPIi | SPIr)
 */
int ike_sa_keys_derive(struct ike_sa_keys *keys, const struct ike_suite *suite,
		       struct ike_chunk skeyseed, struct ike_chunk ni,
		       struct ike_chunk nr, uint64_t spi_i, uint64_t spi_r,
		       struct ike_error *err);
void ike_sa_keys_clear(struct ike_sa_keys *keys);

/*
 * Keys of one Child SA (§2.17): "_i" protects traffic from the initiator to
 * the responder, "_r" the other way.
 */
struct ike_child_keys {
	struct ike_suite suite;
	struct ike_key_sizes sizes;
	uint8_t encr_i[IKE_ENCR_KEY_MAX_LEN];
	uint8_t integ_i[IKE_INTEG_KEY_MAX_LEN];
	uint8_t encr_r[IKE_ENCR_KEY_MAX_LEN];
	uint8_t integ_r[IKE_INTEG_KEY_MAX_LEN];
};

/*
 * KEYMAT = prf+(SK_d, Ni | Nr), or prf+(SK_d, g^ir (new) | Ni | Nr) with PFS
 * (@shared.len != 0). @prf and @sk_d are the IKE SA's.
 */
int ike_child_keys_derive(struct ike_child_keys *keys,
			  const struct ike_suite *child_suite, uint16_t prf,
			  struct ike_chunk sk_d, struct ike_chunk shared,
			  struct ike_chunk ni, struct ike_chunk nr,
			  struct ike_error *err);
void ike_child_keys_clear(struct ike_child_keys *keys);

/* A key exchange in progress: our private key for one group. */
struct ike_dh;

bool ike_dh_supported(uint16_t group);
/* Size of the KE payload data for @group (§3.4, RFC 5903 §7, RFC 8031). */
size_t ike_dh_public_len(uint16_t group);
/* Size of g^ir for @group. */
size_t ike_dh_shared_len(uint16_t group);

/* A fresh key pair. */
struct ike_dh *ike_dh_generate(uint16_t group, struct ike_error *err);

/*
 * A fixed key pair, for tests and deterministic mocks: @priv is the private
 * scalar/exponent (big-endian; raw for Curve25519), @pub the public value in
 * KE encoding, checked against @priv. @pub may be NULL for Curve25519.
 */
struct ike_dh *ike_dh_from_keypair(uint16_t group, struct ike_chunk priv,
				   struct ike_chunk pub, struct ike_error *err);

uint16_t ike_dh_group(const struct ike_dh *dh);

/* Our public value in KE encoding into @out (ike_dh_public_len() bytes). */
int ike_dh_public(const struct ike_dh *dh, uint8_t *out, size_t cap,
		  size_t *len, struct ike_error *err);

/*
 * g^ir from the peer's KE data, which is validated (length, range or curve
 * membership, non-zero X25519 result). Fails with INVALID_SYNTAX in @err.
 */
int ike_dh_shared(const struct ike_dh *dh, struct ike_chunk peer, uint8_t *out,
		  size_t cap, size_t *len, struct ike_error *err);

void ike_dh_free(struct ike_dh *dh);

/*
 * Protection of the Encrypted payload in one direction. The key pointers
 * refer to the caller's key storage (an ike_sa_keys), nothing is copied.
 */
struct ike_sk_cipher {
	struct ike_suite suite;
	struct ike_key_sizes sizes;
	const uint8_t *encr_key;	/* sizes.encr_key bytes: key | salt */
	const uint8_t *integ_key;	/* sizes.integ_key bytes, NULL with AEAD */
};

int ike_sk_cipher_init(struct ike_sk_cipher *c, const struct ike_suite *suite,
		       const uint8_t *encr_key, const uint8_t *integ_key,
		       struct ike_error *err);

/* The cipher for messages sent by the initiator (SK_ei/SK_ai) or responder. */
int ike_sk_cipher_from_keys(struct ike_sk_cipher *c,
			    const struct ike_sa_keys *keys, bool from_initiator,
			    struct ike_error *err);

/* Bytes an SK payload body needs for @plain_len bytes of inner payloads. */
size_t ike_sk_body_len(const struct ike_sk_cipher *c, size_t plain_len);

/*
 * Fill the SK payload at @sk_offset of the finished message @msg (whose last
 * payload it is, with a body of ike_sk_body_len(plain_len) bytes): pad and
 * encrypt @plain with @iv (sizes.iv bytes; must be unpredictable for CBC,
 * unique per key for AEAD), then compute the ICV. AEAD ciphers authenticate
 * the IKE header through the SK generic header (RFC 5282 §5.1); CBC+HMAC
 * covers the whole message up to the ICV (§3.14).
 */
int ike_sk_encrypt(const struct ike_sk_cipher *c, uint8_t *msg, size_t msg_len,
		   size_t sk_offset, const uint8_t *plain, size_t plain_len,
		   const uint8_t *iv, struct ike_error *err);

/*
 * Check and decrypt the SK payload at @sk_offset of @msg into @plain (@cap
 * must hold the SK body), padding removed. An integrity failure means the
 * message must be dropped without answer (§2.21.2): @err->notify stays 0.
 */
int ike_sk_decrypt(const struct ike_sk_cipher *c, const uint8_t *msg,
		   size_t msg_len, size_t sk_offset, uint8_t *plain, size_t cap,
		   size_t *plain_len, struct ike_error *err);

/* Cryptographically strong random bytes for nonces, SPIs and IVs. */
int ike_random(uint8_t *buf, size_t len, struct ike_error *err);

#endif /* IKE_CRYPTO_H */
