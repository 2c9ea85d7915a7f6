/*
 * sqltype-pg: the differential test of lib/sqltype against a real
 * PostgreSQL.  Usage: sqltype-pg CONNINFO [--catalog] FILE...
 *
 * Each line of a case file (t/sqltype/README has the format) is an SQL
 * expression over literals, casts, operators and function calls, such as
 *     '1.50'::numeric * 2::int4
 * It is evaluated twice: by PostgreSQL (SELECT expr, over libpq, in text
 * and in binary result format) and here, by a small evaluator that parses
 * the same expression and calls sqltype's input functions, casts,
 * operators and functions.  The case passes when both give the same result
 * type and typmod, the same text, the same binary form, and sqltype's
 * binary input reads PostgreSQL's bytes back to the same text; or when both
 * fail with the same SQLSTATE, message and detail.  Nothing PostgreSQL
 * answers is written down anywhere: PostgreSQL is the oracle.
 *
 * "type: T" lines check a type name instead: PostgreSQL's type OID, typmod
 * and format_type for NULL::T against dh_sqltype_parse_text and
 * dh_sqltype_format.  --catalog adds checks of sqltype's catalog tables
 * against pg_type, pg_cast, pg_operator and pg_proc.  --random-floats N
 * compares the text of N * 500 random float8 and float4 values each;
 * --random-numeric N evaluates N * 200 random numeric expressions.
 *
 * Output is TAP, one test per case.
 */
#include <ctype.h>
#include <errno.h>
#include <inttypes.h>
#include <math.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <libpq-fe.h>

#include "sqlarray.h"
#include "sqltime.h"
#include "sqltype.h"

static PGconn *conn;
static int ntest, nfail;
static struct dh_sqlenv env = DH_SQLENV_INIT;
static struct dh_sqltime_settings tset; /* env.time */
static struct dh_sqltime_tz *cur_tz;

/* --- what one side produced --- */
struct outcome {
	int error;
	char sqlstate[6];
	char message[1024];
	char detail[1024];
	uint32_t type;
	int32_t typmod;
	int isnull;
	char *text;	    /* malloc'd */
	unsigned char *bin; /* malloc'd */
	size_t binlen;
	char *recv_text; /* dh only: recv(PostgreSQL's binary) -> out */
};

static void
outcome_free(struct outcome *o)
{
	free(o->text);
	free(o->bin);
	free(o->recv_text);
	memset(o, 0, sizeof(*o));
}

/* --- PostgreSQL --- */

static void
pg_error(PGresult *r, struct outcome *o)
{
	const char *s;
	o->error = 1;
	s = PQresultErrorField(r, PG_DIAG_SQLSTATE);
	snprintf(o->sqlstate, sizeof(o->sqlstate), "%s", s ? s : "?????");
	s = PQresultErrorField(r, PG_DIAG_MESSAGE_PRIMARY);
	snprintf(o->message, sizeof(o->message), "%s", s ? s : PQresultErrorMessage(r));
	s = PQresultErrorField(r, PG_DIAG_MESSAGE_DETAIL);
	snprintf(o->detail, sizeof(o->detail), "%s", s ? s : "");
}

static void
pg_eval(const char *expr, struct outcome *o)
{
	char *sql;
	size_t n = strlen(expr) + 16;
	PGresult *r;
	memset(o, 0, sizeof(*o));
	sql = malloc(n);
	snprintf(sql, n, "SELECT %s", expr);
	r = PQexecParams(conn, sql, 0, NULL, NULL, NULL, NULL, 0);
	if (PQresultStatus(r) != PGRES_TUPLES_OK) {
		pg_error(r, o);
		goto out;
	}
	o->type = PQftype(r, 0);
	o->typmod = PQfmod(r, 0);
	o->isnull = PQgetisnull(r, 0, 0);
	if (!o->isnull)
		o->text = strdup(PQgetvalue(r, 0, 0));
	PQclear(r);
	r = PQexecParams(conn, sql, 0, NULL, NULL, NULL, NULL, 1);
	if (PQresultStatus(r) == PGRES_TUPLES_OK && !o->isnull) {
		o->binlen = (size_t)PQgetlength(r, 0, 0);
		o->bin = malloc(o->binlen + 1);
		memcpy(o->bin, PQgetvalue(r, 0, 0), o->binlen);
	}
out:
	PQclear(r);
	free(sql);
}

/* --- the evaluator --- */

struct val {
	uint32_t type;
	int32_t typmod;
	struct dh_value v;
	int unknown;	 /* an untyped string literal: v is its text */
	int numconst;	 /* a numeric literal (for folding a leading minus) */
	const char *lit; /* the literal's text (numconst) */
};

struct parser {
	const char *s, *p;
	struct dh_arena *a;
	struct dh_err *err;
	int failed; /* err is set */
	int syntax; /* the evaluator could not parse: not comparable */
	char why[256];
};

static void
skipws(struct parser *ps)
{
	while (*ps->p && isspace((unsigned char)*ps->p))
		ps->p++;
}

static int
peek(struct parser *ps, const char *tok)
{
	skipws(ps);
	return strncmp(ps->p, tok, strlen(tok)) == 0;
}

static int
peekword(struct parser *ps, const char *w)
{
	size_t n = strlen(w);
	skipws(ps);
	return strncasecmp(ps->p, w, n) == 0 && !isalnum((unsigned char)ps->p[n]) &&
	       ps->p[n] != '_';
}

static void
synerr(struct parser *ps, const char *fmt, ...)
{
	va_list ap;
	if (ps->failed || ps->syntax)
		return;
	va_start(ap, fmt);
	vsnprintf(ps->why, sizeof(ps->why), fmt, ap);
	va_end(ap);
	ps->syntax = 1;
}

static int
bad(struct parser *ps)
{
	return ps->failed || ps->syntax;
}

#define MAXARGS 16 /* of a call */

static const char *opchars = "+-*/<>=~!@#%^&|`?";

static int
read_op(struct parser *ps, char *op, size_t cap)
{
	size_t n = 0;
	skipws(ps);
	while (ps->p[n] && strchr(opchars, ps->p[n]) && n < cap - 1)
		n++;
	/* PostgreSQL: a multi-char operator cannot end in + or - unless it
	 * contains one of ~ ! @ # % ^ & | ` ? */
	while (n > 1 && (ps->p[n - 1] == '+' || ps->p[n - 1] == '-')) {
		int special = 0;
		for (size_t i = 0; i < n; i++)
			if (strchr("~!@#%^&|`?", ps->p[i]))
				special = 1;
		if (special)
			break;
		n--;
	}
	memcpy(op, ps->p, n);
	op[n] = '\0';
	return (int)n;
}

static struct val parse_expr(struct parser *ps);

static struct val
none_val(void)
{
	struct val v;
	memset(&v, 0, sizeof(v));
	v.typmod = -1;
	return v;
}

static void
fail_from(struct parser *ps, int rc)
{
	if (!ps->failed && !ps->syntax) {
		ps->failed = 1;
		if (rc != DH_ESQL && ps->err->sqlstate[0] == '\0')
			snprintf(ps->err->sqlstate, sizeof(ps->err->sqlstate), "%s",
				 dh_sqlstate(rc));
	}
}

/* Resolve an unknown literal to type t (input function, typmod -1). */
static int
resolve_unknown(struct parser *ps, struct val *v, uint32_t t)
{
	struct dh_value out;
	int rc;
	if (!v->unknown)
		return 0;
	if (v->v.type == DH_T_NONE) {
		v->type = t;
		v->unknown = 0;
		return 0;
	}
	rc = dh_sqltype_in(t, -1, v->v.s.p, v->v.s.n, &env, ps->a, &out, ps->err);
	if (rc) {
		fail_from(ps, rc);
		return rc;
	}
	v->v = out;
	v->type = t;
	v->typmod = -1;
	v->unknown = 0;
	return 0;
}

static int
is_array_type(uint32_t t)
{
	const struct dh_sqltype *ty = dh_sqltype_by_oid(t);
	return ty && ty->elem != 0;
}

static int
is_poly(uint32_t t)
{
	return t == DH_OID_ANYARRAY || t == DH_OID_ANYCOMPATIBLEARRAY || t == DH_OID_ANYELEMENT ||
	       t == DH_OID_ANYCOMPATIBLE || t == DH_OID_ANYNONARRAY || t == DH_OID_ANY;
}

static int
is_poly_array(uint32_t t)
{
	return t == DH_OID_ANYARRAY || t == DH_OID_ANYCOMPATIBLEARRAY;
}

/* Can an argument of type have become type want implicitly? 2 exact,
 * 1 implicitly (or a polymorphic match), 0 not. */
static int
arg_match(const struct val *v, uint32_t want)
{
	struct dh_sqlcast c;
	if (v->unknown)
		return want == DH_OID_ANYNONARRAY ? 0 : 1;
	if (v->type == want)
		return 2;
	if (want == DH_OID_ANYNONARRAY)
		return is_array_type(v->type) ? 0 : 1;
	if (is_poly_array(want))
		return is_array_type(v->type);
	if (is_poly(want))
		return 1;
	if (dh_sqlcast_find(v->type, want, &c) && c.context == DH_CAST_IMPLICIT)
		return 1;
	return 0;
}

static int
is_preferred(uint32_t t)
{
	const struct dh_sqltype *ty = dh_sqltype_by_oid(t);
	return ty && ty->preferred;
}

