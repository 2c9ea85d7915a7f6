/*
 * sqlc-t: unit tests of what the SQL compiler does that PostgreSQL has no
 * counterpart for (so t4000 cannot check it): the mapping onto datoms (SQL
 * rows are Datalog entities and back), the catalog of Datalog-made
 * attributes, DROP TABLE keeping history, serializable transactions across
 * two sessions (40001), and writes refused under dh.as_of.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "dh.h"
#include "query.h"
#include "sql.h"
#include "tap.h"

static struct dh_err err;
static char got[8192];

static int
collect(void *ctx, const struct dh_sql_result *r)
{
	(void)ctx;
	size_t n = strlen(got);
	snprintf(got + n, sizeof(got) - n, "%s%s", n ? ";" : "", r->tag);
	for (size_t i = 0; i < r->nrows * (size_t)r->ncols; i++) {
		n = strlen(got);
		snprintf(got + n, sizeof(got) - n, "|%s", r->cells[i] ? r->cells[i] : "NULL");
	}
	return 0;
}

static const char *
run(struct dh_sql *s, const char *text)
{
	got[0] = 0;
	dh_err_clear(&err);
	if (dh_sql_exec(s, text, strlen(text), collect, NULL, &err)) {
		size_t n = strlen(got);
		snprintf(got + n, sizeof(got) - n, "%sERROR %s", n ? ";" : "", err.sqlstate);
	}
	return got;
}

static void
is_run(struct dh_sql *s, const char *text, const char *want)
{
	const char *g = run(s, text);
	if (!ok(strcmp(g, want) == 0, "%s", text))
		tap_diag("got [%s], want [%s] (%s)", g, want, err.message);
}

/* A Datalog query's result as "v v;v v" (rows sorted by the engine's set
 * order: use single-row or scalar finds). */
static const char *
datalog(struct dh_conn *c, const char *q)
{
	static char out[2048];
	struct dh_arena a;
	dh_arena_init(&a);
	struct dh_edn *form;
	size_t used;
	struct dh_query *dq;
	struct dh_snapshot *snap;
	struct dh_view_spec spec = {DH_VIEW_CURRENT, NULL, NULL};
	struct dh_result res;
	out[0] = 0;
	if (dh_edn_parse(&a, q, strlen(q), &form, &used, &err) ||
	    dh_query_parse(&a, form, q, strlen(q), &dq, &err) ||
	    dh_snapshot_open(c, &spec, &snap, &err)) {
		snprintf(out, sizeof(out), "ERROR %s", err.message);
		dh_arena_release(&a);
		return out;
	}
	struct dh_query_env env = {.nsrc = 1};
	env.src[0] = (struct dh_source){"$", dh_snapshot_view(snap), dh_snapshot_schema(snap)};
	if (dh_query_run(dq, &env, &a, &res, &err)) {
		snprintf(out, sizeof(out), "ERROR %s", err.message);
	} else {
		for (size_t i = 0; i < res.nrows * res.ncols; i++) {
			struct dh_buf b;
			dh_buf_init(&b, 0);
			dh_value_print_edn(&b, &res.rows[i]);
			size_t n = strlen(out);
			snprintf(out + n, sizeof(out) - n, "%s%.*s", i ? " " : "", (int)b.len,
				 (const char *)b.p);
			dh_buf_release(&b);
		}
	}
	dh_snapshot_close(snap);
	dh_arena_release(&a);
	return out;
}

