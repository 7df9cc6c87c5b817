// SPDX-License-Identifier: GPL-2.0
/*
 * Reading the kernel's answers (lib/reply.c, lib/extack.c): replies built
 * here the way the uapi header describes them are merged into the data
 * model; malformed ones are refused; extended ACKs give the kernel's
 * message word for word, wherever NLM_F_CAPPED puts it.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>
#include <sys/socket.h>
#include <cmocka.h>

#include <netlink/attr.h>
#include <netlink/genl/genl.h>

#include "lib/extack.h"
#include "lib/reply.h"
#include "lib/testutil.h"

#define FAMILY_ID 0x1d

static struct nl_msg *reply_new(uint8_t cmd, uint32_t ifindex, const char *ifname)
{
	struct nl_msg *msg = nlmsg_alloc();

	assert_non_null(msg);
	assert_non_null(genlmsg_put(msg, 0, 1, FAMILY_ID, 0, NLM_F_MULTI, cmd, VESP_GENL_VERSION));
	if (ifindex)
		assert_int_equal(nla_put_u32(msg, VESP_A_IFINDEX, ifindex), 0);
	if (ifname)
		assert_int_equal(nla_put_string(msg, VESP_A_IFNAME, ifname), 0);
	return msg;
}

static void put_prefix(struct nl_msg *msg, uint16_t family, const char *addr_hex, uint8_t len)
{
	struct nlattr *nest = nla_nest_start(msg, VESP_A_PEER_PREFIX);
	uint8_t addr[16];
	size_t n = hex_decode(addr_hex, addr, sizeof(addr));

	nla_put_u16(msg, VESP_A_PREFIX_FAMILY, family);
	nla_put(msg, VESP_A_PREFIX_ADDR, (int)n, addr);
	nla_put_u8(msg, VESP_A_PREFIX_LEN, len);
	nla_nest_end(msg, nest);
}

/* An SA as the kernel reports it, plus a key attribute it must never send. */
static void put_sa(struct nl_msg *msg, uint32_t spi, uint8_t dir, bool active)
{
	struct nlattr *nest = nla_nest_start(msg, VESP_A_PEER_SA);
	static const uint8_t key[20] = { 0xde, 0xad, 0xbe, 0xef, 0xde, 0xad, 0xbe, 0xef };

	nla_put_u32(msg, VESP_A_SA_SPI, spi);
	nla_put_u8(msg, VESP_A_SA_DIR, dir);
	nla_put_u32(msg, VESP_A_SA_ALG, VESP_SA_ALG_AES_GCM_16);
	nla_put(msg, VESP_A_SA_ENC_KEY, sizeof(key), key);
	nla_put_flag(msg, VESP_A_SA_ESN);
	if (active)
		nla_put_flag(msg, VESP_A_SA_ACTIVE);
	nla_put_u32(msg, VESP_A_SA_REPLAY_WINDOW, 64);
	nla_put_u64(msg, VESP_A_SA_SOFT_BYTES, 100ULL << 20);
	nla_put_u32(msg, VESP_A_SA_HARD_SECONDS, 3600);
	nla_put_u64(msg, VESP_A_SA_SEQ, 41);
	nla_put_u64(msg, VESP_A_SA_PACKETS, 40);
	nla_put_u64(msg, VESP_A_SA_BYTES, 4000);
	nla_put_u32(msg, VESP_A_SA_AGE, 90);
	/* an attribute from a newer kernel is skipped */
	nla_put_u32(msg, VESP_A_SA_MAX + 5, 1);
	nla_nest_end(msg, nest);
}

static void put_path(struct nl_msg *msg, uint32_t id, const char *remote_hex, uint32_t priority,
		     bool active)
{
	struct nlattr *nest = nla_nest_start(msg, VESP_A_PEER_PATH);
	uint8_t remote[4];

	hex_decode(remote_hex, remote, sizeof(remote));
	nla_put_u32(msg, VESP_A_PATH_ID, id);
	nla_put_u16(msg, VESP_A_PATH_FAMILY, AF_INET);
	nla_put(msg, VESP_A_PATH_REMOTE, 4, remote);
	nla_put_u32(msg, VESP_A_PATH_PRIORITY, priority);
	if (active)
		nla_put_flag(msg, VESP_A_PATH_ACTIVE);
	nla_nest_end(msg, nest);
}

