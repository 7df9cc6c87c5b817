// SPDX-License-Identifier: GPL-2.0
/* Reading replies into the data model: see reply.h. */
#include "reply.h"

#include <errno.h>
#include <string.h>
#include <sys/socket.h>

#include <netlink/attr.h>
#include <netlink/genl/genl.h>

static const struct nla_policy dev_policy[VESP_A_MAX + 1] = {
	[VESP_A_IFINDEX]    = { .type = NLA_U32 },
	[VESP_A_IFNAME]     = { .type = NLA_STRING, .maxlen = IF_NAMESIZE },
	[VESP_A_FWMARK]     = { .type = NLA_U32 },
	[VESP_A_PEER_COUNT] = { .type = NLA_U32 },
	[VESP_A_PEER]       = { .type = NLA_NESTED },
	[VESP_A_STATS]      = { .type = NLA_NESTED },
	[VESP_A_FLAGS]      = { .type = NLA_U32 },
};

static const struct nla_policy peer_policy[VESP_A_PEER_MAX + 1] = {
	[VESP_A_PEER_ID]     = { .type = NLA_U32 },
	[VESP_A_PEER_PREFIX] = { .type = NLA_NESTED },
	[VESP_A_PEER_PATH]   = { .type = NLA_NESTED },
	[VESP_A_PEER_SA]     = { .type = NLA_NESTED },
	[VESP_A_PEER_LIVENESS_INTERVAL]   = { .type = NLA_U32 },
	[VESP_A_PEER_LIVENESS_MULTIPLIER] = { .type = NLA_U8 },
	[VESP_A_PEER_HOLD_DOWN]           = { .type = NLA_U32 },
	[VESP_A_PEER_ROAMING]             = { .type = NLA_U8 },
	[VESP_A_PEER_PATH_SWITCHES]       = { .type = NLA_U32 },
};

static const struct nla_policy prefix_policy[VESP_A_PREFIX_MAX + 1] = {
	[VESP_A_PREFIX_FAMILY] = { .type = NLA_U16 },
	[VESP_A_PREFIX_ADDR]   = { .type = NLA_UNSPEC, .minlen = 4, .maxlen = 16 },
	[VESP_A_PREFIX_LEN]    = { .type = NLA_U8 },
};

static const struct nla_policy path_policy[VESP_A_PATH_MAX + 1] = {
	[VESP_A_PATH_ID]       = { .type = NLA_U32 },
	[VESP_A_PATH_FAMILY]   = { .type = NLA_U16 },
	[VESP_A_PATH_LOCAL]    = { .type = NLA_UNSPEC, .minlen = 4, .maxlen = 16 },
	[VESP_A_PATH_REMOTE]   = { .type = NLA_UNSPEC, .minlen = 4, .maxlen = 16 },
	[VESP_A_PATH_PRIORITY] = { .type = NLA_U32 },
	[VESP_A_PATH_ACTIVE]   = { .type = NLA_FLAG },
	[VESP_A_PATH_STATE]    = { .type = NLA_U8 },
	[VESP_A_PATH_LAST_RX]  = { .type = NLA_U32 },
	[VESP_A_PATH_HEARD_BY_PEER] = { .type = NLA_FLAG },
	[VESP_A_PATH_PROBES_SENT]   = { .type = NLA_U64 },
	[VESP_A_PATH_PROBES_RECEIVED] = { .type = NLA_U64 },
	[VESP_A_PATH_STATE_CHANGES] = { .type = NLA_U32 },
	[VESP_A_PATH_EVENT]    = { .type = NLA_U8 },
	[VESP_A_PATH_PREVIOUS_ID] = { .type = NLA_U32 },
	[VESP_A_PATH_PREVIOUS_REMOTE] = { .type = NLA_UNSPEC, .minlen = 4, .maxlen = 16 },
};

