/*
 * sqlc-agg: aggregates (count, sum, avg, min, max, bool_and, bool_or,
 * string_agg, with DISTINCT and FILTER), grouping rows by key, and the row
 * hashing and sorting that grouping, DISTINCT, set operations and ORDER BY
 * share.  Keys compare as PostgreSQL's btree opclasses do (sqltype), NULLs
 * equal to each other for grouping.
 */
#include <stdlib.h>
#include <string.h>

#include "sqlc-int.h"

static int
eval_row(struct sqlc_sel *S, const struct dh_sqlx *x, const struct dh_value *row,
	 struct dh_value *out)
{
	struct dh_sqlx_run run = {.a = S->a, .err = S->r->err, .env = S->cc.env, .row = row,
				  .outer = S->outer};
	return dh_sqlx_eval(x, &run, out);
}

/* --- aggregates --- */

enum aggk { AG_COUNT, AG_COUNT_STAR, AG_SUM, AG_AVG, AG_MIN, AG_MAX, AG_BOOL_AND, AG_BOOL_OR,
	    AG_STRING_AGG };

struct sqlc_agg {
	enum aggk k;
	int distinct;
	struct dh_sqlx *arg, *arg2, *filter;
	uint32_t argtype, type;
	const struct dh_sqlop *plus; /* sum/avg: the addition */
};

