// SPDX-License-Identifier: GPL-2.0
/*
 * Two tunnels (daemon/tunnel.c) against each other in one process, over
 * simulated hours: bring-up, Child SA and IKE SA rekeys on lifetime with
 * the tunnel never down, liveness, and a peer that restarts and loses its
 * state on either side, recovered without an operator. The kernel is a
 * table of installed SAs that refuses what the module would refuse.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <syslog.h>
#include <arpa/inet.h>
#include <netinet/in.h>
#include <cmocka.h>

#include <linux/vesp.h>

#include "daemon/tunnel.h"
#include "lib/testutil.h"

#define X25519_A "77076d0a7318a57d3c16c17251b26645df4c2f87ebc0992ab177fba51db92c2a"
#define X25519_B "5dab087e624a8a4b79e17f8b83800ee66f3bb1292618b6fd1c2f8b27ff88e0eb"
#define MAX_SAS 16
#define QUEUE 16

struct side {
	const char *x25519;
	uint32_t counter;
	struct vespd_tunnel conf;
	struct vespd_tunnel_env env;
	struct ike_kernel kernel;
	struct vespd_tunnel_run run;
	struct side *peer;
	bool deaf;			/* drops everything it would receive */
	/* the kernel: installed SAs, which one is the active outbound */
	size_t num_sas;
	struct { uint8_t dir; uint32_t spi; } sas[MAX_SAS];
	uint32_t active_out;
	unsigned int installs;
	char last_error[256];		/* the last LOG_ERR line */
	char last_warning[256];		/* the last LOG_WARNING line */
	/* datagrams on their way to this side, with their addresses */
	size_t queued;
	size_t len[QUEUE];
	uint8_t queue[QUEUE][IKE_MESSAGE_MAX_LEN];
	struct sockaddr_storage from[QUEUE], to[QUEUE];
	/* what this side sent last, and its addresses that are cut */
	unsigned int sent;
	struct sockaddr_storage last_from, last_to;
	size_t num_cut;
	struct sockaddr_storage cut[4];
	struct sockaddr_storage nat_as;	/* what the peer sees as our source */
	/* the module's path calls */
	unsigned int path_sets;
	struct ike_endpoint path_local, path_remote;
};

static struct side A, B;
static uint64_t clock_ms;

static uint64_t mock_now(void *ctx)
{
	(void)ctx;
	return clock_ms;
}

static bool same_ip(const struct sockaddr_storage *a, const struct sockaddr_storage *b)
{
	return a->ss_family == AF_INET && b->ss_family == AF_INET &&
	       ((const struct sockaddr_in *)a)->sin_addr.s_addr ==
	       ((const struct sockaddr_in *)b)->sin_addr.s_addr;
}

static int mock_send(void *ctx, const struct sockaddr_storage *from,
		     const struct sockaddr_storage *to, const uint8_t *buf, size_t len)
{
	struct side *s = ctx, *peer = s->peer;

	s->sent++;
	if (from)
		s->last_from = *from;
	s->last_to = *to;
	if (peer->deaf || peer->queued == QUEUE)
		return 0;
	/* a path that is cut carries nothing, either way */
	for (size_t i = 0; i < s->num_cut; i++)
		if ((from && same_ip(from, &s->cut[i])) || same_ip(to, &s->cut[i]))
			return 0;
	memcpy(peer->queue[peer->queued], buf, len);
	/* behind a NAT, the peer sees the NAT's address */
	peer->from[peer->queued] = s->nat_as.ss_family ? s->nat_as :
				   from ? *from : s->conf.paths[0].local;
	peer->to[peer->queued] = *to;
	peer->len[peer->queued++] = len;
	return 0;
}

/* A different, reproducible stream per side: a counter through a hash would
 * do; plain counting bytes is enough for nonces, SPIs and IVs here. */
static int mock_random(void *ctx, uint8_t *buf, size_t len, struct ike_error *err)
{
	struct side *s = ctx;

	(void)err;
	for (size_t i = 0; i < len; i++) {
		s->counter = s->counter * 1103515245u + 12345u;
		buf[i] = (uint8_t)(s->counter >> 16);
	}
	return 0;
}

static struct ike_dh *mock_dh(void *ctx, uint16_t group, struct ike_error *err)
{
	struct side *s = ctx;
	uint8_t priv[32];

	assert_int_equal(group, IKE_DH_CURVE25519);
	hex_decode(s->x25519, priv, sizeof(priv));
	return ike_dh_from_keypair(group, ike_chunk(priv, 32), ike_chunk(NULL, 0), err);
}

