/*
 * sqljson-pg: the differential test of lib/sqljson.c and lib/sqlarray.c
 * against a real PostgreSQL.  Each case of the case files (format in
 * t/sqljson/README) is evaluated twice: as SQL in PostgreSQL (libpq), and
 * through the dh API; the two results (text output, or SQLSTATE, message,
 * DETAIL, HINT and CONTEXT of the error) must be the same.  Output is TAP,
 * one test a case.
 *
 *   sqljson-pg [-v] CONNINFO FILE...
 *
 * PostgreSQL is asked only for the expectations, and for what a caller of
 * the API would know already: the text form of a value of another type
 * given to to_json and the builders (the type catalog's output function),
 * and binary values to receive.
 */
#include <ctype.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <libpq-fe.h>

#include "sqlarray.h"
#include "sqljson.h"
#include "sqljson-elem.h"

#define MAXARGS 40

static PGconn *conn;
static int verbose;
static struct dh_arena A;
static const struct dh_array_elem *TEXT_ET;

/* ------------------------------------------------------------ PostgreSQL */

static void
pg_error_text(const PGresult *r, struct dh_buf *out)
{
	const char *f;
	dh_buf_printf(out, "ERROR %s %s", PQresultErrorField(r, PG_DIAG_SQLSTATE),
		      PQresultErrorField(r, PG_DIAG_MESSAGE_PRIMARY));
	if ((f = PQresultErrorField(r, PG_DIAG_MESSAGE_DETAIL)))
		dh_buf_printf(out, "\nDETAIL: %s", f);
	if ((f = PQresultErrorField(r, PG_DIAG_MESSAGE_HINT)))
		dh_buf_printf(out, "\nHINT: %s", f);
	if ((f = PQresultErrorField(r, PG_DIAG_CONTEXT)))
		dh_buf_printf(out, "\nCONTEXT: %s", f);
}

/* Run sql with text parameters; rows joined by newlines, columns by tabs,
 * NULL as \N.  binary: one binary value, in hex. */
static void
pg_run(const char *sql, int n, char **params, int binary, struct dh_buf *out)
{
	Oid types[MAXARGS + 8];
	for (int i = 0; i < n && i < MAXARGS + 8; i++)
		types[i] = 25; /* text: every argument goes through the type's input */
	PGresult *r = PQexecParams(conn, sql, n, types, (const char *const *)params, NULL, NULL,
				   binary);
	if (PQresultStatus(r) != PGRES_TUPLES_OK) {
		pg_error_text(r, out);
		PQclear(r);
		return;
	}
	for (int i = 0; i < PQntuples(r); i++) {
		if (i)
			dh_buf_addc(out, '\n');
		for (int c = 0; c < PQnfields(r); c++) {
			if (c)
				dh_buf_addc(out, '\t');
			if (PQgetisnull(r, i, c))
				dh_buf_adds(out, "\\N");
			else if (binary) {
				const unsigned char *p = (const unsigned char *)PQgetvalue(r, i, c);
				for (int k = 0; k < PQgetlength(r, i, c); k++)
					dh_buf_printf(out, "%02x", p[k]);
			} else
				dh_buf_adds(out, PQgetvalue(r, i, c));
		}
	}
	PQclear(r);
}

/* One value from PostgreSQL (a helper's input, never an expectation). */
static int
pg_value(const char *sql, const char *param, int binary, struct dh_buf *out)
{
	const char *pv[1] = {param};
	Oid types[1] = {25};
	PGresult *r = PQexecParams(conn, sql, param ? 1 : 0, types, pv, NULL, NULL, binary);
	int rc = -1;
	if (PQresultStatus(r) == PGRES_TUPLES_OK && PQntuples(r) == 1) {
		if (PQgetisnull(r, 0, 0))
			rc = 1;
		else {
			dh_buf_add(out, PQgetvalue(r, 0, 0), (size_t)PQgetlength(r, 0, 0));
			rc = 0;
		}
	}
	PQclear(r);
	return rc;
}

/* ------------------------------------------------------------ dh side */

static void
dh_error_text(const struct dh_err *e, struct dh_buf *out)
{
	dh_buf_printf(out, "ERROR %s %s", e->sqlstate, e->message);
	if (e->detail[0])
		dh_buf_printf(out, "\nDETAIL: %s", e->detail);
	if (e->hint[0])
		dh_buf_printf(out, "\nHINT: %s", e->hint);
	if (e->context[0])
		dh_buf_printf(out, "\nCONTEXT: %s", e->context);
}

static int
is_nullarg(const char *s)
{
	return s == NULL || strcmp(s, "\\N") == 0;
}

static struct dh_value
vnull(void)
{
	struct dh_value v;
	memset(&v, 0, sizeof(v));
	v.type = DH_T_NONE;
	return v;
}

static struct dh_value
vstr(const char *s)
{
	struct dh_value v = vnull();
	if (is_nullarg(s))
		return v;
	v.type = DH_T_STRING;
	v.s.p = s;
	v.s.n = strlen(s);
	return v;
}

static struct dh_value
vlong(const char *s)
{
	struct dh_value v = vnull();
	if (is_nullarg(s))
		return v;
	v.type = DH_T_LONG;
	v.i = strtoll(s, NULL, 10);
	return v;
}

/* Argument conversions as PostgreSQL's input functions would do them. */
static int
a_json(enum dh_jtype t, const char *s, struct dh_value *v, struct dh_err *e)
{
	if (is_nullarg(s)) {
		*v = vnull();
		return 0;
	}
	return t == DH_JSONB ? dh_jsonb_in(s, strlen(s), &A, v, e) : dh_json_in(s, strlen(s), &A, v, e);
}

static int
a_array(const struct dh_array_elem *et, const char *s, struct dh_value *v, struct dh_err *e)
{
	if (is_nullarg(s)) {
		*v = vnull();
		return 0;
	}
	return dh_array_in(et, s, strlen(s), &A, v, e);
}

static int
out_array(const struct dh_array_elem *et, const struct dh_value *v, struct dh_buf *out)
{
	if (v->type == DH_T_NONE)
		return dh_buf_adds(out, "\\N");
	return dh_array_out(et, v, out);
}

static void
out_scalar(const struct dh_value *v, struct dh_buf *out)
{
	switch (v->type) {
	case DH_T_NONE:
		dh_buf_adds(out, "\\N");
		break;
	case DH_T_BOOL:
		dh_buf_addc(out, v->b ? 't' : 'f');
		break;
	case DH_T_LONG:
		dh_buf_printf(out, "%lld", (long long)v->i);
		break;
	case DH_T_STRING:
		dh_buf_add(out, v->s.p, v->s.n);
		break;
	default:
		dh_buf_adds(out, "?");
	}
}

/* A set: one row a line; a row that is a vector: its columns by tabs. */
static void
out_rows(const struct dh_value *v, struct dh_buf *out)
{
	if (v->type != DH_T_COLL)
		return;
	for (size_t i = 0; i < v->coll->n; i++) {
		const struct dh_value *r = &v->coll->items[i];
		if (i)
			dh_buf_addc(out, '\n');
		if (r->type == DH_T_COLL) {
			for (size_t c = 0; c < r->coll->n; c++) {
				if (c)
					dh_buf_addc(out, '\t');
				out_scalar(&r->coll->items[c], out);
			}
		} else
			out_scalar(r, out);
	}
}

