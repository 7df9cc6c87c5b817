// SPDX-License-Identifier: GPL-2.0
/* The engine's kernel seam on libvesp: see kernel_vesp.h. */
#include "kernel_vesp.h"

#include <errno.h>
#include <netinet/in.h>
#include <stdio.h>
#include <string.h>

#include <netlink/attr.h>

#include <openssl/crypto.h>

#include "lib/key.h"
#include "lib/request.h"

int vespd_kernel_init(struct vespd_kernel *k, struct vesp_nl *nl,
		      const char *ifname, struct ike_error *err)
{
	memset(k, 0, sizeof(*k));
	if (strlen(ifname) >= sizeof(k->ifname))
		return ike_error_set(err, 0, "%s: device name '%s' too long",
				     __func__, ifname);
	strcpy(k->ifname, ifname);
	k->nl = nl;
	k->dev.ifname = k->ifname;
	return 0;
}

/* The kernel's refusal, its extended ACK word for word when there is one. */
static int refused(struct ike_error *err, const char *what, uint32_t spi,
		   const struct vesp_error *verr)
{
	return ike_error_set(err, 0, "%s %08x: %s", what, spi,
			     verr->kernel_message[0] ? verr->kernel_message : verr->text);
}

/* Build one SA request with @fill, send it, and wipe whatever it held. */
static int transact(struct vespd_kernel *k, uint8_t cmd, uint32_t peer_id,
		    const struct vesp_sa *sa, const struct vesp_sa_keys *keys,
		    const char *what, struct ike_error *err)
{
	struct nl_msg *msg = vesp_nl_request(k->nl, cmd, 0);
	struct vesp_error verr;

	memset(&verr, 0, sizeof(verr));
	if (!msg)
		return ike_error_set(err, 0, "%s %08x: out of memory", what, sa->spi);
	if (vesp_request_sa(msg, &k->dev, peer_id, sa, keys) < 0) {
		vesp_request_free(msg);
		return ike_error_set(err, 0, "%s %08x: request too large", what, sa->spi);
	}
	/* vesp_nl_transact() wipes and frees the message, keys and all */
	if (vesp_nl_transact(k->nl, msg, NULL, NULL, &verr) < 0)
		return refused(err, what, sa->spi, &verr);
	return 0;
}

/* The limits of @k that are set go into @sa. */
static void add_limits(const struct vespd_kernel *k, struct vesp_sa *sa)
{
	const struct vesp_lifetimes *l = &k->limits;
	const struct { uint64_t value; unsigned int attr; } all[] = {
		{ l->soft_bytes, VESP_A_SA_SOFT_BYTES },
		{ l->hard_bytes, VESP_A_SA_HARD_BYTES },
		{ l->soft_packets, VESP_A_SA_SOFT_PACKETS },
		{ l->hard_packets, VESP_A_SA_HARD_PACKETS },
		{ l->soft_seconds, VESP_A_SA_SOFT_SECONDS },
		{ l->hard_seconds, VESP_A_SA_HARD_SECONDS },
	};

	sa->lifetimes = *l;
	for (size_t i = 0; i < sizeof(all) / sizeof(all[0]); i++)
		if (all[i].value)
			vesp_mark(&sa->present, all[i].attr);
}

static int sa_add(void *ctx, uint32_t peer_id, const struct ike_kernel_sa *ksa,
		  bool active, struct ike_error *err)
{
	struct vesp_sa sa = {
		.spi = ksa->spi,
		.dir = ksa->dir,
		.alg = ksa->alg,
		.esn = ksa->esn,
		.active = active,
		.replay_window = VESPD_REPLAY_WINDOW,
	};
	struct vesp_sa_keys keys;
	int ret;

	memset(&keys, 0, sizeof(keys));
	vesp_mark(&sa.present, VESP_A_SA_SPI);
	vesp_mark(&sa.present, VESP_A_SA_DIR);
	vesp_mark(&sa.present, VESP_A_SA_ALG);
	vesp_mark(&sa.present, VESP_A_SA_ESN);
	if (ksa->dir == VESP_SA_DIR_IN)
		vesp_mark(&sa.present, VESP_A_SA_REPLAY_WINDOW);
	else
		vesp_mark(&sa.present, VESP_A_SA_ACTIVE);
	add_limits(ctx, &sa);
	keys.enc.len = ksa->enc_key_len;
	memcpy(keys.enc.bytes, ksa->enc_key, ksa->enc_key_len);
	keys.auth.len = ksa->auth_key_len;
	memcpy(keys.auth.bytes, ksa->auth_key, ksa->auth_key_len);
	ret = transact(ctx, VESP_CMD_SA_NEW, peer_id, &sa, &keys, "installing SA", err);
	vesp_sa_keys_wipe(&keys);
	return ret;
}

