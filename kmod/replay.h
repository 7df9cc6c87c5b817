/* SPDX-License-Identifier: GPL-2.0 */
/*
 * ESP sequence numbers: the inbound anti-replay window (RFC 4303 section
 * 3.4.3, with the extended sequence number inference of Appendix A2) and
 * the outbound counter that must never cycle (section 3.3.3).
 */
#ifndef _VESP_REPLAY_H
#define _VESP_REPLAY_H

#include <linux/atomic.h>
#include <linux/gfp.h>
#include <linux/seqlock.h>
#include <linux/spinlock.h>
#include <linux/types.h>
#include <linux/vesp.h>

/**
 * enum vesp_replay_verdict - what the anti-replay window says of a packet
 * @VESP_REPLAY_OK: not seen before and inside or ahead of the window
 * @VESP_REPLAY_DUPLICATE: inside the window and already received
 * @VESP_REPLAY_TOO_OLD: behind the window, or a sequence number that is
 *	never sent (0, or one before the first subspace with ESN)
 *
 * Anything but %VESP_REPLAY_OK means drop; the two reasons are kept apart
 * so that each has its own counter.
 */
enum vesp_replay_verdict {
	VESP_REPLAY_OK,
	VESP_REPLAY_DUPLICATE,
	VESP_REPLAY_TOO_OLD,
};

/**
 * struct vesp_replay - inbound anti-replay state of one SA
 * @window: window size in packets, 0 if anti-replay is off; fixed at
 *	allocation
 * @mask: number of words in @bmp minus one (a power of two minus one);
 *	fixed at allocation
 * @esn: the SA uses 64-bit extended sequence numbers; fixed at allocation
 * @lock: serialises writers of @top and @bmp
 * @seqc: lets vesp_replay_check() read @top and a word of @bmp without
 *	@lock and still see a consistent pair
 * @top: highest authenticated sequence number, 0 before the first one;
 *	written under @lock inside @seqc, read under @seqc
 * @bmp: ring of received bits, one per sequence number, indexed by the
 *	sequence number itself; empty when @window is 0; written under @lock
 *	inside @seqc, read under @seqc
 *
 * The ring holds at least one word more than the window needs, so moving
 * the window forward recycles only whole words whose sequence numbers have
 * all left the window (the scheme of RFC 6479): no bit shifting, and a
 * jump ahead costs one store per word it skips.
 */
struct vesp_replay {
	u32 window;
	u32 mask;
	bool esn;

	spinlock_t lock;		/* serialises writers of top and bmp */
	seqcount_spinlock_t seqc;	/* lockless readers of top and bmp */
	u64 top;			/* under lock, inside seqc */
	unsigned long bmp[];		/* under lock, inside seqc */
};

struct vesp_replay *vesp_replay_alloc(u32 window, bool esn, gfp_t gfp);
void vesp_replay_free(struct vesp_replay *r);
enum vesp_replay_verdict vesp_replay_check(const struct vesp_replay *r,
					   u32 seq_lo, u64 *seq);
enum vesp_replay_verdict vesp_replay_advance(struct vesp_replay *r, u64 seq);
u64 vesp_replay_top(const struct vesp_replay *r);

/**
 * enum vesp_seq_verdict - result of taking an outbound sequence number
 * @VESP_SEQ_OK: a sequence number was taken
 * @VESP_SEQ_SOFT_LIMIT: a sequence number was taken and it is the soft
 *	limit: time to rekey; returned for exactly one packet of the SA
 * @VESP_SEQ_HARD_LIMIT: none left; returned for exactly one packet, the
 *	first that cannot be sent, so the caller reports the event once
 * @VESP_SEQ_EXHAUSTED: none left, and %VESP_SEQ_HARD_LIMIT was already
 *	returned
 */
enum vesp_seq_verdict {
	VESP_SEQ_OK,
	VESP_SEQ_SOFT_LIMIT,
	VESP_SEQ_HARD_LIMIT,
	VESP_SEQ_EXHAUSTED,
};

/**
 * struct vesp_seq - outbound sequence numbers of one SA
 * @last: last sequence number handed out, 0 before the first; only ever
 *	incremented, so any number of CPUs may take numbers at once
 * @soft: the sequence number whose use is reported as
 *	%VESP_SEQ_SOFT_LIMIT; fixed by vesp_seq_init()
 * @hard: the last sequence number that may be used; fixed by
 *	vesp_seq_init()
 */
struct vesp_seq {
	atomic64_t last;
	u64 soft;
	u64 hard;
};

void vesp_seq_init(struct vesp_seq *s, bool esn);
enum vesp_seq_verdict vesp_seq_next(struct vesp_seq *s, u64 *seq);
u64 vesp_seq_last(const struct vesp_seq *s);

#endif /* _VESP_REPLAY_H */
