// SPDX-License-Identifier: GPL-2.0
/*
 * The IKE_AUTH exchange with a shared key (RFC 7296 §1.2, §2.15), creating
 * the first Child SA; see task.h. Certificates (RFC 7427) are to come as
 * another authenticator behind the same two helpers, sign and verify.
 */
#include "task.h"

#include <string.h>

#include <openssl/crypto.h>

#include "auth.h"
#include "message.h"

static struct ike_auth_task *to_auth(struct ike_task *task)
{
	return (struct ike_auth_task *)task;
}

/* RestOfIDPayload (§2.15): the ID payload body as it goes on the wire. */
static struct ike_chunk id_body(const struct ike_identity *id, uint8_t *buf)
{
	buf[0] = id->type;
	buf[1] = buf[2] = buf[3] = 0;
	memcpy(buf + 4, id->data, id->len);
	return ike_chunk(buf, 4 + id->len);
}

/* AUTH data of the end that is the IKE SA's initiator or not. */
static int compute_auth(const struct ike_sa *sa, bool signer_is_initiator,
			struct ike_chunk body, uint8_t *out, struct ike_error *err)
{
	uint8_t octets[IKE_MESSAGE_MAX_LEN + IKE_NONCE_MAX_LEN + IKE_PRF_MAX_LEN];
	size_t len;
	int ret;

	ret = ike_auth_signed_octets(sa, signer_is_initiator, body, octets,
				     sizeof(octets), &len, err);
	if (ret == 0)
		ret = ike_auth_psk(sa->suite.prf,
				   ike_chunk(sa->config->psk, sa->config->psk_len),
				   ike_chunk(octets, len), out, err);
	return ret;
}

/* Our ID and AUTH payloads. */
static int sign(struct ike_sa *sa, struct ike_builder *b, struct ike_error *err)
{
	const struct ike_identity *id = &sa->config->local_id;
	uint8_t body[4 + IKE_ID_MAX_LEN], auth[IKE_PRF_MAX_LEN];
	int ret;

	if (compute_auth(sa, sa->initiator, id_body(id, body), auth, err) < 0)
		return -1;
	ret = ike_identity_build(b, sa->initiator ? IKE_PAYLOAD_IDI : IKE_PAYLOAD_IDR, id);
	if (ret == 0)
		ret = ike_build_auth(b, IKE_AUTH_SHARED_KEY_MIC, auth,
				     ike_prf_len(sa->suite.prf));
	OPENSSL_cleanse(auth, sizeof(auth));
	return ret < 0 ? ike_error_set(err, 0, "%s", b->err.text) : 0;
}

/* Check the peer's ID against the configured one and its AUTH data. */
static int verify(struct ike_sa *sa, const struct ike_message *msg,
		  struct ike_error *err)
{
	const struct ike_payload *id = ike_message_find(msg, sa->initiator ?
							IKE_PAYLOAD_IDR : IKE_PAYLOAD_IDI);
	const struct ike_payload *auth = ike_message_find(msg, IKE_PAYLOAD_AUTH);
	const struct ike_identity *want = &sa->config->remote_id;
	uint8_t expect[IKE_PRF_MAX_LEN];
	size_t len = ike_prf_len(sa->suite.prf);
	bool ok;

	if (!id || !auth)
		return ike_error_set(err, IKE_N_AUTHENTICATION_FAILED,
				     "%s: ID or AUTH missing", __func__);
	if (want->type && !ike_identity_matches(want, id))
		return ike_error_set(err, IKE_N_AUTHENTICATION_FAILED,
				     "%s: peer ID (type %u) is not the configured one",
				     __func__, id->u.id.type);
	if (auth->u.auth.method != IKE_AUTH_SHARED_KEY_MIC)
		return ike_error_set(err, IKE_N_AUTHENTICATION_FAILED,
				     "%s: auth method %u, want shared key", __func__,
				     auth->u.auth.method);
	if (compute_auth(sa, !sa->initiator, id->body, expect, err) < 0)
		return -1;
	ok = auth->u.auth.data.len == len &&
	     ike_auth_equal(expect, auth->u.auth.data.ptr, len);
	OPENSSL_cleanse(expect, sizeof(expect));
	if (!ok)
		return ike_error_set(err, IKE_N_AUTHENTICATION_FAILED,
				     "%s: AUTH data does not match the shared key",
				     __func__);
	return 0;
}

