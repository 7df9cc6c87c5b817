// SPDX-License-Identifier: GPL-2.0
/*
 * CREATE_CHILD_SA rekeying the IKE SA (RFC 7296 §1.3.2, §2.18); see task.h.
 * Simultaneous IKE SA rekeys (§2.8.2) are resolved by the task manager,
 * which gives the peer's new SA other storage while ours is out.
 */
#include "task.h"

#include <string.h>

#include "wire.h"

static struct ike_rekey_task *to_rekey(struct ike_task *task)
{
	return (struct ike_rekey_task *)task;
}

bool ike_rekey_is_ike(const struct ike_message *req)
{
	return ike_message_find(req, IKE_PAYLOAD_SA) && req->sa.num_proposals &&
	       req->sa.proposals[0].protocol == IKE_PROTO_IKE;
}

static int nonce(struct ike_sa *sa, uint8_t *out, size_t *len, struct ike_error *err)
{
	*len = IKE_NONCE_LEN;
	return sa->deps->random(sa->deps->ctx, out, IKE_NONCE_LEN, err);
}

static int build_ke(const struct ike_sa *sa, struct ike_builder *b,
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
	struct ike_rekey_task *t = to_rekey(task);
	struct ike_proposal offer[IKE_MAX_PROPOSALS];
	struct ike_sa *n = t->new_sa;
	size_t num = sa->config->num_proposals;

	/* the new SA: our SPI, our nonce, a key exchange in the current group */
	if (ike_sa_create(n, true, sa->config, sa->deps, err) < 0 ||
	    nonce(sa, n->ni, &n->ni_len, err) < 0)
		return IKE_TASK_FAILED;
	n->dh = sa->deps->dh_create(sa->deps->ctx, sa->suite.dh, err);
	if (!n->dh)
		return IKE_TASK_FAILED;
	for (size_t i = 0; i < num; i++) {
		offer[i] = sa->config->proposals[i];
		offer[i].spi_size = 8;
		offer[i].spi = n->spi_i;
	}
	if (ike_build_sa(b, offer, num) < 0 || ike_build_nonce(b, n->ni, n->ni_len) < 0 ||
	    build_ke(n, b, err) < 0)
		return ike_error_set(err, 0, "%s: %s", __func__, b->err.text);
	return IKE_TASK_DONE;
}

static enum ike_task_status refuse(struct ike_rekey_task *t, uint16_t notify,
				   uint16_t group, struct ike_error *err)
{
	t->error = notify ? notify : IKE_N_NO_PROPOSAL_CHOSEN;
	t->error_group = group;
	if (err && !err->notify)
		err->notify = t->error;
	if (t->new_sa)
		ike_sa_destroy(t->new_sa);
	return IKE_TASK_DONE;	/* the old IKE SA goes on */
}

static int copy_nonce(const struct ike_message *msg, uint8_t *out, size_t *len,
		      struct ike_error *err)
{
	const struct ike_payload *n = ike_message_find(msg, IKE_PAYLOAD_NONCE);

	if (!n || n->body.len < 16 || n->body.len > IKE_NONCE_MAX_LEN)
		return ike_error_set(err, IKE_N_INVALID_SYNTAX, "%s: bad Nonce", __func__);
	memcpy(out, n->body.ptr, n->body.len);
	*len = n->body.len;
	return 0;
}

static enum ike_task_status process_r(struct ike_task *task, struct ike_sa *sa,
				      const struct ike_message *req,
				      struct ike_error *err)
{
	struct ike_rekey_task *t = to_rekey(task);
	const struct ike_payload *ke = ike_message_find(req, IKE_PAYLOAD_KE);
	struct ike_sa *n = t->new_sa;

