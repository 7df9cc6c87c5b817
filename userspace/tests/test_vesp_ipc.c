// SPDX-License-Identifier: GPL-2.0
/*
 * The request and answer path (lib/ipc.c, lib/fetch.c) against a fake
 * kernel: a userspace netlink socket in a thread that reads each request
 * and answers it the way the kernel would, ACKs, dumps, errors with
 * extended ACKs, warnings, stale answers and interrupted dumps included.
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
#include <unistd.h>
#include <cmocka.h>

#include <linux/netlink.h>
#include <netlink/attr.h>
#include <netlink/genl/genl.h>

#include "lib/fetch.h"
#include "lib/ipc.h"
#include "lib/render.h"
#include "lib/request.h"
#include "lib/testutil.h"

#define FAMILY_ID 0x1d

/* How the fake kernel answers one request; the request is in @req. */
typedef void (*answer_fn)(int fd, const struct sockaddr_nl *to, const struct nlmsghdr *req);

struct fake_kernel {
	int fd;
	uint32_t port;
	pthread_t thread;
	const answer_fn *answers;	/* one per request, NULL-terminated */
	uint8_t cmds[8];		/* the genl commands received */
	size_t n_requests;
	unsigned char last_request[4096];
};

static void send_msg(int fd, const struct sockaddr_nl *to, struct nl_msg *msg)
{
	struct nlmsghdr *hdr = nlmsg_hdr(msg);

	if (sendto(fd, hdr, hdr->nlmsg_len, 0, (const struct sockaddr *)to, sizeof(*to)) < 0)
		abort();
	nlmsg_free(msg);
}

/* A genl message answering @req with @flags (NLM_F_MULTI for dumps). */
static struct nl_msg *answer_new(const struct nlmsghdr *req, uint8_t cmd, int flags)
{
	struct nl_msg *msg = nlmsg_alloc();

	genlmsg_put(msg, 0, req->nlmsg_seq, FAMILY_ID, 0, flags, cmd, VESP_GENL_VERSION);
	return msg;
}

/* NLMSG_ERROR (an ACK when @error is 0), capped, with @text as extended ACK if not NULL. */
static void send_ack(int fd, const struct sockaddr_nl *to, const struct nlmsghdr *req, int error,
		     const char *text)
{
	struct nl_msg *msg = nlmsg_alloc_simple(NLMSG_ERROR, NLM_F_CAPPED |
						(text ? NLM_F_ACK_TLVS : 0));
	struct nlmsgerr nlerr = { .error = error, .msg = *req };

	nlmsg_hdr(msg)->nlmsg_seq = req->nlmsg_seq;
	nlmsg_append(msg, &nlerr, sizeof(nlerr), NLMSG_ALIGNTO);
	if (text)
		nla_put_string(msg, NLMSGERR_ATTR_MSG, text);
	send_msg(fd, to, msg);
}

static void send_done(int fd, const struct sockaddr_nl *to, const struct nlmsghdr *req,
		      int error, const char *text)
{
	struct nl_msg *msg = nlmsg_alloc_simple(NLMSG_DONE, NLM_F_MULTI |
						(text ? NLM_F_ACK_TLVS : 0));

	nlmsg_hdr(msg)->nlmsg_seq = req->nlmsg_seq;
	nlmsg_append(msg, &error, sizeof(error), NLMSG_ALIGNTO);
	if (text)
		nla_put_string(msg, NLMSGERR_ATTR_MSG, text);
	send_msg(fd, to, msg);
}

static void *fake_kernel_run(void *arg)
{
	struct fake_kernel *fake = arg;
	struct sockaddr_nl from;
	socklen_t from_len;
	ssize_t n;

	for (; fake->answers[fake->n_requests]; fake->n_requests++) {
		from_len = sizeof(from);
		n = recvfrom(fake->fd, fake->last_request, sizeof(fake->last_request), 0,
			     (struct sockaddr *)&from, &from_len);
		if (n < (ssize_t)(NLMSG_HDRLEN + GENL_HDRLEN))
			abort();
		fake->cmds[fake->n_requests] =
			((struct genlmsghdr *)NLMSG_DATA(fake->last_request))->cmd;
		fake->answers[fake->n_requests](fake->fd, &from,
						(struct nlmsghdr *)fake->last_request);
	}
	return NULL;
}

