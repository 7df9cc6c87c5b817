// SPDX-License-Identifier: GPL-2.0
/*
 * KUnit tests for the anti-replay window and the outbound sequence numbers.
 *
 * Besides hand-written cases, the window is compared with a reference model
 * that keeps every accepted sequence number in a plain array: obviously
 * right, and with no ring to get wrong. A seeded PRNG drives both with
 * in-order, reordered, duplicated and jumping traffic, so a failure
 * reproduces exactly.
 */

#include <kunit/test.h>
#include <linux/bits.h>
#include <linux/limits.h>
#include <linux/prandom.h>
#include <linux/slab.h>

#include "../replay.h"

#define SUBSPACE BIT_ULL(32)

/* Steps of each model run; the model costs O(steps^2) compares. */
#define MODEL_STEPS 3000

struct replay_params {
	u32 window;
	bool esn;
};

static int replay_resource_init(struct kunit_resource *res, void *context)
{
	const struct replay_params *p = context;
	struct vesp_replay *r;

	r = vesp_replay_alloc(p->window, p->esn, GFP_KERNEL);
	if (IS_ERR(r))
		return PTR_ERR(r);
	res->data = r;
	return 0;
}

static void replay_resource_free(struct kunit_resource *res)
{
	vesp_replay_free(res->data);
}

/* A window that is freed when the test case ends, even by an assertion. */
static struct vesp_replay *replay_new(struct kunit *test, u32 window, bool esn)
{
	struct replay_params p = { .window = window, .esn = esn };
	struct vesp_replay *r;

	r = kunit_alloc_resource(test, replay_resource_init,
				 replay_resource_free, GFP_KERNEL, &p);
	KUNIT_ASSERT_NOT_ERR_OR_NULL(test, r);
	return r;
}

/*
 * Receive a packet the way the datapath does, with a good ICV: check,
 * then advance. Single-threaded, the advance must agree with the check.
 */
static enum vesp_replay_verdict receive(struct kunit *test,
					struct vesp_replay *r, u32 seq_lo,
					u64 *seq)
{
	enum vesp_replay_verdict verdict;
	u64 s = 0;

	verdict = vesp_replay_check(r, seq_lo, &s);
	if (seq)
		*seq = s;
	if (verdict != VESP_REPLAY_OK)
		return verdict;
	verdict = vesp_replay_advance(r, s);
	KUNIT_EXPECT_EQ_MSG(test, verdict, VESP_REPLAY_OK,
			    "advance refused %llu that check accepted", s);
	return verdict;
}

/* Move the window's top to @seq, as the first packet of a test's story. */
static void prime(struct kunit *test, struct vesp_replay *r, u64 seq)
{
	KUNIT_ASSERT_EQ(test, vesp_replay_advance(r, seq), VESP_REPLAY_OK);
}

static const u32 windows[] = { 1, 32, 63, 64, 65, 100, 128, 1024, 4095, 4096 };
static const u32 windows_and_off[] = { 0, 1, 32, 64, 100, 128, 1024, 4096 };

static void window_desc(const u32 *window, char *desc)
{
	snprintf(desc, KUNIT_PARAM_DESC_SIZE, "window %u", *window);
}

KUNIT_ARRAY_PARAM(windows, windows, window_desc);
KUNIT_ARRAY_PARAM(windows_and_off, windows_and_off, window_desc);

static u32 param_window(struct kunit *test)
{
	return *(const u32 *)test->param_value;
}

static void alloc_rejects_window_above_max(struct kunit *test)
{
	struct vesp_replay *r;

	r = vesp_replay_alloc(VESP_REPLAY_WINDOW_MAX + 1, false, GFP_KERNEL);
	KUNIT_EXPECT_EQ(test, PTR_ERR_OR_ZERO(r), -EINVAL);

	r = vesp_replay_alloc(VESP_REPLAY_WINDOW_MAX, true, GFP_KERNEL);
	KUNIT_ASSERT_NOT_ERR_OR_NULL(test, r);
	vesp_replay_free(r);
}

static void seq_zero_is_too_old(struct kunit *test)
{
	struct vesp_replay *r = replay_new(test, 64, false);
	struct vesp_replay *off = replay_new(test, 0, false);

	KUNIT_EXPECT_EQ(test, receive(test, r, 0, NULL), VESP_REPLAY_TOO_OLD);
	KUNIT_EXPECT_EQ(test, receive(test, off, 0, NULL), VESP_REPLAY_TOO_OLD);
	KUNIT_EXPECT_EQ(test, vesp_replay_advance(r, 0), VESP_REPLAY_TOO_OLD);
}

