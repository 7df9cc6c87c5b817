// SPDX-License-Identifier: GPL-2.0
/*
 * The control socket: a Unix stream socket taking one line per connection
 * and answering in text, then closing. "status" lists every tunnel on a
 * line; "show" its IKE SAs and Child SAs, "show json" the same in JSON
 * (for vesp ike show); "start NAME" or "up NAME", "stop NAME" or "down
 * NAME" bring one up or down. Failures answer "error: ...". SPIs, states
 * and counters only: never a key. Only root (the socket's mode, 0600) may
 * talk to it.
 */
#include "vespd.h"

#include <arpa/inet.h>
#include <inttypes.h>
#include <stdio.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/un.h>
#include <unistd.h>

#include "lib/json.h"
#include "log.h"

int vespd_control_open(struct vespd *d, const char *path)
{
	struct sockaddr_un addr = { .sun_family = AF_UNIX };
	mode_t old;
	int fd;

	if (strlen(path) >= sizeof(addr.sun_path))
		return -1;
	strcpy(addr.sun_path, path);
	fd = socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC | SOCK_NONBLOCK, 0);
	if (fd < 0)
		return -1;
	unlink(path);
	old = umask(077);
	if (bind(fd, (struct sockaddr *)&addr, sizeof(addr)) < 0 || listen(fd, 4) < 0) {
		umask(old);
		close(fd);
		return -1;
	}
	umask(old);
	d->control_fd = fd;
	return 0;
}

static const char *tunnel_state(const struct vespd_slot *s);

static void status_line(FILE *out, const struct vespd_slot *s)
{
	const struct vespd_tunnel_run *t = &s->run;
	const struct ike_child_sa *child = NULL;

	for (size_t i = 0; t->sa && i < IKE_MAX_CHILDREN; i++)
		if (t->sa->children[i].state == IKE_CHILD_INSTALLED)
			child = &t->sa->children[i];
	fprintf(out, "%s %s", t->conf->name, tunnel_state(s));
	if (t->sa)
		fprintf(out, " ike %016llx_%016llx",
			(unsigned long long)t->sa->spi_i, (unsigned long long)t->sa->spi_r);
	if (child)
		fprintf(out, " esp in %08x out %08x", child->spi_in, child->spi_out);
	fprintf(out, " path %zu established %u ike-rekeys %u\n", t->path + 1,
		t->established, t->ike_rekeys);
}

static const char *tunnel_state(const struct vespd_slot *s)
{
	const struct vespd_tunnel_run *t = &s->run;

	return s->stopped ? "stopped" : vespd_tunnel_run_up(t) ? "up" :
	       t->sa ? "connecting" : t->retry_at ? "waiting" : "down";
}

static const char *const sa_states[] = {
	[IKE_SA_STATE_CREATED] = "created",
	[IKE_SA_STATE_KEYED] = "keyed",
	[IKE_SA_STATE_ESTABLISHED] = "established",
	[IKE_SA_STATE_DELETED] = "deleted",
	[IKE_SA_STATE_FAILED] = "failed",
};

static const char *const child_states[] = {
	[IKE_CHILD_FREE] = "free",
	[IKE_CHILD_INSTALLED] = "installed",
	[IKE_CHILD_STANDBY] = "standby",
	[IKE_CHILD_REKEYED] = "rekeyed",
	[IKE_CHILD_REDUNDANT] = "redundant",
};

/* "192.0.2.1[500]", or "" when unknown. */
static const char *endpoint_text(const struct ike_endpoint *ep, char *buf, size_t size)
{
	char addr[INET6_ADDRSTRLEN];

	if (!ep->family || !inet_ntop(ep->family, ep->addr, addr, sizeof(addr)))
		return "";
	snprintf(buf, size, "%s[%u]", addr, ep->port);
	return buf;
}

static void ike_sa_json(struct vesp_json *j, const struct ike_sa *sa, bool current)
{
	char spi[40], ep[INET6_ADDRSTRLEN + 8];

	vesp_json_object_begin(j);
	snprintf(spi, sizeof(spi), "%016" PRIx64 "_%016" PRIx64, sa->spi_i, sa->spi_r);
	vesp_json_kv_string(j, "spi", spi);
	vesp_json_kv_string(j, "state", sa_states[sa->state]);
	vesp_json_kv_bool(j, "initiator", sa->initiator);
	vesp_json_kv_bool(j, "current", current);
	vesp_json_kv_string(j, "local", endpoint_text(&sa->local, ep, sizeof(ep)));
	vesp_json_kv_string(j, "remote", endpoint_text(&sa->remote, ep, sizeof(ep)));
	vesp_json_kv_bool(j, "mobike", sa->mobike.enabled);
	vesp_json_key(j, "children");
	vesp_json_array_begin(j);
	for (size_t i = 0; i < IKE_MAX_CHILDREN; i++) {
		const struct ike_child_sa *c = &sa->children[i];

		if (c->state == IKE_CHILD_FREE)
			continue;
		vesp_json_object_begin(j);
		vesp_json_kv_u64(j, "spi_in", c->spi_in);
		vesp_json_kv_u64(j, "spi_out", c->spi_out);
		vesp_json_kv_string(j, "state", child_states[c->state]);
		vesp_json_object_end(j);
	}
	vesp_json_array_end(j);
	vesp_json_object_end(j);
}

