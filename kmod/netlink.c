// SPDX-License-Identifier: GPL-2.0
/*
 * vesp generic netlink family "vesp": configuration of peers, paths and
 * SAs, their state, drop counters, and events.
 *
 * Every request is validated strictly against the policies below; every
 * rejection says why through the extended ACK. Key attributes are wiped
 * from the request once used and never put in a reply.
 *
 * Messages here, and in the peer and SA code behind this family, are set
 * with plain NL_SET_ERR_MSG(): the family is vesp's own, so a "vesp: "
 * prefix would only repeat what the caller knows (policy messages have
 * none either). The _MOD variants are for the rtnl link ops, where any
 * driver may be the one refusing.
 */

#include <linux/rtnetlink.h>
#include <linux/slab.h>
#include <linux/string.h>
#include <linux/ktime.h>
#include <linux/timekeeping.h>
#include <linux/vesp.h>
#include <net/genetlink.h>
#include <net/netlink.h>

#include "device.h"
#include "liveness.h"
#include "mtu.h"
#include "netlink.h"
#include "path.h"
#include "peer.h"
#include "sa.h"

static struct genl_family vesp_nl_family;

static const struct nla_policy vesp_nl_prefix_policy[VESP_A_PREFIX_MAX + 1] = {
	[VESP_A_PREFIX_FAMILY]	= { .type = NLA_U16 },
	[VESP_A_PREFIX_ADDR]	= { .type = NLA_BINARY, .len = sizeof(struct in6_addr) },
	[VESP_A_PREFIX_LEN]	= NLA_POLICY_MAX(NLA_U8, 128),
};

static const struct nla_policy vesp_nl_path_policy[VESP_A_PATH_MAX + 1] = {
	[VESP_A_PATH_ID]	= NLA_POLICY_MIN(NLA_U32, 1),
	[VESP_A_PATH_FAMILY]	= { .type = NLA_U16 },
	[VESP_A_PATH_LOCAL]	= { .type = NLA_BINARY, .len = sizeof(struct in6_addr) },
	[VESP_A_PATH_REMOTE]	= { .type = NLA_BINARY, .len = sizeof(struct in6_addr) },
	[VESP_A_PATH_PRIORITY]	= { .type = NLA_U32 },
	[VESP_A_PATH_ACTIVE]	= { .type = NLA_REJECT,
				    .reject_message = "the active path is chosen by the kernel" },
	[VESP_A_PATH_STATE]	= { .type = NLA_REJECT,
				    .reject_message = "path liveness is read-only" },
	[VESP_A_PATH_LAST_RX]	= { .type = NLA_REJECT,
				    .reject_message = "path liveness is read-only" },
	[VESP_A_PATH_HEARD_BY_PEER] = { .type = NLA_REJECT,
					.reject_message = "path liveness is read-only" },
	[VESP_A_PATH_PROBES_SENT] = { .type = NLA_REJECT,
				      .reject_message = "counters are read-only" },
	[VESP_A_PATH_PROBES_RECEIVED] = { .type = NLA_REJECT,
					  .reject_message = "counters are read-only" },
	[VESP_A_PATH_STATE_CHANGES] = { .type = NLA_REJECT,
					.reject_message = "counters are read-only" },
	[VESP_A_PATH_EVENT]	= { .type = NLA_REJECT,
				    .reject_message = "only events carry an event" },
	[VESP_A_PATH_PREVIOUS_ID] = { .type = NLA_REJECT,
				      .reject_message = "only events carry a previous path" },
	[VESP_A_PATH_PREVIOUS_REMOTE] = { .type = NLA_REJECT,
					  .reject_message = "only events carry a previous remote" },
};

static const struct nla_policy vesp_nl_sa_policy[VESP_A_SA_MAX + 1] = {
	[VESP_A_SA_SPI]		= NLA_POLICY_MIN(NLA_U32, 256),
	[VESP_A_SA_DIR]		= NLA_POLICY_RANGE(NLA_U8, VESP_SA_DIR_IN,
						   VESP_SA_DIR_OUT),
	[VESP_A_SA_ALG]		= NLA_POLICY_RANGE(NLA_U32, VESP_SA_ALG_AES_GCM_16,
						   VESP_SA_ALG_NULL_HMAC_SHA256),
	[VESP_A_SA_ENC_KEY]	= { .type = NLA_BINARY, .len = 64 },
	[VESP_A_SA_AUTH_KEY]	= { .type = NLA_BINARY, .len = 64 },
	[VESP_A_SA_ESN]		= { .type = NLA_FLAG },
	[VESP_A_SA_REPLAY_WINDOW] = NLA_POLICY_MAX(NLA_U32, VESP_REPLAY_WINDOW_MAX),
	[VESP_A_SA_ACTIVE]	= { .type = NLA_FLAG },
	[VESP_A_SA_SOFT_BYTES]	= { .type = NLA_U64 },
	[VESP_A_SA_HARD_BYTES]	= { .type = NLA_U64 },
	[VESP_A_SA_SOFT_PACKETS] = { .type = NLA_U64 },
	[VESP_A_SA_HARD_PACKETS] = { .type = NLA_U64 },
	[VESP_A_SA_SOFT_SECONDS] = { .type = NLA_U32 },
	[VESP_A_SA_HARD_SECONDS] = { .type = NLA_U32 },
	[VESP_A_SA_SEQ]		= { .type = NLA_REJECT,
				    .reject_message = "sequence numbers are read-only" },
	[VESP_A_SA_PACKETS]	= { .type = NLA_REJECT,
				    .reject_message = "counters are read-only" },
	[VESP_A_SA_BYTES]	= { .type = NLA_REJECT,
				    .reject_message = "counters are read-only" },
	[VESP_A_SA_AGE]		= { .type = NLA_REJECT,
				    .reject_message = "the age is read-only" },
	[VESP_A_SA_EXPIRE_REASON] = { .type = NLA_REJECT,
				      .reject_message = "only events carry an expire reason" },
};

static const struct nla_policy vesp_nl_peer_policy[VESP_A_PEER_MAX + 1] = {
	[VESP_A_PEER_ID]	= NLA_POLICY_MIN(NLA_U32, 1),
	[VESP_A_PEER_PREFIX]	= NLA_POLICY_NESTED(vesp_nl_prefix_policy),
	[VESP_A_PEER_PATH]	= NLA_POLICY_NESTED(vesp_nl_path_policy),
	[VESP_A_PEER_SA]	= NLA_POLICY_NESTED(vesp_nl_sa_policy),
	[VESP_A_PEER_LIVENESS_INTERVAL] = NLA_POLICY_MAX(NLA_U32, 30000),
	[VESP_A_PEER_LIVENESS_MULTIPLIER] = NLA_POLICY_MIN(NLA_U8, 1),
	[VESP_A_PEER_HOLD_DOWN]	= NLA_POLICY_MAX(NLA_U32, 30000),
	[VESP_A_PEER_ROAMING]	= NLA_POLICY_MAX(NLA_U8, 1),
	[VESP_A_PEER_PATH_SWITCHES] = { .type = NLA_REJECT,
					.reject_message = "the switch count is read-only" },
};

static const struct nla_policy vesp_nl_policy[VESP_A_MAX + 1] = {
	[VESP_A_IFINDEX]	= NLA_POLICY_MIN(NLA_U32, 1),
	[VESP_A_IFNAME]		= { .type = NLA_NUL_STRING, .len = IFNAMSIZ - 1 },
	[VESP_A_FWMARK]		= { .type = NLA_U32 },
	[VESP_A_PEER_COUNT]	= { .type = NLA_REJECT,
				    .reject_message = "the peer count is read-only" },
	[VESP_A_PEER]		= NLA_POLICY_NESTED(vesp_nl_peer_policy),
	[VESP_A_STATS]		= { .type = NLA_REJECT,
				    .reject_message = "counters are read-only" },
	[VESP_A_FLAGS]		= NLA_POLICY_MASK(NLA_U32, VESP_LINK_F_ALL),
};

/* ---- finding the device ---- */

static struct vesp_device *vesp_nl_device(struct net *net,
					  struct nlattr **attrs,
					  struct netlink_ext_ack *extack)
{
	struct vesp_device *vesp;

	if (attrs[VESP_A_IFINDEX]) {
		vesp = vesp_device_get_by_index(net,
						nla_get_u32(attrs[VESP_A_IFINDEX]));
		if (!vesp)
			NL_SET_ERR_MSG_ATTR(extack, attrs[VESP_A_IFINDEX],
					    "no vesp device with this ifindex");
	} else if (attrs[VESP_A_IFNAME]) {
		vesp = vesp_device_get_by_name(net, nla_data(attrs[VESP_A_IFNAME]));
		if (!vesp)
			NL_SET_ERR_MSG_ATTR(extack, attrs[VESP_A_IFNAME],
					    "no vesp device with this name");
	} else {
		NL_SET_ERR_MSG(extack, "a device is needed: ifindex or ifname");
		return ERR_PTR(-EINVAL);
	}
	return vesp ?: ERR_PTR(-ENODEV);
}

/*
 * Every doit works on one device: find and hold it here. Handlers then
 * take its update_lock and check that it is still alive.
 */
static int vesp_nl_pre_doit(const struct genl_ops *ops, struct sk_buff *skb,
			    struct genl_info *info)
{
	struct vesp_device *vesp;

	vesp = vesp_nl_device(genl_info_net(info), info->attrs, info->extack);
	if (IS_ERR(vesp))
		return PTR_ERR(vesp);
	info->user_ptr[0] = vesp;
	return 0;
}

