/*
 * sqlc-view: INSERT, UPDATE and DELETE through a view, as PostgreSQL's
 * automatically updatable views (rewriteHandler.c's rewriteTargetView).
 * A view qualifies when its query reads one table or view and has no
 * DISTINCT, GROUP BY, HAVING, set operation, WITH, LIMIT/OFFSET,
 * aggregate, window function or set-returning function in its select
 * list (55000 naming the first reason otherwise).  Its columns that are
 * plain references to a column of that relation can be assigned; the
 * others only read (0A000 when a statement assigns one).
 *
 * The statement is rewritten onto the relation below, as PostgreSQL's
 * rewriter does it: the target becomes the base relation under the
 * view's name (or the statement's alias), each target column is renamed
 * to its base column, every reference to a view column (RETURNING,
 * SET's values, WHERE, ON CONFLICT) becomes the view's expression for
 * it, and UPDATE and DELETE get the view's WHERE too (INSERT does not:
 * no CHECK OPTION).  A view over a view rewrites again.  The parse tree
 * is the session's (read only): the rewrite works on a copy in the
 * statement's arena.
 */
#include <stdlib.h>
#include <string.h>

#include <pg_query.h>

#include "sqlc-int.h"

struct vcol {
	const char *name;     /* the view's column */
	PgQuery__Node *expr;  /* its expression over the base relation */
	const char *basecol;  /* the base column it is, or NULL (read only) */
	const char *why;      /* read only: PostgreSQL's detail */
};

struct vinfo {
	const char *name;           /* the view */
	const char *refname;        /* what the statement calls it (alias or name) */
	PgQuery__RangeVar *base;    /* the relation below */
	const char *bname;          /* its name in the view's query (alias or name) */
	PgQuery__Node *where;       /* the view's WHERE, or NULL */
	int ncols;
	struct vcol *cols;
	int has_from;               /* the statement has FROM / USING items */
	struct dh_sqltable *bt;     /* the base table, or NULL for a base view */
	int err;
	struct dh__sqlrun *r;
};

static void *
arena_pb_alloc(void *ctx, size_t n)
{
	return dh_arena_alloc(ctx, n ? n : 1);
}

static void
arena_pb_free(void *ctx, void *p)
{
	(void)ctx, (void)p;
}

PgQuery__Node *
dh__sqlc_copy_node(struct dh_arena *a, const PgQuery__Node *n)
{
	if (!n)
		return NULL;
	size_t len = pg_query__node__get_packed_size(n);
	uint8_t *buf = dh_arena_alloc(a, len ? len : 1);
	pg_query__node__pack(n, buf);
	ProtobufCAllocator al = {arena_pb_alloc, arena_pb_free, a};
	return pg_query__node__unpack(&al, len, buf);
}

static PgQuery__Node *
str_node(struct dh_arena *a, const char *s)
{
	PgQuery__Node *n = dh_arena_alloc(a, sizeof(*n));
	PgQuery__String *v = dh_arena_alloc(a, sizeof(*v));
	*n = (PgQuery__Node)PG_QUERY__NODE__INIT;
	*v = (PgQuery__String)PG_QUERY__STRING__INIT;
	v->sval = (char *)s;
	n->node_case = PG_QUERY__NODE__NODE_STRING;
	n->string = v;
	return n;
}

static PgQuery__Node *
colref_node(struct dh_arena *a, const char *qual, const char *col)
{
	PgQuery__Node *n = dh_arena_alloc(a, sizeof(*n));
	PgQuery__ColumnRef *c = dh_arena_alloc(a, sizeof(*c));
	*n = (PgQuery__Node)PG_QUERY__NODE__INIT;
	*c = (PgQuery__ColumnRef)PG_QUERY__COLUMN_REF__INIT;
	c->n_fields = qual ? 2 : 1;
	c->fields = dh_arena_alloc(a, 2 * sizeof(*c->fields));
	if (qual)
		c->fields[0] = str_node(a, qual);
	c->fields[c->n_fields - 1] = str_node(a, col);
	c->location = -1;
	n->node_case = PG_QUERY__NODE__NODE_COLUMN_REF;
	n->column_ref = c;
	return n;
}

/* --- walking a tree we own --- */

