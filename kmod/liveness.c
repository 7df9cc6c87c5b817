// SPDX-License-Identifier: GPL-2.0
/*
 * vesp path liveness and automatic failover.
 *
 * A path is alive while authenticated ESP arrives on it (its outer source
 * and destination are the path's remote and local address) and, when the
 * peer is vesp, while the peer's probes on it say that the peer hears this
 * end too. The second condition is what finds a path that works in one
 * direction only, at both ends: the end that no longer hears says so in
 * its next probe, which travels the direction that still works. This is
 * the model of BFD (RFC 5880), with the path named by its address pair
 * instead of discriminators.
 *
 * Probes are ESP dummy packets (next header 59, RFC 4303 section 2.6)
 * under the active outbound SA, sent on every path once per interval and
 * at once when what they say changes. A standard ESP receiver checks the
 * ICV and the replay window and throws them away, so they are harmless
 * to a peer that is not vesp; such a peer sends none, and the paths to it
 * are judged by its inbound traffic alone.
 *
 * One timer per peer runs while liveness is on. It judges each path, moves
 * outbound traffic to the best live one when the active one dies, moves it
 * back to a better one only after that has been alive for the hold-down
 * time, sends the probes that are due, keeps the device's carrier, and
 * re-arms itself for the next moment anything can change. Everything it
 * touches is under the peer's liveness_lock; the receive path only stores
 * timestamps and kicks the timer.
 */

#include <linux/jiffies.h>
#include <linux/lockdep.h>
#include <linux/netdevice.h>
#include <linux/skbuff.h>
#include <linux/timer.h>
#include <linux/vesp.h>
#include <net/ipv6.h>

#include "device.h"
#include "liveness.h"
#include "netlink.h"
#include "path.h"
#include "peer.h"
#include "sa.h"
#include "send.h"

/* As many paths as a peer may have (peer.c). */
#define VESP_LIVENESS_MAX_PATHS	16

/* ---- the pure decisions ---- */

static bool vesp_liveness_fresh(unsigned long stamp, unsigned long now,
				unsigned long detect)
{
	return stamp && time_before(now, stamp + detect);
}

/**
 * vesp_liveness_judge() - whether a path's evidence says it is alive
 * @view: the path's evidence
 * @now: jiffies
 * @detect: the detect time in jiffies
 *
 * Alive: an authenticated packet arrived on the path within the detect
 * time, and no probe within the detect time says the peer does not hear
 * this end.
 *
 * Return: true if the path is alive.
 */
bool vesp_liveness_judge(const struct vesp_liveness_view *view,
			 unsigned long now, unsigned long detect)
{
	if (!vesp_liveness_fresh(view->last_rx, now, detect))
		return false;
	if (vesp_liveness_fresh(view->last_probe_rx, now, detect) &&
	    !view->peer_hears)
		return false;
	return true;
}

/**
 * vesp_liveness_choose() - the path outbound traffic should take
 * @paths: the paths, preferred first
 * @n: how many
 * @current_index: the path in use, or -1 if none of @paths is
 * @now: jiffies
 * @hold_down: jiffies a better path must have been alive before traffic
 *	moves back to it
 *
 * While the current path is alive it stays, unless a path of a lower
 * priority value has been alive for @hold_down: that damps flapping. When
 * the current path is dead, traffic moves at once to the first live path.
 * When none is alive, it stays where it is (the preferred path if it was
 * nowhere), so that it flows again as soon as the path works.
 *
 * A current path that was never alive did not die: it is still coming up
 * (liveness was just turned on, or the peer starts later). It is left at
 * once for a better path, but for one no better only once that one has
 * been alive for @hold_down, as a return would need: so a start where the
 * paths come up in the wrong order does not switch back and forth.
 *
 * Return: an index into @paths, or -1 if @n is 0.
 */
