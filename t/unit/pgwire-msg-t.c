/*
 * pgwire-msg-t: the wire codec.  Backend messages are compared byte for
 * byte with their layout in the protocol documentation; frontend messages
 * are built here (with the codec's put helpers, laid out by hand) and read
 * back through the reader and the decoders; every truncation of every
 * frontend message, and every one with a byte too many, must be a 08P01
 * protocol violation; the reader's limits and phases are PostgreSQL's.
 * Payloads handed to decoders live in exact-size allocations, so a read
 * past the end is a sanitizer error.
 */
#include "pgwire-msg.h"
#include "tap.h"

static char hexbuf[1 << 16];

static const char *
hex(const void *p, size_t n)
{
	const unsigned char *s = p;
	size_t k = 0;
	for (size_t i = 0; i < n && k + 3 < sizeof(hexbuf); i++)
		k += (size_t)snprintf(hexbuf + k, sizeof(hexbuf) - k, "%02x", s[i]);
	hexbuf[k] = 0;
	return hexbuf;
}

/* Expected bytes: hex digits with '|' and spaces for reading, and
 * "quoted" text. */
static const char *
want(const char *spec)
{
	static char out[1 << 16];
	size_t k = 0;
	for (const char *s = spec; *s; s++) {
		if (*s == '"') {
			for (s++; *s && *s != '"'; s++)
				k += (size_t)snprintf(out + k, sizeof(out) - k, "%02x",
						      (unsigned char)*s);
		} else if (*s != ' ' && *s != '|') {
			out[k++] = *s;
		}
	}
	out[k] = 0;
	return out;
}

#define is_bytes(b, spec, ...) is_str(hex((b)->p, (b)->len), want(spec), __VA_ARGS__)

static int
is_err(int rc, int want_rc, const struct dh_err *e, const char *state, const char *msg)
{
	return rc == want_rc && strcmp(e->sqlstate, state) == 0 && strcmp(e->message, msg) == 0;
}
#define is_error(rc, want_rc, e, state, msg, ...)                                                 \
	do {                                                                                      \
		if (!ok(is_err(rc, want_rc, e, state, msg), __VA_ARGS__))                          \
			printf("#   got %d %s '%s', want %d %s '%s'\n", rc, (e)->sqlstate,        \
			       (e)->message, want_rc, state, msg);                                \
	} while (0)

/* ------------------------------------------------------------ building */

/* A frontend message of a type: the body in b, framed by the helpers. */
static void
startup_packet(struct dh_buf *b, uint32_t code, const char *const *pairs, size_t n)
{
	size_t at = b->len;
	dh_buf_add_u32be(b, 0);
	dh_buf_add_u32be(b, code);
	for (size_t i = 0; i < n; i++)
		dh_pgwire_put_str(b, pairs[i]);
	dh_buf_addc(b, 0);
	dh_put_u32be(b->p + at, (uint32_t)(b->len - at));
}

static struct dh_pgwire_msg
msg_of(int type, const void *p, size_t n)
{
	/* exact-size copy: reading past n is an ASan error */
	struct dh_pgwire_msg m = {type, 0, 0, xmemdup(p, n ? n : 1), n};
	return m;
}

static void
msg_free(struct dh_pgwire_msg *m)
{
	free((void *)m->p);
}

/* The body of the one message in b (type byte and length stripped). */
static struct dh_pgwire_msg
body_of(const struct dh_buf *b)
{
	return msg_of(b->p[0], b->p + 5, b->len - 5);
}

/* Run decoder f over every strict prefix of the payload and over the
 * payload with a byte added: each must be 08P01 (or the other error the
 * decoder may name for a shape PostgreSQL refuses first, see alt). */
typedef int (*decoder)(const struct dh_pgwire_msg *m, struct dh_arena *a, struct dh_err *e);

static void
mangled(const char *name, const struct dh_pgwire_msg *good, decoder f, int extra_ok)
{
	struct dh_arena a;
	struct dh_err e;
	int bad = 0;
	size_t first_bad = 0;
	dh_arena_init(&a);
	for (size_t k = 0; k <= good->n; k++) {
		unsigned char *p = xmalloc(k + 1);
		memcpy(p, good->p, k < good->n ? k : good->n);
		if (k == good->n) /* the byte too many */
			p[k] = 'x';
		struct dh_pgwire_msg m = {good->type, good->kind, good->code, p,
					  k == good->n ? k + 1 : k};
		memset(&e, 0, sizeof(e));
		int rc = f(&m, &a, &e);
		int fine = k == good->n && extra_ok ? rc == 0
			   : rc == DH_EPROTOCOL && strcmp(e.sqlstate, "08P01") == 0 && e.message[0];
		if (!fine && !bad++)
			first_bad = k;
		free(p);
	}
	ok(bad == 0, "%s: each of %zu truncations and a byte too many are 08P01", name, good->n);
	if (bad)
		printf("#   %d wrong, the first at length %zu\n", bad, first_bad);
	dh_arena_release(&a);
}

/* ------------------------------------------------------------ decoders as one shape */

static int
d_startup(const struct dh_pgwire_msg *m, struct dh_arena *a, struct dh_err *e)
{
	struct dh_pgwire_startup s;
	return dh_pgwire_decode_startup(m, a, &s, e);
}
static int
d_query(const struct dh_pgwire_msg *m, struct dh_arena *a, struct dh_err *e)
{
	const char *q;
	size_t n;
	return dh_pgwire_decode_query(m, &q, &n, e);
}
static int
d_parse(const struct dh_pgwire_msg *m, struct dh_arena *a, struct dh_err *e)
{
	struct dh_pgwire_parse p;
	return dh_pgwire_decode_parse(m, a, &p, e);
}
static int
d_bind(const struct dh_pgwire_msg *m, struct dh_arena *a, struct dh_err *e)
{
	struct dh_pgwire_bind b;
	return dh_pgwire_decode_bind(m, a, &b, e);
}
static int
d_describe(const struct dh_pgwire_msg *m, struct dh_arena *a, struct dh_err *e)
{
	struct dh_pgwire_target t;
	return dh_pgwire_decode_describe(m, &t, e);
}
static int
d_close(const struct dh_pgwire_msg *m, struct dh_arena *a, struct dh_err *e)
{
	struct dh_pgwire_target t;
	return dh_pgwire_decode_close(m, &t, e);
}
static int
d_execute(const struct dh_pgwire_msg *m, struct dh_arena *a, struct dh_err *e)
{
	struct dh_pgwire_execute x;
	return dh_pgwire_decode_execute(m, &x, e);
}
static int
d_empty(const struct dh_pgwire_msg *m, struct dh_arena *a, struct dh_err *e)
{
	return dh_pgwire_decode_empty(m, e);
}
static int
d_copy_fail(const struct dh_pgwire_msg *m, struct dh_arena *a, struct dh_err *e)
{
	const char *r;
	return dh_pgwire_decode_copy_fail(m, &r, e);
}
static int
d_fcall(const struct dh_pgwire_msg *m, struct dh_arena *a, struct dh_err *e)
{
	struct dh_pgwire_fcall f;
	return dh_pgwire_decode_fcall(m, a, &f, e);
}
static int
d_password(const struct dh_pgwire_msg *m, struct dh_arena *a, struct dh_err *e)
{
	const char *p;
	int rc = dh_pgwire_decode_password(m, &p, e);
	/* the empty prefix "\0" of a password is its own error, 28P01 */
	if (rc == DH_EAUTHFAIL && m->n == 1)
		return dh_err_set(e, DH_EPROTOCOL, "(empty password, as expected)");
	return rc;
}
static int
d_sasl_initial(const struct dh_pgwire_msg *m, struct dh_arena *a, struct dh_err *e)
{
	struct dh_pgwire_sasl_initial s;
	return dh_pgwire_decode_sasl_initial(m, &s, e);
}

