// SPDX-License-Identifier: GPL-2.0
/*
 * IKEv2 message building (RFC 7296 §3): each payload is appended with its
 * generic header; the builder patches the previous Next Payload field and
 * the lengths, so callers never count bytes.
 */
#include "payload.h"

#include <string.h>

#include "wire.h"

#define PAYLOAD_MAX_LEN 0xffff
#define TS_HEADER_LEN 8

/* Record the first failure; later calls keep failing with it. */
static int fail(struct ike_builder *b, uint16_t notify, const char *func,
		const char *what, size_t need)
{
	if (!b->failed) {
		b->failed = true;
		ike_error_set(&b->err, notify, "%s: %s (need %zu, have %zu of %zu)",
			      func, what, need, b->len, b->cap);
	}
	return -1;
}

static void write_header(uint8_t *p, const struct ike_header *hdr)
{
	ike_put_be64(p, hdr->spi_i);
	ike_put_be64(p + 8, hdr->spi_r);
	p[16] = IKE_PAYLOAD_NONE;	/* patched by the first payload */
	p[17] = (uint8_t)(hdr->major_version << 4 | (hdr->minor_version & 0x0f));
	p[18] = hdr->exchange;
	p[19] = hdr->flags;
	ike_put_be32(p + 20, hdr->message_id);
	ike_put_be32(p + 24, IKE_HEADER_LEN);	/* fixed by finish */
}

void ike_builder_init_message(struct ike_builder *b, uint8_t *buf, size_t cap,
			      const struct ike_header *hdr)
{
	memset(b, 0, sizeof(*b));
	b->buf = buf;
	b->cap = cap;
	b->has_header = true;
	if (cap < IKE_HEADER_LEN) {
		fail(b, 0, __func__, "buffer too small for the IKE header",
		     IKE_HEADER_LEN);
		return;
	}
	write_header(buf, hdr);
	b->len = IKE_HEADER_LEN;
	b->next_field = 16;
	b->have_next_field = true;
}

void ike_builder_init_chain(struct ike_builder *b, uint8_t *buf, size_t cap)
{
	memset(b, 0, sizeof(*b));
	b->buf = buf;
	b->cap = cap;
}

/*
 * Append a generic payload header for a @body_len body, chain it to the
 * previous payload and return where the body goes (NULL on failure).
 */
static uint8_t *begin_payload(struct ike_builder *b, const char *func,
			      uint8_t type, bool critical, size_t body_len)
{
	size_t total = IKE_PAYLOAD_HEADER_LEN + body_len;
	uint8_t *p;

	if (b->failed)
		return NULL;
	if (b->closed) {
		fail(b, 0, func, "payload after the Encrypted payload", total);
		return NULL;
	}
	if (total > PAYLOAD_MAX_LEN) {
		fail(b, 0, func, "payload longer than 65535 bytes", total);
		return NULL;
	}
	if (total > b->cap - b->len) {
		fail(b, 0, func, "buffer full", total);
		return NULL;
	}
	if (b->have_next_field)
		b->buf[b->next_field] = type;
	else
		b->first_payload = type;
	p = b->buf + b->len;
	p[0] = IKE_PAYLOAD_NONE;
	p[1] = critical ? 0x80 : 0;
	ike_put_be16(p + 2, (uint16_t)total);
	b->next_field = b->len;
	b->have_next_field = true;
	b->len += total;
	return p + IKE_PAYLOAD_HEADER_LEN;
}

int ike_builder_finish(struct ike_builder *b, size_t *len, struct ike_error *err)
{
	if (b->failed) {
		if (err)
			*err = b->err;
		return -1;
	}
	if (b->has_header)
		ike_put_be32(b->buf + 24, (uint32_t)b->len);
	*len = b->len;
	return 0;
}

/* A payload whose body is just the given bytes. */
static int build_bytes(struct ike_builder *b, const char *func, uint8_t type,
		       bool critical, const uint8_t *body, size_t len)
{
	uint8_t *p = begin_payload(b, func, type, critical, len);

	if (!p)
		return -1;
	if (len)
		memcpy(p, body, len);
	return 0;
}

