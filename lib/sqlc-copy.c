/*
 * sqlc-copy: COPY ... FROM STDIN and COPY ... TO STDOUT, text and csv, as
 * PostgreSQL 15's copyfrom.c, copyfromparse.c and copyto.c do them: the
 * same options and checks, line ends, escapes, CSV quoting, end marker,
 * errors and CONTEXT lines.  The data moves through the session's hooks
 * (struct dh_sql_copy, sql.h); the rows go into the table through the
 * INSERT write path (typed datom ops, sqlc-con.c's constraints), buffered
 * as PostgreSQL's multi-insert buffers them (1,000 rows or 64 kB of
 * lines), which decides when a unique key's error is seen.  Files and
 * programs are not read or run: a server must not touch its own files on a
 * client's word (PostgreSQL asks for superuser or pg_read_server_files);
 * psql's \copy does the client's files.
 */
#include <pg_query.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "sqlc-int.h"

enum { EOL_UNKNOWN, EOL_NL, EOL_CR, EOL_CRNL };
enum { MAX_BUFFERED_TUPLES = 1000, MAX_BUFFERED_BYTES = 65535, MAX_DISPLAY = 100 };

struct copyopts {
	int csv, binary, header, freeze;
	int freeze_set, fmt_set, delim_set, null_set, header_set, quote_set, escape_set, enc_set;
	char delim, quote, escape;
	const char *delim_s, *null_s, *quote_s, *escape_s;
	size_t nulllen;
	int fq_all;
	const PgQuery__List *fq, *fnn, *fnull;
	int fq_loc, fnn_loc, fnull_loc;
};

static int
conflict(struct dh__sqlrun *r, const PgQuery__DefElem *d)
{
	dh_err_sql(r->err, "42601", "conflicting or redundant options");
	return dh__sql_at(r, d->location, DH_ESQL);
}

/* defGetString: a string, number or bare word as text. */
static const char *
def_string(struct dh__sqlrun *r, const PgQuery__DefElem *d)
{
	const PgQuery__Node *a = d->arg;
	if (!a) {
		dh_err_sql(r->err, "42601", "%s requires a parameter", d->defname);
		return NULL;
	}
	switch (a->node_case) {
	case PG_QUERY__NODE__NODE_STRING:
		return a->string->sval;
	case PG_QUERY__NODE__NODE_INTEGER:
		return dh_arena_printf(r->a, "%d", a->integer->ival);
	case PG_QUERY__NODE__NODE_FLOAT:
		return a->float_->fval;
	case PG_QUERY__NODE__NODE_BOOLEAN:
		return a->boolean->boolval ? "true" : "false";
	default:
		dh_err_sql(r->err, "42601", "%s requires a parameter", d->defname);
		return NULL;
	}
}

int
dh__sqlc_def_bool(struct dh__sqlrun *r, const PgQuery__DefElem *d, int *out)
{
	const PgQuery__Node *a = d->arg;
	if (!a) {
		*out = 1;
		return 0;
	}
	if (a->node_case == PG_QUERY__NODE__NODE_INTEGER &&
	    (a->integer->ival == 0 || a->integer->ival == 1)) {
		*out = a->integer->ival;
		return 0;
	}
	if (a->node_case == PG_QUERY__NODE__NODE_BOOLEAN) {
		*out = a->boolean->boolval;
		return 0;
	}
	if (a->node_case == PG_QUERY__NODE__NODE_STRING) {
		const char *s = a->string->sval;
		if (strcasecmp(s, "true") == 0 || strcasecmp(s, "on") == 0) {
			*out = 1;
			return 0;
		}
		if (strcasecmp(s, "false") == 0 || strcasecmp(s, "off") == 0) {
			*out = 0;
			return 0;
		}
		if (strcasecmp(s, "match") == 0 && strcmp(d->defname, "header") == 0)
			return 2;
	}
	return dh_err_sql(r->err, "42601",
			  strcmp(d->defname, "header") == 0
			      ? "%s requires a Boolean value or \"match\""
			      : "%s requires a Boolean value",
			  d->defname);
}

static int
def_list(struct dh__sqlrun *r, const PgQuery__DefElem *d, const PgQuery__List **out, int *all)
{
	if (d->arg && d->arg->node_case == PG_QUERY__NODE__NODE_LIST) {
		*out = d->arg->list;
		return 0;
	}
	if (all && d->arg && d->arg->node_case == PG_QUERY__NODE__NODE_A_STAR) {
		*all = 1;
		return 0;
	}
	dh_err_sql(r->err, "22023", "argument to option \"%s\" must be a list of column names",
		   d->defname);
	return dh__sql_at(r, d->location, DH_ESQL);
}

/* pg_char_to_encoding's names (letters and digits only, lower case):
 * 1 UTF8, 0 another encoding PostgreSQL knows, -1 none. */
static int
encoding_known(const char *name)
{
	static const char *const other[] = {
	    "sqlascii", "eucjp", "euccn", "euckr", "euctw", "eucjis2004", "muleinternal",
	    "latin1", "latin2", "latin3", "latin4", "latin5", "latin6", "latin7", "latin8",
	    "latin9", "latin10", "iso88591", "iso88592", "iso88593", "iso88594", "iso88595",
	    "iso88596", "iso88597", "iso88598", "iso88599", "iso885910", "iso885913",
	    "iso885914", "iso885915", "iso885916", "win1250", "win1251", "win1252", "win1253",
	    "win1254", "win1255", "win1256", "win1257", "win1258", "win866", "win874", "win",
	    "alt", "koi8", "koi8r", "koi8u", "sjis", "shiftjis", "shiftjis2004", "big5", "gbk",
	    "uhc", "gb18030", "johab", "tcvn", "tcvn5712", "vscii", "abc", "windows866",
	    "windows874", "windows1250", "windows1251", "windows1252", "windows1253",
	    "windows1254", "windows1255", "windows1256", "windows1257", "windows1258", "mskanji",
	    "euc2004", "cp866", "cp874", "cp936", "cp949", "cp1250", "cp1251", "cp1252", "cp1253",
	    "cp1254", "cp1255", "cp1256", "cp1257", "cp1258"};
	char c[64];
	size_t k = 0;
	for (const char *p = name; *p && k + 1 < sizeof(c); p++)
		if ((*p >= 'a' && *p <= 'z') || (*p >= '0' && *p <= '9'))
			c[k++] = *p;
		else if (*p >= 'A' && *p <= 'Z')
			c[k++] = (char)(*p - 'A' + 'a');
	c[k] = 0;
	if (strcmp(c, "utf8") == 0 || strcmp(c, "unicode") == 0)
		return 1;
	for (size_t i = 0; i < DH_ARRAY_SIZE(other); i++)
		if (strcmp(c, other[i]) == 0)
			return 0;
	return -1;
}