int
dh__sqlc_agg_hook(void *ctx, const PgQuery__FuncCall *fc, int *slot, uint32_t *type, int32_t *typmod,
	 struct dh_err *err)
{
	struct sqlc_sel *S = ctx;
	const char *name = dh__sqlc_str(fc->funcname[fc->n_funcname - 1]);
	static const struct {
		const char *n;
		enum aggk k;
	} known[] = {{"count", AG_COUNT}, {"sum", AG_SUM},	   {"avg", AG_AVG},
		     {"min", AG_MIN},	  {"max", AG_MAX},	   {"bool_and", AG_BOOL_AND},
		     {"bool_or", AG_BOOL_OR}, {"every", AG_BOOL_AND}, {"string_agg", AG_STRING_AGG}};
	int ki = -1;
	for (size_t i = 0; name && i < DH_ARRAY_SIZE(known); i++)
		if (strcmp(name, known[i].n) == 0)
			ki = (int)i;
	if (ki < 0) {
		if (fc->over || fc->agg_star || fc->agg_distinct || fc->n_agg_order || fc->agg_filter) {
			dh_err_sql(err, "0A000", "%s %s is not supported yet",
				   fc->over ? "window function" : "aggregate", name ? name : "?");
			return dh__sql_at(S->r, fc->location, DH_ESQL);
		}
		return 1;
	}
	if (fc->over) {
		dh_err_sql(err, "0A000", "window functions are not supported yet");
		return dh__sql_at(S->r, fc->location, DH_ESQL);
	}
	if (S->phase == 0 || S->in_agg) {
		dh_err_sql(err, "42803", S->in_agg ? "aggregate function calls cannot be nested"
						   : "aggregate functions are not allowed in WHERE");
		return dh__sql_at(S->r, fc->location, DH_ESQL);
	}
	if (fc->n_agg_order) {
		dh_err_sql(err, "0A000", "ORDER BY in aggregates is not supported yet");
		return dh__sql_at(S->r, fc->location, DH_ESQL);
	}
	struct sqlc_agg g;
	memset(&g, 0, sizeof(g));
	g.k = known[ki].k;
	g.distinct = fc->agg_distinct;
	int rc;
	S->in_agg = 1;
	struct dh_sqlx_cc cc = S->cc;
	cc.scope = &S->grouped;
	size_t want = g.k == AG_STRING_AGG ? 2 : 1;
	if (fc->agg_star) {
		if (g.k != AG_COUNT) {
			S->in_agg = 0;
			dh_err_sql(err, "42809", "%s(*) is not an aggregate", name);
			return dh__sql_at(S->r, fc->location, DH_ESQL);
		}
		g.k = AG_COUNT_STAR;
	} else if (fc->n_args != want) {
		S->in_agg = 0;
		dh_err_sql(err, "42883", "function %s with %zu arguments does not exist", name,
			   fc->n_args);
		return dh__sql_at(S->r, fc->location, DH_ESQL);
	} else {
		if ((rc = dh_sqlx_compile(&cc, fc->args[0], &g.arg)) ||
		    (rc = dh_sqlx_resolve_unknown(&cc, g.arg, &g.arg))) {
			S->in_agg = 0;
			return rc;
		}
		if (want == 2 && ((rc = dh_sqlx_compile(&cc, fc->args[1], &g.arg2)) ||
				  (rc = dh_sqlx_coerce(&cc, g.arg2, DH_OID_TEXT, -1, DH_CAST_IMPLICIT,
						       NULL, &g.arg2)))) {
			S->in_agg = 0;
			return rc;
		}
		g.argtype = g.arg->type;
	}
	if (fc->agg_filter &&
	    ((rc = dh_sqlx_compile(&cc, fc->agg_filter, &g.filter)) ||
	     (rc = dh_sqlx_coerce_bool(&cc, g.filter, "FILTER", &g.filter)))) {
		S->in_agg = 0;
		return rc;
	}
	S->in_agg = 0;
	uint32_t t = g.argtype;
	switch (g.k) {
	case AG_COUNT:
	case AG_COUNT_STAR:
		g.type = DH_OID_INT8;
		break;
	case AG_SUM:
	case AG_AVG:
		if (t == DH_OID_INT2 || t == DH_OID_INT4)
			g.type = g.k == AG_SUM ? DH_OID_INT8 : DH_OID_NUMERIC;
		else if (t == DH_OID_INT8 || t == DH_OID_NUMERIC)
			g.type = DH_OID_NUMERIC;
		else if (t == DH_OID_FLOAT4)
			g.type = g.k == AG_SUM ? DH_OID_FLOAT4 : DH_OID_FLOAT8;
		else if (t == DH_OID_FLOAT8)
			g.type = DH_OID_FLOAT8;
		else if (t == DH_OID_INTERVAL)
			g.type = DH_OID_INTERVAL;
		else {
			dh_err_sql(err, "42883", "function %s(%s) does not exist", name,
				   dh_sqltype_by_oid(t) ? dh_sqltype_by_oid(t)->sqlname : "?");
			dh_err_hint(err, "No function matches the given name and argument types. "
					 "You might need to add explicit type casts.");
			return dh__sql_at(S->r, fc->location, DH_ESQL);
		}
		if (g.type != t) {
			cc.scope = &S->grouped;
			S->in_agg = 1;
			rc = dh_sqlx_coerce(&cc, g.arg, g.type, -1, DH_CAST_IMPLICIT, NULL, &g.arg);
			S->in_agg = 0;
			if (rc)
				return rc;
		}
		g.plus = dh_sqlop_find("+", g.type, g.type);
		break;
	case AG_MIN:
	case AG_MAX:
		g.type = t;
		break;
	case AG_BOOL_AND:
	case AG_BOOL_OR:
		g.type = DH_OID_BOOL;
		S->in_agg = 1;
		rc = dh_sqlx_coerce_bool(&cc, g.arg, name, &g.arg);
		S->in_agg = 0;
		if (rc)
			return rc;
		break;
	case AG_STRING_AGG:
		g.type = DH_OID_TEXT;
		S->in_agg = 1;
		rc = dh_sqlx_coerce(&cc, g.arg, DH_OID_TEXT, -1, DH_CAST_IMPLICIT, NULL, &g.arg);
		S->in_agg = 0;
		if (rc)
			return rc;
		break;
	}
	if (S->nagg == S->aagg) {
		S->aagg = S->aagg ? 2 * S->aagg : 8;
		struct sqlc_agg *n = dh_arena_alloc(S->a, (size_t)S->aagg * sizeof(*n));
		if (S->nagg)
			memcpy(n, S->aggs, (size_t)S->nagg * sizeof(*n));
		S->aggs = n;
	}
	S->aggs[S->nagg] = g;
	S->has_agg = 1;
	*slot = S->ngroup + S->nagg++;
	*type = g.type;
	*typmod = -1;
	return 0;
}

