/*
 * sqlc-ddl: CREATE TABLE and DROP TABLE, written as schema tx-data (EDN)
 * in the session's write transaction: one attribute per column with its
 * SQL type, position, default and NOT NULL as :dh.sql data, the row
 * marker attribute, and the table entity.  DROP retracts the rows and
 * renames the attributes out of the table's namespace (attributes are
 * never deleted: history keeps them).
 */
#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "sqlc-int.h"

/* Names become keyword parts: letters, digits, _ and $ (and - from
 * Datalog); others are refused rather than mangled. */
static int
name_ok(struct dh__sqlrun *r, const char *what, const char *name, int location)
{
	/* any name is a keyword part (dh__sqlcat_kw), but a table must not
	 * take the system's namespaces */
	size_t n = strlen(name);
	int ok = n > 0 && n <= 63;
	if (ok && strcmp(what, "table") == 0)
		ok = strcmp(name, "db") != 0 && strncmp(name, "db.", 3) != 0 &&
		     strncmp(name, "dh.", 3) != 0;
	if (ok)
		return 0;
	dh_err_sql(r->err, "0A000", "%s name \"%s\" is not supported: it is the system's", what,
		   name);
	return dh__sql_at(r, location, DH_ESQL);
}

static void
edn_str(struct dh_buf *b, const char *s)
{
	dh_buf_addc(b, '"');
	for (; *s; s++) {
		if (*s == '"' || *s == '\\')
			dh_buf_addc(b, '\\');
		if (*s == '\n') {
			dh_buf_adds(b, "\\n");
			continue;
		}
		dh_buf_addc(b, *s);
	}
	dh_buf_addc(b, '"');
}

/* A TypeName -> OID and typmod; serial types set *serial. */
static int
type_of(struct dh__sqlrun *r, const PgQuery__TypeName *tn, uint32_t *oid, int32_t *typmod,
	int *serial)
{
	const char *name = dh__sqlc_str(tn->names[tn->n_names - 1]);
	*serial = 0;
	if (tn->n_names == 1 && name && !tn->n_array_bounds) {
		static const struct {
			const char *n;
			const char *as;
		} serials[] = {{"serial", "int4"},  {"serial4", "int4"},     {"bigserial", "int8"},
			       {"serial8", "int8"}, {"smallserial", "int2"}, {"serial2", "int2"}};
		for (size_t i = 0; i < DH_ARRAY_SIZE(serials); i++)
			if (strcmp(name, serials[i].n) == 0) {
				*serial = 1;
				name = serials[i].as;
			}
	}
	int32_t mods[8];
	int nm = 0;
	for (size_t i = 0; i < tn->n_typmods && nm < 8; i++) {
		const PgQuery__Node *m = tn->typmods[i];
		if (m->node_case != PG_QUERY__NODE__NODE_A_CONST ||
		    m->a_const->val_case != PG_QUERY__A__CONST__VAL_IVAL) {
			dh_err_sql(r->err, "42601",
				   "type modifiers must be simple constants or "
				   "identifiers");
			return dh__sql_at(r, tn->location, DH_ESQL);
		}
		mods[nm++] = m->a_const->ival->ival;
	}
	/* pg_catalog.int4 and friends come qualified */
	int rc = dh_sqltype_parse(name ? name : "", mods, nm, (int)tn->n_array_bounds, oid, typmod,
				  r->err);
	if (rc)
		return dh__sql_at(r, tn->location, rc);
	if (dh__sqlcat_rep(*oid) == DH_T_NONE) {
		struct dh_buf b;
		dh_buf_init(&b, 0);
		dh_sqltype_format(*oid, *typmod, 1, &b);
		dh_err_sql(r->err, "0A000", "columns of type %s are not supported yet",
			   (const char *)b.p);
		dh_buf_release(&b);
		return dh__sql_at(r, tn->location, DH_ESQL);
	}
	return 0;
}

/* --- column and constraint definitions (CREATE TABLE, ALTER TABLE) --- */

int
dh__sqlc_coldef(struct dh__sqlrun *r, const char *table, const PgQuery__ColumnDef *cd,
		struct sqlc_coldef *c, struct sqlc_conspec **cons, int *ncons)
{
	int rc;
	memset(c, 0, sizeof(*c));
	if ((rc = name_ok(r, "column", cd->colname, cd->location)))
		return rc;
	if (strcmp(cd->colname, "db_id") == 0 || strcmp(cd->colname, "db-row") == 0) {
		dh_err_sql(r->err, "42701",
			   "column name \"%s\" conflicts with a system column name", cd->colname);
		return dh__sql_at(r, cd->location, DH_ESQL);
	}
	c->name = cd->colname;
	c->location = cd->location;
	if ((rc = type_of(r, cd->type_name, &c->oid, &c->typmod, &c->serial)))
		return rc;
	c->notnull = cd->is_not_null || c->serial;
	if (cd->coll_clause)
		return dh_err_sql(r->err, "0A000", "COLLATE is not supported yet");
	const PgQuery__Constraint *dflt = NULL, *ident = NULL;
	int last = -1; /* the constraint DEFERRABLE & co. apply to (index in *cons) */
	int seen_def = 0, seen_init = 0;
	for (size_t k = 0; k < cd->n_constraints; k++) {
		const PgQuery__Constraint *cc = cd->constraints[k]->constraint;
		switch (cc->contype) {
		case PG_QUERY__CONSTR_TYPE__CONSTR_NOTNULL:
			c->notnull = 1;
			break;
		case PG_QUERY__CONSTR_TYPE__CONSTR_NULL:
			break;
		case PG_QUERY__CONSTR_TYPE__CONSTR_DEFAULT:
			if (dflt) {
				dh_err_sql(
				    r->err, "42601",
				    "multiple default values specified for column \"%s\" of table "
				    "\"%s\"",
				    c->name, table);
				return dh__sql_at(r, cc->location, DH_ESQL);
			}
			dflt = cc;
			break;
		case PG_QUERY__CONSTR_TYPE__CONSTR_IDENTITY:
			if (ident) {
				dh_err_sql(
				    r->err, "42601",
				    "multiple identity specifications for column \"%s\" of table "
				    "\"%s\"",
				    c->name, table);
				return dh__sql_at(r, cc->location, DH_ESQL);
			}
			ident = cc;
			break;
		case PG_QUERY__CONSTR_TYPE__CONSTR_PRIMARY:
		case PG_QUERY__CONSTR_TYPE__CONSTR_UNIQUE:
		case PG_QUERY__CONSTR_TYPE__CONSTR_CHECK:
		case PG_QUERY__CONSTR_TYPE__CONSTR_FOREIGN: {
			struct sqlc_conspec *s;
			if ((rc = dh__sqlc_conspec(r, cc, cons, ncons, &s)))
				return rc;
			if (s->kind != 'c') {
				s->ncols = 1;
				s->colnames[0] = c->name;
			}
			if (s->kind == 'p')
				c->notnull = 1;
			last = s->kind != 'c' ? (int)(s - *cons) : -1;
			seen_def = seen_init = 0;
			break;
		}
		case PG_QUERY__CONSTR_TYPE__CONSTR_ATTR_DEFERRABLE:
		case PG_QUERY__CONSTR_TYPE__CONSTR_ATTR_NOT_DEFERRABLE:
		case PG_QUERY__CONSTR_TYPE__CONSTR_ATTR_DEFERRED:
		case PG_QUERY__CONSTR_TYPE__CONSTR_ATTR_IMMEDIATE: {
			/* PostgreSQL's transformConstraintAttrs: they modify the
			 * key or foreign key before them */
			int def = cc->contype == PG_QUERY__CONSTR_TYPE__CONSTR_ATTR_DEFERRABLE ||
				  cc->contype == PG_QUERY__CONSTR_TYPE__CONSTR_ATTR_NOT_DEFERRABLE;
			const char *what = def ? "DEFERRABLE" : "INITIALLY";
			if (last < 0) {
				dh_err_sql(r->err, "42601", "misplaced %s clause",
					   cc->contype == PG_QUERY__CONSTR_TYPE__CONSTR_ATTR_DEFERRABLE
					       ? "DEFERRABLE"
					   : cc->contype ==
						   PG_QUERY__CONSTR_TYPE__CONSTR_ATTR_NOT_DEFERRABLE
					       ? "NOT DEFERRABLE"
					   : cc->contype == PG_QUERY__CONSTR_TYPE__CONSTR_ATTR_DEFERRED
					       ? "INITIALLY DEFERRED"
					       : "INITIALLY IMMEDIATE");
				return dh__sql_at(r, cc->location, DH_ESQL);
			}
			if (def ? seen_def : seen_init) {
				dh_err_sql(r->err, "42601", "multiple %s clauses not allowed",
					   def ? "DEFERRABLE/NOT DEFERRABLE"
					       : "INITIALLY IMMEDIATE/DEFERRED");
				return dh__sql_at(r, cc->location, DH_ESQL);
			}
			(void)what;
			struct sqlc_conspec *s = &(*cons)[last];
			switch (cc->contype) {
			case PG_QUERY__CONSTR_TYPE__CONSTR_ATTR_DEFERRABLE:
				seen_def = 1;
				if (!s->deferrable)
					s->deferrable = 'i';
				break;
			case PG_QUERY__CONSTR_TYPE__CONSTR_ATTR_NOT_DEFERRABLE:
				seen_def = 1;
				if (s->deferrable == 'd') {
					dh_err_sql(r->err, "42601", "constraint declared INITIALLY "
								    "DEFERRED must be DEFERRABLE");
					return dh__sql_at(r, cc->location, DH_ESQL);
				}
				s->deferrable = 0;
				break;
			case PG_QUERY__CONSTR_TYPE__CONSTR_ATTR_DEFERRED:
				seen_init = 1;
				if (seen_def && !s->deferrable) {
					dh_err_sql(r->err, "42601", "constraint declared INITIALLY "
								    "DEFERRED must be DEFERRABLE");
					return dh__sql_at(r, cc->location, DH_ESQL);
				}
				s->deferrable = 'd';
				break;
			default:
				seen_init = 1;
				if (s->deferrable == 'd')
					s->deferrable = 'i';
				break;
			}
			break;
		}
		case PG_QUERY__CONSTR_TYPE__CONSTR_GENERATED:
			dh_err_sql(r->err, "0A000", "generated columns are not supported yet");
			return dh__sql_at(r, cc->location, DH_ESQL);
		default:
			dh_err_sql(r->err, "0A000", "this column constraint is not supported yet");
			return dh__sql_at(r, cc->location, DH_ESQL);
		}
	}
	if (ident) {
		if (dflt || c->serial) {
			dh_err_sql(r->err, "42601",
				   "both default and identity specified for column \"%s\" of table "
				   "\"%s\"",
				   c->name, table);
			return dh__sql_at(r, ident->location, DH_ESQL);
		}
		if (c->oid != DH_OID_INT2 && c->oid != DH_OID_INT4 && c->oid != DH_OID_INT8) {
			dh_err_sql(r->err, "22023",
				   "identity column type must be smallint, integer, or bigint");
			return dh__sql_at(r, ident->location, DH_ESQL);
		}
		c->identity = ident->generated_when && ident->generated_when[0] == 'a' ? 'a' : 'd';
		c->idopts = ident->options;
		c->nidopts = ident->n_options;
		c->notnull = 1;
	}
	if (dflt) {
		if (c->serial) {
			dh_err_sql(r->err, "42601",
				   "multiple default values specified for column \"%s\" of table "
				   "\"%s\"",
				   c->name, table);
			return dh__sql_at(r, dflt->location, DH_ESQL);
		}
		/* check it compiles to the column's type now */
		struct dh_sqlx_scope fs = {.ctx = r, .function = dh__sqlc_fn_hook};
		struct dh_sqlx_cc xc = {.a = r->a,
					.err = r->err,
					.env = dh__sql_env(r->s),
					.scope = &fs,
					.text = r->text};
		struct dh_sqlx *x;
		if ((rc = dh_sqlx_compile(&xc, dflt->raw_expr, &x)) ||
		    (rc = dh_sqlx_coerce(&xc, x, c->oid, c->typmod, DH_CAST_ASSIGNMENT, c->name,
					 &x)))
			return rc;
		c->dflt = dh__sqlc_deparse_expr(r->a, dflt->raw_expr);
		c->dflt_const = dh_sqlx_is_const(x);
		if (!c->dflt)
			return dh_err_sql(r->err, "XX000", "cannot store the DEFAULT expression");
	}
	return 0;
}

