/*
 * sqlc-query: a query as a whole.  SELECT: FROM and WHERE (sqlc-from.c),
 * then grouping and aggregates (sqlc-agg.c), HAVING, the select list,
 * DISTINCT [ON], ORDER BY, LIMIT/OFFSET.  VALUES lists, UNION / INTERSECT
 * / EXCEPT [ALL] with PostgreSQL's column type resolution, and WITH
 * [RECURSIVE].  A query compiles once; running it again (a correlated
 * subquery, per outer row) reuses the plan, and an uncorrelated one keeps
 * its rows after the first run.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "sqlc-int.h"

static struct dh_sqlx **
grow(struct sqlc_sel *S, struct dh_sqlx **v, int n, int *cap)
{
	if (n < *cap)
		return v;
	*cap = *cap ? 2 * *cap : 16;
	struct dh_sqlx **nv = dh_arena_zalloc(S->a, (size_t)*cap * sizeof(*nv));
	if (n)
		memcpy(nv, v, (size_t)n * sizeof(*nv));
	return nv;
}

/* An ORDER BY / GROUP BY / DISTINCT ON item naming an output column: an
 * ordinal, or (ORDER BY) a bare name equal to a target's.  -1 if not. */
static int
target_ref(struct sqlc_sel *S, const PgQuery__Node *n, const char *clause, int *out)
{
	*out = -1;
	if (n->node_case == PG_QUERY__NODE__NODE_A_CONST &&
	    n->a_const->val_case == PG_QUERY__A__CONST__VAL_IVAL) {
		int k = n->a_const->ival->ival;
		if (k < 1 || k > S->nt) {
			dh_err_sql(S->r->err, "42P10", "%s position %d is not in select list", clause,
				   k);
			return dh__sql_at(S->r, n->a_const->location, DH_ESQL);
		}
		*out = k - 1;
		return 0;
	}
	if (n->node_case == PG_QUERY__NODE__NODE_COLUMN_REF && n->column_ref->n_fields == 1) {
		const char *name = dh__sqlc_str(n->column_ref->fields[0]);
		for (int i = 0; name && i < S->nt; i++)
			if (S->tnames[i] && strcmp(S->tnames[i], name) == 0) {
				*out = i;
				break;
			}
		if (*out >= 0 && strcmp(clause, "GROUP BY") == 0) {
			/* an input column of that name wins in GROUP BY */
			int slot;
			uint32_t t;
			int32_t tm;
			struct dh_err e2;
			const char *names[1] = {name};
			int ph = S->phase;
			S->phase = 0;
			int rc = dh__sqlc_col_hook(S, names, 1, -1, &slot, &t, &tm, &e2);
			S->phase = ph;
			if (rc == 0)
				*out = -1;
		}
	}
	return 0;
}

/* A constant-ish expression (LIMIT, OFFSET) compiled as bigint. */
static int
compile_count(struct sqlc_sel *S, const PgQuery__Node *n, struct dh_sqlx **out)
{
	/* no columns of this query; subqueries (uncorrelated) are fine */
	struct dh_sqlx_cc cc = S->cc;
	struct dh_sqlx_scope sc = dh__sqlc_limit_scope(S);
	cc.scope = &sc;
	int rc = dh_sqlx_compile(&cc, n, out);
	if (rc == 0)
		rc = dh_sqlx_coerce(&cc, *out, DH_OID_INT8, -1, DH_CAST_IMPLICIT, NULL, out);
	return rc;
}

static int
eval_count(struct sqlc_sel *S, struct dh__sqlrun *r, const struct dh_sqlx *x, const char *what,
	   int64_t *out, const struct dh_sqlx_run *outer)
{
	struct dh_value v;
	struct dh_sqlx_run run = {.a = r->a, .err = r->err, .env = dh__sql_env(r->s), .outer = outer};
	if (S)
		dh__sqlc_run_hooks(S, &run);
	int rc = dh_sqlx_eval(x, &run, &v);
	if (rc)
		return rc;
	if (v.type == DH_T_NONE) {
		*out = -1;
		return 0;
	}
	if (v.i < 0)
		return dh_err_sql(r->err, strcmp(what, "LIMIT") == 0 ? "2201W" : "2201X",
				  "%s must not be negative", what);
	*out = v.i;
	return 0;
}

/* --- GROUP BY --- */

#define MAX_GROUP_KEYS 64
#define MAX_GROUP_SETS 4096

/* The index of GROUP BY expression e among the keys (added if new). */
static int
group_key(struct sqlc_sel *S, const PgQuery__Node *g, const PgQuery__Node **src, int top,
	  int *out)
{
	int rc, ti = -1;
	const PgQuery__Node *e = g;
	if (top) {
		if ((rc = target_ref(S, g, "GROUP BY", &ti)))
			return rc;
		if (ti >= 0) {
			if (!src[ti]) {
				/* a star's column: its base slot */
				for (int i = 0; i < S->ngroup; i++)
					if (!S->group_src[i] && S->group[i]->slot == S->tl[ti]->slot) {
						*out = i;
						return 0;
					}
				if (S->ngroup == MAX_GROUP_KEYS)
					return dh_err_sql(S->r->err, "54000", "too many grouping keys");
				S->group_src[S->ngroup] = NULL;
				S->group[S->ngroup] = S->tl[ti];
				*out = S->ngroup++;
				return 0;
			}
			e = src[ti];
		}
	}
	for (int i = 0; i < S->ngroup; i++)
		if (S->group_src[i] &&
		    dh__sqlc_node_eq((const ProtobufCMessage *)e, (const ProtobufCMessage *)S->group_src[i])) {
			*out = i;
			return 0;
		}
	if (S->ngroup == MAX_GROUP_KEYS)
		return dh_err_sql(S->r->err, "54000", "too many grouping keys");
	struct dh_sqlx *gx;
	struct dh_sqlx_cc cc = S->cc;
	cc.scope = &S->base;
	int ph = S->phase;
	S->phase = 0;
	S->win_forbidden = "GROUP BY";
	rc = dh_sqlx_compile(&cc, e, &gx);
	if (rc == 0)
		rc = dh_sqlx_resolve_unknown(&cc, gx, &gx);
	S->win_forbidden = NULL;
	S->phase = ph;
	if (rc)
		return rc;
	S->group_src[S->ngroup] = e;
	S->group[S->ngroup] = gx;
	*out = S->ngroup++;
	return 0;
}

/* The key set of a grouping element: a ROW or SIMPLE set is several. */
static int
element_mask(struct sqlc_sel *S, const PgQuery__Node *n, const PgQuery__Node **src, uint64_t *m)
{
	int rc, k;
	*m = 0;
	if (n->node_case == PG_QUERY__NODE__NODE_ROW_EXPR) {
		for (size_t i = 0; i < n->row_expr->n_args; i++) {
			if ((rc = group_key(S, n->row_expr->args[i], src, 0, &k)))
				return rc;
			*m |= (uint64_t)1 << k;
		}
		return 0;
	}
	if (n->node_case == PG_QUERY__NODE__NODE_GROUPING_SET &&
	    n->grouping_set->kind == PG_QUERY__GROUPING_SET_KIND__GROUPING_SET_SIMPLE) {
		for (size_t i = 0; i < n->grouping_set->n_content; i++) {
			uint64_t sub;
			if ((rc = element_mask(S, n->grouping_set->content[i], src, &sub)))
				return rc;
			*m |= sub;
		}
		return 0;
	}
	if (n->node_case == PG_QUERY__NODE__NODE_GROUPING_SET &&
	    n->grouping_set->kind == PG_QUERY__GROUPING_SET_KIND__GROUPING_SET_EMPTY)
		return 0;
	if ((rc = group_key(S, n, src, 0, &k)))
		return rc;
	*m = (uint64_t)1 << k;
	return 0;
}

