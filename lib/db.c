/*
 * db: the catalog (databases, branches, segments), connections and
 * snapshots.  Branching is copy-on-write at the level of segments: a new
 * branch gets a new, empty segment on top of its parent's layers cut off at
 * the fork point, so forking writes three small records whatever the size of
 * the data (see index.h and dh(7)).
 */
#include <ctype.h>
#include <stdatomic.h>
#include <stdlib.h>
#include <string.h>

#include "db-int.h"
#include "dh.h"

/* --- names --- */

int
dh_name_check(const char *what, const char *name, struct dh_err *err)
{
	size_t n = strlen(name);
	if (n == 0)
		return dh_err_set(err, DH_EBADNAME, "%s name is empty", what);
	if (n > DH_NAME_MAX)
		return dh_err_set(err, DH_EBADNAME, "%s name '%.70s...' is longer than %d characters",
				  what, name, DH_NAME_MAX);
	if (name[0] == '.' || name[0] == '-')
		return dh_err_set(err, DH_EBADNAME, "%s name '%s' must not start with '%c'", what,
				  name, name[0]);
	for (size_t i = 0; i < n; i++) {
		unsigned char ch = (unsigned char)name[i];
		if (!(isalnum(ch) || ch == '_' || ch == '.' || ch == '-') || ch > 127) {
			dh_err_set(err, DH_EBADNAME, "%s name '%s' contains an invalid character",
				   what, name);
			dh_err_hint(err, "names use letters, digits, '_', '.' and '-'");
			return DH_EBADNAME;
		}
	}
	return 0;
}

int
dh_dbref_parse(const char *ref, char db[DH_NAME_MAX + 1], char branch[DH_NAME_MAX + 1],
	       struct dh_err *err)
{
	const char *colon;
	size_t dn;
	if (!ref || !*ref)
		ref = DH_DEFAULT_DB;
	colon = strchr(ref, ':');
	dn = colon ? (size_t)(colon - ref) : strlen(ref);
	if (dn > DH_NAME_MAX)
		return dh_err_set(err, DH_EBADNAME, "database name in '%.70s' is too long", ref);
	memcpy(db, ref, dn);
	db[dn] = 0;
	if (colon) {
		if (strlen(colon + 1) > DH_NAME_MAX)
			return dh_err_set(err, DH_EBADNAME, "branch name in '%.70s' is too long",
					  ref);
		snprintf(branch, DH_NAME_MAX + 1, "%s", colon + 1);
	} else {
		snprintf(branch, DH_NAME_MAX + 1, "%s", DH_DEFAULT_BRANCH);
	}
	int rc = dh_name_check("database", db, err);
	if (rc == 0)
		rc = dh_name_check("branch", branch, err);
	return rc;
}

/* --- records --- */

struct rbuf {
	const unsigned char *p, *end;
	int bad;
};

static uint64_t
r64(struct rbuf *r)
{
	if (r->end - r->p < 8) {
		r->bad = 1;
		return 0;
	}
	uint64_t v = dh_get_u64be(r->p);
	r->p += 8;
	return v;
}

static uint32_t
r32(struct rbuf *r)
{
	if (r->end - r->p < 4) {
		r->bad = 1;
		return 0;
	}
	uint32_t v = dh_get_u32be(r->p);
	r->p += 4;
	return v;
}

static void
dbkey(struct dh_buf *k, const char *name)
{
	dh_buf_addc(k, 'D');
	dh_buf_adds(k, name);
}

static void
brkey(struct dh_buf *k, uint32_t dbid, const char *name)
{
	dh_buf_addc(k, 'B');
	dh_buf_add_u32be(k, dbid);
	dh_buf_adds(k, name);
}

int
dh__db_get(struct dh_txn *txn, const char *name, struct dh__dbrec *r, struct dh_err *err)
{
	struct dh_buf k;
	const void *v;
	size_t vn;
	dh_buf_init(&k, 0);
	dbkey(&k, name);
	int rc = dh_kv_get(txn, DH_TBL_META, k.p, k.len, &v, &vn, err);
	dh_buf_release(&k);
	if (rc == 1)
		return dh_err_set(err, DH_ENODB, "database '%s' does not exist", name);
	if (rc)
		return rc;
	struct rbuf rb = {v, (const unsigned char *)v + vn, 0};
	r->id = r32(&rb);
	r->flags = r32(&rb);
	r->created_us = (int64_t)r64(&rb);
	r->next_eid = r64(&rb);
	r->last_instant = (int64_t)r64(&rb);
	if (rb.bad)
		return dh_err_set(err, DH_ECORRUPT, "record of database '%s' is malformed", name);
	return 0;
}

