// SPDX-License-Identifier: GPL-2.0
/*
 * gifbench: the benchmark's traffic generator and its helpers. Run inside the network namespace
 * under test (`ip netns exec NS gifbench ...`: /sys then shows that namespace's devices).
 *
 *   gen     generate frames with BPF_PROG_TEST_RUN + BPF_F_TEST_XDP_LIVE_FRAMES (bench/gen.bpf.c)
 *           and print one JSON object: frames sent, packets counted on the given devices, wall
 *           and CPU time, rates
 *   base    attach a baseline or sink program (bench/base.bpf.c) to a device
 *   fill    add (or remove) N tunnels to the maps of the gifctl datapath attached to a device,
 *           copies of an existing tunnel with other remote endpoints (the scale benchmark)
 *   gifbench COMMAND --help for the options.
 */
#include <arpa/inet.h>
#include <dirent.h>
#include <errno.h>
#include <getopt.h>
#include <net/if.h>
#include <sched.h>
#include <signal.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>
#include <linux/if_ether.h>
#include <linux/if_link.h>
#include <linux/ip.h>
#include <linux/ipv6.h>
#include <linux/udp.h>
#include <bpf/bpf.h>
#include <bpf/libbpf.h>
#include "gen.h"
#include "gif_types.h"
#include "gen.skel.h"
#include "base.skel.h"

#ifndef BPF_F_TEST_XDP_LIVE_FRAMES
#define BPF_F_TEST_XDP_LIVE_FRAMES (1U << 1)
#endif

static const char *prog = "gifbench";

static void die(const char *fmt, ...) __attribute__((format(printf, 1, 2), noreturn));
static void die(const char *fmt, ...)
{
	va_list ap;

	fprintf(stderr, "%s: ", prog);
	va_start(ap, fmt);
	vfprintf(stderr, fmt, ap);
	va_end(ap);
	fputc('\n', stderr);
	exit(1);
}

static double now(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec + ts.tv_nsec / 1e9;
}

static unsigned int ifindex_of(const char *name)
{
	unsigned int i = if_nametoindex(name);

	if (!i)
		die("no device %s", name);
	return i;
}

static void parse_mac(const char *s, __u8 mac[6])
{
	if (sscanf(s, "%hhx:%hhx:%hhx:%hhx:%hhx:%hhx", &mac[0], &mac[1], &mac[2], &mac[3], &mac[4],
		   &mac[5]) != 6)
		die("bad MAC address %s", s);
}

/* The MAC address of device NAME (from sysfs of the current namespace). */
static void dev_mac(const char *name, __u8 mac[6])
{
	char path[128], buf[64];
	FILE *f;

	snprintf(path, sizeof(path), "/sys/class/net/%s/address", name);
	f = fopen(path, "r");
	if (!f || !fgets(buf, sizeof(buf), f))
		die("cannot read %s", path);
	fclose(f);
	parse_mac(buf, mac);
}

/* An address of family FAM (4 or 6) into 16 bytes (IPv4: the first 4). */
static void parse_addr(int fam, const char *s, __u8 out[16])
{
	memset(out, 0, 16);
	if (inet_pton(fam == 4 ? AF_INET : AF_INET6, s, out) != 1)
		die("bad IPv%d address %s", fam, s);
}

/* ---- counters ------------------------------------------------------------------------------ */

/* The sum of "DEV:rx|tx[,DEV:rx|tx...]" packet counters of this namespace's devices. */
static unsigned long long read_counters(const char *spec)
{
	unsigned long long sum = 0, v;
	char *copy = strdup(spec), *tok, *save = NULL;

	for (tok = strtok_r(copy, ",", &save); tok; tok = strtok_r(NULL, ",", &save)) {
		char path[160], *colon = strchr(tok, ':');
		FILE *f;

		if (!colon || (strcmp(colon + 1, "rx") && strcmp(colon + 1, "tx")))
			die("bad counter %s (want DEV:rx or DEV:tx)", tok);
		*colon = 0;
		snprintf(path, sizeof(path), "/sys/class/net/%s/statistics/%s_packets", tok,
			 colon + 1);
		f = fopen(path, "r");
		if (!f || fscanf(f, "%llu", &v) != 1)
			die("cannot read %s", path);
		fclose(f);
		sum += v;
	}
	free(copy);
	return sum;
}

