// SPDX-License-Identifier: GPL-2.0
/*
 * Output formats of the vesp command (lib/render_text.c, lib/render_json.c,
 * lib/json.c) rendered from a filled data model: they are an API, so the
 * exact text is checked; JSON escaping; colour only when asked; and no key
 * byte in any output, even when a reply carried one.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <cmocka.h>

#include <netlink/attr.h>
#include <netlink/genl/genl.h>

#include "lib/address.h"
#include "lib/json.h"
#include "lib/parse.h"
#include "lib/render.h"
#include "lib/reply.h"
#include "lib/testutil.h"

/* Output captured in memory. */
struct capture {
	FILE *out;
	char *text;
	size_t len;
};

static void capture_start(struct capture *c)
{
	c->text = NULL;
	c->out = open_memstream(&c->text, &c->len);
	assert_non_null(c->out);
}

/* The captured text; free it with free(). */
static char *capture_end(struct capture *c)
{
	fclose(c->out);
	return c->text;
}

/*
 * vesp0 with one peer: two prefixes, two paths (one with a local address
 * and priority), an active outbound SA with traffic and limits, and an
 * inbound one; vesp1 bare.
 */
static void fill_model(struct vesp_dev_list *list)
{
	struct vesp_error err = { 0 };
	struct vesp_dev_info *dev;
	struct vesp_peer *peer;
	struct vesp_prefix prefix;
	struct vesp_path *path;
	struct vesp_sa *sa;
	unsigned int type;

	dev = vesp_model_dev(list, 5, "vesp0");
	dev->fwmark = 0x2a;
	vesp_mark(&dev->present, VESP_A_FWMARK);
	dev->peer_count = 1;
	vesp_mark(&dev->present, VESP_A_PEER_COUNT);
	vesp_mark(&dev->present, VESP_A_STATS);
	for (type = 1; type <= VESP_A_STATS_MAX; type++)
		if (type != VESP_A_STATS_PAD)
			vesp_mark(&dev->stats.present, type);
	dev->stats.counter[VESP_A_STATS_RX_AUTH_FAIL] = 3;
	dev->stats.counter[VESP_A_STATS_TX_NO_SA] = 7;

	peer = vesp_model_peer(dev, 1);
	vesp_parse_prefix("10.0.0.0/24", &prefix, &err);
	vesp_model_add_prefix(peer, &prefix);
	vesp_parse_prefix("fd00::/64", &prefix, &err);
	vesp_model_add_prefix(peer, &prefix);

	path = vesp_model_path(peer, 1);
	vesp_parse_addr("192.0.2.2", &path->remote, "", &err);
	vesp_parse_addr("192.0.2.1", &path->local, "", &err);
	path->priority = 10;
	path->active = true;
	path->present |= (1ULL << VESP_A_PATH_REMOTE) | (1ULL << VESP_A_PATH_LOCAL) |
			 (1ULL << VESP_A_PATH_PRIORITY) | (1ULL << VESP_A_PATH_FAMILY) |
			 (1ULL << VESP_A_PATH_ACTIVE);
	path = vesp_model_path(peer, 2);
	vesp_parse_addr("198.51.100.2", &path->remote, "", &err);
	path->local.family = AF_INET;
	path->present |= (1ULL << VESP_A_PATH_REMOTE) | (1ULL << VESP_A_PATH_LOCAL);

	sa = vesp_model_sa(peer, VESP_SA_DIR_OUT, 0x1000);
	sa->alg = VESP_SA_ALG_AES_GCM_16;
	sa->esn = true;
	sa->active = true;
	sa->seq = 41;
	sa->packets = 40;
	sa->bytes = 4000;
	sa->age = 90;
	sa->lifetimes.soft_bytes = 100ULL << 20;
	sa->lifetimes.hard_seconds = 3600;
	sa->present |= (1ULL << VESP_A_SA_ALG) | (1ULL << VESP_A_SA_ESN) | (1ULL << VESP_A_SA_ACTIVE) |
		       (1ULL << VESP_A_SA_SEQ) | (1ULL << VESP_A_SA_PACKETS) | (1ULL << VESP_A_SA_BYTES) |
		       (1ULL << VESP_A_SA_AGE) | (1ULL << VESP_A_SA_SOFT_BYTES) |
		       (1ULL << VESP_A_SA_HARD_SECONDS);
	sa = vesp_model_sa(peer, VESP_SA_DIR_IN, 0x2000);
	sa->alg = VESP_SA_ALG_CHACHA20_POLY1305;
	sa->replay_window = 64;
	sa->present |= (1ULL << VESP_A_SA_ALG) | (1ULL << VESP_A_SA_REPLAY_WINDOW);

	vesp_model_dev(list, 6, "vesp1");
}