int
dh__db_put(struct dh_txn *txn, const char *name, const struct dh__dbrec *r, struct dh_err *err)
{
	struct dh_buf k, v;
	dh_buf_init(&k, 0);
	dh_buf_init(&v, 0);
	dbkey(&k, name);
	dh_buf_add_u32be(&v, r->id);
	dh_buf_add_u32be(&v, r->flags);
	dh_buf_add_u64be(&v, (uint64_t)r->created_us);
	dh_buf_add_u64be(&v, r->next_eid);
	dh_buf_add_u64be(&v, (uint64_t)r->last_instant);
	int rc = dh_kv_put(txn, DH_TBL_META, k.p, k.len, v.p, v.len, 0, err);
	dh_buf_release(&k);
	dh_buf_release(&v);
	return rc;
}

static int
branch_decode(const void *v, size_t vn, struct dh__brrec *r)
{
	struct rbuf rb = {v, (const unsigned char *)v + vn, 0};
	memset(r, 0, sizeof(*r));
	r->seg = r32(&rb);
	r->head_tx = r64(&rb);
	r->head_instant = (int64_t)r64(&rb);
	r->datoms = r64(&rb);
	r->created_us = (int64_t)r64(&rb);
	r->fork_tx = r64(&rb);
	r->schema_tx = r64(&rb);
	uint32_t pn = r32(&rb);
	if (rb.bad || pn > DH_NAME_MAX || rb.end - rb.p < (ptrdiff_t)pn)
		return -1;
	memcpy(r->parent, rb.p, pn);
	r->parent[pn] = 0;
	rb.p += pn;
	r->nbase = r32(&rb);
	if (r->nbase > DH_MAX_LAYERS - 1)
		return -1;
	for (uint32_t i = 0; i < r->nbase; i++) {
		r->base[i].seg = r32(&rb);
		r->base[i].cutoff = r64(&rb);
	}
	return rb.bad ? -1 : 0;
}

int
dh__branch_get(struct dh_txn *txn, uint32_t dbid, const char *db, const char *name,
	       struct dh__brrec *r, struct dh_err *err)
{
	struct dh_buf k;
	const void *v;
	size_t vn;
	dh_buf_init(&k, 0);
	brkey(&k, dbid, name);
	int rc = dh_kv_get(txn, DH_TBL_META, k.p, k.len, &v, &vn, err);
	dh_buf_release(&k);
	if (rc == 1)
		return dh_err_set(err, DH_ENOBRANCH, "branch '%s' of database '%s' does not exist",
				  name, db);
	if (rc)
		return rc;
	if (branch_decode(v, vn, r))
		return dh_err_set(err, DH_ECORRUPT, "record of branch '%s:%s' is malformed", db,
				  name);
	return 0;
}

int
dh__branch_put(struct dh_txn *txn, uint32_t dbid, const char *name, const struct dh__brrec *r,
	       struct dh_err *err)
{
	struct dh_buf k, v;
	dh_buf_init(&k, 0);
	dh_buf_init(&v, 0);
	brkey(&k, dbid, name);
	dh_buf_add_u32be(&v, r->seg);
	dh_buf_add_u64be(&v, r->head_tx);
	dh_buf_add_u64be(&v, (uint64_t)r->head_instant);
	dh_buf_add_u64be(&v, r->datoms);
	dh_buf_add_u64be(&v, (uint64_t)r->created_us);
	dh_buf_add_u64be(&v, r->fork_tx);
	dh_buf_add_u64be(&v, r->schema_tx);
	dh_buf_add_u32be(&v, (uint32_t)strlen(r->parent));
	dh_buf_adds(&v, r->parent);
	dh_buf_add_u32be(&v, r->nbase);
	for (uint32_t i = 0; i < r->nbase; i++) {
		dh_buf_add_u32be(&v, r->base[i].seg);
		dh_buf_add_u64be(&v, r->base[i].cutoff);
	}
	int rc = dh_kv_put(txn, DH_TBL_META, k.p, k.len, v.p, v.len, 0, err);
	dh_buf_release(&k);
	dh_buf_release(&v);
	return rc;
}

void
dh__view_init(struct dh_view *v, struct dh_txn *txn, uint32_t dbid, const struct dh__brrec *br)
{
	memset(v, 0, sizeof(*v));
	v->txn = txn;
	v->dbid = dbid;
	v->mode = DH_VIEW_CURRENT;
	v->basis = br->head_tx;
	v->nlayers = 1 + (int)br->nbase;
	v->layers[0].seg = br->seg;
	v->layers[0].cutoff = DH_TX_MAX;
	for (uint32_t i = 0; i < br->nbase; i++)
		v->layers[1 + i] = br->base[i];
}