static const struct nla_policy sa_policy[VESP_A_SA_MAX + 1] = {
	[VESP_A_SA_SPI]		  = { .type = NLA_U32 },
	[VESP_A_SA_DIR]		  = { .type = NLA_U8 },
	[VESP_A_SA_ALG]		  = { .type = NLA_U32 },
	[VESP_A_SA_ESN]		  = { .type = NLA_FLAG },
	[VESP_A_SA_REPLAY_WINDOW] = { .type = NLA_U32 },
	[VESP_A_SA_ACTIVE]	  = { .type = NLA_FLAG },
	[VESP_A_SA_SOFT_BYTES]	  = { .type = NLA_U64 },
	[VESP_A_SA_HARD_BYTES]	  = { .type = NLA_U64 },
	[VESP_A_SA_SOFT_PACKETS]  = { .type = NLA_U64 },
	[VESP_A_SA_HARD_PACKETS]  = { .type = NLA_U64 },
	[VESP_A_SA_SOFT_SECONDS]  = { .type = NLA_U32 },
	[VESP_A_SA_HARD_SECONDS]  = { .type = NLA_U32 },
	[VESP_A_SA_SEQ]		  = { .type = NLA_U64 },
	[VESP_A_SA_PACKETS]	  = { .type = NLA_U64 },
	[VESP_A_SA_BYTES]	  = { .type = NLA_U64 },
	[VESP_A_SA_AGE]		  = { .type = NLA_U32 },
	[VESP_A_SA_EXPIRE_REASON] = { .type = NLA_U8 },
};

static const struct nla_policy stats_policy[VESP_A_STATS_MAX + 1] = {
	[VESP_A_STATS_RX_UNKNOWN_SPI]      = { .type = NLA_U64 },
	[VESP_A_STATS_RX_REPLAY]           = { .type = NLA_U64 },
	[VESP_A_STATS_RX_AUTH_FAIL]        = { .type = NLA_U64 },
	[VESP_A_STATS_RX_BAD_PADDING]      = { .type = NLA_U64 },
	[VESP_A_STATS_RX_BAD_LENGTH]       = { .type = NLA_U64 },
	[VESP_A_STATS_RX_BAD_NEXT_HEADER]  = { .type = NLA_U64 },
	[VESP_A_STATS_RX_POLICY]           = { .type = NLA_U64 },
	[VESP_A_STATS_RX_SA_EXPIRED]       = { .type = NLA_U64 },
	[VESP_A_STATS_TX_NO_PEER]          = { .type = NLA_U64 },
	[VESP_A_STATS_TX_NO_SA]            = { .type = NLA_U64 },
	[VESP_A_STATS_TX_NO_PATH]          = { .type = NLA_U64 },
	[VESP_A_STATS_TX_SEQ_EXHAUSTED]    = { .type = NLA_U64 },
	[VESP_A_STATS_TX_TOO_BIG]          = { .type = NLA_U64 },
	[VESP_A_STATS_TX_BAD_PROTOCOL]     = { .type = NLA_U64 },
	[VESP_A_STATS_CRYPTO_ERROR]        = { .type = NLA_U64 },
};

static int malformed(struct vesp_error *err, const char *what)
{
	return vesp_error_set(err, EPROTO, "malformed %s in the kernel's reply", what);
}

static int out_of_memory(struct vesp_error *err)
{
	return vesp_error_set(err, ENOMEM, "out of memory");
}

/* An address attribute of the length @family calls for. */
static int get_addr(const struct nlattr *attr, uint16_t family, struct vesp_addr *addr)
{
	size_t len = vesp_addr_len(family);

	if (!len || (size_t)nla_len(attr) != len)
		return -1;
	memset(addr, 0, sizeof(*addr));
	addr->family = family;
	memcpy(addr->bytes, nla_data(attr), len);
	return 0;
}

static int parse_prefix(struct nlattr *nest, struct vesp_peer *peer, struct vesp_error *err)
{
	struct nlattr *tb[VESP_A_PREFIX_MAX + 1];
	struct vesp_prefix prefix = { 0 };

	if (nla_parse_nested(tb, VESP_A_PREFIX_MAX, nest, prefix_policy) ||
	    !tb[VESP_A_PREFIX_FAMILY] || !tb[VESP_A_PREFIX_ADDR] || !tb[VESP_A_PREFIX_LEN] ||
	    get_addr(tb[VESP_A_PREFIX_ADDR], nla_get_u16(tb[VESP_A_PREFIX_FAMILY]),
		     &prefix.addr))
		return malformed(err, "prefix");
	prefix.len = nla_get_u8(tb[VESP_A_PREFIX_LEN]);
	if (prefix.len > vesp_addr_len(prefix.addr.family) * 8)
		return malformed(err, "prefix");
	if (vesp_model_add_prefix(peer, &prefix))
		return out_of_memory(err);
	return 0;
}

