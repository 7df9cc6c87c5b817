// SPDX-License-Identifier: GPL-2.0
/* The generic netlink seam: see ipc.h. */
#include "ipc.h"

#include <errno.h>
#include <stdbool.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>

#include <netlink/errno.h>
#include <netlink/genl/ctrl.h>
#include <netlink/genl/genl.h>
#include <netlink/handlers.h>
#include <netlink/socket.h>

#include <linux/vesp.h>

#include "extack.h"
#include "request.h"

#ifndef SOL_NETLINK
#define SOL_NETLINK 270
#endif

/* Large enough for a dump message of many peers without MSG_TRUNC retries. */
#define RECEIVE_BUFFER_SIZE 32768

struct vesp_nl {
	struct nl_sock *sock;
	int family_id;
};

/* The state of one request while its answer is read. */
struct transaction {
	vesp_reply_fn on_reply;
	void *arg;
	struct vesp_error *err;
	uint8_t cmd;
	uint32_t seq;		/* of the request; older answers are stale */
	bool done;
	int kernel_errnum;	/* positive errno from NLMSG_ERROR or NLMSG_DONE */
	bool callback_failed;	/* err already says why */
	bool interrupted;	/* NLM_F_DUMP_INTR: the dump is inconsistent */
	bool malformed;
};

static const char *const cmd_names[VESP_CMD_MAX + 1] = {
	[VESP_CMD_DEV_GET]	  = "device get",
	[VESP_CMD_DEV_SET]	  = "set",
	[VESP_CMD_PEER_NEW]	  = "peer add",
	[VESP_CMD_PEER_DEL]	  = "peer del",
	[VESP_CMD_PEER_GET]	  = "peer get",
	[VESP_CMD_PATH_NEW]	  = "path add",
	[VESP_CMD_PATH_DEL]	  = "path del",
	[VESP_CMD_SA_NEW]	  = "sa add",
	[VESP_CMD_SA_SET]	  = "sa set",
	[VESP_CMD_SA_DEL]	  = "sa del",
	[VESP_CMD_SA_GET]	  = "sa get",
	[VESP_CMD_STATS_GET]	  = "stats get",
	[VESP_CMD_SA_EXPIRE_NTF]  = "sa expire",
	[VESP_CMD_ACQUIRE_NTF]	  = "acquire",
	[VESP_CMD_PEER_SET]	  = "peer set",
	[VESP_CMD_PATH_NTF]	  = "path event",
};

const char *vesp_cmd_name(uint8_t cmd)
{
	return cmd <= VESP_CMD_MAX && cmd_names[cmd] ? cmd_names[cmd] : "command";
}

/* A connected generic netlink socket with extended ACKs; NULL after setting @err. */
static struct vesp_nl *connect_socket(struct vesp_error *err)
{
	struct vesp_nl *nl;
	int one = 1, ret;

	nl = calloc(1, sizeof(*nl));
	if (!nl) {
		vesp_error_set(err, ENOMEM, "out of memory");
		return NULL;
	}
	nl->sock = nl_socket_alloc();
	if (!nl->sock) {
		free(nl);
		vesp_error_set(err, ENOMEM, "out of memory");
		return NULL;
	}
	ret = genl_connect(nl->sock);
	if (ret < 0) {
		vesp_error_set(err, EIO, "cannot open a generic netlink socket: %s",
			       nl_geterror(ret));
		vesp_nl_close(nl);
		return NULL;
	}
	/*
	 * Extended ACK for the kernel's error messages; a capped ACK so an
	 * error does not echo the request (and its keys) back to us.
	 */
	setsockopt(nl_socket_get_fd(nl->sock), SOL_NETLINK, NETLINK_EXT_ACK, &one, sizeof(one));
	setsockopt(nl_socket_get_fd(nl->sock), SOL_NETLINK, NETLINK_CAP_ACK, &one, sizeof(one));
	nl_socket_enable_msg_peek(nl->sock);
	nl_socket_set_msg_buf_size(nl->sock, RECEIVE_BUFFER_SIZE);
	/* libnl's 32 KiB send buffer is too small for the largest request */
	ret = nl_socket_set_buffer_size(nl->sock, 0, VESP_REQUEST_MAX_SIZE);
	if (ret < 0) {
		vesp_error_set(err, EIO, "cannot size the netlink socket's buffers: %s",
			       nl_geterror(ret));
		vesp_nl_close(nl);
		return NULL;
	}
	return nl;
}

