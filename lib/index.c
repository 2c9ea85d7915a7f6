/*
 * index: layered views over the live and history tables (see index.h for the
 * model).  This is the read path every query takes and the write path every
 * datom takes, so it works on encoded keys and touches LMDB only through
 * store.h cursors.
 */
#include <stdlib.h>
#include <string.h>

#include "util.h"
#include "datom.h"
#include "index.h"
#include "store.h"

#define SEG_BYTES 4
#define TX_BYTES 8
#define REC_BYTES 9 /* from-or-to tx (8) + state (1) */

static const char *const index_names[DH_INDEX__COUNT] = {"eavt", "aevt", "avet", "vaet"};

static const enum dh_table live_table[DH_INDEX__COUNT] = {DH_TBL_EAVT, DH_TBL_AEVT, DH_TBL_AVET,
							   DH_TBL_VAET};
static const enum dh_table hist_table[DH_INDEX__COUNT] = {DH_TBL_HEAVT, DH_TBL_HAEVT,
							   DH_TBL_HAVET, DH_TBL_HVAET};

const char *
dh_index_name(enum dh_index i)
{
	return (unsigned)i < DH_INDEX__COUNT ? index_names[i] : "?";
}

int
dh_index_from_name(const char *s, enum dh_index *out)
{
	for (int i = 0; i < DH_INDEX__COUNT; i++)
		if (strcmp(s, index_names[i]) == 0) {
			*out = (enum dh_index)i;
			return 0;
		}
	return DH_EUSAGE;
}

void
dh_view_as_of(struct dh_view *v, uint64_t t)
{
	for (int i = 0; i < v->nlayers; i++)
		if (v->layers[i].cutoff > t)
			v->layers[i].cutoff = t;
	if (v->basis > t)
		v->basis = t;
}

/* Append the first ncomp components of [e a v] in idx's order. */
static int
put_components(struct dh_buf *b, enum dh_index idx, uint64_t e, uint64_t a,
	       const struct dh_value *v, int ncomp, int *spilled)
{
	int rc = 0;
	*spilled = 0;
	for (int i = 0; i < ncomp && rc == 0; i++) {
		int which; /* 0 e, 1 a, 2 v */
		static const int order[DH_INDEX__COUNT][3] = {
			{0, 1, 2}, {1, 0, 2}, {1, 2, 0}, {2, 1, 0}};
		which = order[idx][i];
		if (which == 0)
			dh_buf_add_u64be(b, e);
		else if (which == 1)
			dh_buf_add_u64be(b, a);
		else if (idx == DH_VAET)
			dh_buf_add_u64be(b, v->ref);
		else
			rc = dh_value_encode(b, v, spilled);
	}
	return rc;
}

int
dh_index_key(struct dh_buf *b, enum dh_index idx, uint64_t e, uint64_t a,
	     const struct dh_value *v, int *spilled)
{
	return put_components(b, idx, e, a, v, 3, spilled);
}

/* Decode the components of a group key (after the segment) into d. */
static int
decode_group(struct dh_txn *txn, enum dh_index idx, const unsigned char *g, size_t n,
	     struct dh_datom *d, struct dh_arena *a, struct dh_err *err)
{
	const unsigned char *p = g, *end = g + n, *digest = NULL;
	memset(d, 0, sizeof(*d));
	if (idx == DH_AEVT || idx == DH_EAVT) {
		/* the scans' usual case, straight: two ids, then the value */
		if (n < 16)
			goto bad;
		uint64_t x0 = dh_get_u64be(p), x1 = dh_get_u64be(p + 8);
		d->a = idx == DH_AEVT ? x0 : x1;
		d->e = idx == DH_AEVT ? x1 : x0;
		int len = dh_value_decode(p + 16, n - 16, &d->v, a, &digest);
		if (len <= 0 || (size_t)len != n - 16)
			goto bad;
		p = end;
	}
	for (int i = 0; i < 3 && p != end; i++) {
		static const int order[DH_INDEX__COUNT][3] = {
			{0, 1, 2}, {1, 0, 2}, {1, 2, 0}, {2, 1, 0}};
		int which = order[idx][i];
		if (which < 2 || idx == DH_VAET) {
			if (end - p < 8)
				goto bad;
			uint64_t x = dh_get_u64be(p);
			p += 8;
			if (which == 0)
				d->e = x;
			else if (which == 1)
				d->a = x;
			else {
				d->v.type = DH_T_REF;
				d->v.ref = x;
			}
		} else {
			int len = dh_value_decode(p, (size_t)(end - p), &d->v, a, &digest);
			if (len <= 0)
				goto bad;
			p += len;
		}
	}
	if (p != end)
		goto bad;
	if (digest) {
		const void *whole;
		size_t wn;
		int rc = dh_kv_get(txn, DH_TBL_VALS, digest, DH_VALUE_DIGEST, &whole, &wn, err);
		if (rc < 0)
			return rc;
		if (rc == 1)
			return dh_err_set(err, DH_ECORRUPT,
					  "index %s: spilled value of entity %llu is missing",
					  index_names[idx], (unsigned long long)d->e);
		d->v.s.p = dh_arena_memdup(a, whole, wn);
		d->v.s.n = wn;
	}
	return 0;
bad:
	return dh_err_set(err, DH_ECORRUPT, "index %s: malformed key", index_names[idx]);
}

