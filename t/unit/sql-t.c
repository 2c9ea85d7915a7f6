/*
 * sql-t: unit tests of the SQL session (lib/sql.c): the transaction state
 * machine (tags, warnings, status byte, the aborted state), SET / SHOW /
 * RESET with transactional undo, syntax errors with their position.  The
 * statements' semantics are checked against PostgreSQL by t4000; these
 * checks pin what the session itself does.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "dh.h"
#include "sql.h"
#include "tap.h"

static struct dh_sql *s;
static struct dh_err err;
static char got[4096]; /* tags, notices and cells of the last exec */

/* notices as (W:message) for a WARNING, (N:sqlstate:message) for a
 * NOTICE, with [detail] */
static void
put_notices(const struct dh_sql_notice *v, size_t count)
{
	for (size_t i = 0; i < count; i++) {
		size_t n = strlen(got);
		if (strcmp(v[i].severity, "WARNING") == 0)
			snprintf(got + n, sizeof(got) - n, "(W:%s)", v[i].message);
		else
			snprintf(got + n, sizeof(got) - n, "(N:%s:%s)", v[i].sqlstate,
				 v[i].message);
		if (v[i].detail) {
			n = strlen(got);
			snprintf(got + n, sizeof(got) - n, "[%s]", v[i].detail);
		}
	}
}

static int
collect(void *ctx, const struct dh_sql_result *r)
{
	(void)ctx;
	size_t n = strlen(got);
	snprintf(got + n, sizeof(got) - n, "%s%s", n ? ";" : "", r->tag);
	put_notices(r->notices, r->nnotices);
	for (size_t i = 0; i < r->nrows * (size_t)r->ncols; i++) {
		n = strlen(got);
		snprintf(got + n, sizeof(got) - n, "|%s", r->cells[i] ? r->cells[i] : "NULL");
	}
	return 0;
}

/* Run text; the result is "tags" or "ERROR sqlstate" */
static const char *
run(const char *text)
{
	got[0] = 0;
	dh_err_clear(&err);
	if (dh_sql_exec(s, text, strlen(text), collect, NULL, &err)) {
		const struct dh_sql_notice *v;
		size_t n = strlen(got), count = dh_sql_notices(s, &v);
		snprintf(got + n, sizeof(got) - n, "%s", n ? ";" : "");
		put_notices(v, count);
		n = strlen(got);
		snprintf(got + n, sizeof(got) - n, "ERROR %s", err.sqlstate);
		if (dh_sql_notices(s, &v) != 0)
			snprintf(got + strlen(got), sizeof(got) - strlen(got), " (again)");
	}
	return got;
}

static void
is_run(const char *text, const char *want, char status)
{
	const char *g = run(text);
	if (!ok(strcmp(g, want) == 0 && dh_sql_txstatus(s) == status, "%s", text))
		tap_diag("got [%s] status %c, want [%s] status %c (%s)", g, dh_sql_txstatus(s),
			 want, status, err.message);
}

