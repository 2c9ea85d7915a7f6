/*
 * db-int: catalog records shared by db.c (catalog, connections, snapshots)
 * and tx.c (transactions).  Not part of the public API.
 *
 * META table keys:
 *   "format"            "dh-store 1"
 *   "Ndb", "Nseg"       next database id, next segment id (u32)
 *   "D" name            database record
 *   "B" dbid(4) name    branch record
 *   "S" seg(4)          segment record: dbid, number of branches standing on it
 * LOG table: seg(4) tx(8) -> instant(8) datoms-after(8) n(4) then n times
 *   e(8) a(8) added(1) value(key encoding)
 */
#ifndef DH_DB_INT_H
#define DH_DB_INT_H

#include "dh.h"

struct dh__dbrec {
	uint32_t id;
	uint32_t flags;
	int64_t created_us;
	uint64_t next_eid;
	int64_t last_instant;
};

struct dh__brrec {
	uint32_t seg;
	uint64_t head_tx;
	int64_t head_instant;
	uint64_t datoms;
	int64_t created_us;
	uint64_t fork_tx;
	uint64_t schema_tx; /* newest tx that changed the schema */
	char parent[DH_NAME_MAX + 1];
	uint32_t nbase;
	struct dh_layer base[DH_MAX_LAYERS - 1];
};

int dh__db_get(struct dh_txn *txn, const char *name, struct dh__dbrec *r, struct dh_err *err);
int dh__db_put(struct dh_txn *txn, const char *name, const struct dh__dbrec *r,
	       struct dh_err *err);
int dh__branch_get(struct dh_txn *txn, uint32_t dbid, const char *db, const char *name,
		   struct dh__brrec *r, struct dh_err *err);
int dh__branch_put(struct dh_txn *txn, uint32_t dbid, const char *name,
		   const struct dh__brrec *r, struct dh_err *err);
/* Fill v with the branch's current view. */
void dh__view_init(struct dh_view *v, struct dh_txn *txn, uint32_t dbid,
		   const struct dh__brrec *br);
/* Append a log record for tx to the branch's segment. */
int dh__log_put(struct dh_txn *txn, uint32_t seg, uint64_t tx, int64_t instant,
		uint64_t datoms_after, const struct dh_datom *d, size_t n, struct dh_err *err);
/* Schema cache of a connection, reloaded when the branch's schema changed. */
int dh__conn_schema(struct dh_conn *c, struct dh_view *v, const struct dh__brrec *br,
		    struct dh_schema **out, struct dh_err *err);
/* Forget the cached schema (after a failed or schema-changing tx). */
void dh__conn_schema_invalidate(struct dh_conn *c);
/* Names of the connection. */
const char *dh__conn_dbname(struct dh_conn *c);

#endif
