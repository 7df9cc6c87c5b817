// SPDX-License-Identifier: GPL-2.0
/*
 * IKEv2 message parsing (RFC 7296 §3).
 *
 * Every structure is read the same way: copy the fixed part into locals,
 * then three length checks (the fixed part fits, the declared length is at
 * least the minimum, the declared length fits in what is left) before the
 * variable part is touched. Errors read "function: malformed X (got A < need
 * B)" and carry the Notify type the responder should answer with.
 */
#include "payload.h"

#include <string.h>

#include "wire.h"

#define TS_IPV4_LEN 16
#define TS_IPV6_LEN 40
#define TS_HEADER_LEN 8
#define PROPOSAL_HEADER_LEN 8
#define TRANSFORM_HEADER_LEN 8
#define ATTRIBUTE_HEADER_LEN 4
#define NONCE_MIN_LEN 16
#define NONCE_MAX_LEN 256

#define LAST_SUBSTRUC_DONE 0
#define LAST_SUBSTRUC_PROPOSAL 2
#define LAST_SUBSTRUC_TRANSFORM 3

#define malformed(err, fmt, ...) \
	ike_error_set(err, IKE_N_INVALID_SYNTAX, "%s: malformed " fmt, \
		      __func__, __VA_ARGS__)

static int parse_transform_attributes(struct ike_transform *t,
				      const uint8_t *pos, size_t left,
				      struct ike_error *err)
{
	bool seen_key_length = false;

	while (left > 0) {
		uint16_t format_type, value;
		size_t attr_len;

		if (left < ATTRIBUTE_HEADER_LEN)
			return malformed(err, "transform attribute (got %zu < need %d)",
					 left, ATTRIBUTE_HEADER_LEN);
		format_type = ike_get_be16(pos);
		value = ike_get_be16(pos + 2);
		/* TV attributes carry the value in place of the length */
		attr_len = format_type & IKE_ATTR_FORMAT_TV ?
			   ATTRIBUTE_HEADER_LEN : ATTRIBUTE_HEADER_LEN + (size_t)value;
		if (attr_len > left)
			return malformed(err, "transform attribute (got %zu < need %zu)",
					 left, attr_len);

		if (format_type == (IKE_ATTR_FORMAT_TV | IKE_ATTR_KEY_LENGTH) &&
		    !seen_key_length && value != 0) {
			t->key_length = value;
			seen_key_length = true;
		} else {
			/*
			 * An attribute we cannot interpret makes this transform
			 * unacceptable (§3.3.6), not the whole message.
			 */
			t->unknown_attribute = true;
		}
		pos += attr_len;
		left -= attr_len;
	}
	return 0;
}

static int parse_transforms(struct ike_proposal *prop, uint8_t declared,
			    const uint8_t *pos, size_t left,
			    struct ike_error *err)
{
	while (left > 0) {
		struct ike_transform *t;
		uint8_t last;
		size_t len;

		if (prop->num_transforms >= IKE_MAX_TRANSFORMS)
			return malformed(err, "proposal (got > %d transforms)",
					 IKE_MAX_TRANSFORMS);
		if (left < TRANSFORM_HEADER_LEN)
			return malformed(err, "transform (got %zu < need %d)",
					 left, TRANSFORM_HEADER_LEN);
		last = pos[0];
		len = ike_get_be16(pos + 2);
		if (len < TRANSFORM_HEADER_LEN)
			return malformed(err, "transform length (got %zu < need %d)",
					 len, TRANSFORM_HEADER_LEN);
		if (len > left)
			return malformed(err, "transform (got %zu < need %zu)",
					 left, len);
		if (last != (len == left ? LAST_SUBSTRUC_DONE : LAST_SUBSTRUC_TRANSFORM))
			return malformed(err, "transform Last Substruc (got %u, %s)",
					 last, len == left ? "last" : "not last");

		t = &prop->transforms[prop->num_transforms++];
		memset(t, 0, sizeof(*t));
		t->type = pos[4];
		t->id = ike_get_be16(pos + 6);
		if (parse_transform_attributes(t, pos + TRANSFORM_HEADER_LEN,
					       len - TRANSFORM_HEADER_LEN, err) < 0)
			return -1;
		pos += len;
		left -= len;
	}
	if (prop->num_transforms != declared)
		return malformed(err, "proposal %u (got %u transforms, declared %u)",
				 prop->number, prop->num_transforms, declared);
	return 0;
}

