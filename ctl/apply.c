/* SPDX-License-Identifier: GPL-2.0 */
/*
 * `gifctl apply [--dry-run] FILE`: make this namespace match a configuration file, all or
 * nothing. The whole file is validated first; the changes are planned against the running
 * configuration and made under one hold of the lock; if one fails, the configuration taken
 * before the first change is applied back.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "change.h"
#include "commands.h"
#include "device.h"
#include "dump.h"
#include "log.h"
#include "ops.h"
#include "switches.h"
#include "tunnels.h"

#define USAGE "apply [--dry-run] FILE"
#define MAX_FILE (16 << 20)

enum step_kind { DETACH, DESTROY, UNPAIR, SET, ATTACH };

struct step {
	enum step_kind kind;
	const char *name;
	const struct config_tunnel *tunnel;	/* SET: what the device must become */
	const struct config_attach *attach;	/* ATTACH: how */
};

struct plan {
	struct step *steps;
	size_t n;
};

static const struct config_tunnel *tunnel_named(const struct config *c, const char *name)
{
	for (size_t i = 0; i < c->ntunnels; i++)
		if (!strcmp(c->tunnels[i].name, name))
			return &c->tunnels[i];
	return NULL;
}

static const struct config_attach *attachment(const struct config *c, const char *name)
{
	for (size_t i = 0; i < c->nattach; i++)
		if (!strcmp(c->attach[i].name, name))
			return &c->attach[i];
	return NULL;
}

static bool attached(const struct config *c, const char *name)
{
	return attachment(c, name) != NULL;
}

/* WANT is not attached in HAVE, or in another mode than WANT names. */
static bool attach_differs(const struct config *have, const struct config_attach *want)
{
	const struct config_attach *h = attachment(have, want->name);

	return !h || (want->mode && want->mode != h->mode);
}

static void add(struct plan *p, enum step_kind kind, const char *name,
		const struct config_tunnel *t)
{
	p->steps[p->n++] = (struct step){ .kind = kind, .name = name, .tunnel = t };
}

/* The MTU a tunnel of the file ends up with: its own, else the underlay's default. */
static unsigned int wanted_mtu(const struct config_tunnel *t, unsigned int current)
{
	unsigned int mtu = t->opts.mtu;

	if (!mtu && t->pair.family)
		mtu = gif_default_mtu(t->pair.family, t->pair.local, t->pair.remote);
	return mtu ? mtu : current;
}

static bool same_tunnel(const struct config_tunnel *want, const struct config_tunnel *have)
{
	struct tunnel_opts w = want->opts;

	w.mtu = wanted_mtu(want, have->opts.mtu);
	return !memcmp(&want->pair, &have->pair, sizeof(want->pair)) &&
	       !memcmp(&w, &have->opts, sizeof(w));
}

/*
 * The steps from HAVE to WANT, in an order that never needs a pair two devices hold: detach,
 * destroy, free the pairs other devices are about to take, set, attach.
 */
static int make_plan(const struct config *have, const struct config *want, struct plan *p)
{
	size_t max = have->nattach + have->ntunnels * 2 + want->ntunnels + want->nattach;

	p->n = 0;
	p->steps = calloc(max + 1, sizeof(*p->steps));
	if (!p->steps)
		return -ENOMEM;
	for (size_t i = 0; i < have->nattach; i++)
		if (!attached(want, have->attach[i].name))
			add(p, DETACH, have->attach[i].name, NULL);
	for (size_t i = 0; i < have->ntunnels; i++)
		if (!tunnel_named(want, have->tunnels[i].name))
			add(p, DESTROY, have->tunnels[i].name, NULL);
	for (size_t i = 0; i < have->ntunnels; i++) {
		const struct config_tunnel *h = &have->tunnels[i], *w = tunnel_named(want, h->name);

		if (!w || !h->pair.family || !memcmp(&w->pair, &h->pair, sizeof(h->pair)))
			continue;
		for (size_t j = 0; j < want->ntunnels; j++)
			if (!memcmp(&want->tunnels[j].pair, &h->pair, sizeof(h->pair)))
				add(p, UNPAIR, h->name, NULL);
	}
	for (size_t i = 0; i < want->ntunnels; i++) {
		const struct config_tunnel *w = &want->tunnels[i], *h = tunnel_named(have, w->name);

		if (!h || !same_tunnel(w, h))
			add(p, SET, w->name, w);
	}
	for (size_t i = 0; i < want->nattach; i++)
		if (attach_differs(have, &want->attach[i])) {
			add(p, ATTACH, want->attach[i].name, NULL);
			p->steps[p->n - 1].attach = &want->attach[i];
		}
	return 0;
}

/* What the file refers to must exist or be creatable before anything changes. */
static int validate(const struct datapath *dp, const char *file, const struct config *want)
{
	struct gif_tunnel cfg;
	struct nl_link link;

	for (size_t i = 0; i < want->ntunnels; i++) {
		const struct config_tunnel *t = &want->tunnels[i];

		if (!nl_link_get(t->name, &link) && (dp->tx_fd < 0 || tun_get(dp, link.ifindex, &cfg)))
			return fail(file, "line %u: %s exists and is not a gif device", t->line,
				    t->name);
	}
	for (size_t i = 0; i < want->nattach; i++)
		if (nl_link_get(want->attach[i].name, &link))
			return fail(file, "line %u: %s: no such device", want->attach[i].line,
				    want->attach[i].name);
	return EXIT_OK;
}

