/*
 * edn-t: unit tests for the EDN reader and printer (lib/edn.c).  Run under
 * -fsanitize=address,undefined: the truncation tests copy each prefix into a
 * buffer of exactly that size, so a read past len is caught.
 */
#include <inttypes.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "edn.h"
#include "tap.h"
#include "util.h"

static struct dh_arena arena;
static struct dh_err err;
static int last_rc;

/* Parse one form of s (of length n), from a copy of exactly n bytes so that
 * a read past the end is an ASan error. */
static struct dh_edn *
parse_n(const char *s, size_t n)
{
	char *copy = xmemdup(s, n);
	struct dh_edn *x;
	size_t used;

	dh_err_clear(&err);
	last_rc = dh_edn_parse(&arena, copy, n, &x, &used, &err);
	free(copy);
	return x;
}

static struct dh_edn *
parse(const char *s)
{
	return parse_n(s, strlen(s));
}

/* Print x into the arena, as a C string. */
static const char *
show(const struct dh_edn *x)
{
	struct dh_buf b;
	char *s;

	dh_buf_init(&b, 0);
	dh_edn_print(&b, x);
	s = dh_arena_strdup(&arena, (const char *)b.p);
	dh_buf_release(&b);
	return s;
}

static void
check_kind(const char *s, enum dh_edn_kind kind)
{
	struct dh_edn *x = parse(s);
	ok(x && !last_rc && x->kind == kind, "'%s' reads as kind %d", s, (int)kind);
}

static void
check_int(const char *s, int64_t want)
{
	struct dh_edn *x = parse(s);
	ok(x && x->kind == DH_EDN_INT && x->i == want, "'%s' is int %" PRId64, s, want);
}

static void
check_text(const char *s, enum dh_edn_kind kind, const char *want)
{
	struct dh_edn *x = parse(s);
	ok(x && x->kind == kind && x->s.n == strlen(want) && !strcmp(x->s.p, want),
	   "'%s' is kind %d with text '%s'", s, (int)kind, want);
}

static void
check_float(const char *s, double want)
{
	struct dh_edn *x = parse(s);
	ok(x && x->kind == DH_EDN_FLOAT && x->d == want, "'%s' is float %g", s, want);
}

static void
check_char(const char *s, uint32_t want)
{
	struct dh_edn *x = parse(s);
	ok(x && x->kind == DH_EDN_CHAR && x->ch == want, "'%s' is char U+%04" PRIX32, s, want);
}

/* Check an error in the forms of s: code, 1-based character position and
 * message. */
static void
check_err_n(const char *s, size_t n, int code, int pos, const char *msg)
{
	char *copy = xmemdup(s, n);
	struct dh_edn *x;

	dh_err_clear(&err);
	last_rc = dh_edn_parse_all(&arena, copy, n, &x, &err);
	free(copy);
	int good = !x && last_rc == code && err.code == code && err.position == pos &&
		   (!msg || !strcmp(err.message, msg));
	if (!ok(good, "error for '%.*s' at %d: %s", (int)n, s, pos, msg ? msg : "(any)"))
		tap_diag("got rc %d position %d message '%s'", last_rc, err.position, err.message);
}

static void
check_err(const char *s, int pos, const char *msg)
{
	check_err_n(s, strlen(s), DH_EBADEDN, pos, msg);
}

/* Parse, print, compare with want (or s itself). */
static void
check_print(const char *s, const char *want)
{
	struct dh_edn *x = parse(s);
	is_str(x ? show(x) : "(error)", want ? want : s, "print '%s'", s);
}

/* print(parse(s)) parses again to an equal form. */
static void
check_roundtrip(const char *s)
{
	struct dh_edn *x = parse(s), *y;
	const char *p = x ? show(x) : "";
	y = parse(p);
	ok(x && y && dh_edn_equal(x, y) && dh_edn_equal(y, x), "round trip '%s' -> '%s'", s, p);
}

static int
equal_text(const char *a, const char *b)
{
	struct dh_edn *x = parse(a), *y = parse(b);
	return x && y && dh_edn_equal(x, y);
}

