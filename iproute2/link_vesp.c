// SPDX-License-Identifier: GPL-2.0
/*
 * link_vesp.so: "ip link ... type vesp" options for iproute2's ip(8).
 *
 *   ip link add vesp0 type vesp fwmark 0x10 copy-dscp on
 *   ip link set vesp0 type vesp copy-dscp off
 *   ip -d [-j] link show vesp0
 *   ip link help vesp
 *
 * ip dlopen()s this file for the kind "vesp" and uses vesp_link_util (see
 * iproute2_abi.h for how, and for the helpers borrowed from ip). Every
 * attribute of enum vesp_link_attrs in <linux/vesp.h> is one line of
 * u32_options[], every bit of enum vesp_link_flags one line of
 * flag_options[]: parsing, printing and the usage text all come from them.
 */
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <sys/socket.h>

#include <linux/if_link.h>
#include <linux/vesp.h>

#include "iproute2_abi.h"

/* An IFLA_VESP_* attribute holding a plain u32. */
struct vesp_u32_option {
	const char *keyword;	/* on the command line and in text output */
	const char *json_key;	/* in ip -j output, a number */
	int attr;
	bool hex;		/* shown as 0x..., as marks are */
	const char *value;	/* the value's name in the usage text */
	const char *help;
};

static const struct vesp_u32_option u32_options[] = {
	{ "fwmark", "fwmark", IFLA_VESP_FWMARK, true, "MARK",
	  "firewall mark of outer (ESP) packets, 0 for none" },
};

/* A bit of IFLA_VESP_FLAGS, set with "KEYWORD on" and cleared with "off". */
struct vesp_flag_option {
	const char *keyword;
	const char *json_key;	/* in ip -j output, true or false */
	__u32 bit;
	const char *help;
};

static const struct vesp_flag_option flag_options[] = {
	{ "copy-dscp", "copy_dscp", VESP_LINK_F_COPY_DSCP,
	  "copy the inner packet's DSCP to the outer header" },
	{ "carrier-liveness", "carrier_liveness", VESP_LINK_F_CARRIER_LIVENESS,
	  "carrier off while no peer has a live path and an SA" },
};

#define ARRAY_SIZE(a) (sizeof(a) / sizeof((a)[0]))

static void vesp_print_help(struct link_util *lu, int argc, char **argv, FILE *f)
{
	size_t i;

	(void)argc;
	(void)argv;
	fprintf(f, "Usage: ... %s", lu->id);
	for (i = 0; i < ARRAY_SIZE(u32_options); i++)
		fprintf(f, " [ %s %s ]", u32_options[i].keyword, u32_options[i].value);
	for (i = 0; i < ARRAY_SIZE(flag_options); i++)
		fprintf(f, "\n\t\t[ %s { on | off } ]", flag_options[i].keyword);
	fputs("\n\nWhere:", f);
	for (i = 0; i < ARRAY_SIZE(u32_options); i++)
		fprintf(f, "\t%s := 0..0xffffffff: %s\n", u32_options[i].value,
			u32_options[i].help);
	for (i = 0; i < ARRAY_SIZE(flag_options); i++)
		fprintf(f, "\t%s: %s\n", flag_options[i].keyword, flag_options[i].help);
	fputs("\n\"ip link set\" changes only the flags it names; \"add\" and\n"
	      "\"replace\" turn off every flag they do not name.\n", f);
}

static const struct rtattr *rta_find(const struct rtattr *rta, int len, int type)
{
	for (; RTA_OK(rta, len); rta = RTA_NEXT(rta, len))
		if ((rta->rta_type & ~NLA_F_NESTED) == type)
			return rta;
	return NULL;
}

static bool rta_u32(const struct rtattr *rta, __u32 *value)
{
	if (!rta || RTA_PAYLOAD(rta) < sizeof(__u32))
		return false;
	memcpy(value, RTA_DATA(rta), sizeof(*value));
	return true;
}

/*
 * The device's IFLA_VESP_FLAGS now, so that "ip link set" can change one
 * flag and keep the others: the kernel takes the attribute as a whole.
 * False after saying why.
 */
static bool current_flags(int ifindex, __u32 *flags)
{
	struct {
		struct nlmsghdr n;
		struct ifinfomsg i;
	} req = {
		.n.nlmsg_len = NLMSG_LENGTH(sizeof(struct ifinfomsg)),
		.n.nlmsg_flags = NLM_F_REQUEST,
		.n.nlmsg_type = RTM_GETLINK,
		.i.ifi_family = AF_UNSPEC,
		.i.ifi_index = ifindex,
	};
	const struct rtattr *linkinfo, *kind, *data;
	struct nlmsghdr *answer;
	struct ifinfomsg *ifi;
	bool ok = false;
	int len;

	if (rtnl_talk(&rth, &req.n, &answer) < 0)
		return false;
	ifi = NLMSG_DATA(answer);
	len = (int)answer->nlmsg_len - (int)NLMSG_LENGTH(sizeof(*ifi));
	linkinfo = len >= 0 ? rta_find(IFLA_RTA(ifi), len, IFLA_LINKINFO) : NULL;
	kind = linkinfo ? rta_find(RTA_DATA(linkinfo), RTA_PAYLOAD(linkinfo),
				   IFLA_INFO_KIND) : NULL;
	if (!kind || strnlen(RTA_DATA(kind), RTA_PAYLOAD(kind)) != strlen(VESP_LINK_KIND) ||
	    memcmp(RTA_DATA(kind), VESP_LINK_KIND, strlen(VESP_LINK_KIND))) {
		fprintf(stderr, "Error: the device is not a vesp device.\n");
		goto out;
	}
	data = rta_find(RTA_DATA(linkinfo), RTA_PAYLOAD(linkinfo), IFLA_INFO_DATA);
	*flags = 0;
	if (data)
		rta_u32(rta_find(RTA_DATA(data), RTA_PAYLOAD(data), IFLA_VESP_FLAGS), flags);
	ok = true;
out:
	free(answer);
	return ok;
}

