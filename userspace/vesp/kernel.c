// SPDX-License-Identifier: GPL-2.0
/* Talking to the kernel on behalf of a subcommand: see command.h. */
#include "command.h"

#include <errno.h>
#include <stdio.h>

#include "lib/parse.h"
#include "lib/request.h"

bool cli_connect(struct cli *cli)
{
	struct vesp_error err = { 0 };

	if (cli->nl)
		return true;
	if (vesp_nl_open(&cli->nl, &err)) {
		report(&err);
		return false;
	}
	return true;
}

struct nl_msg *cli_request(struct cli *cli, uint8_t cmd, int flags)
{
	struct vesp_error err = { 0 };
	struct nl_msg *msg;

	if (!cli_connect(cli))
		return NULL;
	msg = vesp_nl_request(cli->nl, cmd, flags);
	if (!msg) {
		vesp_error_set(&err, ENOMEM, "out of memory");
		report(&err);
	}
	return msg;
}

int cli_send(struct cli *cli, struct nl_msg *msg)
{
	struct vesp_error err = { 0 };

	if (vesp_nl_transact(cli->nl, msg, NULL, NULL, &err))
		return report(&err);
	if (vesp_error_has_kernel_message(&err))
		fprintf(stderr, "vesp: kernel warning: %s\n", err.kernel_message);
	return 0;
}

bool cli_device(const struct command *command, const char *sub, int argc, char **argv,
		struct vesp_dev_ref *dev)
{
	struct vesp_error err = { 0 };

	if (argc < 1) {
		vesp_error_syntax(&err, "missing device");
		report_usage(command, sub, &err);
		return false;
	}
	if (vesp_parse_ifname(argv[0], &err)) {
		report(&err);
		return false;
	}
	*dev = (struct vesp_dev_ref){ .ifname = argv[0] };
	return true;
}

int cli_build_failed(struct nl_msg *msg)
{
	struct vesp_error err = { 0 };

	vesp_request_free(msg);
	vesp_error_set(&err, ENOMEM, "cannot build the request: out of memory");
	return report(&err);
}
