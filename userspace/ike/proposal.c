// SPDX-License-Identifier: GPL-2.0
/*
 * IKEv2 proposal negotiation (RFC 7296 §2.7, §3.3): which transforms we
 * implement, how a local proposal is checked, how the responder picks from a
 * peer's SA payload and how the initiator checks the responder's pick.
 */
#include "proposal.h"

#include <stdio.h>
#include <string.h>

#include "payload.h"	/* Notify type numbers */

int ike_proposal_add(struct ike_proposal *p, uint8_t type, uint16_t id,
		     uint16_t key_bits)
{
	struct ike_transform *t;

	if (p->num_transforms >= IKE_MAX_TRANSFORMS)
		return -1;
	t = &p->transforms[p->num_transforms++];
	memset(t, 0, sizeof(*t));
	t->type = type;
	t->id = id;
	t->key_length = key_bits;
	return 0;
}

const struct ike_transform *ike_proposal_find(const struct ike_proposal *p,
					      uint8_t type)
{
	for (size_t i = 0; i < p->num_transforms; i++)
		if (p->transforms[i].type == type)
			return &p->transforms[i];
	return NULL;
}

void ike_proposal_strip(struct ike_proposal *p, uint8_t type)
{
	size_t n = 0;

	for (size_t i = 0; i < p->num_transforms; i++)
		if (p->transforms[i].type != type)
			p->transforms[n++] = p->transforms[i];
	p->num_transforms = (uint8_t)n;
}

bool ike_encr_is_aead(uint16_t encr)
{
	return encr == IKE_ENCR_AES_GCM_16 || encr == IKE_ENCR_CHACHA20_POLY1305;
}

/*
 * Which transform types may appear in a proposal for @protocol (the table of
 * RFC 7296 §3.3.3). AH is not implemented, so no type is allowed for it and
 * its proposals are never chosen.
 */
static bool type_allowed(uint8_t protocol, uint8_t type)
{
	switch (protocol) {
	case IKE_PROTO_IKE:
		return type == IKE_TRANSFORM_ENCR || type == IKE_TRANSFORM_PRF ||
		       type == IKE_TRANSFORM_INTEG || type == IKE_TRANSFORM_DH;
	case IKE_PROTO_ESP:
		return type == IKE_TRANSFORM_ENCR || type == IKE_TRANSFORM_INTEG ||
		       type == IKE_TRANSFORM_DH || type == IKE_TRANSFORM_ESN;
	default:
		return false;
	}
}

static bool aes_key_bits_valid(uint16_t bits)
{
	return bits == 128 || bits == 192 || bits == 256;
}

bool ike_transform_supported(uint8_t protocol, const struct ike_transform *t)
{
	if (t->unknown_attribute || !type_allowed(protocol, t->type))
		return false;

	switch (t->type) {
	case IKE_TRANSFORM_ENCR:
		switch (t->id) {
		case IKE_ENCR_AES_CBC:
		case IKE_ENCR_AES_GCM_16:
			return aes_key_bits_valid(t->key_length);
		case IKE_ENCR_CHACHA20_POLY1305:
			/* fixed key size: RFC 7634 §2 forbids the attribute */
			return t->key_length == 0;
		default:
			return false;
		}
	case IKE_TRANSFORM_PRF:
		return t->key_length == 0 &&
		       (t->id == IKE_PRF_HMAC_SHA2_256 ||
			t->id == IKE_PRF_HMAC_SHA2_384 ||
			t->id == IKE_PRF_HMAC_SHA2_512);
	case IKE_TRANSFORM_INTEG:
		return t->key_length == 0 &&
		       (t->id == IKE_INTEG_NONE ||
			t->id == IKE_INTEG_HMAC_SHA2_256_128 ||
			t->id == IKE_INTEG_HMAC_SHA2_384_192 ||
			t->id == IKE_INTEG_HMAC_SHA2_512_256);
	case IKE_TRANSFORM_DH:
		if (t->key_length != 0)
			return false;
		/* an IKE SA always runs a key exchange; PFS is optional for ESP */
		if (t->id == IKE_DH_NONE)
			return protocol == IKE_PROTO_ESP;
		return t->id == IKE_DH_MODP_2048 || t->id == IKE_DH_ECP_256 ||
		       t->id == IKE_DH_ECP_384 || t->id == IKE_DH_CURVE25519;
	case IKE_TRANSFORM_ESN:
		return t->key_length == 0 &&
		       (t->id == IKE_ESN_NO || t->id == IKE_ESN_YES);
	default:
		return false;
	}
}

