/*
 * store: the one door to LMDB.  A store is one LMDB environment in one file
 * (MDB_NOSUBDIR; LMDB keeps its reader table in "<file>-lock" beside it)
 * holding a fixed set of tables.  Everything above this module sees tables,
 * transactions and cursors, never LMDB itself.
 *
 * Calling sequence:
 *   dh_store_open(path, flags, &st, &err);
 *   dh_txn_begin(st, write, &txn, &err);
 *     dh_kv_get / dh_kv_put / dh_kv_del, or
 *     dh_cursor_open(txn, table, &c); dh_cursor_seek(c, key, n); dh_cursor_next(c) ...
 *     dh_cursor_close(c);
 *   dh_txn_commit(txn, &err)   or   dh_txn_abort(txn);
 *   dh_store_close(st);
 *
 * Concurrency: any number of processes and threads may open one store.  One
 * write transaction runs at a time (others wait on LMDB's lock); read
 * transactions never block and see the state as of their start.  A committed
 * write transaction is on disk when dh_txn_commit returns, unless the store
 * was opened DH_STORE_NOSYNC.
 *
 * Memory: key and value bytes returned by dh_kv_get and cursors are borrowed
 * from LMDB's map and valid only until the transaction ends (or, in a write
 * transaction, until the next write); copy them into an arena to keep them.
 */
#ifndef DH_STORE_H
#define DH_STORE_H

#include <stddef.h>
#include <stdint.h>

#include "util.h"

enum dh_table {
	DH_TBL_META,  /* catalog: format, databases, branches, segments */
	DH_TBL_EAVT,  /* live index entries, keys: seg | components */
	DH_TBL_AEVT,
	DH_TBL_AVET,
	DH_TBL_VAET,
	DH_TBL_HEAVT, /* history periods, keys: seg | components | ~from */
	DH_TBL_HAEVT,
	DH_TBL_HAVET,
	DH_TBL_HVAET,
	DH_TBL_LOG,   /* seg | tx -> the transaction's datoms */
	DH_TBL_VALS,  /* digest -> whole bytes of a spilled value */
	DH_TBL__COUNT
};
const char *dh_table_name(enum dh_table t);

enum {
	DH_STORE_CREATE = 1 << 0, /* create the file if it does not exist */
	DH_STORE_RDONLY = 1 << 1, /* no write transactions */
	DH_STORE_NOSYNC = 1 << 2, /* commits do not fsync: for bulk loads */
	DH_STORE_GROUP = 1 << 3,  /* group commit: this process's write
				   * transactions share LMDB commits (dh-serve) */
};

/* dh_txn_begin_flags' flags. */
enum {
	DH_TXN_WRITE = 1 << 0,
	DH_TXN_SHORT = 1 << 1, /* ends without waiting for anyone (a client's
				* next message): may join a group commit whose
				* members wait for their commit */
};

struct dh_store;
struct dh_txn;
struct dh_cursor;

/* Open the store at path.  Errors: DH_ENOSTORE (missing and not
 * DH_STORE_CREATE), DH_ENOTSTORE (not an LMDB file, or an LMDB file that is
 * not a dh store), DH_ECORRUPT (truncated or damaged), DH_EVERSION, DH_EIO,
 * DH_EREADONLY.  A new store is initialised with the format record only;
 * databases are the catalog's business (db.c). */
int dh_store_open(const char *path, unsigned flags, struct dh_store **out, struct dh_err *err);
void dh_store_close(struct dh_store *st);
const char *dh_store_path(const struct dh_store *st);
/* Was the file created by this open? */
int dh_store_created(const struct dh_store *st);
/* Flush everything to disk (after NOSYNC loads). */
int dh_store_sync(struct dh_store *st, struct dh_err *err);

struct dh_store_info {
	uint64_t file_bytes, map_bytes, page_size, pages_used, last_txnid;
	unsigned max_readers, readers_used;
	/* DH_STORE_GROUP: this process's write transactions committed, and the
	 * LMDB commits (batches) that carried them */
	uint64_t group_commits, group_batches;
};
int dh_store_info(struct dh_store *st, struct dh_store_info *info, struct dh_err *err);

/* Consistent, compacted copy of the whole store into a new file dest (must not
 * exist), taken under one read transaction while others write.  DH_EEXISTS,
 * DH_EIO. */
int dh_store_backup(struct dh_store *st, const char *dest, struct dh_err *err);

