/*
 * pgwire-msg: framing, decoding and encoding of protocol v3 messages (see
 * pgwire-msg.h).  The checks and their texts are PostgreSQL 15's, so a
 * client sees the same errors from dh-serve as from PostgreSQL.
 */
#include "pgwire-msg.h"

#include <limits.h>

/* Bytes the reader may hold beyond the largest message it accepts: what
 * one recv brings after the end of that message. */
#define READ_SLACK ((size_t)1 << 20)

static int
proto_err(struct dh_err *e, const char *fmt, ...) DH_PRINTF(2, 3);

static int
proto_err(struct dh_err *e, const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	dh_err_vset(e, DH_EPROTOCOL, fmt, ap);
	va_end(ap);
	return DH_EPROTOCOL;
}

/* ------------------------------------------------------------ reader */

void
dh_pgwire_reader_init(struct dh_pgwire_reader *r)
{
	memset(r, 0, sizeof(*r));
	r->large_max = DH_PGWIRE_LARGE_MAX;
	dh_buf_init(&r->in, r->large_max + 1 + READ_SLACK);
	r->phase = DH_PGWIRE_STARTUP;
}

void
dh_pgwire_reader_release(struct dh_pgwire_reader *r)
{
	dh_buf_release(&r->in);
	r->off = 0;
}

int
dh_pgwire_reader_feed(struct dh_pgwire_reader *r, const void *p, size_t n)
{
	/* drop what was returned before growing */
	if (r->off && (r->off == r->in.len || r->in.len + n > r->in.alloc)) {
		memmove(r->in.p, r->in.p + r->off, r->in.len - r->off);
		r->in.len -= r->off;
		r->off = 0;
	}
	return dh_buf_add(&r->in, p, n);
}

size_t
dh_pgwire_reader_pending(const struct dh_pgwire_reader *r)
{
	return r->in.len - r->off;
}

int
dh_pgwire_reader_sync_next(const struct dh_pgwire_reader *r)
{
	const unsigned char *p = r->in.p + r->off;
	return r->phase == DH_PGWIRE_NORMAL && r->in.len - r->off >= 5 && p[0] == 'S' &&
	       p[1] == 0 && p[2] == 0 && p[3] == 0 && p[4] == 4;
}

void
dh_pgwire_reader_set_phase(struct dh_pgwire_reader *r, enum dh_pgwire_phase phase)
{
	r->phase = phase;
}

void
dh_pgwire_reader_set_limit(struct dh_pgwire_reader *r, size_t large_max)
{
	if (large_max < 5)
		large_max = 5;
	if (large_max > DH_PGWIRE_LARGE_MAX)
		large_max = DH_PGWIRE_LARGE_MAX;
	r->large_max = large_max;
	if (r->in.cap < large_max + 1 + READ_SLACK)
		r->in.cap = large_max + 1 + READ_SLACK;
}

/* The limit of a message type in the current phase, or an error. */
static int
type_limit(const struct dh_pgwire_reader *r, int type, size_t *max, struct dh_err *e)
{
	switch (r->phase) {
	case DH_PGWIRE_PASSWORD:
	case DH_PGWIRE_SASL:
		if (type != 'p')
			return proto_err(e, "expected %s response, got message type %d",
					 r->phase == DH_PGWIRE_SASL ? "SASL" : "password", type);
		*max = DH_PGWIRE_AUTH_MAX;
		return 0;
	case DH_PGWIRE_COPY_IN:
		switch (type) {
		case 'd':
			*max = r->large_max;
			return 0;
		case 'c':
		case 'f':
		case 'H':
		case 'S':
			*max = DH_PGWIRE_SMALL_MAX;
			return 0;
		}
		return proto_err(e, "unexpected message type 0x%02X during COPY from stdin", type);
	default:
		switch (type) {
		case 'Q':
		case 'F':
		case 'P':
		case 'B':
		case 'd':
			*max = r->large_max;
			return 0;
		case 'C':
		case 'D':
		case 'E':
		case 'H':
		case 'S':
		case 'X':
		case 'c':
		case 'f':
			*max = DH_PGWIRE_SMALL_MAX;
			return 0;
		}
		return proto_err(e, "invalid frontend message type %d", type);
	}
}

