// SPDX-License-Identifier: GPL-2.0
/* vesp stats [DEV] */
#include "command.h"

#include <errno.h>

#include "lib/fetch.h"
#include "lib/parse.h"

int cmd_stats(struct cli *cli, int argc, char **argv)
{
	struct vesp_dev_list list = { 0 };
	struct vesp_error err = { 0 };
	int status = 0;

	if (argc > 1) {
		vesp_error_syntax(&err, "unexpected argument \"%s\"", argv[1]);
		return report_usage(command_named(commands, "stats"), NULL, &err);
	}
	if (argc && vesp_parse_ifname(argv[0], &err))
		return report(&err);
	if (!cli_connect(cli))
		return EXIT_FAILED;
	if (vesp_fetch(cli->nl, argc ? argv[0] : NULL, VESP_FETCH_STATS, &list, &err)) {
		status = report(&err);
		goto out;
	}
	if (cli->json)
		vesp_render_show_json(stdout, &list, VESP_SHOW_STATS);
	else
		vesp_render_stats_text(&cli->render, &list);
out:
	vesp_dev_list_free(&list);
	return status;
}