static void
test_scalars(void)
{
	struct dh_edn *x;

	check_kind("nil", DH_EDN_NIL);
	x = parse("true");
	ok(x && x->kind == DH_EDN_BOOL && x->b == 1, "true");
	x = parse("false");
	ok(x && x->kind == DH_EDN_BOOL && x->b == 0, "false");
	check_kind("nil/x", DH_EDN_SYMBOL);
	check_kind("nilly", DH_EDN_SYMBOL);

	check_int("0", 0);
	check_int("-0", 0);
	check_int("42", 42);
	check_int("+42", 42);
	check_int("-17", -17);
	check_int("9223372036854775807", INT64_MAX);
	check_int("-9223372036854775808", INT64_MIN);
	check_text("9223372036854775808", DH_EDN_BIGINT, "9223372036854775808");
	check_text("-9223372036854775809", DH_EDN_BIGINT, "-9223372036854775809");
	check_text("123456789012345678901234567890", DH_EDN_BIGINT,
		   "123456789012345678901234567890");
	check_text("12N", DH_EDN_BIGINT, "12");
	check_text("+12N", DH_EDN_BIGINT, "12");
	check_text("-12N", DH_EDN_BIGINT, "-12");
	check_text("-0N", DH_EDN_BIGINT, "0");
	check_err("012", 1, "invalid number '012'");
	check_err("-00", 1, "invalid number '-00'");
	check_err("1/2", 1, "invalid number '1/2'");
	check_err("0x1F", 1, "invalid number '0x1F'");
	check_err("1.5N", 1, "invalid number '1.5N'");
	check_err("12a", 1, "invalid number '12a'");
	check_err("1@", 2, "invalid '@' in number");

	check_float("1.5", 1.5);
	check_float("-1e10", -1e10);
	check_float("1E-3", 1e-3);
	check_float("1.", 1.0);
	check_float("+2.5e+2", 250.0);
	check_float("0.0", 0.0);
	check_float("1e999", INFINITY);
	x = parse("##NaN");
	ok(x && x->kind == DH_EDN_FLOAT && isnan(x->d), "##NaN");
	check_float("##Inf", INFINITY);
	check_float("##-Inf", -INFINITY);
	check_text("1.5M", DH_EDN_BIGDEC, "1.5");
	check_text("-1.5e3M", DH_EDN_BIGDEC, "-1.5e3");
	check_text("+7M", DH_EDN_BIGDEC, "7");
	check_err("1.5e", 1, "invalid number '1.5e'");
	check_err("1e+", 1, "invalid number '1e+'");
	check_err("01.5", 1, "invalid number '01.5'");
	check_err("1.5MM", 1, "invalid number '1.5MM'");
	check_err("##foo", 1, "invalid symbolic value '##foo'");
	check_err("##", 1, "invalid symbolic value '##'");

	check_char("\\a", 'a');
	check_char("\\newline", '\n');
	check_char("\\space", ' ');
	check_char("\\tab", '\t');
	check_char("\\return", '\r');
	check_char("\\u00e9", 0xe9);
	check_char("\\u00E9", 0xe9);
	check_char("\\u", 'u');
	check_char("\\(", '(');
	check_char("\\\"", '"');
	check_char("\\\\", '\\');
	check_char("\\;", ';');
	check_char("\\\xc3\xa9", 0xe9);
	check_char("\\\xf0\x9f\x98\x80", 0x1f600);
	x = parse("[\\a\\b]");
	ok(x && x->coll.n == 2 && x->coll.items[1]->ch == 'b', "adjacent char literals");
	check_err("\\foo", 1, "invalid character literal '\\foo'");
	check_err("\\ud800", 1, "invalid character literal '\\ud800': a surrogate");
	check_err("\\ a", 2, "unexpected character U+0020 after '\\'");
	check_err("\\", 2, "unexpected end of input");
	check_err("\\\xff", 2, "invalid UTF-8 in character literal");
}

static void
test_strings(void)
{
	struct dh_edn *x;

	check_text("\"\"", DH_EDN_STRING, "");
	check_text("\"abc\"", DH_EDN_STRING, "abc");
	check_text("\"a\\\"b\\\\c\\nd\\te\\rf\"", DH_EDN_STRING, "a\"b\\c\nd\te\rf");
	check_text("\"\\b\\f\"", DH_EDN_STRING, "\b\f");
	check_text("\"\\u00e9\\u20AC\"", DH_EDN_STRING, "\xc3\xa9\xe2\x82\xac");
	check_text("\"\\ud83d\\ude00\"", DH_EDN_STRING, "\xf0\x9f\x98\x80");
	check_text("\"caf\xc3\xa9 \xf0\x9f\x98\x80\"", DH_EDN_STRING,
		   "caf\xc3\xa9 \xf0\x9f\x98\x80");
	check_text("\"line\nbreak\"", DH_EDN_STRING, "line\nbreak");
	x = parse("\"a\\u0000b\"");
	ok(x && x->kind == DH_EDN_STRING && x->s.n == 3 && !memcmp(x->s.p, "a\0b", 4),
	   "\\u0000 escape is kept, n counts it");
	check_err("\"\\ud83d\"", 2, "unpaired surrogate \\ud83d in string");
	check_err("\"\\ud83dx\"", 2, "unpaired surrogate \\ud83d in string");
	check_err("\"\\ud83d\\u0041\"", 2, "unpaired surrogate \\ud83d in string");
	check_err("\"\\ude00\"", 2, "unpaired surrogate \\ude00 in string");
	check_err("\"\\u12\"", 2, "invalid \\u escape in string");
	check_err("\"\\u12g4\"", 2, "invalid \\u escape in string");
	check_err("\"\xc3\xa9\\q\"", 3, "invalid escape '\\q' in string");
	check_err("\"\\\x01\"", 2, "invalid escape in string: character U+0001 after '\\'");
	check_err("\"abc", 1, "unterminated string");
	check_err("\xc3\xa9\xc3\xa9 \"abc\\\"", 4, "unterminated string");
	check_err("\"a\\", 1, "unterminated string");
	/* invalid UTF-8: stray continuation, overlong, surrogate, too big,
	 * truncated sequence */
	check_err("\"\xc3\xa9\xff\"", 3, "invalid UTF-8 in string");
	check_err("\"\x80\"", 2, "invalid UTF-8 in string");
	check_err("\"\xc0\xaf\"", 2, "invalid UTF-8 in string");
	check_err("\"\xe0\x80\xaf\"", 2, "invalid UTF-8 in string");
	check_err("\"\xed\xa0\x80\"", 2, "invalid UTF-8 in string");
	check_err("\"\xf4\x90\x80\x80\"", 2, "invalid UTF-8 in string");
	check_err("\"ab\xe2\x82\"", 4, "invalid UTF-8 in string");
	check_err_n("\"a\0b\"", 5, DH_EBADEDN, 3, "unexpected NUL byte in string");
}

