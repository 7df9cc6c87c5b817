// SPDX-License-Identifier: GPL-2.0
/*
 * Requests of the vesp family (lib/request.c), built without a kernel from
 * what the argument parsers produce, then parsed back with libnl under the
 * test's own policies: every attribute the uapi header asks for is there,
 * with the right type and value, and nothing else is.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <cmocka.h>

#include <netlink/attr.h>
#include <netlink/errno.h>
#include <netlink/genl/genl.h>

#include "lib/args.h"
#include "lib/request.h"
#include "lib/testutil.h"

#define FAMILY_ID 0x1d	/* any id will do: nothing is sent */

static const struct nla_policy top_policy[VESP_A_MAX + 1] = {
	[VESP_A_IFINDEX] = { .type = NLA_U32 },
	[VESP_A_IFNAME]	 = { .type = NLA_STRING, .maxlen = 16 },
	[VESP_A_FWMARK]	 = { .type = NLA_U32 },
	[VESP_A_PEER]	 = { .type = NLA_NESTED },
	[VESP_A_FLAGS]	 = { .type = NLA_U32 },
};

static const struct nla_policy peer_policy[VESP_A_PEER_MAX + 1] = {
	[VESP_A_PEER_ID]     = { .type = NLA_U32 },
	[VESP_A_PEER_PREFIX] = { .type = NLA_NESTED },
	[VESP_A_PEER_PATH]   = { .type = NLA_NESTED },
	[VESP_A_PEER_SA]     = { .type = NLA_NESTED },
	[VESP_A_PEER_LIVENESS_INTERVAL]   = { .type = NLA_U32 },
	[VESP_A_PEER_LIVENESS_MULTIPLIER] = { .type = NLA_U8 },
	[VESP_A_PEER_HOLD_DOWN]           = { .type = NLA_U32 },
	[VESP_A_PEER_ROAMING]             = { .type = NLA_U8 },
};

static const struct nla_policy sa_policy[VESP_A_SA_MAX + 1] = {
	[VESP_A_SA_SPI]		  = { .type = NLA_U32 },
	[VESP_A_SA_DIR]		  = { .type = NLA_U8 },
	[VESP_A_SA_ALG]		  = { .type = NLA_U32 },
	[VESP_A_SA_ENC_KEY]	  = { .type = NLA_UNSPEC, .minlen = 1 },
	[VESP_A_SA_AUTH_KEY]	  = { .type = NLA_UNSPEC, .minlen = 1 },
	[VESP_A_SA_ESN]		  = { .type = NLA_FLAG },
	[VESP_A_SA_REPLAY_WINDOW] = { .type = NLA_U32 },
	[VESP_A_SA_ACTIVE]	  = { .type = NLA_FLAG },
	[VESP_A_SA_SOFT_BYTES]	  = { .type = NLA_U64 },
	[VESP_A_SA_HARD_BYTES]	  = { .type = NLA_U64 },
	[VESP_A_SA_SOFT_PACKETS]  = { .type = NLA_U64 },
	[VESP_A_SA_HARD_PACKETS]  = { .type = NLA_U64 },
	[VESP_A_SA_SOFT_SECONDS]  = { .type = NLA_U32 },
	[VESP_A_SA_HARD_SECONDS]  = { .type = NLA_U32 },
};

static const struct nla_policy path_policy[VESP_A_PATH_MAX + 1] = {
	[VESP_A_PATH_ID]       = { .type = NLA_U32 },
	[VESP_A_PATH_FAMILY]   = { .type = NLA_U16 },
	[VESP_A_PATH_LOCAL]    = { .type = NLA_UNSPEC, .minlen = 4 },
	[VESP_A_PATH_REMOTE]   = { .type = NLA_UNSPEC, .minlen = 4 },
	[VESP_A_PATH_PRIORITY] = { .type = NLA_U32 },
};