static void vesp_nl_post_doit(const struct genl_ops *ops, struct sk_buff *skb,
			      struct genl_info *info)
{
	struct vesp_device *vesp = info->user_ptr[0];

	/* A new active path, SA or fwmark may change what fits. */
	switch (ops->cmd) {
	case VESP_CMD_DEV_SET:
	case VESP_CMD_PEER_DEL:
	case VESP_CMD_PATH_NEW:
	case VESP_CMD_PATH_DEL:
	case VESP_CMD_SA_NEW:
	case VESP_CMD_SA_SET:
	case VESP_CMD_SA_DEL:
		vesp_mtu_update(vesp);
		break;
	}
	vesp_device_put(vesp);
}

/*
 * The device a dump is about. Kernel 6.1 runs a dump's .start callback
 * without an extended ACK, so the request's device is looked up in the
 * first dumpit call instead, whose errors do carry a message (in the
 * NLMSG_DONE). Later calls find it again by the ifindex kept in
 * cb->args[0].
 */
static struct vesp_device *vesp_nl_dump_device(struct netlink_callback *cb)
{
	struct net *net = sock_net(cb->skb->sk);
	struct vesp_device *vesp;

	if (!cb->args[0]) {
		vesp = vesp_nl_device(net, genl_dumpit_info(cb)->attrs,
				      cb->extack);
		if (!IS_ERR(vesp))
			cb->args[0] = vesp->dev->ifindex;
		return vesp;
	}
	vesp = vesp_device_get_by_index(net, cb->args[0]);
	if (!vesp) {
		NL_SET_ERR_MSG(cb->extack, "the device was deleted during the dump");
		return ERR_PTR(-ENODEV);
	}
	return vesp;
}

/* Takes the update_lock; fails once the device is being deleted. */
static int vesp_nl_lock(struct vesp_device *vesp, struct netlink_ext_ack *extack)
{
	mutex_lock(&vesp->update_lock);
	if (vesp->dead) {
		mutex_unlock(&vesp->update_lock);
		NL_SET_ERR_MSG(extack, "the device is being deleted");
		return -ENODEV;
	}
	return 0;
}

/* ---- parsing nested objects ---- */

static int vesp_nl_parse_peer(struct genl_info *info, struct nlattr **tb)
{
	if (!info->attrs[VESP_A_PEER]) {
		NL_SET_ERR_MSG(info->extack, "the request needs a peer");
		return -EINVAL;
	}
	/* The policy validated the nest already, strictly and recursively. */
	nla_parse_nested(tb, VESP_A_PEER_MAX, info->attrs[VESP_A_PEER],
			 vesp_nl_peer_policy, info->extack);
	if (!tb[VESP_A_PEER_ID]) {
		NL_SET_ERR_MSG_ATTR(info->extack, info->attrs[VESP_A_PEER],
				    "the peer needs an ID");
		return -EINVAL;
	}
	return 0;
}

static struct vesp_peer *vesp_nl_find_peer(struct vesp_device *vesp,
					   struct nlattr **tb,
					   struct netlink_ext_ack *extack)
{
	struct vesp_peer *peer;

	peer = vesp_peer_find(vesp, nla_get_u32(tb[VESP_A_PEER_ID]));
	if (!peer)
		NL_SET_ERR_MSG_ATTR(extack, tb[VESP_A_PEER_ID], "no such peer");
	return peer;
}

static unsigned int vesp_family_addr_len(u16 family)
{
	if (family == AF_INET)
		return sizeof(struct in_addr);
	if (family == AF_INET6)
		return sizeof(struct in6_addr);
	return 0;
}

/* Copies an address attribute, checking it has the family's length. */
static int vesp_nl_get_addr(const struct nlattr *attr, u16 family,
			    union vesp_addr *addr,
			    struct netlink_ext_ack *extack)
{
	unsigned int len = vesp_family_addr_len(family);

	if (nla_len(attr) != len) {
		if (family == AF_INET)
			NL_SET_ERR_MSG_ATTR(extack, attr,
					    "an IPv4 address has 4 bytes");
		else
			NL_SET_ERR_MSG_ATTR(extack, attr,
					    "an IPv6 address has 16 bytes");
		return -EINVAL;
	}
	memset(addr, 0, sizeof(*addr));
	memcpy(addr, nla_data(attr), len);
	return 0;
}

static bool vesp_addr_is_unicast(u16 family, const union vesp_addr *addr)
{
	if (family == AF_INET)
		return !ipv4_is_zeronet(addr->v4.s_addr) &&
		       !ipv4_is_multicast(addr->v4.s_addr) &&
		       !ipv4_is_lbcast(addr->v4.s_addr);
	return !ipv6_addr_any(&addr->v6) && !ipv6_addr_is_multicast(&addr->v6);
}

static int vesp_nl_get_family(const struct nlattr *attr,
			      const struct nlattr *parent,
			      struct netlink_ext_ack *extack, u16 *family)
{
	if (!attr) {
		NL_SET_ERR_MSG_ATTR(extack, parent, "an address family is needed");
		return -EINVAL;
	}
	*family = nla_get_u16(attr);
	if (!vesp_family_addr_len(*family)) {
		NL_SET_ERR_MSG_ATTR(extack, attr,
				    "the family must be AF_INET or AF_INET6");
		return -EAFNOSUPPORT;
	}
	return 0;
}

static bool vesp_prefix_has_host_bits(const union vesp_addr *addr,
				      unsigned int len, u8 cidr)
{
	const u8 *p = (const u8 *)addr;
	unsigned int i;

	for (i = 0; i < len; i++) {
		unsigned int bits = min_t(unsigned int, 8,
					  max_t(int, 0, (int)cidr - (int)i * 8));
		u8 host_mask = bits == 8 ? 0 : 0xff >> bits;

		if (p[i] & host_mask)
			return true;
	}
	return false;
}

static int vesp_nl_parse_prefix(const struct nlattr *nest, u16 *family,
				union vesp_addr *addr, u8 *cidr,
				struct netlink_ext_ack *extack)
{
	struct nlattr *tb[VESP_A_PREFIX_MAX + 1];
	int ret;

	nla_parse_nested(tb, VESP_A_PREFIX_MAX, nest, vesp_nl_prefix_policy,
			 extack);
	ret = vesp_nl_get_family(tb[VESP_A_PREFIX_FAMILY], nest, extack,
				 family);
	if (ret)
		return ret;
	if (!tb[VESP_A_PREFIX_ADDR] || !tb[VESP_A_PREFIX_LEN]) {
		NL_SET_ERR_MSG_ATTR(extack, nest,
				    "a prefix needs an address and a length");
		return -EINVAL;
	}
	ret = vesp_nl_get_addr(tb[VESP_A_PREFIX_ADDR], *family, addr, extack);
	if (ret)
		return ret;
	*cidr = nla_get_u8(tb[VESP_A_PREFIX_LEN]);
	if (*cidr > vesp_family_addr_len(*family) * 8) {
		NL_SET_ERR_MSG_ATTR(extack, tb[VESP_A_PREFIX_LEN],
				    "prefix length longer than the address");
		return -EINVAL;
	}
	if (vesp_prefix_has_host_bits(addr, vesp_family_addr_len(*family),
				      *cidr)) {
		NL_SET_ERR_MSG_ATTR(extack, tb[VESP_A_PREFIX_ADDR],
				    "the address has bits set past the prefix length");
		return -EINVAL;
	}
	return 0;
}

/* Every prefix of a request is checked before any is inserted. */
static int vesp_nl_check_prefixes(const struct nlattr *peer_nest,
				  struct netlink_ext_ack *extack)
{
	union vesp_addr addr;
	struct nlattr *attr;
	int rem, ret;
	u16 family;
	u8 cidr;

	nla_for_each_nested(attr, peer_nest, rem) {
		if (nla_type(attr) != VESP_A_PEER_PREFIX)
			continue;
		ret = vesp_nl_parse_prefix(attr, &family, &addr, &cidr, extack);
		if (ret)
			return ret;
	}
	return 0;
}

static int vesp_nl_add_prefix(struct vesp_device *vesp, struct vesp_peer *peer,
			      const struct nlattr *nest,
			      struct netlink_ext_ack *extack)
{
	union vesp_addr addr;
	u16 family;
	u8 cidr;
	int ret;

	ret = vesp_nl_parse_prefix(nest, &family, &addr, &cidr, extack);
	if (ret)
		return ret;
	ret = vesp_prefixes_insert(&vesp->prefixes, family, &addr, cidr, peer,
				   &vesp->update_lock);
	if (ret == -ENOSPC)
		NL_SET_ERR_MSG(extack,
			       "the device has the most prefixes it may have");
	return ret;
}

/* ---- replies ---- */

static int vesp_nl_put_addr(struct sk_buff *skb, int type, u16 family,
			    const union vesp_addr *addr)
{
	return nla_put(skb, type, vesp_family_addr_len(family), addr);
}

static int vesp_nl_put_prefix(void *ctx, int family, const void *addr, u8 cidr)
{
	struct sk_buff *skb = ctx;
	struct nlattr *nest;

	nest = nla_nest_start(skb, VESP_A_PEER_PREFIX);
	if (!nest)
		return -EMSGSIZE;
	if (nla_put_u16(skb, VESP_A_PREFIX_FAMILY, family) ||
	    nla_put(skb, VESP_A_PREFIX_ADDR, vesp_family_addr_len(family), addr) ||
	    nla_put_u8(skb, VESP_A_PREFIX_LEN, cidr)) {
		nla_nest_cancel(skb, nest);
		return -EMSGSIZE;
	}
	nla_nest_end(skb, nest);
	return 0;
}

