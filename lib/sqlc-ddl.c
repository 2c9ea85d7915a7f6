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
	size_t n = strlen(name);
	int ok = n > 0 && n <= 63 && !isdigit((unsigned char)name[0]);
	for (size_t i = 0; ok && i < n; i++) {
		unsigned char c = (unsigned char)name[i];
		ok = isalnum(c) || c == '_' || c == '$' || c >= 0x80;
	}
	if (ok)
		return 0;
	dh_err_sql(r->err, "0A000", "%s name \"%s\" is not supported: use letters, digits and _",
		   what, name);
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
	if (tn->n_names == 1 && name &&
	    (strcmp(name, "serial") == 0 || strcmp(name, "bigserial") == 0 ||
	     strcmp(name, "smallserial") == 0 || strcmp(name, "serial4") == 0 ||
	     strcmp(name, "serial8") == 0 || strcmp(name, "serial2") == 0)) {
		dh_err_sql(r->err, "0A000", "type %s is not supported yet", name);
		return dh__sql_at(r, tn->location, DH_ESQL);
	}
	int32_t mods[8];
	int nm = 0;
	for (size_t i = 0; i < tn->n_typmods && nm < 8; i++) {
		const PgQuery__Node *m = tn->typmods[i];
		if (m->node_case != PG_QUERY__NODE__NODE_A_CONST ||
		    m->a_const->val_case != PG_QUERY__A__CONST__VAL_IVAL) {
			dh_err_sql(r->err, "42601", "type modifiers must be simple constants or "
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

struct coldef {
	const char *name;
	uint32_t oid;
	int32_t typmod;
	int notnull, pk;
	const char *dflt;
	int location;
};

int
dh__sqlc_create_table(struct dh__sqlrun *r, const PgQuery__CreateStmt *st)
{
	const PgQuery__RangeVar *rv = st->relation;
	int rc;
	if (rv->schemaname && *rv->schemaname && strcmp(rv->schemaname, "public") != 0) {
		dh_err_sql(r->err, "3F000", "schema \"%s\" does not exist", rv->schemaname);
		return dh__sql_at(r, rv->location, DH_ESQL);
	}
	if (rv->relpersistence && rv->relpersistence[0] == 't')
		return dh_err_sql(r->err, "0A000", "temporary tables are not supported yet");
	if (st->n_inh_relations || st->partspec || st->of_typename)
		return dh_err_sql(r->err, "0A000",
				  "inheritance, partitions and typed tables are not supported");
	if ((rc = name_ok(r, "table", rv->relname, rv->location)))
		return rc;
	struct dh_view *v;
	const struct dh_schema *sc;
	if ((rc = dh__sql_view(r->s, &v, &sc, r->err)))
		return rc;
	struct dh_sqltable *t;
	struct dh_err e2;
	if (dh__sqlcat_table(v, sc, rv->relname, r->a, &t, &e2) == 0) {
		if (st->if_not_exists) {
			struct dh_sql_result res = {.tag = "CREATE TABLE"};
			char *note = dh_arena_printf(r->a, "relation \"%s\" already exists, skipping",
						     rv->relname);
			res.notice = note;
			return r->cb ? r->cb(r->ctx, &res) : 0;
		}
		dh_err_sql(r->err, "42P07", "relation \"%s\" already exists", rv->relname);
		return dh__sql_at(r, rv->location, DH_ESQL);
	}
	int n = 0;
	struct coldef *cols = dh_arena_zalloc(r->a, (st->n_table_elts + 1) * sizeof(*cols));
	const PgQuery__Constraint *pkc = NULL;
	for (size_t i = 0; i < st->n_table_elts; i++) {
		const PgQuery__Node *el = st->table_elts[i];
		if (el->node_case == PG_QUERY__NODE__NODE_CONSTRAINT) {
			const PgQuery__Constraint *c = el->constraint;
			if (c->contype == PG_QUERY__CONSTR_TYPE__CONSTR_PRIMARY) {
				if (pkc) {
					dh_err_sql(r->err, "42P16",
						   "multiple primary keys for table \"%s\" are not "
						   "allowed",
						   rv->relname);
					return dh__sql_at(r, c->location, DH_ESQL);
				}
				pkc = c;
				continue;
			}
			dh_err_sql(r->err, "0A000", "this table constraint is not supported yet");
			return dh__sql_at(r, c->location, DH_ESQL);
		}
		if (el->node_case != PG_QUERY__NODE__NODE_COLUMN_DEF)
			return dh_err_sql(r->err, "0A000", "LIKE in CREATE TABLE is not supported yet");
		const PgQuery__ColumnDef *cd = el->column_def;
		if ((rc = name_ok(r, "column", cd->colname, cd->location)))
			return rc;
		if (strcmp(cd->colname, "db_id") == 0 || strcmp(cd->colname, "db-row") == 0) {
			dh_err_sql(r->err, "42701", "column name \"%s\" conflicts with a system column "
						    "name",
				   cd->colname);
			return dh__sql_at(r, cd->location, DH_ESQL);
		}
		for (int k = 0; k < n; k++)
			if (strcmp(cols[k].name, cd->colname) == 0) {
				dh_err_sql(r->err, "42701", "column \"%s\" specified more than once",
					   cd->colname);
				return dh__sql_at(r, cd->location, DH_ESQL);
			}
		struct coldef *c = &cols[n++];
		c->name = cd->colname;
		c->location = cd->location;
		int serial;
		if ((rc = type_of(r, cd->type_name, &c->oid, &c->typmod, &serial)))
			return rc;
		c->notnull = cd->is_not_null;
		if (cd->coll_clause)
			return dh_err_sql(r->err, "0A000", "COLLATE is not supported yet");
		for (size_t k = 0; k < cd->n_constraints; k++) {
			const PgQuery__Constraint *cc = cd->constraints[k]->constraint;
			switch (cc->contype) {
			case PG_QUERY__CONSTR_TYPE__CONSTR_NOTNULL:
				c->notnull = 1;
				break;
			case PG_QUERY__CONSTR_TYPE__CONSTR_NULL:
				break;
			case PG_QUERY__CONSTR_TYPE__CONSTR_PRIMARY:
				if (pkc || c->pk) {
					dh_err_sql(r->err, "42P16",
						   "multiple primary keys for table \"%s\" are not "
						   "allowed",
						   rv->relname);
					return dh__sql_at(r, cc->location, DH_ESQL);
				}
				c->pk = 1;
				c->notnull = 1;
				break;
			case PG_QUERY__CONSTR_TYPE__CONSTR_DEFAULT: {
				/* check it compiles to the column's type now */
				struct dh_sqlx_cc xc = {.a = r->a, .err = r->err,
							.env = dh__sql_env(r->s), .text = r->text};
				struct dh_sqlx *x;
				if ((rc = dh_sqlx_compile(&xc, cc->raw_expr, &x)) ||
				    (rc = dh_sqlx_coerce(&xc, x, c->oid, c->typmod, DH_CAST_ASSIGNMENT,
							 c->name, &x)))
					return rc;
				c->dflt = dh__sqlc_deparse_expr(r->a, cc->raw_expr);
				if (!c->dflt)
					return dh_err_sql(r->err, "XX000",
							  "cannot store the DEFAULT expression");
				break;
			}
			default:
				dh_err_sql(r->err, "0A000",
					   "this column constraint is not supported yet");
				return dh__sql_at(r, cc->location, DH_ESQL);
			}
		}
	}
	if (pkc) {
		for (size_t k = 0; k < pkc->n_keys; k++) {
			const char *kn = dh__sqlc_str(pkc->keys[k]);
			int found = -1;
			for (int j = 0; j < n; j++)
				if (kn && strcmp(cols[j].name, kn) == 0)
					found = j;
			if (found < 0) {
				dh_err_sql(r->err, "42703",
					   "column \"%s\" named in key does not exist", kn ? kn : "?");
				return dh__sql_at(r, pkc->location, DH_ESQL);
			}
			cols[found].pk = (int)k + 1;
			cols[found].notnull = 1;
		}
	}
	if ((rc = dh__sqlcat_bootstrap(r->s, sc, r->a, r->err)))
		return rc;
	/* the pk's column order */
	struct dh_buf pk;
	dh_buf_init(&pk, 0);
	if (pkc) {
		for (size_t k = 0; k < pkc->n_keys; k++) {
			if (k)
				dh_buf_addc(&pk, ',');
			dh_buf_adds(&pk, dh__sqlc_str(pkc->keys[k]));
		}
	} else {
		for (int j = 0; j < n; j++)
			if (cols[j].pk)
				dh_buf_adds(&pk, cols[j].name);
	}
	struct dh_buf b;
	dh_buf_init(&b, 0);
	dh_buf_addc(&b, '[');
	for (int j = 0; j < n; j++) {
		struct coldef *c = &cols[j];
		struct dh_buf tb;
		dh_buf_init(&tb, 0);
		dh_sqltype_format(c->oid, c->typmod, 1, &tb);
		dh_buf_printf(&b,
			      "{:db/ident :%s/%s :db/valueType :db.type/%s"
			      " :db/cardinality :db.cardinality/one :dh.sql/ordinal %d :dh.sql/type ",
			      rv->relname, c->name, dh_type_name(dh__sqlcat_rep(c->oid)), j + 1);
		edn_str(&b, (const char *)tb.p);
		dh_buf_release(&tb);
		if (c->notnull)
			dh_buf_adds(&b, " :dh.sql/notnull true");
		if (c->dflt) {
			dh_buf_adds(&b, " :dh.sql/default ");
			edn_str(&b, c->dflt);
		}
		/* a one-column key is a unique identity: lookup refs and upserts
		 * from Datalog */
		if (c->pk && (!pkc || pkc->n_keys == 1))
			dh_buf_adds(&b, " :db/unique :db.unique/identity");
		dh_buf_adds(&b, "}\n");
	}
	dh_buf_printf(&b,
		      "{:db/ident :%s/db-row :db/valueType :db.type/boolean"
		      " :db/cardinality :db.cardinality/one"
		      " :db/doc \"SQL: every row of table %s has it\"}\n"
		      "{:dh.sql/table ",
		      rv->relname, rv->relname);
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
	return dh__sqlc_emit(r, "CREATE TABLE", 0, NULL, NULL, 0);
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

static int
drop_table(struct dh__sqlrun *r, const char *name, int missing_ok, int *dropped)
{
	struct dh_wtx *w;
	const struct dh_schema *sc;
	int rc;
	*dropped = 0;
	if ((rc = dh__sql_wtx(r->s, &w, r->err)) || (rc = dh_wtx_schema(w, &sc, r->err)))
		return rc;
	struct dh_sqltable *t;
	struct dh_err e2;
	if (dh__sqlcat_table(dh_wtx_view(w), sc, name, r->a, &t, &e2)) {
		if (missing_ok)
			return 0;
		return dh_err_sql(r->err, "42P01", "table \"%s\" does not exist", name);
	}
	/* rows go, then the attributes leave the namespace */
	for (int i = 0; i < t->ncols; i++)
		if ((rc = retract_attr(r, w, t->cols[i].attr)))
			return rc;
	if (t->marker && (rc = retract_attr(r, w, t->marker)))
		return rc;
	struct dh_buf b;
	dh_buf_init(&b, 0);
	dh_buf_addc(&b, '[');
	uint64_t tx = dh_wtx_tx(w);
	for (int i = 0; i < t->ncols; i++)
		dh_buf_printf(&b, "[:db/add %llu :db/ident :dh.dropped.%s.%llu/%s]",
			      (unsigned long long)t->cols[i].attr, name, (unsigned long long)tx,
			      t->cols[i].name);
	if (t->marker)
		dh_buf_printf(&b, "[:db/add %llu :db/ident :dh.dropped.%s.%llu/db-row]",
			      (unsigned long long)t->marker, name, (unsigned long long)tx);
	if (t->eid)
		dh_buf_printf(&b, "[:db/retractEntity %llu]", (unsigned long long)t->eid);
	dh_buf_addc(&b, ']');
	rc = dh__sql_transact_edn(r->s, (const char *)b.p, r->a, r->err);
	dh_buf_release(&b);
	if (rc == 0)
		*dropped = 1;
	return rc;
}

int
dh__sqlc_drop(struct dh__sqlrun *r, const PgQuery__DropStmt *st)
{
	if (st->remove_type != PG_QUERY__OBJECT_TYPE__OBJECT_TABLE)
		return 1;
	/* nothing depends on a table yet: CASCADE drops just it */
	struct dh_buf notes;
	dh_buf_init(&notes, 0);
	int rc = 0;
	for (size_t i = 0; i < st->n_objects && rc == 0; i++) {
		const PgQuery__List *l = st->objects[i]->list;
		const char *name = dh__sqlc_str(l->items[l->n_items - 1]);
		if (l->n_items == 2 && strcmp(dh__sqlc_str(l->items[0]), "public") != 0) {
			rc = dh_err_sql(r->err, "3F000", "schema \"%s\" does not exist",
					dh__sqlc_str(l->items[0]));
			break;
		}
		int dropped;
		rc = drop_table(r, name, st->missing_ok, &dropped);
		if (rc == 0 && !dropped) {
			if (notes.len)
				dh_buf_addc(&notes, '\n');
			dh_buf_printf(&notes, "table \"%s\" does not exist, skipping", name);
		}
	}
	if (rc == 0 && r->cb) {
		struct dh_sql_result res = {.tag = "DROP TABLE",
					    .notice = notes.len ? (const char *)notes.p : NULL};
		rc = r->cb(r->ctx, &res);
	}
	dh_buf_release(&notes);
	return rc;
}