int
dh__sqlc_conspec(struct dh__sqlrun *r, const PgQuery__Constraint *cc, struct sqlc_conspec **cons,
		 int *ncons, struct sqlc_conspec **out)
{
	/* DEFERRABLE [INITIALLY DEFERRED] is accepted and checked at the
	 * end of each statement: what ORMs declare, checked sooner */
	if (cc->contype == PG_QUERY__CONSTR_TYPE__CONSTR_EXCLUSION) {
		dh_err_sql(r->err, "0A000", "exclusion constraints are not supported");
		return dh__sql_at(r, cc->location, DH_ESQL);
	}
	struct sqlc_conspec *n = dh_arena_alloc(r->a, (size_t)(*ncons + 1) * sizeof(*n));
	if (*ncons)
		memcpy(n, *cons, (size_t)*ncons * sizeof(*n));
	*cons = n;
	struct sqlc_conspec *s = &n[(*ncons)++];
	memset(s, 0, sizeof(*s));
	s->location = cc->location;
	s->name = cc->conname && *cc->conname ? cc->conname : NULL;
	s->del = s->upd = 'a';
	/* a table constraint's DEFERRABLE [INITIALLY DEFERRED] */
	s->deferrable = cc->initdeferred ? 'd' : cc->deferrable ? 'i' : 0;
	switch (cc->contype) {
	case PG_QUERY__CONSTR_TYPE__CONSTR_PRIMARY:
		s->kind = 'p';
		break;
	case PG_QUERY__CONSTR_TYPE__CONSTR_UNIQUE:
		s->kind = 'u';
		if (cc->nulls_not_distinct) {
			dh_err_sql(r->err, "0A000",
				   "UNIQUE NULLS NOT DISTINCT is not supported yet");
			return dh__sql_at(r, cc->location, DH_ESQL);
		}
		break;
	case PG_QUERY__CONSTR_TYPE__CONSTR_CHECK:
		s->kind = 'c';
		s->expr = cc->raw_expr;
		s->no_inherit = cc->is_no_inherit;
		break;
	case PG_QUERY__CONSTR_TYPE__CONSTR_FOREIGN:
		s->kind = 'f';
		s->pktable = cc->pktable;
		s->del = cc->fk_del_action && *cc->fk_del_action ? cc->fk_del_action[0] : 'a';
		s->upd = cc->fk_upd_action && *cc->fk_upd_action ? cc->fk_upd_action[0] : 'a';
		if (cc->n_fk_del_set_cols)
			return dh_err_sql(r->err, "0A000",
					  "ON DELETE SET NULL (columns) is not supported yet");
		if (cc->fk_matchtype && cc->fk_matchtype[0] == 'f')
			return dh_err_sql(r->err, "0A000", "MATCH FULL is not supported yet");
		s->nrefcols = (int)cc->n_pk_attrs;
		for (size_t i = 0; i < cc->n_pk_attrs && i < SQLC_MAXKEY; i++)
			s->refnames[i] = dh__sqlc_str(cc->pk_attrs[i]);
		for (size_t i = 0; i < cc->n_fk_attrs && i < SQLC_MAXKEY; i++)
			s->colnames[s->ncols++] = dh__sqlc_str(cc->fk_attrs[i]);
		break;
	default:
		dh_err_sql(r->err, "0A000", "this constraint is not supported yet");
		return dh__sql_at(r, cc->location, DH_ESQL);
	}
	if (s->kind == 'p' || s->kind == 'u') {
		if (cc->n_keys > SQLC_MAXKEY)
			return dh_err_sql(r->err, "54011",
					  "cannot use more than %d columns in an index",
					  SQLC_MAXKEY);
		for (size_t i = 0; i < cc->n_keys; i++)
			s->colnames[s->ncols++] = dh__sqlc_str(cc->keys[i]);
		if (cc->n_including || cc->where_clause)
			return dh_err_sql(r->err, "0A000",
					  "INCLUDE and WHERE in %s are not supported",
					  s->kind == 'p' ? "PRIMARY KEY" : "UNIQUE");
	}
	if (out)
		*out = s;
	return 0;
}

static int
colidx(const struct dh_sqltable *t, const char *name)
{
	for (int i = 0; name && i < t->ncols; i++)
		if (strcmp(t->cols[i].name, name) == 0)
			return i;
	return -1;
}

/* Record the first column a CHECK expression reads (its name's part). */
struct firstcol {
	const struct dh_sqltable *t;
	const char *first;
	int ndistinct;
};

static int
firstcol_hook(void *ctx, const char *const *names, int n, int location, int *slot, uint32_t *type,
	      int32_t *typmod, struct dh_err *err)
{
	struct firstcol *f = ctx;
	struct dh_sqlx_scope s;
	dh__sqlc_table_scope(&s, f->t);
	int rc = s.column(s.ctx, names, n, location, slot, type, typmod, err);
	if (rc == 0 && (!f->first || strcmp(f->first, f->t->cols[*slot].name) != 0)) {
		if (!f->first)
			f->first = f->t->cols[*slot].name;
		f->ndistinct++; /* A, B, A counts 3: more than one is what matters */
	}
	return rc;
}

/* Is name taken by a constraint in the schema (PostgreSQL's constraint
 * names are unique per schema when it chooses them) or by others? */
static int
con_name_used(struct dh__sqlrun *r, const char *name, const struct sqlc_conspec *cons, int n,
	      int relation_too)
{
	for (int i = 0; i < n; i++)
		if (cons[i].name && strcmp(cons[i].name, name) == 0)
			return 1;
	struct dh_view *v;
	const struct dh_schema *sc;
	uint64_t e;
	if (dh__sql_view(r->s, &v, &sc, r->err) ||
	    dh__sqlcat_find(v, sc, "dh.sql/constraint", name, r->a, &e, r->err))
		return 1;
	if (e)
		return 1;
	if (relation_too) {
		char kind;
		if (dh__sqlcat_relkind(v, sc, name, r->a, &kind, r->err))
			return 1;
		return kind != 0;
	}
	return 0;
}

/* PostgreSQL's ChooseConstraintName: t_cols_label, shortened to 63
 * bytes (the longer part first), then numbered until free. */
static const char *
choose_con_name(struct dh__sqlrun *r, const char *t, const char *cols, const char *label,
		const struct sqlc_conspec *cons, int n, int relation_too)
{
	for (int pass = 0;; pass++) {
		char num[16] = "";
		if (pass)
			snprintf(num, sizeof(num), "%d", pass);
		size_t tl = strlen(t), cl = cols ? strlen(cols) : 0;
		size_t over = tl + (cols ? cl + 1 : 0) + 1 + strlen(label) + strlen(num);
		while (over > 63) {
			if (tl >= cl)
				tl--;
			else
				cl--;
			over--;
		}
		const char *name = cols
				       ? dh_arena_printf(r->a, "%.*s_%.*s_%s%s", (int)tl, t,
							 (int)cl, cols, label, num)
				       : dh_arena_printf(r->a, "%.*s_%s%s", (int)tl, t, label, num);
		if (!con_name_used(r, name, cons, n, relation_too))
			return name;
	}
}

