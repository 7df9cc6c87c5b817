// SPDX-License-Identifier: GPL-2.0
/*
 * vespd.conf parsing (daemon/config.c): a full tunnel, the defaults, and
 * each kind of mistake reported with its file and line.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <cmocka.h>

#include <arpa/inet.h>
#include <netinet/in.h>

#include "daemon/config.h"
#include "lib/testutil.h"
#include "certgen.h"

static char psk_path[64];
/* ca.pem, moon.pem (CN=moon, DNS:moon.example), moon.key, other.key */
static char pem_dir[64];

static const char *const pem_files[] = { "ca.pem", "moon.pem", "moon.key", "other.key" };

static void pem_path(char *buf, size_t cap, const char *name)
{
	assert_true((size_t)snprintf(buf, cap, "%s/%s", pem_dir, name) < cap);
}

/* A CA, a certificate for moon and its key, made now into pem_dir. */
static void make_pem_files(void)
{
	EVP_PKEY *ca_key = gen_ec("P-256"), *key = gen_ec("P-384");
	EVP_PKEY *other = gen_ec("P-384");
	X509 *ca = make_cert(ca_key, "CA", NULL, NULL, true, NULL, -60, 3600);
	X509 *x = make_cert(key, "moon", ca, ca_key, false, "DNS:moon.example", -60, 3600);
	char path[128];

	strcpy(pem_dir, "/tmp/vespd-test-pem-XXXXXX");
	assert_non_null(mkdtemp(pem_dir));
	pem_path(path, sizeof(path), "ca.pem");
	write_cert_pem(path, ca);
	pem_path(path, sizeof(path), "moon.pem");
	write_cert_pem(path, x);
	pem_path(path, sizeof(path), "moon.key");
	write_key_pem(path, key);
	pem_path(path, sizeof(path), "other.key");
	write_key_pem(path, other);
	X509_free(ca);
	X509_free(x);
	EVP_PKEY_free(ca_key);
	EVP_PKEY_free(key);
	EVP_PKEY_free(other);
}

static int setup(void **state)
{
	int fd;

	(void)state;
	strcpy(psk_path, "/tmp/vespd-test-psk-XXXXXX");
	fd = mkstemp(psk_path);
	assert_true(fd >= 0);
	assert_int_equal(write(fd, "swordfish\n", 10), 10);
	close(fd);
	make_pem_files();
	return 0;
}

static int teardown(void **state)
{
	char path[128];

	(void)state;
	unlink(psk_path);
	if (!pem_dir[0])
		return 0;
	for (size_t i = 0; i < sizeof(pem_files) / sizeof(pem_files[0]); i++) {
		pem_path(path, sizeof(path), pem_files[i]);
		unlink(path);
	}
	rmdir(pem_dir);
	return 0;
}

/*
 * Parse @text, with "@PSK@" in it standing for the key file and "@DIR@"
 * for the directory of the PEM files.
 */
static int parse(struct vespd_config *cfg, const char *text, struct ike_error *err)
{
	char buf[4096];
	size_t n = 0;
	FILE *f;
	int ret;

	while (*text) {
		if (!strncmp(text, "@PSK@", 5)) {
			n += (size_t)snprintf(buf + n, sizeof(buf) - n, "%s", psk_path);
			text += 5;
		} else if (!strncmp(text, "@DIR@", 5)) {
			n += (size_t)snprintf(buf + n, sizeof(buf) - n, "%s", pem_dir);
			text += 5;
		} else {
			buf[n++] = *text++;
		}
		assert_true(n < sizeof(buf));
	}
	buf[n] = '\0';
	f = fmemopen(buf, strlen(buf), "r");
	assert_non_null(f);
	ret = vespd_config_parse(cfg, f, "test.conf", err);
	fclose(f);
	return ret;
}

#define TUNNEL \
	"[tunnel site-b]\n" \
	"device = vesp0\n" \
	"peer-id = 7\n" \
	"remote = 198.51.100.7\n" \
	"local-id = moon.example\n" \
	"psk-file = @PSK@\n" \
	"ike = aes256gcm16-prfsha256-x25519\n" \
	"esp = aes256gcm16-esn\n"

