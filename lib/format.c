/*
 * format: query results as text for people (psql's aligned table) and for
 * programs (CSV, TSV, JSON, NDJSON, EDN); format.h states the rules.
 * Everything is appended to a capped dh_buf, so a result too big for the cap
 * is DH_ETOOLONG instead of a huge allocation.
 */
#include <math.h>
#include <stdint.h>
#include <string.h>

#include "datom.h"
#include "format.h"
#include "util.h"

#include "format-width.h"

static const char *const format_names[] = {
	[DH_FMT_ALIGNED] = "aligned",
	[DH_FMT_CSV] = "csv",
	[DH_FMT_TSV] = "tsv",
	[DH_FMT_JSON] = "json",
	[DH_FMT_NDJSON] = "ndjson",
	[DH_FMT_EDN] = "edn",
};

int
dh_format_from_name(const char *s, enum dh_format *out)
{
	for (size_t i = 0; s && i < DH_ARRAY_SIZE(format_names); i++) {
		if (strcmp(s, format_names[i]) == 0) {
			*out = (enum dh_format)i;
			return 0;
		}
	}
	return DH_EUSAGE;
}

const char *
dh_format_name(enum dh_format f)
{
	if ((size_t)f >= DH_ARRAY_SIZE(format_names))
		return "unknown";
	return format_names[f];
}

/* --- helpers --- */

static const char *
col_name(const struct dh_result *r, size_t j)
{
	return r->cols && r->cols[j] ? r->cols[j] : "";
}

static const struct dh_value *
cell(const struct dh_result *r, size_t row, size_t j)
{
	return &r->rows[row * r->ncols + j];
}

static int
add_spaces(struct dh_buf *b, size_t n)
{
	static const char sp[] = "                                ";
	int rc = 0;
	while (n && rc == 0) {
		size_t k = n < sizeof(sp) - 1 ? n : sizeof(sp) - 1;
		rc = dh_buf_add(b, sp, k);
		n -= k;
	}
	return rc;
}

/* Decode one UTF-8 sequence at p[0..n): its length, or 0 when the bytes are
 * not UTF-8 (stray continuation byte, overlong form, surrogate, beyond
 * U+10FFFF, cut short). */
static size_t
utf8_decode(const unsigned char *p, size_t n, uint32_t *cp)
{
	uint32_t c = p[0], min;
	size_t len;

	if (c < 0x80) {
		*cp = c;
		return 1;
	}
	if (c >= 0xc2 && c <= 0xdf) {
		len = 2;
		c &= 0x1f;
		min = 0x80;
	} else if (c >= 0xe0 && c <= 0xef) {
		len = 3;
		c &= 0x0f;
		min = 0x800;
	} else if (c >= 0xf0 && c <= 0xf4) {
		len = 4;
		c &= 0x07;
		min = 0x10000;
	} else {
		return 0;
	}
	if (n < len)
		return 0;
	for (size_t i = 1; i < len; i++) {
		if ((p[i] & 0xc0) != 0x80)
			return 0;
		c = c << 6 | (p[i] & 0x3f);
	}
	if (c < min || c > 0x10ffff || (c >= 0xd800 && c <= 0xdfff))
		return 0;
	*cp = c;
	return len;
}

/* Row order: sets and collections (unless a bag) sort by dh_value_cmp row
 * by row, so output does not depend on how the engine happened to produce
 * them.  r->rows is const, so an index array is sorted instead. */
static int
rows_sorted(const struct dh_result *r)
{
	return !r->bag && (r->shape == DH_FIND_REL || r->shape == DH_FIND_COLL);
}

static int
row_cmp(const struct dh_result *r, size_t a, size_t b)
{
	for (size_t j = 0; j < r->ncols; j++) {
		int c = dh_value_cmp(cell(r, a, j), cell(r, b, j));
		if (c)
			return c;
	}
	return 0;
}

/* A stable bottom-up merge sort: qsort has no context argument, and
 * qsort_r is not C11. */
