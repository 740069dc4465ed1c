// SPDX-License-Identifier: GPL-2.0
/*
 * ctl/output.c: the same out_* calls print text or JSON. The JSON is captured from stdout and
 * parsed back with json-c's tokenizer; the text is compared byte for byte.
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <unistd.h>
#include <json-c/json.h>
#include "output.h"
#include "suites.h"
#include "test.h"

/* A name with a quote, a backslash, a tab and a non-ASCII character: all must survive JSON. */
#define ODD_NAME "g\"if\\0\t\xc3\xa9"

static const char *const addrs[] = { "198.18.0.1", "2001:db8::1" };

/* One device as `gifctl show` would print it, then one with nothing optional. */
static void emit_list(void)
{
	out_list_begin();

	out_obj_begin();
	out_str("ifname", "%s:", ODD_NAME);
	out_str("kind", " kind %s", NULL);	/* left out of both */
	out_uint("mtu", " mtu %llu", 1480);
	out_bool("pmtudisc", " pmtudisc %s", true);
	out_strs("addrs", " %s", addrs, ARRAY_SIZE(addrs));
	out_text("\n\t");
	out_uint("rx_bytes", "rx_bytes %llu", UINT64_MAX);
	out_text("\n");
	out_obj_end();

	out_obj_begin();
	out_str("ifname", "%s:", "gif6");
	out_uint("mtu", " mtu %llu", 0);
	out_bool("pmtudisc", " pmtudisc %s", false);
	out_strs("addrs", " %s", NULL, 0);
	out_text("\n");
	out_obj_end();

	out_list_end();
}

static void emit_empty(void)
{
	out_list_begin();
	out_list_end();
}

/* Everything FN prints on stdout, NUL-terminated (free it), or NULL. */
static char *capture(void (*fn)(void))
{
	FILE *tmp = tmpfile();
	char *buf = NULL;
	long len;
	int saved;

	if (!CHECK(tmp, "tmpfile failed"))
		return NULL;
	fflush(stdout);
	saved = dup(STDOUT_FILENO);
	if (!CHECK(saved >= 0 && dup2(fileno(tmp), STDOUT_FILENO) >= 0, "redirecting stdout")) {
		fclose(tmp);
		return NULL;
	}
	fn();
	fflush(stdout);
	dup2(saved, STDOUT_FILENO);
	close(saved);

	len = lseek(fileno(tmp), 0, SEEK_END);
	if (CHECK(len >= 0, "reading the captured output") && (buf = calloc(1, len + 1))) {
		if (pread(fileno(tmp), buf, len, 0) != len) {
			CHECK(false, "reading the captured output");
			free(buf);
			buf = NULL;
		}
	}
	fclose(tmp);
	return buf;
}

static json_object *member(json_object *obj, const char *key, json_type type)
{
	json_object *v = NULL;

	if (!CHECK(json_object_object_get_ex(obj, key, &v), "key \"%s\" missing", key))
		return NULL;
	if (!CHECK(json_object_is_type(v, type), "key \"%s\" is a %s, expected a %s", key,
		   json_type_to_name(json_object_get_type(v)), json_type_to_name(type)))
		return NULL;
	return v;
}

/* Parses TEXT as one JSON document, checking it is nothing else. */
static json_object *parse_json(const char *text)
{
	struct json_tokener *tok = json_tokener_new();
	json_object *root;
	size_t len = strlen(text);

	root = json_tokener_parse_ex(tok, text, len);
	if (!CHECK(root, "not valid JSON: %s (output: %s)",
		   json_tokener_error_desc(json_tokener_get_error(tok)), text)) {
		json_tokener_free(tok);
		return NULL;
	}
	/* Only whitespace may follow the document. */
	for (size_t i = json_tokener_get_parse_end(tok); i < len; i++)
		CHECK(strchr(" \t\n", text[i]), "text after the JSON document at %zu", i);
	json_tokener_free(tok);
	return root;
}