/* What the path's liveness says; state only while liveness is on. */
static int vesp_nl_put_path_liveness(struct sk_buff *skb,
				     struct vesp_peer *peer,
				     struct vesp_path *path)
{
	const struct vesp_path_liveness *live = &path->live;
	u32 interval = READ_ONCE(peer->interval_ms);
	unsigned long detect, now = jiffies;
	unsigned long last_rx = READ_ONCE(live->last_rx);
	unsigned long last_probe = READ_ONCE(live->last_probe_rx);

	detect = msecs_to_jiffies(interval * READ_ONCE(peer->multiplier));
	if (interval &&
	    nla_put_u8(skb, VESP_A_PATH_STATE, READ_ONCE(live->up) ?
		       VESP_PATH_STATE_UP : VESP_PATH_STATE_DOWN))
		return -EMSGSIZE;
	if (last_rx &&
	    nla_put_u32(skb, VESP_A_PATH_LAST_RX,
			min_t(unsigned long, jiffies_to_msecs(now - last_rx),
			      U32_MAX)))
		return -EMSGSIZE;
	if (last_probe && time_before(now, last_probe + detect) &&
	    READ_ONCE(live->peer_hears) &&
	    nla_put_flag(skb, VESP_A_PATH_HEARD_BY_PEER))
		return -EMSGSIZE;
	if (nla_put_u64_64bit(skb, VESP_A_PATH_PROBES_SENT,
			      atomic64_read(&live->probes_sent), VESP_A_PATH_PAD) ||
	    nla_put_u64_64bit(skb, VESP_A_PATH_PROBES_RECEIVED,
			      atomic64_read(&live->probes_received),
			      VESP_A_PATH_PAD) ||
	    nla_put_u32(skb, VESP_A_PATH_STATE_CHANGES,
			READ_ONCE(live->state_changes)))
		return -EMSGSIZE;
	return 0;
}

/*
 * A path; @event (&enum vesp_path_event, 0 for none) and what goes with
 * it for notifications. Called under the update_lock or the peer's
 * liveness_lock.
 */
static int vesp_nl_put_path_event(struct sk_buff *skb, struct vesp_peer *peer,
				  struct vesp_path *path, u8 event, u32 prev_id,
				  const union vesp_addr *prev_remote)
{
	struct nlattr *nest = nla_nest_start(skb, VESP_A_PEER_PATH);
	union vesp_addr remote;

	if (!nest)
		return -EMSGSIZE;
	vesp_path_remote(path, &remote);
	if (nla_put_u32(skb, VESP_A_PATH_ID, path->id) ||
	    nla_put_u16(skb, VESP_A_PATH_FAMILY, path->family) ||
	    vesp_nl_put_addr(skb, VESP_A_PATH_LOCAL, path->family, &path->local) ||
	    vesp_nl_put_addr(skb, VESP_A_PATH_REMOTE, path->family, &remote) ||
	    nla_put_u32(skb, VESP_A_PATH_PRIORITY, path->priority) ||
	    (rcu_access_pointer(peer->tx_path) == path &&
	     nla_put_flag(skb, VESP_A_PATH_ACTIVE)) ||
	    vesp_nl_put_path_liveness(skb, peer, path) ||
	    (event && nla_put_u8(skb, VESP_A_PATH_EVENT, event)) ||
	    (prev_id && nla_put_u32(skb, VESP_A_PATH_PREVIOUS_ID, prev_id)) ||
	    (prev_remote && vesp_nl_put_addr(skb, VESP_A_PATH_PREVIOUS_REMOTE,
					     path->family, prev_remote))) {
		nla_nest_cancel(skb, nest);
		return -EMSGSIZE;
	}
	nla_nest_end(skb, nest);
	return 0;
}

static int vesp_nl_put_path(struct sk_buff *skb, struct vesp_peer *peer,
			    struct vesp_path *path)
{
	return vesp_nl_put_path_event(skb, peer, path, 0, 0, NULL);
}

/* The peer's liveness settings and counters. */
static int vesp_nl_put_peer_liveness(struct sk_buff *skb,
				     struct vesp_peer *peer)
{
	if (nla_put_u32(skb, VESP_A_PEER_LIVENESS_INTERVAL,
			READ_ONCE(peer->interval_ms)) ||
	    nla_put_u8(skb, VESP_A_PEER_LIVENESS_MULTIPLIER,
		       READ_ONCE(peer->multiplier)) ||
	    nla_put_u32(skb, VESP_A_PEER_HOLD_DOWN,
			READ_ONCE(peer->hold_down_ms)) ||
	    nla_put_u8(skb, VESP_A_PEER_ROAMING, READ_ONCE(peer->roaming)) ||
	    nla_put_u32(skb, VESP_A_PEER_PATH_SWITCHES,
			READ_ONCE(peer->path_switches)))
		return -EMSGSIZE;
	return 0;
}

static int vesp_nl_put_u64(struct sk_buff *skb, int type, u64 value)
{
	return nla_put_u64_64bit(skb, type, value, VESP_A_SA_PAD);
}

/* Everything about an SA except its keys, which never leave the kernel. */
static int vesp_nl_put_sa(struct sk_buff *skb, struct vesp_sa *sa, u8 reason)
{
	const struct vesp_sa_limits *l = &sa->limits;
	struct nlattr *nest = nla_nest_start(skb, VESP_A_PEER_SA);
	bool active = sa->peer && rcu_access_pointer(sa->peer->tx_sa) == sa;

	if (!nest)
		return -EMSGSIZE;
	if (nla_put_u32(skb, VESP_A_SA_SPI, be32_to_cpu(sa->spi)) ||
	    nla_put_u8(skb, VESP_A_SA_DIR, sa->dir) ||
	    nla_put_u32(skb, VESP_A_SA_ALG, sa->alg) ||
	    (sa->esn && nla_put_flag(skb, VESP_A_SA_ESN)) ||
	    (sa->replay &&
	     nla_put_u32(skb, VESP_A_SA_REPLAY_WINDOW, sa->replay->window)) ||
	    (active && nla_put_flag(skb, VESP_A_SA_ACTIVE)) ||
	    vesp_nl_put_u64(skb, VESP_A_SA_SOFT_BYTES, READ_ONCE(l->soft_bytes)) ||
	    vesp_nl_put_u64(skb, VESP_A_SA_HARD_BYTES, READ_ONCE(l->hard_bytes)) ||
	    vesp_nl_put_u64(skb, VESP_A_SA_SOFT_PACKETS, READ_ONCE(l->soft_packets)) ||
	    vesp_nl_put_u64(skb, VESP_A_SA_HARD_PACKETS, READ_ONCE(l->hard_packets)) ||
	    nla_put_u32(skb, VESP_A_SA_SOFT_SECONDS, READ_ONCE(l->soft_seconds)) ||
	    nla_put_u32(skb, VESP_A_SA_HARD_SECONDS, READ_ONCE(l->hard_seconds)) ||
	    vesp_nl_put_u64(skb, VESP_A_SA_SEQ, vesp_sa_last_seq(sa)) ||
	    vesp_nl_put_u64(skb, VESP_A_SA_PACKETS, atomic64_read(&sa->packets)) ||
	    vesp_nl_put_u64(skb, VESP_A_SA_BYTES, atomic64_read(&sa->bytes)) ||
	    nla_put_u32(skb, VESP_A_SA_AGE, ktime_get_seconds() - sa->added) ||
	    (reason && nla_put_u8(skb, VESP_A_SA_EXPIRE_REASON, reason))) {
		nla_nest_cancel(skb, nest);
		return -EMSGSIZE;
	}
	nla_nest_end(skb, nest);
	return 0;
}

static void *vesp_nl_put_header(struct sk_buff *skb, u32 portid, u32 seq,
				int flags, u8 cmd, struct vesp_device *vesp)
{
	void *hdr = genlmsg_put(skb, portid, seq, &vesp_nl_family, flags, cmd);

	if (!hdr)
		return NULL;
	if (nla_put_u32(skb, VESP_A_IFINDEX, vesp->dev->ifindex) ||
	    nla_put_string(skb, VESP_A_IFNAME, vesp->dev->name)) {
		genlmsg_cancel(skb, hdr);
		return NULL;
	}
	return hdr;
}

/*
 * A peer with its paths and SAs, then as many prefixes as fit from
 * *prefix_pos on. Return: 0 when every prefix fitted, -EMSGSIZE when the
 * caller must continue the prefixes in another message, which this one
 * then must not be cancelled for if it holds at least one.
 */
static int vesp_nl_put_peer(struct sk_buff *skb, struct vesp_peer *peer,
			    u64 *prefix_pos, bool with_objects)
{
	struct vesp_device *vesp = peer->vesp;
	struct vesp_path *path;
	struct nlattr *nest;
	struct vesp_sa *sa;
	int ret;

	nest = nla_nest_start(skb, VESP_A_PEER);
	if (!nest || nla_put_u32(skb, VESP_A_PEER_ID, peer->id))
		goto cancel;
	if (with_objects) {
		if (vesp_nl_put_peer_liveness(skb, peer))
			goto cancel;
		list_for_each_entry(path, &peer->path_list, peer_entry)
			if (vesp_nl_put_path(skb, peer, path))
				goto cancel;
		list_for_each_entry(sa, &peer->sa_list, peer_entry)
			if (vesp_nl_put_sa(skb, sa, 0))
				goto cancel;
	}
	ret = vesp_prefixes_walk_peer(&vesp->prefixes, peer, prefix_pos,
				      vesp_nl_put_prefix, skb);
	nla_nest_end(skb, nest);
	return ret ? -EMSGSIZE : 0;

cancel:
	if (nest)
		nla_nest_cancel(skb, nest);
	return -ENOBUFS;
}

