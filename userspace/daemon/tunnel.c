// SPDX-License-Identifier: GPL-2.0
/* A tunnel at run time: see tunnel.h. */
#include "tunnel.h"

#include <netinet/in.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <syslog.h>

#include <linux/vesp.h>

#include "ike/child_negotiate.h"
#include "ike/wire.h"

static uint64_t now(const struct vespd_tunnel_run *t)
{
	return t->env->now(t->env->ctx);
}

static void say(const struct vespd_tunnel_run *t, int level, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));

static void say(const struct vespd_tunnel_run *t, int level, const char *fmt, ...)
{
	char text[256];
	va_list ap;

	if (!t->env->log)
		return;
	va_start(ap, fmt);
	vsnprintf(text, sizeof(text), fmt, ap);
	va_end(ap);
	t->env->log(t->env->ctx, level, t->conf->name, text);
}

static uint64_t io_now(void *ctx)
{
	return now(ctx);
}

/* @ep as a socket address; false when it is unknown. */
static bool to_sockaddr(const struct ike_endpoint *ep, struct sockaddr_storage *ss)
{
	struct sockaddr_in6 *s6 = (struct sockaddr_in6 *)ss;
	struct sockaddr_in *s4 = (struct sockaddr_in *)ss;

	memset(ss, 0, sizeof(*ss));
	if (ep->family == AF_INET) {
		s4->sin_family = AF_INET;
		memcpy(&s4->sin_addr, ep->addr, 4);
		s4->sin_port = htons(ep->port);
	} else if (ep->family == AF_INET6) {
		s6->sin6_family = AF_INET6;
		memcpy(&s6->sin6_addr, ep->addr, 16);
		s6->sin6_port = htons(ep->port);
	}
	return ep->family != 0;
}

static int io_send(void *ctx, const uint8_t *buf, size_t len,
		   const struct ike_endpoint *local, const struct ike_endpoint *remote)
{
	struct vespd_tunnel_run *t = ctx;
	struct sockaddr_storage from, to;
	bool have_from = to_sockaddr(local, &from);

	if (!to_sockaddr(remote, &to))
		to = t->peer;
	return t->env->send(t->env->ctx, have_from ? &from : NULL, &to, buf, len);
}

int vespd_tunnel_run_init(struct vespd_tunnel_run *t, const struct vespd_tunnel *conf,
			  const struct vespd_tunnel_env *env)
{
	memset(t, 0, sizeof(*t));
	t->conf = conf;
	t->env = env;
	t->peer = conf->paths[0].remote;
	t->io = (struct ike_io){ io_now, io_send, t };
	t->backoff_ms = 1000;
	/* each end its own jitter, so the two rarely rekey at the same moment */
	return env->deps.random(env->deps.ctx, &t->jitter, 1, NULL);
}

/* Free an IKE SA and its manager; with @children, its Child SAs leave the kernel. */
static void sa_free(struct ike_sa **sa, struct ike_manager **m, bool children)
{
	if (!*sa)
		return;
	for (size_t i = 0; children && i < IKE_MAX_CHILDREN; i++)
		if ((*sa)->children[i].state != IKE_CHILD_FREE)
			ike_child_remove(*sa, &(*sa)->children[i]);
	ike_manager_destroy(*m);
	ike_sa_destroy(*sa);
	free(*m);
	free(*sa);
	*sa = NULL;
	*m = NULL;
}

static void spare_free(struct vespd_tunnel_run *t)
{
	if (t->spare)
		ike_sa_destroy(t->spare);
	free(t->spare);
	t->spare = NULL;
}

/* @ss as NAT detection hashes it; unknown for a wildcard address. */
static struct ike_endpoint endpoint(const struct sockaddr_storage *ss)
{
	const struct sockaddr_in6 *s6 = (const struct sockaddr_in6 *)ss;
	const struct sockaddr_in *s4 = (const struct sockaddr_in *)ss;
	struct ike_endpoint ep = { 0 };

