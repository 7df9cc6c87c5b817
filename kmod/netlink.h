/* SPDX-License-Identifier: GPL-2.0 */
/*
 * vesp generic netlink family "vesp".
 */
#ifndef _VESP_NETLINK_H
#define _VESP_NETLINK_H

#include <linux/types.h>

struct vesp_device;
struct vesp_path;
struct vesp_peer;
struct vesp_sa;
union vesp_addr;

int vesp_nl_init(void);
void vesp_nl_uninit(void);
void vesp_nl_notify_sa_expire(struct vesp_device *vesp, struct vesp_sa *sa,
			      u8 reason);
void vesp_nl_notify_acquire(struct vesp_device *vesp, struct vesp_peer *peer);
void vesp_nl_notify_path(struct vesp_peer *peer, struct vesp_path *path,
			 u8 event, u32 prev_id,
			 const union vesp_addr *prev_remote);

#endif /* _VESP_NETLINK_H */
