/*
 * sqlc-pgcat-fn: the functions psql and drivers call on the catalogs
 * (format_type, pg_get_expr, pg_get_indexdef, pg_get_constraintdef,
 * pg_table_is_visible, pg_get_userbyid, obj_description, ...), as session
 * functions (dh__sqlc_function hands them over from DH_PGCAT_FN_BASE),
 * and the names of the reg* types (regclass, regtype, regnamespace,
 * regrole, regcollation) through the session's struct dh_sqlenv_cat.  All
 * of them read the statement's snapshot of the catalog (sqlc-pgcat.c).
 *
 * What dh has no notion of answers as it truthfully can: every privilege
 * test is true (dh checks none), relation sizes are 0 (rows live in the
 * store's shared indexes, not in files of their own: see lib/README),
 * nothing is publishable (dh has no logical replication).  Functions over
 * objects dh does not have (triggers, extended statistics, rules other
 * than a view's, function definitions) compile, so psql's queries over
 * the empty catalogs run, and fail with 0A000 if they are ever called.
 * pg_get_function_result and its kin print what PostgreSQL 15 prints for
 * pg_proc's rows (sqlc-pgcat-proc.c); pg_get_viewdef shows a simple
 * view's SELECT as ruleutils does (viewdef below).
 */
#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <pg_query.h>

#include "sqlc-int.h"

enum pfn {
	P_TABLE_IS_VISIBLE = DH_PGCAT_FN_BASE,
	P_TYPE_IS_VISIBLE,
	P_GET_USERBYID,
	P_FORMAT_TYPE,
	P_GET_EXPR,
	P_GET_INDEXDEF,
	P_GET_CONSTRAINTDEF,
	P_GET_VIEWDEF,
	P_OBJ_DESCRIPTION,
	P_COL_DESCRIPTION,
	P_SHOBJ_DESCRIPTION,
	P_PRIVILEGE,
	P_ENCODING_TO_CHAR,
	P_CURRENT_SCHEMAS,
	P_SIZE,
	P_SIZE_PRETTY,
	P_PUBLISHABLE,
	P_TABLESPACE_LOCATION,
	P_GET_SERIAL_SEQUENCE,
	P_IS_IN_RECOVERY,
	P_FUNCTION_RESULT,
	P_FUNCTION_ARGUMENTS,
	P_FUNCTION_IDENTITY_ARGUMENTS,
	P_FUNCTION_IS_VISIBLE,
	P_UNSUPPORTED,
};

static const struct pfndef {
	const char *name;
	int minargs, maxargs;
	enum pfn id;
	uint32_t type;
} pfns[] = {
    {"pg_table_is_visible", 1, 1, P_TABLE_IS_VISIBLE, DH_OID_BOOL},
    {"pg_type_is_visible", 1, 1, P_TYPE_IS_VISIBLE, DH_OID_BOOL},
    {"pg_get_userbyid", 1, 1, P_GET_USERBYID, DH_OID_NAME},
    {"format_type", 2, 2, P_FORMAT_TYPE, DH_OID_TEXT},
    {"pg_get_expr", 2, 3, P_GET_EXPR, DH_OID_TEXT},
    {"pg_get_indexdef", 1, 3, P_GET_INDEXDEF, DH_OID_TEXT},
    {"pg_get_constraintdef", 1, 2, P_GET_CONSTRAINTDEF, DH_OID_TEXT},
    {"pg_get_viewdef", 1, 2, P_GET_VIEWDEF, DH_OID_TEXT},
    {"obj_description", 1, 2, P_OBJ_DESCRIPTION, DH_OID_TEXT},
    {"col_description", 2, 2, P_COL_DESCRIPTION, DH_OID_TEXT},
    {"shobj_description", 2, 2, P_SHOBJ_DESCRIPTION, DH_OID_TEXT},
    {"has_table_privilege", 2, 3, P_PRIVILEGE, DH_OID_BOOL},
    {"has_schema_privilege", 2, 3, P_PRIVILEGE, DH_OID_BOOL},
    {"has_database_privilege", 2, 3, P_PRIVILEGE, DH_OID_BOOL},
    {"has_column_privilege", 3, 4, P_PRIVILEGE, DH_OID_BOOL},
    {"has_any_column_privilege", 2, 3, P_PRIVILEGE, DH_OID_BOOL},
    {"has_sequence_privilege", 2, 3, P_PRIVILEGE, DH_OID_BOOL},
    {"has_function_privilege", 2, 3, P_PRIVILEGE, DH_OID_BOOL},
    {"has_type_privilege", 2, 3, P_PRIVILEGE, DH_OID_BOOL},
    {"has_tablespace_privilege", 2, 3, P_PRIVILEGE, DH_OID_BOOL},
    {"pg_has_role", 2, 3, P_PRIVILEGE, DH_OID_BOOL},
    {"pg_encoding_to_char", 1, 1, P_ENCODING_TO_CHAR, DH_OID_NAME},
    {"current_schemas", 1, 1, P_CURRENT_SCHEMAS, DH_OID_NAME_ARRAY},
    {"pg_relation_size", 1, 2, P_SIZE, DH_OID_INT8},
    {"pg_table_size", 1, 1, P_SIZE, DH_OID_INT8},
    {"pg_total_relation_size", 1, 1, P_SIZE, DH_OID_INT8},
    {"pg_indexes_size", 1, 1, P_SIZE, DH_OID_INT8},
    {"pg_database_size", 1, 1, P_SIZE, DH_OID_INT8},
    {"pg_size_pretty", 1, 1, P_SIZE_PRETTY, DH_OID_TEXT},
    {"pg_relation_is_publishable", 1, 1, P_PUBLISHABLE, DH_OID_BOOL},
    {"pg_tablespace_location", 1, 1, P_TABLESPACE_LOCATION, DH_OID_TEXT},
    {"pg_get_serial_sequence", 2, 2, P_GET_SERIAL_SEQUENCE, DH_OID_TEXT},
    {"pg_is_in_recovery", 0, 0, P_IS_IN_RECOVERY, DH_OID_BOOL},
    {"pg_get_statisticsobjdef_columns", 1, 1, P_UNSUPPORTED, DH_OID_TEXT},
    {"pg_get_triggerdef", 1, 2, P_UNSUPPORTED, DH_OID_TEXT},
    {"pg_get_function_result", 1, 1, P_FUNCTION_RESULT, DH_OID_TEXT},
    {"pg_get_function_arguments", 1, 1, P_FUNCTION_ARGUMENTS, DH_OID_TEXT},
    {"pg_get_function_identity_arguments", 1, 1, P_FUNCTION_IDENTITY_ARGUMENTS, DH_OID_TEXT},
    {"pg_get_partkeydef", 1, 1, P_UNSUPPORTED, DH_OID_TEXT},
    {"pg_get_ruledef", 1, 2, P_UNSUPPORTED, DH_OID_TEXT},
    {"pg_get_functiondef", 1, 1, P_UNSUPPORTED, DH_OID_TEXT},
    {"pg_function_is_visible", 1, 1, P_FUNCTION_IS_VISIBLE, DH_OID_BOOL},
};