int
dh__sqlc_walk(struct sqlc_walk *w, ProtobufCMessage *m)
{
	int rc = w->fn(w, m);
	if (rc)
		return rc < 0 ? rc : 0;
	const ProtobufCMessageDescriptor *d = m->descriptor;
	if (d == &pg_query__node__descriptor) {
		const ProtobufCMessage *c = dh__sqlc_node_inner((PgQuery__Node *)m);
		return c ? dh__sqlc_walk(w, (ProtobufCMessage *)c) : 0;
	}
	int sub = d == &pg_query__sub_link__descriptor ||
		  d == &pg_query__range_subselect__descriptor;
	w->depth += sub;
	char *base = (char *)m;
	for (unsigned i = 0; i < d->n_fields && rc == 0; i++) {
		const ProtobufCFieldDescriptor *f = &d->fields[i];
		if (f->type != PROTOBUF_C_TYPE_MESSAGE)
			continue;
		if ((f->flags & PROTOBUF_C_FIELD_FLAG_ONEOF) &&
		    *(const uint32_t *)(base + f->quantifier_offset) != f->id)
			continue;
		if (f->label == PROTOBUF_C_LABEL_REPEATED) {
			size_t n = *(const size_t *)(base + f->quantifier_offset);
			ProtobufCMessage **v = *(ProtobufCMessage ***)(base + f->offset);
			for (size_t k = 0; k < n && rc == 0; k++)
				if (v[k])
					rc = dh__sqlc_walk(w, v[k]);
		} else {
			ProtobufCMessage *c = *(ProtobufCMessage **)(base + f->offset);
			if (c)
				rc = dh__sqlc_walk(w, c);
		}
	}
	w->depth -= sub;
	return rc;
}

static PgQuery__Node *
as_node(ProtobufCMessage *m)
{
	return m->descriptor == &pg_query__node__descriptor ? (PgQuery__Node *)m : NULL;
}

/* Every location -1: a view's nodes have their positions in its own
 * text, not in the statement's. */
static int
unlocate_msg(ProtobufCMessage *m)
{
	const ProtobufCMessageDescriptor *d = m->descriptor;
	char *base = (char *)m;
	for (unsigned i = 0; i < d->n_fields; i++) {
		const ProtobufCFieldDescriptor *f = &d->fields[i];
		if ((f->flags & PROTOBUF_C_FIELD_FLAG_ONEOF) &&
		    *(const uint32_t *)(base + f->quantifier_offset) != f->id)
			continue;
		if (f->type == PROTOBUF_C_TYPE_INT32 && f->label != PROTOBUF_C_LABEL_REPEATED &&
		    strcmp(f->name, "location") == 0) {
			*(int32_t *)(base + f->offset) = -1;
			continue;
		}
		if (f->type != PROTOBUF_C_TYPE_MESSAGE)
			continue;
		if (f->label == PROTOBUF_C_LABEL_REPEATED) {
			size_t n = *(const size_t *)(base + f->quantifier_offset);
			ProtobufCMessage **v = *(ProtobufCMessage ***)(base + f->offset);
			for (size_t k = 0; k < n; k++)
				if (v[k])
					unlocate_msg(v[k]);
		} else {
			ProtobufCMessage *c = *(ProtobufCMessage **)(base + f->offset);
			if (c)
				unlocate_msg(c);
		}
	}
	return 0;
}

/* A view's column reference to the base relation, qualified with the
 * statement's name for it (subqueries keep theirs). */
static int
requalify(struct sqlc_walk *w, ProtobufCMessage *m)
{
	struct vinfo *vi = w->ctx;
	PgQuery__Node *n = as_node(m);
	if (!n || n->node_case != PG_QUERY__NODE__NODE_COLUMN_REF || w->depth)
		return 0;
	PgQuery__ColumnRef *c = n->column_ref;
	const char *last = dh__sqlc_str(c->fields[c->n_fields - 1]);
	if (!last)
		return 1;
	if (c->n_fields == 1 ||
	    (c->n_fields == 2 && strcmp(dh__sqlc_str(c->fields[0]) ? dh__sqlc_str(c->fields[0])
								    : "",
				       vi->bname) == 0))
		*n = *colref_node(vi->r->a, vi->refname, last);
	return 1;
}

/* The view's expression for column i, as the rewritten statement reads it. */
static PgQuery__Node *
view_expr(struct vinfo *vi, int i)
{
	PgQuery__Node *x = dh__sqlc_copy_node(vi->r->a, vi->cols[i].expr);
	struct sqlc_walk w = {requalify, 0, vi};
	unlocate_msg(&x->base);
	dh__sqlc_walk(&w, &x->base);
	return x;
}

static int
view_col(const struct vinfo *vi, const char *name)
{
	for (int i = 0; i < vi->ncols; i++)
		if (strcmp(vi->cols[i].name, name) == 0)
			return i;
	return -1;
}

