/*
 * sqlc-dml: INSERT, UPDATE, DELETE.  The rows to change come from the same
 * plans as SELECT (an UPDATE or DELETE is a SELECT of db_id and every
 * column); the changes are typed datom ops (dh_wtx_apply) in the session's
 * write transaction.  NOT NULL and PRIMARY KEY are checked here, before
 * anything is written, with PostgreSQL's errors.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "sqlc-int.h"

struct ops {
	struct dh_txop *v;
	size_t n, cap;
};

static void
op_add(struct ops *o, int added, uint64_t e, uint64_t a, struct dh_value v)
{
	if (o->n == o->cap) {
		o->cap = o->cap ? 2 * o->cap : 256;
		o->v = xrealloc(o->v, o->cap * sizeof(*o->v));
	}
	o->v[o->n++] = (struct dh_txop){added, e, a, v};
}

/* "(1, foo, null)": PostgreSQL's "Failing row contains" text. */
static void
row_text(struct dh__sqlrun *r, const struct dh_sqltable *t, const struct dh_value *vals,
	 struct dh_buf *b)
{
	dh_buf_addc(b, '(');
	for (int i = 0; i < t->ncols; i++) {
		if (i)
			dh_buf_adds(b, ", ");
		if (vals[i].type == DH_T_NONE)
			dh_buf_adds(b, "null");
		else
			dh_sqltype_out(t->cols[i].type, &vals[i], dh__sql_env(r->s), b);
	}
	dh_buf_addc(b, ')');
}

static int
check_notnull(struct dh__sqlrun *r, const struct dh_sqltable *t, const struct dh_value *vals)
{
	for (int i = 0; i < t->ncols; i++)
		if (t->cols[i].notnull && vals[i].type == DH_T_NONE) {
			dh_err_sql(r->err, "23502",
				   "null value in column \"%s\" of relation \"%s\" violates not-null "
				   "constraint",
				   t->cols[i].name, t->name);
			struct dh_buf b;
			dh_buf_init(&b, 0);
			row_text(r, t, vals, &b);
			dh_err_detail(r->err, "Failing row contains %s.", (const char *)b.p);
			dh_buf_release(&b);
			return DH_ESQL;
		}
	return 0;
}

static int
dup_key(struct dh__sqlrun *r, const struct dh_sqltable *t, const struct dh_value *vals)
{
	dh_err_sql(r->err, "23505", "duplicate key value violates unique constraint \"%s\"",
		   t->pkname);
	struct dh_buf k, v;
	dh_buf_init(&k, 0);
	dh_buf_init(&v, 0);
	for (int i = 0; i < t->npk; i++) {
		if (i) {
			dh_buf_adds(&k, ", ");
			dh_buf_adds(&v, ", ");
		}
		dh_buf_adds(&k, t->cols[t->pk[i]].name);
		dh_sqltype_out(t->cols[t->pk[i]].type, &vals[t->pk[i]], dh__sql_env(r->s), &v);
	}
	dh_err_detail(r->err, "Key (%s)=(%s) already exists.", (const char *)k.p,
		      (const char *)v.p);
	dh_buf_release(&k);
	dh_buf_release(&v);
	return DH_ESQL;
}

/* Does an entity other than self hold the primary key vals?  1 yes. */
static int
pk_taken(struct dh__sqlrun *r, struct dh_view *view, const struct dh_sqltable *t,
	 const struct dh_value *vals, uint64_t self)
{
	const struct dh_sqlcol *c0 = &t->cols[t->pk[0]];
	struct dh_iter *it;
	struct dh_datom pat = {.a = c0->attr, .v = vals[t->pk[0]]}, d;
	int rc = dh_iter_open(view, DH_AVET, &pat, 2, r->a, &it, r->err);
	if (rc)
		return rc;
	int found = 0;
	while (!found && (rc = dh_iter_next(it, &d, r->err)) == 1) {
		if (d.e == self)
			continue;
		found = 1;
		for (int k = 1; k < t->npk && found; k++) {
			const struct dh_sqlcol *c = &t->cols[t->pk[k]];
			int has = dh_view_has(view, d.e, c->attr, &vals[t->pk[k]], NULL, r->err);
			if (has < 0) {
				rc = has;
				break;
			}
			found = has;
		}
	}
	dh_iter_close(it);
	return rc < 0 ? rc : found;
}