static int
counter_next(struct dh_txn *txn, const char *name, uint32_t *out, struct dh_err *err)
{
	const void *v;
	size_t vn;
	uint32_t next = 1;
	int rc = dh_kv_get(txn, DH_TBL_META, name, strlen(name), &v, &vn, err);
	if (rc < 0)
		return rc;
	if (rc == 0 && vn == 4)
		next = dh_get_u32be(v);
	if (next == UINT32_MAX)
		return dh_err_set(err, DH_EDISKFULL, "store has run out of %s ids", name + 1);
	unsigned char p[4];
	dh_put_u32be(p, next + 1);
	*out = next;
	return dh_kv_put(txn, DH_TBL_META, name, strlen(name), p, 4, 0, err);
}

static int
seg_ref(struct dh_txn *txn, uint32_t seg, uint32_t dbid, int delta, struct dh_err *err)
{
	unsigned char k[5], v[8];
	const void *old;
	size_t on;
	uint32_t refs = 0;
	k[0] = 'S';
	dh_put_u32be(k + 1, seg);
	int rc = dh_kv_get(txn, DH_TBL_META, k, 5, &old, &on, err);
	if (rc < 0)
		return rc;
	if (rc == 0 && on == 8)
		refs = dh_get_u32be((const unsigned char *)old + 4);
	refs = (uint32_t)((int64_t)refs + delta);
	if (refs == 0) {
		/* nobody stands on this segment any more: its data goes */
		static const enum dh_table seg_tables[] = {
			DH_TBL_EAVT,  DH_TBL_AEVT,  DH_TBL_AVET,  DH_TBL_VAET, DH_TBL_HEAVT,
			DH_TBL_HAEVT, DH_TBL_HAVET, DH_TBL_HVAET, DH_TBL_LOG};
		for (size_t i = 0; i < DH_ARRAY_SIZE(seg_tables); i++) {
			int64_t n = dh_kv_del_prefix(txn, seg_tables[i], k + 1, 4, err);
			if (n < 0)
				return (int)n;
		}
		/* and its planner statistics: "C" seg ... */
		unsigned char ck[5] = {'C'};
		memcpy(ck + 1, k + 1, 4);
		int64_t n = dh_kv_del_prefix(txn, DH_TBL_META, ck, 5, err);
		if (n < 0)
			return (int)n;
		rc = dh_kv_del(txn, DH_TBL_META, k, 5, err);
		return rc == 1 ? 0 : rc;
	}
	dh_put_u32be(v, dbid);
	dh_put_u32be(v + 4, refs);
	return dh_kv_put(txn, DH_TBL_META, k, 5, v, 8, 0, err);
}

int
dh__log_put(struct dh_txn *txn, uint32_t seg, uint64_t tx, int64_t instant,
	    uint64_t datoms_after, const struct dh_datom *d, size_t n, struct dh_err *err)
{
	struct dh_buf k, v;
	int rc = 0;
	dh_buf_init(&k, 0);
	dh_buf_init(&v, 0);
	dh_buf_add_u32be(&k, seg);
	dh_buf_add_u64be(&k, tx);
	dh_buf_add_u64be(&v, (uint64_t)instant);
	dh_buf_add_u64be(&v, datoms_after);
	dh_buf_add_u32be(&v, (uint32_t)n);
	for (size_t i = 0; i < n && rc == 0; i++) {
		dh_buf_add_u64be(&v, d[i].e);
		dh_buf_add_u64be(&v, d[i].a);
		dh_buf_addc(&v, d[i].added);
		rc = dh_value_encode(&v, &d[i].v, NULL);
	}
	if (rc == 0)
		rc = dh_kv_put(txn, DH_TBL_LOG, k.p, k.len, v.p, v.len, 0, err);
	else
		dh_err_set(err, rc, "cannot encode log record of tx %llu", (unsigned long long)tx);
	dh_buf_release(&k);
	dh_buf_release(&v);
	return rc;
}

/* The log record of the newest tx <= t over the view's layers: its tx id,
 * instant and datom count; 1 if there is none. */
