/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Exchanges as tasks (the shape of strongSwan's libcharon/sa/ikev2/tasks):
 * each task adds its payloads to a message and takes its payloads from one,
 * with one function per role and direction. The task manager (to come) owns
 * message IDs, retransmission and which tasks go into which exchange.
 *
 *   initiator: build_i -> request -> process_r, build_r -> response -> process_i
 */
#ifndef IKE_TASK_H
#define IKE_TASK_H

#include "error.h"
#include "payload.h"
#include "sa.h"

enum ike_task_status {
	IKE_TASK_FAILED = -1,
	IKE_TASK_DONE = 0,	/* nothing more to do for this task */
	IKE_TASK_RETRY = 1,	/* initiator: send the request again (built anew) */
};

struct ike_task {
	const char *name;
	uint8_t exchange;
	enum ike_task_status (*build_i)(struct ike_task *task, struct ike_sa *sa,
					struct ike_builder *b, struct ike_error *err);
	enum ike_task_status (*process_r)(struct ike_task *task, struct ike_sa *sa,
					  const struct ike_message *request,
					  struct ike_error *err);
	enum ike_task_status (*build_r)(struct ike_task *task, struct ike_sa *sa,
					struct ike_builder *b, struct ike_error *err);
	enum ike_task_status (*process_i)(struct ike_task *task, struct ike_sa *sa,
					  const struct ike_message *response,
					  struct ike_error *err);
};

/*
 * IKE_SA_INIT (§1.2): SA, KE and Nonce both ways; the responder answers a
 * key exchange in the wrong group with INVALID_KE_PAYLOAD and the initiator
 * retries in the group asked for.
 */
struct ike_init_task {
	struct ike_task task;
	uint16_t group;		/* initiator: the group of our KE payload */
	unsigned int retries;
	/* responder: our KE data, kept because deriving the keys frees the DH */
	uint8_t public_value[IKE_DH_PUBLIC_MAX_LEN];
	size_t public_len;
	/* responder: the request was refused; with which error, if any */
	bool refused;
	uint16_t error_notify;
	uint16_t error_group;	/* for INVALID_KE_PAYLOAD */
};

void ike_init_task_setup(struct ike_init_task *t);

#endif /* IKE_TASK_H */