static int
base_has(const struct vinfo *vi, const char *name)
{
	if (!vi->bt)
		return 0;
	for (int i = 0; i < vi->bt->ncols; i++)
		if (strcmp(vi->bt->cols[i].name, name) == 0)
			return 1;
	return 0;
}

/* The statement's references to the view's columns become their
 * expressions. */
static int
subst(struct sqlc_walk *w, ProtobufCMessage *m)
{
	struct vinfo *vi = w->ctx;
	struct dh__sqlrun *r = vi->r;
	PgQuery__Node *n = as_node(m);
	if (!n || n->node_case != PG_QUERY__NODE__NODE_COLUMN_REF)
		return 0;
	PgQuery__ColumnRef *c = n->column_ref;
	const char *last = dh__sqlc_str(c->fields[c->n_fields - 1]);
	const char *q = c->n_fields == 2 ? dh__sqlc_str(c->fields[0]) : NULL;
	if (c->n_fields == 2 && q && last && strcmp(q, "excluded") == 0) {
		/* ON CONFLICT's proposed row: the base relation's */
		int i = view_col(vi, last);
		if (i >= 0 && !vi->cols[i].basecol) {
			dh_err_sql(r->err, "0A000",
				   "EXCLUDED.%s reads a view column that is no column of the base "
				   "relation: not supported yet",
				   last);
			vi->err = dh__sql_at(r, c->location, DH_ESQL);
			return -1;
		}
		if (i >= 0)
			*n = *colref_node(r->a, "excluded", vi->cols[i].basecol);
		return 1;
	}
	if (c->n_fields == 2 && q && strcmp(q, vi->refname) == 0) {
		if (!last) {
			/* v.* outside RETURNING's list (a whole row) */
			dh_err_sql(r->err, "0A000",
				   "whole-row references to a view are not supported yet");
			vi->err = dh__sql_at(r, c->location, DH_ESQL);
			return -1;
		}
		int i = view_col(vi, last);
		if (i < 0) {
			dh_err_sql(r->err, "42703", "column %s.%s does not exist", q, last);
			vi->err = dh__sql_at(r, c->location, DH_ESQL);
			return -1;
		}
		*n = *view_expr(vi, i);
		return 1;
	}
	if (c->n_fields != 1 || !last)
		return 1;
	int i = view_col(vi, last);
	if (i >= 0 && !w->depth) {
		*n = *view_expr(vi, i);
		return 1;
	}
	/* a base column the view hides is no column of the statement's */
	if (i < 0 && !w->depth && !vi->has_from && base_has(vi, last)) {
		dh_err_sql(r->err, "42703", "column \"%s\" does not exist", last);
		vi->err = dh__sql_at(r, c->location, DH_ESQL);
		return -1;
	}
	return 1;
}

static int
subst_node(struct vinfo *vi, PgQuery__Node *n)
{
	struct sqlc_walk w = {subst, 0, vi};
	if (!n)
		return 0;
	return dh__sqlc_walk(&w, &n->base) < 0 ? vi->err : 0;
}

/* RETURNING: v.* and * are the view's columns; a bare view column keeps
 * its name as the output column's. */
static int
returning(struct vinfo *vi, PgQuery__Node ***list, size_t *n)
{
	struct dh__sqlrun *r = vi->r;
	size_t cap = *n + 1, m = 0;
	for (size_t i = 0; i < *n; i++)
		if (dh__sqlc_is_star((*list)[i]->res_target->val))
			cap += (size_t)vi->ncols;
	PgQuery__Node **out = dh_arena_alloc(r->a, cap * sizeof(*out));
	for (size_t i = 0; i < *n; i++) {
		PgQuery__ResTarget *rt = (*list)[i]->res_target;
		PgQuery__Node *v = rt->val;
		if (v->node_case == PG_QUERY__NODE__NODE_COLUMN_REF && dh__sqlc_is_star(v) &&
		    (v->column_ref->n_fields == 1 ||
		     (dh__sqlc_str(v->column_ref->fields[0]) &&
		      strcmp(dh__sqlc_str(v->column_ref->fields[0]), vi->refname) == 0))) {
			for (int k = 0; k < vi->ncols; k++) {
				PgQuery__Node *tn = dh_arena_alloc(r->a, sizeof(*tn));
				PgQuery__ResTarget *t = dh_arena_alloc(r->a, sizeof(*t));
				*tn = (PgQuery__Node)PG_QUERY__NODE__INIT;
				*t = (PgQuery__ResTarget)PG_QUERY__RES_TARGET__INIT;
				t->name = (char *)vi->cols[k].name;
				t->val = view_expr(vi, k);
				t->location = -1;
				tn->node_case = PG_QUERY__NODE__NODE_RES_TARGET;
				tn->res_target = t;
				out[m++] = tn;
			}
			continue;
		}
		if ((!rt->name || !*rt->name) && v->node_case == PG_QUERY__NODE__NODE_COLUMN_REF) {
			const PgQuery__ColumnRef *c = v->column_ref;
			const char *last = dh__sqlc_str(c->fields[c->n_fields - 1]);
			if (last && view_col(vi, last) >= 0)
				rt->name = (char *)last;
		}
		int rc = subst_node(vi, rt->val);
		if (rc)
			return rc;
		out[m++] = (*list)[i];
	}
	*list = out;
	*n = m;
	return 0;
}