static void fake_kernel_start(struct fake_kernel *fake, const answer_fn *answers)
{
	struct sockaddr_nl addr = { .nl_family = AF_NETLINK };
	socklen_t len = sizeof(addr);

	memset(fake, 0, sizeof(*fake));
	fake->answers = answers;
	fake->fd = socket(AF_NETLINK, SOCK_RAW | SOCK_CLOEXEC, NETLINK_GENERIC);
	assert_true(fake->fd >= 0);
	assert_int_equal(bind(fake->fd, (struct sockaddr *)&addr, sizeof(addr)), 0);
	assert_int_equal(getsockname(fake->fd, (struct sockaddr *)&addr, &len), 0);
	fake->port = addr.nl_pid;
	assert_int_equal(pthread_create(&fake->thread, NULL, fake_kernel_run, fake), 0);
}

static void fake_kernel_stop(struct fake_kernel *fake)
{
	assert_int_equal(pthread_join(fake->thread, NULL), 0);
	close(fake->fd);
}

static struct vesp_nl *open_to(const struct fake_kernel *fake)
{
	struct vesp_error err = { 0 };
	struct vesp_nl *nl;

	if (vesp_nl_open_peer(&nl, fake->port, FAMILY_ID, &err))
		fail_msg("%s", err.text);
	return nl;
}

static struct nl_msg *peer_request(struct vesp_nl *nl, uint8_t cmd, int flags)
{
	struct vesp_dev_ref dev = { .ifname = "vesp0" };
	struct nl_msg *msg = vesp_nl_request(nl, cmd, flags);

	assert_non_null(msg);
	assert_int_equal(vesp_request_peer_id(msg, &dev, 1), 0);
	return msg;
}

static int count_replies(const struct nlmsghdr *hdr, void *arg, struct vesp_error *err)
{
	(void)hdr;
	(void)err;
	++*(int *)arg;
	return 0;
}

/* -- a doit: one reply, then the ACK ------------------------------------- */

static void answer_reply_then_ack(int fd, const struct sockaddr_nl *to,
				  const struct nlmsghdr *req)
{
	struct nl_msg *msg = answer_new(req, VESP_CMD_PEER_GET, 0);

	nla_put_u32(msg, VESP_A_IFINDEX, 5);
	send_msg(fd, to, msg);
	send_ack(fd, to, req, 0, NULL);
}

static void test_doit(void **state)
{
	static const answer_fn answers[] = { answer_reply_then_ack, NULL };
	struct vesp_error err = { 0 };
	struct fake_kernel fake;
	struct vesp_nl *nl;
	int replies = 0;

	(void)state;
	fake_kernel_start(&fake, answers);
	nl = open_to(&fake);
	assert_int_equal(vesp_nl_transact(nl, peer_request(nl, VESP_CMD_PEER_GET, 0),
					  count_replies, &replies, &err), 0);
	fake_kernel_stop(&fake);
	assert_int_equal(replies, 1);
	assert_int_equal(fake.cmds[0], VESP_CMD_PEER_GET);
	/* the request asked for an ACK */
	assert_true(((struct nlmsghdr *)fake.last_request)->nlmsg_flags & NLM_F_ACK);
	assert_false(vesp_error_has_kernel_message(&err));
	vesp_nl_close(nl);
}

/* -- a refusal with the kernel's reason, then a warning on success ------- */

static void answer_exists(int fd, const struct sockaddr_nl *to, const struct nlmsghdr *req)
{
	send_ack(fd, to, req, -EEXIST, "vesp: peer 1 already exists on vesp0");
}

