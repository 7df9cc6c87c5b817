// SPDX-License-Identifier: GPL-2.0
/* Message IDs, retransmission and the order of exchanges: see manager.h. */
#include "manager.h"

#include <string.h>

#include <openssl/crypto.h>

void ike_manager_init(struct ike_manager *m, struct ike_sa *sa,
		      const struct ike_io *io, struct ike_retransmit retransmit)
{
	memset(m, 0, sizeof(*m));
	m->sa = sa;
	m->io = io;
	m->retransmit = retransmit;
}

static void cleanup(struct ike_task *task)
{
	if (task && task->cleanup)
		task->cleanup(task);
}

void ike_manager_destroy(struct ike_manager *m)
{
	cleanup(&m->rekey.task);
	cleanup(&m->rekey_r.task);
	cleanup(&m->mobike.task);
	cleanup(&m->mobike_r.task);
	ike_sa_destroy(&m->collision);
}

static enum ike_manager_status die(struct ike_manager *m, const struct ike_error *err,
				   const char *what)
{
	m->sa->state = IKE_SA_STATE_FAILED;
	if (err && err->text[0])
		m->error = *err;
	else
		ike_error_set(&m->error, 0, "%s", what);
	m->active = NULL;
	m->num_queued = 0;
	return IKE_MANAGER_DEAD;
}

/* Header then payloads, in the clear (IKE_SA_INIT) or sealed (the rest). */
static int build(struct ike_manager *m, struct ike_task *task, bool response,
		 uint32_t id, uint8_t *out, size_t *len, struct ike_error *err,
		 enum ike_task_status *status)
{
	struct ike_header hdr = ike_sa_header(m->sa, task->exchange, response, id);
	uint8_t chain_buf[IKE_MESSAGE_MAX_LEN];
	struct ike_builder b;
	int ret;

	if (task->exchange == IKE_EXCHANGE_SA_INIT) {
		ike_builder_init_message(&b, out, IKE_MESSAGE_MAX_LEN, &hdr);
		*status = response ? task->build_r(task, m->sa, &b, err) :
			  task->build_i(task, m->sa, &b, err);
		ret = ike_builder_finish(&b, len, err);
		/* a refusal keeps no state, so it names no responder SPI (§2.6) */
		if (ret == 0 && response && *status != IKE_TASK_DONE)
			memset(out + 8, 0, 8);
		return ret;
	}
	ike_builder_init_chain(&b, chain_buf, sizeof(chain_buf));
	*status = response ? task->build_r(task, m->sa, &b, err) :
		  task->build_i(task, m->sa, &b, err);
	if (*status == IKE_TASK_FAILED && !response)
		return -1;
	ret = ike_message_seal(m->sa, &hdr, &b, out, IKE_MESSAGE_MAX_LEN, len, err);
	OPENSSL_cleanse(chain_buf, sizeof(chain_buf));
	return ret;
}

static void send_request(struct ike_manager *m)
{
	/* doubling stops at 2^16 times the first wait: hours are enough */
	unsigned int shift = m->sends < 16 ? m->sends : 16;

	m->io->send(m->io->ctx, m->request, m->request_len, &m->sa->local,
		    &m->sa->remote);
	m->deadline = m->io->now(m->io->ctx) +
		      ((uint64_t)m->retransmit.timeout_ms << shift);
	m->sends++;
}

/* The cached response, back to where the request came from (§2.11). */
static void send_response(struct ike_manager *m)
{
	const struct ike_sa *sa = m->sa;

	m->io->send(m->io->ctx, m->response, m->response_len,
		    sa->msg_remote.family ? &sa->msg_local : &sa->local,
		    sa->msg_remote.family ? &sa->msg_remote : &sa->remote);
}

/* Build the active task's request (anew after a RETRY) and send it. */
static enum ike_manager_status start_active(struct ike_manager *m)
{
	enum ike_task_status st;
	struct ike_error err;