/* "type:literal" of the builder ops into a datum; the literal's text form
 * comes from PostgreSQL's output function, as the type catalog gives it. */
static enum dh_json_cat
cat_of(const char *type)
{
	static const char *num[] = {"int2", "int4", "int8", "numeric", "float4", "float8"};
	for (size_t i = 0; i < DH_ARRAY_SIZE(num); i++)
		if (!strcmp(type, num[i]))
			return DH_JCAT_NUMERIC;
	if (!strcmp(type, "bool"))
		return DH_JCAT_BOOL;
	if (!strcmp(type, "date"))
		return DH_JCAT_DATE;
	if (!strcmp(type, "timestamp"))
		return DH_JCAT_TIMESTAMP;
	if (!strcmp(type, "timestamptz"))
		return DH_JCAT_TIMESTAMPTZ;
	if (!strcmp(type, "json"))
		return DH_JCAT_JSON;
	if (!strcmp(type, "jsonb"))
		return DH_JCAT_JSONB;
	return DH_JCAT_OTHER;
}

static int
typed_split(const char *arg, char *type, size_t tn, const char **lit)
{
	const char *c = strchr(arg, ':');
	if (!c || (size_t)(c - arg) >= tn)
		return -1;
	memcpy(type, arg, (size_t)(c - arg));
	type[c - arg] = 0;
	for (char *p = type; *p; p++)
		if (!isalnum((unsigned char)*p) && *p != '_' && *p != '[' && *p != ']')
			return -1;
	*lit = c + 1;
	return 0;
}

static int
datum_of(const char *arg, struct dh_json_datum *d, struct dh_err *e)
{
	char type[64], sql[128];
	const char *lit;
	struct dh_buf b;
	memset(d, 0, sizeof(*d));
	if (typed_split(arg, type, sizeof(type), &lit))
		return dh_err_sql(e, "XX000", "bad typed argument '%s'", arg);
	size_t tl = strlen(type);
	int isarr = tl > 2 && !strcmp(type + tl - 2, "[]");
	d->cat = isarr ? DH_JCAT_ARRAY : cat_of(type);
	if (is_nullarg(lit)) {
		d->v = vnull();
		return 0;
	}
	dh_buf_init(&b, 0);
	snprintf(sql, sizeof(sql), "select $1::%s::text", type);
	int rc = pg_value(sql, lit, 0, &b);
	if (rc < 0) {
		dh_buf_release(&b);
		return dh_err_sql(e, "XX000", "bad literal '%s'", arg);
	}
	char *text = dh_arena_strndup(&A, (char *)b.p, b.len);
	dh_buf_release(&b);
	if (isarr) {
		type[tl - 2] = 0;
		d->elemcat = cat_of(type);
		return dh_array_in(TEXT_ET, text, strlen(text), &A, &d->v, e);
	}
	d->v = vstr(text);
	return 0;
}

/* ------------------------------------------------------------ the ops */

struct call {
	int nargs;
	char **args;
	struct dh_buf *out;
	struct dh_err *err;
	struct dh_buf sql; /* for ops that build their SQL */
	int binary;
};

typedef int (*opfn)(struct call *c);

#define ARG(i) (c->args[i])
#define TRY(x)                                                                                   \
	do {                                                                                      \
		int rc_ = (x);                                                                    \
		if (rc_)                                                                          \
			return rc_;                                                               \
	} while (0)

static enum dh_jtype
jt_of(const char *s)
{
	return !strcmp(s, "jsonb") ? DH_JSONB : DH_JSON;
}

static int
op_in(struct call *c)
{
	struct dh_value v;
	TRY(a_json(jt_of(ARG(0)), ARG(1), &v, c->err));
	out_scalar(&v, c->out);
	return 0;
}

static int
op_pretty(struct call *c)
{
	struct dh_value v, r;
	TRY(a_json(DH_JSONB, ARG(0), &v, c->err));
	TRY(dh_jsonb_pretty(&v, &A, &r, c->err));
	out_scalar(&r, c->out);
	return 0;
}

static int
op_json_to_jsonb(struct call *c)
{
	struct dh_value v, r;
	TRY(a_json(DH_JSON, ARG(0), &v, c->err));
	TRY(dh_json_to_jsonb(&v, &A, &r, c->err));
	out_scalar(&r, c->out);
	return 0;
}

static int
op_jsonb_cmp(struct call *c)
{
	struct dh_value x, y;
	TRY(a_json(DH_JSONB, ARG(0), &x, c->err));
	TRY(a_json(DH_JSONB, ARG(1), &y, c->err));
	int r = dh_jsonb_cmp(&x, &y);
	if ((r == 0) != dh_jsonb_eq(&x, &y))
		return dh_err_sql(c->err, "XX000", "jsonb eq and cmp disagree");
	if (r == 0 && dh_jsonb_hash(&x) != dh_jsonb_hash(&y))
		return dh_err_sql(c->err, "XX000", "equal jsonb values hash differently");
	dh_buf_printf(c->out, "%d", r);
	return 0;
}

/* get: type | doc | key-or-index (kind from the op name) */
static int
op_get(struct call *c, int idx, int as_text)
{
	enum dh_jtype t = jt_of(ARG(0));
	struct dh_value d, s = idx ? vlong(ARG(2)) : vstr(ARG(2)), r;
	TRY(a_json(t, ARG(1), &d, c->err));
	TRY(dh_json_get(t, &d, &s, as_text, &A, &r, c->err));
	out_scalar(&r, c->out);
	return 0;
}
static int op_get_key(struct call *c) { return op_get(c, 0, 0); }
static int op_get_key_text(struct call *c) { return op_get(c, 0, 1); }
static int op_get_idx(struct call *c) { return op_get(c, 1, 0); }
static int op_get_idx_text(struct call *c) { return op_get(c, 1, 1); }

static int
op_path(struct call *c, int as_text)
{
	enum dh_jtype t = jt_of(ARG(0));
	struct dh_value d, p, r;
	TRY(a_json(t, ARG(1), &d, c->err));
	TRY(a_array(TEXT_ET, ARG(2), &p, c->err));
	TRY(dh_json_get_path(t, &d, &p, as_text, &A, &r, c->err));
	out_scalar(&r, c->out);
	return 0;
}
static int op_path_json(struct call *c) { return op_path(c, 0); }
static int op_path_text(struct call *c) { return op_path(c, 1); }

static int
op_contains(struct call *c)
{
	struct dh_value x, y, r;
	TRY(a_json(DH_JSONB, ARG(0), &x, c->err));
	TRY(a_json(DH_JSONB, ARG(1), &y, c->err));
	TRY(dh_jsonb_contains(&x, &y, &A, &r, c->err));
	out_scalar(&r, c->out);
	return 0;
}

static int
op_contained(struct call *c)
{
	struct dh_value x, y, r;
	TRY(a_json(DH_JSONB, ARG(0), &x, c->err));
	TRY(a_json(DH_JSONB, ARG(1), &y, c->err));
	TRY(dh_jsonb_contains(&y, &x, &A, &r, c->err));
	out_scalar(&r, c->out);
	return 0;
}

static int
op_exists(struct call *c)
{
	struct dh_value x, k = vstr(ARG(1)), r;
	TRY(a_json(DH_JSONB, ARG(0), &x, c->err));
	TRY(dh_jsonb_exists(&x, &k, &A, &r, c->err));
	out_scalar(&r, c->out);
	return 0;
}

