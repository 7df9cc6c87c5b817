// SPDX-License-Identifier: GPL-2.0
/*
 * KUnit tests for the decisions of path liveness: when a path is alive,
 * which path outbound traffic takes, and the probe's wire format.
 */

#include <kunit/test.h>
#include <linux/jiffies.h>
#include <linux/string.h>

#include "../liveness.h"

/* An arbitrary "now" well away from 0, and a detect time of 300 jiffies. */
#define NOW	100000UL
#define DETECT	300UL
#define HOLD	1000UL

static void judge_never_heard_is_dead(struct kunit *test)
{
	struct vesp_liveness_view v = {};

	KUNIT_EXPECT_FALSE(test, vesp_liveness_judge(&v, NOW, DETECT));
}

static void judge_recent_rx_is_alive(struct kunit *test)
{
	struct vesp_liveness_view v = { .last_rx = NOW - DETECT + 1 };

	KUNIT_EXPECT_TRUE(test, vesp_liveness_judge(&v, NOW, DETECT));
}

static void judge_rx_older_than_detect_is_dead(struct kunit *test)
{
	struct vesp_liveness_view v = { .last_rx = NOW - DETECT };

	KUNIT_EXPECT_FALSE(test, vesp_liveness_judge(&v, NOW, DETECT));
}

static void judge_peer_not_hearing_is_dead(struct kunit *test)
{
	/* One-way path: this end hears, the peer says it does not. */
	struct vesp_liveness_view v = {
		.last_rx = NOW - 1,
		.last_probe_rx = NOW - 1,
		.peer_hears = false,
	};

	KUNIT_EXPECT_FALSE(test, vesp_liveness_judge(&v, NOW, DETECT));
	v.peer_hears = true;
	KUNIT_EXPECT_TRUE(test, vesp_liveness_judge(&v, NOW, DETECT));
}

static void judge_stale_probe_is_ignored(struct kunit *test)
{
	/* A peer that stopped probing: only its traffic counts. */
	struct vesp_liveness_view v = {
		.last_rx = NOW - 1,
		.last_probe_rx = NOW - DETECT - 5,
		.peer_hears = false,
	};

	KUNIT_EXPECT_TRUE(test, vesp_liveness_judge(&v, NOW, DETECT));
}

static void judge_works_across_jiffies_wrap(struct kunit *test)
{
	unsigned long now = 10;
	struct vesp_liveness_view v = { .last_rx = ULONG_MAX - 20 };

	KUNIT_EXPECT_TRUE(test, vesp_liveness_judge(&v, now, DETECT));
	KUNIT_EXPECT_FALSE(test, vesp_liveness_judge(&v, now + DETECT, DETECT));
}

static void choose_no_paths(struct kunit *test)
{
	KUNIT_EXPECT_EQ(test, vesp_liveness_choose(NULL, 0, -1, NOW, HOLD), -1);
}

static void choose_keeps_live_current(struct kunit *test)
{
	struct vesp_liveness_candidate p[] = {
		{ .up = true, .up_since = NOW - 10, .priority = 0 },
		{ .up = true, .up_since = NOW - 5000, .priority = 10 },
	};

	/* The better path 0 is up, but not for the hold-down yet. */
	KUNIT_EXPECT_EQ(test, vesp_liveness_choose(p, 2, 1, NOW, HOLD), 1);
}

static void choose_returns_after_hold_down(struct kunit *test)
{
	struct vesp_liveness_candidate p[] = {
		{ .up = true, .up_since = NOW - HOLD, .priority = 0 },
		{ .up = true, .up_since = NOW - 5000, .priority = 10 },
	};

	KUNIT_EXPECT_EQ(test, vesp_liveness_choose(p, 2, 1, NOW, HOLD), 0);
}

static void choose_leaves_dead_current_at_once(struct kunit *test)
{
	struct vesp_liveness_candidate p[] = {
		{ .up = false, .ever_up = true, .priority = 0 },
		{ .up = true, .up_since = NOW - 1, .priority = 10 },
		{ .up = true, .up_since = NOW - 9999, .priority = 20 },
	};

	/* The best live one, even if it came up a moment ago. */
	KUNIT_EXPECT_EQ(test, vesp_liveness_choose(p, 3, 0, NOW, HOLD), 1);
}