static int
next_startup(struct dh_pgwire_reader *r, struct dh_pgwire_msg *m, struct dh_err *e)
{
	const unsigned char *s = r->in.p + r->off;
	size_t have = r->in.len - r->off;
	if (have < 4)
		return 0;
	/* PostgreSQL's test is on the length without itself, as a signed
	 * int: under 4 or over 10,000 (a "negative" length is over here) */
	uint32_t raw = dh_get_u32be(s);
	if (raw < 8 || raw - 4 > DH_PGWIRE_STARTUP_MAX)
		return proto_err(e, "invalid length of startup packet");
	size_t len = raw - 4;
	if (have < 4 + len)
		return 0;
	uint32_t code = dh_get_u32be(s + 4);
	if (code == DH_PGWIRE_CANCEL_CODE && len != 12)
		return proto_err(e, "invalid length of startup packet");
	m->type = 0;
	m->code = code;
	m->p = s + 4;
	m->n = len;
	if (code == DH_PGWIRE_CANCEL_CODE)
		m->kind = DH_PGWIRE_K_CANCEL;
	else if (code == DH_PGWIRE_SSL_CODE && !r->ssl_done)
		m->kind = DH_PGWIRE_K_SSL;
	else if (code == DH_PGWIRE_GSS_CODE && !r->gss_done)
		m->kind = DH_PGWIRE_K_GSS;
	else
		m->kind = DH_PGWIRE_K_STARTUP;
	r->off += 4 + len;
	return 1;
}

int
dh_pgwire_reader_next(struct dh_pgwire_reader *r, struct dh_pgwire_msg *m, struct dh_err *e)
{
	if (r->phase == DH_PGWIRE_STARTUP)
		return next_startup(r, m, e);

	const unsigned char *s = r->in.p + r->off;
	size_t have = r->in.len - r->off, max = 0;
	if (have < 1)
		return 0;
	int type = s[0];
	int rc = type_limit(r, type, &max, e);
	if (rc)
		return rc;
	if (have < 5)
		return 0;
	int32_t len = (int32_t)dh_get_u32be(s + 1);
	if (len < 4 || (size_t)len > max)
		return proto_err(e, "invalid message length");
	if (have < 1 + (size_t)len)
		return 0;
	m->type = type;
	m->kind = DH_PGWIRE_K_TYPED;
	m->code = 0;
	m->p = s + 5;
	m->n = (size_t)len - 4;
	r->off += 1 + (size_t)len;
	return 1;
}

int
dh_pgwire_reader_eof(const struct dh_pgwire_reader *r, struct dh_err *e)
{
	size_t have = r->in.len - r->off;
	if (have == 0)
		return 0;
	if (r->phase == DH_PGWIRE_STARTUP)
		return proto_err(e, "incomplete startup packet");
	if (have < 5)
		return proto_err(e, "unexpected EOF within message length word");
	return proto_err(e, "incomplete message from client");
}

int
dh_pgwire_reader_answered(struct dh_pgwire_reader *r, const struct dh_pgwire_msg *req,
			  int answer, struct dh_err *e)
{
	int ssl = req->kind == DH_PGWIRE_K_SSL;
	if (ssl) {
		r->ssl_done = 1;
		if (answer == 'S')
			r->gss_done = 1;
	} else {
		r->gss_done = 1;
		if (answer == 'G')
			r->ssl_done = 1;
	}
	if (dh_pgwire_reader_pending(r)) {
		proto_err(e, "received unencrypted data after %s",
			  ssl ? "SSL request" : "GSSAPI encryption request");
		dh_err_detail(e, "This could be either a client-software bug or evidence of an "
				 "attempted man-in-the-middle attack.");
		return DH_EPROTOCOL;
	}
	return 0;
}

/* ------------------------------------------------------------ decoding */

/* A cursor over one payload, PostgreSQL's pq_getmsg* with its texts. */
struct cur {
	const unsigned char *p;
	size_t n, at;
};

static int
get_str(struct cur *c, const char **s, struct dh_err *e)
{
	const unsigned char *z = memchr(c->p + c->at, 0, c->n - c->at);
	if (!z)
		return proto_err(e, "invalid string in message");
	*s = (const char *)(c->p + c->at);
	c->at = (size_t)(z - c->p) + 1;
	return 0;
}

static int
get_bytes(struct cur *c, size_t n, const unsigned char **p, struct dh_err *e)
{
	if (n > c->n - c->at)
		return proto_err(e, "insufficient data left in message");
	*p = c->p + c->at;
	c->at += n;
	return 0;
}

/* A big-endian unsigned integer of size bytes (1, 2 or 4). */
static int
get_uint(struct cur *c, size_t size, uint32_t *v, struct dh_err *e)
{
	const unsigned char *p = NULL;
	int rc = get_bytes(c, size, &p, e);
	if (!rc) {
		*v = 0;
		for (size_t i = 0; i < size; i++)
			*v = *v << 8 | p[i];
	}
	return rc;
}

