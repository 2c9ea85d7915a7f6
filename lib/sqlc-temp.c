/*
 * sqlc-temp: temporary tables (CREATE TEMP TABLE).  A temporary table is
 * an ordinary SQL table of the store whose name carries the session's
 * prefix, "pg_temp_<pid>_<n>_" (PostgreSQL keeps them in a schema
 * pg_temp_N of the backend): its attributes are
 * :pg_temp_<pid>_<n>_scratch/id and so on, made :db/noHistory, so that
 * its retracted rows leave nothing in the history indexes.  Only its
 * session knows the prefix: before a statement compiles, its relation
 * names that name one of the session's temporary tables (unqualified, or
 * qualified with pg_temp) are rewritten to the prefixed name (the table
 * keeps the name it was given as its alias), so a temporary table hides a
 * permanent one of the same name, as PostgreSQL's search path puts
 * pg_temp first; error messages lose the prefix again.  ON COMMIT DROP
 * and DELETE ROWS run at COMMIT (after the deferred constraints, as in
 * PostgreSQL), and the session's end drops every temporary table it has.
 * A process that dies leaves its tables behind, invisible to SQL (no
 * other session has the prefix); the next session of that pid and number
 * drops them when it makes its first temporary table, as PostgreSQL
 * cleans a crashed backend's temp schema.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <pg_query.h>

#include "sqlc-int.h"

struct oncommit {
	char *name;  /* the prefixed name */
	char action; /* 'd' drop, 'r' delete rows */
};

struct dh__sqltemp {
	char prefix[64];
	size_t plen;
	int used;    /* the session made a temporary table: names may resolve */
	int cleaned; /* the prefix's stale tables are gone */
	struct oncommit *oc;
	size_t noc, aoc;
};

static struct dh__sqltemp *
temp_of(struct dh_sql *s)
{
	static unsigned long seq;
	struct dh__sqltemp **p = dh__sql_temp(s);
	if (!*p) {
		*p = xcalloc(1, sizeof(**p));
		unsigned long n = __atomic_add_fetch(&seq, 1, __ATOMIC_RELAXED);
		snprintf((*p)->prefix, sizeof((*p)->prefix), "pg_temp_%ld_%lu_", (long)getpid(), n);
		(*p)->plen = strlen((*p)->prefix);
	}
	return *p;
}

void
dh__sqltemp_free(struct dh__sqltemp *tp)
{
	if (!tp)
		return;
	for (size_t i = 0; i < tp->noc; i++)
		free(tp->oc[i].name);
	free(tp->oc);
	free(tp);
}

/* Does relation name exist (any kind)? */
static int
exists(struct dh__sqlrun *r, const char *name, int *yes)
{
	struct dh_view *v;
	const struct dh_schema *sc;
	char kind = 0;
	int rc = dh__sql_view(r->s, &v, &sc, r->err);
	if (rc == 0)
		rc = dh__sqlcat_relkind(v, sc, name, r->a, &kind, r->err);
	*yes = kind != 0;
	return rc;
}

/* --- the statement's names --- */

struct tmap {
	struct dh__sqlrun *r;
	struct dh__sqltemp *tp;
	const char **ctes;
	int nctes, actes;
	int err;
};

static int
collect_ctes(const ProtobufCMessage *m, void *ctx)
{
	struct tmap *x = ctx;
	if (m->descriptor == &pg_query__common_table_expr__descriptor) {
		const PgQuery__CommonTableExpr *c = (const PgQuery__CommonTableExpr *)m;
		if (x->nctes == x->actes) {
			x->actes = x->actes ? 2 * x->actes : 8;
			const char **n = dh_arena_alloc(x->r->a, (size_t)x->actes * sizeof(*n));
			if (x->nctes)
				memcpy(n, x->ctes, (size_t)x->nctes * sizeof(*n));
			x->ctes = n;
		}
		x->ctes[x->nctes++] = c->ctename;
	}
	return dh__sqlc_each_child(m, collect_ctes, ctx);
}

/* The prefixed name if name (schema: "", or "pg_temp") is one of the
 * session's temporary tables, else NULL. */
static const char *
temp_name(struct tmap *x, const char *schema, const char *name)
{
	struct dh__sqlrun *r = x->r;
	const char *pn = dh_arena_printf(r->a, "%s%s", x->tp->prefix, name);
	if (schema && *schema)
		return strcmp(schema, "pg_temp") == 0 ? pn : NULL;
	for (int i = 0; i < x->nctes; i++)
		if (strcmp(x->ctes[i], name) == 0)
			return NULL; /* a WITH query of that name hides it */
	int yes, rc = exists(r, pn, &yes);
	if (rc) {
		x->err = rc;
		return NULL;
	}
	return yes ? pn : NULL;
}