/* The grouping sets one GROUP BY item stands for. */
static int
item_sets(struct sqlc_sel *S, const PgQuery__Node *n, const PgQuery__Node **src, int top,
	  uint64_t *sets, int *nsets)
{
	int rc;
	*nsets = 0;
	if (n->node_case == PG_QUERY__NODE__NODE_ROW_EXPR &&
	    n->row_expr->row_format == PG_QUERY__COERCION_FORM__COERCE_IMPLICIT_CAST) {
		/* (a, b): the set of a and b, as PostgreSQL flattens it */
		if ((rc = element_mask(S, n, src, &sets[0])))
			return rc;
		*nsets = 1;
		return 0;
	}
	if (n->node_case != PG_QUERY__NODE__NODE_GROUPING_SET) {
		int k;
		if ((rc = group_key(S, n, src, top, &k)))
			return rc;
		sets[(*nsets)++] = (uint64_t)1 << k;
		return 0;
	}
	const PgQuery__GroupingSet *g = n->grouping_set;
	int ne = (int)g->n_content;
	uint64_t el[64];
	switch (g->kind) {
	case PG_QUERY__GROUPING_SET_KIND__GROUPING_SET_EMPTY:
		sets[(*nsets)++] = 0;
		return 0;
	case PG_QUERY__GROUPING_SET_KIND__GROUPING_SET_SIMPLE:
		if ((rc = element_mask(S, n, src, &el[0])))
			return rc;
		sets[(*nsets)++] = el[0];
		return 0;
	case PG_QUERY__GROUPING_SET_KIND__GROUPING_SET_ROLLUP:
	case PG_QUERY__GROUPING_SET_KIND__GROUPING_SET_CUBE:
		if (ne > 12)
			return dh_err_sql(S->r->err, "54000", "CUBE is limited to 12 elements");
		for (int i = 0; i < ne; i++)
			if ((rc = element_mask(S, g->content[i], src, &el[i])))
				return rc;
		if (g->kind == PG_QUERY__GROUPING_SET_KIND__GROUPING_SET_ROLLUP) {
			for (int k = ne; k >= 0; k--) {
				uint64_t m = 0;
				for (int i = 0; i < k; i++)
					m |= el[i];
				sets[(*nsets)++] = m;
			}
		} else {
			/* PostgreSQL's order: by size, largest first */
			for (int size = ne; size >= 0; size--)
				for (uint32_t bits = (1u << ne) - 1;; bits--) {
					if (__builtin_popcount(bits) == size) {
						uint64_t m = 0;
						for (int i = 0; i < ne; i++)
							if (bits & (1u << (ne - 1 - i)))
								m |= el[i];
						sets[(*nsets)++] = m;
					}
					if (bits == 0)
						break;
				}
		}
		return 0;
	default: { /* SETS */
		for (int i = 0; i < ne; i++) {
			int sub = 0;
			uint64_t *tmp = dh_arena_alloc(S->a, MAX_GROUP_SETS * sizeof(*tmp));
			if ((rc = item_sets(S, g->content[i], src, 0, tmp, &sub)))
				return rc;
			if (*nsets + sub > MAX_GROUP_SETS)
				return dh_err_sql(S->r->err, "54001", "too many grouping sets present");
			memcpy(sets + *nsets, tmp, (size_t)sub * sizeof(*tmp));
			*nsets += sub;
		}
		return 0;
	}
	}
}

static int
group_by(struct sqlc_sel *S, const PgQuery__SelectStmt *st, const PgQuery__Node **src)
{
	int rc;
	S->group = dh_arena_zalloc(S->a, (MAX_GROUP_KEYS + 1) * sizeof(*S->group));
	S->group_src = dh_arena_zalloc(S->a, (MAX_GROUP_KEYS + 1) * sizeof(*S->group_src));
	int any_sets = 0;
	for (size_t i = 0; i < st->n_group_clause; i++)
		any_sets |= st->group_clause[i]->node_case == PG_QUERY__NODE__NODE_GROUPING_SET;
	if (!any_sets) {
		for (size_t i = 0; i < st->n_group_clause; i++) {
			int k;
			const PgQuery__Node *g = st->group_clause[i];
			if (g->node_case == PG_QUERY__NODE__NODE_ROW_EXPR &&
			    g->row_expr->row_format ==
				PG_QUERY__COERCION_FORM__COERCE_IMPLICIT_CAST) {
				for (size_t j = 0; j < g->row_expr->n_args; j++)
					if ((rc = group_key(S, g->row_expr->args[j], src, 0, &k)))
						return rc;
				continue;
			}
			if ((rc = group_key(S, g, src, 1, &k)))
				return rc;
		}
		return 0;
	}
	/* the cross product of the items' sets */
	uint64_t *cur = dh_arena_alloc(S->a, MAX_GROUP_SETS * sizeof(*cur));
	uint64_t *item = dh_arena_alloc(S->a, MAX_GROUP_SETS * sizeof(*item));
	uint64_t *next = dh_arena_alloc(S->a, MAX_GROUP_SETS * sizeof(*next));
	int ncur = 1;
	cur[0] = 0;
	for (size_t i = 0; i < st->n_group_clause; i++) {
		int ni;
		if ((rc = item_sets(S, st->group_clause[i], src, 1, item, &ni)))
			return rc;
		if ((size_t)ncur * (size_t)ni > MAX_GROUP_SETS)
			return dh_err_sql(S->r->err, "54001", "too many grouping sets present");
		int nn = 0;
		for (int a = 0; a < ncur; a++)
			for (int b = 0; b < ni; b++)
				next[nn++] = cur[a] | item[b];
		uint64_t *t = cur;
		cur = next;
		next = t;
		ncur = nn;
	}
	S->sets = cur;
	S->nsets = ncur;
	return 0;
}

/* --- SELECT --- */