static void
test_symbols(void)
{
	static const char *const syms[] = {
	    "foo", "?x",  "$",	"%",  "...", "ns/name", "/",	   "+",		  "-",	 "a.b/c-d",
	    "<=>", "a#b", "a'", "-a", "+a",  ".a",	"*ns*/x!", "caf\xc3\xa9", "a:b", "_",
	};
	for (size_t i = 0; i < DH_ARRAY_SIZE(syms); i++)
		check_text(syms[i], DH_EDN_SYMBOL, syms[i]);
	check_err("a::b", 1, "invalid symbol 'a::b'");
	check_err("a:", 1, "invalid symbol 'a:'");
	check_err("/a", 1, "invalid symbol '/a'");
	check_err("a/", 1, "invalid symbol 'a/'");
	check_err("a/b/c", 1, "invalid symbol 'a/b/c'");
	check_err(".5", 1, "invalid symbol '.5'");
	check_err("a/1b", 1, "invalid symbol 'a/1b'");
	check_err("a@b", 2, "invalid '@' in symbol");
	check_err("\xc3\xa9 \xc3\xa9@", 4, "invalid '@' in symbol");
	check_err("@", 1, "unexpected '@'");
	check_err("ab\xff", 3, "invalid UTF-8 in symbol");

	check_text(":a", DH_EDN_KEYWORD, "a");
	check_text(":ns/name", DH_EDN_KEYWORD, "ns/name");
	check_text(":db.type/string", DH_EDN_KEYWORD, "db.type/string");
	check_text(":db/id", DH_EDN_KEYWORD, "db/id");
	check_text(":nil", DH_EDN_KEYWORD, "nil");
	check_text(":1", DH_EDN_KEYWORD, "1");
	check_text(":/", DH_EDN_KEYWORD, "/");
	check_text(":a?", DH_EDN_KEYWORD, "a?");
	check_err("::foo", 1, "invalid keyword '::foo'");
	check_err(":", 1, "invalid keyword ':'");
	check_err(": a", 1, "invalid keyword ':'");
	check_err(":a/", 1, "invalid keyword ':a/'");
	check_err(":a~", 3, "invalid '~' in keyword");
}