static int
op_exists_many(struct call *c, int all)
{
	struct dh_value x, k, r;
	TRY(a_json(DH_JSONB, ARG(0), &x, c->err));
	TRY(a_array(TEXT_ET, ARG(1), &k, c->err));
	TRY(dh_jsonb_exists_any(&x, &k, all, &A, &r, c->err));
	out_scalar(&r, c->out);
	return 0;
}
static int op_exists_any(struct call *c) { return op_exists_many(c, 0); }
static int op_exists_all(struct call *c) { return op_exists_many(c, 1); }

static int
op_concat(struct call *c)
{
	struct dh_value x, y, r;
	TRY(a_json(DH_JSONB, ARG(0), &x, c->err));
	TRY(a_json(DH_JSONB, ARG(1), &y, c->err));
	TRY(dh_jsonb_concat(&x, &y, &A, &r, c->err));
	out_scalar(&r, c->out);
	return 0;
}

static int
op_minus(struct call *c, int kind)
{
	struct dh_value x, w, r;
	TRY(a_json(DH_JSONB, ARG(0), &x, c->err));
	if (kind == 0)
		w = vstr(ARG(1));
	else if (kind == 1)
		w = vlong(ARG(1));
	else
		TRY(a_array(TEXT_ET, ARG(1), &w, c->err));
	TRY(dh_jsonb_delete(&x, &w, &A, &r, c->err));
	out_scalar(&r, c->out);
	return 0;
}
static int op_minus_key(struct call *c) { return op_minus(c, 0); }
static int op_minus_idx(struct call *c) { return op_minus(c, 1); }
static int op_minus_arr(struct call *c) { return op_minus(c, 2); }

static int
op_delete_path(struct call *c)
{
	struct dh_value x, p, r;
	TRY(a_json(DH_JSONB, ARG(0), &x, c->err));
	TRY(a_array(TEXT_ET, ARG(1), &p, c->err));
	TRY(dh_jsonb_delete_path(&x, &p, &A, &r, c->err));
	out_scalar(&r, c->out);
	return 0;
}

static int
op_set_insert(struct call *c, int insert)
{
	struct dh_value x, p, v, r;
	TRY(a_json(DH_JSONB, ARG(0), &x, c->err));
	TRY(a_array(TEXT_ET, ARG(1), &p, c->err));
	TRY(a_json(DH_JSONB, ARG(2), &v, c->err));
	int flag = c->nargs > 3 ? !strcmp(ARG(3), "true") : !insert;
	if (insert)
		TRY(dh_jsonb_insert(&x, &p, &v, flag, &A, &r, c->err));
	else
		TRY(dh_jsonb_set(&x, &p, &v, flag, &A, &r, c->err));
	out_scalar(&r, c->out);
	return 0;
}
static int op_set(struct call *c) { return op_set_insert(c, 0); }
static int op_insert(struct call *c) { return op_set_insert(c, 1); }

/* type | doc for the one-document functions */
#define DOCFN(name, srf, ...)                                                                        \
	static int name(struct call *c)                                                           \
	{                                                                                         \
		enum dh_jtype t = jt_of(ARG(0));                                                  \
		struct dh_value d, r;                                                             \
		TRY(a_json(t, ARG(1), &d, c->err));                                               \
		TRY(__VA_ARGS__);                                                                        \
		if (r.type == DH_T_COLL)                                                          \
			out_rows(&r, c->out);                                                     \
		else if (r.type == DH_T_NONE && srf)                                              \
			;                                                                         \
		else                                                                              \
			out_scalar(&r, c->out);                                                   \
		return 0;                                                                         \
	}
DOCFN(op_typeof, 0, dh_json_typeof(t, &d, &A, &r, c->err))
DOCFN(op_array_length, 0, dh_json_array_length(t, &d, &A, &r, c->err))
DOCFN(op_object_keys, 1, dh_json_object_keys(t, &d, &A, &r, c->err))
DOCFN(op_each, 1, dh_json_each(t, &d, 0, &A, &r, c->err))
DOCFN(op_each_text, 1, dh_json_each(t, &d, 1, &A, &r, c->err))
DOCFN(op_elements, 1, dh_json_array_elements(t, &d, 0, &A, &r, c->err))
DOCFN(op_elements_text, 1, dh_json_array_elements(t, &d, 1, &A, &r, c->err))
DOCFN(op_strip_nulls, 0, dh_json_strip_nulls(t, &d, &A, &r, c->err))

/* builders: type | typed args... */
static int
datums(struct call *c, int from, struct dh_json_datum **out, size_t *n)
{
	*n = (size_t)(c->nargs - from);
	*out = dh_arena_zalloc(&A, (*n + 1) * sizeof(**out));
	for (int i = from; i < c->nargs; i++)
		TRY(datum_of(ARG(i), &(*out)[i - from], c->err));
	return 0;
}

static int
op_build(struct call *c, int obj)
{
	enum dh_jtype t = jt_of(ARG(0));
	struct dh_json_datum *d;
	struct dh_value r;
	size_t n;
	TRY(datums(c, 1, &d, &n));
	if (obj)
		TRY(dh_json_build_object(t, d, n, &A, &r, c->err));
	else
		TRY(dh_json_build_array(t, d, n, &A, &r, c->err));
	out_scalar(&r, c->out);
	return 0;
}
static int op_build_array(struct call *c) { return op_build(c, 0); }
static int op_build_object(struct call *c) { return op_build(c, 1); }

static int
op_to_json(struct call *c)
{
	enum dh_jtype t = jt_of(ARG(0));
	struct dh_json_datum d;
	struct dh_value r;
	TRY(datum_of(ARG(1), &d, c->err));
	TRY(dh_to_json(t, &d, &A, &r, c->err));
	out_scalar(&r, c->out);
	return 0;
}

static int
op_agg(struct call *c)
{
	enum dh_jtype t = jt_of(ARG(0));
	struct dh_json_datum *d;
	struct dh_value r;
	size_t n;
	TRY(datums(c, 1, &d, &n));
	TRY(dh_json_agg(t, d, n, &A, &r, c->err));
	out_scalar(&r, c->out);
	return 0;
}

static int
op_object_agg(struct call *c)
{
	enum dh_jtype t = jt_of(ARG(0));
	struct dh_json_datum *d;
	struct dh_value r;
	size_t n;
	TRY(datums(c, 1, &d, &n));
	size_t m = n / 2;
	struct dh_json_datum *k = dh_arena_zalloc(&A, (m + 1) * sizeof(*k)),
			     *v = dh_arena_zalloc(&A, (m + 1) * sizeof(*v));
	for (size_t i = 0; i < m; i++) {
		k[i] = d[2 * i];
		v[i] = d[2 * i + 1];
	}
	TRY(dh_json_object_agg(t, k, v, m, &A, &r, c->err));
	out_scalar(&r, c->out);
	return 0;
}

