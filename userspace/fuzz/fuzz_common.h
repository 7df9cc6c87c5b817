/* SPDX-License-Identifier: GPL-2.0 */
/*
 * What the message fuzzer and its seed generator share: the fixed SK keys
 * (so seeds with a valid ICV reach the decrypted-payload parser) and the
 * local proposals the fuzzer negotiates against.
 */
#ifndef VESP_FUZZ_COMMON_H
#define VESP_FUZZ_COMMON_H

#include "ike/crypto.h"
#include "ike/proposal.h"

static const struct ike_suite fuzz_gcm_suite = {
	.protocol = IKE_PROTO_IKE, .encr = IKE_ENCR_AES_GCM_16,
	.encr_key_bits = 256, .prf = IKE_PRF_HMAC_SHA2_256,
};

static const struct ike_suite fuzz_cbc_suite = {
	.protocol = IKE_PROTO_IKE, .encr = IKE_ENCR_AES_CBC, .encr_key_bits = 128,
	.integ = IKE_INTEG_HMAC_SHA2_256_128, .prf = IKE_PRF_HMAC_SHA2_256,
};

/* Not secret: they only make fuzz inputs decryptable. */
static const uint8_t fuzz_encr_key[IKE_ENCR_KEY_MAX_LEN] = "vesp fuzz encryption key 0123456";
static const uint8_t fuzz_integ_key[IKE_INTEG_KEY_MAX_LEN] = "vesp fuzz integrity key";

static const char *const fuzz_local_proposals[][2] = {
	{ "ike", "aes256gcm16-aes128gcm16-chacha20poly1305-prfsha256-prfsha384-prfsha512-x25519-ecp256-ecp384-modp2048" },
	{ "ike", "aes128-aes256-sha256-sha384-sha512-x25519-ecp256-modp2048" },
	{ "esp", "aes256gcm16-aes128gcm16-chacha20poly1305-esn-noesn" },
	{ "esp", "aes128-sha256-ecp256-noesn" },
};

#define FUZZ_NUM_LOCAL (sizeof(fuzz_local_proposals) / sizeof(fuzz_local_proposals[0]))

#endif /* VESP_FUZZ_COMMON_H */
