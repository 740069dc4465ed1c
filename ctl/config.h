/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The configuration file of `gifctl dump` and `gifctl apply`: one statement per line, the same
 * words as the command line, `#` starts a comment.
 *
 *	attach IFACE [mode xdp|tc]
 *	tunnel GIF [SRC DST] [OPTION VALUE]...
 *
 * Parsing is pure (no system access) and complete: every option of a tunnel is set, those the
 * file leaves out to their defaults (mtu 0: the default for the underlay).
 */
#ifndef GIF_CONFIG_H
#define GIF_CONFIG_H

#include <net/if.h>
#include <stdio.h>
#include "parse.h"

struct config_tunnel {
	char name[IF_NAMESIZE];
	struct gif_pair pair;		/* family GIF_AF_NONE: no endpoints */
	struct tunnel_opts opts;
	unsigned int line;
};

struct config_attach {
	char name[IF_NAMESIZE];
	enum attach_mode mode;	/* ATTACH_AUTO: gifctl chooses */
	unsigned int line;
};

struct config {
	struct config_attach *attach;
	size_t nattach;
	struct config_tunnel *tunnels;
	size_t ntunnels;
};

/*
 * Returns 0, or -1 with "line N: what is wrong" in err. Repeated names and endpoint pairs are
 * errors, checked once every line has parsed: the first line repeating an earlier one is named.
 */
int config_parse(const char *text, size_t len, struct config *out, char *err, size_t errlen);
void config_write(FILE *f, const struct config *c);
void config_free(struct config *c);

/* The defaults a tunnel's options start from. */
extern const struct tunnel_opts default_tunnel_opts;

#endif
