// SPDX-License-Identifier: GPL-2.0
/* Building vesp requests: see request.h. */
#include "request.h"

#include <string.h>

#include <netlink/attr.h>
#include <netlink/errno.h>
#include <netlink/genl/genl.h>

struct nl_msg *vesp_request_new(int family_id, uint8_t cmd, int flags)
{
	struct nl_msg *msg = nlmsg_alloc_size(VESP_REQUEST_MAX_SIZE);

	if (!msg)
		return NULL;
	if (!genlmsg_put(msg, NL_AUTO_PORT, NL_AUTO_SEQ, family_id, 0, flags, cmd,
			 VESP_GENL_VERSION)) {
		nlmsg_free(msg);
		return NULL;
	}
	return msg;
}

void vesp_request_free(struct nl_msg *msg)
{
	struct nlmsghdr *hdr;

	if (!msg)
		return;
	hdr = nlmsg_hdr(msg);
	explicit_bzero(hdr, hdr->nlmsg_len);
	nlmsg_free(msg);
}

int vesp_request_put_dev(struct nl_msg *msg, const struct vesp_dev_ref *dev)
{
	if (dev->ifindex)
		return nla_put_u32(msg, VESP_A_IFINDEX, dev->ifindex);
	if (dev->ifname)
		return nla_put_string(msg, VESP_A_IFNAME, dev->ifname);
	return -NLE_INVAL;
}

int vesp_request_dev_set(struct nl_msg *msg, const struct vesp_dev_ref *dev,
			 const struct vesp_dev_settings *set, uint32_t current_flags)
{
	uint32_t flags = (current_flags & ~set->flags_off) | set->flags_on;
	int ret = vesp_request_put_dev(msg, dev);

	if (!ret && vesp_has(set->present, VESP_A_FWMARK))
		ret = nla_put_u32(msg, VESP_A_FWMARK, set->fwmark);
	if (!ret && vesp_has(set->present, VESP_A_FLAGS))
		ret = nla_put_u32(msg, VESP_A_FLAGS, flags);
	return ret;
}

static int put_prefix(struct nl_msg *msg, const struct vesp_prefix *prefix)
{
	size_t addr_len = vesp_addr_len(prefix->addr.family);
	struct nlattr *nest;

	if (!addr_len)
		return -NLE_INVAL;
	nest = nla_nest_start(msg, VESP_A_PEER_PREFIX);
	if (!nest ||
	    nla_put_u16(msg, VESP_A_PREFIX_FAMILY, prefix->addr.family) ||
	    nla_put(msg, VESP_A_PREFIX_ADDR, (int)addr_len, prefix->addr.bytes) ||
	    nla_put_u8(msg, VESP_A_PREFIX_LEN, prefix->len))
		return -NLE_NOMEM;
	return nla_nest_end(msg, nest);
}

/* The length @nest has so far; an attribute's length field has 16 bits. */
static size_t nest_len(struct nl_msg *msg, const struct nlattr *nest)
{
	const struct nlmsghdr *hdr = nlmsg_hdr(msg);

	return hdr->nlmsg_len - (size_t)((const char *)nest - (const char *)hdr);
}

/* Open the VESP_A_PEER nest with its id; NULL when the message is full. */
static struct nlattr *start_peer(struct nl_msg *msg, const struct vesp_dev_ref *dev,
				 uint32_t peer_id)
{
	struct nlattr *nest;

	if (vesp_request_put_dev(msg, dev))
		return NULL;
	nest = nla_nest_start(msg, VESP_A_PEER);
	if (!nest || nla_put_u32(msg, VESP_A_PEER_ID, peer_id))
		return NULL;
	return nest;
}

/* The liveness settings @peer->present marks. */
static int put_liveness(struct nl_msg *msg, const struct vesp_peer *peer)
{
	if ((vesp_has(peer->present, VESP_A_PEER_LIVENESS_INTERVAL) &&
	     nla_put_u32(msg, VESP_A_PEER_LIVENESS_INTERVAL, peer->liveness_interval)) ||
	    (vesp_has(peer->present, VESP_A_PEER_LIVENESS_MULTIPLIER) &&
	     nla_put_u8(msg, VESP_A_PEER_LIVENESS_MULTIPLIER, peer->liveness_multiplier)) ||
	    (vesp_has(peer->present, VESP_A_PEER_HOLD_DOWN) &&
	     nla_put_u32(msg, VESP_A_PEER_HOLD_DOWN, peer->hold_down)) ||
	    (vesp_has(peer->present, VESP_A_PEER_ROAMING) &&
	     nla_put_u8(msg, VESP_A_PEER_ROAMING, peer->roaming)))
		return -NLE_NOMEM;
	return 0;
}

int vesp_request_peer(struct nl_msg *msg, const struct vesp_dev_ref *dev,
		      const struct vesp_peer *peer)
{
	struct nlattr *nest = start_peer(msg, dev, peer->id);
	size_t i;
	int ret;

	if (!nest)
		return -NLE_NOMEM;
	ret = put_liveness(msg, peer);
	if (ret)
		return ret;
	for (i = 0; i < peer->n_prefixes; i++) {
		ret = put_prefix(msg, &peer->prefixes[i]);
		if (ret)
			return ret;
		if (nest_len(msg, nest) > UINT16_MAX)
			return -NLE_ATTRSIZE;
	}
	return nla_nest_end(msg, nest);
}