static void
test_collections(void)
{
	struct dh_edn *x;
	const struct dh_edn *v;

	x = parse("(1 2 3)");
	ok(x && x->kind == DH_EDN_LIST && x->coll.n == 3 && x->coll.items[2]->i == 3, "list");
	x = parse("[]");
	ok(x && x->kind == DH_EDN_VECTOR && x->coll.n == 0, "empty vector");
	x = parse("[1,2,,3 ,]");
	ok(x && x->kind == DH_EDN_VECTOR && x->coll.n == 3, "commas are whitespace");
	x = parse("{:a 1, :b \"x\"}");
	ok(x && x->kind == DH_EDN_MAP && x->coll.n == 4, "map has 2 entries");
	v = dh_edn_map_get(x, "b");
	ok(v && v->kind == DH_EDN_STRING && !strcmp(v->s.p, "x"), "map_get :b");
	ok(dh_edn_map_get(x, "c") == NULL, "map_get missing key");
	ok(dh_edn_map_get(x, "\"x\"") == NULL, "map_get only matches keys");
	ok(dh_edn_map_get(parse("[:a 1]"), "a") == NULL, "map_get on a vector");
	ok(dh_edn_map_get(NULL, "a") == NULL, "map_get on NULL");
	x = parse("{:db/id 1 :person/name \"Ann\"}");
	ok(dh_edn_map_get(x, "person/name") && dh_edn_map_get(x, "db/id")->i == 1,
	   "map_get namespaced keys");
	x = parse("#{1 2 3}");
	ok(x && x->kind == DH_EDN_SET && x->coll.n == 3, "set");
	x = parse("#{}");
	ok(x && x->kind == DH_EDN_SET && x->coll.n == 0, "empty set");
	x = parse("{}");
	ok(x && x->kind == DH_EDN_MAP && x->coll.n == 0, "empty map");
	x = parse("[:find ?e :where [?e :name \"x\"] {:a [#{(1)}]}]");
	ok(x && x->coll.n == 5 && x->coll.items[3]->coll.items[1]->kind == DH_EDN_KEYWORD &&
	       x->coll.items[4]->kind == DH_EDN_MAP,
	   "nested collections");
	ok(dh_edn_is_keyword(x->coll.items[0], "find") &&
	       !dh_edn_is_keyword(x->coll.items[0], "fin") &&
	       dh_edn_is_symbol(x->coll.items[1], "?e") &&
	       !dh_edn_is_symbol(x->coll.items[0], "find") && !dh_edn_is_keyword(NULL, "x"),
	   "is_keyword, is_symbol");
	x = parse("[a(b)c]");
	ok(x && x->coll.n == 3, "brackets delimit symbols");

	x = parse("#inst \"2024-01-02T03:04:05Z\"");
	ok(x && x->kind == DH_EDN_TAGGED && !strcmp(x->tagged.tag, "inst") &&
	       x->tagged.val->kind == DH_EDN_STRING,
	   "#inst");
	x = parse("#uuid \"f81d4fae-7dec-11d0-a765-00a0c91e6bf6\"");
	ok(x && x->kind == DH_EDN_TAGGED && !strcmp(x->tagged.tag, "uuid"), "#uuid");
	x = parse("#dh/x #_ 1 #y [1]");
	ok(x && x->kind == DH_EDN_TAGGED && !strcmp(x->tagged.tag, "dh/x") &&
	       x->tagged.val->kind == DH_EDN_TAGGED &&
	       x->tagged.val->tagged.val->kind == DH_EDN_VECTOR,
	   "nested tags, discard before the value");
	check_err("#1 2", 2, "unexpected '1' after '#'");
	check_err("#(+ 1)", 2, "unexpected '(' after '#'");
	check_err("#a/ 1", 1, "invalid tag '#a/'");
	check_err("\xc3\xa9 #inst", 8, "unexpected end of input");
	check_err("#inst)", 6, "unexpected ')'");
	check_err("#", 2, "unexpected end of input");

	x = parse("[1 #_ 2 3]");
	ok(x && x->coll.n == 2 && x->coll.items[1]->i == 3, "#_ discards a form");
	x = parse("#_ #_ 1 2 3");
	ok(x && x->kind == DH_EDN_INT && x->i == 3, "#_ #_ discards two forms");
	x = parse("[#_[1 2]]");
	ok(x && x->coll.n == 0, "#_ discards a collection");
	x = parse("#_1");
	ok(!x && last_rc == 0, "only a discard: no form");
	x = parse("; just a comment");
	ok(!x && last_rc == 0, "only a comment: no form");
	x = parse("");
	ok(!x && last_rc == 0, "empty input: no form");
	check_err("[#_]", 4, "unexpected ']'");
	check_err("#_", 3, "unexpected end of input");
	check_err("[1 #_ (]", 8, "unexpected ']'");

	x = parse("; comment (\n[1 ; x ]\n 2] ; tail");
	ok(x && x->kind == DH_EDN_VECTOR && x->coll.n == 2, "comments are whitespace");
}

