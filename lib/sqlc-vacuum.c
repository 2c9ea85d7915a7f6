/*
 * sqlc-vacuum: VACUUM and ANALYZE, as PostgreSQL 15's vacuum.c checks
 * them, doing nothing more.  Nothing is ever overwritten in an immutable
 * store, so there are no dead rows to reclaim, no pages to compact or
 * freeze (committed datoms are final), and the planner's statistics (the
 * per-attribute counts every transaction keeps) are never stale: the
 * honest work is none.  What PostgreSQL refuses is refused the same way
 * (options, VACUUM in a transaction block, unknown relations and columns),
 * views and sequences are skipped with its WARNING, and VERBOSE, whose
 * INFO report dh has nothing to fill with, is 0A000.
 */
#include <pg_query.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "sqlc-int.h"

enum { MAX_PARALLEL_WORKER_LIMIT = 1024 };

/* The options of ExecVacuum, in its order of checks. */
struct vacopts {
	int vacuum, analyze, verbose, full, disable_page_skipping, process_toast, nworkers;
};

static int
vac_options(struct dh__sqlrun *r, const PgQuery__VacuumStmt *st, struct vacopts *o)
{
	int rc, v;
	memset(o, 0, sizeof(*o));
	o->vacuum = st->is_vacuumcmd;
	o->analyze = !st->is_vacuumcmd;
	o->process_toast = 1;
	for (size_t i = 0; i < st->n_options; i++) {
		const PgQuery__DefElem *d = st->options[i]->def_elem;
		const char *n = d->defname;
		if (strcmp(n, "verbose") == 0) {
			if ((rc = dh__sqlc_def_bool(r, d, &o->verbose)))
				return rc;
		} else if (strcmp(n, "skip_locked") == 0) {
			/* nothing is ever locked against VACUUM here */
			if ((rc = dh__sqlc_def_bool(r, d, &v)))
				return rc;
		} else if (!st->is_vacuumcmd) {
			dh_err_sql(r->err, "42601", "unrecognized ANALYZE option \"%s\"", n);
			return dh__sql_at(r, d->location, DH_ESQL);
		} else if (strcmp(n, "analyze") == 0) {
			if ((rc = dh__sqlc_def_bool(r, d, &o->analyze)))
				return rc;
		} else if (strcmp(n, "full") == 0) {
			if ((rc = dh__sqlc_def_bool(r, d, &o->full)))
				return rc;
		} else if (strcmp(n, "disable_page_skipping") == 0) {
			if ((rc = dh__sqlc_def_bool(r, d, &o->disable_page_skipping)))
				return rc;
		} else if (strcmp(n, "process_toast") == 0) {
			if ((rc = dh__sqlc_def_bool(r, d, &o->process_toast)))
				return rc;
		} else if (strcmp(n, "freeze") == 0 || strcmp(n, "truncate") == 0) {
			if ((rc = dh__sqlc_def_bool(r, d, &v)))
				return rc;
		} else if (strcmp(n, "index_cleanup") == 0) {
			/* 'auto' or a Boolean */
			const PgQuery__Node *a = d->arg;
			if (a && !(a->node_case == PG_QUERY__NODE__NODE_STRING &&
				   strcasecmp(a->string->sval, "auto") == 0) &&
			    (rc = dh__sqlc_def_bool(r, d, &v)))
				return rc;
		} else if (strcmp(n, "parallel") == 0) {
			const PgQuery__Node *a = d->arg;
			if (!a) {
				dh_err_sql(r->err, "42601",
					   "parallel option requires a value between 0 and %d",
					   MAX_PARALLEL_WORKER_LIMIT);
				return dh__sql_at(r, d->location, DH_ESQL);
			}
			if (a->node_case != PG_QUERY__NODE__NODE_INTEGER)
				return dh_err_sql(r->err, "42601", "%s requires an integer value", n);
			if (a->integer->ival < 0 || a->integer->ival > MAX_PARALLEL_WORKER_LIMIT) {
				dh_err_sql(r->err, "42601",
					   "parallel workers for vacuum must be between 0 and %d",
					   MAX_PARALLEL_WORKER_LIMIT);
				return dh__sql_at(r, d->location, DH_ESQL);
			}
			o->nworkers = a->integer->ival;
		} else {
			dh_err_sql(r->err, "42601", "unrecognized VACUUM option \"%s\"", n);
			return dh__sql_at(r, d->location, DH_ESQL);
		}
	}
	if (o->full && o->nworkers > 0)
		return dh_err_sql(r->err, "0A000", "VACUUM FULL cannot be performed in parallel");
	for (size_t i = 0; !o->analyze && i < st->n_rels; i++)
		if (st->rels[i]->vacuum_relation->n_va_cols)
			return dh_err_sql(r->err, "0A000",
					  "ANALYZE option must be specified when a column list is "
					  "provided");
	return 0;
}

/* Is there a statement in the text other than r's?  PostgreSQL runs the
 * statements of a multi-statement Query in one implicit transaction
 * block, which VACUUM refuses as it refuses BEGIN's.  What lies between
 * statements is blanks, ';' and comments. */
