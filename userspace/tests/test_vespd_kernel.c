// SPDX-License-Identifier: GPL-2.0
/*
 * vespd's kernel seam (daemon/kernel_vesp.c) against a fake kernel: a
 * userspace netlink socket in a thread that keeps each request and ACKs
 * it, or refuses it with an extended ACK as the module would. Checks the
 * attributes each engine call turns into, keys included.
 */
#include <errno.h>
#include <pthread.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <arpa/inet.h>
#include <netinet/in.h>
#include <unistd.h>
#include <cmocka.h>

#include <linux/netlink.h>
#include <netlink/attr.h>
#include <netlink/genl/genl.h>

#include "daemon/kernel_vesp.h"
#include "lib/testutil.h"

#define FAMILY_ID 0x1d
#define MAX_REQUESTS 20

struct fake_kernel {
	int fd;
	uint32_t port;
	pthread_t thread;
	size_t n_requests, expect;
	int errors[MAX_REQUESTS];	/* the ACK's error for each request */
	unsigned char requests[MAX_REQUESTS][4096];
};

static void ack(int fd, const struct sockaddr_nl *to, const struct nlmsghdr *req,
		int error)
{
	struct nl_msg *msg = nlmsg_alloc_simple(NLMSG_ERROR, NLM_F_CAPPED |
						(error ? NLM_F_ACK_TLVS : 0));
	struct nlmsgerr nlerr = { .error = error, .msg = *req };
	struct nlmsghdr *hdr;

	nlmsg_hdr(msg)->nlmsg_seq = req->nlmsg_seq;
	nlmsg_append(msg, &nlerr, sizeof(nlerr), NLMSG_ALIGNTO);
	if (error)
		nla_put_string(msg, NLMSGERR_ATTR_MSG, "no SA with this SPI");
	hdr = nlmsg_hdr(msg);
	if (sendto(fd, hdr, hdr->nlmsg_len, 0, (const struct sockaddr *)to, sizeof(*to)) < 0)
		abort();
	nlmsg_free(msg);
}

static void *fake_run(void *arg)
{
	struct fake_kernel *f = arg;
	struct sockaddr_nl from;
	socklen_t len;

	for (; f->n_requests < f->expect; f->n_requests++) {
		len = sizeof(from);
		if (recvfrom(f->fd, f->requests[f->n_requests], sizeof(f->requests[0]), 0,
			     (struct sockaddr *)&from, &len) < (ssize_t)(NLMSG_HDRLEN + GENL_HDRLEN))
			abort();
		ack(f->fd, &from, (struct nlmsghdr *)f->requests[f->n_requests],
		    f->errors[f->n_requests]);
	}
	return NULL;
}

static struct vesp_nl *fake_start(struct fake_kernel *f, size_t expect)
{
	struct sockaddr_nl addr = { .nl_family = AF_NETLINK };
	socklen_t len = sizeof(addr);
	struct vesp_error verr;
	struct vesp_nl *nl;

	f->expect = expect;
	f->fd = socket(AF_NETLINK, SOCK_RAW | SOCK_CLOEXEC, NETLINK_GENERIC);
	assert_true(f->fd >= 0);
	assert_int_equal(bind(f->fd, (struct sockaddr *)&addr, sizeof(addr)), 0);
	assert_int_equal(getsockname(f->fd, (struct sockaddr *)&addr, &len), 0);
	f->port = addr.nl_pid;
	assert_int_equal(pthread_create(&f->thread, NULL, fake_run, f), 0);
	if (vesp_nl_open_peer(&nl, f->port, FAMILY_ID, &verr))
		fail_msg("%s", verr.text);
	return nl;
}

static void fake_stop(struct fake_kernel *f, struct vesp_nl *nl)
{
	assert_int_equal(pthread_join(f->thread, NULL), 0);
	close(f->fd);
	vesp_nl_close(nl);
}

/* The SA nest of request @i, parsed into @sa; returns the genl command. */
static uint8_t sa_of(struct fake_kernel *f, size_t i, struct nlattr **sa)
{
	struct nlmsghdr *hdr = (struct nlmsghdr *)f->requests[i];
	struct genlmsghdr *g = NLMSG_DATA(hdr);
	struct nlattr *top[VESP_A_MAX + 1], *peer[VESP_A_PEER_MAX + 1];

	assert_int_equal(genlmsg_parse(hdr, 0, top, VESP_A_MAX, NULL), 0);
	assert_non_null(top[VESP_A_IFNAME]);
	assert_string_equal(nla_get_string(top[VESP_A_IFNAME]), "vesp0");
	assert_int_equal(nla_parse_nested(peer, VESP_A_PEER_MAX, top[VESP_A_PEER], NULL), 0);
	assert_int_equal(nla_get_u32(peer[VESP_A_PEER_ID]), 7);
	assert_int_equal(nla_parse_nested(sa, VESP_A_SA_MAX, peer[VESP_A_PEER_SA], NULL), 0);
	return g->cmd;
}

