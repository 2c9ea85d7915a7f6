/*
 * sqlarray: PostgreSQL 15's arrays (see sqlarray.h for the representation).
 * Every function unpacks its arguments into the flat view PostgreSQL itself
 * uses (dims, lower bounds, row-major elements), so the code can follow
 * arrayfuncs.c and array_userfuncs.c closely, and packs the result back.
 */
#include <ctype.h>
#include <limits.h>
#include <stdlib.h>
#include <string.h>

#include "sqlarray.h"

static void
set_null(struct dh_value *out)
{
	memset(out, 0, sizeof(*out));
	out->type = DH_T_NONE;
}

static void
set_long(struct dh_value *out, int64_t i)
{
	memset(out, 0, sizeof(*out));
	out->type = DH_T_LONG;
	out->i = i;
}

static void
set_bool(struct dh_value *out, int b)
{
	memset(out, 0, sizeof(*out));
	out->type = DH_T_BOOL;
	out->b = !!b;
}

static int
is_null(const struct dh_value *v)
{
	return v == NULL || v->type == DH_T_NONE;
}

/* --- representation ------------------------------------------------------------ */

static int
flatten(const struct dh_value *v, int level, struct dh_array *arr, struct dh_value *dst,
	size_t *k)
{
	const struct dh_coll *c = v->coll;
	if ((int)c->n != arr->dims[level])
		return -1;
	for (size_t i = 0; i < c->n; i++) {
		const struct dh_value *e = &c->items[i];
		if (level + 1 < arr->ndim) {
			if (e->type != DH_T_COLL || flatten(e, level + 1, arr, dst, k))
				return -1;
		} else {
			if (e->type == DH_T_COLL)
				return -1;
			dst[(*k)++] = *e;
		}
	}
	return 0;
}

int
dh_array_unpack(const struct dh_value *v, struct dh_arena *a, struct dh_array *out,
		struct dh_err *err)
{
	const struct dh_value *data = v;
	const struct dh_coll *lbs = NULL;
	memset(out, 0, sizeof(*out));
	if (v->type != DH_T_COLL)
		return dh_err_sql(err, "22000", "value is not an array");
	if (v->coll->kind == DH_COLL_LIST && v->coll->n == 2 &&
	    v->coll->items[0].type == DH_T_COLL && v->coll->items[1].type == DH_T_COLL) {
		lbs = v->coll->items[0].coll;
		data = &v->coll->items[1];
	}
	if (data->coll->n == 0)
		return 0;
	/* dimensions from the first element at each level */
	const struct dh_value *p = data;
	size_t total = 1;
	while (p->type == DH_T_COLL) {
		if (out->ndim == DH_ARRAY_MAXDIM)
			return dh_err_sql(err, "54000",
					  "number of array dimensions (%d) exceeds the maximum "
					  "allowed (%d)",
					  out->ndim + 1, DH_ARRAY_MAXDIM);
		if (p->coll->n == 0)
			return dh_err_sql(err, "2202E", "multidimensional arrays must have array "
							"expressions with matching dimensions");
		out->dims[out->ndim] = (int)p->coll->n;
		out->lbs[out->ndim] = 1;
		total *= p->coll->n;
		out->ndim++;
		p = &p->coll->items[0];
	}
	out->n = total;
	out->e = dh_arena_alloc(a, total * sizeof(struct dh_value));
	size_t k = 0;
	if (flatten(data, 0, out, out->e, &k) || k != total)
		return dh_err_sql(err, "2202E", "multidimensional arrays must have array "
						"expressions with matching dimensions");
	if (lbs)
		for (int i = 0; i < out->ndim && i < (int)lbs->n; i++)
			out->lbs[i] = (int)lbs->items[i].i;
	return 0;
}

static void
build(const struct dh_array *arr, int level, size_t *k, struct dh_arena *a, struct dh_value *out)
{
	struct dh_coll *c = dh_arena_zalloc(a, sizeof(*c));
	c->kind = DH_COLL_VECTOR;
	c->n = (size_t)arr->dims[level];
	c->items = dh_arena_alloc(a, c->n * sizeof(struct dh_value));
	for (size_t i = 0; i < c->n; i++) {
		if (level + 1 < arr->ndim)
			build(arr, level + 1, k, a, &c->items[i]);
		else
			c->items[i] = arr->e[(*k)++];
	}
	memset(out, 0, sizeof(*out));
	out->type = DH_T_COLL;
	out->coll = c;
}

void
dh_array_pack(const struct dh_array *arr, struct dh_arena *a, struct dh_value *out)
{
	int plain = 1;
	memset(out, 0, sizeof(*out));
	if (arr->ndim == 0 || arr->n == 0) {
		struct dh_coll *c = dh_arena_zalloc(a, sizeof(*c));
		c->kind = DH_COLL_VECTOR;
		out->type = DH_T_COLL;
		out->coll = c;
		return;
	}
	size_t k = 0;
	struct dh_value data;
	build(arr, 0, &k, a, &data);
	for (int i = 0; i < arr->ndim; i++)
		if (arr->lbs[i] != 1)
			plain = 0;
	if (plain) {
		*out = data;
		return;
	}
	struct dh_coll *lb = dh_arena_zalloc(a, sizeof(*lb));
	lb->kind = DH_COLL_VECTOR;
	lb->n = (size_t)arr->ndim;
	lb->items = dh_arena_zalloc(a, lb->n * sizeof(struct dh_value));
	for (int i = 0; i < arr->ndim; i++)
		set_long(&lb->items[i], arr->lbs[i]);
	struct dh_coll *c = dh_arena_zalloc(a, sizeof(*c));
	c->kind = DH_COLL_LIST;
	c->n = 2;
	c->items = dh_arena_zalloc(a, 2 * sizeof(struct dh_value));
	c->items[0].type = DH_T_COLL;
	c->items[0].coll = lb;
	c->items[1] = data;
	out->type = DH_T_COLL;
	out->coll = c;
}

static void
pack1(struct dh_value *e, size_t n, int lb, struct dh_arena *a, struct dh_value *out)
{
	struct dh_array r = {.ndim = n ? 1 : 0, .n = n, .e = e};
	r.dims[0] = (int)n;
	r.lbs[0] = lb;
	dh_array_pack(&r, a, out);
}

/* --- text input ----------------------------------------------------------------- */

static int
array_isspace(char c)
{
	return c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\v' || c == '\f';
}

static int
malformed(struct dh_err *err, const char *s, size_t n, const char *detail_fmt, ...)
	DH_PRINTF(4, 5);

static int
malformed(struct dh_err *err, const char *s, size_t n, const char *detail_fmt, ...)
{
	int rc = dh_err_sql(err, "22P02", "malformed array literal: \"%.*s\"", (int)n, s);
	if (err && detail_fmt) {
		va_list ap;
		va_start(ap, detail_fmt);
		vsnprintf(err->detail, sizeof(err->detail), detail_fmt, ap);
		va_end(ap);
	}
	return rc;
}

enum pstate {
	NO_LEVEL,
	LEVEL_STARTED,
	ELEM_STARTED,
	ELEM_COMPLETED,
	QUOTED_ELEM_STARTED,
	QUOTED_ELEM_COMPLETED,
	ELEM_DELIMITED,
	LEVEL_COMPLETED,
	LEVEL_DELIMITED,
};

/* ArrayCount() of PostgreSQL 15: validates the brace structure and counts
 * the dimensions.  str is NUL-terminated (orig for messages). */
