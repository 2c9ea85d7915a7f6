/*
 * sqlc-fn: the SQL functions that need the session or the store, and the
 * session state behind them.  The expression compiler asks
 * dh__sqlc_function about every function name (and SQL value function:
 * current_timestamp, current_user, ...) before its own catalog; a name
 * found here compiles into a call node evaluated by dh__sqlc_call.
 *
 *   nextval(text) currval(text) setval(text, bigint [, bool]) lastval()
 *   now() transaction_timestamp() current_timestamp[(p)] statement_timestamp()
 *   clock_timestamp() current_date current_time[(p)] localtimestamp[(p)]
 *   localtime[(p)]
 *   current_setting(text [, bool]) version() current_database()
 *   current_catalog current_schema[()] current_user user session_user
 *   current_role pg_backend_pid() dh_current_tx() random() setseed(float8)
 *
 * The transaction's instant is its first statement's start (PostgreSQL
 * takes it at BEGIN), kept until the transaction ends; so now() <=
 * statement_timestamp() <= clock_timestamp() always.  version() says
 * "PostgreSQL 15.0 (dh VERSION) on ARCH, 64-bit": clients and ORMs parse
 * the PostgreSQL version from its start.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "crypto.h"
#include "sqlc-int.h"
#include "sqltime.h"

#ifndef PACKAGE_VERSION
#define PACKAGE_VERSION "0"
#endif

/* --- session state --- */

struct seqmem {
	uint64_t eid;
	int64_t cur; /* currval */
	int has_cur;
	/* this transaction's last state, written again after a rollback */
	int pending;
	int64_t last, inc;
	int called, absolute;
};

struct dh__sqlsess {
	int64_t txnow;	 /* the transaction's instant: its first statement's start */
	int64_t stmtnow; /* the statement's start */
	struct seqmem *seq;
	size_t nseq, aseq;
	uint64_t lastval_eid; /* the sequence nextval last advanced */
	/* the date/time settings (dh__sqlsess_time): TimeZone loaded once per
	 * value it takes, the zones expressions name, cached */
	struct dh_sqltime_settings time;
	struct dh_sqltime_tz *tz;
	char *tzname, *datestyle, *intervalstyle; /* the values read last */
	uint64_t time_gen; /* dh__sql_setgen when they were read, + 1 */
	struct dh_sqltime_zones *zones;
	/* random()'s generator (setseed), seeded on first use */
	uint64_t rng[2];
	int rng_seeded;
	/* the catalog as pg_catalog shows it, for the statement running */
	struct dh__pgcat *pgcat;
	struct dh_sqlenv_cat envcat;
	/* tables created or truncated in the write transaction
	 * (dh__sqlsess_newrel) and when */
	struct newrel {
		uint64_t eid;
		uint64_t mark[2]; /* created, truncated: the savepoint mark + 1, or 0 */
	} *newrel;
	size_t nnewrel, anewrel;
};

static struct dh__sqlsess *
sess(struct dh_sql *s)
{
	struct dh__sqlsess **p = dh__sql_sess(s);
	if (!*p)
		*p = xcalloc(1, sizeof(**p));
	return *p;
}

void
dh__sqlsess_free(struct dh__sqlsess *ss)
{
	if (!ss)
		return;
	free(ss->seq);
	free(ss->newrel);
	dh_sqltime_tz_free(ss->tz);
	free(ss->tzname);
	free(ss->datestyle);
	free(ss->intervalstyle);
	if (ss->zones)
		dh_sqltime_zones_free(ss->zones);
	dh__pgcat_free(ss->pgcat);
	free(ss);
}

/* Has setting name a value other than *last (then *last becomes it)? */
static int
changed(struct dh_sql *s, const char *name, char **last)
{
	const char *v = dh__sql_get(s, name);
	if (!v || (*last && strcmp(*last, v) == 0))
		return 0;
	free(*last);
	*last = xstrdup(v);
	return 1;
}