	ike_error_clear(&err);
	if (build(m, m->active, false, m->active_id, m->request, &m->request_len,
		  &err, &st) < 0 || st == IKE_TASK_FAILED)
		return die(m, &err, "building a request failed");
	if (m->active->exchange == IKE_EXCHANGE_SA_INIT &&
	    ike_sa_keep_init_message(m->sa, false, m->request, m->request_len, &err) < 0)
		return die(m, &err, "keeping IKE_SA_INIT");
	m->sends = 0;
	send_request(m);
	return IKE_MANAGER_OK;
}

/*
 * A child rekey that waited behind another exchange may find its child
 * gone or already replaced (the peer rekeyed it first, or it moved with
 * an IKE SA rekey): nothing is left to do, which is no reason to fail.
 */
static bool stale(struct ike_manager *m, const struct ike_task *task)
{
	const struct ike_child_sa *c;

	if (task != &m->rekey.task)
		return false;
	c = ike_sa_find_child(m->sa, m->rekey.old_spi, true);
	return !c || c->state != IKE_CHILD_INSTALLED;
}

/* Send the next queued request if none is out. */
static enum ike_manager_status next(struct ike_manager *m)
{
	if (m->active)
		return IKE_MANAGER_OK;
	while (!m->active && m->num_queued) {
		m->active = m->queue[0];
		memmove(m->queue, m->queue + 1,
			--m->num_queued * sizeof(m->queue[0]));
		if (stale(m, m->active)) {
			cleanup(m->active);
			m->active = NULL;
		}
	}
	if (!m->active)
		return IKE_MANAGER_OK;
	m->active_id = m->next_id++;
	return start_active(m);
}

enum ike_manager_status ike_manager_queue(struct ike_manager *m,
					  struct ike_task *task)
{
	if (m->sa->state == IKE_SA_STATE_FAILED || m->sa->state == IKE_SA_STATE_DELETED)
		return IKE_MANAGER_DEAD;
	if (m->num_queued == IKE_MANAGER_QUEUE) {
		ike_error_set(&m->error, 0, "%s: queue full, %s dropped", __func__,
			      task->name);
		return IKE_MANAGER_OK;
	}
	m->queue[m->num_queued++] = task;
	return next(m);
}

enum ike_manager_status ike_manager_initiate(struct ike_manager *m)
{
	ike_init_task_setup(&m->init);
	ike_auth_task_setup(&m->auth);
	m->queue[m->num_queued++] = &m->init.task;
	m->queue[m->num_queued++] = &m->auth.task;
	return next(m);
}

static bool busy(const struct ike_manager *m, const struct ike_task *task)
{
	if (m->active == task)
		return true;
	for (size_t i = 0; i < m->num_queued; i++)
		if (m->queue[i] == task)
			return true;
	return false;
}

/* INFORMATIONALs come from a small pool; a liveness check is queued once. */
static enum ike_manager_status queue_info(struct ike_manager *m,
					  enum ike_info_kind kind, uint32_t spi)
{
	struct ike_info_task *free_task = NULL;

	for (size_t i = 0; i < IKE_MANAGER_INFO_TASKS; i++) {
		struct ike_info_task *t = &m->info[i];

		if (!busy(m, &t->task))
			free_task = free_task ? free_task : t;
		else if (t->kind == kind && t->spi == spi)
			return IKE_MANAGER_OK;
	}
	if (!free_task) {
		ike_error_set(&m->error, 0, "%s: too many INFORMATIONALs out", __func__);
		return IKE_MANAGER_OK;
	}
	ike_info_task_setup(free_task, kind, spi);
	return ike_manager_queue(m, &free_task->task);
}

void ike_manager_set_spare(struct ike_manager *m, struct ike_sa *spare)
{
	m->spare = spare;
}

enum ike_manager_status ike_manager_rekey_ike(struct ike_manager *m)
{
	if (busy(m, &m->ike_rekey.task))
		return IKE_MANAGER_OK;
	if (!m->spare) {
		ike_error_set(&m->error, 0, "%s: no storage for a new IKE SA", __func__);
		return IKE_MANAGER_OK;
	}
	ike_rekey_task_setup(&m->ike_rekey, m->spare);
	return ike_manager_queue(m, &m->ike_rekey.task);
}