static const char show_text[] =
	"interface: vesp0\n"
	"  fwmark: 0x2a\n"
	"  drops: rx_auth_fail 3, tx_no_sa 7\n"
	"\n"
	"peer: 1\n"
	"  prefixes: 10.0.0.0/24, fd00::/64\n"
	"  path 1: 192.0.2.2 from 192.0.2.1, priority 10 (active)\n"
	"  path 2: 198.51.100.2\n"
	"  sa out 0x00001000 (active): aes-gcm, esn\n"
	"    traffic: 40 packets, 4000 bytes, seq 41, age 90s\n"
	"    lifetime: soft 100M bytes, hard 1h\n"
	"  sa in 0x00002000: chacha20-poly1305, replay window 64\n"
	"\n"
	"interface: vesp1\n";

#define SA_OUT_JSON "\"spi\":4096,\"dir\":\"out\",\"alg\":\"aes-gcm\",\"esn\":true," \
	"\"active\":true,\"soft_bytes\":104857600,\"hard_seconds\":3600,\"seq\":41," \
	"\"packets\":40,\"bytes\":4000,\"age\":90"
#define SA_IN_JSON "\"spi\":8192,\"dir\":\"in\",\"alg\":\"chacha20-poly1305\",\"esn\":false," \
	"\"active\":false,\"replay_window\":64"
#define PATHS_JSON "\"paths\":[{\"id\":1,\"family\":\"inet\",\"remote\":\"192.0.2.2\"," \
	"\"local\":\"192.0.2.1\",\"priority\":10,\"active\":true},{\"id\":2," \
	"\"family\":\"inet\",\"remote\":\"198.51.100.2\",\"active\":false}]"
#define STATS_JSON "\"stats\":{\"rx_unknown_spi\":0,\"rx_replay\":0,\"rx_auth_fail\":3," \
	"\"rx_bad_padding\":0,\"rx_bad_length\":0,\"rx_bad_next_header\":0,\"rx_policy\":0," \
	"\"rx_sa_expired\":0,\"tx_no_peer\":0,\"tx_no_sa\":7,\"tx_no_path\":0," \
	"\"tx_seq_exhausted\":0,\"tx_too_big\":0,\"tx_bad_protocol\":0,\"crypto_error\":0}"

static const char show_json[] =
	"[{\"ifindex\":5,\"ifname\":\"vesp0\",\"fwmark\":42,\"peer_count\":1,"
	"\"peers\":[{\"id\":1,\"prefixes\":[\"10.0.0.0/24\",\"fd00::/64\"]," PATHS_JSON ","
	"\"sas\":[{" SA_OUT_JSON "},{" SA_IN_JSON "}]}]," STATS_JSON "},"
	"{\"ifindex\":6,\"ifname\":\"vesp1\",\"peers\":[]}]\n";

static void test_show_text(void **state)
{
	struct vesp_dev_list list = { 0 };
	struct vesp_render r;
	struct capture c;
	char *text;

	(void)state;
	fill_model(&list);
	capture_start(&c);
	r = (struct vesp_render){ c.out, false };
	vesp_render_show_text(&r, &list);
	text = capture_end(&c);
	assert_string_equal(text, show_text);
	assert_null(strchr(text, '\x1b'));
	free(text);

	/* colour when asked: the same words, with escapes around labels */
	capture_start(&c);
	r = (struct vesp_render){ c.out, true };
	vesp_render_show_text(&r, &list);
	text = capture_end(&c);
	assert_non_null(strstr(text, "\x1b[1;32minterface\x1b[0m: vesp0\n"));
	assert_non_null(strstr(text, "\x1b[1;33mpeer\x1b[0m: 1\n"));
	free(text);
	vesp_dev_list_free(&list);
}

