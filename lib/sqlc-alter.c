/*
 * sqlc-alter: ALTER TABLE (columns, defaults, NOT NULL, constraints),
 * RENAME (tables move every attribute to the new namespace; columns
 * rename their attribute), TRUNCATE, CREATE INDEX and CREATE VIEW.  All
 * of it is schema data written in the session's write transaction, so it
 * is transactional as in PostgreSQL.  Changes that must look at the rows
 * (ADD COLUMN's default, SET NOT NULL, ADD CONSTRAINT, CREATE UNIQUE
 * INDEX) read them through the statement compiler's plans.
 */
#include <pg_query.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "sqlc-int.h"

static int
open_table(struct dh__sqlrun *r, const char *name, int location, struct dh_wtx **w,
	   const struct dh_schema **sc, struct dh_sqltable **t)
{
	int rc;
	if ((rc = dh__sql_wtx(r->s, w, r->err)) || (rc = dh_wtx_schema(*w, sc, r->err)))
		return rc;
	if ((rc = dh__sqlcat_table(dh_wtx_view(*w), *sc, name, r->a, t, r->err)))
		return dh__sql_at(r, location, rc);
	return 0;
}

int
dh__sqlc_all_rows(struct dh__sqlrun *r, struct dh_sqltable *t, struct dh_value **rows, size_t *n)
{
	struct sqlc_sel S;
	dh__sqlc_sel_init(&S, r, NULL);
	PgQuery__RangeVar rv = PG_QUERY__RANGE_VAR__INIT;
	rv.relname = (char *)t->name;
	rv.location = -1;
	struct sqlc_rte *e;
	int rc = dh__sqlc_add_table(&S, &rv, &e);
	if (rc)
		return rc;
	for (int i = 0; i < e->t->ncols; i++)
		dh__sqlc_slot_of(&S, 0, i);
	dh__sqlc_slot_of(&S, 0, -1);
	return dh__sqlc_run_block(&S, rows, n);
}

static int
table_entity(struct dh__sqlrun *r, struct dh_sqltable *t)
{
	/* a Datalog namespace gets a table entity to hang constraints on */
	if (t->eid)
		return 0;
	struct dh_view *v;
	const struct dh_schema *sc;
	int rc;
	if ((rc = dh__sql_view(r->s, &v, &sc, r->err)) ||
	    (rc = dh__sqlcat_bootstrap(r->s, sc, r->a, r->err)))
		return rc;
	struct dh_buf b;
	dh_buf_init(&b, 0);
	dh_buf_adds(&b, "[{:dh.sql/table ");
	dh__sqlc_edn_str(&b, t->name);
	dh_buf_adds(&b, "}]");
	rc = dh__sql_transact_edn(r->s, (const char *)b.p, r->a, r->err);
	dh_buf_release(&b);
	if (rc || (rc = dh__sql_view(r->s, &v, &sc, r->err)))
		return rc;
	return dh__sqlcat_find(v, sc, "dh.sql/table", t->name, r->a, &t->eid, r->err);
}

/* Existing rows against new constraints cons[first..n) of t (already
 * written): CHECK, unique keys, foreign keys. */
static int
check_existing(struct dh__sqlrun *r, const char *table, struct sqlc_conspec *cons, int first, int n)
{
	struct dh_wtx *w;
	const struct dh_schema *sc;
	struct dh_sqltable *t;
	int rc = open_table(r, table, -1, &w, &sc, &t);
	if (rc)
		return rc;
	struct dh_value *rows;
	size_t nrows;
	if ((rc = dh__sqlc_all_rows(r, t, &rows, &nrows)))
		return rc;
	size_t rw = (size_t)t->ncols + 1;
	struct sqlc_con cx;
	if ((rc = dh__sqlcon_open(&cx, r, w, t, 0)))
		return rc;
	for (int i = first; i < n && rc == 0; i++) {
		struct sqlc_conspec *s = &cons[i];
		if (s->kind == 'c') {
			const PgQuery__Node *e;
			struct dh_sqlx *x;
			if ((rc = dh__sqlc_parse_stored(r, s->exprtext, &e)) ||
			    (rc = dh__sqlc_compile_check(r, t, e, NULL, &x)))
				break;
			struct dh_sqlx_run run = {.a = r->a,
						  .err = r->err,
						  .env = dh__sql_env(r->s),
						  .ctx = r,
						  .call = dh__sqlc_call_hook};
			for (size_t k = 0; k < nrows && rc == 0; k++) {
				struct dh_value v;
				run.row = rows + k * rw;
				if ((rc = dh_sqlx_eval(x, &run, &v)))
					break;
				if (v.type == DH_T_BOOL && !v.b) {
					rc = dh_err_sql(
					    r->err, "23514",
					    "check constraint \"%s\" of relation \"%s\" is "
					    "violated by some row",
					    s->name, t->name);
				}
			}
		} else if (s->kind == 'p' || s->kind == 'u') {
			int u = dh__sqlcon_ukey_index(&cx, s->name);
			for (size_t k = 0; u >= 0 && k < nrows && rc == 0; k++) {
				const struct dh_value *row = rows + k * rw;
				int which;
				uint64_t holder;
				rc = dh__sqlcon_unique(&cx, row, NULL, (uint64_t)row[t->ncols].i, u,
						       &which, &holder);
				if (rc > 0) {
					dh_err_sql(r->err, "23505",
						   "could not create unique index \"%s\"", s->name);
					struct dh_buf b;
					dh_buf_init(&b, 0);
					dh_buf_adds(&b, "Key (");
					for (int c = 0; c < s->ncols; c++)
						dh_buf_printf(&b, "%s%s", c ? ", " : "",
							      t->cols[s->cols[c]].name);
					dh_buf_adds(&b, ")=(");
					for (int c = 0; c < s->ncols; c++) {
						if (c)
							dh_buf_adds(&b, ", ");
						dh_sqltype_out(t->cols[s->cols[c]].type,
							       &row[s->cols[c]], dh__sql_env(r->s),
							       &b);
					}
					dh_err_detail(r->err, "%s) is duplicated.",
						      (const char *)b.p);
					dh_buf_release(&b);
					rc = DH_ESQL;
				}
			}
		}
	}
	/* foreign keys: every row as if inserted */
	int fk = 0;
	for (int i = first; i < n; i++)
		fk |= cons[i].kind == 'f';
	if (rc == 0 && fk) {
		struct sqlc_con fx;
		if ((rc = dh__sqlcon_open(&fx, r, w, t, 0)) == 0) {
			/* only the new keys: a table's other keys held before */
			struct dh_sqltable tt = *t;
			tt.cons = dh_arena_zalloc(r->a, (size_t)(t->ncons + 1) * sizeof(*tt.cons));
			tt.ncons = 0;
			for (int k = 0; k < t->ncons; k++)
				for (int i = first; i < n; i++)
					if (cons[i].kind == 'f' &&
					    strcmp(cons[i].name, t->cons[k].name) == 0)
						tt.cons[tt.ncons++] = t->cons[k];
			tt.nrefby = 0;
			fx.t = &tt;
			for (size_t k = 0; k < nrows; k++)
				dh__sqlcon_log(&fx, (uint64_t)rows[k * rw + (size_t)t->ncols].i,
					       NULL, rows + k * rw);
			rc = dh__sqlcon_after(&fx);
			dh__sqlcon_close(&fx);
		}
	}
	dh__sqlcon_close(&cx);
	return rc;
}

static int
col_index(const struct dh_sqltable *t, const char *name)
{
	for (int i = 0; i < t->ncols; i++)
		if (strcmp(t->cols[i].name, name) == 0)
			return i;
	return -1;
}

static int
no_column(struct dh__sqlrun *r, const char *col, const char *table)
{
	return dh_err_sql(r->err, "42703", "column \"%s\" of relation \"%s\" does not exist", col,
			  table);
}

static int
edn(struct dh__sqlrun *r, struct dh_buf *b)
{
	int rc = dh__sql_transact_edn(r->s, (const char *)b->p, r->a, r->err);
	dh_buf_release(b);
	return rc;
}