/* ProcessCopyOptions. */
static int
copy_options(struct dh__sqlrun *r, const PgQuery__CopyStmt *st, struct copyopts *o)
{
	int rc;
	memset(o, 0, sizeof(*o));
	for (size_t i = 0; i < st->n_options; i++) {
		const PgQuery__DefElem *d = st->options[i]->def_elem;
		const char *n = d->defname;
		if (strcmp(n, "format") == 0) {
			if (o->fmt_set)
				return conflict(r, d);
			o->fmt_set = 1;
			const char *f = def_string(r, d);
			if (!f)
				return DH_ESQL;
			if (strcmp(f, "text") == 0)
				;
			else if (strcmp(f, "csv") == 0)
				o->csv = 1;
			else if (strcmp(f, "binary") == 0)
				o->binary = 1;
			else {
				dh_err_sql(r->err, "22023", "COPY format \"%s\" not recognized", f);
				return dh__sql_at(r, d->location, DH_ESQL);
			}
		} else if (strcmp(n, "freeze") == 0) {
			int v;
			if (o->freeze_set++)
				return conflict(r, d);
			if ((rc = dh__sqlc_def_bool(r, d, &v)))
				return rc;
			o->freeze = v; /* COPY TO ignores it, as PostgreSQL 15 does */
		} else if (strcmp(n, "delimiter") == 0) {
			if (o->delim_set++)
				return conflict(r, d);
			if (!(o->delim_s = def_string(r, d)))
				return DH_ESQL;
		} else if (strcmp(n, "null") == 0) {
			if (o->null_set++)
				return conflict(r, d);
			if (!(o->null_s = def_string(r, d)))
				return DH_ESQL;
		} else if (strcmp(n, "header") == 0) {
			if (o->header_set++)
				return conflict(r, d);
			rc = dh__sqlc_def_bool(r, d, &o->header);
			if (rc == 2) {
				if (!st->is_from)
					return dh_err_sql(r->err, "0A000",
							  "cannot use \"%s\" with HEADER in COPY TO",
							  "match");
				return dh_err_sql(r->err, "0A000",
						  "COPY FROM with HEADER MATCH is not supported yet");
			}
			if (rc)
				return rc;
		} else if (strcmp(n, "quote") == 0) {
			if (o->quote_set++)
				return conflict(r, d);
			if (!(o->quote_s = def_string(r, d)))
				return DH_ESQL;
		} else if (strcmp(n, "escape") == 0) {
			if (o->escape_set++)
				return conflict(r, d);
			if (!(o->escape_s = def_string(r, d)))
				return DH_ESQL;
		} else if (strcmp(n, "force_quote") == 0) {
			if (o->fq || o->fq_all)
				return conflict(r, d);
			if ((rc = def_list(r, d, &o->fq, &o->fq_all)))
				return rc;
			o->fq_loc = d->location;
		} else if (strcmp(n, "force_not_null") == 0) {
			if (o->fnn)
				return conflict(r, d);
			if ((rc = def_list(r, d, &o->fnn, NULL)))
				return rc;
		} else if (strcmp(n, "force_null") == 0) {
			if (o->fnull)
				return conflict(r, d);
			if ((rc = def_list(r, d, &o->fnull, NULL)))
				return rc;
		} else if (strcmp(n, "encoding") == 0) {
			if (o->enc_set++)
				return conflict(r, d);
			const char *e = def_string(r, d);
			if (!e)
				return DH_ESQL;
			int known = encoding_known(e);
			if (known < 0) {
				dh_err_sql(r->err, "22023",
					   "argument to option \"%s\" must be a valid encoding name", n);
				return dh__sql_at(r, d->location, DH_ESQL);
			}
			if (!known)
				return dh__sql_at(
				    r, d->location,
				    dh_err_sql(r->err, "0A000",
					       "COPY with ENCODING '%s' is not supported: the data "
					       "must be UTF8",
					       e));
		} else {
			dh_err_sql(r->err, "42601", "option \"%s\" not recognized", n);
			return dh__sql_at(r, d->location, DH_ESQL);
		}
	}
	if (o->binary)
		return dh_err_sql(r->err, "0A000", "COPY in the binary format is not supported yet");
	if (!o->delim_s)
		o->delim_s = o->csv ? "," : "\t";
	if (!o->null_s)
		o->null_s = o->csv ? "" : "\\N";
	o->nulllen = strlen(o->null_s);
	if (o->csv) {
		if (!o->quote_s)
			o->quote_s = "\"";
		if (!o->escape_s)
			o->escape_s = o->quote_s;
	}
	if (strlen(o->delim_s) != 1)
		return dh_err_sql(r->err, "0A000", "COPY delimiter must be a single one-byte character");
	if (strchr(o->delim_s, '\r') || strchr(o->delim_s, '\n'))
		return dh_err_sql(r->err, "22023", "COPY delimiter cannot be newline or carriage return");
	if (strchr(o->null_s, '\r') || strchr(o->null_s, '\n'))
		return dh_err_sql(r->err, "22023",
				  "COPY null representation cannot use newline or carriage return");
	if (!o->csv && strchr("\\.abcdefghijklmnopqrstuvwxyz0123456789", o->delim_s[0]))
		return dh_err_sql(r->err, "22023", "COPY delimiter cannot be \"%s\"", o->delim_s);
	if (!o->csv && o->quote_s)
		return dh_err_sql(r->err, "0A000", "COPY quote available only in CSV mode");
	if (o->csv && strlen(o->quote_s) != 1)
		return dh_err_sql(r->err, "0A000", "COPY quote must be a single one-byte character");
	if (o->csv && o->delim_s[0] == o->quote_s[0])
		return dh_err_sql(r->err, "22023", "COPY delimiter and quote must be different");
	if (!o->csv && o->escape_s)
		return dh_err_sql(r->err, "0A000", "COPY escape available only in CSV mode");
	if (o->csv && strlen(o->escape_s) != 1)
		return dh_err_sql(r->err, "0A000", "COPY escape must be a single one-byte character");
	if (!o->csv && (o->fq || o->fq_all))
		return dh_err_sql(r->err, "0A000", "COPY force quote available only in CSV mode");
	if ((o->fq || o->fq_all) && st->is_from)
		return dh_err_sql(r->err, "0A000", "COPY force quote only available using COPY TO");
	if (!o->csv && o->fnn)
		return dh_err_sql(r->err, "0A000", "COPY force not null available only in CSV mode");
	if (o->fnn && !st->is_from)
		return dh_err_sql(r->err, "0A000", "COPY force not null only available using COPY FROM");
	if (!o->csv && o->fnull)
		return dh_err_sql(r->err, "0A000", "COPY force null available only in CSV mode");
	if (o->fnull && !st->is_from)
		return dh_err_sql(r->err, "0A000", "COPY force null only available using COPY FROM");
	if (strchr(o->null_s, o->delim_s[0]))
		return dh_err_sql(r->err, "0A000",
				  "COPY delimiter must not appear in the NULL specification");
	if (o->csv && strchr(o->null_s, o->quote_s[0]))
		return dh_err_sql(r->err, "0A000",
				  "CSV quote character must not appear in the NULL specification");
	o->delim = o->delim_s[0];
	o->quote = o->csv ? o->quote_s[0] : 0;
	o->escape = o->csv ? o->escape_s[0] : 0;
	return 0;
}

