/* SPDX-License-Identifier: GPL-2.0 */
/* Text and JSON output through the same calls (see output.h); JSON is built with json-c. */
#include <stdarg.h>
#include <stdio.h>
#include <json-c/json.h>
#include "output.h"

static bool json, pretty;
static json_object *list, *obj;

void out_init(bool as_json, bool as_pretty)
{
	json = as_json;
	pretty = as_pretty;
}

bool out_is_json(void)
{
	return json;
}

void out_list_begin(void)
{
	if (json)
		list = json_object_new_array();
}

void out_list_end(void)
{
	if (!json)
		return;
	puts(json_object_to_json_string_ext(list, pretty ? JSON_C_TO_STRING_PRETTY |
							   JSON_C_TO_STRING_SPACED
							 : JSON_C_TO_STRING_PLAIN));
	json_object_put(list);
	list = NULL;
}

void out_obj_begin(void)
{
	if (json)
		obj = json_object_new_object();
}

void out_obj_end(void)
{
	if (json)
		json_object_array_add(list, obj);
	obj = NULL;
}

/* Prints FMT with VALUE, its control characters but tab escaped (\xNN): device names come from
 * the kernel, which allows an escape character in them. (JSON escapes them itself.) */
static void print_escaped(const char *fmt, const char *value)
{
	char buf[4 * 64 + 1], *p = buf;

	for (; *value && p < buf + sizeof(buf) - 5; value++) {
		unsigned char c = *value;

		if ((c < 0x20 && c != '\t') || c == 0x7f)
			p += sprintf(p, "\\x%02x", c);
		else
			*p++ = c;
	}
	*p = '\0';
	printf(fmt, buf);
}

static void add(const char *key, json_object *value)
{
	json_object_object_add(obj, key, value);
}

void out_str(const char *key, const char *fmt, const char *value)
{
	if (!value)
		return;
	if (json)
		add(key, json_object_new_string(value));
	else
		print_escaped(fmt, value);
}

void out_uint(const char *key, const char *fmt, unsigned long long value)
{
	if (json)
		add(key, json_object_new_uint64(value));
	else
		printf(fmt, value);
}

void out_bool(const char *key, const char *fmt, bool value)
{
	if (json)
		add(key, json_object_new_boolean(value));
	else
		printf(fmt, value ? "on" : "off");
}

void out_strs(const char *key, const char *fmt, const char *const *values, size_t n)
{
	json_object *array = json ? json_object_new_array() : NULL;

	for (size_t i = 0; i < n; i++) {
		if (json)
			json_object_array_add(array, json_object_new_string(values[i]));
		else
			print_escaped(fmt, values[i]);
	}
	if (json)
		add(key, array);
}

void out_text(const char *fmt, ...)
{
	va_list ap;

	if (json)
		return;
	va_start(ap, fmt);
	vprintf(fmt, ap);
	va_end(ap);
}
