// SPDX-License-Identifier: GPL-2.0
/*
 * Seed corpus for fuzz_responder: an initiator run against a responder
 * like the fuzzer's, its requests recorded as length-prefixed datagrams:
 * IKE_SA_INIT alone, then IKE_SA_INIT with IKE_AUTH and an INFORMATIONAL,
 * which decrypt in the fuzzer because both ends are deterministic.
 *
 *   seed_responder DIR
 */
#include <stdio.h>
#include <string.h>

#include "ike/manager.h"
#include "ike/wire.h"
#include "responder_common.h"

#define MAX_SEED 16384

static uint8_t seed[MAX_SEED];
static size_t seed_len;
static uint8_t last[IKE_MESSAGE_MAX_LEN];
static size_t last_len;

static uint64_t seed_now(void *ctx)
{
	(void)ctx;
	return 0;
}

/* The initiator's requests go into the seed; everything is kept as last. */
static int record(void *ctx, const uint8_t *buf, size_t len,
		  const struct ike_endpoint *local, const struct ike_endpoint *remote)
{
	(void)local;
	(void)remote;
	bool initiator = ctx != NULL;

	memcpy(last, buf, len);
	last_len = len;
	if (initiator && seed_len + 2 + len <= sizeof(seed)) {
		ike_put_be16(seed + seed_len, (uint16_t)len);
		memcpy(seed + seed_len + 2, buf, len);
		seed_len += 2 + len;
	}
	return 0;
}

static int save(const char *dir, int n)
{
	char path[4096];
	FILE *f;

	snprintf(path, sizeof(path), "%s/seed-%02d", dir, n);
	f = fopen(path, "wb");
	if (!f || fwrite(seed, 1, seed_len, f) != seed_len || fclose(f) != 0) {
		perror(path);
		return -1;
	}
	return 0;
}

int main(int argc, char **argv)
{
	static struct ike_sa_config config;
	static struct ike_manager mi, mr;
	static struct fuzz_end ei, er;
	const struct ike_io io_i = { seed_now, record, &ei }, io_r = { seed_now, record, NULL };
	struct ike_sa si, sr;
	struct ike_error err;

	if (argc != 2 || fuzz_responder_config(&config) < 0)
		return 1;
	fuzz_end_init(&ei, true);
	fuzz_end_init(&er, false);
	if (ike_sa_create(&si, true, &config, &ei.deps, &err) < 0 ||
	    ike_sa_create(&sr, false, &config, &er.deps, &err) < 0)
		return 1;
	ike_manager_init(&mi, &si, &io_i, IKE_RETRANSMIT_DEFAULT);
	ike_manager_init(&mr, &sr, &io_r, IKE_RETRANSMIT_DEFAULT);
	ike_manager_initiate(&mi);
	if (save(argv[1], 0) < 0)
		return 1;
	/* carry each datagram across until the exchanges are done */
	for (int i = 0; i < 3; i++) {
		ike_manager_receive(&mr, last, last_len);
		ike_manager_receive(&mi, last, last_len);
		if (i == 1)
			ike_manager_liveness(&mi);
	}
	if (si.state != IKE_SA_STATE_ESTABLISHED || save(argv[1], 1) < 0) {
		fprintf(stderr, "seed_responder: exchanges failed (%s)\n", mi.error.text);
		return 1;
	}
	ike_manager_destroy(&mi);
	ike_manager_destroy(&mr);
	ike_sa_destroy(&si);
	ike_sa_destroy(&sr);
	return 0;
}
