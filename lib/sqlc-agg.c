/*
 * sqlc-agg: aggregates (count, sum, avg, min, max, bool_and, bool_or,
 * string_agg, array_agg, json(b)_agg, json(b)_object_agg, with DISTINCT,
 * FILTER and ORDER BY), grouping rows by key, and the row
 * hashing and sorting that grouping, DISTINCT, set operations and ORDER BY
 * share.  Keys compare as PostgreSQL's btree opclasses do (sqltype), NULLs
 * equal to each other for grouping.
 */
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "sqlarray.h"
#include "sqlc-int.h"
#include "sqljson.h"

static int
eval_row(struct sqlc_sel *S, const struct dh_sqlx *x, const struct dh_value *row,
	 struct dh_value *out)
{
	struct dh_sqlx_run run = {.a = S->a, .err = S->r->err, .env = S->cc.env, .row = row,
				  .outer = S->outer};
	dh__sqlc_run_hooks(S, &run);
	return dh_sqlx_eval(x, &run, out);
}

static int
sb_location(const PgQuery__FuncCall *fc, int i)
{
	return fc->agg_order[i]->sort_by->location;
}

/* --- aggregates --- */

static const struct {
	const char *n;
	enum sqlc_aggk k;
} known_aggs[] = {
    {"count", AG_COUNT},	  {"sum", AG_SUM},		  {"avg", AG_AVG},
    {"min", AG_MIN},		  {"max", AG_MAX},		  {"bool_and", AG_BOOL_AND},
    {"bool_or", AG_BOOL_OR},	  {"every", AG_BOOL_AND},	  {"string_agg", AG_STRING_AGG},
    {"array_agg", AG_ARRAY_AGG},  {"variance", AG_VAR_SAMP},	  {"var_samp", AG_VAR_SAMP},
    {"var_pop", AG_VAR_POP},	  {"stddev", AG_STDDEV_SAMP},	  {"stddev_samp", AG_STDDEV_SAMP},
    {"stddev_pop", AG_STDDEV_POP},
    {"json_agg", AG_JSON_AGG},	  {"jsonb_agg", AG_JSONB_AGG},
    {"json_object_agg", AG_JSON_OBJECT_AGG}, {"jsonb_object_agg", AG_JSONB_OBJECT_AGG},
};

/* Aggregates that collect every input, NULLs too, and build their result
 * at the end (array_agg and the json ones). */
static int
collects(enum sqlc_aggk k)
{
	return k == AG_ARRAY_AGG || k == AG_JSON_AGG || k == AG_JSONB_AGG ||
	       k == AG_JSON_OBJECT_AGG || k == AG_JSONB_OBJECT_AGG;
}

static int
object_agg(enum sqlc_aggk k)
{
	return k == AG_JSON_OBJECT_AGG || k == AG_JSONB_OBJECT_AGG;
}

int
dh__sqlc_agg_kind(const char *name)
{
	for (size_t i = 0; name && i < DH_ARRAY_SIZE(known_aggs); i++)
		if (strcmp(name, known_aggs[i].n) == 0)
			return (int)known_aggs[i].k;
	return -1;
}

/* Is n (a select list item, HAVING, ORDER BY) or anything in it, outside
 * subqueries, an aggregate call of this query? */
static int
has_agg_cb(const ProtobufCMessage *c, void *ctx)
{
	(void)ctx;
	return dh__sqlc_has_agg(c);
}

int
dh__sqlc_has_agg(const ProtobufCMessage *m)
{
	if (!m)
		return 0;
	if (m->descriptor == &pg_query__sub_link__descriptor)
		return 0;
	if (m->descriptor == &pg_query__func_call__descriptor) {
		const PgQuery__FuncCall *fc = (const PgQuery__FuncCall *)m;
		const char *name = dh__sqlc_str(fc->funcname[fc->n_funcname - 1]);
		if (!fc->over && (fc->agg_star || fc->agg_distinct || fc->n_agg_order ||
				  fc->agg_filter || dh__sqlc_agg_kind(name) >= 0))
			return 1;
	}
	return dh__sqlc_each_child(m, has_agg_cb, NULL);
}

/* Build aggregate g from call fc.  inside: its arguments read this
 * query's rows after grouping (a window aggregate), else the rows before. */