int vesp_request_peer_id(struct nl_msg *msg, const struct vesp_dev_ref *dev, uint32_t peer_id)
{
	struct nlattr *nest = start_peer(msg, dev, peer_id);

	if (!nest)
		return -NLE_NOMEM;
	nla_nest_end(msg, nest);
	return 0;
}

static int put_addr(struct nl_msg *msg, int type, const struct vesp_addr *addr,
		    uint16_t family)
{
	static const uint8_t any[VESP_ADDR_MAX_LEN];
	size_t len = vesp_addr_len(family);

	if (addr->family && addr->family != family)
		return -NLE_INVAL;
	return nla_put(msg, type, (int)len, addr->family ? addr->bytes : any);
}

int vesp_request_path(struct nl_msg *msg, const struct vesp_dev_ref *dev, uint32_t peer_id,
		      const struct vesp_path *path)
{
	struct nlattr *peer_nest = start_peer(msg, dev, peer_id), *path_nest;
	uint16_t family = path->remote.family;
	int ret;

	if (!peer_nest)
		return -NLE_NOMEM;
	path_nest = nla_nest_start(msg, VESP_A_PEER_PATH);
	if (!path_nest || nla_put_u32(msg, VESP_A_PATH_ID, path->id))
		return -NLE_NOMEM;
	if (vesp_has(path->present, VESP_A_PATH_REMOTE)) {
		if (!vesp_addr_len(family))
			return -NLE_INVAL;
		if (nla_put_u16(msg, VESP_A_PATH_FAMILY, family))
			return -NLE_NOMEM;
		ret = put_addr(msg, VESP_A_PATH_REMOTE, &path->remote, family);
		if (!ret && vesp_has(path->present, VESP_A_PATH_LOCAL))
			ret = put_addr(msg, VESP_A_PATH_LOCAL, &path->local, family);
		if (ret)
			return ret;
	}
	if (vesp_has(path->present, VESP_A_PATH_PRIORITY) &&
	    nla_put_u32(msg, VESP_A_PATH_PRIORITY, path->priority))
		return -NLE_NOMEM;
	nla_nest_end(msg, path_nest);
	nla_nest_end(msg, peer_nest);
	return 0;
}

/* The writable SA attributes besides keys, with how to put each. */
static int put_sa_attrs(struct nl_msg *msg, const struct vesp_sa *sa)
{
	const struct vesp_lifetimes *life = &sa->lifetimes;
	const uint64_t p = sa->present;

	if ((vesp_has(p, VESP_A_SA_SPI) && nla_put_u32(msg, VESP_A_SA_SPI, sa->spi)) ||
	    (vesp_has(p, VESP_A_SA_DIR) && nla_put_u8(msg, VESP_A_SA_DIR, sa->dir)) ||
	    (vesp_has(p, VESP_A_SA_ALG) && nla_put_u32(msg, VESP_A_SA_ALG, sa->alg)) ||
	    (vesp_has(p, VESP_A_SA_ESN) && sa->esn && nla_put_flag(msg, VESP_A_SA_ESN)) ||
	    (vesp_has(p, VESP_A_SA_REPLAY_WINDOW) &&
	     nla_put_u32(msg, VESP_A_SA_REPLAY_WINDOW, sa->replay_window)) ||
	    (vesp_has(p, VESP_A_SA_ACTIVE) && sa->active &&
	     nla_put_flag(msg, VESP_A_SA_ACTIVE)) ||
	    (vesp_has(p, VESP_A_SA_SOFT_BYTES) &&
	     nla_put_u64(msg, VESP_A_SA_SOFT_BYTES, life->soft_bytes)) ||
	    (vesp_has(p, VESP_A_SA_HARD_BYTES) &&
	     nla_put_u64(msg, VESP_A_SA_HARD_BYTES, life->hard_bytes)) ||
	    (vesp_has(p, VESP_A_SA_SOFT_PACKETS) &&
	     nla_put_u64(msg, VESP_A_SA_SOFT_PACKETS, life->soft_packets)) ||
	    (vesp_has(p, VESP_A_SA_HARD_PACKETS) &&
	     nla_put_u64(msg, VESP_A_SA_HARD_PACKETS, life->hard_packets)) ||
	    (vesp_has(p, VESP_A_SA_SOFT_SECONDS) &&
	     nla_put_u32(msg, VESP_A_SA_SOFT_SECONDS, life->soft_seconds)) ||
	    (vesp_has(p, VESP_A_SA_HARD_SECONDS) &&
	     nla_put_u32(msg, VESP_A_SA_HARD_SECONDS, life->hard_seconds)))
		return -NLE_NOMEM;
	return 0;
}

int vesp_request_sa(struct nl_msg *msg, const struct vesp_dev_ref *dev, uint32_t peer_id,
		    const struct vesp_sa *sa, const struct vesp_sa_keys *keys)
{
	struct nlattr *peer_nest = start_peer(msg, dev, peer_id), *sa_nest;

	if (!peer_nest)
		return -NLE_NOMEM;
	sa_nest = nla_nest_start(msg, VESP_A_PEER_SA);
	if (!sa_nest || put_sa_attrs(msg, sa))
		return -NLE_NOMEM;
	if (keys && keys->enc.len &&
	    nla_put(msg, VESP_A_SA_ENC_KEY, (int)keys->enc.len, keys->enc.bytes))
		return -NLE_NOMEM;
	if (keys && keys->auth.len &&
	    nla_put(msg, VESP_A_SA_AUTH_KEY, (int)keys->auth.len, keys->auth.bytes))
		return -NLE_NOMEM;
	nla_nest_end(msg, sa_nest);
	nla_nest_end(msg, peer_nest);
	return 0;
}