static int
op_row(struct call *c)
{
	enum dh_jtype t = jt_of(ARG(0));
	size_t n = (size_t)c->nargs - 1;
	const char **names = dh_arena_zalloc(&A, (n + 1) * sizeof(*names));
	struct dh_json_datum *d = dh_arena_zalloc(&A, (n + 1) * sizeof(*d));
	struct dh_value r;
	for (size_t i = 0; i < n; i++) {
		char *a = c->args[i + 1], *eq = strchr(a, '=');
		names[i] = dh_arena_strndup(&A, a, (size_t)(eq - a));
		TRY(datum_of(eq + 1, &d[i], c->err));
	}
	TRY(dh_json_row(t, names, d, n, &A, &r, c->err));
	out_scalar(&r, c->out);
	return 0;
}

/* send / recv: type | literal */
static int
op_send(struct call *c)
{
	const char *type = ARG(0);
	struct dh_value v;
	struct dh_buf b;
	int rc;
	dh_buf_init(&b, 0);
	size_t tl = strlen(type);
	if (!strcmp(type, "json") || !strcmp(type, "jsonb")) {
		TRY(a_json(jt_of(type), ARG(1), &v, c->err));
		rc = !strcmp(type, "json") ? dh_json_send(&b, &v) : dh_jsonb_send(&b, &v);
	} else {
		char et[32];
		snprintf(et, sizeof(et), "%.*s", (int)(tl - 2), type);
		TRY(a_array(test_elem(et), ARG(1), &v, c->err));
		rc = dh_array_send(test_elem(et), &v, &b);
	}
	for (size_t i = 0; i < b.len; i++)
		dh_buf_printf(c->out, "%02x", b.p[i]);
	dh_buf_release(&b);
	return rc;
}

static int
op_recv(struct call *c)
{
	const char *type = ARG(0);
	char sql[128];
	struct dh_buf b;
	struct dh_value v;
	int rc;
	dh_buf_init(&b, 0);
	snprintf(sql, sizeof(sql), "select $1::%s", type);
	if (pg_value(sql, ARG(1), 1, &b)) {
		dh_buf_release(&b);
		return dh_err_sql(c->err, "XX000", "no binary value from PostgreSQL");
	}
	if (!strcmp(type, "json") || !strcmp(type, "jsonb")) {
		rc = !strcmp(type, "json") ? dh_json_recv(b.p, b.len, &A, &v, c->err)
					  : dh_jsonb_recv(b.p, b.len, &A, &v, c->err);
		if (!rc)
			out_scalar(&v, c->out);
	} else {
		char et[32];
		snprintf(et, sizeof(et), "%.*s", (int)(strlen(type) - 2), type);
		rc = dh_array_recv(test_elem(et), b.p, b.len, &A, &v, c->err);
		if (!rc)
			rc = out_array(test_elem(et), &v, c->out);
	}
	dh_buf_release(&b);
	return rc;
}

/* --- arrays: the first argument is the element type --- */

#define ET (test_elem(ARG(0)))

static int
op_arr_in(struct call *c)
{
	struct dh_value v;
	TRY(a_array(ET, ARG(1), &v, c->err));
	return out_array(ET, &v, c->out);
}

static int
op_arr_cmp(struct call *c)
{
	struct dh_value x, y;
	TRY(a_array(ET, ARG(1), &x, c->err));
	TRY(a_array(ET, ARG(2), &y, c->err));
	int r = dh_array_cmp(ET, &x, &y);
	if ((r == 0) != dh_array_eq(ET, &x, &y))
		return dh_err_sql(c->err, "XX000", "array eq and cmp disagree");
	if (r == 0 && dh_array_hash(ET, &x) != dh_array_hash(ET, &y))
		return dh_err_sql(c->err, "XX000", "equal arrays hash differently");
	/* the storage encoding reads back */
	struct dh_value enc, dec;
	TRY(dh_array_encode(&x, &A, &enc, c->err));
	TRY(dh_array_decode((const unsigned char *)enc.s.p, enc.s.n, &A, &dec, c->err));
	if (!dh_array_eq(ET, &x, &dec) || dh_array_cmp(ET, &x, &dec))
		return dh_err_sql(c->err, "XX000", "storage encoding does not read back");
	dh_buf_printf(c->out, "%d", r);
	return 0;
}

static int
op_arr2(struct call *c, int which)
{
	struct dh_value x, y, r;
	TRY(a_array(ET, ARG(1), &x, c->err));
	TRY(a_array(ET, ARG(2), &y, c->err));
	switch (which) {
	case 0:
		TRY(dh_array_contains(ET, &x, &y, &A, &r, c->err));
		break;
	case 1:
		TRY(dh_array_contains(ET, &y, &x, &A, &r, c->err));
		break;
	case 2:
		TRY(dh_array_overlap(ET, &x, &y, &A, &r, c->err));
		break;
	default:
		TRY(dh_array_cat(&x, &y, &A, &r, c->err));
		return out_array(ET, &r, c->out);
	}
	out_scalar(&r, c->out);
	return 0;
}
static int op_arr_contains(struct call *c) { return op_arr2(c, 0); }
static int op_arr_contained(struct call *c) { return op_arr2(c, 1); }
static int op_arr_overlap(struct call *c) { return op_arr2(c, 2); }
static int op_arr_cat(struct call *c) { return op_arr2(c, 3); }

static int
elem_arg(const struct dh_array_elem *et, const char *s, struct dh_value *v, struct dh_err *e)
{
	if (is_nullarg(s)) {
		*v = vnull();
		return 0;
	}
	return et->in(et->ctx, s, strlen(s), &A, v, e);
}

static int
op_arr_append(struct call *c)
{
	struct dh_value x, e, r;
	TRY(a_array(ET, ARG(1), &x, c->err));
	TRY(elem_arg(ET, ARG(2), &e, c->err));
	TRY(dh_array_append(&x, &e, &A, &r, c->err));
	return out_array(ET, &r, c->out);
}

static int
op_arr_prepend(struct call *c)
{
	struct dh_value x, e, r;
	TRY(elem_arg(ET, ARG(1), &e, c->err));
	TRY(a_array(ET, ARG(2), &x, c->err));
	TRY(dh_array_prepend(&e, &x, &A, &r, c->err));
	return out_array(ET, &r, c->out);
}

static int
op_arr_dimfn(struct call *c)
{
	/* T | fn | arr [| dim] */
	struct dh_value x, r;
	const char *fn = ARG(1);
	TRY(a_array(ET, ARG(2), &x, c->err));
	int64_t d = c->nargs > 3 ? strtoll(ARG(3), NULL, 10) : 0;
	if (c->nargs > 3 && is_nullarg(ARG(3))) {
		dh_buf_adds(c->out, "\\N");
		return 0;
	}
	if (!strcmp(fn, "array_length"))
		TRY(dh_array_length(&x, d, &A, &r, c->err));
	else if (!strcmp(fn, "array_lower"))
		TRY(dh_array_lower(&x, d, &A, &r, c->err));
	else if (!strcmp(fn, "array_upper"))
		TRY(dh_array_upper(&x, d, &A, &r, c->err));
	else if (!strcmp(fn, "cardinality"))
		TRY(dh_array_cardinality(&x, &A, &r, c->err));
	else if (!strcmp(fn, "array_ndims"))
		TRY(dh_array_ndims(&x, &A, &r, c->err));
	else if (!strcmp(fn, "array_dims"))
		TRY(dh_array_dims(&x, &A, &r, c->err));
	else
		return dh_err_sql(c->err, "XX000", "unknown function %s", fn);
	out_scalar(&r, c->out);
	return 0;
}

