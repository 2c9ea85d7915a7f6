/*
 * dh-datalog-t: run Datalog test cases (t/datalog/README describes the
 * format) against libdh and print TAP.
 *
 *   dh-datalog-t STORE FILE.edn...
 *
 * Each dataset becomes its own database in STORE, loaded transaction by
 * transaction; each case opens snapshots for its sources (the view of $ and
 * of any :sources), runs its query, prints the result as EDN (format.h),
 * reads that text back and compares it with :expect after substituting
 * #ref "tempid" and #tx K.  Relations and collections compare as multisets
 * of rows whatever their brackets (a :with result is a bag, printed as a
 * vector); everything else with dh_edn_equal, or with a relative tolerance
 * on floats when the case says :epsilon.  Error cases compare the SQLSTATE,
 * optionally that a position was given, and that the database's head did not
 * move.  A case running longer than DH_DATALOG_TIMEOUT seconds (default 60)
 * is cancelled through env.cancel and fails.
 *
 * Exit status: 0 when every case passed, 1 when one failed, 2 on bad usage
 * or an unreadable file.
 */
#include <errno.h>
#include <math.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "dh.h"
#include "format.h"
#include "query.h"

struct tempid {
	const char *name;
	uint64_t e;
};

struct dataset {
	const char *name; /* NULL: a case's own inline dataset */
	char db[DH_NAME_MAX + 1];
	struct dh_conn *conn;
	const char *failed; /* why loading failed, or NULL */
	size_t ntemp, ctemp;
	struct tempid *temp;
	size_t ntx;
	uint64_t *tx; /* tx[0]: the schema tx (0 if none); tx[k]: the k-th of :data */
};

struct file {
	const char *path;
	char *text;
	size_t len;
	struct dh_arena arena; /* forms, datasets' tables */
	struct dh_edn *forms;
	size_t ncases;
};

static struct dh_store *store;
static unsigned dbseq;
static int ntest, nfailed;
static volatile sig_atomic_t cancel_flag;
static unsigned case_timeout = 60;

static void
on_alarm(int sig)
{
	(void)sig;
	cancel_flag = 1;
}

/* ------------------------------------------------------------ reading */

static int
read_file(const char *path, char **text, size_t *len)
{
	FILE *f = fopen(path, "rb");
	if (!f)
		return -1;
	struct dh_buf b;
	dh_buf_init(&b, 0);
	char chunk[65536];
	size_t n;
	while ((n = fread(chunk, 1, sizeof(chunk), f)) > 0)
		dh_buf_add(&b, chunk, n);
	int bad = ferror(f);
	fclose(f);
	if (bad || b.overflow) {
		dh_buf_release(&b);
		return -1;
	}
	*text = dh_buf_detach(&b, len);
	return 0;
}

static const struct dh_edn *
get(const struct dh_edn *m, const char *kw)
{
	return dh_edn_map_get(m, kw);
}

/* Value for string key s in map m, or NULL. */
static const struct dh_edn *
get_str(const struct dh_edn *m, const char *s)
{
	if (!m || m->kind != DH_EDN_MAP)
		return NULL;
	for (size_t i = 0; i + 1 < m->coll.n; i += 2) {
		const struct dh_edn *k = m->coll.items[i];
		if (k->kind == DH_EDN_STRING && strcmp(k->s.p, s) == 0)
			return m->coll.items[i + 1];
	}
	return NULL;
}

static char *
print_form(struct dh_arena *a, const struct dh_edn *x)
{
	struct dh_buf b;
	dh_buf_init(&b, 0);
	dh_edn_print(&b, x);
	char *s = dh_arena_strndup(a, (const char *)b.p, b.len);
	dh_buf_release(&b);
	return s;
}

/* ------------------------------------------------------------ datasets */

static struct dataset *
find_dataset(struct dataset *sets, size_t n, const char *name)
{
	for (size_t i = 0; i < n; i++)
		if (sets[i].name && strcmp(sets[i].name, name) == 0)
			return &sets[i];
	return NULL;
}

static const struct tempid *
find_tempid(const struct dataset *d, const char *name)
{
	for (size_t i = 0; i < d->ntemp; i++)
		if (strcmp(d->temp[i].name, name) == 0)
			return &d->temp[i];
	return NULL;
}

static struct dh_edn *
int_node(struct dh_arena *a, const struct dh_edn *at, int64_t v)
{
	struct dh_edn *n = dh_arena_zalloc(a, sizeof(*n));
	n->kind = DH_EDN_INT;
	n->pos = at->pos;
	n->end = at->end;
	n->i = v;
	return n;
}