static int
add_column(struct dh__sqlrun *r, struct dh_sqltable *t, const PgQuery__AlterTableCmd *cmd)
{
	const PgQuery__ColumnDef *cd = cmd->def->column_def;
	int rc;
	if (col_index(t, cd->colname) >= 0) {
		if (cmd->missing_ok) {
			dh__sql_notice(r->s, "NOTICE", "42701", NULL,
				       "column \"%s\" of relation \"%s\" already exists, skipping",
				       cd->colname, t->name);
			return 0;
		}
		return dh_err_sql(r->err, "42701",
				  "column \"%s\" of relation \"%s\" already exists", cd->colname,
				  t->name);
	}
	struct sqlc_coldef c;
	struct sqlc_conspec *cons = NULL;
	int ncons = 0;
	if ((rc = dh__sqlc_coldef(r, t->name, cd, &c, &cons, &ncons)))
		return rc;
	if (c.serial || c.identity) {
		c.seqname = dh__sqlc_choose_name(r, t->name, c.name, "seq");
		if (c.serial)
			c.dflt = dh_arena_printf(r->a, "nextval('%s')", c.seqname);
	}
	struct dh_value *rows;
	size_t nrows;
	if ((rc = dh__sqlc_all_rows(r, t, &rows, &nrows)))
		return rc;
	if (c.notnull && !c.dflt && !c.identity && nrows)
		return dh_err_sql(r->err, "23502",
				  "column \"%s\" of relation \"%s\" contains null values", c.name,
				  t->name);
	struct dh_view *v;
	const struct dh_schema *sc;
	if ((rc = dh__sql_view(r->s, &v, &sc, r->err)) ||
	    (rc = dh__sqlcat_bootstrap(r->s, sc, r->a, r->err)))
		return rc;
	int maxord = t->ncols;
	struct dh_buf b;
	dh_buf_init(&b, 0);
	dh_buf_addc(&b, '[');
	dh__sqlc_column_edn(&b, t->name, &c, maxord + 1, 0);
	dh_buf_addc(&b, ']');
	if ((rc = edn(r, &b)))
		return rc;
	struct dh_wtx *w;
	struct dh_sqltable *nt;
	if ((rc = open_table(r, t->name, -1, &w, &sc, &nt)))
		return rc;
	int ci = col_index(nt, c.name);
	struct dh_sqlcol *col = &nt->cols[ci];
	if (c.serial || c.identity) {
		struct dh_sqlseq q = {.name = c.seqname, .type = c.oid, .inc = 1, .cache = 1};
		struct dh__seqopts o;
		if ((rc = dh__sqlseq_options(r, c.idopts, c.nidopts, &q, 1, &o)))
			return rc;
		q.owner = col->attr;
		if ((rc = dh__sqlseq_write(r, &q, 1)))
			return rc;
		dh_buf_init(&b, 0);
		dh_buf_printf(&b, "[[:db/add %llu :dh.sql/seq %llu]", (unsigned long long)col->attr,
			      (unsigned long long)q.eid);
		if (c.identity)
			dh_buf_printf(&b, "[:db/add %llu :dh.sql/identity \"%c\"]",
				      (unsigned long long)col->attr, c.identity);
		dh_buf_addc(&b, ']');
		if ((rc = edn(r, &b)) || (rc = open_table(r, t->name, -1, &w, &sc, &nt)))
			return rc;
		col = &nt->cols[ci];
	}
	/* existing rows get the default: a constant once, anything else per
	 * row (PostgreSQL 15) */
	if (c.dflt || c.identity) {
		struct dh_value cv = {.type = DH_T_NONE};
		int once = c.dflt_const && !c.identity && !c.serial;
		if (once && nrows && (rc = dh__sqlc_default_value(r, col, &cv)))
			return rc;
		size_t n = 0;
		struct dh_txop *ops = xmalloc((nrows + 1) * sizeof(*ops));
		for (size_t i = 0; i < nrows && rc == 0; i++) {
			struct dh_value x = cv, sv;
			if (!once && (rc = dh__sqlc_default_value(r, col, &x)))
				break;
			if (x.type == DH_T_NONE) {
				if (c.notnull)
					rc = dh_err_sql(
					    r->err, "23502",
					    "column \"%s\" of relation \"%s\" contains null "
					    "values",
					    c.name, t->name);
				continue;
			}
			if ((rc = dh__sqlc_storable(r, col, &x, &sv)))
				break;
			uint64_t e =
			    (uint64_t)rows[i * (size_t)(t->ncols + 1) + (size_t)t->ncols].i;
			ops[n++] = (struct dh_txop){1, e, col->attr, sv};
		}
		if (rc == 0 && n) {
			struct dh_tx_report rep;
			rc = dh_wtx_apply(w, ops, n, r->a, &rep, r->err);
		}
		free(ops);
		if (rc)
			return rc;
	}
	if (ncons) {
		if ((rc = table_entity(r, nt)) ||
		    (rc = dh__sqlc_resolve_cons(r, nt, cons, ncons, 0)) ||
		    (rc = dh__sqlc_resolve_fks(r, nt, cons, ncons, 0)) ||
		    (rc = dh__sqlc_write_cons(r, nt, cons, ncons, 0)) ||
		    (rc = check_existing(r, t->name, cons, 0, ncons)))
			return rc;
	}
	return 0;
}

static int
drop_column(struct dh__sqlrun *r, struct dh_wtx *w, const struct dh_schema *sc,
	    struct dh_sqltable *t, const PgQuery__AlterTableCmd *cmd)
{
	int ci = col_index(t, cmd->name), rc;
	if (ci < 0) {
		if (cmd->missing_ok) {
			dh__sql_notice(r->s, "NOTICE", "00000", NULL,
				       "column \"%s\" of relation \"%s\" does not exist, skipping",
				       cmd->name, t->name);
			return 0;
		}
		return no_column(r, cmd->name, t->name);
	}
	struct dh__sqlc_cascade casc = {0};
	const struct dh_sqlcol *c = &t->cols[ci];
	int cascade = cmd->behavior == PG_QUERY__DROP_BEHAVIOR__DROP_CASCADE;
	struct dh_buf b;
	dh_buf_init(&b, 0);
	dh_buf_addc(&b, '[');
	/* views reading the column */
	const char *col = dh_arena_printf(r->a, "column %s of table %s", c->name, t->name);
	uint64_t *vs;
	size_t nv;
	struct dh_value val = {.type = DH_T_REF, .ref = c->attr};
	if ((rc = dh__sqlcat_having(dh_wtx_view(w), sc, "dh.sql/depends", &val, r->a, &vs, &nv,
				    r->err))) {
		dh_buf_release(&b);
		return rc;
	}
	for (size_t i = 0; i < nv; i++) {
		struct dh_datom *ds;
		size_t n;
		const char *vname = "?";
		const struct dh_attr *va = dh_schema_attr(sc, "dh.sql/view", 11);
		if (dh__sqlcat_entity(dh_wtx_view(w), vs[i], r->a, &ds, &n, r->err) == 0)
			for (size_t k = 0; k < n; k++)
				if (va && ds[k].a == va->id)
					vname = dh_arena_strndup(r->a, ds[k].v.s.p, ds[k].v.s.n);
		dh__sqlc_cascade_add(r, &casc, vs[i], dh_arena_printf(r->a, "view %s", vname), col);
		dh_buf_printf(&b, "[:db/retractEntity %llu]", (unsigned long long)vs[i]);
	}
	/* constraints and indexes over the column go with it; foreign keys
	 * of other tables referencing it need CASCADE */
	for (int i = 0; i < t->nrefby; i++) {
		const struct dh_sqlcon *f = &t->refby[i];
		int uses = 0;
		for (int k = 0; k < f->ncols; k++)
			uses |= f->refattrs[k] == c->attr;
		if (!uses || f->table_eid == t->eid)
			continue;
		dh__sqlc_cascade_add(
		    r, &casc, f->eid,
		    dh_arena_printf(r->a, "constraint %s on table %s", f->name, f->table), col);
		dh_buf_printf(&b, "[:db/retractEntity %llu]", (unsigned long long)f->eid);
	}
	for (int i = 0; i < t->ncons; i++) {
		const struct dh_sqlcon *k = &t->cons[i];
		int uses = 0;
		for (int j = 0; j < k->ncols; j++)
			uses |= k->cols[j] == ci;
		if (k->kind == 'c' && k->expr && strstr(k->expr, c->name))
			uses = 1;
		if (uses)
			dh_buf_printf(&b, "[:db/retractEntity %llu]", (unsigned long long)k->eid);
		if (uses && k->kind == 'p' && t->eid)
			dh_buf_printf(&b, "[:db/retract %llu :dh.sql/pk \"%s\"]",
				      (unsigned long long)t->eid, "");
	}
	/* indexes over the column, as a key or in a key's expression */
	for (int i = 0; i < t->nidx; i++) {
		int uses = 0, expr = 0;
		for (int j = 0; j < t->idx[i].ncols; j++) {
			uses |= t->idx[i].cols[j] == ci;
			expr |= t->idx[i].cols[j] < 0;
		}
		if (uses || (expr && dh__sqlc_index_reads(r, &t->idx[i], c->name)))
			dh_buf_printf(&b, "[:db/retractEntity %llu]",
				      (unsigned long long)t->idx[i].eid);
	}
	if (c->seq)
		dh_buf_printf(&b, "[:db/retractEntity %llu]", (unsigned long long)c->seq);
	if ((rc = dh__sqlc_cascade_end(r, &casc, 1, cascade, col)) ||
	    (rc = dh__sqlc_retract_attr(r, w, c->attr))) {
		dh_buf_release(&b);
		return rc;
	}
	dh_buf_printf(&b, "[:db/add %llu :db/ident :dh.dropped.%s.%llu/%s]]",
		      (unsigned long long)c->attr, t->name, (unsigned long long)dh_wtx_tx(w),
		      c->name);
	/* the primary key's text on the table entity, if the column was in
	 * it, is stale: sqlcat reads the constraint entities first */
	return edn(r, &b);
}

static int
set_default(struct dh__sqlrun *r, struct dh_sqltable *t, const PgQuery__AlterTableCmd *cmd)
{
	int ci = col_index(t, cmd->name), rc;
	if (ci < 0)
		return no_column(r, cmd->name, t->name);
	const struct dh_sqlcol *c = &t->cols[ci];
	struct dh_buf b;
	dh_buf_init(&b, 0);
	dh_buf_addc(&b, '[');
	if (c->dflt) {
		dh_buf_printf(&b, "[:db/retract %llu :dh.sql/default ",
			      (unsigned long long)c->attr);
		dh__sqlc_edn_str(&b, c->dflt);
		dh_buf_addc(&b, ']');
	}
	if (cmd->def) {
		if (c->identity) {
			dh_buf_release(&b);
			return dh_err_sql(r->err, "42601",
					  "column \"%s\" of relation \"%s\" is an identity column",
					  c->name, t->name);
		}
		struct dh_sqlx_scope fs = {.ctx = r, .function = dh__sqlc_fn_hook};
		struct dh_sqlx_cc xc = {.a = r->a,
					.err = r->err,
					.env = dh__sql_env(r->s),
					.scope = &fs,
					.text = r->text};
		struct dh_sqlx *x;
		if ((rc = dh_sqlx_compile(&xc, cmd->def, &x)) ||
		    (rc = dh_sqlx_coerce(&xc, x, c->type, c->typmod, DH_CAST_ASSIGNMENT, c->name,
					 &x))) {
			dh_buf_release(&b);
			return rc;
		}
		const char *text = dh__sqlc_deparse_expr(r->a, cmd->def);
		dh_buf_printf(&b, "[:db/add %llu :dh.sql/default ", (unsigned long long)c->attr);
		dh__sqlc_edn_str(&b, text ? text : "NULL");
		dh_buf_addc(&b, ']');
	}
	dh_buf_addc(&b, ']');
	return edn(r, &b);
}

