/*
 * shell: dh-query's statements (see shell.h).
 */
#include <ctype.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "dh.h"
#include "format.h"
#include "opts.h"
#include "query.h"
#include "shell.h"
#include "shell-int.h"
#include "sql.h"
#include "tx.h"

#define MAX_INPUTS 64

struct dh_shell {
	struct dh_shell_opts o;
	struct dh_store *st;
	struct dh_conn *conn;
	FILE *out, *errf;
	enum dh_format fmt;
	int fmt_set, timing;
	/* query inputs (--in, \in): forms in their own arena */
	struct dh_arena in_arena;
	size_t nin;
	const struct dh_edn *in[MAX_INPUTS];
	char *in_text[MAX_INPUTS];
	/* snapshots opened for extra sources of the running query */
	struct dh_snapshot *extra[DH_QUERY_MAX_SOURCES];
	struct dh_conn *extra_conn[DH_QUERY_MAX_SOURCES];
	int nextra;
	/* SQL: one session for the whole run, opened by the first statement */
	struct dh_sql *sql;
	/* the script being run, for psql's "dh-query:FILE:LINE: " (NULL: none) */
	const char *src;
	size_t src_line;
	/* COPY's data: the lines after the statement in a script (text from
	 * cp_pos on), else lines of cp_file (standard input, \copy's file);
	 * TO STDOUT goes to cp_out (NULL: out) */
	const char *cp_text;
	size_t cp_pos, cp_n, cp_next;
	int cp_began, cp_given, cp_ended;
	int interactive; /* dh_shell_exec's text: the terminal's */
	int cp_out_began; /* a COPY TO STDOUT wrote here: psql prints no tag */
	FILE *cp_file, *cp_out;
	char *cp_line;
	size_t cp_cap;
};

static int add_input(struct dh_shell *sh, const char *text, size_t n, struct dh_err *err);
static size_t sql_end(const char *t, size_t n, char *state);
static size_t sql_skip_space(const char *t, size_t n, size_t i);
static size_t sql_skip_comments(const char *t, size_t n, size_t i);
static int edn_start(char c);

int
dh_shell_open(const struct dh_shell_opts *o, FILE *out, FILE *errf, struct dh_shell **out_sh,
	      struct dh_err *err)
{
	struct dh_shell *sh = xcalloc(1, sizeof(*sh));
	int rc;
	sh->o = *o;
	sh->out = out;
	sh->errf = errf;
	dh_arena_init(&sh->in_arena);
	sh->fmt = o->tty ? DH_FMT_ALIGNED : DH_FMT_EDN;
	if (o->format) {
		if (dh_format_from_name(o->format, &sh->fmt)) {
			dh_err_set(err, DH_EUSAGE, "unknown format '%s'", o->format);
			dh_err_hint(err, "formats: aligned, csv, tsv, json, ndjson, edn");
			dh_arena_release(&sh->in_arena);
			free(sh);
			return DH_EUSAGE;
		}
		sh->fmt_set = 1;
	}
	for (size_t i = 0; i < o->nin; i++) {
		int r = add_input(sh, o->in[i], strlen(o->in[i]), err);
		if (r) {
			for (size_t j = 0; j < sh->nin; j++)
				free(sh->in_text[j]);
			dh_arena_release(&sh->in_arena);
			free(sh);
			return r;
		}
	}
	*out_sh = NULL;
	rc = dh_store_open(dh_opts_store(o->store),
			   DH_STORE_CREATE | (o->nosync ? DH_STORE_NOSYNC : 0), &sh->st, err);
	if (rc == 0 && dh_store_created(sh->st))
		rc = dh_db_ensure_default(sh->st, err);
	if (rc == 0)
		rc = dh_conn_open(sh->st, dh_opts_dbref(o->dbref), &sh->conn, err);
	if (rc) {
		dh_store_close(sh->st);
		for (size_t j = 0; j < sh->nin; j++)
			free(sh->in_text[j]);
		dh_arena_release(&sh->in_arena);
		free(sh);
		return rc;
	}
	*out_sh = sh;
	return 0;
}

void
dh_shell_close(struct dh_shell *sh)
{
	if (!sh)
		return;
	if (sh->sql) {
		dh_sql_close(sh->sql);
		dh_sql_shutdown();
	}
	dh_conn_close(sh->conn);
	for (size_t j = 0; j < sh->nin; j++)
		free(sh->in_text[j]);
	dh_arena_release(&sh->in_arena);
	free(sh->cp_line); /* COPY FROM STDIN's line buffer (getline's) */
	if (sh->o.nosync) {
		struct dh_err e;
		dh_store_sync(sh->st, &e);
	}
	dh_store_close(sh->st);
	free(sh);
}

void
dh_shell_help(FILE *f)
{
	fputs("Input:\n"
	      "  [tx-data ...]              transact an EDN vector of entity maps and list forms\n"
	      "  [:find ...] {:find ...}    run a Datalog query\n"
	      "  (pull pattern eid)         pull one entity\n"
	      "  anything else              SQL (PostgreSQL's dialect), up to a ';'\n"
	      "Commands:\n"
	      "  \\attrs [PREFIX]            list attributes (whose ident starts with PREFIX)\n"
	      "  \\copy T FROM|TO FILE ...  COPY T FROM STDIN / TO STDOUT with a client's file\n"
	      "  \\d[tvsi+] [PATTERN]        list or describe SQL relations, as psql does\n"
	      "  \\datoms INDEX [C ...]      datoms of eavt, aevt, avet or vaet whose leading\n"
	      "                             components equal C (EDN: ids, :idents, values)\n"
	      "  \\explain QUERY             show the plan of a Datalog query\n"
	      "  \\format [NAME]             show or set the output format: aligned, csv, tsv,\n"
	      "                             json, ndjson, edn\n"
	      "  \\in [EDN]                  add an input for the next :in element; no\n"
	      "                             argument: forget all inputs\n"
	      "  \\l                         list databases and their branches\n"
	      "  \\timing                    toggle printing how long each statement took\n"
	      "  \\?                         this help\n"
	      "  \\q                         quit\n",
	      f);
}

int
dh_shell_complete(const char *text, size_t n, char *state)
{
	size_t off = sql_skip_space(text, n, 0);
	if (state)
		*state = '-';
	if (off < n && text[off] == '\\')
		return 1; /* a backslash command is one line */
	size_t first = sql_skip_comments(text, n, off);
	if (first < n && (edn_start(text[first]) || text[first] == ';'))
		return dh_edn_complete(text, n);
	/* SQL: complete when every statement has its ';' */
	while (off < n) {
		char st;
		size_t e = sql_end(text + off, n - off, &st);
		if (st) {
			if (st == '-' && sql_skip_comments(text, n, off) == n)
				return 1;
			if (state)
				*state = st;
			return 0;
		}
		off = sql_skip_space(text, n, off + e);
	}
	return 1;
}

static void
print_datom(struct dh_shell *sh, const struct dh_schema *s, const struct dh_datom *d,
	    struct dh_buf *b)
{
	const struct dh_ident *a = dh_schema_entity(s, d->a);
	dh_buf_reset(b);
	dh_buf_printf(b, "[%llu ", (unsigned long long)d->e);
	if (a)
		dh_buf_printf(b, ":%s ", a->ident);
	else
		dh_buf_printf(b, "%llu ", (unsigned long long)d->a);
	dh_value_print_edn(b, &d->v);
	dh_buf_printf(b, " %llu %s]", (unsigned long long)d->tx, d->added ? "true" : "false");
	fwrite(b->p, 1, b->len, sh->out);
}

static int
show_error(struct dh_shell *sh, const struct dh_err *e, const char *text, size_t n)
{
	dh_print_error(sh->errf, NULL, e, text, n);
	return 1;
}