static int
unsupported_id(const char *name)
{
	for (size_t i = 0; i < DH_ARRAY_SIZE(pfns); i++)
		if (strcmp(pfns[i].name, name) == 0)
			return (int)i;
	return -1;
}

int
dh__sqlc_pgcat_function(const char *name, int nargs, struct dh_sqlx *const *args, int *id,
			uint32_t *type, int32_t *typmod, int *volatile_, struct dh_err *err)
{
	(void)args;
	int i = unsupported_id(name);
	if (i < 0)
		return 1;
	const struct pfndef *f = &pfns[i];
	if (nargs < f->minargs || nargs > f->maxargs) {
		dh_err_sql(err, "42883", "function %s with %d arguments does not exist", name, nargs);
		dh_err_hint(err, "No function matches the given name and argument types. You might "
				 "need to add explicit type casts.");
		return DH_ESQL;
	}
	/* the catalog functions' ids say which row: the table's index */
	*id = DH_PGCAT_FN_BASE + 100 + i;
	*type = f->type;
	*typmod = -1;
	*volatile_ = 1;
	return 0;
}

/* --- arguments --- */

/* A qualified name as the reg* types' input reads it: up to 2 parts,
 * unquoted ones folded to lower case.  1 if malformed. */
static int
split_name(struct dh_arena *a, const char *s, const char **parts, int *np)
{
	int n = 0;
	const char *p = s;
	for (;;) {
		struct dh_buf b;
		dh_buf_init(&b, 0);
		while (isspace((unsigned char)*p))
			p++;
		if (*p == '"') {
			for (p++; *p && !(*p == '"' && p[1] != '"'); p++) {
				if (*p == '"')
					p++;
				dh_buf_addc(&b, *p);
			}
			if (*p != '"') {
				dh_buf_release(&b);
				return 1;
			}
			p++;
		} else {
			while (*p && *p != '.' && !isspace((unsigned char)*p)) {
				dh_buf_addc(&b, (char)tolower((unsigned char)*p));
				p++;
			}
		}
		if (n == 3 || b.len == 0) {
			dh_buf_release(&b);
			return 1;
		}
		parts[n++] = dh_arena_strndup(a, (const char *)b.p, b.len);
		dh_buf_release(&b);
		while (isspace((unsigned char)*p))
			p++;
		if (*p == '.') {
			p++;
			continue;
		}
		if (*p)
			return 1;
		break;
	}
	*np = n;
	return 0;
}

static uint32_t
nsp_oid(const char *name)
{
	if (strcmp(name, "pg_catalog") == 0)
		return DH_PGCAT_NSP_CATALOG;
	if (strcmp(name, "public") == 0)
		return DH_PGCAT_NSP_PUBLIC;
	if (strcmp(name, "information_schema") == 0)
		return DH_PGCAT_NSP_INFO;
	if (strcmp(name, "pg_temp") == 0)
		return DH_PGCAT_NSP_TEMP;
	return 0;
}

/* regclass input: a relation by name, PostgreSQL's search order (the
 * session's temporary tables, pg_catalog, public) */
static int
regclass_in(struct dh__pgcat *pc, const char *s, uint32_t *oid, struct dh_err *err)
{
	const char *parts[3];
	int np;
	if (split_name(&pc->a, s, parts, &np))
		return dh_err_sql(err, "42602", "invalid name syntax");
	const char *name = parts[np - 1];
	const struct pgc_rel *r = NULL;
	if (np == 3 && strcmp(parts[0], pc->db) != 0)
		return dh_err_sql(err, "0A000", "cross-database references are not implemented: %s",
				  s);
	if (np >= 2) {
		uint32_t nsp = nsp_oid(parts[np - 2]);
		if (!nsp)
			return dh_err_sql(err, "3F000", "schema \"%s\" does not exist", parts[np - 2]);
		r = dh__pgcat_rel_named(pc, name, nsp);
	} else {
		static const uint32_t order[] = {DH_PGCAT_NSP_TEMP, DH_PGCAT_NSP_CATALOG,
						 DH_PGCAT_NSP_PUBLIC};
		for (size_t i = 0; i < DH_ARRAY_SIZE(order) && !r; i++)
			r = dh__pgcat_rel_named(pc, name, order[i]);
	}
	if (!r)
		return dh_err_sql(err, "42P01", "relation \"%s\" does not exist", s);
	*oid = r->oid;
	return 0;
}

