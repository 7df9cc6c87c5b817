// SPDX-License-Identifier: GPL-2.0
/*
 * Command line values of the vesp tool (lib/parse.c, lib/address.c,
 * lib/key.c, lib/algorithm.c, lib/args.c): what is accepted, what is
 * rejected, and that every rejection quotes the bad value, except keys,
 * which are never echoed.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>
#include <cmocka.h>

#include "lib/address.h"
#include "lib/algorithm.h"
#include "lib/args.h"
#include "lib/key.h"
#include "lib/parse.h"
#include "lib/testutil.h"

/* A rejection whose message must contain @quoted. */
#define assert_rejected(call, err, quoted)						\
	do {										\
		assert_int_equal((call), -1);						\
		if (!strstr((err).text, (quoted)))					\
			fail_msg("message \"%s\" lacks \"%s\"", (err).text, (quoted));	\
	} while (0)

static void test_u32(void **state)
{
	(void)state;
	struct vesp_error err = { 0 };
	uint32_t v = 7;

	assert_int_equal(vesp_parse_u32("0", &v, "fwmark", &err), 0);
	assert_int_equal(v, 0);
	assert_int_equal(vesp_parse_u32("4294967295", &v, "fwmark", &err), 0);
	assert_int_equal(v, UINT32_MAX);
	assert_int_equal(vesp_parse_u32("0x2A", &v, "fwmark", &err), 0);
	assert_int_equal(v, 42);
	/* no octal surprise */
	assert_int_equal(vesp_parse_u32("010", &v, "fwmark", &err), 0);
	assert_int_equal(v, 10);

	assert_rejected(vesp_parse_u32("4294967296", &v, "fwmark", &err), err,
			"invalid fwmark \"4294967296\"");
	assert_rejected(vesp_parse_u32("-1", &v, "fwmark", &err), err, "\"-1\"");
	assert_rejected(vesp_parse_u32("+1", &v, "fwmark", &err), err, "\"+1\"");
	assert_rejected(vesp_parse_u32(" 1", &v, "fwmark", &err), err, "\" 1\"");
	assert_rejected(vesp_parse_u32("1 ", &v, "fwmark", &err), err, "\"1 \"");
	assert_rejected(vesp_parse_u32("", &v, "fwmark", &err), err, "invalid fwmark \"\"");
	assert_rejected(vesp_parse_u32("0x", &v, "fwmark", &err), err, "\"0x\"");
	assert_rejected(vesp_parse_u32("1e3", &v, "fwmark", &err), err, "\"1e3\"");
	assert_rejected(vesp_parse_u32("99999999999999999999999", &v, "fwmark", &err), err,
			"\"99999999999999999999999\"");
}

static void test_spi(void **state)
{
	(void)state;
	struct vesp_error err = { 0 };
	uint32_t spi = 0;

	assert_int_equal(vesp_parse_spi("256", &spi, &err), 0);
	assert_int_equal(spi, 256);
	assert_int_equal(vesp_parse_spi("0x100", &spi, &err), 0);
	assert_int_equal(spi, 0x100);
	assert_int_equal(vesp_parse_spi("0xffffffff", &spi, &err), 0);
	assert_int_equal(spi, 0xffffffffu);

	assert_rejected(vesp_parse_spi("0x1g", &spi, &err), err, "invalid SPI \"0x1g\"");
	assert_string_equal(err.text, "invalid SPI \"0x1g\"");
	assert_rejected(vesp_parse_spi("255", &spi, &err), err, "invalid SPI \"255\"");
	assert_rejected(vesp_parse_spi("0", &spi, &err), err, "reserved");
	assert_rejected(vesp_parse_spi("0x100000000", &spi, &err), err, "\"0x100000000\"");
	assert_rejected(vesp_parse_spi("spi", &spi, &err), err, "\"spi\"");
}

static void test_ids_and_names(void **state)
{
	(void)state;
	struct vesp_error err = { 0 };
	uint32_t id = 0;
	uint8_t dir = 0;

	assert_int_equal(vesp_parse_id("1", &id, "peer id", &err), 0);
	assert_int_equal(id, 1);
	assert_rejected(vesp_parse_id("0", &id, "peer id", &err), err, "invalid peer id \"0\"");

	assert_int_equal(vesp_parse_dir("in", &dir, &err), 0);
	assert_int_equal(dir, VESP_SA_DIR_IN);
	assert_int_equal(vesp_parse_dir("out", &dir, &err), 0);
	assert_int_equal(dir, VESP_SA_DIR_OUT);
	assert_rejected(vesp_parse_dir("both", &dir, &err), err, "\"both\"");

	assert_int_equal(vesp_parse_ifname("vesp0", &err), 0);
	assert_int_equal(vesp_parse_ifname("a23456789012345", &err), 0);
	assert_rejected(vesp_parse_ifname("a234567890123456", &err), err, "\"a234567890123456\"");
	assert_rejected(vesp_parse_ifname("", &err), err, "invalid device name \"\"");
	assert_rejected(vesp_parse_ifname("a/b", &err), err, "\"a/b\"");
	assert_rejected(vesp_parse_ifname("a b", &err), err, "\"a b\"");
	assert_rejected(vesp_parse_ifname("..", &err), err, "\"..\"");
}