static int
run_tx(struct dh_shell *sh, const struct dh_edn *x, const char *text, size_t n)
{
	struct dh_arena a;
	struct dh_tx_report r;
	struct dh_err e;
	struct dh_buf b;
	dh_err_clear(&e);
	if (sh->o.as_of || sh->o.since || sh->o.history) {
		dh_err_set(&e, DH_EREADONLY,
			   "cannot transact into a view of the past (--as-of, --since, --history)");
		return show_error(sh, &e, NULL, 0);
	}
	dh_arena_init(&a);
	int rc = dh_transact(sh->conn, x, text, n, &a, &r, &e);
	if (rc) {
		dh_arena_release(&a);
		return show_error(sh, &e, text, n);
	}
	/* idents of attributes installed by this very tx need a fresh schema */
	struct dh_snapshot *snap;
	if ((rc = dh_snapshot_open(sh->conn, NULL, &snap, &e))) {
		dh_arena_release(&a);
		return show_error(sh, &e, NULL, 0);
	}
	const struct dh_schema *s = dh_snapshot_schema(snap);
	char inst[DH_INSTANT_STRLEN];
	dh_instant_format(r.instant, inst);
	fprintf(sh->out, "{:tx %llu,\n :instant #inst \"%s\",\n :tempids {",
		(unsigned long long)r.tx, inst);
	dh_buf_init(&b, 0);
	for (size_t i = 0; i < r.ntempids; i++) {
		dh_buf_reset(&b);
		struct dh_value v = {.type = DH_T_STRING, .s = {r.tempids[i].name,
								strlen(r.tempids[i].name)}};
		dh_value_print_edn(&b, &v);
		fprintf(sh->out, "%s%s %llu", i ? ", " : "", (const char *)b.p,
			(unsigned long long)r.tempids[i].e);
	}
	fputs("},\n :datoms [", sh->out);
	for (size_t i = 0; i < r.ndatoms; i++) {
		if (i)
			fputs("\n          ", sh->out);
		print_datom(sh, s, &r.datoms[i], &b);
	}
	fputs("]}\n", sh->out);
	fflush(sh->out);
	dh_buf_release(&b);
	dh_snapshot_close(snap);
	dh_arena_release(&a);
	return 0;
}

static int
cmd_datoms(struct dh_shell *sh, const char *args, size_t n)
{
	struct dh_arena a, rows;
	struct dh_err e;
	struct dh_snapshot *snap = NULL;
	struct dh_iter *it = NULL;
	struct dh_buf b;
	struct dh_edn *forms[4];
	int nf = 0, rc;
	size_t off = 0;
	dh_err_clear(&e);
	dh_arena_init(&a);
	dh_arena_init(&rows);
	dh_buf_init(&b, 0);
	/* the index name */
	while (off < n && isspace((unsigned char)args[off]))
		off++;
	size_t s0 = off;
	while (off < n && !isspace((unsigned char)args[off]))
		off++;
	char iname[16];
	enum dh_index idx;
	snprintf(iname, sizeof(iname), "%.*s", (int)(off - s0), args + s0);
	if (off == s0 || dh_index_from_name(iname, &idx)) {
		dh_err_set(&e, DH_EUSAGE, "\\datoms needs an index: eavt, aevt, avet or vaet");
		rc = show_error(sh, &e, NULL, 0);
		goto out;
	}
	while (off < n) {
		struct dh_edn *x;
		size_t used;
		if ((rc = dh_edn_parse(&a, args + off, n - off, &x, &used, &e))) {
			rc = show_error(sh, &e, NULL, 0);
			goto out;
		}
		off += used;
		if (!x)
			break;
		if (nf == 3) {
			dh_err_set(&e, DH_EUSAGE, "\\datoms takes at most three components");
			rc = show_error(sh, &e, NULL, 0);
			goto out;
		}
		forms[nf++] = x;
	}
	struct dh_view_spec spec = {.mode = sh->o.history ? DH_VIEW_HISTORY
					    : sh->o.since  ? DH_VIEW_SINCE
							   : DH_VIEW_CURRENT,
				    .as_of = sh->o.as_of,
				    .since = sh->o.since};
	if ((rc = dh_snapshot_open(sh->conn, &spec, &snap, &e))) {
		rc = show_error(sh, &e, NULL, 0);
		goto out;
	}
	const struct dh_schema *s = dh_snapshot_schema(snap);
	static const char order[DH_INDEX__COUNT][3] = {
		{'e', 'a', 'v'}, {'a', 'e', 'v'}, {'a', 'v', 'e'}, {'v', 'a', 'e'}};
	struct dh_datom pat = {0};
	const struct dh_attr *attr = NULL;
	for (int i = 0; i < nf; i++) {
		struct dh_edn *x = forms[i];
		char which = order[idx][i];
		if (which == 'a') {
			if (x->kind == DH_EDN_KEYWORD)
				attr = dh_schema_attr(s, x->s.p, x->s.n);
			else if (x->kind == DH_EDN_INT)
				attr = dh_schema_attr_id(s, (uint64_t)x->i);
			if (!attr) {
				struct dh_buf t;
				dh_buf_init(&t, 200);
				dh_edn_print(&t, x);
				dh_err_set(&e, DH_ENOATTR, "attribute %s does not exist",
					   (const char *)t.p);
				dh_buf_release(&t);
				rc = show_error(sh, &e, NULL, 0);
				goto out;
			}
			pat.a = attr->id;
		} else if (which == 'e' || (which == 'v' && idx == DH_VAET)) {
			uint64_t id = 0;
			if (x->kind == DH_EDN_INT && x->i > 0) {
				id = (uint64_t)x->i;
			} else if (x->kind == DH_EDN_KEYWORD) {
				const struct dh_ident *d = dh_schema_ident(s, x->s.p, x->s.n);
				if (d)
					id = d->e;
			}
			if (!id) {
				dh_err_set(&e, DH_ENOENTITY,
					   "\\datoms: component %d must be an entity id or an ident",
					   i + 1);
				rc = show_error(sh, &e, NULL, 0);
				goto out;
			}
			if (which == 'e')
				pat.e = id;
			else
				pat.v = (struct dh_value){.type = DH_T_REF, .ref = id};
		} else {
			enum dh_type t = attr ? attr->type : DH_T_NONE;
			if (t == DH_T_REF && x->kind == DH_EDN_KEYWORD) {
				const struct dh_ident *d = dh_schema_ident(s, x->s.p, x->s.n);
				x = &(struct dh_edn){.kind = DH_EDN_INT, .i = d ? (int64_t)d->e : 0};
			}
			if ((rc = dh_tx_value(x, t, &a, &pat.v, &e))) {
				rc = show_error(sh, &e, NULL, 0);
				goto out;
			}
		}
	}
	/* rows decode into their own arena, freed as the scan goes, so a scan
	 * of the whole store runs in constant memory */
	if ((rc = dh_iter_open(dh_snapshot_view(snap), idx, &pat, nf, &rows, &it, &e))) {
		rc = show_error(sh, &e, NULL, 0);
		goto out;
	}
	struct dh_datom d;
	unsigned long count = 0;
	while ((rc = dh_iter_next(it, &d, &e)) == 1) {
		print_datom(sh, s, &d, &b);
		fputc('\n', sh->out);
		if (++count % 4096 == 0)
			dh_arena_release(&rows);
	}
	rc = rc < 0 ? show_error(sh, &e, NULL, 0) : 0;
	fflush(sh->out);
out:
	dh_iter_close(it);
	dh_snapshot_close(snap);
	dh_buf_release(&b);
	dh_arena_release(&rows);
	dh_arena_release(&a);
	return rc;
}

/* --- queries --- */

