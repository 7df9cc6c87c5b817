/* SPDX-License-Identifier: GPL-2.0 */
/*
 * MOBIKE (RFC 4555): what both ends keep about it and the address lists
 * they tell each other. An end that supports it says MOBIKE_SUPPORTED in
 * IKE_AUTH; once both have, the original initiator may move the IKE SA
 * and its Child SAs to other addresses with UPDATE_SA_ADDRESSES in an
 * INFORMATIONAL, without a rekey (the exchange is task_mobike.c).
 *
 * Each end may list its addresses other than the one in use, as
 * ADDITIONAL_IP4_ADDRESS and ADDITIONAL_IP6_ADDRESS notifies, or say
 * NO_ADDITIONAL_ADDRESSES; a list replaces the one before it (§3.6).
 */
#ifndef IKE_MOBIKE_H
#define IKE_MOBIKE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "error.h"
#include "nat.h"
#include "payload.h"

/* Notify types of RFC 4555 (IANA "IKEv2 Notify Message Types"). */
enum ike_mobike_notify {
	IKE_N_UNACCEPTABLE_ADDRESSES = 40,
	IKE_N_UNEXPECTED_NAT_DETECTED = 41,
	IKE_N_ADDITIONAL_IP4_ADDRESS = 16397,
	IKE_N_ADDITIONAL_IP6_ADDRESS = 16398,
	IKE_N_NO_ADDITIONAL_ADDRESSES = 16399,
	IKE_N_UPDATE_SA_ADDRESSES = 16400,
	IKE_N_COOKIE2 = 16401,
	IKE_N_NO_NATS_ALLOWED = 16402,
};

/* A peer may list more; the first ones are kept, as strongSwan sends at most 8. */
#define IKE_MOBIKE_MAX_ADDRS 8
#define IKE_COOKIE2_LEN 16	/* what we send; §3.7: 8 to 64 bytes */
#define IKE_COOKIE2_MIN_LEN 8
#define IKE_COOKIE2_MAX_LEN 64

struct ike_mobike_state {
	bool enabled;		/* both ends said MOBIKE_SUPPORTED */
	bool peer_addrs_known;	/* the peer sent a list */
	size_t num_peer_addrs;	/* its addresses besides the one in use */
	struct ike_endpoint peer_addrs[IKE_MOBIKE_MAX_ADDRS];	/* ports 0 */
};

/* Same family and address; ports are not compared. */
bool ike_endpoint_same_addr(const struct ike_endpoint *a, const struct ike_endpoint *b);

/* Same family, address and port. */
bool ike_endpoint_equal(const struct ike_endpoint *a, const struct ike_endpoint *b);

/*
 * Our address list: each of @addrs but @in_use as an ADDITIONAL_*_ADDRESS
 * notify, or NO_ADDITIONAL_ADDRESSES when that leaves none.
 */
int ike_mobike_build_addresses(struct ike_builder *b, const struct ike_endpoint *addrs,
			       size_t num_addrs, const struct ike_endpoint *in_use,
			       struct ike_error *err);

/*
 * The peer's address list in @msg into @st, replacing what it had: 1 when
 * @msg carries one, 0 when not (@st unchanged), -1 for a malformed one
 * (INVALID_SYNTAX: an address of the wrong length, or addresses with
 * NO_ADDITIONAL_ADDRESSES).
 */
int ike_mobike_parse_addresses(const struct ike_message *msg,
			       struct ike_mobike_state *st, struct ike_error *err);

/* Whether @msg says MOBIKE_SUPPORTED. */
bool ike_mobike_announced(const struct ike_message *msg);

#endif /* IKE_MOBIKE_H */
