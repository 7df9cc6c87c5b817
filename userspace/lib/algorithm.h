/* SPDX-License-Identifier: GPL-2.0 */
/*
 * ESP transforms as the CLI names them, and the key lengths each needs.
 *
 * The kernel has one number per transform family (enum vesp_sa_alg) and
 * tells AES-128 from AES-256 by the key length, so "aes-gcm-128" and
 * "aes-gcm-256" map to the same number with different key lengths.
 */
#ifndef VESP_LIB_ALGORITHM_H
#define VESP_LIB_ALGORITHM_H

#include <stddef.h>
#include <stdint.h>

struct vesp_algorithm {
	const char *name;	/* "aes-gcm-128" */
	uint32_t alg;		/* enum vesp_sa_alg */
	size_t enc_key_len;	/* bytes of VESP_A_SA_ENC_KEY, salt included; 0: none */
	size_t auth_key_len;	/* bytes of VESP_A_SA_AUTH_KEY; 0: none */
	const char *enc_key_help;	/* what the enc key holds, for errors */
};

/* The algorithm called @name, or NULL. */
const struct vesp_algorithm *vesp_algorithm_by_name(const char *name);

/* The @index-th known algorithm (for usage text), or NULL past the end. */
const struct vesp_algorithm *vesp_algorithm_at(size_t index);

/*
 * The name of the transform family of @alg as replies carry it, without
 * the key size the kernel does not report: "aes-gcm",
 * "chacha20-poly1305", "aes-cbc-hmac-sha256", "null-hmac-sha256"; NULL
 * when unknown.
 */
const char *vesp_algorithm_family_name(uint32_t alg);

#endif /* VESP_LIB_ALGORITHM_H */