static int
add_input(struct dh_shell *sh, const char *text, size_t n, struct dh_err *err)
{
	struct dh_edn *x;
	size_t used;
	if (sh->nin == MAX_INPUTS)
		return dh_err_set(err, DH_EUSAGE, "too many inputs (at most %d)", MAX_INPUTS);
	char *copy = xstrndup(text, n);
	int rc = dh_edn_parse(&sh->in_arena, copy, n, &x, &used, err);
	if (rc == 0 && !x)
		rc = dh_err_set(err, DH_EUSAGE, "an input needs an EDN value");
	if (rc == 0 && used < n) {
		size_t i = used;
		while (i < n && (text[i] == ' ' || text[i] == '\t' || text[i] == '\n' || text[i] == ','))
			i++;
		if (i < n)
			rc = dh_err_set(err, DH_EUSAGE, "an input is one EDN value; found more after it");
	}
	if (rc) {
		free(copy);
		return rc;
	}
	sh->in_text[sh->nin] = copy;
	sh->in[sh->nin++] = x;
	return 0;
}

static struct dh_view_spec
shell_spec(struct dh_shell *sh)
{
	struct dh_view_spec spec = {.mode = sh->o.history ? DH_VIEW_HISTORY
					    : sh->o.since  ? DH_VIEW_SINCE
							   : DH_VIEW_CURRENT,
				    .as_of = sh->o.as_of,
				    .since = sh->o.since};
	return spec;
}

/* Open an extra source ($before ...) from an input form: an integer or an
 * instant (as of that point on this branch), a string "db:branch", or a
 * map {:db "name" :branch "b" :as-of t :since t :history true}. */
static int
open_source(void *ctx, const struct dh_edn *spec, struct dh_source *out, struct dh_err *err)
{
	struct dh_shell *sh = ctx;
	char asof[64] = "", since[64] = "", ref[2 * DH_NAME_MAX + 2] = "";
	struct dh_view_spec vs = {.mode = DH_VIEW_CURRENT};
	const struct dh_edn *t = NULL, *db = NULL, *br = NULL, *si = NULL, *hi = NULL;
	if (sh->nextra == DH_QUERY_MAX_SOURCES)
		return dh_err_set(err, DH_EUSAGE, "too many sources");
	if (spec->kind == DH_EDN_MAP) {
		t = dh_edn_map_get(spec, "as-of");
		db = dh_edn_map_get(spec, "db");
		br = dh_edn_map_get(spec, "branch");
		si = dh_edn_map_get(spec, "since");
		hi = dh_edn_map_get(spec, "history");
	} else if (spec->kind == DH_EDN_STRING) {
		snprintf(ref, sizeof(ref), "%s", spec->s.p);
	} else {
		t = spec;
	}
	const struct dh_edn *times[2] = {t, si};
	char *bufs[2] = {asof, since};
	for (int i = 0; i < 2; i++) {
		const struct dh_edn *x = times[i];
		if (!x)
			continue;
		if (x->kind == DH_EDN_INT)
			snprintf(bufs[i], 64, "%lld", (long long)x->i);
		else if (x->kind == DH_EDN_TAGGED && strcmp(x->tagged.tag, "inst") == 0 &&
			 x->tagged.val->kind == DH_EDN_STRING)
			snprintf(bufs[i], 64, "%s", x->tagged.val->s.p);
		else if (x->kind == DH_EDN_STRING)
			snprintf(bufs[i], 64, "%s", x->s.p);
		else
			return dh_err_set(err, DH_EUSAGE,
					  "a source input is a tx id, an #inst, \"db:branch\" or a map "
					  "{:db :branch :as-of :since :history}");
	}
	if (db || br)
		snprintf(ref, sizeof(ref), "%s%s%s", db && db->kind == DH_EDN_STRING ? db->s.p
							: dh_conn_db(sh->conn),
			 ":", br && br->kind == DH_EDN_STRING ? br->s.p : "main");
	if (asof[0])
		vs.as_of = asof;
	if (since[0]) {
		vs.since = since;
		vs.mode = DH_VIEW_SINCE;
	}
	if (hi && hi->kind == DH_EDN_BOOL && hi->b)
		vs.mode = DH_VIEW_HISTORY;
	struct dh_conn *c = sh->conn;
	struct dh_conn *own = NULL;
	int rc;
	if (ref[0]) {
		if ((rc = dh_conn_open(sh->st, ref, &own, err)))
			return rc;
		c = own;
	}
	struct dh_snapshot *snap;
	if ((rc = dh_snapshot_open(c, &vs, &snap, err))) {
		dh_conn_close(own);
		return rc;
	}
	sh->extra[sh->nextra] = snap;
	sh->extra_conn[sh->nextra++] = own;
	out->name = "";
	out->view = dh_snapshot_view(snap);
	out->schema = dh_snapshot_schema(snap);
	return 0;
}

static void
close_extra(struct dh_shell *sh)
{
	for (int i = 0; i < sh->nextra; i++) {
		dh_snapshot_close(sh->extra[i]);
		dh_conn_close(sh->extra_conn[i]);
	}
	sh->nextra = 0;
}

static void
print_timing(struct dh_shell *sh, uint64_t t0)
{
	if (sh->timing)
		fprintf(sh->out, "Time: %.3f ms\n", (double)(dh_mono_ns() - t0) / 1e6);
}

static int
run_query(struct dh_shell *sh, const struct dh_edn *x, const char *text, size_t n, int explain)
{
	struct dh_arena a;
	struct dh_err e;
	struct dh_query *q;
	struct dh_snapshot *snap = NULL;
	struct dh_buf b;
	uint64_t t0 = dh_mono_ns();
	int rc;
	dh_err_clear(&e);
	dh_arena_init(&a);
	dh_buf_init(&b, 0);
	if ((rc = dh_query_parse(&a, x, text, n, &q, &e)))
		goto fail;
	struct dh_view_spec spec = shell_spec(sh);
	if ((rc = dh_snapshot_open(sh->conn, &spec, &snap, &e)))
		goto fail_nopos;
	struct dh_query_env env = {.nsrc = 1, .nin = sh->nin, .in = sh->in,
				   .cancel = sh->o.cancel, .open_source = open_source,
				   .open_ctx = sh};
	env.src[0] = (struct dh_source){"$", dh_snapshot_view(snap), dh_snapshot_schema(snap)};
	if (explain) {
		if ((rc = dh_query_explain(q, &env, &a, &b, &e)))
			goto fail;
	} else {
		struct dh_result r;
		if ((rc = dh_query_run(q, &env, &a, &r, &e)))
			goto fail;
		if ((rc = dh_result_format(&b, sh->fmt, &r))) {
			dh_err_set(&e, rc, "result is too large to print");
			goto fail_nopos;
		}
	}
	fwrite(b.p, 1, b.len, sh->out);
	print_timing(sh, t0);
	fflush(sh->out);
	rc = 0;
	goto out;
fail:
	rc = show_error(sh, &e, text, n);
	goto out;
fail_nopos:
	rc = show_error(sh, &e, NULL, 0);
out:
	close_extra(sh);
	dh_snapshot_close(snap);
	dh_buf_release(&b);
	dh_arena_release(&a);
	return rc;
}

static int
cmd_explain(struct dh_shell *sh, const char *args, size_t n)
{
	struct dh_arena a;
	struct dh_err e;
	struct dh_edn *x;
	size_t used;
	dh_arena_init(&a);
	dh_err_clear(&e);
	int rc = dh_edn_parse(&a, args, n, &x, &used, &e);
	if (rc == 0 && !dh_query_form_is_query(x))
		rc = dh_err_set(&e, DH_EUSAGE, "\\explain needs a Datalog query");
	if (rc)
		rc = show_error(sh, &e, args, n);
	else
		rc = run_query(sh, x, args, n, 1);
	dh_arena_release(&a);
	return rc;
}