static int
sel_compile(struct sqlc_sel *S, const PgQuery__SelectStmt *st)
{
	struct dh__sqlrun *r = S->r;
	int rc;
	if (st->into_clause) {
		/* the statement's own INTO is taken off before (sqlc.c) */
		dh_err_sql(r->err, "42601", "SELECT ... INTO is not allowed here");
		return dh__sql_at(r, st->into_clause->rel->location, DH_ESQL);
	}
	if ((rc = dh__sqlc_srf_rewrite(S, st, &st)) ||
	    (rc = dh__sqlc_from(S, st->from_clause, st->n_from_clause)))
		return rc;
	if ((rc = dh__sqlc_where(S, st->where_clause)))
		return rc;
	S->window_clause = st->window_clause;
	S->nwindow_clause = st->n_window_clause;
	/* grouped?  Known before the select list compiles: a window function
	 * then takes its place among the aggregates */
	for (size_t i = 0; i < st->n_target_list && !S->has_agg; i++)
		S->has_agg = dh__sqlc_has_agg(&st->target_list[i]->base);
	for (size_t i = 0; i < st->n_sort_clause && !S->has_agg; i++)
		S->has_agg = dh__sqlc_has_agg(&st->sort_clause[i]->base);
	if (st->having_clause && !S->has_agg)
		S->has_agg = 1;
	/* the select list: stars expanded now, expressions compiled after
	 * GROUP BY (they may name its items) */
	S->phase = 1;
	S->cc.scope = &S->grouped;
	S->has_group = st->n_group_clause > 0;
	int cap = 0;
	const PgQuery__Node **src = NULL;
	int *loc = NULL;
	int scap = 0;
	for (size_t i = 0; i < st->n_target_list; i++) {
		const PgQuery__ResTarget *t = st->target_list[i]->res_target;
		if (!dh__sqlc_is_star(t->val)) {
			S->tl = grow(S, S->tl, S->nt, &cap);
			if (S->nt >= scap) {
				scap = cap;
				const PgQuery__Node **ns = dh_arena_zalloc(S->a, (size_t)scap * sizeof(*ns));
				const char **nn = dh_arena_zalloc(S->a, (size_t)scap * sizeof(*nn));
				int *nl = dh_arena_zalloc(S->a, (size_t)scap * sizeof(*nl));
				if (S->nt) {
					memcpy(ns, src, (size_t)S->nt * sizeof(*ns));
					memcpy(nn, S->tnames, (size_t)S->nt * sizeof(*nn));
					memcpy(nl, loc, (size_t)S->nt * sizeof(*nl));
				}
				src = ns;
				S->tnames = nn;
				loc = nl;
			}
			src[S->nt] = t->val;
			S->tnames[S->nt] = t->name && *t->name ? t->name : NULL;
			loc[S->nt] = t->location;
			S->nt++;
			continue;
		}
		const PgQuery__ColumnRef *cr = t->val->column_ref;
		const char *qual = cr->n_fields >= 2 ? dh__sqlc_str(cr->fields[cr->n_fields - 2]) : NULL;
		int any = 0;
		/* the order: a join's merged USING columns first, then its sides'
		 * other columns */
		int *order = dh_arena_alloc(S->a, (size_t)(S->nrt + 1) * sizeof(int));
		int no = 0;
		for (int k = 0; k < S->nrt; k++) {
			if (S->rt[k].k == RTE_JOIN)
				continue;
			for (int j = S->nrt - 1; j >= 0; j--)
				if (S->rt[j].k == RTE_JOIN && S->rt[j].join->lo == k)
					order[no++] = j;
			order[no++] = k;
		}
		for (int oi = 0; oi < no; oi++) {
			int k = order[oi];
			struct sqlc_rte *e = &S->rt[k];
			if (qual ? !(e->alias && strcmp(qual, e->alias) == 0) : 0)
				continue;
			if (!qual && e->k != RTE_JOIN && e->alias == NULL)
				continue;
			if (!qual && e->alias && strcmp(e->alias, SQLC_SRF_ALIAS) == 0)
				continue;
			any = 1;
			for (int c = 0; c < e->ncols; c++) {
				if (!qual && e->k != RTE_JOIN) {
					/* hidden if a join merges it */
					int merged = 0;
					for (int j = 0; j < S->nrt; j++) {
						const struct sqlc_rte *m = &S->rt[j];
						if (m->k != RTE_JOIN || k < m->join->lo || k >= m->join->hi)
							continue;
						for (int u = 0; u < m->ncols; u++)
							merged |= strcmp(m->colnames[u], e->colnames[c]) == 0;
					}
					if (merged)
						continue;
				}
				S->tl = grow(S, S->tl, S->nt, &cap);
				if (S->nt >= scap) {
					scap = cap;
					const PgQuery__Node **ns =
					    dh_arena_zalloc(S->a, (size_t)scap * sizeof(*ns));
					const char **nn = dh_arena_zalloc(S->a, (size_t)scap * sizeof(*nn));
					int *nl = dh_arena_zalloc(S->a, (size_t)scap * sizeof(*nl));
					if (S->nt) {
						memcpy(ns, src, (size_t)S->nt * sizeof(*ns));
						memcpy(nn, S->tnames, (size_t)S->nt * sizeof(*nn));
						memcpy(nl, loc, (size_t)S->nt * sizeof(*nl));
					}
					src = ns;
					S->tnames = nn;
					loc = nl;
				}
				int s = dh__sqlc_slot_of(S, k, c);
				S->tl[S->nt] = dh_sqlx_slot(S->a, s, 0, S->sl[s].type, S->sl[s].typmod,
							    e->colnames[c]);
				src[S->nt] = NULL;
				S->tnames[S->nt] = e->colnames[c];
				loc[S->nt] = cr->location;
				S->nt++;
			}
		}
		if (qual && !any) {
			dh_err_sql(r->err, "42P01", "missing FROM-clause entry for table \"%s\"", qual);
			return dh__sql_at(r, cr->location, DH_ESQL);
		}
		if (!qual && S->nrt == 0) {
			dh_err_sql(r->err, "42601", "SELECT * with no tables specified is not valid");
			return dh__sql_at(r, cr->location, DH_ESQL);
		}
	}
	S->q->loc = S->nt ? loc[0] : -1;
	S->q->locs = loc;
	/* a JOIN rte without alias is listed with the others; put joins'
	 * merged columns first, as PostgreSQL does: done by the rte order
	 * above when the join comes first; otherwise acceptable */
	/* GROUP BY: expressions over the input, and the grouping sets */
	if ((rc = group_by(S, st, src)))
		return rc;
	/* the targets */
	S->torig = dh_arena_alloc(S->a, (size_t)(S->nt + 1) * sizeof(*S->torig));
	for (int k = 0; k < S->nt; k++) {
		S->torig[k] = (struct sqlc_origin){-1, -1};
		if (!src[k]) {
			/* a star's column, read after grouping like a reference */
			int s = S->tl[k]->slot;
			S->torig[k] = (struct sqlc_origin){S->sl[s].rte, S->sl[s].col};
			if (S->has_group) {
				int g = -1;
				for (int j = 0; j < S->ngroup; j++)
					if (S->group[j]->k == SX_SLOT && S->group[j]->slot == s &&
					    !S->group[j]->levelsup)
						g = j;
				if (g < 0 && dh__sqlc_pk_grouped(S, S->sl[s].rte)) {
					S->tl[k] = dh_sqlx_slot(S->a, dh__sqlc_agg_dependent(S, s),
								0, S->tl[k]->type, S->tl[k]->typmod,
								S->tnames[k]);
					continue;
				}
				if (g < 0) {
					const char *an = S->rt[S->sl[s].rte].alias;
					dh_err_sql(r->err, "42803",
						   "column \"%s%s%s\" must appear in the GROUP BY clause "
						   "or be used in an aggregate function",
						   an ? an : "", an ? "." : "", S->tnames[k]);
					return dh__sql_at(r, loc[k], DH_ESQL);
				}
				S->tl[k] = dh_sqlx_slot(S->a, g, 0, S->tl[k]->type, S->tl[k]->typmod,
							S->tnames[k]);
			} else if (!S->col_outside_name) {
				const char *an = S->rt[S->sl[s].rte].alias;
				S->col_outside_agg = 1;
				S->col_outside_name = dh_arena_printf(S->a, "%s%s%s", an ? an : "",
								      an ? "." : "", S->tnames[k]);
				S->col_outside_loc = loc[k];
			}
			continue;
		}
		struct dh_sqlx *x;
		S->ref_rte = -1;
		if ((rc = dh_sqlx_compile(&S->cc, src[k], &x)))
			return rc;
		/* a plain column names its origin (PostgreSQL: a Var, also
		 * under casts to its own type, which add no node) */
		const PgQuery__Node *cn = src[k];
		while (cn->node_case == PG_QUERY__NODE__NODE_TYPE_CAST && cn->type_cast->arg)
			cn = cn->type_cast->arg;
		if (cn->node_case == PG_QUERY__NODE__NODE_COLUMN_REF && S->ref_rte >= 0 &&
		    (cn == src[k] || (S->ref_col >= 0 &&
				      x->type == S->rt[S->ref_rte].types[S->ref_col] &&
				      x->typmod == S->rt[S->ref_rte].typmods[S->ref_col])))
			S->torig[k] = (struct sqlc_origin){S->ref_rte, S->ref_col};
		/* a set operation's leaf keeps its unknown literals: the
		 * operation's column type decides them */
		if (!(S->setop_leaf && x->k == SX_CONST && x->type == DH_OID_UNKNOWN &&
		      !st->n_distinct_clause) &&
		    (rc = dh_sqlx_resolve_unknown(&S->cc, x, &x)))
			return rc;
		S->tl[k] = x;
		if (!S->tnames[k])
			S->tnames[k] = x->name ? x->name : "?column?";
	}
	if (st->having_clause) {
		S->win_forbidden = "HAVING";
		rc = dh_sqlx_compile(&S->cc, st->having_clause, &S->having);
		S->win_forbidden = NULL;
		if (rc || (rc = dh_sqlx_coerce_bool(&S->cc, S->having, "HAVING", &S->having)))
			return rc;
		S->has_agg = 1;
	}
	/* ORDER BY */
	S->nsort = (int)st->n_sort_clause;
	S->sort = dh_arena_zalloc(S->a, (size_t)(S->nsort + 1) * sizeof(*S->sort));
	for (int i = 0; i < S->nsort; i++) {
		const PgQuery__SortBy *sb = st->sort_clause[i]->sort_by;
		struct sqlc_sort *k = &S->sort[i];
		if (sb->n_use_op)
			return dh_err_sql(r->err, "0A000", "ORDER BY ... USING is not supported yet");
		k->desc = sb->sortby_dir == PG_QUERY__SORT_BY_DIR__SORTBY_DESC;
		k->nulls_first = sb->sortby_nulls == PG_QUERY__SORT_BY_NULLS__SORTBY_NULLS_FIRST ||
				 (sb->sortby_nulls != PG_QUERY__SORT_BY_NULLS__SORTBY_NULLS_LAST && k->desc);
		if ((rc = target_ref(S, sb->node, "ORDER BY", &k->col)))
			return rc;
		if (k->col >= 0) {
			k->x = S->tl[k->col];
		} else {
			if ((rc = dh_sqlx_compile(&S->cc, sb->node, &k->x)) ||
			    (rc = dh_sqlx_resolve_unknown(&S->cc, k->x, &k->x)))
				return rc;
		}
		k->type = k->x->type;
	}
	if ((S->has_group || S->has_agg) && !S->has_group && S->col_outside_agg) {
		dh_err_sql(r->err, "42803",
			   "column \"%s\" must appear in the GROUP BY clause or be used in an "
			   "aggregate function",
			   S->col_outside_name);
		return dh__sql_at(r, S->col_outside_loc, DH_ESQL);
	}
	/* DISTINCT and DISTINCT ON */
	if (st->n_distinct_clause) {
		S->distinct = 1;
		if (st->distinct_clause[0] != NULL &&
		    st->distinct_clause[0]->node_case != PG_QUERY__NODE__NODE__NOT_SET) {
			S->distinct_on =
			    dh_arena_zalloc(S->a, (st->n_distinct_clause + 1) * sizeof(*S->distinct_on));
			for (size_t i = 0; i < st->n_distinct_clause; i++) {
				int ti;
				if ((rc = target_ref(S, st->distinct_clause[i], "SELECT DISTINCT ON",
						     &ti)))
					return rc;
				if (ti >= 0) {
					S->distinct_on[S->ndistinct_on++] = S->tl[ti];
					continue;
				}
				struct dh_sqlx *x;
				if ((rc = dh_sqlx_compile(&S->cc, st->distinct_clause[i], &x)) ||
				    (rc = dh_sqlx_resolve_unknown(&S->cc, x, &x)))
					return rc;
				S->distinct_on[S->ndistinct_on++] = x;
			}
			/* ORDER BY must start with the DISTINCT ON expressions */
			for (int i = 0; i < S->ndistinct_on && i < S->nsort; i++)
				if (S->sort[i].x != S->distinct_on[i] &&
				    !(S->sort[i].x->k == SX_SLOT && S->distinct_on[i]->k == SX_SLOT &&
				      S->sort[i].x->slot == S->distinct_on[i]->slot)) {
					dh_err_sql(r->err, "42P10",
						   "SELECT DISTINCT ON expressions must match initial "
						   "ORDER BY expressions");
					return dh__sql_at(r, st->sort_clause[i]->sort_by->location,
							  DH_ESQL);
				}
		} else {
			for (int i = 0; i < S->nsort; i++)
				if (S->sort[i].col < 0) {
					int found = 0;
					for (int k = 0; k < S->nt && !found; k++)
						found = S->tl[k] == S->sort[i].x;
					if (!found) {
						dh_err_sql(r->err, "42P10",
							   "for SELECT DISTINCT, ORDER BY expressions must "
							   "appear in select list");
						return dh__sql_at(
						    r, st->sort_clause[i]->sort_by->location, DH_ESQL);
					}
				}
		}
	}
	if (st->limit_option == PG_QUERY__LIMIT_OPTION__LIMIT_OPTION_WITH_TIES) {
		if (!S->nsort) {
			dh_err_sql(r->err, "42P20", "WITH TIES cannot be specified without ORDER BY "
						    "clause");
			return DH_ESQL;
		}
		S->with_ties = 1;
	}
	return 0;
}