int
dh__sqlc_no_agg_hook(void *ctx, const PgQuery__FuncCall *fc, int *slot, uint32_t *type, int32_t *typmod,
	    struct dh_err *err)
{
	struct sqlc_sel *S = ctx;
	(void)slot, (void)type, (void)typmod;
	const char *name = dh__sqlc_str(fc->funcname[fc->n_funcname - 1]);
	static const char *const aggs[] = {"count", "sum",	"avg",	"min",
					   "max",   "bool_and", "bool_or", "every",
					   "string_agg", "array_agg", "stddev", "variance"};
	int is_agg = fc->agg_star || fc->agg_distinct || fc->n_agg_order || fc->agg_filter;
	for (size_t i = 0; name && i < DH_ARRAY_SIZE(aggs); i++)
		is_agg |= strcmp(name, aggs[i]) == 0;
	if (fc->over) {
		dh_err_sql(err, "42P20", "window functions are not allowed in WHERE");
		return dh__sql_at(S->r, fc->location, DH_ESQL);
	}
	if (!is_agg)
		return 1;
	dh_err_sql(err, "42803", "aggregate functions are not allowed in WHERE");
	return dh__sql_at(S->r, fc->location, DH_ESQL);
}


static uint64_t
key_hash(const struct dh_value *k, const uint32_t *types, int n)
{
	uint64_t h = 1469598103934665603ull;
	for (int i = 0; i < n; i++)
		h = (h ^ dh_sqltype_hash(types[i], &k[i])) * 1099511628211ull;
	return h;
}

/* NULLs group together (IS NOT DISTINCT FROM). */
static int
key_eq(const struct dh_value *a, const struct dh_value *b, const uint32_t *types, int n)
{
	for (int i = 0; i < n; i++) {
		int an = a[i].type == DH_T_NONE, bn = b[i].type == DH_T_NONE;
		if (an || bn) {
			if (an != bn)
				return 0;
			continue;
		}
		if (dh_sqltype_cmp(types[i], &a[i], &b[i]) != 0)
			return 0;
	}
	return 1;
}

/* Find the key among keys[] (stride w) or add it as row n; returns the
 * row index and sets *isnew. */
size_t
dh__sqlc_rowtab_put(struct sqlc_rowtab *t, const struct dh_value *keys, size_t w, const uint32_t *types,
	   int nk, size_t n, int *isnew)
{
	if ((t->n + 1) * 2 > t->cap) {
		size_t nc = t->cap ? 2 * t->cap : 64;
		size_t *ni = xcalloc(nc, sizeof(*ni));
		for (size_t i = 0; i < t->cap; i++)
			if (t->idx[i]) {
				size_t r = t->idx[i] - 1;
				uint64_t h = key_hash(keys + r * w, types, nk);
				size_t j = h & (nc - 1);
				while (ni[j])
					j = (j + 1) & (nc - 1);
				ni[j] = t->idx[i];
			}
		free(t->idx);
		t->idx = ni;
		t->cap = nc;
	}
	uint64_t h = key_hash(keys + n * w, types, nk);
	size_t j = h & (t->cap - 1);
	while (t->idx[j]) {
		size_t r = t->idx[j] - 1;
		if (key_eq(keys + r * w, keys + n * w, types, nk)) {
			*isnew = 0;
			return r;
		}
		j = (j + 1) & (t->cap - 1);
	}
	t->idx[j] = n + 1;
	t->n++;
	*isnew = 1;
	return n;
}

/* Aggregate state per group. */
struct aggst {
	struct dh_value v; /* running value (sum, min, max, bool, count) */
	int64_t n;
	struct dh_buf *str; /* string_agg */
	struct sqlc_rowtab seen; /* DISTINCT */
	struct dh_value *seenv;
	size_t nseen, aseen;
};

