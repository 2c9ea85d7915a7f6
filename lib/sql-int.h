/*
 * sql-int: what the SQL statement compiler shares with the session.
 *
 *   sql.c      sessions: parsing, transaction state, settings, dispatch
 *   sqlcat.c   the catalog: tables and columns read from the schema and the
 *              :dh.sql metadata on attribute entities
 *   sqlc.c     statements: DDL, DML, SELECT (compiled into qexec blocks
 *              plus the nodes above them), results
 *
 * A statement runs with a struct dh__sqlrun: the session, the text, the
 * result callback and an arena that lives until the statement ends.
 */
#ifndef DH_SQL_INT_H
#define DH_SQL_INT_H

#include <signal.h>

#include <pg_query/pg_query.pb-c.h>

#include "dh.h"
#include "sql.h"
#include "sqlexpr.h"
#include "sqltype.h"

struct dh__sqlrun {
	struct dh_sql *s;
	const char *text; /* the whole text, NUL-terminated */
	int location;     /* byte offset of the statement in text */
	int len;          /* its length (0: to the end) */
	dh_sql_cb cb;
	void *ctx;
	struct dh_err *err;
	struct dh_arena *a; /* freed when the statement ends */
};

/* --- session services (sql.c) --- */

/* The view a statement reads and its schema: the write transaction's (its
 * own writes) if one is open, else a snapshot taken for this statement
 * with dh.as_of / dh.since / dh.history applied.  Errors: as
 * dh_snapshot_open, 22023 for a bad dh.as_of. */
int dh__sql_view(struct dh_sql *s, struct dh_view **v, const struct dh_schema **sc,
		 struct dh_err *err);
/* The session's write transaction, begun on first use.  25006 while
 * dh.as_of (or since/history) is set: a past state is read only. */
int dh__sql_wtx(struct dh_sql *s, struct dh_wtx **w, struct dh_err *err);
/* Run tx-data (EDN text) in the write transaction: DDL's schema writes. */
int dh__sql_transact_edn(struct dh_sql *s, const char *edn, struct dh_arena *a,
			 struct dh_err *err);
const struct dh_sqlenv *dh__sql_env(struct dh_sql *s);
const char *dh__sql_get(struct dh_sql *s, const char *name);
struct dh_conn *dh__sql_conn(struct dh_sql *s);
volatile sig_atomic_t *dh__sql_cancel(struct dh_sql *s);

/* Error helpers: set err->position from a node location (byte offset in
 * the text, -1 for none). */
int dh__sql_at(struct dh__sqlrun *r, int location, int rc);

/* --- the catalog (sqlcat.c) --- */

struct dh_sqlcol {
	const char *name;
	uint64_t attr;      /* the attribute's id */
	const char *ident;  /* "widget/sku" */
	uint32_t type;      /* pg_type OID */
	int32_t typmod;
	int notnull;
	const char *dflt;   /* DEFAULT expression text, or NULL */
	int ordinal;        /* 1-based position */
	enum dh_type rep;   /* the attribute's value type */
	int many;           /* cardinality many (Datalog-made): an array */
};

struct dh_sqltable {
	const char *name;
	uint64_t eid;      /* the :dh.sql/table entity; 0 for a Datalog namespace */
	uint64_t marker;   /* the row-marker attribute (:T/db-row), 0 if none */
	int ncols;
	struct dh_sqlcol *cols;
	int npk;
	int *pk;           /* column indexes of the primary key */
	const char *pkname; /* "widget_pkey" */
};

/* Table name (case-sensitive, as folded by the parser) in schema sc; NULL
 * with 42P01 if none.  Memory in a. */
int dh__sqlcat_table(struct dh_view *v, const struct dh_schema *sc, const char *name,
		     struct dh_arena *a, struct dh_sqltable **out, struct dh_err *err);
/* Every table, sorted by name. */
int dh__sqlcat_tables(struct dh_view *v, const struct dh_schema *sc, struct dh_arena *a,
		      struct dh_sqltable ***out, int *n, struct dh_err *err);
/* The value type a column of SQL type oid is stored as. */
enum dh_type dh__sqlcat_rep(uint32_t oid);
/* The :dh.sql attributes exist (installs them with EDN if not). */
int dh__sqlcat_bootstrap(struct dh_sql *s, const struct dh_schema *sc, struct dh_arena *a,
			 struct dh_err *err);

/* --- statements (sqlc.c) --- */

/* Run one statement; 1 if the statement kind is not the compiler's. */
int dh__sqlc_stmt(struct dh__sqlrun *r, const PgQuery__Node *n);

#endif