static int
array_count(const char *str, int *dim, char delim, const char *orig, size_t on, int *ndim_out,
	    struct dh_err *err)
{
	int nest = 0, ndim = 1, temp[DH_ARRAY_MAXDIM], nelems[DH_ARRAY_MAXDIM],
	    nelems_last[DH_ARRAY_MAXDIM];
	int in_quotes = 0, eo = 0, empty = 1;
	enum pstate ps = NO_LEVEL;
	const char *p = str;
	for (int i = 0; i < DH_ARRAY_MAXDIM; i++) {
		temp[i] = dim[i] = nelems_last[i] = 0;
		nelems[i] = 1;
	}
	while (!eo) {
		int done = 0;
		while (!done) {
			if (ps == ELEM_STARTED || ps == QUOTED_ELEM_STARTED)
				empty = 0;
			switch (*p) {
			case '\0':
				return malformed(err, orig, on, "Unexpected end of input.");
			case '\\':
				if (ps != LEVEL_STARTED && ps != ELEM_STARTED &&
				    ps != QUOTED_ELEM_STARTED && ps != ELEM_DELIMITED)
					return malformed(err, orig, on, "Unexpected \"%c\" character.",
							 '\\');
				if (ps != QUOTED_ELEM_STARTED)
					ps = ELEM_STARTED;
				if (p[1])
					p++;
				else
					return malformed(err, orig, on, "Unexpected end of input.");
				break;
			case '"':
				if (ps != LEVEL_STARTED && ps != QUOTED_ELEM_STARTED &&
				    ps != ELEM_DELIMITED)
					return malformed(err, orig, on, "Unexpected array element.");
				in_quotes = !in_quotes;
				ps = in_quotes ? QUOTED_ELEM_STARTED : QUOTED_ELEM_COMPLETED;
				break;
			case '{':
				if (!in_quotes) {
					if (ps != NO_LEVEL && ps != LEVEL_STARTED && ps != LEVEL_DELIMITED)
						return malformed(err, orig, on,
								 "Unexpected \"%c\" character.", '{');
					ps = LEVEL_STARTED;
					if (nest >= DH_ARRAY_MAXDIM)
						return dh_err_sql(err, "54000",
								  "number of array dimensions (%d) "
								  "exceeds the maximum allowed (%d)",
								  nest + 1, DH_ARRAY_MAXDIM);
					temp[nest] = 0;
					nest++;
					if (ndim < nest)
						ndim = nest;
				}
				break;
			case '}':
				if (!in_quotes) {
					if (ps != ELEM_STARTED && ps != ELEM_COMPLETED &&
					    ps != QUOTED_ELEM_COMPLETED && ps != LEVEL_COMPLETED &&
					    !(nest == 1 && ps == LEVEL_STARTED))
						return malformed(err, orig, on,
								 "Unexpected \"%c\" character.", '}');
					ps = LEVEL_COMPLETED;
					if (nest == 0)
						return malformed(err, orig, on,
								 "Unmatched \"%c\" character.", '}');
					nest--;
					if (nelems_last[nest] != 0 && nelems[nest] != nelems_last[nest])
						return malformed(err, orig, on,
								 "Multidimensional arrays must have "
								 "sub-arrays with matching dimensions.");
					nelems_last[nest] = nelems[nest];
					nelems[nest] = 1;
					if (nest == 0)
						eo = done = 1;
					else
						temp[nest - 1]++;
				}
				break;
			default:
				if (!in_quotes) {
					if (*p == delim) {
						if (ps != ELEM_STARTED && ps != ELEM_COMPLETED &&
						    ps != QUOTED_ELEM_COMPLETED && ps != LEVEL_COMPLETED)
							return malformed(err, orig, on,
									 "Unexpected \"%c\" character.",
									 delim);
						ps = ps == LEVEL_COMPLETED ? LEVEL_DELIMITED
									   : ELEM_DELIMITED;
						done = 1;
						nelems[nest - 1]++;
					} else if (!array_isspace(*p)) {
						if (ps != LEVEL_STARTED && ps != ELEM_STARTED &&
						    ps != ELEM_DELIMITED)
							return malformed(err, orig, on,
									 "Unexpected array element.");
						ps = ELEM_STARTED;
					}
				}
				break;
			}
			if (!done)
				p++;
		}
		temp[ndim - 1]++;
		p++;
	}
	while (*p)
		if (!array_isspace(*p++))
			return malformed(err, orig, on, "Junk after closing right brace.");
	if (empty) {
		*ndim_out = 0;
		return 0;
	}
	for (int i = 0; i < ndim; i++)
		dim[i] = temp[i];
	*ndim_out = ndim;
	return 0;
}

/* ReadArrayStr(): the items in order, de-quoted, NULL markers found. */
#define READ_BAD INT_MIN /* not a DH_E* code */

static int
read_items(const struct dh_array_elem *et, char *p, size_t nitems, struct dh_arena *a,
	   struct dh_value *vals, struct dh_err *err)
{
	int nest = 0, in_quotes = 0, eo = 0;
	size_t k = 0;
	char delim = et->delim;
	while (!eo) {
		int done = 0, leading = 1, quoted = 0;
		char *start = p, *dst = p, *dend = p;
		while (!done) {
			switch (*p) {
			case '\0':
				return READ_BAD;
			case '\\':
				p++;
				*dst++ = *p++;
				leading = 0;
				dend = dst;
				quoted = 1;
				break;
			case '"':
				in_quotes = !in_quotes;
				if (in_quotes)
					leading = 0;
				else
					dend = dst;
				quoted = 1;
				p++;
				break;
			case '{':
				if (!in_quotes) {
					nest++;
					p++;
				} else
					*dst++ = *p++;
				break;
			case '}':
				if (!in_quotes) {
					nest--;
					if (nest == 0)
						eo = done = 1;
					p++;
				} else
					*dst++ = *p++;
				break;
			default:
				if (in_quotes)
					*dst++ = *p++;
				else if (*p == delim) {
					done = 1;
					p++;
				} else if (array_isspace(*p)) {
					if (leading)
						p++;
					else
						*dst++ = *p++;
				} else {
					*dst++ = *p++;
					leading = 0;
					dend = dst;
				}
				break;
			}
		}
		if (k >= nitems)
			return READ_BAD;
		size_t len = (size_t)(dend - start);
		if (!quoted && len == 4 && strncasecmp(start, "NULL", 4) == 0) {
			set_null(&vals[k]);
		} else {
			int rc = et->in(et->ctx, start, len, a, &vals[k], err);
			if (rc)
				return rc;
		}
		k++;
	}
	return k == nitems ? 0 : -1;
}

int
dh_array_in(const struct dh_array_elem *et, const char *s, size_t n, struct dh_arena *a,
	    struct dh_value *out, struct dh_err *err)
{
	char *str = dh_arena_strndup(a, s, n), *p = str;
	struct dh_array arr = {0};
	int dim[DH_ARRAY_MAXDIM], lb[DH_ARRAY_MAXDIM], ndim = 0, rc;
	/* PostgreSQL's input is a C string: it ends at a NUL */
	n = strlen(str);
	for (;;) {
		char *q;
		while (array_isspace(*p))
			p++;
		if (*p != '[')
			break;
		p++;
		if (ndim >= DH_ARRAY_MAXDIM)
			return dh_err_sql(err, "54000",
					  "number of array dimensions (%d) exceeds the maximum allowed "
					  "(%d)",
					  ndim + 1, DH_ARRAY_MAXDIM);
		for (q = p; isdigit((unsigned char)*q) || *q == '-' || *q == '+'; q++)
			;
		if (q == p)
			return malformed(err, s, n,
					 "\"[\" must introduce explicitly-specified array dimensions.");
		if (*q == ':') {
			*q = 0;
			lb[ndim] = atoi(p);
			p = q + 1;
			for (q = p; isdigit((unsigned char)*q) || *q == '-' || *q == '+'; q++)
				;
			if (q == p)
				return malformed(err, s, n, "Missing array dimension value.");
		} else {
			lb[ndim] = 1;
		}
		if (*q != ']')
			return malformed(err, s, n, "Missing \"%s\" after array dimensions.", "]");
		*q = 0;
		int ub = atoi(p);
		p = q + 1;
		if (ub < lb[ndim])
			return dh_err_sql(err, "2202E", "upper bound cannot be less than lower bound");
		dim[ndim] = ub - lb[ndim] + 1;
		ndim++;
	}
	if (ndim == 0) {
		if (*p != '{')
			return malformed(err, s, n,
					 "Array value must start with \"{\" or dimension information.");
		if ((rc = array_count(p, dim, et->delim, s, n, &ndim, err)))
			return rc;
		for (int i = 0; i < ndim; i++)
			lb[i] = 1;
	} else {
		int nb, db[DH_ARRAY_MAXDIM];
		if (*p != '=')
			return malformed(err, s, n, "Missing \"%s\" after array dimensions.", "=");
		p++;
		while (array_isspace(*p))
			p++;
		if (*p != '{')
			return malformed(err, s, n, "Array contents must start with \"{\".");
		if ((rc = array_count(p, db, et->delim, s, n, &nb, err)))
			return rc;
		if (nb != ndim)
			return malformed(err, s, n,
					 "Specified array dimensions do not match array contents.");
		for (int i = 0; i < ndim; i++)
			if (dim[i] != db[i])
				return malformed(
					err, s, n,
					"Specified array dimensions do not match array contents.");
	}
	size_t nitems = 1;
	for (int i = 0; i < ndim; i++) {
		nitems *= (size_t)dim[i];
		if (nitems > (1u << 27))
			return dh_err_sql(err, "54000",
					  "array size exceeds the maximum allowed (%d)", 134217727);
		if ((long long)lb[i] + dim[i] - 1 > INT_MAX)
			return dh_err_sql(err, "54000",
					  "array lower bound is too large: %d", lb[i]);
	}
	if (ndim == 0 || nitems == 0) {
		dh_array_pack(&arr, a, out);
		return 0;
	}
	arr.ndim = ndim;
	memcpy(arr.dims, dim, sizeof(dim));
	memcpy(arr.lbs, lb, sizeof(lb));
	arr.n = nitems;
	arr.e = dh_arena_alloc(a, nitems * sizeof(struct dh_value));
	rc = read_items(et, p, nitems, a, arr.e, err);
	if (rc == READ_BAD)
		return malformed(err, s, n, NULL);
	if (rc)
		return rc;
	dh_array_pack(&arr, a, out);
	return 0;
}

