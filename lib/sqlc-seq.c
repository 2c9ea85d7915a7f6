/*
 * sqlc-seq: sequences.  A sequence is an entity (:dh.sql/sequence NAME)
 * holding its definition (:dh.sql/seq-type, -start, -increment, -min,
 * -max, -cache, -cycle) and its state (:dh.sql/seq-last, -called), so it
 * is read, versioned and branched like any data.
 *
 * CREATE / ALTER / DROP SEQUENCE are transactional, as in PostgreSQL.
 * nextval and setval are not: they write the new state in the session's
 * write transaction (so the transaction's own statements and, after
 * commit, everyone see it) and remember it in the session (sqlc-fn.c);
 * when the transaction or a savepoint rolls back, the session writes the
 * remembered states again before anything else can run (see
 * dh__sqlsess_rollback), so a value once handed out is never handed out
 * again.
 */
#include <ctype.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "sqlc-int.h"

static const char *
seq_type_name(uint32_t t)
{
	return t == DH_OID_INT2 ? "smallint" : t == DH_OID_INT4 ? "integer" : "bigint";
}

static void
type_range(uint32_t t, int64_t *lo, int64_t *hi)
{
	if (t == DH_OID_INT2)
		*lo = -32768, *hi = 32767;
	else if (t == DH_OID_INT4)
		*lo = INT32_MIN, *hi = INT32_MAX;
	else
		*lo = INT64_MIN, *hi = INT64_MAX;
}

/* A DefElem's number. */
static int
opt_int(struct dh__sqlrun *r, const PgQuery__DefElem *d, int64_t *out)
{
	const PgQuery__Node *n = d->arg;
	if (n && n->node_case == PG_QUERY__NODE__NODE_INTEGER) {
		*out = n->integer->ival;
		return 0;
	}
	if (n && n->node_case == PG_QUERY__NODE__NODE_FLOAT) {
		char *end;
		errno = 0;
		long long v = strtoll(n->float_->fval, &end, 10);
		if (!errno && !*end) {
			*out = v;
			return 0;
		}
		dh_err_sql(r->err, "22003", "value \"%s\" is out of range for type bigint",
			   n->float_->fval);
		return dh__sql_at(r, d->location, DH_ESQL);
	}
	dh_err_sql(r->err, "42601", "%s requires a numeric value", d->defname);
	return dh__sql_at(r, d->location, DH_ESQL);
}

static int
conflicting(struct dh__sqlrun *r, const PgQuery__DefElem *d)
{
	dh_err_sql(r->err, "42601", "conflicting or redundant options");
	return dh__sql_at(r, d->location, DH_ESQL);
}

