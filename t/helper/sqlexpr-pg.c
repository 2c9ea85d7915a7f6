/*
 * sqlexpr-pg: the differential test of lib/sqlexpr against a real
 * PostgreSQL.  Usage: sqlexpr-pg CONNINFO FILE...
 *
 * Each line of a case file (t/sqlexpr/README has the format) is an SQL
 * expression; the statement "SELECT <expr>" (with "FROM <from>" when an
 * "@from" line is in force) runs on PostgreSQL over libpq and here: parsed
 * by libpg_query, the target compiled by dh_sqlx_compile (unknown literals
 * left at the top resolved to text), evaluated by dh_sqlx_eval per row of
 * the FROM's VALUES list (which this helper evaluates with sqlexpr too,
 * under VALUES' common-type rules), and printed by dh_sqltype_out.  The
 * case agrees when both give the same result type OID and typmod, output
 * column name and text of every row, or both fail with the same SQLSTATE,
 * message, hint and error position.  PostgreSQL's answers are not written
 * down anywhere: PostgreSQL is the oracle.
 *
 * A line "# known: REASON" before a case marks it as a known difference:
 * it is still run; if it disagrees it is reported "not ok ... # TODO
 * REASON" (which does not fail the suite), if it agrees "ok" with a note
 * that the list can shrink.  The last line of output counts the cases that
 * agree.  Output is TAP, one test per case.
 */
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <libpq-fe.h>
#include <pg_query.h>

#include "sqlexpr.h"

static PGconn *conn;
static int ntest, nagree, nknown, nknown_agree;

#define MAXROWS 64

struct outcome {
	int error;
	char sqlstate[6];
	char message[1024];
	char hint[512];
	int position;
	uint32_t type;
	int32_t typmod;
	char name[128];
	int nrows;
	int isnull[MAXROWS];
	char *text[MAXROWS];
};

static void
outcome_free(struct outcome *o)
{
	for (int i = 0; i < o->nrows; i++)
		free(o->text[i]);
	memset(o, 0, sizeof(*o));
}

/* --- PostgreSQL --- */

static void
pg_run(const char *sql, struct outcome *o)
{
	PGresult *r = PQexec(conn, sql);
	memset(o, 0, sizeof(*o));
	if (PQresultStatus(r) != PGRES_TUPLES_OK) {
		const char *s;
		o->error = 1;
		s = PQresultErrorField(r, PG_DIAG_SQLSTATE);
		snprintf(o->sqlstate, sizeof(o->sqlstate), "%s", s ? s : "?????");
		s = PQresultErrorField(r, PG_DIAG_MESSAGE_PRIMARY);
		snprintf(o->message, sizeof(o->message), "%s", s ? s : PQresultErrorMessage(r));
		s = PQresultErrorField(r, PG_DIAG_MESSAGE_HINT);
		snprintf(o->hint, sizeof(o->hint), "%s", s ? s : "");
		s = PQresultErrorField(r, PG_DIAG_STATEMENT_POSITION);
		o->position = s ? atoi(s) : 0;
		PQclear(r);
		return;
	}
	o->type = PQftype(r, 0);
	o->typmod = PQfmod(r, 0);
	snprintf(o->name, sizeof(o->name), "%s", PQfname(r, 0));
	o->nrows = PQntuples(r) < MAXROWS ? PQntuples(r) : MAXROWS;
	for (int i = 0; i < o->nrows; i++) {
		o->isnull[i] = PQgetisnull(r, i, 0);
		if (!o->isnull[i])
			o->text[i] = strdup(PQgetvalue(r, i, 0));
	}
	PQclear(r);
}

/* --- dh --- */

/* the FROM clause's VALUES: column names, types and the rows' values */
struct values {
	const char *alias;
	int ncols, nrows;
	const char *names[16];
	uint32_t types[16];
	int32_t typmods[16];
	struct dh_value *rows[MAXROWS];
};

static int
values_column(void *ctx, const char *const *names, int n, int location, int *slot,
	      uint32_t *type, int32_t *typmod, struct dh_err *err)
{
	struct values *v = ctx;
	const char *col = names[n - 1];
	(void)location;
	(void)err;
	if (n > 2 || (n == 2 && (!v->alias || strcmp(names[0], v->alias))))
		return 1;
	for (int i = 0; i < v->ncols; i++)
		if (!strcmp(v->names[i], col)) {
			*slot = i;
			*type = v->types[i];
			*typmod = v->typmods[i];
			return 0;
		}
	return 1;
}

