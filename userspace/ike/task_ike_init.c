// SPDX-License-Identifier: GPL-2.0
/*
 * The IKE_SA_INIT exchange (RFC 7296 §1.2) as a task:
 *
 *   Initiator                         Responder
 *   HDR, SAi1, KEi, Ni          -->
 *                               <--   HDR, SAr1, KEr, Nr
 *
 * or, when KEi is not in the group the responder selected:
 *
 *                               <--   HDR, N(INVALID_KE_PAYLOAD, group)
 *   HDR, SAi1, KEi', Ni         -->   (the same request, KE in that group)
 *
 * or, when the responder is under load and wants proof of our address (§2.6):
 *
 *                               <--   HDR, N(COOKIE)
 *   HDR, N(COOKIE), SAi1, KEi, Ni -->  (the same request, the cookie first)
 *
 * The responder's side of cookies is stateless and comes before any IKE SA
 * exists (cookie.h). Both ends add the NAT detection notifies (§2.23,
 * nat.h) when they know their addresses. Fragmentation support is to come.
 */
#include "task.h"

#include <string.h>

#include "auth.h"
#include "wire.h"

/* A responder that keeps asking for other groups is not worth following. */
#define MAX_KE_RETRIES 2
/* Nor one that keeps asking for cookies: one retry proves our address. */
#define MAX_COOKIE_RETRIES 2

static struct ike_init_task *to_init(struct ike_task *task)
{
	return (struct ike_init_task *)task;
}

/* Whether @group is a key exchange method one of our proposals offers. */
static bool group_offered(const struct ike_sa_config *config, uint16_t group)
{
	for (size_t i = 0; i < config->num_proposals; i++) {
		const struct ike_proposal *p = &config->proposals[i];

		for (size_t j = 0; j < p->num_transforms; j++)
			if (p->transforms[j].type == IKE_TRANSFORM_DH &&
			    p->transforms[j].id == group)
				return true;
	}
	return false;
}

static int new_nonce(struct ike_sa *sa, uint8_t *nonce, size_t *len,
		     struct ike_error *err)
{
	if (sa->deps->random(sa->deps->ctx, nonce, IKE_NONCE_LEN, err) < 0)
		return -1;
	*len = IKE_NONCE_LEN;
	return 0;
}

/* Our key exchange in @group, made anew if we have none in that group. */
static int ensure_dh(struct ike_sa *sa, uint16_t group, struct ike_error *err)
{
	if (sa->dh && ike_dh_group(sa->dh) == group)
		return 0;
	ike_dh_free(sa->dh);
	sa->dh = sa->deps->dh_create(sa->deps->ctx, group, err);
	return sa->dh ? 0 : -1;
}

static int build_ke(struct ike_sa *sa, struct ike_builder *b,
		    struct ike_error *err)
{
	uint8_t pub[IKE_DH_PUBLIC_MAX_LEN];
	size_t len;

	if (ike_dh_public(sa->dh, pub, sizeof(pub), &len, err) < 0)
		return -1;
	return ike_build_ke(b, ike_dh_group(sa->dh), pub, len);
}

static enum ike_task_status build_i(struct ike_task *task, struct ike_sa *sa,
				    struct ike_builder *b, struct ike_error *err)
{
	struct ike_init_task *t = to_init(task);
	const struct ike_transform *dh;

	if (!sa->config->num_proposals)
		return ike_error_set(err, 0, "%s: no IKE proposals configured", __func__);
	/* our guess: the group of our most preferred proposal */
	if (!t->group) {
		dh = ike_proposal_find(&sa->config->proposals[0], IKE_TRANSFORM_DH);
		if (!dh)
			return ike_error_set(err, 0, "%s: first proposal has no group",
					     __func__);
		t->group = dh->id;
	}
	if (ensure_dh(sa, t->group, err) < 0)
		return IKE_TASK_FAILED;
	/* a retried request keeps its nonce: it is the same exchange */
	if (!sa->ni_len && new_nonce(sa, sa->ni, &sa->ni_len, err) < 0)
		return IKE_TASK_FAILED;
	/* §2.6: the cookie is the first payload */
	if (t->cookie_len && ike_build_notify(b, 0, 0, 0, IKE_N_COOKIE, t->cookie,
					      t->cookie_len) < 0)
		return ike_error_set(err, 0, "%s", b->err.text);
	if (ike_build_sa(b, sa->config->proposals, sa->config->num_proposals) < 0 ||
	    build_ke(sa, b, err) < 0 ||
	    ike_build_nonce(b, sa->ni, sa->ni_len) < 0 ||
	    ike_nat_build(b, sa->spi_i, sa->spi_r, &sa->local, &sa->remote, err) < 0 ||
	    ike_auth_build_init(sa, b, false, err) < 0)
		return b->failed ? ike_error_set(err, 0, "%s", b->err.text) :
		       IKE_TASK_FAILED;
	return IKE_TASK_DONE;
}