#define CERT_TUNNEL \
	"[tunnel a]\n" \
	"device = vesp0\n" \
	"peer-id = 7\n" \
	"remote = 198.51.100.7\n" \
	"ike = aes256gcm16-prfsha256-x25519\n" \
	"esp = aes256gcm16-esn\n"

static void test_full_tunnel(void **state)
{
	static const char text[] =
		"# two sites\n"
		"[tunnel site-b]\n"
		"  device = vesp0   \n"
		"peer-id = 7\n"
		"local = 2001:db8::1\n"
		"remote = 2001:db8::2\n"
		"local-id = moon.example\n"
		"remote-id = keyid:0102\n"
		"psk-file = @PSK@\n"
		"ike = aes256gcm16-prfsha256-x25519, aes128-sha256-modp2048\n"
		"esp = aes256gcm16-esn-noesn,chacha20poly1305\n"
		"initiate = no\n"
		"ike-lifetime = 4h\n"
		"child-lifetime = 45m\n"
		"liveness = 10\n"
		"child-lifetime-bytes = 2G\n"
		"child-lifetime-packets = 500k\n"
		"retransmit-tries = 2\n"
		"\n"
		"[tunnel site-c]\n"
		"device = vesp1\n"
		"peer-id = 0x10\n"
		"remote = 203.0.113.9\n"
		"local-id = 192.0.2.1\n"
		"psk-file = @PSK@\n"
		"ike = aes128-sha256-ecp256\n"
		"esp = aes128-sha256\n";
	const struct vespd_tunnel *t;
	struct vespd_config cfg;
	struct ike_error err;

	(void)state;
	assert_int_equal(parse(&cfg, text, &err), 0);
	assert_int_equal(cfg.num_tunnels, 2);
	t = vespd_config_find(&cfg, "site-b");
	assert_non_null(t);
	assert_string_equal(t->device, "vesp0");
	assert_int_equal(t->ike.peer_id, 7);
	assert_int_equal(t->remote.ss_family, AF_INET6);
	assert_int_equal(ntohs(((const struct sockaddr_in6 *)&t->remote)->sin6_port), 500);
	assert_int_equal(t->ike.remote_id.type, IKE_ID_KEY_ID);
	assert_int_equal(t->ike.psk_len, 9);
	assert_memory_equal(t->ike.psk, "swordfish", 9);
	assert_int_equal(t->ike.num_proposals, 2);
	assert_int_equal(t->ike.proposals[1].number, 2);
	assert_int_equal(t->ike.num_child_proposals, 2);
	assert_int_equal(t->ike.child_proposals[0].protocol, IKE_PROTO_ESP);
	assert_false(t->initiate);
	assert_int_equal(t->ike_lifetime, 4 * 3600);
	assert_int_equal(t->child_lifetime, 45 * 60);
	assert_int_equal(t->liveness, 10);
	assert_int_equal(t->child_bytes, 2000000000ULL);
	assert_int_equal(t->child_packets, 500000);
	assert_int_equal(t->retransmit_tries, 2);

	t = vespd_config_find(&cfg, "site-c");
	assert_non_null(t);
	assert_int_equal(t->ike.peer_id, 16);
	assert_int_equal(t->ike.local_id.type, IKE_ID_IPV4_ADDR);
	/* defaults */
	assert_true(t->initiate);
	assert_int_equal(t->liveness, 30);
	assert_int_equal(t->child_bytes, 0);
	assert_int_equal(t->child_packets, 0);
	assert_int_equal(t->retransmit_tries, 5);
	assert_int_equal(t->ike.num_ts_local, 2);
	assert_true(t->ike.mobike);
	assert_int_equal(t->path_liveness.interval_ms, 0);
	assert_int_equal(t->path_liveness.multiplier, 3);
	assert_int_equal(t->path_liveness.hold_down_ms, 1000);
	assert_false(t->path_liveness.roaming);
	/* the single form is one path, routing choosing the source */
	assert_int_equal(t->num_paths, 1);
	assert_int_equal(t->paths[0].local.ss_family, 0);
	assert_int_equal(t->paths[0].remote.ss_family, AF_INET);
	assert_int_equal(t->paths[0].priority, 0);
	assert_int_equal(t->ike.num_local_addrs, 0);
	assert_null(vespd_config_find(&cfg, "site-d"));
	vespd_config_free(&cfg);
}

