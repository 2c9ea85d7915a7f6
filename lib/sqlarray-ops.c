/*
 * sqlarray-ops: the array types in sqltype's catalog.  One ops struct
 * serves every array type (_int4, _text, _date, ...): it hands lib/sqlarray.h
 * a struct dh_array_elem whose callbacks are the element type's catalog
 * entries (dh_sqltype_in/out/cmp/hash/send/recv).  Also the array rows of
 * pg_operator and pg_proc, which are polymorphic (anyarray,
 * anycompatiblearray, anycompatible): they read the element type from
 * c->argtypes, and the array casts PostgreSQL makes up from an element
 * cast (find_coercion_pathway's ArrayCoerceExpr).
 */
#include <string.h>

#include "sqlarray.h"
#include "sqltype-int.h"

#define O(x) DH_OID_##x
typedef const struct dh_value *argv_t;

/* --- the element type --- */

static int
e_in(void *ctx, const char *s, size_t n, struct dh_arena *a, struct dh_value *out,
     struct dh_err *err)
{
	const struct dh__sqlelem *c = ctx;
	return dh_sqltype_in(c->oid, -1, s, n, c->env, a, out, err);
}

static int
e_out(void *ctx, const struct dh_value *v, struct dh_buf *b)
{
	const struct dh__sqlelem *c = ctx;
	return dh_sqltype_out(c->oid, v, c->env, b);
}

static int
e_cmp(void *ctx, const struct dh_value *x, const struct dh_value *y)
{
	const struct dh__sqlelem *c = ctx;
	return dh_sqltype_cmp(c->oid, x, y);
}

static uint64_t
e_hash(void *ctx, const struct dh_value *v)
{
	const struct dh__sqlelem *c = ctx;
	return dh_sqltype_hash(c->oid, v);
}

static int
e_send(void *ctx, const struct dh_value *v, struct dh_buf *b)
{
	const struct dh__sqlelem *c = ctx;
	struct dh_err err;
	memset(&err, 0, sizeof(err));
	return dh_sqltype_send(c->oid, v, b, &err);
}

static int
e_recv(void *ctx, const unsigned char *p, size_t n, struct dh_arena *a, struct dh_value *out,
       struct dh_err *err)
{
	const struct dh__sqlelem *c = ctx;
	return dh_sqltype_recv(c->oid, -1, p, n, a, out, err);
}

void
dh__sqlarray_elem(uint32_t elem, const struct dh_sqlenv *env, struct dh__sqlelem *ctx)
{
	ctx->oid = elem;
	ctx->env = env;
	ctx->et =
	    (struct dh_array_elem){elem, ',', ctx, e_in, e_out, e_cmp, e_hash, e_send, e_recv};
}

/* The element type of array type oid (0 if oid is not an array type). */
static uint32_t
elem_of(uint32_t oid)
{
	const struct dh_sqltype *t = dh_sqltype_by_oid(oid);
	return t && t->category == 'A' ? t->elem : 0;
}

/* --- the type ops --- */

/* each element coerced to typmod (varchar(3)[], numeric(5,2)[]) */
static int
coerce_elems(uint32_t elem, const struct dh_value *v, int32_t typmod, int explicit_,
	     struct dh_arena *a, struct dh_value *out, struct dh_err *err)
{
	struct dh_array arr;
	struct dh_value *e;
	int rc;
	if ((rc = dh_array_unpack(v, a, &arr, err)))
		return rc;
	e = dh_arena_alloc(a, (arr.n ? arr.n : 1) * sizeof(*e));
	for (size_t i = 0; i < arr.n; i++)
		if ((rc = dh_sqltype_coerce(elem, &arr.e[i], typmod, explicit_, a, &e[i], err)))
			return rc;
	arr.e = e;
	dh_array_pack(&arr, a, out);
	return 0;
}

static int
type_in(const struct dh_sqltype *t, const char *s, size_t n, int32_t typmod,
	const struct dh_sqlenv *env, struct dh_arena *a, struct dh_value *out, struct dh_err *err)
{
	struct dh__sqlelem ec;
	int rc;
	dh__sqlarray_elem(t->elem, env, &ec);
	if ((rc = dh_array_in(&ec.et, s, n, a, out, err)))
		return rc;
	if (typmod >= 0)
		return coerce_elems(t->elem, out, typmod, 0, a, out, err);
	return 0;
}

