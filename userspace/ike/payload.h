/* SPDX-License-Identifier: GPL-2.0 */
/*
 * IKEv2 messages: the header and the payload chain (RFC 7296 §3), parsed into
 * fixed-size structures that point into the received buffer, and built with a
 * builder that chains Next Payload fields and fills in lengths.
 *
 * Parsing is in payload.c, building in payload_build.c.
 *
 * A parsed message never owns memory: every struct ike_chunk points into the
 * buffer given to ike_message_parse() (or, for payloads that were inside the
 * Encrypted payload, into the plaintext given to ike_message_parse_inner()),
 * which must outlive the message.
 */
#ifndef IKE_PAYLOAD_H
#define IKE_PAYLOAD_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "chunk.h"
#include "error.h"
#include "proposal.h"

#define IKE_HEADER_LEN 28
#define IKE_PAYLOAD_HEADER_LEN 4
#define IKE_MAJOR_VERSION 2
#define IKE_MINOR_VERSION 0

/* Exchange types (RFC 7296 §3.1). */
enum ike_exchange_type {
	IKE_EXCHANGE_SA_INIT = 34,
	IKE_EXCHANGE_AUTH = 35,
	IKE_EXCHANGE_CREATE_CHILD_SA = 36,
	IKE_EXCHANGE_INFORMATIONAL = 37,
};

/* Header flags (RFC 7296 §3.1). */
#define IKE_FLAG_INITIATOR 0x08
#define IKE_FLAG_VERSION 0x10
#define IKE_FLAG_RESPONSE 0x20

/* Payload types (RFC 7296 §3.2). */
enum ike_payload_type {
	IKE_PAYLOAD_NONE = 0,
	IKE_PAYLOAD_SA = 33,
	IKE_PAYLOAD_KE = 34,
	IKE_PAYLOAD_IDI = 35,
	IKE_PAYLOAD_IDR = 36,
	IKE_PAYLOAD_CERT = 37,
	IKE_PAYLOAD_CERTREQ = 38,
	IKE_PAYLOAD_AUTH = 39,
	IKE_PAYLOAD_NONCE = 40,
	IKE_PAYLOAD_NOTIFY = 41,
	IKE_PAYLOAD_DELETE = 42,
	IKE_PAYLOAD_VENDOR = 43,
	IKE_PAYLOAD_TSI = 44,
	IKE_PAYLOAD_TSR = 45,
	IKE_PAYLOAD_SK = 46,
	IKE_PAYLOAD_CP = 47,	/* not implemented: skipped like unknown payloads */
	IKE_PAYLOAD_EAP = 48,	/* not implemented */
	IKE_PAYLOAD_SKF = 53,	/* RFC 7383, not implemented */
};

/* Notify Message Types (RFC 7296 §3.10.1 and IANA). */
enum ike_notify_type {
	IKE_N_UNSUPPORTED_CRITICAL_PAYLOAD = 1,
	IKE_N_INVALID_IKE_SPI = 4,
	IKE_N_INVALID_MAJOR_VERSION = 5,
	IKE_N_INVALID_SYNTAX = 7,
	IKE_N_INVALID_MESSAGE_ID = 9,
	IKE_N_INVALID_SPI = 11,
	IKE_N_NO_PROPOSAL_CHOSEN = 14,
	IKE_N_INVALID_KE_PAYLOAD = 17,
	IKE_N_AUTHENTICATION_FAILED = 24,
	IKE_N_SINGLE_PAIR_REQUIRED = 34,
	IKE_N_NO_ADDITIONAL_SAS = 35,
	IKE_N_INTERNAL_ADDRESS_FAILURE = 36,
	IKE_N_FAILED_CP_REQUIRED = 37,
	IKE_N_TS_UNACCEPTABLE = 38,
	IKE_N_INVALID_SELECTORS = 39,
	IKE_N_TEMPORARY_FAILURE = 43,
	IKE_N_CHILD_SA_NOT_FOUND = 44,
	/* status types start at 16384 */
	IKE_N_INITIAL_CONTACT = 16384,
	IKE_N_SET_WINDOW_SIZE = 16385,
	IKE_N_ADDITIONAL_TS_POSSIBLE = 16386,
	IKE_N_IPCOMP_SUPPORTED = 16387,
	IKE_N_NAT_DETECTION_SOURCE_IP = 16388,
	IKE_N_NAT_DETECTION_DESTINATION_IP = 16389,
	IKE_N_COOKIE = 16390,
	IKE_N_USE_TRANSPORT_MODE = 16391,
	IKE_N_HTTP_CERT_LOOKUP_SUPPORTED = 16392,
	IKE_N_REKEY_SA = 16393,
	IKE_N_ESP_TFC_PADDING_NOT_SUPPORTED = 16394,
	IKE_N_NON_FIRST_FRAGMENTS_ALSO = 16395,
	IKE_N_MOBIKE_SUPPORTED = 16396,
	IKE_N_IKEV2_FRAGMENTATION_SUPPORTED = 16430,
	IKE_N_SIGNATURE_HASH_ALGORITHMS = 16431,
};
#define IKE_N_FIRST_STATUS 16384

