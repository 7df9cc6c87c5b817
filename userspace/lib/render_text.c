// SPDX-License-Identifier: GPL-2.0
/* Text output of the vesp command: see render.h. */
#include "render.h"

#include <inttypes.h>
#include <stdarg.h>
#include <string.h>

#include "address.h"
#include "algorithm.h"
#include "parse.h"

#define COLOR_RESET	"\x1b[0m"
#define COLOR_BOLD	"\x1b[1m"
#define COLOR_INTERFACE	"\x1b[1;32m"
#define COLOR_PEER	"\x1b[1;33m"

static const char *const field_names[] = {
	[VESP_SHOW_PEERS]  = "peers",
	[VESP_SHOW_SAS]	   = "sas",
	[VESP_SHOW_STATS]  = "stats",
	[VESP_SHOW_FWMARK] = "fwmark",
};

int vesp_show_field_by_name(const char *name)
{
	size_t i;

	for (i = 0; i < sizeof(field_names) / sizeof(field_names[0]); i++)
		if (field_names[i] && !strcmp(field_names[i], name))
			return (int)i;
	return -1;
}

/* Items of a list: each is preceded by @sep, which becomes ", " after the first. */
struct list_writer {
	FILE *out;
	const char *sep;
};

static void item(struct list_writer *list, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));

static void item(struct list_writer *list, const char *fmt, ...)
{
	va_list ap;

	fputs(list->sep, list->out);
	list->sep = ", ";
	va_start(ap, fmt);
	vfprintf(list->out, fmt, ap);
	va_end(ap);
}

static void paint(const struct vesp_render *r, const char *color)
{
	if (r->color)
		fputs(color, r->out);
}

/* "@indent@name: " with the name in bold. */
static void label(const struct vesp_render *r, const char *indent, const char *name)
{
	fputs(indent, r->out);
	paint(r, COLOR_BOLD);
	fputs(name, r->out);
	paint(r, COLOR_RESET);
	fputs(": ", r->out);
}

static const char *alg_text(uint32_t alg, char *buf, size_t size)
{
	const char *name = vesp_algorithm_family_name(alg);

	if (name)
		return name;
	snprintf(buf, size, "alg-%" PRIu32, alg);
	return buf;
}

static const char *dir_text(uint8_t dir)
{
	const char *name = vesp_dir_name(dir);

	return name ? name : "?";
}

static const char *dev_text(const struct vesp_dev_info *dev, char *buf, size_t size)
{
	if (dev->ifname[0])
		return dev->ifname;
	snprintf(buf, size, "ifindex %" PRIu32, dev->ifindex);
	return buf;
}

static void fwmark_text(FILE *out, const struct vesp_dev_info *dev)
{
	if (dev->fwmark)
		fprintf(out, "0x%" PRIx32, dev->fwmark);
	else
		fputs("off", out);
}

/* "copy-dscp carrier-liveness"; unknown bits in hex */
static void flags_text(FILE *out, uint32_t flags)
{
	const char *sep = "";
	uint32_t flag;

	for (flag = 1; flag; flag <<= 1) {
		if (!(flags & flag))
			continue;
		if (vesp_link_flag_name(flag))
			fprintf(out, "%s%s", sep, vesp_link_flag_name(flag));
		else
			fprintf(out, "%s0x%" PRIx32, sep, flag);
		sep = " ";
	}
}

/* "aes-gcm, esn, replay window 64" */
static void sa_settings(struct list_writer *list, const struct vesp_sa *sa)
{
	char buf[32];

	if (vesp_has(sa->present, VESP_A_SA_ALG))
		item(list, "%s", alg_text(sa->alg, buf, sizeof(buf)));
	if (sa->esn)
		item(list, "esn");
	if (vesp_has(sa->present, VESP_A_SA_REPLAY_WINDOW))
		item(list, "replay window %" PRIu32, sa->replay_window);
}