static int
type_out(const struct dh_sqltype *t, const struct dh_value *v, const struct dh_sqlenv *env,
	 struct dh_buf *b)
{
	struct dh__sqlelem ec;
	dh__sqlarray_elem(t->elem, env, &ec);
	return dh_array_out(&ec.et, v, b);
}

static int
type_send(const struct dh_sqltype *t, const struct dh_value *v, struct dh_buf *b,
	  struct dh_err *err)
{
	struct dh__sqlelem ec;
	const struct dh_sqltype_ops *eo = dh_sqltype_ops_of(dh_sqltype_by_oid(t->elem));
	if (!eo || !eo->send)
		return dh_err_sql(err, "0A000", "binary output of type %s is not supported",
				  t->sqlname);
	dh__sqlarray_elem(t->elem, NULL, &ec);
	return dh_array_send(&ec.et, v, b);
}

static int
type_recv(const struct dh_sqltype *t, const unsigned char *p, size_t n, int32_t typmod,
	  struct dh_arena *a, struct dh_value *out, struct dh_err *err)
{
	struct dh__sqlelem ec;
	int rc;
	dh__sqlarray_elem(t->elem, NULL, &ec);
	if ((rc = dh_array_recv(&ec.et, p, n, a, out, err)))
		return rc;
	if (typmod >= 0)
		return coerce_elems(t->elem, out, typmod, 0, a, out, err);
	return 0;
}

static int
type_cmp(const struct dh_sqltype *t, const struct dh_value *x, const struct dh_value *y)
{
	struct dh__sqlelem ec;
	dh__sqlarray_elem(t->elem, NULL, &ec);
	return dh_array_cmp(&ec.et, x, y);
}

static uint64_t
type_hash(const struct dh_sqltype *t, const struct dh_value *v)
{
	struct dh__sqlelem ec;
	dh__sqlarray_elem(t->elem, NULL, &ec);
	return dh_array_hash(&ec.et, v);
}

static int
type_coerce(const struct dh_sqltype *t, const struct dh_value *v, int32_t typmod, int explicit_,
	    struct dh_arena *a, struct dh_value *out, struct dh_err *err)
{
	return coerce_elems(t->elem, v, typmod, explicit_, a, out, err);
}

const struct dh_sqltype_ops dh__sqlarray_type_ops = {
    type_in, type_out, type_send, type_recv, type_cmp, type_hash, type_coerce, NULL, NULL,
};

/* --- the text forms of an array's elements (to_json) --- */

static int
texts(uint32_t elem, const struct dh_value *v, const struct dh_sqlenv *env, struct dh_arena *a,
      struct dh_value *out)
{
	const struct dh_coll *c = v->coll;
	struct dh_coll *r;
	int rc;
	if (c->kind == DH_COLL_LIST && c->n == 2 && c->items[1].type == DH_T_COLL)
		return texts(elem, &c->items[1], env, a, out); /* (bounds, data) */
	r = dh_arena_alloc(a, sizeof(*r));
	r->kind = DH_COLL_VECTOR;
	r->n = c->n;
	r->items = dh_arena_alloc(a, (c->n ? c->n : 1) * sizeof(*r->items));
	for (size_t i = 0; i < c->n; i++) {
		const struct dh_value *e = &c->items[i];
		struct dh_buf b;
		if (e->type == DH_T_NONE) {
			r->items[i] = *e;
			continue;
		}
		if (e->type == DH_T_COLL) {
			if ((rc = texts(elem, e, env, a, &r->items[i])))
				return rc;
			continue;
		}
		dh_buf_init(&b, 0);
		rc = dh_sqltype_out(elem, e, env, &b);
		r->items[i] = (struct dh_value){.type = DH_T_STRING};
		r->items[i].s.p = dh_arena_strndup(a, b.len ? (const char *)b.p : "", b.len);
		r->items[i].s.n = b.len;
		dh_buf_release(&b);
		if (rc)
			return rc;
	}
	*out = (struct dh_value){.type = DH_T_COLL};
	out->coll = r;
	return 0;
}