int
dh__sqlc_agg_build(struct sqlc_sel *S, const PgQuery__FuncCall *fc, int kind, int window,
		   struct sqlc_agg *g)
{
	struct dh_err *err = S->r->err;
	const char *name = dh__sqlc_str(fc->funcname[fc->n_funcname - 1]);
	memset(g, 0, sizeof(*g));
	g->k = (enum sqlc_aggk)kind;
	g->distinct = fc->agg_distinct;
	int rc = 0;
	int saved = S->in_agg;
	S->in_agg = !window;
	struct dh_sqlx_cc cc = S->cc;
	cc.scope = &S->grouped;
	size_t want = g->k == AG_STRING_AGG || object_agg(g->k) ? 2 : 1;
	if (fc->agg_star) {
		if (g->k != AG_COUNT) {
			dh_err_sql(err, "42809", "%s(*) specified, but %s is not an aggregate function",
				   name, name);
			rc = dh__sql_at(S->r, fc->location, DH_ESQL);
			goto out;
		}
		g->k = AG_COUNT_STAR;
	} else if (fc->n_args != want) {
		dh_err_sql(err, "42883", "function %s with %zu argument%s does not exist", name,
			   fc->n_args, fc->n_args == 1 ? "" : "s");
		rc = dh__sql_at(S->r, fc->location, DH_ESQL);
		goto out;
	} else {
		if ((rc = dh_sqlx_compile(&cc, fc->args[0], &g->arg)) ||
		    (rc = dh_sqlx_resolve_unknown(&cc, g->arg, &g->arg)))
			goto out;
		if (want == 2 && object_agg(g->k) &&
		    ((rc = dh_sqlx_compile(&cc, fc->args[1], &g->arg2)) ||
		     (rc = dh_sqlx_resolve_unknown(&cc, g->arg2, &g->arg2))))
			goto out;
		if (want == 2 && !object_agg(g->k) &&
		    ((rc = dh_sqlx_compile(&cc, fc->args[1], &g->arg2)) ||
		     (rc = dh_sqlx_coerce(&cc, g->arg2, DH_OID_TEXT, -1, DH_CAST_IMPLICIT, NULL,
					  &g->arg2))))
			goto out;
		g->argtype = g->arg->type;
	}
	if (fc->agg_filter &&
	    ((rc = dh_sqlx_compile(&cc, fc->agg_filter, &g->filter)) ||
	     (rc = dh_sqlx_coerce_bool(&cc, g->filter, "FILTER", &g->filter))))
		goto out;
	if (fc->n_agg_order) {
		g->norder = (int)fc->n_agg_order;
		g->order = dh_arena_zalloc(S->a, (size_t)(g->norder + 1) * sizeof(*g->order));
		for (int i = 0; i < g->norder; i++) {
			const PgQuery__SortBy *sb = fc->agg_order[i]->sort_by;
			struct sqlc_sort *k = &g->order[i];
			k->desc = sb->sortby_dir == PG_QUERY__SORT_BY_DIR__SORTBY_DESC;
			k->nulls_first =
			    sb->sortby_nulls == PG_QUERY__SORT_BY_NULLS__SORTBY_NULLS_FIRST ||
			    (sb->sortby_nulls != PG_QUERY__SORT_BY_NULLS__SORTBY_NULLS_LAST && k->desc);
			k->col = -1;
			if ((rc = dh_sqlx_compile(&cc, sb->node, &k->x)) ||
			    (rc = dh_sqlx_resolve_unknown(&cc, k->x, &k->x)))
				goto out;
			k->type = k->x->type;
		}
		if (g->distinct)
			for (int i = 0; i < g->norder; i++)
				if (g->order[i].x->k != g->arg->k ||
				    (g->arg->k == SX_SLOT && g->arg->slot != g->order[i].x->slot)) {
					dh_err_sql(err, "42P10",
						   "in an aggregate with DISTINCT, ORDER BY expressions "
						   "must appear in argument list");
					rc = dh__sql_at(S->r, sb_location(fc, i), DH_ESQL);
					goto out;
				}
	}
	uint32_t t = g->argtype;
	const struct dh_sqltype *tt = dh_sqltype_by_oid(t);
	switch (g->k) {
	case AG_COUNT:
	case AG_COUNT_STAR:
		g->type = DH_OID_INT8;
		break;
	case AG_SUM:
	case AG_AVG:
	case AG_VAR_SAMP:
	case AG_VAR_POP:
	case AG_STDDEV_SAMP:
	case AG_STDDEV_POP: {
		int stat = g->k != AG_SUM && g->k != AG_AVG;
		if (t == DH_OID_INT2 || t == DH_OID_INT4)
			g->type = g->k == AG_SUM ? DH_OID_INT8 : DH_OID_NUMERIC;
		else if (t == DH_OID_INT8 || t == DH_OID_NUMERIC)
			g->type = DH_OID_NUMERIC;
		else if (t == DH_OID_FLOAT4)
			g->type = g->k == AG_SUM ? DH_OID_FLOAT4 : DH_OID_FLOAT8;
		else if (t == DH_OID_FLOAT8)
			g->type = DH_OID_FLOAT8;
		else if (t == DH_OID_INTERVAL && !stat)
			g->type = DH_OID_INTERVAL;
		else if (t == DH_OID_UNKNOWN || t == DH_OID_TEXT) {
			dh_err_sql(err, "42725", "function %s(%s) is not unique", name,
				   tt ? tt->sqlname : "unknown");
			dh_err_hint(err, "Could not choose a best candidate function. You might need "
					 "to add explicit type casts.");
			rc = dh__sql_at(S->r, fc->location, DH_ESQL);
			goto out;
		} else {
			dh_err_sql(err, "42883", "function %s(%s) does not exist", name,
				   tt ? tt->sqlname : "?");
			dh_err_hint(err, "No function matches the given name and argument types. "
					 "You might need to add explicit type casts.");
			rc = dh__sql_at(S->r, fc->location, DH_ESQL);
			goto out;
		}
		/* the accumulator's type: sums of ints and numerics exactly */
		uint32_t acc = stat && g->type == DH_OID_NUMERIC ? DH_OID_NUMERIC : g->type;
		if (g->k == AG_AVG && t == DH_OID_FLOAT4)
			acc = DH_OID_FLOAT8;
		if (acc != t &&
		    (rc = dh_sqlx_coerce(&cc, g->arg, acc, -1, DH_CAST_IMPLICIT, NULL, &g->arg)))
			goto out;
		g->plus = dh_sqlop_find("+", acc, acc);
		g->times = dh_sqlop_find("*", acc, acc);
		break;
	}
	case AG_GROUPING:
		break;
	case AG_MIN:
	case AG_MAX:
		if (t == DH_OID_BOOL || t == DH_OID_JSON || t == DH_OID_UNKNOWN ||
		    (tt && tt->elem == 0 && !dh_sqltype_ops_of(tt))) {
			dh_err_sql(err, "42883", "function %s(%s) does not exist", name,
				   tt ? tt->sqlname : "unknown");
			dh_err_hint(err, "No function matches the given name and argument types. "
					 "You might need to add explicit type casts.");
			rc = dh__sql_at(S->r, fc->location, DH_ESQL);
			goto out;
		}
		g->type = t;
		break;
	case AG_BOOL_AND:
	case AG_BOOL_OR:
		g->type = DH_OID_BOOL;
		rc = dh_sqlx_coerce(&cc, g->arg, DH_OID_BOOL, -1, DH_CAST_IMPLICIT, NULL, &g->arg);
		break;
	case AG_STRING_AGG:
		g->type = DH_OID_TEXT;
		rc = dh_sqlx_coerce(&cc, g->arg, DH_OID_TEXT, -1, DH_CAST_IMPLICIT, NULL, &g->arg);
		break;
	case AG_ARRAY_AGG:
		if (tt && tt->category == 'A' && tt->elem && tt->typtype == 'b') {
			g->type = t; /* array_agg(anyarray): one more dimension */
			break;
		}
		if (!tt || !tt->array || tt->elem) {
			dh_err_sql(err, "0A000", "array_agg of %s is not supported yet",
				   tt ? tt->sqlname : "this type");
			rc = dh__sql_at(S->r, fc->location, DH_ESQL);
			goto out;
		}
		g->type = tt->array;
		break;
	case AG_JSON_AGG:
	case AG_JSON_OBJECT_AGG:
		g->type = DH_OID_JSON;
		break;
	case AG_JSONB_AGG:
	case AG_JSONB_OBJECT_AGG:
		g->type = DH_OID_JSONB;
		break;
	}
out:
	S->in_agg = saved;
	return rc;
}