/*
 * Refuse the request. A peer's error gets a Notify in the response; a local
 * failure (@notify 0) gets no response at all.
 */
static enum ike_task_status refuse(struct ike_init_task *t, uint16_t notify,
				   uint16_t group, struct ike_error *err)
{
	t->refused = true;
	t->error_notify = notify;
	t->error_group = group;
	if (err && notify && !err->notify)
		err->notify = notify;
	return IKE_TASK_FAILED;
}

static enum ike_task_status process_r(struct ike_task *task, struct ike_sa *sa,
				      const struct ike_message *req,
				      struct ike_error *err)
{
	struct ike_init_task *t = to_init(task);
	const struct ike_payload *ke = ike_message_find(req, IKE_PAYLOAD_KE);
	const struct ike_payload *nonce = ike_message_find(req, IKE_PAYLOAD_NONCE);
	struct ike_proposal selected;

	if (!ike_message_find(req, IKE_PAYLOAD_SA) || !ke || !nonce) {
		ike_error_set(err, IKE_N_INVALID_SYNTAX, "%s: SA, KE or Nonce missing",
			      __func__);
		return refuse(t, IKE_N_INVALID_SYNTAX, 0, err);
	}
	if (ike_proposal_select(sa->config->proposals, sa->config->num_proposals,
				req->sa.proposals, req->sa.num_proposals,
				&selected, err) < 0 ||
	    ike_suite_from_proposal(&sa->suite, &selected, err) < 0)
		return refuse(t, IKE_N_NO_PROPOSAL_CHOSEN, 0, err);
	/* §1.2: a KE in another group than selected is answered with ours */
	if (ke->u.ke.group != sa->suite.dh) {
		ike_error_set(err, IKE_N_INVALID_KE_PAYLOAD,
			      "%s: KE in group %u, selected group %u", __func__,
			      ke->u.ke.group, sa->suite.dh);
		return refuse(t, IKE_N_INVALID_KE_PAYLOAD, sa->suite.dh, err);
	}

	if (ike_nat_check(req, &sa->local, &sa->remote, &sa->nat, err) < 0)
		return refuse(t, IKE_N_INVALID_SYNTAX, 0, err);
	sa->spi_i = req->hdr.spi_i;
	sa->proposal = selected;
	/* in IKE_SA_INIT the SPIs are in the header, not the proposal (§3.3.1) */
	sa->proposal.spi_size = 0;
	sa->proposal.spi = 0;
	memcpy(sa->ni, nonce->body.ptr, nonce->body.len);
	sa->ni_len = nonce->body.len;
	if (ensure_dh(sa, sa->suite.dh, err) < 0 ||
	    new_nonce(sa, sa->nr, &sa->nr_len, err) < 0 ||
	    ike_dh_public(sa->dh, t->public_value, sizeof(t->public_value),
			  &t->public_len, err) < 0)
		return refuse(t, 0, 0, err);
	/* a KEi that is no valid public value is the peer's syntax error */
	if (ike_sa_derive_keys(sa, ke->u.ke.data, err) < 0)
		return refuse(t, err ? err->notify : IKE_N_INVALID_SYNTAX, 0, err);
	return IKE_TASK_DONE;
}

static enum ike_task_status build_r(struct ike_task *task, struct ike_sa *sa,
				    struct ike_builder *b, struct ike_error *err)
{
	struct ike_init_task *t = to_init(task);
	bool invalid_ke = t->error_notify == IKE_N_INVALID_KE_PAYLOAD;
	uint8_t group[2];

	if (t->refused) {
		ike_put_be16(group, t->error_group);
		if (t->error_notify)
			ike_build_notify(b, 0, 0, 0, t->error_notify,
					 invalid_ke ? group : NULL, invalid_ke ? 2 : 0);
		return IKE_TASK_FAILED;
	}
	if (ike_build_sa(b, &sa->proposal, 1) < 0 ||
	    ike_build_ke(b, sa->suite.dh, t->public_value, t->public_len) < 0 ||
	    ike_build_nonce(b, sa->nr, sa->nr_len) < 0 ||
	    ike_nat_build(b, sa->spi_i, sa->spi_r, &sa->local, &sa->remote, err) < 0)
		return b->failed ? ike_error_set(err, 0, "%s", b->err.text) :
		       IKE_TASK_FAILED;
	if (ike_auth_build_init(sa, b, true, err) < 0)
		return IKE_TASK_FAILED;
	return IKE_TASK_DONE;
}

static enum ike_task_status peer_error(struct ike_init_task *t, struct ike_sa *sa,
				       const struct ike_payload *n,
				       struct ike_error *err)
{
	uint16_t group;

