/*
 * sqlc-window: window functions.  They run after grouping and HAVING, over
 * the rows the select list reads: each call's rows are sorted by its
 * PARTITION BY and ORDER BY, and for each row its function is computed
 * over its partition or its frame: row_number, rank, dense_rank,
 * percent_rank, cume_dist, ntile, lag, lead, first_value, last_value,
 * nth_value, and every aggregate (sqlc-agg.c).  Frames are PostgreSQL 15's:
 * ROWS, RANGE and GROUPS, bounded by UNBOUNDED, CURRENT ROW or an offset
 * (RANGE offsets through PostgreSQL's in_range rules per type), with
 * EXCLUDE CURRENT ROW, GROUP, TIES or NO OTHERS.
 *
 * Cost.  Frame bounds only move forward as the current row does, so they
 * are found with pointers that sweep each partition once.  Aggregates
 * PostgreSQL can take rows out of (count, sum and avg over integers,
 * numeric and interval, bool_and, bool_or) slide their state along the
 * frame: linear per partition.  The others (min, max, string_agg,
 * array_agg, float sums, variances) extend while the frame head stays and
 * start over when it moves, as PostgreSQL does, which also keeps float
 * rounding identical to PostgreSQL's.
 */
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "sqlc-int.h"
#include "sqltime.h"

/* PostgreSQL's FRAMEOPTION_* bits (nodes/parsenodes.h) */
enum {
	FO_NONDEFAULT = 0x00001,
	FO_RANGE = 0x00002,
	FO_ROWS = 0x00004,
	FO_GROUPS = 0x00008,
	FO_BETWEEN = 0x00010,
	FO_START_UNBOUNDED_PRECEDING = 0x00020,
	FO_END_UNBOUNDED_PRECEDING = 0x00040,
	FO_START_UNBOUNDED_FOLLOWING = 0x00080,
	FO_END_UNBOUNDED_FOLLOWING = 0x00100,
	FO_START_CURRENT_ROW = 0x00200,
	FO_END_CURRENT_ROW = 0x00400,
	FO_START_OFFSET_PRECEDING = 0x00800,
	FO_END_OFFSET_PRECEDING = 0x01000,
	FO_START_OFFSET_FOLLOWING = 0x02000,
	FO_END_OFFSET_FOLLOWING = 0x04000,
	FO_EXCLUDE_CURRENT_ROW = 0x08000,
	FO_EXCLUDE_GROUP = 0x10000,
	FO_EXCLUDE_TIES = 0x20000,
	FO_EXCLUSION = FO_EXCLUDE_CURRENT_ROW | FO_EXCLUDE_GROUP | FO_EXCLUDE_TIES,
	FO_START_OFFSET = FO_START_OFFSET_PRECEDING | FO_START_OFFSET_FOLLOWING,
	FO_END_OFFSET = FO_END_OFFSET_PRECEDING | FO_END_OFFSET_FOLLOWING,
	FO_DEFAULTS = FO_RANGE | FO_START_UNBOUNDED_PRECEDING | FO_END_CURRENT_ROW,
};

static const struct {
	const char *n;
	enum sqlc_winfn fn;
	int nmin, nmax;
	uint32_t type; /* 0: the first argument's */
} winfns[] = {
    {"row_number", W_ROW_NUMBER, 0, 0, DH_OID_INT8},
    {"rank", W_RANK, 0, 0, DH_OID_INT8},
    {"dense_rank", W_DENSE_RANK, 0, 0, DH_OID_INT8},
    {"percent_rank", W_PERCENT_RANK, 0, 0, DH_OID_FLOAT8},
    {"cume_dist", W_CUME_DIST, 0, 0, DH_OID_FLOAT8},
    {"ntile", W_NTILE, 1, 1, DH_OID_INT4},
    {"lag", W_LAG, 1, 3, 0},
    {"lead", W_LEAD, 1, 3, 0},
    {"first_value", W_FIRST_VALUE, 1, 1, 0},
    {"last_value", W_LAST_VALUE, 1, 1, 0},
    {"nth_value", W_NTH_VALUE, 2, 2, 0},
};

static int
winfn_index(const char *name)
{
	for (size_t i = 0; name && i < DH_ARRAY_SIZE(winfns); i++)
		if (strcmp(name, winfns[i].n) == 0)
			return (int)i;
	return -1;
}

/* The window function fc calls (unqualified or pg_catalog's), else -1. */
static int
winfn_of(const PgQuery__FuncCall *fc)
{
	if (fc->n_funcname == 2) {
		const char *schema = dh__sqlc_str(fc->funcname[0]);
		if (!schema || strcmp(schema, "pg_catalog") != 0)
			return -1;
	} else if (fc->n_funcname != 1) {
		return -1;
	}
	return winfn_index(dh__sqlc_str(fc->funcname[fc->n_funcname - 1]));
}

int
dh__sqlc_window_no_over(struct sqlc_sel *S, const PgQuery__FuncCall *fc)
{
	const char *name = dh__sqlc_str(fc->funcname[fc->n_funcname - 1]);
	int fi = winfn_of(fc);
	/* another argument count is another function (42883 from lookup) */
	if (fi < 0 || (int)fc->n_args < winfns[fi].nmin || (int)fc->n_args > winfns[fi].nmax)
		return 1;
	dh_err_sql(S->r->err, "42809", "window function %s%s requires an OVER clause",
		   fc->n_funcname == 2 ? "pg_catalog." : "", name);
	return dh__sql_at(S->r, fc->location, DH_ESQL);
}

/* Does n, outside subqueries, read a column? */
static int
has_columnref(const ProtobufCMessage *m, void *ctx)
{
	if (m->descriptor == &pg_query__sub_link__descriptor)
		return 0;
	if (m->descriptor == &pg_query__column_ref__descriptor)
		return 1;
	return dh__sqlc_each_child(m, has_columnref, ctx);
}

/* ORDER BY keys; a key equal to an earlier one is dropped, as PostgreSQL
 * drops it (it cannot change the order). */
static int
sort_keys(struct sqlc_sel *S, PgQuery__Node **items, size_t n, struct sqlc_sort **out, int *nout)
{
	struct sqlc_sort *k = dh_arena_zalloc(S->a, (n + 1) * sizeof(*k));
	int m = 0;
	for (size_t i = 0; i < n; i++) {
		const PgQuery__SortBy *sb = items[i]->sort_by;
		int dup = 0;
		for (size_t j = 0; j < i && !dup; j++)
			dup = dh__sqlc_node_eq(&sb->node->base, &items[j]->sort_by->node->base);
		if (dup)
			continue;
		k[m].desc = sb->sortby_dir == PG_QUERY__SORT_BY_DIR__SORTBY_DESC;
		k[m].nulls_first =
		    sb->sortby_nulls == PG_QUERY__SORT_BY_NULLS__SORTBY_NULLS_FIRST ||
		    (sb->sortby_nulls != PG_QUERY__SORT_BY_NULLS__SORTBY_NULLS_LAST && k[m].desc);
		k[m].col = -1;
		int rc = dh_sqlx_compile(&S->cc, sb->node, &k[m].x);
		if (rc == 0)
			rc = dh_sqlx_resolve_unknown(&S->cc, k[m].x, &k[m].x);
		if (rc)
			return rc;
		k[m].type = k[m].x->type;
		m++;
	}
	*out = k;
	*nout = m;
	return 0;
}