/* An assigned column of the view: its base column's name. */
static int
target_col(struct vinfo *vi, PgQuery__ResTarget *rt, const char *verb)
{
	struct dh__sqlrun *r = vi->r;
	int i = view_col(vi, rt->name);
	if (i < 0) {
		dh_err_sql(r->err, "42703", "column \"%s\" of relation \"%s\" does not exist",
			   rt->name, vi->name);
		return dh__sql_at(r, rt->location, DH_ESQL);
	}
	if (!vi->cols[i].basecol) {
		dh_err_sql(r->err, "0A000", "cannot %s column \"%s\" of view \"%s\"", verb, rt->name,
			   vi->name);
		dh_err_detail(r->err, "%s", vi->cols[i].why);
		return DH_ESQL; /* the rewriter's: no position */
	}
	rt->name = (char *)vi->cols[i].basecol;
	return 0;
}

/* --- the view's query --- */

static int
has_window(const ProtobufCMessage *m, void *ctx)
{
	if (m->descriptor == &pg_query__sub_link__descriptor)
		return 0;
	if (m->descriptor == &pg_query__func_call__descriptor &&
	    ((const PgQuery__FuncCall *)m)->over)
		return 1;
	return dh__sqlc_each_child(m, has_window, ctx);
}

static int
has_srf(const ProtobufCMessage *m, void *ctx)
{
	if (m->descriptor == &pg_query__sub_link__descriptor)
		return 0;
	if (m->descriptor == &pg_query__func_call__descriptor) {
		const PgQuery__FuncCall *fc = (const PgQuery__FuncCall *)m;
		const char *name = dh__sqlc_str(fc->funcname[fc->n_funcname - 1]);
		if (!fc->over && name &&
		    (strcmp(name, "generate_series") == 0 || strcmp(name, "unnest") == 0 ||
		     dh__sqlc_srf_known(name)))
			return 1;
	}
	return dh__sqlc_each_child(m, has_srf, ctx);
}

/* Why query q is not automatically updatable (PostgreSQL's detail, in its
 * order), or NULL. */
static const char *
not_updatable(const PgQuery__SelectStmt *q)
{
	if (q->n_distinct_clause)
		return "Views containing DISTINCT are not automatically updatable.";
	if (q->n_group_clause)
		return "Views containing GROUP BY are not automatically updatable.";
	if (q->having_clause)
		return "Views containing HAVING are not automatically updatable.";
	if (q->op != PG_QUERY__SET_OPERATION__SETOP_NONE)
		return "Views containing UNION, INTERSECT, or EXCEPT are not automatically "
		       "updatable.";
	if (q->with_clause)
		return "Views containing WITH are not automatically updatable.";
	if (q->limit_count || q->limit_offset)
		return "Views containing LIMIT or OFFSET are not automatically updatable.";
	int agg = 0, win = 0, srf = 0;
	for (size_t i = 0; i < q->n_target_list; i++) {
		const ProtobufCMessage *m = &q->target_list[i]->base;
		agg |= dh__sqlc_has_agg(m);
		win |= has_window(m, NULL);
		srf |= has_srf(m, NULL);
	}
	if (agg)
		return "Views that return aggregate functions are not automatically updatable.";
	if (win)
		return "Views that return window functions are not automatically updatable.";
	if (srf)
		return "Views that return set-returning functions are not automatically updatable.";
	if (q->n_from_clause != 1 ||
	    q->from_clause[0]->node_case != PG_QUERY__NODE__NODE_RANGE_VAR)
		return "Views that do not select from a single table or view are not "
		       "automatically updatable.";
	return NULL;
}