static void in_order_accepted_then_duplicates(struct kunit *test)
{
	u32 w = param_window(test);
	struct vesp_replay *r = replay_new(test, w, false);
	u32 top = 3 * w + 5;
	u32 seq;
	u64 full;

	for (seq = 1; seq <= top; seq++) {
		KUNIT_ASSERT_EQ_MSG(test, receive(test, r, seq, &full),
				    VESP_REPLAY_OK, "seq %u", seq);
		KUNIT_ASSERT_EQ(test, full, (u64)seq);
	}
	for (seq = top - w + 1; seq <= top; seq++)
		KUNIT_ASSERT_EQ_MSG(test, receive(test, r, seq, NULL),
				    VESP_REPLAY_DUPLICATE, "seq %u", seq);
	for (seq = 1; seq <= top - w; seq++)
		KUNIT_ASSERT_EQ_MSG(test, receive(test, r, seq, NULL),
				    VESP_REPLAY_TOO_OLD, "seq %u", seq);
}

static void reordered_within_window_accepted_once(struct kunit *test)
{
	u32 w = param_window(test);
	struct vesp_replay *r = replay_new(test, w, false);
	u32 top = w + 10;
	u32 seq;

	KUNIT_ASSERT_EQ(test, receive(test, r, top, NULL), VESP_REPLAY_OK);
	for (seq = top - 1; seq > top - w; seq--)
		KUNIT_ASSERT_EQ_MSG(test, receive(test, r, seq, NULL),
				    VESP_REPLAY_OK, "seq %u", seq);
	for (seq = top; seq > top - w; seq--)
		KUNIT_ASSERT_EQ_MSG(test, receive(test, r, seq, NULL),
				    VESP_REPLAY_DUPLICATE, "seq %u", seq);
	KUNIT_EXPECT_EQ(test, receive(test, r, top - w, NULL),
			VESP_REPLAY_TOO_OLD);
}

static void window_edges_exact(struct kunit *test)
{
	u32 w = param_window(test);
	struct vesp_replay *r = replay_new(test, w, false);
	u32 top = 5 * w + 3;

	KUNIT_ASSERT_EQ(test, receive(test, r, top, NULL), VESP_REPLAY_OK);
	/* The oldest number inside the window is top - w + 1. */
	KUNIT_EXPECT_EQ(test, receive(test, r, top - w, NULL),
			VESP_REPLAY_TOO_OLD);
	if (w > 1)
		KUNIT_EXPECT_EQ(test, receive(test, r, top - w + 1, NULL),
				VESP_REPLAY_OK);
	KUNIT_EXPECT_EQ(test, receive(test, r, top - w + 1, NULL),
			VESP_REPLAY_DUPLICATE);
}

/*
 * After a jump the ring words are recycled: numbers now inside the window
 * must not be taken for duplicates because of bits left from before, and
 * numbers received before the jump that are still inside must be.
 */
static void jump_ahead_forgets_only_what_left_window(struct kunit *test)
{
	static const u32 jumps[] = {
		1, 2, 31, 32, 33, 63, 64, 65, 100, 127, 128, 129, 4095, 4096,
		4097, 8191, 8192, 8193, 100000,
	};
	u32 w = param_window(test);
	unsigned int i;
	u32 seq, top;

	for (i = 0; i < ARRAY_SIZE(jumps); i++) {
		struct vesp_replay *r = replay_new(test, w, false);
		u32 old_top = 2 * w + 70;

		/* Fill the whole window, then jump. */
		for (seq = old_top - w + 1; seq <= old_top; seq++)
			KUNIT_ASSERT_EQ(test, receive(test, r, seq, NULL),
					VESP_REPLAY_OK);
		top = old_top + jumps[i];
		KUNIT_ASSERT_EQ(test, receive(test, r, top, NULL),
				VESP_REPLAY_OK);

		for (seq = top - w + 1; seq < top; seq++) {
			enum vesp_replay_verdict want = seq <= old_top ?
				VESP_REPLAY_DUPLICATE : VESP_REPLAY_OK;
			enum vesp_replay_verdict got;
			u64 full;

			got = vesp_replay_check(r, seq, &full);
			KUNIT_ASSERT_EQ_MSG(test, got, want,
					    "jump %u: seq %u", jumps[i], seq);
		}
		KUNIT_EXPECT_EQ_MSG(test, receive(test, r, top - w, NULL),
				    VESP_REPLAY_TOO_OLD, "jump %u", jumps[i]);
	}
}