int
dh__sqlc_resolve_cons(struct dh__sqlrun *r, struct dh_sqltable *t, struct sqlc_conspec *cons,
		      int ncons, int first_new)
{
	int rc;
	for (int i = first_new; i < ncons; i++) {
		struct sqlc_conspec *s = &cons[i];
		for (int k = 0; k < s->ncols; k++) {
			s->cols[k] = colidx(t, s->colnames[k]);
			if (s->cols[k] < 0) {
				dh_err_sql(r->err, "42703",
					   s->kind == 'f'
					       ? "column \"%s\" referenced in foreign key "
						 "constraint does not exist"
					       : "column \"%s\" named in key does not exist",
					   s->colnames[k] ? s->colnames[k] : "?");
				return dh__sql_at(r, s->location, DH_ESQL);
			}
			for (int j = 0; j < k; j++)
				if (s->cols[j] == s->cols[k] && s->kind != 'f') {
					dh_err_sql(r->err, "42701",
						   "column \"%s\" appears twice in %s constraint",
						   s->colnames[k],
						   s->kind == 'p' ? "primary key" : "unique");
					return dh__sql_at(r, s->location, DH_ESQL);
				}
		}
		if (s->kind == 'c') {
			struct firstcol fc = {t, NULL, 0};
			struct dh_sqlx_scope scope = {
			    .ctx = &fc, .column = firstcol_hook, .function = dh__sqlc_fn_hook};
			struct dh_sqlx_cc cc = {.a = r->a,
						.err = r->err,
						.env = dh__sql_env(r->s),
						.scope = &scope,
						.text = r->text};
			struct dh_sqlx *x;
			if ((rc = dh_sqlx_compile(&cc, s->expr, &x)) ||
			    (rc = dh_sqlx_coerce_bool(&cc, x, "CHECK", &x)))
				return rc;
			s->exprtext = dh__sqlc_deparse_expr(r->a, s->expr);
			if (!s->exprtext)
				return dh_err_sql(r->err, "XX000",
						  "cannot store the CHECK expression");
			/* PostgreSQL: t_col_check if the expression reads one
			 * column, else t_check */
			s->firstcol = fc.ndistinct == 1 ? fc.first : NULL;
		}
	}
	/* names: given ones must be free on the table, chosen ones in the
	 * schema */
	for (int i = first_new; i < ncons; i++) {
		struct sqlc_conspec *s = &cons[i];
		if (s->name) {
			for (int j = 0; j < i; j++)
				if (cons[j].name && strcmp(cons[j].name, s->name) == 0) {
					dh_err_sql(
					    r->err, "42710",
					    "constraint \"%s\" for relation \"%s\" already exists",
					    s->name, t->name);
					return dh__sql_at(r, s->location, DH_ESQL);
				}
			for (int j = 0; j < t->ncons; j++)
				if (strcmp(t->cons[j].name, s->name) == 0) {
					dh_err_sql(
					    r->err, "42710",
					    "constraint \"%s\" for relation \"%s\" already exists",
					    s->name, t->name);
					return dh__sql_at(r, s->location, DH_ESQL);
				}
			if ((s->kind == 'p' || s->kind == 'u') &&
			    (rc = dh__sqlc_relation_exists(r, s->name, s->location)))
				return rc;
			continue;
		}
		struct dh_buf b;
		dh_buf_init(&b, 0);
		for (int k = 0; k < s->ncols; k++)
			dh_buf_printf(&b, "%s%s", k ? "_" : "", t->cols[s->cols[k]].name);
		const char *cols = b.len ? dh_arena_strdup(r->a, (const char *)b.p) : NULL;
		dh_buf_release(&b);
		switch (s->kind) {
		case 'p':
			s->name = choose_con_name(r, t->name, NULL, "pkey", cons, i, 1);
			break;
		case 'u':
			s->name = choose_con_name(r, t->name, cols, "key", cons, i, 1);
			break;
		case 'c':
			s->name = choose_con_name(r, t->name, s->firstcol, "check", cons, i, 0);
			break;
		default:
			s->name = choose_con_name(r, t->name, cols, "fkey", cons, i, 0);
			break;
		}
	}
	return 0;
}

/* The referenced side of a foreign key: table (t itself for a
 * self-reference, with cons its new keys) and columns, which must be a
 * primary key or unique key of it. */
static int
resolve_fk(struct dh__sqlrun *r, struct dh_sqltable *t, struct sqlc_conspec *cons, int ncons,
	   struct sqlc_conspec *s)
{
	const PgQuery__RangeVar *rv = s->pktable;
	struct dh_sqltable *p;
	int rc, self = strcmp(rv->relname, t->name) == 0;
	if (self) {
		p = t;
	} else {
		struct dh_view *v;
		const struct dh_schema *sc;
		if ((rc = dh__sql_view(r->s, &v, &sc, r->err)))
			return rc;
		if ((rc = dh__sqlcat_table(v, sc, rv->relname, r->a, &p, r->err)))
			return dh__sql_at(r, rv->location, rc);
		if (dh__sqltemp_is(r->s, p->name) && !dh__sqltemp_is(r->s, t->name))
			return dh_err_sql(r->err, "42P16",
					  "constraints on permanent tables may reference only "
					  "permanent tables");
	}
	s->ref = p;
	/* the referenced table's keys: its constraints, plus the new ones */
	int nk = 0;
	const int *kcols[64];
	int kn[64], kpk[64];
	for (int i = 0; i < p->ncons && nk < 64; i++)
		if (p->cons[i].kind == 'p' || p->cons[i].kind == 'u') {
			kcols[nk] = p->cons[i].cols;
			kn[nk] = p->cons[i].ncols;
			kpk[nk++] = p->cons[i].kind == 'p';
		}
	if (!p->ncons && p->npk && nk < 64) {
		kcols[nk] = p->pk;
		kn[nk] = p->npk;
		kpk[nk++] = 1;
	}
	for (int i = 0; self && i < ncons && nk < 64; i++)
		if (cons[i].kind == 'p' || cons[i].kind == 'u') {
			kcols[nk] = cons[i].cols;
			kn[nk] = cons[i].ncols;
			kpk[nk++] = cons[i].kind == 'p';
		}
	for (int i = 0; i < p->nidx && nk < 64; i++)
		if (p->idx[i].unique) {
			kcols[nk] = p->idx[i].cols;
			kn[nk] = p->idx[i].ncols;
			kpk[nk++] = 0;
		}
	if (!s->nrefcols) {
		int k = -1;
		for (int i = 0; i < nk; i++)
			if (kpk[i])
				k = i;
		if (k < 0) {
			dh_err_sql(r->err, "42704",
				   "there is no primary key for referenced table \"%s\"", p->name);
			return DH_ESQL;
		}
		s->nrefcols = kn[k];
		for (int i = 0; i < kn[k]; i++)
			s->refcols[i] = kcols[k][i];
	} else {
		for (int i = 0; i < s->nrefcols; i++) {
			s->refcols[i] = colidx(p, s->refnames[i]);
			if (s->refcols[i] < 0) {
				dh_err_sql(
				    r->err, "42703",
				    "column \"%s\" referenced in foreign key constraint does not "
				    "exist",
				    s->refnames[i]);
				return DH_ESQL;
			}
		}
		int found = 0;
		for (int k = 0; k < nk && !found; k++) {
			if (kn[k] != s->nrefcols)
				continue;
			found = 1;
			for (int i = 0; i < kn[k] && found; i++) {
				int in = 0;
				for (int j = 0; j < s->nrefcols; j++)
					in |= kcols[k][i] == s->refcols[j];
				found = in;
			}
		}
		if (!found) {
			dh_err_sql(
			    r->err, "42830",
			    "there is no unique constraint matching given keys for referenced "
			    "table \"%s\"",
			    p->name);
			return DH_ESQL;
		}
	}
	if (s->nrefcols != s->ncols) {
		dh_err_sql(r->err, "42830",
			   "number of referencing and referenced columns for foreign key disagree");
		return DH_ESQL;
	}
	for (int i = 0; i < s->ncols; i++) {
		const struct dh_sqlcol *a = &t->cols[s->cols[i]], *b = &p->cols[s->refcols[i]];
		int num = (a->rep == DH_T_LONG || a->rep == DH_T_BIGDEC || a->rep == DH_T_DOUBLE) &&
			  (b->rep == DH_T_LONG || b->rep == DH_T_BIGDEC || b->rep == DH_T_DOUBLE);
		if (a->rep != b->rep && !num) {
			struct dh_buf ta, tb;
			dh_buf_init(&ta, 0);
			dh_buf_init(&tb, 0);
			dh_sqltype_format(a->type, -1, 1, &ta);
			dh_sqltype_format(b->type, -1, 1, &tb);
			dh_err_sql(r->err, "42804",
				   "foreign key constraint \"%s\" cannot be implemented", s->name);
			dh_err_detail(
			    r->err,
			    "Key columns \"%s\" and \"%s\" are of incompatible types: %s and "
			    "%s.",
			    a->name, b->name, (const char *)ta.p, (const char *)tb.p);
			dh_buf_release(&ta);
			dh_buf_release(&tb);
			return DH_ESQL;
		}
	}
	return 0;
}

int
dh__sqlc_resolve_fks(struct dh__sqlrun *r, struct dh_sqltable *t, struct sqlc_conspec *cons,
		     int ncons, int first_new)
{
	for (int i = first_new; i < ncons; i++)
		if (cons[i].kind == 'f') {
			int rc = resolve_fk(r, t, cons, ncons, &cons[i]);
			if (rc)
				return rc;
		}
	return 0;
}

static const char *
id_list_text(struct dh__sqlrun *r, const struct dh_sqltable *t, const int *cols, int n)
{
	struct dh_buf b;
	dh_buf_init(&b, 0);
	for (int i = 0; i < n; i++)
		dh_buf_printf(&b, "%s%llu", i ? "," : "",
			      (unsigned long long)t->cols[cols[i]].attr);
	const char *s = dh_arena_strdup(r->a, b.len ? (const char *)b.p : "");
	dh_buf_release(&b);
	return s;
}

