/*
 * sql: PostgreSQL-dialect SQL over a database, the public door.
 *
 * A session (struct dh_sql) is what one psql connection is: a database and
 * branch, the transaction state (BEGIN ... COMMIT, savepoints, the aborted
 * state), settings (dh.as_of, search_path, DateStyle, ...), sequences'
 * currval, prepared statements.  dh-query, dh-serve and the tests all go
 * through it.
 *
 *   struct dh_sql *s;
 *   dh_sql_open(store, "shop:main", &s, &err);
 *   dh_sql_exec(s, text, len, on_result, ctx, &err);   as a simple Query
 *   dh_sql_close(s);
 *
 * dh_sql_exec runs every statement of text in order, with PostgreSQL's
 * simple-query rules: statements outside BEGIN run in one implicit
 * transaction that commits at the end of the text (or at the first error,
 * rolls back).  For each statement that completes, on_result gets its
 * result; the first error stops the text and is returned (err: SQLSTATE in
 * err->sqlstate, 1-based character position in text in err->position).
 * A statement PostgreSQL would answer with NOTICEs or WARNINGs (DROP ...
 * IF EXISTS of nothing, COMMIT outside a block) hands them over with its
 * result, in the order raised; those raised before an error wait for
 * dh_sql_notices.
 *
 * The SQL text is compiled into the same plan and executor as Datalog
 * (qexec); lib/README tells how tables map onto attributes.
 */
#ifndef DH_SQL_H
#define DH_SQL_H

#include <signal.h>
#include <stddef.h>
#include <stdint.h>

#include "util.h"

struct dh_store;
struct dh_sql;
struct dh_value;

/* db_branch: "DB" or "DB:BRANCH" (NULL: "dh:main").  Errors: DH_ENODB,
 * DH_ENOBRANCH, store errors. */
int dh_sql_open(struct dh_store *st, const char *db_branch, struct dh_sql **out,
		struct dh_err *err);
/* An open transaction is rolled back. */
void dh_sql_close(struct dh_sql *s);
/* Free the SQL parser's memory of this thread (libpg_query keeps a context
 * between parses), for leak checkers: call at the end of a program that
 * used SQL, after its last dh_sql_close.  No SQL may be parsed after it. */
void dh_sql_shutdown(void);

/* A result column: name and PostgreSQL type (pg_type OID, typmod -1 if
 * none), as RowDescription carries them, and where it comes from: for a
 * plain column of a table, view or sequence (directly, or through a
 * subquery, a WITH query or a join's merged column), that relation's
 * pg_class OID and the column's pg_attribute.attnum, as PostgreSQL's
 * markTargetListOrigins finds them; 0 and 0 otherwise (expressions, set
 * operations, VALUES, functions). */
struct dh_sql_col {
	const char *name;
	uint32_t type_oid;
	int32_t typmod;
	uint32_t table_oid;
	int16_t attnum;
};

/* A NoticeResponse: severity "NOTICE" or "WARNING" (those that
 * client_min_messages lets through), the SQLSTATE ("00000" for a plain
 * NOTICE, "01000" for a plain WARNING), the message, and a detail and a
 * hint or NULL, as PostgreSQL 15 sends them for the same statement. */
struct dh_sql_notice {
	const char *severity;
	const char *sqlstate;
	const char *message;
	const char *detail;
	const char *hint;
};

/* One statement's result.  ncols == 0: the statement returns no rows
 * (CREATE, INSERT without RETURNING, ...).  cells[r * ncols + c] is the
 * PostgreSQL text form of the value (what psql prints), NULL for SQL NULL.
 * tag is the command tag ("SELECT 3", "INSERT 0 1", "CREATE TABLE").
 * Everything is valid only during the callback. */
struct dh_sql_result {
	const char *tag;
	/* the notices the statement raised since its last result (a SELECT's
	 * header carries those raised before it), in order: they go out
	 * before the result's own messages */
	size_t nnotices;
	const struct dh_sql_notice *notices;
	int ncols;
	const struct dh_sql_col *cols;
	size_t nrows;
	const char *const *cells;
	/* the same cells as values, for binary output (DH_T_NONE for NULL),
	 * or NULL when the statement has only text (SHOW) */
	const struct dh_value *values;
	/* dh_sql_set_headers: only the columns (tag NULL, no rows), before
	 * the rows are computed; the whole result follows */
	int header;
	/* the rows are wanted in binary (a FETCH from a BINARY cursor: the
	 * simple query protocol sends them so) */
	int binary;
};

/* Return non-zero from the callback to stop (that value is returned). */
typedef int (*dh_sql_cb)(void *ctx, const struct dh_sql_result *r);

int dh_sql_exec(struct dh_sql *s, const char *text, size_t len, dh_sql_cb cb, void *ctx,
		struct dh_err *err);

