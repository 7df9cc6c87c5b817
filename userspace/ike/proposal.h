/* SPDX-License-Identifier: GPL-2.0 */
/*
 * IKEv2 proposals and transforms (RFC 7296 §3.3): the IANA numbers, one
 * representation shared by the SA payload parser, the configuration and the
 * negotiation, and the negotiation itself.
 *
 * A proposal lists transforms; transforms of the same type are alternatives
 * ("AES-GCM-256 or ChaCha20"), different types are all required. A selected
 * proposal holds at most one transform of each type.
 */
#ifndef IKE_PROPOSAL_H
#define IKE_PROPOSAL_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "error.h"

/* Security Protocol Identifiers (IANA "IKEv2 Security Protocol Identifiers"). */
enum ike_protocol_id {
	IKE_PROTO_IKE = 1,
	IKE_PROTO_AH = 2,
	IKE_PROTO_ESP = 3,
};

/* Transform Type Values (RFC 7296 §3.3.2). */
enum ike_transform_type {
	IKE_TRANSFORM_ENCR = 1,
	IKE_TRANSFORM_PRF = 2,
	IKE_TRANSFORM_INTEG = 3,
	IKE_TRANSFORM_DH = 4,	/* "Key Exchange Method" since RFC 9370 */
	IKE_TRANSFORM_ESN = 5,
};
#define IKE_TRANSFORM_TYPE_MAX IKE_TRANSFORM_ESN

/* Transform Type 1 - Encryption Algorithm Transform IDs. */
enum ike_encr_id {
	IKE_ENCR_3DES = 3,
	IKE_ENCR_NULL = 11,
	IKE_ENCR_AES_CBC = 12,
	IKE_ENCR_AES_CTR = 13,
	IKE_ENCR_AES_CCM_8 = 14,
	IKE_ENCR_AES_GCM_8 = 18,
	IKE_ENCR_AES_GCM_12 = 19,
	IKE_ENCR_AES_GCM_16 = 20,
	IKE_ENCR_CHACHA20_POLY1305 = 28,
};

/* Transform Type 2 - Pseudorandom Function Transform IDs. */
enum ike_prf_id {
	IKE_PRF_HMAC_SHA1 = 2,
	IKE_PRF_AES128_XCBC = 4,
	IKE_PRF_HMAC_SHA2_256 = 5,
	IKE_PRF_HMAC_SHA2_384 = 6,
	IKE_PRF_HMAC_SHA2_512 = 7,
};

/* Transform Type 3 - Integrity Algorithm Transform IDs. */
enum ike_integ_id {
	IKE_INTEG_NONE = 0,
	IKE_INTEG_HMAC_SHA1_96 = 2,
	IKE_INTEG_HMAC_SHA2_256_128 = 12,
	IKE_INTEG_HMAC_SHA2_384_192 = 13,
	IKE_INTEG_HMAC_SHA2_512_256 = 14,
};

/* Transform Type 4 - Key Exchange Method Transform IDs ("DH groups"). */
enum ike_dh_group {
	IKE_DH_NONE = 0,
	IKE_DH_MODP_2048 = 14,
	IKE_DH_MODP_3072 = 15,
	IKE_DH_MODP_4096 = 16,
	IKE_DH_ECP_256 = 19,
	IKE_DH_ECP_384 = 20,
	IKE_DH_ECP_521 = 21,
	IKE_DH_CURVE25519 = 31,
	IKE_DH_CURVE448 = 32,
};

/* Transform Type 5 - Extended Sequence Numbers Transform IDs. */
enum ike_esn_id {
	IKE_ESN_NO = 0,
	IKE_ESN_YES = 1,
};

/* Transform attribute types (RFC 7296 §3.3.5). */
#define IKE_ATTR_KEY_LENGTH 14
#define IKE_ATTR_FORMAT_TV 0x8000

/* Limits of this implementation; bigger SA payloads are rejected as malformed. */
#define IKE_MAX_PROPOSALS 16
#define IKE_MAX_TRANSFORMS 64

struct ike_transform {
	uint8_t type;		/* enum ike_transform_type */
	uint16_t id;
	uint16_t key_length;	/* bits; 0 when there is no Key Length attribute */
	/*
	 * The transform carried an attribute we cannot interpret (an unknown
	 * type, a repeated or zero Key Length): RFC 7296 §3.3.6 makes such a
	 * transform unacceptable, but the rest of the proposal still counts.
	 */
	bool unknown_attribute;
};

