/*
 * scram: SCRAM-SHA-256 server and client, PostgreSQL's verifiers, md5
 * passwords (see scram.h).  The parsing of client messages follows
 * PostgreSQL 15's auth-scram.c step by step, so the same malformed message
 * gets the same error; the formulas are RFC 5802's.  Crypto goes through
 * crypto.c, base64 through datom.c.
 */
#include "scram.h"

#include <errno.h>
#include <limits.h>

#include "crypto.h"
#include "datom.h"

#define MECH "SCRAM-SHA-256"
#define MECH_PLUS "SCRAM-SHA-256-PLUS"
#define RAW_NONCE_LEN 18 /* PostgreSQL's SCRAM_RAW_NONCE_LEN */
#define CBIND_HEADER "p=tls-server-end-point,,"

enum { S_INIT, S_SALT_SENT, S_DONE };

/* ------------------------------------------------------------ helpers */

static int
malformed(struct dh_err *e, const char *fmt, ...) DH_PRINTF(2, 3);

/* "malformed SCRAM message" with the reason as its detail */
static int
malformed(struct dh_err *e, const char *fmt, ...)
{
	va_list ap;
	dh_err_set(e, DH_EPROTOCOL, "malformed SCRAM message");
	if (e) {
		va_start(ap, fmt);
		vsnprintf(e->detail, sizeof(e->detail), fmt, ap);
		va_end(ap);
	}
	return DH_EPROTOCOL;
}

/* PostgreSQL's sanitize_char: a character quoted, or its hex code */
static const char *
show_char(int c, char buf[8])
{
	if (c >= 0x21 && c <= 0x7e)
		snprintf(buf, 8, "'%c'", c);
	else
		snprintf(buf, 8, "0x%02x", (unsigned char)c);
	return buf;
}

/* PostgreSQL's sanitize_str: 30 characters, others as '?' */
static const char *
show_str(const char *s, char buf[31])
{
	int i;
	for (i = 0; i < 30 && s[i]; i++)
		buf[i] = s[i] >= 0x21 && s[i] <= 0x7e ? s[i] : '?';
	buf[i] = 0;
	return buf;
}

/* Read "attr=value" at *in (value ends at ',' or the end, which is cut),
 * the expected attribute given (read_attr_value) or any (want 0:
 * read_any_attr, the attribute into *got). */
static int
read_attr(char **in, int want, int *got, char **val, struct dh_err *e)
{
	char *p = *in, cb[8];
	int attr = (unsigned char)*p;
	if (want && attr != want)
		return malformed(e, "Expected attribute \"%c\" but found \"%s\".", want,
				 show_char(attr, cb));
	if (!want && attr == 0)
		return malformed(e, "Attribute expected, but found end of string.");
	if (!want && !((attr >= 'A' && attr <= 'Z') || (attr >= 'a' && attr <= 'z')))
		return malformed(e, "Attribute expected, but found invalid character \"%s\".",
				 show_char(attr, cb));
	if (got)
		*got = attr;
	p++;
	if (*p != '=')
		return malformed(e, "Expected character \"=\" for attribute \"%c\".", attr);
	p++;
	*val = p;
	while (*p && *p != ',')
		p++;
	if (*p)
		*p++ = 0;
	*in = p;
	return 0;
}

/* printable = %x21-2B / %x2D-7E (RFC 5802: no ',') */
static int
printable(const char *s)
{
	for (; *s; s++)
		if (*s < 0x21 || *s > 0x7e || *s == ',')
			return 0;
	return 1;
}

static char *
b64(struct dh_arena *a, const void *p, size_t n)
{
	struct dh_buf b;
	dh_buf_init(&b, 0);
	dh_base64_encode(&b, p, n);
	char *s = dh_arena_strndup(a, (const char *)b.p, b.len);
	dh_buf_release(&b);
	return s;
}

/* Decode base64 into out[0..max): the length, or -1 when not base64 or
 * longer than max. */
