// SPDX-License-Identifier: GPL-2.0
/*
 * vesp-rtnl: create, change and inspect vesp links over rtnetlink, with
 * whatever IFLA_INFO_DATA a test needs. Debian's ip(8) has no vesp plugin,
 * so it can send neither IFLA_VESP_* attributes nor malformed ones.
 *
 *   vesp-rtnl add NAME [ARG]...  RTM_NEWLINK with NLM_F_CREATE | NLM_F_EXCL
 *   vesp-rtnl set NAME [ARG]...  RTM_NEWLINK on an existing link (changelink)
 *   vesp-rtnl get NAME           print IFLA_INFO_DATA as "fwmark N", "flags N"
 *
 *   ARG := mtu N | fwmark N | flags N | raw TYPE {u8|u16|u32|u64|bytes} VALUE
 *
 * Numbers may be decimal or 0x-hex; "bytes" takes hex digits ("" for an
 * empty attribute). Everything but mtu goes into IFLA_INFO_DATA in the order
 * given, so duplicates and wrongly sized attributes reach the kernel as
 * written. A kernel error is printed the way ip(8) prints it, "Error: <extack
 * message>", or "RTNETLINK answers: <strerror>" when there is no message;
 * the exit status is then 1, and 2 for a usage error.
 */
#include <errno.h>
#include <net/if.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>

#include <linux/if_link.h>
#include <linux/netlink.h>
#include <linux/rtnetlink.h>
#include <linux/vesp.h>

#include <netlink/attr.h>
#include <netlink/msg.h>
#include <netlink/netlink.h>
#include <netlink/socket.h>

/* Longest "bytes" value accepted; far more than any test needs. */
#define RAW_BYTES_MAX	1024

struct kernel_error {
	int error;		/* negative errno from NLMSG_ERROR */
	char msg[256];		/* NLMSGERR_ATTR_MSG, "" if none */
};

struct link_request {
	const char *name;
	bool has_mtu;
	uint32_t mtu;
	struct nl_msg *info_data;	/* attributes only, no header */
};

struct link_info {
	bool found;
	const char *kind;
	bool has_fwmark, has_flags;
	uint32_t fwmark, flags;
	const char *problem;	/* set when the reply is malformed */
};

static void __attribute__((noreturn)) usage(void)
{
	fprintf(stderr,
		"Usage: vesp-rtnl add NAME [ARG]...\n"
		"       vesp-rtnl set NAME [ARG]...\n"
		"       vesp-rtnl get NAME\n"
		"ARG := mtu N | fwmark N | flags N |\n"
		"       raw TYPE {u8|u16|u32|u64|bytes} VALUE\n");
	exit(2);
}

static void __attribute__((noreturn, format(printf, 1, 2)))
usage_error(const char *fmt, ...)
{
	va_list ap;

	fprintf(stderr, "vesp-rtnl: ");
	va_start(ap, fmt);
	vfprintf(stderr, fmt, ap);
	va_end(ap);
	fprintf(stderr, "\n");
	exit(2);
}

static uint64_t parse_uint(const char *what, const char *s, uint64_t max)
{
	unsigned long long val;
	char *end;

	/* strtoull() would silently negate "-1". */
	if (*s == '-' || *s == '\0')
		usage_error("invalid %s \"%s\"", what, s);
	errno = 0;
	val = strtoull(s, &end, 0);
	if (errno || *end || val > max)
		usage_error("invalid %s \"%s\" (max %llu)", what, s,
			    (unsigned long long)max);
	return val;
}

static int hex_digit(char c)
{
	if (c >= '0' && c <= '9')
		return c - '0';
	if (c >= 'a' && c <= 'f')
		return c - 'a' + 10;
	if (c >= 'A' && c <= 'F')
		return c - 'A' + 10;
	return -1;
}