int
dh__sqlseq_options(struct dh__sqlrun *r, PgQuery__Node *const *opts, size_t nopts,
		   struct dh_sqlseq *q, int create, struct dh__seqopts *o)
{
	int rc;
	memset(o, 0, sizeof(*o));
	const PgQuery__DefElem *seen[16] = {0};
	static const char *const names[] = {"as",	"start",	"increment", "minvalue",
					    "maxvalue", "cycle",	"cache",     "owned_by",
					    "restart",	"sequence_name"};
	for (size_t i = 0; i < nopts; i++) {
		const PgQuery__DefElem *d = opts[i]->def_elem;
		int k = -1;
		for (size_t j = 0; j < DH_ARRAY_SIZE(names); j++)
			if (strcmp(d->defname, names[j]) == 0)
				k = (int)j;
		if (k < 0) {
			dh_err_sql(r->err, "42601", "option \"%s\" not recognized", d->defname);
			return dh__sql_at(r, d->location, DH_ESQL);
		}
		if (seen[k])
			return conflicting(r, d);
		seen[k] = d;
	}
	uint32_t oldtype = q->type;
	int64_t oldlo, oldhi;
	type_range(oldtype, &oldlo, &oldhi);
	if (seen[0]) {
		const PgQuery__TypeName *tn = seen[0]->arg->type_name;
		const char *tname = dh__sqlc_str(tn->names[tn->n_names - 1]);
		uint32_t t = 0;
		if (tname && (strcmp(tname, "int2") == 0 || strcmp(tname, "smallint") == 0))
			t = DH_OID_INT2;
		else if (tname && (strcmp(tname, "int4") == 0 || strcmp(tname, "integer") == 0 ||
				   strcmp(tname, "int") == 0))
			t = DH_OID_INT4;
		else if (tname && (strcmp(tname, "int8") == 0 || strcmp(tname, "bigint") == 0))
			t = DH_OID_INT8;
		if (!t) {
			dh_err_sql(r->err, "22023",
				   "sequence type must be smallint, integer, or "
				   "bigint");
			return dh__sql_at(r, seen[0]->location, DH_ESQL);
		}
		q->type = t;
	}
	if (seen[2]) {
		if ((rc = opt_int(r, seen[2], &q->inc)))
			return rc;
		if (q->inc == 0)
			return dh_err_sql(r->err, "22023", "INCREMENT must not be zero");
	}
	int64_t lo, hi;
	type_range(q->type, &lo, &hi);
	/* bounds: given, NO ..., or kept (ALTER) unless the type's or the
	 * direction's defaults change them */
	int reset_max = create || (seen[4] && !seen[4]->arg) ||
			(seen[0] && q->max == (q->inc > 0 ? oldhi : -1)) ||
			(seen[2] && !create && 0);
	int reset_min =
	    create || (seen[3] && !seen[3]->arg) || (seen[0] && q->min == (q->inc > 0 ? 1 : oldlo));
	if (seen[4] && seen[4]->arg) {
		if ((rc = opt_int(r, seen[4], &q->max)))
			return rc;
	} else if (reset_max) {
		q->max = q->inc > 0 ? hi : -1;
	}
	if (seen[3] && seen[3]->arg) {
		if ((rc = opt_int(r, seen[3], &q->min)))
			return rc;
	} else if (reset_min) {
		q->min = q->inc > 0 ? 1 : lo;
	}
	if (q->max < lo || q->max > hi)
		return dh_err_sql(r->err, "22023",
				  "MAXVALUE (%lld) is out of range for sequence data type %s",
				  (long long)q->max, seq_type_name(q->type));
	if (q->min < lo || q->min > hi)
		return dh_err_sql(r->err, "22023",
				  "MINVALUE (%lld) is out of range for sequence data type %s",
				  (long long)q->min, seq_type_name(q->type));
	if (q->min >= q->max)
		return dh_err_sql(r->err, "22023",
				  "MINVALUE (%lld) must be less than MAXVALUE (%lld)",
				  (long long)q->min, (long long)q->max);
	if (seen[1]) {
		if ((rc = opt_int(r, seen[1], &q->start)))
			return rc;
	} else if (create) {
		q->start = q->inc > 0 ? q->min : q->max;
	}
	if (q->start < q->min)
		return dh_err_sql(r->err, "22023",
				  "START value (%lld) cannot be less than MINVALUE (%lld)",
				  (long long)q->start, (long long)q->min);
	if (q->start > q->max)
		return dh_err_sql(r->err, "22023",
				  "START value (%lld) cannot be greater than MAXVALUE (%lld)",
				  (long long)q->start, (long long)q->max);
	if (seen[5])
		q->cycle = seen[5]->arg && seen[5]->arg->node_case == PG_QUERY__NODE__NODE_BOOLEAN
			       ? seen[5]->arg->boolean->boolval
			       : 1;
	if (seen[6]) {
		if ((rc = opt_int(r, seen[6], &q->cache)))
			return rc;
		if (q->cache <= 0)
			return dh_err_sql(r->err, "22023", "CACHE (%lld) must be greater than zero",
					  (long long)q->cache);
	}
	if (create) {
		q->last = q->start;
		q->called = 0;
	}
	if (seen[8]) {
		int64_t v = q->start;
		if (seen[8]->arg && (rc = opt_int(r, seen[8], &v)))
			return rc;
		if (v < q->min)
			return dh_err_sql(
			    r->err, "22023",
			    "RESTART value (%lld) cannot be less than MINVALUE (%lld)",
			    (long long)v, (long long)q->min);
		if (v > q->max)
			return dh_err_sql(
			    r->err, "22023",
			    "RESTART value (%lld) cannot be greater than MAXVALUE (%lld)",
			    (long long)v, (long long)q->max);
		q->last = v;
		q->called = 0;
		o->restart = 1;
	}
	if (seen[7]) {
		const PgQuery__List *l = seen[7]->arg->list;
		o->owned_by = 1;
		if (l->n_items == 1 && strcmp(dh__sqlc_str(l->items[0]), "none") == 0) {
			o->owner_table = NULL;
		} else if (l->n_items < 2) {
			dh_err_sql(r->err, "42601", "invalid OWNED BY option");
			dh_err_hint(r->err, "Specify OWNED BY table.column or OWNED BY NONE.");
			return dh__sql_at(r, seen[7]->location, DH_ESQL);
		} else {
			o->owner_table = dh__sqlc_str(l->items[l->n_items - 2]);
			o->owner_col = dh__sqlc_str(l->items[l->n_items - 1]);
		}
	}
	if (seen[9]) {
		const PgQuery__List *l = seen[9]->arg->list;
		o->name = dh__sqlc_str(l->items[l->n_items - 1]);
	}
	return 0;
}

