/* SPDX-License-Identifier: GPL-2.0 */
/*
 * NAT detection (RFC 7296 §2.23): in IKE_SA_INIT each end sends
 * NAT_DETECTION_SOURCE_IP and NAT_DETECTION_DESTINATION_IP, each the SHA-1
 * of the header's SPIs (as the message carries them: the responder's is 0
 * in the request) followed by an address and port as this end sees them:
 *
 *   SHA-1(SPIi | SPIr | IP address | port)
 *
 * The receiver hashes the addresses the message travelled between: a
 * DESTINATION_IP that does not match our address means a NAT in front of
 * us, no SOURCE_IP matching the peer's address a NAT in front of it.
 *
 * Only detected and reported: vesp has no UDP encapsulation of ESP
 * (RFC 3948), so nothing floats to port 4500.
 */
#ifndef IKE_NAT_H
#define IKE_NAT_H

#include <stdbool.h>
#include <stdint.h>

#include "error.h"
#include "payload.h"

#define IKE_NAT_HASH_LEN 20	/* SHA-1 */

/* One end of the IKE traffic: family 0 when unknown (no NAT detection). */
struct ike_endpoint {
	uint8_t family;		/* AF_INET or AF_INET6 */
	uint8_t addr[16];	/* 4 bytes used for IPv4 */
	uint16_t port;		/* host order */
};

/* What a peer's notifies told us; both false until it sent them. */
struct ike_nat_state {
	bool checked;		/* the peer sent NAT detection notifies */
	bool local;		/* our end is behind a NAT */
	bool remote;		/* the peer is */
};

/* SHA-1(@spi_i | @spi_r | @ep's address | @ep's port). */
int ike_nat_hash(uint64_t spi_i, uint64_t spi_r, const struct ike_endpoint *ep,
		 uint8_t *out, struct ike_error *err);

/*
 * Add our two notifies for a message whose header carries @spi_i and
 * @spi_r, sent from @local to @remote. Nothing when either is unknown.
 */
int ike_nat_build(struct ike_builder *b, uint64_t spi_i, uint64_t spi_r,
		  const struct ike_endpoint *local, const struct ike_endpoint *remote,
		  struct ike_error *err);

/*
 * Check the peer's notifies in @msg, which came from @remote to @local;
 * @state says what they show. A message without them leaves @state alone;
 * a malformed one (a hash of the wrong length, a DESTINATION_IP twice) is
 * INVALID_SYNTAX. Nothing is checked when @local or @remote is unknown.
 */
int ike_nat_check(const struct ike_message *msg, const struct ike_endpoint *local,
		  const struct ike_endpoint *remote, struct ike_nat_state *state,
		  struct ike_error *err);

#endif /* IKE_NAT_H */
