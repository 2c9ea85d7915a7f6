/*
 * sqlc-from: FROM.  Base tables become row patterns ([?e :t/db-row]) in a
 * block, the columns an expression reads become lookups (bound to NULL
 * when the entity lacks the attribute), WHERE and inner-join conditions
 * become predicates, and an equality of a column with a constant becomes
 * an index pattern ([?e :t/col v]) the planner can start from.  Derived
 * tables (subqueries, VALUES, WITH references) and outer joins enter a
 * block as clauses that bind a relation; an outer join runs its two sides
 * as blocks of their own and joins their rows here.
 */
#include <pg_query.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "sqlc-int.h"

/* Session functions (sqlc-fn.c) through the scopes and run contexts. */
static int
fn_hook(void *ctx, const char *name, int nargs, struct dh_sqlx *const *args, int location, int *id,
	uint32_t *type, int32_t *typmod, int *volatile_, struct dh_err *err)
{
	return dh__sqlc_function(ctx, name, nargs, args, location, id, type, typmod, volatile_,
				 err);
}

static int
call_hook(void *ctx, int id, int nargs, const struct dh_value *args, const struct dh_sqlx_run *r,
	  struct dh_value *out)
{
	(void)r;
	return dh__sqlc_call(((struct sqlc_sel *)ctx)->r, id, nargs, args, out);
}

/* --- blocks and clauses --- */

static int
new_block(struct sqlc_sel *S)
{
	if (S->nblocks == S->ablocks) {
		S->ablocks = S->ablocks ? 2 * S->ablocks : 4;
		struct sqlc_block *n = dh_arena_zalloc(S->a, (size_t)S->ablocks * sizeof(*n));
		if (S->nblocks)
			memcpy(n, S->blocks, (size_t)S->nblocks * sizeof(*n));
		S->blocks = n;
	}
	memset(&S->blocks[S->nblocks], 0, sizeof(S->blocks[0]));
	return S->nblocks++;
}

static struct clause *
new_clause(struct sqlc_sel *S, int block, enum ckind k, int nt)
{
	struct sqlc_block *b = &S->blocks[block];
	struct clause *c = dh_arena_zalloc(S->a, sizeof(*c));
	c->k = k;
	/* patterns always have their five positions [e a v tx added] */
	if (k == CK_PAT)
		nt = 5;
	c->nt = nt;
	c->t = dh_arena_zalloc(S->a, (size_t)(nt ? nt : 1) * sizeof(*c->t));
	for (int i = 0; i < nt; i++)
		c->t[i].k = TK_BLANK;
	if (b->ncl == b->acl) {
		b->acl = b->acl ? 2 * b->acl : 16;
		struct clause **n = dh_arena_alloc(S->a, (size_t)b->acl * sizeof(*n));
		if (b->ncl)
			memcpy(n, b->cl, (size_t)b->ncl * sizeof(*n));
		b->cl = n;
	}
	b->cl[b->ncl++] = c;
	return c;
}

static void
term_var(struct clause *c, int i, int var)
{
	c->t[i].k = TK_VAR;
	c->t[i].var = var;
	vs_add(&c->vars, var);
}

static void
term_const(struct clause *c, int i, struct dh_value v)
{
	c->t[i].k = TK_CONST;
	c->t[i].val = v;
}

static int
new_var(struct sqlc_sel *S, const char *hint)
{
	/* "?" hint nvars, without snprintf's cost (every compile names a few) */
	char name[64], digits[12];
	size_t n = 0, h = strlen(hint), k = 0;
	unsigned u = (unsigned)S->dq->sc.nvars;
	if (h > sizeof(name) - 13)
		h = sizeof(name) - 13;
	name[n++] = '?';
	memcpy(name + n, hint, h);
	n += h;
	do
		digits[k++] = (char)('0' + u % 10);
	while ((u /= 10) != 0);
	while (k)
		name[n++] = digits[--k];
	int v = q_var(&S->dq->sc, S->a, name, n);
	return v < 0 ? 0 : v;
}

/* --- column lookups --- */

/* The columns of one FROM table that a block looks up, read per entity
 * from one EAVT scan of the entity: where rows come out of entity order
 * (through an index, a join) each column was a seek of its own, and an
 * entity's datoms lie side by side.  Filled as entities are asked, for up
 * to ROWCACHE_MAX of them per run of the block; emptied when it ends. */
enum { ROWCACHE_ATTRS = 32, ROWCACHE_MAX = 1 << 16 };
struct rowcache {
	int rte;
	int nattr;			   /* card-one columns looked up */
	uint64_t attr[ROWCACHE_ATTRS];
	struct dh_iter *it;		   /* EAVT */
	uint64_t *keys;			   /* open addressing: entity, 0 empty */
	uint32_t *idx;			   /* its row in vals */
	size_t hcap, n;
	struct dh_value *vals;		   /* n rows of nattr, NONE: absent */
	size_t avals;
	struct rowcache *next;
};

struct lookup {
	struct sqlc_sel *S;
	const struct dh_sqlcol *col;
	uint64_t attr;
	int many;
	struct rowcache *rc; /* shared with the table's other columns, or NULL */
	int rci;	     /* this column's place in rc->attr */
	struct dh_iter *it;
	struct lookup *next;
	/* rows that come in entity order (a table's scan) read the attribute
	 * alongside in AEVT rather than seek each entity: ait stands on
	 * cur (have_cur), the first datom not before the last entity asked */
	int seq_off;   /* the entities stopped coming in order, or sparsely */
	struct dh_iter *ait;
	struct dh_datom cur;
	int have_cur, ait_end;
	uint64_t last_e;
	int asked;
};

/* The value of l's attribute on entity e by reading its AEVT alongside:
 * 1 (in *out, NONE when e has none), or 0 when the entities do not come
 * in order (or too sparsely): seek instead. */
static int
lookup_seq(struct lookup *l, uint64_t e, struct dh_value *out, struct dh_err *err)
{
	if (l->seq_off)
		return 0;
	if (!l->asked) {
		/* the first row is looked up by itself: a block of one row (a
		 * point query) then opens no scan of the attribute */
		l->asked = 1;
		l->last_e = e;
		return 0;
	}
	if (e <= l->last_e) {
		l->seq_off = 1;
		return 0;
	}
	int rc;
	if (!l->ait) {
		struct dh_datom pat = {.a = l->attr};
		if ((rc = dh_iter_open(l->S->view, DH_AEVT, &pat, 1, l->S->a, &l->ait, err)))
			return rc;
	}
	for (int steps = 0; !l->ait_end && (!l->have_cur || l->cur.e < e); steps++) {
		if (steps == 16) {
			l->seq_off = 1;
			return 0;
		}
		rc = dh_iter_next(l->ait, &l->cur, err);
		if (rc < 0)
			return rc;
		l->have_cur = rc == 1;
		l->ait_end = rc == 0;
	}
	l->asked = 1;
	l->last_e = e;
	out->type = DH_T_NONE;
	if (l->have_cur && l->cur.e == e &&
	    (rc = dh__sqlc_loaded(l->col, &l->cur.v, l->S->a, out, err)))
		return rc;
	return 1;
}

/* Entity e's row in c: 1 with *row set, 0 when c is full, or an error. */
static int
rowcache_get(struct sqlc_sel *S, struct rowcache *c, uint64_t e, const struct dh_value **row,
	     struct dh_err *err)
{
	int rc;
	if (2 * (c->n + 1) > c->hcap) {
		if (c->n >= ROWCACHE_MAX)
			return 0;
		size_t nc = c->hcap ? 2 * c->hcap : 64;
		uint64_t *nk = xcalloc(nc, sizeof(*nk));
		uint32_t *ni = xcalloc(nc, sizeof(*ni));
		for (size_t i = 0; i < c->hcap; i++)
			if (c->keys[i]) {
				size_t j = (c->keys[i] * 0x9e3779b97f4a7c15ull >> 20) & (nc - 1);
				while (nk[j])
					j = (j + 1) & (nc - 1);
				nk[j] = c->keys[i];
				ni[j] = c->idx[i];
			}
		free(c->keys);
		free(c->idx);
		c->keys = nk;
		c->idx = ni;
		c->hcap = nc;
	}
	size_t j = (e * 0x9e3779b97f4a7c15ull >> 20) & (c->hcap - 1);
	while (c->keys[j] && c->keys[j] != e)
		j = (j + 1) & (c->hcap - 1);
	if (c->keys[j]) {
		*row = c->vals + (size_t)c->idx[j] * (size_t)c->nattr;
		return 1;
	}
	if ((c->n + 1) * (size_t)c->nattr > c->avals) {
		c->avals = c->avals ? 2 * c->avals : 64 * (size_t)c->nattr;
		c->vals = xrealloc(c->vals, c->avals * sizeof(*c->vals));
	}
	struct dh_value *r = c->vals + c->n * (size_t)c->nattr;
	for (int k = 0; k < c->nattr; k++)
		r[k].type = DH_T_NONE;
	struct dh_datom pat = {.e = e}, d;
	rc = c->it ? dh_iter_seek(c->it, &pat, 1, NULL, err)
		   : dh_iter_open(S->view, DH_EAVT, &pat, 1, S->a, &c->it, err);
	if (rc)
		return rc;
	while ((rc = dh_iter_next(c->it, &d, err)) == 1)
		for (int k = 0; k < c->nattr; k++)
			if (c->attr[k] == d.a) {
				if (r[k].type == DH_T_NONE)
					r[k] = d.v;
				break;
			}
	if (rc < 0)
		return rc;
	c->keys[j] = e;
	c->idx[j] = (uint32_t)c->n++;
	*row = r;
	return 1;
}

/* The row cache of FROM table rte, made on first use. */
static struct rowcache *
rowcache_of(struct sqlc_sel *S, int rte)
{
	struct rowcache *rc = S->rowcaches;
	while (rc && rc->rte != rte)
		rc = rc->next;
	if (!rc) {
		rc = dh_arena_zalloc(S->a, sizeof(*rc));
		rc->rte = rte;
		rc->next = S->rowcaches;
		S->rowcaches = rc;
	}
	return rc;
}

/* attr's place in c (added), or -1 when c is full. */
static int
rowcache_attr(struct rowcache *c, uint64_t attr)
{
	for (int k = 0; k < c->nattr; k++)
		if (c->attr[k] == attr)
			return k;
	if (c->nattr == ROWCACHE_ATTRS)
		return -1;
	c->attr[c->nattr] = attr;
	return c->nattr++;
}

/* A pattern on a table's entity: its attribute read from the row cache
 * (qexec's clause eread) when the entity is bound. */
struct patread {
	struct sqlc_sel *S;
	struct rowcache *rc;
	int rci;
};

static int
pat_eread(void *ctx, uint64_t e, struct dh_value *v, struct dh_err *err)
{
	struct patread *p = ctx;
	const struct dh_value *row = NULL;
	if (p->rc->nattr < 2)
		return 0; /* nothing else read from the entity: a seek is as cheap */
	int rc = rowcache_get(p->S, p->rc, e, &row, err);
	if (rc == 1)
		*v = row[p->rci];
	return rc;
}

/* Let pattern c on FROM table rte's entity read card-one attr from the
 * table's row cache. */
static void
pattern_cached(struct sqlc_sel *S, struct clause *c, int rte, uint64_t attr)
{
	struct rowcache *rc = rowcache_of(S, rte);
	int k = rowcache_attr(rc, attr);
	if (k < 0)
		return;
	struct patread *p = dh_arena_zalloc(S->a, sizeof(*p));
	p->S = S;
	p->rc = rc;
	p->rci = k;
	c->eread = pat_eread;
	c->ectx = p;
}

static int
lookup_cb(void *ctx, int nargs, const struct dh_value *args, struct dh_value *out,
	  struct dh_err *err)
{
	struct lookup *l = ctx;
	(void)nargs;
	out->type = DH_T_NONE;
	if (args[0].type != DH_T_LONG && args[0].type != DH_T_REF)
		return 0;
	uint64_t e = args[0].type == DH_T_LONG ? (uint64_t)args[0].i : args[0].ref;
	int rc;
	if (!l->many && (rc = lookup_seq(l, e, out, err)) != 0)
		return rc < 0 ? rc : 0;
	if (l->rc && l->rc->nattr > 1) {
		const struct dh_value *row = NULL;
		if ((rc = rowcache_get(l->S, l->rc, e, &row, err)) < 0)
			return rc;
		if (rc == 1)
			return row[l->rci].type == DH_T_NONE
				   ? 0
				   : dh__sqlc_loaded(l->col, &row[l->rci], l->S->a, out, err);
	}
	struct dh_datom pat = {.e = e, .a = l->attr}, d;
	rc = l->it ? dh_iter_seek(l->it, &pat, 2, NULL, err)
		       : dh_iter_open(l->S->view, DH_EAVT, &pat, 2, l->S->a, &l->it, err);
	if (rc)
		return rc;
	rc = dh_iter_next(l->it, &d, err);
	if (rc < 0)
		return rc;
	if (rc == 1)
		return dh__sqlc_loaded(l->col, &d.v, l->S->a, out, err);
	return 0;
}

static void
lookups_close(struct sqlc_sel *S)
{
	for (struct lookup *l = S->lookups; l; l = l->next) {
		if (l->it) {
			dh_iter_close(l->it);
			l->it = NULL;
		}
		dh_iter_close(l->ait);
		l->ait = NULL;
		l->seq_off = l->have_cur = l->ait_end = l->asked = 0;
		l->last_e = 0;
	}
	for (struct rowcache *c = S->rowcaches; c; c = c->next) {
		dh_iter_close(c->it);
		c->it = NULL;
		free(c->keys);
		free(c->idx);
		free(c->vals);
		c->keys = NULL;
		c->idx = NULL;
		c->vals = NULL;
		c->hcap = c->n = c->avals = 0;
	}
}

int
dh__sqlc_slot_of(struct sqlc_sel *S, int rte, int col)
{
	struct sqlc_rte *t = &S->rt[rte];
	int *slotp = col < 0 ? &t->eslot : &t->cslot[col];
	if (*slotp >= 0)
		return *slotp;
	if (S->nsl == S->asl) {
		S->asl = S->asl ? 2 * S->asl : 16;
		void *n = dh_arena_alloc(S->a, (size_t)S->asl * sizeof(*S->sl));
		if (S->nsl)
			memcpy(n, S->sl, (size_t)S->nsl * sizeof(*S->sl));
		S->sl = n;
	}
	int s = S->nsl++;
	S->sl[s].rte = rte;
	S->sl[s].col = col;
	*slotp = s;
	if (col < 0) {
		S->sl[s].var = t->evar;
		S->sl[s].type = DH_OID_INT8;
		S->sl[s].typmod = -1;
		return s;
	}
	S->sl[s].type = t->types[col];
	S->sl[s].typmod = t->typmods[col];
	S->sl[s].var = new_var(S, "c");
	if (t->k == RTE_TABLE) {
		const struct dh_sqlcol *c = &t->t->cols[col];
		struct clause *cl = new_clause(S, t->block, CK_FN, 1);
		term_var(cl, 0, t->evar);
		cl->nb = 1;
		cl->bv = dh_arena_alloc(S->a, sizeof(int));
		cl->bv[0] = S->sl[s].var;
		vs_add(&cl->vars, S->sl[s].var);
		cl->bk = BK_SCALAR;
		cl->nullable = 1;
		cl->name = c->ident;
		struct lookup *l = dh_arena_zalloc(S->a, sizeof(*l));
		l->S = S;
		l->col = c;
		l->attr = c->attr;
		l->many = c->many;
		if (!c->many) {
			struct rowcache *rc = rowcache_of(S, rte);
			int k = rowcache_attr(rc, c->attr);
			if (k >= 0) {
				l->rc = rc;
				l->rci = k;
			}
		}
		l->next = S->lookups;
		S->lookups = l;
		cl->cb = lookup_cb;
		cl->cbctx = l;
	}
	/* derived and join columns are bound by their relation clause */
	return s;
}

