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
	struct dh__sqlshow sh; /* the expressions' display, during the read */
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

/* --- tables --- */

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
		row[4] = dh__sqlshow_default(&d->sh, c);
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
							  dh__sqlshow_keycols(&d->sh, tb, c->cols, c->ncols)));
			} else {
				const char *keys[64], *sort[64];
				int nk = dh__sqlshow_split_keys(&d->sh, x->keys ? x->keys : "", keys, sort, 64);
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
					  dh__sqlshow_check(&d->sh, tb, c->expr ? c->expr : "")));
	}
	first = 1;
	for (int i = 0; i < tb->ncons; i++) {
		const struct dh_sqlcon *c = &tb->cons[i];
		if (c->kind != 'f')
			continue;
		if (first)
			ptab_foot(a, t, "Foreign-key constraints:");
		first = 0;
		ptab_foot(a, t, dh_arena_printf(a, "    \"%s\" %s", c->name, dh__sqlshow_fk(&d->sh, c)));
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
					  refs[i]->table, refs[i]->name, dh__sqlshow_fk(&d->sh, refs[i])));
	}
	if (d->plus)
		ptab_foot(a, t, "Access method: heap");
	return t;
}

static const char *
quoted_select(struct dctx *d, const char *what, const char *rel)
{
	return dh_arena_printf(d->a, "SELECT %s FROM %s LIMIT 0", what, dh__sqlshow_ident(d->a, rel));
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
				      dh__sqlshow_ident(d->a, tb->name), dh__sqlshow_ident(d->a, c->name)));
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
			row[3] = col ? dh__sqlshow_ident(a, row[0]) : "?";
		}
	} else {
		const char *keys[64], *sort[64];
		int nk = dh__sqlshow_split_keys(&d->sh, x->keys ? x->keys : "", keys, sort, 64);
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
	d->sh = (struct dh__sqlshow){d->a, dh__sql_env(d->s), sc};
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