/* regproc input: one of the built-in functions the catalogs name
 * (sqlc-pgcat-proc.c), in pg_catalog; dh has no functions of its own in
 * other schemas, and knows no other built-in ones */
static int
regproc_in(const char *name, uint32_t *oid, struct dh_err *err)
{
	const struct dh__pgfn *fn;
	const char *parts[3];
	int np, rc = 0;
	struct dh_arena a;
	dh_arena_init(&a);
	if (split_name(&a, name, parts, &np) || np > 2)
		rc = dh_err_sql(err, "42602", "invalid name syntax");
	else if (np == 2 && !nsp_oid(parts[0]))
		rc = dh_err_sql(err, "3F000", "schema \"%s\" does not exist", parts[0]);
	else if (np == 2 && nsp_oid(parts[0]) != DH_PGCAT_NSP_CATALOG)
		rc = dh_err_sql(err, "42883", "function \"%s\" does not exist", name);
	else if ((*oid = dh__pgproc_oid(parts[np - 1])))
		rc = 0;
	else if ((fn = dh__pgfn_named(parts[np - 1])) && fn->nsame > 1)
		rc = dh_err_sql(err, "42725", "more than one function named \"%s\"", name);
	else if (fn)
		*oid = fn->oid;
	else
		rc = dh_err_sql(err, "0A000",
				"regproc \"%s\" is not supported: dh's pg_proc lists only the "
				"functions dh implements",
				name);
	dh_arena_release(&a);
	return rc;
}

static int
cat_in(void *ctx, uint32_t type, const char *name, uint32_t *oid, struct dh_err *err)
{
	struct dh__pgcat *pc;
	const char *parts[3];
	int np, rc;
	switch (type) {
	case DH_OID_REGCLASS:
	case DH_OID_REGTYPE:
		if ((rc = dh__pgcat_get(ctx, &pc, err)))
			return rc;
		if (type == DH_OID_REGCLASS)
			return regclass_in(pc, name, oid, err);
		/* a table's or view's row type; else the types' own names */
		if (split_name(&pc->a, name, parts, &np) == 0) {
			for (size_t i = 0; i < pc->nrels; i++) {
				const struct pgc_rel *r = &pc->rels[i];
				if (r->reltype && strcmp(r->name, parts[np - 1]) == 0 &&
				    (np == 1 || nsp_oid(parts[0]) == r->nsp)) {
					*oid = r->reltype;
					return 0;
				}
			}
		}
		return 1;
	case DH_OID_REGNAMESPACE: {
		struct dh_arena a;
		dh_arena_init(&a);
		rc = split_name(&a, name, parts, &np);
		uint32_t n = rc == 0 && np == 1 ? nsp_oid(parts[0]) : 0;
		if (!n)
			rc = rc || np != 1 ? dh_err_sql(err, "42602", "invalid name syntax")
					   : dh_err_sql(err, "42704", "schema \"%s\" does not exist",
							parts[0]);
		dh_arena_release(&a);
		*oid = n;
		return n ? 0 : rc;
	}
	case DH_OID_REGROLE:
		if ((rc = dh__pgcat_get(ctx, &pc, err)))
			return rc;
		if (split_name(&pc->a, name, parts, &np) || np != 1)
			return dh_err_sql(err, "42602", "invalid name syntax");
		if (strcmp(parts[0], pc->user) == 0)
			*oid = DH_PGCAT_ROLE;
		else if (strcmp(parts[0], "pg_database_owner") == 0)
			*oid = DH_PGCAT_ROLE_DBOWNER;
		else
			return dh_err_sql(err, "42704", "role \"%s\" does not exist", parts[0]);
		return 0;
	case DH_OID_REGCOLLATION:
		if (strcmp(name, "default") == 0 || strcmp(name, "\"default\"") == 0)
			*oid = 100;
		else if (strcmp(name, "\"C\"") == 0 || strcmp(name, "c") == 0)
			*oid = 950;
		else if (strcmp(name, "\"POSIX\"") == 0 || strcmp(name, "posix") == 0)
			*oid = 951;
		else
			return dh_err_sql(err, "42704", "collation \"%s\" for encoding \"UTF8\" does "
							"not exist",
					  name);
		return 0;
	case DH_OID_REGPROC:
		return regproc_in(name, oid, err);
	default:
		return dh_err_sql(err, "0A000",
				  "names of functions and operators are not supported: dh has no "
				  "pg_proc or pg_operator");
	}
}

/* The name regclass prints: qualified when its schema is not searched. */
static const char *
rel_shown(struct dh__pgcat *pc, const struct pgc_rel *r)
{
	const char *n = dh__sqlshow_ident(&pc->a, r->name);
	if (r->nsp == DH_PGCAT_NSP_INFO)
		return dh_arena_printf(&pc->a, "information_schema.%s", n);
	return n;
}