static int
set_notnull(struct dh__sqlrun *r, struct dh_sqltable *t, const PgQuery__AlterTableCmd *cmd, int on)
{
	int ci = col_index(t, cmd->name), rc;
	if (ci < 0)
		return no_column(r, cmd->name, t->name);
	const struct dh_sqlcol *c = &t->cols[ci];
	if (!on) {
		for (int i = 0; i < t->npk; i++)
			if (t->pk[i] == ci)
				return dh_err_sql(r->err, "42P16",
						  "column \"%s\" is in a primary key", c->name);
		if (c->identity)
			return dh_err_sql(r->err, "42P16",
					  "column \"%s\" of relation \"%s\" is an identity column",
					  c->name, t->name);
	} else {
		struct dh_value *rows;
		size_t n;
		if ((rc = dh__sqlc_all_rows(r, t, &rows, &n)))
			return rc;
		for (size_t i = 0; i < n; i++)
			if (rows[i * (size_t)(t->ncols + 1) + (size_t)ci].type == DH_T_NONE)
				return dh_err_sql(
				    r->err, "23502",
				    "column \"%s\" of relation \"%s\" contains null values",
				    c->name, t->name);
	}
	if (on == c->notnull)
		return 0;
	struct dh_buf b;
	dh_buf_init(&b, 0);
	dh_buf_printf(&b, "[[:db/%s %llu :dh.sql/notnull true]]", on ? "add" : "retract",
		      (unsigned long long)c->attr);
	return edn(r, &b);
}

static int
add_constraint(struct dh__sqlrun *r, struct dh_sqltable *t, const PgQuery__Constraint *cc)
{
	struct sqlc_conspec *cons = NULL;
	int ncons = 0, rc;
	if (cc->contype == PG_QUERY__CONSTR_TYPE__CONSTR_NOTNULL)
		return dh_err_sql(r->err, "0A000", "ADD CONSTRAINT ... NOT NULL is not supported");
	if ((rc = dh__sqlc_conspec(r, cc, &cons, &ncons, NULL)))
		return rc;
	struct sqlc_conspec *s = &cons[0];
	/* the key's columns are looked up first (42703), as PostgreSQL's
	 * transformIndexConstraint does before index_check_primary_key */
	if ((rc = table_entity(r, t)) || (rc = dh__sqlc_resolve_cons(r, t, cons, ncons, 0)))
		return rc;
	if (s->kind == 'p' && (t->npk || t->pkname)) {
		for (int i = 0; i < t->ncons; i++)
			if (t->cons[i].kind == 'p')
				return dh_err_sql(
				    r->err, "42P16",
				    "multiple primary keys for table \"%s\" are not allowed",
				    t->name);
	}
	if ((rc = dh__sqlc_resolve_fks(r, t, cons, ncons, 0)))
		return rc;
	if (s->kind == 'p') {
		struct dh_value *rows;
		size_t n;
		if ((rc = dh__sqlc_all_rows(r, t, &rows, &n)))
			return rc;
		struct dh_buf b;
		dh_buf_init(&b, 0);
		dh_buf_addc(&b, '[');
		for (int k = 0; k < s->ncols; k++) {
			int ci = s->cols[k];
			for (size_t i = 0; i < n; i++)
				if (rows[i * (size_t)(t->ncols + 1) + (size_t)ci].type ==
				    DH_T_NONE) {
					dh_buf_release(&b);
					return dh_err_sql(
					    r->err, "23502",
					    "column \"%s\" of relation \"%s\" contains null "
					    "values",
					    t->cols[ci].name, t->name);
				}
			if (!t->cols[ci].notnull)
				dh_buf_printf(&b, "[:db/add %llu :dh.sql/notnull true]",
					      (unsigned long long)t->cols[ci].attr);
		}
		dh_buf_printf(&b, "[:db/add %llu :dh.sql/pk ", (unsigned long long)t->eid);
		struct dh_buf pk;
		dh_buf_init(&pk, 0);
		for (int k = 0; k < s->ncols; k++)
			dh_buf_printf(&pk, "%s%s", k ? "," : "", t->cols[s->cols[k]].name);
		dh__sqlc_edn_str(&b, (const char *)pk.p);
		dh_buf_release(&pk);
		dh_buf_adds(&b, "]]");
		if ((rc = edn(r, &b)))
			return rc;
	}
	if ((rc = dh__sqlc_write_cons(r, t, cons, ncons, 0)) ||
	    (rc = check_existing(r, t->name, cons, 0, ncons)))
		return rc;
	if (s->kind == 'p' && s->ncols == 1 && s->cols[0] >= 0) {
		/* as CREATE TABLE makes it (and DROP CONSTRAINT takes it back):
		 * a one-column key is a unique identity, which the planner
		 * knows a point lookup of finds at most one row */
		struct dh_buf b;
		dh_buf_init(&b, 0);
		dh_buf_printf(&b, "[[:db/add %llu :db/unique :db.unique/identity]]",
			      (unsigned long long)t->cols[s->cols[0]].attr);
		rc = edn(r, &b);
	}
	return rc;
}

static int
drop_constraint(struct dh__sqlrun *r, struct dh_sqltable *t, const PgQuery__AlterTableCmd *cmd)
{
	const struct dh_sqlcon *k = NULL;
	struct dh__sqlc_cascade casc = {0};
	for (int i = 0; i < t->ncons && !k; i++)
		if (strcmp(t->cons[i].name, cmd->name) == 0)
			k = &t->cons[i];
	if (!k) {
		if (cmd->missing_ok) {
			dh__sql_notice(r->s, "NOTICE", "00000", NULL,
				       "constraint \"%s\" of relation \"%s\" does not exist, "
				       "skipping",
				       cmd->name, t->name);
			return 0;
		}
		return dh_err_sql(r->err, "42704",
				  "constraint \"%s\" of relation \"%s\" does not exist", cmd->name,
				  t->name);
	}
	struct dh_buf b;
	dh_buf_init(&b, 0);
	dh_buf_printf(&b, "[[:db/retractEntity %llu]", (unsigned long long)k->eid);
	if (k->kind == 'p' || k->kind == 'u') {
		/* foreign keys resting on this key */
		for (int i = 0; i < t->nrefby; i++) {
			const struct dh_sqlcon *f = &t->refby[i];
			int same = f->ncols == k->ncols;
			for (int j = 0; same && j < f->ncols; j++) {
				int in = 0;
				for (int m = 0; m < k->ncols; m++)
					in |= f->refattrs[j] == k->attrs[m];
				same = in;
			}
			if (!same)
				continue;
			dh__sqlc_cascade_add(
			    r, &casc, f->eid,
			    dh_arena_printf(r->a, "constraint %s on table %s", f->name, f->table),
			    dh_arena_printf(r->a, "index %s", k->name));
			dh_buf_printf(&b, "[:db/retractEntity %llu]", (unsigned long long)f->eid);
		}
		int rc = dh__sqlc_cascade_end(
		    r, &casc, 1, cmd->behavior == PG_QUERY__DROP_BEHAVIOR__DROP_CASCADE,
		    dh_arena_printf(r->a, "constraint %s on table %s", k->name, t->name));
		if (rc) {
			dh_buf_release(&b);
			return rc;
		}
	}
	if (k->kind == 'p' && k->ncols == 1 && k->cols[0] >= 0)
		/* CREATE TABLE made a one-column key a unique identity */
		dh_buf_printf(&b, "[:db/retract %llu :db/unique :db.unique/identity]",
			      (unsigned long long)t->cols[k->cols[0]].attr);
	if (k->kind == 'p' && t->eid) {
		/* the key's text goes too; its columns stay NOT NULL (as in
		 * PostgreSQL, whose columns keep attnotnull) */
		struct dh_view *v;
		const struct dh_schema *sc;
		struct dh_datom *ds;
		size_t n;
		if (dh__sql_view(r->s, &v, &sc, r->err) == 0 &&
		    dh__sqlcat_entity(v, t->eid, r->a, &ds, &n, r->err) == 0) {
			const struct dh_attr *pa = dh_schema_attr(sc, "dh.sql/pk", 9);
			for (size_t i = 0; i < n; i++)
				if (pa && ds[i].a == pa->id) {
					dh_buf_printf(&b, "[:db/retract %llu :dh.sql/pk ",
						      (unsigned long long)t->eid);
					char *txt =
					    dh_arena_strndup(r->a, ds[i].v.s.p, ds[i].v.s.n);
					dh__sqlc_edn_str(&b, txt);
					dh_buf_addc(&b, ']');
				}
		}
	}
	dh_buf_addc(&b, ']');
	return edn(r, &b);
}

/* 42804 from coercing to the column's new type, in ALTER TYPE's words. */
static int
retype_err(struct dh__sqlrun *r, int rc, const char *fmt, const char *col, const char *type,
	   const char *hint)
{
	if (rc != DH_ESQL ||
	    (strcmp(r->err->sqlstate, "42804") != 0 && strcmp(r->err->sqlstate, "42846") != 0))
		return rc;
	dh_err_clear(r->err);
	dh_err_sql(r->err, "42804", fmt, col, type);
	if (hint)
		dh_err_hint(r->err, "%s", hint);
	return DH_ESQL;
}

