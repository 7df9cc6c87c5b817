// SPDX-License-Identifier: GPL-2.0
/*
 * CREATE_CHILD_SA for Child SAs: rekeying as initiator, new and rekeyed
 * children as responder, collisions resolved by the lowest nonce (RFC 7296
 * §1.3.3, §2.8, §2.8.1); see task.h.
 */
#include "task.h"

#include <string.h>

#include <openssl/crypto.h>

#include "wire.h"

static struct ike_child_rekey_task *to_rekey(struct ike_task *task)
{
	return (struct ike_child_rekey_task *)task;
}

static int new_nonce(struct ike_sa *sa, uint8_t *nonce, size_t *len,
		     struct ike_error *err)
{
	*len = IKE_NONCE_LEN;
	return sa->deps->random(sa->deps->ctx, nonce, IKE_NONCE_LEN, err);
}

/* The group our first ESP proposal asks for, IKE_DH_NONE without PFS. */
static uint16_t pfs_group(const struct ike_sa_config *config)
{
	const struct ike_transform *t =
		ike_proposal_find(&config->child_proposals[0], IKE_TRANSFORM_DH);

	return t ? t->id : IKE_DH_NONE;
}

static int build_ke(struct ike_child_rekey_task *t, struct ike_builder *b,
		    struct ike_error *err)
{
	uint8_t pub[IKE_DH_PUBLIC_MAX_LEN];
	size_t len;

	if (!t->dh)
		return 0;
	if (ike_dh_public(t->dh, pub, sizeof(pub), &len, err) < 0)
		return -1;
	return ike_build_ke(b, ike_dh_group(t->dh), pub, len);
}

/* g^ir from the peer's KE, which must be in our group. */
static int shared_secret(struct ike_child_rekey_task *t, const struct ike_message *msg,
			 struct ike_error *err)
{
	const struct ike_payload *ke = ike_message_find(msg, IKE_PAYLOAD_KE);

	if (!ke || ke->u.ke.group != ike_dh_group(t->dh))
		return ike_error_set(err, IKE_N_INVALID_SYNTAX,
				     "%s: KE missing or not in group %u", __func__,
				     ike_dh_group(t->dh));
	return ike_dh_shared(t->dh, ke->u.ke.data, t->shared, sizeof(t->shared),
			     &t->shared_len, err);
}

static int copy_nonce(const struct ike_message *msg, uint8_t *nonce, size_t *len,
		      struct ike_error *err)
{
	const struct ike_payload *n = ike_message_find(msg, IKE_PAYLOAD_NONCE);

	if (!n || n->body.len < 16 || n->body.len > IKE_NONCE_MAX_LEN)
		return ike_error_set(err, IKE_N_INVALID_SYNTAX,
				     "%s: Nonce missing or of %zu bytes", __func__,
				     n ? n->body.len : 0);
	memcpy(nonce, n->body.ptr, n->body.len);
	*len = n->body.len;
	return 0;
}

/* The lower of the exchange's two nonces: what §2.8.1 compares. */
static void lowest_nonce(const struct ike_child_rekey_task *t, const uint8_t **n,
			 size_t *len)
{
	struct ike_chunk low = ike_nonce_lower(ike_chunk(t->ni, t->ni_len),
					       ike_chunk(t->nr, t->nr_len));

	*n = low.ptr;
	*len = low.len;
}

static enum ike_task_status build_i(struct ike_task *task, struct ike_sa *sa,
				    struct ike_builder *b, struct ike_error *err)
{
	struct ike_child_rekey_task *t = to_rekey(task);
	struct ike_child_sa *old = ike_sa_find_child(sa, t->old_spi, true);
	uint16_t group = pfs_group(sa->config);

	if (!old || old->state != IKE_CHILD_INSTALLED)
		return ike_error_set(err, 0, "%s: no installed child %08x to rekey",
				     __func__, t->old_spi);
	if (new_nonce(sa, t->ni, &t->ni_len, err) < 0)
		return IKE_TASK_FAILED;
	if (group && !t->dh) {
		t->dh = sa->deps->dh_create(sa->deps->ctx, group, err);
		if (!t->dh)
			return IKE_TASK_FAILED;
	}
	if (ike_build_notify(b, IKE_PROTO_ESP, 4, t->old_spi, IKE_N_REKEY_SA, NULL, 0) < 0 ||
	    ike_child_offer(sa, &t->child, false, b, err) < 0 ||
	    ike_build_nonce(b, t->ni, t->ni_len) < 0 || build_ke(t, b, err) < 0)
		return ike_error_set(err, 0, "%s: %s", __func__, b->err.text);
	old->rekeying = true;
	return IKE_TASK_DONE;
}