static void test_show_json(void **state)
{
	struct vesp_dev_list list = { 0 };
	struct capture c;
	char *text;

	(void)state;
	fill_model(&list);
	capture_start(&c);
	vesp_render_show_json(c.out, &list, VESP_SHOW_EVERYTHING);
	text = capture_end(&c);
	assert_string_equal(text, show_json);
	free(text);

	/* no devices: an empty array, as ip -j prints */
	vesp_dev_list_free(&list);
	capture_start(&c);
	vesp_render_show_json(c.out, &list, VESP_SHOW_EVERYTHING);
	text = capture_end(&c);
	assert_string_equal(text, "[]\n");
	free(text);
}

static void expect_field(const struct vesp_dev_list *list, enum vesp_show_field field,
			 bool with_ifname, const char *want_text, const char *want_json)
{
	struct vesp_render r;
	struct capture c;
	char *text;

	capture_start(&c);
	r = (struct vesp_render){ c.out, false };
	vesp_render_field_text(&r, list, field, with_ifname);
	text = capture_end(&c);
	assert_string_equal(text, want_text);
	free(text);
	if (!want_json)
		return;
	capture_start(&c);
	vesp_render_show_json(c.out, list, field);
	text = capture_end(&c);
	assert_string_equal(text, want_json);
	free(text);
}

static void test_fields(void **state)
{
	struct vesp_dev_list list = { 0 };

	(void)state;
	fill_model(&list);
	assert_int_equal(vesp_show_field_by_name("peers"), VESP_SHOW_PEERS);
	assert_int_equal(vesp_show_field_by_name("sas"), VESP_SHOW_SAS);
	assert_int_equal(vesp_show_field_by_name("stats"), VESP_SHOW_STATS);
	assert_int_equal(vesp_show_field_by_name("fwmark"), VESP_SHOW_FWMARK);
	assert_int_equal(vesp_show_field_by_name("keys"), -1);

	expect_field(&list, VESP_SHOW_FWMARK, false, "0x2a\noff\n",
		     "[{\"ifindex\":5,\"ifname\":\"vesp0\",\"fwmark\":42},"
		     "{\"ifindex\":6,\"ifname\":\"vesp1\"}]\n");
	expect_field(&list, VESP_SHOW_FWMARK, true, "vesp0\t0x2a\nvesp1\toff\n", NULL);
	expect_field(&list, VESP_SHOW_PEERS, false, "1\t10.0.0.0/24,fd00::/64\n",
		     "[{\"ifindex\":5,\"ifname\":\"vesp0\",\"peers\":[{\"id\":1,"
		     "\"prefixes\":[\"10.0.0.0/24\",\"fd00::/64\"]," PATHS_JSON "}]},"
		     "{\"ifindex\":6,\"ifname\":\"vesp1\",\"peers\":[]}]\n");
	expect_field(&list, VESP_SHOW_SAS, true,
		     "vesp0\t1\tout\t0x00001000\taes-gcm\tactive\n"
		     "vesp0\t1\tin\t0x00002000\tchacha20-poly1305\t-\n",
		     "[{\"ifindex\":5,\"ifname\":\"vesp0\",\"peers\":[{\"id\":1,\"sas\":[{"
		     SA_OUT_JSON "},{" SA_IN_JSON "}]}]},"
		     "{\"ifindex\":6,\"ifname\":\"vesp1\",\"peers\":[]}]\n");
	expect_field(&list, VESP_SHOW_STATS, false,
		     "rx_unknown_spi\t0\nrx_replay\t0\nrx_auth_fail\t3\nrx_bad_padding\t0\n"
		     "rx_bad_length\t0\nrx_bad_next_header\t0\nrx_policy\t0\nrx_sa_expired\t0\n"
		     "tx_no_peer\t0\ntx_no_sa\t7\ntx_no_path\t0\ntx_seq_exhausted\t0\n"
		     "tx_too_big\t0\ntx_bad_protocol\t0\ncrypto_error\t0\n",
		     "[{\"ifindex\":5,\"ifname\":\"vesp0\"," STATS_JSON "},"
		     "{\"ifindex\":6,\"ifname\":\"vesp1\",\"stats\":{}}]\n");
	vesp_dev_list_free(&list);
}