void
dh__sqlc_col_origin(const struct sqlc_sel *S, int rte, int col, struct dh_sql_col *out)
{
	out->table_oid = 0;
	out->attnum = 0;
	if (rte < 0 || rte >= S->nrt || col < 0)
		return;
	const struct sqlc_rte *e = &S->rt[rte];
	const struct dh_sql_col *from = NULL;
	switch (e->k) {
	case RTE_TABLE:
		out->table_oid = dh__pgcat_table_oid(e->t);
		out->attnum = (int16_t)(col + 1);
		return;
	case RTE_DERIVED:
		if (e->relid) {
			/* a view or sequence is a relation of its own */
			out->table_oid = e->relid;
			out->attnum = (int16_t)(col + 1);
		} else if (e->fn && e->fn->kind == 3) {
			out->table_oid = dh__pgcat_rel_oid(e->fn->pgrel);
			out->attnum = (int16_t)(col + 1);
		} else if (e->sub && col < e->sub->ncols) {
			from = &e->sub->cols[col];
		} else if (e->cte && !e->cte->recursive && e->cte->cols && col < e->cte->ncols) {
			from = &e->cte->cols[col];
		}
		break;
	case RTE_JOIN: {
		/* a merged USING column: the left side's (the right one's in a
		 * RIGHT JOIN, either in an inner one) when its type needs no
		 * coercion; a FULL JOIN's is a COALESCE */
		const struct sqlc_join *j = e->join;
		if (!j || col >= j->nusing || j->type == PG_QUERY__JOIN_TYPE__JOIN_FULL)
			return;
		int l = j->lcol[col], r = j->rcol[col], s = -1;
		int lok = S->sl[l].type == e->types[col] && S->sl[l].typmod == e->typmods[col];
		int rok = S->sl[r].type == e->types[col] && S->sl[r].typmod == e->typmods[col];
		if (j->type == PG_QUERY__JOIN_TYPE__JOIN_RIGHT)
			s = rok ? r : -1;
		else if (j->type == PG_QUERY__JOIN_TYPE__JOIN_LEFT)
			s = lok ? l : -1;
		else
			s = lok ? l : rok ? r : -1;
		if (s >= 0)
			dh__sqlc_col_origin(S, S->sl[s].rte, S->sl[s].col, out);
		return;
	}
	}
	if (from) {
		out->table_oid = from->table_oid;
		out->attnum = from->attnum;
	}
}

int
dh__sqlc_pseudo_slot(struct sqlc_sel *S, uint32_t type)
{
	if (S->nsl == S->asl) {
		S->asl = S->asl ? 2 * S->asl : 16;
		void *n = dh_arena_alloc(S->a, (size_t)S->asl * sizeof(*S->sl));
		if (S->nsl)
			memcpy(n, S->sl, (size_t)S->nsl * sizeof(*S->sl));
		S->sl = n;
	}
	int s = S->nsl++;
	S->sl[s].rte = -1;
	S->sl[s].col = -1;
	S->sl[s].var = -1;
	S->sl[s].type = type;
	S->sl[s].typmod = -1;
	return s;
}

/* --- column references --- */

static int
ident_eq(const char *a, const char *b)
{
	return a && b && strcmp(a, b) == 0;
}

/* The column of rte i called col: its index, -1 for db_id, -2 none. */
static int
rte_col(const struct sqlc_rte *t, const char *col)
{
	for (int k = 0; k < t->ncols; k++)
		if (ident_eq(t->colnames[k], col))
			return k;
	if (t->k == RTE_TABLE && strcmp(col, "db_id") == 0)
		return -1;
	return -2;
}

/* Is rte i a side of a join whose USING merges col (so that the bare
 * name means the merged column)? */
static int
merged_away(const struct sqlc_sel *S, int i, const char *col)
{
	for (int j = 0; j < S->nrt; j++) {
		const struct sqlc_rte *m = &S->rt[j];
		if (m->k != RTE_JOIN || i < m->join->lo || i >= m->join->hi)
			continue;
		if (rte_col(m, col) >= 0)
			return 1;
	}
	return 0;
}

int
dh__sqlc_col_hook(void *ctx, const char *const *names, int n, int location, int *slot,
		  uint32_t *type, int32_t *typmod, struct dh_err *err)
{
	struct sqlc_sel *S = ctx;
	const char *qual = n >= 2 ? names[n - 2] : NULL;
	const char *col = names[n - 1];
	if (n > 3 || strcmp(col, "*") == 0)
		return 1;
	int found_rte = -1, found_col = -2;
	for (int i = 0; i < S->nrt; i++) {
		struct sqlc_rte *t = &S->rt[i];
		if (qual ? !ident_eq(qual, t->alias) : (t->alias == NULL && t->k != RTE_JOIN))
			continue;
		if (t->k == RTE_JOIN && qual)
			continue;
		int c = rte_col(t, col);
		if (c == -2)
			continue;
		if (!qual && t->k != RTE_JOIN && merged_away(S, i, col))
			continue;
		if (found_rte >= 0) {
			dh_err_sql(err, "42702", "column reference \"%s\" is ambiguous", col);
			return dh__sql_at(S->r, location, DH_ESQL);
		}
		found_rte = i;
		found_col = c;
	}
	if (found_rte < 0) {
		if (qual && ident_eq(qual, S->hidden_target)) {
			dh_err_sql(err, "42P01",
				   "invalid reference to FROM-clause entry for table \"%s\"", qual);
			return dh__sql_at(S->r, location, DH_ESQL);
		}
		if (qual) {
			int known = 0;
			for (int i = 0; i < S->nrt; i++)
				known |= ident_eq(qual, S->rt[i].alias);
			if (!known)
				return 1; /* maybe an outer query's; else sqlexpr reports it */
			dh_err_sql(err, "42703", "column %s.%s does not exist", qual, col);
			return dh__sql_at(S->r, location, DH_ESQL);
		}
		return 1;
	}
	int s = dh__sqlc_slot_of(S, found_rte, found_col);
	*type = S->sl[s].type;
	*typmod = S->sl[s].typmod;
	S->ref_rte = found_rte;
	S->ref_col = found_col;
	if (S->phase == 1 && !S->in_agg) {
		/* after grouping: a grouped column, or (no GROUP BY) noted */
		int g = -1;
		for (int i = 0; i < S->ngroup; i++)
			if (S->group[i]->k == SX_SLOT && S->group[i]->slot == s &&
			    S->group[i]->levelsup == 0)
				g = i;
		if (g >= 0) {
			*slot = g;
			return 0;
		}
		if (S->has_group && dh__sqlc_pk_grouped(S, found_rte)) {
			*slot = dh__sqlc_agg_dependent(S, s);
			return 0;
		}
		const char *an = S->rt[found_rte].alias ? S->rt[found_rte].alias : "";
		if (S->has_group) {
			dh_err_sql(err, "42803",
				   "column \"%s%s%s\" must appear in the GROUP BY clause or be used in "
				   "an aggregate function",
				   an, *an ? "." : "", col);
			return dh__sql_at(S->r, location, DH_ESQL);
		}
		S->col_outside_agg = 1;
		if (!S->col_outside_name) {
			S->col_outside_name = dh_arena_printf(S->a, "%s%s%s", an, *an ? "." : "", col);
			S->col_outside_loc = location;
		}
	}
	*slot = s;
	return 0;
}

int
dh__sqlc_pk_grouped(struct sqlc_sel *S, int rte)
{
	const struct sqlc_rte *e = &S->rt[rte];
	if (e->k != RTE_TABLE || !e->t || !e->t->npk)
		return 0;
	for (int k = 0; k < e->t->npk; k++) {
		int s = e->cslot[e->t->pk[k]];
		uint64_t keys = 0; /* the group keys that are the column */
		for (int i = 0; s >= 0 && i < S->ngroup && i < 64; i++)
			if (S->group[i]->k == SX_SLOT && S->group[i]->slot == s &&
			    S->group[i]->levelsup == 0)
				keys |= (uint64_t)1 << i;
		if (!keys)
			return 0;
		/* grouping sets: a key of every set */
		for (int m = 0; m < S->nsets; m++)
			if (!(S->sets[m] & keys))
				return 0;
	}
	return 1;
}

/* A whole-row reference's relation: the FROM item aliased name, its
 * columns' slots (before grouping only). */
static int
rel_hook(void *ctx, const char *name, int location, int *ncols, const char *const **colnames,
	 const int **slots, const uint32_t **types, const int32_t **typmods, struct dh_err *err)
{
	struct sqlc_sel *S = ctx;
	for (int i = 0; i < S->nrt; i++) {
		struct sqlc_rte *t = &S->rt[i];
		int *sl;
		uint32_t *ty;
		int32_t *tm;
		if (t->k == RTE_JOIN || !ident_eq(t->alias, name))
			continue;
		if (S->phase == 1 && !S->in_agg) {
			/* as a column after grouping (dh__sqlc_col_hook), but a
			 * grouped row is never found */
			if (S->has_group) {
				dh_err_sql(err, "42803",
					   "column \"%s.*\" must appear in the GROUP BY clause or be "
					   "used in an aggregate function",
					   name);
				return dh__sql_at(S->r, location, DH_ESQL);
			}
			S->col_outside_agg = 1;
			if (!S->col_outside_name) {
				S->col_outside_name = dh_arena_printf(S->a, "%s.*", name);
				S->col_outside_loc = location;
			}
		}
		sl = dh_arena_alloc(S->a, ((size_t)t->ncols + 1) * sizeof(*sl));
		ty = dh_arena_alloc(S->a, ((size_t)t->ncols + 1) * sizeof(*ty));
		tm = dh_arena_alloc(S->a, ((size_t)t->ncols + 1) * sizeof(*tm));
		for (int k = 0; k < t->ncols; k++) {
			sl[k] = dh__sqlc_slot_of(S, i, k);
			ty[k] = S->sl[sl[k]].type;
			tm[k] = S->sl[sl[k]].typmod;
		}
		*ncols = t->ncols;
		*colnames = (const char *const *)t->colnames;
		*slots = sl;
		*types = ty;
		*typmods = tm;
		return 0;
	}
	return 1;
}

/* After grouping, a GROUP BY expression is its group key. */
int
dh__sqlc_node_hook(void *ctx, const PgQuery__Node *n, int *slot, uint32_t *type, int32_t *typmod,
		   struct dh_err *err)
{
	struct sqlc_sel *S = ctx;
	(void)err;
	if (S->phase == 1 && !S->in_agg && n->node_case == PG_QUERY__NODE__NODE_GROUPING_FUNC) {
		int rc = dh__sqlc_grouping(S, n->grouping_func, slot);
		if (rc)
			return rc;
		*type = DH_OID_INT4;
		*typmod = -1;
		return 0;
	}
	if (S->phase != 1 || S->in_agg || !S->group_src ||
	    n->node_case == PG_QUERY__NODE__NODE_COLUMN_REF)
		return 1;
	for (int i = 0; i < S->ngroup; i++)
		if (S->group_src[i] &&
		    dh__sqlc_node_eq((const ProtobufCMessage *)n,
				     (const ProtobufCMessage *)S->group_src[i])) {
			*slot = i;
			*type = S->group[i]->type;
			*typmod = S->group[i]->typmod;
			return 0;
		}
	return 1;
}

static void
add_outer_ref(struct sqlc_sel *child, int slot)
{
	for (int i = 0; i < child->nouter_refs; i++)
		if (child->outer_refs[i] == slot)
			return;
	if (child->nouter_refs == child->aouter_refs) {
		child->aouter_refs = child->aouter_refs ? 2 * child->aouter_refs : 8;
		int *n = dh_arena_alloc(child->a, (size_t)child->aouter_refs * sizeof(int));
		if (child->nouter_refs)
			memcpy(n, child->outer_refs, (size_t)child->nouter_refs * sizeof(int));
		child->outer_refs = n;
	}
	child->outer_refs[child->nouter_refs++] = slot;
}

/* An enclosing query's columns, seen from a subquery. */
static int
outer_col_hook(void *ctx, const char *const *names, int n, int location, int *slot,
	       uint32_t *type, int32_t *typmod, struct dh_err *err)
{
	struct sqlc_proxy *px = ctx;
	if (n >= 2 && ident_eq(names[n - 2], px->at->hidden_target)) {
		/* an item naming an UPDATE's or DELETE's target */
		dh_err_sql(err, px->at->from_hidden ? "42P01" : "42P10",
			   "invalid reference to FROM-clause entry for table \"%s\"", names[n - 2]);
		return dh__sql_at(px->at->r, location, DH_ESQL);
	}
	if (px->at->from_hidden)
		return 1;
	int rc = dh__sqlc_col_hook(px->at, names, n, location, slot, type, typmod, err);
	if (rc)
		return rc;
	/* every query from the asking one up to (not including) the one that
	 * has the column depends on the outer row */
	struct sqlc_sel *child = px->sub;
	for (struct sqlc_sel *p = px->sub; p && p != px->at; p = p->parent) {
		if (p->q)
			p->q->correlated = 1;
		child = p;
	}
	/* the slot must be filled in the rows of px->at that run child; in
	 * the grouped phase it is a group key, read after grouping */
	if (!(px->at->phase == 1 && !px->at->in_agg && (px->at->has_group || px->at->has_agg)))
		add_outer_ref(child, *slot);
	return 0;
}

static int
outer_agg_hook(void *ctx, const PgQuery__FuncCall *fc, int *slot, uint32_t *type,
	       int32_t *typmod, struct dh_err *err)
{
	(void)ctx, (void)fc, (void)slot, (void)type, (void)typmod, (void)err;
	return 1;
}

static int sublink_hook(void *ctx, const PgQuery__SubLink *sl, struct dh_sqlx *test, void **handle,
			uint32_t *type, int32_t *typmod, struct dh_err *err);

void
dh__sqlc_sel_init(struct sqlc_sel *S, struct dh__sqlrun *r, struct sqlc_sel *parent)
{
	memset(S, 0, sizeof(*S));
	S->r = r;
	S->a = r->a;
	S->parent = parent;
	S->dq = dh_arena_zalloc(S->a, sizeof(*S->dq));
	S->dq->a = S->a;
	S->dq->shape = DH_FIND_REL;
	new_block(S);
	const struct dh_sqlx_scope *outer = NULL;
	if (parent) {
		/* one proxy per enclosing query, innermost first */
		int depth = 0;
		for (struct sqlc_sel *p = parent; p; p = p->parent)
			depth++;
		S->proxies = dh_arena_zalloc(S->a, (size_t)depth * sizeof(*S->proxies));
		int k = 0;
		for (struct sqlc_sel *p = parent; p; p = p->parent, k++)
			S->proxies[k] = (struct sqlc_proxy){
			    {.ctx = &S->proxies[k], .column = outer_col_hook, .aggregate = outer_agg_hook,
			     .outer = k + 1 < depth ? &S->proxies[k + 1].scope : NULL},
			    S, p};
		outer = &S->proxies[0].scope;
		S->view = parent->view;
		S->schema = parent->schema;
	}
	S->base = (struct dh_sqlx_scope){.ctx = S, .outer = outer, .column = dh__sqlc_col_hook,
					 .aggregate = dh__sqlc_no_agg_hook, .sublink = sublink_hook};
	S->grouped = (struct dh_sqlx_scope){.ctx = S, .outer = outer, .column = dh__sqlc_col_hook,
					    .aggregate = dh__sqlc_agg_hook,
					    .sublink = sublink_hook, .node = dh__sqlc_node_hook};
	/* session functions (sqlc-fn.c) */
	S->base.function = S->grouped.function = fn_hook;
	S->base.relation = S->grouped.relation = rel_hook;
	S->cc.a = S->a;
	S->cc.err = r->err;
	S->cc.env = dh__sql_env(r->s);
	S->cc.scope = &S->base;
	S->cc.text = r->text;
}