/* CPU time (ns) a task has run: /proc/PID/task/TID/schedstat's first field. */
static unsigned long long task_ns(const char *path)
{
	unsigned long long v = 0;
	FILE *f = fopen(path, "r");

	if (f) {
		if (fscanf(f, "%llu", &v) != 1)
			v = 0;
		fclose(f);
	}
	return v;
}

/* The pid of ksoftirqd/CPU, which runs the softirq work the generator's context leaves. */
static int ksoftirqd_pid(int cpu)
{
	char want[32], path[300], comm[64];
	struct dirent *d;
	DIR *dir = opendir("/proc");
	int pid = 0;

	snprintf(want, sizeof(want), "ksoftirqd/%d\n", cpu);
	while (dir && (d = readdir(dir)) && !pid) {
		FILE *f;

		if (d->d_name[0] < '1' || d->d_name[0] > '9')
			continue;
		snprintf(path, sizeof(path), "/proc/%s/comm", d->d_name);
		f = fopen(path, "r");
		if (f && fgets(comm, sizeof(comm), f) && !strcmp(comm, want))
			pid = atoi(d->d_name);
		if (f)
			fclose(f);
	}
	if (dir)
		closedir(dir);
	return pid;
}

/* ---- the generator ------------------------------------------------------------------------- */

struct layout_info {
	const char *name;
	int ol, il;	/* outer and inner header lengths (ol 0: a plain frame) */
};

static const struct layout_info layouts[] = {
	[GEN_4IN4] = { "4in4", 20, 20 }, [GEN_6IN4] = { "6in4", 20, 40 },
	[GEN_4IN6] = { "4in6", 40, 20 }, [GEN_6IN6] = { "6in6", 40, 40 },
	[GEN_PLAIN4] = { "plain4", 0, 20 }, [GEN_PLAIN6] = { "plain6", 0, 40 },
};

struct gen_opts {
	int layout;
	unsigned int size;		/* inner IP packet bytes */
	__u8 dmac[6], smac[6];
	const char *osrc, *odst, *isrc, *idst;
	unsigned int flows, tunnels;
	int action;
	const char *dev;		/* redirect target or ingress device */
	unsigned long long frames;	/* at most this many */
	double seconds;			/* at most this long */
	unsigned int chunk, batch;
	const char *count;		/* counters of delivered packets */
	int cpu;
	const char *stats_dev;		/* report the run time of this program (prog_stats) */
	const char *label;
};