/* SPI sizes a proposal may carry for its protocol (§3.3.1). */
static bool proposal_spi_size_valid(uint8_t protocol, uint8_t spi_size)
{
	switch (protocol) {
	case IKE_PROTO_IKE:
		/* 0 in IKE_SA_INIT, 8 when rekeying the IKE SA */
		return spi_size == 0 || spi_size == 8;
	case IKE_PROTO_AH:
	case IKE_PROTO_ESP:
		return spi_size == 4;
	default:
		/* unknown protocols are skipped at selection; keep what fits */
		return spi_size <= 8;
	}
}

static int parse_sa(struct ike_message *msg, struct ike_payload *p,
		    struct ike_error *err)
{
	struct ike_sa_payload *sa = &msg->sa;
	const uint8_t *pos = p->body.ptr;
	size_t left = p->body.len;

	memset(sa, 0, sizeof(*sa));
	while (left > 0) {
		struct ike_proposal *prop;
		uint8_t last, spi_size, num_transforms;
		size_t len, need;

		if (sa->num_proposals >= IKE_MAX_PROPOSALS)
			return malformed(err, "SA (got > %d proposals)",
					 IKE_MAX_PROPOSALS);
		if (left < PROPOSAL_HEADER_LEN)
			return malformed(err, "proposal (got %zu < need %d)",
					 left, PROPOSAL_HEADER_LEN);
		last = pos[0];
		len = ike_get_be16(pos + 2);
		spi_size = pos[6];
		num_transforms = pos[7];
		need = PROPOSAL_HEADER_LEN + (size_t)spi_size;
		if (len < need)
			return malformed(err, "proposal length (got %zu < need %zu)",
					 len, need);
		if (len > left)
			return malformed(err, "proposal (got %zu < need %zu)",
					 left, len);
		if (last != (len == left ? LAST_SUBSTRUC_DONE : LAST_SUBSTRUC_PROPOSAL))
			return malformed(err, "proposal Last Substruc (got %u, %s)",
					 last, len == left ? "last" : "not last");

		prop = &sa->proposals[sa->num_proposals];
		memset(prop, 0, sizeof(*prop));
		prop->number = pos[4];
		prop->protocol = pos[5];
		prop->spi_size = spi_size;
		/*
		 * §3.3.1: numbering starts at one and goes up by one. A response
		 * carries the single number it accepted, so only the step is
		 * checked after the first.
		 */
		if (prop->number == 0 ||
		    (sa->num_proposals > 0 &&
		     prop->number != sa->proposals[sa->num_proposals - 1].number + 1))
			return malformed(err, "proposal number (got %u after %u)",
					 prop->number, sa->num_proposals ?
					 sa->proposals[sa->num_proposals - 1].number : 0);
		if (!proposal_spi_size_valid(prop->protocol, spi_size))
			return malformed(err, "proposal SPI size (got %u for protocol %u)",
					 spi_size, prop->protocol);
		prop->spi = ike_get_be(pos + PROPOSAL_HEADER_LEN, spi_size);
		if (parse_transforms(prop, num_transforms, pos + need, len - need,
				     err) < 0)
			return -1;
		sa->num_proposals++;
		pos += len;
		left -= len;
	}
	return 0;
}

static int parse_ke(struct ike_message *msg, struct ike_payload *p,
		    struct ike_error *err)
{
	(void)msg;
	(void)err;
	p->u.ke.group = ike_get_be16(p->body.ptr);
	p->u.ke.data.ptr = p->body.ptr + 4;
	p->u.ke.data.len = p->body.len - 4;
	return 0;
}

