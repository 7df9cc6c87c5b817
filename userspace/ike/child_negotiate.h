/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Negotiating one Child SA inside an exchange (IKE_AUTH §1.2, and later
 * CREATE_CHILD_SA §1.3): SA proposals, TSi and TSr one way, the chosen
 * proposal and narrowed selectors back, then keys and installation. Shared
 * by every task that creates a Child SA.
 *
 *   SA(ESP, SPI), TSi, TSr  -->
 *                           <--  SA(chosen, SPI), TSi', TSr'
 */
#ifndef IKE_CHILD_NEGOTIATE_H
#define IKE_CHILD_NEGOTIATE_H

#include "child.h"
#include "error.h"
#include "payload.h"
#include "sa.h"

struct ike_child_exchange {
	struct ike_child_sa child;	/* SPIs and suite, once agreed */
	struct ike_proposal chosen;	/* responder: what goes back */
	size_t num_tsi, num_tsr;
	struct ike_ts tsi[IKE_MAX_TS], tsr[IKE_MAX_TS];
	uint16_t error;		/* responder: the Notify refusing the child */
	bool initiator;		/* we sent the request: KEYMAT's first keys are ours */
};

/*
 * @in_auth: the exchange is IKE_AUTH, whose child runs no key exchange of
 * its own (§1.2): KE transforms are left out of what is offered and
 * answered, and ignored in what is received, so a child configured with
 * PFS is made without it there (and with it by CREATE_CHILD_SA).
 */

/* Initiator: draw our SPI and add SA, TSi, TSr. */
int ike_child_offer(struct ike_sa *sa, struct ike_child_exchange *x, bool in_auth,
		    struct ike_builder *b, struct ike_error *err);

/*
 * Responder: choose a proposal and narrow the selectors of @req; on
 * failure x->error names the Notify for the answer (NO_PROPOSAL_CHOSEN,
 * TS_UNACCEPTABLE) and -1 is returned.
 */
int ike_child_choose(struct ike_sa *sa, struct ike_child_exchange *x,
		     const struct ike_message *req, bool in_auth,
		     struct ike_error *err);

/* Responder: SA, TSi, TSr of what was chosen, or the refusing Notify. */
int ike_child_answer(const struct ike_child_exchange *x, struct ike_builder *b);

/* Initiator: check the responder's choice against what we offered. */
int ike_child_check(struct ike_sa *sa, struct ike_child_exchange *x,
		    const struct ike_message *resp, bool in_auth,
		    struct ike_error *err);

/*
 * Both: derive the keys from SK_d and the nonces (and @shared, with PFS),
 * install them through sa->deps->kernel, the outbound SA active when
 * @activate, and keep the child in @sa (returned, or NULL on failure).
 */
struct ike_child_sa *ike_child_establish(struct ike_sa *sa,
					 struct ike_child_exchange *x,
					 struct ike_chunk shared, struct ike_chunk ni,
					 struct ike_chunk nr, bool activate,
					 struct ike_error *err);

/*
 * Initiator: the responder made the child of @x, but we cannot take it
 * (unacceptable selectors, the module refused it): keep its SPIs, marked
 * for a Delete so the peer removes its half too (§1.4.1).
 */
void ike_child_reject(struct ike_sa *sa, const struct ike_child_exchange *x);

/* Make a STANDBY child's outbound SA the active one. */
int ike_child_activate(struct ike_sa *sa, struct ike_child_sa *child,
		       struct ike_error *err);

/*
 * Remove @child from the module (outbound first, so nothing new goes out
 * under a dying SA) and free its slot.
 */
void ike_child_remove(struct ike_sa *sa, struct ike_child_sa *child);

/* Remove only the outbound SA: replaced by an active new one. */
void ike_child_remove_outbound(struct ike_sa *sa, struct ike_child_sa *child);

#endif /* IKE_CHILD_NEGOTIATE_H */
