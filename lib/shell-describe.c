/*
 * shell-describe: dh-query's psql describe commands (shell-int.h), read
 * from the SQL catalog (sqlcat) and printed in psql 15's shapes: the
 * listings \d, \dt, \dv, \ds, \di (and their combinations, "List of
 * relations"), and \d PATTERN, which describes each relation the pattern
 * matches: a table's columns and its footers (Indexes, Check constraints,
 * Foreign-key constraints, Referenced by), a view's columns, a sequence's
 * parameters, an index's columns.  Patterns follow psql: * and ?
 * wildcards, other regular expression characters as they are, unquoted
 * letters folded to lower case, double quotes keep case and make
 * everything literal, and an optional "schema." in front (only public
 * exists).
 *
 * The catalog is read in one dh__sql_read callback, the session's view:
 * inside a transaction block the describe sees the block's own DDL, as
 * psql's catalog queries do.  Everything printed is copied into the
 * caller's arena before the view goes.  Two things the catalog does not
 * hold are asked of the session afterwards with a query that returns no
 * rows: the column types of a view ("SELECT * FROM v LIMIT 0") and the
 * name and type of an index's expression column.
 *
 * Expressions are shown as PostgreSQL's pg_get_expr and
 * pg_get_constraintdef show them where that is a matter of constants:
 * a DEFAULT that is a literal is shown as the constant PostgreSQL stores
 * ('anon'::character varying, '-1'::integer, nextval('s'::regclass)), and
 * in a CHECK a comparison of a column with a literal shows the casts
 * PostgreSQL's parser adds (price > 0::numeric, v::text <> 'a'::text).
 * Other expressions are shown as stored: libpg_query's deparse of what was
 * written, which can differ from PostgreSQL's (BETWEEN, IN, parentheses).
 */
#include <ctype.h>
#include <errno.h>
#include <regex.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "shell-int.h"
#include "sql-int.h"

#define MAXCOLS 10

/* One table as psql's printTable makes it: a title, columns, rows, then
 * "(N rows)" (listings) or footer lines (descriptions). */
struct ptab {
	const char *title;
	int ncols;
	const char *cols[MAXCOLS];
	int num[MAXCOLS];
	size_t nrows, arows;
	const char **cells;
	const char **foot;
	size_t nfoot, afoot;
	int count;
};

/* A relation the command matched. */
struct rel {
	char kind; /* r table, v view, S sequence, i index */
	const char *name;
	const char *table; /* i: the table it is on */
	struct ptab *t;	   /* \d NAME: its description */
};

/* Rows to complete from a query's result columns after the catalog read:
 * a view's columns (view set: one row per result column), or one
 * expression column of an index (row: its Column and Type cells). */
struct fill {
	struct ptab *t;
	size_t row;
	int view;
	const char *query;
};

struct dctx {
	struct dh_sql *s;
	struct dh_arena *a;
	int plus;
	int detail;	     /* \d PATTERN: describe, not list */
	const char *kinds;   /* listing: the kinds wanted, "rvS", "i", ... */
	const char *pattern; /* as given, NULL for none */
	regex_t re, sre;     /* the name's and the schema's */
	int have_re, have_sre;
	const char *owner;
	const char *db; /* the current database's name */
	struct rel *rels;
	size_t nrels, arels;
	struct fill *fills;
	size_t nfills, afills;
	struct dh_sqltable **tabs; /* during the read */
	int ntabs;
	const struct dh_schema *sc;
};

/* --- small helpers --- */

static const char *
fmt_type(struct dh_arena *a, uint32_t oid, int32_t typmod)
{
	struct dh_buf b;
	dh_buf_init(&b, 0);
	dh_sqltype_format(oid, typmod, 1, &b);
	const char *s = dh_arena_strndup(a, b.p ? (const char *)b.p : "", b.len);
	dh_buf_release(&b);
	return s;
}

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
static const char *
quote_ident(struct dh_arena *a, const char *s)
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
static void
quote_literal(struct dh_buf *b, const char *s, size_t n)
{
	dh_buf_addc(b, '\'');
	for (size_t i = 0; i < n; i++) {
		if (s[i] == '\'')
			dh_buf_addc(b, '\'');
		dh_buf_addc(b, s[i]);
	}
	dh_buf_addc(b, '\'');
}