static void expect_prefix(const char *text, uint16_t family, const char *addr_hex, uint8_t len)
{
	struct vesp_error err = { 0 };
	struct vesp_prefix prefix;
	uint8_t bytes[16];
	size_t n = hex_decode(addr_hex, bytes, sizeof(bytes));

	if (vesp_parse_prefix(text, &prefix, &err))
		fail_msg("\"%s\": %s", text, err.text);
	assert_int_equal(prefix.addr.family, family);
	assert_int_equal(n, vesp_addr_len(family));
	assert_memory_equal(prefix.addr.bytes, bytes, n);
	assert_int_equal(prefix.len, len);
}

static void test_prefix(void **state)
{
	(void)state;
	struct vesp_error err = { 0 };
	struct vesp_prefix prefix;
	char text[VESP_PREFIX_TEXT_LEN];

	expect_prefix("10.0.0.0/24", AF_INET, "0a000000", 24);
	expect_prefix("0.0.0.0/0", AF_INET, "00000000", 0);
	expect_prefix("192.0.2.7", AF_INET, "c0000207", 32);
	expect_prefix("192.0.2.6/31", AF_INET, "c0000206", 31);
	expect_prefix("::/0", AF_INET6, "00000000000000000000000000000000", 0);
	expect_prefix("fd00::/8", AF_INET6, "fd000000000000000000000000000000", 8);
	expect_prefix("2001:db8::2/127", AF_INET6, "20010db8000000000000000000000002", 127);
	expect_prefix("2001:db8::1", AF_INET6, "20010db8000000000000000000000001", 128);

	/* host bits: rejected, with the prefix that was probably meant */
	assert_rejected(vesp_parse_prefix("10.0.0.1/24", &prefix, &err), err,
			"invalid prefix \"10.0.0.1/24\"");
	assert_non_null(strstr(err.text, "host bits"));
	assert_non_null(strstr(err.text, "10.0.0.0/24"));
	assert_rejected(vesp_parse_prefix("1.0.0.0/0", &prefix, &err), err, "0.0.0.0/0");
	assert_rejected(vesp_parse_prefix("192.0.2.7/31", &prefix, &err), err, "192.0.2.6/31");
	assert_rejected(vesp_parse_prefix("2001:db8::1/64", &prefix, &err), err, "2001:db8::/64");
	assert_rejected(vesp_parse_prefix("2001:db8::3/127", &prefix, &err), err,
			"2001:db8::2/127");

	/* lengths */
	assert_rejected(vesp_parse_prefix("10.0.0.0/33", &prefix, &err), err, "\"10.0.0.0/33\"");
	assert_non_null(strstr(err.text, "0..32"));
	assert_rejected(vesp_parse_prefix("::/129", &prefix, &err), err, "0..128");
	assert_rejected(vesp_parse_prefix("10.0.0.0/", &prefix, &err), err, "\"10.0.0.0/\"");
	assert_rejected(vesp_parse_prefix("10.0.0.0/-1", &prefix, &err), err, "\"10.0.0.0/-1\"");
	assert_rejected(vesp_parse_prefix("10.0.0.0/ 8", &prefix, &err), err, "\"10.0.0.0/ 8\"");
	assert_rejected(vesp_parse_prefix("10.0.0.0/8/8", &prefix, &err), err, "\"10.0.0.0/8/8\"");
	assert_rejected(vesp_parse_prefix("10.0.0.0/1000", &prefix, &err), err, "1000");

	/* addresses */
	assert_rejected(vesp_parse_prefix("10.0.0/8", &prefix, &err), err, "\"10.0.0/8\"");
	assert_rejected(vesp_parse_prefix("host/8", &prefix, &err), err, "\"host/8\"");
	assert_rejected(vesp_parse_prefix("", &prefix, &err), err, "\"\"");

	/* formatting gives back the canonical text */
	assert_int_equal(vesp_parse_prefix("2001:0db8:0:0::/32", &prefix, &err), 0);
	assert_string_equal(vesp_format_prefix(&prefix, text, sizeof(text)), "2001:db8::/32");
}

static void test_addr(void **state)
{
	(void)state;
	struct vesp_error err = { 0 };
	struct vesp_addr addr;
	char text[VESP_PREFIX_TEXT_LEN];

	assert_int_equal(vesp_parse_addr("192.0.2.1", &addr, "remote address", &err), 0);
	assert_int_equal(addr.family, AF_INET);
	assert_string_equal(vesp_format_addr(&addr, text, sizeof(text)), "192.0.2.1");
	assert_int_equal(vesp_parse_addr("2001:db8::1", &addr, "remote address", &err), 0);
	assert_int_equal(addr.family, AF_INET6);
	assert_string_equal(vesp_format_addr(&addr, text, sizeof(text)), "2001:db8::1");
	assert_rejected(vesp_parse_addr("192.0.2.256", &addr, "remote address", &err), err,
			"invalid remote address \"192.0.2.256\"");
	assert_rejected(vesp_parse_addr("192.0.2.1/32", &addr, "local address", &err), err,
			"invalid local address \"192.0.2.1/32\"");
}

