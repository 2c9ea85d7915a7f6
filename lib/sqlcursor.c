/*
 * sqlcursor: SQL cursors of a session (DECLARE, FETCH, MOVE, CLOSE), as
 * PostgreSQL 15's portalcmds.c and pquery.c run them.
 *
 * A cursor's query runs at DECLARE and its rows are kept (cells and
 * values in the cursor's arena): what a FETCH sees is the state at
 * DECLARE, as PostgreSQL's snapshot gives it.  The position follows
 * DoPortalRunFetch and PortalRunSelect literally (portalPos, atStart,
 * atEnd) over a store read as PostgreSQL's tuplestore is: pos 0 is before
 * the first row, 1..n on a row, n + 1 after the last.  A cursor without
 * SCROLL or NO SCROLL scrolls (PostgreSQL decides by the plan; every plan
 * of ours can go back).  Cursors end with their transaction unless WITH
 * HOLD (a rolled-back transaction drops the held ones it declared); a
 * rollback to a savepoint drops those declared after it.
 */
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "sqlc-int.h"

/* parsenodes.h's CURSOR_OPT_* */
#define OPT_BINARY 0x1
#define OPT_SCROLL 0x2
#define OPT_NO_SCROLL 0x4
#define OPT_HOLD 0x20

struct dh__sqlcursor {
	char *name;
	struct dh_arena a;
	int opts;
	size_t level; /* savepoints open at DECLARE */
	int tx_new;   /* declared in the running transaction */
	int ncols;
	struct dh_sql_col *cols;
	size_t nrows, arows;
	const char **cells;       /* nrows * ncols */
	struct dh_value *values;  /* the same, or NULL (a result of text only) */
	int has_values;
	/* PostgreSQL's portal position */
	uint64_t portal_pos;
	int at_start, at_end;
	size_t pos; /* the store's: 0 before the first row, n + 1 after the last */
	struct dh__sqlcursor *next;
};

static struct dh__sqlcursor **
find(struct dh_sql *s, const char *name)
{
	struct dh__sqlcursor **pp = dh__sql_cursors(s);
	while (*pp && strcmp((*pp)->name, name) != 0)
		pp = &(*pp)->next;
	return pp;
}

static void
cursor_free(struct dh__sqlcursor *c)
{
	dh_arena_release(&c->a);
	free(c->cells);
	free(c->values);
	free(c->name);
	free(c);
}

static void
drop_if(struct dh_sql *s, int (*gone)(const struct dh__sqlcursor *c, size_t arg), size_t arg)
{
	struct dh__sqlcursor **pp = dh__sql_cursors(s);
	while (*pp) {
		struct dh__sqlcursor *c = *pp;
		if (gone(c, arg)) {
			*pp = c->next;
			cursor_free(c);
		} else {
			pp = &c->next;
		}
	}
}

static int
gone_all(const struct dh__sqlcursor *c, size_t arg)
{
	(void)c, (void)arg;
	return 1;
}

static int
gone_commit(const struct dh__sqlcursor *c, size_t arg)
{
	(void)arg;
	return !(c->opts & OPT_HOLD);
}

static int
gone_rollback(const struct dh__sqlcursor *c, size_t arg)
{
	(void)arg;
	return !(c->opts & OPT_HOLD) || c->tx_new;
}

static int
gone_above(const struct dh__sqlcursor *c, size_t level)
{
	return c->tx_new && c->level > level;
}

void
dh__sqlcur_txend(struct dh_sql *s, int commit)
{
	drop_if(s, commit ? gone_commit : gone_rollback, 0);
	for (struct dh__sqlcursor *c = *dh__sql_cursors(s); c; c = c->next)
		c->tx_new = 0;
}

void
dh__sqlcur_savepoint_end(struct dh_sql *s, size_t level, int rollback)
{
	if (rollback) {
		drop_if(s, gone_above, level);
		return;
	}
	for (struct dh__sqlcursor *c = *dh__sql_cursors(s); c; c = c->next)
		if (c->tx_new && c->level > level)
			c->level = level;
}