static uint32_t ip4(const struct sockaddr_storage *ss)
{
	assert_int_equal(ss->ss_family, AF_INET);
	return ntohl(((const struct sockaddr_in *)ss)->sin_addr.s_addr);
}

/* Several paths, sorted by priority, and the module's liveness settings. */
static void test_paths(void **state)
{
	static const char text[] =
		"[tunnel a]\n"
		"device = vesp0\n"
		"peer-id = 7\n"
		"path = local 203.0.113.1 remote 203.0.113.7 priority 10\n"
		"path = remote 198.51.100.7   local 192.0.2.1\n"
		"path = priority 10 remote 2001:db8::7\n"
		"path-liveness = 100ms\n"
		"path-liveness-multiplier = 4\n"
		"path-hold-down = 2s\n"
		"roaming = yes\n"
		"mobike = no\n"
		"local-id = moon.example\n"
		"psk-file = @PSK@\n"
		"ike = aes256gcm16-prfsha256-x25519\n"
		"esp = aes256gcm16-esn\n";
	const struct vespd_tunnel *t;
	struct vespd_config cfg;
	struct ike_error err;

	(void)state;
	if (parse(&cfg, text, &err))
		fail_msg("%s", err.text);
	t = &cfg.tunnels[0];
	assert_int_equal(t->num_paths, 3);
	/* priority 0 first, then the two of 10 in the order given */
	assert_int_equal(ip4(&t->paths[0].remote), 0xc6336407);
	assert_int_equal(ip4(&t->paths[0].local), 0xc0000201);
	assert_int_equal(t->paths[0].priority, 0);
	assert_int_equal(ip4(&t->paths[1].remote), 0xcb007107);
	assert_int_equal(t->paths[1].priority, 10);
	assert_int_equal(t->paths[2].remote.ss_family, AF_INET6);
	assert_int_equal(t->paths[2].local.ss_family, 0);
	assert_int_equal(ntohs(((const struct sockaddr_in *)&t->paths[1].remote)->sin_port),
			 500);
	/* IKE starts on the preferred path */
	assert_int_equal(ip4(&t->remote), 0xc6336407);
	assert_int_equal(ip4(&t->local), 0xc0000201);
	/* MOBIKE would offer both local addresses */
	assert_int_equal(t->ike.num_local_addrs, 2);
	assert_false(t->ike.mobike);
	assert_int_equal(t->path_liveness.interval_ms, 100);
	assert_int_equal(t->path_liveness.multiplier, 4);
	assert_int_equal(t->path_liveness.hold_down_ms, 2000);
	assert_true(t->path_liveness.roaming);
	vespd_config_free(&cfg);
}

