// SPDX-License-Identifier: GPL-2.0
/* Reporting failures: see command.h. */
#include "command.h"

#include <stdio.h>

int report(const struct vesp_error *err)
{
	if (vesp_error_has_kernel_message(err))
		fprintf(stderr, "vesp: kernel: %s\n", err->kernel_message);
	else if (err->kernel_missing_attr)
		fprintf(stderr, "vesp: %s (the kernel is missing attribute %u)\n", err->text,
			err->kernel_missing_attr);
	else
		fprintf(stderr, "vesp: %s\n", err->text[0] ? err->text : "failed");
	return EXIT_FAILED;
}

int report_usage(const struct command *command, const char *sub, const struct vesp_error *err)
{
	report(err);
	/* a bad value is said in one line; a malformed command line gets the usage */
	if (err->syntax)
		print_command_usage(stderr, command, sub);
	return EXIT_FAILED;
}