int ike_proposal_validate(const struct ike_proposal *p, struct ike_error *err)
{
	bool has[IKE_TRANSFORM_TYPE_MAX + 1] = { false };
	bool aead = false, non_aead = false, real_integ = false, integ_none = false;

	if (p->protocol != IKE_PROTO_IKE && p->protocol != IKE_PROTO_ESP)
		return ike_error_set(err, 0, "%s: protocol %u not supported",
				     __func__, p->protocol);
	for (size_t i = 0; i < p->num_transforms; i++) {
		const struct ike_transform *t = &p->transforms[i];

		if (!ike_transform_supported(p->protocol, t))
			return ike_error_set(err, 0,
				"%s: transform %s %u (key length %u) not supported for protocol %u",
				__func__, ike_transform_type_name(t->type) ?
				ike_transform_type_name(t->type) : "?", t->id,
				t->key_length, p->protocol);
		has[t->type] = true;
		if (t->type == IKE_TRANSFORM_ENCR) {
			if (ike_encr_is_aead(t->id))
				aead = true;
			else
				non_aead = true;
		}
		if (t->type == IKE_TRANSFORM_INTEG && t->id != IKE_INTEG_NONE)
			real_integ = true;
		if (t->type == IKE_TRANSFORM_INTEG && t->id == IKE_INTEG_NONE)
			integ_none = true;
	}
	if (!has[IKE_TRANSFORM_ENCR])
		return ike_error_set(err, 0, "%s: no encryption algorithm", __func__);
	if (p->protocol == IKE_PROTO_IKE && !has[IKE_TRANSFORM_PRF])
		return ike_error_set(err, 0, "%s: no PRF", __func__);
	if (p->protocol == IKE_PROTO_IKE && !has[IKE_TRANSFORM_DH])
		return ike_error_set(err, 0, "%s: no key exchange method", __func__);
	/*
	 * Mixing would let the peer pick a combination we cannot run (AEAD with
	 * a MAC, or CBC without one); strongSwan refuses it the same way.
	 */
	if (aead && non_aead)
		return ike_error_set(err, 0,
				     "%s: AEAD and non-AEAD ciphers in one proposal",
				     __func__);
	if (aead && real_integ)
		return ike_error_set(err, 0,
				     "%s: integrity algorithm with an AEAD cipher",
				     __func__);
	if (non_aead && (!real_integ || integ_none))
		return ike_error_set(err, 0,
				     "%s: non-AEAD cipher without integrity algorithm",
				     __func__);
	return 0;
}

static bool transform_equal(const struct ike_transform *a,
			    const struct ike_transform *b)
{
	return a->type == b->type && a->id == b->id &&
	       a->key_length == b->key_length;
}

/*
 * The alternatives @p offers for @type: its acceptable transforms of that
 * type, or a single implicit ID 0 ("NONE", "no ESN") when the type is absent
 * (RFC 7296 §3.3.6 lets INTEG and DH be left out to mean none).
 * Returns the number written to @out.
 */
static size_t alternatives(const struct ike_proposal *p, uint8_t type,
			   bool only_supported, struct ike_transform *out)
{
	size_t n = 0;
	bool present = false;

	for (size_t i = 0; i < p->num_transforms; i++) {
		const struct ike_transform *t = &p->transforms[i];

		if (t->type != type)
			continue;
		present = true;
		if (only_supported && !ike_transform_supported(p->protocol, t))
			continue;
		out[n++] = *t;
	}
	if (!present) {
		memset(&out[0], 0, sizeof(out[0]));
		out[0].type = type;
		n = 1;
	}
	return n;
}