void
dh__sqlcur_free_all(struct dh_sql *s)
{
	drop_if(s, gone_all, 0);
}

int
dh_sql_cursor_columns(struct dh_sql *s, const char *name, const struct dh_sql_col **cols,
		      int *ncols)
{
	struct dh__sqlcursor *c = *find(s, name);
	if (!c)
		return 0;
	*cols = c->cols;
	*ncols = c->ncols;
	return 1;
}

/* --- DECLARE --- */

/* The query's result, kept (DECLARE's callback). */
static int
keep_rows(void *ctx, const struct dh_sql_result *r)
{
	struct dh__sqlcursor *c = ctx;
	if (!c->cols) {
		c->ncols = r->ncols;
		c->cols = dh_arena_zalloc(&c->a, (size_t)(r->ncols + 1) * sizeof(*c->cols));
		for (int i = 0; i < r->ncols; i++) {
			c->cols[i] = r->cols[i];
			c->cols[i].name = dh_arena_strdup(&c->a, r->cols[i].name);
		}
		c->has_values = r->values != NULL;
	}
	size_t w = (size_t)c->ncols;
	if (c->nrows + r->nrows > c->arows) {
		while (c->nrows + r->nrows > c->arows)
			c->arows = c->arows ? 2 * c->arows : 64;
		c->cells = xrealloc(c->cells, c->arows * (w ? w : 1) * sizeof(*c->cells));
		if (c->has_values)
			c->values =
			    xrealloc(c->values, c->arows * (w ? w : 1) * sizeof(*c->values));
	}
	for (size_t i = 0; i < r->nrows * w; i++) {
		const char *v = r->cells[i];
		c->cells[c->nrows * w + i] = v ? dh_arena_strdup(&c->a, v) : NULL;
		if (c->has_values)
			c->values[c->nrows * w + i] = dh_value_copy(&c->a, &r->values[i]);
	}
	c->nrows += r->nrows;
	return 0;
}

/* PostgreSQL's transformDeclareCursorStmt checks (a query with INTO or
 * a data-modifying WITH). */
static int
check_query(struct dh__sqlrun *r, const PgQuery__DeclareCursorStmt *d)
{
	const PgQuery__Node *q = d->query;
	if (!q || q->node_case != PG_QUERY__NODE__NODE_SELECT_STMT)
		return dh_err_sql(r->err, "0A000", "DECLARE CURSOR of this statement is not supported");
	const PgQuery__SelectStmt *st = q->select_stmt;
	const PgQuery__WithClause *wc = st->with_clause;
	for (size_t i = 0; wc && i < wc->n_ctes; i++)
		if (wc->ctes[i]->common_table_expr->ctequery->node_case !=
		    PG_QUERY__NODE__NODE_SELECT_STMT)
			return dh_err_sql(r->err, "0A000",
					  "DECLARE CURSOR must not contain data-modifying statements "
					  "in WITH");
	while (st->op != PG_QUERY__SET_OPERATION__SETOP_NONE && st->larg)
		st = st->larg;
	if (st->into_clause)
		return dh_err_sql(r->err, "42601", "SELECT ... INTO is not allowed here");
	int rc = 0;
	if (st->n_locking_clause > 0 && (d->options & OPT_HOLD)) {
		rc = dh_err_sql(r->err, "0A000",
				"DECLARE CURSOR WITH HOLD ... FOR UPDATE is not supported");
		dh_err_detail(r->err, "Holdable cursors must be READ ONLY.");
	} else if (st->n_locking_clause > 0 && (d->options & OPT_SCROLL)) {
		rc = dh_err_sql(r->err, "0A000",
				"DECLARE SCROLL CURSOR ... FOR UPDATE is not supported");
		dh_err_detail(r->err, "Scrollable cursors must be READ ONLY.");
	}
	return rc;
}

