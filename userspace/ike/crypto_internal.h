/* SPDX-License-Identifier: GPL-2.0 */
/* Helpers shared by the crypto_*.c files; not part of the library API. */
#ifndef IKE_CRYPTO_INTERNAL_H
#define IKE_CRYPTO_INTERNAL_H

#include <stdint.h>

#include "error.h"

/*
 * Report a failed OpenSSL call as "func: what: <openssl reason>" and empty
 * OpenSSL's error queue, so a later failure is not blamed on this one.
 */
int ike_crypto_fail(struct ike_error *err, uint16_t notify, const char *func,
		    const char *what);

#endif /* IKE_CRYPTO_INTERNAL_H */