/* --- iteration --- */

struct src {
	struct dh_cursor *c;
	int hist, layer, valid;
	/* the scan of the prefix ran out: the cursor stands on the first key
	 * past the prefix's range (1), or at the end of the table (2) */
	int past;
	const unsigned char *g; /* group bytes: key after the segment (and before ~from) */
	size_t gn;
	const unsigned char *val;
	size_t vn;
};

struct op {
	uint64_t tx;
	int added;
};

struct dh_iter {
	struct dh_view *v;
	enum dh_index idx;
	struct dh_arena *a;
	int nsrc;
	struct src *src; /* two per layer at most: live and history */
	struct dh_buf prefix; /* components only, no segment */
	struct dh_buf old;    /* dh_iter_seek: the prefix before */
	struct dh_buf key;    /* scratch */
	struct dh_buf group;  /* the group being resolved */
	/* history mode: ops of the current group still to emit */
	struct dh_datom hd;
	struct op *ops;
	size_t nops, aops, iop;
	int rev; /* dh_iter_open_rev's: from the last group backwards */
};

static int
group_cmp(const unsigned char *a, size_t an, const unsigned char *b, size_t bn)
{
	int c = memcmp(a, b, an < bn ? an : bn);
	if (c)
		return c;
	return an < bn ? -1 : an > bn;
}

/* Load the cursor's entry into s, or mark s invalid past the prefix. */
static int
src_load(struct dh_iter *it, struct src *s, int rc)
{
	const unsigned char *k;
	size_t kn;
	s->past = 0;
	if (rc < 0)
		return rc;
	s->valid = 0;
	if (rc == 1) {
		s->past = 2;
		return 0;
	}
	dh_cursor_get(s->c, &k, &kn, &s->val, &s->vn);
	size_t tail = s->hist ? TX_BYTES : 0;
	uint32_t seg = it->v->layers[s->layer].seg;
	size_t pl = it->prefix.len;
	if (kn < SEG_BYTES + tail + pl || dh_get_u32be(k) != seg ||
	    (pl == 8 ? dh_get_u64be(k + SEG_BYTES) != dh_get_u64be(it->prefix.p)
		     : memcmp(k + SEG_BYTES, it->prefix.p, pl) != 0)) {
		/* a cursor only moves forward from its seek, and every key it
		 * skipped had the prefix: this is the first key past them */
		s->past = 1;
		return 0;
	}
	if (s->vn < REC_BYTES)
		return DH_ECORRUPT;
	s->g = k + SEG_BYTES;
	s->gn = kn - SEG_BYTES - tail;
	s->valid = 1;
	return 0;
}

/* Would seeking s to the full key t land where its cursor stands?  Yes when
 * the cursor stands on the first key past the range of the prefix old (its
 * scan ran out) and t lies between that range and the cursor.  Reading an
 * entity's attributes one after another, as pull does, seeks like this. */
static int
src_stays(struct src *s, const struct dh_buf *old, const unsigned char *t, size_t tn)
{
	if (!s->past || !old)
		return 0;
	/* t (in the same segment) is past every key that starts with old */
	size_t on = old->len, gn = tn - SEG_BYTES;
	if (memcmp(t + SEG_BYTES, old->p, gn < on ? gn : on) <= 0)
		return 0;
	if (s->past == 2)
		return 1;
	const unsigned char *k;
	size_t kn;
	dh_cursor_get(s->c, &k, &kn, NULL, NULL);
	return group_cmp(t, tn, k, kn) <= 0;
}

/* Seek s to seg + g + tail.  old: the prefix s was scanning before (for
 * src_stays), or NULL. */
static int
src_seek_from(struct dh_iter *it, struct src *s, const struct dh_buf *old, const unsigned char *g,
	      size_t gn, const void *tail, size_t tn)
{
	dh_buf_reset(&it->key);
	dh_buf_add_u32be(&it->key, it->v->layers[s->layer].seg);
	dh_buf_add(&it->key, g, gn);
	if (tn)
		dh_buf_add(&it->key, tail, tn);
	if (src_stays(s, old, it->key.p, it->key.len))
		return src_load(it, s, s->past == 2);
	return src_load(it, s, dh_cursor_seek(s->c, it->key.p, it->key.len));
}

static int
src_seek(struct dh_iter *it, struct src *s, const unsigned char *g, size_t gn, const void *tail,
	 size_t tn)
{
	return src_seek_from(it, s, NULL, g, gn, tail, tn);
}

static const unsigned char past_group[TX_BYTES + 1] = {0xff, 0xff, 0xff, 0xff, 0xff,
						       0xff, 0xff, 0xff, 0xff};