static int
cmd_format(struct dh_shell *sh, const char *args, size_t n)
{
	while (n && isspace((unsigned char)*args))
		args++, n--;
	while (n && isspace((unsigned char)args[n - 1]))
		n--;
	if (n == 0) {
		fprintf(sh->out, "Output format is %s.\n", dh_format_name(sh->fmt));
		return 0;
	}
	char name[32];
	snprintf(name, sizeof(name), "%.*s", (int)(n > 31 ? 31 : n), args);
	if (dh_format_from_name(name, &sh->fmt)) {
		struct dh_err e;
		dh_err_set(&e, DH_EUSAGE, "unknown format '%s'", name);
		dh_err_hint(&e, "formats: aligned, csv, tsv, json, ndjson, edn");
		return show_error(sh, &e, NULL, 0);
	}
	sh->fmt_set = 1;
	fprintf(sh->out, "Output format is %s.\n", dh_format_name(sh->fmt));
	return 0;
}

static int
cmd_in(struct dh_shell *sh, const char *args, size_t n)
{
	size_t i = 0;
	while (i < n && isspace((unsigned char)args[i]))
		i++;
	if (i == n) {
		for (size_t j = 0; j < sh->nin; j++)
			free(sh->in_text[j]);
		sh->nin = 0;
		fputs("Inputs cleared.\n", sh->out);
		return 0;
	}
	struct dh_err e;
	dh_err_clear(&e);
	if (add_input(sh, args + i, n - i, &e))
		return show_error(sh, &e, args + i, n - i);
	fprintf(sh->out, "Input %zu set.\n", sh->nin);
	return 0;
}

/* \attrs: the attributes as a table, through the result printer */
static int
cmd_attrs(struct dh_shell *sh, const char *args, size_t n)
{
	struct dh_snapshot *snap;
	struct dh_err e;
	struct dh_arena a;
	struct dh_buf b;
	size_t i = 0;
	while (i < n && isspace((unsigned char)args[i]))
		i++;
	const char *prefix = args + i;
	size_t pn = n - i;
	while (pn && isspace((unsigned char)prefix[pn - 1]))
		pn--;
	if (pn && prefix[0] == ':')
		prefix++, pn--;
	struct dh_view_spec spec = shell_spec(sh);
	if (spec.mode != DH_VIEW_CURRENT)
		spec.mode = DH_VIEW_CURRENT;
	if (dh_snapshot_open(sh->conn, &spec, &snap, &e))
		return show_error(sh, &e, NULL, 0);
	const struct dh_schema *s = dh_snapshot_schema(snap);
	dh_arena_init(&a);
	static const char *cols[] = {"attribute", "type", "cardinality", "unique", "index",
				     "component", "doc"};
	size_t cap = s->cap ? s->cap : 1, nr = 0;
	struct dh_value *rows = dh_arena_zalloc(&a, cap * 7 * sizeof(*rows));
	for (size_t k = 0; k < s->cap; k++) {
		const struct dh_ident *id = &s->idents[k];
		if (!id->ident || !id->attr)
			continue;
		if (pn && strncmp(id->ident, prefix, pn) != 0)
			continue;
		if (!pn && strncmp(id->ident, "db", 2) == 0 &&
		    (id->ident[2] == '/' || id->ident[2] == '.'))
			continue; /* the system schema only when asked for */
		const struct dh_attr *at = id->attr;
		struct dh_value *r = &rows[nr++ * 7];
		r[0] = (struct dh_value){.type = DH_T_KEYWORD, .s = {at->ident, strlen(at->ident)}};
		const char *tn = at->type ? dh_type_name(at->type) : "any";
		r[1] = (struct dh_value){.type = DH_T_STRING, .s = {tn, strlen(tn)}};
		r[2] = (struct dh_value){.type = DH_T_STRING,
					 .s = {at->many ? "many" : "one", at->many ? 4 : 3}};
		const char *u = at->unique == DH_UNIQUE_IDENTITY ? "identity"
				: at->unique == DH_UNIQUE_VALUE  ? "value"
								 : "";
		r[3] = u[0] ? (struct dh_value){.type = DH_T_STRING, .s = {u, strlen(u)}}
			    : (struct dh_value){.type = DH_T_NONE};
		r[4] = (struct dh_value){.type = DH_T_BOOL, .b = at->index};
		r[5] = (struct dh_value){.type = DH_T_BOOL, .b = at->component};
		r[6] = at->doc ? (struct dh_value){.type = DH_T_STRING,
						   .s = {at->doc, strlen(at->doc)}}
			       : (struct dh_value){.type = DH_T_NONE};
	}
	struct dh_result r = {.shape = DH_FIND_REL, .ncols = 7, .cols = cols, .nrows = nr,
			      .rows = rows};
	dh_buf_init(&b, 0);
	/* a listing reads best as a table unless a format was chosen */
	dh_result_format(&b, sh->fmt_set || !sh->o.tty ? sh->fmt : DH_FMT_ALIGNED, &r);
	fwrite(b.p, 1, b.len, sh->out);
	fflush(sh->out);
	dh_buf_release(&b);
	dh_arena_release(&a);
	dh_snapshot_close(snap);
	return 0;
}

/* --- SQL --- */

/* psql's lexer, as far as finding statements goes: where the statement
 * starting at text ends (just past its ';' outside quotes, comments,
 * dollar quotes and parentheses), and *state: 0 when it ended, else what
 * it is inside for the prompt ('-' plain, '\'' a string, '"' a quoted
 * name, '$' a dollar quote, '*' a comment, '(' parentheses). */
static size_t
sql_end(const char *t, size_t n, char *state)
{
	size_t i = 0;
	int depth = 0;
	*state = '-';
	while (i < n) {
		char c = t[i];
		if (c == '-' && i + 1 < n && t[i + 1] == '-') {
			while (i < n && t[i] != '\n')
				i++;
		} else if (c == '/' && i + 1 < n && t[i + 1] == '*') {
			int nest = 1;
			i += 2;
			while (i < n && nest) {
				if (t[i] == '/' && i + 1 < n && t[i + 1] == '*')
					nest++, i += 2;
				else if (t[i] == '*' && i + 1 < n && t[i + 1] == '/')
					nest--, i += 2;
				else
					i++;
			}
			if (nest) {
				*state = '*';
				return n;
			}
		} else if (c == '\'' || c == '"') {
			/* E'...' takes backslash escapes; '' and "" are the quote */
			int esc = c == '\'' && i > 0 && (t[i - 1] == 'E' || t[i - 1] == 'e') &&
				  (i == 1 || !(isalnum((unsigned char)t[i - 2]) || t[i - 2] == '_'));
			i++;
			for (;;) {
				if (i >= n) {
					*state = c;
					return n;
				}
				if (esc && t[i] == '\\' && i + 1 < n) {
					i += 2;
				} else if (t[i] == c) {
					if (i + 1 < n && t[i + 1] == c) {
						i += 2;
						continue;
					}
					i++;
					break;
				} else {
					i++;
				}
			}
		} else if (c == '$' && !(i > 0 && (isalnum((unsigned char)t[i - 1]) ||
						     t[i - 1] == '_' || t[i - 1] == '$'))) {
			/* $tag$ ... $tag$; $1 is a parameter */
			size_t k = i + 1;
			while (k < n && (isalnum((unsigned char)t[k]) || t[k] == '_' ||
					 (unsigned char)t[k] >= 0x80))
				k++;
			if (k < n && t[k] == '$' && !isdigit((unsigned char)t[i + 1])) {
				size_t tl = k + 1 - i;
				const char *tag = t + i;
				i = k + 1;
				for (;;) {
					if (i + tl > n) {
						*state = '$';
						return n;
					}
					if (memcmp(t + i, tag, tl) == 0) {
						i += tl;
						break;
					}
					i++;
				}
			} else {
				i++;
			}
		} else if (c == '(') {
			depth++, i++;
		} else if (c == ')') {
			if (depth)
				depth--;
			i++;
		} else if (c == ';' && depth == 0) {
			*state = 0;
			return i + 1;
		} else {
			i++;
		}
	}
	if (depth)
		*state = '(';
	return n;
}