static int
log_at(struct dh_view *v, uint64_t t, uint64_t *tx, int64_t *instant, uint64_t *datoms,
       struct dh_err *err)
{
	struct dh_cursor *c;
	int rc = dh_cursor_open(v->txn, DH_TBL_LOG, &c, err), found = 0;
	if (rc)
		return rc;
	for (int l = 0; l < v->nlayers; l++) {
		uint64_t cut = v->layers[l].cutoff < t ? v->layers[l].cutoff : t;
		unsigned char k[12];
		dh_put_u32be(k, v->layers[l].seg);
		/* seek past seg|cut, then step back onto the newest <= cut */
		if (cut == UINT64_MAX) {
			dh_put_u32be(k, v->layers[l].seg + 1);
			dh_put_u64be(k + 4, 0);
		} else {
			dh_put_u64be(k + 4, cut + 1);
		}
		rc = dh_cursor_seek(c, k, 12);
		rc = rc == 1 ? dh_cursor_last(c) : rc == 0 ? dh_cursor_prev(c) : rc;
		if (rc < 0)
			break;
		if (rc == 1)
			continue;
		const unsigned char *kk, *vv;
		size_t kn, vn;
		dh_cursor_get(c, &kk, &kn, &vv, &vn);
		if (kn != 12 || dh_get_u32be(kk) != v->layers[l].seg)
			continue;
		uint64_t x = dh_get_u64be(kk + 4);
		if (vn < 20) {
			rc = DH_ECORRUPT;
			break;
		}
		if (!found || x > *tx) {
			*tx = x;
			*instant = (int64_t)dh_get_u64be(vv);
			*datoms = dh_get_u64be(vv + 8);
			found = 1;
		}
		/* layers below hold only older txs */
		break;
	}
	dh_cursor_close(c);
	if (rc < 0)
		return dh_err_set(err, rc, "cannot read the transaction log: %s", dh_strerror(rc));
	return found ? 0 : 1;
}

int
dh_time_resolve(struct dh_view *v, const char *text, uint64_t *tx, struct dh_err *err)
{
	size_t n = strlen(text);
	int digits = n > 0 && n < 21;
	for (size_t i = 0; i < n && digits; i++)
		digits = isdigit((unsigned char)text[i]);
	if (digits) {
		char *end;
		unsigned long long x = strtoull(text, &end, 10);
		if (*end)
			return dh_err_set(err, DH_EBADTIME, "invalid tx id '%s'", text);
		*tx = x;
		return 0;
	}
	int64_t us;
	if (dh_instant_parse(text, n, &us))
		return dh_err_set(err, DH_EBADTIME,
				  "invalid time '%s': expected a tx id or an RFC 3339 instant",
				  text);
	/* Instants grow with tx ids along a branch: binary search over tx ids for
	 * the newest tx whose instant is at or before us. */
	uint64_t lo = 0, hi = v->basis, x, datoms;
	int64_t inst;
	while (lo < hi) {
		uint64_t mid = lo + (hi - lo + 1) / 2;
		int rc = log_at(v, mid, &x, &inst, &datoms, err);
		if (rc < 0)
			return rc;
		if (rc == 1 || inst <= us)
			lo = mid;
		else
			hi = x - 1;
	}
	*tx = 0; /* before the first tx: the empty state */
	int rc = log_at(v, lo, &x, &inst, &datoms, err);
	if (rc < 0)
		return rc;
	if (rc == 0 && inst <= us)
		*tx = x;
	return 0;
}

/* --- databases --- */

static int
db_create_in(struct dh_txn *txn, const char *name, unsigned flags, struct dh_err *err)
{
	struct dh__dbrec db;
	struct dh__brrec br;
	struct dh_view v;
	int rc = dh__db_get(txn, name, &db, err);
	if (rc == 0)
		return dh_err_set(err, DH_EDBEXISTS, "database '%s' already exists", name);
	if (rc != DH_ENODB)
		return rc;
	memset(&db, 0, sizeof(db));
	memset(&br, 0, sizeof(br));
	if ((rc = counter_next(txn, "Ndb", &db.id, err)) ||
	    (rc = counter_next(txn, "Nseg", &br.seg, err)))
		return rc;
	int64_t now = dh_now_us();
	db.flags = flags;
	db.created_us = now;
	db.last_instant = now;
	br.created_us = now;
	br.head_tx = br.schema_tx = DH_E_FIRST_FREE;
	br.head_instant = now;

	/* the bootstrap transaction: the system schema and its tx entity */
	dh__view_init(&v, txn, db.id, &br);
	const struct dh_datom *boot;
	size_t nboot = dh_schema_bootstrap(&boot);
	struct dh_datom *all = xcalloc(nboot + 1, sizeof(*all));
	for (size_t i = 0; i < nboot && rc == 0; i++) {
		all[i] = boot[i];
		all[i].tx = DH_E_FIRST_FREE;
		rc = dh_index_write(&v, boot[i].e, boot[i].a, &boot[i].v, DH_E_FIRST_FREE, 1, 1,
				   err);
	}
	all[nboot] = (struct dh_datom){.e = DH_E_FIRST_FREE, .a = DH_A_TXINSTANT,
				       .v = {.type = DH_T_INSTANT, .i = now},
				       .tx = DH_E_FIRST_FREE, .added = 1};
	if (rc == 0)
		rc = dh_index_write(&v, all[nboot].e, all[nboot].a, &all[nboot].v, DH_E_FIRST_FREE,
				   1, 1, err);
	br.datoms = nboot + 1;
	if (rc == 0) {
		struct dh_attr_delta *d = xcalloc(nboot + 1, sizeof(*d));
		for (size_t i = 0; i <= nboot; i++)
			d[i] = (struct dh_attr_delta){all[i].a, 1};
		rc = dh_index_count_add(txn, br.seg, d, nboot + 1, err);
		free(d);
	}
	if (rc == 0)
		rc = dh__log_put(txn, br.seg, DH_E_FIRST_FREE, now, br.datoms, all, nboot + 1, err);
	free(all);
	db.next_eid = DH_E_FIRST_FREE + 1;
	if (rc == 0)
		rc = dh__db_put(txn, name, &db, err);
	if (rc == 0)
		rc = dh__branch_put(txn, db.id, DH_DEFAULT_BRANCH, &br, err);
	if (rc == 0)
		rc = seg_ref(txn, br.seg, db.id, 1, err);
	return rc;
}