static void test_units(void **state)
{
	(void)state;
	struct vesp_error err = { 0 };
	uint64_t n = 0;
	uint32_t s = 0;
	char buf[32];

	assert_int_equal(vesp_parse_bytes("100M", &n, "soft-bytes", &err), 0);
	assert_int_equal(n, 100ULL << 20);
	assert_int_equal(vesp_parse_bytes("1K", &n, "soft-bytes", &err), 0);
	assert_int_equal(n, 1024);
	assert_int_equal(vesp_parse_bytes("2T", &n, "soft-bytes", &err), 0);
	assert_int_equal(n, 2ULL << 40);
	assert_int_equal(vesp_parse_bytes("1500", &n, "soft-bytes", &err), 0);
	assert_int_equal(n, 1500);
	assert_int_equal(vesp_parse_bytes("18446744073709551615", &n, "soft-bytes", &err), 0);
	assert_int_equal(n, UINT64_MAX);
	assert_rejected(vesp_parse_bytes("18446744073709551616", &n, "hard-bytes", &err), err,
			"invalid hard-bytes \"18446744073709551616\"");
	assert_rejected(vesp_parse_bytes("17179869184G", &n, "hard-bytes", &err), err,
			"\"17179869184G\"");
	assert_rejected(vesp_parse_bytes("1MB", &n, "hard-bytes", &err), err, "\"1MB\"");
	assert_rejected(vesp_parse_bytes("M", &n, "hard-bytes", &err), err, "\"M\"");
	assert_rejected(vesp_parse_bytes("0x10", &n, "hard-bytes", &err), err, "\"0x10\"");

	assert_int_equal(vesp_parse_packets("10k", &n, "soft-packets", &err), 0);
	assert_int_equal(n, 10000);
	assert_int_equal(vesp_parse_packets("3G", &n, "soft-packets", &err), 0);
	assert_int_equal(n, 3000000000ULL);
	assert_rejected(vesp_parse_packets("1K", &n, "soft-packets", &err), err, "\"1K\"");

	assert_int_equal(vesp_parse_seconds("90", &s, "soft-time", &err), 0);
	assert_int_equal(s, 90);
	assert_int_equal(vesp_parse_seconds("10m", &s, "soft-time", &err), 0);
	assert_int_equal(s, 600);
	assert_int_equal(vesp_parse_seconds("8h", &s, "soft-time", &err), 0);
	assert_int_equal(s, 8 * 3600);
	assert_int_equal(vesp_parse_seconds("2d", &s, "soft-time", &err), 0);
	assert_int_equal(s, 2 * 86400);
	assert_int_equal(vesp_parse_seconds("4294967295s", &s, "soft-time", &err), 0);
	assert_int_equal(s, UINT32_MAX);
	assert_rejected(vesp_parse_seconds("4294967296", &s, "hard-time", &err), err,
			"invalid hard-time \"4294967296\"");
	assert_rejected(vesp_parse_seconds("49711d", &s, "hard-time", &err), err, "\"49711d\"");
	assert_rejected(vesp_parse_seconds("1w", &s, "hard-time", &err), err, "\"1w\"");
	assert_rejected(vesp_parse_seconds("1h30m", &s, "hard-time", &err), err, "\"1h30m\"");

	assert_int_equal(vesp_parse_replay_window("4096", &s, &err), 0);
	assert_rejected(vesp_parse_replay_window("4097", &s, &err), err, "\"4097\"");

	/* display uses the same units, so what is shown can be typed back */
	assert_string_equal(vesp_format_bytes(100ULL << 20, buf, sizeof(buf)), "100M");
	assert_string_equal(vesp_format_bytes(1536, buf, sizeof(buf)), "1536");
	assert_string_equal(vesp_format_bytes(3072, buf, sizeof(buf)), "3K");
	assert_string_equal(vesp_format_bytes(0, buf, sizeof(buf)), "0");
	assert_string_equal(vesp_format_packets(2000000, buf, sizeof(buf)), "2M");
	assert_string_equal(vesp_format_seconds(3600, buf, sizeof(buf)), "1h");
	assert_string_equal(vesp_format_seconds(5400, buf, sizeof(buf)), "90m");
	assert_string_equal(vesp_format_seconds(61, buf, sizeof(buf)), "61s");
	assert_int_equal(vesp_parse_seconds(vesp_format_seconds(5400, buf, sizeof(buf)), &s,
					    "soft-time", &err), 0);
	assert_int_equal(s, 5400);
}