static void mock_log(void *ctx, int level, const char *tunnel, const char *text)
{
	struct side *s = ctx;

	if (level <= LOG_ERR)
		snprintf(s->last_error, sizeof(s->last_error), "%s", text);
	if (level == LOG_WARNING)
		snprintf(s->last_warning, sizeof(s->last_warning), "%s", text);
	if (getenv("TUNNEL_LOG"))
		fprintf(stderr, "%c %llu %s: [%d] %s\n", ctx == &A ? 'A' : ctx == &B ? 'B' : 'C',
			(unsigned long long)clock_ms, tunnel, level, text);
}

static int find_sa(const struct side *s, uint8_t dir, uint32_t spi)
{
	for (size_t i = 0; i < s->num_sas; i++)
		if (s->sas[i].dir == dir && s->sas[i].spi == spi)
			return (int)i;
	return -1;
}

static int k_add(void *ctx, uint32_t peer, const struct ike_kernel_sa *sa, bool active,
		 struct ike_error *err)
{
	struct side *s = ctx;

	(void)peer;
	(void)err;
	assert_int_equal(find_sa(s, sa->dir, sa->spi), -1);
	assert_true(s->num_sas < MAX_SAS);
	s->sas[s->num_sas].dir = sa->dir;
	s->sas[s->num_sas++].spi = sa->spi;
	s->installs++;
	if (active)
		s->active_out = sa->spi;
	return 0;
}

static int k_activate(void *ctx, uint32_t peer, uint32_t spi, struct ike_error *err)
{
	struct side *s = ctx;

	(void)peer;
	(void)err;
	assert_true(find_sa(s, VESP_SA_DIR_OUT, spi) >= 0);
	s->active_out = spi;
	return 0;
}

static int k_del(void *ctx, uint32_t peer, uint8_t dir, uint32_t spi,
		 struct ike_error *err)
{
	struct side *s = ctx;
	int i = find_sa(s, dir, spi);

	(void)peer;
	(void)err;
	/* deleting what is not there is a bug the module would report */
	assert_true(i >= 0);
	s->sas[i] = s->sas[--s->num_sas];
	if (dir == VESP_SA_DIR_OUT && spi == s->active_out)
		s->active_out = 0;
	return 0;
}

static int k_path_set(void *ctx, uint32_t peer, const struct ike_endpoint *local,
		      const struct ike_endpoint *remote, struct ike_error *err)
{
	struct side *s = ctx;

	(void)peer;
	(void)err;
	s->path_sets++;
	s->path_local = *local;
	s->path_remote = *remote;
	return 0;
}

static void set_ip(struct sockaddr_storage *ss, const char *ip)
{
	struct sockaddr_in *s4 = (struct sockaddr_in *)ss;

	memset(ss, 0, sizeof(*ss));
	s4->sin_family = AF_INET;
	s4->sin_port = htons(500);
	assert_int_equal(inet_pton(AF_INET, ip, &s4->sin_addr), 1);
}

static void side_setup(struct side *s, struct side *peer, bool initiate)
{
	struct ike_error err;

	memset(s, 0, sizeof(*s));
	s->peer = peer;
	s->x25519 = initiate ? X25519_A : X25519_B;
	s->counter = initiate ? 1 : 2;
	s->kernel = (struct ike_kernel){
		.sa_add = k_add, .sa_activate = k_activate, .sa_del = k_del,
		.path_set = k_path_set, .ctx = s,
	};
	s->env = (struct vespd_tunnel_env){
		.now = mock_now, .send = mock_send, .log = mock_log, .ctx = s,
		.deps = { mock_random, mock_dh, s, &s->kernel },
	};
	strcpy(s->conf.name, "t");
	strcpy(s->conf.device, "vesp0");
	s->conf.initiate = initiate;
	s->conf.ike_lifetime = 2 * 3600;
	s->conf.child_lifetime = 3600;
	s->conf.liveness = 30;
	s->conf.retransmit_tries = IKE_RETRANSMIT_DEFAULT.retries;
	ike_proposal_from_string(&s->conf.ike.proposals[0], IKE_PROTO_IKE,
				 "aes256gcm16-prfsha256-x25519", &err);
	s->conf.ike.proposals[0].number = 1;
	s->conf.ike.num_proposals = 1;
	ike_proposal_from_string(&s->conf.ike.child_proposals[0], IKE_PROTO_ESP,
				 "aes256gcm16-esn", &err);
	s->conf.ike.child_proposals[0].number = 1;
	s->conf.ike.num_child_proposals = 1;
	ike_identity_from_string(&s->conf.ike.local_id, initiate ? "a.example" : "b.example",
				 &err);
	memcpy(s->conf.ike.psk, "secret", 6);
	s->conf.ike.psk_len = 6;
	s->conf.ike.peer_id = 1;
	ike_sa_config_default_ts(&s->conf.ike);
	/* one path: 192.0.2.1 (A) to 192.0.2.2 (B) */
	set_ip(&s->conf.paths[0].local, initiate ? "192.0.2.1" : "192.0.2.2");
	set_ip(&s->conf.paths[0].remote, initiate ? "192.0.2.2" : "192.0.2.1");
	s->conf.num_paths = 1;
	s->conf.local = s->conf.paths[0].local;
	s->conf.remote = s->conf.paths[0].remote;
	assert_int_equal(vespd_tunnel_run_init(&s->run, &s->conf, &s->env), 0);
}