static const struct nla_policy prefix_policy[VESP_A_PREFIX_MAX + 1] = {
	[VESP_A_PREFIX_FAMILY] = { .type = NLA_U16 },
	[VESP_A_PREFIX_ADDR]   = { .type = NLA_UNSPEC, .minlen = 4 },
	[VESP_A_PREFIX_LEN]    = { .type = NLA_U8 },
};

/* Count the attributes of @type directly inside @nest. */
static int count_nested(struct nlattr *nest, int type)
{
	struct nlattr *attr;
	int rem, n = 0;

	nla_for_each_nested(attr, nest, rem)
		if (nla_type(attr) == type)
			n++;
	return n;
}

/* Count every attribute directly inside @nest. */
static int count_all_nested(struct nlattr *nest)
{
	struct nlattr *attr;
	int rem, n = 0;

	nla_for_each_nested(attr, nest, rem)
		n++;
	return n;
}

/*
 * Check the genl header and the device of @msg, then return the peer nest
 * parsed into @peer_tb (its id checked against @peer_id).
 */
static void parse_request(struct nl_msg *msg, uint8_t cmd, const char *ifname,
			  uint32_t peer_id, struct nlattr **peer_tb, struct nlattr **peer_nest)
{
	struct nlmsghdr *hdr = nlmsg_hdr(msg);
	struct genlmsghdr *genl = nlmsg_data(hdr);
	struct nlattr *tb[VESP_A_MAX + 1];

	assert_int_equal(hdr->nlmsg_type, FAMILY_ID);
	assert_int_equal(genl->cmd, cmd);
	assert_int_equal(genl->version, VESP_GENL_VERSION);
	assert_int_equal(genlmsg_parse(hdr, 0, tb, VESP_A_MAX, top_policy), 0);
	assert_non_null(tb[VESP_A_IFNAME]);
	assert_string_equal(nla_get_string(tb[VESP_A_IFNAME]), ifname);
	assert_null(tb[VESP_A_IFINDEX]);
	assert_non_null(tb[VESP_A_PEER]);
	assert_int_equal(nla_parse_nested(peer_tb, VESP_A_PEER_MAX, tb[VESP_A_PEER], peer_policy),
			 0);
	assert_non_null(peer_tb[VESP_A_PEER_ID]);
	assert_int_equal(nla_get_u32(peer_tb[VESP_A_PEER_ID]), peer_id);
	*peer_nest = tb[VESP_A_PEER];
}

/* A mutable argv, as main() gets it. */
static int make_argv(char **argv, const char *const *words)
{
	int argc = 0;

	for (; words[argc]; argc++)
		argv[argc] = strdup(words[argc]);
	argv[argc] = NULL;
	return argc;
}

static void free_argv(char **argv, int argc)
{
	while (argc--)
		free(argv[argc]);
}

