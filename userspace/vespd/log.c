// SPDX-License-Identifier: GPL-2.0
/* vespd's log: see log.h. */
#include "log.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <sys/stat.h>
#include <unistd.h>

static bool use_syslog;
static bool stderr_to_journal;
static int level_max = LOG_INFO;

/*
 * Is stderr systemd's stream to the journal? systemd.exec(5) sets
 * $JOURNAL_STREAM to its "device:inode"; the journal then reads a "<N>"
 * line prefix as the line's syslog priority (sd-daemon(3)).
 */
static bool stderr_is_journal(void)
{
	const char *stream = getenv("JOURNAL_STREAM");
	unsigned long long dev, ino;
	struct stat st;

	return stream && sscanf(stream, "%llu:%llu", &dev, &ino) == 2 &&
	       !fstat(STDERR_FILENO, &st) && st.st_dev == dev && st.st_ino == ino;
}

void vespd_log_init(bool to_syslog, int max_level)
{
	use_syslog = to_syslog;
	stderr_to_journal = !to_syslog && stderr_is_journal();
	level_max = max_level;
	if (to_syslog)
		openlog("vespd", LOG_PID, LOG_DAEMON);
}

static void emit(int level, const char *text)
{
	static const char *const names[] = {
		"emerg", "alert", "crit", "error", "warning", "notice", "info", "debug",
	};

	if (level > level_max)
		return;
	if (use_syslog)
		syslog(level, "%s", text);
	else if (stderr_to_journal)
		fprintf(stderr, "<%d>%s\n", level & 7, text);
	else
		fprintf(stderr, "vespd: %s: %s\n", names[level & 7], text);
}

void vespd_log(int level, const char *fmt, ...)
{
	char text[512];
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(text, sizeof(text), fmt, ap);
	va_end(ap);
	emit(level, text);
}

void vespd_log_tunnel(void *ctx, int level, const char *tunnel, const char *text)
{
	(void)ctx;
	vespd_log(level, "%s: %s", tunnel, text);
}