/* The view's query, parsed into r->a; a stored "SELECT * FROM (query) AS
 * v(cols)" (the form sqlc-alter.c stores a view in whose select list has
 * a star) is taken apart: *names gets the column list, if any. */
static int
view_query(struct dh__sqlrun *r, const char *name, const char *sql, PgQuery__SelectStmt **out,
	   PgQuery__Alias **wrap)
{
	PgQueryProtobufParseResult pr = pg_query_parse_protobuf(sql);
	*wrap = NULL;
	*out = NULL;
	if (pr.error) {
		int rc = dh_err_sql(r->err, "XX000", "view \"%s\" cannot be read: %s", name,
				    pr.error->message);
		pg_query_free_protobuf_parse_result(pr);
		return rc;
	}
	ProtobufCAllocator al = {arena_pb_alloc, arena_pb_free, r->a};
	PgQuery__ParseResult *t = pg_query__parse_result__unpack(
	    &al, pr.parse_tree.len, (const uint8_t *)pr.parse_tree.data);
	pg_query_free_protobuf_parse_result(pr);
	if (!t || t->n_stmts != 1 ||
	    t->stmts[0]->stmt->node_case != PG_QUERY__NODE__NODE_SELECT_STMT)
		return dh_err_sql(r->err, "XX000", "view \"%s\" is not a SELECT", name);
	PgQuery__SelectStmt *q = t->stmts[0]->stmt->select_stmt;
	if (q->op == PG_QUERY__SET_OPERATION__SETOP_NONE && q->n_target_list == 1 &&
	    dh__sqlc_is_star(q->target_list[0]->res_target->val) &&
	    q->target_list[0]->res_target->val->column_ref->n_fields == 1 &&
	    q->n_from_clause == 1 &&
	    q->from_clause[0]->node_case == PG_QUERY__NODE__NODE_RANGE_SUBSELECT && !q->where_clause) {
		PgQuery__RangeSubselect *rs = q->from_clause[0]->range_subselect;
		if (rs->alias && strcmp(rs->alias->aliasname, name) == 0 && rs->subquery &&
		    rs->subquery->node_case == PG_QUERY__NODE__NODE_SELECT_STMT) {
			*wrap = rs->alias;
			q = rs->subquery->select_stmt;
		}
	}
	*out = q;
	return 0;
}

/* The base relation's column names (a table's, or a view's). */
static int
base_columns(struct dh__sqlrun *r, struct vinfo *vi, const char ***names, int *n)
{
	struct dh_view *v;
	const struct dh_schema *sc;
	int rc;
	char kind;
	if ((rc = dh__sql_view(r->s, &v, &sc, r->err)) ||
	    (rc = dh__sqlcat_relkind(v, sc, vi->base->relname, r->a, &kind, r->err)))
		return rc;
	if (kind == 'v') {
		struct dh_sqlview bv;
		if ((rc = dh__sqlcat_view_info(v, sc, vi->base->relname, r->a, &bv, r->err)) < 0)
			return rc;
		*names = bv.cols;
		*n = bv.ncols;
		return 0;
	}
	if ((rc = dh__sql_table(r->s, v, sc, vi->base->relname, r->a, &vi->bt, r->err)))
		return dh__sql_at(r, vi->base->location, rc);
	*names = dh_arena_alloc(r->a, (size_t)(vi->bt->ncols + 1) * sizeof(**names));
	for (int i = 0; i < vi->bt->ncols; i++)
		(*names)[i] = vi->bt->cols[i].name;
	*n = vi->bt->ncols;
	return 0;
}

/* Read view name's definition into vi; 55000 (what: "insert into",
 * "update", "delete from") if it is not automatically updatable. */