static void deliver_all(struct side *s)
{
	static uint8_t buf[IKE_MESSAGE_MAX_LEN];

	while (s->queued) {
		size_t len = s->len[0];

		struct sockaddr_storage from = s->from[0], to = s->to[0];

		memcpy(buf, s->queue[0], len);
		s->queued--;
		memmove(s->queue[0], s->queue[1], s->queued * sizeof(s->queue[0]));
		memmove(s->len, s->len + 1, s->queued * sizeof(s->len[0]));
		memmove(s->from, s->from + 1, s->queued * sizeof(s->from[0]));
		memmove(s->to, s->to + 1, s->queued * sizeof(s->to[0]));
		if (vespd_tunnel_run_accepts(&s->run, &from, buf, len))
			vespd_tunnel_run_receive(&s->run, buf, len, &from, &to);
	}
}

/* Both sides' SAs pair up: each active outbound is an inbound of the other. */
static bool keyed(void)
{
	return A.active_out && B.active_out &&
	       find_sa(&B, VESP_SA_DIR_IN, A.active_out) >= 0 &&
	       find_sa(&A, VESP_SA_DIR_IN, B.active_out) >= 0;
}

/* Run until @until (ms), a step of @step; count the steps not keyed. */
static unsigned int run_until(uint64_t until, uint64_t step)
{
	unsigned int down = 0;

	for (; clock_ms < until; clock_ms += step) {
		vespd_tunnel_run_tick(&A.run);
		vespd_tunnel_run_tick(&B.run);
		deliver_all(&B);
		deliver_all(&A);
		deliver_all(&B);
		if (!keyed())
			down++;
	}
	return down;
}

static int setup(void **state)
{
	(void)state;
	clock_ms = 1000;
	side_setup(&A, &B, true);
	side_setup(&B, &A, false);
	return 0;
}

static int teardown(void **state)
{
	(void)state;
	vespd_tunnel_run_destroy(&A.run);
	vespd_tunnel_run_destroy(&B.run);
	ike_sa_config_clear(&A.conf.ike);
	ike_sa_config_clear(&B.conf.ike);
	return 0;
}

static void test_up_and_rekeyed_for_hours(void **state)
{
	(void)state;
	assert_int_equal(run_until(2000, 100), 1);	/* the first step is down */
	assert_true(vespd_tunnel_run_up(&A.run));
	assert_true(vespd_tunnel_run_up(&B.run));
	assert_int_equal(A.num_sas, 2);
	/*
	 * 5 hours: children rekeyed about hourly, the IKE SA every two hours,
	 * liveness checks in between; never unkeyed for a single step.
	 */
	assert_int_equal(run_until(5 * 3600 * 1000ULL, 1000), 0);
	assert_true(A.installs + B.installs >= 2 * 2 * 5);
	assert_true(A.installs + B.installs <= 2 * 2 * 8);
	/* what is left in each kernel is one child: nothing leaks */
	assert_int_equal(A.num_sas, 2);
	assert_int_equal(B.num_sas, 2);
	assert_int_equal(A.run.established, 1);
	/* the IKE SA was rekeyed twice (2 h less jitter), and the old ones are gone */
	assert_int_equal(A.run.ike_rekeys, 2);
	assert_int_equal(B.run.ike_rekeys, 2);
	assert_null(A.run.old_sa);
	assert_null(B.run.old_sa);
}

static void test_responder_restarts(void **state)
{
	(void)state;
	run_until(60 * 1000, 1000);
	assert_true(keyed());
	/* B loses everything, its kernel included */
	vespd_tunnel_run_destroy(&B.run);
	side_setup(&B, &A, false);
	B.counter = 99;
	/* A's liveness check goes unanswered, it gives up and starts over */
	run_until(5 * 60 * 1000, 1000);
	assert_true(keyed());
	assert_int_equal(A.run.established, 2);
	assert_int_equal(A.num_sas, 2);
	assert_int_equal(B.num_sas, 2);
}

static void test_initiator_restarts(void **state)
{
	(void)state;
	run_until(60 * 1000, 1000);
	assert_true(keyed());
	vespd_tunnel_run_destroy(&A.run);
	side_setup(&A, &B, true);
	A.counter = 99;		/* a restarted peer draws other SPIs */
	/* A initiates anew; B replaces its SA once A has authenticated */
	run_until(70 * 1000, 1000);
	assert_true(keyed());
	assert_int_equal(B.run.established, 2);
	assert_int_equal(B.num_sas, 2);
	assert_null(B.run.old_sa);
}

