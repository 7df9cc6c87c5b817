// SPDX-License-Identifier: GPL-2.0
/* Child SA keys for the module and traffic selectors: see child.h. */
#include "child.h"

#include <string.h>

#include <linux/vesp.h>
#include <openssl/crypto.h>

#include "sa.h"
#include "wire.h"

void ike_kernel_sa_clear(struct ike_kernel_sa *sa)
{
	OPENSSL_cleanse(sa, sizeof(*sa));
}

static bool aes_128_or_256(uint16_t bits)
{
	return bits == 128 || bits == 256;
}

/* The module's algorithm for @suite, 0 when it has none. */
static uint32_t kernel_alg(const struct ike_suite *suite)
{
	switch (suite->encr) {
	case IKE_ENCR_AES_GCM_16:
		return aes_128_or_256(suite->encr_key_bits) ? VESP_SA_ALG_AES_GCM_16 : 0;
	case IKE_ENCR_CHACHA20_POLY1305:
		return VESP_SA_ALG_CHACHA20_POLY1305;
	case IKE_ENCR_AES_CBC:
		return aes_128_or_256(suite->encr_key_bits) &&
		       suite->integ == IKE_INTEG_HMAC_SHA2_256_128 ?
		       VESP_SA_ALG_AES_CBC_HMAC_SHA256 : 0;
	default:
		return 0;
	}
}

bool ike_child_suite_supported(const struct ike_suite *suite)
{
	return suite->protocol == IKE_PROTO_ESP && kernel_alg(suite) != 0;
}

int ike_child_new_spi(const struct ike_deps *deps, uint32_t *spi,
		      struct ike_error *err)
{
	uint8_t b[4];

	do {
		if (deps->random(deps->ctx, b, sizeof(b), err) < 0)
			return -1;
		*spi = ike_get_be32(b);
	} while (*spi < 256);
	return 0;
}

static int fill(struct ike_kernel_sa *sa, uint32_t spi, uint8_t dir, uint32_t alg,
		const struct ike_child_keys *keys, const uint8_t *encr,
		const uint8_t *integ, struct ike_error *err)
{
	memset(sa, 0, sizeof(*sa));
	if (keys->sizes.encr_key > sizeof(sa->enc_key) ||
	    keys->sizes.integ_key > sizeof(sa->auth_key))
		return ike_error_set(err, 0, "%s: key sizes %zu/%zu beyond the module's",
				     __func__, keys->sizes.encr_key, keys->sizes.integ_key);
	sa->spi = spi;
	sa->dir = dir;
	sa->alg = alg;
	sa->esn = keys->suite.esn;
	/* KEYMAT order is the module's order: key then salt for AEAD (RFC 4106 §8.1) */
	sa->enc_key_len = keys->sizes.encr_key;
	memcpy(sa->enc_key, encr, sa->enc_key_len);
	sa->auth_key_len = keys->sizes.integ_key;
	memcpy(sa->auth_key, integ, sa->auth_key_len);
	return 0;
}

int ike_child_kernel_sas(const struct ike_child_sa *child,
			 const struct ike_child_keys *keys, bool initiator,
			 struct ike_kernel_sa *in, struct ike_kernel_sa *out,
			 struct ike_error *err)
{
	uint32_t alg = kernel_alg(&keys->suite);

	if (!alg)
		return ike_error_set(err, 0, "%s: ESP suite %u/%u not in the module",
				     __func__, keys->suite.encr, keys->suite.integ);
	if (fill(in, child->spi_in, VESP_SA_DIR_IN, alg, keys,
		 initiator ? keys->encr_r : keys->encr_i,
		 initiator ? keys->integ_r : keys->integ_i, err) < 0 ||
	    fill(out, child->spi_out, VESP_SA_DIR_OUT, alg, keys,
		 initiator ? keys->encr_i : keys->encr_r,
		 initiator ? keys->integ_i : keys->integ_r, err) < 0) {
		ike_kernel_sa_clear(in);
		ike_kernel_sa_clear(out);
		return -1;
	}
	return 0;
}

int ike_child_install(const struct ike_kernel *kernel, uint32_t peer_id,
		      const struct ike_child_sa *child,
		      const struct ike_child_keys *keys, bool initiator,
		      bool activate, struct ike_error *err)
{
	struct ike_kernel_sa in, out;
	int ret = -1;

	if (ike_child_kernel_sas(child, keys, initiator, &in, &out, err) < 0)
		return -1;
	if (kernel->sa_add(kernel->ctx, peer_id, &in, false, err) < 0)
		goto out;
	if (kernel->sa_add(kernel->ctx, peer_id, &out, activate, err) < 0) {
		/* a child without its outbound half is of no use: take it back */
		kernel->sa_del(kernel->ctx, peer_id, VESP_SA_DIR_IN, in.spi, NULL);
		goto out;
	}
	ret = 0;
out:
	ike_kernel_sa_clear(&in);
	ike_kernel_sa_clear(&out);
	return ret;
}

int ike_nonce_cmp(const uint8_t *a, size_t a_len, const uint8_t *b, size_t b_len)
{
	int c = memcmp(a, b, a_len < b_len ? a_len : b_len);

	if (c || a_len == b_len)
		return c;
	return a_len < b_len ? -1 : 1;
}

struct ike_chunk ike_nonce_lower(struct ike_chunk ni, struct ike_chunk nr)
{
	return ike_nonce_cmp(ni.ptr, ni.len, nr.ptr, nr.len) < 0 ? ni : nr;
}

static size_t addr_len(uint8_t type)
{
	return type == IKE_TS_IPV6_ADDR_RANGE ? 16 : 4;
}

static const uint8_t *max_addr(const uint8_t *a, const uint8_t *b, size_t len)
{
	return memcmp(a, b, len) >= 0 ? a : b;
}

static const uint8_t *min_addr(const uint8_t *a, const uint8_t *b, size_t len)
{
	return memcmp(a, b, len) <= 0 ? a : b;
}

/* The intersection of @a and @b into @out; false when it is empty. */
static bool intersect(const struct ike_ts *a, const struct ike_ts *b,
		      struct ike_ts *out)
{
	size_t n = addr_len(a->type);

	if (a->type != b->type ||
	    (a->ip_protocol && b->ip_protocol && a->ip_protocol != b->ip_protocol))
		return false;
	memset(out, 0, sizeof(*out));
	out->type = a->type;
	out->ip_protocol = a->ip_protocol ? a->ip_protocol : b->ip_protocol;
	out->start_port = a->start_port > b->start_port ? a->start_port : b->start_port;
	out->end_port = a->end_port < b->end_port ? a->end_port : b->end_port;
	memcpy(out->start_addr, max_addr(a->start_addr, b->start_addr, n), n);
	memcpy(out->end_addr, min_addr(a->end_addr, b->end_addr, n), n);
	return out->start_port <= out->end_port &&
	       memcmp(out->start_addr, out->end_addr, n) <= 0;
}

size_t ike_ts_narrow(const struct ike_ts *local, size_t num_local,
		     const struct ike_ts *proposed, size_t num_proposed,
		     struct ike_ts *out, size_t cap)
{
	size_t n = 0;

	for (size_t i = 0; i < num_proposed; i++)
		for (size_t j = 0; j < num_local && n < cap; j++)
			if (intersect(&proposed[i], &local[j], &out[n]))
				n++;
	return n;
}