/* ------------------------------------------------------------ reader */

static void
test_startup_phase(void)
{
	struct dh_pgwire_reader r;
	struct dh_pgwire_msg m;
	struct dh_err e;
	struct dh_buf b;
	struct dh_arena a;
	struct dh_pgwire_startup s;
	int rc;

	dh_arena_init(&a);
	dh_buf_init(&b, 0);

	/* psql's packet, one byte at a time */
	static const char *const psql[] = {"user", "acc", "database", "shop",
					   "application_name", "psql", "client_encoding", "UTF8"};
	startup_packet(&b, DH_PGWIRE_PROTO(3, 0), psql, 8);
	dh_pgwire_reader_init(&r);
	int early = 0;
	for (size_t i = 0; i + 1 < b.len; i++) {
		dh_pgwire_reader_feed(&r, b.p + i, 1);
		early += dh_pgwire_reader_next(&r, &m, &e) != 0;
	}
	dh_pgwire_reader_feed(&r, b.p + b.len - 1, 1);
	rc = dh_pgwire_reader_next(&r, &m, &e);
	ok(early == 0 && rc == 1 && m.kind == DH_PGWIRE_K_STARTUP && m.type == 0 &&
		   m.code == 196608 && m.n == b.len - 4,
	   "a StartupMessage fed byte by byte comes out once whole");
	rc = dh_pgwire_decode_startup(&m, &a, &s, &e);
	ok(rc == 0 && s.major == 3 && s.minor == 0 && strcmp(s.user, "acc") == 0 &&
		   strcmp(s.database, "shop") == 0 && s.nparams == 2 &&
		   strcmp(s.names[0], "application_name") == 0 && strcmp(s.values[0], "psql") == 0 &&
		   strcmp(s.names[1], "client_encoding") == 0 && strcmp(s.values[1], "UTF8") == 0 &&
		   s.nproto == 0 && !s.negotiate && !s.options && !s.replication,
	   "the StartupMessage decodes: user, database, settings in order");
	ok(dh_pgwire_reader_next(&r, &m, &e) == 0 && dh_pgwire_reader_eof(&r, &e) == 0,
	   "then nothing is pending and EOF is clean");
	mangled("StartupMessage", &m, d_startup, 0);
	dh_pgwire_reader_release(&r);

	/* 3.2 and 3.9999 with _pq_ options: accepted, negotiation asked */
	static const char *const grease[] = {"user", "u", "_pq_.test_ext", "1", "options",
					     "-c search_path=x", "replication", "false",
					     "_pq_.other", ""};
	dh_buf_reset(&b);
	startup_packet(&b, DH_PGWIRE_PROTO(3, 9999), grease, 10);
	struct dh_pgwire_msg g = msg_of(0, b.p + 4, b.len - 4);
	rc = dh_pgwire_decode_startup(&g, &a, &s, &e);
	ok(rc == 0 && s.minor == 9999 && s.negotiate && s.nproto == 2 &&
		   strcmp(s.proto_names[0], "_pq_.test_ext") == 0 &&
		   strcmp(s.proto_values[0], "1") == 0 &&
		   strcmp(s.proto_names[1], "_pq_.other") == 0 && s.nparams == 0 &&
		   strcmp(s.options, "-c search_path=x") == 0 &&
		   strcmp(s.replication, "false") == 0 && strcmp(s.database, "u") == 0,
	   "protocol 3.9999 with _pq_ options: accepted, options kept apart, database = user");
	msg_free(&g);
	dh_buf_reset(&b);
	startup_packet(&b, DH_PGWIRE_PROTO(3, 2), grease, 2);
	g = msg_of(0, b.p + 4, b.len - 4);
	rc = dh_pgwire_decode_startup(&g, &a, &s, &e);
	ok(rc == 0 && s.minor == 2 && s.negotiate && s.nproto == 0, "protocol 3.2: negotiate");
	msg_free(&g);

	/* major versions other than 3 */
	dh_buf_reset(&b);
	startup_packet(&b, DH_PGWIRE_PROTO(2, 0), psql, 2);
	g = msg_of(0, b.p + 4, b.len - 4);
	rc = dh_pgwire_decode_startup(&g, &a, &s, &e);
	is_error(rc, DH_ENOTSUP, &e, "0A000",
		 "unsupported frontend protocol 2.0: server supports 3.0 to 3.0",
		 "protocol 2.0 is refused with 0A000");
	msg_free(&g);

	/* no user */
	static const char *const nouser[] = {"database", "x"};
	dh_buf_reset(&b);
	startup_packet(&b, DH_PGWIRE_PROTO(3, 0), nouser, 2);
	g = msg_of(0, b.p + 4, b.len - 4);
	rc = dh_pgwire_decode_startup(&g, &a, &s, &e);
	is_error(rc, DH_ESQL, &e, "28000", "no PostgreSQL user name specified in startup packet",
		 "a StartupMessage without user is 28000");
	msg_free(&g);

	/* layouts */
	static const struct {
		const char *bytes;
		size_t n;
		const char *what;
	} layouts[] = {
	    {"\0\3\0\0", 4, "no terminator at all"},
	    {"\0\3\0\0user\0u\0", 11, "no terminator after the pairs"},
	    {"\0\3\0\0user\0u\0x", 12, "a last byte other than NUL"},
	    {"\0\3\0\0user\0u\0\0\0", 13, "bytes after the terminator"},
	    {"\0\3\0\0user\0u", 10, "a value without its NUL"},
	    {"\0\3\0\0user\0\0", 10, "a name without a value"},
	};
	for (size_t i = 0; i < DH_ARRAY_SIZE(layouts); i++) {
		g = msg_of(0, layouts[i].bytes, layouts[i].n);
		rc = dh_pgwire_decode_startup(&g, &a, &s, &e);
		is_error(rc, DH_EPROTOCOL, &e, "08P01",
			 "invalid startup packet layout: expected terminator as last byte",
			 "startup layout: %s", layouts[i].what);
		msg_free(&g);
	}
	g = msg_of(0, "\0\3\0\0user\0\0\0", 11);
	rc = dh_pgwire_decode_startup(&g, &a, &s, &e);
	is_error(rc, DH_ESQL, &e, "28000", "no PostgreSQL user name specified in startup packet",
		 "an empty user value is a layout PostgreSQL takes, then no user");
	msg_free(&g);

	/* SSLRequest, answered 'N', then the StartupMessage; a second
	 * SSLRequest is a protocol 1234.5679 startup */
	static const unsigned char sslreq[] = {0, 0, 0, 8, 0x04, 0xd2, 0x16, 0x2f};
	static const unsigned char gssreq[] = {0, 0, 0, 8, 0x04, 0xd2, 0x16, 0x30};
	dh_pgwire_reader_init(&r);
	dh_pgwire_reader_feed(&r, sslreq, 8);
	rc = dh_pgwire_reader_next(&r, &m, &e);
	ok(rc == 1 && m.kind == DH_PGWIRE_K_SSL && m.code == 80877103 && m.n == 4,
	   "SSLRequest is recognized");
	ok(dh_pgwire_reader_answered(&r, &m, 'N', &e) == 0, "answered N with nothing pending");
	dh_pgwire_reader_feed(&r, gssreq, 8);
	rc = dh_pgwire_reader_next(&r, &m, &e);
	ok(rc == 1 && m.kind == DH_PGWIRE_K_GSS && m.code == 80877104 &&
		   dh_pgwire_reader_answered(&r, &m, 'N', &e) == 0,
	   "GSSENCRequest after a refused SSLRequest is recognized");
	dh_pgwire_reader_feed(&r, sslreq, 8);
	rc = dh_pgwire_reader_next(&r, &m, &e);
	ok(rc == 1 && m.kind == DH_PGWIRE_K_STARTUP, "a second SSLRequest is not one");
	rc = dh_pgwire_decode_startup(&m, &a, &s, &e);
	is_error(rc, DH_ENOTSUP, &e, "0A000",
		 "unsupported frontend protocol 1234.5679: server supports 3.0 to 3.0",
		 "and is refused as PostgreSQL refuses it");
	dh_pgwire_reader_release(&r);

	/* bytes sent before the answer to SSLRequest (CVE-2021-23214) */
	dh_pgwire_reader_init(&r);
	dh_buf_reset(&b);
	dh_buf_add(&b, sslreq, 8);
	startup_packet(&b, DH_PGWIRE_PROTO(3, 0), psql, 2);
	dh_pgwire_reader_feed(&r, b.p, b.len);
	rc = dh_pgwire_reader_next(&r, &m, &e);
	ok(rc == 1 && m.kind == DH_PGWIRE_K_SSL, "SSLRequest with a StartupMessage behind it");
	rc = dh_pgwire_reader_answered(&r, &m, 'S', &e);
	is_error(rc, DH_EPROTOCOL, &e, "08P01", "received unencrypted data after SSL request",
		 "the data behind an SSLRequest is refused");
	ok(strstr(e.detail, "man-in-the-middle") != NULL, "with PostgreSQL's detail");
	dh_pgwire_reader_release(&r);
	dh_pgwire_reader_init(&r);
	dh_pgwire_reader_feed(&r, gssreq, 8);
	dh_pgwire_reader_feed(&r, "x", 1);
	rc = dh_pgwire_reader_next(&r, &m, &e);
	rc = dh_pgwire_reader_answered(&r, &m, 'N', &e);
	is_error(rc, DH_EPROTOCOL, &e, "08P01",
		 "received unencrypted data after GSSAPI encryption request",
		 "the data behind a GSSENCRequest is refused");
	dh_pgwire_reader_release(&r);

	/* CancelRequest */
	static const unsigned char cancel[] = {0, 0, 0, 16, 0x04, 0xd2, 0x16, 0x2e,
					       0, 0, 0x30, 0x39, 0xde, 0xad, 0xbe, 0xef};
	struct dh_pgwire_cancel c;
	dh_pgwire_reader_init(&r);
	dh_pgwire_reader_feed(&r, cancel, sizeof(cancel));
	rc = dh_pgwire_reader_next(&r, &m, &e);
	ok(rc == 1 && m.kind == DH_PGWIRE_K_CANCEL && dh_pgwire_decode_cancel(&m, &c, &e) == 0 &&
		   c.pid == 12345 && c.key == 0xdeadbeef,
	   "CancelRequest: pid and key");
	dh_pgwire_reader_release(&r);
	unsigned char cancel20[20];
	memcpy(cancel20, cancel, 16);
	cancel20[3] = 20;
	dh_pgwire_reader_init(&r);
	dh_pgwire_reader_feed(&r, cancel20, sizeof(cancel20));
	rc = dh_pgwire_reader_next(&r, &m, &e);
	is_error(rc, DH_EPROTOCOL, &e, "08P01", "invalid length of startup packet",
		 "a CancelRequest of 20 bytes (a 3.2 key to a 3.0 server)");
	dh_pgwire_reader_release(&r);

	/* lengths */
	static const struct {
		uint32_t len;
		int fine;
	} lens[] = {{0, 0}, {3, 0}, {7, 0}, {8, 1}, {10004, 1}, {10005, 0}, {0x7fffffff, 0},
		    {0x80000000u, 0}, {0xffffffffu, 0}};
	for (size_t i = 0; i < DH_ARRAY_SIZE(lens); i++) {
		unsigned char hdr[8];
		dh_put_u32be(hdr, lens[i].len);
		dh_put_u32be(hdr + 4, DH_PGWIRE_PROTO(3, 0));
		dh_pgwire_reader_init(&r);
		dh_pgwire_reader_feed(&r, hdr, 8);
		rc = dh_pgwire_reader_next(&r, &m, &e);
		if (lens[i].fine)
			ok(rc == 1 || rc == 0, "startup length %u is accepted", lens[i].len);
		else
			is_error(rc, DH_EPROTOCOL, &e, "08P01", "invalid length of startup packet",
				 "startup length %u is refused before its body", lens[i].len);
		dh_pgwire_reader_release(&r);
	}

	/* EOF in the middle */
	dh_pgwire_reader_init(&r);
	dh_pgwire_reader_feed(&r, sslreq, 3);
	ok(dh_pgwire_reader_next(&r, &m, &e) == 0, "three bytes are not a length yet");
	rc = dh_pgwire_reader_eof(&r, &e);
	is_error(rc, DH_EPROTOCOL, &e, "08P01", "incomplete startup packet",
		 "EOF inside the startup packet");
	dh_pgwire_reader_release(&r);

	dh_buf_release(&b);
	dh_arena_release(&a);
}

