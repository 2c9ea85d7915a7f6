/*
 * sqlc-dml: INSERT, UPDATE, DELETE.  The rows to change come from the same
 * plans as SELECT (an UPDATE or DELETE is a SELECT of db_id and every
 * column); the changes are typed datom ops (dh_wtx_apply) in the session's
 * write transaction.  NOT NULL, identity columns and ON CONFLICT are
 * handled here, the constraints by sqlc-con.c: CHECK and unique keys
 * before anything is written, foreign keys after, with PostgreSQL's
 * errors.
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
	if (n == 3 && strcmp(names[0], "public") == 0) {
		names++; /* public.t.col */
		n--;
	}
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
	struct dh_sqlx_scope scope = {.ctx = rs, .column = ret_col, .function = dh__sqlc_fn_hook};
	struct dh_sqlx_cc cc = {
	    .a = r->a, .err = r->err, .env = dh__sql_env(r->s), .scope = &scope, .text = r->text};
	int cap = (int)n + 8 + rs->t->ncols;
	ret->x = dh_arena_alloc(r->a, (size_t)cap * sizeof(*ret->x));
	ret->cols = dh_arena_zalloc(r->a, (size_t)cap * sizeof(*ret->cols));
	for (size_t i = 0; i < n; i++) {
		const PgQuery__ResTarget *t = list[i]->res_target;
		if (t->val->node_case == PG_QUERY__NODE__NODE_COLUMN_REF &&
		    t->val->column_ref->fields[t->val->column_ref->n_fields - 1]->node_case ==
			PG_QUERY__NODE__NODE_A_STAR) {
			for (int c = 0; c < rs->t->ncols; c++) {
				ret->x[ret->n] =
				    dh_sqlx_slot(r->a, c, 0, rs->t->cols[c].type,
						 rs->t->cols[c].typmod, rs->t->cols[c].name);
				ret->cols[ret->n] =
				    (struct dh_sql_col){rs->t->cols[c].name, rs->t->cols[c].type,
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
		ret->cols[ret->n] = (struct dh_sql_col){t->name && *t->name ? t->name
							: x->name	    ? x->name
									    : "?column?",
							x->type, x->typmod};
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
		struct dh_value *nr = dh_arena_alloc(r->a, ret->cap * (size_t)ret->n * sizeof(*nr));
		if (ret->nrows)
			memcpy(nr, ret->rows, ret->nrows * (size_t)ret->n * sizeof(*nr));
		ret->rows = nr;
	}
	struct dh_sqlx_run run = {.a = r->a,
				  .err = r->err,
				  .env = dh__sql_env(r->s),
				  .row = vals,
				  .ctx = r,
				  .call = dh__sqlc_call_hook};
	for (int i = 0; i < ret->n; i++) {
		int rc = dh_sqlx_eval(ret->x[i], &run,
				      &ret->rows[ret->nrows * (size_t)ret->n + (size_t)i]);
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
	if ((rc = dh__sql_table(r->s, dh_wtx_view(*w), sc, rv->relname, r->a, t, r->err)))
		return dh__sql_at(r, rv->location, rc);
	return 0;
}

/* A node's location (the location member of whatever it holds), -1 if
 * it has none. */
static int
node_location(const PgQuery__Node *n)
{
	const ProtobufCFieldDescriptor *f =
	    protobuf_c_message_descriptor_get_field(&pg_query__node__descriptor, n->node_case);
	if (!f || f->type != PROTOBUF_C_TYPE_MESSAGE)
		return -1;
	const ProtobufCMessage *m = *(ProtobufCMessage *const *)((const char *)n + f->offset);
	const ProtobufCFieldDescriptor *loc =
	    m ? protobuf_c_message_descriptor_get_field_by_name(m->descriptor, "location") : NULL;
	if (!loc || loc->type != PROTOBUF_C_TYPE_INT32)
		return -1;
	return *(const int32_t *)((const char *)m + loc->offset);
}

static int
identity_always(struct dh__sqlrun *r, const struct dh_sqlcol *c, int location)
{
	dh_err_sql(r->err, "428C9", "cannot insert a non-DEFAULT value into column \"%s\"",
		   c->name);
	dh_err_detail(r->err, "Column \"%s\" is an identity column defined as GENERATED ALWAYS.",
		      c->name);
	dh_err_hint(r->err, "Use OVERRIDING SYSTEM VALUE to override.");
	return dh__sql_at(r, location, DH_ESQL);
}

/* ON CONFLICT's scope: the existing row (slots 0..ncols, by the target's
 * name or alias) and the proposed one (EXCLUDED, slots ncols+1...). */
struct upsert_scope {
	struct dh__sqlrun *r;
	const struct dh_sqltable *t;
	const char *alias;
};

static int
upsert_col(void *ctx, const char *const *names, int n, int location, int *slot, uint32_t *type,
	   int32_t *typmod, struct dh_err *err)
{
	struct upsert_scope *u = ctx;
	int base = 0;
	if (n == 3 && strcmp(names[0], "public") == 0) {
		names++; /* public.t.col */
		n--;
	}
	if (n > 2 || strcmp(names[n - 1], "*") == 0)
		return 1;
	if (n == 2) {
		if (strcmp(names[0], "excluded") == 0)
			base = u->t->ncols + 1;
		else if (strcmp(names[0], u->alias) != 0) {
			dh_err_sql(err, "42P01", "missing FROM-clause entry for table \"%s\"",
				   names[0]);
			return dh__sql_at(u->r, location, DH_ESQL);
		}
	}
	for (int i = 0; i < u->t->ncols; i++)
		if (strcmp(u->t->cols[i].name, names[n - 1]) == 0) {
			if (n == 1) {
				/* both the target and EXCLUDED have it */
				dh_err_sql(err, "42702", "column reference \"%s\" is ambiguous",
					   names[0]);
				return dh__sql_at(u->r, location, DH_ESQL);
			}
			*slot = base + i;
			*type = u->t->cols[i].type;
			*typmod = u->t->cols[i].typmod;
			return 0;
		}
	if (strcmp(names[n - 1], "db_id") == 0) {
		*slot = base + u->t->ncols;
		*type = DH_OID_INT8;
		*typmod = -1;
		return 0;
	}
	return 1;
}

/* ON CONFLICT: which unique key decides (-1: any), DO UPDATE's SET and
 * WHERE compiled over the upsert scope. */
struct upsert {
	int action; /* 0 none, 1 nothing, 2 update */
	int arbiter;
	int nset;
	int *scol;
	struct dh_sqlx **sx; /* NULL: DEFAULT */
	struct dh_sqlx *where;
};

static int
upsert_compile(struct dh__sqlrun *r, const PgQuery__OnConflictClause *oc, struct sqlc_con *cx,
	       const struct dh_sqltable *t, struct upsert_scope *us, struct upsert *u)
{
	memset(u, 0, sizeof(*u));
	u->arbiter = -1;
	if (!oc)
		return 0;
	u->action = oc->action == PG_QUERY__ON_CONFLICT_ACTION__ONCONFLICT_UPDATE ? 2 : 1;
	const PgQuery__InferClause *inf = oc->infer;
	if (inf && inf->conname && *inf->conname) {
		u->arbiter = dh__sqlcon_ukey_index(cx, inf->conname);
		if (u->arbiter < 0) {
			int known = 0;
			for (int i = 0; i < t->ncons; i++)
				known |= strcmp(t->cons[i].name, inf->conname) == 0;
			if (known)
				dh_err_sql(
				    r->err, "42809",
				    "constraint in ON CONFLICT clause has no associated index");
			else
				dh_err_sql(r->err, "42704",
					   "constraint \"%s\" for table \"%s\" does not exist",
					   inf->conname, t->name);
			return dh__sql_at(r, inf->location, DH_ESQL);
		}
	} else if (inf && inf->n_index_elems) {
		/* the key whose columns are exactly these */
		int want[64], nw = 0;
		for (size_t i = 0; i < inf->n_index_elems && nw < 64; i++) {
			const PgQuery__IndexElem *ie = inf->index_elems[i]->index_elem;
			int c = -1;
			for (int k = 0; ie->name && *ie->name && k < t->ncols; k++)
				if (strcmp(t->cols[k].name, ie->name) == 0)
					c = k;
			if (c < 0 && ie->name && *ie->name) {
				dh_err_sql(r->err, "42703", "column \"%s\" does not exist",
					   ie->name);
				return dh__sql_at(r, inf->location, DH_ESQL);
			}
			want[nw++] = c;
		}
		for (int k = 0; k < cx->nuk && u->arbiter < 0; k++) {
			const int *cols;
			int nc = dh__sqlcon_ukey_cols(cx, k, &cols);
			int match = nc == nw && !inf->where_clause;
			for (int i = 0; match && i < nw; i++) {
				int in = 0;
				for (int j = 0; j < nc; j++)
					in |= cols[j] == want[i];
				match = in && want[i] >= 0;
			}
			if (match)
				u->arbiter = k;
		}
		if (u->arbiter < 0) {
			dh_err_sql(r->err, "42P10",
				   "there is no unique or exclusion constraint "
				   "matching the ON CONFLICT specification");
			return dh__sql_at(r, inf->location, DH_ESQL);
		}
	} else if (u->action == 2) {
		dh_err_sql(r->err, "42601",
			   "ON CONFLICT DO UPDATE requires inference specification or constraint "
			   "name");
		dh_err_hint(r->err, "For example, ON CONFLICT (column_name).");
		return dh__sql_at(r, oc->location, DH_ESQL);
	}
	if (u->action != 2)
		return 0;
	struct dh_sqlx_scope scope = {
	    .ctx = us, .column = upsert_col, .function = dh__sqlc_fn_hook};
	struct dh_sqlx_cc cc = {
	    .a = r->a, .err = r->err, .env = dh__sql_env(r->s), .scope = &scope, .text = r->text};
	u->nset = (int)oc->n_target_list;
	u->scol = dh_arena_alloc(r->a, (size_t)(u->nset + 1) * sizeof(int));
	u->sx = dh_arena_zalloc(r->a, (size_t)(u->nset + 1) * sizeof(*u->sx));
	char *assigned = dh_arena_zalloc(r->a, (size_t)t->ncols + 1);
	int rc;
	for (int i = 0; i < u->nset; i++) {
		const PgQuery__ResTarget *rt = oc->target_list[i]->res_target;
		if (rt->val->node_case == PG_QUERY__NODE__NODE_MULTI_ASSIGN_REF ||
		    (rt->n_indirection &&
		     rt->val->node_case == PG_QUERY__NODE__NODE_SET_TO_DEFAULT))
			return dh_err_sql(r->err, "0A000", "this form of SET is not supported yet");
		int found = -1;
		for (int k = 0; k < t->ncols; k++)
			if (strcmp(t->cols[k].name, rt->name) == 0)
				found = k;
		if (found < 0) {
			dh_err_sql(r->err, "42703",
				   "column \"%s\" of relation \"%s\" does not exist", rt->name,
				   t->name);
			return dh__sql_at(r, rt->location, DH_ESQL);
		}
		if (assigned[found]) {
			dh_err_sql(r->err, "42601", "multiple assignments to same column \"%s\"",
				   rt->name);
			return dh__sql_at(r, rt->location, DH_ESQL);
		}
		assigned[found] = 1;
		u->scol[i] = found;
		const struct dh_sqlcol *c = &t->cols[found];
		if (rt->val->node_case == PG_QUERY__NODE__NODE_SET_TO_DEFAULT)
			continue;
		if (c->identity == 'a') {
			dh_err_sql(r->err, "428C9", "column \"%s\" can only be updated to DEFAULT",
				   c->name);
			dh_err_detail(r->err,
				      "Column \"%s\" is an identity column defined as GENERATED "
				      "ALWAYS.",
				      c->name);
			return dh__sql_at(r, rt->location, DH_ESQL);
		}
		if (rt->n_indirection) {
			/* a[2] = v: from the existing row's value (slot = column) */
			struct dh_sqlx *old = dh_sqlx_slot(r->a, found, 0, c->type, c->typmod,
							   c->name);
			if ((rc = dh_sqlx_compile(&cc, rt->val, &u->sx[i])) ||
			    (rc = dh_sqlx_assign_subscripts(&cc, old, rt->indirection,
							    rt->n_indirection, u->sx[i], c->name,
							    &u->sx[i])))
				return rc;
			continue;
		}
		if ((rc = dh_sqlx_compile(&cc, rt->val, &u->sx[i])) ||
		    (rc = dh_sqlx_coerce(&cc, u->sx[i], c->type, c->typmod, DH_CAST_ASSIGNMENT,
					 c->name, &u->sx[i])))
			return rc;
	}
	if (oc->where_clause && ((rc = dh_sqlx_compile(&cc, oc->where_clause, &u->where)) ||
				 (rc = dh_sqlx_coerce_bool(&cc, u->where, "WHERE", &u->where))))
		return rc;
	return 0;
}

/* Write the changed columns of a row: old -> nu. */
static int
row_ops(struct dh__sqlrun *r, const struct dh_sqltable *t, uint64_t e, const struct dh_value *old,
	const struct dh_value *nu, struct ops *ops)
{
	for (int k = 0; k < t->ncols; k++) {
		const struct dh_sqlcol *c = &t->cols[k];
		struct dh_value sv, so;
		int had = old && old[k].type != DH_T_NONE;
		if (nu[k].type == DH_T_NONE) {
			if (had && dh__sqlc_storable(r, c, &old[k], &so) == 0)
				op_add(ops, 0, e, c->attr, so);
			continue;
		}
		if (had && old[k].type == nu[k].type && dh_value_eq(&old[k], &nu[k]))
			continue;
		if (c->many)
			return dh_err_sql(
			    r->err, "0A000",
			    "column \"%s\" has many values (a Datalog cardinality-many "
			    "attribute): writing it from SQL is not supported yet",
			    c->name);
		int rc = dh__sqlc_storable(r, c, &nu[k], &sv);
		if (rc)
			return rc;
		op_add(ops, 1, e, c->attr, sv);
	}
	return 0;
}

int
dh__sqlc_insert(struct dh__sqlrun *r, const PgQuery__InsertStmt *st)
{
	struct dh_wtx *w;
	struct dh_sqltable *t;
	int rc;
	if (st->with_clause)
		return dh_err_sql(r->err, "0A000", "WITH is not supported yet");
	if ((rc = target_table(r, st->relation, &w, &t)))
		return rc;
	const char *alias = st->relation->alias && st->relation->alias->aliasname
				? st->relation->alias->aliasname
				: t->name;
	int over_sys = st->override == PG_QUERY__OVERRIDING_KIND__OVERRIDING_SYSTEM_VALUE;
	int over_user = st->override == PG_QUERY__OVERRIDING_KIND__OVERRIDING_USER_VALUE;
	/* target columns: the list, else as many leading columns as the
	 * source gives (PostgreSQL fills the rest with defaults) */
	const PgQuery__SelectStmt *sel0 = st->select_stmt ? st->select_stmt->select_stmt : NULL;
	int nt = t->ncols;
	if (st->n_cols)
		nt = (int)st->n_cols;
	else if (sel0 && sel0->n_values_lists &&
		 sel0->values_lists[0]->list->n_items < (size_t)t->ncols)
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
	int *tloc = dh_arena_alloc(r->a, (size_t)(nt + 1) * sizeof(int));
	char *given = dh_arena_zalloc(r->a, (size_t)t->ncols + 1);
	for (int i = 0; i < nt; i++) {
		tloc[i] = -1;
		if (!st->n_cols) {
			tcol[i] = i;
			given[i] = 1;
			continue;
		}
		const PgQuery__ResTarget *rt = st->cols[i]->res_target;
		if (rt->n_indirection)
			return dh_err_sql(
			    r->err, "0A000",
			    "subscripts and fields in INSERT columns are not supported");
		int found = -1;
		for (int k = 0; k < t->ncols; k++)
			if (strcmp(t->cols[k].name, rt->name) == 0)
				found = k;
		if (found < 0) {
			dh_err_sql(r->err, "42703",
				   "column \"%s\" of relation \"%s\" does not exist", rt->name,
				   t->name);
			return dh__sql_at(r, rt->location, DH_ESQL);
		}
		if (given[found]) {
			dh_err_sql(r->err, "42701", "column \"%s\" specified more than once",
				   rt->name);
			return dh__sql_at(r, rt->location, DH_ESQL);
		}
		given[found] = 1;
		tcol[i] = found;
		tloc[i] = rt->location;
	}
	struct dh_sqlx_scope fscope = {.ctx = r, .function = dh__sqlc_fn_hook};
	struct dh_sqlx_cc cc = {
	    .a = r->a, .err = r->err, .env = dh__sql_env(r->s), .scope = &fscope, .text = r->text};
	struct dh_sqlx_run run = {
	    .a = r->a, .err = r->err, .env = cc.env, .ctx = r, .call = dh__sqlc_call_hook};
	/* defaults, compiled once (identity columns take their sequence's
	 * next value) */
	struct dh_sqlx **dflt = dh_arena_zalloc(r->a, (size_t)(t->ncols + 1) * sizeof(*dflt));
	for (int k = 0; k < t->ncols; k++)
		if (t->cols[k].dflt && !t->cols[k].identity &&
		    (rc = dh__sqlc_compile_default(r, &t->cols[k], &dflt[k])))
			return rc;
	/* the source rows, as expressions per target column */
	size_t nrows = 0;
	struct dh_sqlx **src = NULL; /* nrows * nt; NULL: DEFAULT */
	const PgQuery__SelectStmt *sel = sel0;
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
				return dh__sql_at(r,
						  (int)l->n_items > nt ? node_location(l->items[nt])
						  : st->cols
						      ? st->cols[l->n_items]->res_target->location
						      : -1,
						  DH_ESQL);
			}
			for (int k = 0; k < nt; k++) {
				const PgQuery__Node *e = l->items[k];
				if (e->node_case == PG_QUERY__NODE__NODE_SET_TO_DEFAULT)
					continue;
				const struct dh_sqlcol *c = &t->cols[tcol[k]];
				if (c->identity == 'a' && !over_sys && !over_user)
					return identity_always(r, c, tloc[k]);
				if (c->identity && over_user)
					continue;
				struct dh_sqlx *x;
				if ((rc = dh_sqlx_compile(&cc, e, &x)) ||
				    (rc = dh_sqlx_coerce(&cc, x, c->type, c->typmod,
							 DH_CAST_ASSIGNMENT, c->name, &x)))
					return rc;
				src[i * (size_t)nt + (size_t)k] = x;
			}
		}
	} else if (sel) {
		for (int k = 0; k < nt; k++)
			if (t->cols[tcol[k]].identity == 'a' && !over_sys && !over_user)
				return identity_always(r, &t->cols[tcol[k]], tloc[k]);
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
			if (c->identity && over_user)
				continue;
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
	struct sqlc_con cx;
	struct upsert up;
	struct upsert_scope us = {r, t, alias};
	if ((rc = returning_compile(r, &rs, st->returning_list, st->n_returning_list, &ret)) ||
	    (rc = dh__sqlcon_open(&cx, r, w, t, 1)))
		return rc;
	if ((rc = upsert_compile(r, st->on_conflict_clause, &cx, t, &us, &up))) {
		dh__sqlcon_close(&cx);
		return rc;
	}
	struct ops ops = {0};
	size_t done = 0;
	size_t rw = (size_t)t->ncols + 1;
	for (size_t i = 0; i < nrows && rc == 0; i++) {
		struct dh_value *vals = dh_arena_alloc(r->a, rw * sizeof(*vals));
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
		run.row = NULL;
		for (int k = 0; k < t->ncols && rc == 0; k++)
			if (!set[k]) {
				if (dflt[k])
					rc = dh_sqlx_eval(dflt[k], &run, &vals[k]);
				else if (t->cols[k].identity)
					rc = dh__sqlc_default_value(r, &t->cols[k], &vals[k]);
			}
		vals[t->ncols].type = DH_T_NONE;
		if (rc || (rc = dh__sqlc_check_notnull(r, t, vals)) ||
		    (rc = dh__sqlcon_check(&cx, vals)))
			break;
		if (up.action) {
			int which;
			uint64_t holder;
			rc = dh__sqlcon_unique(&cx, vals, NULL, 0, up.arbiter, &which, &holder);
			if (rc < 0)
				break;
			if (rc && up.action == 1) {
				rc = 0;
				continue;
			}
			if (rc) {
				if (rc == 2) {
					dh_err_sql(
					    r->err, "21000",
					    "ON CONFLICT DO UPDATE command cannot affect row a "
					    "second time");
					dh_err_hint(
					    r->err,
					    "Ensure that no rows proposed for insertion within "
					    "the same command have duplicate constrained "
					    "values.");
					rc = DH_ESQL;
					break;
				}
				/* DO UPDATE: the existing row, EXCLUDED after it */
				struct dh_value *both =
				    dh_arena_alloc(r->a, 2 * rw * sizeof(*both));
				if ((rc = dh__sqlc_read_row(r, dh_wtx_view(w), t, holder, both)))
					break;
				memcpy(both + rw, vals, rw * sizeof(*vals));
				run.row = both;
				if (up.where && (rc = dh_sqlx_test(up.where, &run)) <= 0) {
					run.row = NULL;
					continue; /* rc 0: not updated, else the error */
				}
				rc = 0;
				struct dh_value *nu = dh_arena_alloc(r->a, rw * sizeof(*nu));
				memcpy(nu, both, rw * sizeof(*nu));
				for (int k = 0; k < up.nset && rc == 0; k++) {
					const struct dh_sqlcol *c = &t->cols[up.scol[k]];
					if (up.sx[k])
						rc = dh_sqlx_eval(up.sx[k], &run, &nu[up.scol[k]]);
					else
						rc = dh__sqlc_default_value(r, c, &nu[up.scol[k]]);
				}
				run.row = NULL;
				if (rc || (rc = dh__sqlc_check_notnull(r, t, nu)) ||
				    (rc = dh__sqlcon_row(&cx, both, nu, holder)) ||
				    (rc = row_ops(r, t, holder, both, nu, &ops)))
					break;
				rc = returning_row(r, &ret, nu);
				done++;
				continue;
			}
		}
		uint64_t e = dh_wtx_new_eid(w);
		vals[t->ncols] = (struct dh_value){.type = DH_T_LONG, .i = (int64_t)e};
		if ((rc = dh__sqlcon_row(&cx, NULL, vals, e)))
			break;
		if (t->marker)
			op_add(&ops, 1, e, t->marker, (struct dh_value){.type = DH_T_BOOL, .b = 1});
		if ((rc = row_ops(r, t, e, NULL, vals, &ops)))
			break;
		rc = returning_row(r, &ret, vals);
		done++;
	}
	if (rc == 0 && ops.n) {
		struct dh_tx_report rep;
		rc = dh_wtx_apply(w, ops.v, ops.n, r->a, &rep, r->err);
	}
	if (rc == 0)
		rc = dh__sqlcon_after(&cx);
	free(ops.v);
	dh__sqlcon_close(&cx);
	if (rc)
		return rc;
	return finish(r, dh_arena_printf(r->a, "INSERT 0 %zu", done), &ret);
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
	char *dflt_ident = dh_arena_zalloc(r->a, (size_t)ns + 1);
	for (int i = 0; i < ns; i++) {
		const PgQuery__ResTarget *rt = st->target_list[i]->res_target;
		if (rt->val->node_case == PG_QUERY__NODE__NODE_MULTI_ASSIGN_REF ||
		    (rt->n_indirection &&
		     rt->val->node_case == PG_QUERY__NODE__NODE_SET_TO_DEFAULT))
			return dh_err_sql(r->err, "0A000", "this form of SET is not supported yet");
		int found = -1;
		for (int k = 0; k < t->ncols; k++)
			if (strcmp(t->cols[k].name, rt->name) == 0)
				found = k;
		if (found < 0) {
			dh_err_sql(r->err, "42703",
				   "column \"%s\" of relation \"%s\" does not exist", rt->name,
				   t->name);
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
			if (c->identity)
				dflt_ident[i] = 1; /* the sequence's next value, per row */
			else if (c->dflt && (rc = dh__sqlc_compile_default(r, c, &sx[i])))
				return rc;
			continue; /* else NULL */
		}
		if (c->identity == 'a') {
			dh_err_sql(r->err, "428C9", "column \"%s\" can only be updated to DEFAULT",
				   c->name);
			dh_err_detail(r->err,
				      "Column \"%s\" is an identity column defined as GENERATED "
				      "ALWAYS.",
				      c->name);
			return dh__sql_at(r, rt->location, DH_ESQL);
		}
		if (rt->n_indirection) {
			/* a[2] = v: the column's new value from its old one */
			struct dh_sqlx *old = dh_sqlx_slot(r->a, found, 0, c->type, c->typmod,
							   c->name);
			if ((rc = dh_sqlx_compile(&S.cc, rt->val, &sx[i])) ||
			    (rc = dh_sqlx_assign_subscripts(&S.cc, old, rt->indirection,
							    rt->n_indirection, sx[i], c->name,
							    &sx[i])))
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
	struct sqlc_con cx;
	if ((rc = dh__sqlcon_open(&cx, r, w, t, 1)))
		return rc;
	size_t rw = (size_t)t->ncols + 1;
	struct dh_sqlx_run run = {.a = r->a, .err = r->err, .env = S.cc.env};
	/* SET compiled subqueries in S's scope: they run through its hooks
	 * (and session functions through S's session) */
	dh__sqlc_run_hooks(&S, &run);
	for (size_t i = 0; i < n && rc == 0; i++) {
		const struct dh_value *old = rows + i * w0;
		struct dh_value *nv = dh_arena_alloc(r->a, rw * sizeof(*nv));
		memcpy(nv, old, rw * sizeof(*nv));
		run.row = old;
		for (int k = 0; k < ns && rc == 0; k++) {
			if (dflt_ident[k])
				rc = dh__sqlc_default_value(r, &t->cols[scol[k]], &nv[scol[k]]);
			else if (!sx[k])
				nv[scol[k]].type = DH_T_NONE;
			else
				rc = dh_sqlx_eval(sx[k], &run, &nv[scol[k]]);
		}
		uint64_t eid = (uint64_t)old[t->ncols].i;
		if (rc || (rc = dh__sqlc_check_notnull(r, t, nv)) ||
		    (rc = dh__sqlcon_row(&cx, old, nv, eid)) ||
		    (rc = row_ops(r, t, eid, old, nv, &ops)))
			break;
		rc = returning_row(r, &ret, nv);
	}
	if (rc == 0 && ops.n) {
		struct dh_tx_report rep;
		rc = dh_wtx_apply(w, ops.v, ops.n, r->a, &rep, r->err);
	}
	if (rc == 0)
		rc = dh__sqlcon_after(&cx);
	free(ops.v);
	dh__sqlcon_close(&cx);
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
	struct sqlc_con cx;
	if ((rc = dh__sqlcon_open(&cx, r, w, t, 0)))
		return rc;
	for (size_t i = 0; i < n && rc == 0; i++) {
		const struct dh_value *old = rows + i * w0;
		uint64_t eid = (uint64_t)old[t->ncols].i;
		struct dh_value sv;
		for (int k = 0; k < t->ncols && rc == 0; k++)
			if (old[k].type != DH_T_NONE &&
			    (rc = dh__sqlc_storable(r, &t->cols[k], &old[k], &sv)) == 0)
				op_add(&ops, 0, eid, t->cols[k].attr, sv);
		if (t->marker)
			op_add(&ops, 0, eid, t->marker,
			       (struct dh_value){.type = DH_T_BOOL, .b = 1});
		dh__sqlcon_log(&cx, eid, old, NULL);
		if (rc == 0)
			rc = returning_row(r, &ret, old);
	}
	if (rc == 0 && ops.n) {
		struct dh_tx_report rep;
		rc = dh_wtx_apply(w, ops.v, ops.n, r->a, &rep, r->err);
	}
	if (rc == 0)
		rc = dh__sqlcon_after(&cx);
	free(ops.v);
	dh__sqlcon_close(&cx);
	if (rc)
		return rc;
	return finish(r, dh_arena_printf(r->a, "DELETE %zu", n), &ret);
}