static void print_step(const struct step *s)
{
	static const char *const verbs[] = { "detach", "destroy", "tunnel delete", "tunnel set",
					     "attach" };

	printf("%s %s", verbs[s->kind], s->name);
	if (s->kind == SET) {
		struct config c = { .tunnels = (struct config_tunnel *)s->tunnel, .ntunnels = 1 };
		char *line = NULL;
		size_t len = 0;
		FILE *mem = open_memstream(&line, &len);

		if (mem) {
			config_write(mem, &c);
			fclose(mem);
			/* The second line of the written file is "tunnel NAME ...": print its rest. */
			char *rest = strstr(line, "\ntunnel ");

			if (rest)
				printf("%s", strchr(rest + 8, ' ') ?: "\n");
			free(line);
			return;
		}
	}
	if (s->kind == ATTACH && s->attach->mode)
		printf(" mode %s", attach_mode_name(s->attach->mode));
	putchar('\n');
}

static int run_step(struct datapath *dp, const struct step *s)
{
	struct tunnel_opts opts;
	struct nl_link link;

	switch (s->kind) {
	case DETACH:
		return op_detach(dp, s->name);
	case DESTROY:
		return op_destroy(dp, s->name);
	case UNPAIR:
		return op_tunnel_set(dp, s->name, NULL, &no_tunnel_opts);
	case SET:
		opts = s->tunnel->opts;
		opts.mtu = wanted_mtu(s->tunnel, nl_link_get(s->name, &link) ? 0 : link.mtu);
		return op_tunnel_set(dp, s->name, s->tunnel->pair.family ? &s->tunnel->pair : NULL,
				     &opts);
	case ATTACH:
		return op_attach_mode(dp, s->name, s->attach->mode);
	}
	return EXIT_FAIL;
}

/* Makes the system match WANT; returns the exit status of the first failed step. */
static int converge(struct datapath *dp, const struct config *want)
{
	struct config have;
	struct plan p;
	int rc = EXIT_OK, err = config_from_system(dp, &have);

	if (err || (err = make_plan(&have, want, &p))) {
		config_free(&have);
		return fail(NULL, "cannot plan the changes: %s", strerror(-err));
	}
	switches_begin();
	for (size_t i = 0; !rc && i < p.n; i++)
		rc = run_step(dp, &p.steps[i]);
	if (!rc)
		rc = switches_flush(dp);
	switches_end(dp);
	free(p.steps);
	config_free(&have);
	return rc;
}

/* Reads PATH ("-": standard input) whole, up to MAX_FILE bytes. */
static int read_file(const char *path, char **text, size_t *len)
{
	FILE *f = strcmp(path, "-") ? fopen(path, "re") : stdin;
	size_t cap = 0, n = 0, got;
	char *buf = NULL, *grown;
	int err = 0;

	if (!f)
		return -errno;
	do {
		if (n == cap) {
			if (cap >= MAX_FILE || !(grown = realloc(buf, cap = cap ? 2 * cap : 65536))) {
				err = cap >= MAX_FILE ? -EFBIG : -ENOMEM;
				break;
			}
			buf = grown;
		}
		n += got = fread(buf + n, 1, cap - n, f);
	} while (got);
	if (!err && ferror(f))
		err = -EIO;
	if (f != stdin)
		fclose(f);
	if (err)
		free(buf);
	*text = err ? NULL : buf;
	*len = n;
	return err;
}

int cmd_apply(int argc, char **argv)
{
	bool dry_run = argc == 2 && !strcmp(argv[0], "--dry-run");
	struct config want, before;
	const char *file;
	struct datapath dp;
	char *text = NULL, err_buf[256];
	size_t len = 0;
	int rc, err;

	if (argc == 0 || (argc == 1 && !strcmp(argv[0], "--dry-run")))
		return usage_error(USAGE, "missing FILE");
	if (argc != 1 + dry_run)
		return usage_error(USAGE, "unexpected arguments");
	file = argv[argc - 1];
	if ((err = read_file(file, &text, &len)))
		return fail(file, "cannot read: %s", strerror(-err));
	err = config_parse(text, len, &want, err_buf, sizeof(err_buf));
	free(text);
	if (err)
		return fail(file, "%s", err_buf);
	if ((rc = begin_change(file))) {
		config_free(&want);
		return rc;
	}
	err = dp_open(&dp);
	if (err) {
		rc = fail(file, "cannot load the datapath: %s", strerror(-err));
	} else if (!(rc = validate(&dp, file, &want))) {
		if ((err = config_from_system(&dp, &before))) {
			rc = fail(file, "cannot read the configuration: %s", strerror(-err));
		} else if (dry_run) {
			struct plan p;

			if (!make_plan(&before, &want, &p)) {
				for (size_t i = 0; i < p.n; i++)
					print_step(&p.steps[i]);
				if (!p.n)
					printf("nothing to change\n");
				free(p.steps);
			}
			config_free(&before);
		} else {
			rc = converge(&dp, &want);
			if (rc) {
				converge(&dp, &before);
				fail(file, "not applied; the previous configuration is restored");
			}
			config_free(&before);
		}
	}
	dp_close(&dp);
	config_free(&want);
	return rc;
}
