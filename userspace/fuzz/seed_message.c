// SPDX-License-Identifier: GPL-2.0
/*
 * Seed corpus for fuzz_message, written at run time with the library's own
 * builders so no binary corpus lives in the repository: one message of each
 * exchange, an unknown payload, and SK payloads that decrypt with the
 * fuzzer's fixed keys.
 *
 *   seed_message DIR
 */
#include <stdio.h>
#include <string.h>

#include "fuzz_common.h"
#include "ike/crypto.h"
#include "ike/payload.h"
#include "ike/proposal.h"

#define BUF_LEN 4096

static const char *dir;
static int written;

static int save(const uint8_t *buf, size_t len)
{
	char path[4096];
	FILE *f;

	snprintf(path, sizeof(path), "%s/seed-%02d", dir, written++);
	f = fopen(path, "wb");
	if (!f || fwrite(buf, 1, len, f) != len || fclose(f) != 0) {
		perror(path);
		return -1;
	}
	return 0;
}

static int finish(struct ike_builder *b, const uint8_t *buf)
{
	struct ike_error err;
	size_t len;

	if (ike_builder_finish(b, &len, &err) < 0) {
		fprintf(stderr, "seed_message: %s\n", err.text);
		return -1;
	}
	return save(buf, len);
}

static struct ike_header header(uint8_t exchange, uint8_t flags, uint32_t msgid)
{
	struct ike_header h = {
		.spi_i = 0x0123456789abcdefULL, .spi_r = 0xfedcba9876543210ULL,
		.major_version = IKE_MAJOR_VERSION, .exchange = exchange,
		.flags = flags, .message_id = msgid,
	};

	if (exchange == IKE_EXCHANGE_SA_INIT && !(flags & IKE_FLAG_RESPONSE))
		h.spi_r = 0;
	return h;
}

/* The payloads of an IKE_AUTH request, as a bare chain. */
static size_t auth_chain(uint8_t *buf, uint8_t *first)
{
	static const uint8_t id[] = "left.example", auth[32] = { 1 };
	struct ike_ts ts = { .type = IKE_TS_IPV4_ADDR_RANGE, .end_port = 65535,
			     .end_addr = { 255, 255, 255, 255 } };
	struct ike_proposal esp;
	struct ike_builder b;
	struct ike_error err;
	size_t len = 0;

	ike_proposal_from_string(&esp, IKE_PROTO_ESP, "aes256gcm16-noesn", &err);
	esp.spi_size = 4;
	esp.spi = 0xc1d2e3f4;
	ike_builder_init_chain(&b, buf, BUF_LEN);
	ike_build_id(&b, IKE_PAYLOAD_IDI, IKE_ID_FQDN, id, sizeof(id) - 1);
	ike_build_auth(&b, IKE_AUTH_SHARED_KEY_MIC, auth, sizeof(auth));
	ike_build_notify(&b, 0, 0, 0, IKE_N_INITIAL_CONTACT, NULL, 0);
	ike_build_sa(&b, &esp, 1);
	ike_build_ts(&b, IKE_PAYLOAD_TSI, &ts, 1);
	ike_build_ts(&b, IKE_PAYLOAD_TSR, &ts, 1);
	ike_builder_finish(&b, &len, &err);
	*first = b.first_payload;
	return len;
}

static int sa_init(void)
{
	struct ike_proposal props[2];
	uint8_t buf[BUF_LEN], ke[64] = { 9 }, nonce[32] = { 7 }, natd[20] = { 5 };
	struct ike_header h = header(IKE_EXCHANGE_SA_INIT, IKE_FLAG_INITIATOR, 0);
	struct ike_builder b;
	struct ike_error err;

	ike_proposal_from_string(&props[0], IKE_PROTO_IKE,
				 "aes256gcm16-prfsha256-ecp256-x25519", &err);
	ike_proposal_from_string(&props[1], IKE_PROTO_IKE,
				 "aes128-sha256-modp2048", &err);
	props[1].number = 2;
	ike_builder_init_message(&b, buf, sizeof(buf), &h);
	ike_build_sa(&b, props, 2);
	ike_build_ke(&b, IKE_DH_ECP_256, ke, sizeof(ke));
	ike_build_nonce(&b, nonce, sizeof(nonce));
	ike_build_notify(&b, 0, 0, 0, IKE_N_NAT_DETECTION_SOURCE_IP, natd, sizeof(natd));
	ike_build_notify(&b, 0, 0, 0, IKE_N_NAT_DETECTION_DESTINATION_IP, natd, sizeof(natd));
	ike_build_vendor(&b, natd, 16);
	ike_build_cert(&b, IKE_PAYLOAD_CERTREQ, IKE_CERT_X509_SIG, natd, sizeof(natd));
	ike_build_raw(&b, 200, false, natd, 8);
	if (finish(&b, buf) < 0)
		return -1;

	/* the response: one proposal, KE, Nr */
	h = header(IKE_EXCHANGE_SA_INIT, IKE_FLAG_RESPONSE, 0);
	ike_builder_init_message(&b, buf, sizeof(buf), &h);
	props[0].num_transforms = 3;	/* aes256gcm16-prfsha256-ecp256 */
	ike_build_sa(&b, &props[0], 1);
	ike_build_ke(&b, IKE_DH_ECP_256, ke, sizeof(ke));
	ike_build_nonce(&b, nonce, sizeof(nonce));
	return finish(&b, buf);
}