/* The device's settings; @data is the &struct vesp_device. */
static int vesp_nl_put_dev(struct sk_buff *skb, void *data)
{
	struct vesp_device *vesp = data;

	if (nla_put_u32(skb, VESP_A_FWMARK, READ_ONCE(vesp->fwmark)) ||
	    nla_put_u32(skb, VESP_A_PEER_COUNT, READ_ONCE(vesp->peer_count)) ||
	    nla_put_u32(skb, VESP_A_FLAGS, READ_ONCE(vesp->flags)))
		return -EMSGSIZE;
	return 0;
}

/* The device's drop counters; @data is the &struct vesp_device. */
static int vesp_nl_put_stats(struct sk_buff *skb, void *data)
{
	struct vesp_device *vesp = data;
	u64 drops[__VESP_A_STATS_MAX];
	struct nlattr *nest;
	int type;

	vesp_device_read_drops(vesp, drops);
	nest = nla_nest_start(skb, VESP_A_STATS);
	if (!nest)
		return -EMSGSIZE;
	for (type = VESP_A_STATS_UNSPEC + 1; type < VESP_A_STATS_PAD; type++) {
		if (nla_put_u64_64bit(skb, type, drops[type], VESP_A_STATS_PAD)) {
			nla_nest_cancel(skb, nest);
			return -EMSGSIZE;
		}
	}
	nla_nest_end(skb, nest);
	return 0;
}

/*
 * A doit's one reply, of the request's command: the header naming @vesp,
 * then what @fill puts for @obj. Return: what genlmsg_reply() returns, or
 * @fill's negative errno (-EMSGSIZE: it did not fit one message).
 */
static int vesp_nl_reply(struct genl_info *info, struct vesp_device *vesp,
			 int (*fill)(struct sk_buff *skb, void *obj), void *obj)
{
	struct sk_buff *msg;
	void *hdr;
	int ret;

	msg = genlmsg_new(NLMSG_GOODSIZE, GFP_KERNEL);
	if (!msg)
		return -ENOMEM;
	hdr = vesp_nl_put_header(msg, info->snd_portid, info->snd_seq, 0,
				 info->genlhdr->cmd, vesp);
	ret = hdr ? fill(msg, obj) : -EMSGSIZE;
	if (ret) {
		nlmsg_free(msg);
		return ret;
	}
	genlmsg_end(msg, hdr);
	return genlmsg_reply(msg, info);
}

/* ---- device ---- */

static int vesp_nl_dev_get_doit(struct sk_buff *skb, struct genl_info *info)
{
	struct vesp_device *vesp = info->user_ptr[0];

	return vesp_nl_reply(info, vesp, vesp_nl_put_dev, vesp);
}

static int vesp_nl_dev_dump_one(struct sk_buff *skb,
				struct netlink_callback *cb,
				struct vesp_device *vesp)
{
	void *hdr;

	hdr = vesp_nl_put_header(skb, NETLINK_CB(cb->skb).portid,
				 cb->nlh->nlmsg_seq, NLM_F_MULTI,
				 VESP_CMD_DEV_GET, vesp);
	if (!hdr)
		return -EMSGSIZE;
	if (vesp_nl_put_dev(skb, vesp)) {
		genlmsg_cancel(skb, hdr);
		return -EMSGSIZE;
	}
	genlmsg_end(skb, hdr);
	return 0;
}

/* A dump naming a device lists that one only. */
static int vesp_nl_dev_get_dump_filtered(struct sk_buff *skb,
					 struct netlink_callback *cb)
{
	struct vesp_device *vesp;
	int ret;

	/* cb->args[1]: the device was sent. */
	if (cb->args[1])
		return 0;
	vesp = vesp_nl_dump_device(cb);
	if (IS_ERR(vesp))
		return PTR_ERR(vesp);
	ret = vesp_nl_dev_dump_one(skb, cb, vesp);
	vesp_device_put(vesp);
	if (ret)
		return ret;
	cb->args[1] = 1;
	return skb->len;
}

static int vesp_nl_dev_get_dumpit(struct sk_buff *skb,
				  struct netlink_callback *cb)
{
	const struct genl_dumpit_info *info = genl_dumpit_info(cb);
	struct net *net = sock_net(skb->sk);
	int start = cb->args[0], index = 0;
	struct net_device *dev;

	if (info->attrs[VESP_A_IFINDEX] || info->attrs[VESP_A_IFNAME])
		return vesp_nl_dev_get_dump_filtered(skb, cb);
	rcu_read_lock();
	for_each_netdev_rcu(net, dev) {
		struct vesp_device *vesp = vesp_device_from_netdev(dev);

		if (!vesp)
			continue;
		if (index++ < start)
			continue;
		if (vesp_nl_dev_dump_one(skb, cb, vesp))
			break;
		cb->args[0] = index;
	}
	rcu_read_unlock();
	return skb->len;
}

static int vesp_nl_dev_set_doit(struct sk_buff *skb, struct genl_info *info)
{
	struct vesp_device *vesp = info->user_ptr[0];
	int ret;

	ret = vesp_nl_lock(vesp, info->extack);
	if (ret)
		return ret;
	if (info->attrs[VESP_A_FWMARK])
		vesp_device_set_fwmark(vesp,
				       nla_get_u32(info->attrs[VESP_A_FWMARK]));
	if (info->attrs[VESP_A_FLAGS])
		vesp_device_set_flags(vesp,
				      nla_get_u32(info->attrs[VESP_A_FLAGS]));
	mutex_unlock(&vesp->update_lock);
	return 0;
}

static int vesp_nl_stats_get_doit(struct sk_buff *skb, struct genl_info *info)
{
	struct vesp_device *vesp = info->user_ptr[0];

	return vesp_nl_reply(info, vesp, vesp_nl_put_stats, vesp);
}

/* ---- peers ---- */

static int vesp_nl_add_prefixes(struct vesp_device *vesp,
				struct vesp_peer *peer,
				const struct nlattr *peer_nest,
				struct netlink_ext_ack *extack)
{
	struct nlattr *attr;
	int rem, ret;

	nla_for_each_nested(attr, peer_nest, rem) {
		if (nla_type(attr) != VESP_A_PEER_PREFIX)
			continue;
		ret = vesp_nl_add_prefix(vesp, peer, attr, extack);
		if (ret)
			return ret;
	}
	return 0;
}

struct vesp_nl_stale {
	const struct nlattr *request;
	struct vesp_nl_prefix *list;
	unsigned int count;
	unsigned int room;
};

struct vesp_nl_prefix {
	u16 family;
	u8 cidr;
	union vesp_addr addr;
};

static bool vesp_nl_request_has_prefix(const struct nlattr *peer_nest,
				       const struct vesp_nl_prefix *p)
{
	struct vesp_nl_prefix q;
	struct nlattr *attr;
	int rem;

	nla_for_each_nested(attr, peer_nest, rem) {
		if (nla_type(attr) != VESP_A_PEER_PREFIX)
			continue;
		memset(&q, 0, sizeof(q));
		if (vesp_nl_parse_prefix(attr, &q.family, &q.addr, &q.cidr, NULL))
			continue;
		if (q.family == p->family && q.cidr == p->cidr &&
		    !memcmp(&q.addr, &p->addr, vesp_family_addr_len(p->family)))
			return true;
	}
	return false;
}

static int vesp_nl_collect_stale(void *ctx, int family, const void *addr,
				 u8 cidr)
{
	struct vesp_nl_stale *stale = ctx;
	struct vesp_nl_prefix p = { .family = family, .cidr = cidr };

	memcpy(&p.addr, addr, vesp_family_addr_len(family));
	if (vesp_nl_request_has_prefix(stale->request, &p))
		return 0;
	if (stale->count == stale->room)
		return -ENOSPC;
	stale->list[stale->count++] = p;
	return 0;
}

/* Removes the peer's prefixes that the replacing request does not name. */
static int vesp_nl_remove_stale_prefixes(struct vesp_device *vesp,
					 struct vesp_peer *peer,
					 const struct nlattr *peer_nest)
{
	struct vesp_nl_stale stale = { .request = peer_nest };
	unsigned int i;
	u64 pos = 0;
	int ret;

	stale.room = READ_ONCE(vesp->prefixes.count);
	stale.list = kvcalloc(max(stale.room, 1U), sizeof(*stale.list),
			      GFP_KERNEL);
	if (!stale.list)
		return -ENOMEM;
	ret = vesp_prefixes_walk_peer(&vesp->prefixes, peer, &pos,
				      vesp_nl_collect_stale, &stale);
	for (i = 0; !ret && i < stale.count; i++)
		vesp_prefixes_remove(&vesp->prefixes, stale.list[i].family,
				     &stale.list[i].addr, stale.list[i].cidr,
				     peer, &vesp->update_lock);
	kvfree(stale.list);
	return ret;
}

/*
 * The liveness settings of a request, on top of the peer's current ones.
 * Checked before anything changes.
 */