static void window_off_accepts_all_but_zero(struct kunit *test)
{
	struct vesp_replay *r = replay_new(test, 0, false);

	KUNIT_EXPECT_EQ(test, receive(test, r, 5, NULL), VESP_REPLAY_OK);
	KUNIT_EXPECT_EQ(test, receive(test, r, 5, NULL), VESP_REPLAY_OK);
	KUNIT_EXPECT_EQ(test, receive(test, r, 1, NULL), VESP_REPLAY_OK);
	KUNIT_EXPECT_EQ(test, receive(test, r, U32_MAX, NULL), VESP_REPLAY_OK);
	KUNIT_EXPECT_EQ(test, receive(test, r, 2, NULL), VESP_REPLAY_OK);
	KUNIT_EXPECT_EQ(test, receive(test, r, 0, NULL), VESP_REPLAY_TOO_OLD);
}

/*
 * Two CPUs check the same number before either has advanced: both pass,
 * and the advance after decryption lets only the first one through.
 */
static void advance_refuses_loser_of_duplicate_race(struct kunit *test)
{
	struct vesp_replay *r = replay_new(test, 64, false);
	u64 a, b;

	KUNIT_ASSERT_EQ(test, vesp_replay_check(r, 7, &a), VESP_REPLAY_OK);
	KUNIT_ASSERT_EQ(test, vesp_replay_check(r, 7, &b), VESP_REPLAY_OK);
	KUNIT_EXPECT_EQ(test, vesp_replay_advance(r, a), VESP_REPLAY_OK);
	KUNIT_EXPECT_EQ(test, vesp_replay_advance(r, b),
			VESP_REPLAY_DUPLICATE);
}

/* The window moves past a packet while it is being decrypted. */
static void advance_refuses_packet_window_moved_past(struct kunit *test)
{
	struct vesp_replay *r = replay_new(test, 64, false);
	u64 seq;

	KUNIT_ASSERT_EQ(test, vesp_replay_check(r, 7, &seq), VESP_REPLAY_OK);
	KUNIT_ASSERT_EQ(test, receive(test, r, 7 + 64, NULL), VESP_REPLAY_OK);
	KUNIT_EXPECT_EQ(test, vesp_replay_advance(r, seq),
			VESP_REPLAY_TOO_OLD);
}

static void top_reports_highest_authenticated(struct kunit *test)
{
	struct vesp_replay *r = replay_new(test, 64, true);
	u64 seq;

	KUNIT_EXPECT_EQ(test, vesp_replay_top(r), 0ULL);
	KUNIT_ASSERT_EQ(test, receive(test, r, 5, NULL), VESP_REPLAY_OK);
	KUNIT_ASSERT_EQ(test, receive(test, r, 3, NULL), VESP_REPLAY_OK);
	KUNIT_EXPECT_EQ(test, vesp_replay_top(r), 5ULL);
	/* Checked but never authenticated: the top stays. */
	KUNIT_ASSERT_EQ(test, vesp_replay_check(r, 100, &seq), VESP_REPLAY_OK);
	KUNIT_EXPECT_EQ(test, vesp_replay_top(r), 5ULL);
	prime(test, r, SUBSPACE + 1);
	KUNIT_EXPECT_EQ(test, vesp_replay_top(r), SUBSPACE + 1);
}

static void esn_infers_same_subspace(struct kunit *test)
{
	struct vesp_replay *r = replay_new(test, 64, true);
	u64 seq;

	KUNIT_ASSERT_EQ(test, receive(test, r, 1000, &seq), VESP_REPLAY_OK);
	KUNIT_EXPECT_EQ(test, seq, 1000ULL);
	KUNIT_EXPECT_EQ(test, receive(test, r, 990, &seq), VESP_REPLAY_OK);
	KUNIT_EXPECT_EQ(test, seq, 990ULL);
	KUNIT_EXPECT_EQ(test, receive(test, r, 5000, &seq), VESP_REPLAY_OK);
	KUNIT_EXPECT_EQ(test, seq, 5000ULL);
}

