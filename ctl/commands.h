/* SPDX-License-Identifier: GPL-2.0 */
/* The subcommands; each gets the arguments after its name and returns the exit status. */
#ifndef GIF_COMMANDS_H
#define GIF_COMMANDS_H


int cmd_attach(int argc, char **argv);
int cmd_detach(int argc, char **argv);
int cmd_tunnel(int argc, char **argv);
int cmd_destroy(int argc, char **argv);
int cmd_show(int argc, char **argv);

#endif