int
dh_db_create(struct dh_store *st, const char *name, unsigned flags, struct dh_err *err)
{
	struct dh_txn *txn;
	int rc = dh_name_check("database", name, err);
	if (rc)
		return rc;
	if ((rc = dh_txn_begin(st, 1, &txn, err)))
		return rc;
	rc = db_create_in(txn, name, flags, err);
	if (rc) {
		dh_txn_abort(txn);
		return rc;
	}
	return dh_txn_commit(txn, err);
}

int
dh_db_ensure_default(struct dh_store *st, struct dh_err *err)
{
	struct dh_txn *txn;
	struct dh_cursor *c;
	int rc = dh_txn_begin(st, 1, &txn, err);
	if (rc)
		return rc;
	rc = dh_cursor_open(txn, DH_TBL_META, &c, err);
	if (rc == 0) {
		rc = dh_cursor_seek(c, "D", 1);
		int any = 0;
		if (rc == 0) {
			const unsigned char *k;
			size_t kn;
			dh_cursor_get(c, &k, &kn, NULL, NULL);
			any = kn > 0 && k[0] == 'D';
		}
		dh_cursor_close(c);
		rc = rc < 0 ? rc : 0;
		if (rc == 0 && !any)
			rc = db_create_in(txn, DH_DEFAULT_DB, 0, err);
	}
	if (rc) {
		dh_txn_abort(txn);
		return rc;
	}
	return dh_txn_commit(txn, err);
}

/* Names of the branches of database dbid, in name order, in arena a. */
static int
branch_names(struct dh_txn *txn, uint32_t dbid, struct dh_arena *a, char ***out, size_t *n,
	     struct dh_err *err)
{
	struct dh_cursor *c;
	unsigned char pre[5];
	size_t cap = 0;
	char **names = NULL;
	*n = 0;
	pre[0] = 'B';
	dh_put_u32be(pre + 1, dbid);
	int rc = dh_cursor_open(txn, DH_TBL_META, &c, err);
	if (rc)
		return rc;
	for (rc = dh_cursor_seek(c, pre, 5); rc == 0; rc = dh_cursor_next(c)) {
		const unsigned char *k;
		size_t kn;
		dh_cursor_get(c, &k, &kn, NULL, NULL);
		if (kn < 5 || memcmp(k, pre, 5) != 0)
			break;
		if (*n == cap) {
			char **nn = dh_arena_alloc(a, (cap = cap ? 2 * cap : 8) * sizeof(*nn));
			if (*n)
				memcpy(nn, names, *n * sizeof(*nn));
			names = nn;
		}
		names[(*n)++] = dh_arena_strndup(a, (const char *)k + 5, kn - 5);
	}
	dh_cursor_close(c);
	*out = names;
	return rc < 0 ? rc : 0;
}

static int
branch_delete_in(struct dh_txn *txn, uint32_t dbid, const char *db, const char *name,
		 struct dh_err *err)
{
	struct dh__brrec br;
	struct dh_buf k;
	int rc = dh__branch_get(txn, dbid, db, name, &br, err);
	if (rc)
		return rc;
	dh_buf_init(&k, 0);
	brkey(&k, dbid, name);
	rc = dh_kv_del(txn, DH_TBL_META, k.p, k.len, err);
	dh_buf_release(&k);
	if (rc < 0)
		return rc;
	rc = seg_ref(txn, br.seg, dbid, -1, err);
	for (uint32_t i = 0; i < br.nbase && rc == 0; i++)
		rc = seg_ref(txn, br.base[i].seg, dbid, -1, err);
	return rc;
}