const struct dh_sqltime_settings *
dh__sqlsess_time(struct dh_sql *s)
{
	struct dh__sqlsess *ss = sess(s);
	if (!ss->zones) {
		ss->zones = dh_sqltime_zones_new();
		dh_sqltime_settings_init(&ss->time);
		ss->time.zones = ss->zones;
	}
	/* each setting is read again only when its value changed */
	uint64_t gen = dh__sql_setgen(s) + 1;
	if (ss->time_gen == gen)
		goto now;
	ss->time_gen = gen;
	if (changed(s, "TimeZone", &ss->tzname)) {
		struct dh_sqltime_tz *tz = NULL;
		struct dh_err e = {0};
		/* SET checked the value: a load that fails now keeps the last zone */
		if (dh_sqltime_tz_load(ss->tzname, &tz, &e) == 0) {
			dh_sqltime_tz_free(ss->tz);
			ss->tz = tz;
		}
		dh_err_clear(&e);
		ss->time.tz = ss->tz;
	}
	if (changed(s, "DateStyle", &ss->datestyle))
		dh_sqltime_set_datestyle(&ss->time, ss->datestyle, NULL, NULL);
	if (changed(s, "IntervalStyle", &ss->intervalstyle))
		dh_sqltime_set_intervalstyle(&ss->time, ss->intervalstyle, NULL);
now:
	/* 'now' is the transaction's instant inside one; outside (a describe
	 * command) the clock's, without starting the instant of the next */
	ss->time.now = ss->txnow ? ss->txnow : dh_now_us();
	ss->time.statement_now = ss->stmtnow ? ss->stmtnow : ss->time.now;
	return &ss->time;
}

void
dh__sqlsess_txend(struct dh_sql *s)
{
	struct dh__sqlsess *ss = *dh__sql_sess(s);
	if (!ss)
		return;
	ss->txnow = 0;
	ss->nnewrel = 0;
	for (size_t i = 0; i < ss->nseq; i++)
		ss->seq[i].pending = 0;
}

void
dh__sqlsess_newrel(struct dh_sql *s, struct dh_wtx *w, uint64_t eid, int created)
{
	struct dh__sqlsess *ss = sess(s);
	size_t i = 0;
	while (i < ss->nnewrel && ss->newrel[i].eid != eid)
		i++;
	if (i == ss->nnewrel) {
		if (ss->nnewrel == ss->anewrel) {
			ss->anewrel = ss->anewrel ? 2 * ss->anewrel : 8;
			ss->newrel = xrealloc(ss->newrel, ss->anewrel * sizeof(*ss->newrel));
		}
		ss->newrel[ss->nnewrel++] = (struct newrel){eid, {0, 0}};
	}
	ss->newrel[i].mark[!created] = dh_wtx_mark(w) + 1;
}

int
dh__sqlsess_isnewrel(struct dh_sql *s, struct dh_wtx *w, uint64_t eid)
{
	struct dh__sqlsess *ss = sess(s);
	uint64_t cur = dh_wtx_mark(w);
	for (size_t i = 0; i < ss->nnewrel; i++)
		if (ss->newrel[i].eid == eid)
			for (int k = 0; k < 2; k++)
				if (ss->newrel[i].mark[k] &&
				    dh_wtx_mark_owner(w, ss->newrel[i].mark[k] - 1) == cur)
					return 1;
	return 0;
}

void
dh__sqlsess_stmt(struct dh_sql *s)
{
	struct dh__sqlsess *ss = sess(s);
	ss->stmtnow = dh_now_us();
	if (!ss->txnow)
		ss->txnow = ss->stmtnow;
	/* the catalog may have changed since the last statement */
	if (ss->pgcat && (ss->pgcat->ready || ss->pgcat->nrels))
		dh__pgcat_reset(ss->pgcat);
	/* The reg* types read and print names through the session's
	 * catalog.  The session's env is sql.c's (dh__sql_env hands out a
	 * const pointer to it, mutable there); until sql.c sets the member
	 * itself, it is set here, at every statement's start. */
	struct dh_sqlenv *env = (struct dh_sqlenv *)dh__sql_env(s);
	env->cat = &ss->envcat;
	ss->envcat = dh__pgcat_envcat;
	ss->envcat.ctx = s;
}

struct dh__pgcat **
dh__sqlsess_pgcat(struct dh_sql *s)
{
	return &sess(s)->pgcat;
}

int64_t
dh__sqlsess_now(struct dh_sql *s)
{
	struct dh__sqlsess *ss = sess(s);
	if (!ss->txnow)
		ss->txnow = dh_now_us();
	return ss->txnow;
}

