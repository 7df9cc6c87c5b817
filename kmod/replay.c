// SPDX-License-Identifier: GPL-2.0
/*
 * ESP sequence numbers: the inbound anti-replay window and the outbound
 * counter.
 *
 * Inbound, a packet meets the window twice. vesp_replay_check() runs before
 * decryption, without the lock: it infers the high half of an extended
 * sequence number, which the ICV covers, and drops obvious replays before
 * they cost an AEAD operation. vesp_replay_advance() runs after the ICV has
 * been verified, under the lock, and only then is the number recorded: an
 * unauthenticated packet must never move the window. Between the two steps
 * another CPU may record the same number or move the window past it, so
 * the advance tests again and may still refuse.
 */

#include <linux/bits.h>
#include <linux/err.h>
#include <linux/kernel.h>
#include <linux/limits.h>
#include <linux/log2.h>
#include <linux/lockdep.h>
#include <linux/minmax.h>
#include <linux/overflow.h>
#include <linux/slab.h>

#include "replay.h"

/* Sequence number -> index of its word in the ring. */
static unsigned int replay_word(const struct vesp_replay *r, u64 seq)
{
	return (seq >> ilog2(BITS_PER_LONG)) & r->mask;
}

/* Sequence number -> its bit within that word. */
static unsigned long replay_bit(u64 seq)
{
	return BIT(seq & (BITS_PER_LONG - 1));
}

/**
 * vesp_replay_alloc() - allocate the anti-replay state of an inbound SA
 * @window: window size in packets, 0 to turn anti-replay off, at most
 *	%VESP_REPLAY_WINDOW_MAX; any size, not only multiples of a word
 * @esn: the SA uses extended (64-bit) sequence numbers
 * @gfp: allocation flags
 *
 * With @window 0 nothing is ever refused except sequence number 0, but
 * the highest sequence number is still tracked: with @esn the receiver
 * needs it to infer the high half that the ICV covers.
 *
 * Return: the state, ERR_PTR(-EINVAL) for a window that is too large,
 * ERR_PTR(-ENOMEM).
 */
struct vesp_replay *vesp_replay_alloc(u32 window, bool esn, gfp_t gfp)
{
	struct vesp_replay *r;
	unsigned int words = 0;

	if (window > VESP_REPLAY_WINDOW_MAX)
		return ERR_PTR(-EINVAL);

	/*
	 * The window's packets touch at most DIV_ROUND_UP(window, word) + 1
	 * words; one word of slack means that moving forward clears only
	 * words that are wholly behind the window. A power of two keeps the
	 * ring index a mask.
	 */
	if (window)
		words = roundup_pow_of_two(DIV_ROUND_UP(window, BITS_PER_LONG) + 1);

	r = kzalloc(struct_size(r, bmp, words), gfp);
	if (!r)
		return ERR_PTR(-ENOMEM);

	r->window = window;
	r->mask = words ? words - 1 : 0;
	r->esn = esn;
	spin_lock_init(&r->lock);
	seqcount_spinlock_init(&r->seqc, &r->lock);
	return r;
}

/**
 * vesp_replay_free() - free anti-replay state
 * @r: state from vesp_replay_alloc(), or NULL
 *
 * vesp_replay_check() reads @r without a lock, so the caller frees it only
 * after an RCU grace period has passed since the SA was unpublished, in the
 * SA's own RCU callback.
 */
void vesp_replay_free(struct vesp_replay *r)
{
	kfree(r);
}

/*
 * The verdict for a full sequence number against the window ending at
 * @top. Shared by the lockless check and the locked advance, so that the
 * two can only disagree because the window moved in between.
 */
static enum vesp_replay_verdict replay_test(const struct vesp_replay *r,
					    u64 top, u64 seq)
{
	/* Senders start at 1 and never cycle: 0 is never legitimate. */
	if (unlikely(!seq))
		return VESP_REPLAY_TOO_OLD;
	if (!r->window || seq > top)
		return VESP_REPLAY_OK;
	if (top - seq >= r->window)
		return VESP_REPLAY_TOO_OLD;
	if (READ_ONCE(r->bmp[replay_word(r, seq)]) & replay_bit(seq))
		return VESP_REPLAY_DUPLICATE;
	return VESP_REPLAY_OK;
}