	if (n->u.notify.type != IKE_N_INVALID_KE_PAYLOAD) {
		sa->state = IKE_SA_STATE_FAILED;
		return ike_error_set(err, n->u.notify.type,
				     "%s: peer answered with error notify %u",
				     __func__, n->u.notify.type);
	}
	if (n->u.notify.data.len != 2)
		return ike_error_set(err, IKE_N_INVALID_SYNTAX,
				     "%s: malformed INVALID_KE_PAYLOAD (got %zu, need 2 bytes)",
				     __func__, n->u.notify.data.len);
	group = ike_get_be16(n->u.notify.data.ptr);
	if (group == t->group || !group_offered(sa->config, group) ||
	    t->retries >= MAX_KE_RETRIES) {
		sa->state = IKE_SA_STATE_FAILED;
		return ike_error_set(err, IKE_N_INVALID_KE_PAYLOAD,
				     "%s: peer wants group %u, which we cannot give",
				     __func__, group);
	}
	t->group = group;
	t->retries++;
	return IKE_TASK_RETRY;
}

/* The responder wants its cookie back before it keeps any state (§2.6). */
static enum ike_task_status cookie_asked(struct ike_init_task *t, struct ike_sa *sa,
					 const struct ike_payload *n,
					 struct ike_error *err)
{
	struct ike_chunk c = n->u.notify.data;

	if (c.len == 0 || c.len > sizeof(t->cookie) ||
	    t->cookie_retries >= MAX_COOKIE_RETRIES) {
		sa->state = IKE_SA_STATE_FAILED;
		return ike_error_set(err, IKE_N_INVALID_SYNTAX,
				     "%s: cookie of %zu bytes, retry %u", __func__,
				     c.len, t->cookie_retries);
	}
	memcpy(t->cookie, c.ptr, c.len);
	t->cookie_len = c.len;
	t->cookie_retries++;
	return IKE_TASK_RETRY;
}

static enum ike_task_status process_i(struct ike_task *task, struct ike_sa *sa,
				      const struct ike_message *resp,
				      struct ike_error *err)
{
	struct ike_init_task *t = to_init(task);
	const struct ike_payload *ke = ike_message_find(resp, IKE_PAYLOAD_KE);
	const struct ike_payload *nonce = ike_message_find(resp, IKE_PAYLOAD_NONCE);
	const struct ike_payload *cookie = ike_message_find_notify(resp, IKE_N_COOKIE);
	struct ike_proposal accepted;

	if (cookie)
		return cookie_asked(t, sa, cookie, err);
	for (size_t i = 0; i < resp->num_payloads; i++) {
		const struct ike_payload *p = &resp->payloads[i];

		if (p->type == IKE_PAYLOAD_NOTIFY &&
		    p->u.notify.type < IKE_N_FIRST_STATUS)
			return peer_error(t, sa, p, err);
	}
	sa->state = IKE_SA_STATE_FAILED;
	if (!ike_message_find(resp, IKE_PAYLOAD_SA) || !ke || !nonce)
		return ike_error_set(err, IKE_N_INVALID_SYNTAX,
				     "%s: SA, KE or Nonce missing", __func__);
	if (resp->hdr.spi_r == 0)
		return ike_error_set(err, IKE_N_INVALID_SYNTAX,
				     "%s: response without responder SPI", __func__);
	if (ike_proposal_check_response(sa->config->proposals,
					sa->config->num_proposals,
					resp->sa.proposals, resp->sa.num_proposals,
					&accepted, err) < 0 ||
	    ike_suite_from_proposal(&sa->suite, &accepted, err) < 0)
		return IKE_TASK_FAILED;
	if (sa->suite.dh != t->group || ke->u.ke.group != t->group)
		return ike_error_set(err, IKE_N_INVALID_SYNTAX,
				     "%s: KE group %u / selected group %u, we sent %u",
				     __func__, ke->u.ke.group, sa->suite.dh, t->group);

	if (ike_nat_check(resp, &sa->local, &sa->remote, &sa->nat, err) < 0)
		return IKE_TASK_FAILED;
	sa->spi_r = resp->hdr.spi_r;
	sa->proposal = accepted;
	memcpy(sa->nr, nonce->body.ptr, nonce->body.len);
	sa->nr_len = nonce->body.len;
	if (ike_sa_derive_keys(sa, ke->u.ke.data, err) < 0)
		return IKE_TASK_FAILED;
	return IKE_TASK_DONE;
}

void ike_init_task_setup(struct ike_init_task *t)
{
	memset(t, 0, sizeof(*t));
	t->task.name = "ike_init";
	t->task.exchange = IKE_EXCHANGE_SA_INIT;
	t->task.build_i = build_i;
	t->task.process_r = process_r;
	t->task.build_r = build_r;
	t->task.process_i = process_i;
}
