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
	int given; /* RETURNING was written */
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
	ret->given = 1;
	struct dh_sqlx_scope scope = {.ctx = rs, .column = ret_col, .function = dh__sqlc_fn_hook};
	struct dh_sqlx_cc cc = {
	    .a = r->a, .err = r->err, .env = dh__sql_env(r->s), .scope = &scope, .text = r->text};
	int cap = (int)n + 8 + rs->t->ncols;
	ret->x = dh_arena_alloc(r->a, (size_t)cap * sizeof(*ret->x));
	ret->cols = dh_arena_zalloc(r->a, (size_t)cap * sizeof(*ret->cols));
	for (size_t i = 0; i < n; i++) {
		const PgQuery__ResTarget *t = list[i]->res_target;
		if (dh__sqlc_is_star(t->val)) {
			for (int c = 0; c < rs->t->ncols; c++) {
				ret->x[ret->n] =
				    dh_sqlx_slot(r->a, c, 0, rs->t->cols[c].type,
						 rs->t->cols[c].typmod, rs->t->cols[c].name);
				ret->cols[ret->n] = (struct dh_sql_col){
				    rs->t->cols[c].name, rs->t->cols[c].type, rs->t->cols[c].typmod,
				    dh__pgcat_table_oid(rs->t), (int16_t)(c + 1)};
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
		    .name = t->name && *t->name ? t->name : x->name ? x->name : "?column?",
		    .type_oid = x->type,
		    .typmod = x->typmod};
		/* a plain column of the table names its origin */
		if (t->val->node_case == PG_QUERY__NODE__NODE_COLUMN_REF && x->k == SX_SLOT &&
		    !x->levelsup && x->slot < rs->t->ncols) {
			ret->cols[ret->n].table_oid = dh__pgcat_table_oid(rs->t);
			ret->cols[ret->n].attnum = (int16_t)(x->slot + 1);
		}
		ret->n++;
	}
	return 0;
}

/* Evaluate RETURNING over row vals: ncols + 1 slots, the last db_id, or
 * (compiled in S: returning_sel) S's row. */
