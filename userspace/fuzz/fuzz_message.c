// SPDX-License-Identifier: GPL-2.0
/*
 * libFuzzer harness for everything a peer's datagram reaches before any
 * state: the message parser, the SK payload checks and decryption with
 * fixed keys, the inner payload parser, proposal negotiation and DH public
 * value validation. Beyond "no crash, no sanitizer report" it checks:
 *  - a rejected message always says why;
 *  - what the parser accepted, the builder can write again, the parser
 *    accepts that, and writing it once more gives the same bytes;
 *  - a proposal the responder selects passes the initiator's check.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "fuzz_common.h"
#include "ike/crypto.h"
#include "ike/payload.h"
#include "ike/proposal.h"

#define BUF_LEN 70000

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static struct ike_proposal local[FUZZ_NUM_LOCAL];
static struct ike_sk_cipher gcm, cbc;
static struct ike_dh *dh[4];

static void die(const char *what, const struct ike_error *err)
{
	fprintf(stderr, "fuzz_message: %s: %s\n", what, err ? err->text : "");
	abort();
}

static void setup(void)
{
	static const uint16_t groups[] = { IKE_DH_MODP_2048, IKE_DH_ECP_256,
					   IKE_DH_ECP_384, IKE_DH_CURVE25519 };
	struct ike_error err;

	for (size_t i = 0; i < FUZZ_NUM_LOCAL; i++)
		if (ike_proposal_from_string(&local[i],
					     !strcmp(fuzz_local_proposals[i][0], "ike") ?
					     IKE_PROTO_IKE : IKE_PROTO_ESP,
					     fuzz_local_proposals[i][1], &err) < 0)
			die("local proposal", &err);
	if (ike_sk_cipher_init(&gcm, &fuzz_gcm_suite, fuzz_encr_key, NULL, &err) < 0 ||
	    ike_sk_cipher_init(&cbc, &fuzz_cbc_suite, fuzz_encr_key, fuzz_integ_key,
			       &err) < 0)
		die("SK cipher", &err);
	for (size_t i = 0; i < 4; i++) {
		dh[i] = ike_dh_generate(groups[i], &err);
		if (!dh[i])
			die("DH", &err);
	}
}

/* Write the outer (not encrypted) payloads of @msg again. */
static size_t rebuild(const struct ike_message *msg, uint8_t *buf)
{
	struct ike_builder b;
	struct ike_error err;
	size_t len;

	ike_builder_init_message(&b, buf, BUF_LEN, &msg->hdr);
	for (size_t i = 0; i < msg->num_payloads; i++)
		if (!msg->payloads[i].encrypted)
			ike_build_parsed(&b, msg, &msg->payloads[i]);
	if (ike_builder_finish(&b, &len, &err) < 0)
		die("rebuilding a parsed message failed", &err);
	return len;
}

static void check_rebuild(const struct ike_message *msg)
{
	static uint8_t first[BUF_LEN], second[BUF_LEN];
	static struct ike_message again;
	struct ike_error err;
	size_t len1, len2;

	len1 = rebuild(msg, first);
	if (ike_message_parse(&again, first, len1, &err) < 0)
		die("parser rejects what the builder wrote", &err);
	len2 = rebuild(&again, second);
	if (len1 != len2 || memcmp(first, second, len1))
		die("writing a message twice gives different bytes", NULL);
}

static void negotiate(const struct ike_message *msg)
{
	struct ike_proposal selected, accepted;
	struct ike_suite suite;
	struct ike_error err;

	if (!ike_message_find(msg, IKE_PAYLOAD_SA))
		return;
	if (ike_proposal_select(local, FUZZ_NUM_LOCAL, msg->sa.proposals,
				msg->sa.num_proposals, &selected, &err) == 0) {
		if (ike_suite_from_proposal(&suite, &selected, &err) < 0)
			die("selected proposal has no suite", &err);
		if (ike_proposal_check_response(msg->sa.proposals, msg->sa.num_proposals,
						&selected, 1, &accepted, &err) < 0)
			die("selected proposal fails the initiator's check", &err);
	} else if (err.notify != IKE_N_NO_PROPOSAL_CHOSEN) {
		die("selection failed without NO_PROPOSAL_CHOSEN", &err);
	}
	/* the same SA payload taken as a response to our offer */
	ike_proposal_check_response(local, FUZZ_NUM_LOCAL, msg->sa.proposals,
				    msg->sa.num_proposals, &accepted, &err);
}

static void key_exchange(const struct ike_message *msg)
{
	const struct ike_payload *ke = ike_message_find(msg, IKE_PAYLOAD_KE);
	uint8_t shared[IKE_DH_SHARED_MAX_LEN];
	struct ike_error err;
	size_t len;

	if (!ke)
		return;
	for (size_t i = 0; i < 4; i++)
		if (ike_dh_group(dh[i]) == ke->u.ke.group)
			ike_dh_shared(dh[i], ke->u.ke.data, shared, sizeof(shared),
				      &len, &err);
}

static void decrypt(struct ike_message *msg, const uint8_t *data, size_t size)
{
	static uint8_t plain[BUF_LEN];
	const struct ike_payload *sk = ike_message_find(msg, IKE_PAYLOAD_SK);
	struct ike_sk_cipher *ciphers[] = { &gcm, &cbc };
	struct ike_error err;
	size_t plain_len;

	if (!sk)
		return;
	for (size_t i = 0; i < 2; i++) {
		if (ike_sk_decrypt(ciphers[i], data, size, sk->u.sk.header_offset,
				   plain, sizeof(plain), &plain_len, &err) == 0) {
			ike_message_parse_inner(msg, plain, plain_len, &err);
			return;
		}
	}
	/* not decryptable: parse the SK body as if it were the plaintext */
	ike_message_parse_inner(msg, sk->u.sk.data.ptr, sk->u.sk.data.len, &err);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static struct ike_message msg;
	static int ready;
	struct ike_error err;

	if (!ready) {
		setup();
		ready = 1;
	}
	memset(&err, 0, sizeof(err));
	if (ike_message_parse(&msg, data, size, &err) < 0) {
		if (!err.text[0])
			die("rejected without a reason", NULL);
		return 0;
	}
	check_rebuild(&msg);
	decrypt(&msg, data, size);
	negotiate(&msg);
	key_exchange(&msg);
	return 0;
}
