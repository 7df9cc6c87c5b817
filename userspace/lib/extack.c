// SPDX-License-Identifier: GPL-2.0
/* Extended ACK parsing: see extack.h. */
#include "extack.h"

#include <netlink/attr.h>
#include <netlink/msg.h>
#include <string.h>

/* The largest errno a kernel sends (include/linux/err.h). */
#define MAX_ERRNO 4095

static struct nla_policy extack_policy[NLMSGERR_ATTR_MAX + 1] = {
	[NLMSGERR_ATTR_MSG]	  = { .type = NLA_STRING },
	[NLMSGERR_ATTR_OFFS]	  = { .type = NLA_U32 },
	[NLMSGERR_ATTR_MISS_TYPE] = { .type = NLA_U32 },
	[NLMSGERR_ATTR_MISS_NEST] = { .type = NLA_U32 },
};

int vesp_extack_parse(const struct nlmsghdr *hdr, int *errnum, struct vesp_error *err)
{
	struct nlattr *tb[NLMSGERR_ATTR_MAX + 1];
	const unsigned char *data = NLMSG_DATA(hdr);
	size_t len = hdr->nlmsg_len, payload;
	int code;

	if (len < NLMSG_HDRLEN)
		return -1;
	if (hdr->nlmsg_type == NLMSG_ERROR) {
		const struct nlmsgerr *nlerr = NLMSG_DATA(hdr);

		if (len < NLMSG_HDRLEN + sizeof(*nlerr))
			return -1;
		code = nlerr->error;
		payload = sizeof(*nlerr);
		if (!(hdr->nlmsg_flags & NLM_F_CAPPED)) {
			/* the whole request is echoed after the error code */
			if (nlerr->msg.nlmsg_len < NLMSG_HDRLEN)
				return -1;
			payload += nlerr->msg.nlmsg_len - NLMSG_HDRLEN;
		}
	} else if (hdr->nlmsg_type == NLMSG_DONE) {
		/* old kernels send an empty NLMSG_DONE */
		code = 0;
		if (len >= NLMSG_HDRLEN + sizeof(int))
			memcpy(&code, data, sizeof(code));
		payload = sizeof(int);
	} else {
		return -1;
	}
	/* the kernel sends 0 or a negative errno; anything else is malformed */
	if (code > 0 || code < -MAX_ERRNO)
		return -1;
	*errnum = -code;

	if (!(hdr->nlmsg_flags & NLM_F_ACK_TLVS))
		return 0;
	payload = NLMSG_ALIGN(NLMSG_HDRLEN + payload);
	if (payload > len)
		return -1;
	if (nla_parse(tb, NLMSGERR_ATTR_MAX, (struct nlattr *)((unsigned char *)hdr + payload),
		      (int)(len - payload), extack_policy) < 0)
		return -1;
	if (err && tb[NLMSGERR_ATTR_MSG])
		nla_strlcpy(err->kernel_message, tb[NLMSGERR_ATTR_MSG],
			    sizeof(err->kernel_message));
	if (err && tb[NLMSGERR_ATTR_MISS_TYPE])
		err->kernel_missing_attr = nla_get_u32(tb[NLMSGERR_ATTR_MISS_TYPE]);
	return 0;
}