struct vesp_nl_liveness {
	u32 interval_ms;
	u8 multiplier;
	u32 hold_down_ms;
	bool roaming;
};

static bool vesp_nl_has_liveness(struct nlattr **tb)
{
	return tb[VESP_A_PEER_LIVENESS_INTERVAL] ||
	       tb[VESP_A_PEER_LIVENESS_MULTIPLIER] ||
	       tb[VESP_A_PEER_HOLD_DOWN] || tb[VESP_A_PEER_ROAMING];
}

static int vesp_nl_get_liveness(struct nlattr **tb, struct vesp_nl_liveness *l,
				struct netlink_ext_ack *extack)
{
	struct nlattr *attr = tb[VESP_A_PEER_LIVENESS_INTERVAL];

	if (attr) {
		l->interval_ms = nla_get_u32(attr);
		if (l->interval_ms && l->interval_ms < VESP_LIVENESS_INTERVAL_MIN) {
			NL_SET_ERR_MSG_ATTR(extack, attr,
					    "the liveness interval is 0 (off) or 10 to 30000 ms");
			return -ERANGE;
		}
	}
	if (tb[VESP_A_PEER_LIVENESS_MULTIPLIER])
		l->multiplier = nla_get_u8(tb[VESP_A_PEER_LIVENESS_MULTIPLIER]);
	if (tb[VESP_A_PEER_HOLD_DOWN])
		l->hold_down_ms = nla_get_u32(tb[VESP_A_PEER_HOLD_DOWN]);
	if (tb[VESP_A_PEER_ROAMING])
		l->roaming = nla_get_u8(tb[VESP_A_PEER_ROAMING]);
	return 0;
}

static void vesp_nl_current_liveness(struct vesp_peer *peer,
				     struct vesp_nl_liveness *l)
{
	l->interval_ms = peer->interval_ms;
	l->multiplier = peer->multiplier;
	l->hold_down_ms = peer->hold_down_ms;
	l->roaming = peer->roaming;
}

/* Applies the request's liveness settings, if it has any; lock held. */
static int vesp_nl_apply_liveness(struct vesp_peer *peer, struct nlattr **tb,
				  struct netlink_ext_ack *extack)
{
	struct vesp_nl_liveness l;
	int ret;

	if (!vesp_nl_has_liveness(tb))
		return 0;
	vesp_nl_current_liveness(peer, &l);
	ret = vesp_nl_get_liveness(tb, &l, extack);
	if (ret)
		return ret;
	vesp_liveness_configure(peer, l.interval_ms, l.multiplier,
				l.hold_down_ms, l.roaming);
	vesp_device_config_changed(peer->vesp);
	return 0;
}

static int vesp_nl_peer_set_doit(struct sk_buff *skb, struct genl_info *info)
{
	struct vesp_device *vesp = info->user_ptr[0];
	struct nlattr *tb[VESP_A_PEER_MAX + 1];
	struct vesp_nl_liveness check = {};
	struct vesp_peer *peer;
	int ret;

	ret = vesp_nl_parse_peer(info, tb);
	if (ret)
		return ret;
	if (tb[VESP_A_PEER_PREFIX] || tb[VESP_A_PEER_PATH] || tb[VESP_A_PEER_SA]) {
		NL_SET_ERR_MSG(info->extack,
			       "prefixes, paths and SAs are changed with their own commands");
		return -EINVAL;
	}
	if (!vesp_nl_has_liveness(tb)) {
		NL_SET_ERR_MSG_ATTR(info->extack, info->attrs[VESP_A_PEER],
				    "nothing to change: name a liveness setting");
		return -EINVAL;
	}
	ret = vesp_nl_get_liveness(tb, &check, info->extack);
	if (ret)
		return ret;
	ret = vesp_nl_lock(vesp, info->extack);
	if (ret)
		return ret;
	peer = vesp_nl_find_peer(vesp, tb, info->extack);
	ret = peer ? vesp_nl_apply_liveness(peer, tb, info->extack) : -ENOENT;
	mutex_unlock(&vesp->update_lock);
	return ret;
}

/*
 * A new peer gets its prefixes; with NLM_F_REPLACE an existing one gets a
 * new set. Prefixes held by other peers move (the last writer wins, as in
 * WireGuard). Every prefix is checked before anything changes, and a
 * replaced peer never loses a prefix it keeps, not even for a moment.
 */
static int vesp_nl_peer_new_doit(struct sk_buff *skb, struct genl_info *info)
{
	bool replace = info->nlhdr->nlmsg_flags & NLM_F_REPLACE;
	struct vesp_device *vesp = info->user_ptr[0];
	struct nlattr *tb[VESP_A_PEER_MAX + 1];
	struct vesp_nl_liveness check = {};
	struct vesp_peer *peer;
	int ret;

	ret = vesp_nl_parse_peer(info, tb);
	if (ret)
		return ret;
	if (tb[VESP_A_PEER_PATH] || tb[VESP_A_PEER_SA]) {
		NL_SET_ERR_MSG(info->extack,
			       "paths and SAs are added with their own commands");
		return -EINVAL;
	}
	ret = vesp_nl_check_prefixes(info->attrs[VESP_A_PEER], info->extack);
	if (ret)
		return ret;
	ret = vesp_nl_get_liveness(tb, &check, info->extack);
	if (ret)
		return ret;
	ret = vesp_nl_lock(vesp, info->extack);
	if (ret)
		return ret;

	peer = vesp_peer_find(vesp, nla_get_u32(tb[VESP_A_PEER_ID]));
	if (peer && !replace) {
		NL_SET_ERR_MSG_ATTR(info->extack, tb[VESP_A_PEER_ID],
				    "the peer exists; NLM_F_REPLACE replaces its prefixes");
		ret = -EEXIST;
		goto out;
	}
	if (peer) {
		ret = vesp_nl_remove_stale_prefixes(vesp, peer,
						    info->attrs[VESP_A_PEER]);
		if (ret)
			goto out;
	} else {
		peer = vesp_peer_create(vesp, nla_get_u32(tb[VESP_A_PEER_ID]),
					info->extack);
		if (IS_ERR(peer)) {
			ret = PTR_ERR(peer);
			goto out;
		}
	}
	/* Only -ENOMEM or a full table can fail here: input was checked. */
	ret = vesp_nl_add_prefixes(vesp, peer, info->attrs[VESP_A_PEER],
				   info->extack);
	if (!ret)
		ret = vesp_nl_apply_liveness(peer, tb, info->extack);
	if (ret && !replace)
		vesp_peer_remove(peer);
	vesp_device_config_changed(vesp);
out:
	mutex_unlock(&vesp->update_lock);
	return ret;
}

static int vesp_nl_peer_del_doit(struct sk_buff *skb, struct genl_info *info)
{
	struct vesp_device *vesp = info->user_ptr[0];
	struct nlattr *tb[VESP_A_PEER_MAX + 1];
	struct vesp_peer *peer;
	int ret;

	ret = vesp_nl_parse_peer(info, tb);
	if (ret)
		return ret;
	ret = vesp_nl_lock(vesp, info->extack);
	if (ret)
		return ret;
	peer = vesp_nl_find_peer(vesp, tb, info->extack);
	if (peer)
		vesp_peer_remove(peer);
	else
		ret = -ENOENT;
	mutex_unlock(&vesp->update_lock);
	return ret;
}

/* The whole peer, which a doit reply must hold in one message. */
static int vesp_nl_put_whole_peer(struct sk_buff *skb, void *peer)
{
	u64 pos = 0;

	return vesp_nl_put_peer(skb, peer, &pos, true) ? -EMSGSIZE : 0;
}

static int vesp_nl_peer_get_doit(struct sk_buff *skb, struct genl_info *info)
{
	struct vesp_device *vesp = info->user_ptr[0];
	struct nlattr *tb[VESP_A_PEER_MAX + 1];
	struct vesp_peer *peer;
	int ret;

	ret = vesp_nl_parse_peer(info, tb);
	if (ret)
		return ret;
	ret = vesp_nl_lock(vesp, info->extack);
	if (ret)
		return ret;
	peer = vesp_nl_find_peer(vesp, tb, info->extack);
	ret = peer ? vesp_nl_reply(info, vesp, vesp_nl_put_whole_peer, peer) :
		     -ENOENT;
	mutex_unlock(&vesp->update_lock);
	if (ret == -EMSGSIZE)
		NL_SET_ERR_MSG(info->extack,
			       "the peer does not fit one message: use a dump");
	return ret;
}

/*
 * Dump state in cb->args: [0] ifindex, [1] index of the current peer,
 * [2] position in its prefixes, [3] whether its paths and SAs were sent.
 */
static int vesp_nl_peer_get_dumpit(struct sk_buff *skb,
				   struct netlink_callback *cb)
{
	struct vesp_device *vesp;
	struct vesp_peer *peer;
	long index = 0;
	int ret = 0;
	void *hdr;