int vesp_liveness_choose(const struct vesp_liveness_candidate *paths,
			 unsigned int n, int current_index, unsigned long now,
			 unsigned long hold_down)
{
	const struct vesp_liveness_candidate *cur;
	unsigned int i;

	if (!n)
		return -1;
	if (current_index >= (int)n)
		current_index = -1;
	cur = current_index >= 0 ? &paths[current_index] : NULL;
	if (cur && cur->up) {
		for (i = 0; i < (unsigned int)current_index; i++)
			if (paths[i].up && paths[i].priority < cur->priority &&
			    !time_before(now, paths[i].up_since + hold_down))
				return i;
		return current_index;
	}
	for (i = 0; i < n; i++) {
		if (!paths[i].up)
			continue;
		if (cur && !cur->ever_up && paths[i].priority >= cur->priority &&
		    time_before(now, paths[i].up_since + hold_down))
			continue;
		return i;
	}
	return cur ? current_index : 0;
}

/**
 * vesp_liveness_probe_build() - fill in a probe
 * @probe: the probe
 * @path_id: the sender's ID of the path it goes on
 * @interval_ms: the sender's probe interval
 * @hears: whether the sender hears the peer on that path
 */
void vesp_liveness_probe_build(struct vesp_probe *probe, u32 path_id,
			       u32 interval_ms, bool hears)
{
	memset(probe, 0, sizeof(*probe));
	probe->magic = htonl(VESP_PROBE_MAGIC);
	probe->version = VESP_PROBE_VERSION;
	probe->flags = hears ? VESP_PROBE_F_HEARS : 0;
	probe->path_id = htonl(path_id);
	probe->interval_ms = htonl(interval_ms);
}

/**
 * vesp_liveness_probe_parse() - read the payload of a dummy packet
 * @data: the payload, in front of the padding
 * @len: its length
 * @hears: set to what the sender says it hears
 *
 * A dummy packet that is no vesp probe of this version (traffic flow
 * confidentiality padding, another implementation's) is not an error: it
 * just says nothing.
 *
 * Return: true if @data is a probe.
 */
bool vesp_liveness_probe_parse(const void *data, unsigned int len,
			       bool *hears)
{
	const struct vesp_probe *probe = data;

	if (len < sizeof(*probe) || probe->magic != htonl(VESP_PROBE_MAGIC) ||
	    probe->version != VESP_PROBE_VERSION)
		return false;
	*hears = probe->flags & VESP_PROBE_F_HEARS;
	return true;
}

/* ---- the carrier ---- */

static void vesp_liveness_carrier_locked(struct vesp_device *vesp)
{
	bool on;

	lockdep_assert_held(&vesp->carrier_lock);
	on = rcu_access_pointer(vesp->underlay_net) &&
	     (!(READ_ONCE(vesp->flags) & VESP_LINK_F_CARRIER_LIVENESS) ||
	      vesp->carrier_peers);
	if (on)
		netif_carrier_on(vesp->dev);
	else
		netif_carrier_off(vesp->dev);
}

/**
 * vesp_liveness_apply_carrier() - set the carrier as the peers say
 * @vesp: the device
 *
 * Context: any but hard IRQ; called after the device's flags changed.
 */
void vesp_liveness_apply_carrier(struct vesp_device *vesp)
{
	spin_lock_bh(&vesp->carrier_lock);
	vesp_liveness_carrier_locked(vesp);
	spin_unlock_bh(&vesp->carrier_lock);
}

static void vesp_liveness_set_ok(struct vesp_peer *peer, bool ok)
{
	struct vesp_device *vesp = peer->vesp;

	lockdep_assert_held(&peer->liveness_lock);
	if (peer->carrier_ok == ok)
		return;
	peer->carrier_ok = ok;
	spin_lock(&vesp->carrier_lock);
	if (ok)
		vesp->carrier_peers++;
	else
		vesp->carrier_peers--;
	vesp_liveness_carrier_locked(vesp);
	spin_unlock(&vesp->carrier_lock);
}

/* ---- judging and choosing, under the liveness_lock ---- */

static unsigned long vesp_liveness_detect(const struct vesp_peer *peer)
{
	return msecs_to_jiffies(peer->interval_ms * peer->multiplier) ?: 1;
}