enum ike_manager_status ike_manager_rekey_child(struct ike_manager *m,
						uint32_t spi_in)
{
	if (busy(m, &m->rekey.task))
		return IKE_MANAGER_OK;
	cleanup(&m->rekey.task);
	ike_child_rekey_task_setup(&m->rekey, spi_in);
	return ike_manager_queue(m, &m->rekey.task);
}

enum ike_manager_status ike_manager_liveness(struct ike_manager *m)
{
	return queue_info(m, IKE_INFO_LIVENESS, 0);
}

enum ike_manager_status ike_manager_delete_ike(struct ike_manager *m)
{
	return queue_info(m, IKE_INFO_DELETE_IKE, 0);
}

enum ike_manager_status ike_manager_delete_child(struct ike_manager *m,
						 uint32_t spi_in)
{
	return queue_info(m, IKE_INFO_DELETE_CHILD, spi_in);
}

/* Children a rekey marked for deletion by us get their Delete queued. */
static enum ike_manager_status queue_deletes(struct ike_manager *m)
{
	enum ike_manager_status st = IKE_MANAGER_OK;

	for (size_t i = 0; i < IKE_MAX_CHILDREN && st == IKE_MANAGER_OK; i++) {
		struct ike_child_sa *c = &m->sa->children[i];

		if (c->state == IKE_CHILD_FREE || !c->delete_by_us || c->delete_queued)
			continue;
		c->delete_queued = true;
		st = queue_info(m, IKE_INFO_DELETE_CHILD, c->spi_in);
	}
	return st;
}

/* The spare is the successor; if we made it, the old SA is ours to delete. */
static enum ike_manager_status succeeded(struct ike_manager *m, bool ours)
{
	m->successor = m->spare;
	m->spare = NULL;
	if (ours && queue_info(m, IKE_INFO_DELETE_IKE, 0) == IKE_MANAGER_DEAD)
		return IKE_MANAGER_DEAD;
	return IKE_MANAGER_REKEYED;
}

/* Whatever Child SAs @from has go over to @to. */
static void take_children(struct ike_sa *to, struct ike_sa *from)
{
	for (size_t i = 0; i < IKE_MAX_CHILDREN; i++) {
		if (from->children[i].state == IKE_CHILD_FREE)
			continue;
		memcpy(to->children, from->children, sizeof(to->children));
		memset(from->children, 0, sizeof(from->children));
		return;
	}
}

/*
 * Send the Delete of our redundant IKE SA @sa once, under its own keys
 * (its first request, message 0). The peer knows the SA is redundant as
 * well as we do, and drops it without waiting for this.
 */
static void send_delete(struct ike_manager *m, struct ike_sa *sa)
{
	struct ike_header hdr = ike_sa_header(sa, IKE_EXCHANGE_INFORMATIONAL, false, 0);
	uint8_t chain[64], out[256];
	struct ike_builder b;
	struct ike_error err;
	size_t len;

	ike_builder_init_chain(&b, chain, sizeof(chain));
	if (ike_build_delete(&b, IKE_PROTO_IKE, 0, 0, NULL) == 0 &&
	    ike_message_seal(sa, &hdr, &b, out, sizeof(out), &len, &err) == 0)
		m->io->send(m->io->ctx, out, len, &sa->local, &sa->remote);
}

/* The peer's new SA from m->collision into the spare, as the successor. */
static void adopt_collision(struct ike_manager *m)
{
	ike_sa_destroy(m->spare);
	*m->spare = m->collision;
	OPENSSL_cleanse(&m->collision, sizeof(m->collision));
	m->collision_pending = false;
}

/*
 * §2.8.2: our IKE rekey is answered while the peer's, which crossed it,
 * made m->collision. The exchange with the lowest of the four nonces made
 * the redundant SA: its maker deletes it; the maker of the other deletes
 * the old SA. The survivor takes the children (the SA derived first got
 * them) and is the successor, the same one at both ends.
 */