/* Convert argument v to the candidate's type want (implicit cast). */
static int
coerce_arg(struct parser *ps, struct val *v, uint32_t want)
{
	struct dh_value out;
	int rc;
	if (want == DH_OID_ANYNONARRAY) {
		if (v->unknown)
			return resolve_unknown(ps, v, DH_OID_TEXT);
		return 0;
	}
	if (v->unknown)
		return resolve_unknown(ps, v, want);
	if (v->type == want)
		return 0;
	rc = dh_sqlcast_value(v->type, v->typmod, want, -1, 0, &v->v, &env, ps->a, &out, ps->err);
	if (rc) {
		fail_from(ps, rc);
		return rc;
	}
	v->v = out;
	v->type = want;
	v->typmod = -1;
	return 0;
}

/* PostgreSQL's candidate selection (func_select_candidate), simplified:
 * an unknown next to a known argument tries the known type first; then the
 * candidates that take the arguments (implicit casts), those with the most
 * exact matches, the most preferred types where coercion is needed, and
 * for unknown arguments the string category, else the one category all
 * candidates agree on (its preferred type if there is one). */
struct cand {
	int nargs;
	const uint32_t *args;
	const void *ptr;
};

static char
category(uint32_t t)
{
	const struct dh_sqltype *ty = dh_sqltype_by_oid(t);
	if (t == DH_OID_ANYARRAY || t == DH_OID_ANYCOMPATIBLEARRAY)
		return 'A';
	return ty ? ty->category : 'X';
}

static int is_poly(uint32_t t);
static int is_poly_array(uint32_t t);

/* the element type the polymorphic arguments agree on, or none (the
 * anyarray's element and the anyelement's type differ: array || array is
 * not array_append) */
static int
poly_consistent(const uint32_t *want, const struct val *args, int nargs)
{
	uint32_t elem = 0;
	for (int k = 0; k < nargs; k++) {
		uint32_t e;
		if (args[k].unknown || !is_poly(want[k]) || want[k] == DH_OID_ANY)
			continue;
		if (is_poly_array(want[k])) {
			const struct dh_sqltype *t = dh_sqltype_by_oid(args[k].type);
			e = t ? t->elem : 0;
		} else {
			e = args[k].type;
		}
		if (elem && e != elem)
			return 0;
		elem = e;
	}
	return 1;
}

static int
choose(struct cand *cs, int nc, struct val *args, int nargs)
{
	int keep[64], nk = 0, best = -1, next;
	if (nc > 64)
		nc = 64;
	/* an unknown next to a known argument: try the known type first */
	if (nargs == 2 && (args[0].unknown != args[1].unknown)) {
		uint32_t k = args[0].unknown ? args[1].type : args[0].type;
		for (int i = 0; i < nc; i++)
			if (cs[i].args[0] == k && cs[i].args[1] == k)
				return i;
	}
	for (int i = 0; i < nc; i++) {
		int ok = 1;
		for (int k = 0; k < nargs && ok; k++)
			ok = arg_match(&args[k], cs[i].args[k]) != 0;
		if (ok && poly_consistent(cs[i].args, args, nargs))
			keep[nk++] = i;
	}
	if (nk <= 1)
		return nk ? keep[0] : -1;
	/* most exact matches, then most preferred types */
	for (int pass = 0; pass < 2 && nk > 1; pass++) {
		int score[64], top = -1;
		for (int j = 0; j < nk; j++) {
			int sc = 0;
			for (int k = 0; k < nargs; k++) {
				uint32_t w = cs[keep[j]].args[k];
				if (pass == 0 && !args[k].unknown && args[k].type == w)
					sc++;
				if (pass == 1 && (args[k].unknown || args[k].type != w) &&
				    is_preferred(w))
					sc++;
			}
			score[j] = sc;
			if (sc > top)
				top = sc;
		}
		next = 0;
		for (int j = 0; j < nk; j++)
			if (score[j] == top)
				keep[next++] = keep[j];
		nk = next;
	}
	/* unknown arguments: the string category wins, else a category the
	 * candidates share, preferring its preferred type */
	for (int k = 0; k < nargs && nk > 1; k++) {
		char cat = 0;
		int conflict = 0, have_s = 0, have_pref = 0;
		if (!args[k].unknown)
			continue;
		for (int j = 0; j < nk; j++) {
			char c = category(cs[keep[j]].args[k]);
			if (c == 'S')
				have_s = 1;
			if (cat && c != cat)
				conflict = 1;
			cat = c;
		}
		if (have_s)
			cat = 'S';
		else if (conflict)
			continue;
		for (int j = 0; j < nk; j++)
			if (category(cs[keep[j]].args[k]) == cat &&
			    is_preferred(cs[keep[j]].args[k]))
				have_pref = 1;
		next = 0;
		for (int j = 0; j < nk; j++) {
			uint32_t w = cs[keep[j]].args[k];
			if (category(w) == cat && (!have_pref || is_preferred(w)))
				keep[next++] = keep[j];
		}
		if (next)
			nk = next;
	}
	if (nk == 1)
		best = keep[0];
	else
		best = -2;
	return best;
}

/* The concrete types of a polymorphic call (enforce_generic_type_consistency,
 * simplified): the element type comes from the first known anyarray or
 * anyelement argument; want[] and *result are made concrete. */
static int
resolve_poly(struct parser *ps, const struct val *args, int nargs, uint32_t *want, uint32_t *result)
{
	uint32_t elem = 0;
	const struct dh_sqltype *t;
	for (int k = 0; k < nargs && !elem; k++) {
		if (args[k].unknown || !is_poly(want[k]) || want[k] == DH_OID_ANY)
			continue;
		if (is_poly_array(want[k])) {
			t = dh_sqltype_by_oid(args[k].type);
			elem = t ? t->elem : 0;
		} else {
			elem = args[k].type;
		}
	}
	for (int k = 0; k < nargs; k++) {
		if (want[k] == DH_OID_ANY)
			want[k] = args[k].unknown ? DH_OID_TEXT : args[k].type;
		else if (is_poly(want[k]) && !elem) {
			fail_from(ps, dh_err_sql(ps->err, "42804",
						 "could not determine polymorphic type because "
						 "input has type unknown"));
			return -1;
		} else if (is_poly_array(want[k]))
			want[k] = dh_sqltype_by_oid(elem)->array;
		else if (is_poly(want[k]))
			want[k] = elem;
	}
	if (is_poly_array(*result))
		*result = elem ? dh_sqltype_by_oid(elem)->array : 0;
	else if (is_poly(*result))
		*result = elem;
	if (!*result)
		return synerr(ps, "could not determine the result type"), -1;
	return 0;
}

static struct val
apply_fn(struct parser *ps, dh_sqlfn fn, uint32_t result, struct val *args, int nargs,
	 const uint32_t *want_, int nonstrict, uint32_t variadic, int nfixed)
{
	struct val r = none_val();
	struct dh_value argv[MAXARGS];
	uint32_t types[MAXARGS], want[MAXARGS];
	struct dh_sqlcall c;
	int rc, n = nargs;
	memcpy(want, want_, (size_t)nargs * sizeof(want[0]));
	if (resolve_poly(ps, args, nargs, want, &result))
		return r;
	for (int k = 0; k < nargs; k++) {
		if (coerce_arg(ps, &args[k], want[k]))
			return r;
		argv[k] = args[k].v;
		types[k] = args[k].type;
	}
	if (variadic && variadic != DH_OID_ANY) {
		/* the trailing arguments become one array */
		struct dh_value arr;
		if (dh_array_construct(argv + nfixed, (size_t)(nargs - nfixed), 0, ps->a, &arr,
				       ps->err)) {
			fail_from(ps, DH_ESQL);
			return r;
		}
		argv[nfixed] = arr;
		types[nfixed] = dh_sqltype_by_oid(variadic)->array;
		n = nfixed + 1;
	}
	c = (struct dh_sqlcall){ps->a, ps->err, &env, n, types, result};
	rc = nonstrict ? fn(&c, argv, &r.v) : dh_sqlfn_call(fn, &c, argv, &r.v);
	if (rc) {
		fail_from(ps, rc);
		return r;
	}
	r.type = result;
	return r;
}

static struct val
apply_op(struct parser *ps, const char *name, struct val *l, struct val *rt)
{
	struct cand cs[64];
	const struct dh_sqlop *ops[64], *o = NULL;
	struct val args[2];
	int nc = 0, nargs = l ? 2 : 1, i;
	if (bad(ps))
		return none_val();
	if (l)
		args[0] = *l;
	args[nargs - 1] = *rt;
	while ((o = dh_sqlop_next(name, o)) && nc < 64) {
		if ((o->left == 0) != (l == NULL))
			continue;
		ops[nc] = o;
		cs[nc].nargs = nargs;
		cs[nc].args = l ? &o->left : &o->right;
		nc++;
	}
	/* the operand types are contiguous in struct dh_sqlop: left, right */
	i = choose(cs, nc, args, nargs);
	if (i < 0) {
		synerr(ps, "no operator %s for these types", name);
		return none_val();
	}
	return apply_fn(ps, ops[i]->fn, ops[i]->result, args, nargs, cs[i].args, ops[i]->nonstrict,
			0, nargs);
}

/* the argument types a call of nargs makes of p (defaults left out,
 * variadics spread); 0 if it cannot take nargs */
static int
proc_args(const struct dh_sqlproc *p, int nargs, uint32_t *out)
{
	if (p->variadic) {
		if (nargs < p->nargs)
			return 0;
		for (int k = 0; k < nargs; k++)
			out[k] = k < p->nargs - 1 ? p->args[k] : p->variadic;
		return 1;
	}
	if (nargs > p->nargs || nargs < p->nargs - p->ndefaults)
		return 0;
	memcpy(out, p->args, (size_t)nargs * sizeof(out[0]));
	return 1;
}

