/* SPDX-License-Identifier: GPL-2.0 */
/*
 * One configured tunnel at run time: its IKE SA and task manager, the SA
 * rekeying it, the one being deleted after a rekey, and the clocks that
 * drive lifetimes, liveness checks and re-establishing a lost peer with
 * back-off. The daemon's loop feeds it datagrams and ticks; everything
 * outside (socket, clock, randomness, kernel) comes in through struct
 * vespd_tunnel_env, so two tunnels can run against each other in a test.
 */
#ifndef VESPD_TUNNEL_H
#define VESPD_TUNNEL_H

#include <stdbool.h>
#include <stdint.h>

#include "config.h"
#include "ike/manager.h"
#include "lib/model.h"

struct vespd_tunnel_env {
	uint64_t (*now)(void *ctx);	/* monotonic milliseconds */
	/* @from NULL: routing picks the source address */
	int (*send)(void *ctx, const struct sockaddr_storage *from,
		    const struct sockaddr_storage *to, const uint8_t *buf, size_t len);
	/* one line per event; never keys */
	void (*log)(void *ctx, int level, const char *tunnel, const char *text);
	void *ctx;
	struct ike_deps deps;		/* randomness, DH, the kernel seam */
};

/* A responder IKE SA not authenticated by then is dropped. */
#define VESPD_HALF_OPEN_MS 30000

/* Re-establishing waits 1 s, 2 s, 4 s, ... at most this long. */
#define VESPD_BACKOFF_MAX_MS 60000

/*
 * A request sent this many times on a path without an answer (1 s, 2 s:
 * 3 s of silence) moves IKE to the next path, when there is one.
 */
#define VESPD_PATH_TRIES 3

struct vespd_tunnel_run {
	const struct vespd_tunnel *conf;
	const struct vespd_tunnel_env *env;
	struct ike_io io;
	struct sockaddr_storage peer;	/* where IKE goes when the SA knows no address */
	size_t path;			/* conf->paths[] IKE uses now */
	bool path_gone[VESPD_MAX_PATHS];	/* its local address left the host */
	unsigned int moves;		/* path changes since the peer last answered */
	uint64_t heard_at_move;		/* the manager's last_valid then */
	unsigned int path_changes;	/* for status and tests */
	struct ike_endpoint rx_local, rx_remote;	/* of the datagram at hand */
	struct ike_sa *sa;		/* the current IKE SA, or NULL */
	struct ike_manager *m;
	struct ike_sa *old_sa;		/* rekeyed, being deleted */
	struct ike_manager *old_m;
	struct ike_sa *spare;		/* storage for the next rekey */
	uint64_t sa_since;		/* when the current IKE SA was made */
	uint64_t ike_since;		/* when the current IKE SA came up */
	uint8_t jitter;			/* this end's share of lifetime jitter */
	uint32_t child_spi;		/* the installed child's inbound SPI */
	uint64_t child_since;
	uint64_t rekey_not_before;	/* a refused IKE rekey waits a random while */
	uint64_t last_heard;		/* from the peer, any valid message */
	uint64_t retry_at;		/* initiate again then; 0: not waiting */
	unsigned int backoff_ms;
	unsigned int established;	/* times up, for status and tests */
	unsigned int ike_rekeys;
};

int vespd_tunnel_run_init(struct vespd_tunnel_run *t, const struct vespd_tunnel *conf,
			  const struct vespd_tunnel_env *env);

/*
 * Point @t and its SAs at @conf, an unchanged copy of their configuration
 * from a reloaded file (the old copy is about to be freed).
 */
void vespd_tunnel_run_reconfigure(struct vespd_tunnel_run *t,
				  const struct vespd_tunnel *conf);

/* Tear down: the Child SAs leave the kernel, the IKE SAs are freed. */
void vespd_tunnel_run_destroy(struct vespd_tunnel_run *t);

/* Start initiating now (also done by ticks for conf->initiate). */
void vespd_tunnel_run_start(struct vespd_tunnel_run *t);

/* Whether the datagram @buf belongs here: one of our SPIs, or a new IKE_SA_INIT. */
bool vespd_tunnel_run_owns(const struct vespd_tunnel_run *t, const uint8_t *buf,
			   size_t len);

/*
 * Whether @buf from @from is ours: a message of our IKE SAs from anywhere
 * (MOBIKE may move the peer; what is not authentic is dropped later), a
 * new IKE_SA_INIT only from a remote address of the tunnel's paths.
 */
bool vespd_tunnel_run_accepts(const struct vespd_tunnel_run *t,
			      const struct sockaddr_storage *from,
			      const uint8_t *buf, size_t len);

/* A datagram from the peer at @from to our @to (NULL or family 0: unknown). */
void vespd_tunnel_run_receive(struct vespd_tunnel_run *t, const uint8_t *buf,
			      size_t len, const struct sockaddr_storage *from,
			      const struct sockaddr_storage *to);

/*
 * The host lost (@gone) or regained the local address @addr. Losing the
 * one IKE uses moves the tunnel to the next path whose local address is
 * there: with MOBIKE by UPDATE_SA_ADDRESSES (or, as responder, by telling
 * the initiator our addresses from the new path), without by
 * establishing the tunnel anew there.
 */
void vespd_tunnel_run_address(struct vespd_tunnel_run *t,
			      const struct sockaddr_storage *addr, bool gone);

/*
 * The module reported a path of the tunnel's peer (VESP_CMD_PATH_NTF):
 * @event enum vesp_path_event, between @local (family 0: any) and
 * @remote. IKE follows a switch or a roam there, and leaves a path that
 * went down.
 */
void vespd_tunnel_run_path_event(struct vespd_tunnel_run *t, uint8_t event,
				 const struct sockaddr_storage *local,
				 const struct sockaddr_storage *remote);

/* Retransmit, check liveness, rekey on lifetime, re-establish. */
void vespd_tunnel_run_tick(struct vespd_tunnel_run *t);

/* When vespd_tunnel_run_tick() has work next (monotonic ms). */
uint64_t vespd_tunnel_run_deadline(const struct vespd_tunnel_run *t);

/*
 * A Child SA of the module reached a limit (VESP_CMD_SA_EXPIRE_NTF): the
 * SA of direction @dir (enum vesp_sa_dir) and SPI @spi, @reason enum
 * vesp_sa_expire_reason. Soft or sequence number: the child is rekeyed;
 * hard (the module removed it): the IKE SA is deleted and, for a tunnel
 * that initiates, made anew. SAs not of the current child are ignored.
 */
void vespd_tunnel_run_expired(struct vespd_tunnel_run *t, uint8_t dir, uint32_t spi,
			      uint8_t reason);

/* The hard lifetime in seconds is a tenth and this much above the soft. */
#define VESPD_HARD_GRACE_S 60

/*
 * The limits a Child SA of @t is installed with in the module: soft ones
 * from child-lifetime-bytes and -packets less this end's jitter (up to a
 * tenth, as for its own timers), and from child-lifetime a twentieth and
 * a second after the daemon's own timer, as a backstop; hard ones well
 * above (half as much again for bytes and packets), so the module's soft
 * expiry asks for a rekey in time and a hard expiry only hits an SA whose
 * rekey failed.
 */
void vespd_tunnel_kernel_lifetimes(const struct vespd_tunnel_run *t,
				   struct vesp_lifetimes *life);

/* Whether the IKE SA is up with a child installed. */
bool vespd_tunnel_run_up(const struct vespd_tunnel_run *t);

#endif /* VESPD_TUNNEL_H */