static int
add_agg(struct sqlc_sel *S, const struct sqlc_agg *g)
{
	if (S->nagg == S->aagg) {
		S->aagg = S->aagg ? 2 * S->aagg : 8;
		struct sqlc_agg *n = dh_arena_alloc(S->a, (size_t)S->aagg * sizeof(*n));
		if (S->nagg)
			memcpy(n, S->aggs, (size_t)S->nagg * sizeof(*n));
		S->aggs = n;
	}
	S->aggs[S->nagg] = *g;
	return S->nagg++;
}

int
dh__sqlc_agg_hook(void *ctx, const PgQuery__FuncCall *fc, int *slot, uint32_t *type,
		  int32_t *typmod, struct dh_err *err)
{
	struct sqlc_sel *S = ctx;
	const char *name = dh__sqlc_str(fc->funcname[fc->n_funcname - 1]);
	int kind = dh__sqlc_agg_kind(name);
	if (fc->over) {
		if (S->in_agg) {
			dh_err_sql(err, "42803", "aggregate function calls cannot contain window "
						 "function calls");
			return dh__sql_at(S->r, fc->location, DH_ESQL);
		}
		return dh__sqlc_window_hook(S, fc, kind, slot, type, typmod);
	}
	if (kind < 0) {
		int rc = dh__sqlc_window_no_over(S, fc);
		if (rc <= 0)
			return rc;
		if (fc->agg_star || fc->agg_distinct || fc->n_agg_order || fc->agg_filter) {
			dh_err_sql(err, "42809", "%s specified, but %s is not an aggregate function",
				   fc->agg_star ? "*" : fc->agg_distinct ? "DISTINCT"
						      : fc->agg_filter ? "FILTER" : "ORDER BY",
				   name ? name : "?");
			return dh__sql_at(S->r, fc->location, DH_ESQL);
		}
		return 1;
	}
	if (S->phase == 0) {
		dh_err_sql(err, "42803", "aggregate functions are not allowed in WHERE");
		return dh__sql_at(S->r, fc->location, DH_ESQL);
	}
	if (S->in_agg) {
		dh_err_sql(err, "42803", "aggregate function calls cannot be nested");
		return dh__sql_at(S->r, fc->location, DH_ESQL);
	}
	struct sqlc_agg g;
	int rc = dh__sqlc_agg_build(S, fc, kind, 0, &g);
	if (rc)
		return rc;
	S->has_agg = 1;
	*slot = S->ngroup + add_agg(S, &g);
	*type = g.type;
	*typmod = -1;
	return 0;
}

/* A column of a table whose primary key is grouped: functionally
 * dependent on the keys, it is one value per group, read as min(col). */
int
dh__sqlc_agg_dependent(struct sqlc_sel *S, int slot)
{
	for (int i = 0; i < S->nagg; i++) {
		const struct sqlc_agg *g = &S->aggs[i];
		if (g->k == AG_MIN && !g->win && !g->distinct && !g->filter && !g->norder &&
		    g->arg->k == SX_SLOT && g->arg->slot == slot && g->arg->levelsup == 0)
			return S->ngroup + i;
	}
	struct sqlc_agg g;
	memset(&g, 0, sizeof(g));
	g.k = AG_MIN;
	g.argtype = g.type = S->sl[slot].type;
	g.arg = dh_sqlx_slot(S->a, slot, 0, S->sl[slot].type, S->sl[slot].typmod, NULL);
	return S->ngroup + add_agg(S, &g);
}

/* A window function's place: in a grouped query, among the aggregates
 * (filled by the window pass, not by grouping); else a slot of its own. */
