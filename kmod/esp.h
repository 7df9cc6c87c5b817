/* SPDX-License-Identifier: GPL-2.0 */
/*
 * ESP tunnel mode (RFC 4303) on skbs: the header, trailer and AEAD
 * operations, with both 32- and 64-bit sequence numbers.
 */
#ifndef _VESP_ESP_H
#define _VESP_ESP_H

#include <linux/skbuff.h>
#include <linux/types.h>

#include "path.h"

struct vesp_sa;

/**
 * struct vesp_esp_ctx - per-packet state that outlives an async operation
 * @seq: full sequence number of the packet
 * @saved: bytes overwritten to make the ESN AAD contiguous, restored after
 * @esph_offset: offset of the ESP header from skb->data when the operation
 *	started (it moves 4 bytes for ESN)
 * @saddr: outer source address: outbound to set, inbound as received
 * @daddr: outer destination address, likewise
 * @family: outer address family, likewise
 * @dsfield: outer DS field: outbound to set, inbound as received
 * @df: outbound: set the outer DF bit
 * @probe: outbound: a liveness probe, not the device's traffic
 * @inner_len: bytes of the inner packet, for counters
 */
struct vesp_esp_ctx {
	u64 seq;
	__be32 saved;
	unsigned int esph_offset;
	union vesp_addr saddr;
	union vesp_addr daddr;
	u16 family;
	u8 dsfield;
	bool df;
	bool probe;
	unsigned int inner_len;
};

/**
 * struct vesp_skb_cb - what vesp keeps in skb->cb during crypto
 * @sa: the SA, with a reference held for the packet
 * @tmp: memory of the crypto request, scatterlist and &struct vesp_esp_ctx
 */
struct vesp_skb_cb {
	struct vesp_sa *sa;
	void *tmp;
};

#define VESP_SKB_CB(skb) ((struct vesp_skb_cb *)(skb)->cb)

struct vesp_esp_ctx *vesp_esp_ctx(struct sk_buff *skb);
unsigned int vesp_esp_overhead(const struct vesp_sa *sa,
			       unsigned int inner_len);
unsigned int vesp_esp_max_inner(const struct vesp_sa *sa, unsigned int room);
int vesp_esp_encrypt(struct vesp_sa *sa, struct sk_buff *skb, u8 nexthdr,
		     const struct vesp_esp_ctx *ctx);
void vesp_esp_encrypt_finish(struct sk_buff *skb);
int vesp_esp_decrypt(struct vesp_sa *sa, struct sk_buff *skb, u64 seq,
		     const struct vesp_esp_ctx *outer);
void vesp_esp_decrypt_finish(struct sk_buff *skb);
void vesp_esp_free_tmp(struct sk_buff *skb);

/* Completion: in send.c and receive.c; err is 0 or a negative errno. */
void vesp_send_finish(struct sk_buff *skb, int err);
void vesp_receive_finish(struct sk_buff *skb, int err);

#endif /* _VESP_ESP_H */
