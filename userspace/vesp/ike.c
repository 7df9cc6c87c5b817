// SPDX-License-Identifier: GPL-2.0
/*
 * vesp ike [-s SOCKET] show | up TUNNEL | down TUNNEL: vespd's IKE SAs and
 * Child SAs, and its tunnels started or stopped, over vespd's control
 * socket (one line out, the answer back; see vespd(8)).
 */
#include "command.h"

#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/un.h>
#include <unistd.h>

#define VESPD_SOCKET "/run/vespd.sock"

/* Connect to vespd at @path; -1 after setting @err. */
static int vespd_connect(const char *path, struct vesp_error *err)
{
	struct sockaddr_un addr = { .sun_family = AF_UNIX };
	int fd;

	if (strlen(path) >= sizeof(addr.sun_path)) {
		vesp_error_set(err, ENAMETOOLONG, "socket path \"%s\" too long", path);
		return -1;
	}
	strcpy(addr.sun_path, path);
	fd = socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0);
	if (fd < 0) {
		vesp_error_set(err, errno, "cannot create a socket: %s", strerror(errno));
		return -1;
	}
	if (connect(fd, (struct sockaddr *)&addr, sizeof(addr)) < 0) {
		int saved = errno;

		close(fd);
		vesp_error_set(err, saved, "cannot reach vespd at %s: %s%s", path,
			       strerror(saved), saved == ENOENT || saved == ECONNREFUSED ?
			       " (is vespd running? -s names another socket)" : "");
		return -1;
	}
	return fd;
}

/* Send @request, copy the answer to stdout; an "error: " answer fails. */
static int vespd_ask(const char *path, const char *request, bool quiet_ok)
{
	struct vesp_error err = { 0 };
	char answer[65536];
	size_t len = 0;
	ssize_t n;
	int fd = vespd_connect(path, &err);

	if (fd < 0)
		return report(&err);
	if (write(fd, request, strlen(request)) != (ssize_t)strlen(request)) {
		vesp_error_set(&err, errno, "cannot talk to vespd at %s: %s", path,
			       strerror(errno));
		close(fd);
		return report(&err);
	}
	shutdown(fd, SHUT_WR);
	while (len < sizeof(answer) - 1 &&
	       (n = read(fd, answer + len, sizeof(answer) - 1 - len)) > 0)
		len += (size_t)n;
	close(fd);
	answer[len] = '\0';
	if (!len) {
		vesp_error_set(&err, EPROTO, "vespd at %s closed without an answer", path);
		return report(&err);
	}
	if (!strncmp(answer, "error: ", 7)) {
		answer[strcspn(answer, "\n")] = '\0';
		vesp_error_set(&err, EINVAL, "vespd: %s", answer + 7);
		return report(&err);
	}
	if (!(quiet_ok && !strcmp(answer, "ok\n")))
		fputs(answer, stdout);
	return 0;
}

int cmd_ike(struct cli *cli, int argc, char **argv)
{
	const struct command *self = command_named(commands, "ike");
	const char *path = VESPD_SOCKET;
	struct vesp_error err = { 0 };
	char request[256];
	int i = 0;

	if (argc >= 2 && !strcmp(argv[0], "-s")) {
		path = argv[1];
		i = 2;
	}
	if (i == argc) {
		vesp_error_syntax(&err, "ike: missing subcommand");
		return report_usage(self, NULL, &err);
	}
	if (!strcmp(argv[i], "show") && argc == i + 1)
		return vespd_ask(path, cli->json ? "show json\n" : "show\n", false);
	if ((!strcmp(argv[i], "up") || !strcmp(argv[i], "down")) && argc == i + 2) {
		if (!*argv[i + 1] || strpbrk(argv[i + 1], " \t\r\n/") ||
		    strlen(argv[i + 1]) > 64) {
			vesp_error_set(&err, EINVAL, "invalid tunnel name \"%s\"", argv[i + 1]);
			return report(&err);
		}
		snprintf(request, sizeof(request), "%s %s\n", argv[i], argv[i + 1]);
		return vespd_ask(path, request, true);
	}
	vesp_error_syntax(&err, "ike: unexpected arguments at \"%s\"", argv[i]);
	return report_usage(self, NULL, &err);
}