/* Feed one typed message of the given length and body byte into a reader
 * in phase ph; the result of next. */
static int
typed(int ph, size_t large, int type, uint32_t len, size_t body, struct dh_err *e)
{
	struct dh_pgwire_reader r;
	struct dh_pgwire_msg m;
	unsigned char hdr[5] = {(unsigned char)type};
	dh_put_u32be(hdr + 1, len);
	dh_pgwire_reader_init(&r);
	dh_pgwire_reader_set_phase(&r, ph);
	if (large)
		dh_pgwire_reader_set_limit(&r, large);
	dh_pgwire_reader_feed(&r, hdr, 5);
	if (body) {
		unsigned char *p = xcalloc(1, body);
		dh_pgwire_reader_feed(&r, p, body);
		free(p);
	}
	memset(e, 0, sizeof(*e));
	int rc = dh_pgwire_reader_next(&r, &m, e);
	if (rc == 1 && (m.type != type || m.n != body || m.kind != DH_PGWIRE_K_TYPED))
		rc = -1000;
	dh_pgwire_reader_release(&r);
	return rc;
}

static void
test_typed_phases(void)
{
	struct dh_err e;
	int rc;
	char name[64];

	/* every frontend type, at its limit and one over */
	static const char small[] = "CDEHSXcf", large[] = "QFPBd";
	int okays = 0, refusals = 0;
	for (const char *t = small; *t; t++) {
		okays += typed(DH_PGWIRE_NORMAL, 0, *t, 10000, 9996, &e) == 1;
		refusals += typed(DH_PGWIRE_NORMAL, 0, *t, 10001, 0, &e) == DH_EPROTOCOL &&
			    strcmp(e.message, "invalid message length") == 0;
	}
	ok(okays == 8 && refusals == 8,
	   "C D E H S X c f: 10,000 bytes pass, 10,001 are refused before the body");
	okays = refusals = 0;
	for (const char *t = large; *t; t++) {
		okays += typed(DH_PGWIRE_NORMAL, 0, *t, 20000, 19996, &e) == 1;
		refusals += typed(DH_PGWIRE_NORMAL, 0, *t, 0x3fffffff, 0, &e) == DH_EPROTOCOL;
		okays += typed(DH_PGWIRE_NORMAL, 0, *t, 0x3ffffffe, 0, &e) == 0;
		okays += typed(DH_PGWIRE_NORMAL, 200, *t, 200, 196, &e) == 1;
		refusals += typed(DH_PGWIRE_NORMAL, 200, *t, 201, 0, &e) == DH_EPROTOCOL &&
			    strcmp(e.message, "invalid message length") == 0;
	}
	ok(okays == 15 && refusals == 10,
	   "Q F P B d: up to 1 GB - 2 by default, the configured limit otherwise, "
	   "checked before the body");
	for (uint32_t len = 0; len < 4; len++) {
		rc = typed(DH_PGWIRE_NORMAL, 0, 'S', len, 0, &e);
		is_error(rc, DH_EPROTOCOL, &e, "08P01", "invalid message length",
			 "a length of %u is refused", len);
	}
	rc = typed(DH_PGWIRE_NORMAL, 0, 'Q', 0xffffffffu, 0, &e);
	is_error(rc, DH_EPROTOCOL, &e, "08P01", "invalid message length",
		 "a negative length is refused");
	ok(typed(DH_PGWIRE_NORMAL, 0, 'S', 4, 0, &e) == 1, "Sync of length 4");

	static const char notfe[] = "pZTRKAGWIntsv123\0\xff";
	refusals = 0;
	for (size_t i = 0; i < sizeof(notfe) - 1; i++) {
		rc = typed(DH_PGWIRE_NORMAL, 0, (unsigned char)notfe[i], 4, 0, &e);
		snprintf(name, sizeof(name), "invalid frontend message type %d",
			 (unsigned char)notfe[i]);
		refusals += rc == DH_EPROTOCOL && strcmp(e.message, name) == 0;
	}
	ok(refusals == (int)sizeof(notfe) - 1,
	   "backend and unknown type bytes are \"invalid frontend message type N\"");
	rc = typed(DH_PGWIRE_NORMAL, 0, 'p', 4, 0, &e);
	is_error(rc, DH_EPROTOCOL, &e, "08P01", "invalid frontend message type 112",
		 "'p' after authentication");

	/* authentication phases */
	ok(typed(DH_PGWIRE_PASSWORD, 0, 'p', 65535, 65531, &e) == 1 &&
		   typed(DH_PGWIRE_SASL, 0, 'p', 65535, 65531, &e) == 1,
	   "'p' of 65,535 bytes while authenticating");
	rc = typed(DH_PGWIRE_SASL, 0, 'p', 65536, 0, &e);
	is_error(rc, DH_EPROTOCOL, &e, "08P01", "invalid message length", "'p' of 65,536 bytes");
	rc = typed(DH_PGWIRE_PASSWORD, 0, 'Q', 10, 0, &e);
	is_error(rc, DH_EPROTOCOL, &e, "08P01", "expected password response, got message type 81",
		 "a Query instead of a password");
	rc = typed(DH_PGWIRE_SASL, 0, 'X', 4, 0, &e);
	is_error(rc, DH_EPROTOCOL, &e, "08P01", "expected SASL response, got message type 88",
		 "a Terminate instead of a SASL response");

	/* COPY IN */
	okays = 0;
	for (const char *t = "dcfHS"; *t; t++)
		okays += typed(DH_PGWIRE_COPY_IN, 0, *t, 4, 0, &e) == 1;
	ok(okays == 5, "during COPY IN: d c f H S");
	rc = typed(DH_PGWIRE_COPY_IN, 0, 'Q', 4, 0, &e);
	is_error(rc, DH_EPROTOCOL, &e, "08P01", "unexpected message type 0x51 during COPY from stdin",
		 "a Query during COPY IN");
	rc = typed(DH_PGWIRE_COPY_IN, 0, 'S', 10001, 0, &e);
	is_error(rc, DH_EPROTOCOL, &e, "08P01", "invalid message length", "a big Sync during COPY IN");
	ok(dh_pgwire_check_copy_in('d', &e) == 0 && dh_pgwire_check_copy_in('S', &e) == 0,
	   "check_copy_in takes d and S");
	rc = dh_pgwire_check_copy_in('P', &e);
	is_error(rc, DH_EPROTOCOL, &e, "08P01", "unexpected message type 0x50 during COPY from stdin",
		 "check_copy_in refuses P");

	/* pipelined messages come out in order; EOF cases */
	struct dh_pgwire_reader r;
	struct dh_pgwire_msg m;
	struct dh_buf b;
	dh_buf_init(&b, 0);
	size_t at = dh_pgwire_begin(&b, 'P');
	dh_pgwire_put_str(&b, "");
	dh_pgwire_put_str(&b, "select 1");
	dh_pgwire_put_u16(&b, 0);
	dh_pgwire_end(&b, at);
	at = dh_pgwire_begin(&b, 'S');
	dh_pgwire_end(&b, at);
	at = dh_pgwire_begin(&b, 'Q');
	dh_pgwire_put_str(&b, "select 2");
	dh_pgwire_end(&b, at);
	dh_pgwire_reader_init(&r);
	dh_pgwire_reader_set_phase(&r, DH_PGWIRE_NORMAL);
	dh_pgwire_reader_feed(&r, b.p, b.len);
	char seq[8] = {0};
	int k = 0;
	while (k < 7 && dh_pgwire_reader_next(&r, &m, &e) == 1)
		seq[k++] = (char)m.type;
	is_str(seq, "PSQ", "three pipelined messages, in order");
	ok(dh_pgwire_reader_pending(&r) == 0 && dh_pgwire_reader_eof(&r, &e) == 0,
	   "nothing left: a clean EOF");
	dh_pgwire_reader_feed(&r, b.p, 3);
	rc = dh_pgwire_reader_eof(&r, &e);
	is_error(rc, DH_EPROTOCOL, &e, "08P01", "unexpected EOF within message length word",
		 "EOF inside a length word");
	dh_pgwire_reader_feed(&r, b.p + 3, 5);
	ok(dh_pgwire_reader_next(&r, &m, &e) == 0, "a partial body is not a message");
	rc = dh_pgwire_reader_eof(&r, &e);
	is_error(rc, DH_EPROTOCOL, &e, "08P01", "incomplete message from client",
		 "EOF inside a body");
	dh_pgwire_reader_release(&r);
	dh_buf_release(&b);
}