static int
get_u8(struct cur *c, unsigned *v, struct dh_err *e)
{
	uint32_t x = 0;
	int rc = get_uint(c, 1, &x, e);
	*v = x;
	return rc;
}

static int
get_u16(struct cur *c, unsigned *v, struct dh_err *e)
{
	uint32_t x = 0;
	int rc = get_uint(c, 2, &x, e);
	*v = x;
	return rc;
}

static int
get_u32(struct cur *c, uint32_t *v, struct dh_err *e)
{
	return get_uint(c, 4, v, e);
}

static int
get_end(const struct cur *c, struct dh_err *e)
{
	return c->at == c->n ? 0 : proto_err(e, "invalid message format");
}

static struct cur
cur_of(const struct dh_pgwire_msg *m)
{
	struct cur c = {m->p, m->n, 0};
	return c;
}

/* n Int16 format codes into an arena array. */
static int
get_formats(struct cur *c, struct dh_arena *a, size_t n, int16_t **out, struct dh_err *e)
{
	const unsigned char *p = NULL;
	int rc = get_bytes(c, 2 * n, &p, e);
	*out = NULL;
	if (rc || n == 0)
		return rc;
	int16_t *f = dh_arena_alloc(a, n * sizeof(*f));
	for (size_t i = 0; i < n; i++)
		f[i] = (int16_t)((unsigned)p[2 * i] << 8 | p[2 * i + 1]);
	*out = f;
	return 0;
}

/* n values, each Int32 length (-1 NULL) and bytes.  PostgreSQL's Bind
 * hands any negative length other than -1 to pq_getmsgbytes, which
 * refuses it as missing data; FunctionCall names it (fcall set). */
static int
get_values(struct cur *c, struct dh_arena *a, size_t n, struct dh_pgwire_value **out, int fcall,
	   struct dh_err *e)
{
	struct dh_pgwire_value *v = NULL;
	int rc = 0;
	*out = NULL;
	if (n == 0)
		return 0;
	/* each value takes at least its 4-byte length: refuse a count the
	 * payload cannot hold before allocating for it */
	if (n > (c->n - c->at) / 4)
		return proto_err(e, "insufficient data left in message");
	v = dh_arena_alloc(a, n * sizeof(*v));
	for (size_t i = 0; i < n && rc == 0; i++) {
		uint32_t len;
		if ((rc = get_u32(c, &len, e)))
			break;
		v[i].len = (int32_t)len;
		v[i].p = NULL;
		if (v[i].len == -1)
			continue;
		if (v[i].len < 0 && fcall)
			return proto_err(e, "invalid argument size %d in function call message",
					 v[i].len);
		if (v[i].len < 0)
			return proto_err(e, "insufficient data left in message");
		rc = get_bytes(c, (size_t)v[i].len, &v[i].p, e);
	}
	if (!rc)
		*out = v;
	return rc;
}

/* One name/value pair of a startup packet, walked as PostgreSQL walks it:
 * its buffer has an extra NUL after the packet, so a string may end
 * there (off then passes len and the layout check fails).  0 at an empty
 * name or a name without room for a value. */
static int
next_pair(const char *p, size_t len, size_t *off, const char **name, const char **val)
{
	if (*off >= len || p[*off] == 0)
		return 0;
	const char *z = memchr(p + *off, 0, len - *off);
	size_t valoff = z ? (size_t)(z - p) + 1 : len + 1;
	if (valoff >= len)
		return 0;
	const char *vz = memchr(p + valoff, 0, len - valoff);
	*name = p + *off;
	*val = p + valoff;
	*off = vz ? (size_t)(vz - p) + 1 : len + 1;
	return 1;
}

int
dh_pgwire_decode_startup(const struct dh_pgwire_msg *m, struct dh_arena *a,
			 struct dh_pgwire_startup *s, struct dh_err *e)
{
	const char *p = (const char *)m->p, *name, *val;
	size_t len = m->n, off = 4, npairs = 0;

