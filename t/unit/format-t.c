/*
 * format-t: unit tests of lib/format.c.  Results are built by hand and every
 * format's exact text is checked.  The expected aligned tables were printed
 * by psql 15 (psql -X -c) for the same data, so a difference from psql shows
 * up here as a failure.
 */
#include <math.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "datom.h"
#include "format.h"
#include "tap.h"
#include "util.h"

static struct dh_arena arena;

/* --- values --- */

static const struct dh_value NIL = {.type = DH_T_NONE};

static struct dh_value
vl(int64_t i)
{
	struct dh_value v = {.type = DH_T_LONG};
	v.i = i;
	return v;
}

static struct dh_value
vref(uint64_t e)
{
	struct dh_value v = {.type = DH_T_REF};
	v.ref = e;
	return v;
}

static struct dh_value
vd(double d)
{
	struct dh_value v = {.type = DH_T_DOUBLE};
	v.d = d;
	return v;
}

static struct dh_value
vb(int b)
{
	struct dh_value v = {.type = DH_T_BOOL};
	v.b = b;
	return v;
}

static struct dh_value
vsn(enum dh_type t, const char *s, size_t n)
{
	struct dh_value v = {.type = t};
	v.s.p = dh_arena_memdup(&arena, s, n ? n : 1);
	v.s.n = n;
	return v;
}

static struct dh_value
vs(const char *s)
{
	return vsn(DH_T_STRING, s, strlen(s));
}

static struct dh_value
vkw(const char *s)
{
	return vsn(DH_T_KEYWORD, s, strlen(s));
}

static struct dh_value
vdec(const char *s)
{
	struct dh_value v;
	if (dh_bigdec_parse(s, strlen(s), &arena, &v))
		abort();
	return v;
}

static struct dh_value
vinst(const char *s)
{
	struct dh_value v = {.type = DH_T_INSTANT};
	if (dh_instant_parse(s, strlen(s), &v.i))
		abort();
	return v;
}

static struct dh_value
vuuid(const char *s)
{
	struct dh_value v = {.type = DH_T_UUID};
	if (dh_uuid_parse(s, strlen(s), v.uuid))
		abort();
	return v;
}

static struct dh_value
vbytes(const char *p, size_t n)
{
	return vsn(DH_T_BYTES, p, n);
}

/* A collection of n items given as struct dh_value arguments. */
static struct dh_value
vcoll(enum dh_coll_kind kind, size_t n, ...)
{
	struct dh_coll *c = dh_arena_zalloc(&arena, sizeof(*c));
	struct dh_value v = {.type = DH_T_COLL};
	va_list ap;

	c->kind = kind;
	c->n = n;
	c->items = dh_arena_zalloc(&arena, (n ? n : 1) * sizeof(*c->items));
	va_start(ap, n);
	for (size_t i = 0; i < n; i++)
		c->items[i] = va_arg(ap, struct dh_value);
	va_end(ap);
	v.coll = c;
	return v;
}

/* --- results --- */

#define COLS(...) ((const char *[]){__VA_ARGS__})
#define VALS(...) ((struct dh_value[]){__VA_ARGS__})

static struct dh_result
res(enum dh_find_shape shape, size_t ncols, const char *const *cols, size_t nrows,
    const struct dh_value *vals)
{
	struct dh_result r = {.shape = shape, .ncols = ncols, .nrows = nrows};
	const char **c = dh_arena_zalloc(&arena, (ncols ? ncols : 1) * sizeof(*c));
	for (size_t j = 0; j < ncols; j++)
		c[j] = cols[j];
	size_t n = nrows * ncols;
	r.cols = c;
	r.rows = dh_arena_memdup(&arena, vals ? (const void *)vals : (const void *)&NIL,
				 (n ? n : 1) * sizeof(*vals));
	return r;
}

static struct dh_result
rel(size_t ncols, const char *const *cols, size_t nrows, const struct dh_value *vals)
{
	return res(DH_FIND_REL, ncols, cols, nrows, vals);
}

static struct dh_result
with_bag(struct dh_result r)
{
	r.bag = 1;
	return r;
}

static struct dh_result
with_keys(struct dh_result r, enum dh_find_keys k)
{
	r.keys = k;
	return r;
}

/* --- output as strings --- */

static const char *
out_of(int rc, struct dh_buf *b)
{
	const char *s;
	if (rc)
		s = dh_arena_printf(&arena, "error %d", rc);
	else
		s = dh_arena_strndup(&arena, (const char *)b->p, b->len);
	dh_buf_release(b);
	return s;
}

static const char *
fmt(const struct dh_result *r, enum dh_format f)
{
	struct dh_buf b;
	dh_buf_init(&b, 0);
	return out_of(dh_result_format(&b, f, r), &b);
}

static const char *
text(struct dh_value v)
{
	struct dh_buf b;
	dh_buf_init(&b, 0);
	return out_of(dh_value_print_text(&b, &v), &b);
}

static const char *
json(struct dh_value v)
{
	struct dh_buf b;
	dh_buf_init(&b, 0);
	return out_of(dh_value_print_json(&b, &v), &b);
}

/* in the order of the want[] arrays below */
static const enum dh_format formats[] = {
    DH_FMT_ALIGNED, DH_FMT_CSV, DH_FMT_TSV, DH_FMT_JSON, DH_FMT_NDJSON, DH_FMT_EDN,
};

/* every format of r, checked against want[] (NULL: skip) */
static void
all_formats(const struct dh_result *r, const char *const want[6], const char *what)
{
	for (size_t i = 0; i < DH_ARRAY_SIZE(formats); i++) {
		if (want[i])
			is_str(fmt(r, formats[i]), want[i], "%s: %s", what,
			       dh_format_name(formats[i]));
	}
}