/* --- text output ------------------------------------------------------------------ */

static void
put_elem_text(struct dh_buf *b, const char *v, size_t n, char delim)
{
	int q = n == 0 || (n == 4 && strncasecmp(v, "NULL", 4) == 0);
	for (size_t i = 0; i < n && !q; i++) {
		char c = v[i];
		if (c == '"' || c == '\\' || c == '{' || c == '}' || c == delim || array_isspace(c))
			q = 1;
	}
	if (!q) {
		dh_buf_add(b, v, n);
		return;
	}
	dh_buf_addc(b, '"');
	for (size_t i = 0; i < n; i++) {
		if (v[i] == '"' || v[i] == '\\')
			dh_buf_addc(b, '\\');
		dh_buf_addc(b, v[i]);
	}
	dh_buf_addc(b, '"');
}

int
dh_array_out(const struct dh_array_elem *et, const struct dh_value *v, struct dh_buf *b)
{
	struct dh_array arr;
	struct dh_arena a;
	struct dh_buf t;
	int rc = 0;
	dh_arena_init(&a);
	dh_buf_init(&t, 0);
	if ((rc = dh_array_unpack(v, &a, &arr, NULL)))
		goto out;
	if (arr.ndim == 0) {
		dh_buf_add(b, "{}", 2);
		goto out;
	}
	for (int i = 0; i < arr.ndim; i++)
		if (arr.lbs[i] != 1) {
			for (int j = 0; j < arr.ndim; j++)
				dh_buf_printf(b, "[%d:%d]", arr.lbs[j], arr.lbs[j] + arr.dims[j] - 1);
			dh_buf_addc(b, '=');
			break;
		}
	int idx[DH_ARRAY_MAXDIM] = {0};
	for (int i = 0; i < arr.ndim; i++)
		dh_buf_addc(b, '{');
	for (size_t k = 0; k < arr.n; k++) {
		if (k > 0) {
			/* close and reopen the dimensions that rolled over */
			int j = arr.ndim - 1;
			while (j > 0 && idx[j] == arr.dims[j]) {
				idx[j] = 0;
				idx[j - 1]++;
				j--;
			}
			int closed = arr.ndim - 1 - j;
			for (int c = 0; c < closed; c++)
				dh_buf_addc(b, '}');
			dh_buf_addc(b, et->delim);
			for (int c = 0; c < closed; c++)
				dh_buf_addc(b, '{');
		}
		const struct dh_value *e = &arr.e[k];
		if (e->type == DH_T_NONE) {
			dh_buf_add(b, "NULL", 4);
		} else {
			dh_buf_reset(&t);
			if ((rc = et->out(et->ctx, e, &t)))
				goto out;
			put_elem_text(b, t.len ? (char *)t.p : "", t.len, et->delim);
		}
		idx[arr.ndim - 1]++;
	}
	for (int i = 0; i < arr.ndim; i++)
		dh_buf_addc(b, '}');
out:
	dh_buf_release(&t);
	dh_arena_release(&a);
	return rc ? rc : b->overflow ? DH_ETOOLONG : 0;
}

/* --- binary --------------------------------------------------------------------------- */

int
dh_array_send(const struct dh_array_elem *et, const struct dh_value *v, struct dh_buf *b)
{
	struct dh_array arr;
	struct dh_arena a;
	struct dh_buf t;
	int rc, hasnull = 0;
	dh_arena_init(&a);
	dh_buf_init(&t, 0);
	if ((rc = dh_array_unpack(v, &a, &arr, NULL)))
		goto out;
	for (size_t k = 0; k < arr.n; k++)
		if (arr.e[k].type == DH_T_NONE)
			hasnull = 1;
	dh_buf_add_u32be(b, (uint32_t)arr.ndim);
	dh_buf_add_u32be(b, (uint32_t)hasnull);
	dh_buf_add_u32be(b, et->oid);
	for (int i = 0; i < arr.ndim; i++) {
		dh_buf_add_u32be(b, (uint32_t)arr.dims[i]);
		dh_buf_add_u32be(b, (uint32_t)arr.lbs[i]);
	}
	for (size_t k = 0; k < arr.n; k++) {
		if (arr.e[k].type == DH_T_NONE) {
			dh_buf_add_u32be(b, 0xffffffffu);
			continue;
		}
		dh_buf_reset(&t);
		if ((rc = et->send(et->ctx, &arr.e[k], &t)))
			goto out;
		dh_buf_add_u32be(b, (uint32_t)t.len);
		dh_buf_add(b, t.p, t.len);
	}
out:
	dh_buf_release(&t);
	dh_arena_release(&a);
	return rc ? rc : b->overflow ? DH_ETOOLONG : 0;
}

int
dh_array_recv(const struct dh_array_elem *et, const unsigned char *p, size_t n,
	      struct dh_arena *a, struct dh_value *out, struct dh_err *err)
{
	struct dh_array arr = {0};
	size_t off = 0;
#define NEED(k)                                                                                  \
	do {                                                                                      \
		if (n - off < (k))                                                                \
			return dh_err_sql(err, "08P01", "insufficient data left in message");     \
	} while (0)
	NEED(12);
	int32_t ndim = (int32_t)dh_get_u32be(p);
	uint32_t flags = dh_get_u32be(p + 4), oid = dh_get_u32be(p + 8);
	off = 12;
	if (ndim < 0)
		return dh_err_sql(err, "22P03", "invalid number of dimensions: %d", ndim);
	if (ndim > DH_ARRAY_MAXDIM)
		return dh_err_sql(err, "54000",
				  "number of array dimensions (%d) exceeds the maximum allowed (%d)",
				  ndim, DH_ARRAY_MAXDIM);
	if (flags != 0 && flags != 1)
		return dh_err_sql(err, "22P03", "invalid array flags");
	if (oid != et->oid && oid < 10000 && et->oid < 10000)
		return dh_err_sql(err, "42804",
				  "binary data has array element type %u instead of expected %u",
				  oid, et->oid);
	size_t nitems = ndim ? 1 : 0;
	arr.ndim = ndim;
	for (int i = 0; i < ndim; i++) {
		NEED(8);
		arr.dims[i] = (int32_t)dh_get_u32be(p + off);
		arr.lbs[i] = (int32_t)dh_get_u32be(p + off + 4);
		off += 8;
		if (arr.dims[i] < 0)
			return dh_err_sql(err, "54000", "array size exceeds the maximum allowed (%d)",
					  134217727);
		nitems *= (size_t)arr.dims[i];
		if (nitems > 134217727)
			return dh_err_sql(err, "54000", "array size exceeds the maximum allowed (%d)",
					  134217727);
		if ((long long)arr.lbs[i] + arr.dims[i] - 1 > INT_MAX)
			return dh_err_sql(err, "54000", "array lower bound is too large: %d",
					  arr.lbs[i]);
	}
	if (nitems == 0) {
		arr.ndim = 0;
		dh_array_pack(&arr, a, out);
		return 0;
	}
	arr.n = nitems;
	arr.e = dh_arena_alloc(a, nitems * sizeof(struct dh_value));
	for (size_t k = 0; k < nitems; k++) {
		NEED(4);
		int32_t len = (int32_t)dh_get_u32be(p + off);
		off += 4;
		if (len < -1 || (len > 0 && (size_t)len > n - off))
			return dh_err_sql(err, "08P01", "insufficient data left in message");
		if (len == -1) {
			set_null(&arr.e[k]);
			continue;
		}
		int rc = et->recv(et->ctx, p + off, (size_t)len, a, &arr.e[k], err);
		if (rc)
			return rc;
		off += (size_t)len;
	}
	dh_array_pack(&arr, a, out);
	return 0;
#undef NEED
}

