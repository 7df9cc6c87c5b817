/* SPDX-License-Identifier: GPL-2.0 */
/*
 * vespd.conf: one section per tunnel, "key = value" lines, '#' comments
 * (see vespd.conf(5)):
 *
 *   [tunnel site-b]
 *   device = vesp0
 *   peer-id = 7
 *   local = 192.0.2.1
 *   remote = 198.51.100.7		(or several paths:)
 *   path = local 192.0.2.1 remote 198.51.100.7 priority 0
 *   path = local 203.0.113.1 remote 203.0.113.7 priority 10
 *   path-liveness = 100ms		(the module's probes; default off)
 *   path-liveness-multiplier = 3
 *   path-hold-down = 5s
 *   roaming = no
 *   mobike = yes
 *   local-id = moon.example
 *   remote-id = sun.example
 *   psk-file = /etc/vespd/site-b.psk	(or: auth = pubkey, cert, key, ca)
 *   ike = aes256gcm16-prfsha256-x25519, aes128-sha256-modp2048
 *   esp = aes256gcm16-esn-noesn
 *   initiate = yes
 *   ike-lifetime = 4h
 *   child-lifetime = 1h
 *   child-lifetime-bytes = 10G
 *   liveness = 30s
 *   remote-prefixes = 10.0.2.0/24, fd00:2::/64	(default 0.0.0.0/0, ::/0)
 *   local-prefixes = 10.0.1.0/24			(default 0.0.0.0/0, ::/0)
 *
 * Every error names the file and line: "vespd.conf:12: unknown key 'devcie'".
 */
#ifndef VESPD_CONFIG_H
#define VESPD_CONFIG_H

#include <net/if.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <sys/socket.h>

#include "ike/error.h"
#include "ike/sa.h"
#include "lib/model.h"

#define VESPD_NAME_LEN 64
#define VESPD_MAX_PATHS 8

/*
 * One underlay path: where ESP and IKE may go between the two ends. The
 * one with the lowest priority value is preferred; the others stand by.
 */
struct vespd_path {
	struct sockaddr_storage local;	/* family 0: routing chooses */
	struct sockaddr_storage remote;	/* port 500 */
	uint32_t priority;
};

/*
 * How the module judges the paths alive (vesp.8): a probe or
 * authenticated ESP every interval_ms, dead after multiplier intervals
 * without, back to a preferred path after hold_down_ms alive. interval_ms
 * 0 leaves the module's liveness off, as manual setups have it.
 */
struct vespd_path_liveness {
	unsigned int interval_ms;
	unsigned int multiplier;
	unsigned int hold_down_ms;
	bool roaming;			/* follow authenticated ESP to a new address */
};

struct vespd_tunnel {
	char name[VESPD_NAME_LEN];
	char device[IF_NAMESIZE];
	/* the first path's addresses (the "local" and "remote" keys) */
	struct sockaddr_storage local;	/* port 500 unless given otherwise */
	struct sockaddr_storage remote;
	/* every path, sorted by priority; "local"/"remote" make the only one */
	size_t num_paths;
	struct vespd_path paths[VESPD_MAX_PATHS];
	struct vespd_path_liveness path_liveness;
	bool mobike;			/* RFC 4555: announce and accept it */
	bool initiate;			/* start at once, not only answer */
	unsigned int ike_lifetime;	/* seconds until the IKE SA is rekeyed */
	unsigned int child_lifetime;	/* seconds until a Child SA is rekeyed */
	uint64_t child_bytes;		/* bytes until then, 0: no limit */
	uint64_t child_packets;		/* packets until then, 0: no limit */
	unsigned int liveness;		/* seconds of silence before a check, 0: none */
	unsigned int retransmit_tries;	/* sends after the first before giving up */
	struct ike_sa_config ike;	/* proposals, identities, key, selectors */
	/* the module peer's prefixes, also the selectors of the remote end */
	size_t num_remote_prefixes;
	struct vesp_prefix remote_prefixes[IKE_MAX_TS];
	int line;			/* where the section starts, for messages */
};

struct vespd_config {
	size_t num_tunnels;
	struct vespd_tunnel *tunnels;
};

/*
 * Parse @f, named @path in messages, into @cfg. On failure @err says
 * "path:line: what" and @cfg is left empty. Keys are wiped on release.
 */
int vespd_config_parse(struct vespd_config *cfg, FILE *f, const char *path,
		       struct ike_error *err);

/* Read and parse the file at @path. */
int vespd_config_load(struct vespd_config *cfg, const char *path,
		      struct ike_error *err);

/* The tunnel named @name, or NULL. */
const struct vespd_tunnel *vespd_config_find(const struct vespd_config *cfg,
					     const char *name);

void vespd_config_free(struct vespd_config *cfg);

#endif /* VESPD_CONFIG_H */