/* Keys of the rows written by this statement, to catch duplicates among
 * them. */
struct keyset {
	size_t cap, n;
	struct dh_value *keys; /* n * npk */
	size_t *slot;          /* index + 1 */
	const struct dh_sqltable *t;
};

static uint64_t
keyset_hash(const struct keyset *s, const struct dh_value *k)
{
	uint64_t h = 1469598103934665603ull;
	for (int i = 0; i < s->t->npk; i++)
		h = (h ^ dh_sqltype_hash(s->t->cols[s->t->pk[i]].type, &k[i])) * 1099511628211ull;
	return h;
}

/* 1 if already there, else adds it. */
static int
keyset_put(struct keyset *s, const struct dh_value *vals)
{
	int np = s->t->npk;
	struct dh_value k[64];
	for (int i = 0; i < np && i < 64; i++)
		k[i] = vals[s->t->pk[i]];
	if ((s->n + 1) * 2 > s->cap) {
		size_t nc = s->cap ? 2 * s->cap : 256;
		size_t *ns = xcalloc(nc, sizeof(*ns));
		for (size_t i = 0; i < s->cap; i++)
			if (s->slot[i]) {
				size_t j = keyset_hash(s, s->keys + (s->slot[i] - 1) * (size_t)np) &
					   (nc - 1);
				while (ns[j])
					j = (j + 1) & (nc - 1);
				ns[j] = s->slot[i];
			}
		free(s->slot);
		s->slot = ns;
		s->cap = nc;
		s->keys = xrealloc(s->keys, nc * (size_t)np * sizeof(*s->keys));
	}
	size_t j = keyset_hash(s, k) & (s->cap - 1);
	while (s->slot[j]) {
		const struct dh_value *o = s->keys + (s->slot[j] - 1) * (size_t)np;
		int eq = 1;
		for (int i = 0; i < np && eq; i++)
			eq = dh_sqltype_cmp(s->t->cols[s->t->pk[i]].type, &o[i], &k[i]) == 0;
		if (eq)
			return 1;
		j = (j + 1) & (s->cap - 1);
	}
	memcpy(s->keys + s->n * (size_t)np, k, (size_t)np * sizeof(*k));
	s->slot[j] = ++s->n;
	return 0;
}

static void
keyset_free(struct keyset *s)
{
	free(s->keys);
	free(s->slot);
}

/* RETURNING: a scope over one table's columns (slot i = column i, slot
 * ncols = db_id). */
struct retscope {
	struct dh__sqlrun *r;
	const struct dh_sqltable *t;
	const char *alias;
};

static int
ret_col(void *ctx, const char *const *names, int n, int location, int *slot, uint32_t *type,
	int32_t *typmod, struct dh_err *err)
{
	struct retscope *rs = ctx;
	if (n > 2 || strcmp(names[n - 1], "*") == 0)
		return 1;
	if (n == 2 && strcmp(names[0], rs->alias) != 0) {
		dh_err_sql(err, "42P01", "missing FROM-clause entry for table \"%s\"", names[0]);
		return dh__sql_at(rs->r, location, DH_ESQL);
	}
	for (int i = 0; i < rs->t->ncols; i++)
		if (strcmp(rs->t->cols[i].name, names[n - 1]) == 0) {
			*slot = i;
			*type = rs->t->cols[i].type;
			*typmod = rs->t->cols[i].typmod;
			return 0;
		}
	if (strcmp(names[n - 1], "db_id") == 0) {
		*slot = rs->t->ncols;
		*type = DH_OID_INT8;
		*typmod = -1;
		return 0;
	}
	return 1;
}

struct returning {
	int n;
	struct dh_sqlx **x;
	struct dh_sql_col *cols;
	struct dh_value *rows;
	size_t nrows, cap;
};