int
dh__sqlarray_texts(uint32_t arrtype, const struct dh_value *v, const struct dh_sqlenv *env,
		   struct dh_arena *a, struct dh_value *out)
{
	if (v->type != DH_T_COLL)
		return DH_EBADVALUE;
	return texts(elem_of(arrtype), v, env, a, out);
}

/* --- operators and functions --- */

/* The element type of polymorphic argument i: an array's element, or the
 * argument's own type.  42804 when the caller did not say. */
static int
poly_elem(struct dh_sqlcall *c, int i, struct dh__sqlelem *ec)
{
	uint32_t t = c->argtypes ? c->argtypes[i] : 0, e = elem_of(t);
	if (!t || t == DH_OID_UNKNOWN)
		return dh_err_sql(c->err, "42804",
				  "could not determine polymorphic type because input has type "
				  "unknown");
	dh__sqlarray_elem(e ? e : t, c->env, ec);
	return 0;
}

#define WITH_ET(i)                                                                                 \
	struct dh__sqlelem ec;                                                                     \
	int rc_;                                                                                   \
	if ((rc_ = poly_elem(c, i, &ec)))                                                          \
	return rc_

static int
arr_cmp(struct dh_sqlcall *c, argv_t a, int *r)
{
	WITH_ET(0);
	*r = dh_array_cmp(&ec.et, &a[0], &a[1]);
	return 0;
}

#define CMP_FN(K, OP)                                                                              \
	static int array_##K(struct dh_sqlcall *c, argv_t a, struct dh_value *o)                   \
	{                                                                                          \
		int r, rc = arr_cmp(c, a, &r);                                                     \
		if (rc == 0)                                                                       \
			*o = dh__v_bool(r OP 0);                                                   \
		return rc;                                                                         \
	}
CMP_FN(eq, ==)
CMP_FN(ne, !=)
CMP_FN(lt, <)
CMP_FN(le, <=)
CMP_FN(gt, >)
CMP_FN(ge, >=)

static int
btarraycmp(struct dh_sqlcall *c, argv_t a, struct dh_value *o)
{
	int r, rc = arr_cmp(c, a, &r);
	if (rc == 0)
		*o = dh__v_long(r < 0 ? -1 : r > 0);
	return rc;
}

static int
array_larger(struct dh_sqlcall *c, argv_t a, struct dh_value *o)
{
	int r, rc = arr_cmp(c, a, &r);
	if (rc == 0)
		*o = r > 0 ? a[0] : a[1];
	return rc;
}

static int
array_smaller(struct dh_sqlcall *c, argv_t a, struct dh_value *o)
{
	int r, rc = arr_cmp(c, a, &r);
	if (rc == 0)
		*o = r < 0 ? a[0] : a[1];
	return rc;
}

static int
arraycontains(struct dh_sqlcall *c, argv_t a, struct dh_value *o)
{
	WITH_ET(0);
	return dh_array_contains(&ec.et, &a[0], &a[1], c->arena, o, c->err);
}

static int
arraycontained(struct dh_sqlcall *c, argv_t a, struct dh_value *o)
{
	WITH_ET(0);
	return dh_array_contains(&ec.et, &a[1], &a[0], c->arena, o, c->err);
}

static int
arrayoverlap(struct dh_sqlcall *c, argv_t a, struct dh_value *o)
{
	WITH_ET(0);
	return dh_array_overlap(&ec.et, &a[0], &a[1], c->arena, o, c->err);
}

static int
array_cat(struct dh_sqlcall *c, argv_t a, struct dh_value *o)
{
	return dh_array_cat(&a[0], &a[1], c->arena, o, c->err);
}

static int
array_append(struct dh_sqlcall *c, argv_t a, struct dh_value *o)
{
	return dh_array_append(&a[0], &a[1], c->arena, o, c->err);
}

static int
array_prepend(struct dh_sqlcall *c, argv_t a, struct dh_value *o)
{
	return dh_array_prepend(&a[0], &a[1], c->arena, o, c->err);
}

static int
array_length(struct dh_sqlcall *c, argv_t a, struct dh_value *o)
{
	return dh_array_length(&a[0], a[1].i, c->arena, o, c->err);
}

static int
array_lower(struct dh_sqlcall *c, argv_t a, struct dh_value *o)
{
	return dh_array_lower(&a[0], a[1].i, c->arena, o, c->err);
}

