/*
 * query-int: the parts of the query engine shared by its files.
 *
 *   query.c   Datalog text (EDN forms) -> struct dh_query (clauses, terms)
 *   qexec.c   planner and executor: relations, index scans, joins, or/not,
 *             rules (semi-naive), aggregation, find shapes
 *   qfn.c     built-in predicates, functions and aggregates
 *
 * The executor works on one relation at a time: a table of rows of values
 * over a list of variables.  A clause list (the :where, a rule body, an or
 * branch) is planned greedily from a seed relation: each step picks the
 * clause that is ready (its required variables bound) and cheapest by
 * estimates read from the indexes, so a cartesian product is built only
 * when the query itself is disconnected.  SQL compiles into the same
 * relations and steps.
 */
#ifndef DH_QUERY_INT_H
#define DH_QUERY_INT_H

#include "query.h"

#define Q_MAXVARS 1024
struct vset {
	uint64_t w[Q_MAXVARS / 64];
};
static inline void vs_add(struct vset *s, int v) { s->w[v >> 6] |= (uint64_t)1 << (v & 63); }
static inline int vs_has(const struct vset *s, int v) { return (s->w[v >> 6] >> (v & 63)) & 1; }

/* A variable namespace: the query's, or one rule body's. */
struct scope {
	int nvars, cap;
	const char **names;
};

enum tkind { TK_VAR, TK_CONST, TK_BLANK };
struct term {
	enum tkind k;
	int var;                    /* TK_VAR */
	const struct dh_edn *form;  /* TK_CONST: the form; always: for positions */
	struct dh_value val;        /* TK_CONST: generic value of the form */
};

enum ckind { CK_PAT, CK_PRED, CK_FN, CK_NOT, CK_OR, CK_AND, CK_RULE };
enum bkind { BK_SCALAR, BK_TUPLE, BK_COLL, BK_REL };

struct clause {
	enum ckind k;
	const struct dh_edn *form;
	int src;  /* source index into the query's sources */
	int nt;
	struct term *t; /* pattern terms (e a v tx added) / fn args / rule args */
	int fn;         /* built-in id (qfn.c) */
	const char *name; /* fn or rule name */
	enum bkind bk;    /* CK_FN binding */
	int nb;
	int *bv; /* binding vars, -1 for _ */
	int njoin, nreq;
	int *join; /* not-join / or-join vars (required ones first) */
	int explicit_join;
	int nsub;
	struct clause **sub; /* NOT: body; OR: branches (each one clause, CK_AND for several) */
	struct vset vars;    /* every variable the clause mentions */
	/* SQL's clauses: a callback in place of the built-in fn (CK_PRED keeps
	 * a row when it returns BOOL true; CK_FN binds bv[0] to its result),
	 * and nullable: a NONE result binds (SQL's NULL) instead of dropping
	 * the row.  form may be NULL for clauses built without text. */
	int (*cb)(void *ctx, int nargs, const struct dh_value *args, struct dh_value *out,
		  struct dh_err *err);
	void *cbctx;
	int nullable;
	/* a pattern [?e A v] on a card-one attribute may offer the value of
	 * A on a bound entity from the caller's copy (SQL's row cache), in
	 * place of an index seek: 1 with *v (NONE when e has no A), 0 when
	 * it has none at hand, or an error.  Not used for history views or
	 * patterns that read tx or added. */
	int (*eread)(void *ctx, uint64_t e, struct dh_value *v, struct dh_err *err);
	void *ectx;
};

struct rule_body {
	struct scope sc;
	int nhead, nreq;
	int *head; /* head vars in the body's scope */
	int ncl;
	struct clause **cl;
	const struct dh_edn *form;
};
struct rule {
	const char *name;
	int nargs, nbodies;
	struct rule_body *b;
	int scc;       /* strongly connected component id */
	int recursive; /* its SCC has a cycle */
};

enum fekind { FE_VAR, FE_AGG, FE_PULL };
struct find_elem {
	enum fekind k;
	int var;
	int agg;            /* aggregate id (qfn.c) */
	int has_n;          /* (min 3 ?x) */
	int64_t n;
	int src;            /* FE_PULL: source */
	const struct dh_edn *pattern; /* FE_PULL */
	const struct dh_edn *form;
	const char *label;
};

enum inkind { IN_SRC, IN_RULES, IN_SCALAR, IN_TUPLE, IN_COLL, IN_REL, IN_BLANK };
struct input {
	enum inkind k;
	int nv;
	int *vars; /* -1 for _ */
	const char *name;
	const struct dh_edn *form;
};

struct dh_query {
	const char *text;
	size_t len;
	struct scope sc;
	enum dh_find_shape shape;
	enum dh_find_keys keys;
	int nfind;
	struct find_elem *find;
	const char **keynames;
	int nwith;
	int *with;
	int nin;
	struct input *in;
	int has_in; /* an explicit :in (else inputs given are not for it) */
	int nsrcnames;
	const char *srcnames[DH_QUERY_MAX_SOURCES];
	int ncl;
	struct clause **where;
	/* rules: parsed at run time from the % input */
	int nrules;
	struct rule *rules;
	/* a standalone (pull eid pattern) */
	const struct dh_edn *pull_eid, *pull_pattern;
	struct dh_arena *a;
	/* set by SQL: the rows are distinct on the found variables (each is
	 * a distinct combination of row identities, which determine every
	 * other variable), so the projection needs no dedupe */
	int distinct_rows;
	/* set by SQL with distinct_rows: the result's rows are row_w values
	 * wide, find element i at row_pos[i] (-1: not kept), the rest NONE
	 * (its slots).  qexec sets row_w to 0 when it returned the usual
	 * layout instead. */
	int row_w;
	const int *row_pos;
};

/* query.c */
int q_err(struct dh_query *q, struct dh_err *err, int code, const struct dh_edn *at,
	  const char *fmt, ...) DH_PRINTF(5, 6);
int q_edn_value(struct dh_arena *a, const struct dh_edn *x, struct dh_value *out,
		struct dh_err *err);
int q_parse_rules(struct dh_query *q, const struct dh_edn *form, struct dh_err *err);
int q_var(struct scope *sc, struct dh_arena *a, const char *name, size_t n);

/* qfn.c: built-ins.  Ids are >= 0; -1 unknown. */
enum { FN_PRED = 1, FN_FUNC = 2, FN_NEEDS_SRC = 4 };
int q_fn_lookup(const char *name, size_t n, unsigned *flags);
const char *q_fn_name(int fn);
struct qsrc;
/* Call fn on args; *out is the result (DH_T_NONE: nil / no binding); for
 * predicates *out is a BOOL. */
struct qfn_ctx {
	struct dh_arena *a;
	struct dh_err *err;
	struct dh_view *view; /* for get-else & co */
	const struct dh_schema *schema;
	struct dh_query *q;
	const struct dh_edn *form;
};
int q_fn_call(struct qfn_ctx *c, int fn, int nargs, const struct dh_value *args,
	      struct dh_value *out);
int q_truthy(const struct dh_value *v);

int q_agg_lookup(const char *name, size_t n);
const char *q_agg_name(int agg);
/* Aggregate vals[0..n) (in any order; may be reordered). */
int q_agg_call(struct qfn_ctx *c, int agg, int has_n, int64_t an, struct dh_value *vals, size_t n,
	       struct dh_value *out);

/* Compare for predicates: numbers across types, else same type only;
 * DH_EDATATYPE when incomparable.  *cmp set. */
int q_compare(struct qfn_ctx *c, const struct dh_value *x, const struct dh_value *y, int *cmp);
uint64_t q_value_hash(const struct dh_value *v);

#endif
