/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The one seam to the kernel: a generic netlink socket speaking the vesp
 * family through libnl-genl.
 *
 * Requests are built with request.h on a message from vesp_nl_request()
 * and sent with vesp_nl_transact(), which waits for the kernel's answer:
 * every reply message goes to a callback (for doit replies and dumps
 * alike), and a refusal comes back as a vesp_error holding the kernel's
 * extended ACK message word for word.
 */
#ifndef VESP_LIB_IPC_H
#define VESP_LIB_IPC_H

#include <linux/netlink.h>
#include <stdint.h>

#include <netlink/msg.h>

#include "error.h"

struct vesp_nl;

/*
 * Called for each reply (or notification) message. A negative return stops
 * the transaction with the error the callback set in @err. In
 * vesp_nl_listen(), @hdr is NULL when notifications were lost because the
 * socket's receive buffer overflowed.
 */
typedef int (*vesp_reply_fn)(const struct nlmsghdr *hdr, void *arg, struct vesp_error *err);

/* Connect and resolve the "vesp" family; fails if the module is not loaded. */
int vesp_nl_open(struct vesp_nl **nl, struct vesp_error *err);
/*
 * Like vesp_nl_open(), but talk to the userspace netlink socket bound to
 * @peer_port as if it were the kernel, taking @family_id as the family's
 * number: the whole request and answer path, run without the module (tests).
 */
int vesp_nl_open_peer(struct vesp_nl **nl, uint32_t peer_port, int family_id,
		      struct vesp_error *err);

void vesp_nl_close(struct vesp_nl *nl);

/* A new request for @cmd of the vesp family; NULL when out of memory. */
struct nl_msg *vesp_nl_request(struct vesp_nl *nl, uint8_t cmd, int flags);

/*
 * Send @msg (always wiped and freed, even on failure), then read the
 * answer until the ACK or the end of the dump, passing each reply message
 * to @on_reply (may be NULL). On failure @err says why: the kernel's
 * message in err->kernel_message when it sent one, else err->text. On
 * success err->kernel_message may still hold a warning.
 */
int vesp_nl_transact(struct vesp_nl *nl, struct nl_msg *msg, vesp_reply_fn on_reply, void *arg,
		     struct vesp_error *err);

/* Join the "events" multicast group. */
int vesp_nl_subscribe_events(struct vesp_nl *nl, struct vesp_error *err);

/* Pass every notification to @on_event until it returns < 0 or receiving fails. */
int vesp_nl_listen(struct vesp_nl *nl, vesp_reply_fn on_event, void *arg,
		   struct vesp_error *err);

/*
 * For an event loop: the socket's descriptor, made non-blocking, to poll;
 * vesp_nl_receive() then passes the notifications already queued to
 * @on_event (NULL @hdr when some were lost) and returns without waiting.
 */
int vesp_nl_event_fd(struct vesp_nl *nl);
int vesp_nl_receive(struct vesp_nl *nl, vesp_reply_fn on_event, void *arg,
		    struct vesp_error *err);

/* "peer add" for VESP_CMD_PEER_NEW, for messages; "command N" if unknown. */
const char *vesp_cmd_name(uint8_t cmd);

#endif /* VESP_LIB_IPC_H */