static void test_sa_add(void **state)
{
	static const char *const words[] = {
		"3", "in", "spi", "0xc0ffee", "alg", "aes-cbc-256-hmac-sha256",
		"enc-key", "000102030405060708090a0b0c0d0e0f101112131415161718191a1b1c1d1e1f",
		"auth-key", "a0a1a2a3a4a5a6a7a8a9aaabacadaeafb0b1b2b3b4b5b6b7b8b9babbbcbdbebf",
		"esn", "replay-window", "1024", "soft-bytes", "1G", "hard-bytes", "2G",
		"soft-packets", "1M", "hard-packets", "2M", "soft-time", "50m", "hard-time", "1h",
		NULL
	};
	struct nlattr *peer_tb[VESP_A_PEER_MAX + 1], *sa_tb[VESP_A_SA_MAX + 1], *peer_nest;
	struct vesp_dev_ref dev = { .ifname = "vesp0" };
	struct vesp_error err = { 0 };
	struct vesp_sa_args args;
	uint8_t enc[32], auth[32];
	struct nl_msg *msg;
	char *argv[32];
	int argc;

	(void)state;
	hex_decode(words[7], enc, sizeof(enc));
	hex_decode(words[9], auth, sizeof(auth));
	argc = make_argv(argv, words);
	if (vesp_args_sa_add(argc, argv, &args, &err))
		fail_msg("%s", err.text);
	msg = vesp_request_new(FAMILY_ID, VESP_CMD_SA_NEW, 0);
	assert_non_null(msg);
	assert_int_equal(vesp_request_sa(msg, &dev, args.peer_id, &args.sa, &args.keys), 0);
	vesp_sa_keys_wipe(&args.keys);

	parse_request(msg, VESP_CMD_SA_NEW, "vesp0", 3, peer_tb, &peer_nest);
	/* one SA nest, no prefixes or paths */
	assert_int_equal(count_nested(peer_nest, VESP_A_PEER_SA), 1);
	assert_int_equal(count_nested(peer_nest, VESP_A_PEER_PREFIX), 0);
	assert_int_equal(count_nested(peer_nest, VESP_A_PEER_PATH), 0);
	assert_int_equal(nla_parse_nested(sa_tb, VESP_A_SA_MAX, peer_tb[VESP_A_PEER_SA], sa_policy),
			 0);

	assert_int_equal(nla_get_u32(sa_tb[VESP_A_SA_SPI]), 0xc0ffee);
	assert_int_equal(nla_get_u8(sa_tb[VESP_A_SA_DIR]), VESP_SA_DIR_IN);
	assert_int_equal(nla_get_u32(sa_tb[VESP_A_SA_ALG]), VESP_SA_ALG_AES_CBC_HMAC_SHA256);
	assert_int_equal(nla_len(sa_tb[VESP_A_SA_ENC_KEY]), 32);
	assert_memory_equal(nla_data(sa_tb[VESP_A_SA_ENC_KEY]), enc, 32);
	assert_int_equal(nla_len(sa_tb[VESP_A_SA_AUTH_KEY]), 32);
	assert_memory_equal(nla_data(sa_tb[VESP_A_SA_AUTH_KEY]), auth, 32);
	assert_non_null(sa_tb[VESP_A_SA_ESN]);
	assert_int_equal(nla_len(sa_tb[VESP_A_SA_ESN]), 0);
	assert_null(sa_tb[VESP_A_SA_ACTIVE]);
	assert_int_equal(nla_get_u32(sa_tb[VESP_A_SA_REPLAY_WINDOW]), 1024);
	assert_int_equal(nla_get_u64(sa_tb[VESP_A_SA_SOFT_BYTES]), 1ULL << 30);
	assert_int_equal(nla_get_u64(sa_tb[VESP_A_SA_HARD_BYTES]), 2ULL << 30);
	assert_int_equal(nla_get_u64(sa_tb[VESP_A_SA_SOFT_PACKETS]), 1000000);
	assert_int_equal(nla_get_u64(sa_tb[VESP_A_SA_HARD_PACKETS]), 2000000);
	assert_int_equal(nla_get_u32(sa_tb[VESP_A_SA_SOFT_SECONDS]), 3000);
	assert_int_equal(nla_get_u32(sa_tb[VESP_A_SA_HARD_SECONDS]), 3600);
	/* read-only attributes never go to the kernel */
	assert_null(sa_tb[VESP_A_SA_SEQ]);
	assert_null(sa_tb[VESP_A_SA_PACKETS]);
	assert_null(sa_tb[VESP_A_SA_BYTES]);
	assert_null(sa_tb[VESP_A_SA_AGE]);
	assert_null(sa_tb[VESP_A_SA_EXPIRE_REASON]);
	/* exactly the 13 attributes given, nothing repeated */
	assert_int_equal(count_all_nested(peer_tb[VESP_A_PEER_SA]), 13);

	vesp_request_free(msg);
	free_argv(argv, argc);
}