static int
sel_run(struct sqlc_sel *S, struct sqlc_q *q, const struct dh_sqlx_run *outer,
	struct dh_value **rowsp, size_t *np)
{
	struct dh__sqlrun *r = S->r;
	int rc;
	S->outer = outer;
	struct dh_value *rows;
	size_t n;
	int64_t limit = -1, offset = 0;
	int counted = 0, topn = 0;
	/* ORDER BY one column LIMIT n: the rows in the column's index order,
	 * as many as needed (dh__sqlc_run_topn says when it cannot) */
	if (S->limit && S->nsort == 1 && !S->has_group && !S->has_agg && !S->having &&
	    !S->nwins && !S->distinct && !S->with_ties) {
		const struct dh_sqlx *k = S->sort[0].col >= 0 ? S->tl[S->sort[0].col] : S->sort[0].x;
		if ((rc = eval_count(S, r, S->limit, "LIMIT", &limit, outer)) ||
		    (S->offset && (rc = eval_count(S, r, S->offset, "OFFSET", &offset, outer))))
			return rc;
		counted = 1;
		if (k->k == SX_SLOT && k->levelsup == 0 && limit >= 0 && limit < ((int64_t)1 << 40) &&
		    (rc = dh__sqlc_run_topn(S, k->slot, S->sort[0].desc, S->sort[0].nulls_first,
					    (size_t)limit + (size_t)(offset > 0 ? offset : 0), &rows,
					    &n, &topn)))
			return rc;
	}
	if (!topn && (rc = dh__sqlc_run_block(S, &rows, &n)))
		return rc;
	size_t w = (size_t)S->nsl;
	if (S->has_group || S->has_agg) {
		struct dh_value *g;
		size_t gn;
		if ((rc = dh__sqlc_group(S, rows, n, w, &g, &gn)))
			return rc;
		rows = g;
		n = gn;
		w = (size_t)(S->ngroup + S->nagg);
	}
	struct dh_sqlx_run run = {.a = S->a, .err = r->err, .env = S->cc.env, .outer = outer};
	dh__sqlc_run_hooks(S, &run);
	if (S->having) {
		size_t m = 0;
		for (size_t i = 0; i < n; i++) {
			run.row = rows + i * w;
			if ((rc = dh_sqlx_test(S->having, &run)) < 0)
				return rc;
			if (rc && m != i)
				memmove(rows + m * w, rows + i * w, w * sizeof(*rows));
			m += rc;
		}
		n = m;
	}
	if (S->nwins && (rc = dh__sqlc_windows(S, rows, n, w)))
		return rc;
	/* projection, sort and DISTINCT ON keys: rows of nt + nsort +
	 * ndistinct_on values */
	int nt = S->nt, nk = S->nsort, nd = S->ndistinct_on;
	size_t ow = (size_t)(nt + nk + nd);
	struct dh_value *out = dh_arena_alloc(S->a, (n ? n : 1) * (ow ? ow : 1) * sizeof(*out));
	size_t on = 0;
	/* a row's expressions can be costly (repeat('x', 1e8)): poll per row */
	volatile sig_atomic_t *cancel = dh__sql_cancel(r->s);
	for (size_t i = 0; i < n; i++) {
		if (cancel && *cancel)
			return dh_err_canceled(r->err, *cancel);
		run.row = rows + i * w;
		struct dh_value *o = out + on * ow;
		for (int k = 0; k < nt; k++)
			if ((rc = dh_sqlx_eval(S->tl[k], &run, &o[k])))
				return rc;
		for (int k = 0; k < nk; k++) {
			if (S->sort[k].col >= 0)
				o[nt + k] = o[S->sort[k].col];
			else if ((rc = dh_sqlx_eval(S->sort[k].x, &run, &o[nt + k])))
				return rc;
		}
		for (int k = 0; k < nd; k++)
			if ((rc = dh_sqlx_eval(S->distinct_on[k], &run, &o[nt + nk + k])))
				return rc;
		on++;
	}
	size_t *ord = xmalloc((on ? on : 1) * sizeof(*ord));
	for (size_t i = 0; i < on; i++)
		ord[i] = i;
	if (nk && (rc = dh__sqlc_sort(r, ord, on, out, ow, (size_t)nt, S->sort, nk)))
		goto out;
	if (S->distinct) {
		/* keep the first row of each key (after sorting, for DISTINCT ON) */
		int nkey = nd ? nd : nt;
		size_t koff = nd ? (size_t)(nt + nk) : 0;
		uint32_t *types = dh_arena_alloc(S->a, (size_t)(nkey + 1) * sizeof(*types));
		for (int k = 0; k < nkey; k++)
			types[k] = nd ? S->distinct_on[k]->type : S->tl[k]->type;
		/* a row view starting at the key columns */
		struct sqlc_rowtab tab = {0};
		size_t m = 0;
		struct dh_value *keys = dh_arena_alloc(S->a, (on ? on : 1) * (size_t)(nkey ? nkey : 1) *
								 sizeof(*keys));
		for (size_t i = 0; i < on; i++) {
			memcpy(keys + i * (size_t)nkey, out + ord[i] * ow + koff,
			       (size_t)nkey * sizeof(*keys));
			int isnew;
			dh__sqlc_rowtab_put(&tab, keys, (size_t)nkey, types, nkey, i, &isnew);
			if (isnew)
				ord[m++] = ord[i];
		}
		dh__sqlc_rowtab_free(&tab);
		on = m;
	}
	if (!counted && S->limit && (rc = eval_count(S, r, S->limit, "LIMIT", &limit, outer)))
		goto out;
	if (!counted && S->offset &&
	    (rc = eval_count(S, r, S->offset, "OFFSET", &offset, outer)))
		goto out;
	if (offset < 0)
		offset = 0;
	size_t from = (size_t)offset < on ? (size_t)offset : on;
	size_t cnt = on - from;
	if (limit >= 0 && (size_t)limit < cnt) {
		size_t want = (size_t)limit;
		/* WITH TIES: the rows that sort equal to the last one too */
		if (S->with_ties && want > 0)
			while (want < cnt) {
				const struct dh_value *a = out + ord[from + want - 1] * ow + nt;
				const struct dh_value *b = out + ord[from + want] * ow + nt;
				int same = 1;
				for (int k = 0; k < nk && same; k++) {
					int an = a[k].type == DH_T_NONE, bn = b[k].type == DH_T_NONE;
					same = an || bn ? an == bn
							: dh_sqltype_cmp(S->sort[k].type, &a[k], &b[k]) == 0;
				}
				if (!same)
					break;
				want++;
			}
		cnt = want;
	}
	struct dh_value *res =
	    dh_arena_alloc(S->a, (cnt ? cnt : 1) * (size_t)(nt ? nt : 1) * sizeof(*res));
	for (size_t i = 0; i < cnt; i++)
		memcpy(res + i * (size_t)nt, out + ord[from + i] * ow, (size_t)nt * sizeof(*res));
	*rowsp = res;
	*np = cnt;
	(void)q;
out:
	free(ord);
	return rc;
}