	memset(s, 0, sizeof(*s));
	if (len < 4)
		return proto_err(e, "invalid length of startup packet");
	s->version = dh_get_u32be(m->p);
	s->major = (int)(s->version >> 16);
	s->minor = (int)(s->version & 0xffff);
	if (s->major != 3)
		return dh_err_set(e, DH_ENOTSUP,
				  "unsupported frontend protocol %u.%u: server supports 3.0 to 3.0",
				  s->version >> 16, s->version & 0xffff);
	/* the layout first, so that every string kept below ends inside the
	 * packet; PostgreSQL would also take a last byte other than NUL where
	 * the terminator belongs, which this does not */
	while (next_pair(p, len, &off, &name, &val))
		npairs++;
	if (off != len - 1 || p[off] != 0)
		return proto_err(e, "invalid startup packet layout: expected terminator as last "
				    "byte");
	if (npairs) {
		s->names = dh_arena_alloc(a, npairs * sizeof(char *));
		s->values = dh_arena_alloc(a, npairs * sizeof(char *));
		s->proto_names = dh_arena_alloc(a, npairs * sizeof(char *));
		s->proto_values = dh_arena_alloc(a, npairs * sizeof(char *));
	}
	off = 4;
	while (next_pair(p, len, &off, &name, &val)) {
		if (strcmp(name, "database") == 0)
			s->database = val;
		else if (strcmp(name, "user") == 0)
			s->user = val;
		else if (strcmp(name, "options") == 0)
			s->options = val;
		else if (strcmp(name, "replication") == 0)
			s->replication = val;
		else if (strncmp(name, "_pq_.", 5) == 0) {
			s->proto_names[s->nproto] = name;
			s->proto_values[s->nproto++] = val;
		} else {
			s->names[s->nparams] = name;
			s->values[s->nparams++] = val;
		}
	}
	s->negotiate = s->minor > 0 || s->nproto > 0;
	if (!s->user || !s->user[0])
		return dh_err_sql(e, "28000", "no PostgreSQL user name specified in startup packet");
	if (!s->database || !s->database[0])
		s->database = s->user;
	return 0;
}

int
dh_pgwire_decode_cancel(const struct dh_pgwire_msg *m, struct dh_pgwire_cancel *c,
			struct dh_err *e)
{
	if (m->n != 12 || dh_get_u32be(m->p) != DH_PGWIRE_CANCEL_CODE)
		return proto_err(e, "invalid length of startup packet");
	c->pid = (int32_t)dh_get_u32be(m->p + 4);
	c->key = dh_get_u32be(m->p + 8);
	return 0;
}

int
dh_pgwire_decode_query(const struct dh_pgwire_msg *m, const char **sql, size_t *len,
		       struct dh_err *e)
{
	struct cur c = cur_of(m);
	int rc = get_str(&c, sql, e);
	if (!rc)
		rc = get_end(&c, e);
	if (!rc)
		*len = c.at - 1;
	return rc;
}

int
dh_pgwire_decode_parse(const struct dh_pgwire_msg *m, struct dh_arena *a,
		       struct dh_pgwire_parse *p, struct dh_err *e)
{
	struct cur c = cur_of(m);
	unsigned n = 0;
	const unsigned char *t = NULL;
	int rc;
	memset(p, 0, sizeof(*p));
	if ((rc = get_str(&c, &p->name, e)) || (rc = get_str(&c, &p->query, e)) ||
	    (rc = get_u16(&c, &n, e)) || (rc = get_bytes(&c, 4 * (size_t)n, &t, e)) ||
	    (rc = get_end(&c, e)))
		return rc;
	p->nparams = n;
	if (n) {
		p->types = dh_arena_alloc(a, n * sizeof(*p->types));
		for (unsigned i = 0; i < n; i++)
			p->types[i] = dh_get_u32be(t + 4 * i);
	}
	return 0;
}

int
dh_pgwire_decode_bind(const struct dh_pgwire_msg *m, struct dh_arena *a,
		      struct dh_pgwire_bind *b, struct dh_err *e)
{
	struct cur c = cur_of(m);
	unsigned npf = 0, np = 0, nrf = 0;
	int rc;
	memset(b, 0, sizeof(*b));
	if ((rc = get_str(&c, &b->portal, e)) || (rc = get_str(&c, &b->statement, e)) ||
	    (rc = get_u16(&c, &npf, e)) || (rc = get_formats(&c, a, npf, &b->pformats, e)) ||
	    (rc = get_u16(&c, &np, e)))
		return rc;
	b->npformats = npf;
	if (npf > 1 && npf != np)
		return proto_err(e, "bind message has %u parameter formats but %u parameters", npf,
				 np);
	if ((rc = get_values(&c, a, np, &b->params, 0, e)))
		return rc;
	b->nparams = np;
	if ((rc = get_u16(&c, &nrf, e)) || (rc = get_formats(&c, a, nrf, &b->rformats, e)) ||
	    (rc = get_end(&c, e)))
		return rc;
	b->nrformats = nrf;
	return 0;
}

int
dh_pgwire_format(const int16_t *formats, size_t nformats, size_t i)
{
	if (nformats > 1)
		return i < nformats ? formats[i] : 0;
	return nformats == 1 ? formats[0] : 0;
}