static int
op_arr_remove(struct call *c)
{
	struct dh_value x, e, r;
	TRY(a_array(ET, ARG(1), &x, c->err));
	TRY(elem_arg(ET, ARG(2), &e, c->err));
	TRY(dh_array_remove(ET, &x, &e, &A, &r, c->err));
	return out_array(ET, &r, c->out);
}

static int
op_arr_replace(struct call *c)
{
	struct dh_value x, s, p, r;
	TRY(a_array(ET, ARG(1), &x, c->err));
	TRY(elem_arg(ET, ARG(2), &s, c->err));
	TRY(elem_arg(ET, ARG(3), &p, c->err));
	TRY(dh_array_replace(ET, &x, &s, &p, &A, &r, c->err));
	return out_array(ET, &r, c->out);
}

static int
op_arr_position(struct call *c)
{
	struct dh_value x, e, st, r;
	TRY(a_array(ET, ARG(1), &x, c->err));
	TRY(elem_arg(ET, ARG(2), &e, c->err));
	if (c->nargs > 3)
		st = vlong(ARG(3));
	TRY(dh_array_position(ET, &x, &e, c->nargs > 3 ? &st : NULL, &A, &r, c->err));
	out_scalar(&r, c->out);
	return 0;
}

static int
op_arr_positions(struct call *c)
{
	struct dh_value x, e, r;
	TRY(a_array(ET, ARG(1), &x, c->err));
	TRY(elem_arg(ET, ARG(2), &e, c->err));
	TRY(dh_array_positions(ET, &x, &e, &A, &r, c->err));
	return out_array(test_elem("int8"), &r, c->out);
}

static int
op_arr_to_string(struct call *c)
{
	struct dh_value x, d = vstr(ARG(2)), ns = c->nargs > 3 ? vstr(ARG(3)) : vnull(), r;
	TRY(a_array(ET, ARG(1), &x, c->err));
	TRY(dh_array_to_string(ET, &x, &d, c->nargs > 3 ? &ns : NULL, &A, &r, c->err));
	out_scalar(&r, c->out);
	return 0;
}

static int
op_string_to_array(struct call *c)
{
	struct dh_value s = vstr(ARG(0)), d = vstr(ARG(1)),
			ns = c->nargs > 2 ? vstr(ARG(2)) : vnull(), r;
	TRY(dh_string_to_array(TEXT_ET, &s, &d, c->nargs > 2 ? &ns : NULL, &A, &r, c->err));
	return out_array(TEXT_ET, &r, c->out);
}

static int
op_unnest(struct call *c)
{
	struct dh_value x, r;
	TRY(a_array(ET, ARG(1), &x, c->err));
	TRY(dh_array_unnest(&x, &A, &r, c->err));
	if (r.type == DH_T_NONE)
		return 0;
	for (size_t i = 0; i < r.coll->n; i++) {
		if (i)
			dh_buf_addc(c->out, '\n');
		if (r.coll->items[i].type == DH_T_NONE)
			dh_buf_adds(c->out, "\\N");
		else
			TRY(ET->out(ET->ctx, &r.coll->items[i], c->out));
	}
	return 0;
}

/* T | arrays? (0/1) | items...: ARRAY[...] and array_agg */
static int
items_of(struct call *c, int sub, struct dh_value **items, size_t *n)
{
	*n = (size_t)c->nargs - 2;
	*items = dh_arena_zalloc(&A, (*n + 1) * sizeof(**items));
	for (size_t i = 0; i < *n; i++)
		TRY(sub ? a_array(ET, ARG(i + 2), &(*items)[i], c->err)
			: elem_arg(ET, ARG(i + 2), &(*items)[i], c->err));
	return 0;
}

static int
op_arr_construct(struct call *c)
{
	int sub = !strcmp(ARG(1), "1");
	struct dh_value *items, r;
	size_t n;
	TRY(items_of(c, sub, &items, &n));
	TRY(dh_array_construct(items, n, sub, &A, &r, c->err));
	return out_array(ET, &r, c->out);
}

static int
op_arr_agg(struct call *c)
{
	int sub = !strcmp(ARG(1), "1");
	struct dh_value *items, r;
	size_t n;
	TRY(items_of(c, sub, &items, &n));
	TRY(dh_array_agg(items, n, sub, &A, &r, c->err));
	return out_array(ET, &r, c->out);
}

/* T | arr | subscripts ("2", "1:3", ":2", "2:", ":", "\N") */
static int
op_arr_sub(struct call *c)
{
	struct dh_value x, r, subs[8], los[8], his[8];
	const struct dh_value *lo[8], *hi[8];
	int nsub = c->nargs - 2, slice = 0;
	TRY(a_array(ET, ARG(1), &x, c->err));
	for (int i = 0; i < nsub; i++)
		if (strchr(ARG(i + 2), ':'))
			slice = 1;
	for (int i = 0; i < nsub; i++) {
		char *s = ARG(i + 2), *colon = strchr(s, ':');
		if (!slice) {
			subs[i] = vlong(s);
			continue;
		}
		if (!colon) {
			/* a plain subscript among slices means 1:n */
			los[i].type = DH_T_LONG;
			los[i].i = 1;
			lo[i] = &los[i];
			his[i] = vlong(s);
			hi[i] = &his[i];
			continue;
		}
		*colon = 0;
		lo[i] = *s ? (los[i] = vlong(s), &los[i]) : NULL;
		hi[i] = colon[1] ? (his[i] = vlong(colon + 1), &his[i]) : NULL;
		*colon = ':';
	}
	if (slice) {
		TRY(dh_array_slice(&x, lo, hi, nsub, &A, &r, c->err));
		return out_array(ET, &r, c->out);
	}
	TRY(dh_array_subscript(&x, subs, nsub, &A, &r, c->err));
	if (r.type == DH_T_NONE)
		dh_buf_adds(c->out, "\\N");
	else
		TRY(ET->out(ET->ctx, &r, c->out));
	return 0;
}

struct anyctx {
	const struct dh_array_elem *et;
	const char *op;
};

static int
any_pred(void *ctx, const struct dh_value *x, const struct dh_value *e)
{
	struct anyctx *ac = ctx;
	if (x->type == DH_T_NONE || e->type == DH_T_NONE)
		return -1;
	int c = ac->et->cmp(ac->et->ctx, x, e);
	if (!strcmp(ac->op, "="))
		return c == 0;
	if (!strcmp(ac->op, "<>"))
		return c != 0;
	if (!strcmp(ac->op, "<"))
		return c < 0;
	return c > 0;
}

/* T | op | all? | x | arr */
static int
op_arr_any(struct call *c)
{
	struct dh_value x, arr, r;
	struct anyctx ac = {ET, ARG(1)};
	TRY(elem_arg(ET, ARG(3), &x, c->err));
	TRY(a_array(ET, ARG(4), &arr, c->err));
	if (!strcmp(ac.op, "=") && !strcmp(ARG(2), "0"))
		TRY(dh_array_any(&x, &arr, 0, dh_array_pred_eq, (void *)ET, &r));
	else
		TRY(dh_array_any(&x, &arr, !strcmp(ARG(2), "1"), any_pred, &ac, &r));
	out_scalar(&r, c->out);
	return 0;
}