/* --- reading lines (CopyReadLineText) --- */

struct rdr {
	struct dh__sqlrun *r;
	const struct dh_sql_copy *h;
	void *ctx;
	const struct copyopts *o;
	struct dh_buf in; /* bytes read, the current line from base on */
	size_t base;      /* where the current line starts */
	size_t next;      /* where the next line starts, from base */
	size_t verified;  /* bytes of in whose encoding was checked */
	int eof, done, eol;
	uint64_t lineno;
	const char *line; /* the line read (in in), len bytes, NUL-terminated copy */
	size_t len;
	struct dh_buf lb;
};

static int
verify(struct rdr *d, size_t upto)
{
	if (upto <= d->verified)
		return 0;
	int rc = dh_sqltype_utf8_verify(d->in.p + d->verified, upto - d->verified, d->r->err);
	d->verified = upto;
	return rc;
}

/* One more chunk: 1, 0 at the end, < 0 error. */
static int
fill(struct rdr *d)
{
	while (!d->eof) {
		const char *p;
		size_t n;
		if (d->base) {
			/* the lines before the current one are done with */
			memmove(d->in.p, d->in.p + d->base, d->in.len - d->base);
			d->in.len -= d->base;
			d->verified -= d->base;
			d->base = 0;
		}
		int rc = d->h->read(d->ctx, &p, &n, d->r->err);
		if (rc < 0)
			return rc;
		if (rc == 0) {
			d->eof = 1;
			/* a character cut off at the end */
			return verify(d, d->in.len);
		}
		if (n) {
			if (dh_buf_add(&d->in, p, n))
				return dh_err_set(d->r->err, DH_ETOOLONG, "COPY line is too long");
			/* PostgreSQL checks the encoding of the data as it
			 * arrives (CopyConvertBuf), up to the last whole
			 * character, before the lines are split */
			size_t upto = d->in.len, k = 0;
			while (k < 4 && k < upto - d->verified &&
			       ((unsigned char)d->in.p[upto - 1 - k] & 0xc0) == 0x80)
				k++;
			if (k < upto - d->verified && (unsigned char)d->in.p[upto - 1 - k] >= 0xc0) {
				unsigned char c = (unsigned char)d->in.p[upto - 1 - k];
				size_t want = c >= 0xf0 ? 4 : c >= 0xe0 ? 3 : 2;
				if (k + 1 < want)
					upto -= k + 1;
			}
			if ((rc = verify(d, upto)))
				return rc;
			return 1;
		}
	}
	return 0;
}

/* The byte at i of the current line, reading on as needed; -1 past the
 * end. */
static int
peek(struct rdr *d, size_t i, int *c)
{
	while (d->base + i >= d->in.len) {
		int rc = fill(d);
		if (rc < 0)
			return rc;
		if (rc == 0) {
			*c = -1;
			return 0;
		}
	}
	*c = (unsigned char)d->in.p[d->base + i];
	return 0;
}

static int
line_err(struct rdr *d, const char *msg, const char *hint)
{
	dh_err_sql(d->r->err, "22P04", "%s", msg);
	if (hint)
		dh_err_hint(d->r->err, "%s", hint);
	return DH_ESQL;
}

/* The next line into d->line: 1, 0 when the data has ended, < 0 error. */
static int
read_line(struct rdr *d)
{
	int rc, c, c2, c3;
	d->base += d->next;
	d->next = 0;
	if (d->done)
		return 0;
	int csv = d->o->csv, in_quote = 0, last_esc = 0, first = 1;
	char q = d->o->quote, e = d->o->escape;
	if (e == q)
		e = 0; /* then the quote alone toggles */
	size_t i = 0, end = 0;
	for (;;) {
		if ((rc = peek(d, i, &c)))
			return rc;
		if (c < 0) {
			if (i == 0)
				return 0;
			end = d->next = i;
			d->done = 1;
			break;
		}
		if (csv) {
			if (in_quote && c == e)
				last_esc = !last_esc;
			if (c == q && !last_esc)
				in_quote = !in_quote;
			if (c != e)
				last_esc = 0;
			if (in_quote && c == (d->eol == EOL_NL ? '\n' : '\r'))
				d->lineno++;
		}
		if (c == '\r' && (!csv || !in_quote)) {
			end = i;
			if (d->eol == EOL_UNKNOWN || d->eol == EOL_CRNL) {
				if ((rc = peek(d, i + 1, &c2)))
					return rc;
				if (c2 == '\n') {
					i++;
					d->eol = EOL_CRNL;
				} else {
					if (d->eol == EOL_CRNL)
						return csv ? line_err(d, "unquoted carriage return found in data",
								      "Use quoted CSV field to represent carriage return.")
							   : line_err(d, "literal carriage return found in data",
								      "Use \"\\r\" to represent carriage return.");
					d->eol = EOL_CR;
				}
			} else if (d->eol == EOL_NL) {
				return csv ? line_err(d, "unquoted carriage return found in data",
						      "Use quoted CSV field to represent carriage return.")
					   : line_err(d, "literal carriage return found in data",
						      "Use \"\\r\" to represent carriage return.");
			}
			d->next = i + 1;
			break;
		}
		if (c == '\n' && (!csv || !in_quote)) {
			if (d->eol == EOL_CR || d->eol == EOL_CRNL)
				return csv ? line_err(d, "unquoted newline found in data",
						      "Use quoted CSV field to represent newline.")
					   : line_err(d, "literal newline found in data",
						      "Use \"\\n\" to represent newline.");
			d->eol = EOL_NL;
			end = i;
			d->next = i + 1;
			break;
		}
		if (c == '\\' && (!csv || first)) {
			if ((rc = peek(d, i + 1, &c2)))
				return rc;
			if (c2 < 0) {
				i++;
				first = 0;
				continue;
			}
			if (c2 == '.') {
				size_t j = i + 2;
				if (d->eol == EOL_CRNL) {
					if ((rc = peek(d, j++, &c3)))
						return rc;
					if (c3 == '\n') {
						if (!csv)
							return line_err(d, "end-of-copy marker does not match "
									   "previous newline style", NULL);
						goto not_end;
					}
					if (c3 != '\r') {
						if (!csv)
							return line_err(d, "end-of-copy marker corrupt", NULL);
						goto not_end;
					}
				}
				if ((rc = peek(d, j++, &c3)))
					return rc;
				if (c3 != '\r' && c3 != '\n') {
					if (!csv)
						return line_err(d, "end-of-copy marker corrupt", NULL);
					goto not_end;
				}
				if ((d->eol == EOL_NL && c3 != '\n') || (d->eol == EOL_CRNL && c3 != '\n') ||
				    (d->eol == EOL_CR && c3 != '\r'))
					return line_err(d, "end-of-copy marker does not match previous "
							   "newline style", NULL);
				d->done = 1;
				end = i;
				d->next = d->in.len - d->base < j ? d->in.len - d->base : j;
				if (i == 0)
					return 0;
				break;
			}
			if (!csv) {
				i += 2;
				first = 0;
				continue;
			}
		}
	not_end:
		first = 0;
		i++;
	}
	dh_buf_reset(&d->lb);
	dh_buf_add(&d->lb, d->in.p + d->base, end);
	d->line = (const char *)d->lb.p;
	d->len = end;
	return 1;
}