static int sa_activate(void *ctx, uint32_t peer_id, uint32_t spi,
		       struct ike_error *err)
{
	struct vesp_sa sa = { .spi = spi, .dir = VESP_SA_DIR_OUT, .active = true };

	vesp_mark(&sa.present, VESP_A_SA_SPI);
	vesp_mark(&sa.present, VESP_A_SA_DIR);
	vesp_mark(&sa.present, VESP_A_SA_ACTIVE);
	return transact(ctx, VESP_CMD_SA_SET, peer_id, &sa, NULL, "activating SA", err);
}

static int sa_del(void *ctx, uint32_t peer_id, uint8_t dir, uint32_t spi,
		  struct ike_error *err)
{
	struct vesp_sa sa = { .spi = spi, .dir = dir };

	vesp_mark(&sa.present, VESP_A_SA_SPI);
	vesp_mark(&sa.present, VESP_A_SA_DIR);
	return transact(ctx, VESP_CMD_SA_DEL, peer_id, &sa, NULL, "deleting SA", err);
}

static void to_vesp_addr(const struct sockaddr_storage *ss, struct vesp_addr *a)
{
	memset(a, 0, sizeof(*a));
	a->family = ss->ss_family;
	if (ss->ss_family == AF_INET)
		memcpy(a->bytes, &((const struct sockaddr_in *)ss)->sin_addr, 4);
	else if (ss->ss_family == AF_INET6)
		memcpy(a->bytes, &((const struct sockaddr_in6 *)ss)->sin6_addr, 16);
}

static void endpoint_to_vesp_addr(const struct ike_endpoint *ep, struct vesp_addr *a)
{
	memset(a, 0, sizeof(*a));
	a->family = ep->family;
	memcpy(a->bytes, ep->addr, ep->family == AF_INET6 ? 16 : 4);
}

static struct ike_endpoint sockaddr_endpoint(const struct sockaddr_storage *ss)
{
	struct vesp_addr a;
	struct ike_endpoint ep = { 0 };

	to_vesp_addr(ss, &a);
	ep.family = (uint8_t)a.family;
	memcpy(ep.addr, a.bytes, sizeof(ep.addr));
	return ep;
}

/* The module's priority for @p: 0 for the chosen one, else its own plus one. */
static uint32_t module_priority(const struct vespd_kernel_path *p)
{
	if (p->chosen)
		return 0;
	return p->priority == UINT32_MAX ? UINT32_MAX : p->priority + 1;
}

/* One path request of @cmd for @path; @verr says why it failed. */
static int path_transact(struct vespd_kernel *k, uint8_t cmd, const struct vesp_path *path,
			 struct vesp_error *verr)
{
	struct nl_msg *msg = vesp_nl_request(k->nl, cmd, 0);

	memset(verr, 0, sizeof(*verr));
	if (!msg || vesp_request_path(msg, &k->dev, k->peer_id, path) < 0) {
		vesp_request_free(msg);
		verr->errnum = ENOMEM;
		snprintf(verr->text, sizeof(verr->text), "out of memory");
		return -1;
	}
	return vesp_nl_transact(k->nl, msg, NULL, NULL, verr);
}

static int path_add(struct vespd_kernel *k, const struct vespd_kernel_path *p,
		    struct vesp_error *verr)
{
	struct vesp_path path = { .id = p->id, .priority = module_priority(p) };

