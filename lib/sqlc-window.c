/*
 * sqlc-window: window functions.  They run after grouping and HAVING, over
 * the rows the select list reads: each call's rows are sorted by its
 * PARTITION BY and ORDER BY, and for each row its function is computed
 * over its partition or its frame: row_number, rank, dense_rank,
 * percent_rank, cume_dist, ntile, lag, lead, first_value, last_value,
 * nth_value, and every aggregate (sqlc-agg.c) with ROWS or RANGE frames
 * bounded by UNBOUNDED, CURRENT ROW or (ROWS) an offset.
 */
#include <stdlib.h>
#include <string.h>

#include "sqlc-int.h"

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
	FO_EXCLUSION = 0x08000 | 0x10000 | 0x20000,
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
sort_keys(struct sqlc_sel *S, PgQuery__Node **items, size_t n, struct sqlc_sort **out, int *nout)
{
	struct sqlc_sort *k = dh_arena_zalloc(S->a, (n + 1) * sizeof(*k));
	for (size_t i = 0; i < n; i++) {
		const PgQuery__SortBy *sb = items[i]->sort_by;
		k[i].desc = sb->sortby_dir == PG_QUERY__SORT_BY_DIR__SORTBY_DESC;
		k[i].nulls_first = sb->sortby_nulls == PG_QUERY__SORT_BY_NULLS__SORTBY_NULLS_FIRST ||
				   (sb->sortby_nulls != PG_QUERY__SORT_BY_NULLS__SORTBY_NULLS_LAST &&
				    k[i].desc);
		k[i].col = -1;
		int rc = dh_sqlx_compile(&S->cc, sb->node, &k[i].x);
		if (rc == 0)
			rc = dh_sqlx_resolve_unknown(&S->cc, k[i].x, &k[i].x);
		if (rc)
			return rc;
		k[i].type = k[i].x->type;
	}
	*out = k;
	*nout = (int)n;
	return 0;
}

/* The window definition: OVER (...) possibly naming a WINDOW clause. */
static int
window_def(struct sqlc_sel *S, const PgQuery__WindowDef *wd, struct sqlc_win *w, int location)
{
	const PgQuery__WindowDef *base = NULL;
	const char *ref = wd->refname && *wd->refname ? wd->refname
			  : wd->name && *wd->name && !wd->n_partition_clause && !wd->n_order_clause &&
				    !(wd->frame_options & FO_NONDEFAULT)
			      ? wd->name
			      : NULL;
	if (ref) {
		for (size_t i = 0; i < S->nwindow_clause; i++) {
			const PgQuery__WindowDef *c = S->window_clause[i]->window_def;
			if (c->name && strcmp(c->name, ref) == 0)
				base = c;
		}
		if (!base) {
			dh_err_sql(S->r->err, "42704", "window \"%s\" does not exist", ref);
			return dh__sql_at(S->r, location, DH_ESQL);
		}
	}
	PgQuery__Node **part = wd->n_partition_clause || !base ? wd->partition_clause
								: base->partition_clause;
	size_t npart = wd->n_partition_clause || !base ? wd->n_partition_clause
						       : base->n_partition_clause;
	PgQuery__Node **ord = wd->n_order_clause || !base ? wd->order_clause : base->order_clause;
	size_t nord = wd->n_order_clause || !base ? wd->n_order_clause : base->n_order_clause;
	const PgQuery__WindowDef *fr = (wd->frame_options & FO_NONDEFAULT) || !base ? wd : base;
	int rc;
	w->part = dh_arena_zalloc(S->a, (npart + 1) * sizeof(*w->part));
	for (size_t i = 0; i < npart; i++) {
		if ((rc = dh_sqlx_compile(&S->cc, part[i], &w->part[i])) ||
		    (rc = dh_sqlx_resolve_unknown(&S->cc, w->part[i], &w->part[i])))
			return rc;
	}
	w->npart = (int)npart;
	if ((rc = sort_keys(S, ord, nord, &w->ord, &w->nord)))
		return rc;
	w->frame = fr->frame_options & FO_NONDEFAULT ? fr->frame_options : FO_DEFAULTS;
	if (w->frame & (FO_GROUPS | FO_EXCLUSION)) {
		dh_err_sql(S->r->err, "0A000", "GROUPS frames and EXCLUDE are not supported yet");
		return dh__sql_at(S->r, location, DH_ESQL);
	}
	if ((w->frame & FO_RANGE) &&
	    (w->frame & (FO_START_OFFSET_PRECEDING | FO_START_OFFSET_FOLLOWING |
			 FO_END_OFFSET_PRECEDING | FO_END_OFFSET_FOLLOWING))) {
		dh_err_sql(S->r->err, "0A000", "RANGE frames with an offset are not supported yet");
		return dh__sql_at(S->r, location, DH_ESQL);
	}
	struct dh_sqlx_cc cc = S->cc;
	cc.scope = NULL;
	if (fr->start_offset &&
	    ((rc = dh_sqlx_compile(&cc, fr->start_offset, &w->soff)) ||
	     (rc = dh_sqlx_coerce(&cc, w->soff, DH_OID_INT8, -1, DH_CAST_IMPLICIT, NULL, &w->soff))))
		return rc;
	if (fr->end_offset &&
	    ((rc = dh_sqlx_compile(&cc, fr->end_offset, &w->eoff)) ||
	     (rc = dh_sqlx_coerce(&cc, w->eoff, DH_OID_INT8, -1, DH_CAST_IMPLICIT, NULL, &w->eoff))))
		return rc;
	return 0;
}

