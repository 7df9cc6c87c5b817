// SPDX-License-Identifier: GPL-2.0
/*
 * The MOBIKE INFORMATIONAL (RFC 4555): UPDATE_SA_ADDRESSES with its NAT
 * detection and COOKIE2, and address lists; see task.h.
 */
#include "task.h"

#include <string.h>

#include <openssl/crypto.h>

#include "kernel.h"

static struct ike_mobike_task *to_mobike(struct ike_task *task)
{
	return (struct ike_mobike_task *)task;
}

/* ESP of the SA's peer follows the IKE SA to @local and @remote. */
static int move_esp(struct ike_sa *sa, const struct ike_endpoint *local,
		    const struct ike_endpoint *remote, struct ike_error *err)
{
	const struct ike_kernel *k = sa->deps->kernel;

	if (!k || !k->path_set || !remote->family)
		return 0;
	return k->path_set(k->ctx, sa->config->peer_id, local, remote, err);
}

static int our_addresses(struct ike_sa *sa, struct ike_builder *b, struct ike_error *err)
{
	return ike_mobike_build_addresses(b, sa->config->local_addrs,
					  sa->config->num_local_addrs, &sa->local, err);
}

static enum ike_task_status build_i(struct ike_task *task, struct ike_sa *sa,
				    struct ike_builder *b, struct ike_error *err)
{
	struct ike_mobike_task *t = to_mobike(task);

	t->local = sa->local;
	t->remote = sa->remote;
	if (t->kind == IKE_MOBIKE_UPDATE) {
		ike_build_notify(b, 0, 0, 0, IKE_N_UPDATE_SA_ADDRESSES, NULL, 0);
		/* §3.5: NAT detection for the addresses the update travels */
		if (ike_nat_build(b, sa->spi_i, sa->spi_r, &sa->local, &sa->remote, err) < 0)
			return IKE_TASK_FAILED;
		t->cookie2_len = IKE_COOKIE2_LEN;
		if (sa->deps->random(sa->deps->ctx, t->cookie2, t->cookie2_len, err) < 0)
			return IKE_TASK_FAILED;
		ike_build_notify(b, 0, 0, 0, IKE_N_COOKIE2, t->cookie2, t->cookie2_len);
	}
	if (our_addresses(sa, b, err) < 0)
		return IKE_TASK_FAILED;
	return IKE_TASK_DONE;
}

/* The COOKIE2 of @msg into @t (§3.7: 8 to 64 bytes); 0 when there is none. */
static int take_cookie2(struct ike_mobike_task *t, const struct ike_message *msg,
			struct ike_error *err)
{
	const struct ike_payload *p = ike_message_find_notify(msg, IKE_N_COOKIE2);

	t->cookie2_len = 0;
	if (!p)
		return 0;
	if (p->u.notify.data.len < IKE_COOKIE2_MIN_LEN ||
	    p->u.notify.data.len > IKE_COOKIE2_MAX_LEN)
		return ike_error_set(err, IKE_N_INVALID_SYNTAX,
				     "%s: malformed COOKIE2 (got %zu bytes, need 8 to 64)",
				     __func__, p->u.notify.data.len);
	t->cookie2_len = p->u.notify.data.len;
	memcpy(t->cookie2, p->u.notify.data.ptr, t->cookie2_len);
	return 0;
}

static enum ike_task_status process_r(struct ike_task *task, struct ike_sa *sa,
				      const struct ike_message *req,
				      struct ike_error *err)
{
	struct ike_mobike_task *t = to_mobike(task);
	struct ike_error move_err;

	if (!sa->mobike.enabled)
		return IKE_TASK_DONE;	/* not negotiated: the notifies mean nothing */
	if (take_cookie2(t, req, err) < 0 ||
	    ike_mobike_parse_addresses(req, &sa->mobike, err) < 0) {
		/* answered with no COOKIE2: the initiator drops the SA */
		t->cookie2_len = 0;
		return IKE_TASK_DONE;
	}
	/* only the original initiator moves the SA (§3.1) */
	if (!ike_message_find_notify(req, IKE_N_UPDATE_SA_ADDRESSES) ||
	    sa->original_initiator)
		return IKE_TASK_DONE;
	if (ike_nat_check(req, &sa->msg_local, &sa->msg_remote, &sa->nat, err) < 0)
		return IKE_TASK_DONE;
	t->update = true;
	if (sa->msg_remote.family) {
		sa->local = sa->msg_local;
		sa->remote = sa->msg_remote;
	}
	ike_error_clear(&move_err);
	/* the IKE SA has moved either way; the module may catch up later */
	if (move_esp(sa, &sa->local, &sa->remote, &move_err) < 0)
		*err = move_err;
	return IKE_TASK_DONE;
}