static void check_list(const char *text)
{
	json_object *root = parse_json(text), *o, *v;

	if (!root)
		return;
	if (!CHECK(json_object_is_type(root, json_type_array) &&
		   json_object_array_length(root) == 2, "expected an array of 2 objects: %s", text))
		goto out;

	o = json_object_array_get_idx(root, 0);
	if ((v = member(o, "ifname", json_type_string)))
		ASSERT_STREQ(json_object_get_string(v), ODD_NAME, "ifname round trip");
	CHECK(!json_object_object_get_ex(o, "kind", NULL), "a NULL string was printed");
	if ((v = member(o, "mtu", json_type_int)))
		ASSERT_EQ(json_object_get_int64(v), 1480, "mtu");
	if ((v = member(o, "pmtudisc", json_type_boolean)))
		ASSERT_EQ(json_object_get_boolean(v), 1, "pmtudisc");
	if ((v = member(o, "addrs", json_type_array)) &&
	    ASSERT_EQ(json_object_array_length(v), 2, "addrs length")) {
		ASSERT_STREQ(json_object_get_string(json_object_array_get_idx(v, 0)), addrs[0],
			     "addrs[0]");
		ASSERT_STREQ(json_object_get_string(json_object_array_get_idx(v, 1)), addrs[1],
			     "addrs[1]");
	}
	if ((v = member(o, "rx_bytes", json_type_int)))
		CHECK(json_object_get_uint64(v) == UINT64_MAX, "rx_bytes %ju, expected %ju",
		      (uintmax_t)json_object_get_uint64(v), (uintmax_t)UINT64_MAX);
	ASSERT_EQ(json_object_object_length(o), 5, "number of keys of the first object");

	o = json_object_array_get_idx(root, 1);
	if ((v = member(o, "mtu", json_type_int)))
		ASSERT_EQ(json_object_get_int64(v), 0, "mtu");
	if ((v = member(o, "pmtudisc", json_type_boolean)))
		ASSERT_EQ(json_object_get_boolean(v), 0, "pmtudisc");
	if ((v = member(o, "addrs", json_type_array)))
		ASSERT_EQ(json_object_array_length(v), 0, "empty addrs");
out:
	json_object_put(root);
}

static void test_json(bool pretty)
{
	char *text;

	if (!test_start("output: JSON%s, escaped strings, numbers, booleans, arrays",
			pretty ? " pretty" : ""))
		return;
	out_init(true, pretty);
	ASSERT_TRUE(out_is_json(), "out_is_json");
	text = capture(emit_list);
	if (text) {
		/* The escapes themselves, as the bytes a JSON consumer reads. */
		ASSERT_STRSTR(text, "g\\\"if\\\\0\\t", "escaped ifname");
		ASSERT_STRSTR(text, "18446744073709551615", "rx_bytes printed as an integer");
		if (pretty)
			ASSERT_STRSTR(text, "\n  ", "indentation");
		else
			CHECK(strchr(text, '\n') == text + strlen(text) - 1,
			      "plain JSON is one line ending in a newline: %s", text);
		check_list(text);
		if (test_verbose)
			test_note("%s", text);
	}
	free(text);
	out_init(false, false);
	test_end();
}

static void test_json_empty(void)
{
	json_object *root;
	char *text;

	if (!test_start("output: JSON empty list"))
		return;
	out_init(true, false);
	text = capture(emit_empty);
	if (text) {
		ASSERT_STREQ(text, "[]\n", "output");
		root = parse_json(text);
		if (root)
			ASSERT_EQ(json_object_array_length(root), 0, "length");
		json_object_put(root);
	}
	free(text);
	out_init(false, false);
	test_end();
}

static void test_text(void)
{
	char *text;

	if (!test_start("output: text through each call's format"))
		return;
	out_init(false, false);
	ASSERT_TRUE(!out_is_json(), "!out_is_json");
	text = capture(emit_list);
	if (text)
		ASSERT_STREQ(text,
			     ODD_NAME ": mtu 1480 pmtudisc on 198.18.0.1 2001:db8::1\n"
			     "\trx_bytes 18446744073709551615\n"
			     "gif6: mtu 0 pmtudisc off\n",
			     "text output");
	free(text);
	text = capture(emit_empty);
	if (text)
		ASSERT_STREQ(text, "", "empty list in text mode");
	free(text);
	test_end();
}

void test_output(void)
{
	test_json(false);
	test_json(true);
	test_json_empty();
	test_text();
}