static struct dh_value
sv(const char *s)
{
	return (struct dh_value){.type = DH_T_STRING, .s = {s, strlen(s)}};
}

int
dh__sqlc_write_cons(struct dh__sqlrun *r, struct dh_sqltable *t, struct sqlc_conspec *cons,
		    int ncons, int first_new)
{
	struct dh_wtx *w;
	const struct dh_schema *sc;
	int rc;
	if ((rc = dh__sql_wtx(r->s, &w, r->err)) || (rc = dh_wtx_schema(w, &sc, r->err)))
		return rc;
#define A(x) dh_schema_attr(sc, "dh.sql/" x, strlen("dh.sql/" x))->id
	size_t n = 0;
	struct dh_txop *ops = dh_arena_alloc(r->a, (size_t)(ncons + 1) * 10 * sizeof(*ops));
	for (int i = first_new; i < ncons; i++) {
		struct sqlc_conspec *s = &cons[i];
		uint64_t e = dh_wtx_new_eid(w);
		char kind[2] = {s->kind, 0};
		ops[n++] = (struct dh_txop){1, e, A("constraint"), sv(s->name)};
		ops[n++] = (struct dh_txop){1, e, A("on"), {.type = DH_T_REF, .ref = t->eid}};
		ops[n++] = (struct dh_txop){1, e, A("kind"), sv(dh_arena_strdup(r->a, kind))};
		if (s->ncols)
			ops[n++] = (struct dh_txop){1, e, A("columns"),
						    sv(id_list_text(r, t, s->cols, s->ncols))};
		if (s->exprtext)
			ops[n++] = (struct dh_txop){1, e, A("expr"), sv(s->exprtext)};
		if (s->deferrable) {
			char d[2] = {s->deferrable, 0};
			ops[n++] = (struct dh_txop){1, e, A("deferrable"), sv(dh_arena_strdup(r->a, d))};
		}
		if (s->kind == 'f') {
			char del[2] = {s->del, 0}, upd[2] = {s->upd, 0};
			const struct dh_sqltable *p = s->ref == t || !s->ref ? t : s->ref;
			ops[n++] = (struct dh_txop){
			    1, e, A("references"), {.type = DH_T_REF, .ref = p->eid}};
			ops[n++] =
			    (struct dh_txop){1, e, A("ref-columns"),
					     sv(id_list_text(r, p, s->refcols, s->nrefcols))};
			ops[n++] =
			    (struct dh_txop){1, e, A("on-delete"), sv(dh_arena_strdup(r->a, del))};
			ops[n++] =
			    (struct dh_txop){1, e, A("on-update"), sv(dh_arena_strdup(r->a, upd))};
		}
	}
#undef A
	if (!n)
		return 0;
	struct dh_tx_report rep;
	return dh_wtx_apply(w, ops, n, r->a, &rep, r->err);
}

/* Serial and identity columns' sequences: made, owned by the column,
 * linked from it. */
static int
column_sequences(struct dh__sqlrun *r, struct dh_sqltable *t, struct sqlc_coldef *cols, int n)
{
	struct dh_wtx *w;
	const struct dh_schema *sc;
	int rc;
	for (int j = 0; j < n; j++) {
		struct sqlc_coldef *c = &cols[j];
		if (!c->serial && !c->identity)
			continue;
		struct dh_sqlseq q = {.name = c->seqname, .type = c->oid, .inc = 1, .cache = 1};
		struct dh__seqopts o;
		if ((rc = dh__sqlseq_options(r, c->idopts, c->nidopts, &q, 1, &o)))
			return rc;
		if (c->seqlike) {
			q.start = c->seqlike->start;
			q.inc = c->seqlike->inc;
			q.min = c->seqlike->min;
			q.max = c->seqlike->max;
			q.cache = c->seqlike->cache;
			q.cycle = c->seqlike->cycle;
			q.last = q.start; /* a new sequence: not called yet */
			q.called = 0;
		}
		int ci = colidx(t, c->name);
		q.owner = t->cols[ci].attr;
		if ((rc = dh__sqlseq_write(r, &q, 1)))
			return rc;
		if ((rc = dh__sql_wtx(r->s, &w, r->err)) || (rc = dh_wtx_schema(w, &sc, r->err)))
			return rc;
		struct dh_txop ops[2];
		size_t k = 0;
		ops[k++] = (struct dh_txop){1,
					    q.owner,
					    dh_schema_attr(sc, "dh.sql/seq", 10)->id,
					    {.type = DH_T_REF, .ref = q.eid}};
		if (c->identity) {
			char id[2] = {c->identity, 0};
			ops[k++] = (struct dh_txop){1, q.owner,
						    dh_schema_attr(sc, "dh.sql/identity", 15)->id,
						    sv(dh_arena_strdup(r->a, id))};
		}
		struct dh_tx_report rep;
		if ((rc = dh_wtx_apply(w, ops, k, r->a, &rep, r->err)))
			return rc;
	}
	return 0;
}

/* One column's attribute as EDN tx-data (ordinal: its position). */
void
dh__sqlc_column_edn(struct dh_buf *b, const char *table, const struct sqlc_coldef *c, int ordinal,
		    int unique_identity)
{
	struct dh_buf tb;
	struct dh_arena a;
	dh_arena_init(&a);
	dh_buf_init(&tb, 0);
	dh_sqltype_format(c->oid, c->typmod, 1, &tb);
	dh_buf_printf(b,
		      "{:db/ident :%s/%s :db/valueType :db.type/%s"
		      " :db/cardinality :db.cardinality/one :dh.sql/ordinal %d :dh.sql/type ",
		      dh__sqlcat_kw(&a, table), dh__sqlcat_kw(&a, c->name),
		      dh_type_name(dh__sqlcat_rep(c->oid)), ordinal);
	edn_str(b, (const char *)tb.p);
	dh_buf_release(&tb);
	dh_arena_release(&a);
	if (c->notnull)
		dh_buf_adds(b, " :dh.sql/notnull true");
	if (c->dflt) {
		dh_buf_adds(b, " :dh.sql/default ");
		edn_str(b, c->dflt);
	}
	/* a one-column key is a unique identity: lookup refs and upserts
	 * from Datalog */
	if (unique_identity)
		dh_buf_adds(b, " :db/unique :db.unique/identity");
	dh_buf_adds(b, "}\n");
}

/* A table shape for resolving constraints before the attributes exist. */
static struct dh_sqltable *
shape(struct dh__sqlrun *r, const char *name, const struct sqlc_coldef *cols, int n)
{
	struct dh_sqltable *t = dh_arena_zalloc(r->a, sizeof(*t));
	t->name = name;
	t->ncols = n;
	t->cols = dh_arena_zalloc(r->a, (size_t)(n + 1) * sizeof(*t->cols));
	for (int i = 0; i < n; i++) {
		struct dh_sqlcol *c = &t->cols[i];
		c->name = cols[i].name;
		c->type = cols[i].oid;
		c->typmod = cols[i].typmod;
		c->rep = dh__sqlcat_rep(cols[i].oid);
		c->notnull = cols[i].notnull;
		c->ordinal = i + 1;
	}
	return t;
}

static int create_cols(struct dh__sqlrun *r, const PgQuery__RangeVar *rv, struct sqlc_coldef *cols,
		       int n, struct sqlc_conspec *cons, int ncons);

static int
grow_cols(struct dh__sqlrun *r, struct sqlc_coldef **cols, int n, int *cap)
{
	*cap = 2 * *cap + 8;
	struct sqlc_coldef *nc = dh_arena_zalloc(r->a, (size_t)*cap * sizeof(*nc));
	if (n)
		memcpy(nc, *cols, (size_t)n * sizeof(*nc));
	*cols = nc;
	return 0;
}

/* PostgreSQL's CREATE_TABLE_LIKE_* bits (TableLikeClause.options). */
enum {
	LIKE_CONSTRAINTS = 1 << 2,
	LIKE_DEFAULTS = 1 << 3,
	LIKE_IDENTITY = 1 << 5,
	LIKE_INDEXES = 1 << 6
};

/* LIKE other [INCLUDING ...]: other's columns (names, types, NOT NULL),
 * with its defaults, identities, CHECK constraints and keys if asked;
 * comments, storage and statistics mean nothing here. */
