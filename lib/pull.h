/*
 * pull: the pull API (Datomic/DataScript pull patterns) over a view.
 *
 * Calling sequence:
 *   struct dh_pull *p;
 *   dh_pull_parse(a, pattern_form, schema, text, len, &p, &err);
 *   for each entity:  dh_pull_entity(view, schema, p, eid, a, &value, &err);
 * or, for many entities through one view (cursors and buffers kept between
 * them, several times faster):
 *   struct dh_puller *pl;
 *   dh_puller_open(view, schema, p, &pl, &err);
 *   for each entity:  dh_puller_pull(pl, eid, a, &value, &err);
 *   dh_puller_close(pl);
 *
 * Patterns: [:attr, :ns/_reverse, *, {:ref-attr sub-pattern},
 * {:ref-attr ...} or {:ref-attr N} (recursion), [:attr :as "name" :limit n
 * :default v] and the list forms (:attr :as x), (limit :attr n),
 * (default :attr v)].  The result is a DH_T_COLL map keyed by attribute
 * keywords (or the :as value): cardinality-many and reverse attributes give
 * vectors (at most :limit items, default 1000; nil limit = no limit); refs
 * give {:db/id N} maps unless a sub-pattern says more; component attributes
 * recurse whole.  Entity ids are DH_T_LONG.  An entity with none
 * of the pattern's attributes pulls as nil (DH_T_NONE), as in DataScript.
 * Errors: DH_EBADEDN (malformed pattern, with position), DH_ENOATTR (an
 * unknown attribute), DH_ENOTSUP (a HISTORY view).
 *
 * Details, following DataScript 1.8 (the oracle) unless said otherwise:
 *   - *, "*" and :* are the wildcard; with it the map has :db/id and every
 *     attribute of the entity (not reverse ones); specs in the pattern
 *     override what * would give for their attribute.  [*] on an entity
 *     without datoms is {:db/id e}, and so is [:db/id]: only an empty map
 *     becomes nil.
 *   - Component attributes (:db/isComponent) recurse whole whether named or
 *     pulled by *; a reverse component attribute gives one map, not a vector.
 *     Plain reverse refs give {:db/id N} maps.  Refs to enum entities (with
 *     :db/ident) are {:db/id N} too.
 *   - {:a ...} and {:a N} repeat the pattern the map is in; a recursive or
 *     component ref to an entity already on the path from the root (the root
 *     itself excepted) gives {:db/id N}; past N levels the ref is left out.
 *     Refs whose sub-pull is nil are left out, and so is an attribute left
 *     with no values.
 *   - The default limit of 1000 applies to reverse refs too, as in Datomic
 *     (DataScript 1.8 leaves them unlimited).  A limit counts the values
 *     kept: refs whose sub-pull is nil do not use it up.
 *   - :limit takes a positive integer or nil; it is an error on a
 *     cardinality-one attribute and :db/id.  DataScript also refuses it on a
 *     reverse attribute whose forward one is cardinality one; here every
 *     reverse attribute takes it (it is ignored on a reverse component).
 *   - :default applies when the attribute has no datoms (nil: no default).
 *     Default values and :as keys are EDN turned into values: symbols become
 *     strings (there is no symbol value type), collections DH_T_COLL.
 *   - Two specs of the same attribute in one pattern: the first wins.  Two
 *     specs giving the same key (by :as): the later value wins.
 *   - Map order: without *, the pattern's order; with *, :db/id, then the
 *     entity's attributes by attribute id, then the pattern's other specs.
 *     Cardinality-many values come in index (value) order, reverse refs in
 *     entity id order.
 */
#ifndef DH_PULL_H
#define DH_PULL_H

#include "datom.h"
#include "edn.h"
#include "index.h"
#include "schema.h"
#include "util.h"

struct dh_pull;

/* Entities nested in one pull result, at most (recursion on a long chain of
 * refs); deeper is DH_ETOOLONG, so results stay within what printers and
 * comparisons (which recurse) can take. */
#define DH_PULL_MAX_DEPTH 10000

/* Compile pattern (a vector form; a list is taken too) against schema s;
 * text[0..len) is the input the form was read from, for error positions
 * (NULL: none).  The compiled pattern lives in arena a and refers to s,
 * which must outlive it.  Errors: DH_EBADEDN (with what was expected),
 * DH_ENOATTR ("attribute :x does not exist"), DH_ETOOLONG (nested deeper
 * than DH_EDN_MAX_DEPTH); err->position is the offending form's. */
int dh_pull_parse(struct dh_arena *a, const struct dh_edn *pattern, const struct dh_schema *s,
		  const char *text, size_t len, struct dh_pull **out, struct dh_err *err);

/* Pull entity e through view v (with the schema the pattern was compiled
 * against).  *out (in arena a, not pointing into the pattern's memory) is a
 * DH_T_COLL map or DH_T_NONE.  Errors: DH_ENOTSUP (a HISTORY view),
 * DH_ETOOLONG (past DH_PULL_MAX_DEPTH), DH_ECORRUPT, DH_EIO. */
int dh_pull_entity(struct dh_view *v, const struct dh_schema *s, const struct dh_pull *p,
		   uint64_t e, struct dh_arena *a, struct dh_value *out, struct dh_err *err);

/* The same for many entities: a puller holds v's cursors open (v and its
 * read transaction must outlive it) and reuses its buffers.  Each result is
 * in the arena of its own call.  Errors of dh_puller_pull: as above;
 * dh_puller_open fails only with DH_ENOTSUP (a HISTORY view). */
struct dh_puller;
int dh_puller_open(struct dh_view *v, const struct dh_schema *s, const struct dh_pull *p,
		   struct dh_puller **out, struct dh_err *err);
int dh_puller_pull(struct dh_puller *pl, uint64_t e, struct dh_arena *a, struct dh_value *out,
		   struct dh_err *err);
void dh_puller_close(struct dh_puller *pl);

#endif