static void
test_errors(void)
{
	check_err("(1 2", 1, "unterminated list");
	ok(strstr(err.detail, "')'") != NULL, "detail names the closer");
	check_err("\xc3\xa9 (1", 3, "unterminated list");
	check_err("[[]", 1, "unterminated vector");
	check_err("{:a 1", 1, "unterminated map");
	check_err("\xe2\x82\xac #{", 3, "unterminated set");
	check_err("[1 2)", 5, "unexpected ')'");
	ok(strstr(err.detail, "vector at position 1") != NULL, "detail names the open vector");
	check_err("\xc3\xa9)", 2, "unexpected ')'");
	check_err("}", 1, "unexpected '}'");
	check_err("{:a}", 1, "map literal must contain an even number of forms");
	check_err("[\xf0\x9f\x98\x80 {:a 1 :b}]", 4,
		  "map literal must contain an even number of forms");
	check_err("{:a 1 :a 2}", 7, "duplicate key :a in map");
	check_err("\xc3\xa9\xc3\xa9 {:a 1 :a 2}", 10, "duplicate key :a in map");
	check_err("{[1 2] 1 [1 2] 2}", 10, "duplicate key [1 2] in map");
	check_err("{{:a 1 :b 2} 1 {:b 2 :a 1} 2}", 16, "duplicate key {:b 2, :a 1} in map");
	check_err("#{1 2 1}", 7, "duplicate element 1 in set");
	check_err("#{1 1N}", 5, "duplicate element 1N in set");
	check_err("#{#{1 2} #{2 1}}", 10, "duplicate element #{2 1} in set");
	check_err("#{\"abcdefghijklmnopqrstuvwxyzabcdefghijklmnopqrstuvwxyzabcdefghijklmnop\" "
		  "\"abcdefghijklmnopqrstuvwxyzabcdefghijklmnopqrstuvwxyzabcdefghijklmnop\"}",
		  74, "duplicate element \"abcdefghijklmnopqrstuvwxyzabcdefghijklm... in set");
	ok(strlen(err.message) < 100 && strstr(err.message, "...") != NULL,
	   "long duplicate is cut in the message");
	ok(parse("#{1 1.0 \"1\" \\1 :1 [1] (1)}") != NULL, "different kinds are not duplicates");

	/* large sets and maps go through the hash table */
	{
		struct dh_buf b;
		dh_buf_init(&b, 0);
		dh_buf_adds(&b, "#{");
		for (int i = 0; i < 200; i++)
			dh_buf_printf(&b, "%d [%d] ", i, i);
		dh_buf_adds(&b, "}");
		ok(parse((char *)b.p) && !last_rc, "200-element set without duplicates");
		b.len--;
		dh_buf_adds(&b, "[77]}");
		check_err_n((char *)b.p, b.len, DH_EBADEDN, (int)b.len - 4,
			    "duplicate element [77] in set");
		dh_buf_reset(&b);
		dh_buf_adds(&b, "{");
		for (int i = 0; i < 100; i++)
			dh_buf_printf(&b, ":k%d {:x %d :y %d} ", i, i, i);
		dh_buf_adds(&b, "}");
		ok(parse((char *)b.p) && !last_rc, "100-entry map without duplicates");
		b.len--;
		dh_buf_adds(&b, ":k0 1}");
		check_err_n((char *)b.p, b.len, DH_EBADEDN, (int)b.len - 5,
			    "duplicate key :k0 in map");
		dh_buf_release(&b);
	}

	check_err_n("\0", 1, DH_EBADEDN, 1, "unexpected character U+0000");
	check_err_n("[1 \0]", 5, DH_EBADEDN, 4, "unexpected character U+0000");
	check_err_n("ab\0", 3, DH_EBADEDN, 3, "invalid character U+0000 in symbol");
	check_err_n("\xc3\xa9\x01", 3, DH_EBADEDN, 2, "invalid character U+0001 in symbol");
	check_err("\x7f", 1, "unexpected character U+007F");
	check_err("\xff", 1, "invalid UTF-8 in symbol");
	check_err("[1 ~x]", 4, "unexpected '~'");
	check_err("^a", 1, "unexpected '^'");
	/* positions count characters: a 4-byte character is one position */
	check_err("[\xf0\x9f\x98\x80 \xe2\x82\xac \xc3\xa9 )", 8, "unexpected ')'");
	ok(!strcmp(err.sqlstate, "42601"), "sqlstate of invalid EDN");
}

/* Depth is bounded without recursion running away, whatever nests. */
static void
test_depth(void)
{
	size_t big = 100000, n;
	char *s = xmalloc(3 * big + 8);
	struct dh_edn *x;

	n = 0;
	for (int i = 0; i < DH_EDN_MAX_DEPTH; i++)
		s[n++] = '[';
	for (int i = 0; i < DH_EDN_MAX_DEPTH; i++)
		s[n++] = ']';
	x = parse_n(s, n);
	ok(x && !last_rc, "%d nested vectors are fine", DH_EDN_MAX_DEPTH);
	for (int i = 0; i < DH_EDN_MAX_DEPTH - 1 && x; i++)
		x = x->coll.n ? x->coll.items[0] : NULL;
	ok(x && x->kind == DH_EDN_VECTOR && x->coll.n == 0, "innermost vector is empty");

	n = 0;
	for (int i = 0; i <= DH_EDN_MAX_DEPTH; i++)
		s[n++] = '[';
	for (int i = 0; i <= DH_EDN_MAX_DEPTH; i++)
		s[n++] = ']';
	check_err_n(s, n, DH_ETOOLONG, DH_EDN_MAX_DEPTH + 1, "forms nested deeper than 512 levels");

	memset(s, '[', big);
	check_err_n(s, big, DH_ETOOLONG, DH_EDN_MAX_DEPTH + 1, NULL);
	memset(s, '(', big);
	check_err_n(s, big, DH_ETOOLONG, DH_EDN_MAX_DEPTH + 1, NULL);
	for (size_t i = 0; i < big; i++)
		s[i] = i % 2 ? '{' : '#';
	check_err_n(s, big, DH_ETOOLONG, DH_EDN_MAX_DEPTH * 2 + 1, NULL);
	for (size_t i = 0; i < big; i++)
		s[i] = i % 3 == 0 ? '#' : i % 3 == 1 ? '_' : ' ';
	check_err_n(s, big, DH_ETOOLONG, DH_EDN_MAX_DEPTH * 3 + 1, NULL);
	for (size_t i = 0; i < big; i++)
		s[i] = i % 3 == 0 ? '#' : i % 3 == 1 ? 'a' : ' ';
	check_err_n(s, big, DH_ETOOLONG, DH_EDN_MAX_DEPTH * 3 + 1, NULL);
	for (size_t i = 0; i < big; i++)
		s[i] = "[{:a"[i % 4];
	check_err_n(s, big, DH_ETOOLONG, 4 * 256 + 1, NULL);
	free(s);
}