static struct ptab *
ptab_new(struct dh_arena *a, const char *title, int ncols, const char *const *cols)
{
	struct ptab *t = dh_arena_zalloc(a, sizeof(*t));
	t->title = title;
	t->ncols = ncols;
	for (int j = 0; j < ncols; j++)
		t->cols[j] = cols[j];
	return t;
}

/* A new row of empty cells. */
static const char **
ptab_row(struct dh_arena *a, struct ptab *t)
{
	if (t->nrows == t->arows) {
		t->arows = t->arows ? 2 * t->arows : 8;
		const char **nc = dh_arena_alloc(a, t->arows * (size_t)t->ncols * sizeof(*nc));
		if (t->nrows)
			memcpy(nc, t->cells, t->nrows * (size_t)t->ncols * sizeof(*nc));
		t->cells = nc;
	}
	const char **row = &t->cells[t->nrows++ * (size_t)t->ncols];
	for (int j = 0; j < t->ncols; j++)
		row[j] = "";
	return row;
}

static void
ptab_foot(struct dh_arena *a, struct ptab *t, const char *line)
{
	if (t->nfoot == t->afoot) {
		t->afoot = t->afoot ? 2 * t->afoot : 8;
		const char **nf = dh_arena_alloc(a, t->afoot * sizeof(*nf));
		if (t->nfoot)
			memcpy(nf, t->foot, t->nfoot * sizeof(*nf));
		t->foot = nf;
	}
	t->foot[t->nfoot++] = line;
}

/* psql's aligned table: the title centered over the rule's width, then
 * the table, then "(N rows)" or the footers, then an empty line.  Other
 * formats print the table alone. */
static int
ptab_print(struct dh_buf *out, enum dh_format f, const struct ptab *t)
{
	struct dh_rows r = {(size_t)t->ncols, t->nrows, t->cols, t->num, NULL, t->cells};
	struct dh_buf b;
	dh_buf_init(&b, 0);
	int rc = dh_rows_format(&b, f, &r);
	if (rc == 0 && (f == DH_FMT_ALIGNED || f == DH_FMT_EDN)) {
		const char *p = (const char *)b.p;
		const char *rule = strchr(p, '\n');
		size_t w = rule ? strcspn(rule + 1, "\n") : 0;
		size_t tw = dh_text_width(t->title, strlen(t->title));
		dh_buf_printf(out, "%*s%s\n", tw >= w ? 0 : (int)((w - tw) / 2), "", t->title);
		size_t len = b.len;
		if (!t->count) {
			char tail[64];
			int tl = snprintf(tail, sizeof(tail), "(%zu row%s)\n\n", t->nrows,
					  t->nrows == 1 ? "" : "s");
			if (len >= (size_t)tl && memcmp(p + len - tl, tail, (size_t)tl) == 0)
				len -= (size_t)tl;
		}
		dh_buf_add(out, p, len);
		if (!t->count) {
			for (size_t i = 0; i < t->nfoot; i++)
				dh_buf_printf(out, "%s\n", t->foot[i]);
			dh_buf_addc(out, '\n');
		}
	} else if (rc == 0) {
		dh_buf_add(out, b.p, b.len);
	}
	dh_buf_release(&b);
	return rc;
}

/* --- patterns --- */

/* psql's processSQLNamePattern: the name part (and the schema part, if
 * the pattern has one) as anchored POSIX regular expressions.  1 for a
 * name psql refuses (msg says why), 2201B for a bad regular expression. */