static void choose_stays_when_nothing_lives(struct kunit *test)
{
	struct vesp_liveness_candidate p[] = {
		{ .up = false, .priority = 0 },
		{ .up = false, .priority = 10 },
	};

	KUNIT_EXPECT_EQ(test, vesp_liveness_choose(p, 2, 1, NOW, HOLD), 1);
	/* Nowhere yet: the preferred path. */
	KUNIT_EXPECT_EQ(test, vesp_liveness_choose(p, 2, -1, NOW, HOLD), 0);
}

static void choose_equal_priority_does_not_switch_back(struct kunit *test)
{
	struct vesp_liveness_candidate p[] = {
		{ .up = true, .up_since = NOW - 9999, .priority = 5 },
		{ .up = true, .up_since = NOW - 9999, .priority = 5 },
	};

	KUNIT_EXPECT_EQ(test, vesp_liveness_choose(p, 2, 1, NOW, HOLD), 1);
}

static void choose_flapping_path_switches_a_bounded_number(struct kunit *test)
{
	/*
	 * The preferred path 0 is up 300 jiffies, down 300, for 20 s, while
	 * path 1 stays up: with a hold-down of 1000 traffic leaves path 0
	 * once and never comes back while it flaps.
	 */
	struct vesp_liveness_candidate p[] = {
		{ .up = true, .ever_up = true, .up_since = NOW, .priority = 0 },
		{ .up = true, .ever_up = true, .up_since = NOW, .priority = 10 },
	};
	unsigned long t;
	int cur = 0, next, switches = 0;

	for (t = NOW; t < NOW + 20000; t += 10) {
		bool up = ((t - NOW) / 300) % 2 == 1;

		if (up && !p[0].up)
			p[0].up_since = t;
		p[0].up = up;
		next = vesp_liveness_choose(p, 2, cur, t, HOLD);
		if (next != cur)
			switches++;
		cur = next;
	}
	KUNIT_EXPECT_EQ(test, switches, 1);
	KUNIT_EXPECT_EQ(test, cur, 1);
}

static void choose_startup_waits_for_a_worse_path(struct kunit *test)
{
	/* Just turned on: the worse path 1 answered first. */
	struct vesp_liveness_candidate p[] = {
		{ .up = false, .ever_up = false, .priority = 0 },
		{ .up = true, .ever_up = true, .up_since = NOW - 10, .priority = 10 },
	};

	KUNIT_EXPECT_EQ(test, vesp_liveness_choose(p, 2, 0, NOW, HOLD), 0);
	/* Path 0 comes up in time: no switch at all. */
	p[0].up = true;
	p[0].ever_up = true;
	p[0].up_since = NOW;
	KUNIT_EXPECT_EQ(test, vesp_liveness_choose(p, 2, 0, NOW, HOLD), 0);
}

static void choose_startup_leaves_a_path_that_never_comes_up(struct kunit *test)
{
	struct vesp_liveness_candidate p[] = {
		{ .up = false, .ever_up = false, .priority = 0 },
		{ .up = true, .ever_up = true, .up_since = NOW - HOLD, .priority = 10 },
	};

	KUNIT_EXPECT_EQ(test, vesp_liveness_choose(p, 2, 0, NOW, HOLD), 1);
}

static void choose_startup_takes_a_better_path_at_once(struct kunit *test)
{
	/* A path added in front of one still coming up. */
	struct vesp_liveness_candidate p[] = {
		{ .up = true, .ever_up = true, .up_since = NOW, .priority = 0 },
		{ .up = false, .ever_up = false, .priority = 10 },
	};

	KUNIT_EXPECT_EQ(test, vesp_liveness_choose(p, 2, 1, NOW, HOLD), 0);
}

static void choose_out_of_range_current_is_none(struct kunit *test)
{
	struct vesp_liveness_candidate p[] = {
		{ .up = false, .priority = 0 },
		{ .up = true, .up_since = NOW, .priority = 1 },
	};

	KUNIT_EXPECT_EQ(test, vesp_liveness_choose(p, 2, 7, NOW, HOLD), 1);
}

