/* SPDX-License-Identifier: GPL-2.0 */
/*
 * vesp transmit path.
 */
#ifndef _VESP_SEND_H
#define _VESP_SEND_H

struct sk_buff;
struct vesp_device;
struct vesp_path;
struct vesp_sa;

void vesp_send(struct vesp_device *vesp, struct sk_buff *skb);
int vesp_send_probe(struct vesp_device *vesp, struct vesp_sa *sa,
		    struct vesp_path *path, const void *payload,
		    unsigned int len);

#endif /* _VESP_SEND_H */