/* A qualified name (a List of String: [name] or [pg_temp, name]). */
static void
map_list(struct tmap *x, PgQuery__Node *n)
{
	if (!n || n->node_case != PG_QUERY__NODE__NODE_LIST || !n->list->n_items)
		return;
	PgQuery__List *l = n->list;
	const char *a = dh__sqlc_str(l->items[0]);
	const char *b = l->n_items > 1 ? dh__sqlc_str(l->items[1]) : NULL;
	const char *pn;
	if (!a)
		return;
	if (b && strcmp(a, "pg_temp") == 0) {
		if ((pn = temp_name(x, "pg_temp", b))) {
			l->items[1]->string->sval = (char *)pn;
			l->items++;
			l->n_items--;
		}
	} else if ((pn = temp_name(x, NULL, a))) {
		l->items[0]->string->sval = (char *)pn;
	}
}

static int
map_names(struct sqlc_walk *w, ProtobufCMessage *m)
{
	struct tmap *x = w->ctx;
	const ProtobufCMessageDescriptor *d = m->descriptor;
	if (x->err)
		return -1;
	if (d == &pg_query__range_var__descriptor) {
		PgQuery__RangeVar *rv = (PgQuery__RangeVar *)m;
		const char *pn;
		if (rv->relpersistence && rv->relpersistence[0] == 't')
			return 1; /* CREATE TEMP: the create names it */
		if (rv->relname && (pn = temp_name(x, rv->schemaname, rv->relname))) {
			if (!rv->alias) {
				rv->alias = dh_arena_alloc(x->r->a, sizeof(*rv->alias));
				*rv->alias = (PgQuery__Alias)PG_QUERY__ALIAS__INIT;
				rv->alias->aliasname = rv->relname;
			}
			rv->relname = (char *)pn;
			rv->schemaname = (char *)"";
		}
		return 1;
	}
	if (d == &pg_query__drop_stmt__descriptor) {
		PgQuery__DropStmt *st = (PgQuery__DropStmt *)m;
		for (size_t i = 0; i < st->n_objects; i++)
			map_list(x, st->objects[i]);
		return 1;
	}
	if (d == &pg_query__comment_stmt__descriptor) {
		map_list(x, ((PgQuery__CommentStmt *)m)->object);
		return 1;
	}
	if (d == &pg_query__rename_stmt__descriptor) {
		PgQuery__RenameStmt *st = (PgQuery__RenameStmt *)m;
		PgQuery__RangeVar *rv = st->relation;
		const char *before = rv ? rv->relname : NULL;
		if (rv)
			map_names(w, &rv->base);
		/* the table's new name keeps the prefix */
		if (rv && rv->relname != before && st->rename_type == PG_QUERY__OBJECT_TYPE__OBJECT_TABLE &&
		    st->newname)
			st->newname = dh_arena_printf(x->r->a, "%s%s", x->tp->prefix, st->newname);
		return 1;
	}
	return 0;
}

int
dh__sqltemp_rewrite(struct dh__sqlrun *r, const PgQuery__Node *n, const PgQuery__Node **out)
{
	struct dh__sqltemp *tp = *dh__sql_temp(r->s);
	*out = n;
	if (!tp || !tp->used)
		return 0;
	PgQuery__Node *c = dh__sqlc_copy_node(r->a, n);
	struct tmap x = {.r = r, .tp = tp};
	collect_ctes(&c->base, &x);
	struct sqlc_walk w = {map_names, 0, &x};
	dh__sqlc_walk(&w, &c->base);
	if (x.err)
		return x.err;
	*out = c;
	return 0;
}

/* Take the session's prefix out of an error's texts. */
static void
unprefix(char *s, const char *p, size_t n)
{
	char *at;
	while ((at = strstr(s, p)))
		memmove(at, at + n, strlen(at + n) + 1);
}

void
dh__sqltemp_unname(struct dh_sql *s, struct dh_err *err)
{
	struct dh__sqltemp *tp = *dh__sql_temp(s);
	if (!tp || !tp->used || !err)
		return;
	unprefix(err->message, tp->prefix, tp->plen);
	unprefix(err->detail, tp->prefix, tp->plen);
	unprefix(err->hint, tp->prefix, tp->plen);
}