static void get_u64(struct nlattr **tb, unsigned int type, uint64_t *value, uint64_t *present);
static void get_u32(struct nlattr **tb, unsigned int type, uint32_t *value, uint64_t *present);
static void get_u8(struct nlattr **tb, unsigned int type, uint8_t *value, uint64_t *present);

static int parse_path(struct nlattr *nest, struct vesp_peer *peer, struct vesp_error *err)
{
	struct nlattr *tb[VESP_A_PATH_MAX + 1];
	struct vesp_path *path;
	uint16_t family = 0;

	if (nla_parse_nested(tb, VESP_A_PATH_MAX, nest, path_policy) || !tb[VESP_A_PATH_ID])
		return malformed(err, "path");
	path = vesp_model_path(peer, nla_get_u32(tb[VESP_A_PATH_ID]));
	if (!path)
		return out_of_memory(err);
	if (tb[VESP_A_PATH_FAMILY]) {
		family = nla_get_u16(tb[VESP_A_PATH_FAMILY]);
		vesp_mark(&path->present, VESP_A_PATH_FAMILY);
	}
	if (tb[VESP_A_PATH_REMOTE]) {
		if (get_addr(tb[VESP_A_PATH_REMOTE], family, &path->remote))
			return malformed(err, "path remote address");
		vesp_mark(&path->present, VESP_A_PATH_REMOTE);
	}
	if (tb[VESP_A_PATH_LOCAL]) {
		if (get_addr(tb[VESP_A_PATH_LOCAL], family, &path->local))
			return malformed(err, "path local address");
		vesp_mark(&path->present, VESP_A_PATH_LOCAL);
	}
	if (tb[VESP_A_PATH_PRIORITY]) {
		path->priority = nla_get_u32(tb[VESP_A_PATH_PRIORITY]);
		vesp_mark(&path->present, VESP_A_PATH_PRIORITY);
	}
	if (tb[VESP_A_PATH_ACTIVE]) {
		path->active = true;
		vesp_mark(&path->present, VESP_A_PATH_ACTIVE);
	}
	get_u8(tb, VESP_A_PATH_STATE, &path->state, &path->present);
	get_u32(tb, VESP_A_PATH_LAST_RX, &path->last_rx_ms, &path->present);
	if (tb[VESP_A_PATH_HEARD_BY_PEER]) {
		path->heard_by_peer = true;
		vesp_mark(&path->present, VESP_A_PATH_HEARD_BY_PEER);
	}
	get_u64(tb, VESP_A_PATH_PROBES_SENT, &path->probes_sent, &path->present);
	get_u64(tb, VESP_A_PATH_PROBES_RECEIVED, &path->probes_received, &path->present);
	get_u32(tb, VESP_A_PATH_STATE_CHANGES, &path->state_changes, &path->present);
	get_u8(tb, VESP_A_PATH_EVENT, &path->event, &path->present);
	get_u32(tb, VESP_A_PATH_PREVIOUS_ID, &path->previous_id, &path->present);
	if (tb[VESP_A_PATH_PREVIOUS_REMOTE]) {
		if (get_addr(tb[VESP_A_PATH_PREVIOUS_REMOTE], family, &path->previous_remote))
			return malformed(err, "path previous remote address");
		vesp_mark(&path->present, VESP_A_PATH_PREVIOUS_REMOTE);
	}
	return 0;
}

static void get_u64(struct nlattr **tb, unsigned int type, uint64_t *value, uint64_t *present)
{
	if (tb[type]) {
		*value = nla_get_u64(tb[type]);
		vesp_mark(present, type);
	}
}

static void get_u32(struct nlattr **tb, unsigned int type, uint32_t *value, uint64_t *present)
{
	if (tb[type]) {
		*value = nla_get_u32(tb[type]);
		vesp_mark(present, type);
	}
}

static void get_u8(struct nlattr **tb, unsigned int type, uint8_t *value, uint64_t *present)
{
	if (tb[type]) {
		*value = nla_get_u8(tb[type]);
		vesp_mark(present, type);
	}
}