/* The rest of the data after the end marker is read and dropped, as
 * PostgreSQL does up to the protocol's end of the data. */
static int
drain(struct rdr *d)
{
	int rc;
	while (!d->eof) {
		d->in.len = 0;
		d->base = d->next = d->verified = 0;
		if ((rc = fill(d)) < 0)
			return rc;
	}
	return 0;
}

/* --- fields of a line --- */

struct fields {
	size_t n, cap;
	const char **v; /* NULL: SQL NULL */
	size_t *len;
	struct dh_buf out; /* the de-escaped values, NUL-separated */
	size_t *off;
};

static void
field_add(struct fields *f, size_t off, int isnull)
{
	if (f->n == f->cap) {
		f->cap = f->cap ? 2 * f->cap : 16;
		f->v = xrealloc(f->v, f->cap * sizeof(*f->v));
		f->len = xrealloc(f->len, f->cap * sizeof(*f->len));
		f->off = xrealloc(f->off, f->cap * sizeof(*f->off));
	}
	f->off[f->n] = isnull ? (size_t)-1 : off;
	f->len[f->n] = isnull ? 0 : f->out.len - off;
	dh_buf_addc(&f->out, 0);
	f->n++;
}

static void
field_done(struct fields *f)
{
	for (size_t i = 0; i < f->n; i++)
		f->v[i] = f->off[i] == (size_t)-1 ? NULL : (const char *)f->out.p + f->off[i];
}

/* CopyReadAttributesText. */
static int
split_text(const struct copyopts *o, const char *s, size_t n, struct fields *f, struct dh_err *err)
{
	size_t i = 0;
	f->n = 0;
	dh_buf_reset(&f->out);
	for (;;) {
		size_t start = i, off = f->out.len;
		int found = 0, nonascii = 0;
		while (i < n) {
			int c = (unsigned char)s[i++];
			if (c == (unsigned char)o->delim) {
				found = 1;
				break;
			}
			if (c == '\\') {
				if (i >= n)
					break;
				c = (unsigned char)s[i++];
				switch (c) {
				case '0': case '1': case '2': case '3':
				case '4': case '5': case '6': case '7': {
					int v = c - '0';
					if (i < n && s[i] >= '0' && s[i] <= '7') {
						v = (v << 3) + (s[i++] - '0');
						if (i < n && s[i] >= '0' && s[i] <= '7')
							v = (v << 3) + (s[i++] - '0');
					}
					c = v & 0377;
					if (c == 0 || c >= 0x80)
						nonascii = 1;
					break;
				}
				case 'x':
					if (i < n && dh_hexval((unsigned char)s[i]) >= 0) {
						int v = dh_hexval((unsigned char)s[i++]);
						if (i < n && dh_hexval((unsigned char)s[i]) >= 0)
							v = (v << 4) + dh_hexval((unsigned char)s[i++]);
						c = v & 0xff;
						if (c == 0 || c >= 0x80)
							nonascii = 1;
					}
					break;
				case 'b': c = '\b'; break;
				case 'f': c = '\f'; break;
				case 'n': c = '\n'; break;
				case 'r': c = '\r'; break;
				case 't': c = '\t'; break;
				case 'v': c = '\v'; break;
				default: break;
				}
			}
			dh_buf_addc(&f->out, c);
		}
		size_t rawlen = (found ? i - 1 : i) - start;
		int isnull = rawlen == o->nulllen && memcmp(s + start, o->null_s, rawlen) == 0;
		if (!isnull && nonascii) {
			int rc = dh_sqltype_utf8_verify(f->out.p + off, f->out.len - off, err);
			if (rc)
				return rc;
		}
		field_add(f, off, isnull);
		if (!found)
			break;
	}
	field_done(f);
	return 0;
}

/* CopyReadAttributesCSV. */
static int
split_csv(const struct copyopts *o, const char *s, size_t n, struct fields *f, struct dh_err *err)
{
	size_t i = 0;
	char delim = o->delim, q = o->quote, e = o->escape;
	f->n = 0;
	dh_buf_reset(&f->out);
	for (;;) {
		size_t start = i, end = i, off = f->out.len;
		int found = 0, saw_quote = 0;
		for (;;) {
			for (;;) {
				end = i;
				if (i >= n)
					goto endfield;
				char c = s[i++];
				if (c == delim) {
					found = 1;
					goto endfield;
				}
				if (c == q) {
					saw_quote = 1;
					break;
				}
				dh_buf_addc(&f->out, c);
			}
			for (;;) {
				end = i;
				if (i >= n)
					return dh_err_sql(err, "22P04", "unterminated CSV quoted field");
				char c = s[i++];
				if (c == e && i < n && (s[i] == e || s[i] == q)) {
					dh_buf_addc(&f->out, s[i++]);
					continue;
				}
				if (c == q)
					break;
				dh_buf_addc(&f->out, c);
			}
		}
	endfield:;
		size_t rawlen = end - start;
		int isnull = !saw_quote && rawlen == o->nulllen && memcmp(s + start, o->null_s, rawlen) == 0;
		field_add(f, off, isnull);
		if (!found)
			break;
	}
	field_done(f);
	return 0;
}

