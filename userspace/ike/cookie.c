// SPDX-License-Identifier: GPL-2.0
/* Stateless cookies for responders under load: see cookie.h. */
#include "cookie.h"

#include <string.h>

#include <openssl/crypto.h>
#include <openssl/evp.h>

#include "wire.h"

int ike_cookie_rotate(struct ike_cookie_secret *s, const struct ike_deps *deps,
		      struct ike_error *err)
{
	if (s->version) {
		memcpy(s->previous, s->secret, sizeof(s->previous));
		s->previous_version = s->version;
		s->have_previous = true;
	}
	s->version++;
	return deps->random(deps->ctx, s->secret, sizeof(s->secret), err);
}

void ike_cookie_clear(struct ike_cookie_secret *s)
{
	OPENSSL_cleanse(s, sizeof(*s));
}

static int make(uint32_t version, const uint8_t *secret,
		const struct ike_message *req, struct ike_chunk ni,
		struct ike_chunk ipi, uint8_t *out)
{
	EVP_MD_CTX *ctx = EVP_MD_CTX_new();
	uint8_t spi[8];
	int ok;

	if (!ctx)
		return -1;
	ike_put_be32(out, version);
	ike_put_be64(spi, req->hdr.spi_i);
	ok = EVP_DigestInit_ex(ctx, EVP_sha256(), NULL) == 1 &&
	     EVP_DigestUpdate(ctx, ni.ptr, ni.len) == 1 &&
	     EVP_DigestUpdate(ctx, ipi.ptr, ipi.len) == 1 &&
	     EVP_DigestUpdate(ctx, spi, sizeof(spi)) == 1 &&
	     EVP_DigestUpdate(ctx, secret, IKE_COOKIE_SECRET_LEN) == 1 &&
	     EVP_DigestFinal_ex(ctx, out + 4, NULL) == 1;
	EVP_MD_CTX_free(ctx);
	return ok ? 0 : -1;
}

static struct ike_chunk nonce_of(const struct ike_message *req)
{
	const struct ike_payload *n = ike_message_find(req, IKE_PAYLOAD_NONCE);

	return n ? n->body : ike_chunk(NULL, 0);
}

static bool valid(const struct ike_cookie_secret *s, const struct ike_message *req,
		  struct ike_chunk ipi, struct ike_chunk cookie)
{
	uint8_t expect[IKE_COOKIE_LEN];
	const uint8_t *secret;
	uint32_t version;

	if (cookie.len != IKE_COOKIE_LEN)
		return false;
	version = ike_get_be32(cookie.ptr);
	if (version == s->version)
		secret = s->secret;
	else if (s->have_previous && version == s->previous_version)
		secret = s->previous;
	else
		return false;
	return make(version, secret, req, nonce_of(req), ipi, expect) == 0 &&
	       CRYPTO_memcmp(expect, cookie.ptr, sizeof(expect)) == 0;
}

enum ike_cookie_verdict ike_cookie_check(const struct ike_cookie_secret *s,
					 const struct ike_message *req,
					 struct ike_chunk ipi, bool under_load)
{
	const struct ike_payload *n = ike_message_find_notify(req, IKE_N_COOKIE);

	if (!nonce_of(req).len)
		return IKE_COOKIE_DROP;
	if (!n)
		return under_load ? IKE_COOKIE_CHALLENGE : IKE_COOKIE_ACCEPT;
	return valid(s, req, ipi, n->u.notify.data) ? IKE_COOKIE_ACCEPT :
	       IKE_COOKIE_CHALLENGE;
}

int ike_cookie_build_challenge(const struct ike_cookie_secret *s,
			       const struct ike_message *req, struct ike_chunk ipi,
			       uint8_t *out, size_t cap, size_t *len,
			       struct ike_error *err)
{
	struct ike_header hdr = {
		.spi_i = req->hdr.spi_i,
		.major_version = IKE_MAJOR_VERSION,
		.exchange = IKE_EXCHANGE_SA_INIT,
		.flags = IKE_FLAG_RESPONSE,
		.message_id = 0,
	};
	uint8_t cookie[IKE_COOKIE_LEN];
	struct ike_builder b;

	if (make(s->version, s->secret, req, nonce_of(req), ipi, cookie) < 0)
		return ike_error_set(err, 0, "%s: SHA-256 failed", __func__);
	ike_builder_init_message(&b, out, cap, &hdr);
	ike_build_notify(&b, 0, 0, 0, IKE_N_COOKIE, cookie, sizeof(cookie));
	return ike_builder_finish(&b, len, err);
}