static int parse_sa(struct nlattr *nest, struct vesp_peer *peer, struct vesp_error *err)
{
	struct nlattr *tb[VESP_A_SA_MAX + 1];
	struct vesp_lifetimes *life;
	struct vesp_sa *sa;

	if (nla_parse_nested(tb, VESP_A_SA_MAX, nest, sa_policy) || !tb[VESP_A_SA_SPI] ||
	    !tb[VESP_A_SA_DIR])
		return malformed(err, "SA");
	sa = vesp_model_sa(peer, nla_get_u8(tb[VESP_A_SA_DIR]), nla_get_u32(tb[VESP_A_SA_SPI]));
	if (!sa)
		return out_of_memory(err);
	life = &sa->lifetimes;
	get_u32(tb, VESP_A_SA_ALG, &sa->alg, &sa->present);
	if (tb[VESP_A_SA_ESN]) {
		sa->esn = true;
		vesp_mark(&sa->present, VESP_A_SA_ESN);
	}
	if (tb[VESP_A_SA_ACTIVE]) {
		sa->active = true;
		vesp_mark(&sa->present, VESP_A_SA_ACTIVE);
	}
	get_u32(tb, VESP_A_SA_REPLAY_WINDOW, &sa->replay_window, &sa->present);
	get_u64(tb, VESP_A_SA_SOFT_BYTES, &life->soft_bytes, &sa->present);
	get_u64(tb, VESP_A_SA_HARD_BYTES, &life->hard_bytes, &sa->present);
	get_u64(tb, VESP_A_SA_SOFT_PACKETS, &life->soft_packets, &sa->present);
	get_u64(tb, VESP_A_SA_HARD_PACKETS, &life->hard_packets, &sa->present);
	get_u32(tb, VESP_A_SA_SOFT_SECONDS, &life->soft_seconds, &sa->present);
	get_u32(tb, VESP_A_SA_HARD_SECONDS, &life->hard_seconds, &sa->present);
	get_u64(tb, VESP_A_SA_SEQ, &sa->seq, &sa->present);
	get_u64(tb, VESP_A_SA_PACKETS, &sa->packets, &sa->present);
	get_u64(tb, VESP_A_SA_BYTES, &sa->bytes, &sa->present);
	get_u32(tb, VESP_A_SA_AGE, &sa->age, &sa->present);
	if (tb[VESP_A_SA_EXPIRE_REASON]) {
		sa->expire_reason = nla_get_u8(tb[VESP_A_SA_EXPIRE_REASON]);
		vesp_mark(&sa->present, VESP_A_SA_EXPIRE_REASON);
	}
	/* VESP_A_SA_ENC_KEY and VESP_A_SA_AUTH_KEY are deliberately not read */
	return 0;
}

static int parse_peer(struct nlattr *nest, struct vesp_dev_info *dev, struct vesp_error *err)
{
	struct nlattr *tb[VESP_A_PEER_MAX + 1], *attr;
	struct vesp_peer *peer;
	int rem, ret = 0;

	if (nla_parse_nested(tb, VESP_A_PEER_MAX, nest, peer_policy) || !tb[VESP_A_PEER_ID])
		return malformed(err, "peer");
	peer = vesp_model_peer(dev, nla_get_u32(tb[VESP_A_PEER_ID]));
	if (!peer)
		return out_of_memory(err);
	get_u32(tb, VESP_A_PEER_LIVENESS_INTERVAL, &peer->liveness_interval, &peer->present);
	get_u8(tb, VESP_A_PEER_LIVENESS_MULTIPLIER, &peer->liveness_multiplier, &peer->present);
	get_u32(tb, VESP_A_PEER_HOLD_DOWN, &peer->hold_down, &peer->present);
	if (tb[VESP_A_PEER_ROAMING]) {
		peer->roaming = nla_get_u8(tb[VESP_A_PEER_ROAMING]);
		vesp_mark(&peer->present, VESP_A_PEER_ROAMING);
	}
	get_u32(tb, VESP_A_PEER_PATH_SWITCHES, &peer->path_switches, &peer->present);
	/* the repeated nests, in the order the kernel sent them */
	nla_for_each_nested(attr, nest, rem) {
		switch (nla_type(attr)) {
		case VESP_A_PEER_PREFIX:
			ret = parse_prefix(attr, peer, err);
			break;
		case VESP_A_PEER_PATH:
			ret = parse_path(attr, peer, err);
			break;
		case VESP_A_PEER_SA:
			ret = parse_sa(attr, peer, err);
			break;
		}
		if (ret)
			return ret;
	}
	return 0;
}