/* Move s past group g (which it stands on). */
static int
src_skip_group(struct dh_iter *it, struct src *s, const unsigned char *g, size_t gn)
{
	if (!s->hist)
		return src_load(it, s, dh_cursor_next(s->c));
	return src_seek(it, s, g, gn, past_group, sizeof(past_group));
}

int
dh_iter_open(struct dh_view *v, enum dh_index idx, const struct dh_datom *pattern, int ncomp,
	     struct dh_arena *a, struct dh_iter **out, struct dh_err *err)
{
	int rc = 0, spilled;
	struct dh_iter *it = xcalloc(1, sizeof(*it));
	/* sized to the view: iterators are opened once per datom on the write
	 * path, where zeroing room for every possible layer showed in profiles */
	it->src = xcalloc((size_t)(2 * (v->nlayers ? v->nlayers : 1)), sizeof(*it->src));
	it->v = v;
	it->idx = idx;
	it->a = a;
	dh_buf_init(&it->prefix, 0);
	dh_buf_init(&it->old, 0);
	dh_buf_init(&it->key, 0);
	dh_buf_init(&it->group, 0);
	*out = NULL;
	if (ncomp < 0 || ncomp > 3 || (unsigned)idx >= DH_INDEX__COUNT) {
		rc = dh_err_set(err, DH_EUSAGE, "invalid index pattern");
		goto fail;
	}
	if (ncomp > 0 && pattern) {
		rc = put_components(&it->prefix, idx, pattern->e, pattern->a, &pattern->v, ncomp,
				    &spilled);
		if (rc) {
			dh_err_set(err, rc, "cannot encode index pattern: %s", dh_strerror(rc));
			goto fail;
		}
	}
	for (int l = 0; l < v->nlayers; l++) {
		int need_hist = v->layers[l].cutoff != DH_TX_MAX || v->mode == DH_VIEW_HISTORY;
		for (int h = 0; h <= need_hist; h++) {
			struct src *s = &it->src[it->nsrc++];
			s->layer = l;
			s->hist = h;
			rc = dh_cursor_open(v->txn, h ? hist_table[idx] : live_table[idx], &s->c,
					    err);
			if (rc)
				goto fail;
			rc = src_seek(it, s, it->prefix.p, it->prefix.len, NULL, 0);
			if (rc) {
				dh_err_set(err, rc, "cannot read index %s", index_names[idx]);
				goto fail;
			}
		}
	}
	*out = it;
	return 0;
fail:
	dh_iter_close(it);
	return rc;
}

/* Stand s on the last key of its segment that starts with the prefix (or
 * before the prefix's range: not valid). */
static int
src_seek_last(struct dh_iter *it, struct src *s)
{
	/* the least key past the range: seg + prefix, plus one */
	dh_buf_reset(&it->key);
	dh_buf_add_u32be(&it->key, it->v->layers[s->layer].seg);
	dh_buf_add(&it->key, it->prefix.p, it->prefix.len);
	unsigned char *k = it->key.p;
	size_t i = it->key.len;
	while (i > 0 && k[i - 1] == 0xff)
		i--;
	int rc;
	if (i == 0) {
		rc = dh_cursor_last(s->c);
	} else {
		k[i - 1]++;
		rc = dh_cursor_seek(s->c, k, i);
		rc = rc == 1 ? dh_cursor_last(s->c) : rc == 0 ? dh_cursor_prev(s->c) : rc;
	}
	return src_load(it, s, rc);
}

int
dh_iter_open_rev(struct dh_view *v, enum dh_index idx, const struct dh_datom *pattern, int ncomp,
		 struct dh_arena *a, struct dh_iter **out, struct dh_err *err)
{
	if (v->mode == DH_VIEW_HISTORY)
		return dh_err_set(err, DH_EUSAGE, "a history view iterates forwards only");
	int rc = dh_iter_open(v, idx, pattern, ncomp, a, out, err);
	if (rc)
		return rc;
	struct dh_iter *it = *out;
	it->rev = 1;
	for (int i = 0; i < it->nsrc; i++)
		if ((rc = src_seek_last(it, &it->src[i])) < 0) {
			dh_iter_close(it);
			*out = NULL;
			return dh_err_set(err, rc, "cannot read index %s", index_names[idx]);
		}
	return 0;
}

