/* SPDX-License-Identifier: GPL-2.0 */
/*
 * vesp device MTU that follows the active paths and SAs.
 */
#ifndef _VESP_MTU_H
#define _VESP_MTU_H

struct vesp_device;

void vesp_mtu_update(struct vesp_device *vesp);

#endif /* _VESP_MTU_H */
