/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The task manager of one IKE SA (the role of strongSwan's task_manager_v2
 * and openiked's ikev2_msg.c): it alone owns message IDs, retransmission and
 * the order of exchanges. Exchanges are tasks (task.h), one per exchange.
 *
 * Both directions run a window of 1 (§2.3), independently: as requester we
 * have at most one request out, sent again with exponential backoff until
 * its response arrives or we give up; as responder we answer request N+1
 * only after N, and answer a retransmitted N from the cached response
 * without processing it again (§2.1).
 *
 * Time and the socket come through struct ike_io, so tests drive the clock
 * and carry the datagrams between two managers themselves.
 */
#ifndef IKE_MANAGER_H
#define IKE_MANAGER_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "error.h"
#include "message.h"
#include "sa.h"
#include "task.h"

struct ike_io {
	uint64_t (*now)(void *ctx);	/* monotonic milliseconds */
	/*
	 * A datagram from @local to @remote: the IKE SA's addresses for a
	 * request, where the request came from and to for a response
	 * (§2.11). Either may be unknown (family 0): the owner decides.
	 */
	int (*send)(void *ctx, const uint8_t *buf, size_t len,
		    const struct ike_endpoint *local, const struct ike_endpoint *remote);
	void *ctx;
};

struct ike_retransmit {
	unsigned int timeout_ms;	/* wait after the first send */
	unsigned int retries;		/* sends after the first; then give up */
};

/* 1 s, 2 s, ... 32 s: the peer is given up after a minute (63 s) */
#define IKE_RETRANSMIT_DEFAULT ((struct ike_retransmit){ 1000, 5 })

#define IKE_MANAGER_QUEUE 8
#define IKE_MANAGER_INFO_TASKS 4

enum ike_manager_status {
	IKE_MANAGER_DEAD = -1,	/* failed or given up: tear the SA down */
	IKE_MANAGER_OK = 0,
	IKE_MANAGER_CLOSED = 1,	/* deleted by either side: remove it */
	IKE_MANAGER_REKEYED = 2,	/* m->successor took over: give it a manager */
};

struct ike_manager {
	struct ike_sa *sa;
	const struct ike_io *io;
	struct ike_retransmit retransmit;
	struct ike_error error;		/* why the SA died, for the log */
	bool timed_out;			/* it died of a request never answered */
	uint64_t last_valid;		/* when the peer last sent something authentic */

	/* as requester */
	uint32_t next_id;
	size_t num_queued;
	struct ike_task *queue[IKE_MANAGER_QUEUE];
	struct ike_task *active;
	uint32_t active_id;
	unsigned int sends;		/* of the active request */
	uint64_t deadline;		/* of its next retransmission */
	size_t request_len;
	uint8_t request[IKE_MESSAGE_MAX_LEN];

	/* storage for the SA that rekeys this one, and that SA once it does */
	struct ike_sa *spare;
	struct ike_sa *successor;
	/*
	 * §2.8.2: the peer's new IKE SA, made while our own IKE rekey is out
	 * (pending until ours is answered); the survivor goes to the spare.
	 */
	struct ike_sa collision;
	bool collision_pending;

	/* as responder */
	uint32_t peer_next_id;
	bool have_response;
	size_t response_len;
	uint8_t response[IKE_MESSAGE_MAX_LEN];

	/* the tasks run by this manager live here */
	struct ike_init_task init;
	struct ike_auth_task auth;
	struct ike_info_task info[IKE_MANAGER_INFO_TASKS];
	struct ike_child_rekey_task rekey;
	struct ike_rekey_task ike_rekey;
	struct ike_init_task init_r;
	struct ike_auth_task auth_r;
	struct ike_info_task info_r;
	struct ike_child_rekey_task rekey_r;
	struct ike_rekey_task ike_rekey_r;
	struct ike_mobike_task mobike;
	struct ike_mobike_task mobike_r;
	/* another MOBIKE exchange was asked for while ours was out */
	bool mobike_again;
	enum ike_mobike_kind mobike_again_kind;
};

void ike_manager_init(struct ike_manager *m, struct ike_sa *sa,
		      const struct ike_io *io, struct ike_retransmit retransmit);

/* Free what the tasks still hold; the SA itself is the caller's. */
void ike_manager_destroy(struct ike_manager *m);

/* Initiator: queue IKE_SA_INIT and IKE_AUTH, and send the first request. */
enum ike_manager_status ike_manager_initiate(struct ike_manager *m);

/* Queue an exchange as requester; it is sent once those before it are done. */
enum ike_manager_status ike_manager_queue(struct ike_manager *m,
					  struct ike_task *task);

/* Queue an empty INFORMATIONAL, or a Delete of the IKE SA or of a child. */
enum ike_manager_status ike_manager_liveness(struct ike_manager *m);
enum ike_manager_status ike_manager_delete_ike(struct ike_manager *m);
enum ike_manager_status ike_manager_delete_child(struct ike_manager *m,
						 uint32_t spi_in);

/*
 * Rekey the child whose inbound SPI is @spi_in (CREATE_CHILD_SA); the old
 * child's Delete follows by itself once the new one is in.
 */
enum ike_manager_status ike_manager_rekey_child(struct ike_manager *m,
						uint32_t spi_in);

/*
 * Where an IKE SA rekeyed by either side goes: storage the owner provides
 * (and registers under the new SPIs once IKE_MANAGER_REKEYED says so).
 * Without one, the peer's IKE SA rekeys are refused.
 */
void ike_manager_set_spare(struct ike_manager *m, struct ike_sa *spare);

/*
 * Rekey the IKE SA into the spare; the old SA is deleted by itself once the
 * new one exists, and its manager reports IKE_MANAGER_CLOSED then. When
 * the peer rekeys it at the same time (§2.8.2), both new SAs are made;
 * the one whose exchange has the lowest nonce is redundant, deleted by the
 * end that made it, and the other takes the Child SAs and is the
 * successor at both ends.
 */
enum ike_manager_status ike_manager_rekey_ike(struct ike_manager *m);

/* A datagram for this SA from the peer, its addresses unknown. */
enum ike_manager_status ike_manager_receive(struct ike_manager *m,
					    const uint8_t *buf, size_t len);

/*
 * A datagram for this SA that came from @remote to @local. Before the SA
 * is up its IKE_AUTH decides the SA's addresses; after, with MOBIKE only
 * UPDATE_SA_ADDRESSES moves them, without it each authentic message does
 * (§2.23: a NAT may rebind).
 */
enum ike_manager_status ike_manager_receive_from(struct ike_manager *m,
						 const uint8_t *buf, size_t len,
						 const struct ike_endpoint *local,
						 const struct ike_endpoint *remote);

/*
 * The path between @local and @remote is the one to use now (the one in
 * use died, or a better one came back): requests go there from now on,
 * the one out is sent again there at once with its retransmissions
 * counted afresh, and with MOBIKE, as the original initiator, an
 * UPDATE_SA_ADDRESSES moves the peer's end of the IKE SA and the Child
 * SAs there (RFC 4555 §3.5). Without MOBIKE only the requests move.
 */
enum ike_manager_status ike_manager_move(struct ike_manager *m,
					 const struct ike_endpoint *local,
					 const struct ike_endpoint *remote);

/* Tell the peer our address list again (RFC 4555 §3.6), with MOBIKE. */
enum ike_manager_status ike_manager_addresses(struct ike_manager *m);

/* Whether this end may move the SA: MOBIKE on, and we initiated it first. */
bool ike_manager_can_move(const struct ike_manager *m);

/* Sends of the request out so far (1 for one not yet retransmitted), or 0. */
unsigned int ike_manager_sends(const struct ike_manager *m);

/* Retransmit or give up when the deadline has passed. */
enum ike_manager_status ike_manager_tick(struct ike_manager *m);

/* When ike_manager_tick() next has work, UINT64_MAX for never. */
uint64_t ike_manager_deadline(const struct ike_manager *m);

/* Whether no request is out or waiting. */
bool ike_manager_idle(const struct ike_manager *m);

#endif /* IKE_MANAGER_H */