/*
 * The Transform Types the @protocol can carry, in the order a selected
 * proposal lists them.
 */
static const uint8_t transform_order[] = {
	IKE_TRANSFORM_ENCR, IKE_TRANSFORM_PRF, IKE_TRANSFORM_INTEG,
	IKE_TRANSFORM_DH, IKE_TRANSFORM_ESN,
};

/* Append the chosen transform; ID 0 means "none" and is left out except for ESN. */
static void append_choice(struct ike_proposal *out, const struct ike_transform *t)
{
	if (t->id == 0 && t->type != IKE_TRANSFORM_ESN)
		return;
	out->transforms[out->num_transforms] = *t;
	out->transforms[out->num_transforms].unknown_attribute = false;
	out->num_transforms++;
}

/* A proposal with a type its protocol cannot carry is unacceptable (§3.3.6). */
static bool has_foreign_type(const struct ike_proposal *p)
{
	for (size_t i = 0; i < p->num_transforms; i++)
		if (!type_allowed(p->protocol, p->transforms[i].type))
			return true;
	return false;
}

/*
 * Try to satisfy @local from @received; local order decides within a type.
 * On success @out holds one transform per negotiated type.
 */
static bool select_from(const struct ike_proposal *local,
			const struct ike_proposal *received,
			struct ike_proposal *out)
{
	struct ike_transform mine[IKE_MAX_TRANSFORMS], theirs[IKE_MAX_TRANSFORMS];

	if (local->protocol != received->protocol || has_foreign_type(received))
		return false;

	memset(out, 0, sizeof(*out));
	out->number = received->number;
	out->protocol = received->protocol;
	out->spi_size = received->spi_size;
	out->spi = received->spi;

	for (size_t k = 0; k < sizeof(transform_order); k++) {
		uint8_t type = transform_order[k];
		size_t n_mine, n_theirs;
		const struct ike_transform *choice = NULL;

		if (!type_allowed(local->protocol, type))
			continue;
		n_mine = alternatives(local, type, true, mine);
		n_theirs = alternatives(received, type, true, theirs);
		for (size_t i = 0; i < n_mine && !choice; i++)
			for (size_t j = 0; j < n_theirs && !choice; j++)
				if (transform_equal(&mine[i], &theirs[j]))
					choice = &mine[i];
		if (!choice)
			return false;
		append_choice(out, choice);
	}
	return true;
}

int ike_proposal_select(const struct ike_proposal *local, size_t num_local,
			const struct ike_proposal *received, size_t num_received,
			struct ike_proposal *selected, struct ike_error *err)
{
	for (size_t i = 0; i < num_local; i++) {
		if (ike_proposal_validate(&local[i], NULL) < 0)
			continue;
		for (size_t j = 0; j < num_received; j++)
			if (select_from(&local[i], &received[j], selected))
				return 0;
	}
	return ike_error_set(err, IKE_N_NO_PROPOSAL_CHOSEN,
			     "%s: none of %zu received proposals matches %zu local ones",
			     __func__, num_received, num_local);
}

/* Whether @t (or an absent type, when @t is NULL) is among the alternatives of @offered. */
static bool offered_includes(const struct ike_proposal *offered, uint8_t type,
			     const struct ike_transform *t)
{
	struct ike_transform alts[IKE_MAX_TRANSFORMS];
	struct ike_transform none = { .type = type };
	size_t n = alternatives(offered, type, false, alts);

	for (size_t i = 0; i < n; i++)
		if (transform_equal(&alts[i], t ? t : &none))
			return true;
	return false;
}

int ike_proposal_check_response(const struct ike_proposal *offered,
				size_t num_offered,
				const struct ike_proposal *response,
				size_t num_response,
				struct ike_proposal *accepted,
				struct ike_error *err)
{
	const struct ike_proposal *r, *o = NULL;
	struct ike_proposal out;