/* The op table: name, least/most argument count, SQL (@k: argument k
 * spliced in as a type name; NULL: built by sqlfn), the dh side. */
struct op {
	const char *name;
	int minargs, maxargs;
	const char *sql;
	opfn fn;
	int (*mksql)(struct call *c, const char *name);
};

static int mk_build(struct call *c, const char *name);
static int mk_agg(struct call *c, const char *name);
static int mk_row(struct call *c, const char *name);
static int mk_arr_items(struct call *c, const char *name);
static int mk_arr_sub(struct call *c, const char *name);
static int mk_arr_any(struct call *c, const char *name);
static int mk_dimfn(struct call *c, const char *name);

static const struct op ops[] = {
	{"in", 2, 2, "select $2::@1::text", op_in, NULL},
	{"jsonb_pretty", 1, 1, "select jsonb_pretty($1::jsonb)", op_pretty, NULL},
	{"json_to_jsonb", 1, 1, "select $1::json::jsonb::text", op_json_to_jsonb, NULL},
	{"jsonb_cmp", 2, 2,
	 "select case when $1::jsonb < $2::jsonb then -1 when $1::jsonb = $2::jsonb then 0 "
	 "when $1::jsonb > $2::jsonb then 1 end",
	 op_jsonb_cmp, NULL},
	{"->", 3, 3, "select ($2::@1 -> $3::text)::text", op_get_key, NULL},
	{"->>", 3, 3, "select $2::@1 ->> $3::text", op_get_key_text, NULL},
	{"->i", 3, 3, "select ($2::@1 -> $3::int)::text", op_get_idx, NULL},
	{"->>i", 3, 3, "select $2::@1 ->> $3::int", op_get_idx_text, NULL},
	{"#>", 3, 3, "select ($2::@1 #> $3::text[])::text", op_path_json, NULL},
	{"#>>", 3, 3, "select $2::@1 #>> $3::text[]", op_path_text, NULL},
	{"@>", 2, 2, "select $1::jsonb @> $2::jsonb", op_contains, NULL},
	{"<@", 2, 2, "select $1::jsonb <@ $2::jsonb", op_contained, NULL},
	{"?", 2, 2, "select $1::jsonb ? $2::text", op_exists, NULL},
	{"?|", 2, 2, "select $1::jsonb ?| $2::text[]", op_exists_any, NULL},
	{"?&", 2, 2, "select $1::jsonb ?& $2::text[]", op_exists_all, NULL},
	{"||", 2, 2, "select ($1::jsonb || $2::jsonb)::text", op_concat, NULL},
	{"-", 2, 2, "select ($1::jsonb - $2::text)::text", op_minus_key, NULL},
	{"-i", 2, 2, "select ($1::jsonb - $2::int)::text", op_minus_idx, NULL},
	{"-a", 2, 2, "select ($1::jsonb - $2::text[])::text", op_minus_arr, NULL},
	{"#-", 2, 2, "select ($1::jsonb #- $2::text[])::text", op_delete_path, NULL},
	{"jsonb_set", 3, 3, "select jsonb_set($1::jsonb, $2::text[], $3::jsonb)::text", op_set,
	 NULL},
	{"jsonb_set4", 4, 4,
	 "select jsonb_set($1::jsonb, $2::text[], $3::jsonb, $4::bool)::text", op_set, NULL},
	{"jsonb_insert", 3, 3, "select jsonb_insert($1::jsonb, $2::text[], $3::jsonb)::text",
	 op_insert, NULL},
	{"jsonb_insert4", 4, 4,
	 "select jsonb_insert($1::jsonb, $2::text[], $3::jsonb, $4::bool)::text", op_insert, NULL},
	{"typeof", 2, 2, "select @1_typeof($2::@1)", op_typeof, NULL},
	{"array_length", 2, 2, "select @1_array_length($2::@1)", op_array_length, NULL},
	{"object_keys", 2, 2, "select @1_object_keys($2::@1)", op_object_keys, NULL},
	{"each", 2, 2, "select key, value::text from @1_each($2::@1)", op_each, NULL},
	{"each_text", 2, 2, "select * from @1_each_text($2::@1)", op_each_text, NULL},
	{"array_elements", 2, 2, "select x::text from @1_array_elements($2::@1) x", op_elements,
	 NULL},
	{"array_elements_text", 2, 2, "select * from @1_array_elements_text($2::@1)",
	 op_elements_text, NULL},
	{"strip_nulls", 2, 2, "select @1_strip_nulls($2::@1)::text", op_strip_nulls, NULL},
	{"build_array", 1, MAXARGS, NULL, op_build_array, mk_build},
	{"build_object", 1, MAXARGS, NULL, op_build_object, mk_build},
	{"to_json", 2, 2, NULL, op_to_json, mk_build},
	{"agg", 1, MAXARGS, NULL, op_agg, mk_agg},
	{"object_agg", 1, MAXARGS, NULL, op_object_agg, mk_agg},
	{"row", 1, MAXARGS, NULL, op_row, mk_row},
	{"send", 2, 2, "select $2::@1", op_send, NULL},
	{"recv", 2, 2, "select $2::@1::text", op_recv, NULL},
	{"arr_in", 2, 2, "select $2::@1[]::text", op_arr_in, NULL},
	{"arr_cmp", 3, 3,
	 "select case when $2::@1[] < $3::@1[] then -1 when $2::@1[] = $3::@1[] then 0 "
	 "when $2::@1[] > $3::@1[] then 1 end",
	 op_arr_cmp, NULL},
	{"arr_contains", 3, 3, "select $2::@1[] @> $3::@1[]", op_arr_contains, NULL},
	{"arr_contained", 3, 3, "select $2::@1[] <@ $3::@1[]", op_arr_contained, NULL},
	{"arr_overlap", 3, 3, "select $2::@1[] && $3::@1[]", op_arr_overlap, NULL},
	{"arr_cat", 3, 3, "select ($2::@1[] || $3::@1[])::text", op_arr_cat, NULL},
	{"arr_append", 3, 3, "select array_append($2::@1[], $3::@1)::text", op_arr_append, NULL},
	{"arr_prepend", 3, 3, "select array_prepend($2::@1, $3::@1[])::text", op_arr_prepend,
	 NULL},
	{"arr_fn", 3, 4, NULL, op_arr_dimfn, mk_dimfn},
	{"arr_remove", 3, 3, "select array_remove($2::@1[], $3::@1)::text", op_arr_remove, NULL},
	{"arr_replace", 4, 4, "select array_replace($2::@1[], $3::@1, $4::@1)::text",
	 op_arr_replace, NULL},
	{"arr_position", 3, 3, "select array_position($2::@1[], $3::@1)", op_arr_position, NULL},
	{"arr_position3", 4, 4, "select array_position($2::@1[], $3::@1, $4::int)",
	 op_arr_position, NULL},
	{"arr_positions", 3, 3, "select array_positions($2::@1[], $3::@1)::text",
	 op_arr_positions, NULL},
	{"arr_to_string", 3, 3, "select array_to_string($2::@1[], $3::text)", op_arr_to_string,
	 NULL},
	{"arr_to_string3", 4, 4, "select array_to_string($2::@1[], $3::text, $4::text)",
	 op_arr_to_string, NULL},
	{"string_to_array", 2, 2, "select string_to_array($1::text, $2::text)::text",
	 op_string_to_array, NULL},
	{"string_to_array3", 3, 3, "select string_to_array($1::text, $2::text, $3::text)::text",
	 op_string_to_array, NULL},
	{"unnest", 2, 2, "select x::text from unnest($2::@1[]) x", op_unnest, NULL},
	{"arr_construct", 2, MAXARGS, NULL, op_arr_construct, mk_arr_items},
	{"arr_agg", 2, MAXARGS, NULL, op_arr_agg, mk_arr_items},
	{"arr_sub", 2, 8, NULL, op_arr_sub, mk_arr_sub},
	{"arr_any", 5, 5, NULL, op_arr_any, mk_arr_any},
};

