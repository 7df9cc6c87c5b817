/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The data model of libvesp: devices, their peers, the peers' prefixes,
 * paths and SAs, and the devices' drop counters.
 *
 * Argument parsers fill it to build requests; reply parsers fill it from
 * the kernel's answers; renderers print it. It never holds key material:
 * keys travel separately (key.h) straight into a request.
 *
 * Which optional attributes an object carries is recorded in its `present`
 * mask, one bit per attribute number of the uapi enum it mirrors:
 * vesp_has(sa->present, VESP_A_SA_REPLAY_WINDOW).
 */
#ifndef VESP_LIB_MODEL_H
#define VESP_LIB_MODEL_H

#include <net/if.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include <linux/vesp.h>

#define VESP_ADDR_MAX_LEN 16

static inline bool vesp_has(uint64_t present, unsigned int attr)
{
	return present & (1ULL << attr);
}

static inline void vesp_mark(uint64_t *present, unsigned int attr)
{
	*present |= 1ULL << attr;
}

/* An IPv4 or IPv6 address: family AF_INET (4 bytes used) or AF_INET6 (16). */
struct vesp_addr {
	uint16_t family;
	uint8_t bytes[VESP_ADDR_MAX_LEN];
};

/* An inner network reached through a peer. */
struct vesp_prefix {
	struct vesp_addr addr;
	uint8_t len;
};

/*
 * An underlay path to a peer; @local of family 0 means "routing chooses".
 * The liveness members are read-only state the kernel reports; @event and
 * the previous_ members only come in notifications.
 */
struct vesp_path {
	uint64_t present;	/* VESP_A_PATH_* */
	uint32_t id;
	struct vesp_addr local;
	struct vesp_addr remote;
	uint32_t priority;
	bool active;		/* outbound ESP takes this path */
	uint8_t state;		/* enum vesp_path_state */
	uint32_t last_rx_ms;
	bool heard_by_peer;
	uint64_t probes_sent;
	uint64_t probes_received;
	uint32_t state_changes;
	uint8_t event;		/* enum vesp_path_event */
	uint32_t previous_id;
	struct vesp_addr previous_remote;
};

/* Soft and hard limits of an SA; 0 means none. */
struct vesp_lifetimes {
	uint64_t soft_bytes;
	uint64_t hard_bytes;
	uint64_t soft_packets;
	uint64_t hard_packets;
	uint32_t soft_seconds;
	uint32_t hard_seconds;
};

/* A security association, without its keys. */
struct vesp_sa {
	uint64_t present;	/* VESP_A_SA_* */
	uint32_t spi;
	uint8_t dir;		/* enum vesp_sa_dir */
	uint32_t alg;		/* enum vesp_sa_alg */
	bool esn;
	bool active;
	uint32_t replay_window;
	struct vesp_lifetimes lifetimes;
	uint64_t seq;
	uint64_t packets;
	uint64_t bytes;
	uint32_t age;
	uint8_t expire_reason;	/* enum vesp_sa_expire_reason */
};

/*
 * A peer. @present marks the liveness settings a request sets or a reply
 * carries (VESP_A_PEER_LIVENESS_INTERVAL ... VESP_A_PEER_PATH_SWITCHES).
 */
struct vesp_peer {
	uint64_t present;	/* VESP_A_PEER_* */
	uint32_t id;
	uint32_t liveness_interval;	/* ms, 0: off */
	uint8_t liveness_multiplier;
	uint32_t hold_down;		/* ms */
	bool roaming;
	uint32_t path_switches;
	struct vesp_prefix *prefixes;
	size_t n_prefixes;
	struct vesp_path *paths;
	size_t n_paths;
	struct vesp_sa *sas;
	size_t n_sas;
};

struct vesp_stats {
	uint64_t present;	/* VESP_A_STATS_* */
	uint64_t counter[VESP_A_STATS_MAX + 1];
};

struct vesp_dev_info {
	uint64_t present;	/* VESP_A_* */
	uint32_t ifindex;
	char ifname[IF_NAMESIZE];
	uint32_t fwmark;
	uint32_t flags;		/* enum vesp_link_flags */
	uint32_t peer_count;
	struct vesp_peer *peers;
	size_t n_peers;
	struct vesp_stats stats;
};

struct vesp_dev_list {
	struct vesp_dev_info *devs;
	size_t n_devs;
};

/* What "vesp set" changes: VESP_A_FWMARK and/or VESP_A_FLAGS in @present. */
struct vesp_dev_settings {
	uint64_t present;
	uint32_t fwmark;
	uint32_t flags_on;	/* enum vesp_link_flags to turn on */
	uint32_t flags_off;	/* and to turn off */
};

/* Names a device in a request: by @ifindex when it is not 0, else by @ifname. */
struct vesp_dev_ref {
	uint32_t ifindex;
	const char *ifname;
};

/*
 * Find-or-add helpers: return the object with that identity, appending a
 * zeroed one when there is none, or NULL when memory runs out.
 */
struct vesp_dev_info *vesp_model_dev(struct vesp_dev_list *list, uint32_t ifindex,
				     const char *ifname);
struct vesp_peer *vesp_model_peer(struct vesp_dev_info *dev, uint32_t id);
struct vesp_path *vesp_model_path(struct vesp_peer *peer, uint32_t id);
struct vesp_sa *vesp_model_sa(struct vesp_peer *peer, uint8_t dir, uint32_t spi);

/* Append a prefix to @peer (duplicates are kept out); 0 or -1 when out of memory. */
int vesp_model_add_prefix(struct vesp_peer *peer, const struct vesp_prefix *prefix);

void vesp_peer_free(struct vesp_peer *peer);
void vesp_dev_info_free(struct vesp_dev_info *dev);
void vesp_dev_list_free(struct vesp_dev_list *list);

/* "rx_unknown_spi" for VESP_A_STATS_RX_UNKNOWN_SPI; NULL for unknown numbers. */
const char *vesp_stats_name(unsigned int attr);

/* "in", "out", or NULL. */
const char *vesp_dir_name(uint8_t dir);

/* "soft", "hard", "seq", or NULL. */
const char *vesp_expire_reason_name(uint8_t reason);

/* "up", "down", or NULL. */
const char *vesp_path_state_name(uint8_t state);

/* "up", "down", "switched", "roamed", or NULL. */
const char *vesp_path_event_name(uint8_t event);

/* "copy-dscp" for VESP_LINK_F_COPY_DSCP, ...; NULL for an unknown bit. */
const char *vesp_link_flag_name(uint32_t flag);

/* Number of address bytes for @family: 4, 16, or 0 when unknown. */
size_t vesp_addr_len(uint16_t family);

/* True when all bytes of @addr are zero (or its family is unknown). */
bool vesp_addr_is_unspecified(const struct vesp_addr *addr);

bool vesp_addr_equal(const struct vesp_addr *a, const struct vesp_addr *b);
bool vesp_prefix_equal(const struct vesp_prefix *a, const struct vesp_prefix *b);

#endif /* VESP_LIB_MODEL_H */
