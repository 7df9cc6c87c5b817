/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Child SAs (RFC 7296 §2.17, §1.3): the ESP proposal negotiated for one
 * pair of SPIs, its keys split into the module's inbound and outbound SAs,
 * and the traffic selectors agreed on.
 */
#ifndef IKE_CHILD_H
#define IKE_CHILD_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "crypto.h"
#include "error.h"
#include "kernel.h"
#include "payload.h"
#include "proposal.h"

enum ike_child_state {
	IKE_CHILD_FREE,		/* slot unused */
	IKE_CHILD_INSTALLED,	/* both SAs in the module, outbound active */
	IKE_CHILD_STANDBY,	/* both installed, outbound not yet active */
	IKE_CHILD_REKEYED,	/* replaced: inbound kept until deleted */
	IKE_CHILD_REDUNDANT,	/* lost a rekey collision (§2.8.1): to delete */
};

#define IKE_CHILD_NONCE_MAX 256

struct ike_child_sa {
	enum ike_child_state state;
	uint32_t spi_in;	/* ours: the peer sends with it */
	uint32_t spi_out;	/* the peer's */
	struct ike_suite suite;
	uint32_t replaces;	/* the spi_in of the child this one rekeys, or 0 */
	bool out_removed;	/* the outbound SA is gone from the module */
	bool not_installed;	/* the peer's half only: nothing of ours in the module */
	bool delete_by_us;	/* we send its Delete (§2.8: the rekey's winner) */
	bool delete_queued;
	bool rekeying;		/* a rekey of ours is out for this child */
	/* the peer rekeyed this child while ours was out: its exchange's lowest nonce */
	bool collided;
	size_t peer_nonce_len;
	uint8_t peer_nonce[IKE_CHILD_NONCE_MAX];
	uint32_t peer_new_spi;	/* spi_in of the child the peer's rekey made */
};

/*
 * Whether the module can run @suite (AES-GCM-16 128/256, ChaCha20-Poly1305,
 * AES-CBC 128/256 with HMAC-SHA2-256-128), so configured ESP proposals can
 * be checked before anything is offered.
 */
bool ike_child_suite_supported(const struct ike_suite *suite);

/* A fresh inbound SPI, never below 256 (reserved, RFC 4303 §2.1). */
struct ike_deps;
int ike_child_new_spi(const struct ike_deps *deps, uint32_t *spi,
		      struct ike_error *err);

/*
 * Split @keys into the two kernel SAs of @child: we encrypt with the keys
 * of our direction (initiator→responder is "_i", §2.17) under the peer's
 * SPI, and decrypt the other direction under ours.
 */
int ike_child_kernel_sas(const struct ike_child_sa *child,
			 const struct ike_child_keys *keys, bool initiator,
			 struct ike_kernel_sa *in, struct ike_kernel_sa *out,
			 struct ike_error *err);

/*
 * Install @child's keys: inbound first, then outbound, made active at once
 * when @activate (else later with sa_activate).
 */
int ike_child_install(const struct ike_kernel *kernel, uint32_t peer_id,
		      const struct ike_child_sa *child,
		      const struct ike_child_keys *keys, bool initiator,
		      bool activate, struct ike_error *err);

/*
 * Order of nonces for §2.8.1: bytewise, a shorter nonce before a longer one
 * it is a prefix of. Negative, 0 or positive as memcmp.
 */
int ike_nonce_cmp(const uint8_t *a, size_t a_len, const uint8_t *b, size_t b_len);

/*
 * The lower of an exchange's two nonces. Of two colliding rekeys, the one
 * whose lower nonce is the lower made the redundant SA: of a child
 * (§2.8.1) or of the IKE SA (§2.8.2).
 */
struct ike_chunk ike_nonce_lower(struct ike_chunk ni, struct ike_chunk nr);

/*
 * Narrow the peer's proposed selectors @proposed to what @local allows
 * (§2.9): each pair of selectors of the same type gives its intersection.
 * Returns the number written to @out (0: TS_UNACCEPTABLE).
 */
size_t ike_ts_narrow(const struct ike_ts *local, size_t num_local,
		     const struct ike_ts *proposed, size_t num_proposed,
		     struct ike_ts *out, size_t cap);

#endif /* IKE_CHILD_H */