static struct seqmem *
seqmem(struct dh__sqlsess *ss, uint64_t eid, int add)
{
	for (size_t i = 0; i < ss->nseq; i++)
		if (ss->seq[i].eid == eid)
			return &ss->seq[i];
	if (!add)
		return NULL;
	if (ss->nseq == ss->aseq) {
		ss->aseq = ss->aseq ? 2 * ss->aseq : 8;
		ss->seq = xrealloc(ss->seq, ss->aseq * sizeof(*ss->seq));
	}
	struct seqmem *m = &ss->seq[ss->nseq++];
	memset(m, 0, sizeof(*m));
	m->eid = eid;
	return m;
}

int
dh__sqlsess_currval(struct dh_sql *s, uint64_t eid, int64_t v, int mode)
{
	struct dh__sqlsess *ss = sess(s);
	struct seqmem *m = seqmem(ss, eid, mode != 0);
	if (mode == 0)
		return m && m->has_cur;
	m->cur = v;
	m->has_cur = 1;
	if (mode == 1)
		ss->lastval_eid = eid;
	return 1;
}

int64_t
dh__sqlsess_currval_get(struct dh_sql *s, uint64_t eid)
{
	struct seqmem *m = seqmem(sess(s), eid, 0);
	return m ? m->cur : 0;
}

void
dh__sqlsess_remember(struct dh_sql *s, uint64_t eid, int64_t last, int called, int absolute,
		     int64_t inc)
{
	struct seqmem *m = seqmem(sess(s), eid, 1);
	m->pending = 1;
	m->last = last;
	m->called = called;
	m->absolute = absolute;
	m->inc = inc;
}

/* Write the remembered states again in w (after a rollback).  An
 * advance is written only if it is ahead of what the rollback left (an
 * ALTER SEQUENCE ... RESTART rolls back); setval's state always (it is
 * not transactional in PostgreSQL); a sequence the rollback removed
 * stays removed. */
static int
reapply(struct dh__sqlsess *ss, struct dh_wtx *w, struct dh_err *err)
{
	const struct dh_schema *sc;
	struct dh_arena a;
	int rc = dh_wtx_schema(w, &sc, err);
	if (rc)
		return rc;
	dh_arena_init(&a);
	for (size_t i = 0; i < ss->nseq && rc == 0; i++) {
		struct seqmem *m = &ss->seq[i];
		if (!m->pending)
			continue;
		struct dh_sqlseq q;
		rc = dh__sqlcat_seq_eid(dh_wtx_view(w), sc, m->eid, &a, &q, err);
		if (rc == 1) {
			rc = 0;
			continue;
		}
		if (rc)
			break;
		if (!m->absolute && q.called &&
		    (m->inc > 0 ? m->last <= q.last : m->last >= q.last))
			continue;
		rc = dh__sqlseq_state(w, sc, m->eid, m->last, m->called, &a, err);
	}
	dh_arena_release(&a);
	return rc;
}

static int
any_pending(const struct dh__sqlsess *ss)
{
	for (size_t i = 0; ss && i < ss->nseq; i++)
		if (ss->seq[i].pending)
			return 1;
	return 0;
}

int
dh__sqlsess_rollback(struct dh_sql *s, struct dh_wtx *w, int whole, struct dh_err *err)
{
	struct dh__sqlsess *ss = *dh__sql_sess(s);
	struct dh_err e2;
	int rc;
	if (!err)
		err = &e2;
	if (whole && ss)
		ss->nnewrel = 0; /* w goes: its marks mean nothing after */
	if (!whole)
		return any_pending(ss) ? reapply(ss, w, err) : 0;
	if (!any_pending(ss)) {
		dh_wtx_abort(w);
		return 0;
	}
	/* undo every savepoint, the session's base mark included (sql.c
	 * makes one when the write transaction begins): what is left is
	 * the transaction as it began, which still holds the store's write
	 * lock, so no one else can take a value in between */
	while (dh_wtx_rollback(w, &e2) == 0)
		;
	rc = reapply(ss, w, err);
	if (rc) {
		dh_wtx_abort(w);
		return rc;
	}
	struct dh_tx_report rep;
	return dh_wtx_commit(w, &rep, err);
}

/* --- the functions --- */