int
dh_pgwire_check_bind(const struct dh_pgwire_bind *b, size_t nparams_wanted, long ncols,
		     struct dh_err *e)
{
	if (b->nparams != nparams_wanted)
		return proto_err(e,
				 "bind message supplies %zu parameters, but prepared statement "
				 "\"%s\" requires %zu",
				 b->nparams, b->statement, nparams_wanted);
	for (size_t i = 0; i < b->nparams; i++) {
		int f = dh_pgwire_format(b->pformats, b->npformats, i);
		if (f != 0 && f != 1)
			return dh_err_sql(e, "22023", "unsupported format code: %d", f);
	}
	if (ncols < 0)
		return 0;
	if (b->nrformats > 1 && b->nrformats != (size_t)ncols)
		return proto_err(e, "bind message has %zu result formats but query has %ld columns",
				 b->nrformats, ncols);
	for (size_t i = 0; i < b->nrformats; i++)
		if (b->rformats[i] != 0 && b->rformats[i] != 1)
			return dh_err_sql(e, "22023", "unsupported format code: %d", b->rformats[i]);
	return 0;
}

static int
decode_target(const struct dh_pgwire_msg *m, struct dh_pgwire_target *t, const char *what,
	      struct dh_err *e)
{
	struct cur c = cur_of(m);
	unsigned k = 0;
	int rc;
	if ((rc = get_u8(&c, &k, e)) || (rc = get_str(&c, &t->name, e)) || (rc = get_end(&c, e)))
		return rc;
	t->what = (int)k;
	if (k != 'S' && k != 'P')
		return proto_err(e, "invalid %s message subtype %d", what, (int)k);
	return 0;
}

int
dh_pgwire_decode_describe(const struct dh_pgwire_msg *m, struct dh_pgwire_target *t,
			  struct dh_err *e)
{
	return decode_target(m, t, "DESCRIBE", e);
}

int
dh_pgwire_decode_close(const struct dh_pgwire_msg *m, struct dh_pgwire_target *t,
		       struct dh_err *e)
{
	return decode_target(m, t, "CLOSE", e);
}

int
dh_pgwire_decode_execute(const struct dh_pgwire_msg *m, struct dh_pgwire_execute *x,
			 struct dh_err *e)
{
	struct cur c = cur_of(m);
	uint32_t n = 0;
	int rc;
	if ((rc = get_str(&c, &x->portal, e)) || (rc = get_u32(&c, &n, e)) ||
	    (rc = get_end(&c, e)))
		return rc;
	x->max_rows = (int32_t)n;
	return 0;
}

int
dh_pgwire_decode_empty(const struct dh_pgwire_msg *m, struct dh_err *e)
{
	if (m->type == 'X')
		return 0;
	return m->n == 0 ? 0 : proto_err(e, "invalid message format");
}

int
dh_pgwire_decode_copy_data(const struct dh_pgwire_msg *m, const unsigned char **p, size_t *n,
			   struct dh_err *e)
{
	(void)e;
	*p = m->p;
	*n = m->n;
	return 0;
}

int
dh_pgwire_decode_copy_fail(const struct dh_pgwire_msg *m, const char **reason,
			   struct dh_err *e)
{
	struct cur c = cur_of(m);
	int rc = get_str(&c, reason, e);
	return rc ? rc : get_end(&c, e);
}

int
dh_pgwire_decode_fcall(const struct dh_pgwire_msg *m, struct dh_arena *a,
		       struct dh_pgwire_fcall *f, struct dh_err *e)
{
	struct cur c = cur_of(m);
	unsigned naf = 0, na = 0, rf = 0;
	int rc;
	memset(f, 0, sizeof(*f));
	if ((rc = get_u32(&c, &f->fn, e)) || (rc = get_u16(&c, &naf, e)) ||
	    (rc = get_formats(&c, a, naf, &f->aformats, e)) || (rc = get_u16(&c, &na, e)))
		return rc;
	f->naformats = naf;
	if (naf > 1 && naf != na)
		return proto_err(e,
				 "function call message contains %u argument formats but %u "
				 "arguments",
				 naf, na);
	if ((rc = get_values(&c, a, na, &f->args, 1, e)))
		return rc;
	f->nargs = na;
	if ((rc = get_u16(&c, &rf, e)) || (rc = get_end(&c, e)))
		return rc;
	f->rformat = (int16_t)rf;
	return 0;
}