static int
array_upper(struct dh_sqlcall *c, argv_t a, struct dh_value *o)
{
	return dh_array_upper(&a[0], a[1].i, c->arena, o, c->err);
}

static int
cardinality(struct dh_sqlcall *c, argv_t a, struct dh_value *o)
{
	return dh_array_cardinality(&a[0], c->arena, o, c->err);
}

static int
array_ndims(struct dh_sqlcall *c, argv_t a, struct dh_value *o)
{
	return dh_array_ndims(&a[0], c->arena, o, c->err);
}

static int
array_dims(struct dh_sqlcall *c, argv_t a, struct dh_value *o)
{
	return dh_array_dims(&a[0], c->arena, o, c->err);
}

static int
array_position(struct dh_sqlcall *c, argv_t a, struct dh_value *o)
{
	WITH_ET(0);
	return dh_array_position(&ec.et, &a[0], &a[1], c->nargs > 2 ? &a[2] : NULL, c->arena, o,
				 c->err);
}

static int
array_positions(struct dh_sqlcall *c, argv_t a, struct dh_value *o)
{
	WITH_ET(0);
	return dh_array_positions(&ec.et, &a[0], &a[1], c->arena, o, c->err);
}

static int
array_remove(struct dh_sqlcall *c, argv_t a, struct dh_value *o)
{
	WITH_ET(0);
	return dh_array_remove(&ec.et, &a[0], &a[1], c->arena, o, c->err);
}

static int
array_replace(struct dh_sqlcall *c, argv_t a, struct dh_value *o)
{
	WITH_ET(0);
	return dh_array_replace(&ec.et, &a[0], &a[1], &a[2], c->arena, o, c->err);
}

static int
array_to_text(struct dh_sqlcall *c, argv_t a, struct dh_value *o)
{
	WITH_ET(0);
	return dh_array_to_string(&ec.et, &a[0], &a[1], c->nargs > 2 ? &a[2] : NULL, c->arena, o,
				  c->err);
}

static int
text_to_array(struct dh_sqlcall *c, argv_t a, struct dh_value *o)
{
	struct dh__sqlelem ec;
	dh__sqlarray_elem(DH_OID_TEXT, c->env, &ec);
	return dh_string_to_array(&ec.et, &a[0], &a[1], c->nargs > 2 ? &a[2] : NULL, c->arena, o,
				  c->err);
}

/* array_fill(value, dims [, lower bounds]): the value may be NULL */
static int
array_fill(struct dh_sqlcall *c, argv_t a, struct dh_value *o)
{
	struct dh_array d, l = {0}, r = {0};
	int rc;
	if (a[1].type == DH_T_NONE || (c->nargs > 2 && a[2].type == DH_T_NONE))
		return dh_err_sql(c->err, "22004",
				  "dimension array or low bound array cannot be null");
	if ((rc = dh_array_unpack(&a[1], c->arena, &d, c->err)) ||
	    (c->nargs > 2 && (rc = dh_array_unpack(&a[2], c->arena, &l, c->err))))
		return rc;
	if (d.ndim > 1 || (c->nargs > 2 && l.ndim > 1)) {
		dh_err_sql(c->err, "2202E", "wrong number of array subscripts");
		dh_err_detail(c->err, "Dimension array must be one dimensional.");
		return DH_ESQL;
	}
	if (c->nargs > 2 && l.n != d.n) {
		dh_err_sql(c->err, "2202E", "wrong number of array subscripts");
		dh_err_detail(c->err, "Low bound array has different size than dimensions array.");
		return DH_ESQL;
	}
	if (d.n > DH_ARRAY_MAXDIM)
		return dh_err_sql(c->err, "54000",
				  "number of array dimensions (%zu) exceeds the maximum allowed (%d)",
				  d.n, DH_ARRAY_MAXDIM);
	r.ndim = (int)d.n;
	r.n = d.n ? 1 : 0;
	for (size_t i = 0; i < d.n; i++) {
		if (d.e[i].type == DH_T_NONE || (l.n && l.e[i].type == DH_T_NONE))
			return dh_err_sql(c->err, "22004", "dimension values cannot be null");
		if (d.e[i].i < 0 || (double)r.n * (double)d.e[i].i > 134217727.0)
			return dh_err_sql(c->err, "54000",
					  "array size exceeds the maximum allowed (%d)", 134217727);
		r.dims[i] = (int)d.e[i].i;
		r.lbs[i] = l.n ? (int)l.e[i].i : 1;
		r.n *= (size_t)r.dims[i];
	}
	if (r.n == 0)
		r.ndim = 0;
	r.e = dh_arena_alloc(c->arena, (r.n ? r.n : 1) * sizeof(*r.e));
	for (size_t i = 0; i < r.n; i++)
		r.e[i] = a[0];
	dh_array_pack(&r, c->arena, o);
	return 0;
}

