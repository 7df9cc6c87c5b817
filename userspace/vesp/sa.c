// SPDX-License-Identifier: GPL-2.0
/* vesp sa add|set|activate|del|list */
#include "command.h"

#include <errno.h>

#include "lib/args.h"
#include "lib/fetch.h"
#include "lib/parse.h"
#include "lib/request.h"

typedef int (*sa_args_parser)(int argc, char **argv, struct vesp_sa_args *args,
			      struct vesp_error *err);

/* Parse, build and send one SA request; keys are wiped whatever happens. */
static int sa_request(struct cli *cli, const char *sub, int argc, char **argv, uint8_t cmd,
		      sa_args_parser parse)
{
	const struct command *group = command_named(commands, "sa");
	struct vesp_error err = { 0 };
	struct vesp_sa_args args;
	struct vesp_dev_ref dev;
	struct nl_msg *msg;
	int ret;

	if (!cli_device(group, sub, argc, argv, &dev))
		return EXIT_FAILED;
	if (parse(argc - 1, argv + 1, &args, &err))
		return report_usage(group, sub, &err);
	msg = cli_request(cli, cmd, 0);
	if (!msg) {
		vesp_sa_keys_wipe(&args.keys);
		return EXIT_FAILED;
	}
	ret = vesp_request_sa(msg, &dev, args.peer_id, &args.sa, &args.keys);
	vesp_sa_keys_wipe(&args.keys);
	if (ret)
		return cli_build_failed(msg);
	return cli_send(cli, msg);
}

static int sa_add(struct cli *cli, int argc, char **argv)
{
	return sa_request(cli, "add", argc, argv, VESP_CMD_SA_NEW, vesp_args_sa_add);
}

static int sa_set(struct cli *cli, int argc, char **argv)
{
	return sa_request(cli, "set", argc, argv, VESP_CMD_SA_SET, vesp_args_sa_set);
}

static int sa_activate(struct cli *cli, int argc, char **argv)
{
	return sa_request(cli, "activate", argc, argv, VESP_CMD_SA_SET, vesp_args_sa_activate);
}

static int sa_del(struct cli *cli, int argc, char **argv)
{
	return sa_request(cli, "del", argc, argv, VESP_CMD_SA_DEL, vesp_args_sa_del);
}

static int sa_list(struct cli *cli, int argc, char **argv)
{
	struct vesp_dev_list list = { 0 };
	struct vesp_error err = { 0 };
	int status = 0;

	if (argc > 1) {
		vesp_error_syntax(&err, "unexpected argument \"%s\"", argv[1]);
		return report_usage(command_named(commands, "sa"), "list", &err);
	}
	if (argc && vesp_parse_ifname(argv[0], &err))
		return report(&err);
	if (!cli_connect(cli))
		return EXIT_FAILED;
	if (vesp_fetch(cli->nl, argc ? argv[0] : NULL, VESP_FETCH_SAS, &list, &err)) {
		status = report(&err);
		goto out;
	}
	if (cli->json)
		vesp_render_sa_list_json(stdout, &list);
	else
		vesp_render_sa_list_text(&cli->render, &list);
out:
	vesp_dev_list_free(&list);
	return status;
}

const struct command sa_commands[] = {
	{ "add", sa_add,
	  "DEV PEER in|out spi SPI alg ALG enc-key KEY [auth-key KEY] [esn]\n"
	  "              [replay-window N] [active] [LIMIT VALUE ...]",
	  "install an SA for a peer", NULL },
	{ "set", sa_set, "DEV PEER in|out SPI [active] [LIMIT VALUE ...]",
	  "change an SA's lifetimes, or make an outbound SA active", NULL },
	{ "activate", sa_activate, "DEV PEER SPI",
	  "make the outbound SA the one in use, atomically", NULL },
	{ "del", sa_del, "DEV PEER in|out SPI", "delete an SA", NULL },
	{ "list", sa_list, "[DEV]", "list SAs with their counters (never their keys)", NULL },
	{ NULL, NULL, NULL, NULL, NULL }
};