/* --- VALUES and set operations --- */

/* Coerce the columns of a side to the resolved types: slot expressions. */
static int
conv_cols(struct sqlc_sel *S, const struct sqlc_q *side, const uint32_t *types,
	  const int32_t *typmods, int n, struct dh_sqlx ***out)
{
	struct dh_sqlx **cv = dh_arena_zalloc(S->a, (size_t)(n + 1) * sizeof(*cv));
	for (int i = 0; i < n; i++) {
		struct dh_sqlx *x = dh_sqlx_slot(S->a, i, 0, side->cols[i].type_oid,
						 side->cols[i].typmod, side->cols[i].name);
		int rc = dh_sqlx_coerce(&S->cc, x, types[i], typmods[i], DH_CAST_IMPLICIT, NULL, &cv[i]);
		if (rc)
			return rc;
	}
	*out = cv;
	return 0;
}

/* ORDER BY / LIMIT over the output columns of VALUES or a set operation. */
static int
out_sort(struct sqlc_sel *S, struct sqlc_q *q, const PgQuery__SelectStmt *st)
{
	int rc;
	q->nsort = (int)st->n_sort_clause;
	q->sort = dh_arena_zalloc(S->a, (size_t)(q->nsort + 1) * sizeof(*q->sort));
	for (int i = 0; i < q->nsort; i++) {
		const PgQuery__SortBy *sb = st->sort_clause[i]->sort_by;
		struct sqlc_sort *k = &q->sort[i];
		k->desc = sb->sortby_dir == PG_QUERY__SORT_BY_DIR__SORTBY_DESC;
		k->nulls_first = sb->sortby_nulls == PG_QUERY__SORT_BY_NULLS__SORTBY_NULLS_FIRST ||
				 (sb->sortby_nulls != PG_QUERY__SORT_BY_NULLS__SORTBY_NULLS_LAST && k->desc);
		k->col = -1;
		const PgQuery__Node *n = sb->node;
		if (n->node_case == PG_QUERY__NODE__NODE_A_CONST &&
		    n->a_const->val_case == PG_QUERY__A__CONST__VAL_IVAL) {
			int c = n->a_const->ival->ival;
			if (c < 1 || c > q->ncols) {
				dh_err_sql(S->r->err, "42P10", "ORDER BY position %d is not in select list",
					   c);
				return dh__sql_at(S->r, n->a_const->location, DH_ESQL);
			}
			k->col = c - 1;
		} else if (n->node_case == PG_QUERY__NODE__NODE_COLUMN_REF &&
			   n->column_ref->n_fields == 1) {
			const char *name = dh__sqlc_str(n->column_ref->fields[0]);
			for (int c = 0; name && c < q->ncols; c++)
				if (strcmp(q->cols[c].name, name) == 0) {
					k->col = c;
					break;
				}
		}
		if (k->col < 0) {
			dh_err_sql(S->r->err, "0A000",
				   "ORDER BY on a UNION/INTERSECT/EXCEPT or VALUES result must name "
				   "an output column");
			return dh__sql_at(S->r, sb->location, DH_ESQL);
		}
		k->type = q->cols[k->col].type_oid;
	}
	if (st->limit_count && (rc = compile_count(S, st->limit_count, &q->limit)))
		return rc;
	if (st->limit_offset &&
	    (rc = compile_count(S, st->limit_offset, &q->offset)))
		return rc;
	return 0;
}

static int
values_compile(struct sqlc_sel *S, struct sqlc_q *q, const PgQuery__SelectStmt *st)
{
	int nr = (int)st->n_values_lists, rc;
	int nc = (int)st->values_lists[0]->list->n_items;
	q->k = Q_VALUES;
	q->nvr = nr;
	q->ncols = nc;
	q->vals = dh_arena_zalloc(S->a, (size_t)nr * (size_t)(nc ? nc : 1) * sizeof(*q->vals));
	for (int i = 0; i < nr; i++) {
		const PgQuery__List *l = st->values_lists[i]->list;
		if ((int)l->n_items != nc) {
			/* at the list's first item, as PostgreSQL */
			int at = -1;
			if (l->n_items) {
				struct dh_sqlx *x0;
				struct dh_err e2;
				struct dh_sqlx_cc cc = S->cc;
				cc.err = &e2;
				if (dh_sqlx_compile(&cc, l->items[0], &x0) == 0)
					at = x0->location;
			}
			dh_err_sql(S->r->err, "42601", "VALUES lists must all be the same length");
			return dh__sql_at(S->r, at, DH_ESQL);
		}
		for (int k = 0; k < nc; k++)
			if ((rc = dh_sqlx_compile(&S->cc, l->items[k], &q->vals[i * nc + k])))
				return rc;
	}
	q->cols = dh_arena_zalloc(S->a, (size_t)(nc + 1) * sizeof(*q->cols));
	struct dh_sqlx **colx = dh_arena_alloc(S->a, (size_t)(nr + 1) * sizeof(*colx));
	for (int k = 0; k < nc; k++) {
		for (int i = 0; i < nr; i++)
			colx[i] = q->vals[i * nc + k];
		uint32_t t;
		int32_t tm;
		if ((rc = dh_sqlx_common_type(&S->cc, colx, nr, "VALUES", &t, &tm)))
			return rc;
		if (t == DH_OID_UNKNOWN)
			t = DH_OID_TEXT, tm = -1;
		for (int i = 0; i < nr; i++)
			if ((rc = dh_sqlx_coerce(&S->cc, q->vals[i * nc + k], t, tm, DH_CAST_IMPLICIT,
						 NULL, &q->vals[i * nc + k])))
				return rc;
		q->cols[k] = (struct dh_sql_col){
		    .name = dh_arena_printf(S->a, "column%d", k + 1), .type_oid = t, .typmod = tm};
	}
	return out_sort(S, q, st);
}

static const char *
setop_name(int op)
{
	return op == PG_QUERY__SET_OPERATION__SETOP_UNION       ? "UNION"
	       : op == PG_QUERY__SET_OPERATION__SETOP_INTERSECT ? "INTERSECT"
								: "EXCEPT";
}

static int query_compile(struct dh__sqlrun *r, const PgQuery__SelectStmt *st,
			 struct sqlc_sel *parent, struct sqlc_cte *visible, int leaf,
			 struct sqlc_q **out);

static int
setop_compile(struct sqlc_sel *S, struct sqlc_q *q, const PgQuery__SelectStmt *st,
	      struct sqlc_sel *parent, struct sqlc_cte *visible)
{
	int rc;
	q->k = Q_SETOP;
	q->op = st->op;
	q->all = st->all;
	if ((rc = query_compile(S->r, st->larg, parent, visible, 1, &q->l)) ||
	    (rc = query_compile(S->r, st->rarg, parent, visible, 1, &q->rq)))
		return rc;
	q->correlated = q->l->correlated || q->rq->correlated;
	if (q->l->ncols != q->rq->ncols) {
		dh_err_sql(S->r->err, "42601", "each %s query must have the same number of columns",
			   setop_name(q->op));
		return dh__sql_at(S->r, q->rq->loc, DH_ESQL);
	}
	q->loc = q->l->loc;
	int n = q->l->ncols;
	q->ncols = n;
	q->cols = dh_arena_zalloc(S->a, (size_t)(n + 1) * sizeof(*q->cols));
	uint32_t *types = dh_arena_alloc(S->a, (size_t)(n + 1) * sizeof(*types));
	int32_t *typmods = dh_arena_alloc(S->a, (size_t)(n + 1) * sizeof(*typmods));
	for (int i = 0; i < n; i++) {
		struct dh_sqlx *xs[2] = {
		    dh_sqlx_slot(S->a, i, 0, q->l->cols[i].type_oid, q->l->cols[i].typmod, NULL),
		    dh_sqlx_slot(S->a, i, 0, q->rq->cols[i].type_oid, q->rq->cols[i].typmod, NULL)};
		if ((rc = dh_sqlx_common_type(&S->cc, xs, 2, setop_name(q->op), &types[i],
					      &typmods[i])))
			return rc;
		if (types[i] == DH_OID_UNKNOWN)
			types[i] = DH_OID_TEXT;
		q->cols[i] = (struct dh_sql_col){
		    .name = q->l->cols[i].name, .type_oid = types[i], .typmod = typmods[i]};
		/* a leaf's unknown literal becomes a constant of the type */
		struct sqlc_q *sides[2] = {q->l, q->rq};
		for (int k = 0; k < 2; k++) {
			struct sqlc_q *sq = sides[k];
			if (sq->k != Q_SELECT || sq->cols[i].type_oid != DH_OID_UNKNOWN)
				continue;
			struct sqlc_sel *L = sq->sel;
			if ((rc = dh_sqlx_coerce(&L->cc, L->tl[i], types[i], typmods[i],
						 DH_CAST_IMPLICIT, NULL, &L->tl[i])))
				return rc;
			sq->cols[i].type_oid = L->tl[i]->type;
			sq->cols[i].typmod = L->tl[i]->typmod;
		}
	}
	if ((rc = conv_cols(S, q->l, types, typmods, n, &q->lconv)) ||
	    (rc = conv_cols(S, q->rq, types, typmods, n, &q->rconv)))
		return rc;
	return out_sort(S, q, st);
}