static void test_sa_list_and_stats(void **state)
{
	struct vesp_dev_list list = { 0 };
	struct vesp_render r;
	struct capture c;
	char *text;

	(void)state;
	fill_model(&list);
	capture_start(&c);
	r = (struct vesp_render){ c.out, false };
	vesp_render_sa_list_text(&r, &list);
	text = capture_end(&c);
	assert_string_equal(text,
			    "vesp0 peer 1 out 0x00001000 (active): aes-gcm, esn, 40 packets, "
			    "4000 bytes, seq 41, age 90s\n"
			    "vesp0 peer 1 in 0x00002000: chacha20-poly1305, replay window 64\n");
	free(text);

	capture_start(&c);
	vesp_render_sa_list_json(c.out, &list);
	text = capture_end(&c);
	assert_string_equal(text, "[{\"ifindex\":5,\"ifname\":\"vesp0\",\"peer\":1," SA_OUT_JSON "},"
				  "{\"ifindex\":5,\"ifname\":\"vesp0\",\"peer\":1," SA_IN_JSON "}]\n");
	free(text);

	capture_start(&c);
	r = (struct vesp_render){ c.out, false };
	vesp_render_stats_text(&r, &list);
	text = capture_end(&c);
	assert_non_null(strstr(text, "interface: vesp0\n  rx_unknown_spi       0\n"));
	assert_non_null(strstr(text, "\n  tx_no_sa             7\n"));
	assert_non_null(strstr(text, "\n\ninterface: vesp1\n"));
	free(text);
	vesp_dev_list_free(&list);
}

static void test_events(void **state)
{
	struct vesp_event event = { .cmd = VESP_CMD_SA_EXPIRE_NTF };
	struct vesp_render r;
	struct vesp_peer *peer;
	struct vesp_sa *sa;
	struct capture c;
	char *text;

	(void)state;
	peer = vesp_model_peer(vesp_model_dev(&event.devs, 5, "vesp0"), 2);
	sa = vesp_model_sa(peer, VESP_SA_DIR_OUT, 0x1000);
	sa->expire_reason = VESP_SA_EXPIRE_HARD;
	vesp_mark(&sa->present, VESP_A_SA_EXPIRE_REASON);

	capture_start(&c);
	r = (struct vesp_render){ c.out, false };
	vesp_render_event_text(&r, &event);
	vesp_render_event_text(&r, NULL);
	text = capture_end(&c);
	assert_string_equal(text, "vesp0: expire (hard): peer 2 out spi 0x00001000\n"
				  "notifications lost: the receive buffer overflowed\n");
	free(text);

	/* JSON: one object per line, as the stream never ends */
	capture_start(&c);
	vesp_render_event_json(c.out, &event);
	vesp_render_event_json(c.out, NULL);
	text = capture_end(&c);
	assert_string_equal(text,
			    "{\"event\":\"expire\",\"ifindex\":5,\"ifname\":\"vesp0\",\"peer\":2,"
			    "\"sa\":{\"spi\":4096,\"dir\":\"out\",\"esn\":false,\"active\":false,"
			    "\"reason\":\"hard\"}}\n"
			    "{\"event\":\"lost\"}\n");
	free(text);
	vesp_event_free(&event);

	event = (struct vesp_event){ .cmd = VESP_CMD_ACQUIRE_NTF };
	vesp_model_peer(vesp_model_dev(&event.devs, 5, "vesp0"), 3);
	capture_start(&c);
	r = (struct vesp_render){ c.out, false };
	vesp_render_event_text(&r, &event);
	vesp_render_event_json(c.out, &event);
	text = capture_end(&c);
	assert_string_equal(text, "vesp0: acquire: peer 3\n"
				  "{\"event\":\"acquire\",\"ifindex\":5,\"ifname\":\"vesp0\",\"peer\":3}\n");
	free(text);
	vesp_event_free(&event);
}