/* --- storage encoding ----------------------------------------------------------------- */

int
dh_array_encode(const struct dh_value *v, struct dh_arena *a, struct dh_value *out,
		struct dh_err *err)
{
	struct dh_array arr;
	struct dh_buf b;
	int rc;
	if ((rc = dh_array_unpack(v, a, &arr, err)))
		return rc;
	dh_buf_init(&b, 0);
	for (size_t k = 0; k < arr.n && !rc; k++) {
		const struct dh_value *e = &arr.e[k];
		if (e->type == DH_T_NONE) {
			dh_buf_addc(&b, 3);
		} else if (e->type == DH_T_STRING || e->type == DH_T_BYTES ||
			   e->type == DH_T_KEYWORD) {
			dh_buf_addc(&b, 4);
			dh_buf_addc(&b, (int)e->type);
			for (size_t i = 0; i < e->s.n; i++) {
				dh_buf_addc(&b, (unsigned char)e->s.p[i]);
				if (e->s.p[i] == 0)
					dh_buf_addc(&b, 0xff);
			}
			dh_buf_addc(&b, 0);
			dh_buf_addc(&b, 1);
		} else {
			int spilled = 0;
			dh_buf_addc(&b, 2);
			rc = dh_value_encode(&b, e, &spilled);
			if (!rc && spilled)
				rc = DH_ETOOLONG;
			if (rc)
				rc = dh_err_set(err, rc, "cannot encode array element of type %s",
						dh_type_name(e->type));
		}
	}
	dh_buf_addc(&b, 0);
	dh_buf_addc(&b, arr.ndim);
	for (int i = 0; i < arr.ndim; i++) {
		dh_buf_add_u32be(&b, (uint32_t)arr.dims[i] ^ 0x80000000u);
		dh_buf_add_u32be(&b, (uint32_t)arr.lbs[i] ^ 0x80000000u);
	}
	if (!rc && b.overflow)
		rc = dh_err_set(err, DH_ETOOLONG, "array too long to store");
	if (!rc) {
		out->type = DH_T_BYTES;
		out->s.n = b.len;
		out->s.p = dh_arena_memdup(a, b.p, b.len ? b.len : 1);
	}
	dh_buf_release(&b);
	return rc;
}

int
dh_array_decode(const unsigned char *p, size_t n, struct dh_arena *a, struct dh_value *out,
		struct dh_err *err)
{
	struct dh_array arr = {0};
	size_t off = 0, cnt = 0, alloc = 0;
	struct dh_value *e = NULL;
	int rc = 0;
	for (;;) {
		if (off >= n)
			goto bad;
		unsigned char tag = p[off++];
		if (tag == 0)
			break;
		if (cnt == alloc) {
			alloc = alloc ? alloc * 2 : 8;
			e = xrealloc(e, alloc * sizeof(*e));
		}
		struct dh_value *v = &e[cnt++];
		memset(v, 0, sizeof(*v));
		if (tag == 3) {
			v->type = DH_T_NONE;
		} else if (tag == 4) {
			if (off >= n)
				goto bad;
			v->type = (enum dh_type)p[off++];
			if (v->type != DH_T_STRING && v->type != DH_T_BYTES && v->type != DH_T_KEYWORD)
				goto bad;
			struct dh_buf s;
			dh_buf_init(&s, 0);
			for (;;) {
				if (off + 1 >= n) {
					dh_buf_release(&s);
					goto bad;
				}
				if (p[off] == 0 && p[off + 1] == 1) {
					off += 2;
					break;
				}
				if (p[off] == 0 && p[off + 1] != 0xff) {
					dh_buf_release(&s);
					goto bad;
				}
				dh_buf_addc(&s, p[off]);
				off += p[off] == 0 ? 2 : 1;
			}
			v->s.n = s.len;
			v->s.p = dh_arena_memdup(a, s.len ? (void *)s.p : "", s.len + 1);
			dh_buf_release(&s);
		} else if (tag == 2) {
			int k = dh_value_decode(p + off, n - off, v, a, NULL);
			if (k <= 0)
				goto bad;
			off += (size_t)k;
		} else {
			goto bad;
		}
	}
	if (off >= n)
		goto bad;
	arr.ndim = p[off++];
	if (arr.ndim > DH_ARRAY_MAXDIM || n - off != (size_t)arr.ndim * 8)
		goto bad;
	size_t total = arr.ndim ? 1 : 0;
	for (int i = 0; i < arr.ndim; i++) {
		arr.dims[i] = (int32_t)(dh_get_u32be(p + off) ^ 0x80000000u);
		arr.lbs[i] = (int32_t)(dh_get_u32be(p + off + 4) ^ 0x80000000u);
		off += 8;
		if (arr.dims[i] <= 0)
			goto bad;
		total *= (size_t)arr.dims[i];
	}
	if (total != cnt)
		goto bad;
	arr.n = cnt;
	arr.e = cnt ? dh_arena_memdup(a, e, cnt * sizeof(*e)) : NULL;
	dh_array_pack(&arr, a, out);
	goto out;
bad:
	rc = dh_err_set(err, DH_ECORRUPT, "bad array encoding");
out:
	free(e);
	return rc;
}

/* --- comparison --------------------------------------------------------------------- */

static int
cmp_flat(const struct dh_array_elem *et, const struct dh_array *x, const struct dh_array *y)
{
	size_t m = x->n < y->n ? x->n : y->n;
	for (size_t i = 0; i < m; i++) {
		int nx = x->e[i].type == DH_T_NONE, ny = y->e[i].type == DH_T_NONE;
		if (nx && ny)
			continue;
		if (nx)
			return 1;
		if (ny)
			return -1;
		int c = et->cmp(et->ctx, &x->e[i], &y->e[i]);
		if (c)
			return c < 0 ? -1 : 1;
	}
	if (x->n != y->n)
		return x->n < y->n ? -1 : 1;
	if (x->ndim != y->ndim)
		return x->ndim < y->ndim ? -1 : 1;
	for (int i = 0; i < x->ndim; i++)
		if (x->dims[i] != y->dims[i])
			return x->dims[i] < y->dims[i] ? -1 : 1;
	for (int i = 0; i < x->ndim; i++)
		if (x->lbs[i] != y->lbs[i])
			return x->lbs[i] < y->lbs[i] ? -1 : 1;
	return 0;
}

int
dh_array_cmp(const struct dh_array_elem *et, const struct dh_value *x, const struct dh_value *y)
{
	struct dh_arena a;
	struct dh_array ax, ay;
	dh_arena_init(&a);
	dh_array_unpack(x, &a, &ax, NULL);
	dh_array_unpack(y, &a, &ay, NULL);
	int c = cmp_flat(et, &ax, &ay);
	dh_arena_release(&a);
	return c;
}

