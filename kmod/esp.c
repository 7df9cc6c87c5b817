// SPDX-License-Identifier: GPL-2.0
/*
 * ESP tunnel mode (RFC 4303) on skbs.
 *
 * Outbound, the inner packet becomes
 *	ESP header | IV | inner packet | padding | pad len | next hdr | ICV
 * and inbound the reverse. The AEAD's associated data is the ESP header;
 * with extended sequence numbers it is SPI | seq high | seq low (RFC 4303
 * section 2.2.1 and RFC 4106 section 5), built in place for the duration
 * of the operation because the high half never travels.
 *
 * Operations may complete asynchronously; the request memory, the
 * scatterlist and &struct vesp_esp_ctx live in one allocation whose
 * pointer rides in skb->cb.
 */

#include <crypto/aead.h>
#include <linux/ip.h>
#include <linux/ipv6.h>
#include <linux/scatterlist.h>
#include <linux/skbuff.h>
#include <net/esp.h>

#include "esp.h"
#include "sa.h"
#include "trailer.h"

/* Bytes the high half of an extended sequence number adds to the AAD. */
#define VESP_SEQHI_LEN		sizeof(__be32)

static size_t vesp_esp_tmp_size(struct crypto_aead *aead, int nfrags,
				size_t *iv_off, size_t *req_off,
				size_t *sg_off)
{
	size_t len = sizeof(struct vesp_esp_ctx);

	len = ALIGN(len, crypto_aead_alignmask(aead) + 1);
	*iv_off = len;
	len += crypto_aead_ivsize(aead);
	len = ALIGN(len, crypto_tfm_ctx_alignment());
	*req_off = len;
	len += sizeof(struct aead_request) + crypto_aead_reqsize(aead);
	len = ALIGN(len, __alignof__(struct scatterlist));
	*sg_off = len;
	return len + sizeof(struct scatterlist) * nfrags;
}

/* Allocates the request memory and prepares the request on it. */
static struct aead_request *vesp_esp_alloc_req(struct sk_buff *skb,
					       struct vesp_sa *sa, int nfrags,
					       u8 **iv,
					       struct scatterlist **sg)
{
	size_t iv_off, req_off, sg_off, len;
	struct aead_request *req;
	void *tmp;

	len = vesp_esp_tmp_size(sa->aead, nfrags, &iv_off, &req_off, &sg_off);
	tmp = kmalloc(len, GFP_ATOMIC);
	if (!tmp)
		return NULL;
	VESP_SKB_CB(skb)->sa = sa;
	VESP_SKB_CB(skb)->tmp = tmp;
	*iv = tmp + iv_off;
	*sg = tmp + sg_off;
	req = tmp + req_off;
	aead_request_set_tfm(req, sa->aead);
	sg_init_table(*sg, nfrags);
	return req;
}

/**
 * vesp_esp_ctx() - the per-packet context of a packet in crypto
 * @skb: the packet
 *
 * Return: the context inside the request memory.
 */
struct vesp_esp_ctx *vesp_esp_ctx(struct sk_buff *skb)
{
	return VESP_SKB_CB(skb)->tmp;
}

/**
 * vesp_esp_free_tmp() - free the request memory of a packet
 * @skb: the packet
 */
void vesp_esp_free_tmp(struct sk_buff *skb)
{
	kfree(VESP_SKB_CB(skb)->tmp);
	VESP_SKB_CB(skb)->tmp = NULL;
}

/**
 * vesp_esp_overhead() - bytes ESP adds to an inner packet (no outer header)
 * @sa: the outbound SA
 * @inner_len: length of the inner packet
 *
 * Return: header, IV, padding, trailer and ICV.
 */
unsigned int vesp_esp_overhead(const struct vesp_sa *sa,
			       unsigned int inner_len)
{
	return sizeof(struct ip_esp_hdr) + sa->ivlen +
	       vesp_trailer_pad_len(inner_len, sa->blocksize) +
	       VESP_TRAILER_LEN + sa->icvlen;
}

/**
 * vesp_esp_max_inner() - largest inner packet that fits in @room bytes
 * @sa: the outbound SA
 * @room: bytes available for the ESP packet (path MTU less outer header)
 *
 * Return: the largest inner length, 0 if nothing fits.
 */