static int
agg_step(struct sqlc_sel *S, struct sqlc_agg *g, struct aggst *st, const struct dh_value *row)
{
	int rc;
	if (g->filter) {
		struct dh_sqlx_run run = {.a = S->a, .err = S->r->err, .env = S->cc.env, .row = row};
		if ((rc = dh_sqlx_test(g->filter, &run)) <= 0)
			return rc;
	}
	if (g->k == AG_COUNT_STAR) {
		st->n++;
		return 0;
	}
	struct dh_value v, d = {.type = DH_T_NONE};
	if ((rc = eval_row(S, g->arg, row, &v)))
		return rc;
	if (v.type == DH_T_NONE)
		return 0;
	if (g->arg2 && (rc = eval_row(S, g->arg2, row, &d)))
		return rc;
	if (g->distinct) {
		if (st->nseen == st->aseen) {
			st->aseen = st->aseen ? 2 * st->aseen : 16;
			st->seenv = xrealloc(st->seenv, st->aseen * sizeof(*st->seenv));
		}
		st->seenv[st->nseen] = v;
		int isnew;
		uint32_t t = g->arg->type;
		dh__sqlc_rowtab_put(&st->seen, st->seenv, 1, &t, 1, st->nseen, &isnew);
		if (!isnew)
			return 0;
		st->nseen++;
	}
	st->n++;
	switch (g->k) {
	case AG_COUNT:
	case AG_COUNT_STAR:
		break;
	case AG_SUM:
	case AG_AVG:
		if (st->v.type == DH_T_NONE) {
			st->v = v;
		} else {
			struct dh_sqlcall c = {.arena = S->a, .err = S->r->err, .env = S->cc.env,
					       .nargs = 2};
			struct dh_value args[2] = {st->v, v};
			if (!g->plus)
				return dh_err_sql(S->r->err, "XX000", "no addition for this type");
			if ((rc = dh_sqlfn_call(g->plus->fn, &c, args, &st->v)))
				return rc;
		}
		break;
	case AG_MIN:
	case AG_MAX:
		if (st->v.type == DH_T_NONE) {
			st->v = v;
		} else {
			int cmp = dh_sqltype_cmp(g->type, &v, &st->v);
			if ((g->k == AG_MIN && cmp < 0) || (g->k == AG_MAX && cmp > 0))
				st->v = v;
		}
		break;
	case AG_BOOL_AND:
		if (st->v.type == DH_T_NONE)
			st->v = v;
		else
			st->v.b = st->v.b && v.b;
		break;
	case AG_BOOL_OR:
		if (st->v.type == DH_T_NONE)
			st->v = v;
		else
			st->v.b = st->v.b || v.b;
		break;
	case AG_STRING_AGG:
		if (!st->str) {
			st->str = dh_arena_zalloc(S->a, sizeof(*st->str));
			dh_buf_init(st->str, 0);
		} else if (d.type == DH_T_STRING) {
			dh_buf_add(st->str, d.s.p, d.s.n);
		}
		dh_buf_add(st->str, v.s.p, v.s.n);
		break;
	}
	return 0;
}

static int
agg_final(struct sqlc_sel *S, struct sqlc_agg *g, struct aggst *st, struct dh_value *out)
{
	free(st->seen.idx);
	free(st->seenv);
	out->type = DH_T_NONE;
	switch (g->k) {
	case AG_COUNT:
	case AG_COUNT_STAR:
		*out = (struct dh_value){.type = DH_T_LONG, .i = st->n};
		return 0;
	case AG_AVG: {
		if (st->n == 0)
			return 0;
		struct dh_value cnt;
		if (g->type == DH_OID_NUMERIC) {
			dh_sqlnum_from_int64(st->n, S->a, &cnt);
		} else if (g->type == DH_OID_FLOAT8) {
			cnt = (struct dh_value){.type = DH_T_DOUBLE, .d = (double)st->n};
		} else {
			cnt = (struct dh_value){.type = DH_T_DOUBLE, .d = (double)st->n};
		}
		uint32_t rt = g->type == DH_OID_INTERVAL ? DH_OID_FLOAT8 : g->type;
		const struct dh_sqlop *div = dh_sqlop_find("/", g->type, rt);
		if (!div)
			return dh_err_sql(S->r->err, "0A000", "avg of this type is not supported yet");
		struct dh_sqlcall c = {.arena = S->a, .err = S->r->err, .env = S->cc.env, .nargs = 2};
		struct dh_value args[2] = {st->v, cnt};
		return dh_sqlfn_call(div->fn, &c, args, out);
	}
	case AG_STRING_AGG:
		if (st->str) {
			*out = (struct dh_value){.type = DH_T_STRING};
			out->s.p = dh_arena_strndup(S->a, (const char *)st->str->p, st->str->len);
			out->s.n = st->str->len;
			dh_buf_release(st->str);
		}
		return 0;
	default:
		*out = st->v;
		return 0;
	}
}

/* Group rows (width w) by S->group and compute S->aggs: rows of ngroup +
 * nagg slots. */