static void test_algorithms(void **state)
{
	(void)state;
	const struct vesp_algorithm *alg;

	alg = vesp_algorithm_by_name("aes-gcm-128");
	assert_non_null(alg);
	assert_int_equal(alg->alg, VESP_SA_ALG_AES_GCM_16);
	assert_int_equal(alg->enc_key_len, 20);
	assert_int_equal(alg->auth_key_len, 0);
	alg = vesp_algorithm_by_name("aes-gcm-256");
	assert_int_equal(alg->alg, VESP_SA_ALG_AES_GCM_16);
	assert_int_equal(alg->enc_key_len, 36);
	alg = vesp_algorithm_by_name("chacha20-poly1305");
	assert_int_equal(alg->alg, VESP_SA_ALG_CHACHA20_POLY1305);
	assert_int_equal(alg->enc_key_len, 36);
	alg = vesp_algorithm_by_name("aes-cbc-128-hmac-sha256");
	assert_int_equal(alg->alg, VESP_SA_ALG_AES_CBC_HMAC_SHA256);
	assert_int_equal(alg->enc_key_len, 16);
	assert_int_equal(alg->auth_key_len, 32);
	alg = vesp_algorithm_by_name("aes-cbc-256-hmac-sha256");
	assert_int_equal(alg->enc_key_len, 32);
	assert_int_equal(alg->auth_key_len, 32);
	alg = vesp_algorithm_by_name("null-hmac-sha256");
	assert_int_equal(alg->alg, VESP_SA_ALG_NULL_HMAC_SHA256);
	assert_int_equal(alg->enc_key_len, 0);
	assert_int_equal(alg->auth_key_len, 32);

	assert_null(vesp_algorithm_by_name("aes-gcm"));
	assert_null(vesp_algorithm_by_name("AES-GCM-128"));
	assert_null(vesp_algorithm_at(6));
	assert_string_equal(vesp_algorithm_family_name(VESP_SA_ALG_AES_GCM_16), "aes-gcm");
	assert_null(vesp_algorithm_family_name(99));
}

/* 20 bytes: an AES-128 key and a salt, and its hex. */
#define KEY20_HEX "000102030405060708090a0b0c0d0e0f10111213"

static void test_key_hex(void **state)
{
	(void)state;
	struct vesp_error err = { 0 };
	struct vesp_sa_keys keys = { 0 };
	uint8_t want[20];

	hex_decode(KEY20_HEX, want, sizeof(want));
	assert_int_equal(vesp_key_from_arg(&keys.enc, KEY20_HEX, "enc-key", &err), 0);
	assert_int_equal(keys.enc.len, 20);
	assert_memory_equal(keys.enc.bytes, want, 20);
	assert_int_equal(vesp_key_from_arg(&keys.enc, "0x" KEY20_HEX, "enc-key", &err), 0);
	assert_memory_equal(keys.enc.bytes, want, 20);
	assert_int_equal(vesp_key_check_lengths(&keys, vesp_algorithm_by_name("aes-gcm-128"), &err),
			 0);

	/* wrong length for the algorithm: says what is needed, never the key */
	assert_int_equal(vesp_key_check_lengths(&keys, vesp_algorithm_by_name("aes-gcm-256"), &err),
			 -1);
	assert_non_null(strstr(err.text, "must be 36 bytes"));
	assert_non_null(strstr(err.text, "got 20"));
	assert_null(strstr(err.text, "0a0b"));

	assert_int_equal(vesp_key_check_lengths(&keys,
						vesp_algorithm_by_name("null-hmac-sha256"), &err),
			 -1);
	assert_non_null(strstr(err.text, "takes no enc-key"));
	keys.auth.len = 0;
	assert_int_equal(vesp_key_check_lengths(&keys,
						vesp_algorithm_by_name("aes-cbc-128-hmac-sha256"),
						&err), -1);
	assert_non_null(strstr(err.text, "must be 16 bytes"));
	keys.enc.len = 16;
	assert_int_equal(vesp_key_check_lengths(&keys,
						vesp_algorithm_by_name("aes-cbc-128-hmac-sha256"),
						&err), -1);
	assert_non_null(strstr(err.text, "needs auth-key"));

	/* malformed keys are not echoed */
	assert_int_equal(vesp_key_from_arg(&keys.enc, "00zz11", "enc-key", &err), -1);
	assert_string_equal(err.text, "invalid enc-key: not hexadecimal");
	assert_int_equal(keys.enc.len, 0);
	assert_int_equal(vesp_key_from_arg(&keys.enc, "abc", "auth-key", &err), -1);
	assert_string_equal(err.text, "invalid auth-key: odd number of hex digits");
	assert_int_equal(vesp_key_from_arg(&keys.enc, "", "enc-key", &err), -1);
	assert_int_equal(vesp_key_from_hex(&keys.enc, "0x", 2, "enc-key", &err), -1);
	{
		char longer[2 * VESP_KEY_MAX_LEN + 3];

		memset(longer, 'a', sizeof(longer) - 1);
		longer[sizeof(longer) - 1] = '\0';
		assert_int_equal(vesp_key_from_arg(&keys.enc, longer, "enc-key", &err), -1);
		assert_non_null(strstr(err.text, "longer than 64 bytes"));
		assert_null(strstr(err.text, "aaaa"));
	}
	vesp_sa_keys_wipe(&keys);
	assert_int_equal(keys.enc.len, 0);
}