/* dh_iter_seek, or with past set dh_iter_seek_past */
static int
iter_seek(struct dh_iter *it, const struct dh_datom *pattern, int ncomp,
	  const struct dh_value *from, int past, struct dh_err *err)
{
	int rc, spilled;
	static const char value_at[DH_INDEX__COUNT] = {2, 2, 1, -1};
	if (ncomp < 0 || ncomp > 3 || (from && value_at[it->idx] != ncomp))
		return dh_err_set(err, DH_EUSAGE, "invalid index pattern");
	struct dh_buf t = it->old;
	it->old = it->prefix;
	it->prefix = t;
	dh_buf_reset(&it->prefix);
	if (ncomp > 0) {
		rc = put_components(&it->prefix, it->idx, pattern->e, pattern->a, &pattern->v,
				    ncomp, &spilled);
		if (rc)
			return dh_err_set(err, rc, "cannot encode index pattern: %s",
					  dh_strerror(rc));
	}
	struct dh_buf tail;
	dh_buf_init(&tail, 0);
	if (from && (rc = dh_value_encode(&tail, from, &spilled))) {
		dh_buf_release(&tail);
		return dh_err_set(err, rc, "cannot encode index pattern: %s", dh_strerror(rc));
	}
	if (past) /* after every entity id (and tx) that can follow the value */
		dh_buf_add(&tail, past_group, sizeof(past_group));
	it->nops = it->iop = 0;
	rc = 0;
	for (int i = 0; i < it->nsrc && rc == 0; i++)
		rc = src_seek_from(it, &it->src[i], &it->old, it->prefix.p, it->prefix.len,
				   tail.p, tail.len);
	dh_buf_release(&tail);
	if (rc)
		return dh_err_set(err, rc, "cannot read index %s", index_names[it->idx]);
	return 0;
}

int
dh_iter_seek(struct dh_iter *it, const struct dh_datom *pattern, int ncomp,
	     const struct dh_value *from, struct dh_err *err)
{
	return iter_seek(it, pattern, ncomp, from, 0, err);
}

int
dh_iter_seek_past(struct dh_iter *it, const struct dh_datom *pattern, int ncomp,
		  const struct dh_value *past, struct dh_err *err)
{
	return iter_seek(it, pattern, ncomp, past, 1, err);
}

void
dh_iter_close(struct dh_iter *it)
{
	if (!it)
		return;
	for (int i = 0; i < it->nsrc; i++)
		dh_cursor_close(it->src[i].c);
	dh_buf_release(&it->prefix);
	dh_buf_release(&it->old);
	dh_buf_release(&it->key);
	dh_buf_release(&it->group);
	free(it->ops);
	free(it->src);
	free(it);
}

static void
add_op(struct dh_iter *it, uint64_t tx, int added)
{
	if (it->nops == it->aops) {
		it->aops = it->aops ? 2 * it->aops : 16;
		it->ops = xrealloc(it->ops, it->aops * sizeof(*it->ops));
	}
	it->ops[it->nops].tx = tx;
	it->ops[it->nops].added = added;
	it->nops++;
}

static int
op_cmp(const void *x, const void *y)
{
	const struct op *a = x, *b = y;
	if (a->tx != b->tx)
		return a->tx < b->tx ? -1 : 1;
	return a->added - b->added; /* a retraction before a re-assertion in one tx */
}

/* Collect every op of group g visible in the view into it->ops. */
static int
collect_history(struct dh_iter *it, const unsigned char *g, size_t gn)
{
	it->nops = it->iop = 0;
	for (int i = 0; i < it->nsrc; i++) {
		struct src *s = &it->src[i];
		uint64_t cutoff = it->v->layers[s->layer].cutoff;
		if (!s->valid || group_cmp(s->g, s->gn, g, gn) != 0)
			continue;
		if (!s->hist) {
			uint64_t from = dh_get_u64be(s->val);
			if (from <= cutoff)
				add_op(it, from, s->val[8]);
			continue;
		}
		/* hist keys within a group run from the newest period back */
		unsigned char tail[TX_BYTES];
		dh_put_u64be(tail, ~cutoff);
		int rc = src_seek(it, s, g, gn, tail, sizeof(tail));
		while (rc == 0 && s->valid && group_cmp(s->g, s->gn, g, gn) == 0) {
			uint64_t from = ~dh_get_u64be(s->g + s->gn);
			uint64_t to = dh_get_u64be(s->val);
			add_op(it, from, s->val[8]);
			if (s->val[8] && to <= cutoff)
				add_op(it, to, 0);
			rc = src_load(it, s, dh_cursor_next(s->c));
		}
		if (rc)
			return rc;
		/* stand on the group again so the common skip step works */
		rc = src_seek(it, s, g, gn, NULL, 0);
		if (rc)
			return rc;
	}
	qsort(it->ops, it->nops, sizeof(*it->ops), op_cmp);
	/* drop exact duplicates: a period's end and the tombstone it left */
	size_t w = 0;
	for (size_t r = 0; r < it->nops; r++)
		if (w == 0 || it->ops[w - 1].tx != it->ops[r].tx ||
		    it->ops[w - 1].added != it->ops[r].added)
			it->ops[w++] = it->ops[r];
	it->nops = w;
	return 0;
}

