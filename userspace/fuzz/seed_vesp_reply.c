// SPDX-License-Identifier: GPL-2.0
/*
 * Seed corpus for fuzz_vesp_reply, built at run time with libnl so no
 * binary corpus lives in the repository: a device, a peer dump with
 * prefixes, paths and SAs, stats, an expire notification, and error and
 * done messages with extended ACKs. Each file starts with the selector
 * byte the fuzzer reads first.
 *
 *   seed_vesp_reply DIR
 */
#include <stdbool.h>
#include <stdio.h>
#include <string.h>
#include <sys/socket.h>

#include <linux/netlink.h>
#include <linux/vesp.h>
#include <netlink/attr.h>
#include <netlink/genl/genl.h>

#define SELECT_ERROR 0
#define SELECT_DONE 1
#define SELECT_GENL 2

static const char *dir;
static int written;

static int save(uint8_t selector, struct nl_msg *msg)
{
	struct nlmsghdr *hdr = nlmsg_hdr(msg);
	char path[4096];
	FILE *f;
	int ret = 0;

	snprintf(path, sizeof(path), "%s/vesp-reply-%02d", dir, written++);
	f = fopen(path, "wb");
	if (!f || fwrite(&selector, 1, 1, f) != 1 ||
	    fwrite(hdr, 1, hdr->nlmsg_len, f) != hdr->nlmsg_len || fclose(f) != 0) {
		perror(path);
		ret = -1;
	}
	nlmsg_free(msg);
	return ret;
}

static struct nl_msg *genl(uint8_t cmd)
{
	struct nl_msg *msg = nlmsg_alloc();

	genlmsg_put(msg, 0, 1, 0x1d, 0, NLM_F_MULTI, cmd, VESP_GENL_VERSION);
	nla_put_u32(msg, VESP_A_IFINDEX, 5);
	nla_put_string(msg, VESP_A_IFNAME, "vesp0");
	return msg;
}

static struct nl_msg *peer_dump(void)
{
	static const uint8_t v4[4] = { 10, 0, 0, 0 }, v6[16] = { 0xfd };
	static const uint8_t remote[4] = { 192, 0, 2, 2 }, local[4] = { 192, 0, 2, 1 };
	struct nl_msg *msg = genl(VESP_CMD_PEER_GET);
	struct nlattr *peer, *nest;

	peer = nla_nest_start(msg, VESP_A_PEER);
	nla_put_u32(msg, VESP_A_PEER_ID, 1);
	nest = nla_nest_start(msg, VESP_A_PEER_PREFIX);
	nla_put_u16(msg, VESP_A_PREFIX_FAMILY, AF_INET);
	nla_put(msg, VESP_A_PREFIX_ADDR, 4, v4);
	nla_put_u8(msg, VESP_A_PREFIX_LEN, 24);
	nla_nest_end(msg, nest);
	nest = nla_nest_start(msg, VESP_A_PEER_PREFIX);
	nla_put_u16(msg, VESP_A_PREFIX_FAMILY, AF_INET6);
	nla_put(msg, VESP_A_PREFIX_ADDR, 16, v6);
	nla_put_u8(msg, VESP_A_PREFIX_LEN, 8);
	nla_nest_end(msg, nest);
	nest = nla_nest_start(msg, VESP_A_PEER_PATH);
	nla_put_u32(msg, VESP_A_PATH_ID, 1);
	nla_put_u16(msg, VESP_A_PATH_FAMILY, AF_INET);
	nla_put(msg, VESP_A_PATH_REMOTE, 4, remote);
	nla_put(msg, VESP_A_PATH_LOCAL, 4, local);
	nla_put_u32(msg, VESP_A_PATH_PRIORITY, 3);
	nla_nest_end(msg, nest);
	nest = nla_nest_start(msg, VESP_A_PEER_SA);
	nla_put_u32(msg, VESP_A_SA_SPI, 0x1000);
	nla_put_u8(msg, VESP_A_SA_DIR, 2);
	nla_put_u32(msg, VESP_A_SA_ALG, 1);
	nla_put_flag(msg, VESP_A_SA_ESN);
	nla_put_flag(msg, VESP_A_SA_ACTIVE);
	nla_put_u64(msg, VESP_A_SA_SOFT_BYTES, 1 << 20);
	nla_put_u32(msg, VESP_A_SA_HARD_SECONDS, 3600);
	nla_put_u64(msg, VESP_A_SA_SEQ, 7);
	nla_put_u64(msg, VESP_A_SA_PACKETS, 7);
	nla_put_u64(msg, VESP_A_SA_BYTES, 700);
	nla_put_u32(msg, VESP_A_SA_AGE, 12);
	nla_nest_end(msg, nest);
	nla_nest_end(msg, peer);
	return msg;
}

