// SPDX-License-Identifier: GPL-2.0
/*
 * The control socket: a Unix stream socket taking one line per connection
 * and answering in text, then closing. "status" lists every tunnel;
 * "start NAME" and "stop NAME" bring one up or down. Only root (the
 * socket's mode, 0600) may talk to it.
 */
#include "vespd.h"

#include <stdio.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/un.h>
#include <unistd.h>

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

static void status_line(FILE *out, const struct vespd_slot *s)
{
	const struct vespd_tunnel_run *t = &s->run;
	const struct ike_child_sa *child = NULL;

	for (size_t i = 0; t->sa && i < IKE_MAX_CHILDREN; i++)
		if (t->sa->children[i].state == IKE_CHILD_INSTALLED)
			child = &t->sa->children[i];
	fprintf(out, "%s %s", t->conf->name, s->stopped ? "stopped" :
		vespd_tunnel_run_up(t) ? "up" : t->sa ? "connecting" : "down");
	if (t->sa)
		fprintf(out, " ike %016llx_%016llx",
			(unsigned long long)t->sa->spi_i, (unsigned long long)t->sa->spi_r);
	if (child)
		fprintf(out, " esp in %08x out %08x", child->spi_in, child->spi_out);
	fprintf(out, " established %u ike-rekeys %u\n", t->established, t->ike_rekeys);
}

static void answer(struct vespd *d, FILE *out, char *line)
{
	char *arg = strchr(line, ' ');
	struct vespd_slot *s;

	line[strcspn(line, "\r\n")] = '\0';
	if (arg)
		*arg++ = '\0';
	if (!strcmp(line, "status")) {
		for (size_t i = 0; i < d->num_slots; i++)
			status_line(out, d->slots[i]);
		return;
	}
	if (strcmp(line, "start") && strcmp(line, "stop")) {
		fprintf(out, "error: unknown command '%s'\n", line);
		return;
	}
	s = arg ? vespd_slot_find(d, arg) : NULL;
	if (!s) {
		fprintf(out, "error: no tunnel '%s'\n", arg ? arg : "");
		return;
	}
	if (!strcmp(line, "start"))
		vespd_slot_start(s);
	else
		vespd_slot_stop(s);
	vespd_log(LOG_NOTICE, "%s: %s by the operator", arg, line);
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