int
dh__sqlc_sel_open(struct sqlc_sel *S)
{
	if (S->view)
		return 0;
	return dh__sql_view(S->r->s, &S->view, &S->schema, S->r->err);
}

static struct sqlc_rte *
new_rte(struct sqlc_sel *S, enum sqlc_rtek k, const char *alias, int ncols)
{
	if (S->nrt == S->art) {
		S->art = S->art ? 2 * S->art : 4;
		struct sqlc_rte *n = dh_arena_alloc(S->a, (size_t)S->art * sizeof(*n));
		if (S->nrt)
			memcpy(n, S->rt, (size_t)S->nrt * sizeof(*n));
		S->rt = n;
	}
	struct sqlc_rte *e = &S->rt[S->nrt++];
	memset(e, 0, sizeof(*e));
	e->k = k;
	e->alias = alias;
	e->ncols = ncols;
	e->colnames = dh_arena_zalloc(S->a, (size_t)(ncols + 1) * sizeof(*e->colnames));
	e->types = dh_arena_zalloc(S->a, (size_t)(ncols + 1) * sizeof(*e->types));
	e->typmods = dh_arena_zalloc(S->a, (size_t)(ncols + 1) * sizeof(*e->typmods));
	e->cslot = dh_arena_alloc(S->a, (size_t)(ncols + 1) * sizeof(int));
	for (int i = 0; i < ncols; i++)
		e->cslot[i] = -1;
	e->eslot = -1;
	e->block = S->cur_block;
	return e;
}

static int
alias_taken(struct sqlc_sel *S, const char *alias, int location)
{
	for (int i = 0; i < S->nrt; i++)
		if (S->rt[i].alias && strcmp(S->rt[i].alias, alias) == 0) {
			dh_err_sql(S->r->err, "42712", "table name \"%s\" specified more than once",
				   alias);
			return dh__sql_at(S->r, location, DH_ESQL);
		}
	return 0;
}

/* Column aliases: t(a, b) renames the first columns. */
static int
apply_colaliases(struct sqlc_sel *S, struct sqlc_rte *e, const PgQuery__Alias *al)
{
	if (!al || !al->n_colnames)
		return 0;
	if ((int)al->n_colnames > e->ncols)
		return dh_err_sql(S->r->err, "42P10",
				  "table \"%s\" has %d columns available but %zu columns specified",
				  e->alias, e->ncols, al->n_colnames);
	for (size_t i = 0; i < al->n_colnames; i++)
		e->colnames[i] = dh__sqlc_str(al->colnames[i]);
	return 0;
}

/* protobuf-c allocations in the statement's arena: a view's parse tree
 * lives as long as the statement */
static void *
arena_pb_alloc(void *data, size_t size)
{
	return dh_arena_alloc(data, size ? size : 1);
}

static void
arena_pb_free(void *data, void *p)
{
	(void)data, (void)p;
}

static int
add_view(struct sqlc_sel *S, const PgQuery__RangeVar *rv, const char *alias, const char *sql,
	 uint64_t eid, struct sqlc_rte **out)
{
	PgQueryProtobufParseResult pr = pg_query_parse_protobuf(sql);
	if (pr.error) {
		int rc = dh_err_sql(S->r->err, "XX000", "view \"%s\" cannot be read: %s",
				    rv->relname, pr.error->message);
		pg_query_free_protobuf_parse_result(pr);
		return rc;
	}
	ProtobufCAllocator al = {arena_pb_alloc, arena_pb_free, S->a};
	PgQuery__ParseResult *t = pg_query__parse_result__unpack(
	    &al, pr.parse_tree.len, (const uint8_t *)pr.parse_tree.data);
	pg_query_free_protobuf_parse_result(pr);
	if (!t || t->n_stmts != 1 ||
	    t->stmts[0]->stmt->node_case != PG_QUERY__NODE__NODE_SELECT_STMT)
		return dh_err_sql(S->r->err, "XX000", "view \"%s\" is not a SELECT", rv->relname);
	int rc = alias_taken(S, alias, rv->location);
	if (rc)
		return rc;
	/* the view's query sees no column of this one, and its own error
	 * positions are not in this statement's text */
	struct sqlc_q *q;
	const char *text = S->r->text;
	S->from_hidden = 1;
	S->r->text = NULL;
	rc = dh__sqlc_query(S->r, t->stmts[0]->stmt->select_stmt, S, &q);
	S->r->text = text;
	S->from_hidden = 0;
	if (rc) {
		if (S->r->err)
			S->r->err->position = 0;
		return dh__sql_at(S->r, rv->location, rc);
	}
	struct sqlc_rte *e = new_rte(S, RTE_DERIVED, alias, q->ncols);
	for (int i = 0; i < q->ncols; i++) {
		e->colnames[i] = q->cols[i].name;
		e->types[i] = q->cols[i].type_oid;
		e->typmods[i] = q->cols[i].typmod;
	}
	e->sub = q;
	e->relid = dh__pgcat_oid(eid, 0);
	e->location = rv->location;
	if ((rc = apply_colaliases(S, e, rv->alias)))
		return rc;
	if (out)
		*out = e;
	return 0;
}

/* A catalog relation: a function scan of its rows (sqlc-pgcat.c). */
static int
add_pgcat(struct sqlc_sel *S, const PgQuery__RangeVar *rv, const char *alias,
	  const struct dh__pgcat_rel *pgrel, struct sqlc_rte **out)
{
	int rc = alias_taken(S, alias, rv->location);
	if (rc)
		return rc;
	struct sqlc_fnscan *f = dh_arena_zalloc(S->a, sizeof(*f));
	f->kind = 3;
	f->pgrel = pgrel;
	const char *const *names;
	const uint32_t *types;
	const int32_t *typmods;
	dh__sqlc_pgcat_cols(pgrel, &f->ncols, &names, &types, &typmods);
	f->colnames = names;
	f->coltypes = types;
	f->coltypmods = typmods;
	struct sqlc_rte *e = new_rte(S, RTE_DERIVED, alias, f->ncols);
	for (int k = 0; k < f->ncols; k++) {
		e->colnames[k] = names[k];
		e->types[k] = types[k];
		e->typmods[k] = typmods[k];
	}
	e->fn = f;
	e->location = rv->location;
	if ((rc = apply_colaliases(S, e, rv->alias)))
		return rc;
	if (out)
		*out = e;
	return 0;
}

int
dh__sqlc_add_table(struct sqlc_sel *S, const PgQuery__RangeVar *rv, struct sqlc_rte **out)
{
	int rc = dh__sqlc_sel_open(S);
	if (rc)
		return rc;
	const char *alias = rv->alias && rv->alias->aliasname ? rv->alias->aliasname : rv->relname;
	/* a WITH query of this or an enclosing query */
	if (!rv->schemaname || !*rv->schemaname) {
		struct sqlc_cte *c = dh__sqlc_cte_find(S, rv->relname);
		if (c) {
			if (c->no_returning) {
				dh_err_sql(S->r->err, "0A000",
					   "WITH query \"%s\" does not have a RETURNING clause",
					   c->name);
				return dh__sql_at(S->r, rv->location, DH_ESQL);
			}
			if ((rc = alias_taken(S, alias, rv->location)))
				return rc;
			struct sqlc_rte *e = new_rte(S, RTE_DERIVED, alias, c->ncols);
			for (int i = 0; i < c->ncols; i++) {
				e->colnames[i] = c->cols[i].name;
				e->types[i] = c->cols[i].type_oid;
				e->typmods[i] = c->cols[i].typmod;
			}
			e->cte = c;
			e->location = rv->location;
			if ((rc = apply_colaliases(S, e, rv->alias)))
				return rc;
			if (out)
				*out = e;
			return 0;
		}
	}
	/* pg_catalog's relations (searched before the search path, as
	 * PostgreSQL does) and information_schema's */
	const struct dh__pgcat_rel *pgrel;
	if ((rc = dh__sqlc_pgcat_find(S, rv, &pgrel)))
		return rc;
	if (pgrel)
		return add_pgcat(S, rv, alias, pgrel, out);
	if (rv->schemaname && *rv->schemaname && strcmp(rv->schemaname, "public") != 0) {
		dh_err_sql(S->r->err, "3F000", "schema \"%s\" does not exist", rv->schemaname);
		return dh__sql_at(S->r, rv->location, DH_ESQL);
	}
	/* a table (the session's catalog cache answers most references);
	 * else a view or a sequence of that name */
	struct dh_sqltable *t;
	struct dh_err terr = {0};
	if ((rc = dh__sql_table(S->r->s, S->view, S->schema, rv->relname, S->a, &t, &terr))) {
		if (rc != DH_ESQL || strcmp(terr.sqlstate, "42P01") != 0) {
			*S->r->err = terr;
			return dh__sql_at(S->r, rv->location, rc);
		}
		/* a view: its stored SELECT, compiled here as a derived table */
		struct dh_sqlview vi;
		int vr = dh__sqlcat_view_info(S->view, S->schema, rv->relname, S->a, &vi,
					      S->r->err);
		if (vr < 0)
			return vr;
		if (vr == 0)
			return add_view(S, rv, alias, vi.sql, vi.eid, out);
		/* a sequence: its one row (log_cnt is always 0: every value is
		 * written, none is cached ahead) */
		struct dh_sqlseq sq;
		if ((vr = dh__sqlcat_seq(S->view, S->schema, rv->relname, S->a, &sq, S->r->err)) < 0)
			return vr;
		if (vr == 0)
			return add_view(S, rv, alias,
					dh_arena_printf(S->a,
							"SELECT %lld::bigint AS last_value, 0::bigint "
							"AS log_cnt, %s AS is_called",
							(long long)sq.last, sq.called ? "true" : "false"),
					sq.eid, out);
		*S->r->err = terr;
		return dh__sql_at(S->r, rv->location, rc);
	}
	if ((rc = alias_taken(S, alias, rv->location)))
		return rc;
	struct sqlc_rte *e = new_rte(S, RTE_TABLE, alias, t->ncols);
	e->t = t;
	e->location = rv->location;
	for (int i = 0; i < t->ncols; i++) {
		e->colnames[i] = t->cols[i].name;
		e->types[i] = t->cols[i].type;
		e->typmods[i] = t->cols[i].typmod;
	}
	if ((rc = apply_colaliases(S, e, rv->alias)))
		return rc;
	e->evar = new_var(S, "e");
	if (t->marker || t->ncols == 1) {
		struct clause *c = new_clause(S, e->block, CK_PAT, 5);
		term_var(c, 0, e->evar);
		term_const(c, 1,
			   (struct dh_value){.type = DH_T_LONG,
					     .i = (int64_t)(t->marker ? t->marker : t->cols[0].attr)});
		if (t->marker)
			pattern_cached(S, c, (int)(e - S->rt), t->marker);
	} else {
		/* a Datalog namespace: the entities with any of its attributes */
		struct clause *c = new_clause(S, e->block, CK_OR, 0);
		vs_add(&c->vars, e->evar);
		c->nsub = t->ncols;
		c->sub = dh_arena_alloc(S->a, (size_t)(t->ncols + 1) * sizeof(*c->sub));
		c->join = dh_arena_alloc(S->a, sizeof(int));
		c->join[0] = e->evar;
		c->njoin = 1;
		c->explicit_join = 1;
		for (int i = 0; i < t->ncols; i++) {
			struct clause *b = dh_arena_zalloc(S->a, sizeof(*b));
			b->k = CK_PAT;
			b->nt = 5;
			b->t = dh_arena_zalloc(S->a, 5 * sizeof(*b->t));
			for (int k = 0; k < 5; k++)
				b->t[k].k = TK_BLANK;
			term_var(b, 0, e->evar);
			term_const(b, 1,
				   (struct dh_value){.type = DH_T_LONG, .i = (int64_t)t->cols[i].attr});
			c->sub[i] = b;
		}
	}
	if (out)
		*out = e;
	return 0;
}

/* --- predicates --- */

struct pred {
	struct sqlc_sel *S;
	const struct dh_sqlx *x;
	int n;
	int *slots;
	struct dh_value *row;
};

static int
pred_cb(void *ctx, int nargs, const struct dh_value *args, struct dh_value *out,
	struct dh_err *err)
{
	struct pred *p = ctx;
	if (!p->row)
		p->row = dh_arena_zalloc(p->S->a, (size_t)(p->S->nsl + 1) * sizeof(*p->row));
	for (int i = 0; i < nargs; i++)
		p->row[p->slots[i]] = args[i];
	struct dh_arena tmp;
	dh_arena_init(&tmp);
	struct dh_sqlx_run run = {.a = &tmp, .err = err, .env = p->S->cc.env, .row = p->row,
				  .outer = p->S->outer};
	dh__sqlc_run_hooks(p->S, &run);
	int rc = dh_sqlx_test(p->x, &run);
	dh_arena_release(&tmp);
	if (rc < 0)
		return rc;
	*out = (struct dh_value){.type = DH_T_BOOL, .b = rc};
	return 0;
}

struct sublink {
	struct sqlc_q *q;
	int kind; /* PgQuery__SubLinkType */
	const struct dh_sqlop *op;
	uint32_t ltype, rtype;
	struct dh_sqlx *lconv, *rconv; /* coercions of test and row values */
	int all;
	/* a row's test ((a, b) IN (SELECT ...), row op (SELECT ...)): per
	 * column the operator, "=" (ordering operators), the coercions */
	int nrow;
	int rowop; /* 0 "=" (AND), 1 "<>" (OR), 2 ordering (2 | 4: equal rows pass) */
	const struct dh_sqlop **ops, **eqs;
	struct dh_sqlx **lconvs, **rconvs;
};

/* A row test's comparison per column (see struct sublink): its operators
 * and the coercions of both sides, as make_row_comparison_op. */