static struct val
apply_proc(struct parser *ps, const char *name, struct val *args, int nargs)
{
	struct cand cs[64];
	const struct dh_sqlproc *ps_[64], *p = NULL;
	uint32_t wants[64][MAXARGS];
	int nc = 0, i;
	while ((p = dh_sqlproc_next(name, p)) && nc < 64) {
		const struct dh_sqlproc *q = NULL;
		int shadowed = 0;
		if (!proc_args(p, nargs, wants[nc]))
			continue;
		/* a variadic form that expands to a plain function's arguments
		 * gives way to it (FuncnameGetCandidates) */
		while (p->variadic && !shadowed && (q = dh_sqlproc_next(name, q)))
			shadowed =
			    !q->variadic && q->nargs == nargs &&
			    memcmp(q->args, wants[nc], (size_t)nargs * sizeof(uint32_t)) == 0;
		if (shadowed)
			continue;
		ps_[nc] = p;
		cs[nc].nargs = nargs;
		cs[nc].args = wants[nc];
		nc++;
	}
	i = choose(cs, nc, args, nargs);
	if (i < 0) {
		synerr(ps, "no function %s for these types", name);
		return none_val();
	}
	return apply_fn(ps, ps_[i]->fn, ps_[i]->result, args, nargs, wants[i], ps_[i]->nonstrict,
			ps_[i]->variadic, ps_[i]->variadic ? ps_[i]->nargs - 1 : nargs);
}

/* A type name in SQL syntax, up to where the expression goes on. */
static int
parse_typename(struct parser *ps, uint32_t *oid, int32_t *typmod)
{
	char buf[256];
	size_t n = 0;
	const char *start;
	int rc, words = 0;
	skipws(ps);
	start = ps->p;
	for (;;) {
		skipws(ps);
		if (*ps->p == '"') {
			const char *q = strchr(ps->p + 1, '"');
			if (!q)
				return synerr(ps, "unterminated quoted name"), -1;
			ps->p = q + 1;
			words++;
			continue;
		}
		if (isalpha((unsigned char)*ps->p) || *ps->p == '_') {
			const char *w = ps->p;
			size_t wl = 0;
			while (isalnum((unsigned char)w[wl]) || w[wl] == '_')
				wl++;
			/* continuation words of multi-word type names only */
			if (words > 0) {
				static const char *const cont[] = {
				    "precision", "varying",   "with",	"without", "time",
				    "zone",	 "character", "char",	"year",	   "month",
				    "day",	 "hour",      "minute", "second",  "to"};
				int found = 0;
				for (size_t k = 0; k < sizeof(cont) / sizeof(cont[0]); k++)
					if (strlen(cont[k]) == wl &&
					    strncasecmp(w, cont[k], wl) == 0)
						found = 1;
				if (!found)
					break;
			}
			ps->p += wl;
			words++;
			continue;
		}
		if (*ps->p == '(' && words > 0) {
			const char *q = strchr(ps->p, ')');
			if (!q)
				return synerr(ps, "unterminated type modifier"), -1;
			ps->p = q + 1;
			continue;
		}
		if (*ps->p == '[' && words > 0) {
			const char *q = strchr(ps->p, ']');
			if (!q)
				return synerr(ps, "unterminated []"), -1;
			ps->p = q + 1;
			continue;
		}
		break;
	}
	n = (size_t)(ps->p - start);
	if (n == 0 || n >= sizeof(buf))
		return synerr(ps, "expected a type name"), -1;
	memcpy(buf, start, n);
	buf[n] = '\0';
	/* a quoted "char" keeps its quotes; other quotes go */
	rc = dh_sqltype_parse_text(buf, n, oid, typmod, ps->err);
	if (rc) {
		fail_from(ps, rc);
		return rc;
	}
	return 0;
}

static struct val
do_cast(struct parser *ps, struct val v, uint32_t t, int32_t typmod)
{
	struct val r = none_val();
	struct dh_value out;
	int rc;
	if (bad(ps))
		return r;
	if (v.unknown) {
		if (v.v.type == DH_T_NONE) {
			r.type = t;
			r.typmod = typmod;
			return r;
		}
		rc = dh_sqltype_in(t, t == DH_OID_INTERVAL ? typmod : -1, v.v.s.p, v.v.s.n, &env,
				   ps->a, &out, ps->err);
		if (!rc)
			rc = dh_sqltype_coerce(t, &out, typmod, 1, ps->a, &r.v, ps->err);
	} else {
		rc = dh_sqlcast_value(v.type, v.typmod, t, typmod, 1, &v.v, &env, ps->a, &r.v,
				      ps->err);
	}
	if (rc) {
		fail_from(ps, rc);
		return r;
	}
	r.type = t;
	r.typmod = typmod;
	return r;
}

static struct val
number_literal(struct parser *ps)
{
	struct val r = none_val();
	const char *s = ps->p;
	size_t n = 0;
	while (isdigit((unsigned char)s[n]))
		n++;
	if (s[n] == '.') {
		n++;
		while (isdigit((unsigned char)s[n]))
			n++;
	}
	if ((s[n] == 'e' || s[n] == 'E') &&
	    (isdigit((unsigned char)s[n + 1]) ||
	     ((s[n + 1] == '+' || s[n + 1] == '-') && isdigit((unsigned char)s[n + 2])))) {
		n += 2;
		while (isdigit((unsigned char)s[n]))
			n++;
	}
	ps->p += n;
	r.numconst = 1;
	r.lit = dh_arena_strndup(ps->a, s, n);
	return r;
}

/* Type and value of a numeric literal text (maybe negated), as
 * PostgreSQL's make_const types it. */
static void
literal_value(struct parser *ps, struct val *r)
{
	const char *t = r->lit;
	int isint = strspn(t + (t[0] == '-'), "0123456789") == strlen(t + (t[0] == '-'));
	int rc;
	if (isint) {
		errno = 0;
		long long v = strtoll(t, NULL, 10);
		if (errno == 0) {
			r->type = v >= INT32_MIN && v <= INT32_MAX ? DH_OID_INT4 : DH_OID_INT8;
			r->v.type = DH_T_LONG;
			r->v.i = v;
			return;
		}
	}
	r->type = DH_OID_NUMERIC;
	rc = dh_sqltype_in(DH_OID_NUMERIC, -1, t, strlen(t), &env, ps->a, &r->v, ps->err);
	if (rc)
		fail_from(ps, rc);
}

static struct val
finish_const(struct parser *ps, struct val v)
{
	if (v.numconst) {
		literal_value(ps, &v);
		v.numconst = 0;
	}
	return v;
}

