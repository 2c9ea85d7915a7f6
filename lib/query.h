/*
 * query: Datalog queries (Datahike/Datomic EDN syntax) compiled into plans
 * that the executor (plan.h) runs over snapshots.  SQL (a later module)
 * compiles into the same plans.
 *
 * Calling sequence:
 *   struct dh_arena a;  dh_arena_init(&a);          one per statement
 *   struct dh_query *q;
 *   dh_query_parse(&a, form, text, len, &q, &err);  form read by dh_edn_parse
 *   struct dh_query_env env = { .src = {...}, .nsrc = 1, .in = ..., .nin = ... };
 *   struct dh_result r;
 *   dh_query_run(q, &env, &a, &r, &err);             r lives in a
 *   dh_query_explain(q, &env, &a, &buf, &err);       the plan as text
 *   dh_arena_release(&a);
 *
 * Results are values (datom.h), including DH_T_COLL for pull maps and
 * collection aggregates, and DH_T_NONE for nil.  Entity ids come out as
 * DH_T_LONG (as in Datomic and DataScript, ids are plain integers), attribute
 * variables bind to the attribute's ident keyword.
 *
 * Errors carry err->position (1-based character in text) when a form can be
 * blamed: DH_EBADEDN (malformed query: what was expected), DH_ENOATTR
 * (unknown attribute, 42703), DH_EBADTYPE (type errors in predicates and
 * aggregates, 42804), DH_EUSAGE (wrong inputs), DH_ENOTSUP (0A000),
 * DH_ECANCELED (57014, *env->cancel became non-zero).
 */
#ifndef DH_QUERY_H
#define DH_QUERY_H

#include <signal.h>
#include <stddef.h>

#include "datom.h"
#include "edn.h"
#include "index.h"
#include "schema.h"
#include "util.h"

/* How a result is shaped (the :find spec). */
enum dh_find_shape {
	DH_FIND_REL,    /* [:find ?a ?b]         a set of tuples */
	DH_FIND_COLL,   /* [:find [?a ...]]      a collection of values */
	DH_FIND_TUPLE,  /* [:find [?a ?b]]       one tuple (or nil) */
	DH_FIND_SCALAR, /* [:find ?a .]          one value (or nil) */
};
enum dh_find_keys { DH_KEYS_NONE, DH_KEYS_KEYS, DH_KEYS_STRS, DH_KEYS_SYMS };

struct dh_result {
	enum dh_find_shape shape;
	enum dh_find_keys keys; /* :keys/:strs/:syms: rows print as maps */
	int bag;                /* rows may repeat (a :with query): not a set */
	size_t ncols;
	const char **cols; /* column names: "?x", "(count ?x)", or the :keys names */
	size_t nrows;      /* TUPLE and SCALAR: 0 (nil) or 1 */
	struct dh_value *rows; /* nrows * ncols, row-major */
	uint64_t basis;        /* the tx of the first source's view */
};

/* A database input ($, $before, ...). */
struct dh_source {
	const char *name; /* "$", "$before" */
	struct dh_view *view;
	const struct dh_schema *schema;
};

#define DH_QUERY_MAX_SOURCES 16
struct dh_query_env {
	size_t nsrc;
	struct dh_source src[DH_QUERY_MAX_SOURCES]; /* in :in order */
	/* The non-source inputs in :in order (scalars, tuples, collections,
	 * relations, and the rules form for %), as EDN forms.  Their text (for
	 * error positions) is not part of the query text. */
	size_t nin;
	const struct dh_edn *const *in;
	/* When not NULL, checked while the query runs: non-zero cancels it
	 * (DH_ECANCELED).  Set from a signal handler. */
	volatile sig_atomic_t *cancel;
	/* Opens another source by name for :in $x when a caller supplies it as
	 * an EDN form (e.g. dh-query --in); NULL: such inputs are an error. */
	int (*open_source)(void *ctx, const struct dh_edn *spec, struct dh_source *out,
			   struct dh_err *err);
	void *open_ctx;
};

struct dh_query;

/* Parse a query: a vector [:find ... :in ... :where ...], a map
 * {:find [...] :in [...] :where [...]}, or a standalone (pull ?e pattern)
 * / (pull eid pattern) form.  text[0..len) is the input form was read from
 * (byte offsets in form index into it), for error positions. */
int dh_query_parse(struct dh_arena *a, const struct dh_edn *form, const char *text, size_t len,
		   struct dh_query **out, struct dh_err *err);

/* How many inputs (sources first, then the rest) the :in clause names. */
size_t dh_query_nsources(const struct dh_query *q);
size_t dh_query_ninputs(const struct dh_query *q);
/* Name of the i-th source input ("$" when there is no :in). */
const char *dh_query_source_name(const struct dh_query *q, size_t i);

/* Plan and run q against env.  The result and everything it points to live
 * in arena a. */
int dh_query_run(struct dh_query *q, const struct dh_query_env *env, struct dh_arena *a,
		 struct dh_result *out, struct dh_err *err);

/* Plan q against env and append the plan, one operator per line with its
 * estimated rows and chosen index, to b. */
int dh_query_explain(struct dh_query *q, const struct dh_query_env *env, struct dh_arena *a,
		     struct dh_buf *b, struct dh_err *err);

/* Is form a query (as opposed to tx-data)?  [:find ...], {:find ...} or
 * (pull ...). */
int dh_query_form_is_query(const struct dh_edn *form);

#endif