/* ------------------------------------------------------------ decoders */

static void
test_decoders(void)
{
	struct dh_buf b;
	struct dh_arena a;
	struct dh_err e;
	struct dh_pgwire_msg m;
	int rc;
	size_t at;

	dh_buf_init(&b, 0);
	dh_arena_init(&a);

	/* Query */
	at = dh_pgwire_begin(&b, 'Q');
	dh_pgwire_put_str(&b, "select 1; select 2");
	dh_pgwire_end(&b, at);
	is_bytes(&b, "51 00000017 \"select 1; select 2\" 00", "Query's bytes");
	m = body_of(&b);
	const char *sql;
	size_t sqllen;
	rc = dh_pgwire_decode_query(&m, &sql, &sqllen, &e);
	ok(rc == 0 && strcmp(sql, "select 1; select 2") == 0 && sqllen == 18, "Query decodes");
	mangled("Query", &m, d_query, 0);
	msg_free(&m);
	m = msg_of('Q', "a\0b", 4);
	rc = dh_pgwire_decode_query(&m, &sql, &sqllen, &e);
	is_error(rc, DH_EPROTOCOL, &e, "08P01", "invalid message format",
		 "Query with bytes after its string");
	msg_free(&m);
	m = msg_of('Q', "abc", 3);
	rc = dh_pgwire_decode_query(&m, &sql, &sqllen, &e);
	is_error(rc, DH_EPROTOCOL, &e, "08P01", "invalid string in message",
		 "Query without its NUL");
	msg_free(&m);

	/* Parse (pgjdbc's S_3) */
	dh_buf_reset(&b);
	at = dh_pgwire_begin(&b, 'P');
	dh_pgwire_put_str(&b, "S_3");
	dh_pgwire_put_str(&b, "insert into customers(id,name) values ($1,$2)");
	dh_pgwire_put_u16(&b, 2);
	dh_pgwire_put_u32(&b, 23);
	dh_pgwire_put_u32(&b, 1043);
	dh_pgwire_end(&b, at);
	m = body_of(&b);
	struct dh_pgwire_parse p;
	rc = dh_pgwire_decode_parse(&m, &a, &p, &e);
	ok(rc == 0 && strcmp(p.name, "S_3") == 0 && strncmp(p.query, "insert into", 11) == 0 &&
		   p.nparams == 2 && p.types[0] == 23 && p.types[1] == 1043,
	   "Parse decodes: name, query, parameter types");
	mangled("Parse", &m, d_parse, 0);
	msg_free(&m);
	m = msg_of('P', "\0x\0\xff\xff", 5);
	rc = dh_pgwire_decode_parse(&m, &a, &p, &e);
	is_error(rc, DH_EPROTOCOL, &e, "08P01", "insufficient data left in message",
		 "Parse claiming 65,535 types it does not carry");
	msg_free(&m);

	/* Bind: psycopg 3's int2 in binary and a text NULL-less pair, plus a NULL */
	dh_buf_reset(&b);
	at = dh_pgwire_begin(&b, 'B');
	dh_pgwire_put_str(&b, "");
	dh_pgwire_put_str(&b, "_pg3_0");
	dh_pgwire_put_u16(&b, 3);
	dh_pgwire_put_u16(&b, 1);
	dh_pgwire_put_u16(&b, 0);
	dh_pgwire_put_u16(&b, 0);
	dh_pgwire_put_u16(&b, 3);
	dh_pgwire_put_u32(&b, 2);
	dh_buf_add(&b, "\0\x2a", 2);
	dh_pgwire_put_u32(&b, 1);
	dh_buf_add(&b, "x", 1);
	dh_pgwire_put_u32(&b, 0xffffffffu);
	dh_pgwire_put_u16(&b, 1);
	dh_pgwire_put_u16(&b, 1);
	dh_pgwire_end(&b, at);
	m = body_of(&b);
	struct dh_pgwire_bind bd;
	rc = dh_pgwire_decode_bind(&m, &a, &bd, &e);
	ok(rc == 0 && strcmp(bd.portal, "") == 0 && strcmp(bd.statement, "_pg3_0") == 0 &&
		   bd.npformats == 3 && bd.pformats[0] == 1 && bd.pformats[1] == 0 &&
		   bd.nparams == 3 && bd.params[0].len == 2 &&
		   memcmp(bd.params[0].p, "\0\x2a", 2) == 0 && bd.params[1].len == 1 &&
		   bd.params[1].p[0] == 'x' && bd.params[2].len == -1 && bd.params[2].p == NULL &&
		   bd.nrformats == 1 && bd.rformats[0] == 1,
	   "Bind decodes: names, formats, values with a NULL, result formats");
	mangled("Bind", &m, d_bind, 0);
	ok(dh_pgwire_check_bind(&bd, 3, 5, &e) == 0, "Bind checks pass against 3 params, 5 columns");
	rc = dh_pgwire_check_bind(&bd, 2, 5, &e);
	is_error(rc, DH_EPROTOCOL, &e, "08P01",
		 "bind message supplies 3 parameters, but prepared statement \"_pg3_0\" requires 2",
		 "Bind with one parameter too many for its statement");
	msg_free(&m);

	static const int16_t f0[1] = {0}, f1[1] = {1}, f3[3] = {1, 0, 1};
	ok(dh_pgwire_format(NULL, 0, 0) == 0 && dh_pgwire_format(NULL, 0, 7) == 0 &&
		   dh_pgwire_format(f1, 1, 0) == 1 && dh_pgwire_format(f1, 1, 9) == 1 &&
		   dh_pgwire_format(f0, 1, 4) == 0 && dh_pgwire_format(f3, 3, 0) == 1 &&
		   dh_pgwire_format(f3, 3, 1) == 0 && dh_pgwire_format(f3, 3, 2) == 1,
	   "format codes: none is text, one applies to all, else one each");

	/* Bind's counts */
	dh_buf_reset(&b);
	at = dh_pgwire_begin(&b, 'B');
	dh_pgwire_put_str(&b, "p");
	dh_pgwire_put_str(&b, "s");
	dh_pgwire_put_u16(&b, 2);
	dh_pgwire_put_u16(&b, 0);
	dh_pgwire_put_u16(&b, 0);
	dh_pgwire_put_u16(&b, 3);
	dh_pgwire_end(&b, at);
	m = body_of(&b);
	rc = dh_pgwire_decode_bind(&m, &a, &bd, &e);
	is_error(rc, DH_EPROTOCOL, &e, "08P01", "bind message has 2 parameter formats but 3 parameters",
		 "Bind with 2 formats for 3 parameters");
	msg_free(&m);
	dh_buf_reset(&b);
	at = dh_pgwire_begin(&b, 'B');
	dh_pgwire_put_str(&b, "");
	dh_pgwire_put_str(&b, "");
	dh_pgwire_put_u16(&b, 0);
	dh_pgwire_put_u16(&b, 1);
	dh_pgwire_put_u32(&b, 0xfffffffeu);
	dh_pgwire_put_u16(&b, 0);
	dh_pgwire_end(&b, at);
	m = body_of(&b);
	rc = dh_pgwire_decode_bind(&m, &a, &bd, &e);
	is_error(rc, DH_EPROTOCOL, &e, "08P01", "insufficient data left in message",
		 "Bind with a value length of -2");
	msg_free(&m);
	dh_buf_reset(&b);
	at = dh_pgwire_begin(&b, 'B');
	dh_pgwire_put_str(&b, "");
	dh_pgwire_put_str(&b, "");
	dh_pgwire_put_u16(&b, 0);
	dh_pgwire_put_u16(&b, 65535);
	dh_pgwire_end(&b, at);
	m = body_of(&b);
	rc = dh_pgwire_decode_bind(&m, &a, &bd, &e);
	is_error(rc, DH_EPROTOCOL, &e, "08P01", "insufficient data left in message",
		 "Bind claiming 65,535 values it does not carry");
	msg_free(&m);

	/* check_bind's result formats and format codes */
	struct dh_pgwire_bind cb = {"", "s", 1, (int16_t[]){2}, 1,
				    (struct dh_pgwire_value[]){{(const unsigned char *)"1", 1}},
				    0, NULL};
	rc = dh_pgwire_check_bind(&cb, 1, 1, &e);
	is_error(rc, DH_ESQL, &e, "22023", "unsupported format code: 2",
		 "a parameter format code of 2 is 22023");
	struct dh_pgwire_bind rb = {"", "s", 0, NULL, 0, NULL, 2, (int16_t[]){0, 1}};
	rc = dh_pgwire_check_bind(&rb, 0, 3, &e);
	is_error(rc, DH_EPROTOCOL, &e, "08P01", "bind message has 2 result formats but query has 3 columns",
		 "2 result formats for 3 columns");
	ok(dh_pgwire_check_bind(&rb, 0, 2, &e) == 0 && dh_pgwire_check_bind(&rb, 0, -1, &e) == 0,
	   "2 result formats for 2 columns, or for a statement without rows");
	struct dh_pgwire_bind rb1 = {"", "s", 0, NULL, 0, NULL, 1, (int16_t[]){1}};
	ok(dh_pgwire_check_bind(&rb1, 0, 7, &e) == 0, "1 result format for 7 columns");
	struct dh_pgwire_bind rb9 = {"", "s", 0, NULL, 0, NULL, 1, (int16_t[]){-1}};
	rc = dh_pgwire_check_bind(&rb9, 0, 7, &e);
	is_error(rc, DH_ESQL, &e, "22023", "unsupported format code: -1", "a result format of -1");

	/* Describe, Close */
	struct dh_pgwire_target t;
	dh_buf_reset(&b);
	at = dh_pgwire_begin(&b, 'D');
	dh_pgwire_put_u8(&b, 'S');
	dh_pgwire_put_str(&b, "S_3");
	dh_pgwire_end(&b, at);
	is_bytes(&b, "44 00000009 53 \"S_3\" 00", "Describe's bytes");
	m = body_of(&b);
	ok(dh_pgwire_decode_describe(&m, &t, &e) == 0 && t.what == 'S' &&
		   strcmp(t.name, "S_3") == 0,
	   "Describe S decodes");
	mangled("Describe", &m, d_describe, 0);
	msg_free(&m);
	m = msg_of('C', "P\0", 2);
	ok(dh_pgwire_decode_close(&m, &t, &e) == 0 && t.what == 'P' && t.name[0] == 0,
	   "Close P of the unnamed portal decodes");
	mangled("Close", &m, d_close, 0);
	msg_free(&m);
	m = msg_of('D', "X\0", 2);
	rc = dh_pgwire_decode_describe(&m, &t, &e);
	is_error(rc, DH_EPROTOCOL, &e, "08P01", "invalid DESCRIBE message subtype 88",
		 "Describe X");
	rc = dh_pgwire_decode_close(&m, &t, &e);
	is_error(rc, DH_EPROTOCOL, &e, "08P01", "invalid CLOSE message subtype 88", "Close X");
	msg_free(&m);

	/* Execute */
	struct dh_pgwire_execute x;
	m = msg_of('E', "c1\0\0\0\0\x02", 7);
	ok(dh_pgwire_decode_execute(&m, &x, &e) == 0 && strcmp(x.portal, "c1") == 0 &&
		   x.max_rows == 2,
	   "Execute decodes: portal, max rows");
	mangled("Execute", &m, d_execute, 0);
	msg_free(&m);
	m = msg_of('E', "\0\xff\xff\xff\xff", 5);
	ok(dh_pgwire_decode_execute(&m, &x, &e) == 0 && x.max_rows == -1,
	   "Execute with max rows -1 (all rows)");
	msg_free(&m);

	/* the empty ones */
	m = msg_of('S', "", 0);
	ok(dh_pgwire_decode_empty(&m, &e) == 0, "Sync decodes");
	mangled("Sync", &m, d_empty, 0);
	msg_free(&m);
	m = msg_of('X', "junk", 4);
	ok(dh_pgwire_decode_empty(&m, &e) == 0, "Terminate is taken with any body, as PostgreSQL does");
	msg_free(&m);

	/* CopyData, CopyFail */
	const unsigned char *cd;
	size_t cdn;
	m = msg_of('d', "1\tx\n", 4);
	ok(dh_pgwire_decode_copy_data(&m, &cd, &cdn, &e) == 0 && cdn == 4 && cd[0] == '1',
	   "CopyData is its payload");
	msg_free(&m);
	const char *reason;
	m = msg_of('f', "stop\0", 5);
	ok(dh_pgwire_decode_copy_fail(&m, &reason, &e) == 0 && strcmp(reason, "stop") == 0,
	   "CopyFail decodes");
	mangled("CopyFail", &m, d_copy_fail, 0);
	msg_free(&m);

	/* FunctionCall: lo_open(oid, int) as libpq sends it */
	dh_buf_reset(&b);
	at = dh_pgwire_begin(&b, 'F');
	dh_pgwire_put_u32(&b, 952);
	dh_pgwire_put_u16(&b, 1);
	dh_pgwire_put_u16(&b, 1);
	dh_pgwire_put_u16(&b, 2);
	dh_pgwire_put_u32(&b, 4);
	dh_pgwire_put_u32(&b, 16400);
	dh_pgwire_put_u32(&b, 0xffffffffu);
	dh_pgwire_put_u16(&b, 1);
	dh_pgwire_end(&b, at);
	m = body_of(&b);
	struct dh_pgwire_fcall fc;
	rc = dh_pgwire_decode_fcall(&m, &a, &fc, &e);
	ok(rc == 0 && fc.fn == 952 && fc.naformats == 1 && fc.aformats[0] == 1 && fc.nargs == 2 &&
		   fc.args[0].len == 4 && dh_get_u32be(fc.args[0].p) == 16400 &&
		   fc.args[1].len == -1 && fc.rformat == 1,
	   "FunctionCall decodes");
	mangled("FunctionCall", &m, d_fcall, 0);
	msg_free(&m);
	dh_buf_reset(&b);
	at = dh_pgwire_begin(&b, 'F');
	dh_pgwire_put_u32(&b, 952);
	dh_pgwire_put_u16(&b, 0);
	dh_pgwire_put_u16(&b, 1);
	dh_pgwire_put_u32(&b, 0xfffffffdu);
	dh_pgwire_put_u16(&b, 0);
	dh_pgwire_end(&b, at);
	m = body_of(&b);
	rc = dh_pgwire_decode_fcall(&m, &a, &fc, &e);
	is_error(rc, DH_EPROTOCOL, &e, "08P01", "invalid argument size -3 in function call message",
		 "FunctionCall with an argument of size -3");
	msg_free(&m);
	m = msg_of('F', "\0\0\0\1\0\2\0\0\0\0\0\3", 12);
	rc = dh_pgwire_decode_fcall(&m, &a, &fc, &e);
	is_error(rc, DH_EPROTOCOL, &e, "08P01",
		 "function call message contains 2 argument formats but 3 arguments",
		 "FunctionCall with 2 formats for 3 arguments");
	msg_free(&m);

	/* the 'p' messages */
	const char *pw;
	m = msg_of('p', "pencil\0", 7);
	ok(dh_pgwire_decode_password(&m, &pw, &e) == 0 && strcmp(pw, "pencil") == 0,
	   "PasswordMessage decodes");
	mangled("PasswordMessage", &m, d_password, 0);
	msg_free(&m);
	m = msg_of('p', "a\0b\0", 4);
	rc = dh_pgwire_decode_password(&m, &pw, &e);
	is_error(rc, DH_EPROTOCOL, &e, "08P01", "invalid password packet size",
		 "PasswordMessage with two strings");
	msg_free(&m);
	m = msg_of('p', "\0", 1);
	rc = dh_pgwire_decode_password(&m, &pw, &e);
	is_error(rc, DH_EAUTHFAIL, &e, "28P01", "empty password returned by client",
		 "an empty password is 28P01");
	msg_free(&m);

	static const char first[] = "n,,n=,r=rOprNGfwEbeRWgbNEkqO";
	dh_buf_reset(&b);
	at = dh_pgwire_begin(&b, 'p');
	dh_pgwire_put_str(&b, "SCRAM-SHA-256");
	dh_pgwire_put_u32(&b, sizeof(first) - 1);
	dh_buf_add(&b, first, sizeof(first) - 1);
	dh_pgwire_end(&b, at);
	m = body_of(&b);
	struct dh_pgwire_sasl_initial si;
	rc = dh_pgwire_decode_sasl_initial(&m, &si, &e);
	ok(rc == 0 && strcmp(si.mechanism, "SCRAM-SHA-256") == 0 &&
		   si.len == (int32_t)sizeof(first) - 1 &&
		   memcmp(si.data, first, sizeof(first) - 1) == 0,
	   "SASLInitialResponse decodes");
	mangled("SASLInitialResponse", &m, d_sasl_initial, 0);
	msg_free(&m);
	m = msg_of('p', "SCRAM-SHA-256\0\xff\xff\xff\xff", 18);
	ok(dh_pgwire_decode_sasl_initial(&m, &si, &e) == 0 && si.len == -1 && si.data == NULL,
	   "SASLInitialResponse without a response (-1)");
	msg_free(&m);
	m = msg_of('p', "SCRAM-SHA-256\0\xff\xff\xff\xfe", 18);
	rc = dh_pgwire_decode_sasl_initial(&m, &si, &e);
	is_error(rc, DH_EPROTOCOL, &e, "08P01", "insufficient data left in message",
		 "SASLInitialResponse with length -2");
	msg_free(&m);
	const unsigned char *sd;
	size_t sn;
	m = msg_of('p', "c=biws", 6);
	ok(dh_pgwire_decode_sasl_response(&m, &sd, &sn, &e) == 0 && sn == 6 && sd[0] == 'c',
	   "SASLResponse is its payload");
	msg_free(&m);

	dh_arena_release(&a);
	dh_buf_release(&b);
}