/* --- tests --- */

static void
test_names(void)
{
	static const char *const names[] = {"aligned", "csv", "tsv", "json", "ndjson", "edn"};
	enum dh_format f;

	for (size_t i = 0; i < DH_ARRAY_SIZE(names); i++) {
		f = (enum dh_format)99;
		is_int(dh_format_from_name(names[i], &f), 0, "format name '%s' known", names[i]);
		is_str(dh_format_name(f), names[i], "format '%s' names itself", names[i]);
	}
	is_int(dh_format_from_name("xml", &f), DH_EUSAGE, "unknown format name");
	is_int(dh_format_from_name("CSV", &f), DH_EUSAGE, "format names are lower case");
	is_int(dh_format_from_name("", &f), DH_EUSAGE, "empty format name");
	is_int(dh_format_from_name(NULL, &f), DH_EUSAGE, "NULL format name");
	is_str(dh_format_name((enum dh_format)42), "unknown", "name of a bad format");
	struct dh_result r = rel(1, COLS("?a"), 0, NULL);
	struct dh_buf b;
	dh_buf_init(&b, 0);
	is_int(dh_result_format(&b, (enum dh_format)42, &r), DH_EUSAGE,
	       "formatting in a bad format");
	dh_buf_release(&b);
}

static void
test_text(void)
{
	is_str(text(NIL), "", "text: nil is empty");
	is_str(text(vb(1)), "true", "text: true");
	is_str(text(vb(0)), "false", "text: false");
	is_str(text(vl(0)), "0", "text: 0");
	is_str(text(vl(INT64_MAX)), "9223372036854775807", "text: int64 max");
	is_str(text(vl(INT64_MIN)), "-9223372036854775808", "text: int64 min");
	is_str(text(vref(UINT64_MAX)), "18446744073709551615", "text: ref is unsigned");
	is_str(text(vd(1.5)), "1.5", "text: double");
	is_str(text(vd(2)), "2.0", "text: whole double keeps .0");
	is_str(text(vd(1e20)), "1.0E20", "text: double with exponent");
	is_str(text(vd(-0.0)), "-0.0", "text: negative zero");
	is_str(text(vd(NAN)), "NaN", "text: NaN as PostgreSQL writes it");
	is_str(text(vd(INFINITY)), "Infinity", "text: Infinity");
	is_str(text(vd(-INFINITY)), "-Infinity", "text: -Infinity");
	is_str(text(vdec("1.50")), "1.50", "text: bigdec keeps its scale");
	is_str(text(vdec("-123456789012345678901234567890.000001")),
	       "-123456789012345678901234567890.000001", "text: long bigdec");
	is_str(text(vinst("2026-11-21T10:00:00.123Z")), "2026-11-21T10:00:00.123Z",
	       "text: instant");
	is_str(text(vinst("1969-12-31T23:59:59.999999Z")), "1969-12-31T23:59:59.999999Z",
	       "text: instant before 1970");
	is_str(text(vuuid("6BA7B810-9DAD-11D1-80B4-00C04FD430C8")),
	       "6ba7b810-9dad-11d1-80b4-00c04fd430c8", "text: uuid lower case");
	is_str(text(vs("plain \"text\"\n")), "plain \"text\"\n", "text: string raw");
	is_str(text(vs("")), "", "text: empty string");
	is_str(text(vkw("shop/item")), ":shop/item", "text: keyword with colon");
	is_str(text(vkw("x")), ":x", "text: keyword without namespace");
	is_str(text(vbytes("\x00\xff\x10hi", 5)), "AP8QaGk=", "text: bytes base64");
	is_str(text(vbytes("", 0)), "", "text: empty bytes");
	is_str(text(vcoll(DH_COLL_VECTOR, 3, vl(1), vs("a\"b"), NIL)), "[1 \"a\\\"b\" nil]",
	       "text: vector as EDN");
	is_str(text(vcoll(DH_COLL_MAP, 4, vkw("a"), vl(1), vs("b"), vcoll(DH_COLL_SET, 1, vb(1)))),
	       "{:a 1, \"b\" #{true}}", "text: map as EDN");
	is_str(text(vcoll(DH_COLL_LIST, 0)), "()", "text: empty list");
}

