// SPDX-License-Identifier: GPL-2.0
/*
 * vesp: configure and inspect vesp tunnel interfaces over the "vesp"
 * generic netlink family. The subcommand table below is also the usage.
 */
#include "command.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <linux/vesp.h>

#include "lib/algorithm.h"

#ifndef VESP_VERSION
#define VESP_VERSION "0.1"
#endif

const struct command commands[] = {
	{ "show", cmd_show, "[DEV|all] [peers|sas|stats|fwmark]",
	  "show devices with their peers, paths, SAs and drops", NULL },
	{ "set", cmd_set, "DEV [fwmark N] [copy-dscp on|off] [carrier-liveness on|off]",
	  "change a device's settings", NULL },
	{ "peer", NULL, NULL, "add, replace or delete peers", peer_commands },
	{ "path", NULL, NULL, "add or delete a peer's underlay paths", path_commands },
	{ "sa", NULL, NULL, "install, change, activate, delete or list SAs", sa_commands },
	{ "stats", cmd_stats, "[DEV]", "show drop counters by name", NULL },
	{ "ike", cmd_ike, "[-s SOCKET] {show | up TUNNEL | down TUNNEL}",
	  "list vespd's IKE and Child SAs, start or stop its tunnels", NULL },
	{ "monitor", cmd_monitor, "", "print SA expire and acquire notifications", NULL },
	{ "help", cmd_help, "[COMMAND]", "show the usage of a command", NULL },
	{ NULL, NULL, NULL, NULL, NULL }
};

const struct command *command_named(const struct command *table, const char *name)
{
	for (; table->name; table++)
		if (!strcmp(table->name, name))
			return table;
	return NULL;
}

void print_command_usage(FILE *out, const struct command *command, const char *sub_name)
{
	const struct command *sub;
	const char *lead = "Usage:";

	if (!command->subcommands) {
		fprintf(out, "%s vesp %s%s%s\n", lead, command->name,
			command->synopsis[0] ? " " : "", command->synopsis);
		return;
	}
	for (sub = command->subcommands; sub->name; sub++) {
		if (sub_name && strcmp(sub->name, sub_name))
			continue;
		fprintf(out, "%s vesp %s %s%s%s\n", lead, command->name, sub->name,
			sub->synopsis[0] ? " " : "", sub->synopsis);
		lead = "      ";
	}
}

static void print_usage(FILE *out)
{
	const struct command *command;

	fputs("Usage: vesp [OPTIONS] COMMAND [ARGUMENTS]\n\nCommands:\n", out);
	for (command = commands; command->name; command++)
		fprintf(out, "  %-9s %s\n", command->name, command->description);
	fputs("\nOptions:\n"
	      "  -j, --json          JSON output, an array of objects as ip -j\n"
	      "      --color=WHEN    colour text output: auto (default), always, never\n"
	      "  -h, --help          show this help\n"
	      "  -V, --version       show the version\n"
	      "\nRun \"vesp help COMMAND\" for the arguments of a command.\n", out);
}

static void print_algorithms(FILE *out)
{
	const struct vesp_algorithm *alg;
	size_t i, column;

	fputs("\nALG is one of:", out);
	column = strlen("ALG is one of:");
	for (i = 0; (alg = vesp_algorithm_at(i)); i++) {
		if (column + strlen(alg->name) + 2 > 72) {
			fputs("\n ", out);
			column = 1;
		}
		column += (size_t)fprintf(out, " %s%s", alg->name,
					  vesp_algorithm_at(i + 1) ? "," : ".");
	}
	fputs("\nKEY is hex, @FILE (a file holding the hex) or - (standard input).\n"
	      "LIMIT is soft-bytes, hard-bytes (units K, M, G, T), soft-packets,\n"
	      "hard-packets (units k, M, G), soft-time or hard-time (units s, m, h, d).\n", out);
}