static int
cat_out(void *ctx, uint32_t type, uint32_t oid, struct dh_buf *b)
{
	struct dh__pgcat *pc;
	struct dh_err err = {0};
	const struct pgc_rel *r;
	switch (type) {
	case DH_OID_REGCLASS:
		if (dh__pgcat_get(ctx, &pc, &err) || !(r = dh__pgcat_rel(pc, oid)))
			return 1;
		return dh_buf_adds(b, rel_shown(pc, r)) ? 1 : 0;
	case DH_OID_REGTYPE:
		if (dh_sqltype_by_oid(oid) || oid < DH_PGCAT_OID_BASE + 2 || !(oid & 1) ||
		    dh__pgcat_get(ctx, &pc, &err) || !(r = dh__pgcat_rel(pc, oid - 1)) ||
		    r->reltype != oid)
			return 1;
		return dh_buf_adds(b, rel_shown(pc, r)) ? 1 : 0;
	case DH_OID_REGNAMESPACE: {
		const char *n = dh__pgcat_nsp_name(oid);
		if (!n)
			return 1;
		return dh_buf_adds(b, n) ? 1 : 0;
	}
	case DH_OID_REGROLE:
		if (oid == DH_PGCAT_ROLE_DBOWNER)
			return dh_buf_adds(b, "pg_database_owner") ? 1 : 0;
		if (oid != DH_PGCAT_ROLE || dh__pgcat_get(ctx, &pc, &err))
			return 1;
		return dh_buf_adds(b, dh__sqlshow_ident(&pc->a, pc->user)) ? 1 : 0;
	case DH_OID_REGPROC: {
		/* regprocout: qualified when the name alone is ambiguous */
		const char *n = dh__pgproc_name(oid);
		const struct dh__pgfn *fn = n ? NULL : dh__pgfn_by_oid(oid);
		if (fn && fn->nsame > 1 && dh_buf_adds(b, "pg_catalog."))
			return 1;
		if (fn)
			n = fn->name;
		return n && dh_buf_adds(b, n) == 0 ? 0 : 1;
	}
	case DH_OID_REGCOLLATION:
		return dh_buf_adds(b, oid == 100   ? "\"default\""
				      : oid == 950 ? "\"C\""
				      : oid == 951 ? "\"POSIX\""
						   : "")
			   ? 1
			   : (oid == 100 || oid == 950 || oid == 951 ? 0 : 1);
	default:
		return 1;
	}
}

const struct dh_sqlenv_cat dh__pgcat_envcat = {NULL, cat_in, cat_out};

/* An OID argument: a number, or (an unknown literal) a number or a
 * relation's name, as a regclass argument takes it. */
static int
arg_oid(struct dh__pgcat *pc, const struct dh_value *v, uint32_t *oid, struct dh_err *err)
{
	if (v->type == DH_T_LONG) {
		*oid = (uint32_t)v->i;
		return 0;
	}
	if (v->type != DH_T_STRING)
		return dh_err_sql(err, "22023", "an OID was expected");
	const char *s = dh_arena_strndup(&pc->a, v->s.p, v->s.n);
	if (*s && strspn(s, "0123456789") == strlen(s)) {
		*oid = (uint32_t)strtoul(s, NULL, 10);
		return 0;
	}
	return regclass_in(pc, s, oid, err);
}

static void
out_str(struct dh__sqlrun *r, struct dh_value *out, const char *s)
{
	if (!s) {
		*out = (struct dh_value){.type = DH_T_NONE};
		return;
	}
	size_t n = strlen(s);
	*out = (struct dh_value){.type = DH_T_STRING, .s = {dh_arena_strndup(r->a, s, n), n}};
}

/* A constraint by its OID: its table's row and itself. */
static const struct dh_sqlcon *
con_of(struct dh__pgcat *pc, uint32_t oid, const struct pgc_rel **tr)
{
	if (oid < DH_PGCAT_OID_BASE || (oid & 1))
		return NULL;
	uint64_t eid = (oid - DH_PGCAT_OID_BASE) / 2;
	for (size_t i = 0; i < pc->nrels; i++) {
		const struct pgc_rel *r = &pc->rels[i];
		if (r->kind != 'r' || !r->t)
			continue;
		for (int k = 0; k < r->t->ncons; k++)
			if (r->t->cons[k].eid == eid) {
				*tr = r;
				return &r->t->cons[k];
			}
	}
	return NULL;
}

static const char *
constraintdef(struct dh__pgcat *pc, const struct pgc_rel *tr, const struct dh_sqlcon *c)
{
	struct dh__sqlshow sh = {&pc->a, dh__sql_env(pc->s), pc->sc};
	const char *d;
	switch (c->kind) {
	case 'p':
	case 'u':
		d = dh_arena_printf(&pc->a, "%s (%s)", c->kind == 'p' ? "PRIMARY KEY" : "UNIQUE",
				    dh__sqlshow_keycols(&sh, tr->t, c->cols, c->ncols));
		break;
	case 'f':
		d = dh__sqlshow_fk(&sh, c);
		break;
	default:
		d = dh__sqlshow_check(&sh, tr->t, c->expr ? c->expr : "");
		break;
	}
	if (c->deferrable)
		d = dh_arena_printf(&pc->a, "%s DEFERRABLE%s", d,
				    c->deferrable == 'd' ? " INITIALLY DEFERRED" : "");
	return d;
}