static const struct ike_child_sa *installed_child_of(const struct ike_sa *sa)
{
	for (size_t i = 0; i < IKE_MAX_CHILDREN; i++)
		if (sa->children[i].state == IKE_CHILD_INSTALLED)
			return &sa->children[i];
	return NULL;
}

static void test_simultaneous_ike_rekeys(void **state)
{
	(void)state;
	/* same lifetime, same jitter, same start: both rekey in the same second */
	A.conf.ike_lifetime = B.conf.ike_lifetime = 600;
	A.conf.child_lifetime = B.conf.child_lifetime = 0;
	A.run.jitter = B.run.jitter = 0;
	run_until(3000, 1000);
	assert_true(keyed());
	A.run.ike_since = B.run.ike_since;
	/*
	 * The two rekeys cross (§2.8.2): both new IKE SAs are made, the
	 * redundant one goes, and both ends agree on the other at once,
	 * never down and without refusing either.
	 */
	assert_int_equal(run_until(602 * 1000, 1000), 0);
	assert_int_equal(A.run.ike_rekeys, 1);
	assert_int_equal(B.run.ike_rekeys, 1);
	assert_int_not_equal(A.run.m->error.notify, IKE_N_TEMPORARY_FAILURE);
	assert_int_not_equal(B.run.m->error.notify, IKE_N_TEMPORARY_FAILURE);
	assert_int_equal(A.run.sa->spi_i, B.run.sa->spi_i);
	assert_int_equal(A.run.sa->spi_r, B.run.sa->spi_r);
	assert_non_null(installed_child_of(A.run.sa));
	assert_non_null(installed_child_of(B.run.sa));
	/* the old SA is deleted by one end and answered by the other */
	assert_int_equal(run_until(700 * 1000, 1000), 0);
	assert_null(A.run.old_sa);
	assert_null(B.run.old_sa);
	assert_int_equal(A.run.ike_rekeys + B.run.ike_rekeys, 2);
	assert_int_equal(A.run.sa->spi_i, B.run.sa->spi_i);
	assert_int_equal(A.num_sas, 2);
	assert_int_equal(B.num_sas, 2);
}

static void test_first_child_failed_not_up(void **state)
{
	struct ike_error err;

	(void)state;
	/* B wants another cipher: IKE_AUTH brings the IKE SA, but no child */
	ike_proposal_from_string(&B.conf.ike.child_proposals[0], IKE_PROTO_ESP,
				 "chacha20poly1305-esn", &err);
	B.conf.ike.child_proposals[0].number = 1;
	run_until(1500, 100);
	assert_false(vespd_tunnel_run_up(&A.run));
	assert_false(vespd_tunnel_run_up(&B.run));
	assert_int_equal(A.run.established + B.run.established, 0);
	/* both say so, with the reason, and the IKE SA does not linger */
	assert_non_null(strstr(A.last_error, "first Child SA failed"));
	assert_non_null(strstr(A.last_error, "notify 14"));
	assert_non_null(strstr(B.last_error, "first Child SA failed"));
	assert_non_null(strstr(B.last_error, "no ESP proposal chosen"));
	assert_int_equal(A.num_sas + B.num_sas, 0);
	/* A tries again, with back-off; once B agrees, the tunnel comes up */
	run_until(5000, 100);
	assert_true(A.run.backoff_ms >= 4000);
	assert_int_equal(A.run.established, 0);
	B.conf.ike.child_proposals[0] = A.conf.ike.child_proposals[0];
	run_until(20 * 1000, 100);
	assert_true(keyed());
	assert_true(vespd_tunnel_run_up(&A.run));
	assert_int_equal(A.run.established, 1);
}

static void set_addr(struct sockaddr_storage *ss, const char *addr)
{
	struct sockaddr_in *sin = (struct sockaddr_in *)ss;

	memset(ss, 0, sizeof(*ss));
	sin->sin_family = AF_INET;
	sin->sin_port = htons(500);
	assert_int_equal(inet_pton(AF_INET, addr, &sin->sin_addr), 1);
}

