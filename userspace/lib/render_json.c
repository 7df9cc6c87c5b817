// SPDX-License-Identifier: GPL-2.0
/* JSON output of the vesp command: see render.h. */
#include "render.h"

#include <string.h>
#include <sys/socket.h>

#include "address.h"
#include "algorithm.h"
#include "json.h"

static void kv_u64_if(struct vesp_json *json, uint64_t present, unsigned int attr,
		      const char *key, uint64_t value)
{
	if (vesp_has(present, attr))
		vesp_json_kv_u64(json, key, value);
}

static void json_addr(struct vesp_json *json, const char *key, const struct vesp_addr *addr)
{
	char text[VESP_PREFIX_TEXT_LEN];

	vesp_json_kv_string(json, key, vesp_format_addr(addr, text, sizeof(text)));
}

static void json_family(struct vesp_json *json, uint16_t family)
{
	if (family == AF_INET)
		vesp_json_kv_string(json, "family", "inet");
	else if (family == AF_INET6)
		vesp_json_kv_string(json, "family", "inet6");
	else
		vesp_json_kv_u64(json, "family", family);
}

static void json_dir(struct vesp_json *json, uint8_t dir)
{
	const char *name = vesp_dir_name(dir);

	if (name)
		vesp_json_kv_string(json, "dir", name);
	else
		vesp_json_kv_u64(json, "dir", dir);
}

/* The SA's members; the caller opens and closes the object. */
static void sa_members(struct vesp_json *json, const struct vesp_sa *sa)
{
	const struct vesp_lifetimes *life = &sa->lifetimes;
	const char *alg = vesp_algorithm_family_name(sa->alg);
	const char *reason;

	vesp_json_kv_u64(json, "spi", sa->spi);
	json_dir(json, sa->dir);
	if (vesp_has(sa->present, VESP_A_SA_ALG)) {
		if (alg)
			vesp_json_kv_string(json, "alg", alg);
		else
			vesp_json_kv_u64(json, "alg", sa->alg);
	}
	vesp_json_kv_bool(json, "esn", sa->esn);
	vesp_json_kv_bool(json, "active", sa->active);
	kv_u64_if(json, sa->present, VESP_A_SA_REPLAY_WINDOW, "replay_window", sa->replay_window);
	kv_u64_if(json, sa->present, VESP_A_SA_SOFT_BYTES, "soft_bytes", life->soft_bytes);
	kv_u64_if(json, sa->present, VESP_A_SA_HARD_BYTES, "hard_bytes", life->hard_bytes);
	kv_u64_if(json, sa->present, VESP_A_SA_SOFT_PACKETS, "soft_packets", life->soft_packets);
	kv_u64_if(json, sa->present, VESP_A_SA_HARD_PACKETS, "hard_packets", life->hard_packets);
	kv_u64_if(json, sa->present, VESP_A_SA_SOFT_SECONDS, "soft_seconds", life->soft_seconds);
	kv_u64_if(json, sa->present, VESP_A_SA_HARD_SECONDS, "hard_seconds", life->hard_seconds);
	kv_u64_if(json, sa->present, VESP_A_SA_SEQ, "seq", sa->seq);
	kv_u64_if(json, sa->present, VESP_A_SA_PACKETS, "packets", sa->packets);
	kv_u64_if(json, sa->present, VESP_A_SA_BYTES, "bytes", sa->bytes);
	kv_u64_if(json, sa->present, VESP_A_SA_AGE, "age", sa->age);
	if (vesp_has(sa->present, VESP_A_SA_EXPIRE_REASON)) {
		reason = vesp_expire_reason_name(sa->expire_reason);
		if (reason)
			vesp_json_kv_string(json, "reason", reason);
		else
			vesp_json_kv_u64(json, "reason", sa->expire_reason);
	}
}

/* The path's liveness state, and an event's details. */
static void path_liveness_members(struct vesp_json *json, const struct vesp_path *path)
{
	const char *name;

	if (vesp_has(path->present, VESP_A_PATH_STATE)) {
		name = vesp_path_state_name(path->state);
		if (name)
			vesp_json_kv_string(json, "state", name);
		else
			vesp_json_kv_u64(json, "state", path->state);
	}
	kv_u64_if(json, path->present, VESP_A_PATH_LAST_RX, "last_rx_ms", path->last_rx_ms);
	if (vesp_has(path->present, VESP_A_PATH_PROBES_SENT))
		vesp_json_kv_bool(json, "heard_by_peer", path->heard_by_peer);
	kv_u64_if(json, path->present, VESP_A_PATH_PROBES_SENT, "probes_sent", path->probes_sent);
	kv_u64_if(json, path->present, VESP_A_PATH_PROBES_RECEIVED, "probes_received",
		  path->probes_received);
	kv_u64_if(json, path->present, VESP_A_PATH_STATE_CHANGES, "state_changes",
		  path->state_changes);
	if (vesp_has(path->present, VESP_A_PATH_EVENT)) {
		name = vesp_path_event_name(path->event);
		if (name)
			vesp_json_kv_string(json, "path_event", name);
		else
			vesp_json_kv_u64(json, "path_event", path->event);
	}
	kv_u64_if(json, path->present, VESP_A_PATH_PREVIOUS_ID, "previous_id", path->previous_id);
	if (vesp_has(path->present, VESP_A_PATH_PREVIOUS_REMOTE))
		json_addr(json, "previous_remote", &path->previous_remote);
}