/* A window definition with its references to WINDOW clauses resolved. */
struct wdef {
	PgQuery__Node **part, **ord;
	size_t npart, nord;
	const PgQuery__WindowDef *fr; /* whose frame_options and offsets apply */
	int location;
};

/* Resolve wd: an OVER clause (clause < 0) or WINDOW clause item number
 * clause, which may name only the items before it. */
static int
resolve_def(struct sqlc_sel *S, const PgQuery__WindowDef *wd, int clause, struct wdef *out)
{
	int over_name = clause < 0 && wd->name && *wd->name && !(wd->refname && *wd->refname);
	const char *ref = over_name ? wd->name : wd->refname && *wd->refname ? wd->refname : NULL;
	*out = (struct wdef){
	    wd->partition_clause, wd->order_clause, wd->n_partition_clause, wd->n_order_clause, wd,
	    wd->location};
	if (!ref)
		return 0;
	size_t lim = clause < 0 ? S->nwindow_clause : (size_t)clause;
	int found = -1;
	for (size_t i = 0; i < lim && found < 0; i++) {
		const PgQuery__WindowDef *c = S->window_clause[i]->window_def;
		if (c->name && strcmp(c->name, ref) == 0)
			found = (int)i;
	}
	if (found < 0) {
		dh_err_sql(S->r->err, "42704", "window \"%s\" does not exist", ref);
		return dh__sql_at(S->r, wd->location, DH_ESQL);
	}
	struct wdef base;
	int rc = resolve_def(S, S->window_clause[found]->window_def, found, &base);
	if (rc)
		return rc;
	if (over_name) {
		/* OVER w: the window as it is defined, frame and all */
		*out = base;
		return 0;
	}
	if (wd->n_partition_clause) {
		dh_err_sql(S->r->err, "42P20",
			   "cannot override PARTITION BY clause of window \"%s\"", ref);
		return dh__sql_at(S->r, wd->location, DH_ESQL);
	}
	if (wd->n_order_clause && base.nord) {
		dh_err_sql(S->r->err, "42P20", "cannot override ORDER BY clause of window \"%s\"",
			   ref);
		return dh__sql_at(S->r, wd->location, DH_ESQL);
	}
	if (base.fr->frame_options & FO_NONDEFAULT) {
		dh_err_sql(S->r->err, "42P20",
			   "cannot copy window \"%s\" because it has a frame clause", ref);
		if (!wd->n_order_clause && !(wd->frame_options & FO_NONDEFAULT))
			dh_err_hint(S->r->err, "Omit the parentheses in this OVER clause.");
		return dh__sql_at(S->r, wd->location, DH_ESQL);
	}
	out->part = base.part;
	out->npart = base.npart;
	if (!wd->n_order_clause) {
		out->ord = base.ord;
		out->nord = base.nord;
	}
	return 0;
}

/* How a RANGE offset moves a value of the ORDER BY column's type
 * (PostgreSQL's in_range support functions). */
enum { RK_INT = 1, RK_FLOAT, RK_NUM, RK_DATE, RK_TIME, RK_TS, RK_IV };

static int
range_kind(uint32_t t, uint32_t *offtype)
{
	switch (t) {
	case DH_OID_INT2:
	case DH_OID_INT4:
	case DH_OID_INT8:
		*offtype = DH_OID_INT8;
		return RK_INT;
	case DH_OID_FLOAT4:
	case DH_OID_FLOAT8:
		*offtype = DH_OID_FLOAT8;
		return RK_FLOAT;
	case DH_OID_NUMERIC:
		*offtype = DH_OID_NUMERIC;
		return RK_NUM;
	case DH_OID_DATE:
		*offtype = DH_OID_INTERVAL;
		return RK_DATE;
	case DH_OID_TIME:
		*offtype = DH_OID_INTERVAL;
		return RK_TIME;
	case DH_OID_TIMESTAMP:
	case DH_OID_TIMESTAMPTZ:
		*offtype = DH_OID_INTERVAL;
		return RK_TS;
	case DH_OID_INTERVAL:
		*offtype = DH_OID_INTERVAL;
		return RK_IV;
	}
	return 0;
}

static const char *
type_name(uint32_t t)
{
	const struct dh_sqltype *tt = dh_sqltype_by_oid(t);
	return tt ? tt->sqlname : "unknown";
}

/* A frame offset: a constant of bigint (ROWS, GROUPS) or of the type
 * in_range wants for the ORDER BY column (RANGE). */
static int
frame_offset(struct sqlc_sel *S, const PgQuery__Node *n, int frame, const struct wdef *d,
	     const struct sqlc_win *w, struct dh_sqlx **out)
{
	const char *mode = frame & FO_ROWS ? "ROWS" : frame & FO_GROUPS ? "GROUPS" : "RANGE";
	if (has_columnref(&n->base, NULL)) {
		dh_err_sql(S->r->err, "42P10", "argument of %s must not contain variables", mode);
		return dh__sql_at(S->r, d->location, DH_ESQL);
	}
	/* no columns, but subqueries as in LIMIT */
	struct dh_sqlx_scope sc = dh__sqlc_limit_scope(S);
	struct dh_sqlx_cc cc = S->cc;
	cc.scope = &sc;
	int rc = dh_sqlx_compile(&cc, n, out);
	if (rc)
		return rc;
	uint32_t target = DH_OID_INT8;
	if (frame & FO_RANGE) {
		uint32_t ct = w->ord[0].type;
		if (ct == DH_OID_TIMETZ) {
			dh_err_sql(
			    S->r->err, "0A000",
			    "RANGE with offset PRECEDING/FOLLOWING over time with time zone is "
			    "not supported yet");
			return dh__sql_at(S->r, d->location, DH_ESQL);
		}
		if (!range_kind(ct, &target)) {
			dh_err_sql(
			    S->r->err, "0A000",
			    "RANGE with offset PRECEDING/FOLLOWING is not supported for column "
			    "type %s",
			    type_name(ct));
			return dh__sql_at(S->r, d->location, DH_ESQL);
		}
		struct dh_sqlcast c;
		uint32_t ot = (*out)->type;
		if (ot != DH_OID_UNKNOWN && ot != target &&
		    (!dh_sqlcast_find(ot, target, &c) || c.context != DH_CAST_IMPLICIT)) {
			dh_err_sql(
			    S->r->err, "0A000",
			    "RANGE with offset PRECEDING/FOLLOWING is not supported for column "
			    "type %s and offset type %s",
			    type_name(ct), type_name(ot));
			dh_err_hint(S->r->err, "Cast the offset value to an appropriate type.");
			return dh__sql_at(S->r, d->location, DH_ESQL);
		}
	}
	return dh_sqlx_coerce(&cc, *out, target, -1, DH_CAST_IMPLICIT, NULL, out);
}