static void test_sa_add_minimal_aead(void **state)
{
	static const char *const words[] = {
		"1", "out", "spi", "4096", "alg", "chacha20-poly1305", "enc-key",
		"000102030405060708090a0b0c0d0e0f101112131415161718191a1b1c1d1e1f20212223",
		"active", NULL
	};
	struct nlattr *peer_tb[VESP_A_PEER_MAX + 1], *sa_tb[VESP_A_SA_MAX + 1], *peer_nest;
	struct vesp_dev_ref dev = { .ifname = "tun-a" };
	struct vesp_error err = { 0 };
	struct vesp_sa_args args;
	struct nl_msg *msg;
	char *argv[16];
	int argc;

	(void)state;
	argc = make_argv(argv, words);
	if (vesp_args_sa_add(argc, argv, &args, &err))
		fail_msg("%s", err.text);
	msg = vesp_request_new(FAMILY_ID, VESP_CMD_SA_NEW, 0);
	assert_int_equal(vesp_request_sa(msg, &dev, args.peer_id, &args.sa, &args.keys), 0);
	vesp_sa_keys_wipe(&args.keys);
	parse_request(msg, VESP_CMD_SA_NEW, "tun-a", 1, peer_tb, &peer_nest);
	assert_int_equal(nla_parse_nested(sa_tb, VESP_A_SA_MAX, peer_tb[VESP_A_PEER_SA], sa_policy),
			 0);
	assert_int_equal(nla_get_u8(sa_tb[VESP_A_SA_DIR]), VESP_SA_DIR_OUT);
	assert_int_equal(nla_get_u32(sa_tb[VESP_A_SA_ALG]), VESP_SA_ALG_CHACHA20_POLY1305);
	assert_int_equal(nla_len(sa_tb[VESP_A_SA_ENC_KEY]), 36);
	assert_null(sa_tb[VESP_A_SA_AUTH_KEY]);
	assert_non_null(sa_tb[VESP_A_SA_ACTIVE]);
	assert_null(sa_tb[VESP_A_SA_ESN]);
	/* unset limits and window are left to the kernel's defaults */
	assert_null(sa_tb[VESP_A_SA_REPLAY_WINDOW]);
	assert_null(sa_tb[VESP_A_SA_SOFT_BYTES]);
	assert_null(sa_tb[VESP_A_SA_HARD_SECONDS]);
	assert_int_equal(count_all_nested(peer_tb[VESP_A_PEER_SA]), 5);
	vesp_request_free(msg);
	free_argv(argv, argc);
}

static void test_sa_del_and_activate(void **state)
{
	static const char *const del_words[] = { "2", "out", "0x1234", NULL };
	static const char *const activate_words[] = { "2", "0x1235", NULL };
	struct nlattr *peer_tb[VESP_A_PEER_MAX + 1], *sa_tb[VESP_A_SA_MAX + 1], *peer_nest;
	struct vesp_dev_ref dev = { .ifname = "vesp1" };
	struct vesp_error err = { 0 };
	struct vesp_sa_args args;
	struct nl_msg *msg;
	char *argv[8];
	int argc;

	(void)state;
	argc = make_argv(argv, del_words);
	assert_int_equal(vesp_args_sa_del(argc, argv, &args, &err), 0);
	msg = vesp_request_new(FAMILY_ID, VESP_CMD_SA_DEL, 0);
	assert_int_equal(vesp_request_sa(msg, &dev, args.peer_id, &args.sa, NULL), 0);
	parse_request(msg, VESP_CMD_SA_DEL, "vesp1", 2, peer_tb, &peer_nest);
	assert_int_equal(nla_parse_nested(sa_tb, VESP_A_SA_MAX, peer_tb[VESP_A_PEER_SA], sa_policy),
			 0);
	assert_int_equal(nla_get_u32(sa_tb[VESP_A_SA_SPI]), 0x1234);
	assert_int_equal(nla_get_u8(sa_tb[VESP_A_SA_DIR]), VESP_SA_DIR_OUT);
	assert_int_equal(count_all_nested(peer_tb[VESP_A_PEER_SA]), 2);
	vesp_request_free(msg);
	free_argv(argv, argc);

	argc = make_argv(argv, activate_words);
	assert_int_equal(vesp_args_sa_activate(argc, argv, &args, &err), 0);
	msg = vesp_request_new(FAMILY_ID, VESP_CMD_SA_SET, 0);
	assert_int_equal(vesp_request_sa(msg, &dev, args.peer_id, &args.sa, &args.keys), 0);
	parse_request(msg, VESP_CMD_SA_SET, "vesp1", 2, peer_tb, &peer_nest);
	assert_int_equal(nla_parse_nested(sa_tb, VESP_A_SA_MAX, peer_tb[VESP_A_PEER_SA], sa_policy),
			 0);
	assert_int_equal(nla_get_u32(sa_tb[VESP_A_SA_SPI]), 0x1235);
	assert_int_equal(nla_get_u8(sa_tb[VESP_A_SA_DIR]), VESP_SA_DIR_OUT);
	assert_non_null(sa_tb[VESP_A_SA_ACTIVE]);
	assert_null(sa_tb[VESP_A_SA_ENC_KEY]);
	assert_int_equal(count_all_nested(peer_tb[VESP_A_PEER_SA]), 3);
	vesp_request_free(msg);
	free_argv(argv, argc);
}

