// SPDX-License-Identifier: GPL-2.0
/* Shared-key authentication: see auth.h. */
#include "auth.h"

#include <string.h>

#include <openssl/crypto.h>

#include "crypto.h"

/* §2.15: the pad, 17 ASCII bytes without a terminating NUL */
static const char key_pad[] = "Key Pad for IKEv2";

int ike_auth_signed_octets(const struct ike_sa *sa, bool signer_is_initiator,
			   struct ike_chunk id_body, uint8_t *out, size_t cap,
			   size_t *len, struct ike_error *err)
{
	struct ike_chunk msg = signer_is_initiator ?
		ike_chunk(sa->init_request, sa->init_request_len) :
		ike_chunk(sa->init_response, sa->init_response_len);
	struct ike_chunk nonce = signer_is_initiator ?
		ike_chunk(sa->nr, sa->nr_len) : ike_chunk(sa->ni, sa->ni_len);
	const uint8_t *sk_p = signer_is_initiator ? sa->keys.sk_pi : sa->keys.sk_pr;
	size_t prf_len = ike_prf_len(sa->suite.prf);

	if (!msg.len)
		return ike_error_set(err, 0, "%s: IKE_SA_INIT message not kept",
				     __func__);
	if (msg.len + nonce.len + prf_len > cap)
		return ike_error_set(err, 0, "%s: signed octets too long (got %zu > %zu)",
				     __func__, msg.len + nonce.len + prf_len, cap);
	memcpy(out, msg.ptr, msg.len);
	memcpy(out + msg.len, nonce.ptr, nonce.len);
	if (ike_prf(sa->suite.prf, ike_chunk(sk_p, sa->keys.sizes.prf_key),
		    &id_body, 1, out + msg.len + nonce.len, err) < 0)
		return -1;
	*len = msg.len + nonce.len + prf_len;
	return 0;
}

int ike_auth_psk(uint16_t prf, struct ike_chunk psk, struct ike_chunk octets,
		 uint8_t *out, struct ike_error *err)
{
	struct ike_chunk pad = ike_chunk(key_pad, sizeof(key_pad) - 1);
	uint8_t key[IKE_PRF_MAX_LEN];
	int ret;

	if (!psk.len)
		return ike_error_set(err, 0, "%s: no shared key", __func__);
	ret = ike_prf(prf, psk, &pad, 1, key, err);
	if (ret == 0)
		ret = ike_prf(prf, ike_chunk(key, ike_prf_len(prf)), &octets, 1,
			      out, err);
	OPENSSL_cleanse(key, sizeof(key));
	return ret;
}

bool ike_auth_equal(const uint8_t *a, const uint8_t *b, size_t len)
{
	return CRYPTO_memcmp(a, b, len) == 0;
}
