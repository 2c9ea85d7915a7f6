/*
 * sqljson-ops: json and jsonb in sqltype's catalog.  The type ops (json has
 * no btree order in PostgreSQL: its cmp and hash are left out), the
 * pg_operator and pg_proc rows of lib/sqljson.h's operators and functions,
 * to_json and the builders (which turn SQL values of any type into JSON
 * through the catalog's text output, as PostgreSQL's datum_to_json does),
 * and the casts json <-> jsonb and jsonb -> bool and the numbers.
 * json_agg and the other aggregates, and the set-returning functions, are
 * the SQL layer's.
 */
#include <string.h>

#include "sqljson.h"
#include "sqltime.h"
#include "sqltype-int.h"

#define O(x) DH_OID_##x
typedef const struct dh_value *argv_t;

static enum dh_jtype
jt_of(const struct dh_sqltype *t)
{
	return t->oid == DH_OID_JSONB ? DH_JSONB : DH_JSON;
}

/* --- the type ops --- */

static int
type_in(const struct dh_sqltype *t, const char *s, size_t n, int32_t typmod,
	const struct dh_sqlenv *env, struct dh_arena *a, struct dh_value *out, struct dh_err *err)
{
	(void)typmod;
	(void)env;
	return jt_of(t) == DH_JSONB ? dh_jsonb_in(s, n, a, out, err)
				    : dh_json_in(s, n, a, out, err);
}

static int
type_out(const struct dh_sqltype *t, const struct dh_value *v, const struct dh_sqlenv *env,
	 struct dh_buf *b)
{
	(void)t;
	(void)env;
	return dh_buf_add(b, v->s.p, v->s.n) ? DH_ETOOLONG : 0;
}

static int
type_send(const struct dh_sqltype *t, const struct dh_value *v, struct dh_buf *b,
	  struct dh_err *err)
{
	(void)err;
	return jt_of(t) == DH_JSONB ? dh_jsonb_send(b, v) : dh_json_send(b, v);
}

static int
type_recv(const struct dh_sqltype *t, const unsigned char *p, size_t n, int32_t typmod,
	  struct dh_arena *a, struct dh_value *out, struct dh_err *err)
{
	(void)typmod;
	return jt_of(t) == DH_JSONB ? dh_jsonb_recv(p, n, a, out, err)
				    : dh_json_recv(p, n, a, out, err);
}

static int
jsonb_type_cmp(const struct dh_sqltype *t, const struct dh_value *x, const struct dh_value *y)
{
	(void)t;
	return dh_jsonb_cmp(x, y);
}

static uint64_t
jsonb_type_hash(const struct dh_sqltype *t, const struct dh_value *v)
{
	(void)t;
	return dh_jsonb_hash(v);
}

const struct dh_sqltype_ops dh__sqljson_json_ops = {
    type_in, type_out, type_send, type_recv, NULL, NULL, NULL, NULL, NULL,
};
const struct dh_sqltype_ops dh__sqljson_jsonb_ops = {
    type_in, type_out, type_send, type_recv, jsonb_type_cmp, jsonb_type_hash, NULL, NULL, NULL,
};

/* --- SQL values as JSON (datum_to_json's categories) --- */

static enum dh_json_cat
cat_of(uint32_t oid)
{
	switch (oid) {
	case DH_OID_INT2:
	case DH_OID_INT4:
	case DH_OID_INT8:
	case DH_OID_FLOAT4:
	case DH_OID_FLOAT8:
	case DH_OID_NUMERIC:
		return DH_JCAT_NUMERIC;
	case DH_OID_BOOL:
		return DH_JCAT_BOOL;
	case DH_OID_DATE:
		return DH_JCAT_DATE;
	case DH_OID_TIMESTAMP:
		return DH_JCAT_TIMESTAMP;
	case DH_OID_TIMESTAMPTZ:
		return DH_JCAT_TIMESTAMPTZ;
	case DH_OID_JSON:
		return DH_JCAT_JSON;
	case DH_OID_JSONB:
		return DH_JCAT_JSONB;
	default: {
		const struct dh_sqltype *t = dh_sqltype_by_oid(oid);
		return t && t->category == 'A' && t->elem ? DH_JCAT_ARRAY : DH_JCAT_OTHER;
	}
	}
}