static int
returning_compile(struct dh__sqlrun *r, struct retscope *rs, PgQuery__Node **list, size_t n,
		  struct returning *ret)
{
	memset(ret, 0, sizeof(*ret));
	if (!n)
		return 0;
	struct dh_sqlx_scope scope = {.ctx = rs, .column = ret_col};
	struct dh_sqlx_cc cc = {.a = r->a, .err = r->err, .env = dh__sql_env(r->s), .scope = &scope,
				.text = r->text};
	int cap = (int)n + 8 + rs->t->ncols;
	ret->x = dh_arena_alloc(r->a, (size_t)cap * sizeof(*ret->x));
	ret->cols = dh_arena_zalloc(r->a, (size_t)cap * sizeof(*ret->cols));
	for (size_t i = 0; i < n; i++) {
		const PgQuery__ResTarget *t = list[i]->res_target;
		if (t->val->node_case == PG_QUERY__NODE__NODE_COLUMN_REF &&
		    t->val->column_ref->fields[t->val->column_ref->n_fields - 1]->node_case ==
			PG_QUERY__NODE__NODE_A_STAR) {
			for (int c = 0; c < rs->t->ncols; c++) {
				ret->x[ret->n] = dh_sqlx_slot(r->a, c, 0, rs->t->cols[c].type,
							      rs->t->cols[c].typmod,
							      rs->t->cols[c].name);
				ret->cols[ret->n] = (struct dh_sql_col){rs->t->cols[c].name,
									rs->t->cols[c].type,
									rs->t->cols[c].typmod};
				ret->n++;
			}
			continue;
		}
		struct dh_sqlx *x;
		int rc = dh_sqlx_compile(&cc, t->val, &x);
		if (rc || (rc = dh_sqlx_resolve_unknown(&cc, x, &x)))
			return rc;
		ret->x[ret->n] = x;
		ret->cols[ret->n] = (struct dh_sql_col){
		    t->name && *t->name ? t->name : x->name ? x->name : "?column?", x->type,
		    x->typmod};
		ret->n++;
	}
	return 0;
}

/* Evaluate RETURNING over row vals (ncols + 1 slots, the last db_id). */
static int
returning_row(struct dh__sqlrun *r, struct returning *ret, const struct dh_value *vals)
{
	if (!ret->n)
		return 0;
	if (ret->nrows == ret->cap) {
		ret->cap = ret->cap ? 2 * ret->cap : 64;
		struct dh_value *nr =
		    dh_arena_alloc(r->a, ret->cap * (size_t)ret->n * sizeof(*nr));
		if (ret->nrows)
			memcpy(nr, ret->rows, ret->nrows * (size_t)ret->n * sizeof(*nr));
		ret->rows = nr;
	}
	struct dh_sqlx_run run = {.a = r->a, .err = r->err, .env = dh__sql_env(r->s), .row = vals};
	for (int i = 0; i < ret->n; i++) {
		int rc = dh_sqlx_eval(ret->x[i], &run, &ret->rows[ret->nrows * (size_t)ret->n + (size_t)i]);
		if (rc)
			return rc;
	}
	ret->nrows++;
	return 0;
}

static int
finish(struct dh__sqlrun *r, const char *tag, struct returning *ret)
{
	return dh__sqlc_emit(r, tag, ret->n, ret->cols, ret->rows, ret->nrows);
}

/* The table, with the write transaction open. */
static int
target_table(struct dh__sqlrun *r, const PgQuery__RangeVar *rv, struct dh_wtx **w,
	     struct dh_sqltable **t)
{
	const struct dh_schema *sc;
	int rc;
	if (rv->schemaname && *rv->schemaname && strcmp(rv->schemaname, "public") != 0) {
		dh_err_sql(r->err, "3F000", "schema \"%s\" does not exist", rv->schemaname);
		return dh__sql_at(r, rv->location, DH_ESQL);
	}
	if ((rc = dh__sql_wtx(r->s, w, r->err)) || (rc = dh_wtx_schema(*w, &sc, r->err)))
		return rc;
	if ((rc = dh__sqlcat_table(dh_wtx_view(*w), sc, rv->relname, r->a, t, r->err)))
		return dh__sql_at(r, rv->location, rc);
	return 0;
}