/* "10 packets, 1440 bytes, seq 10, age 5s" */
static void sa_traffic(struct list_writer *list, const struct vesp_sa *sa)
{
	char buf[32];

	if (vesp_has(sa->present, VESP_A_SA_PACKETS))
		item(list, "%" PRIu64 " packets", sa->packets);
	if (vesp_has(sa->present, VESP_A_SA_BYTES))
		item(list, "%" PRIu64 " bytes", sa->bytes);
	if (vesp_has(sa->present, VESP_A_SA_SEQ))
		item(list, "seq %" PRIu64, sa->seq);
	if (vesp_has(sa->present, VESP_A_SA_AGE))
		item(list, "age %s", vesp_format_seconds(sa->age, buf, sizeof(buf)));
}

/* "soft 100M bytes, 1h" (the nonzero limits of one kind) */
static void sa_limits(struct list_writer *list, const char *kind, uint64_t bytes,
		      uint64_t packets, uint32_t seconds)
{
	char buf[32];

	if (bytes)
		item(list, "%s %s bytes", kind, vesp_format_bytes(bytes, buf, sizeof(buf)));
	if (packets)
		item(list, "%s %s packets", kind, vesp_format_packets(packets, buf, sizeof(buf)));
	if (seconds)
		item(list, "%s %s", kind, vesp_format_seconds(seconds, buf, sizeof(buf)));
}

static bool has_limits(const struct vesp_lifetimes *life)
{
	return life->soft_bytes || life->soft_packets || life->soft_seconds ||
	       life->hard_bytes || life->hard_packets || life->hard_seconds;
}

static bool has_traffic(const struct vesp_sa *sa)
{
	return vesp_has(sa->present, VESP_A_SA_PACKETS) ||
	       vesp_has(sa->present, VESP_A_SA_BYTES) || vesp_has(sa->present, VESP_A_SA_SEQ) ||
	       vesp_has(sa->present, VESP_A_SA_AGE);
}

static void render_sa(const struct vesp_render *r, const struct vesp_sa *sa)
{
	const struct vesp_lifetimes *life = &sa->lifetimes;
	struct list_writer list = { r->out, ": " };

	fputs("  ", r->out);
	paint(r, COLOR_BOLD);
	fprintf(r->out, "sa %s 0x%08" PRIx32, dir_text(sa->dir), sa->spi);
	paint(r, COLOR_RESET);
	if (sa->active)
		fputs(" (active)", r->out);
	sa_settings(&list, sa);
	fputc('\n', r->out);

	if (has_traffic(sa)) {
		label(r, "    ", "traffic");
		list.sep = "";
		sa_traffic(&list, sa);
		fputc('\n', r->out);
	}
	if (has_limits(life)) {
		label(r, "    ", "lifetime");
		list.sep = "";
		sa_limits(&list, "soft", life->soft_bytes, life->soft_packets, life->soft_seconds);
		sa_limits(&list, "hard", life->hard_bytes, life->hard_packets, life->hard_seconds);
		fputc('\n', r->out);
	}
}

/* "up, last rx 20 ms ago, heard by peer, probes 10 sent 9 received, 1 change" */
static void path_liveness(FILE *out, const struct vesp_path *path)
{
	struct list_writer list = { out, "" };
	const char *state = vesp_path_state_name(path->state);

	if (vesp_has(path->present, VESP_A_PATH_STATE))
		item(&list, "%s", state ? state : "?");
	if (vesp_has(path->present, VESP_A_PATH_LAST_RX))
		item(&list, "last rx %" PRIu32 " ms ago", path->last_rx_ms);
	if (path->heard_by_peer)
		item(&list, "heard by peer");
	if (vesp_has(path->present, VESP_A_PATH_PROBES_SENT))
		item(&list, "probes %" PRIu64 " sent %" PRIu64 " received", path->probes_sent,
		     path->probes_received);
	if (vesp_has(path->present, VESP_A_PATH_STATE_CHANGES))
		item(&list, "%" PRIu32 " state changes", path->state_changes);
}