/* Builds the frame: headers for flow 0 / tunnel 0, then a payload pattern. Returns its length. */
static unsigned int build_frame(const struct gen_opts *o, __u8 *buf, unsigned int cap)
{
	const struct layout_info *l = &layouts[o->layout];
	int ofam = l->ol == 20 ? 4 : 6, ifam = l->il == 20 ? 4 : 6;
	unsigned int len = ETH_HLEN + l->ol + o->size, off = ETH_HLEN;
	struct ethhdr *eth = (struct ethhdr *)buf;
	__u8 a[16];

	if (o->size < (unsigned int)l->il + 8 || len > cap)
		die("inner size %u out of range for %s", o->size, l->name);
	memset(buf, 0, len);
	for (unsigned int i = ETH_HLEN + l->ol + l->il + 8; i < len; i++)
		buf[i] = i;
	memcpy(eth->h_dest, o->dmac, 6);
	memcpy(eth->h_source, o->smac, 6);
	eth->h_proto = htons((l->ol ? ofam : ifam) == 4 ? ETH_P_IP : ETH_P_IPV6);
	if (l->ol == 20) {
		struct iphdr *ip = (struct iphdr *)(buf + off);

		ip->version = 4;
		ip->ihl = 5;
		ip->tot_len = htons(20 + o->size);
		ip->frag_off = htons(0x4000);
		ip->ttl = 64;
		ip->protocol = ifam == 4 ? IPPROTO_IPIP : IPPROTO_IPV6;
		parse_addr(4, o->osrc, a);
		memcpy(&ip->saddr, a, 4);
		parse_addr(4, o->odst, a);
		memcpy(&ip->daddr, a, 4);
	} else if (l->ol == 40) {
		struct ipv6hdr *ip6 = (struct ipv6hdr *)(buf + off);

		ip6->version = 6;
		ip6->payload_len = htons(o->size);
		ip6->nexthdr = ifam == 4 ? IPPROTO_IPIP : IPPROTO_IPV6;
		ip6->hop_limit = 64;
		parse_addr(6, o->osrc, (__u8 *)&ip6->saddr);
		parse_addr(6, o->odst, (__u8 *)&ip6->daddr);
	}
	off += l->ol;
	if (ifam == 4) {
		struct iphdr *ip = (struct iphdr *)(buf + off);

		ip->version = 4;
		ip->ihl = 5;
		ip->tot_len = htons(o->size);
		ip->ttl = 64;
		ip->protocol = IPPROTO_UDP;
		parse_addr(4, o->isrc, a);
		memcpy(&ip->saddr, a, 4);
		parse_addr(4, o->idst, a);
		memcpy(&ip->daddr, a, 4);
	} else {
		struct ipv6hdr *ip6 = (struct ipv6hdr *)(buf + off);

		ip6->version = 6;
		ip6->payload_len = htons(o->size - 40);
		ip6->nexthdr = IPPROTO_UDP;
		ip6->hop_limit = 64;
		parse_addr(6, o->isrc, (__u8 *)&ip6->saddr);
		parse_addr(6, o->idst, (__u8 *)&ip6->daddr);
	}
	off += l->il;
	{
		struct udphdr *udp = (struct udphdr *)(buf + off);

		udp->dest = htons(9);
		udp->len = htons(o->size - l->il);
	}
	return len;
}

static bool stop;

static void on_signal(int sig)
{
	(void)sig;
	stop = true;
}

/*
 * Run time and run count (BPF statistics must be enabled) of the program at SPEC: DEV:xdp (the
 * XDP program), DEV:ingress (gifctl's TC-ingress decapsulation) or DEV:egress (gifctl's
 * encapsulation program or the baseline that replaces it); gifctl's filters have handle 0x6966,
 * priority 1.
 */
static void prog_stats(const char *spec, __u64 *ns, __u64 *cnt)
{
	char dev[IF_NAMESIZE + 1] = "";
	const char *colon = strchr(spec, ':');
	struct bpf_prog_info info = {};
	__u32 id = 0, len = sizeof(info);
	int fd;

	*ns = *cnt = 0;
	if (!colon || colon - spec > IF_NAMESIZE)
		die("bad --prog-stats %s (want DEV:xdp|ingress|egress)", spec);
	memcpy(dev, spec, colon - spec);
	if (!strcmp(colon + 1, "xdp")) {
		if (bpf_xdp_query_id(ifindex_of(dev), 0, &id))
			id = 0;
	} else {
		bool in = !strcmp(colon + 1, "ingress");
		LIBBPF_OPTS(bpf_tc_hook, hook, .ifindex = ifindex_of(dev),
			    .attach_point = in ? BPF_TC_INGRESS : BPF_TC_EGRESS);
		LIBBPF_OPTS(bpf_tc_opts, opts, .handle = 0x6966, .priority = 1);

		id = bpf_tc_query(&hook, &opts) ? 0 : opts.prog_id;
	}
	if (!id)
		die("no program at %s", spec);
	fd = bpf_prog_get_fd_by_id(id);
	if (fd < 0)
		return;
	if (!bpf_obj_get_info_by_fd(fd, &info, &len)) {
		*ns = info.run_time_ns;
		*cnt = info.run_cnt;
	}
	close(fd);
}

static unsigned int pow2(const char *what, unsigned long v)
{
	if (!v || (v & (v - 1)) || v > (1ul << 31))
		die("%s must be a power of two, got %lu", what, v);
	return v;
}

