/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Reading replies and notifications of the vesp family into the data model.
 *
 * Every message merges into a device list: the device is found by ifindex
 * (or name), the peer by id, paths by id and SAs by direction and SPI, so a
 * dump whose objects come split over several messages adds up to one
 * picture. Key attributes, should a reply ever carry one, are ignored.
 * Attributes this program does not know are skipped, so newer kernels work.
 */
#ifndef VESP_LIB_REPLY_H
#define VESP_LIB_REPLY_H

#include <linux/netlink.h>
#include <stdint.h>

#include "error.h"
#include "model.h"

/* Merge the genl message @hdr into @list. -1 on malformed input or no memory. */
int vesp_reply_parse(const struct nlmsghdr *hdr, struct vesp_dev_list *list,
		     struct vesp_error *err);

/*
 * Merge @hdr, the answer to a request about @dev, into @dev whatever device
 * attributes it carries.
 */
int vesp_reply_parse_dev(const struct nlmsghdr *hdr, struct vesp_dev_info *dev,
			 struct vesp_error *err);

/* A notification from the "events" multicast group. */
struct vesp_event {
	uint8_t cmd;	/* VESP_CMD_SA_EXPIRE_NTF, VESP_CMD_ACQUIRE_NTF, ... */
	/* one device holding the one peer (and SA) the notification is about */
	struct vesp_dev_list devs;
};

/* Read the notification @hdr into @event (free with vesp_event_free()). */
int vesp_event_parse(const struct nlmsghdr *hdr, struct vesp_event *event,
		     struct vesp_error *err);

void vesp_event_free(struct vesp_event *event);

/*
 * "expire" for VESP_CMD_SA_EXPIRE_NTF, "acquire" for VESP_CMD_ACQUIRE_NTF,
 * "path" for VESP_CMD_PATH_NTF, else "unknown".
 */
const char *vesp_event_name(uint8_t cmd);

#endif /* VESP_LIB_REPLY_H */
