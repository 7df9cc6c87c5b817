/* SPDX-License-Identifier: GPL-2.0 */
/*
 * vespd's log: one line per event to stderr (in the foreground; with a
 * "<N>" priority prefix when stderr is the systemd journal) or syslog,
 * with syslog levels; lines below the configured level are dropped. Keys
 * are never passed here: the engine's messages never contain them.
 */
#ifndef VESPD_LOG_H
#define VESPD_LOG_H

#include <stdbool.h>
#include <syslog.h>

void vespd_log_init(bool to_syslog, int max_level);

void vespd_log(int level, const char *fmt, ...) __attribute__((format(printf, 2, 3)));

/* The tunnels' log hook (struct vespd_tunnel_env). */
void vespd_log_tunnel(void *ctx, int level, const char *tunnel, const char *text);

#endif /* VESPD_LOG_H */
