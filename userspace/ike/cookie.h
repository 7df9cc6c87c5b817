/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The responder's side of cookies (RFC 7296 §2.6): under load, an
 * IKE_SA_INIT request is answered with N(COOKIE) and no state at all, and
 * only a request returning the cookie may create an IKE SA. The cookie
 *
 *   Cookie = <VersionIDofSecret> | SHA-256(Ni | IPi | SPIi | <secret>)
 *
 * proves the initiator receives at its address. The secret is rotated now
 * and then; cookies of the previous secret stay valid until the next turn.
 */
#ifndef IKE_COOKIE_H
#define IKE_COOKIE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "chunk.h"
#include "error.h"
#include "payload.h"
#include "sa.h"

#define IKE_COOKIE_SECRET_LEN 32
#define IKE_COOKIE_LEN (4 + 32)

struct ike_cookie_secret {
	uint32_t version;
	uint8_t secret[IKE_COOKIE_SECRET_LEN];
	bool have_previous;
	uint32_t previous_version;
	uint8_t previous[IKE_COOKIE_SECRET_LEN];
};

/* A new secret from @deps; the current one becomes the previous. */
int ike_cookie_rotate(struct ike_cookie_secret *s, const struct ike_deps *deps,
		      struct ike_error *err);

/* Wipe both secrets. */
void ike_cookie_clear(struct ike_cookie_secret *s);

enum ike_cookie_verdict {
	IKE_COOKIE_ACCEPT,	/* go on: create the IKE SA */
	IKE_COOKIE_CHALLENGE,	/* answer with ike_cookie_build_challenge() */
	IKE_COOKIE_DROP,	/* malformed: no answer */
};

/*
 * Judge the IKE_SA_INIT request @req from address @ipi: a request without
 * a cookie passes unless @under_load; one with a cookie passes only if the
 * cookie is ours and current, else it gets a fresh one.
 */
enum ike_cookie_verdict ike_cookie_check(const struct ike_cookie_secret *s,
					 const struct ike_message *req,
					 struct ike_chunk ipi, bool under_load);

/* The response HDR(SPIi, 0), N(COOKIE) to @req, into @out. */
int ike_cookie_build_challenge(const struct ike_cookie_secret *s,
			       const struct ike_message *req, struct ike_chunk ipi,
			       uint8_t *out, size_t cap, size_t *len,
			       struct ike_error *err);

#endif /* IKE_COOKIE_H */