/* The peer's liveness settings. */
static void peer_liveness_members(struct vesp_json *json, const struct vesp_peer *peer)
{
	kv_u64_if(json, peer->present, VESP_A_PEER_LIVENESS_INTERVAL, "liveness_interval_ms",
		  peer->liveness_interval);
	kv_u64_if(json, peer->present, VESP_A_PEER_LIVENESS_MULTIPLIER, "liveness_multiplier",
		  peer->liveness_multiplier);
	kv_u64_if(json, peer->present, VESP_A_PEER_HOLD_DOWN, "hold_down_ms", peer->hold_down);
	if (vesp_has(peer->present, VESP_A_PEER_ROAMING))
		vesp_json_kv_bool(json, "roaming", peer->roaming);
	kv_u64_if(json, peer->present, VESP_A_PEER_PATH_SWITCHES, "path_switches",
		  peer->path_switches);
}

static void json_path(struct vesp_json *json, const struct vesp_path *path)
{
	vesp_json_object_begin(json);
	vesp_json_kv_u64(json, "id", path->id);
	if (vesp_has(path->present, VESP_A_PATH_REMOTE)) {
		json_family(json, path->remote.family);
		json_addr(json, "remote", &path->remote);
	}
	if (vesp_has(path->present, VESP_A_PATH_LOCAL) && !vesp_addr_is_unspecified(&path->local))
		json_addr(json, "local", &path->local);
	kv_u64_if(json, path->present, VESP_A_PATH_PRIORITY, "priority", path->priority);
	vesp_json_kv_bool(json, "active", path->active);
	path_liveness_members(json, path);
	vesp_json_object_end(json);
}

static void json_prefixes(struct vesp_json *json, const struct vesp_peer *peer)
{
	char text[VESP_PREFIX_TEXT_LEN];
	size_t i;

	vesp_json_key(json, "prefixes");
	vesp_json_array_begin(json);
	for (i = 0; i < peer->n_prefixes; i++)
		vesp_json_string(json, vesp_format_prefix(&peer->prefixes[i], text, sizeof(text)));
	vesp_json_array_end(json);
}

static void json_sas(struct vesp_json *json, const struct vesp_peer *peer)
{
	size_t i;

	vesp_json_key(json, "sas");
	vesp_json_array_begin(json);
	for (i = 0; i < peer->n_sas; i++) {
		vesp_json_object_begin(json);
		sa_members(json, &peer->sas[i]);
		vesp_json_object_end(json);
	}
	vesp_json_array_end(json);
}

/* A peer; with @field VESP_SHOW_SAS only its id and SAs. */
static void json_peer(struct vesp_json *json, const struct vesp_peer *peer,
		      enum vesp_show_field field)
{
	size_t i;

	vesp_json_object_begin(json);
	vesp_json_kv_u64(json, "id", peer->id);
	if (field != VESP_SHOW_SAS) {
		peer_liveness_members(json, peer);
		json_prefixes(json, peer);
		vesp_json_key(json, "paths");
		vesp_json_array_begin(json);
		for (i = 0; i < peer->n_paths; i++)
			json_path(json, &peer->paths[i]);
		vesp_json_array_end(json);
	}
	if (field != VESP_SHOW_PEERS)
		json_sas(json, peer);
	vesp_json_object_end(json);
}

static void json_stats(struct vesp_json *json, const struct vesp_stats *stats)
{
	unsigned int type;

	vesp_json_key(json, "stats");
	vesp_json_object_begin(json);
	for (type = 1; type <= VESP_A_STATS_MAX; type++)
		if (vesp_has(stats->present, type) && vesp_stats_name(type))
			vesp_json_kv_u64(json, vesp_stats_name(type), stats->counter[type]);
	vesp_json_object_end(json);
}

