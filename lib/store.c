/*
 * store: LMDB environment, tables, transactions and cursors (see store.h).
 *
 * Only this file includes <lmdb.h>, so an LMDB upgrade, or a move to another
 * B-tree, touches one file.
 */
#include <errno.h>
#include <fcntl.h>
#include <lmdb.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
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

/* Group commit (DH_STORE_GROUP): the batch, LMDB's one write transaction,
 * is begun by the first member's thread, its leader (LMDB's writer lock is
 * a mutex of the thread that takes it), which writes in it directly and
 * commits it; the later members are nested transactions in it, open one
 * at a time (active).  See store.h. */
#define GROUP_MAX_MEMBERS 64
#define GROUP_MAX_AGE_NS 20000000 /* no member joins 20 ms after the first commit */

struct batch {
	int refs;    /* members waiting for its commit */
	int members; /* committed into it */
	int done, rc;
	int64_t opened; /* its first member's commit, monotonic ns */
};

struct group {
	pthread_mutex_t m;
	pthread_cond_t cv;
	MDB_txn *parent;     /* the open batch, or NULL */
	struct batch *b;     /* its members' fate */
	int opening;         /* a leader is beginning a batch */
	int closing;         /* the leader is committing it */
	int active;          /* a member is open */
	int want_short;      /* short transactions waiting to begin */
	uint64_t commits, batches;
};
struct dh_store {
	MDB_env *env;
	MDB_dbi dbi[DH_TBL__COUNT];
	char *path;
	unsigned flags;
	int created;
	struct group *g; /* DH_STORE_GROUP */
};