static void
fail(struct outcome *o, const struct dh_err *err)
{
	o->error = 1;
	snprintf(o->sqlstate, sizeof(o->sqlstate), "%s", err->sqlstate[0] ? err->sqlstate : "?????");
	snprintf(o->message, sizeof(o->message), "%s", err->message);
	snprintf(o->hint, sizeof(o->hint), "%s", err->hint);
	o->position = err->position;
}

/* VALUES (...), (...): transformValuesClause's common types */
static int
eval_values(struct dh_sqlx_cc *cc, const PgQuery__RangeSubselect *rs, struct values *v)
{
	const PgQuery__SelectStmt *s;
	struct dh_sqlx *cols[16][MAXROWS];
	int rc;
	if (!rs->subquery || rs->subquery->node_case != PG_QUERY__NODE__NODE_SELECT_STMT)
		return dh_err_sql(cc->err, "XX000", "helper: FROM must be (VALUES ...) alias");
	s = rs->subquery->select_stmt;
	if (!s->n_values_lists || s->n_values_lists > MAXROWS)
		return dh_err_sql(cc->err, "XX000", "helper: FROM must be (VALUES ...) alias");
	v->nrows = (int)s->n_values_lists;
	v->ncols = (int)s->values_lists[0]->list->n_items;
	if (v->ncols > 16)
		return dh_err_sql(cc->err, "XX000", "helper: too many columns");
	v->alias = rs->alias ? rs->alias->aliasname : NULL;
	for (int c = 0; c < v->ncols; c++) {
		if (rs->alias && (size_t)c < rs->alias->n_colnames)
			v->names[c] = rs->alias->colnames[c]->string->sval;
		else
			v->names[c] = dh_arena_printf(cc->a, "column%d", c + 1);
	}
	for (int r = 0; r < v->nrows; r++) {
		const PgQuery__List *l = s->values_lists[r]->list;
		if ((int)l->n_items != v->ncols)
			return dh_err_sql(cc->err, "42601",
					  "VALUES lists must all be the same length");
		for (int c = 0; c < v->ncols; c++)
			if ((rc = dh_sqlx_compile(cc, l->items[c], &cols[c][r])))
				return rc;
	}
	for (int c = 0; c < v->ncols; c++) {
		if ((rc = dh_sqlx_common_type(cc, cols[c], v->nrows, "VALUES", &v->types[c],
					      &v->typmods[c])))
			return rc;
		for (int r = 0; r < v->nrows; r++)
			if ((rc = dh_sqlx_coerce(cc, cols[c][r], v->types[c], -1, DH_CAST_IMPLICIT,
						 NULL, &cols[c][r])))
				return rc;
	}
	for (int r = 0; r < v->nrows; r++) {
		struct dh_sqlx_run run = {cc->a, cc->err, cc->env, NULL, NULL, NULL, NULL, NULL, NULL};
		v->rows[r] = dh_arena_zalloc(cc->a, sizeof(struct dh_value) * (size_t)v->ncols);
		for (int c = 0; c < v->ncols; c++)
			if ((rc = dh_sqlx_eval(cols[c][r], &run, &v->rows[r][c])))
				return rc;
	}
	return 0;
}