/* A value as stored: the runtime form, checked against the attribute. */
static int
storable(struct dh__sqlrun *r, const struct dh_sqlcol *c, const struct dh_value *v)
{
	if (v->type == DH_T_NONE || v->type == c->rep)
		return 0;
	return dh_err_sql(r->err, "0A000", "values of column \"%s\" cannot be stored yet", c->name);
}

int
dh__sqlc_insert(struct dh__sqlrun *r, const PgQuery__InsertStmt *st)
{
	struct dh_wtx *w;
	struct dh_sqltable *t;
	int rc;
	if (st->with_clause)
		return dh_err_sql(r->err, "0A000", "WITH is not supported yet");
	if (st->on_conflict_clause)
		return dh_err_sql(r->err, "0A000", "ON CONFLICT is not supported yet");
	if ((rc = target_table(r, st->relation, &w, &t)))
		return rc;
	const char *alias = st->relation->alias && st->relation->alias->aliasname
				? st->relation->alias->aliasname
				: t->name;
	/* target columns: the list, else as many leading columns as the
	 * source gives (PostgreSQL fills the rest with defaults) */
	const PgQuery__SelectStmt *sel0 = st->select_stmt ? st->select_stmt->select_stmt : NULL;
	int nt = t->ncols;
	if (st->n_cols)
		nt = (int)st->n_cols;
	else if (sel0 && sel0->n_values_lists && sel0->values_lists[0]->list->n_items <
							 (size_t)t->ncols)
		nt = (int)sel0->values_lists[0]->list->n_items;
	else if (sel0 && !sel0->n_values_lists && sel0->op == PG_QUERY__SET_OPERATION__SETOP_NONE &&
		 sel0->n_target_list < (size_t)t->ncols) {
		int star = 0;
		for (size_t i = 0; i < sel0->n_target_list; i++) {
			const PgQuery__Node *v = sel0->target_list[i]->res_target->val;
			star |= v->node_case == PG_QUERY__NODE__NODE_COLUMN_REF &&
				v->column_ref->fields[v->column_ref->n_fields - 1]->node_case ==
				    PG_QUERY__NODE__NODE_A_STAR;
		}
		if (!star)
			nt = (int)sel0->n_target_list;
	}
	int *tcol = dh_arena_alloc(r->a, (size_t)(nt + 1) * sizeof(int));
	char *given = dh_arena_zalloc(r->a, (size_t)t->ncols + 1);
	for (int i = 0; i < nt; i++) {
		if (!st->n_cols) {
			tcol[i] = i;
			given[i] = 1;
			continue;
		}
		const PgQuery__ResTarget *rt = st->cols[i]->res_target;
		if (rt->n_indirection)
			return dh_err_sql(r->err, "0A000",
					  "subscripts and fields in INSERT columns are not supported");
		int found = -1;
		for (int k = 0; k < t->ncols; k++)
			if (strcmp(t->cols[k].name, rt->name) == 0)
				found = k;
		if (found < 0) {
			dh_err_sql(r->err, "42703", "column \"%s\" of relation \"%s\" does not exist",
				   rt->name, t->name);
			return dh__sql_at(r, rt->location, DH_ESQL);
		}
		if (given[found]) {
			dh_err_sql(r->err, "42701", "column \"%s\" specified more than once",
				   rt->name);
			return dh__sql_at(r, rt->location, DH_ESQL);
		}
		given[found] = 1;
		tcol[i] = found;
	}
	struct dh_sqlx_cc cc = {.a = r->a, .err = r->err, .env = dh__sql_env(r->s),
				.text = r->text};
	struct dh_sqlx_run run = {.a = r->a, .err = r->err, .env = cc.env};
	/* defaults, compiled once */
	struct dh_sqlx **dflt = dh_arena_zalloc(r->a, (size_t)(t->ncols + 1) * sizeof(*dflt));
	for (int k = 0; k < t->ncols; k++) {
		const struct dh_sqlcol *c = &t->cols[k];
		if (!c->dflt)
			continue;
		PgQuery__ParseResult *tree;
		const PgQuery__Node *e;
		if ((rc = dh__sqlc_parse_expr(r, c->dflt, &tree, &e)))
			return rc;
		struct dh_sqlx_cc dc = cc;
		dc.text = NULL;
		rc = dh_sqlx_compile(&dc, e, &dflt[k]);
		if (rc == 0)
			rc = dh_sqlx_coerce(&dc, dflt[k], c->type, c->typmod, DH_CAST_ASSIGNMENT,
					    c->name, &dflt[k]);
		pg_query__parse_result__free_unpacked(tree, NULL);
		if (rc)
			return rc;
	}
	/* the source rows, as expressions per target column */
	size_t nrows = 0;
	struct dh_sqlx **src = NULL; /* nrows * nt; NULL: DEFAULT */
	const PgQuery__SelectStmt *sel =
	    st->select_stmt ? st->select_stmt->select_stmt : NULL;
	struct dh_value *selrows = NULL;
	int selw = 0;
	if (sel && sel->n_values_lists && sel->op == PG_QUERY__SET_OPERATION__SETOP_NONE &&
	    !sel->n_sort_clause && !sel->limit_count && !sel->limit_offset) {
		nrows = sel->n_values_lists;
		src = dh_arena_zalloc(r->a, nrows * (size_t)(nt ? nt : 1) * sizeof(*src));
		for (size_t i = 0; i < nrows; i++) {
			const PgQuery__List *l = sel->values_lists[i]->list;
			if ((int)l->n_items != nt) {
				dh_err_sql(r->err, "42601",
					   (int)l->n_items > nt
					       ? "INSERT has more expressions than target columns"
					       : "INSERT has more target columns than expressions");
				return dh__sql_at(
				    r,
				    (int)l->n_items > nt ? -1 : st->cols ? st->cols[l->n_items]->res_target->location : -1,
				    DH_ESQL);
			}
			for (int k = 0; k < nt; k++) {
				const PgQuery__Node *e = l->items[k];
				if (e->node_case == PG_QUERY__NODE__NODE_SET_TO_DEFAULT)
					continue;
				const struct dh_sqlcol *c = &t->cols[tcol[k]];
				struct dh_sqlx *x;
				if ((rc = dh_sqlx_compile(&cc, e, &x)) ||
				    (rc = dh_sqlx_coerce(&cc, x, c->type, c->typmod, DH_CAST_ASSIGNMENT,
							 c->name, &x)))
					return rc;
				src[i * (size_t)nt + (size_t)k] = x;
			}
		}
	} else if (sel) {
		struct dh_sql_col *scols;
		if ((rc = dh__sqlc_select(r, sel, 0, &scols, &selw, &selrows, &nrows)))
			return rc;
		if (selw != nt) {
			dh_err_sql(r->err, "42601",
				   selw > nt ? "INSERT has more expressions than target columns"
					     : "INSERT has more target columns than expressions");
			return DH_ESQL;
		}
		/* one coercion per column, over the row's slots */
		src = dh_arena_zalloc(r->a, (size_t)(nt ? nt : 1) * sizeof(*src));
		for (int k = 0; k < nt; k++) {
			const struct dh_sqlcol *c = &t->cols[tcol[k]];
			struct dh_sqlx *x =
			    dh_sqlx_slot(r->a, k, 0, scols[k].type_oid, scols[k].typmod, NULL);
			if ((rc = dh_sqlx_coerce(&cc, x, c->type, c->typmod, DH_CAST_ASSIGNMENT,
						 c->name, &x)))
				return rc;
			src[k] = x;
		}
	} else {
		nrows = 1; /* DEFAULT VALUES */
		nt = 0;
	}
	struct retscope rs = {r, t, alias};
	struct returning ret;
	if ((rc = returning_compile(r, &rs, st->returning_list, st->n_returning_list, &ret)))
		return rc;
	struct ops ops = {0};
	struct keyset ks = {.t = t};
	struct dh_value *vals = dh_arena_alloc(r->a, (size_t)(t->ncols + 1) * sizeof(*vals));
	for (size_t i = 0; i < nrows && rc == 0; i++) {
		char *set = dh_arena_zalloc(r->a, (size_t)t->ncols + 1);
		for (int k = 0; k < t->ncols; k++)
			vals[k].type = DH_T_NONE;
		for (int k = 0; k < nt && rc == 0; k++) {
			struct dh_sqlx *x = selrows ? src[k] : src[i * (size_t)nt + (size_t)k];
			if (!x)
				continue;
			run.row = selrows ? selrows + i * (size_t)selw : NULL;
			rc = dh_sqlx_eval(x, &run, &vals[tcol[k]]);
			set[tcol[k]] = 1;
		}
		for (int k = 0; k < t->ncols && rc == 0; k++)
			if (!set[k] && dflt[k]) {
				run.row = NULL;
				rc = dh_sqlx_eval(dflt[k], &run, &vals[k]);
			}
		if (rc || (rc = check_notnull(r, t, vals)))
			break;
		if (t->npk) {
			if ((rc = pk_taken(r, dh_wtx_view(w), t, vals, 0)) < 0)
				break;
			if (rc == 1 || keyset_put(&ks, vals)) {
				rc = dup_key(r, t, vals);
				break;
			}
		}
		uint64_t e = dh_wtx_new_eid(w);
		if (t->marker)
			op_add(&ops, 1, e, t->marker, (struct dh_value){.type = DH_T_BOOL, .b = 1});
		for (int k = 0; k < t->ncols && rc == 0; k++) {
			if ((rc = storable(r, &t->cols[k], &vals[k])))
				break;
			if (vals[k].type != DH_T_NONE)
				op_add(&ops, 1, e, t->cols[k].attr, vals[k]);
		}
		vals[t->ncols] = (struct dh_value){.type = DH_T_LONG, .i = (int64_t)e};
		if (rc == 0)
			rc = returning_row(r, &ret, vals);
	}
	if (rc == 0 && ops.n) {
		struct dh_tx_report rep;
		rc = dh_wtx_apply(w, ops.v, ops.n, r->a, &rep, r->err);
	}
	free(ops.v);
	keyset_free(&ks);
	if (rc)
		return rc;
	return finish(r, dh_arena_printf(r->a, "INSERT 0 %zu", nrows), &ret);
}

