/*
 * sqljson-t: unit tests of lib/sqljson.c and lib/sqlarray.c for what the
 * differential test against PostgreSQL (t/t4120-sqljson-pg.sh) cannot
 * see: the tree API, the nesting limit, hashing, the runtime array
 * representation (vectors, the lower-bounds list form), the storage
 * encoding and its order, binary receive of bad data, ANY/ALL with a
 * caller's predicate.  Expected values follow PostgreSQL 15.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "sqlarray.h"
#include "sqljson.h"
#include "tap.h"
#include "../helper/sqljson-elem.h"

static struct dh_arena A;
static struct dh_err err;

static const char *
jsonb(const char *in)
{
	struct dh_value v;
	memset(&err, 0, sizeof(err));
	if (dh_jsonb_in(in, strlen(in), &A, &v, &err))
		return dh_arena_printf(&A, "ERROR %s %s", err.sqlstate, err.message);
	return dh_arena_strndup(&A, v.s.p, v.s.n);
}

static struct dh_value
jv(const char *in)
{
	struct dh_value v;
	if (dh_jsonb_in(in, strlen(in), &A, &v, &err))
		abort();
	return v;
}

static struct dh_value
arr(const char *type, const char *in)
{
	struct dh_value v;
	if (dh_array_in(test_elem(type), in, strlen(in), &A, &v, &err)) {
		printf("# %s: %s %s\n", in, err.message, err.detail);
		abort();
	}
	return v;
}

static const char *
arr_text(const char *type, const struct dh_value *v)
{
	struct dh_buf b;
	dh_buf_init(&b, 0);
	if (v->type == DH_T_NONE)
		dh_buf_adds(&b, "NULL");
	else
		dh_array_out(test_elem(type), v, &b);
	char *s = dh_arena_strndup(&A, (char *)b.p, b.len);
	dh_buf_release(&b);
	return s;
}

static void
test_tree(void)
{
	struct dh_json *j;
	const char *t = "{\"b\": [1, \"x\\n\"], \"a\": null, \"b\": 2.50}";
	ok(dh_json_parse(t, strlen(t), 0, &A, &j, &err) == 0, "json parses");
	is_int(j->kind, DH_JSON_OBJECT, "an object");
	is_int(j->n, 3, "json keeps duplicate keys");
	ok(j->items[1].srcn == 10 && !memcmp(j->items[1].src, "[1, \"x\\n\"]", 10),
	   "json values keep their source text");
	ok(j->items[1].items[1].s == NULL, "json strings are not decoded without DECODE");
	ok(dh_json_parse(t, strlen(t), DH_JPARSE_JSONB, &A, &j, &err) == 0, "jsonb parses");
	is_int(j->n, 2, "jsonb keeps the last of duplicate keys");
	ok(j->items[0].sn == 1 && j->items[0].s[0] == 'a', "jsonb sorts keys");
	ok(j->items[3].kind == DH_JSON_NUMBER && !strcmp(j->items[3].s, "2.50"),
	   "jsonb numbers are numeric text");
	ok(dh_json_parse("[\"x\\n\"]", 7, DH_JPARSE_DECODE, &A, &j, &err) == 0 &&
		   j->items[0].sn == 2 && !memcmp(j->items[0].s, "x\n", 2),
	   "DECODE de-escapes strings");
}

static void
test_depth(void)
{
	size_t n = DH_JSON_MAX_DEPTH + 1;
	char *s = malloc(2 * n);
	memset(s, '[', n);
	memset(s + n, ']', n);
	struct dh_value v;
	ok(dh_jsonb_in(s, 2 * n, &A, &v, &err) == DH_ESQL && !strcmp(err.sqlstate, "54001"),
	   "nesting past the limit is 54001");
	is_str(err.message, "stack depth limit exceeded", "its message");
	ok(dh_jsonb_in(s + 1, 2 * n - 2, &A, &v, &err) == 0, "nesting at the limit is fine");
	free(s);
}

static void
test_jsonb_order(void)
{
	static const char *sorted[] = {
		"[]",   "null", "\"\"", "\"a\"", "\"b\"", "-1", "0", "1", "1.5", "false",
		"true", "[0]",  "[1]",    "[1, 2]", "{}", "{\"a\": 1}",
		"{\"aa\": 0}", "{\"b\": 0}", "{\"a\": 1, \"b\": 2}",
	};
	int good = 1;
	for (size_t i = 0; i < DH_ARRAY_SIZE(sorted); i++)
		for (size_t k = 0; k < DH_ARRAY_SIZE(sorted); k++) {
			struct dh_value x = jv(sorted[i]), y = jv(sorted[k]);
			int c = dh_jsonb_cmp(&x, &y), want = i < k ? -1 : i > k;
			if ((c > 0) - (c < 0) != want) {
				printf("# %s vs %s: %d\n", sorted[i], sorted[k], c);
				good = 0;
			}
		}
	/* keys compare as text (not in storage order), scalars against
	 * arrays as one-element raw scalar arrays */
	ok(good, "jsonb sorts as PostgreSQL's btree (scalar vs array quirks included)");
	struct dh_value a = jv("[1.0, {\"x\": 2.500}]"), b = jv("[1, {\"x\": 2.5}]");
	ok(dh_jsonb_eq(&a, &b), "numerically equal documents are equal");
	ok(dh_jsonb_hash(&a) == dh_jsonb_hash(&b), "and hash alike");
	a = jv("[1, 2]");
	b = jv("[2, 1]");
	ok(dh_jsonb_hash(&a) != dh_jsonb_hash(&b), "order matters to the hash");
	is_str(jsonb("{\"a\" : 1e2, \"a\": 1.0e1}"), "{\"a\": 10}", "last duplicate wins");
	is_str(jsonb("1e-20000"), "ERROR 22003 value overflows numeric format",
	       "numeric range");
}