static int
view_load(struct dh__sqlrun *r, const char *name, const char *what, int cmd, struct vinfo *vi)
{
	struct dh_view *v;
	const struct dh_schema *sc;
	struct dh_sqlview info;
	PgQuery__SelectStmt *q = NULL;
	PgQuery__Alias *wrap;
	int rc;
	vi->name = name;
	vi->r = r;
	if ((rc = dh__sql_view(r->s, &v, &sc, r->err)) ||
	    (rc = dh__sqlcat_view_info(v, sc, name, r->a, &info, r->err)) < 0 ||
	    (rc = view_query(r, name, info.sql, &q, &wrap)))
		return rc;
	const char *why = not_updatable(q);
	if (!why) {
		vi->base = q->from_clause[0]->range_var;
		vi->bname = vi->base->alias && vi->base->alias->aliasname && *vi->base->alias->aliasname
				? vi->base->alias->aliasname
				: vi->base->relname;
		vi->where = q->where_clause;
		const char **bcols = NULL;
		int nb = 0;
		if ((rc = base_columns(r, vi, &bcols, &nb)))
			return rc;
		/* the select list, stars expanded over the base relation */
		size_t cap = q->n_target_list + (size_t)nb + 1;
		vi->cols = dh_arena_zalloc(r->a, cap * sizeof(*vi->cols));
		for (size_t i = 0; i < q->n_target_list; i++) {
			PgQuery__ResTarget *rt = q->target_list[i]->res_target;
			if (dh__sqlc_is_star(rt->val)) {
				for (int k = 0; k < nb; k++) {
					struct vcol *c = &vi->cols[vi->ncols++];
					c->name = c->basecol = bcols[k];
					c->expr = colref_node(r->a, NULL, bcols[k]);
				}
				if (vi->ncols + q->n_target_list - i > cap)
					break; /* more stars than room: the view is read only */
				continue;
			}
			struct vcol *c = &vi->cols[vi->ncols++];
			c->expr = rt->val;
			const char *col = NULL;
			if (rt->val->node_case == PG_QUERY__NODE__NODE_COLUMN_REF) {
				const PgQuery__ColumnRef *cr = rt->val->column_ref;
				const char *qual =
				    cr->n_fields == 2 ? dh__sqlc_str(cr->fields[0]) : NULL;
				if (cr->n_fields == 1 || (qual && strcmp(qual, vi->bname) == 0))
					col = dh__sqlc_str(cr->fields[cr->n_fields - 1]);
			}
			c->name = rt->name && *rt->name ? rt->name : col ? col : "?column?";
			c->basecol = col;
			if (col && strcmp(col, "db_id") == 0) {
				c->basecol = NULL;
				c->why = "View columns that refer to system columns are not "
					 "updatable.";
			} else if (!col) {
				c->why = "View columns that are not columns of their base relation "
					 "are not updatable.";
			}
		}
		/* the names the view gave its columns */
		for (int i = 0; i < vi->ncols; i++) {
			if (wrap && i < (int)wrap->n_colnames)
				vi->cols[i].name = dh__sqlc_str(wrap->colnames[i]);
			else if (i < info.ncols && info.cols[i])
				vi->cols[i].name = info.cols[i];
		}
		int any = 0;
		for (int i = 0; i < vi->ncols; i++)
			any |= vi->cols[i].basecol != NULL;
		if (!any && cmd != 'd')
			why = "Views that have no updatable columns are not automatically "
			      "updatable.";
	}
	if (why) {
		dh_err_sql(r->err, "55000", "cannot %s view \"%s\"", what, name);
		dh_err_detail(r->err, "%s", why);
		dh_err_hint(r->err,
			    cmd == 'i' ? "To enable inserting into the view, provide an INSTEAD OF "
					 "INSERT trigger or an unconditional ON INSERT DO INSTEAD "
					 "rule."
			    : cmd == 'u'
				? "To enable updating the view, provide an INSTEAD OF UPDATE trigger "
				  "or an unconditional ON UPDATE DO INSTEAD rule."
				: "To enable deleting from the view, provide an INSTEAD OF DELETE "
				  "trigger or an unconditional ON DELETE DO INSTEAD rule.");
		return DH_ESQL;
	}
	return 0;
}

/* The target: the base relation under the statement's name for the view. */
static PgQuery__RangeVar *
new_target(struct vinfo *vi, const PgQuery__RangeVar *old)
{
	struct dh_arena *a = vi->r->a;
	PgQuery__RangeVar *rv = dh_arena_alloc(a, sizeof(*rv));
	*rv = *vi->base;
	rv->location = old->location;
	rv->alias = dh_arena_alloc(a, sizeof(*rv->alias));
	*rv->alias = (PgQuery__Alias)PG_QUERY__ALIAS__INIT;
	rv->alias->aliasname = (char *)vi->refname;
	return rv;
}

