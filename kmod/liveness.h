/* SPDX-License-Identifier: GPL-2.0 */
/*
 * vesp path liveness: whether each underlay path to a peer carries ESP
 * both ways, judged from authenticated inbound packets and from probes;
 * automatic failover between paths, and the carrier that follows it.
 */
#ifndef _VESP_LIVENESS_H
#define _VESP_LIVENESS_H

#include <linux/atomic.h>
#include <linux/types.h>

struct vesp_device;
struct vesp_peer;
struct vesp_path;
struct vesp_sa;
struct sk_buff;
union vesp_addr;

/* Defaults of a peer's settings, see &enum vesp_peer_attr. */
#define VESP_LIVENESS_MULTIPLIER_DEFAULT	3
#define VESP_LIVENESS_HOLD_DOWN_DEFAULT		1000
#define VESP_LIVENESS_INTERVAL_MIN		10

/*
 * The probe: the payload of an ESP dummy packet (next header 59, RFC 4303
 * section 2.6), which every RFC 4303 receiver discards after checking its
 * ICV. A vesp receiver reads it as what the sender hears on the path the
 * probe travelled: both ends name a path by the same pair of outer
 * addresses, so no path identifier has to be agreed on.
 */
#define VESP_PROBE_MAGIC	0x76657370	/* "vesp" */
#define VESP_PROBE_VERSION	1
#define VESP_PROBE_F_HEARS	0x01	/* the sender hears the receiver here */

/**
 * struct vesp_probe - the wire format of a liveness probe, network order
 * @magic: %VESP_PROBE_MAGIC
 * @version: %VESP_PROBE_VERSION; a receiver ignores other versions
 * @flags: %VESP_PROBE_F_HEARS or 0; other bits are sent as 0, ignored
 * @reserved: sent as 0, ignored
 * @path_id: the sender's ID of the path, for packet traces only
 * @interval_ms: the sender's probe interval, for packet traces only
 */
struct vesp_probe {
	__be32 magic;
	u8 version;
	u8 flags;
	__be16 reserved;
	__be32 path_id;
	__be32 interval_ms;
} __packed;

/**
 * struct vesp_path_liveness - liveness state of one path
 * @last_rx: jiffies of the last authenticated packet on the path, 0 for
 *	none (a real 0 is stored as 1); written locklessly by the receive
 *	path, read by the timer
 * @last_probe_rx: jiffies of the last vesp probe on the path, likewise
 * @peer_hears: what that probe said, likewise
 * @up: the path is alive; under the peer's liveness_lock
 * @hears_sent: the flag the last probe on the path carried; under
 *	liveness_lock, peeked at locklessly by the receive path
 * @ever_up: @up was true since liveness was turned on; under
 *	liveness_lock
 * @up_since: jiffies when @up last became true; under liveness_lock
 * @next_probe: jiffies when the next probe is due; under liveness_lock
 * @state_changes: how often @up changed; under liveness_lock
 * @probes_sent: probes handed to the crypto for this path
 * @probes_received: vesp probes received on this path
 */
struct vesp_path_liveness {
	unsigned long last_rx;
	unsigned long last_probe_rx;
	bool peer_hears;
	bool up;
	bool hears_sent;
	bool ever_up;
	unsigned long up_since;
	unsigned long next_probe;
	u32 state_changes;
	atomic64_t probes_sent;
	atomic64_t probes_received;
};

/**
 * struct vesp_liveness_view - what one path's evidence says, for judging
 * @last_rx: as &vesp_path_liveness.last_rx
 * @last_probe_rx: as &vesp_path_liveness.last_probe_rx
 * @peer_hears: as &vesp_path_liveness.peer_hears
 */
struct vesp_liveness_view {
	unsigned long last_rx;
	unsigned long last_probe_rx;
	bool peer_hears;
};

/**
 * struct vesp_liveness_candidate - one path, for choosing the active one
 * @up: the path is alive
 * @ever_up: the path was alive at some time since liveness was turned on
 * @up_since: jiffies since when
 * @priority: the path's priority, lower is preferred
 */
struct vesp_liveness_candidate {
	bool up;
	bool ever_up;
	unsigned long up_since;
	u32 priority;
};

/* The pure decisions, tested by KUnit. */
bool vesp_liveness_judge(const struct vesp_liveness_view *view,
			 unsigned long now, unsigned long detect);
int vesp_liveness_choose(const struct vesp_liveness_candidate *paths,
			 unsigned int n, int current_index, unsigned long now,
			 unsigned long hold_down);
void vesp_liveness_probe_build(struct vesp_probe *probe, u32 path_id,
			       u32 interval_ms, bool hears);
bool vesp_liveness_probe_parse(const void *data, unsigned int len,
			       bool *hears);

/* The peer's liveness machinery. */
void vesp_liveness_peer_init(struct vesp_peer *peer);
void vesp_liveness_peer_shutdown(struct vesp_peer *peer);
void vesp_liveness_peer_changed(struct vesp_peer *peer);
void vesp_liveness_configure(struct vesp_peer *peer, u32 interval_ms,
			     u8 multiplier, u32 hold_down_ms, bool roaming);
void vesp_liveness_path_init(struct vesp_path *path);

/* The receive path's evidence; called after the replay window moved. */
void vesp_liveness_rx(struct vesp_sa *sa, u16 family,
		      const union vesp_addr *saddr,
		      const union vesp_addr *daddr,
		      const struct sk_buff *skb, unsigned int probe_offset,
		      unsigned int probe_len);

/* The device's carrier. */
void vesp_liveness_apply_carrier(struct vesp_device *vesp);

#endif /* _VESP_LIVENESS_H */