static int parse_id(struct ike_message *msg, struct ike_payload *p,
		    struct ike_error *err)
{
	(void)msg;
	(void)err;
	p->u.id.type = p->body.ptr[0];
	p->u.id.data.ptr = p->body.ptr + 4;
	p->u.id.data.len = p->body.len - 4;
	return 0;
}

static int parse_cert(struct ike_message *msg, struct ike_payload *p,
		      struct ike_error *err)
{
	(void)msg;
	(void)err;
	p->u.cert.encoding = p->body.ptr[0];
	p->u.cert.data.ptr = p->body.ptr + 1;
	p->u.cert.data.len = p->body.len - 1;
	return 0;
}

static int parse_auth(struct ike_message *msg, struct ike_payload *p,
		      struct ike_error *err)
{
	(void)msg;
	(void)err;
	p->u.auth.method = p->body.ptr[0];
	p->u.auth.data.ptr = p->body.ptr + 4;
	p->u.auth.data.len = p->body.len - 4;
	return 0;
}

static int parse_nonce(struct ike_message *msg, struct ike_payload *p,
		       struct ike_error *err)
{
	(void)msg;
	/* §3.9: between 16 and 256 octets; the minimum is in the rule table */
	if (p->body.len > NONCE_MAX_LEN)
		return malformed(err, "Nonce (got %zu > max %d)", p->body.len,
				 NONCE_MAX_LEN);
	return 0;
}

static int parse_notify(struct ike_message *msg, struct ike_payload *p,
			struct ike_error *err)
{
	struct ike_notify_payload *n = &p->u.notify;
	size_t need;

	(void)msg;
	n->protocol = p->body.ptr[0];
	n->spi_size = p->body.ptr[1];
	n->type = ike_get_be16(p->body.ptr + 2);
	if (n->spi_size > 8)
		return malformed(err, "Notify SPI size (got %u > max 8)", n->spi_size);
	need = 4 + (size_t)n->spi_size;
	if (p->body.len < need)
		return malformed(err, "Notify (got %zu < need %zu)", p->body.len, need);
	n->spi = ike_get_be(p->body.ptr + 4, n->spi_size);
	n->data.ptr = p->body.ptr + need;
	n->data.len = p->body.len - need;
	return 0;
}

static int parse_delete(struct ike_message *msg, struct ike_payload *p,
			struct ike_error *err)
{
	struct ike_delete_payload *d = &p->u.del;
	size_t need;

	(void)msg;
	d->protocol = p->body.ptr[0];
	d->spi_size = p->body.ptr[1];
	d->num_spis = ike_get_be16(p->body.ptr + 2);
	/* §3.11: the IKE SA is named by the header SPIs; Child SAs by 4-byte SPIs */
	if (d->protocol == IKE_PROTO_IKE && (d->spi_size != 0 || d->num_spis != 0))
		return malformed(err, "Delete for IKE SA (got SPI size %u, %u SPIs)",
				 d->spi_size, d->num_spis);
	if ((d->protocol == IKE_PROTO_ESP || d->protocol == IKE_PROTO_AH) &&
	    d->spi_size != 4)
		return malformed(err, "Delete SPI size (got %u, need 4)", d->spi_size);
	need = 4 + (size_t)d->spi_size * d->num_spis;
	if (p->body.len != need)
		return malformed(err, "Delete (got %zu, need %zu)", p->body.len, need);
	d->spis.ptr = p->body.ptr + 4;
	d->spis.len = p->body.len - 4;
	return 0;
}

static int parse_ts(struct ike_message *msg, struct ike_payload *p,
		    struct ike_error *err)
{
	struct ike_ts_payload *tsp = p->type == IKE_PAYLOAD_TSI ? &msg->tsi : &msg->tsr;
	const uint8_t *pos = p->body.ptr + 4;
	size_t left = p->body.len - 4;
	uint8_t declared = p->body.ptr[0];