static void
test_json_values(void)
{
	is_str(json(NIL), "null", "json: nil");
	is_str(json(vb(1)), "true", "json: true");
	is_str(json(vb(0)), "false", "json: false");
	is_str(json(vl(INT64_MIN)), "-9223372036854775808", "json: int64 min in full");
	is_str(json(vl(INT64_MAX)), "9223372036854775807", "json: int64 max in full");
	is_str(json(vref(12345678901234567890u)), "12345678901234567890", "json: ref");
	is_str(json(vdec("1.50")), "1.50", "json: bigdec keeps trailing zero");
	is_str(json(vdec("-0.001")), "-0.001", "json: negative bigdec");
	is_str(json(vdec("1e3")), "1000", "json: bigdec from exponent");
	struct dh_value bad = vsn(DH_T_BIGDEC, "01.", 3);
	is_str(json(bad), "\"01.\"", "json: non-canonical bigdec becomes a string");
	bad = vsn(DH_T_BIGDEC, "", 0);
	is_str(json(bad), "\"\"", "json: empty bigdec text becomes a string");
	is_str(json(vd(1.5)), "1.5", "json: double");
	is_str(json(vd(1)), "1.0", "json: whole double");
	is_str(json(vd(-2.5e-7)), "-2.5E-7", "json: small double");
	is_str(json(vd(1.7976931348623157e308)), "1.7976931348623157E308", "json: max double");
	is_str(json(vd(0.1)), "0.1", "json: shortest round trip");
	is_str(json(vd(NAN)), "\"NaN\"", "json: NaN as string");
	is_str(json(vd(INFINITY)), "\"Infinity\"", "json: Infinity as string");
	is_str(json(vd(-INFINITY)), "\"-Infinity\"", "json: -Infinity as string");
	is_str(json(vinst("2026-01-02T03:04:05Z")), "\"2026-01-02T03:04:05Z\"", "json: instant");
	is_str(json(vuuid("6ba7b810-9dad-11d1-80b4-00c04fd430c8")),
	       "\"6ba7b810-9dad-11d1-80b4-00c04fd430c8\"", "json: uuid");
	is_str(json(vkw("ns/name")), "\":ns/name\"", "json: keyword keeps colon");
	is_str(json(vbytes("hello", 5)), "\"aGVsbG8=\"", "json: bytes base64");
	is_str(json(vs("")), "\"\"", "json: empty string");
	is_str(json(vs("q\"b\\s/")), "\"q\\\"b\\\\s/\"", "json: quote and backslash");
	is_str(json(vs("\b\f\n\r\t")), "\"\\b\\f\\n\\r\\t\"", "json: short escapes");
	is_str(json(vsn(DH_T_STRING, "\x00\x01\x1f\x7f", 4)), "\"\\u0000\\u0001\\u001f\x7f\"",
	       "json: control characters as \\u00XX, DEL as is");
	is_str(json(vs("Ольга 日本 😀 e\xcc\x81")), "\"Ольга 日本 😀 e\xcc\x81\"",
	       "json: UTF-8 passes through");
	is_str(json(vs("\xe2\x80\xa8")), "\"\xe2\x80\xa8\"", "json: U+2028 passes through");
	is_str(json(vs("a\377b\303")), "\"a\357\277\275b\357\277\275\"",
	       "json: invalid UTF-8 becomes U+FFFD");
	is_str(json(vs("\xc0\xaf\xed\xa0\x80")),
	       "\"\xef\xbf\xbd\xef\xbf\xbd\xef\xbf\xbd\xef\xbf\xbd\xef\xbf\xbd\"",
	       "json: overlong and surrogate bytes replaced one by one");
	is_str(json(vs("\xf4\x90\x80\x80")), "\"\xef\xbf\xbd\xef\xbf\xbd\xef\xbf\xbd\xef\xbf\xbd\"",
	       "json: beyond U+10FFFF replaced");
	is_str(json(vcoll(DH_COLL_VECTOR, 3, vl(1), vs("x"), NIL)), "[1,\"x\",null]",
	       "json: vector");
	is_str(json(vcoll(DH_COLL_LIST, 1, vd(NAN))), "[\"NaN\"]", "json: list");
	is_str(json(vcoll(DH_COLL_SET, 2, vkw("a"), vkw("b"))), "[\":a\",\":b\"]", "json: set");
	is_str(json(vcoll(DH_COLL_VECTOR, 0)), "[]", "json: empty vector");
	is_str(json(vcoll(DH_COLL_MAP, 0)), "{}", "json: empty map");
	is_str(json(vcoll(DH_COLL_MAP, 4, vkw("person/name"), vs("Ivan"), vs("age"), vl(30))),
	       "{\"person/name\":\"Ivan\",\"age\":30}", "json: map with keyword and string keys");
	is_str(json(vcoll(DH_COLL_MAP, 8, vl(1), vb(1), NIL, vl(2),
			  vcoll(DH_COLL_VECTOR, 2, vl(1), vs("a")), vl(3),
			  vuuid("6ba7b810-9dad-11d1-80b4-00c04fd430c8"), vl(4))),
	       "{\"1\":true,\"nil\":2,\"[1 \\\"a\\\"]\":3,"
	       "\"#uuid \\\"6ba7b810-9dad-11d1-80b4-00c04fd430c8\\\"\":4}",
	       "json: other keys as their EDN text");
	is_str(json(vcoll(DH_COLL_MAP, 2, vkw("db/id"),
			  vcoll(DH_COLL_MAP, 2, vkw("tags"), vcoll(DH_COLL_SET, 1, vs("\n"))))),
	       "{\"db/id\":{\"tags\":[\"\\n\"]}}", "json: nested map");
}