static void test_peer_dump(void **state)
{
	struct vesp_dev_list list = { 0 };
	struct vesp_error err = { 0 };
	struct nl_msg *first, *second;
	struct nlattr *peer;
	struct vesp_peer *p;

	(void)state;
	/* one peer over two messages, as a dump may split it */
	first = reply_new(VESP_CMD_PEER_GET, 5, "vesp0");
	peer = nla_nest_start(first, VESP_A_PEER);
	nla_put_u32(first, VESP_A_PEER_ID, 1);
	put_prefix(first, AF_INET, "0a000000", 24);
	put_path(first, 1, "c0000202", 10, true);
	put_path(first, 2, "c6336402", 20, false);
	put_sa(first, 0x1000, VESP_SA_DIR_OUT, true);
	nla_nest_end(first, peer);

	second = reply_new(VESP_CMD_PEER_GET, 5, NULL);
	peer = nla_nest_start(second, VESP_A_PEER);
	nla_put_u32(second, VESP_A_PEER_ID, 1);
	put_prefix(second, AF_INET6, "fd000000000000000000000000000000", 64);
	put_sa(second, 0x2000, VESP_SA_DIR_IN, false);
	nla_nest_end(second, peer);

	assert_int_equal(vesp_reply_parse(nlmsg_hdr(first), &list, &err), 0);
	assert_int_equal(vesp_reply_parse(nlmsg_hdr(second), &list, &err), 0);
	nlmsg_free(first);
	nlmsg_free(second);

	assert_int_equal(list.n_devs, 1);
	assert_int_equal(list.devs[0].ifindex, 5);
	assert_string_equal(list.devs[0].ifname, "vesp0");
	assert_int_equal(list.devs[0].n_peers, 1);
	p = &list.devs[0].peers[0];
	assert_int_equal(p->id, 1);
	assert_int_equal(p->n_prefixes, 2);
	assert_int_equal(p->prefixes[0].len, 24);
	assert_int_equal(p->prefixes[1].addr.family, AF_INET6);
	assert_int_equal(p->n_paths, 2);
	assert_int_equal(p->paths[0].priority, 10);
	assert_int_equal(p->paths[0].remote.bytes[0], 192);
	assert_true(p->paths[0].active);
	assert_int_equal(p->paths[1].priority, 20);
	assert_false(p->paths[1].active);
	assert_int_equal(p->n_sas, 2);
	assert_int_equal(p->sas[0].spi, 0x1000);
	assert_true(p->sas[0].active);
	assert_true(p->sas[0].esn);
	assert_int_equal(p->sas[0].lifetimes.soft_bytes, 100ULL << 20);
	assert_int_equal(p->sas[0].lifetimes.hard_seconds, 3600);
	assert_false(vesp_has(p->sas[0].present, VESP_A_SA_HARD_BYTES));
	assert_int_equal(p->sas[0].seq, 41);
	assert_int_equal(p->sas[0].age, 90);
	assert_int_equal(p->sas[1].dir, VESP_SA_DIR_IN);
	assert_false(p->sas[1].active);
	vesp_dev_list_free(&list);
}