int vesp_nl_open(struct vesp_nl **out, struct vesp_error *err)
{
	struct vesp_nl *nl;

	*out = NULL;
	nl = connect_socket(err);
	if (!nl)
		return -1;
	nl->family_id = genl_ctrl_resolve(nl->sock, VESP_GENL_NAME);
	if (nl->family_id < 0) {
		if (nl->family_id == -NLE_OBJ_NOTFOUND)
			vesp_error_set(err, ENOENT,
				       "generic netlink family \"%s\" not found (is the vesp module loaded?)",
				       VESP_GENL_NAME);
		else
			vesp_error_set(err, EIO, "cannot resolve generic netlink family \"%s\": %s",
				       VESP_GENL_NAME, nl_geterror(nl->family_id));
		vesp_nl_close(nl);
		return -1;
	}
	*out = nl;
	return 0;
}

int vesp_nl_open_peer(struct vesp_nl **out, uint32_t peer_port, int family_id,
		      struct vesp_error *err)
{
	struct vesp_nl *nl;

	*out = NULL;
	nl = connect_socket(err);
	if (!nl)
		return -1;
	nl_socket_set_peer_port(nl->sock, peer_port);
	nl->family_id = family_id;
	*out = nl;
	return 0;
}

void vesp_nl_close(struct vesp_nl *nl)
{
	if (!nl)
		return;
	nl_socket_free(nl->sock);
	free(nl);
}

struct nl_msg *vesp_nl_request(struct vesp_nl *nl, uint8_t cmd, int flags)
{
	return vesp_request_new(nl->family_id, cmd, flags);
}

/* Skip leftovers of an earlier request instead of failing on them. */
static int on_seq_check(struct nl_msg *msg, void *arg)
{
	struct transaction *t = arg;

	return nlmsg_hdr(msg)->nlmsg_seq == t->seq ? NL_OK : NL_SKIP;
}

static int on_valid(struct nl_msg *msg, void *arg)
{
	struct transaction *t = arg;
	struct nlmsghdr *hdr = nlmsg_hdr(msg);

	if (hdr->nlmsg_flags & NLM_F_DUMP_INTR)
		t->interrupted = true;
	/* after a failure keep reading, so the rest of a dump is drained */
	if (t->on_reply && !t->callback_failed && t->on_reply(hdr, t->arg, t->err) < 0)
		t->callback_failed = true;
	return NL_OK;
}

/* NLMSG_ACK (an NLMSG_ERROR with error 0), NLMSG_DONE: the answer is complete. */
static int on_end(struct nl_msg *msg, void *arg)
{
	struct transaction *t = arg;
	int errnum = 0;

	if (vesp_extack_parse(nlmsg_hdr(msg), &errnum, t->err)) {
		t->malformed = true;
		errnum = 0;
	}
	t->kernel_errnum = errnum;
	t->done = true;
	return NL_STOP;
}

static int on_error(struct sockaddr_nl *who, struct nlmsgerr *nlerr, void *arg)
{
	/* libnl hands over the payload; the header, with its flags, precedes it */
	struct nlmsghdr *hdr = (struct nlmsghdr *)((unsigned char *)nlerr - NLMSG_HDRLEN);
	struct transaction *t = arg;
	int errnum = 0;

	(void)who;
	if (vesp_extack_parse(hdr, &errnum, t->err)) {
		t->malformed = true;
		errnum = EPROTO;
	}
	t->kernel_errnum = errnum;
	t->done = true;
	return NL_STOP;
}

static struct nl_cb *transaction_callbacks(struct transaction *t)
{
	struct nl_cb *cb = nl_cb_alloc(NL_CB_DEFAULT);

	if (!cb)
		return NULL;
	nl_cb_set(cb, NL_CB_SEQ_CHECK, NL_CB_CUSTOM, on_seq_check, t);
	nl_cb_set(cb, NL_CB_VALID, NL_CB_CUSTOM, on_valid, t);
	nl_cb_set(cb, NL_CB_ACK, NL_CB_CUSTOM, on_end, t);
	nl_cb_set(cb, NL_CB_FINISH, NL_CB_CUSTOM, on_end, t);
	nl_cb_err(cb, NL_CB_CUSTOM, on_error, t);
	return cb;
}

int vesp_nl_transact(struct vesp_nl *nl, struct nl_msg *msg, vesp_reply_fn on_reply, void *arg,
		     struct vesp_error *err)
{
	struct transaction t = { .on_reply = on_reply, .arg = arg, .err = err };
	struct nl_cb *cb;
	int ret;