	if (ss->ss_family == AF_INET && s4->sin_addr.s_addr != htonl(INADDR_ANY)) {
		ep.family = AF_INET;
		memcpy(ep.addr, &s4->sin_addr, 4);
		ep.port = ntohs(s4->sin_port);
	} else if (ss->ss_family == AF_INET6 &&
		   !IN6_IS_ADDR_UNSPECIFIED(&s6->sin6_addr)) {
		ep.family = AF_INET6;
		memcpy(ep.addr, &s6->sin6_addr, 16);
		ep.port = ntohs(s6->sin6_port);
	}
	return ep;
}

/* 1 s, doubling, conf->retransmit_tries times before the peer is given up. */
static struct ike_retransmit retransmit(const struct vespd_tunnel_run *t)
{
	return (struct ike_retransmit){ IKE_RETRANSMIT_DEFAULT.timeout_ms,
					t->conf->retransmit_tries };
}

/* A fresh IKE SA with its manager and a spare for its rekey. */
static int sa_new(struct vespd_tunnel_run *t, bool initiator, struct ike_sa **sa,
		  struct ike_manager **m)
{
	struct ike_error err;

	*sa = calloc(1, sizeof(**sa));
	*m = calloc(1, sizeof(**m));
	if (!t->spare)
		t->spare = calloc(1, sizeof(*t->spare));
	if (!*sa || !*m || !t->spare ||
	    ike_sa_create(*sa, initiator, &t->conf->ike, &t->env->deps, &err) < 0) {
		free(*sa);
		free(*m);
		*sa = NULL;
		*m = NULL;
		say(t, LOG_ERR, "cannot create an IKE SA");
		return -1;
	}
	(*sa)->local = endpoint(&t->conf->paths[t->path].local);
	(*sa)->remote = endpoint(&t->conf->paths[t->path].remote);
	ike_manager_init(*m, *sa, &t->io, retransmit(t));
	ike_manager_set_spare(*m, t->spare);
	return 0;
}

void vespd_tunnel_run_reconfigure(struct vespd_tunnel_run *t,
				  const struct vespd_tunnel *conf)
{
	t->conf = conf;
	if (t->sa)
		t->sa->config = &conf->ike;
	if (t->old_sa)
		t->old_sa->config = &conf->ike;
}

void vespd_tunnel_run_destroy(struct vespd_tunnel_run *t)
{
	sa_free(&t->sa, &t->m, true);
	sa_free(&t->old_sa, &t->old_m, true);
	spare_free(t);
}

void vespd_tunnel_run_start(struct vespd_tunnel_run *t)
{
	if (t->sa || sa_new(t, true, &t->sa, &t->m) < 0)
		return;
	t->retry_at = 0;
	t->child_spi = 0;
	t->sa_since = now(t);
	t->ike_since = 0;
	say(t, LOG_INFO, "initiating");
	ike_manager_initiate(t->m);
}

static size_t next_path(const struct vespd_tunnel_run *t, size_t from);

/* The current SA is gone: try again later with back-off, if it is ours to start. */
static void lost(struct vespd_tunnel_run *t, const char *why)
{
	bool unanswered = t->m && t->m->timed_out;

	say(t, LOG_WARNING, "IKE SA lost: %s", why);
	sa_free(&t->sa, &t->m, true);
	/* the path may be what failed: the next attempt takes another */
	if (unanswered && t->conf->num_paths > 1) {
		t->path = next_path(t, t->path);
		t->peer = t->conf->paths[t->path].remote;
	}
	t->ike_since = 0;
	/* a newcomer that failed leaves the SA it was to replace in charge */
	if (t->old_sa && !t->old_m->successor &&
	    t->old_sa->state == IKE_SA_STATE_ESTABLISHED) {
		t->sa = t->old_sa;
		t->m = t->old_m;
		t->old_sa = NULL;
		t->old_m = NULL;
		t->ike_since = t->sa_since = now(t);
		return;
	}
	if (!t->conf->initiate)
		return;
	t->retry_at = now(t) + t->backoff_ms;
	t->backoff_ms = t->backoff_ms * 2 > VESPD_BACKOFF_MAX_MS ?
			VESPD_BACKOFF_MAX_MS : t->backoff_ms * 2;
}