/* The window definition: OVER (...) possibly naming a WINDOW clause. */
static int
window_def(struct sqlc_sel *S, const PgQuery__WindowDef *wd, struct sqlc_win *w)
{
	struct wdef d;
	int rc = resolve_def(S, wd, -1, &d);
	if (rc)
		return rc;
	w->part = dh_arena_zalloc(S->a, (d.npart + 1) * sizeof(*w->part));
	for (size_t i = 0; i < d.npart; i++) {
		if ((rc = dh_sqlx_compile(&S->cc, d.part[i], &w->part[i])) ||
		    (rc = dh_sqlx_resolve_unknown(&S->cc, w->part[i], &w->part[i])))
			return rc;
	}
	w->npart = (int)d.npart;
	if ((rc = sort_keys(S, d.ord, d.nord, &w->ord, &w->nord)))
		return rc;
	const PgQuery__WindowDef *fr = d.fr;
	w->frame = fr->frame_options & FO_NONDEFAULT ? fr->frame_options : FO_DEFAULTS;
	if ((w->frame & FO_RANGE) && (w->frame & (FO_START_OFFSET | FO_END_OFFSET)) &&
	    w->nord != 1) {
		dh_err_sql(S->r->err, "42P20",
			   "RANGE with offset PRECEDING/FOLLOWING requires exactly one ORDER BY "
			   "column");
		return dh__sql_at(S->r, d.location, DH_ESQL);
	}
	if ((w->frame & FO_GROUPS) && w->nord == 0) {
		dh_err_sql(S->r->err, "42P20", "GROUPS mode requires an ORDER BY clause");
		return dh__sql_at(S->r, d.location, DH_ESQL);
	}
	if ((w->frame & FO_START_OFFSET) && fr->start_offset &&
	    (rc = frame_offset(S, fr->start_offset, w->frame, &d, w, &w->soff)))
		return rc;
	if ((w->frame & FO_END_OFFSET) && fr->end_offset &&
	    (rc = frame_offset(S, fr->end_offset, w->frame, &d, w, &w->eoff)))
		return rc;
	return 0;
}

int
dh__sqlc_window_hook(struct sqlc_sel *S, const PgQuery__FuncCall *fc, int aggkind, int *slot,
		     uint32_t *type, int32_t *typmod)
{
	struct dh_err *err = S->r->err;
	const char *name = dh__sqlc_str(fc->funcname[fc->n_funcname - 1]);
	if (S->in_win) {
		dh_err_sql(err, "42P20",
			   S->in_win == 1
			       ? "window function calls cannot be nested"
			       : "window functions are not allowed in window definitions");
		return dh__sql_at(S->r, fc->location, DH_ESQL);
	}
	if (S->phase == 0 || S->win_forbidden) {
		dh_err_sql(err, "42P20", "window functions are not allowed in %s",
			   S->win_forbidden ? S->win_forbidden : "WHERE");
		return dh__sql_at(S->r, fc->location, DH_ESQL);
	}
	struct sqlc_win *w = dh_arena_zalloc(S->a, sizeof(*w));
	int rc, fi = winfn_of(fc);
	if (fi < 0 && aggkind < 0) {
		dh_err_sql(err, "42809",
			   "OVER specified, but %s is not a window function nor an "
			   "aggregate function",
			   name ? name : "?");
		return dh__sql_at(S->r, fc->location, DH_ESQL);
	}
	if (fc->agg_distinct) {
		dh_err_sql(err, "0A000", "DISTINCT is not implemented for window functions");
		return dh__sql_at(S->r, fc->location, DH_ESQL);
	}
	if (fc->n_agg_order) {
		dh_err_sql(err, "0A000",
			   "aggregate ORDER BY is not implemented for window functions");
		return dh__sql_at(S->r, fc->location, DH_ESQL);
	}
	if (fi >= 0 && fc->agg_filter) {
		dh_err_sql(err, "0A000",
			   "FILTER is not implemented for non-aggregate window functions");
		return dh__sql_at(S->r, fc->location, DH_ESQL);
	}
	S->in_win = 1;
	if (fi < 0) {
		/* an aggregate over a window: its arguments read the rows the
		 * window sees */
		w->fn = W_AGG;
		if ((rc = dh__sqlc_agg_build(S, fc, aggkind, 1, &w->agg)))
			goto out;
		w->type = w->agg.type;
	} else {
		w->fn = winfns[fi].fn;
		/* row_number(*) is row_number() to PostgreSQL */
		if ((int)fc->n_args < winfns[fi].nmin || (int)fc->n_args > winfns[fi].nmax ||
		    (fc->agg_star && fc->n_args)) {
			dh_err_sql(err, "42883", "function %s(%s) does not exist", name,
				   fc->n_args ? "..." : "");
			rc = dh__sql_at(S->r, fc->location, DH_ESQL);
			goto out;
		}
		w->nargs = (int)fc->n_args;
		for (int i = 0; i < w->nargs; i++) {
			if ((rc = dh_sqlx_compile(&S->cc, fc->args[i], &w->args[i])))
				goto out;
		}
		if (w->nargs && (w->fn == W_LAG || w->fn == W_LEAD || w->fn == W_FIRST_VALUE ||
				 w->fn == W_LAST_VALUE || w->fn == W_NTH_VALUE)) {
			if (w->nargs == 3) {
				/* lag(anycompatible, integer, anycompatible) */
				struct dh_sqlx *xs[2] = {w->args[0], w->args[2]};
				uint32_t t;
				int32_t tm;
				if ((rc = dh_sqlx_common_type(&S->cc, xs, 2, name, &t, &tm)))
					goto out;
				if (t == DH_OID_UNKNOWN)
					t = DH_OID_TEXT;
				if ((rc = dh_sqlx_coerce(&S->cc, w->args[0], t, -1,
							 DH_CAST_IMPLICIT, NULL, &w->args[0])) ||
				    (rc = dh_sqlx_coerce(&S->cc, w->args[2], t, -1,
							 DH_CAST_IMPLICIT, NULL, &w->args[2])))
					goto out;
			} else if ((rc =
					dh_sqlx_resolve_unknown(&S->cc, w->args[0], &w->args[0]))) {
				goto out;
			}
		}
		int intarg = w->fn == W_NTILE			   ? 0
			     : (w->fn == W_LAG || w->fn == W_LEAD) ? 1
			     : w->fn == W_NTH_VALUE		   ? 1
								   : -1;
		if (intarg >= 0 && intarg < w->nargs &&
		    (rc = dh_sqlx_coerce(&S->cc, w->args[intarg], DH_OID_INT8, -1, DH_CAST_IMPLICIT,
					 NULL, &w->args[intarg])))
			goto out;
		w->type = winfns[fi].type ? winfns[fi].type : w->args[0]->type;
	}
	S->in_win = 2;
	if ((rc = window_def(S, fc->over, w)))
		goto out;
	S->in_win = 0;
	w->slot = dh__sqlc_window_slot(S, w, w->type);
	if (S->nwins == S->awins) {
		S->awins = S->awins ? 2 * S->awins : 4;
		struct sqlc_win **n = dh_arena_alloc(S->a, (size_t)S->awins * sizeof(*n));
		if (S->nwins)
			memcpy(n, S->wins, (size_t)S->nwins * sizeof(*n));
		S->wins = n;
	}
	S->wins[S->nwins++] = w;
	*slot = w->slot;
	*type = w->type;
	*typmod = w->fn == W_AGG ? -1 : w->nargs ? w->args[0]->typmod : -1;
	if (w->fn == W_ROW_NUMBER || w->fn == W_RANK || w->fn == W_DENSE_RANK ||
	    w->fn == W_PERCENT_RANK || w->fn == W_CUME_DIST || w->fn == W_NTILE)
		*typmod = -1;
out:
	S->in_win = 0;
	return rc;
}

