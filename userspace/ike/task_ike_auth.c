// SPDX-License-Identifier: GPL-2.0
/*
 * The IKE_AUTH exchange with a shared key (RFC 7296 §1.2, §2.15) or X.509
 * certificates and signatures (§3.6, RFC 7427), creating the first Child
 * SA; see task.h. Both authenticators sit behind sign() and verify().
 */
#include "task.h"

#include <string.h>

#include <openssl/crypto.h>

#include "auth.h"
#include "cert.h"
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

/* The octets the end that is the IKE SA's initiator or not signs (§2.15). */
struct octets {
	size_t len;
	uint8_t buf[IKE_MESSAGE_MAX_LEN + IKE_NONCE_MAX_LEN + IKE_PRF_MAX_LEN];
};

static int signed_octets(const struct ike_sa *sa, bool signer_is_initiator,
			 struct ike_chunk body, struct octets *o,
			 struct ike_error *err)
{
	return ike_auth_signed_octets(sa, signer_is_initiator, body, o->buf,
				      sizeof(o->buf), &o->len, err);
}

static int psk_auth(const struct ike_sa *sa, const struct octets *o,
		    uint8_t *out, struct ike_error *err)
{
	return ike_auth_psk(sa->suite.prf,
			    ike_chunk(sa->config->psk, sa->config->psk_len),
			    ike_chunk(o->buf, o->len), out, err);
}

/* AUTH data and method of our end: a signature or the shared key's MIC. */
static int our_auth(struct ike_sa *sa, const struct octets *o, uint8_t *method,
		    uint8_t *out, size_t *len, struct ike_error *err)
{
	EVP_PKEY *key;
	int ret;

	if (!sa->config->cert.enabled) {
		*method = IKE_AUTH_SHARED_KEY_MIC;
		*len = ike_prf_len(sa->suite.prf);
		return psk_auth(sa, o, out, err);
	}
	key = ike_cert_private_key(&sa->config->cert, err);
	if (!key)
		return -1;
	ret = ike_auth_sign(key, ike_auth_peer_hashes(sa), ike_chunk(o->buf, o->len),
			    method, out, len, err);
	EVP_PKEY_free(key);
	return ret;
}

/* Our ID, [CERT, [CERTREQ]] and AUTH payloads. */
static int sign(struct ike_sa *sa, struct ike_builder *b, struct ike_error *err)
{
	const struct ike_identity *id = &sa->config->local_id;
	const struct ike_cert_config *cert = &sa->config->cert;
	uint8_t body[4 + IKE_ID_MAX_LEN], auth[IKE_AUTH_SIG_MAX_LEN], method;
	struct octets o;
	size_t len;
	int ret;

	if (signed_octets(sa, sa->initiator, id_body(id, body), &o, err) < 0 ||
	    our_auth(sa, &o, &method, auth, &len, err) < 0)
		return -1;
	ret = ike_identity_build(b, sa->initiator ? IKE_PAYLOAD_IDI : IKE_PAYLOAD_IDR, id);
	if (ret == 0 && cert->enabled)
		ret = ike_cert_build_cert(cert, b);
	/* §3.7: the initiator asks in IKE_AUTH, the responder did in IKE_SA_INIT */
	if (ret == 0 && cert->enabled && sa->initiator &&
	    ike_cert_build_certreq(cert, b, err) < 0) {
		OPENSSL_cleanse(auth, sizeof(auth));
		return -1;
	}
	if (ret == 0)
		ret = ike_build_auth(b, method, auth, len);
	OPENSSL_cleanse(auth, sizeof(auth));
	return ret < 0 ? ike_error_set(err, 0, "%s", b->err.text) : 0;
}

/* The peer's signature, by the key of its certificate. */
static int verify_signature(struct ike_sa *sa, const struct ike_message *msg,
			    const struct ike_payload *id,
			    const struct ike_payload *auth,
			    const struct octets *o, struct ike_error *err)
{
	EVP_PKEY *key;
	int ret;

	if (auth->u.auth.method == IKE_AUTH_SHARED_KEY_MIC)
		return ike_error_set(err, IKE_N_AUTHENTICATION_FAILED,
				     "%s: shared key, want a signature", __func__);
	key = ike_cert_verify_peer(&sa->config->cert, msg, id, err);
	if (!key)
		return -1;
	ret = ike_auth_verify(key, auth->u.auth.method, auth->u.auth.data,
			      ike_chunk(o->buf, o->len), err);
	EVP_PKEY_free(key);
	return ret;
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
	struct octets o;
	bool ok;

	if (!id || !auth)
		return ike_error_set(err, IKE_N_AUTHENTICATION_FAILED,
				     "%s: ID or AUTH missing", __func__);
	if (want->type && !ike_identity_matches(want, id))
		return ike_error_set(err, IKE_N_AUTHENTICATION_FAILED,
				     "%s: peer ID (type %u) is not the configured one",
				     __func__, id->u.id.type);
	if (signed_octets(sa, !sa->initiator, id->body, &o, err) < 0)
		return -1;
	if (sa->config->cert.enabled)
		return verify_signature(sa, msg, id, auth, &o, err);
	if (auth->u.auth.method != IKE_AUTH_SHARED_KEY_MIC)
		return ike_error_set(err, IKE_N_AUTHENTICATION_FAILED,
				     "%s: auth method %u, want shared key", __func__,
				     auth->u.auth.method);
	if (psk_auth(sa, &o, expect, err) < 0)
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

/*
 * RFC 4555 §3.3: MOBIKE_SUPPORTED and our other addresses, from the
 * initiator when configured, from the responder when both want it.
 */
static int build_mobike(struct ike_sa *sa, struct ike_builder *b, struct ike_error *err)
{
	ike_build_notify(b, 0, 0, 0, IKE_N_MOBIKE_SUPPORTED, NULL, 0);
	return ike_mobike_build_addresses(b, sa->config->local_addrs,
					  sa->config->num_local_addrs, &sa->local, err);
}

/* The peer's MOBIKE_SUPPORTED and address list, if we want MOBIKE too. */
static void take_mobike(struct ike_sa *sa, const struct ike_message *msg)
{
	struct ike_error ignored;

	if (!sa->config->mobike || !ike_mobike_announced(msg))
		return;
	sa->mobike.enabled = true;
	/* a malformed list is no reason to refuse the SA: it is not used */
	ike_mobike_parse_addresses(msg, &sa->mobike, &ignored);
}

static enum ike_task_status build_i(struct ike_task *task, struct ike_sa *sa,
				    struct ike_builder *b, struct ike_error *err)
{
	struct ike_auth_task *t = to_auth(task);

	if (sign(sa, b, err) < 0 || ike_child_offer(sa, &t->child, true, b, err) < 0)
		return IKE_TASK_FAILED;
	if (sa->config->mobike && build_mobike(sa, b, err) < 0)
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
	take_mobike(sa, req);
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
	if (sa->mobike.enabled && build_mobike(sa, b, err) < 0)
		return IKE_TASK_FAILED;
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
	take_mobike(sa, resp);
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
