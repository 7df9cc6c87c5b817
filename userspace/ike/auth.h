/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The AUTH payload data of a shared key (RFC 7296 §2.15):
 *
 *   AUTH = prf(prf(Shared Secret, "Key Pad for IKEv2"), <SignedOctets>)
 *   SignedOctets = RealMessage | NonceOfPeer | prf(SK_p, RestOfIDPayload)
 *
 * where RealMessage is the signer's own IKE_SA_INIT message, NonceOfPeer the
 * other side's nonce, SK_p the signer's SK_pi or SK_pr, and RestOfIDPayload
 * the signer's ID payload body (type, reserved, data).
 *
 * With certificates the same octets are signed instead (RFC 7427): AUTH
 * method 14 carries a one-byte length, the signature's ASN.1
 * AlgorithmIdentifier and the signature value, once the peer announced
 * hash algorithms with SIGNATURE_HASH_ALGORITHMS in IKE_SA_INIT (§4). A
 * peer that did not gets the classic methods: 9, 10, 11 for ECDSA (r|s,
 * RFC 4754), 1 for RSA (PKCS#1 v1.5 with SHA-1).
 */
#ifndef IKE_AUTH_H
#define IKE_AUTH_H

#include <stdbool.h>
#include <stdint.h>

#include <openssl/evp.h>

#include "chunk.h"
#include "error.h"
#include "sa.h"

/*
 * The octets an end signs. @own_side_initiator: the signer is the IKE SA's
 * initiator. @id_body is its ID payload body. Written to @out (@cap bytes),
 * the length into @len.
 */
int ike_auth_signed_octets(const struct ike_sa *sa, bool signer_is_initiator,
			   struct ike_chunk id_body, uint8_t *out, size_t cap,
			   size_t *len, struct ike_error *err);

/* AUTH data for the shared key @psk over @octets: ike_prf_len() bytes. */
int ike_auth_psk(uint16_t prf, struct ike_chunk psk, struct ike_chunk octets,
		 uint8_t *out, struct ike_error *err);

/* Compare in constant time, so the peer cannot probe AUTH byte by byte. */
bool ike_auth_equal(const uint8_t *a, const uint8_t *b, size_t len);

/* Hash algorithms of SIGNATURE_HASH_ALGORITHMS (RFC 7427 §7). */
enum ike_hash_alg {
	IKE_HASH_SHA1 = 1,
	IKE_HASH_SHA2_256 = 2,
	IKE_HASH_SHA2_384 = 3,
	IKE_HASH_SHA2_512 = 4,
};
#define IKE_HASH_BIT(h) (1u << (h))

/* AUTH data of a signature: length byte, AlgorithmIdentifier, RSA-4096 */
#define IKE_AUTH_SIG_MAX_LEN 1024

/*
 * What IKE_SA_INIT carries for signature authentication when @sa's
 * configuration uses certificates: SIGNATURE_HASH_ALGORITHMS, and in the
 * @response a CERTREQ naming our CAs (so that a peer sending its
 * certificate only when asked does). Nothing with a shared key.
 */
int ike_auth_build_init(const struct ike_sa *sa, struct ike_builder *b,
			bool response, struct ike_error *err);

/* IKE_HASH_BIT()s of what the peer's IKE_SA_INIT message announced. */
unsigned int ike_auth_peer_hashes(const struct ike_sa *sa);

/*
 * Sign @octets with @key: the AUTH method into @method, its data into @out
 * (IKE_AUTH_SIG_MAX_LEN bytes), the length into @len. @peer_hashes picks
 * RFC 7427 or a classic method.
 */
int ike_auth_sign(EVP_PKEY *key, unsigned int peer_hashes,
		  struct ike_chunk octets, uint8_t *method, uint8_t *out,
		  size_t *len, struct ike_error *err);

/* Check the AUTH payload (@method, @data) against @octets and @key. */
int ike_auth_verify(EVP_PKEY *key, uint8_t method, struct ike_chunk data,
		    struct ike_chunk octets, struct ike_error *err);

#endif /* IKE_AUTH_H */
