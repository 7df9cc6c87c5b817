/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Reading the kernel's state into the data model: the requests behind
 * "vesp show", "vesp sa list" and "vesp stats".
 */
#ifndef VESP_LIB_FETCH_H
#define VESP_LIB_FETCH_H

#include "error.h"
#include "ipc.h"
#include "model.h"

enum vesp_fetch_what {
	VESP_FETCH_PEERS = 1 << 0,	/* peers with prefixes, paths and SAs */
	VESP_FETCH_SAS	 = 1 << 1,	/* SAs only (VESP_CMD_SA_GET dump) */
	VESP_FETCH_STATS = 1 << 2,	/* drop counters */
};

/*
 * Fill @list with the device @ifname, or every vesp device of the netns
 * when @ifname is NULL, and what @what asks for about each.
 */
int vesp_fetch(struct vesp_nl *nl, const char *ifname, unsigned int what,
	       struct vesp_dev_list *list, struct vesp_error *err);

#endif /* VESP_LIB_FETCH_H */