static int
returning_row(struct dh__sqlrun *r, struct returning *ret, const struct dh_value *vals,
	      struct sqlc_sel *S)
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
	if (S)
		dh__sqlc_run_hooks(S, &run);
	for (int i = 0; i < ret->n; i++) {
		int rc = dh_sqlx_eval(ret->x[i], &run,
				      &ret->rows[ret->nrows * (size_t)ret->n + (size_t)i]);
		if (rc)
			return rc;
	}
	ret->nrows++;
	return 0;
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
			/* PostgreSQL's planner picks the arbiter: a Parse
			 * (describe) succeeds, Execute fails */
			if (known && !r->describe) {
				dh_err_sql(
				    r->err, "42809",
				    "constraint in ON CONFLICT clause has no associated index");
				return dh__sql_at(r, inf->location, DH_ESQL);
			} else if (!known) {
				dh_err_sql(r->err, "42704",
					   "constraint \"%s\" for table \"%s\" does not exist",
					   inf->conname, t->name);
				return dh__sql_at(r, inf->location, DH_ESQL);
			}
		}
	} else if (inf && inf->n_index_elems) {
		/* the key whose columns (and expressions) are exactly these */
		int want[64], nw = 0;
		const char *wtext[64];
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
			wtext[nw] = c < 0 && ie->expr ? dh__sqlc_deparse_expr(r->a, ie->expr) : NULL;
			want[nw++] = c;
		}
		for (int k = 0; k < cx->nuk && u->arbiter < 0; k++) {
			const int *cols;
			const char *const *ktext;
			int nc = dh__sqlcon_ukey_cols(cx, k, &cols, &ktext);
			int match = nc == nw && !inf->where_clause;
			for (int i = 0; match && i < nw; i++) {
				int in = 0;
				for (int j = 0; j < nc; j++)
					in |= want[i] >= 0 ? cols[j] == want[i]
							   : cols[j] < 0 && wtext[i] && ktext &&
								 ktext[j] &&
								 strcmp(ktext[j], wtext[i]) == 0;
				match = in;
			}
			if (match)
				u->arbiter = k;
		}
		/* as above: the planner's error, at Execute */
		if (u->arbiter < 0 && !r->describe) {
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
			/* PostgreSQL's rewriter finds it: no position */
			return dh_err_sql(r->err, "42601",
					  "multiple assignments to same column \"%s\"", rt->name);
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

/* --- a statement's writes: now, or at the end of a statement whose WITH
 * modifies data --- */

/* A set of entity ids (0 is never one). */
struct eidset {
	uint64_t *v;
	size_t cap, n;
};

static size_t
eid_hash(uint64_t e, size_t cap)
{
	return (size_t)((e * 0x9E3779B97F4A7C15ull) >> 32) & (cap - 1);
}

/* Add e: 1 if it was not there yet. */
static int
eidset_add(struct eidset *s, uint64_t e)
{
	if ((s->n + 1) * 2 > s->cap) {
		size_t nc = s->cap ? 2 * s->cap : 64;
		uint64_t *nv = xcalloc(nc, sizeof(*nv));
		for (size_t i = 0; i < s->cap; i++)
			if (s->v[i]) {
				size_t j = eid_hash(s->v[i], nc);
				while (nv[j])
					j = (j + 1) & (nc - 1);
				nv[j] = s->v[i];
			}
		free(s->v);
		s->v = nv;
		s->cap = nc;
	}
	size_t j = eid_hash(e, s->cap);
	while (s->v[j]) {
		if (s->v[j] == e)
			return 0;
		j = (j + 1) & (s->cap - 1);
	}
	s->v[j] = e;
	s->n++;
	return 1;
}

/* One sub-statement's writes, waiting for the statement's end. */
struct pending {
	struct ops ops;
	struct pending *next;
};

/* A table's constraints, shared by the sub-statements that write it: its
 * unique keys see all their rows, its foreign keys run once at the end. */
struct defcon {
	struct sqlc_con cx;
	struct defcon *next;
};

struct sqlc_defer {
	const PgQuery__WithClause *top; /* the one WITH that may modify data */
	struct pending *first, **last;
	struct defcon *cons, **lastcon;
	/* rows an UPDATE or DELETE of the statement changed: another one
	 * leaves them alone (PostgreSQL: only one of the changes happens) */
	struct eidset touched;
	/* the statement's result, handed on after the writes */
	dh_sql_cb cb;
	void *ctx;
	struct dh_sql_result res;
	int has_res;
};

/* Where a WITH query's result goes: its RETURNING columns and rows. */
struct dml_out {
	int returning; /* it has RETURNING */
	int ncols;
	struct dh_sql_col *cols;
	struct dh_value *rows;
	size_t nrows;
};

static int
finish(struct dh__sqlrun *r, const char *tag, struct returning *ret, struct dml_out *out)
{
	if (!out)
		return dh__sqlc_emit(r, tag, ret->n, ret->cols, ret->rows, ret->nrows);
	*out = (struct dml_out){ret->given, ret->n, ret->cols, ret->rows, ret->nrows};
	return 0;
}

/* The constraints of t for a statement: its own (local), or under a
 * deferring statement the table's shared ones. */
static int
con_open(struct dh__sqlrun *r, struct dh_wtx *w, struct dh_sqltable *t, int checks,
	 struct sqlc_con *local, struct sqlc_con **cx)
{
	struct sqlc_defer *d = r->defer;
	if (!d) {
		*cx = local;
		return dh__sqlcon_open(local, r, w, t, checks);
	}
	for (struct defcon *c = d->cons; c; c = c->next)
		if (strcmp(c->cx.t->name, t->name) == 0) {
			*cx = &c->cx;
			return 0;
		}
	struct defcon *c = xcalloc(1, sizeof(*c));
	*d->lastcon = c;
	d->lastcon = &c->next;
	*cx = &c->cx;
	return dh__sqlcon_open(&c->cx, r, w, t, 1);
}

/* A statement's writes (rc: how it went so far): applied with the foreign
 * keys after them, or kept for the deferring statement's end. */
static int
write_ops(struct dh__sqlrun *r, struct dh_wtx *w, struct ops *ops, struct sqlc_con *cx, int rc)
{
	struct sqlc_defer *d = r->defer;
	if (d) {
		if (rc == 0 && ops->n) {
			struct pending *p = xcalloc(1, sizeof(*p));
			p->ops = *ops;
			*d->last = p;
			d->last = &p->next;
		} else {
			free(ops->v);
		}
		ops->v = NULL;
		return rc;
	}
	if (rc == 0 && ops->n) {
		struct dh_tx_report rep;
		rc = dh_wtx_apply(w, ops->v, ops->n, r->a, &rep, r->err);
	}
	if (rc == 0)
		rc = dh__sqlcon_after(cx);
	free(ops->v);
	ops->v = NULL;
	dh__sqlcon_close(cx);
	return rc;
}

/* Under a deferring statement: may this UPDATE or DELETE change row e?  No
 * if another part of the statement did. */
static int
claim(struct dh__sqlrun *r, uint64_t e)
{
	return !r->defer || eidset_add(&r->defer->touched, e);
}

/* --- RETURNING over FROM (USING) items too --- */

/* RETURNING compiled in S (the target is rte 0; the FROM items follow): a
 * star is every item's columns, in SELECT *'s order. */
static int
returning_sel(struct sqlc_sel *S, PgQuery__Node **list, size_t n, struct returning *ret)
{
	struct dh__sqlrun *r = S->r;
	memset(ret, 0, sizeof(*ret));
	if (!n)
		return 0;
	ret->given = 1;
	int cap = (int)n + 1;
	for (int k = 0; k < S->nrt; k++)
		cap += S->rt[k].ncols;
	ret->x = dh_arena_alloc(r->a, (size_t)cap * sizeof(*ret->x));
	ret->cols = dh_arena_zalloc(r->a, (size_t)cap * sizeof(*ret->cols));
	/* a join's merged USING columns come before its sides' */
	int *order = dh_arena_alloc(r->a, (size_t)(S->nrt + 1) * sizeof(int));
	int no = 0;
	for (int k = 0; k < S->nrt; k++) {
		if (S->rt[k].k == RTE_JOIN)
			continue;
		for (int j = S->nrt - 1; j >= 0; j--)
			if (S->rt[j].k == RTE_JOIN && S->rt[j].join->lo == k)
				order[no++] = j;
		order[no++] = k;
	}
	for (size_t i = 0; i < n; i++) {
		const PgQuery__ResTarget *t = list[i]->res_target;
		if (!dh__sqlc_is_star(t->val)) {
			struct dh_sqlx *x;
			int rc = dh_sqlx_compile(&S->cc, t->val, &x);
			if (rc || (rc = dh_sqlx_resolve_unknown(&S->cc, x, &x)))
				return rc;
			ret->x[ret->n] = x;
			ret->cols[ret->n] = (struct dh_sql_col){
			    .name = t->name && *t->name ? t->name : x->name ? x->name : "?column?",
			    .type_oid = x->type,
			    .typmod = x->typmod};
			/* a plain column names its origin */
			if (t->val->node_case == PG_QUERY__NODE__NODE_COLUMN_REF && x->k == SX_SLOT &&
			    !x->levelsup && x->slot < S->nsl)
				dh__sqlc_col_origin(S, S->sl[x->slot].rte, S->sl[x->slot].col,
						    &ret->cols[ret->n]);
			ret->n++;
			continue;
		}
		const PgQuery__ColumnRef *cr = t->val->column_ref;
		const char *qual =
		    cr->n_fields >= 2 ? dh__sqlc_str(cr->fields[cr->n_fields - 2]) : NULL;
		int any = 0;
		for (int oi = 0; oi < no; oi++) {
			int k = order[oi];
			struct sqlc_rte *e = &S->rt[k];
			if (qual ? !(e->alias && strcmp(qual, e->alias) == 0)
				 : e->k != RTE_JOIN && e->alias == NULL)
				continue;
			any = 1;
			for (int c = 0; c < e->ncols; c++) {
				int merged = 0;
				for (int j = 0; !qual && e->k != RTE_JOIN && j < S->nrt; j++) {
					const struct sqlc_rte *m = &S->rt[j];
					if (m->k != RTE_JOIN || k < m->join->lo || k >= m->join->hi)
						continue;
					for (int u = 0; u < m->ncols; u++)
						merged |=
						    strcmp(m->colnames[u], e->colnames[c]) == 0;
				}
				if (merged)
					continue;
				int s = dh__sqlc_slot_of(S, k, c);
				ret->x[ret->n] = dh_sqlx_slot(r->a, s, 0, S->sl[s].type,
							      S->sl[s].typmod, e->colnames[c]);
				ret->cols[ret->n] = (struct dh_sql_col){.name = e->colnames[c],
									.type_oid = S->sl[s].type,
									.typmod = S->sl[s].typmod};
				dh__sqlc_col_origin(S, k, c, &ret->cols[ret->n]);
				ret->n++;
			}
		}
		if (qual && !any) {
			dh_err_sql(r->err, "42P01", "missing FROM-clause entry for table \"%s\"",
				   qual);
			return dh__sql_at(r, cr->location, DH_ESQL);
		}
	}
	return 0;
}

/* --- UPDATE's SET list --- */

/* SET (a, b) = (SELECT ...): the subquery, run once per row. */
struct multiset {
	struct sqlc_q *q;
	const struct dh_value *row; /* this row's values; NULL: not run yet */
};

/* One SET item: the column and its value, an expression over the row (or
 * over a multiset's row), the identity's next value, or (x NULL) NULL. */
struct setitem {
	int col;
	struct dh_sqlx *x;
	struct multiset *m;
	int dflt_ident;
};

static int
number_mismatch(struct dh__sqlrun *r, int location)
{
	dh_err_sql(r->err, "42601", "number of columns does not match number of values");
	return dh__sql_at(r, location, DH_ESQL);
}

/* The SET list over S (the target, table t, is rte 0). */
static int
set_compile(struct sqlc_sel *S, const struct dh_sqltable *t, PgQuery__Node **list, size_t n,
	    struct setitem **out)
{
	struct dh__sqlrun *r = S->r;
	struct setitem *it = dh_arena_zalloc(r->a, (n + 1) * sizeof(*it));
	char *assigned = dh_arena_zalloc(r->a, (size_t)t->ncols + 1);
	struct multiset *m = NULL;
	int rc;
	for (size_t i = 0; i < n; i++) {
		const PgQuery__ResTarget *rt = list[i]->res_target;
		const PgQuery__Node *val = rt->val;
		int mcol = -1;
		if (val->node_case == PG_QUERY__NODE__NODE_MULTI_ASSIGN_REF) {
			/* (a, b) = ROW(x, y) is a = x, b = y */
			const PgQuery__MultiAssignRef *ma = val->multi_assign_ref;
			const PgQuery__Node *src = ma->source;
			if (src->node_case == PG_QUERY__NODE__NODE_ROW_EXPR) {
				if ((int)src->row_expr->n_args != ma->ncolumns)
					return number_mismatch(r, src->row_expr->location);
				val = src->row_expr->args[ma->colno - 1];
			} else if (src->node_case == PG_QUERY__NODE__NODE_SUB_LINK &&
				   (src->sub_link->sub_link_type ==
					PG_QUERY__SUB_LINK_TYPE__EXPR_SUBLINK ||
				    src->sub_link->sub_link_type ==
					PG_QUERY__SUB_LINK_TYPE__MULTIEXPR_SUBLINK)) {
				if (ma->colno == 1) {
					m = dh_arena_zalloc(r->a, sizeof(*m));
					if ((rc = dh__sqlc_query(
						 r, src->sub_link->subselect->select_stmt, S,
						 &m->q)))
						return rc;
					if (m->q->ncols != ma->ncolumns)
						return number_mismatch(r, src->sub_link->location);
				}
				mcol = ma->colno - 1;
			} else {
				dh_err_sql(r->err, "0A000",
					   "source for a multiple-column UPDATE item must be a "
					   "sub-SELECT or ROW() expression");
				return dh__sql_at(r, node_location(src), DH_ESQL);
			}
		}
		int found = -1;
		for (int k = 0; k < t->ncols; k++)
			if (strcmp(t->cols[k].name, rt->name) == 0)
				found = k;
		if (found < 0) {
			/* t.a = 1 is column t's field a, as PostgreSQL reads it */
			dh_err_sql(r->err, "42703",
				   "column \"%s\" of relation \"%s\" does not exist", rt->name,
				   t->name);
			return dh__sql_at(r, rt->location, DH_ESQL);
		}
		const struct dh_sqlcol *c = &t->cols[found];
		if (rt->n_indirection) {
			const PgQuery__Node *ind = rt->indirection[0];
			const struct dh_sqltype *ty = dh_sqltype_by_oid(c->type);
			const char *tn = ty ? ty->sqlname : "unknown";
			if (ind->node_case != PG_QUERY__NODE__NODE_A_INDICES)
				dh_err_sql(r->err, "42804",
					   "cannot assign to field \"%s\" of column \"%s\" because "
					   "its type %s is not a composite type",
					   dh__sqlc_str(ind) ? dh__sqlc_str(ind) : "?", c->name,
					   tn);
			else if ((!ty || !ty->elem) && c->type != DH_OID_JSONB)
				dh_err_sql(r->err, "42804",
					   "cannot subscript type %s because it does not support "
					   "subscripting",
					   tn);
			else if (mcol >= 0 || val->node_case == PG_QUERY__NODE__NODE_SET_TO_DEFAULT)
				dh_err_sql(r->err, "0A000", "this form of SET is not supported yet");
			else {
				if (assigned[found])
					return dh_err_sql(r->err, "42601",
							  "multiple assignments to same column \"%s\"",
							  rt->name);
				assigned[found] = 1;
				it[i].col = found;
				/* a[2] = v, j['k'] = v: the column's new value from its
				 * old one (slot of column k is k) */
				struct dh_sqlx *old =
				    dh_sqlx_slot(r->a, found, 0, c->type, c->typmod, c->name);
				if ((rc = dh_sqlx_compile(&S->cc, val, &it[i].x)) ||
				    (rc = dh_sqlx_assign_subscripts(&S->cc, old, rt->indirection,
								    rt->n_indirection, it[i].x,
								    c->name, &it[i].x)))
					return rc;
				continue;
			}
			return dh__sql_at(r, rt->location, DH_ESQL);
		}
		if (assigned[found]) {
			/* PostgreSQL's rewriter finds it: no position */
			return dh_err_sql(r->err, "42601",
					  "multiple assignments to same column \"%s\"", rt->name);
		}
		assigned[found] = 1;
		it[i].col = found;
		if (mcol < 0 && val->node_case == PG_QUERY__NODE__NODE_SET_TO_DEFAULT) {
			if (c->identity)
				it[i].dflt_ident = 1; /* the sequence's next value, per row */
			else if (c->dflt && (rc = dh__sqlc_compile_default(r, c, &it[i].x)))
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
		if (mcol >= 0) {
			it[i].m = m;
			it[i].x = dh_sqlx_slot(r->a, mcol, 0, m->q->cols[mcol].type_oid,
					       m->q->cols[mcol].typmod, NULL);
		} else if ((rc = dh_sqlx_compile(&S->cc, val, &it[i].x))) {
			return rc;
		}
		if ((rc = dh_sqlx_coerce(&S->cc, it[i].x, c->type, c->typmod, DH_CAST_ASSIGNMENT,
					 c->name, &it[i].x)))
			return rc;
	}
	*out = it;
	return 0;
}

/* The new values of one row: nv holds the old ones; run reads the row. */
static int
set_eval(struct dh__sqlrun *r, const struct dh_sqltable *t, struct setitem *it, int n,
	 const struct dh_sqlx_run *run, struct dh_value *nv)
{
	int rc = 0;
	for (int k = 0; k < n; k++)
		if (it[k].m)
			it[k].m->row = NULL;
	for (int k = 0; k < n && rc == 0; k++) {
		struct dh_value *v = &nv[it[k].col];
		struct multiset *m = it[k].m;
		if (it[k].dflt_ident) {
			rc = dh__sqlc_default_value(r, &t->cols[it[k].col], v);
		} else if (!it[k].x) {
			v->type = DH_T_NONE;
		} else if (m) {
			if (!m->row) {
				struct dh_value *rows;
				size_t nr;
				if ((rc = dh__sqlc_query_run(m->q, run, &rows, &nr)))
					break;
				if (nr > 1)
					return dh_err_sql(
					    r->err, "21000",
					    "more than one row returned by a subquery "
					    "used as an expression");
				m->row = nr ? rows
					    : dh_arena_zalloc(r->a, (size_t)(m->q->ncols + 1) *
									sizeof(*rows));
			}
			struct dh_sqlx_run mr = *run;
			mr.row = m->row;
			rc = dh_sqlx_eval(it[k].x, &mr, v);
		} else {
			rc = dh_sqlx_eval(it[k].x, run, v);
		}
	}
	return rc;
}

/* --- INSERT --- */

static int
insert_run(struct dh__sqlrun *r, const PgQuery__InsertStmt *st, struct sqlc_cte *ctes,
	   struct dml_out *out)
{
	struct dh_wtx *w;
	struct dh_sqltable *t;
	int rc;
	if (st->with_clause && (rc = dh__sqlc_with(r, st->with_clause, NULL, ctes, &ctes)))
		return rc;
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
		for (size_t i = 0; i < sel0->n_target_list; i++)
			star |= dh__sqlc_is_star(sel0->target_list[i]->res_target->val);
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
	/* VALUES: no columns, but subqueries (that see the WITH queries) */
	struct sqlc_sel VS;
	dh__sqlc_sel_init(&VS, r, NULL);
	VS.ctes = ctes;
	struct dh_sqlx_run vrun = run;
	dh__sqlc_run_hooks(&VS, &vrun);
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
	    !sel->with_clause && !sel->n_sort_clause && !sel->limit_count && !sel->limit_offset) {
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
				if ((rc = dh_sqlx_compile(&VS.cc, e, &x)) ||
				    (rc = dh_sqlx_coerce(&VS.cc, x, c->type, c->typmod,
							 DH_CAST_ASSIGNMENT, c->name, &x)))
					return rc;
				src[i * (size_t)nt + (size_t)k] = x;
			}
		}
	} else if (sel) {
		for (int k = 0; k < nt; k++)
			if (t->cols[tcol[k]].identity == 'a' && !over_sys && !over_user)
				return identity_always(r, &t->cols[tcol[k]], tloc[k]);
		struct sqlc_q *q;
		if ((rc = dh__sqlc_query_in(r, sel, NULL, ctes, &q)))
			return rc;
		struct dh_sql_col *scols = q->cols;
		selw = q->ncols;
		if (selw != nt) {
			/* at the first expression (or target column) too many */
			int loc = -1;
			if (selw > nt && sel->op == PG_QUERY__SET_OPERATION__SETOP_NONE &&
			    !sel->n_values_lists && (int)sel->n_target_list == selw)
				loc = node_location(sel->target_list[nt]->res_target->val);
			else if (selw < nt && st->n_cols)
				loc = st->cols[selw]->res_target->location;
			dh_err_sql(r->err, "42601",
				   selw > nt ? "INSERT has more expressions than target columns"
					     : "INSERT has more target columns than expressions");
			return dh__sql_at(r, loc, DH_ESQL);
		}
		if (!r->describe && (rc = dh__sqlc_query_run(q, NULL, &selrows, &nrows)))
			return rc;
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
	struct sqlc_con lcx, *cx;
	struct upsert up;
	struct upsert_scope us = {r, t, alias};
	if ((rc = returning_compile(r, &rs, st->returning_list, st->n_returning_list, &ret)))
		return rc;
	struct ops ops = {0};
	if ((rc = con_open(r, w, t, 1, &lcx, &cx)) ||
	    (rc = upsert_compile(r, st->on_conflict_clause, cx, t, &us, &up)))
		return write_ops(r, w, &ops, cx, rc);
	if (r->describe)
		return write_ops(r, w, &ops, cx, dh__sqlc_described(r, ret.n, ret.cols));
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
			if (selrows) {
				run.row = selrows + i * (size_t)selw;
				rc = dh_sqlx_eval(x, &run, &vals[tcol[k]]);
			} else {
				rc = dh_sqlx_eval(x, &vrun, &vals[tcol[k]]);
			}
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
		    (rc = dh__sqlcon_check(cx, vals)))
			break;
		if (up.action) {
			int which;
			uint64_t holder;
			rc = dh__sqlcon_unique(cx, vals, NULL, 0, up.arbiter, &which, &holder);
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
				    (rc = dh__sqlcon_row(cx, both, nu, holder)) ||
				    (rc = row_ops(r, t, holder, both, nu, &ops)))
					break;
				rc = returning_row(r, &ret, nu, NULL);
				done++;
				continue;
			}
		}
		uint64_t e = dh_wtx_new_eid(w);
		vals[t->ncols] = (struct dh_value){.type = DH_T_LONG, .i = (int64_t)e};
		if ((rc = dh__sqlcon_row(cx, NULL, vals, e)))
			break;
		if (t->marker)
			op_add(&ops, 1, e, t->marker, (struct dh_value){.type = DH_T_BOOL, .b = 1});
		if ((rc = row_ops(r, t, e, NULL, vals, &ops)))
			break;
		rc = returning_row(r, &ret, vals, NULL);
		done++;
	}
	if ((rc = write_ops(r, w, &ops, cx, rc)))
		return rc;
	return finish(r, dh_arena_printf(r->a, "INSERT 0 %zu", done), &ret, out);
}