/* --- running ---------------------------------------------------------- */

/* Keys equal (NULLs equal) on k[0..n). */
static int
keys_eq(const struct dh_value *a, const struct dh_value *b, const struct sqlc_sort *k, int n)
{
	for (int i = 0; i < n; i++) {
		int an = a[i].type == DH_T_NONE, bn = b[i].type == DH_T_NONE;
		if (an || bn) {
			if (an != bn)
				return 0;
			continue;
		}
		if (dh_sqltype_cmp(k[i].type, &a[i], &b[i]) != 0)
			return 0;
	}
	return 1;
}

static int
eval_val(struct sqlc_sel *S, const struct dh_sqlx *x, const struct dh_value *row,
	 struct dh_value *out)
{
	struct dh_sqlx_run run = {
	    .a = S->a, .err = S->r->err, .env = S->cc.env, .row = row, .outer = S->outer};
	dh__sqlc_run_hooks(S, &run);
	return dh_sqlx_eval(x, &run, out);
}

static int
eval_int(struct sqlc_sel *S, const struct dh_sqlx *x, const struct dh_value *row, int64_t *out,
	 int *isnull)
{
	struct dh_value v;
	int rc = eval_val(S, x, row, &v);
	if (rc)
		return rc;
	*isnull = v.type == DH_T_NONE;
	*out = *isnull ? 0 : v.i;
	return 0;
}

/* One window call over the rows: its sort order, the current partition
 * and the frame of each of its rows. */
struct wrun {
	struct sqlc_sel *S;
	const struct sqlc_win *w;
	struct dh_value *rows;
	size_t wd;	       /* row width */
	struct dh_value *keys; /* partition and order keys per row */
	size_t kw;
	size_t *ord;		     /* sorted position -> row */
	int rkind;		     /* RANGE with an offset: RK_* */
	int64_t soff, eoff;	     /* ROWS, GROUPS offsets */
	struct dh_value sval, evalv; /* RANGE offsets */
	int range_checked;	     /* a RANGE offset was found not negative */
	/* per position of the current partition */
	size_t *plo, *phi;    /* its peer group [plo, phi) */
	size_t *gid, *gstart; /* peer group number; group -> first position */
	size_t *fs, *fe;      /* frame [fs, fe) before exclusion */
	/* an aggregate's inputs by position, once each (agg_input) */
	struct dh_value *in;
	unsigned char *done;
};

static const struct dh_value *
row_at(const struct wrun *R, size_t p)
{
	return R->rows + R->ord[p] * R->wd;
}

static const struct dh_value *
okey(const struct wrun *R, size_t p)
{
	return R->keys + R->ord[p] * R->kw + R->w->npart;
}

static int
opcall(struct sqlc_sel *S, const char *op, uint32_t l, uint32_t r, const struct dh_value *a,
       const struct dh_value *b, struct dh_value *out)
{
	const struct dh_sqlop *o = dh_sqlop_find(op, l, r);
	if (!o)
		return dh_err_sql(S->r->err, "0A000",
				  "operator %s on %s and %s is not supported yet", op, type_name(l),
				  type_name(r));
	struct dh_sqlcall c = {.arena = S->a, .err = S->r->err, .env = S->cc.env, .nargs = 2};
	struct dh_value args[2] = {*a, *b};
	return dh_sqlfn_call(o->fn, &c, args, out);
}

static int
bad_range_size(struct sqlc_sel *S)
{
	return dh_err_sql(S->r->err, "22013",
			  "invalid preceding or following size in window function");
}

static int
num_is(const struct dh_value *v, const char *s)
{
	size_t n = strlen(s);
	return v->s.n == n && memcmp(v->s.p, s, n) == 0;
}

/* PostgreSQL's in_range(val, base, offset, sub, less): is val >= base
 * +/- offset, or <= with less?  Offsets were found not negative first. */