int
dh__sqlc_window_hook(struct sqlc_sel *S, const PgQuery__FuncCall *fc, int aggkind, int *slot,
		     uint32_t *type, int32_t *typmod)
{
	struct dh_err *err = S->r->err;
	const char *name = dh__sqlc_str(fc->funcname[fc->n_funcname - 1]);
	if (S->phase == 0) {
		dh_err_sql(err, "42P20", "window functions are not allowed in WHERE");
		return dh__sql_at(S->r, fc->location, DH_ESQL);
	}
	struct sqlc_win *w = dh_arena_zalloc(S->a, sizeof(*w));
	int rc, fi = -1;
	for (size_t i = 0; name && i < DH_ARRAY_SIZE(winfns); i++)
		if (strcmp(name, winfns[i].n) == 0)
			fi = (int)i;
	if (fi < 0 && aggkind < 0) {
		dh_err_sql(err, "42809", "OVER specified, but %s is not a window function nor an "
					 "aggregate function",
			   name ? name : "?");
		return dh__sql_at(S->r, fc->location, DH_ESQL);
	}
	if (fc->agg_distinct) {
		dh_err_sql(err, "0A000", "DISTINCT is not implemented for window functions");
		return dh__sql_at(S->r, fc->location, DH_ESQL);
	}
	if (fc->n_agg_order) {
		dh_err_sql(err, "0A000", "aggregate ORDER BY is not implemented for window functions");
		return dh__sql_at(S->r, fc->location, DH_ESQL);
	}
	if (fi < 0) {
		/* an aggregate over a window: its arguments read the rows the
		 * window sees */
		w->fn = W_AGG;
		if ((rc = dh__sqlc_agg_build(S, fc, aggkind, 1, &w->agg)))
			return rc;
		w->type = w->agg.type;
	} else {
		w->fn = winfns[fi].fn;
		if ((int)fc->n_args < winfns[fi].nmin || (int)fc->n_args > winfns[fi].nmax ||
		    fc->agg_star) {
			dh_err_sql(err, "42883", "function %s(%s) does not exist", name,
				   fc->n_args ? "..." : "");
			return dh__sql_at(S->r, fc->location, DH_ESQL);
		}
		w->nargs = (int)fc->n_args;
		for (int i = 0; i < w->nargs; i++) {
			if ((rc = dh_sqlx_compile(&S->cc, fc->args[i], &w->args[i])))
				return rc;
		}
		if (w->nargs && (w->fn == W_LAG || w->fn == W_LEAD || w->fn == W_FIRST_VALUE ||
				 w->fn == W_LAST_VALUE || w->fn == W_NTH_VALUE)) {
			if (w->nargs == 3) {
				/* lag(anycompatible, integer, anycompatible) */
				struct dh_sqlx *xs[2] = {w->args[0], w->args[2]};
				uint32_t t;
				int32_t tm;
				if ((rc = dh_sqlx_common_type(&S->cc, xs, 2, name, &t, &tm)))
					return rc;
				if (t == DH_OID_UNKNOWN)
					t = DH_OID_TEXT;
				if ((rc = dh_sqlx_coerce(&S->cc, w->args[0], t, -1, DH_CAST_IMPLICIT, NULL,
							 &w->args[0])) ||
				    (rc = dh_sqlx_coerce(&S->cc, w->args[2], t, -1, DH_CAST_IMPLICIT, NULL,
							 &w->args[2])))
					return rc;
			} else if ((rc = dh_sqlx_resolve_unknown(&S->cc, w->args[0], &w->args[0]))) {
				return rc;
			}
		}
		int intarg = w->fn == W_NTILE ? 0 : (w->fn == W_LAG || w->fn == W_LEAD) ? 1
						   : w->fn == W_NTH_VALUE ? 1 : -1;
		if (intarg >= 0 && intarg < w->nargs &&
		    (rc = dh_sqlx_coerce(&S->cc, w->args[intarg], DH_OID_INT8, -1, DH_CAST_IMPLICIT,
					 NULL, &w->args[intarg])))
			return rc;
		w->type = winfns[fi].type ? winfns[fi].type : w->args[0]->type;
	}
	if ((rc = window_def(S, fc->over, w, fc->location)))
		return rc;
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
	return 0;
}

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
eval_int(struct sqlc_sel *S, const struct dh_sqlx *x, const struct dh_value *row, int64_t *out,
	 int *isnull)
{
	struct dh_value v;
	struct dh_sqlx_run run = {.a = S->a, .err = S->r->err, .env = S->cc.env, .row = row,
				  .outer = S->outer};
	dh__sqlc_run_hooks(S, &run);
	int rc = dh_sqlx_eval(x, &run, &v);
	if (rc)
		return rc;
	*isnull = v.type == DH_T_NONE;
	*out = *isnull ? 0 : v.i;
	return 0;
}