	vesp = vesp_nl_dump_device(cb);
	if (IS_ERR(vesp))
		return PTR_ERR(vesp);
	mutex_lock(&vesp->update_lock);
	cb->seq = vesp->update_gen;
	list_for_each_entry(peer, &vesp->peer_list, vesp_entry) {
		u64 pos = cb->args[2];

		if (index++ < cb->args[1])
			continue;
		hdr = vesp_nl_put_header(skb, NETLINK_CB(cb->skb).portid,
					 cb->nlh->nlmsg_seq, NLM_F_MULTI,
					 VESP_CMD_PEER_GET, vesp);
		if (!hdr)
			break;
		genl_dump_check_consistent(cb, hdr);
		ret = vesp_nl_put_peer(skb, peer, &pos, !cb->args[3]);
		if (ret == -ENOBUFS) {
			genlmsg_cancel(skb, hdr);
			break;
		}
		genlmsg_end(skb, hdr);
		if (ret == -EMSGSIZE) {
			/* Continue this peer's prefixes in the next message. */
			cb->args[2] = pos;
			cb->args[3] = 1;
			break;
		}
		cb->args[1] = index;
		cb->args[2] = 0;
		cb->args[3] = 0;
	}
	mutex_unlock(&vesp->update_lock);
	vesp_device_put(vesp);
	/* Nothing fitted in an empty skb: report it instead of looping. */
	if (ret == -ENOBUFS && !skb->len)
		return -EMSGSIZE;
	return skb->len;
}

/* ---- paths ---- */

static int vesp_nl_parse_path(struct genl_info *info, struct nlattr **peer_tb,
			      struct nlattr **tb)
{
	if (!peer_tb[VESP_A_PEER_PATH]) {
		NL_SET_ERR_MSG_ATTR(info->extack, info->attrs[VESP_A_PEER],
				    "the request needs a path");
		return -EINVAL;
	}
	nla_parse_nested(tb, VESP_A_PATH_MAX, peer_tb[VESP_A_PEER_PATH],
			 vesp_nl_path_policy, info->extack);
	if (!tb[VESP_A_PATH_ID]) {
		NL_SET_ERR_MSG_ATTR(info->extack, peer_tb[VESP_A_PEER_PATH],
				    "the path needs an ID");
		return -EINVAL;
	}
	return 0;
}

static int vesp_nl_path_new_doit(struct sk_buff *skb, struct genl_info *info)
{
	struct vesp_device *vesp = info->user_ptr[0];
	struct nlattr *peer_tb[VESP_A_PEER_MAX + 1];
	struct nlattr *tb[VESP_A_PATH_MAX + 1];
	union vesp_addr local = {}, remote;
	struct netlink_ext_ack *extack = info->extack;
	struct vesp_path *path;
	struct vesp_peer *peer;
	u16 family;
	int ret;

	ret = vesp_nl_parse_peer(info, peer_tb);
	if (ret)
		return ret;
	ret = vesp_nl_parse_path(info, peer_tb, tb);
	if (ret)
		return ret;
	ret = vesp_nl_get_family(tb[VESP_A_PATH_FAMILY],
				 peer_tb[VESP_A_PEER_PATH], extack, &family);
	if (ret)
		return ret;
	if (!tb[VESP_A_PATH_REMOTE]) {
		NL_SET_ERR_MSG_ATTR(extack, peer_tb[VESP_A_PEER_PATH],
				    "the path needs a remote address");
		return -EINVAL;
	}
	ret = vesp_nl_get_addr(tb[VESP_A_PATH_REMOTE], family, &remote, extack);
	if (ret)
		return ret;
	if (!vesp_addr_is_unicast(family, &remote)) {
		NL_SET_ERR_MSG_ATTR(extack, tb[VESP_A_PATH_REMOTE],
				    "the remote address must be unicast");
		return -EINVAL;
	}
	if (tb[VESP_A_PATH_LOCAL]) {
		ret = vesp_nl_get_addr(tb[VESP_A_PATH_LOCAL], family, &local,
				       extack);
		if (ret)
			return ret;
	}
	path = vesp_path_create(nla_get_u32(tb[VESP_A_PATH_ID]), family,
				&local, &remote,
				tb[VESP_A_PATH_PRIORITY] ?
				nla_get_u32(tb[VESP_A_PATH_PRIORITY]) : 0);
	if (IS_ERR(path))
		return PTR_ERR(path);

	ret = vesp_nl_lock(vesp, extack);
	if (ret)
		goto err_free;
	peer = vesp_nl_find_peer(vesp, peer_tb, extack);
	ret = peer ? vesp_peer_add_path(peer, path, extack) : -ENOENT;
	mutex_unlock(&vesp->update_lock);
	if (ret)
		goto err_free;
	return 0;

err_free:
	vesp_path_free(path);
	return ret;
}

static int vesp_nl_path_del_doit(struct sk_buff *skb, struct genl_info *info)
{
	struct vesp_device *vesp = info->user_ptr[0];
	struct nlattr *peer_tb[VESP_A_PEER_MAX + 1];
	struct nlattr *tb[VESP_A_PATH_MAX + 1];
	struct vesp_path *path;
	struct vesp_peer *peer;
	int ret;

	ret = vesp_nl_parse_peer(info, peer_tb);
	if (ret)
		return ret;
	ret = vesp_nl_parse_path(info, peer_tb, tb);
	if (ret)
		return ret;
	ret = vesp_nl_lock(vesp, info->extack);
	if (ret)
		return ret;
	peer = vesp_nl_find_peer(vesp, peer_tb, info->extack);
	if (!peer) {
		ret = -ENOENT;
		goto out;
	}
	path = vesp_peer_find_path(peer, nla_get_u32(tb[VESP_A_PATH_ID]));
	if (!path) {
		NL_SET_ERR_MSG_ATTR(info->extack, tb[VESP_A_PATH_ID],
				    "no such path");
		ret = -ENOENT;
		goto out;
	}
	vesp_peer_remove_path(peer, path);
out:
	mutex_unlock(&vesp->update_lock);
	return ret;
}

/* ---- SAs ---- */

static int vesp_nl_parse_sa(struct genl_info *info, struct nlattr **peer_tb,
			    struct nlattr **tb, bool need_alg)
{
	struct netlink_ext_ack *extack = info->extack;
	struct nlattr *nest = peer_tb[VESP_A_PEER_SA];

	if (!nest) {
		NL_SET_ERR_MSG_ATTR(extack, info->attrs[VESP_A_PEER],
				    "the request needs an SA");
		return -EINVAL;
	}
	nla_parse_nested(tb, VESP_A_SA_MAX, nest, vesp_nl_sa_policy, extack);
	if (!tb[VESP_A_SA_SPI] || !tb[VESP_A_SA_DIR]) {
		NL_SET_ERR_MSG_ATTR(extack, nest, "an SA needs an SPI and a direction");
		return -EINVAL;
	}
	if (need_alg && !tb[VESP_A_SA_ALG]) {
		NL_SET_ERR_MSG_ATTR(extack, nest, "a new SA needs an algorithm");
		return -EINVAL;
	}
	if (tb[VESP_A_SA_ACTIVE] &&
	    nla_get_u8(tb[VESP_A_SA_DIR]) != VESP_SA_DIR_OUT) {
		NL_SET_ERR_MSG_ATTR(extack, tb[VESP_A_SA_ACTIVE],
				    "only an outbound SA can be active");
		return -EINVAL;
	}
	if (tb[VESP_A_SA_REPLAY_WINDOW] &&
	    nla_get_u8(tb[VESP_A_SA_DIR]) != VESP_SA_DIR_IN) {
		NL_SET_ERR_MSG_ATTR(extack, tb[VESP_A_SA_REPLAY_WINDOW],
				    "only an inbound SA has a replay window");
		return -EINVAL;
	}
	return 0;
}

static u64 vesp_nl_get_u64(struct nlattr **tb, int type, u64 current_value)
{
	return tb[type] ? nla_get_u64(tb[type]) : current_value;
}

static u32 vesp_nl_get_u32(struct nlattr **tb, int type, u32 current_value)
{
	return tb[type] ? nla_get_u32(tb[type]) : current_value;
}

static int vesp_nl_get_limits(struct nlattr **tb, struct vesp_sa_limits *l,
			      struct netlink_ext_ack *extack)
{
	l->soft_bytes = vesp_nl_get_u64(tb, VESP_A_SA_SOFT_BYTES, l->soft_bytes);
	l->hard_bytes = vesp_nl_get_u64(tb, VESP_A_SA_HARD_BYTES, l->hard_bytes);
	l->soft_packets = vesp_nl_get_u64(tb, VESP_A_SA_SOFT_PACKETS,
					  l->soft_packets);
	l->hard_packets = vesp_nl_get_u64(tb, VESP_A_SA_HARD_PACKETS,
					  l->hard_packets);
	l->soft_seconds = vesp_nl_get_u32(tb, VESP_A_SA_SOFT_SECONDS,
					  l->soft_seconds);
	l->hard_seconds = vesp_nl_get_u32(tb, VESP_A_SA_HARD_SECONDS,
					  l->hard_seconds);
	if ((l->hard_bytes && l->soft_bytes > l->hard_bytes) ||
	    (l->hard_packets && l->soft_packets > l->hard_packets) ||
	    (l->hard_seconds && l->soft_seconds > l->hard_seconds)) {
		NL_SET_ERR_MSG(extack, "a soft lifetime exceeds its hard lifetime");
		return -EINVAL;
	}
	return 0;
}

static void vesp_nl_wipe_keys(struct nlattr **tb)
{
	if (tb[VESP_A_SA_ENC_KEY])
		memzero_explicit(nla_data(tb[VESP_A_SA_ENC_KEY]),
				 nla_len(tb[VESP_A_SA_ENC_KEY]));
	if (tb[VESP_A_SA_AUTH_KEY])
		memzero_explicit(nla_data(tb[VESP_A_SA_AUTH_KEY]),
				 nla_len(tb[VESP_A_SA_AUTH_KEY]));
}

