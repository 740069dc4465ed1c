/* SPDX-License-Identifier: GPL-2.0 */
/* Messages: one line on stderr, "gifctl: <command> <object>: <what went wrong>". */
#ifndef GIF_LOG_H
#define GIF_LOG_H

#define EXIT_OK 0
#define EXIT_FAIL 1
#define EXIT_USAGE 2

extern int verbose;
extern const char *cmd_name;	/* "tunnel set", set by the dispatcher */

/* Prints "gifctl: CMD OBJ: MESSAGE" (OBJ may be NULL) and returns EXIT_FAIL. */
int fail(const char *obj, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
/* Prints "gifctl: CMD: MESSAGE (usage: ...)" and returns EXIT_USAGE. */
int usage_error(const char *usage, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
/* Prints "gifctl: MESSAGE" on stderr with -v only. */
void debug(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
/* Routes libbpf's own messages to debug(). */
void log_setup_libbpf(void);

#endif