	if (num_response != 1)
		return ike_error_set(err, IKE_N_NO_PROPOSAL_CHOSEN,
				     "%s: response has %zu proposals (need 1)",
				     __func__, num_response);
	r = &response[0];
	for (size_t i = 0; i < num_offered; i++)
		if (offered[i].number == r->number &&
		    offered[i].protocol == r->protocol)
			o = &offered[i];
	if (!o)
		return ike_error_set(err, IKE_N_NO_PROPOSAL_CHOSEN,
				     "%s: response names proposal %u (protocol %u) we did not offer",
				     __func__, r->number, r->protocol);
	if (has_foreign_type(r))
		return ike_error_set(err, IKE_N_NO_PROPOSAL_CHOSEN,
				     "%s: response carries a transform type protocol %u cannot use",
				     __func__, r->protocol);

	memset(&out, 0, sizeof(out));
	out.number = r->number;
	out.protocol = r->protocol;
	out.spi_size = r->spi_size;
	out.spi = r->spi;
	for (size_t k = 0; k < sizeof(transform_order); k++) {
		uint8_t type = transform_order[k];
		const struct ike_transform *pick = NULL;
		struct ike_transform none = { .type = type };
		size_t count = 0;

		if (!type_allowed(r->protocol, type))
			continue;
		for (size_t i = 0; i < r->num_transforms; i++) {
			if (r->transforms[i].type == type) {
				pick = &r->transforms[i];
				count++;
			}
		}
		if (count > 1)
			return ike_error_set(err, IKE_N_NO_PROPOSAL_CHOSEN,
					     "%s: response has %zu transforms of type %u (need 1)",
					     __func__, count, type);
		if (!offered_includes(o, type, pick))
			return ike_error_set(err, IKE_N_NO_PROPOSAL_CHOSEN,
					     "%s: response picked %s %u, which we did not offer",
					     __func__, ike_transform_type_name(type),
					     pick ? pick->id : 0);
		if (pick && !ike_transform_supported(r->protocol, pick))
			return ike_error_set(err, IKE_N_NO_PROPOSAL_CHOSEN,
					     "%s: response picked unsupported %s %u",
					     __func__, ike_transform_type_name(type),
					     pick->id);
		append_choice(&out, pick ? pick : &none);
	}
	if (ike_proposal_validate(&out, err) < 0)
		return -1;
	*accepted = out;
	return 0;
}

int ike_suite_from_proposal(struct ike_suite *suite,
			    const struct ike_proposal *selected,
			    struct ike_error *err)
{
	const struct ike_transform *t;

	memset(suite, 0, sizeof(*suite));
	suite->protocol = selected->protocol;
	t = ike_proposal_find(selected, IKE_TRANSFORM_ENCR);
	if (!t)
		return ike_error_set(err, 0, "%s: no encryption algorithm", __func__);
	suite->encr = t->id;
	suite->encr_key_bits = t->key_length;
	t = ike_proposal_find(selected, IKE_TRANSFORM_PRF);
	suite->prf = t ? t->id : 0;
	t = ike_proposal_find(selected, IKE_TRANSFORM_INTEG);
	suite->integ = t ? t->id : IKE_INTEG_NONE;
	t = ike_proposal_find(selected, IKE_TRANSFORM_DH);
	suite->dh = t ? t->id : IKE_DH_NONE;
	t = ike_proposal_find(selected, IKE_TRANSFORM_ESN);
	suite->esn = t && t->id == IKE_ESN_YES;
	if (suite->protocol == IKE_PROTO_IKE && !suite->prf)
		return ike_error_set(err, 0, "%s: no PRF", __func__);
	return 0;
}

/* One keyword of a proposal string and the transform it stands for. */
struct keyword {
	const char *word;
	uint8_t type;
	uint16_t id;
	uint16_t key_bits;
};