static void
test_aligned_psql(void)
{
	/* psql -X -c "select * from (values ('Ivan'::text, 30::numeric,
	 * 1.5::numeric, 10.50::numeric, 17::numeric, null::text), ...)" */
	/* clang-format off */
	struct dh_result r = with_bag(rel(
		6, COLS("?name", "?age", "?score", "?price", "?e", "?x"), 3,
		VALS(vs("Ivan"), vl(30), vd(1.5), vdec("10.50"), vref(17), NIL,
		     vs("Ольга"), NIL, vd(NAN), vdec("-3"), vref(4), vkw("shop/item"),
		     vs("日本語テキスト"), vl(INT64_MIN), vd(-INFINITY), vdec("0.001"),
		     vref(UINT64_MAX), vcoll(DH_COLL_VECTOR, 3, vl(1), vs("a"), NIL))));
	is_str(fmt(&r, DH_FMT_ALIGNED),
	       "     ?name      |         ?age         |  ?score   | ?price |          ?e          |     ?x      \n"
	       "----------------+----------------------+-----------+--------+----------------------+-------------\n"
	       " Ivan           |                   30 |       1.5 |  10.50 |                   17 | \n"
	       " Ольга          |                      |       NaN |     -3 |                    4 | :shop/item\n"
	       " 日本語テキスト | -9223372036854775808 | -Infinity |  0.001 | 18446744073709551615 | [1 \"a\" nil]\n"
	       "(3 rows)\n"
	       "\n",
	       "aligned: mixed types, nil, wide characters (as psql)");
	/* clang-format on */

	/* multi-line cells and header, tabs, control characters, combining
	 * marks, an emoji */
	r = with_bag(rel(4, COLS("?a", "b\nmulti", "?n", "?z"), 4,
			 VALS(vs("one\ntwo\nthree"), vs("a\tb"), vl(1), vs("x\ny"), vs("tab\there"),
			      vs("cr\rlf"), NIL, vs(""), vs("ctl\x01\x7f"), vs("c1\xc2\x85"),
			      vl(22), vs("e\xcc\x81\xcc\x81!"), vs("\xf0\x9f\x98\x80 ok"), vs("\n"),
			      NIL, vs("last\n"))));
	is_str(fmt(&r, DH_FMT_ALIGNED),
	       "      ?a      |     b    +| ?n |  ?z  \n"
	       "              |   multi   |    |      \n"
	       "--------------+-----------+----+------\n"
	       " one         +| a       b |  1 | x   +\n"
	       " two         +|           |    | y\n"
	       " three        |           |    | \n"
	       " tab     here | cr\\rlf    |    | \n"
	       " ctl\\x01\\x7F  | c1\\u0085  | 22 | e\xcc\x81\xcc\x81!\n"
	       " \xf0\x9f\x98\x80 ok        |          +|    | last+\n"
	       "              |           |    | \n"
	       "(4 rows)\n"
	       "\n",
	       "aligned: multi-line cells and header, escapes (as psql)");

	/* psql -c "select 1 as a, 'xx'::text as b" */
	r = rel(2, COLS("a", "b"), 1, VALS(vl(1), vs("xx")));
	is_str(fmt(&r, DH_FMT_ALIGNED), " a | b  \n---+----\n 1 | xx\n(1 row)\n\n",
	       "aligned: one row, last header padded, last cell not");

	/* a right-aligned last column keeps its padding, even for nil */
	r = with_bag(rel(2, COLS("a", "n"), 3, VALS(vs("x"), vl(1), vs("yy"), vl(100), NIL, NIL)));
	is_str(fmt(&r, DH_FMT_ALIGNED),
	       " a  |  n  \n----+-----\n x  |   1\n yy | 100\n    |    \n(3 rows)\n\n",
	       "aligned: nil in a numeric last column (as psql)");

	/* psql -c "select 'a\n' as a, '\n' as b" */
	r = rel(2, COLS("a", "b"), 1, VALS(vs("a\n"), vs("\n")));
	is_str(fmt(&r, DH_FMT_ALIGNED), " a | b \n---+---\n a+|  +\n   | \n(1 row)\n\n",
	       "aligned: trailing newlines (as psql)");

	/* psql -c "select 'x' as \"日本\", 1 as \"é\"" */
	r = rel(2, COLS("日本", "é"), 1, VALS(vs("x"), vl(1)));
	is_str(fmt(&r, DH_FMT_ALIGNED), " 日本 | é \n------+---\n x    | 1\n(1 row)\n\n",
	       "aligned: wide header (as psql)");

	/* psql -c "select ''::text as a" */
	r = rel(1, COLS("a"), 1, VALS(vs("")));
	is_str(fmt(&r, DH_FMT_ALIGNED), " a \n---\n \n(1 row)\n\n", "aligned: one empty cell");

	/* psql -c "select 12345 as a, 'x' as \"?b\", 'abc' as \"(count ?e)\"" */
	r = rel(3, COLS("a", "?b", "(count ?e)"), 1, VALS(vl(12345), vs("x"), vs("abc")));
	is_str(
	    fmt(&r, DH_FMT_ALIGNED),
	    "   a   | ?b | (count ?e) \n-------+----+------------\n 12345 | x  | abc\n(1 row)\n\n",
	    "aligned: header centered, odd padding to the right");

	/* U+00AD (Cf) is 1 wide as in PostgreSQL 15, U+1100 2, U+1160 1,
	 * an emoji 2, a lone combining mark 0 */
	r = rel(4, COLS("a", "b", "c", "d"), 1,
		VALS(vs("\xc2\xad"), vs("\xe1\x84\x80\xe1\x85\xa0"), vs("\xf0\x9f\x98\x80"),
		     vs("\xcc\x80")));
	is_str(fmt(&r, DH_FMT_ALIGNED),
	       " a |  b  | c  | d \n---+-----+----+---\n \xc2\xad | \xe1\x84\x80\xe1\x85\xa0 | "
	       "\xf0\x9f\x98\x80 | \xcc\x80\n(1 row)\n\n",
	       "aligned: widths of format characters, Hangul, emoji, marks (as psql)");
}