int
dh_array_eq(const struct dh_array_elem *et, const struct dh_value *x, const struct dh_value *y)
{
	return dh_array_cmp(et, x, y) == 0;
}

uint64_t
dh_array_hash(const struct dh_array_elem *et, const struct dh_value *v)
{
	struct dh_arena a;
	struct dh_array arr;
	uint64_t h = 1;
	dh_arena_init(&a);
	dh_array_unpack(v, &a, &arr, NULL);
	for (int i = 0; i < arr.ndim; i++)
		h = h * 1000003u ^ ((uint64_t)(uint32_t)arr.dims[i] << 32 | (uint32_t)arr.lbs[i]);
	for (size_t k = 0; k < arr.n; k++) {
		uint64_t eh = arr.e[k].type == DH_T_NONE ? 0 : et->hash(et->ctx, &arr.e[k]);
		h = (h << 5) - h + eh; /* PostgreSQL's hash_array combines as 31 * h + e */
	}
	dh_arena_release(&a);
	return h;
}

/* --- operators ----------------------------------------------------------------------- */

#define UNPACK(v, arr)                                                                           \
	do {                                                                                      \
		int rc_ = dh_array_unpack((v), a, &(arr), err);                                   \
		if (rc_)                                                                          \
			return rc_;                                                               \
	} while (0)

static int
eq_elem(const struct dh_array_elem *et, const struct dh_value *x, const struct dh_value *y)
{
	return et->cmp(et->ctx, x, y) == 0;
}

/* array_contain_compare(a1, a2, matchall) */
static int
contain_compare(const struct dh_array_elem *et, const struct dh_array *a1,
		const struct dh_array *a2, int matchall)
{
	int result = matchall;
	for (size_t i = 0; i < a1->n; i++) {
		const struct dh_value *e1 = &a1->e[i];
		if (e1->type == DH_T_NONE) {
			if (matchall)
				return 0;
			continue;
		}
		size_t j;
		for (j = 0; j < a2->n; j++) {
			if (a2->e[j].type == DH_T_NONE)
				continue;
			if (eq_elem(et, e1, &a2->e[j]))
				break;
		}
		if (j < a2->n) {
			if (!matchall)
				return 1;
		} else if (matchall) {
			return 0;
		}
	}
	return result;
}

int
dh_array_contains(const struct dh_array_elem *et, const struct dh_value *x,
		  const struct dh_value *y, struct dh_arena *a, struct dh_value *out,
		  struct dh_err *err)
{
	struct dh_array ax, ay;
	set_null(out);
	if (is_null(x) || is_null(y))
		return 0;
	UNPACK(x, ax);
	UNPACK(y, ay);
	set_bool(out, contain_compare(et, &ay, &ax, 1));
	return 0;
}

int
dh_array_overlap(const struct dh_array_elem *et, const struct dh_value *x,
		 const struct dh_value *y, struct dh_arena *a, struct dh_value *out,
		 struct dh_err *err)
{
	struct dh_array ax, ay;
	set_null(out);
	if (is_null(x) || is_null(y))
		return 0;
	UNPACK(x, ax);
	UNPACK(y, ay);
	set_bool(out, contain_compare(et, &ax, &ay, 0));
	return 0;
}

int
dh_array_cat(const struct dh_value *x, const struct dh_value *y, struct dh_arena *a,
	     struct dh_value *out, struct dh_err *err)
{
	struct dh_array v1, v2, r = {0};
	set_null(out);
	if (is_null(x) && is_null(y))
		return 0;
	if (is_null(x)) {
		*out = *y;
		return 0;
	}
	if (is_null(y)) {
		*out = *x;
		return 0;
	}
	UNPACK(x, v1);
	UNPACK(y, v2);
	if (v1.ndim == 0 && v2.ndim > 0) {
		*out = *y;
		return 0;
	}
	if (v2.ndim == 0) {
		*out = *x;
		return 0;
	}
	if (v1.ndim != v2.ndim && v1.ndim != v2.ndim - 1 && v1.ndim != v2.ndim + 1) {
		int rc = dh_err_sql(err, "2202E", "cannot concatenate incompatible arrays");
		dh_err_detail(err,
			      "Arrays of %d and %d dimensions are not compatible for concatenation.",
			      v1.ndim, v2.ndim);
		return rc;
	}
	if (v1.ndim == v2.ndim) {
		r = v1;
		r.dims[0] = v1.dims[0] + v2.dims[0];
		for (int i = 1; i < r.ndim; i++)
			if (v1.dims[i] != v2.dims[i] || v1.lbs[i] != v2.lbs[i]) {
				int rc = dh_err_sql(err, "2202E",
						    "cannot concatenate incompatible arrays");
				dh_err_detail(err, "Arrays with differing element dimensions are not "
						   "compatible for concatenation.");
				return rc;
			}
	} else {
		const struct dh_array *outer = v1.ndim > v2.ndim ? &v1 : &v2;
		const struct dh_array *inner = v1.ndim > v2.ndim ? &v2 : &v1;
		r = *outer;
		r.dims[0] += 1;
		for (int i = 0; i < inner->ndim; i++)
			if (inner->dims[i] != r.dims[i + 1] || inner->lbs[i] != r.lbs[i + 1]) {
				int rc = dh_err_sql(err, "2202E",
						    "cannot concatenate incompatible arrays");
				dh_err_detail(err, "Arrays with differing dimensions are not "
						   "compatible for concatenation.");
				return rc;
			}
	}
	r.n = v1.n + v2.n;
	r.e = dh_arena_alloc(a, r.n * sizeof(struct dh_value));
	memcpy(r.e, v1.e, v1.n * sizeof(struct dh_value));
	memcpy(r.e + v1.n, v2.e, v2.n * sizeof(struct dh_value));
	dh_array_pack(&r, a, out);
	return 0;
}

static int
append_prepend(const struct dh_value *arr, const struct dh_value *elem, int prepend,
	       struct dh_arena *a, struct dh_value *out, struct dh_err *err)
{
	struct dh_array v = {0}, r = {0};
	if (!is_null(arr))
		UNPACK(arr, v);
	if (v.ndim > 1)
		return dh_err_sql(err, "22000", "argument must be empty or one-dimensional array");
	if (v.ndim == 1 && !prepend && (long long)v.lbs[0] + v.dims[0] > INT_MAX)
		return dh_err_sql(err, "22003", "integer out of range");
	if (v.ndim == 1 && prepend && (long long)v.lbs[0] - 1 < INT_MIN)
		return dh_err_sql(err, "22003", "integer out of range");
	r.ndim = 1;
	r.lbs[0] = v.ndim ? v.lbs[0] : 1;
	r.dims[0] = (int)v.n + 1;
	r.n = v.n + 1;
	r.e = dh_arena_alloc(a, r.n * sizeof(struct dh_value));
	if (prepend) {
		r.e[0] = *elem;
		if (v.n)
			memcpy(r.e + 1, v.e, v.n * sizeof(struct dh_value));
	} else {
		if (v.n)
			memcpy(r.e, v.e, v.n * sizeof(struct dh_value));
		r.e[v.n] = *elem;
	}
	dh_array_pack(&r, a, out);
	return 0;
}

int
dh_array_append(const struct dh_value *arr, const struct dh_value *elem, struct dh_arena *a,
		struct dh_value *out, struct dh_err *err)
{
	return append_prepend(arr, elem, 0, a, out, err);
}

int
dh_array_prepend(const struct dh_value *elem, const struct dh_value *arr, struct dh_arena *a,
		 struct dh_value *out, struct dh_err *err)
{
	return append_prepend(arr, elem, 1, a, out, err);
}

static int
dim_info(const struct dh_value *arr, int64_t dim, int what, struct dh_arena *a,
	 struct dh_value *out, struct dh_err *err)
{
	struct dh_array v;
	set_null(out);
	if (is_null(arr))
		return 0;
	UNPACK(arr, v);
	if (v.ndim == 0 || dim < 1 || dim > v.ndim)
		return 0;
	int d = (int)dim - 1;
	set_long(out, what == 0   ? v.dims[d]
		      : what == 1 ? v.lbs[d]
				  : (int64_t)v.lbs[d] + v.dims[d] - 1);
	return 0;
}

