/*
 * index: views of a branch and iteration over its covering indexes.
 *
 * Storage model (see lib/README and dh(7)).  Every branch owns a segment: a
 * 32-bit id that prefixes every key it writes.  A branch's state is a stack of
 * layers, top first: its own segment (no cutoff), then the segments of the
 * branch it was forked from, each cut off at the fork point.  Transaction ids
 * grow across the whole database, so everything in an upper layer is newer
 * than everything visible in a lower one, and for any [e a v] the topmost
 * layer that says anything decides.
 *
 * Per segment, two tables per index:
 *   live  (EAVT, AEVT, AVET, VAET): key seg|components -> from-tx, state.
 *         state 1: asserted since from-tx.  state 0: a tombstone: retracted at
 *         from-tx although a lower layer still asserts it.
 *   hist  (HEAVT, ...): key seg|components|~from-tx -> to-tx, state: a closed
 *         period [from, to) of that state, moved here when it ended.
 * Current reads of a branch's own segment touch only the live tables; reads
 * as of an earlier tx, and reads of lower layers, also seek the newest
 * period starting at or before the cutoff.  Components per index:
 *   EAVT e a v   AEVT a e v   AVET a v e   VAET v a e (refs only)
 * with e, a and refs as 8-byte big-endian and v in datom.h's encoding.
 *
 * Calling sequence:
 *   struct dh_view v;  filled by dh_conn_view() (db.c)
 *   dh_iter_open(&v, DH_EAVT, &pattern, ncomponents, arena, &it, &err);
 *   while ((rc = dh_iter_next(it, &datom)) == 1) ...;
 *   dh_iter_close(it);
 */
#ifndef DH_INDEX_H
#define DH_INDEX_H

#include <stdint.h>

#include "datom.h"
#include "store.h"
#include "util.h"

#define DH_MAX_LAYERS 64
#define DH_TX_MAX UINT64_MAX

enum dh_index { DH_EAVT, DH_AEVT, DH_AVET, DH_VAET, DH_INDEX__COUNT };
const char *dh_index_name(enum dh_index i);
int dh_index_from_name(const char *s, enum dh_index *out); /* 0 or DH_EUSAGE */

enum dh_view_mode {
	DH_VIEW_CURRENT, /* the state at the view's tx */
	DH_VIEW_SINCE,   /* current datoms asserted after `since` */
	DH_VIEW_HISTORY, /* every assertion and retraction up to the view's tx */
};

struct dh_layer {
	uint32_t seg;
	uint64_t cutoff; /* newest tx visible in this layer; DH_TX_MAX: all */
};

struct dh_count_pend;
struct dh_view {
	struct dh_txn *txn; /* borrowed */
	/* a write txn's attribute counts not yet in META (borrowed; NULL) */
	const struct dh_count_pend *pend;
	uint32_t dbid;
	enum dh_view_mode mode;
	uint64_t since;
	uint64_t basis; /* newest tx visible in the view */
	int nlayers;
	struct dh_layer layers[DH_MAX_LAYERS];
};

/* Restrict a view to txs <= t (as-of).  Layers entirely above t keep their
 * place with cutoff t (they hold nothing older), so the stack shape is kept. */
void dh_view_as_of(struct dh_view *v, uint64_t t);

/* Is [e a v] asserted in the view?  Returns 1 (and *from: the tx that
 * asserted it, if from != NULL), 0, or an error.  Only CURRENT semantics. */
int dh_view_has(struct dh_view *v, uint64_t e, uint64_t a, const struct dh_value *val,
		uint64_t *from, struct dh_err *err);

struct dh_iter;
/* Iterate datoms of index idx whose first ncomp components (in the index's
 * order) equal those of pattern (e, a, v fields; for VAET, v is the ref).
 * Datoms come in index order; in HISTORY mode each [e a v] yields its
 * assertions and retractions in tx order.  Values are decoded into arena a
 * (spilled values fetched whole).  Errors: DH_ECORRUPT, DH_EIO, DH_EUSAGE. */
int dh_iter_open(struct dh_view *v, enum dh_index idx, const struct dh_datom *pattern, int ncomp,
		 struct dh_arena *a, struct dh_iter **out, struct dh_err *err);
