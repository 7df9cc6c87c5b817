/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Key material for VESP_CMD_SA_NEW.
 *
 * Keys are given as hex on the command line, or better as "@FILE" or "-"
 * (standard input) holding hex, so they do not show in ps. They live in
 * fixed buffers that are wiped with explicit_bzero once the request is
 * built; no error message ever contains key bytes.
 */
#ifndef VESP_LIB_KEY_H
#define VESP_LIB_KEY_H

#include <stddef.h>
#include <stdint.h>

#include "algorithm.h"
#include "error.h"

#define VESP_KEY_MAX_LEN 64

struct vesp_key {
	size_t len;
	uint8_t bytes[VESP_KEY_MAX_LEN];
};

struct vesp_sa_keys {
	struct vesp_key enc;
	struct vesp_key auth;
};

/*
 * Decode @hex (optionally "0x"-prefixed; whitespace between digits is
 * skipped) into @key. @what names the key in errors ("enc-key").
 */
int vesp_key_from_hex(struct vesp_key *key, const char *hex, size_t hex_len,
		      const char *what, struct vesp_error *err);

/* Like vesp_key_from_hex() on @arg, "@FILE" (read the hex from FILE) or "-" (stdin). */
int vesp_key_from_arg(struct vesp_key *key, const char *arg, const char *what,
		      struct vesp_error *err);

/* Check that @keys have the lengths @alg needs (a missing key has length 0). */
int vesp_key_check_lengths(const struct vesp_sa_keys *keys, const struct vesp_algorithm *alg,
			   struct vesp_error *err);

void vesp_key_wipe(struct vesp_key *key);
void vesp_sa_keys_wipe(struct vesp_sa_keys *keys);

#endif /* VESP_LIB_KEY_H */