/* Typed ops writing q's definition and state on entity q->eid. */
static void
seq_ops(struct dh_txop *ops, size_t *n, const struct dh_schema *sc, const struct dh_sqlseq *q,
	int with_name)
{
#define A(x) dh_schema_attr(sc, "dh.sql/" x, strlen("dh.sql/" x))->id
#define L(x) ((struct dh_value){.type = DH_T_LONG, .i = (x)})
#define B(x) ((struct dh_value){.type = DH_T_BOOL, .b = (x)})
	const char *tn = seq_type_name(q->type);
	if (with_name)
		ops[(*n)++] =
		    (struct dh_txop){1,
				     q->eid,
				     A("sequence"),
				     {.type = DH_T_STRING, .s = {q->name, strlen(q->name)}}};
	ops[(*n)++] = (struct dh_txop){
	    1, q->eid, A("seq-type"), {.type = DH_T_STRING, .s = {tn, strlen(tn)}}};
	ops[(*n)++] = (struct dh_txop){1, q->eid, A("seq-start"), L(q->start)};
	ops[(*n)++] = (struct dh_txop){1, q->eid, A("seq-increment"), L(q->inc)};
	ops[(*n)++] = (struct dh_txop){1, q->eid, A("seq-min"), L(q->min)};
	ops[(*n)++] = (struct dh_txop){1, q->eid, A("seq-max"), L(q->max)};
	ops[(*n)++] = (struct dh_txop){1, q->eid, A("seq-cache"), L(q->cache)};
	ops[(*n)++] = (struct dh_txop){1, q->eid, A("seq-cycle"), B(q->cycle)};
	ops[(*n)++] = (struct dh_txop){1, q->eid, A("seq-last"), L(q->last)};
	ops[(*n)++] = (struct dh_txop){1, q->eid, A("seq-called"), B(q->called)};
	if (q->owner)
		ops[(*n)++] = (struct dh_txop){
		    1, q->eid, A("seq-owner"), {.type = DH_T_REF, .ref = q->owner}};
#undef A
#undef L
#undef B
}

int
dh__sqlseq_write(struct dh__sqlrun *r, struct dh_sqlseq *q, int create)
{
	struct dh_wtx *w;
	const struct dh_schema *sc;
	int rc;
	if ((rc = dh__sql_wtx(r->s, &w, r->err)) || (rc = dh_wtx_schema(w, &sc, r->err)))
		return rc;
	if (create)
		q->eid = dh_wtx_new_eid(w);
	struct dh_txop ops[16];
	size_t n = 0;
	seq_ops(ops, &n, sc, q, create);
	struct dh_tx_report rep;
	return dh_wtx_apply(w, ops, n, r->a, &rep, r->err);
}

int
dh__sqlc_relation_exists(struct dh__sqlrun *r, const char *name, int location)
{
	struct dh_view *v;
	const struct dh_schema *sc;
	char kind;
	int rc;
	if ((rc = dh__sql_view(r->s, &v, &sc, r->err)) ||
	    (rc = dh__sqlcat_relkind(v, sc, name, r->a, &kind, r->err)))
		return rc;
	if (!kind)
		return 0;
	dh_err_sql(r->err, "42P07", "relation \"%s\" already exists", name);
	return dh__sql_at(r, location, DH_ESQL);
}

/* A name for a new relation: base, else base1, base2, ... (PostgreSQL's
 * ChooseRelationName), at most 63 bytes. */