/* Skip blanks and "--" comments (psql drops them before a statement). */
static size_t
sql_skip_space(const char *t, size_t n, size_t i)
{
	for (;;) {
		while (i < n && isspace((unsigned char)t[i]))
			i++;
		if (i + 1 < n && t[i] == '-' && t[i + 1] == '-') {
			while (i < n && t[i] != '\n')
				i++;
			continue;
		}
		return i;
	}
}

/* Also skip block comments: where the first token starts. */
static size_t
sql_skip_comments(const char *t, size_t n, size_t i)
{
	for (;;) {
		i = sql_skip_space(t, n, i);
		if (i + 1 < n && t[i] == '/' && t[i + 1] == '*') {
			size_t j = i;
			/* the comment alone: scan it as a statement would */
			int nest = 1;
			j += 2;
			while (j < n && nest) {
				if (t[j] == '/' && j + 1 < n && t[j + 1] == '*')
					nest++, j += 2;
				else if (t[j] == '*' && j + 1 < n && t[j + 1] == '/')
					nest--, j += 2;
				else
					j++;
			}
			i = j;
			continue;
		}
		return i;
	}
}

/* Does a form of EDN (tx-data, a query, a pull) start here? */
static int
edn_start(char c)
{
	return c && strchr("[{(#:", c) != NULL;
}

/* psql's "psql:FILE:LINE: " before messages of a script */
static void
msg_prefix(struct dh_shell *sh)
{
	if (sh->src)
		fprintf(sh->errf, "dh-query:%s:%zu: ", sh->src, sh->src_line);
}

/* Display width of the UTF-8 character at s (PostgreSQL's, as format.c
 * computes it), and its length in bytes. */
static size_t
char_len(const char *s, size_t n)
{
	size_t k = 1;
	while (k < n && ((unsigned char)s[k] & 0xc0) == 0x80)
		k++;
	return k;
}

/* libpq's reportErrorPosition: the line holding the error position, cut
 * to about 60 columns around it, and a caret under the character. */
static void
print_position(FILE *f, const char *q, size_t qn, int position)
{
	enum { DISPLAY_SIZE = 60, MIN_RIGHT_CUT = 10 };
	size_t loc = (size_t)position - 1, nch = 0;
	/* character starts and screen columns, up to the end of loc's line */
	size_t *qidx = xcalloc(qn + 2, sizeof(*qidx)), *scr = xcalloc(qn + 2, sizeof(*scr));
	size_t off = 0, col = 0, line = 1, ibeg = 0, iend = (size_t)-1, cno;
	for (cno = 0; off < qn; cno++) {
		char ch = q[off];
		qidx[cno] = off;
		scr[cno] = col;
		if (ch == '\r' || ch == '\n') {
			if (cno < loc) {
				if (ch == '\r' || cno == 0 || q[qidx[cno - 1]] != '\r')
					line++;
				ibeg = cno + 1;
			} else {
				iend = cno;
				break;
			}
		}
		size_t k = char_len(q + off, qn - off);
		col += dh_text_width(q + off, k) ? dh_text_width(q + off, k) : 1;
		off += k;
	}
	if (iend == (size_t)-1) {
		iend = cno;
		qidx[iend] = off;
		scr[iend] = col;
	}
	nch = cno;
	if (loc <= nch) {
		int beg_trunc = 0, end_trunc = 0;
		if (scr[iend] - scr[ibeg] > DISPLAY_SIZE) {
			if (scr[ibeg] + DISPLAY_SIZE >= scr[loc] + MIN_RIGHT_CUT) {
				while (scr[iend] - scr[ibeg] > DISPLAY_SIZE)
					iend--;
				end_trunc = 1;
			} else {
				while (scr[loc] + MIN_RIGHT_CUT < scr[iend]) {
					iend--;
					end_trunc = 1;
				}
				while (scr[iend] - scr[ibeg] > DISPLAY_SIZE) {
					ibeg++;
					beg_trunc = 1;
				}
			}
		}
		char head[32];
		int hn = snprintf(head, sizeof(head), "LINE %zu: %s", line, beg_trunc ? "..." : "");
		fputs(head, f);
		/* tabs show as blanks */
		for (size_t i = qidx[ibeg]; i < qidx[iend]; i++)
			fputc(q[i] == '\t' ? ' ' : q[i], f);
		fprintf(f, "%s\n%*s^\n", end_trunc ? "..." : "", hn + (int)(scr[loc] - scr[ibeg]), "");
	}
	free(qidx);
	free(scr);
}

/* NOTICEs and WARNINGs as psql prints them (default verbosity): the
 * severity and message, DETAIL, HINT; a detail's further lines as they
 * are. */
static void
sql_notices(struct dh_shell *sh, const struct dh_sql_notice *n, size_t count)
{
	if (!count)
		return;
	fflush(sh->out);
	for (size_t i = 0; i < count; i++) {
		msg_prefix(sh);
		fprintf(sh->errf, "%s:  %s\n", n[i].severity, n[i].message);
		if (n[i].detail)
			fprintf(sh->errf, "DETAIL:  %s\n", n[i].detail);
		if (n[i].hint)
			fprintf(sh->errf, "HINT:  %s\n", n[i].hint);
	}
	fflush(sh->errf);
}

/* An error as psql prints it (default verbosity): ERROR, the position,
 * DETAIL, HINT, CONTEXT; the notices of the failed statement first. */
static int
sql_error(struct dh_shell *sh, const struct dh_err *e, const char *q, size_t qn)
{
	if (sh->sql) {
		const struct dh_sql_notice *n;
		size_t count = dh_sql_notices(sh->sql, &n);
		sql_notices(sh, n, count);
	}
	fflush(sh->out);
	msg_prefix(sh);
	fprintf(sh->errf, "ERROR:  %s\n", e->message);
	if (e->position > 0 && q)
		print_position(sh->errf, q, qn, e->position);
	if (e->detail[0])
		fprintf(sh->errf, "DETAIL:  %s\n", e->detail);
	if (e->hint[0])
		fprintf(sh->errf, "HINT:  %s\n", e->hint);
	if (e->context[0])
		fprintf(sh->errf, "CONTEXT:  %s\n", e->context);
	fflush(sh->errf);
	return 1;
}

/* psql right-aligns the numeric types */
static int
oid_numeric(uint32_t oid)
{
	switch (oid) {
	case 20: case 21: case 23:   /* int8 int2 int4 */
	case 26: case 28: case 29:   /* oid xid cid */
	case 700: case 701: case 790: /* float4 float8 money */
	case 1700: case 5069:        /* numeric xid8 */
		return 1;
	default:
		return 0;
	}
}

/* Print one statement's result as psql does: its notices, then rows as
 * a table, or the command tag (also after the rows of INSERT/UPDATE/DELETE
 * ... RETURNING). */