static enum ike_task_status build_i(struct ike_task *task, struct ike_sa *sa,
				    struct ike_builder *b, struct ike_error *err)
{
	struct ike_auth_task *t = to_auth(task);

	if (sign(sa, b, err) < 0 || ike_child_offer(sa, &t->child, true, b, err) < 0)
		return IKE_TASK_FAILED;
	return IKE_TASK_DONE;
}

static struct ike_chunk nonce_i(const struct ike_sa *sa)
{
	return ike_chunk(sa->ni, sa->ni_len);
}

static struct ike_chunk nonce_r(const struct ike_sa *sa)
{
	return ike_chunk(sa->nr, sa->nr_len);
}

static enum ike_task_status process_r(struct ike_task *task, struct ike_sa *sa,
				      const struct ike_message *req,
				      struct ike_error *err)
{
	struct ike_auth_task *t = to_auth(task);

	if (verify(sa, req, err) < 0) {
		t->auth_failed = true;
		sa->state = IKE_SA_STATE_FAILED;
		return IKE_TASK_FAILED;
	}
	sa->state = IKE_SA_STATE_ESTABLISHED;
	/* §1.2: the IKE SA stands even when its first child cannot be made */
	if (ike_child_choose(sa, &t->child, req, true, err) < 0 ||
	    !ike_child_establish(sa, &t->child, ike_chunk(NULL, 0), nonce_i(sa),
				 nonce_r(sa), true, err)) {
		t->child_failed = true;
		if (!t->child.error)
			t->child.error = IKE_N_NO_PROPOSAL_CHOSEN;
	}
	return IKE_TASK_DONE;
}

static enum ike_task_status build_r(struct ike_task *task, struct ike_sa *sa,
				    struct ike_builder *b, struct ike_error *err)
{
	struct ike_auth_task *t = to_auth(task);

	if (t->auth_failed) {
		ike_build_notify(b, 0, 0, 0, IKE_N_AUTHENTICATION_FAILED, NULL, 0);
		return IKE_TASK_FAILED;
	}
	if (sign(sa, b, err) < 0)
		return IKE_TASK_FAILED;
	if (ike_child_answer(&t->child, b) < 0)
		return ike_error_set(err, 0, "%s", b->err.text);
	return IKE_TASK_DONE;
}

/* The first error Notify of @msg, or NULL. */
static const struct ike_payload *error_notify(const struct ike_message *msg)
{
	for (size_t i = 0; i < msg->num_payloads; i++) {
		const struct ike_payload *p = &msg->payloads[i];

		if (p->type == IKE_PAYLOAD_NOTIFY && p->u.notify.type < IKE_N_FIRST_STATUS)
			return p;
	}
	return NULL;
}

static enum ike_task_status process_i(struct ike_task *task, struct ike_sa *sa,
				      const struct ike_message *resp,
				      struct ike_error *err)
{
	struct ike_auth_task *t = to_auth(task);
	const struct ike_payload *n = error_notify(resp);

	if (!ike_message_find(resp, IKE_PAYLOAD_AUTH)) {
		sa->state = IKE_SA_STATE_FAILED;
		return ike_error_set(err, 0, "%s: peer refused: notify %u", __func__,
				     n ? n->u.notify.type : 0);
	}
	if (verify(sa, resp, err) < 0) {
		sa->state = IKE_SA_STATE_FAILED;
		return IKE_TASK_FAILED;
	}
	sa->state = IKE_SA_STATE_ESTABLISHED;
	if (n) {
		t->child.error = n->u.notify.type;
		ike_error_set(err, n->u.notify.type, "%s: child refused: notify %u",
			      __func__, n->u.notify.type);
		return IKE_TASK_DONE;
	}
	if (ike_child_check(sa, &t->child, resp, true, err) < 0 ||
	    !ike_child_establish(sa, &t->child, ike_chunk(NULL, 0), nonce_i(sa),
				 nonce_r(sa), true, err)) {
		t->child.error = err && err->notify ? err->notify : IKE_N_NO_PROPOSAL_CHOSEN;
		ike_child_reject(sa, &t->child);
	}
	return IKE_TASK_DONE;
}

void ike_auth_task_setup(struct ike_auth_task *t)
{
	memset(t, 0, sizeof(*t));
	t->task.name = "ike_auth";
	t->task.exchange = IKE_EXCHANGE_AUTH;
	t->task.build_i = build_i;
	t->task.process_r = process_r;
	t->task.build_r = build_r;
	t->task.process_i = process_i;
}