static size_t *
row_order(const struct dh_result *r)
{
	size_t n = r->nrows;
	size_t *idx = xmalloc((n ? n : 1) * sizeof(*idx)), *tmp;

	for (size_t i = 0; i < n; i++)
		idx[i] = i;
	if (n < 2 || !rows_sorted(r))
		return idx;
	tmp = xmalloc(n * sizeof(*tmp));
	for (size_t w = 1; w < n; w *= 2) {
		for (size_t lo = 0; lo < n; lo += 2 * w) {
			size_t mid = lo + w < n ? lo + w : n;
			size_t hi = mid + w < n ? mid + w : n;
			size_t i = lo, k = mid, o = lo;
			while (i < mid && k < hi)
				tmp[o++] = row_cmp(r, idx[k], idx[i]) < 0 ? idx[k++] : idx[i++];
			while (i < mid)
				tmp[o++] = idx[i++];
			while (k < hi)
				tmp[o++] = idx[k++];
		}
		size_t *t = idx;
		idx = tmp;
		tmp = t;
	}
	free(tmp);
	return idx;
}

/* --- plain text of a value (aligned, csv and tsv cells) --- */

int
dh_value_print_text(struct dh_buf *b, const struct dh_value *v)
{
	char tmp[48];
	int rc;

	switch (v->type) {
	case DH_T_NONE:
		return 0;
	case DH_T_BOOL:
		return dh_buf_adds(b, v->b ? "true" : "false");
	case DH_T_LONG:
		return dh_buf_printf(b, "%lld", (long long)v->i);
	case DH_T_REF:
		return dh_buf_printf(b, "%llu", (unsigned long long)v->ref);
	case DH_T_BIGDEC:
	case DH_T_STRING:
		return dh_buf_add(b, v->s.p, v->s.n);
	case DH_T_DOUBLE:
		/* PostgreSQL's spelling of the non-finite floats */
		if (isnan(v->d))
			return dh_buf_adds(b, "NaN");
		if (isinf(v->d))
			return dh_buf_adds(b, v->d > 0 ? "Infinity" : "-Infinity");
		dh_double_format(v->d, tmp);
		return dh_buf_adds(b, tmp);
	case DH_T_INSTANT:
		dh_instant_format(v->i, tmp);
		return dh_buf_adds(b, tmp);
	case DH_T_UUID:
		dh_uuid_format(v->uuid, tmp);
		return dh_buf_adds(b, tmp);
	case DH_T_KEYWORD:
		rc = dh_buf_addc(b, ':');
		return rc ? rc : dh_buf_add(b, v->s.p, v->s.n);
	case DH_T_BYTES:
		return dh_base64_encode(b, v->s.p, v->s.n);
	case DH_T_COLL:
		return dh_value_print_edn(b, v);
	default:
		return 0;
	}
}

/* --- JSON --- */

static int
json_string(struct dh_buf *b, const char *s, size_t n)
{
	const unsigned char *p = (const unsigned char *)s;
	size_t run = 0, i = 0;
	int rc = dh_buf_addc(b, '"');

	while (i < n && rc == 0) {
		const char *esc = NULL;
		char u[8];
		uint32_t cp;
		size_t len = 1;

		switch (p[i]) {
		case '"':
			esc = "\\\"";
			break;
		case '\\':
			esc = "\\\\";
			break;
		case '\b':
			esc = "\\b";
			break;
		case '\f':
			esc = "\\f";
			break;
		case '\n':
			esc = "\\n";
			break;
		case '\r':
			esc = "\\r";
			break;
		case '\t':
			esc = "\\t";
			break;
		default:
			if (p[i] < 0x20) {
				snprintf(u, sizeof(u), "\\u%04x", p[i]);
				esc = u;
			} else if (p[i] >= 0x80) {
				len = utf8_decode(p + i, n - i, &cp);
				/* JSON text must be UTF-8: a byte that is not
				 * becomes U+FFFD */
				if (len == 0) {
					esc = "\xef\xbf\xbd";
					len = 1;
				}
			}
		}
		if (esc) {
			rc = dh_buf_add(b, s + run, i - run);
			if (rc == 0)
				rc = dh_buf_adds(b, esc);
			run = i + len;
		}
		i += len;
	}
	if (rc == 0)
		rc = dh_buf_add(b, s + run, n - run);
	if (rc == 0)
		rc = dh_buf_addc(b, '"');
	return rc;
}

/* Is s[0..n) a JSON number?  Canonical bigdec text always is; this only
 * guards against a value built by hand. */
static int
is_json_number(const char *s, size_t n)
{
	size_t i = 0, d;

	if (i < n && s[i] == '-')
		i++;
	for (d = i; i < n && s[i] >= '0' && s[i] <= '9'; i++)
		;
	if (i == d || (s[d] == '0' && i - d > 1))
		return 0;
	if (i < n && s[i] == '.') {
		for (d = ++i; i < n && s[i] >= '0' && s[i] <= '9'; i++)
			;
		if (i == d)
			return 0;
	}
	return i == n;
}