enum fn {
	FN_NEXTVAL = 1,
	FN_CURRVAL,
	FN_SETVAL,
	FN_LASTVAL,
	FN_NOW,
	FN_CURRENT_TIMESTAMP, /* (p) */
	FN_STATEMENT_TS,
	FN_CLOCK_TS,
	FN_CURRENT_DATE,
	FN_LOCALTIMESTAMP,
	FN_LOCALTIME,
	FN_CURRENT_TIME, /* (p) */
	FN_CURRENT_SETTING,
	FN_VERSION,
	FN_CURRENT_DATABASE,
	FN_CURRENT_SCHEMA,
	FN_CURRENT_USER,
	FN_BACKEND_PID,
	FN_DH_CURRENT_TX,
	FN_RANDOM,
	FN_SETSEED,
	FN_PG_NOTIFY,
};

static const struct fndef {
	const char *name;
	int minargs, maxargs;
	enum fn id;
	uint32_t type;
	int vol;
} fns[] = {
    {"nextval", 1, 1, FN_NEXTVAL, DH_OID_INT8, 1},
    {"currval", 1, 1, FN_CURRVAL, DH_OID_INT8, 1},
    {"setval", 2, 3, FN_SETVAL, DH_OID_INT8, 1},
    {"lastval", 0, 0, FN_LASTVAL, DH_OID_INT8, 1},
    {"now", 0, 0, FN_NOW, DH_OID_TIMESTAMPTZ, 1},
    {"transaction_timestamp", 0, 0, FN_NOW, DH_OID_TIMESTAMPTZ, 1},
    {"current_timestamp", 0, 1, FN_CURRENT_TIMESTAMP, DH_OID_TIMESTAMPTZ, 1},
    {"statement_timestamp", 0, 0, FN_STATEMENT_TS, DH_OID_TIMESTAMPTZ, 1},
    {"clock_timestamp", 0, 0, FN_CLOCK_TS, DH_OID_TIMESTAMPTZ, 1},
    {"current_date", 0, 0, FN_CURRENT_DATE, DH_OID_DATE, 1},
    {"localtimestamp", 0, 1, FN_LOCALTIMESTAMP, DH_OID_TIMESTAMP, 1},
    {"localtime", 0, 1, FN_LOCALTIME, DH_OID_TIME, 1},
    {"current_time", 0, 1, FN_CURRENT_TIME, DH_OID_TIMETZ, 1},
    {"current_setting", 1, 2, FN_CURRENT_SETTING, DH_OID_TEXT, 1},
    {"version", 0, 0, FN_VERSION, DH_OID_TEXT, 0},
    {"current_database", 0, 0, FN_CURRENT_DATABASE, DH_OID_NAME, 0},
    {"current_catalog", 0, 0, FN_CURRENT_DATABASE, DH_OID_NAME, 0},
    {"current_schema", 0, 0, FN_CURRENT_SCHEMA, DH_OID_NAME, 0},
    {"current_user", 0, 0, FN_CURRENT_USER, DH_OID_NAME, 0},
    {"current_role", 0, 0, FN_CURRENT_USER, DH_OID_NAME, 0},
    {"user", 0, 0, FN_CURRENT_USER, DH_OID_NAME, 0},
    {"session_user", 0, 0, FN_CURRENT_USER, DH_OID_NAME, 0},
    {"pg_backend_pid", 0, 0, FN_BACKEND_PID, DH_OID_INT4, 0},
    {"dh_current_tx", 0, 0, FN_DH_CURRENT_TX, DH_OID_INT8, 1},
    {"random", 0, 0, FN_RANDOM, DH_OID_FLOAT8, 1},
    {"setseed", 1, 1, FN_SETSEED, DH_OID_VOID, 1},
    {"pg_notify", 2, 2, FN_PG_NOTIFY, DH_OID_VOID, 1},
};

static int
textish(uint32_t t)
{
	return t == DH_OID_UNKNOWN || t == DH_OID_TEXT || t == DH_OID_VARCHAR ||
	       t == DH_OID_BPCHAR || t == DH_OID_NAME || t == DH_OID_REGCLASS;
}

static int
intish(uint32_t t)
{
	return t == DH_OID_INT2 || t == DH_OID_INT4 || t == DH_OID_INT8 || t == DH_OID_UNKNOWN ||
	       t == DH_OID_NUMERIC;
}

static const char *
type_name(uint32_t t)
{
	const struct dh_sqltype *ty = dh_sqltype_by_oid(t);
	return ty ? ty->sqlname : "unknown";
}