/* vesp0 with the carrier flag, a peer with liveness on and two paths. */
static void fill_liveness_model(struct vesp_dev_list *list)
{
	struct vesp_error err = { 0 };
	struct vesp_dev_info *dev;
	struct vesp_peer *peer;
	struct vesp_path *path;

	dev = vesp_model_dev(list, 5, "vesp0");
	dev->flags = VESP_LINK_F_CARRIER_LIVENESS;
	vesp_mark(&dev->present, VESP_A_FLAGS);
	peer = vesp_model_peer(dev, 1);
	peer->liveness_interval = 100;
	peer->liveness_multiplier = 3;
	peer->hold_down = 1000;
	peer->roaming = false;
	peer->path_switches = 2;
	peer->present = (1ULL << VESP_A_PEER_LIVENESS_INTERVAL) |
			(1ULL << VESP_A_PEER_LIVENESS_MULTIPLIER) |
			(1ULL << VESP_A_PEER_HOLD_DOWN) | (1ULL << VESP_A_PEER_ROAMING) |
			(1ULL << VESP_A_PEER_PATH_SWITCHES);
	path = vesp_model_path(peer, 1);
	vesp_parse_addr("192.0.2.2", &path->remote, "", &err);
	path->state = VESP_PATH_STATE_DOWN;
	path->last_rx_ms = 2500;
	path->probes_sent = 30;
	path->probes_received = 20;
	path->state_changes = 2;
	path->present = (1ULL << VESP_A_PATH_REMOTE) | (1ULL << VESP_A_PATH_STATE) |
			(1ULL << VESP_A_PATH_LAST_RX) | (1ULL << VESP_A_PATH_PROBES_SENT) |
			(1ULL << VESP_A_PATH_PROBES_RECEIVED) |
			(1ULL << VESP_A_PATH_STATE_CHANGES);
	path = vesp_model_path(peer, 2);
	vesp_parse_addr("198.51.100.2", &path->remote, "", &err);
	path->active = true;
	path->state = VESP_PATH_STATE_UP;
	path->last_rx_ms = 12;
	path->heard_by_peer = true;
	path->probes_sent = 31;
	path->probes_received = 30;
	path->state_changes = 1;
	path->present = (1ULL << VESP_A_PATH_REMOTE) | (1ULL << VESP_A_PATH_ACTIVE) |
			(1ULL << VESP_A_PATH_STATE) | (1ULL << VESP_A_PATH_LAST_RX) |
			(1ULL << VESP_A_PATH_HEARD_BY_PEER) | (1ULL << VESP_A_PATH_PROBES_SENT) |
			(1ULL << VESP_A_PATH_PROBES_RECEIVED) |
			(1ULL << VESP_A_PATH_STATE_CHANGES);
}

static void test_liveness(void **state)
{
	struct vesp_dev_list list = { 0 };
	struct vesp_render r;
	struct capture c;
	char *text;

	(void)state;
	fill_liveness_model(&list);
	capture_start(&c);
	r = (struct vesp_render){ c.out, false };
	vesp_render_show_text(&r, &list);
	text = capture_end(&c);
	assert_string_equal(text,
			    "interface: vesp0\n"
			    "  flags: carrier-liveness\n"
			    "\n"
			    "peer: 1\n"
			    "  prefixes: (none)\n"
			    "  liveness: interval 100 ms, multiplier 3, hold-down 1000 ms, "
			    "roaming off, 2 path switches\n"
			    "  path 1: 192.0.2.2\n"
			    "    liveness: down, last rx 2500 ms ago, probes 30 sent 20 received, "
			    "2 state changes\n"
			    "  path 2: 198.51.100.2 (active)\n"
			    "    liveness: up, last rx 12 ms ago, heard by peer, probes 31 sent 30 "
			    "received, 1 state changes\n");
	free(text);

	capture_start(&c);
	vesp_render_show_json(c.out, &list, VESP_SHOW_EVERYTHING);
	text = capture_end(&c);
	assert_string_equal(text,
			    "[{\"ifindex\":5,\"ifname\":\"vesp0\",\"flags\":[\"carrier-liveness\"],"
			    "\"peers\":[{\"id\":1,\"liveness_interval_ms\":100,"
			    "\"liveness_multiplier\":3,\"hold_down_ms\":1000,\"roaming\":false,"
			    "\"path_switches\":2,\"prefixes\":[],\"paths\":[{\"id\":1,"
			    "\"family\":\"inet\",\"remote\":\"192.0.2.2\",\"active\":false,"
			    "\"state\":\"down\",\"last_rx_ms\":2500,\"heard_by_peer\":false,"
			    "\"probes_sent\":30,\"probes_received\":20,\"state_changes\":2},"
			    "{\"id\":2,\"family\":\"inet\",\"remote\":\"198.51.100.2\","
			    "\"active\":true,\"state\":\"up\",\"last_rx_ms\":12,"
			    "\"heard_by_peer\":true,\"probes_sent\":31,\"probes_received\":30,"
			    "\"state_changes\":1}],\"sas\":[]}]}]\n");
	free(text);
	vesp_dev_list_free(&list);
}