static long
unb64(const char *s, unsigned char *out, size_t max)
{
	struct dh_arena a;
	unsigned char *p;
	size_t n;
	long r = -1;
	dh_arena_init(&a);
	if (dh_base64_decode(s, strlen(s), &a, &p, &n) == 0 && n <= max) {
		memcpy(out, p, n);
		r = (long)n;
	}
	dh_arena_release(&a);
	return r;
}

static void
xor32(unsigned char *out, const unsigned char *a, const unsigned char *b)
{
	for (int i = 0; i < DH_SCRAM_KEY_LEN; i++)
		out[i] = a[i] ^ b[i];
}

/* SaltedPassword and the keys derived from it (RFC 5802, 3). */
static void
salted_password(const char *password, const unsigned char *salt, size_t saltlen, int iter,
		unsigned char out[DH_SCRAM_KEY_LEN])
{
	dh_pbkdf2_sha256(password, strlen(password), salt, saltlen, (unsigned)iter, out,
			 DH_SCRAM_KEY_LEN);
}

static void
client_key(const unsigned char salted[DH_SCRAM_KEY_LEN], unsigned char out[DH_SCRAM_KEY_LEN])
{
	dh_hmac_sha256(salted, DH_SCRAM_KEY_LEN, "Client Key", 10, out);
}

static void
server_key(const unsigned char salted[DH_SCRAM_KEY_LEN], unsigned char out[DH_SCRAM_KEY_LEN])
{
	dh_hmac_sha256(salted, DH_SCRAM_KEY_LEN, "Server Key", 10, out);
}

/* HMAC(key, client_first_bare "," server_first "," client_final_without_proof) */
static void
auth_hmac(const unsigned char key[DH_SCRAM_KEY_LEN], const char *cfb, const char *sf,
	  const char *cfwp, size_t cfwp_len, unsigned char out[DH_SCRAM_KEY_LEN])
{
	struct dh_buf m;
	dh_buf_init(&m, 0);
	dh_buf_adds(&m, cfb);
	dh_buf_addc(&m, ',');
	dh_buf_adds(&m, sf);
	dh_buf_addc(&m, ',');
	dh_buf_add(&m, cfwp, cfwp_len);
	dh_hmac_sha256(key, DH_SCRAM_KEY_LEN, m.p, m.len, out);
	dh_buf_release(&m);
}

/* ------------------------------------------------------------ verifiers */

int
dh_scram_verifier_make_salt(const char *password, const unsigned char *salt, size_t saltlen,
			    int iterations, struct dh_buf *out, struct dh_err *e)
{
	unsigned char salted[DH_SCRAM_KEY_LEN], ck[DH_SCRAM_KEY_LEN], stored[DH_SCRAM_KEY_LEN],
		sk[DH_SCRAM_KEY_LEN];
	if (iterations == 0)
		iterations = DH_SCRAM_ITERATIONS;
	if (!password[0])
		return dh_err_set(e, DH_EBADVALUE, "empty password");
	for (const char *p = password; *p; p++)
		if ((unsigned char)*p >= 0x80)
			return dh_err_set(e, DH_ENOTSUP,
					  "passwords with non-ASCII characters are not supported");
	if (iterations < 1)
		return dh_err_set(e, DH_EBADVALUE, "invalid SCRAM iteration count %d", iterations);
	if (saltlen == 0 || saltlen > DH_SCRAM_SALT_MAX)
		return dh_err_set(e, DH_EBADVALUE, "invalid SCRAM salt length %zu", saltlen);
	salted_password(password, salt, saltlen, iterations, salted);
	client_key(salted, ck);
	dh_sha256(ck, sizeof(ck), stored);
	server_key(salted, sk);
	int rc = dh_buf_printf(out, "SCRAM-SHA-256$%d:", iterations);
	if (!rc)
		rc = dh_base64_encode(out, salt, saltlen);
	if (!rc)
		rc = dh_buf_addc(out, '$');
	if (!rc)
		rc = dh_base64_encode(out, stored, sizeof(stored));
	if (!rc)
		rc = dh_buf_addc(out, ':');
	if (!rc)
		rc = dh_base64_encode(out, sk, sizeof(sk));
	if (rc)
		return dh_err_set(e, rc, "SCRAM verifier is too long for its buffer");
	return 0;
}