static void test_key_file_and_stdin(void **state)
{
	(void)state;
	char path[] = "/tmp/vesp-key-XXXXXX";
	char arg[sizeof(path) + 1];
	struct vesp_error err = { 0 };
	struct vesp_key key;
	uint8_t want[20];
	int fd, pipe_fds[2], saved_stdin;
	/* the way xxd -p wraps, with a trailing newline */
	const char wrapped[] = "0x0001020304050607\n08090a0b0c0d0e0f\n10111213\n";

	hex_decode(KEY20_HEX, want, sizeof(want));
	fd = mkstemp(path);
	assert_true(fd >= 0);
	assert_int_equal(write(fd, wrapped, strlen(wrapped)), (ssize_t)strlen(wrapped));
	close(fd);
	snprintf(arg, sizeof(arg), "@%s", path);
	assert_int_equal(vesp_key_from_arg(&key, arg, "enc-key", &err), 0);
	assert_int_equal(key.len, 20);
	assert_memory_equal(key.bytes, want, 20);
	unlink(path);

	/* a missing file is named in the message */
	assert_int_equal(vesp_key_from_arg(&key, arg, "enc-key", &err), -1);
	assert_non_null(strstr(err.text, path));
	assert_non_null(strstr(err.text, "enc-key"));

	/* standard input */
	assert_int_equal(pipe(pipe_fds), 0);
	assert_int_equal(write(pipe_fds[1], KEY20_HEX "\n", 41), 41);
	close(pipe_fds[1]);
	saved_stdin = dup(STDIN_FILENO);
	assert_int_equal(dup2(pipe_fds[0], STDIN_FILENO), STDIN_FILENO);
	close(pipe_fds[0]);
	memset(&key, 0, sizeof(key));
	assert_int_equal(vesp_key_from_arg(&key, "-", "enc-key", &err), 0);
	assert_int_equal(dup2(saved_stdin, STDIN_FILENO), STDIN_FILENO);
	close(saved_stdin);
	assert_int_equal(key.len, 20);
	assert_memory_equal(key.bytes, want, 20);
	vesp_key_wipe(&key);
}

/* A mutable argv from string literals, as main() would get it. */
struct argv_copy {
	int argc;
	char *argv[32];
};

static void argv_from(struct argv_copy *copy, const char *const *words)
{
	copy->argc = 0;
	while (words[copy->argc]) {
		copy->argv[copy->argc] = strdup(words[copy->argc]);
		copy->argc++;
	}
	copy->argv[copy->argc] = NULL;
}

static void argv_free(struct argv_copy *copy)
{
	int i;

	for (i = 0; i < copy->argc; i++)
		free(copy->argv[i]);
}

static void test_args_sa_add(void **state)
{
	(void)state;
	static const char *const words[] = {
		"1", "out", "spi", "0x1000", "alg", "aes-gcm-128", "enc-key", KEY20_HEX, "esn",
		"replay-window", "128", "active", "soft-bytes", "100M", "hard-time", "1h", NULL
	};
	struct vesp_error err = { 0 };
	struct vesp_sa_args args;
	struct argv_copy copy;

	argv_from(&copy, words);
	if (vesp_args_sa_add(copy.argc, copy.argv, &args, &err))
		fail_msg("%s", err.text);
	assert_int_equal(args.peer_id, 1);
	assert_int_equal(args.sa.dir, VESP_SA_DIR_OUT);
	assert_int_equal(args.sa.spi, 0x1000);
	assert_int_equal(args.sa.alg, VESP_SA_ALG_AES_GCM_16);
	assert_string_equal(args.alg->name, "aes-gcm-128");
	assert_true(args.sa.esn);
	assert_true(args.sa.active);
	assert_int_equal(args.sa.replay_window, 128);
	assert_int_equal(args.sa.lifetimes.soft_bytes, 100ULL << 20);
	assert_int_equal(args.sa.lifetimes.hard_seconds, 3600);
	assert_true(vesp_has(args.sa.present, VESP_A_SA_SOFT_BYTES));
	assert_false(vesp_has(args.sa.present, VESP_A_SA_HARD_BYTES));
	assert_int_equal(args.keys.enc.len, 20);
	assert_int_equal(args.keys.auth.len, 0);
	/* the hex key no longer shows in argv (and so in ps) */
	assert_int_equal(copy.argv[7][0], '\0');
	assert_string_equal(copy.argv[5], "aes-gcm-128");
	vesp_sa_keys_wipe(&args.keys);
	argv_free(&copy);
}

static void expect_sa_add_error(const char *const *words, const char *message)
{
	struct vesp_error err = { 0 };
	struct vesp_sa_args args;
	struct argv_copy copy;
	int i;

	argv_from(&copy, words);
	assert_int_equal(vesp_args_sa_add(copy.argc, copy.argv, &args, &err), -1);
	if (!strstr(err.text, message))
		fail_msg("message \"%s\" lacks \"%s\"", err.text, message);
	/* no key bytes survive a failure, in the result or in argv */
	assert_int_equal(args.keys.enc.len, 0);
	assert_int_equal(args.keys.auth.len, 0);
	for (i = 0; i < copy.argc; i++)
		assert_null(strstr(copy.argv[i], "0a0b0c"));
	argv_free(&copy);
}