int
dh__sqlc_window_slot(struct sqlc_sel *S, struct sqlc_win *w, uint32_t type)
{
	if (S->has_group || S->has_agg) {
		struct sqlc_agg g;
		memset(&g, 0, sizeof(g));
		g.win = w;
		g.type = type;
		return S->ngroup + add_agg(S, &g);
	}
	return dh__sqlc_pseudo_slot(S, type);
}

/* GROUPING(a, b, ...): which of its keys a grouping set leaves out. */
int
dh__sqlc_grouping(struct sqlc_sel *S, const PgQuery__GroupingFunc *gf, int *slot)
{
	struct sqlc_agg g;
	memset(&g, 0, sizeof(g));
	g.k = AG_GROUPING;
	g.type = DH_OID_INT4;
	g.gkeys = dh_arena_alloc(S->a, (gf->n_args + 1) * sizeof(int));
	if (gf->n_args > 31)
		return dh_err_sql(S->r->err, "54011",
				  "GROUPING must have fewer than 32 arguments");
	for (size_t i = 0; i < gf->n_args; i++) {
		const PgQuery__Node *a = gf->args[i];
		int found = -1;
		for (int k = 0; k < S->ngroup && found < 0; k++)
			if (S->group_src[k] && dh__sqlc_node_eq((const ProtobufCMessage *)a,
								(const ProtobufCMessage *)S->group_src[k]))
				found = k;
		if (found < 0 && a->node_case == PG_QUERY__NODE__NODE_COLUMN_REF) {
			const PgQuery__ColumnRef *cr = a->column_ref;
			const char *names[4];
			int nn = 0;
			for (size_t f = 0; f < cr->n_fields && nn < 4; f++)
				names[nn++] = dh__sqlc_str(cr->fields[f]) ? dh__sqlc_str(cr->fields[f]) : "*";
			int s2;
			uint32_t t;
			int32_t tm;
			struct dh_err e2;
			int ph = S->phase;
			S->phase = 0;
			int rc = dh__sqlc_col_hook(S, names, nn, -1, &s2, &t, &tm, &e2);
			S->phase = ph;
			for (int k = 0; rc == 0 && k < S->ngroup && found < 0; k++)
				if (S->group[k]->k == SX_SLOT && S->group[k]->slot == s2)
					found = k;
		}
		if (found < 0) {
			dh_err_sql(S->r->err, "42803",
				   "arguments to GROUPING must be grouping expressions of the "
				   "associated query level");
			return dh__sql_at(S->r, gf->location, DH_ESQL);
		}
		g.gkeys[g.ngkeys++] = found;
	}
	S->has_agg = 1;
	*slot = S->ngroup + add_agg(S, &g);
	return 0;
}

int
dh__sqlc_no_agg_hook(void *ctx, const PgQuery__FuncCall *fc, int *slot, uint32_t *type,
		     int32_t *typmod, struct dh_err *err)
{
	struct sqlc_sel *S = ctx;
	(void)slot, (void)type, (void)typmod;
	const char *name = dh__sqlc_str(fc->funcname[fc->n_funcname - 1]);
	int is_agg = fc->agg_star || fc->agg_distinct || fc->n_agg_order || fc->agg_filter ||
		     dh__sqlc_agg_kind(name) >= 0;
	const char *where = S->win_forbidden	? S->win_forbidden
			    : S->in_join_on ? "JOIN conditions"
					    : "WHERE";
	if (fc->over) {
		dh_err_sql(err, "42P20", "window functions are not allowed in %s", where);
		return dh__sql_at(S->r, fc->location, DH_ESQL);
	}
	if (!is_agg)
		return dh__sqlc_window_no_over(S, fc);
	dh_err_sql(err, "42803", "aggregate functions are not allowed in %s", where);
	return dh__sql_at(S->r, fc->location, DH_ESQL);
}

/* A value of int2, int4 or int8: equal and ordered exactly as its number. */
static int
int_key(uint32_t type, const struct dh_value *v)
{
	return v->type == DH_T_LONG &&
	       (type == DH_OID_INT8 || type == DH_OID_INT4 || type == DH_OID_INT2);
}