/* ------------------------------------------------------------ encoders */

static void
test_encoders(void)
{
	struct dh_buf b;
	int rc;
	dh_buf_init(&b, 0);

#define ENC(call, spec, name)                                                                      \
	do {                                                                                      \
		dh_buf_reset(&b);                                                                 \
		rc = (call);                                                                      \
		if (!ok(rc == 0, "%s encodes", name))                                            \
			printf("#   rc %d\n", rc);                                                \
		is_bytes(&b, spec, "%s's bytes", name);                                          \
	} while (0)

	static const unsigned char salt[4] = {1, 2, 3, 4};
	static const char *const mechs[] = {"SCRAM-SHA-256-PLUS", "SCRAM-SHA-256"};
	ENC(dh_pgwire_ssl_answer(&b, 'N'), "4e", "the answer N");
	ENC(dh_pgwire_auth_ok(&b), "52 00000008 00000000", "AuthenticationOk");
	ENC(dh_pgwire_auth_cleartext(&b), "52 00000008 00000003", "AuthenticationCleartextPassword");
	ENC(dh_pgwire_auth_md5(&b, salt), "52 0000000c 00000005 01020304", "AuthenticationMD5Password");
	ENC(dh_pgwire_auth_sasl(&b, mechs + 1, 1), "52 00000017 0000000a \"SCRAM-SHA-256\" 00 00",
	    "AuthenticationSASL");
	ENC(dh_pgwire_auth_sasl(&b, mechs, 2),
	    "52 0000002a 0000000a \"SCRAM-SHA-256-PLUS\" 00 \"SCRAM-SHA-256\" 00 00",
	    "AuthenticationSASL with PLUS");
	ENC(dh_pgwire_auth_sasl_continue(&b, "r=a,s=b,i=1", 11),
	    "52 00000013 0000000b \"r=a,s=b,i=1\"", "AuthenticationSASLContinue");
	ENC(dh_pgwire_auth_sasl_final(&b, "v=x", 3), "52 0000000b 0000000c \"v=x\"",
	    "AuthenticationSASLFinal");
	ENC(dh_pgwire_parameter_status(&b, "TimeZone", "UTC"),
	    "53 00000011 \"TimeZone\" 00 \"UTC\" 00", "ParameterStatus");
	ENC(dh_pgwire_backend_key_data(&b, 4242, 0xcafef00d), "4b 0000000c 00001092 cafef00d",
	    "BackendKeyData");
	ENC(dh_pgwire_ready_for_query(&b, 'I'), "5a 00000005 49", "ReadyForQuery I");
	ENC(dh_pgwire_ready_for_query(&b, 'E'), "5a 00000005 45", "ReadyForQuery E");
	static const char *const rejected[] = {"_pq_.test_ext"};
	ENC(dh_pgwire_negotiate_protocol(&b, DH_PGWIRE_PROTO_LATEST, rejected, 1),
	    "76 0000001a 00030000 00000001 \"_pq_.test_ext\" 00", "NegotiateProtocolVersion");
	ENC(dh_pgwire_negotiate_protocol(&b, DH_PGWIRE_PROTO_LATEST, NULL, 0),
	    "76 0000000c 00030000 00000000", "NegotiateProtocolVersion without options");

	/* psycopg 3's "select 1": ?column? int4 */
	struct dh_pgwire_field f[2] = {{"?column?", 0, 0, 23, 4, -1, 0},
				       {"name", 16386, 2, 1043, -1, 24, 1}};
	ENC(dh_pgwire_row_description(&b, f, 2),
	    "54 00000038 0002 | \"?column?\" 00 00000000 0000 00000017 0004 ffffffff 0000 | "
	    "\"name\" 00 00004002 0002 00000413 ffff 00000018 0001",
	    "RowDescription");
	struct dh_pgwire_value v[3] = {{(const unsigned char *)"42", 2}, {NULL, -1},
				       {(const unsigned char *)"", 0}};
	ENC(dh_pgwire_data_row(&b, v, 3), "44 00000014 0003 00000002 \"42\" ffffffff 00000000",
	    "DataRow with a NULL and an empty string");
	dh_buf_reset(&b);
	size_t at = dh_pgwire_data_row_begin(&b, 3);
	dh_pgwire_data_row_cell(&b, "42", 2);
	dh_pgwire_data_row_cell(&b, NULL, -1);
	dh_pgwire_data_row_cell(&b, "", 0);
	rc = dh_pgwire_end(&b, at);
	ok(rc == 0, "a streamed DataRow ends");
	is_bytes(&b, "44 00000014 0003 00000002 \"42\" ffffffff 00000000",
		 "a streamed DataRow is the same bytes");
	ENC(dh_pgwire_command_complete(&b, "INSERT 0 2"), "43 0000000f \"INSERT 0 2\" 00",
	    "CommandComplete");
	ENC(dh_pgwire_empty_query(&b), "49 00000004", "EmptyQueryResponse");
	ENC(dh_pgwire_parse_complete(&b), "31 00000004", "ParseComplete");
	ENC(dh_pgwire_bind_complete(&b), "32 00000004", "BindComplete");
	ENC(dh_pgwire_close_complete(&b), "33 00000004", "CloseComplete");
	ENC(dh_pgwire_no_data(&b), "6e 00000004", "NoData");
	ENC(dh_pgwire_portal_suspended(&b), "73 00000004", "PortalSuspended");
	static const uint32_t types[] = {23, 1043};
	ENC(dh_pgwire_parameter_description(&b, types, 2), "74 0000000e 0002 00000017 00000413",
	    "ParameterDescription");
	static const int16_t cf[3] = {0, 0, 0};
	ENC(dh_pgwire_copy_in_response(&b, 0, cf, 3), "47 0000000d 00 0003 0000 0000 0000",
	    "CopyInResponse");
	ENC(dh_pgwire_copy_out_response(&b, 0, cf, 1), "48 00000009 00 0001 0000", "CopyOutResponse");
	ENC(dh_pgwire_copy_data(&b, "1\tx\n", 4), "64 00000008 \"1\tx\n\"", "CopyData");
	ENC(dh_pgwire_copy_done(&b), "63 00000004", "CopyDone");
	ENC(dh_pgwire_notification(&b, 77, "ch", "hi"), "41 0000000e 0000004d \"ch\" 00 \"hi\" 00",
	    "NotificationResponse");

	/* ErrorResponse: PostgreSQL's field order */
	struct dh_err e;
	memset(&e, 0, sizeof(e));
	dh_err_sql(&e, "42601", "syntax error at end of input");
	e.position = 11;
	ENC(dh_pgwire_error_response(&b, "ERROR", &e, NULL),
	    "45 0000003c \"S\" \"ERROR\" 00 \"V\" \"ERROR\" 00 \"C\" \"42601\" 00 "
	    "\"M\" \"syntax error at end of input\" 00 \"P\" \"11\" 00 00",
	    "ErrorResponse with a position");
	memset(&e, 0, sizeof(e));
	dh_err_set(&e, DH_EUNIQUE, "duplicate key value violates unique constraint \"u_pkey\"");
	dh_err_detail(&e, "Key (a)=(1) already exists.");
	dh_err_hint(&e, "h");
	dh_err_context(&e, "w");
	struct dh_pgwire_errextra x = {"public", "u", "a", "int4", "u_pkey", 3, "iq", "f.c",
				       "fn", 9};
	dh_buf_reset(&b);
	rc = dh_pgwire_error_response(&b, "ERROR", &e, &x);
	ok(rc == 0 && b.p[0] == 'E' && dh_get_u32be(b.p + 1) == b.len - 1,
	   "ErrorResponse with every field encodes");
	/* walk the fields */
	char codes[32] = {0};
	int nf = 0, vals_ok = 1;
	for (size_t i = 5; i < b.len && b.p[i] && nf < 31; nf++) {
		codes[nf] = (char)b.p[i];
		const char *val = (const char *)b.p + i + 1;
		if (codes[nf] == 'C' && strcmp(val, "23505") != 0)
			vals_ok = 0;
		if (codes[nf] == 'D' && strcmp(val, "Key (a)=(1) already exists.") != 0)
			vals_ok = 0;
		if (codes[nf] == 'L' && strcmp(val, "9") != 0)
			vals_ok = 0;
		i += 2 + strlen(val);
	}
	is_str(codes, "SVCMDHpqWstcdnFLR", "ErrorResponse fields in PostgreSQL's order");
	ok(vals_ok && b.p[b.len - 1] == 0, "with their values, and the terminator");
	memset(&e, 0, sizeof(e));
	e.code = DH_EPROTOCOL;
	ENC(dh_pgwire_notice_response(&b, "WARNING", &e, NULL),
	    "4e 00000032 \"S\" \"WARNING\" 00 \"V\" \"WARNING\" 00 \"C\" \"08P01\" 00 "
	    "\"M\" \"protocol violation\" 00 00",
	    "NoticeResponse from a bare code: its SQLSTATE and text");

	/* the cap */
	struct dh_buf small;
	dh_buf_init(&small, 16);
	rc = dh_pgwire_command_complete(&small, "SELECT 123456789012");
	ok(rc == DH_ETOOLONG, "a message past the buffer's cap is DH_ETOOLONG");
	dh_buf_release(&small);
	static struct dh_pgwire_field many[65536];
	rc = dh_pgwire_row_description(&b, many, 65536);
	ok(rc == DH_ETOOLONG, "65,536 columns do not fit an Int16");
	dh_buf_release(&b);
}

int
main(void)
{
	test_startup_phase();
	test_typed_phases();
	test_decoders();
	test_encoders();
	return tap_done();
}
