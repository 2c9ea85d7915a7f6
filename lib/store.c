/*
 * store: LMDB environment, tables, transactions and cursors (see store.h).
 *
 * Only this file includes <lmdb.h>, so an LMDB upgrade, or a move to another
 * B-tree, touches one file.
 */
#include <errno.h>
#include <fcntl.h>
#include <lmdb.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "util.h"
#include "store.h"

#define FORMAT_KEY "format"
#define FORMAT_VAL "dh-store 1"
#define MAP_SIZE ((size_t)1 << 40) /* address space only; the file grows as used */
#define MAP_SIZE_MIN ((size_t)1 << 28)
#define MAX_READERS 1024

static const char *const table_names[DH_TBL__COUNT] = {
	"meta", "eavt", "aevt", "avet", "vaet", "heavt", "haevt", "havet", "hvaet", "log", "vals",
};

struct dh_store {
	MDB_env *env;
	MDB_dbi dbi[DH_TBL__COUNT];
	char *path;
	unsigned flags;
	int created;
};

struct dh_txn {
	struct dh_store *st;
	MDB_txn *t;
	int write;
};

struct dh_cursor {
	struct dh_txn *txn;
	MDB_cursor *c;
	MDB_val k, v;
};

const char *
dh_table_name(enum dh_table t)
{
	return (unsigned)t < DH_TBL__COUNT ? table_names[t] : "?";
}

/* Map an LMDB or errno code to ours, with a message naming the subject. */
static int
lmdb_err(struct dh_err *err, int rc, const char *what, const char *subject)
{
	int code;
	switch (rc) {
	case MDB_MAP_FULL:
		code = DH_EDISKFULL;
		break;
	case MDB_READERS_FULL:
	case MDB_TXN_FULL:
		code = DH_EBUSY;
		break;
	case MDB_CORRUPTED:
	case MDB_PAGE_NOTFOUND:
		code = DH_ECORRUPT;
		break;
	case MDB_INVALID:
		code = DH_ENOTSTORE;
		break;
	case MDB_VERSION_MISMATCH:
		code = DH_EVERSION;
		break;
	case MDB_BAD_VALSIZE:
		code = DH_ETOOLONG;
		break;
	case ENOSPC:
		code = DH_EDISKFULL;
		break;
	case EACCES:
	case EROFS:
		code = DH_EREADONLY;
		break;
	default:
		code = DH_EIO;
	}
	return dh_err_set(err, code, "%s '%s': %s", what, subject, mdb_strerror(rc));
}

static int
open_tables(struct dh_store *st, int create, struct dh_err *err)
{
	MDB_txn *t = NULL;
	int rc = mdb_txn_begin(st->env, NULL, create ? 0 : MDB_RDONLY, &t);
	if (rc)
		return lmdb_err(err, rc, "cannot open store", st->path);
	/* Foreign LMDB files have no meta table or no format record. */
	rc = mdb_dbi_open(t, table_names[DH_TBL_META], create ? MDB_CREATE : 0,
			  &st->dbi[DH_TBL_META]);
	if (rc == MDB_NOTFOUND) {
		rc = dh_err_set(err, DH_ENOTSTORE, "cannot open store '%s': not a dh store",
				st->path);
		goto fail;
	}
	if (rc) {
		rc = lmdb_err(err, rc, "cannot open store", st->path);
		goto fail;
	}
	MDB_val k = {sizeof(FORMAT_KEY) - 1, FORMAT_KEY}, v;
	rc = mdb_get(t, st->dbi[DH_TBL_META], &k, &v);
	if (rc == MDB_NOTFOUND && create) {
		v.mv_data = FORMAT_VAL;
		v.mv_size = sizeof(FORMAT_VAL) - 1;
		rc = mdb_put(t, st->dbi[DH_TBL_META], &k, &v, 0);
		if (rc) {
			rc = lmdb_err(err, rc, "cannot initialise store", st->path);
			goto fail;
		}
	} else if (rc == MDB_NOTFOUND) {
		rc = dh_err_set(err, DH_ENOTSTORE, "cannot open store '%s': not a dh store",
				st->path);
		goto fail;
	} else if (rc) {
		rc = lmdb_err(err, rc, "cannot open store", st->path);
		goto fail;
	} else if (v.mv_size < 9 || memcmp(v.mv_data, "dh-store ", 9) != 0) {
		rc = dh_err_set(err, DH_ENOTSTORE, "cannot open store '%s': not a dh store",
				st->path);
		goto fail;
	} else if (v.mv_size != sizeof(FORMAT_VAL) - 1 ||
		   memcmp(v.mv_data, FORMAT_VAL, v.mv_size) != 0) {
		rc = dh_err_set(err, DH_EVERSION,
				"cannot open store '%s': format '%.*s' is not supported", st->path,
				(int)v.mv_size, (char *)v.mv_data);
		goto fail;
	}
	for (int i = 1; i < DH_TBL__COUNT; i++) {
		rc = mdb_dbi_open(t, table_names[i], create ? MDB_CREATE : 0, &st->dbi[i]);
		if (rc == MDB_NOTFOUND) {
			rc = dh_err_set(err, DH_ECORRUPT,
					"cannot open store '%s': table '%s' is missing", st->path,
					table_names[i]);
			goto fail;
		}
		if (rc) {
			rc = lmdb_err(err, rc, "cannot open store", st->path);
			goto fail;
		}
	}
	rc = mdb_txn_commit(t);
	t = NULL;
	if (rc)
		return lmdb_err(err, rc, "cannot open store", st->path);
	return 0;
fail:
	if (t)
		mdb_txn_abort(t);
	return rc;
}

