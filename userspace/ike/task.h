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

#include "child_negotiate.h"
#include "error.h"
#include "payload.h"
#include "sa.h"

#define IKE_COOKIE_MAX_LEN 64	/* §2.6: 1 to 64 bytes */

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
	/* optional: free and wipe what the task holds, once it is over */
	void (*cleanup)(struct ike_task *task);
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
	/* initiator: the responder's cookie to send back (§2.6) */
	uint8_t cookie[IKE_COOKIE_MAX_LEN];
	size_t cookie_len;
	unsigned int cookie_retries;
};

void ike_init_task_setup(struct ike_init_task *t);

/*
 * IKE_AUTH (§1.2) with a shared key (§2.15) or certificates (RFC 7427),
 * creating the first Child SA:
 *
 *   HDR, SK {IDi, [CERT, CERTREQ,] AUTH, SAi2, TSi, TSr}  -->
 *                          <--  HDR, SK {IDr, [CERT,] AUTH, SAr2, TSi, TSr}
 *
 * A refused child leaves the IKE SA up (§1.2): the response then carries
 * the Notify instead of SAr2, TSi, TSr.
 */
struct ike_auth_task {
	struct ike_task task;
	struct ike_child_exchange child;
	bool auth_failed;	/* responder: answer AUTHENTICATION_FAILED */
	bool child_failed;	/* responder: child.error holds why */
};

void ike_auth_task_setup(struct ike_auth_task *t);

/*
 * INFORMATIONAL (§1.4): an empty request proves the peer alive (§2.4); a
 * Delete closes a Child SA, whose peer answers with the Delete of its half,
 * or the IKE SA with all its children, answered by an empty response.
 *
 *   HDR, SK {[D]}  -->
 *                  <--  HDR, SK {[D]}
 */
enum ike_info_kind {
	IKE_INFO_LIVENESS,
	IKE_INFO_DELETE_IKE,
	IKE_INFO_DELETE_CHILD,
};

struct ike_info_task {
	struct ike_task task;
	enum ike_info_kind kind;
	uint32_t spi;		/* DELETE_CHILD: the child's inbound SPI */
	/* responder: the inbound SPIs of the children the peer deleted */
	size_t num_deleted;
	uint32_t deleted[IKE_MAX_CHILDREN];
};

void ike_info_task_setup(struct ike_info_task *t, enum ike_info_kind kind,
			 uint32_t spi);


/*
 * CREATE_CHILD_SA for a Child SA (§1.3.1, §1.3.3): as initiator, rekeying
 * the child whose inbound SPI is old_spi; as responder, any new or
 * rekeyed child. With a key exchange in the proposal it runs PFS.
 *
 *   HDR, SK {N(REKEY_SA), SA, Ni, [KEi], TSi, TSr}  -->
 *                                  <--  HDR, SK {SA, Nr, [KEr], TSi, TSr}
 *
 * A rekey puts the new inbound SA in first; the initiator switches its
 * outbound at once, the responder when the old child's Delete arrives.
 * When both ends rekey the same child at once (§2.8.1), the exchange with
 * the lowest of its nonces made the redundant child, which its initiator
 * deletes; the other initiator deletes the old child.
 */
struct ike_child_rekey_task {
	struct ike_task task;
	uint32_t old_spi;		/* initiator: the old child's spi_in */
	struct ike_child_exchange child;
	size_t ni_len, nr_len;
	uint8_t ni[IKE_NONCE_MAX_LEN];
	uint8_t nr[IKE_NONCE_MAX_LEN];
	struct ike_dh *dh;		/* PFS: our key exchange */
	size_t shared_len;
	uint8_t shared[IKE_DH_SHARED_MAX_LEN];
	uint16_t error;			/* responder: the refusing Notify */
	uint16_t error_group;		/* with INVALID_KE_PAYLOAD */
};

void ike_child_rekey_task_setup(struct ike_child_rekey_task *t, uint32_t old_spi);

/*
 * CREATE_CHILD_SA rekeying the IKE SA (§1.3.2, §2.18):
 *
 *   HDR, SK {SA(SPI'), Ni, KEi}  -->
 *                                <--  HDR, SK {SA(SPI'), Nr, KEr}
 *
 * The new SA takes over the Child SAs; the initiator then deletes the old
 * one. The new SA's storage comes from the owner (ike_manager).
 */
struct ike_rekey_task {
	struct ike_task task;
	struct ike_sa *new_sa;
	struct ike_proposal chosen;	/* responder: what goes back */
	uint16_t error;			/* responder: the refusing Notify */
	uint16_t error_group;
	size_t public_len;
	uint8_t public_value[IKE_DH_PUBLIC_MAX_LEN];
};

void ike_rekey_task_setup(struct ike_rekey_task *t, struct ike_sa *new_sa);

/*
 * MOBIKE in an INFORMATIONAL (RFC 4555 §3.5, §3.6). The original
 * initiator moves the IKE SA and its Child SAs to the addresses the
 * request travels between (set in the SA before it is built):
 *
 *   HDR, SK {N(UPDATE_SA_ADDRESSES), N(NAT_DETECTION_SOURCE_IP),
 *            N(NAT_DETECTION_DESTINATION_IP), [N(COOKIE2),]
 *            [N(ADDITIONAL_*_ADDRESS)+ | N(NO_ADDITIONAL_ADDRESSES)]}  -->
 *            <--  HDR, SK {N(NAT_DETECTION_SOURCE_IP),
 *                          N(NAT_DETECTION_DESTINATION_IP), [N(COOKIE2)]}
 *
 * The responder moves its IKE SA and the module's path of the peer to
 * where the request came from and to, once it has authenticated it;
 * the initiator moves the module's path once the answer echoes its
 * COOKIE2 (§3.7: the peer is reachable on the new path). Either end may
 * tell the other its address list alone (IKE_MOBIKE_ADDRESSES).
 */
enum ike_mobike_kind {
	IKE_MOBIKE_UPDATE,
	IKE_MOBIKE_ADDRESSES,
};

struct ike_mobike_task {
	struct ike_task task;
	enum ike_mobike_kind kind;
	/* initiator: the addresses the update announced */
	struct ike_endpoint local, remote;
	/* initiator: what we sent; responder: what to echo */
	size_t cookie2_len;
	uint8_t cookie2[IKE_COOKIE2_MAX_LEN];
	bool update;		/* responder: the request moved the SA */
};

void ike_mobike_task_setup(struct ike_mobike_task *t, enum ike_mobike_kind kind);

/* Whether the INFORMATIONAL request @req is a MOBIKE one, for that task. */
bool ike_mobike_is_request(const struct ike_message *req);

/* Whether the CREATE_CHILD_SA request @req rekeys the IKE SA. */
bool ike_rekey_is_ike(const struct ike_message *req);

#endif /* IKE_TASK_H */