/* The rows of table rv (db_id and every column, slots in column order with
 * db_id last) that pass where. */
static int
select_rows(struct dh__sqlrun *r, struct sqlc_sel *S, const PgQuery__RangeVar *rv,
	    const PgQuery__Node *where, struct dh_value **rows, size_t *n)
{
	dh__sqlc_sel_init(S, r, NULL);
	struct sqlc_rte *e;
	int rc = dh__sqlc_add_table(S, rv, &e);
	if (rc)
		return rc;
	for (int i = 0; i < e->t->ncols; i++)
		dh__sqlc_slot_of(S, 0, i);
	dh__sqlc_slot_of(S, 0, -1);
	if ((rc = dh__sqlc_where(S, where)))
		return rc;
	return dh__sqlc_run_block(S, rows, n);
}

int
dh__sqlc_update(struct dh__sqlrun *r, const PgQuery__UpdateStmt *st)
{
	struct dh_wtx *w;
	struct dh_sqltable *t;
	int rc;
	if (st->with_clause || st->n_from_clause)
		return dh_err_sql(r->err, "0A000", "UPDATE with %s is not supported yet",
				  st->with_clause ? "WITH" : "FROM");
	if ((rc = target_table(r, st->relation, &w, &t)))
		return rc;
	struct sqlc_sel S;
	struct dh_value *rows;
	size_t n;
	/* compile SET before running: its errors come first */
	dh__sqlc_sel_init(&S, r, NULL);
	struct sqlc_rte *e;
	if ((rc = dh__sqlc_add_table(&S, st->relation, &e)))
		return rc;
	t = e->t;
	for (int i = 0; i < t->ncols; i++)
		dh__sqlc_slot_of(&S, 0, i);
	dh__sqlc_slot_of(&S, 0, -1);
	int ns = (int)st->n_target_list;
	int *scol = dh_arena_alloc(r->a, (size_t)(ns + 1) * sizeof(int));
	struct dh_sqlx **sx = dh_arena_zalloc(r->a, (size_t)(ns + 1) * sizeof(*sx));
	char *assigned = dh_arena_zalloc(r->a, (size_t)t->ncols + 1);
	for (int i = 0; i < ns; i++) {
		const PgQuery__ResTarget *rt = st->target_list[i]->res_target;
		if (rt->n_indirection ||
		    rt->val->node_case == PG_QUERY__NODE__NODE_MULTI_ASSIGN_REF)
			return dh_err_sql(r->err, "0A000", "this form of SET is not supported yet");
		int found = -1;
		for (int k = 0; k < t->ncols; k++)
			if (strcmp(t->cols[k].name, rt->name) == 0)
				found = k;
		if (found < 0) {
			dh_err_sql(r->err, "42703", "column \"%s\" of relation \"%s\" does not exist",
				   rt->name, t->name);
			return dh__sql_at(r, rt->location, DH_ESQL);
		}
		if (assigned[found]) {
			dh_err_sql(r->err, "42601", "multiple assignments to same column \"%s\"",
				   rt->name);
			return dh__sql_at(r, rt->location, DH_ESQL);
		}
		assigned[found] = 1;
		scol[i] = found;
		const struct dh_sqlcol *c = &t->cols[found];
		if (rt->val->node_case == PG_QUERY__NODE__NODE_SET_TO_DEFAULT) {
			if (!c->dflt)
				continue; /* NULL */
			PgQuery__ParseResult *tree;
			const PgQuery__Node *de;
			if ((rc = dh__sqlc_parse_expr(r, c->dflt, &tree, &de)))
				return rc;
			struct dh_sqlx_cc dc = S.cc;
			dc.scope = NULL;
			dc.text = NULL;
			rc = dh_sqlx_compile(&dc, de, &sx[i]);
			if (rc == 0)
				rc = dh_sqlx_coerce(&dc, sx[i], c->type, c->typmod, DH_CAST_ASSIGNMENT,
						    c->name, &sx[i]);
			pg_query__parse_result__free_unpacked(tree, NULL);
			if (rc)
				return rc;
			continue;
		}
		if ((rc = dh_sqlx_compile(&S.cc, rt->val, &sx[i])) ||
		    (rc = dh_sqlx_coerce(&S.cc, sx[i], c->type, c->typmod, DH_CAST_ASSIGNMENT,
					 c->name, &sx[i])))
			return rc;
	}
	if ((rc = dh__sqlc_where(&S, st->where_clause)) || (rc = dh__sqlc_run_block(&S, &rows, &n)))
		return rc;
	const char *alias = st->relation->alias && st->relation->alias->aliasname
				? st->relation->alias->aliasname
				: t->name;
	struct retscope rs = {r, t, alias};
	struct returning ret;
	if ((rc = returning_compile(r, &rs, st->returning_list, st->n_returning_list, &ret)))
		return rc;
	size_t w0 = (size_t)S.nsl;
	/* slot of column k is k (allocated in order), db_id is ncols */
	struct ops ops = {0};
	struct keyset ks = {.t = t};
	int pk_touched = 0;
	for (int i = 0; i < t->npk; i++)
		pk_touched |= assigned[t->pk[i]];
	struct dh_value *nv = dh_arena_alloc(r->a, (size_t)(t->ncols + 1) * sizeof(*nv));
	struct dh_sqlx_run run = {.a = r->a, .err = r->err, .env = S.cc.env};
	/* SET compiled subqueries in S's scope: they run through its hooks */
	dh__sqlc_run_hooks(&S, &run);
	for (size_t i = 0; i < n && rc == 0; i++) {
		const struct dh_value *old = rows + i * w0;
		memcpy(nv, old, (size_t)(t->ncols + 1) * sizeof(*nv));
		run.row = old;
		for (int k = 0; k < ns && rc == 0; k++) {
			if (!sx[k])
				nv[scol[k]].type = DH_T_NONE;
			else
				rc = dh_sqlx_eval(sx[k], &run, &nv[scol[k]]);
		}
		if (rc || (rc = check_notnull(r, t, nv)))
			break;
		uint64_t eid = (uint64_t)old[t->ncols].i;
		if (pk_touched) {
			if ((rc = pk_taken(r, dh_wtx_view(w), t, nv, eid)) < 0)
				break;
			/* a key another updated row had is free only if that row
			 * moves too: PostgreSQL checks row by row, so does this */
			if (rc == 1 || keyset_put(&ks, nv)) {
				rc = dup_key(r, t, nv);
				break;
			}
			rc = 0;
		}
		for (int k = 0; k < t->ncols && rc == 0; k++) {
			if (!assigned[k])
				continue;
			if ((rc = storable(r, &t->cols[k], &nv[k])))
				break;
			if (nv[k].type == DH_T_NONE) {
				if (old[k].type != DH_T_NONE)
					op_add(&ops, 0, eid, t->cols[k].attr, old[k]);
			} else if (old[k].type == DH_T_NONE || !dh_value_eq(&old[k], &nv[k])) {
				op_add(&ops, 1, eid, t->cols[k].attr, nv[k]);
			}
		}
		if (rc == 0)
			rc = returning_row(r, &ret, nv);
	}
	if (rc == 0 && ops.n) {
		struct dh_tx_report rep;
		rc = dh_wtx_apply(w, ops.v, ops.n, r->a, &rep, r->err);
	}
	free(ops.v);
	keyset_free(&ks);
	if (rc)
		return rc;
	return finish(r, dh_arena_printf(r->a, "UPDATE %zu", n), &ret);
}

