// SPDX-License-Identifier: GPL-2.0
/* vesp peer add|replace|del */
#include "command.h"

#include <errno.h>

#include <netlink/errno.h>

#include "lib/args.h"
#include "lib/request.h"

static int peer_new(struct cli *cli, int argc, char **argv, int flags)
{
	const char *sub = flags & NLM_F_REPLACE ? "replace" : "add";
	const struct command *group = command_named(commands, "peer");
	struct vesp_error err = { 0 };
	struct vesp_peer peer;
	struct vesp_dev_ref dev;
	struct nl_msg *msg;
	size_t n_prefixes;
	int ret;

	if (!cli_device(group, sub, argc, argv, &dev))
		return EXIT_FAILED;
	if (vesp_args_peer(argc - 1, argv + 1, &peer, &err))
		return report_usage(group, sub, &err);
	msg = cli_request(cli, VESP_CMD_PEER_NEW, flags);
	if (!msg) {
		vesp_peer_free(&peer);
		return EXIT_FAILED;
	}
	ret = vesp_request_peer(msg, &dev, &peer);
	n_prefixes = peer.n_prefixes;
	vesp_peer_free(&peer);
	if (ret == -NLE_ATTRSIZE) {
		vesp_request_free(msg);
		vesp_error_set(&err, E2BIG,
			       "%zu prefixes do not fit one request (at most %d IPv4 or %d IPv6 prefixes)",
			       n_prefixes, VESP_REQUEST_MAX_PREFIXES_V4,
			       VESP_REQUEST_MAX_PREFIXES_V6);
		return report(&err);
	}
	if (ret)
		return cli_build_failed(msg);
	return cli_send(cli, msg);
}

static int peer_add(struct cli *cli, int argc, char **argv)
{
	return peer_new(cli, argc, argv, 0);
}

static int peer_replace(struct cli *cli, int argc, char **argv)
{
	return peer_new(cli, argc, argv, NLM_F_REPLACE);
}

static int peer_set(struct cli *cli, int argc, char **argv)
{
	const char *sub = "set";
	const struct command *group = command_named(commands, "peer");
	struct vesp_error err = { 0 };
	struct vesp_dev_ref dev;
	struct vesp_peer peer;
	struct nl_msg *msg;
	int ret;

	if (!cli_device(group, sub, argc, argv, &dev))
		return EXIT_FAILED;
	if (vesp_args_peer_set(argc - 1, argv + 1, &peer, &err))
		return report_usage(group, sub, &err);
	msg = cli_request(cli, VESP_CMD_PEER_SET, 0);
	if (!msg)
		return EXIT_FAILED;
	ret = vesp_request_peer(msg, &dev, &peer);
	vesp_peer_free(&peer);
	if (ret)
		return cli_build_failed(msg);
	return cli_send(cli, msg);
}

static int peer_del(struct cli *cli, int argc, char **argv)
{
	const char *sub = "del";
	const struct command *group = command_named(commands, "peer");
	struct vesp_error err = { 0 };
	struct vesp_dev_ref dev;
	struct nl_msg *msg;
	uint32_t peer_id;

	if (!cli_device(group, sub, argc, argv, &dev))
		return EXIT_FAILED;
	if (vesp_args_peer_id(argc - 1, argv + 1, &peer_id, &err))
		return report_usage(group, sub, &err);
	msg = cli_request(cli, VESP_CMD_PEER_DEL, 0);
	if (!msg)
		return EXIT_FAILED;
	if (vesp_request_peer_id(msg, &dev, peer_id))
		return cli_build_failed(msg);
	return cli_send(cli, msg);
}

const struct command peer_commands[] = {
	{ "add", peer_add, "DEV ID [prefix PREFIX ...] [LIVENESS ...]",
	  "add a peer reached through the given inner prefixes", NULL },
	{ "replace", peer_replace, "DEV ID [prefix PREFIX ...] [LIVENESS ...]",
	  "replace the prefixes of an existing peer", NULL },
	{ "set", peer_set,
	  "DEV ID [liveness MS|off] [multiplier N] [hold-down MS] [roaming on|off]",
	  "change a peer's path liveness, failover and roaming settings", NULL },
	{ "del", peer_del, "DEV ID", "delete a peer with its paths and SAs", NULL },
	{ NULL, NULL, NULL, NULL, NULL }
};
