// SPDX-License-Identifier: GPL-2.0
/* vesp path add|del */
#include "command.h"

#include "lib/args.h"
#include "lib/request.h"

static int path_request(struct cli *cli, int argc, char **argv, uint8_t cmd)
{
	const char *sub = cmd == VESP_CMD_PATH_NEW ? "add" : "del";
	const struct command *group = command_named(commands, "path");
	struct vesp_error err = { 0 };
	struct vesp_dev_ref dev;
	struct vesp_path path;
	struct nl_msg *msg;
	uint32_t peer_id;
	int ret;

	if (!cli_device(group, sub, argc, argv, &dev))
		return EXIT_FAILED;
	if (cmd == VESP_CMD_PATH_NEW)
		ret = vesp_args_path_add(argc - 1, argv + 1, &peer_id, &path, &err);
	else
		ret = vesp_args_path_del(argc - 1, argv + 1, &peer_id, &path, &err);
	if (ret)
		return report_usage(group, sub, &err);
	msg = cli_request(cli, cmd, 0);
	if (!msg)
		return EXIT_FAILED;
	if (vesp_request_path(msg, &dev, peer_id, &path))
		return cli_build_failed(msg);
	return cli_send(cli, msg);
}

static int path_add(struct cli *cli, int argc, char **argv)
{
	return path_request(cli, argc, argv, VESP_CMD_PATH_NEW);
}

static int path_del(struct cli *cli, int argc, char **argv)
{
	return path_request(cli, argc, argv, VESP_CMD_PATH_DEL);
}

const struct command path_commands[] = {
	{ "add", path_add, "DEV PEER ID remote ADDR [local ADDR] [priority N]",
	  "add an underlay path to a peer (lower priority is preferred)", NULL },
	{ "del", path_del, "DEV PEER ID", "delete a path", NULL },
	{ NULL, NULL, NULL, NULL, NULL }
};
