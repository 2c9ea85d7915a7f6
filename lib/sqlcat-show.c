/*
 * sqlcat-show: catalog objects as PostgreSQL's ruleutils.c shows them
 * (pg_get_expr, pg_get_constraintdef, pg_get_indexdef's parts,
 * quote_identifier), for dh-query's describe commands (shell-describe.c)
 * and the pg_catalog functions psql calls (sqlc-pgcat.c), so both print
 * the same.
 *
 * Expressions are shown as PostgreSQL shows them where that is a matter of
 * constants: a DEFAULT that is a literal is shown as the constant
 * PostgreSQL stores ('anon'::character varying, '-1'::integer,
 * nextval('s'::regclass)), and in a CHECK a comparison of a column with a
 * literal shows the casts PostgreSQL's parser adds (price > 0::numeric,
 * v::text <> 'a'::text).  Other expressions are shown as stored:
 * libpg_query's deparse of what was written, which can differ from
 * PostgreSQL's (BETWEEN, IN, parentheses).
 */
#include <ctype.h>
#include <errno.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "sql-int.h"

/* PostgreSQL's keywords that quote_identifier quotes (all but the
 * unreserved ones), sorted for bsearch. */
/* clang-format off */
static const char *const keywords[] = {
    "all", "analyse", "analyze", "and", "any", "array", "as", "asc", "asymmetric",
    "authorization", "between", "bigint", "binary", "bit", "boolean", "both", "case", "cast",
    "char", "character", "check", "coalesce", "collate", "collation", "column", "concurrently",
    "constraint", "create", "cross", "current_catalog", "current_date", "current_role",
    "current_schema", "current_time", "current_timestamp", "current_user", "dec", "decimal",
    "default", "deferrable", "desc", "distinct", "do", "else", "end", "except", "exists",
    "extract", "false", "fetch", "float", "for", "foreign", "freeze", "from", "full", "grant",
    "greatest", "group", "grouping", "having", "ilike", "in", "initially", "inner", "inout", "int",
    "integer", "intersect", "interval", "into", "is", "isnull", "join", "lateral", "leading",
    "least", "left", "like", "limit", "localtime", "localtimestamp", "national", "natural",
    "nchar", "none", "normalize", "not", "notnull", "null", "nullif", "numeric", "offset", "on",
    "only", "or", "order", "out", "outer", "overlaps", "overlay", "placing", "position",
    "precision", "primary", "real", "references", "returning", "right", "row", "select",
    "session_user", "setof", "similar", "smallint", "some", "substring", "symmetric", "table",
    "tablesample", "then", "time", "timestamp", "to", "trailing", "treat", "trim", "true",
    "union", "unique", "user", "using", "values", "varchar", "variadic", "verbose", "when",
    "where", "window", "with", "xmlattributes", "xmlconcat", "xmlelement", "xmlexists",
    "xmlforest", "xmlnamespaces", "xmlparse", "xmlpi", "xmlroot", "xmlserialize", "xmltable"};
/* clang-format on */

static int
kw_cmp(const void *k, const void *e)
{
	return strcmp(k, *(const char *const *)e);
}

/* quote_identifier: as is when lower case, digits, _ and $ (not first)
 * and not a keyword, else in double quotes with quotes doubled. */
const char *
dh__sqlshow_ident(struct dh_arena *a, const char *s)
{
	int safe = s[0] && (islower((unsigned char)s[0]) || s[0] == '_');
	for (const char *p = s; safe && *p; p++)
		safe = islower((unsigned char)*p) || isdigit((unsigned char)*p) || *p == '_' ||
		       *p == '$';
	if (safe && bsearch(s, keywords, DH_ARRAY_SIZE(keywords), sizeof(keywords[0]), kw_cmp))
		safe = 0;
	if (safe)
		return s;
	struct dh_buf b;
	dh_buf_init(&b, 0);
	dh_buf_add_quoted(&b, s, '"');
	const char *r = dh_arena_strndup(a, (const char *)b.p, b.len);
	dh_buf_release(&b);
	return r;
}

/* 'text' with quotes doubled (simple_quote_literal, standard strings) */
void
dh__sqlshow_literal(struct dh_buf *b, const char *s, size_t n)
{
	dh_buf_addc(b, '\'');
	for (size_t i = 0; i < n; i++) {
		if (s[i] == '\'')
			dh_buf_addc(b, '\'');
		dh_buf_addc(b, s[i]);
	}
	dh_buf_addc(b, '\'');
}