/* "interval 100 ms, multiplier 3, hold-down 1000 ms, roaming on, 2 path switches" */
static void peer_liveness(FILE *out, const struct vesp_peer *peer)
{
	struct list_writer list = { out, "" };

	if (vesp_has(peer->present, VESP_A_PEER_LIVENESS_INTERVAL)) {
		if (peer->liveness_interval)
			item(&list, "interval %" PRIu32 " ms", peer->liveness_interval);
		else
			item(&list, "off");
	}
	if (peer->liveness_interval &&
	    vesp_has(peer->present, VESP_A_PEER_LIVENESS_MULTIPLIER))
		item(&list, "multiplier %u", peer->liveness_multiplier);
	if (peer->liveness_interval && vesp_has(peer->present, VESP_A_PEER_HOLD_DOWN))
		item(&list, "hold-down %" PRIu32 " ms", peer->hold_down);
	if (vesp_has(peer->present, VESP_A_PEER_ROAMING))
		item(&list, "roaming %s", peer->roaming ? "on" : "off");
	if (vesp_has(peer->present, VESP_A_PEER_PATH_SWITCHES))
		item(&list, "%" PRIu32 " path switches", peer->path_switches);
}

static void render_path(const struct vesp_render *r, const struct vesp_path *path)
{
	char addr[VESP_PREFIX_TEXT_LEN];

	fputs("  ", r->out);
	paint(r, COLOR_BOLD);
	fprintf(r->out, "path %" PRIu32, path->id);
	paint(r, COLOR_RESET);
	fputs(": ", r->out);
	if (vesp_has(path->present, VESP_A_PATH_REMOTE))
		fputs(vesp_format_addr(&path->remote, addr, sizeof(addr)), r->out);
	else
		fputs("(no remote)", r->out);
	if (vesp_has(path->present, VESP_A_PATH_LOCAL) && !vesp_addr_is_unspecified(&path->local))
		fprintf(r->out, " from %s", vesp_format_addr(&path->local, addr, sizeof(addr)));
	if (vesp_has(path->present, VESP_A_PATH_PRIORITY))
		fprintf(r->out, ", priority %" PRIu32, path->priority);
	if (path->active)
		fputs(" (active)", r->out);
	fputc('\n', r->out);
	if (vesp_has(path->present, VESP_A_PATH_STATE) ||
	    vesp_has(path->present, VESP_A_PATH_LAST_RX)) {
		label(r, "    ", "liveness");
		path_liveness(r->out, path);
		fputc('\n', r->out);
	}
}

static void render_prefixes(FILE *out, const struct vesp_peer *peer, const char *sep)
{
	char text[VESP_PREFIX_TEXT_LEN];
	size_t i;

	if (!peer->n_prefixes)
		fputs("(none)", out);
	for (i = 0; i < peer->n_prefixes; i++)
		fprintf(out, "%s%s", i ? sep : "",
			vesp_format_prefix(&peer->prefixes[i], text, sizeof(text)));
}

static void render_peer(const struct vesp_render *r, const struct vesp_peer *peer)
{
	size_t i;

	fputc('\n', r->out);
	paint(r, COLOR_PEER);
	fputs("peer", r->out);
	paint(r, COLOR_RESET);
	fprintf(r->out, ": %" PRIu32 "\n", peer->id);
	label(r, "  ", "prefixes");
	render_prefixes(r->out, peer, ", ");
	fputc('\n', r->out);
	if (peer->present) {
		label(r, "  ", "liveness");
		peer_liveness(r->out, peer);
		fputc('\n', r->out);
	}
	for (i = 0; i < peer->n_paths; i++)
		render_path(r, &peer->paths[i]);
	for (i = 0; i < peer->n_sas; i++)
		render_sa(r, &peer->sas[i]);
}

/* "  drops: rx_auth_fail 3, tx_no_sa 7" for the counters that are not 0. */
static void render_drops(const struct vesp_render *r, const struct vesp_stats *stats)
{
	struct list_writer list = { r->out, "" };
	unsigned int type;
	bool any = false;

	for (type = 1; type <= VESP_A_STATS_MAX; type++)
		if (vesp_has(stats->present, type) && stats->counter[type])
			any = true;
	if (!any)
		return;
	label(r, "  ", "drops");
	for (type = 1; type <= VESP_A_STATS_MAX; type++)
		if (vesp_has(stats->present, type) && stats->counter[type] &&
		    vesp_stats_name(type))
			item(&list, "%s %" PRIu64, vesp_stats_name(type), stats->counter[type]);
	fputc('\n', r->out);
}