int
dh_scram_verifier_make(const char *password, int iterations, struct dh_buf *out,
		       struct dh_err *e)
{
	unsigned char salt[DH_SCRAM_SALT_LEN];
	if (dh_random_bytes(salt, sizeof(salt)))
		return dh_err_set(e, DH_EIO, "could not generate a random salt");
	return dh_scram_verifier_make_salt(password, salt, sizeof(salt), iterations, out, e);
}

static int
bad_verifier(struct dh_err *e, const char *why)
{
	dh_err_set(e, DH_EBADVALUE, "invalid SCRAM verifier");
	dh_err_detail(e, "%s", why);
	return DH_EBADVALUE;
}

int
dh_scram_verifier_parse(const char *text, struct dh_scram_verifier *v, struct dh_err *e)
{
	static const char prefix[] = "SCRAM-SHA-256$";
	char part[4][128];
	const char *p = text, *seps = ":$:";
	memset(v, 0, sizeof(*v));
	if (strncmp(p, prefix, sizeof(prefix) - 1) != 0)
		return bad_verifier(e, "It does not start with \"SCRAM-SHA-256$\".");
	p += sizeof(prefix) - 1;
	/* iterations : salt $ StoredKey : ServerKey */
	for (int i = 0; i < 4; i++) {
		size_t n = i < 3 ? strcspn(p, (char[]){seps[i], 0}) : strlen(p);
		if (n >= sizeof(part[i]) || (i < 3 && p[n] != seps[i]))
			return bad_verifier(e, "It does not have the form "
					       "iterations:salt$StoredKey:ServerKey.");
		memcpy(part[i], p, n);
		part[i][n] = 0;
		p += n + (i < 3);
	}
	char *end;
	errno = 0;
	long it = strtol(part[0], &end, 10);
	if (!part[0][0] || *end || part[0][0] == '-' || part[0][0] == '+' || errno || it < 1 ||
	    it > INT_MAX)
		return bad_verifier(e, "The iteration count is not a positive integer.");
	v->iterations = (int)it;
	long n = unb64(part[1], v->salt, sizeof(v->salt));
	if (n <= 0)
		return bad_verifier(e, "The salt is not base64 of 1 to 64 bytes.");
	v->saltlen = (size_t)n;
	if (unb64(part[2], v->stored_key, DH_SCRAM_KEY_LEN) != DH_SCRAM_KEY_LEN ||
	    unb64(part[3], v->server_key, DH_SCRAM_KEY_LEN) != DH_SCRAM_KEY_LEN)
		return bad_verifier(e, "A key is not base64 of 32 bytes.");
	return 0;
}

int
dh_scram_verify_plain(const struct dh_scram_verifier *v, const char *password)
{
	unsigned char salted[DH_SCRAM_KEY_LEN], sk[DH_SCRAM_KEY_LEN];
	salted_password(password, v->salt, v->saltlen, v->iterations, salted);
	server_key(salted, sk);
	return dh_memeq_ct(sk, v->server_key, DH_SCRAM_KEY_LEN);
}

/* ------------------------------------------------------------ server */

void
dh_scram_begin(struct dh_scram *s, const char *user, const struct dh_scram_verifier *v,
	       const unsigned char mock_key[32], const unsigned char *cbind_data,
	       size_t cbind_len)
{
	memset(s, 0, sizeof(*s));
	dh_arena_init(&s->a);
	s->user = user;
	s->cbind_data = cbind_data;
	s->cbind_len = cbind_data ? cbind_len : 0;
	if (v) {
		s->v = *v;
		return;
	}
	/* a mock: the salt a real user would have, the same at every try;
	 * keys that no password gives */
	unsigned char h[DH_SCRAM_KEY_LEN];
	struct dh_buf m;
	dh_buf_init(&m, 0);
	dh_buf_adds(&m, "salt:");
	dh_buf_adds(&m, user);
	dh_hmac_sha256(mock_key, 32, m.p, m.len, h);
	memcpy(s->v.salt, h, DH_SCRAM_SALT_LEN);
	s->v.saltlen = DH_SCRAM_SALT_LEN;
	s->v.iterations = DH_SCRAM_ITERATIONS;
	dh_buf_reset(&m);
	dh_buf_adds(&m, "keys:");
	dh_buf_adds(&m, user);
	dh_hmac_sha256(mock_key, 32, m.p, m.len, s->v.stored_key);
	dh_sha256(s->v.stored_key, DH_SCRAM_KEY_LEN, s->v.server_key);
	dh_buf_release(&m);
	s->doomed = 1;
}