static enum ike_manager_status resolve(struct ike_manager *m)
{
	struct ike_sa *mine = m->spare, *theirs = &m->collision;
	bool mine_up = mine->state == IKE_SA_STATE_ESTABLISHED;
	struct ike_chunk low_mine = ike_nonce_lower(ike_chunk(mine->ni, mine->ni_len),
						    ike_chunk(mine->nr, mine->nr_len));
	struct ike_chunk low_theirs = ike_nonce_lower(ike_chunk(theirs->ni, theirs->ni_len),
						      ike_chunk(theirs->nr, theirs->nr_len));

	if (mine_up && ike_nonce_cmp(low_theirs.ptr, low_theirs.len,
				     low_mine.ptr, low_mine.len) < 0) {
		take_children(mine, theirs);
		ike_sa_destroy(theirs);
		OPENSSL_cleanse(theirs, sizeof(*theirs));
		m->collision_pending = false;
		return succeeded(m, true);
	}
	if (mine_up) {
		take_children(theirs, mine);
		send_delete(m, mine);
	}
	adopt_collision(m);
	return succeeded(m, false);
}

/*
 * An IKE SA rekey of @task went through: the spare is the successor now,
 * and if we initiated it, the old SA is ours to delete (§1.3.2).
 */
static enum ike_manager_status rekeyed(struct ike_manager *m, struct ike_task *task)
{
	struct ike_rekey_task *t = (struct ike_rekey_task *)task;

	if (task != &m->ike_rekey.task && task != &m->ike_rekey_r.task)
		return IKE_MANAGER_OK;
	if (t->new_sa && t->new_sa == &m->collision) {
		/* the peer's crossed ours: decided once ours is answered */
		m->collision_pending = m->collision.state == IKE_SA_STATE_ESTABLISHED;
		return IKE_MANAGER_OK;
	}
	if (task == &m->ike_rekey.task && m->collision_pending)
		return resolve(m);
	if (!t->new_sa || t->new_sa->state != IKE_SA_STATE_ESTABLISHED)
		return IKE_MANAGER_OK;
	return succeeded(m, task == &m->ike_rekey.task);
}

/*
 * Queue a MOBIKE exchange ahead of the others: the peer must learn where
 * we are before anything else can reach it. One is out or queued at a
 * time; an update asked for while an address list waits takes its place.
 */
static enum ike_manager_status queue_mobike(struct ike_manager *m,
					    enum ike_mobike_kind kind)
{
	if (m->sa->state == IKE_SA_STATE_FAILED || m->sa->state == IKE_SA_STATE_DELETED)
		return IKE_MANAGER_DEAD;
	if (m->active != &m->mobike.task) {
		for (size_t i = 0; i < m->num_queued; i++) {
			if (m->queue[i] != &m->mobike.task)
				continue;
			if (kind == IKE_MOBIKE_UPDATE)
				m->mobike.kind = kind;
			return IKE_MANAGER_OK;
		}
	}
	if (m->num_queued == IKE_MANAGER_QUEUE) {
		ike_error_set(&m->error, 0, "%s: queue full, MOBIKE dropped", __func__);
		return IKE_MANAGER_OK;
	}
	/* the one out keeps its storage until answered: this one follows it */
	if (m->active == &m->mobike.task) {
		if (!m->mobike_again || kind == IKE_MOBIKE_UPDATE)
			m->mobike_again_kind = kind;
		m->mobike_again = true;
		return IKE_MANAGER_OK;
	}
	ike_mobike_task_setup(&m->mobike, kind);
	memmove(m->queue + 1, m->queue, m->num_queued * sizeof(m->queue[0]));
	m->queue[0] = &m->mobike.task;
	m->num_queued++;
	return next(m);
}

/* After @task's exchange, either way: what is next. */
static enum ike_manager_status after(struct ike_manager *m, struct ike_task *task)
{
	enum ike_manager_status st;