int
dh_pgwire_decode_password(const struct dh_pgwire_msg *m, const char **password,
			  struct dh_err *e)
{
	const unsigned char *z = m->n ? memchr(m->p, 0, m->n) : NULL;
	if (!z || (size_t)(z - m->p) + 1 != m->n)
		return proto_err(e, "invalid password packet size");
	if (m->n == 1)
		return dh_err_set(e, DH_EAUTHFAIL, "empty password returned by client");
	*password = (const char *)m->p;
	return 0;
}

int
dh_pgwire_decode_sasl_initial(const struct dh_pgwire_msg *m, struct dh_pgwire_sasl_initial *s,
			      struct dh_err *e)
{
	struct cur c = cur_of(m);
	uint32_t len = 0;
	int rc;
	memset(s, 0, sizeof(*s));
	if ((rc = get_str(&c, &s->mechanism, e)) || (rc = get_u32(&c, &len, e)))
		return rc;
	s->len = (int32_t)len;
	if (s->len != -1) {
		if (s->len < 0)
			return proto_err(e, "insufficient data left in message");
		if ((rc = get_bytes(&c, (size_t)s->len, &s->data, e)))
			return rc;
	}
	return get_end(&c, e);
}

int
dh_pgwire_decode_sasl_response(const struct dh_pgwire_msg *m, const unsigned char **data,
			       size_t *len, struct dh_err *e)
{
	(void)e;
	*data = m->p;
	*len = m->n;
	return 0;
}

int
dh_pgwire_check_copy_in(int type, struct dh_err *e)
{
	switch (type) {
	case 'd':
	case 'c':
	case 'f':
	case 'H':
	case 'S':
		return 0;
	}
	return proto_err(e, "unexpected message type 0x%02X during COPY from stdin", type);
}

/* ------------------------------------------------------------ encoding */

size_t
dh_pgwire_begin(struct dh_buf *b, int type)
{
	size_t at = b->len;
	dh_buf_addc(b, type);
	dh_buf_add_u32be(b, 0);
	return at;
}

int
dh_pgwire_end(struct dh_buf *b, size_t at)
{
	if (b->overflow || b->len < at + 5 || b->len - at - 1 > INT32_MAX)
		return DH_ETOOLONG;
	dh_put_u32be(b->p + at + 1, (uint32_t)(b->len - at - 1));
	return 0;
}

int
dh_pgwire_put_u8(struct dh_buf *b, unsigned v)
{
	return dh_buf_addc(b, (int)(v & 0xff));
}

int
dh_pgwire_put_u16(struct dh_buf *b, unsigned v)
{
	unsigned char q[2] = {(unsigned char)(v >> 8), (unsigned char)v};
	return dh_buf_add(b, q, 2);
}

int
dh_pgwire_put_u32(struct dh_buf *b, uint32_t v)
{
	return dh_buf_add_u32be(b, v);
}

int
dh_pgwire_put_str(struct dh_buf *b, const char *s)
{
	return dh_buf_add(b, s, strlen(s) + 1);
}

int
dh_pgwire_ssl_answer(struct dh_buf *b, int answer)
{
	return dh_buf_addc(b, answer);
}

/* A message whose body is an Int32 code and bytes: the 'R' family. */
static int
auth(struct dh_buf *b, uint32_t code, const void *p, size_t n)
{
	size_t at = dh_pgwire_begin(b, 'R');
	dh_pgwire_put_u32(b, code);
	if (n)
		dh_buf_add(b, p, n);
	return dh_pgwire_end(b, at);
}

int
dh_pgwire_auth_ok(struct dh_buf *b)
{
	return auth(b, 0, NULL, 0);
}

int
dh_pgwire_auth_cleartext(struct dh_buf *b)
{
	return auth(b, 3, NULL, 0);
}

int
dh_pgwire_auth_md5(struct dh_buf *b, const unsigned char salt[4])
{
	return auth(b, 5, salt, 4);
}

int
dh_pgwire_auth_sasl(struct dh_buf *b, const char *const *mechs, size_t n)
{
	size_t at = dh_pgwire_begin(b, 'R');
	dh_pgwire_put_u32(b, 10);
	for (size_t i = 0; i < n; i++)
		dh_pgwire_put_str(b, mechs[i]);
	dh_buf_addc(b, 0);
	return dh_pgwire_end(b, at);
}

int
dh_pgwire_auth_sasl_continue(struct dh_buf *b, const void *data, size_t n)
{
	return auth(b, 11, data, n);
}

int
dh_pgwire_auth_sasl_final(struct dh_buf *b, const void *data, size_t n)
{
	return auth(b, 12, data, n);
}