const char *
dh__sqlc_choose_name(struct dh__sqlrun *r, const char *t, const char *col, const char *suffix)
{
	struct dh_view *v;
	const struct dh_schema *sc;
	if (dh__sql_view(r->s, &v, &sc, r->err))
		return dh_arena_printf(r->a, "%s_%s_%s", t, col ? col : "", suffix);
	for (int pass = 0;; pass++) {
		char num[16] = "";
		if (pass)
			snprintf(num, sizeof(num), "%d", pass);
		/* shorten the longer of the names first, as makeObjectName does */
		size_t tl = strlen(t), cl = col ? strlen(col) : 0;
		size_t over = tl + (col ? cl + 1 : 0) + 1 + strlen(suffix) + strlen(num);
		while (over > 63) {
			if (tl >= cl)
				tl--;
			else
				cl--;
			over--;
		}
		const char *name =
		    col ? dh_arena_printf(r->a, "%.*s_%.*s_%s%s", (int)tl, t, (int)cl, col, suffix,
					  num)
			: dh_arena_printf(r->a, "%.*s_%s%s", (int)tl, t, suffix, num);
		char kind;
		struct dh_err e2;
		if (dh__sqlcat_relkind(v, sc, name, r->a, &kind, &e2) || !kind)
			return name;
	}
}

int
dh__sqlc_create_seq(struct dh__sqlrun *r, const PgQuery__CreateSeqStmt *st)
{
	const PgQuery__RangeVar *rv = st->sequence;
	int rc;
	if (rv->schemaname && *rv->schemaname && strcmp(rv->schemaname, "public") != 0) {
		dh_err_sql(r->err, "3F000", "schema \"%s\" does not exist", rv->schemaname);
		return dh__sql_at(r, rv->location, DH_ESQL);
	}
	if (rv->relpersistence && rv->relpersistence[0] == 't')
		return dh_err_sql(r->err, "0A000", "temporary sequences are not supported yet");
	struct dh_view *v;
	const struct dh_schema *sc;
	char kind;
	if ((rc = dh__sql_view(r->s, &v, &sc, r->err)) ||
	    (rc = dh__sqlcat_relkind(v, sc, rv->relname, r->a, &kind, r->err)))
		return rc;
	if (kind) {
		if (st->if_not_exists) {
			dh__sql_notice(r->s, "NOTICE", "42P07", NULL,
				       "relation \"%s\" already exists, skipping", rv->relname);
			return dh__sqlc_emit(r, "CREATE SEQUENCE", 0, NULL, NULL, 0);
		}
		dh_err_sql(r->err, "42P07", "relation \"%s\" already exists", rv->relname);
		return dh__sql_at(r, rv->location, DH_ESQL);
	}
	struct dh_sqlseq q = {.name = rv->relname, .type = DH_OID_INT8, .inc = 1, .cache = 1};
	struct dh__seqopts o;
	if ((rc = dh__sqlseq_options(r, st->options, st->n_options, &q, 1, &o)))
		return rc;
	if ((rc = dh__sqlcat_bootstrap(r->s, sc, r->a, r->err)))
		return rc;
	if (o.owned_by && o.owner_table &&
	    (rc = dh__sqlseq_owner(r, o.owner_table, o.owner_col, &q.owner)))
		return rc;
	if ((rc = dh__sqlseq_write(r, &q, 1)))
		return rc;
	return dh__sqlc_emit(r, "CREATE SEQUENCE", 0, NULL, NULL, 0);
}

/* OWNED BY table.column: the column's attribute. */
int
dh__sqlseq_owner(struct dh__sqlrun *r, const char *table, const char *col, uint64_t *attr)
{
	struct dh_view *v;
	const struct dh_schema *sc;
	struct dh_sqltable *t;
	int rc;
	if ((rc = dh__sql_view(r->s, &v, &sc, r->err)) ||
	    (rc = dh__sqlcat_table(v, sc, table, r->a, &t, r->err)))
		return rc;
	for (int i = 0; i < t->ncols; i++)
		if (strcmp(t->cols[i].name, col) == 0) {
			*attr = t->cols[i].attr;
			return 0;
		}
	return dh_err_sql(r->err, "42703", "column \"%s\" of relation \"%s\" does not exist", col,
			  table);
}