/* The type a parameter ($n of the extended protocol, type not yet known)
 * takes as argument i of function id, as PostgreSQL infers it from the
 * function's signature (nextval's regclass as text: the name is looked up
 * when it runs). */
static uint32_t
arg_type(enum fn id, int i)
{
	switch (id) {
	case FN_SETVAL:
		return i == 0 ? DH_OID_TEXT : i == 1 ? DH_OID_INT8 : DH_OID_BOOL;
	case FN_CURRENT_SETTING:
		return i == 0 ? DH_OID_TEXT : DH_OID_BOOL;
	case FN_SETSEED:
		return DH_OID_FLOAT8;
	case FN_CURRENT_TIMESTAMP:
	case FN_LOCALTIMESTAMP:
	case FN_LOCALTIME:
	case FN_CURRENT_TIME:
		return DH_OID_INT4;
	default:
		return DH_OID_TEXT;
	}
}

static int function(struct dh_sql *s, const char *name, int nargs, struct dh_sqlx *const *args,
		    int location, int *id, uint32_t *type, int32_t *typmod, int *volatile_,
		    struct dh_err *err);

int
dh__sqlc_function(struct sqlc_sel *S, const char *name, int nargs, struct dh_sqlx *const *args,
		  int location, int *id, uint32_t *type, int32_t *typmod, int *volatile_,
		  struct dh_err *err)
{
	return function(S ? S->r->s : NULL, name, nargs, args, location, id, type, typmod,
			volatile_, err);
}

static int
function(struct dh_sql *s, const char *name, int nargs, struct dh_sqlx *const *args,
	 int location, int *id, uint32_t *type, int32_t *typmod, int *volatile_,
	 struct dh_err *err)
{
	const struct fndef *f = NULL;
	for (size_t i = 0; i < DH_ARRAY_SIZE(fns) && !f; i++)
		if (strcmp(fns[i].name, name) == 0)
			f = &fns[i];
	if (!f)
		return dh__sqlc_pgcat_function(name, nargs, args, id, type, typmod, volatile_, err);
	int ok = nargs >= f->minargs && nargs <= f->maxargs;
	switch (f->id) {
	case FN_NEXTVAL:
	case FN_CURRVAL:
		ok = ok && textish(args[0]->type);
		break;
	case FN_SETVAL:
		ok = ok && textish(args[0]->type) && intish(args[1]->type) &&
		     (nargs < 3 || args[2]->type == DH_OID_BOOL || args[2]->type == DH_OID_UNKNOWN);
		break;
	case FN_SETSEED:
		ok = ok && (intish(args[0]->type) || args[0]->type == DH_OID_FLOAT4 ||
			    args[0]->type == DH_OID_FLOAT8);
		break;
	case FN_PG_NOTIFY:
		ok = ok && textish(args[0]->type) && textish(args[1]->type);
		break;
	case FN_CURRENT_SETTING:
		ok = ok && textish(args[0]->type) &&
		     (nargs < 2 || args[1]->type == DH_OID_BOOL || args[1]->type == DH_OID_UNKNOWN);
		break;
	default:
		break;
	}
	if (!ok) {
		/* PostgreSQL's message for a call no signature matches */
		struct dh_buf b;
		dh_buf_init(&b, 0);
		for (int i = 0; i < nargs; i++)
			dh_buf_printf(&b, "%s%s", i ? ", " : "", type_name(args[i]->type));
		dh_err_sql(err, "42883", "function %s(%s) does not exist", name,
			   b.len ? (const char *)b.p : "");
		dh_buf_release(&b);
		dh_err_hint(err, "No function matches the given name and argument types. You might "
				 "need to add explicit type casts.");
		(void)location;
		return DH_ESQL;
	}
	/* a parameter of unknown type takes the argument's */
	const struct dh_sqlenv *env = s ? dh__sql_env(s) : NULL;
	for (int i = 0; i < nargs; i++) {
		struct dh_sqlx *a = args[i];
		if (a->k != SX_PARAM || a->type != DH_OID_UNKNOWN)
			continue;
		a->type = arg_type(f->id, i);
		if (env && env->param_types && a->slot < env->nparams)
			env->param_types[a->slot] = a->type;
	}
	*id = (int)f->id;
	*type = f->type;
	*typmod = -1;
	*volatile_ = f->vol;
	if ((f->id == FN_CURRENT_TIMESTAMP || f->id == FN_LOCALTIMESTAMP ||
	     f->id == FN_LOCALTIME || f->id == FN_CURRENT_TIME) &&
	    nargs == 1 && args[0]->k == SX_CONST && args[0]->val.type == DH_T_LONG &&
	    args[0]->val.i >= 0)
		*typmod = (int32_t)(args[0]->val.i > 6 ? 6 : args[0]->val.i);
	return 0;
}