static void esn_crosses_into_next_subspace(struct kunit *test)
{
	struct vesp_replay *r = replay_new(test, 64, true);
	u64 seq;

	prime(test, r, SUBSPACE - 16);
	KUNIT_EXPECT_EQ(test, receive(test, r, U32_MAX - 1, &seq),
			VESP_REPLAY_OK);
	KUNIT_EXPECT_EQ(test, seq, SUBSPACE - 2);
	/* With ESN a low half of 0 is legitimate: it is 2^32. */
	KUNIT_EXPECT_EQ(test, receive(test, r, 0, &seq), VESP_REPLAY_OK);
	KUNIT_EXPECT_EQ(test, seq, SUBSPACE);
	KUNIT_EXPECT_EQ(test, receive(test, r, 3, &seq), VESP_REPLAY_OK);
	KUNIT_EXPECT_EQ(test, seq, SUBSPACE + 3);
	KUNIT_EXPECT_EQ(test, receive(test, r, 0, &seq),
			VESP_REPLAY_DUPLICATE);
	KUNIT_EXPECT_EQ(test, seq, SUBSPACE);
}

/* Top is in subspace 1; the window reaches back into subspace 0. */
static void esn_late_packet_from_previous_subspace(struct kunit *test)
{
	struct vesp_replay *r = replay_new(test, 64, true);
	u64 top = SUBSPACE + 5;
	u64 seq;

	prime(test, r, SUBSPACE - 10);
	prime(test, r, top);

	KUNIT_EXPECT_EQ(test, receive(test, r, U32_MAX - 7, &seq),
			VESP_REPLAY_OK);
	KUNIT_EXPECT_EQ(test, seq, SUBSPACE - 8);
	KUNIT_EXPECT_EQ(test, receive(test, r, U32_MAX - 9, &seq),
			VESP_REPLAY_DUPLICATE);
	KUNIT_EXPECT_EQ(test, seq, SUBSPACE - 10);

	/* The oldest number inside the window, top - 63. */
	KUNIT_EXPECT_EQ(test, receive(test, r, (u32)(top - 63), &seq),
			VESP_REPLAY_OK);
	KUNIT_EXPECT_EQ(test, seq, top - 63);

	/*
	 * One older is behind the window: RFC 4303 A2.2 places it in the
	 * next subspace, where it is new, and the ICV then fails. Do not
	 * advance: in the datapath it would never authenticate.
	 */
	KUNIT_EXPECT_EQ(test, vesp_replay_check(r, (u32)(top - 64), &seq),
			VESP_REPLAY_OK);
	KUNIT_EXPECT_EQ(test, seq, top - 64 + SUBSPACE);
}

static void esn_before_first_subspace_is_too_old(struct kunit *test)
{
	struct vesp_replay *r = replay_new(test, 64, true);
	u64 seq;

	/* Top is 0: the window covers the 63 numbers "before" 1. */
	KUNIT_EXPECT_EQ(test, vesp_replay_check(r, U32_MAX, &seq),
			VESP_REPLAY_TOO_OLD);
	KUNIT_EXPECT_EQ(test, vesp_replay_check(r, U32_MAX - 62, &seq),
			VESP_REPLAY_TOO_OLD);
	KUNIT_EXPECT_EQ(test, vesp_replay_check(r, U32_MAX - 63, &seq),
			VESP_REPLAY_OK);
	KUNIT_EXPECT_EQ(test, seq, (u64)U32_MAX - 63);
	KUNIT_EXPECT_EQ(test, vesp_replay_check(r, 1, &seq), VESP_REPLAY_OK);
	KUNIT_EXPECT_EQ(test, seq, 1ULL);
}

/* Without a window, the subspace is the one nearest the top. */
static void esn_window_off_infers_nearest_subspace(struct kunit *test)
{
	struct vesp_replay *r = replay_new(test, 0, true);
	u64 top = SUBSPACE + 0x10;
	u64 seq;

	prime(test, r, SUBSPACE - 0x10);
	KUNIT_EXPECT_EQ(test, receive(test, r, 0x10, &seq), VESP_REPLAY_OK);
	KUNIT_EXPECT_EQ(test, seq, top);
	KUNIT_EXPECT_EQ(test, receive(test, r, 0xffffff00, &seq),
			VESP_REPLAY_OK);
	KUNIT_EXPECT_EQ(test, seq, 0xffffff00ULL);

	/* Half the space ahead, and one less than half behind. */
	KUNIT_EXPECT_EQ(test, vesp_replay_check(r, 0x80000010, &seq),
			VESP_REPLAY_OK);
	KUNIT_EXPECT_EQ(test, seq, top + (1ULL << 31));
	KUNIT_EXPECT_EQ(test, vesp_replay_check(r, 0x80000011, &seq),
			VESP_REPLAY_OK);
	KUNIT_EXPECT_EQ(test, seq, top - (1ULL << 31) + 1);
}