static void
test_send_recv(void)
{
	struct dh_value v = jv("{\"a\": 1}"), r;
	struct dh_buf b;
	dh_buf_init(&b, 0);
	dh_jsonb_send(&b, &v);
	ok(b.len == v.s.n + 1 && b.p[0] == 1, "jsonb_send: version 1 and the text");
	ok(dh_jsonb_recv(b.p, b.len, &A, &r, &err) == 0 && r.s.n == v.s.n, "jsonb_recv");
	b.p[0] = 2;
	ok(dh_jsonb_recv(b.p, b.len, &A, &r, &err) == DH_ESQL &&
		   !strcmp(err.message, "unsupported jsonb version number 2"),
	   "jsonb_recv refuses another version");
	dh_buf_release(&b);

	const struct dh_array_elem *et = test_elem("int8");
	struct dh_value x = arr("int8", "[0:1]={7,NULL}");
	dh_buf_init(&b, 0);
	ok(dh_array_send(et, &x, &b) == 0, "array_send");
	ok(dh_array_recv(et, b.p, b.len, &A, &r, &err) == 0, "array_recv");
	is_str(arr_text("int8", &r), "[0:1]={7,NULL}", "round trip keeps bounds and NULLs");
	ok(dh_array_recv(et, b.p, b.len - 1, &A, &r, &err) == DH_ESQL &&
		   !strcmp(err.message, "insufficient data left in message"),
	   "truncated binary array");
	b.p[3] = 9;
	ok(dh_array_recv(et, b.p, b.len, &A, &r, &err) == DH_ESQL &&
		   !strcmp(err.sqlstate, "54000"),
	   "too many dimensions");
	b.p[3] = 1;
	b.p[7] = 2;
	ok(dh_array_recv(et, b.p, b.len, &A, &r, &err) == DH_ESQL &&
		   !strcmp(err.message, "invalid array flags"),
	   "bad flags");
	b.p[7] = 1;
	b.p[11] = 25;
	ok(dh_array_recv(et, b.p, b.len, &A, &r, &err) == DH_ESQL &&
		   !strcmp(err.sqlstate, "42804"),
	   "element type mismatch");
	dh_buf_release(&b);
}

static void
test_representation(void)
{
	struct dh_value v = arr("int8", "{{1,2},{3,NULL}}");
	ok(v.type == DH_T_COLL && v.coll->kind == DH_COLL_VECTOR && v.coll->n == 2 &&
		   v.coll->items[0].type == DH_T_COLL && v.coll->items[1].coll->n == 2 &&
		   v.coll->items[1].coll->items[1].type == DH_T_NONE,
	   "a 2-D array is a vector of vectors, NULL is DH_T_NONE");
	v = arr("int8", "{}");
	ok(v.type == DH_T_COLL && v.coll->n == 0, "'{}' is the empty vector");
	v = arr("int8", "[0:1]={5,6}");
	ok(v.coll->kind == DH_COLL_LIST && v.coll->n == 2 && v.coll->items[0].coll->n == 1 &&
		   v.coll->items[0].coll->items[0].i == 0 && v.coll->items[1].coll->n == 2,
	   "other lower bounds: a list of (bounds, data)");
	struct dh_array a;
	ok(dh_array_unpack(&v, &A, &a, &err) == 0 && a.ndim == 1 && a.lbs[0] == 0 &&
		   a.dims[0] == 2 && a.e[1].i == 6,
	   "unpack to the flat view");
	/* a ragged vector from a caller is refused */
	struct dh_value items[2], inner[3];
	struct dh_coll c1 = {DH_COLL_VECTOR, 1, &inner[0]}, c2 = {DH_COLL_VECTOR, 2, &inner[1]};
	struct dh_coll outer = {DH_COLL_VECTOR, 2, items};
	for (int i = 0; i < 3; i++) {
		inner[i].type = DH_T_LONG;
		inner[i].i = i;
	}
	items[0].type = items[1].type = DH_T_COLL;
	items[0].coll = &c1;
	items[1].coll = &c2;
	struct dh_value rag = {.type = DH_T_COLL};
	rag.coll = &outer;
	ok(dh_array_unpack(&rag, &A, &a, &err) == DH_ESQL && !strcmp(err.sqlstate, "2202E"),
	   "a ragged vector is 2202E");
}