static void test_sa_calls(void **state)
{
	struct ike_kernel_sa in = {
		.spi = 0xc0ffee01, .dir = VESP_SA_DIR_IN, .alg = VESP_SA_ALG_AES_GCM_16,
		.esn = true, .enc_key_len = 20,
	};
	struct ike_kernel_sa out = in;
	struct nlattr *sa[VESP_A_SA_MAX + 1];
	struct fake_kernel f = { 0 };
	struct vespd_kernel k;
	struct ike_kernel ops;
	struct ike_error err;
	struct vesp_nl *nl;

	(void)state;
	memset(in.enc_key, 0xa5, 20);
	out.dir = VESP_SA_DIR_OUT;
	out.spi = 0x1234;
	f.errors[3] = -ENOENT;
	nl = fake_start(&f, 4);
	assert_int_equal(vespd_kernel_init(&k, nl, "vesp0", &err), 0);
	ops = vespd_kernel_ops(&k);
	assert_int_equal(ops.sa_add(ops.ctx, 7, &in, false, &err), 0);
	assert_int_equal(ops.sa_add(ops.ctx, 7, &out, true, &err), 0);
	assert_int_equal(ops.sa_activate(ops.ctx, 7, 0x1234, &err), 0);
	assert_int_equal(ops.sa_del(ops.ctx, 7, VESP_SA_DIR_IN, 0xc0ffee01, &err), -1);
	fake_stop(&f, nl);
	/* the module's refusal, word for word */
	assert_non_null(strstr(err.text, "no SA with this SPI"));
	assert_non_null(strstr(err.text, "c0ffee01"));

	assert_int_equal(sa_of(&f, 0, sa), VESP_CMD_SA_NEW);
	assert_int_equal(nla_get_u32(sa[VESP_A_SA_SPI]), 0xc0ffee01);
	assert_int_equal(nla_get_u8(sa[VESP_A_SA_DIR]), VESP_SA_DIR_IN);
	assert_int_equal(nla_get_u32(sa[VESP_A_SA_ALG]), VESP_SA_ALG_AES_GCM_16);
	assert_non_null(sa[VESP_A_SA_ESN]);
	assert_non_null(sa[VESP_A_SA_REPLAY_WINDOW]);
	assert_null(sa[VESP_A_SA_ACTIVE]);
	assert_null(sa[VESP_A_SA_AUTH_KEY]);
	assert_int_equal(nla_len(sa[VESP_A_SA_ENC_KEY]), 20);
	assert_memory_equal(nla_data(sa[VESP_A_SA_ENC_KEY]), in.enc_key, 20);

	assert_int_equal(sa_of(&f, 1, sa), VESP_CMD_SA_NEW);
	assert_non_null(sa[VESP_A_SA_ACTIVE]);
	assert_null(sa[VESP_A_SA_REPLAY_WINDOW]);

	assert_int_equal(sa_of(&f, 2, sa), VESP_CMD_SA_SET);
	assert_int_equal(nla_get_u32(sa[VESP_A_SA_SPI]), 0x1234);
	assert_non_null(sa[VESP_A_SA_ACTIVE]);
	assert_null(sa[VESP_A_SA_ENC_KEY]);

	assert_int_equal(sa_of(&f, 3, sa), VESP_CMD_SA_DEL);
	assert_int_equal(nla_get_u8(sa[VESP_A_SA_DIR]), VESP_SA_DIR_IN);
}