static int
like_cols(struct dh__sqlrun *r, struct dh_view *v, const struct dh_schema *sc,
	  const PgQuery__TableLikeClause *lc, struct sqlc_coldef **cols, int *n, int *cap,
	  struct sqlc_conspec **cons, int *ncons)
{
	const PgQuery__RangeVar *rv = lc->relation;
	struct dh_sqltable *t;
	int rc;
	if (rv->schemaname && *rv->schemaname && strcmp(rv->schemaname, "public") != 0) {
		dh_err_sql(r->err, "3F000", "schema \"%s\" does not exist", rv->schemaname);
		return dh__sql_at(r, rv->location, DH_ESQL);
	}
	if ((rc = dh__sqlcat_table(v, sc, rv->relname, r->a, &t, r->err)))
		return dh__sql_at(r, rv->location, rc);
	uint32_t opt = lc->options;
	for (int i = 0; i < t->ncols; i++) {
		const struct dh_sqlcol *src = &t->cols[i];
		for (int k = 0; k < *n; k++)
			if (strcmp((*cols)[k].name, src->name) == 0)
				return dh_err_sql(r->err, "42701",
						  "column \"%s\" specified more than once",
						  src->name);
		if (*n + 1 >= *cap && (rc = grow_cols(r, cols, *n, cap)))
			return rc;
		struct sqlc_coldef *c = &(*cols)[(*n)++];
		memset(c, 0, sizeof(*c));
		/* copies: the schema's strings go when it is read again */
		c->name = dh_arena_strdup(r->a, src->name);
		c->oid = src->type;
		c->typmod = src->typmod;
		c->notnull = src->notnull;
		c->location = rv->location;
		if ((opt & LIKE_DEFAULTS) && src->dflt && !src->identity)
			/* a serial's shares its sequence, as in PostgreSQL */
			c->dflt = dh_arena_strdup(r->a, src->dflt);
		if ((opt & LIKE_IDENTITY) && src->identity) {
			struct dh_sqlseq *q = dh_arena_zalloc(r->a, sizeof(*q));
			if ((rc = dh__sqlcat_seq_eid(v, sc, src->seq, r->a, q, r->err)))
				return rc;
			c->identity = src->identity;
			c->seqlike = q;
		}
	}
	for (int i = 0; i < t->ncons; i++) {
		const struct dh_sqlcon *k = &t->cons[i];
		int want = k->kind == 'c'   ? (opt & LIKE_CONSTRAINTS) != 0
			   : k->kind == 'f' ? 0
					    : (opt & LIKE_INDEXES) != 0;
		if (!want)
			continue;
		PgQuery__Constraint cc = PG_QUERY__CONSTRAINT__INIT;
		cc.contype = k->kind == 'p'   ? PG_QUERY__CONSTR_TYPE__CONSTR_PRIMARY
			     : k->kind == 'u' ? PG_QUERY__CONSTR_TYPE__CONSTR_UNIQUE
					      : PG_QUERY__CONSTR_TYPE__CONSTR_CHECK;
		cc.location = -1;
		struct sqlc_conspec *s;
		if (k->kind == 'c') {
			const PgQuery__Node *e;
			if ((rc = dh__sqlc_parse_stored(r, k->expr, &e)))
				return rc;
			cc.raw_expr = (PgQuery__Node *)e;
			cc.conname = dh_arena_strdup(r->a, k->name); /* a CHECK keeps its name */
		}
		if ((rc = dh__sqlc_conspec(r, &cc, cons, ncons, &s)))
			return rc;
		for (int j = 0; k->kind != 'c' && j < k->ncols && j < SQLC_MAXKEY; j++)
			s->colnames[s->ncols++] =
			    dh_arena_strdup(r->a, k->cols[j] >= 0 ? t->cols[k->cols[j]].name : "?");
	}
	if ((opt & LIKE_INDEXES) && t->npk && !t->ncons) {
		/* a table made before constraint entities: :dh.sql/pk */
		PgQuery__Constraint cc = PG_QUERY__CONSTRAINT__INIT;
		cc.contype = PG_QUERY__CONSTR_TYPE__CONSTR_PRIMARY;
		cc.location = -1;
		struct sqlc_conspec *s;
		if ((rc = dh__sqlc_conspec(r, &cc, cons, ncons, &s)))
			return rc;
		for (int j = 0; j < t->npk && j < SQLC_MAXKEY; j++)
			s->colnames[s->ncols++] = dh_arena_strdup(r->a, t->cols[t->pk[j]].name);
	}
	if ((opt & LIKE_INDEXES) && t->nidx)
		return dh_err_sql(r->err, "0A000",
				  "LIKE ... INCLUDING INDEXES of a table with indexes made by "
				  "CREATE INDEX is not supported yet");
	return 0;
}

/* CREATE TEMP TABLE (or one in schema pg_temp): *rv becomes the stored
 * name (sqlc-temp.c); ON COMMIT needs a temporary table. */
static int
temp_table(struct dh__sqlrun *r, const PgQuery__RangeVar **rv, int oncommit, int *temp)
{
	*temp = ((*rv)->relpersistence && (*rv)->relpersistence[0] == 't') ||
		((*rv)->schemaname && strcmp((*rv)->schemaname, "pg_temp") == 0);
	if (!*temp) {
		if (oncommit != PG_QUERY__ON_COMMIT_ACTION__ON_COMMIT_ACTION_UNDEFINED &&
		    oncommit != PG_QUERY__ON_COMMIT_ACTION__ONCOMMIT_NOOP)
			return dh_err_sql(r->err, "42P16",
					  "ON COMMIT can only be used on temporary tables");
		return 0;
	}
	PgQuery__RangeVar *nrv;
	int rc = dh__sqltemp_create(r, *rv, oncommit, &nrv);
	if (rc == 0)
		*rv = nrv;
	return rc;
}

int
dh__sqlc_create_table(struct dh__sqlrun *r, const PgQuery__CreateStmt *st)
{
	const PgQuery__RangeVar *rv = st->relation;
	int rc, temp;
	if (rv->schemaname && *rv->schemaname && strcmp(rv->schemaname, "public") != 0 &&
	    strcmp(rv->schemaname, "pg_temp") != 0) {
		dh_err_sql(r->err, "3F000", "schema \"%s\" does not exist", rv->schemaname);
		return dh__sql_at(r, rv->location, DH_ESQL);
	}
	if (st->n_inh_relations || st->partspec || st->of_typename)
		return dh_err_sql(r->err, "0A000",
				  "inheritance, partitions and typed tables are not supported");
	if ((rc = name_ok(r, "table", rv->relname, rv->location)) ||
	    (rc = temp_table(r, &rv, st->oncommit, &temp)))
		return rc;
	struct dh_view *v;
	const struct dh_schema *sc;
	if ((rc = dh__sql_view(r->s, &v, &sc, r->err)))
		return rc;
	char kind;
	if ((rc = dh__sqlcat_relkind(v, sc, rv->relname, r->a, &kind, r->err)))
		return rc;
	if (kind) {
		if (st->if_not_exists) {
			dh__sql_notice(r->s, "NOTICE", "42P07", NULL,
				       "relation \"%s\" already exists, skipping", rv->relname);
			return dh__sqlc_emit(r, "CREATE TABLE", 0, NULL, NULL, 0);
		}
		dh_err_sql(r->err, "42P07", "relation \"%s\" already exists", rv->relname);
		return dh__sql_at(r, rv->location, DH_ESQL);
	}
	int n = 0, ncons = 0, cap = (int)st->n_table_elts + 1;
	struct sqlc_coldef *cols = dh_arena_zalloc(r->a, (size_t)cap * sizeof(*cols));
	struct sqlc_conspec *cons = NULL;
	for (size_t i = 0; i < st->n_table_elts; i++) {
		const PgQuery__Node *el = st->table_elts[i];
		if (el->node_case == PG_QUERY__NODE__NODE_CONSTRAINT) {
			if ((rc = dh__sqlc_conspec(r, el->constraint, &cons, &ncons, NULL)))
				return rc;
			continue;
		}
		if (el->node_case == PG_QUERY__NODE__NODE_TABLE_LIKE_CLAUSE) {
			if ((rc = like_cols(r, v, sc, el->table_like_clause, &cols, &n, &cap, &cons,
					    &ncons)))
				return rc;
			continue;
		}
		if (el->node_case != PG_QUERY__NODE__NODE_COLUMN_DEF)
			return dh_err_sql(r->err, "0A000",
					  "%s in CREATE TABLE is not supported yet",
					  dh__sqlc_node_name(el));
		const PgQuery__ColumnDef *cd = el->column_def;
		for (int k = 0; k < n; k++)
			if (strcmp(cols[k].name, cd->colname) == 0) {
				dh_err_sql(r->err, "42701",
					   "column \"%s\" specified more than once", cd->colname);
				return dh__sql_at(r, cd->location, DH_ESQL);
			}
		if (n + 1 >= cap && (rc = grow_cols(r, &cols, n, &cap)))
			return rc;
		if ((rc = dh__sqlc_coldef(r, rv->relname, cd, &cols[n], &cons, &ncons)))
			return rc;
		n++;
	}
	if ((rc = create_cols(r, rv, cols, n, cons, ncons)) ||
	    (temp && (rc = dh__sqltemp_created(r, rv->relname))))
		return rc;
	return dh__sqlc_emit(r, "CREATE TABLE", 0, NULL, NULL, 0);
}