void
dh_scram_release(struct dh_scram *s)
{
	dh_arena_release(&s->a);
	memset(&s->v, 0, sizeof(s->v));
}

size_t
dh_scram_mechanisms(const struct dh_scram *s, const char *names[2])
{
	size_t n = 0;
	/* PostgreSQL lists the channel-binding variant first */
	if (s->cbind_data)
		names[n++] = MECH_PLUS;
	names[n++] = MECH;
	return n;
}

void
dh_scram_force_nonce(struct dh_scram *s, const char *nonce)
{
	snprintf(s->forced_nonce, sizeof(s->forced_nonce), "%s", nonce);
}

static int
auth_failed(struct dh_scram *s, struct dh_err *e)
{
	s->state = S_DONE;
	return dh_err_set(e, DH_EAUTHFAIL, "password authentication failed for user \"%s\"",
			  s->user);
}

/* client-first-message: gs2 header, then the bare part kept for later. */
static int
client_first(struct dh_scram *s, char *in, struct dh_buf *out, struct dh_err *e)
{
	char cb[8], sb[31], *val;
	int rc;
	switch (*in) {
	case 'n':
	case 'y':
		if (s->cbind)
			return malformed(e, "The client selected SCRAM-SHA-256-PLUS, but the SCRAM "
					    "message does not include channel binding data.");
		if (*in == 'y' && s->cbind_data) {
			dh_err_sql(e, "28000", "SCRAM channel binding negotiation error");
			dh_err_detail(e, "The client supports SCRAM channel binding but thinks the "
					 "server does not.  However, this server does support "
					 "channel binding.");
			return DH_ESQL;
		}
		s->cbind_flag = *in++;
		if (*in != ',')
			return malformed(e, "Comma expected, but found character \"%s\".",
					 show_char((unsigned char)*in, cb));
		in++;
		break;
	case 'p':
		if (!s->cbind)
			return malformed(e, "The client selected SCRAM-SHA-256 without channel "
					    "binding, but the SCRAM message includes channel "
					    "binding data.");
		if ((rc = read_attr(&in, 'p', NULL, &val, e)))
			return rc;
		if (strcmp(val, "tls-server-end-point") != 0)
			return dh_err_set(e, DH_EPROTOCOL,
					  "unsupported SCRAM channel-binding type \"%s\"",
					  show_str(val, sb));
		s->cbind_flag = 'p';
		break;
	default:
		return malformed(e, "Unexpected channel-binding flag \"%s\".",
				 show_char((unsigned char)*in, cb));
	}
	if (*in == 'a')
		return dh_err_set(e, DH_ENOTSUP,
				  "client uses authorization identity, but it is not supported");
	if (*in != ',')
		return malformed(e, "Unexpected attribute \"%s\" in client-first-message.",
				 show_char((unsigned char)*in, cb));
	in++;
	s->client_first_bare = dh_arena_strdup(&s->a, in);
	if (*in == 'm')
		return dh_err_set(e, DH_ENOTSUP, "client requires an unsupported SCRAM extension");
	/* the user name is ignored, as in PostgreSQL: the startup packet's counts */
	char *user, *cnonce;
	if ((rc = read_attr(&in, 'n', NULL, &user, e)) || (rc = read_attr(&in, 'r', NULL, &cnonce, e)))
		return rc;
	if (!printable(cnonce))
		return dh_err_set(e, DH_EPROTOCOL, "non-printable characters in SCRAM nonce");
	while (*in)
		if ((rc = read_attr(&in, 0, NULL, &val, e)))
			return rc;

	/* server-first-message */
	const char *snonce = s->forced_nonce;
	if (!snonce[0]) {
		unsigned char raw[RAW_NONCE_LEN];
		if (dh_random_bytes(raw, sizeof(raw)))
			return dh_err_set(e, DH_EIO, "could not generate random nonce");
		snonce = b64(&s->a, raw, sizeof(raw));
	}
	s->nonce = dh_arena_printf(&s->a, "%s%s", cnonce, snonce);
	s->server_first = dh_arena_printf(&s->a, "r=%s,s=%s,i=%d", s->nonce,
					  b64(&s->a, s->v.salt, s->v.saltlen), s->v.iterations);
	s->state = S_SALT_SENT;
	return dh_buf_adds(out, s->server_first) ? DH_ETOOLONG : DH_SCRAM_CONTINUE;
}

