// SPDX-License-Identifier: GPL-2.0
/*
 * The INFORMATIONAL exchange (RFC 7296 §1.4): liveness checks and Deletes;
 * see task.h. Status notifies inside a request are ignored, and so are
 * error notifies, but for two that say the peer lost our state: INVALID_SPI
 * naming the child we send with, and AUTHENTICATION_FAILED. Those fail the
 * IKE SA, so its owner re-establishes it.
 */
#include "task.h"

#include <string.h>

#include "wire.h"

static struct ike_info_task *to_info(struct ike_task *task)
{
	return (struct ike_info_task *)task;
}

static void all_children_remove(struct ike_sa *sa)
{
	for (size_t i = 0; i < IKE_MAX_CHILDREN; i++)
		if (sa->children[i].state != IKE_CHILD_FREE)
			ike_child_remove(sa, &sa->children[i]);
}

static enum ike_task_status build_i(struct ike_task *task, struct ike_sa *sa,
				    struct ike_builder *b, struct ike_error *err)
{
	struct ike_info_task *t = to_info(task);
	uint8_t spi[4];

	(void)sa;
	switch (t->kind) {
	case IKE_INFO_DELETE_IKE:
		ike_build_delete(b, IKE_PROTO_IKE, 0, 0, NULL);
		break;
	case IKE_INFO_DELETE_CHILD:
		ike_put_be32(spi, t->spi);
		ike_build_delete(b, IKE_PROTO_ESP, 4, 1, spi);
		break;
	case IKE_INFO_LIVENESS:
		break;
	}
	return b->failed ? ike_error_set(err, 0, "%s", b->err.text) : IKE_TASK_DONE;
}

/*
 * The peer deletes a child it rekeyed, so it has switched to the new one:
 * now our new outbound SA may go live (§2.8, the responder's side).
 */
static void successor_activate(struct ike_sa *sa, const struct ike_child_sa *old)
{
	for (size_t i = 0; i < IKE_MAX_CHILDREN; i++) {
		struct ike_child_sa *c = &sa->children[i];

		if (c->state == IKE_CHILD_STANDBY && c->replaces == old->spi_in)
			ike_child_activate(sa, c, NULL);
	}
}

/* The peer deleted the Child SAs whose outbound SPIs are in @d. */
static void peer_deleted(struct ike_info_task *t, struct ike_sa *sa,
			 const struct ike_delete_payload *d)
{
	for (size_t i = 0; i < d->num_spis; i++) {
		uint32_t spi = ike_get_be32(d->spis.ptr + 4 * i);
		struct ike_child_sa *child = ike_sa_find_child(sa, spi, false);

		/* §1.4.1: SPIs we do not know are ignored */
		if (!child)
			continue;
		if (t->num_deleted < IKE_MAX_CHILDREN)
			t->deleted[t->num_deleted++] = child->spi_in;
		successor_activate(sa, child);
		ike_child_remove(sa, child);
	}
}

/* The SPI an INVALID_SPI notify names: in its SPI field or its data (§3.10.1). */
static uint32_t notified_spi(const struct ike_notify_payload *n)
{
	if (n->spi_size == 4)
		return (uint32_t)n->spi;
	return n->data.len == 4 ? ike_get_be32(n->data.ptr) : 0;
}

/* Whether the protected notify @n says the peer lost the state of @sa. */
static bool peer_lost_state(struct ike_sa *sa, const struct ike_notify_payload *n)
{
	const struct ike_child_sa *child;

	if (n->type == IKE_N_AUTHENTICATION_FAILED)
		return true;
	if (n->type != IKE_N_INVALID_SPI)
		return false;
	child = ike_sa_find_child(sa, notified_spi(n), false);
	return child && child->state == IKE_CHILD_INSTALLED;
}

static enum ike_task_status process_r(struct ike_task *task, struct ike_sa *sa,
				      const struct ike_message *req,
				      struct ike_error *err)
{
	struct ike_info_task *t = to_info(task);

	for (size_t i = 0; i < req->num_payloads; i++) {
		const struct ike_payload *p = &req->payloads[i];

		if (p->type == IKE_PAYLOAD_NOTIFY && peer_lost_state(sa, &p->u.notify))
			return ike_error_set(err, 0, "peer reports %s: it lost our SAs",
					     p->u.notify.type == IKE_N_INVALID_SPI ?
					     "INVALID_SPI" : "AUTHENTICATION_FAILED");
		if (p->type != IKE_PAYLOAD_DELETE)
			continue;
		if (p->u.del.protocol == IKE_PROTO_IKE) {
			all_children_remove(sa);
			sa->state = IKE_SA_STATE_DELETED;
			t->num_deleted = 0;
			return IKE_TASK_DONE;
		}
		if (p->u.del.protocol == IKE_PROTO_ESP && p->u.del.spi_size == 4)
			peer_deleted(t, sa, &p->u.del);
	}
	return IKE_TASK_DONE;
}

static enum ike_task_status build_r(struct ike_task *task, struct ike_sa *sa,
				    struct ike_builder *b, struct ike_error *err)
{
	struct ike_info_task *t = to_info(task);
	uint8_t spis[4 * IKE_MAX_CHILDREN];

	(void)sa;
	if (!t->num_deleted)
		return IKE_TASK_DONE;
	for (size_t i = 0; i < t->num_deleted; i++)
		ike_put_be32(spis + 4 * i, t->deleted[i]);
	if (ike_build_delete(b, IKE_PROTO_ESP, 4, (uint16_t)t->num_deleted, spis) < 0)
		return ike_error_set(err, 0, "%s", b->err.text);
	return IKE_TASK_DONE;
}

static enum ike_task_status process_i(struct ike_task *task, struct ike_sa *sa,
				      const struct ike_message *resp,
				      struct ike_error *err)
{
	struct ike_info_task *t = to_info(task);
	struct ike_child_sa *child;

	(void)resp;
	(void)err;
	switch (t->kind) {
	case IKE_INFO_DELETE_IKE:
		all_children_remove(sa);
		sa->state = IKE_SA_STATE_DELETED;
		break;
	case IKE_INFO_DELETE_CHILD:
		/* whether or not the peer named its half: both are gone now */
		child = ike_sa_find_child(sa, t->spi, true);
		if (child)
			ike_child_remove(sa, child);
		break;
	case IKE_INFO_LIVENESS:
		break;
	}
	return IKE_TASK_DONE;
}

void ike_info_task_setup(struct ike_info_task *t, enum ike_info_kind kind,
			 uint32_t spi)
{
	memset(t, 0, sizeof(*t));
	t->task.name = "informational";
	t->task.exchange = IKE_EXCHANGE_INFORMATIONAL;
	t->task.build_i = build_i;
	t->task.process_r = process_r;
	t->task.build_r = build_r;
	t->task.process_i = process_i;
	t->kind = kind;
	t->spi = spi;
}
