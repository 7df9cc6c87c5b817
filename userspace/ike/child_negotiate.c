// SPDX-License-Identifier: GPL-2.0
/* Child SA negotiation inside an exchange: see child_negotiate.h. */
#include "child_negotiate.h"

#include <string.h>

#include <linux/vesp.h>

/*
 * Copy @num proposals from @in to @out; in IKE_AUTH without their KE
 * transforms: the first child takes its keys from the IKE SA's key
 * exchange, and "the SA payloads in the IKE_AUTH exchange cannot contain
 * Transform Type 4 ... other than NONE" (RFC 7296 §1.2). Offers and
 * answers with or without it are then taken alike.
 */
static void copy_proposals(struct ike_proposal *out, const struct ike_proposal *in,
			   size_t num, bool in_auth)
{
	for (size_t i = 0; i < num; i++) {
		out[i] = in[i];
		if (in_auth)
			ike_proposal_strip(&out[i], IKE_TRANSFORM_DH);
	}
}

int ike_child_offer(struct ike_sa *sa, struct ike_child_exchange *x, bool in_auth,
		    struct ike_builder *b, struct ike_error *err)
{
	const struct ike_sa_config *cfg = sa->config;
	struct ike_proposal offer[IKE_MAX_PROPOSALS];

	if (!cfg->num_child_proposals)
		return ike_error_set(err, 0, "%s: no ESP proposals configured", __func__);
	memset(x, 0, sizeof(*x));
	x->initiator = true;
	if (ike_child_new_spi(sa->deps, &x->child.spi_in, err) < 0)
		return -1;
	copy_proposals(offer, cfg->child_proposals, cfg->num_child_proposals, in_auth);
	/* every proposal names the same SPI: whichever is chosen, it is ours */
	for (size_t i = 0; i < cfg->num_child_proposals; i++) {
		offer[i].spi_size = 4;
		offer[i].spi = x->child.spi_in;
	}
	if (ike_build_sa(b, offer, cfg->num_child_proposals) < 0 ||
	    ike_build_ts(b, IKE_PAYLOAD_TSI, cfg->ts_local, cfg->num_ts_local) < 0 ||
	    ike_build_ts(b, IKE_PAYLOAD_TSR, cfg->ts_remote, cfg->num_ts_remote) < 0)
		return ike_error_set(err, 0, "%s", b->err.text);
	return 0;
}

static int refuse(struct ike_child_exchange *x, uint16_t notify,
		  struct ike_error *err, const char *what)
{
	x->error = notify;
	return ike_error_set(err, notify, "ike_child_choose: %s", what);
}

int ike_child_choose(struct ike_sa *sa, struct ike_child_exchange *x,
		     const struct ike_message *req, bool in_auth,
		     struct ike_error *err)
{
	const struct ike_sa_config *cfg = sa->config;
	struct ike_proposal local[IKE_MAX_PROPOSALS], offered[IKE_MAX_PROPOSALS];

	memset(x, 0, sizeof(*x));
	if (!ike_message_find(req, IKE_PAYLOAD_SA) ||
	    !ike_message_find(req, IKE_PAYLOAD_TSI) ||
	    !ike_message_find(req, IKE_PAYLOAD_TSR))
		return refuse(x, IKE_N_INVALID_SYNTAX, err, "SA, TSi or TSr missing");
	copy_proposals(local, cfg->child_proposals, cfg->num_child_proposals, in_auth);
	copy_proposals(offered, req->sa.proposals, req->sa.num_proposals, in_auth);
	if (ike_proposal_select(local, cfg->num_child_proposals,
				offered, req->sa.num_proposals,
				&x->chosen, err) < 0 ||
	    ike_suite_from_proposal(&x->child.suite, &x->chosen, err) < 0)
		return refuse(x, IKE_N_NO_PROPOSAL_CHOSEN, err, "no ESP proposal chosen");
	if (x->chosen.spi_size != 4 || x->chosen.spi < 256)
		return refuse(x, IKE_N_INVALID_SYNTAX, err, "ESP SPI missing or reserved");
	/* TSi are the initiator's, that is the remote end's, selectors */
	x->num_tsi = ike_ts_narrow(cfg->ts_remote, cfg->num_ts_remote, req->tsi.ts,
				   req->tsi.num_ts, x->tsi, IKE_MAX_TS);
	x->num_tsr = ike_ts_narrow(cfg->ts_local, cfg->num_ts_local, req->tsr.ts,
				   req->tsr.num_ts, x->tsr, IKE_MAX_TS);
	if (!x->num_tsi || !x->num_tsr)
		return refuse(x, IKE_N_TS_UNACCEPTABLE, err, "no traffic selectors in common");
	x->child.spi_out = (uint32_t)x->chosen.spi;
	if (ike_child_new_spi(sa->deps, &x->child.spi_in, err) < 0)
		return -1;
	x->chosen.spi = x->child.spi_in;
	return 0;
}

int ike_child_answer(const struct ike_child_exchange *x, struct ike_builder *b)
{
	if (x->error)
		return ike_build_notify(b, 0, 0, 0, x->error, NULL, 0);
	if (ike_build_sa(b, &x->chosen, 1) < 0 ||
	    ike_build_ts(b, IKE_PAYLOAD_TSI, x->tsi, x->num_tsi) < 0)
		return -1;
	return ike_build_ts(b, IKE_PAYLOAD_TSR, x->tsr, x->num_tsr);
}