int
dh_db_drop(struct dh_store *st, const char *name, struct dh_err *err)
{
	struct dh_txn *txn;
	struct dh__dbrec db;
	struct dh_arena a;
	char **names;
	size_t n;
	int rc = dh_txn_begin(st, 1, &txn, err);
	if (rc)
		return rc;
	dh_arena_init(&a);
	if ((rc = dh__db_get(txn, name, &db, err)) ||
	    (rc = branch_names(txn, db.id, &a, &names, &n, err)))
		goto fail;
	for (size_t i = 0; i < n && rc == 0; i++)
		rc = branch_delete_in(txn, db.id, name, names[i], err);
	if (rc)
		goto fail;
	struct dh_buf k;
	dh_buf_init(&k, 0);
	dbkey(&k, name);
	rc = dh_kv_del(txn, DH_TBL_META, k.p, k.len, err);
	dh_buf_release(&k);
	if (rc < 0)
		goto fail;
	dh_arena_release(&a);
	return dh_txn_commit(txn, err);
fail:
	dh_arena_release(&a);
	dh_txn_abort(txn);
	return rc;
}

int
dh_db_list(struct dh_store *st, struct dh_arena *a, struct dh_db_info **out, size_t *n,
	   struct dh_err *err)
{
	struct dh_txn *txn;
	struct dh_cursor *c = NULL;
	size_t cap = 0;
	struct dh_db_info *dbs = NULL;
	int rc = dh_txn_begin(st, 0, &txn, err);
	*n = 0;
	if (rc)
		return rc;
	if ((rc = dh_cursor_open(txn, DH_TBL_META, &c, err)))
		goto out;
	for (rc = dh_cursor_seek(c, "D", 1); rc == 0; rc = dh_cursor_next(c)) {
		const unsigned char *k;
		size_t kn;
		dh_cursor_get(c, &k, &kn, NULL, NULL);
		if (kn < 1 || k[0] != 'D')
			break;
		if (*n == cap) {
			struct dh_db_info *nd =
			    dh_arena_zalloc(a, (cap = cap ? 2 * cap : 8) * sizeof(*nd));
			if (*n)
				memcpy(nd, dbs, *n * sizeof(*nd));
			dbs = nd;
		}
		dbs[(*n)++].name = dh_arena_strndup(a, (const char *)k + 1, kn - 1);
	}
	dh_cursor_close(c);
	if (rc < 0)
		goto out;
	rc = 0;
	for (size_t i = 0; i < *n && rc == 0; i++) {
		struct dh__dbrec db;
		char **names;
		size_t nb;
		struct dh_db_info *d = &dbs[i];
		if ((rc = dh__db_get(txn, d->name, &db, err)) ||
		    (rc = branch_names(txn, db.id, a, &names, &nb, err)))
			break;
		d->id = db.id;
		d->flags = db.flags;
		d->created_us = db.created_us;
		d->nbranches = nb;
		d->branches = dh_arena_zalloc(a, (nb ? nb : 1) * sizeof(*d->branches));
		for (size_t j = 0; j < nb && rc == 0; j++) {
			struct dh__brrec br;
			struct dh_branch_info *b = &d->branches[j];
			if ((rc = dh__branch_get(txn, db.id, d->name, names[j], &br, err)))
				break;
			b->name = names[j];
			b->seg = br.seg;
			b->head_tx = br.head_tx;
			b->head_instant = br.head_instant;
			b->datoms = br.datoms;
			b->created_us = br.created_us;
			b->parent = dh_arena_strdup(a, br.parent);
			b->fork_tx = br.fork_tx;
		}
	}
out:
	*out = dbs;
	dh_txn_abort(txn);
	return rc;
}