/* Identification types (RFC 7296 §3.5). */
enum ike_id_type {
	IKE_ID_IPV4_ADDR = 1,
	IKE_ID_FQDN = 2,
	IKE_ID_RFC822_ADDR = 3,
	IKE_ID_IPV6_ADDR = 5,
	IKE_ID_DER_ASN1_DN = 9,
	IKE_ID_DER_ASN1_GN = 10,
	IKE_ID_KEY_ID = 11,
};

/* Authentication methods (RFC 7296 §3.8, RFC 7427). */
enum ike_auth_method {
	IKE_AUTH_RSA_SIG = 1,
	IKE_AUTH_SHARED_KEY_MIC = 2,
	IKE_AUTH_DSS_SIG = 3,
	IKE_AUTH_ECDSA_256 = 9,
	IKE_AUTH_ECDSA_384 = 10,
	IKE_AUTH_ECDSA_521 = 11,
	IKE_AUTH_DIGITAL_SIGNATURE = 14,
};

/* Certificate encodings (RFC 7296 §3.6). */
enum ike_cert_encoding {
	IKE_CERT_X509_SIG = 4,
	IKE_CERT_X509_CRL = 7,
	IKE_CERT_RAW_PUBKEY = 15,	/* RFC 7670 */
};

/* Traffic selector types (RFC 7296 §3.13.1). */
enum ike_ts_type {
	IKE_TS_IPV4_ADDR_RANGE = 7,
	IKE_TS_IPV6_ADDR_RANGE = 8,
};

/* Limits of this implementation: bigger messages are rejected as malformed. */
#define IKE_MAX_PAYLOADS 48
#define IKE_MAX_TS 16

struct ike_header {
	uint64_t spi_i;		/* big-endian on the wire */
	uint64_t spi_r;
	uint8_t next_payload;
	uint8_t major_version;
	uint8_t minor_version;
	uint8_t exchange;	/* enum ike_exchange_type */
	uint8_t flags;		/* IKE_FLAG_* */
	uint32_t message_id;
	uint32_t length;	/* whole message, header included */
};

/* SA payload (§3.3): the proposals, in the sender's order. */
struct ike_sa_payload {
	uint8_t num_proposals;
	struct ike_proposal proposals[IKE_MAX_PROPOSALS];
};

struct ike_ke_payload {
	uint16_t group;		/* enum ike_dh_group */
	struct ike_chunk data;
};

/*
 * IDi/IDr (§3.5). The payload body (ID Type, RESERVED, data) is what the
 * AUTH computation signs (RestOfInitIDPayload, §2.15): struct ike_payload.body.
 */
struct ike_id_payload {
	uint8_t type;		/* enum ike_id_type */
	struct ike_chunk data;
};