int cmd_help(struct cli *cli, int argc, char **argv)
{
	const struct command *command;
	struct vesp_error err = { 0 };

	(void)cli;
	if (argc < 1) {
		print_usage(stdout);
		return 0;
	}
	command = command_named(commands, argv[0]);
	if (!command) {
		vesp_error_set(&err, EINVAL, "unknown command \"%s\"", argv[0]);
		return report(&err);
	}
	print_command_usage(stdout, command, NULL);
	printf("\n%s.\n", command->description);
	if (command->subcommands == sa_commands)
		print_algorithms(stdout);
	return 0;
}

int run_subcommand(struct cli *cli, const struct command *group, int argc, char **argv)
{
	const struct command *sub;
	struct vesp_error err = { 0 };

	if (argc < 1) {
		vesp_error_syntax(&err, "%s: missing subcommand", group->name);
		return report_usage(group, NULL, &err);
	}
	sub = command_named(group->subcommands, argv[0]);
	if (!sub) {
		vesp_error_syntax(&err, "unknown %s subcommand \"%s\"", group->name, argv[0]);
		return report_usage(group, NULL, &err);
	}
	return sub->run(cli, argc - 1, argv + 1);
}

/* Set and not empty, as https://no-color.org asks. */
static bool env_set(const char *name)
{
	const char *value = getenv(name);

	return value && *value;
}

/* --color=WHEN; false on an unknown WHEN. */
static bool set_color(struct cli *cli, const char *when)
{
	if (!strcmp(when, "always"))
		cli->render.color = true;
	else if (!strcmp(when, "never"))
		cli->render.color = false;
	else if (!strcmp(when, "auto"))
		cli->render.color = isatty(STDOUT_FILENO) && !env_set("NO_COLOR") &&
				    !(getenv("TERM") && !strcmp(getenv("TERM"), "dumb"));
	else
		return false;
	return true;
}

int main(int argc, char **argv)
{
	struct cli cli = { .render = { .out = stdout } };
	const struct command *command;
	struct vesp_error err = { 0 };
	int i, status;

	set_color(&cli, "auto");
	for (i = 1; i < argc && argv[i][0] == '-'; i++) {
		const char *opt = argv[i];

		if (!strcmp(opt, "-j") || !strcmp(opt, "--json")) {
			cli.json = true;
		} else if (!strcmp(opt, "-h") || !strcmp(opt, "--help")) {
			print_usage(stdout);
			return 0;
		} else if (!strcmp(opt, "-V") || !strcmp(opt, "--version")) {
			printf("vesp %s (generic netlink family \"%s\" version %d)\n", VESP_VERSION,
			       VESP_GENL_NAME, VESP_GENL_VERSION);
			return 0;
		} else if (!strncmp(opt, "--color=", 8) || !strncmp(opt, "--colour=", 9)) {
			if (!set_color(&cli, strchr(opt, '=') + 1)) {
				vesp_error_set(&err, EINVAL, "invalid colour mode \"%s\"",
					       strchr(opt, '=') + 1);
				return report(&err);
			}
		} else {
			vesp_error_set(&err, EINVAL, "unknown option \"%s\"", opt);
			report(&err);
			print_usage(stderr);
			return EXIT_FAILED;
		}
	}
	if (i == argc) {
		/* like wg: no command shows everything */
		status = cmd_show(&cli, 0, argv + i);
		goto out;
	}
	command = command_named(commands, argv[i]);
	if (!command) {
		vesp_error_set(&err, EINVAL, "unknown command \"%s\"", argv[i]);
		report(&err);
		print_usage(stderr);
		return EXIT_FAILED;
	}
	if (command->subcommands)
		status = run_subcommand(&cli, command, argc - i - 1, argv + i + 1);
	else
		status = command->run(&cli, argc - i - 1, argv + i + 1);
out:
	if (fflush(stdout) == EOF && !status) {
		vesp_error_set(&err, errno, "cannot write output: %s", strerror(errno));
		status = report(&err);
	}
	vesp_nl_close(cli.nl);
	return status;
}