int ike_build_raw(struct ike_builder *b, uint8_t type, bool critical,
		  const uint8_t *body, size_t len)
{
	return build_bytes(b, __func__, type, critical, body, len);
}

static size_t transform_len(const struct ike_transform *t)
{
	return 8 + (t->key_length ? 4 : 0);
}

static size_t proposal_len(const struct ike_proposal *prop)
{
	size_t len = 8 + prop->spi_size;

	for (size_t i = 0; i < prop->num_transforms; i++)
		len += transform_len(&prop->transforms[i]);
	return len;
}

static uint8_t *put_transform(uint8_t *p, const struct ike_transform *t,
			      bool last)
{
	size_t len = transform_len(t);

	p[0] = last ? 0 : 3;	/* Last Substruc */
	p[1] = 0;
	ike_put_be16(p + 2, (uint16_t)len);
	p[4] = t->type;
	p[5] = 0;
	ike_put_be16(p + 6, t->id);
	if (t->key_length) {
		ike_put_be16(p + 8, IKE_ATTR_FORMAT_TV | IKE_ATTR_KEY_LENGTH);
		ike_put_be16(p + 10, t->key_length);
	}
	return p + len;
}

int ike_build_sa(struct ike_builder *b, const struct ike_proposal *proposals,
		 size_t num_proposals)
{
	size_t body_len = 0;
	uint8_t *p;

	if (num_proposals == 0 || num_proposals > IKE_MAX_PROPOSALS)
		return fail(b, 0, __func__, "number of proposals out of range",
			    num_proposals);
	for (size_t i = 0; i < num_proposals; i++) {
		if (proposals[i].spi_size > 8)
			return fail(b, 0, __func__, "SPI size over 8",
				    proposals[i].spi_size);
		body_len += proposal_len(&proposals[i]);
	}
	p = begin_payload(b, __func__, IKE_PAYLOAD_SA, false, body_len);
	if (!p)
		return -1;
	for (size_t i = 0; i < num_proposals; i++) {
		const struct ike_proposal *prop = &proposals[i];
		size_t len = proposal_len(prop);

		p[0] = i + 1 == num_proposals ? 0 : 2;	/* Last Substruc */
		p[1] = 0;
		ike_put_be16(p + 2, (uint16_t)len);
		p[4] = prop->number;
		p[5] = prop->protocol;
		p[6] = prop->spi_size;
		p[7] = prop->num_transforms;
		ike_put_be(p + 8, prop->spi, prop->spi_size);
		p += 8 + prop->spi_size;
		for (size_t j = 0; j < prop->num_transforms; j++)
			p = put_transform(p, &prop->transforms[j],
					  j + 1 == prop->num_transforms);
	}
	return 0;
}

/* Payloads made of a one-byte field, @reserved zero bytes, then data. */
static int build_typed(struct ike_builder *b, const char *func, uint8_t type,
		       uint8_t first, size_t reserved, const uint8_t *data,
		       size_t len)
{
	uint8_t *p = begin_payload(b, func, type, false, 1 + reserved + len);

	if (!p)
		return -1;
	p[0] = first;
	memset(p + 1, 0, reserved);
	if (len)
		memcpy(p + 1 + reserved, data, len);
	return 0;
}

int ike_build_ke(struct ike_builder *b, uint16_t group, const uint8_t *data,
		 size_t len)
{
	uint8_t *p = begin_payload(b, __func__, IKE_PAYLOAD_KE, false, 4 + len);

	if (!p)
		return -1;
	ike_put_be16(p, group);
	ike_put_be16(p + 2, 0);
	if (len)
		memcpy(p + 4, data, len);
	return 0;
}