/* A bigint from an argument value (int, numeric text, unknown literal). */
static int
arg_int(struct dh__sqlrun *r, const struct dh_value *v, int64_t *out)
{
	if (v->type == DH_T_LONG) {
		*out = v->i;
		return 0;
	}
	if (v->type == DH_T_STRING || v->type == DH_T_BIGDEC) {
		char buf[64];
		snprintf(buf, sizeof(buf), "%.*s", (int)v->s.n, v->s.p);
		char *end;
		long long x = strtoll(buf, &end, 10);
		if (*end == 0 || *end == '.') {
			*out = x;
			return 0;
		}
		return dh_err_sql(r->err, "22P02", "invalid input syntax for type bigint: \"%s\"",
				  buf);
	}
	return dh_err_sql(r->err, "22023", "bad argument");
}

static int
arg_bool(const struct dh_value *v)
{
	if (v->type == DH_T_BOOL)
		return v->b;
	if (v->type == DH_T_STRING)
		return v->s.n && (v->s.p[0] == 't' || v->s.p[0] == 'T' || v->s.p[0] == 'y' ||
				  v->s.p[0] == 'Y' || v->s.p[0] == '1' ||
				  (v->s.n > 1 && (v->s.p[1] == 'n' || v->s.p[1] == 'N')));
	return 0;
}

static void
str(struct dh__sqlrun *r, struct dh_value *out, const char *s)
{
	*out = (struct dh_value){.type = DH_T_STRING};
	out->s.p = dh_arena_strdup(r->a, s);
	out->s.n = strlen(s);
}

static void
time_settings(struct dh__sqlrun *r, struct dh_sqltime_settings *set)
{
	*set = *dh__sqlsess_time(r->s);
	set->now = dh__sqlsess_now(r->s);
}

/* random()'s generator: xoroshiro128** (PostgreSQL 15's pg_prng), a
 * double from its top 52 bits as pg_prng_double does; setseed(x) seeds it
 * from x * 2^63 as PostgreSQL does (the same seed, the same sequence within
 * dh, though not PostgreSQL's numbers) */
static uint64_t
rotl(uint64_t x, int k)
{
	return (x << k) | (x >> (64 - k));
}

static uint64_t
splitmix64(uint64_t *state)
{
	uint64_t z = (*state += 0x9E3779B97F4A7C15ULL);
	z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9ULL;
	z = (z ^ (z >> 27)) * 0x94D049BB133111EBULL;
	return z ^ (z >> 31);
}

static void
rng_seed(struct dh__sqlsess *ss, uint64_t seed)
{
	ss->rng[0] = splitmix64(&seed);
	ss->rng[1] = splitmix64(&seed);
	if (ss->rng[0] == 0 && ss->rng[1] == 0)
		ss->rng[0] = 1;
	ss->rng_seeded = 1;
}

static double
rng_double(struct dh__sqlsess *ss)
{
	uint64_t s0 = ss->rng[0], s1 = ss->rng[1];
	uint64_t v = rotl(s0 * 5, 7) * 9;
	s1 ^= s0;
	ss->rng[0] = rotl(s0, 24) ^ s1 ^ (s1 << 16);
	ss->rng[1] = rotl(s1, 37);
	return (double)(v >> 12) / (double)(UINT64_C(1) << 52);
}

/* A float8 from a numeric, integer or float argument value. */
static double
arg_double(const struct dh_value *v)
{
	char buf[64];
	if (v->type == DH_T_LONG)
		return (double)v->i;
	if (v->type == DH_T_DOUBLE)
		return v->d;
	snprintf(buf, sizeof(buf), "%.*s", (int)v->s.n, v->s.p);
	return strtod(buf, NULL);
}