static void gen_usage(void)
{
	fputs("usage: gifbench gen --layout 4in4|6in4|4in6|6in6|plain4|plain6 --size BYTES\n"
	      "         --dmac MAC|DEV --smac MAC|DEV [--osrc A --odst A] --isrc A --idst A\n"
	      "         [--flows N] [--tunnels N] (--redirect DEV | --pass DEV | --drop)\n"
	      "         [--frames N] [--seconds S] [--chunk N] [--batch N] [--cpu N]\n"
	      "         [--count DEV:rx|tx,...] [--prog-stats DEV:xdp|ingress|egress] [--label T]\n"
	      "Sends frames of BYTES-byte inner packets (IP header included): outer source\n"
	      "osrc + tunnel, inner UDP source port and low address bits from the flow number.\n",
	      stderr);
	exit(2);
}

static void mac_arg(const char *s, __u8 mac[6])
{
	if (strchr(s, ':'))
		parse_mac(s, mac);
	else
		dev_mac(s, mac);
}

static int cmd_gen(int argc, char **argv)
{
	static const struct option lo[] = {
		{ "layout", 1, 0, 'l' }, { "size", 1, 0, 's' }, { "dmac", 1, 0, 'D' },
		{ "smac", 1, 0, 'S' }, { "osrc", 1, 0, 'o' }, { "odst", 1, 0, 'O' },
		{ "isrc", 1, 0, 'i' }, { "idst", 1, 0, 'I' }, { "flows", 1, 0, 'f' },
		{ "tunnels", 1, 0, 't' }, { "redirect", 1, 0, 'r' }, { "pass", 1, 0, 'p' },
		{ "drop", 0, 0, 'd' }, { "frames", 1, 0, 'n' }, { "seconds", 1, 0, 'T' },
		{ "chunk", 1, 0, 'c' }, { "batch", 1, 0, 'b' }, { "cpu", 1, 0, 'C' },
		{ "count", 1, 0, 'k' }, { "prog-stats", 1, 0, 'P' }, { "label", 1, 0, 'L' },
		{ "help", 0, 0, 'h' }, {}
	};
	struct gen_opts o = { .layout = -1, .size = 64, .flows = 1, .tunnels = 1, .action = -1,
			      .frames = 50000000, .seconds = 1.0, .chunk = 65536, .batch = 64,
			      .cpu = -1, .label = "" };
	__u8 frame[4096];
	unsigned int flen;
	int c;

	while ((c = getopt_long(argc, argv, "", lo, NULL)) != -1) {
		switch (c) {
		case 'l':
			for (unsigned int i = 0; i < sizeof(layouts) / sizeof(layouts[0]); i++)
				if (!strcmp(optarg, layouts[i].name))
					o.layout = i;
			if (o.layout < 0)
				die("unknown layout %s", optarg);
			break;
		case 's': o.size = strtoul(optarg, NULL, 0); break;
		case 'D': mac_arg(optarg, o.dmac); break;
		case 'S': mac_arg(optarg, o.smac); break;
		case 'o': o.osrc = optarg; break;
		case 'O': o.odst = optarg; break;
		case 'i': o.isrc = optarg; break;
		case 'I': o.idst = optarg; break;
		case 'f': o.flows = pow2("--flows", strtoul(optarg, NULL, 0)); break;
		case 't': o.tunnels = pow2("--tunnels", strtoul(optarg, NULL, 0)); break;
		case 'r': o.action = GEN_REDIRECT; o.dev = optarg; break;
		case 'p': o.action = GEN_PASS; o.dev = optarg; break;
		case 'd': o.action = GEN_DROP; break;
		case 'n': o.frames = strtoull(optarg, NULL, 0); break;
		case 'T': o.seconds = atof(optarg); break;
		case 'c': o.chunk = strtoul(optarg, NULL, 0); break;
		case 'b': o.batch = strtoul(optarg, NULL, 0); break;
		case 'C': o.cpu = atoi(optarg); break;
		case 'k': o.count = optarg; break;
		case 'P': o.stats_dev = optarg; break;
		case 'L': o.label = optarg; break;
		default: gen_usage();
		}
	}
	if (o.layout < 0 || o.action < 0 || !o.isrc || !o.idst ||
	    (layouts[o.layout].ol && (!o.osrc || !o.odst)) || o.batch < 1 || o.batch > 256)
		gen_usage();
	flen = build_frame(&o, frame, sizeof(frame));

	if (o.cpu >= 0) {
		cpu_set_t set;

		CPU_ZERO(&set);
		CPU_SET(o.cpu, &set);
		if (sched_setaffinity(0, sizeof(set), &set))
			die("cannot pin to CPU %d: %s", o.cpu, strerror(errno));
	}

	struct gen *skel = gen__open_and_load();

	if (!skel)
		die("cannot load the generator: %s", strerror(errno));
	skel->bss->cfg.layout = o.layout;
	skel->bss->cfg.action = o.action;
	skel->bss->cfg.ifindex = o.action == GEN_REDIRECT ? ifindex_of(o.dev) : 0;
	skel->bss->cfg.flow_mask = o.flows - 1;
	skel->bss->cfg.tun_mask = o.tunnels - 1;
	memcpy(skel->bss->cfg.tmpl, frame, ETH_HLEN + layouts[o.layout].ol + layouts[o.layout].il + 8);

	struct xdp_md ctx = { .data_end = flen,
			      .ingress_ifindex = o.action == GEN_PASS ? ifindex_of(o.dev) : 1 };
	LIBBPF_OPTS(bpf_test_run_opts, run, .data_in = frame, .data_size_in = flen,
		    .ctx_in = &ctx, .ctx_size_in = sizeof(ctx),
		    .flags = BPF_F_TEST_XDP_LIVE_FRAMES, .batch_size = o.batch);
	int pfd = bpf_program__fd(skel->progs.gen), stats_fd = -1, cpu, ksoft;
	unsigned long long sent = 0, before = 0, after = 0, self0, self1, soft0 = 0, soft1 = 0;
	char soft_path[64] = "";
	__u64 pns0 = 0, pcnt0 = 0, pns1 = 0, pcnt1 = 0;
	double t0, t1;

	signal(SIGINT, on_signal);
	signal(SIGTERM, on_signal);
	if (o.stats_dev) {
		stats_fd = bpf_enable_stats(BPF_STATS_RUN_TIME);
		if (stats_fd < 0)
			die("cannot enable BPF run-time statistics: %s", strerror(errno));
		prog_stats(o.stats_dev, &pns0, &pcnt0);
	}
	/* One warm-up chunk, not counted: page pool, caches, neighbour entries. */
	run.repeat = o.chunk < 32768 ? o.chunk : 32768;
	if (bpf_prog_test_run_opts(pfd, &run))
		die("BPF_PROG_TEST_RUN: %s", strerror(errno));
	usleep(20000);

	cpu = sched_getcpu();
	ksoft = ksoftirqd_pid(cpu);
	if (ksoft)
		snprintf(soft_path, sizeof(soft_path), "/proc/%d/schedstat", ksoft);
	if (o.count)
		before = read_counters(o.count);
	if (o.stats_dev)
		prog_stats(o.stats_dev, &pns0, &pcnt0);
	self0 = task_ns("/proc/thread-self/schedstat");
	if (ksoft)
		soft0 = task_ns(soft_path);
	t0 = now();
	t1 = t0;
	while (!stop && sent < o.frames && t1 - t0 < o.seconds) {
		unsigned long long left = o.frames - sent;

		run.repeat = left < o.chunk ? left : o.chunk;
		if (bpf_prog_test_run_opts(pfd, &run))
			die("BPF_PROG_TEST_RUN: %s", strerror(errno));
		sent += run.repeat;
		t1 = now();
	}
	self1 = task_ns("/proc/thread-self/schedstat");
	if (ksoft)
		soft1 = task_ns(soft_path);
	/* What is still queued (a ring of 256 frames or so per hop) is counted, not timed. */
	usleep(50000);
	if (o.count)
		after = read_counters(o.count);
	if (o.stats_dev)
		prog_stats(o.stats_dev, &pns1, &pcnt1);

	double wall = t1 - t0, cpu_s = (self1 - self0 + soft1 - soft0) / 1e9;
	unsigned long long got = o.count ? after - before : sent;

	printf("{\"label\": \"%s\", \"layout\": \"%s\", \"size\": %u, \"frame\": %u, \"flows\": %u, "
	       "\"tunnels\": %u, \"sent\": %llu, \"delivered\": %llu, \"wall_s\": %.6f, "
	       "\"cpu_s\": %.6f, \"ksoftirqd_s\": %.6f, \"cpu\": %d, \"pps\": %.0f, "
	       "\"pps_cpu\": %.0f, \"ns_per_pkt_cpu\": %.1f",
	       o.label, layouts[o.layout].name, o.size, flen, o.flows, o.tunnels, sent, got, wall,
	       cpu_s, (soft1 - soft0) / 1e9, cpu, got / wall, got / cpu_s,
	       got ? cpu_s * 1e9 / got : 0.0);
	if (o.stats_dev && pcnt1 > pcnt0)
		printf(", \"prog\": \"%s\", \"prog_runs\": %llu, \"prog_ns\": %.1f", o.stats_dev,
		       (unsigned long long)(pcnt1 - pcnt0),
		       (double)(pns1 - pns0) / (double)(pcnt1 - pcnt0));
	printf("}\n");
	if (stats_fd >= 0)
		close(stats_fd);
	gen__destroy(skel);
	return 0;
}