	memset(tsp, 0, sizeof(*tsp));
	if (declared == 0)
		return malformed(err, "%s (got 0 traffic selectors)",
				 ike_payload_name(p->type));
	for (unsigned int i = 0; i < declared; i++) {
		struct ike_ts *ts;
		size_t len, addr_len;
		uint8_t type;

		if (left < TS_HEADER_LEN)
			return malformed(err, "traffic selector (got %zu < need %d)",
					 left, TS_HEADER_LEN);
		type = pos[0];
		len = ike_get_be16(pos + 2);
		if (len < TS_HEADER_LEN)
			return malformed(err, "traffic selector length (got %zu < need %d)",
					 len, TS_HEADER_LEN);
		if (len > left)
			return malformed(err, "traffic selector (got %zu < need %zu)",
					 left, len);
		if (type == IKE_TS_IPV4_ADDR_RANGE)
			addr_len = 4;
		else if (type == IKE_TS_IPV6_ADDR_RANGE)
			addr_len = 16;
		else
			addr_len = 0;
		if (!addr_len) {
			/* e.g. RFC 9478 security labels: not ours to judge here */
			tsp->num_unknown++;
		} else {
			if (len != TS_HEADER_LEN + 2 * addr_len)
				return malformed(err, "traffic selector type %u (got length %zu, need %zu)",
						 type, len, TS_HEADER_LEN + 2 * addr_len);
			if (tsp->num_ts >= IKE_MAX_TS)
				return malformed(err, "%s (got > %d traffic selectors)",
						 ike_payload_name(p->type), IKE_MAX_TS);
			ts = &tsp->ts[tsp->num_ts++];
			memset(ts, 0, sizeof(*ts));
			ts->type = type;
			ts->ip_protocol = pos[1];
			ts->start_port = ike_get_be16(pos + 4);
			ts->end_port = ike_get_be16(pos + 6);
			memcpy(ts->start_addr, pos + TS_HEADER_LEN, addr_len);
			memcpy(ts->end_addr, pos + TS_HEADER_LEN + addr_len, addr_len);
		}
		pos += len;
		left -= len;
	}
	if (left != 0)
		return malformed(err, "%s (got %zu bytes after %u traffic selectors)",
				 ike_payload_name(p->type), left, declared);
	return 0;
}

static int parse_opaque(struct ike_message *msg, struct ike_payload *p,
			struct ike_error *err)
{
	(void)msg;
	(void)p;
	(void)err;
	return 0;
}

struct payload_rule {
	uint8_t type;
	const char *name;
	size_t min_body;	/* fixed part after the generic header */
	bool once;		/* at most one per message */
	int (*parse)(struct ike_message *msg, struct ike_payload *p,
		     struct ike_error *err);
};

/*
 * The payloads we understand. RFC 7296 names no explicit "at most once"
 * list, but every exchange in §1 carries at most one of these, and two of
 * them (two nonces, two KE values) would make the key derivation ambiguous.
 */
static const struct payload_rule rules[] = {
	{ IKE_PAYLOAD_SA, "SA", PROPOSAL_HEADER_LEN, true, parse_sa },
	{ IKE_PAYLOAD_KE, "KE", 4, true, parse_ke },
	{ IKE_PAYLOAD_IDI, "IDi", 4, true, parse_id },
	{ IKE_PAYLOAD_IDR, "IDr", 4, true, parse_id },
	{ IKE_PAYLOAD_CERT, "CERT", 1, false, parse_cert },
	{ IKE_PAYLOAD_CERTREQ, "CERTREQ", 1, false, parse_cert },
	{ IKE_PAYLOAD_AUTH, "AUTH", 4, true, parse_auth },
	{ IKE_PAYLOAD_NONCE, "Nonce", NONCE_MIN_LEN, true, parse_nonce },
	{ IKE_PAYLOAD_NOTIFY, "Notify", 4, false, parse_notify },
	{ IKE_PAYLOAD_DELETE, "Delete", 4, false, parse_delete },
	{ IKE_PAYLOAD_VENDOR, "Vendor ID", 0, false, parse_opaque },
	{ IKE_PAYLOAD_TSI, "TSi", 4, true, parse_ts },
	{ IKE_PAYLOAD_TSR, "TSr", 4, true, parse_ts },
	{ IKE_PAYLOAD_SK, "SK", 0, true, parse_opaque },
};