/* The module peer is made with the tunnel's remote prefixes, in order. */
static void test_peer_prefixes(void **state)
{
	struct vesp_prefix prefixes[2] = {
		{ .addr = { .family = AF_INET, .bytes = { 10, 0, 2 } }, .len = 24 },
		{ .addr = { .family = AF_INET6, .bytes = { 0xfd, 0, 0, 2 } }, .len = 64 },
	};
	struct vespd_path path = { .priority = 0 };
	struct vespd_path_liveness off = { 0 };
	struct nlattr *top[VESP_A_MAX + 1], *pfx[VESP_A_PREFIX_MAX + 1];
	struct nlattr *attr;
	struct fake_kernel f = { 0 };
	struct nlmsghdr *hdr;
	struct vespd_kernel k;
	struct ike_error err;
	struct vesp_nl *nl;
	size_t n = 0;
	int rem;

	(void)state;
	path.remote.ss_family = AF_INET;
	((struct sockaddr_in *)&path.remote)->sin_addr.s_addr = htonl(0xc6336407);
	/* the peer, its one path, no learned path from before */
	f.errors[2] = -ENOENT;
	nl = fake_start(&f, 3);
	assert_int_equal(vespd_kernel_init(&k, nl, "vesp0", &err), 0);
	assert_int_equal(vespd_kernel_peer_setup(&k, 9, prefixes, 2, &path, 1, &off,
						 &err), 0);
	fake_stop(&f, nl);

	hdr = (struct nlmsghdr *)f.requests[0];
	assert_int_equal(((struct genlmsghdr *)NLMSG_DATA(hdr))->cmd, VESP_CMD_PEER_NEW);
	assert_true(hdr->nlmsg_flags & NLM_F_REPLACE);
	assert_int_equal(genlmsg_parse(hdr, 0, top, VESP_A_MAX, NULL), 0);
	nla_for_each_nested(attr, top[VESP_A_PEER], rem) {
		if (nla_type(attr) == VESP_A_PEER_ID)
			assert_int_equal(nla_get_u32(attr), 9);
		if (nla_type(attr) != VESP_A_PEER_PREFIX)
			continue;
		assert_true(n < 2);
		assert_int_equal(nla_parse_nested(pfx, VESP_A_PREFIX_MAX, attr, NULL), 0);
		assert_int_equal(nla_get_u16(pfx[VESP_A_PREFIX_FAMILY]),
				 prefixes[n].addr.family);
		assert_int_equal(nla_get_u8(pfx[VESP_A_PREFIX_LEN]), prefixes[n].len);
		assert_int_equal(nla_len(pfx[VESP_A_PREFIX_ADDR]),
				 prefixes[n].addr.family == AF_INET ? 4 : 16);
		assert_memory_equal(nla_data(pfx[VESP_A_PREFIX_ADDR]),
				    prefixes[n].addr.bytes, nla_len(pfx[VESP_A_PREFIX_ADDR]));
		n++;
	}
	assert_int_equal(n, 2);
	hdr = (struct nlmsghdr *)f.requests[1];
	assert_int_equal(((struct genlmsghdr *)NLMSG_DATA(hdr))->cmd, VESP_CMD_PATH_NEW);
}

static uint8_t cmd_of(struct fake_kernel *f, size_t i)
{
	return ((struct genlmsghdr *)NLMSG_DATA((struct nlmsghdr *)f->requests[i]))->cmd;
}

/* The peer nest of request @i into @peer. */
static void peer_of(struct fake_kernel *f, size_t i, struct nlattr **peer)
{
	struct nlattr *top[VESP_A_MAX + 1];

	assert_int_equal(genlmsg_parse((struct nlmsghdr *)f->requests[i], 0, top,
				       VESP_A_MAX, NULL), 0);
	assert_int_equal(nla_parse_nested(peer, VESP_A_PEER_MAX, top[VESP_A_PEER], NULL), 0);
	assert_int_equal(nla_get_u32(peer[VESP_A_PEER_ID]), 9);
}

/* Request @i is @cmd for path @id (with priority @prio for PATH_NEW). */
static void assert_path_req(struct fake_kernel *f, size_t i, uint8_t cmd, uint32_t id,
			    uint32_t prio)
{
	struct nlattr *peer[VESP_A_PEER_MAX + 1], *path[VESP_A_PATH_MAX + 1];

	assert_int_equal(cmd_of(f, i), cmd);
	peer_of(f, i, peer);
	assert_int_equal(nla_parse_nested(path, VESP_A_PATH_MAX, peer[VESP_A_PEER_PATH],
					  NULL), 0);
	assert_int_equal(nla_get_u32(path[VESP_A_PATH_ID]), id);
	if (cmd == VESP_CMD_PATH_NEW)
		assert_int_equal(nla_get_u32(path[VESP_A_PATH_PRIORITY]), prio);
}

static void set4(struct sockaddr_storage *ss, uint32_t ip)
{
	memset(ss, 0, sizeof(*ss));
	ss->ss_family = AF_INET;
	((struct sockaddr_in *)ss)->sin_addr.s_addr = htonl(ip);
}

static struct ike_endpoint ep4(uint32_t ip)
{
	struct ike_endpoint e = { .family = AF_INET };
	uint32_t be = htonl(ip);

	memcpy(e.addr, &be, 4);
	return e;
}

/*
 * Two paths and the module's liveness: the peer, its liveness, each path
 * at its priority plus one, and no learned path left. Then path_set with
 * the liveness off makes the chosen path priority 0 and puts the one
 * chosen before back; an address no path has becomes the learned path.
 */