	if (m->sa->state == IKE_SA_STATE_DELETED && m->collision_pending && m->spare) {
		/*
		 * §2.8.2: the peer deleted the old SA before answering our
		 * rekey, so its own rekey won: ours is abandoned, its answer
		 * ignored.
		 */
		m->ike_rekey.new_sa = NULL;
		adopt_collision(m);
		return succeeded(m, false);
	}
	if (m->sa->state == IKE_SA_STATE_DELETED)
		return IKE_MANAGER_CLOSED;
	if (m->sa->state == IKE_SA_STATE_FAILED)
		return die(m, NULL, "the exchange failed");
	if (queue_deletes(m) != IKE_MANAGER_OK)
		return IKE_MANAGER_DEAD;
	st = rekeyed(m, task);
	if (st != IKE_MANAGER_OK)
		return st;
	if (task == &m->mobike.task) {
		/* moved again while the update was out: announce where to now */
		bool moved = m->mobike.kind == IKE_MOBIKE_UPDATE &&
			     (!ike_endpoint_equal(&m->sa->local, &m->mobike.local) ||
			      !ike_endpoint_equal(&m->sa->remote, &m->mobike.remote));

		if (moved || m->mobike_again) {
			enum ike_mobike_kind kind = moved ? IKE_MOBIKE_UPDATE :
						    m->mobike_again_kind;

			m->mobike_again = false;
			return queue_mobike(m, kind);
		}
	}
	return next(m);
}

/*
 * Parse, and decrypt what is encrypted; false: drop it, unless @answer says
 * the failure is worth an error response (in @err->notify): the message
 * passed its integrity check, or is an IKE_SA_INIT request (§2.21).
 */
static bool open_message(struct ike_manager *m, struct ike_message *msg,
			 const uint8_t *buf, size_t len, uint8_t *plain,
			 bool *answer, struct ike_error *err)
{
	uint8_t exchange = len > 18 ? buf[18] : 0;

	*answer = false;
	/* only IKE_SA_INIT is in the clear, and only before keys exist */
	if (m->sa->state == IKE_SA_STATE_CREATED) {
		if (exchange != IKE_EXCHANGE_SA_INIT)
			return false;
		if (ike_message_parse(msg, buf, len, err) == 0)
			return true;
		*answer = true;
		return false;
	}
	if (exchange == IKE_EXCHANGE_SA_INIT)
		return false;
	return ike_message_open(m->sa, msg, buf, len, plain, IKE_MESSAGE_MAX_LEN,
				answer, err) == 0;
}

/*
 * Answer request @hdr with the error Notify of @err alone, such as
 * UNSUPPORTED_CRITICAL_PAYLOAD naming the payload (§2.5), and count the
 * request as done: its retransmissions get the same answer.
 */
static enum ike_manager_status answer_error(struct ike_manager *m,
					    const struct ike_header *hdr,
					    const struct ike_error *err)
{
	struct ike_header rh = ike_sa_header(m->sa, hdr->exchange, true,
					     hdr->message_id);
	uint8_t chain_buf[64], data = err->notify_data;
	bool with_data = err->notify == IKE_N_UNSUPPORTED_CRITICAL_PAYLOAD;
	struct ike_builder b;
	struct ike_error e;
	int ret;

	if (hdr->exchange == IKE_EXCHANGE_SA_INIT) {
		/* no state for a request we cannot read: no responder SPI either */
		rh.spi_r = 0;
		ike_builder_init_message(&b, m->response, sizeof(m->response), &rh);
		ike_build_notify(&b, 0, 0, 0, err->notify, with_data ? &data : NULL,
				 with_data);
		ret = ike_builder_finish(&b, &m->response_len, &e);
	} else {
		ike_builder_init_chain(&b, chain_buf, sizeof(chain_buf));
		ike_build_notify(&b, 0, 0, 0, err->notify, with_data ? &data : NULL,
				 with_data);
		ret = ike_message_seal(m->sa, &rh, &b, m->response, sizeof(m->response),
				       &m->response_len, &e);
	}
	if (ret < 0)
		return IKE_MANAGER_OK;
	send_response(m);
	if (hdr->exchange == IKE_EXCHANGE_SA_INIT)
		return die(m, err, "refused an unreadable IKE_SA_INIT");
	m->have_response = true;
	m->peer_next_id = hdr->message_id + 1;
	return IKE_MANAGER_OK;
}

