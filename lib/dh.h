/*
 * dh.h: the public API of libdh, the one header programs include.
 *
 * A store (store.h) holds databases; a database holds branches; a connection
 * (struct dh_conn) is bound to one branch and can read snapshots of it and
 * transact into it.
 *
 * Calling sequence:
 *   struct dh_store *st;  dh_store_open(path, DH_STORE_CREATE, &st, &err);
 *   dh_db_ensure_default(st, &err);          the database "dh" on a new store
 *   struct dh_conn *c;    dh_conn_open(st, "shop:main", &c, &err);
 *   struct dh_tx_report r; dh_transact_text(c, "[{:name \"x\"}]", n, &arena, &r, &err);
 *   struct dh_snapshot *s; dh_snapshot_open(c, &spec, &s, &err);
 *       dh_iter_open(dh_snapshot_view(s), DH_EAVT, ...) ...
 *   dh_snapshot_close(s); dh_conn_close(c); dh_store_close(st);
 *
 * Every fallible function returns 0 or a negative DH_E* code and fills the
 * caller's struct dh_err (message, SQLSTATE).  The library never prints and
 * never exits.
 */
#ifndef DH_H
#define DH_H

#include <stdint.h>

#include "util.h"
#include "datom.h"
#include "edn.h"
#include "store.h"
#include "index.h"
#include "schema.h"

#define DH_DEFAULT_DB "dh"
#define DH_DEFAULT_BRANCH "main"
#define DH_NAME_MAX 63

/* --- names --- */
/* Split "DB[:BRANCH]" (NULL or "" means the defaults).  Names are 1-63
 * characters of [A-Za-z0-9_.-], not starting with '.' or '-'.  DH_EBADNAME. */
int dh_dbref_parse(const char *ref, char db[DH_NAME_MAX + 1], char branch[DH_NAME_MAX + 1],
		   struct dh_err *err);
int dh_name_check(const char *what, const char *name, struct dh_err *err);

/* --- databases (db.c) --- */
enum { DH_DB_SCHEMA_ON_READ = 1 << 0 };

/* Create database name with its branch "main" and the system schema.
 * DH_EDBEXISTS, DH_EBADNAME. */
int dh_db_create(struct dh_store *st, const char *name, unsigned flags, struct dh_err *err);
/* Create the default database "dh" if the store has no database at all. */
int dh_db_ensure_default(struct dh_store *st, struct dh_err *err);
/* Drop a database, its branches and all their data.  DH_ENODB. */
int dh_db_drop(struct dh_store *st, const char *name, struct dh_err *err);

struct dh_branch_info {
	const char *name;
	uint32_t seg;
	uint64_t head_tx;      /* newest tx on the branch */
	int64_t head_instant;  /* its :db/txInstant, microseconds */
	uint64_t datoms;       /* datoms in the current state */
	int64_t created_us;
	const char *parent;    /* branch it was forked from ("" for main) */
	uint64_t fork_tx;      /* tx it was forked at (0 for main) */
};
struct dh_db_info {
	const char *name;
	uint32_t id;
	unsigned flags;
	int64_t created_us;
	size_t nbranches;
	struct dh_branch_info *branches; /* sorted by name */
};
/* Every database (sorted by name) with its branches; memory in arena a. */
int dh_db_list(struct dh_store *st, struct dh_arena *a, struct dh_db_info **out, size_t *n,
	       struct dh_err *err);

/* Fork branch name of database db from branch from, at its head (at NULL) or
 * at a tx id or an RFC 3339 instant (text).  O(1) in the size of the data.
 * DH_ENODB, DH_ENOBRANCH, DH_EBRANCHEXISTS, DH_EBADNAME, DH_ENOTX, DH_EBADTIME. */
int dh_branch_create(struct dh_store *st, const char *db, const char *from, const char *name,
		     const char *at, struct dh_err *err);
/* Delete a branch; its data goes when no other branch stands on it.
 * "main" can be deleted only if other branches remain?  No: main never. */
int dh_branch_delete(struct dh_store *st, const char *db, const char *name, struct dh_err *err);

/* Check every index of every segment of every database.  Returns 0 or
 * DH_ECHECKFAIL (first problem in err); *entries counts entries read. */
int dh_store_check(struct dh_store *st, uint64_t *entries, struct dh_err *err);

/* --- connections --- */
struct dh_conn;
/* Bind to "DB[:BRANCH]".  DH_ENODB, DH_ENOBRANCH, DH_EBADNAME. */
int dh_conn_open(struct dh_store *st, const char *dbref, struct dh_conn **out, struct dh_err *err);
void dh_conn_close(struct dh_conn *c);
const char *dh_conn_db(const struct dh_conn *c);
const char *dh_conn_branch(const struct dh_conn *c);
struct dh_store *dh_conn_store(struct dh_conn *c);

/* --- reading --- */
struct dh_view_spec {
	enum dh_view_mode mode; /* CURRENT, SINCE (needs since), HISTORY */
	const char *as_of;      /* NULL, or a tx id or an RFC 3339 instant */
	const char *since;      /* for SINCE: a tx id or an instant */
};
struct dh_snapshot;
/* A consistent read of the branch: one read transaction, the view and the
 * schema.  DH_ENOBRANCH (deleted meanwhile), DH_EBADTIME, DH_ENOTX. */
int dh_snapshot_open(struct dh_conn *c, const struct dh_view_spec *spec, struct dh_snapshot **out,
		     struct dh_err *err);
struct dh_view *dh_snapshot_view(struct dh_snapshot *s);
const struct dh_schema *dh_snapshot_schema(struct dh_snapshot *s);
void dh_snapshot_close(struct dh_snapshot *s);