/* The value v of type oid as a datum: its text in DateStyle ISO (JSON
 * writes dates its own way from that), arrays as their elements' texts. */
static int
datum_of(struct dh_sqlcall *c, uint32_t oid, const struct dh_value *v, struct dh_json_datum *d);

int
dh_sqljson_datum(uint32_t oid, const struct dh_value *v, const struct dh_sqlenv *env,
		 struct dh_arena *a, struct dh_json_datum *d, struct dh_err *err)
{
	struct dh_sqlcall c = {.arena = a, .err = err, .env = env};
	return datum_of(&c, oid, v, d);
}

static int
datum_of(struct dh_sqlcall *c, uint32_t oid, const struct dh_value *v, struct dh_json_datum *d)
{
	struct dh_sqltime_settings ts;
	struct dh_sqlenv env = DH_SQLENV_INIT;
	struct dh_buf b;
	int rc;
	if (c->env)
		env = *c->env;
	if (env.time)
		ts = *env.time;
	else
		dh_sqltime_settings_init(&ts);
	ts.datestyle = DH_DATESTYLE_ISO;
	env.time = &ts;
	memset(d, 0, sizeof(*d));
	if (oid == DH_OID_UNKNOWN)
		oid = DH_OID_TEXT;
	d->cat = cat_of(oid);
	if (v->type == DH_T_NONE) {
		d->v = *v;
		return 0;
	}
	if (d->cat == DH_JCAT_JSON || d->cat == DH_JCAT_JSONB) {
		d->v = *v;
		return 0;
	}
	if (d->cat == DH_JCAT_ARRAY) {
		const struct dh_sqltype *t = dh_sqltype_by_oid(oid);
		d->elemcat = cat_of(t->elem);
		return dh__sqlarray_texts(oid, v, &env, c->arena, &d->v);
	}
	dh_buf_init(&b, 0);
	rc = dh_sqltype_out(oid, v, &env, &b);
	if (rc == DH_ENOTSUP) {
		const struct dh_sqltype *t = dh_sqltype_by_oid(oid);
		rc = dh_err_sql(c->err, "0A000", "output of type %s is not supported",
				t ? t->sqlname : "unknown");
	}
	d->v = (struct dh_value){.type = DH_T_STRING};
	d->v.s.p = dh_arena_strndup(c->arena, b.len ? (const char *)b.p : "", b.len);
	d->v.s.n = b.len;
	dh_buf_release(&b);
	return rc;
}

static int
poly_type(struct dh_sqlcall *c, int i, uint32_t *oid)
{
	*oid = c->argtypes ? c->argtypes[i] : 0;
	if (!*oid)
		return dh_err_sql(c->err, "42804", "could not determine data type of argument %d",
				  i + 1);
	return 0;
}

static int
to_json_k(struct dh_sqlcall *c, argv_t a, struct dh_value *o, enum dh_jtype t)
{
	struct dh_json_datum d;
	uint32_t oid;
	int rc;
	if ((rc = poly_type(c, 0, &oid)) || (rc = datum_of(c, oid, &a[0], &d)))
		return rc;
	return dh_to_json(t, &d, c->arena, o, c->err);
}

static int
to_json(struct dh_sqlcall *c, argv_t a, struct dh_value *o)
{
	return to_json_k(c, a, o, DH_JSON);
}

static int
to_jsonb(struct dh_sqlcall *c, argv_t a, struct dh_value *o)
{
	return to_json_k(c, a, o, DH_JSONB);
}

/* array_to_json(a, pretty): pretty puts a line feed between the
 * top-level elements */
static int
array_to_json_pretty(struct dh_sqlcall *c, argv_t a, struct dh_value *o)
{
	struct dh_json *j;
	struct dh_buf b;
	int rc = to_json_k(c, a, o, DH_JSON);
	if (rc || !a[1].b || o->type == DH_T_NONE)
		return rc;
	if ((rc = dh_json_parse(o->s.p, o->s.n, 0, c->arena, &j, c->err)))
		return rc;
	dh_buf_init(&b, 0);
	dh_buf_addc(&b, '[');
	for (size_t i = 0; i < j->n; i++) {
		if (i)
			dh_buf_adds(&b, ",\n ");
		dh_buf_add(&b, j->items[i].src, j->items[i].srcn);
	}
	dh_buf_addc(&b, ']');
	o->s.p = dh_arena_strndup(c->arena, (const char *)b.p, b.len);
	o->s.n = b.len;
	dh_buf_release(&b);
	return 0;
}