void vesp_render_show_text(const struct vesp_render *r, const struct vesp_dev_list *list)
{
	char name[32];
	size_t i, j;

	for (i = 0; i < list->n_devs; i++) {
		const struct vesp_dev_info *dev = &list->devs[i];

		if (i)
			fputc('\n', r->out);
		paint(r, COLOR_INTERFACE);
		fputs("interface", r->out);
		paint(r, COLOR_RESET);
		fprintf(r->out, ": %s\n", dev_text(dev, name, sizeof(name)));
		if (vesp_has(dev->present, VESP_A_FWMARK)) {
			label(r, "  ", "fwmark");
			fwmark_text(r->out, dev);
			fputc('\n', r->out);
		}
		if (vesp_has(dev->present, VESP_A_FLAGS) && dev->flags) {
			label(r, "  ", "flags");
			flags_text(r->out, dev->flags);
			fputc('\n', r->out);
		}
		render_drops(r, &dev->stats);
		for (j = 0; j < dev->n_peers; j++)
			render_peer(r, &dev->peers[j]);
	}
}

static void field_line_start(FILE *out, const struct vesp_dev_info *dev, bool with_ifname)
{
	char name[32];

	if (with_ifname)
		fprintf(out, "%s\t", dev_text(dev, name, sizeof(name)));
}

static void render_field_of(FILE *out, const struct vesp_dev_info *dev,
			    enum vesp_show_field field, bool with_ifname)
{
	const struct vesp_peer *peer;
	unsigned int type;
	char buf[32];
	size_t i, j;

	switch (field) {
	case VESP_SHOW_FWMARK:
		field_line_start(out, dev, with_ifname);
		fwmark_text(out, dev);
		fputc('\n', out);
		break;
	case VESP_SHOW_PEERS:
		for (i = 0; i < dev->n_peers; i++) {
			field_line_start(out, dev, with_ifname);
			fprintf(out, "%" PRIu32 "\t", dev->peers[i].id);
			render_prefixes(out, &dev->peers[i], ",");
			fputc('\n', out);
		}
		break;
	case VESP_SHOW_SAS:
		for (i = 0; i < dev->n_peers; i++) {
			peer = &dev->peers[i];
			for (j = 0; j < peer->n_sas; j++) {
				const struct vesp_sa *sa = &peer->sas[j];

				field_line_start(out, dev, with_ifname);
				fprintf(out, "%" PRIu32 "\t%s\t0x%08" PRIx32 "\t%s\t%s\n", peer->id,
					dir_text(sa->dir), sa->spi, alg_text(sa->alg, buf, sizeof(buf)),
					sa->active ? "active" : "-");
			}
		}
		break;
	case VESP_SHOW_STATS:
		for (type = 1; type <= VESP_A_STATS_MAX; type++) {
			if (!vesp_has(dev->stats.present, type) || !vesp_stats_name(type))
				continue;
			field_line_start(out, dev, with_ifname);
			fprintf(out, "%s\t%" PRIu64 "\n", vesp_stats_name(type),
				dev->stats.counter[type]);
		}
		break;
	case VESP_SHOW_EVERYTHING:
		break;
	}
}

void vesp_render_field_text(const struct vesp_render *r, const struct vesp_dev_list *list,
			    enum vesp_show_field field, bool with_ifname)
{
	size_t i;

	for (i = 0; i < list->n_devs; i++)
		render_field_of(r->out, &list->devs[i], field, with_ifname);
}

void vesp_render_sa_list_text(const struct vesp_render *r, const struct vesp_dev_list *list)
{
	const struct vesp_dev_info *dev;
	const struct vesp_peer *peer;
	const struct vesp_sa *sa;
	struct list_writer items;
	char name[32];
	size_t i, j, k;

	for (i = 0; i < list->n_devs; i++) {
		dev = &list->devs[i];
		for (j = 0; j < dev->n_peers; j++) {
			peer = &dev->peers[j];
			for (k = 0; k < peer->n_sas; k++) {
				sa = &peer->sas[k];
				fprintf(r->out, "%s peer %" PRIu32 " ", dev_text(dev, name, sizeof(name)),
					peer->id);
				paint(r, COLOR_BOLD);
				fprintf(r->out, "%s 0x%08" PRIx32, dir_text(sa->dir), sa->spi);
				paint(r, COLOR_RESET);
				if (sa->active)
					fputs(" (active)", r->out);
				items = (struct list_writer){ r->out, ": " };
				sa_settings(&items, sa);
				sa_traffic(&items, sa);
				fputc('\n', r->out);
			}
		}
	}
}