static void test_peer_set_liveness(void **state)
{
	static const char *const words[] = { "9", "liveness", "100", "hold-down", "2s", "roaming",
					     "off", NULL };
	struct nlattr *peer_tb[VESP_A_PEER_MAX + 1], *peer_nest;
	struct vesp_dev_ref dev = { .ifname = "vesp0" };
	struct vesp_error err = { 0 };
	struct vesp_peer peer;
	struct nl_msg *msg;
	char *argv[8];
	int argc;

	(void)state;
	argc = make_argv(argv, words);
	assert_int_equal(vesp_args_peer_set(argc, argv, &peer, &err), 0);
	msg = vesp_request_new(FAMILY_ID, VESP_CMD_PEER_SET, 0);
	assert_int_equal(vesp_request_peer(msg, &dev, &peer), 0);
	vesp_peer_free(&peer);
	parse_request(msg, VESP_CMD_PEER_SET, "vesp0", 9, peer_tb, &peer_nest);
	assert_int_equal(nla_get_u32(peer_tb[VESP_A_PEER_LIVENESS_INTERVAL]), 100);
	assert_int_equal(nla_get_u32(peer_tb[VESP_A_PEER_HOLD_DOWN]), 2000);
	assert_int_equal(nla_get_u8(peer_tb[VESP_A_PEER_ROAMING]), 0);
	/* what was not named is left to the kernel's current value */
	assert_null(peer_tb[VESP_A_PEER_LIVENESS_MULTIPLIER]);
	assert_int_equal(count_nested(peer_nest, VESP_A_PEER_PREFIX), 0);
	vesp_request_free(msg);
	free_argv(argv, argc);
}

static void test_peer_replace(void **state)
{
	static const char *const words[] = { "9", "prefix", "10.1.0.0/16", "prefix", "::/0", NULL };
	struct nlattr *peer_tb[VESP_A_PEER_MAX + 1], *prefix_tb[VESP_A_PREFIX_MAX + 1];
	struct nlattr *peer_nest, *attr;
	struct vesp_dev_ref dev = { .ifname = "vesp0" };
	static const uint8_t ten_one[4] = { 10, 1, 0, 0 };
	static const uint8_t zeros[16];
	struct vesp_error err = { 0 };
	struct vesp_peer peer;
	struct nl_msg *msg;
	char *argv[8];
	int argc, rem, seen = 0;

	(void)state;
	argc = make_argv(argv, words);
	assert_int_equal(vesp_args_peer(argc, argv, &peer, &err), 0);
	msg = vesp_request_new(FAMILY_ID, VESP_CMD_PEER_NEW, NLM_F_REPLACE);
	assert_int_equal(vesp_request_peer(msg, &dev, &peer), 0);
	vesp_peer_free(&peer);

	assert_true(nlmsg_hdr(msg)->nlmsg_flags & NLM_F_REPLACE);
	parse_request(msg, VESP_CMD_PEER_NEW, "vesp0", 9, peer_tb, &peer_nest);
	assert_int_equal(count_nested(peer_nest, VESP_A_PEER_PREFIX), 2);
	/* the prefixes, in the order given */
	nla_for_each_nested(attr, peer_nest, rem) {
		if (nla_type(attr) != VESP_A_PEER_PREFIX)
			continue;
		assert_int_equal(nla_parse_nested(prefix_tb, VESP_A_PREFIX_MAX, attr, prefix_policy),
				 0);
		if (seen++ == 0) {
			assert_int_equal(nla_get_u16(prefix_tb[VESP_A_PREFIX_FAMILY]), AF_INET);
			assert_int_equal(nla_len(prefix_tb[VESP_A_PREFIX_ADDR]), 4);
			assert_memory_equal(nla_data(prefix_tb[VESP_A_PREFIX_ADDR]), ten_one, 4);
			assert_int_equal(nla_get_u8(prefix_tb[VESP_A_PREFIX_LEN]), 16);
		} else {
			assert_int_equal(nla_get_u16(prefix_tb[VESP_A_PREFIX_FAMILY]), AF_INET6);
			assert_int_equal(nla_len(prefix_tb[VESP_A_PREFIX_ADDR]), 16);
			assert_memory_equal(nla_data(prefix_tb[VESP_A_PREFIX_ADDR]), zeros, 16);
			assert_int_equal(nla_get_u8(prefix_tb[VESP_A_PREFIX_LEN]), 0);
		}
	}
	assert_int_equal(seen, 2);
	vesp_request_free(msg);
	free_argv(argv, argc);
}