/* json(b)_build_array / _object over VARIADIC "any" */
static int
build(struct dh_sqlcall *c, argv_t a, struct dh_value *o, enum dh_jtype t, int object)
{
	struct dh_json_datum *d = dh_arena_alloc(c->arena, (size_t)(c->nargs + 1) * sizeof(*d));
	int rc;
	for (int i = 0; i < c->nargs; i++) {
		uint32_t oid;
		if ((rc = poly_type(c, i, &oid)) || (rc = datum_of(c, oid, &a[i], &d[i])))
			return rc;
	}
	return object ? dh_json_build_object(t, d, (size_t)c->nargs, c->arena, o, c->err)
		      : dh_json_build_array(t, d, (size_t)c->nargs, c->arena, o, c->err);
}

/* a whole-row reference's row_to_json / to_json (sqlexpr rewrites
 * row_to_json(t) into this call over t's column names and values) */
static int
row_json(struct dh_sqlcall *c, argv_t a, struct dh_value *o)
{
	size_t n = (size_t)c->nargs / 2;
	struct dh_json_datum *d = dh_arena_alloc(c->arena, (n + 1) * sizeof(*d));
	const char **names = dh_arena_alloc(c->arena, (n + 1) * sizeof(*names));
	int rc;
	for (size_t i = 0; i < n; i++) {
		uint32_t oid;
		names[i] = dh_arena_strndup(c->arena, a[2 * i].s.p, a[2 * i].s.n);
		if ((rc = poly_type(c, (int)(2 * i + 1), &oid)) ||
		    (rc = datum_of(c, oid, &a[2 * i + 1], &d[i])))
			return rc;
	}
	return dh_json_row(DH_JSON, names, d, n, c->arena, o, c->err);
}

static int
json_build_array(struct dh_sqlcall *c, argv_t a, struct dh_value *o)
{
	return build(c, a, o, DH_JSON, 0);
}

static int
jsonb_build_array(struct dh_sqlcall *c, argv_t a, struct dh_value *o)
{
	return build(c, a, o, DH_JSONB, 0);
}

static int
json_build_object(struct dh_sqlcall *c, argv_t a, struct dh_value *o)
{
	return build(c, a, o, DH_JSON, 1);
}

static int
jsonb_build_object(struct dh_sqlcall *c, argv_t a, struct dh_value *o)
{
	return build(c, a, o, DH_JSONB, 1);
}

/* --- operators and functions --- */

#define GET_FNS(P, T)                                                                              \
	static int P##_get(struct dh_sqlcall *c, argv_t a, struct dh_value *o)                     \
	{                                                                                          \
		return dh_json_get(T, &a[0], &a[1], 0, c->arena, o, c->err);                       \
	}                                                                                          \
	static int P##_get_text(struct dh_sqlcall *c, argv_t a, struct dh_value *o)                \
	{                                                                                          \
		return dh_json_get(T, &a[0], &a[1], 1, c->arena, o, c->err);                       \
	}                                                                                          \
	static int P##_path(struct dh_sqlcall *c, argv_t a, struct dh_value *o)                    \
	{                                                                                          \
		return dh_json_get_path(T, &a[0], &a[1], 0, c->arena, o, c->err);                  \
	}                                                                                          \
	static int P##_path_text(struct dh_sqlcall *c, argv_t a, struct dh_value *o)               \
	{                                                                                          \
		return dh_json_get_path(T, &a[0], &a[1], 1, c->arena, o, c->err);                  \
	}                                                                                          \
	static int P##_typeof(struct dh_sqlcall *c, argv_t a, struct dh_value *o)                  \
	{                                                                                          \
		return dh_json_typeof(T, &a[0], c->arena, o, c->err);                              \
	}                                                                                          \
	static int P##_array_length(struct dh_sqlcall *c, argv_t a, struct dh_value *o)            \
	{                                                                                          \
		return dh_json_array_length(T, &a[0], c->arena, o, c->err);                        \
	}                                                                                          \
	static int P##_strip_nulls(struct dh_sqlcall *c, argv_t a, struct dh_value *o)             \
	{                                                                                          \
		return dh_json_strip_nulls(T, &a[0], c->arena, o, c->err);                         \
	}