static int
row_ops(struct sqlc_sel *S, struct sublink *b, const PgQuery__SubLink *sl,
	struct dh_sqlx *const *fields, int n)
{
	struct dh_err *err = S->r->err;
	if (b->q->ncols != n) {
		dh_err_sql(err, "42601", "subquery has too %s columns",
			   b->q->ncols > n ? "many" : "few");
		return dh__sql_at(S->r, sl->location, DH_ESQL);
	}
	const char *opname =
	    sl->n_oper_name ? dh__sqlc_str(sl->oper_name[sl->n_oper_name - 1]) : "=";
	if (!opname)
		opname = "=";
	int ordered = !strcmp(opname, "<") || !strcmp(opname, "<=") || !strcmp(opname, ">") ||
		      !strcmp(opname, ">=");
	if (n > 1 && !ordered && strcmp(opname, "=") && strcmp(opname, "<>")) {
		dh_err_sql(err, "42883",
			   "could not determine interpretation of row comparison operator %s",
			   opname);
		dh_err_hint(err, "Row comparison operators must be associated with btree operator "
				 "families.");
		return dh__sql_at(S->r, sl->location, DH_ESQL);
	}
	b->nrow = n;
	b->rowop = ordered ? 2 | (strchr(opname, '=') ? 4 : 0) : strcmp(opname, "<>") == 0;
	b->ops = dh_arena_zalloc(S->a, (size_t)n * sizeof(*b->ops));
	b->eqs = dh_arena_zalloc(S->a, (size_t)n * sizeof(*b->eqs));
	b->lconvs = dh_arena_zalloc(S->a, (size_t)n * sizeof(*b->lconvs));
	b->rconvs = dh_arena_zalloc(S->a, (size_t)n * sizeof(*b->rconvs));
	for (int i = 0; i < n; i++) {
		uint32_t lt = fields[i]->type, rt = b->q->cols[i].type_oid;
		const struct dh_sqlop *op = dh_sqlx_oper(&S->cc, opname, lt, rt, sl->location);
		if (!op)
			return DH_ESQL;
		if (op->result != DH_OID_BOOL) {
			dh_err_sql(err, "42804",
				   "row comparison operator must yield type boolean, not type %s",
				   dh_sqltype_by_oid(op->result)
				       ? dh_sqltype_by_oid(op->result)->sqlname
				       : "?");
			return dh__sql_at(S->r, sl->location, DH_ESQL);
		}
		b->ops[i] = op;
		if (ordered &&
		    !(b->eqs[i] = dh_sqlx_oper(&S->cc, "=", op->left, op->right, sl->location)))
			return DH_ESQL;
		struct dh_sqlx *ls = dh_sqlx_slot(S->a, i, 0, lt, fields[i]->typmod, NULL);
		struct dh_sqlx *rs = dh_sqlx_slot(S->a, i, 0, rt, b->q->cols[i].typmod, NULL);
		int rc;
		if ((rc = dh_sqlx_coerce(&S->cc, ls, op->left, -1, DH_CAST_IMPLICIT, NULL,
					 &b->lconvs[i])) ||
		    (rc = dh_sqlx_coerce(&S->cc, rs, op->right, -1, DH_CAST_IMPLICIT, NULL,
					 &b->rconvs[i])))
			return dh__sql_at(S->r, sl->location, rc);
	}
	return 0;
}

/* A row test against one row of the subquery: *out true, false or NULL. */
static int
row_test(struct sqlc_sel *S, const struct sublink *b, const struct dh_sqlx_run *r,
	 const struct dh_value *test, const struct dh_value *row, struct dh_value *out)
{
	struct dh_sqlx_run lr = *r, rr = *r;
	lr.row = test->coll->items;
	rr.row = row;
	struct dh_sqlcall c = {.arena = r->a, .err = r->err, .env = r->env, .nargs = 2};
	int rc, saw_null = 0;
	out->type = DH_T_NONE;
	for (int i = 0; i < b->nrow; i++) {
		struct dh_value args[2], res;
		if ((rc = dh_sqlx_eval(b->lconvs[i], &lr, &args[0])) ||
		    (rc = dh_sqlx_eval(b->rconvs[i], &rr, &args[1])))
			return rc;
		int isnull = args[0].type == DH_T_NONE || args[1].type == DH_T_NONE;
		if (b->rowop & 2) {
			/* the first pair that is not equal decides */
			if (isnull)
				return 0;
			if ((rc = dh_sqlfn_call(b->eqs[i]->fn, &c, args, &res)))
				return rc;
			if (res.type == DH_T_NONE)
				return 0;
			if (res.b)
				continue;
			return dh_sqlfn_call(b->ops[i]->fn, &c, args, out);
		}
		if (isnull) {
			saw_null = 1;
			continue;
		}
		if ((rc = dh_sqlfn_call(b->ops[i]->fn, &c, args, &res)))
			return rc;
		if (res.type == DH_T_NONE) {
			saw_null = 1;
			continue;
		}
		/* "=": a false pair decides; "<>": a true one */
		if (res.b == b->rowop) {
			*out = (struct dh_value){.type = DH_T_BOOL, .b = b->rowop};
			return 0;
		}
	}
	if (b->rowop & 2)
		*out = (struct dh_value){.type = DH_T_BOOL, .b = (b->rowop & 4) != 0};
	else if (!saw_null)
		*out = (struct dh_value){.type = DH_T_BOOL, .b = !b->rowop};
	return 0;
}

/* The slots of this row that query q reads (a subquery's outer refs). */
static void
q_refs(const struct sqlc_q *q, char *used, int n)
{
	if (!q)
		return;
	if (q->k == Q_SETOP) {
		q_refs(q->l, used, n);
		q_refs(q->rq, used, n);
		return;
	}
	if (q->sel)
		for (int i = 0; i < q->sel->nouter_refs; i++)
			if (q->sel->outer_refs[i] < n)
				used[q->sel->outer_refs[i]] = 1;
}

static void
slots_used(const struct dh_sqlx *x, char *used, int n)
{
	if (x->k == SX_SLOT && x->levelsup == 0 && x->slot < n)
		used[x->slot] = 1;
	if (x->k == SX_SUBLINK && x->handle)
		q_refs(((const struct sublink *)x->handle)->q, used, n);
	for (int i = 0; i < x->nargs; i++)
		if (x->args[i])
			slots_used(x->args[i], used, n);
}

/* Does x read anything but this row's slots (sublinks, outer rows)? */
static int
self_contained(const struct dh_sqlx *x)
{
	if (x->k == SX_SUBLINK || x->k == SX_CALL || (x->k == SX_SLOT && x->levelsup) ||
	    x->k == SX_PARAM)
		return 0;
	for (int i = 0; i < x->nargs; i++)
		if (x->args[i] && !self_contained(x->args[i]))
			return 0;
	return 1;
}

/* Types whose datom equality is SQL's equality: an equality with a
 * constant can be an index lookup. */
static int
index_safe(uint32_t t)
{
	switch (t) {
	case DH_OID_INT2:
	case DH_OID_INT4:
	case DH_OID_INT8:
	case DH_OID_TEXT:
	case DH_OID_VARCHAR:
	case DH_OID_BOOL:
	case DH_OID_UUID:
	case DH_OID_DATE:
	case DH_OID_TIMESTAMP:
	case DH_OID_TIMESTAMPTZ:
	case DH_OID_BYTEA:
		return 1;
	default:
		return 0;
	}
}

/* col = constant, both of the column's type, on a base table: an index
 * pattern in the column's block. */
static int
try_index_eq(struct sqlc_sel *S, int block, const struct dh_sqlx *x)
{
	if (x->k != SX_FUNC || x->nargs != 2 || !x->oper || strcmp(x->oper->name, "=") != 0)
		return 0;
	const struct dh_sqlx *a = x->args[0], *b = x->args[1];
	if (a->k != SX_SLOT)
		a = x->args[1], b = x->args[0];
	/* a bound parameter is a constant here: a statement with
	 * parameters is compiled for each execution */
	int bound = b->k == SX_PARAM && S->cc.env->params;
	if (a->k != SX_SLOT || a->levelsup || !(bound || dh_sqlx_is_const(b)) || a->type != b->type ||
	    !index_safe(a->type) || a->slot >= S->nsl)
		return 0;
	int rte = S->sl[a->slot].rte, col = S->sl[a->slot].col;
	if (rte < 0)
		return 0;
	if (S->rt[rte].k != RTE_TABLE || S->rt[rte].block != block)
		return 0;
	struct dh_value v;
	struct dh_err e2;
	struct dh_sqlx_run run = {.a = S->a, .err = &e2, .env = S->cc.env};
	if (dh_sqlx_eval(b, &run, &v) || v.type == DH_T_NONE)
		return 0;
	if (col < 0) {
		/* db_id = constant: the entity itself */
		if (v.type != DH_T_LONG)
			return 0;
		struct clause *cl = new_clause(S, block, CK_PAT, 5);
		term_const(cl, 0, (struct dh_value){.type = DH_T_LONG, .i = v.i});
		/* binds nothing: keep the predicate too */
		S->blocks[block].ncl--;
		return 0;
	}
	const struct dh_sqlcol *c = &S->rt[rte].t->cols[col];
	if (v.type != c->rep)
		return 0;
	struct clause *cl = new_clause(S, block, CK_PAT, 5);
	term_var(cl, 0, S->rt[rte].evar);
	term_const(cl, 1, (struct dh_value){.type = DH_T_LONG, .i = (int64_t)c->attr});
	term_const(cl, 2, v);
	if (!c->many)
		pattern_cached(S, cl, rte, c->attr);
	return 1;
}

/* a.x = b.y, two base-table columns of this block of one type whose
 * datom equality is SQL's: two patterns sharing the value variable, so
 * the planner joins through the index (a hash or lookup join) instead of
 * filtering a product. */
static int
try_join_eq(struct sqlc_sel *S, int block, const struct dh_sqlx *x)
{
	if (x->k != SX_FUNC || x->nargs != 2 || !x->oper || strcmp(x->oper->name, "=") != 0)
		return 0;
	const struct dh_sqlx *a = x->args[0], *b = x->args[1];
	if (a->k != SX_SLOT || b->k != SX_SLOT || a->levelsup || b->levelsup ||
	    a->slot >= S->nsl || b->slot >= S->nsl || a->type != b->type || !index_safe(a->type))
		return 0;
	int ra = S->sl[a->slot].rte, rb = S->sl[b->slot].rte;
	int ca = S->sl[a->slot].col, cb = S->sl[b->slot].col;
	if (ra < 0 || rb < 0 || ra == rb || ca < 0 || cb < 0 || S->rt[ra].k != RTE_TABLE ||
	    S->rt[rb].k != RTE_TABLE || S->rt[ra].block != block || S->rt[rb].block != block)
		return 0;
	const struct dh_sqlcol *x1 = &S->rt[ra].t->cols[ca], *x2 = &S->rt[rb].t->cols[cb];
	if (x1->many || x2->many || x1->rep != x2->rep || x1->rep == DH_T_NONE)
		return 0;
	int v = new_var(S, "j");
	vs_add(&S->det, v);
	struct clause *c1 = new_clause(S, block, CK_PAT, 5);
	term_var(c1, 0, S->rt[ra].evar);
	term_const(c1, 1, (struct dh_value){.type = DH_T_LONG, .i = (int64_t)x1->attr});
	term_var(c1, 2, v);
	struct clause *c2 = new_clause(S, block, CK_PAT, 5);
	term_var(c2, 0, S->rt[rb].evar);
	term_const(c2, 1, (struct dh_value){.type = DH_T_LONG, .i = (int64_t)x2->attr});
	term_var(c2, 2, v);
	pattern_cached(S, c1, ra, x1->attr);
	pattern_cached(S, c2, rb, x2->attr);
	return 1;
}

/* Add a compiled condition to block as a predicate (or index pattern). */
static int
add_pred(struct sqlc_sel *S, int block, struct dh_sqlx *x)
{
	if (try_index_eq(S, block, x) || try_join_eq(S, block, x))
		return 0;
	char *used = dh_arena_zalloc(S->a, (size_t)S->nsl + 1);
	slots_used(x, used, S->nsl);
	struct pred *p = dh_arena_zalloc(S->a, sizeof(*p));
	p->S = S;
	p->x = x;
	p->slots = dh_arena_alloc(S->a, (size_t)(S->nsl + 1) * sizeof(int));
	for (int i = 0; i < S->nsl; i++)
		if (used[i])
			p->slots[p->n++] = i;
	if (p->n == 0 && self_contained(x)) {
		/* a constant condition: evaluate it once */
		struct dh_value v;
		int rc = pred_cb(p, 0, NULL, &v, S->r->err);
		if (rc)
			return rc;
		if (!v.b)
			S->blocks[block].empty = 1;
		return 0;
	}
	struct clause *c = new_clause(S, block, CK_PRED, p->n);
	for (int i = 0; i < p->n; i++)
		term_var(c, i, S->sl[p->slots[i]].var);
	c->cb = pred_cb;
	c->cbctx = p;
	c->name = "sql-where";
	return 0;
}

static int
conjuncts(struct sqlc_sel *S, const PgQuery__Node *n, const PgQuery__Node **out, int *k, int cap)
{
	if (n->node_case == PG_QUERY__NODE__NODE_BOOL_EXPR &&
	    n->bool_expr->boolop == PG_QUERY__BOOL_EXPR_TYPE__AND_EXPR) {
		for (size_t i = 0; i < n->bool_expr->n_args; i++) {
			int rc = conjuncts(S, n->bool_expr->args[i], out, k, cap);
			if (rc)
				return rc;
		}
		return 0;
	}
	if (*k >= cap)
		return dh_err_sql(S->r->err, "54000", "too many AND conditions");
	out[(*k)++] = n;
	return 0;
}

/* Conditions of block (WHERE, inner join ON): each conjunct a predicate. */
static int
add_quals(struct sqlc_sel *S, int block, const PgQuery__Node *w, const char *construct)
{
	const PgQuery__Node **cj = dh_arena_alloc(S->a, 1024 * sizeof(*cj));
	int n = 0, rc;
	int phase = S->phase;
	S->phase = 0;
	S->cc.scope = &S->base;
	if ((rc = conjuncts(S, w, cj, &n, 1024)))
		goto out;
	for (int i = 0; i < n && rc == 0; i++) {
		struct dh_sqlx *x;
		rc = dh_sqlx_compile(&S->cc, cj[i], &x);
		if (rc == 0)
			rc = dh_sqlx_coerce_bool(&S->cc, x, construct, &x);
		if (rc == 0)
			rc = add_pred(S, block, x);
	}
out:
	S->phase = phase;
	return rc;
}

int
dh__sqlc_where(struct sqlc_sel *S, const PgQuery__Node *w)
{
	return w ? add_quals(S, 0, w, "WHERE") : 0;
}

/* --- derived tables and joins: relation-binding clauses --- */

struct relfeed {
	struct sqlc_sel *S;
	struct sqlc_rte *rte;   /* a derived table, or NULL */
	struct sqlc_join *join; /* or a join */
	struct clause *c;
};

static int run_block(struct sqlc_sel *S, int b, struct dh_value **rows, size_t *nrows);

/* A tuple collection for a BK_REL binding: rows[i] of the vars. */
static int
tuples(struct sqlc_sel *S, const struct dh_value *rows, size_t n, size_t w, const int *slots,
       int ns, struct dh_value *out)
{
	struct dh_coll *all = dh_arena_alloc(S->a, sizeof(*all));
	all->kind = DH_COLL_VECTOR;
	all->n = n;
	struct dh_value *items = dh_arena_alloc(S->a, (n ? n : 1) * sizeof(*items));
	all->items = items;
	volatile sig_atomic_t *cancel = dh__sql_cancel(S->r->s);
	for (size_t i = 0; i < n; i++) {
		if ((i & 4095) == 4095 && cancel && *cancel)
			return dh_err_canceled(S->r->err, *cancel);
		struct dh_coll *t = dh_arena_alloc(S->a, sizeof(*t));
		t->kind = DH_COLL_VECTOR;
		t->n = (size_t)ns + 1;
		struct dh_value *v = dh_arena_alloc(S->a, ((size_t)ns + 1) * sizeof(*v));
		for (int k = 0; k < ns; k++)
			v[k] = rows[i * w + (size_t)slots[k]];
		v[ns] = (struct dh_value){.type = DH_T_LONG, .i = (int64_t)i};
		t->items = v;
		items[i] = (struct dh_value){.type = DH_T_COLL, .coll = t};
	}
	*out = (struct dh_value){.type = DH_T_COLL, .coll = all};
	return 0;
}

/* The slots a relation clause binds: those of rtes [lo, hi). */
static int
feed_slots(struct sqlc_sel *S, int lo, int hi, int *slots)
{
	int n = 0;
	for (int s = 0; s < S->nsl; s++)
		if (S->sl[s].rte >= lo && S->sl[s].rte < hi)
			slots[n++] = s;
	return n;
}