static void test_errors(void **state)
{
	static const struct {
		const char *text, *error;
	} cases[] = {
		{ "device = vesp0\n", "test.conf:1: 'device' outside a [tunnel NAME] section" },
		{ "[tunnel a]\ndevcie = vesp0\n", "test.conf:2: unknown key 'devcie'" },
		{ "[tunnel a]\n\n\nremote = 10.0.0.300\n", "test.conf:4: invalid address '10.0.0.300'" },
		{ "[tunnel a]\nliveness = 5x\n", "test.conf:2: invalid duration '5x' (units: s, m, h, d)" },
		{ "[tunnel a]\nchild-lifetime-bytes = 5T\n",
		  "test.conf:2: invalid count '5T' (units: k, M, G)" },
		{ "[tunnel a]\nchild-lifetime-packets = -1\n", "test.conf:2: invalid count '-1'" },
		{ "[tunnel a]\nchild-lifetime-bytes = 99999999999G\n",
		  "test.conf:2: count '99999999999G' too large" },
		{ "[tunnel a]\nretransmit-tries = 11\n",
		  "test.conf:2: invalid retransmit-tries '11' (0 to 10)" },
		{ "[tunnel a]\ninitiate = maybe\n", "test.conf:2: 'maybe' is neither yes nor no" },
		{ "[tunnel a]\npeer-id = 0\n", "test.conf:2: invalid peer-id '0' (1 to 4294967295)" },
		{ "[tunnel a]\nnonsense\n", "test.conf:2: expected 'key = value', got 'nonsense'" },
		{ "[peer a]\n", "test.conf:1: unknown section 'peer a' (want [tunnel NAME])" },
		{ "[tunnel a\n", "test.conf:1: malformed section header '[tunnel a'" },
		{ TUNNEL "[tunnel site-b]\n", "test.conf:9: tunnel 'site-b' defined twice" },
		{ "[tunnel a]\nesp = aes128-sha384\n",
		  "test.conf:2: ESP proposal 'aes128-sha384' not supported by the module" },
		{ "[tunnel a]\nike = aes128-md5-x25519\n",
		  "test.conf:2: ike_proposal_from_string: unknown algorithm 'md5' in 'aes128-md5-x25519'" },
		{ "[tunnel a]\npsk-file = /nonexistent/key\n",
		  "test.conf:2: cannot open key file '/nonexistent/key'" },
		{ "\n[tunnel a]\ndevice = vesp0\n", "test.conf:2: tunnel 'a' lacks 'peer-id'" },
		{ "[tunnel a]\npath = local 192.0.2.1\n",
		  "test.conf:2: path without 'remote ADDRESS'" },
		{ "[tunnel a]\npath = remote 192.0.2.300\n",
		  "test.conf:2: invalid address '192.0.2.300'" },
		{ "[tunnel a]\npath = remote 192.0.2.1 via eth0\n",
		  "test.conf:2: path: unexpected 'via' (want local ADDRESS remote ADDRESS "
		  "[priority N], each once)" },
		{ "[tunnel a]\npath = remote 192.0.2.1 remote 192.0.2.2\n",
		  "test.conf:2: path: unexpected 'remote' (want local ADDRESS remote ADDRESS "
		  "[priority N], each once)" },
		{ "[tunnel a]\npath = remote 192.0.2.1 priority\n",
		  "test.conf:2: path: 'priority' wants a value" },
		{ "[tunnel a]\npath = remote 192.0.2.1 priority -1\n",
		  "test.conf:2: invalid path priority '-1' (0 to 4294967295)" },
		{ "[tunnel a]\npath = local 2001:db8::1 remote 192.0.2.1\n",
		  "test.conf:2: path: local and remote addresses of different families" },
		{ "[tunnel a]\npath = remote 192.0.2.1\n\npath = remote 192.0.2.1 priority 3\n",
		  "test.conf:4: the same path twice" },
		{ "[tunnel a]\nremote = 192.0.2.1\npath = remote 192.0.2.2\n",
		  "test.conf:3: 'path' and 'local'/'remote' (line 2) in one tunnel" },
		{ "[tunnel a]\npath = remote 192.0.2.2\nlocal = 192.0.2.1\n",
		  "test.conf:3: 'local' and 'path' (line 2) in one tunnel" },
		{ "[tunnel a]\npath-liveness = 5\n",
		  "test.conf:2: path-liveness '5' out of range (10 ms to 60000 ms, or 0)" },
		{ "[tunnel a]\npath-liveness = 2m\n",
		  "test.conf:2: path-liveness '2m' out of range (10 ms to 60000 ms, or 0)" },
		{ "[tunnel a]\npath-liveness = 100us\n",
		  "test.conf:2: invalid path-liveness '100us' (units: ms, s, m)" },
		{ "[tunnel a]\npath-liveness-multiplier = 0\n",
		  "test.conf:2: invalid path-liveness-multiplier '0' (1 to 255)" },
		{ "[tunnel a]\npath-hold-down = 2h\n",
		  "test.conf:2: invalid path-hold-down '2h' (units: ms, s, m)" },
		{ "[tunnel a]\nroaming = perhaps\n", "test.conf:2: 'perhaps' is neither yes nor no" },
		{ "[tunnel a]\nmobike = 1\n", "test.conf:2: '1' is neither yes nor no" },
		/* certificates: "@DIR@" in a message is the PEM files' directory */
		{ "[tunnel a]\nauth = rsa\n", "test.conf:2: auth 'rsa' is neither psk nor pubkey" },
		{ "[tunnel a]\ncert = /nonexistent.pem\n",
		  "test.conf:2: cannot open '/nonexistent.pem'" },
		{ "[tunnel a]\nca = @DIR@/moon.key\n",
		  "test.conf:2: no PEM certificate in '@DIR@/moon.key'" },
		{ "[tunnel a]\nkey = @DIR@/ca.pem\n",
		  "test.conf:2: no PEM private key in '@DIR@/ca.pem'" },
		{ CERT_TUNNEL "cert = @DIR@/moon.pem\nkey = @DIR@/moon.key\n"
		  "ca = @DIR@/ca.pem\n",
		  "test.conf:1: tunnel 'a' has 'cert', 'key' or 'ca' but not 'auth = pubkey'" },
		{ CERT_TUNNEL "auth = pubkey\ncert = @DIR@/moon.pem\nkey = @DIR@/moon.key\n",
		  "test.conf:1: tunnel 'a' lacks 'ca'" },
		{ CERT_TUNNEL "auth = pubkey\ncert = @DIR@/moon.pem\n"
		  "key = @DIR@/other.key\nca = @DIR@/ca.pem\n",
		  "test.conf:1: tunnel 'a': private key does not match the certificate" },
		{ CERT_TUNNEL "auth = pubkey\ncert = @DIR@/moon.pem\n"
		  "key = @DIR@/moon.key\nca = @DIR@/ca.pem\nlocal-id = sun.example\n",
		  "test.conf:1: tunnel 'a': local-id is not in the certificate "
		  "(subject or subjectAltName)" },
		{ CERT_TUNNEL "auth = pubkey\ncert = @DIR@/moon.pem\n"
		  "key = @DIR@/moon.key\nca = @DIR@/ca.pem\nlocal-id = dn:CN=moon\n",
		  "test.conf:1: tunnel 'a': local-id is not in the certificate "
		  "(subject or subjectAltName)" },
		{ "[tunnel a]\nremote-prefixes = 10.0.2.1/24\n",
		  "test.conf:2: invalid prefix \"10.0.2.1/24\": host bits set "
		  "(did you mean 10.0.2.0/24?)" },
		{ "[tunnel a]\nlocal-prefixes = 10.0.2.0/33\n",
		  "test.conf:2: invalid prefix \"10.0.2.0/33\": length must be 0..32" },
		{ "[tunnel a]\nremote-prefixes = 10.0.2.0/24, nowhere\n",
		  "test.conf:2: invalid prefix \"nowhere\"" },
		{ "[tunnel a]\nremote-prefixes = ,\n",
		  "test.conf:2: empty prefix list in 'remote-prefixes'" },
		{ "[tunnel a]\nremote-prefixes = 10.0.2.0/24,10.0.2.0/24\n",
		  "test.conf:2: prefix '10.0.2.0/24' twice in 'remote-prefixes'" },
		{ TUNNEL "remote-prefixes = 10.0.2.0/24\n[tunnel b]\ndevice = vesp0\n"
		  "peer-id = 7\nremote = 198.51.100.8\nlocal-id = moon.example\n"
		  "psk-file = @PSK@\nike = aes128-sha256-ecp256\nesp = aes128-sha256\n"
		  "remote-prefixes = 10.0.3.0/24\n",
		  "test.conf:10: tunnel 'b' has the device and peer-id of tunnel 'site-b' "
		  "(vesp0, 7)" },
		{ TUNNEL "[tunnel b]\ndevice = vesp0\n"
		  "peer-id = 8\nremote = 198.51.100.8\nlocal-id = moon.example\n"
		  "psk-file = @PSK@\nike = aes128-sha256-ecp256\nesp = aes128-sha256\n",
		  "test.conf:9: tunnel 'b' has remote prefix 0.0.0.0/0 of tunnel 'site-b' "
		  "on device vesp0" },
		{ "[tunnel a]\nlocal-id = dn:CN\n",
		  "test.conf:2: dn: 'CN' in DN is not ATTR=value" },
	};
	char want[IKE_ERROR_TEXT_LEN];
	struct vespd_config cfg;
	struct ike_error err;

	(void)state;
	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		const char *at = strstr(cases[i].error, "@DIR@");

		if (at)
			snprintf(want, sizeof(want), "%.*s%s%s", (int)(at - cases[i].error),
				 cases[i].error, pem_dir, at + 5);
		else
			snprintf(want, sizeof(want), "%s", cases[i].error);
		ike_error_clear(&err);
		assert_int_equal(parse(&cfg, cases[i].text, &err), -1);
		assert_string_equal(err.text, want);
		/* nothing half-parsed is left behind */
		assert_int_equal(cfg.num_tunnels, 0);
	}
}