GET_FNS(json, DH_JSON)
GET_FNS(jsonb, DH_JSONB)

static int
jsonb_cmp_(struct dh_sqlcall *c, argv_t a)
{
	(void)c;
	return dh_jsonb_cmp(&a[0], &a[1]);
}

#define CMP_FN(K, OP)                                                                              \
	static int jsonb_##K(struct dh_sqlcall *c, argv_t a, struct dh_value *o)                   \
	{                                                                                          \
		*o = dh__v_bool(jsonb_cmp_(c, a) OP 0);                                            \
		return 0;                                                                          \
	}
CMP_FN(eq, ==)
CMP_FN(ne, !=)
CMP_FN(lt, <)
CMP_FN(le, <=)
CMP_FN(gt, >)
CMP_FN(ge, >=)

static int
jsonb_cmp(struct dh_sqlcall *c, argv_t a, struct dh_value *o)
{
	int r = jsonb_cmp_(c, a);
	*o = dh__v_long(r < 0 ? -1 : r > 0);
	return 0;
}

static int
jsonb_contains(struct dh_sqlcall *c, argv_t a, struct dh_value *o)
{
	return dh_jsonb_contains(&a[0], &a[1], c->arena, o, c->err);
}

static int
jsonb_contained(struct dh_sqlcall *c, argv_t a, struct dh_value *o)
{
	return dh_jsonb_contains(&a[1], &a[0], c->arena, o, c->err);
}

static int
jsonb_exists(struct dh_sqlcall *c, argv_t a, struct dh_value *o)
{
	return dh_jsonb_exists(&a[0], &a[1], c->arena, o, c->err);
}

static int
jsonb_exists_any(struct dh_sqlcall *c, argv_t a, struct dh_value *o)
{
	return dh_jsonb_exists_any(&a[0], &a[1], 0, c->arena, o, c->err);
}

static int
jsonb_exists_all(struct dh_sqlcall *c, argv_t a, struct dh_value *o)
{
	return dh_jsonb_exists_any(&a[0], &a[1], 1, c->arena, o, c->err);
}

static int
jsonb_concat(struct dh_sqlcall *c, argv_t a, struct dh_value *o)
{
	return dh_jsonb_concat(&a[0], &a[1], c->arena, o, c->err);
}

static int
jsonb_delete(struct dh_sqlcall *c, argv_t a, struct dh_value *o)
{
	return dh_jsonb_delete(&a[0], &a[1], c->arena, o, c->err);
}

static int
jsonb_delete_path(struct dh_sqlcall *c, argv_t a, struct dh_value *o)
{
	return dh_jsonb_delete_path(&a[0], &a[1], c->arena, o, c->err);
}

/* create_if_missing defaults to true, insert_after to false */
static int
jsonb_set(struct dh_sqlcall *c, argv_t a, struct dh_value *o)
{
	return dh_jsonb_set(&a[0], &a[1], &a[2], c->nargs > 3 ? a[3].b : 1, c->arena, o, c->err);
}

static int
jsonb_insert(struct dh_sqlcall *c, argv_t a, struct dh_value *o)
{
	return dh_jsonb_insert(&a[0], &a[1], &a[2], c->nargs > 3 ? a[3].b : 0, c->arena, o, c->err);
}

static int
jsonb_pretty(struct dh_sqlcall *c, argv_t a, struct dh_value *o)
{
	return dh_jsonb_pretty(&a[0], c->arena, o, c->err);
}

/* --- casts: jsonb scalars to bool and numbers (jsonb_bool, jsonb_numeric,
 * jsonb_int4, ...) --- */

static const char *
kind_name(const struct dh_json *j)
{
	switch (j->kind) {
	case DH_JSON_NULL:
		return "null";
	case DH_JSON_STRING:
		return "string";
	case DH_JSON_NUMBER:
		return "numeric";
	case DH_JSON_BOOL:
		return "boolean";
	case DH_JSON_ARRAY:
		return "array";
	default:
		return "object";
	}
}

static int
jsonb_scalar(struct dh_sqlcall *c, const struct dh_value *v, enum dh_json_kind want,
	     struct dh_json **j)
{
	const struct dh_sqltype *t = dh_sqltype_by_oid(c->rettype);
	int rc = dh_json_parse(v->s.p, v->s.n, DH_JPARSE_JSONB, c->arena, j, c->err);
	if (rc)
		return rc;
	if ((*j)->kind != want)
		return dh_err_sql(c->err, "22023", "cannot cast jsonb %s to type %s", kind_name(*j),
				  t ? t->sqlname : "unknown");
	return 0;
}

