// SPDX-License-Identifier: GPL-2.0
/* MOBIKE state and address lists: see mobike.h. */
#include "mobike.h"

#include <netinet/in.h>
#include <string.h>

static size_t addr_len(uint8_t family)
{
	return family == AF_INET6 ? 16 : 4;
}

bool ike_endpoint_same_addr(const struct ike_endpoint *a, const struct ike_endpoint *b)
{
	return a->family && a->family == b->family &&
	       !memcmp(a->addr, b->addr, addr_len(a->family));
}

bool ike_endpoint_equal(const struct ike_endpoint *a, const struct ike_endpoint *b)
{
	return ike_endpoint_same_addr(a, b) && a->port == b->port;
}

int ike_mobike_build_addresses(struct ike_builder *b, const struct ike_endpoint *addrs,
			       size_t num_addrs, const struct ike_endpoint *in_use,
			       struct ike_error *err)
{
	size_t added = 0;

	for (size_t i = 0; i < num_addrs; i++) {
		const struct ike_endpoint *a = &addrs[i];
		bool seen = false;

		if (!a->family || ike_endpoint_same_addr(a, in_use))
			continue;
		/* two paths from one address list it once */
		for (size_t j = 0; j < i; j++)
			seen |= ike_endpoint_same_addr(a, &addrs[j]);
		if (seen)
			continue;
		ike_build_notify(b, 0, 0, 0, a->family == AF_INET6 ?
				 IKE_N_ADDITIONAL_IP6_ADDRESS : IKE_N_ADDITIONAL_IP4_ADDRESS,
				 a->addr, addr_len(a->family));
		added++;
	}
	if (!added)
		ike_build_notify(b, 0, 0, 0, IKE_N_NO_ADDITIONAL_ADDRESSES, NULL, 0);
	return b->failed ? ike_error_set(err, 0, "%s", b->err.text) : 0;
}

int ike_mobike_parse_addresses(const struct ike_message *msg,
			       struct ike_mobike_state *st, struct ike_error *err)
{
	struct ike_mobike_state next = *st;
	bool none = false, any = false;

	next.num_peer_addrs = 0;
	memset(next.peer_addrs, 0, sizeof(next.peer_addrs));
	for (size_t i = 0; i < msg->num_payloads; i++) {
		const struct ike_payload *p = &msg->payloads[i];
		const struct ike_notify_payload *n = &p->u.notify;
		uint8_t family;

		if (p->type != IKE_PAYLOAD_NOTIFY)
			continue;
		if (n->type == IKE_N_NO_ADDITIONAL_ADDRESSES) {
			none = true;
			continue;
		}
		if (n->type != IKE_N_ADDITIONAL_IP4_ADDRESS &&
		    n->type != IKE_N_ADDITIONAL_IP6_ADDRESS)
			continue;
		family = n->type == IKE_N_ADDITIONAL_IP6_ADDRESS ? AF_INET6 : AF_INET;
		if (n->data.len != addr_len(family))
			return ike_error_set(err, IKE_N_INVALID_SYNTAX,
					     "%s: malformed additional address (got %zu "
					     "bytes, need %zu)", __func__, n->data.len,
					     addr_len(family));
		any = true;
		if (next.num_peer_addrs == IKE_MOBIKE_MAX_ADDRS)
			continue;
		next.peer_addrs[next.num_peer_addrs].family = family;
		memcpy(next.peer_addrs[next.num_peer_addrs++].addr, n->data.ptr,
		       n->data.len);
	}
	if (none && any)
		return ike_error_set(err, IKE_N_INVALID_SYNTAX,
				     "%s: NO_ADDITIONAL_ADDRESSES with addresses", __func__);
	if (!none && !any)
		return 0;
	next.peer_addrs_known = true;
	*st = next;
	return 1;
}

bool ike_mobike_announced(const struct ike_message *msg)
{
	return ike_message_find_notify(msg, IKE_N_MOBIKE_SUPPORTED) != NULL;
}
