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
 */
#ifndef IKE_AUTH_H
#define IKE_AUTH_H

#include <stdbool.h>
#include <stdint.h>

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

#endif /* IKE_AUTH_H */