/* Resolve a time point (tx id or RFC 3339 instant) on view v to the newest
 * tx at or before it.  DH_EBADTIME, DH_ENOTX (a tx id not on this branch). */
int dh_time_resolve(struct dh_view *v, const char *text, uint64_t *tx, struct dh_err *err);

/* --- writing (tx.c) --- */
struct dh_tempid {
	const char *name; /* "alice", or "-1" for negative numbers */
	uint64_t e;
};
struct dh_tx_report {
	uint64_t tx;
	int64_t instant;
	size_t ntempids;
	struct dh_tempid *tempids; /* in order of first appearance */
	size_t ndatoms;
	struct dh_datom *datoms; /* what changed, in order: retractions first */
};
/* Transact EDN tx-data (a vector of entity maps and list forms) into the
 * branch, all or nothing.  The report's memory is in arena a.  Errors carry
 * the position of the offending form: DH_EBADEDN, DH_EBADTX, DH_ENOATTR,
 * DH_ESCHEMA, DH_EBADTYPE, DH_EBADVALUE, DH_EUNIQUE, DH_EBADTEMPID,
 * DH_ENOENTITY, DH_ECAS, DH_ETOOLONG, DH_EDISKFULL, DH_EIO. */
int dh_transact(struct dh_conn *c, const struct dh_edn *txdata, const char *text, size_t textlen,
		struct dh_arena *a, struct dh_tx_report *rep, struct dh_err *err);
int dh_transact_text(struct dh_conn *c, const char *text, size_t n, struct dh_arena *a,
		     struct dh_tx_report *rep, struct dh_err *err);

/* A write transaction of several statements (SQL's BEGIN ... COMMIT): it
 * holds the store's one LMDB write transaction until commit or abort, so
 * other writers wait.  Each dh_wtx_transact applies tx-data with Datomic's
 * rules against the state the earlier statements left (and fails alone:
 * after an error the caller aborts, as the statement may have written
 * part).  All statements share one tx id; dh_wtx_commit writes one log
 * record of the net change (a datom asserted then retracted is no change)
 * and the tx instant; a transaction that changed nothing records nothing
 * (rep->tx 0).  dh_wtx_view reads the transaction's own writes.  Commit and
 * abort free w.  Errors: as dh_transact. */
struct dh_wtx;
struct dh_view;
int dh_wtx_begin(struct dh_conn *c, struct dh_wtx **out, struct dh_err *err);
/* DH_WTX_SHORT: the transaction ends without waiting for a client, so it
 * may join a group commit (store.h, DH_STORE_GROUP).  DH_WTX_READONLY:
 * it only compiles against the current state (a Parse) and never writes:
 * a read transaction, which takes no writer (a write fails, EACCES);
 * it has no savepoints and is aborted. */
enum { DH_WTX_SHORT = 1, DH_WTX_READONLY = 2 };
int dh_wtx_begin_flags(struct dh_conn *c, unsigned flags, struct dh_wtx **out,
		       struct dh_err *err);
int dh_wtx_transact(struct dh_wtx *w, const struct dh_edn *txdata, const char *text,
		    size_t textlen, struct dh_arena *a, struct dh_tx_report *rep,
		    struct dh_err *err);
struct dh_view *dh_wtx_view(struct dh_wtx *w);
uint64_t dh_wtx_tx(const struct dh_wtx *w);
/* Savepoints nest: dh_wtx_savepoint marks the state, dh_wtx_rollback
 * returns to the innermost mark and drops it, dh_wtx_release keeps what
 * was done since and drops the mark.  DH_EUSAGE without a mark. */
int dh_wtx_savepoint(struct dh_wtx *w, struct dh_err *err);
int dh_wtx_rollback(struct dh_wtx *w, struct dh_err *err);
int dh_wtx_release(struct dh_wtx *w, struct dh_err *err);
/* Which savepoint a change belongs to (PostgreSQL's subtransaction ids, as
 * COPY FREEZE asks "was the table created in this subtransaction?"):
 * dh_wtx_mark is the innermost savepoint's mark (1, 2, ... in the order
 * they were made, never reused in the transaction; 0 without one).
 * dh_wtx_mark_owner(w, m) is the mark of the savepoint that now holds what
 * was done under mark m: m while it stands, after dh_wtx_release the one it
 * was released into (and so on), DH_WTX_UNDONE if rolled back. */
#define DH_WTX_UNDONE UINT64_MAX
uint64_t dh_wtx_mark(const struct dh_wtx *w);
uint64_t dh_wtx_mark_owner(const struct dh_wtx *w, uint64_t m);
/* Typed writes, for SQL: each op asserts (added 1) or retracts datom [e a
 * v] with v already of the attribute's type; Datomic's rules apply as in
 * dh_wtx_transact (implicit retraction of a cardinality-one value, unique
 * checks, redundant datoms elided).  New entities take ids from
 * dh_wtx_new_eid.  DH_ENOATTR, DH_EBADTYPE, DH_EUNIQUE, and the errors of
 * dh_wtx_transact. */
struct dh_txop {
	int added;
	uint64_t e, a;
	struct dh_value v;
};
uint64_t dh_wtx_new_eid(struct dh_wtx *w);
int dh_wtx_apply(struct dh_wtx *w, const struct dh_txop *ops, size_t n, struct dh_arena *a,
		 struct dh_tx_report *rep, struct dh_err *err);
/* The schema as the transaction sees it (its own attributes included);
 * valid until the next write. */
int dh_wtx_schema(struct dh_wtx *w, const struct dh_schema **out, struct dh_err *err);
int dh_wtx_commit(struct dh_wtx *w, struct dh_tx_report *rep, struct dh_err *err);
void dh_wtx_abort(struct dh_wtx *w);

#endif