/* --- UPDATE, DELETE --- */

/* The target (rte 0 of S, every column in slots 0..ncols-1 and db_id in
 * ncols), then the FROM (USING) items, which see the WITH queries. */
static int
target_sel(struct sqlc_sel *S, struct dh__sqlrun *r, const PgQuery__RangeVar *rv,
	   struct sqlc_cte *ctes, PgQuery__Node **from, size_t nfrom, struct dh_sqltable **t)
{
	dh__sqlc_sel_init(S, r, NULL);
	struct sqlc_rte *e;
	int rc = dh__sqlc_add_table(S, rv, &e);
	if (rc)
		return rc;
	*t = e->t;
	for (int i = 0; i < e->t->ncols; i++)
		dh__sqlc_slot_of(S, 0, i);
	dh__sqlc_slot_of(S, 0, -1);
	S->ctes = ctes; /* after the target: WITH names no target */
	/* the FROM items cannot see the target (no alias: no name reaches
	 * it), nor share its name */
	const char *alias = e->alias;
	S->rt[0].alias = NULL;
	S->hidden_target = alias;
	rc = dh__sqlc_from(S, from, nfrom);
	S->hidden_target = NULL;
	S->rt[0].alias = alias;
	for (int i = 1; rc == 0 && i < S->nrt; i++)
		if (S->rt[i].alias && strcmp(S->rt[i].alias, alias) == 0)
			rc = dh_err_sql(r->err, "42712",
					"table name \"%s\" specified more than once", alias);
	return rc;
}