/* ALTER TYPE's converted rows (column ci of table copy t now of the new
 * type) against t's unique keys over the column and its CHECK
 * constraints, before anything is written (PostgreSQL rebuilds the
 * indexes and constraints). */
static int
retype_recheck(struct dh__sqlrun *r, struct sqlc_con *cx, int ci, const struct dh_value *rows,
	       size_t n)
{
	int rc = 0;
	size_t rw = (size_t)cx->t->ncols + 1;
	for (int u = 0; u < cx->nuk && rc == 0; u++) {
		const int *cols;
		const char *const *ktext;
		int nc = dh__sqlcon_ukey_cols(cx, u, &cols, &ktext), uses = 0;
		size_t dup;
		for (int k = 0; k < nc; k++)
			uses |= cols[k] == ci || cols[k] < 0;
		if (uses && (rc = dh__sqlcon_dups(cx, u, rows, n, &dup)) > 0) {
			struct dh_buf b;
			dh_buf_init(&b, 0);
			dh__sqlcon_key_text(cx, u, rows + dup * rw, &b);
			dh_err_sql(r->err, "23505", "could not create unique index \"%s\"",
				   dh__sqlcon_ukey_name(cx, u));
			dh_err_detail(r->err, "%s is duplicated.", (const char *)b.p);
			dh_buf_release(&b);
			rc = DH_ESQL;
		}
	}
	for (size_t i = 0; i < n && rc == 0; i++)
		if ((rc = dh__sqlcon_check(cx, rows + i * rw)) == DH_ESQL &&
		    strcmp(r->err->sqlstate, "23514") == 0) {
			/* PostgreSQL's words when it validates the rebuilt constraint */
			char name[256];
			const char *q = strstr(r->err->message, "check constraint \"");
			snprintf(name, sizeof(name), "%s", q ? q + 18 : "?");
			if (strchr(name, '"'))
				*strchr(name, '"') = 0;
			dh_err_clear(r->err);
			dh_err_sql(r->err, "23514",
				   "check constraint \"%s\" of relation \"%s\" is violated by some row",
				   name, cx->t->name);
		}
	return rc;
}

/* ALTER COLUMN TYPE [USING]: every value converted as an assignment
 * (or by USING), then written: where the storage type stays, the changed
 * values; else every value is retracted, the attribute's :db/valueType
 * changed (tx.c allows it once the attribute has no values) and the
 * converted values asserted, all in the statement's write transaction,
 * so an error leaves nothing changed.  History keeps the old values. */
static int
alter_type(struct dh__sqlrun *r, struct dh_wtx *w, const struct dh_schema *sc,
	   struct dh_sqltable *t, const PgQuery__AlterTableCmd *cmd)
{
	int ci = col_index(t, cmd->name), rc;
	if (ci < 0)
		return no_column(r, cmd->name, t->name);
	const struct dh_sqlcol *c = &t->cols[ci];
	const PgQuery__ColumnDef *cd = cmd->def->column_def;
	struct sqlc_coldef nd;
	struct sqlc_conspec *cons = NULL;
	int ncons = 0;
	PgQuery__ColumnDef tmp = *cd;
	tmp.colname = (char *)c->name;
	tmp.n_constraints = 0;
	tmp.raw_default = NULL;
	if (c->many)
		return dh_err_sql(r->err, "0A000",
				  "changing the type of cardinality-many attribute \"%s\" is not "
				  "supported",
				  c->name);
	if ((rc = dh__sqlc_coldef(r, t->name, &tmp, &nd, &cons, &ncons)))
		return rc;
	struct dh_sqlcol nc = *c;
	nc.type = nd.oid;
	nc.typmod = nd.typmod;
	nc.rep = dh__sqlcat_rep(nd.oid);
	struct dh_buf tb;
	dh_buf_init(&tb, 0);
	dh_sqltype_format(nd.oid, nd.typmod, 1, &tb);
	const char *tname = dh_arena_strndup(r->a, (const char *)tb.p, tb.len);
	dh_buf_release(&tb);
	if (nc.rep == DH_T_NONE)
		return dh_err_sql(r->err, "0A000", "columns of type %s are not supported yet",
				  tname);
	/* the conversion: USING's expression, else the column itself */
	struct dh_sqlx_scope scope;
	dh__sqlc_table_scope(&scope, t);
	struct dh_sqlx_cc cc = {
	    .a = r->a, .err = r->err, .env = dh__sql_env(r->s), .scope = &scope, .text = r->text};
	struct dh_sqlx *x;
	if (cd->raw_default) {
		if ((rc = dh_sqlx_compile(&cc, cd->raw_default, &x)))
			return rc;
		rc = dh_sqlx_coerce(&cc, x, nd.oid, nd.typmod, DH_CAST_ASSIGNMENT, NULL, &x);
		rc = retype_err(r, rc,
				"result of USING clause for column \"%s\" cannot be cast "
				"automatically to type %s",
				c->name, tname, "You might need to add an explicit cast.");
	} else {
		x = dh_sqlx_slot(r->a, ci, 0, c->type, c->typmod, NULL);
		rc = dh_sqlx_coerce(&cc, x, nd.oid, nd.typmod, DH_CAST_ASSIGNMENT, NULL, &x);
		if (rc == DH_ESQL) {
			char hint[512];
			snprintf(hint, sizeof(hint), "You might need to specify \"USING %s::%s\".",
				 c->name, tname);
			rc = retype_err(r, rc, "column \"%s\" cannot be cast automatically to type %s",
					c->name, tname, hint);
		}
	}
	if (rc)
		return dh__sql_at(r, -1, rc);
	if (c->dflt) {
		struct dh_sqlx *dx;
		rc = dh__sqlc_compile_default(r, &nc, &dx);
		if ((rc = retype_err(r, rc, "default for column \"%s\" cannot be cast automatically to "
					    "type %s",
				     c->name, tname, NULL)))
			return rc;
	}
	/* a view reading the column */
	uint64_t *vs;
	size_t nv;
	struct dh_value ref = {.type = DH_T_REF, .ref = c->attr};
	if ((rc = dh__sqlcat_having(dh_wtx_view(w), sc, "dh.sql/depends", &ref, r->a, &vs, &nv,
				    r->err)))
		return rc;
	if (nv) {
		struct dh_datom *ds;
		size_t n;
		const char *vname = "?";
		const struct dh_attr *va = dh_schema_attr(sc, "dh.sql/view", 11);
		if (dh__sqlcat_entity(dh_wtx_view(w), vs[0], r->a, &ds, &n, r->err) == 0)
			for (size_t k = 0; k < n; k++)
				if (va && ds[k].a == va->id)
					vname = dh_arena_strndup(r->a, ds[k].v.s.p, ds[k].v.s.n);
		dh_err_sql(r->err, "0A000", "cannot alter type of a column used by a view or rule");
		dh_err_detail(r->err, "rule _RETURN on view %s depends on column \"%s\"", vname,
			      c->name);
		return DH_ESQL;
	}
	if (nc.rep != c->rep) {
		/* keys compare stored values: both sides of a foreign key must
		 * keep one storage */
		int fk = 0;
		for (int i = 0; i < t->ncons; i++)
			for (int k = 0; t->cons[i].kind == 'f' && k < t->cons[i].ncols; k++)
				fk |= t->cons[i].cols[k] == ci;
		for (int i = 0; i < t->nrefby; i++)
			for (int k = 0; k < t->refby[i].ncols; k++)
				fk |= t->refby[i].refattrs[k] == c->attr;
		if (fk)
			return dh_err_sql(r->err, "0A000",
					  "changing the storage of column \"%s\" of a foreign key "
					  "(%s to %s) is not supported yet",
					  c->name, dh_type_name(c->rep), dh_type_name(nc.rep));
	}
	/* the constraints and unique keys over the new type (compiled now:
	 * PostgreSQL rebuilds them before it converts a value) */
	struct dh_sqltable tt = *t;
	tt.cols = dh_arena_alloc(r->a, (size_t)(t->ncols + 1) * sizeof(*tt.cols));
	memcpy(tt.cols, t->cols, (size_t)t->ncols * sizeof(*tt.cols));
	tt.cols[ci] = nc;
	struct sqlc_con cx;
	if ((rc = dh__sqlcon_open(&cx, r, w, &tt, 1))) {
		dh__sqlcon_close(&cx);
		return rc;
	}
	/* every value, converted before anything is written */
	struct dh_value *rows;
	size_t n;
	if ((rc = dh__sqlc_all_rows(r, t, &rows, &n))) {
		dh__sqlcon_close(&cx);
		return rc;
	}
	size_t rw = (size_t)t->ncols + 1, nops = 0, nret = 0;
	struct dh_value *nrows = dh_arena_alloc(r->a, (n + 1) * rw * sizeof(*nrows));
	memcpy(nrows, rows, n * rw * sizeof(*nrows));
	struct dh_txop *ops = xmalloc((2 * n + 1) * sizeof(*ops));
	struct dh_txop *ret = ops + n;
	struct dh_sqlx_run run = {.a = r->a,
				  .err = r->err,
				  .env = dh__sql_env(r->s),
				  .ctx = r,
				  .call = dh__sqlc_call_hook};
	for (size_t i = 0; i < n && rc == 0; i++) {
		const struct dh_value *row = rows + i * rw, *old = &row[ci];
		uint64_t e = (uint64_t)row[t->ncols].i;
		struct dh_value nval, sv, so;
		run.row = row;
		if ((rc = dh_sqlx_eval(x, &run, &nval)))
			break;
		nrows[i * rw + (size_t)ci] = nval;
		if (nval.type == DH_T_NONE && c->notnull) {
			rc = dh_err_sql(r->err, "23502",
					"column \"%s\" of relation \"%s\" contains null values",
					c->name, t->name);
			break;
		}
		if ((rc = dh__sqlc_storable(r, &nc, &nval, &sv)))
			break;
		if (old->type != DH_T_NONE) {
			if ((rc = dh__sqlc_storable(r, c, old, &so)))
				break;
			if (nc.rep == c->rep && sv.type == so.type && dh_value_eq(&sv, &so))
				continue;
			if (nc.rep != c->rep || sv.type == DH_T_NONE)
				ret[nret++] = (struct dh_txop){0, e, c->attr, so};
		}
		if (sv.type != DH_T_NONE)
			ops[nops++] = (struct dh_txop){1, e, c->attr, sv};
	}
	if (rc == 0)
		rc = retype_recheck(r, &cx, ci, nrows, n);
	dh__sqlcon_close(&cx);
	struct dh_tx_report rep;
	if (rc == 0 && nret)
		rc = dh_wtx_apply(w, ret, nret, r->a, &rep, r->err);
	struct dh_buf b;
	dh_buf_init(&b, 0);
	dh_buf_printf(&b, "[[:db/add %llu :dh.sql/type ", (unsigned long long)c->attr);
	dh__sqlc_edn_str(&b, tname);
	dh_buf_addc(&b, ']');
	if (nc.rep != c->rep)
		dh_buf_printf(&b, "[:db/add %llu :db/valueType :db.type/%s]",
			      (unsigned long long)c->attr, dh_type_name(nc.rep));
	dh_buf_addc(&b, ']');
	if (rc == 0)
		rc = edn(r, &b);
	else
		dh_buf_release(&b);
	if (rc == 0 && nops)
		rc = dh_wtx_apply(w, ops, nops, r->a, &rep, r->err);
	free(ops);
	return rc;
}