static int
in_range(struct wrun *R, const struct dh_value *val, const struct dh_value *base,
	 const struct dh_value *off, int sub, int less, int *res)
{
	struct sqlc_sel *S = R->S;
	uint32_t ct = R->w->ord[0].type;
	struct dh_value sum;
	int rc, cmp;
	switch (R->rkind) {
	case RK_INT: {
		int64_t b = base->i, o = off->i, s;
		if (o < 0)
			return bad_range_size(S);
		if (sub ? b < INT64_MIN + o : b > INT64_MAX - o) {
			/* the true sum is beyond every value */
			*res = sub ? !less : less;
			return 0;
		}
		s = sub ? b - o : b + o;
		*res = less ? val->i <= s : val->i >= s;
		return 0;
	}
	case RK_FLOAT: {
		double v = val->d, b = base->d, o = off->d, s;
		if (isnan(o) || o < 0)
			return bad_range_size(S);
		if (isnan(v))
			*res = isnan(b) ? 1 : !less;
		else if (isnan(b))
			*res = less;
		else if (isinf(o) && isinf(b) && (sub ? b > 0 : b < 0))
			*res = 1;
		else {
			s = sub ? b - o : b + o;
			*res = less ? v <= s : v >= s;
		}
		return 0;
	}
	case RK_NUM:
		if (num_is(off, "NaN") || (off->s.n && off->s.p[0] == '-'))
			return bad_range_size(S);
		if (num_is(val, "NaN")) {
			*res = num_is(base, "NaN") ? 1 : !less;
		} else if (num_is(base, "NaN")) {
			*res = less;
		} else if (num_is(off, "Infinity")) {
			if (sub ? num_is(base, "Infinity") : num_is(base, "-Infinity"))
				*res = 1;
			else if (sub)
				*res = less ? num_is(val, "-Infinity") : 1;
			else
				*res = less ? 1 : num_is(val, "Infinity");
		} else if (num_is(val, "Infinity") || num_is(val, "-Infinity") ||
			   num_is(base, "Infinity") || num_is(base, "-Infinity")) {
			cmp = dh_sqltype_cmp(DH_OID_NUMERIC, val, base);
			*res = less ? cmp <= 0 : cmp >= 0;
		} else {
			if ((rc = opcall(S, sub ? "-" : "+", DH_OID_NUMERIC, DH_OID_NUMERIC, base,
					 off, &sum)))
				return rc;
			cmp = dh_sqltype_cmp(DH_OID_NUMERIC, val, &sum);
			*res = less ? cmp <= 0 : cmp >= 0;
		}
		return 0;
	case RK_TIME: {
		struct dh_interval iv;
		if (dh_sqltime_interval_get(off, &iv))
			return dh_err_sql(S->r->err, "XX000", "bad interval value");
		/* time +/- interval would wrap around midnight; in_range does not */
		if (iv.time < 0)
			return bad_range_size(S);
		int64_t s = sub ? base->i - iv.time : base->i + iv.time;
		*res = less ? val->i <= s : val->i >= s;
		return 0;
	}
	case RK_DATE:
	case RK_TS:
	case RK_IV: {
		struct dh_interval iv, zero = {0, 0, 0};
		if (dh_sqltime_interval_get(off, &iv))
			return dh_err_sql(S->r->err, "XX000", "bad interval value");
		if (dh_sqltime_interval_cmp(&iv, &zero) < 0)
			return bad_range_size(S);
		if ((rc = opcall(S, sub ? "-" : "+", ct, DH_OID_INTERVAL, base, off, &sum)))
			return rc;
		if (R->rkind == RK_DATE) {
			/* date +/- interval is a timestamp: compare as one */
			cmp = dh_sqltime_cmp(DH_SQLTIME_DATE, val->i, DH_SQLTIME_TIMESTAMP, sum.i,
					     S->cc.env ? S->cc.env->time : NULL);
		} else {
			cmp = dh_sqltype_cmp(ct, val, &sum);
		}
		*res = less ? cmp <= 0 : cmp >= 0;
		return 0;
	}
	}
	return dh_err_sql(S->r->err, "XX000", "RANGE offset of an unknown kind");
}

/* The frame bounds of every position of partition [ps, pe). */
static int
frames(struct wrun *R, size_t ps, size_t pe)
{
	const struct sqlc_win *w = R->w;
	int f = w->frame, rc;
	size_t ng = R->gid[pe - 1] + 1, hd = ps, tl = ps;
	const struct sqlc_sort *k = w->nord ? &w->ord[0] : NULL;
	/* in_range's flags: sub (offset subtracted), less (<= wanted) */
	int asc = !k || !k->desc, nf = k && k->nulls_first;
	int hsub = !!(f & FO_START_OFFSET_PRECEDING), hless = 0;
	int tsub = !!(f & FO_END_OFFSET_PRECEDING), tless = 1;
	if (!asc) {
		hsub = !hsub, hless = 1;
		tsub = !tsub, tless = 0;
	}
	for (size_t p = ps; p < pe; p++) {
		size_t g = R->gid[p], s, e;
		/* start */
		if (f & FO_START_UNBOUNDED_PRECEDING) {
			s = ps;
		} else if (f & FO_START_CURRENT_ROW) {
			s = f & FO_ROWS ? p : R->plo[p];
		} else if (f & FO_ROWS) {
			uint64_t o = (uint64_t)R->soff;
			if (f & FO_START_OFFSET_PRECEDING)
				s = o > p - ps ? ps : p - (size_t)o;
			else
				s = o >= pe - p ? pe : p + (size_t)o;
		} else if (f & FO_GROUPS) {
			uint64_t o = (uint64_t)R->soff;
			if (f & FO_START_OFFSET_PRECEDING)
				s = o > g ? ps : R->gstart[g - (size_t)o];
			else
				s = o >= ng - g ? pe : R->gstart[g + (size_t)o];
		} else {
			/* RANGE offset: the first row in range, NULLs peers of
			 * each other only */
			const struct dh_value *cv = okey(R, p);
			for (; hd < pe; hd++) {
				const struct dh_value *hv = okey(R, hd);
				int hn = hv->type == DH_T_NONE, cn = cv->type == DH_T_NONE, in;
				if (hn || cn) {
					if (nf ? (!hn || cn) : (hn || !cn))
						break;
					continue;
				}
				if ((rc = in_range(R, hv, cv, &R->sval, hsub, hless, &in)))
					return rc;
				if (in)
					break;
			}
			s = hd;
		}
		/* end, exclusive */
		if (f & FO_END_UNBOUNDED_FOLLOWING) {
			e = pe;
		} else if (f & FO_END_CURRENT_ROW) {
			e = f & FO_ROWS ? p + 1 : R->phi[p];
		} else if (f & FO_ROWS) {
			uint64_t o = (uint64_t)R->eoff;
			if (f & FO_END_OFFSET_PRECEDING)
				e = o > p - ps ? ps : p - (size_t)o + 1;
			else
				e = o >= pe - p ? pe : p + (size_t)o + 1;
		} else if (f & FO_GROUPS) {
			uint64_t o = (uint64_t)R->eoff;
			if (f & FO_END_OFFSET_PRECEDING)
				e = o > g ? ps : R->gstart[g - (size_t)o + 1];
			else
				e = o >= ng - g - 1 ? pe : R->gstart[g + (size_t)o + 1];
		} else {
			const struct dh_value *cv = okey(R, p);
			for (; tl < pe; tl++) {
				const struct dh_value *tv = okey(R, tl);
				int tn = tv->type == DH_T_NONE, cn = cv->type == DH_T_NONE, in;
				if (tn || cn) {
					if (nf ? !tn : !cn)
						break;
					continue;
				}
				if ((rc = in_range(R, tv, cv, &R->evalv, tsub, tless, &in)))
					return rc;
				if (!in)
					break;
			}
			e = tl;
		}
		R->fs[p] = s;
		R->fe[p] = e < s ? s : e;
	}
	return 0;
}

/* The rows of p's frame after exclusion: [a0, a1), then p itself when
 * keep, then [c0, c1). */
struct segs {
	size_t a0, a1, c0, c1;
	int keep;
	size_t p;
};

static void
segments(const struct wrun *R, size_t p, struct segs *g)
{
	int f = R->w->frame;
	size_t fs = R->fs[p], fe = R->fe[p], xs = fe, xe = fe;
	if (f & FO_EXCLUDE_CURRENT_ROW)
		xs = p, xe = p + 1;
	else if (f & (FO_EXCLUDE_GROUP | FO_EXCLUDE_TIES))
		xs = R->plo[p], xe = R->phi[p];
	g->a0 = fs;
	g->a1 = xs < fe ? (xs > fs ? xs : fs) : fe;
	g->c0 = xe > fs ? (xe < fe ? xe : fe) : fs;
	g->c1 = fe;
	if (g->c0 < g->a1)
		g->c0 = g->a1;
	g->keep = (f & FO_EXCLUDE_TIES) && p >= fs && p < fe;
	g->p = p;
}