static struct val
parse_primary(struct parser *ps)
{
	struct val r = none_val();
	skipws(ps);
	if (bad(ps))
		return r;
	if (*ps->p == '(') {
		ps->p++;
		r = parse_expr(ps);
		if (!peek(ps, ")")) {
			synerr(ps, "expected )");
			return r;
		}
		ps->p++;
		return r;
	}
	if (*ps->p == '\'' || ((*ps->p == 'E' || *ps->p == 'e') && ps->p[1] == '\'')) {
		struct dh_buf b;
		int esc = *ps->p != '\'';
		dh_buf_init(&b, 0);
		ps->p += esc ? 2 : 1;
		for (;;) {
			if (*ps->p == '\0') {
				synerr(ps, "unterminated string");
				break;
			}
			if (esc && *ps->p == '\\') {
				/* E'' escapes: \b \f \n \r \t, octal, \xhh, else the char */
				char c = ps->p[1];
				static const char from[] = "bfnrt", to[] = "\b\f\n\r\t";
				const char *k = c ? strchr(from, c) : NULL;
				if (k) {
					dh_buf_addc(&b, to[k - from]);
					ps->p += 2;
				} else if (c >= '0' && c <= '7') {
					int v = 0, i = 1;
					while (i <= 3 && ps->p[i] >= '0' && ps->p[i] <= '7')
						v = v * 8 + (ps->p[i++] - '0');
					dh_buf_addc(&b, v);
					ps->p += i;
				} else if (c == 'x' && isxdigit((unsigned char)ps->p[2])) {
					int v = 0, i = 2;
					while (i <= 3 && isxdigit((unsigned char)ps->p[i])) {
						char h = ps->p[i++];
						v = v * 16 +
						    (isdigit((unsigned char)h)
							 ? h - '0'
							 : tolower((unsigned char)h) - 'a' + 10);
					}
					dh_buf_addc(&b, v);
					ps->p += i;
				} else if (c) {
					dh_buf_addc(&b, c);
					ps->p += 2;
				} else {
					ps->p++;
				}
				continue;
			}
			if (*ps->p == '\'') {
				if (ps->p[1] == '\'') {
					dh_buf_addc(&b, '\'');
					ps->p += 2;
					continue;
				}
				ps->p++;
				break;
			}
			dh_buf_addc(&b, *ps->p++);
		}
		r.unknown = 1;
		r.type = DH_OID_UNKNOWN;
		r.v.type = DH_T_STRING;
		r.v.s.p = dh_arena_strndup(ps->a, (const char *)b.p, b.len);
		r.v.s.n = b.len;
		dh_buf_release(&b);
		return r;
	}
	if (isdigit((unsigned char)*ps->p) || (*ps->p == '.' && isdigit((unsigned char)ps->p[1])))
		return number_literal(ps);
	if (peekword(ps, "true") || peekword(ps, "false")) {
		int t = peekword(ps, "true");
		ps->p += t ? 4 : 5;
		r.type = DH_OID_BOOL;
		r.v.type = DH_T_BOOL;
		r.v.b = t;
		return r;
	}
	if (peekword(ps, "null")) {
		ps->p += 4;
		r.unknown = 1;
		r.type = DH_OID_UNKNOWN;
		r.v.type = DH_T_NONE;
		return r;
	}
	if (peekword(ps, "cast")) {
		uint32_t t;
		int32_t tm;
		ps->p += 4;
		if (!peek(ps, "(")) {
			synerr(ps, "expected ( after CAST");
			return r;
		}
		ps->p++;
		r = finish_const(ps, parse_expr(ps));
		if (!peekword(ps, "as")) {
			synerr(ps, "expected AS");
			return r;
		}
		ps->p += 2;
		if (parse_typename(ps, &t, &tm))
			return r;
		if (!peek(ps, ")")) {
			synerr(ps, "expected ) after CAST");
			return r;
		}
		ps->p++;
		return do_cast(ps, r, t, tm);
	}
	if (isalpha((unsigned char)*ps->p) || *ps->p == '_') {
		char name[64];
		size_t n = 0;
		struct val args[MAXARGS];
		int nargs = 0;
		while ((isalnum((unsigned char)ps->p[n]) || ps->p[n] == '_') &&
		       n < sizeof(name) - 1)
			n++;
		memcpy(name, ps->p, n);
		name[n] = '\0';
		for (size_t i = 0; i < n; i++)
			name[i] = (char)tolower((unsigned char)name[i]);
		ps->p += n;
		if (!peek(ps, "(")) {
			synerr(ps, "unknown word %s", name);
			return r;
		}
		ps->p++;
		if (strcmp(name, "extract") == 0) {
			/* extract(field FROM x) is extract('field', x) */
			const char *w;
			size_t wl = 0;
			skipws(ps);
			w = ps->p;
			while (isalnum((unsigned char)w[wl]) || w[wl] == '_')
				wl++;
			ps->p += wl;
			if (!wl || !peekword(ps, "from")) {
				synerr(ps, "expected extract(field FROM x)");
				return r;
			}
			ps->p += 4;
			args[0] = none_val();
			args[0].unknown = 1;
			args[0].type = DH_OID_UNKNOWN;
			args[0].v.type = DH_T_STRING;
			args[0].v.s.p = dh_arena_strndup(ps->a, w, wl);
			args[0].v.s.n = wl;
			args[1] = finish_const(ps, parse_expr(ps));
			nargs = 2;
			if (bad(ps))
				return r;
			/* the field is text, whatever else the literal could be */
			if (resolve_unknown(ps, &args[0], DH_OID_TEXT))
				return r;
		} else if (!peek(ps, ")")) {
			for (;;) {
				if (nargs == MAXARGS) {
					synerr(ps, "too many arguments");
					return r;
				}
				args[nargs++] = finish_const(ps, parse_expr(ps));
				if (bad(ps))
					return r;
				if (peek(ps, ",")) {
					ps->p++;
					continue;
				}
				break;
			}
		}
		if (!peek(ps, ")")) {
			synerr(ps, "expected ) after arguments");
			return r;
		}
		ps->p++;
		return apply_proc(ps, name, args, nargs);
	}
	synerr(ps, "unexpected '%c'", *ps->p);
	return r;
}

/* postfix :: */
static struct val
parse_postfix(struct parser *ps)
{
	struct val v = parse_primary(ps);
	while (!bad(ps) && peek(ps, "::")) {
		uint32_t t;
		int32_t tm;
		ps->p += 2;
		if (parse_typename(ps, &t, &tm))
			break;
		v = do_cast(ps, finish_const(ps, v), t, tm);
	}
	return v;
}

/* unary minus and plus (tighter than ^); a minus on a numeric literal
 * folds into it, as the grammar's doNegate does */
static struct val
parse_unary(struct parser *ps)
{
	skipws(ps);
	if ((*ps->p == '-' || *ps->p == '+') && !strchr(opchars, ps->p[1])) {
		char op[2] = {*ps->p, 0};
		struct val v;
		ps->p++;
		v = parse_unary(ps);
		if (bad(ps))
			return v;
		if (v.numconst && op[0] == '-') {
			if (v.lit[0] == '-') {
				v.lit++;
			} else {
				size_t l = strlen(v.lit);
				char *t = dh_arena_alloc(ps->a, l + 2);
				t[0] = '-';
				memcpy(t + 1, v.lit, l + 1);
				v.lit = t;
			}
			return v;
		}
		v = finish_const(ps, v);
		return apply_op(ps, op, NULL, &v);
	}
	return parse_postfix(ps);
}

static struct val parse_binary_level(struct parser *ps, int level);

/* levels: 0 comparison, 1 other operators, 2 + -, 3 * / %, 4 ^ */
static int
op_level(const char *op)
{
	if (!strcmp(op, "=") || !strcmp(op, "<>") || !strcmp(op, "!=") || !strcmp(op, "<") ||
	    !strcmp(op, "<=") || !strcmp(op, ">") || !strcmp(op, ">="))
		return 0;
	if (!strcmp(op, "+") || !strcmp(op, "-"))
		return 2;
	if (!strcmp(op, "*") || !strcmp(op, "/") || !strcmp(op, "%"))
		return 3;
	if (!strcmp(op, "^"))
		return 4;
	return 1;
}

/* a prefix operator other than - and +: its operand extends over
 * everything tighter than "other operators" */
static struct val
parse_prefix(struct parser *ps)
{
	char op[8];
	skipws(ps);
	if (strchr(opchars, *ps->p) &&
	    !((*ps->p == '-' || *ps->p == '+') && !strchr(opchars, ps->p[1]))) {
		struct val v;
		read_op(ps, op, sizeof(op));
		ps->p += strlen(op);
		v = finish_const(ps, parse_binary_level(ps, 2));
		return apply_op(ps, op, NULL, &v);
	}
	return parse_unary(ps);
}

/* x AT TIME ZONE z (tighter than ^, looser than unary minus) is
 * timezone(z, x) */
static struct val
parse_at(struct parser *ps)
{
	struct val l = parse_prefix(ps);
	while (!bad(ps) && peekword(ps, "at")) {
		struct val args[2];
		ps->p += 2;
		if (!peekword(ps, "time"))
			return synerr(ps, "expected AT TIME ZONE"), l;
		ps->p += 4;
		if (!peekword(ps, "zone"))
			return synerr(ps, "expected AT TIME ZONE"), l;
		ps->p += 4;
		args[0] = finish_const(ps, parse_prefix(ps));
		args[1] = finish_const(ps, l);
		if (bad(ps))
			return l;
		l = apply_proc(ps, "timezone", args, 2);
	}
	return l;
}

static struct val
parse_binary_level(struct parser *ps, int level)
{
	struct val l;
	if (level > 4)
		return parse_at(ps);
	l = parse_binary_level(ps, level + 1);
	for (;;) {
		char op[8];
		struct val r;
		const char *save;
		if (bad(ps))
			return l;
		skipws(ps);
		save = ps->p;
		if (!read_op(ps, op, sizeof(op)) || op_level(op) != level)
			break;
		ps->p += strlen(op);
		r = finish_const(ps, parse_binary_level(ps, level + 1));
		l = finish_const(ps, l);
		if (bad(ps))
			return l;
		l = apply_op(ps, strcmp(op, "!=") ? op : "<>", &l, &r);
		if (level == 0) /* comparisons do not associate */
			break;
		(void)save;
	}
	return l;
}

static struct val
parse_expr(struct parser *ps)
{
	return parse_binary_level(ps, 0);
}

static void
dh_eval(const char *expr, struct dh_arena *a, struct outcome *o, struct outcome *pg)
{
	struct dh_err err;
	struct parser ps = {expr, expr, a, &err, 0, 0, {0}};
	struct val v;
	memset(o, 0, sizeof(*o));
	memset(&err, 0, sizeof(err));
	v = finish_const(&ps, parse_expr(&ps));
	skipws(&ps);
	if (!bad(&ps) && *ps.p)
		synerr(&ps, "trailing text: %s", ps.p);
	if (!bad(&ps) && v.unknown) {
		/* a bare literal selects as text */
		v.type = DH_OID_TEXT;
		v.unknown = 0;
	}
	if (ps.syntax) {
		o->error = 1;
		snprintf(o->sqlstate, sizeof(o->sqlstate), "xxxxx");
		snprintf(o->message, sizeof(o->message), "evaluator: %s", ps.why);
		return;
	}
	if (ps.failed) {
		o->error = 1;
		snprintf(o->sqlstate, sizeof(o->sqlstate), "%s", err.sqlstate);
		snprintf(o->message, sizeof(o->message), "%s", err.message);
		snprintf(o->detail, sizeof(o->detail), "%s", err.detail);
		return;
	}
	o->type = v.type;
	o->typmod = v.typmod;
	o->isnull = v.v.type == DH_T_NONE;
	if (!o->isnull) {
		struct dh_buf b;
		int rc;
		dh_buf_init(&b, 0);
		rc = dh_sqltype_out(v.type, &v.v, &env, &b);
		o->text = rc ? strdup("<no output function>") : dh_buf_detach(&b, NULL);
		dh_buf_release(&b);
		dh_buf_init(&b, 0);
		memset(&err, 0, sizeof(err));
		rc = dh_sqltype_send(v.type, &v.v, &b, &err);
		if (!rc) {
			o->bin = (unsigned char *)dh_buf_detach(&b, &o->binlen);
		}
		dh_buf_release(&b);
		if (pg && pg->bin && pg->type == v.type) {
			struct dh_value rv;
			memset(&err, 0, sizeof(err));
			rc = dh_sqltype_recv(v.type, -1, pg->bin, pg->binlen, a, &rv, &err);
			dh_buf_init(&b, 0);
			if (rc)
				dh_buf_printf(&b, "<recv failed: %s %s>", err.sqlstate,
					      err.message);
			else
				dh_sqltype_out(v.type, &rv, &env, &b);
			o->recv_text = dh_buf_detach(&b, NULL);
			dh_buf_release(&b);
		}
	}
}

