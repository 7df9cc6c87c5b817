/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Building requests of the vesp generic netlink family.
 *
 * Building is separate from sending: a request is an nl_msg made for a
 * family id, filled from the data model, and handed to ipc.h to send, or to
 * a test to parse back. Every builder returns 0, or a negative libnl error
 * (-NLE_NOMEM when the message is full).
 *
 * A request holding keys must be released with vesp_request_free(), which
 * wipes the message buffer before freeing it.
 */
#ifndef VESP_LIB_REQUEST_H
#define VESP_LIB_REQUEST_H

#include <stdint.h>

#include <net/if.h>

#include <linux/genetlink.h>
#include <netlink/msg.h>

#include "key.h"
#include "model.h"

/*
 * The largest request: headers, the device, a peer nest at its largest
 * (an attribute's length is 16 bits) and room for the prefix found to go
 * past it. Every request gets a buffer this size, so a peer with a couple
 * of thousand prefixes fits; libnl's default of one page holds about a
 * hundred.
 */
#define VESP_REQUEST_MAX_SIZE                                                         \
	(NLMSG_HDRLEN + GENL_HDRLEN + NLA_ALIGN(NLA_HDRLEN + IFNAMSIZ) +              \
	 NLA_ALIGN(UINT16_MAX) + 64)

/* How many prefixes of one family a peer nest holds: 28 or 40 bytes each after the id. */
#define VESP_REQUEST_MAX_PREFIXES_V4 ((UINT16_MAX - 12) / 28)
#define VESP_REQUEST_MAX_PREFIXES_V6 ((UINT16_MAX - 12) / 40)

/* A new request for command @cmd of the family numbered @family_id; NULL when out of memory. */
struct nl_msg *vesp_request_new(int family_id, uint8_t cmd, int flags);

/* Wipe and free @msg (which may be NULL). */
void vesp_request_free(struct nl_msg *msg);

/* VESP_A_IFINDEX, or VESP_A_IFNAME when @dev has no ifindex. */
int vesp_request_put_dev(struct nl_msg *msg, const struct vesp_dev_ref *dev);

/*
 * VESP_CMD_DEV_SET: the device, its new fwmark when @set has one, and its
 * flags when @set changes any: @current_flags with @set's applied.
 */
int vesp_request_dev_set(struct nl_msg *msg, const struct vesp_dev_ref *dev,
			 const struct vesp_dev_settings *set, uint32_t current_flags);

/*
 * VESP_CMD_PEER_NEW (NLM_F_REPLACE to replace the prefixes), and
 * VESP_CMD_PEER_SET: the device, then a VESP_A_PEER nest with the peer's
 * id, the liveness settings marked in @peer->present and every prefix.
 * -NLE_ATTRSIZE when the prefixes do not fit the nest's 64 KiB
 * (VESP_REQUEST_MAX_PREFIXES_V4 or _V6 of one family).
 */
int vesp_request_peer(struct nl_msg *msg, const struct vesp_dev_ref *dev,
		      const struct vesp_peer *peer);

/* VESP_CMD_PEER_DEL, VESP_CMD_PEER_GET: the device and a peer nest with only the id. */
int vesp_request_peer_id(struct nl_msg *msg, const struct vesp_dev_ref *dev, uint32_t peer_id);

/*
 * VESP_CMD_PATH_NEW, VESP_CMD_PATH_DEL: a peer nest holding one path nest
 * with the attributes marked in @path->present.
 */
int vesp_request_path(struct nl_msg *msg, const struct vesp_dev_ref *dev, uint32_t peer_id,
		      const struct vesp_path *path);

/*
 * VESP_CMD_SA_NEW, VESP_CMD_SA_SET, VESP_CMD_SA_DEL, VESP_CMD_SA_GET: a
 * peer nest holding one SA nest with the attributes marked in
 * @sa->present, plus the keys of @keys that are not empty (@keys may be
 * NULL). Read-only attributes (counters, age) are never put.
 */
int vesp_request_sa(struct nl_msg *msg, const struct vesp_dev_ref *dev, uint32_t peer_id,
		    const struct vesp_sa *sa, const struct vesp_sa_keys *keys);

#endif /* VESP_LIB_REQUEST_H */
