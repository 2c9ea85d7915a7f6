/*
 * pull: the pull API (Datomic/DataScript pull patterns) over a view.
 *
 * Calling sequence:
 *   struct dh_pull *p;
 *   dh_pull_parse(a, pattern_form, schema, text, len, &p, &err);
 *   for each entity:  dh_pull_entity(view, schema, p, eid, a, &value, &err);
 *
 * Patterns: [:attr, :ns/_reverse, *, {:ref-attr sub-pattern},
 * {:ref-attr ...} or {:ref-attr N} (recursion), [:attr :as "name" :limit n
 * :default v] and the list forms (:attr :as x), (limit :attr n),
 * (default :attr v)].  The result is a DH_T_COLL map keyed by attribute
 * keywords (or the :as value): cardinality-many and reverse attributes give
 * vectors (at most :limit items, default 1000; nil limit = no limit); refs
 * give {:db/id N} maps unless a sub-pattern says more; component attributes
 * pulled by * recurse whole.  Entity ids are DH_T_LONG.  An entity with none
 * of the pattern's attributes pulls as nil (DH_T_NONE), as in DataScript.
 * Errors: DH_EBADEDN (malformed pattern, with position), DH_ENOATTR (an
 * unknown attribute), DH_ENOTSUP (a HISTORY view).
 */
#ifndef DH_PULL_H
#define DH_PULL_H

#include "datom.h"
#include "edn.h"
#include "index.h"
#include "schema.h"
#include "util.h"

struct dh_pull;

/* Compile pattern (a vector form) against schema s; text[0..len) is the
 * input the form was read from, for error positions (NULL: none).  The
 * compiled pattern lives in arena a. */
int dh_pull_parse(struct dh_arena *a, const struct dh_edn *pattern, const struct dh_schema *s,
		  const char *text, size_t len, struct dh_pull **out, struct dh_err *err);

/* Pull entity e through view v.  *out (in arena a) is a DH_T_COLL map or
 * DH_T_NONE. */
int dh_pull_entity(struct dh_view *v, const struct dh_schema *s, const struct dh_pull *p,
		   uint64_t e, struct dh_arena *a, struct dh_value *out, struct dh_err *err);

#endif