int
dh_array_length(const struct dh_value *arr, int64_t dim, struct dh_arena *a,
		struct dh_value *out, struct dh_err *err)
{
	return dim_info(arr, dim, 0, a, out, err);
}

int
dh_array_lower(const struct dh_value *arr, int64_t dim, struct dh_arena *a,
	       struct dh_value *out, struct dh_err *err)
{
	return dim_info(arr, dim, 1, a, out, err);
}

int
dh_array_upper(const struct dh_value *arr, int64_t dim, struct dh_arena *a,
	       struct dh_value *out, struct dh_err *err)
{
	return dim_info(arr, dim, 2, a, out, err);
}

int
dh_array_cardinality(const struct dh_value *arr, struct dh_arena *a, struct dh_value *out,
		     struct dh_err *err)
{
	struct dh_array v;
	set_null(out);
	if (is_null(arr))
		return 0;
	UNPACK(arr, v);
	set_long(out, (int64_t)v.n);
	return 0;
}

int
dh_array_ndims(const struct dh_value *arr, struct dh_arena *a, struct dh_value *out,
	       struct dh_err *err)
{
	struct dh_array v;
	set_null(out);
	if (is_null(arr))
		return 0;
	UNPACK(arr, v);
	if (v.ndim > 0)
		set_long(out, v.ndim);
	return 0;
}

int
dh_array_dims(const struct dh_value *arr, struct dh_arena *a, struct dh_value *out,
	      struct dh_err *err)
{
	struct dh_array v;
	set_null(out);
	if (is_null(arr))
		return 0;
	UNPACK(arr, v);
	if (v.ndim == 0)
		return 0;
	struct dh_buf b;
	dh_buf_init(&b, 0);
	for (int i = 0; i < v.ndim; i++)
		dh_buf_printf(&b, "[%d:%d]", v.lbs[i], v.lbs[i] + v.dims[i] - 1);
	out->type = DH_T_STRING;
	out->s.n = b.len;
	out->s.p = dh_arena_strndup(a, (char *)b.p, b.len);
	dh_buf_release(&b);
	return 0;
}

/* IS NOT DISTINCT FROM */
static int
same(const struct dh_array_elem *et, const struct dh_value *x, const struct dh_value *y)
{
	int nx = x->type == DH_T_NONE, ny = y->type == DH_T_NONE;
	if (nx || ny)
		return nx && ny;
	return eq_elem(et, x, y);
}

static int
replace(const struct dh_array_elem *et, const struct dh_value *arr, const struct dh_value *search,
	const struct dh_value *repl, int remove, struct dh_arena *a, struct dh_value *out,
	struct dh_err *err)
{
	struct dh_array v;
	set_null(out);
	if (is_null(arr))
		return 0;
	UNPACK(arr, v);
	if (remove && v.ndim > 1)
		return dh_err_sql(err, "0A000", "removing elements from multidimensional arrays is "
						"not supported");
	if (v.ndim == 0) {
		*out = *arr;
		return 0;
	}
	struct dh_array r = v;
	r.e = dh_arena_alloc(a, v.n * sizeof(struct dh_value));
	size_t k = 0;
	for (size_t i = 0; i < v.n; i++) {
		if (same(et, &v.e[i], search)) {
			if (!remove)
				r.e[k++] = *repl;
		} else {
			r.e[k++] = v.e[i];
		}
	}
	r.n = k;
	if (remove) {
		if (k == v.n) {
			*out = *arr;
			return 0;
		}
		r.dims[0] = (int)k;
		if (k == 0)
			r.ndim = 0;
	}
	dh_array_pack(&r, a, out);
	return 0;
}

int
dh_array_remove(const struct dh_array_elem *et, const struct dh_value *arr,
		const struct dh_value *elem, struct dh_arena *a, struct dh_value *out,
		struct dh_err *err)
{
	return replace(et, arr, elem, NULL, 1, a, out, err);
}

int
dh_array_replace(const struct dh_array_elem *et, const struct dh_value *arr,
		 const struct dh_value *search, const struct dh_value *repl, struct dh_arena *a,
		 struct dh_value *out, struct dh_err *err)
{
	return replace(et, arr, search, repl, 0, a, out, err);
}

int
dh_array_position(const struct dh_array_elem *et, const struct dh_value *arr,
		  const struct dh_value *elem, const struct dh_value *start, struct dh_arena *a,
		  struct dh_value *out, struct dh_err *err)
{
	struct dh_array v;
	set_null(out);
	if (is_null(arr))
		return 0;
	UNPACK(arr, v);
	if (v.ndim > 1)
		return dh_err_sql(err, "0A000", "searching for elements in multidimensional arrays "
						"is not supported");
	if (v.ndim == 0)
		return 0;
	long long from = v.lbs[0];
	if (start) {
		if (start->type == DH_T_NONE)
			return dh_err_sql(err, "22004", "initial position must not be null");
		if (start->i > from)
			from = start->i;
	}
	for (long long i = from - v.lbs[0]; i < (long long)v.n; i++)
		if (same(et, &v.e[i], elem)) {
			set_long(out, i + v.lbs[0]);
			return 0;
		}
	return 0;
}

int
dh_array_positions(const struct dh_array_elem *et, const struct dh_value *arr,
		   const struct dh_value *elem, struct dh_arena *a, struct dh_value *out,
		   struct dh_err *err)
{
	struct dh_array v;
	set_null(out);
	if (is_null(arr))
		return 0;
	UNPACK(arr, v);
	if (v.ndim > 1)
		return dh_err_sql(err, "0A000", "searching for elements in multidimensional arrays "
						"is not supported");
	struct dh_value *r = dh_arena_alloc(a, (v.n ? v.n : 1) * sizeof(struct dh_value));
	size_t k = 0;
	for (size_t i = 0; i < v.n; i++)
		if (same(et, &v.e[i], elem))
			set_long(&r[k++], (int64_t)i + v.lbs[0]);
	pack1(r, k, 1, a, out);
	return 0;
}

int
dh_array_to_string(const struct dh_array_elem *et, const struct dh_value *arr,
		   const struct dh_value *delim, const struct dh_value *null_str,
		   struct dh_arena *a, struct dh_value *out, struct dh_err *err)
{
	struct dh_array v;
	set_null(out);
	if (is_null(arr) || is_null(delim))
		return 0;
	UNPACK(arr, v);
	struct dh_buf b;
	int first = 1, rc = 0;
	dh_buf_init(&b, 0);
	for (size_t i = 0; i < v.n && !rc; i++) {
		if (v.e[i].type == DH_T_NONE) {
			if (is_null(null_str))
				continue;
			if (!first)
				dh_buf_add(&b, delim->s.p, delim->s.n);
			dh_buf_add(&b, null_str->s.p, null_str->s.n);
		} else {
			if (!first)
				dh_buf_add(&b, delim->s.p, delim->s.n);
			rc = et->out(et->ctx, &v.e[i], &b);
		}
		first = 0;
	}
	if (!rc) {
		out->type = DH_T_STRING;
		out->s.n = b.len;
		out->s.p = dh_arena_strndup(a, b.len ? (char *)b.p : "", b.len);
	}
	dh_buf_release(&b);
	return rc;
}

static int
split_item(const struct dh_array_elem *et, const char *s, size_t n,
	   const struct dh_value *null_str, struct dh_arena *a, struct dh_value *out,
	   struct dh_err *err)
{
	if (!is_null(null_str) && null_str->s.n == n && memcmp(null_str->s.p, s, n) == 0) {
		set_null(out);
		return 0;
	}
	return et->in(et->ctx, s, n, a, out, err);
}

static size_t
utf8_len(const char *s, size_t left)
{
	unsigned char c = (unsigned char)*s;
	size_t n = c < 0x80 ? 1 : c < 0xe0 ? 2 : c < 0xf0 ? 3 : 4;
	return n > left ? left : n;
}