int
dh_pgwire_parameter_status(struct dh_buf *b, const char *name, const char *value)
{
	size_t at = dh_pgwire_begin(b, 'S');
	dh_pgwire_put_str(b, name);
	dh_pgwire_put_str(b, value);
	return dh_pgwire_end(b, at);
}

int
dh_pgwire_backend_key_data(struct dh_buf *b, int32_t pid, uint32_t key)
{
	size_t at = dh_pgwire_begin(b, 'K');
	dh_pgwire_put_u32(b, (uint32_t)pid);
	dh_pgwire_put_u32(b, key);
	return dh_pgwire_end(b, at);
}

int
dh_pgwire_ready_for_query(struct dh_buf *b, int status)
{
	size_t at = dh_pgwire_begin(b, 'Z');
	dh_pgwire_put_u8(b, (unsigned)status);
	return dh_pgwire_end(b, at);
}

int
dh_pgwire_negotiate_protocol(struct dh_buf *b, uint32_t version, const char *const *names,
			     size_t n)
{
	size_t at = dh_pgwire_begin(b, 'v');
	dh_pgwire_put_u32(b, version);
	dh_pgwire_put_u32(b, (uint32_t)n);
	for (size_t i = 0; i < n; i++)
		dh_pgwire_put_str(b, names[i]);
	return dh_pgwire_end(b, at);
}

int
dh_pgwire_row_description(struct dh_buf *b, const struct dh_pgwire_field *f, size_t n)
{
	if (n > 0xffff)
		return DH_ETOOLONG;
	size_t at = dh_pgwire_begin(b, 'T');
	dh_pgwire_put_u16(b, (unsigned)n);
	for (size_t i = 0; i < n; i++) {
		dh_pgwire_put_str(b, f[i].name);
		dh_pgwire_put_u32(b, f[i].table_oid);
		dh_pgwire_put_u16(b, (uint16_t)f[i].attnum);
		dh_pgwire_put_u32(b, f[i].type_oid);
		dh_pgwire_put_u16(b, (uint16_t)f[i].typlen);
		dh_pgwire_put_u32(b, (uint32_t)f[i].typmod);
		dh_pgwire_put_u16(b, (uint16_t)f[i].format);
	}
	return dh_pgwire_end(b, at);
}

size_t
dh_pgwire_data_row_begin(struct dh_buf *b, size_t ncols)
{
	size_t at = dh_pgwire_begin(b, 'D');
	if (ncols > 0xffff)
		b->overflow = 1; /* dh_pgwire_end will say DH_ETOOLONG */
	dh_pgwire_put_u16(b, (unsigned)ncols);
	return at;
}

int
dh_pgwire_data_row_cell(struct dh_buf *b, const void *p, int32_t len)
{
	int rc = dh_pgwire_put_u32(b, (uint32_t)len);
	if (!rc && len > 0)
		rc = dh_buf_add(b, p, (size_t)len);
	return rc;
}

int
dh_pgwire_data_row(struct dh_buf *b, const struct dh_pgwire_value *v, size_t n)
{
	if (n > 0xffff)
		return DH_ETOOLONG;
	size_t at = dh_pgwire_data_row_begin(b, n);
	for (size_t i = 0; i < n; i++)
		dh_pgwire_data_row_cell(b, v[i].p, v[i].len < 0 ? -1 : v[i].len);
	return dh_pgwire_end(b, at);
}

static int
string_msg(struct dh_buf *b, int type, const char *s)
{
	size_t at = dh_pgwire_begin(b, type);
	dh_pgwire_put_str(b, s);
	return dh_pgwire_end(b, at);
}

static int
empty_msg(struct dh_buf *b, int type)
{
	return dh_pgwire_end(b, dh_pgwire_begin(b, type));
}

int
dh_pgwire_command_complete(struct dh_buf *b, const char *tag)
{
	return string_msg(b, 'C', tag);
}

int
dh_pgwire_empty_query(struct dh_buf *b)
{
	return empty_msg(b, 'I');
}

static void
field(struct dh_buf *b, int code, const char *s)
{
	if (s && s[0]) {
		dh_buf_addc(b, code);
		dh_pgwire_put_str(b, s);
	}
}

static void
field_int(struct dh_buf *b, int code, int v)
{
	char n[16];
	if (v > 0) {
		snprintf(n, sizeof(n), "%d", v);
		field(b, code, n);
	}
}