static void test_nat_reported(void **state)
{
	(void)state;
	/* A is 10.0.0.1 behind a NAT; B sees it as 198.51.100.7 */
	set_addr(&A.conf.paths[0].local, "10.0.0.1");
	set_addr(&A.conf.paths[0].remote, "192.0.2.2");
	set_addr(&B.conf.paths[0].local, "192.0.2.2");
	set_addr(&B.conf.paths[0].remote, "198.51.100.7");
	set_addr(&A.nat_as, "198.51.100.7");
	run_until(3000, 1000);
	assert_true(A.run.sa->nat.local);
	assert_true(B.run.sa->nat.remote);
	assert_non_null(strstr(A.last_warning, "NAT detected (local)"));
	assert_non_null(strstr(B.last_warning, "NAT detected (remote)"));
	assert_non_null(strstr(B.last_warning, "not supported"));

	/* no NAT in between: nothing said */
	teardown(NULL);
	setup(NULL);
	set_addr(&A.conf.paths[0].local, "192.0.2.1");
	set_addr(&A.conf.paths[0].remote, "192.0.2.2");
	set_addr(&B.conf.paths[0].local, "192.0.2.2");
	set_addr(&B.conf.paths[0].remote, "192.0.2.1");
	run_until(3000, 1000);
	assert_true(keyed());
	assert_true(A.run.sa->nat.checked);
	assert_false(A.run.sa->nat.local || A.run.sa->nat.remote);
	assert_false(B.run.sa->nat.local || B.run.sa->nat.remote);
	assert_string_equal(A.last_warning, "");
}

static struct side C;

static void test_spoofed_init_leaves_tunnel_alone(void **state)
{
	(void)state;
	run_until(10 * 1000, 1000);
	assert_true(keyed());
	/*
	 * C, without the key, starts an IKE SA with B and answers nothing
	 * after IKE_SA_INIT (B's response goes to A, which drops it).
	 */
	side_setup(&C, &B, true);
	C.counter = 77;
	C.conf.ike.psk[0] ^= 1;
	vespd_tunnel_run_tick(&C.run);
	assert_int_equal(B.queued, 1);
	deliver_all(&B);
	assert_non_null(B.run.old_sa);
	vespd_tunnel_run_destroy(&C.run);
	/* the tunnel stays keyed, and the half-open SA is dropped after 30 s */
	assert_int_equal(run_until(60 * 1000, 1000), 0);
	assert_null(B.run.old_sa);
	assert_int_equal(B.run.established, 1);
	assert_int_equal(B.num_sas, 2);
	/* B's SA still answers liveness checks */
	assert_int_equal(run_until(3 * 60 * 1000, 1000), 0);
	assert_int_equal(A.run.established, 1);
}

/*
 * B goes silent. A's liveness check goes unanswered until A gives up; A
 * then starts over after 1 s, and after each attempt that times out waits
 * twice as long, up to a minute. Once B answers again the tunnel is back
 * and the back-off starts from 1 s again.
 */
static void test_silent_peer_backoff(void **state)
{
	uint64_t lost_at = 0, waits[8];
	size_t num_waits = 0;
	bool had_sa;

	(void)state;
	run_until(10 * 1000, 1000);
	assert_true(keyed());
	B.deaf = true;
	had_sa = true;
	while (num_waits < 8 && clock_ms < 30 * 60 * 1000) {
		run_until(clock_ms + 100, 100);
		if (had_sa && !A.run.sa)
			lost_at = clock_ms;
		if (!had_sa && A.run.sa)
			waits[num_waits++] = clock_ms - lost_at;
		had_sa = A.run.sa != NULL;
	}
	assert_int_equal(num_waits, 8);
	assert_int_equal(waits[0], 1000);
	assert_int_equal(waits[1], 2000);
	assert_int_equal(waits[2], 4000);
	assert_int_equal(waits[5], 32000);
	assert_int_equal(waits[6], 60000);
	assert_int_equal(waits[7], 60000);
	/* the SAs of the dead IKE SA left A's kernel */
	assert_int_equal(A.num_sas, 0);
	assert_int_equal(A.run.established, 1);
	B.deaf = false;
	run_until(clock_ms + 2 * 60 * 1000, 1000);
	assert_true(keyed());
	assert_int_equal(A.run.established, 2);
	assert_int_equal(A.run.backoff_ms, 1000);
	assert_int_equal(A.num_sas, 2);
	assert_int_equal(B.num_sas, 2);
}

/* With two retransmissions a silent peer is given up 1 + 2 + 4 s after the check. */
static void test_retransmit_tries(void **state)
{
	uint64_t check_at = 0;

	(void)state;
	A.conf.liveness = 5;
	A.conf.retransmit_tries = 2;
	run_until(10 * 1000, 1000);
	assert_true(keyed());
	B.deaf = true;
	while (A.run.sa && clock_ms < 60 * 1000) {
		if (!check_at && !ike_manager_idle(A.run.m))
			check_at = clock_ms;
		run_until(clock_ms + 100, 100);
	}
	assert_null(A.run.sa);
	assert_int_equal(clock_ms - check_at, 1000 + 2000 + 4000);
	assert_int_equal(A.run.established, 1);
}