static int
eval_val(struct sqlc_sel *S, const struct dh_sqlx *x, const struct dh_value *row,
	 struct dh_value *out)
{
	struct dh_sqlx_run run = {.a = S->a, .err = S->r->err, .env = S->cc.env, .row = row,
				  .outer = S->outer};
	dh__sqlc_run_hooks(S, &run);
	return dh_sqlx_eval(x, &run, out);
}

/* The frame of position p in the partition [ps, pe) as [*fs, *fe). */
static int
frame_of(struct sqlc_sel *S, const struct sqlc_win *w, size_t ps, size_t pe, size_t p,
	 size_t peer_lo, size_t peer_hi, const struct dh_value *row, size_t *fs, size_t *fe)
{
	int f = w->frame, rc, isnull;
	int64_t off;
	/* start */
	if (f & FO_START_UNBOUNDED_PRECEDING) {
		*fs = ps;
	} else if (f & FO_START_CURRENT_ROW) {
		*fs = (f & FO_ROWS) ? p : peer_lo;
	} else if (f & (FO_START_OFFSET_PRECEDING | FO_START_OFFSET_FOLLOWING)) {
		if ((rc = eval_int(S, w->soff, row, &off, &isnull)))
			return rc;
		if (isnull)
			return dh_err_sql(S->r->err, "22004", "frame starting offset must not be null");
		if (off < 0)
			return dh_err_sql(S->r->err, "22013",
					  "frame starting offset must not be negative");
		if (f & FO_START_OFFSET_PRECEDING)
			*fs = (size_t)off > p - ps ? ps : p - (size_t)off;
		else
			*fs = p + (size_t)off > pe ? pe : p + (size_t)off;
	} else {
		*fs = pe; /* UNBOUNDED FOLLOWING as a start: empty */
	}
	/* end (exclusive) */
	if (f & FO_END_UNBOUNDED_FOLLOWING) {
		*fe = pe;
	} else if (f & FO_END_CURRENT_ROW) {
		*fe = (f & FO_ROWS) ? p + 1 : peer_hi;
	} else if (f & (FO_END_OFFSET_PRECEDING | FO_END_OFFSET_FOLLOWING)) {
		if ((rc = eval_int(S, w->eoff, row, &off, &isnull)))
			return rc;
		if (isnull)
			return dh_err_sql(S->r->err, "22004", "frame ending offset must not be null");
		if (off < 0)
			return dh_err_sql(S->r->err, "22013", "frame ending offset must not be negative");
		if (f & FO_END_OFFSET_PRECEDING)
			*fe = (size_t)off > p - ps ? ps : p - (size_t)off + 1;
		else
			*fe = p + (size_t)off + 1 > pe ? pe : p + (size_t)off + 1;
	} else {
		*fe = ps; /* UNBOUNDED PRECEDING as an end: empty */
	}
	if (*fe < *fs)
		*fe = *fs;
	return 0;
}