static const struct payload_rule *find_rule(uint8_t type)
{
	for (size_t i = 0; i < sizeof(rules) / sizeof(rules[0]); i++)
		if (rules[i].type == type)
			return &rules[i];
	return NULL;
}

const char *ike_payload_name(uint8_t type)
{
	const struct payload_rule *rule = find_rule(type);

	return rule ? rule->name : NULL;
}

const struct ike_payload *ike_message_find(const struct ike_message *msg,
					   uint8_t type)
{
	for (size_t i = 0; i < msg->num_payloads; i++)
		if (msg->payloads[i].type == type)
			return &msg->payloads[i];
	return NULL;
}

const struct ike_payload *ike_message_find_notify(const struct ike_message *msg,
						  uint16_t notify_type)
{
	for (size_t i = 0; i < msg->num_payloads; i++)
		if (msg->payloads[i].type == IKE_PAYLOAD_NOTIFY &&
		    msg->payloads[i].u.notify.type == notify_type)
			return &msg->payloads[i];
	return NULL;
}

/*
 * Walk a payload chain starting with type @next in @buf (@base is the offset
 * of @buf in the message, for the SK header offset). An Encrypted payload
 * ends the chain: its Next Payload names the first payload inside it.
 */
static int parse_chain(struct ike_message *msg, uint8_t next,
		       const uint8_t *buf, size_t len, size_t base,
		       bool encrypted, struct ike_error *err)
{
	size_t off = 0;

	while (next != IKE_PAYLOAD_NONE) {
		const struct payload_rule *rule;
		struct ike_payload *p;
		uint8_t type = next, flags;
		size_t left = len - off, plen;

		if (left < IKE_PAYLOAD_HEADER_LEN)
			return malformed(err, "payload header of type %u (got %zu < need %d)",
					 type, left, IKE_PAYLOAD_HEADER_LEN);
		next = buf[off];
		flags = buf[off + 1];
		plen = ike_get_be16(buf + off + 2);
		if (plen < IKE_PAYLOAD_HEADER_LEN)
			return malformed(err, "payload length of type %u (got %zu < need %d)",
					 type, plen, IKE_PAYLOAD_HEADER_LEN);
		if (plen > left)
			return malformed(err, "payload of type %u (got %zu < need %zu)",
					 type, left, plen);

		rule = find_rule(type);
		if (!rule || (type == IKE_PAYLOAD_SK && encrypted)) {
			/* §3.2: the critical bit decides between skip and reject */
			if (flags & 0x80) {
				ike_error_set(err, IKE_N_UNSUPPORTED_CRITICAL_PAYLOAD,
					      "%s: unsupported critical payload type %u",
					      __func__, type);
				if (err)
					err->notify_data = type;
				return -1;
			}
			msg->num_skipped++;
			off += plen;
			continue;
		}
		if (plen - IKE_PAYLOAD_HEADER_LEN < rule->min_body)
			return malformed(err, "%s (got %zu < need %zu)", rule->name,
					 plen - IKE_PAYLOAD_HEADER_LEN, rule->min_body);
		if (rule->once && ike_message_find(msg, type))
			return ike_error_set(err, IKE_N_INVALID_SYNTAX,
					     "%s: duplicate %s payload", __func__,
					     rule->name);
		if (msg->num_payloads >= IKE_MAX_PAYLOADS)
			return malformed(err, "message (got > %d payloads)",
					 IKE_MAX_PAYLOADS);

		p = &msg->payloads[msg->num_payloads];
		memset(p, 0, sizeof(*p));
		p->type = type;
		/* the critical bit is ignored for payloads we understand (§3.2) */
		p->critical = flags & 0x80;
		p->encrypted = encrypted;
		p->body.ptr = buf + off + IKE_PAYLOAD_HEADER_LEN;
		p->body.len = plen - IKE_PAYLOAD_HEADER_LEN;
		if (rule->parse(msg, p, err) < 0)
			return -1;
		msg->num_payloads++;
		off += plen;

		if (type == IKE_PAYLOAD_SK) {
			p->u.sk.inner_next_payload = next;
			p->u.sk.header_offset = base + off - plen;
			p->u.sk.data = p->body;
			/* §3.14: the Encrypted payload must be the last one */
			if (off != len)
				return malformed(err, "message (got %zu bytes after SK)",
						 len - off);
			return 0;
		}
	}
	if (off != len)
		return malformed(err, "message (got %zu bytes after the last payload)",
				 len - off);
	return 0;
}

