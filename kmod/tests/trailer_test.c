// SPDX-License-Identifier: GPL-2.0
/*
 * KUnit tests for ESP trailer padding and validation.
 */

#include <kunit/test.h>
#include <linux/bits.h>
#include <linux/in.h>
#include <linux/in6.h>
#include <linux/minmax.h>
#include <linux/mm.h>
#include <linux/skbuff.h>

#include "../trailer.h"

/* Largest payload plus trailer any case builds. */
#define BUF_SIZE 600

/* Bytes in front of the decrypted payload in skbs: ESP header and IV. */
#define SKB_PREFIX 16

/*
 * Lay out @payload_len bytes of payload and a trailer with @pad_len bytes
 * of padding in @buf. The payload never looks like padding.
 */
static unsigned int build(u8 *buf, unsigned int payload_len,
			  unsigned int pad_len, u8 next_hdr)
{
	unsigned int i;

	for (i = 0; i < payload_len; i++)
		buf[i] = 0x80 | (i * 7);
	vesp_trailer_write(buf + payload_len, pad_len, next_hdr);
	return payload_len + pad_len + VESP_TRAILER_LEN;
}

static void blksize_ok_powers_of_two_up_to_256(struct kunit *test)
{
	static const unsigned int good[] = { 1, 2, 4, 8, 16, 32, 256 };
	static const unsigned int bad[] = { 0, 3, 12, 24, 255, 512 };
	unsigned int i;

	for (i = 0; i < ARRAY_SIZE(good); i++)
		KUNIT_EXPECT_TRUE_MSG(test, vesp_trailer_blksize_ok(good[i]),
				      "blksize %u", good[i]);
	for (i = 0; i < ARRAY_SIZE(bad); i++)
		KUNIT_EXPECT_FALSE_MSG(test, vesp_trailer_blksize_ok(bad[i]),
				       "blksize %u", bad[i]);
}

static void pad_len_fills_blocks_and_4_byte_words(struct kunit *test)
{
	static const unsigned int blksizes[] = { 1, 2, 4, 8, 16, 32, 256 };
	unsigned int i, len, pad, align;

	for (i = 0; i < ARRAY_SIZE(blksizes); i++) {
		align = max(blksizes[i], 4U);
		for (len = 0; len < BUF_SIZE; len++) {
			pad = vesp_trailer_pad_len(len, blksizes[i]);
			KUNIT_ASSERT_EQ_MSG(test,
					    (len + pad + VESP_TRAILER_LEN) %
					    align, 0U, "blksize %u len %u",
					    blksizes[i], len);
			/* The least padding that does it. */
			KUNIT_ASSERT_LT_MSG(test, pad, align,
					    "blksize %u len %u", blksizes[i],
					    len);
		}
	}
}

static void pad_len_known_values(struct kunit *test)
{
	/* AES-GCM, block size 1: align to 4 only. */
	KUNIT_EXPECT_EQ(test, vesp_trailer_pad_len(1, 1), 1U);
	KUNIT_EXPECT_EQ(test, vesp_trailer_pad_len(2, 1), 0U);
	KUNIT_EXPECT_EQ(test, vesp_trailer_pad_len(20, 1), 2U);
	KUNIT_EXPECT_EQ(test, vesp_trailer_pad_len(1400, 1), 2U);
	/* AES-CBC, block size 16. */
	KUNIT_EXPECT_EQ(test, vesp_trailer_pad_len(14, 16), 0U);
	KUNIT_EXPECT_EQ(test, vesp_trailer_pad_len(20, 16), 10U);
	KUNIT_EXPECT_EQ(test, vesp_trailer_pad_len(15, 16), 15U);
}

static void write_writes_counting_padding(struct kunit *test)
{
	u8 buf[8];
	const u8 want[] = { 1, 2, 3, 4, 5, 5, IPPROTO_IPV6 };

	memset(buf, 0xee, sizeof(buf));
	vesp_trailer_write(buf, 5, IPPROTO_IPV6);
	KUNIT_EXPECT_EQ(test, memcmp(buf, want, sizeof(want)), 0);
	KUNIT_EXPECT_EQ_MSG(test, buf[7], 0xee, "wrote past the trailer");
}

