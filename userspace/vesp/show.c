// SPDX-License-Identifier: GPL-2.0
/* vesp show [DEV|all] [peers|sas|stats|fwmark] */
#include "command.h"

#include <errno.h>
#include <string.h>

#include "lib/fetch.h"
#include "lib/parse.h"

/* What each view needs from the kernel besides the device itself. */
static unsigned int fetch_for(enum vesp_show_field field)
{
	switch (field) {
	case VESP_SHOW_EVERYTHING:
		return VESP_FETCH_PEERS | VESP_FETCH_STATS;
	case VESP_SHOW_PEERS:
	case VESP_SHOW_SAS:
		return VESP_FETCH_PEERS;
	case VESP_SHOW_STATS:
		return VESP_FETCH_STATS;
	case VESP_SHOW_FWMARK:
		break;
	}
	return 0;
}

int cmd_show(struct cli *cli, int argc, char **argv)
{
	const struct command *self = command_named(commands, "show");
	enum vesp_show_field field = VESP_SHOW_EVERYTHING;
	struct vesp_dev_list list = { 0 };
	struct vesp_error err = { 0 };
	const char *ifname = NULL;
	int found, status = 0;

	if (argc > 2) {
		vesp_error_syntax(&err, "unexpected argument \"%s\"", argv[2]);
		return report_usage(self, NULL, &err);
	}
	if (argc >= 1 && strcmp(argv[0], "all")) {
		if (vesp_parse_ifname(argv[0], &err))
			return report(&err);
		ifname = argv[0];
	}
	if (argc == 2) {
		found = vesp_show_field_by_name(argv[1]);
		if (found < 0) {
			vesp_error_syntax(&err, "unknown field \"%s\"", argv[1]);
			return report_usage(self, NULL, &err);
		}
		field = (enum vesp_show_field)found;
	}

	if (!cli_connect(cli))
		return EXIT_FAILED;
	if (vesp_fetch(cli->nl, ifname, fetch_for(field), &list, &err)) {
		status = report(&err);
		goto out;
	}
	if (cli->json)
		vesp_render_show_json(stdout, &list, field);
	else if (field == VESP_SHOW_EVERYTHING)
		vesp_render_show_text(&cli->render, &list);
	else
		vesp_render_field_text(&cli->render, &list, field, !ifname);
out:
	vesp_dev_list_free(&list);
	return status;
}