/* pg_get_indexdef: the whole CREATE INDEX (col 0) or key col's text */
static const char *
indexdef(struct dh__pgcat *pc, const struct pgc_rel *r, int col)
{
	struct dh__sqlshow sh = {&pc->a, dh__sql_env(pc->s), pc->sc};
	const char *keys[64], *sort[64];
	int nk = 0;
	if (r->con) {
		for (int k = 0; k < r->con->ncols && k < 64; k++) {
			int ci = r->con->cols[k];
			keys[nk] = ci >= 0 ? dh__sqlshow_ident(&pc->a, r->t->cols[ci].name) : "?";
			sort[nk++] = "";
		}
	} else {
		nk = dh__sqlshow_split_keys(&sh, r->ix->keys ? r->ix->keys : "", keys, sort, 64);
	}
	if (col > 0)
		return col <= nk ? keys[col - 1] : "";
	struct dh_buf b;
	dh_buf_init(&b, 0);
	dh_buf_printf(&b, "CREATE %sINDEX %s ON %s.%s USING btree (",
		      r->con || r->ix->unique ? "UNIQUE " : "", dh__sqlshow_ident(&pc->a, r->name),
		      r->nsp == DH_PGCAT_NSP_TEMP ? "pg_temp" : "public",
		      dh__sqlshow_ident(&pc->a, r->t->name));
	for (int k = 0; k < nk; k++)
		dh_buf_printf(&b, "%s%s%s", k ? ", " : "", keys[k], sort[k]);
	dh_buf_addc(&b, ')');
	const char *s = dh_arena_strndup(&pc->a, (const char *)b.p, b.len);
	dh_buf_release(&b);
	return s;
}

/* --- pg_get_viewdef --- */

/* A view's SELECT over one table, being shown. */
struct vshow {
	struct dh__sqlshow sh;
	const struct dh_sqltable *t;
	const char *ref; /* the name columns are qualified with: alias or table */
	struct dh_buf b;
};

/* A column reference of the view's table: its column, NULL if not one. */
static const struct dh_sqlcol *
vs_col(struct vshow *v, const PgQuery__Node *n)
{
	if (n->node_case != PG_QUERY__NODE__NODE_COLUMN_REF)
		return NULL;
	const PgQuery__ColumnRef *cr = n->column_ref;
	const char *name;
	if (cr->n_fields == 2 && cr->fields[0]->node_case == PG_QUERY__NODE__NODE_STRING &&
	    strcmp(cr->fields[0]->string->sval, v->ref) == 0)
		name = cr->fields[1]->node_case == PG_QUERY__NODE__NODE_STRING
			   ? cr->fields[1]->string->sval
			   : NULL;
	else if (cr->n_fields == 1 && cr->fields[0]->node_case == PG_QUERY__NODE__NODE_STRING)
		name = cr->fields[0]->string->sval;
	else
		return NULL;
	for (int i = 0; name && i < v->t->ncols; i++)
		if (strcmp(v->t->cols[i].name, name) == 0)
			return &v->t->cols[i];
	return NULL;
}

static void
vs_colname(struct vshow *v, const struct dh_sqlcol *c)
{
	dh_buf_printf(&v->b, "%s.%s", dh__sqlshow_ident(v->sh.a, v->ref),
		      dh__sqlshow_ident(v->sh.a, c->name));
}

/* A literal's SQL text; NULL for one not shown here. */
static const char *
vs_literal(struct vshow *v, const PgQuery__Node *n)
{
	if (n->node_case != PG_QUERY__NODE__NODE_A_CONST || n->a_const->isnull)
		return NULL;
	const PgQuery__AConst *k = n->a_const;
	struct dh_buf b;
	const char *s;
	switch (k->val_case) {
	case PG_QUERY__A__CONST__VAL_IVAL:
		return dh_arena_printf(v->sh.a, "%d", (int)k->ival->ival);
	case PG_QUERY__A__CONST__VAL_FVAL:
		return k->fval->fval;
	case PG_QUERY__A__CONST__VAL_SVAL:
		dh_buf_init(&b, 0);
		dh__sqlshow_literal(&b, k->sval->sval, strlen(k->sval->sval));
		s = dh_arena_strndup(v->sh.a, (const char *)b.p, b.len);
		dh_buf_release(&b);
		return s;
	default:
		return NULL;
	}
}

/* A WHERE of comparisons of a column with a literal under AND and OR, as
 * ruleutils' pretty form shows it (AND within OR bare, OR within AND in
 * parentheses); 1 for anything else. */
static int
vs_where(struct vshow *v, const PgQuery__Node *n, int in_and)
{
	static const char *const cmp[] = {"=", "<>", "!=", "<", "<=", ">", ">="};
	if (n->node_case == PG_QUERY__NODE__NODE_BOOL_EXPR) {
		const PgQuery__BoolExpr *be = n->bool_expr;
		int conj = be->boolop == PG_QUERY__BOOL_EXPR_TYPE__AND_EXPR;
		if (!conj && be->boolop != PG_QUERY__BOOL_EXPR_TYPE__OR_EXPR)
			return 1;
		if (!conj && in_and)
			dh_buf_addc(&v->b, '(');
		for (size_t i = 0; i < be->n_args; i++) {
			if (i)
				dh_buf_adds(&v->b, conj ? " AND " : " OR ");
			if (vs_where(v, be->args[i], conj))
				return 1;
		}
		if (!conj && in_and)
			dh_buf_addc(&v->b, ')');
		return 0;
	}
	if (n->node_case != PG_QUERY__NODE__NODE_A_EXPR)
		return 1;
	const PgQuery__AExpr *e = n->a_expr;
	if (e->kind != PG_QUERY__A__EXPR__KIND__AEXPR_OP || e->n_name != 1 || !e->lexpr ||
	    !e->rexpr || e->name[0]->node_case != PG_QUERY__NODE__NODE_STRING)
		return 1;
	const char *op = e->name[0]->string->sval;
	int ok = 0;
	for (size_t i = 0; i < DH_ARRAY_SIZE(cmp); i++)
		ok |= strcmp(op, cmp[i]) == 0;
	if (strcmp(op, "!=") == 0)
		op = "<>";
	const struct dh_sqlcol *c = vs_col(v, e->lexpr);
	const char *lit = c ? vs_literal(v, e->rexpr) : NULL;
	int col_left = 1;
	if (!c || !lit) {
		c = vs_col(v, e->rexpr);
		lit = c ? vs_literal(v, e->lexpr) : NULL;
		col_left = 0;
	}
	if (!ok || !c || !lit)
		return 1;
	struct dh_buf k;
	const char *colcast;
	dh_buf_init(&k, 0);
	if (!dh__sqlshow_compared(&v->sh, c, lit, &k, &colcast)) {
		dh_buf_release(&k);
		return 1;
	}
	for (int side = 0; side < 2; side++) {
		if (side)
			dh_buf_printf(&v->b, " %s ", op);
		if (side == col_left) {
			dh_buf_add(&v->b, k.p, k.len);
		} else {
			vs_colname(v, c);
			if (colcast)
				dh_buf_adds(&v->b, colcast);
		}
	}
	dh_buf_release(&k);
	return 0;
}