static int auth_plain(void)
{
	uint8_t chain[BUF_LEN], buf[BUF_LEN], first = 0;
	struct ike_header h = header(IKE_EXCHANGE_AUTH, IKE_FLAG_INITIATOR, 1);
	size_t len = auth_chain(chain, &first), off;
	struct ike_builder b;

	/* SK body holding the bare chain: the fuzzer parses it as plaintext */
	ike_builder_init_message(&b, buf, sizeof(buf), &h);
	ike_build_sk(&b, first, len, &off);
	memcpy(buf + off + IKE_PAYLOAD_HEADER_LEN, chain, len);
	return finish(&b, buf);
}

static int encrypted(const struct ike_suite *suite, const uint8_t *integ_key)
{
	uint8_t chain[BUF_LEN], buf[BUF_LEN], iv[16] = { 3 }, first = 0;
	struct ike_header h = header(IKE_EXCHANGE_AUTH, IKE_FLAG_INITIATOR, 1);
	size_t plain_len = auth_chain(chain, &first), len, off;
	struct ike_sk_cipher c;
	struct ike_builder b;
	struct ike_error err;

	if (ike_sk_cipher_init(&c, suite, fuzz_encr_key, integ_key, &err) < 0)
		goto fail;
	ike_builder_init_message(&b, buf, sizeof(buf), &h);
	ike_build_sk(&b, first, ike_sk_body_len(&c, plain_len), &off);
	if (ike_builder_finish(&b, &len, &err) < 0 ||
	    ike_sk_encrypt(&c, buf, len, off, chain, plain_len, iv, &err) < 0)
		goto fail;
	return save(buf, len);
fail:
	fprintf(stderr, "seed_message: %s\n", err.text);
	return -1;
}

static int informational(void)
{
	uint8_t buf[BUF_LEN], spis[8] = { 1, 2, 3, 4, 5, 6, 7, 8 };
	struct ike_header h = header(IKE_EXCHANGE_INFORMATIONAL, 0, 2);
	struct ike_builder b;

	ike_builder_init_message(&b, buf, sizeof(buf), &h);
	ike_build_delete(&b, IKE_PROTO_ESP, 4, 2, spis);
	ike_build_delete(&b, IKE_PROTO_IKE, 0, 0, NULL);
	return finish(&b, buf);
}

static int create_child(void)
{
	struct ike_ts ts[2] = {
		{ .type = IKE_TS_IPV6_ADDR_RANGE, .ip_protocol = 17,
		  .start_port = 500, .end_port = 4500, .end_addr = { [15] = 1 } },
		{ .type = IKE_TS_IPV4_ADDR_RANGE, .end_port = 65535,
		  .start_addr = { 10 }, .end_addr = { 10, 255, 255, 255 } },
	};
	uint8_t buf[BUF_LEN], nonce[32] = { 4 }, ke[32] = { 8 };
	struct ike_header h = header(IKE_EXCHANGE_CREATE_CHILD_SA, IKE_FLAG_INITIATOR, 3);
	struct ike_proposal esp;
	struct ike_builder b;
	struct ike_error err;

	ike_proposal_from_string(&esp, IKE_PROTO_ESP,
				 "aes128-sha256-ecp256-x25519-esn-noesn", &err);
	esp.spi_size = 4;
	esp.spi = 0x01020304;
	ike_builder_init_message(&b, buf, sizeof(buf), &h);
	ike_build_notify(&b, IKE_PROTO_ESP, 4, 0x0a0b0c0d, IKE_N_REKEY_SA, NULL, 0);
	ike_build_sa(&b, &esp, 1);
	ike_build_nonce(&b, nonce, sizeof(nonce));
	ike_build_ke(&b, IKE_DH_CURVE25519, ke, sizeof(ke));
	ike_build_ts(&b, IKE_PAYLOAD_TSI, ts, 2);
	ike_build_ts(&b, IKE_PAYLOAD_TSR, ts, 1);
	return finish(&b, buf);
}

int main(int argc, char **argv)
{
	if (argc != 2) {
		fprintf(stderr, "usage: seed_message DIR\n");
		return 2;
	}
	dir = argv[1];
	if (sa_init() < 0 || auth_plain() < 0 ||
	    encrypted(&fuzz_gcm_suite, NULL) < 0 ||
	    encrypted(&fuzz_cbc_suite, fuzz_integ_key) < 0 ||
	    informational() < 0 || create_child() < 0)
		return 1;
	return 0;
}