static void test_dev_dump_and_stats(void **state)
{
	struct vesp_dev_list list = { 0 };
	struct vesp_error err = { 0 };
	struct nl_msg *msg;
	struct nlattr *stats;

	(void)state;
	msg = reply_new(VESP_CMD_DEV_GET, 5, "vesp0");
	nla_put_u32(msg, VESP_A_FWMARK, 42);
	nla_put_u32(msg, VESP_A_PEER_COUNT, 3);
	assert_int_equal(vesp_reply_parse(nlmsg_hdr(msg), &list, &err), 0);
	nlmsg_free(msg);
	msg = reply_new(VESP_CMD_DEV_GET, 6, "vesp1");
	assert_int_equal(vesp_reply_parse(nlmsg_hdr(msg), &list, &err), 0);
	nlmsg_free(msg);

	/* the stats reply for the first device, which omits its name */
	msg = reply_new(VESP_CMD_STATS_GET, 0, NULL);
	stats = nla_nest_start(msg, VESP_A_STATS);
	nla_put_u64(msg, VESP_A_STATS_RX_AUTH_FAIL, 3);
	nla_put_u64(msg, VESP_A_STATS_TX_NO_SA, 1ULL << 40);
	nla_nest_end(msg, stats);
	assert_int_equal(vesp_reply_parse_dev(nlmsg_hdr(msg), &list.devs[0], &err), 0);
	nlmsg_free(msg);

	assert_int_equal(list.n_devs, 2);
	assert_int_equal(list.devs[0].fwmark, 42);
	assert_int_equal(list.devs[0].peer_count, 3);
	assert_true(vesp_has(list.devs[0].present, VESP_A_STATS));
	assert_int_equal(list.devs[0].stats.counter[VESP_A_STATS_RX_AUTH_FAIL], 3);
	assert_int_equal(list.devs[0].stats.counter[VESP_A_STATS_TX_NO_SA], 1ULL << 40);
	assert_true(vesp_has(list.devs[0].stats.present, VESP_A_STATS_TX_NO_SA));
	assert_false(vesp_has(list.devs[0].stats.present, VESP_A_STATS_RX_REPLAY));
	assert_string_equal(list.devs[1].ifname, "vesp1");
	assert_false(vesp_has(list.devs[1].present, VESP_A_FWMARK));
	assert_string_equal(vesp_stats_name(VESP_A_STATS_RX_UNKNOWN_SPI), "rx_unknown_spi");
	assert_string_equal(vesp_stats_name(VESP_A_STATS_CRYPTO_ERROR), "crypto_error");
	assert_null(vesp_stats_name(VESP_A_STATS_PAD));
	vesp_dev_list_free(&list);
}

static void test_malformed(void **state)
{
	struct vesp_dev_list list = { 0 };
	struct vesp_error err = { 0 };
	struct nlattr *peer, *nest;
	struct nl_msg *msg;
	uint8_t addr[5] = { 0 };

	(void)state;
	/* a prefix address whose length does not match its family */
	msg = reply_new(VESP_CMD_PEER_GET, 5, "vesp0");
	peer = nla_nest_start(msg, VESP_A_PEER);
	nla_put_u32(msg, VESP_A_PEER_ID, 1);
	nest = nla_nest_start(msg, VESP_A_PEER_PREFIX);
	nla_put_u16(msg, VESP_A_PREFIX_FAMILY, AF_INET6);
	nla_put(msg, VESP_A_PREFIX_ADDR, 4, addr);
	nla_put_u8(msg, VESP_A_PREFIX_LEN, 8);
	nla_nest_end(msg, nest);
	nla_nest_end(msg, peer);
	assert_int_equal(vesp_reply_parse(nlmsg_hdr(msg), &list, &err), -1);
	assert_non_null(strstr(err.text, "malformed prefix"));
	nlmsg_free(msg);

	/* a peer without its id */
	msg = reply_new(VESP_CMD_PEER_GET, 5, "vesp0");
	peer = nla_nest_start(msg, VESP_A_PEER);
	nest = nla_nest_start(msg, VESP_A_PEER_SA);
	nla_put_u32(msg, VESP_A_SA_SPI, 300);
	nla_nest_end(msg, nest);
	nla_nest_end(msg, peer);
	assert_int_equal(vesp_reply_parse(nlmsg_hdr(msg), &list, &err), -1);
	assert_non_null(strstr(err.text, "malformed peer"));
	nlmsg_free(msg);

	/* a u32 attribute two bytes short */
	msg = reply_new(VESP_CMD_DEV_GET, 0, "vesp0");
	nla_put(msg, VESP_A_FWMARK, 2, addr);
	assert_int_equal(vesp_reply_parse(nlmsg_hdr(msg), &list, &err), -1);
	nlmsg_free(msg);

	/* an SA with an SPI but no direction */
	msg = reply_new(VESP_CMD_SA_GET, 5, NULL);
	peer = nla_nest_start(msg, VESP_A_PEER);
	nla_put_u32(msg, VESP_A_PEER_ID, 1);
	nest = nla_nest_start(msg, VESP_A_PEER_SA);
	nla_put_u32(msg, VESP_A_SA_SPI, 300);
	nla_nest_end(msg, nest);
	nla_nest_end(msg, peer);
	assert_int_equal(vesp_reply_parse(nlmsg_hdr(msg), &list, &err), -1);
	assert_non_null(strstr(err.text, "malformed SA"));
	nlmsg_free(msg);
	vesp_dev_list_free(&list);
}