/* --- comparing --- */

static void
hex(const unsigned char *p, size_t n, char *out, size_t cap)
{
	size_t k = 0;
	for (size_t i = 0; i < n && k + 3 < cap; i++)
		k += (size_t)snprintf(out + k, cap - k, "%02x", p[i]);
	if (n == 0 && cap)
		out[0] = '\0';
}

static void
show(const char *who, const struct outcome *o)
{
	if (o->error) {
		printf("#   %s: ERROR %s %s%s%s\n", who, o->sqlstate, o->message,
		       o->detail[0] ? " DETAIL: " : "", o->detail);
	} else {
		char hx[512];
		hex(o->bin, o->binlen, hx, sizeof(hx));
		printf("#   %s: type %u typmod %d %s%s%s binary %s\n", who, o->type, (int)o->typmod,
		       o->isnull ? "NULL" : "'", o->isnull ? "" : o->text, o->isnull ? "" : "'",
		       hx);
	}
}

static const char *
compare(const struct outcome *pg, const struct outcome *dh)
{
	if (pg->error != dh->error)
		return pg->error ? "PostgreSQL fails, dh does not"
				 : "dh fails, PostgreSQL does not";
	if (pg->error) {
		if (strcmp(pg->sqlstate, dh->sqlstate))
			return "SQLSTATE differs";
		if (strcmp(pg->message, dh->message))
			return "message differs";
		if (strcmp(pg->detail, dh->detail))
			return "detail differs";
		return NULL;
	}
	if (pg->type != dh->type)
		return "type differs";
	if (pg->typmod != dh->typmod)
		return "typmod differs";
	if (pg->isnull != dh->isnull)
		return "NULL differs";
	if (pg->isnull)
		return NULL;
	if (strcmp(pg->text, dh->text))
		return "text differs";
	if (pg->binlen != dh->binlen || memcmp(pg->bin, dh->bin, pg->binlen))
		return "binary differs";
	if (dh->recv_text && strcmp(dh->recv_text, pg->text))
		return "binary input reads back differently";
	return NULL;
}

static void
report(const char *name, const char *why)
{
	ntest++;
	if (why) {
		nfail++;
		printf("not ok %d - %s\n#   %s\n", ntest, name, why);
	} else {
		printf("ok %d - %s\n", ntest, name);
	}
}

static void
run_expr(const char *expr)
{
	struct outcome pg, dh;
	struct dh_arena a;
	const char *why;
	dh_arena_init(&a);
	pg_eval(expr, &pg);
	dh_eval(expr, &a, &dh, &pg);
	why = compare(&pg, &dh);
	report(expr, why);
	if (why) {
		show("pg", &pg);
		show("dh", &dh);
		if (dh.recv_text && !pg.error && pg.text && strcmp(dh.recv_text, pg.text))
			printf("#   dh recv: '%s'\n", dh.recv_text);
	}
	outcome_free(&pg);
	outcome_free(&dh);
	dh_arena_release(&a);
}

/* "type: T": type OID, typmod and format_type */
static void
run_type(const char *t)
{
	char sql[512], name[600], got[512] = "", want[512] = "";
	struct dh_err err;
	uint32_t oid = 0;
	int32_t typmod = -1;
	PGresult *r;
	int rc;
	snprintf(name, sizeof(name), "type: %.500s", t);
	snprintf(sql, sizeof(sql), "SELECT NULL::%.400s", t);
	r = PQexec(conn, sql);
	if (PQresultStatus(r) == PGRES_TUPLES_OK) {
		uint32_t po = PQftype(r, 0);
		int pm = PQfmod(r, 0);
		PQclear(r);
		snprintf(sql, sizeof(sql), "SELECT format_type(%u, %d), format_type(%u, NULL)", po,
			 pm, po);
		r = PQexec(conn, sql);
		snprintf(want, sizeof(want), "%u %d %s | %s", po, pm, PQgetvalue(r, 0, 0),
			 PQgetvalue(r, 0, 1));
	} else {
		const char *st = PQresultErrorField(r, PG_DIAG_SQLSTATE);
		const char *m = PQresultErrorField(r, PG_DIAG_MESSAGE_PRIMARY);
		snprintf(want, sizeof(want), "ERROR %s %.400s", st ? st : "", m ? m : "");
	}
	PQclear(r);
	memset(&err, 0, sizeof(err));
	rc = dh_sqltype_parse_text(t, strlen(t), &oid, &typmod, &err);
	if (rc) {
		snprintf(got, sizeof(got), "ERROR %s %.400s", err.sqlstate, err.message);
	} else {
		struct dh_buf b1, b2;
		dh_buf_init(&b1, 0);
		dh_buf_init(&b2, 0);
		dh_sqltype_format(oid, typmod, 1, &b1);
		dh_sqltype_format(oid, -1, 0, &b2);
		snprintf(got, sizeof(got), "%u %d %s | %s", oid, (int)typmod, (char *)b1.p,
			 (char *)b2.p);
		dh_buf_release(&b1);
		dh_buf_release(&b2);
	}
	report(name, strcmp(got, want) ? "differs" : NULL);
	if (strcmp(got, want))
		printf("#   pg: %s\n#   dh: %s\n", want, got);
}

/* "set NAME = V": a setting on both sides; V as SET takes it (quoted
 * or not) */
static void
run_set(const char *line)
{
	char name[64] = "", value[256] = "";
	const char *eq = strchr(line, '=');
	struct dh_err err;
	int rc = 0;
	size_t n;
	PGresult *r = PQexec(conn, line);
	if (PQresultStatus(r) != PGRES_COMMAND_OK) {
		printf("Bail out! %s: %s", line, PQerrorMessage(conn));
		exit(1);
	}
	PQclear(r);
	if (!eq)
		return;
	sscanf(line + 4, "%63[A-Za-z_]", name);
	for (char *p = name; *p; p++)
		*p = (char)tolower((unsigned char)*p);
	eq++;
	while (isspace((unsigned char)*eq))
		eq++;
	snprintf(value, sizeof(value), "%s", *eq == '\'' ? eq + 1 : eq);
	n = strlen(value);
	while (n > 0 && (value[n - 1] == '\'' || isspace((unsigned char)value[n - 1])))
		value[--n] = '\0';
	memset(&err, 0, sizeof(err));
	if (strcmp(name, "extra_float_digits") == 0)
		env.extra_float_digits = atoi(value);
	else if (strcmp(name, "bytea_output") == 0)
		env.bytea_output_escape = strcmp(value, "escape") == 0;
	else if (strcmp(name, "datestyle") == 0)
		rc = dh_sqltime_set_datestyle(&tset, value, NULL, &err);
	else if (strcmp(name, "intervalstyle") == 0)
		rc = dh_sqltime_set_intervalstyle(&tset, value, &err);
	else if (strcmp(name, "timezone") == 0) {
		struct dh_sqltime_tz *tz;
		rc = dh_sqltime_tz_load(value, &tz, &err);
		if (!rc) {
			dh_sqltime_tz_free(cur_tz);
			cur_tz = tz;
			tset.tz = tz;
		}
	}
	if (rc) {
		printf("Bail out! %s: %s\n", line, err.message);
		exit(1);
	}
}

/* "sort: T: 'v1', 'v2', ...": the btree order and equality of values of
 * type T: PostgreSQL's ORDER BY and dense_rank() against
 * dh_sqltype_cmp, and dh_sqltype_hash agreeing with equality */
struct sortitem {
	int i, rank;
	struct dh_value v;
};
static uint32_t sort_oid;

static int
sortitem_cmp(const void *x, const void *y)
{
	const struct sortitem *a = x, *b = y;
	int c = dh_sqltype_cmp(sort_oid, &a->v, &b->v);
	return c ? c : a->i - b->i;
}