static int put_raw_bytes(struct nl_msg *msg, uint16_t type, const char *hex)
{
	unsigned char buf[RAW_BYTES_MAX];
	size_t len = strlen(hex), i;

	if (len % 2 || len / 2 > sizeof(buf))
		usage_error("invalid bytes \"%s\" (even number of hex digits, at most %d bytes)",
			    hex, RAW_BYTES_MAX);
	for (i = 0; i < len / 2; i++) {
		int hi = hex_digit(hex[2 * i]), lo = hex_digit(hex[2 * i + 1]);

		if (hi < 0 || lo < 0)
			usage_error("invalid bytes \"%s\"", hex);
		buf[i] = hi << 4 | lo;
	}
	return nla_put(msg, type, len / 2, buf);
}

/* raw TYPE WIDTH VALUE: exactly the attribute a test asks for. */
static void put_raw(struct nl_msg *msg, const char *type_arg,
		    const char *width, const char *value)
{
	uint16_t type = parse_uint("attribute type", type_arg, UINT16_MAX);
	int err;

	if (!strcmp(width, "u8"))
		err = nla_put_u8(msg, type, parse_uint("u8", value, UINT8_MAX));
	else if (!strcmp(width, "u16"))
		err = nla_put_u16(msg, type, parse_uint("u16", value, UINT16_MAX));
	else if (!strcmp(width, "u32"))
		err = nla_put_u32(msg, type, parse_uint("u32", value, UINT32_MAX));
	else if (!strcmp(width, "u64"))
		err = nla_put_u64(msg, type, parse_uint("u64", value, UINT64_MAX));
	else if (!strcmp(width, "bytes"))
		err = put_raw_bytes(msg, type, value);
	else
		usage_error("unknown width \"%s\" (u8, u16, u32, u64 or bytes)", width);
	if (err < 0)
		usage_error("too many attributes");
}

static void put_u32(struct nl_msg *msg, uint16_t type, const char *what,
		    const char *value)
{
	if (nla_put_u32(msg, type, parse_uint(what, value, UINT32_MAX)) < 0)
		usage_error("too many attributes");
}

static void parse_link_args(struct link_request *req, int argc, char **argv)
{
	int i;

	for (i = 0; i < argc; i += 2) {
		const char *key = argv[i];

		if (i + 1 >= argc)
			usage_error("\"%s\" needs a value", key);
		if (!strcmp(key, "mtu")) {
			req->has_mtu = true;
			req->mtu = parse_uint("mtu", argv[i + 1], UINT32_MAX);
		} else if (!strcmp(key, "fwmark")) {
			put_u32(req->info_data, IFLA_VESP_FWMARK, key, argv[i + 1]);
		} else if (!strcmp(key, "flags")) {
			put_u32(req->info_data, IFLA_VESP_FLAGS, key, argv[i + 1]);
		} else if (!strcmp(key, "raw")) {
			if (i + 3 >= argc)
				usage_error("raw needs TYPE, WIDTH and VALUE");
			put_raw(req->info_data, argv[i + 1], argv[i + 2], argv[i + 3]);
			i += 2;
		} else {
			usage_error("unknown argument \"%s\"", key);
		}
	}
}

/*
 * libnl passes nlmsg_data() of the NLMSG_ERROR message, so its header sits
 * right before. The extended ACK attributes follow the nlmsgerr and, unless
 * the kernel capped it, the request it echoes (see linux/netlink.h).
 */
static int error_cb(struct sockaddr_nl *who, struct nlmsgerr *err, void *arg)
{
	const struct nlmsghdr *nlh = (const void *)((char *)err - NLMSG_HDRLEN);
	struct nlattr *tb[NLMSGERR_ATTR_MAX + 1];
	struct kernel_error *kerr = arg;
	size_t payload = sizeof(*err), total;

	(void)who;
	kerr->error = err->error;
	kerr->msg[0] = '\0';
	if (!(nlh->nlmsg_flags & NLM_F_ACK_TLVS))
		return NL_STOP;
	if (!(nlh->nlmsg_flags & NLM_F_CAPPED)) {
		if (err->msg.nlmsg_len < sizeof(err->msg))
			return NL_STOP;
		payload += err->msg.nlmsg_len - sizeof(err->msg);
	}
	total = NLMSG_HDRLEN + NLMSG_ALIGN(payload);
	if (total > nlh->nlmsg_len)
		return NL_STOP;
	if (nla_parse(tb, NLMSGERR_ATTR_MAX,
		      (struct nlattr *)((char *)err + NLMSG_ALIGN(payload)),
		      nlh->nlmsg_len - total, NULL) < 0)
		return NL_STOP;
	if (tb[NLMSGERR_ATTR_MSG])
		nla_strlcpy(kerr->msg, tb[NLMSGERR_ATTR_MSG], sizeof(kerr->msg));
	return NL_STOP;
}

