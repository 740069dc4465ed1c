/* SPDX-License-Identifier: GPL-2.0 */
/* Parsing and writing the configuration file (see config.h). */
#include <arpa/inet.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>
#include "config.h"
#include "config_index.h"

#define MAX_WORDS 32

const struct tunnel_opts default_tunnel_opts = {
	.ttl = GIF_DEFAULT_TTL, .dscp = GIF_DSCP_INHERIT, .ecn = GIF_ECN_NORMAL,
	.pmtudisc = 1, .ingress_filter = 0, .mtu = 0,
};

static int error(char *err, size_t errlen, unsigned int line, const char *fmt, ...)
{
	va_list ap;
	int n = snprintf(err, errlen, "line %u: ", line);

	va_start(ap, fmt);
	if (n >= 0 && (size_t)n < errlen)
		vsnprintf(err + n, errlen - n, fmt, ap);
	va_end(ap);
	return -1;
}

static void *grow(void *array, size_t n, size_t size)
{
	/* Doubles at powers of two: amortised constant, and the caller keeps only n. */
	if (n & (n - 1))
		return array;
	return realloc(array, (n ? 2 * n : 1) * size);
}

static bool is_option(const char *word)
{
	static const char *const keys[] = { "ttl", "dscp", "ecn", "pmtudisc", "mtu",
					    "ingress-filter" };

	for (size_t i = 0; i < sizeof(keys) / sizeof(keys[0]); i++)
		if (!strcmp(word, keys[i]))
			return true;
	return false;
}

static int add_attach(struct config *c, char **w, int n, unsigned int line, char *err,
		      size_t errlen)
{
	char why[128];

	enum attach_mode mode = ATTACH_AUTO;

	if (n != 2 && (n != 4 || strcmp(w[2], "mode")))
		return error(err, errlen, line, "expected 'attach IFACE [mode xdp|tc]'");
	if (!parse_ifname(w[1], why, sizeof(why)))
		return error(err, errlen, line, "'%s': %s", w[1], why);
	if (n == 4 && !parse_attach_mode(w[3], &mode))
		return error(err, errlen, line, "unknown mode '%s' (xdp, tc)", w[3]);
	for (size_t i = 0; i < c->nattach; i++)
		if (!strcmp(c->attach[i].name, w[1]))
			return error(err, errlen, line, "%s is attached on line %u already", w[1],
				     c->attach[i].line);
	if (!(c->attach = grow(c->attach, c->nattach, sizeof(*c->attach))))
		return error(err, errlen, line, "out of memory");
	snprintf(c->attach[c->nattach].name, IF_NAMESIZE, "%s", w[1]);
	c->attach[c->nattach].mode = mode;
	c->attach[c->nattach++].line = line;
	return 0;
}

static int add_tunnel(struct config *c, char **w, int n, unsigned int line, char *err,
		      size_t errlen)
{
	struct config_tunnel t = { .opts = default_tunnel_opts, .line = line };
	struct tunnel_opts given;
	char why[160];
	int first_opt = 2;

	if (n < 2)
		return error(err, errlen, line, "expected 'tunnel GIF [SRC DST] [OPTION VALUE]...'");
	if (!parse_ifname(w[1], why, sizeof(why)))
		return error(err, errlen, line, "'%s': %s", w[1], why);
	snprintf(t.name, sizeof(t.name), "%s", w[1]);
	if (n > 2 && !is_option(w[2])) {
		if (n < 4 || !parse_endpoints(w[2], w[3], &t.pair, why, sizeof(why)))
			return error(err, errlen, line, "%s", n < 4 ? "DST missing" : why);
		first_opt = 4;
	}
	if (!parse_tunnel_opts(n - first_opt, w + first_opt, &given, why, sizeof(why)))
		return error(err, errlen, line, "%s", why);
	merge_tunnel_opts(&t.opts, &given);
	if (!(c->tunnels = grow(c->tunnels, c->ntunnels, sizeof(*c->tunnels))))
		return error(err, errlen, line, "out of memory");
	c->tunnels[c->ntunnels++] = t;
	return 0;
}

/* Of two repetitions of an earlier tunnel, the one on the earlier line. */
static void first_repeat(const struct config_tunnel **rep, const struct config_tunnel **of,
			 const struct config_tunnel *cand, const struct config_tunnel *cand_of)
{
	if (!*rep || cand->line < (*rep)->line) {
		*rep = cand;
		*of = cand_of;
	}
}

/*
 * The first line that repeats an earlier tunnel's name or endpoints, reported as checking each
 * line against all the lines before it would (the name first, when a line repeats both), but in
 * O(n log n): on that line, its one earlier namesake is its neighbour in name order.
 */