/* The module's soft expiry of the current child's SA rekeys the child at once. */
static void test_soft_expiry_rekeys(void **state)
{
	uint32_t out, in;

	(void)state;
	run_until(10 * 1000, 1000);
	assert_true(keyed());
	out = A.active_out;
	in = A.run.sa->children[0].spi_in;
	/* SAs of no child of ours are ignored */
	vespd_tunnel_run_expired(&A.run, VESP_SA_DIR_OUT, 0x12345678, VESP_SA_EXPIRE_SOFT);
	assert_true(ike_manager_idle(A.run.m));
	vespd_tunnel_run_expired(&A.run, VESP_SA_DIR_OUT, out, VESP_SA_EXPIRE_SOFT);
	assert_ptr_equal(A.run.m->active, &A.run.m->rekey.task);
	assert_int_equal(A.run.m->rekey.old_spi, in);
	/* a second event for the other half of the same child adds nothing */
	vespd_tunnel_run_expired(&A.run, VESP_SA_DIR_IN, in, VESP_SA_EXPIRE_SOFT);
	assert_int_equal(A.run.m->num_queued, 0);
	assert_int_equal(run_until(12 * 1000, 1000), 0);
	assert_int_not_equal(A.active_out, out);
	assert_true(keyed());
	assert_int_equal(A.num_sas, 2);
	assert_int_equal(B.num_sas, 2);
	/* an event for the replaced child, late, changes nothing */
	vespd_tunnel_run_expired(&A.run, VESP_SA_DIR_IN, in, VESP_SA_EXPIRE_SOFT);
	assert_true(ike_manager_idle(A.run.m));
}

/* A hard expiry (the module removed the SA): the tunnel is made anew. */
static void test_hard_expiry_reestablishes(void **state)
{
	(void)state;
	run_until(10 * 1000, 1000);
	assert_true(keyed());
	vespd_tunnel_run_expired(&B.run, VESP_SA_DIR_IN, B.run.sa->children[0].spi_in,
				 VESP_SA_EXPIRE_HARD);
	run_until(20 * 1000, 1000);
	assert_true(keyed());
	assert_int_equal(A.run.established, 2);
	assert_int_equal(B.run.established, 2);
	assert_int_equal(A.num_sas, 2);
	assert_int_equal(B.num_sas, 2);
}

static void test_kernel_lifetimes(void **state)
{
	struct vesp_lifetimes life;

	(void)state;
	A.conf.child_lifetime = 3600;
	A.conf.child_bytes = 1000000;
	A.conf.child_packets = 0;
	A.run.jitter = 255;		/* the most: a tenth less */
	vespd_tunnel_kernel_lifetimes(&A.run, &life);
	/* seconds: after the daemon's timer, whatever the jitter */
	assert_int_equal(life.soft_seconds, 3600 + 180 + 1);
	assert_int_equal(life.hard_seconds, 3600 + 360 + VESPD_HARD_GRACE_S);
	assert_int_equal(life.soft_bytes, 900000);
	assert_int_equal(life.hard_bytes, 1500000);
	assert_int_equal(life.soft_packets, 0);
	assert_int_equal(life.hard_packets, 0);
	A.run.jitter = 0;
	A.conf.child_lifetime = 0;
	A.conf.child_packets = 1000;
	vespd_tunnel_kernel_lifetimes(&A.run, &life);
	assert_int_equal(life.soft_seconds, 0);
	assert_int_equal(life.hard_seconds, 0);
	assert_int_equal(life.soft_packets, 1000);
	assert_int_equal(life.hard_packets, 1500);
}

/* An INFORMATIONAL request with one notify, standing for a peer that lost state. */
struct notify_task {
	struct ike_task task;
	uint16_t type;
	uint32_t spi;
};

static enum ike_task_status notify_build_i(struct ike_task *task, struct ike_sa *sa,
					   struct ike_builder *b, struct ike_error *err)
{
	struct notify_task *t = (struct notify_task *)task;

	(void)sa;
	(void)err;
	if (t->spi)
		ike_build_notify(b, IKE_PROTO_ESP, 4, t->spi, t->type, NULL, 0);
	else
		ike_build_notify(b, 0, 0, 0, t->type, NULL, 0);
	return IKE_TASK_DONE;
}

static enum ike_task_status notify_process_i(struct ike_task *task, struct ike_sa *sa,
					     const struct ike_message *resp,
					     struct ike_error *err)
{
	(void)task;
	(void)sa;
	(void)resp;
	(void)err;
	return IKE_TASK_DONE;
}

static void peer_notifies(uint16_t type, uint32_t spi)
{
	static struct notify_task t;

	t = (struct notify_task){
		.task = { .name = "notify", .exchange = IKE_EXCHANGE_INFORMATIONAL,
			  .build_i = notify_build_i, .process_i = notify_process_i },
		.type = type, .spi = spi,
	};
	assert_int_equal(ike_manager_queue(B.run.m, &t.task), IKE_MANAGER_OK);
}