int
dh_string_to_array(const struct dh_array_elem *et, const struct dh_value *str,
		   const struct dh_value *delim, const struct dh_value *null_str,
		   struct dh_arena *a, struct dh_value *out, struct dh_err *err)
{
	set_null(out);
	if (is_null(str))
		return 0;
	const char *s = str->s.p;
	size_t n = str->s.n, k = 0, alloc = 8;
	struct dh_value *r = dh_arena_alloc(a, alloc * sizeof(*r));
	int rc = 0;
#define PUSH(p, len)                                                                             \
	do {                                                                                      \
		if (k == alloc) {                                                                 \
			struct dh_value *r2 = dh_arena_alloc(a, 2 * alloc * sizeof(*r));          \
			memcpy(r2, r, alloc * sizeof(*r));                                        \
			r = r2;                                                                   \
			alloc *= 2;                                                               \
		}                                                                                 \
		if ((rc = split_item(et, (p), (len), null_str, a, &r[k++], err)))                 \
			return rc;                                                                \
	} while (0)
	if (n == 0) {
		pack1(r, 0, 1, a, out);
		return 0;
	}
	if (is_null(delim)) {
		for (size_t i = 0; i < n;) {
			size_t l = utf8_len(s + i, n - i);
			PUSH(s + i, l);
			i += l;
		}
	} else if (delim->s.n == 0) {
		PUSH(s, n);
	} else {
		size_t start = 0, i = 0;
		while (i + delim->s.n <= n) {
			if (memcmp(s + i, delim->s.p, delim->s.n) == 0) {
				PUSH(s + start, i - start);
				i += delim->s.n;
				start = i;
			} else {
				i += utf8_len(s + i, n - i);
			}
		}
		PUSH(s + start, n - start);
	}
#undef PUSH
	pack1(r, k, 1, a, out);
	return 0;
}

int
dh_array_unnest(const struct dh_value *arr, struct dh_arena *a, struct dh_value *out,
		struct dh_err *err)
{
	struct dh_array v;
	set_null(out);
	if (is_null(arr))
		return 0;
	UNPACK(arr, v);
	struct dh_coll *c = dh_arena_zalloc(a, sizeof(*c));
	c->kind = DH_COLL_VECTOR;
	c->n = v.n;
	c->items = v.e;
	out->type = DH_T_COLL;
	out->coll = c;
	return 0;
}

static int
stack_arrays(const struct dh_value *items, size_t n, int agg, struct dh_arena *a,
	     struct dh_value *out, struct dh_err *err)
{
	struct dh_array first = {0}, r = {0};
	int have = 0, haveempty = 0;
	struct dh_array *subs = dh_arena_alloc(a, (n ? n : 1) * sizeof(*subs));
	for (size_t i = 0; i < n; i++) {
		struct dh_array *s = &subs[i];
		memset(s, 0, sizeof(*s));
		if (is_null(&items[i])) {
			if (agg)
				return dh_err_sql(err, "22004", "cannot accumulate null arrays");
			haveempty = 1;
			continue;
		}
		UNPACK(&items[i], *s);
		if (s->ndim == 0) {
			if (agg && !have)
				return dh_err_sql(err, "2202E", "cannot accumulate empty arrays");
			if (agg)
				return dh_err_sql(err, "2202E", "cannot accumulate arrays of "
								"different dimensionality");
			haveempty = 1;
			continue;
		}
		if (!have) {
			first = *s;
			have = 1;
			if (first.ndim + 1 > DH_ARRAY_MAXDIM)
				return dh_err_sql(err, "54000",
						  "number of array dimensions (%d) exceeds the "
						  "maximum allowed (%d)",
						  first.ndim + 1, DH_ARRAY_MAXDIM);
		} else if (s->ndim != first.ndim ||
			   memcmp(s->dims, first.dims, (size_t)s->ndim * sizeof(int)) ||
			   memcmp(s->lbs, first.lbs, (size_t)s->ndim * sizeof(int))) {
			if (agg)
				return dh_err_sql(err, "2202E", "cannot accumulate arrays of "
								"different dimensionality");
			return dh_err_sql(err, "2202E", "multidimensional arrays must have array "
							"expressions with matching dimensions");
		}
	}
	if (!have) {
		dh_array_pack(&r, a, out);
		return 0;
	}
	if (haveempty)
		return dh_err_sql(err, "2202E", "multidimensional arrays must have array "
						"expressions with matching dimensions");
	r.ndim = first.ndim + 1;
	r.dims[0] = (int)n;
	r.lbs[0] = 1;
	memcpy(r.dims + 1, first.dims, (size_t)first.ndim * sizeof(int));
	memcpy(r.lbs + 1, first.lbs, (size_t)first.ndim * sizeof(int));
	r.n = n * first.n;
	r.e = dh_arena_alloc(a, r.n * sizeof(struct dh_value));
	for (size_t i = 0; i < n; i++)
		memcpy(r.e + i * first.n, subs[i].e, first.n * sizeof(struct dh_value));
	dh_array_pack(&r, a, out);
	return 0;
}

int
dh_array_construct(const struct dh_value *items, size_t n, int sub_arrays, struct dh_arena *a,
		   struct dh_value *out, struct dh_err *err)
{
	set_null(out);
	if (sub_arrays)
		return stack_arrays(items, n, 0, a, out, err);
	struct dh_value *e = dh_arena_alloc(a, (n ? n : 1) * sizeof(*e));
	if (n)
		memcpy(e, items, n * sizeof(*e));
	pack1(e, n, 1, a, out);
	return 0;
}

int
dh_array_agg(const struct dh_value *rows, size_t n, int of_arrays, struct dh_arena *a,
	     struct dh_value *out, struct dh_err *err)
{
	set_null(out);
	if (n == 0)
		return 0;
	if (of_arrays)
		return stack_arrays(rows, n, 1, a, out, err);
	return dh_array_construct(rows, n, 0, a, out, err);
}

int
dh_array_subscript(const struct dh_value *arr, const struct dh_value *subs, int nsub,
		   struct dh_arena *a, struct dh_value *out, struct dh_err *err)
{
	struct dh_array v;
	set_null(out);
	if (is_null(arr))
		return 0;
	for (int i = 0; i < nsub; i++)
		if (is_null(&subs[i]))
			return 0;
	if (nsub > DH_ARRAY_MAXDIM)
		return dh_err_sql(err, "54000",
				  "number of array dimensions (%d) exceeds the maximum allowed (%d)",
				  nsub, DH_ARRAY_MAXDIM);
	UNPACK(arr, v);
	if (v.ndim != nsub || v.ndim == 0)
		return 0;
	size_t off = 0;
	for (int i = 0; i < nsub; i++) {
		int64_t s = subs[i].i;
		if (s < v.lbs[i] || s >= (int64_t)v.lbs[i] + v.dims[i])
			return 0;
		off = off * (size_t)v.dims[i] + (size_t)(s - v.lbs[i]);
	}
	*out = v.e[off];
	return 0;
}

int
dh_array_slice(const struct dh_value *arr, const struct dh_value *const *lo,
	       const struct dh_value *const *hi, int nsub, struct dh_arena *a, struct dh_value *out,
	       struct dh_err *err)
{
	struct dh_array v, r = {0};
	long long l[DH_ARRAY_MAXDIM], u[DH_ARRAY_MAXDIM];
	set_null(out);
	if (is_null(arr))
		return 0;
	for (int i = 0; i < nsub; i++)
		if ((lo[i] && is_null(lo[i])) || (hi[i] && is_null(hi[i])))
			return 0;
	if (nsub > DH_ARRAY_MAXDIM)
		return dh_err_sql(err, "54000",
				  "number of array dimensions (%d) exceeds the maximum allowed (%d)",
				  nsub, DH_ARRAY_MAXDIM);
	UNPACK(arr, v);
	if (v.ndim < nsub || v.ndim == 0) {
		dh_array_pack(&r, a, out);
		return 0;
	}
	int i;
	for (i = 0; i < nsub; i++) {
		l[i] = lo[i] ? lo[i]->i : v.lbs[i];
		u[i] = hi[i] ? hi[i]->i : (long long)v.lbs[i] + v.dims[i] - 1;
		if (l[i] < v.lbs[i])
			l[i] = v.lbs[i];
		if (u[i] >= (long long)v.lbs[i] + v.dims[i])
			u[i] = (long long)v.lbs[i] + v.dims[i] - 1;
		if (l[i] > u[i]) {
			dh_array_pack(&r, a, out);
			return 0;
		}
	}
	for (; i < v.ndim; i++) {
		l[i] = v.lbs[i];
		u[i] = (long long)v.lbs[i] + v.dims[i] - 1;
	}
	r.ndim = v.ndim;
	r.n = 1;
	for (i = 0; i < v.ndim; i++) {
		r.dims[i] = (int)(u[i] - l[i] + 1);
		r.lbs[i] = 1;
		r.n *= (size_t)r.dims[i];
	}
	r.e = dh_arena_alloc(a, r.n * sizeof(struct dh_value));
	int idx[DH_ARRAY_MAXDIM] = {0};
	for (size_t k = 0; k < r.n; k++) {
		size_t off = 0;
		for (i = 0; i < v.ndim; i++)
			off = off * (size_t)v.dims[i] + (size_t)(l[i] + idx[i] - v.lbs[i]);
		r.e[k] = v.e[off];
		for (i = v.ndim - 1; i >= 0; i--) {
			if (++idx[i] < r.dims[i])
				break;
			idx[i] = 0;
		}
	}
	dh_array_pack(&r, a, out);
	return 0;
}