static int
sql_print(void *ctx, const struct dh_sql_result *r)
{
	struct dh_shell *sh = ctx;
	sql_notices(sh, r->notices, r->nnotices);
	if (r->ncols > 0) {
		const char **names = xcalloc((size_t)r->ncols, sizeof(*names));
		int *num = xcalloc((size_t)r->ncols, sizeof(*num));
		int *isbool = xcalloc((size_t)r->ncols, sizeof(*isbool));
		for (int j = 0; j < r->ncols; j++) {
			names[j] = r->cols[j].name;
			num[j] = oid_numeric(r->cols[j].type_oid);
			isbool[j] = r->cols[j].type_oid == 16;
		}
		struct dh_rows t = {(size_t)r->ncols, r->nrows, names, num, isbool, r->cells};
		struct dh_buf b;
		dh_buf_init(&b, 0);
		dh_rows_format(&b, sh->fmt_set ? sh->fmt : DH_FMT_ALIGNED, &t);
		fwrite(b.p, 1, b.len, sh->out);
		dh_buf_release(&b);
		free(names);
		free(num);
		free(isbool);
		if (strncmp(r->tag, "INSERT", 6) == 0 || strncmp(r->tag, "UPDATE", 6) == 0 ||
		    strncmp(r->tag, "DELETE", 6) == 0 || strncmp(r->tag, "MERGE", 5) == 0)
			fprintf(sh->out, "%s\n", r->tag);
	} else if (sh->cp_out_began && !sh->cp_out && strncmp(r->tag, "COPY ", 5) == 0) {
		/* psql: no status where the COPY's data just went */
		sh->cp_out_began = 0;
	} else {
		fprintf(sh->out, "%s\n", r->tag);
	}
	fflush(sh->out);
	return 0;
}

/* --- COPY's data (struct dh_sql_copy) --- */

/* The end of the line that starts at i (after its newline). */
static size_t
line_after(const char *t, size_t n, size_t i)
{
	while (i < n && t[i] != '\n')
		i++;
	return i < n ? i + 1 : n;
}

/* psql's end of COPY data: a line that is just "\." */
static int
is_end_line(const char *l, size_t n)
{
	return (n == 3 && memcmp(l, "\\.\n", 3) == 0) || (n == 4 && memcmp(l, "\\.\r\n", 4) == 0);
}

static int
copy_begin_in(void *ctx, int ncols, int format, struct dh_err *err)
{
	struct dh_shell *sh = ctx;
	(void)ncols;
	(void)format;
	(void)err;
	sh->cp_began = 1;
	if (sh->cp_text) {
		/* the data: the script's lines up to "\." (sent too, as psql
		 * sends it), or to its end */
		size_t i = sh->cp_pos;
		while (i < sh->cp_n) {
			size_t e = line_after(sh->cp_text, sh->cp_n, i);
			sh->src_line++;
			int end = is_end_line(sh->cp_text + i, e - i);
			i = e;
			if (end)
				break;
		}
		sh->cp_next = i;
	} else if (sh->cp_file == stdin && sh->o.tty && !sh->src) {
		fprintf(sh->out, "Enter data to be copied followed by a newline.\n"
				 "End with a backslash and a period on a line by itself, or an "
				 "EOF signal.\n");
		fflush(sh->out);
	}
	return 0;
}

static int
copy_read(void *ctx, const char **p, size_t *n, struct dh_err *err)
{
	struct dh_shell *sh = ctx;
	(void)err;
	if (sh->cp_text) {
		if (sh->cp_given)
			return 0;
		sh->cp_given = 1;
		*p = sh->cp_text + sh->cp_pos;
		*n = sh->cp_next - sh->cp_pos;
		return 1;
	}
	if (!sh->cp_file || sh->cp_ended)
		return 0;
	ssize_t got = getline(&sh->cp_line, &sh->cp_cap, sh->cp_file);
	if (got <= 0) {
		sh->cp_ended = 1;
		return 0;
	}
	/* psql stops at a line "\." in a file too (and sends it) */
	if (is_end_line(sh->cp_line, (size_t)got))
		sh->cp_ended = 1;
	*p = sh->cp_line;
	*n = (size_t)got;
	return 1;
}

static int
copy_begin_out(void *ctx, int ncols, int format, struct dh_err *err)
{
	struct dh_shell *sh = ctx;
	sh->cp_out_began = 1;
	(void)ncols;
	(void)format;
	(void)err;
	return 0;
}

static int
copy_write(void *ctx, const char *p, size_t n, struct dh_err *err)
{
	struct dh_shell *sh = ctx;
	FILE *f = sh->cp_out ? sh->cp_out : sh->out;
	if (fwrite(p, 1, n, f) != n)
		return dh_err_set(err, DH_EIO, "could not write COPY data: %s", strerror(errno));
	return 0;
}

static const struct dh_sql_copy copy_hooks = {copy_begin_in, copy_read, copy_begin_out,
					      copy_write};

/* The SQL session, opened on first use. */
static int
sql_session(struct dh_shell *sh, struct dh_err *e)
{
	if (!sh->sql) {
		char ref[2 * DH_NAME_MAX + 2];
		snprintf(ref, sizeof(ref), "%s:%s", dh_conn_db(sh->conn), dh_conn_branch(sh->conn));
		int rc = dh_sql_open(sh->st, ref, &sh->sql, e);
		if (rc)
			return rc;
		dh_sql_set_cancel(sh->sql, sh->o.cancel);
		dh_sql_set_copy(sh->sql, &copy_hooks, sh);
	}
	return 0;
}

/* Run q as one simple query in the session. */
static int
run_sql(struct dh_shell *sh, const char *q, size_t qn)
{
	struct dh_err e;
	dh_err_clear(&e);
	if (sql_session(sh, &e))
		return sql_error(sh, &e, NULL, 0);
	uint64_t t0 = dh_mono_ns();
	if (sh->o.cancel)
		*sh->o.cancel = 0;
	sh->cp_began = sh->cp_given = sh->cp_ended = sh->cp_out_began = 0;
	int rc = dh_sql_exec(sh->sql, q, qn, sql_print, sh, &e);
	/* what a failed COPY FROM STDIN left of standard input's data */
	if (sh->cp_began && !sh->cp_text && sh->cp_file == stdin) {
		const char *p;
		size_t n;
		while (copy_read(sh, &p, &n, NULL) == 1)
			;
	}
	if (rc) {
		if (!e.message[0])
			dh_err_set(&e, rc, "%s", dh_strerror(rc));
		return sql_error(sh, &e, q, qn);
	}
	print_timing(sh, t0);
	return 0;
}

/* \l: the databases and their branches, in psql's layout */
static int
cmd_l(struct dh_shell *sh)
{
	struct dh_arena a;
	struct dh_err e;
	struct dh_db_info *dbs;
	size_t n, nr = 0;
	dh_arena_init(&a);
	if (dh_db_list(sh->st, &a, &dbs, &n, &e)) {
		dh_arena_release(&a);
		return show_error(sh, &e, NULL, 0);
	}
	enum { NC = 6 };
	static const char *const cols[NC] = {"Name", "Branch", "Parent", "Head tx", "Head time",
					     "Datoms"};
	static const int num[NC] = {0, 0, 0, 1, 0, 1};
	size_t total = 0;
	for (size_t i = 0; i < n; i++)
		total += dbs[i].nbranches;
	const char **cells = dh_arena_zalloc(&a, (total + 1) * NC * sizeof(*cells));
	for (size_t i = 0; i < n; i++)
		for (size_t j = 0; j < dbs[i].nbranches; j++) {
			const struct dh_branch_info *b = &dbs[i].branches[j];
			const char **row = &cells[nr++ * NC];
			char *t = dh_arena_alloc(&a, DH_INSTANT_STRLEN);
			dh_instant_format(b->head_instant, t);
			row[0] = dbs[i].name;
			row[1] = b->name;
			row[2] = b->parent;
			row[3] = dh_arena_printf(&a, "%llu", (unsigned long long)b->head_tx);
			row[4] = t;
			row[5] = dh_arena_printf(&a, "%llu", (unsigned long long)b->datoms);
		}
	struct dh_rows t = {NC, nr, cols, num, NULL, cells};
	struct dh_buf b;
	dh_buf_init(&b, 0);
	enum dh_format f = sh->fmt_set ? sh->fmt : DH_FMT_ALIGNED;
	dh_rows_format(&b, f, &t);
	if (f == DH_FMT_ALIGNED || f == DH_FMT_EDN) {
		/* the title, centered over the table (the width of its rule) */
		const char *title = "List of databases";
		const char *rule = strchr((const char *)b.p, '\n');
		size_t w = 0, tw = strlen(title);
		if (rule)
			w = strcspn(rule + 1, "\n");
		fprintf(sh->out, "%*s%s\n", tw >= w ? 0 : (int)((w - tw) / 2), "", title);
	}
	fwrite(b.p, 1, b.len, sh->out);
	fflush(sh->out);
	dh_buf_release(&b);
	dh_arena_release(&a);
	return 0;
}