/* format_type_with_typemod, in S's arena */
static const char *
type_text(struct sqlc_sel *S, uint32_t oid, int32_t typmod)
{
	struct dh_buf b;
	dh_buf_init(&b, 0);
	dh_sqltype_format(oid, typmod, 1, &b);
	const char *t = dh_arena_strndup(S->a, (const char *)b.p, b.len);
	dh_buf_release(&b);
	return t;
}

/* A recursive WITH query's column types are its non-recursive term's:
 * the union's type of a column must be that one (42804), and the
 * recursive term's rows are coerced to it. */
static int
rec_types(struct sqlc_cte *c)
{
	struct sqlc_sel *S = c->base->sel;
	int rc, n = c->ncols, conv = 0;
	for (int i = 0; i < n; i++) {
		const struct dh_sql_col *b = &c->base->cols[i], *rq = &c->rec->cols[i];
		struct dh_sqlx *xs[2] = {dh_sqlx_slot(S->a, i, 0, b->type_oid, b->typmod, NULL),
					 dh_sqlx_slot(S->a, i, 0, rq->type_oid, rq->typmod, NULL)};
		uint32_t t;
		int32_t tm;
		if ((rc = dh_sqlx_common_type(&S->cc, xs, 2, "UNION", &t, &tm)))
			return dh__sql_at(S->r, c->rec->locs ? c->rec->locs[i] : -1, rc);
		if (t != b->type_oid || tm != b->typmod) {
			const char *bt = type_text(S, b->type_oid, b->typmod);
			const char *ot = type_text(S, t, tm);
			dh_err_sql(S->r->err, "42804",
				   "recursive query \"%s\" column %d has type %s in non-recursive "
				   "term but type %s overall",
				   c->name, i + 1, bt, ot);
			dh_err_hint(S->r->err, "Cast the output of the non-recursive term to the "
					       "correct type.");
			return dh__sql_at(S->r, c->base->locs ? c->base->locs[i] : -1, DH_ESQL);
		}
		conv |= rq->type_oid != b->type_oid || rq->typmod != b->typmod;
	}
	if (!conv)
		return 0;
	uint32_t *types = dh_arena_alloc(S->a, (size_t)(n + 1) * sizeof(*types));
	int32_t *typmods = dh_arena_alloc(S->a, (size_t)(n + 1) * sizeof(*typmods));
	for (int i = 0; i < n; i++) {
		types[i] = c->base->cols[i].type_oid;
		typmods[i] = c->base->cols[i].typmod;
	}
	return conv_cols(S, c->rec, types, typmods, n, &c->recconv);
}

int
dh__sqlc_with(struct dh__sqlrun *r, const PgQuery__WithClause *wc, struct sqlc_sel *parent,
	      struct sqlc_cte *visible, struct sqlc_cte **out)
{
	int rc;
	struct sqlc_cte *cur = visible;
	for (size_t i = 0; i < wc->n_ctes; i++) {
		const PgQuery__CommonTableExpr *d = wc->ctes[i]->common_table_expr;
		for (size_t j = 0; j < i; j++)
			if (strcmp(wc->ctes[j]->common_table_expr->ctename, d->ctename) == 0) {
				dh_err_sql(r->err, "42712",
					   "WITH query name \"%s\" specified more than once",
					   d->ctename);
				return dh__sql_at(r, d->location, DH_ESQL);
			}
	}
	for (size_t i = 0; i < wc->n_ctes; i++) {
		const PgQuery__CommonTableExpr *d = wc->ctes[i]->common_table_expr;
		/* their added columns are records (record, record[]), which dh
		 * has not; ignoring the clause would loop or miss columns */
		if (d->search_clause || d->cycle_clause) {
			dh_err_sql(r->err, "0A000", "WITH ... %s is not supported yet",
				   d->search_clause ? "SEARCH" : "CYCLE");
			return dh__sql_at(r,
					  d->search_clause ? d->search_clause->location
							   : d->cycle_clause->location,
					  DH_ESQL);
		}
		struct sqlc_cte *c = dh_arena_zalloc(r->a, sizeof(*c));
		c->name = d->ctename;
		c->def = d;
		c->next = cur;
		const PgQuery__SelectStmt *cs = d->ctequery->select_stmt;
		if (d->ctequery->node_case != PG_QUERY__NODE__NODE_SELECT_STMT) {
			/* INSERT, UPDATE, DELETE: run now (sqlc-dml.c) */
			if ((rc = dh__sqlc_dml_cte(r, wc, d->ctequery, cur, c)))
				return rc;
			cur = c;
			continue;
		}
		if (wc->recursive && cs->op == PG_QUERY__SET_OPERATION__SETOP_UNION) {
			/* the non-recursive term first, then the recursive one
			 * with the name bound */
			c->recursive = 1;
			c->union_all = cs->all;
			c->compiling = 1;
			if ((rc = query_compile(r, cs->larg, parent, cur, 0, &c->base)))
				return rc;
			c->ncols = c->base->ncols;
			c->cols = dh_arena_zalloc(r->a, (size_t)(c->ncols + 1) * sizeof(*c->cols));
			memcpy(c->cols, c->base->cols, (size_t)c->ncols * sizeof(*c->cols));
			if (d->n_aliascolnames) {
				if ((int)d->n_aliascolnames > c->ncols)
					return dh_err_sql(r->err, "42P10",
							  "WITH query \"%s\" has %d columns "
							  "available but %zu columns specified",
							  c->name, c->ncols, d->n_aliascolnames);
				for (size_t k = 0; k < d->n_aliascolnames; k++)
					c->cols[k].name = dh__sqlc_str(d->aliascolnames[k]);
			}
			if ((rc = query_compile(r, cs->rarg, parent, c, 0, &c->rec)))
				return rc;
			if (c->rec->ncols != c->ncols) {
				dh_err_sql(r->err, "42601",
					   "each UNION query must have the same number of "
					   "columns");
				return dh__sql_at(r, c->rec->loc, DH_ESQL);
			}
			if ((rc = rec_types(c)))
				return rc;
			c->compiling = 0;
		} else {
			if ((rc = query_compile(r, cs, parent, cur, 0, &c->q)))
				return rc;
			c->ncols = c->q->ncols;
			c->cols = dh_arena_zalloc(r->a, (size_t)(c->ncols + 1) * sizeof(*c->cols));
			memcpy(c->cols, c->q->cols, (size_t)c->ncols * sizeof(*c->cols));
			if (d->n_aliascolnames) {
				if ((int)d->n_aliascolnames > c->ncols)
					return dh_err_sql(r->err, "42P10",
							  "WITH query \"%s\" has %d columns "
							  "available but %zu columns specified",
							  c->name, c->ncols, d->n_aliascolnames);
				for (size_t k = 0; k < d->n_aliascolnames; k++)
					c->cols[k].name = dh__sqlc_str(d->aliascolnames[k]);
			}
		}
		cur = c;
	}
	*out = cur;
	return 0;
}

/* FOR UPDATE / SHARE: dh's writing transactions are serializable, so
 * the rows need no locks; but the shapes PostgreSQL cannot lock are
 * refused as it refuses them (CheckSelectLocking's order). */
static int
locking_check(struct sqlc_q *q, const PgQuery__SelectStmt *st)
{
	static const char *const names[] = {"", "", "KEY SHARE", "SHARE", "NO KEY UPDATE",
					    "UPDATE"};
	if (!st->n_locking_clause)
		return 0;
	const PgQuery__LockingClause *lc = st->locking_clause[0]->locking_clause;
	const char *lcs = lc->strength < DH_ARRAY_SIZE(names) ? names[lc->strength] : "UPDATE";
	const char *why = NULL;
	struct sqlc_sel *S = q->sel;
	if (q->k == Q_SETOP)
		why = "is not allowed with UNION/INTERSECT/EXCEPT";
	else if (q->k == Q_VALUES)
		why = "cannot be applied to VALUES";
	else if (S->distinct)
		why = "is not allowed with DISTINCT clause";
	else if (S->has_group)
		why = "is not allowed with GROUP BY clause";
	else if (st->having_clause)
		why = "is not allowed with HAVING clause";
	else if (S->has_agg)
		why = "is not allowed with aggregate functions";
	else if (S->nwins)
		why = "is not allowed with window functions";
	if (!why)
		return 0;
	return dh_err_sql(q->r->err, "0A000", "FOR %s %s", lcs, why);
}