/* A copy of x with #ref "tempid" and #tx K replaced by integers; subtrees
 * without tags are shared.  On an unknown tempid or tx, *why is set. */
static const struct dh_edn *
subst(struct dh_arena *a, const struct dh_edn *x, const struct dataset *d, char **why)
{
	if (!x || *why)
		return x;
	if (x->kind == DH_EDN_TAGGED) {
		const struct dh_edn *v = x->tagged.val;
		if (strcmp(x->tagged.tag, "ref") == 0) {
			const struct tempid *t =
				v->kind == DH_EDN_STRING ? find_tempid(d, v->s.p) : NULL;
			if (!t) {
				*why = dh_arena_printf(a, "unknown #ref %s", print_form(a, v));
				return x;
			}
			return int_node(a, x, (int64_t)t->e);
		}
		if (strcmp(x->tagged.tag, "tx") == 0) {
			if (v->kind != DH_EDN_INT || v->i < 0 || (size_t)v->i >= d->ntx ||
			    d->tx[v->i] == 0) {
				*why = dh_arena_printf(a, "unknown #tx %s", print_form(a, v));
				return x;
			}
			return int_node(a, x, (int64_t)d->tx[v->i]);
		}
		const struct dh_edn *nv = subst(a, v, d, why);
		if (nv == v)
			return x;
		struct dh_edn *n = dh_arena_memdup(a, x, sizeof(*x));
		n->tagged.val = (struct dh_edn *)nv;
		return n;
	}
	if (x->kind != DH_EDN_LIST && x->kind != DH_EDN_VECTOR && x->kind != DH_EDN_MAP &&
	    x->kind != DH_EDN_SET)
		return x;
	struct dh_edn **items = NULL;
	for (size_t i = 0; i < x->coll.n; i++) {
		const struct dh_edn *c = subst(a, x->coll.items[i], d, why);
		if (c != x->coll.items[i] && !items) {
			items = dh_arena_alloc(a, x->coll.n * sizeof(*items));
			memcpy(items, x->coll.items, x->coll.n * sizeof(*items));
		}
		if (items)
			items[i] = (struct dh_edn *)c;
	}
	if (!items)
		return x;
	struct dh_edn *n = dh_arena_memdup(a, x, sizeof(*x));
	n->coll.items = items;
	return n;
}

static void
add_tempids(struct dh_arena *a, struct dataset *d, const struct dh_tx_report *r)
{
	for (size_t i = 0; i < r->ntempids; i++) {
		/* first assignment wins: a later tx may upsert to the same id */
		if (find_tempid(d, r->tempids[i].name))
			continue;
		if (d->ntemp == d->ctemp) {
			size_t c = d->ctemp ? 2 * d->ctemp : 64;
			struct tempid *t = dh_arena_alloc(a, c * sizeof(*t));
			if (d->ntemp)
				memcpy(t, d->temp, d->ntemp * sizeof(*t));
			d->temp = t;
			d->ctemp = c;
		}
		d->temp[d->ntemp].name = dh_arena_strdup(a, r->tempids[i].name);
		d->temp[d->ntemp].e = r->tempids[i].e;
		d->ntemp++;
	}
}

/* Transact one tx-data form (after substitution); records its tx id. */
static int
transact_form(struct dh_arena *fa, struct dataset *d, const struct dh_edn *tx, size_t slot)
{
	struct dh_arena a;
	struct dh_err err = {0};
	struct dh_tx_report rep;
	char *why = NULL;
	int rc = 0;
	dh_arena_init(&a);
	const struct dh_edn *x = subst(&a, tx, d, &why);
	if (why) {
		d->failed = dh_arena_strdup(fa, why);
		rc = -1;
		goto out;
	}
	char *text = print_form(&a, x);
	if (dh_transact_text(d->conn, text, strlen(text), &a, &rep, &err)) {
		d->failed = dh_arena_printf(fa, "tx %zu failed: %s: %s", slot, err.sqlstate,
					    err.message);
		rc = -1;
		goto out;
	}
	add_tempids(fa, d, &rep);
	d->tx[slot] = rep.tx;
out:
	dh_arena_release(&a);
	return rc;
}

