// SPDX-License-Identifier: GPL-2.0
/* NAT detection in IKE_SA_INIT: see nat.h. */
#include "nat.h"

#include <string.h>
#include <sys/socket.h>

#include <openssl/crypto.h>
#include <openssl/evp.h>

#include "wire.h"

int ike_nat_hash(uint64_t spi_i, uint64_t spi_r, const struct ike_endpoint *ep,
		 uint8_t *out, struct ike_error *err)
{
	uint8_t data[8 + 8 + 16 + 2];
	size_t alen = ep->family == AF_INET6 ? 16 : 4;
	unsigned int len = 0;

	if (ep->family != AF_INET && ep->family != AF_INET6)
		return ike_error_set(err, 0, "%s: address family %u", __func__,
				     ep->family);
	ike_put_be64(data, spi_i);
	ike_put_be64(data + 8, spi_r);
	memcpy(data + 16, ep->addr, alen);
	ike_put_be16(data + 16 + alen, ep->port);
	if (!EVP_Digest(data, 16 + alen + 2, out, &len, EVP_sha1(), NULL) ||
	    len != IKE_NAT_HASH_LEN)
		return ike_error_set(err, 0, "%s: SHA-1 failed", __func__);
	return 0;
}

int ike_nat_build(struct ike_builder *b, uint64_t spi_i, uint64_t spi_r,
		  const struct ike_endpoint *local, const struct ike_endpoint *remote,
		  struct ike_error *err)
{
	uint8_t src[IKE_NAT_HASH_LEN], dst[IKE_NAT_HASH_LEN];

	if (!local->family || !remote->family)
		return 0;
	if (ike_nat_hash(spi_i, spi_r, local, src, err) < 0 ||
	    ike_nat_hash(spi_i, spi_r, remote, dst, err) < 0)
		return -1;
	if (ike_build_notify(b, 0, 0, 0, IKE_N_NAT_DETECTION_SOURCE_IP, src,
			     sizeof(src)) < 0 ||
	    ike_build_notify(b, 0, 0, 0, IKE_N_NAT_DETECTION_DESTINATION_IP, dst,
			     sizeof(dst)) < 0)
		return ike_error_set(err, 0, "%s", b->err.text);
	return 0;
}

int ike_nat_check(const struct ike_message *msg, const struct ike_endpoint *local,
		  const struct ike_endpoint *remote, struct ike_nat_state *state,
		  struct ike_error *err)
{
	uint8_t src[IKE_NAT_HASH_LEN], dst[IKE_NAT_HASH_LEN];
	bool any_src = false, src_match = false, dst_seen = false, dst_match = false;

	if (!local->family || !remote->family)
		return 0;
	/* §2.23: the SPIs as this message's header carries them */
	if (ike_nat_hash(msg->hdr.spi_i, msg->hdr.spi_r, remote, src, err) < 0 ||
	    ike_nat_hash(msg->hdr.spi_i, msg->hdr.spi_r, local, dst, err) < 0)
		return -1;
	for (size_t i = 0; i < msg->num_payloads; i++) {
		const struct ike_payload *p = &msg->payloads[i];
		const struct ike_chunk *d = &p->u.notify.data;
		uint16_t type = p->type == IKE_PAYLOAD_NOTIFY ? p->u.notify.type : 0;

		if (type != IKE_N_NAT_DETECTION_SOURCE_IP &&
		    type != IKE_N_NAT_DETECTION_DESTINATION_IP)
			continue;
		if (d->len != IKE_NAT_HASH_LEN ||
		    (type == IKE_N_NAT_DETECTION_DESTINATION_IP && dst_seen))
			return ike_error_set(err, IKE_N_INVALID_SYNTAX,
					     "%s: malformed NAT detection notify %u",
					     __func__, type);
		/* a multi-homed peer may send several SOURCE_IPs: one must match */
		if (type == IKE_N_NAT_DETECTION_SOURCE_IP) {
			any_src = true;
			src_match |= !CRYPTO_memcmp(d->ptr, src, sizeof(src));
		} else {
			dst_seen = true;
			dst_match = !CRYPTO_memcmp(d->ptr, dst, sizeof(dst));
		}
	}
	if (!any_src && !dst_seen)
		return 0;
	state->checked = true;
	state->remote = any_src && !src_match;
	state->local = dst_seen && !dst_match;
	return 0;
}