static bool parse_u32_option(int argc, char **argv, __u32 given[], struct nlmsghdr *n)
{
	size_t i;
	__u32 value;

	for (i = 0; i < ARRAY_SIZE(u32_options); i++) {
		const struct vesp_u32_option *opt = &u32_options[i];

		if (strcmp(argv[0], opt->keyword))
			continue;
		if (argc < 2)
			incomplete_command();
		if (given[i])
			duparg(opt->keyword, argv[1]);
		if (get_u32(&value, argv[1], 0))
			invarg("not a number from 0 to 0xffffffff", argv[1]);
		addattr32(n, IPROUTE2_REQ_MAXLEN, opt->attr, value);
		given[i] = 1;
		return true;
	}
	return false;
}

static bool parse_flag_option(int argc, char **argv, __u32 *set, __u32 *named)
{
	size_t i;

	for (i = 0; i < ARRAY_SIZE(flag_options); i++) {
		const struct vesp_flag_option *opt = &flag_options[i];

		if (strcmp(argv[0], opt->keyword))
			continue;
		if (argc < 2)
			incomplete_command();
		if (*named & opt->bit)
			duparg(opt->keyword, argv[1]);
		if (!strcmp(argv[1], "on"))
			*set |= opt->bit;
		else if (strcmp(argv[1], "off"))
			invarg("must be \"on\" or \"off\"", argv[1]);
		*named |= opt->bit;
		return true;
	}
	return false;
}

static int vesp_parse_opt(struct link_util *lu, int argc, char **argv, struct nlmsghdr *n)
{
	const struct ifinfomsg *ifi = NLMSG_DATA(n);
	__u32 given[ARRAY_SIZE(u32_options)] = { 0 };
	__u32 set = 0, named = 0, flags = 0;

	for (; argc > 0; argc -= 2, argv += 2) {
		if (parse_u32_option(argc, argv, given, n) ||
		    parse_flag_option(argc, argv, &set, &named))
			continue;
		if (strcmp(argv[0], "help"))
			fprintf(stderr, "Error: unknown vesp option \"%s\".\n", argv[0]);
		vesp_print_help(lu, 0, NULL, stderr);
		return -1;
	}
	if (!named)
		return 0;
	if (!(n->nlmsg_flags & NLM_F_CREATE) && !current_flags(ifi->ifi_index, &flags))
		return -1;
	flags = (flags & ~named) | set;
	addattr32(n, IPROUTE2_REQ_MAXLEN, IFLA_VESP_FLAGS, flags);
	return 0;
}

static void vesp_print_opt(struct link_util *lu, FILE *f, struct rtattr *tb[])
{
	char text_format[64];
	__u32 value, known = 0;
	size_t i;

	(void)lu;
	(void)f;	/* ip's print helpers write to stdout themselves */
	if (!tb)
		return;
	for (i = 0; i < ARRAY_SIZE(u32_options); i++) {
		const struct vesp_u32_option *opt = &u32_options[i];

		if (!rta_u32(tb[opt->attr], &value))
			continue;
		snprintf(text_format, sizeof(text_format), "%s %s ", opt->keyword,
			 opt->hex ? "%#llx" : "%u");
		print_color_uint(PRINT_JSON, COLOR_NONE, opt->json_key, NULL, value);
		if (opt->hex)
			print_color_0xhex(PRINT_FP, COLOR_NONE, NULL, text_format, value);
		else
			print_color_uint(PRINT_FP, COLOR_NONE, NULL, text_format, value);
	}
	if (!rta_u32(tb[IFLA_VESP_FLAGS], &value))
		return;
	for (i = 0; i < ARRAY_SIZE(flag_options); i++) {
		const struct vesp_flag_option *opt = &flag_options[i];

		snprintf(text_format, sizeof(text_format), "%s %%s ", opt->keyword);
		print_color_on_off(PRINT_ANY, COLOR_NONE, opt->json_key, text_format,
				   value & opt->bit);
		known |= opt->bit;
	}
	/* bits of a module newer than this plugin: shown, not lost */
	if (value & ~known)
		print_color_0xhex(PRINT_ANY, COLOR_NONE, "unknown_flags",
				  "unknown-flags %#llx ", value & ~known);
}

/* The one symbol ip looks up: "KIND_link_util". */
__attribute__((visibility("default")))
struct link_util vesp_link_util = {
	.id = VESP_LINK_KIND,
	.maxattr = IFLA_VESP_MAX,
	.parse_opt = vesp_parse_opt,
	.print_opt = vesp_print_opt,
	.print_help = vesp_print_help,
};