static void test_path_events(void **state)
{
	struct vesp_event event = { .cmd = VESP_CMD_PATH_NTF };
	struct vesp_error err = { 0 };
	struct vesp_render r;
	struct vesp_peer *peer;
	struct vesp_path *path;
	struct capture c;
	char *text;

	(void)state;
	peer = vesp_model_peer(vesp_model_dev(&event.devs, 5, "vesp0"), 1);
	peer->path_switches = 3;
	vesp_mark(&peer->present, VESP_A_PEER_PATH_SWITCHES);
	path = vesp_model_path(peer, 2);
	vesp_parse_addr("198.51.100.2", &path->remote, "", &err);
	path->event = VESP_PATH_EVENT_SWITCHED;
	path->previous_id = 1;
	path->active = true;
	path->present = (1ULL << VESP_A_PATH_REMOTE) | (1ULL << VESP_A_PATH_EVENT) |
			(1ULL << VESP_A_PATH_PREVIOUS_ID) | (1ULL << VESP_A_PATH_ACTIVE);
	capture_start(&c);
	r = (struct vesp_render){ c.out, false };
	vesp_render_event_text(&r, &event);
	vesp_render_event_json(c.out, &event);
	text = capture_end(&c);
	assert_string_equal(text,
			    "vesp0: path switched: peer 1 path 2 198.51.100.2 (was path 1), "
			    "3 switches\n"
			    "{\"event\":\"path\",\"ifindex\":5,\"ifname\":\"vesp0\",\"peer\":1,"
			    "\"path_switches\":3,\"path\":{\"id\":2,\"family\":\"inet\","
			    "\"remote\":\"198.51.100.2\",\"active\":true,\"path_event\":\"switched\","
			    "\"previous_id\":1}}\n");
	free(text);

	/* roamed: the old remote; down: just the path */
	path->event = VESP_PATH_EVENT_ROAMED;
	path->present &= ~(1ULL << VESP_A_PATH_PREVIOUS_ID);
	vesp_parse_addr("192.0.2.9", &path->previous_remote, "", &err);
	vesp_mark(&path->present, VESP_A_PATH_PREVIOUS_REMOTE);
	peer->present = 0;
	capture_start(&c);
	r = (struct vesp_render){ c.out, false };
	vesp_render_event_text(&r, &event);
	path->event = VESP_PATH_EVENT_DOWN;
	path->present &= ~(1ULL << VESP_A_PATH_PREVIOUS_REMOTE);
	vesp_render_event_text(&r, &event);
	text = capture_end(&c);
	assert_string_equal(text,
			    "vesp0: path roamed: peer 1 path 2 198.51.100.2 (was 192.0.2.9)\n"
			    "vesp0: path down: peer 1 path 2 198.51.100.2\n");
	free(text);
	vesp_event_free(&event);
}

static char *escaped(const char *input)
{
	struct capture c;

	capture_start(&c);
	vesp_json_write_escaped(c.out, input);
	return capture_end(&c);
}

