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

#include "crypto.h"
#include "error.h"
#include "payload.h"
#include "proposal.h"

#define IKE_NONCE_LEN 32	/* §2.10: at least half the PRF key size */
#define IKE_NONCE_MAX_LEN 256

/* The outside world of an IKE SA, replaceable by mocks. */
struct ike_deps {
	int (*random)(void *ctx, uint8_t *buf, size_t len, struct ike_error *err);
	struct ike_dh *(*dh_create)(void *ctx, uint16_t group, struct ike_error *err);
	void *ctx;
};

/* ike_random() and ike_dh_generate(). */
extern const struct ike_deps ike_default_deps;

struct ike_sa_config {
	size_t num_proposals;
	struct ike_proposal proposals[IKE_MAX_PROPOSALS];	/* IKE, numbered 1.. */
};

enum ike_sa_state {
	IKE_SA_STATE_CREATED,	/* nothing exchanged yet */
	IKE_SA_STATE_KEYED,	/* IKE_SA_INIT done: SK_* derived */
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

/*
 * SKEYSEED from g^ir and the nonces, then SK_* with both SPIs (§2.14); the
 * shared secret and SKEYSEED are wiped, the key exchange freed.
 */
int ike_sa_derive_keys(struct ike_sa *sa, struct ike_chunk peer_ke,
		       struct ike_error *err);

#endif /* IKE_SA_H */
