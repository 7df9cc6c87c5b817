// SPDX-License-Identifier: GPL-2.0
/* vesp monitor: print notifications of the "events" multicast group. */
#include "command.h"

#include <errno.h>
#include <net/if.h>
#include <stdio.h>

#include "lib/reply.h"

/* Notifications may name the device by index only; find its name here. */
static void name_device(struct vesp_event *event)
{
	struct vesp_dev_info *dev;

	if (!event->devs.n_devs)
		return;
	dev = &event->devs.devs[0];
	if (!dev->ifname[0] && dev->ifindex && if_indextoname(dev->ifindex, dev->ifname))
		vesp_mark(&dev->present, VESP_A_IFNAME);
}

static int on_event(const struct nlmsghdr *hdr, void *arg, struct vesp_error *err)
{
	struct cli *cli = arg;
	struct vesp_event event;
	struct vesp_error parse_err = { 0 };

	(void)err;
	if (!hdr) {
		/* notifications were lost */
		if (cli->json)
			vesp_render_event_json(stdout, NULL);
		else
			vesp_render_event_text(&cli->render, NULL);
	} else if (vesp_event_parse(hdr, &event, &parse_err)) {
		/* one bad notification must not end the monitor */
		report(&parse_err);
	} else {
		name_device(&event);
		if (cli->json)
			vesp_render_event_json(stdout, &event);
		else
			vesp_render_event_text(&cli->render, &event);
		vesp_event_free(&event);
	}
	if (fflush(stdout) == EOF)
		return vesp_error_set(err, errno, "cannot write output");
	return 0;
}

int cmd_monitor(struct cli *cli, int argc, char **argv)
{
	struct vesp_error err = { 0 };

	if (argc > 0) {
		vesp_error_syntax(&err, "unexpected argument \"%s\"", argv[0]);
		return report_usage(command_named(commands, "monitor"), NULL, &err);
	}
	if (!cli_connect(cli))
		return EXIT_FAILED;
	if (vesp_nl_subscribe_events(cli->nl, &err))
		return report(&err);
	if (vesp_nl_listen(cli->nl, on_event, cli, &err))
		return report(&err);
	return 0;
}
