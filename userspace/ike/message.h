/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Whole messages of a keyed IKE SA: every exchange after IKE_SA_INIT
 * carries its payloads inside the Encrypted payload (§3.14). Sealing turns
 * a payload chain into a protected datagram; opening checks and decrypts
 * one and parses what was inside.
 */
#ifndef IKE_MESSAGE_H
#define IKE_MESSAGE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "error.h"
#include "payload.h"
#include "sa.h"

#define IKE_MESSAGE_MAX_LEN 4096

/*
 * Put the payload chain @chain (built with ike_builder_init_chain) into an
 * Encrypted payload behind @hdr, protected with our keys and a fresh IV.
 */
int ike_message_seal(struct ike_sa *sa, const struct ike_header *hdr,
		     struct ike_builder *chain, uint8_t *out, size_t cap,
		     size_t *out_len, struct ike_error *err);

/*
 * Parse @buf, check and decrypt its Encrypted payload with the peer's keys
 * into @plain (@cap bytes, which must outlive @msg) and parse the inner
 * payloads. A message without an Encrypted payload is refused, and so is
 * one failing its integrity check (@err->notify 0: drop it silently).
 * @authentic (may be NULL) says whether the integrity check passed: only
 * then does a failure deserve an answer (§2.21.2).
 */
int ike_message_open(struct ike_sa *sa, struct ike_message *msg,
		     const uint8_t *buf, size_t len, uint8_t *plain, size_t cap,
		     bool *authentic, struct ike_error *err);

#endif /* IKE_MESSAGE_H */