/* Create and load dataset d from form m (:schema and :data). */
static void
load_dataset(struct dh_arena *fa, struct dataset *d, const struct dh_edn *m)
{
	struct dh_err err = {0};
	const struct dh_edn *schema = get(m, "schema");
	const struct dh_edn *data = get(m, "data");
	snprintf(d->db, sizeof(d->db), "dl%u", ++dbseq);
	dh_db_drop(store, d->db, NULL);
	if (dh_db_create(store, d->db, 0, &err) || dh_conn_open(store, d->db, &d->conn, &err)) {
		d->failed = dh_arena_printf(fa, "cannot create database %s: %s", d->db, err.message);
		return;
	}
	if (data && data->kind != DH_EDN_VECTOR) {
		d->failed = "the dataset's :data is not a vector of tx-data vectors";
		return;
	}
	d->ntx = 1 + (data ? data->coll.n : 0);
	d->tx = dh_arena_zalloc(fa, d->ntx * sizeof(*d->tx));
	if (schema && transact_form(fa, d, schema, 0))
		return;
	for (size_t i = 0; data && i < data->coll.n; i++)
		if (transact_form(fa, d, data->coll.items[i], i + 1))
			return;
}

static void
close_dataset(struct dataset *d)
{
	if (d->conn)
		dh_conn_close(d->conn);
	d->conn = NULL;
}

/* ------------------------------------------------------------ comparing */

static int
is_seq(const struct dh_edn *x)
{
	return x && (x->kind == DH_EDN_VECTOR || x->kind == DH_EDN_SET || x->kind == DH_EDN_LIST);
}

static int approx_equal(const struct dh_edn *x, const struct dh_edn *y, double eps);

/* Do items x[0..n) and y[0..n) match one to one, in any order? */
static int
bag_equal(struct dh_edn *const *x, struct dh_edn *const *y, size_t n, size_t step, double eps)
{
	int ok = 1;
	char *used = xcalloc(n ? n : 1, 1);
	for (size_t i = 0; ok && i < n; i += step) {
		size_t j;
		for (j = 0; j < n; j += step) {
			if (used[j] || !approx_equal(x[i], y[j], eps))
				continue;
			if (step == 2 && !approx_equal(x[i + 1], y[j + 1], eps))
				continue;
			break;
		}
		if (j >= n)
			ok = 0;
		else
			used[j] = 1;
	}
	free(used);
	return ok;
}

/* dh_edn_equal, but floats within a relative tolerance eps (when eps > 0). */
static int
approx_equal(const struct dh_edn *x, const struct dh_edn *y, double eps)
{
	if (eps <= 0 || !x || !y)
		return dh_edn_equal(x, y);
	if (x->kind != y->kind)
		return dh_edn_equal(x, y); /* 1 == 1N and the like */
	switch (x->kind) {
	case DH_EDN_FLOAT: {
		double a = x->d, b = y->d;
		if (isnan(a) || isnan(b) || isinf(a) || isinf(b))
			return dh_edn_equal(x, y);
		double m = fmax(1.0, fmax(fabs(a), fabs(b)));
		return fabs(a - b) <= eps * m;
	}
	case DH_EDN_LIST:
	case DH_EDN_VECTOR:
		if (x->coll.n != y->coll.n)
			return 0;
		for (size_t i = 0; i < x->coll.n; i++)
			if (!approx_equal(x->coll.items[i], y->coll.items[i], eps))
				return 0;
		return 1;
	case DH_EDN_SET:
	case DH_EDN_MAP:
		return x->coll.n == y->coll.n &&
		       bag_equal(x->coll.items, y->coll.items, x->coll.n,
				 x->kind == DH_EDN_MAP ? 2 : 1, eps);
	case DH_EDN_TAGGED:
		return strcmp(x->tagged.tag, y->tagged.tag) == 0 &&
		       approx_equal(x->tagged.val, y->tagged.val, eps);
	default:
		return dh_edn_equal(x, y);
	}
}

/* Items of a printed result, for :expect-count: rows of a relation or a
 * collection, items of a collection value, 1 for another value, 0 for nil. */
static size_t
count_of(const struct dh_edn *x)
{
	if (!x || x->kind == DH_EDN_NIL)
		return 0;
	if (x->kind == DH_EDN_MAP)
		return x->coll.n / 2;
	if (is_seq(x))
		return x->coll.n;
	return 1;
}

/* ------------------------------------------------------------ one case */

static void
diag_text(const char *label, const char *text)
{
	printf("# %s", label);
	for (const char *p = text; *p; p++) {
		putchar(*p);
		if (*p == '\n' && p[1])
			printf("#   ");
	}
	if (!*text || text[strlen(text) - 1] != '\n')
		putchar('\n');
}