static int vesp_nl_sa_new_doit(struct sk_buff *skb, struct genl_info *info)
{
	struct vesp_device *vesp = info->user_ptr[0];
	struct nlattr *peer_tb[VESP_A_PEER_MAX + 1];
	struct nlattr *tb[VESP_A_SA_MAX + 1] = {};
	struct vesp_sa_config cfg = {};
	struct vesp_peer *peer;
	struct vesp_sa *sa;
	int ret;

	ret = vesp_nl_parse_peer(info, peer_tb);
	if (ret)
		return ret;
	ret = vesp_nl_parse_sa(info, peer_tb, tb, true);
	if (ret)
		goto out_wipe;
	cfg.spi = nla_get_u32(tb[VESP_A_SA_SPI]);
	cfg.dir = nla_get_u8(tb[VESP_A_SA_DIR]);
	cfg.alg = nla_get_u32(tb[VESP_A_SA_ALG]);
	cfg.esn = nla_get_flag(tb[VESP_A_SA_ESN]);
	cfg.replay_window = vesp_nl_get_u32(tb, VESP_A_SA_REPLAY_WINDOW,
					    VESP_REPLAY_WINDOW_DEFAULT);
	if (tb[VESP_A_SA_ENC_KEY]) {
		cfg.enc_key = nla_data(tb[VESP_A_SA_ENC_KEY]);
		cfg.enc_key_len = nla_len(tb[VESP_A_SA_ENC_KEY]);
	}
	if (tb[VESP_A_SA_AUTH_KEY]) {
		cfg.auth_key = nla_data(tb[VESP_A_SA_AUTH_KEY]);
		cfg.auth_key_len = nla_len(tb[VESP_A_SA_AUTH_KEY]);
	}
	ret = vesp_nl_get_limits(tb, &cfg.limits, info->extack);
	if (ret)
		goto out_wipe;

	sa = vesp_sa_create(&cfg, info->extack);
	if (IS_ERR(sa)) {
		ret = PTR_ERR(sa);
		goto out_wipe;
	}
	ret = vesp_nl_lock(vesp, info->extack);
	if (ret)
		goto err_put;
	peer = vesp_nl_find_peer(vesp, peer_tb, info->extack);
	ret = peer ? vesp_peer_add_sa(peer, sa, nla_get_flag(tb[VESP_A_SA_ACTIVE]),
				      info->extack) : -ENOENT;
	mutex_unlock(&vesp->update_lock);
	if (ret)
		goto err_put;
	goto out_wipe;

err_put:
	vesp_sa_put(sa);
out_wipe:
	vesp_nl_wipe_keys(tb);
	return ret;
}

static struct vesp_sa *vesp_nl_find_sa(struct vesp_peer *peer,
				       struct nlattr **tb,
				       struct netlink_ext_ack *extack)
{
	struct vesp_sa *sa;

	sa = vesp_peer_find_sa(peer, nla_get_u8(tb[VESP_A_SA_DIR]),
			       nla_get_u32(tb[VESP_A_SA_SPI]));
	if (!sa)
		NL_SET_ERR_MSG_ATTR(extack, tb[VESP_A_SA_SPI],
				    "the peer has no SA with this SPI and direction");
	return sa;
}

static int vesp_nl_sa_set_doit(struct sk_buff *skb, struct genl_info *info)
{
	struct vesp_device *vesp = info->user_ptr[0];
	struct nlattr *peer_tb[VESP_A_PEER_MAX + 1];
	struct nlattr *tb[VESP_A_SA_MAX + 1] = {};
	struct vesp_sa_limits limits;
	struct vesp_peer *peer;
	struct vesp_sa *sa;
	int ret;

	ret = vesp_nl_parse_peer(info, peer_tb);
	if (ret)
		return ret;
	ret = vesp_nl_parse_sa(info, peer_tb, tb, false);
	if (ret)
		goto out_wipe;
	if (tb[VESP_A_SA_ALG] || tb[VESP_A_SA_ENC_KEY] || tb[VESP_A_SA_AUTH_KEY] ||
	    tb[VESP_A_SA_ESN] || tb[VESP_A_SA_REPLAY_WINDOW]) {
		NL_SET_ERR_MSG(info->extack,
			       "algorithm, keys, ESN and window are fixed: add a new SA");
		ret = -EOPNOTSUPP;
		goto out_wipe;
	}
	ret = vesp_nl_lock(vesp, info->extack);
	if (ret)
		goto out_wipe;
	peer = vesp_nl_find_peer(vesp, peer_tb, info->extack);
	sa = peer ? vesp_nl_find_sa(peer, tb, info->extack) : NULL;
	if (!sa) {
		ret = -ENOENT;
		goto out_unlock;
	}
	limits = sa->limits;
	ret = vesp_nl_get_limits(tb, &limits, info->extack);
	if (ret)
		goto out_unlock;
	if (tb[VESP_A_SA_ACTIVE] && !vesp_sa_usable(sa)) {
		NL_SET_ERR_MSG_ATTR(info->extack, tb[VESP_A_SA_ACTIVE],
				    "the SA has expired");
		ret = -EKEYEXPIRED;
		goto out_unlock;
	}
	WRITE_ONCE(sa->limits.soft_bytes, limits.soft_bytes);
	WRITE_ONCE(sa->limits.hard_bytes, limits.hard_bytes);
	WRITE_ONCE(sa->limits.soft_packets, limits.soft_packets);
	WRITE_ONCE(sa->limits.hard_packets, limits.hard_packets);
	WRITE_ONCE(sa->limits.soft_seconds, limits.soft_seconds);
	WRITE_ONCE(sa->limits.hard_seconds, limits.hard_seconds);
	if (tb[VESP_A_SA_ACTIVE])
		vesp_peer_activate_sa(peer, sa);
	vesp_device_config_changed(vesp);
	vesp_device_kick_expiry(vesp);
out_unlock:
	mutex_unlock(&vesp->update_lock);
out_wipe:
	vesp_nl_wipe_keys(tb);
	return ret;
}

static int vesp_nl_sa_del_doit(struct sk_buff *skb, struct genl_info *info)
{
	struct vesp_device *vesp = info->user_ptr[0];
	struct nlattr *peer_tb[VESP_A_PEER_MAX + 1];
	struct nlattr *tb[VESP_A_SA_MAX + 1] = {};
	struct vesp_peer *peer;
	struct vesp_sa *sa;
	int ret;

	ret = vesp_nl_parse_peer(info, peer_tb);
	if (ret)
		return ret;
	ret = vesp_nl_parse_sa(info, peer_tb, tb, false);
	if (ret)
		goto out_wipe;
	ret = vesp_nl_lock(vesp, info->extack);
	if (ret)
		goto out_wipe;
	peer = vesp_nl_find_peer(vesp, peer_tb, info->extack);
	sa = peer ? vesp_nl_find_sa(peer, tb, info->extack) : NULL;
	if (sa)
		vesp_peer_remove_sa(peer, sa);
	else
		ret = -ENOENT;
	mutex_unlock(&vesp->update_lock);
out_wipe:
	vesp_nl_wipe_keys(tb);
	return ret;
}

/* A peer nest with only the ID and the SA. */
static int vesp_nl_put_peer_sa(struct sk_buff *skb, struct vesp_sa *sa,
			       u8 reason)
{
	struct nlattr *nest = nla_nest_start(skb, VESP_A_PEER);

	if (!nest)
		return -EMSGSIZE;
	if (nla_put_u32(skb, VESP_A_PEER_ID, sa->peer->id) ||
	    vesp_nl_put_sa(skb, sa, reason)) {
		nla_nest_cancel(skb, nest);
		return -EMSGSIZE;
	}
	nla_nest_end(skb, nest);
	return 0;
}

static int vesp_nl_put_sa_msg(struct sk_buff *skb, u32 portid, u32 seq,
			      int flags, u8 cmd, struct vesp_device *vesp,
			      struct vesp_sa *sa, u8 reason,
			      struct netlink_callback *cb)
{
	void *hdr;

	hdr = vesp_nl_put_header(skb, portid, seq, flags, cmd, vesp);
	if (!hdr)
		return -EMSGSIZE;
	if (cb)
		genl_dump_check_consistent(cb, hdr);
	if (vesp_nl_put_peer_sa(skb, sa, reason)) {
		genlmsg_cancel(skb, hdr);
		return -EMSGSIZE;
	}
	genlmsg_end(skb, hdr);
	return 0;
}

static int vesp_nl_put_sa_reply(struct sk_buff *skb, void *sa)
{
	return vesp_nl_put_peer_sa(skb, sa, 0);
}

static int vesp_nl_sa_get_doit(struct sk_buff *skb, struct genl_info *info)
{
	struct vesp_device *vesp = info->user_ptr[0];
	struct nlattr *peer_tb[VESP_A_PEER_MAX + 1];
	struct nlattr *tb[VESP_A_SA_MAX + 1] = {};
	struct vesp_peer *peer;
	struct vesp_sa *sa;
	int ret;

	ret = vesp_nl_parse_peer(info, peer_tb);
	if (ret)
		return ret;
	ret = vesp_nl_parse_sa(info, peer_tb, tb, false);
	if (ret)
		goto out_wipe;
	ret = vesp_nl_lock(vesp, info->extack);
	if (ret)
		goto out_wipe;
	peer = vesp_nl_find_peer(vesp, peer_tb, info->extack);
	sa = peer ? vesp_nl_find_sa(peer, tb, info->extack) : NULL;
	ret = sa ? vesp_nl_reply(info, vesp, vesp_nl_put_sa_reply, sa) : -ENOENT;
	mutex_unlock(&vesp->update_lock);
out_wipe:
	vesp_nl_wipe_keys(tb);
	return ret;
}