static int
update_run(struct dh__sqlrun *r, const PgQuery__UpdateStmt *st, struct sqlc_cte *ctes,
	   struct dml_out *out)
{
	struct dh_wtx *w;
	struct dh_sqltable *t;
	int rc;
	if (st->with_clause && (rc = dh__sqlc_with(r, st->with_clause, NULL, ctes, &ctes)))
		return rc;
	if ((rc = target_table(r, st->relation, &w, &t)))
		return rc;
	struct sqlc_sel S;
	struct dh_value *rows;
	size_t n;
	int from = st->n_from_clause > 0;
	if ((rc = target_sel(&S, r, st->relation, ctes, st->from_clause, st->n_from_clause, &t)))
		return rc;
	/* SET (and RETURNING over FROM items) compile before running */
	int ns = (int)st->n_target_list;
	struct setitem *it = NULL;
	struct returning ret;
	const char *alias = st->relation->alias && st->relation->alias->aliasname
				? st->relation->alias->aliasname
				: t->name;
	struct retscope rs = {r, t, alias};
	if ((rc = set_compile(&S, t, st->target_list, st->n_target_list, &it)) ||
	    (rc = dh__sqlc_where(&S, st->where_clause)) ||
	    (from && (rc = returning_sel(&S, st->returning_list, st->n_returning_list, &ret))) ||
	    (!from &&
	     (rc = returning_compile(r, &rs, st->returning_list, st->n_returning_list, &ret))))
		return rc;
	if (r->describe)
		return dh__sqlc_described(r, ret.n, ret.cols);
	if ((rc = dh__sqlc_run_block(&S, &rows, &n)))
		return rc;
	size_t w0 = (size_t)S.nsl;
	/* slot of column k is k (allocated in order), db_id is ncols */
	struct ops ops = {0};
	struct sqlc_con lcx, *cx;
	if ((rc = con_open(r, w, t, 1, &lcx, &cx)))
		return write_ops(r, w, &ops, cx, rc);
	size_t rw = (size_t)t->ncols + 1;
	struct dh_sqlx_run run = {.a = r->a, .err = r->err, .env = S.cc.env};
	/* SET compiled subqueries in S's scope: they run through its hooks
	 * (and session functions through S's session) */
	dh__sqlc_run_hooks(&S, &run);
	struct eidset seen = {0};
	size_t done = 0;
	for (size_t i = 0; i < n && rc == 0; i++) {
		const struct dh_value *old = rows + i * w0;
		uint64_t eid = (uint64_t)old[t->ncols].i;
		/* a row the FROM items match more than once changes once, by
		 * its first match (PostgreSQL: by any one) */
		if ((from && !eidset_add(&seen, eid)) || !claim(r, eid))
			continue;
		struct dh_value *nv = dh_arena_alloc(r->a, rw * sizeof(*nv));
		memcpy(nv, old, rw * sizeof(*nv));
		run.row = old;
		if ((rc = set_eval(r, t, it, ns, &run, nv)) ||
		    (rc = dh__sqlc_check_notnull(r, t, nv)) ||
		    (rc = dh__sqlcon_row(cx, old, nv, eid)) ||
		    (rc = row_ops(r, t, eid, old, nv, &ops)))
			break;
		if (from) {
			/* RETURNING reads the new row beside the FROM items' */
			struct dh_value *jr = dh_arena_alloc(r->a, (w0 + 1) * sizeof(*jr));
			memcpy(jr, old, w0 * sizeof(*jr));
			memcpy(jr, nv, (size_t)t->ncols * sizeof(*jr));
			rc = returning_row(r, &ret, jr, &S);
		} else {
			rc = returning_row(r, &ret, nv, NULL);
		}
		done++;
	}
	free(seen.v);
	if ((rc = write_ops(r, w, &ops, cx, rc)))
		return rc;
	return finish(r, dh_arena_printf(r->a, "UPDATE %zu", done), &ret, out);
}

