/* SPDX-License-Identifier: GPL-2.0 */
/*
 * What the responder fuzzer and its seed generator share: the responder's
 * configuration and deterministic ends (counting "random" bytes, fixed
 * X25519 keys of RFC 7748 §6.1), so a seed's IKE_AUTH request, sealed with
 * the keys the seeded IKE_SA_INIT leads to, decrypts in the fuzzer.
 */
#ifndef VESP_FUZZ_RESPONDER_COMMON_H
#define VESP_FUZZ_RESPONDER_COMMON_H

#include <netinet/in.h>
#include <string.h>

#include "ike/sa.h"

struct fuzz_end {
	uint8_t next;
	bool initiator;
	struct ike_deps deps;
};

static inline int fuzz_random(void *ctx, uint8_t *buf, size_t len,
			      struct ike_error *err)
{
	struct fuzz_end *e = ctx;

	(void)err;
	for (size_t i = 0; i < len; i++)
		buf[i] = e->next++;
	return 0;
}

static inline struct ike_dh *fuzz_dh(void *ctx, uint16_t group, struct ike_error *err)
{
	static const uint8_t a[32] = {
		0x77, 0x07, 0x6d, 0x0a, 0x73, 0x18, 0xa5, 0x7d, 0x3c, 0x16, 0xc1, 0x72,
		0x51, 0xb2, 0x66, 0x45, 0xdf, 0x4c, 0x2f, 0x87, 0xeb, 0xc0, 0x99, 0x2a,
		0xb1, 0x77, 0xfb, 0xa5, 0x1d, 0xb9, 0x2c, 0x2a,
	};
	static const uint8_t b[32] = {
		0x5d, 0xab, 0x08, 0x7e, 0x62, 0x4a, 0x8a, 0x4b, 0x79, 0xe1, 0x7f, 0x8b,
		0x83, 0x80, 0x0e, 0xe6, 0x6f, 0x3b, 0xb1, 0x29, 0x26, 0x18, 0xb6, 0xfd,
		0x1c, 0x2f, 0x8b, 0x27, 0xff, 0x88, 0xe0, 0xeb,
	};
	struct fuzz_end *e = ctx;

	if (group != IKE_DH_CURVE25519)
		return ike_dh_generate(group, err);
	return ike_dh_from_keypair(group, ike_chunk(e->initiator ? a : b, 32),
				   ike_chunk(NULL, 0), err);
}

static inline void fuzz_end_init(struct fuzz_end *e, bool initiator)
{
	memset(e, 0, sizeof(*e));
	e->initiator = initiator;
	e->next = initiator ? 0x10 : 0x80;
	e->deps = (struct ike_deps){ fuzz_random, fuzz_dh, e, NULL };
}

/* Both ends use it, with the identities of either side accepted (none set). */
static inline int fuzz_responder_config(struct ike_sa_config *c)
{
	struct ike_error err;

	memset(c, 0, sizeof(*c));
	if (ike_proposal_from_string(&c->proposals[0], IKE_PROTO_IKE,
				     "aes256gcm16-prfsha256-x25519-ecp256", &err) < 0 ||
	    ike_proposal_from_string(&c->child_proposals[0], IKE_PROTO_ESP,
				     "aes256gcm16-esn-noesn", &err) < 0 ||
	    ike_identity_from_string(&c->local_id, "fuzz.example", &err) < 0)
		return -1;
	c->proposals[0].number = c->child_proposals[0].number = 1;
	c->num_proposals = c->num_child_proposals = 1;
	memcpy(c->psk, "fuzz", 4);
	c->psk_len = 4;
	/* MOBIKE on, so its notifies in IKE_AUTH and INFORMATIONAL are parsed */
	c->mobike = true;
	c->local_addrs[0] = (struct ike_endpoint){ .family = AF_INET,
						   .addr = { 192, 0, 2, 1 } };
	c->num_local_addrs = 1;
	ike_sa_config_default_ts(c);
	return 0;
}

#endif /* VESP_FUZZ_RESPONDER_COMMON_H */