static void
report(int ok, const char *name)
{
	ntest++;
	if (!ok)
		nfailed++;
	/* '#' would start a TAP directive */
	printf("%sok %d - ", ok ? "" : "not ", ntest);
	for (const char *p = name; *p; p++) {
		if (*p == '#')
			putchar('\\');
		putchar(*p == '\n' ? ' ' : *p);
	}
	putchar('\n');
}

static void
fail(const char *name, const char *query, const char *fmt, ...) DH_PRINTF(3, 4);
static void
fail(const char *name, const char *query, const char *fmt, ...)
{
	va_list ap;
	report(0, name);
	if (query)
		diag_text("query: ", query);
	printf("# ");
	va_start(ap, fmt);
	vprintf(fmt, ap);
	va_end(ap);
	putchar('\n');
}

/* Fill spec from a view map {:as-of K :since K :history true}; K indexes
 * d->tx.  Texts live in a.  Returns NULL or why not. */
static const char *
view_spec(struct dh_arena *a, const struct dh_edn *v, const struct dataset *d,
	  struct dh_view_spec *spec)
{
	memset(spec, 0, sizeof(*spec));
	spec->mode = DH_VIEW_CURRENT;
	if (!v)
		return NULL;
	if (v->kind != DH_EDN_MAP)
		return "a view is not a map";
	const struct dh_edn *asof = get(v, "as-of"), *since = get(v, "since"),
			    *hist = get(v, "history");
	const struct dh_edn *k[2] = {asof, since};
	const char **out[2] = {&spec->as_of, &spec->since};
	for (int i = 0; i < 2; i++) {
		if (!k[i])
			continue;
		if (k[i]->kind != DH_EDN_INT || k[i]->i < 0 || (size_t)k[i]->i >= d->ntx)
			return "a view's tx index is out of range";
		*out[i] = dh_arena_printf(a, "%llu", (unsigned long long)d->tx[k[i]->i]);
	}
	if (since)
		spec->mode = DH_VIEW_SINCE;
	if (hist && hist->kind == DH_EDN_BOOL && hist->b)
		spec->mode = DH_VIEW_HISTORY;
	return NULL;
}

static uint64_t
head_tx(struct dataset *d)
{
	struct dh_view_spec spec = {.mode = DH_VIEW_CURRENT};
	struct dh_snapshot *s;
	struct dh_err err = {0};
	if (dh_snapshot_open(d->conn, &spec, &s, &err))
		return 0;
	uint64_t t = dh_snapshot_view(s)->basis;
	dh_snapshot_close(s);
	return t;
}