int
dh__sqlc_group(struct sqlc_sel *S, const struct dh_value *rows, size_t n, size_t w,
	   struct dh_value **out, size_t *nout)
{
	int ng = S->ngroup, na = S->nagg, rc = 0;
	size_t ow = (size_t)(ng + na);
	uint32_t *types = dh_arena_alloc(S->a, (size_t)(ng + 1) * sizeof(*types));
	for (int i = 0; i < ng; i++)
		types[i] = S->group[i]->type;
	size_t cap = 16, cnt = 0;
	struct dh_value *keys = xmalloc(cap * (ow ? ow : 1) * sizeof(*keys));
	struct aggst *st = xcalloc(cap * (size_t)(na ? na : 1), sizeof(*st));
	struct sqlc_rowtab tab = {0};
	for (size_t r = 0; r < n && rc == 0; r++) {
		const struct dh_value *row = rows + r * w;
		if (cnt == cap) {
			cap *= 2;
			keys = xrealloc(keys, cap * (ow ? ow : 1) * sizeof(*keys));
			st = xrealloc(st, cap * (size_t)(na ? na : 1) * sizeof(*st));
			memset(st + cnt * (size_t)na, 0, (cap - cnt) * (size_t)na * sizeof(*st));
		}
		struct dh_value *k = keys + cnt * ow;
		for (int i = 0; i < ng && rc == 0; i++)
			rc = eval_row(S, S->group[i], row, &k[i]);
		if (rc)
			break;
		int isnew = 1;
		size_t gi = ng ? dh__sqlc_rowtab_put(&tab, keys, ow, types, ng, cnt, &isnew) : 0;
		if (!ng)
			isnew = cnt == 0;
		if (isnew)
			cnt++;
		for (int i = 0; i < na && rc == 0; i++)
			rc = agg_step(S, &S->aggs[i], &st[gi * (size_t)na + (size_t)i], row);
	}
	if (rc == 0 && ng == 0 && cnt == 0)
		cnt = 1; /* aggregates without GROUP BY: one row even over nothing */
	struct dh_value *o = dh_arena_alloc(S->a, (cnt ? cnt : 1) * (ow ? ow : 1) * sizeof(*o));
	for (size_t g = 0; g < cnt && rc == 0; g++) {
		memcpy(o + g * ow, keys + g * ow, (size_t)ng * sizeof(*o));
		for (int i = 0; i < na && rc == 0; i++)
			rc = agg_final(S, &S->aggs[i], &st[g * (size_t)na + (size_t)i],
				       &o[g * ow + (size_t)ng + (size_t)i]);
	}
	free(keys);
	free(st);
	free(tab.idx);
	*out = o;
	*nout = rc ? 0 : cnt;
	return rc;
}


void
dh__sqlc_rowtab_free(struct sqlc_rowtab *t)
{
	free(t->idx);
	t->idx = NULL;
	t->cap = t->n = 0;
}

struct sortctx {
	const struct sqlc_sort *k;
	int nk;
	size_t w, off;
	const struct dh_value *rows;
};

/* qsort has no context argument in C11; sorting does not nest */
static const struct sortctx *sort_ctx;

static int
row_cmp(const void *x, const void *y)
{
	size_t a = *(const size_t *)x, b = *(const size_t *)y;
	const struct sortctx *c = sort_ctx;
	const struct dh_value *ra = c->rows + a * c->w + c->off, *rb = c->rows + b * c->w + c->off;
	for (int i = 0; i < c->nk; i++) {
		int an = ra[i].type == DH_T_NONE, bn = rb[i].type == DH_T_NONE;
		if (an || bn) {
			if (an && bn)
				continue;
			return an ? (c->k[i].nulls_first ? -1 : 1) : (c->k[i].nulls_first ? 1 : -1);
		}
		int r = dh_sqltype_cmp(c->k[i].type, &ra[i], &rb[i]);
		if (r)
			return c->k[i].desc ? -r : r;
	}
	return a < b ? -1 : a > b; /* stable */
}

void
dh__sqlc_sort(size_t *ord, size_t n, const struct dh_value *rows, size_t w, size_t off,
	      const struct sqlc_sort *keys, int nk)
{
	struct sortctx c = {keys, nk, w, off, rows};
	sort_ctx = &c;
	qsort(ord, n, sizeof(*ord), row_cmp);
	sort_ctx = NULL;
}