static const char sample[] =
    "; a sample tx\n"
    "[{:db/id \"caf\xc3\xa9\" :person/name \"Ann \\\"A\\\" \\u00e9\\ud83d\\ude00\\n\",\n"
    "  :person/age 42 :big 9223372036854775808 :n 12N :f -1.5e-3 :m 1.5M\n"
    "  :tags #{:a :b} :when #inst \"2024-01-01T00:00:00Z\" :c [\\a \\newline \\u00e9]}\n"
    " (?x $ % ... ns/name) #_ [discarded (form)] ##NaN ##-Inf nil true false\n"
    " #dh/tag {\"k\" [1 2.0 #{}]} \\( \\\" \xe2\x82\xac \"\xf0\x9f\x98\x80\"]\n";

/* Every prefix of the sample must fail cleanly (or parse), never read past
 * its end, and report a position inside the input or just past it. */
static void
test_truncation(void)
{
	size_t len = sizeof(sample) - 1;
	int bad = 0, parsed = 0;
	int chars = dh_edn_charpos(sample, len, len) - 1;

	for (size_t k = 0; k <= len; k++) {
		char *copy = xmemdup(sample, k);
		struct dh_edn *x;
		struct dh_err e = {0};
		int rc = dh_edn_parse_all(&arena, copy, k, &x, &e);
		int limit = dh_edn_charpos(copy, k, k);
		if (rc == 0)
			parsed++;
		else if (rc != DH_EBADEDN || x || e.position < 1 || e.position > limit ||
			 e.position > chars + 1 || !e.message[0]) {
			bad++;
			tap_diag("prefix %zu: rc %d position %d '%s'", k, rc, e.position,
				 e.message);
		}
		free(copy);
	}
	ok(bad == 0, "all %zu prefixes of the sample fail cleanly", len + 1);
	ok(parsed >= 2, "some prefixes parse (%d)", parsed);

	struct dh_edn *all;
	int rc = dh_edn_parse_all(&arena, sample, len, &all, &err);
	ok(rc == 0 && all && all->kind == DH_EDN_VECTOR && all->coll.n == 1 &&
	       all->coll.items[0]->coll.n == 12,
	   "the whole sample parses");
	check_roundtrip(sample);
}

static void
test_print(void)
{
	check_print("nil", NULL);
	check_print("[true false]", NULL);
	check_print("(1 -2 +3)", "(1 -2 3)");
	check_print("-9223372036854775808", NULL);
	check_print("99999999999999999999", "99999999999999999999N");
	check_print("12N", NULL);
	check_print("1.5", NULL);
	check_print("100.0", NULL);
	check_print("1.", "1.0");
	check_print("-0.0", NULL);
	check_print("0.1", NULL);
	check_print("1e20", "1e+20");
	check_print("-1e10", "-10000000000.0");
	check_print("1E-3", "0.001");
	check_print("0.3333333333333333", NULL);
	check_print("##NaN", NULL);
	check_print("##Inf", NULL);
	check_print("##-Inf", NULL);
	check_print("1.5M", NULL);
	check_print("[\\a \\newline \\space \\tab \\return \\( \\\\ \\u00e9 \\u0001]",
		    "[\\a \\newline \\space \\tab \\return \\( \\\\ \\u00e9 \\u0001]");
	check_print("\\\xf0\x9f\x98\x80", NULL);
	check_print("\"a\\\"b\\\\c\\nd\\te\\rf\\u0001\\u0000\\u007f\\b\"",
		    "\"a\\\"b\\\\c\\nd\\te\\rf\\u0001\\u0000\\u007f\\u0008\"");
	check_print("\"caf\\u00e9\"", "\"caf\xc3\xa9\"");
	check_print("[a ns/b :k :ns/k ?x ... /]", NULL);
	check_print("{:a 1,:b 2}", "{:a 1, :b 2}");
	check_print("{}", NULL);
	check_print("#{ 1 }", "#{1}");
	check_print("#inst   \"2024\"", "#inst \"2024\"");
	check_print("[(1 [2 {3 #{4}}])]", NULL);
	check_print("[1 #_2 3 ; x\n]", "[1 3]");

	struct dh_buf b;
	dh_buf_init(&b, 8);
	is_int(dh_edn_print(&b, parse("[1 2 3 4 5 6 7 8 9]")), DH_ETOOLONG,
	       "print past the buffer cap is DH_ETOOLONG");
	dh_buf_release(&b);

	static const char *const trips[] = {
	    "[1 2.5 -0.0 1e300 5e-324 1.7976931348623157e308 0.1 123456789.123]",
	    "{:a [1 2] \"b\" #{:c} [3] {:d 4}}",
	    "#{[1 2] [2 1] (1 2) #{} {}}",
	    "[\"\\u0000\\u001f \\\"\\\\\" \\u0000 \\space \\, \\x \\\xe2\x82\xac]",
	    "(#a #b #c 1 #dh/x {:k ##NaN})",
	    "[9223372036854775807 -9223372036854775808 9223372036854775808 -1N 0N 1.0M]",
	    "[nil true false sym :kw :ns/kw ?x $ % ... + - / a.b/c]",
	};
	for (size_t i = 0; i < DH_ARRAY_SIZE(trips); i++)
		check_roundtrip(trips[i]);
}