static int join_rows(struct sqlc_sel *S, struct sqlc_join *j, const struct dh_value *xvals,
		     struct dh_value **rows, size_t *n);
static int fnscan_rows(struct sqlc_sel *S, const struct sqlc_fnscan *f, const struct dh_sqlx_run *run,
		       struct dh_value **rowsp, size_t *np);

static int
feed_cb(void *ctx, int nargs, const struct dh_value *args, struct dh_value *out,
	struct dh_err *err)
{
	struct relfeed *f = ctx;
	struct sqlc_sel *S = f->S;
	(void)err;
	int *slots = dh_arena_alloc(S->a, (size_t)(S->nsl + 1) * sizeof(int));
	int ns;
	struct dh_value *rows;
	size_t n, w;
	int rc;
	if (f->rte) {
		/* a derived table: its own rows, columns in order.  It runs one
		 * level below this query: with this row's LATERAL columns */
		struct sqlc_rte *e = f->rte;
		const struct dh_value *src;
		struct dh_value *lrow = dh_arena_zalloc(S->a, (size_t)(S->nsl + 1) * sizeof(*lrow));
		for (int k = 0; k < nargs && k < e->nlat; k++)
			lrow[e->lat_slots[k]] = args[k];
		struct dh_sqlx_run lvl = {.a = S->a, .err = S->r->err, .env = S->cc.env, .row = lrow,
					  .outer = S->outer};
		dh__sqlc_run_hooks(S, &lvl);
		if (e->fn) {
			struct dh_value *r2;
			if (e->fn->kind == 3 && (rc = dh__sqlc_pgcat_check(S, e->fn->pgrel, e->cslot)))
				return rc;
			if ((rc = fnscan_rows(S, e->fn, &lvl, &r2, &n)))
				return rc;
			src = r2;
		} else if (e->cte && e->cte->iterating) {
			src = e->cte->work;
			n = e->cte->nwork;
		} else if (e->cte) {
			if ((rc = dh__sqlc_cte_rows(e->cte, S->outer)))
				return rc;
			src = e->cte->rows;
			n = e->cte->nrows;
		} else {
			struct dh_value *r2;
			if ((rc = dh__sqlc_query_run(e->sub, &lvl, &r2, &n)))
				return rc;
			src = r2;
		}
		ns = 0;
		for (int k = 0; k < e->ncols; k++)
			if (e->cslot[k] >= 0)
				slots[ns++] = k;
		return tuples(S, src, n, (size_t)e->ncols, slots, ns, out);
	}
	if ((rc = join_rows(S, f->join, args, &rows, &n)))
		return rc;
	w = (size_t)S->nsl;
	ns = f->join->nvars;
	for (int k = 0; k < ns; k++)
		slots[k] = f->join->vars[k];
	return tuples(S, rows, n, w, slots, ns, out);
}

/* Bind a derived table's used columns (after compiling): the clause's
 * binding vars are the slots' vars then the row id. */
static void
finish_feed(struct sqlc_sel *S, struct relfeed *f)
{
	struct clause *c = f->c;
	int *vars = dh_arena_alloc(S->a, (size_t)(S->nsl + 2) * sizeof(int));
	int nb = 0;
	if (f->rte) {
		for (int k = 0; k < f->rte->ncols; k++)
			if (f->rte->cslot[k] >= 0)
				vars[nb++] = S->sl[f->rte->cslot[k]].var;
		vars[nb++] = f->rte->rowvar;
	} else {
		struct sqlc_join *j = f->join;
		j->vars = dh_arena_alloc(S->a, (size_t)(S->nsl + 1) * sizeof(int));
		j->nvars = feed_slots(S, j->lo, j->hi, j->vars);
		/* the merged columns too */
		for (int s = 0; s < S->nsl; s++)
			if (j->merged && S->sl[s].rte >= 0 && &S->rt[S->sl[s].rte] == j->merged) {
				int dup = 0;
				for (int k = 0; k < j->nvars; k++)
					dup |= j->vars[k] == s;
				if (!dup)
					j->vars[j->nvars++] = s;
			}
		for (int k = 0; k < j->nvars; k++)
			vars[nb++] = S->sl[j->vars[k]].var;
		vars[nb++] = j->rowvar;
	}
	c->nb = nb;
	c->bv = vars;
	for (int k = 0; k < nb; k++)
		vs_add(&c->vars, vars[k]);
}

static struct relfeed *
add_feed(struct sqlc_sel *S, int block, struct sqlc_rte *rte, struct sqlc_join *j)
{
	struct relfeed *f = dh_arena_zalloc(S->a, sizeof(*f));
	f->S = S;
	f->rte = rte;
	f->join = j;
	struct clause *c = new_clause(S, block, CK_FN, 0);
	c->bk = BK_REL;
	c->nullable = 1;
	c->cb = feed_cb;
	c->cbctx = f;
	c->name = rte ? "sql-derived" : "sql-join";
	f->c = c;
	return f;
}

static int add_item(struct sqlc_sel *S, const PgQuery__Node *n);

/* USING / NATURAL: the merged column list and the equality conditions. */
static int
join_using(struct sqlc_sel *S, struct sqlc_join *j, const PgQuery__JoinExpr *je,
	   struct sqlc_rte **mergedp)
{
	/* the columns each side shows, in order */
	const char **names = dh_arena_alloc(S->a, 256 * sizeof(*names));
	int nn = 0;
	if (je->is_natural) {
		for (int i = j->lo; i < j->mid; i++) {
			const struct sqlc_rte *l = &S->rt[i];
			if (l->k == RTE_JOIN)
				continue;
			for (int c = 0; c < l->ncols && nn < 256; c++) {
				int inright = 0;
				for (int k = j->mid; k < j->hi; k++)
					if (S->rt[k].k != RTE_JOIN && rte_col(&S->rt[k], l->colnames[c]) >= 0)
						inright = 1;
				if (inright && !merged_away(S, i, l->colnames[c]))
					names[nn++] = l->colnames[c];
			}
		}
	} else {
		for (size_t i = 0; i < je->n_using_clause && nn < 256; i++)
			names[nn++] = dh__sqlc_str(je->using_clause[i]);
	}
	j->nusing = nn;
	j->lcol = dh_arena_alloc(S->a, (size_t)(nn + 1) * sizeof(int));
	j->rcol = dh_arena_alloc(S->a, (size_t)(nn + 1) * sizeof(int));
	for (int u = 0; u < nn; u++) {
		for (int side = 0; side < 2; side++) {
			int lo = side ? j->mid : j->lo, hi = side ? j->hi : j->mid;
			int found = -1, fc = -1;
			for (int i = lo; i < hi; i++) {
				const struct sqlc_rte *t = &S->rt[i];
				int c = rte_col(t, names[u]);
				if (c < 0)
					continue;
				if (t->k != RTE_JOIN && merged_away(S, i, names[u]))
					continue;
				if (found >= 0) {
					dh_err_sql(S->r->err, "42702",
						   "common column name \"%s\" appears more than once in "
						   "%s table",
						   names[u], side ? "right" : "left");
					return DH_ESQL;
				}
				found = i;
				fc = c;
			}
			if (found < 0) {
				dh_err_sql(S->r->err, "42703",
					   "column \"%s\" specified in USING clause does not exist in %s "
					   "table",
					   names[u], side ? "right" : "left");
				return DH_ESQL;
			}
			int s = dh__sqlc_slot_of(S, found, fc);
			(side ? j->rcol : j->lcol)[u] = s;
		}
	}
	/* the merged columns: a JOIN rte without alias, its slots filled by
	 * the join (outer) or equal to the left ones (inner) */
	struct sqlc_rte *m = new_rte(S, RTE_JOIN, NULL, nn);
	m->join = j;
	for (int u = 0; u < nn; u++) {
		m->colnames[u] = names[u];
		uint32_t lt = S->sl[j->lcol[u]].type, rt = S->sl[j->rcol[u]].type;
		m->types[u] = lt;
		m->typmods[u] = S->sl[j->lcol[u]].typmod;
		if (lt != rt) {
			struct dh_sqlx *xs[2] = {
			    dh_sqlx_slot(S->a, j->lcol[u], 0, lt, S->sl[j->lcol[u]].typmod, NULL),
			    dh_sqlx_slot(S->a, j->rcol[u], 0, rt, S->sl[j->rcol[u]].typmod, NULL)};
			uint32_t ct;
			int32_t ctm;
			int rc = dh_sqlx_common_type(&S->cc, xs, 2, "JOIN/USING", &ct, &ctm);
			if (rc)
				return rc;
			m->types[u] = ct;
			m->typmods[u] = ctm;
		}
	}
	*mergedp = m;
	return 0;
}

/* An outer join's LATERAL references (see struct sqlc_join): the right
 * side may read the left side's columns in a LEFT join only. */
static int
join_lateral(struct sqlc_sel *S, struct sqlc_join *j)
{
	char *l = dh_arena_zalloc(S->a, (size_t)S->nsl + 1);
	char *x = dh_arena_zalloc(S->a, (size_t)S->nsl + 1);
	for (int k = j->lo; k < j->hi; k++) {
		const struct sqlc_rte *e = &S->rt[k];
		for (int i = 0; i < e->nlat; i++) {
			int s = e->lat_slots[i], at = S->sl[s].rte;
			int side_lo = k < j->mid ? j->lo : j->mid,
			    side_hi = k < j->mid ? j->mid : j->hi;
			if (at >= side_lo && at < side_hi)
				continue;
			if (k >= j->mid && at >= j->lo && at < j->mid) {
				if (j->type != PG_QUERY__JOIN_TYPE__JOIN_LEFT) {
					const char *an = S->rt[at].alias;
					dh_err_sql(
					    S->r->err, "42P10",
					    "invalid reference to FROM-clause entry for table "
					    "\"%s\"",
					    an ? an : "?");
					dh_err_detail(S->r->err, "The combining JOIN type must be "
								 "INNER or LEFT for a LATERAL "
								 "reference.");
					return DH_ESQL;
				}
				l[s] = 1;
			} else {
				x[s] = 1;
			}
		}
	}
	j->lslots = dh_arena_alloc(S->a, (size_t)(S->nsl + 1) * sizeof(int));
	j->xslots = dh_arena_alloc(S->a, (size_t)(S->nsl + 1) * sizeof(int));
	for (int s = 0; s < S->nsl; s++) {
		if (l[s])
			j->lslots[j->nlslots++] = s;
		if (x[s])
			j->xslots[j->nxslots++] = s;
	}
	return 0;
}

static int
seed_cb(void *ctx, int nargs, const struct dh_value *args, struct dh_value *out, struct dh_err *err)
{
	(void)nargs, (void)args, (void)err;
	*out = *(const struct dh_value *)ctx;
	return 0;
}

/* Bind slots[0..n) in block b to rel, a collection of tuples (the next
 * run_block of b only: the clause is taken off after it). */
static int
run_block_seeded(struct sqlc_sel *S, int b, const int *slots, int n, struct dh_value rel,
		 struct dh_value **rows, size_t *nrows)
{
	if (!n)
		return run_block(S, b, rows, nrows);
	struct clause *c = new_clause(S, b, CK_FN, 0);
	c->bk = BK_REL;
	c->nullable = 1;
	c->cb = seed_cb;
	struct dh_value *hold = dh_arena_alloc(S->a, sizeof(*hold));
	*hold = rel;
	c->cbctx = hold;
	c->name = "sql-lateral";
	c->nb = n;
	c->bv = dh_arena_alloc(S->a, (size_t)n * sizeof(int));
	for (int k = 0; k < n; k++) {
		c->bv[k] = S->sl[slots[k]].var;
		vs_add(&c->vars, c->bv[k]);
	}
	int rc = run_block(S, b, rows, nrows);
	S->blocks[b].ncl--;
	return rc;
}

static int
add_join(struct sqlc_sel *S, const PgQuery__JoinExpr *je)
{
	int rc;
	int outer = je->jointype != PG_QUERY__JOIN_TYPE__JOIN_INNER;
	if (je->alias)
		return dh_err_sql(S->r->err, "0A000", "aliases of joins are not supported yet");
	if (je->jointype != PG_QUERY__JOIN_TYPE__JOIN_INNER &&
	    je->jointype != PG_QUERY__JOIN_TYPE__JOIN_LEFT &&
	    je->jointype != PG_QUERY__JOIN_TYPE__JOIN_RIGHT &&
	    je->jointype != PG_QUERY__JOIN_TYPE__JOIN_FULL)
		return dh_err_sql(S->r->err, "0A000", "this join type is not supported");
	struct sqlc_join *j = dh_arena_zalloc(S->a, sizeof(*j));
	j->type = je->jointype;
	j->block = S->cur_block;
	j->lo = S->nrt;
	int saved = S->cur_block;
	if (outer) {
		j->lblock = new_block(S);
		S->cur_block = j->lblock;
	}
	if ((rc = add_item(S, je->larg)))
		return rc;
	j->mid = S->nrt;
	if (outer) {
		j->rblock = new_block(S);
		S->cur_block = j->rblock;
	}
	if ((rc = add_item(S, je->rarg)))
		return rc;
	j->hi = S->nrt;
	S->cur_block = saved;
	if (outer && (rc = join_lateral(S, j)))
		return rc;
	if (je->is_natural || je->n_using_clause) {
		if ((rc = join_using(S, j, je, &j->merged)))
			return rc;
		j->merged->block = S->cur_block;
	}
	/* USING columns are equalities of the two sides' columns */
	struct dh_sqlx **ueq = dh_arena_zalloc(S->a, (size_t)(j->nusing + 1) * sizeof(*ueq));
	for (int u = 0; u < j->nusing; u++) {
		struct dh_sqlx *l = dh_sqlx_slot(S->a, j->lcol[u], 0, S->sl[j->lcol[u]].type,
						 S->sl[j->lcol[u]].typmod, NULL);
		struct dh_sqlx *r = dh_sqlx_slot(S->a, j->rcol[u], 0, S->sl[j->rcol[u]].type,
						 S->sl[j->rcol[u]].typmod, NULL);
		struct dh_sqlx *eq;
		if ((rc = dh_sqlx_op(&S->cc, "=", l, r, -1, &eq)))
			return rc;
		ueq[u] = eq;
	}
	if (!outer) {
		/* inner: everything in this block; a merged column is the left
		 * one, or the right one when only that has the merged type (int4
		 * USING int8 is int8, as PostgreSQL coerces it: the sides are
		 * equal, so the right value is the left one coerced) */
		for (int u = 0; u < j->nusing; u++) {
			if ((rc = add_pred(S, S->cur_block, ueq[u])))
				return rc;
			int ls = j->lcol[u], rs = j->rcol[u];
			uint32_t mt = j->merged->types[u];
			int32_t mtm = j->merged->typmods[u];
			int lok = S->sl[ls].type == mt && S->sl[ls].typmod == mtm;
			int rok = S->sl[rs].type == mt && S->sl[rs].typmod == mtm;
			j->merged->cslot[u] = !lok && rok ? rs : ls;
		}
		if (je->quals && (rc = add_quals(S, S->cur_block, je->quals, "JOIN/ON")))
			return rc;
		return 0;
	}
	/* outer: ON conditions are compiled over full-width rows and
	 * evaluated by the join */
	j->quals = je->quals;
	j->rowvar = new_var(S, "j");
	if (S->njoins == S->ajoins) {
		S->ajoins = S->ajoins ? 2 * S->ajoins : 4;
		struct sqlc_join **nj = dh_arena_alloc(S->a, (size_t)S->ajoins * sizeof(*nj));
		if (S->njoins)
			memcpy(nj, S->joins, (size_t)S->njoins * sizeof(*nj));
		S->joins = nj;
	}
	S->joins[S->njoins++] = j;
	if (je->quals) {
		const PgQuery__Node **cj = dh_arena_alloc(S->a, 256 * sizeof(*cj));
		int n = 0;
		if ((rc = conjuncts(S, je->quals, cj, &n, 256)))
			return rc;
		j->on = dh_arena_alloc(S->a, (size_t)(n + j->nusing + 1) * sizeof(*j->on));
		int phase = S->phase;
		S->phase = 0;
		S->cc.scope = &S->base;
		for (int i = 0; i < n; i++) {
			struct dh_sqlx *x;
			if ((rc = dh_sqlx_compile(&S->cc, cj[i], &x)) ||
			    (rc = dh_sqlx_coerce_bool(&S->cc, x, "JOIN/ON", &x)))
				return rc;
			j->on[j->non++] = x;
		}
		S->phase = phase;
	}
	if (j->nusing) {
		if (!j->on)
			j->on = dh_arena_alloc(S->a, (size_t)(j->nusing + 1) * sizeof(*j->on));
		for (int u = 0; u < j->nusing; u++)
			j->on[j->non++] = ueq[u];
	}
	/* merged columns of an outer join are computed slots */
	if (j->merged)
		for (int u = 0; u < j->nusing; u++) {
			int s = dh__sqlc_slot_of(S, (int)(j->merged - S->rt), u);
			(void)s;
		}
	struct relfeed *f = add_feed(S, S->cur_block, NULL, j);
	if (j->nxslots) {
		struct clause *c = f->c;
		c->nt = j->nxslots;
		c->t = dh_arena_zalloc(S->a, (size_t)c->nt * sizeof(*c->t));
		for (int k = 0; k < c->nt; k++)
			term_var(c, k, S->sl[j->xslots[k]].var);
	}
	return 0;
}