static int
query_compile(struct dh__sqlrun *r, const PgQuery__SelectStmt *st, struct sqlc_sel *parent,
	      struct sqlc_cte *visible, int leaf, struct sqlc_q **out)
{
	int rc;
	struct sqlc_q *q = dh_arena_zalloc(r->a, sizeof(*q));
	q->r = r;
	q->loc = -1;
	struct sqlc_sel *S = dh_arena_zalloc(r->a, sizeof(*S));
	dh__sqlc_sel_init(S, r, parent);
	S->q = q;
	S->setop_leaf = leaf;
	S->ctes = visible;
	q->sel = S;
	/* WITH: each query sees the ones before it (and itself, recursive) */
	if (st->with_clause) {
		if ((rc = dh__sqlc_with(r, st->with_clause, parent, S->ctes, &S->ctes)))
			return rc;
		q->ctes = S->ctes;
	}
	if (st->op != PG_QUERY__SET_OPERATION__SETOP_NONE) {
		rc = setop_compile(S, q, st, parent, S->ctes);
	} else if (st->n_values_lists) {
		rc = values_compile(S, q, st);
	} else {
		q->k = Q_SELECT;
		rc = sel_compile(S, st);
		if (rc == 0) {
			q->ncols = S->nt;
			q->cols = dh_arena_zalloc(r->a, (size_t)(S->nt + 1) * sizeof(*q->cols));
			for (int k = 0; k < S->nt; k++) {
				q->cols[k] = (struct dh_sql_col){.name = S->tnames[k],
								 .type_oid = S->tl[k]->type,
								 .typmod = S->tl[k]->typmod};
				if (S->torig)
					dh__sqlc_col_origin(S, S->torig[k].rte, S->torig[k].col,
							    &q->cols[k]);
			}
			if (st->limit_count)
				rc = compile_count(S, st->limit_count, &S->limit);
			if (rc == 0 && st->limit_offset)
				rc = compile_count(S, st->limit_offset, &S->offset);
			/* SELECT ... FROM cte LIMIT n: the recursion needs no more
			 * rows than that (PostgreSQL stops pulling there) */
			if (rc == 0 && S->nrt == 1 && S->rt[0].cte && S->rt[0].cte->recursive &&
			    !st->where_clause && !S->has_group && !S->has_agg && !S->nwins &&
			    !S->distinct && !S->nsort && S->limit && dh_sqlx_is_const(S->limit) &&
			    (!S->offset || dh_sqlx_is_const(S->offset))) {
				int64_t l, o = 0;
				if (eval_count(S, r, S->limit, "LIMIT", &l, NULL) == 0 &&
				    (!S->offset || eval_count(S, r, S->offset, "OFFSET", &o, NULL) == 0) &&
				    l >= 0 && o >= 0 && S->rt[0].cte->want == 0)
					S->rt[0].cte->want = l + o + 1;
			}
		}
	}
	if (rc == 0)
		rc = locking_check(q, st);
	if (rc)
		return rc;
	*out = q;
	return 0;
}

int
dh__sqlc_query_in(struct dh__sqlrun *r, const PgQuery__SelectStmt *st, struct sqlc_sel *parent,
		  struct sqlc_cte *visible, struct sqlc_q **out)
{
	return query_compile(r, st, parent, visible, 0, out);
}

int
dh__sqlc_query(struct dh__sqlrun *r, const PgQuery__SelectStmt *st, struct sqlc_sel *parent,
	       struct sqlc_q **out)
{
	return query_compile(r, st, parent, parent ? parent->ctes : NULL, 0, out);
}

/* Sort and cut rows (ncols wide) by q's output ORDER BY and LIMIT. */
static int
out_finish(struct sqlc_q *q, const struct dh_sqlx_run *outer, struct dh_value **rows, size_t *n)
{
	struct dh__sqlrun *r = q->r;
	size_t w = (size_t)q->ncols, cnt = *n;
	int rc;
	size_t *ord = xmalloc((cnt ? cnt : 1) * sizeof(*ord));
	for (size_t i = 0; i < cnt; i++)
		ord[i] = i;
	if (q->nsort) {
		/* the keys are output columns, in any order: rows of the keys */
		size_t nk = (size_t)q->nsort;
		struct dh_value *keys = dh_arena_alloc(r->a, (cnt ? cnt : 1) * nk * sizeof(*keys));
		for (size_t i = 0; i < cnt; i++)
			for (size_t k = 0; k < nk; k++)
				keys[i * nk + k] = (*rows)[i * w + (size_t)q->sort[k].col];
		if ((rc = dh__sqlc_sort(r, ord, cnt, keys, nk, 0, q->sort, q->nsort)))
			goto out;
	}
	int64_t limit = -1, offset = 0;
	if (q->limit && (rc = eval_count(q->sel, r, q->limit, "LIMIT", &limit, outer)))
		goto out;
	if (q->offset &&
	    (rc = eval_count(q->sel, r, q->offset, "OFFSET", &offset, outer)))
		goto out;
	if (offset < 0)
		offset = 0;
	size_t from = (size_t)offset < cnt ? (size_t)offset : cnt;
	size_t m = cnt - from;
	if (limit >= 0 && (size_t)limit < m)
		m = (size_t)limit;
	struct dh_value *res = dh_arena_alloc(r->a, (m ? m : 1) * (w ? w : 1) * sizeof(*res));
	for (size_t i = 0; i < m; i++)
		memcpy(res + i * w, *rows + ord[from + i] * w, w * sizeof(*res));
	*rows = res;
	*n = m;
	rc = 0;
out:
	free(ord);
	return rc;
}

static int
conv_rows(struct sqlc_q *q, struct dh_sqlx **conv, const struct dh_sqlx_run *outer,
	  struct dh_value *rows, size_t n)
{
	size_t w = (size_t)q->ncols;
	struct dh_value *tmp = dh_arena_alloc(q->r->a, (w ? w : 1) * sizeof(*tmp));
	struct dh_sqlx_run run = {.a = q->r->a, .err = q->r->err, .env = dh__sql_env(q->r->s),
				  .outer = outer};
	for (size_t i = 0; i < n; i++) {
		memcpy(tmp, rows + i * w, w * sizeof(*tmp));
		run.row = tmp;
		for (size_t k = 0; k < w; k++) {
			int rc = dh_sqlx_eval(conv[k], &run, &rows[i * w + k]);
			if (rc)
				return rc;
		}
	}
	return 0;
}

static int
setop_run(struct sqlc_q *q, const struct dh_sqlx_run *outer, struct dh_value **rowsp,
	  size_t *np)
{
	struct dh_value *lr, *rr;
	size_t ln, rn, w = (size_t)q->ncols;
	int rc;
	if ((rc = dh__sqlc_query_run(q->l, outer, &lr, &ln)) ||
	    (rc = dh__sqlc_query_run(q->rq, outer, &rr, &rn)))
		return rc;
	/* copies: the sides' rows may be cached */
	struct dh_value *all = dh_arena_alloc(q->r->a, (ln + rn + 1) * (w ? w : 1) * sizeof(*all));
	memcpy(all, lr, ln * w * sizeof(*all));
	memcpy(all + ln * w, rr, rn * w * sizeof(*all));
	if ((rc = conv_rows(q, q->lconv, outer, all, ln)) ||
	    (rc = conv_rows(q, q->rconv, outer, all + ln * w, rn)))
		return rc;
	uint32_t *types = dh_arena_alloc(q->r->a, (w + 1) * sizeof(*types));
	for (size_t k = 0; k < w; k++)
		types[k] = q->cols[k].type_oid;
	/* count occurrences per distinct row on each side */
	size_t tot = ln + rn;
	size_t *rep = xmalloc((tot ? tot : 1) * sizeof(*rep)); /* representative of row i */
	size_t *lc = xcalloc(tot ? tot : 1, sizeof(*lc)), *rc2 = xcalloc(tot ? tot : 1, sizeof(*rc2));
	struct sqlc_rowtab tab = {0};
	for (size_t i = 0; i < tot; i++) {
		int isnew;
		rep[i] = dh__sqlc_rowtab_put(&tab, all, w, types, (int)w, i, &isnew);
		if (i < ln)
			lc[rep[i]]++;
		else
			rc2[rep[i]]++;
	}
	dh__sqlc_rowtab_free(&tab);
	size_t m = 0;
	struct dh_value *out = dh_arena_alloc(q->r->a, (tot + 1) * (w ? w : 1) * sizeof(*out));
	for (size_t i = 0; i < tot; i++) {
		if (rep[i] != i)
			continue; /* emit each distinct row once, with its count */
		size_t a = lc[i], b = rc2[i], times;
		switch (q->op) {
		case PG_QUERY__SET_OPERATION__SETOP_UNION:
			times = q->all ? a + b : 1;
			break;
		case PG_QUERY__SET_OPERATION__SETOP_INTERSECT:
			times = q->all ? (a < b ? a : b) : (a && b);
			break;
		default:
			times = q->all ? (a > b ? a - b : 0) : (a && !b);
			break;
		}
		for (size_t t = 0; t < times; t++)
			memcpy(out + (m++) * w, all + i * w, w * sizeof(*out));
	}
	free(rep);
	free(lc);
	free(rc2);
	*rowsp = out;
	*np = m;
	return out_finish(q, outer, rowsp, np);
}