/*
 * INVALID_SPI naming the SA A sends with, or AUTHENTICATION_FAILED, in a
 * protected INFORMATIONAL: the peer lost A's state, A starts over. An
 * INVALID_SPI for an SPI A no longer uses changes nothing.
 */
static void test_peer_reports_lost_state(void **state)
{
	(void)state;
	run_until(10 * 1000, 1000);
	assert_true(keyed());
	peer_notifies(IKE_N_INVALID_SPI, 0x0badc0de);
	assert_int_equal(run_until(12 * 1000, 1000), 0);
	assert_int_equal(A.run.established, 1);

	peer_notifies(IKE_N_INVALID_SPI, A.active_out);
	run_until(20 * 1000, 1000);
	assert_true(keyed());
	assert_int_equal(A.run.established, 2);
	assert_int_equal(A.num_sas, 2);
	assert_int_equal(B.num_sas, 2);

	peer_notifies(IKE_N_AUTHENTICATION_FAILED, 0);
	run_until(30 * 1000, 1000);
	assert_true(keyed());
	assert_int_equal(A.run.established, 3);
}

/* @ip as an endpoint, for the kernel's path calls. */
static struct ike_endpoint ip_ep(const char *ip)
{
	struct ike_endpoint e = { .family = AF_INET };

	assert_int_equal(inet_pton(AF_INET, ip, e.addr), 1);
	return e;
}

/*
 * A second path, 198.51.100.1 (A) - 198.51.100.2 (B), priority 10, and
 * MOBIKE as asked for at each end; both come up on path 1.
 */
static void two_paths(bool a_mobike, bool b_mobike)
{
	struct side *sides[2] = { &A, &B };

	for (size_t i = 0; i < 2; i++) {
		struct side *s = sides[i];
		bool a = s == &A;

		set_ip(&s->conf.paths[1].local, a ? "198.51.100.1" : "198.51.100.2");
		set_ip(&s->conf.paths[1].remote, a ? "198.51.100.2" : "198.51.100.1");
		s->conf.paths[1].priority = 10;
		s->conf.num_paths = 2;
		s->conf.ike.mobike = a ? a_mobike : b_mobike;
		s->conf.ike.local_addrs[0] = ip_ep(a ? "192.0.2.1" : "192.0.2.2");
		s->conf.ike.local_addrs[1] = ip_ep(a ? "198.51.100.1" : "198.51.100.2");
		s->conf.ike.num_local_addrs = 2;
	}
	run_until(3000, 100);
	assert_true(keyed());
	assert_int_equal(A.run.path, 0);
	assert_int_equal(A.installs, 2);
}

/* Path 1 carries nothing any more, either way; @side's address there is gone. */
static void cut_path1(struct side *side)
{
	set_ip(&A.cut[A.num_cut++], "192.0.2.1");
	set_ip(&B.cut[B.num_cut++], "192.0.2.2");
	if (side) {
		struct sockaddr_storage gone;

		set_ip(&gone, side == &A ? "192.0.2.1" : "192.0.2.2");
		vespd_tunnel_run_address(&side->run, &gone, true);
	}
}

/* Both ends on path 2 with the Child SAs they had: MOBIKE moved them. */
static void assert_moved_by_mobike(void)
{
	assert_true(keyed());
	assert_int_equal(A.run.path, 1);
	assert_int_equal(B.run.path, 1);
	assert_true(ike_endpoint_same_addr(&A.run.sa->remote, &(struct ike_endpoint){
		.family = AF_INET, .addr = { 198, 51, 100, 2 } }));
	assert_true(ike_endpoint_same_addr(&B.run.sa->remote, &(struct ike_endpoint){
		.family = AF_INET, .addr = { 198, 51, 100, 1 } }));
	/* each module's ESP is on path 2 */
	assert_true(A.path_sets >= 1 && B.path_sets >= 1);
	assert_int_equal(A.path_remote.addr[0], 198);
	assert_int_equal(B.path_remote.addr[0], 198);
	assert_int_equal(B.path_local.addr[0], 198);
	/* no new Child SA, no new IKE SA */
	assert_int_equal(A.installs, 2);
	assert_int_equal(B.installs, 2);
	assert_int_equal(A.run.established, 1);
	assert_int_equal(B.run.established, 1);
	assert_int_equal(A.run.ike_rekeys, 0);
}

/* The initiator's address on path 1 goes away: it moves both ends at once. */
static void test_mobike_local_address_gone(void **state)
{
	(void)state;
	two_paths(true, true);
	assert_true(A.run.sa->mobike.enabled);
	cut_path1(&A);
	assert_int_equal(run_until(4000, 100), 0);
	assert_moved_by_mobike();
	/* still up after a liveness check or two, over path 2 */
	assert_int_equal(run_until(120 * 1000, 1000), 0);
	assert_moved_by_mobike();
}