/* --- expressions as PostgreSQL shows them --- */

/* A constant of type oid whose output text is v, as ruleutils'
 * get_const_expr prints it. */
static void
const_text(struct dh_buf *b, uint32_t oid, const char *v, size_t n)
{
	if (oid == DH_OID_INT4) {
		if (n && v[0] != '-')
			dh_buf_add(b, v, n);
		else {
			dh__sqlshow_literal(b, v, n);
			dh_buf_adds(b, "::integer");
		}
		return;
	}
	if (oid == DH_OID_NUMERIC) {
		int plain = n && isdigit((unsigned char)v[0]), isfloat = 0;
		for (size_t i = 0; plain && i < n; i++) {
			if (!strchr("0123456789+-eE.", v[i]))
				plain = 0;
			else if (strchr("eE.", v[i]))
				isfloat = 1;
		}
		if (plain)
			dh_buf_add(b, v, n);
		else
			dh__sqlshow_literal(b, v, n);
		if (!plain || !isfloat)
			dh_buf_adds(b, "::numeric");
		return;
	}
	if (oid == DH_OID_BOOL) {
		dh_buf_adds(b, n && v[0] == 't' ? "true" : "false");
		return;
	}
	dh__sqlshow_literal(b, v, n);
	dh_buf_adds(b, "::");
	struct dh_buf t;
	dh_buf_init(&t, 0);
	dh_sqltype_format(oid, -1, 1, &t);
	dh_buf_add(b, t.p, t.len);
	dh_buf_release(&t);
}

enum lit { L_NONE, L_INT4, L_INT8, L_NUMERIC, L_STRING };

/* What kind of literal s[0..n) is: an integer (int4 or int8 as the
 * parser types it), another number (numeric), a string ('...' with ''
 * inside). */
static enum lit
lit_kind(const char *s, size_t n)
{
	if (n >= 2 && s[0] == '\'' && s[n - 1] == '\'')
		return L_STRING;
	size_t i = n && s[0] == '-' ? 1 : 0;
	int other = 0;
	if (i == n)
		return L_NONE;
	for (; i < n; i++) {
		if (isdigit((unsigned char)s[i]))
			continue;
		if (!strchr(".eE+-", s[i]))
			return L_NONE;
		other = 1;
	}
	char buf[32];
	if (other || n >= sizeof(buf))
		return L_NUMERIC;
	memcpy(buf, s, n);
	buf[n] = 0;
	errno = 0;
	long long x = strtoll(buf, NULL, 10);
	if (errno == ERANGE)
		return L_NUMERIC;
	return x >= INT32_MIN && x <= INT32_MAX ? L_INT4 : L_INT8;
}

/* The literal's own constant (as the parser makes it: integers int4 or
 * int8, other numbers numeric) appended to b. */
static void
lit_const(struct dh_buf *b, enum lit k, const char *s, size_t n)
{
	if (k == L_INT8) {
		dh__sqlshow_literal(b, s, n);
		dh_buf_adds(b, "::bigint");
		return;
	}
	const_text(b, k == L_INT4 ? DH_OID_INT4 : DH_OID_NUMERIC, s, n);
}

/* A string literal as a constant of type oid: its value through the
 * type's input and output, then get_const_expr's form.  0 if the type
 * does not take it (the caller keeps the text). */
static int
string_const(struct dh__sqlshow *d, struct dh_buf *b, uint32_t oid, const char *s, size_t n)
{
	struct dh_buf raw, o;
	struct dh_value v;
	struct dh_err e;
	struct dh_arena a;
	int ok = 0;
	dh_buf_init(&raw, 0);
	dh_buf_init(&o, 0);
	dh_arena_init(&a);
	for (size_t i = 1; i + 1 < n; i++) {
		dh_buf_addc(&raw, s[i]);
		if (s[i] == '\'')
			i++;
	}
	const struct dh_sqlenv *env = d->env;
	if (dh_sqltype_in(oid, -1, raw.p ? (const char *)raw.p : "", raw.len, env, &a, &v, &e) ==
		0 &&
	    dh_sqltype_out(oid, &v, env, &o) == 0) {
		const_text(b, oid, o.p ? (const char *)o.p : "", o.len);
		ok = 1;
	}
	dh_arena_release(&a);
	dh_buf_release(&o);
	dh_buf_release(&raw);
	return ok;
}