/* Table rv made of columns cols and constraints cons (names checked). */
static int
create_cols(struct dh__sqlrun *r, const PgQuery__RangeVar *rv, struct sqlc_coldef *cols, int n,
	    struct sqlc_conspec *cons, int ncons)
{
	int rc;
	struct dh_view *v;
	const struct dh_schema *sc;
	if ((rc = dh__sql_view(r->s, &v, &sc, r->err)))
		return rc;
	/* at most one primary key; its columns are NOT NULL */
	int npk = 0;
	for (int i = 0; i < ncons; i++)
		if (cons[i].kind == 'p' && npk++) {
			dh_err_sql(r->err, "42P16",
				   "multiple primary keys for table \"%s\" are not allowed",
				   rv->relname);
			return dh__sql_at(r, cons[i].location, DH_ESQL);
		}
	struct dh_sqltable *t = shape(r, rv->relname, cols, n);
	if ((rc = dh__sqlc_resolve_cons(r, t, cons, ncons, 0)))
		return rc;
	const struct sqlc_conspec *pkc = NULL;
	for (int i = 0; i < ncons; i++)
		if (cons[i].kind == 'p') {
			pkc = &cons[i];
			for (int k = 0; k < pkc->ncols; k++)
				cols[pkc->cols[k]].notnull = t->cols[pkc->cols[k]].notnull = 1;
		}
	if ((rc = dh__sqlc_resolve_fks(r, t, cons, ncons, 0)))
		return rc;
	/* serial and identity sequences' names */
	for (int j = 0; j < n; j++) {
		struct sqlc_coldef *c = &cols[j];
		if (!c->serial && !c->identity)
			continue;
		c->seqname = dh__sqlc_choose_name(r, rv->relname, c->name, "seq");
		for (int k = 0; k < j; k++)
			if (cols[k].seqname && strcmp(cols[k].seqname, c->seqname) == 0)
				c->seqname = dh_arena_printf(r->a, "%s%d", c->seqname, j);
		if (c->serial)
			c->dflt = dh_arena_printf(r->a, "nextval('%s')", c->seqname);
	}
	if ((rc = dh__sqlcat_bootstrap(r->s, sc, r->a, r->err)))
		return rc;
	struct dh_buf pk;
	dh_buf_init(&pk, 0);
	for (int k = 0; pkc && k < pkc->ncols; k++)
		dh_buf_printf(&pk, "%s%s", k ? "," : "", cols[pkc->cols[k]].name);
	struct dh_buf b;
	dh_buf_init(&b, 0);
	dh_buf_addc(&b, '[');
	for (int j = 0; j < n; j++)
		dh__sqlc_column_edn(&b, rv->relname, &cols[j], j + 1,
				    pkc && pkc->ncols == 1 && pkc->cols[0] == j && !pkc->deferrable);
	dh_buf_printf(&b,
		      "{:db/ident :%s/db-row :db/valueType :db.type/boolean"
		      " :db/cardinality :db.cardinality/one"
		      " :db/doc \"SQL: every row of table %s has it\"}\n"
		      "{:dh.sql/table ",
		      dh__sqlcat_kw(r->a, rv->relname), dh__sqlcat_kw(r->a, rv->relname));
	edn_str(&b, rv->relname);
	if (pk.len) {
		dh_buf_adds(&b, " :dh.sql/pk ");
		edn_str(&b, (const char *)pk.p);
	}
	dh_buf_adds(&b, "}]");
	dh_buf_release(&pk);
	rc = dh__sql_transact_edn(r->s, (const char *)b.p, r->a, r->err);
	dh_buf_release(&b);
	if (rc)
		return rc;
	/* the attributes exist now: their ids go into the keys */
	struct dh_wtx *w;
	if ((rc = dh__sql_wtx(r->s, &w, r->err)) || (rc = dh_wtx_schema(w, &sc, r->err)) ||
	    (rc = dh__sqlcat_find(dh_wtx_view(w), sc, "dh.sql/table", rv->relname, r->a, &t->eid,
				  r->err)))
		return rc;
	dh__sqlsess_newrel(r->s, w, t->eid, 1); /* for COPY FREEZE (sqlc-copy.c) */
	for (int j = 0; j < n; j++) {
		const char *id = dh_arena_printf(r->a, "%s/%s", dh__sqlcat_kw(r->a, rv->relname),
						 dh__sqlcat_kw(r->a, cols[j].name));
		t->cols[j].attr = dh_schema_attr(sc, id, strlen(id))->id;
	}
	if ((rc = column_sequences(r, t, cols, n)))
		return rc;
	return dh__sqlc_write_cons(r, t, cons, ncons, 0);
}

int
dh__sqlc_create_table_as(struct dh__sqlrun *r, const PgQuery__IntoClause *into,
			 const PgQuery__SelectStmt *sel, int if_not_exists)
{
	const PgQuery__RangeVar *rv = into->rel;
	int rc, temp;
	if (rv->schemaname && *rv->schemaname && strcmp(rv->schemaname, "public") != 0 &&
	    strcmp(rv->schemaname, "pg_temp") != 0) {
		dh_err_sql(r->err, "3F000", "schema \"%s\" does not exist", rv->schemaname);
		return dh__sql_at(r, rv->location, DH_ESQL);
	}
	if (into->n_options || (into->access_method && *into->access_method) ||
	    (into->table_space_name && *into->table_space_name))
		return dh_err_sql(r->err, "0A000",
				  "WITH, USING and TABLESPACE of CREATE TABLE AS are not supported");
	if ((rc = name_ok(r, "table", rv->relname, rv->location)) ||
	    (rc = temp_table(r, &rv, into->on_commit, &temp)))
		return rc;
	struct dh_view *v;
	const struct dh_schema *sc;
	char kind;
	if ((rc = dh__sql_view(r->s, &v, &sc, r->err)) ||
	    (rc = dh__sqlcat_relkind(v, sc, rv->relname, r->a, &kind, r->err)))
		return rc;
	if (kind) {
		if (if_not_exists) {
			dh__sql_notice(r->s, "NOTICE", "42P07", NULL,
				       "relation \"%s\" already exists, skipping", rv->relname);
			return dh__sqlc_emit(r, "CREATE TABLE AS", 0, NULL, NULL, 0);
		}
		return dh_err_sql(r->err, "42P07", "relation \"%s\" already exists", rv->relname);
	}
	struct dh_sql_col *qcols;
	int nq;
	struct dh_value *rows;
	size_t nrows;
	if ((rc = dh__sqlc_select(r, sel, 0, &qcols, &nq, &rows, &nrows)))
		return rc;
	if ((int)into->n_col_names > nq)
		return dh_err_sql(r->err, "42601", "too many column names were specified");
	struct sqlc_coldef *cols = dh_arena_zalloc(r->a, (size_t)(nq + 1) * sizeof(*cols));
	for (int i = 0; i < nq; i++) {
		struct sqlc_coldef *c = &cols[i];
		c->name = dh_arena_strdup(r->a, i < (int)into->n_col_names
						    ? dh__sqlc_str(into->col_names[i])
						    : qcols[i].name);
		c->oid = qcols[i].type_oid == DH_OID_UNKNOWN ? DH_OID_TEXT : qcols[i].type_oid;
		c->typmod = qcols[i].typmod;
		c->location = -1;
		if ((rc = name_ok(r, "column", c->name, -1)))
			return rc;
		if (strcmp(c->name, "db_id") == 0 || strcmp(c->name, "db-row") == 0)
			return dh_err_sql(r->err, "42701",
					  "column name \"%s\" conflicts with a system column name",
					  c->name);
		for (int k = 0; k < i; k++)
			if (strcmp(cols[k].name, c->name) == 0)
				return dh_err_sql(r->err, "42701",
						  "column \"%s\" specified more than once",
						  c->name);
		if (qcols[i].type_oid == DH_OID_UNKNOWN)
			for (size_t j = 0; j < nrows; j++)
				if (rows[j * (size_t)nq + (size_t)i].type != DH_T_NONE &&
				    rows[j * (size_t)nq + (size_t)i].type != DH_T_STRING)
					return dh_err_sql(r->err, "XX000",
							  "column \"%s\" of unknown type holds a "
							  "value that is not text",
							  c->name);
	}
	if ((rc = create_cols(r, rv, cols, nq, NULL, 0)) ||
	    (temp && (rc = dh__sqltemp_created(r, rv->relname))))
		return rc;
	if (into->skip_data)
		return dh__sqlc_emit(r, "CREATE TABLE AS", 0, NULL, NULL, 0);
	if ((rc = dh__sqlc_fill_table(r, rv->relname, rows, nrows, nq)))
		return rc;
	return dh__sqlc_emit(r, dh_arena_printf(r->a, "SELECT %zu", nrows), 0, NULL, NULL, 0);
}

/* Retract every datom of attribute a. */
static int
retract_attr(struct dh__sqlrun *r, struct dh_wtx *w, uint64_t a)
{
	struct dh_iter *it;
	struct dh_datom pat = {.a = a}, d;
	int rc = dh_iter_open(dh_wtx_view(w), DH_AEVT, &pat, 1, r->a, &it, r->err);
	if (rc)
		return rc;
	size_t n = 0, cap = 256;
	struct dh_txop *ops = xmalloc(cap * sizeof(*ops));
	while ((rc = dh_iter_next(it, &d, r->err)) == 1) {
		if (n == cap) {
			cap *= 2;
			ops = xrealloc(ops, cap * sizeof(*ops));
		}
		ops[n++] = (struct dh_txop){0, d.e, a, d.v};
	}
	dh_iter_close(it);
	if (rc == 0 && n) {
		struct dh_tx_report rep;
		rc = dh_wtx_apply(w, ops, n, r->a, &rep, r->err);
	}
	free(ops);
	return rc < 0 ? rc : 0;
}

/* --- DROP TABLE / SEQUENCE / VIEW / INDEX --- */

struct dropset {
	struct dh_buf edn; /* tx-data: retractions and renames */
	uint64_t *gone;	   /* entities retracted */
	size_t ngone, agone;
	/* "drop cascades to ...": keyed by when PostgreSQL's findDependentObjects
	 * would add the object (after its own dependents; an object's
	 * dependents newest first), reported last added first */
	struct dh__sqlc_cascade casc;
	uint64_t added;
};

static void
gone_add(struct dropset *d, uint64_t e)
{
	for (size_t i = 0; i < d->ngone; i++)
		if (d->gone[i] == e)
			return;
	if (d->ngone == d->agone) {
		d->agone = d->agone ? 2 * d->agone : 16;
		d->gone = xrealloc(d->gone, d->agone * sizeof(*d->gone));
	}
	d->gone[d->ngone++] = e;
	dh_buf_printf(&d->edn, "[:db/retractEntity %llu]", (unsigned long long)e);
}

static int
is_gone(const struct dropset *d, uint64_t e)
{
	for (size_t i = 0; i < d->ngone; i++)
		if (d->gone[i] == e)
			return 1;
	return 0;
}

void
dh__sqlc_cascade_add(struct dh__sqlrun *r, struct dh__sqlc_cascade *c, uint64_t key,
		     const char *what, const char *on)
{
	if (c->n == c->cap) {
		size_t cap = c->cap ? 2 * c->cap : 8;
		struct dh__sqlc_dep *v = dh_arena_alloc(r->a, cap * sizeof(*v));
		if (c->n)
			memcpy(v, c->v, c->n * sizeof(*v));
		c->v = v;
		c->cap = cap;
	}
	c->v[c->n++] = (struct dh__sqlc_dep){key, what, on};
}

static int
dep_cmp(const void *x, const void *y)
{
	const struct dh__sqlc_dep *a = x, *b = y;
	return a->key < b->key ? -1 : a->key > b->key;
}