/* A peer with @n_v4 IPv4 /24s and @n_v6 IPv6 /64s, all different. */
static void many_prefixes(struct vesp_peer *peer, size_t n_v4, size_t n_v6)
{
	size_t i;

	*peer = (struct vesp_peer){ .id = 3, .n_prefixes = n_v4 + n_v6 };
	peer->prefixes = calloc(peer->n_prefixes, sizeof(*peer->prefixes));
	assert_non_null(peer->prefixes);
	for (i = 0; i < peer->n_prefixes; i++) {
		struct vesp_prefix *p = &peer->prefixes[i];

		if (i < n_v4) {
			p->addr.family = AF_INET;
			p->addr.bytes[0] = 10;
			p->addr.bytes[1] = (uint8_t)(i >> 8);
			p->addr.bytes[2] = (uint8_t)i;
			p->len = 24;
		} else {
			p->addr.family = AF_INET6;
			p->addr.bytes[0] = 0xfd;
			p->addr.bytes[2] = (uint8_t)(i >> 8);
			p->addr.bytes[3] = (uint8_t)i;
			p->len = 64;
		}
	}
}

/* Build a PEER_NEW for @peer; its result, and on success the prefixes it holds. */
static int build_peer(const struct vesp_peer *peer, int *n_prefixes)
{
	struct vesp_dev_ref dev = { .ifname = "vesp0" };
	struct nlattr *peer_tb[VESP_A_PEER_MAX + 1], *peer_nest;
	struct nl_msg *msg;
	int ret;

	msg = vesp_request_new(FAMILY_ID, VESP_CMD_PEER_NEW, 0);
	assert_non_null(msg);
	ret = vesp_request_peer(msg, &dev, peer);
	if (!ret) {
		parse_request(msg, VESP_CMD_PEER_NEW, "vesp0", peer->id, peer_tb, &peer_nest);
		*n_prefixes = count_nested(peer_nest, VESP_A_PEER_PREFIX);
	}
	vesp_request_free(msg);
	return ret;
}

/*
 * Thousands of prefixes fit one request, up to the 16-bit length of the
 * peer nest; one more is refused as too large, not cut off or wrapped.
 */