int ike_build_id(struct ike_builder *b, uint8_t payload_type, uint8_t id_type,
		 const uint8_t *data, size_t len)
{
	if (payload_type != IKE_PAYLOAD_IDI && payload_type != IKE_PAYLOAD_IDR)
		return fail(b, 0, __func__, "payload type is not IDi/IDr",
			    payload_type);
	return build_typed(b, __func__, payload_type, id_type, 3, data, len);
}

int ike_build_cert(struct ike_builder *b, uint8_t payload_type,
		   uint8_t encoding, const uint8_t *data, size_t len)
{
	if (payload_type != IKE_PAYLOAD_CERT && payload_type != IKE_PAYLOAD_CERTREQ)
		return fail(b, 0, __func__, "payload type is not CERT/CERTREQ",
			    payload_type);
	return build_typed(b, __func__, payload_type, encoding, 0, data, len);
}

int ike_build_auth(struct ike_builder *b, uint8_t method, const uint8_t *data,
		   size_t len)
{
	return build_typed(b, __func__, IKE_PAYLOAD_AUTH, method, 3, data, len);
}

int ike_build_nonce(struct ike_builder *b, const uint8_t *data, size_t len)
{
	return build_bytes(b, __func__, IKE_PAYLOAD_NONCE, false, data, len);
}

int ike_build_vendor(struct ike_builder *b, const uint8_t *data, size_t len)
{
	return build_bytes(b, __func__, IKE_PAYLOAD_VENDOR, false, data, len);
}

int ike_build_notify(struct ike_builder *b, uint8_t protocol, uint8_t spi_size,
		     uint64_t spi, uint16_t type, const uint8_t *data,
		     size_t len)
{
	uint8_t *p;

	if (spi_size > 8)
		return fail(b, 0, __func__, "SPI size over 8", spi_size);
	p = begin_payload(b, __func__, IKE_PAYLOAD_NOTIFY, false,
			  4 + (size_t)spi_size + len);
	if (!p)
		return -1;
	p[0] = protocol;
	p[1] = spi_size;
	ike_put_be16(p + 2, type);
	ike_put_be(p + 4, spi, spi_size);
	if (len)
		memcpy(p + 4 + spi_size, data, len);
	return 0;
}

int ike_build_delete(struct ike_builder *b, uint8_t protocol, uint8_t spi_size,
		     uint16_t num_spis, const uint8_t *spis)
{
	size_t spis_len = (size_t)spi_size * num_spis;
	uint8_t *p = begin_payload(b, __func__, IKE_PAYLOAD_DELETE, false,
				   4 + spis_len);

	if (!p)
		return -1;
	p[0] = protocol;
	p[1] = spi_size;
	ike_put_be16(p + 2, num_spis);
	if (spis_len)
		memcpy(p + 4, spis, spis_len);
	return 0;
}

static size_t ts_addr_len(uint8_t type)
{
	return type == IKE_TS_IPV4_ADDR_RANGE ? 4 :
	       type == IKE_TS_IPV6_ADDR_RANGE ? 16 : 0;
}

int ike_build_ts(struct ike_builder *b, uint8_t payload_type,
		 const struct ike_ts *ts, size_t num_ts)
{
	size_t body_len = 4;
	uint8_t *p;

	if (payload_type != IKE_PAYLOAD_TSI && payload_type != IKE_PAYLOAD_TSR)
		return fail(b, 0, __func__, "payload type is not TSi/TSr",
			    payload_type);
	if (num_ts == 0 || num_ts > 255)
		return fail(b, 0, __func__, "number of traffic selectors out of range",
			    num_ts);
	for (size_t i = 0; i < num_ts; i++) {
		if (!ts_addr_len(ts[i].type))
			return fail(b, 0, __func__, "unknown traffic selector type",
				    ts[i].type);
		body_len += TS_HEADER_LEN + 2 * ts_addr_len(ts[i].type);
	}
	p = begin_payload(b, __func__, payload_type, false, body_len);
	if (!p)
		return -1;
	p[0] = (uint8_t)num_ts;
	memset(p + 1, 0, 3);
	p += 4;
	for (size_t i = 0; i < num_ts; i++) {
		size_t addr_len = ts_addr_len(ts[i].type);

		p[0] = ts[i].type;
		p[1] = ts[i].ip_protocol;
		ike_put_be16(p + 2, (uint16_t)(TS_HEADER_LEN + 2 * addr_len));
		ike_put_be16(p + 4, ts[i].start_port);
		ike_put_be16(p + 6, ts[i].end_port);
		memcpy(p + TS_HEADER_LEN, ts[i].start_addr, addr_len);
		memcpy(p + TS_HEADER_LEN + addr_len, ts[i].end_addr, addr_len);
		p += TS_HEADER_LEN + 2 * addr_len;
	}
	return 0;
}