/* The same backwards: datoms in reverse index order (not in HISTORY mode:
 * DH_EUSAGE).  dh_iter_seek does not apply to it. */
int dh_iter_open_rev(struct dh_view *v, enum dh_index idx, const struct dh_datom *pattern,
		     int ncomp, struct dh_arena *a, struct dh_iter **out, struct dh_err *err);
/* Re-position an open iterator on a new pattern of the same index, reusing
 * its cursors (cheaper than close + open for many lookups).  With from not
 * NULL, start at the first datom whose value component, the one after the
 * ncomp prefix components, is >= *from (only where that component is the
 * value: AVET with ncomp 1, EAVT and AEVT with ncomp 2); iteration still
 * ends at the end of the prefix.  Errors as dh_iter_open. */
int dh_iter_seek(struct dh_iter *it, const struct dh_datom *pattern, int ncomp,
		 const struct dh_value *from, struct dh_err *err);
/* The same, starting after the datoms whose value is *past (for hopping
 * from one distinct value to the next, as the planner's statistics do). */
int dh_iter_seek_past(struct dh_iter *it, const struct dh_datom *pattern, int ncomp,
		      const struct dh_value *past, struct dh_err *err);
/* 1: *d filled; 0: end; < 0: error. */
int dh_iter_next(struct dh_iter *it, struct dh_datom *d, struct dh_err *err);
void dh_iter_close(struct dh_iter *it);

/* --- the write side (tx.c) --- */
/* Assert or retract [e a v] at tx in layer 0 of v (the branch's own segment),
 * keeping live and hist tables right.  The caller has checked that the
 * operation changes the view (assert: not visible; retract: visible).
 * keep_history: 0 for :db/noHistory attributes.  is_ref: write VAET. */
int dh_index_write(struct dh_view *v, uint64_t e, uint64_t a, const struct dh_value *val,
		   uint64_t tx, int added, int keep_history, struct dh_err *err);

/* --- statistics for the query planner ---
 * Per segment and attribute, META holds "C" seg(4) a(8) -> the net number of
 * datoms of a the segment's txs asserted (int64, may be negative in a branch
 * that retracted its parent's datoms).  dh_index_count_add applies deltas
 * (sorted by attribute or not) at the end of a tx; dh_view_attr_count sums
 * the layers of a view: exact for a branch's current state, an estimate for
 * as-of views (it ignores cutoffs). */
struct dh_attr_delta {
	uint64_t a;
	int64_t delta;
};
int dh_index_count_add(struct dh_txn *txn, uint32_t seg, struct dh_attr_delta *d, size_t n,
		       struct dh_err *err);
/* A write txn keeps its statements' deltas in memory (one META update per
 * attribute at commit, not per statement): dh_index_count_defer adds to
 * them, dh_index_count_flush writes and empties them; a view whose pend
 * points at them counts them in layer 0. */
struct dh_count_pend {
	struct dh_attr_delta *d; /* sorted by attribute */
	size_t n, cap;
};
void dh_index_count_defer(struct dh_count_pend *p, const struct dh_attr_delta *d, size_t n);
int dh_index_count_flush(struct dh_txn *txn, uint32_t seg, struct dh_count_pend *p,
			 struct dh_err *err);
int dh_view_attr_count(struct dh_view *v, uint64_t a, uint64_t *n, struct dh_err *err);

/* Encoded key components of a datom for index idx, after the segment prefix.
 * Spilled values: *spilled set; the caller stores the whole value. */
int dh_index_key(struct dh_buf *b, enum dh_index idx, uint64_t e, uint64_t a,
		 const struct dh_value *v, int *spilled);

/* Check every index of every segment of one branch view for consistency:
 * each live EAVT entry has its AEVT/AVET (and VAET) twins and the reverse,
 * keys decode, periods are well formed.  Returns 0 or DH_ECHECKFAIL with the
 * first problem in err; *entries counts entries checked. */
int dh_index_check_segment(struct dh_txn *txn, uint32_t seg, uint64_t *entries,
			   struct dh_err *err);

#endif