int
dh__sqlcur_declare(struct dh__sqlrun *r, const PgQuery__DeclareCursorStmt *d)
{
	struct dh_sql *s = r->s;
	int rc;
	if ((rc = check_query(r, d)))
		return rc;
	if (r->describe)
		return dh__sqlc_stmt(r, d->query);
	if (!(d->options & OPT_HOLD) && !dh__sql_txblock(s)) {
		/* PostgreSQL analyses the query first: its errors come before */
		struct dh__sqlrun dr = *r;
		dr.describe = 1;
		rc = dh__sqlc_stmt(&dr, d->query);
		if (rc != DH__SQLC_DESCRIBED)
			return rc;
		return dh_err_sql(r->err, "25P01",
				  "DECLARE CURSOR can only be used in transaction blocks");
	}
	if (!*d->portalname)
		return dh_err_sql(r->err, "34000", "invalid cursor name: must not be empty");
	struct dh__sqlcursor *c = xcalloc(1, sizeof(*c));
	dh_arena_init(&c->a);
	struct dh__sqlrun qr = *r;
	qr.cb = keep_rows;
	qr.ctx = c;
	rc = dh__sqlc_stmt(&qr, d->query);
	if (rc == 0 && *find(s, d->portalname))
		rc = dh_err_sql(r->err, "42P03", "cursor \"%s\" already exists", d->portalname);
	if (rc) {
		cursor_free(c);
		return rc;
	}
	c->name = xstrdup(d->portalname);
	c->opts = d->options;
	c->level = dh__sql_level(s);
	c->tx_new = 1;
	c->at_start = 1;
	c->next = *dh__sql_cursors(s);
	*dh__sql_cursors(s) = c;
	return dh__sqlc_emit(r, "DECLARE CURSOR", 0, NULL, NULL, 0);
}

/* --- FETCH and MOVE --- */

/* The rows a FETCH hands out, in order (indexes into the cursor's). */
struct out {
	size_t *rows;
	size_t n, alloc;
};

static void
out_add(struct out *o, size_t row)
{
	if (o->n == o->alloc) {
		o->alloc = o->alloc ? 2 * o->alloc : 16;
		o->rows = xrealloc(o->rows, o->alloc * sizeof(*o->rows));
	}
	o->rows[o->n++] = row;
}

/* The tuplestore: up to count rows (0: all) in a direction. */
static uint64_t
store_run(struct dh__sqlcursor *c, int forward, uint64_t count, struct out *o)
{
	uint64_t n = 0;
	while (count == 0 || n < count) {
		if (forward) {
			if (c->pos >= c->nrows) {
				c->pos = c->nrows + 1;
				break;
			}
			c->pos++;
		} else {
			if (c->pos <= 1) {
				c->pos = 0;
				break;
			}
			c->pos--;
		}
		if (o)
			out_add(o, c->pos - 1);
		n++;
	}
	return n;
}

static int
no_scroll(struct dh__sqlrun *r)
{
	int rc = dh_err_sql(r->err, "55000", "cursor can only scan forward");
	dh_err_hint(r->err, "Declare it with SCROLL option to enable backward scan.");
	return rc;
}