static int
mk_build(struct call *c, const char *name)
{
	const char *t = ARG(0);
	char type[64];
	const char *lit;
	if (strcmp(t, "json") && strcmp(t, "jsonb"))
		return -1;
	if (!strcmp(name, "to_json"))
		dh_buf_printf(&c->sql, "select %s(", !strcmp(t, "json") ? "to_json" : "to_jsonb");
	else
		dh_buf_printf(&c->sql, "select %s_%s(", t, name);
	for (int i = 1; i < c->nargs; i++) {
		if (typed_split(ARG(i), type, sizeof(type), &lit))
			return -1;
		dh_buf_printf(&c->sql, "%s$%d::%s", i > 1 ? ", " : "", i + 1, type);
	}
	dh_buf_adds(&c->sql, ")::text");
	return 0;
}

static int
mk_agg(struct call *c, const char *name)
{
	const char *t = ARG(0);
	char type[64];
	const char *lit;
	int obj = !strcmp(name, "object_agg");
	int per = obj ? 2 : 1, row = 0;
	if (strcmp(t, "json") && strcmp(t, "jsonb"))
		return -1;
	if (c->nargs < 1 + per) {
		/* no rows */
		dh_buf_printf(&c->sql, "select %s_%s(%s)::text from (select 1 where false) t", t,
			      name, obj ? "'k'::text, 1" : "1");
		return 0;
	}
	dh_buf_printf(&c->sql, "select %s_%s(%s order by o)::text from (values ", t, name,
		      obj ? "k, v" : "v");
	for (int i = 1; i + per - 1 < c->nargs; i += per, row++) {
		dh_buf_printf(&c->sql, "%s(", row ? ", " : "");
		for (int k = 0; k < per; k++) {
			if (typed_split(ARG(i + k), type, sizeof(type), &lit))
				return -1;
			dh_buf_printf(&c->sql, "$%d::%s, ", i + k + 1, type);
		}
		dh_buf_printf(&c->sql, "%d)", row);
	}
	dh_buf_printf(&c->sql, ") t(%so)", obj ? "k, v, " : "v, ");
	return 0;
}

static int
mk_row(struct call *c, const char *name)
{
	const char *t = ARG(0);
	char type[64];
	const char *lit;
	dh_buf_adds(&c->sql, "select ");
	dh_buf_adds(&c->sql, !strcmp(t, "json") ? "row_to_json(t)" : "to_jsonb(t)");
	dh_buf_adds(&c->sql, "::text from (select ");
	for (int i = 1; i < c->nargs; i++) {
		char *eq = strchr(ARG(i), '=');
		if (!eq || typed_split(eq + 1, type, sizeof(type), &lit))
			return -1;
		dh_buf_printf(&c->sql, "%s$%d::%s as \"", i > 1 ? ", " : "", i + 1, type);
		for (const char *q = ARG(i); q < eq; q++) {
			if (*q == '"')
				dh_buf_addc(&c->sql, '"');
			dh_buf_addc(&c->sql, *q);
		}
		dh_buf_addc(&c->sql, '"');
	}
	dh_buf_adds(&c->sql, ") t");
	return 0;
}

static int
mk_arr_items(struct call *c, const char *name)
{
	int sub = !strcmp(ARG(1), "1");
	const char *t = ARG(0);
	if (!strcmp(name, "arr_construct")) {
		if (c->nargs == 2) {
			dh_buf_printf(&c->sql, "select (array[]::%s[])::text", t);
			return 0;
		}
		dh_buf_adds(&c->sql, "select (array[");
		for (int i = 2; i < c->nargs; i++)
			dh_buf_printf(&c->sql, "%s$%d::%s%s", i > 2 ? ", " : "", i + 1, t,
				      sub ? "[]" : "");
		dh_buf_adds(&c->sql, "])::text");
		return 0;
	}
	if (c->nargs == 2) {
		dh_buf_printf(&c->sql, "select array_agg(x)::text from (select null::%s%s x "
				       "where false) t",
			      t, sub ? "[]" : "");
		return 0;
	}
	dh_buf_adds(&c->sql, "select array_agg(x order by o)::text from (values ");
	for (int i = 2; i < c->nargs; i++)
		dh_buf_printf(&c->sql, "%s($%d::%s%s, %d)", i > 2 ? ", " : "", i + 1, t,
			      sub ? "[]" : "", i);
	dh_buf_adds(&c->sql, ") t(x, o)");
	return 0;
}

static int
mk_arr_sub(struct call *c, const char *name)
{
	int slice = 0;
	for (int i = 2; i < c->nargs; i++)
		if (strchr(ARG(i), ':'))
			slice = 1;
	dh_buf_printf(&c->sql, "select ($2::%s[])", ARG(0));
	/* parameters: $1 type (unused), $2 array, then one per bound */
	int p = 3;
	for (int i = 2; i < c->nargs; i++) {
		char *s = ARG(i), *colon = strchr(s, ':');
		if (!colon) {
			dh_buf_printf(&c->sql, "[$%d::int]", p++);
			continue;
		}
		dh_buf_addc(&c->sql, '[');
		if (colon > s)
			dh_buf_printf(&c->sql, "$%d::int", p++);
		dh_buf_addc(&c->sql, ':');
		if (colon[1])
			dh_buf_printf(&c->sql, "$%d::int", p++);
		dh_buf_addc(&c->sql, ']');
	}
	dh_buf_adds(&c->sql, "::text");
	(void)slice;
	return 0;
}

static int
mk_arr_any(struct call *c, const char *name)
{
	const char *op = ARG(1);
	if (strcmp(op, "=") && strcmp(op, "<>") && strcmp(op, "<") && strcmp(op, ">"))
		return -1;
	dh_buf_printf(&c->sql, "select $4::%s %s %s ($5::%s[])", ARG(0), op,
		      !strcmp(ARG(2), "1") ? "all" : "any", ARG(0));
	return 0;
}

static int
mk_dimfn(struct call *c, const char *name)
{
	const char *fn = ARG(1);
	if (c->nargs > 3)
		dh_buf_printf(&c->sql, "select %s($3::%s[], $4::int)", fn, ARG(0));
	else
		dh_buf_printf(&c->sql, "select %s($3::%s[])", fn, ARG(0));
	return 0;
}

/* ------------------------------------------------------------ the runner */

