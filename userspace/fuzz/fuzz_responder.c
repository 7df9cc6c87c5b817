// SPDX-License-Identifier: GPL-2.0
/*
 * libFuzzer harness for the stateful path a stranger's datagrams reach: a
 * responder IKE SA and its task manager (ike/manager.c) taking a sequence
 * of datagrams, the first normally an IKE_SA_INIT request, and the cookie
 * judge in front of it. Input: datagrams each prefixed by a 2-byte length.
 * Beyond "no crash, no sanitizer report" it checks that the manager never
 * sends more than one datagram per datagram received and that its message
 * IDs only move forward.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "ike/cookie.h"
#include "ike/manager.h"
#include "ike/wire.h"
#include "responder_common.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static unsigned int sent;

static uint64_t fuzz_now(void *ctx)
{
	(void)ctx;
	return 0;
}

static int fuzz_send(void *ctx, const uint8_t *buf, size_t len,
		     const struct ike_endpoint *local, const struct ike_endpoint *remote)
{
	(void)local;
	(void)remote;
	(void)ctx;
	(void)buf;
	(void)len;
	sent++;
	return 0;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static struct ike_sa_config config;
	static struct ike_manager m;
	static struct ike_cookie_secret secret = { .version = 1 };
	static struct fuzz_end end;
	static const struct ike_io io = { fuzz_now, fuzz_send, NULL };
	struct ike_message msg;
	struct ike_error err;
	struct ike_sa sa;
	uint32_t last_id = 0;

	if (!config.num_proposals && fuzz_responder_config(&config) < 0)
		abort();
	fuzz_end_init(&end, false);
	if (ike_sa_create(&sa, false, &config, &end.deps, &err) < 0)
		abort();
	ike_manager_init(&m, &sa, &io, IKE_RETRANSMIT_DEFAULT);
	while (size >= 2) {
		size_t len = ike_get_be16(data);

		data += 2;
		size -= 2;
		if (len > size)
			len = size;
		if (ike_message_parse(&msg, data, len, NULL) == 0)
			ike_cookie_check(&secret, &msg, ike_chunk("\xc0\x00\x02\x01", 4), true);
		sent = 0;
		if (ike_manager_receive(&m, data, len) != IKE_MANAGER_OK)
			break;
		if (sent > 1 || m.peer_next_id < last_id)
			abort();
		last_id = m.peer_next_id;
		data += len;
		size -= len;
	}
	ike_manager_destroy(&m);
	ike_sa_destroy(&sa);
	return 0;
}