	endpoint_to_vesp_addr(&p->remote, &path.remote);
	endpoint_to_vesp_addr(&p->local, &path.local);
	vesp_mark(&path.present, VESP_A_PATH_ID);
	vesp_mark(&path.present, VESP_A_PATH_REMOTE);
	vesp_mark(&path.present, VESP_A_PATH_PRIORITY);
	if (p->local.family)
		vesp_mark(&path.present, VESP_A_PATH_LOCAL);
	return path_transact(k, VESP_CMD_PATH_NEW, &path, verr);
}

static int path_del(struct vespd_kernel *k, uint32_t id, struct vesp_error *verr)
{
	struct vesp_path path = { .id = id };

	vesp_mark(&path.present, VESP_A_PATH_ID);
	return path_transact(k, VESP_CMD_PATH_DEL, &path, verr);
}

/* Install @p afresh: deleted first if the module has its ID. */
static int path_install(struct vespd_kernel *k, const struct vespd_kernel_path *p,
			struct ike_error *err)
{
	struct vesp_error verr;

	if (path_add(k, p, &verr) == 0)
		return 0;
	if (verr.errnum == EEXIST && path_del(k, p->id, &verr) == 0 &&
	    path_add(k, p, &verr) == 0)
		return 0;
	return refused(err, "adding path to peer", k->peer_id, &verr);
}

/* VESP_CMD_PEER_SET with the liveness settings, built here attribute by attribute. */
static int liveness_set(struct vespd_kernel *k, const struct vespd_path_liveness *l,
			struct ike_error *err)
{
	struct nl_msg *msg = vesp_nl_request(k->nl, VESP_CMD_PEER_SET, 0);
	struct vesp_error verr;
	struct nlattr *peer;

	memset(&verr, 0, sizeof(verr));
	if (!msg || nla_put_string(msg, VESP_A_IFNAME, k->ifname) < 0 ||
	    !(peer = nla_nest_start(msg, VESP_A_PEER)) ||
	    nla_put_u32(msg, VESP_A_PEER_ID, k->peer_id) < 0 ||
	    nla_put_u32(msg, VESP_A_PEER_LIVENESS_INTERVAL, l->interval_ms) < 0 ||
	    nla_put_u8(msg, VESP_A_PEER_LIVENESS_MULTIPLIER, (uint8_t)l->multiplier) < 0 ||
	    nla_put_u32(msg, VESP_A_PEER_HOLD_DOWN, l->hold_down_ms) < 0 ||
	    nla_put_u8(msg, VESP_A_PEER_ROAMING, l->roaming) < 0) {
		vesp_request_free(msg);
		return ike_error_set(err, 0, "%s: out of memory", __func__);
	}
	nla_nest_end(msg, peer);
	if (vesp_nl_transact(k->nl, msg, NULL, NULL, &verr) < 0)
		return refused(err, "setting the path liveness of peer", k->peer_id, &verr);
	return 0;
}

int vespd_kernel_peer_setup(struct vespd_kernel *k, uint32_t peer_id,
			    const struct vesp_prefix *prefixes, size_t num_prefixes,
			    const struct vespd_path *paths, size_t num_paths,
			    const struct vespd_path_liveness *liveness,
			    struct ike_error *err)
{
	struct vesp_peer peer = {
		.id = peer_id,
		/* the request only reads them */
		.prefixes = (struct vesp_prefix *)prefixes,
		.n_prefixes = num_prefixes,
	};
	struct vesp_error verr;
	struct nl_msg *msg;

	memset(&verr, 0, sizeof(verr));
	k->peer_id = peer_id;
	k->liveness = liveness->interval_ms != 0;
	msg = vesp_nl_request(k->nl, VESP_CMD_PEER_NEW, NLM_F_REPLACE);
	if (!msg || vesp_request_peer(msg, &k->dev, &peer) < 0) {
		vesp_request_free(msg);
		return ike_error_set(err, 0, "%s: out of memory", __func__);
	}
	if (vesp_nl_transact(k->nl, msg, NULL, NULL, &verr) < 0)
		return refused(err, "adding peer", peer_id, &verr);
	/* only what is asked for: a module without liveness serves the rest */
	if ((k->liveness || liveness->roaming) && liveness_set(k, liveness, err) < 0)
		return -1;
	k->num_paths = 0;
	for (size_t i = 0; i < num_paths && i < VESPD_MAX_PATHS; i++) {
		struct vespd_kernel_path *p = &k->paths[k->num_paths++];

		memset(p, 0, sizeof(*p));
		p->id = (uint32_t)i + 1;
		p->local = sockaddr_endpoint(&paths[i].local);
		p->remote = sockaddr_endpoint(&paths[i].remote);
		p->priority = paths[i].priority;
		if (path_install(k, p, err) < 0)
			return -1;
	}
	/* a learned path of an earlier run would take ESP at priority 0 */
	if (path_del(k, VESPD_LEARNED_PATH_ID, &verr) < 0 && verr.errnum != ENOENT)
		return refused(err, "deleting a learned path of peer", peer_id, &verr);
	return 0;
}