static void answer_ack_with_warning(int fd, const struct sockaddr_nl *to,
				    const struct nlmsghdr *req)
{
	send_ack(fd, to, req, 0, "prefix overlaps peer 2");
}

static void answer_plain_error(int fd, const struct sockaddr_nl *to, const struct nlmsghdr *req)
{
	send_ack(fd, to, req, -EPERM, NULL);
}

static void test_errors_and_warnings(void **state)
{
	static const answer_fn answers[] = { answer_exists, answer_ack_with_warning,
					     answer_plain_error, NULL };
	struct vesp_error err = { 0 };
	struct fake_kernel fake;
	struct vesp_nl *nl;

	(void)state;
	fake_kernel_start(&fake, answers);
	nl = open_to(&fake);

	assert_int_equal(vesp_nl_transact(nl, peer_request(nl, VESP_CMD_PEER_NEW, 0), NULL, NULL,
					  &err), -1);
	assert_int_equal(err.errnum, EEXIST);
	assert_string_equal(err.kernel_message, "vesp: peer 1 already exists on vesp0");
	assert_string_equal(err.text, "peer add: File exists");

	/* the error of one request does not leak into the next */
	assert_int_equal(vesp_nl_transact(nl, peer_request(nl, VESP_CMD_PEER_DEL, 0), NULL, NULL,
					  &err), 0);
	assert_string_equal(err.kernel_message, "prefix overlaps peer 2");

	assert_int_equal(vesp_nl_transact(nl, peer_request(nl, VESP_CMD_PEER_DEL, 0), NULL, NULL,
					  &err), -1);
	assert_int_equal(err.errnum, EPERM);
	assert_false(vesp_error_has_kernel_message(&err));
	assert_string_equal(err.text, "peer del: Operation not permitted");

	fake_kernel_stop(&fake);
	vesp_nl_close(nl);
}

/* -- a dump over several messages, after a stale answer ------------------ */

static void answer_dump(int fd, const struct sockaddr_nl *to, const struct nlmsghdr *req)
{
	struct nlmsghdr stale = *req;
	struct nl_msg *msg;
	uint32_t i;

	/* the ACK of some earlier request, late: must be skipped */
	stale.nlmsg_seq = req->nlmsg_seq - 1;
	send_ack(fd, to, &stale, -ENOENT, "stale");
	for (i = 1; i <= 3; i++) {
		struct nlattr *peer;

		msg = answer_new(req, VESP_CMD_PEER_GET, NLM_F_MULTI);
		nla_put_u32(msg, VESP_A_IFINDEX, 5);
		peer = nla_nest_start(msg, VESP_A_PEER);
		nla_put_u32(msg, VESP_A_PEER_ID, i);
		nla_nest_end(msg, peer);
		send_msg(fd, to, msg);
	}
	send_done(fd, to, req, 0, NULL);
}

static void answer_dump_fails(int fd, const struct sockaddr_nl *to, const struct nlmsghdr *req)
{
	send_msg(fd, to, answer_new(req, VESP_CMD_PEER_GET, NLM_F_MULTI));
	send_done(fd, to, req, -EMSGSIZE, "peer 4 does not fit in a message");
}

static void answer_dump_interrupted(int fd, const struct sockaddr_nl *to,
				    const struct nlmsghdr *req)
{
	send_msg(fd, to, answer_new(req, VESP_CMD_PEER_GET, NLM_F_MULTI | NLM_F_DUMP_INTR));
	send_done(fd, to, req, 0, NULL);
}

