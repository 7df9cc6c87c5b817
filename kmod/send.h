/* SPDX-License-Identifier: GPL-2.0 */
/*
 * vesp transmit path.
 */
#ifndef _VESP_SEND_H
#define _VESP_SEND_H

struct sk_buff;
struct vesp_device;

void vesp_send(struct vesp_device *vesp, struct sk_buff *skb);

#endif /* _VESP_SEND_H */
