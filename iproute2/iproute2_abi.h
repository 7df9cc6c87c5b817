/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The part of iproute2's internal ABI that a link_KIND.so plugin uses.
 *
 * There is no iproute2 development package: ip(8) exports its own helpers
 * (it links with -Wl,-export-dynamic, see ip/Makefile) and a plugin is
 * resolved against the running ip binary when dlopen()ed. Everything here
 * is copied in shape, not code, from iproute2 v6.1.0 (Debian 12's
 * iproute2 6.1.0-3); each item names the file it matches. A layout that
 * drifts from the running ip crashes it, so keep this to the minimum and
 * check it against `nm -D /usr/sbin/ip` when moving to another iproute2.
 *
 * The loader (ip/iplink.c, get_link_kind()): for a kind it has no built-in
 * support for, ip dlopen()s "$IP_LIB_DIR/link_KIND.so" (IP_LIB_DIR from
 * the environment, else LIBDIR "/ip" = /usr/lib/x86_64-linux-gnu/ip on
 * Debian, ip/ip.c get_ip_lib_dir()) and looks up the data symbol
 * "KIND_link_util", a struct link_util.
 */
#ifndef VESP_IPROUTE2_ABI_H
#define VESP_IPROUTE2_ABI_H

#include <stdbool.h>
#include <stdio.h>

#include <linux/netlink.h>
#include <linux/rtnetlink.h>

/* ip/ip_common.h, v6.1.0: the layout ip reads the plugin's callbacks from. */
struct link_util {
	struct link_util *next;
	const char *id;
	int maxattr;
	int (*parse_opt)(struct link_util *lu, int argc, char **argv,
			 struct nlmsghdr *n);
	void (*print_opt)(struct link_util *lu, FILE *f, struct rtattr *tb[]);
	void (*print_xstats)(struct link_util *lu, FILE *f, struct rtattr *xstats);
	void (*print_help)(struct link_util *lu, int argc, char **argv, FILE *f);
	int (*parse_ifla_xstats)(struct link_util *lu, int argc, char **argv);
	int (*print_ifla_xstats)(struct nlmsghdr *n, void *arg);
};

/* include/json_print.h, v6.1.0 */
enum output_type {
	PRINT_FP = 1,
	PRINT_JSON = 2,
	PRINT_ANY = 4,
};

/* include/color.h, v6.1.0 */
enum color_attr {
	COLOR_IFNAME,
	COLOR_MAC,
	COLOR_INET,
	COLOR_INET6,
	COLOR_OPERSTATE_UP,
	COLOR_OPERSTATE_DOWN,
	COLOR_NONE
};

/*
 * Exported by ip (lib/json_print.c); the print_TYPE() of json_print.h are
 * inline wrappers passing COLOR_NONE. In text mode each prints @fmt with
 * the value, in JSON mode (ip -j) a member @key.
 */
int print_color_uint(enum output_type t, enum color_attr color, const char *key,
		     const char *fmt, unsigned int value);
int print_color_0xhex(enum output_type t, enum color_attr color, const char *key,
		      const char *fmt, unsigned long long value);
int print_color_on_off(enum output_type t, enum color_attr color, const char *key,
		       const char *fmt, bool value);
bool is_json_context(void);

/* Exported by ip (lib/utils.c). */
int get_u32(__u32 *val, const char *arg, int base);
/* NB: true when @prefix is NOT a prefix of @string, as in iproute2. */
bool matches(const char *prefix, const char *string);
void invarg(const char *msg, const char *arg) __attribute__((noreturn));
void duparg(const char *key, const char *arg) __attribute__((noreturn));
void incomplete_command(void) __attribute__((noreturn));

/* Exported by ip (lib/libnetlink.c). */
int addattr32(struct nlmsghdr *n, int maxlen, int type, __u32 data);
struct rtnl_handle;			/* only its address is used */
extern struct rtnl_handle rth;		/* ip/ip.c: ip's rtnetlink socket */
/* Sends @n and waits; on success *@answer is a malloc()ed reply. */
int rtnl_talk(struct rtnl_handle *rtnl, struct nlmsghdr *n,
	      struct nlmsghdr **answer);

/*
 * The room left for attributes in the request parse_opt adds to: ip's
 * struct iplink_req (ip/ip_common.h) ends in char buf[1024], and every
 * built-in link_*.c passes 1024 as maxlen.
 */
#define IPROUTE2_REQ_MAXLEN 1024

#endif /* VESP_IPROUTE2_ABI_H */