static const struct keyword keywords[] = {
	{ "aes128", IKE_TRANSFORM_ENCR, IKE_ENCR_AES_CBC, 128 },
	{ "aes192", IKE_TRANSFORM_ENCR, IKE_ENCR_AES_CBC, 192 },
	{ "aes256", IKE_TRANSFORM_ENCR, IKE_ENCR_AES_CBC, 256 },
	{ "aes128gcm16", IKE_TRANSFORM_ENCR, IKE_ENCR_AES_GCM_16, 128 },
	{ "aes128gcm128", IKE_TRANSFORM_ENCR, IKE_ENCR_AES_GCM_16, 128 },
	{ "aes192gcm16", IKE_TRANSFORM_ENCR, IKE_ENCR_AES_GCM_16, 192 },
	{ "aes256gcm16", IKE_TRANSFORM_ENCR, IKE_ENCR_AES_GCM_16, 256 },
	{ "aes256gcm128", IKE_TRANSFORM_ENCR, IKE_ENCR_AES_GCM_16, 256 },
	{ "chacha20poly1305", IKE_TRANSFORM_ENCR, IKE_ENCR_CHACHA20_POLY1305, 0 },
	{ "sha256", IKE_TRANSFORM_INTEG, IKE_INTEG_HMAC_SHA2_256_128, 0 },
	{ "sha2_256", IKE_TRANSFORM_INTEG, IKE_INTEG_HMAC_SHA2_256_128, 0 },
	{ "sha384", IKE_TRANSFORM_INTEG, IKE_INTEG_HMAC_SHA2_384_192, 0 },
	{ "sha2_384", IKE_TRANSFORM_INTEG, IKE_INTEG_HMAC_SHA2_384_192, 0 },
	{ "sha512", IKE_TRANSFORM_INTEG, IKE_INTEG_HMAC_SHA2_512_256, 0 },
	{ "sha2_512", IKE_TRANSFORM_INTEG, IKE_INTEG_HMAC_SHA2_512_256, 0 },
	{ "prfsha256", IKE_TRANSFORM_PRF, IKE_PRF_HMAC_SHA2_256, 0 },
	{ "prfsha384", IKE_TRANSFORM_PRF, IKE_PRF_HMAC_SHA2_384, 0 },
	{ "prfsha512", IKE_TRANSFORM_PRF, IKE_PRF_HMAC_SHA2_512, 0 },
	{ "modp2048", IKE_TRANSFORM_DH, IKE_DH_MODP_2048, 0 },
	{ "ecp256", IKE_TRANSFORM_DH, IKE_DH_ECP_256, 0 },
	{ "ecp384", IKE_TRANSFORM_DH, IKE_DH_ECP_384, 0 },
	{ "x25519", IKE_TRANSFORM_DH, IKE_DH_CURVE25519, 0 },
	{ "curve25519", IKE_TRANSFORM_DH, IKE_DH_CURVE25519, 0 },
	{ "esn", IKE_TRANSFORM_ESN, IKE_ESN_YES, 0 },
	{ "noesn", IKE_TRANSFORM_ESN, IKE_ESN_NO, 0 },
};

/* The PRF strongSwan implies from an integrity algorithm of the same hash. */
static uint16_t prf_for_integ(uint16_t integ)
{
	switch (integ) {
	case IKE_INTEG_HMAC_SHA2_256_128: return IKE_PRF_HMAC_SHA2_256;
	case IKE_INTEG_HMAC_SHA2_384_192: return IKE_PRF_HMAC_SHA2_384;
	case IKE_INTEG_HMAC_SHA2_512_256: return IKE_PRF_HMAC_SHA2_512;
	default: return 0;
	}
}

int ike_proposal_from_string(struct ike_proposal *p, uint8_t protocol,
			     const char *text, struct ike_error *err)
{
	const char *pos = text;

	memset(p, 0, sizeof(*p));
	p->number = 1;
	p->protocol = protocol;
	while (*pos) {
		size_t len = strcspn(pos, "-");
		const struct keyword *kw = NULL;

		for (size_t i = 0; i < sizeof(keywords) / sizeof(keywords[0]); i++)
			if (strlen(keywords[i].word) == len &&
			    !strncmp(keywords[i].word, pos, len))
				kw = &keywords[i];
		if (!kw)
			return ike_error_set(err, 0, "%s: unknown algorithm '%.*s' in '%s'",
					     __func__, (int)len, pos, text);
		if (ike_proposal_add(p, kw->type, kw->id, kw->key_bits) < 0)
			return ike_error_set(err, 0, "%s: too many algorithms in '%s'",
					     __func__, text);
		pos += len;
		if (*pos == '-')
			pos++;
	}
	if (protocol == IKE_PROTO_IKE && !ike_proposal_find(p, IKE_TRANSFORM_PRF)) {
		size_t n = p->num_transforms;

		for (size_t i = 0; i < n; i++) {
			const struct ike_transform *t = &p->transforms[i];
			uint16_t prf = t->type == IKE_TRANSFORM_INTEG ?
				       prf_for_integ(t->id) : 0;

			if (prf && ike_proposal_add(p, IKE_TRANSFORM_PRF, prf, 0) < 0)
				return ike_error_set(err, 0, "%s: too many algorithms in '%s'",
						     __func__, text);
		}
	}
	if (ike_proposal_validate(p, err) < 0)
		return -1;
	return 0;
}