static void
run_sort(const char *line)
{
	char tname[128], name[600];
	const char *colon = strchr(line, ':'), *p;
	struct dh_buf sql, got;
	struct sortitem items[64];
	struct dh_arena a;
	struct dh_err err;
	int32_t typmod;
	int n = 0, rc;
	const char *why = NULL;
	PGresult *r;
	snprintf(name, sizeof(name), "sort: %.500s", line);
	if (!colon || (size_t)(colon - line) >= sizeof(tname)) {
		report(name, "bad sort line");
		return;
	}
	memcpy(tname, line, (size_t)(colon - line));
	tname[colon - line] = '\0';
	memset(&err, 0, sizeof(err));
	if (dh_sqltype_parse_text(tname, strlen(tname), &sort_oid, &typmod, &err)) {
		report(name, "bad type");
		return;
	}
	dh_arena_init(&a);
	dh_buf_init(&sql, 0);
	dh_buf_init(&got, 0);
	dh_buf_adds(&sql, "SELECT string_agg(i || ':' || r, ' ' ORDER BY v, i) FROM (SELECT i, v, "
			  "dense_rank() OVER (ORDER BY v) r FROM (VALUES ");
	for (p = colon + 1; *p && n < 64;) {
		struct dh_buf lit;
		while (*p == ' ' || *p == ',')
			p++;
		if (*p != '\'')
			break;
		dh_buf_init(&lit, 0);
		for (p++; *p; p++) {
			if (*p == '\'' && p[1] == '\'') {
				dh_buf_addc(&lit, '\'');
				p++;
			} else if (*p == '\'') {
				p++;
				break;
			} else {
				dh_buf_addc(&lit, *p);
			}
		}
		dh_buf_printf(&sql, "%s(%d, ", n ? ", " : "", n + 1);
		dh_buf_addc(&sql, '\'');
		for (size_t k = 0; k < lit.len; k++) {
			if (lit.p[k] == '\'')
				dh_buf_addc(&sql, '\'');
			dh_buf_addc(&sql, (char)lit.p[k]);
		}
		dh_buf_printf(&sql, "'::%s)", tname);
		items[n].i = n + 1;
		memset(&err, 0, sizeof(err));
		rc = dh_sqltype_in(sort_oid, typmod, lit.len ? (const char *)lit.p : "", lit.len,
				   &env, &a, &items[n].v, &err);
		dh_buf_release(&lit);
		if (rc) {
			why = "dh cannot read a value";
			printf("#   %s\n", err.message);
		}
		n++;
	}
	dh_buf_adds(&sql, ") t(i, v)) s");
	r = PQexec(conn, (const char *)sql.p);
	if (!why) {
		qsort(items, (size_t)n, sizeof(items[0]), sortitem_cmp);
		for (int k = 0; k < n; k++) {
			int eq =
			    k > 0 && dh_sqltype_cmp(sort_oid, &items[k - 1].v, &items[k].v) == 0;
			items[k].rank = k == 0 ? 1 : items[k - 1].rank + !eq;
			if (eq && dh_sqltype_hash(sort_oid, &items[k - 1].v) !=
				      dh_sqltype_hash(sort_oid, &items[k].v))
				why = "equal values hash differently";
			dh_buf_printf(&got, "%s%d:%d", k ? " " : "", items[k].i, items[k].rank);
		}
	}
	if (PQresultStatus(r) != PGRES_TUPLES_OK) {
		why = "PostgreSQL failed";
		printf("#   %s", PQresultErrorMessage(r));
	} else if (!why && strcmp(PQgetvalue(r, 0, 0), got.len ? (const char *)got.p : "")) {
		why = "order differs";
		printf("#   pg: %s\n#   dh: %s\n", PQgetvalue(r, 0, 0), (const char *)got.p);
	}
	report(name, why);
	PQclear(r);
	dh_buf_release(&sql);
	dh_buf_release(&got);
	dh_arena_release(&a);
}

/* --- the catalog checks --- */

static PGresult *
q(const char *sql)
{
	PGresult *r = PQexec(conn, sql);
	if (PQresultStatus(r) != PGRES_TUPLES_OK) {
		printf("Bail out! %s: %s", sql, PQerrorMessage(conn));
		exit(1);
	}
	return r;
}

static void
check_types(void)
{
	const struct dh_sqltype *t;
	for (size_t i = 0; (t = dh_sqltype_at(i)); i++) {
		char sql[512], name[128], got[512], want[512];
		struct dh_buf b1, b2;
		PGresult *r;
		snprintf(sql, sizeof(sql),
			 "SELECT typname, typlen, typcategory, typispreferred, typtype, "
			 "CASE WHEN typcategory IN ('A', 'P') THEN typelem ELSE 0 END, typarray, "
			 "format_type(oid, NULL), format_type(oid, -1) FROM pg_type WHERE oid = %u",
			 t->oid);
		r = q(sql);
		snprintf(name, sizeof(name), "pg_type %u %s", t->oid, t->typname);
		if (PQntuples(r) != 1) {
			report(name, "no such row in pg_type");
			PQclear(r);
			continue;
		}
		snprintf(want, sizeof(want), "%s %s %s %s %s %s %s %s | %s", PQgetvalue(r, 0, 0),
			 PQgetvalue(r, 0, 1), PQgetvalue(r, 0, 2), PQgetvalue(r, 0, 3),
			 PQgetvalue(r, 0, 4), PQgetvalue(r, 0, 5), PQgetvalue(r, 0, 6),
			 PQgetvalue(r, 0, 7), PQgetvalue(r, 0, 8));
		PQclear(r);
		dh_buf_init(&b1, 0);
		dh_buf_init(&b2, 0);
		dh_sqltype_format(t->oid, -1, 0, &b1);
		dh_sqltype_format(t->oid, -1, 1, &b2);
		snprintf(got, sizeof(got), "%s %d %c %c %c %u %u %s | %s", t->typname, t->typlen,
			 t->category, t->preferred ? 't' : 'f', t->typtype, t->elem, t->array,
			 (char *)b1.p, (char *)b2.p);
		dh_buf_release(&b1);
		dh_buf_release(&b2);
		report(name, strcmp(got, want) ? "differs" : NULL);
		if (strcmp(got, want))
			printf("#   pg: %s\n#   dh: %s\n", want, got);
	}
}

/* our types with an implementation here (the cast matrix under test) */
static const uint32_t scalar[] = {
    DH_OID_BOOL,    DH_OID_BYTEA,    DH_OID_CHAR,      DH_OID_NAME,	    DH_OID_INT8,
    DH_OID_INT2,    DH_OID_INT4,     DH_OID_TEXT,      DH_OID_OID,	    DH_OID_FLOAT4,
    DH_OID_FLOAT8,  DH_OID_BPCHAR,   DH_OID_VARCHAR,   DH_OID_NUMERIC,	    DH_OID_UUID,
    DH_OID_REGPROC, DH_OID_REGCLASS, DH_OID_REGTYPE,   DH_OID_REGNAMESPACE, DH_OID_REGROLE,
    DH_OID_DATE,    DH_OID_TIME,     DH_OID_TIMESTAMP, DH_OID_TIMESTAMPTZ,  DH_OID_INTERVAL,
    DH_OID_JSON,    DH_OID_JSONB,
};

static int
in_scalar(uint32_t o)
{
	for (size_t i = 0; i < sizeof(scalar) / sizeof(scalar[0]); i++)
		if (scalar[i] == o)
			return 1;
	return 0;
}

static void
check_casts(void)
{
	PGresult *r = q("SELECT castsource, casttarget, castcontext, castmethod FROM pg_cast");
	for (size_t s = 0; s < sizeof(scalar) / sizeof(scalar[0]); s++)
		for (size_t t = 0; t < sizeof(scalar) / sizeof(scalar[0]); t++) {
			struct dh_sqlcast c;
			char name[128], want[32] = "none", got[32] = "none";
			uint32_t so = scalar[s], to = scalar[t];
			for (int i = 0; i < PQntuples(r); i++)
				if ((uint32_t)atol(PQgetvalue(r, i, 0)) == so &&
				    (uint32_t)atol(PQgetvalue(r, i, 1)) == to)
					snprintf(want, sizeof(want), "%s %s", PQgetvalue(r, i, 2),
						 PQgetvalue(r, i, 3));
			if (strcmp(want, "none") == 0 && so != to) {
				/* not in pg_cast: PostgreSQL's automatic I/O casts */
				const struct dh_sqltype *st = dh_sqltype_by_oid(so),
							*tt = dh_sqltype_by_oid(to);
				if (tt->category == 'S')
					snprintf(want, sizeof(want), "a i");
				else if (st->category == 'S')
					snprintf(want, sizeof(want), "e i");
			}
			if (so == to && strcmp(want, "none") == 0)
				snprintf(want, sizeof(want), "i b");
			if (dh_sqlcast_find(so, to, &c))
				snprintf(got, sizeof(got), "%c %c", c.context, c.method);
			snprintf(name, sizeof(name), "pg_cast %s -> %s",
				 dh_sqltype_by_oid(so)->typname, dh_sqltype_by_oid(to)->typname);
			report(name, strcmp(got, want) ? "differs" : NULL);
			if (strcmp(got, want))
				printf("#   pg: %s\n#   dh: %s\n", want, got);
		}
	PQclear(r);
}