int
dh__sqlc_delete(struct dh__sqlrun *r, const PgQuery__DeleteStmt *st)
{
	struct dh_wtx *w;
	struct dh_sqltable *t;
	int rc;
	if (st->with_clause || st->n_using_clause)
		return dh_err_sql(r->err, "0A000", "DELETE with %s is not supported yet",
				  st->with_clause ? "WITH" : "USING");
	if ((rc = target_table(r, st->relation, &w, &t)))
		return rc;
	struct sqlc_sel S;
	struct dh_value *rows;
	size_t n;
	if ((rc = select_rows(r, &S, st->relation, st->where_clause, &rows, &n)))
		return rc;
	t = S.rt[0].t;
	const char *alias = st->relation->alias && st->relation->alias->aliasname
				? st->relation->alias->aliasname
				: t->name;
	struct retscope rs = {r, t, alias};
	struct returning ret;
	if ((rc = returning_compile(r, &rs, st->returning_list, st->n_returning_list, &ret)))
		return rc;
	size_t w0 = (size_t)S.nsl;
	struct ops ops = {0};
	for (size_t i = 0; i < n && rc == 0; i++) {
		const struct dh_value *old = rows + i * w0;
		uint64_t eid = (uint64_t)old[t->ncols].i;
		for (int k = 0; k < t->ncols; k++)
			if (old[k].type != DH_T_NONE)
				op_add(&ops, 0, eid, t->cols[k].attr, old[k]);
		if (t->marker)
			op_add(&ops, 0, eid, t->marker, (struct dh_value){.type = DH_T_BOOL, .b = 1});
		rc = returning_row(r, &ret, old);
	}
	if (rc == 0 && ops.n) {
		struct dh_tx_report rep;
		rc = dh_wtx_apply(w, ops.v, ops.n, r->a, &rep, r->err);
	}
	free(ops.v);
	if (rc)
		return rc;
	return finish(r, dh_arena_printf(r->a, "DELETE %zu", n), &ret);
}