int
main(void)
{
	const char *tmp = getenv("TMPDIR");
	char dir[512], path[600];
	struct dh_store *st;
	snprintf(dir, sizeof(dir), "%s/sql-t.XXXXXX", tmp && *tmp ? tmp : "/tmp");
	if (!mkdtemp(dir)) {
		printf("Bail out! mkdtemp\n");
		return 1;
	}
	snprintf(path, sizeof(path), "%s/s.dh", dir);
	if (dh_store_open(path, DH_STORE_CREATE, &st, &err) || dh_db_create(st, "dh", 0, &err) ||
	    dh_sql_open(st, NULL, &s, &err)) {
		printf("Bail out! %s\n", err.message);
		return 1;
	}
	ok(dh_sql_txstatus(s) == 'I', "a new session is idle");
	is_run("BEGIN", "BEGIN", 'T');
	is_run("BEGIN", "BEGIN(W:there is already a transaction in progress)", 'T');
	is_run("COMMIT", "COMMIT", 'I');
	is_run("COMMIT", "COMMIT(W:there is no transaction in progress)", 'I');
	is_run("ROLLBACK", "ROLLBACK(W:there is no transaction in progress)", 'I');
	is_run("START TRANSACTION; ROLLBACK", "START TRANSACTION;ROLLBACK", 'I');

	/* settings */
	is_run("SHOW DateStyle", "SHOW|ISO, MDY", 'I');
	is_run("SET datestyle = 'ISO, DMY'; SHOW DateStyle", "SET;SHOW|ISO, DMY", 'I');
	is_run("RESET datestyle; SHOW datestyle", "RESET;SHOW|ISO, MDY", 'I');
	is_run("SHOW nope", "ERROR 42704", 'I');
	is_run("SET dh.as_of = 1234; SHOW dh.as_of", "SET;SHOW|1234", 'I');
	is_run("SET datahike.as_of TO '2024-01-01'; SHOW datahike.as_of",
	       "SET;SHOW|2024-01-01", 'I');
	is_run("BEGIN; SET dh.as_of = 99; ROLLBACK; SHOW dh.as_of", "BEGIN;SET;ROLLBACK;SHOW|1234",
	       'I');
	is_run("BEGIN; SET dh.as_of = 99; COMMIT; SHOW dh.as_of", "BEGIN;SET;COMMIT;SHOW|99", 'I');
	is_run("SET dh.as_of TO DEFAULT; SHOW dh.as_of", "SET;SHOW|", 'I');
	is_run("SET statement_timeout = 0; SHOW nope", "SET;ERROR 42704", 'I');
	is_run("SHOW statement_timeout", "SHOW|0", 'I');

	is_run("SET LOCAL TimeZone = 'Asia/Tokyo'; SHOW TimeZone", "SET;SHOW|Asia/Tokyo", 'I');
	is_run("SET LOCAL TimeZone = 'Asia/Tokyo'",
	       "SET(W:SET LOCAL can only be used in transaction blocks)", 'I');
	is_run("SHOW timezone", "SHOW|UTC", 'I');
	is_run("BEGIN; SET extra_float_digits = 3; SAVEPOINT a; SET extra_float_digits = 0",
	       "BEGIN;SET;SAVEPOINT;SET", 'T');
	is_run("ROLLBACK TO a; SHOW extra_float_digits; COMMIT", "ROLLBACK;SHOW|3;COMMIT", 'I');
	is_run("SET extra_float_digits = 10", "ERROR 22023", 'I');
	is_run("SHOW transaction_isolation", "SHOW|read committed", 'I');

	/* cancel: a set flag stops the statement with 57014 */
	static volatile sig_atomic_t cancel;
	dh_sql_set_cancel(s, &cancel);
	cancel = 1;
	is_run("SHOW DateStyle", "ERROR 57014", 'I');
	cancel = 0;
	is_run("SHOW DateStyle", "SHOW|ISO, MDY", 'I');
	dh_sql_set_cancel(s, NULL);

	/* the aborted state */
	is_run("BEGIN; SHOW nope", "BEGIN;ERROR 42704", 'E');
	is_run("SHOW DateStyle", "ERROR 25P02", 'E');
	is_run("COMMIT", "ROLLBACK", 'I');
	is_run("BEGIN; SAVEPOINT a; SHOW nope", "BEGIN;SAVEPOINT;ERROR 42704", 'E');
	is_run("ROLLBACK TO SAVEPOINT a; SHOW server_version_num", "ROLLBACK;SHOW|150000", 'T');
	is_run("RELEASE SAVEPOINT a", "RELEASE", 'T');
	is_run("RELEASE SAVEPOINT a", "ERROR 3B001", 'E');
	is_run("ROLLBACK", "ROLLBACK", 'I');
	is_run("SAVEPOINT x", "ERROR 25P01", 'I');

	/* notices: in order, with the result or before the error;
	 * client_min_messages filters them */
	is_run("RESET ALL", "RESET", 'I');
	is_run("DROP TABLE IF EXISTS a, b",
	       "DROP TABLE(N:00000:table \"a\" does not exist, skipping)"
	       "(N:00000:table \"b\" does not exist, skipping)",
	       'I');
	is_run("CREATE TABLE a (x int); CREATE TABLE IF NOT EXISTS a (y int)",
	       "CREATE TABLE;CREATE TABLE(N:42P07:relation \"a\" already exists, skipping)", 'I');
	is_run("CREATE VIEW v1 AS SELECT x FROM a; CREATE VIEW v2 AS SELECT x FROM v1",
	       "CREATE VIEW;CREATE VIEW", 'I');
	is_run("DROP TABLE IF EXISTS nosuch, a",
	       "(N:00000:table \"nosuch\" does not exist, skipping)ERROR 2BP01", 'I');
	is_run("DROP TABLE a CASCADE",
	       "DROP TABLE(N:00000:drop cascades to 2 other objects)[drop cascades to view "
	       "v1\ndrop cascades to view v2]", 'I');
	is_run("SET client_min_messages = warning; DROP TABLE IF EXISTS a; BEGIN; BEGIN; COMMIT",
	       "SET;DROP TABLE;BEGIN;BEGIN(W:there is already a transaction in progress);COMMIT",
	       'I');
	is_run("SET client_min_messages = error; BEGIN; BEGIN; COMMIT", "SET;BEGIN;BEGIN;COMMIT",
	       'I');
	is_run("SET client_min_messages = debug1; DROP VIEW IF EXISTS v",
	       "SET;DROP VIEW(N:00000:view \"v\" does not exist, skipping)", 'I');
	is_run("RESET client_min_messages", "RESET", 'I');

	/* syntax errors: PostgreSQL's message and position */
	run("SELECT 1; SELEC 2");
	ok(strcmp(err.sqlstate, "42601") == 0 && err.position == 11 &&
	       strstr(err.message, "syntax error at or near \"SELEC\""),
	   "syntax error at its character position");
	run("SELECT 'é' + FROM");
	ok(err.position == 14, "positions count characters, not bytes (got %d)", err.position);
	run("CREATE TYPE mood AS ENUM ('sad', 'ok')");
	ok(strcmp(err.sqlstate, "0A000") == 0 && strstr(err.message, "CreateEnumStmt"),
	   "a statement not built yet: 0A000 naming it");

	dh_sql_close(s);
	dh_store_close(st);
	char cmd[700];
	snprintf(cmd, sizeof(cmd), "rm -rf '%s'", dir);
	if (system(cmd) != 0)
		tap_diag("could not remove %s", dir);
	return tap_done();
}
