// SPDX-License-Identifier: GPL-2.0
/*
 * vesp SA lifetimes. The datapath marks an SA when it crosses a byte,
 * packet or sequence number limit and kicks the device's expiry work; the
 * work, in process context and under the update_lock, checks the limits
 * in seconds, tells userspace, and deletes SAs past a hard limit. While
 * any SA has a limit in seconds still ahead, it runs once a second.
 */

#include <linux/ktime.h>
#include <linux/timekeeping.h>
#include <linux/vesp.h>
#include <linux/workqueue.h>

#include "device.h"
#include "lifetime.h"
#include "main.h"
#include "netlink.h"
#include "peer.h"
#include "sa.h"

static bool vesp_lifetime_age_reached(u32 limit, time64_t age)
{
	return limit && age >= limit;
}

/* Returns true while the SA has a limit in seconds still to reach. */
static bool vesp_lifetime_check(struct vesp_device *vesp, struct vesp_sa *sa,
				time64_t now)
{
	time64_t age = now - sa->added;
	u32 soft = READ_ONCE(sa->limits.soft_seconds);
	u32 hard = READ_ONCE(sa->limits.hard_seconds);

	if (vesp_lifetime_age_reached(hard, age))
		set_bit(VESP_SA_HARD_EXPIRED, &sa->state);
	if (vesp_lifetime_age_reached(soft, age))
		set_bit(VESP_SA_SOFT_EXPIRED, &sa->state);

	if (test_bit(VESP_SA_SEQ_WARNED, &sa->state) &&
	    !test_and_set_bit(VESP_SA_SEQ_NOTIFIED, &sa->state))
		vesp_nl_notify_sa_expire(vesp, sa, VESP_SA_EXPIRE_SEQ);
	if (test_bit(VESP_SA_SOFT_EXPIRED, &sa->state) &&
	    !test_and_set_bit(VESP_SA_SOFT_NOTIFIED, &sa->state))
		vesp_nl_notify_sa_expire(vesp, sa, VESP_SA_EXPIRE_SOFT);
	if (test_bit(VESP_SA_HARD_EXPIRED, &sa->state))
		return false;
	return (soft && !test_bit(VESP_SA_SOFT_EXPIRED, &sa->state)) || hard;
}

/**
 * vesp_lifetime_work() - apply the lifetimes of a device's SAs
 * @work: &vesp_device.expiry_work
 */
void vesp_lifetime_work(struct work_struct *work)
{
	struct vesp_device *vesp = container_of(to_delayed_work(work),
						struct vesp_device,
						expiry_work);
	time64_t now = ktime_get_seconds();
	struct vesp_peer *peer;
	struct vesp_sa *sa, *tmp;
	bool again = false;

	mutex_lock(&vesp->update_lock);
	if (vesp->dead)
		goto out;
	list_for_each_entry(peer, &vesp->peer_list, vesp_entry) {
		list_for_each_entry_safe(sa, tmp, &peer->sa_list, peer_entry) {
			if (vesp_lifetime_check(vesp, sa, now))
				again = true;
			if (!test_bit(VESP_SA_HARD_EXPIRED, &sa->state))
				continue;
			/* Told once, with the SA's last counters, then gone. */
			vesp_nl_notify_sa_expire(vesp, sa, VESP_SA_EXPIRE_HARD);
			vesp_peer_remove_sa(peer, sa);
		}
	}
	if (again)
		mod_delayed_work(vesp_wq, &vesp->expiry_work, HZ);
out:
	mutex_unlock(&vesp->update_lock);
}