static void written_trailer_parses_back(struct kunit *test)
{
	static const unsigned int blksizes[] = { 1, 8, 16 };
	static const u8 protos[] = { IPPROTO_IPIP, IPPROTO_IPV6 };
	unsigned int i, j, len, plen, pad;
	struct vesp_trailer t;
	u8 *buf;

	buf = kunit_kzalloc(test, BUF_SIZE, GFP_KERNEL);
	KUNIT_ASSERT_NOT_NULL(test, buf);

	for (i = 0; i < ARRAY_SIZE(blksizes); i++) {
		for (j = 0; j < ARRAY_SIZE(protos); j++) {
			for (len = 1; len <= 300; len++) {
				pad = vesp_trailer_pad_len(len, blksizes[i]);
				plen = build(buf, len, pad, protos[j]);
				KUNIT_ASSERT_EQ_MSG(test,
						    vesp_trailer_parse(buf, plen,
								       &t),
						    VESP_TRAILER_OK,
						    "blksize %u len %u",
						    blksizes[i], len);
				KUNIT_ASSERT_EQ(test, t.payload_len, len);
				KUNIT_ASSERT_EQ(test, t.pad_len, pad);
				KUNIT_ASSERT_EQ(test, t.next_hdr, protos[j]);
			}
		}
	}
}

static void one_byte_payload_accepted(struct kunit *test)
{
	struct vesp_trailer t;
	u8 buf[8];
	unsigned int len;

	len = build(buf, 1, vesp_trailer_pad_len(1, 1), IPPROTO_IPIP);
	KUNIT_ASSERT_EQ(test, len, 4U);
	KUNIT_EXPECT_EQ(test, vesp_trailer_parse(buf, len, &t),
			VESP_TRAILER_OK);
	KUNIT_EXPECT_EQ(test, t.payload_len, 1U);
	KUNIT_EXPECT_EQ(test, t.pad_len, 1);
}

static void max_padding_accepted(struct kunit *test)
{
	struct vesp_trailer t;
	unsigned int len;
	u8 *buf;

	buf = kunit_kzalloc(test, BUF_SIZE, GFP_KERNEL);
	KUNIT_ASSERT_NOT_NULL(test, buf);
	len = build(buf, 20, 255, IPPROTO_IPIP);
	KUNIT_EXPECT_EQ(test, vesp_trailer_parse(buf, len, &t),
			VESP_TRAILER_OK);
	KUNIT_EXPECT_EQ(test, t.payload_len, 20U);
	KUNIT_EXPECT_EQ(test, t.pad_len, 255);
}

static void shorter_than_trailer_is_bad_length(struct kunit *test)
{
	const u8 buf[2] = { 0, IPPROTO_IPIP };
	struct vesp_trailer t;

	KUNIT_EXPECT_EQ(test, vesp_trailer_parse(buf, 0, &t),
			VESP_TRAILER_BAD_LENGTH);
	KUNIT_EXPECT_EQ(test, vesp_trailer_parse(buf + 1, 1, &t),
			VESP_TRAILER_BAD_LENGTH);
}

static void pad_length_past_payload_start_is_bad_length(struct kunit *test)
{
	struct vesp_trailer t;
	unsigned int len;
	u8 buf[16];

	/* 10 bytes: 8 may be padding, 9 would start before the buffer. */
	len = build(buf, 0, 8, IPPROTO_IPIP);
	KUNIT_ASSERT_EQ(test, len, 10U);
	buf[len - 2] = 9;
	KUNIT_EXPECT_EQ(test, vesp_trailer_parse(buf, len, &t),
			VESP_TRAILER_BAD_LENGTH);
	buf[len - 2] = 255;
	KUNIT_EXPECT_EQ(test, vesp_trailer_parse(buf, len, &t),
			VESP_TRAILER_BAD_LENGTH);
}

/* Padding right up to the start: no inner packet, only a dummy may. */
static void empty_payload_only_for_dummy(struct kunit *test)
{
	struct vesp_trailer t;
	unsigned int len;
	u8 buf[16];

	len = build(buf, 0, 2, IPPROTO_IPIP);
	KUNIT_EXPECT_EQ(test, vesp_trailer_parse(buf, len, &t),
			VESP_TRAILER_BAD_LENGTH);
	len = build(buf, 0, 2, IPPROTO_IPV6);
	KUNIT_EXPECT_EQ(test, vesp_trailer_parse(buf, len, &t),
			VESP_TRAILER_BAD_LENGTH);
	len = build(buf, 0, 2, IPPROTO_NONE);
	KUNIT_EXPECT_EQ(test, vesp_trailer_parse(buf, len, &t),
			VESP_TRAILER_DUMMY);
	len = build(buf, 0, 2, IPPROTO_TCP);
	KUNIT_EXPECT_EQ(test, vesp_trailer_parse(buf, len, &t),
			VESP_TRAILER_BAD_NEXTHDR);
}