static void show_json(struct vespd *d, FILE *out)
{
	struct vesp_json j;

	vesp_json_init(&j, out);
	vesp_json_array_begin(&j);
	for (size_t i = 0; i < d->num_slots; i++) {
		const struct vespd_slot *s = d->slots[i];
		const struct vespd_tunnel_run *t = &s->run;

		vesp_json_object_begin(&j);
		vesp_json_kv_string(&j, "name", t->conf->name);
		vesp_json_kv_string(&j, "device", t->conf->device);
		vesp_json_kv_u64(&j, "peer_id", t->conf->ike.peer_id);
		vesp_json_kv_string(&j, "state", tunnel_state(s));
		vesp_json_kv_bool(&j, "initiate", t->conf->initiate);
		vesp_json_kv_u64(&j, "established", t->established);
		vesp_json_kv_u64(&j, "ike_rekeys", t->ike_rekeys);
		vesp_json_kv_u64(&j, "path", t->path + 1);
		vesp_json_kv_u64(&j, "path_changes", t->path_changes);
		vesp_json_key(&j, "ike_sas");
		vesp_json_array_begin(&j);
		if (t->sa)
			ike_sa_json(&j, t->sa, true);
		if (t->old_sa)
			ike_sa_json(&j, t->old_sa, false);
		vesp_json_array_end(&j);
		vesp_json_object_end(&j);
	}
	vesp_json_array_end(&j);
	fputc('\n', out);
}

static void ike_sa_text(FILE *out, const struct ike_sa *sa, bool current)
{
	fprintf(out, "  ike %016" PRIx64 "_%016" PRIx64 " %s, %s%s\n", sa->spi_i, sa->spi_r,
		sa_states[sa->state], sa->initiator ? "initiator" : "responder",
		current ? "" : ", being deleted");
	for (size_t i = 0; i < IKE_MAX_CHILDREN; i++) {
		const struct ike_child_sa *c = &sa->children[i];

		if (c->state != IKE_CHILD_FREE)
			fprintf(out, "    child esp in 0x%08x out 0x%08x %s\n", c->spi_in,
				c->spi_out, child_states[c->state]);
	}
}

static void show_text(struct vespd *d, FILE *out)
{
	for (size_t i = 0; i < d->num_slots; i++) {
		const struct vespd_slot *s = d->slots[i];
		const struct vespd_tunnel_run *t = &s->run;

		fprintf(out, "tunnel %s: %s, %s peer %u, established %u, ike-rekeys %u\n",
			t->conf->name, tunnel_state(s), t->conf->device, t->conf->ike.peer_id,
			t->established, t->ike_rekeys);
		if (t->sa)
			ike_sa_text(out, t->sa, true);
		if (t->old_sa)
			ike_sa_text(out, t->old_sa, false);
	}
}

static void answer(struct vespd *d, FILE *out, char *line)
{
	char *arg = strchr(line, ' ');
	struct vespd_slot *s;
	bool start;

	line[strcspn(line, "\r\n")] = '\0';
	if (arg)
		*arg++ = '\0';
	if (!strcmp(line, "status")) {
		for (size_t i = 0; i < d->num_slots; i++)
			status_line(out, d->slots[i]);
		return;
	}
	if (!strcmp(line, "show")) {
		if (arg && strcmp(arg, "json"))
			fprintf(out, "error: show takes nothing or 'json', not '%s'\n", arg);
		else if (arg)
			show_json(d, out);
		else
			show_text(d, out);
		return;
	}
	/* "up" and "down" are what vesp ike calls them */
	start = !strcmp(line, "start") || !strcmp(line, "up");
	if (!start && strcmp(line, "stop") && strcmp(line, "down")) {
		fprintf(out, "error: unknown command '%s'\n", line);
		return;
	}
	s = arg ? vespd_slot_find(d, arg) : NULL;
	if (!s) {
		fprintf(out, "error: no tunnel '%s'\n", arg ? arg : "");
		return;
	}
	if (start)
		vespd_slot_start(s);
	else
		vespd_slot_stop(s);
	vespd_log(LOG_NOTICE, "%s: %s by the operator", arg, start ? "started" : "stopped");
	fprintf(out, "ok\n");
}

void vespd_control_serve(struct vespd *d)
{
	char line[256];
	FILE *f;
	int fd = accept4(d->control_fd, NULL, NULL, SOCK_CLOEXEC);

	if (fd < 0)
		return;
	f = fdopen(fd, "r+");
	if (!f) {
		close(fd);
		return;
	}
	/* a client that sends nothing does not hold the daemon for long */
	setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &(struct timeval){ 1, 0 },
		   sizeof(struct timeval));
	if (fgets(line, sizeof(line), f))
		answer(d, f, line);
	fclose(f);
}