	vesp_error_clear(err);
	t.cmd = ((struct genlmsghdr *)nlmsg_data(nlmsg_hdr(msg)))->cmd;
	cb = transaction_callbacks(&t);
	if (!cb) {
		vesp_request_free(msg);
		return vesp_error_set(err, ENOMEM, "out of memory");
	}
	ret = nl_send_auto(nl->sock, msg);
	t.seq = nlmsg_hdr(msg)->nlmsg_seq;
	vesp_request_free(msg);
	if (ret < 0) {
		nl_cb_put(cb);
		return vesp_error_set(err, EIO, "%s: cannot send request: %s", vesp_cmd_name(t.cmd),
				      nl_geterror(ret));
	}
	while (!t.done) {
		ret = nl_recvmsgs(nl->sock, cb);
		if (ret < 0 && !t.done)
			break;
	}
	nl_cb_put(cb);

	if (t.kernel_errnum) {
		/* kernel_message, when the kernel sent one, is what to show */
		return vesp_error_set(err, t.kernel_errnum, "%s: %s", vesp_cmd_name(t.cmd),
				      strerror(t.kernel_errnum));
	}
	if (!t.done)
		return vesp_error_set(err, EIO, "%s: cannot read the answer: %s",
				      vesp_cmd_name(t.cmd), nl_geterror(ret));
	if (t.malformed)
		return vesp_error_set(err, EPROTO, "%s: malformed acknowledgement",
				      vesp_cmd_name(t.cmd));
	if (t.callback_failed)
		return -1;
	if (t.interrupted)
		return vesp_error_set(err, EAGAIN,
				      "%s: the kernel's state changed during the dump; try again",
				      vesp_cmd_name(t.cmd));
	return 0;
}

int vesp_nl_subscribe_events(struct vesp_nl *nl, struct vesp_error *err)
{
	int group = genl_ctrl_resolve_grp(nl->sock, VESP_GENL_NAME, VESP_MCGRP_EVENTS);
	int ret;

	if (group < 0)
		return vesp_error_set(err, ENOENT, "cannot find multicast group \"%s\": %s",
				      VESP_MCGRP_EVENTS, nl_geterror(group));
	ret = nl_socket_add_membership(nl->sock, group);
	if (ret < 0)
		return vesp_error_set(err, EIO, "cannot join multicast group \"%s\": %s",
				      VESP_MCGRP_EVENTS, nl_geterror(ret));
	nl_socket_disable_seq_check(nl->sock);
	return 0;
}

struct listener {
	vesp_reply_fn on_event;
	void *arg;
	struct vesp_error *err;
	bool stop;
};

static int on_event(struct nl_msg *msg, void *arg)
{
	struct listener *l = arg;

	if (l->on_event(nlmsg_hdr(msg), l->arg, l->err) < 0) {
		l->stop = true;
		return NL_STOP;
	}
	return NL_OK;
}

/* Notifications carry sequence number 0, whatever a request expected. */
static int no_seq_check(struct nl_msg *msg, void *arg)
{
	(void)msg;
	(void)arg;
	return NL_OK;
}

/* Receive notifications until @on_event_fn stops, or until none is left with @once. */
static int receive_events(struct vesp_nl *nl, vesp_reply_fn on_event_fn, void *arg,
			  struct vesp_error *err, bool once)
{
	struct listener l = { .on_event = on_event_fn, .arg = arg, .err = err };
	struct nl_cb *cb = nl_cb_alloc(NL_CB_DEFAULT);
	int ret;

	if (!cb)
		return vesp_error_set(err, ENOMEM, "out of memory");
	nl_cb_set(cb, NL_CB_VALID, NL_CB_CUSTOM, on_event, &l);
	/* a callback set of our own: the socket's, without the check, is not used */
	nl_cb_set(cb, NL_CB_SEQ_CHECK, NL_CB_CUSTOM, no_seq_check, NULL);
	while (!l.stop) {
		ret = nl_recvmsgs(nl->sock, cb);
		if (once && ret == -NLE_AGAIN)
			break;
		if (ret == -NLE_NOMEM && errno == ENOBUFS) {
			/* the kernel dropped notifications for us: say so, go on */
			if (on_event_fn(NULL, arg, err) < 0)
				break;
			continue;
		}
		if (ret < 0) {
			vesp_error_set(err, EIO, "cannot receive notifications: %s", nl_geterror(ret));
			nl_cb_put(cb);
			return -1;
		}
	}
	nl_cb_put(cb);
	return l.stop ? -1 : 0;
}

int vesp_nl_listen(struct vesp_nl *nl, vesp_reply_fn on_event_fn, void *arg,
		   struct vesp_error *err)
{
	return receive_events(nl, on_event_fn, arg, err, false);
}

int vesp_nl_event_fd(struct vesp_nl *nl)
{
	nl_socket_set_nonblocking(nl->sock);
	return nl_socket_get_fd(nl->sock);
}

int vesp_nl_receive(struct vesp_nl *nl, vesp_reply_fn on_event_fn, void *arg,
		    struct vesp_error *err)
{
	return receive_events(nl, on_event_fn, arg, err, true);
}
