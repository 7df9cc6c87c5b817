// SPDX-License-Identifier: GPL-2.0
/*
 * libFuzzer harness for what libvesp reads from the kernel: replies and
 * notifications merged into the data model (lib/reply.c), extended ACKs
 * (lib/extack.c), and every rendering of what was accepted. Beyond "no
 * crash, no sanitizer report" it checks that a rejected message always
 * says why, and that JSON output of accepted input is one line.
 *
 * The first input byte chooses how the rest is read: as an NLMSG_ERROR,
 * an NLMSG_DONE, or a genl message.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "lib/extack.h"
#include "lib/render.h"
#include "lib/reply.h"

#define MAX_MESSAGE 65536

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static void die(const char *what)
{
	fprintf(stderr, "fuzz_vesp_reply: %s\n", what);
	abort();
}

/* Every output format of @list and @event, into a memory buffer. */
static void render_all(const struct vesp_dev_list *list, const struct vesp_event *event)
{
	struct vesp_render r;
	char *text = NULL, *newline;
	size_t len = 0;
	int field;

	r.out = open_memstream(&text, &len);
	if (!r.out)
		die("open_memstream");
	r.color = true;
	vesp_render_show_text(&r, list);
	for (field = VESP_SHOW_EVERYTHING; field <= VESP_SHOW_FWMARK; field++)
		vesp_render_field_text(&r, list, (enum vesp_show_field)field, true);
	vesp_render_sa_list_text(&r, list);
	vesp_render_stats_text(&r, list);
	if (event)
		vesp_render_event_text(&r, event);
	fclose(r.out);
	free(text);

	text = NULL;
	r.out = open_memstream(&text, &len);
	if (!r.out)
		die("open_memstream");
	vesp_render_show_json(r.out, list, VESP_SHOW_EVERYTHING);
	fclose(r.out);
	/* one line, whatever the names and numbers held */
	newline = strchr(text, '\n');
	if (!newline || newline[1] != '\0' || strlen(text) != len)
		die("JSON output is not one line");
	free(text);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static unsigned char buf[MAX_MESSAGE] __attribute__((aligned(8)));
	struct nlmsghdr *hdr = (struct nlmsghdr *)buf;
	struct vesp_dev_list list = { 0 };
	struct vesp_error err = { 0 };
	struct vesp_event event;
	uint8_t selector;
	int errnum;

	if (size < 1 + NLMSG_HDRLEN || size - 1 > MAX_MESSAGE)
		return 0;
	selector = data[0];
	memcpy(buf, data + 1, size - 1);
	/* libnl hands over only messages whose length fits what was read */
	hdr->nlmsg_len = (uint32_t)(size - 1);

	switch (selector % 3) {
	case 0:
		hdr->nlmsg_type = NLMSG_ERROR;
		if (vesp_extack_parse(hdr, &errnum, &err) == 0 && errnum < 0)
			die("negative errno");
		return 0;
	case 1:
		hdr->nlmsg_type = NLMSG_DONE;
		vesp_extack_parse(hdr, &errnum, &err);
		return 0;
	}

	if (vesp_reply_parse(hdr, &list, &err)) {
		if (!err.text[0])
			die("reply rejected without a reason");
	}
	if (vesp_event_parse(hdr, &event, &err)) {
		if (!err.text[0])
			die("notification rejected without a reason");
		render_all(&list, NULL);
	} else {
		render_all(&list, &event);
		vesp_event_free(&event);
	}
	vesp_dev_list_free(&list);
	return 0;
}