/* Resolve group g in the layers: returns 1 visible (with *from), 0 not. */
static int
resolve_group(struct dh_iter *it, const unsigned char *g, size_t gn, uint64_t *from)
{
	for (int l = 0, i = 0; l < it->v->nlayers; l++) {
		uint64_t cutoff = it->v->layers[l].cutoff;
		for (; i < it->nsrc && it->src[i].layer == l; i++) {
			struct src *s = &it->src[i];
			if (!s->valid || group_cmp(s->g, s->gn, g, gn) != 0)
				continue;
			if (!s->hist) {
				uint64_t f = dh_get_u64be(s->val);
				if (f <= cutoff) {
					*from = f;
					return s->val[8] ? 1 : 0;
				}
				continue;
			}
			unsigned char tail[TX_BYTES];
			dh_put_u64be(tail, ~cutoff);
			int rc = src_seek(it, s, g, gn, tail, sizeof(tail));
			if (rc)
				return rc;
			int decided = 0, state = 0;
			if (s->valid && group_cmp(s->g, s->gn, g, gn) == 0 &&
			    dh_get_u64be(s->val) > cutoff) {
				decided = 1;
				state = s->val[8];
				*from = ~dh_get_u64be(s->g + s->gn);
			}
			/* back onto the group, for the skip that follows */
			rc = src_seek(it, s, g, gn, NULL, 0);
			if (rc)
				return rc;
			if (decided)
				return state ? 1 : 0;
		}
	}
	return 0;
}

int
dh_iter_next(struct dh_iter *it, struct dh_datom *d, struct dh_err *err)
{
	int rc;
	if (it->iop < it->nops) {
		*d = it->hd;
		d->tx = it->ops[it->iop].tx;
		d->added = it->ops[it->iop].added;
		it->iop++;
		return 1;
	}
	if (it->nsrc == 1 && !it->src[0].hist && !it->rev && it->v->mode != DH_VIEW_HISTORY) {
		/* one live table (a branch's own segment, current or since): a
		 * key is a group and its record decides it, so the merge below
		 * has nothing to do.  The key is decoded before the cursor
		 * moves on; decoding copies what it keeps. */
		struct src *s = &it->src[0];
		uint64_t cutoff = it->v->layers[s->layer].cutoff;
		while (s->valid) {
			uint64_t from = dh_get_u64be(s->val);
			int visible = from <= cutoff && s->val[8] &&
				      !(it->v->mode == DH_VIEW_SINCE && from <= it->v->since);
			if (visible && (rc = decode_group(it->v->txn, it->idx, s->g, s->gn, d, it->a,
							  err)))
				return rc;
			if ((rc = src_load(it, s, dh_cursor_next(s->c))) < 0)
				goto fail;
			if (visible) {
				d->tx = from;
				d->added = 1;
				return 1;
			}
		}
		return 0;
	}
	for (;;) {
		/* the next group: the least of the sources' (backwards: the
		 * greatest) */
		struct src *min = NULL;
		for (int i = 0; i < it->nsrc; i++) {
			struct src *s = &it->src[i];
			if (s->valid && (!min || (group_cmp(s->g, s->gn, min->g, min->gn) < 0) != it->rev))
				min = s;
		}
		if (!min)
			return 0;
		/* The group bytes live in LMDB's map; moving cursors in a write
		 * transaction may move them, so work on a copy. */
		dh_buf_reset(&it->group);
		dh_buf_add(&it->group, min->g, min->gn);
		size_t gn = it->group.len;
		const unsigned char *g = it->group.p;
		uint64_t from = 0;
		int visible = 0;
		if (it->v->mode == DH_VIEW_HISTORY) {
			rc = collect_history(it, g, gn);
			visible = it->nops > 0;
		} else {
			rc = resolve_group(it, g, gn, &from);
			visible = rc == 1;
			if (rc > 0)
				rc = 0;
			if (visible && it->v->mode == DH_VIEW_SINCE && from <= it->v->since)
				visible = 0;
		}
		if (rc < 0)
			goto fail;
		for (int i = 0; i < it->nsrc; i++) {
			struct src *s = &it->src[i];
			if (!s->valid || group_cmp(s->g, s->gn, g, gn) != 0)
				continue;
			if (!it->rev)
				rc = src_skip_group(it, s, g, gn);
			else if (!s->hist)
				rc = src_load(it, s, dh_cursor_prev(s->c));
			else if ((rc = src_seek(it, s, g, gn, NULL, 0)) == 0 && s->valid)
				/* onto the group's first key, then before it */
				rc = src_load(it, s, dh_cursor_prev(s->c));
			if (rc < 0)
				goto fail;
		}
		if (!visible)
			continue;
		rc = decode_group(it->v->txn, it->idx, g, gn, d, it->a, err);
		if (rc)
			return rc;
		if (it->v->mode == DH_VIEW_HISTORY) {
			it->hd = *d;
			d->tx = it->ops[0].tx;
			d->added = it->ops[0].added;
			it->iop = 1;
		} else {
			d->tx = from;
			d->added = 1;
		}
		return 1;
	}
fail:
	return dh_err_set(err, rc, "cannot read index %s: %s", index_names[it->idx],
			  dh_strerror(rc));
}

/* --- point lookups --- */