static int
one_window(struct sqlc_sel *S, struct sqlc_win *w, struct dh_value *rows, size_t n, size_t wd)
{
	int np = w->npart, no = w->nord, rc = 0;
	size_t kw = (size_t)(np + no);
	struct dh_value *keys = xmalloc((n ? n : 1) * (kw ? kw : 1) * sizeof(*keys));
	struct sqlc_sort *ks = dh_arena_zalloc(S->a, (kw + 1) * sizeof(*ks));
	for (int i = 0; i < np; i++)
		ks[i] = (struct sqlc_sort){w->part[i], -1, 0, 0, w->part[i]->type};
	for (int i = 0; i < no; i++)
		ks[np + i] = w->ord[i];
	for (size_t r = 0; r < n && rc == 0; r++)
		for (size_t k = 0; k < kw && rc == 0; k++)
			rc = eval_val(S, ks[k].x, rows + r * wd, &keys[r * kw + k]);
	size_t *ord = xmalloc((n ? n : 1) * sizeof(*ord));
	for (size_t i = 0; i < n; i++)
		ord[i] = i;
	if (rc == 0 && kw)
		rc = dh__sqlc_sort(S->r, ord, n, keys, kw, 0, ks, (int)kw);
	struct sqlc_aggst *st = xcalloc(1, dh__sqlc_aggst_size());
	struct dh_value *res = xmalloc((n ? n : 1) * sizeof(*res));
	for (size_t ps = 0; ps < n && rc == 0;) {
		/* the partition [ps, pe) in sorted order */
		size_t pe = ps + 1;
		while (pe < n && keys_eq(keys + ord[ps] * kw, keys + ord[pe] * kw, ks, np))
			pe++;
		size_t cnt = pe - ps;
		int64_t dense = 0;
		size_t peer_lo = ps, peer_hi = ps;
		size_t agg_done_to = ps; /* running aggregate: rows stepped so far */
		int running = w->fn == W_AGG && (w->frame & FO_START_UNBOUNDED_PRECEDING);
		dh__sqlc_aggst_release(st);
		for (size_t p = ps; p < pe && rc == 0; p++) {
			const struct dh_value *row = rows + ord[p] * wd;
			if (p >= peer_hi) {
				peer_lo = p;
				peer_hi = p + 1;
				while (peer_hi < pe &&
				       keys_eq(keys + ord[p] * kw + np, keys + ord[peer_hi] * kw + np,
					       ks + np, no))
					peer_hi++;
				dense++;
			}
			struct dh_value *o = &res[ord[p]];
			o->type = DH_T_NONE;
			switch (w->fn) {
			case W_ROW_NUMBER:
				*o = (struct dh_value){.type = DH_T_LONG, .i = (int64_t)(p - ps + 1)};
				break;
			case W_RANK:
				*o = (struct dh_value){.type = DH_T_LONG, .i = (int64_t)(peer_lo - ps + 1)};
				break;
			case W_DENSE_RANK:
				*o = (struct dh_value){.type = DH_T_LONG, .i = dense};
				break;
			case W_PERCENT_RANK:
				*o = (struct dh_value){.type = DH_T_DOUBLE,
						       .d = cnt > 1 ? (double)(peer_lo - ps) /
									  (double)(cnt - 1)
								    : 0.0};
				break;
			case W_CUME_DIST:
				*o = (struct dh_value){.type = DH_T_DOUBLE,
						       .d = (double)(peer_hi - ps) / (double)cnt};
				break;
			case W_NTILE: {
				int64_t nb;
				int isnull;
				if ((rc = eval_int(S, w->args[0], row, &nb, &isnull)))
					break;
				if (isnull)
					break;
				if (nb <= 0) {
					rc = dh_err_sql(S->r->err, "22014",
							"argument of ntile must be greater than zero");
					break;
				}
				size_t per = cnt / (size_t)nb, rem = cnt % (size_t)nb, r = p - ps, b;
				if (per == 0)
					b = r + 1;
				else if (r < rem * (per + 1))
					b = r / (per + 1) + 1;
				else
					b = (r - rem * (per + 1)) / per + rem + 1;
				*o = (struct dh_value){.type = DH_T_LONG, .i = (int64_t)b};
				break;
			}
			case W_LAG:
			case W_LEAD: {
				int64_t off = 1;
				int isnull = 0;
				if (w->nargs >= 2 && (rc = eval_int(S, w->args[1], row, &off, &isnull)))
					break;
				if (isnull)
					break;
				int64_t target = (int64_t)p + (w->fn == W_LAG ? -off : off);
				if (target >= (int64_t)ps && target < (int64_t)pe)
					rc = eval_val(S, w->args[0], rows + ord[target] * wd, o);
				else if (w->nargs == 3)
					rc = eval_val(S, w->args[2], row, o);
				break;
			}
			case W_FIRST_VALUE:
			case W_LAST_VALUE:
			case W_NTH_VALUE: {
				size_t fs, fe;
				if ((rc = frame_of(S, w, ps, pe, p, peer_lo, peer_hi, row, &fs, &fe)))
					break;
				size_t at;
				if (w->fn == W_NTH_VALUE) {
					int64_t k;
					int isnull;
					if ((rc = eval_int(S, w->args[1], row, &k, &isnull)) || isnull)
						break;
					if (k <= 0) {
						rc = dh_err_sql(S->r->err, "22016",
								"argument of nth_value must be greater "
								"than zero");
						break;
					}
					at = fs + (size_t)k - 1;
				} else {
					at = w->fn == W_FIRST_VALUE ? fs : fe - 1;
				}
				if (fe > fs && at >= fs && at < fe)
					rc = eval_val(S, w->args[0], rows + ord[at] * wd, o);
				break;
			}
			case W_AGG: {
				size_t fs, fe;
				if ((rc = frame_of(S, w, ps, pe, p, peer_lo, peer_hi, row, &fs, &fe)))
					break;
				if (running && fs == ps && fe >= agg_done_to) {
					for (; agg_done_to < fe && rc == 0; agg_done_to++)
						rc = dh__sqlc_agg_step(S, &w->agg, st,
								       rows + ord[agg_done_to] * wd);
				} else {
					dh__sqlc_aggst_release(st);
					agg_done_to = ps;
					running = 0;
					for (size_t k = fs; k < fe && rc == 0; k++)
						rc = dh__sqlc_agg_step(S, &w->agg, st, rows + ord[k] * wd);
				}
				if (rc == 0)
					rc = dh__sqlc_agg_final(S, &w->agg, st, o);
				break;
			}
			}
		}
		dh__sqlc_aggst_release(st);
		ps = pe;
	}
	/* results go in after every row was read (a window may read another's
	 * slot? no: windows cannot nest) */
	if (rc == 0)
		for (size_t r = 0; r < n; r++)
			rows[r * wd + (size_t)w->slot] = res[r];
	free(st);
	free(res);
	free(ord);
	free(keys);
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