static size_t
seg_count(const struct segs *g)
{
	return (g->a1 - g->a0) + (size_t)g->keep + (g->c1 - g->c0);
}

/* The i-th row of the frame (i < seg_count). */
static size_t
seg_at(const struct segs *g, size_t i)
{
	size_t na = g->a1 - g->a0;
	if (i < na)
		return g->a0 + i;
	i -= na;
	if (g->keep) {
		if (i == 0)
			return g->p;
		i--;
	}
	return g->c0 + i;
}

static int
segs_eq(const struct segs *a, const struct segs *b)
{
	return a->a0 == b->a0 && a->a1 == b->a1 && a->c0 == b->c0 && a->c1 == b->c1 &&
	       a->keep == b->keep && (!a->keep || a->p == b->p);
}

/* --- aggregates that can take rows out ---------------------------------- */

/* The state of count, sum, avg (not of floats), bool_and, bool_or over a
 * multiset of inputs that can shrink.  Numeric keeps its special values
 * apart from the sum and counts inputs per display scale: the sum's scale
 * is the largest one still in the frame, as PostgreSQL gives it. */
struct inv {
	int64_t n, nfin, ntrue, nnan, npinf, nninf;
	struct dh_value sum;
	int64_t *scale;
	size_t nscale;
};

static int
invertible(const struct sqlc_agg *g)
{
	switch (g->k) {
	case AG_COUNT:
	case AG_COUNT_STAR:
	case AG_BOOL_AND:
	case AG_BOOL_OR:
		return 1;
	case AG_SUM:
	case AG_AVG:
		/* float sums round differently taken apart: PostgreSQL has no
		 * inverse for them either */
		return g->plus &&
		       (g->plus->left == DH_OID_INT8 || g->plus->left == DH_OID_NUMERIC ||
			g->plus->left == DH_OID_INTERVAL);
	default:
		return 0;
	}
}

static size_t
num_scale(const struct dh_value *v)
{
	const char *dot = memchr(v->s.p, '.', v->s.n);
	return dot ? v->s.n - (size_t)(dot - v->s.p) - 1 : 0;
}

/* Add (sign 1) or remove (sign -1) input v. */
static int
inv_step(struct sqlc_sel *S, const struct sqlc_agg *g, struct inv *st, const struct dh_value *v,
	 int sign)
{
	if (v->type == DH_T_NONE)
		return 0;
	st->n += sign;
	if (g->k == AG_BOOL_AND || g->k == AG_BOOL_OR) {
		st->ntrue += v->b ? sign : 0;
		return 0;
	}
	if (g->k != AG_SUM && g->k != AG_AVG)
		return 0;
	uint32_t acc = g->plus->left;
	if (acc == DH_OID_NUMERIC) {
		if (num_is(v, "NaN")) {
			st->nnan += sign;
			return 0;
		}
		if (num_is(v, "Infinity")) {
			st->npinf += sign;
			return 0;
		}
		if (num_is(v, "-Infinity")) {
			st->nninf += sign;
			return 0;
		}
		size_t sc = num_scale(v);
		if (sc >= st->nscale) {
			size_t nn = sc + 8;
			st->scale = xrealloc(st->scale, nn * sizeof(*st->scale));
			memset(st->scale + st->nscale, 0, (nn - st->nscale) * sizeof(*st->scale));
			st->nscale = nn;
		}
		st->scale[sc] += sign;
	}
	st->nfin += sign;
	if (sign > 0 && st->sum.type == DH_T_NONE) {
		st->sum = *v;
		return 0;
	}
	if (st->nfin == 0) {
		st->sum.type = DH_T_NONE;
		return 0;
	}
	return opcall(S, sign > 0 ? "+" : "-", acc, acc, &st->sum, v, &st->sum);
}

static int
inv_final(struct sqlc_sel *S, const struct sqlc_agg *g, const struct inv *st, struct dh_value *out)
{
	out->type = DH_T_NONE;
	switch (g->k) {
	case AG_COUNT:
	case AG_COUNT_STAR:
		*out = (struct dh_value){.type = DH_T_LONG, .i = st->n};
		return 0;
	case AG_BOOL_AND:
	case AG_BOOL_OR:
		if (st->n)
			*out = (struct dh_value){.type = DH_T_BOOL,
						 .b = g->k == AG_BOOL_AND ? st->ntrue == st->n
									  : st->ntrue > 0};
		return 0;
	default:
		break;
	}
	if (st->n == 0)
		return 0;
	uint32_t acc = g->plus->left;
	struct dh_value sum = st->sum;
	if (acc == DH_OID_NUMERIC) {
		const char *special = st->nnan || (st->npinf && st->nninf) ? "NaN"
				      : st->npinf			   ? "Infinity"
				      : st->nninf			   ? "-Infinity"
									   : NULL;
		if (special) {
			*out = (struct dh_value){.type = DH_T_BIGDEC};
			out->s.p = special;
			out->s.n = strlen(special);
			return 0;
		}
		/* the digits past the largest scale left are zeros: drop them */
		size_t sc = st->nscale;
		while (sc > 0 && st->scale[sc - 1] == 0)
			sc--;
		sc = sc ? sc - 1 : 0;
		size_t have = num_scale(&sum);
		if (have > sc)
			sum.s.n -= have - sc + (sc == 0);
	}
	if (g->k == AG_SUM) {
		*out = sum;
		return 0;
	}
	struct dh_value cnt;
	if (acc == DH_OID_INTERVAL)
		cnt = (struct dh_value){.type = DH_T_DOUBLE, .d = (double)st->n};
	else
		dh_sqlnum_from_int64(st->n, S->a, &cnt);
	return opcall(S, "/", acc, acc == DH_OID_INTERVAL ? DH_OID_FLOAT8 : DH_OID_NUMERIC, &sum,
		      &cnt, out);
}

/* --- one window call ------------------------------------------------------- */

/* The aggregate's input at position p: its argument (count(*): 1) when
 * FILTER lets the row in, else NULL.  Computed once per row. */
static int
agg_input(struct wrun *R, size_t p, const struct dh_value **out)
{
	struct dh_value *in = R->in;
	unsigned char *done = R->done;
	struct sqlc_sel *S = R->S;
	const struct sqlc_agg *g = &R->w->agg;
	int rc;
	if (!done[p]) {
		struct dh_sqlx_run run = {.a = S->a,
					  .err = S->r->err,
					  .env = S->cc.env,
					  .row = row_at(R, p),
					  .outer = S->outer};
		dh__sqlc_run_hooks(S, &run);
		in[p].type = DH_T_NONE;
		rc = g->filter ? dh_sqlx_test(g->filter, &run) : 1;
		if (rc < 0)
			return rc;
		if (rc > 0) {
			if (g->k == AG_COUNT_STAR)
				in[p] = (struct dh_value){.type = DH_T_LONG, .i = 1};
			else if ((rc = dh_sqlx_eval(g->arg, &run, &in[p])))
				return rc;
		}
		done[p] = 1;
	}
	*out = &in[p];
	return 0;
}