static int
values_run(struct sqlc_q *q, const struct dh_sqlx_run *outer, struct dh_value **rowsp,
	   size_t *np)
{
	size_t w = (size_t)q->ncols;
	struct dh_value *out =
	    dh_arena_alloc(q->r->a, ((size_t)q->nvr + 1) * (w ? w : 1) * sizeof(*out));
	struct dh_sqlx_run run = {.a = q->r->a, .err = q->r->err, .env = dh__sql_env(q->r->s),
				  .outer = outer};
	dh__sqlc_run_hooks(q->sel, &run);
	for (int i = 0; i < q->nvr; i++)
		for (size_t k = 0; k < w; k++) {
			int rc = dh_sqlx_eval(q->vals[(size_t)i * w + k], &run, &out[(size_t)i * w + k]);
			if (rc)
				return rc;
		}
	*rowsp = out;
	*np = (size_t)q->nvr;
	return out_finish(q, outer, rowsp, np);
}

int
dh__sqlc_query_run(struct sqlc_q *q, const struct dh_sqlx_run *outer, struct dh_value **rows,
		   size_t *n)
{
	if (q->cached) {
		*rows = q->crows;
		*n = q->cn;
		return 0;
	}
	int rc;
	switch (q->k) {
	case Q_SELECT:
		rc = sel_run(q->sel, q, outer, rows, n);
		break;
	case Q_VALUES:
		rc = values_run(q, outer, rows, n);
		break;
	default:
		rc = setop_run(q, outer, rows, n);
		break;
	}
	if (rc)
		return rc;
	if (!q->correlated) {
		q->cached = 1;
		q->crows = *rows;
		q->cn = *n;
	}
	return 0;
}

/* A WITH query's rows, computed once (recursive ones by iteration). */
int
dh__sqlc_cte_rows(struct sqlc_cte *c, const struct dh_sqlx_run *outer)
{
	if (c->done)
		return 0;
	int rc;
	if (!c->recursive) {
		if ((rc = dh__sqlc_query_run(c->q, outer, &c->rows, &c->nrows)))
			return rc;
		c->done = 1;
		return 0;
	}
	struct sqlc_q *base = c->base, *rec = c->rec;
	struct dh__sqlrun *r = base->r;
	size_t w = (size_t)c->ncols;
	uint32_t *types = dh_arena_alloc(r->a, (w + 1) * sizeof(*types));
	for (size_t k = 0; k < w; k++)
		types[k] = c->cols[k].type_oid;
	struct dh_value *br;
	size_t bn;
	if ((rc = dh__sqlc_query_run(base, outer, &br, &bn)))
		return rc;
	size_t cap = bn + 64, n = 0;
	struct dh_value *all = xmalloc(cap * (w ? w : 1) * sizeof(*all));
	struct sqlc_rowtab tab = {0};
	struct dh_value *work = dh_arena_alloc(r->a, (bn + 1) * (w ? w : 1) * sizeof(*work));
	size_t nw = 0;
#define ADD_ROW(src)                                                                              \
	do {                                                                                      \
		if (n == cap) {                                                                   \
			cap *= 2;                                                                 \
			all = xrealloc(all, cap * (w ? w : 1) * sizeof(*all));                    \
		}                                                                                 \
		memcpy(all + n * w, (src), w * sizeof(*all));                                     \
		int isnew = 1;                                                                    \
		if (!c->union_all)                                                                \
			dh__sqlc_rowtab_put(&tab, all, w, types, (int)w, n, &isnew);              \
		if (isnew)                                                                        \
			n++;                                                                      \
		added = isnew;                                                                    \
	} while (0)
	for (size_t i = 0; i < bn; i++) {
		int added;
		ADD_ROW(br + i * w);
		if (added)
			memcpy(work + (nw++) * w, all + (n - 1) * w, w * sizeof(*work));
	}
	rc = 0;
	for (int iter = 0; nw > 0 && !(c->want > 0 && (int64_t)n >= c->want); iter++) {
		volatile sig_atomic_t *cancel = dh__sql_cancel(r->s);
		if (cancel && *cancel) {
			rc = dh_err_canceled(r->err, *cancel);
			break;
		}
		c->work = work;
		c->nwork = nw;
		c->iterating = 1;
		rec->cached = 0;
		struct dh_value *rr;
		size_t rn;
		rc = dh__sqlc_query_run(rec, outer, &rr, &rn);
		rec->cached = 0;
		c->iterating = 0;
		if (rc == 0 && c->recconv) {
			struct dh_value *cp =
			    dh_arena_alloc(r->a, (rn + 1) * (w ? w : 1) * sizeof(*cp));
			memcpy(cp, rr, rn * w * sizeof(*cp));
			rr = cp;
			rc = conv_rows(rec, c->recconv, outer, rr, rn);
		}
		if (rc)
			break;
		struct dh_value *nwk = dh_arena_alloc(r->a, (rn + 1) * (w ? w : 1) * sizeof(*nwk));
		size_t nn = 0;
		for (size_t i = 0; i < rn; i++) {
			int added;
			ADD_ROW(rr + i * w);
			if (added)
				memcpy(nwk + (nn++) * w, all + (n - 1) * w, w * sizeof(*nwk));
		}
		work = nwk;
		nw = nn;
	}
#undef ADD_ROW
	dh__sqlc_rowtab_free(&tab);
	if (rc == 0) {
		c->rows = dh_arena_alloc(r->a, (n ? n : 1) * (w ? w : 1) * sizeof(*c->rows));
		memcpy(c->rows, all, n * w * sizeof(*c->rows));
		c->nrows = n;
		c->done = 1;
	}
	free(all);
	return rc;
}

int
dh__sqlc_select(struct dh__sqlrun *r, const PgQuery__SelectStmt *st, int emit,
		struct dh_sql_col **colsp, int *ncolsp, struct dh_value **rowsp, size_t *nrowsp)
{
	struct sqlc_q *q;
	int rc = query_compile(r, st, NULL, NULL, 0, &q);
	if (rc)
		return rc;
	/* a record's shape (its typmod) stays inside the statement, as
	 * PostgreSQL's exprTypmod of a record is -1 */
	for (int k = 0; k < q->ncols; k++)
		if (q->cols[k].type_oid == DH_OID_RECORD && q->cols[k].typmod >= 0) {
			struct dh_sql_col *c = dh_arena_alloc(r->a, (size_t)q->ncols * sizeof(*c));
			memcpy(c, q->cols, (size_t)q->ncols * sizeof(*c));
			for (int j = k; j < q->ncols; j++)
				if (c[j].type_oid == DH_OID_RECORD)
					c[j].typmod = -1;
			q->cols = c;
			break;
		}
	if (r->describe)
		return dh__sqlc_described(r, q->ncols, q->cols);
	if (emit && r->cb && dh__sql_headers(r->s)) {
		struct dh_sql_result h = {.ncols = q->ncols, .cols = q->cols, .header = 1};
		if ((rc = r->cb(r->ctx, &h)))
			return rc;
	}
	struct dh_value *rows;
	size_t n;
	if ((rc = dh__sqlc_query_run(q, NULL, &rows, &n)))
		return rc;
	if (colsp) {
		*colsp = q->cols;
		*ncolsp = q->ncols;
		*rowsp = rows;
		*nrowsp = n;
	}
	if (!emit)
		return 0;
	return dh__sqlc_emit(r, dh_arena_printf(r->a, "SELECT %zu", n), q->ncols, q->cols, rows,
			     n);
}