/* Resolve [e a v] over layers [first, nlayers) of v: 1 visible, 0 not. */
static int
resolve_point(struct dh_view *v, int first, const struct dh_buf *comp, uint64_t *from,
	      struct dh_err *err)
{
	struct dh_buf k;
	struct dh_cursor *c = NULL;
	int rc = 0;
	dh_buf_init(&k, 0);
	for (int l = first; l < v->nlayers; l++) {
		uint64_t cutoff = v->layers[l].cutoff;
		const void *val;
		size_t vn;
		dh_buf_reset(&k);
		dh_buf_add_u32be(&k, v->layers[l].seg);
		dh_buf_add(&k, comp->p, comp->len);
		rc = dh_kv_get(v->txn, DH_TBL_EAVT, k.p, k.len, &val, &vn, err);
		if (rc < 0)
			goto out;
		if (rc == 0) {
			if (vn < REC_BYTES) {
				rc = dh_err_set(err, DH_ECORRUPT, "index eavt: malformed entry");
				goto out;
			}
			uint64_t f = dh_get_u64be(val);
			if (f <= cutoff) {
				if (from)
					*from = f;
				rc = ((const unsigned char *)val)[8] ? 1 : 0;
				goto out;
			}
		}
		rc = 0;
		if (cutoff == DH_TX_MAX)
			continue;
		unsigned char tail[TX_BYTES];
		dh_put_u64be(tail, ~cutoff);
		dh_buf_add(&k, tail, sizeof(tail));
		if (!c && (rc = dh_cursor_open(v->txn, DH_TBL_HEAVT, &c, err)) != 0)
			goto out;
		rc = dh_cursor_seek(c, k.p, k.len);
		if (rc < 0)
			goto out;
		if (rc == 0) {
			const unsigned char *kk, *vv;
			size_t kn, vvn;
			dh_cursor_get(c, &kk, &kn, &vv, &vvn);
			if (kn == k.len && memcmp(kk, k.p, k.len - TX_BYTES) == 0 &&
			    vvn >= REC_BYTES && dh_get_u64be(vv) > cutoff) {
				if (from)
					*from = ~dh_get_u64be(kk + kn - TX_BYTES);
				rc = vv[8] ? 1 : 0;
				goto out;
			}
		}
		rc = 0;
	}
out:
	dh_cursor_close(c);
	dh_buf_release(&k);
	return rc;
}

int
dh_view_has(struct dh_view *v, uint64_t e, uint64_t a, const struct dh_value *val,
	    uint64_t *from, struct dh_err *err)
{
	struct dh_buf comp;
	int spilled, rc;
	dh_buf_init(&comp, 0);
	rc = put_components(&comp, DH_EAVT, e, a, val, 3, &spilled);
	if (rc)
		rc = dh_err_set(err, rc, "cannot encode value: %s", dh_strerror(rc));
	else
		rc = resolve_point(v, 0, &comp, from, err);
	dh_buf_release(&comp);
	return rc;
}

/* --- writes --- */

int
dh_index_write(struct dh_view *v, uint64_t e, uint64_t a, const struct dh_value *val,
	       uint64_t tx, int added, int keep_history, struct dh_err *err)
{
	struct dh_buf k;
	int rc = 0, spilled = 0, lower = 0;
	uint32_t seg = v->layers[0].seg;
	dh_buf_init(&k, 0);

	if (!added && v->nlayers > 1) {
		/* a retraction must leave a tombstone if a lower layer asserts it */
		rc = put_components(&k, DH_EAVT, e, a, val, 3, &spilled);
		if (rc == 0)
			rc = resolve_point(v, 1, &k, NULL, err);
		if (rc < 0)
			goto out;
		lower = rc;
		rc = 0;
	}
	for (int idx = 0; idx < DH_INDEX__COUNT; idx++) {
		if (idx == DH_VAET && val->type != DH_T_REF)
			continue;
		dh_buf_reset(&k);
		dh_buf_add_u32be(&k, seg);
		rc = put_components(&k, (enum dh_index)idx, e, a, val, 3, &spilled);
		if (rc) {
			dh_err_set(err, rc, "value of attribute %llu is too long for the index",
				   (unsigned long long)a);
			goto out;
		}
		const void *old;
		size_t on;
		uint64_t ofrom = 0;
		int ostate = -1, found;
		unsigned char rec[REC_BYTES];
		if (added || lower) {
			/* the usual case, a datom new to the live index, costs one
			 * descent: write it unless an entry is there */
			dh_put_u64be(rec, tx);
			rec[8] = (unsigned char)(added ? 1 : 0);
			rc = dh_kv_put_new(v->txn, live_table[idx], k.p, k.len, rec, REC_BYTES,
					   &old, &on, err);
			found = rc == 1;
		} else {
			rc = dh_kv_get(v->txn, live_table[idx], k.p, k.len, &old, &on, err);
			found = rc == 0;
		}
		if (rc < 0)
			goto out;
		if (!found && (added || lower))
			continue;
		if (found && on >= REC_BYTES) {
			ofrom = dh_get_u64be(old);
			ostate = ((const unsigned char *)old)[8];
		}
		if (ostate >= 0 && keep_history && ofrom < tx) {
			/* close the period that ends now */
			size_t klen = k.len;
			unsigned char tail[TX_BYTES];
			dh_put_u64be(tail, ~ofrom);
			dh_buf_add(&k, tail, sizeof(tail));
			dh_put_u64be(rec, tx);
			rec[8] = (unsigned char)ostate;
			rc = dh_kv_put(v->txn, hist_table[idx], k.p, k.len, rec, REC_BYTES, 0, err);
			k.len = klen;
			if (rc)
				goto out;
		}
		if (added || lower) {
			dh_put_u64be(rec, tx);
			rec[8] = (unsigned char)(added ? 1 : 0);
			rc = dh_kv_put(v->txn, live_table[idx], k.p, k.len, rec, REC_BYTES, 0, err);
		} else if (ostate >= 0) {
			rc = dh_kv_del(v->txn, live_table[idx], k.p, k.len, err);
			rc = rc == 1 ? 0 : rc;
		}
		if (rc)
			goto out;
	}
	if (spilled && added) {
		unsigned char digest[DH_VALUE_DIGEST];
		dh_value_digest(val, digest);
		rc = dh_kv_put(v->txn, DH_TBL_VALS, digest, sizeof(digest), val->s.p, val->s.n,
			       DH_PUT_NOOVERWRITE, err);
		if (rc == 1)
			rc = 0;
	}
out:
	dh_buf_release(&k);
	return rc;
}