static void vesp_liveness_earlier(unsigned long *next, unsigned long when)
{
	if (time_before(when, *next))
		*next = when;
}

/* Updates one path's state; notes in @next when it can change next. */
static void vesp_liveness_judge_path(struct vesp_peer *peer,
				     struct vesp_path *path, unsigned long now,
				     unsigned long *next)
{
	struct vesp_path_liveness *live = &path->live;
	unsigned long detect = vesp_liveness_detect(peer);
	struct vesp_liveness_view view = {
		.last_rx = READ_ONCE(live->last_rx),
		.last_probe_rx = READ_ONCE(live->last_probe_rx),
		.peer_hears = READ_ONCE(live->peer_hears),
	};
	bool up = vesp_liveness_judge(&view, now, detect);

	if (up != live->up) {
		WRITE_ONCE(live->up, up);
		if (up) {
			live->up_since = now;
			live->ever_up = true;
		}
		WRITE_ONCE(live->state_changes, live->state_changes + 1);
		vesp_nl_notify_path(peer, path, up ? VESP_PATH_EVENT_UP :
				    VESP_PATH_EVENT_DOWN, 0, NULL);
	}
	/* Evidence ages out at these moments, and the verdict may change. */
	if (view.last_rx && vesp_liveness_fresh(view.last_rx, now, detect))
		vesp_liveness_earlier(next, view.last_rx + detect);
	if (view.last_probe_rx &&
	    vesp_liveness_fresh(view.last_probe_rx, now, detect))
		vesp_liveness_earlier(next, view.last_probe_rx + detect);
}

/*
 * Judges every path (liveness on), picks the one outbound traffic takes,
 * and sets whether the peer counts for the carrier.
 */
static void vesp_liveness_evaluate(struct vesp_peer *peer, unsigned long now,
				   unsigned long *next)
{
	struct vesp_liveness_candidate cand[VESP_LIVENESS_MAX_PATHS];
	struct vesp_path *paths[VESP_LIVENESS_MAX_PATHS];
	unsigned long hold = msecs_to_jiffies(peer->hold_down_ms);
	bool on = peer->interval_ms;
	struct vesp_path *path, *old, *chosen;
	unsigned int n = 0, i;
	struct vesp_sa *sa;
	int cur = -1, idx;
	bool ok;

	lockdep_assert_held(&peer->liveness_lock);
	old = rcu_dereference_protected(peer->tx_path,
					lockdep_is_held(&peer->liveness_lock));
	list_for_each_entry(path, &peer->path_list, peer_entry) {
		if (n == ARRAY_SIZE(cand))
			break;
		if (on)
			vesp_liveness_judge_path(peer, path, now, next);
		cand[n].up = on ? path->live.up : true;
		cand[n].ever_up = path->live.ever_up;
		cand[n].up_since = path->live.up_since;
		cand[n].priority = path->priority;
		if (path == old)
			cur = n;
		paths[n++] = path;
	}

	if (!on) {
		/* Today's behaviour: the preferred path, always. */
		idx = n ? 0 : -1;
	} else {
		idx = vesp_liveness_choose(cand, n, cur, now, hold);
		/* A path waiting out its hold-down: look again then. */
		for (i = 0; i < n; i++)
			if (cand[i].up &&
			    time_before(now, cand[i].up_since + hold))
				vesp_liveness_earlier(next, cand[i].up_since + hold);
	}
	chosen = idx >= 0 ? paths[idx] : NULL;
	if (chosen != old) {
		rcu_assign_pointer(peer->tx_path, chosen);
		/* Only the module's own decisions count; a deleted path does not. */
		if (on && chosen && cur >= 0) {
			WRITE_ONCE(peer->path_switches, peer->path_switches + 1);
			vesp_nl_notify_path(peer, chosen, VESP_PATH_EVENT_SWITCHED,
					    old->id, NULL);
		}
	}

	rcu_read_lock();
	sa = rcu_dereference(peer->tx_sa);
	ok = sa && vesp_sa_usable(sa) && chosen && (!on || chosen->live.up);
	rcu_read_unlock();
	vesp_liveness_set_ok(peer, ok);
}