/* The earlier FROM items' slots a LATERAL item reads. */
static void
lateral_slots(struct sqlc_sel *S, struct sqlc_rte *e, const char *used)
{
	e->lat_slots = dh_arena_alloc(S->a, (size_t)(S->nsl + 1) * sizeof(int));
	e->nlat = 0;
	for (int i = 0; i < S->nsl; i++)
		if (used[i])
			e->lat_slots[e->nlat++] = i;
	e->lateral = e->nlat > 0;
}

static int
add_derived(struct sqlc_sel *S, const PgQuery__RangeSubselect *rs)
{
	if (!rs->alias) {
		dh_err_sql(S->r->err, "42601", "subquery in FROM must have an alias");
		dh_err_hint(S->r->err, "For example, FROM (SELECT ...) [AS] foo.");
		return DH_ESQL;
	}
	struct sqlc_q *q;
	S->from_hidden = !rs->lateral;
	int rc = dh__sqlc_query(S->r, rs->subquery->select_stmt, S, &q);
	S->from_hidden = 0;
	if (rc)
		return rc;
	if ((rc = alias_taken(S, rs->alias->aliasname, -1)))
		return rc;
	struct sqlc_rte *e = new_rte(S, RTE_DERIVED, rs->alias->aliasname, q->ncols);
	for (int i = 0; i < q->ncols; i++) {
		e->colnames[i] = q->cols[i].name;
		e->types[i] = q->cols[i].type_oid;
		e->typmods[i] = q->cols[i].typmod;
	}
	e->sub = q;
	if (rs->lateral) {
		char *used = dh_arena_zalloc(S->a, (size_t)S->nsl + 1);
		q_refs(q, used, S->nsl);
		lateral_slots(S, e, used);
	}
	return apply_colaliases(S, e, rs->alias);
}

/* generate_series(...) and unnest(...) in FROM. */
static int
add_function(struct sqlc_sel *S, const PgQuery__RangeFunction *rf)
{
	struct dh_err *err = S->r->err;
	if (rf->n_functions != 1 || rf->is_rowsfrom)
		return dh_err_sql(err, "0A000", "ROWS FROM with several functions is not supported yet");
	const PgQuery__List *l = rf->functions[0]->list;
	const PgQuery__Node *fn = l->items[0];
	if (fn->node_case != PG_QUERY__NODE__NODE_FUNC_CALL)
		return dh_err_sql(err, "0A000", "%s in FROM is not supported yet",
				  dh__sqlc_node_name(fn));
	if (l->n_items > 1 && l->items[1] && l->items[1]->node_case != PG_QUERY__NODE__NODE__NOT_SET)
		return dh_err_sql(err, "0A000", "column definition lists are not supported yet");
	const PgQuery__FuncCall *fc = fn->func_call;
	const char *name = dh__sqlc_str(fc->funcname[fc->n_funcname - 1]);
	struct sqlc_fnscan *f = dh_arena_zalloc(S->a, sizeof(*f));
	if (name && strcmp(name, "generate_series") == 0 && (fc->n_args == 2 || fc->n_args == 3))
		f->kind = 0;
	else if (name && strcmp(name, "unnest") == 0 && fc->n_args >= 1 && fc->n_args <= 3)
		f->kind = 1;
	else if (dh__sqlc_srf_known(name) && fc->n_args <= 4)
		f->kind = 2;
	else {
		dh_err_sql(err, "0A000", "function %s in FROM is not supported yet", name ? name : "?");
		return dh__sql_at(S->r, fc->location, DH_ESQL);
	}
	f->nargs = (int)fc->n_args;
	int rc;
	int phase = S->phase;
	S->phase = 0;
	S->cc.scope = &S->base;
	if (rf->n_coldeflist && !(f->kind == 2 && dh__sqlc_srf_is_record(name))) {
		rc = dh_err_sql(err, "42601", "a column definition list is only allowed for "
					      "functions returning \"record\"");
		rc = dh__sql_at(S->r, dh__sqlc_coldef_location(rf), rc);
		goto out;
	}
	if (f->kind == 2 && dh__sqlc_srf_is_record(name)) {
		if ((rc = dh__sqlc_srf_record(S, name, rf, fc, f)))
			goto out;
	} else {
		for (int i = 0; i < f->nargs; i++)
			if ((rc = dh_sqlx_compile(&S->cc, fc->args[i], &f->args[i])))
				goto out;
	}
	if (f->kind == 2 && f->srf) {
		/* compiled and resolved above */
	} else if (f->kind == 0) {
		uint32_t t;
		int32_t tm;
		struct dh_sqlx *xs[2] = {f->args[0], f->args[1]};
		if ((rc = dh_sqlx_common_type(&S->cc, xs, 2, "generate_series", &t, &tm)))
			goto out;
		if (t == DH_OID_INT2 || t == DH_OID_UNKNOWN)
			t = DH_OID_INT4;
		/* dates: the timestamptz form, datetime's preferred type */
		if (t == DH_OID_DATE && f->nargs == 3)
			t = DH_OID_TIMESTAMPTZ;
		if (t != DH_OID_INT4 && t != DH_OID_INT8 && t != DH_OID_NUMERIC &&
		    t != DH_OID_TIMESTAMP && t != DH_OID_TIMESTAMPTZ) {
			const struct dh_sqltype *tt = dh_sqltype_by_oid(t);
			dh_err_sql(err, "42883", "function generate_series(%s, %s) does not exist",
				   tt ? tt->sqlname : "?", tt ? tt->sqlname : "?");
			rc = dh__sql_at(S->r, fc->location, DH_ESQL);
			goto out;
		}
		for (int i = 0; i < 2; i++)
			if ((rc = dh_sqlx_coerce(&S->cc, f->args[i], t, -1, DH_CAST_IMPLICIT, NULL,
						 &f->args[i])))
				goto out;
		if (f->nargs == 3) {
			uint32_t st = t == DH_OID_TIMESTAMP || t == DH_OID_TIMESTAMPTZ ? DH_OID_INTERVAL : t;
			if ((rc = dh_sqlx_coerce(&S->cc, f->args[2], st, -1, DH_CAST_IMPLICIT, NULL,
						 &f->args[2])))
				goto out;
		} else if (t == DH_OID_TIMESTAMP || t == DH_OID_TIMESTAMPTZ) {
			dh_err_sql(err, "42883", "function generate_series(%s, %s) does not exist",
				   dh_sqltype_by_oid(t)->sqlname, dh_sqltype_by_oid(t)->sqlname);
			rc = dh__sql_at(S->r, fc->location, DH_ESQL);
			goto out;
		}
		f->type = t;
	} else if (f->kind == 2) {
		if ((rc = dh__sqlc_srf_resolve(S, name, fc->location, f)))
			goto out;
	} else {
		/* unnest(a, b, ...): one column per array, as long as the longest */
		uint32_t *ct = dh_arena_alloc(S->a, (size_t)f->nargs * sizeof(*ct));
		const char **cn = dh_arena_alloc(S->a, (size_t)f->nargs * sizeof(*cn));
		for (int i = 0; i < f->nargs; i++) {
			const struct dh_sqltype *tt = dh_sqltype_by_oid(f->args[i]->type);
			if (!tt || !tt->elem) {
				dh_err_sql(err, "42883", "function unnest(%s) does not exist",
					   tt ? tt->sqlname : "unknown");
				rc = dh__sql_at(S->r, fc->location, DH_ESQL);
				goto out;
			}
			ct[i] = tt->elem;
			cn[i] = "unnest";
		}
		f->type = ct[0];
		if (f->nargs > 1) {
			f->ncols = f->nargs;
			f->coltypes = ct;
			f->colnames = cn;
		}
	}
	f->ordinality = rf->ordinality;
	const char *alias = rf->alias && rf->alias->aliasname ? rf->alias->aliasname : name;
	if ((rc = alias_taken(S, alias, fc->location)))
		goto out;
	int nc = f->ncols ? f->ncols : 1;
	struct sqlc_rte *e = new_rte(S, RTE_DERIVED, alias, nc + f->ordinality);
	e->colnames[0] = alias;
	e->types[0] = f->type;
	e->typmods[0] = -1;
	for (int k = 0; k < f->ncols; k++) {
		e->colnames[k] = f->colnames[k] ? f->colnames[k] : alias;
		e->types[k] = f->coltypes[k];
		e->typmods[k] = f->coltypmods ? f->coltypmods[k] : -1;
	}
	if (f->ordinality) {
		e->colnames[nc] = "ordinality";
		e->types[nc] = DH_OID_INT8;
		e->typmods[nc] = -1;
	}
	e->fn = f;
	char *used = dh_arena_zalloc(S->a, (size_t)S->nsl + 1);
	for (int i = 0; i < f->nargs; i++)
		slots_used(f->args[i], used, S->nsl);
	lateral_slots(S, e, used);
	rc = apply_colaliases(S, e, rf->alias);
out:
	S->phase = phase;
	return rc;
}

/* An array's elements in order (a multi-dimensional one flattened), in
 * S's arena; none for NULL. */
static void
array_elems(struct sqlc_sel *S, const struct dh_value *arr, struct dh_value **outp, size_t *np)
{
	size_t cap = 16, n = 0;
	struct dh_value *out = dh_arena_alloc(S->a, cap * sizeof(*out));
	if (arr->type == DH_T_COLL) {
		const struct dh_value *stack[8];
		size_t pos[8];
		int depth = 0;
		stack[0] = arr;
		pos[0] = 0;
		while (depth >= 0) {
			const struct dh_coll *c = stack[depth]->coll;
			if (c->kind == DH_COLL_LIST && c->n == 2 && depth == 0 && pos[0] == 0 &&
			    c->items[1].type == DH_T_COLL) {
				/* (bounds, data) */
				stack[0] = &c->items[1];
				continue;
			}
			if (pos[depth] >= c->n) {
				depth--;
				if (depth >= 0)
					pos[depth]++;
				continue;
			}
			const struct dh_value *it = &c->items[pos[depth]];
			if (it->type == DH_T_COLL && depth < 7) {
				stack[++depth] = it;
				pos[depth] = 0;
				continue;
			}
			if (n == cap) {
				struct dh_value *nv = dh_arena_alloc(S->a, 2 * cap * sizeof(*nv));
				memcpy(nv, out, n * sizeof(*nv));
				out = nv;
				cap *= 2;
			}
			out[n++] = *it;
			pos[depth]++;
		}
	}
	*outp = out;
	*np = n;
}

/* unnest(a[, b, c]): a row per element of the longest, NULLs past the
 * shorter ones' ends, then the ordinality. */
static int
unnest_rows(struct sqlc_sel *S, const struct sqlc_fnscan *f, const struct dh_value *a,
	    struct dh_value **rowsp, size_t *np)
{
	struct dh_value *el[3];
	size_t len[3], n = 0;
	for (int i = 0; i < f->nargs; i++) {
		array_elems(S, &a[i], &el[i], &len[i]);
		if (len[i] > n)
			n = len[i];
	}
	size_t w = (size_t)f->nargs + (size_t)f->ordinality;
	struct dh_value *out = dh_arena_alloc(S->a, (n ? n : 1) * w * sizeof(*out));
	for (size_t r = 0; r < n; r++) {
		for (int i = 0; i < f->nargs; i++)
			out[r * w + (size_t)i] =
			    r < len[i] ? el[i][r] : (struct dh_value){.type = DH_T_NONE};
		if (f->ordinality)
			out[r * w + (size_t)f->nargs] =
			    (struct dh_value){.type = DH_T_LONG, .i = (int64_t)r + 1};
	}
	*rowsp = out;
	*np = n;
	return 0;
}

