/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The ESP trailer (RFC 4303 section 2.4): padding, pad length and next
 * header at the end of the encrypted payload, before the ICV.
 */
#ifndef _VESP_TRAILER_H
#define _VESP_TRAILER_H

#include <linux/types.h>

struct sk_buff;

/* The fixed part of the trailer: the pad length and next header bytes. */
#define VESP_TRAILER_LEN 2

/* The largest cipher block size an SA may use: pad length is one byte. */
#define VESP_TRAILER_BLKSIZE_MAX 256

/**
 * enum vesp_trailer_verdict - what a decrypted trailer says of a packet
 * @VESP_TRAILER_OK: well formed, carries an IPv4 or IPv6 packet
 * @VESP_TRAILER_DUMMY: well formed dummy packet (next header 59, RFC 4303
 *	section 2.6): drop without counting an error
 * @VESP_TRAILER_BAD_LENGTH: too short for the trailer, a pad length that
 *	runs past the start of the payload, or an empty inner packet
 * @VESP_TRAILER_BAD_PADDING: the padding bytes are not 1, 2, 3, ...
 * @VESP_TRAILER_BAD_NEXTHDR: next header is not IPv4, IPv6 or 59, which is
 *	all that tunnel mode carries
 *
 * Anything but %VESP_TRAILER_OK means drop; each bad verdict has its own
 * counter. Lengths are checked first, then the padding, then the next
 * header, and last whether an IP payload is empty: a packet with several
 * faults is counted under the first found.
 */
enum vesp_trailer_verdict {
	VESP_TRAILER_OK,
	VESP_TRAILER_DUMMY,
	VESP_TRAILER_BAD_LENGTH,
	VESP_TRAILER_BAD_PADDING,
	VESP_TRAILER_BAD_NEXTHDR,
};

/**
 * struct vesp_trailer - a parsed ESP trailer
 * @payload_len: length of the inner packet, in front of the padding
 * @pad_len: number of padding bytes
 * @next_hdr: protocol of the inner packet (IPPROTO_IPIP or IPPROTO_IPV6)
 */
struct vesp_trailer {
	unsigned int payload_len;
	u8 pad_len;
	u8 next_hdr;
};

bool vesp_trailer_blksize_ok(unsigned int blksize);
unsigned int vesp_trailer_pad_len(unsigned int payload_len,
				  unsigned int blksize);
void vesp_trailer_write(u8 *pad, unsigned int pad_len, u8 next_hdr);
enum vesp_trailer_verdict vesp_trailer_parse(const u8 *plain,
					     unsigned int len,
					     struct vesp_trailer *t);
enum vesp_trailer_verdict vesp_trailer_parse_skb(const struct sk_buff *skb,
						 unsigned int offset,
						 unsigned int len,
						 struct vesp_trailer *t);

#endif /* _VESP_TRAILER_H */