/* After dh_sql_exec or dh_sql_execute returned an error: the notices the
 * failed statement raised before it, which PostgreSQL would have sent
 * before the ErrorResponse (DROP TABLE IF EXISTS a, b failing on b after
 * skipping a).  Each notice is handed out once (a second call returns 0);
 * *out stays valid until the next call that runs SQL in s. */
size_t dh_sql_notices(struct dh_sql *s, const struct dh_sql_notice **out);

/* The transaction status byte of ReadyForQuery: 'I' idle, 'T' in a
 * transaction block, 'E' in a failed transaction block. */
char dh_sql_txstatus(const struct dh_sql *s);

/* A configuration parameter's value (SHOW's text), or NULL if unknown.
 * Valid until the next dh_sql_exec. */
const char *dh_sql_setting(const struct dh_sql *s, const char *name);

/* Cancel statements from elsewhere (a SIGINT or SIGALRM handler, another
 * thread): while flag points at a non-zero value, the running statement
 * stops with 57014 (DH_ECANCELED), as do the statements after it: the
 * message is "canceling statement due to statement timeout" for the value
 * DH_CANCEL_TIMEOUT, else "... due to user request" (DH_CANCEL_USER).  The caller clears the flag before the next text;
 * NULL (the default) turns cancelling off.  The flag must outlive s. */
void dh_sql_set_cancel(struct dh_sql *s, volatile sig_atomic_t *flag);

/* COPY's data path (COPY ... FROM STDIN, COPY ... TO STDOUT): the program
 * that owns the client gives the session these hooks.  Without them
 * (the default, NULL) such a COPY fails with 0A000.  format is 0 for text,
 * 1 for csv; ncols the number of columns copied.
 *
 * COPY ... FROM STDIN: once the statement has checked its table, columns
 * and options, begin_in is called (dh-serve sends CopyInResponse), then
 * read for chunks of data in any split (lines need not be whole): 1 with
 * *p, *n set (borrowed until the next call), 0 at the end of the data,
 * or a negative DH_E* with err filled (e.g. the client's CopyFail: 57014
 * "COPY from stdin failed: REASON"); the statement then fails with it.
 * An error in the data (or a constraint) ends the statement without
 * reading on: the caller discards what the client still sends (up to
 * CopyDone or CopyFail; psql's "\." line).  The statement's result
 * (tag "COPY n") comes through dh_sql_exec's callback as usual.
 *
 * COPY ... TO STDOUT: begin_out once the query is ready (CopyOutResponse),
 * then write once per row with the whole line, newline included; then
 * the result "COPY n" through the callback (dh-serve sends CopyDone
 * before its CommandComplete).  Non-zero from a hook stops the statement
 * with that value (and err, if the hook filled it).  The hooks run on
 * the thread of dh_sql_exec. */
struct dh_sql_copy {
	int (*begin_in)(void *ctx, int ncols, int format, struct dh_err *err);
	int (*read)(void *ctx, const char **p, size_t *n, struct dh_err *err);
	int (*begin_out)(void *ctx, int ncols, int format, struct dh_err *err);
	int (*write)(void *ctx, const char *p, size_t n, struct dh_err *err);
};
/* hooks (NULL: none) must outlive s or the next call. */
void dh_sql_set_copy(struct dh_sql *s, const struct dh_sql_copy *hooks, void *ctx);

/* LISTEN, UNLISTEN, NOTIFY and pg_notify() go through the program's hub
 * (dh-serve's, which reaches the other sessions); without hooks (the
 * default) they fail with 0A000.  They take effect when their transaction
 * commits: then, in the order they ran, listen(ctx, channel) for each
 * LISTEN and unlisten(ctx, channel) for each UNLISTEN (channel NULL for
 * UNLISTEN *), then notify(ctx, channel, payload) for each distinct
 * notification, in the order sent.  A rollback forgets them.  The hooks
 * run on the thread that commits. */
struct dh_sql_notify {
	void (*listen)(void *ctx, const char *channel);
	void (*unlisten)(void *ctx, const char *channel);
	void (*notify)(void *ctx, const char *channel, const char *payload);
};
void dh_sql_set_notify(struct dh_sql *s, const struct dh_sql_notify *hooks, void *ctx);
/* With on, a SELECT first hands cb its columns alone (header set), before
 * its rows are computed, so that RowDescription goes out first and an
 * error while computing them follows it, as PostgreSQL does (off by
 * default). */
void dh_sql_set_headers(struct dh_sql *s, int on);
/* CREATE DATABASE and DROP DATABASE go through the program (dh-serve with
 * --allow-create-database); without hooks (the default) they fail with
 * 0A000.  create: 0, or an error such as 42P04; drop: 0, or an error
 * such as 3D000 (missing_ok: 0 for a database that does not exist; the
 * session passes 0 and makes DROP DATABASE IF EXISTS's NOTICE of 3D000)
 * or 55006 (in use). */