void vesp_render_stats_text(const struct vesp_render *r, const struct vesp_dev_list *list)
{
	const struct vesp_dev_info *dev;
	unsigned int type;
	char name[32];
	size_t i;

	for (i = 0; i < list->n_devs; i++) {
		dev = &list->devs[i];
		if (i)
			fputc('\n', r->out);
		paint(r, COLOR_INTERFACE);
		fputs("interface", r->out);
		paint(r, COLOR_RESET);
		fprintf(r->out, ": %s\n", dev_text(dev, name, sizeof(name)));
		for (type = 1; type <= VESP_A_STATS_MAX; type++) {
			if (!vesp_has(dev->stats.present, type) || !vesp_stats_name(type))
				continue;
			fprintf(r->out, "  %-20s %" PRIu64 "\n", vesp_stats_name(type),
				dev->stats.counter[type]);
		}
	}
}

/*
 * " switched: peer 1 path 2 10.0.2.2 (was path 1)", " up: peer 1 path 2
 * 10.0.2.2", " roamed: peer 1 path 1 10.0.9.2 (was 10.0.1.2)"
 */
static void render_path_event(FILE *out, const struct vesp_peer *peer)
{
	const struct vesp_path *path = peer && peer->n_paths ? &peer->paths[0] : NULL;
	char addr[VESP_PREFIX_TEXT_LEN];
	const char *what;

	if (path && vesp_has(path->present, VESP_A_PATH_EVENT)) {
		what = vesp_path_event_name(path->event);
		if (what)
			fprintf(out, " %s", what);
		else
			fprintf(out, " event %u", path->event);
	}
	if (peer)
		fprintf(out, ": peer %" PRIu32, peer->id);
	if (path) {
		fprintf(out, " path %" PRIu32, path->id);
		if (vesp_has(path->present, VESP_A_PATH_REMOTE))
			fprintf(out, " %s", vesp_format_addr(&path->remote, addr, sizeof(addr)));
		if (vesp_has(path->present, VESP_A_PATH_PREVIOUS_ID))
			fprintf(out, " (was path %" PRIu32 ")", path->previous_id);
		if (vesp_has(path->present, VESP_A_PATH_PREVIOUS_REMOTE))
			fprintf(out, " (was %s)",
				vesp_format_addr(&path->previous_remote, addr, sizeof(addr)));
	}
	if (peer && vesp_has(peer->present, VESP_A_PEER_PATH_SWITCHES))
		fprintf(out, ", %" PRIu32 " switches", peer->path_switches);
	fputc('\n', out);
}

void vesp_render_event_text(const struct vesp_render *r, const struct vesp_event *event)
{
	const struct vesp_dev_info *dev;
	const struct vesp_peer *peer;
	const struct vesp_sa *sa;
	const char *reason;
	char name[32];

	if (!event) {
		fputs("notifications lost: the receive buffer overflowed\n", r->out);
		return;
	}
	if (!event->devs.n_devs) {
		fprintf(r->out, "%s: (no device)\n", vesp_event_name(event->cmd));
		return;
	}
	dev = &event->devs.devs[0];
	peer = dev->n_peers ? &dev->peers[0] : NULL;
	sa = peer && peer->n_sas ? &peer->sas[0] : NULL;
	fprintf(r->out, "%s: ", dev_text(dev, name, sizeof(name)));
	paint(r, COLOR_BOLD);
	fputs(vesp_event_name(event->cmd), r->out);
	paint(r, COLOR_RESET);
	if (event->cmd == VESP_CMD_PATH_NTF) {
		render_path_event(r->out, peer);
		return;
	}
	if (sa && vesp_has(sa->present, VESP_A_SA_EXPIRE_REASON)) {
		reason = vesp_expire_reason_name(sa->expire_reason);
		if (reason)
			fprintf(r->out, " (%s)", reason);
		else
			fprintf(r->out, " (reason %u)", sa->expire_reason);
	}
	if (peer)
		fprintf(r->out, ": peer %" PRIu32, peer->id);
	if (sa)
		fprintf(r->out, " %s spi 0x%08" PRIx32, dir_text(sa->dir), sa->spi);
	fputc('\n', r->out);
}