/* pg_get_viewdef(view, true) as PostgreSQL 15 prints it, for a view that
 * selects columns of one table (with aliases, or *) where comparisons of
 * a column with a literal hold; NULL for any other view. */
static const char *
viewdef(struct dh__pgcat *pc, const struct pgc_rel *view)
{
	const char *out = NULL;
	PgQuery__ParseResult *tree = NULL;
	PgQueryProtobufParseResult pr = pg_query_parse_protobuf(view->view->sql);
	if (!pr.error)
		tree = pg_query__parse_result__unpack(NULL, pr.parse_tree.len,
						      (const uint8_t *)pr.parse_tree.data);
	pg_query_free_protobuf_parse_result(pr);
	if (!tree || tree->n_stmts != 1 ||
	    tree->stmts[0]->stmt->node_case != PG_QUERY__NODE__NODE_SELECT_STMT)
		goto out;
	const PgQuery__SelectStmt *st = tree->stmts[0]->stmt->select_stmt;
	if (st->n_from_clause != 1 ||
	    st->from_clause[0]->node_case != PG_QUERY__NODE__NODE_RANGE_VAR || st->n_group_clause ||
	    st->having_clause || st->n_distinct_clause || st->limit_count || st->limit_offset ||
	    st->with_clause || st->n_sort_clause || st->n_window_clause ||
	    st->op != PG_QUERY__SET_OPERATION__SETOP_NONE || st->n_values_lists)
		goto out;
	const PgQuery__RangeVar *rv = st->from_clause[0]->range_var;
	if ((rv->schemaname && *rv->schemaname && strcmp(rv->schemaname, "public") != 0) ||
	    !rv->inh)
		goto out;
	const struct pgc_rel *tr = dh__pgcat_rel_named(pc, rv->relname, DH_PGCAT_NSP_PUBLIC);
	if (!tr || tr->kind != 'r' || !tr->t)
		goto out;
	const char *alias = rv->alias && rv->alias->aliasname ? rv->alias->aliasname : NULL;
	if (rv->alias && rv->alias->n_colnames)
		goto out;
	struct vshow v = {
	    {&pc->a, dh__sql_env(pc->s), pc->sc}, tr->t, alias ? alias : tr->name, {0}};
	dh_buf_init(&v.b, 0);
	dh_buf_adds(&v.b, " SELECT ");
	int n = 0, bad = st->n_target_list == 0;
	for (size_t i = 0; !bad && i < st->n_target_list; i++) {
		const PgQuery__ResTarget *rt = st->target_list[i]->res_target;
		const PgQuery__ColumnRef *cr =
		    rt && rt->val && rt->val->node_case == PG_QUERY__NODE__NODE_COLUMN_REF
			? rt->val->column_ref
			: NULL;
		if (!cr) {
			bad = 1;
			break;
		}
		int star = cr->fields[cr->n_fields - 1]->node_case == PG_QUERY__NODE__NODE_A_STAR;
		if (star && !(rt->name && *rt->name) &&
		    (cr->n_fields == 1 ||
		     (cr->n_fields == 2 &&
		      cr->fields[0]->node_case == PG_QUERY__NODE__NODE_STRING &&
		      strcmp(cr->fields[0]->string->sval, v.ref) == 0))) {
			for (int k = 0; k < v.t->ncols; k++) {
				dh_buf_adds(&v.b, n++ ? ",\n    " : "");
				vs_colname(&v, &v.t->cols[k]);
			}
			continue;
		}
		const struct dh_sqlcol *c = vs_col(&v, rt->val);
		if (!c) {
			bad = 1;
			break;
		}
		dh_buf_adds(&v.b, n++ ? ",\n    " : "");
		vs_colname(&v, c);
		if (rt->name && *rt->name && strcmp(rt->name, c->name) != 0)
			dh_buf_printf(&v.b, " AS %s", dh__sqlshow_ident(&pc->a, rt->name));
	}
	if (!bad) {
		dh_buf_printf(&v.b, "\n   FROM %s", dh__sqlshow_ident(&pc->a, tr->name));
		if (alias)
			dh_buf_printf(&v.b, " %s", dh__sqlshow_ident(&pc->a, alias));
		if (st->where_clause) {
			dh_buf_adds(&v.b, "\n  WHERE ");
			bad = vs_where(&v, st->where_clause, 0);
		}
	}
	if (!bad) {
		dh_buf_addc(&v.b, ';');
		out = dh_arena_strndup(&pc->a, (const char *)v.b.p, v.b.len);
	}
	dh_buf_release(&v.b);
out:
	if (tree)
		pg_query__parse_result__free_unpacked(tree, NULL);
	return out;
}

