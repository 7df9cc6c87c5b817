/* SPDX-License-Identifier: GPL-2.0 */
/*
 * vesp SA lifetimes: soft and hard limits, and their events.
 */
#ifndef _VESP_LIFETIME_H
#define _VESP_LIFETIME_H

struct work_struct;

void vesp_lifetime_work(struct work_struct *work);

#endif /* _VESP_LIFETIME_H */