/*
 * An authentic message came from msg_remote to msg_local: the IKE_AUTH
 * request makes them the SA's addresses (the peer may have moved to the
 * NAT-T port); later, without MOBIKE, every message does (§2.23). With
 * MOBIKE only an UPDATE_SA_ADDRESSES moves them (RFC 4555 §3.5).
 */
static void follow(struct ike_manager *m, uint8_t exchange)
{
	struct ike_sa *sa = m->sa;

	if (!sa->msg_remote.family || exchange == IKE_EXCHANGE_SA_INIT)
		return;
	if (exchange != IKE_EXCHANGE_AUTH && sa->mobike.enabled)
		return;
	sa->remote = sa->msg_remote;
	if (sa->msg_local.family)
		sa->local = sa->msg_local;
}

static enum ike_manager_status response(struct ike_manager *m,
					const uint8_t *buf, size_t len,
					const struct ike_header *hdr)
{
	struct ike_message msg;
	uint8_t plain[IKE_MESSAGE_MAX_LEN];
	enum ike_task_status st;
	struct ike_task *task;
	struct ike_error err;
	bool answer;

	ike_error_clear(&err);
	/* §2.3: a response to nothing we have out is dropped */
	if (!m->active || hdr->message_id != m->active_id ||
	    hdr->exchange != m->active->exchange ||
	    !open_message(m, &msg, buf, len, plain, &answer, &err))
		return IKE_MANAGER_OK;	/* responses are never answered */
	m->last_valid = m->io->now(m->io->ctx);
	follow(m, hdr->exchange);
	st = m->active->process_i(m->active, m->sa, &msg, &err);
	OPENSSL_cleanse(plain, sizeof(plain));
	if (st == IKE_TASK_FAILED)
		return die(m, &err, "processing a response failed");
	if (st == IKE_TASK_RETRY) {
		/* only IKE_SA_INIT is sent again as message 0 (§2.6, §1.2) */
		if (m->active->exchange != IKE_EXCHANGE_SA_INIT)
			m->active_id = m->next_id++;
		if (stale(m, m->active)) {
			cleanup(m->active);
			m->active = NULL;
			return next(m);
		}
		return start_active(m);
	}
	if (m->active->exchange == IKE_EXCHANGE_SA_INIT &&
	    ike_sa_keep_init_message(m->sa, true, buf, len, &err) < 0)
		return die(m, &err, "keeping IKE_SA_INIT");
	if (err.text[0])
		m->error = err;		/* e.g. a refused child: worth a log line */
	task = m->active;
	cleanup(task);
	m->active = NULL;
	return after(m, task);
}

/*
 * Where the peer's new IKE SA goes: the spare, or while our own IKE rekey
 * is out, m->collision (§2.8.2); NULL (TEMPORARY_FAILURE) once we have
 * rekeyed, or for a third one. Ours, when only queued, is dropped: the
 * peer's does the job.
 */
static struct ike_sa *rekey_storage(struct ike_manager *m)
{
	if (m->active == &m->ike_rekey.task)
		return m->collision_pending || !m->spare ? NULL : &m->collision;
	for (size_t i = 0; i < m->num_queued; i++) {
		if (m->queue[i] != &m->ike_rekey.task)
			continue;
		memmove(m->queue + i, m->queue + i + 1,
			(--m->num_queued - i) * sizeof(m->queue[0]));
		break;
	}
	return m->spare;
}