static int
client_final(struct dh_scram *s, char *in, struct dh_buf *out, struct dh_err *e)
{
	/* parsing cuts the text at its commas: AuthMessage needs the original */
	const char *orig = dh_arena_strdup(&s->a, in);
	char *begin = in, *cbind, *nonce, *proof_at, *val;
	unsigned char proof[DH_SCRAM_KEY_LEN], sig[DH_SCRAM_KEY_LEN], ck[DH_SCRAM_KEY_LEN],
		h[DH_SCRAM_KEY_LEN];
	int rc, attr = 0;

	if ((rc = read_attr(&in, 'c', NULL, &cbind, e)))
		return rc;
	if (s->cbind) {
		/* base64 of the gs2 header and the certificate hash */
		struct dh_buf want;
		dh_buf_init(&want, 0);
		dh_buf_adds(&want, CBIND_HEADER);
		dh_buf_add(&want, s->cbind_data, s->cbind_len);
		char *w = b64(&s->a, want.p, want.len);
		dh_buf_release(&want);
		if (strlen(w) != strlen(cbind) || !dh_memeq_ct(w, cbind, strlen(w)))
			return dh_err_sql(e, "28000", "SCRAM channel binding check failed");
	} else if (!(strcmp(cbind, "biws") == 0 && s->cbind_flag == 'n') &&
		   !(strcmp(cbind, "eSws") == 0 && s->cbind_flag == 'y')) {
		return dh_err_set(e, DH_EPROTOCOL, "unexpected SCRAM channel-binding attribute in "
						   "client-final-message");
	}
	if ((rc = read_attr(&in, 'r', NULL, &nonce, e)))
		return rc;
	/* extensions are skipped up to the proof; without-proof ends before
	 * the ',' that precedes "p=" */
	do {
		proof_at = in - 1;
		if ((rc = read_attr(&in, 0, &attr, &val, e)))
			return rc;
	} while (attr != 'p');
	if (unb64(val, proof, sizeof(proof)) != DH_SCRAM_KEY_LEN)
		return malformed(e, "Malformed proof in client-final-message.");
	if (*in)
		return malformed(e, "Garbage found at the end of client-final-message.");
	if (strcmp(nonce, s->nonce) != 0) {
		dh_err_set(e, DH_EPROTOCOL, "invalid SCRAM response");
		dh_err_detail(e, "Nonce does not match.");
		return DH_EPROTOCOL;
	}

	/* the proof is computed even in a mock, so both take the same work */
	auth_hmac(s->v.stored_key, s->client_first_bare, s->server_first, orig,
		  (size_t)(proof_at - begin), sig);
	xor32(ck, proof, sig);
	dh_sha256(ck, sizeof(ck), h);
	if (!dh_memeq_ct(h, s->v.stored_key, DH_SCRAM_KEY_LEN) || s->doomed)
		return auth_failed(s, e);

	auth_hmac(s->v.server_key, s->client_first_bare, s->server_first, orig,
		  (size_t)(proof_at - begin), sig);
	s->state = S_DONE;
	if (dh_buf_adds(out, "v=") || dh_base64_encode(out, sig, sizeof(sig)))
		return DH_ETOOLONG;
	return 0;
}