/* --- the CONTEXT line (CopyFromErrorCallback) --- */

static void
add_context(struct dh_err *err, const char *fmt, ...) DH_PRINTF(2, 3);

static void
add_context(struct dh_err *err, const char *fmt, ...)
{
	char line[512];
	va_list ap;
	va_start(ap, fmt);
	vsnprintf(line, sizeof(line), fmt, ap);
	va_end(ap);
	if (!err->context[0]) {
		snprintf(err->context, sizeof(err->context), "%s", line);
	} else {
		size_t l = strlen(err->context);
		snprintf(err->context + l, sizeof(err->context) - l, "\n%s", line);
	}
}

/* limit_printout_length: at most 100 bytes (whole characters), then "...". */
static const char *
printout(struct dh_arena *a, const char *s)
{
	size_t n = strlen(s);
	if (n <= MAX_DISPLAY)
		return s;
	size_t k = MAX_DISPLAY;
	while (k > 0 && ((unsigned char)s[k] & 0xc0) == 0x80)
		k--;
	return dh_arena_printf(a, "%.*s...", (int)k, s);
}

/* --- COPY FROM --- */

struct pend {
	struct dh_value *vals;
	uint64_t lineno;
};

struct loader {
	struct dh__sqlrun *r;
	struct dh_wtx *w;
	struct dh_sqltable *t;
	struct sqlc_con *cx;
	const char *relname;
	struct pend *p;
	size_t np, bytes;
	struct dh_txop *ops;
	size_t nops, aops;
};

static void
op_push(struct loader *L, int added, uint64_t e, uint64_t a, struct dh_value v)
{
	if (L->nops == L->aops) {
		L->aops = L->aops ? 2 * L->aops : 1024;
		L->ops = xrealloc(L->ops, L->aops * sizeof(*L->ops));
	}
	L->ops[L->nops++] = (struct dh_txop){added, e, a, v};
}

/* CopyMultiInsertBufferFlush: the buffered rows' unique keys, in order,
 * then their datoms in one dh_wtx_apply. */
static int
flush(struct loader *L)
{
	struct dh__sqlrun *r = L->r;
	const struct dh_sqltable *t = L->t;
	int rc = 0;
	L->nops = 0;
	for (size_t i = 0; i < L->np && rc == 0; i++) {
		struct dh_value *vals = L->p[i].vals;
		uint64_t e = dh_wtx_new_eid(L->w);
		vals[t->ncols] = (struct dh_value){.type = DH_T_LONG, .i = (int64_t)e};
		int which;
		uint64_t holder;
		rc = dh__sqlcon_unique(L->cx, vals, NULL, e, -1, &which, &holder);
		if (rc > 0)
			rc = dh__sqlcon_unique_err(L->cx, which, vals);
		if (rc) {
			add_context(r->err, "COPY %s, line %llu", L->relname,
				    (unsigned long long)L->p[i].lineno);
			break;
		}
		dh__sqlcon_unique_add(L->cx, vals, e);
		dh__sqlcon_log(L->cx, e, NULL, vals);
		if (t->marker)
			op_push(L, 1, e, t->marker, (struct dh_value){.type = DH_T_BOOL, .b = 1});
		for (int k = 0; k < t->ncols && rc == 0; k++) {
			const struct dh_sqlcol *c = &t->cols[k];
			struct dh_value sv;
			if (vals[k].type == DH_T_NONE)
				continue;
			if (c->many)
				rc = dh_err_sql(r->err, "0A000",
						"column \"%s\" has many values (a Datalog "
						"cardinality-many attribute): writing it from SQL is "
						"not supported yet",
						c->name);
			else if ((rc = dh__sqlc_storable(r, c, &vals[k], &sv)) == 0)
				op_push(L, 1, e, c->attr, sv);
		}
	}
	if (rc == 0 && L->nops) {
		struct dh_tx_report rep;
		rc = dh_wtx_apply(L->w, L->ops, L->nops, r->a, &rep, r->err);
	}
	L->np = 0;
	L->bytes = 0;
	return rc;
}

/* A column named in a FORCE_* list: its index among the copied columns. */
static int
force_cols(struct dh__sqlrun *r, const struct dh_sqltable *t, const PgQuery__List *l,
	   const int *attn, int n, const char *what, char *flags)
{
	for (size_t i = 0; l && i < l->n_items; i++) {
		const char *name = dh__sqlc_str(l->items[i]);
		int k = -1, j;
		for (int c = 0; c < t->ncols; c++)
			if (name && strcmp(t->cols[c].name, name) == 0)
				k = c;
		if (k < 0)
			return dh_err_sql(r->err, "42703", "column \"%s\" of relation \"%s\" does not exist",
					  name ? name : "?", t->name);
		for (j = 0; j < n && attn[j] != k; j++)
			;
		if (j == n)
			return dh_err_sql(r->err, "42P10", "%s column \"%s\" not referenced by COPY", what,
					  name);
		flags[j] = 1;
	}
	return 0;
}

/* The copied columns: the list's, else all. */
static int
copy_columns(struct dh__sqlrun *r, const PgQuery__CopyStmt *st, const struct dh_sqltable *t,
	     int **attn, int *n)
{
	if (!st->n_attlist) {
		*n = t->ncols;
		*attn = dh_arena_alloc(r->a, (size_t)(t->ncols + 1) * sizeof(int));
		for (int k = 0; k < t->ncols; k++)
			(*attn)[k] = k;
		return 0;
	}
	*n = (int)st->n_attlist;
	*attn = dh_arena_alloc(r->a, st->n_attlist * sizeof(int));
	for (size_t i = 0; i < st->n_attlist; i++) {
		const char *name = dh__sqlc_str(st->attlist[i]);
		int k = -1;
		for (int c = 0; c < t->ncols; c++)
			if (name && strcmp(t->cols[c].name, name) == 0)
				k = c;
		if (k < 0)
			return dh_err_sql(r->err, "42703", "column \"%s\" of relation \"%s\" does not exist",
					  name ? name : "?", t->name);
		for (size_t j = 0; j < i; j++)
			if ((*attn)[j] == k)
				return dh_err_sql(r->err, "42701", "column \"%s\" specified more than once",
						  name);
		(*attn)[i] = k;
	}
	return 0;
}