static void test_event(void **state)
{
	struct vesp_error err = { 0 };
	struct vesp_event event;
	struct nlattr *peer, *sa;
	struct nl_msg *msg;

	(void)state;
	msg = reply_new(VESP_CMD_SA_EXPIRE_NTF, 5, "vesp0");
	peer = nla_nest_start(msg, VESP_A_PEER);
	nla_put_u32(msg, VESP_A_PEER_ID, 2);
	sa = nla_nest_start(msg, VESP_A_PEER_SA);
	nla_put_u32(msg, VESP_A_SA_SPI, 0x1000);
	nla_put_u8(msg, VESP_A_SA_DIR, VESP_SA_DIR_OUT);
	nla_put_u8(msg, VESP_A_SA_EXPIRE_REASON, VESP_SA_EXPIRE_SOFT);
	nla_nest_end(msg, sa);
	nla_nest_end(msg, peer);
	assert_int_equal(vesp_event_parse(nlmsg_hdr(msg), &event, &err), 0);
	nlmsg_free(msg);
	assert_int_equal(event.cmd, VESP_CMD_SA_EXPIRE_NTF);
	assert_string_equal(vesp_event_name(event.cmd), "expire");
	assert_int_equal(event.devs.n_devs, 1);
	assert_int_equal(event.devs.devs[0].peers[0].id, 2);
	assert_int_equal(event.devs.devs[0].peers[0].sas[0].expire_reason, VESP_SA_EXPIRE_SOFT);
	vesp_event_free(&event);
	assert_int_equal(event.devs.n_devs, 0);
}

/* A path event as the kernel sends it, and the liveness state of a dump. */
static void test_path_event(void **state)
{
	static const uint8_t new_remote[4] = { 10, 9, 0, 2 }, old_remote[4] = { 10, 1, 0, 2 };
	static const uint8_t v6_remote[16] = { 0x20, 0x01, 0x0d, 0xb8 };
	struct vesp_error err = { 0 };
	struct vesp_event event;
	struct nlattr *peer, *path;
	const struct vesp_path *p;
	const struct vesp_peer *pe;
	struct nl_msg *msg;

	(void)state;
	msg = reply_new(VESP_CMD_PATH_NTF, 5, "vesp0");
	nla_put_u32(msg, VESP_A_FLAGS, VESP_LINK_F_CARRIER_LIVENESS);
	peer = nla_nest_start(msg, VESP_A_PEER);
	nla_put_u32(msg, VESP_A_PEER_ID, 2);
	nla_put_u32(msg, VESP_A_PEER_LIVENESS_INTERVAL, 100);
	nla_put_u8(msg, VESP_A_PEER_LIVENESS_MULTIPLIER, 3);
	nla_put_u32(msg, VESP_A_PEER_HOLD_DOWN, 1000);
	nla_put_u8(msg, VESP_A_PEER_ROAMING, 1);
	nla_put_u32(msg, VESP_A_PEER_PATH_SWITCHES, 4);
	path = nla_nest_start(msg, VESP_A_PEER_PATH);
	nla_put_u32(msg, VESP_A_PATH_ID, 1);
	nla_put_u16(msg, VESP_A_PATH_FAMILY, AF_INET);
	nla_put(msg, VESP_A_PATH_REMOTE, 4, new_remote);
	nla_put_u8(msg, VESP_A_PATH_STATE, VESP_PATH_STATE_UP);
	nla_put_u32(msg, VESP_A_PATH_LAST_RX, 20);
	nla_put_flag(msg, VESP_A_PATH_HEARD_BY_PEER);
	nla_put_u64(msg, VESP_A_PATH_PROBES_SENT, 11);
	nla_put_u64(msg, VESP_A_PATH_PROBES_RECEIVED, 10);
	nla_put_u32(msg, VESP_A_PATH_STATE_CHANGES, 3);
	nla_put_u8(msg, VESP_A_PATH_EVENT, VESP_PATH_EVENT_ROAMED);
	nla_put(msg, VESP_A_PATH_PREVIOUS_REMOTE, 4, old_remote);
	nla_nest_end(msg, path);
	nla_nest_end(msg, peer);
	assert_int_equal(vesp_event_parse(nlmsg_hdr(msg), &event, &err), 0);
	nlmsg_free(msg);
	assert_string_equal(vesp_event_name(event.cmd), "path");
	assert_int_equal(event.devs.devs[0].flags, VESP_LINK_F_CARRIER_LIVENESS);
	pe = &event.devs.devs[0].peers[0];
	assert_int_equal(pe->liveness_interval, 100);
	assert_int_equal(pe->liveness_multiplier, 3);
	assert_int_equal(pe->hold_down, 1000);
	assert_true(pe->roaming);
	assert_int_equal(pe->path_switches, 4);
	p = &pe->paths[0];
	assert_int_equal(p->state, VESP_PATH_STATE_UP);
	assert_int_equal(p->last_rx_ms, 20);
	assert_true(p->heard_by_peer);
	assert_int_equal(p->probes_sent, 11);
	assert_int_equal(p->probes_received, 10);
	assert_int_equal(p->state_changes, 3);
	assert_int_equal(p->event, VESP_PATH_EVENT_ROAMED);
	assert_false(vesp_has(p->present, VESP_A_PATH_PREVIOUS_ID));
	assert_memory_equal(p->remote.bytes, new_remote, 4);
	assert_memory_equal(p->previous_remote.bytes, old_remote, 4);
	vesp_event_free(&event);

	/* a previous remote of the wrong length is refused */
	msg = reply_new(VESP_CMD_PATH_NTF, 5, "vesp0");
	peer = nla_nest_start(msg, VESP_A_PEER);
	nla_put_u32(msg, VESP_A_PEER_ID, 2);
	path = nla_nest_start(msg, VESP_A_PEER_PATH);
	nla_put_u32(msg, VESP_A_PATH_ID, 1);
	nla_put_u16(msg, VESP_A_PATH_FAMILY, AF_INET);
	nla_put(msg, VESP_A_PATH_PREVIOUS_REMOTE, 16, v6_remote);
	nla_nest_end(msg, path);
	nla_nest_end(msg, peer);
	assert_int_equal(vesp_event_parse(nlmsg_hdr(msg), &event, &err), -1);
	assert_non_null(strstr(err.text, "previous remote"));
	nlmsg_free(msg);
}