/* psql's describe commands (shell-describe.c) in the SQL session */
static int
cmd_describe(struct dh_shell *sh, const char *line, size_t cn, const char *args, size_t n)
{
	struct dh_err e;
	struct dh_buf out, msg;
	dh_err_clear(&e);
	if (sql_session(sh, &e))
		return sql_error(sh, &e, NULL, 0);
	dh_buf_init(&out, 0);
	dh_buf_init(&msg, 0);
	if (sh->o.cancel)
		*sh->o.cancel = 0;
	int rc = dh__shell_describe(sh->sql, line, cn, args, n,
				    sh->fmt_set ? sh->fmt : DH_FMT_ALIGNED, &out, &msg, &e);
	if (rc != 2) {
		fwrite(out.p, 1, out.len, sh->out);
		fflush(sh->out);
		/* psql's messages, one a line: in a script "dh-query:FILE:LINE:
		 * error: ...", else without the place and the level */
		for (size_t i = 0; i < msg.len;) {
			const char *l = (const char *)msg.p + i;
			size_t ll = strcspn(l, "\n"), skip = 0;
			i += ll + 1;
			msg_prefix(sh);
			if (!sh->src)
				skip = strcspn(l, " ") + 1;
			if (skip > ll)
				skip = 0;
			fprintf(sh->errf, "%.*s\n", (int)(ll - skip), l + skip);
		}
		fflush(sh->errf);
	}
	dh_buf_release(&out);
	dh_buf_release(&msg);
	if (rc < 0) {
		if (!e.message[0])
			dh_err_set(&e, rc, "%s", dh_strerror(rc));
		return sql_error(sh, &e, NULL, 0);
	}
	return rc;
}

/* psql's \copy: COPY ... FROM STDIN / TO STDOUT, the data read from or
 * written to a file of the client (or the script's lines for "stdin",
 * standard input for "pstdin"):
 *   \copy TABLE [(COLS)] | (QUERY)  FROM | TO  'FILE' | FILE | stdin |
 *         stdout | pstdin | pstdout  [rest: WITH (...), old options]
 */
static int
copy_error(struct dh_shell *sh, const char *fmt, const char *arg)
{
	fflush(sh->out);
	msg_prefix(sh);
	fprintf(sh->errf, "error: ");
	fprintf(sh->errf, fmt, arg);
	fputc('\n', sh->errf);
	fflush(sh->errf);
	return 1;
}

static int
cmd_copy(struct dh_shell *sh, const char *args, size_t n)
{
	size_t i = 0, b0, b1;
	while (i < n && isspace((unsigned char)args[i]))
		i++;
	if (i == n)
		return copy_error(sh, "\\copy: arguments required", "");
	b0 = i;
	/* the table (and its columns) or the query, up to FROM or TO */
	int depth = 0;
	char q = 0;
	for (; i < n; i++) {
		char c = args[i];
		if (q) {
			if (c == q)
				q = 0;
			continue;
		}
		if (c == '\'' || c == '"')
			q = c;
		else if (c == '(')
			depth++;
		else if (c == ')')
			depth--;
		else if (depth == 0 && isspace((unsigned char)c)) {
			size_t j = i;
			while (j < n && isspace((unsigned char)args[j]))
				j++;
			if ((n - j >= 4 && strncasecmp(args + j, "from", 4) == 0 &&
			     (j + 4 == n || isspace((unsigned char)args[j + 4]))) ||
			    (n - j >= 2 && strncasecmp(args + j, "to", 2) == 0 &&
			     (j + 2 == n || isspace((unsigned char)args[j + 2]))))
				break;
		}
	}
	b1 = i;
	while (i < n && isspace((unsigned char)args[i]))
		i++;
	if (i == n)
		return copy_error(sh, "\\copy: parse error at end of line", "");
	int from = tolower((unsigned char)args[i]) == 'f';
	i += from ? 4 : 2;
	while (i < n && isspace((unsigned char)args[i]))
		i++;
	if (i == n)
		return copy_error(sh, "\\copy: parse error at end of line", "");
	/* the file name: quoted ('' is a quote) or a word */
	struct dh_buf file;
	dh_buf_init(&file, 0);
	if (args[i] == '\'') {
		for (i++; i < n; i++) {
			if (args[i] == '\'') {
				if (i + 1 < n && args[i + 1] == '\'') {
					dh_buf_addc(&file, '\'');
					i++;
					continue;
				}
				i++;
				break;
			}
			dh_buf_addc(&file, args[i]);
		}
	} else {
		while (i < n && !isspace((unsigned char)args[i]))
			dh_buf_addc(&file, args[i++]);
	}
	const char *fname = file.len ? (const char *)file.p : "";
	struct dh_buf sql;
	dh_buf_init(&sql, 0);
	dh_buf_printf(&sql, "COPY %.*s %s %.*s", (int)(b1 - b0), args + b0,
		      from ? "FROM STDIN" : "TO STDOUT", (int)(n - i), args + i);
	int rc = 0;
	FILE *f = NULL;
	if (strcasecmp(fname, "program") == 0) {
		rc = copy_error(sh, "\\copy: %s", "PROGRAM is not supported by dh-query");
	} else if (from && strcasecmp(fname, "stdin") == 0) {
		rc = run_sql(sh, (const char *)sql.p, sql.len); /* the script's lines */
	} else if (from && strcasecmp(fname, "pstdin") == 0) {
		sh->cp_text = NULL;
		sh->cp_file = sh->o.copy_in;
		rc = run_sql(sh, (const char *)sql.p, sql.len);
	} else if (!from && (strcasecmp(fname, "stdout") == 0 ||
			     strcasecmp(fname, "pstdout") == 0)) {
		rc = run_sql(sh, (const char *)sql.p, sql.len);
	} else if (!(f = fopen(fname, from ? "r" : "w"))) {
		char msg[512];
		snprintf(msg, sizeof(msg), "%s: %s", fname, strerror(errno));
		rc = copy_error(sh, "%s", msg);
	} else {
		sh->cp_text = NULL;
		if (from)
			sh->cp_file = f;
		else
			sh->cp_out = f;
		rc = run_sql(sh, (const char *)sql.p, sql.len);
		if (fclose(f) && rc == 0)
			rc = copy_error(sh, "%s", strerror(errno));
		sh->cp_file = NULL;
		sh->cp_out = NULL;
	}
	dh_buf_release(&file);
	dh_buf_release(&sql);
	return rc;
}