static const char *
given_name(const PgQuery__CopyStmt *st)
{
	const PgQuery__RangeVar *rv = st->relation;
	return rv->alias && rv->alias->aliasname && *rv->alias->aliasname ? rv->alias->aliasname
									  : rv->relname;
}

static int
copy_from(struct dh__sqlrun *r, const PgQuery__CopyStmt *st)
{
	void *hctx;
	const struct dh_sql_copy *h = dh__sql_copy(r->s, &hctx);
	struct dh_wtx *w;
	const struct dh_schema *sc;
	struct dh_sqltable *t;
	struct copyopts o;
	const PgQuery__RangeVar *rv = st->relation;
	const char *relname = given_name(st);
	char kind = 0;
	int rc;
	if (rv->schemaname && *rv->schemaname && strcmp(rv->schemaname, "public") != 0)
		return dh_err_sql(r->err, "3F000", "schema \"%s\" does not exist", rv->schemaname);
	if ((rc = dh__sql_wtx(r->s, &w, r->err)) || (rc = dh_wtx_schema(w, &sc, r->err)))
		return rc;
	if ((rc = dh__sqlcat_relkind(dh_wtx_view(w), sc, rv->relname, r->a, &kind, r->err)))
		return rc;
	if (kind != 'v' && kind != 'S' && (rc = dh__sql_table(r->s, dh_wtx_view(w), sc, rv->relname,
							       r->a, &t, r->err)))
		return rc;
	if ((rc = copy_options(r, st, &o)))
		return rc;
	if (!h || !h->begin_in || !h->read)
		return dh_err_sql(r->err, "0A000",
				  "COPY FROM STDIN is not supported here: no client sends this "
				  "session COPY data");
	if (kind == 'v' || kind == 'S') {
		/* PostgreSQL finds out once the data flows (CopyFrom) */
		if ((rc = h->begin_in(hctx, (int)st->n_attlist, o.csv, r->err)))
			return rc;
		dh_err_sql(r->err, "42809", "cannot copy to %s \"%s\"",
			   kind == 'v' ? "view" : "sequence", relname);
		if (kind == 'v')
			dh_err_hint(r->err,
				    "To enable copying to a view, provide an INSTEAD OF INSERT trigger.");
		return DH_ESQL;
	}
	if (st->where_clause)
		return dh_err_sql(r->err, "0A000", "COPY FROM with WHERE is not supported yet");
	int *attn, n;
	if ((rc = copy_columns(r, st, t, &attn, &n)))
		return rc;
	char *fnn = dh_arena_zalloc(r->a, (size_t)n + 1), *fnull = dh_arena_zalloc(r->a, (size_t)n + 1);
	if ((rc = force_cols(r, t, o.fnn, attn, n, "FORCE_NOT_NULL", fnn)) ||
	    (rc = force_cols(r, t, o.fnull, attn, n, "FORCE_NULL", fnull)))
		return rc;
	/* the other columns' defaults, compiled once */
	char *listed = dh_arena_zalloc(r->a, (size_t)t->ncols + 1);
	for (int k = 0; k < n; k++)
		listed[attn[k]] = 1;
	struct dh_sqlx **dflt = dh_arena_zalloc(r->a, (size_t)(t->ncols + 1) * sizeof(*dflt));
	for (int k = 0; k < t->ncols; k++)
		if (!listed[k] && t->cols[k].dflt && !t->cols[k].identity &&
		    (rc = dh__sqlc_compile_default(r, &t->cols[k], &dflt[k])))
			return rc;
	struct dh_sqlx_run run = {.a = r->a, .err = r->err, .env = dh__sql_env(r->s), .ctx = r,
				  .call = dh__sqlc_call_hook};
	struct sqlc_con cx;
	if ((rc = dh__sqlcon_open(&cx, r, w, t, 1))) {
		dh__sqlcon_close(&cx);
		return rc;
	}
	if ((rc = h->begin_in(hctx, n, o.csv, r->err))) {
		dh__sqlcon_close(&cx);
		return rc;
	}
	/* PostgreSQL (CopyFrom) freezes rows only into a table whose every
	 * row the transaction wrote: one it created or truncated in the
	 * current subtransaction.  The datoms of an immutable store are
	 * final once committed anyway: FREEZE changes nothing else. */
	if (o.freeze && !dh__sqlsess_isnewrel(r->s, w, t->eid)) {
		dh__sqlcon_close(&cx);
		return dh_err_sql(r->err, "55000",
				  "cannot perform COPY FREEZE because the table was not created or "
				  "truncated in the current subtransaction");
	}
	struct rdr d = {.r = r, .h = h, .ctx = hctx, .o = &o};
	dh_buf_init(&d.in, 0);
	dh_buf_init(&d.lb, 0);
	struct fields f = {0};
	dh_buf_init(&f.out, 0);
	struct loader L = {.r = r, .w = w, .t = t, .cx = &cx, .relname = relname};
	L.p = xmalloc(MAX_BUFFERED_TUPLES * sizeof(*L.p));
	volatile sig_atomic_t *cancel = dh__sql_cancel(r->s);
	size_t rows = 0;
	const struct dh_sqlenv *env = dh__sql_env(r->s);
	for (;;) {
		if (cancel && *cancel) {
			rc = dh_err_canceled(r->err, *cancel);
			add_context(r->err, "COPY %s, line %llu", relname,
				    (unsigned long long)d.lineno + 1);
			break;
		}
		if (d.lineno == 0 && o.header) {
			d.lineno++;
			if ((rc = read_line(&d)) <= 0) {
				if (rc < 0)
					add_context(r->err, "COPY %s, line %llu", relname,
						    (unsigned long long)d.lineno);
				break;
			}
		}
		d.lineno++;
		if ((rc = read_line(&d)) <= 0) {
			if (rc < 0)
				add_context(r->err, "COPY %s, line %llu", relname,
					    (unsigned long long)d.lineno);
			break;
		}
		rc = o.csv ? split_csv(&o, d.line, d.len, &f, r->err)
			   : split_text(&o, d.line, d.len, &f, r->err);
		if (rc == 0 && n > 0 && (int)f.n > n)
			rc = dh_err_sql(r->err, "22P04", "extra data after last expected column");
		struct dh_value *vals = NULL;
		if (rc == 0) {
			vals = dh_arena_alloc(r->a, (size_t)(t->ncols + 1) * sizeof(*vals));
			for (int k = 0; k <= t->ncols; k++)
				vals[k].type = DH_T_NONE;
		}
		for (int k = 0; k < n && rc == 0; k++) {
			const struct dh_sqlcol *c = &t->cols[attn[k]];
			if (k >= (int)f.n) {
				rc = dh_err_sql(r->err, "22P04", "missing data for column \"%s\"", c->name);
				break;
			}
			const char *v = f.v[k];
			size_t vl = f.len[k];
			if (o.csv) {
				if (!v && fnn[k]) {
					v = o.null_s;
					vl = o.nulllen;
				} else if (v && fnull[k] && vl == o.nulllen &&
					   memcmp(v, o.null_s, vl) == 0) {
					v = NULL;
				}
			}
			if (!v)
				continue;
			if ((rc = dh_sqltype_in(c->type, c->typmod, v, vl, env, r->a, &vals[attn[k]],
						r->err))) {
				r->err->position = 0;
				add_context(r->err, "COPY %s, line %llu, column %s: \"%s\"", relname,
					    (unsigned long long)d.lineno, c->name,
					    printout(r->a, v));
				goto out;
			}
		}
		for (int k = 0; k < t->ncols && rc == 0; k++)
			if (!listed[k]) {
				if (dflt[k])
					rc = dh_sqlx_eval(dflt[k], &run, &vals[k]);
				else if (t->cols[k].identity)
					rc = dh__sqlc_default_value(r, &t->cols[k], &vals[k]);
			}
		if (rc == 0 && !(rc = dh__sqlc_check_notnull(r, t, vals)))
			rc = dh__sqlcon_check(&cx, vals);
		if (rc) {
			r->err->position = 0;
			add_context(r->err, "COPY %s, line %llu: \"%s\"", relname,
				    (unsigned long long)d.lineno, printout(r->a, d.line));
			break;
		}
		L.p[L.np++] = (struct pend){vals, d.lineno};
		L.bytes += d.len;
		rows++;
		if ((L.np >= MAX_BUFFERED_TUPLES || L.bytes >= MAX_BUFFERED_BYTES) && (rc = flush(&L)))
			break;
	}
out:
	if (rc == 0)
		rc = flush(&L);
	if (rc == 0)
		rc = drain(&d);
	if (rc == 0)
		rc = dh__sqlcon_after(&cx);
	dh__sqlcon_close(&cx);
	free(L.p);
	free(L.ops);
	free(f.v);
	free(f.len);
	free(f.off);
	dh_buf_release(&f.out);
	dh_buf_release(&d.in);
	dh_buf_release(&d.lb);
	if (rc)
		return rc;
	return dh__sqlc_emit(r, dh_arena_printf(r->a, "COPY %zu", rows), 0, NULL, NULL, 0);
}