int
dh_scram_step(struct dh_scram *s, const char *mechanism, const unsigned char *data, size_t len,
	      struct dh_buf *out, struct dh_err *e)
{
	int rc;
	if (s->state == S_DONE)
		return dh_err_set(e, DH_EPROTOCOL, "SCRAM exchange is already finished");
	if (mechanism) {
		if (s->chosen)
			return dh_err_set(e, DH_EPROTOCOL, "SCRAM mechanism chosen twice");
		if (strcmp(mechanism, MECH_PLUS) == 0 && s->cbind_data)
			s->cbind = 1;
		else if (strcmp(mechanism, MECH) != 0)
			return dh_err_set(e, DH_EPROTOCOL, "client selected an invalid SASL "
							   "authentication mechanism");
		s->chosen = 1;
		if (!data)
			return DH_SCRAM_CONTINUE; /* an empty challenge */
	} else if (!s->chosen) {
		return dh_err_set(e, DH_EPROTOCOL, "client selected an invalid SASL "
						   "authentication mechanism");
	}
	if (!data || len == 0)
		return malformed(e, "The message is empty.");
	if (memchr(data, 0, len))
		return malformed(e, "Message length does not match input length.");
	/* parsed in place, as PostgreSQL does: a copy with its NUL */
	char *in = dh_arena_strndup(&s->a, (const char *)data, len);
	if (s->state == S_INIT)
		rc = client_first(s, in, out, e);
	else
		rc = client_final(s, in, out, e);
	if (rc < 0)
		s->state = S_DONE;
	return rc;
}

/* ------------------------------------------------------------ client */

int
dh_scram_client_first(struct dh_scram_client *c, const char *user, const char *password,
		      const char *nonce, const unsigned char *cbind, size_t cbind_len,
		      struct dh_buf *out)
{
	struct dh_buf n;
	memset(c, 0, sizeof(*c));
	dh_arena_init(&c->a);
	c->password = password;
	c->cbind = cbind;
	c->cbind_len = cbind ? cbind_len : 0;
	c->gs2 = cbind ? CBIND_HEADER : "n,,";
	if (!nonce) {
		unsigned char raw[RAW_NONCE_LEN];
		if (dh_random_bytes(raw, sizeof(raw)))
			return DH_EIO;
		nonce = b64(&c->a, raw, sizeof(raw));
	}
	c->nonce = dh_arena_strdup(&c->a, nonce);
	/* saslname: ',' and '=' escaped (RFC 5802, 5.1) */
	dh_buf_init(&n, 0);
	dh_buf_adds(&n, "n=");
	for (const char *u = user ? user : ""; *u; u++)
		dh_buf_adds(&n, *u == ',' ? "=2C" : *u == '=' ? "=3D" : (char[]){*u, 0});
	dh_buf_printf(&n, ",r=%s", c->nonce);
	c->client_first_bare = dh_arena_strndup(&c->a, (const char *)n.p, n.len);
	dh_buf_release(&n);
	return dh_buf_printf(out, "%s%s", c->gs2, c->client_first_bare);
}

