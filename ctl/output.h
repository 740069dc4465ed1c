/* SPDX-License-Identifier: GPL-2.0 */
/*
 * One print path for text and JSON (-j, -p): each call names a JSON key and a text format, so the
 * two outputs cannot drift apart. JSON is an array of flat objects, like `ip -j`.
 */
#ifndef GIF_OUTPUT_H
#define GIF_OUTPUT_H

#include <stdbool.h>
#include <stddef.h>

void out_init(bool json, bool pretty);
bool out_is_json(void);
void out_list_begin(void);
void out_list_end(void);	/* prints the JSON document */
void out_obj_begin(void);
void out_obj_end(void);

/* Text: printf(fmt, value); JSON: "key": value. A NULL string is left out of both. */
void out_str(const char *key, const char *fmt, const char *value);
void out_uint(const char *key, const char *fmt, unsigned long long value);
void out_bool(const char *key, const char *fmt, bool value);
/* Text: each value through fmt; JSON: "key": [values]. */
void out_strs(const char *key, const char *fmt, const char *const *values, size_t n);
/* Text only: decoration such as newlines and tabs. */
void out_text(const char *fmt, ...) __attribute__((format(printf, 1, 2)));

#endif