const char *ike_transform_type_name(uint8_t type)
{
	switch (type) {
	case IKE_TRANSFORM_ENCR: return "ENCR";
	case IKE_TRANSFORM_PRF: return "PRF";
	case IKE_TRANSFORM_INTEG: return "INTEG";
	case IKE_TRANSFORM_DH: return "KE";
	case IKE_TRANSFORM_ESN: return "ESN";
	default: return NULL;
	}
}

const char *ike_transform_id_name(uint8_t type, uint16_t id)
{
	switch (type) {
	case IKE_TRANSFORM_ENCR:
		switch (id) {
		case IKE_ENCR_3DES: return "3DES";
		case IKE_ENCR_NULL: return "NULL";
		case IKE_ENCR_AES_CBC: return "AES_CBC";
		case IKE_ENCR_AES_CTR: return "AES_CTR";
		case IKE_ENCR_AES_CCM_8: return "AES_CCM_8";
		case IKE_ENCR_AES_GCM_8: return "AES_GCM_8";
		case IKE_ENCR_AES_GCM_12: return "AES_GCM_12";
		case IKE_ENCR_AES_GCM_16: return "AES_GCM_16";
		case IKE_ENCR_CHACHA20_POLY1305: return "CHACHA20_POLY1305";
		}
		break;
	case IKE_TRANSFORM_PRF:
		switch (id) {
		case IKE_PRF_HMAC_SHA1: return "PRF_HMAC_SHA1";
		case IKE_PRF_AES128_XCBC: return "PRF_AES128_XCBC";
		case IKE_PRF_HMAC_SHA2_256: return "PRF_HMAC_SHA2_256";
		case IKE_PRF_HMAC_SHA2_384: return "PRF_HMAC_SHA2_384";
		case IKE_PRF_HMAC_SHA2_512: return "PRF_HMAC_SHA2_512";
		}
		break;
	case IKE_TRANSFORM_INTEG:
		switch (id) {
		case IKE_INTEG_NONE: return "NONE";
		case IKE_INTEG_HMAC_SHA1_96: return "HMAC_SHA1_96";
		case IKE_INTEG_HMAC_SHA2_256_128: return "HMAC_SHA2_256_128";
		case IKE_INTEG_HMAC_SHA2_384_192: return "HMAC_SHA2_384_192";
		case IKE_INTEG_HMAC_SHA2_512_256: return "HMAC_SHA2_512_256";
		}
		break;
	case IKE_TRANSFORM_DH:
		switch (id) {
		case IKE_DH_NONE: return "NONE";
		case IKE_DH_MODP_2048: return "MODP_2048";
		case IKE_DH_MODP_3072: return "MODP_3072";
		case IKE_DH_MODP_4096: return "MODP_4096";
		case IKE_DH_ECP_256: return "ECP_256";
		case IKE_DH_ECP_384: return "ECP_384";
		case IKE_DH_ECP_521: return "ECP_521";
		case IKE_DH_CURVE25519: return "CURVE25519";
		case IKE_DH_CURVE448: return "CURVE448";
		}
		break;
	case IKE_TRANSFORM_ESN:
		switch (id) {
		case IKE_ESN_NO: return "NO_ESN";
		case IKE_ESN_YES: return "ESN";
		}
		break;
	}
	return NULL;
}
