// SPDX-License-Identifier: GPL-2.0
/*
 * The ESP trailer: outbound padding, inbound validation.
 *
 * Inbound the trailer is parsed only after the ICV was verified, so every
 * fault found here is the peer's, not the network's: the packet is dropped
 * and counted, never trusted in part.
 */

#include <linux/in.h>
#include <linux/in6.h>
#include <linux/log2.h>
#include <linux/minmax.h>
#include <linux/skbuff.h>

#include "trailer.h"

/* Padding is compared in chunks of this size when it must be copied. */
#define TRAILER_CHUNK 32

/**
 * vesp_trailer_blksize_ok() - whether a cipher block size can be padded to
 * @blksize: block size of the SA's AEAD, crypto_aead_blocksize(); 1 for a
 *	stream or counter mode such as GCM
 *
 * Called once when an SA is created, so that vesp_trailer_pad_len() needs
 * no checks per packet.
 *
 * Return: true for a power of two no larger than %VESP_TRAILER_BLKSIZE_MAX.
 */
bool vesp_trailer_blksize_ok(unsigned int blksize)
{
	return is_power_of_2(blksize) && blksize <= VESP_TRAILER_BLKSIZE_MAX;
}

/**
 * vesp_trailer_pad_len() - padding needed after an outbound payload
 * @payload_len: length of the inner packet
 * @blksize: the SA's block size, accepted by vesp_trailer_blksize_ok()
 *
 * RFC 4303 section 2.4: payload, padding and the two fixed trailer bytes
 * fill whole cipher blocks, and end on a 4-byte boundary so that the ICV
 * is aligned, whatever the block size.
 *
 * Return: the number of padding bytes, the least that does both; below
 * max(@blksize, 4), so it fits the one-byte pad length field.
 */
unsigned int vesp_trailer_pad_len(unsigned int payload_len,
				  unsigned int blksize)
{
	unsigned int align = max(blksize, 4U);

	return (0U - (payload_len + VESP_TRAILER_LEN)) & (align - 1);
}

/**
 * vesp_trailer_write() - write padding, pad length and next header
 * @pad: where the padding starts, right after the payload; room for
 *	@pad_len + %VESP_TRAILER_LEN bytes
 * @pad_len: number of padding bytes, at most 255
 * @next_hdr: protocol of the payload, IPPROTO_IPIP or IPPROTO_IPV6
 *
 * The padding is the default of RFC 4303 section 2.4, the bytes 1, 2, 3,
 * ..., which the receiver checks.
 */
void vesp_trailer_write(u8 *pad, unsigned int pad_len, u8 next_hdr)
{
	unsigned int i;

	for (i = 0; i < pad_len; i++)
		pad[i] = i + 1;
	pad[pad_len] = pad_len;
	pad[pad_len + 1] = next_hdr;
}

/* Read the fixed fields and check that the padding fits in front of them. */
static enum vesp_trailer_verdict trailer_fields(const u8 *fixed,
						unsigned int len,
						struct vesp_trailer *t)
{
	t->pad_len = fixed[0];
	t->next_hdr = fixed[1];
	if (t->pad_len + VESP_TRAILER_LEN > len)
		return VESP_TRAILER_BAD_LENGTH;
	t->payload_len = len - t->pad_len - VESP_TRAILER_LEN;
	return VESP_TRAILER_OK;
}

/* Whether @n padding bytes, the first of which is number @first, count up. */
static bool trailer_pad_ok(const u8 *pad, unsigned int n, unsigned int first)
{
	unsigned int i;

	for (i = 0; i < n; i++)
		if (pad[i] != (u8)(first + i))
			return false;
	return true;
}

/*
 * Tunnel mode carries whole IP packets, and dummy packets that are only
 * there to be thrown away (RFC 4303 section 2.6); those alone may be empty.
 */
static enum vesp_trailer_verdict trailer_next_hdr(const struct vesp_trailer *t)
{
	switch (t->next_hdr) {
	case IPPROTO_IPIP:
	case IPPROTO_IPV6:
		return t->payload_len ? VESP_TRAILER_OK :
					VESP_TRAILER_BAD_LENGTH;
	case IPPROTO_NONE:
		return VESP_TRAILER_DUMMY;
	default:
		return VESP_TRAILER_BAD_NEXTHDR;
	}
}

/**
 * vesp_trailer_parse() - validate the trailer of a decrypted payload
 * @plain: the decrypted payload: inner packet, padding, pad length and next
 *	header, without IV or ICV
 * @len: length of @plain
 * @t: filled in; meaningful for %VESP_TRAILER_OK and %VESP_TRAILER_DUMMY
 *
 * Checks, in this order: that the trailer and its padding fit in @len, that
 * the padding counts 1, 2, 3, ... (RFC 4303 section 2.4: it catches a
 * payload cut from one packet and pasted into another), and that the next
 * header is one that tunnel mode carries. Block alignment is not checked:
 * the AEAD already refused a ciphertext that is not whole blocks, and the
 * 4-byte alignment is the sender's duty that Linux's own receiver does not
 * enforce either.
 *
 * Return: the verdict.
 */
enum vesp_trailer_verdict vesp_trailer_parse(const u8 *plain,
					     unsigned int len,
					     struct vesp_trailer *t)
{
	enum vesp_trailer_verdict verdict;

	if (len < VESP_TRAILER_LEN)
		return VESP_TRAILER_BAD_LENGTH;
	verdict = trailer_fields(plain + len - VESP_TRAILER_LEN, len, t);
	if (verdict != VESP_TRAILER_OK)
		return verdict;
	if (!trailer_pad_ok(plain + t->payload_len, t->pad_len, 1))
		return VESP_TRAILER_BAD_PADDING;
	return trailer_next_hdr(t);
}

/**
 * vesp_trailer_parse_skb() - vesp_trailer_parse() on a decrypted skb
 * @skb: the packet; it may be non-linear
 * @offset: where the decrypted payload starts in @skb
 * @len: length of the decrypted payload, without the ICV
 * @t: as for vesp_trailer_parse()
 *
 * Reads the trailer in place where it is linear and copies it in small
 * chunks where it is not.
 *
 * Return: the verdict, as vesp_trailer_parse(); a range that does not lie
 * within @skb is %VESP_TRAILER_BAD_LENGTH.
 */
enum vesp_trailer_verdict vesp_trailer_parse_skb(const struct sk_buff *skb,
						 unsigned int offset,
						 unsigned int len,
						 struct vesp_trailer *t)
{
	enum vesp_trailer_verdict verdict;
	u8 buf[TRAILER_CHUNK];
	unsigned int done, n;
	const u8 *p;

	if (len < VESP_TRAILER_LEN || len > skb->len ||
	    offset > skb->len - len)
		return VESP_TRAILER_BAD_LENGTH;

	p = skb_header_pointer(skb, offset + len - VESP_TRAILER_LEN,
			       VESP_TRAILER_LEN, buf);
	if (!p)
		return VESP_TRAILER_BAD_LENGTH;
	verdict = trailer_fields(p, len, t);
	if (verdict != VESP_TRAILER_OK)
		return verdict;

	for (done = 0; done < t->pad_len; done += n) {
		n = min_t(unsigned int, t->pad_len - done, sizeof(buf));
		p = skb_header_pointer(skb, offset + t->payload_len + done, n,
				       buf);
		if (!p)
			return VESP_TRAILER_BAD_LENGTH;
		if (!trailer_pad_ok(p, n, done + 1))
			return VESP_TRAILER_BAD_PADDING;
	}
	return trailer_next_hdr(t);
}