/* An aggregate over every row's frame in partition [ps, pe). */
static int
agg_partition(struct wrun *R, size_t ps, size_t pe, struct dh_value *res)
{
	struct sqlc_sel *S = R->S;
	const struct sqlc_agg *g = &R->w->agg;
	int excl = (R->w->frame & FO_EXCLUSION) != 0, rc = 0;
	if (invertible(g)) {
		size_t cs = ps, ce = ps;
		struct dh_value *in = R->in;
		struct inv st = {0}, tmp = {0};
		const struct dh_value *v;
		for (size_t p = ps; p < pe && rc == 0; p++) {
			size_t fs = R->fs[p], fe = R->fe[p];
			if (fs < cs || fe < ce || fs >= ce) {
				free(st.scale);
				st = (struct inv){0};
				cs = ce = fs;
			}
			for (; ce < fe && rc == 0; ce++)
				if ((rc = agg_input(R, ce, &v)) == 0)
					rc = inv_step(S, g, &st, v, 1);
			for (; cs < fs && rc == 0; cs++)
				rc = inv_step(S, g, &st, &in[cs], -1);
			if (rc)
				break;
			struct segs sg;
			segments(R, p, &sg);
			size_t kept = seg_count(&sg), out = (fe - fs) - kept;
			struct dh_value *o = &res[R->ord[p]];
			if (p > ps && !excl && fs == R->fs[p - 1] && fe == R->fe[p - 1]) {
				/* a peer's frame, as RANGE and GROUPS give */
				*o = res[R->ord[p - 1]];
				continue;
			}
			if (out == 0) {
				rc = inv_final(S, g, &st, o);
			} else if (out <= kept) {
				/* take the excluded rows out for this row only */
				for (size_t q = sg.a1; q < sg.c0 && rc == 0; q++)
					if (!(sg.keep && q == p))
						rc = inv_step(S, g, &st, &in[q], -1);
				if (rc == 0)
					rc = inv_final(S, g, &st, o);
				for (size_t q = sg.a1; q < sg.c0 && rc == 0; q++)
					if (!(sg.keep && q == p))
						rc = inv_step(S, g, &st, &in[q], 1);
			} else {
				free(tmp.scale);
				tmp = (struct inv){0};
				for (size_t i = 0; i < kept && rc == 0; i++)
					rc = inv_step(S, g, &tmp, &in[seg_at(&sg, i)], 1);
				if (rc == 0)
					rc = inv_final(S, g, &tmp, o);
			}
		}
		free(st.scale);
		free(tmp.scale);
		return rc;
	}
	/* the others: extend while the head stays, else start over */
	struct sqlc_aggst *st = xcalloc(1, dh__sqlc_aggst_size());
	size_t cs = ps, ce = ps;
	struct segs last = {0};
	int have_last = 0;
	struct dh_value last_v = {.type = DH_T_NONE};
	for (size_t p = ps; p < pe && rc == 0; p++) {
		struct dh_value *o = &res[R->ord[p]];
		size_t fs = R->fs[p], fe = R->fe[p];
		if (excl) {
			struct segs sg;
			segments(R, p, &sg);
			if (have_last && segs_eq(&sg, &last)) {
				*o = last_v;
				continue;
			}
			dh__sqlc_aggst_release(st);
			size_t kept = seg_count(&sg);
			for (size_t i = 0; i < kept && rc == 0; i++)
				rc = dh__sqlc_agg_step(S, g, st, row_at(R, seg_at(&sg, i)));
			if (rc == 0)
				rc = dh__sqlc_agg_final(S, g, st, o);
			last = sg;
			have_last = 1;
			last_v = *o;
			continue;
		}
		if (p > ps && fs == R->fs[p - 1] && fe == R->fe[p - 1]) {
			/* the same frame: its value again (string_agg's is not
			 * copied once per row) */
			*o = res[R->ord[p - 1]];
			continue;
		}
		if (fs != cs || fe < ce) {
			dh__sqlc_aggst_release(st);
			cs = ce = fs;
		}
		for (; ce < fe && rc == 0; ce++)
			rc = dh__sqlc_agg_step(S, g, st, row_at(R, ce));
		if (rc == 0)
			rc = dh__sqlc_agg_final(S, g, st, o);
	}
	dh__sqlc_aggst_release(st);
	free(st);
	return rc;
}

/* Evaluate the frame offsets once, as PostgreSQL does before the first
 * row (and so also over no rows). */
static int
offsets(struct wrun *R)
{
	struct sqlc_sel *S = R->S;
	const struct sqlc_win *w = R->w;
	struct dh_value dummy = {.type = DH_T_NONE};
	int rc;
	for (int i = 0; i < 2; i++) {
		const struct dh_sqlx *x = i ? w->eoff : w->soff;
		struct dh_value *v = i ? &R->evalv : &R->sval;
		if (!x)
			continue;
		if ((rc = eval_val(S, x, &dummy, v)))
			return rc;
		if (v->type == DH_T_NONE)
			return dh_err_sql(S->r->err, "22004", "frame %s offset must not be null",
					  i ? "ending" : "starting");
		if (w->frame & (FO_ROWS | FO_GROUPS)) {
			if (v->i < 0)
				return dh_err_sql(S->r->err, "22013",
						  "frame %s offset must not be negative",
						  i ? "ending" : "starting");
			if (i)
				R->eoff = v->i;
			else
				R->soff = v->i;
		}
	}
	if ((w->frame & FO_RANGE) && (w->soff || w->eoff)) {
		uint32_t ot;
		R->rkind = range_kind(w->ord[0].type, &ot);
	}
	return 0;
}