static void test_peer_many_prefixes(void **state)
{
	struct vesp_peer peer;
	int n = 0;

	(void)state;
	many_prefixes(&peer, 1500, 500);
	assert_int_equal(build_peer(&peer, &n), 0);
	assert_int_equal(n, 2000);
	vesp_peer_free(&peer);

	many_prefixes(&peer, VESP_REQUEST_MAX_PREFIXES_V4, 0);
	assert_int_equal(build_peer(&peer, &n), 0);
	assert_int_equal(n, VESP_REQUEST_MAX_PREFIXES_V4);
	vesp_peer_free(&peer);
	many_prefixes(&peer, VESP_REQUEST_MAX_PREFIXES_V4 + 1, 0);
	assert_int_equal(build_peer(&peer, &n), -NLE_ATTRSIZE);
	vesp_peer_free(&peer);

	many_prefixes(&peer, 0, VESP_REQUEST_MAX_PREFIXES_V6);
	assert_int_equal(build_peer(&peer, &n), 0);
	assert_int_equal(n, VESP_REQUEST_MAX_PREFIXES_V6);
	vesp_peer_free(&peer);
	many_prefixes(&peer, 0, VESP_REQUEST_MAX_PREFIXES_V6 + 1);
	assert_int_equal(build_peer(&peer, &n), -NLE_ATTRSIZE);
	vesp_peer_free(&peer);
}

static void test_path(void **state)
{
	static const char *const with_local[] = { "4", "1", "remote", "192.0.2.2", "local",
						  "192.0.2.1", "priority", "5", NULL };
	static const char *const without_local[] = { "4", "2", "remote", "2001:db8::2", NULL };
	struct nlattr *peer_tb[VESP_A_PEER_MAX + 1], *path_tb[VESP_A_PATH_MAX + 1], *peer_nest;
	struct vesp_dev_ref dev = { .ifname = "vesp0" };
	static const uint8_t remote4[4] = { 192, 0, 2, 2 }, local4[4] = { 192, 0, 2, 1 };
	struct vesp_error err = { 0 };
	struct vesp_path path;
	struct nl_msg *msg;
	uint32_t peer_id;
	char *argv[10];
	int argc;

	(void)state;
	argc = make_argv(argv, with_local);
	assert_int_equal(vesp_args_path_add(argc, argv, &peer_id, &path, &err), 0);
	msg = vesp_request_new(FAMILY_ID, VESP_CMD_PATH_NEW, 0);
	assert_int_equal(vesp_request_path(msg, &dev, peer_id, &path), 0);
	parse_request(msg, VESP_CMD_PATH_NEW, "vesp0", 4, peer_tb, &peer_nest);
	assert_int_equal(count_nested(peer_nest, VESP_A_PEER_PATH), 1);
	assert_int_equal(nla_parse_nested(path_tb, VESP_A_PATH_MAX, peer_tb[VESP_A_PEER_PATH],
					  path_policy), 0);
	assert_int_equal(nla_get_u32(path_tb[VESP_A_PATH_ID]), 1);
	assert_int_equal(nla_get_u16(path_tb[VESP_A_PATH_FAMILY]), AF_INET);
	assert_int_equal(nla_len(path_tb[VESP_A_PATH_REMOTE]), 4);
	assert_memory_equal(nla_data(path_tb[VESP_A_PATH_REMOTE]), remote4, 4);
	assert_int_equal(nla_len(path_tb[VESP_A_PATH_LOCAL]), 4);
	assert_memory_equal(nla_data(path_tb[VESP_A_PATH_LOCAL]), local4, 4);
	assert_int_equal(nla_get_u32(path_tb[VESP_A_PATH_PRIORITY]), 5);
	vesp_request_free(msg);
	free_argv(argv, argc);

	/* no local address: none is sent, the kernel lets routing choose */
	argc = make_argv(argv, without_local);
	assert_int_equal(vesp_args_path_add(argc, argv, &peer_id, &path, &err), 0);
	msg = vesp_request_new(FAMILY_ID, VESP_CMD_PATH_NEW, 0);
	assert_int_equal(vesp_request_path(msg, &dev, peer_id, &path), 0);
	parse_request(msg, VESP_CMD_PATH_NEW, "vesp0", 4, peer_tb, &peer_nest);
	assert_int_equal(nla_parse_nested(path_tb, VESP_A_PATH_MAX, peer_tb[VESP_A_PEER_PATH],
					  path_policy), 0);
	assert_int_equal(nla_get_u16(path_tb[VESP_A_PATH_FAMILY]), AF_INET6);
	assert_int_equal(nla_len(path_tb[VESP_A_PATH_REMOTE]), 16);
	assert_null(path_tb[VESP_A_PATH_LOCAL]);
	assert_null(path_tb[VESP_A_PATH_PRIORITY]);
	vesp_request_free(msg);
	free_argv(argv, argc);
}

