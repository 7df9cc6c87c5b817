// SPDX-License-Identifier: GPL-2.0
/* The IKE SA object: see sa.h. */
#include "sa.h"

#include <string.h>

#include <openssl/crypto.h>

#include "wire.h"

static int default_random(void *ctx, uint8_t *buf, size_t len,
			  struct ike_error *err)
{
	(void)ctx;
	return ike_random(buf, len, err);
}

static struct ike_dh *default_dh_create(void *ctx, uint16_t group,
					struct ike_error *err)
{
	(void)ctx;
	return ike_dh_generate(group, err);
}

const struct ike_deps ike_default_deps = {
	.random = default_random,
	.dh_create = default_dh_create,
};

int ike_sa_create(struct ike_sa *sa, bool initiator,
		  const struct ike_sa_config *config,
		  const struct ike_deps *deps, struct ike_error *err)
{
	uint8_t spi[8];

	memset(sa, 0, sizeof(*sa));
	sa->initiator = initiator;
	sa->config = config;
	sa->deps = deps;
	sa->state = IKE_SA_STATE_CREATED;
	/* an all-zero SPI means "unknown yet" on the wire (§3.1) */
	do {
		if (deps->random(deps->ctx, spi, sizeof(spi), err) < 0)
			return -1;
	} while (ike_get_be64(spi) == 0);
	if (initiator)
		sa->spi_i = ike_get_be64(spi);
	else
		sa->spi_r = ike_get_be64(spi);
	return 0;
}

void ike_sa_destroy(struct ike_sa *sa)
{
	ike_dh_free(sa->dh);
	sa->dh = NULL;
	ike_sa_keys_clear(&sa->keys);
	OPENSSL_cleanse(sa->ni, sizeof(sa->ni));
	OPENSSL_cleanse(sa->nr, sizeof(sa->nr));
}

struct ike_header ike_sa_header(const struct ike_sa *sa, uint8_t exchange,
				bool response, uint32_t message_id)
{
	struct ike_header hdr = {
		.spi_i = sa->spi_i,
		.spi_r = sa->spi_r,
		.major_version = IKE_MAJOR_VERSION,
		.minor_version = IKE_MINOR_VERSION,
		.exchange = exchange,
		.flags = (uint8_t)((sa->initiator ? IKE_FLAG_INITIATOR : 0) |
				   (response ? IKE_FLAG_RESPONSE : 0)),
		.message_id = message_id,
	};

	return hdr;
}

int ike_sa_derive_keys(struct ike_sa *sa, struct ike_chunk peer_ke,
		       struct ike_error *err)
{
	uint8_t shared[IKE_DH_SHARED_MAX_LEN], skeyseed[IKE_PRF_MAX_LEN];
	size_t shared_len = 0;
	int ret = -1;

	if (ike_dh_shared(sa->dh, peer_ke, shared, sizeof(shared), &shared_len,
			  err) < 0)
		goto out;
	if (ike_skeyseed(sa->suite.prf, ike_chunk(sa->ni, sa->ni_len),
			 ike_chunk(sa->nr, sa->nr_len),
			 ike_chunk(shared, shared_len), skeyseed, err) < 0)
		goto out;
	if (ike_sa_keys_derive(&sa->keys, &sa->suite,
			       ike_chunk(skeyseed, ike_prf_len(sa->suite.prf)),
			       ike_chunk(sa->ni, sa->ni_len),
			       ike_chunk(sa->nr, sa->nr_len), sa->spi_i,
			       sa->spi_r, err) < 0)
		goto out;
	sa->state = IKE_SA_STATE_KEYED;
	ike_dh_free(sa->dh);
	sa->dh = NULL;
	ret = 0;
out:
	OPENSSL_cleanse(shared, sizeof(shared));
	OPENSSL_cleanse(skeyseed, sizeof(skeyseed));
	return ret;
}