static uint64_t
key_hash(const struct dh_value *k, const uint32_t *types, int n)
{
	uint64_t h = 1469598103934665603ull;
	for (int i = 0; i < n; i++) {
		/* integers, the usual group key, hash their value directly
		 * (the table's own function: it need only agree with itself) */
		uint64_t x = int_key(types[i], &k[i])
				 ? (uint64_t)k[i].i * 0x9e3779b97f4a7c15ull
				 : dh_sqltype_hash(types[i], &k[i]);
		h = (h ^ x) * 1099511628211ull;
	}
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
		if (int_key(types[i], &a[i]) && b[i].type == DH_T_LONG) {
			if (a[i].i != b[i].i)
				return 0;
		} else if (dh_sqltype_cmp(types[i], &a[i], &b[i]) != 0) {
			return 0;
		}
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
struct sqlc_aggst {
	struct dh_value v; /* running value (sum, min, max, bool) */
	struct dh_value v2; /* sum of squares (variance, numeric) */
	double n_f, sx, sxx; /* variance of floats: Youngs-Cramer */
	int64_t n;
	struct dh_buf *str; /* string_agg */
	struct sqlc_rowtab seen; /* DISTINCT */
	struct dh_value *seenv;
	size_t nseen, aseen;
	/* collected inputs: ORDER BY in the aggregate, array_agg */
	struct dh_value *col;
	size_t ncol, acol;
	struct dh_value *arr; /* array_agg's elements */
	size_t narr, aarr;
};

size_t
dh__sqlc_aggst_size(void)
{
	return sizeof(struct sqlc_aggst);
}

/* One input (v, d) into the running state. */
static int
accumulate(struct sqlc_sel *S, const struct sqlc_agg *g, struct sqlc_aggst *st,
	   const struct dh_value *v, const struct dh_value *d)
{
	int rc;
	struct dh_sqlcall c = {.arena = S->a, .err = S->r->err, .env = S->cc.env, .nargs = 2};
	if (collects(g->k)) {
		if (st->narr + 2 > st->aarr) {
			st->aarr = st->aarr ? 2 * st->aarr : 16;
			st->arr = xrealloc(st->arr, st->aarr * sizeof(*st->arr));
		}
		st->arr[st->narr++] = *v;
		if (object_agg(g->k))
			st->arr[st->narr++] = *d; /* (key, value) pairs */
		st->n++;
		return 0;
	}
	if (v->type == DH_T_NONE)
		return 0;
	st->n++;
	switch (g->k) {
	case AG_COUNT:
	case AG_COUNT_STAR:
	case AG_ARRAY_AGG:
	case AG_GROUPING:
	case AG_JSON_AGG:
	case AG_JSONB_AGG:
	case AG_JSON_OBJECT_AGG:
	case AG_JSONB_OBJECT_AGG:
		break;
	case AG_SUM:
	case AG_AVG:
		if (st->v.type == DH_T_NONE) {
			st->v = *v;
		} else if (g->type == DH_OID_INT8 && g->k == AG_SUM && st->v.type == DH_T_LONG &&
			   v->type == DH_T_LONG &&
			   !__builtin_add_overflow(st->v.i, v->i, &st->v.i)) {
			/* sum(int2 | int4) into bigint: the "+" below would
			 * give the same (it fails on overflow, so does this by
			 * falling through to it) */
		} else {
			struct dh_value args[2] = {st->v, *v};
			if ((rc = dh_sqlfn_call(g->plus->fn, &c, args, &st->v)))
				return rc;
		}
		break;
	case AG_VAR_SAMP:
	case AG_VAR_POP:
	case AG_STDDEV_SAMP:
	case AG_STDDEV_POP:
		if (v->type == DH_T_DOUBLE) {
			/* float8_accum: Youngs-Cramer */
			double x = v->d, n0 = st->n_f;
			st->n_f += 1.0;
			st->sx += x;
			if (n0 > 0.0) {
				double tmp = x * st->n_f - st->sx;
				st->sxx += tmp * tmp / (st->n_f * n0);
			} else {
				st->sxx = 0.0 * x; /* NaN or Inf in x propagates */
			}
			break;
		}
		{
			struct dh_value sq, args[2] = {*v, *v};
			if ((rc = dh_sqlfn_call(g->times->fn, &c, args, &sq)))
				return rc;
			if (st->v.type == DH_T_NONE) {
				st->v = *v;
				st->v2 = sq;
			} else {
				struct dh_value a1[2] = {st->v, *v}, a2[2] = {st->v2, sq};
				if ((rc = dh_sqlfn_call(g->plus->fn, &c, a1, &st->v)) ||
				    (rc = dh_sqlfn_call(g->plus->fn, &c, a2, &st->v2)))
					return rc;
			}
		}
		break;
	case AG_MIN:
	case AG_MAX:
		if (st->v.type == DH_T_NONE) {
			st->v = *v;
		} else if (int_key(g->type, v) && st->v.type == DH_T_LONG) {
			if (g->k == AG_MIN ? v->i < st->v.i : v->i > st->v.i)
				st->v = *v;
		} else {
			int cmp = dh_sqltype_cmp(g->type, v, &st->v);
			if ((g->k == AG_MIN && cmp < 0) || (g->k == AG_MAX && cmp > 0))
				st->v = *v;
		}
		break;
	case AG_BOOL_AND:
		if (st->v.type == DH_T_NONE)
			st->v = *v;
		else
			st->v.b = st->v.b && v->b;
		break;
	case AG_BOOL_OR:
		if (st->v.type == DH_T_NONE)
			st->v = *v;
		else
			st->v.b = st->v.b || v->b;
		break;
	case AG_STRING_AGG:
		if (!st->str) {
			st->str = dh_arena_zalloc(S->a, sizeof(*st->str));
			dh_buf_init(st->str, 0);
		} else if (d->type == DH_T_STRING) {
			dh_buf_add(st->str, d->s.p, d->s.n);
		}
		dh_buf_add(st->str, v->s.p, v->s.n);
		break;
	}
	return 0;
}

int
dh__sqlc_agg_step(struct sqlc_sel *S, const struct sqlc_agg *g, struct sqlc_aggst *st,
		  const struct dh_value *row)
{
	int rc;
	if (!g->filter && g->k == AG_COUNT_STAR) {
		st->n++;
		return 0;
	}
	const struct dh_sqlx *x = g->arg;
	/* sum(int4) reads its column through a widening to bigint that
	 * leaves the value as it is */
	if (x && x->k == SX_CAST && x->type == DH_OID_INT8 &&
	    (x->args[0]->type == DH_OID_INT4 || x->args[0]->type == DH_OID_INT2))
		x = x->args[0];
	if (!g->filter && !g->distinct && !g->norder && !g->arg2 && !collects(g->k) && x &&
	    x->k == SX_SLOT && x->levelsup == 0) {
		/* an aggregate of a column, the usual case: what evaluating it
		 * would do, without the evaluator */
		const struct dh_value *v = &row[x->slot];
		if (v->type == DH_T_NONE)
			return 0;
		return accumulate(S, g, st, v, &(struct dh_value){.type = DH_T_NONE});
	}
	struct dh_sqlx_run run = {.a = S->a, .err = S->r->err, .env = S->cc.env, .row = row,
				  .outer = S->outer};
	dh__sqlc_run_hooks(S, &run);
	if (g->filter && (rc = dh_sqlx_test(g->filter, &run)) <= 0)
		return rc;
	if (g->k == AG_COUNT_STAR) {
		st->n++;
		return 0;
	}
	struct dh_sqlx *const *rf;
	int nrf = g->k == AG_COUNT ? dh_sqlx_row_fields(g->arg, &rf) : -1;
	if (nrf > 0) {
		/* count([DISTINCT] (a, b)): a row is never NULL; DISTINCT
		 * compares the fields, NULLs equal */
		if (!g->distinct) {
			st->n++;
			return 0;
		}
		size_t w = (size_t)nrf;
		if ((st->nseen + 1) * w > st->aseen) {
			st->aseen = st->aseen ? 2 * st->aseen : 16 * w;
			st->seenv = xrealloc(st->seenv, st->aseen * sizeof(*st->seenv));
		}
		uint32_t *types = dh_arena_alloc(S->a, w * sizeof(*types));
		for (int i = 0; i < nrf; i++) {
			types[i] = rf[i]->type;
			if ((rc = dh_sqlx_eval(rf[i], &run, &st->seenv[st->nseen * w + (size_t)i])))
				return rc;
		}
		int isnew;
		dh__sqlc_rowtab_put(&st->seen, st->seenv, w, types, nrf, st->nseen, &isnew);
		if (isnew) {
			st->nseen++;
			st->n++;
		}
		return 0;
	}
	struct dh_value v, d = {.type = DH_T_NONE};
	/* x: the argument without the widening to bigint, which leaves an
	 * integer as it is */
	if ((rc = dh_sqlx_eval(g->k == AG_COUNT ? g->arg : x, &run, &v)))
		return rc;
	if (v.type == DH_T_NONE && !collects(g->k))
		return 0;
	if (g->arg2 && (rc = dh_sqlx_eval(g->arg2, &run, &d)))
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
	if (!g->norder)
		return accumulate(S, g, st, &v, &d);
	/* ORDER BY: keep (v, d, keys) to sort at the end */
	size_t w = 2 + (size_t)g->norder;
	if (st->ncol == st->acol) {
		st->acol = st->acol ? 2 * st->acol : 16;
		st->col = xrealloc(st->col, st->acol * w * sizeof(*st->col));
	}
	struct dh_value *t = st->col + st->ncol * w;
	t[0] = v;
	t[1] = d;
	for (int i = 0; i < g->norder; i++)
		if ((rc = dh_sqlx_eval(g->order[i].x, &run, &t[2 + i])))
			return rc;
	st->ncol++;
	return 0;
}

/* json(b)_agg, json(b)_object_agg over the collected inputs */
static int
json_final(struct sqlc_sel *S, const struct sqlc_agg *g, const struct sqlc_aggst *st,
	   struct dh_value *out)
{
	enum dh_jtype t = g->type == DH_OID_JSONB ? DH_JSONB : DH_JSON;
	int pairs = object_agg(g->k), rc = 0;
	size_t n = st->narr / (size_t)(pairs + 1);
	struct dh_json_datum *k = xmalloc((n + 1) * sizeof(*k) * 2), *v = k + n + 1;
	for (size_t i = 0; i < n && rc == 0; i++) {
		if (pairs)
			rc = dh_sqljson_datum(g->argtype, &st->arr[2 * i], S->cc.env, S->a, &k[i],
					      S->r->err);
		if (rc == 0)
			rc = dh_sqljson_datum(pairs ? g->arg2->type : g->argtype,
					      &st->arr[pairs ? 2 * i + 1 : i], S->cc.env, S->a,
					      &v[i], S->r->err);
	}
	if (rc == 0)
		rc = pairs ? dh_json_object_agg(t, k, v, n, S->a, out, S->r->err)
			   : dh_json_agg(t, v, n, S->a, out, S->r->err);
	free(k);
	return rc;
}

/* The value so far (the state stays usable: windows step on). */
int
dh__sqlc_agg_final(struct sqlc_sel *S, const struct sqlc_agg *g, struct sqlc_aggst *st0,
		   struct dh_value *out)
{
	int rc;
	struct sqlc_aggst tmp, *st = st0;
	out->type = DH_T_NONE;
	if (g->norder) {
		/* replay the collected inputs in order into a fresh state */
		size_t w = 2 + (size_t)g->norder;
		size_t *ord = xmalloc((st0->ncol ? st0->ncol : 1) * sizeof(*ord));
		for (size_t i = 0; i < st0->ncol; i++)
			ord[i] = i;
		rc = dh__sqlc_sort(S->r, ord, st0->ncol, st0->col, w, 2, g->order, g->norder);
		memset(&tmp, 0, sizeof(tmp));
		for (size_t i = 0; i < st0->ncol && rc == 0; i++)
			rc = accumulate(S, g, &tmp, &st0->col[ord[i] * w], &st0->col[ord[i] * w + 1]);
		free(ord);
		if (rc) {
			free(tmp.arr);
			return rc;
		}
		st = &tmp;
	}
	rc = 0;
	switch (g->k) {
	case AG_COUNT:
	case AG_COUNT_STAR:
		*out = (struct dh_value){.type = DH_T_LONG, .i = st->n};
		break;
	case AG_AVG: {
		if (st->n == 0)
			break;
		struct dh_value cnt;
		uint32_t acc = g->plus ? g->plus->left : g->type;
		if (acc == DH_OID_NUMERIC)
			dh_sqlnum_from_int64(st->n, S->a, &cnt);
		else
			cnt = (struct dh_value){.type = DH_T_DOUBLE, .d = (double)st->n};
		const struct dh_sqlop *div =
		    dh_sqlop_find("/", acc, acc == DH_OID_INTERVAL ? DH_OID_FLOAT8 : acc);
		if (!div) {
			rc = dh_err_sql(S->r->err, "0A000", "avg of this type is not supported yet");
			break;
		}
		struct dh_sqlcall c = {.arena = S->a, .err = S->r->err, .env = S->cc.env, .nargs = 2};
		struct dh_value args[2] = {st->v, cnt};
		rc = dh_sqlfn_call(div->fn, &c, args, out);
		break;
	}
	case AG_VAR_SAMP:
	case AG_VAR_POP:
	case AG_STDDEV_SAMP:
	case AG_STDDEV_POP: {
		int sample = g->k == AG_VAR_SAMP || g->k == AG_STDDEV_SAMP;
		int sd = g->k == AG_STDDEV_SAMP || g->k == AG_STDDEV_POP;
		if (g->type == DH_OID_FLOAT8 && (!g->plus || g->plus->left != DH_OID_NUMERIC)) {
			double n = st->n_f;
			if (n == 0.0 || (sample && n <= 1.0))
				break;
			double r = st->sxx / (sample ? n - 1.0 : n);
			*out = (struct dh_value){.type = DH_T_DOUBLE, .d = sd ? sqrt(r) : r};
			break;
		}
		rc = dh_sqlnum_variance(st->n, &st->v, &st->v2, sample, sd, S->a, out, S->r->err);
		break;
	}
	case AG_STRING_AGG:
		if (st->str) {
			*out = (struct dh_value){.type = DH_T_STRING};
			out->s.p = dh_arena_strndup(S->a, (const char *)st->str->p, st->str->len);
			out->s.n = st->str->len;
		}
		break;
	case AG_JSON_AGG:
	case AG_JSONB_AGG:
	case AG_JSON_OBJECT_AGG:
	case AG_JSONB_OBJECT_AGG:
		if (st->n)
			rc = json_final(S, g, st, out);
		break;
	case AG_ARRAY_AGG:
		if (st->n && g->type == g->argtype) {
			rc = dh_array_agg(st->arr, st->narr, 1, S->a, out, S->r->err);
		} else if (st->n) {
			struct dh_coll *c = dh_arena_alloc(S->a, sizeof(*c));
			c->kind = DH_COLL_VECTOR;
			c->n = st->narr;
			struct dh_value *items = dh_arena_alloc(S->a, (st->narr + 1) * sizeof(*items));
			memcpy(items, st->arr, st->narr * sizeof(*items));
			c->items = items;
			*out = (struct dh_value){.type = DH_T_COLL, .coll = c};
		}
		break;
	default:
		*out = st->v;
		break;
	}
	if (st == &tmp) {
		free(tmp.arr);
		if (tmp.str)
			dh_buf_release(tmp.str);
	}
	return rc;
}

void
dh__sqlc_aggst_release(struct sqlc_aggst *st)
{
	free(st->seen.idx);
	free(st->seenv);
	free(st->col);
	free(st->arr);
	if (st->str)
		dh_buf_release(st->str);
	memset(st, 0, sizeof(*st));
}

/* Group rows (width w) by S->group and compute S->aggs: rows of ngroup +
 * nagg slots. */
/* One grouping set (mask over the keys; others are NULL in its rows):
 * its groups appended to *o (stride ow), *cnt counting them. */
static int
group_set(struct sqlc_sel *S, const struct dh_value *rows, size_t n, size_t w, uint64_t mask,
	  int empty_group, struct dh_value **o, size_t *ocnt, size_t *ocap)
{
	int ng = S->ngroup, na = S->nagg, rc = 0;
	size_t ow = (size_t)(ng + na);
	uint32_t *types = dh_arena_alloc(S->a, (size_t)(ng + 1) * sizeof(*types));
	for (int i = 0; i < ng; i++)
		types[i] = S->group[i]->type;
	size_t cap = 16, cnt = 0;
	struct dh_value *keys = xmalloc(cap * (ow ? ow : 1) * sizeof(*keys));
	struct sqlc_aggst *st = xcalloc(cap * (size_t)(na ? na : 1), sizeof(*st));
	struct sqlc_rowtab tab = {0};
	int nk = 0;
	for (int i = 0; i < ng; i++)
		nk += (mask >> i) & 1;
	/* a row's keys and arguments can be costly (string_agg(repeat(...))):
	 * poll per row */
	volatile sig_atomic_t *cancel = dh__sql_cancel(S->r->s);
	for (size_t r = 0; r < n && rc == 0; r++) {
		if (cancel && *cancel) {
			rc = dh_err_canceled(S->r->err, *cancel);
			break;
		}
		const struct dh_value *row = rows + r * w;
		if (cnt == cap) {
			cap *= 2;
			keys = xrealloc(keys, cap * (ow ? ow : 1) * sizeof(*keys));
			st = xrealloc(st, cap * (size_t)(na ? na : 1) * sizeof(*st));
			memset(st + cnt * (size_t)na, 0, (cap - cnt) * (size_t)na * sizeof(*st));
		}
		struct dh_value *k = keys + cnt * ow;
		for (int i = 0; i < ng && rc == 0; i++) {
			if (!((mask >> i) & 1))
				k[i].type = DH_T_NONE;
			else if (S->group[i]->k == SX_SLOT && S->group[i]->levelsup == 0)
				k[i] = row[S->group[i]->slot]; /* a column, the usual key */
			else
				rc = eval_row(S, S->group[i], row, &k[i]);
		}
		if (rc)
			break;
		int isnew = 1;
		size_t gi = nk ? dh__sqlc_rowtab_put(&tab, keys, ow, types, ng, cnt, &isnew) : 0;
		if (!nk)
			isnew = cnt == 0;
		if (isnew)
			cnt++;
		for (int i = 0; i < na && rc == 0; i++)
			if (!S->aggs[i].win && S->aggs[i].k != AG_GROUPING)
				rc = dh__sqlc_agg_step(S, &S->aggs[i], &st[gi * (size_t)na + (size_t)i],
						       row);
	}
	if (rc == 0 && !nk && cnt == 0 && empty_group)
		cnt = 1; /* no keys: one row even over nothing */
	for (size_t g = 0; g < cnt && rc == 0; g++) {
		if (*ocnt == *ocap) {
			*ocap = *ocap ? 2 * *ocap : 64;
			struct dh_value *no = dh_arena_alloc(S->a, *ocap * (ow ? ow : 1) * sizeof(*no));
			if (*ocnt)
				memcpy(no, *o, *ocnt * ow * sizeof(*no));
			*o = no;
		}
		struct dh_value *out = *o + *ocnt * ow;
		memcpy(out, keys + g * ow, (size_t)ng * sizeof(*out));
		for (int i = 0; i < na && rc == 0; i++) {
			struct sqlc_agg *ag = &S->aggs[i];
			out[ng + i].type = DH_T_NONE;
			if (ag->win)
				continue;
			if (ag->k == AG_GROUPING) {
				int64_t bits = 0;
				for (int j = 0; j < ag->ngkeys; j++)
					bits = (bits << 1) | !((mask >> ag->gkeys[j]) & 1);
				out[ng + i] = (struct dh_value){.type = DH_T_LONG, .i = bits};
				continue;
			}
			rc = dh__sqlc_agg_final(S, ag, &st[g * (size_t)na + (size_t)i], &out[ng + i]);
		}
		(*ocnt)++;
	}
	for (size_t g = 0; g < (cnt > cap ? cap : cnt) * (size_t)na; g++)
		dh__sqlc_aggst_release(&st[g]);
	free(keys);
	free(st);
	free(tab.idx);
	return rc;
}

/* Group rows (width w) by S->group (per grouping set) and compute
 * S->aggs: rows of ngroup + nagg slots. */
int
dh__sqlc_group(struct sqlc_sel *S, const struct dh_value *rows, size_t n, size_t w,
	       struct dh_value **out, size_t *nout)
{
	struct dh_value *o = NULL;
	size_t cnt = 0, cap = 0;
	int rc = 0;
	if (!S->sets) {
		uint64_t all = S->ngroup >= 64 ? ~(uint64_t)0 : (((uint64_t)1 << S->ngroup) - 1);
		rc = group_set(S, rows, n, w, all, S->ngroup == 0, &o, &cnt, &cap);
	} else {
		for (int k = 0; k < S->nsets && rc == 0; k++)
			rc = group_set(S, rows, n, w, S->sets[k], 1, &o, &cnt, &cap);
	}
	if (!o)
		o = dh_arena_zalloc(S->a, sizeof(*o) * (size_t)(S->ngroup + S->nagg + 1));
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

static int
row_cmp(const struct sortctx *c, size_t a, size_t b)
{
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

/* A bottom-up merge sort rather than qsort: a sort can be the costliest
 * step of a statement (n log n comparisons through the type's operator)
 * and must stop when the cancel flag is set, which a qsort comparator
 * cannot do safely. */
int
dh__sqlc_sort(struct dh__sqlrun *r, size_t *ord, size_t n, const struct dh_value *rows, size_t w,
	      size_t off, const struct sqlc_sort *keys, int nk)
{
	struct sortctx c = {keys, nk, w, off, rows};
	volatile sig_atomic_t *cancel = dh__sql_cancel(r->s);
	size_t *tmp = xmalloc((n ? n : 1) * sizeof(*tmp)), *src = ord, *dst = tmp, steps = 0;
	int rc = 0;
	for (size_t run = 1; run < n && rc == 0; run *= 2) {
		for (size_t lo = 0; lo < n && rc == 0; lo += 2 * run) {
			size_t mid = lo + run < n ? lo + run : n;
			size_t hi = mid + run < n ? mid + run : n, i = lo, j = mid, k = lo;
			while (i < mid && j < hi) {
				if ((++steps & 1023) == 0 && cancel && *cancel) {
					rc = dh_err_canceled(r->err, *cancel);
					break;
				}
				dst[k++] = row_cmp(&c, src[j], src[i]) < 0 ? src[j++] : src[i++];
			}
			while (i < mid)
				dst[k++] = src[i++];
			while (j < hi)
				dst[k++] = src[j++];
		}
		size_t *t = src;
		src = dst;
		dst = t;
	}
	if (src != ord)
		memcpy(ord, src, n * sizeof(*ord));
	free(tmp);
	return rc;
}