/* Two spokes on one hub device: each tunnel its peer-id and prefixes. */
static void test_hub_prefixes(void **state)
{
	static const char text[] =
		TUNNEL
		"remote-prefixes = 10.0.2.0/24, fd00:2::/64\n"
		"local-prefixes = 10.0.1.0/24\n"
		"[tunnel site-c]\n"
		"device = vesp0\n"
		"peer-id = 8\n"
		"remote = 198.51.100.8\n"
		"local-id = moon.example\n"
		"psk-file = @PSK@\n"
		"ike = aes256gcm16-prfsha256-x25519\n"
		"esp = aes256gcm16-esn\n"
		"remote-prefixes = 10.0.3.7\n";
	static const uint8_t v6[16] = { 0xfd, 0, 0, 2 };
	const struct vespd_tunnel *t;
	struct vespd_config cfg;
	struct ike_error err;
	const struct ike_ts *ts;

	(void)state;
	assert_int_equal(parse(&cfg, text, &err), 0);
	t = vespd_config_find(&cfg, "site-b");
	assert_int_equal(t->num_remote_prefixes, 2);
	assert_int_equal(t->remote_prefixes[0].addr.family, AF_INET);
	assert_int_equal(t->remote_prefixes[0].len, 24);
	assert_memory_equal(t->remote_prefixes[0].addr.bytes, "\x0a\x00\x02\x00", 4);
	assert_int_equal(t->remote_prefixes[1].addr.family, AF_INET6);
	assert_int_equal(t->remote_prefixes[1].len, 64);
	assert_memory_equal(t->remote_prefixes[1].addr.bytes, v6, 16);
	/* the same prefixes as selectors: address ranges, any port */
	assert_int_equal(t->ike.num_ts_remote, 2);
	ts = &t->ike.ts_remote[0];
	assert_int_equal(ts->type, IKE_TS_IPV4_ADDR_RANGE);
	assert_memory_equal(ts->start_addr, "\x0a\x00\x02\x00", 4);
	assert_memory_equal(ts->end_addr, "\x0a\x00\x02\xff", 4);
	assert_int_equal(ts->start_port, 0);
	assert_int_equal(ts->end_port, 0xffff);
	ts = &t->ike.ts_remote[1];
	assert_int_equal(ts->type, IKE_TS_IPV6_ADDR_RANGE);
	assert_memory_equal(ts->start_addr, v6, 16);
	assert_memory_equal(ts->end_addr, v6, 8);
	for (size_t i = 8; i < 16; i++)
		assert_int_equal(ts->end_addr[i], 0xff);
	assert_int_equal(t->ike.num_ts_local, 1);
	assert_memory_equal(t->ike.ts_local[0].end_addr, "\x0a\x00\x01\xff", 4);

	t = vespd_config_find(&cfg, "site-c");
	assert_int_equal(t->ike.peer_id, 8);
	assert_int_equal(t->num_remote_prefixes, 1);
	assert_int_equal(t->remote_prefixes[0].len, 32);
	assert_int_equal(t->ike.num_ts_remote, 1);
	assert_memory_equal(t->ike.ts_remote[0].start_addr, "\x0a\x00\x03\x07", 4);
	assert_memory_equal(t->ike.ts_remote[0].end_addr, "\x0a\x00\x03\x07", 4);
	/* the default: route-based, everything both ways */
	assert_int_equal(t->ike.num_ts_local, 2);
	vespd_config_free(&cfg);

	assert_int_equal(parse(&cfg, TUNNEL, &err), 0);
	t = &cfg.tunnels[0];
	assert_int_equal(t->num_remote_prefixes, 2);
	assert_int_equal(t->remote_prefixes[0].addr.family, AF_INET);
	assert_int_equal(t->remote_prefixes[0].len, 0);
	assert_int_equal(t->remote_prefixes[1].addr.family, AF_INET6);
	assert_int_equal(t->remote_prefixes[1].len, 0);
	assert_int_equal(t->ike.num_ts_remote, 2);
	vespd_config_free(&cfg);
}