static void wrong_pad_byte_is_bad_padding(struct kunit *test)
{
	struct vesp_trailer t;
	unsigned int i, len;
	u8 buf[64];

	for (i = 0; i < 15; i++) {
		len = build(buf, 20, 15, IPPROTO_IPIP);
		buf[20 + i] ^= 0x40;
		KUNIT_EXPECT_EQ_MSG(test, vesp_trailer_parse(buf, len, &t),
				    VESP_TRAILER_BAD_PADDING, "pad byte %u", i);
	}

	/* Zeros, the padding of some careless senders, are not RFC 4303's. */
	len = build(buf, 20, 3, IPPROTO_IPIP);
	memset(buf + 20, 0, 3);
	KUNIT_EXPECT_EQ(test, vesp_trailer_parse(buf, len, &t),
			VESP_TRAILER_BAD_PADDING);
}

static void next_header_ipv4_ipv6_or_dummy_only(struct kunit *test)
{
	enum vesp_trailer_verdict want;
	struct vesp_trailer t;
	unsigned int nh, len;
	u8 buf[32];

	for (nh = 0; nh <= 255; nh++) {
		if (nh == IPPROTO_IPIP || nh == IPPROTO_IPV6)
			want = VESP_TRAILER_OK;
		else if (nh == IPPROTO_NONE)
			want = VESP_TRAILER_DUMMY;
		else
			want = VESP_TRAILER_BAD_NEXTHDR;
		len = build(buf, 20, 2, nh);
		KUNIT_EXPECT_EQ_MSG(test, vesp_trailer_parse(buf, len, &t),
				    want, "next header %u", nh);
	}
}

static void dummy_with_bad_padding_is_bad_padding(struct kunit *test)
{
	struct vesp_trailer t;
	unsigned int len;
	u8 buf[32];

	len = build(buf, 20, 2, IPPROTO_NONE);
	KUNIT_EXPECT_EQ(test, vesp_trailer_parse(buf, len, &t),
			VESP_TRAILER_DUMMY);
	KUNIT_EXPECT_EQ(test, t.payload_len, 20U);
	buf[21] = 3;
	KUNIT_EXPECT_EQ(test, vesp_trailer_parse(buf, len, &t),
			VESP_TRAILER_BAD_PADDING);
}

/*
 * An skb of SKB_PREFIX bytes, then @plain: the first @head bytes of it in
 * the linear area, the rest in a page fragment.
 */
static struct sk_buff *skb_build(const u8 *plain, unsigned int len,
				 unsigned int head)
{
	unsigned int linear = SKB_PREFIX + head;
	struct sk_buff *skb;
	struct page *page;

	skb = alloc_skb(linear, GFP_KERNEL);
	if (!skb)
		return NULL;
	memset(skb_put(skb, SKB_PREFIX), 0x55, SKB_PREFIX);
	skb_put_data(skb, plain, head);
	if (head == len)
		return skb;

	page = alloc_page(GFP_KERNEL);
	if (!page) {
		kfree_skb(skb);
		return NULL;
	}
	memcpy(page_address(page), plain + head, len - head);
	skb_add_rx_frag(skb, 0, page, 0, len - head, PAGE_SIZE);
	return skb;
}

struct skb_case {
	const char *name;
	unsigned int payload_len;
	unsigned int pad_len;
	u8 next_hdr;
	int corrupt;	/* padding byte to flip, or -1 */
	int pad_len_field; /* value for the pad length byte, or -1 */
};

static const struct skb_case skb_cases[] = {
	{ "valid", 40, 10, IPPROTO_IPIP, -1, -1 },
	{ "one byte payload", 1, 1, IPPROTO_IPV6, -1, -1 },
	{ "max padding", 20, 255, IPPROTO_IPV6, -1, -1 },
	{ "bad first pad byte", 40, 10, IPPROTO_IPIP, 0, -1 },
	{ "bad last pad byte", 40, 10, IPPROTO_IPIP, 9, -1 },
	{ "bad pad byte at chunk edge", 20, 255, IPPROTO_IPIP, 31, -1 },
	{ "bad pad byte after chunk edge", 20, 255, IPPROTO_IPIP, 32, -1 },
	{ "bad pad byte late", 20, 255, IPPROTO_IPIP, 200, -1 },
	{ "bad next header", 40, 10, IPPROTO_UDP, -1, -1 },
	{ "dummy", 40, 10, IPPROTO_NONE, -1, -1 },
	{ "pad length too large", 4, 2, IPPROTO_IPIP, -1, 7 },
};