/* --- consistency check --- */

static int
check_twins(struct dh_txn *txn, uint32_t seg, int hist, uint64_t *entries, struct dh_arena *a,
	    struct dh_err *err)
{
	const enum dh_table *tables = hist ? hist_table : live_table;
	struct dh_cursor *c = NULL;
	struct dh_buf k;
	unsigned char segb[4];
	uint64_t counts[DH_INDEX__COUNT] = {0}, refs = 0;
	int rc = 0;
	size_t tail = hist ? TX_BYTES : 0;
	dh_buf_init(&k, 0);
	dh_put_u32be(segb, seg);

	for (int idx = 0; idx < DH_INDEX__COUNT && rc == 0; idx++) {
		rc = dh_cursor_open(txn, tables[idx], &c, err);
		if (rc)
			break;
		for (rc = dh_cursor_seek(c, segb, 4); rc == 0; rc = dh_cursor_next(c)) {
			const unsigned char *kk, *vv;
			size_t kn, vn;
			struct dh_datom d;
			dh_cursor_get(c, &kk, &kn, &vv, &vn);
			if (kn < 4 || memcmp(kk, segb, 4) != 0)
				break;
			/* decoded values are only needed for this entry */
			if (++counts[idx] % 4096 == 0)
				dh_arena_release(a);
			if (kn < 4 + tail || vn != REC_BYTES || vv[8] > 1) {
				rc = dh_err_set(err, DH_ECHECKFAIL,
						"segment %u: malformed entry in table %s", seg,
						dh_table_name(tables[idx]));
				break;
			}
			if (hist && dh_get_u64be(vv) <= ~dh_get_u64be(kk + kn - TX_BYTES)) {
				rc = dh_err_set(err, DH_ECHECKFAIL,
						"segment %u: empty history period in table %s", seg,
						dh_table_name(tables[idx]));
				break;
			}
			rc = decode_group(txn, (enum dh_index)idx, kk + 4, kn - 4 - tail, &d, a, err);
			if (rc) {
				dh_err_set(err, DH_ECHECKFAIL, "segment %u: table %s: %s", seg,
					   dh_table_name(tables[idx]), err->message);
				break;
			}
			if (idx != DH_EAVT)
				continue;
			if (d.v.type == DH_T_REF)
				refs++;
			/* every EAVT entry has its twins with the same record */
			for (int j = 1; j < DH_INDEX__COUNT; j++) {
				int sp;
				if (j == DH_VAET && d.v.type != DH_T_REF)
					continue;
				dh_buf_reset(&k);
				dh_buf_add_u32be(&k, seg);
				put_components(&k, (enum dh_index)j, d.e, d.a, &d.v, 3, &sp);
				if (hist)
					dh_buf_add(&k, kk + kn - TX_BYTES, TX_BYTES);
				const void *tv;
				size_t tn;
				int g = dh_kv_get(txn, tables[j], k.p, k.len, &tv, &tn, err);
				if (g < 0) {
					rc = g;
					break;
				}
				if (g == 1 || tn != vn || memcmp(tv, vv, vn) != 0) {
					rc = dh_err_set(
					    err, DH_ECHECKFAIL,
					    "segment %u: datom [%llu %llu ...] of table %s has no "
					    "matching entry in %s",
					    seg, (unsigned long long)d.e, (unsigned long long)d.a,
					    dh_table_name(tables[idx]), dh_table_name(tables[j]));
					break;
				}
			}
			if (rc)
				break;
		}
		dh_cursor_close(c);
		c = NULL;
		if (rc == 1)
			rc = 0;
	}
	if (rc == 0 && (counts[DH_AEVT] != counts[DH_EAVT] || counts[DH_AVET] != counts[DH_EAVT] ||
			counts[DH_VAET] != refs))
		rc = dh_err_set(err, DH_ECHECKFAIL,
				"segment %u: %s index sizes differ (eavt %llu, aevt %llu, avet %llu, "
				"vaet %llu, refs %llu)",
				seg, hist ? "history" : "live", (unsigned long long)counts[0],
				(unsigned long long)counts[1], (unsigned long long)counts[2],
				(unsigned long long)counts[3], (unsigned long long)refs);
	*entries += counts[0] + counts[1] + counts[2] + counts[3];
	dh_buf_release(&k);
	return rc;
}