static int
delete_run(struct dh__sqlrun *r, const PgQuery__DeleteStmt *st, struct sqlc_cte *ctes,
	   struct dml_out *out)
{
	struct dh_wtx *w;
	struct dh_sqltable *t;
	int rc;
	if (st->with_clause && (rc = dh__sqlc_with(r, st->with_clause, NULL, ctes, &ctes)))
		return rc;
	if ((rc = target_table(r, st->relation, &w, &t)))
		return rc;
	struct sqlc_sel S;
	struct dh_value *rows;
	size_t n;
	int from = st->n_using_clause > 0;
	struct returning ret;
	const char *alias = st->relation->alias && st->relation->alias->aliasname
				? st->relation->alias->aliasname
				: t->name;
	struct retscope rs = {r, t, alias};
	if ((rc =
		 target_sel(&S, r, st->relation, ctes, st->using_clause, st->n_using_clause, &t)) ||
	    (rc = dh__sqlc_where(&S, st->where_clause)) ||
	    (from && (rc = returning_sel(&S, st->returning_list, st->n_returning_list, &ret))) ||
	    (!from &&
	     (rc = returning_compile(r, &rs, st->returning_list, st->n_returning_list, &ret))))
		return rc;
	if (r->describe)
		return dh__sqlc_described(r, ret.n, ret.cols);
	if ((rc = dh__sqlc_run_block(&S, &rows, &n)))
		return rc;
	size_t w0 = (size_t)S.nsl;
	struct ops ops = {0};
	struct sqlc_con lcx, *cx;
	if ((rc = con_open(r, w, t, 0, &lcx, &cx)))
		return write_ops(r, w, &ops, cx, rc);
	struct eidset seen = {0};
	size_t done = 0;
	for (size_t i = 0; i < n && rc == 0; i++) {
		const struct dh_value *old = rows + i * w0;
		uint64_t eid = (uint64_t)old[t->ncols].i;
		if ((from && !eidset_add(&seen, eid)) || !claim(r, eid))
			continue;
		struct dh_value sv;
		for (int k = 0; k < t->ncols && rc == 0; k++)
			if (old[k].type != DH_T_NONE &&
			    (rc = dh__sqlc_storable(r, &t->cols[k], &old[k], &sv)) == 0)
				op_add(&ops, 0, eid, t->cols[k].attr, sv);
		if (t->marker)
			op_add(&ops, 0, eid, t->marker,
			       (struct dh_value){.type = DH_T_BOOL, .b = 1});
		dh__sqlcon_log(cx, eid, old, NULL);
		if (rc == 0)
			rc = returning_row(r, &ret, old, from ? &S : NULL);
		done++;
	}
	free(seen.v);
	if ((rc = write_ops(r, w, &ops, cx, rc)))
		return rc;
	return finish(r, dh_arena_printf(r->a, "DELETE %zu", done), &ret, out);
}