static void test_paths_and_path_set(void **state)
{
	struct vespd_path paths[2] = { { .priority = 0 }, { .priority = 10 } };
	struct vespd_path_liveness on = { .interval_ms = 100, .multiplier = 3,
					  .hold_down_ms = 2000, .roaming = true };
	struct nlattr *peer[VESP_A_PEER_MAX + 1];
	struct fake_kernel f = { 0 };
	struct ike_endpoint l2 = ep4(0xc6336401), r2 = ep4(0xc6336407);
	struct ike_endpoint l1 = ep4(0xc0000201), r1 = ep4(0xc0000207);
	struct ike_endpoint elsewhere = ep4(0xcb007109);
	struct vespd_kernel k;
	struct ike_kernel ops;
	struct ike_error err;
	struct vesp_nl *nl;

	(void)state;
	set4(&paths[0].local, 0xc0000201);
	set4(&paths[0].remote, 0xc0000207);
	set4(&paths[1].local, 0xc6336401);
	set4(&paths[1].remote, 0xc6336407);
	f.errors[2] = -EEXIST;		/* path 1 is there from before: replaced */
	f.errors[6] = -ENOENT;
	nl = fake_start(&f, 7);
	assert_int_equal(vespd_kernel_init(&k, nl, "vesp0", &err), 0);
	assert_int_equal(vespd_kernel_peer_setup(&k, 9, NULL, 0, paths, 2, &on, &err), 0);
	fake_stop(&f, nl);
	assert_int_equal(cmd_of(&f, 0), VESP_CMD_PEER_NEW);
	assert_int_equal(cmd_of(&f, 1), VESP_CMD_PEER_SET);
	peer_of(&f, 1, peer);
	assert_int_equal(nla_get_u32(peer[VESP_A_PEER_LIVENESS_INTERVAL]), 100);
	assert_int_equal(nla_get_u8(peer[VESP_A_PEER_LIVENESS_MULTIPLIER]), 3);
	assert_int_equal(nla_get_u32(peer[VESP_A_PEER_HOLD_DOWN]), 2000);
	assert_int_equal(nla_get_u8(peer[VESP_A_PEER_ROAMING]), 1);
	assert_path_req(&f, 2, VESP_CMD_PATH_NEW, 1, 1);
	assert_path_req(&f, 3, VESP_CMD_PATH_DEL, 1, 0);
	assert_path_req(&f, 4, VESP_CMD_PATH_NEW, 1, 1);
	assert_path_req(&f, 5, VESP_CMD_PATH_NEW, 2, 11);
	assert_path_req(&f, 6, VESP_CMD_PATH_DEL, VESPD_LEARNED_PATH_ID, 0);

	/* the module's liveness picks among the paths: nothing to do */
	memset(&f, 0, sizeof(f));
	nl = fake_start(&f, 0);
	k.nl = nl;
	ops = vespd_kernel_ops(&k);
	assert_int_equal(ops.path_set(ops.ctx, 9, &l2, &r2, &err), 0);
	fake_stop(&f, nl);
	assert_int_equal(f.n_requests, 0);

	/* without it, vespd moves ESP by priority */
	memset(&f, 0, sizeof(f));
	f.errors[8] = -ENOENT;
	nl = fake_start(&f, 10);
	k.nl = nl;
	k.liveness = false;
	assert_int_equal(ops.path_set(ops.ctx, 9, &l2, &r2, &err), 0);
	assert_int_equal(ops.path_set(ops.ctx, 9, &l2, &r2, &err), 0);	/* no change */
	assert_int_equal(ops.path_set(ops.ctx, 9, &l1, &r1, &err), 0);
	assert_int_equal(ops.path_set(ops.ctx, 9, &l1, &elsewhere, &err), 0);
	assert_int_equal(ops.path_set(ops.ctx, 7, &l1, &r1, &err), -1);
	fake_stop(&f, nl);
	assert_int_equal(f.n_requests, 10);
	assert_path_req(&f, 0, VESP_CMD_PATH_DEL, 2, 0);
	assert_path_req(&f, 1, VESP_CMD_PATH_NEW, 2, 0);
	assert_path_req(&f, 2, VESP_CMD_PATH_DEL, 2, 0);
	assert_path_req(&f, 3, VESP_CMD_PATH_NEW, 2, 11);
	assert_path_req(&f, 4, VESP_CMD_PATH_DEL, 1, 0);
	assert_path_req(&f, 5, VESP_CMD_PATH_NEW, 1, 0);
	assert_path_req(&f, 6, VESP_CMD_PATH_DEL, 1, 0);
	assert_path_req(&f, 7, VESP_CMD_PATH_NEW, 1, 1);
	assert_path_req(&f, 8, VESP_CMD_PATH_DEL, VESPD_LEARNED_PATH_ID, 0);
	assert_path_req(&f, 9, VESP_CMD_PATH_NEW, VESPD_LEARNED_PATH_ID, 0);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_sa_calls),
		cmocka_unit_test(test_peer_prefixes),
		cmocka_unit_test(test_paths_and_path_set),
	};

	return run_tap_tests("vespd_kernel", tests);
}
