/*
 * sqlc-con: constraints at run time, for INSERT, UPDATE and DELETE.  A
 * statement opens a struct sqlc_con on its table, checks each new row
 * (CHECK, UNIQUE and PRIMARY KEY, UNIQUE indexes: dh__sqlcon_row) before
 * anything is written, logs each row it changes, writes its datoms, and
 * then runs the foreign keys (dh__sqlcon_after): the referencing side
 * (the new rows' keys exist) and the referenced side (rows whose key went
 * away: RESTRICT / NO ACTION fail, CASCADE, SET NULL and SET DEFAULT
 * change the referencing rows, whose own keys then run the same way).
 * Foreign keys are checked after the statement's writes, as PostgreSQL's
 * end-of-statement triggers do, so rows of one statement may reference
 * each other.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <pg_query.h>

#include "sqlarray.h"
#include "sqlc-int.h"

/* --- helpers --- */

/* "(1, foo, null)": PostgreSQL's "Failing row contains" text. */
void
dh__sqlc_row_text(struct dh__sqlrun *r, const struct dh_sqltable *t, const struct dh_value *vals,
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

/* Is c an array column stored as one value (not a Datalog cardinality-many
 * attribute shown as an array)? */
static int
array_col(const struct dh_sqlcol *c)
{
	const struct dh_sqltype *t;
	if (c->many || (c->rep != DH_T_STRING && c->rep != DH_T_BYTES))
		return 0;
	t = dh_sqltype_by_oid(c->type);
	return t && t->category == 'A' && t->elem && t->typtype == 'b' &&
	       c->type != DH_OID_INT2VECTOR && c->type != DH_OID_OIDVECTOR;
}

/* Arrays are stored as PostgreSQL's text form of the array (lib/README,
 * "SQL"), printed in fixed settings (DateStyle ISO, TimeZone UTC,
 * IntervalStyle postgres, extra_float_digits 1) so that a value has one
 * stored form whatever the session's settings; an attribute made bytes
 * (by a CREATE TABLE before arrays were stored) holds dh_array_encode's
 * form. */
static int
array_store(struct dh__sqlrun *r, const struct dh_sqlcol *c, const struct dh_value *v,
	    struct dh_value *out)
{
	const struct dh_sqlenv env = DH_SQLENV_INIT;
	struct dh_buf b;
	int rc;
	if (c->rep == DH_T_BYTES)
		return dh_array_encode(v, r->a, out, r->err);
	dh_buf_init(&b, 0);
	rc = dh_sqltype_out(c->type, v, &env, &b);
	if (rc == 0) {
		*out = (struct dh_value){.type = DH_T_STRING};
		out->s.n = b.len;
		out->s.p = dh_arena_strndup(r->a, b.len ? (const char *)b.p : "", b.len);
	} else {
		rc = dh_err_sql(r->err, "54000", "value of column \"%s\" is too long", c->name);
	}
	dh_buf_release(&b);
	return rc;
}

int
dh__sqlc_loaded(const struct dh_sqlcol *c, const struct dh_value *d, struct dh_arena *a,
		struct dh_value *out, struct dh_err *err)
{
	const struct dh_sqlenv env = DH_SQLENV_INIT;
	*out = *d;
	if (d->type == DH_T_REF) {
		*out = (struct dh_value){.type = DH_T_LONG, .i = (int64_t)d->ref};
		return 0;
	}
	if (d->type == DH_T_KEYWORD) {
		out->type = DH_T_STRING;
		return 0;
	}
	if (!c || !array_col(c))
		return 0;
	if (d->type == DH_T_BYTES)
		return dh_array_decode((const unsigned char *)d->s.p, d->s.n, a, out, err);
	if (d->type == DH_T_STRING)
		return dh_sqltype_in(c->type, -1, d->s.p, d->s.n, &env, a, out, err);
	return 0;
}

int
dh__sqlc_storable(struct dh__sqlrun *r, const struct dh_sqlcol *c, const struct dh_value *v,
		  struct dh_value *out)
{
	*out = *v;
	if (v->type == DH_T_NONE)
		return 0;
	if ((v->type & DH_T_COLL) && array_col(c))
		return array_store(r, c, v, out);
	if (v->type == c->rep)
		return 0;
	if (c->rep == DH_T_REF && v->type == DH_T_LONG && v->i > 0) {
		*out = (struct dh_value){.type = DH_T_REF, .ref = (uint64_t)v->i};
		return 0;
	}
	if (c->rep == DH_T_KEYWORD && v->type == DH_T_STRING) {
		out->type = DH_T_KEYWORD;
		return 0;
	}
	return dh_err_sql(r->err, "0A000", "values of column \"%s\" cannot be stored yet", c->name);
}

/* The value as the index holds it (refs, arrays), for lookups. */
static struct dh_value
stored(struct dh__sqlrun *r, const struct dh_sqlcol *c, const struct dh_value *v)
{
	struct dh_value out;
	struct dh_err e2 = {0};
	struct dh_err *saved = r->err;
	int rc;
	r->err = &e2;
	rc = dh__sqlc_storable(r, c, v, &out);
	r->err = saved;
	return rc ? *v : out;
}

int
dh__sqlc_read_row(struct dh__sqlrun *r, struct dh_view *v, const struct dh_sqltable *t, uint64_t e,
		  struct dh_value *vals)
{
	for (int i = 0; i < t->ncols; i++)
		vals[i].type = DH_T_NONE;
	vals[t->ncols] = (struct dh_value){.type = DH_T_LONG, .i = (int64_t)e};
	struct dh_iter *it;
	struct dh_datom pat = {.e = e}, d;
	int rc = dh_iter_open(v, DH_EAVT, &pat, 1, r->a, &it, r->err);
	if (rc)
		return rc;
	while (rc == 0 && (rc = dh_iter_next(it, &d, r->err)) == 1) {
		rc = 0;
		for (int i = 0; i < t->ncols && rc == 0; i++)
			if (t->cols[i].attr == d.a && vals[i].type == DH_T_NONE)
				rc = dh__sqlc_loaded(&t->cols[i], &d.v, r->a, &vals[i], r->err);
	}
	dh_iter_close(it);
	return rc < 0 ? rc : 0;
}

/* Entities e != skip having attrs[k] = vals[k] for every k (values as
 * stored); stop after max (0: all). */
static int
find_key(struct dh__sqlrun *r, struct dh_view *v, int n, const uint64_t *attrs,
	 const struct dh_value *vals, uint64_t skip, size_t max, uint64_t **out, size_t *nout)
{
	struct dh_iter *it;
	struct dh_datom pat = {.a = attrs[0], .v = vals[0]}, d;
	size_t cap = 0;
	*nout = 0;
	*out = NULL;
	int rc = dh_iter_open(v, DH_AVET, &pat, 2, r->a, &it, r->err);
	if (rc)
		return rc;
	while ((!max || *nout < max) && (rc = dh_iter_next(it, &d, r->err)) == 1) {
		if (d.e == skip)
			continue;
		int ok = 1;
		for (int k = 1; k < n && ok; k++) {
			int has = dh_view_has(v, d.e, attrs[k], &vals[k], NULL, r->err);
			if (has < 0) {
				dh_iter_close(it);
				return has;
			}
			ok = has;
		}
		if (!ok)
			continue;
		if (*nout == cap) {
			cap = cap ? 2 * cap : 8;
			uint64_t *ne = dh_arena_alloc(r->a, cap * sizeof(*ne));
			if (*nout)
				memcpy(ne, *out, *nout * sizeof(*ne));
			*out = ne;
		}
		(*out)[(*nout)++] = d.e;
	}
	dh_iter_close(it);
	return rc < 0 ? rc : 0;
}

/* "Key (a, b)=(1, 2)" */
static void
key_text(struct dh__sqlrun *r, struct dh_buf *b, const struct dh_sqltable *t, int n,
	 const int *cols, const struct dh_value *vals)
{
	dh_buf_adds(b, "Key (");
	for (int i = 0; i < n; i++)
		dh_buf_printf(b, "%s%s", i ? ", " : "", t->cols[cols[i]].name);
	dh_buf_adds(b, ")=(");
	for (int i = 0; i < n; i++) {
		if (i)
			dh_buf_adds(b, ", ");
		const struct dh_value *v = &vals[cols[i]];
		if (v->type == DH_T_NONE)
			dh_buf_adds(b, "null");
		else
			dh_sqltype_out(t->cols[cols[i]].type, v, dh__sql_env(r->s), b);
	}
	dh_buf_addc(b, ')');
}

static void *
arena_alloc(void *ctx, size_t n)
{
	return dh_arena_alloc(ctx, n ? n : 1);
}

static void
arena_free(void *ctx, void *p)
{
	(void)ctx, (void)p;
}

int
dh__sqlc_parse_stored(struct dh__sqlrun *r, const char *text, const PgQuery__Node **expr)
{
	char *q = dh_arena_printf(r->a, "SELECT %s", text);
	PgQueryProtobufParseResult pr = pg_query_parse_protobuf(q);
	*expr = NULL;
	if (pr.error) {
		int rc = dh_err_sql(r->err, "42601", "stored expression %s: %s", text,
				    pr.error->message);
		pg_query_free_protobuf_parse_result(pr);
		return rc;
	}
	ProtobufCAllocator al = {arena_alloc, arena_free, r->a};
	PgQuery__ParseResult *t = pg_query__parse_result__unpack(
	    &al, pr.parse_tree.len, (const uint8_t *)pr.parse_tree.data);
	pg_query_free_protobuf_parse_result(pr);
	if (!t || t->n_stmts != 1 ||
	    t->stmts[0]->stmt->node_case != PG_QUERY__NODE__NODE_SELECT_STMT ||
	    t->stmts[0]->stmt->select_stmt->n_target_list != 1)
		return dh_err_sql(r->err, "XX000", "stored expression %s is not an expression",
				  text);
	*expr = t->stmts[0]->stmt->select_stmt->target_list[0]->res_target->val;
	return 0;
}

/* A column's DEFAULT, evaluated (NONE without one). */
int
dh__sqlc_default_value(struct dh__sqlrun *r, const struct dh_sqlcol *c, struct dh_value *out)
{
	out->type = DH_T_NONE;
	if (c->identity && c->seq) {
		int64_t v;
		int rc = dh__sqlseq_nextval_eid(r, c->seq, &v);
		if (rc == 0)
			*out = (struct dh_value){.type = DH_T_LONG, .i = v};
		return rc;
	}
	if (!c->dflt)
		return 0;
	struct dh_sqlx *x;
	int rc = dh__sqlc_compile_default(r, c, &x);
	if (rc)
		return rc;
	struct dh_sqlx_run run = {.a = r->a,
				  .err = r->err,
				  .env = dh__sql_env(r->s),
				  .ctx = r,
				  .call = dh__sqlc_call_hook};
	return dh_sqlx_eval(x, &run, out);
}

int
dh__sqlc_compile_default(struct dh__sqlrun *r, const struct dh_sqlcol *c, struct dh_sqlx **out)
{
	const PgQuery__Node *e;
	int rc = dh__sqlc_parse_stored(r, c->dflt, &e);
	if (rc)
		return rc;
	struct dh_sqlx_scope scope = {.ctx = r, .function = dh__sqlc_fn_hook};
	struct dh_sqlx_cc cc = {
	    .a = r->a, .err = r->err, .env = dh__sql_env(r->s), .scope = &scope};
	rc = dh_sqlx_compile(&cc, e, out);
	if (rc == 0)
		rc =
		    dh_sqlx_coerce(&cc, *out, c->type, c->typmod, DH_CAST_ASSIGNMENT, c->name, out);
	return rc;
}

/* --- a scope over one table's columns: slot i is column i --- */

static int
tcol_hook(void *ctx, const char *const *names, int n, int location, int *slot, uint32_t *type,
	  int32_t *typmod, struct dh_err *err)
{
	const struct dh_sqltable *t = ctx;
	(void)location, (void)err;
	if (n > 2 || (n == 2 && strcmp(names[0], t->name) != 0))
		return 1;
	for (int i = 0; i < t->ncols; i++)
		if (strcmp(t->cols[i].name, names[n - 1]) == 0) {
			*slot = i;
			*type = t->cols[i].type;
			*typmod = t->cols[i].typmod;
			return 0;
		}
	return 1;
}

void
dh__sqlc_table_scope(struct dh_sqlx_scope *s, const struct dh_sqltable *t)
{
	*s = (struct dh_sqlx_scope){
	    .ctx = (void *)t, .column = tcol_hook, .function = dh__sqlc_fn_hook};
}

int
dh__sqlc_compile_check(struct dh__sqlrun *r, const struct dh_sqltable *t, const PgQuery__Node *e,
		       const char *text, struct dh_sqlx **out)
{
	struct dh_sqlx_scope scope;
	dh__sqlc_table_scope(&scope, t);
	struct dh_sqlx_cc cc = {
	    .a = r->a, .err = r->err, .env = dh__sql_env(r->s), .scope = &scope, .text = text};
	int rc = dh_sqlx_compile(&cc, e, out);
	if (rc == 0)
		rc = dh_sqlx_coerce_bool(&cc, *out, "CHECK", out);
	return rc;
}

/* --- the statement's constraints --- */

/* Keys: open addressing over rows of ncols values. */
struct ukset {
	size_t cap, n;
	struct dh_value *keys; /* n * ncols */
	uint64_t *eids;
	size_t *slot; /* index + 1 */
};

struct sqlc_ukey {
	const char *name;
	uint64_t eid;   /* the constraint's entity (0: an index, :dh.sql/pk) */
	char deferrable;
	int ncols;
	const int *cols;   /* part i is column cols[i], or -1: expression ex[i] */
	struct dh_sqlx **ex; /* an index on expressions: the parts compiled over
			      * the table's row; NULL for a key of columns */
	const char **ktext;  /* ex: each part as the key's text names it */
	uint32_t *types;     /* each part's type */
	struct ukset stmt;   /* keys written by this statement */
	/* ex: the keys of the table's rows before the statement, computed
	 * at its first check (no index holds them: one scan of the table) */
	struct ukset have;
	int loaded;
};

struct sqlc_rowlog {
	uint64_t e;
	const struct dh_value *old, *nu; /* ncols + 1 each, or NULL */
};

/* An index's key list ("lower(b), a DESC", its :dh.sql/keys) as the
 * IndexElems of a CREATE INDEX parsed in r->a. */
static int
parse_keys(struct dh__sqlrun *r, const char *keys, PgQuery__IndexStmt **out)
{
	char *q = dh_arena_printf(r->a, "CREATE INDEX ON x (%s)", keys);
	PgQueryProtobufParseResult pr = pg_query_parse_protobuf(q);
	*out = NULL;
	if (pr.error) {
		int rc = dh_err_sql(r->err, "XX000", "stored index keys %s: %s", keys,
				    pr.error->message);
		pg_query_free_protobuf_parse_result(pr);
		return rc;
	}
	ProtobufCAllocator al = {arena_alloc, arena_free, r->a};
	PgQuery__ParseResult *t = pg_query__parse_result__unpack(
	    &al, pr.parse_tree.len, (const uint8_t *)pr.parse_tree.data);
	pg_query_free_protobuf_parse_result(pr);
	if (!t || t->n_stmts != 1 ||
	    t->stmts[0]->stmt->node_case != PG_QUERY__NODE__NODE_INDEX_STMT)
		return dh_err_sql(r->err, "XX000", "stored index keys %s are no key list", keys);
	*out = t->stmts[0]->stmt->index_stmt;
	return 0;
}

static int
any_volatile(const struct dh_sqlx *x)
{
	if (!x)
		return 0;
	if (x->volatile_)
		return 1;
	for (int i = 0; i < x->nargs; i++)
		if (any_volatile(x->args[i]))
			return 1;
	return 0;
}

static int
reads_col(const ProtobufCMessage *m, void *ctx)
{
	if (m->descriptor == &pg_query__column_ref__descriptor) {
		const PgQuery__ColumnRef *c = (const PgQuery__ColumnRef *)m;
		const char *last = dh__sqlc_str(c->fields[c->n_fields - 1]);
		return last && strcmp(last, ctx) == 0;
	}
	return dh__sqlc_each_child(m, reads_col, ctx);
}

int
dh__sqlc_index_reads(struct dh__sqlrun *r, const struct dh_sqlindex *ix, const char *col)
{
	PgQuery__IndexStmt *st;
	if (!ix->keys || parse_keys(r, ix->keys, &st))
		return 0;
	for (size_t i = 0; i < st->n_index_params; i++) {
		const PgQuery__IndexElem *ie = st->index_params[i]->index_elem;
		if (ie->name && *ie->name ? strcmp(ie->name, col) == 0
					  : ie->expr && reads_col(&ie->expr->base, (void *)col))
			return 1;
	}
	return 0;
}

int
dh__sqlc_index_expr(struct dh__sqlrun *r, const struct dh_sqltable *t, const PgQuery__Node *e,
		    struct dh_sqlx **out)
{
	struct dh_sqlx_scope scope;
	dh__sqlc_table_scope(&scope, t);
	struct dh_sqlx_cc cc = {.a = r->a,
				.err = r->err,
				.env = dh__sql_env(r->s),
				.scope = &scope,
				.text = r->text};
	int rc = dh_sqlx_compile(&cc, e, out);
	if (rc == 0)
		rc = dh_sqlx_resolve_unknown(&cc, *out, out);
	if (rc == 0 && any_volatile(*out))
		rc = dh_err_sql(r->err, "42P17",
				"functions in index expression must be marked IMMUTABLE");
	return rc;
}

/* A unique index on expressions: its parts compiled (u->ex, u->ktext). */
static int
ukey_exprs(struct sqlc_con *cx, struct sqlc_ukey *u, const char *keys)
{
	struct dh__sqlrun *r = cx->r;
	PgQuery__IndexStmt *st;
	int rc = parse_keys(r, keys, &st);
	if (rc)
		return rc;
	if ((int)st->n_index_params != u->ncols)
		return dh_err_sql(r->err, "XX000", "index \"%s\" has %d keys but %d columns",
				  u->name, (int)st->n_index_params, u->ncols);
	u->ex = dh_arena_zalloc(r->a, (size_t)(u->ncols + 1) * sizeof(*u->ex));
	u->ktext = dh_arena_zalloc(r->a, (size_t)(u->ncols + 1) * sizeof(*u->ktext));
	/* compiled against the statement's text: no positions into it */
	const char *text = r->text;
	r->text = NULL;
	for (int i = 0; i < u->ncols && rc == 0; i++) {
		const PgQuery__IndexElem *ie = st->index_params[i]->index_elem;
		if (u->cols[i] >= 0) {
			u->ktext[i] = cx->t->cols[u->cols[i]].name;
			continue;
		}
		u->ktext[i] = dh__sqlc_deparse_expr(r->a, ie->expr);
		if ((rc = dh__sqlc_index_expr(r, cx->t, ie->expr, &u->ex[i])) == 0)
			u->types[i] = u->ex[i]->type;
	}
	r->text = text;
	return rc;
}

int
dh__sqlcon_open(struct sqlc_con *cx, struct dh__sqlrun *r, struct dh_wtx *w, struct dh_sqltable *t,
		int checks)
{
	memset(cx, 0, sizeof(*cx));
	cx->r = r;
	cx->w = w;
	cx->t = t;
	int rc;
	cx->chk = dh_arena_zalloc(r->a, (size_t)(t->ncons + 1) * sizeof(*cx->chk));
	cx->chkname = dh_arena_zalloc(r->a, (size_t)(t->ncons + 1) * sizeof(*cx->chkname));
	cx->uk = dh_arena_zalloc(r->a, (size_t)(t->ncons + t->nidx + 2) * sizeof(*cx->uk));
	if (t->npk && !t->ncons) {
		/* a table made before constraint entities: :dh.sql/pk */
		cx->uk[cx->nuk++] =
		    (struct sqlc_ukey){.name = t->pkname, .ncols = t->npk, .cols = t->pk};
	}
	for (int i = 0; i < t->ncons; i++) {
		struct dh_sqlcon *c = &t->cons[i];
		if ((c->kind == 'p' || c->kind == 'u') && c->ncols) {
			int ok = 1;
			for (int k = 0; k < c->ncols; k++)
				ok &= c->cols[k] >= 0;
			if (ok)
				cx->uk[cx->nuk++] = (struct sqlc_ukey){.name = c->name,
								       .eid = c->eid,
								       .deferrable = c->deferrable,
								       .ncols = c->ncols,
								       .cols = c->cols};
		} else if (c->kind == 'c' && c->expr && checks) {
			const PgQuery__Node *e;
			if ((rc = dh__sqlc_parse_stored(r, c->expr, &e)) ||
			    (rc = dh__sqlc_compile_check(r, t, e, NULL, &cx->chk[cx->nchk])))
				return rc;
			cx->chkname[cx->nchk++] = c->name;
		}
	}
	for (int i = 0; i < t->nidx; i++) {
		struct dh_sqlindex *x = &t->idx[i];
		if (!x->unique || !x->ncols || x->ncols > 32)
			continue;
		struct sqlc_ukey *u = &cx->uk[cx->nuk];
		*u = (struct sqlc_ukey){.name = x->name, .ncols = x->ncols, .cols = x->cols};
		int expr = 0;
		for (int k = 0; k < x->ncols; k++)
			expr |= x->cols[k] < 0;
		if (expr) {
			u->types = dh_arena_zalloc(r->a, (size_t)(x->ncols + 1) * sizeof(*u->types));
			for (int k = 0; k < x->ncols; k++)
				u->types[k] = x->cols[k] >= 0 ? t->cols[x->cols[k]].type : 0;
			if (!x->keys)
				continue;
			if ((rc = ukey_exprs(cx, u, x->keys)))
				return rc;
		}
		cx->nuk++;
	}
	for (int i = 0; i < cx->nuk; i++) {
		struct sqlc_ukey *u = &cx->uk[i];
		if (u->types)
			continue;
		u->types = dh_arena_zalloc(r->a, (size_t)(u->ncols + 1) * sizeof(*u->types));
		for (int k = 0; k < u->ncols; k++)
			u->types[k] = t->cols[u->cols[k]].type;
	}
	return 0;
}

static void
ukset_free(struct ukset *s)
{
	free(s->keys);
	free(s->eids);
	free(s->slot);
	memset(s, 0, sizeof(*s));
}

void
dh__sqlcon_close(struct sqlc_con *cx)
{
	for (int i = 0; i < cx->nuk; i++) {
		ukset_free(&cx->uk[i].stmt);
		ukset_free(&cx->uk[i].have);
	}
	free(cx->log);
	cx->nuk = 0;
	cx->log = NULL;
}

int
dh__sqlcon_check(struct sqlc_con *cx, const struct dh_value *vals)
{
	struct dh__sqlrun *r = cx->r;
	struct dh_sqlx_run run = {.a = r->a,
				  .err = r->err,
				  .env = dh__sql_env(r->s),
				  .row = vals,
				  .ctx = r,
				  .call = dh__sqlc_call_hook};
	for (int i = 0; i < cx->nchk; i++) {
		struct dh_value v;
		int rc = dh_sqlx_eval(cx->chk[i], &run, &v);
		if (rc)
			return rc;
		if (v.type == DH_T_BOOL && !v.b) {
			dh_err_sql(r->err, "23514",
				   "new row for relation \"%s\" violates check constraint \"%s\"",
				   cx->t->name, cx->chkname[i]);
			struct dh_buf b;
			dh_buf_init(&b, 0);
			dh__sqlc_row_text(r, cx->t, vals, &b);
			dh_err_detail(r->err, "Failing row contains %s.", (const char *)b.p);
			dh_buf_release(&b);
			return DH_ESQL;
		}
	}
	return 0;
}

static uint64_t
ukey_hash(const struct sqlc_ukey *u, const struct dh_value *k)
{
	uint64_t h = 1469598103934665603ull;
	for (int i = 0; i < u->ncols; i++)
		h = (h ^ dh_sqltype_hash(u->types[i], &k[i])) * 1099511628211ull;
	return h;
}

/* The row of set s holding key k, or 0 (index + 1). */
static size_t
ukey_find(const struct sqlc_ukey *u, const struct ukset *s, const struct dh_value *k)
{
	if (!s->cap)
		return 0;
	size_t j = ukey_hash(u, k) & (s->cap - 1);
	while (s->slot[j]) {
		const struct dh_value *o = s->keys + (s->slot[j] - 1) * (size_t)u->ncols;
		int eq = 1;
		for (int i = 0; i < u->ncols && eq; i++)
			eq = dh_sqltype_cmp(u->types[i], &o[i], &k[i]) == 0;
		if (eq)
			return s->slot[j];
		j = (j + 1) & (s->cap - 1);
	}
	return 0;
}

static void
ukey_put(const struct sqlc_ukey *u, struct ukset *s, const struct dh_value *k, uint64_t e)
{
	int np = u->ncols;
	if ((s->n + 1) * 2 > s->cap) {
		size_t nc = s->cap ? 2 * s->cap : 64;
		size_t *ns = xcalloc(nc, sizeof(*ns));
		for (size_t i = 0; i < s->cap; i++)
			if (s->slot[i]) {
				size_t j = ukey_hash(u, s->keys + (s->slot[i] - 1) * (size_t)np) &
					   (nc - 1);
				while (ns[j])
					j = (j + 1) & (nc - 1);
				ns[j] = s->slot[i];
			}
		free(s->slot);
		s->slot = ns;
		s->cap = nc;
		s->keys = xrealloc(s->keys, nc * (size_t)np * sizeof(*s->keys));
		s->eids = xrealloc(s->eids, nc * sizeof(*s->eids));
	}
	size_t j = ukey_hash(u, k) & (s->cap - 1);
	while (s->slot[j])
		j = (j + 1) & (s->cap - 1);
	memcpy(s->keys + s->n * (size_t)np, k, (size_t)np * sizeof(*k));
	s->eids[s->n] = e;
	s->slot[j] = ++s->n;
}

/* Key u of a row (ncols + 1 values) into k; 1 if a part is NULL. */
static int
ukey_of(struct sqlc_con *cx, const struct sqlc_ukey *u, const struct dh_value *row,
	struct dh_value *k)
{
	struct dh__sqlrun *r = cx->r;
	int null = 0;
	for (int i = 0; i < u->ncols && i < 32; i++) {
		if (u->cols[i] >= 0) {
			k[i] = row[u->cols[i]];
		} else {
			struct dh_sqlx_run run = {.a = r->a,
						  .err = r->err,
						  .env = dh__sql_env(r->s),
						  .row = row,
						  .ctx = r,
						  .call = dh__sqlc_call_hook};
			int rc = dh_sqlx_eval(u->ex[i], &run, &k[i]);
			if (rc)
				return rc;
		}
		null |= k[i].type == DH_T_NONE;
	}
	return null;
}

/* An index on expressions: the keys of the rows the statement started
 * with. */
static int
ukey_load(struct sqlc_con *cx, struct sqlc_ukey *u)
{
	struct dh_value *rows, k[32];
	size_t n;
	int rc = dh__sqlc_all_rows(cx->r, cx->t, &rows, &n);
	size_t w = (size_t)cx->t->ncols + 1;
	for (size_t i = 0; i < n && rc >= 0; i++) {
		const struct dh_value *row = rows + i * w;
		if ((rc = ukey_of(cx, u, row, k)) == 0)
			ukey_put(u, &u->have, k, (uint64_t)row[w - 1].i);
	}
	u->loaded = 1;
	return rc < 0 ? rc : 0;
}

static int
logged(const struct sqlc_con *cx, uint64_t e)
{
	for (size_t i = 0; i < cx->nlog; i++)
		if (cx->log[i].e == e && cx->log[i].old)
			return 1;
	return 0;
}

int
dh__sqlcon_unique(struct sqlc_con *cx, const struct dh_value *vals, const struct dh_value *old,
		  uint64_t self, int only, int *which, uint64_t *holder)
{
	struct dh__sqlrun *r = cx->r;
	const struct dh_sqltable *t = cx->t;
	struct dh_value k[32], ok[32], sv[32];
	uint64_t attrs[32];
	int rc;
	for (int u = 0; u < cx->nuk; u++) {
		struct sqlc_ukey *uk = &cx->uk[u];
		if (only >= 0 && u != only)
			continue;
		if (only < 0 && uk->deferrable && dh__sqlcon_deferred(r->s, uk->eid, uk->deferrable)) {
			dh__sqlcon_pending(r->s, t->name, uk->eid);
			continue;
		}
		if ((rc = ukey_of(cx, uk, vals, k)) != 0) {
			if (rc < 0)
				return rc;
			continue; /* NULLs are distinct */
		}
		int same = 0;
		if (old) {
			if ((rc = ukey_of(cx, uk, old, ok)) < 0)
				return rc;
			same = rc == 0;
			for (int i = 0; i < uk->ncols && same; i++)
				same = ok[i].type == k[i].type && dh_value_eq(&ok[i], &k[i]);
		}
		if (same)
			continue; /* an unchanged key stays */
		size_t at = ukey_find(uk, &uk->stmt, k);
		if (at) {
			*which = u;
			*holder = uk->stmt.eids[at - 1];
			return 2;
		}
		if (uk->ex) {
			if (!uk->loaded && (rc = ukey_load(cx, uk)))
				return rc;
			at = ukey_find(uk, &uk->have, k);
			if (at && uk->have.eids[at - 1] != self &&
			    !logged(cx, uk->have.eids[at - 1])) {
				*which = u;
				*holder = uk->have.eids[at - 1];
				return 1;
			}
			continue;
		}
		for (int i = 0; i < uk->ncols && i < 32; i++) {
			const struct dh_sqlcol *c = &t->cols[uk->cols[i]];
			sv[i] = stored(cx->r, c, &k[i]);
			attrs[i] = c->attr;
		}
		uint64_t *es;
		size_t n;
		rc = find_key(r, dh_wtx_view(cx->w), uk->ncols, attrs, sv, self, 0, &es, &n);
		if (rc)
			return rc;
		for (size_t i = 0; i < n; i++) {
			/* a row this statement already changed has its new key in
			 * the statement's set */
			if (logged(cx, es[i]))
				continue;
			*which = u;
			*holder = es[i];
			return 1;
		}
	}
	return 0;
}

void
dh__sqlcon_unique_add(struct sqlc_con *cx, const struct dh_value *vals, uint64_t e)
{
	struct dh_value k[32];
	for (int u = 0; u < cx->nuk; u++) {
		struct sqlc_ukey *uk = &cx->uk[u];
		/* an expression's error was the check's */
		if (ukey_of(cx, uk, vals, k) == 0)
			ukey_put(uk, &uk->stmt, k, e);
	}
}

void
dh__sqlcon_key_text(struct sqlc_con *cx, int which, const struct dh_value *vals, struct dh_buf *b)
{
	struct sqlc_ukey *uk = &cx->uk[which];
	struct dh_value k[32];
	if (ukey_of(cx, uk, vals, k) < 0)
		return;
	dh_buf_adds(b, "Key (");
	for (int i = 0; i < uk->ncols; i++)
		dh_buf_printf(b, "%s%s", i ? ", " : "",
			      uk->ktext ? uk->ktext[i] : cx->t->cols[uk->cols[i]].name);
	dh_buf_adds(b, ")=(");
	for (int i = 0; i < uk->ncols; i++) {
		if (i)
			dh_buf_adds(b, ", ");
		if (k[i].type == DH_T_NONE)
			dh_buf_adds(b, "null");
		else
			dh_sqltype_out(uk->types[i], &k[i], dh__sql_env(cx->r->s), b);
	}
	dh_buf_addc(b, ')');
}

int
dh__sqlcon_unique_err(struct sqlc_con *cx, int which, const struct dh_value *vals)
{
	struct sqlc_ukey *uk = &cx->uk[which];
	dh_err_sql(cx->r->err, "23505", "duplicate key value violates unique constraint \"%s\"",
		   uk->name);
	struct dh_buf b;
	dh_buf_init(&b, 0);
	dh__sqlcon_key_text(cx, which, vals, &b);
	dh_err_detail(cx->r->err, "%s already exists.", (const char *)b.p);
	dh_buf_release(&b);
	return DH_ESQL;
}

int
dh__sqlcon_ukey_index(struct sqlc_con *cx, const char *name)
{
	for (int u = 0; u < cx->nuk; u++)
		if (strcmp(cx->uk[u].name, name) == 0)
			return u;
	return -1;
}

int
dh__sqlcon_dups(struct sqlc_con *cx, int u, const struct dh_value *rows, size_t n, size_t *dup)
{
	struct sqlc_ukey *uk = &cx->uk[u];
	size_t w = (size_t)cx->t->ncols + 1;
	struct ukset seen = {0};
	int rc = 0;
	for (size_t i = 0; i < n && rc == 0; i++) {
		const struct dh_value *row = &rows[i * w];
		struct dh_value k[32];
		if ((rc = ukey_of(cx, uk, row, k)) != 0) {
			rc = rc < 0 ? rc : 0; /* NULLs are distinct */
			continue;
		}
		if (ukey_find(uk, &seen, k)) {
			*dup = i;
			rc = 1;
		} else {
			ukey_put(uk, &seen, k, (uint64_t)row[w - 1].i);
		}
	}
	ukset_free(&seen);
	return rc;
}

const char *
dh__sqlcon_ukey_name(struct sqlc_con *cx, int u)
{
	return cx->uk[u].name;
}

int
dh__sqlcon_ukey_cols(struct sqlc_con *cx, int u, const int **cols, const char *const **ktext)
{
	*cols = cx->uk[u].cols;
	*ktext = cx->uk[u].ktext;
	return cx->uk[u].ncols;
}

int
dh__sqlcon_row(struct sqlc_con *cx, const struct dh_value *old, const struct dh_value *nu,
	       uint64_t e)
{
	int rc, which;
	uint64_t holder;
	if ((rc = dh__sqlcon_check(cx, nu)))
		return rc;
	rc = dh__sqlcon_unique(cx, nu, old, e, -1, &which, &holder);
	if (rc < 0)
		return rc;
	if (rc)
		return dh__sqlcon_unique_err(cx, which, nu);
	dh__sqlcon_unique_add(cx, nu, e);
	dh__sqlcon_log(cx, e, old, nu);
	return 0;
}

void
dh__sqlcon_log(struct sqlc_con *cx, uint64_t e, const struct dh_value *old,
	       const struct dh_value *nu)
{
	if (cx->nlog == cx->alog) {
		cx->alog = cx->alog ? 2 * cx->alog : 64;
		cx->log = xrealloc(cx->log, cx->alog * sizeof(*cx->log));
	}
	cx->log[cx->nlog++] = (struct sqlc_rowlog){e, old, nu};
}

/* --- foreign keys, after the statement's writes --- */

/* Convert key values between the two sides' types. */
static int
convert(struct dh__sqlrun *r, const struct dh_sqlcol *from, const struct dh_sqlcol *to,
	const struct dh_value *v, struct dh_value *out)
{
	if (v->type == DH_T_NONE || from->type == to->type) {
		*out = *v;
		return 0;
	}
	return dh_sqlcast_value(from->type, from->typmod, to->type, -1, 0, v, dh__sql_env(r->s),
				r->a, out, r->err);
}

static int
col_by_attr(const struct dh_sqltable *t, uint64_t a)
{
	for (int i = 0; i < t->ncols; i++)
		if (t->cols[i].attr == a)
			return i;
	return -1;
}

static int
table_by_name(struct sqlc_con *cx, const char *name, struct dh_sqltable **out)
{
	const struct dh_schema *sc;
	int rc = dh_wtx_schema(cx->w, &sc, cx->r->err);
	if (rc)
		return rc;
	return dh__sql_table(cx->r->s, dh_wtx_view(cx->w), sc, name, cx->r->a, out, cx->r->err);
}

static int
apply_ops(struct sqlc_con *cx, struct dh_txop *ops, size_t n)
{
	if (!n)
		return 0;
	struct dh_tx_report rep;
	return dh_wtx_apply(cx->w, ops, n, cx->r->a, &rep, cx->r->err);
}

/* The referencing side: the new row's key exists in the referenced
 * table. */
static int
fk_child(struct sqlc_con *cx, const struct dh_sqlcon *f, const struct sqlc_rowlog *l)
{
	struct dh__sqlrun *r = cx->r;
	const struct dh_sqltable *t = cx->t;
	int changed = l->old == NULL, null = 0;
	for (int k = 0; k < f->ncols; k++) {
		int c = f->cols[k];
		if (c < 0)
			return 0;
		null |= l->nu[c].type == DH_T_NONE;
		if (l->old &&
		    !(l->old[c].type == l->nu[c].type && dh_value_eq(&l->old[c], &l->nu[c])))
			changed = 1;
	}
	if (null || !changed)
		return 0;
	struct dh_sqltable *p;
	int rc = table_by_name(cx, f->reftable, &p);
	if (rc)
		return rc;
	struct dh_value key[32];
	for (int k = 0; k < f->ncols && k < 32; k++) {
		int pc = col_by_attr(p, f->refattrs[k]);
		if (pc < 0)
			return dh_err_sql(r->err, "XX000", "foreign key \"%s\" lost its columns",
					  f->name);
		if ((rc = convert(r, &t->cols[f->cols[k]], &p->cols[pc], &l->nu[f->cols[k]],
				  &key[k])))
			return rc;
		key[k] = stored(cx->r, &p->cols[pc], &key[k]);
	}
	uint64_t *es;
	size_t n;
	if ((rc = find_key(r, dh_wtx_view(cx->w), f->ncols, f->refattrs, key, 0, 1, &es, &n)))
		return rc;
	if (n)
		return 0;
	dh_err_sql(r->err, "23503",
		   "insert or update on table \"%s\" violates foreign key constraint \"%s\"",
		   t->name, f->name);
	struct dh_buf b;
	dh_buf_init(&b, 0);
	key_text(r, &b, t, f->ncols, f->cols, l->nu);
	dh_err_detail(r->err, "%s is not present in table \"%s\".", (const char *)b.p, f->reftable);
	dh_buf_release(&b);
	return DH_ESQL;
}

static int after(struct sqlc_con *cx, int depth);

/* The referenced side: rows of f->table referencing the old key of l,
 * which is gone. */
static int
fk_parent(struct sqlc_con *cx, const struct dh_sqlcon *f, const struct sqlc_rowlog *l, int depth)
{
	struct dh__sqlrun *r = cx->r;
	struct dh_sqltable *t = cx->t;
	int pcols[32], null = 0, changed = l->nu == NULL;
	if (f->ncols > 32)
		return 0;
	for (int k = 0; k < f->ncols; k++) {
		pcols[k] = col_by_attr(t, f->refattrs[k]);
		if (pcols[k] < 0)
			return 0;
		const struct dh_value *o = &l->old[pcols[k]];
		null |= o->type == DH_T_NONE;
		if (l->nu && !(o->type == l->nu[pcols[k]].type && dh_value_eq(o, &l->nu[pcols[k]])))
			changed = 1;
	}
	if (null || !changed)
		return 0;
	int rc;
	uint64_t *es;
	size_t n;
	struct dh_value key[32];
	/* NO ACTION: fine if another row has the key now */
	uint64_t attrs[32];
	for (int k = 0; k < f->ncols; k++) {
		attrs[k] = t->cols[pcols[k]].attr;
		key[k] = stored(cx->r, &t->cols[pcols[k]], &l->old[pcols[k]]);
	}
	if ((l->nu ? f->onupdate : f->ondelete) == 'a') {
		if ((rc = find_key(r, dh_wtx_view(cx->w), f->ncols, attrs, key, 0, 1, &es, &n)))
			return rc;
		if (n)
			return 0;
	}
	struct dh_sqltable *ct;
	if ((rc = table_by_name(cx, f->table, &ct)))
		return rc;
	int ccols[32];
	for (int k = 0; k < f->ncols; k++) {
		ccols[k] = col_by_attr(ct, f->attrs[k]);
		if (ccols[k] < 0)
			return 0;
		if ((rc = convert(r, &t->cols[pcols[k]], &ct->cols[ccols[k]], &l->old[pcols[k]],
				  &key[k])))
			return rc;
		key[k] = stored(cx->r, &ct->cols[ccols[k]], &key[k]);
	}
	if ((rc = find_key(r, dh_wtx_view(cx->w), f->ncols, f->attrs, key, 0, 0, &es, &n)))
		return rc;
	if (!n)
		return 0;
	char act = l->nu ? f->onupdate : f->ondelete;
	if (act == 'a' || act == 'r') {
		dh_err_sql(
		    r->err, "23503",
		    "update or delete on table \"%s\" violates foreign key constraint \"%s\" "
		    "on table \"%s\"",
		    t->name, f->name, f->table);
		struct dh_buf b;
		dh_buf_init(&b, 0);
		key_text(r, &b, t, f->ncols, pcols, l->old);
		dh_err_detail(r->err, "%s is still referenced from table \"%s\".",
			      (const char *)b.p, f->table);
		dh_buf_release(&b);
		return DH_ESQL;
	}
	if (depth > 64)
		return dh_err_sql(r->err, "54001", "foreign key actions nest too deeply");
	/* CASCADE, SET NULL, SET DEFAULT: change the referencing rows, then
	 * run their own keys */
	struct sqlc_con sub;
	if ((rc = dh__sqlcon_open(&sub, r, cx->w, ct, 0)))
		return rc;
	size_t nops = 0, aops = n * (size_t)(ct->ncols + 1) + 8;
	struct dh_txop *ops = xmalloc(aops * sizeof(*ops));
	for (size_t i = 0; i < n && rc == 0; i++) {
		struct dh_value *old = dh_arena_alloc(r->a, (size_t)(ct->ncols + 1) * sizeof(*old));
		if ((rc = dh__sqlc_read_row(r, dh_wtx_view(cx->w), ct, es[i], old)))
			break;
		if (act == 'c' && !l->nu) {
			for (int k = 0; k < ct->ncols; k++)
				if (old[k].type != DH_T_NONE)
					ops[nops++] =
					    (struct dh_txop){0, es[i], ct->cols[k].attr,
							     stored(cx->r, &ct->cols[k], &old[k])};
			if (ct->marker)
				ops[nops++] = (struct dh_txop){
				    0, es[i], ct->marker, {.type = DH_T_BOOL, .b = 1}};
			dh__sqlcon_log(&sub, es[i], old, NULL);
			continue;
		}
		struct dh_value *nu = dh_arena_alloc(r->a, (size_t)(ct->ncols + 1) * sizeof(*nu));
		memcpy(nu, old, (size_t)(ct->ncols + 1) * sizeof(*nu));
		for (int k = 0; k < f->ncols && rc == 0; k++) {
			const struct dh_sqlcol *cc = &ct->cols[ccols[k]];
			if (act == 'c')
				rc = convert(r, &t->cols[pcols[k]], cc, &l->nu[pcols[k]],
					     &nu[ccols[k]]);
			else if (act == 'n')
				nu[ccols[k]].type = DH_T_NONE;
			else
				rc = dh__sqlc_default_value(r, cc, &nu[ccols[k]]);
		}
		if (rc || (rc = dh__sqlc_check_notnull(r, ct, nu)))
			break;
		for (int k = 0; k < f->ncols && rc == 0; k++) {
			const struct dh_sqlcol *cc = &ct->cols[ccols[k]];
			struct dh_value sv;
			if (old[ccols[k]].type == nu[ccols[k]].type &&
			    (old[ccols[k]].type == DH_T_NONE ||
			     dh_value_eq(&old[ccols[k]], &nu[ccols[k]])))
				continue;
			if (old[ccols[k]].type != DH_T_NONE)
				ops[nops++] = (struct dh_txop){0, es[i], cc->attr,
							       stored(cx->r, cc, &old[ccols[k]])};
			if (nu[ccols[k]].type != DH_T_NONE) {
				if ((rc = dh__sqlc_storable(r, cc, &nu[ccols[k]], &sv)))
					break;
				ops[nops++] = (struct dh_txop){1, es[i], cc->attr, sv};
			}
		}
		dh__sqlcon_log(&sub, es[i], old, nu);
	}
	if (rc == 0)
		rc = apply_ops(cx, ops, nops);
	free(ops);
	if (rc == 0)
		rc = after(&sub, depth + 1);
	dh__sqlcon_close(&sub);
	return rc;
}

static int
after(struct sqlc_con *cx, int depth)
{
	int rc = 0;
	const struct dh_sqltable *t = cx->t;
	for (size_t i = 0; i < cx->nlog && rc == 0; i++) {
		const struct sqlc_rowlog *l = &cx->log[i];
		if (l->nu)
			for (int k = 0; k < t->ncons && rc == 0; k++) {
				const struct dh_sqlcon *f = &t->cons[k];
				if (f->kind != 'f')
					continue;
				if (f->deferrable && dh__sqlcon_deferred(cx->r->s, f->eid, f->deferrable))
					dh__sqlcon_pending(cx->r->s, t->name, f->eid);
				else
					rc = fk_child(cx, f, l);
			}
		if (l->old)
			for (int k = 0; k < t->nrefby && rc == 0; k++) {
				const struct dh_sqlcon *f = &t->refby[k];
				/* NO ACTION waits for the end; the actions run now */
				if (f->deferrable && (l->nu ? f->onupdate : f->ondelete) == 'a' &&
				    dh__sqlcon_deferred(cx->r->s, f->eid, f->deferrable))
					dh__sqlcon_pending(cx->r->s, f->table, f->eid);
				else
					rc = fk_parent(cx, f, l, depth);
			}
	}
	return rc;
}

int
dh__sqlcon_after(struct sqlc_con *cx)
{
	return after(cx, 0);
}

int
dh__sqlc_check_notnull(struct dh__sqlrun *r, const struct dh_sqltable *t,
		       const struct dh_value *vals)
{
	for (int i = 0; i < t->ncols; i++)
		if (t->cols[i].notnull && vals[i].type == DH_T_NONE) {
			dh_err_sql(
			    r->err, "23502",
			    "null value in column \"%s\" of relation \"%s\" violates not-null "
			    "constraint",
			    t->cols[i].name, t->name);
			struct dh_buf b;
			dh_buf_init(&b, 0);
			dh__sqlc_row_text(r, t, vals, &b);
			dh_err_detail(r->err, "Failing row contains %s.", (const char *)b.p);
			dh_buf_release(&b);
			return DH_ESQL;
		}
	return 0;
}

/* --- deferred constraints --- */

/* A transaction's deferred constraints: SET CONSTRAINTS' modes and the
 * constraints a statement skipped, each to check whole at COMMIT (or at
 * SET CONSTRAINTS ... IMMEDIATE).  A check reads every row of the table
 * (the unique key's, the foreign key's referencing one): what the
 * transaction did in between, and in which order, does not matter. */
struct dh__condefer {
	char all; /* SET CONSTRAINTS ALL: 'd' deferred, 'i' immediate, 0 as declared */
	struct cmode {
		uint64_t eid;
		char mode;
	} *set;
	size_t nset, aset;
	struct pend {
		char *table;
		uint64_t eid;
	} *pend;
	size_t npend, apend;
};

static struct dh__condefer *
condefer(struct dh_sql *s)
{
	struct dh__condefer **p = dh__sql_condefer(s);
	if (!*p)
		*p = xcalloc(1, sizeof(**p));
	return *p;
}

void
dh__sqlcon_txend(struct dh_sql *s)
{
	struct dh__condefer *d = *dh__sql_condefer(s);
	if (!d)
		return;
	for (size_t i = 0; i < d->npend; i++)
		free(d->pend[i].table);
	d->npend = 0;
	d->nset = 0;
	d->all = 0;
}

void
dh__sqlcon_defer_free(struct dh__condefer *d)
{
	if (!d)
		return;
	for (size_t i = 0; i < d->npend; i++)
		free(d->pend[i].table);
	free(d->pend);
	free(d->set);
	free(d);
}

int
dh__sqlcon_deferred(struct dh_sql *s, uint64_t eid, char declared)
{
	/* outside a transaction block a statement is its transaction: the
	 * end of the statement is the end of the transaction */
	if (!declared || !eid || dh_sql_txstatus(s) != 'T')
		return 0;
	struct dh__condefer *d = condefer(s);
	for (size_t i = d->nset; i-- > 0;)
		if (d->set[i].eid == eid)
			return d->set[i].mode == 'd';
	if (d->all)
		return d->all == 'd';
	return declared == 'd';
}

void
dh__sqlcon_pending(struct dh_sql *s, const char *table, uint64_t eid)
{
	struct dh__condefer *d = condefer(s);
	for (size_t i = 0; i < d->npend; i++)
		if (d->pend[i].eid == eid && strcmp(d->pend[i].table, table) == 0)
			return;
	if (d->npend == d->apend) {
		d->apend = d->apend ? 2 * d->apend : 8;
		d->pend = xrealloc(d->pend, d->apend * sizeof(*d->pend));
	}
	d->pend[d->npend++] = (struct pend){xstrdup(table), eid};
}

/* Check constraint eid of table (every row) now. */
static int
check_whole(struct dh__sqlrun *r, const char *table, uint64_t eid)
{
	struct dh_wtx *w;
	const struct dh_schema *sc;
	struct dh_sqltable *t;
	struct sqlc_con cx;
	struct dh_value *rows;
	size_t n;
	int rc;
	if ((rc = dh__sql_wtx(r->s, &w, r->err)) || (rc = dh_wtx_schema(w, &sc, r->err)))
		return rc;
	char kind;
	if ((rc = dh__sqlcat_relkind(dh_wtx_view(w), sc, table, r->a, &kind, r->err)))
		return rc;
	if (kind != 'r') /* dropped since */
		return 0;
	if ((rc = dh__sqlcat_table(dh_wtx_view(w), sc, table, r->a, &t, r->err)))
		return rc;
	const struct dh_sqlcon *c = NULL;
	for (int i = 0; i < t->ncons && !c; i++)
		if (t->cons[i].eid == eid)
			c = &t->cons[i];
	if (!c)
		return 0;
	if ((rc = dh__sqlcon_open(&cx, r, w, t, 0)))
		return rc;
	if ((rc = dh__sqlc_all_rows(r, t, &rows, &n)))
		goto out;
	size_t wd = (size_t)t->ncols + 1;
	if (c->kind == 'f') {
		for (size_t i = 0; i < n && rc == 0; i++) {
			struct sqlc_rowlog l = {(uint64_t)rows[i * wd + t->ncols].i, NULL,
						&rows[i * wd]};
			rc = fk_child(&cx, c, &l);
		}
		goto out;
	}
	int u = -1;
	for (int k = 0; k < cx.nuk && u < 0; k++)
		if (cx.uk[k].eid == eid)
			u = k;
	size_t dup;
	if (u >= 0 && (rc = dh__sqlcon_dups(&cx, u, rows, n, &dup)) > 0)
		rc = dh__sqlcon_unique_err(&cx, u, &rows[dup * wd]);
out:
	dh__sqlcon_close(&cx);
	return rc;
}

/* Check the pending constraints (only: those whose eid is in it, n of
 * them; NULL all) and forget them. */
static int
check_pending(struct dh_sql *s, const uint64_t *only, size_t nonly, struct dh_err *err)
{
	struct dh__condefer *d = *dh__sql_condefer(s);
	int rc = 0;
	if (!d || !d->npend)
		return 0;
	struct dh_arena a;
	dh_arena_init(&a);
	struct dh__sqlrun r = {.s = s, .text = "", .err = err, .a = &a};
	size_t keep = 0;
	for (size_t i = 0; i < d->npend; i++) {
		struct pend *p = &d->pend[i];
		int mine = !only;
		for (size_t k = 0; k < nonly && !mine; k++)
			mine = only[k] == p->eid;
		if (!mine || rc) {
			d->pend[keep++] = *p;
			continue;
		}
		rc = check_whole(&r, p->table, p->eid);
		free(p->table);
	}
	d->npend = keep;
	dh_arena_release(&a);
	return rc;
}

int
dh__sqlcon_commit(struct dh_sql *s, struct dh_err *err)
{
	return check_pending(s, NULL, 0, err);
}

int
dh__sqlc_set_constraints(struct dh__sqlrun *r, const PgQuery__ConstraintsSetStmt *st)
{
	struct dh_view *v;
	const struct dh_schema *sc;
	int rc;
	/* PostgreSQL's WarnNoTransactionBlock, before anything is looked at */
	if (!dh__sql_txblock(r->s))
		dh__sql_notice(r->s, "WARNING", "25P01", NULL,
			       "SET CONSTRAINTS can only be used in transaction blocks");
	char mode = st->deferred ? 'd' : 'i';
	struct dh__condefer *d = condefer(r->s);
	uint64_t *eids = dh_arena_zalloc(r->a, (st->n_constraints + 1) * 64 * sizeof(*eids));
	size_t neids = 0;
	if ((rc = dh__sql_view(r->s, &v, &sc, r->err)))
		return rc;
	const struct dh_attr *a_def = dh_schema_attr(sc, "dh.sql/deferrable", 17);
	for (size_t i = 0; i < st->n_constraints; i++) {
		const PgQuery__RangeVar *rv = st->constraints[i]->range_var;
		struct dh_value name = {.type = DH_T_STRING, .s = {rv->relname, strlen(rv->relname)}};
		uint64_t *es;
		size_t n;
		if ((rc = dh__sqlcat_having(v, sc, "dh.sql/constraint", &name, r->a, &es, &n,
					    r->err)))
			return rc;
		if (!n) {
			dh_err_sql(r->err, "42704", "constraint \"%s\" does not exist", rv->relname);
			return dh__sql_at(r, rv->location, DH_ESQL);
		}
		for (size_t k = 0; k < n; k++) {
			struct dh_datom *ds;
			size_t nd;
			int deferrable = 0;
			if ((rc = dh__sqlcat_entity(v, es[k], r->a, &ds, &nd, r->err)))
				return rc;
			for (size_t j = 0; j < nd; j++)
				deferrable |= a_def && ds[j].a == a_def->id;
			if (!deferrable) {
				dh_err_sql(r->err, "42809", "constraint \"%s\" is not deferrable",
					   rv->relname);
				return dh__sql_at(r, rv->location, DH_ESQL);
			}
			if (neids < (st->n_constraints + 1) * 64)
				eids[neids++] = es[k];
		}
	}
	if (st->n_constraints == 0) {
		d->all = mode;
		d->nset = 0;
	}
	for (size_t i = 0; i < neids; i++) {
		if (d->nset == d->aset) {
			d->aset = d->aset ? 2 * d->aset : 8;
			d->set = xrealloc(d->set, d->aset * sizeof(*d->set));
		}
		d->set[d->nset++] = (struct cmode){eids[i], mode};
	}
	/* IMMEDIATE: what was deferred so far is checked now */
	if (mode == 'i' &&
	    (rc = check_pending(r->s, st->n_constraints ? eids : NULL, neids, r->err)))
		return rc;
	return dh__sqlc_emit(r, "SET CONSTRAINTS", 0, NULL, NULL, 0);
}