static void test_dumps(void **state)
{
	static const answer_fn answers[] = { answer_dump, answer_dump_fails,
					     answer_dump_interrupted, NULL };
	struct vesp_error err = { 0 };
	struct fake_kernel fake;
	struct vesp_nl *nl;
	int replies = 0;

	(void)state;
	fake_kernel_start(&fake, answers);
	nl = open_to(&fake);
	assert_int_equal(vesp_nl_transact(nl, peer_request(nl, VESP_CMD_PEER_GET, NLM_F_DUMP),
					  count_replies, &replies, &err), 0);
	assert_int_equal(replies, 3);
	assert_true(((struct nlmsghdr *)fake.last_request)->nlmsg_flags & NLM_F_DUMP);

	assert_int_equal(vesp_nl_transact(nl, peer_request(nl, VESP_CMD_PEER_GET, NLM_F_DUMP),
					  NULL, NULL, &err), -1);
	assert_int_equal(err.errnum, EMSGSIZE);
	assert_string_equal(err.kernel_message, "peer 4 does not fit in a message");

	assert_int_equal(vesp_nl_transact(nl, peer_request(nl, VESP_CMD_PEER_GET, NLM_F_DUMP),
					  NULL, NULL, &err), -1);
	assert_int_equal(err.errnum, EAGAIN);
	assert_non_null(strstr(err.text, "try again"));
	fake_kernel_stop(&fake);
	vesp_nl_close(nl);
}

/* -- "vesp show vesp0" end to end: device, peers, stats ------------------ */

static void answer_dev(int fd, const struct sockaddr_nl *to, const struct nlmsghdr *req)
{
	struct nl_msg *msg = answer_new(req, VESP_CMD_DEV_GET, 0);

	nla_put_u32(msg, VESP_A_IFINDEX, 5);
	nla_put_string(msg, VESP_A_IFNAME, "vesp0");
	nla_put_u32(msg, VESP_A_FWMARK, 7);
	nla_put_u32(msg, VESP_A_PEER_COUNT, 1);
	send_msg(fd, to, msg);
	send_ack(fd, to, req, 0, NULL);
}

static void answer_peers(int fd, const struct sockaddr_nl *to, const struct nlmsghdr *req)
{
	struct nl_msg *msg = answer_new(req, VESP_CMD_PEER_GET, NLM_F_MULTI);
	struct nlattr *peer, *prefix;
	static const uint8_t net[4] = { 10, 9, 0, 0 };

	nla_put_u32(msg, VESP_A_IFINDEX, 5);
	peer = nla_nest_start(msg, VESP_A_PEER);
	nla_put_u32(msg, VESP_A_PEER_ID, 4);
	prefix = nla_nest_start(msg, VESP_A_PEER_PREFIX);
	nla_put_u16(msg, VESP_A_PREFIX_FAMILY, AF_INET);
	nla_put(msg, VESP_A_PREFIX_ADDR, 4, net);
	nla_put_u8(msg, VESP_A_PREFIX_LEN, 16);
	nla_nest_end(msg, prefix);
	nla_nest_end(msg, peer);
	send_msg(fd, to, msg);
	send_done(fd, to, req, 0, NULL);
}

static void answer_stats(int fd, const struct sockaddr_nl *to, const struct nlmsghdr *req)
{
	struct nl_msg *msg = answer_new(req, VESP_CMD_STATS_GET, 0);
	struct nlattr *stats;

	nla_put_u32(msg, VESP_A_IFINDEX, 5);
	stats = nla_nest_start(msg, VESP_A_STATS);
	nla_put_u64(msg, VESP_A_STATS_RX_REPLAY, 12);
	nla_nest_end(msg, stats);
	send_msg(fd, to, msg);
	send_ack(fd, to, req, 0, NULL);
}

