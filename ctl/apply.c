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
#include "config_index.h"
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
static void plan_steps(const struct config *have, const struct config_index *have_ix,
		       const struct config *want, const struct config_index *want_ix,
		       struct plan *p)
{
	for (size_t i = 0; i < have->nattach; i++)
		if (!attached(want, have->attach[i].name))
			add(p, DETACH, have->attach[i].name, NULL);
	for (size_t i = 0; i < have->ntunnels; i++)
		if (!config_index_name(want_ix, have->tunnels[i].name))
			add(p, DESTROY, have->tunnels[i].name, NULL);
	for (size_t i = 0; i < have->ntunnels; i++) {
		const struct config_tunnel *h = &have->tunnels[i];
		const struct config_tunnel *w = config_index_name(want_ix, h->name);

		if (!w || !h->pair.family || !memcmp(&w->pair, &h->pair, sizeof(h->pair)))
			continue;
		if (config_index_pair(want_ix, &h->pair))
			add(p, UNPAIR, h->name, NULL);
	}
	for (size_t i = 0; i < want->ntunnels; i++) {
		const struct config_tunnel *w = &want->tunnels[i];
		const struct config_tunnel *h = config_index_name(have_ix, w->name);

		if (!h || !same_tunnel(w, h))
			add(p, SET, w->name, w);
	}
	for (size_t i = 0; i < want->nattach; i++)
		if (attach_differs(have, &want->attach[i])) {
			add(p, ATTACH, want->attach[i].name, NULL);
			p->steps[p->n - 1].attach = &want->attach[i];
		}
}

static int make_plan(const struct config *have, const struct config *want, struct plan *p)
{
	size_t max = have->nattach + have->ntunnels * 2 + want->ntunnels + want->nattach;
	struct config_index have_ix, want_ix;
	int err;

	p->n = 0;
	p->steps = calloc(max + 1, sizeof(*p->steps));
	err = p->steps ? config_index_build(&have_ix, have) : -ENOMEM;
	if (!err && (err = config_index_build(&want_ix, want)))
		config_index_free(&have_ix);
	if (err) {
		free(p->steps);
		return err;
	}
	plan_steps(have, &have_ix, want, &want_ix, p);
	config_index_free(&have_ix);
	config_index_free(&want_ix);
	return 0;
}

/*
 * What the file refers to must exist or be creatable before anything changes: a tunnel's name is
 * one of HAVE's gif devices or free.
 */
static int validate(const char *file, const struct config *want, const struct config *have)
{
	struct config_index ix;
	struct nl_link link;
	int rc = EXIT_OK;

	if (config_index_build(&ix, have))
		return fail(file, "out of memory");
	for (size_t i = 0; !rc && i < want->ntunnels; i++) {
		const struct config_tunnel *t = &want->tunnels[i];

		if (!config_index_name(&ix, t->name) && !nl_link_get(t->name, &link))
			rc = fail(file, "line %u: %s exists and is not a gif device", t->line,
				  t->name);
	}
	config_index_free(&ix);
	for (size_t i = 0; !rc && i < want->nattach; i++)
		if (nl_link_get(want->attach[i].name, &link))
			rc = fail(file, "line %u: %s: no such device", want->attach[i].line,
				  want->attach[i].name);
	return rc;
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

/*
 * Makes the system, configured as HAVE, match WANT; returns the exit status of the first failed
 * step.
 */
static int converge(struct datapath *dp, const struct config *have, const struct config *want)
{
	struct plan p;
	int rc = EXIT_OK, err = make_plan(have, want, &p);

	if (err)
		return fail(NULL, "cannot plan the changes: %s", strerror(-err));
	switches_begin();
	for (size_t i = 0; !rc && i < p.n; i++)
		rc = run_step(dp, &p.steps[i]);
	if (!rc)
		rc = switches_flush(dp);
	switches_end(dp);
	free(p.steps);
	return rc;
}

/* Makes the system, configured as BEFORE, match WANT, or puts BEFORE back. */
static int apply_or_restore(struct datapath *dp, const char *file, const struct config *before,
			    const struct config *want)
{
	struct config now;
	int rc = converge(dp, before, want), err;

	if (!rc)
		return rc;
	if ((err = config_from_system(dp, &now)))
		fail(NULL, "cannot read the configuration: %s", strerror(-err));
	else
		converge(dp, &now, before);
	config_free(&now);
	fail(file, "not applied; the previous configuration is restored");
	return rc;
}

static int print_plan(const char *file, const struct config *before, const struct config *want)
{
	struct plan p;
	int err = make_plan(before, want, &p);

	if (err)
		return fail(file, "cannot plan the changes: %s", strerror(-err));
	for (size_t i = 0; i < p.n; i++)
		print_step(&p.steps[i]);
	if (!p.n)
		printf("nothing to change\n");
	free(p.steps);
	return EXIT_OK;
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
	/* Read once, under the lock: the plan, the checks and a restore start from it. */
	if ((err = dp_open(&dp))) {
		rc = fail(file, "cannot load the datapath: %s", strerror(-err));
	} else if ((err = config_from_system(&dp, &before))) {
		rc = fail(file, "cannot read the configuration: %s", strerror(-err));
	} else {
		if (!(rc = validate(file, &want, &before)))
			rc = dry_run ? print_plan(file, &before, &want) :
				       apply_or_restore(&dp, file, &before, &want);
		config_free(&before);
	}
	dp_close(&dp);
	config_free(&want);
	return rc;
}