static void
test_aligned_more(void)
{
	struct dh_result r;

	r = rel(2, COLS("?x", "?y"), 0, NULL);
	is_str(fmt(&r, DH_FMT_ALIGNED), " ?x | ?y \n----+----\n(0 rows)\n\n",
	       "aligned: no rows (as psql)");
	r = rel(0, NULL, 2, NULL);
	is_str(fmt(&r, DH_FMT_ALIGNED), "--\n(2 rows)\n\n", "aligned: no columns (as psql)");
	r = rel(0, NULL, 1, NULL);
	is_str(fmt(&r, DH_FMT_ALIGNED), "--\n(1 row)\n\n", "aligned: no columns, one row");
	r = res(DH_FIND_SCALAR, 1, COLS("?x"), 0, NULL);
	is_str(fmt(&r, DH_FMT_ALIGNED), " ?x \n----\n(0 rows)\n\n", "aligned: nil scalar");
	r = res(DH_FIND_TUPLE, 2, COLS("?a", "?b"), 0, NULL);
	is_str(fmt(&r, DH_FMT_ALIGNED), " ?a | ?b \n----+----\n(0 rows)\n\n", "aligned: nil tuple");
	r = res(DH_FIND_SCALAR, 1, COLS("(count ?e)"), 1, VALS(vl(42)));
	is_str(fmt(&r, DH_FMT_ALIGNED), " (count ?e) \n------------\n         42\n(1 row)\n\n",
	       "aligned: scalar");

	/* invalid UTF-8 is shown as \xHH, like control characters */
	r = rel(1, COLS("s"), 1, VALS(vs("a\377b")));
	is_str(fmt(&r, DH_FMT_ALIGNED), "   s    \n--------\n a\\xFFb\n(1 row)\n\n",
	       "aligned: invalid UTF-8 escaped");

	/* a column of numbers and strings is left-aligned; all-nil too */
	r = with_bag(rel(2, COLS("v", "n"), 2, VALS(vl(5), NIL, vs("abc"), NIL)));
	is_str(fmt(&r, DH_FMT_ALIGNED), "  v  | n \n-----+---\n 5   | \n abc | \n(2 rows)\n\n",
	       "aligned: mixed column left-aligned");

	/* all value types in cells */
	r = with_bag(rel(1, COLS("?v"), 7,
			 VALS(vb(1), vinst("2026-11-21T10:00:00Z"),
			      vuuid("6ba7b810-9dad-11d1-80b4-00c04fd430c8"), vbytes("hi", 2),
			      vkw("a/b"), vcoll(DH_COLL_MAP, 2, vkw("k"), vs("v")), vd(2))));
	is_str(fmt(&r, DH_FMT_ALIGNED),
	       "                  ?v                  \n"
	       "--------------------------------------\n"
	       " true\n"
	       " 2026-11-21T10:00:00Z\n"
	       " 6ba7b810-9dad-11d1-80b4-00c04fd430c8\n"
	       " aGk=\n"
	       " :a/b\n"
	       " {:k \"v\"}\n"
	       " 2.0\n"
	       "(7 rows)\n\n",
	       "aligned: every type as text");

	/* tab stops count from the start of each cell line */
	r = rel(2, COLS("a", "b"), 1, VALS(vs("12345678\tx\n\ty"), vs("\t")));
	is_str(fmt(&r, DH_FMT_ALIGNED),
	       "         a         |    b     \n"
	       "-------------------+----------\n"
	       " 12345678        x+|         \n"
	       "         y         | \n"
	       "(1 row)\n\n",
	       "aligned: tabs expand to multiples of 8");
}

static void
test_csv_tsv(void)
{
	struct dh_result r = with_bag(
	    rel(3, COLS("?name", "a,b", "q\"t"), 5,
		VALS(vs("plain"), vl(-1), NIL, vs(""), vs("has,comma"), vs("say \"hi\""),
		     vs("line1\nline2"), vs("cr\r"), vs(" lead"), vs("trail "), vs("\\."),
		     vs("tab\tin"), vcoll(DH_COLL_VECTOR, 2, vs("x"), vl(1)), vd(NAN), vkw("k"))));
	is_str(fmt(&r, DH_FMT_CSV),
	       "?name,\"a,b\",\"q\"\"t\"\n"
	       "plain,-1,\n"
	       "\"\",\"has,comma\",\"say \"\"hi\"\"\"\n"
	       "\"line1\nline2\",\"cr\r\",\" lead\"\n"
	       "\"trail \",\"\\.\",tab\tin\n"
	       "\"[\"\"x\"\" 1]\",NaN,:k\n",
	       "csv: quoting only where needed, nil empty, empty string quoted");
	is_str(fmt(&r, DH_FMT_TSV),
	       "?name\ta,b\tq\"t\n"
	       "plain\t-1\t\n"
	       "\thas,comma\tsay \"hi\"\n"
	       "line1\\nline2\tcr\\r\t lead\n"
	       "trail \t\\\\.\ttab\\tin\n"
	       "[\"x\" 1]\tNaN\t:k\n",
	       "tsv: COPY text escapes, nil empty");

	r = rel(2, COLS("?a", "x\ty\\z\n"), 0, NULL);
	is_str(fmt(&r, DH_FMT_CSV), "?a,\"x\ty\\z\n\"\n", "csv: header only when empty");
	is_str(fmt(&r, DH_FMT_TSV), "?a\tx\\ty\\\\z\\n\n", "tsv: header escaped");

	r = rel(1, COLS(""), 2, VALS(NIL, vs("")));
	is_str(fmt(&r, DH_FMT_CSV), "\"\"\n\n\"\"\n", "csv: empty name and nil and empty string");
	is_str(fmt(&r, DH_FMT_TSV), "\n\n\n", "tsv: nil and empty string are both empty");

	r = rel(1, COLS("q"), 3, VALS(vs("\""), vs("\"\""), vs("a\"")));
	is_str(fmt(&r, DH_FMT_CSV), "q\n\"\"\"\"\n\"\"\"\"\"\"\n\"a\"\"\"\n",
	       "csv: doubling quotes");

	r = rel(2, COLS("u", "t"), 1, VALS(vs("Ольга 日本"), vs("\\")));
	is_str(fmt(&r, DH_FMT_CSV), "u,t\nОльга 日本,\\\n", "csv: unicode and backslash as is");
	is_str(fmt(&r, DH_FMT_TSV), "u\tt\nОльга 日本\t\\\\\n", "tsv: backslash doubled");
}