/* CERT (§3.6) and CERTREQ (§3.7) share one layout. */
struct ike_cert_payload {
	uint8_t encoding;	/* enum ike_cert_encoding */
	struct ike_chunk data;
};

struct ike_auth_payload {
	uint8_t method;		/* enum ike_auth_method */
	struct ike_chunk data;
};

struct ike_notify_payload {
	uint8_t protocol;	/* enum ike_protocol_id, 0 when no SA is concerned */
	uint8_t spi_size;
	uint16_t type;		/* enum ike_notify_type */
	uint64_t spi;
	struct ike_chunk data;
};

struct ike_delete_payload {
	uint8_t protocol;
	uint8_t spi_size;	/* 0 for IKE, 4 for ESP/AH */
	uint16_t num_spis;
	struct ike_chunk spis;	/* num_spis * spi_size bytes */
};

struct ike_ts {
	uint8_t type;		/* enum ike_ts_type */
	uint8_t ip_protocol;	/* 0 = any */
	uint16_t start_port;
	uint16_t end_port;
	uint8_t start_addr[16];	/* 4 bytes used for IPv4 */
	uint8_t end_addr[16];
};

struct ike_ts_payload {
	uint8_t num_ts;
	struct ike_ts ts[IKE_MAX_TS];
	/* selectors of types we do not know, skipped */
	uint8_t num_unknown;
};

/*
 * Encrypted payload (§3.14): what follows its generic header, opaque until
 * decrypted (IV, ciphertext, padding, ICV), and the type of the first payload
 * inside.
 */
struct ike_sk_payload {
	uint8_t inner_next_payload;
	size_t header_offset;	/* of the SK generic header in the message */
	struct ike_chunk data;
};

struct ike_payload {
	uint8_t type;		/* enum ike_payload_type */
	bool critical;
	bool encrypted;		/* was inside the Encrypted payload */
	struct ike_chunk body;	/* after the generic payload header */
	/*
	 * The decoded form for types with a small one. SA, TSi and TSr are
	 * decoded into the message (they may appear once per message).
	 */
	union {
		struct ike_ke_payload ke;
		struct ike_id_payload id;
		struct ike_cert_payload cert;
		struct ike_auth_payload auth;
		struct ike_notify_payload notify;
		struct ike_delete_payload del;
		struct ike_sk_payload sk;
	} u;
};

struct ike_message {
	struct ike_header hdr;
	struct ike_chunk raw;	/* the whole message as received */
	size_t num_payloads;
	struct ike_payload payloads[IKE_MAX_PAYLOADS];
	/* non-critical payloads of unknown type that were skipped */
	size_t num_skipped;
	/* decoded singletons, valid when the payload is present */
	struct ike_sa_payload sa;
	struct ike_ts_payload tsi;
	struct ike_ts_payload tsr;
};

/*
 * Parse only the fixed header: enough to find the IKE SA and check the
 * message ID before anything else. Checks the length against @len.
 */
int ike_header_parse(struct ike_header *hdr, const uint8_t *buf, size_t len,
		     struct ike_error *err);

/*
 * Parse a whole datagram: header and the payload chain up to and including
 * an Encrypted payload, which stays opaque. On failure @err names the Notify
 * to answer with: INVALID_SYNTAX, INVALID_MAJOR_VERSION, or
 * UNSUPPORTED_CRITICAL_PAYLOAD with the payload type in notify_data.
 */
int ike_message_parse(struct ike_message *msg, const uint8_t *buf, size_t len,
		      struct ike_error *err);

/*
 * Parse the decrypted content of the message's Encrypted payload (padding
 * already removed) and append its payloads to @msg, marked encrypted. The
 * same duplicate rules apply across both parts.
 */
int ike_message_parse_inner(struct ike_message *msg, const uint8_t *plain,
			    size_t len, struct ike_error *err);

/* First payload of @type, or NULL. */
const struct ike_payload *ike_message_find(const struct ike_message *msg,
					   uint8_t type);

/* First Notify payload of @notify_type, or NULL. */
const struct ike_payload *ike_message_find_notify(const struct ike_message *msg,
						  uint16_t notify_type);