/* The reference: every accepted number, and the highest of them. */
struct model {
	u64 *seen;
	unsigned int count;
	u64 top;
	u32 window;
};

static enum vesp_replay_verdict model_verdict(const struct model *m, u64 seq)
{
	unsigned int i;

	if (!seq)
		return VESP_REPLAY_TOO_OLD;
	if (!m->window || seq > m->top)
		return VESP_REPLAY_OK;
	if (m->top - seq >= m->window)
		return VESP_REPLAY_TOO_OLD;
	for (i = 0; i < m->count; i++)
		if (m->seen[i] == seq)
			return VESP_REPLAY_DUPLICATE;
	return VESP_REPLAY_OK;
}

static void model_record(struct model *m, u64 seq)
{
	m->seen[m->count++] = seq;
	if (seq > m->top)
		m->top = seq;
}

/*
 * Mostly in order, with reordering across the window's edge, duplicates,
 * jumps within a few windows, and rare jumps of several rings.
 */
static u64 model_next(struct rnd_state *rnd, const struct model *m, u64 floor)
{
	u32 span = m->window ?: 64;
	u32 dice = prandom_u32_state(rnd) % 100;
	u32 x = prandom_u32_state(rnd);
	u64 back;

	if (dice < 50)
		return m->top + 1 + x % 3;
	if (dice < 97 && dice >= 90)
		return m->top + x % (3 * span + 100);
	if (dice >= 97)
		return m->top + x % (16 * span + 1000);
	back = dice < 80 ? x % (span + span / 2 + 2) : x % 4;
	return m->top - min(back, m->top - floor);
}

/*
 * Run the window and the model side by side from @start. With ESN only the
 * low half is given to the window, which must infer the rest.
 */
static void model_run(struct kunit *test, u32 window, bool esn, u64 start,
		      u64 seed)
{
	struct vesp_replay *r = replay_new(test, window, esn);
	struct model m = { .window = window };
	u32 winf = window ?: 1U << 31;
	struct rnd_state rnd;
	unsigned int step;

	m.seen = kunit_kcalloc(test, MODEL_STEPS + 1, sizeof(*m.seen),
			       GFP_KERNEL);
	KUNIT_ASSERT_NOT_NULL(test, m.seen);
	prandom_seed_state(&rnd, seed);

	if (start) {
		prime(test, r, start);
		model_record(&m, start);
	}

	for (step = 0; step < MODEL_STEPS; step++) {
		u64 seq = model_next(&rnd, &m, esn ? start : 0);
		enum vesp_replay_verdict want, got;
		u64 want_seq = seq, got_seq;

		/*
		 * RFC 4303 A2.2: a number behind the window is taken for
		 * one in the next subspace, where it is new.
		 */
		if (esn && seq <= m.top && m.top - seq >= winf)
			want_seq = seq + SUBSPACE;
		want = model_verdict(&m, want_seq);

		got = vesp_replay_check(r, lower_32_bits(seq), &got_seq);
		KUNIT_ASSERT_EQ_MSG(test, got, want,
				    "step %u: seq %llu top %llu", step, seq,
				    m.top);
		if (got != VESP_REPLAY_OK)
			continue;
		KUNIT_ASSERT_EQ_MSG(test, got_seq, want_seq,
				    "step %u: seq %llu top %llu", step, seq,
				    m.top);
		/* A wrongly inferred number fails the ICV: never advanced. */
		if (want_seq != seq)
			continue;
		KUNIT_ASSERT_EQ_MSG(test, vesp_replay_advance(r, seq),
				    VESP_REPLAY_OK, "step %u: seq %llu", step,
				    seq);
		model_record(&m, seq);
	}
}

static void matches_model(struct kunit *test)
{
	model_run(test, param_window(test), false, 0, 1);
}