unsigned int vesp_esp_max_inner(const struct vesp_sa *sa, unsigned int room)
{
	unsigned int fixed = sizeof(struct ip_esp_hdr) + sa->ivlen + sa->icvlen;
	unsigned int align = max(sa->blocksize, 4U);

	if (room < fixed + VESP_TRAILER_LEN + align)
		return 0;
	return round_down(room - fixed, align) - VESP_TRAILER_LEN;
}

static void vesp_esp_encrypt_done(struct crypto_async_request *base, int err)
{
	struct sk_buff *skb = base->data;

	vesp_esp_encrypt_finish(skb);
	vesp_send_finish(skb, err);
}

/**
 * vesp_esp_encrypt() - turn an inner packet into an ESP packet
 * @sa: the outbound SA, referenced for the packet; the reference passes
 *	to skb->cb and is dropped by the completion
 * @skb: the inner packet, data at its IP header
 * @nexthdr: IPPROTO_IPIP or IPPROTO_IPV6
 * @ctx: sequence number and outer header details, copied
 *
 * When this returns -EINPROGRESS, vesp_send_finish() is called later.
 * Otherwise the caller calls vesp_esp_encrypt_finish() and
 * vesp_send_finish() itself, or for errors before the request existed
 * (VESP_SKB_CB(skb)->tmp is NULL) frees the packet.
 *
 * Return: 0, -EINPROGRESS or a negative errno.
 */
int vesp_esp_encrypt(struct vesp_sa *sa, struct sk_buff *skb, u8 nexthdr,
		     const struct vesp_esp_ctx *ctx)
{
	unsigned int plen = skb->len;
	unsigned int padlen = vesp_trailer_pad_len(plen, sa->blocksize);
	unsigned int tailen = padlen + VESP_TRAILER_LEN + sa->icvlen;
	unsigned int extra = sa->esn ? VESP_SEQHI_LEN : 0;
	unsigned int hdrlen = sizeof(struct ip_esp_hdr) + sa->ivlen;
	unsigned int assoclen = sizeof(struct ip_esp_hdr) + extra;
	struct aead_request *req;
	struct vesp_esp_ctx *c;
	struct sk_buff *trailer;
	struct scatterlist *sg;
	__be32 *aad;
	int nfrags;
	u8 *iv;

	VESP_SKB_CB(skb)->sa = sa;
	VESP_SKB_CB(skb)->tmp = NULL;
	if (skb_cow_head(skb, hdrlen + extra + sizeof(struct ipv6hdr) +
			 LL_MAX_HEADER))
		return -ENOMEM;
	nfrags = skb_cow_data(skb, tailen, &trailer);
	if (nfrags < 0)
		return nfrags;
	vesp_trailer_write(skb_tail_pointer(trailer), padlen, nexthdr);
	pskb_put(skb, trailer, tailen);

	/*
	 * With ESN the AAD is three words; the first of them lies in front of
	 * the ESP header and is dropped again when the operation is done.
	 */
	aad = skb_push(skb, hdrlen + extra);
	aad[0] = sa->spi;
	if (sa->esn)
		aad[1] = htonl(upper_32_bits(ctx->seq));
	aad[extra / sizeof(*aad) + 1] = htonl(lower_32_bits(ctx->seq));

	req = vesp_esp_alloc_req(skb, sa, nfrags, &iv, &sg);
	if (!req)
		return -ENOMEM;
	c = vesp_esp_ctx(skb);
	*c = *ctx;
	c->esph_offset = extra;

	if (skb_to_sgvec(skb, sg, 0, skb->len) < 0)
		return -EINVAL;

	/* The geniv template derives the wire IV from this seed (esp4 does the same). */
	memset(iv, 0, sa->ivlen);
	if (sa->ivlen) {
		__be64 seed = cpu_to_be64(ctx->seq);
		unsigned int n = min_t(unsigned int, sa->ivlen, sizeof(seed));

		memcpy(iv + sa->ivlen - n, (u8 *)&seed + sizeof(seed) - n, n);
	}
	aead_request_set_callback(req, 0, vesp_esp_encrypt_done, skb);
	aead_request_set_crypt(req, sg, sg, sa->ivlen + plen + padlen +
			       VESP_TRAILER_LEN, iv);
	aead_request_set_ad(req, assoclen);
	return crypto_aead_encrypt(req);
}

/**
 * vesp_esp_encrypt_finish() - put the ESP header in its wire form
 * @skb: the packet after encryption
 */
