/* SPDX-License-Identifier: GPL-2.0 */
/* The daemon's state, shared by its main loop and its control socket. */
#ifndef VESPD_VESPD_H
#define VESPD_VESPD_H

#include <stdbool.h>

#include "daemon/config.h"
#include "daemon/kernel_vesp.h"
#include "daemon/tunnel.h"
#include "net.h"

/* One configured tunnel with what it runs on. */
struct vespd_slot {
	struct vespd_kernel kernel;
	struct ike_kernel ops;
	struct vespd_tunnel_env env;
	struct vespd_tunnel_run run;
	bool stopped;		/* by the operator: neither initiate nor answer */
};

struct vespd {
	const char *config_path;
	struct vespd_config cfg;
	size_t num_slots;
	struct vespd_slot **slots;	/* each on its own: the engine points into it */
	struct vesp_nl *nl;
	struct vesp_nl *events;		/* the module's "events" group: SA expiry */
	struct vespd_net net;
	int control_fd;
	int addr_fd;			/* rtnetlink address changes, or -1 */
};

/* Milliseconds of CLOCK_MONOTONIC. */
uint64_t vespd_now(void);

/* Open the control socket at @path (replacing a stale one). */
int vespd_control_open(struct vespd *d, const char *path);

/* Answer one client: "status", "start NAME" or "stop NAME". */
void vespd_control_serve(struct vespd *d);

/* (Re)create the slot of @conf, or stop and start it anew. */
struct vespd_slot *vespd_slot_find(struct vespd *d, const char *name);
void vespd_slot_stop(struct vespd_slot *s);
void vespd_slot_start(struct vespd_slot *s);

#endif /* VESPD_VESPD_H */