/* A map key as a JSON object key: keywords lose their colon, strings stay,
 * anything else is its EDN text. */
static int
json_key(struct dh_buf *b, const struct dh_value *k)
{
	struct dh_buf t;
	int rc;

	if (k->type == DH_T_KEYWORD || k->type == DH_T_STRING)
		return json_string(b, k->s.p, k->s.n);
	dh_buf_init(&t, b->cap);
	rc = dh_value_print_edn(&t, k);
	if (rc == 0)
		rc = json_string(b, (const char *)t.p, t.len);
	dh_buf_release(&t);
	return rc;
}

static int
json_value(struct dh_buf *b, const struct dh_value *v)
{
	char tmp[48];
	struct dh_buf t;
	int rc;

	switch (v->type) {
	case DH_T_BOOL:
		return dh_buf_adds(b, v->b ? "true" : "false");
	case DH_T_LONG:
		return dh_buf_printf(b, "%lld", (long long)v->i);
	case DH_T_REF:
		return dh_buf_printf(b, "%llu", (unsigned long long)v->ref);
	case DH_T_BIGDEC:
		if (is_json_number(v->s.p, v->s.n))
			return dh_buf_add(b, v->s.p, v->s.n);
		return json_string(b, v->s.p, v->s.n);
	case DH_T_DOUBLE:
		if (isnan(v->d))
			return dh_buf_adds(b, "\"NaN\"");
		if (isinf(v->d))
			return dh_buf_adds(b, v->d > 0 ? "\"Infinity\"" : "\"-Infinity\"");
		/* "1.0", "1.0E20", "1.5E-7": all JSON numbers */
		dh_double_format(v->d, tmp);
		return dh_buf_adds(b, tmp);
	case DH_T_INSTANT:
	case DH_T_UUID:
	case DH_T_KEYWORD:
	case DH_T_BYTES:
		dh_buf_init(&t, b->cap);
		rc = dh_value_print_text(&t, v);
		if (rc == 0)
			rc = json_string(b, (const char *)t.p, t.len);
		dh_buf_release(&t);
		return rc;
	case DH_T_STRING:
		return json_string(b, v->s.p, v->s.n);
	case DH_T_COLL: {
		const struct dh_coll *c = v->coll;
		int map = c->kind == DH_COLL_MAP;
		rc = dh_buf_addc(b, map ? '{' : '[');
		for (size_t i = 0; rc == 0 && i < c->n; i++) {
			if (i)
				rc = dh_buf_addc(b, map && i % 2 ? ':' : ',');
			if (rc)
				break;
			if (map && i % 2 == 0)
				rc = json_key(b, &c->items[i]);
			else
				rc = json_value(b, &c->items[i]);
		}
		return rc ? rc : dh_buf_addc(b, map ? '}' : ']');
	}
	default:
		return dh_buf_adds(b, "null");
	}
}

int
dh_value_print_json(struct dh_buf *b, const struct dh_value *v)
{
	int rc = json_value(b, v);
	/* a scratch buffer may be what overflowed: b would have too */
	if (rc == DH_ETOOLONG)
		b->overflow = 1;
	return rc;
}

static int
json_row(struct dh_buf *b, const struct dh_result *r, size_t row)
{
	int rc = dh_buf_addc(b, '{');
	for (size_t j = 0; rc == 0 && j < r->ncols; j++) {
		if (j)
			rc = dh_buf_addc(b, ',');
		if (rc == 0)
			rc = json_string(b, col_name(r, j), strlen(col_name(r, j)));
		if (rc == 0)
			rc = dh_buf_addc(b, ':');
		if (rc == 0)
			rc = json_value(b, cell(r, row, j));
	}
	return rc ? rc : dh_buf_addc(b, '}');
}

/* json: sqlite3's .mode json layout, one object per line; [] when empty */
static int
format_json(struct dh_buf *b, const struct dh_result *r, const size_t *order, int nd)
{
	int rc = 0;

	if (!nd)
		rc = dh_buf_addc(b, '[');
	for (size_t i = 0; rc == 0 && i < r->nrows; i++) {
		if (i && !nd)
			rc = dh_buf_adds(b, ",\n");
		if (rc == 0)
			rc = json_row(b, r, order[i]);
		if (rc == 0 && nd)
			rc = dh_buf_addc(b, '\n');
	}
	if (rc == 0 && !nd)
		rc = dh_buf_adds(b, "]\n");
	return rc;
}

