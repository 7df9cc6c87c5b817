// SPDX-License-Identifier: GPL-2.0
/*
 * KUnit tests for the vesp link attributes and MTU bounds.
 */

#include <kunit/test.h>
#include <linux/vesp.h>
#include <net/netlink.h>

#include "../device.h"

/* Room for IFLA_INFO_DATA with a few attributes and some garbage. */
#define INFO_DATA_BUF_SIZE 128

struct info_data_builder {
	struct sk_buff *skb;
	struct nlattr *nest;
};

static void info_data_begin(struct kunit *test, struct info_data_builder *b)
{
	b->skb = alloc_skb(INFO_DATA_BUF_SIZE, GFP_KERNEL);
	KUNIT_ASSERT_NOT_ERR_OR_NULL(test, b->skb);
	b->nest = nla_nest_start(b->skb, IFLA_INFO_DATA);
	KUNIT_ASSERT_NOT_ERR_OR_NULL(test, b->nest);
}

static int info_data_validate(struct info_data_builder *b,
			      struct netlink_ext_ack *extack)
{
	int ret;

	nla_nest_end(b->skb, b->nest);
	ret = vesp_device_validate_info_data(b->nest, extack);
	kfree_skb(b->skb);
	return ret;
}

static void vesp_info_data_empty_is_valid(struct kunit *test)
{
	struct netlink_ext_ack extack = {};
	struct info_data_builder b;

	info_data_begin(test, &b);
	KUNIT_EXPECT_EQ(test, info_data_validate(&b, &extack), 0);
	KUNIT_EXPECT_NULL(test, extack._msg);
}

static void vesp_info_data_all_attributes_valid(struct kunit *test)
{
	struct netlink_ext_ack extack = {};
	struct info_data_builder b;

	info_data_begin(test, &b);
	KUNIT_ASSERT_EQ(test, nla_put_u32(b.skb, IFLA_VESP_FWMARK, 0xfeedbeef), 0);
	KUNIT_ASSERT_EQ(test, nla_put_u32(b.skb, IFLA_VESP_FLAGS,
					  VESP_LINK_F_ALL), 0);
	KUNIT_EXPECT_EQ(test, info_data_validate(&b, &extack), 0);
	KUNIT_EXPECT_NULL(test, extack._msg);
}

static void vesp_info_data_unknown_type_rejected(struct kunit *test)
{
	struct netlink_ext_ack extack = {};
	struct info_data_builder b;

	info_data_begin(test, &b);
	KUNIT_ASSERT_EQ(test, nla_put_u32(b.skb, IFLA_VESP_MAX + 1, 1), 0);
	KUNIT_EXPECT_EQ(test, info_data_validate(&b, &extack), -EINVAL);
	KUNIT_EXPECT_NOT_NULL(test, extack._msg);
	KUNIT_EXPECT_NOT_NULL(test, extack.bad_attr);
}

static void vesp_info_data_type_zero_rejected(struct kunit *test)
{
	struct netlink_ext_ack extack = {};
	struct info_data_builder b;

	info_data_begin(test, &b);
	KUNIT_ASSERT_EQ(test, nla_put_u32(b.skb, IFLA_VESP_UNSPEC, 1), 0);
	KUNIT_EXPECT_EQ(test, info_data_validate(&b, &extack), -EINVAL);
	KUNIT_EXPECT_NOT_NULL(test, extack._msg);
}

static void vesp_info_data_short_fwmark_rejected(struct kunit *test)
{
	struct netlink_ext_ack extack = {};
	struct info_data_builder b;

	info_data_begin(test, &b);
	KUNIT_ASSERT_EQ(test, nla_put_u16(b.skb, IFLA_VESP_FWMARK, 1), 0);
	KUNIT_EXPECT_LT(test, info_data_validate(&b, &extack), 0);
	KUNIT_EXPECT_NOT_NULL(test, extack._msg);
}

static void vesp_info_data_long_fwmark_rejected(struct kunit *test)
{
	struct netlink_ext_ack extack = {};
	struct info_data_builder b;
	int ret;

	info_data_begin(test, &b);
	ret = nla_put_u64_64bit(b.skb, IFLA_VESP_FWMARK, 1, IFLA_VESP_UNSPEC);
	KUNIT_ASSERT_EQ(test, ret, 0);
	KUNIT_EXPECT_LT(test, info_data_validate(&b, &extack), 0);
	KUNIT_EXPECT_NOT_NULL(test, extack._msg);
}

static void vesp_info_data_unknown_flag_rejected(struct kunit *test)
{
	struct netlink_ext_ack extack = {};
	struct info_data_builder b;

	info_data_begin(test, &b);
	KUNIT_ASSERT_EQ(test, nla_put_u32(b.skb, IFLA_VESP_FLAGS,
					  VESP_LINK_F_ALL + 1), 0);
	KUNIT_EXPECT_EQ(test, info_data_validate(&b, &extack), -EINVAL);
	KUNIT_EXPECT_NOT_NULL(test, extack._msg);
	KUNIT_EXPECT_NOT_NULL(test, extack.bad_attr);
}

static void vesp_mtu_bounds_leave_room_for_esp(struct kunit *test)
{
	KUNIT_EXPECT_LE(test, VESP_MAX_MTU + VESP_MAX_OVERHEAD, IP_MAX_MTU);
	KUNIT_EXPECT_LE(test, VESP_DEFAULT_MTU + VESP_MAX_OVERHEAD,
			ETH_DATA_LEN);
	KUNIT_EXPECT_GE(test, VESP_DEFAULT_MTU, IPV6_MIN_MTU);
	KUNIT_EXPECT_EQ(test, VESP_MIN_MTU, 68);
}

static struct kunit_case vesp_device_test_cases[] = {
	KUNIT_CASE(vesp_info_data_empty_is_valid),
	KUNIT_CASE(vesp_info_data_all_attributes_valid),
	KUNIT_CASE(vesp_info_data_unknown_type_rejected),
	KUNIT_CASE(vesp_info_data_type_zero_rejected),
	KUNIT_CASE(vesp_info_data_short_fwmark_rejected),
	KUNIT_CASE(vesp_info_data_long_fwmark_rejected),
	KUNIT_CASE(vesp_info_data_unknown_flag_rejected),
	KUNIT_CASE(vesp_mtu_bounds_leave_room_for_esp),
	{}
};

static struct kunit_suite vesp_device_test_suite = {
	.name = "vesp-device",
	.test_cases = vesp_device_test_cases,
};

kunit_test_suites(&vesp_device_test_suite);