static void
run_case(struct file *f, const struct dh_edn *c, struct dataset *sets, size_t nsets)
{
	struct dh_arena a;
	struct dh_err err = {0};
	struct dh_buf out;
	struct dh_snapshot *snaps[DH_QUERY_MAX_SOURCES] = {0};
	size_t nsnaps = 0;
	struct dataset own = {0};
	struct dataset *d;
	char *why = NULL;
	const char *qtext = NULL;
	dh_arena_init(&a);
	dh_buf_init(&out, 0);

	const struct dh_edn *namef = get(c, "name");
	const char *name = namef->kind == DH_EDN_STRING ? namef->s.p : print_form(&a, namef);
	const struct dh_edn *dsname = get(c, "dataset");
	if (dsname) {
		d = dsname->kind == DH_EDN_STRING ? find_dataset(sets, nsets, dsname->s.p) : NULL;
		if (!d) {
			fail(name, NULL, "no dataset %s earlier in %s", print_form(&a, dsname), f->path);
			goto out;
		}
	} else {
		d = &own;
		load_dataset(&a, d, c);
	}
	if (d->failed) {
		fail(name, NULL, "dataset did not load: %s", d->failed);
		goto out;
	}

	const struct dh_edn *query = subst(&a, get(c, "query"), d, &why);
	const struct dh_edn *inputs = subst(&a, get(c, "in"), d, &why);
	const struct dh_edn *expect = subst(&a, get(c, "expect"), d, &why);
	const struct dh_edn *ecount = get(c, "expect-count");
	const struct dh_edn *error = get(c, "error");
	const struct dh_edn *wantpos = get(c, "position");
	const struct dh_edn *epsf = get(c, "epsilon");
	double eps = !epsf ? 0 : epsf->kind == DH_EDN_FLOAT ? epsf->d
				: epsf->kind == DH_EDN_INT	  ? (double)epsf->i
								  : 0;
	if (why || !query || (!expect && !get(c, "expect") && !ecount && !error)) {
		fail(name, NULL, "bad case: %s", why ? why : "needs :query and :expect, :expect-count or :error");
		goto out;
	}
	if (inputs && inputs->kind != DH_EDN_VECTOR) {
		fail(name, NULL, "bad case: :in is not a vector");
		goto out;
	}

	/* the query as text of its own, so error positions are relative to it */
	qtext = print_form(&a, query);
	struct dh_edn *qform;
	size_t used;
	struct dh_query *q = NULL;
	struct dh_result r;
	struct dh_query_env env;
	memset(&env, 0, sizeof(env));
	uint64_t head0 = head_tx(d);
	int rc = dh_edn_parse(&a, qtext, strlen(qtext), &qform, &used, &err);
	if (rc == 0)
		rc = dh_query_parse(&a, qform, qtext, strlen(qtext), &q, &err);
	if (rc == 0) {
		size_t ns = dh_query_nsources(q);
		const struct dh_edn *sources = get(c, "sources");
		if (ns > DH_QUERY_MAX_SOURCES) {
			fail(name, qtext, "too many sources (%zu)", ns);
			goto out;
		}
		for (size_t i = 0; i < ns; i++) {
			const char *sn = dh_query_source_name(q, i);
			const struct dh_edn *vm = strcmp(sn, "$") == 0 ? get(c, "view")
							 : get_str(sources, sn);
			if (strcmp(sn, "$") != 0 && !vm) {
				fail(name, qtext, "bad case: no :sources entry for %s", sn);
				goto out;
			}
			struct dh_view_spec spec;
			const char *bad = view_spec(&a, vm, d, &spec);
			if (bad) {
				fail(name, qtext, "bad case: %s", bad);
				goto out;
			}
			if (dh_snapshot_open(d->conn, &spec, &snaps[nsnaps], &err)) {
				fail(name, qtext, "cannot open a snapshot for %s: %s", sn, err.message);
				goto out;
			}
			env.src[i].name = sn;
			env.src[i].view = dh_snapshot_view(snaps[nsnaps]);
			env.src[i].schema = dh_snapshot_schema(snaps[nsnaps]);
			nsnaps++;
		}
		env.nsrc = ns;
		env.nin = inputs ? inputs->coll.n : 0;
		env.in = inputs ? (const struct dh_edn *const *)inputs->coll.items : NULL;
		env.cancel = &cancel_flag;
		cancel_flag = 0;
		alarm(case_timeout);
		rc = dh_query_run(q, &env, &a, &r, &err);
		alarm(0);
	}

	if (error) {
		const char *want = error->kind == DH_EDN_STRING ? error->s.p : "?";
		int posok = !(wantpos && wantpos->kind == DH_EDN_BOOL && wantpos->b) || err.position > 0;
		uint64_t head1 = head_tx(d);
		if (rc == 0)
			fail(name, qtext, "expected: error %s\n# got: a result", want);
		else if (strcmp(err.sqlstate, want) != 0)
			fail(name, qtext, "expected: error %s\n# got: %s: %s", want, err.sqlstate,
			     err.message);
		else if (!posok)
			fail(name, qtext, "expected: an error position\n# got: %s: %s (no position)",
			     err.sqlstate, err.message);
		else if (head0 != head1)
			fail(name, qtext, "the database changed: head %llu, then %llu",
			     (unsigned long long)head0, (unsigned long long)head1);
		else
			report(1, name);
		goto out;
	}
	if (rc) {
		fail(name, qtext, "got: error %s: %s%s%s", err.sqlstate, err.message,
		     err.position ? " at character " : "",
		     err.position ? dh_arena_printf(&a, "%d", err.position) : "");
		goto out;
	}
	if (dh_result_format(&out, DH_FMT_EDN, &r)) {
		fail(name, qtext, "cannot format the result");
		goto out;
	}
	struct dh_edn *got;
	if (dh_edn_parse(&a, (const char *)out.p, out.len, &got, &used, &err)) {
		fail(name, qtext, "the printed result does not read back: %s", err.message);
		diag_text("got: ", (const char *)out.p);
		goto out;
	}
	int ok;
	if (ecount) {
		ok = ecount->kind == DH_EDN_INT && count_of(got) == (size_t)ecount->i;
	} else if ((r.shape == DH_FIND_REL || r.shape == DH_FIND_COLL) && is_seq(got) &&
		   is_seq(expect)) {
		ok = got->coll.n == expect->coll.n &&
		     bag_equal(expect->coll.items, got->coll.items, got->coll.n, 1, eps);
	} else {
		ok = approx_equal(expect, got, eps);
	}
	if (ok) {
		report(1, name);
		goto out;
	}
	report(0, name);
	diag_text("query: ", qtext);
	if (ecount)
		printf("# expected: %s items\n", print_form(&a, ecount));
	else
		diag_text("expected: ", print_form(&a, expect));
	diag_text("got: ", (const char *)out.p);
out:
	for (size_t i = 0; i < nsnaps; i++)
		dh_snapshot_close(snaps[i]);
	if (d == &own)
		close_dataset(&own);
	dh_buf_release(&out);
	dh_arena_release(&a);
	fflush(stdout);
}