static enum ike_task_status build_r(struct ike_task *task, struct ike_sa *sa,
				    struct ike_builder *b, struct ike_error *err)
{
	struct ike_mobike_task *t = to_mobike(task);

	if (t->update &&
	    ike_nat_build(b, sa->spi_i, sa->spi_r, &sa->local, &sa->remote, err) < 0)
		return IKE_TASK_FAILED;
	if (t->cookie2_len)
		ike_build_notify(b, 0, 0, 0, IKE_N_COOKIE2, t->cookie2, t->cookie2_len);
	OPENSSL_cleanse(t->cookie2, sizeof(t->cookie2));
	return b->failed ? ike_error_set(err, 0, "%s", b->err.text) : IKE_TASK_DONE;
}

static enum ike_task_status process_i(struct ike_task *task, struct ike_sa *sa,
				      const struct ike_message *resp,
				      struct ike_error *err)
{
	struct ike_mobike_task *t = to_mobike(task);
	const struct ike_payload *c = ike_message_find_notify(resp, IKE_N_COOKIE2);
	const struct ike_endpoint *local = sa->msg_local.family ? &sa->msg_local : &t->local;
	const struct ike_endpoint *remote = sa->msg_remote.family ? &sa->msg_remote :
					    &t->remote;

	if (t->cookie2_len &&
	    (!c || c->u.notify.data.len != t->cookie2_len ||
	     CRYPTO_memcmp(c->u.notify.data.ptr, t->cookie2, t->cookie2_len))) {
		/* §3.7: not the answer to our update, or a peer that lost it */
		sa->state = IKE_SA_STATE_FAILED;
		return ike_error_set(err, 0, "%s: COOKIE2 %s in the answer to "
				     "UPDATE_SA_ADDRESSES", __func__,
				     c ? "mismatch" : "missing");
	}
	if (ike_mobike_parse_addresses(resp, &sa->mobike, err) < 0)
		return IKE_TASK_FAILED;
	if (t->kind != IKE_MOBIKE_UPDATE)
		return IKE_TASK_DONE;
	if (ike_nat_check(resp, local, remote, &sa->nat, err) < 0)
		return IKE_TASK_FAILED;
	/* moved again while this was out: the next update carries ESP there */
	if (!ike_endpoint_equal(&sa->local, &t->local) ||
	    !ike_endpoint_equal(&sa->remote, &t->remote))
		return IKE_TASK_DONE;
	if (move_esp(sa, &sa->local, &sa->remote, err) < 0)
		return IKE_TASK_DONE;	/* worth a log line; the IKE SA stands */
	return IKE_TASK_DONE;
}

static void cleanup(struct ike_task *task)
{
	OPENSSL_cleanse(to_mobike(task)->cookie2, sizeof(to_mobike(task)->cookie2));
}

void ike_mobike_task_setup(struct ike_mobike_task *t, enum ike_mobike_kind kind)
{
	memset(t, 0, sizeof(*t));
	t->task.name = kind == IKE_MOBIKE_UPDATE ? "update_sa_addresses" : "mobike_addresses";
	t->task.exchange = IKE_EXCHANGE_INFORMATIONAL;
	t->task.build_i = build_i;
	t->task.process_r = process_r;
	t->task.build_r = build_r;
	t->task.process_i = process_i;
	t->task.cleanup = cleanup;
	t->kind = kind;
}

bool ike_mobike_is_request(const struct ike_message *req)
{
	static const uint16_t types[] = {
		IKE_N_UPDATE_SA_ADDRESSES, IKE_N_COOKIE2, IKE_N_ADDITIONAL_IP4_ADDRESS,
		IKE_N_ADDITIONAL_IP6_ADDRESS, IKE_N_NO_ADDITIONAL_ADDRESSES,
	};

	for (size_t i = 0; i < sizeof(types) / sizeof(types[0]); i++)
		if (ike_message_find_notify(req, types[i]))
			return true;
	return false;
}