/* The current SA was rekeyed: its successor takes over. */
static void handover(struct vespd_tunnel_run *t)
{
	struct ike_sa *next = t->m->successor;
	struct ike_manager *m = calloc(1, sizeof(*m));

	if (!m) {
		lost(t, "out of memory");
		return;
	}
	sa_free(&t->old_sa, &t->old_m, true);
	t->old_sa = t->sa;
	t->old_m = t->m;
	t->old_m->spare = NULL;
	t->sa = next;
	t->m = m;
	t->spare = NULL;
	t->spare = calloc(1, sizeof(*t->spare));
	ike_manager_init(m, next, &t->io, retransmit(t));
	ike_manager_set_spare(m, t->spare);
	t->ike_since = t->sa_since = now(t);
	t->ike_rekeys++;
	say(t, LOG_INFO, "IKE SA rekeyed");
}

static const struct ike_child_sa *installed_child(const struct ike_sa *sa);

/* The module's ESP of the peer goes from @local to @remote. */
static void path_set(struct vespd_tunnel_run *t, const struct ike_endpoint *local,
		     const struct ike_endpoint *remote)
{
	const struct ike_kernel *k = t->env->deps.kernel;
	struct ike_error err;

	if (!k || !k->path_set || !remote->family)
		return;
	ike_error_clear(&err);
	if (k->path_set(k->ctx, t->conf->ike.peer_id, local, remote, &err) < 0)
		say(t, LOG_ERR, "moving ESP to the path: %s", err.text);
}

/* The path of @t whose addresses are @local and @remote; num_paths if none. */
static size_t find_path(const struct vespd_tunnel_run *t, const struct ike_endpoint *local,
			const struct ike_endpoint *remote)
{
	for (size_t i = 0; i < t->conf->num_paths; i++) {
		struct ike_endpoint l = endpoint(&t->conf->paths[i].local);
		struct ike_endpoint r = endpoint(&t->conf->paths[i].remote);

		if (ike_endpoint_same_addr(&r, remote) &&
		    (!l.family || !local->family || ike_endpoint_same_addr(&l, local)))
			return i;
	}
	return t->conf->num_paths;
}

/* The SA moved (the peer's MOBIKE update, say): the path index follows it. */
static void follow_sa(struct vespd_tunnel_run *t)
{
	size_t i;

	if (!t->sa || !t->sa->remote.family)
		return;
	i = find_path(t, &t->sa->local, &t->sa->remote);
	if (i < t->conf->num_paths && i != t->path) {
		say(t, LOG_NOTICE, "IKE SA moved to path %zu by the peer", i + 1);
		t->path = i;
		t->path_changes++;
	}
}

static void after(struct vespd_tunnel_run *t, struct ike_manager *m,
		  enum ike_manager_status st)
{
	if (m == t->old_m) {
		if (st == IKE_MANAGER_CLOSED || st == IKE_MANAGER_DEAD)
			sa_free(&t->old_sa, &t->old_m, true);
		return;
	}
	switch (st) {
	case IKE_MANAGER_DEAD:
		lost(t, t->m->error.text);
		return;
	case IKE_MANAGER_CLOSED:
		lost(t, "deleted by the peer");
		return;
	case IKE_MANAGER_REKEYED:
		handover(t);
		return;
	case IKE_MANAGER_OK:
		break;
	}
	follow_sa(t);
	if (t->sa->state == IKE_SA_STATE_ESTABLISHED && !t->ike_since) {
		t->ike_since = now(t);
		if (t->sa->nat.local || t->sa->nat.remote)
			say(t, LOG_WARNING, "NAT detected (%s): ESP-in-UDP (RFC 3948) "
			    "is not supported, ESP may not pass the NAT",
			    t->sa->nat.local && t->sa->nat.remote ? "local and remote" :
			    t->sa->nat.local ? "local" : "remote");
		if (!installed_child(t->sa)) {
			/*
			 * §1.2 lets the IKE SA stand without its first child,
			 * but a route-based tunnel has nothing to carry on
			 * it: not up; delete it and let the initiator retry.
			 */
			say(t, LOG_ERR, "IKE SA up, but its first Child SA failed: %s; "
			    "deleting the IKE SA to start over", t->m->error.text[0] ?
			    t->m->error.text : "no reason given");
			ike_manager_delete_ike(t->m);
			return;
		}
		t->backoff_ms = 1000;
		t->established++;
		/* the new Child SAs go where IKE went */
		path_set(t, &t->sa->local, &t->sa->remote);
		say(t, LOG_NOTICE, "up: IKE SA %016llx_%016llx",
		    (unsigned long long)t->sa->spi_i, (unsigned long long)t->sa->spi_r);
	}
}