static void test_fetch_and_render(void **state)
{
	static const answer_fn answers[] = { answer_dev, answer_peers, answer_stats, NULL };
	struct vesp_dev_list list = { 0 };
	struct vesp_error err = { 0 };
	struct fake_kernel fake;
	struct vesp_render r;
	struct vesp_nl *nl;
	char *text = NULL;
	size_t len;

	(void)state;
	fake_kernel_start(&fake, answers);
	nl = open_to(&fake);
	if (vesp_fetch(nl, "vesp0", VESP_FETCH_PEERS | VESP_FETCH_STATS, &list, &err))
		fail_msg("%s", err.text);
	fake_kernel_stop(&fake);
	assert_int_equal(fake.cmds[0], VESP_CMD_DEV_GET);
	assert_int_equal(fake.cmds[1], VESP_CMD_PEER_GET);
	assert_int_equal(fake.cmds[2], VESP_CMD_STATS_GET);
	/* the later requests name the device by the index the first answer gave */
	{
		struct nlattr *tb[VESP_A_MAX + 1];

		assert_int_equal(genlmsg_parse((struct nlmsghdr *)fake.last_request, 0, tb,
					       VESP_A_MAX, NULL), 0);
		assert_int_equal(nla_get_u32(tb[VESP_A_IFINDEX]), 5);
	}

	r.out = open_memstream(&text, &len);
	r.color = false;
	vesp_render_show_text(&r, &list);
	fclose(r.out);
	assert_string_equal(text, "interface: vesp0\n"
				  "  fwmark: 0x7\n"
				  "  drops: rx_replay 12\n"
				  "\n"
				  "peer: 4\n"
				  "  prefixes: 10.9.0.0/16\n");
	free(text);
	vesp_dev_list_free(&list);
	vesp_nl_close(nl);
}

/* -- a key travels to the kernel intact, and only there ------------------ */

static void answer_ack(int fd, const struct sockaddr_nl *to, const struct nlmsghdr *req)
{
	send_ack(fd, to, req, 0, NULL);
}

static void test_sa_new_sends_key(void **state)
{
	static const answer_fn answers[] = { answer_ack, NULL };
	struct nlattr *tb[VESP_A_MAX + 1], *peer_tb[VESP_A_PEER_MAX + 1];
	struct nlattr *sa_tb[VESP_A_SA_MAX + 1];
	struct vesp_dev_ref dev = { .ifname = "vesp0" };
	struct vesp_sa sa = { .spi = 0x3000, .dir = VESP_SA_DIR_IN,
			      .alg = VESP_SA_ALG_AES_GCM_16 };
	struct vesp_sa_keys keys = { .enc = { .len = 20 } };
	struct vesp_error err = { 0 };
	struct fake_kernel fake;
	struct vesp_nl *nl;
	struct nl_msg *msg;

	(void)state;
	memset(keys.enc.bytes, 0x5a, keys.enc.len);
	vesp_mark(&sa.present, VESP_A_SA_SPI);
	vesp_mark(&sa.present, VESP_A_SA_DIR);
	vesp_mark(&sa.present, VESP_A_SA_ALG);
	fake_kernel_start(&fake, answers);
	nl = open_to(&fake);
	msg = vesp_nl_request(nl, VESP_CMD_SA_NEW, 0);
	assert_int_equal(vesp_request_sa(msg, &dev, 1, &sa, &keys), 0);
	vesp_sa_keys_wipe(&keys);
	assert_int_equal(vesp_nl_transact(nl, msg, NULL, NULL, &err), 0);
	fake_kernel_stop(&fake);

	assert_int_equal(genlmsg_parse((struct nlmsghdr *)fake.last_request, 0, tb, VESP_A_MAX,
				       NULL), 0);
	assert_int_equal(nla_parse_nested(peer_tb, VESP_A_PEER_MAX, tb[VESP_A_PEER], NULL), 0);
	assert_int_equal(nla_parse_nested(sa_tb, VESP_A_SA_MAX, peer_tb[VESP_A_PEER_SA], NULL), 0);
	assert_int_equal(nla_len(sa_tb[VESP_A_SA_ENC_KEY]), 20);
	assert_int_equal(((uint8_t *)nla_data(sa_tb[VESP_A_SA_ENC_KEY]))[19], 0x5a);
	assert_int_equal(keys.enc.len, 0);
	vesp_nl_close(nl);
}

/* -- notifications after a request: sequence number 0 is theirs --------- */