int
dh_branch_create(struct dh_store *st, const char *db, const char *from, const char *name,
		 const char *at, struct dh_err *err)
{
	struct dh_txn *txn;
	struct dh__dbrec dbr;
	struct dh__brrec src, br;
	struct dh_view v;
	int rc;
	if ((rc = dh_name_check("branch", name, err)))
		return rc;
	if ((rc = dh_txn_begin(st, 1, &txn, err)))
		return rc;
	if ((rc = dh__db_get(txn, db, &dbr, err)) ||
	    (rc = dh__branch_get(txn, dbr.id, db, from, &src, err)))
		goto fail;
	rc = dh__branch_get(txn, dbr.id, db, name, &br, err);
	if (rc == 0) {
		rc = dh_err_set(err, DH_EBRANCHEXISTS, "branch '%s' of database '%s' already exists",
				name, db);
		goto fail;
	}
	if (rc != DH_ENOBRANCH)
		goto fail;
	dh__view_init(&v, txn, dbr.id, &src);
	uint64_t t = src.head_tx;
	if (at) {
		if ((rc = dh_time_resolve(&v, at, &t, err)))
			goto fail;
		if (t > src.head_tx) {
			rc = dh_err_set(err, DH_ENOTX,
					"tx %llu is after the head (tx %llu) of branch '%s:%s'",
					(unsigned long long)t, (unsigned long long)src.head_tx, db,
					from);
			goto fail;
		}
	}
	if (src.nbase + 1 > DH_MAX_LAYERS - 1) {
		rc = dh_err_set(err, DH_ENOTSUP,
				"branch '%s:%s' is %d forks deep; forking it further is not supported",
				db, from, (int)src.nbase + 1);
		goto fail;
	}
	memset(&br, 0, sizeof(br));
	if ((rc = counter_next(txn, "Nseg", &br.seg, err)))
		goto fail;
	dh_view_as_of(&v, t);
	/* the fork point's tx, instant and datom count come from the log */
	uint64_t ltx = 0, datoms = 0;
	int64_t inst = 0;
	rc = log_at(&v, t, &ltx, &inst, &datoms, err);
	if (rc < 0)
		goto fail;
	br.head_tx = rc == 1 ? 0 : ltx;
	br.head_instant = inst;
	br.datoms = datoms;
	br.created_us = dh_now_us();
	br.fork_tx = br.head_tx;
	br.schema_tx = br.head_tx;
	snprintf(br.parent, sizeof(br.parent), "%s", from);
	br.nbase = (uint32_t)v.nlayers;
	for (int i = 0; i < v.nlayers; i++)
		br.base[i] = v.layers[i];
	rc = dh__branch_put(txn, dbr.id, name, &br, err);
	if (rc == 0)
		rc = seg_ref(txn, br.seg, dbr.id, 1, err);
	for (uint32_t i = 0; i < br.nbase && rc == 0; i++)
		rc = seg_ref(txn, br.base[i].seg, dbr.id, 1, err);
	if (rc)
		goto fail;
	return dh_txn_commit(txn, err);
fail:
	dh_txn_abort(txn);
	return rc;
}

int
dh_branch_delete(struct dh_store *st, const char *db, const char *name, struct dh_err *err)
{
	struct dh_txn *txn;
	struct dh__dbrec dbr;
	int rc;
	if (strcmp(name, DH_DEFAULT_BRANCH) == 0)
		return dh_err_set(err, DH_ENOTSUP,
				  "cannot delete branch 'main' of database '%s'; drop the database "
				  "instead",
				  db);
	if ((rc = dh_txn_begin(st, 1, &txn, err)))
		return rc;
	if ((rc = dh__db_get(txn, db, &dbr, err)) ||
	    (rc = branch_delete_in(txn, dbr.id, db, name, err))) {
		dh_txn_abort(txn);
		return rc;
	}
	return dh_txn_commit(txn, err);
}

int
dh_store_check(struct dh_store *st, uint64_t *entries, struct dh_err *err)
{
	struct dh_txn *txn;
	struct dh_cursor *c;
	int rc = dh_txn_begin(st, 0, &txn, err);
	*entries = 0;
	if (rc)
		return rc;
	if ((rc = dh_cursor_open(txn, DH_TBL_META, &c, err))) {
		dh_txn_abort(txn);
		return rc;
	}
	/* every segment record, and every branch's layers must name live ones */
	uint32_t segs[4096];
	size_t nsegs = 0;
	for (rc = dh_cursor_seek(c, "S", 1); rc == 0; rc = dh_cursor_next(c)) {
		const unsigned char *k;
		size_t kn;
		dh_cursor_get(c, &k, &kn, NULL, NULL);
		if (kn != 5 || k[0] != 'S')
			break;
		if (nsegs < DH_ARRAY_SIZE(segs))
			segs[nsegs++] = dh_get_u32be(k + 1);
	}
	dh_cursor_close(c);
	rc = rc < 0 ? rc : 0;
	for (size_t i = 0; i < nsegs && rc == 0; i++)
		rc = dh_index_check_segment(txn, segs[i], entries, err);
	dh_txn_abort(txn);
	return rc;
}

/* --- connections and snapshots --- */