/* Sends the probes that are due, and those whose news should not wait. */
static void vesp_liveness_probe_paths(struct vesp_peer *peer,
				      unsigned long now, unsigned long *next)
{
	unsigned long interval = msecs_to_jiffies(peer->interval_ms) ?: 1;
	unsigned long detect = vesp_liveness_detect(peer);
	struct vesp_probe probe;
	struct vesp_path *path;
	struct vesp_sa *sa;
	bool hears;

	lockdep_assert_held(&peer->liveness_lock);
	rcu_read_lock();
	sa = rcu_dereference(peer->tx_sa);
	if (sa && !vesp_sa_usable(sa))
		sa = NULL;
	list_for_each_entry(path, &peer->path_list, peer_entry) {
		struct vesp_path_liveness *live = &path->live;

		hears = vesp_liveness_fresh(READ_ONCE(live->last_rx), now,
					    detect);
		if (hears == live->hears_sent &&
		    time_before(now, live->next_probe)) {
			vesp_liveness_earlier(next, live->next_probe);
			continue;
		}
		live->next_probe = now + interval;
		vesp_liveness_earlier(next, live->next_probe);
		if (!sa)
			continue;
		WRITE_ONCE(live->hears_sent, hears);
		vesp_liveness_probe_build(&probe, path->id, peer->interval_ms,
					  hears);
		if (!vesp_send_probe(peer->vesp, sa, path, &probe,
				     sizeof(probe)))
			atomic64_inc(&live->probes_sent);
	}
	rcu_read_unlock();
}

static void vesp_liveness_timer(struct timer_list *timer)
{
	struct vesp_peer *peer = from_timer(peer, timer, liveness_timer);
	unsigned long now, next;

	spin_lock(&peer->liveness_lock);
	if (peer->liveness_dead || !peer->interval_ms)
		goto out;
	now = jiffies;
	next = now + (msecs_to_jiffies(peer->interval_ms) ?: 1);
	vesp_liveness_evaluate(peer, now, &next);
	vesp_liveness_probe_paths(peer, now, &next);
	if (!time_after(next, now))
		next = now + 1;
	mod_timer(&peer->liveness_timer, next);
out:
	spin_unlock(&peer->liveness_lock);
}

/* Have the timer run now; liveness_lock held. */
static void vesp_liveness_kick(struct vesp_peer *peer)
{
	lockdep_assert_held(&peer->liveness_lock);
	if (!peer->liveness_dead && peer->interval_ms)
		mod_timer(&peer->liveness_timer, jiffies);
}

/* ---- life cycle and configuration ---- */

/**
 * vesp_liveness_peer_init() - liveness of a new peer: off
 * @peer: the peer, not yet published
 */
void vesp_liveness_peer_init(struct vesp_peer *peer)
{
	spin_lock_init(&peer->liveness_lock);
	timer_setup(&peer->liveness_timer, vesp_liveness_timer, 0);
	peer->multiplier = VESP_LIVENESS_MULTIPLIER_DEFAULT;
	peer->hold_down_ms = VESP_LIVENESS_HOLD_DOWN_DEFAULT;
}

/**
 * vesp_liveness_path_init() - liveness of a new path: down, never heard
 * @path: the path, not yet published
 */
void vesp_liveness_path_init(struct vesp_path *path)
{
	path->live.next_probe = jiffies;
	atomic64_set(&path->live.probes_sent, 0);
	atomic64_set(&path->live.probes_received, 0);
}

/**
 * vesp_liveness_peer_shutdown() - stop the timer for good
 * @peer: a peer being removed; its device's update_lock held
 *
 * The peer no longer counts for the carrier. After this the timer is not
 * running and cannot be armed again, so the peer may be freed.
 */