/* The offset of coordinates c[] in the flat view v. */
static size_t
flat_off(const struct dh_array *v, const long long *c)
{
	size_t off = 0;
	for (int i = 0; i < v->ndim; i++)
		off = off * (size_t)v->dims[i] + (size_t)(c[i] - v->lbs[i]);
	return off;
}

/* Step coordinates c[] through the box l..u in row-major order: 0 at the
 * end. */
static int
box_next(int ndim, long long *c, const long long *l, const long long *u)
{
	for (int i = ndim - 1; i >= 0; i--) {
		if (++c[i] <= u[i])
			return 1;
		c[i] = l[i];
	}
	return 0;
}

int
dh_array_assign(const struct dh_value *arr, const struct dh_value *const *lo,
		const struct dh_value *const *hi, int nsub, int slice, const struct dh_value *src,
		struct dh_arena *a, struct dh_value *out, struct dh_err *err)
{
	struct dh_array v = {0}, r = {0}, sv = {0};
	long long l[DH_ARRAY_MAXDIM], u[DH_ARRAY_MAXDIM], c[DH_ARRAY_MAXDIM];
	int lp[DH_ARRAY_MAXDIM], up[DH_ARRAY_MAXDIM];
	set_null(out);
	if (nsub <= 0 || nsub > DH_ARRAY_MAXDIM)
		return dh_err_sql(err, "54000",
				  "number of array dimensions (%d) exceeds the maximum allowed (%d)",
				  nsub, DH_ARRAY_MAXDIM);
	for (int i = 0; i < nsub; i++) {
		if ((lo[i] && is_null(lo[i])) || (hi[i] && is_null(hi[i])))
			return dh_err_sql(err, "22004",
					  "array subscript in assignment must not be null");
		lp[i] = slice ? lo[i] != NULL : 1;
		up[i] = hi[i] != NULL;
		l[i] = slice ? (lo[i] ? lo[i]->i : 0) : hi[i]->i;
		u[i] = hi[i] ? hi[i]->i : 0;
	}
	/* a NULL array takes the assignment as an empty one does */
	if (!is_null(arr))
		UNPACK(arr, v);
	if (slice && is_null(src)) {
		dh_array_pack(&v, a, out);
		return 0;
	}
	if (slice)
		UNPACK(src, sv);
	if (v.ndim == 0) {
		r.ndim = nsub;
		for (int i = 0; i < nsub; i++) {
			if (slice && (!lp[i] || !up[i])) {
				dh_err_sql(err, "2202E",
					   "array slice subscript must provide both boundaries");
				dh_err_detail(err, "When assigning to a slice of an empty array "
						   "value, slice boundaries must be fully specified.");
				return DH_ESQL;
			}
			if (u[i] < l[i])
				return dh_err_sql(err, "2202E",
						  "upper bound cannot be less than lower bound");
		}
	} else {
		if (slice ? v.ndim < nsub : v.ndim != nsub)
			return dh_err_sql(err, "2202E", "wrong number of array subscripts");
		r.ndim = v.ndim;
		for (int i = 0; i < v.ndim; i++) {
			long long vl = v.lbs[i], vu = (long long)v.lbs[i] + v.dims[i] - 1;
			if (i >= nsub || !lp[i])
				l[i] = vl;
			if (i >= nsub || !up[i])
				u[i] = vu;
			if (u[i] < l[i])
				return dh_err_sql(err, "2202E",
						  "upper bound cannot be less than lower bound");
			/* only a one-dimensional array grows (with NULLs) */
			if (v.ndim > 1 && (l[i] < vl || u[i] > vu))
				return dh_err_sql(err, "2202E", "array subscript out of range");
		}
	}
	r.n = 1;
	for (int i = 0; i < r.ndim; i++) {
		long long rl = l[i], ru = u[i];
		if (v.ndim) {
			if (v.lbs[i] < rl)
				rl = v.lbs[i];
			if ((long long)v.lbs[i] + v.dims[i] - 1 > ru)
				ru = (long long)v.lbs[i] + v.dims[i] - 1;
		}
		if (rl < INT32_MIN || ru > INT32_MAX || ru - rl + 1 > 134217727 ||
		    (double)r.n * (double)(ru - rl + 1) > 134217727.0)
			return dh_err_sql(err, "54000",
					  "array size exceeds the maximum allowed (%d)", 134217727);
		r.lbs[i] = (int)rl;
		r.dims[i] = (int)(ru - rl + 1);
		r.n *= (size_t)r.dims[i];
	}
	r.e = dh_arena_zalloc(a, r.n * sizeof(struct dh_value)); /* NULLs */
	if (v.n) {
		for (int i = 0; i < v.ndim; i++)
			c[i] = v.lbs[i];
		long long vu[DH_ARRAY_MAXDIM], vl[DH_ARRAY_MAXDIM];
		for (int i = 0; i < v.ndim; i++) {
			vl[i] = v.lbs[i];
			vu[i] = (long long)v.lbs[i] + v.dims[i] - 1;
		}
		size_t k = 0;
		do
			r.e[flat_off(&r, c)] = v.e[k++];
		while (box_next(v.ndim, c, vl, vu));
	}
	if (!slice) {
		r.e[flat_off(&r, l)] = *src;
	} else {
		size_t need = 1, k = 0;
		for (int i = 0; i < r.ndim; i++)
			need *= (size_t)(u[i] - l[i] + 1);
		if (sv.n < need)
			return dh_err_sql(err, "2202E", "source array too small");
		memcpy(c, l, sizeof(c));
		do
			r.e[flat_off(&r, c)] = sv.e[k++];
		while (box_next(r.ndim, c, l, u));
	}
	dh_array_pack(&r, a, out);
	return 0;
}

int
dh_array_any(const struct dh_value *x, const struct dh_value *arr, int all, dh_array_pred pred,
	     void *ctx, struct dh_value *out)
{
	struct dh_arena a;
	struct dh_array v;
	int sawnull = 0, rc = 0;
	set_null(out);
	if (is_null(arr))
		return 0;
	dh_arena_init(&a);
	if ((rc = dh_array_unpack(arr, &a, &v, NULL)))
		goto out;
	for (size_t i = 0; i < v.n; i++) {
		int r = pred(ctx, x, &v.e[i]);
		if (r < 0)
			sawnull = 1;
		else if (all && r == 0) {
			set_bool(out, 0);
			goto out;
		} else if (!all && r == 1) {
			set_bool(out, 1);
			goto out;
		}
	}
	if (!sawnull)
		set_bool(out, all);
out:
	dh_arena_release(&a);
	return rc;
}

int
dh_array_pred_eq(void *ctx, const struct dh_value *x, const struct dh_value *e)
{
	const struct dh_array_elem *et = ctx;
	if (is_null(x) || is_null(e))
		return -1;
	return eq_elem(et, x, e);
}