int
dh__sqlc_insert(struct dh__sqlrun *r, const PgQuery__InsertStmt *st)
{
	return insert_run(r, st, NULL, NULL);
}

int
dh__sqlc_update(struct dh__sqlrun *r, const PgQuery__UpdateStmt *st)
{
	return update_run(r, st, NULL, NULL);
}

int
dh__sqlc_delete(struct dh__sqlrun *r, const PgQuery__DeleteStmt *st)
{
	return delete_run(r, st, NULL, NULL);
}

/* --- data-modifying WITH queries --- */

int
dh__sqlc_dml_cte(struct dh__sqlrun *r, const PgQuery__WithClause *wc, const PgQuery__Node *stmt,
		 struct sqlc_cte *visible, struct sqlc_cte *c)
{
	const PgQuery__CommonTableExpr *d = c->def;
	if (!r->defer || r->defer->top != wc) {
		dh_err_sql(r->err, "0A000",
			   "WITH clause containing a data-modifying statement must be at the top "
			   "level");
		return dh__sql_at(r, d->location, DH_ESQL);
	}
	struct dml_out out;
	int rc;
	if ((rc = dh__sqlc_view_rewrite(r, stmt, &stmt)))
		return rc;
	switch (stmt->node_case) {
	case PG_QUERY__NODE__NODE_INSERT_STMT:
		rc = insert_run(r, stmt->insert_stmt, visible, &out);
		break;
	case PG_QUERY__NODE__NODE_UPDATE_STMT:
		rc = update_run(r, stmt->update_stmt, visible, &out);
		break;
	case PG_QUERY__NODE__NODE_DELETE_STMT:
		rc = delete_run(r, stmt->delete_stmt, visible, &out);
		break;
	default:
		return dh_err_sql(r->err, "0A000", "%s in WITH is not supported yet",
				  dh__sqlc_node_name(stmt));
	}
	if (rc)
		return rc;
	c->ncols = out.ncols;
	c->cols = out.cols;
	c->rows = out.rows;
	c->nrows = out.nrows;
	c->done = 1;
	c->no_returning = !out.returning;
	if (d->n_aliascolnames) {
		if ((int)d->n_aliascolnames > c->ncols)
			return dh_err_sql(r->err, "42P10",
					  "WITH query \"%s\" has %d columns available but %zu "
					  "columns specified",
					  c->name, c->ncols, d->n_aliascolnames);
		for (size_t k = 0; k < d->n_aliascolnames; k++)
			c->cols[k].name = dh__sqlc_str(d->aliascolnames[k]);
	}
	return 0;
}

