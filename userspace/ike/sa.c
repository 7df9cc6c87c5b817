// SPDX-License-Identifier: GPL-2.0
/* The IKE SA object: see sa.h. */
#include "sa.h"

#include <stdlib.h>
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
	sa->original_initiator = initiator;
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

static void set_full_range(struct ike_ts *ts, bool v6)
{
	memset(ts, 0, sizeof(*ts));
	ts->type = v6 ? IKE_TS_IPV6_ADDR_RANGE : IKE_TS_IPV4_ADDR_RANGE;
	ts->end_port = 0xffff;
	memset(ts->end_addr, 0xff, v6 ? 16 : 4);
}

void ike_sa_config_default_ts(struct ike_sa_config *config)
{
	set_full_range(&config->ts_local[0], false);
	set_full_range(&config->ts_local[1], true);
	config->num_ts_local = 2;
	memcpy(config->ts_remote, config->ts_local, 2 * sizeof(config->ts_local[0]));
	config->num_ts_remote = 2;
}

void ike_sa_config_clear(struct ike_sa_config *config)
{
	OPENSSL_cleanse(config->psk, sizeof(config->psk));
	config->psk_len = 0;
	ike_cert_config_clear(&config->cert);
}

int ike_sa_keep_init_message(struct ike_sa *sa, bool response,
			     const uint8_t *msg, size_t len,
			     struct ike_error *err)
{
	uint8_t **slot = response ? &sa->init_response : &sa->init_request;
	size_t *slot_len = response ? &sa->init_response_len : &sa->init_request_len;
	uint8_t *copy = malloc(len);

	if (!copy)
		return ike_error_set(err, 0, "%s: out of memory", __func__);
	memcpy(copy, msg, len);
	free(*slot);
	*slot = copy;
	*slot_len = len;
	return 0;
}

struct ike_child_sa *ike_sa_add_child(struct ike_sa *sa,
				      const struct ike_child_sa *child)
{
	for (size_t i = 0; i < IKE_MAX_CHILDREN; i++) {
		if (sa->children[i].state == IKE_CHILD_FREE) {
			sa->children[i] = *child;
			return &sa->children[i];
		}
	}
	return NULL;
}

struct ike_child_sa *ike_sa_find_child(struct ike_sa *sa, uint32_t spi,
				       bool inbound)
{
	for (size_t i = 0; i < IKE_MAX_CHILDREN; i++) {
		struct ike_child_sa *c = &sa->children[i];

		if (c->state != IKE_CHILD_FREE &&
		    (inbound ? c->spi_in : c->spi_out) == spi)
			return c;
	}
	return NULL;
}

void ike_sa_destroy(struct ike_sa *sa)
{
	free(sa->init_request);
	free(sa->init_response);
	sa->init_request = sa->init_response = NULL;
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

/* SK_* from g^ir: SKEYSEED fresh (§2.14) or, with @old, of a rekey (§2.18). */
static int derive(struct ike_sa *sa, const struct ike_sa *old,
		  struct ike_chunk peer_ke, struct ike_error *err)
{
	uint8_t shared[IKE_DH_SHARED_MAX_LEN], skeyseed[IKE_PRF_MAX_LEN];
	struct ike_chunk ni = ike_chunk(sa->ni, sa->ni_len);
	struct ike_chunk nr = ike_chunk(sa->nr, sa->nr_len);
	size_t shared_len = 0, skeyseed_len;
	int ret = -1;

	if (ike_dh_shared(sa->dh, peer_ke, shared, sizeof(shared), &shared_len,
			  err) < 0)
		goto out;
	if (old) {
		skeyseed_len = ike_prf_len(old->suite.prf);
		ret = ike_skeyseed_rekey(old->suite.prf,
					 ike_chunk(old->keys.sk_d, old->keys.sizes.prf_key),
					 ike_chunk(shared, shared_len), ni, nr,
					 skeyseed, err);
	} else {
		skeyseed_len = ike_prf_len(sa->suite.prf);
		ret = ike_skeyseed(sa->suite.prf, ni, nr,
				   ike_chunk(shared, shared_len), skeyseed, err);
	}
	if (ret < 0 ||
	    ike_sa_keys_derive(&sa->keys, &sa->suite,
			       ike_chunk(skeyseed, skeyseed_len), ni, nr,
			       sa->spi_i, sa->spi_r, err) < 0) {
		ret = -1;
		goto out;
	}
	ike_dh_free(sa->dh);
	sa->dh = NULL;
	ret = 0;
out:
	OPENSSL_cleanse(shared, sizeof(shared));
	OPENSSL_cleanse(skeyseed, sizeof(skeyseed));
	return ret;
}

int ike_sa_derive_keys(struct ike_sa *sa, struct ike_chunk peer_ke,
		       struct ike_error *err)
{
	if (derive(sa, NULL, peer_ke, err) < 0)
		return -1;
	sa->state = IKE_SA_STATE_KEYED;
	return 0;
}

int ike_sa_derive_rekeyed(struct ike_sa *sa, struct ike_sa *old,
			  struct ike_chunk peer_ke, struct ike_error *err)
{
	if (derive(sa, old, peer_ke, err) < 0)
		return -1;
	/* no IKE_AUTH: the old SA vouches for the new one */
	sa->state = IKE_SA_STATE_ESTABLISHED;
	memcpy(sa->children, old->children, sizeof(sa->children));
	memset(old->children, 0, sizeof(old->children));
	sa->local = old->local;
	sa->remote = old->remote;
	sa->nat = old->nat;
	sa->original_initiator = old->original_initiator;
	sa->mobike = old->mobike;
	return 0;
}
