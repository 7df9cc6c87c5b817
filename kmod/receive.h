/* SPDX-License-Identifier: GPL-2.0 */
/*
 * vesp receive path.
 */
#ifndef _VESP_RECEIVE_H
#define _VESP_RECEIVE_H

int vesp_receive_init(void);
void vesp_receive_uninit(void);

#endif /* _VESP_RECEIVE_H */