static int
error_msg(struct dh_buf *b, int type, const char *severity, const struct dh_err *e,
	  const struct dh_pgwire_errextra *x)
{
	size_t at = dh_pgwire_begin(b, type);
	const char *state = e->sqlstate[0] ? e->sqlstate : dh_sqlstate(e->code);
	field(b, 'S', severity);
	field(b, 'V', severity);
	field(b, 'C', state);
	/* M is required: never leave it out */
	dh_buf_addc(b, 'M');
	dh_pgwire_put_str(b, e->message[0] ? e->message : dh_strerror(e->code));
	field(b, 'D', e->detail);
	field(b, 'H', e->hint);
	field_int(b, 'P', e->position);
	if (x) {
		field_int(b, 'p', x->internal_position);
		field(b, 'q', x->internal_query);
	}
	field(b, 'W', e->context);
	if (x) {
		field(b, 's', x->schema);
		field(b, 't', x->table);
		field(b, 'c', x->column);
		field(b, 'd', x->datatype);
		field(b, 'n', x->constraint);
		field(b, 'F', x->file);
		field_int(b, 'L', x->line);
		field(b, 'R', x->routine);
	}
	dh_buf_addc(b, 0);
	return dh_pgwire_end(b, at);
}

int
dh_pgwire_error_response(struct dh_buf *b, const char *severity, const struct dh_err *e,
			 const struct dh_pgwire_errextra *x)
{
	return error_msg(b, 'E', severity, e, x);
}

int
dh_pgwire_notice_response(struct dh_buf *b, const char *severity, const struct dh_err *e,
			  const struct dh_pgwire_errextra *x)
{
	return error_msg(b, 'N', severity, e, x);
}

int
dh_pgwire_notice(struct dh_buf *b, const char *severity, const char *sqlstate, const char *message,
		 const char *detail, const char *hint)
{
	size_t at = dh_pgwire_begin(b, 'N');
	field(b, 'S', severity);
	field(b, 'V', severity);
	field(b, 'C', sqlstate);
	dh_buf_addc(b, 'M');
	dh_pgwire_put_str(b, message);
	field(b, 'D', detail);
	field(b, 'H', hint);
	dh_buf_addc(b, 0);
	return dh_pgwire_end(b, at);
}

int
dh_pgwire_parse_complete(struct dh_buf *b)
{
	return empty_msg(b, '1');
}

int
dh_pgwire_bind_complete(struct dh_buf *b)
{
	return empty_msg(b, '2');
}

int
dh_pgwire_close_complete(struct dh_buf *b)
{
	return empty_msg(b, '3');
}

int
dh_pgwire_no_data(struct dh_buf *b)
{
	return empty_msg(b, 'n');
}

int
dh_pgwire_portal_suspended(struct dh_buf *b)
{
	return empty_msg(b, 's');
}

int
dh_pgwire_parameter_description(struct dh_buf *b, const uint32_t *types, size_t n)
{
	if (n > 0xffff)
		return DH_ETOOLONG;
	size_t at = dh_pgwire_begin(b, 't');
	dh_pgwire_put_u16(b, (unsigned)n);
	for (size_t i = 0; i < n; i++)
		dh_pgwire_put_u32(b, types[i]);
	return dh_pgwire_end(b, at);
}

static int
copy_response(struct dh_buf *b, int type, int format, const int16_t *formats, size_t n)
{
	if (n > 0xffff)
		return DH_ETOOLONG;
	size_t at = dh_pgwire_begin(b, type);
	dh_pgwire_put_u8(b, (unsigned)format);
	dh_pgwire_put_u16(b, (unsigned)n);
	for (size_t i = 0; i < n; i++)
		dh_pgwire_put_u16(b, (uint16_t)formats[i]);
	return dh_pgwire_end(b, at);
}

int
dh_pgwire_copy_in_response(struct dh_buf *b, int format, const int16_t *formats, size_t n)
{
	return copy_response(b, 'G', format, formats, n);
}

int
dh_pgwire_copy_out_response(struct dh_buf *b, int format, const int16_t *formats, size_t n)
{
	return copy_response(b, 'H', format, formats, n);
}

int
dh_pgwire_copy_data(struct dh_buf *b, const void *p, size_t n)
{
	size_t at = dh_pgwire_begin(b, 'd');
	if (n)
		dh_buf_add(b, p, n);
	return dh_pgwire_end(b, at);
}

int
dh_pgwire_copy_done(struct dh_buf *b)
{
	return empty_msg(b, 'c');
}

int
dh_pgwire_notification(struct dh_buf *b, int32_t pid, const char *channel, const char *payload)
{
	size_t at = dh_pgwire_begin(b, 'A');
	dh_pgwire_put_u32(b, (uint32_t)pid);
	dh_pgwire_put_str(b, channel);
	dh_pgwire_put_str(b, payload);
	return dh_pgwire_end(b, at);
}
