// SPDX-License-Identifier: GPL-2.0
/* Reading the kernel's state: see fetch.h. */
#include "fetch.h"

#include <errno.h>

#include <netlink/netlink.h>

#include "reply.h"
#include "request.h"

static int on_dev_list_reply(const struct nlmsghdr *hdr, void *list, struct vesp_error *err)
{
	return vesp_reply_parse(hdr, list, err);
}

static int on_dev_reply(const struct nlmsghdr *hdr, void *dev, struct vesp_error *err)
{
	return vesp_reply_parse_dev(hdr, dev, err);
}

static int request_devices(struct vesp_nl *nl, const char *ifname, struct vesp_dev_list *list,
			   struct vesp_error *err)
{
	struct vesp_dev_ref dev = { .ifname = ifname };
	struct nl_msg *msg;

	msg = vesp_nl_request(nl, VESP_CMD_DEV_GET, ifname ? 0 : NLM_F_DUMP);
	if (!msg || (ifname && vesp_request_put_dev(msg, &dev))) {
		vesp_request_free(msg);
		return vesp_error_set(err, ENOMEM, "out of memory");
	}
	return vesp_nl_transact(nl, msg, on_dev_list_reply, list, err);
}

/* One request about @dev, its answer merged into @dev. */
static int request_about(struct vesp_nl *nl, struct vesp_dev_info *dev, uint8_t cmd, int flags,
			 struct vesp_error *err)
{
	struct vesp_dev_ref ref = { .ifindex = dev->ifindex, .ifname = dev->ifname };
	struct nl_msg *msg = vesp_nl_request(nl, cmd, flags);

	if (!msg || vesp_request_put_dev(msg, &ref)) {
		vesp_request_free(msg);
		return vesp_error_set(err, ENOMEM, "out of memory");
	}
	return vesp_nl_transact(nl, msg, on_dev_reply, dev, err);
}

int vesp_fetch(struct vesp_nl *nl, const char *ifname, unsigned int what,
	       struct vesp_dev_list *list, struct vesp_error *err)
{
	size_t i;

	if (request_devices(nl, ifname, list, err))
		return -1;
	/* by index: the answers only ever touch the device they are about */
	for (i = 0; i < list->n_devs; i++) {
		struct vesp_dev_info *dev = &list->devs[i];

		if ((what & VESP_FETCH_PEERS) &&
		    request_about(nl, dev, VESP_CMD_PEER_GET, NLM_F_DUMP, err))
			return -1;
		if ((what & VESP_FETCH_SAS) &&
		    request_about(nl, dev, VESP_CMD_SA_GET, NLM_F_DUMP, err))
			return -1;
		if ((what & VESP_FETCH_STATS) &&
		    request_about(nl, dev, VESP_CMD_STATS_GET, 0, err))
			return -1;
	}
	return 0;
}