int ike_header_parse(struct ike_header *hdr, const uint8_t *buf, size_t len,
		     struct ike_error *err)
{
	if (len < IKE_HEADER_LEN)
		return malformed(err, "IKE header (got %zu < need %d)", len,
				 IKE_HEADER_LEN);
	memset(hdr, 0, sizeof(*hdr));
	hdr->spi_i = ike_get_be64(buf);
	hdr->spi_r = ike_get_be64(buf + 8);
	hdr->next_payload = buf[16];
	hdr->major_version = buf[17] >> 4;
	hdr->minor_version = buf[17] & 0x0f;
	hdr->exchange = buf[18];
	hdr->flags = buf[19];
	hdr->message_id = ike_get_be32(buf + 20);
	hdr->length = ike_get_be32(buf + 24);

	/* §2.5: a higher major version gets INVALID_MAJOR_VERSION; IKEv1 is dropped */
	if (hdr->major_version > IKE_MAJOR_VERSION)
		return ike_error_set(err, IKE_N_INVALID_MAJOR_VERSION,
				     "%s: major version %u not supported",
				     __func__, hdr->major_version);
	if (hdr->major_version < IKE_MAJOR_VERSION)
		return ike_error_set(err, 0, "%s: major version %u (IKEv1?) ignored",
				     __func__, hdr->major_version);
	if (hdr->length < IKE_HEADER_LEN)
		return malformed(err, "IKE header length (got %u < need %d)",
				 hdr->length, IKE_HEADER_LEN);
	if (hdr->length > len)
		return malformed(err, "message (got %zu < need %u)", len, hdr->length);
	if (hdr->length < len)
		return malformed(err, "message (got %zu > declared %u)", len,
				 hdr->length);
	return 0;
}

int ike_message_parse(struct ike_message *msg, const uint8_t *buf, size_t len,
		      struct ike_error *err)
{
	memset(msg, 0, sizeof(*msg));
	if (ike_header_parse(&msg->hdr, buf, len, err) < 0)
		return -1;
	msg->raw.ptr = buf;
	msg->raw.len = len;
	return parse_chain(msg, msg->hdr.next_payload, buf + IKE_HEADER_LEN,
			   len - IKE_HEADER_LEN, IKE_HEADER_LEN, false, err);
}

int ike_message_parse_inner(struct ike_message *msg, const uint8_t *plain,
			    size_t len, struct ike_error *err)
{
	const struct ike_payload *sk = ike_message_find(msg, IKE_PAYLOAD_SK);

	if (!sk)
		return ike_error_set(err, 0, "%s: message has no SK payload", __func__);
	for (size_t i = 0; i < msg->num_payloads; i++)
		if (msg->payloads[i].encrypted)
			return ike_error_set(err, 0, "%s: SK content already parsed",
					     __func__);
	return parse_chain(msg, sk->u.sk.inner_next_payload, plain, len, 0, true,
			   err);
}