/*
 * An NLMSG_ERROR as the kernel builds it: the error, the request header
 * (and, unless capped, the request's payload of @echo_len bytes), then the
 * extended ACK TLVs.
 */
static struct nl_msg *error_message(int error, bool capped, size_t echo_len, const char *text,
				    bool with_tlvs)
{
	uint16_t flags = (capped ? NLM_F_CAPPED : 0) | (with_tlvs ? NLM_F_ACK_TLVS : 0);
	struct nl_msg *msg = nlmsg_alloc_simple(NLMSG_ERROR, flags);
	struct nlmsgerr nlerr = { .error = error };
	unsigned char echo[64];

	memset(echo, 0xab, sizeof(echo));
	nlerr.msg.nlmsg_len = (uint32_t)(NLMSG_HDRLEN + echo_len);
	nlerr.msg.nlmsg_type = FAMILY_ID;
	assert_int_equal(nlmsg_append(msg, &nlerr, sizeof(nlerr), capped ? NLMSG_ALIGNTO : 0), 0);
	if (!capped)
		assert_int_equal(nlmsg_append(msg, echo, echo_len, NLMSG_ALIGNTO), 0);
	if (with_tlvs) {
		nla_put_string(msg, NLMSGERR_ATTR_MSG, text);
		nla_put_u32(msg, NLMSGERR_ATTR_OFFS, 24);
	}
	return msg;
}