static int
compile_pattern(struct dctx *d, const char *pat, struct dh_buf *msg, struct dh_err *err)
{
	struct dh_buf part[3];
	int np = 0, inq = 0;
	for (int i = 0; i < 3; i++) {
		dh_buf_init(&part[i], 0);
		dh_buf_adds(&part[i], "^(");
	}
	for (const char *cp = pat; *cp; cp++) {
		char ch = *cp;
		struct dh_buf *b = &part[np];
		if (ch == '"') {
			if (inq && cp[1] == '"') {
				dh_buf_addc(b, '"');
				cp++;
			} else {
				inq = !inq;
			}
		} else if (!inq && isupper((unsigned char)ch)) {
			dh_buf_addc(b, tolower((unsigned char)ch));
		} else if (!inq && ch == '*') {
			dh_buf_adds(b, ".*");
		} else if (!inq && ch == '?') {
			dh_buf_addc(b, '.');
		} else if (!inq && ch == '.') {
			if (np == 2) {
				dh_buf_printf(
				    msg,
				    "error: improper qualified name (too many dotted names): %s\n",
				    pat);
				np = 3;
				break;
			}
			np++;
		} else if (ch == '$') {
			dh_buf_adds(b, "\\$");
		} else {
			if (inq && strchr("|*+?()[]{}.^\\", ch))
				dh_buf_addc(b, '\\');
			else if (ch == '[' && cp[1] == ']')
				dh_buf_addc(b, '\\');
			dh_buf_addc(b, ch);
		}
	}
	int rc = 0;
	if (np == 3) {
		rc = 1;
	} else if (np == 2 && !(part[0].len == 2 + strlen(d->db) &&
				memcmp(part[0].p + 2, d->db, strlen(d->db)) == 0)) {
		dh_buf_printf(msg, "error: cross-database references are not implemented: %s\n",
			      pat);
		rc = 1;
	} else {
		/* db.schema.name in the current database is schema.name */
		struct dh_buf *name = &part[np], *schema = np ? &part[np - 1] : NULL;
		dh_buf_adds(name, ")$");
		int e = 0;
		if (name->len > 4 &&
		    (e = regcomp(&d->re, (const char *)name->p, REG_EXTENDED | REG_NOSUB)) == 0)
			d->have_re = 1;
		if (!e && schema && schema->len > 2) {
			dh_buf_adds(schema, ")$");
			e = regcomp(&d->sre, (const char *)schema->p, REG_EXTENDED | REG_NOSUB);
			d->have_sre = e == 0;
		}
		if (e) {
			/* psql's query would fail on the server with this */
			char why[128];
			regerror(e, NULL, why, sizeof(why));
			for (char *w = why; *w; w++)
				*w = (char)tolower((unsigned char)*w);
			rc = dh_err_sql(err, "2201B", "invalid regular expression: %s", why);
		}
	}
	for (int i = 0; i < 3; i++)
		dh_buf_release(&part[i]);
	return rc;
}

static int
matches(struct dctx *d, char kind, const char *name)
{
	if (d->have_sre && regexec(&d->sre, "public", 0, NULL, 0) != 0)
		return 0;
	if (d->have_re && regexec(&d->re, name, 0, NULL, 0) != 0)
		return 0;
	return d->detail || strchr(d->kinds, kind) != NULL;
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
			quote_literal(b, v, n);
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
			quote_literal(b, v, n);
		if (!plain || !isfloat)
			dh_buf_adds(b, "::numeric");
		return;
	}
	if (oid == DH_OID_BOOL) {
		dh_buf_adds(b, n && v[0] == 't' ? "true" : "false");
		return;
	}
	quote_literal(b, v, n);
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
		quote_literal(b, s, n);
		dh_buf_adds(b, "::bigint");
		return;
	}
	const_text(b, k == L_INT4 ? DH_OID_INT4 : DH_OID_NUMERIC, s, n);
}

/* A string literal as a constant of type oid: its value through the
 * type's input and output, then get_const_expr's form.  0 if the type
 * does not take it (the caller keeps the text). */