static int
other_statements(const struct dh__sqlrun *r)
{
	const char *z = r->text;
	size_t n = strlen(z), from = (size_t)r->location;
	size_t to = r->len > 0 ? from + (size_t)r->len : n;
	for (size_t i = 0; i < n;) {
		if (i == from && to > from) {
			i = to;
			continue;
		}
		char c = z[i];
		if (c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\f' || c == '\v' ||
		    c == ';') {
			i++;
		} else if (c == '-' && z[i + 1] == '-') {
			while (i < n && z[i] != '\n')
				i++;
		} else if (c == '/' && z[i + 1] == '*') {
			int depth = 0;
			do {
				if (z[i] == '/' && z[i + 1] == '*')
					depth++, i += 2;
				else if (z[i] == '*' && z[i + 1] == '/')
					depth--, i += 2;
				else
					i++;
			} while (i < n && depth > 0);
		} else {
			return 1;
		}
	}
	return 0;
}

int
dh__sqlc_vacuum(struct dh__sqlrun *r, const PgQuery__VacuumStmt *st)
{
	const char *cmd = st->is_vacuumcmd ? "VACUUM" : "ANALYZE";
	struct vacopts o;
	int rc;
	if ((rc = vac_options(r, st, &o)))
		return rc;
	if (o.vacuum && (dh_sql_txstatus(r->s) != 'I' || other_statements(r)))
		return dh_err_sql(r->err, "25001", "%s cannot run inside a transaction block", cmd);
	if (o.full && o.disable_page_skipping)
		return dh_err_sql(r->err, "0A000",
				  "VACUUM option DISABLE_PAGE_SKIPPING cannot be used with FULL");
	if (o.full && !o.process_toast)
		return dh_err_sql(r->err, "0A000", "PROCESS_TOAST required with VACUUM FULL");
	struct dh_view *v;
	const struct dh_schema *sc;
	if ((rc = dh__sql_view(r->s, &v, &sc, r->err)))
		return rc;
	/* every relation is looked up before any is processed */
	size_t n = st->n_rels;
	char *kind = dh_arena_zalloc(r->a, n + 1);
	for (size_t i = 0; i < n; i++) {
		const PgQuery__RangeVar *rv = st->rels[i]->vacuum_relation->relation;
		const char *s = rv->schemaname && *rv->schemaname ? rv->schemaname : NULL;
		if (s && (strcmp(s, "pg_catalog") == 0 || strcmp(s, "information_schema") == 0))
			return dh_err_sql(r->err, "0A000", "%s of the system catalogs is not supported",
					  cmd);
		if (s && strcmp(s, "public") != 0 && strcmp(s, "pg_temp") != 0)
			return dh_err_sql(r->err, "3F000", "schema \"%s\" does not exist", s);
		if ((rc = dh__sqlcat_relkind(v, sc, rv->relname, r->a, &kind[i], r->err)))
			return rc;
		if (!kind[i])
			return dh_err_sql(r->err, "42P01", "relation \"%s%s%s\" does not exist",
					  s ? s : "", s ? "." : "", rv->relname);
	}
	if (o.verbose)
		return dh_err_sql(r->err, "0A000",
				  "%s VERBOSE is not supported: dh has no per-table report to give",
				  cmd);
	for (size_t i = 0; i < n; i++) {
		const PgQuery__VacuumRelation *vr = st->rels[i]->vacuum_relation;
		const char *name = vr->relation->relname;
		if (kind[i] != 'r') {
			/* vacuum_rel skips it (and then ANALYZE does not run),
			 * analyze_rel likewise */
			dh__sql_notice(r->s, "WARNING", "01000", NULL,
				       "skipping \"%s\" --- cannot %s non-tables or special "
				       "system tables",
				       name, o.vacuum ? "vacuum" : "analyze");
			continue;
		}
		if (!o.analyze || !vr->n_va_cols)
			continue;
		/* do_analyze_rel: the columns named exist, each once */
		struct dh_sqltable *t;
		if ((rc = dh__sql_table(r->s, v, sc, name, r->a, &t, r->err)))
			return rc;
		int *seen = dh_arena_zalloc(r->a, ((size_t)t->ncols + 1) * sizeof(*seen));
		for (size_t k = 0; k < vr->n_va_cols; k++) {
			const char *col = dh__sqlc_str(vr->va_cols[k]);
			int c = 0;
			while (c < t->ncols && strcmp(t->cols[c].name, col) != 0)
				c++;
			if (c == t->ncols)
				return dh_err_sql(r->err, "42703",
						  "column \"%s\" of relation \"%s\" does not exist", col,
						  name);
			if (seen[c]++)
				return dh_err_sql(r->err, "42701",
						  "column \"%s\" of relation \"%s\" appears more than once",
						  col, name);
		}
	}
	return dh__sqlc_emit(r, cmd, 0, NULL, NULL, 0);
}