static int report_error(const struct kernel_error *kerr, int nlerr)
{
	if (kerr->msg[0])
		fprintf(stderr, "Error: %s\n", kerr->msg);
	else if (kerr->error)
		fprintf(stderr, "RTNETLINK answers: %s\n", strerror(-kerr->error));
	else
		fprintf(stderr, "vesp-rtnl: %s\n", nl_geterror(nlerr));
	return 1;
}

static struct nl_msg *link_msg(int type, int flags, const char *name)
{
	struct ifinfomsg ifi = { .ifi_family = AF_UNSPEC };
	struct nl_msg *msg = nlmsg_alloc_simple(type, flags);

	if (!msg || nlmsg_append(msg, &ifi, sizeof(ifi), NLMSG_ALIGNTO) < 0 ||
	    nla_put_string(msg, IFLA_IFNAME, name) < 0) {
		fprintf(stderr, "vesp-rtnl: out of memory\n");
		exit(1);
	}
	return msg;
}

static int link_change(struct nl_sock *sk, struct kernel_error *kerr,
		       const struct link_request *req, bool create)
{
	const struct nlmsghdr *data = nlmsg_hdr(req->info_data);
	struct nl_msg *msg;
	struct nlattr *linkinfo;
	int err;

	msg = link_msg(RTM_NEWLINK, create ? NLM_F_CREATE | NLM_F_EXCL : 0,
		       req->name);
	if (req->has_mtu && nla_put_u32(msg, IFLA_MTU, req->mtu) < 0)
		goto too_long;
	linkinfo = nla_nest_start(msg, IFLA_LINKINFO);
	if (!linkinfo || nla_put_string(msg, IFLA_INFO_KIND, VESP_LINK_KIND) < 0)
		goto too_long;
	/* Without NLA_F_NESTED, as ip(8) sends it: the module must take that. */
	if (nlmsg_datalen(data) &&
	    nla_put_nested(msg, IFLA_INFO_DATA, req->info_data) < 0)
		goto too_long;
	nla_nest_end(msg, linkinfo);

	/* Frees msg; the ACK or error goes through error_cb. */
	err = nl_send_sync(sk, msg);
	return err < 0 ? report_error(kerr, err) : 0;

too_long:
	nlmsg_free(msg);
	fprintf(stderr, "vesp-rtnl: message too long\n");
	return 1;
}

static int get_u32(const struct nlattr *attr, uint32_t *val, bool *has)
{
	if (nla_len(attr) != sizeof(*val))
		return -1;
	*val = nla_get_u32((struct nlattr *)attr);
	*has = true;
	return 0;
}

static int link_info_cb(struct nl_msg *msg, void *arg)
{
	struct nlattr *data[IFLA_VESP_MAX + 1];
	struct nlattr *linkinfo[IFLA_INFO_MAX + 1];
	struct nlattr *tb[IFLA_MAX + 1];
	struct link_info *info = arg;

	info->found = true;
	if (nlmsg_parse(nlmsg_hdr(msg), sizeof(struct ifinfomsg), tb, IFLA_MAX,
			NULL) < 0 || !tb[IFLA_LINKINFO] ||
	    nla_parse_nested(linkinfo, IFLA_INFO_MAX, tb[IFLA_LINKINFO], NULL) < 0 ||
	    !linkinfo[IFLA_INFO_KIND]) {
		info->problem = "no IFLA_LINKINFO kind in the reply";
		return NL_STOP;
	}
	info->kind = nla_get_string(linkinfo[IFLA_INFO_KIND]);
	if (strcmp(info->kind, VESP_LINK_KIND)) {
		info->problem = "not a vesp link";
		return NL_STOP;
	}
	if (!linkinfo[IFLA_INFO_DATA])
		return NL_STOP;
	if (nla_parse_nested(data, IFLA_VESP_MAX, linkinfo[IFLA_INFO_DATA], NULL) < 0) {
		info->problem = "malformed IFLA_INFO_DATA";
		return NL_STOP;
	}
	if (data[IFLA_VESP_FWMARK] &&
	    get_u32(data[IFLA_VESP_FWMARK], &info->fwmark, &info->has_fwmark))
		info->problem = "IFLA_VESP_FWMARK is not a u32";
	if (data[IFLA_VESP_FLAGS] &&
	    get_u32(data[IFLA_VESP_FLAGS], &info->flags, &info->has_flags))
		info->problem = "IFLA_VESP_FLAGS is not a u32";
	return NL_STOP;
}