struct ike_proposal {
	uint8_t number;		/* Proposal Num, from 1 */
	uint8_t protocol;	/* enum ike_protocol_id */
	uint8_t spi_size;	/* 0 (IKE_SA_INIT), 4 (ESP/AH) or 8 (IKE rekey) */
	uint64_t spi;		/* the spi_size bytes, big-endian on the wire */
	uint8_t num_transforms;
	struct ike_transform transforms[IKE_MAX_TRANSFORMS];
};

/* The negotiated algorithms of one SA, read off a selected proposal. */
struct ike_suite {
	uint8_t protocol;
	uint16_t encr;
	uint16_t encr_key_bits;	/* 0 for fixed-length ciphers */
	uint16_t prf;		/* IKE SAs only */
	uint16_t integ;		/* IKE_INTEG_NONE with AEAD ciphers */
	uint16_t dh;		/* IKE_DH_NONE for a Child SA without PFS */
	bool esn;		/* Child SAs only */
};

/*
 * Append a transform to @p (a local proposal being configured). Returns -1
 * when the proposal is full.
 */
int ike_proposal_add(struct ike_proposal *p, uint8_t type, uint16_t id,
		     uint16_t key_bits);

/*
 * Fill @p from a strongSwan-style proposal string such as
 * "aes256gcm16-prfsha384-x25519" or "aes128-sha256-modp2048-esn": keywords
 * separated by '-'. For IKE, a missing PRF is implied by the integrity
 * algorithms (as strongSwan does). The result is validated.
 */
int ike_proposal_from_string(struct ike_proposal *p, uint8_t protocol,
			     const char *text, struct ike_error *err);

/*
 * Check that a locally configured proposal is something we can run: every
 * transform implemented, the mandatory types present, no AEAD and non-AEAD
 * cipher mixed, integrity present exactly when the cipher is not AEAD.
 */
int ike_proposal_validate(const struct ike_proposal *p, struct ike_error *err);

/*
 * Remove every transform of @type from @p. The Child SA made in IKE_AUTH
 * has no key exchange of its own (RFC 7296 §1.2): its proposals go without
 * their KE transforms, as strongSwan sends and answers them.
 */
void ike_proposal_strip(struct ike_proposal *p, uint8_t type);

/* First transform of @type in @p, or NULL. */
const struct ike_transform *ike_proposal_find(const struct ike_proposal *p,
					      uint8_t type);

/*
 * Responder side: choose from the peer's @received proposals using our
 * @local ones in our order of preference (the first local proposal that any
 * received proposal can satisfy wins; within a transform type, our first
 * algorithm the peer offers wins). @selected gets the peer's proposal number
 * and SPI and exactly one transform per negotiated type. Fails with
 * NO_PROPOSAL_CHOSEN in @err.
 */
int ike_proposal_select(const struct ike_proposal *local, size_t num_local,
			const struct ike_proposal *received, size_t num_received,
			struct ike_proposal *selected, struct ike_error *err);

/*
 * Initiator side: check that the responder's @response (the proposals of the
 * response's SA payload) is one proposal picking one of the transforms we
 * @offered for each type. @accepted gets a copy on success.
 */
int ike_proposal_check_response(const struct ike_proposal *offered,
				size_t num_offered,
				const struct ike_proposal *response,
				size_t num_response,
				struct ike_proposal *accepted,
				struct ike_error *err);

/* Read the negotiated algorithms off a selected proposal. */
int ike_suite_from_proposal(struct ike_suite *suite,
			    const struct ike_proposal *selected,
			    struct ike_error *err);

/*
 * Whether this implementation can run @t inside a @protocol proposal,
 * including the Key Length rules (required for AES, forbidden elsewhere).
 */
bool ike_transform_supported(uint8_t protocol, const struct ike_transform *t);

/* Whether @encr is an AEAD cipher (carries its own integrity). */
bool ike_encr_is_aead(uint16_t encr);

/* Short names for logs: "AES_GCM_16", "PRF_HMAC_SHA2_256", or NULL. */
const char *ike_transform_type_name(uint8_t type);
const char *ike_transform_id_name(uint8_t type, uint16_t id);

#endif /* IKE_PROPOSAL_H */