/* The view's WHERE and the statement's. */
static PgQuery__Node *
and_where(struct vinfo *vi, PgQuery__Node *mine)
{
	struct dh_arena *a = vi->r->a;
	if (!vi->where)
		return mine;
	PgQuery__Node *vw = dh__sqlc_copy_node(a, vi->where);
	struct sqlc_walk w = {requalify, 0, vi};
	unlocate_msg(&vw->base);
	dh__sqlc_walk(&w, &vw->base);
	if (!mine)
		return vw;
	PgQuery__Node *n = dh_arena_alloc(a, sizeof(*n));
	PgQuery__BoolExpr *b = dh_arena_alloc(a, sizeof(*b));
	*n = (PgQuery__Node)PG_QUERY__NODE__INIT;
	*b = (PgQuery__BoolExpr)PG_QUERY__BOOL_EXPR__INIT;
	b->boolop = PG_QUERY__BOOL_EXPR_TYPE__AND_EXPR;
	b->n_args = 2;
	b->args = dh_arena_alloc(a, 2 * sizeof(*b->args));
	b->args[0] = vw;
	b->args[1] = mine;
	b->location = -1;
	n->node_case = PG_QUERY__NODE__NODE_BOOL_EXPR;
	n->bool_expr = b;
	return n;
}

/* How many values each row of INSERT's source has (0: unknown). */
static size_t
insert_width(const PgQuery__Node *src)
{
	if (!src || src->node_case != PG_QUERY__NODE__NODE_SELECT_STMT)
		return 0;
	const PgQuery__SelectStmt *s = src->select_stmt;
	while (s->op != PG_QUERY__SET_OPERATION__SETOP_NONE && s->larg)
		s = s->larg;
	if (s->n_values_lists)
		return s->values_lists[0]->list->n_items;
	for (size_t i = 0; i < s->n_target_list; i++)
		if (dh__sqlc_is_star(s->target_list[i]->res_target->val))
			return 0;
	return s->n_target_list;
}

static int
rewrite_insert(struct vinfo *vi, PgQuery__InsertStmt *st)
{
	struct dh__sqlrun *r = vi->r;
	int rc;
	if (!st->n_cols) {
		/* the view's columns in order, as many as the rows have */
		size_t n = insert_width(st->select_stmt);
		if (!st->select_stmt)
			n = 0;
		else if (!n || n > (size_t)vi->ncols)
			n = (size_t)vi->ncols;
		st->cols = dh_arena_alloc(r->a, (n + 1) * sizeof(*st->cols));
		for (size_t i = 0; i < n; i++) {
			PgQuery__Node *tn = dh_arena_alloc(r->a, sizeof(*tn));
			PgQuery__ResTarget *t = dh_arena_alloc(r->a, sizeof(*t));
			*tn = (PgQuery__Node)PG_QUERY__NODE__INIT;
			*t = (PgQuery__ResTarget)PG_QUERY__RES_TARGET__INIT;
			t->name = (char *)vi->cols[i].name;
			t->location = -1;
			tn->node_case = PG_QUERY__NODE__NODE_RES_TARGET;
			tn->res_target = t;
			st->cols[i] = tn;
		}
		st->n_cols = n;
	}
	for (size_t i = 0; i < st->n_cols; i++)
		if ((rc = target_col(vi, st->cols[i]->res_target, "insert into")))
			return rc;
	PgQuery__OnConflictClause *oc = st->on_conflict_clause;
	if (oc) {
		for (size_t i = 0; oc->infer && i < oc->infer->n_index_elems; i++) {
			PgQuery__IndexElem *ie = oc->infer->index_elems[i]->index_elem;
			if (ie->name && *ie->name) {
				int k = view_col(vi, ie->name);
				if (k < 0 || !vi->cols[k].basecol) {
					dh_err_sql(r->err, "42703", "column \"%s\" does not exist",
						   ie->name);
					return dh__sql_at(r, oc->infer->location, DH_ESQL);
				}
				ie->name = (char *)vi->cols[k].basecol;
			} else if ((rc = subst_node(vi, ie->expr))) {
				return rc;
			}
		}
		for (size_t i = 0; i < oc->n_target_list; i++) {
			PgQuery__ResTarget *rt = oc->target_list[i]->res_target;
			if ((rc = target_col(vi, rt, "update")) || (rc = subst_node(vi, rt->val)))
				return rc;
		}
		if ((rc = subst_node(vi, oc->where_clause)))
			return rc;
	}
	if ((rc = returning(vi, &st->returning_list, &st->n_returning_list)))
		return rc;
	st->relation = new_target(vi, st->relation);
	return 0;
}