int
dh__sqlc_alter_seq(struct dh__sqlrun *r, const PgQuery__AlterSeqStmt *st)
{
	const PgQuery__RangeVar *rv = st->sequence;
	struct dh_wtx *w;
	const struct dh_schema *sc;
	int rc;
	if ((rc = dh__sql_wtx(r->s, &w, r->err)) || (rc = dh_wtx_schema(w, &sc, r->err)))
		return rc;
	struct dh_sqlseq q;
	rc = dh__sqlcat_seq(dh_wtx_view(w), sc, rv->relname, r->a, &q, r->err);
	if (rc < 0)
		return rc;
	if (rc == 1) {
		if (st->missing_ok) {
			dh__sql_notice(r->s, "NOTICE", "00000", NULL,
				       "relation \"%s\" does not exist, skipping", rv->relname);
			return dh__sqlc_emit(r, "ALTER SEQUENCE", 0, NULL, NULL, 0);
		}
		dh_err_sql(r->err, "42P01", "relation \"%s\" does not exist", rv->relname);
		return dh__sql_at(r, rv->location, DH_ESQL);
	}
	struct dh__seqopts o;
	if ((rc = dh__sqlseq_options(r, st->options, st->n_options, &q, 0, &o)))
		return rc;
	if (o.owned_by) {
		q.owner = 0;
		if (o.owner_table &&
		    (rc = dh__sqlseq_owner(r, o.owner_table, o.owner_col, &q.owner)))
			return rc;
		if (!q.owner) {
			/* OWNED BY NONE: retract the link */
			struct dh_sqlseq old;
			if ((rc = dh__sqlcat_seq_eid(dh_wtx_view(w), sc, q.eid, r->a, &old,
						     r->err)) < 0)
				return rc;
			if (old.owner) {
				struct dh_txop op = {0,
						     q.eid,
						     dh_schema_attr(sc, "dh.sql/seq-owner", 16)->id,
						     {.type = DH_T_REF, .ref = old.owner}};
				struct dh_tx_report rep;
				if ((rc = dh_wtx_apply(w, &op, 1, r->a, &rep, r->err)))
					return rc;
			}
		}
	}
	if ((rc = dh__sqlseq_write(r, &q, 0)))
		return rc;
	return dh__sqlc_emit(r, "ALTER SEQUENCE", 0, NULL, NULL, 0);
}

/* --- nextval & co --- */

/* A sequence name as nextval's text argument: an identifier, maybe
 * qualified and quoted ('public."S"'); unquoted parts fold to lower case. */
static int
parse_relname(struct dh__sqlrun *r, const char *p, size_t n, const char **out)
{
	struct dh_buf b;
	dh_buf_init(&b, 0);
	size_t i = 0;
	int rc = 0;
	for (;;) {
		b.len = 0;
		if (i < n && p[i] == '"') {
			i++;
			for (;;) {
				if (i >= n) {
					rc = dh_err_sql(r->err, "42602", "invalid name syntax");
					goto out;
				}
				if (p[i] == '"') {
					if (i + 1 < n && p[i + 1] == '"') {
						dh_buf_addc(&b, '"');
						i += 2;
						continue;
					}
					i++;
					break;
				}
				dh_buf_addc(&b, p[i++]);
			}
		} else {
			while (i < n && p[i] != '.') {
				unsigned char c = (unsigned char)p[i++];
				dh_buf_addc(&b, (char)(c < 0x80 ? tolower(c) : c));
			}
		}
		if (i < n && p[i] == '.') {
			const char *part = (const char *)b.p;
			if (strcmp(part ? part : "", "public") != 0 && b.len) {
				rc = dh_err_sql(r->err, "3F000", "schema \"%s\" does not exist",
						part);
				goto out;
			}
			i++;
			continue;
		}
		break;
	}
	if (!b.len) {
		rc = dh_err_sql(r->err, "42602", "invalid name syntax");
		goto out;
	}
	*out = dh_arena_strndup(r->a, (const char *)b.p, b.len);
out:
	dh_buf_release(&b);
	return rc;
}

/* The sequence named by a function argument, read in the write
 * transaction. */
static int
seq_arg(struct dh__sqlrun *r, const struct dh_value *arg, struct dh_wtx **w, struct dh_sqlseq *q)
{
	const struct dh_schema *sc;
	const char *name = NULL;
	int rc;
	if (arg->type != DH_T_STRING)
		return dh_err_sql(r->err, "0A000", "sequences are named by text here");
	if ((rc = parse_relname(r, arg->s.p, arg->s.n, &name)))
		return rc;
	if ((rc = dh__sql_wtx(r->s, w, r->err)) || (rc = dh_wtx_schema(*w, &sc, r->err)))
		return rc;
	rc = dh__sqlcat_seq(dh_wtx_view(*w), sc, name, r->a, q, r->err);
	if (rc == 1) {
		char kind = 0;
		struct dh_err e2;
		dh__sqlcat_relkind(dh_wtx_view(*w), sc, name, r->a, &kind, &e2);
		if (kind)
			return dh_err_sql(r->err, "42809", "\"%s\" is not a sequence", name);
		return dh_err_sql(r->err, "42P01", "relation \"%s\" does not exist", name);
	}
	return rc;
}