static void esn_matches_model_across_subspaces(struct kunit *test)
{
	u32 w = param_window(test);
	u32 span = w ?: 64;

	/*
	 * Start close enough below a boundary that the run crosses it, and
	 * right at one, where the window straddles two subspaces at once.
	 */
	model_run(test, w, true, SUBSPACE - 100 * span, 2);
	model_run(test, w, true, 3 * SUBSPACE - 7 * span / 2, 3);
	model_run(test, w, true, 2 * SUBSPACE - 1, 4);
}

static struct kunit_case replay_test_cases[] = {
	KUNIT_CASE(alloc_rejects_window_above_max),
	KUNIT_CASE(seq_zero_is_too_old),
	KUNIT_CASE_PARAM(in_order_accepted_then_duplicates, windows_gen_params),
	KUNIT_CASE_PARAM(reordered_within_window_accepted_once,
			 windows_gen_params),
	KUNIT_CASE_PARAM(window_edges_exact, windows_gen_params),
	KUNIT_CASE_PARAM(jump_ahead_forgets_only_what_left_window,
			 windows_gen_params),
	KUNIT_CASE(window_off_accepts_all_but_zero),
	KUNIT_CASE(advance_refuses_loser_of_duplicate_race),
	KUNIT_CASE(advance_refuses_packet_window_moved_past),
	KUNIT_CASE(top_reports_highest_authenticated),
	KUNIT_CASE(esn_infers_same_subspace),
	KUNIT_CASE(esn_crosses_into_next_subspace),
	KUNIT_CASE(esn_late_packet_from_previous_subspace),
	KUNIT_CASE(esn_before_first_subspace_is_too_old),
	KUNIT_CASE(esn_window_off_infers_nearest_subspace),
	KUNIT_CASE_PARAM(matches_model, windows_and_off_gen_params),
	KUNIT_CASE_PARAM(esn_matches_model_across_subspaces,
			 windows_and_off_gen_params),
	{}
};

static struct kunit_suite replay_test_suite = {
	.name = "vesp-replay",
	.test_cases = replay_test_cases,
};

static void seq_counts_up_from_one(struct kunit *test)
{
	struct vesp_seq s;
	u64 seq = 0;

	vesp_seq_init(&s, false);
	KUNIT_EXPECT_EQ(test, vesp_seq_next(&s, &seq), VESP_SEQ_OK);
	KUNIT_EXPECT_EQ(test, seq, 1ULL);
	KUNIT_EXPECT_EQ(test, vesp_seq_next(&s, &seq), VESP_SEQ_OK);
	KUNIT_EXPECT_EQ(test, seq, 2ULL);
}

static void seq_without_esn_stops_after_2_32_minus_1(struct kunit *test)
{
	struct vesp_seq s;
	unsigned int i;
	u64 seq = 0;

	vesp_seq_init(&s, false);
	atomic64_set(&s.last, U32_MAX - 2);
	KUNIT_EXPECT_EQ(test, vesp_seq_next(&s, &seq), VESP_SEQ_OK);
	KUNIT_EXPECT_EQ(test, seq, (u64)U32_MAX - 1);
	KUNIT_EXPECT_EQ(test, vesp_seq_next(&s, &seq), VESP_SEQ_OK);
	KUNIT_EXPECT_EQ(test, seq, (u64)U32_MAX);

	seq = 0;
	KUNIT_EXPECT_EQ(test, vesp_seq_next(&s, &seq), VESP_SEQ_HARD_LIMIT);
	for (i = 0; i < 1000; i++)
		KUNIT_ASSERT_EQ(test, vesp_seq_next(&s, &seq),
				VESP_SEQ_EXHAUSTED);
	KUNIT_EXPECT_EQ_MSG(test, seq, 0ULL, "a refused call set a number");
}

static void seq_with_esn_continues_past_2_32(struct kunit *test)
{
	struct vesp_seq s;
	u64 seq;

	vesp_seq_init(&s, true);
	atomic64_set(&s.last, U32_MAX - 1);
	KUNIT_EXPECT_EQ(test, vesp_seq_next(&s, &seq), VESP_SEQ_OK);
	KUNIT_EXPECT_EQ(test, seq, (u64)U32_MAX);
	KUNIT_EXPECT_EQ(test, vesp_seq_next(&s, &seq), VESP_SEQ_OK);
	KUNIT_EXPECT_EQ(test, seq, SUBSPACE);
	KUNIT_EXPECT_EQ(test, vesp_seq_next(&s, &seq), VESP_SEQ_OK);
	KUNIT_EXPECT_EQ(test, seq, SUBSPACE + 1);
}