/* ---- baselines and sinks ------------------------------------------------------------------- */

static void base_usage(void)
{
	fputs("usage: gifbench base xdp_redirect|xdp_strip|tc_redirect|tc_drop DEV\n"
	      "         [--ingress|--egress] [--target DEV] [--strip N] [--dmac MAC|DEV]\n"
	      "         [--smac MAC|DEV] [--proto 4|6] [--replace-handle H --replace-prio P]\n"
	      "Attaches the program to DEV (XDP: native mode, replacing what is there; TC: a\n"
	      "direct-action filter, by default with handle 0xbe0 priority 1 on the given hook).\n",
	      stderr);
	exit(2);
}

static int cmd_base(int argc, char **argv)
{
	static const struct option lo[] = {
		{ "ingress", 0, 0, 'i' }, { "egress", 0, 0, 'e' }, { "target", 1, 0, 't' },
		{ "strip", 1, 0, 's' }, { "dmac", 1, 0, 'D' }, { "smac", 1, 0, 'S' },
		{ "proto", 1, 0, 'p' }, { "handle", 1, 0, 'H' }, { "prio", 1, 0, 'P' },
		{ "help", 0, 0, 'h' }, {}
	};
	struct base_cfg cfg = {};
	bool ingress = true;
	__u32 handle = 0xbe0, prio = 1;
	int c, proto = 4;

	while ((c = getopt_long(argc, argv, "", lo, NULL)) != -1) {
		switch (c) {
		case 'i': ingress = true; break;
		case 'e': ingress = false; break;
		case 't': cfg.ifindex = ifindex_of(optarg); break;
		case 's': cfg.strip = strtoul(optarg, NULL, 0); break;
		case 'D': mac_arg(optarg, cfg.eth); break;
		case 'S': mac_arg(optarg, cfg.eth + 6); break;
		case 'p': proto = atoi(optarg); break;
		case 'H': handle = strtoul(optarg, NULL, 0); break;
		case 'P': prio = strtoul(optarg, NULL, 0); break;
		default: base_usage();
		}
	}
	if (argc - optind != 2)
		base_usage();
	cfg.eth[12] = proto == 4 ? 0x08 : 0x86;
	cfg.eth[13] = proto == 4 ? 0x00 : 0xdd;

	const char *which = argv[optind];
	unsigned int dev = ifindex_of(argv[optind + 1]);
	struct base *skel = base__open();
	struct bpf_program *p;
	int err;

	if (!skel)
		die("cannot open the baseline programs");
	p = bpf_object__find_program_by_name(skel->obj, which);
	if (!p)
		base_usage();
	struct bpf_program *q;

	bpf_object__for_each_program(q, skel->obj)
		bpf_program__set_autoload(q, q == p);
	if (base__load(skel))
		die("cannot load %s", which);
	skel->bss->cfg = cfg;
	if (!strncmp(which, "xdp", 3)) {
		err = bpf_xdp_attach(dev, bpf_program__fd(p), XDP_FLAGS_DRV_MODE, NULL);
	} else {
		LIBBPF_OPTS(bpf_tc_hook, hook, .ifindex = dev,
			    .attach_point = ingress ? BPF_TC_INGRESS : BPF_TC_EGRESS);
		LIBBPF_OPTS(bpf_tc_opts, opts, .handle = handle, .priority = prio,
			    .prog_fd = bpf_program__fd(p), .flags = BPF_TC_F_REPLACE);

		err = bpf_tc_hook_create(&hook);
		if (!err || err == -EEXIST)
			err = bpf_tc_attach(&hook, &opts);
	}
	if (err)
		die("attaching %s to %s: %s", which, argv[optind + 1], strerror(-err));
	base__destroy(skel);	/* the attachment holds the program and its data */
	return 0;
}