static void
test_json_rows(void)
{
	struct dh_result r =
	    rel(3, COLS("?name", "?age", "?tags"), 2,
		VALS(vs("Ivan"), vl(30), vcoll(DH_COLL_SET, 2, vkw("a"), vkw("b")),
		     vs("Petr \"P\""), NIL, vcoll(DH_COLL_MAP, 2, vkw("x/y"), vdec("1.50"))));
	is_str(fmt(&r, DH_FMT_JSON),
	       "[{\"?name\":\"Ivan\",\"?age\":30,\"?tags\":[\":a\",\":b\"]},\n"
	       "{\"?name\":\"Petr \\\"P\\\"\",\"?age\":null,\"?tags\":{\"x/y\":1.50}}]\n",
	       "json: array of objects, one per line");
	is_str(fmt(&r, DH_FMT_NDJSON),
	       "{\"?name\":\"Ivan\",\"?age\":30,\"?tags\":[\":a\",\":b\"]}\n"
	       "{\"?name\":\"Petr \\\"P\\\"\",\"?age\":null,\"?tags\":{\"x/y\":1.50}}\n",
	       "ndjson: one object per line");

	r = rel(1, COLS("?x"), 0, NULL);
	is_str(fmt(&r, DH_FMT_JSON), "[]\n", "json: empty result");
	is_str(fmt(&r, DH_FMT_NDJSON), "", "ndjson: empty result");
	r = rel(1, COLS("(count ?e)"), 1, VALS(vl(3)));
	is_str(fmt(&r, DH_FMT_JSON), "[{\"(count ?e)\":3}]\n", "json: one row");
	r = rel(1, COLS("a\"\n"), 1, VALS(vd(INFINITY)));
	is_str(fmt(&r, DH_FMT_NDJSON), "{\"a\\\"\\n\":\"Infinity\"}\n", "ndjson: key escaped");
	r = rel(0, NULL, 2, NULL);
	is_str(fmt(&r, DH_FMT_JSON), "[{},\n{}]\n", "json: rows without columns");
	r = with_keys(rel(2, COLS("name", "age"), 1, VALS(vs("x"), vl(1))), DH_KEYS_KEYS);
	is_str(fmt(&r, DH_FMT_NDJSON), "{\"name\":\"x\",\"age\":1}\n", "ndjson: :keys names as is");
}