/* pg_size_pretty(bigint), PostgreSQL 15's rounding */
static const char *
size_pretty(struct dh_arena *a, int64_t size)
{
	static const char *const units[] = {"kB", "MB", "GB", "TB"};
	const int64_t limit = 10 * 1024, limit2 = limit * 2 - 1;
	if ((size < 0 ? -size : size) < limit)
		return dh_arena_printf(a, "%lld bytes", (long long)size);
	size >>= 9; /* one extra bit for rounding */
	for (size_t u = 0;; u++) {
		if ((size < 0 ? -size : size) < limit2 || u == DH_ARRAY_SIZE(units) - 1) {
			int64_t h = size < 0 ? (size - 1) / 2 : (size + 1) / 2;
			return dh_arena_printf(a, "%lld %s", (long long)h, units[u]);
		}
		size >>= 10;
	}
}

int
dh__sqlc_pgcat_call(struct dh__sqlrun *r, int id, int nargs, const struct dh_value *args,
		    struct dh_value *out)
{
	const struct pfndef *f = &pfns[id - DH_PGCAT_FN_BASE - 100];
	struct dh__pgcat *pc;
	uint32_t oid = 0;
	int rc;
	const struct pgc_rel *rel;
	*out = (struct dh_value){.type = DH_T_NONE};
	/* NULL arguments: NULL, but format_type's typmod may be NULL */
	for (int i = 0; i < nargs; i++)
		if (args[i].type == DH_T_NONE && !(f->id == P_FORMAT_TYPE && i == 1))
			return 0;
	switch (f->id) {
	case P_PRIVILEGE:
		*out = (struct dh_value){.type = DH_T_BOOL, .b = 1};
		return 0;
	case P_SIZE:
		*out = (struct dh_value){.type = DH_T_LONG, .i = 0};
		return 0;
	case P_PUBLISHABLE:
	case P_IS_IN_RECOVERY:
		*out = (struct dh_value){.type = DH_T_BOOL, .b = 0};
		return 0;
	case P_TABLESPACE_LOCATION:
		out_str(r, out, "");
		return 0;
	case P_SIZE_PRETTY:
		if (args[0].type != DH_T_LONG)
			return dh_err_sql(r->err, "0A000", "pg_size_pretty(numeric) is not supported");
		out_str(r, out, size_pretty(r->a, args[0].i));
		return 0;
	case P_ENCODING_TO_CHAR:
		out_str(r, out, args[0].i == 6 ? "UTF8" : args[0].i == 0 ? "SQL_ASCII" : "");
		return 0;
	case P_UNSUPPORTED:
		return dh_err_sql(r->err, "0A000", "%s is not supported: dh has no such objects",
				  f->name);
	case P_FUNCTION_RESULT:
	case P_FUNCTION_ARGUMENTS:
	case P_FUNCTION_IDENTITY_ARGUMENTS:
	case P_FUNCTION_IS_VISIBLE: {
		/* pg_proc's rows (all in pg_catalog, which is searched first, so
		 * every one is visible); NULL for any other OID, as PostgreSQL
		 * answers for one it does not have */
		if (args[0].type != DH_T_LONG)
			return 0;
		const struct dh__pgfn *fn = dh__pgfn_by_oid((uint32_t)args[0].i);
		if (!fn)
			return 0;
		if (f->id == P_FUNCTION_IS_VISIBLE)
			*out = (struct dh_value){.type = DH_T_BOOL, .b = 1};
		else
			out_str(r, out,
				f->id == P_FUNCTION_RESULT    ? fn->result
				: f->id == P_FUNCTION_ARGUMENTS ? fn->args
								: fn->identargs);
		return 0;
	}
	default:
		break;
	}
	if ((rc = dh__pgcat_get(r->s, &pc, r->err)))
		return rc;
	switch (f->id) {
	case P_CURRENT_SCHEMAS: {
		int implicit = args[0].type == DH_T_BOOL ? args[0].b : 0;
		struct dh_coll *c = dh_arena_alloc(r->a, sizeof(*c));
		struct dh_value *it = dh_arena_alloc(r->a, 2 * sizeof(*it));
		size_t n = 0;
		if (implicit)
			it[n++] = (struct dh_value){.type = DH_T_STRING, .s = {"pg_catalog", 10}};
		it[n++] = (struct dh_value){.type = DH_T_STRING, .s = {"public", 6}};
		c->kind = DH_COLL_VECTOR;
		c->n = n;
		c->items = it;
		*out = (struct dh_value){.type = DH_T_COLL, .coll = c};
		return 0;
	}
	case P_GET_USERBYID:
		if ((rc = arg_oid(pc, &args[0], &oid, r->err)))
			return rc;
		out_str(r, out,
			oid == DH_PGCAT_ROLE	       ? pc->user
			: oid == DH_PGCAT_ROLE_DBOWNER ? "pg_database_owner"
						       : dh_arena_printf(r->a, "unknown (OID=%u)", oid));
		return 0;
	case P_FORMAT_TYPE: {
		if ((rc = arg_oid(pc, &args[0], &oid, r->err)))
			return rc;
		int with = args[1].type != DH_T_NONE;
		int32_t tm = with && args[1].type == DH_T_LONG ? (int32_t)args[1].i : -1;
		const struct pgc_rel *t = (oid & 1) && oid > DH_PGCAT_OID_BASE
					      ? dh__pgcat_rel(pc, oid - 1)
					      : NULL;
		if (t && t->reltype == oid) {
			out_str(r, out, rel_shown(pc, t));
			return 0;
		}
		struct dh_buf b;
		dh_buf_init(&b, 0);
		dh_sqltype_format(oid, tm, with, &b);
		out_str(r, out, dh_arena_strndup(r->a, (const char *)b.p, b.len));
		dh_buf_release(&b);
		return 0;
	}
	case P_GET_EXPR:
		*out = args[0];
		return 0;
	case P_TABLE_IS_VISIBLE:
		if ((rc = arg_oid(pc, &args[0], &oid, r->err)))
			return rc;
		if ((rel = dh__pgcat_rel(pc, oid)))
			*out = (struct dh_value){.type = DH_T_BOOL, .b = rel->nsp != DH_PGCAT_NSP_INFO};
		return 0;
	case P_TYPE_IS_VISIBLE:
		if ((rc = arg_oid(pc, &args[0], &oid, r->err)))
			return rc;
		if (dh_sqltype_by_oid(oid))
			*out = (struct dh_value){.type = DH_T_BOOL, .b = 1};
		else if ((oid & 1) && (rel = dh__pgcat_rel(pc, oid - 1)) && rel->reltype == oid)
			*out = (struct dh_value){.type = DH_T_BOOL, .b = rel->nsp != DH_PGCAT_NSP_INFO};
		return 0;
	case P_GET_CONSTRAINTDEF: {
		if ((rc = arg_oid(pc, &args[0], &oid, r->err)))
			return rc;
		const struct dh_sqlcon *c = con_of(pc, oid, &rel);
		if (c)
			out_str(r, out, constraintdef(pc, rel, c));
		return 0;
	}
	case P_GET_INDEXDEF: {
		if ((rc = arg_oid(pc, &args[0], &oid, r->err)))
			return rc;
		int col = nargs > 1 && args[1].type == DH_T_LONG ? (int)args[1].i : 0;
		if ((rel = dh__pgcat_rel(pc, oid)) && rel->kind == 'i' && rel->t)
			out_str(r, out, indexdef(pc, rel, col));
		return 0;
	}
	case P_GET_VIEWDEF:
		if ((rc = arg_oid(pc, &args[0], &oid, r->err)))
			return rc;
		if ((rel = dh__pgcat_rel(pc, oid)) && rel->kind == 'v' && rel->view) {
			/* ruleutils' form where dh can show it, else the text
			 * stored (see lib/README) */
			const char *d = viewdef(pc, rel);
			out_str(r, out, d ? d : rel->view->sql);
		}
		return 0;
	case P_OBJ_DESCRIPTION:
		if ((rc = arg_oid(pc, &args[0], &oid, r->err)))
			return rc;
		if (nargs == 2 && args[1].type == DH_T_STRING && args[1].s.n == 12 &&
		    memcmp(args[1].s.p, "pg_namespace", 12) == 0) {
			if (oid == DH_PGCAT_NSP_PUBLIC)
				out_str(r, out, "standard public schema");
			return 0;
		}
		if (nargs == 2 && !(args[1].type == DH_T_STRING && args[1].s.n == 8 &&
				    memcmp(args[1].s.p, "pg_class", 8) == 0))
			return 0;
		if ((rel = dh__pgcat_rel(pc, oid)))
			out_str(r, out, rel->comment);
		return 0;
	case P_COL_DESCRIPTION:
		if ((rc = arg_oid(pc, &args[0], &oid, r->err)))
			return rc;
		if ((rel = dh__pgcat_rel(pc, oid)) && rel->kind == 'r' && rel->t &&
		    args[1].type == DH_T_LONG && args[1].i >= 1 && args[1].i <= rel->t->ncols)
			out_str(r, out, dh__pgcat_comment(pc, rel->t->cols[args[1].i - 1].attr));
		return 0;
	case P_SHOBJ_DESCRIPTION:
		return 0;
	case P_GET_SERIAL_SEQUENCE: {
		/* the sequence a column owns: 'public.t_id_seq' */
		const char *tn = dh_arena_strndup(r->a, args[0].s.p, args[0].s.n);
		const char *cn = dh_arena_strndup(r->a, args[1].s.p, args[1].s.n);
		if ((rc = regclass_in(pc, tn, &oid, r->err)))
			return rc;
		rel = dh__pgcat_rel(pc, oid);
		if (!rel || rel->kind != 'r' || !rel->t)
			return 0;
		const struct dh_sqlcol *c = NULL;
		for (int k = 0; k < rel->t->ncols && !c; k++)
			if (strcmp(rel->t->cols[k].name, cn) == 0)
				c = &rel->t->cols[k];
		if (!c)
			return dh_err_sql(r->err, "42703", "column \"%s\" of relation \"%s\" does not "
							   "exist",
					  cn, rel->name);
		for (size_t i = 0; i < pc->nrels; i++) {
			const struct pgc_rel *q = &pc->rels[i];
			if (q->kind == 'S' && ((q->seq->owner && q->seq->owner == c->attr) ||
					       (c->identity && c->seq == q->eid))) {
				out_str(r, out,
					dh_arena_printf(r->a, "public.%s",
							dh__sqlshow_ident(r->a, q->name)));
				return 0;
			}
		}
		return 0;
	}
	default:
		return dh_err_sql(r->err, "XX000", "pg_catalog function %d", id);
	}
}