static int
one_window(struct sqlc_sel *S, struct sqlc_win *w, struct dh_value *rows, size_t n, size_t wd)
{
	int np = w->npart, no = w->nord, rc = 0;
	size_t kw = (size_t)(np + no), nn = n ? n : 1;
	struct wrun R = {.S = S, .w = w, .rows = rows, .wd = wd, .kw = kw};
	if ((rc = offsets(&R)))
		return rc;
	R.keys = xmalloc(nn * (kw ? kw : 1) * sizeof(*R.keys));
	struct sqlc_sort *ks = dh_arena_zalloc(S->a, (kw + 1) * sizeof(*ks));
	for (int i = 0; i < np; i++)
		ks[i] = (struct sqlc_sort){w->part[i], -1, 0, 0, w->part[i]->type};
	for (int i = 0; i < no; i++)
		ks[np + i] = w->ord[i];
	for (size_t r = 0; r < n && rc == 0; r++)
		for (size_t k = 0; k < kw && rc == 0; k++)
			rc = eval_val(S, ks[k].x, rows + r * wd, &R.keys[r * kw + k]);
	R.ord = xmalloc(nn * sizeof(*R.ord));
	for (size_t i = 0; i < n; i++)
		R.ord[i] = i;
	if (rc == 0 && kw)
		rc = dh__sqlc_sort(S->r, R.ord, n, R.keys, kw, 0, ks, (int)kw);
	/* gstart last: a partition of k groups has k + 1 entries */
	size_t *scratch = xmalloc((6 * nn + 1) * sizeof(*scratch));
	R.plo = scratch, R.phi = scratch + nn, R.gid = scratch + 2 * nn;
	R.fs = scratch + 3 * nn, R.fe = scratch + 4 * nn, R.gstart = scratch + 5 * nn;
	if (w->fn == W_AGG && invertible(&w->agg)) {
		R.in = xmalloc(nn * sizeof(*R.in));
		R.done = xcalloc(nn, 1);
	}
	struct dh_value *res = xmalloc(nn * sizeof(*res));
	for (size_t ps = 0; ps < n && rc == 0;) {
		/* the partition [ps, pe) in sorted order, its peer groups */
		size_t pe = ps + 1, ng = 0;
		while (pe < n && keys_eq(R.keys + R.ord[ps] * kw, R.keys + R.ord[pe] * kw, ks, np))
			pe++;
		for (size_t p = ps; p < pe;) {
			size_t q = p + 1;
			while (q < pe && keys_eq(okey(&R, p), okey(&R, q), ks + np, no))
				q++;
			R.gstart[ng] = p;
			for (; p < q; p++) {
				R.plo[p] = R.gstart[ng];
				R.phi[p] = q;
				R.gid[p] = ng;
			}
			ng++;
		}
		R.gstart[ng] = pe;
		if ((rc = frames(&R, ps, pe)))
			break;
		size_t cnt = pe - ps;
		int64_t nt = 0, nt_rows = 0, nt_bound = 0, nt_rem = 0; /* ntile's state */
		if (w->fn == W_AGG) {
			rc = agg_partition(&R, ps, pe, res);
			ps = pe;
			continue;
		}
		for (size_t p = ps; p < pe && rc == 0; p++) {
			const struct dh_value *row = row_at(&R, p);
			struct dh_value *o = &res[R.ord[p]];
			o->type = DH_T_NONE;
			switch (w->fn) {
			case W_AGG:
				break;
			case W_ROW_NUMBER:
				*o = (struct dh_value){.type = DH_T_LONG,
						       .i = (int64_t)(p - ps + 1)};
				break;
			case W_RANK:
				*o = (struct dh_value){.type = DH_T_LONG,
						       .i = (int64_t)(R.plo[p] - ps + 1)};
				break;
			case W_DENSE_RANK:
				*o = (struct dh_value){.type = DH_T_LONG,
						       .i = (int64_t)R.gid[p] + 1};
				break;
			case W_PERCENT_RANK:
				*o = (struct dh_value){.type = DH_T_DOUBLE,
						       .d = cnt > 1 ? (double)(R.plo[p] - ps) /
									  (double)(cnt - 1)
								    : 0.0};
				break;
			case W_CUME_DIST:
				*o = (struct dh_value){.type = DH_T_DOUBLE,
						       .d = (double)(R.phi[p] - ps) / (double)cnt};
				break;
			case W_NTILE:
				/* PostgreSQL's window_ntile: the bucket count is read
				 * at the partition's first row (again while NULL) */
				if (nt == 0) {
					int64_t nb;
					int isnull;
					if ((rc = eval_int(S, w->args[0], row, &nb, &isnull)) ||
					    isnull)
						break;
					if (nb <= 0) {
						rc = dh_err_sql(
						    S->r->err, "22014",
						    "argument of ntile must be greater than "
						    "zero");
						break;
					}
					nt = 1;
					nt_rows = 0;
					nt_bound = (int64_t)cnt / nb;
					if (nt_bound <= 0) {
						nt_bound = 1;
					} else {
						nt_rem = (int64_t)cnt % nb;
						if (nt_rem)
							nt_bound++;
					}
				}
				if (++nt_rows > nt_bound) {
					if (nt_rem && nt == nt_rem) {
						nt_rem = 0;
						nt_bound--;
					}
					nt++;
					nt_rows = 1;
				}
				*o = (struct dh_value){.type = DH_T_LONG, .i = nt};
				break;
			case W_LAG:
			case W_LEAD: {
				int64_t off = 1;
				int isnull = 0;
				if (w->nargs >= 2 &&
				    (rc = eval_int(S, w->args[1], row, &off, &isnull)))
					break;
				if (isnull)
					break;
				/* the row off before (lag) or after (lead) p, if any;
				 * written so that no offset overflows */
				int64_t at = (int64_t)(p - ps), c = (int64_t)cnt;
				int in = w->fn == W_LAG ? off <= at && off > at - c
							: off >= -at && off < c - at;
				if (in)
					rc = eval_val(
					    S, w->args[0],
					    row_at(&R, ps + (size_t)(w->fn == W_LAG ? at - off
										    : at + off)),
					    o);
				else if (w->nargs == 3)
					rc = eval_val(S, w->args[2], row, o);
				break;
			}
			case W_FIRST_VALUE:
			case W_LAST_VALUE:
			case W_NTH_VALUE: {
				struct segs sg;
				segments(&R, p, &sg);
				size_t fc = seg_count(&sg), at;
				if (w->fn == W_NTH_VALUE) {
					int64_t k;
					int isnull;
					if ((rc = eval_int(S, w->args[1], row, &k, &isnull)) ||
					    isnull)
						break;
					if (k <= 0) {
						rc = dh_err_sql(
						    S->r->err, "22016",
						    "argument of nth_value must be greater "
						    "than zero");
						break;
					}
					if ((uint64_t)k > fc)
						break;
					at = (size_t)k - 1;
				} else {
					if (fc == 0)
						break;
					at = w->fn == W_FIRST_VALUE ? 0 : fc - 1;
				}
				rc = eval_val(S, w->args[0], row_at(&R, seg_at(&sg, at)), o);
				break;
			}
			}
		}
		ps = pe;
	}
	/* results go in after every row was read: another window call may
	 * read the rows in between */
	if (rc == 0)
		for (size_t r = 0; r < n; r++)
			rows[r * wd + (size_t)w->slot] = res[r];
	free(R.in);
	free(R.done);
	free(res);
	free(scratch);
	free(R.ord);
	free(R.keys);
	return rc;
}

int
dh__sqlc_windows(struct sqlc_sel *S, struct dh_value *rows, size_t n, size_t w)
{
	for (int i = 0; i < S->nwins; i++) {
		int rc = one_window(S, S->wins[i], rows, n, w);
		if (rc)
			return rc;
	}
	return 0;
}