int
dh_scram_client_final(struct dh_scram_client *c, const unsigned char *server_first, size_t len,
		      struct dh_buf *out, struct dh_err *e)
{
	char *sf = dh_arena_strndup(&c->a, (const char *)server_first, len);
	char *in = dh_arena_strdup(&c->a, sf), *nonce, *salt64, *iter, *end;
	unsigned char salt[DH_SCRAM_SALT_MAX], ck[DH_SCRAM_KEY_LEN], stored[DH_SCRAM_KEY_LEN],
		sig[DH_SCRAM_KEY_LEN], proof[DH_SCRAM_KEY_LEN], sk[DH_SCRAM_KEY_LEN];
	int rc;
	if (memchr(server_first, 0, len))
		return malformed(e, "Message length does not match input length.");
	if ((rc = read_attr(&in, 'r', NULL, &nonce, e)) ||
	    (rc = read_attr(&in, 's', NULL, &salt64, e)) ||
	    (rc = read_attr(&in, 'i', NULL, &iter, e)))
		return rc;
	if (strncmp(nonce, c->nonce, strlen(c->nonce)) != 0 || strlen(nonce) <= strlen(c->nonce))
		return dh_err_set(e, DH_EPROTOCOL, "invalid SCRAM response (nonce mismatch)");
	long saltlen = unb64(salt64, salt, sizeof(salt));
	errno = 0;
	long it = strtol(iter, &end, 10);
	if (saltlen <= 0 || *end || errno || it < 1 || it > INT_MAX || *in)
		return malformed(e, "Malformed server-first-message.");
	salted_password(c->password, salt, (size_t)saltlen, (int)it, c->salted);
	client_key(c->salted, ck);
	dh_sha256(ck, sizeof(ck), stored);
	/* c= is the gs2 header and the channel-binding data, in base64 */
	struct dh_buf cb;
	dh_buf_init(&cb, 0);
	dh_buf_adds(&cb, c->gs2);
	dh_buf_add(&cb, c->cbind, c->cbind_len);
	char *cfwp = dh_arena_printf(&c->a, "c=%s,r=%s", b64(&c->a, cb.p, cb.len), nonce);
	dh_buf_release(&cb);
	auth_hmac(stored, c->client_first_bare, sf, cfwp, strlen(cfwp), sig);
	xor32(proof, ck, sig);
	server_key(c->salted, sk);
	auth_hmac(sk, c->client_first_bare, sf, cfwp, strlen(cfwp), c->server_signature);
	c->state = 1;
	if (dh_buf_adds(out, cfwp) || dh_buf_adds(out, ",p=") ||
	    dh_base64_encode(out, proof, sizeof(proof)))
		return DH_ETOOLONG;
	return 0;
}

int
dh_scram_client_verify(struct dh_scram_client *c, const unsigned char *server_final, size_t len,
		       struct dh_err *e)
{
	unsigned char sig[DH_SCRAM_KEY_LEN];
	char *in = dh_arena_strndup(&c->a, (const char *)server_final, len);
	if (c->state != 1 || memchr(server_final, 0, len) || strncmp(in, "v=", 2) != 0 ||
	    unb64(in + 2, sig, sizeof(sig)) != DH_SCRAM_KEY_LEN ||
	    !dh_memeq_ct(sig, c->server_signature, sizeof(sig)))
		return dh_err_set(e, DH_EAUTHFAIL, "incorrect server signature");
	return 0;
}

void
dh_scram_client_release(struct dh_scram_client *c)
{
	dh_arena_release(&c->a);
	memset(c->salted, 0, sizeof(c->salted));
}

/* ------------------------------------------------------------ md5 */

static void
hex32(const unsigned char d[16], char out[33])
{
	static const char x[] = "0123456789abcdef";
	for (int i = 0; i < 16; i++) {
		out[2 * i] = x[d[i] >> 4];
		out[2 * i + 1] = x[d[i] & 15];
	}
	out[32] = 0;
}

void
dh_md5_password_hash(const char *password, const char *user, char out[36])
{
	struct dh_buf b;
	unsigned char d[16];
	dh_buf_init(&b, 0);
	dh_buf_adds(&b, password);
	dh_buf_adds(&b, user);
	dh_md5(b.p, b.len, d);
	dh_buf_release(&b);
	memcpy(out, "md5", 3);
	hex32(d, out + 3);
}

int
dh_md5_password_check(const char *stored, const char *user, const unsigned char salt[4],
		      const char *response, struct dh_err *e)
{
	unsigned char in[36], d[16];
	char want[36];
	int ok = strlen(stored) == 35 && strncmp(stored, "md5", 3) == 0;
	/* the work is done whatever stored is, like a mock exchange */
	memcpy(in, ok ? stored + 3 : "00000000000000000000000000000000", 32);
	memcpy(in + 32, salt, 4);
	dh_md5(in, 36, d);
	memcpy(want, "md5", 3);
	hex32(d, want + 3);
	if (!ok || strlen(response) != 35 || !dh_memeq_ct(want, response, 35))
		return dh_err_set(e, DH_EAUTHFAIL, "password authentication failed for user \"%s\"",
				  user);
	return 0;
}