/* CURRENT_TIMESTAMP and the other SQL value functions, which PostgreSQL
 * shows in capitals (libpg_query's deparse writes them in lower case). */
static int
sql_value_function(const char *s)
{
	static const char *const names[] = {
	    "current_date",   "current_time",	 "current_timestamp", "localtime",
	    "localtimestamp", "current_role",	 "current_user",      "user",
	    "session_user",   "current_catalog", "current_schema"};
	size_t n = strcspn(s, "(");
	if (s[n] &&
	    (s[strlen(s) - 1] != ')' || strspn(s + n + 1, "0123456789") + n + 2 != strlen(s)))
		return 0;
	for (size_t i = 0; i < DH_ARRAY_SIZE(names); i++)
		if (strlen(names[i]) == n && strncasecmp(s, names[i], n) == 0)
			return 1;
	return 0;
}

/* A column's DEFAULT as pg_get_expr shows it. */
const char *
dh__sqlshow_default(struct dh__sqlshow *d, const struct dh_sqlcol *c)
{
	if (c->identity)
		return c->identity == 'a' ? "generated always as identity"
					  : "generated by default as identity";
	if (!c->dflt)
		return "";
	const char *s = c->dflt;
	size_t n = strlen(s);
	struct dh_buf b;
	dh_buf_init(&b, 0);
	enum lit k = lit_kind(s, n);
	if (k == L_STRING) {
		/* a constant of the column's type; a length coercion is hidden */
		if (!string_const(d, &b, c->type, s, n))
			dh_buf_adds(&b, s);
	} else if (k != L_NONE) {
		/* a number keeps its own type; the cast to the column's is hidden */
		lit_const(&b, k, s, n);
	} else if (strncmp(s, "nextval('", 9) == 0 && n > 11 && strcmp(s + n - 2, "')") == 0) {
		dh_buf_add(&b, s, n - 1);
		dh_buf_adds(&b, "::regclass)");
	} else if (strcasecmp(s, "NULL") == 0) {
		/* PostgreSQL keeps no default that is NULL */
	} else if (sql_value_function(s)) {
		for (size_t i = 0; i < n; i++)
			dh_buf_addc(&b, toupper((unsigned char)s[i]));
	} else {
		dh_buf_adds(&b, s);
	}
	const char *r = dh_arena_strndup(d->a, b.p ? (const char *)b.p : "", b.len);
	dh_buf_release(&b);
	return r;
}

/* A token of a stored expression's text. */
enum tk { T_SPACE, T_IDENT, T_QIDENT, T_NUM, T_STR, T_OP, T_PUNCT };
struct tok {
	enum tk k;
	const char *p;
	size_t n;
	const char *rep; /* replacement text, or NULL */
};

static size_t
tokenize(const char *s, struct tok *t, size_t max)
{
	size_t nt = 0, i = 0, n = strlen(s);
	while (i < n && nt < max) {
		size_t j = i;
		enum tk k;
		char c = s[i];
		if (isspace((unsigned char)c)) {
			while (j < n && isspace((unsigned char)s[j]))
				j++;
			k = T_SPACE;
		} else if (isalpha((unsigned char)c) || c == '_' || (unsigned char)c >= 0x80) {
			while (j < n && (isalnum((unsigned char)s[j]) || s[j] == '_' ||
					 s[j] == '$' || (unsigned char)s[j] >= 0x80))
				j++;
			k = T_IDENT;
		} else if (c == '"') {
			j++;
			while (j < n && !(s[j] == '"' && (j + 1 >= n || s[j + 1] != '"')))
				j += s[j] == '"' ? 2 : 1;
			j = j < n ? j + 1 : n;
			k = T_QIDENT;
		} else if (c == '\'') {
			j++;
			while (j < n && !(s[j] == '\'' && (j + 1 >= n || s[j + 1] != '\'')))
				j += s[j] == '\'' ? 2 : 1;
			j = j < n ? j + 1 : n;
			k = T_STR;
		} else if (isdigit((unsigned char)c) ||
			   (c == '.' && isdigit((unsigned char)s[i + 1]))) {
			while (j < n && (isdigit((unsigned char)s[j]) || s[j] == '.'))
				j++;
			if (j < n && (s[j] == 'e' || s[j] == 'E')) {
				j++;
				if (j < n && (s[j] == '+' || s[j] == '-'))
					j++;
				while (j < n && isdigit((unsigned char)s[j]))
					j++;
			}
			k = T_NUM;
		} else if (c == ':' && s[i + 1] == ':') {
			j += 2;
			k = T_PUNCT;
		} else if (strchr("+-*/<>=~!@#%^&|`?", c)) {
			while (j < n && strchr("+-*/<>=~!@#%^&|`?", s[j]))
				j++;
			k = T_OP;
		} else {
			j++;
			k = T_PUNCT;
		}
		t[nt++] = (struct tok){k, s + i, j - i, NULL};
		i = j;
	}
	return i < n ? 0 : nt;
}