static void expect_escaped(const char *input, const char *want)
{
	char *text = escaped(input);

	assert_string_equal(text, want);
	free(text);
}

static void test_json_escaping(void **state)
{
	struct vesp_json json;
	struct capture c;
	char *text;

	(void)state;
	expect_escaped("plain", "\"plain\"");
	expect_escaped("", "\"\"");
	expect_escaped("a\"b\\c", "\"a\\\"b\\\\c\"");
	expect_escaped("\n\r\t\b\f", "\"\\n\\r\\t\\b\\f\"");
	expect_escaped("\x01\x1f\x7f", "\"\\u0001\\u001f\\u007f\"");
	expect_escaped("/", "\"/\"");
	/* well-formed UTF-8 passes, anything else becomes U+FFFD */
	expect_escaped("caf\xc3\xa9 \xe2\x82\xac \xf0\x9f\x94\x91", "\"caf\xc3\xa9 \xe2\x82\xac \xf0\x9f\x94\x91\"");
	expect_escaped("\xff", "\"\\ufffd\"");
	expect_escaped("\xc3", "\"\\ufffd\"");
	expect_escaped("\xc0\xaf", "\"\\ufffd\\ufffd\"");		/* overlong '/' */
	expect_escaped("\xed\xa0\x80", "\"\\ufffd\\ufffd\\ufffd\"");	/* a surrogate */
	expect_escaped("\xf4\x90\x80\x80", "\"\\ufffd\\ufffd\\ufffd\\ufffd\"");	/* > U+10FFFF */
	expect_escaped("a\xe2\x82", "\"a\\ufffd\\ufffd\"");		/* cut short */

	/* nesting and commas */
	capture_start(&c);
	vesp_json_init(&json, c.out);
	vesp_json_array_begin(&json);
	vesp_json_object_begin(&json);
	vesp_json_kv_string(&json, "k\"ey", "v");
	vesp_json_key(&json, "list");
	vesp_json_array_begin(&json);
	vesp_json_u64(&json, UINT64_MAX);
	vesp_json_bool(&json, false);
	vesp_json_null(&json);
	vesp_json_array_end(&json);
	vesp_json_key(&json, "empty");
	vesp_json_object_begin(&json);
	vesp_json_object_end(&json);
	vesp_json_object_end(&json);
	vesp_json_object_begin(&json);
	vesp_json_object_end(&json);
	vesp_json_array_end(&json);
	text = capture_end(&c);
	assert_string_equal(text, "[{\"k\\\"ey\":\"v\",\"list\":[18446744073709551615,false,null],"
				  "\"empty\":{}},{}]");
	free(text);
}

/* A device name the kernel allows but JSON must escape. */
static void test_odd_device_name(void **state)
{
	struct vesp_dev_list list = { 0 };
	struct capture c;
	char *text;

	(void)state;
	vesp_model_dev(&list, 9, "t\"un\\1");
	capture_start(&c);
	vesp_render_show_json(c.out, &list, VESP_SHOW_FWMARK);
	text = capture_end(&c);
	assert_string_equal(text, "[{\"ifindex\":9,\"ifname\":\"t\\\"un\\\\1\"}]\n");
	free(text);
	vesp_dev_list_free(&list);
}

/*
 * A reply that (wrongly) carries key attributes: parsed and rendered in
 * every format, the key shows nowhere, neither as hex nor as raw bytes.
 */