int
dh__sqlc_alter_table(struct dh__sqlrun *r, const PgQuery__AlterTableStmt *st)
{
	const PgQuery__RangeVar *rv = st->relation;
	int rc;
	if (st->objtype != PG_QUERY__OBJECT_TYPE__OBJECT_TABLE)
		return 1;
	if (rv->schemaname && *rv->schemaname && strcmp(rv->schemaname, "public") != 0) {
		dh_err_sql(r->err, "3F000", "schema \"%s\" does not exist", rv->schemaname);
		return dh__sql_at(r, rv->location, DH_ESQL);
	}
	for (size_t i = 0; i < st->n_cmds; i++) {
		const PgQuery__AlterTableCmd *cmd = st->cmds[i]->alter_table_cmd;
		struct dh_wtx *w;
		const struct dh_schema *sc;
		struct dh_sqltable *t;
		if ((rc = dh__sql_wtx(r->s, &w, r->err)) || (rc = dh_wtx_schema(w, &sc, r->err)))
			return rc;
		rc = dh__sqlcat_table(dh_wtx_view(w), sc, rv->relname, r->a, &t, r->err);
		if (rc) {
			if (st->missing_ok) {
				dh__sql_notice(r->s, "NOTICE", "00000", NULL,
					       "relation \"%s\" does not exist, skipping",
					       rv->relname);
				return dh__sqlc_emit(r, "ALTER TABLE", 0, NULL, NULL, 0);
			}
			return dh__sql_at(r, rv->location, rc);
		}
		switch (cmd->subtype) {
		case PG_QUERY__ALTER_TABLE_TYPE__AT_AddColumn:
			rc = add_column(r, t, cmd);
			break;
		case PG_QUERY__ALTER_TABLE_TYPE__AT_DropColumn:
			rc = drop_column(r, w, sc, t, cmd);
			break;
		case PG_QUERY__ALTER_TABLE_TYPE__AT_ColumnDefault:
			rc = set_default(r, t, cmd);
			break;
		case PG_QUERY__ALTER_TABLE_TYPE__AT_SetNotNull:
			rc = set_notnull(r, t, cmd, 1);
			break;
		case PG_QUERY__ALTER_TABLE_TYPE__AT_DropNotNull:
			rc = set_notnull(r, t, cmd, 0);
			break;
		case PG_QUERY__ALTER_TABLE_TYPE__AT_AddConstraint:
			rc = add_constraint(r, t, cmd->def->constraint);
			break;
		case PG_QUERY__ALTER_TABLE_TYPE__AT_DropConstraint:
			rc = drop_constraint(r, t, cmd);
			break;
		case PG_QUERY__ALTER_TABLE_TYPE__AT_AlterColumnType:
			rc = alter_type(r, w, sc, t, cmd);
			break;
		default:
			rc = dh_err_sql(r->err, "0A000",
					"this form of ALTER TABLE is not supported yet");
			break;
		}
		if (rc)
			return rc;
	}
	return dh__sqlc_emit(r, "ALTER TABLE", 0, NULL, NULL, 0);
}

/* --- RENAME --- */

static int
rename_table(struct dh__sqlrun *r, struct dh_sqltable *t, const char *to, int location)
{
	int rc;
	if ((rc = dh__sqlc_name_ok(r, "table", to, location)) ||
	    (rc = dh__sqlc_relation_exists(r, to, -1)))
		return rc;
	struct dh_buf b;
	dh_buf_init(&b, 0);
	dh_buf_addc(&b, '[');
	for (int i = 0; i < t->ncols; i++)
		dh_buf_printf(&b, "[:db/add %llu :db/ident :%s/%s]",
			      (unsigned long long)t->cols[i].attr, dh__sqlcat_kw(r->a, to),
			      dh__sqlcat_kw(r->a, t->cols[i].name));
	if (t->marker)
		dh_buf_printf(&b, "[:db/add %llu :db/ident :%s/db-row]",
			      (unsigned long long)t->marker, dh__sqlcat_kw(r->a, to));
	if (t->eid) {
		dh_buf_printf(&b, "[:db/add %llu :dh.sql/table ", (unsigned long long)t->eid);
		dh__sqlc_edn_str(&b, to);
		dh_buf_addc(&b, ']');
	}
	dh_buf_addc(&b, ']');
	return edn(r, &b);
}

static int
rename_named(struct dh__sqlrun *r, const char *attr, const char *from, const char *to,
	     const char *what, int missing_ok)
{
	struct dh_view *v;
	const struct dh_schema *sc;
	uint64_t e;
	int rc;
	if ((rc = dh__sql_view(r->s, &v, &sc, r->err)) ||
	    (rc = dh__sqlcat_find(v, sc, attr, from, r->a, &e, r->err)))
		return rc;
	if (!e && missing_ok) {
		dh__sql_notice(r->s, "NOTICE", "00000", NULL,
			       "relation \"%s\" does not exist, skipping", from);
		return 0;
	}
	if (!e)
		return dh_err_sql(r->err, "42P01", "%s \"%s\" does not exist", what, from);
	if ((rc = dh__sqlc_relation_exists(r, to, -1)))
		return rc;
	struct dh_buf b;
	dh_buf_init(&b, 0);
	dh_buf_printf(&b, "[[:db/add %llu :%s ", (unsigned long long)e, attr);
	dh__sqlc_edn_str(&b, to);
	dh_buf_adds(&b, "]]");
	return edn(r, &b);
}

int
dh__sqlc_rename(struct dh__sqlrun *r, const PgQuery__RenameStmt *st)
{
	const PgQuery__RangeVar *rv = st->relation;
	struct dh_wtx *w;
	const struct dh_schema *sc;
	struct dh_sqltable *t;
	int rc;
	switch (st->rename_type) {
	case PG_QUERY__OBJECT_TYPE__OBJECT_SEQUENCE:
		if ((rc = rename_named(r, "dh.sql/sequence", rv->relname, st->newname, "relation",
				       st->missing_ok)))
			return rc;
		return dh__sqlc_emit(r, "ALTER SEQUENCE", 0, NULL, NULL, 0);
	case PG_QUERY__OBJECT_TYPE__OBJECT_VIEW:
		if ((rc = rename_named(r, "dh.sql/view", rv->relname, st->newname, "relation",
				       st->missing_ok)))
			return rc;
		return dh__sqlc_emit(r, "ALTER VIEW", 0, NULL, NULL, 0);
	case PG_QUERY__OBJECT_TYPE__OBJECT_INDEX:
		if ((rc = rename_named(r, "dh.sql/index", rv->relname, st->newname, "relation",
				       st->missing_ok)))
			return rc;
		return dh__sqlc_emit(r, "ALTER INDEX", 0, NULL, NULL, 0);
	case PG_QUERY__OBJECT_TYPE__OBJECT_TABLE:
	case PG_QUERY__OBJECT_TYPE__OBJECT_COLUMN:
	case PG_QUERY__OBJECT_TYPE__OBJECT_TABCONSTRAINT:
		break;
	default:
		return 1;
	}
	if ((rc = dh__sql_wtx(r->s, &w, r->err)) || (rc = dh_wtx_schema(w, &sc, r->err)))
		return rc;
	if ((rc = dh__sqlcat_table(dh_wtx_view(w), sc, rv->relname, r->a, &t, r->err))) {
		if (st->missing_ok) {
			dh__sql_notice(r->s, "NOTICE", "00000", NULL,
				       "relation \"%s\" does not exist, skipping", rv->relname);
			return dh__sqlc_emit(r, "ALTER TABLE", 0, NULL, NULL, 0);
		}
		return dh__sql_at(r, rv->location, rc);
	}
	if (st->rename_type == PG_QUERY__OBJECT_TYPE__OBJECT_TABLE) {
		if ((rc = rename_table(r, t, st->newname, rv->location)))
			return rc;
		return dh__sqlc_emit(r, "ALTER TABLE", 0, NULL, NULL, 0);
	}
	if (st->rename_type == PG_QUERY__OBJECT_TYPE__OBJECT_TABCONSTRAINT) {
		const struct dh_sqlcon *k = NULL;
		for (int i = 0; i < t->ncons && !k; i++)
			if (strcmp(t->cons[i].name, st->subname) == 0)
				k = &t->cons[i];
		if (!k)
			return dh_err_sql(r->err, "42704",
					  "constraint \"%s\" for table \"%s\" does not exist",
					  st->subname, t->name);
		for (int i = 0; i < t->ncons; i++)
			if (strcmp(t->cons[i].name, st->newname) == 0)
				return dh_err_sql(
				    r->err, "42710",
				    "constraint \"%s\" for relation \"%s\" already exists",
				    st->newname, t->name);
		struct dh_buf b;
		dh_buf_init(&b, 0);
		dh_buf_printf(&b, "[[:db/add %llu :dh.sql/constraint ", (unsigned long long)k->eid);
		dh__sqlc_edn_str(&b, st->newname);
		dh_buf_adds(&b, "]]");
		if ((rc = edn(r, &b)))
			return rc;
		return dh__sqlc_emit(r, "ALTER TABLE", 0, NULL, NULL, 0);
	}
	int ci = col_index(t, st->subname);
	if (ci < 0) {
		dh_err_sql(r->err, "42703", "column \"%s\" does not exist", st->subname);
		return DH_ESQL;
	}
	if (col_index(t, st->newname) >= 0 || strcmp(st->newname, "db_id") == 0)
		return dh_err_sql(r->err, "42701",
				  "column \"%s\" of relation \"%s\" already exists", st->newname,
				  t->name);
	if ((rc = dh__sqlc_name_ok(r, "column", st->newname, -1)))
		return rc;
	struct dh_buf b;
	dh_buf_init(&b, 0);
	dh_buf_printf(&b, "[[:db/add %llu :db/ident :%s/%s]", (unsigned long long)t->cols[ci].attr,
		      dh__sqlcat_kw(r->a, t->name), dh__sqlcat_kw(r->a, st->newname));
	/* :dh.sql/pk names the key's columns */
	if (t->eid && t->npk) {
		struct dh_buf pk;
		dh_buf_init(&pk, 0);
		int in = 0;
		for (int k = 0; k < t->npk; k++) {
			in |= t->pk[k] == ci;
			dh_buf_printf(&pk, "%s%s", k ? "," : "",
				      t->pk[k] == ci ? st->newname : t->cols[t->pk[k]].name);
		}
		if (in) {
			dh_buf_printf(&b, "[:db/add %llu :dh.sql/pk ", (unsigned long long)t->eid);
			dh__sqlc_edn_str(&b, (const char *)pk.p);
			dh_buf_addc(&b, ']');
		}
		dh_buf_release(&pk);
	}
	dh_buf_addc(&b, ']');
	if ((rc = edn(r, &b)))
		return rc;
	return dh__sqlc_emit(r, "ALTER TABLE", 0, NULL, NULL, 0);
}