/* --- text grids: what the table formats print --- */

/* Rows of text cells, from a Datalog result (values printed as text) or a
 * SQL result (text already).  text() appends cell (i, j) of the i-th
 * printed row to t and returns 0, 1 for NULL/nil (nothing appended), or an
 * error. */
struct grid {
	size_t nc, nr;
	const char *(*name)(const void *src, size_t j);
	int (*text)(const void *src, size_t i, size_t j, struct dh_buf *t);
	const int *right; /* right-aligned (numeric) columns */
	const void *src;
};

struct result_src {
	const struct dh_result *r;
	const size_t *order;
};

static const char *
result_name(const void *src, size_t j)
{
	return col_name(((const struct result_src *)src)->r, j);
}

static int
result_text(const void *src, size_t i, size_t j, struct dh_buf *t)
{
	const struct result_src *x = src;
	const struct dh_value *v = cell(x->r, x->order[i], j);
	if (v->type == DH_T_NONE)
		return 1;
	return dh_value_print_text(t, v);
}

static const char *
rows_name(const void *src, size_t j)
{
	return ((const struct dh_rows *)src)->cols[j];
}

static int
rows_text(const void *src, size_t i, size_t j, struct dh_buf *t)
{
	const struct dh_rows *x = src;
	const char *c = x->cells[i * x->ncols + j];
	return c ? dh_buf_adds(t, c) : 1;
}

/* --- CSV and TSV --- */

/* RFC 4180, quoting only when needed.  Besides the separators, a field with
 * leading or trailing blanks is quoted (some readers trim them), the empty
 * string is quoted so that it differs from nil (PostgreSQL's COPY CSV), and
 * so is "\." (COPY's end-of-data marker). */
static int
csv_field(struct dh_buf *b, const char *s, size_t n)
{
	int rc;
	size_t run = 0;
	int quote = n == 0 || s[0] == ' ' || s[0] == '\t' || s[n - 1] == ' ' || s[n - 1] == '\t' ||
		    (n == 2 && s[0] == '\\' && s[1] == '.');

	for (size_t i = 0; !quote && i < n; i++)
		quote = s[i] == ',' || s[i] == '"' || s[i] == '\r' || s[i] == '\n';
	if (!quote)
		return dh_buf_add(b, s, n);
	rc = dh_buf_addc(b, '"');
	for (size_t i = 0; rc == 0 && i < n; i++) {
		if (s[i] != '"')
			continue;
		/* through the quote, which goes out again with the next run */
		rc = dh_buf_add(b, s + run, i + 1 - run);
		run = i;
	}
	if (rc == 0)
		rc = dh_buf_add(b, s + run, n - run);
	return rc ? rc : dh_buf_addc(b, '"');
}

/* PostgreSQL COPY text escapes, so every record is one line and fields
 * never contain the separator. */
static int
tsv_field(struct dh_buf *b, const char *s, size_t n)
{
	int rc = 0;
	size_t run = 0;

	for (size_t i = 0; rc == 0 && i < n; i++) {
		const char *esc;
		switch (s[i]) {
		case '\\':
			esc = "\\\\";
			break;
		case '\t':
			esc = "\\t";
			break;
		case '\n':
			esc = "\\n";
			break;
		case '\r':
			esc = "\\r";
			break;
		default:
			continue;
		}
		rc = dh_buf_add(b, s + run, i - run);
		if (rc == 0)
			rc = dh_buf_adds(b, esc);
		run = i + 1;
	}
	return rc ? rc : dh_buf_add(b, s + run, n - run);
}

static int
format_sv(struct dh_buf *b, const struct grid *g, int tsv)
{
	int (*field)(struct dh_buf *, const char *, size_t) = tsv ? tsv_field : csv_field;
	char sep = tsv ? '\t' : ',';
	struct dh_buf t;
	int rc = 0;

	dh_buf_init(&t, b->cap);
	for (size_t j = 0; rc == 0 && j < g->nc; j++) {
		const char *name = g->name(g->src, j);
		if (j)
			rc = dh_buf_addc(b, sep);
		if (rc == 0)
			rc = field(b, name, strlen(name));
	}
	if (rc == 0)
		rc = dh_buf_addc(b, '\n');
	for (size_t i = 0; rc == 0 && i < g->nr; i++) {
		for (size_t j = 0; rc == 0 && j < g->nc; j++) {
			if (j)
				rc = dh_buf_addc(b, sep);
			if (rc)
				break;
			dh_buf_reset(&t);
			rc = g->text(g->src, i, j, &t);
			if (rc == 1) {
				rc = 0; /* nil: an empty field, never quoted */
				continue;
			}
			if (rc == 0)
				rc = field(b, (const char *)t.p, t.len);
		}
		if (rc == 0)
			rc = dh_buf_addc(b, '\n');
	}
	dh_buf_release(&t);
	return rc;
}