/* The task that answers the request @req, set up afresh. */
static struct ike_task *responder_task(struct ike_manager *m,
				       const struct ike_message *req)
{
	switch (req->hdr.exchange) {
	case IKE_EXCHANGE_SA_INIT:
		ike_init_task_setup(&m->init_r);
		return &m->init_r.task;
	case IKE_EXCHANGE_AUTH:
		ike_auth_task_setup(&m->auth_r);
		return &m->auth_r.task;
	case IKE_EXCHANGE_INFORMATIONAL:
		if (ike_mobike_is_request(req)) {
			cleanup(&m->mobike_r.task);
			ike_mobike_task_setup(&m->mobike_r, IKE_MOBIKE_UPDATE);
			return &m->mobike_r.task;
		}
		ike_info_task_setup(&m->info_r, IKE_INFO_LIVENESS, 0);
		return &m->info_r.task;
	case IKE_EXCHANGE_CREATE_CHILD_SA:
		if (ike_rekey_is_ike(req)) {
			ike_rekey_task_setup(&m->ike_rekey_r, rekey_storage(m));
			return &m->ike_rekey_r.task;
		}
		cleanup(&m->rekey_r.task);
		ike_child_rekey_task_setup(&m->rekey_r, 0);
		return &m->rekey_r.task;
	default:
		return NULL;
	}
}

/* Whether @exchange may come now (IKE_SA_INIT first, then IKE_AUTH). */
static bool in_order(const struct ike_sa *sa, uint8_t exchange)
{
	switch (sa->state) {
	case IKE_SA_STATE_CREATED:
		return exchange == IKE_EXCHANGE_SA_INIT;
	case IKE_SA_STATE_KEYED:
		return exchange == IKE_EXCHANGE_AUTH;
	case IKE_SA_STATE_ESTABLISHED:
		return exchange != IKE_EXCHANGE_SA_INIT && exchange != IKE_EXCHANGE_AUTH;
	default:
		return false;
	}
}

/*
 * RFC 4555 §3.6: the responder told us its addresses from a new one,
 * its old one gone. Where the SAs go is ours to decide, as the original
 * initiator: there, by an update of our own.
 */
static enum ike_manager_status peer_moved(struct ike_manager *m, struct ike_task *task,
					  enum ike_manager_status st)
{
	struct ike_sa *sa = m->sa;
	struct ike_endpoint local = sa->msg_local, remote = sa->msg_remote;

	if (st != IKE_MANAGER_OK || task != &m->mobike_r.task ||
	    !ike_manager_can_move(m) || !remote.family ||
	    ike_endpoint_equal(&remote, &sa->remote))
		return st;
	return ike_manager_move(m, local.family ? &local : &sa->local, &remote);
}

static enum ike_manager_status request(struct ike_manager *m,
				       const uint8_t *buf, size_t len,
				       const struct ike_header *hdr)
{
	struct ike_message msg;
	uint8_t plain[IKE_MESSAGE_MAX_LEN];
	enum ike_task_status st, st_r;
	struct ike_task *task;
	struct ike_error err;
	bool answer;
	int ret;

	/* §2.1: a retransmitted request gets the same response again */
	if (m->have_response && hdr->message_id + 1 == m->peer_next_id) {
		send_response(m);
		return IKE_MANAGER_OK;
	}
	ike_error_clear(&err);
	if (hdr->message_id != m->peer_next_id || !in_order(m->sa, hdr->exchange))
		return IKE_MANAGER_OK;
	if (!open_message(m, &msg, buf, len, plain, &answer, &err)) {
		OPENSSL_cleanse(plain, sizeof(plain));
		return answer && err.notify ? answer_error(m, hdr, &err) : IKE_MANAGER_OK;
	}
	m->last_valid = m->io->now(m->io->ctx);
	follow(m, hdr->exchange);
	task = responder_task(m, &msg);
	if (!task)
		return IKE_MANAGER_OK;	/* TODO: answer unknown exchanges with INVALID_SYNTAX */
	if (hdr->exchange == IKE_EXCHANGE_SA_INIT &&
	    ike_sa_keep_init_message(m->sa, false, buf, len, &err) < 0)
		return die(m, &err, "keeping IKE_SA_INIT");
	st = task->process_r(task, m->sa, &msg, &err);
	OPENSSL_cleanse(plain, sizeof(plain));
	/* also what was refused with the IKE SA staying, e.g. its first child */
	if (st == IKE_TASK_FAILED || err.text[0])
		m->error = err;
	ret = build(m, task, true, hdr->message_id, m->response, &m->response_len,
		    &err, &st_r);
	if (ret < 0)
		return die(m, &err, "building a response failed");
	cleanup(task);
	send_response(m);
	m->have_response = true;
	m->peer_next_id = hdr->message_id + 1;
	if (st != IKE_TASK_FAILED && hdr->exchange == IKE_EXCHANGE_SA_INIT &&
	    ike_sa_keep_init_message(m->sa, true, m->response, m->response_len, &err) < 0)
		return die(m, &err, "keeping IKE_SA_INIT");
	if (st == IKE_TASK_FAILED)
		return die(m, &m->error, "refused the peer's request");
	return peer_moved(m, task, after(m, task));
}