/* --- the casts between array types --- */

static int
array_coerce(struct dh_sqlcall *c, argv_t a, struct dh_value *o)
{
	uint32_t se = elem_of(c->argtypes ? c->argtypes[0] : 0), te = elem_of(c->rettype);
	struct dh_sqlcast ec;
	struct dh_array arr;
	struct dh_value *e;
	int rc;
	if (!se || !te || !dh_sqlcast_find(se, te, &ec))
		return dh_err_sql(c->err, "XX000", "no element cast for this array cast");
	if ((rc = dh_array_unpack(&a[0], c->arena, &arr, c->err)))
		return rc;
	e = dh_arena_alloc(c->arena, (arr.n ? arr.n : 1) * sizeof(*e));
	for (size_t i = 0; i < arr.n; i++)
		if ((rc = dh_sqlcast_apply(&ec, -1, -1, 1, &arr.e[i], c->env, c->arena, &e[i],
					   c->err)))
			return rc;
	arr.e = e;
	dh_array_pack(&arr, c->arena, o);
	return 0;
}

int
dh__sqlarray_cast_find(uint32_t source, uint32_t target, struct dh_sqlcast *out)
{
	uint32_t se = elem_of(source), te = elem_of(target);
	struct dh_sqlcast ec;
	if (!se || !te || source == DH_OID_INT2VECTOR || source == DH_OID_OIDVECTOR ||
	    target == DH_OID_INT2VECTOR || target == DH_OID_OIDVECTOR)
		return 0;
	if (!dh_sqlcast_find(se, te, &ec))
		return 0;
	*out = (struct dh_sqlcast){source, target, ec.context, DH_CAST_FUNCTION, array_coerce};
	return 1;
}

/* --- the tables --- */

#define ANYA O(ANYARRAY)
#define ACA O(ANYCOMPATIBLEARRAY)
#define AC O(ANYCOMPATIBLE)
#define OP(n, l, r, res, f_, pro)                                                                  \
	{                                                                                          \
		.name = n, .left = l, .right = r, .result = res, .fn = f_, .proname = pro          \
	}
/* array_append and friends take a NULL array as empty */
#define OPN(n, l, r, res, f_, pro)                                                                 \
	{                                                                                          \
		.name = n, .left = l, .right = r, .result = res, .fn = f_, .proname = pro,         \
		.nonstrict = 1                                                                     \
	}

const struct dh_sqlop dh__sqlarray_ops[] = {
    OP("=", ANYA, ANYA, O(BOOL), array_eq, "array_eq"),
    OP("<>", ANYA, ANYA, O(BOOL), array_ne, "array_ne"),
    OP("<", ANYA, ANYA, O(BOOL), array_lt, "array_lt"),
    OP("<=", ANYA, ANYA, O(BOOL), array_le, "array_le"),
    OP(">", ANYA, ANYA, O(BOOL), array_gt, "array_gt"),
    OP(">=", ANYA, ANYA, O(BOOL), array_ge, "array_ge"),
    OP("@>", ANYA, ANYA, O(BOOL), arraycontains, "arraycontains"),
    OP("<@", ANYA, ANYA, O(BOOL), arraycontained, "arraycontained"),
    OP("&&", ANYA, ANYA, O(BOOL), arrayoverlap, "arrayoverlap"),
    OPN("||", ACA, ACA, ACA, array_cat, "array_cat"),
    OPN("||", ACA, AC, ACA, array_append, "array_append"),
    OPN("||", AC, ACA, ACA, array_prepend, "array_prepend"),
};
const size_t dh__sqlarray_ops_n = DH_ARRAY_SIZE(dh__sqlarray_ops);

