/* SPDX-License-Identifier: GPL-2.0 */
/*
 * An IKE SA as the exchanges see it: our role, the SPIs, the negotiated
 * suite, the nonces and key exchange of its IKE_SA_INIT, and its keys.
 * Message IDs, retransmission and sockets belong to the task manager and
 * are not here.
 *
 * Everything random or expensive comes through struct ike_deps, so tests can
 * run two SAs against each other deterministically (fixed nonces, SPIs and
 * DH key pairs), as strongSwan's test suites do.
 */
#ifndef IKE_SA_H
#define IKE_SA_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "cert.h"
#include "child.h"
#include "crypto.h"
#include "error.h"
#include "identity.h"
#include "mobike.h"
#include "nat.h"
#include "payload.h"
#include "proposal.h"

#define IKE_NONCE_LEN 32	/* §2.10: at least half the PRF key size */
#define IKE_NONCE_MAX_LEN 256
#define IKE_MAX_CHILDREN 4	/* one per peer, plus those being replaced */

/* The outside world of an IKE SA, replaceable by mocks. */
struct ike_deps {
	int (*random)(void *ctx, uint8_t *buf, size_t len, struct ike_error *err);
	struct ike_dh *(*dh_create)(void *ctx, uint16_t group, struct ike_error *err);
	void *ctx;
	/* where Child SAs go; NULL: negotiated but installed nowhere */
	const struct ike_kernel *kernel;
};

/* ike_random() and ike_dh_generate(). */
extern const struct ike_deps ike_default_deps;

#define IKE_PSK_MAX_LEN 128

struct ike_sa_config {
	size_t num_proposals;
	struct ike_proposal proposals[IKE_MAX_PROPOSALS];	/* IKE, numbered 1.. */
	/* IKE_AUTH: who we are, whom we expect, the shared key */
	struct ike_identity local_id;
	struct ike_identity remote_id;
	size_t psk_len;
	uint8_t psk[IKE_PSK_MAX_LEN];
	/* or certificates, when cert.enabled */
	struct ike_cert_config cert;
	/* the Child SAs: ESP proposals (numbered 1..) and traffic selectors */
	size_t num_child_proposals;
	struct ike_proposal child_proposals[IKE_MAX_PROPOSALS];
	size_t num_ts_local;
	struct ike_ts ts_local[IKE_MAX_TS];
	size_t num_ts_remote;
	struct ike_ts ts_remote[IKE_MAX_TS];
	/* the vesp peer the Child SAs are installed for */
	uint32_t peer_id;
	/*
	 * MOBIKE (RFC 4555): announced and accepted when set; our addresses
	 * (ports ignored) to offer the peer besides the one in use.
	 */
	bool mobike;
	size_t num_local_addrs;
	struct ike_endpoint local_addrs[IKE_MOBIKE_MAX_ADDRS];
};

/*
 * Route-based defaults: both traffic selector sets 0.0.0.0/0 and ::/0, all
 * protocols and ports; the vesp device's routes decide what enters.
 */
void ike_sa_config_default_ts(struct ike_sa_config *config);

/* Wipe the shared key and the private key. */
void ike_sa_config_clear(struct ike_sa_config *config);

enum ike_sa_state {
	IKE_SA_STATE_CREATED,	/* nothing exchanged yet */
	IKE_SA_STATE_KEYED,	/* IKE_SA_INIT done: SK_* derived */
	IKE_SA_STATE_ESTABLISHED,	/* IKE_AUTH done: peer authenticated */
	IKE_SA_STATE_DELETED,	/* closed by a Delete, either way */
	IKE_SA_STATE_FAILED,
};

struct ike_sa {
	bool initiator;
	enum ike_sa_state state;
	uint64_t spi_i;
	uint64_t spi_r;
	const struct ike_sa_config *config;
	const struct ike_deps *deps;

	struct ike_proposal proposal;	/* the selected one, once keyed */
	struct ike_suite suite;
	uint8_t ni[IKE_NONCE_MAX_LEN];
	size_t ni_len;
	uint8_t nr[IKE_NONCE_MAX_LEN];
	size_t nr_len;
	struct ike_dh *dh;		/* our key exchange, until keys exist */
	struct ike_sa_keys keys;
	struct ike_child_sa children[IKE_MAX_CHILDREN];
	/*
	 * Where IKE_SA_INIT goes between, set by the owner after
	 * ike_sa_create() (unknown: no NAT detection), and what the peer's
	 * NAT detection notifies showed (§2.23).
	 */
	struct ike_endpoint local, remote;
	struct ike_nat_state nat;
	/*
	 * Where the message being processed travelled, set by the task
	 * manager from its owner's socket (unknown: family 0); responses go
	 * back that way (§2.11), and a MOBIKE update moves local and remote
	 * there.
	 */
	struct ike_endpoint msg_local, msg_remote;
	/*
	 * RFC 4555: the end that initiated the first IKE SA decides where the
	 * SAs go, also after the IKE SA is rekeyed by either end.
	 */
	bool original_initiator;
	struct ike_mobike_state mobike;
	/* both IKE_SA_INIT messages as sent, for the AUTH payloads (§2.15) */
	uint8_t *init_request;
	size_t init_request_len;
	uint8_t *init_response;
	size_t init_response_len;
};

/* A fresh SA in @role with our SPI drawn from @deps. */
int ike_sa_create(struct ike_sa *sa, bool initiator,
		  const struct ike_sa_config *config,
		  const struct ike_deps *deps, struct ike_error *err);

/* Wipe keys and nonces, free the key exchange. */
void ike_sa_destroy(struct ike_sa *sa);

/* The header of a message of this SA. */
struct ike_header ike_sa_header(const struct ike_sa *sa, uint8_t exchange,
				bool response, uint32_t message_id);

/* Take @child into a free slot; NULL when every slot is in use. */
struct ike_child_sa *ike_sa_add_child(struct ike_sa *sa,
				      const struct ike_child_sa *child);

/* The child whose inbound (@inbound) or outbound SPI is @spi, or NULL. */
struct ike_child_sa *ike_sa_find_child(struct ike_sa *sa, uint32_t spi,
				       bool inbound);

/* Keep a copy of an IKE_SA_INIT message (replacing an earlier one). */
int ike_sa_keep_init_message(struct ike_sa *sa, bool response,
			     const uint8_t *msg, size_t len,
			     struct ike_error *err);

/*
 * SKEYSEED from g^ir and the nonces, then SK_* with both SPIs (§2.14); the
 * shared secret and SKEYSEED are wiped, the key exchange freed.
 */
int ike_sa_derive_keys(struct ike_sa *sa, struct ike_chunk peer_ke,
		       struct ike_error *err);

/*
 * The keys of @sa, which rekeys @old (§2.18): SKEYSEED = prf(SK_d (old),
 * g^ir (new) | Ni | Nr) with the old PRF, then SK_* as for any IKE SA with
 * the new SPIs and nonces. The Child SAs of @old move to @sa, and so do
 * its addresses, NAT state and MOBIKE state (RFC 4555 roles included).
 */
int ike_sa_derive_rekeyed(struct ike_sa *sa, struct ike_sa *old,
			  struct ike_chunk peer_ke, struct ike_error *err);

#endif /* IKE_SA_H */