static void probe_round_trip(struct kunit *test)
{
	struct vesp_probe probe;
	bool hears = false;

	KUNIT_EXPECT_EQ(test, sizeof(probe), 16);
	vesp_liveness_probe_build(&probe, 7, 100, true);
	KUNIT_EXPECT_TRUE(test, vesp_liveness_probe_parse(&probe, sizeof(probe),
							  &hears));
	KUNIT_EXPECT_TRUE(test, hears);
	vesp_liveness_probe_build(&probe, 7, 100, false);
	KUNIT_EXPECT_TRUE(test, vesp_liveness_probe_parse(&probe, sizeof(probe),
							  &hears));
	KUNIT_EXPECT_FALSE(test, hears);
}

static void probe_wire_format(struct kunit *test)
{
	static const u8 want[] = {
		0x76, 0x65, 0x73, 0x70, 0x01, 0x01, 0x00, 0x00,
		0x00, 0x00, 0x01, 0x02, 0x00, 0x00, 0x00, 0x64,
	};
	struct vesp_probe probe;

	vesp_liveness_probe_build(&probe, 0x102, 100, true);
	KUNIT_EXPECT_EQ(test, memcmp(&probe, want, sizeof(want)), 0);
}

static void probe_rejects_foreign_dummies(struct kunit *test)
{
	struct vesp_probe probe;
	u8 empty[1] = {};
	bool hears = true;

	/* Traffic flow confidentiality padding: not a probe. */
	KUNIT_EXPECT_FALSE(test, vesp_liveness_probe_parse(empty, 0, &hears));
	vesp_liveness_probe_build(&probe, 1, 100, false);
	KUNIT_EXPECT_FALSE(test, vesp_liveness_probe_parse(&probe,
							   sizeof(probe) - 1,
							   &hears));
	probe.magic ^= htonl(1);
	KUNIT_EXPECT_FALSE(test, vesp_liveness_probe_parse(&probe, sizeof(probe),
							   &hears));
	vesp_liveness_probe_build(&probe, 1, 100, false);
	probe.version = 2;
	KUNIT_EXPECT_FALSE(test, vesp_liveness_probe_parse(&probe, sizeof(probe),
							   &hears));
	/* Nothing was read from the rejected ones. */
	KUNIT_EXPECT_TRUE(test, hears);
}

static void probe_ignores_unknown_flags(struct kunit *test)
{
	struct vesp_probe probe;
	bool hears = true;

	vesp_liveness_probe_build(&probe, 1, 100, false);
	probe.flags = 0xfe;
	KUNIT_EXPECT_TRUE(test, vesp_liveness_probe_parse(&probe, sizeof(probe),
							  &hears));
	KUNIT_EXPECT_FALSE(test, hears);
}

static struct kunit_case liveness_test_cases[] = {
	KUNIT_CASE(judge_never_heard_is_dead),
	KUNIT_CASE(judge_recent_rx_is_alive),
	KUNIT_CASE(judge_rx_older_than_detect_is_dead),
	KUNIT_CASE(judge_peer_not_hearing_is_dead),
	KUNIT_CASE(judge_stale_probe_is_ignored),
	KUNIT_CASE(judge_works_across_jiffies_wrap),
	KUNIT_CASE(choose_no_paths),
	KUNIT_CASE(choose_keeps_live_current),
	KUNIT_CASE(choose_returns_after_hold_down),
	KUNIT_CASE(choose_leaves_dead_current_at_once),
	KUNIT_CASE(choose_stays_when_nothing_lives),
	KUNIT_CASE(choose_equal_priority_does_not_switch_back),
	KUNIT_CASE(choose_flapping_path_switches_a_bounded_number),
	KUNIT_CASE(choose_startup_waits_for_a_worse_path),
	KUNIT_CASE(choose_startup_leaves_a_path_that_never_comes_up),
	KUNIT_CASE(choose_startup_takes_a_better_path_at_once),
	KUNIT_CASE(choose_out_of_range_current_is_none),
	KUNIT_CASE(probe_round_trip),
	KUNIT_CASE(probe_wire_format),
	KUNIT_CASE(probe_rejects_foreign_dummies),
	KUNIT_CASE(probe_ignores_unknown_flags),
	{}
};

static struct kunit_suite liveness_test_suite = {
	.name = "vesp-liveness",
	.test_cases = liveness_test_cases,
};

kunit_test_suites(&liveness_test_suite);