/* --- aligned --- */

static int
in_ranges(uint32_t c, const struct width_range *r, size_t n)
{
	size_t lo = 0, hi = n;

	if (c < r[0].lo || c > r[n - 1].hi)
		return 0;
	while (lo < hi) {
		size_t mid = lo + (hi - lo) / 2;
		if (c > r[mid].hi)
			lo = mid + 1;
		else if (c < r[mid].lo)
			hi = mid;
		else
			return 1;
	}
	return 0;
}

/* Columns a printable code point takes (PostgreSQL's ucs_wcwidth). */
static size_t
cp_width(uint32_t c)
{
	if (c < 0x300)
		return 1;
	if (in_ranges(c, zero_width, DH_ARRAY_SIZE(zero_width)))
		return 0;
	if (in_ranges(c, double_width, DH_ARRAY_SIZE(double_width)))
		return 2;
	return 1;
}

/* Width of display text: display_form left only valid UTF-8 and
 * printable characters in it. */
static size_t text_width(const char *s, size_t n);

size_t
dh_text_width(const char *s, size_t n)
{
	return text_width(s, n);
}

static size_t
text_width(const char *s, size_t n)
{
	const unsigned char *p = (const unsigned char *)s;
	size_t w = 0, i = 0;

	while (i < n) {
		uint32_t c = p[i];
		size_t len = utf8_decode(p + i, n - i, &c);
		w += cp_width(c);
		i += len ? len : 1;
	}
	return w;
}

/* Append s[0..n) to out the way psql's pg_wcsformat shows it: lines split
 * at '\n', tabs expanded to the next multiple of 8 columns, '\r' as \r,
 * other ASCII control characters as \xHH and C1 ones as \uHHHH; bytes that
 * are not UTF-8 (which psql never sees) as \xHH too.  Sets *width to the
 * widest line and *nlines to the number of lines (at least 1). */
static int
display_form(struct dh_buf *out, const char *s, size_t n, size_t *width, size_t *nlines)
{
	const unsigned char *p = (const unsigned char *)s;
	size_t i = 0, run = 0, lw = 0;
	int rc = 0;

	*width = 0;
	*nlines = 1;
	while (i < n && rc == 0) {
		uint32_t c = p[i];
		size_t len = c < 0x80 ? 1 : utf8_decode(p + i, n - i, &c);
		char esc[16];

		if (len && c >= 0x20 && c != 0x7f && (c < 0x80 || c >= 0xa0)) {
			lw += cp_width(c);
			i += len;
			continue;
		}
		rc = dh_buf_add(out, s + run, i - run);
		if (rc)
			break;
		if (len == 0) {
			snprintf(esc, sizeof(esc), "\\x%02X", p[i]);
			len = 1;
		} else if (c == '\n') {
			if (lw > *width)
				*width = lw;
			lw = 0;
			++*nlines;
			esc[0] = '\n';
			esc[1] = 0;
		} else if (c == '\r') {
			snprintf(esc, sizeof(esc), "\\r");
		} else if (c == '\t') {
			size_t k = 0;
			do
				esc[k++] = ' ';
			while ((lw + k) % 8 != 0);
			esc[k] = 0;
		} else if (c < 0x80) {
			snprintf(esc, sizeof(esc), "\\x%02X", (unsigned)c);
		} else {
			snprintf(esc, sizeof(esc), "\\u%04X", (unsigned)c);
		}
		if (esc[0] != '\n')
			lw += strlen(esc); /* all ASCII */
		rc = dh_buf_adds(out, esc);
		i += len;
		run = i;
	}
	if (rc == 0)
		rc = dh_buf_add(out, s + run, n - run);
	if (lw > *width)
		*width = lw;
	return rc;
}

struct acell {
	size_t off, len; /* display text in the pool */
	size_t width, nlines;
};

static int
add_cell(struct dh_buf *pool, const char *s, size_t n, struct acell *c)
{
	c->off = pool->len;
	int rc = display_form(pool, s, n, &c->width, &c->nlines);
	c->len = pool->len - c->off;
	return rc;
}