static void
dh_run(const char *sql, struct outcome *o)
{
	PgQueryProtobufParseResult pr = pg_query_parse_protobuf(sql);
	PgQuery__ParseResult *tree = NULL;
	struct dh_arena a;
	struct dh_err err;
	struct dh_sqlenv env = DH_SQLENV_INIT;
	struct values vals;
	struct dh_sqlx_scope scope = {&vals, NULL, values_column, NULL, NULL, NULL};
	struct dh_sqlx_cc cc = {&a, &err, &env, NULL, NULL, 0, 0, sql};
	const PgQuery__SelectStmt *s;
	const PgQuery__ResTarget *rt;
	struct dh_sqlx *x;
	int rc;

	memset(o, 0, sizeof(*o));
	memset(&err, 0, sizeof(err));
	memset(&vals, 0, sizeof(vals));
	dh_arena_init(&a);
	if (pr.error) {
		o->error = 1;
		snprintf(o->sqlstate, sizeof(o->sqlstate), "42601");
		snprintf(o->message, sizeof(o->message), "%s", pr.error->message);
		o->position = pr.error->cursorpos;
		goto out;
	}
	tree = pg_query__parse_result__unpack(NULL, pr.parse_tree.len,
					      (const uint8_t *)pr.parse_tree.data);
	if (!tree || tree->n_stmts != 1 ||
	    tree->stmts[0]->stmt->node_case != PG_QUERY__NODE__NODE_SELECT_STMT) {
		o->error = 1;
		snprintf(o->sqlstate, sizeof(o->sqlstate), "xxxxx");
		snprintf(o->message, sizeof(o->message), "helper: not one SELECT");
		goto out;
	}
	s = tree->stmts[0]->stmt->select_stmt;
	if (s->n_target_list != 1 ||
	    s->target_list[0]->node_case != PG_QUERY__NODE__NODE_RES_TARGET) {
		o->error = 1;
		snprintf(o->sqlstate, sizeof(o->sqlstate), "xxxxx");
		snprintf(o->message, sizeof(o->message), "helper: not one target");
		goto out;
	}
	rt = s->target_list[0]->res_target;
	if (s->n_from_clause == 1 &&
	    s->from_clause[0]->node_case == PG_QUERY__NODE__NODE_RANGE_SUBSELECT) {
		if ((rc = eval_values(&cc, s->from_clause[0]->range_subselect, &vals))) {
			fail(o, &err);
			goto out;
		}
		cc.scope = &scope;
	} else if (s->n_from_clause) {
		o->error = 1;
		snprintf(o->sqlstate, sizeof(o->sqlstate), "xxxxx");
		snprintf(o->message, sizeof(o->message), "helper: FROM must be (VALUES ...) alias");
		goto out;
	} else {
		vals.nrows = 1;
	}
	if ((rc = dh_sqlx_compile(&cc, rt->val, &x)) || (rc = dh_sqlx_resolve_unknown(&cc, x, &x))) {
		fail(o, &err);
		goto out;
	}
	o->type = x->type;
	o->typmod = x->typmod;
	snprintf(o->name, sizeof(o->name), "%s", rt->name && rt->name[0] ? rt->name : x->name);
	for (int r = 0; r < vals.nrows; r++) {
		struct dh_sqlx_run run = {&a, &err, &env, vals.rows[r], NULL, NULL, NULL, NULL, NULL};
		struct dh_value v;
		if ((rc = dh_sqlx_eval(x, &run, &v))) {
			outcome_free(o);
			fail(o, &err);
			goto out;
		}
		o->isnull[r] = v.type == DH_T_NONE;
		if (!o->isnull[r]) {
			struct dh_buf b;
			dh_buf_init(&b, 0);
			rc = dh_sqltype_out(x->type, &v, &env, &b);
			if (rc) {
				dh_buf_release(&b);
				outcome_free(o);
				o->error = 1;
				snprintf(o->sqlstate, sizeof(o->sqlstate), "%s", dh_sqlstate(rc));
				snprintf(o->message, sizeof(o->message),
					 "output of type %u failed: %s", x->type, dh_strerror(rc));
				goto out;
			}
			o->text[r] = dh_buf_detach(&b, NULL);
			dh_buf_release(&b);
		}
		o->nrows = r + 1;
	}
out:
	if (tree)
		pg_query__parse_result__free_unpacked(tree, NULL);
	pg_query_free_protobuf_parse_result(pr);
	dh_arena_release(&a);
}

/* --- comparing --- */

static void
show(const char *who, const struct outcome *o)
{
	if (o->error) {
		printf("#   %s: ERROR %s %s%s%s (position %d)\n", who, o->sqlstate, o->message,
		       o->hint[0] ? " HINT: " : "", o->hint, o->position);
		return;
	}
	printf("#   %s: type %u typmod %d name %s:", who, o->type, (int)o->typmod, o->name);
	for (int i = 0; i < o->nrows; i++)
		printf(" %s%s%s", o->isnull[i] ? "NULL" : "'", o->isnull[i] ? "" : o->text[i],
		       o->isnull[i] ? "" : "'");
	printf("\n");
}

