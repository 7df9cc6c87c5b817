// SPDX-License-Identifier: GPL-2.0
/* Sealing and opening the messages of a keyed IKE SA: see message.h. */
#include "message.h"

#include <openssl/crypto.h>

#include "crypto.h"

int ike_message_seal(struct ike_sa *sa, const struct ike_header *hdr,
		     struct ike_builder *chain, uint8_t *out, size_t cap,
		     size_t *out_len, struct ike_error *err)
{
	uint8_t iv[IKE_SK_IV_MAX_LEN];
	struct ike_sk_cipher c;
	struct ike_builder b;
	size_t plain_len, sk_offset;
	int ret = -1;

	if (ike_builder_finish(chain, &plain_len, err) < 0 ||
	    ike_sk_cipher_from_keys(&c, &sa->keys, sa->initiator, err) < 0)
		return -1;
	ike_builder_init_message(&b, out, cap, hdr);
	if (ike_build_sk(&b, chain->first_payload, ike_sk_body_len(&c, plain_len),
			 &sk_offset) < 0 ||
	    ike_builder_finish(&b, out_len, err) < 0)
		return b.failed ? ike_error_set(err, 0, "%s", b.err.text) : -1;
	if (sa->deps->random(sa->deps->ctx, iv, c.sizes.iv, err) < 0)
		return -1;
	ret = ike_sk_encrypt(&c, out, *out_len, sk_offset, chain->buf, plain_len,
			     iv, err);
	/* the plaintext may hold AUTH data or keys of a CREATE_CHILD_SA */
	OPENSSL_cleanse(chain->buf, plain_len);
	return ret;
}

int ike_message_open(struct ike_sa *sa, struct ike_message *msg,
		     const uint8_t *buf, size_t len, uint8_t *plain, size_t cap,
		     bool *authentic, struct ike_error *err)
{
	const struct ike_payload *sk;
	struct ike_sk_cipher c;
	size_t plain_len;

	if (authentic)
		*authentic = false;
	if (ike_message_parse(msg, buf, len, err) < 0)
		return -1;
	sk = ike_message_find(msg, IKE_PAYLOAD_SK);
	if (!sk)
		return ike_error_set(err, IKE_N_INVALID_SYNTAX,
				     "%s: no Encrypted payload in exchange %u",
				     __func__, msg->hdr.exchange);
	if (ike_sk_cipher_from_keys(&c, &sa->keys, !sa->initiator, err) < 0 ||
	    ike_sk_decrypt(&c, buf, len, sk->u.sk.header_offset, plain, cap,
			   &plain_len, err) < 0)
		return -1;
	if (authentic)
		*authentic = true;
	return ike_message_parse_inner(msg, plain, plain_len, err);
}
