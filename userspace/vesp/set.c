// SPDX-License-Identifier: GPL-2.0
/* vesp set DEV fwmark N */
#include "command.h"

#include <errno.h>

#include "lib/args.h"
#include "lib/request.h"

int cmd_set(struct cli *cli, int argc, char **argv)
{
	const struct command *self = command_named(commands, "set");
	struct vesp_error err = { 0 };
	struct vesp_dev_ref dev;
	struct nl_msg *msg;
	uint32_t fwmark;

	if (!cli_device(self, NULL, argc, argv, &dev))
		return EXIT_FAILED;
	if (vesp_args_dev_set(argc - 1, argv + 1, &fwmark, &err))
		return report_usage(self, NULL, &err);
	msg = cli_request(cli, VESP_CMD_DEV_SET, 0);
	if (!msg)
		return EXIT_FAILED;
	if (vesp_request_dev_set(msg, &dev, fwmark))
		return cli_build_failed(msg);
	return cli_send(cli, msg);
}