static int
capture(void *ctx, const struct dh_sql_result *res)
{
	struct sqlc_defer *d = ctx;
	d->res = *res;
	d->has_res = 1;
	return 0;
}

int
dh__sqlc_defer_run(struct dh__sqlrun *r, const PgQuery__Node *n, const PgQuery__WithClause *wc)
{
	struct sqlc_defer d;
	memset(&d, 0, sizeof(d));
	d.top = wc;
	d.last = &d.first;
	d.lastcon = &d.cons;
	d.cb = r->cb;
	d.ctx = r->ctx;
	r->defer = &d;
	r->cb = capture;
	r->ctx = &d;
	int rc;
	switch (n->node_case) {
	case PG_QUERY__NODE__NODE_INSERT_STMT:
		rc = insert_run(r, n->insert_stmt, NULL, NULL);
		break;
	case PG_QUERY__NODE__NODE_UPDATE_STMT:
		rc = update_run(r, n->update_stmt, NULL, NULL);
		break;
	case PG_QUERY__NODE__NODE_DELETE_STMT:
		rc = delete_run(r, n->delete_stmt, NULL, NULL);
		break;
	default:
		rc = dh__sqlc_select(r, n->select_stmt, 1, NULL, NULL, NULL, NULL);
		break;
	}
	r->cb = d.cb;
	r->ctx = d.ctx;
	/* every sub-statement's writes, in the order they ran, then the
	 * foreign keys of every table written */
	struct dh_wtx *w = NULL;
	if (rc == 0 && d.first)
		rc = dh__sql_wtx(r->s, &w, r->err);
	for (struct pending *p = d.first; p && rc == 0; p = p->next) {
		struct dh_tx_report rep;
		rc = dh_wtx_apply(w, p->ops.v, p->ops.n, r->a, &rep, r->err);
	}
	for (struct defcon *c = d.cons; c && rc == 0; c = c->next)
		rc = dh__sqlcon_after(&c->cx);
	r->defer = NULL;
	while (d.first) {
		struct pending *p = d.first;
		d.first = p->next;
		free(p->ops.v);
		free(p);
	}
	while (d.cons) {
		struct defcon *c = d.cons;
		d.cons = c->next;
		dh__sqlcon_close(&c->cx);
		free(c);
	}
	free(d.touched.v);
	if (rc == 0 && d.has_res && d.cb)
		rc = d.cb(d.ctx, &d.res);
	return rc;
}