/* ---- the gifctl datapath's maps ------------------------------------------------------------ */

struct dp_maps {
	int rx, tx, stats, meta;
};

/* The maps of the gifctl XDP program attached to DEV. */
static void find_maps(const char *dev, struct dp_maps *m)
{
	__u32 id = 0, ids[16], n = 16;
	struct bpf_prog_info info = { .nr_map_ids = n, .map_ids = (__u64)(unsigned long)ids };
	__u32 len = sizeof(info);
	int fd;

	m->rx = m->tx = m->stats = m->meta = -1;
	if (bpf_xdp_query_id(ifindex_of(dev), 0, &id) || !id)
		die("no XDP program on %s", dev);
	fd = bpf_prog_get_fd_by_id(id);
	if (fd < 0 || bpf_obj_get_info_by_fd(fd, &info, &len))
		die("cannot read XDP program %u", id);
	close(fd);
	for (__u32 i = 0; i < info.nr_map_ids && i < n; i++) {
		struct bpf_map_info mi = {};
		__u32 ml = sizeof(mi);
		int mfd = bpf_map_get_fd_by_id(ids[i]), *slot = NULL;

		if (mfd < 0 || bpf_obj_get_info_by_fd(mfd, &mi, &ml))
			die("cannot read map %u", ids[i]);
		if (!strcmp(mi.name, "gif_rx"))
			slot = &m->rx;
		else if (!strcmp(mi.name, "gif_tx"))
			slot = &m->tx;
		else if (!strcmp(mi.name, "gif_stats"))
			slot = &m->stats;
		else if (!strcmp(mi.name, "gif_meta"))
			slot = &m->meta;
		if (slot)
			*slot = mfd;
		else
			close(mfd);
	}
	if (m->rx < 0 || m->tx < 0 || m->stats < 0 || m->meta < 0)
		die("the XDP program on %s is not gifctl's", dev);
}