static int
jsonb_to_bool(struct dh_sqlcall *c, argv_t a, struct dh_value *o)
{
	struct dh_json *j;
	int rc = jsonb_scalar(c, &a[0], DH_JSON_BOOL, &j);
	if (rc == 0)
		*o = dh__v_bool(j->b);
	return rc;
}

static int
jsonb_to_number(struct dh_sqlcall *c, argv_t a, struct dh_value *o)
{
	struct dh_json *j;
	struct dh_value n;
	int rc = jsonb_scalar(c, &a[0], DH_JSON_NUMBER, &j);
	if (rc ||
	    (rc = dh_sqltype_in(DH_OID_NUMERIC, -1, j->s, j->sn, c->env, c->arena, &n, c->err)))
		return rc;
	if (c->rettype == DH_OID_NUMERIC) {
		*o = n;
		return 0;
	}
	return dh_sqlcast_value(DH_OID_NUMERIC, -1, c->rettype, -1, 1, &n, c->env, c->arena, o,
				c->err);
}

/* --- the tables --- */

#define OP(n, l, r, res, f_, pro)                                                                  \
	{                                                                                          \
		.name = n, .left = l, .right = r, .result = res, .fn = f_, .proname = pro          \
	}
#define J O(JSON)
#define JB O(JSONB)
#define TX O(TEXT)
#define TXA O(TEXT_ARRAY)
#define I4 O(INT4)
#define BO O(BOOL)

const struct dh_sqlop dh__sqljson_ops[] = {
    OP("->", J, TX, J, json_get, "json_object_field"),
    OP("->", J, I4, J, json_get, "json_array_element"),
    OP("->>", J, TX, TX, json_get_text, "json_object_field_text"),
    OP("->>", J, I4, TX, json_get_text, "json_array_element_text"),
    OP("#>", J, TXA, J, json_path, "json_extract_path"),
    OP("#>>", J, TXA, TX, json_path_text, "json_extract_path_text"),
    OP("->", JB, TX, JB, jsonb_get, "jsonb_object_field"),
    OP("->", JB, I4, JB, jsonb_get, "jsonb_array_element"),
    OP("->>", JB, TX, TX, jsonb_get_text, "jsonb_object_field_text"),
    OP("->>", JB, I4, TX, jsonb_get_text, "jsonb_array_element_text"),
    OP("#>", JB, TXA, JB, jsonb_path, "jsonb_extract_path"),
    OP("#>>", JB, TXA, TX, jsonb_path_text, "jsonb_extract_path_text"),
    OP("=", JB, JB, BO, jsonb_eq, "jsonb_eq"),
    OP("<>", JB, JB, BO, jsonb_ne, "jsonb_ne"),
    OP("<", JB, JB, BO, jsonb_lt, "jsonb_lt"),
    OP("<=", JB, JB, BO, jsonb_le, "jsonb_le"),
    OP(">", JB, JB, BO, jsonb_gt, "jsonb_gt"),
    OP(">=", JB, JB, BO, jsonb_ge, "jsonb_ge"),
    OP("@>", JB, JB, BO, jsonb_contains, "jsonb_contains"),
    OP("<@", JB, JB, BO, jsonb_contained, "jsonb_contained"),
    OP("?", JB, TX, BO, jsonb_exists, "jsonb_exists"),
    OP("?|", JB, TXA, BO, jsonb_exists_any, "jsonb_exists_any"),
    OP("?&", JB, TXA, BO, jsonb_exists_all, "jsonb_exists_all"),
    OP("||", JB, JB, JB, jsonb_concat, "jsonb_concat"),
    OP("-", JB, TX, JB, jsonb_delete, "jsonb_delete"),
    OP("-", JB, I4, JB, jsonb_delete, "jsonb_delete_idx"),
    OP("-", JB, TXA, JB, jsonb_delete, "jsonb_delete_array"),
    OP("#-", JB, TXA, JB, jsonb_delete_path, "jsonb_delete_path"),
};
const size_t dh__sqljson_ops_n = DH_ARRAY_SIZE(dh__sqljson_ops);