/* --- COPY TO --- */

/* CopyAttributeOutText */
static void
out_text(struct dh_buf *b, const char *s, char delim)
{
	for (const char *p = s; *p; p++) {
		unsigned char c = (unsigned char)*p;
		if (c < 0x20) {
			char e = 0;
			switch (c) {
			case '\b': e = 'b'; break;
			case '\f': e = 'f'; break;
			case '\n': e = 'n'; break;
			case '\r': e = 'r'; break;
			case '\t': e = 't'; break;
			case '\v': e = 'v'; break;
			default:
				if (c == (unsigned char)delim)
					e = (char)c;
				break;
			}
			if (e) {
				dh_buf_addc(b, '\\');
				dh_buf_addc(b, e);
			} else {
				dh_buf_addc(b, c);
			}
		} else if (c == '\\' || c == (unsigned char)delim) {
			dh_buf_addc(b, '\\');
			dh_buf_addc(b, c);
		} else {
			dh_buf_addc(b, c);
		}
	}
}

/* CopyAttributeOutCSV */
static void
out_csv(struct dh_buf *b, const struct copyopts *o, const char *s, int quote, int single)
{
	if (!quote && strcmp(s, o->null_s) == 0)
		quote = 1;
	if (!quote) {
		if (single && strcmp(s, "\\.") == 0)
			quote = 1;
		else
			for (const char *p = s; *p && !quote; p++)
				quote = *p == o->delim || *p == o->quote || *p == '\n' || *p == '\r';
	}
	if (!quote) {
		dh_buf_adds(b, s);
		return;
	}
	dh_buf_addc(b, o->quote);
	for (const char *p = s; *p; p++) {
		if (*p == o->quote || *p == o->escape)
			dh_buf_addc(b, o->escape);
		dh_buf_addc(b, *p);
	}
	dh_buf_addc(b, o->quote);
}

static char *
quote_ident(struct dh_arena *a, const char *s)
{
	struct dh_buf b;
	dh_buf_init(&b, 0);
	dh_buf_addc(&b, '"');
	for (; *s; s++) {
		if (*s == '"')
			dh_buf_addc(&b, '"');
		dh_buf_addc(&b, *s);
	}
	dh_buf_addc(&b, '"');
	char *out = dh_arena_strndup(a, (const char *)b.p, b.len);
	dh_buf_release(&b);
	return out;
}

