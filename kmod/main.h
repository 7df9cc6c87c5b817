/* SPDX-License-Identifier: GPL-2.0 */
/*
 * vesp: what the module's parts share.
 */
#ifndef _VESP_MAIN_H
#define _VESP_MAIN_H

#include <linux/workqueue.h>

/*
 * Work that must finish before the module goes: freeing SAs, applying
 * lifetimes. Destroyed (and so drained) on module exit.
 */
extern struct workqueue_struct *vesp_wq;

#endif /* _VESP_MAIN_H */
