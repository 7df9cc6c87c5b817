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

#include "ike/kernel.h"
#include "lib/ipc.h"
#include "lib/model.h"

/* Replay window of inbound SAs: wide enough for reordering on fast links. */
#define VESPD_REPLAY_WINDOW 1024

struct vespd_kernel {
	struct vesp_nl *nl;
	char ifname[IF_NAMESIZE];
	struct vesp_dev_ref dev;
	struct vesp_lifetimes limits;	/* of every SA installed; 0: none */
};

/* Talk to the device @ifname over @nl (which stays the caller's). */
int vespd_kernel_init(struct vespd_kernel *k, struct vesp_nl *nl,
		      const char *ifname, struct ike_error *err);

/*
 * Make sure the module knows the tunnel's peer: created (or its prefixes
 * replaced) with @prefixes (the tunnel's remote-prefixes, by default
 * 0.0.0.0/0 and ::/0, so routes into the device decide what it carries),
 * and one underlay path between @local (family 0: routing chooses) and
 * @remote. A path already there is left as it is.
 */
int vespd_kernel_peer_setup(struct vespd_kernel *k, uint32_t peer_id,
			    const struct vesp_prefix *prefixes, size_t num_prefixes,
			    const struct sockaddr_storage *local,
			    const struct sockaddr_storage *remote,
			    struct ike_error *err);

/* The seam for the engine, calling into @k. */
struct ike_kernel vespd_kernel_ops(struct vespd_kernel *k);

#endif /* VESPD_KERNEL_VESP_H */