/* Line k of cell c, walking *pos through the pool line by line. */
static void
cell_line(const struct dh_buf *pool, const struct acell *c, size_t *pos, size_t k,
	  const char **line, size_t *len, int *more)
{
	const char *p = (const char *)pool->p + *pos,
		   *end = (const char *)pool->p + c->off + c->len;
	const char *nl;

	*line = p;
	*len = 0;
	*more = k + 1 < c->nlines;
	if (k >= c->nlines)
		return;
	nl = memchr(p, '\n', (size_t)(end - p));
	*len = nl ? (size_t)(nl - p) : (size_t)(end - p);
	*pos += *len + (nl != NULL);
}

static int
is_number(const struct dh_value *v)
{
	return v->type == DH_T_LONG || v->type == DH_T_DOUBLE || v->type == DH_T_BIGDEC ||
	       v->type == DH_T_REF;
}

/* psql's default output (border 1): header names centered, numbers
 * right-aligned, a line of a multi-line cell ends in '+' where more
 * follow, "(N rows)" and an empty line at the end.  A column is numeric when
 * it holds numbers and nothing else but nils (dh values have no column
 * type). */
static int
format_aligned(struct dh_buf *b, const struct grid *g)
{
	size_t nc = g->nc, nr = g->nr, hl = 1;
	const int *right = g->right;
	struct dh_buf pool, t;
	struct acell *cells;
	size_t *width, *pos;
	int rc = 0;

	if (nc == 0) /* what psql prints for a SELECT without columns */
		return dh_buf_printf(b, "--\n(%zu row%s)\n\n", nr, nr == 1 ? "" : "s");

	dh_buf_init(&pool, b->cap);
	dh_buf_init(&t, b->cap);
	cells = xcalloc(nr + 1, nc * sizeof(*cells)); /* the header, then the rows */
	width = xcalloc(nc, sizeof(*width));
	pos = xcalloc(nc, sizeof(*pos));

	for (size_t j = 0; rc == 0 && j < nc; j++) {
		const char *name = g->name(g->src, j);
		rc = add_cell(&pool, name, strlen(name), &cells[j]);
		if (cells[j].nlines > hl)
			hl = cells[j].nlines;
	}
	for (size_t i = 0; rc == 0 && i < nr; i++) {
		for (size_t j = 0; rc == 0 && j < nc; j++) {
			dh_buf_reset(&t);
			rc = g->text(g->src, i, j, &t);
			if (rc == 1)
				rc = 0; /* NULL prints as nothing, as psql's default */
			if (rc == 0)
				rc = add_cell(&pool, (const char *)t.p, t.len,
					      &cells[(i + 1) * nc + j]);
		}
	}
	if (rc)
		goto out;
	for (size_t i = 0; i <= nr; i++)
		for (size_t j = 0; j < nc; j++)
			if (cells[i * nc + j].width > width[j])
				width[j] = cells[i * nc + j].width;

	/* header: every line of every column ends in a marker, even the last */
	for (size_t j = 0; j < nc; j++)
		pos[j] = cells[j].off;
	for (size_t k = 0; rc == 0 && k < hl; k++) {
		for (size_t j = 0; rc == 0 && j < nc; j++) {
			const char *line;
			size_t len, lw, left;
			int more;
			cell_line(&pool, &cells[j], &pos[j], k, &line, &len, &more);
			lw = text_width(line, len);
			left = (width[j] - lw) / 2;
			rc = dh_buf_adds(b, j ? "| " : " ");
			if (rc == 0)
				rc = add_spaces(b, left);
			if (rc == 0)
				rc = dh_buf_add(b, line, len);
			if (rc == 0)
				rc = add_spaces(b, width[j] - lw - left);
			if (rc == 0)
				rc = dh_buf_addc(b, more ? '+' : ' ');
		}
		if (rc == 0)
			rc = dh_buf_addc(b, '\n');
	}
	for (size_t j = 0; rc == 0 && j < nc; j++) {
		if (j)
			rc = dh_buf_addc(b, '+');
		for (size_t k = 0; rc == 0 && k < width[j] + 2; k++)
			rc = dh_buf_addc(b, '-');
	}
	if (rc == 0)
		rc = dh_buf_addc(b, '\n');

	/* rows: the last column has no trailing blanks unless right-aligned */
	for (size_t i = 1; rc == 0 && i <= nr; i++) {
		const struct acell *row = &cells[i * nc];
		size_t rl = 1;
		for (size_t j = 0; j < nc; j++) {
			pos[j] = row[j].off;
			if (row[j].nlines > rl)
				rl = row[j].nlines;
		}
		for (size_t k = 0; rc == 0 && k < rl; k++) {
			for (size_t j = 0; rc == 0 && j < nc; j++) {
				const char *line;
				size_t len, pad;
				int more, last = j + 1 == nc;
				cell_line(&pool, &row[j], &pos[j], k, &line, &len, &more);
				pad = width[j] - text_width(line, len);
				rc = dh_buf_adds(b, j ? "| " : " ");
				if (rc == 0 && right[j])
					rc = add_spaces(b, pad);
				if (rc == 0)
					rc = dh_buf_add(b, line, len);
				if (rc == 0 && !right[j] && (!last || more))
					rc = add_spaces(b, pad);
				if (rc == 0 && (!last || more))
					rc = dh_buf_addc(b, more ? '+' : ' ');
			}
			if (rc == 0)
				rc = dh_buf_addc(b, '\n');
		}
	}
	if (rc == 0)
		rc = dh_buf_printf(b, "(%zu row%s)\n\n", nr, nr == 1 ? "" : "s");
out:
	free(pos);
	free(width);
	free(cells);
	dh_buf_release(&t);
	dh_buf_release(&pool);
	return rc;
}