/* The ACK of a request, then two notifications, as the kernel sends them. */
static void answer_ack_then_notify(int fd, const struct sockaddr_nl *to,
				   const struct nlmsghdr *req)
{
	struct nlmsghdr ntf = { .nlmsg_seq = 0 };
	int i;

	send_ack(fd, to, req, 0, NULL);
	for (i = 0; i < 2; i++)
		send_msg(fd, to, answer_new(&ntf, VESP_CMD_ACQUIRE_NTF, 0));
}

/* Counts events, and ends the listener at the second. */
static int count_events(const struct nlmsghdr *hdr, void *arg, struct vesp_error *err)
{
	(void)err;
	assert_non_null(hdr);
	assert_int_equal(((struct genlmsghdr *)NLMSG_DATA(hdr))->cmd, VESP_CMD_ACQUIRE_NTF);
	return ++*(int *)arg == 2 ? -1 : 0;
}

static void test_listen_after_request(void **state)
{
	static const answer_fn answers[] = { answer_ack_then_notify, NULL };
	struct vesp_error err = { 0 };
	struct fake_kernel fake;
	struct vesp_nl *nl;
	int events = 0;

	(void)state;
	fake_kernel_start(&fake, answers);
	nl = open_to(&fake);
	/* the request moves the socket's expected sequence number past 0 */
	assert_int_equal(vesp_nl_transact(nl, peer_request(nl, VESP_CMD_PEER_GET, 0), NULL, NULL,
					  &err), 0);
	fake_kernel_stop(&fake);
	assert_int_equal(vesp_nl_listen(nl, count_events, &events, &err), -1);
	assert_int_equal(events, 2);
	vesp_nl_close(nl);
}

/* -- notifications, read by an event loop --------------------------------- */

/* After one request (so a sequence number is expected), notifications with seq 0. */
static void test_receive_events(void **state)
{
	static const answer_fn answers[] = { answer_ack, NULL };
	struct vesp_error err = { 0 };
	struct sockaddr_nl to = { .nl_family = AF_NETLINK };
	socklen_t len = sizeof(to);
	struct fake_kernel fake;
	struct vesp_nl *nl;
	struct nl_msg *msg;
	int count = 0, fd;

	(void)state;
	fake_kernel_start(&fake, answers);
	nl = open_to(&fake);
	assert_int_equal(vesp_nl_transact(nl, peer_request(nl, VESP_CMD_PEER_DEL, 0), NULL,
					  NULL, &err), 0);
	fake_kernel_stop(&fake);
	fd = vesp_nl_event_fd(nl);
	assert_int_equal(getsockname(fd, (struct sockaddr *)&to, &len), 0);
	fake.fd = socket(AF_NETLINK, SOCK_RAW | SOCK_CLOEXEC, NETLINK_GENERIC);
	assert_true(fake.fd >= 0);
	for (int i = 0; i < 2; i++) {
		msg = nlmsg_alloc();
		genlmsg_put(msg, 0, 0, FAMILY_ID, 0, 0, VESP_CMD_SA_EXPIRE_NTF,
			    VESP_GENL_VERSION);
		nla_put_u32(msg, VESP_A_IFINDEX, 5);
		send_msg(fake.fd, &to, msg);
	}
	/* both read, and then no wait for more */
	assert_int_equal(vesp_nl_receive(nl, count_replies, &count, &err), 0);
	assert_int_equal(count, 2);
	assert_int_equal(vesp_nl_receive(nl, count_replies, &count, &err), 0);
	assert_int_equal(count, 2);
	close(fake.fd);
	vesp_nl_close(nl);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_doit),
		cmocka_unit_test(test_errors_and_warnings),
		cmocka_unit_test(test_dumps),
		cmocka_unit_test(test_fetch_and_render),
		cmocka_unit_test(test_sa_new_sends_key),
		cmocka_unit_test(test_listen_after_request),
		cmocka_unit_test(test_receive_events),
	};

	/* a fake kernel that never answers must fail the test, not hang it */
	alarm(60);
	return run_tap_tests("vesp_ipc", tests);
}