/* ------------------------------------------------------------ files */

static int
load_file(struct file *f, const char *path)
{
	struct dh_err err = {0};
	memset(f, 0, sizeof(*f));
	f->path = path;
	dh_arena_init(&f->arena);
	if (read_file(path, &f->text, &f->len)) {
		printf("Bail out! cannot read '%s': %s\n", path, strerror(errno));
		return -1;
	}
	if (dh_edn_parse_all(&f->arena, f->text, f->len, &f->forms, &err)) {
		printf("Bail out! %s: character %d: %s\n", path, err.position, err.message);
		return -1;
	}
	for (size_t i = 0; i < f->forms->coll.n; i++) {
		const struct dh_edn *m = f->forms->coll.items[i];
		if (m->kind != DH_EDN_MAP || (!get(m, "name") && !get(m, "dataset"))) {
			printf("Bail out! %s: character %d: expected a case or a dataset map\n", path,
			       dh_edn_charpos(f->text, f->len, m->pos));
			return -1;
		}
		if (get(m, "name"))
			f->ncases++;
	}
	return 0;
}

static void
run_file(struct file *f)
{
	size_t n = 0;
	struct dataset *sets = dh_arena_zalloc(&f->arena, (f->forms->coll.n + 1) * sizeof(*sets));
	for (size_t i = 0; i < f->forms->coll.n; i++) {
		const struct dh_edn *m = f->forms->coll.items[i];
		if (get(m, "name")) {
			run_case(f, m, sets, n);
			continue;
		}
		const struct dh_edn *dn = get(m, "dataset");
		struct dataset *d = &sets[n++];
		d->name = dn->kind == DH_EDN_STRING ? dn->s.p : print_form(&f->arena, dn);
		load_dataset(&f->arena, d, m);
		if (d->failed)
			printf("# %s: dataset %s: %s\n", f->path, d->name, d->failed);
	}
	for (size_t i = 0; i < n; i++)
		close_dataset(&sets[i]);
}

int
main(int argc, char **argv)
{
	struct dh_err err = {0};
	int rc = 0;
	if (argc < 3) {
		fprintf(stderr, "usage: dh-datalog-t STORE FILE.edn...\n");
		return 2;
	}
	const char *t = getenv("DH_DATALOG_TIMEOUT");
	if (t && atoi(t) > 0)
		case_timeout = (unsigned)atoi(t);
	struct sigaction sa;
	memset(&sa, 0, sizeof(sa));
	sa.sa_handler = on_alarm;
	sigemptyset(&sa.sa_mask);
	sigaction(SIGALRM, &sa, NULL);

	size_t nfiles = (size_t)argc - 2, total = 0;
	struct file *files = xcalloc(nfiles, sizeof(*files));
	for (size_t i = 0; i < nfiles; i++) {
		if (load_file(&files[i], argv[i + 2])) {
			rc = 2;
			goto out;
		}
		total += files[i].ncases;
	}
	if (dh_store_open(argv[1], DH_STORE_CREATE, &store, &err)) {
		printf("Bail out! cannot open store '%s': %s\n", argv[1], err.message);
		rc = 2;
		goto out;
	}
	printf("1..%zu\n", total);
	fflush(stdout);
	for (size_t i = 0; i < nfiles; i++)
		run_file(&files[i]);
	dh_store_close(store);
	printf("# %d of %d cases failed\n", nfailed, ntest);
	rc = nfailed ? 1 : 0;
out:
	for (size_t i = 0; i < nfiles; i++) {
		dh_arena_release(&files[i].arena);
		free(files[i].text);
	}
	free(files);
	return rc;
}