static void test_minimal_tunnel(void **state)
{
	struct vespd_config cfg;
	struct ike_error err;

	(void)state;
	assert_int_equal(parse(&cfg, TUNNEL, &err), 0);
	assert_int_equal(cfg.num_tunnels, 1);
	assert_int_equal(cfg.tunnels[0].ike.remote_id.type, 0);
	vespd_config_free(&cfg);
}

static void test_certificates(void **state)
{
	static const char text[] = CERT_TUNNEL
		"auth = pubkey\n"
		"cert = @DIR@/moon.pem\n"
		"key = @DIR@/moon.key\n"
		"ca = @DIR@/ca.pem\n"
		"ca = @DIR@/moon.pem\n"
		"remote-id = dn:C=CH, O=vesp, CN=sun\n";
	struct vespd_config cfg, again;
	const struct vespd_tunnel *t;
	struct ike_error err;

	(void)state;
	assert_int_equal(parse(&cfg, text, &err), 0);
	t = &cfg.tunnels[0];
	assert_true(t->ike.cert.enabled);
	assert_int_equal(t->ike.cert.num_cas, 2);
	assert_true(t->ike.cert.key_len > 0);
	assert_int_equal(t->ike.remote_id.type, IKE_ID_DER_ASN1_DN);
	/* no local-id: the certificate's subject */
	assert_int_equal(t->ike.local_id.type, IKE_ID_DER_ASN1_DN);
	/* read again, the same bytes: a reload keeps the tunnel's SAs */
	assert_int_equal(parse(&again, text, &err), 0);
	assert_memory_equal(&cfg.tunnels[0], &again.tunnels[0], sizeof(cfg.tunnels[0]));
	vespd_config_free(&again);
	vespd_config_free(&cfg);

	assert_int_equal(parse(&cfg, CERT_TUNNEL "local-id = moon.example\n"
			       "auth = pubkey\ncert = @DIR@/moon.pem\n"
			       "key = @DIR@/moon.key\nca = @DIR@/ca.pem\n", &err), 0);
	assert_int_equal(cfg.tunnels[0].ike.local_id.type, IKE_ID_FQDN);
	vespd_config_free(&cfg);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_full_tunnel),
		cmocka_unit_test(test_paths),
		cmocka_unit_test(test_errors),
		cmocka_unit_test(test_minimal_tunnel),
		cmocka_unit_test(test_hub_prefixes),
		cmocka_unit_test(test_certificates),
	};

	cmocka_set_message_output(CM_OUTPUT_TAP);
	return cmocka_run_group_tests_name("vespd_config", tests, setup, teardown);
}
