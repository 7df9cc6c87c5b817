// SPDX-License-Identifier: GPL-2.0
/*
 * vespd: the IKEv2 daemon keying vesp tunnels (see vespd(8)). One poll
 * loop over the IKE sockets, the control socket and a signalfd; each
 * configured tunnel runs as a daemon/tunnel.c object on the ike/ engine,
 * installing its Child SAs through the vesp generic netlink family.
 */
#include <errno.h>
#include <getopt.h>
#include <poll.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/signalfd.h>
#include <time.h>
#include <unistd.h>

#include <linux/vesp.h>
#include <systemd/sd-daemon.h>

#include <netinet/in.h>
#include <netlink/attr.h>
#include <netlink/genl/genl.h>

#include "addrwatch.h"
#include "lib/reply.h"
#include "log.h"
#include "vespd.h"

#define DEFAULT_CONFIG "/etc/vespd.conf"
#define DEFAULT_CONTROL "/run/vespd.sock"

uint64_t vespd_now(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (uint64_t)ts.tv_sec * 1000 + (uint64_t)ts.tv_nsec / 1000000;
}

static uint64_t env_now(void *ctx)
{
	(void)ctx;
	return vespd_now();
}

static int env_send(void *ctx, const struct sockaddr_storage *from,
		    const struct sockaddr_storage *to, const uint8_t *buf, size_t len)
{
	struct vespd *d = ctx;

	if (vespd_net_send(&d->net, from, to, buf, len) < 0) {
		vespd_log(LOG_WARNING, "sending %zu bytes: %s", len, strerror(errno));
		return -1;
	}
	return 0;
}

struct vespd_slot *vespd_slot_find(struct vespd *d, const char *name)
{
	for (size_t i = 0; i < d->num_slots; i++)
		if (!strcmp(d->slots[i]->run.conf->name, name))
			return d->slots[i];
	return NULL;
}

void vespd_slot_stop(struct vespd_slot *s)
{
	const struct vespd_tunnel *conf = s->run.conf;

	/* tell the peer, best effort: the request goes out now if none is out */
	if (s->run.m && s->run.sa->state == IKE_SA_STATE_ESTABLISHED)
		ike_manager_delete_ike(s->run.m);
	vespd_tunnel_run_destroy(&s->run);
	vespd_tunnel_run_init(&s->run, conf, &s->env);
	s->stopped = true;
}

void vespd_slot_start(struct vespd_slot *s)
{
	s->stopped = false;
	vespd_tunnel_run_start(&s->run);
}

/* A slot for @conf: its device, its peer in the module, its run; NULL on failure. */
static struct vespd_slot *slot_new(struct vespd *d, const struct vespd_tunnel *conf)
{
	struct vespd_slot *s = calloc(1, sizeof(*s));
	struct ike_error err;

	if (!s)
		return NULL;
	if (vespd_kernel_init(&s->kernel, d->nl, conf->device, &err) < 0 ||
	    vespd_kernel_peer_setup(&s->kernel, conf->ike.peer_id, conf->remote_prefixes,
				    conf->num_remote_prefixes, conf->paths, conf->num_paths,
				    &conf->path_liveness, &err) < 0) {
		/* a tunnel whose device is missing waits for a reload */
		vespd_log(LOG_ERR, "%s: %s", conf->name, err.text);
		free(s);
		return NULL;
	}
	s->ops = vespd_kernel_ops(&s->kernel);
	s->env = (struct vespd_tunnel_env){
		.now = env_now, .send = env_send, .log = vespd_log_tunnel, .ctx = d,
		.deps = ike_default_deps,
	};
	s->env.deps.kernel = &s->ops;
	if (vespd_tunnel_run_init(&s->run, conf, &s->env) < 0) {
		free(s);
		return NULL;
	}
	vespd_tunnel_kernel_lifetimes(&s->run, &s->kernel.limits);
	return s;
}

static void slot_free(struct vespd_slot *s)
{
	vespd_tunnel_run_destroy(&s->run);
	free(s);
}