static bool sa_matches(const struct ike_sa *sa, const struct ike_header *hdr)
{
	return sa && sa->spi_i == hdr->spi_i &&
	       (sa->spi_r == hdr->spi_r || hdr->spi_r == 0 || sa->spi_r == 0);
}

static bool new_init(const struct ike_header *hdr)
{
	return hdr->exchange == IKE_EXCHANGE_SA_INIT && hdr->spi_r == 0 &&
	       !(hdr->flags & IKE_FLAG_RESPONSE) && hdr->message_id == 0;
}

bool vespd_tunnel_run_owns(const struct vespd_tunnel_run *t, const uint8_t *buf,
			   size_t len)
{
	struct ike_header hdr;

	if (ike_header_parse(&hdr, buf, len, NULL) < 0)
		return false;
	return sa_matches(t->sa, &hdr) || sa_matches(t->old_sa, &hdr) || new_init(&hdr);
}

/*
 * The peer starts a new IKE SA: it restarted, or both ends initiated at
 * once. Of two simultaneous attempts the one with the higher initiator SPI
 * is kept, at both ends alike. An established SA is only replaced once the
 * new one has authenticated the peer (see vespd_tunnel_run_tick()).
 */
static void peer_initiates(struct vespd_tunnel_run *t, const uint8_t *buf,
			   size_t len, const struct ike_header *hdr)
{
	struct ike_sa *sa;
	struct ike_manager *m;

	if (t->sa && t->sa->initiator && t->sa->state != IKE_SA_STATE_ESTABLISHED &&
	    hdr->spi_i < t->sa->spi_i)
		return;
	if (sa_new(t, false, &sa, &m) < 0)
		return;
	if (ike_manager_receive_from(m, buf, len, &t->rx_local, &t->rx_remote) !=
	    IKE_MANAGER_OK) {
		sa_free(&sa, &m, true);
		return;
	}
	/* the newcomer is current; the one it replaces lives on as old until then */
	sa_free(&t->old_sa, &t->old_m, true);
	t->old_sa = t->sa;
	t->old_m = t->m;
	t->sa = sa;
	t->m = m;
	t->ike_since = 0;
	t->sa_since = now(t);
	t->child_spi = 0;
}

bool vespd_tunnel_run_accepts(const struct vespd_tunnel_run *t,
			      const struct sockaddr_storage *from,
			      const uint8_t *buf, size_t len)
{
	struct ike_endpoint ep = endpoint(from);
	struct ike_header hdr;

	if (ike_header_parse(&hdr, buf, len, NULL) < 0)
		return false;
	if ((sa_matches(t->sa, &hdr) || sa_matches(t->old_sa, &hdr)) && !new_init(&hdr))
		return true;
	for (size_t i = 0; i < t->conf->num_paths; i++) {
		struct ike_endpoint r = endpoint(&t->conf->paths[i].remote);

		if (ike_endpoint_same_addr(&r, &ep))
			return vespd_tunnel_run_owns(t, buf, len);
	}
	return false;
}

static enum ike_manager_status receive(struct vespd_tunnel_run *t, struct ike_manager *m,
				       const uint8_t *buf, size_t len)
{
	return ike_manager_receive_from(m, buf, len, &t->rx_local, &t->rx_remote);
}