static void test_dev_ref_and_set(void **state)
{
	struct nlattr *tb[VESP_A_MAX + 1];
	struct vesp_dev_ref by_index = { .ifindex = 17, .ifname = "ignored" };
	struct vesp_dev_ref nothing = { 0 };
	const struct vesp_dev_settings mark_only = {
		.present = 1ULL << VESP_A_FWMARK, .fwmark = 0x2a,
	};
	const struct vesp_dev_settings carrier_on = {
		.present = 1ULL << VESP_A_FLAGS, .flags_on = VESP_LINK_F_CARRIER_LIVENESS,
	};
	const struct vesp_dev_settings dscp_off = {
		.present = 1ULL << VESP_A_FLAGS, .flags_off = VESP_LINK_F_COPY_DSCP,
	};
	struct nl_msg *msg;

	(void)state;
	msg = vesp_request_new(FAMILY_ID, VESP_CMD_DEV_SET, 0);
	assert_int_equal(vesp_request_dev_set(msg, &by_index, &mark_only, 0), 0);
	assert_int_equal(genlmsg_parse(nlmsg_hdr(msg), 0, tb, VESP_A_MAX, top_policy), 0);
	assert_int_equal(nla_get_u32(tb[VESP_A_IFINDEX]), 17);
	assert_null(tb[VESP_A_IFNAME]);
	assert_int_equal(nla_get_u32(tb[VESP_A_FWMARK]), 0x2a);
	assert_null(tb[VESP_A_FLAGS]);
	assert_null(tb[VESP_A_PEER]);
	vesp_request_free(msg);

	/* a flag changes one bit of the word the device has */
	msg = vesp_request_new(FAMILY_ID, VESP_CMD_DEV_SET, 0);
	assert_int_equal(vesp_request_dev_set(msg, &by_index, &carrier_on, VESP_LINK_F_COPY_DSCP),
			 0);
	assert_int_equal(genlmsg_parse(nlmsg_hdr(msg), 0, tb, VESP_A_MAX, top_policy), 0);
	assert_null(tb[VESP_A_FWMARK]);
	assert_int_equal(nla_get_u32(tb[VESP_A_FLAGS]),
			 VESP_LINK_F_COPY_DSCP | VESP_LINK_F_CARRIER_LIVENESS);
	vesp_request_free(msg);
	msg = vesp_request_new(FAMILY_ID, VESP_CMD_DEV_SET, 0);
	assert_int_equal(vesp_request_dev_set(msg, &by_index, &dscp_off, VESP_LINK_F_ALL), 0);
	assert_int_equal(genlmsg_parse(nlmsg_hdr(msg), 0, tb, VESP_A_MAX, top_policy), 0);
	assert_int_equal(nla_get_u32(tb[VESP_A_FLAGS]), VESP_LINK_F_CARRIER_LIVENESS);
	vesp_request_free(msg);

	/* a request must name its device */
	msg = vesp_request_new(FAMILY_ID, VESP_CMD_DEV_GET, 0);
	assert_true(vesp_request_put_dev(msg, &nothing) < 0);
	vesp_request_free(msg);
	vesp_request_free(NULL);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_sa_add),
		cmocka_unit_test(test_sa_add_minimal_aead),
		cmocka_unit_test(test_sa_del_and_activate),
		cmocka_unit_test(test_peer_set_liveness),
		cmocka_unit_test(test_peer_replace),
		cmocka_unit_test(test_peer_many_prefixes),
		cmocka_unit_test(test_path),
		cmocka_unit_test(test_dev_ref_and_set),
	};

	return run_tap_tests("vesp_request", tests);
}
