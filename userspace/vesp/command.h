/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The vesp command: its subcommand table, shared state, and the helpers
 * every subcommand uses to talk to the kernel and report failures.
 *
 * Exit status: 0 on success, 1 on any failure (a bad argument, a refusal
 * by the kernel, a missing module).
 */
#ifndef VESP_CLI_COMMAND_H
#define VESP_CLI_COMMAND_H

#include <stdbool.h>

#include <netlink/msg.h>

#include "lib/error.h"
#include "lib/ipc.h"
#include "lib/model.h"
#include "lib/render.h"

#define EXIT_FAILED 1

struct cli {
	bool json;		/* -j: JSON output */
	struct vesp_render render;	/* text output: stream and colour */
	struct vesp_nl *nl;	/* opened on first use */
};

struct command {
	const char *name;
	/* NULL for a group of subcommands */
	int (*run)(struct cli *cli, int argc, char **argv);
	/* the arguments after the name, for usage lines */
	const char *synopsis;
	const char *description;
	/* for commands made of subcommands ("peer add"), NULL-terminated */
	const struct command *subcommands;
};

/* The top-level commands (main.c), and the subcommands of each group. */
extern const struct command commands[];
extern const struct command peer_commands[];
extern const struct command path_commands[];
extern const struct command sa_commands[];

int cmd_show(struct cli *cli, int argc, char **argv);
int cmd_set(struct cli *cli, int argc, char **argv);
int cmd_stats(struct cli *cli, int argc, char **argv);
int cmd_monitor(struct cli *cli, int argc, char **argv);
int cmd_ike(struct cli *cli, int argc, char **argv);
int cmd_help(struct cli *cli, int argc, char **argv);

/* The command called @name in @table (NULL-terminated), or NULL. */
const struct command *command_named(const struct command *table, const char *name);

/* Run the subcommand of @group named argv[0] with the remaining words. */
int run_subcommand(struct cli *cli, const struct command *group, int argc, char **argv);

/* Print the usage lines of @command, of all its subcommands or only the one named @sub. */
void print_command_usage(FILE *out, const struct command *command, const char *sub);

/* "vesp: <text>" on stderr; the kernel's own message when it sent one. Returns EXIT_FAILED. */
int report(const struct vesp_error *err);

/*
 * A bad command line: "vesp: <message>", followed by the usage of @command
 * when the words were wrong (err->syntax) rather than a value. Returns
 * EXIT_FAILED.
 */
int report_usage(const struct command *command, const char *sub, const struct vesp_error *err);

/*
 * Check the device name argv[0] (reporting a usage error of @command, or
 * of its subcommand @sub, when it is missing or invalid) and make @dev
 * refer to it.
 */
bool cli_device(const struct command *command, const char *sub, int argc, char **argv,
		struct vesp_dev_ref *dev);

/* Open the netlink socket on first use; false after reporting why not. */
bool cli_connect(struct cli *cli);

/*
 * Send @msg (built, consumed) and wait for the ACK; prints the kernel's
 * warning on success and the failure otherwise. Returns the exit status.
 */
int cli_send(struct cli *cli, struct nl_msg *msg);

/* A builder failed on @msg: free it, report, return EXIT_FAILED. */
int cli_build_failed(struct nl_msg *msg);

/* A new request for @cmd, or NULL after reporting "out of memory". */
struct nl_msg *cli_request(struct cli *cli, uint8_t cmd, int flags);

#endif /* VESP_CLI_COMMAND_H */