static void test_args_sa_add_errors(void **state)
{
	(void)state;
	static const char *const no_spi[] = { "1", "in", "alg", "aes-gcm-128", "enc-key", KEY20_HEX,
					      NULL };
	static const char *const no_alg[] = { "1", "in", "spi", "300", "enc-key", KEY20_HEX, NULL };
	static const char *const bad_spi[] = { "1", "in", "enc-key", KEY20_HEX, "spi", "0x1g",
					       NULL };
	static const char *const twice[] = { "1", "in", "spi", "300", "spi", "301", NULL };
	static const char *const bad_alg[] = { "1", "in", "spi", "300", "alg", "des", NULL };
	static const char *const short_key[] = { "1", "in", "spi", "300", "alg", "aes-gcm-256",
						 "enc-key", KEY20_HEX, NULL };
	static const char *const two_stdin[] = { "1", "in", "spi", "300", "alg",
						 "aes-cbc-128-hmac-sha256", "enc-key", "-",
						 "auth-key", "-", NULL };
	static const char *const unknown[] = { "1", "in", "spi", "300", "colour", "blue", NULL };
	static const char *const no_value[] = { "1", "in", "spi", NULL };
	static const char *const bad_dir[] = { "1", "sideways", NULL };
	static const char *const bad_peer[] = { "0", "in", NULL };
	static const char *const bad_limit[] = { "1", "in", "soft-time", "1y", NULL };

	expect_sa_add_error(no_spi, "missing spi");
	expect_sa_add_error(no_alg, "missing alg");
	expect_sa_add_error(bad_spi, "invalid SPI \"0x1g\"");
	expect_sa_add_error(twice, "\"spi\" given twice");
	expect_sa_add_error(bad_alg, "unknown algorithm \"des\"");
	expect_sa_add_error(short_key, "must be 36 bytes");
	expect_sa_add_error(two_stdin, "only one key can be read from standard input");
	expect_sa_add_error(unknown, "unexpected argument \"colour\"");
	expect_sa_add_error(no_value, "\"spi\" needs a value");
	expect_sa_add_error(bad_dir, "invalid direction \"sideways\"");
	expect_sa_add_error(bad_peer, "invalid peer id \"0\"");
	expect_sa_add_error(bad_limit, "invalid soft-time \"1y\"");
}

static void test_args_other(void **state)
{
	(void)state;
	static const char *const peer_words[] = { "7", "prefix", "10.0.0.0/24", "prefix",
						  "fd00::/64", NULL };
	static const char *const peer_bad[] = { "7", "prefix", "10.0.0.1/24", NULL };
	static const char *const path_words[] = { "7", "2", "remote", "2001:db8::2", "local",
						  "2001:db8::1", "priority", "10", NULL };
	static const char *const path_mixed[] = { "7", "2", "remote", "192.0.2.2", "local",
						  "2001:db8::1", NULL };
	static const char *const path_noremote[] = { "7", "2", "priority", "1", NULL };
	static const char *const activate[] = { "7", "0x2000", NULL };
	static const char *const set_nothing[] = { "7", "out", "0x2000", NULL };
	static const char *const set_words[] = { "7", "in", "0x2000", "hard-packets", "10M", NULL };
	static const char *const fwmark[] = { "fwmark", "0x2a", NULL };
	struct vesp_error err = { 0 };
	struct vesp_sa_args sa_args;
	struct argv_copy copy;
	struct vesp_peer peer;
	struct vesp_path path;
	struct vesp_dev_settings set;
	uint32_t peer_id;

	argv_from(&copy, peer_words);
	assert_int_equal(vesp_args_peer(copy.argc, copy.argv, &peer, &err), 0);
	assert_int_equal(peer.id, 7);
	assert_int_equal(peer.n_prefixes, 2);
	assert_int_equal(peer.prefixes[1].addr.family, AF_INET6);
	assert_int_equal(peer.prefixes[1].len, 64);
	vesp_peer_free(&peer);
	argv_free(&copy);

	argv_from(&copy, peer_bad);
	assert_rejected(vesp_args_peer(copy.argc, copy.argv, &peer, &err), err, "\"10.0.0.1/24\"");
	assert_null(peer.prefixes);
	argv_free(&copy);

	argv_from(&copy, path_words);
	assert_int_equal(vesp_args_path_add(copy.argc, copy.argv, &peer_id, &path, &err), 0);
	assert_int_equal(peer_id, 7);
	assert_int_equal(path.id, 2);
	assert_int_equal(path.remote.family, AF_INET6);
	assert_int_equal(path.local.family, AF_INET6);
	assert_int_equal(path.priority, 10);
	assert_true(vesp_has(path.present, VESP_A_PATH_PRIORITY));
	argv_free(&copy);

	argv_from(&copy, path_mixed);
	assert_rejected(vesp_args_path_add(copy.argc, copy.argv, &peer_id, &path, &err), err,
			"differ in family");
	argv_free(&copy);
	argv_from(&copy, path_noremote);
	assert_rejected(vesp_args_path_add(copy.argc, copy.argv, &peer_id, &path, &err), err,
			"missing remote address");
	argv_free(&copy);

	argv_from(&copy, activate);
	assert_int_equal(vesp_args_sa_activate(copy.argc, copy.argv, &sa_args, &err), 0);
	assert_int_equal(sa_args.sa.dir, VESP_SA_DIR_OUT);
	assert_true(sa_args.sa.active);
	assert_int_equal(sa_args.sa.spi, 0x2000);
	argv_free(&copy);

	argv_from(&copy, set_nothing);
	assert_rejected(vesp_args_sa_set(copy.argc, copy.argv, &sa_args, &err), err,
			"missing what to change");
	argv_free(&copy);
	argv_from(&copy, set_words);
	assert_int_equal(vesp_args_sa_set(copy.argc, copy.argv, &sa_args, &err), 0);
	assert_int_equal(sa_args.sa.lifetimes.hard_packets, 10000000);
	assert_false(sa_args.sa.active);
	argv_free(&copy);

	argv_from(&copy, fwmark);
	assert_int_equal(vesp_args_dev_set(copy.argc, copy.argv, &set, &err), 0);
	assert_int_equal(set.fwmark, 42);
	assert_true(vesp_has(set.present, VESP_A_FWMARK));
	assert_false(vesp_has(set.present, VESP_A_FLAGS));
	assert_rejected(vesp_args_dev_set(0, copy.argv, &set, &err), err, "missing");
	assert_rejected(vesp_args_dev_set(1, copy.argv, &set, &err), err, "needs a value");
	argv_free(&copy);
}