static int
tok_is(const struct tok *t, const char *s)
{
	return t->n == strlen(s) && strncasecmp(t->p, s, t->n) == 0;
}

/* The significant token before / after index i, or -1. */
static long
tok_prev(const struct tok *t, long i)
{
	for (i--; i >= 0 && t[i].k == T_SPACE; i--)
		;
	return i;
}

static long
tok_next(const struct tok *t, long nt, long i)
{
	for (i++; i < nt && t[i].k == T_SPACE; i++)
		;
	return i < nt ? i : -1;
}

/* Does an operand end (or start) here: nothing, a parenthesis, a comma,
 * AND/OR/NOT, so that it is a whole operand of the comparison? */
static int
operand_edge(const struct tok *t, long i)
{
	if (i < 0)
		return 1;
	if (t[i].k == T_PUNCT)
		return t[i].n == 1 && (t[i].p[0] == '(' || t[i].p[0] == ')' || t[i].p[0] == ',');
	return t[i].k == T_IDENT &&
	       (tok_is(&t[i], "and") || tok_is(&t[i], "or") || tok_is(&t[i], "not"));
}

static const struct dh_sqlcol *
tok_column(const struct dh_sqltable *tb, const struct tok *t)
{
	char name[256];
	size_t n = 0;
	if (t->k == T_IDENT) {
		for (size_t i = 0; i < t->n && n + 1 < sizeof(name); i++)
			name[n++] = (char)tolower((unsigned char)t->p[i]);
	} else if (t->k == T_QIDENT) {
		for (size_t i = 1; i + 1 < t->n && n + 1 < sizeof(name); i++) {
			name[n++] = t->p[i];
			if (t->p[i] == '"')
				i++;
		}
	} else {
		return NULL;
	}
	name[n] = 0;
	for (int j = 0; j < tb->ncols; j++)
		if (strcmp(tb->cols[j].name, name) == 0)
			return &tb->cols[j];
	return NULL;
}

/* A literal compared with column c, as the parser coerces it: its text
 * (with the cast PostgreSQL shows) into b, and *colcast the cast the
 * column gets ("::text" for varchar), or 0 if unsure. */
static int
coerce_literal(struct dh__sqlshow *d, const struct dh_sqlcol *c, const char *s, size_t n, struct dh_buf *b,
	       const char **colcast)
{
	enum lit k = lit_kind(s, n);
	*colcast = NULL;
	switch (c->type) {
	case DH_OID_INT2:
	case DH_OID_INT4:
	case DH_OID_INT8:
		if (k != L_INT4 && k != L_INT8)
			return 0;
		lit_const(b, k, s, n); /* cross-type operators: no cast */
		return 1;
	case DH_OID_NUMERIC:
		if (k == L_INT4 || k == L_INT8) {
			lit_const(b, k, s, n);
			dh_buf_adds(b, "::numeric");
			return 1;
		}
		if (k != L_NUMERIC && k != L_STRING)
			return 0;
		break;
	case DH_OID_FLOAT8:
		if (k == L_INT4 || k == L_INT8 || k == L_NUMERIC) {
			lit_const(b, k, s, n);
			dh_buf_adds(b, "::double precision");
			return 1;
		}
		break;
	case DH_OID_VARCHAR:
		if (k != L_STRING)
			return 0;
		*colcast = "::text";
		return string_const(d, b, DH_OID_TEXT, s, n);
	case DH_OID_FLOAT4:
		return 0;
	default:
		break;
	}
	if (k == L_NUMERIC && c->type == DH_OID_NUMERIC) {
		lit_const(b, k, s, n);
		return 1;
	}
	if (k != L_STRING)
		return 0;
	return string_const(d, b, c->type, s, n);
}