/* --- EDN --- */

static int
edn_key(struct dh_buf *b, enum dh_find_keys keys, const char *name)
{
	struct dh_value k = {.type = keys == DH_KEYS_KEYS ? DH_T_KEYWORD : DH_T_STRING};

	if (keys == DH_KEYS_SYMS)
		return dh_buf_adds(b, name);
	k.s.p = name;
	k.s.n = strlen(name);
	return dh_value_print_edn(b, &k);
}

/* A row as a tuple [a b], or with :keys/:strs/:syms as a map. */
static int
edn_row(struct dh_buf *b, const struct dh_result *r, size_t row)
{
	int map = r->keys != DH_KEYS_NONE;
	int rc = dh_buf_addc(b, map ? '{' : '[');

	for (size_t j = 0; rc == 0 && j < r->ncols; j++) {
		if (j)
			rc = dh_buf_adds(b, map ? ", " : " ");
		if (rc == 0 && map) {
			rc = edn_key(b, r->keys, col_name(r, j));
			if (rc == 0)
				rc = dh_buf_addc(b, ' ');
		}
		if (rc == 0)
			rc = dh_value_print_edn(b, cell(r, row, j));
	}
	return rc ? rc : dh_buf_addc(b, map ? '}' : ']');
}

static int
format_edn(struct dh_buf *b, const struct dh_result *r, const size_t *order)
{
	int rc = 0;

	switch (r->shape) {
	case DH_FIND_REL: {
		/* a set, one element per line under the first; a bag (:with)
		 * keeps its order and duplicates in a vector */
		const char *open = r->bag ? "[" : "#{";
		size_t prev = 0;
		int first = 1;
		rc = dh_buf_adds(b, open);
		for (size_t i = 0; rc == 0 && i < r->nrows; i++) {
			/* a set with equal elements would not read back */
			if (!first && !r->bag && row_cmp(r, prev, order[i]) == 0)
				continue;
			if (!first) {
				rc = dh_buf_addc(b, '\n');
				if (rc == 0)
					rc = add_spaces(b, strlen(open));
			}
			if (rc == 0)
				rc = edn_row(b, r, order[i]);
			prev = order[i];
			first = 0;
		}
		if (rc == 0)
			rc = dh_buf_addc(b, r->bag ? ']' : '}');
		break;
	}
	case DH_FIND_COLL:
		rc = dh_buf_addc(b, '[');
		for (size_t i = 0; rc == 0 && i < r->nrows; i++) {
			if (i)
				rc = dh_buf_addc(b, ' ');
			if (rc)
				break;
			if (r->ncols == 1)
				rc = dh_value_print_edn(b, cell(r, order[i], 0));
			else
				rc = edn_row(b, r, order[i]);
		}
		if (rc == 0)
			rc = dh_buf_addc(b, ']');
		break;
	case DH_FIND_TUPLE:
		if (r->nrows == 0)
			rc = dh_buf_adds(b, "nil");
		else
			rc = edn_row(b, r, order[0]);
		break;
	case DH_FIND_SCALAR:
		if (r->nrows == 0 || r->ncols == 0)
			rc = dh_buf_adds(b, "nil");
		else
			rc = dh_value_print_edn(b, cell(r, order[0], 0));
		break;
	}
	return rc ? rc : dh_buf_addc(b, '\n');
}