static int
run_command(struct dh_shell *sh, const char *line, size_t n)
{
	size_t i = 1;
	while (i < n && !isspace((unsigned char)line[i]))
		i++;
	size_t cn = i;
	if (cn == 2 && line[1] == 'q')
		return 3;
	if (cn == 2 && line[1] == '?') {
		dh_shell_help(sh->out);
		return 0;
	}
	if (cn == 7 && memcmp(line, "\\datoms", 7) == 0)
		return cmd_datoms(sh, line + i, n - i);
	if (cn == 8 && memcmp(line, "\\explain", 8) == 0)
		return cmd_explain(sh, line + i, n - i);
	if (cn == 7 && memcmp(line, "\\format", 7) == 0)
		return cmd_format(sh, line + i, n - i);
	if (cn == 3 && memcmp(line, "\\in", 3) == 0)
		return cmd_in(sh, line + i, n - i);
	if (cn == 6 && memcmp(line, "\\attrs", 6) == 0)
		return cmd_attrs(sh, line + i, n - i);
	if ((cn == 2 && line[1] == 'l') || (cn == 3 && memcmp(line, "\\l+", 3) == 0))
		return cmd_l(sh);
	if (cn >= 2 && line[1] == 'd') {
		int rc = cmd_describe(sh, line, cn, line + i, n - i);
		if (rc != 2)
			return rc;
	}
	if (cn == 5 && memcmp(line, "\\copy", 5) == 0)
		return cmd_copy(sh, line + i, n - i);
	if (cn == 7 && memcmp(line, "\\timing", 7) == 0) {
		sh->timing = !sh->timing;
		fprintf(sh->out, "Timing is %s.\n", sh->timing ? "on" : "off");
		return 0;
	}
	struct dh_err e;
	dh_err_set(&e, DH_EUSAGE, "invalid command %.*s", (int)(cn > 40 ? 40 : cn), line);
	dh_err_hint(&e, "try \\? for help");
	return show_error(sh, &e, NULL, 0);
}

int
dh_shell_exec(struct dh_shell *sh, const char *text, size_t n)
{
	/* the terminal: COPY's data comes from standard input */
	sh->interactive = 1;
	int rc = dh_shell_run(sh, text, n, 0, NULL);
	sh->interactive = 0;
	return rc;
}

char
dh_shell_txstatus(const struct dh_shell *sh)
{
	return sh->sql ? dh_sql_txstatus(sh->sql) : 'I';
}

int
dh_shell_run(struct dh_shell *sh, const char *text, size_t n, int command, const char *src)
{
	struct dh_arena a;
	struct dh_err e;
	size_t off = 0;
	size_t lc_pos = 0; /* newlines counted in text[0, lc_pos) */
	size_t lc_line = 1;
	int status = 0;
	dh_arena_init(&a);
	while (off < n) {
		while (off < n && (isspace((unsigned char)text[off]) || text[off] == ','))
			off++;
		if (off == n)
			break;
		int rc;
		size_t first;
		if (text[off] == '\\') {
			size_t end = off;
			while (end < n && text[end] != '\n')
				end++;
			sh->src = src;
			for (; lc_pos < off; lc_pos++)
				lc_line += text[lc_pos] == '\n';
			sh->src_line = lc_line;
			/* \copy ... from stdin: the data follows */
			sh->cp_text = sh->interactive ? NULL : text;
			sh->cp_file = sh->interactive ? sh->o.copy_in : NULL;
			sh->cp_n = n;
			sh->cp_pos = line_after(text, n, end);
			sh->cp_began = 0;
			rc = run_command(sh, text + off, end - off);
			sh->src = NULL;
			off = end;
			if (sh->cp_began && sh->cp_text) {
				off = sh->cp_next;
				for (; lc_pos < off; lc_pos++)
					lc_line += text[lc_pos] == '\n';
			}
			sh->cp_text = NULL;
			sh->cp_file = NULL;
			sh->cp_began = 0;
		} else if (text[off] == ';') {
			/* a comment line */
			while (off < n && text[off] != '\n')
				off++;
			continue;
		} else if ((first = sql_skip_comments(text, n, off)) != off) {
			/* SQL comments: what follows them decides */
			if (first == n)
				break;
			if (text[first] == '\\' || text[first] == ';' || edn_start(text[first])) {
				off = first;
				continue;
			}
			goto sql;
		} else if (!edn_start(text[off])) {
		sql:;
			/* SQL: psql sends a statement from its first token (after
			 * blanks and -- comments) through its ';'; -c sends all */
			size_t start = sql_skip_space(text, n, off), end = n;
			char st;
			if (!command)
				end = start + sql_end(text + start, n - start, &st);
			sh->src = src;
			/* the line of the statement's last character, counted on
			 * from the previous statement's (a script stays linear) */
			for (; lc_pos + 1 < end; lc_pos++)
				lc_line += text[lc_pos] == '\n';
			sh->src_line = lc_line;
			if (!command && !sh->interactive) {
				/* COPY FROM STDIN's data follows on the next line */
				sh->cp_text = text;
				sh->cp_n = n;
				sh->cp_pos = line_after(text, n, end > start ? end - 1 : end);
			} else {
				sh->cp_file = sh->o.copy_in;
			}
			rc = run_sql(sh, text + start, end - start);
			sh->src = NULL;
			off = end;
			if (sh->cp_began && sh->cp_text) {
				off = sh->cp_next;
				for (; lc_pos < off; lc_pos++)
					lc_line += text[lc_pos] == '\n';
			}
			sh->cp_text = NULL;
			sh->cp_file = NULL;
			sh->cp_began = 0;
		} else {
			struct dh_edn *x;
			size_t used;
			dh_err_clear(&e);
			rc = dh_edn_parse(&a, text + off, n - off, &x, &used, &e);
			if (rc) {
				if (e.position)
					e.position += dh_edn_charpos(text, n, off) - 1;
				show_error(sh, &e, text, n);
				status = 1;
				break; /* the rest of the input cannot be delimited */
			}
			if (!x)
				break;
			/* positions in x are relative to text + off */
			if (sh->o.cancel)
				*sh->o.cancel = 0;
			if (dh_query_form_is_query(x)) {
				rc = run_query(sh, x, text + off, n - off, 0);
			} else if (x->kind == DH_EDN_VECTOR) {
				rc = run_tx(sh, x, text + off, n - off);
			} else {
				dh_err_set(&e, DH_ENOTSUP,
					   "expected a query ([:find ...], {:find ...}, (pull ...)) "
					   "or tx-data (a vector)");
				e.position = dh_edn_charpos(text, n, off);
				rc = show_error(sh, &e, text, n);
			}
			off += used;
		}
		if (rc == 3) {
			status = 3;
			break;
		}
		if (rc) {
			status = 1;
			if (!sh->o.cont)
				break;
		}
	}
	dh_arena_release(&a);
	return status;
}

void
dh_shell_candidates(struct dh_shell *sh, const char *prefix, void (*fn)(void *ctx, const char *c),
		    void *ctx)
{
	static const char *const cmds[] = {"\\attrs", "\\d",	"\\datoms", "\\di",	  "\\ds",
					   "\\dt",	 "\\dv",	"\\explain", "\\format", "\\in",
					   "\\l",	 "\\timing", "\\q",	     "\\?"};
	size_t n = strlen(prefix);
	for (size_t i = 0; i < DH_ARRAY_SIZE(cmds); i++)
		if (strncmp(cmds[i], prefix, n) == 0)
			fn(ctx, cmds[i]);
	if (prefix[0] != ':')
		return;
	struct dh_snapshot *snap;
	struct dh_err e;
	if (dh_snapshot_open(sh->conn, NULL, &snap, &e))
		return;
	const struct dh_schema *s = dh_snapshot_schema(snap);
	for (size_t i = 0; i < s->cap; i++) {
		const struct dh_ident *x = &s->idents[i];
		if (!x->ident || !x->e)
			continue;
		size_t len = strlen(x->ident);
		if (len + 1 >= n && strncmp(x->ident, prefix + 1, n - 1) == 0) {
			char buf[512];
			snprintf(buf, sizeof(buf), ":%s", x->ident);
			fn(ctx, buf);
		}
	}
	dh_snapshot_close(snap);
}
