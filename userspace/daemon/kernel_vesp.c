// SPDX-License-Identifier: GPL-2.0
/* The engine's kernel seam on libvesp: see kernel_vesp.h. */
#include "kernel_vesp.h"

#include <errno.h>
#include <netinet/in.h>
#include <string.h>

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

int vespd_kernel_peer_setup(struct vespd_kernel *k, uint32_t peer_id,
			    const struct vesp_prefix *prefixes, size_t num_prefixes,
			    const struct sockaddr_storage *local,
			    const struct sockaddr_storage *remote,
			    struct ike_error *err)
{
	struct vesp_peer peer = {
		.id = peer_id,
		/* the request only reads them */
		.prefixes = (struct vesp_prefix *)prefixes,
		.n_prefixes = num_prefixes,
	};
	struct vesp_path path = { .id = 1 };
	struct vesp_error verr;
	struct nl_msg *msg;

	memset(&verr, 0, sizeof(verr));
	msg = vesp_nl_request(k->nl, VESP_CMD_PEER_NEW, NLM_F_REPLACE);
	if (!msg || vesp_request_peer(msg, &k->dev, &peer) < 0) {
		vesp_request_free(msg);
		return ike_error_set(err, 0, "%s: out of memory", __func__);
	}
	if (vesp_nl_transact(k->nl, msg, NULL, NULL, &verr) < 0)
		return refused(err, "adding peer", peer_id, &verr);
	to_vesp_addr(remote, &path.remote);
	to_vesp_addr(local, &path.local);
	vesp_mark(&path.present, VESP_A_PATH_ID);
	vesp_mark(&path.present, VESP_A_PATH_REMOTE);
	if (local->ss_family)
		vesp_mark(&path.present, VESP_A_PATH_LOCAL);
	msg = vesp_nl_request(k->nl, VESP_CMD_PATH_NEW, 0);
	if (!msg || vesp_request_path(msg, &k->dev, peer_id, &path) < 0) {
		vesp_request_free(msg);
		return ike_error_set(err, 0, "%s: out of memory", __func__);
	}
	memset(&verr, 0, sizeof(verr));
	if (vesp_nl_transact(k->nl, msg, NULL, NULL, &verr) < 0 && verr.errnum != EEXIST)
		return refused(err, "adding path to peer", peer_id, &verr);
	return 0;
}

struct ike_kernel vespd_kernel_ops(struct vespd_kernel *k)
{
	return (struct ike_kernel){
		.sa_add = sa_add,
		.sa_activate = sa_activate,
		.sa_del = sa_del,
		.ctx = k,
	};
}