void vespd_tunnel_run_receive(struct vespd_tunnel_run *t, const uint8_t *buf,
			      size_t len, const struct sockaddr_storage *from,
			      const struct sockaddr_storage *to)
{
	struct ike_header hdr;

	memset(&t->rx_local, 0, sizeof(t->rx_local));
	memset(&t->rx_remote, 0, sizeof(t->rx_remote));
	if (from) {
		t->rx_remote = endpoint(from);
		/* only for messages of no SA with an address yet */
		t->peer = *from;
	}
	if (to)
		t->rx_local = endpoint(to);
	if (ike_header_parse(&hdr, buf, len, NULL) < 0)
		return;
	if (sa_matches(t->sa, &hdr) && !new_init(&hdr))
		after(t, t->m, receive(t, t->m, buf, len));
	else if (sa_matches(t->old_sa, &hdr) && !new_init(&hdr))
		after(t, t->old_m, receive(t, t->old_m, buf, len));
	else if (new_init(&hdr) && !(t->sa && t->sa->spi_i == hdr.spi_i))
		peer_initiates(t, buf, len, &hdr);
	else if (t->sa)
		/* a retransmitted IKE_SA_INIT of the current SA: its cached answer */
		after(t, t->m, receive(t, t->m, buf, len));
}

/* The path after @from (in priority order, wrapping) whose local address is there. */
static size_t next_path(const struct vespd_tunnel_run *t, size_t from)
{
	size_t n = t->conf->num_paths;

	for (size_t k = 1; k < n; k++) {
		size_t i = (from + k) % n;

		if (!t->path_gone[i])
			return i;
	}
	return from;
}

/* The preferred path whose local address is there, or @fallback. */
static size_t best_path(const struct vespd_tunnel_run *t, size_t fallback)
{
	for (size_t i = 0; i < t->conf->num_paths; i++)
		if (!t->path_gone[i])
			return i;
	return fallback;
}

/*
 * IKE and ESP go to path @i now. With MOBIKE the SAs move there; without,
 * an initiator starts the tunnel over there (the peer cannot follow an
 * SA to another address) and a responder only sends its requests there.
 */
static void switch_path(struct vespd_tunnel_run *t, size_t i, const char *why)
{
	struct ike_endpoint local = endpoint(&t->conf->paths[i].local);
	struct ike_endpoint remote = endpoint(&t->conf->paths[i].remote);

	if (i == t->path && t->sa && ike_endpoint_same_addr(&t->sa->remote, &remote))
		return;
	say(t, LOG_NOTICE, "path %zu to path %zu: %s", t->path + 1, i + 1, why);
	t->path = i;
	t->peer = t->conf->paths[i].remote;
	t->path_changes++;
	if (!t->sa)
		return;		/* the next attempt goes there */
	if (t->sa->state != IKE_SA_STATE_ESTABLISHED) {
		/* an exchange under way: its retransmissions go there */
		after(t, t->m, ike_manager_move(t->m, &local, &remote));
		return;
	}
	if (t->sa->mobike.enabled) {
		/* ESP need not wait for the update: the peer takes it from anywhere */
		path_set(t, &local, &remote);
		after(t, t->m, ike_manager_move(t->m, &local, &remote));
		if (t->m && !ike_manager_can_move(t->m))
			/* RFC 4555 §3.6: the initiator decides; tell it where we are */
			after(t, t->m, ike_manager_addresses(t->m));
		return;
	}
	if (!t->conf->initiate) {
		path_set(t, &local, &remote);
		after(t, t->m, ike_manager_move(t->m, &local, &remote));
		return;
	}
	say(t, LOG_WARNING, "peer without MOBIKE: establishing the tunnel anew on path %zu",
	    i + 1);
	sa_free(&t->old_sa, &t->old_m, true);
	sa_free(&t->sa, &t->m, true);
	t->ike_since = 0;
	t->retry_at = now(t);
}

void vespd_tunnel_run_address(struct vespd_tunnel_run *t,
			      const struct sockaddr_storage *addr, bool gone)
{
	struct ike_endpoint a = endpoint(addr);
	bool current = false;

	for (size_t i = 0; i < t->conf->num_paths; i++) {
		struct ike_endpoint l = endpoint(&t->conf->paths[i].local);

		if (!ike_endpoint_same_addr(&l, &a))
			continue;
		t->path_gone[i] = gone;
		current |= i == t->path;
	}
	if (gone && current && t->conf->num_paths > 1) {
		size_t i = next_path(t, t->path);

		if (i != t->path)
			switch_path(t, i, "its local address is gone");
	}
	if (!gone && !t->sa)
		t->path = best_path(t, t->path);
}