/* PortalRunSelect; count FETCH_ALL (LONG_MAX) for all. */
static int
run_select(struct dh__sqlrun *r, struct dh__sqlcursor *c, int forward, int64_t count,
	   struct out *o, uint64_t *done)
{
	uint64_t n = 0;
	int move;
	if (forward) {
		move = !(c->at_end || count <= 0);
		if (!move)
			count = 0;
		uint64_t k = count == LONG_MAX ? 0 : (uint64_t)count;
		if (move)
			n = store_run(c, 1, k, o);
		if (move) {
			if (n > 0)
				c->at_start = 0;
			if (k == 0 || n < k)
				c->at_end = 1;
			c->portal_pos += n;
		}
	} else {
		if (c->opts & OPT_NO_SCROLL)
			return no_scroll(r);
		move = !(c->at_start || count <= 0);
		if (!move)
			count = 0;
		uint64_t k = count == LONG_MAX ? 0 : (uint64_t)count;
		if (move)
			n = store_run(c, 0, k, o);
		if (move) {
			if (n > 0 && c->at_end) {
				c->at_end = 0;
				c->portal_pos++;
			}
			if (k == 0 || n < k) {
				c->at_start = 1;
				c->portal_pos = 0;
			} else {
				c->portal_pos -= n;
			}
		}
	}
	if (done)
		*done = n;
	return 0;
}

/* DoPortalRewind */
static int
rewind_(struct dh__sqlrun *r, struct dh__sqlcursor *c)
{
	if (c->at_start && !c->at_end)
		return 0;
	if (c->opts & OPT_NO_SCROLL)
		return no_scroll(r);
	c->pos = 0;
	c->at_start = 1;
	c->at_end = 0;
	c->portal_pos = 0;
	return 0;
}

/* DoPortalRunFetch: o NULL for MOVE. */
static int
run_fetch(struct dh__sqlrun *r, struct dh__sqlcursor *c, PgQuery__FetchDirection dir,
	  int64_t count, struct out *o, uint64_t *n)
{
	int rc;
	*n = 0;
	switch (dir) {
	case PG_QUERY__FETCH_DIRECTION__FETCH_FORWARD:
		if (count < 0) {
			dir = PG_QUERY__FETCH_DIRECTION__FETCH_BACKWARD;
			count = -count;
		}
		break;
	case PG_QUERY__FETCH_DIRECTION__FETCH_BACKWARD:
		if (count < 0) {
			dir = PG_QUERY__FETCH_DIRECTION__FETCH_FORWARD;
			count = -count;
		}
		break;
	case PG_QUERY__FETCH_DIRECTION__FETCH_ABSOLUTE:
		if (count > 0) {
			if ((uint64_t)(count - 1) <= c->portal_pos / 2 ||
			    c->portal_pos >= (uint64_t)LONG_MAX) {
				if ((rc = rewind_(r, c)))
					return rc;
				if (count > 1 && (rc = run_select(r, c, 1, count - 1, NULL, NULL)))
					return rc;
			} else {
				int64_t pos = (int64_t)c->portal_pos;
				if (c->at_end)
					pos++;
				if (count <= pos)
					rc = run_select(r, c, 0, pos - count + 1, NULL, NULL);
				else if (count > pos + 1)
					rc = run_select(r, c, 1, count - pos - 1, NULL, NULL);
				else
					rc = 0;
				if (rc)
					return rc;
			}
			return run_select(r, c, 1, 1, o, n);
		}
		if (count < 0) {
			if ((rc = run_select(r, c, 1, LONG_MAX, NULL, NULL)))
				return rc;
			if (count < -1 && (rc = run_select(r, c, 0, -count - 1, NULL, NULL)))
				return rc;
			return run_select(r, c, 0, 1, o, n);
		}
		if ((rc = rewind_(r, c)))
			return rc;
		return run_select(r, c, 1, 0, o, n);
	case PG_QUERY__FETCH_DIRECTION__FETCH_RELATIVE:
		if (count > 0) {
			if (count > 1 && (rc = run_select(r, c, 1, count - 1, NULL, NULL)))
				return rc;
			return run_select(r, c, 1, 1, o, n);
		}
		if (count < 0) {
			if (count < -1 && (rc = run_select(r, c, 0, -count - 1, NULL, NULL)))
				return rc;
			return run_select(r, c, 0, 1, o, n);
		}
		dir = PG_QUERY__FETCH_DIRECTION__FETCH_FORWARD;
		break;
	default:
		return dh_err_set(r->err, DH_EINTERNAL, "bogus direction");
	}
	int forward = dir == PG_QUERY__FETCH_DIRECTION__FETCH_FORWARD;
	if (count == 0) {
		/* re-fetch the current row, if any */
		int on_row = !c->at_start && !c->at_end;
		if (!o) {
			*n = on_row ? 1 : 0;
			return 0;
		}
		if (on_row) {
			if ((rc = run_select(r, c, 0, 1, NULL, NULL)))
				return rc;
			count = 1;
			forward = 1;
		}
	}
	if (!forward && count == LONG_MAX && !o) {
		/* MOVE BACKWARD ALL is a rewind */
		uint64_t res = c->portal_pos;
		if (res > 0 && !c->at_end)
			res--;
		if ((rc = rewind_(r, c)))
			return rc;
		*n = res;
		return 0;
	}
	return run_select(r, c, forward, count, o, n);
}