static void
test_storage(void)
{
	static const char *sorted[] = {"{}",    "{-5}", "{1}",   "{1,2}", "{1,2,3}", "{1,3}",
				       "{1,NULL}", "{2}", "{NULL}"};
	const struct dh_array_elem *et = test_elem("int8");
	struct dh_value enc[DH_ARRAY_SIZE(sorted)];
	int good = 1;
	for (size_t i = 0; i < DH_ARRAY_SIZE(sorted); i++) {
		struct dh_value v = arr("int8", sorted[i]), d;
		if (dh_array_encode(&v, &A, &enc[i], &err) ||
		    dh_array_decode((const unsigned char *)enc[i].s.p, enc[i].s.n, &A, &d, &err) ||
		    !dh_array_eq(et, &v, &d))
			good = 0;
		for (size_t k = 0; k < i; k++) {
			size_t m = enc[k].s.n < enc[i].s.n ? enc[k].s.n : enc[i].s.n;
			int c = memcmp(enc[k].s.p, enc[i].s.p, m);
			if (c > 0 || (c == 0 && enc[k].s.n >= enc[i].s.n)) {
				printf("# %s !< %s\n", sorted[k], sorted[i]);
				good = 0;
			}
			struct dh_value x = arr("int8", sorted[k]), y = arr("int8", sorted[i]);
			if (dh_array_cmp(et, &x, &y) >= 0) {
				printf("# array_cmp %s !< %s\n", sorted[k], sorted[i]);
				good = 0;
			}
		}
	}
	ok(good, "storage encoding reads back and sorts as array_cmp (1-D int8)");
	struct dh_value t = arr("text", "{\"a\\\\b\",\"\",NULL,\"x y\"}"), e, d;
	char nul[3] = {'a', 0, 'b'};
	struct dh_value *items = (struct dh_value *)t.coll->items;
	items[1].s.p = nul;
	items[1].s.n = 3;
	ok(dh_array_encode(&t, &A, &e, &err) == 0 &&
		   dh_array_decode((const unsigned char *)e.s.p, e.s.n, &A, &d, &err) == 0 &&
		   dh_array_eq(test_elem("text"), &t, &d),
	   "text arrays with NUL bytes read back");
	struct dh_value m = arr("int8", "[2:3][0:0]={{1},{2}}");
	ok(dh_array_encode(&m, &A, &e, &err) == 0 &&
		   dh_array_decode((const unsigned char *)e.s.p, e.s.n, &A, &d, &err) == 0 &&
		   !strcmp(arr_text("int8", &d), "[2:3][0:0]={{1},{2}}"),
	   "dimensions and bounds read back");
	ok(dh_array_decode((const unsigned char *)e.s.p, e.s.n - 1, &A, &d, &err) == DH_ECORRUPT,
	   "truncated encoding is DH_ECORRUPT");
}

static int
pred_lt(void *ctx, const struct dh_value *x, const struct dh_value *e)
{
	if (x->type == DH_T_NONE || e->type == DH_T_NONE)
		return -1;
	return x->i < e->i;
}

static void
test_any(void)
{
	struct dh_value x = {.type = DH_T_LONG, .i = 2}, r;
	struct dh_value a = arr("int8", "{1,NULL,3}");
	dh_array_any(&x, &a, 0, pred_lt, NULL, &r);
	ok(r.type == DH_T_BOOL && r.b, "2 < ANY {1,NULL,3} is true");
	dh_array_any(&x, &a, 1, pred_lt, NULL, &r);
	ok(r.type == DH_T_BOOL && !r.b, "2 < ALL {1,NULL,3} is false");
	a = arr("int8", "{3,NULL}");
	dh_array_any(&x, &a, 1, pred_lt, NULL, &r);
	ok(r.type == DH_T_NONE, "2 < ALL {3,NULL} is NULL");
	dh_array_any(&x, &a, 0, dh_array_pred_eq, (void *)test_elem("int8"), &r);
	ok(r.type == DH_T_NONE, "2 = ANY {3,NULL} is NULL");
}

int
main(void)
{
	dh_arena_init(&A);
	test_tree();
	test_depth();
	test_jsonb_order();
	test_send_recv();
	test_representation();
	test_storage();
	test_any();
	dh_arena_release(&A);
	return tap_done();
}