enum ike_manager_status ike_manager_receive(struct ike_manager *m,
					    const uint8_t *buf, size_t len)
{
	struct ike_header hdr;

	if (m->sa->state == IKE_SA_STATE_FAILED)
		return IKE_MANAGER_DEAD;
	if (ike_header_parse(&hdr, buf, len, NULL) < 0)
		return IKE_MANAGER_OK;
	if (hdr.flags & IKE_FLAG_RESPONSE)
		return response(m, buf, len, &hdr);
	return request(m, buf, len, &hdr);
}

enum ike_manager_status ike_manager_receive_from(struct ike_manager *m,
						 const uint8_t *buf, size_t len,
						 const struct ike_endpoint *local,
						 const struct ike_endpoint *remote)
{
	enum ike_manager_status st;

	memset(&m->sa->msg_local, 0, sizeof(m->sa->msg_local));
	memset(&m->sa->msg_remote, 0, sizeof(m->sa->msg_remote));
	if (local)
		m->sa->msg_local = *local;
	if (remote)
		m->sa->msg_remote = *remote;
	st = ike_manager_receive(m, buf, len);
	/* a later call without addresses must not reuse these */
	memset(&m->sa->msg_local, 0, sizeof(m->sa->msg_local));
	memset(&m->sa->msg_remote, 0, sizeof(m->sa->msg_remote));
	return st;
}

bool ike_manager_can_move(const struct ike_manager *m)
{
	return m->sa->state == IKE_SA_STATE_ESTABLISHED && m->sa->mobike.enabled &&
	       m->sa->original_initiator;
}

enum ike_manager_status ike_manager_move(struct ike_manager *m,
					 const struct ike_endpoint *local,
					 const struct ike_endpoint *remote)
{
	if (m->sa->state == IKE_SA_STATE_FAILED || m->sa->state == IKE_SA_STATE_DELETED)
		return IKE_MANAGER_DEAD;
	m->sa->local = *local;
	m->sa->remote = *remote;
	if (m->active) {
		/* the request out may never have got through: again, there */
		m->sends = 0;
		send_request(m);
	}
	if (!ike_manager_can_move(m))
		return IKE_MANAGER_OK;
	return queue_mobike(m, IKE_MOBIKE_UPDATE);
}

enum ike_manager_status ike_manager_addresses(struct ike_manager *m)
{
	if (m->sa->state != IKE_SA_STATE_ESTABLISHED || !m->sa->mobike.enabled)
		return IKE_MANAGER_OK;
	return queue_mobike(m, IKE_MOBIKE_ADDRESSES);
}

unsigned int ike_manager_sends(const struct ike_manager *m)
{
	return m->active ? m->sends : 0;
}

enum ike_manager_status ike_manager_tick(struct ike_manager *m)
{
	if (!m->active || m->io->now(m->io->ctx) < m->deadline)
		return IKE_MANAGER_OK;
	if (m->sends > m->retransmit.retries) {
		m->timed_out = true;
		return die(m, NULL, "peer did not answer: given up");
	}
	send_request(m);
	return IKE_MANAGER_OK;
}

uint64_t ike_manager_deadline(const struct ike_manager *m)
{
	return m->active ? m->deadline : UINT64_MAX;
}

bool ike_manager_idle(const struct ike_manager *m)
{
	return !m->active && !m->num_queued;
}
