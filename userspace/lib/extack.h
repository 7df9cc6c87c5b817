/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Extended ACK: the kernel's error (or warning) text for a request.
 *
 * libnl 3.7 does not parse it, so libvesp reads the NLMSGERR_ATTR_* TLVs
 * itself from NLMSG_ERROR (after the echoed request, which is absent when
 * NLM_F_CAPPED is set) and from NLMSG_DONE (after the error code).
 */
#ifndef VESP_LIB_EXTACK_H
#define VESP_LIB_EXTACK_H

#include <linux/netlink.h>

#include "error.h"

/*
 * Read the error code of the NLMSG_ERROR or NLMSG_DONE message @hdr into
 * *@errnum (positive, 0 for success) and its extended ACK, if any, into
 * @err->kernel_message and @err->kernel_missing_attr. -1 when @hdr is
 * malformed (too short, or an error code that is no negative errno).
 */
int vesp_extack_parse(const struct nlmsghdr *hdr, int *errnum, struct vesp_error *err);

#endif /* VESP_LIB_EXTACK_H */