int
dh__sqlshow_compared(struct dh__sqlshow *d, const struct dh_sqlcol *c, const char *lit,
		     struct dh_buf *b, const char **colcast)
{
	return coerce_literal(d, c, lit, strlen(lit), b, colcast);
}

int
dh__sqlshow_check_cols(const struct dh_sqltable *tb, const char *expr, int64_t *out, int max)
{
	enum { MAXT = 512 };
	struct tok t[MAXT];
	size_t nt = tokenize(expr, t, MAXT);
	int n = 0;
	for (int c = 0; c < tb->ncols && n < max; c++)
		for (size_t i = 0; i < nt; i++)
			if (tok_column(tb, &t[i]) == &tb->cols[c]) {
				out[n++] = c + 1;
				break;
			}
	return n;
}

/* A CHECK expression as pg_get_constraintdef shows it (see the top). */
const char *
dh__sqlshow_check(struct dh__sqlshow *d, const struct dh_sqltable *tb, const char *expr)
{
	enum { MAXT = 512 };
	struct tok *t = dh_arena_alloc(d->a, MAXT * sizeof(*t));
	long nt = (long)tokenize(expr, t, MAXT);
	static const char *const cmp[] = {"=", "<>", "!=", "<", "<=", ">", ">="};
	for (long i = 0; i < nt; i++) {
		int is_cmp = 0;
		for (size_t k = 0; t[i].k == T_OP && k < DH_ARRAY_SIZE(cmp); k++)
			is_cmp |= tok_is(&t[i], cmp[k]);
		if (!is_cmp)
			continue;
		long l = tok_prev(t, i), r = tok_next(t, nt, i);
		if (l < 0 || r < 0)
			continue;
		/* a negative number is an operator '-' glued to it */
		long r2 = r;
		if (t[r].k == T_OP && tok_is(&t[r], "-") && r + 1 < nt && t[r + 1].k == T_NUM)
			r2 = r + 1;
		if (!operand_edge(t, tok_prev(t, l)) || !operand_edge(t, tok_next(t, nt, r2)))
			continue;
		const struct dh_sqlcol *c;
		long lit_lo, lit_hi, col;
		if ((c = tok_column(tb, &t[l])) && (t[r2].k == T_NUM || t[r2].k == T_STR)) {
			col = l, lit_lo = r, lit_hi = r2;
		} else if (r2 == r && (c = tok_column(tb, &t[r])) &&
			   (t[l].k == T_NUM || t[l].k == T_STR)) {
			col = r, lit_lo = l, lit_hi = l;
		} else {
			continue;
		}
		size_t ln = (size_t)(t[lit_hi].p + t[lit_hi].n - t[lit_lo].p);
		struct dh_buf b;
		const char *colcast;
		dh_buf_init(&b, 0);
		if (coerce_literal(d, c, t[lit_lo].p, ln, &b, &colcast)) {
			t[lit_lo].rep = dh_arena_strndup(d->a, (const char *)b.p, b.len);
			for (long k = lit_lo + 1; k <= lit_hi; k++)
				t[k].rep = "";
			if (colcast)
				t[col].rep = dh_arena_printf(d->a, "%.*s%s", (int)t[col].n,
							     t[col].p, colcast);
		}
		dh_buf_release(&b);
	}
	struct dh_buf b;
	dh_buf_init(&b, 0);
	dh_buf_adds(&b, "CHECK (");
	if (nt == 0 && *expr) {
		dh_buf_adds(&b, expr);
	} else {
		for (long i = 0; i < nt; i++) {
			if (t[i].rep)
				dh_buf_adds(&b, t[i].rep);
			else
				dh_buf_add(&b, t[i].p, t[i].n);
		}
	}
	dh_buf_addc(&b, ')');
	const char *s = dh_arena_strndup(d->a, (const char *)b.p, b.len);
	dh_buf_release(&b);
	return s;
}


/* The column name of attribute id (its ident after the '/'). */
const char *
dh__sqlshow_attr(struct dh__sqlshow *d, uint64_t id)
{
	const struct dh_attr *at = dh_schema_attr_id(d->sc, id);
	const char *slash = at ? strchr(at->ident, '/') : NULL;
	return slash ? dh__sqlshow_ident(d->a, dh__sqlcat_unkw(d->a, slash + 1, strlen(slash + 1)))
		     : "?";
}