static int link_get(struct nl_sock *sk, struct kernel_error *kerr,
		    const char *name)
{
	struct link_info info = { 0 };
	struct nl_msg *msg;
	int err;

	/* The reply or an error ends the exchange; an ACK would only follow. */
	nl_socket_disable_auto_ack(sk);
	nl_socket_modify_cb(sk, NL_CB_VALID, NL_CB_CUSTOM, link_info_cb, &info);
	msg = link_msg(RTM_GETLINK, 0, name);
	err = nl_send_auto(sk, msg);
	nlmsg_free(msg);
	if (err >= 0)
		err = nl_recvmsgs_default(sk);
	if (err < 0)
		return report_error(kerr, err);
	if (!info.found) {
		fprintf(stderr, "vesp-rtnl: no reply for %s\n", name);
		return 1;
	}
	if (info.problem) {
		fprintf(stderr, "vesp-rtnl: %s: %s\n", name, info.problem);
		return 1;
	}
	if (info.has_fwmark)
		printf("fwmark %u\n", info.fwmark);
	if (info.has_flags)
		printf("flags %u\n", info.flags);
	return 0;
}

static struct nl_sock *rtnl_open(struct kernel_error *kerr)
{
	struct nl_sock *sk = nl_socket_alloc();
	int one = 1;

	if (!sk || nl_connect(sk, NETLINK_ROUTE) < 0) {
		fprintf(stderr, "vesp-rtnl: cannot open an rtnetlink socket\n");
		exit(1);
	}
	/* libnl 3.7 has no wrapper for extended ACKs. */
	if (setsockopt(nl_socket_get_fd(sk), SOL_NETLINK, NETLINK_EXT_ACK,
		       &one, sizeof(one)) < 0) {
		perror("vesp-rtnl: NETLINK_EXT_ACK");
		exit(1);
	}
	nl_socket_modify_err_cb(sk, NL_CB_CUSTOM, error_cb, kerr);
	return sk;
}

int main(int argc, char **argv)
{
	struct kernel_error kerr = { 0 };
	struct link_request req = { 0 };
	struct nl_sock *sk;
	const char *cmd;
	int ret;

	if (argc < 3)
		usage();
	cmd = argv[1];
	req.name = argv[2];
	if (strlen(req.name) >= IFNAMSIZ)
		usage_error("name \"%s\" longer than %d characters", req.name,
			    IFNAMSIZ - 1);

	if (!strcmp(cmd, "get")) {
		if (argc != 3)
			usage();
		sk = rtnl_open(&kerr);
		ret = link_get(sk, &kerr, req.name);
	} else if (!strcmp(cmd, "add") || !strcmp(cmd, "set")) {
		req.info_data = nlmsg_alloc();
		if (!req.info_data) {
			fprintf(stderr, "vesp-rtnl: out of memory\n");
			return 1;
		}
		parse_link_args(&req, argc - 3, argv + 3);
		sk = rtnl_open(&kerr);
		ret = link_change(sk, &kerr, &req, !strcmp(cmd, "add"));
		nlmsg_free(req.info_data);
	} else {
		usage();
	}
	nl_socket_free(sk);
	return ret;
}