static char *
unescape(char *s)
{
	/* E:... arguments take C escapes: \n \t \\ \xHH */
	if (strncmp(s, "E:", 2) != 0)
		return s;
	char *r = s + 2, *w = s;
	while (*r) {
		if (*r == '\\' && r[1]) {
			r++;
			switch (*r) {
			case 'n':
				*w++ = '\n';
				r++;
				break;
			case 't':
				*w++ = '\t';
				r++;
				break;
			case 'r':
				*w++ = '\r';
				r++;
				break;
			case 'x': {
				unsigned v = 0;
				int k;
				for (k = 0, r++; k < 2 && isxdigit((unsigned char)*r); k++, r++)
					v = v * 16 + (unsigned)(isdigit((unsigned char)*r)
									? *r - '0'
									: (tolower((unsigned char)*r) - 'a' + 10));
				*w++ = (char)v;
				break;
			}
			default:
				*w++ = *r++;
			}
		} else
			*w++ = *r++;
	}
	*w = 0;
	return s;
}

static int
type_name_ok(const char *s)
{
	for (; *s; s++)
		if (!isalnum((unsigned char)*s) && *s != '_' && *s != '[' && *s != ']')
			return 0;
	return 1;
}

static int ntests, nfailed;

static void
run_case(const char *file, int lineno, char *line)
{
	char *args[MAXARGS + 1], *pargs[MAXARGS + 1];
	int nargs = 0;
	char *p = line, *sep;
	const char *name;
	/* fields separated by " | " */
	name = p;
	sep = strstr(p, " | ");
	if (sep) {
		*sep = 0;
		p = sep + 3;
		for (;;) {
			if (nargs == MAXARGS)
				break;
			sep = strstr(p, " | ");
			if (sep)
				*sep = 0;
			args[nargs++] = unescape(p);
			if (!sep)
				break;
			p = sep + 3;
		}
	}
	const struct op *op = NULL;
	for (size_t i = 0; i < DH_ARRAY_SIZE(ops); i++)
		if (!strcmp(ops[i].name, name))
			op = &ops[i];
	struct dh_buf want, got;
	struct dh_err err;
	struct call c = {.nargs = nargs, .args = args, .err = &err};
	dh_buf_init(&want, 0);
	dh_buf_init(&got, 0);
	dh_buf_init(&c.sql, 0);
	memset(&err, 0, sizeof(err));
	ntests++;
	if (!op || nargs < op->minargs || nargs > op->maxargs) {
		printf("not ok %d - %s:%d: bad case '%s' (%d arguments)\n", ntests, file, lineno,
		       name, nargs);
		nfailed++;
		goto out;
	}
	/* SQL for PostgreSQL */
	if (op->sql) {
		for (const char *q = op->sql; *q; q++) {
			if (*q == '@' && isdigit((unsigned char)q[1])) {
				int k = q[1] - '1';
				if (k >= nargs || !type_name_ok(args[k])) {
					printf("not ok %d - %s:%d: bad type name\n", ntests, file,
					       lineno);
					nfailed++;
					goto out;
				}
				dh_buf_adds(&c.sql, args[k]);
				q++;
			} else
				dh_buf_addc(&c.sql, *q);
		}
	} else if (op->mksql(&c, name)) {
		printf("not ok %d - %s:%d: bad case\n", ntests, file, lineno);
		nfailed++;
		goto out;
	}
	/* PostgreSQL takes the arguments as text parameters; builder args
	 * "type:literal" pass the literal, row args "name=type:literal" too */
	int np = 0;
	for (int i = 0; i < nargs; i++) {
		char *a = args[i];
		char type[64];
		const char *lit;
		if (!op->sql && strcmp(name, "arr_sub") && strcmp(name, "arr_any") &&
		    strcmp(name, "arr_fn") && strncmp(name, "arr_", 4) && i > 0) {
			char *eq = !strcmp(name, "row") ? strchr(a, '=') : NULL;
			if (typed_split(eq ? eq + 1 : a, type, sizeof(type), &lit) == 0)
				a = (char *)lit;
		}
		if (!strcmp(name, "arr_sub") && i >= 2) {
			char *colon = strchr(a, ':');
			if (colon) {
				char *lo = dh_arena_strndup(&A, a, (size_t)(colon - a));
				if (colon > a)
					pargs[np++] = is_nullarg(lo) ? NULL : lo;
				if (colon[1])
					pargs[np++] = is_nullarg(colon + 1) ? NULL : colon + 1;
				continue;
			}
		}
		pargs[np++] = is_nullarg(a) ? NULL : a;
	}
	pg_run((char *)c.sql.p, np, pargs, !strcmp(name, "send"), &want);
	/* the dh side */
	c.out = &got;
	if (op->fn(&c)) {
		dh_buf_reset(&got);
		dh_error_text(&err, &got);
	}
	int same = want.len == got.len && memcmp(want.p, got.p, want.len) == 0;
	printf("%sok %d - %s:%d: %s", same ? "" : "not ", ntests, file, lineno, name);
	for (int i = 0; i < nargs && i < 4; i++)
		printf(" | %.40s", args[i]);
	printf("\n");
	if (!same) {
		nfailed++;
		printf("#   sql: %s\n#   PostgreSQL: ", (char *)c.sql.p);
		for (size_t i = 0; i < want.len; i++)
			printf(want.p[i] == '\n' ? "\n#     " : "%c", want.p[i]);
		printf("\n#   dh:         ");
		for (size_t i = 0; i < got.len; i++)
			printf(got.p[i] == '\n' ? "\n#     " : "%c", got.p[i]);
		printf("\n");
	} else if (verbose) {
		printf("#   %s\n", (char *)want.p);
	}
out:
	fflush(stdout);
	dh_buf_release(&want);
	dh_buf_release(&got);
	dh_buf_release(&c.sql);
}

int
main(int argc, char **argv)
{
	int ai = 1;
	if (ai < argc && !strcmp(argv[ai], "-v")) {
		verbose = 1;
		ai++;
	}
	if (argc - ai < 2) {
		fprintf(stderr, "usage: sqljson-pg [-v] CONNINFO FILE...\n");
		return 2;
	}
	conn = PQconnectdb(argv[ai]);
	if (PQstatus(conn) != CONNECTION_OK) {
		printf("Bail out! cannot connect: %s", PQerrorMessage(conn));
		return 1;
	}
	PQclear(PQexec(conn, "set datestyle = 'ISO, MDY'; set timezone = 'UTC'; "
			     "set extra_float_digits = 1"));
	TEXT_ET = test_elem("text");
	dh_arena_init(&A);
	for (int f = ai + 1; f < argc; f++) {
		FILE *fp = fopen(argv[f], "r");
		if (!fp) {
			printf("Bail out! cannot open %s\n", argv[f]);
			return 1;
		}
		const char *base = strrchr(argv[f], '/') ? strrchr(argv[f], '/') + 1 : argv[f];
		char *line = NULL;
		size_t cap = 0;
		ssize_t len;
		int lineno = 0;
		while ((len = getline(&line, &cap, fp)) >= 0) {
			lineno++;
			while (len > 0 && (line[len - 1] == '\n' || line[len - 1] == '\r'))
				line[--len] = 0;
			/* "# ..." is a comment; "#>", "#-" are operators */
			if (len == 0 || (line[0] == '#' && (line[1] == ' ' || line[1] == 0)))
				continue;
			run_case(base, lineno, line);
			dh_arena_release(&A);
		}
		free(line);
		fclose(fp);
	}
	printf("1..%d\n", ntests);
	printf("# %d cases, %d passed, %d failed\n", ntests, ntests - nfailed, nfailed);
	PQfinish(conn);
	return nfailed ? 1 : 0;
}