void
dh__sqltemp_unname_str(struct dh_sql *s, char *text)
{
	struct dh__sqltemp *tp = *dh__sql_temp(s);
	if (tp && tp->used && text)
		unprefix(text, tp->prefix, tp->plen);
}

/* --- making, emptying and dropping them --- */

/* Run one statement of text (names as they are) in the session's
 * transaction, without results or notices (PostgreSQL drops temporary
 * tables quietly). */
static int
run_sql(struct dh_sql *s, const char *text, struct dh_err *err)
{
	struct dh_arena a;
	dh_arena_init(&a);
	struct dh__sqlrun r = {.s = s, .text = text, .err = err, .a = &a};
	PgQueryProtobufParseResult pr = pg_query_parse_protobuf(text);
	int rc;
	dh__sql_quiet(s, 1);
	if (pr.error) {
		rc = dh_err_sql(err, "XX000", "%s: %s", text, pr.error->message);
	} else {
		PgQuery__ParseResult *t = pg_query__parse_result__unpack(
		    NULL, pr.parse_tree.len, (const uint8_t *)pr.parse_tree.data);
		const PgQuery__Node *n = t && t->n_stmts == 1 ? t->stmts[0]->stmt : NULL;
		if (!n)
			rc = dh_err_sql(err, "XX000", "%s: not one statement", text);
		else if (n->node_case == PG_QUERY__NODE__NODE_DROP_STMT)
			rc = dh__sqlc_drop(&r, n->drop_stmt);
		else if (n->node_case == PG_QUERY__NODE__NODE_TRUNCATE_STMT)
			rc = dh__sqlc_truncate(&r, n->truncate_stmt);
		else
			rc = dh_err_sql(err, "XX000", "%s: not DROP or TRUNCATE", text);
		if (t)
			pg_query__parse_result__free_unpacked(t, NULL);
	}
	dh__sql_quiet(s, 0);
	pg_query_free_protobuf_parse_result(pr);
	dh_arena_release(&a);
	return rc;
}

static char *
quoted(struct dh_arena *a, const char *name)
{
	struct dh_buf b;
	dh_buf_init(&b, 0);
	dh_buf_add_quoted(&b, name, '"');
	char *out = dh_arena_strndup(a, (const char *)b.p, b.len);
	dh_buf_release(&b);
	return out;
}

int
dh__sqltemp_drop_all(struct dh_sql *s, struct dh_err *err)
{
	struct dh__sqltemp *tp = *dh__sql_temp(s);
	struct dh_view *v;
	const struct dh_schema *sc;
	struct dh_sqltable **ts;
	int n, rc;
	struct dh_arena a;
	if (!tp)
		return 0;
	dh_arena_init(&a);
	if ((rc = dh__sql_view(s, &v, &sc, err)) || (rc = dh__sqlcat_tables(v, sc, &a, &ts, &n, err)))
		goto out;
	for (int i = 0; i < n && rc == 0; i++) {
		char kind = 0;
		if (strncmp(ts[i]->name, tp->prefix, tp->plen) != 0)
			continue;
		/* an earlier DROP ... CASCADE may have taken it */
		if ((rc = dh__sql_view(s, &v, &sc, err)) ||
		    (rc = dh__sqlcat_relkind(v, sc, ts[i]->name, &a, &kind, err)) || kind != 'r')
			continue;
		rc = run_sql(s, dh_arena_printf(&a, "DROP TABLE %s CASCADE", quoted(&a, ts[i]->name)),
			     err);
	}
out:
	dh_arena_release(&a);
	return rc;
}