int
dh_index_check_segment(struct dh_txn *txn, uint32_t seg, uint64_t *entries, struct dh_err *err)
{
	struct dh_arena a;
	dh_arena_init(&a);
	int rc = check_twins(txn, seg, 0, entries, &a, err);
	if (rc == 0)
		rc = check_twins(txn, seg, 1, entries, &a, err);
	dh_arena_release(&a);
	return rc;
}

/* --- statistics --- */

static int
delta_cmp(const void *x, const void *y)
{
	const struct dh_attr_delta *a = x, *b = y;
	return a->a < b->a ? -1 : a->a > b->a;
}

int
dh_index_count_add(struct dh_txn *txn, uint32_t seg, struct dh_attr_delta *d, size_t n,
		   struct dh_err *err)
{
	qsort(d, n, sizeof(*d), delta_cmp);
	for (size_t i = 0; i < n;) {
		uint64_t a = d[i].a;
		int64_t sum = 0;
		for (; i < n && d[i].a == a; i++)
			sum += d[i].delta;
		if (sum == 0)
			continue;
		unsigned char k[13], val[8];
		const void *old;
		size_t on;
		k[0] = 'C';
		dh_put_u32be(k + 1, seg);
		dh_put_u64be(k + 5, a);
		int rc = dh_kv_get(txn, DH_TBL_META, k, sizeof(k), &old, &on, err);
		if (rc < 0)
			return rc;
		if (rc == 0 && on == 8)
			sum += (int64_t)dh_get_u64be(old);
		dh_put_u64be(val, (uint64_t)sum);
		if ((rc = dh_kv_put(txn, DH_TBL_META, k, sizeof(k), val, 8, 0, err)))
			return rc;
	}
	return 0;
}

/* The slot of attribute a in p: where it is or would go. */
static size_t
pend_find(const struct dh_count_pend *p, uint64_t a)
{
	size_t lo = 0, hi = p->n;
	while (lo < hi) {
		size_t mid = lo + (hi - lo) / 2;
		if (p->d[mid].a < a)
			lo = mid + 1;
		else
			hi = mid;
	}
	return lo;
}

void
dh_index_count_defer(struct dh_count_pend *p, const struct dh_attr_delta *d, size_t n)
{
	for (size_t i = 0; i < n; i++) {
		size_t j = pend_find(p, d[i].a);
		if (j < p->n && p->d[j].a == d[i].a) {
			p->d[j].delta += d[i].delta;
			continue;
		}
		if (p->n == p->cap) {
			p->cap = p->cap ? 2 * p->cap : 16;
			p->d = xrealloc(p->d, p->cap * sizeof(*p->d));
		}
		memmove(p->d + j + 1, p->d + j, (p->n - j) * sizeof(*p->d));
		p->d[j] = d[i];
		p->n++;
	}
}

int
dh_index_count_flush(struct dh_txn *txn, uint32_t seg, struct dh_count_pend *p,
		     struct dh_err *err)
{
	int rc = p->n ? dh_index_count_add(txn, seg, p->d, p->n, err) : 0;
	p->n = 0;
	return rc;
}

int
dh_view_attr_count(struct dh_view *v, uint64_t a, uint64_t *n, struct dh_err *err)
{
	int64_t sum = 0;
	if (v->pend) {
		size_t j = pend_find(v->pend, a);
		if (j < v->pend->n && v->pend->d[j].a == a)
			sum += v->pend->d[j].delta;
	}
	for (int l = 0; l < v->nlayers; l++) {
		unsigned char k[13];
		const void *val;
		size_t vn;
		k[0] = 'C';
		dh_put_u32be(k + 1, v->layers[l].seg);
		dh_put_u64be(k + 5, a);
		int rc = dh_kv_get(v->txn, DH_TBL_META, k, sizeof(k), &val, &vn, err);
		if (rc < 0)
			return rc;
		if (rc == 0 && vn == 8)
			sum += (int64_t)dh_get_u64be(val);
	}
	*n = sum > 0 ? (uint64_t)sum : 0;
	return 0;
}