static int
copy_to(struct dh__sqlrun *r, const PgQuery__CopyStmt *st)
{
	void *hctx;
	const struct dh_sql_copy *h = dh__sql_copy(r->s, &hctx);
	struct copyopts o;
	PgQuery__ParseResult *tree = NULL;
	const PgQuery__SelectStmt *sel = NULL;
	const char **names = NULL;
	int nnames = 0, rc;
	if (st->relation) {
		const PgQuery__RangeVar *rv = st->relation;
		struct dh_view *v;
		const struct dh_schema *sc;
		struct dh_sqltable *t;
		char kind = 0;
		if (rv->schemaname && *rv->schemaname && strcmp(rv->schemaname, "public") != 0)
			return dh_err_sql(r->err, "3F000", "schema \"%s\" does not exist",
					  rv->schemaname);
		if ((rc = dh__sql_view(r->s, &v, &sc, r->err)) ||
		    (rc = dh__sqlcat_relkind(v, sc, rv->relname, r->a, &kind, r->err)))
			return rc;
		if (kind == 'v' || kind == 'S') {
			dh_err_sql(r->err, "42809", "cannot copy from %s \"%s\"",
				   kind == 'v' ? "view" : "sequence", given_name(st));
			dh_err_hint(r->err, "Try the COPY (SELECT ...) TO variant.");
			return DH_ESQL;
		}
		if ((rc = dh__sql_table(r->s, v, sc, rv->relname, r->a, &t, r->err)))
			return rc;
		if ((rc = copy_options(r, st, &o)))
			return rc;
		int *attn, n;
		if ((rc = copy_columns(r, st, t, &attn, &n)))
			return rc;
		struct dh_buf q;
		dh_buf_init(&q, 0);
		dh_buf_adds(&q, "SELECT ");
		for (int k = 0; k < n; k++)
			dh_buf_printf(&q, "%s%s", k ? ", " : "", quote_ident(r->a, t->cols[attn[k]].name));
		dh_buf_printf(&q, " FROM %s", quote_ident(r->a, rv->relname));
		PgQueryProtobufParseResult pr = pg_query_parse_protobuf((const char *)q.p);
		dh_buf_release(&q);
		if (pr.error) {
			rc = dh_err_sql(r->err, "XX000", "COPY: %s", pr.error->message);
			pg_query_free_protobuf_parse_result(pr);
			return rc;
		}
		tree = pg_query__parse_result__unpack(NULL, pr.parse_tree.len,
						      (const uint8_t *)pr.parse_tree.data);
		pg_query_free_protobuf_parse_result(pr);
		sel = tree->stmts[0]->stmt->select_stmt;
		if (!n) {
			/* SELECT FROM t: no columns, one empty line per row */
			sel = NULL;
		}
	} else {
		const PgQuery__Node *qn = st->query;
		if (qn->node_case != PG_QUERY__NODE__NODE_SELECT_STMT)
			return dh_err_sql(r->err, "0A000",
					  "COPY (%s) TO is not supported yet", dh__sqlc_node_name(qn));
		if (qn->select_stmt->into_clause)
			return dh_err_sql(r->err, "0A000", "COPY (SELECT INTO) is not supported");
		if ((rc = copy_options(r, st, &o)))
			return rc;
		sel = qn->select_stmt;
	}
	struct dh_sql_col *cols = NULL;
	int ncols = 0;
	struct dh_value *rows = NULL;
	size_t nrows = 0;
	if (sel) {
		rc = dh__sqlc_select(r, sel, 0, &cols, &ncols, &rows, &nrows);
	} else {
		/* a table copied without columns: its rows count, as empty lines */
		PgQueryProtobufParseResult pr = pg_query_parse_protobuf(
		    dh_arena_printf(r->a, "SELECT 1 FROM %s", quote_ident(r->a, st->relation->relname)));
		PgQuery__ParseResult *t2 = pg_query__parse_result__unpack(
		    NULL, pr.parse_tree.len, (const uint8_t *)pr.parse_tree.data);
		pg_query_free_protobuf_parse_result(pr);
		struct dh_sql_col *c1;
		int n1;
		struct dh_value *r1;
		rc = dh__sqlc_select(r, t2->stmts[0]->stmt->select_stmt, 0, &c1, &n1, &r1, &nrows);
		pg_query__parse_result__free_unpacked(t2, NULL);
	}
	if (rc) {
		if (tree)
			pg_query__parse_result__free_unpacked(tree, NULL);
		return rc;
	}
	names = dh_arena_alloc(r->a, (size_t)(ncols + 1) * sizeof(*names));
	for (int k = 0; k < ncols; k++)
		names[k] = dh_arena_strdup(r->a, cols[k].name); /* they may point into tree */
	nnames = ncols;
	if (tree)
		pg_query__parse_result__free_unpacked(tree, NULL);
	char *fq = dh_arena_zalloc(r->a, (size_t)ncols + 1);
	for (size_t i = 0; o.fq && i < o.fq->n_items; i++) {
		const char *name = dh__sqlc_str(o.fq->items[i]);
		int k;
		for (k = 0; k < nnames && strcmp(names[k], name ? name : "") != 0; k++)
			;
		if (k == nnames) {
			if (st->relation)
				return dh_err_sql(r->err, "42703",
						  "column \"%s\" of relation \"%s\" does not exist",
						  name ? name : "?", given_name(st));
			return dh_err_sql(r->err, "42703", "column \"%s\" does not exist",
					  name ? name : "?");
		}
		fq[k] = 1;
	}
	for (int k = 0; o.fq_all && k < ncols; k++)
		fq[k] = 1;
	if (!h || !h->begin_out || !h->write)
		return dh_err_sql(r->err, "0A000",
				  "COPY TO STDOUT is not supported here: no client takes this session's "
				  "COPY data");
	if ((rc = h->begin_out(hctx, ncols, o.csv, r->err)))
		return rc;
	struct dh_buf line, cell;
	dh_buf_init(&line, 0);
	dh_buf_init(&cell, 0);
	const struct dh_sqlenv *env = dh__sql_env(r->s);
	if (o.header) {
		for (int k = 0; k < ncols; k++) {
			if (k)
				dh_buf_addc(&line, o.delim);
			if (o.csv)
				out_csv(&line, &o, names[k], 0, ncols == 1);
			else
				out_text(&line, names[k], o.delim);
		}
		dh_buf_addc(&line, '\n');
		rc = h->write(hctx, (const char *)line.p, line.len, r->err);
	}
	for (size_t i = 0; i < nrows && rc == 0; i++) {
		dh_buf_reset(&line);
		for (int k = 0; k < ncols && rc == 0; k++) {
			const struct dh_value *v = &rows[i * (size_t)ncols + (size_t)k];
			if (k)
				dh_buf_addc(&line, o.delim);
			if (v->type == DH_T_NONE) {
				dh_buf_adds(&line, o.null_s);
				continue;
			}
			dh_buf_reset(&cell);
			if ((rc = dh_sqltype_out(cols[k].type_oid, v, env, &cell))) {
				rc = dh_err_set(r->err, rc, "cannot print a value of type %u",
						cols[k].type_oid);
				break;
			}
			if (o.csv)
				out_csv(&line, &o, (const char *)cell.p, fq[k], ncols == 1);
			else
				out_text(&line, (const char *)cell.p, o.delim);
		}
		dh_buf_addc(&line, '\n');
		if (rc == 0)
			rc = h->write(hctx, (const char *)line.p, line.len, r->err);
	}
	dh_buf_release(&line);
	dh_buf_release(&cell);
	if (rc)
		return rc;
	return dh__sqlc_emit(r, dh_arena_printf(r->a, "COPY %zu", nrows), 0, NULL, NULL, 0);
}

int
dh__sqlc_copy(struct dh__sqlrun *r, const PgQuery__CopyStmt *st)
{
	if (st->is_program)
		return dh_err_sql(r->err, "0A000",
				  "COPY to or from an external program is not supported: the server "
				  "runs no programs for clients");
	if (st->filename && *st->filename)
		return dh_err_sql(r->err, "0A000",
				  "COPY to or from a file is not supported: the server reads and writes "
				  "no files for clients (use STDIN or STDOUT, or psql's \\copy)");
	return st->is_from ? copy_from(r, st) : copy_to(r, st);
}
