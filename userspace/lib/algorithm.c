// SPDX-License-Identifier: GPL-2.0
/* ESP transforms and their key lengths: see algorithm.h. */
#include "algorithm.h"

#include <string.h>

#include <linux/vesp.h>

#define SALT_LEN 4

static const struct vesp_algorithm algorithms[] = {
	{ "aes-gcm-128", VESP_SA_ALG_AES_GCM_16, 16 + SALT_LEN, 0,
	  "16-byte key and 4-byte salt" },
	{ "aes-gcm-256", VESP_SA_ALG_AES_GCM_16, 32 + SALT_LEN, 0,
	  "32-byte key and 4-byte salt" },
	{ "chacha20-poly1305", VESP_SA_ALG_CHACHA20_POLY1305, 32 + SALT_LEN, 0,
	  "32-byte key and 4-byte salt" },
	{ "aes-cbc-128-hmac-sha256", VESP_SA_ALG_AES_CBC_HMAC_SHA256, 16, 32,
	  "16-byte AES key" },
	{ "aes-cbc-256-hmac-sha256", VESP_SA_ALG_AES_CBC_HMAC_SHA256, 32, 32,
	  "32-byte AES key" },
	{ "null-hmac-sha256", VESP_SA_ALG_NULL_HMAC_SHA256, 0, 32, "nothing" },
};

const struct vesp_algorithm *vesp_algorithm_by_name(const char *name)
{
	size_t i;

	for (i = 0; i < sizeof(algorithms) / sizeof(algorithms[0]); i++)
		if (!strcmp(algorithms[i].name, name))
			return &algorithms[i];
	return NULL;
}

const struct vesp_algorithm *vesp_algorithm_at(size_t index)
{
	if (index >= sizeof(algorithms) / sizeof(algorithms[0]))
		return NULL;
	return &algorithms[index];
}

const char *vesp_algorithm_family_name(uint32_t alg)
{
	switch (alg) {
	case VESP_SA_ALG_AES_GCM_16:
		return "aes-gcm";
	case VESP_SA_ALG_CHACHA20_POLY1305:
		return "chacha20-poly1305";
	case VESP_SA_ALG_AES_CBC_HMAC_SHA256:
		return "aes-cbc-hmac-sha256";
	case VESP_SA_ALG_NULL_HMAC_SHA256:
		return "null-hmac-sha256";
	}
	return NULL;
}