static int check_repeats(const struct config *c, char *err, size_t errlen)
{
	const struct config_tunnel *name = NULL, *name_of = NULL, *pair = NULL, *pair_of = NULL;
	struct config_index ix;

	if (config_index_build(&ix, c)) {
		snprintf(err, errlen, "out of memory");
		return -1;
	}
	for (size_t i = 1; i < ix.n; i++)
		if (!strcmp(ix.by_name[i - 1]->name, ix.by_name[i]->name))
			first_repeat(&name, &name_of, ix.by_name[i], ix.by_name[i - 1]);
	for (size_t i = 1; i < ix.npairs; i++)
		if (!memcmp(&ix.by_pair[i - 1]->pair, &ix.by_pair[i]->pair, sizeof(struct gif_pair)))
			first_repeat(&pair, &pair_of, ix.by_pair[i], ix.by_pair[i - 1]);
	config_index_free(&ix);
	if (name && (!pair || name->line < pair->line ||
		     (name->line == pair->line && name_of->line <= pair_of->line)))
		return error(err, errlen, name->line, "%s is configured on line %u already",
			     name->name, name_of->line);
	if (pair)
		return error(err, errlen, pair->line, "%s uses the endpoints of %s (line %u)",
			     pair->name, pair_of->name, pair_of->line);
	return 0;
}

/*
 * Splits LINE into words at blanks; a word starting with '#' starts a comment (a '#' inside a
 * word, as interface names may have, does not). Returns the count or -1 if too many.
 */
static int split(char *line, char **w)
{
	int n = 0;

	for (char *tok = strtok(line, " \t\r"); tok && *tok != '#'; tok = strtok(NULL, " \t\r")) {
		if (n == MAX_WORDS)
			return -1;
		w[n++] = tok;
	}
	return n;
}

int config_parse(const char *text, size_t len, struct config *out, char *err, size_t errlen)
{
	unsigned int line = 0;
	size_t pos = 0;

	memset(out, 0, sizeof(*out));
	while (pos < len) {
		size_t end = pos;
		char buf[1024], *w[MAX_WORDS];
		int n, rc = 0;

		while (end < len && text[end] != '\n')
			end++;
		line++;
		if (end - pos >= sizeof(buf) || memchr(text + pos, '\0', end - pos)) {
			config_free(out);
			return error(err, errlen, line, "line too long or not text");
		}
		memcpy(buf, text + pos, end - pos);
		buf[end - pos] = '\0';
		pos = end + 1;
		n = split(buf, w);
		if (n < 0)
			rc = error(err, errlen, line, "too many words");
		else if (n && !strcmp(w[0], "attach"))
			rc = add_attach(out, w, n, line, err, errlen);
		else if (n && !strcmp(w[0], "tunnel"))
			rc = add_tunnel(out, w, n, line, err, errlen);
		else if (n)
			rc = error(err, errlen, line, "unknown statement '%s' (expected attach or "
						      "tunnel)", w[0]);
		if (rc) {
			config_free(out);
			return rc;
		}
	}
	if (check_repeats(out, err, errlen)) {
		config_free(out);
		return -1;
	}
	return 0;
}

void config_write(FILE *f, const struct config *c)
{
	fprintf(f, "# gifctl configuration: `gifctl apply FILE` makes a network namespace match "
		   "it.\n");
	for (size_t i = 0; i < c->nattach; i++)
		fprintf(f, "attach %s%s%s\n", c->attach[i].name, c->attach[i].mode ? " mode " : "",
			c->attach[i].mode ? attach_mode_name(c->attach[i].mode) : "");
	for (size_t i = 0; i < c->ntunnels; i++) {
		const struct config_tunnel *t = &c->tunnels[i];
		char l[INET6_ADDRSTRLEN], r[INET6_ADDRSTRLEN];

		fprintf(f, "tunnel %s", t->name);
		if (t->pair.family)
			fprintf(f, " %s %s", addr_str(t->pair.family, t->pair.local, l, sizeof(l)),
				addr_str(t->pair.family, t->pair.remote, r, sizeof(r)));
		if (t->opts.ttl == GIF_TTL_INHERIT)
			fprintf(f, " ttl inherit");
		else
			fprintf(f, " ttl %d", t->opts.ttl);
		if (t->opts.dscp == GIF_DSCP_INHERIT)
			fprintf(f, " dscp inherit");
		else
			fprintf(f, " dscp %d", t->opts.dscp);
		fprintf(f, " ecn %s pmtudisc %s ingress-filter %s", ecn_name(t->opts.ecn),
			t->opts.pmtudisc ? "on" : "off", t->opts.ingress_filter ? "on" : "off");
		if (t->opts.mtu)
			fprintf(f, " mtu %u", t->opts.mtu);
		fputc('\n', f);
	}
}

void config_free(struct config *c)
{
	free(c->attach);
	free(c->tunnels);
	memset(c, 0, sizeof(*c));
}