static void slots_free(struct vespd *d)
{
	for (size_t i = 0; i < d->num_slots; i++)
		slot_free(d->slots[i]);
	free(d->slots);
	d->slots = NULL;
	d->num_slots = 0;
}

/* Slots for every tunnel of @cfg, taking over those of @old[] unchanged. */
static int slots_create(struct vespd *d, struct vespd_config *cfg,
			struct vespd_slot **old, size_t num_old)
{
	d->slots = calloc(cfg->num_tunnels + 1, sizeof(*d->slots));
	d->num_slots = 0;
	if (!d->slots)
		return -1;
	for (size_t i = 0; i < cfg->num_tunnels; i++) {
		struct vespd_tunnel *conf = &cfg->tunnels[i];
		struct vespd_slot *s = NULL;

		for (size_t j = 0; j < num_old && !s; j++) {
			if (!old[j])
				continue;
			/* moving a section in the file changes nothing */
			conf->line = old[j]->run.conf->line;
			if (!memcmp(old[j]->run.conf, conf, sizeof(*conf))) {
				s = old[j];
				old[j] = NULL;
				vespd_tunnel_run_reconfigure(&s->run, conf);
			}
		}
		if (!s)
			s = slot_new(d, conf);
		if (s)
			d->slots[d->num_slots++] = s;
	}
	return 0;
}

/*
 * SIGHUP: read the file again. Tunnels whose section did not change keep
 * their SAs; the others start over, new ones start, removed ones go.
 */
static void reload(struct vespd *d)
{
	struct vespd_slot **old = d->slots;
	size_t num_old = d->num_slots;
	struct vespd_config cfg;
	struct ike_error err;

	if (vespd_config_load(&cfg, d->config_path, &err) < 0) {
		vespd_log(LOG_ERR, "reload: %s; keeping the old configuration", err.text);
		return;
	}
	if (slots_create(d, &cfg, old, num_old) < 0) {
		d->slots = old;
		d->num_slots = num_old;
		vespd_config_free(&cfg);
		return;
	}
	for (size_t j = 0; j < num_old; j++)
		if (old[j])
			slot_free(old[j]);
	free(old);
	vespd_config_free(&d->cfg);
	d->cfg = cfg;
	vespd_log(LOG_NOTICE, "reloaded %s: %zu tunnels", d->config_path, d->num_slots);
}

/* IKE messages waiting on @fd; on the NAT-T port (@natt) behind the marker. */
static void receive(struct vespd *d, int fd, bool natt)
{
	static uint8_t buf[IKE_MESSAGE_MAX_LEN + VESPD_NON_ESP_MARKER_LEN];
	struct sockaddr_storage from, to;
	const uint8_t *msg;
	ssize_t n;
	int off;

	for (;;) {
		n = vespd_net_recv(fd, buf, sizeof(buf), &from, &to);
		if (n < 0)
			return;
		off = natt ? vespd_net_natt_offset(buf, (size_t)n) : 0;
		if (off < 0)
			continue;	/* ESP in UDP: the module does not decapsulate it */
		msg = buf + off;
		n -= off;
		for (size_t i = 0; i < d->num_slots; i++) {
			struct vespd_slot *s = d->slots[i];

			if (!s->stopped &&
			    vespd_tunnel_run_accepts(&s->run, &from, msg, (size_t)n)) {
				vespd_tunnel_run_receive(&s->run, msg, (size_t)n, &from,
							 to.ss_family ? &to : NULL);
				break;
			}
		}
	}
}

/* VESP_A_PATH_EVENT of the path in a VESP_CMD_PATH_NTF; 0 if none. */
static uint8_t path_event_of(const struct nlmsghdr *hdr)
{
	struct nlattr *top[VESP_A_MAX + 1], *peer[VESP_A_PEER_MAX + 1];
	struct nlattr *path[VESP_A_PATH_MAX + 1];

	if (genlmsg_parse((struct nlmsghdr *)hdr, 0, top, VESP_A_MAX, NULL) < 0 ||
	    !top[VESP_A_PEER] ||
	    nla_parse_nested(peer, VESP_A_PEER_MAX, top[VESP_A_PEER], NULL) < 0 ||
	    !peer[VESP_A_PEER_PATH] ||
	    nla_parse_nested(path, VESP_A_PATH_MAX, peer[VESP_A_PEER_PATH], NULL) < 0 ||
	    !path[VESP_A_PATH_EVENT] || nla_len(path[VESP_A_PATH_EVENT]) < 1)
		return 0;
	return nla_get_u8(path[VESP_A_PATH_EVENT]);
}