struct dh_conn {
	struct dh_store *st;
	char db[DH_NAME_MAX + 1], branch[DH_NAME_MAX + 1];
	struct dh_schema schema;
	int schema_ok;
	uint32_t schema_seg;
	uint64_t schema_tx;
};

int
dh_conn_open(struct dh_store *st, const char *dbref, struct dh_conn **out, struct dh_err *err)
{
	struct dh_conn *c = xcalloc(1, sizeof(*c));
	struct dh_txn *txn = NULL;
	struct dh__dbrec db;
	struct dh__brrec br;
	int rc = dh_dbref_parse(dbref, c->db, c->branch, err);
	*out = NULL;
	if (rc == 0)
		rc = dh_txn_begin(st, 0, &txn, err);
	if (rc == 0)
		rc = dh__db_get(txn, c->db, &db, err);
	if (rc == 0)
		rc = dh__branch_get(txn, db.id, c->db, c->branch, &br, err);
	dh_txn_abort(txn);
	if (rc) {
		free(c);
		return rc;
	}
	c->st = st;
	dh_schema_init(&c->schema);
	*out = c;
	return 0;
}

void
dh_conn_close(struct dh_conn *c)
{
	if (!c)
		return;
	dh_schema_release(&c->schema);
	free(c);
}

const char *
dh_conn_db(const struct dh_conn *c)
{
	return c->db;
}

const char *
dh_conn_branch(const struct dh_conn *c)
{
	return c->branch;
}

struct dh_store *
dh_conn_store(struct dh_conn *c)
{
	return c->st;
}

const char *
dh__conn_dbname(struct dh_conn *c)
{
	return c->db;
}

void
dh__conn_schema_invalidate(struct dh_conn *c)
{
	c->schema_ok = 0;
}

int
dh__conn_schema(struct dh_conn *c, struct dh_view *v, const struct dh__brrec *br,
		struct dh_schema **out, struct dh_err *err)
{
	if (!c->schema_ok || c->schema_seg != br->seg || c->schema_tx != br->schema_tx) {
		dh_schema_release(&c->schema);
		dh_schema_init(&c->schema);
		int rc = dh_schema_load(&c->schema, v, err);
		if (rc) {
			c->schema_ok = 0;
			return rc;
		}
		static _Atomic uint64_t gens;
		c->schema.gen = atomic_fetch_add(&gens, 1) + 1;
		c->schema_ok = 1;
		c->schema_seg = br->seg;
		c->schema_tx = br->schema_tx;
	}
	*out = &c->schema;
	return 0;
}

struct dh_snapshot {
	struct dh_txn *txn;
	struct dh_view view;
	struct dh_schema *schema;
};

int
dh_snapshot_open(struct dh_conn *c, const struct dh_view_spec *spec, struct dh_snapshot **out,
		 struct dh_err *err)
{
	struct dh_snapshot *s = xcalloc(1, sizeof(*s));
	struct dh__dbrec db;
	struct dh__brrec br;
	int rc = dh_txn_begin(c->st, 0, &s->txn, err);
	*out = NULL;
	if (rc) {
		free(s);
		return rc;
	}
	if ((rc = dh__db_get(s->txn, c->db, &db, err)) ||
	    (rc = dh__branch_get(s->txn, db.id, c->db, c->branch, &br, err)))
		goto fail;
	dh__view_init(&s->view, s->txn, db.id, &br);
	if ((rc = dh__conn_schema(c, &s->view, &br, &s->schema, err)))
		goto fail;
	if (spec) {
		uint64_t t;
		if (spec->as_of) {
			if ((rc = dh_time_resolve(&s->view, spec->as_of, &t, err)))
				goto fail;
			dh_view_as_of(&s->view, t);
		}
		s->view.mode = spec->mode;
		if (spec->mode == DH_VIEW_SINCE) {
			if (!spec->since) {
				rc = dh_err_set(err, DH_EUSAGE, "a since view needs a time point");
				goto fail;
			}
			if ((rc = dh_time_resolve(&s->view, spec->since, &t, err)))
				goto fail;
			s->view.since = t;
		}
	}
	*out = s;
	return 0;
fail:
	dh_txn_abort(s->txn);
	free(s);
	return rc;
}

struct dh_view *
dh_snapshot_view(struct dh_snapshot *s)
{
	return &s->view;
}

const struct dh_schema *
dh_snapshot_schema(struct dh_snapshot *s)
{
	return s->schema;
}

void
dh_snapshot_close(struct dh_snapshot *s)
{
	if (!s)
		return;
	dh_txn_abort(s->txn);
	free(s);
}