/* Transactions.  A write transaction must be committed or aborted by the
 * thread that began it (under DH_STORE_GROUP, by any one thread at a time).
 * Errors: DH_EREADONLY, DH_EBUSY (too many readers), DH_EIO.
 *
 * Group commit (DH_STORE_GROUP): one thread of the store owns LMDB's write
 * transaction, a batch; each write transaction of the process is a nested
 * transaction in it, one at a time.  Its commit folds it into the batch
 * and returns once the batch is committed (durably, one sync for all its
 * members); the batch is committed as soon as no member is open and no
 * transaction that may join waits, so other processes write between
 * batches.  A transaction that may wait for its client (not DH_TXN_SHORT)
 * does not join a batch whose members wait for their commit: it waits
 * for the next batch, so no commit waits on a client. */
int dh_txn_begin(struct dh_store *st, int write, struct dh_txn **out, struct dh_err *err);
int dh_txn_begin_flags(struct dh_store *st, unsigned flags, struct dh_txn **out,
		       struct dh_err *err);
/* A transaction inside write transaction parent (a savepoint): its
 * commit folds it into the parent, its abort undoes only it.  While it is
 * open, use it, not the parent.  DH_EUSAGE (parent reads), DH_ENOMEM. */
int dh_txn_begin_nested(struct dh_txn *parent, struct dh_txn **out, struct dh_err *err);
/* Commit (write) or end (read).  DH_EDISKFULL, DH_EIO.  txn is freed either way. */
int dh_txn_commit(struct dh_txn *txn, struct dh_err *err);
void dh_txn_abort(struct dh_txn *txn);
int dh_txn_is_write(const struct dh_txn *txn);
struct dh_store *dh_txn_store(struct dh_txn *txn);

/* Point access.  dh_kv_get returns 0 and sets *val and *vlen when found, 1 when
 * not found, or a negative error. */
int dh_kv_get(struct dh_txn *txn, enum dh_table t, const void *key, size_t klen, const void **val,
	      size_t *vlen, struct dh_err *err);
enum { DH_PUT_APPEND = 1 << 0, DH_PUT_NOOVERWRITE = 1 << 1 };
/* Returns 0, 1 when DH_PUT_NOOVERWRITE and the key exists, or an error:
 * DH_EDISKFULL, DH_ETOOLONG (key over the LMDB limit), DH_EIO. */
int dh_kv_put(struct dh_txn *txn, enum dh_table t, const void *key, size_t klen, const void *val,
	      size_t vlen, unsigned flags, struct dh_err *err);
/* Insert key only if absent: 0 written, or 1 when the key exists, with *old
 * and *olen set to its value (valid until the next write), or an error.  One
 * B-tree descent where dh_kv_get then dh_kv_put take two. */
int dh_kv_put_new(struct dh_txn *txn, enum dh_table t, const void *key, size_t klen,
		  const void *val, size_t vlen, const void **old, size_t *olen, struct dh_err *err);
/* 0 deleted, 1 not found, or an error. */
int dh_kv_del(struct dh_txn *txn, enum dh_table t, const void *key, size_t klen,
	      struct dh_err *err);
/* Delete every key starting with prefix; returns the count deleted or an error. */
int64_t dh_kv_del_prefix(struct dh_txn *txn, enum dh_table t, const void *prefix, size_t n,
			 struct dh_err *err);
/* Largest key LMDB accepts in this build (511 for Debian's liblmdb). */
size_t dh_store_max_key(const struct dh_store *st);

/* Cursors.  Positioning calls return 0 when positioned on an entry, 1 at
 * the end (or before the start), or a negative error. */
int dh_cursor_open(struct dh_txn *txn, enum dh_table t, struct dh_cursor **out,
		   struct dh_err *err);
void dh_cursor_close(struct dh_cursor *c);
int dh_cursor_seek(struct dh_cursor *c, const void *key, size_t klen); /* first key >= key */
int dh_cursor_first(struct dh_cursor *c);
int dh_cursor_last(struct dh_cursor *c);
int dh_cursor_next(struct dh_cursor *c);
int dh_cursor_prev(struct dh_cursor *c);
/* Key and value of the current entry (borrowed, see above). */
void dh_cursor_get(struct dh_cursor *c, const unsigned char **key, size_t *klen,
		   const unsigned char **val, size_t *vlen);
/* Delete the current entry; the cursor then stands on the next one. */
int dh_cursor_del(struct dh_cursor *c, struct dh_err *err);
/* Number of entries in table (all segments), cheap. */
int dh_table_entries(struct dh_txn *txn, enum dh_table t, uint64_t *n, struct dh_err *err);

#endif