static void to_sockaddr(const struct vesp_addr *a, struct sockaddr_storage *ss)
{
	memset(ss, 0, sizeof(*ss));
	ss->ss_family = a->family;
	if (a->family == AF_INET)
		memcpy(&((struct sockaddr_in *)ss)->sin_addr, a->bytes, 4);
	else if (a->family == AF_INET6)
		memcpy(&((struct sockaddr_in6 *)ss)->sin6_addr, a->bytes, 16);
}

/* A path of one of our peers went up or down, or ESP switched or roamed. */
static void on_path_event(struct vespd *d, const struct nlmsghdr *hdr,
			  const struct vesp_dev_info *dev, const struct vesp_peer *peer)
{
	const struct vesp_path *path = &peer->paths[0];
	uint8_t event = path_event_of(hdr);
	struct sockaddr_storage local, remote;

	to_sockaddr(&path->local, &local);
	to_sockaddr(&path->remote, &remote);
	vespd_log(LOG_INFO, "%s: peer %u: path %u: %s", dev->ifname, peer->id, path->id,
		  event == VESP_PATH_EVENT_UP ? "up" : event == VESP_PATH_EVENT_DOWN ?
		  "down" : event == VESP_PATH_EVENT_SWITCHED ? "switched to" :
		  event == VESP_PATH_EVENT_ROAMED ? "roamed" : "?");
	for (size_t i = 0; i < d->num_slots; i++) {
		struct vespd_slot *s = d->slots[i];

		if (!s->stopped && !strcmp(s->run.conf->device, dev->ifname) &&
		    s->run.conf->ike.peer_id == peer->id)
			vespd_tunnel_run_path_event(&s->run, event, &local, &remote);
	}
}

static void on_address(void *arg, const struct sockaddr_storage *addr, bool gone)
{
	struct vespd *d = arg;

	for (size_t i = 0; i < d->num_slots; i++)
		if (!d->slots[i]->stopped)
			vespd_tunnel_run_address(&d->slots[i]->run, addr, gone);
}

/* A notification of the module: an SA of one of our tunnels expiring. */
static int on_event(const struct nlmsghdr *hdr, void *arg, struct vesp_error *err)
{
	struct vesp_error parse_err = { 0 };
	const struct vesp_dev_info *dev;
	const struct vesp_peer *peer;
	struct vesp_event event;
	struct vespd *d = arg;

	(void)err;
	if (!hdr) {
		/* lost ones: the daemon's own lifetime timers still run */
		vespd_log(LOG_WARNING, "module notifications lost");
		return 0;
	}
	if (vesp_event_parse(hdr, &event, &parse_err)) {
		vespd_log(LOG_WARNING, "module notification: %s", parse_err.text);
		return 0;
	}
	dev = event.devs.n_devs ? &event.devs.devs[0] : NULL;
	peer = dev && dev->n_peers ? &dev->peers[0] : NULL;
	if (event.cmd == VESP_CMD_SA_EXPIRE_NTF && peer && peer->n_sas) {
		const struct vesp_sa *sa = &peer->sas[0];

		vespd_log(LOG_DEBUG, "%s: peer %u: SA %s %08x: %s expiry", dev->ifname,
			  peer->id, vesp_dir_name(sa->dir) ? vesp_dir_name(sa->dir) : "?",
			  sa->spi, vesp_expire_reason_name(sa->expire_reason) ?
			  vesp_expire_reason_name(sa->expire_reason) : "unknown");
		for (size_t i = 0; i < d->num_slots; i++) {
			struct vespd_slot *s = d->slots[i];

			if (!s->stopped && !strcmp(s->run.conf->device, dev->ifname) &&
			    s->run.conf->ike.peer_id == peer->id)
				vespd_tunnel_run_expired(&s->run, sa->dir, sa->spi,
							 sa->expire_reason);
		}
	}
	if (event.cmd == VESP_CMD_PATH_NTF && peer && peer->n_paths)
		on_path_event(d, hdr, dev, peer);
	vesp_event_free(&event);
	return 0;
}