/* The rows of a function scan (columns: value[, ordinality]). */
static int
fnscan_rows(struct sqlc_sel *S, const struct sqlc_fnscan *f, const struct dh_sqlx_run *run,
	    struct dh_value **rowsp, size_t *np)
{
	struct dh_value a[4];
	int rc;
	for (int i = 0; i < f->nargs; i++)
		if ((rc = dh_sqlx_eval(f->args[i], run, &a[i])))
			return rc;
	if (f->kind == 3)
		return dh__sqlc_pgcat_rows(S, f->pgrel, rowsp, np);
	if (f->kind == 2)
		return dh__sqlc_srf_rows(S, f, a, rowsp, np);
	if (f->kind == 1)
		return unnest_rows(S, f, a, rowsp, np);
	size_t w = 1 + (size_t)f->ordinality, cap = 64, n = 0;
	struct dh_value *out = xmalloc(cap * w * sizeof(*out));
#define PUSH(v)                                                                                   	do {                                                                                      		if (n == cap) {                                                                   			cap *= 2;                                                                 			out = xrealloc(out, cap * w * sizeof(*out));                              		}                                                                                 		out[n * w] = (v);                                                                 		if (f->ordinality)                                                                			out[n * w + 1] = (struct dh_value){.type = DH_T_LONG, .i = (int64_t)n + 1};  		n++;                                                                              	} while (0)
	rc = 0;
	volatile sig_atomic_t *cancel = dh__sql_cancel(S->r->s);
	if (a[0].type != DH_T_NONE && a[1].type != DH_T_NONE &&
	    (f->nargs < 3 || a[2].type != DH_T_NONE)) {
		if (f->type == DH_OID_INT4 || f->type == DH_OID_INT8) {
			int64_t lo = a[0].i, hi = a[1].i, step = f->nargs == 3 ? a[2].i : 1;
			if (step == 0) {
				free(out);
				return dh_err_sql(S->r->err, "22023", "step size cannot equal zero");
			}
			for (int64_t v = lo; step > 0 ? v <= hi : v >= hi;) {
				if ((n & 4095) == 0 && cancel && *cancel) {
					rc = dh_err_canceled(S->r->err, *cancel);
					break;
				}
				PUSH(((struct dh_value){.type = DH_T_LONG, .i = v}));
				if ((step > 0 && v > INT64_MAX - step) || (step < 0 && v < INT64_MIN - step))
					break;
				if (f->type == DH_OID_INT4 &&
				    ((step > 0 && v + step > INT32_MAX) || (step < 0 && v + step < INT32_MIN)))
					break;
				v += step;
			}
		} else {
			/* numeric and timestamps: through the operators */
			uint32_t st = f->nargs == 3 ? f->args[2]->type : f->type;
			const struct dh_sqlop *plus = dh_sqlop_find("+", f->type, st);
			struct dh_value step = a[2];
			if (f->nargs < 3)
				dh_sqlnum_from_int64(1, S->a, &step);
			struct dh_value zero;
			int cmpz = 1;
			if (st == DH_OID_NUMERIC) {
				dh_sqlnum_from_int64(0, S->a, &zero);
				cmpz = dh_sqltype_cmp(st, &step, &zero);
				if (cmpz == 0) {
					free(out);
					return dh_err_sql(S->r->err, "22023", "step size cannot equal zero");
				}
			} else if (st == DH_OID_INTERVAL) {
				struct dh_value z;
				struct dh_err e2;
				if (dh_sqltype_in(DH_OID_INTERVAL, -1, "0", 1, NULL, S->a, &z, &e2) == 0) {
					cmpz = dh_sqltype_cmp(st, &step, &z);
					if (cmpz == 0) {
						free(out);
						return dh_err_sql(S->r->err, "22023",
								  "step size cannot equal zero");
					}
				}
			}
			if (!plus) {
				free(out);
				return dh_err_sql(S->r->err, "0A000",
						  "generate_series of this type is not supported yet");
			}
			struct dh_value v = a[0];
			struct dh_sqlcall c = {.arena = S->a, .err = S->r->err, .env = S->cc.env,
					       .nargs = 2};
			while (rc == 0) {
				int cmp = dh_sqltype_cmp(f->type, &v, &a[1]);
				if (cmpz > 0 ? cmp > 0 : cmp < 0)
					break;
				if ((n & 4095) == 0 && cancel && *cancel) {
					rc = dh_err_canceled(S->r->err, *cancel);
					break;
				}
				PUSH(v);
				struct dh_value args[2] = {v, step};
				rc = dh_sqlfn_call(plus->fn, &c, args, &v);
			}
		}
	}
#undef PUSH
	if (rc) {
		free(out);
		return rc;
	}
	struct dh_value *res = dh_arena_alloc(S->a, (n ? n : 1) * w * sizeof(*res));
	memcpy(res, out, n * w * sizeof(*res));
	free(out);
	*rowsp = res;
	*np = n;
	return 0;
}

static int
add_item(struct sqlc_sel *S, const PgQuery__Node *n)
{
	switch (n->node_case) {
	case PG_QUERY__NODE__NODE_RANGE_VAR:
		return dh__sqlc_add_table(S, n->range_var, NULL);
	case PG_QUERY__NODE__NODE_JOIN_EXPR:
		return add_join(S, n->join_expr);
	case PG_QUERY__NODE__NODE_RANGE_SUBSELECT:
		return add_derived(S, n->range_subselect);
	case PG_QUERY__NODE__NODE_RANGE_FUNCTION:
		return add_function(S, n->range_function);
	default:
		return dh_err_sql(S->r->err, "0A000", "%s in FROM is not supported yet",
				  dh__sqlc_node_name(n));
	}
}

int
dh__sqlc_from(struct sqlc_sel *S, PgQuery__Node **items, size_t n)
{
	int rc = dh__sqlc_sel_open(S);
	for (size_t i = 0; i < n && rc == 0; i++)
		rc = add_item(S, items[i]);
	return rc;
}

/* --- running --- */

/* Every derived table's and join's relation clause, once compiling is
 * over (the columns used are known then). */
static void
finish_feeds(struct sqlc_sel *S)
{
	for (int b = 0; b < S->nblocks; b++)
		for (int i = 0; i < S->blocks[b].ncl; i++) {
			struct clause *c = S->blocks[b].cl[i];
			if (c->cb == feed_cb && !c->bv)
				finish_feed(S, c->cbctx);
		}
}

/* Derived tables need their relation clause: added at run time, once. */
static void
derived_feeds(struct sqlc_sel *S)
{
	for (int i = 0; i < S->nrt; i++) {
		struct sqlc_rte *e = &S->rt[i];
		if (e->k != RTE_DERIVED || e->rowvar)
			continue;
		e->rowvar = new_var(S, "r");
		struct relfeed *f = add_feed(S, e->block, e, NULL);
		if (e->nlat) {
			struct clause *c = f->c;
			c->nt = e->nlat;
			c->t = dh_arena_zalloc(S->a, (size_t)e->nlat * sizeof(*c->t));
			for (int k = 0; k < e->nlat; k++)
				term_var(c, k, S->sl[e->lat_slots[k]].var);
		}
	}
}

static int
run_block(struct sqlc_sel *S, int b, struct dh_value **rows, size_t *nrows)
{
	struct sqlc_block *bl = &S->blocks[b];
	size_t w = (size_t)S->nsl;
	*rows = NULL;
	*nrows = 0;
	if (bl->empty)
		return 0;
	/* the rtes of this block */
	int nent = 0;
	for (int i = 0; i < S->nrt; i++)
		nent += S->rt[i].block == b && (S->rt[i].k == RTE_TABLE || S->rt[i].k == RTE_DERIVED);
	int nfeed = 0;
	for (int i = 0; i < bl->ncl; i++)
		nfeed += bl->cl[i]->cb == feed_cb;
	if (bl->ncl == 0) {
		/* no FROM: one empty row */
		*rows = dh_arena_zalloc(S->a, (w ? w : 1) * sizeof(struct dh_value));
		*nrows = 1;
		return 0;
	}
	struct dh_query *q = dh_arena_zalloc(S->a, sizeof(*q));
	q->a = S->a;
	q->sc = S->dq->sc;
	q->where = bl->cl;
	q->ncl = bl->ncl;
	q->shape = DH_FIND_REL;
	q->nsrcnames = 1;
	q->srcnames[0] = "$";
	/* the slots this block fills, and every row identity (bag semantics) */
	int *fslot = dh_arena_alloc(S->a, (w + 1) * sizeof(int));
	q->find = dh_arena_zalloc(S->a, (w + (size_t)nent + (size_t)nfeed + 1) * sizeof(*q->find));
	int nf = 0;
	struct vset bound;
	memset(&bound, 0, sizeof(bound));
	for (int i = 0; i < bl->ncl; i++)
		for (size_t k = 0; k < DH_ARRAY_SIZE(bound.w); k++)
			bound.w[k] |= bl->cl[i]->vars.w[k];
	for (int s = 0; s < S->nsl; s++)
		if (S->sl[s].var >= 0 && vs_has(&bound, S->sl[s].var)) {
			fslot[nf] = s;
			q->find[nf++] = (struct find_elem){.k = FE_VAR, .var = S->sl[s].var};
		}
	int nslots = nf;
	for (int i = 0; i < S->nrt; i++) {
		const struct sqlc_rte *e = &S->rt[i];
		if (e->block != b)
			continue;
		if (e->k == RTE_TABLE && e->eslot < 0)
			q->find[nf++] = (struct find_elem){.k = FE_VAR, .var = e->evar};
		if (e->k == RTE_DERIVED && vs_has(&bound, e->rowvar))
			q->find[nf++] = (struct find_elem){.k = FE_VAR, .var = e->rowvar};
	}
	for (int i = 0; i < S->njoins; i++)
		if (S->joins[i]->block == b)
			q->find[nf++] = (struct find_elem){.k = FE_VAR, .var = S->joins[i]->rowvar};
	q->nfind = nf;
	/* every variable found: the rows are distinct combinations of row
	 * identities, qexec need not dedupe them */
	struct vset found;
	memset(&found, 0, sizeof(found));
	for (int i = 0; i < nf; i++)
		vs_add(&found, q->find[i].var);
	for (size_t k = 0; k < DH_ARRAY_SIZE(found.w); k++)
		found.w[k] |= S->det.w[k];
	int all = 1;
	for (size_t k = 0; k < DH_ARRAY_SIZE(bound.w); k++)
		all &= (bound.w[k] & ~found.w[k]) == 0;
	q->distinct_rows = all;
	struct dh_query_env env;
	memset(&env, 0, sizeof(env));
	env.nsrc = 1;
	env.src[0] = (struct dh_source){"$", S->view, S->schema};
	env.cancel = dh__sql_cancel(S->r->s);
	/* qexec writes the rows in the slot layout when it can */
	int *pos = dh_arena_alloc(S->a, ((size_t)nf + 1) * sizeof(int));
	for (int i = 0; i < nf; i++)
		pos[i] = i < nslots ? fslot[i] : -1;
	q->row_w = (int)(w ? w : 1);
	q->row_pos = pos;
	struct dh_result res;
	int rc = dh_query_run(q, &env, S->a, &res, S->r->err);
	lookups_close(S);
	if (rc)
		return rc;
	if (q->row_w) {
		*rows = res.rows;
		*nrows = res.nrows;
		return 0;
	}
	struct dh_value *out =
	    dh_arena_zalloc(S->a, (res.nrows ? res.nrows : 1) * (w ? w : 1) * sizeof(*out));
	for (size_t i = 0; i < res.nrows; i++)
		for (int k = 0; k < nslots; k++)
			out[i * w + (size_t)fslot[k]] = res.rows[i * res.ncols + (size_t)k];
	*rows = out;
	*nrows = res.nrows;
	return 0;
}

/* Evaluate the ON conditions of j over a combined row. */
static int
on_test(struct sqlc_sel *S, struct sqlc_join *j, const struct dh_value *row)
{
	struct dh_sqlx_run run = {.a = S->a, .err = S->r->err, .env = S->cc.env, .row = row,
				  .outer = S->outer};
	dh__sqlc_run_hooks(S, &run);
	for (int i = 0; i < j->non; i++) {
		int rc = dh_sqlx_test(j->on[i], &run);
		if (rc <= 0)
			return rc;
	}
	return 1;
}

/* qsort's comparator over tuples of key_width values (join_rows only;
 * statements run one at a time per session, but sessions share the
 * library: thread-local) */
static _Thread_local int key_width;

static int
key_cmp(const void *a, const void *b)
{
	const struct dh_value *x = *(struct dh_value *const *)a, *y = *(struct dh_value *const *)b;
	for (int k = 0; k < key_width; k++) {
		int c = dh_value_cmp(&x[k], &y[k]);
		if (c)
			return c;
	}
	return 0;
}

static int
join_rows(struct sqlc_sel *S, struct sqlc_join *j, const struct dh_value *xvals,
	  struct dh_value **outp, size_t *nout)
{
	struct dh_value *lr, *rr;
	size_t ln, rn, w = (size_t)S->nsl;
	int rc, nx = j->nxslots, nl = j->nlslots;
	/* the earlier FROM items' values (one tuple), for either side */
	struct dh_value xrel = {.type = DH_T_NONE};
	if (nx) {
		struct dh_value *t = dh_arena_alloc(S->a, (size_t)S->nsl * sizeof(*t));
		for (int k = 0; k < nx; k++)
			t[j->xslots[k]] = xvals[k];
		if ((rc = tuples(S, t, 1, (size_t)S->nsl, j->xslots, nx, &xrel)))
			return rc;
	}
	if ((rc = run_block_seeded(S, j->lblock, j->xslots, nx, xrel, &lr, &ln)))
		return rc;
	if (nl) {
		/* LATERAL: the right side runs once for every distinct tuple of
		 * the left columns it reads (and the earlier items' values) */
		int ns = nl + nx;
		int *sl = dh_arena_alloc(S->a, (size_t)ns * sizeof(int));
		memcpy(sl, j->lslots, (size_t)nl * sizeof(int));
		if (nx)
			memcpy(sl + nl, j->xslots, (size_t)nx * sizeof(int));
		struct dh_value *keys =
		    dh_arena_alloc(S->a, (ln ? ln : 1) * (size_t)ns * sizeof(*keys));
		for (size_t i = 0; i < ln; i++) {
			for (int k = 0; k < nl; k++)
				keys[i * (size_t)ns + (size_t)k] = lr[i * w + (size_t)sl[k]];
			for (int k = 0; k < nx; k++)
				keys[i * (size_t)ns + (size_t)(nl + k)] = xvals[k];
		}
		/* distinct as the rows are matched below: dh_value_eq */
		size_t nk = 0;
		if (ln) {
			struct dh_value **p = xmalloc(ln * sizeof(*p));
			for (size_t i = 0; i < ln; i++)
				p[i] = keys + i * (size_t)ns;
			key_width = ns;
			qsort(p, ln, sizeof(*p), key_cmp);
			struct dh_value *uk = dh_arena_alloc(S->a, ln * (size_t)ns * sizeof(*uk));
			for (size_t i = 0; i < ln; i++)
				if (i == 0 || key_cmp(&p[i - 1], &p[i]) != 0)
					memcpy(uk + (nk++) * (size_t)ns, p[i],
					       (size_t)ns * sizeof(*uk));
			free(p);
			keys = uk;
		}
		int *idx = dh_arena_alloc(S->a, (size_t)ns * sizeof(int));
		for (int k = 0; k < ns; k++)
			idx[k] = k;
		struct dh_value rel;
		if ((rc = tuples(S, keys, nk, (size_t)ns, idx, ns, &rel)) ||
		    (rc = run_block_seeded(S, j->rblock, sl, ns, rel, &rr, &rn)))
			return rc;
	} else if ((rc = run_block_seeded(S, j->rblock, j->xslots, nx, xrel, &rr, &rn))) {
		return rc;
	}
	/* which slots each side fills */
	char *rside = dh_arena_zalloc(S->a, w + 1);
	for (size_t s = 0; s < w; s++)
		rside[s] = S->sl[s].rte >= j->mid && S->sl[s].rte < j->hi;
	char *rmatched = dh_arena_zalloc(S->a, rn + 1);
	size_t cap = ln + rn + 16, n = 0;
	struct dh_value *out = xmalloc(cap * (w ? w : 1) * sizeof(*out));
	struct dh_value *row = dh_arena_alloc(S->a, (w ? w : 1) * sizeof(*row));
	int lkeep = j->type == PG_QUERY__JOIN_TYPE__JOIN_LEFT || j->type == PG_QUERY__JOIN_TYPE__JOIN_FULL;
	int rkeep = j->type == PG_QUERY__JOIN_TYPE__JOIN_RIGHT || j->type == PG_QUERY__JOIN_TYPE__JOIN_FULL;
#define EMIT()                                                                                    \
	do {                                                                                      \
		if (n == cap) {                                                                   \
			cap *= 2;                                                                 \
			out = xrealloc(out, cap * (w ? w : 1) * sizeof(*out));                    \
		}                                                                                 \
		memcpy(out + n * w, row, w * sizeof(*row));                                       \
		n++;                                                                              \
	} while (0)
	/* the pairs are as many as the sides' rows multiplied: poll */
	volatile sig_atomic_t *cancel = dh__sql_cancel(S->r->s);
	size_t steps = 0;
	/* equality conditions of same-typed left and right slots: hash */
	for (size_t i = 0; i < ln && rc == 0; i++) {
		int matched = 0;
		for (size_t k = 0; k < rn; k++) {
			if ((++steps & 4095) == 0 && cancel && *cancel) {
				rc = dh_err_canceled(S->r->err, *cancel);
				break;
			}
			int same = 1;
			for (int q = 0; q < nl && same; q++)
				same = dh_value_eq(&rr[k * w + (size_t)j->lslots[q]],
						   &lr[i * w + (size_t)j->lslots[q]]);
			if (!same)
				continue;
			for (size_t s = 0; s < w; s++)
				row[s] = rside[s] ? rr[k * w + s] : lr[i * w + s];
			if ((rc = on_test(S, j, row)) < 0)
				break;
			if (!rc)
				continue;
			rc = 0;
			matched = 1;
			rmatched[k] = 1;
			EMIT();
		}
		if (rc < 0)
			break;
		rc = 0;
		if (!matched && lkeep) {
			for (size_t s = 0; s < w; s++)
				row[s] = rside[s] ? (struct dh_value){.type = DH_T_NONE} : lr[i * w + s];
			EMIT();
		}
	}
	if (rc == 0 && rkeep)
		for (size_t k = 0; k < rn; k++) {
			if (rmatched[k])
				continue;
			for (size_t s = 0; s < w; s++)
				row[s] = rside[s] ? rr[k * w + s] : (struct dh_value){.type = DH_T_NONE};
			EMIT();
		}
#undef EMIT
	if (rc < 0) {
		free(out);
		return rc;
	}
	/* merged USING columns: the left value, else the right (COALESCE) */
	if (j->merged)
		for (size_t i = 0; i < n; i++)
			for (int u = 0; u < j->nusing; u++) {
				int ms = j->merged->cslot[u];
				if (ms < 0)
					continue;
				struct dh_value *o = out + i * w;
				struct dh_value v = o[j->lcol[u]];
				uint32_t from = S->sl[j->lcol[u]].type;
				if (v.type == DH_T_NONE) {
					v = o[j->rcol[u]];
					from = S->sl[j->rcol[u]].type;
				}
				if (from != j->merged->types[u] && v.type != DH_T_NONE &&
				    (rc = dh_sqlcast_value(from, -1, j->merged->types[u], -1, 0, &v,
							   S->cc.env, S->a, &o[ms], S->r->err))) {
					free(out);
					return rc;
				}
				if (from == j->merged->types[u] || v.type == DH_T_NONE)
					o[ms] = v;
			}
	struct dh_value *res = dh_arena_alloc(S->a, (n ? n : 1) * (w ? w : 1) * sizeof(*res));
	memcpy(res, out, n * w * sizeof(*res));
	free(out);
	*outp = res;
	*nout = n;
	return 0;
}