/* Write the state and remember it in the session. */
static int
seq_set(struct dh__sqlrun *r, struct dh_wtx *w, const struct dh_sqlseq *q, int64_t last, int called,
	int absolute)
{
	const struct dh_schema *sc;
	int rc = dh_wtx_schema(w, &sc, r->err);
	if (rc)
		return rc;
	if ((rc = dh__sqlseq_state(w, sc, q->eid, last, called, r->a, r->err)))
		return rc;
	dh__sqlsess_remember(r->s, q->eid, last, called, absolute, q->inc);
	return 0;
}

int
dh__sqlseq_state(struct dh_wtx *w, const struct dh_schema *sc, uint64_t eid, int64_t last,
		 int called, struct dh_arena *a, struct dh_err *err)
{
	struct dh_txop ops[2] = {
	    {1, eid, dh_schema_attr(sc, "dh.sql/seq-last", 15)->id, {.type = DH_T_LONG, .i = last}},
	    {1,
	     eid,
	     dh_schema_attr(sc, "dh.sql/seq-called", 17)->id,
	     {.type = DH_T_BOOL, .b = called}},
	};
	struct dh_tx_report rep;
	return dh_wtx_apply(w, ops, 2, a, &rep, err);
}

static int
advance(struct dh__sqlrun *r, struct dh_wtx *w, struct dh_sqlseq *q, int64_t *out)
{
	int64_t v = q->last;
	if (q->called) {
		int over = q->inc > 0 ? (v > q->max - q->inc) : (v < q->min - q->inc);
		if (over) {
			if (!q->cycle)
				return dh_err_sql(
				    r->err, "2200H",
				    "nextval: reached %s value of sequence \"%s\" (%lld)",
				    q->inc > 0 ? "maximum" : "minimum", q->name,
				    (long long)(q->inc > 0 ? q->max : q->min));
			v = q->inc > 0 ? q->min : q->max;
		} else {
			v += q->inc;
		}
	}
	int rc = seq_set(r, w, q, v, 1, 0);
	if (rc == 0) {
		dh__sqlsess_currval(r->s, q->eid, v, 1);
		*out = v;
	}
	return rc;
}

int
dh__sqlseq_nextval(struct dh__sqlrun *r, const struct dh_value *name, int64_t *out)
{
	struct dh_wtx *w;
	struct dh_sqlseq q;
	int rc = seq_arg(r, name, &w, &q);
	return rc ? rc : advance(r, w, &q, out);
}

int
dh__sqlseq_nextval_eid(struct dh__sqlrun *r, uint64_t eid, int64_t *out)
{
	struct dh_wtx *w;
	const struct dh_schema *sc;
	struct dh_sqlseq q;
	int rc;
	if ((rc = dh__sql_wtx(r->s, &w, r->err)) || (rc = dh_wtx_schema(w, &sc, r->err)))
		return rc;
	rc = dh__sqlcat_seq_eid(dh_wtx_view(w), sc, eid, r->a, &q, r->err);
	if (rc == 1)
		return dh_err_sql(r->err, "42P01", "the column's sequence does not exist");
	return rc ? rc : advance(r, w, &q, out);
}

int
dh__sqlseq_currval(struct dh__sqlrun *r, const struct dh_value *name, int64_t *out)
{
	struct dh_wtx *w;
	struct dh_sqlseq q;
	int rc = seq_arg(r, name, &w, &q);
	if (rc)
		return rc;
	if (dh__sqlsess_currval(r->s, q.eid, 0, 0) == 0)
		return dh_err_sql(r->err, "55000",
				  "currval of sequence \"%s\" is not yet defined in this session",
				  q.name);
	*out = dh__sqlsess_currval_get(r->s, q.eid);
	return 0;
}

int
dh__sqlseq_setval(struct dh__sqlrun *r, const struct dh_value *name, int64_t v, int called)
{
	struct dh_wtx *w;
	struct dh_sqlseq q;
	int rc = seq_arg(r, name, &w, &q);
	if (rc)
		return rc;
	if (v < q.min || v > q.max)
		return dh_err_sql(
		    r->err, "22003",
		    "setval: value %lld is out of bounds for sequence \"%s\" (%lld..%lld)",
		    (long long)v, q.name, (long long)q.min, (long long)q.max);
	if ((rc = seq_set(r, w, &q, v, called, 1)))
		return rc;
	if (called)
		dh__sqlsess_currval(r->s, q.eid, v, 2);
	return 0;
}