static void events(struct vespd *d)
{
	struct vesp_error err = { 0 };

	if (vesp_nl_receive(d->events, on_event, d, &err) < 0)
		vespd_log(LOG_WARNING, "module notifications: %s", err.text);
}

/* Listen to the module's SA expiry; without, the daemon's timers alone rekey. */
static void events_open(struct vespd *d)
{
	struct vesp_error err = { 0 };

	if (vesp_nl_open(&d->events, &err) < 0 ||
	    vesp_nl_subscribe_events(d->events, &err) < 0) {
		vespd_log(LOG_WARNING, "no module notifications: %s", err.text);
		vesp_nl_close(d->events);
		d->events = NULL;
	}
}

static int timeout_ms(const struct vespd *d)
{
	uint64_t now = vespd_now(), next = now + 1000;

	for (size_t i = 0; i < d->num_slots; i++) {
		uint64_t t = vespd_tunnel_run_deadline(&d->slots[i]->run);

		if (!d->slots[i]->stopped && t < next)
			next = t;
	}
	return next > now ? (int)(next - now) : 0;
}

static int signals(sigset_t *set)
{
	sigemptyset(set);
	sigaddset(set, SIGINT);
	sigaddset(set, SIGTERM);
	sigaddset(set, SIGHUP);
	if (sigprocmask(SIG_BLOCK, set, NULL) < 0)
		return -1;
	return signalfd(-1, set, SFD_CLOEXEC | SFD_NONBLOCK);
}

static void run(struct vespd *d, int sfd)
{
	struct signalfd_siginfo si;

	for (;;) {
		struct pollfd fds[8] = {
			{ .fd = d->net.fd4, .events = POLLIN },
			{ .fd = d->net.fd6, .events = POLLIN },
			{ .fd = d->control_fd, .events = POLLIN },
			{ .fd = sfd, .events = POLLIN },
			{ .fd = d->events ? vesp_nl_event_fd(d->events) : -1, .events = POLLIN },
			{ .fd = d->net.natt4, .events = POLLIN },
			{ .fd = d->net.natt6, .events = POLLIN },
			{ .fd = d->addr_fd, .events = POLLIN },
		};

		if (poll(fds, 8, timeout_ms(d)) < 0 && errno != EINTR)
			return;
		if (fds[7].revents & POLLIN)
			vespd_addrwatch_read(d->addr_fd, on_address, d);
		/* POLLERR: notifications overflowed; reading clears it */
		if (fds[4].revents & (POLLIN | POLLERR))
			events(d);
		if (fds[0].revents & POLLIN)
			receive(d, d->net.fd4, false);
		if (fds[1].revents & POLLIN)
			receive(d, d->net.fd6, false);
		if (fds[5].revents & POLLIN)
			receive(d, d->net.natt4, true);
		if (fds[6].revents & POLLIN)
			receive(d, d->net.natt6, true);
		if (fds[2].revents & POLLIN)
			vespd_control_serve(d);
		while (read(sfd, &si, sizeof(si)) == sizeof(si)) {
			if (si.ssi_signo != SIGHUP)
				return;
			/* systemd (Type=notify) waits for READY=1 after ExecReload */
			sd_notify(0, "RELOADING=1");
			reload(d);
			sd_notifyf(0, "READY=1\nSTATUS=%zu tunnels", d->num_slots);
		}
		for (size_t i = 0; i < d->num_slots; i++)
			if (!d->slots[i]->stopped)
				vespd_tunnel_run_tick(&d->slots[i]->run);
	}
}