/* Name for logs: "SA", "Notify", ..., or NULL for unknown types. */
const char *ike_payload_name(uint8_t type);

/*
 * Builder. Two modes: a whole message (header first), or a bare payload
 * chain to be encrypted into an SK payload. Each append writes the generic
 * header, patches the previous Next Payload field (or the IKE header's) and
 * the payload length. Failures are sticky: build calls return -1 and
 * ike_builder_finish() reports the first failure.
 */
struct ike_builder {
	uint8_t *buf;
	size_t cap;
	size_t len;
	bool has_header;
	/* offset of the Next Payload byte to patch with the next payload type */
	size_t next_field;
	bool have_next_field;
	/* chain mode: the type of the first payload, for the SK header */
	uint8_t first_payload;
	/* an Encrypted payload was added: it must stay the last one */
	bool closed;
	bool failed;
	struct ike_error err;
};

void ike_builder_init_message(struct ike_builder *b, uint8_t *buf, size_t cap,
			      const struct ike_header *hdr);
void ike_builder_init_chain(struct ike_builder *b, uint8_t *buf, size_t cap);

/* Finish: fix the header's Length; @len gets the total size. */
int ike_builder_finish(struct ike_builder *b, size_t *len, struct ike_error *err);

int ike_build_sa(struct ike_builder *b, const struct ike_proposal *proposals,
		 size_t num_proposals);
int ike_build_ke(struct ike_builder *b, uint16_t group, const uint8_t *data,
		 size_t len);
/* @payload_type is IKE_PAYLOAD_IDI or IKE_PAYLOAD_IDR. */
int ike_build_id(struct ike_builder *b, uint8_t payload_type, uint8_t id_type,
		 const uint8_t *data, size_t len);
/* @payload_type is IKE_PAYLOAD_CERT or IKE_PAYLOAD_CERTREQ. */
int ike_build_cert(struct ike_builder *b, uint8_t payload_type,
		   uint8_t encoding, const uint8_t *data, size_t len);
int ike_build_auth(struct ike_builder *b, uint8_t method, const uint8_t *data,
		   size_t len);
int ike_build_nonce(struct ike_builder *b, const uint8_t *data, size_t len);
int ike_build_notify(struct ike_builder *b, uint8_t protocol, uint8_t spi_size,
		     uint64_t spi, uint16_t type, const uint8_t *data,
		     size_t len);
/* @spis holds @num_spis SPIs of @spi_size bytes each, as on the wire. */
int ike_build_delete(struct ike_builder *b, uint8_t protocol, uint8_t spi_size,
		     uint16_t num_spis, const uint8_t *spis);
int ike_build_vendor(struct ike_builder *b, const uint8_t *data, size_t len);
/* @payload_type is IKE_PAYLOAD_TSI or IKE_PAYLOAD_TSR. */
int ike_build_ts(struct ike_builder *b, uint8_t payload_type,
		 const struct ike_ts *ts, size_t num_ts);
/* Any payload from its body, e.g. to test how unknown payloads are handled. */
int ike_build_raw(struct ike_builder *b, uint8_t type, bool critical,
		  const uint8_t *body, size_t len);
/*
 * Append @p, a payload of the parsed @msg, encoded again from its decoded
 * form (not copied): what the builder makes of what the parser understood.
 * Attributes and selectors the parser skipped are not reproduced.
 */
int ike_build_parsed(struct ike_builder *b, const struct ike_message *msg,
		     const struct ike_payload *p);
/*
 * Encrypted payload: write its generic header naming @inner_next_payload and
 * reserve @body_len bytes (see ike_sk_body_len() in crypto.h) for the
 * encryption to fill after ike_builder_finish(). @header_offset gets the
 * offset of the SK generic header, which ike_sk_encrypt() needs.
 */
int ike_build_sk(struct ike_builder *b, uint8_t inner_next_payload,
		 size_t body_len, size_t *header_offset);

#endif /* IKE_PAYLOAD_H */