void vespd_tunnel_run_path_event(struct vespd_tunnel_run *t, uint8_t event,
				 const struct sockaddr_storage *local,
				 const struct sockaddr_storage *remote)
{
	struct ike_endpoint l = endpoint(local), r = endpoint(remote);
	size_t i = find_path(t, &l, &r);

	switch (event) {
	case VESP_PATH_EVENT_SWITCHED:
		if (i < t->conf->num_paths)
			switch_path(t, i, "the module switched ESP to it");
		break;
	case VESP_PATH_EVENT_DOWN:
		if (i == t->path && t->conf->num_paths > 1) {
			size_t next = next_path(t, t->path);

			if (next != t->path)
				switch_path(t, next, "the module found the path dead");
		}
		break;
	case VESP_PATH_EVENT_ROAMED:
		/* the peer's ESP comes from a new address: IKE follows, with MOBIKE */
		if (t->m && ike_manager_can_move(t->m) && r.family) {
			r.port = t->sa->remote.port;
			say(t, LOG_NOTICE, "the peer roamed: moving the IKE SA");
			after(t, t->m, ike_manager_move(t->m, l.family ? &l : &t->sa->local,
							&r));
		}
		break;
	default:
		break;
	}
}

/* The child to watch for lifetime: the installed one. */
static const struct ike_child_sa *installed_child(const struct ike_sa *sa)
{
	for (size_t i = 0; i < IKE_MAX_CHILDREN; i++)
		if (sa->children[i].state == IKE_CHILD_INSTALLED)
			return &sa->children[i];
	return NULL;
}

/*
 * Lifetimes with jitter (up to a tenth off), so the two ends rarely rekey
 * at the same moment; when they do, §2.8.1 sorts it out.
 */
static uint64_t due(const struct vespd_tunnel_run *t, unsigned int seconds)
{
	uint64_t ms = (uint64_t)seconds * 1000;

	return ms - ms / 10 * t->jitter / 255;
}

/* @limit less this end's share of jitter, like due(). */
static uint64_t due_count(const struct vespd_tunnel_run *t, uint64_t limit)
{
	return limit - limit / 10 * t->jitter / 255;
}

void vespd_tunnel_kernel_lifetimes(const struct vespd_tunnel_run *t,
				   struct vesp_lifetimes *life)
{
	const struct vespd_tunnel *c = t->conf;

	memset(life, 0, sizeof(*life));
	if (c->child_lifetime) {
		/*
		 * In whole seconds the module's soft limit cannot carry the
		 * jitter, and both ends' would fire together: it only backs
		 * the daemon's own timer (at most child_lifetime), after it.
		 */
		life->soft_seconds = c->child_lifetime + c->child_lifetime / 20 + 1;
		life->hard_seconds = c->child_lifetime + c->child_lifetime / 10 +
				     VESPD_HARD_GRACE_S;
	}
	if (c->child_bytes) {
		life->soft_bytes = due_count(t, c->child_bytes);
		life->hard_bytes = c->child_bytes + c->child_bytes / 2;
	}
	if (c->child_packets) {
		life->soft_packets = due_count(t, c->child_packets);
		life->hard_packets = c->child_packets + c->child_packets / 2;
	}
}

void vespd_tunnel_run_expired(struct vespd_tunnel_run *t, uint8_t dir, uint32_t spi,
			      uint8_t reason)
{
	struct ike_child_sa *child;

	if (!t->sa || t->sa->state != IKE_SA_STATE_ESTABLISHED)
		return;
	child = ike_sa_find_child(t->sa, spi, dir == VESP_SA_DIR_IN);
	/* an SA already replaced, or being replaced, needs nothing more */
	if (!child || child->state != IKE_CHILD_INSTALLED)
		return;
	if (reason == VESP_SA_EXPIRE_HARD) {
		/* the module removed it: start the tunnel over */
		say(t, LOG_WARNING, "Child SA %08x past its hard lifetime: re-establishing",
		    child->spi_in);
		after(t, t->m, ike_manager_delete_ike(t->m));
		return;
	}
	if (child->rekeying)
		return;
	say(t, LOG_INFO, "Child SA %08x %s expiry in the module: rekeying", child->spi_in,
	    reason == VESP_SA_EXPIRE_SEQ ? "sequence number" : "soft");
	after(t, t->m, ike_manager_rekey_child(t->m, child->spi_in));
}