static enum ike_task_status refuse(struct ike_child_rekey_task *t, uint16_t notify,
				   uint16_t group, struct ike_error *err)
{
	t->error = notify ? notify : IKE_N_NO_PROPOSAL_CHOSEN;
	t->error_group = group;
	if (err && !err->notify)
		err->notify = t->error;
	/* a refused child is the peer's problem, not a reason to end the IKE SA */
	return IKE_TASK_DONE;
}

/* Responder: the child @req rekeys (NULL for a new one), or an error. */
static int rekeyed_child(struct ike_sa *sa, const struct ike_message *req,
			 struct ike_child_sa **old, struct ike_error *err)
{
	const struct ike_payload *n = ike_message_find_notify(req, IKE_N_REKEY_SA);

	*old = NULL;
	if (!n)
		return 0;
	/* the SPI in REKEY_SA is the peer's inbound one: our outbound (§3.10) */
	*old = n->u.notify.spi_size == 4 ?
	       ike_sa_find_child(sa, (uint32_t)n->u.notify.spi, false) : NULL;
	if (!*old || (*old)->state != IKE_CHILD_INSTALLED)
		return ike_error_set(err, IKE_N_CHILD_SA_NOT_FOUND,
				     "%s: no child with SPI %08llx to rekey", __func__,
				     (unsigned long long)n->u.notify.spi);
	return 0;
}

static enum ike_task_status process_r(struct ike_task *task, struct ike_sa *sa,
				      const struct ike_message *req,
				      struct ike_error *err)
{
	struct ike_child_rekey_task *t = to_rekey(task);
	struct ike_child_sa *old, *child;
	const uint8_t *low;
	size_t low_len;

	if (rekeyed_child(sa, req, &old, err) < 0 ||
	    copy_nonce(req, t->ni, &t->ni_len, err) < 0)
		return refuse(t, err ? err->notify : 0, 0, err);
	if (ike_child_choose(sa, &t->child, req, false, err) < 0)
		return refuse(t, t->child.error, 0, err);
	if (t->child.child.suite.dh) {
		const struct ike_payload *ke = ike_message_find(req, IKE_PAYLOAD_KE);

		if (!ke || ke->u.ke.group != t->child.child.suite.dh)
			return refuse(t, IKE_N_INVALID_KE_PAYLOAD,
				      t->child.child.suite.dh, err);
		t->dh = sa->deps->dh_create(sa->deps->ctx, t->child.child.suite.dh, err);
		if (!t->dh || shared_secret(t, req, err) < 0)
			return refuse(t, err ? err->notify : 0, 0, err);
	}
	if (new_nonce(sa, t->nr, &t->nr_len, err) < 0)
		return refuse(t, 0, 0, err);
	/* a rekey's new outbound waits for the Delete of the old child */
	child = ike_child_establish(sa, &t->child, ike_chunk(t->shared, t->shared_len),
				    ike_chunk(t->ni, t->ni_len),
				    ike_chunk(t->nr, t->nr_len), !old, err);
	if (!child)
		return refuse(t, 0, 0, err);
	if (old) {
		child->replaces = old->spi_in;
		if (old->rekeying) {
			/* ours is out too: remember this exchange for §2.8.1 */
			lowest_nonce(t, &low, &low_len);
			old->collided = true;
			memcpy(old->peer_nonce, low, low_len);
			old->peer_nonce_len = low_len;
			old->peer_new_spi = child->spi_in;
		}
	}
	return IKE_TASK_DONE;
}

static enum ike_task_status build_r(struct ike_task *task, struct ike_sa *sa,
				    struct ike_builder *b, struct ike_error *err)
{
	struct ike_child_rekey_task *t = to_rekey(task);
	uint8_t group[2];