static void test_no_key_in_any_output(void **state)
{
	static const uint8_t enc_key[36] = {
		0x5e, 0xc2, 0xe7, 0x00, 0x11, 0x22, 0x33, 0x44, 0x55, 0x66, 0x77, 0x88,
		0x99, 0xaa, 0xbb, 0xcc, 0xdd, 0xee, 0xff, 0x01, 0x02, 0x03, 0x04, 0x05,
		0x06, 0x07, 0x08, 0x09, 0x0a, 0x0b, 0x0c, 0x0d, 0x0e, 0x0f, 0x10, 0x11,
	};
	static const uint8_t auth_key[32] = {
		0xa7, 0x17, 0x4e, 0x79, 0xa7, 0x17, 0x4e, 0x79, 0xa7, 0x17, 0x4e, 0x79,
		0xa7, 0x17, 0x4e, 0x79, 0xa7, 0x17, 0x4e, 0x79, 0xa7, 0x17, 0x4e, 0x79,
		0xa7, 0x17, 0x4e, 0x79, 0xa7, 0x17, 0x4e, 0x79,
	};
	static const char *const needles[] = { "5ec2e7", "5EC2E7", "a7174e79", "A7174E79",
					       "\x5e\xc2\xe7", "\xa7\x17\x4e\x79" };
	struct vesp_dev_list list = { 0 };
	struct vesp_error err = { 0 };
	struct vesp_event event;
	struct nlattr *peer, *sa;
	struct vesp_render r;
	struct nl_msg *msg;
	struct capture c;
	char *text;
	size_t i;
	int field;

	(void)state;
	msg = nlmsg_alloc();
	genlmsg_put(msg, 0, 1, 0x1d, 0, 0, VESP_CMD_SA_EXPIRE_NTF, VESP_GENL_VERSION);
	nla_put_u32(msg, VESP_A_IFINDEX, 5);
	nla_put_string(msg, VESP_A_IFNAME, "vesp0");
	peer = nla_nest_start(msg, VESP_A_PEER);
	nla_put_u32(msg, VESP_A_PEER_ID, 1);
	sa = nla_nest_start(msg, VESP_A_PEER_SA);
	nla_put_u32(msg, VESP_A_SA_SPI, 0x1000);
	nla_put_u8(msg, VESP_A_SA_DIR, VESP_SA_DIR_OUT);
	nla_put_u32(msg, VESP_A_SA_ALG, VESP_SA_ALG_AES_CBC_HMAC_SHA256);
	nla_put(msg, VESP_A_SA_ENC_KEY, sizeof(enc_key), enc_key);
	nla_put(msg, VESP_A_SA_AUTH_KEY, sizeof(auth_key), auth_key);
	nla_put_u8(msg, VESP_A_SA_EXPIRE_REASON, VESP_SA_EXPIRE_SOFT);
	nla_nest_end(msg, sa);
	nla_nest_end(msg, peer);
	assert_int_equal(vesp_reply_parse(nlmsg_hdr(msg), &list, &err), 0);
	assert_int_equal(vesp_event_parse(nlmsg_hdr(msg), &event, &err), 0);
	nlmsg_free(msg);
	/* the SA itself did arrive */
	assert_int_equal(list.devs[0].peers[0].n_sas, 1);

	capture_start(&c);
	r = (struct vesp_render){ c.out, true };
	vesp_render_show_text(&r, &list);
	for (field = VESP_SHOW_EVERYTHING; field <= VESP_SHOW_FWMARK; field++) {
		vesp_render_field_text(&r, &list, (enum vesp_show_field)field, true);
		vesp_render_show_json(c.out, &list, (enum vesp_show_field)field);
	}
	vesp_render_sa_list_text(&r, &list);
	vesp_render_sa_list_json(c.out, &list);
	vesp_render_stats_text(&r, &list);
	vesp_render_event_text(&r, &event);
	vesp_render_event_json(c.out, &event);
	fflush(c.out);
	assert_true(c.len > 200);
	assert_int_equal(strlen(c.text), c.len);
	text = capture_end(&c);
	assert_non_null(strstr(text, "0x00001000"));
	for (i = 0; i < sizeof(needles) / sizeof(needles[0]); i++)
		if (strstr(text, needles[i]))
			fail_msg("key material \"%s\" in the output", needles[i]);
	free(text);
	vesp_event_free(&event);
	vesp_dev_list_free(&list);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_show_text),
		cmocka_unit_test(test_show_json),
		cmocka_unit_test(test_fields),
		cmocka_unit_test(test_sa_list_and_stats),
		cmocka_unit_test(test_events),
		cmocka_unit_test(test_liveness),
		cmocka_unit_test(test_path_events),
		cmocka_unit_test(test_json_escaping),
		cmocka_unit_test(test_odd_device_name),
		cmocka_unit_test(test_no_key_in_any_output),
	};

	return run_tap_tests("vesp_render", tests);
}