static void
test_equal(void)
{
	ok(equal_text("{:a 1 :b 2}", "{:b 2 :a 1}"), "maps ignore order");
	ok(!equal_text("{:a 1 :b 2}", "{:a 2 :b 1}"), "maps compare values");
	ok(!equal_text("{:a 1}", "{:a 1 :b 2}"), "maps of different size");
	ok(equal_text("#{1 2 3}", "#{3 1 2}"), "sets ignore order");
	ok(!equal_text("#{1 2 3}", "#{1 2 4}"), "sets compare elements");
	ok(!equal_text("[1 2]", "[2 1]"), "vectors keep order");
	ok(!equal_text("[1 2]", "(1 2)"), "a list is not a vector");
	ok(!equal_text("1", "1.0"), "int is not float");
	ok(equal_text("1", "1N"), "1 equals 1N");
	ok(equal_text("-5N", "-5"), "-5N equals -5");
	ok(!equal_text("1", "2N"), "1 is not 2N");
	ok(equal_text("1.5M", "+1.5M"), "bigdec sign");
	ok(!equal_text("1.5M", "1.5"), "bigdec is not float");
	ok(equal_text("##NaN", "##NaN"), "NaN equals NaN structurally");
	ok(equal_text("0.0", "-0.0"), "0.0 equals -0.0");
	ok(!equal_text("\"a\"", "a"), "string is not symbol");
	ok(!equal_text(":a", "a"), "keyword is not symbol");
	ok(!equal_text("#a 1", "#b 1"), "tags differ");
	ok(equal_text("#a {:x 1 :y 2}", "#a {:y 2 :x 1}"), "tagged maps");
	ok(!equal_text("\\a", "\"a\""), "char is not string");
	ok(dh_edn_equal(NULL, NULL) && !dh_edn_equal(parse("1"), NULL), "NULL handling");

	/* large maps and sets compare through a hash table */
	struct dh_buf x, y;
	dh_buf_init(&x, 0);
	dh_buf_init(&y, 0);
	dh_buf_adds(&x, "{");
	dh_buf_adds(&y, "{");
	for (int i = 0; i < 100; i++) {
		dh_buf_printf(&x, "[%d] #{%d \"s\"} ", i, i);
		dh_buf_printf(&y, "[%d] #{\"s\" %d} ", 99 - i, 99 - i);
	}
	dh_buf_adds(&x, "}");
	dh_buf_adds(&y, "}");
	ok(equal_text((char *)x.p, (char *)y.p), "100-entry maps in different orders");
	x.p[x.len - 5] = 't'; /* the last value: #{99 "s"} -> #{99 "t"} */
	ok(parse((char *)x.p) && !equal_text((char *)x.p, (char *)y.p),
	   "100-entry maps differing in one value");
	ok(!equal_text("#{1 2 3 4 5 6 7 8 9 10 11 12 13 14 15 16 17 18 19 20}",
		       "#{1 2 3 4 5 6 7 8 9 10 11 12 13 14 15 16 17 18 19 21}"),
	   "20-element sets differing in one element");
	ok(equal_text("#{1 2 3 4 5 6 7 8 9 10 11 12 13 14 15 16 17 18 19 20N}",
		      "#{20 19 18 17 16 15 14 13 12 11 10 9 8 7 6 5 4 3 2 1}"),
	   "20-element sets, one as a bigint");

	/* sets of big sets with equal hashes: still linear, so this is quick */
	int n = 50000;
	uint64_t t0 = dh_mono_ns();
	dh_buf_reset(&x);
	dh_buf_adds(&x, "#{#{");
	for (int i = 0; i < n; i++)
		dh_buf_printf(&x, "%d ", i);
	dh_buf_adds(&x, "} #{");
	int second = (int)x.len - 1; /* position of the second '#' (ASCII) */
	for (int i = n - 1; i >= 0; i--)
		dh_buf_printf(&x, "%d ", i);
	dh_buf_adds(&x, "}}");
	check_err_n((char *)x.p, x.len, DH_EBADEDN, second, NULL);
	ok(strstr(err.message, "duplicate element #{") != NULL, "set of two equal big sets");
	ok(dh_mono_ns() - t0 < 5000000000ull, "and it takes well under 5 s (%.3f s)",
	   (double)(dh_mono_ns() - t0) / 1e9);
	dh_buf_release(&x);
	dh_buf_release(&y);
}