static const char *
compare(const struct outcome *pg, const struct outcome *dh)
{
	if (pg->error != dh->error)
		return pg->error ? "PostgreSQL fails, dh does not" : "dh fails, PostgreSQL does not";
	if (pg->error) {
		if (strcmp(pg->sqlstate, dh->sqlstate))
			return "SQLSTATE differs";
		if (strcmp(pg->message, dh->message))
			return "message differs";
		if (strcmp(pg->hint, dh->hint))
			return "hint differs";
		if (pg->position != dh->position)
			return "error position differs";
		return NULL;
	}
	if (pg->type != dh->type)
		return "type differs";
	if (pg->typmod != dh->typmod)
		return "typmod differs";
	if (strcmp(pg->name, dh->name))
		return "column name differs";
	if (pg->nrows != dh->nrows)
		return "row count differs";
	for (int i = 0; i < pg->nrows; i++) {
		if (pg->isnull[i] != dh->isnull[i])
			return "NULL differs";
		if (!pg->isnull[i] && strcmp(pg->text[i], dh->text[i]))
			return "text differs";
	}
	return NULL;
}

static void
run_case(const char *expr, const char *from, const char *known)
{
	struct outcome pg, dh;
	const char *why;
	size_t n = strlen(expr) + (from ? strlen(from) : 0) + 32;
	char *sql = malloc(n);
	snprintf(sql, n, "SELECT %s%s%s", expr, from ? " FROM " : "", from ? from : "");
	pg_run(sql, &pg);
	dh_run(sql, &dh);
	why = compare(&pg, &dh);
	ntest++;
	if (!why) {
		nagree++;
		if (known) {
			nknown_agree++;
			printf("ok %d - %s\n# known difference agrees now (%s): take it off the list\n",
			       ntest, expr, known);
		} else {
			printf("ok %d - %s\n", ntest, expr);
		}
	} else {
		if (known) {
			nknown++;
			printf("not ok %d - %s # TODO %s\n", ntest, expr, known);
		} else {
			printf("not ok %d - %s\n", ntest, expr);
		}
		printf("#   %s\n", why);
		show("pg", &pg);
		show("dh", &dh);
	}
	outcome_free(&pg);
	outcome_free(&dh);
	free(sql);
}

static void
run_file(const char *path)
{
	FILE *f = fopen(path, "r");
	char line[8192], known[8192], from[8192];
	int have_known = 0, have_from = 0;
	if (!f) {
		printf("Bail out! cannot open %s\n", path);
		exit(1);
	}
	while (fgets(line, sizeof(line), f)) {
		size_t n = strlen(line);
		while (n && (line[n - 1] == '\n' || line[n - 1] == '\r'))
			line[--n] = '\0';
		if (!strncmp(line, "# known:", 8)) {
			const char *k = line + 8;
			while (*k == ' ')
				k++;
			snprintf(known, sizeof(known), "%s", k);
			have_known = 1;
			continue;
		}
		if (n == 0 || line[0] == '#')
			continue;
		if (!strncmp(line, "@from", 5)) {
			const char *k = line + 5;
			while (*k == ' ')
				k++;
			snprintf(from, sizeof(from), "%s", k);
			have_from = *k != '\0';
			continue;
		}
		run_case(line, have_from ? from : NULL, have_known ? known : NULL);
		have_known = 0;
	}
	fclose(f);
}

int
main(int argc, char **argv)
{
	PGresult *r;
	if (argc < 3) {
		fprintf(stderr, "usage: sqlexpr-pg CONNINFO FILE...\n");
		return 2;
	}
	conn = PQconnectdb(argv[1]);
	if (PQstatus(conn) != CONNECTION_OK) {
		printf("Bail out! %s", PQerrorMessage(conn));
		return 1;
	}
	r = PQexec(conn, "SET extra_float_digits = 1; SET TimeZone = 'UTC'; "
			 "SET DateStyle = 'ISO, MDY'; SET IntervalStyle = 'postgres'");
	PQclear(r);
	for (int i = 2; i < argc; i++)
		run_file(argv[i]);
	printf("1..%d\n", ntest);
	printf("# %d of %d cases agree with PostgreSQL; %d known differences (listed as TODO)%s\n",
	       nagree, ntest, nknown, nknown_agree ? "; some known differences agree now" : "");
	PQfinish(conn);
	return 0;
}