int ike_build_sk(struct ike_builder *b, uint8_t inner_next_payload,
		 size_t body_len, size_t *header_offset)
{
	uint8_t *p = begin_payload(b, __func__, IKE_PAYLOAD_SK, false, body_len);

	if (!p)
		return -1;
	/* the SK Next Payload names the first payload inside it (§3.14) */
	b->buf[b->next_field] = inner_next_payload;
	b->have_next_field = false;
	b->closed = true;
	*header_offset = b->next_field;
	memset(p, 0, body_len);
	return 0;
}

int ike_build_parsed(struct ike_builder *b, const struct ike_message *msg,
		     const struct ike_payload *p)
{
	const struct ike_ts_payload *tsp;
	size_t sk_offset;

	switch (p->type) {
	case IKE_PAYLOAD_SA:
		return ike_build_sa(b, msg->sa.proposals, msg->sa.num_proposals);
	case IKE_PAYLOAD_KE:
		return ike_build_ke(b, p->u.ke.group, p->u.ke.data.ptr,
				    p->u.ke.data.len);
	case IKE_PAYLOAD_IDI:
	case IKE_PAYLOAD_IDR:
		return ike_build_id(b, p->type, p->u.id.type, p->u.id.data.ptr,
				    p->u.id.data.len);
	case IKE_PAYLOAD_CERT:
	case IKE_PAYLOAD_CERTREQ:
		return ike_build_cert(b, p->type, p->u.cert.encoding,
				      p->u.cert.data.ptr, p->u.cert.data.len);
	case IKE_PAYLOAD_AUTH:
		return ike_build_auth(b, p->u.auth.method, p->u.auth.data.ptr,
				      p->u.auth.data.len);
	case IKE_PAYLOAD_NOTIFY:
		return ike_build_notify(b, p->u.notify.protocol,
					p->u.notify.spi_size, p->u.notify.spi,
					p->u.notify.type, p->u.notify.data.ptr,
					p->u.notify.data.len);
	case IKE_PAYLOAD_DELETE:
		return ike_build_delete(b, p->u.del.protocol, p->u.del.spi_size,
					p->u.del.num_spis, p->u.del.spis.ptr);
	case IKE_PAYLOAD_TSI:
	case IKE_PAYLOAD_TSR:
		tsp = p->type == IKE_PAYLOAD_TSI ? &msg->tsi : &msg->tsr;
		if (tsp->num_ts)
			return ike_build_ts(b, p->type, tsp->ts, tsp->num_ts);
		/* only selector types we do not know: nothing to re-encode from */
		return ike_build_raw(b, p->type, false, p->body.ptr, p->body.len);
	case IKE_PAYLOAD_SK:
		if (ike_build_sk(b, p->u.sk.inner_next_payload, p->u.sk.data.len,
				 &sk_offset) < 0)
			return -1;
		if (p->u.sk.data.len)
			memcpy(b->buf + sk_offset + IKE_PAYLOAD_HEADER_LEN,
			       p->u.sk.data.ptr, p->u.sk.data.len);
		return 0;
	default:
		/* Nonce, Vendor ID: the body is all there is */
		return ike_build_raw(b, p->type, false, p->body.ptr, p->body.len);
	}
}
