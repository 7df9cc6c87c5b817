// SPDX-License-Identifier: GPL-2.0
/* vespd's log: see log.h. */
#include "log.h"

#include <stdarg.h>
#include <stdio.h>

static bool use_syslog;
static int level_max = LOG_INFO;

void vespd_log_init(bool to_syslog, int max_level)
{
	use_syslog = to_syslog;
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