/* PostgreSQL's MAX_REPORTED_DEPS: the client's list stops there */
#define MAX_REPORTED_DEPS 100

int
dh__sqlc_cascade_end(struct dh__sqlrun *r, struct dh__sqlc_cascade *c, int sort, int cascade,
		     const char *what)
{
	if (c->n == 0)
		return 0;
	if (sort)
		qsort(c->v, c->n, sizeof(*c->v), dep_cmp);
	if (sort < 0)
		for (size_t i = 0; i < c->n / 2; i++) {
			struct dh__sqlc_dep t = c->v[i];
			c->v[i] = c->v[c->n - 1 - i];
			c->v[c->n - 1 - i] = t;
		}
	struct dh_buf b;
	dh_buf_init(&b, 0);
	for (size_t i = 0; i < c->n && i < MAX_REPORTED_DEPS; i++) {
		if (cascade)
			dh_buf_printf(&b, "%sdrop cascades to %s", i ? "\n" : "", c->v[i].what);
		else
			dh_buf_printf(&b, "%s%s depends on %s", i ? "\n" : "", c->v[i].what,
				      c->v[i].on);
	}
	if (c->n > MAX_REPORTED_DEPS)
		dh_buf_printf(&b, "\nand %zu other object%s (see server log for list)",
			      c->n - MAX_REPORTED_DEPS, c->n - MAX_REPORTED_DEPS == 1 ? "" : "s");
	const char *list = (const char *)b.p;
	int rc = 0;
	if (cascade && c->n == 1)
		dh__sql_notice(r->s, "NOTICE", "00000", NULL, "%s", list);
	else if (cascade)
		dh__sql_notice(r->s, "NOTICE", "00000", list, "drop cascades to %zu other objects",
			       c->n);
	else {
		if (what)
			dh_err_sql(r->err, "2BP01",
				   "cannot drop %s because other objects depend on it", what);
		else
			dh_err_sql(r->err, "2BP01",
				   "cannot drop desired object(s) because other objects depend on "
				   "them");
		dh_err_detail(r->err, "%s", list);
		dh_err_hint(r->err, "Use DROP ... CASCADE to drop the dependent objects too.");
		rc = DH_ESQL;
	}
	dh_buf_release(&b);
	return rc;
}

/* A dependent found in the order PostgreSQL's findDependentObjects adds
 * it: what depends on "why_what why_name". */
static void
dependent(struct dh__sqlrun *r, struct dropset *d, const char *what, const char *why_what,
	  const char *why_name)
{
	dh__sqlc_cascade_add(r, &d->casc, ++d->added, what,
			     dh_arena_printf(r->a, "%s %s", why_what, why_name));
}

/* Newest first, as findDependentObjects visits an object's dependents
 * (OID descending). */
static int
eid_desc(const void *x, const void *y)
{
	uint64_t a = *(const uint64_t *)x, b = *(const uint64_t *)y;
	return a > b ? -1 : a < b;
}

/* Views reading entity e (a table or a view), newest first. */
static int
views_on(struct dh__sqlrun *r, struct dh_view *v, const struct dh_schema *sc, uint64_t e,
	 uint64_t **out, size_t *n)
{
	struct dh_value val = {.type = DH_T_REF, .ref = e};
	int rc = dh__sqlcat_having(v, sc, "dh.sql/depends", &val, r->a, out, n, r->err);
	if (rc == 0 && *n)
		qsort(*out, *n, sizeof(**out), eid_desc);
	return rc;
}

static int drop_view_entity(struct dh__sqlrun *r, struct dh_view *v, const struct dh_schema *sc,
			    uint64_t e, const char *why_what, const char *why_name, int cascade,
			    struct dropset *d);

/* Views depending on e go with CASCADE, else 2BP01. */
static int
drop_dependent_views(struct dh__sqlrun *r, struct dh_view *v, const struct dh_schema *sc,
		     uint64_t e, const char *what, const char *name, int cascade, struct dropset *d)
{
	uint64_t *vs;
	size_t n;
	int rc = views_on(r, v, sc, e, &vs, &n);
	for (size_t i = 0; rc == 0 && i < n; i++) {
		if (is_gone(d, vs[i]))
			continue;
		rc = drop_view_entity(r, v, sc, vs[i], what, name, cascade, d);
	}
	return rc;
}

static int
drop_view_entity(struct dh__sqlrun *r, struct dh_view *v, const struct dh_schema *sc, uint64_t e,
		 const char *why_what, const char *why_name, int cascade, struct dropset *d)
{
	struct dh_sqlview vi;
	const char *vname = "?";
	uint64_t ve;
	(void)ve;
	/* the view's name */
	const struct dh_attr *a = dh_schema_attr(sc, "dh.sql/view", 11);
	struct dh_iter *it;
	struct dh_datom pat = {.e = e, .a = a ? a->id : 0}, dd;
	int rc = dh_iter_open(v, DH_EAVT, &pat, 2, r->a, &it, r->err);
	if (rc)
		return rc;
	if ((rc = dh_iter_next(it, &dd, r->err)) == 1)
		vname = dh_arena_strndup(r->a, dd.v.s.p, dd.v.s.n);
	dh_iter_close(it);
	if (rc < 0)
		return rc;
	(void)vi;
	gone_add(d, e);
	if ((rc = drop_dependent_views(r, v, sc, e, "view", vname, cascade, d)))
		return rc;
	if (why_what)
		dependent(r, d, dh_arena_printf(r->a, "view %s", vname), why_what, why_name);
	return 0;
}

static int
drop_table_set(struct dh__sqlrun *r, struct dh_wtx *w, struct dh_sqltable **ts, int nt, int cascade,
	       struct dropset *d)
{
	const struct dh_schema *sc;
	int rc = dh_wtx_schema(w, &sc, r->err);
	if (rc)
		return rc;
	struct dh_view *v = dh_wtx_view(w);
	for (int k = 0; k < nt; k++) {
		struct dh_sqltable *t = ts[k];
		/* its dependents newest first: foreign keys of other tables
		 * and views */
		uint64_t *vs = NULL, *deps;
		size_t nv = 0, nd = 0;
		if (t->eid && (rc = views_on(r, v, sc, t->eid, &vs, &nv)))
			return rc;
		deps = dh_arena_alloc(r->a, ((size_t)t->nrefby + nv + 1) * sizeof(*deps));
		for (int i = 0; i < t->nrefby; i++)
			deps[nd++] = t->refby[i].eid;
		for (size_t i = 0; i < nv; i++)
			deps[nd++] = vs[i];
		qsort(deps, nd, sizeof(*deps), eid_desc);
		for (size_t i = 0; i < nd; i++) {
			if (is_gone(d, deps[i]))
				continue;
			struct dh_sqlcon *f = NULL;
			for (int j = 0; j < t->nrefby && !f; j++)
				if (t->refby[j].eid == deps[i])
					f = &t->refby[j];
			if (!f) {
				if ((rc = drop_view_entity(r, v, sc, deps[i], "table", t->name,
							   cascade, d)))
					return rc;
				continue;
			}
			int inset = 0;
			for (int j = 0; j < nt; j++)
				inset |= f->table_eid == ts[j]->eid;
			if (inset)
				continue;
			gone_add(d, f->eid);
			dependent(
			    r, d,
			    dh_arena_printf(r->a, "constraint %s on table %s", f->name, f->table),
			    "table", t->name);
		}
	}
	for (int k = 0; k < nt; k++) {
		struct dh_sqltable *t = ts[k];
		/* rows go, then the attributes leave the namespace */
		for (int i = 0; i < t->ncols; i++)
			if ((rc = retract_attr(r, w, t->cols[i].attr)))
				return rc;
		if (t->marker && (rc = retract_attr(r, w, t->marker)))
			return rc;
		uint64_t tx = dh_wtx_tx(w);
		for (int i = 0; i < t->ncols; i++) {
			dh_buf_printf(&d->edn, "[:db/add %llu :db/ident :dh.dropped.%s.%llu/%s]",
				      (unsigned long long)t->cols[i].attr, t->name,
				      (unsigned long long)tx, t->cols[i].name);
			if (t->cols[i].seq)
				gone_add(d, t->cols[i].seq);
			/* sequences OWNED BY the column */
			uint64_t *os;
			size_t nos;
			struct dh_value ov = {.type = DH_T_REF, .ref = t->cols[i].attr};
			if ((rc = dh__sqlcat_having(dh_wtx_view(w), sc, "dh.sql/seq-owner", &ov,
						    r->a, &os, &nos, r->err)))
				return rc;
			for (size_t j = 0; j < nos; j++)
				gone_add(d, os[j]);
		}
		if (t->marker)
			dh_buf_printf(
			    &d->edn, "[:db/add %llu :db/ident :dh.dropped.%s.%llu/db-row]",
			    (unsigned long long)t->marker, t->name, (unsigned long long)tx);
		for (int i = 0; i < t->ncons; i++)
			gone_add(d, t->cons[i].eid);
		for (int i = 0; i < t->nidx; i++)
			gone_add(d, t->idx[i].eid);
		if (t->eid)
			gone_add(d, t->eid);
	}
	return 0;
}