/* The configuration gif_tx holds for device IFINDEX. */
static void tunnel_of(const struct dp_maps *m, __u32 ifindex, struct gif_tunnel *t)
{
	__u32 id, zero = 0;
	int fd;

	if (bpf_map_lookup_elem(m->tx, &ifindex, &id))
		die("ifindex %u has no gif_tx entry", ifindex);
	fd = bpf_map_get_fd_by_id(id);
	if (fd < 0 || bpf_map_lookup_elem(fd, &zero, t))
		die("cannot read tunnel map %u", id);
	close(fd);
}

/* ---- filling the maps with tunnels --------------------------------------------------------- */

#define FAKE_IFINDEX_BASE 0x40000000u

static int cmd_fill(int argc, char **argv)
{
	if (argc != 6 && argc != 7) {
		fputs("usage: gifbench fill UNDERLAY GIF REMOTE_BASE FROM TO [--clear]\n"
		      "Adds tunnels FROM .. TO-1 (FROM >= 1) next to GIF's own, whose remote must be\n"
		      "REMOTE_BASE: tunnel i is a copy of GIF's configuration with the remote\n"
		      "REMOTE_BASE + i, in its own frozen inner map, published in gif_rx under its pair,\n"
		      "with its own counters (keyed by a made-up ifindex); frames decapsulated by any of\n"
		      "them reach GIF. --clear removes tunnels FROM .. TO-1 instead.\n",
		      stderr);
		exit(2);
	}
	bool clear = argc == 7 && !strcmp(argv[6], "--clear");
	unsigned long from = strtoul(argv[4], NULL, 0), to = strtoul(argv[5], NULL, 0);
	int ncpu = libbpf_num_possible_cpus();
	struct gif_tunnel base, t;
	struct gif_pair pair = {};
	struct dp_maps m;
	__u8 rbase[16];
	void *zeros;
	double t0 = now();

	if (from < 1 || to < from)
		die("bad range %lu .. %lu", from, to);
	find_maps(argv[1], &m);
	tunnel_of(&m, ifindex_of(argv[2]), &base);
	parse_addr(base.family == GIF_AF_INET ? 4 : 6, argv[3], rbase);
	if (memcmp(rbase, base.remote, 16))
		die("%s's remote is not %s", argv[2], argv[3]);
	zeros = calloc(ncpu, sizeof(struct gif_stats));
	pair.family = base.family;
	memcpy(pair.local, base.local, 16);
	for (unsigned long i = from; i < to; i++) {
		__u32 key = FAKE_IFINDEX_BASE + i, zero = 0, word;
		int fd;

		t = base;
		memcpy(&word, t.remote + (base.family == GIF_AF_INET ? 0 : 12), 4);
		word = htonl(ntohl(word) + i);
		memcpy(t.remote + (base.family == GIF_AF_INET ? 0 : 12), &word, 4);
		memcpy(pair.remote, t.remote, 16);
		t.ifindex = key;
		if (clear) {
			bpf_map_delete_elem(m.rx, &pair);
			bpf_map_delete_elem(m.stats, &key);
			continue;
		}
		fd = bpf_map_create(BPF_MAP_TYPE_ARRAY, "gif_tunnel", 4, sizeof(t), 1, NULL);
		if (fd < 0 || bpf_map_update_elem(fd, &zero, &t, 0) || bpf_map_freeze(fd))
			die("tunnel %lu: cannot build its map: %s", i, strerror(errno));
		/* The per-CPU allocator refills asynchronously: ENOMEM here is transient. */
		for (int tries = 0; bpf_map_update_elem(m.stats, &key, zeros, BPF_NOEXIST); tries++) {
			if (errno != ENOMEM || tries == 1000)
				die("tunnel %lu: cannot create its counters: %s", i, strerror(errno));
			usleep(1000);
		}
		if (bpf_map_update_elem(m.rx, &pair, &fd, BPF_NOEXIST))
			die("tunnel %lu: cannot publish it: %s", i, strerror(errno));
		close(fd);
	}
	printf("{\"%s\": %lu, \"s\": %.3f}\n", clear ? "removed" : "added", to - from, now() - t0);
	free(zeros);
	return 0;
}

int main(int argc, char **argv)
{
	if (argc < 2) {
		fputs("usage: gifbench gen|base|fill ... (COMMAND --help)\n", stderr);
		return 2;
	}
	if (!getenv("GIFBENCH_DEBUG"))
		libbpf_set_print(NULL);
	if (!strcmp(argv[1], "gen"))
		return cmd_gen(argc - 1, argv + 1);
	if (!strcmp(argv[1], "base"))
		return cmd_base(argc - 1, argv + 1);
	if (!strcmp(argv[1], "fill"))
		return cmd_fill(argc - 1, argv + 1);
	fprintf(stderr, "%s: unknown command %s\n", prog, argv[1]);
	return 2;
}