/*
 * RFC 4303 Appendix A2.2: the high half of an extended sequence number is
 * not sent; the receiver picks the 2^32 subspace that puts the low half
 * (@seq_lo) among the 2^32 numbers from the window's bottom on. A number
 * behind the window could not be accepted anyway, so its low half is read
 * as the next subspace's: that lets the receiver follow a sender up to
 * 2^32 - window packets ahead, and a packet that really was old then fails
 * the ICV.
 *
 * With anti-replay off there is no window; guess the subspace that puts the
 * number nearest to @top (a window of half the space), which tolerates any
 * reordering a network can produce.
 *
 * Returns 0, which replay_test() always refuses, for a number that would
 * lie before the first subspace or after the last.
 */
static u64 replay_infer(u64 top, u32 seq_lo, u32 window)
{
	u32 tl = lower_32_bits(top);
	u32 th = upper_32_bits(top);
	u32 w = window ?: 1U << 31;
	u32 bottom = tl - (w - 1);

	if (tl >= w - 1) {
		/* Case A: the window lies within one subspace. */
		if (seq_lo < bottom) {
			if (th == U32_MAX)
				return 0;
			th++;
		}
	} else if (seq_lo >= bottom) {
		/* Case B: the window straddles two; this is the older one. */
		if (!th)
			return 0;
		th--;
	}
	return (u64)th << 32 | seq_lo;
}

/**
 * vesp_replay_check() - test a received sequence number before decryption
 * @r: the SA's anti-replay state
 * @seq_lo: the sequence number field of the ESP header, in host order
 * @seq: set to the full sequence number: @seq_lo itself without ESN, with
 *	the inferred high half with ESN (the AEAD needs it as associated
 *	data); meaningful only when %VESP_REPLAY_OK is returned
 *
 * Runs without @r->lock, in any context, under the RCU read lock that keeps
 * the SA alive. The result is a snapshot: the packet must still pass
 * vesp_replay_advance() once its ICV has been verified.
 *
 * Return: the verdict; only %VESP_REPLAY_OK lets the packet go on.
 */
enum vesp_replay_verdict vesp_replay_check(const struct vesp_replay *r,
					   u32 seq_lo, u64 *seq)
{
	enum vesp_replay_verdict verdict;
	unsigned int start;
	u64 top, s;

	/*
	 * The seqcount makes @top and the bitmap word one snapshot, even on
	 * 32-bit machines where a u64 load tears: a bit read after the ring
	 * was recycled for a newer top must not be judged against the old
	 * top. Writers keep bottom halves off, so a reader in softirq never
	 * spins on a write section it interrupted.
	 */
	do {
		start = read_seqcount_begin(&r->seqc);
		top = r->top;
		s = r->esn ? replay_infer(top, seq_lo, r->window) : seq_lo;
		verdict = replay_test(r, top, s);
	} while (read_seqcount_retry(&r->seqc, start));

	*seq = s;
	return verdict;
}

/* Recycle the words after top's, up to and including @seq's. */
static void replay_clear_ahead(struct vesp_replay *r, u64 seq)
{
	u64 from = r->top >> ilog2(BITS_PER_LONG);
	u64 words = (seq >> ilog2(BITS_PER_LONG)) - from;
	u64 i;

	lockdep_assert_held(&r->lock);

	/* A jump of a whole ring or more clears every word, once. */
	words = min_t(u64, words, (u64)r->mask + 1);
	for (i = 1; i <= words; i++)
		WRITE_ONCE(r->bmp[(from + i) & r->mask], 0);
}

static void replay_record(struct vesp_replay *r, u64 seq)
{
	unsigned int word;

	lockdep_assert_held(&r->lock);

	if (seq > r->top) {
		if (r->window)
			replay_clear_ahead(r, seq);
		r->top = seq;
	}
	if (r->window) {
		word = replay_word(r, seq);
		WRITE_ONCE(r->bmp[word], r->bmp[word] | replay_bit(seq));
	}
}