static void test_extack(void **state)
{
	static const char text[] = "vesp: peer 1 already exists (and \"quotes\" stay)";
	struct vesp_error err;
	struct nl_msg *msg;
	int errnum;

	(void)state;
	/* capped: the TLVs follow the request header */
	vesp_error_clear(&err);
	msg = error_message(-17, true, 40, text, true);
	assert_int_equal(vesp_extack_parse(nlmsg_hdr(msg), &errnum, &err), 0);
	assert_int_equal(errnum, 17);
	assert_string_equal(err.kernel_message, text);
	assert_true(vesp_error_has_kernel_message(&err));
	nlmsg_free(msg);

	/* not capped: after the whole echoed request, of an odd length */
	vesp_error_clear(&err);
	msg = error_message(-22, false, 37, text, true);
	assert_int_equal(vesp_extack_parse(nlmsg_hdr(msg), &errnum, &err), 0);
	assert_int_equal(errnum, 22);
	assert_string_equal(err.kernel_message, text);
	nlmsg_free(msg);

	/* no NLM_F_ACK_TLVS: no message */
	vesp_error_clear(&err);
	msg = error_message(-1, true, 0, text, false);
	assert_int_equal(vesp_extack_parse(nlmsg_hdr(msg), &errnum, &err), 0);
	assert_int_equal(errnum, 1);
	assert_false(vesp_error_has_kernel_message(&err));
	nlmsg_free(msg);

	/* error codes that are no negative errno are malformed, INT_MIN included */
	msg = error_message(INT32_MIN, true, 0, text, false);
	assert_int_equal(vesp_extack_parse(nlmsg_hdr(msg), &errnum, &err), -1);
	nlmsg_free(msg);
	msg = error_message(5, true, 0, text, false);
	assert_int_equal(vesp_extack_parse(nlmsg_hdr(msg), &errnum, &err), -1);
	nlmsg_free(msg);
	msg = error_message(-4096, true, 0, text, false);
	assert_int_equal(vesp_extack_parse(nlmsg_hdr(msg), &errnum, &err), -1);
	nlmsg_free(msg);

	/* an echoed request longer than the message is malformed */
	vesp_error_clear(&err);
	msg = error_message(-22, true, 0, text, false);
	((struct nlmsgerr *)nlmsg_data(nlmsg_hdr(msg)))->msg.nlmsg_len = 4096;
	nlmsg_hdr(msg)->nlmsg_flags = NLM_F_ACK_TLVS;
	assert_int_equal(vesp_extack_parse(nlmsg_hdr(msg), &errnum, &err), -1);
	nlmsg_free(msg);
}

static void test_extack_done_and_missing(void **state)
{
	struct vesp_error err;
	struct nl_msg *msg;
	int error = -90, errnum;

	(void)state;
	/* a dump that failed half way: NLMSG_DONE with the error and a message */
	vesp_error_clear(&err);
	msg = nlmsg_alloc_simple(NLMSG_DONE, NLM_F_MULTI | NLM_F_ACK_TLVS);
	assert_int_equal(nlmsg_append(msg, &error, sizeof(error), NLMSG_ALIGNTO), 0);
	nla_put_string(msg, NLMSGERR_ATTR_MSG, "dump too large");
	assert_int_equal(vesp_extack_parse(nlmsg_hdr(msg), &errnum, &err), 0);
	assert_int_equal(errnum, 90);
	assert_string_equal(err.kernel_message, "dump too large");
	nlmsg_free(msg);

	/* a required attribute missing, named by number */
	vesp_error_clear(&err);
	msg = error_message(-22, true, 0, "", false);
	nlmsg_hdr(msg)->nlmsg_flags |= NLM_F_ACK_TLVS;
	nla_put_u32(msg, NLMSGERR_ATTR_MISS_TYPE, VESP_A_SA_SPI);
	assert_int_equal(vesp_extack_parse(nlmsg_hdr(msg), &errnum, &err), 0);
	assert_int_equal(err.kernel_missing_attr, VESP_A_SA_SPI);
	assert_false(vesp_error_has_kernel_message(&err));
	nlmsg_free(msg);

	/* an ACK (error 0) with a warning */
	vesp_error_clear(&err);
	msg = error_message(0, true, 0, "fwmark ignored", true);
	assert_int_equal(vesp_extack_parse(nlmsg_hdr(msg), &errnum, &err), 0);
	assert_int_equal(errnum, 0);
	assert_string_equal(err.kernel_message, "fwmark ignored");
	nlmsg_free(msg);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_peer_dump),
		cmocka_unit_test(test_dev_dump_and_stats),
		cmocka_unit_test(test_malformed),
		cmocka_unit_test(test_event),
		cmocka_unit_test(test_path_event),
		cmocka_unit_test(test_extack),
		cmocka_unit_test(test_extack_done_and_missing),
	};

	return run_tap_tests("vesp_reply", tests);
}