int
dh_store_open(const char *path, unsigned flags, struct dh_store **out, struct dh_err *err)
{
	struct dh_store *st = xcalloc(1, sizeof(*st));
	struct stat sb;
	char *lockpath = NULL;
	int lock_existed, rc = 0;

	st->path = xstrdup(path);
	st->flags = flags;
	*out = NULL;
	if (stat(path, &sb) != 0) {
		if (errno != ENOENT || !(flags & DH_STORE_CREATE) || (flags & DH_STORE_RDONLY)) {
			rc = dh_err_set(err, errno == ENOENT ? DH_ENOSTORE : DH_EIO,
					"cannot open store '%s': %s", path, strerror(errno));
			goto out;
		}
		st->created = 1;
	} else if (!S_ISREG(sb.st_mode)) {
		rc = dh_err_set(err, DH_ENOTSTORE, "cannot open store '%s': not a regular file",
				path);
		goto out;
	} else if (sb.st_size == 0) {
		rc = dh_err_set(err, DH_ECORRUPT, "cannot open store '%s': file is empty", path);
		goto out;
	}

	size_t n = strlen(path) + 6;
	lockpath = xmalloc(n);
	snprintf(lockpath, n, "%s-lock", path);
	lock_existed = access(lockpath, F_OK) == 0;

	unsigned mflags = MDB_NOSUBDIR | MDB_NOTLS | MDB_NORDAHEAD;
	if (flags & DH_STORE_RDONLY)
		mflags |= MDB_RDONLY;
	if (flags & DH_STORE_NOSYNC)
		mflags |= MDB_NOSYNC;
	/* The map is address space, not disk; where address space is scarce
	 * (ulimit -v, valgrind) settle for less. */
	for (size_t map = MAP_SIZE;; map /= 2) {
		if ((rc = mdb_env_create(&st->env)) != 0 ||
		    (rc = mdb_env_set_maxdbs(st->env, DH_TBL__COUNT + 2)) != 0 ||
		    (rc = mdb_env_set_mapsize(st->env, map)) != 0 ||
		    (rc = mdb_env_set_maxreaders(st->env, MAX_READERS)) != 0) {
			rc = lmdb_err(err, rc, "cannot open store", path);
			goto fail;
		}
		rc = mdb_env_open(st->env, path, mflags, 0644);
		if (rc == 0)
			break;
		mdb_env_close(st->env);
		st->env = NULL;
		if ((rc != ENOMEM && rc != EINVAL) || map <= MAP_SIZE_MIN) {
			rc = lmdb_err(err, rc, "cannot open store", path);
			goto fail;
		}
	}
	if (!st->created) {
		/* LMDB maps the file and trusts its meta page; a truncated file would
		 * fault (SIGBUS) on the first read of a missing page.  Check first. */
		MDB_envinfo info;
		MDB_stat ms;
		mdb_env_info(st->env, &info);
		mdb_env_stat(st->env, &ms);
		if (stat(path, &sb) == 0 &&
		    (uint64_t)sb.st_size < ((uint64_t)info.me_last_pgno + 1) * ms.ms_psize) {
			rc = dh_err_set(err, DH_ECORRUPT,
					"cannot open store '%s': file is truncated (%lld of %llu bytes)",
					path, (long long)sb.st_size,
					(unsigned long long)(info.me_last_pgno + 1) * ms.ms_psize);
			goto fail;
		}
	}
	rc = open_tables(st, !(flags & DH_STORE_RDONLY) && st->created, err);
	if (rc == DH_ENOTSTORE && !(flags & DH_STORE_RDONLY) && !st->created) {
		/* An empty LMDB env that we created a moment ago in another process?
		 * Only a file holding no tables at all counts as a new store. */
		MDB_stat ms;
		MDB_txn *t;
		if (mdb_txn_begin(st->env, NULL, MDB_RDONLY, &t) == 0) {
			int empty = mdb_stat(t, 1, &ms) == 0 && ms.ms_entries == 0;
			mdb_txn_abort(t);
			if (empty)
				rc = open_tables(st, 1, err);
		}
	}
	if (rc)
		goto fail;
	*out = st;
	st = NULL;
	goto out;
fail:
	if (st->env)
		mdb_env_close(st->env);
	st->env = NULL;
	/* Leave nothing behind for an open that failed. */
	if (st->created)
		unlink(path);
	if (lockpath && !lock_existed)
		unlink(lockpath);
out:
	free(lockpath);
	if (st) {
		free(st->path);
		free(st);
	}
	return rc;
}

