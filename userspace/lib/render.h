/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Rendering the data model: the output formats of the vesp command.
 *
 * Output formats are an API. Text: readable, with colour only when asked
 * (the caller decides: a terminal, NO_COLOR unset). Single fields: one
 * item per line, tab-separated, for scripts. JSON: in the `ip -j`
 * convention, an array of objects on one line; notifications are one
 * object per line. No format can show key material: the model has none.
 */
#ifndef VESP_LIB_RENDER_H
#define VESP_LIB_RENDER_H

#include <stdbool.h>
#include <stdio.h>

#include "model.h"
#include "reply.h"

struct vesp_render {
	FILE *out;
	bool color;
};

/* What "vesp show" prints: everything, or one field. */
enum vesp_show_field {
	VESP_SHOW_EVERYTHING,
	VESP_SHOW_PEERS,
	VESP_SHOW_SAS,
	VESP_SHOW_STATS,
	VESP_SHOW_FWMARK,
};

/* "peers" → VESP_SHOW_PEERS; -1 when @name is no field. */
int vesp_show_field_by_name(const char *name);

/* "vesp show [DEV]": each device with its peers, paths, SAs and drops. */
void vesp_render_show_text(const struct vesp_render *r, const struct vesp_dev_list *list);

/*
 * "vesp show DEV FIELD": one item per line, tab-separated; with
 * @with_ifname ("vesp show all FIELD") each line starts with the device.
 */
void vesp_render_field_text(const struct vesp_render *r, const struct vesp_dev_list *list,
			    enum vesp_show_field field, bool with_ifname);

/* "vesp -j show [DEV] [FIELD]" and "vesp -j stats": an array of device objects. */
void vesp_render_show_json(FILE *out, const struct vesp_dev_list *list,
			   enum vesp_show_field field);

/* "vesp sa list": one line per SA. */
void vesp_render_sa_list_text(const struct vesp_render *r, const struct vesp_dev_list *list);

/* "vesp -j sa list": an array of SA objects, each naming its device and peer. */
void vesp_render_sa_list_json(FILE *out, const struct vesp_dev_list *list);

/* "vesp stats": every drop counter of each device by name. */
void vesp_render_stats_text(const struct vesp_render *r, const struct vesp_dev_list *list);

/* "vesp monitor": one line per notification; @event NULL: notifications were lost. */
void vesp_render_event_text(const struct vesp_render *r, const struct vesp_event *event);
void vesp_render_event_json(FILE *out, const struct vesp_event *event);

#endif /* VESP_LIB_RENDER_H */