void vesp_liveness_peer_shutdown(struct vesp_peer *peer)
{
	lockdep_assert_held(&peer->vesp->update_lock);
	spin_lock_bh(&peer->liveness_lock);
	peer->liveness_dead = true;
	vesp_liveness_set_ok(peer, false);
	spin_unlock_bh(&peer->liveness_lock);
	del_timer_sync(&peer->liveness_timer);
}

/**
 * vesp_liveness_peer_changed() - follow a change of paths or SAs
 * @peer: the peer; its device's update_lock held
 *
 * Chooses the active path again and updates the carrier.
 */
void vesp_liveness_peer_changed(struct vesp_peer *peer)
{
	unsigned long now = jiffies, next = now + HZ;

	lockdep_assert_held(&peer->vesp->update_lock);
	spin_lock_bh(&peer->liveness_lock);
	if (!peer->liveness_dead) {
		vesp_liveness_evaluate(peer, now, &next);
		vesp_liveness_kick(peer);
	}
	spin_unlock_bh(&peer->liveness_lock);
}

/**
 * vesp_liveness_configure() - change a peer's liveness settings
 * @peer: the peer; its device's update_lock held
 * @interval_ms: probe interval, 0 to turn liveness off
 * @multiplier: intervals without traffic until a path is dead, not 0
 * @hold_down_ms: how long a better path must be alive to get traffic back
 * @roaming: whether authenticated packets from new addresses move paths
 *
 * Turning liveness on starts every path as down, never heard of; turning
 * it off goes back to the preferred path.
 */
void vesp_liveness_configure(struct vesp_peer *peer, u32 interval_ms,
			     u8 multiplier, u32 hold_down_ms, bool roaming)
{
	struct vesp_path *path;
	bool was_on;

	lockdep_assert_held(&peer->vesp->update_lock);
	spin_lock_bh(&peer->liveness_lock);
	was_on = peer->interval_ms;
	WRITE_ONCE(peer->interval_ms, interval_ms);
	WRITE_ONCE(peer->multiplier, multiplier);
	WRITE_ONCE(peer->hold_down_ms, hold_down_ms);
	WRITE_ONCE(peer->roaming, roaming);
	if (interval_ms && !was_on) {
		list_for_each_entry(path, &peer->path_list, peer_entry) {
			WRITE_ONCE(path->live.up, false);
			WRITE_ONCE(path->live.hears_sent, false);
			path->live.ever_up = false;
			path->live.next_probe = jiffies;
		}
	} else if (!interval_ms) {
		list_for_each_entry(path, &peer->path_list, peer_entry)
			WRITE_ONCE(path->live.up, false);
	}
	spin_unlock_bh(&peer->liveness_lock);
	if (!interval_ms && was_on)
		del_timer_sync(&peer->liveness_timer);
	vesp_liveness_peer_changed(peer);
}

/* ---- evidence from the receive path ---- */

static bool vesp_liveness_addr_equal(u16 family, const union vesp_addr *a,
				     const union vesp_addr *b)
{
	if (family == AF_INET)
		return a->v4.s_addr == b->v4.s_addr;
	return ipv6_addr_equal(&a->v6, &b->v6);
}

/* The path a packet from @saddr to @daddr arrived on; RCU read side. */
static struct vesp_path *vesp_liveness_find_path(struct vesp_peer *peer,
						 u16 family,
						 const union vesp_addr *saddr,
						 const union vesp_addr *daddr)
{
	union vesp_addr remote;
	struct vesp_path *path;

	list_for_each_entry_rcu(path, &peer->path_list, peer_entry) {
		if (path->family != family ||
		    !vesp_path_local_matches(path, daddr))
			continue;
		vesp_path_remote(path, &remote);
		if (vesp_liveness_addr_equal(family, &remote, saddr))
			return path;
	}
	return NULL;
}

/*
 * Roaming: the packet came from an address no path has. The path it moves
 * is the first, in order of preference, whose local address is the
 * packet's destination (or unset) and that is down; if all such are up,
 * the first of them. Serialised by the liveness_lock, so two packets from
 * the same new address move one path only.
 */