void
dh_store_close(struct dh_store *st)
{
	if (!st)
		return;
	mdb_env_close(st->env);
	free(st->path);
	free(st);
}

const char *
dh_store_path(const struct dh_store *st)
{
	return st->path;
}

int
dh_store_created(const struct dh_store *st)
{
	return st->created;
}

int
dh_store_sync(struct dh_store *st, struct dh_err *err)
{
	int rc = mdb_env_sync(st->env, 1);
	return rc ? lmdb_err(err, rc, "cannot sync store", st->path) : 0;
}

size_t
dh_store_max_key(const struct dh_store *st)
{
	return (size_t)mdb_env_get_maxkeysize(st->env);
}

int
dh_store_info(struct dh_store *st, struct dh_store_info *info, struct dh_err *err)
{
	MDB_envinfo ei;
	MDB_stat ms;
	struct stat sb;
	memset(info, 0, sizeof(*info));
	mdb_env_info(st->env, &ei);
	mdb_env_stat(st->env, &ms);
	if (stat(st->path, &sb) == 0)
		info->file_bytes = (uint64_t)sb.st_size;
	info->map_bytes = ei.me_mapsize;
	info->page_size = ms.ms_psize;
	info->pages_used = ei.me_last_pgno + 1;
	info->last_txnid = ei.me_last_txnid;
	info->max_readers = ei.me_maxreaders;
	info->readers_used = ei.me_numreaders;
	return 0;
}

int
dh_store_backup(struct dh_store *st, const char *dest, struct dh_err *err)
{
	/* mdb_env_copy2 writes into an open fd; we create the file exclusively so
	 * a backup never overwrites anything, and remove it if the copy fails. */
	int fd = open(dest, O_WRONLY | O_CREAT | O_EXCL, 0644);
	if (fd < 0)
		return dh_err_set(err, errno == EEXIST ? DH_EEXISTS : DH_EIO,
				  "cannot create backup '%s': %s", dest, strerror(errno));
	int rc = mdb_env_copyfd2(st->env, fd, MDB_CP_COMPACT);
	if (rc == 0 && fsync(fd) != 0)
		rc = errno;
	if (close(fd) != 0 && rc == 0)
		rc = errno;
	if (rc) {
		unlink(dest);
		return lmdb_err(err, rc, "cannot write backup", dest);
	}
	return 0;
}