static bool same(const struct ike_endpoint *a, const struct ike_endpoint *b)
{
	return a->family == b->family &&
	       !memcmp(a->addr, b->addr, a->family == AF_INET6 ? 16 : 4);
}

/*
 * ESP to @remote from @local: the module's liveness, when on, picks
 * among the configured paths by itself (the peer's ESP on the new path
 * keeps it alive there), so only an address no path has is added; with
 * liveness off the matching path is made the preferred one.
 */
static int path_set(void *ctx, uint32_t peer_id, const struct ike_endpoint *local,
		    const struct ike_endpoint *remote, struct ike_error *err)
{
	struct vespd_kernel *k = ctx;
	struct vespd_kernel_path *target = NULL, *learned = NULL;
	struct vesp_error verr;

	if (peer_id != k->peer_id)
		return ike_error_set(err, 0, "%s: peer %u is not this tunnel's", __func__,
				     peer_id);
	for (size_t i = 0; i < k->num_paths; i++) {
		struct vespd_kernel_path *p = &k->paths[i];

		if (p->id == VESPD_LEARNED_PATH_ID)
			learned = p;
		if (!target && same(&p->remote, remote) &&
		    (!p->local.family || !local->family || same(&p->local, local)))
			target = p;
	}
	if (target && (target->chosen || (k->liveness && target != learned)))
		return 0;
	if (!target) {
		/* one learned path at most: it moves to the new address */
		if (learned && path_del(k, learned->id, &verr) < 0 && verr.errnum != ENOENT)
			return refused(err, "deleting the learned path of peer", peer_id, &verr);
		if (!learned) {
			if (k->num_paths == VESPD_MAX_PATHS + 1)
				return ike_error_set(err, 0, "%s: no room for a path", __func__);
			learned = &k->paths[k->num_paths++];
		}
		memset(learned, 0, sizeof(*learned));
		learned->id = VESPD_LEARNED_PATH_ID;
		learned->remote = *remote;
		learned->local = *local;
		learned->remote.port = learned->local.port = 0;
		target = learned;
	}
	/* the one chosen before goes back to its own priority */
	for (size_t i = 0; i < k->num_paths; i++) {
		struct vespd_kernel_path *p = &k->paths[i];

		if (!p->chosen || p == target)
			continue;
		p->chosen = false;
		if (path_del(k, p->id, &verr) < 0 && verr.errnum != ENOENT)
			return refused(err, "moving ESP off a path of peer", peer_id, &verr);
		if (p->id != VESPD_LEARNED_PATH_ID && path_add(k, p, &verr) < 0)
			return refused(err, "moving ESP off a path of peer", peer_id, &verr);
	}
	target->chosen = !k->liveness || target->id == VESPD_LEARNED_PATH_ID;
	if (target != learned || learned->chosen) {
		if (path_del(k, target->id, &verr) < 0 && verr.errnum != ENOENT)
			return refused(err, "moving ESP to a path of peer", peer_id, &verr);
	}
	return path_add(k, target, &verr) < 0 ?
	       refused(err, "moving ESP to a path of peer", peer_id, &verr) : 0;
}

struct ike_kernel vespd_kernel_ops(struct vespd_kernel *k)
{
	return (struct ike_kernel){
		.sa_add = sa_add,
		.sa_activate = sa_activate,
		.sa_del = sa_del,
		.path_set = path_set,
		.ctx = k,
	};
}