	/* no storage, or our own IKE rekey is out: the peer retries later */
	if (!n)
		return refuse(t, IKE_N_TEMPORARY_FAILURE, 0, err);
	if (ike_sa_create(n, false, sa->config, sa->deps, err) < 0)
		return refuse(t, IKE_N_TEMPORARY_FAILURE, 0, err);
	if (ike_proposal_select(sa->config->proposals, sa->config->num_proposals,
				req->sa.proposals, req->sa.num_proposals,
				&t->chosen, err) < 0 ||
	    ike_suite_from_proposal(&n->suite, &t->chosen, err) < 0)
		return refuse(t, IKE_N_NO_PROPOSAL_CHOSEN, 0, err);
	if (t->chosen.spi_size != 8 || !t->chosen.spi)
		return refuse(t, IKE_N_INVALID_SYNTAX, 0, err);
	if (!ke || ke->u.ke.group != n->suite.dh)
		return refuse(t, IKE_N_INVALID_KE_PAYLOAD, n->suite.dh, err);
	n->spi_i = t->chosen.spi;
	n->proposal = t->chosen;
	n->dh = sa->deps->dh_create(sa->deps->ctx, n->suite.dh, err);
	if (!n->dh || copy_nonce(req, n->ni, &n->ni_len, err) < 0 ||
	    nonce(sa, n->nr, &n->nr_len, err) < 0 ||
	    ike_dh_public(n->dh, t->public_value, sizeof(t->public_value),
			  &t->public_len, err) < 0 ||
	    ike_sa_derive_rekeyed(n, sa, ke->u.ke.data, err) < 0)
		return refuse(t, err && err->notify ? err->notify : IKE_N_INVALID_SYNTAX,
			      0, err);
	t->chosen.spi = n->spi_r;
	return IKE_TASK_DONE;
}

static enum ike_task_status build_r(struct ike_task *task, struct ike_sa *sa,
				    struct ike_builder *b, struct ike_error *err)
{
	struct ike_rekey_task *t = to_rekey(task);
	uint8_t group[2];

	(void)sa;
	if (t->error) {
		ike_put_be16(group, t->error_group);
		ike_build_notify(b, 0, 0, 0, t->error, t->error_group ? group : NULL,
				 t->error_group ? 2 : 0);
	} else if (ike_build_sa(b, &t->chosen, 1) == 0 &&
		   ike_build_nonce(b, t->new_sa->nr, t->new_sa->nr_len) == 0) {
		ike_build_ke(b, t->new_sa->suite.dh, t->public_value, t->public_len);
	}
	return b->failed ? ike_error_set(err, 0, "%s: %s", __func__, b->err.text) :
	       IKE_TASK_DONE;
}

static enum ike_task_status process_i(struct ike_task *task, struct ike_sa *sa,
				      const struct ike_message *resp,
				      struct ike_error *err)
{
	struct ike_rekey_task *t = to_rekey(task);
	const struct ike_payload *ke = ike_message_find(resp, IKE_PAYLOAD_KE);
	struct ike_sa *n = t->new_sa;
	struct ike_proposal accepted;

	/* abandoned: the peer's own rekey won meanwhile (§2.8.2) */
	if (!n)
		return IKE_TASK_DONE;
	for (size_t i = 0; i < resp->num_payloads; i++) {
		const struct ike_payload *p = &resp->payloads[i];

		if (p->type == IKE_PAYLOAD_NOTIFY && p->u.notify.type < IKE_N_FIRST_STATUS) {
			ike_sa_destroy(n);
			ike_error_set(err, p->u.notify.type, "%s: peer refused: notify %u",
				      __func__, p->u.notify.type);
			return IKE_TASK_DONE;
		}
	}
	if (ike_proposal_check_response(sa->config->proposals, sa->config->num_proposals,
					resp->sa.proposals, resp->sa.num_proposals,
					&accepted, err) < 0 ||
	    ike_suite_from_proposal(&n->suite, &accepted, err) < 0 ||
	    accepted.spi_size != 8 || !accepted.spi || !ke ||
	    ke->u.ke.group != ike_dh_group(n->dh) ||
	    copy_nonce(resp, n->nr, &n->nr_len, err) < 0) {
		ike_sa_destroy(n);
		/* TODO: the responder made a new SA we do not take: delete it */
		ike_error_set(err, IKE_N_INVALID_SYNTAX, "%s: unusable response",
			      __func__);
		return IKE_TASK_DONE;
	}
	n->spi_r = accepted.spi;
	n->proposal = accepted;
	if (ike_sa_derive_rekeyed(n, sa, ke->u.ke.data, err) < 0) {
		ike_sa_destroy(n);
		return IKE_TASK_DONE;
	}
	return IKE_TASK_DONE;
}

void ike_rekey_task_setup(struct ike_rekey_task *t, struct ike_sa *new_sa)
{
	memset(t, 0, sizeof(*t));
	t->task.name = "ike_rekey";
	t->task.exchange = IKE_EXCHANGE_CREATE_CHILD_SA;
	t->task.build_i = build_i;
	t->task.process_r = process_r;
	t->task.build_r = build_r;
	t->task.process_i = process_i;
	t->new_sa = new_sa;
}