/* --- CREATE TABLE AS, SELECT INTO --- */

int
dh__sqlc_fill_table(struct dh__sqlrun *r, const char *table, const struct dh_value *rows,
		    size_t nrows, int ncols)
{
	struct dh_wtx *w;
	const struct dh_schema *sc;
	struct dh_sqltable *t;
	int rc;
	if ((rc = dh__sql_wtx(r->s, &w, r->err)) || (rc = dh_wtx_schema(w, &sc, r->err)) ||
	    (rc = dh__sqlcat_table(dh_wtx_view(w), sc, table, r->a, &t, r->err)))
		return rc;
	if (t->ncols != ncols)
		return dh_err_sql(r->err, "XX000", "table \"%s\" has %d columns, not %d", table,
				  t->ncols, ncols);
	struct ops ops = {0};
	size_t rw = (size_t)ncols + 1;
	struct dh_value *vals = dh_arena_alloc(r->a, rw * sizeof(*vals));
	for (size_t i = 0; i < nrows && rc == 0; i++) {
		memcpy(vals, rows + i * (size_t)ncols, (size_t)ncols * sizeof(*vals));
		vals[ncols].type = DH_T_NONE;
		uint64_t e = dh_wtx_new_eid(w);
		if (t->marker)
			op_add(&ops, 1, e, t->marker, (struct dh_value){.type = DH_T_BOOL, .b = 1});
		rc = row_ops(r, t, e, NULL, vals, &ops);
	}
	if (rc == 0 && ops.n) {
		struct dh_tx_report rep;
		rc = dh_wtx_apply(w, ops.v, ops.n, r->a, &rep, r->err);
	}
	free(ops.v);
	return rc;
}