static int
string_const(struct dctx *d, struct dh_buf *b, uint32_t oid, const char *s, size_t n)
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
	const struct dh_sqlenv *env = dh__sql_env(d->s);
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
static const char *
show_default(struct dctx *d, const struct dh_sqlcol *c)
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
coerce_literal(struct dctx *d, const struct dh_sqlcol *c, const char *s, size_t n, struct dh_buf *b,
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

/* A CHECK expression as pg_get_constraintdef shows it (see the top). */
static const char *
show_check(struct dctx *d, const struct dh_sqltable *tb, const char *expr)
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

/* --- tables --- */

/* The column name of attribute id (its ident after the '/'). */
static const char *
attr_col(struct dctx *d, uint64_t id)
{
	const struct dh_attr *at = dh_schema_attr_id(d->sc, id);
	const char *slash = at ? strchr(at->ident, '/') : NULL;
	return slash ? quote_ident(d->a, dh__sqlcat_unkw(d->a, slash + 1, strlen(slash + 1)))
		     : "?";
}

static const char *const fk_action[] = {
    ['a'] = NULL, ['r'] = "RESTRICT", ['c'] = "CASCADE", ['n'] = "SET NULL", ['d'] = "SET DEFAULT"};

/* pg_get_constraintdef of a foreign key. */
static const char *
fk_def(struct dctx *d, const struct dh_sqlcon *c)
{
	struct dh_buf b;
	dh_buf_init(&b, 0);
	dh_buf_adds(&b, "FOREIGN KEY (");
	for (int k = 0; k < c->ncols; k++)
		dh_buf_printf(&b, "%s%s", k ? ", " : "", attr_col(d, c->attrs[k]));
	dh_buf_printf(&b, ") REFERENCES %s(", quote_ident(d->a, c->reftable));
	for (int k = 0; k < c->ncols; k++)
		dh_buf_printf(&b, "%s%s", k ? ", " : "",
			      c->refattrs ? attr_col(d, c->refattrs[k]) : "?");
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
static const char *
key_cols(struct dctx *d, const struct dh_sqltable *tb, const int *cols, int n)
{
	struct dh_buf b;
	dh_buf_init(&b, 0);
	for (int k = 0; k < n; k++)
		dh_buf_printf(&b, "%s%s", k ? ", " : "",
			      cols[k] >= 0 ? quote_ident(d->a, tb->cols[cols[k]].name) : "?");
	const char *s = dh_arena_strndup(d->a, b.p ? (const char *)b.p : "", b.len);
	dh_buf_release(&b);
	return s;
}

/* An index key list split at its top-level commas, each key without the
 * ordering PostgreSQL leaves out (ASC, the default NULLS placement);
 * *sort_out gets the ordering part of each. */
static int
split_keys(struct dctx *d, const char *keys, const char **out, const char **sort_out, int max)
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

static void
add_fill(struct dctx *d, struct ptab *t, size_t row, int view, const char *query)
{
	if (d->nfills == d->afills) {
		d->afills = d->afills ? 2 * d->afills : 8;
		struct fill *nf = dh_arena_alloc(d->a, d->afills * sizeof(*nf));
		if (d->nfills)
			memcpy(nf, d->fills, d->nfills * sizeof(*nf));
		d->fills = nf;
	}
	d->fills[d->nfills++] = (struct fill){t, row, view, query};
}

static const char *const detail_cols[] = {"Column",	 "Type",	 "Collation",
					  "Nullable",	 "Default",	 "Storage",
					  "Compression", "Stats target", "Description"};

/* pg_type.typstorage as \d+ shows it */
static const char *
storage_of(uint32_t oid)
{
	const struct dh_sqltype *t = dh_sqltype_by_oid(oid);
	if (oid == DH_OID_NUMERIC)
		return "main";
	return t && t->typlen == -1 ? "extended" : "plain";
}

static struct ptab *
describe_table(struct dctx *d, const struct dh_sqltable *tb)
{
	struct dh_arena *a = d->a;
	struct ptab *t = ptab_new(a, dh_arena_printf(a, "Table \"public.%s\"", tb->name),
				  d->plus ? 9 : 5, detail_cols);
	for (int i = 0; i < tb->ncols; i++) {
		const struct dh_sqlcol *c = &tb->cols[i];
		const char **row = ptab_row(a, t);
		row[0] = dh_arena_strdup(a, c->name);
		row[1] = fmt_type(a, c->type, c->typmod);
		row[3] = c->notnull ? "not null" : "";
		row[4] = show_default(d, c);
		if (d->plus)
			row[5] = storage_of(c->type);
	}
	/* Indexes: the primary key first, then by name */
	int first = 1;
	for (int pass = 0; pass < 2; pass++) {
		/* constraints and CREATE INDEX indexes merged by name */
		int ci = 0, ii = 0;
		for (;;) {
			const struct dh_sqlcon *c = NULL;
			const struct dh_sqlindex *x = NULL;
			while (ci < tb->ncons && tb->cons[ci].kind != 'p' &&
			       tb->cons[ci].kind != 'u')
				ci++;
			if (ci < tb->ncons &&
			    (ii >= tb->nidx || strcmp(tb->cons[ci].name, tb->idx[ii].name) < 0))
				c = &tb->cons[ci++];
			else if (ii < tb->nidx)
				x = &tb->idx[ii++];
			else
				break;
			if ((pass == 0) != (c && c->kind == 'p'))
				continue;
			if (first)
				ptab_foot(a, t, "Indexes:");
			first = 0;
			if (c) {
				ptab_foot(a, t,
					  dh_arena_printf(a, "    \"%s\" %s, btree (%s)", c->name,
							  c->kind == 'p' ? "PRIMARY KEY"
									 : "UNIQUE CONSTRAINT",
							  key_cols(d, tb, c->cols, c->ncols)));
			} else {
				const char *keys[64], *sort[64];
				int nk = split_keys(d, x->keys ? x->keys : "", keys, sort, 64);
				struct dh_buf b;
				dh_buf_init(&b, 0);
				for (int k = 0; k < nk; k++)
					dh_buf_printf(&b, "%s%s%s", k ? ", " : "", keys[k],
						      sort[k]);
				ptab_foot(a, t,
					  dh_arena_printf(a, "    \"%s\" %sbtree (%.*s)", x->name,
							  x->unique ? "UNIQUE, " : "", (int)b.len,
							  b.p ? (const char *)b.p : ""));
				dh_buf_release(&b);
			}
		}
	}
	first = 1;
	for (int i = 0; i < tb->ncons; i++) {
		const struct dh_sqlcon *c = &tb->cons[i];
		if (c->kind != 'c')
			continue;
		if (first)
			ptab_foot(a, t, "Check constraints:");
		first = 0;
		ptab_foot(a, t,
			  dh_arena_printf(a, "    \"%s\" %s", c->name,
					  show_check(d, tb, c->expr ? c->expr : "")));
	}
	first = 1;
	for (int i = 0; i < tb->ncons; i++) {
		const struct dh_sqlcon *c = &tb->cons[i];
		if (c->kind != 'f')
			continue;
		if (first)
			ptab_foot(a, t, "Foreign-key constraints:");
		first = 0;
		ptab_foot(a, t, dh_arena_printf(a, "    \"%s\" %s", c->name, fk_def(d, c)));
	}
	/* Referenced by, by constraint name */
	int nr = tb->nrefby;
	const struct dh_sqlcon **refs = dh_arena_alloc(a, (size_t)(nr + 1) * sizeof(*refs));
	for (int i = 0; i < nr; i++) {
		int j = i;
		while (j > 0 && strcmp(refs[j - 1]->name, tb->refby[i].name) > 0) {
			refs[j] = refs[j - 1];
			j--;
		}
		refs[j] = &tb->refby[i];
	}
	for (int i = 0; i < nr; i++) {
		if (i == 0)
			ptab_foot(a, t, "Referenced by:");
		ptab_foot(a, t,
			  dh_arena_printf(a, "    TABLE \"%s\" CONSTRAINT \"%s\" %s",
					  refs[i]->table, refs[i]->name, fk_def(d, refs[i])));
	}
	if (d->plus)
		ptab_foot(a, t, "Access method: heap");
	return t;
}

static const char *
quoted_select(struct dctx *d, const char *what, const char *rel)
{
	return dh_arena_printf(d->a, "SELECT %s FROM %s LIMIT 0", what, quote_ident(d->a, rel));
}

static struct ptab *
describe_view(struct dctx *d, const char *name)
{
	struct ptab *t =
	    ptab_new(d->a, dh_arena_printf(d->a, "View \"public.%s\"", name), 5, detail_cols);
	add_fill(d, t, 0, 1, quoted_select(d, "*", name));
	return t;
}

/* The table a sequence belongs to: "Owned by" or the identity's. */
static void
seq_owner(struct dctx *d, struct ptab *t, const struct dh_sqlseq *q)
{
	for (int i = 0; i < d->ntabs; i++) {
		const struct dh_sqltable *tb = d->tabs[i];
		for (int j = 0; j < tb->ncols; j++) {
			const struct dh_sqlcol *c = &tb->cols[j];
			if (!(q->owner && c->attr == q->owner) &&
			    !(c->identity && c->seq == q->eid))
				continue;
			ptab_foot(d->a, t,
				  dh_arena_printf(
				      d->a, "%s: public.%s.%s",
				      c->identity ? "Sequence for identity column" : "Owned by",
				      quote_ident(d->a, tb->name), quote_ident(d->a, c->name)));
			return;
		}
	}
}

static int
describe_seq(struct dctx *d, const char *name, struct dh_view *v, struct ptab **out,
	     struct dh_err *err)
{
	static const char *const cols[] = {"Type",	"Start",   "Minimum", "Maximum",
					   "Increment", "Cycles?", "Cache"};
	struct dh_sqlseq q;
	int rc = dh__sqlcat_seq(v, d->sc, name, d->a, &q, err);
	if (rc)
		return rc < 0 ? rc : 0;
	struct ptab *t =
	    ptab_new(d->a, dh_arena_printf(d->a, "Sequence \"public.%s\"", name), 7, cols);
	for (int j = 1; j < 7; j++)
		t->num[j] = j != 5;
	const char **row = ptab_row(d->a, t);
	row[0] = fmt_type(d->a, q.type, -1);
	row[1] = dh_arena_printf(d->a, "%lld", (long long)q.start);
	row[2] = dh_arena_printf(d->a, "%lld", (long long)q.min);
	row[3] = dh_arena_printf(d->a, "%lld", (long long)q.max);
	row[4] = dh_arena_printf(d->a, "%lld", (long long)q.inc);
	row[5] = q.cycle ? "yes" : "no";
	row[6] = dh_arena_printf(d->a, "%lld", (long long)q.cache);
	seq_owner(d, t, &q);
	*out = t;
	return 0;
}

/* An index: a primary key's or unique constraint's (c) or CREATE
 * INDEX's (x) on table tb. */
static struct ptab *
describe_index(struct dctx *d, const struct dh_sqltable *tb, const struct dh_sqlcon *c,
	       const struct dh_sqlindex *x)
{
	static const char *const cols[] = {"Column", "Type", "Key?", "Definition"};
	struct dh_arena *a = d->a;
	const char *name = c ? c->name : x->name;
	struct ptab *t = ptab_new(a, dh_arena_printf(a, "Index \"public.%s\"", name), 4, cols);
	if (c) {
		for (int k = 0; k < c->ncols; k++) {
			const char **row = ptab_row(a, t);
			const struct dh_sqlcol *col =
			    c->cols[k] >= 0 ? &tb->cols[c->cols[k]] : NULL;
			row[0] = col ? dh_arena_strdup(a, col->name) : "?";
			row[1] = col ? fmt_type(a, col->type, col->typmod) : "";
			row[2] = "yes";
			row[3] = col ? quote_ident(a, row[0]) : "?";
		}
	} else {
		const char *keys[64], *sort[64];
		int nk = split_keys(d, x->keys ? x->keys : "", keys, sort, 64);
		for (int k = 0; k < nk; k++) {
			const char **row = ptab_row(a, t);
			int ci = k < x->ncols ? x->cols[k] : -1;
			row[2] = "yes";
			row[3] = keys[k];
			if (ci >= 0) {
				row[0] = dh_arena_strdup(a, tb->cols[ci].name);
				row[1] = fmt_type(a, tb->cols[ci].type, tb->cols[ci].typmod);
			} else {
				add_fill(d, t, t->nrows - 1, 0,
					 quoted_select(d, keys[k], tb->name));
			}
		}
	}
	ptab_foot(a, t,
		  dh_arena_printf(a, "%sbtree, for table \"public.%s\"",
				  c && c->kind == 'p'		       ? "primary key, "
				  : (c && c->kind == 'u') || x->unique ? "unique, "
								       : "",
				  tb->name));
	return t;
}

/* --- gathering --- */

static void
add_rel(struct dctx *d, char kind, const char *name, const char *table, struct ptab *t)
{
	if (d->nrels == d->arels) {
		d->arels = d->arels ? 2 * d->arels : 16;
		struct rel *nr = dh_arena_alloc(d->a, d->arels * sizeof(*nr));
		if (d->nrels)
			memcpy(nr, d->rels, d->nrels * sizeof(*nr));
		d->rels = nr;
	}
	d->rels[d->nrels++] = (struct rel){kind, dh_arena_strdup(d->a, name),
					   table ? dh_arena_strdup(d->a, table) : NULL, t};
}

static int
read_catalog(void *ctx, struct dh_view *v, const struct dh_schema *sc, struct dh_err *err)
{
	struct dctx *d = ctx;
	int rc;
	d->sc = sc;
	if ((rc = dh__sqlcat_tables(v, sc, d->a, &d->tabs, &d->ntabs, err)))
		return rc;
	for (int i = 0; i < d->ntabs; i++) {
		const struct dh_sqltable *tb = d->tabs[i];
		if (matches(d, 'r', tb->name))
			add_rel(d, 'r', tb->name, NULL, d->detail ? describe_table(d, tb) : NULL);
		for (int k = 0; k < tb->ncons; k++) {
			const struct dh_sqlcon *c = &tb->cons[k];
			if ((c->kind == 'p' || c->kind == 'u') && matches(d, 'i', c->name))
				add_rel(d, 'i', c->name, tb->name,
					d->detail ? describe_index(d, tb, c, NULL) : NULL);
		}
		for (int k = 0; k < tb->nidx; k++)
			if (matches(d, 'i', tb->idx[k].name))
				add_rel(d, 'i', tb->idx[k].name, tb->name,
					d->detail ? describe_index(d, tb, NULL, &tb->idx[k])
						  : NULL);
	}
	const char **names;
	uint64_t *eids;
	size_t n;
	if ((rc = dh__sqlcat_names(v, sc, "dh.sql/view", d->a, &names, &eids, &n, err)))
		return rc;
	for (size_t i = 0; i < n; i++)
		if (matches(d, 'v', names[i]))
			add_rel(d, 'v', names[i], NULL,
				d->detail ? describe_view(d, names[i]) : NULL);
	if ((rc = dh__sqlcat_names(v, sc, "dh.sql/sequence", d->a, &names, &eids, &n, err)))
		return rc;
	for (size_t i = 0; i < n; i++) {
		if (!matches(d, 'S', names[i]))
			continue;
		struct ptab *t = NULL;
		if (d->detail && (rc = describe_seq(d, names[i], v, &t, err)))
			return rc;
		if (!d->detail || t)
			add_rel(d, 'S', names[i], NULL, t);
	}
	d->tabs = NULL;
	d->ntabs = 0;
	d->sc = NULL;
	return 0;
}

static int
rel_cmp(const void *x, const void *y)
{
	return strcmp(((const struct rel *)x)->name, ((const struct rel *)y)->name);
}

/* The query's result columns, for the fills. */
struct fillres {
	struct dctx *d;
	struct fill *f;
};

static int
fill_cb(void *ctx, const struct dh_sql_result *r)
{
	struct fillres *fr = ctx;
	struct dh_arena *a = fr->d->a;
	struct fill *f = fr->f;
	for (int j = 0; j < r->ncols; j++) {
		const char **row;
		if (f->view) {
			row = ptab_row(a, f->t);
		} else {
			if (j)
				break;
			row = &f->t->cells[f->row * (size_t)f->t->ncols];
		}
		const char *name = r->cols[j].name;
		row[0] = dh_arena_strdup(a, f->view || strcmp(name, "?column?") ? name : "expr");
		row[1] = fmt_type(a, r->cols[j].type_oid, r->cols[j].typmod);
	}
	return 0;
}

/* --- the commands --- */

/* psql's OT_NORMAL arguments: split at blanks; double quotes kept (the
 * pattern reads them), single quotes removed. */
static int
next_arg(struct dh_arena *a, const char **p, const char *end, const char **out)
{
	const char *s = *p;
	while (s < end && isspace((unsigned char)*s))
		s++;
	if (s == end) {
		*p = s;
		return 0;
	}
	struct dh_buf b;
	dh_buf_init(&b, 0);
	char q = 0;
	for (; s < end && (q || !isspace((unsigned char)*s)); s++) {
		if (q == '\'' && *s == '\'') {
			if (s + 1 < end && s[1] == '\'')
				dh_buf_addc(&b, *s++);
			else
				q = 0;
			continue;
		}
		if (!q && *s == '\'') {
			q = '\'';
			continue;
		}
		if (*s == '"')
			q = q == '"' ? 0 : q ? q : '"';
		dh_buf_addc(&b, *s);
	}
	*out = dh_arena_strndup(a, b.p ? (const char *)b.p : "", b.len);
	dh_buf_release(&b);
	*p = s;
	return 1;
}

int
dh__shell_describe(struct dh_sql *s, const char *cmd, size_t cn, const char *args, size_t n,
		   enum dh_format fmt, struct dh_buf *out, struct dh_buf *msg, struct dh_err *err)
{
	struct dctx d = {.s = s};
	char kinds[8] = "";
	size_t nk = 0;
	int detail = 1;
	/* \d[tvsiS+]*: the letters in any order, as psql takes them */
	if (cn < 2 || cmd[0] != '\\' || cmd[1] != 'd')
		return 2;
	for (size_t i = 2; i < cn; i++) {
		const char *kind = NULL;
		switch (cmd[i]) {
		case 't':
			kind = "r";
			break;
		case 'v':
			kind = "v";
			break;
		case 's':
			kind = "S";
			break;
		case 'i':
			kind = "i";
			break;
		case 'm':
			kind = "";
			break; /* materialized views: none */
		case 'E':
			kind = "";
			break; /* foreign tables: none */
		case 'S':
			break; /* system relations: none to add */
		case '+':
			d.plus = 1;
			break;
		default:
			return 2;
		}
		if (kind) {
			detail = 0;
			if (*kind && !strchr(kinds, *kind))
				kinds[nk++] = *kind;
		}
	}
	struct dh_arena a;
	dh_arena_init(&a);
	d.a = &a;
	const char *p = args, *end = args + n, *pattern = NULL, *extra;
	next_arg(&a, &p, end, &pattern);
	while (next_arg(&a, &p, end, &extra))
		dh_buf_printf(msg, "warning: \\%.*s: extra argument \"%s\" ignored\n",
			      (int)(cn - 1), cmd + 1, extra);
	if (detail && !pattern) {
		detail = 0;
		memcpy(kinds, "rvS", 4);
	}
	d.detail = detail;
	d.kinds = kinds;
	d.pattern = pattern;
	const char *owner = dh_sql_setting(s, "session_authorization");
	d.owner = owner && *owner ? dh_arena_strdup(&a, owner) : "dh";
	d.db = dh_conn_db(dh__sql_conn(s));
	int rc = 0;
	if (d.plus && !detail) {
		/* sizes, persistence, descriptions: nothing dh has yet */
		rc = dh_err_sql(err, "0A000", "%.*s is not supported yet", (int)cn, cmd);
		goto out;
	}
	if (pattern && (rc = compile_pattern(&d, pattern, msg, err)))
		goto out;
	if ((rc = dh__sql_read(s, read_catalog, &d, err)))
		goto out;
	if (d.nrels) /* none: rels is NULL */
		qsort(d.rels, d.nrels, sizeof(*d.rels), rel_cmp);
	for (size_t i = 0; i < d.nfills; i++) {
		struct fillres fr = {&d, &d.fills[i]};
		if ((rc = dh_sql_exec(s, d.fills[i].query, strlen(d.fills[i].query), fill_cb, &fr,
				      err)))
			goto out;
	}
	if (d.nrels == 0) {
		if (pattern)
			dh_buf_printf(msg, "error: Did not find any relation named \"%s\".\n",
				      pattern);
		else
			dh_buf_adds(msg, "error: Did not find any relations.\n");
		rc = detail ? 1 : 0;
		goto out;
	}
	if (detail) {
		for (size_t i = 0; d.plus && i < d.nrels; i++)
			if (d.rels[i].kind == 'v' || d.rels[i].kind == 'i') {
				rc = dh_err_sql(err, "0A000", "%.*s of %s is not supported yet",
						(int)cn, cmd,
						d.rels[i].kind == 'v' ? "a view" : "an index");
				goto out;
			}
		for (size_t i = 0; i < d.nrels; i++)
			ptab_print(out, fmt, d.rels[i].t);
		goto out;
	}
	static const char *const lcols[] = {"Schema", "Name", "Type", "Owner", "Table"};
	int has_i = strchr(kinds, 'i') != NULL;
	struct ptab *t = ptab_new(&a, "List of relations", has_i ? 5 : 4, lcols);
	t->count = 1;
	for (size_t i = 0; i < d.nrels; i++) {
		const struct rel *r = &d.rels[i];
		const char **row = ptab_row(&a, t);
		row[0] = "public";
		row[1] = r->name;
		row[2] = r->kind == 'r'	  ? "table"
			 : r->kind == 'v' ? "view"
			 : r->kind == 'S' ? "sequence"
					  : "index";
		row[3] = d.owner;
		if (has_i)
			row[4] = r->table ? r->table : "";
	}
	ptab_print(out, fmt, t);
out:
	if (d.have_re)
		regfree(&d.re);
	if (d.have_sre)
		regfree(&d.sre);
	dh_arena_release(&a);
	return rc;
}