static int parse_stats(struct nlattr *nest, struct vesp_stats *stats, struct vesp_error *err)
{
	struct nlattr *tb[VESP_A_STATS_MAX + 1];
	unsigned int type;

	if (nla_parse_nested(tb, VESP_A_STATS_MAX, nest, stats_policy))
		return malformed(err, "stats");
	for (type = 1; type <= VESP_A_STATS_MAX; type++)
		if (type != VESP_A_STATS_PAD)
			get_u64(tb, type, &stats->counter[type], &stats->present);
	return 0;
}

/* Merge the top-level attributes @tb of message @hdr into @dev. */
static int merge_into_dev(struct nlattr **tb, const struct nlmsghdr *hdr,
			  struct vesp_dev_info *dev, struct vesp_error *err)
{
	struct nlattr *attr;
	int rem;

	if (tb[VESP_A_IFINDEX] && !dev->ifindex) {
		dev->ifindex = nla_get_u32(tb[VESP_A_IFINDEX]);
		vesp_mark(&dev->present, VESP_A_IFINDEX);
	}
	if (tb[VESP_A_IFNAME] && !vesp_has(dev->present, VESP_A_IFNAME)) {
		nla_strlcpy(dev->ifname, tb[VESP_A_IFNAME], sizeof(dev->ifname));
		vesp_mark(&dev->present, VESP_A_IFNAME);
	}
	get_u32(tb, VESP_A_FWMARK, &dev->fwmark, &dev->present);
	get_u32(tb, VESP_A_PEER_COUNT, &dev->peer_count, &dev->present);
	get_u32(tb, VESP_A_FLAGS, &dev->flags, &dev->present);
	if (tb[VESP_A_STATS]) {
		if (parse_stats(tb[VESP_A_STATS], &dev->stats, err))
			return -1;
		vesp_mark(&dev->present, VESP_A_STATS);
	}
	nlmsg_for_each_attr(attr, hdr, GENL_HDRLEN, rem) {
		if (nla_type(attr) == VESP_A_PEER && parse_peer(attr, dev, err))
			return -1;
	}
	return 0;
}

static int parse_top(const struct nlmsghdr *hdr, struct nlattr **tb, struct vesp_error *err)
{
	if (genlmsg_parse((struct nlmsghdr *)hdr, 0, tb, VESP_A_MAX, dev_policy))
		return malformed(err, "message");
	return 0;
}

int vesp_reply_parse(const struct nlmsghdr *hdr, struct vesp_dev_list *list,
		     struct vesp_error *err)
{
	struct nlattr *tb[VESP_A_MAX + 1];
	char ifname[IF_NAMESIZE] = "";
	struct vesp_dev_info *dev;

	if (parse_top(hdr, tb, err))
		return -1;
	if (tb[VESP_A_IFNAME])
		nla_strlcpy(ifname, tb[VESP_A_IFNAME], sizeof(ifname));
	dev = vesp_model_dev(list, tb[VESP_A_IFINDEX] ? nla_get_u32(tb[VESP_A_IFINDEX]) : 0,
			     tb[VESP_A_IFNAME] ? ifname : NULL);
	if (!dev)
		return out_of_memory(err);
	return merge_into_dev(tb, hdr, dev, err);
}

int vesp_reply_parse_dev(const struct nlmsghdr *hdr, struct vesp_dev_info *dev,
			 struct vesp_error *err)
{
	struct nlattr *tb[VESP_A_MAX + 1];

	if (parse_top(hdr, tb, err))
		return -1;
	return merge_into_dev(tb, hdr, dev, err);
}

int vesp_event_parse(const struct nlmsghdr *hdr, struct vesp_event *event,
		     struct vesp_error *err)
{
	memset(event, 0, sizeof(*event));
	if (!genlmsg_valid_hdr((struct nlmsghdr *)hdr, 0))
		return malformed(err, "notification");
	event->cmd = ((const struct genlmsghdr *)nlmsg_data(hdr))->cmd;
	if (vesp_reply_parse(hdr, &event->devs, err)) {
		vesp_event_free(event);
		return -1;
	}
	return 0;
}

void vesp_event_free(struct vesp_event *event)
{
	vesp_dev_list_free(&event->devs);
}

const char *vesp_event_name(uint8_t cmd)
{
	switch (cmd) {
	case VESP_CMD_SA_EXPIRE_NTF:
		return "expire";
	case VESP_CMD_ACQUIRE_NTF:
		return "acquire";
	case VESP_CMD_PATH_NTF:
		return "path";
	}
	return "unknown";
}
