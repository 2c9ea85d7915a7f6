/*
 * shell: dh-query's statements (see shell.h).
 */
#include <ctype.h>
#include <stdlib.h>
#include <string.h>

#include "dh.h"
#include "opts.h"
#include "shell.h"
#include "tx.h"

struct dh_shell {
	struct dh_shell_opts o;
	struct dh_store *st;
	struct dh_conn *conn;
	FILE *out, *errf;
};

int
dh_shell_open(const struct dh_shell_opts *o, FILE *out, FILE *errf, struct dh_shell **out_sh,
	      struct dh_err *err)
{
	struct dh_shell *sh = xcalloc(1, sizeof(*sh));
	int rc;
	sh->o = *o;
	sh->out = out;
	sh->errf = errf;
	*out_sh = NULL;
	rc = dh_store_open(dh_opts_store(o->store),
			   DH_STORE_CREATE | (o->nosync ? DH_STORE_NOSYNC : 0), &sh->st, err);
	if (rc == 0 && dh_store_created(sh->st))
		rc = dh_db_ensure_default(sh->st, err);
	if (rc == 0)
		rc = dh_conn_open(sh->st, dh_opts_dbref(o->dbref), &sh->conn, err);
	if (rc) {
		dh_store_close(sh->st);
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
	dh_conn_close(sh->conn);
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
	      "Commands:\n"
	      "  \\datoms INDEX [C ...]      datoms of eavt, aevt, avet or vaet whose leading\n"
	      "                             components equal C (EDN: ids, :idents, values)\n"
	      "  \\?                         this help\n"
	      "  \\q                         quit\n",
	      f);
}

int
dh_shell_complete(const char *text, size_t n)
{
	size_t i = 0;
	while (i < n && isspace((unsigned char)text[i]))
		i++;
	if (i < n && text[i] == '\\')
		return 1; /* a backslash command is one line */
	return dh_edn_complete(text, n);
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
	struct dh_err e;
	dh_err_set(&e, DH_EUSAGE, "invalid command %.*s", (int)(cn > 40 ? 40 : cn), line);
	dh_err_hint(&e, "try \\? for help");
	return show_error(sh, &e, NULL, 0);
}

int
dh_shell_exec(struct dh_shell *sh, const char *text, size_t n)
{
	struct dh_arena a;
	struct dh_err e;
	size_t off = 0;
	int status = 0;
	dh_arena_init(&a);
	while (off < n) {
		while (off < n && (isspace((unsigned char)text[off]) || text[off] == ','))
			off++;
		if (off == n)
			break;
		int rc;
		if (text[off] == '\\') {
			size_t end = off;
			while (end < n && text[end] != '\n')
				end++;
			rc = run_command(sh, text + off, end - off);
			off = end;
		} else if (text[off] == ';') {
			/* a comment line */
			while (off < n && text[off] != '\n')
				off++;
			continue;
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
			if (x->kind == DH_EDN_VECTOR && !(x->coll.n > 0 &&
							 dh_edn_is_keyword(x->coll.items[0], "find"))) {
				rc = run_tx(sh, x, text + off, n - off);
			} else {
				dh_err_set(&e, DH_ENOTSUP,
					   x->kind == DH_EDN_VECTOR || x->kind == DH_EDN_MAP ||
						   x->kind == DH_EDN_LIST
					       ? "Datalog queries are not supported yet"
					       : "expected tx-data (an EDN vector) or a backslash command");
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
	static const char *const cmds[] = {"\\datoms", "\\q", "\\?"};
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