static void seq_with_esn_stops_at_hard_limit(struct kunit *test)
{
	struct vesp_seq s;
	unsigned int i;
	u64 seq;

	vesp_seq_init(&s, true);
	atomic64_set(&s.last, s.hard - 1);
	KUNIT_EXPECT_EQ(test, vesp_seq_next(&s, &seq), VESP_SEQ_OK);
	KUNIT_EXPECT_EQ(test, seq, s.hard);
	KUNIT_EXPECT_EQ(test, vesp_seq_next(&s, &seq), VESP_SEQ_HARD_LIMIT);
	for (i = 0; i < 1000; i++)
		KUNIT_ASSERT_EQ(test, vesp_seq_next(&s, &seq),
				VESP_SEQ_EXHAUSTED);
	/* The counter wrapped to negative as an atomic64_t: still refused. */
	atomic64_set(&s.last, S64_MAX + 5ULL);
	KUNIT_EXPECT_EQ(test, vesp_seq_next(&s, &seq), VESP_SEQ_EXHAUSTED);
}

static void seq_soft_limit_reported_exactly_once(struct kunit *test)
{
	static const bool esn[] = { false, true };
	unsigned int i, j, soft;
	struct vesp_seq s;
	u64 seq;

	for (i = 0; i < ARRAY_SIZE(esn); i++) {
		vesp_seq_init(&s, esn[i]);
		KUNIT_ASSERT_LT(test, s.soft, s.hard);
		if (!esn[i])
			KUNIT_EXPECT_EQ(test, s.soft, 0xf0000000ULL);
		atomic64_set(&s.last, s.soft - 5);
		soft = 0;
		for (j = 0; j < 10; j++) {
			enum vesp_seq_verdict v = vesp_seq_next(&s, &seq);

			KUNIT_ASSERT_NE(test, v, VESP_SEQ_HARD_LIMIT);
			KUNIT_ASSERT_NE(test, v, VESP_SEQ_EXHAUSTED);
			if (v == VESP_SEQ_SOFT_LIMIT) {
				soft++;
				KUNIT_EXPECT_EQ(test, seq, s.soft);
			}
		}
		KUNIT_EXPECT_EQ_MSG(test, soft, 1U, "esn %d", esn[i]);
	}
}

static void seq_last_never_reports_past_hard_limit(struct kunit *test)
{
	struct vesp_seq s;
	u64 seq;

	vesp_seq_init(&s, false);
	KUNIT_EXPECT_EQ(test, vesp_seq_last(&s), 0ULL);
	KUNIT_ASSERT_EQ(test, vesp_seq_next(&s, &seq), VESP_SEQ_OK);
	KUNIT_ASSERT_EQ(test, vesp_seq_next(&s, &seq), VESP_SEQ_OK);
	KUNIT_EXPECT_EQ(test, vesp_seq_last(&s), 2ULL);

	atomic64_set(&s.last, U32_MAX);
	KUNIT_ASSERT_EQ(test, vesp_seq_next(&s, &seq), VESP_SEQ_HARD_LIMIT);
	KUNIT_ASSERT_EQ(test, vesp_seq_next(&s, &seq), VESP_SEQ_EXHAUSTED);
	KUNIT_EXPECT_EQ(test, vesp_seq_last(&s), (u64)U32_MAX);

	vesp_seq_init(&s, true);
	atomic64_set(&s.last, S64_MAX + 5ULL);
	KUNIT_EXPECT_EQ(test, vesp_seq_last(&s), s.hard);
}

static struct kunit_case seq_test_cases[] = {
	KUNIT_CASE(seq_counts_up_from_one),
	KUNIT_CASE(seq_without_esn_stops_after_2_32_minus_1),
	KUNIT_CASE(seq_with_esn_continues_past_2_32),
	KUNIT_CASE(seq_with_esn_stops_at_hard_limit),
	KUNIT_CASE(seq_soft_limit_reported_exactly_once),
	KUNIT_CASE(seq_last_never_reports_past_hard_limit),
	{}
};

static struct kunit_suite seq_test_suite = {
	.name = "vesp-seq",
	.test_cases = seq_test_cases,
};

kunit_test_suites(&replay_test_suite, &seq_test_suite);