/* --- TRUNCATE --- */

int
dh__sqlc_truncate(struct dh__sqlrun *r, const PgQuery__TruncateStmt *st)
{
	struct dh_wtx *w;
	const struct dh_schema *sc;
	int rc;
	if ((rc = dh__sql_wtx(r->s, &w, r->err)) || (rc = dh_wtx_schema(w, &sc, r->err)))
		return rc;
	int cap = (int)st->n_relations + 8, n = 0;
	struct dh_sqltable **ts = dh_arena_zalloc(r->a, (size_t)cap * sizeof(*ts));
	for (size_t i = 0; i < st->n_relations; i++) {
		const PgQuery__RangeVar *rv = st->relations[i]->range_var;
		if ((rc = dh__sqlcat_table(dh_wtx_view(w), sc, rv->relname, r->a, &ts[n], r->err)))
			return dh__sql_at(r, rv->location, rc);
		n++;
	}
	int cascade = st->behavior == PG_QUERY__DROP_BEHAVIOR__DROP_CASCADE;
	for (int k = 0; k < n; k++)
		for (int i = 0; i < ts[k]->nrefby; i++) {
			const struct dh_sqlcon *f = &ts[k]->refby[i];
			int in = 0;
			for (int j = 0; j < n; j++)
				in |= ts[j]->eid == f->table_eid;
			if (in)
				continue;
			if (!cascade) {
				dh_err_sql(r->err, "0A000",
					   "cannot truncate a table referenced in a foreign key "
					   "constraint");
				dh_err_detail(r->err, "Table \"%s\" references \"%s\".", f->table,
					      ts[k]->name);
				dh_err_hint(
				    r->err,
				    "Truncate table \"%s\" at the same time, or use TRUNCATE ... "
				    "CASCADE.",
				    f->table);
				return DH_ESQL;
			}
			if (n == cap) {
				cap *= 2;
				struct dh_sqltable **nts =
				    dh_arena_alloc(r->a, (size_t)cap * sizeof(*nts));
				memcpy(nts, ts, (size_t)n * sizeof(*nts));
				ts = nts;
			}
			if ((rc = dh__sqlcat_table(dh_wtx_view(w), sc, f->table, r->a, &ts[n],
						   r->err)))
				return rc;
			n++;
			dh__sql_notice(r->s, "NOTICE", "00000", NULL,
				       "truncate cascades to table \"%s\"", f->table);
		}
	for (int k = 0; k < n; k++) {
		struct dh_sqltable *t = ts[k];
		for (int i = 0; i < t->ncols; i++)
			if ((rc = dh__sqlc_retract_attr(r, w, t->cols[i].attr)))
				return rc;
		if (t->marker && (rc = dh__sqlc_retract_attr(r, w, t->marker)))
			return rc;
		/* emptied as a new relfilenode is in PostgreSQL: COPY FREEZE
		 * may fill it (sqlc-copy.c) */
		dh__sqlsess_newrel(r->s, w, t->eid, 0);
		if (!st->restart_seqs)
			continue;
		for (int i = 0; i < t->ncols; i++) {
			if (!t->cols[i].seq)
				continue;
			struct dh_sqlseq q;
			if ((rc = dh_wtx_schema(w, &sc, r->err)))
				return rc;
			rc = dh__sqlcat_seq_eid(dh_wtx_view(w), sc, t->cols[i].seq, r->a, &q,
						r->err);
			if (rc < 0)
				return rc;
			if (rc == 0 &&
			    (rc = dh__sqlseq_state(w, sc, q.eid, q.start, 0, r->a, r->err)))
				return rc;
		}
	}
	return dh__sqlc_emit(r, "TRUNCATE TABLE", 0, NULL, NULL, 0);
}

/* --- CREATE INDEX --- */

int
dh__sqlc_create_index(struct dh__sqlrun *r, const PgQuery__IndexStmt *st)
{
	const PgQuery__RangeVar *rv = st->relation;
	struct dh_wtx *w;
	const struct dh_schema *sc;
	struct dh_sqltable *t;
	int rc;
	if (st->where_clause || st->n_index_including_params)
		return dh_err_sql(r->err, "0A000",
				  "partial indexes and INCLUDE are not supported yet");
	if ((rc = open_table(r, rv->relname, rv->location, &w, &sc, &t)))
		return rc;
	int n = (int)st->n_index_params;
	if (st->unique && n > 32)
		return dh_err_sql(r->err, "54011", "cannot use more than 32 columns in an index");
	int *cols = dh_arena_alloc(r->a, (size_t)(n + 1) * sizeof(int));
	struct dh_buf keys, names, ids;
	dh_buf_init(&keys, 0);
	dh_buf_init(&names, 0);
	dh_buf_init(&ids, 0);
	for (int i = 0; i < n; i++) {
		const PgQuery__IndexElem *ie = st->index_params[i]->index_elem;
		if (i) {
			dh_buf_adds(&keys, ", ");
			dh_buf_addc(&names, '_');
			dh_buf_addc(&ids, ',');
		}
		if (ie->name && *ie->name) {
			cols[i] = col_index(t, ie->name);
			if (cols[i] < 0) {
				dh_buf_release(&keys);
				dh_buf_release(&names);
				dh_buf_release(&ids);
				return dh_err_sql(r->err, "42703", "column \"%s\" does not exist",
						  ie->name);
			}
			dh_buf_adds(&keys, ie->name);
			dh_buf_adds(&names, ie->name);
			dh_buf_printf(&ids, "%llu", (unsigned long long)t->cols[cols[i]].attr);
		} else {
			/* an expression: recorded; a unique index's is enforced
			 * by evaluating it (sqlc-con.c) */
			cols[i] = -1;
			struct dh_sqlx *ex;
			if ((rc = dh__sqlc_index_expr(r, t, ie->expr, &ex)))
				goto out;
			const char *x = dh__sqlc_deparse_expr(r->a, ie->expr);
			dh_buf_adds(&keys, x ? x : "?");
			const char *fn =
			    ie->expr->node_case == PG_QUERY__NODE__NODE_FUNC_CALL
				? dh__sqlc_str(ie->expr->func_call
						   ->funcname[ie->expr->func_call->n_funcname - 1])
				: "expr";
			dh_buf_adds(&names, fn ? fn : "expr");
			dh_buf_addc(&ids, '0');
		}
		if (ie->ordering == PG_QUERY__SORT_BY_DIR__SORTBY_DESC)
			dh_buf_adds(&keys, " DESC");
	}
	const char *name = st->idxname && *st->idxname
			       ? st->idxname
			       : dh__sqlc_choose_name(r, t->name, (const char *)names.p, "idx");
	char kind;
	if ((rc = dh__sqlcat_relkind(dh_wtx_view(w), sc, name, r->a, &kind, r->err)))
		goto out;
	if (kind) {
		if (st->if_not_exists) {
			dh__sql_notice(r->s, "NOTICE", "42P07", NULL,
				       "relation \"%s\" already exists, skipping", name);
			goto done;
		}
		rc = dh_err_sql(r->err, "42P07", "relation \"%s\" already exists", name);
		goto out;
	}
	if ((rc = table_entity(r, t)) || (rc = dh__sqlcat_bootstrap(r->s, sc, r->a, r->err)))
		goto out;
	/* a unique index must hold now: checked as the only key of a copy
	 * of the table */
	if (st->unique) {
		struct dh_value *rows;
		size_t nrows;
		if ((rc = dh__sqlc_all_rows(r, t, &rows, &nrows)))
			goto out;
		struct dh_sqltable tt = *t;
		struct dh_sqlindex ix = {.name = name, .unique = 1, .ncols = n, .cols = cols,
					 .keys = (const char *)keys.p};
		tt.idx = &ix;
		tt.nidx = 1;
		tt.ncons = 0;
		tt.npk = 0;
		struct sqlc_con cx;
		if ((rc = dh__sqlcon_open(&cx, r, w, &tt, 0)))
			goto out;
		for (size_t k = 0; k < nrows && rc == 0; k++) {
			const struct dh_value *row = rows + k * (size_t)(t->ncols + 1);
			int which;
			uint64_t holder;
			rc = dh__sqlcon_unique(&cx, row, NULL, (uint64_t)row[t->ncols].i, 0, &which,
					       &holder);
			if (rc > 0) {
				dh_err_sql(r->err, "23505", "could not create unique index \"%s\"",
					   name);
				struct dh_buf b;
				dh_buf_init(&b, 0);
				dh__sqlcon_key_text(&cx, 0, row, &b);
				dh_err_detail(r->err, "%s is duplicated.", (const char *)b.p);
				dh_buf_release(&b);
				rc = DH_ESQL;
			}
		}
		dh__sqlcon_close(&cx);
		if (rc)
			goto out;
	}
	struct dh_buf b;
	dh_buf_init(&b, 0);
	dh_buf_adds(&b, "[{:dh.sql/index ");
	dh__sqlc_edn_str(&b, name);
	dh_buf_printf(&b, " :dh.sql/on %llu :dh.sql/unique %s :dh.sql/keys ",
		      (unsigned long long)t->eid, st->unique ? "true" : "false");
	dh__sqlc_edn_str(&b, (const char *)keys.p);
	dh_buf_adds(&b, " :dh.sql/columns ");
	dh__sqlc_edn_str(&b, (const char *)ids.p);
	dh_buf_adds(&b, "}]");
	rc = edn(r, &b);
	if (rc)
		goto out;
done:
	rc = dh__sqlc_emit(r, "CREATE INDEX", 0, NULL, NULL, 0);
out:
	dh_buf_release(&keys);
	dh_buf_release(&names);
	dh_buf_release(&ids);
	return rc;
}

