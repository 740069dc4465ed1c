/* SPDX-License-Identifier: GPL-2.0 */
/* The subcommands; each gets the arguments after its name and returns the exit status. */
#ifndef GIF_COMMANDS_H
#define GIF_COMMANDS_H


int cmd_attach(int argc, char **argv);
int cmd_detach(int argc, char **argv);
int cmd_tunnel(int argc, char **argv);
int cmd_destroy(int argc, char **argv);
int cmd_show(int argc, char **argv);
int cmd_stats(int argc, char **argv);
int cmd_check(int argc, char **argv);
int cmd_dump(int argc, char **argv);
int cmd_apply(int argc, char **argv);

struct gif_stats;
/* The counters of one tunnel, in the current object (text: four to a line). */
void print_counters(const struct gif_stats *s);

/* -s: show adds counters. */
extern int show_stats;

#endif