/* --- transactions --- */

int
dh_txn_begin(struct dh_store *st, int write, struct dh_txn **out, struct dh_err *err)
{
	MDB_txn *t;
	if (write && (st->flags & DH_STORE_RDONLY))
		return dh_err_set(err, DH_EREADONLY, "store '%s' is open read-only", st->path);
	int rc = mdb_txn_begin(st->env, NULL, write ? 0 : MDB_RDONLY, &t);
	if (rc)
		return lmdb_err(err, rc, "cannot begin transaction on store", st->path);
	struct dh_txn *txn = xmalloc(sizeof(*txn));
	txn->st = st;
	txn->t = t;
	txn->write = write;
	*out = txn;
	return 0;
}

int
dh_txn_begin_nested(struct dh_txn *parent, struct dh_txn **out, struct dh_err *err)
{
	MDB_txn *t;
	struct dh_store *st = parent->st;
	if (!parent->write)
		return dh_err_set(err, DH_EUSAGE, "a nested transaction needs a write parent");
	int rc = mdb_txn_begin(st->env, parent->t, 0, &t);
	if (rc)
		return lmdb_err(err, rc, "cannot begin a nested transaction on store", st->path);
	struct dh_txn *txn = xmalloc(sizeof(*txn));
	txn->st = st;
	txn->t = t;
	txn->write = 1;
	*out = txn;
	return 0;
}

int
dh_txn_commit(struct dh_txn *txn, struct dh_err *err)
{
	int rc = mdb_txn_commit(txn->t);
	struct dh_store *st = txn->st;
	free(txn);
	return rc ? lmdb_err(err, rc, "cannot commit to store", st->path) : 0;
}

void
dh_txn_abort(struct dh_txn *txn)
{
	if (!txn)
		return;
	mdb_txn_abort(txn->t);
	free(txn);
}

int
dh_txn_is_write(const struct dh_txn *txn)
{
	return txn->write;
}

struct dh_store *
dh_txn_store(struct dh_txn *txn)
{
	return txn->st;
}

int
dh_kv_get(struct dh_txn *txn, enum dh_table t, const void *key, size_t klen, const void **val,
	  size_t *vlen, struct dh_err *err)
{
	MDB_val k = {klen, (void *)key}, v;
	int rc = mdb_get(txn->t, txn->st->dbi[t], &k, &v);
	if (rc == MDB_NOTFOUND)
		return 1;
	if (rc)
		return lmdb_err(err, rc, "cannot read table", table_names[t]);
	*val = v.mv_data;
	*vlen = v.mv_size;
	return 0;
}

int
dh_kv_put(struct dh_txn *txn, enum dh_table t, const void *key, size_t klen, const void *val,
	  size_t vlen, unsigned flags, struct dh_err *err)
{
	MDB_val k = {klen, (void *)key}, v = {vlen, (void *)val};
	unsigned f = 0;
	if (flags & DH_PUT_APPEND)
		f |= MDB_APPEND;
	if (flags & DH_PUT_NOOVERWRITE)
		f |= MDB_NOOVERWRITE;
	int rc = mdb_put(txn->t, txn->st->dbi[t], &k, &v, f);
	if (rc == MDB_KEYEXIST)
		return 1;
	if (rc)
		return lmdb_err(err, rc, "cannot write table", table_names[t]);
	return 0;
}

int
dh_kv_put_new(struct dh_txn *txn, enum dh_table t, const void *key, size_t klen, const void *val,
	      size_t vlen, const void **old, size_t *olen, struct dh_err *err)
{
	MDB_val k = {klen, (void *)key}, v = {vlen, (void *)val};
	int rc = mdb_put(txn->t, txn->st->dbi[t], &k, &v, MDB_NOOVERWRITE);
	if (rc == MDB_KEYEXIST) {
		*old = v.mv_data;
		*olen = v.mv_size;
		return 1;
	}
	if (rc)
		return lmdb_err(err, rc, "cannot write table", table_names[t]);
	return 0;
}