/* --- CREATE VIEW --- */

/* The relations and column names a query mentions (a walk over every
 * message of the parse tree). */
struct refs {
	struct dh_arena *a;
	const char **rels;
	int nrels, arels;
	const char **cols;
	int ncols, acols;
	int star;
};

static void
refs_add(struct dh_arena *a, const char ***v, int *n, int *cap, const char *s)
{
	for (int i = 0; i < *n; i++)
		if (strcmp((*v)[i], s) == 0)
			return;
	if (*n == *cap) {
		*cap = *cap ? 2 * *cap : 8;
		const char **nv = dh_arena_alloc(a, (size_t)*cap * sizeof(*nv));
		if (*n)
			memcpy(nv, *v, (size_t)*n * sizeof(*nv));
		*v = nv;
	}
	(*v)[(*n)++] = s;
}

static int
walk(const ProtobufCMessage *m, void *ctx)
{
	struct refs *x = ctx;
	const ProtobufCMessageDescriptor *d = m->descriptor;
	if (d == &pg_query__range_var__descriptor) {
		const PgQuery__RangeVar *rv = (const PgQuery__RangeVar *)m;
		refs_add(x->a, &x->rels, &x->nrels, &x->arels, rv->relname);
	} else if (d == &pg_query__column_ref__descriptor) {
		const PgQuery__ColumnRef *cr = (const PgQuery__ColumnRef *)m;
		const PgQuery__Node *last = cr->fields[cr->n_fields - 1];
		if (last->node_case == PG_QUERY__NODE__NODE_A_STAR)
			x->star = 1;
		else if (dh__sqlc_str(last))
			refs_add(x->a, &x->cols, &x->ncols, &x->acols, dh__sqlc_str(last));
	}
	return dh__sqlc_each_child(m, walk, x);
}

static char *
deparse_select(struct dh_arena *a, PgQuery__Node *sel)
{
	PgQuery__RawStmt raw = PG_QUERY__RAW_STMT__INIT;
	raw.stmt = sel;
	PgQuery__RawStmt *raws[1] = {&raw};
	PgQuery__ParseResult pr = PG_QUERY__PARSE_RESULT__INIT;
	pr.version = PG_VERSION_NUM;
	pr.n_stmts = 1;
	pr.stmts = raws;
	size_t len = pg_query__parse_result__get_packed_size(&pr);
	uint8_t *buf = xmalloc(len ? len : 1);
	pg_query__parse_result__pack(&pr, buf);
	PgQueryProtobuf pb = {len, (char *)buf};
	PgQueryDeparseResult d = pg_query_deparse_protobuf(pb);
	free(buf);
	char *out = NULL;
	if (!d.error && d.query)
		out = dh_arena_strdup(a, d.query);
	pg_query_free_deparse_result(d);
	return out;
}

int
dh__sqlc_create_view(struct dh__sqlrun *r, const PgQuery__ViewStmt *st)
{
	const PgQuery__RangeVar *rv = st->view;
	int rc;
	if (rv->relpersistence && rv->relpersistence[0] == 't')
		return dh_err_sql(r->err, "0A000", "temporary views are not supported yet");
	if (st->query->node_case != PG_QUERY__NODE__NODE_SELECT_STMT)
		return dh_err_sql(r->err, "0A000", "this view query is not supported");
	/* PostgreSQL makes it a temporary view: dh has none */
	if (dh__sqltemp_reads(r->s, st->query))
		return dh_err_sql(r->err, "0A000",
				  "a view reading a temporary table is not supported yet");
	if ((rc = dh__sqlc_name_ok(r, "view", rv->relname, rv->location)))
		return rc;
	struct dh_view *v;
	const struct dh_schema *sc;
	char kind;
	struct dh_sqlview old;
	memset(&old, 0, sizeof(old));
	if ((rc = dh__sql_view(r->s, &v, &sc, r->err)) ||
	    (rc = dh__sqlcat_relkind(v, sc, rv->relname, r->a, &kind, r->err)))
		return rc;
	if (kind && !(kind == 'v' && st->replace)) {
		if (kind != 'v' && st->replace)
			dh_err_sql(r->err, "42809", "\"%s\" is not a view", rv->relname);
		else
			dh_err_sql(r->err, "42P07", "relation \"%s\" already exists", rv->relname);
		return dh__sql_at(r, rv->location, DH_ESQL);
	}
	if (kind && (rc = dh__sqlcat_view_info(v, sc, rv->relname, r->a, &old, r->err)) < 0)
		return rc;
	/* its columns: run it once (the compiler has no describe yet) */
	struct dh_sql_col *cols;
	int ncols;
	struct dh_value *rows;
	size_t nrows;
	if ((rc = dh__sqlc_select(r, st->query->select_stmt, 0, &cols, &ncols, &rows, &nrows)))
		return rc;
	if ((int)st->n_aliases > ncols)
		return dh_err_sql(r->err, "42601",
				  "CREATE VIEW specifies more column names than columns");
	const char **names = dh_arena_alloc(r->a, (size_t)(ncols + 1) * sizeof(*names));
	for (int i = 0; i < ncols; i++) {
		names[i] = i < (int)st->n_aliases ? dh__sqlc_str(st->aliases[i]) : cols[i].name;
		for (int k = 0; k < i; k++)
			if (strcmp(names[k], names[i]) == 0)
				return dh_err_sql(r->err, "42701",
						  "column \"%s\" specified more than once",
						  names[i]);
	}
	if (kind) {
		if (ncols < old.ncols)
			return dh_err_sql(r->err, "42P16", "cannot drop columns from view");
		for (int i = 0; i < old.ncols; i++)
			if (strcmp(old.cols[i], names[i]) != 0)
				return dh_err_sql(
				    r->err, "42P16",
				    "cannot change name of view column \"%s\" to \"%s\"",
				    old.cols[i], names[i]);
	}
	/* the stored SELECT names its output columns as the view does */
	PgQuery__Node *q = st->query;
	PgQuery__SelectStmt *sel = q->select_stmt;
	int simple = sel->op == PG_QUERY__SET_OPERATION__SETOP_NONE && !sel->n_values_lists &&
		     (int)sel->n_target_list == ncols;
	for (size_t i = 0; simple && i < sel->n_target_list; i++)
		simple = !dh__sqlc_is_star(sel->target_list[i]->res_target->val);
	char *sql;
	if (simple) {
		/* the tree belongs to the session (freed with libpg_query's
		 * allocator): name the targets just for the deparse */
		char **saved = dh_arena_alloc(r->a, (st->n_aliases + 1) * sizeof(*saved));
		for (int i = 0; i < (int)st->n_aliases; i++) {
			saved[i] = sel->target_list[i]->res_target->name;
			sel->target_list[i]->res_target->name = (char *)names[i];
		}
		sql = deparse_select(r->a, q);
		for (int i = 0; i < (int)st->n_aliases; i++)
			sel->target_list[i]->res_target->name = saved[i];
	} else {
		char *inner = deparse_select(r->a, q);
		struct dh_buf b;
		dh_buf_init(&b, 0);
		dh_buf_printf(&b, "SELECT * FROM (%s) AS %s", inner ? inner : "", rv->relname);
		if (st->n_aliases) {
			dh_buf_addc(&b, '(');
			for (int i = 0; i < ncols; i++)
				dh_buf_printf(&b, "%s\"%s\"", i ? ", " : "", names[i]);
			dh_buf_addc(&b, ')');
		}
		sql = inner ? dh_arena_strdup(r->a, (const char *)b.p) : NULL;
		dh_buf_release(&b);
	}
	if (!sql)
		return dh_err_sql(r->err, "XX000", "cannot store the view's query");
	/* what it reads: tables, views, columns */
	struct refs x = {.a = r->a};
	walk(&q->base, &x);
	if ((rc = dh__sqlcat_bootstrap(r->s, sc, r->a, r->err)) ||
	    (rc = dh__sql_view(r->s, &v, &sc, r->err)))
		return rc;
	struct dh_buf b;
	dh_buf_init(&b, 0);
	dh_buf_adds(&b, "[{:db/id \"v\" :dh.sql/view ");
	dh__sqlc_edn_str(&b, rv->relname);
	dh_buf_adds(&b, " :dh.sql/view-sql ");
	dh__sqlc_edn_str(&b, sql);
	dh_buf_adds(&b, " :dh.sql/view-columns ");
	struct dh_buf cb;
	dh_buf_init(&cb, 0);
	for (int i = 0; i < ncols; i++)
		dh_buf_printf(&cb, "%s%s", i ? "\n" : "", names[i]);
	dh__sqlc_edn_str(&b, cb.len ? (const char *)cb.p : "");
	dh_buf_release(&cb);
	dh_buf_adds(&b, "}");
	if (old.eid) {
		/* replacing: the old dependencies go first */
		struct dh_datom *ds;
		size_t n;
		const struct dh_attr *da = dh_schema_attr(sc, "dh.sql/depends", 14);
		struct dh_buf ob;
		dh_buf_init(&ob, 0);
		dh_buf_addc(&ob, '[');
		if (da && dh__sqlcat_entity(v, old.eid, r->a, &ds, &n, r->err) == 0)
			for (size_t i = 0; i < n; i++)
				if (ds[i].a == da->id)
					dh_buf_printf(&ob,
						      "[:db/retract %llu :dh.sql/depends %llu]",
						      (unsigned long long)old.eid,
						      (unsigned long long)ds[i].v.ref);
		dh_buf_addc(&ob, ']');
		if ((rc = edn(r, &ob)) || (rc = dh__sql_view(r->s, &v, &sc, r->err))) {
			dh_buf_release(&b);
			return rc;
		}
	}
	for (int i = 0; i < x.nrels; i++) {
		struct dh_sqltable *t;
		struct dh_err e2;
		uint64_t ve;
		if (dh__sqlcat_table(v, sc, x.rels[i], r->a, &t, &e2) == 0) {
			if (t->eid)
				dh_buf_printf(&b, "[:db/add \"v\" :dh.sql/depends %llu]",
					      (unsigned long long)t->eid);
			for (int k = 0; k < t->ncols; k++) {
				int used = x.star;
				for (int j = 0; j < x.ncols && !used; j++)
					used = strcmp(x.cols[j], t->cols[k].name) == 0;
				if (used)
					dh_buf_printf(&b, "[:db/add \"v\" :dh.sql/depends %llu]",
						      (unsigned long long)t->cols[k].attr);
			}
		} else if (dh__sqlcat_find(v, sc, "dh.sql/view", x.rels[i], r->a, &ve, &e2) == 0 &&
			   ve && ve != old.eid) {
			dh_buf_printf(&b, "[:db/add \"v\" :dh.sql/depends %llu]",
				      (unsigned long long)ve);
		}
	}
	dh_buf_adds(&b, "]");
	if ((rc = edn(r, &b)))
		return rc;
	return dh__sqlc_emit(r, "CREATE VIEW", 0, NULL, NULL, 0);
}