/* "flags": ["copy-dscp", "carrier-liveness"]; unknown bits by number */
static void json_flags(struct vesp_json *json, uint32_t flags)
{
	uint32_t flag;

	vesp_json_key(json, "flags");
	vesp_json_array_begin(json);
	for (flag = 1; flag; flag <<= 1) {
		if (!(flags & flag))
			continue;
		if (vesp_link_flag_name(flag))
			vesp_json_string(json, vesp_link_flag_name(flag));
		else
			vesp_json_u64(json, flag);
	}
	vesp_json_array_end(json);
}

/* The device's identity: ifindex and ifname, when known. */
static void dev_identity(struct vesp_json *json, const struct vesp_dev_info *dev)
{
	kv_u64_if(json, dev->present, VESP_A_IFINDEX, "ifindex", dev->ifindex);
	if (dev->ifname[0])
		vesp_json_kv_string(json, "ifname", dev->ifname);
}

static void json_dev(struct vesp_json *json, const struct vesp_dev_info *dev,
		     enum vesp_show_field field)
{
	bool all = field == VESP_SHOW_EVERYTHING;
	size_t i;

	vesp_json_object_begin(json);
	dev_identity(json, dev);
	if (all || field == VESP_SHOW_FWMARK)
		kv_u64_if(json, dev->present, VESP_A_FWMARK, "fwmark", dev->fwmark);
	if (all && vesp_has(dev->present, VESP_A_FLAGS))
		json_flags(json, dev->flags);
	if (all)
		kv_u64_if(json, dev->present, VESP_A_PEER_COUNT, "peer_count", dev->peer_count);
	if (all || field == VESP_SHOW_PEERS || field == VESP_SHOW_SAS) {
		vesp_json_key(json, "peers");
		vesp_json_array_begin(json);
		for (i = 0; i < dev->n_peers; i++)
			json_peer(json, &dev->peers[i], field);
		vesp_json_array_end(json);
	}
	if ((all && vesp_has(dev->present, VESP_A_STATS)) || field == VESP_SHOW_STATS)
		json_stats(json, &dev->stats);
	vesp_json_object_end(json);
}

void vesp_render_show_json(FILE *out, const struct vesp_dev_list *list,
			   enum vesp_show_field field)
{
	struct vesp_json json;
	size_t i;

	vesp_json_init(&json, out);
	vesp_json_array_begin(&json);
	for (i = 0; i < list->n_devs; i++)
		json_dev(&json, &list->devs[i], field);
	vesp_json_array_end(&json);
	fputc('\n', out);
}

void vesp_render_sa_list_json(FILE *out, const struct vesp_dev_list *list)
{
	const struct vesp_dev_info *dev;
	const struct vesp_peer *peer;
	struct vesp_json json;
	size_t i, j, k;

	vesp_json_init(&json, out);
	vesp_json_array_begin(&json);
	for (i = 0; i < list->n_devs; i++) {
		dev = &list->devs[i];
		for (j = 0; j < dev->n_peers; j++) {
			peer = &dev->peers[j];
			for (k = 0; k < peer->n_sas; k++) {
				vesp_json_object_begin(&json);
				dev_identity(&json, dev);
				vesp_json_kv_u64(&json, "peer", peer->id);
				sa_members(&json, &peer->sas[k]);
				vesp_json_object_end(&json);
			}
		}
	}
	vesp_json_array_end(&json);
	fputc('\n', out);
}

void vesp_render_event_json(FILE *out, const struct vesp_event *event)
{
	const struct vesp_dev_info *dev;
	const struct vesp_peer *peer;
	struct vesp_json json;

	vesp_json_init(&json, out);
	vesp_json_object_begin(&json);
	if (!event) {
		vesp_json_kv_string(&json, "event", "lost");
		goto out;
	}
	vesp_json_kv_string(&json, "event", vesp_event_name(event->cmd));
	if (!event->devs.n_devs)
		goto out;
	dev = &event->devs.devs[0];
	dev_identity(&json, dev);
	if (!dev->n_peers)
		goto out;
	peer = &dev->peers[0];
	vesp_json_kv_u64(&json, "peer", peer->id);
	kv_u64_if(&json, peer->present, VESP_A_PEER_PATH_SWITCHES, "path_switches",
		  peer->path_switches);
	if (peer->n_paths) {
		vesp_json_key(&json, "path");
		json_path(&json, &peer->paths[0]);
	}
	if (peer->n_sas) {
		vesp_json_key(&json, "sa");
		vesp_json_object_begin(&json);
		sa_members(&json, &peer->sas[0]);
		vesp_json_object_end(&json);
	}
out:
	vesp_json_object_end(&json);
	fputc('\n', out);
}