static int
drop_sequence(struct dh__sqlrun *r, struct dh_view *v, const struct dh_schema *sc, const char *name,
	      struct dropset *d)
{
	struct dh_sqlseq q;
	int rc = dh__sqlcat_seq(v, sc, name, r->a, &q, r->err);
	if (rc)
		return rc < 0 ? rc
			      : dh_err_sql(r->err, "42P01", "sequence \"%s\" does not exist", name);
	struct dh_sqltable **ts;
	int nt;
	if ((rc = dh__sqlcat_tables(v, sc, r->a, &ts, &nt, r->err)))
		return rc;
	const char *call = dh_arena_printf(r->a, "nextval('%s')", name);
	struct dh__sqlc_cascade defaults = {0}; /* by column: their defaults' age */
	for (int k = 0; k < nt; k++)
		for (int i = 0; i < ts[k]->ncols; i++) {
			const struct dh_sqlcol *c = &ts[k]->cols[i];
			if (c->seq == q.eid && c->identity) {
				dh_err_sql(r->err, "2BP01",
					   "cannot drop sequence %s because column %s of table %s "
					   "requires it",
					   name, c->name, ts[k]->name);
				dh_err_hint(r->err, "You can drop column %s of table %s instead.",
					    c->name, ts[k]->name);
				return DH_ESQL;
			}
			if (!(c->dflt && strstr(c->dflt, call)) && c->seq != q.eid)
				continue;
			dh__sqlc_cascade_add(
			    r, &defaults, c->attr,
			    dh_arena_printf(r->a, "default value for column %s of table %s",
					    c->name, ts[k]->name),
			    NULL);
			if (c->dflt) {
				dh_buf_printf(&d->edn, "[:db/retract %llu :dh.sql/default ",
					      (unsigned long long)c->attr);
				edn_str(&d->edn, c->dflt);
				dh_buf_addc(&d->edn, ']');
			}
			if (c->seq)
				dh_buf_printf(&d->edn, "[:db/retract %llu :dh.sql/seq %llu]",
					      (unsigned long long)c->attr,
					      (unsigned long long)c->seq);
		}
	/* added newest first */
	if (defaults.n)
		qsort(defaults.v, defaults.n, sizeof(*defaults.v), dep_cmp);
	for (size_t i = defaults.n; i-- > 0;)
		dependent(r, d, defaults.v[i].what, "sequence", name);
	gone_add(d, q.eid);
	return 0;
}

static int
drop_index(struct dh__sqlrun *r, struct dh_view *v, const struct dh_schema *sc, const char *name,
	   struct dropset *d)
{
	uint64_t e;
	int rc = dh__sqlcat_find(v, sc, "dh.sql/index", name, r->a, &e, r->err);
	if (rc)
		return rc;
	if (!e) {
		/* a primary key's or unique constraint's */
		uint64_t ce;
		const char *table = "?";
		if ((rc = dh__sqlcat_find(v, sc, "dh.sql/constraint", name, r->a, &ce, r->err)))
			return rc;
		struct dh_value x;
		struct dh_datom *ds;
		size_t n;
		(void)x;
		if (ce && dh__sqlcat_entity(v, ce, r->a, &ds, &n, r->err) == 0)
			for (size_t i = 0; i < n; i++) {
				const struct dh_attr *on = dh_schema_attr(sc, "dh.sql/on", 9);
				uint64_t te;
				(void)te;
				if (on && ds[i].a == on->id) {
					struct dh_datom *ts;
					size_t nts;
					if (dh__sqlcat_entity(v, ds[i].v.ref, r->a, &ts, &nts,
							      r->err) == 0)
						for (size_t j = 0; j < nts; j++)
							if (ts[j].v.type == DH_T_STRING &&
							    dh_schema_attr(sc, "dh.sql/table",
									   12) &&
							    ts[j].a == dh_schema_attr(
									   sc, "dh.sql/table", 12)
									   ->id)
								table = dh_arena_strndup(
								    r->a, ts[j].v.s.p, ts[j].v.s.n);
				}
			}
		dh_err_sql(r->err, "2BP01",
			   "cannot drop index %s because constraint %s on table %s requires it",
			   name, name, table);
		dh_err_hint(r->err, "You can drop constraint %s on table %s instead.", name, table);
		return DH_ESQL;
	}
	/* an index no longer marks its columns' attributes :db/index: the
	 * attributes keep it (every attribute is in AVET anyway) */
	gone_add(d, e);
	return 0;
}

/* The name of an object in a DROP's list; 1 with *name the schema for
 * another schema (it does not exist). */
static int
drop_name(struct dh__sqlrun *r, const PgQuery__Node *o, const char **name)
{
	const PgQuery__List *l = o->list;
	*name = dh__sqlc_str(l->items[l->n_items - 1]);
	if (l->n_items == 2 && strcmp(dh__sqlc_str(l->items[0]), "public") != 0) {
		*name = dh__sqlc_str(l->items[0]);
		return 1;
	}
	if (l->n_items > 2)
		return dh_err_sql(r->err, "0A000", "cross-database references are not implemented");
	return 0;
}

static const char *
kind_word(char k)
{
	return k == 'r' ? "table" : k == 'S' ? "sequence" : k == 'v' ? "view" : "index";
}

int
dh__sqlc_drop(struct dh__sqlrun *r, const PgQuery__DropStmt *st)
{
	char want;
	const char *tag;
	switch (st->remove_type) {
	case PG_QUERY__OBJECT_TYPE__OBJECT_TABLE:
		want = 'r', tag = "DROP TABLE";
		break;
	case PG_QUERY__OBJECT_TYPE__OBJECT_SEQUENCE:
		want = 'S', tag = "DROP SEQUENCE";
		break;
	case PG_QUERY__OBJECT_TYPE__OBJECT_VIEW:
		want = 'v', tag = "DROP VIEW";
		break;
	case PG_QUERY__OBJECT_TYPE__OBJECT_INDEX:
		want = 'i', tag = "DROP INDEX";
		break;
	default:
		return 1;
	}
	int cascade = st->behavior == PG_QUERY__DROP_BEHAVIOR__DROP_CASCADE;
	struct dh_wtx *w;
	const struct dh_schema *sc;
	int rc;
	if ((rc = dh__sql_wtx(r->s, &w, r->err)) || (rc = dh_wtx_schema(w, &sc, r->err)))
		return rc;
	struct dh_view *v = dh_wtx_view(w);
	struct dropset d;
	memset(&d, 0, sizeof(d));
	dh_buf_init(&d.edn, 0);
	dh_buf_addc(&d.edn, '[');
	struct dh_sqltable **ts = dh_arena_zalloc(r->a, (st->n_objects + 1) * sizeof(*ts));
	uint64_t *vts = dh_arena_zalloc(r->a, (st->n_objects + 1) * sizeof(*vts));
	const char **vnames = dh_arena_zalloc(r->a, (st->n_objects + 1) * sizeof(*vnames));
	int nt = 0, nvt = 0, nnamed = 0;
	const char *named = NULL; /* the one object named, for errors */
	for (size_t i = 0; i < st->n_objects && rc == 0; i++) {
		const char *name;
		char kind;
		if ((rc = drop_name(r, st->objects[i], &name)) == 1 && st->missing_ok) {
			rc = 0;
			dh__sql_notice(r->s, "NOTICE", "00000", NULL,
				       "schema \"%s\" does not exist, skipping", name);
			continue;
		}
		if (rc == 1)
			rc = dh_err_sql(r->err, "3F000", "schema \"%s\" does not exist", name);
		if (rc || (rc = dh__sqlcat_relkind(v, sc, name, r->a, &kind, r->err)))
			break;
		if (!kind) {
			if (st->missing_ok) {
				dh__sql_notice(r->s, "NOTICE", "00000", NULL,
					       "%s \"%s\" does not exist, skipping",
					       kind_word(want), name);
				continue;
			}
			/* PostgreSQL: 42704 for an index, 42P01 for the others */
			rc = dh_err_sql(r->err, want == 'i' ? "42704" : "42P01",
					"%s \"%s\" does not exist", kind_word(want), name);
			break;
		}
		if (kind != want) {
			rc = dh_err_sql(r->err, "42809", "\"%s\" is not %s", name,
					want == 'i'   ? "an index"
					: want == 'r' ? "a table"
					: want == 'S' ? "a sequence"
						      : "a view");
			dh_err_hint(r->err, "Use DROP %s to remove %s %s.",
				    kind == 'r'	  ? "TABLE"
				    : kind == 'S' ? "SEQUENCE"
				    : kind == 'v' ? "VIEW"
						  : "INDEX",
				    kind == 'i' ? "an" : "a", kind_word(kind));
			break;
		}
		nnamed++;
		named = name;
		if (want == 'r') {
			if ((rc = dh__sqlcat_table(v, sc, name, r->a, &ts[nt], r->err)))
				break;
			nt++;
		} else if (want == 'v') {
			/* the views named are no one's dependents: gone first */
			if ((rc = dh__sqlcat_find(v, sc, "dh.sql/view", name, r->a, &vts[nvt],
						  r->err)))
				break;
			vnames[nvt] = name;
			gone_add(&d, vts[nvt++]);
		} else if (want == 'S') {
			rc = drop_sequence(r, v, sc, name, &d);
		} else {
			rc = drop_index(r, v, sc, name, &d);
		}
	}
	for (int i = 0; i < nvt && rc == 0; i++)
		rc = drop_dependent_views(r, v, sc, vts[i], "view", vnames[i], cascade, &d);
	if (rc == 0 && nt)
		rc = drop_table_set(r, w, ts, nt, cascade, &d);
	if (rc == 0)
		rc = dh__sqlc_cascade_end(
		    r, &d.casc, -1, cascade,
		    nnamed == 1 ? dh_arena_printf(r->a, "%s %s", kind_word(want), named) : NULL);
	dh_buf_addc(&d.edn, ']');
	if (rc == 0 && d.edn.len > 2)
		rc = dh__sql_transact_edn(r->s, (const char *)d.edn.p, r->a, r->err);
	dh_buf_release(&d.edn);
	free(d.gone);
	if (rc)
		return rc;
	return dh__sqlc_emit(r, tag, 0, NULL, NULL, 0);
}

void
dh__sqlc_edn_str(struct dh_buf *b, const char *s)
{
	edn_str(b, s);
}

int
dh__sqlc_retract_attr(struct dh__sqlrun *r, struct dh_wtx *w, uint64_t a)
{
	return retract_attr(r, w, a);
}

int
dh__sqlc_name_ok(struct dh__sqlrun *r, const char *what, const char *name, int location)
{
	return name_ok(r, what, name, location);
}