/* Set (text) or remove (NULL) the card-one string attribute ident of
 * entity e. */
static int
set_note(struct dh__sqlrun *r, uint64_t e, const char *ident, const char *text)
{
	struct dh_wtx *w;
	const struct dh_schema *sc;
	int rc;
	if ((rc = dh__sql_wtx(r->s, &w, r->err)) || (rc = dh_wtx_schema(w, &sc, r->err)))
		return rc;
	const struct dh_attr *at = dh_schema_attr(sc, ident, strlen(ident));
	struct dh_datom *ds;
	size_t n;
	if ((rc = dh__sqlcat_entity(dh_wtx_view(w), e, r->a, &ds, &n, r->err)))
		return rc;
	struct dh_txop op = {1, e, at->id, {.type = DH_T_NONE}};
	if (text) {
		op.v = (struct dh_value){.type = DH_T_STRING, .s = {text, strlen(text)}};
	} else {
		for (size_t i = 0; i < n; i++)
			if (ds[i].a == at->id)
				op = (struct dh_txop){0, e, at->id, ds[i].v};
		if (op.added)
			return 0;
	}
	struct dh_tx_report rep;
	return dh_wtx_apply(w, &op, 1, r->a, &rep, r->err);
}

int
dh__sqlc_comment(struct dh__sqlrun *r, const PgQuery__CommentStmt *st)
{
	struct dh_view *v;
	const struct dh_schema *sc;
	int rc;
	const char *names[4];
	size_t nn = 0;
	const PgQuery__Node *o = st->object;
	if (o && o->node_case == PG_QUERY__NODE__NODE_LIST)
		for (size_t i = 0; i < o->list->n_items && nn < 4; i++)
			names[nn++] = dh__sqlc_str(o->list->items[i]);
	else if (o && dh__sqlc_str(o))
		names[nn++] = dh__sqlc_str(o);
	for (size_t i = 0; i < nn; i++)
		if (!names[i])
			nn = 0;
	/* a schema-qualified name: public is the only schema */
	const char *what;
	size_t want;
	switch (st->objtype) {
	case PG_QUERY__OBJECT_TYPE__OBJECT_TABLE:
	case PG_QUERY__OBJECT_TYPE__OBJECT_VIEW:
	case PG_QUERY__OBJECT_TYPE__OBJECT_SEQUENCE:
	case PG_QUERY__OBJECT_TYPE__OBJECT_INDEX:
		want = 1;
		break;
	case PG_QUERY__OBJECT_TYPE__OBJECT_COLUMN:
		want = 2;
		break;
	default:
		return dh_err_sql(r->err, "0A000", "COMMENT ON this kind of object is not supported");
	}
	if (nn == want + 1 && strcmp(names[0], "public") == 0) {
		memmove(names, names + 1, want * sizeof(*names));
		nn--;
	}
	if (nn != want)
		return dh_err_sql(r->err, "0A000",
				  "COMMENT ON a name qualified by a schema other than public is not "
				  "supported");
	if ((rc = dh__sql_wtx(r->s, &(struct dh_wtx *){NULL}, r->err)) ||
	    (rc = dh__sql_view(r->s, &v, &sc, r->err)) ||
	    (rc = dh__sqlcat_bootstrap(r->s, sc, r->a, r->err)) ||
	    (rc = dh__sql_view(r->s, &v, &sc, r->err)))
		return rc;
	uint64_t e = 0;
	char kind = 0;
	if ((rc = dh__sqlcat_relkind(v, sc, names[0], r->a, &kind, r->err)))
		return rc;
	switch (st->objtype) {
	case PG_QUERY__OBJECT_TYPE__OBJECT_TABLE:
	case PG_QUERY__OBJECT_TYPE__OBJECT_COLUMN: {
		if (kind != 'r' && !(kind == 'v' && want == 2)) {
			if (kind && want == 1)
				return dh_err_sql(r->err, "42809", "\"%s\" is not a table", names[0]);
			return dh_err_sql(r->err, "42P01", "relation \"%s\" does not exist", names[0]);
		}
		if (kind == 'v')
			return dh_err_sql(r->err, "0A000", "COMMENT ON a view's column is not "
							  "supported");
		struct dh_sqltable *t;
		if ((rc = dh__sqlcat_table(v, sc, names[0], r->a, &t, r->err)))
			return rc;
		if (want == 1) {
			if ((rc = table_entity(r, t)))
				return rc;
			e = t->eid;
			break;
		}
		for (int i = 0; i < t->ncols && !e; i++)
			if (strcmp(t->cols[i].name, names[1]) == 0)
				e = t->cols[i].attr;
		if (!e)
			return dh_err_sql(r->err, "42703", "column \"%s\" of relation \"%s\" does not "
							   "exist",
					  names[1], names[0]);
		break;
	}
	default: {
		char k = st->objtype == PG_QUERY__OBJECT_TYPE__OBJECT_VIEW	   ? 'v'
			 : st->objtype == PG_QUERY__OBJECT_TYPE__OBJECT_SEQUENCE ? 'S'
										 : 'i';
		what = k == 'v' ? "view" : k == 'S' ? "sequence" : "index";
		if (kind != k) {
			if (kind)
				return dh_err_sql(r->err, "42809", "\"%s\" is not a%s %s", names[0],
						  k == 'i' ? "n" : "", what);
			return dh_err_sql(r->err, "42P01", "relation \"%s\" does not exist", names[0]);
		}
		char ident[32];
		snprintf(ident, sizeof(ident), "dh.sql/%s", what);
		if ((rc = dh__sqlcat_find(v, sc, ident, names[0], r->a, &e, r->err)))
			return rc;
		if (!e)
			return dh_err_sql(r->err, "0A000",
					  "COMMENT ON the index of a constraint is not supported");
		break;
	}
	}
	const char *text = st->comment && *st->comment ? st->comment : NULL;
	if ((rc = set_note(r, e, "dh.sql/comment", text)))
		return rc;
	return dh__sqlc_emit(r, "COMMENT", 0, NULL, NULL, 0);
}