static void usage(FILE *out)
{
	fprintf(out,
		"Usage: vespd [-f FILE] [-s SOCKET] [-p PORT] [-P PORT] [-F] [-d] [-n]\n"
		"  -f FILE    configuration (default " DEFAULT_CONFIG ")\n"
		"  -s SOCKET  control socket (default " DEFAULT_CONTROL ")\n"
		"  -p PORT    IKE port (default 500)\n"
		"  -P PORT    NAT-T port for IKE behind the non-ESP marker\n"
		"             (default 4500, 0: none)\n"
		"  -F         stay in the foreground, log to stderr\n"
		"  -d         log debug messages too\n"
		"  -n         check the configuration and exit\n");
}

struct options {
	const char *control;
	bool foreground, check;
	int level, port, natt_port;
};

/* 0 to go on, or the exit status. */
static int parse_args(int argc, char **argv, struct vespd *d, struct options *o)
{
	int opt;

	while ((opt = getopt(argc, argv, "f:s:p:P:Fdnh")) != -1) {
		switch (opt) {
		case 'f': d->config_path = optarg; break;
		case 's': o->control = optarg; break;
		case 'p': o->port = atoi(optarg); break;
		case 'P': o->natt_port = atoi(optarg); break;
		case 'F': o->foreground = true; break;
		case 'd': o->level = LOG_DEBUG; break;
		case 'n': o->check = true; break;
		case 'h': usage(stdout); return -1;
		default: usage(stderr); return 1;
		}
	}
	if (optind != argc || o->port <= 0 || o->port > 65535 ||
	    o->natt_port < 0 || o->natt_port > 65535 || o->natt_port == o->port) {
		usage(stderr);
		return 1;
	}
	return 0;
}

int main(int argc, char **argv)
{
	struct vespd d = { .config_path = DEFAULT_CONFIG, .control_fd = -1, .addr_fd = -1 };
	struct options o = { .control = DEFAULT_CONTROL, .level = LOG_INFO, .port = 500,
			   .natt_port = 4500 };
	struct vesp_error verr;
	struct ike_error err;
	sigset_t set;
	int ret, sfd;

	ret = parse_args(argc, argv, &d, &o);
	if (ret)
		return ret < 0 ? 0 : ret;
	if (vespd_config_load(&d.cfg, d.config_path, &err) < 0) {
		fprintf(stderr, "vespd: %s\n", err.text);
		return 1;
	}
	if (o.check) {
		printf("%s: %zu tunnels\n", d.config_path, d.cfg.num_tunnels);
		vespd_config_free(&d.cfg);
		return 0;
	}
	vespd_log_init(!o.foreground, o.level);
	if (!o.foreground && daemon(0, 0) < 0) {
		fprintf(stderr, "vespd: daemon: %s\n", strerror(errno));
		return 1;
	}
	if (vesp_nl_open(&d.nl, &verr) < 0) {
		vespd_log(LOG_ERR, "netlink: %s", verr.text);
		return 1;
	}
	events_open(&d);
	d.addr_fd = vespd_addrwatch_open();
	if (d.addr_fd < 0)
		vespd_log(LOG_WARNING, "not watching addresses: %s", strerror(errno));
	if (vespd_net_open(&d.net, (uint16_t)o.port, (uint16_t)o.natt_port) < 0 ||
	    vespd_control_open(&d, o.control) < 0 || (sfd = signals(&set)) < 0 ||
	    slots_create(&d, &d.cfg, NULL, 0) < 0) {
		vespd_log(LOG_ERR, "startup: %s", strerror(errno));
		return 1;
	}
	vespd_log(LOG_NOTICE, "started: %zu tunnels, port %d", d.num_slots, o.port);
	/* no-ops unless started by systemd with Type=notify ($NOTIFY_SOCKET) */
	sd_notifyf(0, "READY=1\nSTATUS=%zu tunnels", d.num_slots);
	run(&d, sfd);
	vespd_log(LOG_NOTICE, "stopping");
	sd_notify(0, "STOPPING=1");
	slots_free(&d);
	vespd_config_free(&d.cfg);
	vespd_net_close(&d.net);
	close(d.control_fd);
	if (d.addr_fd >= 0)
		close(d.addr_fd);
	unlink(o.control);
	vesp_nl_close(d.events);
	vesp_nl_close(d.nl);
	return 0;
}