int
dh_kv_del(struct dh_txn *txn, enum dh_table t, const void *key, size_t klen, struct dh_err *err)
{
	MDB_val k = {klen, (void *)key};
	int rc = mdb_del(txn->t, txn->st->dbi[t], &k, NULL);
	if (rc == MDB_NOTFOUND)
		return 1;
	if (rc)
		return lmdb_err(err, rc, "cannot delete from table", table_names[t]);
	return 0;
}

int64_t
dh_kv_del_prefix(struct dh_txn *txn, enum dh_table t, const void *prefix, size_t n,
		 struct dh_err *err)
{
	MDB_cursor *c;
	MDB_val k = {n, (void *)prefix}, v;
	int64_t count = 0;
	int rc = mdb_cursor_open(txn->t, txn->st->dbi[t], &c);
	if (rc)
		return lmdb_err(err, rc, "cannot open cursor on table", table_names[t]);
	rc = mdb_cursor_get(c, &k, &v, MDB_SET_RANGE);
	while (rc == 0 && k.mv_size >= n && memcmp(k.mv_data, prefix, n) == 0) {
		if ((rc = mdb_cursor_del(c, 0)) != 0)
			break;
		count++;
		rc = mdb_cursor_get(c, &k, &v, MDB_GET_CURRENT);
	}
	mdb_cursor_close(c);
	if (rc && rc != MDB_NOTFOUND)
		return lmdb_err(err, rc, "cannot delete from table", table_names[t]);
	return count;
}

int
dh_table_entries(struct dh_txn *txn, enum dh_table t, uint64_t *n, struct dh_err *err)
{
	MDB_stat ms;
	int rc = mdb_stat(txn->t, txn->st->dbi[t], &ms);
	if (rc)
		return lmdb_err(err, rc, "cannot stat table", table_names[t]);
	*n = ms.ms_entries;
	return 0;
}

/* --- cursors --- */

int
dh_cursor_open(struct dh_txn *txn, enum dh_table t, struct dh_cursor **out, struct dh_err *err)
{
	MDB_cursor *mc;
	int rc = mdb_cursor_open(txn->t, txn->st->dbi[t], &mc);
	if (rc)
		return lmdb_err(err, rc, "cannot open cursor on table", table_names[t]);
	struct dh_cursor *c = xcalloc(1, sizeof(*c));
	c->txn = txn;
	c->c = mc;
	*out = c;
	return 0;
}

void
dh_cursor_close(struct dh_cursor *c)
{
	if (!c)
		return;
	mdb_cursor_close(c->c);
	free(c);
}

static int
cursor_op(struct dh_cursor *c, MDB_cursor_op op)
{
	int rc = mdb_cursor_get(c->c, &c->k, &c->v, op);
	if (rc == MDB_NOTFOUND)
		return 1;
	if (rc)
		return rc == MDB_CORRUPTED || rc == MDB_PAGE_NOTFOUND ? DH_ECORRUPT : DH_EIO;
	return 0;
}

int
dh_cursor_seek(struct dh_cursor *c, const void *key, size_t klen)
{
	c->k.mv_data = (void *)key;
	c->k.mv_size = klen;
	return cursor_op(c, MDB_SET_RANGE);
}

int
dh_cursor_first(struct dh_cursor *c)
{
	return cursor_op(c, MDB_FIRST);
}

int
dh_cursor_last(struct dh_cursor *c)
{
	return cursor_op(c, MDB_LAST);
}

int
dh_cursor_next(struct dh_cursor *c)
{
	return cursor_op(c, MDB_NEXT);
}

int
dh_cursor_prev(struct dh_cursor *c)
{
	return cursor_op(c, MDB_PREV);
}

void
dh_cursor_get(struct dh_cursor *c, const unsigned char **key, size_t *klen,
	      const unsigned char **val, size_t *vlen)
{
	if (key) {
		*key = c->k.mv_data;
		*klen = c->k.mv_size;
	}
	if (val) {
		*val = c->v.mv_data;
		*vlen = c->v.mv_size;
	}
}

int
dh_cursor_del(struct dh_cursor *c, struct dh_err *err)
{
	int rc = mdb_cursor_del(c->c, 0);
	if (rc)
		return lmdb_err(err, rc, "cannot delete from table", "cursor");
	return cursor_op(c, MDB_GET_CURRENT);
}