static struct nl_msg *dev_and_stats(void)
{
	struct nl_msg *msg = genl(VESP_CMD_DEV_GET);
	struct nlattr *stats;

	nla_put_u32(msg, VESP_A_FWMARK, 42);
	nla_put_u32(msg, VESP_A_PEER_COUNT, 1);
	stats = nla_nest_start(msg, VESP_A_STATS);
	nla_put_u64(msg, VESP_A_STATS_RX_REPLAY, 3);
	nla_put_u64(msg, VESP_A_STATS_CRYPTO_ERROR, 1);
	nla_nest_end(msg, stats);
	return msg;
}

static struct nl_msg *expire(void)
{
	struct nl_msg *msg = genl(VESP_CMD_SA_EXPIRE_NTF);
	struct nlattr *peer, *sa;

	peer = nla_nest_start(msg, VESP_A_PEER);
	nla_put_u32(msg, VESP_A_PEER_ID, 1);
	sa = nla_nest_start(msg, VESP_A_PEER_SA);
	nla_put_u32(msg, VESP_A_SA_SPI, 0x1000);
	nla_put_u8(msg, VESP_A_SA_DIR, 2);
	nla_put_u8(msg, VESP_A_SA_EXPIRE_REASON, 1);
	nla_nest_end(msg, sa);
	nla_nest_end(msg, peer);
	return msg;
}

static struct nl_msg *error_ack(bool capped)
{
	struct nl_msg *msg = nlmsg_alloc_simple(NLMSG_ERROR, NLM_F_ACK_TLVS |
						(capped ? NLM_F_CAPPED : 0));
	struct nlmsgerr nlerr = { .error = -22 };
	uint8_t echo[24] = { 0 };

	nlerr.msg.nlmsg_len = NLMSG_HDRLEN + sizeof(echo);
	nlmsg_append(msg, &nlerr, sizeof(nlerr), NLMSG_ALIGNTO);
	if (!capped)
		nlmsg_append(msg, echo, sizeof(echo), NLMSG_ALIGNTO);
	nla_put_string(msg, NLMSGERR_ATTR_MSG, "invalid SPI");
	nla_put_u32(msg, NLMSGERR_ATTR_OFFS, 20);
	nla_put_u32(msg, NLMSGERR_ATTR_MISS_TYPE, 1);
	return msg;
}

static struct nl_msg *done(void)
{
	struct nl_msg *msg = nlmsg_alloc_simple(NLMSG_DONE, NLM_F_MULTI | NLM_F_ACK_TLVS);
	int code = -90;

	nlmsg_append(msg, &code, sizeof(code), NLMSG_ALIGNTO);
	nla_put_string(msg, NLMSGERR_ATTR_MSG, "message too long");
	return msg;
}

int main(int argc, char **argv)
{
	if (argc != 2) {
		fprintf(stderr, "usage: seed_vesp_reply DIR\n");
		return 2;
	}
	dir = argv[1];
	if (save(SELECT_GENL, peer_dump()) || save(SELECT_GENL, dev_and_stats()) ||
	    save(SELECT_GENL, expire()) || save(SELECT_ERROR, error_ack(true)) ||
	    save(SELECT_ERROR, error_ack(false)) || save(SELECT_DONE, done()))
		return 1;
	return 0;
}