void vesp_esp_encrypt_finish(struct sk_buff *skb)
{
	struct vesp_esp_ctx *c = vesp_esp_ctx(skb);
	struct vesp_sa *sa = VESP_SKB_CB(skb)->sa;

	if (c->esph_offset) {
		((__be32 *)skb->data)[1] = sa->spi;
		skb_pull(skb, c->esph_offset);
	}
}

static void vesp_esp_decrypt_done(struct crypto_async_request *base, int err)
{
	struct sk_buff *skb = base->data;

	vesp_esp_decrypt_finish(skb);
	vesp_receive_finish(skb, err);
}

/* Number of scatterlist entries for decrypting in place, unsharing if need be. */
static int vesp_esp_prepare_rx(struct sk_buff *skb)
{
	struct sk_buff *trailer;

	if (!skb_cloned(skb)) {
		if (!skb_is_nonlinear(skb))
			return 1;
		if (!skb_has_frag_list(skb) && !skb_has_shared_frag(skb))
			return skb_shinfo(skb)->nr_frags + 1;
	}
	return skb_cow_data(skb, 0, &trailer);
}

/**
 * vesp_esp_decrypt() - authenticate and decrypt an ESP packet in place
 * @sa: the inbound SA, referenced for the packet; the reference passes
 *	to skb->cb and is dropped by the completion
 * @skb: the packet, data at the ESP header, length already checked to
 *	hold header, IV, trailer and ICV
 * @seq: the full sequence number, inferred by the replay window
 * @outer: the outer header's addresses, family and DS field (for ECN),
 *	kept for vesp_receive_finish()
 *
 * When this returns -EINPROGRESS, vesp_receive_finish() is called later;
 * otherwise the caller calls vesp_esp_decrypt_finish() (if the request
 * exists) and vesp_receive_finish() itself.
 *
 * Return: 0, -EINPROGRESS, -EBADMSG if the ICV is wrong, or an errno.
 */
int vesp_esp_decrypt(struct vesp_sa *sa, struct sk_buff *skb, u64 seq,
		     const struct vesp_esp_ctx *outer)
{
	unsigned int extra = sa->esn ? VESP_SEQHI_LEN : 0;
	unsigned int assoclen = sizeof(struct ip_esp_hdr) + extra;
	struct aead_request *req;
	struct vesp_esp_ctx *c;
	struct scatterlist *sg;
	int nfrags;
	__be32 *aad;
	u8 *iv;

	VESP_SKB_CB(skb)->sa = sa;
	VESP_SKB_CB(skb)->tmp = NULL;
	nfrags = vesp_esp_prepare_rx(skb);
	if (nfrags < 0)
		return nfrags;
	req = vesp_esp_alloc_req(skb, sa, nfrags, &iv, &sg);
	if (!req)
		return -ENOMEM;
	c = vesp_esp_ctx(skb);
	memset(c, 0, sizeof(*c));
	c->seq = seq;
	c->esph_offset = extra;
	c->saddr = outer->saddr;
	c->daddr = outer->daddr;
	c->family = outer->family;
	c->dsfield = outer->dsfield;

	if (sa->esn) {
		/* Borrow the 4 bytes before the ESP header (outer header). */
		aad = skb_push(skb, extra);
		c->saved = aad[0];
		aad[0] = aad[1];
		aad[1] = htonl(upper_32_bits(seq));
	}
	skb->ip_summed = CHECKSUM_NONE;
	if (skb_to_sgvec(skb, sg, 0, skb->len) < 0)
		return -EINVAL;

	aead_request_set_callback(req, 0, vesp_esp_decrypt_done, skb);
	aead_request_set_crypt(req, sg, sg, skb->len - assoclen, iv);
	aead_request_set_ad(req, assoclen);
	return crypto_aead_decrypt(req);
}

/**
 * vesp_esp_decrypt_finish() - restore what decryption borrowed
 * @skb: the packet after decryption, data at the ESP header again
 */
void vesp_esp_decrypt_finish(struct sk_buff *skb)
{
	struct vesp_esp_ctx *c = vesp_esp_ctx(skb);
	__be32 *aad = (__be32 *)skb->data;

	if (c->esph_offset) {
		aad[1] = aad[0];
		aad[0] = c->saved;
		skb_pull(skb, c->esph_offset);
	}
}