static struct vesp_path *vesp_liveness_roam(struct vesp_peer *peer, u16 family,
					    const union vesp_addr *saddr,
					    const union vesp_addr *daddr)
{
	struct vesp_path *path, *choice = NULL;
	union vesp_addr remote, old;

	spin_lock_bh(&peer->liveness_lock);
	if (peer->liveness_dead)
		goto out;
	list_for_each_entry(path, &peer->path_list, peer_entry) {
		if (path->family != family ||
		    !vesp_path_local_matches(path, daddr))
			continue;
		vesp_path_remote(path, &remote);
		if (vesp_liveness_addr_equal(family, &remote, saddr)) {
			/* Another CPU moved it first. */
			choice = path;
			goto out;
		}
		if (!choice || (choice->live.up && !path->live.up))
			choice = path;
	}
	if (!choice)
		goto out;
	vesp_path_remote(choice, &old);
	vesp_path_move(choice, saddr);
	vesp_nl_notify_path(peer, choice, VESP_PATH_EVENT_ROAMED, 0, &old);
	vesp_liveness_kick(peer);
out:
	spin_unlock_bh(&peer->liveness_lock);
	return choice;
}

/**
 * vesp_liveness_rx() - an authenticated packet arrived
 * @sa: the inbound SA it was decrypted with, referenced by the caller
 * @family: outer address family
 * @saddr: outer source address
 * @daddr: outer destination address
 * @skb: the decrypted packet
 * @probe_offset: where a dummy packet's payload starts in @skb
 * @probe_len: its length; 0 if the packet is no dummy packet
 *
 * Called only once the ICV verified and the replay window moved: neither
 * a forged nor a replayed packet gets here, so neither can make a path
 * look alive or move it.
 *
 * Context: softirq or process context with BHs disabled.
 */
void vesp_liveness_rx(struct vesp_sa *sa, u16 family,
		      const union vesp_addr *saddr,
		      const union vesp_addr *daddr,
		      const struct sk_buff *skb, unsigned int probe_offset,
		      unsigned int probe_len)
{
	struct vesp_probe buf;
	const void *payload;
	struct vesp_peer *peer;
	struct vesp_path *path;
	bool hears, news = false;

	rcu_read_lock();
	/* Not unlinked inside this section: the peer outlives it. */
	if (test_bit(VESP_SA_UNLINKED, &sa->state))
		goto out;
	peer = sa->peer;
	/* Nothing to learn: keep the datapath as it was without liveness. */
	if (!READ_ONCE(peer->interval_ms) && !READ_ONCE(peer->roaming))
		goto out;
	path = vesp_liveness_find_path(peer, family, saddr, daddr);
	if (!path && READ_ONCE(peer->roaming))
		path = vesp_liveness_roam(peer, family, saddr, daddr);
	if (!path)
		goto out;
	WRITE_ONCE(path->live.last_rx, jiffies ?: 1);
	if (probe_len >= sizeof(buf)) {
		payload = skb_header_pointer(skb, probe_offset, sizeof(buf),
					     &buf);
		if (payload &&
		    vesp_liveness_probe_parse(payload, probe_len, &hears)) {
			/* The peer stopped (or started) hearing: judge now. */
			if (hears != READ_ONCE(path->live.peer_hears))
				news = true;
			WRITE_ONCE(path->live.peer_hears, hears);
			WRITE_ONCE(path->live.last_probe_rx, jiffies ?: 1);
			atomic64_inc(&path->live.probes_received);
		}
	}
	/* News for the peer too: it should hear at once that this end hears. */
	if (!READ_ONCE(path->live.hears_sent))
		news = true;
	if (news && READ_ONCE(peer->interval_ms)) {
		spin_lock_bh(&peer->liveness_lock);
		vesp_liveness_kick(peer);
		spin_unlock_bh(&peer->liveness_lock);
	}
out:
	rcu_read_unlock();
}