static void
test_edn(void)
{
	struct dh_result r;

	r = rel(2, COLS("?a", "?b"), 3, VALS(vs("b"), vl(2), vs("a"), vl(10), vs("a"), NIL));
	is_str(fmt(&r, DH_FMT_EDN), "#{[\"a\" nil]\n  [\"a\" 10]\n  [\"b\" 2]}\n",
	       "edn: relation is a sorted set, one tuple per line");
	r = rel(2, COLS("?a", "?b"), 0, NULL);
	is_str(fmt(&r, DH_FMT_EDN), "#{}\n", "edn: empty relation");
	r = rel(1, COLS("?a"), 1, VALS(vinst("2026-11-21T10:00:00.123456Z")));
	is_str(fmt(&r, DH_FMT_EDN), "#{[#inst \"2026-11-21T10:00:00.123456Z\"]}\n",
	       "edn: one-tuple relation");
	r = rel(1, COLS("?a"), 3, VALS(vl(1), vl(2), vl(1)));
	is_str(fmt(&r, DH_FMT_EDN), "#{[1]\n  [2]}\n", "edn: a set never repeats a tuple");

	r = with_bag(
	    rel(2, COLS("?a", "?b"), 3, VALS(vl(2), vs("x"), vl(1), vs("y"), vl(2), vs("x"))));
	is_str(fmt(&r, DH_FMT_EDN), "[[2 \"x\"]\n [1 \"y\"]\n [2 \"x\"]]\n",
	       "edn: bag is a vector in given order with duplicates");
	r = with_bag(rel(1, COLS("?a"), 0, NULL));
	is_str(fmt(&r, DH_FMT_EDN), "[]\n", "edn: empty bag");

	r = res(DH_FIND_COLL, 1, COLS("?a"), 4, VALS(vs("z"), vkw("k"), vl(3), NIL));
	is_str(fmt(&r, DH_FMT_EDN), "[nil 3 \"z\" :k]\n",
	       "edn: collection sorted by type and value");
	r = with_bag(res(DH_FIND_COLL, 1, COLS("?a"), 3, VALS(vl(3), vl(1), vl(3))));
	is_str(fmt(&r, DH_FMT_EDN), "[3 1 3]\n", "edn: bag collection in given order");
	r = res(DH_FIND_COLL, 1, COLS("?a"), 0, NULL);
	is_str(fmt(&r, DH_FMT_EDN), "[]\n", "edn: empty collection");

	r = res(DH_FIND_TUPLE, 3, COLS("?a", "?b", "?c"), 1,
		VALS(vl(1), vdec("2.50"), vbytes("\x01\x02", 2)));
	is_str(fmt(&r, DH_FMT_EDN), "[1 2.50M #bytes \"AQI=\"]\n", "edn: tuple");
	r = res(DH_FIND_TUPLE, 2, COLS("?a", "?b"), 0, NULL);
	is_str(fmt(&r, DH_FMT_EDN), "nil\n", "edn: no tuple is nil");
	r = res(DH_FIND_SCALAR, 1, COLS("?a"), 1, VALS(vd(NAN)));
	is_str(fmt(&r, DH_FMT_EDN), "##NaN\n", "edn: scalar");
	r = res(DH_FIND_SCALAR, 1, COLS("?a"), 1,
		VALS(vcoll(DH_COLL_MAP, 4, vkw("db/id"), vl(7), vkw("name"), vs("Ivan"))));
	is_str(fmt(&r, DH_FMT_EDN), "{:db/id 7, :name \"Ivan\"}\n", "edn: pull map scalar");
	r = res(DH_FIND_SCALAR, 1, COLS("?a"), 0, NULL);
	is_str(fmt(&r, DH_FMT_EDN), "nil\n", "edn: no scalar is nil");
	r = res(DH_FIND_SCALAR, 0, NULL, 1, NULL);
	is_str(fmt(&r, DH_FMT_EDN), "nil\n", "edn: scalar without column is nil");

	/* :keys / :strs / :syms (DataScript: a set of maps, a map for a tuple) */
	struct dh_value rows[] = {vs("Oleg"), vl(20), vs("Ivan"), vl(10)};
	r = with_keys(rel(2, COLS("name", "A"), 2, rows), DH_KEYS_KEYS);
	is_str(fmt(&r, DH_FMT_EDN), "#{{:name \"Ivan\", :A 10}\n  {:name \"Oleg\", :A 20}}\n",
	       "edn: :keys relation is a set of maps");
	r.keys = DH_KEYS_STRS;
	is_str(fmt(&r, DH_FMT_EDN),
	       "#{{\"name\" \"Ivan\", \"A\" 10}\n  {\"name\" \"Oleg\", \"A\" 20}}\n", "edn: :strs");
	r.keys = DH_KEYS_SYMS;
	is_str(fmt(&r, DH_FMT_EDN), "#{{name \"Ivan\", A 10}\n  {name \"Oleg\", A 20}}\n",
	       "edn: :syms");
	r.bag = 1;
	is_str(fmt(&r, DH_FMT_EDN), "[{name \"Oleg\", A 20}\n {name \"Ivan\", A 10}]\n",
	       "edn: :syms bag is a vector of maps");
	r = with_keys(res(DH_FIND_TUPLE, 2, COLS("n", "a\"q"), 1, VALS(vs("Ivan"), vl(25))),
		      DH_KEYS_STRS);
	is_str(fmt(&r, DH_FMT_EDN), "{\"n\" \"Ivan\", \"a\\\"q\" 25}\n",
	       "edn: :strs tuple is a map");
	r = with_keys(res(DH_FIND_TUPLE, 2, COLS("n", "a"), 0, NULL), DH_KEYS_KEYS);
	is_str(fmt(&r, DH_FMT_EDN), "nil\n", "edn: :keys tuple without row is nil");
	r = with_keys(rel(1, COLS("n"), 0, NULL), DH_KEYS_KEYS);
	is_str(fmt(&r, DH_FMT_EDN), "#{}\n", "edn: empty :keys relation");

	/* every value type through EDN */
	r = with_bag(rel(4, COLS("a", "b", "c", "d"), 2,
			 VALS(vb(0), vref(5), vuuid("00000000-0000-0000-0000-000000000001"),
			      vkw("a/b"), vs("q\"\n"), vd(-INFINITY), vinst("1970-01-01T00:00:00Z"),
			      vcoll(DH_COLL_LIST, 2, vl(1), vcoll(DH_COLL_SET, 0)))));
	is_str(fmt(&r, DH_FMT_EDN),
	       "[[false 5 #uuid \"00000000-0000-0000-0000-000000000001\" :a/b]\n"
	       " [\"q\\\"\\n\" ##-Inf #inst \"1970-01-01T00:00:00Z\" (1 #{})]]\n",
	       "edn: every type");
}