/* Whatever the layout of the skb, it must read as the flat buffer does. */
static void skb_parse_matches_buffer_parse(struct kunit *test)
{
	struct vesp_trailer want_t, got_t;
	enum vesp_trailer_verdict want, got;
	const struct skb_case *c;
	unsigned int i, head, len;
	unsigned long seen = 0;
	struct sk_buff *skb;
	u8 *buf;

	buf = kunit_kzalloc(test, BUF_SIZE, GFP_KERNEL);
	KUNIT_ASSERT_NOT_NULL(test, buf);

	for (i = 0; i < ARRAY_SIZE(skb_cases); i++) {
		c = &skb_cases[i];
		len = build(buf, c->payload_len, c->pad_len, c->next_hdr);
		if (c->corrupt >= 0)
			buf[c->payload_len + c->corrupt] ^= 0x40;
		if (c->pad_len_field >= 0)
			buf[len - 2] = c->pad_len_field;
		want = vesp_trailer_parse(buf, len, &want_t);
		seen |= BIT(want);

		for (head = 0; head <= len; head++) {
			skb = skb_build(buf, len, head);
			KUNIT_ASSERT_NOT_NULL(test, skb);
			got = vesp_trailer_parse_skb(skb, SKB_PREFIX, len,
						     &got_t);
			kfree_skb(skb);
			KUNIT_ASSERT_EQ_MSG(test, got, want, "%s, %u linear",
					    c->name, head);
			if (want != VESP_TRAILER_OK &&
			    want != VESP_TRAILER_DUMMY)
				continue;
			KUNIT_ASSERT_EQ(test, got_t.payload_len,
					want_t.payload_len);
			KUNIT_ASSERT_EQ(test, got_t.pad_len, want_t.pad_len);
			KUNIT_ASSERT_EQ(test, got_t.next_hdr, want_t.next_hdr);
		}
	}
	/* The table is only worth its keep if it reaches every verdict. */
	KUNIT_EXPECT_EQ(test, seen, GENMASK(VESP_TRAILER_BAD_NEXTHDR, 0));
}

static void skb_range_outside_skb_is_bad_length(struct kunit *test)
{
	struct vesp_trailer t;
	struct sk_buff *skb;
	unsigned int len;
	u8 buf[32];

	len = build(buf, 20, 2, IPPROTO_IPIP);
	skb = skb_build(buf, len, len);
	KUNIT_ASSERT_NOT_NULL(test, skb);

	KUNIT_EXPECT_EQ(test, vesp_trailer_parse_skb(skb, SKB_PREFIX, len, &t),
			VESP_TRAILER_OK);
	KUNIT_EXPECT_EQ(test,
			vesp_trailer_parse_skb(skb, SKB_PREFIX + 1, len, &t),
			VESP_TRAILER_BAD_LENGTH);
	KUNIT_EXPECT_EQ(test, vesp_trailer_parse_skb(skb, 0, skb->len + 1, &t),
			VESP_TRAILER_BAD_LENGTH);
	KUNIT_EXPECT_EQ(test, vesp_trailer_parse_skb(skb, UINT_MAX - 3, 8, &t),
			VESP_TRAILER_BAD_LENGTH);
	KUNIT_EXPECT_EQ(test, vesp_trailer_parse_skb(skb, SKB_PREFIX, 1, &t),
			VESP_TRAILER_BAD_LENGTH);
	kfree_skb(skb);
}

static struct kunit_case trailer_test_cases[] = {
	KUNIT_CASE(blksize_ok_powers_of_two_up_to_256),
	KUNIT_CASE(pad_len_fills_blocks_and_4_byte_words),
	KUNIT_CASE(pad_len_known_values),
	KUNIT_CASE(write_writes_counting_padding),
	KUNIT_CASE(written_trailer_parses_back),
	KUNIT_CASE(one_byte_payload_accepted),
	KUNIT_CASE(max_padding_accepted),
	KUNIT_CASE(shorter_than_trailer_is_bad_length),
	KUNIT_CASE(pad_length_past_payload_start_is_bad_length),
	KUNIT_CASE(empty_payload_only_for_dummy),
	KUNIT_CASE(wrong_pad_byte_is_bad_padding),
	KUNIT_CASE(next_header_ipv4_ipv6_or_dummy_only),
	KUNIT_CASE(dummy_with_bad_padding_is_bad_padding),
	KUNIT_CASE(skb_parse_matches_buffer_parse),
	KUNIT_CASE(skb_range_outside_skb_is_bad_length),
	{}
};

static struct kunit_suite trailer_test_suite = {
	.name = "vesp-trailer",
	.test_cases = trailer_test_cases,
};

kunit_test_suites(&trailer_test_suite);