/* Dump state in cb->args: [0] ifindex, [1] peer index, [2] SA index. */
static int vesp_nl_sa_get_dumpit(struct sk_buff *skb,
				 struct netlink_callback *cb)
{
	struct vesp_device *vesp;
	struct vesp_peer *peer;
	long pi = 0, si;
	struct vesp_sa *sa;

	vesp = vesp_nl_dump_device(cb);
	if (IS_ERR(vesp))
		return PTR_ERR(vesp);
	mutex_lock(&vesp->update_lock);
	cb->seq = vesp->update_gen;
	list_for_each_entry(peer, &vesp->peer_list, vesp_entry) {
		if (pi++ < cb->args[1])
			continue;
		si = 0;
		list_for_each_entry(sa, &peer->sa_list, peer_entry) {
			if (si++ < cb->args[2])
				continue;
			if (vesp_nl_put_sa_msg(skb, NETLINK_CB(cb->skb).portid,
					       cb->nlh->nlmsg_seq, NLM_F_MULTI,
					       VESP_CMD_SA_GET, vesp, sa, 0, cb))
				goto out;
			cb->args[2] = si;
		}
		cb->args[1] = pi;
		cb->args[2] = 0;
	}
out:
	mutex_unlock(&vesp->update_lock);
	vesp_device_put(vesp);
	return skb->len;
}

/* ---- events ---- */

enum vesp_nl_mcgrp {
	VESP_NL_MCGRP_EVENTS,
};

static const struct genl_multicast_group vesp_nl_mcgrps[] = {
	/* Events name SAs and peers: for the administrator only. */
	[VESP_NL_MCGRP_EVENTS] = { .name = VESP_MCGRP_EVENTS,
				   .flags = GENL_MCAST_CAP_NET_ADMIN },
};

/**
 * vesp_nl_notify_sa_expire() - tell listeners an SA reached a limit
 * @vesp: the device
 * @sa: the SA, still in its peer's list
 * @reason: &enum vesp_sa_expire_reason
 *
 * Context: process context, the device's update_lock held.
 */
void vesp_nl_notify_sa_expire(struct vesp_device *vesp, struct vesp_sa *sa,
			      u8 reason)
{
	struct sk_buff *msg;

	msg = genlmsg_new(NLMSG_GOODSIZE, GFP_KERNEL);
	if (!msg)
		return;
	if (vesp_nl_put_sa_msg(msg, 0, 0, 0, VESP_CMD_SA_EXPIRE_NTF, vesp, sa,
			       reason, NULL)) {
		nlmsg_free(msg);
		return;
	}
	genlmsg_multicast_netns(&vesp_nl_family, dev_net(vesp->dev), msg, 0,
				VESP_NL_MCGRP_EVENTS, GFP_KERNEL);
}

/*
 * A notification about a peer: its ID and, for path events, its switch
 * count and the path. Built and sent atomically: callers may hold spin
 * locks.
 */
static void vesp_nl_notify_peer(struct vesp_peer *peer, u8 cmd,
				struct vesp_path *path, u8 event, u32 prev_id,
				const union vesp_addr *prev_remote)
{
	struct vesp_device *vesp = peer->vesp;
	struct nlattr *nest;
	struct sk_buff *msg;
	void *hdr;

	msg = genlmsg_new(NLMSG_DEFAULT_SIZE, GFP_ATOMIC);
	if (!msg)
		return;
	hdr = vesp_nl_put_header(msg, 0, 0, 0, cmd, vesp);
	if (!hdr)
		goto err_free;
	nest = nla_nest_start(msg, VESP_A_PEER);
	if (!nest || nla_put_u32(msg, VESP_A_PEER_ID, peer->id))
		goto err_free;
	if (path &&
	    (nla_put_u32(msg, VESP_A_PEER_PATH_SWITCHES,
			 READ_ONCE(peer->path_switches)) ||
	     vesp_nl_put_path_event(msg, peer, path, event, prev_id,
				    prev_remote)))
		goto err_free;
	nla_nest_end(msg, nest);
	genlmsg_end(msg, hdr);
	genlmsg_multicast_netns(&vesp_nl_family, dev_net(vesp->dev), msg, 0,
				VESP_NL_MCGRP_EVENTS, GFP_ATOMIC);
	return;

err_free:
	nlmsg_free(msg);
}

/**
 * vesp_nl_notify_acquire() - tell listeners that traffic needs an SA
 * @vesp: the device
 * @peer: the peer the traffic is for
 *
 * Context: any; the caller rate-limits.
 */
void vesp_nl_notify_acquire(struct vesp_device *vesp, struct vesp_peer *peer)
{
	vesp_nl_notify_peer(peer, VESP_CMD_ACQUIRE_NTF, NULL, 0, 0, NULL);
}

/**
 * vesp_nl_notify_path() - tell listeners what happened to a path
 * @peer: the peer
 * @path: the path, in the peer's list
 * @event: &enum vesp_path_event
 * @prev_id: for %VESP_PATH_EVENT_SWITCHED, the path used before, or 0
 * @prev_remote: for %VESP_PATH_EVENT_ROAMED, the remote before, or NULL
 *
 * Context: any but hard IRQ, the peer's liveness_lock held.
 */
void vesp_nl_notify_path(struct vesp_peer *peer, struct vesp_path *path,
			 u8 event, u32 prev_id,
			 const union vesp_addr *prev_remote)
{
	vesp_nl_notify_peer(peer, VESP_CMD_PATH_NTF, path, event, prev_id,
			    prev_remote);
}

/* ---- the family ---- */

static const struct genl_ops vesp_nl_ops[] = {
	{
		.cmd = VESP_CMD_DEV_GET,
		.doit = vesp_nl_dev_get_doit,
		.dumpit = vesp_nl_dev_get_dumpit,
	}, {
		.cmd = VESP_CMD_DEV_SET,
		.doit = vesp_nl_dev_set_doit,
		.flags = GENL_UNS_ADMIN_PERM,
	}, {
		.cmd = VESP_CMD_PEER_NEW,
		.doit = vesp_nl_peer_new_doit,
		.flags = GENL_UNS_ADMIN_PERM,
	}, {
		.cmd = VESP_CMD_PEER_DEL,
		.doit = vesp_nl_peer_del_doit,
		.flags = GENL_UNS_ADMIN_PERM,
	}, {
		.cmd = VESP_CMD_PEER_GET,
		.doit = vesp_nl_peer_get_doit,
		.dumpit = vesp_nl_peer_get_dumpit,
		/* Peers carry their SAs' state: administrator only. */
		.flags = GENL_UNS_ADMIN_PERM,
	}, {
		.cmd = VESP_CMD_PATH_NEW,
		.doit = vesp_nl_path_new_doit,
		.flags = GENL_UNS_ADMIN_PERM,
	}, {
		.cmd = VESP_CMD_PATH_DEL,
		.doit = vesp_nl_path_del_doit,
		.flags = GENL_UNS_ADMIN_PERM,
	}, {
		.cmd = VESP_CMD_SA_NEW,
		.doit = vesp_nl_sa_new_doit,
		.flags = GENL_UNS_ADMIN_PERM,
	}, {
		.cmd = VESP_CMD_SA_SET,
		.doit = vesp_nl_sa_set_doit,
		.flags = GENL_UNS_ADMIN_PERM,
	}, {
		.cmd = VESP_CMD_SA_DEL,
		.doit = vesp_nl_sa_del_doit,
		.flags = GENL_UNS_ADMIN_PERM,
	}, {
		.cmd = VESP_CMD_SA_GET,
		.doit = vesp_nl_sa_get_doit,
		.dumpit = vesp_nl_sa_get_dumpit,
		/* SA state is for the administrator only, even without keys. */
		.flags = GENL_UNS_ADMIN_PERM,
	}, {
		.cmd = VESP_CMD_STATS_GET,
		.doit = vesp_nl_stats_get_doit,
	}, {
		.cmd = VESP_CMD_PEER_SET,
		.doit = vesp_nl_peer_set_doit,
		.flags = GENL_UNS_ADMIN_PERM,
	},
};

static struct genl_family vesp_nl_family __ro_after_init = {
	.name = VESP_GENL_NAME,
	.version = VESP_GENL_VERSION,
	.maxattr = VESP_A_MAX,
	.policy = vesp_nl_policy,
	.netnsok = true,
	.parallel_ops = true,
	.pre_doit = vesp_nl_pre_doit,
	.post_doit = vesp_nl_post_doit,
	.ops = vesp_nl_ops,
	.n_ops = ARRAY_SIZE(vesp_nl_ops),
	.resv_start_op = VESP_CMD_PATH_NTF + 1,
	.mcgrps = vesp_nl_mcgrps,
	.n_mcgrps = ARRAY_SIZE(vesp_nl_mcgrps),
	.module = THIS_MODULE,
};

/**
 * vesp_nl_init() - register the "vesp" family
 *
 * Return: 0 or a negative errno.
 */
int vesp_nl_init(void)
{
	return genl_register_family(&vesp_nl_family);
}

/**
 * vesp_nl_uninit() - unregister the "vesp" family
 */
void vesp_nl_uninit(void)
{
	genl_unregister_family(&vesp_nl_family);
}
