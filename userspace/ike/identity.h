/* SPDX-License-Identifier: GPL-2.0 */
/*
 * IKE identities (RFC 7296 §3.5) as configured and as carried in IDi/IDr:
 * "fqdn:vpn.example.org" (or a bare name), "192.0.2.1", "2001:db8::1",
 * "keyid:0a0b0c" (hex), "dn:C=CH, O=vesp, CN=moon" (ID_DER_ASN1_DN, the
 * RDNs in the order written, values without commas).
 */
#ifndef IKE_IDENTITY_H
#define IKE_IDENTITY_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include <openssl/x509.h>

#include "chunk.h"
#include "error.h"
#include "payload.h"

#define IKE_ID_MAX_LEN 255

struct ike_identity {
	uint8_t type;		/* enum ike_id_type, 0 when unset */
	size_t len;
	uint8_t data[IKE_ID_MAX_LEN];
};

int ike_identity_from_string(struct ike_identity *id, const char *text,
			     struct ike_error *err);

/*
 * Whether the peer's ID payload @p names @id: same type and bytes, or for
 * DNs the same name however its strings are encoded (X509_NAME_cmp()).
 */
bool ike_identity_matches(const struct ike_identity *id,
			  const struct ike_payload *p);

/* Whether the DER DN @der is @name. */
bool ike_identity_dn_equal(struct ike_chunk der, const X509_NAME *name);

/* Build IDi or IDr (@payload_type) carrying @id. */
int ike_identity_build(struct ike_builder *b, uint8_t payload_type,
		       const struct ike_identity *id);

#endif /* IKE_IDENTITY_H */