#define PR(n, na, a, res, f_, src, ns)                                                             \
	{                                                                                          \
		.name = n, .nargs = na, .args = a, .result = res, .fn = f_, .prosrc = src,         \
		.nonstrict = ns                                                                    \
	}
#define A1(x)                                                                                      \
	{                                                                                          \
		x                                                                                  \
	}
#define A2(x, y)                                                                                   \
	{                                                                                          \
		x, y                                                                               \
	}
#define A3(x, y, z)                                                                                \
	{                                                                                          \
		x, y, z                                                                            \
	}
#define I4 O(INT4)
#define TX O(TEXT)

const struct dh_sqlproc dh__sqlarray_procs[] = {
    PR("array_eq", 2, A2(ANYA, ANYA), O(BOOL), array_eq, "array_eq", 0),
    PR("array_ne", 2, A2(ANYA, ANYA), O(BOOL), array_ne, "array_ne", 0),
    PR("array_lt", 2, A2(ANYA, ANYA), O(BOOL), array_lt, "array_lt", 0),
    PR("btarraycmp", 2, A2(ANYA, ANYA), I4, btarraycmp, "btarraycmp", 0),
    PR("array_larger", 2, A2(ANYA, ANYA), ANYA, array_larger, "array_larger", 0),
    PR("array_smaller", 2, A2(ANYA, ANYA), ANYA, array_smaller, "array_smaller", 0),
    PR("arraycontains", 2, A2(ANYA, ANYA), O(BOOL), arraycontains, "arraycontains", 0),
    PR("arraycontained", 2, A2(ANYA, ANYA), O(BOOL), arraycontained, "arraycontained", 0),
    PR("arrayoverlap", 2, A2(ANYA, ANYA), O(BOOL), arrayoverlap, "arrayoverlap", 0),
    PR("array_cat", 2, A2(ACA, ACA), ACA, array_cat, "array_cat", 1),
    PR("array_append", 2, A2(ACA, AC), ACA, array_append, "array_append", 1),
    PR("array_prepend", 2, A2(AC, ACA), ACA, array_prepend, "array_prepend", 1),
    PR("array_length", 2, A2(ANYA, I4), I4, array_length, "array_length", 0),
    PR("array_lower", 2, A2(ANYA, I4), I4, array_lower, "array_lower", 0),
    PR("array_upper", 2, A2(ANYA, I4), I4, array_upper, "array_upper", 0),
    PR("cardinality", 1, A1(ANYA), I4, cardinality, "array_cardinality", 0),
    PR("array_ndims", 1, A1(ANYA), I4, array_ndims, "array_ndims", 0),
    PR("array_dims", 1, A1(ANYA), TX, array_dims, "array_dims", 0),
    PR("array_position", 2, A2(ACA, AC), I4, array_position, "array_position", 1),
    PR("array_position", 3, A3(ACA, AC, I4), I4, array_position, "array_position_start", 1),
    PR("array_positions", 2, A2(ACA, AC), O(INT4_ARRAY), array_positions, "array_positions", 1),
    PR("array_remove", 2, A2(ACA, AC), ACA, array_remove, "array_remove", 1),
    PR("array_replace", 3, A3(ACA, AC, AC), ACA, array_replace, "array_replace", 1),
    PR("array_to_string", 2, A2(ANYA, TX), TX, array_to_text, "array_to_text", 0),
    PR("array_to_string", 3, A3(ANYA, TX, TX), TX, array_to_text, "array_to_text_null", 1),
    PR("array_fill", 2, A2(O(ANYELEMENT), O(INT4_ARRAY)), ANYA, array_fill, "array_fill", 1),
    PR("array_fill", 3, A3(O(ANYELEMENT), O(INT4_ARRAY), O(INT4_ARRAY)), ANYA, array_fill,
       "array_fill_with_lower_bounds", 1),
    PR("string_to_array", 2, A2(TX, TX), O(TEXT_ARRAY), text_to_array, "text_to_array", 1),
    PR("string_to_array", 3, A3(TX, TX, TX), O(TEXT_ARRAY), text_to_array, "text_to_array_null", 1),
};
const size_t dh__sqlarray_procs_n = DH_ARRAY_SIZE(dh__sqlarray_procs);