int
main(void)
{
	char dir[] = "/tmp/dh-sqlc-t.XXXXXX", path[256];
	if (!mkdtemp(dir))
		return 1;
	snprintf(path, sizeof(path), "%s/s.dh", dir);
	struct dh_store *st;
	struct dh_conn *c;
	struct dh_sql *s, *s2;
	if (dh_store_open(path, DH_STORE_CREATE, &st, &err) || dh_db_ensure_default(st, &err) ||
	    dh_sql_open(st, "dh", &s, &err) || dh_sql_open(st, "dh", &s2, &err) ||
	    dh_conn_open(st, "dh", &c, &err)) {
		printf("Bail out! %s\n", err.message);
		return 1;
	}

	/* SQL rows are entities with the table's attributes */
	is_run(s, "CREATE TABLE widget (sku text PRIMARY KEY, weight int)", "CREATE TABLE");
	is_run(s, "INSERT INTO widget VALUES ('a', 5), ('b', NULL)", "INSERT 0 2");
	ok(strcmp(datalog(c, "[:find ?w . :where [?e :widget/sku \"a\"] [?e :widget/weight ?w]]"),
		  "5") == 0,
	   "a row inserted by SQL is an entity Datalog reads");
	ok(strcmp(datalog(c, "[:find (count ?e) . :where [?e :widget/weight]]"), "1") == 0,
	   "a NULL column is an absent attribute");
	is_run(s, "SELECT count(*) FROM widget WHERE db_id > 0", "SELECT 1|2");

	/* Datalog-made attributes are a table */
	struct dh_arena a;
	dh_arena_init(&a);
	struct dh_tx_report rep;
	const char *schema = "[{:db/ident :person/name :db/valueType :db.type/string "
			     ":db/cardinality :db.cardinality/one}"
			     " {:db/ident :person/age :db/valueType :db.type/long "
			     ":db/cardinality :db.cardinality/one}]";
	const char *data = "[{:person/name \"ann\" :person/age 30} {:person/name \"bo\"}"
			   " {:person/age 7}]";
	ok(dh_transact_text(c, schema, strlen(schema), &a, &rep, &err) == 0 &&
		   dh_transact_text(c, data, strlen(data), &a, &rep, &err) == 0,
	   "Datalog writes a namespace");
	dh_arena_release(&a);
	is_run(s, "SELECT name, age FROM person ORDER BY name NULLS LAST",
	       "SELECT 3|ann|30|bo|NULL|NULL|7");
	is_run(s, "INSERT INTO person (name, age) VALUES ('cy', 1)", "INSERT 0 1");
	is_run(s, "SELECT count(*) FROM person", "SELECT 1|4");

	/* DROP TABLE keeps history: the rows were there before the drop */
	is_run(s, "CREATE TABLE gone (x int)", "CREATE TABLE");
	is_run(s, "INSERT INTO gone VALUES (1), (2)", "INSERT 0 2");
	is_run(s, "DROP TABLE gone", "DROP TABLE");
	is_run(s, "SELECT * FROM gone", "ERROR 42P01");
	is_run(s, "CREATE TABLE gone (x text)", "CREATE TABLE");
	is_run(s, "SELECT count(*) FROM gone", "SELECT 1|0");

	/* serializable: a block that read, then another session committed,
	 * cannot write on top of its stale read */
	is_run(s, "BEGIN", "BEGIN");
	is_run(s, "SELECT weight FROM widget WHERE sku = 'a'", "SELECT 1|5");
	is_run(s2, "UPDATE widget SET weight = weight + 1 WHERE sku = 'a'", "UPDATE 1");
	is_run(s, "SELECT weight FROM widget WHERE sku = 'a'", "SELECT 1|5");
	is_run(s, "UPDATE widget SET weight = weight + 1 WHERE sku = 'a'", "ERROR 40001");
	is_run(s, "ROLLBACK", "ROLLBACK");
	is_run(s, "SELECT weight FROM widget WHERE sku = 'a'", "SELECT 1|6");
	/* a block that writes first holds the write lock: no conflict */
	is_run(s, "BEGIN; UPDATE widget SET weight = weight + 1 WHERE sku = 'a'; COMMIT",
	       "BEGIN;UPDATE 1;COMMIT");
	is_run(s, "SELECT weight FROM widget WHERE sku = 'a'", "SELECT 1|7");

	/* the past is read only */
	is_run(s, "SET dh.as_of = '1'", "SET");
	is_run(s, "INSERT INTO widget VALUES ('z', 1)", "ERROR 25006");
	is_run(s, "RESET dh.as_of", "RESET");
	is_run(s, "INSERT INTO widget VALUES ('z', 1)", "INSERT 0 1");

	/* the parse cache: a statement of a known shape takes its own
	 * constants, and an error's position is in its own text */
	is_run(s, "SELECT 1, -2, 'a''b', 1.5 FROM widget WHERE sku = 'a'", "SELECT 1|1|-2|a'b|1.5");
	is_run(s, "SELECT 30, -40, '''', 2.25e1 FROM widget WHERE sku = 'z'",
	       "SELECT 1|30|-40|'|22.5");
	is_run(s, "SELECT 1, nosuch FROM widget", "ERROR 42703");
	ok(err.position == 11, "an error's position (%d)", err.position);
	is_run(s, "SELECT 123456,   nosuch FROM widget", "ERROR 42703");
	ok(err.position == 18, "... in a text of a known shape too (%d)", err.position);
	is_run(s, "SELECT 'é', nosuch FROM widget", "ERROR 42703");
	ok(err.position == 13, "... counted in characters (%d)", err.position);
	is_run(s, "SELECT 'ééé', nosuch FROM widget", "ERROR 42703");
	ok(err.position == 15, "... after a longer literal (%d)", err.position);
	/* the catalog cache: a table changed by this session or another one
	 * is read again */
	is_run(s, "SELECT count(*) FROM widget WHERE weight > 0", "SELECT 1|2");
	is_run(s2, "ALTER TABLE widget ADD COLUMN color text DEFAULT 'red'", "ALTER TABLE");
	is_run(s, "SELECT color FROM widget WHERE sku = 'a'", "SELECT 1|red");
	is_run(s, "BEGIN; ALTER TABLE widget RENAME COLUMN color TO colour", "BEGIN;ALTER TABLE");
	is_run(s, "SELECT colour FROM widget WHERE sku = 'a'", "SELECT 1|red");
	is_run(s, "ROLLBACK", "ROLLBACK");
	is_run(s, "SELECT colour FROM widget WHERE sku = 'a'", "ERROR 42703");
	is_run(s, "SELECT color FROM widget WHERE sku = 'a'", "SELECT 1|red");
	is_run(s, "BEGIN; SAVEPOINT p; ALTER TABLE widget DROP COLUMN color",
	       "BEGIN;SAVEPOINT;ALTER TABLE");
	is_run(s, "SELECT color FROM widget WHERE sku = 'a'", "ERROR 42703");
	is_run(s, "ROLLBACK TO p; SELECT color FROM widget WHERE sku = 'a'; COMMIT",
	       "ROLLBACK;SELECT 1|red;COMMIT");

	dh_sql_close(s);
	dh_sql_close(s2);
	dh_conn_close(c);
	dh_store_close(st);
	char cmd[300];
	snprintf(cmd, sizeof(cmd), "rm -rf %s", dir);
	if (system(cmd) != 0)
		return 1;
	return tap_done();
}