int
dh__sqltemp_create(struct dh__sqlrun *r, const PgQuery__RangeVar *rv, int oncommit,
		   PgQuery__RangeVar **out)
{
	struct dh__sqltemp *tp = temp_of(r->s);
	int rc;
	if (rv->schemaname && *rv->schemaname && strcmp(rv->schemaname, "pg_temp") != 0) {
		dh_err_sql(r->err, "42P16", "cannot create temporary relation in non-temporary schema");
		return dh__sql_at(r, rv->location, DH_ESQL);
	}
	if (!tp->cleaned) {
		/* a dead process's tables under this prefix */
		if ((rc = dh__sqltemp_drop_all(r->s, r->err)))
			return rc;
		tp->cleaned = 1;
	}
	tp->used = 1;
	PgQuery__RangeVar *nrv = dh_arena_alloc(r->a, sizeof(*nrv));
	*nrv = *rv;
	nrv->schemaname = (char *)"";
	nrv->relpersistence = (char *)"p";
	nrv->relname = dh_arena_printf(r->a, "%s%s", tp->prefix, rv->relname);
	if (oncommit == PG_QUERY__ON_COMMIT_ACTION__ONCOMMIT_DROP ||
	    oncommit == PG_QUERY__ON_COMMIT_ACTION__ONCOMMIT_DELETE_ROWS) {
		if (tp->noc == tp->aoc) {
			tp->aoc = tp->aoc ? 2 * tp->aoc : 4;
			tp->oc = xrealloc(tp->oc, tp->aoc * sizeof(*tp->oc));
		}
		tp->oc[tp->noc++] = (struct oncommit){
		    xstrdup(nrv->relname),
		    oncommit == PG_QUERY__ON_COMMIT_ACTION__ONCOMMIT_DROP ? 'd' : 'r'};
	}
	*out = nrv;
	return 0;
}

int
dh__sqltemp_created(struct dh__sqlrun *r, const char *name)
{
	struct dh_wtx *w;
	const struct dh_schema *sc;
	struct dh_sqltable *t;
	int rc;
	if ((rc = dh__sql_wtx(r->s, &w, r->err)) || (rc = dh_wtx_schema(w, &sc, r->err)) ||
	    (rc = dh__sqlcat_table(dh_wtx_view(w), sc, name, r->a, &t, r->err)))
		return rc;
	/* rows of a temporary table leave no history */
	struct dh_buf b;
	dh_buf_init(&b, 0);
	dh_buf_addc(&b, '[');
	for (int i = 0; i < t->ncols; i++)
		dh_buf_printf(&b, "[:db/add %llu :db/noHistory true]",
			      (unsigned long long)t->cols[i].attr);
	if (t->marker)
		dh_buf_printf(&b, "[:db/add %llu :db/noHistory true]", (unsigned long long)t->marker);
	dh_buf_addc(&b, ']');
	rc = dh__sql_transact_edn(r->s, (const char *)b.p, r->a, r->err);
	dh_buf_release(&b);
	return rc;
}

int
dh__sqltemp_commit(struct dh_sql *s, struct dh_err *err)
{
	struct dh__sqltemp *tp = *dh__sql_temp(s);
	int rc = 0;
	if (!tp)
		return 0;
	for (size_t i = 0; i < tp->noc && rc == 0; i++) {
		struct dh_view *v;
		const struct dh_schema *sc;
		struct dh_arena a;
		char kind = 0;
		dh_arena_init(&a);
		/* the table may be gone (dropped, or made by a rolled back block) */
		if ((rc = dh__sql_view(s, &v, &sc, err)) == 0 &&
		    (rc = dh__sqlcat_relkind(v, sc, tp->oc[i].name, &a, &kind, err)) == 0 &&
		    kind == 'r')
			rc = run_sql(s,
				     dh_arena_printf(&a, "%s %s",
						     tp->oc[i].action == 'd' ? "DROP TABLE"
									     : "TRUNCATE",
						     quoted(&a, tp->oc[i].name)),
				     err);
		dh_arena_release(&a);
	}
	return rc;
}

void
dh__sqltemp_txend(struct dh_sql *s)
{
	struct dh__sqltemp *tp = *dh__sql_temp(s);
	size_t k = 0;
	if (!tp)
		return;
	for (size_t i = 0; i < tp->noc; i++) {
		if (tp->oc[i].action == 'd')
			free(tp->oc[i].name); /* done, or rolled back with its table */
		else
			tp->oc[k++] = tp->oc[i];
	}
	tp->noc = k;
}

int
dh__sqltemp_is(struct dh_sql *s, const char *name)
{
	struct dh__sqltemp *tp = *dh__sql_temp(s);
	return tp && tp->used && strncmp(name, tp->prefix, tp->plen) == 0;
}

static int
reads_temp(const ProtobufCMessage *m, void *ctx)
{
	if (m->descriptor == &pg_query__range_var__descriptor)
		return dh__sqltemp_is(ctx, ((const PgQuery__RangeVar *)m)->relname);
	return dh__sqlc_each_child(m, reads_temp, ctx);
}

int
dh__sqltemp_reads(struct dh_sql *s, const PgQuery__Node *n)
{
	struct dh__sqltemp *tp = *dh__sql_temp(s);
	return tp && tp->used && reads_temp(&n->base, s);
}