static void
check_operators(void)
{
	PGresult *r = q("SELECT o.oprname, o.oprleft, o.oprright, o.oprresult, "
			"coalesce(c.oprname || ' ' || c.oprleft || ' ' || c.oprright, '-'), "
			"coalesce(n.oprname || ' ' || n.oprleft || ' ' || n.oprright, '-') "
			"FROM pg_operator o LEFT JOIN pg_operator c ON c.oid = o.oprcom "
			"LEFT JOIN pg_operator n ON n.oid = o.oprnegate "
			"ORDER BY o.oprname, o.oprleft, o.oprright");
	const struct dh_sqlop *o;
	int n = 0;
	/* every operator of ours is PostgreSQL's, with its result type */
	for (int i = 0; i < PQntuples(r); i++) {
		uint32_t l = (uint32_t)atol(PQgetvalue(r, i, 1));
		uint32_t rt = (uint32_t)atol(PQgetvalue(r, i, 2));
		uint32_t res = (uint32_t)atol(PQgetvalue(r, i, 3));
		const char *nm = PQgetvalue(r, i, 0);
		char name[128];
		int ours = (l == 0 || in_scalar(l) || l == DH_OID_ANYNONARRAY) &&
			   (in_scalar(rt) || rt == DH_OID_ANYNONARRAY) &&
			   (in_scalar(l) || in_scalar(rt));
		/* pattern matching, full text search and the like are not ours */
		if (!ours || strchr("~!", nm[0]) || strcmp(nm, "@@") == 0 ||
		    strcmp(nm, "^@") == 0 || (strcmp(nm, "~") == 0 && l != 0))
			continue;
		if (strcmp(nm, "~") == 0 && l == 0 && rt != DH_OID_INT2 && rt != DH_OID_INT4 &&
		    rt != DH_OID_INT8)
			continue;
		o = dh_sqlop_find(nm, l, rt);
		snprintf(name, sizeof(name), "pg_operator %s(%s, %s)", nm,
			 l ? dh_sqltype_by_oid(l)->typname : "-", dh_sqltype_by_oid(rt)->typname);
		report(name, !o ? "missing" : o->result != res ? "result type differs" : NULL);
		n++;
		if (o && l) {
			const struct dh_sqlop *cm = dh_sqlop_commutator(o),
					      *ng = dh_sqlop_negator(o);
			char got[64] = "-", want[64];
			if (cm)
				snprintf(got, sizeof(got), "%s %u %u", cm->name, cm->left,
					 cm->right);
			snprintf(want, sizeof(want), "%s", PQgetvalue(r, i, 4));
			snprintf(name, sizeof(name), "pg_operator %s(%s, %s) commutator", nm,
				 dh_sqltype_by_oid(l)->typname, dh_sqltype_by_oid(rt)->typname);
			report(name, strcmp(got, want) ? "differs" : NULL);
			if (strcmp(got, want))
				printf("#   pg: %s\n#   dh: %s\n", want, got);
			snprintf(got, sizeof(got), "-");
			if (ng)
				snprintf(got, sizeof(got), "%s %u %u", ng->name, ng->left,
					 ng->right);
			snprintf(want, sizeof(want), "%s", PQgetvalue(r, i, 5));
			snprintf(name, sizeof(name), "pg_operator %s(%s, %s) negator", nm,
				 dh_sqltype_by_oid(l)->typname, dh_sqltype_by_oid(rt)->typname);
			report(name, strcmp(got, want) ? "differs" : NULL);
			if (strcmp(got, want))
				printf("#   pg: %s\n#   dh: %s\n", want, got);
		}
	}
	/* and the other way round */
	for (size_t k = 0; k < 100000; k++) {
		const struct dh_sqlop *p = NULL;
		static const char *const names[] = {"+",  "-",	 "*",	"/",  "%",   "^",  "@",
						    "|/", "||/", "&",	"|",  "#",   "~",  "<<",
						    ">>", "||",	 "=",	"<>", "<",   "<=", ">",
						    ">=", "->",	 "->>", "#>", "#>>", "@>", "<@",
						    "?",  "?|",	 "?&",	"#-", "&&"};
		if (k >= sizeof(names) / sizeof(names[0]))
			break;
		while ((p = dh_sqlop_next(names[k], p))) {
			uint32_t found = 0;
			char name[128];
			for (int i = 0; i < PQntuples(r); i++)
				if (strcmp(PQgetvalue(r, i, 0), p->name) == 0 &&
				    (uint32_t)atol(PQgetvalue(r, i, 1)) == p->left &&
				    (uint32_t)atol(PQgetvalue(r, i, 2)) == p->right)
					found = (uint32_t)atol(PQgetvalue(r, i, 3));
			snprintf(name, sizeof(name), "dh operator %s(%u, %u) exists in PostgreSQL",
				 p->name, p->left, p->right);
			report(name, !found		  ? "not in pg_operator"
				     : found != p->result ? "result type differs"
							  : NULL);
		}
	}
	(void)n;
	PQclear(r);
}

static void
check_procs(void)
{
	static const char *const names[] = {"abs",
					    "mod",
					    "div",
					    "gcd",
					    "lcm",
					    "round",
					    "trunc",
					    "ceil",
					    "ceiling",
					    "floor",
					    "sign",
					    "sqrt",
					    "cbrt",
					    "power",
					    "pow",
					    "exp",
					    "ln",
					    "log",
					    "log10",
					    "pi",
					    "degrees",
					    "radians",
					    "sin",
					    "cos",
					    "tan",
					    "cot",
					    "asin",
					    "acos",
					    "atan",
					    "atan2",
					    "sind",
					    "cosd",
					    "tand",
					    "cotd",
					    "asind",
					    "acosd",
					    "atand",
					    "atan2d",
					    "sinh",
					    "cosh",
					    "tanh",
					    "asinh",
					    "acosh",
					    "atanh",
					    "width_bucket",
					    "scale",
					    "min_scale",
					    "trim_scale",
					    "factorial",
					    "textcat",
					    "length",
					    "char_length",
					    "character_length",
					    "octet_length",
					    "numeric_larger",
					    "numeric_smaller",
					    "date_part",
					    "extract",
					    "date_trunc",
					    "age",
					    "justify_days",
					    "justify_hours",
					    "justify_interval",
					    "isfinite",
					    "make_date",
					    "make_time",
					    "make_timestamp",
					    "make_timestamptz",
					    "make_interval",
					    "timezone",
					    "date_bin",
					    "to_timestamp",
					    "to_date",
					    "to_char",
					    "date_cmp",
					    "time_cmp",
					    "timestamp_cmp",
					    "timestamptz_cmp",
					    "interval_cmp",
					    "date_cmp_timestamp",
					    "date_cmp_timestamptz",
					    "timestamp_cmp_date",
					    "timestamp_cmp_timestamptz",
					    "timestamptz_cmp_date",
					    "timestamptz_cmp_timestamp",
					    "date_larger",
					    "date_smaller",
					    "time_larger",
					    "time_smaller",
					    "timestamp_larger",
					    "timestamp_smaller",
					    "timestamptz_larger",
					    "timestamptz_smaller",
					    "interval_larger",
					    "interval_smaller",
					    "json_object_field",
					    "json_object_field_text",
					    "json_array_element",
					    "json_array_element_text",
					    "json_extract_path",
					    "json_extract_path_text",
					    "jsonb_object_field",
					    "jsonb_object_field_text",
					    "jsonb_array_element",
					    "jsonb_array_element_text",
					    "jsonb_extract_path",
					    "jsonb_extract_path_text",
					    "json_typeof",
					    "jsonb_typeof",
					    "json_array_length",
					    "jsonb_array_length",
					    "json_strip_nulls",
					    "jsonb_strip_nulls",
					    "jsonb_pretty",
					    "jsonb_eq",
					    "jsonb_ne",
					    "jsonb_lt",
					    "jsonb_le",
					    "jsonb_gt",
					    "jsonb_ge",
					    "jsonb_cmp",
					    "jsonb_contains",
					    "jsonb_contained",
					    "jsonb_exists",
					    "jsonb_exists_any",
					    "jsonb_exists_all",
					    "jsonb_concat",
					    "jsonb_delete",
					    "jsonb_delete_path",
					    "jsonb_set",
					    "jsonb_insert",
					    "to_json",
					    "to_jsonb",
					    "json_build_array",
					    "jsonb_build_array",
					    "json_build_object",
					    "jsonb_build_object",
					    "array_eq",
					    "array_ne",
					    "array_lt",
					    "btarraycmp",
					    "array_larger",
					    "array_smaller",
					    "arraycontains",
					    "arraycontained",
					    "arrayoverlap",
					    "array_cat",
					    "array_append",
					    "array_prepend",
					    "array_length",
					    "array_lower",
					    "array_upper",
					    "cardinality",
					    "array_ndims",
					    "array_dims",
					    "array_position",
					    "array_positions",
					    "array_remove",
					    "array_replace",
					    "array_to_string",
					    "string_to_array"};
	for (size_t k = 0; k < sizeof(names) / sizeof(names[0]); k++) {
		const struct dh_sqlproc *p = NULL;
		while ((p = dh_sqlproc_next(names[k], p))) {
			char sql[512], name[256], args[128] = "";
			PGresult *r;
			size_t al = 0;
			for (int i = 0; i < p->nargs; i++)
				al += (size_t)snprintf(args + al, sizeof(args) - al, "%s%u",
						       i ? " " : "", p->args[i]);
			snprintf(sql, sizeof(sql),
				 "SELECT prorettype, pronargdefaults, provariadic, proisstrict "
				 "FROM pg_proc WHERE proname = '%s' AND "
				 "proargtypes::text = '%s' AND pronamespace = 11",
				 p->name, args);
			r = q(sql);
			snprintf(name, sizeof(name), "pg_proc %s(%s)", p->name, args);
			if (PQntuples(r) != 1)
				report(name, "not in pg_proc");
			else if ((uint32_t)atol(PQgetvalue(r, 0, 0)) != p->result)
				report(name, "result type differs");
			else if (atoi(PQgetvalue(r, 0, 1)) != p->ndefaults)
				report(name, "pronargdefaults differs");
			else if ((uint32_t)atol(PQgetvalue(r, 0, 2)) != p->variadic)
				report(name, "provariadic differs");
			else if ((PQgetvalue(r, 0, 3)[0] == 't') == (p->nonstrict != 0))
				report(name, "proisstrict differs");
			else
				report(name, NULL);
			PQclear(r);
		}
	}
}

/* --- random floats: the shortest-exact output against PostgreSQL's Ryu --- */

static uint64_t rng = 0x9e3779b97f4a7c15ULL;

static uint64_t
next_rand(void)
{
	rng ^= rng << 13;
	rng ^= rng >> 7;
	rng ^= rng << 17;
	return rng;
}

/* n batches of 500 values of each width; each value's bits are random (so
 * every exponent is as likely), or a short decimal nudged by an ulp, where
 * boundary cases live */