int
dh__sqlcur_fetch(struct dh__sqlrun *r, const PgQuery__FetchStmt *f)
{
	struct dh__sqlcursor *c = *find(r->s, f->portalname);
	if (r->describe)
		/* PostgreSQL describes a FETCH by the cursor there is at Parse
		 * (none: no rows); Execute looks again */
		return !f->ismove && c ? dh__sqlc_described(r, c->ncols, c->cols)
				       : dh__sqlc_described(r, 0, NULL);
	if (!*f->portalname)
		return dh_err_sql(r->err, "34000", "invalid cursor name: must not be empty");
	if (!c)
		return dh_err_sql(r->err, "34000", "cursor \"%s\" does not exist", f->portalname);
	struct out o = {0};
	uint64_t n = 0;
	int rc = run_fetch(r, c, f->direction, f->how_many, f->ismove ? NULL : &o, &n);
	char tag[48];
	snprintf(tag, sizeof(tag), "%s %llu", f->ismove ? "MOVE" : "FETCH", (unsigned long long)n);
	if (rc == 0 && f->ismove) {
		rc = dh__sqlc_emit(r, tag, 0, NULL, NULL, 0);
	} else if (rc == 0 && r->cb) {
		size_t w = (size_t)c->ncols;
		const char **cells = dh_arena_alloc(r->a, (o.n * w + 1) * sizeof(*cells));
		struct dh_value *vals =
		    c->has_values ? dh_arena_alloc(r->a, (o.n * w + 1) * sizeof(*vals)) : NULL;
		for (size_t i = 0; i < o.n; i++) {
			memcpy(cells + i * w, c->cells + o.rows[i] * w, w * sizeof(*cells));
			if (vals)
				memcpy(vals + i * w, c->values + o.rows[i] * w, w * sizeof(*vals));
		}
		struct dh_sql_result res = {.tag = tag,
					    .ncols = c->ncols,
					    .cols = c->cols,
					    .nrows = o.n,
					    .cells = cells,
					    .values = vals,
					    .binary = (c->opts & OPT_BINARY) != 0};
		rc = r->cb(r->ctx, &res);
	}
	free(o.rows);
	return rc;
}

/* --- CLOSE --- */

int
dh__sqlcur_close(struct dh__sqlrun *r, const PgQuery__ClosePortalStmt *cl)
{
	if (r->describe)
		return dh__sqlc_described(r, 0, NULL);
	if (!cl->portalname || !*cl->portalname) {
		dh__sqlcur_free_all(r->s);
		return dh__sqlc_emit(r, "CLOSE CURSOR ALL", 0, NULL, NULL, 0);
	}
	struct dh__sqlcursor **pp = find(r->s, cl->portalname), *c = *pp;
	if (!c)
		return dh_err_sql(r->err, "34000", "cursor \"%s\" does not exist", cl->portalname);
	*pp = c->next;
	cursor_free(c);
	return dh__sqlc_emit(r, "CLOSE CURSOR", 0, NULL, NULL, 0);
}