/**
 * vesp_replay_advance() - record an authenticated sequence number
 * @r: the SA's anti-replay state
 * @seq: the full sequence number from vesp_replay_check(), after the ICV
 *	that covers it was verified
 *
 * Tests @seq again under @r->lock, because the window may have moved since
 * vesp_replay_check(): another CPU may have recorded the same number (the
 * loser of that race gets %VESP_REPLAY_DUPLICATE), or moved the window past
 * it. @seq itself needs no new inference: the ICV proved its high half.
 *
 * Takes @r->lock with bottom halves off, so it may be called from process
 * context (a crypto worker) as well as from softirq.
 *
 * Return: %VESP_REPLAY_OK if the packet was recorded and may be delivered;
 * otherwise it is a replay and must be dropped.
 */
enum vesp_replay_verdict vesp_replay_advance(struct vesp_replay *r, u64 seq)
{
	enum vesp_replay_verdict verdict;

	/* Without ESN the check never yields more than 32 bits. */
	if (WARN_ON_ONCE(!r->esn && seq > U32_MAX))
		return VESP_REPLAY_TOO_OLD;

	spin_lock_bh(&r->lock);
	verdict = replay_test(r, r->top, seq);
	if (verdict == VESP_REPLAY_OK) {
		write_seqcount_begin(&r->seqc);
		replay_record(r, seq);
		write_seqcount_end(&r->seqc);
	}
	spin_unlock_bh(&r->lock);
	return verdict;
}

/**
 * vesp_replay_top() - the highest authenticated sequence number
 * @r: the SA's anti-replay state
 *
 * For reporting (%VESP_A_SA_SEQ of an inbound SA); safe without the lock.
 *
 * Return: the highest sequence number recorded, 0 if none was.
 */
u64 vesp_replay_top(const struct vesp_replay *r)
{
	unsigned int start;
	u64 top;

	do {
		start = read_seqcount_begin(&r->seqc);
		top = r->top;
	} while (read_seqcount_retry(&r->seqc, start));
	return top;
}

/**
 * vesp_seq_init() - set up the outbound sequence numbers of an SA
 * @s: the counter
 * @esn: the SA uses extended (64-bit) sequence numbers
 *
 * RFC 4303 section 3.3.3: the counter must never cycle; the SA is replaced
 * before it would. Without ESN the last number is 2^32 - 1. With ESN it is
 * 2^63 - 1 rather than 2^64 - 1: the numbers between stay as headroom, so
 * that a counter past its end keeps reading as exhausted for 2^63 more
 * packets without an atomic compare-and-exchange loop; no SA lives to send
 * 2^63 packets. The soft limit leaves 1/16 of the space: 2^28 packets
 * without ESN, 18 seconds of minimum-size frames at 10 Gbit/s, for the key
 * manager to rekey.
 */
void vesp_seq_init(struct vesp_seq *s, bool esn)
{
	atomic64_set(&s->last, 0);
	s->hard = esn ? S64_MAX : U32_MAX;
	s->soft = s->hard - (s->hard >> 4);
}

/**
 * vesp_seq_next() - take the next outbound sequence number
 * @s: the counter
 * @seq: set to the number taken, for %VESP_SEQ_OK and %VESP_SEQ_SOFT_LIMIT
 *
 * Safe to call on any number of CPUs at once: each number is handed out
 * once, so the two limit verdicts are each returned exactly once.
 *
 * Return: the verdict; with %VESP_SEQ_HARD_LIMIT or %VESP_SEQ_EXHAUSTED the
 * packet must not be sent on this SA.
 */
enum vesp_seq_verdict vesp_seq_next(struct vesp_seq *s, u64 *seq)
{
	/* Uniqueness is all that is needed: no ordering against other data. */
	u64 n = atomic64_inc_return_relaxed(&s->last);

	if (unlikely(n > s->hard))
		return n == s->hard + 1 ? VESP_SEQ_HARD_LIMIT :
					  VESP_SEQ_EXHAUSTED;
	*seq = n;
	return unlikely(n == s->soft) ? VESP_SEQ_SOFT_LIMIT : VESP_SEQ_OK;
}

/**
 * vesp_seq_last() - the last outbound sequence number handed out
 * @s: the counter
 *
 * For reporting (%VESP_A_SA_SEQ of an outbound SA): refused calls move the
 * counter past the hard limit, but no number past it was ever used.
 *
 * Return: the last sequence number taken, 0 if none was.
 */
u64 vesp_seq_last(const struct vesp_seq *s)
{
	return min_t(u64, atomic64_read(&s->last), s->hard);
}