int ike_child_check(struct ike_sa *sa, struct ike_child_exchange *x,
		    const struct ike_message *resp, bool in_auth,
		    struct ike_error *err)
{
	const struct ike_sa_config *cfg = sa->config;
	struct ike_proposal offered[IKE_MAX_PROPOSALS], answer[IKE_MAX_PROPOSALS];
	struct ike_proposal accepted;

	if (!ike_message_find(resp, IKE_PAYLOAD_SA) ||
	    !ike_message_find(resp, IKE_PAYLOAD_TSI) ||
	    !ike_message_find(resp, IKE_PAYLOAD_TSR))
		return ike_error_set(err, IKE_N_INVALID_SYNTAX,
				     "%s: SA, TSi or TSr missing", __func__);
	copy_proposals(offered, cfg->child_proposals, cfg->num_child_proposals, in_auth);
	copy_proposals(answer, resp->sa.proposals, resp->sa.num_proposals, in_auth);
	if (ike_proposal_check_response(offered, cfg->num_child_proposals,
					answer, resp->sa.num_proposals,
					&accepted, err) < 0 ||
	    ike_suite_from_proposal(&x->child.suite, &accepted, err) < 0)
		return -1;
	if (accepted.spi_size != 4 || accepted.spi < 256)
		return ike_error_set(err, IKE_N_INVALID_SYNTAX,
				     "%s: ESP SPI missing or reserved", __func__);
	x->child.spi_out = (uint32_t)accepted.spi;
	/* the responder may only narrow what we offered (§2.9) */
	x->num_tsi = ike_ts_narrow(cfg->ts_local, cfg->num_ts_local, resp->tsi.ts,
				   resp->tsi.num_ts, x->tsi, IKE_MAX_TS);
	x->num_tsr = ike_ts_narrow(cfg->ts_remote, cfg->num_ts_remote, resp->tsr.ts,
				   resp->tsr.num_ts, x->tsr, IKE_MAX_TS);
	if (x->num_tsi != resp->tsi.num_ts || x->num_tsr != resp->tsr.num_ts)
		return ike_error_set(err, IKE_N_TS_UNACCEPTABLE,
				     "%s: selectors beyond those offered", __func__);
	return 0;
}

struct ike_child_sa *ike_child_establish(struct ike_sa *sa,
					 struct ike_child_exchange *x,
					 struct ike_chunk shared, struct ike_chunk ni,
					 struct ike_chunk nr, bool activate,
					 struct ike_error *err)
{
	const struct ike_kernel *kernel = sa->deps->kernel;
	struct ike_child_keys keys;
	struct ike_child_sa *slot;
	struct ike_child_sa *ret = NULL;

	if (ike_child_keys_derive(&keys, &x->child.suite, sa->suite.prf,
				  ike_chunk(sa->keys.sk_d, sa->keys.sizes.prf_key),
				  shared, ni, nr, err) < 0)
		goto out;
	/* take a slot first: installed SAs the engine forgot would leak */
	x->child.state = activate ? IKE_CHILD_INSTALLED : IKE_CHILD_STANDBY;
	slot = ike_sa_add_child(sa, &x->child);
	if (!slot) {
		ike_error_set(err, 0, "%s: no room for another Child SA", __func__);
		goto out;
	}
	/*
	 * Keys go the way of this exchange, not of the IKE SA: the Child SA's
	 * initiator is whoever sent the request, often the IKE SA's responder
	 * in CREATE_CHILD_SA (RFC 7296 §2.17).
	 */
	if (kernel && ike_child_install(kernel, sa->config->peer_id, &x->child,
					&keys, x->initiator, activate, err) < 0) {
		slot->state = IKE_CHILD_FREE;
		goto out;
	}
	ret = slot;
out:
	ike_child_keys_clear(&keys);
	return ret;
}

void ike_child_reject(struct ike_sa *sa, const struct ike_child_exchange *x)
{
	struct ike_child_sa child = x->child;

	/* without the peer's SPI it made nothing we could name */
	if (!child.spi_out)
		return;
	child.state = IKE_CHILD_REDUNDANT;
	child.not_installed = true;
	child.delete_by_us = true;
	ike_sa_add_child(sa, &child);
}

int ike_child_activate(struct ike_sa *sa, struct ike_child_sa *child,
		       struct ike_error *err)
{
	const struct ike_kernel *k = sa->deps->kernel;

	if (k && k->sa_activate(k->ctx, sa->config->peer_id, child->spi_out, err) < 0)
		return -1;
	child->state = IKE_CHILD_INSTALLED;
	return 0;
}

void ike_child_remove_outbound(struct ike_sa *sa, struct ike_child_sa *child)
{
	const struct ike_kernel *k = sa->deps->kernel;

	if (k && !child->out_removed && !child->not_installed)
		k->sa_del(k->ctx, sa->config->peer_id, VESP_SA_DIR_OUT,
			  child->spi_out, NULL);
	child->out_removed = true;
}

void ike_child_remove(struct ike_sa *sa, struct ike_child_sa *child)
{
	const struct ike_kernel *k = sa->deps->kernel;

	ike_child_remove_outbound(sa, child);
	if (k && !child->not_installed)
		k->sa_del(k->ctx, sa->config->peer_id, VESP_SA_DIR_IN,
			  child->spi_in, NULL);
	memset(child, 0, sizeof(*child));
}