static int
rewrite_update(struct vinfo *vi, PgQuery__UpdateStmt *st)
{
	int rc;
	vi->has_from = st->n_from_clause > 0;
	for (size_t i = 0; i < st->n_target_list; i++) {
		PgQuery__ResTarget *rt = st->target_list[i]->res_target;
		if ((rc = target_col(vi, rt, "update")) || (rc = subst_node(vi, rt->val)))
			return rc;
	}
	if ((rc = subst_node(vi, st->where_clause)) ||
	    (rc = returning(vi, &st->returning_list, &st->n_returning_list)))
		return rc;
	st->where_clause = and_where(vi, st->where_clause);
	st->relation = new_target(vi, st->relation);
	return 0;
}

static int
rewrite_delete(struct vinfo *vi, PgQuery__DeleteStmt *st)
{
	int rc;
	vi->has_from = st->n_using_clause > 0;
	if ((rc = subst_node(vi, st->where_clause)) ||
	    (rc = returning(vi, &st->returning_list, &st->n_returning_list)))
		return rc;
	st->where_clause = and_where(vi, st->where_clause);
	st->relation = new_target(vi, st->relation);
	return 0;
}

static PgQuery__RangeVar *
target_of(const PgQuery__Node *n)
{
	switch (n->node_case) {
	case PG_QUERY__NODE__NODE_INSERT_STMT:
		return n->insert_stmt->relation;
	case PG_QUERY__NODE__NODE_UPDATE_STMT:
		return n->update_stmt->relation;
	case PG_QUERY__NODE__NODE_DELETE_STMT:
		return n->delete_stmt->relation;
	default:
		return NULL;
	}
}

/* Is the target a view?  (One index probe: INSERT's path stays short.) */
static int
is_view(struct dh__sqlrun *r, const PgQuery__RangeVar *rv, int *yes)
{
	struct dh_view *v;
	const struct dh_schema *sc;
	uint64_t e = 0;
	*yes = 0;
	if (!rv || (rv->schemaname && *rv->schemaname && strcmp(rv->schemaname, "public") != 0))
		return 0;
	int rc = dh__sql_view(r->s, &v, &sc, r->err);
	if (rc == 0)
		rc = dh__sqlcat_find(v, sc, "dh.sql/view", rv->relname, r->a, &e, r->err);
	*yes = rc == 0 && e;
	return rc;
}

int
dh__sqlc_view_rewrite(struct dh__sqlrun *r, const PgQuery__Node *n, const PgQuery__Node **out)
{
	PgQuery__Node *cur = (PgQuery__Node *)n;
	int rc, yes, copied = 0;
	struct dh_wtx *w;
	*out = n;
	/* INSERT, UPDATE and DELETE (this is their first step) take the write
	 * transaction before they read anything, the catalog included: the
	 * statement then reads the newest state, under the store's write
	 * lock, and writes on top of what it read (no lost update).  Reading
	 * first through a snapshot would pin an older state, and a writer
	 * that committed in between would make the write 40001 (sql.c), where
	 * READ COMMITTED has no conflict to report. */
	if ((rc = dh__sql_wtx(r->s, &w, r->err)))
		return rc;
	for (int depth = 0;; depth++) {
		const PgQuery__RangeVar *rv = target_of(cur);
		if ((rc = is_view(r, rv, &yes)))
			return rc;
		if (!yes)
			break;
		if (depth > 32) {
			dh_err_sql(r->err, "42P17", "infinite recursion detected in rules for relation "
						    "\"%s\"",
				   rv->relname);
			return DH_ESQL;
		}
		if (!copied) {
			cur = dh__sqlc_copy_node(r->a, n);
			copied = 1;
			rv = target_of(cur);
		}
		struct vinfo vi;
		memset(&vi, 0, sizeof(vi));
		vi.refname = rv->alias && rv->alias->aliasname && *rv->alias->aliasname
				 ? rv->alias->aliasname
				 : rv->relname;
		int cmd = cur->node_case == PG_QUERY__NODE__NODE_INSERT_STMT   ? 'i'
			  : cur->node_case == PG_QUERY__NODE__NODE_UPDATE_STMT ? 'u'
									       : 'd';
		if ((rc = view_load(r, rv->relname,
				    cmd == 'i'	 ? "insert into"
				    : cmd == 'u' ? "update"
						 : "delete from",
				    cmd, &vi)))
			return rc; /* the rewriter's: no position */
		rc = cmd == 'i'	  ? rewrite_insert(&vi, cur->insert_stmt)
		     : cmd == 'u' ? rewrite_update(&vi, cur->update_stmt)
				  : rewrite_delete(&vi, cur->delete_stmt);
		if (rc)
			return rc;
	}
	*out = cur;
	return 0;
}