struct dh_sql_dbhooks {
	int (*create)(void *ctx, const char *name, struct dh_err *err);
	int (*drop)(void *ctx, const char *name, int missing_ok, struct dh_err *err);
};
void dh_sql_set_dbhooks(struct dh_sql *s, const struct dh_sql_dbhooks *hooks, void *ctx);
/* What pg_backend_pid() returns (default: the process's id). */
void dh_sql_set_backend_pid(struct dh_sql *s, int32_t pid);
/* The columns of the session's SQL cursor name (DECLARE): 1, or 0 if
 * there is none.  The extended protocol's Describe of a portal finds
 * cursors too (they share a namespace in PostgreSQL).  Valid until the
 * next statement. */
int dh_sql_cursor_columns(struct dh_sql *s, const char *name, const struct dh_sql_col **cols,
			  int *ncols);

/* DEALLOCATE name and DEALLOCATE ALL (name NULL) drop prepared statements
 * of the program that keeps them (dh-serve's Parse): fn returns 0, or
 * 26000 with err filled for an unknown name.  Without it (the default)
 * DEALLOCATE ALL does nothing and DEALLOCATE name is 26000. */
void dh_sql_set_deallocate(struct dh_sql *s,
			   int (*fn)(void *ctx, const char *name, struct dh_err *err), void *ctx);

/* --- the extended protocol: prepared statements ---
 *
 * dh_sql_prepare is Parse: text holds one statement (or none: an empty
 * query), compiled without running to find its parameters' types (types
 * the client gave, types[i] 0 for "infer", and any further $n inferred
 * from where each is first used, as PostgreSQL does) and its result
 * columns.  Errors: the statement's (42P01, 42703, 42601 with the
 * position, ...), 42601 "cannot insert multiple commands into a prepared
 * statement", 42P18 "could not determine data type of parameter $n".
 * A statement only compiles against the schema; a write statement takes
 * the write transaction for that moment (and gives it back if it was not
 * open).
 *
 * dh_sql_bind converts the client's parameter values (text or binary,
 * per value) into the statement's types (22P02, 22P03 for binary of the
 * wrong size, 08P01 for a wrong count); dh_sql_execute runs the statement
 * with them (compiling it again, so a schema change in between is seen)
 * and hands its result to cb as dh_sql_exec does.  Statements run
 * outside BEGIN form one implicit transaction until dh_sql_sync (Sync),
 * which commits it, or rolls it back if a statement failed since the last
 * sync. */
struct dh_sql_stmt;
struct dh_sql_params;

int dh_sql_prepare(struct dh_sql *s, const char *text, size_t len, const uint32_t *types,
		   int ntypes, struct dh_sql_stmt **out, struct dh_err *err);
void dh_sql_stmt_free(struct dh_sql_stmt *p);
/* The parameters' types (PostgreSQL OIDs); their number. */
int dh_sql_stmt_params(const struct dh_sql_stmt *p, const uint32_t **types);
/* The result: 1 with the columns (RowDescription), 0 for none (NoData).
 * An empty statement has none.  Valid while p is. */
int dh_sql_stmt_columns(const struct dh_sql_stmt *p, const struct dh_sql_col **cols, int *ncols);

/* n values: data[i] (lens[i] bytes; lens[i] -1 for NULL) in format
 * formats[i] (0 text, 1 binary). */
int dh_sql_bind(struct dh_sql *s, const struct dh_sql_stmt *p, int n, const char *const *data,
		const int32_t *lens, const int16_t *formats, struct dh_sql_params **out,
		struct dh_err *err);
void dh_sql_params_free(struct dh_sql_params *v);
/* params may be NULL for a statement without parameters.  An empty
 * statement calls cb with tag NULL (EmptyQueryResponse). */
int dh_sql_execute(struct dh_sql *s, const struct dh_sql_stmt *p,
		   const struct dh_sql_params *params, dh_sql_cb cb, void *ctx,
		   struct dh_err *err);
/* A message of the extended protocol failed (Parse, Bind, Describe,
 * Execute, Close): as after a failed statement, the transaction block
 * fails, or the implicit transaction rolls back, as PostgreSQL aborts
 * the transaction on any error. */
void dh_sql_abort(struct dh_sql *s);
/* Sync: the implicit transaction ends (commit; roll back after an error
 * since the last sync).  A failed commit is returned. */
int dh_sql_sync(struct dh_sql *s, struct dh_err *err);
/* The client's Sync is already here, after the next Execute: a write in
 * it ends without waiting for the client and may join a group commit
 * (store.h, DH_STORE_GROUP).  dh_sql_exec's statements (a whole text)
 * may always, except COPY FROM STDIN and those in a BEGIN block. */
void dh_sql_set_sync_ahead(struct dh_sql *s, int on);

#endif
