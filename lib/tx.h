/*
 * tx: transactions.  EDN tx-data in, datoms out, all or nothing, inside one
 * LMDB write transaction.  The public entry points are dh_transact() and
 * dh_transact_text() in dh.h; this header is for the test tool.
 *
 * Semantics follow Datomic: every lookup (lookup refs, upserts, cas,
 * implicit retractions) sees the database as it was before the transaction;
 * an attribute must be installed by an earlier transaction than the one that
 * uses it; a transaction that would both assert and retract one datom, or
 * assert two values of a cardinality-one attribute of one entity, fails.
 */
#ifndef DH_TX_H
#define DH_TX_H

#include "dh.h"

/* Map an EDN form of an entity id, keyword ident, or value to a value of the
 * attribute's type; exposed for \datoms component parsing in the shell.
 * type DH_T_NONE infers from the form.  DH_EBADTYPE, DH_EBADVALUE. */
int dh_tx_value(const struct dh_edn *x, enum dh_type type, struct dh_arena *a,
		struct dh_value *out, struct dh_err *err);

#endif