/*
 * Path 1 dies without a word from the host: the liveness check goes
 * unanswered there three times, then moves to path 2 with MOBIKE.
 */
static void test_mobike_unanswered_moves(void **state)
{
	unsigned int down;

	(void)state;
	two_paths(true, true);
	cut_path1(NULL);
	down = run_until(60 * 1000, 1000);
	assert_moved_by_mobike();
	/* the module kept its SAs: never unkeyed */
	assert_int_equal(down, 0);
	assert_int_equal(A.run.path_changes, 1);
}

/* The responder's address goes: it says so from path 2, the initiator moves. */
static void test_mobike_responder_address_gone(void **state)
{
	(void)state;
	two_paths(true, true);
	cut_path1(&B);
	assert_int_equal(run_until(4000, 100), 0);
	assert_moved_by_mobike();
}

/*
 * A peer without MOBIKE cannot follow an IKE SA to a new address: the
 * initiator establishes the tunnel anew on the path still there.
 */
static void test_no_mobike_reestablishes_on_live_path(void **state)
{
	(void)state;
	two_paths(true, false);
	assert_false(A.run.sa->mobike.enabled);
	cut_path1(&A);
	run_until(20 * 1000, 100);
	assert_true(keyed());
	assert_int_equal(A.run.path, 1);
	assert_int_equal(A.run.established, 2);
	assert_int_equal(A.run.sa->remote.addr[0], 198);
	assert_int_equal(A.path_remote.addr[0], 198);
	/* the new Child SA is the only one left on either end */
	assert_int_equal(A.num_sas, 2);
	assert_int_equal(B.num_sas, 2);
}

/*
 * Without MOBIKE and without a word from the host: the liveness check
 * dies, the next attempt goes to path 2, with back-off.
 */
static void test_no_mobike_unanswered_reestablishes(void **state)
{
	(void)state;
	two_paths(false, false);
	cut_path1(NULL);
	run_until(3 * 60 * 1000, 1000);
	assert_true(keyed());
	assert_int_equal(A.run.path, 1);
	assert_int_equal(A.run.established, 2);
}

/* The module switched ESP to path 2 (its liveness): IKE follows by MOBIKE. */
static void test_module_switch_moves_ike(void **state)
{
	(void)state;
	two_paths(true, true);
	vespd_tunnel_run_path_event(&A.run, VESP_PATH_EVENT_SWITCHED, &A.conf.paths[1].local,
				    &A.conf.paths[1].remote);
	assert_int_equal(run_until(4000, 100), 0);
	assert_moved_by_mobike();
	/* a switch to where IKE already is changes nothing */
	vespd_tunnel_run_path_event(&A.run, VESP_PATH_EVENT_SWITCHED, &A.conf.paths[1].local,
				    &A.conf.paths[1].remote);
	assert_int_equal(A.run.path_changes, 1);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(test_up_and_rekeyed_for_hours, setup,
						teardown),
		cmocka_unit_test_setup_teardown(test_responder_restarts, setup, teardown),
		cmocka_unit_test_setup_teardown(test_initiator_restarts, setup, teardown),
		cmocka_unit_test_setup_teardown(test_simultaneous_ike_rekeys, setup, teardown),
		cmocka_unit_test_setup_teardown(test_first_child_failed_not_up, setup,
						teardown),
		cmocka_unit_test_setup_teardown(test_nat_reported, setup, teardown),
		cmocka_unit_test_setup_teardown(test_spoofed_init_leaves_tunnel_alone,
						setup, teardown),
		cmocka_unit_test_setup_teardown(test_silent_peer_backoff, setup, teardown),
		cmocka_unit_test_setup_teardown(test_retransmit_tries, setup, teardown),
		cmocka_unit_test_setup_teardown(test_soft_expiry_rekeys, setup, teardown),
		cmocka_unit_test_setup_teardown(test_hard_expiry_reestablishes, setup,
						teardown),
		cmocka_unit_test_setup_teardown(test_kernel_lifetimes, setup, teardown),
		cmocka_unit_test_setup_teardown(test_mobike_local_address_gone, setup,
						teardown),
		cmocka_unit_test_setup_teardown(test_mobike_unanswered_moves, setup, teardown),
		cmocka_unit_test_setup_teardown(test_mobike_responder_address_gone, setup,
						teardown),
		cmocka_unit_test_setup_teardown(test_no_mobike_reestablishes_on_live_path,
						setup, teardown),
		cmocka_unit_test_setup_teardown(test_no_mobike_unanswered_reestablishes,
						setup, teardown),
		cmocka_unit_test_setup_teardown(test_module_switch_moves_ike, setup, teardown),
		cmocka_unit_test_setup_teardown(test_peer_reports_lost_state, setup,
						teardown),
	};

	return run_tap_tests("vespd_tunnel", tests);
}