static void
check_random_floats(int batches)
{
	for (int is4 = 0; is4 <= 1; is4++)
		for (int bt = 0; bt < batches; bt++) {
			struct dh_buf sql;
			double vals[500];
			char name[128];
			const char *why = NULL;
			PGresult *r;
			dh_buf_init(&sql, 0);
			dh_buf_printf(&sql, "SELECT x::%s::text FROM unnest(ARRAY[",
				      is4 ? "float4" : "float8");
			for (int i = 0; i < 500; i++) {
				uint64_t u = next_rand();
				double d;
				if (is4) {
					uint32_t w = (uint32_t)u;
					float f;
					if (i % 2) {
						f = (float)((double)(u % 100000) *
							    pow(10, (int)(u >> 40) % 60 - 30));
						f = nextafterf(f, (u >> 20) & 1 ? INFINITY : 0);
					} else {
						memcpy(&f, &w, 4);
					}
					if (isnan(f) || isinf(f))
						f = 1.5f;
					d = f;
				} else {
					if (i % 2) {
						d = (double)(u % 10000000) *
						    pow(10, (int)(u >> 40) % 600 - 300);
						d = nextafter(d, (u >> 20) & 1 ? INFINITY : 0);
					} else {
						memcpy(&d, &u, 8);
					}
					if (isnan(d) || isinf(d))
						d = 1.5;
				}
				vals[i] = d;
				dh_buf_printf(&sql, "%s'%a'", i ? "," : "", d);
			}
			dh_buf_adds(&sql, "]) x");
			r = PQexec(conn, (char *)sql.p);
			snprintf(name, sizeof(name), "random %s output, batch %d of 500 values",
				 is4 ? "float4" : "float8", bt + 1);
			if (PQresultStatus(r) != PGRES_TUPLES_OK || PQntuples(r) != 500) {
				report(name, "query failed");
				printf("#   %s", PQresultErrorMessage(r));
			} else {
				for (int i = 0; i < 500 && !why; i++) {
					struct dh_buf b;
					dh_buf_init(&b, 0);
					dh_sqltype_out(
					    is4 ? DH_OID_FLOAT4 : DH_OID_FLOAT8,
					    &(struct dh_value){.type = DH_T_DOUBLE, .d = vals[i]},
					    &env, &b);
					if (strcmp((char *)b.p, PQgetvalue(r, i, 0))) {
						why = "differs";
						report(name, why);
						printf("#   %a: pg %s, dh %s\n", vals[i],
						       PQgetvalue(r, i, 0), (char *)b.p);
					}
					dh_buf_release(&b);
				}
				if (!why)
					report(name, NULL);
			}
			PQclear(r);
			dh_buf_release(&sql);
		}
}

/* --- random numeric expressions --- */

static void
rand_numeric(char *buf, size_t cap)
{
	size_t k = 0;
	int idig = (int)(next_rand() % 22), fdig = (int)(next_rand() % 22);
	uint64_t shape = next_rand();
	if (shape % 3 == 0)
		idig = (int)(next_rand() % 3);
	if (shape % 5 == 0)
		fdig = 0;
	if (next_rand() % 3 == 0)
		buf[k++] = '-';
	if (idig == 0)
		buf[k++] = '0';
	for (int i = 0; i < idig && k < cap - 30; i++) {
		/* runs of zeros and nines make carries and rounding ties */
		uint64_t r = next_rand() % 10;
		buf[k++] = (char)(i == 0	? '1' + (int)(r % 9)
				  : (shape & 8) ? "0900950009"[r]
						: '0' + (int)r);
	}
	if (fdig) {
		buf[k++] = '.';
		for (int i = 0; i < fdig && k < cap - 2; i++) {
			uint64_t r = next_rand() % 10;
			buf[k++] = (char)((shape & 16) ? "0500990005"[r] : '0' + (int)r);
		}
	}
	buf[k] = '\0';
}

static void
rand_expr(char *e, size_t cap)
{
	char a[80], b[80];
	int k = (int)(next_rand() % 40) - 20;
	rand_numeric(a, sizeof(a));
	rand_numeric(b, sizeof(b));
	switch (next_rand() % 22) {
	case 0:
		snprintf(e, cap, "'%s'::numeric + '%s'::numeric", a, b);
		break;
	case 1:
		snprintf(e, cap, "'%s'::numeric - '%s'::numeric", a, b);
		break;
	case 2:
		snprintf(e, cap, "'%s'::numeric * '%s'::numeric", a, b);
		break;
	case 3:
	case 4:
		snprintf(e, cap, "'%s'::numeric / '%s'::numeric", a, b);
		break;
	case 5:
		snprintf(e, cap, "'%s'::numeric %% '%s'::numeric", a, b);
		break;
	case 6:
		snprintf(e, cap, "div('%s'::numeric, '%s'::numeric)", a, b);
		break;
	case 7:
		snprintf(e, cap, "round('%s'::numeric, %d)", a, k);
		break;
	case 8:
		snprintf(e, cap, "trunc('%s'::numeric, %d)", a, k);
		break;
	case 9:
		snprintf(e, cap, "sqrt(abs('%s'::numeric))", a);
		break;
	case 10:
		snprintf(e, cap, "exp('%s'::numeric %% 200)", a);
		break;
	case 11:
		snprintf(e, cap, "ln(abs('%s'::numeric) + 0.001)", a);
		break;
	case 12:
		snprintf(e, cap, "log(abs('%s'::numeric) + 1.5, abs('%s'::numeric) + 0.01)", a, b);
		break;
	case 13:
		snprintf(e, cap, "power(abs('%s'::numeric) %% 100, '%s'::numeric %% 20)", a, b);
		break;
	case 14:
		snprintf(e, cap, "power('%s'::numeric %% 1000, %d::numeric)", a, k);
		break;
	case 15:
		snprintf(e, cap, "'%s'::numeric(%d,%d)", a, 1 + (int)(next_rand() % 30), k / 2);
		break;
	case 16:
		snprintf(e, cap, "'%s'::numeric::float8", a);
		break;
	case 17:
		snprintf(e, cap, "'%s'::numeric::int8", a);
		break;
	case 18:
		snprintf(e, cap, "'%s'::float8::numeric", a);
		break;
	case 19:
		snprintf(e, cap, "gcd('%s'::numeric, '%s'::numeric)", a, b);
		break;
	case 20:
		snprintf(e, cap, "width_bucket('%s'::numeric, -1000, 1000, 7)", a);
		break;
	default:
		snprintf(e, cap, "'%s'::numeric::float4", a);
		break;
	}
}

static void
check_random_numeric(int batches)
{
	for (int bt = 0; bt < batches; bt++) {
		char name[128];
		int bad = 0;
		for (int i = 0; i < 200; i++) {
			char e[256];
			struct outcome pg, dh;
			struct dh_arena a;
			const char *why;
			rand_expr(e, sizeof(e));
			dh_arena_init(&a);
			pg_eval(e, &pg);
			dh_eval(e, &a, &dh, &pg);
			why = compare(&pg, &dh);
			if (why && bad++ < 3) {
				printf("#   %s: %s\n", e, why);
				show("pg", &pg);
				show("dh", &dh);
			}
			outcome_free(&pg);
			outcome_free(&dh);
			dh_arena_release(&a);
		}
		snprintf(name, sizeof(name), "random numeric expressions, batch %d of 200", bt + 1);
		report(name, bad ? "differs" : NULL);
	}
}

int
main(int argc, char **argv)
{
	int catalog = 0, random_batches = 0, random_numeric = 0, i = 2;
	if (argc < 2) {
		fprintf(stderr, "usage: sqltype-pg CONNINFO [--catalog] [--random-floats N] "
				"[--random-numeric N] FILE...\n");
		return 2;
	}
	conn = PQconnectdb(argv[1]);
	if (PQstatus(conn) != CONNECTION_OK) {
		printf("Bail out! cannot connect: %s", PQerrorMessage(conn));
		return 1;
	}
	PQclear(PQexec(conn, "SET extra_float_digits = 1; SET bytea_output = hex; "
			     "SET client_encoding = UTF8"));
	if (i < argc && strcmp(argv[i], "--catalog") == 0) {
		catalog = 1;
		i++;
	}
	if (i + 1 < argc && strcmp(argv[i], "--random-floats") == 0) {
		random_batches = atoi(argv[i + 1]);
		i += 2;
	}
	if (i + 1 < argc && strcmp(argv[i], "--random-numeric") == 0) {
		random_numeric = atoi(argv[i + 1]);
		i += 2;
	}
	dh_sqltime_settings_init(&tset);
	tset.zones = dh_sqltime_zones_new();
	env.time = &tset;
	if (catalog) {
		check_types();
		check_casts();
		check_operators();
		check_procs();
	}
	if (random_batches)
		check_random_floats(random_batches);
	if (random_numeric)
		check_random_numeric(random_numeric);
	for (; i < argc; i++) {
		FILE *f = fopen(argv[i], "r");
		char line[65536];
		if (!f) {
			printf("Bail out! cannot open %s: %s\n", argv[i], strerror(errno));
			return 1;
		}
		while (fgets(line, sizeof(line), f)) {
			size_t n = strlen(line);
			while (n > 0 && (line[n - 1] == '\n' || line[n - 1] == '\r'))
				line[--n] = '\0';
			if (n == 0 || line[0] == '#')
				continue;
			if (strncmp(line, "type: ", 6) == 0)
				run_type(line + 6);
			else if (strncmp(line, "sort: ", 6) == 0)
				run_sort(line + 6);
			else if (strncmp(line, "set ", 4) == 0)
				run_set(line);
			else
				run_expr(line);
		}
		fclose(f);
	}
	printf("1..%d\n", ntest);
	PQfinish(conn);
	dh_sqltime_zones_free(tset.zones);
	dh_sqltime_tz_free(cur_tz);
	return nfail ? 1 : 0;
}
