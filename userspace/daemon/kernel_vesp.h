/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The kernel seam of the IKE engine (ike/kernel.h) on the vesp module:
 * each call one generic netlink request through libvesp, the device named
 * once. This is the part of vespd that needs CAP_NET_ADMIN.
 */
#ifndef VESPD_KERNEL_VESP_H
#define VESPD_KERNEL_VESP_H

#include <net/if.h>
#include <stdint.h>
#include <sys/socket.h>

#include "config.h"
#include "ike/kernel.h"
#include "lib/ipc.h"
#include "lib/model.h"

/* Replay window of inbound SAs: wide enough for reordering on fast links. */
#define VESPD_REPLAY_WINDOW 1024

/*
 * Path IDs in the module: a configured path N is ID N (1..), a path to an
 * address of the peer that no configured one has (MOBIKE took the SAs
 * there) is this one.
 */
#define VESPD_LEARNED_PATH_ID 100

/*
 * One path as installed. The module prefers the lowest priority value:
 * a configured path has its own plus one, and the one vespd moved ESP to
 * (by MOBIKE, with the module's liveness off) has 0 until ESP moves on.
 */
struct vespd_kernel_path {
	uint32_t id;
	struct ike_endpoint local, remote;	/* ports unused */
	uint32_t priority;			/* configured */
	bool chosen;				/* installed with priority 0 */
};

struct vespd_kernel {
	struct vesp_nl *nl;
	char ifname[IF_NAMESIZE];
	struct vesp_dev_ref dev;
	struct vesp_lifetimes limits;	/* of every SA installed; 0: none */
	/* the peer's paths, the configured ones first, then a learned one */
	uint32_t peer_id;
	bool liveness;			/* the module picks the path itself */
	size_t num_paths;
	struct vespd_kernel_path paths[VESPD_MAX_PATHS + 1];
};

/* Talk to the device @ifname over @nl (which stays the caller's). */
int vespd_kernel_init(struct vespd_kernel *k, struct vesp_nl *nl,
		      const char *ifname, struct ike_error *err);

/*
 * Make sure the module knows the tunnel's peer: created (or its prefixes
 * replaced) with @prefixes (the tunnel's remote-prefixes, by default
 * 0.0.0.0/0 and ::/0, so routes into the device decide what it carries),
 * its liveness settings (sent only when liveness or roaming is on, so a
 * module without liveness still serves the rest), and the tunnel's
 * @paths (local family 0: routing chooses), each installed anew with its
 * priority; a learned path of an earlier run is deleted.
 */
int vespd_kernel_peer_setup(struct vespd_kernel *k, uint32_t peer_id,
			    const struct vesp_prefix *prefixes, size_t num_prefixes,
			    const struct vespd_path *paths, size_t num_paths,
			    const struct vespd_path_liveness *liveness,
			    struct ike_error *err);

/* The seam for the engine, calling into @k. */
struct ike_kernel vespd_kernel_ops(struct vespd_kernel *k);

#endif /* VESPD_KERNEL_VESP_H */