int
dh_result_format(struct dh_buf *b, enum dh_format f, const struct dh_result *r)
{
	size_t *order = row_order(r);
	int rc;

	struct result_src src = {r, order};
	struct grid g = {r->ncols, r->nrows, result_name, result_text, NULL, &src};
	int *right = NULL;

	switch (f) {
	case DH_FMT_ALIGNED:
		/* a column is numeric when it holds numbers and otherwise nils */
		right = xcalloc(r->ncols + 1, sizeof(*right));
		for (size_t j = 0; j < r->ncols; j++) {
			int num = 0, other = 0;
			for (size_t i = 0; i < r->nrows; i++) {
				const struct dh_value *v = cell(r, i, j);
				num |= is_number(v);
				other |= v->type != DH_T_NONE && !is_number(v);
			}
			right[j] = num && !other;
		}
		g.right = right;
		rc = format_aligned(b, &g);
		free(right);
		break;
	case DH_FMT_CSV:
	case DH_FMT_TSV:
		rc = format_sv(b, &g, f == DH_FMT_TSV);
		break;
	case DH_FMT_JSON:
	case DH_FMT_NDJSON:
		rc = format_json(b, r, order, f == DH_FMT_NDJSON);
		break;
	case DH_FMT_EDN:
		rc = format_edn(b, r, order);
		break;
	default:
		rc = DH_EUSAGE;
	}
	free(order);
	/* a scratch buffer may be what overflowed: b would have too */
	if (rc == DH_ETOOLONG)
		b->overflow = 1;
	return rc;
}

/* JSON of a SQL result: numeric columns as numbers (when the text is a
 * JSON number: not NaN or Infinity), bool columns as true/false, NULL as
 * null, everything else as strings. */
static int
rows_json(struct dh_buf *b, const struct dh_rows *t, int nd)
{
	int rc = nd ? 0 : dh_buf_addc(b, '[');
	for (size_t i = 0; rc == 0 && i < t->nrows; i++) {
		if (i && !nd)
			rc = dh_buf_adds(b, ",\n");
		if (rc == 0)
			rc = dh_buf_addc(b, '{');
		for (size_t j = 0; rc == 0 && j < t->ncols; j++) {
			const char *c = t->cells[i * t->ncols + j];
			size_t n = c ? strlen(c) : 0;
			if (j)
				rc = dh_buf_addc(b, ',');
			if (rc == 0)
				rc = json_string(b, t->cols[j], strlen(t->cols[j]));
			if (rc == 0)
				rc = dh_buf_addc(b, ':');
			if (rc)
				break;
			if (!c)
				rc = dh_buf_adds(b, "null");
			else if (t->numeric && t->numeric[j] && is_json_number(c, n))
				rc = dh_buf_add(b, c, n);
			else if (t->boolean && t->boolean[j] && (strcmp(c, "t") == 0 || strcmp(c, "f") == 0))
				rc = dh_buf_adds(b, c[0] == 't' ? "true" : "false");
			else
				rc = json_string(b, c, n);
		}
		if (rc == 0)
			rc = dh_buf_addc(b, '}');
		if (rc == 0 && nd)
			rc = dh_buf_addc(b, '\n');
	}
	if (rc == 0 && !nd)
		rc = dh_buf_adds(b, "]\n");
	return rc;
}

int
dh_rows_format(struct dh_buf *b, enum dh_format f, const struct dh_rows *t)
{
	int *right = xcalloc(t->ncols + 1, sizeof(*right));
	for (size_t j = 0; t->numeric && j < t->ncols; j++)
		right[j] = t->numeric[j];
	struct grid g = {t->ncols, t->nrows, rows_name, rows_text, right, t};
	int rc;
	switch (f) {
	case DH_FMT_CSV:
	case DH_FMT_TSV:
		rc = format_sv(b, &g, f == DH_FMT_TSV);
		break;
	case DH_FMT_JSON:
	case DH_FMT_NDJSON:
		rc = rows_json(b, t, f == DH_FMT_NDJSON);
		break;
	default:
		rc = format_aligned(b, &g);
	}
	free(right);
	if (rc == DH_ETOOLONG)
		b->overflow = 1;
	return rc;
}
