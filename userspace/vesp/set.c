// SPDX-License-Identifier: GPL-2.0
/* vesp set DEV [fwmark N] [copy-dscp on|off] [carrier-liveness on|off] */
#include "command.h"

#include <errno.h>

#include "lib/args.h"
#include "lib/fetch.h"
#include "lib/request.h"

/* The device's flags now: a flag is set by sending the whole word. */
static int current_flags(struct cli *cli, const char *ifname, uint32_t *flags)
{
	struct vesp_dev_list list = { 0 };
	struct vesp_error err = { 0 };
	int status = 0;

	if (vesp_fetch(cli->nl, ifname, 0, &list, &err)) {
		status = report(&err);
	} else if (!list.n_devs || !vesp_has(list.devs[0].present, VESP_A_FLAGS)) {
		vesp_error_set(&err, EPROTO, "the kernel did not report the device's flags");
		status = report(&err);
	} else {
		*flags = list.devs[0].flags;
	}
	vesp_dev_list_free(&list);
	return status;
}

int cmd_set(struct cli *cli, int argc, char **argv)
{
	const struct command *self = command_named(commands, "set");
	struct vesp_dev_settings set;
	struct vesp_error err = { 0 };
	struct vesp_dev_ref dev;
	uint32_t flags = 0;
	struct nl_msg *msg;

	if (!cli_device(self, NULL, argc, argv, &dev))
		return EXIT_FAILED;
	if (vesp_args_dev_set(argc - 1, argv + 1, &set, &err))
		return report_usage(self, NULL, &err);
	if (!cli_connect(cli))
		return EXIT_FAILED;
	if (vesp_has(set.present, VESP_A_FLAGS) && current_flags(cli, argv[0], &flags))
		return EXIT_FAILED;
	msg = cli_request(cli, VESP_CMD_DEV_SET, 0);
	if (!msg)
		return EXIT_FAILED;
	if (vesp_request_dev_set(msg, &dev, &set, flags))
		return cli_build_failed(msg);
	return cli_send(cli, msg);
}