/* --- ORDER BY a column LIMIT n: the column's index, in order --- */

struct batch {
	struct dh_coll c; /* the entities of this round */
};

static int
batch_cb(void *ctx, int nargs, const struct dh_value *args, struct dh_value *out,
	 struct dh_err *err)
{
	struct batch *b = ctx;
	(void)nargs;
	(void)args;
	(void)err;
	*out = (struct dh_value){.type = DH_T_COLL, .coll = &b->c};
	return 0;
}

int
dh__sqlc_run_topn(struct sqlc_sel *S, int slot, int desc, int nulls_first, size_t want,
		  struct dh_value **rows, size_t *nrows, int *done)
{
	*done = 0;
	/* a past view's rows can lack a NOT NULL column's datom (since) */
	if (S->nblocks != 1 || S->njoins || slot < 0 || slot >= S->nsl || S->sl[slot].rte < 0 ||
	    S->sl[slot].col < 0 || S->view->mode != DH_VIEW_CURRENT || want > ((size_t)1 << 24))
		return 0;
	for (int i = 0; i < S->nrt; i++)
		if (S->rt[i].k != RTE_TABLE)
			return 0;
	struct sqlc_rte *e = &S->rt[S->sl[slot].rte];
	const struct dh_sqlcol *col = &e->t->cols[S->sl[slot].col];
	/* the index's order is SQL's for these value types */
	if (col->many || (col->rep != DH_T_LONG && col->rep != DH_T_INSTANT && col->rep != DH_T_BOOL))
		return 0;
	int notnull = col->notnull;
	for (int k = 0; k < e->t->npk; k++)
		notnull |= e->t->pk[k] == S->sl[slot].col;
	/* NULLs have no datoms: they must come last (or be none) */
	if (!notnull && nulls_first)
		return 0;
	struct dh_datom pat = {.a = col->attr}, d;
	struct dh_iter *it;
	struct dh_arena tmp;
	dh_arena_init(&tmp);
	int rc = (desc ? dh_iter_open_rev : dh_iter_open)(S->view, DH_AVET, &pat, 1, &tmp, &it,
							  S->r->err);
	if (rc) {
		dh_arena_release(&tmp);
		return rc;
	}
	/* a clause binding the table's entity to this round's entities */
	struct batch b = {{.kind = DH_COLL_VECTOR}};
	struct sqlc_block *bl = &S->blocks[0];
	struct clause *c = new_clause(S, 0, CK_FN, 0);
	c->bk = BK_COLL;
	c->cb = batch_cb;
	c->cbctx = &b;
	c->name = "sql-index-order";
	c->nb = 1;
	c->bv = dh_arena_alloc(S->a, sizeof(int));
	c->bv[0] = e->evar;
	vs_add(&c->vars, e->evar);
	size_t w = (size_t)S->nsl, n = 0, cap = 0, round = want < 65536 - 16 ? want + 16 : 65536;
	struct dh_value *acc = NULL;
	int exhausted = 0;
	while (rc == 0 && n < want && !exhausted) {
		size_t k = 0;
		struct dh_value *ents = dh_arena_alloc(S->a, round * sizeof(*ents));
		while (k < round && (rc = dh_iter_next(it, &d, S->r->err)) == 1)
			ents[k++] = (struct dh_value){.type = DH_T_LONG, .i = (int64_t)d.e};
		if (rc < 0)
			break;
		rc = 0;
		exhausted = k < round;
		b.c.items = ents;
		b.c.n = k;
		if (!k)
			break;
		struct dh_value *r;
		size_t rn;
		if ((rc = run_block(S, 0, &r, &rn)))
			break;
		if (n + rn > cap) {
			cap = 2 * (n + rn);
			struct dh_value *na = dh_arena_alloc(S->a, cap * w * sizeof(*na));
			if (n)
				memcpy(na, acc, n * w * sizeof(*na));
			acc = na;
		}
		if (rn)
			memcpy(acc + n * w, r, rn * w * sizeof(*acc));
		n += rn;
		if (round < 65536)
			round *= 2;
	}
	dh_iter_close(it);
	dh_arena_release(&tmp);
	bl->ncl--; /* the clause was the last one */
	if (rc)
		return rc;
	/* out of index with too few rows: the rows with NULL come after,
	 * unless there are none */
	if (n < want && exhausted && !notnull)
		return 0;
	*rows = acc ? acc : dh_arena_zalloc(S->a, (w ? w : 1) * sizeof(struct dh_value));
	*nrows = n;
	*done = 1;
	return 0;
}

int
dh__sqlc_run_block(struct sqlc_sel *S, struct dh_value **rows, size_t *nrows)
{
	derived_feeds(S);
	finish_feeds(S);
	return run_block(S, 0, rows, nrows);
}

/* --- subqueries in expressions --- */

static int
sublink_hook(void *ctx, const PgQuery__SubLink *sl, struct dh_sqlx *test, void **handle,
	     uint32_t *type, int32_t *typmod, struct dh_err *err)
{
	struct sqlc_sel *S = ctx;
	struct sublink *b = dh_arena_zalloc(S->a, sizeof(*b));
	b->kind = sl->sub_link_type;
	int rc = dh__sqlc_query(S->r, sl->subselect->select_stmt, S, &b->q);
	if (rc)
		return rc;
	*typmod = -1;
	switch (sl->sub_link_type) {
	case PG_QUERY__SUB_LINK_TYPE__EXISTS_SUBLINK:
		*type = DH_OID_BOOL;
		break;
	case PG_QUERY__SUB_LINK_TYPE__EXPR_SUBLINK:
	case PG_QUERY__SUB_LINK_TYPE__ARRAY_SUBLINK:
		if (b->q->ncols != 1) {
			dh_err_sql(err, "42601", "subquery must return only one column");
			return dh__sql_at(S->r, sl->location, DH_ESQL);
		}
		*type = b->q->cols[0].type_oid;
		*typmod = b->q->cols[0].typmod;
		if (sl->sub_link_type == PG_QUERY__SUB_LINK_TYPE__ARRAY_SUBLINK) {
			const struct dh_sqltype *t = dh_sqltype_by_oid(*type);
			if (!t || !t->array)
				return dh_err_sql(err, "42704", "could not find array type for data type");
			*type = t->array;
			*typmod = -1;
		}
		break;
	case PG_QUERY__SUB_LINK_TYPE__ROWCOMPARE_SUBLINK:
	case PG_QUERY__SUB_LINK_TYPE__ANY_SUBLINK:
	case PG_QUERY__SUB_LINK_TYPE__ALL_SUBLINK: {
		struct dh_sqlx *const *fields;
		int nf = dh_sqlx_row_fields(test, &fields);
		if (nf >= 0) {
			if ((rc = row_ops(S, b, sl, fields, nf)))
				return rc;
			b->all = sl->sub_link_type == PG_QUERY__SUB_LINK_TYPE__ALL_SUBLINK;
			*type = DH_OID_BOOL;
			break;
		}
		if (sl->sub_link_type == PG_QUERY__SUB_LINK_TYPE__ROWCOMPARE_SUBLINK) {
			dh_err_sql(err, "0A000", "this kind of subquery is not supported yet");
			return dh__sql_at(S->r, sl->location, DH_ESQL);
		}
		if (b->q->ncols != 1) {
			dh_err_sql(err, "42601", "subquery has too %s columns",
				   b->q->ncols > 1 ? "many" : "few");
			return dh__sql_at(S->r, sl->location, DH_ESQL);
		}
		const char *opname = sl->n_oper_name ? dh__sqlc_str(sl->oper_name[sl->n_oper_name - 1])
						     : "=";
		uint32_t lt = test->type, rt = b->q->cols[0].type_oid;
		b->op = dh_sqlx_oper(&S->cc, opname, lt, rt, sl->location);
		if (!b->op)
			return DH_ESQL;
		if (b->op->result != DH_OID_BOOL) {
			dh_err_sql(err, "42809", "op ANY/ALL (array) requires operator to yield boolean");
			return dh__sql_at(S->r, sl->location, DH_ESQL);
		}
		b->ltype = b->op->left;
		b->rtype = b->op->right;
		struct dh_sqlx *rs = dh_sqlx_slot(S->a, 0, 0, rt, b->q->cols[0].typmod, NULL);
		if ((rc = dh_sqlx_coerce(&S->cc, rs, b->rtype, -1, DH_CAST_IMPLICIT, NULL, &b->rconv)))
			return rc;
		b->all = sl->sub_link_type == PG_QUERY__SUB_LINK_TYPE__ALL_SUBLINK;
		*type = DH_OID_BOOL;
		break;
	}
	default:
		dh_err_sql(err, "0A000", "this kind of subquery is not supported yet");
		return dh__sql_at(S->r, sl->location, DH_ESQL);
	}
	*handle = b;
	return 0;
}

static int
sublink_run(void *ctx, void *handle, const struct dh_sqlx_run *r, const struct dh_value *test,
	    struct dh_value *out)
{
	struct sqlc_sel *S = ctx;
	struct sublink *b = handle;
	struct dh_value *rows;
	size_t n;
	int rc = dh__sqlc_query_run(b->q, r, &rows, &n);
	if (rc)
		return rc;
	size_t w = (size_t)b->q->ncols;
	out->type = DH_T_NONE;
	switch (b->kind) {
	case PG_QUERY__SUB_LINK_TYPE__EXISTS_SUBLINK:
		*out = (struct dh_value){.type = DH_T_BOOL, .b = n > 0};
		return 0;
	case PG_QUERY__SUB_LINK_TYPE__EXPR_SUBLINK:
		if (n > 1)
			return dh_err_sql(S->r->err, "21000",
					  "more than one row returned by a subquery used as an "
					  "expression");
		if (n == 1)
			*out = rows[0];
		return 0;
	case PG_QUERY__SUB_LINK_TYPE__ARRAY_SUBLINK: {
		struct dh_coll *c = dh_arena_alloc(S->a, sizeof(*c));
		c->kind = DH_COLL_VECTOR;
		c->n = n;
		struct dh_value *items = dh_arena_alloc(S->a, (n ? n : 1) * sizeof(*items));
		for (size_t i = 0; i < n; i++)
			items[i] = rows[i * w];
		c->items = items;
		*out = (struct dh_value){.type = DH_T_COLL, .coll = c};
		return 0;
	}
	default:
		if (b->nrow)
			break;
		/* ANY / ALL with 3VL: NULL if no row decides and a NULL was seen */
		int saw_null = 0;
		struct dh_value lv = *test;
		if (lv.type == DH_T_NONE) {
			if (n == 0)
				*out = (struct dh_value){.type = DH_T_BOOL, .b = b->all};
			return 0;
		}
		struct dh_sqlx_run rr = *r;
		for (size_t i = 0; i < n; i++) {
			struct dh_value rv;
			rr.row = rows + i * w;
			if ((rc = dh_sqlx_eval(b->rconv, &rr, &rv)))
				return rc;
			if (rv.type == DH_T_NONE) {
				saw_null = 1;
				continue;
			}
			struct dh_value args[2] = {lv, rv}, res;
			struct dh_sqlcall c = {.arena = r->a, .err = r->err, .env = r->env, .nargs = 2};
			if ((rc = dh_sqlfn_call(b->op->fn, &c, args, &res)))
				return rc;
			if (res.type == DH_T_NONE) {
				saw_null = 1;
				continue;
			}
			if (res.b != b->all) {
				*out = (struct dh_value){.type = DH_T_BOOL, .b = !b->all};
				return 0;
			}
		}
		if (!saw_null)
			*out = (struct dh_value){.type = DH_T_BOOL, .b = b->all};
		return 0;
	}
	/* a row's test */
	if (b->kind == PG_QUERY__SUB_LINK_TYPE__ROWCOMPARE_SUBLINK) {
		if (n > 1)
			return dh_err_sql(S->r->err, "21000",
					  "more than one row returned by a subquery used as an "
					  "expression");
		return n ? row_test(S, b, r, test, rows, out) : 0;
	}
	/* ANY: true if a row is; ALL: false if a row is; else NULL if one was */
	int saw_null = 0;
	for (size_t i = 0; i < n; i++) {
		struct dh_value res;
		if ((rc = row_test(S, b, r, test, rows + i * w, &res)))
			return rc;
		if (res.type == DH_T_NONE) {
			saw_null = 1;
			continue;
		}
		if (res.b != b->all) {
			*out = (struct dh_value){.type = DH_T_BOOL, .b = !b->all};
			return 0;
		}
	}
	if (!saw_null)
		*out = (struct dh_value){.type = DH_T_BOOL, .b = b->all};
	return 0;
}

struct dh_sqlx_scope
dh__sqlc_limit_scope(struct sqlc_sel *S)
{
	return (struct dh_sqlx_scope){.ctx = S, .sublink = sublink_hook,
				      .outer = S->base.outer};
}

/* Hook a run context up for sublinks (and session functions, later). */
void
dh__sqlc_run_hooks(struct sqlc_sel *S, struct dh_sqlx_run *r)
{
	r->ctx = S;
	r->sublink = sublink_run;
	r->call = call_hook; /* session functions (sqlc-fn.c) */
}

struct sqlc_cte *
dh__sqlc_cte_find(struct sqlc_sel *S, const char *name)
{
	for (struct sqlc_cte *c = S->ctes; c; c = c->next)
		if (strcmp(c->name, name) == 0)
			return c;
	return NULL;
}