static void lifetimes(struct vespd_tunnel_run *t, uint64_t at)
{
	const struct ike_child_sa *child = installed_child(t->sa);

	if (child && child->spi_in != t->child_spi) {
		t->child_spi = child->spi_in;
		t->child_since = at;
	}
	if (child && t->conf->child_lifetime &&
	    at - t->child_since >= due(t, t->conf->child_lifetime))
		ike_manager_rekey_child(t->m, child->spi_in);
	if (t->conf->ike_lifetime && at - t->ike_since >= due(t, t->conf->ike_lifetime) &&
	    at >= t->rekey_not_before) {
		uint8_t r = 0;

		/*
		 * Crossing rekeys are resolved (§2.8.2), but a peer that has
		 * just rekeyed refuses ours with TEMPORARY_FAILURE: the next
		 * attempt comes 2 to 7 s later, at random.
		 */
		t->env->deps.random(t->env->deps.ctx, &r, 1, NULL);
		t->rekey_not_before = at + 2000 + 20ULL * r;
		ike_manager_rekey_ike(t->m);
	}
	if (t->conf->liveness && at - t->m->last_valid >= t->conf->liveness * 1000ULL &&
	    ike_manager_idle(t->m))
		ike_manager_liveness(t->m);
}

/*
 * A request unanswered VESPD_PATH_TRIES times on this path: the path may
 * be dead, try the next (at most twice round all of them until the peer
 * answers again; then the manager gives up as usual).
 */
static void retransmits(struct vespd_tunnel_run *t)
{
	size_t i;

	if (t->m->last_valid != t->heard_at_move) {
		t->moves = 0;
		t->heard_at_move = t->m->last_valid;
	}
	if (t->conf->num_paths < 2 || ike_manager_sends(t->m) < VESPD_PATH_TRIES ||
	    t->moves >= 2 * t->conf->num_paths)
		return;
	i = next_path(t, t->path);
	if (i == t->path)
		return;
	t->moves++;
	switch_path(t, i, "the peer does not answer on it");
}

void vespd_tunnel_run_tick(struct vespd_tunnel_run *t)
{
	uint64_t at = now(t);

	if (!t->sa && t->conf->initiate && at >= t->retry_at)
		vespd_tunnel_run_start(t);
	if (t->old_m)
		after(t, t->old_m, ike_manager_tick(t->old_m));
	/* a newcomer that authenticated retires the SA it replaced */
	if (t->old_sa && t->sa && t->sa->state == IKE_SA_STATE_ESTABLISHED &&
	    t->old_m->successor != t->sa)
		sa_free(&t->old_sa, &t->old_m, true);
	if (!t->m)
		return;
	/* a responder SA the peer never authenticates goes (§2.6: half-open) */
	if (!t->sa->initiator && t->sa->state != IKE_SA_STATE_ESTABLISHED &&
	    at - t->sa_since > VESPD_HALF_OPEN_MS) {
		lost(t, "peer never completed IKE_AUTH");
		return;
	}
	after(t, t->m, ike_manager_tick(t->m));
	if (t->sa && t->sa->state == IKE_SA_STATE_ESTABLISHED) {
		retransmits(t);
		if (t->sa)
			lifetimes(t, at);
	}
}

uint64_t vespd_tunnel_run_deadline(const struct vespd_tunnel_run *t)
{
	/* lifetimes and liveness are checked once a second */
	uint64_t d = now(t) + 1000;

	if (t->m && ike_manager_deadline(t->m) < d)
		d = ike_manager_deadline(t->m);
	if (t->old_m && ike_manager_deadline(t->old_m) < d)
		d = ike_manager_deadline(t->old_m);
	if (!t->sa && t->conf->initiate && t->retry_at < d)
		d = t->retry_at;
	return d;
}

bool vespd_tunnel_run_up(const struct vespd_tunnel_run *t)
{
	return t->sa && t->sa->state == IKE_SA_STATE_ESTABLISHED && installed_child(t->sa);
}