#define PR(n, na, a, res, f_, src)                                                                 \
	{                                                                                          \
		.name = n, .nargs = na, .args = a, .result = res, .fn = f_, .prosrc = src          \
	}
/* with ndefaults, variadic, nonstrict */
#define PRX(n, na, a, res, f_, src, ndef, var, ns)                                                 \
	{                                                                                          \
		.name = n, .nargs = na, .args = a, .result = res, .fn = f_, .prosrc = src,         \
		.ndefaults = ndef, .variadic = var, .nonstrict = ns                                \
	}
#define A0                                                                                         \
	{                                                                                          \
		0                                                                                  \
	}
#define A1(x)                                                                                      \
	{                                                                                          \
		x                                                                                  \
	}
#define A2(x, y)                                                                                   \
	{                                                                                          \
		x, y                                                                               \
	}
#define A4(x, y, z, w)                                                                             \
	{                                                                                          \
		x, y, z, w                                                                         \
	}

const struct dh_sqlproc dh__sqljson_procs[] = {
    PR("json_object_field", 2, A2(J, TX), J, json_get, "json_object_field"),
    PR("json_object_field_text", 2, A2(J, TX), TX, json_get_text, "json_object_field_text"),
    PR("json_array_element", 2, A2(J, I4), J, json_get, "json_array_element"),
    PR("json_array_element_text", 2, A2(J, I4), TX, json_get_text, "json_array_element_text"),
    PRX("json_extract_path", 2, A2(J, TXA), J, json_path, "json_extract_path", 0, TX, 0),
    PRX("json_extract_path_text", 2, A2(J, TXA), TX, json_path_text, "json_extract_path_text", 0,
	TX, 0),
    PR("jsonb_object_field", 2, A2(JB, TX), JB, jsonb_get, "jsonb_object_field"),
    PR("jsonb_object_field_text", 2, A2(JB, TX), TX, jsonb_get_text, "jsonb_object_field_text"),
    PR("jsonb_array_element", 2, A2(JB, I4), JB, jsonb_get, "jsonb_array_element"),
    PR("jsonb_array_element_text", 2, A2(JB, I4), TX, jsonb_get_text, "jsonb_array_element_text"),
    PRX("jsonb_extract_path", 2, A2(JB, TXA), JB, jsonb_path, "jsonb_extract_path", 0, TX, 0),
    PRX("jsonb_extract_path_text", 2, A2(JB, TXA), TX, jsonb_path_text, "jsonb_extract_path_text",
	0, TX, 0),
    PR("json_typeof", 1, A1(J), TX, json_typeof, "json_typeof"),
    PR("jsonb_typeof", 1, A1(JB), TX, jsonb_typeof, "jsonb_typeof"),
    PR("json_array_length", 1, A1(J), I4, json_array_length, "json_array_length"),
    PR("jsonb_array_length", 1, A1(JB), I4, jsonb_array_length, "jsonb_array_length"),
    PR("json_strip_nulls", 1, A1(J), J, json_strip_nulls, "json_strip_nulls"),
    PR("jsonb_strip_nulls", 1, A1(JB), JB, jsonb_strip_nulls, "jsonb_strip_nulls"),
    PR("jsonb_pretty", 1, A1(JB), TX, jsonb_pretty, "jsonb_pretty"),
    PR("jsonb_eq", 2, A2(JB, JB), BO, jsonb_eq, "jsonb_eq"),
    PR("jsonb_ne", 2, A2(JB, JB), BO, jsonb_ne, "jsonb_ne"),
    PR("jsonb_lt", 2, A2(JB, JB), BO, jsonb_lt, "jsonb_lt"),
    PR("jsonb_le", 2, A2(JB, JB), BO, jsonb_le, "jsonb_le"),
    PR("jsonb_gt", 2, A2(JB, JB), BO, jsonb_gt, "jsonb_gt"),
    PR("jsonb_ge", 2, A2(JB, JB), BO, jsonb_ge, "jsonb_ge"),
    PR("jsonb_cmp", 2, A2(JB, JB), I4, jsonb_cmp, "jsonb_cmp"),
    PR("jsonb_contains", 2, A2(JB, JB), BO, jsonb_contains, "jsonb_contains"),
    PR("jsonb_contained", 2, A2(JB, JB), BO, jsonb_contained, "jsonb_contained"),
    PR("jsonb_exists", 2, A2(JB, TX), BO, jsonb_exists, "jsonb_exists"),
    PR("jsonb_exists_any", 2, A2(JB, TXA), BO, jsonb_exists_any, "jsonb_exists_any"),
    PR("jsonb_exists_all", 2, A2(JB, TXA), BO, jsonb_exists_all, "jsonb_exists_all"),
    PR("jsonb_concat", 2, A2(JB, JB), JB, jsonb_concat, "jsonb_concat"),
    PR("jsonb_delete", 2, A2(JB, TX), JB, jsonb_delete, "jsonb_delete"),
    PR("jsonb_delete", 2, A2(JB, I4), JB, jsonb_delete, "jsonb_delete_idx"),
    PRX("jsonb_delete", 2, A2(JB, TXA), JB, jsonb_delete, "jsonb_delete_array", 0, TX, 0),
    PR("jsonb_delete_path", 2, A2(JB, TXA), JB, jsonb_delete_path, "jsonb_delete_path"),
    PRX("jsonb_set", 4, A4(JB, TXA, JB, BO), JB, jsonb_set, "jsonb_set", 1, 0, 0),
    PRX("jsonb_insert", 4, A4(JB, TXA, JB, BO), JB, jsonb_insert, "jsonb_insert", 1, 0, 0),
    PR("to_json", 1, A1(O(ANYELEMENT)), J, to_json, "to_json"),
    PR("to_jsonb", 1, A1(O(ANYELEMENT)), JB, to_jsonb, "to_jsonb"),
    PR("array_to_json", 1, A1(O(ANYARRAY)), J, to_json, "array_to_json"),
    PR("array_to_json", 2, A2(O(ANYARRAY), BO), J, array_to_json_pretty, "array_to_json_pretty"),
    PRX("json_build_array", 1, A1(O(ANY)), J, json_build_array, "json_build_array", 0, O(ANY), 1),
    PRX("json_build_array", 0, A0, J, json_build_array, "json_build_array_noargs", 0, 0, 1),
    PRX("jsonb_build_array", 1, A1(O(ANY)), JB, jsonb_build_array, "jsonb_build_array", 0, O(ANY),
	1),
    PRX("jsonb_build_array", 0, A0, JB, jsonb_build_array, "jsonb_build_array_noargs", 0, 0, 1),
    PRX("json_build_object", 1, A1(O(ANY)), J, json_build_object, "json_build_object", 0, O(ANY),
	1),
    PRX("json_build_object", 0, A0, J, json_build_object, "json_build_object_noargs", 0, 0, 1),
    /* not PostgreSQL's: the row of a whole-row reference (sqlexpr.c) */
    PRX(DH_JSON_ROW_FN, 1, A1(O(ANY)), J, row_json, "composite_to_json", 0, O(ANY), 1),
    PRX("jsonb_build_object", 1, A1(O(ANY)), JB, jsonb_build_object, "jsonb_build_object", 0,
	O(ANY), 1),
    PRX("jsonb_build_object", 0, A0, JB, jsonb_build_object, "jsonb_build_object_noargs", 0, 0, 1),
};
const size_t dh__sqljson_procs_n = DH_ARRAY_SIZE(dh__sqljson_procs);

#define CI(s, t, ctx)                                                                              \
	{                                                                                          \
		s, t, ctx, DH_CAST_INOUT, NULL                                                     \
	}
#define CF(s, t, fn)                                                                               \
	{                                                                                          \
		s, t, DH_CAST_EXPLICIT, DH_CAST_FUNCTION, fn                                       \
	}

const struct dh_sqlcast dh__sqljson_casts[] = {
    CI(J, JB, DH_CAST_ASSIGNMENT),	CI(JB, J, DH_CAST_ASSIGNMENT),
    CF(JB, BO, jsonb_to_bool),		CF(JB, O(NUMERIC), jsonb_to_number),
    CF(JB, O(INT2), jsonb_to_number),	CF(JB, O(INT4), jsonb_to_number),
    CF(JB, O(INT8), jsonb_to_number),	CF(JB, O(FLOAT4), jsonb_to_number),
    CF(JB, O(FLOAT8), jsonb_to_number),
};
const size_t dh__sqljson_casts_n = DH_ARRAY_SIZE(dh__sqljson_casts);