static const char *const fk_action[] = {
    ['a'] = NULL, ['r'] = "RESTRICT", ['c'] = "CASCADE", ['n'] = "SET NULL", ['d'] = "SET DEFAULT"};

/* pg_get_constraintdef of a foreign key. */
const char *
dh__sqlshow_fk(struct dh__sqlshow *d, const struct dh_sqlcon *c)
{
	struct dh_buf b;
	dh_buf_init(&b, 0);
	dh_buf_adds(&b, "FOREIGN KEY (");
	for (int k = 0; k < c->ncols; k++)
		dh_buf_printf(&b, "%s%s", k ? ", " : "", dh__sqlshow_attr(d, c->attrs[k]));
	dh_buf_printf(&b, ") REFERENCES %s(", dh__sqlshow_ident(d->a, c->reftable));
	for (int k = 0; k < c->ncols; k++)
		dh_buf_printf(&b, "%s%s", k ? ", " : "",
			      c->refattrs ? dh__sqlshow_attr(d, c->refattrs[k]) : "?");
	dh_buf_addc(&b, ')');
	unsigned char up = (unsigned char)c->onupdate, del = (unsigned char)c->ondelete;
	if (up < DH_ARRAY_SIZE(fk_action) && fk_action[up])
		dh_buf_printf(&b, " ON UPDATE %s", fk_action[up]);
	if (del < DH_ARRAY_SIZE(fk_action) && fk_action[del])
		dh_buf_printf(&b, " ON DELETE %s", fk_action[del]);
	const char *s = dh_arena_strndup(d->a, (const char *)b.p, b.len);
	dh_buf_release(&b);
	return s;
}

/* A key's columns: "a, b". */
const char *
dh__sqlshow_keycols(struct dh__sqlshow *d, const struct dh_sqltable *tb, const int *cols, int n)
{
	struct dh_buf b;
	dh_buf_init(&b, 0);
	for (int k = 0; k < n; k++)
		dh_buf_printf(&b, "%s%s", k ? ", " : "",
			      cols[k] >= 0 ? dh__sqlshow_ident(d->a, tb->cols[cols[k]].name) : "?");
	const char *s = dh_arena_strndup(d->a, b.p ? (const char *)b.p : "", b.len);
	dh_buf_release(&b);
	return s;
}

/* An index key list split at its top-level commas, each key without the
 * ordering PostgreSQL leaves out (ASC, the default NULLS placement);
 * *sort_out gets the ordering part of each. */
int
dh__sqlshow_split_keys(struct dh__sqlshow *d, const char *keys, const char **out, const char **sort_out, int max)
{
	int n = 0, depth = 0, q = 0;
	const char *start = keys;
	for (const char *p = keys;; p++) {
		if (*p == '\'' || *p == '"')
			q = q == *p ? 0 : q ? q : *p;
		else if (!q && *p == '(')
			depth++;
		else if (!q && *p == ')')
			depth--;
		if (*p && (q || depth || *p != ','))
			continue;
		if (n == max)
			break;
		while (isspace((unsigned char)*start))
			start++;
		size_t len = (size_t)(p - start);
		while (len && isspace((unsigned char)start[len - 1]))
			len--;
		char *k = dh_arena_strndup(d->a, start, len);
		/* the ordering words at the end */
		const char *sort = "";
		static const char *const suffixes[] = {" DESC NULLS FIRST",
						       " DESC NULLS LAST",
						       " ASC NULLS FIRST",
						       " ASC NULLS LAST",
						       " NULLS FIRST",
						       " NULLS LAST",
						       " DESC",
						       " ASC"};
		for (size_t s = 0; s < DH_ARRAY_SIZE(suffixes); s++) {
			size_t sl = strlen(suffixes[s]);
			if (len > sl && strcasecmp(k + len - sl, suffixes[s]) == 0) {
				k[len - sl] = 0;
				static const char *const shown[] = {
				    " DESC",	    " DESC NULLS LAST",
				    " NULLS FIRST", "",
				    " NULLS FIRST", "",
				    " DESC",	    ""};
				sort = shown[s];
				break;
			}
		}
		out[n] = k;
		sort_out[n++] = sort;
		if (!*p)
			break;
		start = p + 1;
	}
	return n;
}