static void
test_order(void)
{
	/* the same set in every format: sorted row by row, nil first */
	struct dh_result r = rel(2, COLS("?k", "?v"), 4,
				 VALS(vs("b"), vl(1), vs("a"), vl(2), NIL, vl(0), vs("a"), vl(1)));
	const char *want[6] = {
	    " ?k | ?v \n----+----\n    |  0\n a  |  1\n a  |  2\n b  |  1\n(4 rows)\n\n",
	    "?k,?v\n,0\na,1\na,2\nb,1\n",
	    "?k\t?v\n\t0\na\t1\na\t2\nb\t1\n",
	    "[{\"?k\":null,\"?v\":0},\n{\"?k\":\"a\",\"?v\":1},\n{\"?k\":\"a\",\"?v\":2},\n"
	    "{\"?k\":\"b\",\"?v\":1}]\n",
	    "{\"?k\":null,\"?v\":0}\n{\"?k\":\"a\",\"?v\":1}\n{\"?k\":\"a\",\"?v\":2}\n"
	    "{\"?k\":\"b\",\"?v\":1}\n",
	    "#{[nil 0]\n  [\"a\" 1]\n  [\"a\" 2]\n  [\"b\" 1]}\n",
	};
	all_formats(&r, want, "set sorted");

	/* a bag keeps the engine's order everywhere */
	r.bag = 1;
	const char *want_bag[6] = {
	    " ?k | ?v \n----+----\n b  |  1\n a  |  2\n    |  0\n a  |  1\n(4 rows)\n\n",
	    "?k,?v\nb,1\na,2\n,0\na,1\n",
	    "?k\t?v\nb\t1\na\t2\n\t0\na\t1\n",
	    "[{\"?k\":\"b\",\"?v\":1},\n{\"?k\":\"a\",\"?v\":2},\n{\"?k\":null,\"?v\":0},\n"
	    "{\"?k\":\"a\",\"?v\":1}]\n",
	    "{\"?k\":\"b\",\"?v\":1}\n{\"?k\":\"a\",\"?v\":2}\n{\"?k\":null,\"?v\":0}\n"
	    "{\"?k\":\"a\",\"?v\":1}\n",
	    "[[\"b\" 1]\n [\"a\" 2]\n [nil 0]\n [\"a\" 1]]\n",
	};
	all_formats(&r, want_bag, "bag in order");

	/* a collection is rows of one column outside EDN */
	r = res(DH_FIND_COLL, 1, COLS("?x"), 3, VALS(vd(2.5), vl(7), vd(-1)));
	const char *want_coll[6] = {
	    "  ?x  \n------\n    7\n -1.0\n  2.5\n(3 rows)\n\n",
	    "?x\n7\n-1.0\n2.5\n",
	    "?x\n7\n-1.0\n2.5\n",
	    "[{\"?x\":7},\n{\"?x\":-1.0},\n{\"?x\":2.5}]\n",
	    "{\"?x\":7}\n{\"?x\":-1.0}\n{\"?x\":2.5}\n",
	    "[7 -1.0 2.5]\n",
	};
	all_formats(&r, want_coll, "collection");

	/* a nil tuple has no rows */
	r = res(DH_FIND_TUPLE, 2, COLS("?a", "?b"), 0, NULL);
	const char *want_nil[6] = {
	    " ?a | ?b \n----+----\n(0 rows)\n\n", "?a,?b\n", "?a\t?b\n", "[]\n", "", "nil\n",
	};
	all_formats(&r, want_nil, "nil tuple");
	r = res(DH_FIND_TUPLE, 2, COLS("?a", "?b"), 1, VALS(vs("x"), vb(1)));
	const char *want_tuple[6] = {
	    " ?a |  ?b  \n----+------\n x  | true\n(1 row)\n\n",
	    "?a,?b\nx,true\n",
	    "?a\t?b\nx\ttrue\n",
	    "[{\"?a\":\"x\",\"?b\":true}]\n",
	    "{\"?a\":\"x\",\"?b\":true}\n",
	    "[\"x\" true]\n",
	};
	all_formats(&r, want_tuple, "tuple");

	/* sorting is stable and uses every column; many rows exercise the
	 * merge passes */
	enum { N = 1000 };
	struct dh_value *v = dh_arena_alloc(&arena, 2 * N * sizeof(*v));
	for (size_t i = 0; i < N; i++) {
		v[2 * i] = vl((int64_t)((i * 7919) % 97));
		v[2 * i + 1] = vl((int64_t)((i * 104729) % 1009));
	}
	r = rel(2, COLS("a", "b"), N, v);
	const char *csv = fmt(&r, DH_FMT_CSV);
	int sorted = 1;
	long pa = -1, pb = -1, a, b;
	size_t lines = 0;
	const char *p = strchr(csv, '\n') + 1;
	while (*p && sscanf(p, "%ld,%ld", &a, &b) == 2) {
		if (a < pa || (a == pa && b < pb))
			sorted = 0;
		pa = a;
		pb = b;
		lines++;
		p = strchr(p, '\n') + 1;
	}
	ok(sorted && lines == N, "1000 rows sorted by both columns (%zu rows)", lines);
	r.bag = 1;
	csv = fmt(&r, DH_FMT_CSV);
	ok(strncmp(csv, "a,b\n0,0\n62,802\n", 15) == 0, "1000 rows as a bag stay in order");
}

static void
test_cap(void)
{
	struct dh_result r =
	    rel(2, COLS("?a", "?b"), 2, VALS(vs("some text"), vl(1), vs("more text"), vl(2)));
	for (size_t i = 0; i < DH_ARRAY_SIZE(formats); i++) {
		struct dh_buf b;
		size_t full;
		int bad = 0;
		dh_buf_init(&b, 0);
		dh_result_format(&b, formats[i], &r);
		full = b.len;
		dh_buf_release(&b);
		for (size_t cap = 1; cap < full; cap++) {
			dh_buf_init(&b, cap);
			if (dh_result_format(&b, formats[i], &r) != DH_ETOOLONG || !b.overflow ||
			    b.len > cap)
				bad++;
			dh_buf_release(&b);
		}
		dh_buf_init(&b, full);
		int rc = dh_result_format(&b, formats[i], &r);
		dh_buf_release(&b);
		ok(bad == 0 && rc == 0, "%s: DH_ETOOLONG below the cap, fits exactly at %zu bytes",
		   dh_format_name(formats[i]), full);
	}

	struct dh_buf b;
	struct dh_value big = vcoll(DH_COLL_MAP, 2, vl(1), vs("0123456789"));
	dh_buf_init(&b, 8);
	is_int(dh_value_print_json(&b, &big), DH_ETOOLONG, "json: map key over the cap");
	dh_buf_release(&b);
	dh_buf_init(&b, 4);
	struct dh_value kw = vkw("long/keyword");
	is_int(dh_value_print_json(&b, &kw), DH_ETOOLONG, "json: keyword over the cap");
	is_int(dh_value_print_text(&b, &kw), DH_ETOOLONG, "text: keyword over the cap");
	dh_buf_release(&b);
}

int
main(void)
{
	dh_arena_init(&arena);
	test_names();
	test_text();
	test_json_values();
	test_aligned_psql();
	test_aligned_more();
	test_csv_tsv();
	test_json_rows();
	test_edn();
	test_order();
	test_cap();
	dh_arena_release(&arena);
	return tap_done();
}