static void test_args_dev_flags(void **state)
{
	(void)state;
	static const char *const on[] = { "carrier-liveness", "on", "copy-dscp", "off", NULL };
	static const char *const twice[] = { "carrier-liveness", "on", "carrier-liveness", "off",
					     NULL };
	static const char *const bad[] = { "carrier-liveness", "yes", NULL };
	static const char *const unknown[] = { "carrier", "on", NULL };
	struct vesp_dev_settings set;
	struct vesp_error err = { 0 };
	struct argv_copy copy;

	argv_from(&copy, on);
	assert_int_equal(vesp_args_dev_set(copy.argc, copy.argv, &set, &err), 0);
	assert_true(vesp_has(set.present, VESP_A_FLAGS));
	assert_false(vesp_has(set.present, VESP_A_FWMARK));
	assert_int_equal(set.flags_on, VESP_LINK_F_CARRIER_LIVENESS);
	assert_int_equal(set.flags_off, VESP_LINK_F_COPY_DSCP);
	argv_free(&copy);

	argv_from(&copy, twice);
	assert_rejected(vesp_args_dev_set(copy.argc, copy.argv, &set, &err), err,
			"\"carrier-liveness\" given twice");
	argv_free(&copy);
	argv_from(&copy, bad);
	assert_rejected(vesp_args_dev_set(copy.argc, copy.argv, &set, &err), err,
			"invalid carrier-liveness \"yes\": on or off");
	argv_free(&copy);
	argv_from(&copy, unknown);
	assert_rejected(vesp_args_dev_set(copy.argc, copy.argv, &set, &err), err,
			"unexpected argument \"carrier\"");
	argv_free(&copy);
}

static void test_milliseconds(void **state)
{
	(void)state;
	struct vesp_error err = { 0 };
	uint32_t ms = 7;
	bool on = false;

	assert_int_equal(vesp_parse_milliseconds("100", &ms, 30000, false, "hold-down", &err), 0);
	assert_int_equal(ms, 100);
	assert_int_equal(vesp_parse_milliseconds("250ms", &ms, 30000, false, "hold-down", &err),
			 0);
	assert_int_equal(ms, 250);
	assert_int_equal(vesp_parse_milliseconds("2s", &ms, 30000, false, "hold-down", &err), 0);
	assert_int_equal(ms, 2000);
	assert_int_equal(vesp_parse_milliseconds("off", &ms, 30000, true, "interval", &err), 0);
	assert_int_equal(ms, 0);
	assert_rejected(vesp_parse_milliseconds("off", &ms, 30000, false, "hold-down", &err), err,
			"invalid hold-down \"off\"");
	assert_rejected(vesp_parse_milliseconds("31s", &ms, 30000, false, "hold-down", &err), err,
			"\"31s\": at most 30000 ms");
	assert_rejected(vesp_parse_milliseconds("30001", &ms, 30000, false, "hold-down", &err),
			err, "at most 30000 ms");
	assert_rejected(vesp_parse_milliseconds("1m", &ms, 30000, false, "hold-down", &err), err,
			"invalid hold-down \"1m\"");
	assert_rejected(vesp_parse_milliseconds("", &ms, 30000, false, "hold-down", &err), err,
			"\"\"");
	assert_int_equal(vesp_parse_on_off("on", &on, "roaming", &err), 0);
	assert_true(on);
	assert_int_equal(vesp_parse_on_off("off", &on, "roaming", &err), 0);
	assert_false(on);
	assert_rejected(vesp_parse_on_off("1", &on, "roaming", &err), err,
			"invalid roaming \"1\"");
}