	(void)sa;
	if (t->error) {
		ike_put_be16(group, t->error_group);
		ike_build_notify(b, 0, 0, 0, t->error, t->error_group ? group : NULL,
				 t->error_group ? 2 : 0);
	} else if (ike_child_answer(&t->child, b) == 0 &&
		   ike_build_nonce(b, t->nr, t->nr_len) == 0) {
		build_ke(t, b, err);
	}
	return b->failed ? ike_error_set(err, 0, "%s: %s", __func__, b->err.text) :
	       IKE_TASK_DONE;
}

/*
 * Our rekey is through: decide who won a collision, then put the new child
 * in and mark what is to be deleted, and by whom.
 */
static enum ike_task_status finish_rekey(struct ike_child_rekey_task *t,
					 struct ike_sa *sa, struct ike_child_sa *old,
					 struct ike_error *err)
{
	struct ike_child_sa *child, *theirs;
	const uint8_t *low;
	size_t low_len;
	bool lost;

	lowest_nonce(t, &low, &low_len);
	lost = old->collided &&
	       ike_nonce_cmp(low, low_len, old->peer_nonce, old->peer_nonce_len) < 0;
	child = ike_child_establish(sa, &t->child, ike_chunk(t->shared, t->shared_len),
				    ike_chunk(t->ni, t->ni_len),
				    ike_chunk(t->nr, t->nr_len), !lost, err);
	if (!child) {
		/* the old child stays; rekey again later */
		ike_child_reject(sa, &t->child);
		return IKE_TASK_DONE;
	}
	child->replaces = old->spi_in;
	if (lost) {
		/* ours is the redundant one: we delete it, the peer the old */
		child->state = IKE_CHILD_REDUNDANT;
		child->delete_by_us = true;
		return IKE_TASK_DONE;
	}
	ike_child_remove_outbound(sa, old);
	old->state = IKE_CHILD_REKEYED;
	old->delete_by_us = true;
	theirs = old->collided ? ike_sa_find_child(sa, old->peer_new_spi, true) : NULL;
	if (theirs)
		theirs->state = IKE_CHILD_REDUNDANT;	/* the peer deletes it */
	return IKE_TASK_DONE;
}

static enum ike_task_status process_i(struct ike_task *task, struct ike_sa *sa,
				      const struct ike_message *resp,
				      struct ike_error *err)
{
	struct ike_child_rekey_task *t = to_rekey(task);
	struct ike_child_sa *old = ike_sa_find_child(sa, t->old_spi, true);

	if (old)
		old->rekeying = false;
	for (size_t i = 0; i < resp->num_payloads; i++) {
		const struct ike_payload *p = &resp->payloads[i];

		if (p->type == IKE_PAYLOAD_NOTIFY && p->u.notify.type < IKE_N_FIRST_STATUS) {
			ike_error_set(err, p->u.notify.type, "%s: peer refused: notify %u",
				      __func__, p->u.notify.type);
			return IKE_TASK_DONE;
		}
	}
	if (!old) {
		ike_error_set(err, 0, "%s: child %08x went away meanwhile", __func__,
			      t->old_spi);
		return IKE_TASK_DONE;
	}
	if (copy_nonce(resp, t->nr, &t->nr_len, err) < 0 ||
	    ike_child_check(sa, &t->child, resp, false, err) < 0 ||
	    (t->dh && shared_secret(t, resp, err) < 0)) {
		ike_child_reject(sa, &t->child);
		return IKE_TASK_DONE;
	}
	return finish_rekey(t, sa, old, err);
}

static void cleanup(struct ike_task *task)
{
	struct ike_child_rekey_task *t = to_rekey(task);

	ike_dh_free(t->dh);
	t->dh = NULL;
	OPENSSL_cleanse(t->shared, sizeof(t->shared));
	OPENSSL_cleanse(t->ni, sizeof(t->ni));
	OPENSSL_cleanse(t->nr, sizeof(t->nr));
}

void ike_child_rekey_task_setup(struct ike_child_rekey_task *t, uint32_t old_spi)
{
	memset(t, 0, sizeof(*t));
	t->task.name = "child_rekey";
	t->task.exchange = IKE_EXCHANGE_CREATE_CHILD_SA;
	t->task.build_i = build_i;
	t->task.process_r = process_r;
	t->task.build_r = build_r;
	t->task.process_i = process_i;
	t->task.cleanup = cleanup;
	t->old_spi = old_spi;
}