static void
test_complete(void)
{
	static const struct {
		const char *s;
		int want;
	} cases[] = {
	    {"", 1},
	    {"(", 0},
	    {"()", 1},
	    {"[{", 0},
	    {"[{}]", 1},
	    {"#{", 0},
	    {"\"(", 0},
	    {"\"(\"", 1},
	    {"\"a\\\"", 0},
	    {"\"a\\\"\"", 1},
	    {"; (\n", 1},
	    {"(; )\n", 0},
	    {"(; )\n)", 1},
	    {"\\(", 1},
	    {"(\\)", 0},
	    {"(\\))", 1},
	    {"\\\"", 1},
	    {"(\"a\\\"\")", 1},
	    {"(\"a)\" ", 0},
	    {")", 1},
	    {"(1 2))", 1},
	    {"[:find ?e\n :where [?e :a \"x\"]", 0},
	    {"[:find ?e\n :where [?e :a \"x\"]]", 1},
	    {"\\", 1},
	};
	for (size_t i = 0; i < DH_ARRAY_SIZE(cases); i++)
		is_int(dh_edn_complete(cases[i].s, strlen(cases[i].s)), cases[i].want,
		       "complete '%s'", cases[i].s);
	/* the length is honoured: the closer beyond len does not count */
	is_int(dh_edn_complete("()", 1), 0, "complete stops at len");
}

static void
test_positions(void)
{
	const char *s = "a\xc3\xa9\xe2\x82\xac\xf0\x9f\x98\x80x";
	size_t len = strlen(s), used;
	struct dh_edn *x;
	int rc;

	is_int(dh_edn_charpos(s, len, 0), 1, "charpos at 0");
	is_int(dh_edn_charpos(s, len, 1), 2, "charpos after ASCII");
	is_int(dh_edn_charpos(s, len, 3), 3, "charpos after 2-byte");
	is_int(dh_edn_charpos(s, len, 6), 4, "charpos after 3-byte");
	is_int(dh_edn_charpos(s, len, 10), 5, "charpos after 4-byte");
	is_int(dh_edn_charpos(s, len, len), 6, "charpos at end");
	is_int(dh_edn_charpos(s, len, len + 100), 6, "charpos clamps to len");
	is_int(dh_edn_charpos("\xff\xfe", 2, 2), 3, "invalid bytes count one each");

	const char *t = "  1 [2 3] ; c\n  ";
	rc = dh_edn_parse(&arena, t, strlen(t), &x, &used, &err);
	ok(rc == 0 && x && x->i == 1 && x->pos == 2 && x->end == 3 && used == 4,
	   "first form: pos 2, end 3, used 4");
	rc = dh_edn_parse(&arena, t + used, strlen(t) - used, &x, &used, &err);
	ok(rc == 0 && x && x->kind == DH_EDN_VECTOR && x->pos == 0 && x->end == 5 &&
	       x->coll.items[1]->pos == 3 && used == strlen(t) - 4,
	   "second form: offsets relative to the text passed, used to the end");
	rc = dh_edn_parse(&arena, "  ", 2, &x, &used, &err);
	ok(rc == 0 && !x && used == 2, "only whitespace: no form, all used");
	rc = dh_edn_parse(&arena, "1 #_", 4, &x, &used, &err);
	ok(rc == 0 && x && used == 2, "a broken discard after the form is left for later");

	rc = dh_edn_parse_all(&arena, "1 :a \"b\"", 8, &x, &err);
	ok(rc == 0 && x && x->kind == DH_EDN_VECTOR && x->coll.n == 3, "parse_all");
	rc = dh_edn_parse_all(&arena, "", 0, &x, &err);
	ok(rc == 0 && x && x->kind == DH_EDN_VECTOR && x->coll.n == 0, "parse_all of nothing");
	rc = dh_edn_parse_all(&arena, "1 \xc3\xa9 )", 6, &x, &err);
	ok(rc == DH_EBADEDN && !x && err.position == 5, "parse_all error position");
}

int
main(void)
{
	dh_arena_init(&arena);
	test_scalars();
	test_strings();
	test_symbols();
	test_collections();
	test_errors();
	test_depth();
	test_truncation();
	test_print();
	test_equal();
	test_complete();
	test_positions();
	dh_arena_release(&arena);
	return tap_done();
}