static void test_args_peer_liveness(void **state)
{
	(void)state;
	static const char *const set_all[] = { "7", "liveness", "100", "multiplier", "3",
					       "hold-down", "1s", "roaming", "on", NULL };
	static const char *const set_off[] = { "7", "liveness", "off", NULL };
	static const char *const add_mixed[] = { "7", "prefix", "10.0.0.0/24", "liveness",
						 "50ms", "prefix", "10.1.0.0/24", NULL };
	static const char *const nothing[] = { "7", NULL };
	static const char *const too_fast[] = { "7", "liveness", "5", NULL };
	static const char *const mult0[] = { "7", "multiplier", "0", NULL };
	static const char *const mult_big[] = { "7", "multiplier", "256", NULL };
	static const char *const twice[] = { "7", "roaming", "on", "roaming", "off", NULL };
	static const char *const stray[] = { "7", "prefix", "10.0.0.0/24", NULL };
	struct vesp_error err = { 0 };
	struct argv_copy copy;
	struct vesp_peer peer;

	argv_from(&copy, set_all);
	assert_int_equal(vesp_args_peer_set(copy.argc, copy.argv, &peer, &err), 0);
	assert_int_equal(peer.id, 7);
	assert_int_equal(peer.liveness_interval, 100);
	assert_int_equal(peer.liveness_multiplier, 3);
	assert_int_equal(peer.hold_down, 1000);
	assert_true(peer.roaming);
	assert_true(vesp_has(peer.present, VESP_A_PEER_LIVENESS_INTERVAL));
	assert_true(vesp_has(peer.present, VESP_A_PEER_ROAMING));
	vesp_peer_free(&peer);
	argv_free(&copy);

	argv_from(&copy, set_off);
	assert_int_equal(vesp_args_peer_set(copy.argc, copy.argv, &peer, &err), 0);
	assert_int_equal(peer.liveness_interval, 0);
	assert_true(vesp_has(peer.present, VESP_A_PEER_LIVENESS_INTERVAL));
	assert_false(vesp_has(peer.present, VESP_A_PEER_HOLD_DOWN));
	vesp_peer_free(&peer);
	argv_free(&copy);

	/* "peer add" takes the same words among its prefixes */
	argv_from(&copy, add_mixed);
	assert_int_equal(vesp_args_peer(copy.argc, copy.argv, &peer, &err), 0);
	assert_int_equal(peer.n_prefixes, 2);
	assert_int_equal(peer.liveness_interval, 50);
	assert_true(vesp_has(peer.present, VESP_A_PEER_LIVENESS_INTERVAL));
	vesp_peer_free(&peer);
	argv_free(&copy);

	argv_from(&copy, nothing);
	assert_rejected(vesp_args_peer_set(copy.argc, copy.argv, &peer, &err), err,
			"missing what to set");
	argv_free(&copy);
	argv_from(&copy, too_fast);
	assert_rejected(vesp_args_peer_set(copy.argc, copy.argv, &peer, &err), err,
			"invalid liveness interval \"5\": off or 10 to 30000 ms");
	argv_free(&copy);
	argv_from(&copy, mult0);
	assert_rejected(vesp_args_peer_set(copy.argc, copy.argv, &peer, &err), err,
			"invalid multiplier \"0\": 1 to 255");
	argv_free(&copy);
	argv_from(&copy, mult_big);
	assert_rejected(vesp_args_peer_set(copy.argc, copy.argv, &peer, &err), err,
			"invalid multiplier \"256\"");
	argv_free(&copy);
	argv_from(&copy, twice);
	assert_rejected(vesp_args_peer_set(copy.argc, copy.argv, &peer, &err), err,
			"\"roaming\" given twice");
	argv_free(&copy);
	argv_from(&copy, stray);
	assert_rejected(vesp_args_peer_set(copy.argc, copy.argv, &peer, &err), err,
			"unexpected argument \"prefix\"");
	argv_free(&copy);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_u32),
		cmocka_unit_test(test_spi),
		cmocka_unit_test(test_ids_and_names),
		cmocka_unit_test(test_prefix),
		cmocka_unit_test(test_addr),
		cmocka_unit_test(test_units),
		cmocka_unit_test(test_algorithms),
		cmocka_unit_test(test_key_hex),
		cmocka_unit_test(test_key_file_and_stdin),
		cmocka_unit_test(test_args_sa_add),
		cmocka_unit_test(test_args_sa_add_errors),
		cmocka_unit_test(test_args_other),
		cmocka_unit_test(test_args_dev_flags),
		cmocka_unit_test(test_milliseconds),
		cmocka_unit_test(test_args_peer_liveness),
	};

	return run_tap_tests("vesp_parse", tests);
}