struct dh_txn {
	struct dh_store *st;
	MDB_txn *t;
	int write;
	int member; /* a member of the group's batch: 1, 2 for its leader */
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
	if ((flags & DH_STORE_GROUP) && !(flags & DH_STORE_RDONLY)) {
		struct group *g = xcalloc(1, sizeof(*g));
		pthread_mutex_init(&g->m, NULL);
		pthread_cond_init(&g->cv, NULL);
		st->g = g;
	}
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

static void group_stop(struct dh_store *st);

void
dh_store_close(struct dh_store *st)
{
	if (!st)
		return;
	group_stop(st);
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
	if (st->g) {
		pthread_mutex_lock(&st->g->m);
		info->group_commits = st->g->commits;
		info->group_batches = st->g->batches;
		pthread_mutex_unlock(&st->g->m);
	}
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

/* --- group commit --- */

static int64_t
mono_ns(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (int64_t)ts.tv_sec * 1000000000 + ts.tv_nsec;
}

/* May a transaction (short or not) become the open batch's member now? */
static int
group_can_join(const struct group *g, int is_short)
{
	if (!g->parent || g->closing || g->active)
		return 0;
	if (g->b->members == 0)
		return 1;
	return is_short && g->b->members < GROUP_MAX_MEMBERS &&
	       mono_ns() - g->b->opened < GROUP_MAX_AGE_NS;
}

static void
group_stop(struct dh_store *st)
{
	struct group *g = st->g;
	if (!g)
		return;
	pthread_mutex_destroy(&g->m);
	pthread_cond_destroy(&g->cv);
	free(g);
	st->g = NULL;
}

static int group_end(struct dh_store *st, int member, int ok);

/* Become the open member of a batch (a nested transaction in it), first
 * beginning the batch as its leader when there is none: 1 member, 2
 * leader, or an error. */
static int
group_begin(struct dh_store *st, int is_short, MDB_txn **out, struct dh_err *err)
{
	struct group *g = st->g;
	int leader = 0, rc;
	pthread_mutex_lock(&g->m);
	while (!group_can_join(g, is_short)) {
		if (!g->parent && !g->opening) {
			g->opening = 1;
			pthread_mutex_unlock(&g->m);
			/* waits for other processes' write transactions */
			MDB_txn *p;
			rc = mdb_txn_begin(st->env, NULL, 0, &p);
			pthread_mutex_lock(&g->m);
			g->opening = 0;
			if (rc) {
				pthread_cond_broadcast(&g->cv);
				pthread_mutex_unlock(&g->m);
				return lmdb_err(err, rc, "cannot begin transaction on store", st->path);
			}
			g->parent = p;
			g->b = xcalloc(1, sizeof(*g->b));
			leader = 1;
			break;
		}
		g->want_short += is_short;
		pthread_cond_wait(&g->cv, &g->m);
		g->want_short -= is_short;
	}
	g->active = 1;
	MDB_txn *p = g->parent;
	pthread_mutex_unlock(&g->m);
	if (leader) {
		/* the first member writes in the batch itself: nobody joins
		 * before it ends, and its abort gives back an empty batch */
		*out = p;
		return 2;
	}
	if ((rc = mdb_txn_begin(st->env, p, 0, out)) == 0)
		return 1;
	pthread_mutex_lock(&g->m);
	g->active = 0;
	pthread_cond_broadcast(&g->cv);
	pthread_mutex_unlock(&g->m);
	return lmdb_err(err, rc, "cannot begin transaction on store", st->path);
}

/* A member has ended, committed into the batch (ok) or not: a member
 * waits for the batch's commit; the leader commits it once no member is
 * open and no short transaction waits to join (or the batch is full), and
 * gives it back unused when its own member did not commit (it was first:
 * there are no others). */
static int
group_end(struct dh_store *st, int member, int ok)
{
	struct group *g = st->g;
	int rc = 0;
	pthread_mutex_lock(&g->m);
	struct batch *b = g->b;
	g->active = 0;
	if (ok) {
		if (b->members++ == 0)
			b->opened = mono_ns();
		b->refs++;
	}
	pthread_cond_broadcast(&g->cv);
	if (member == 2) {
		while (b->members && (g->active || (g->want_short && group_can_join(g, 1)))) {
			struct timespec ts;
			clock_gettime(CLOCK_REALTIME, &ts);
			ts.tv_nsec += 1000000;
			if (ts.tv_nsec >= 1000000000) {
				ts.tv_sec++;
				ts.tv_nsec -= 1000000000;
			}
			pthread_cond_timedwait(&g->cv, &g->m, &ts);
		}
		MDB_txn *p = g->parent;
		g->closing = 1;
		pthread_mutex_unlock(&g->m);
		if (b->members)
			rc = mdb_txn_commit(p);
		else
			mdb_txn_abort(p);
		pthread_mutex_lock(&g->m);
		g->closing = 0;
		g->parent = NULL;
		g->b = NULL;
		if (b->members)
			g->batches++;
		b->rc = rc;
		b->done = 1;
		pthread_cond_broadcast(&g->cv);
	}
	if (ok) {
		while (!b->done)
			pthread_cond_wait(&g->cv, &g->m);
		rc = b->rc;
		if (rc == 0)
			g->commits++;
		b->refs--;
	}
	if (b->done && !b->refs)
		free(b);
	pthread_mutex_unlock(&g->m);
	return rc;
}

int
dh_txn_begin_flags(struct dh_store *st, unsigned flags, struct dh_txn **out, struct dh_err *err)
{
	MDB_txn *t;
	int write = !!(flags & DH_TXN_WRITE), member = 0, rc;
	if (write && (st->flags & DH_STORE_RDONLY))
		return dh_err_set(err, DH_EREADONLY, "store '%s' is open read-only", st->path);
	if (write && st->g) {
		if ((member = group_begin(st, !!(flags & DH_TXN_SHORT), &t, err)) < 0)
			return member;
	} else if ((rc = mdb_txn_begin(st->env, NULL, write ? 0 : MDB_RDONLY, &t))) {
		return lmdb_err(err, rc, "cannot begin transaction on store", st->path);
	}
	struct dh_txn *txn = xmalloc(sizeof(*txn));
	txn->st = st;
	txn->t = t;
	txn->write = write;
	txn->member = member;
	*out = txn;
	return 0;
}

int
dh_txn_begin(struct dh_store *st, int write, struct dh_txn **out, struct dh_err *err)
{
	return dh_txn_begin_flags(st, write ? DH_TXN_WRITE : 0, out, err);
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
	txn->member = 0;
	*out = txn;
	return 0;
}

int
dh_txn_commit(struct dh_txn *txn, struct dh_err *err)
{
	struct dh_store *st = txn->st;
	int rc;
	if (txn->member == 2) {
		rc = group_end(st, 2, 1);
	} else {
		rc = mdb_txn_commit(txn->t);
		if (txn->member) {
			int grc = group_end(st, 1, rc == 0);
			rc = rc ? rc : grc;
		}
	}
	free(txn);
	return rc ? lmdb_err(err, rc, "cannot commit to store", st->path) : 0;
}

void
dh_txn_abort(struct dh_txn *txn)
{
	if (!txn)
		return;
	if (txn->member != 2)
		mdb_txn_abort(txn->t);
	if (txn->member)
		group_end(txn->st, txn->member, 0);
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