int
dh__sqlc_call(struct dh__sqlrun *r, int id, int nargs, const struct dh_value *args,
	      struct dh_value *out)
{
	int64_t v;
	int rc;
	struct dh_sqltime_settings set;
	*out = (struct dh_value){.type = DH_T_NONE};
	if (id >= DH_PGCAT_FN_BASE)
		return dh__sqlc_pgcat_call(r, id, nargs, args, out);
	/* strict functions: NULL in, NULL out */
	if (id != FN_CURRENT_TIMESTAMP && id != FN_LOCALTIMESTAMP && id != FN_LOCALTIME &&
	    id != FN_CURRENT_TIME && id != FN_PG_NOTIFY)
		for (int i = 0; i < nargs; i++)
			if (args[i].type == DH_T_NONE)
				return 0;
	switch ((enum fn)id) {
	case FN_NEXTVAL:
		if ((rc = dh__sqlseq_nextval(r, &args[0], &v)))
			return rc;
		*out = (struct dh_value){.type = DH_T_LONG, .i = v};
		return 0;
	case FN_CURRVAL:
		if ((rc = dh__sqlseq_currval(r, &args[0], &v)))
			return rc;
		*out = (struct dh_value){.type = DH_T_LONG, .i = v};
		return 0;
	case FN_SETVAL:
		if ((rc = arg_int(r, &args[1], &v)) ||
		    (rc = dh__sqlseq_setval(r, &args[0], v, nargs < 3 || arg_bool(&args[2]))))
			return rc;
		*out = (struct dh_value){.type = DH_T_LONG, .i = v};
		return 0;
	case FN_LASTVAL: {
		struct dh__sqlsess *ss = sess(r->s);
		struct seqmem *m = ss->lastval_eid ? seqmem(ss, ss->lastval_eid, 0) : NULL;
		struct dh_view *vw;
		const struct dh_schema *sc;
		struct dh_sqlseq q;
		if (m && m->has_cur) {
			/* a dropped sequence has no lastval, as in PostgreSQL */
			if ((rc = dh__sql_view(r->s, &vw, &sc, r->err)))
				return rc;
			if ((rc = dh__sqlcat_seq_eid(vw, sc, m->eid, r->a, &q, r->err)) < 0)
				return rc;
			if (rc == 1)
				m = NULL;
		}
		if (!m || !m->has_cur)
			return dh_err_sql(r->err, "55000",
					  "lastval is not yet defined in this session");
		*out = (struct dh_value){.type = DH_T_LONG, .i = m->cur};
		return 0;
	}
	case FN_NOW:
		*out = (struct dh_value){.type = DH_T_INSTANT, .i = dh__sqlsess_now(r->s)};
		return 0;
	case FN_CURRENT_TIMESTAMP:
		time_settings(r, &set);
		out->type = DH_T_INSTANT;
		return dh_sqltime_current_timestamp(
		    &set, nargs && args[0].type == DH_T_LONG ? (int)args[0].i : -1, &out->i,
		    r->err);
	case FN_STATEMENT_TS: {
		struct dh__sqlsess *ss = sess(r->s);
		dh__sqlsess_now(r->s);
		*out = (struct dh_value){.type = DH_T_INSTANT,
					 .i = ss->stmtnow ? ss->stmtnow : ss->txnow};
		return 0;
	}
	case FN_CLOCK_TS:
		*out = (struct dh_value){.type = DH_T_INSTANT, .i = dh_now_us()};
		return 0;
	case FN_CURRENT_DATE:
		time_settings(r, &set);
		out->type = DH_T_LONG;
		return dh_sqltime_current_date(&set, &out->i, r->err);
	case FN_LOCALTIMESTAMP:
		time_settings(r, &set);
		out->type = DH_T_INSTANT;
		return dh_sqltime_localtimestamp(
		    &set, nargs && args[0].type == DH_T_LONG ? (int)args[0].i : -1, &out->i,
		    r->err);
	case FN_LOCALTIME:
		time_settings(r, &set);
		out->type = DH_T_LONG;
		return dh_sqltime_localtime(
		    &set, nargs && args[0].type == DH_T_LONG ? (int)args[0].i : -1, &out->i);
	case FN_CURRENT_TIME: {
		int64_t t;
		int zone, isnull;
		time_settings(r, &set);
		if ((rc = dh_sqltime_timestamptz_to_timetz(set.now, &set, &t, &zone, &isnull,
							   r->err)))
			return rc;
		if (nargs && args[0].type == DH_T_LONG && args[0].i >= 0)
			t = dh_sqltime_time_round(t, args[0].i > 6 ? 6 : (int)args[0].i);
		dh_sqltype_timetz_put(t, zone, r->a, out);
		return 0;
	}
	case FN_CURRENT_SETTING: {
		char name[256];
		snprintf(name, sizeof(name), "%.*s", (int)args[0].s.n, args[0].s.p);
		const char *val = dh__sql_get(r->s, name);
		if (!val) {
			if (nargs == 2 && arg_bool(&args[1]))
				return 0;
			return dh_err_sql(r->err, "42704",
					  "unrecognized configuration parameter \"%s\"", name);
		}
		str(r, out, val);
		return 0;
	}
	case FN_VERSION:
#if defined(__x86_64__)
		str(r, out,
		    "PostgreSQL 15.0 (dh " PACKAGE_VERSION ") on x86_64-pc-linux-gnu, 64-bit");
#elif defined(__aarch64__)
		str(r, out,
		    "PostgreSQL 15.0 (dh " PACKAGE_VERSION
		    ") on aarch64-unknown-linux-gnu, 64-bit");
#else
		str(r, out, "PostgreSQL 15.0 (dh " PACKAGE_VERSION ")");
#endif
		return 0;
	case FN_CURRENT_DATABASE:
		str(r, out, dh_conn_db(dh__sql_conn(r->s)));
		return 0;
	case FN_CURRENT_SCHEMA:
		str(r, out, "public");
		return 0;
	case FN_CURRENT_USER: {
		const char *u = dh__sql_get(r->s, "session_authorization");
		str(r, out, u && *u ? u : "dh");
		return 0;
	}
	case FN_BACKEND_PID:
		*out = (struct dh_value){.type = DH_T_LONG, .i = dh__sql_backend_pid(r->s)};
		return 0;
	case FN_PG_NOTIFY: {
		/* not strict: a NULL channel is an empty one, a NULL payload
		 * an empty payload */
		char *ch = args[0].type == DH_T_NONE ? NULL : xstrndup(args[0].s.p, args[0].s.n);
		char *pl = args[1].type == DH_T_NONE ? NULL : xstrndup(args[1].s.p, args[1].s.n);
		rc = dh__sql_notify(r->s, ch, pl, r->err);
		free(ch);
		free(pl);
		if (rc)
			return rc;
		str(r, out, "");
		return 0;
	}
	case FN_RANDOM: {
		struct dh__sqlsess *ss = sess(r->s);
		if (!ss->rng_seeded) {
			uint64_t seed;
			if (dh_random_bytes(&seed, sizeof(seed)))
				seed = (uint64_t)dh_now_us() ^ (uint64_t)getpid();
			rng_seed(ss, seed);
		}
		*out = (struct dh_value){.type = DH_T_DOUBLE, .d = rng_double(ss)};
		return 0;
	}
	case FN_SETSEED: {
		double x = arg_double(&args[0]);
		if (!(x >= -1 && x <= 1))
			return dh_err_sql(r->err, "22023",
					  "setseed parameter %g is out of allowed range [-1,1]", x);
		double d = x * 9223372036854775807.0;
		rng_seed(sess(r->s), d >= 9223372036854775807.0 ? (uint64_t)INT64_MAX
								 : (uint64_t)(int64_t)d);
		str(r, out, "");
		return 0;
	}
	case FN_DH_CURRENT_TX: {
		struct dh_view *vw;
		const struct dh_schema *sc;
		if ((rc = dh__sql_view(r->s, &vw, &sc, r->err)))
			return rc;
		*out = (struct dh_value){.type = DH_T_LONG, .i = (int64_t)vw->basis};
		return 0;
	}
	}
	return dh_err_sql(r->err, "XX000", "unknown session function %d", id);
}

int
dh__sqlc_fn_hook(void *r, const char *name, int nargs, struct dh_sqlx *const *args, int location,
		 int *id, uint32_t *type, int32_t *typmod, int *volatile_, struct dh_err *err)
{
	(void)r; /* any scope's ctx: not read */
	return function(NULL, name, nargs, args, location, id, type, typmod, volatile_, err);
}

int
dh__sqlc_call_hook(void *r, int id, int nargs, const struct dh_value *args,
		   const struct dh_sqlx_run *run, struct dh_value *out)
{
	(void)run;
	return dh__sqlc_call(r, id, nargs, args, out);
}
