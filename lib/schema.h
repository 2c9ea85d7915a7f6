/*
 * schema: attributes are entities; this module reads them out of a view into
 * a cache that maps idents to attributes and back.
 *
 * Calling sequence:
 *   struct dh_schema s; dh_schema_init(&s);
 *   dh_schema_load(&s, view, &err);
 *   a = dh_schema_attr(&s, "person/name", n);  ...
 *   dh_schema_release(&s);
 *
 * The system attributes and enum entities below have fixed ids in every
 * database; they are written by each database's first transaction.
 */
#ifndef DH_SCHEMA_H
#define DH_SCHEMA_H

#include <stdint.h>

#include "datom.h"
#include "index.h"
#include "util.h"

enum {
	DH_A_IDENT = 1,
	DH_A_VALUETYPE,
	DH_A_CARDINALITY,
	DH_A_UNIQUE,
	DH_A_INDEX,
	DH_A_ISCOMPONENT,
	DH_A_NOHISTORY,
	DH_A_DOC,
	DH_A_TXINSTANT,
	DH_A__LAST = DH_A_TXINSTANT,
};
#define DH_E_TYPE(t) (20 + (uint64_t)(t)) /* :db.type/<name> for enum dh_type t */
#define DH_E_CARD_ONE 40
#define DH_E_CARD_MANY 41
#define DH_E_UNIQUE_IDENTITY 42
#define DH_E_UNIQUE_VALUE 43
#define DH_E_FIRST_FREE 64 /* the bootstrap tx; user entities follow */

enum { DH_UNIQUE_NONE, DH_UNIQUE_IDENTITY, DH_UNIQUE_VALUE };

struct dh_attr {
	uint64_t id;
	const char *ident; /* "ns/name", no colon */
	enum dh_type type; /* DH_T_NONE: untyped (schema-on-read) */
	int many;
	int unique;
	int index, component, nohistory;
	const char *doc;
};

struct dh_ident {
	uint64_t e;
	const char *ident;
	struct dh_attr *attr; /* NULL for idents that are not attributes */
};

struct dh_schema {
	struct dh_arena arena;
	struct dh_ident *idents; /* open addressing by ident */
	struct dh_ident **by_e;  /* open addressing by entity id */
	size_t n, cap;
	/* which state this is: a connection's cache gets a new number (from
	 * one process-wide counter) each time it loads, so caches derived
	 * from a schema (SQL's catalog) know when they are stale */
	uint64_t gen;
};

void dh_schema_init(struct dh_schema *s);
void dh_schema_release(struct dh_schema *s);
/* Read every ident and attribute property of view v.  DH_ECORRUPT, DH_EIO. */
int dh_schema_load(struct dh_schema *s, struct dh_view *v, struct dh_err *err);
/* Add or replace an ident (used while a transaction installs attributes). */
struct dh_ident *dh_schema_put(struct dh_schema *s, uint64_t e, const char *ident, size_t n);
const struct dh_ident *dh_schema_ident(const struct dh_schema *s, const char *ident, size_t n);
const struct dh_ident *dh_schema_entity(const struct dh_schema *s, uint64_t e);
/* The attribute named ident, or NULL. */
const struct dh_attr *dh_schema_attr(const struct dh_schema *s, const char *ident, size_t n);
const struct dh_attr *dh_schema_attr_id(const struct dh_schema *s, uint64_t a);
/* The system schema: idents, attributes and their properties as datoms, for
 * the bootstrap transaction.  *out points at static storage. */
size_t dh_schema_bootstrap(const struct dh_datom **out);

#endif
