/*
 * sqlbytea: PostgreSQL 15's functions on bytea and on the bytes behind
 * text, as rows of sqltype's pg_proc (sqltype-hooks.c lists the table):
 * get_byte, set_byte, get_bit, set_bit, position(bytea IN bytea), btrim,
 * ltrim and rtrim of bytes, encode and decode (hex, base64, escape), the
 * SHA-2 digests, and convert_to, convert_from and convert between the
 * encodings UTF8, SQL_ASCII and LATIN1 (the database's encoding is UTF8).
 * Other encodings PostgreSQL knows fail with 0A000; names it does not know
 * with its 22023.  Error texts and SQLSTATEs are PostgreSQL's (varlena.c,
 * encode.c, cryptohashfuncs.c, mbutils.c).
 */
#include <string.h>
#include <strings.h>

#include "crypto.h"
#include "sqltype-int.h"

#define O(x) DH_OID_##x
typedef const struct dh_value *argv_t;

static int
ret_bytes(struct dh_sqlcall *c, const void *p, size_t n, struct dh_value *o)
{
	char *r = dh_arena_alloc(c->arena, n + 1);
	if (n)
		memcpy(r, p, n);
	r[n] = '\0';
	o->type = DH_T_BYTES;
	o->s.p = r;
	o->s.n = n;
	return 0;
}

static int
ret_buf(struct dh_sqlcall *c, struct dh_buf *b, int type, struct dh_value *o)
{
	int rc = 0;
	if (b->overflow)
		rc = dh_err_sql(c->err, "54000", "requested length too large");
	else
		rc = ret_bytes(c, b->p, b->len, o);
	dh_buf_release(b);
	o->type = type;
	return rc;
}

/* --- bytes and bits --- */

static int
get_byte(struct dh_sqlcall *c, argv_t a, struct dh_value *o)
{
	int64_t n = a[1].i, len = (int64_t)a[0].s.n;
	if (n < 0 || n >= len)
		return dh_err_sql(c->err, "2202E", "index %d out of valid range, 0..%d", (int)n,
				  (int)(len - 1));
	o->type = DH_T_LONG;
	o->i = ((const unsigned char *)a[0].s.p)[n];
	return 0;
}

static int
set_byte(struct dh_sqlcall *c, argv_t a, struct dh_value *o)
{
	int64_t n = a[1].i, len = (int64_t)a[0].s.n;
	if (n < 0 || n >= len)
		return dh_err_sql(c->err, "2202E", "index %d out of valid range, 0..%d", (int)n,
				  (int)(len - 1));
	ret_bytes(c, a[0].s.p, a[0].s.n, o);
	((unsigned char *)o->s.p)[n] = (unsigned char)a[2].i;
	return 0;
}

static int
get_bit(struct dh_sqlcall *c, argv_t a, struct dh_value *o)
{
	int64_t n = a[1].i, len = (int64_t)a[0].s.n * 8;
	if (n < 0 || n >= len)
		return dh_err_sql(c->err, "2202E", "index %lld out of valid range, 0..%lld",
				  (long long)n, (long long)(len - 1));
	o->type = DH_T_LONG;
	o->i = (((const unsigned char *)a[0].s.p)[n / 8] >> (n % 8)) & 1;
	return 0;
}

static int
set_bit(struct dh_sqlcall *c, argv_t a, struct dh_value *o)
{
	int64_t n = a[1].i, len = (int64_t)a[0].s.n * 8;
	unsigned char *p;
	if (n < 0 || n >= len)
		return dh_err_sql(c->err, "2202E", "index %lld out of valid range, 0..%lld",
				  (long long)n, (long long)(len - 1));
	if (a[2].i != 0 && a[2].i != 1)
		return dh_err_sql(c->err, "22023", "new bit must be 0 or 1");
	ret_bytes(c, a[0].s.p, a[0].s.n, o);
	p = (unsigned char *)o->s.p;
	if (a[2].i)
		p[n / 8] = (unsigned char)(p[n / 8] | (1 << (n % 8)));
	else
		p[n / 8] = (unsigned char)(p[n / 8] & ~(1 << (n % 8)));
	return 0;
}

/* position(needle IN haystack): byteapos(haystack, needle), 1-based, 0 if
 * absent, 1 for an empty needle */
static int
bytea_pos(struct dh_sqlcall *c, argv_t a, struct dh_value *o)
{
	const char *h = a[0].s.p, *nd = a[1].s.p;
	size_t hn = a[0].s.n, nn = a[1].s.n;
	(void)c;
	o->type = DH_T_LONG;
	o->i = 0;
	if (nn == 0) {
		o->i = 1;
		return 0;
	}
	for (size_t i = 0; i + nn <= hn; i++)
		if (memcmp(h + i, nd, nn) == 0) {
			o->i = (int64_t)i + 1;
			break;
		}
	return 0;
}

/* btrim, ltrim, rtrim(bytes, set) */
static int
bytea_trim(struct dh_sqlcall *c, argv_t a, int left, int right, struct dh_value *o)
{
	const unsigned char *p = (const unsigned char *)a[0].s.p;
	size_t from = 0, to = a[0].s.n;
	if (a[1].s.n == 0)
		return ret_bytes(c, p, to, o);
	while (left && from < to && memchr(a[1].s.p, p[from], a[1].s.n))
		from++;
	while (right && to > from && memchr(a[1].s.p, p[to - 1], a[1].s.n))
		to--;
	return ret_bytes(c, p + from, to - from, o);
}

static int
bytea_btrim(struct dh_sqlcall *c, argv_t a, struct dh_value *o)
{
	return bytea_trim(c, a, 1, 1, o);
}

static int
bytea_ltrim(struct dh_sqlcall *c, argv_t a, struct dh_value *o)
{
	return bytea_trim(c, a, 1, 0, o);
}

static int
bytea_rtrim(struct dh_sqlcall *c, argv_t a, struct dh_value *o)
{
	return bytea_trim(c, a, 0, 1, o);
}

/* --- encode, decode --- */

enum codec { C_HEX, C_BASE64, C_ESCAPE };

static int
codec_of(struct dh_sqlcall *c, const struct dh_value *v, enum codec *out)
{
	static const char *const names[] = {"hex", "base64", "escape"};
	for (int i = 0; i < 3; i++)
		if (v->s.n == strlen(names[i]) && strncasecmp(v->s.p, names[i], v->s.n) == 0) {
			*out = (enum codec)i;
			return 0;
		}
	return dh_err_sql(c->err, "22023", "unrecognized encoding: \"%.*s\"", (int)v->s.n, v->s.p);
}

static const char b64[] = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";

static int
encode(struct dh_sqlcall *c, argv_t a, struct dh_value *o)
{
	static const char hex[] = "0123456789abcdef";
	const unsigned char *p = (const unsigned char *)a[0].s.p;
	size_t n = a[0].s.n;
	struct dh_buf b;
	enum codec k;
	int rc;
	if ((rc = codec_of(c, &a[1], &k)))
		return rc;
	dh_buf_init(&b, 0);
	switch (k) {
	case C_HEX:
		for (size_t i = 0; i < n; i++) {
			dh_buf_addc(&b, hex[p[i] >> 4]);
			dh_buf_addc(&b, hex[p[i] & 15]);
		}
		break;
	case C_BASE64: {
		/* pg_base64_encode: a newline after every 76 characters */
		size_t line = 0;
		for (size_t i = 0; i < n; i += 3) {
			uint32_t v = (uint32_t)p[i] << 16;
			if (i + 1 < n)
				v |= (uint32_t)p[i + 1] << 8;
			if (i + 2 < n)
				v |= p[i + 2];
			if (line >= 76) {
				dh_buf_addc(&b, '\n');
				line = 0;
			}
			dh_buf_addc(&b, b64[(v >> 18) & 63]);
			dh_buf_addc(&b, b64[(v >> 12) & 63]);
			dh_buf_addc(&b, i + 1 < n ? b64[(v >> 6) & 63] : '=');
			dh_buf_addc(&b, i + 2 < n ? b64[v & 63] : '=');
			line += 4;
		}
		break;
	}
	case C_ESCAPE:
		for (size_t i = 0; i < n; i++) {
			if (p[i] == '\0' || p[i] >= 0x80)
				dh_buf_printf(&b, "\\%03o", p[i]);
			else if (p[i] == '\\')
				dh_buf_adds(&b, "\\\\");
			else
				dh_buf_addc(&b, (char)p[i]);
		}
		break;
	}
	return ret_buf(c, &b, DH_T_STRING, o);
}

static int
b64val(int ch)
{
	const char *q = ch ? strchr(b64, ch) : NULL;
	return q ? (int)(q - b64) : -1;
}

static size_t
u8len(unsigned char ch)
{
	return ch < 0x80 ? 1 : (ch & 0xe0) == 0xc0 ? 2 : (ch & 0xf0) == 0xe0 ? 3 : 4;
}

static int
decode_base64(struct dh_sqlcall *c, const char *s, size_t n, struct dh_buf *b)
{
	uint32_t acc = 0;
	int pos = 0, end = 0;
	for (size_t i = 0; i < n; i++) {
		int ch = (unsigned char)s[i], v;
		if (ch == ' ' || ch == '\t' || ch == '\n' || ch == '\r')
			continue;
		if (ch == '=') {
			/* pg_base64_decode: '=' ends the data, at position 2 or 3 */
			if (!end) {
				if (pos == 2)
					end = 1;
				else if (pos == 3)
					end = 2;
				else
					return dh_err_sql(c->err, "22023",
							  "unexpected \"=\" while decoding base64 "
							  "sequence");
			}
			v = 0;
		} else {
			if ((v = b64val(ch)) < 0) {
				size_t l = u8len((unsigned char)ch);
				return dh_err_sql(c->err, "22023",
						  "invalid symbol \"%.*s\" found while decoding "
						  "base64 sequence",
						  (int)(l > n - i ? n - i : l), s + i);
			}
		}
		acc = (acc << 6) + (uint32_t)v;
		if (++pos == 4) {
			dh_buf_addc(b, (char)((acc >> 16) & 255));
			if (end == 0 || end > 1)
				dh_buf_addc(b, (char)((acc >> 8) & 255));
			if (end == 0 || end > 2)
				dh_buf_addc(b, (char)(acc & 255));
			acc = 0;
			pos = 0;
		}
	}
	if (pos == 0)
		return 0;
	dh_err_sql(c->err, "22023", "invalid base64 end sequence");
	dh_err_hint(c->err, "Input data is missing padding, is truncated, or is otherwise "
			    "corrupted.");
	return DH_ESQL;
}

static int
decode(struct dh_sqlcall *c, argv_t a, struct dh_value *o)
{
	const char *s = a[0].s.p;
	size_t n = a[0].s.n;
	struct dh_buf b;
	enum codec k;
	int rc;
	if ((rc = codec_of(c, &a[1], &k)))
		return rc;
	dh_buf_init(&b, 0);
	switch (k) {
	case C_HEX:
		for (size_t i = 0; i < n;) {
			int v1, v2;
			if (s[i] == ' ' || s[i] == '\t' || s[i] == '\n' || s[i] == '\r') {
				i++;
				continue;
			}
			if ((v1 = dh_hexval((unsigned char)s[i])) < 0) {
				rc = dh_err_sql(c->err, "22023", "invalid hexadecimal digit: \"%.*s\"",
						(int)u8len((unsigned char)s[i]), s + i);
				goto out;
			}
			if (++i >= n) {
				rc = dh_err_sql(c->err, "22023",
						"invalid hexadecimal data: odd number of digits");
				goto out;
			}
			if ((v2 = dh_hexval((unsigned char)s[i])) < 0) {
				rc = dh_err_sql(c->err, "22023", "invalid hexadecimal digit: \"%.*s\"",
						(int)u8len((unsigned char)s[i]), s + i);
				goto out;
			}
			i++;
			dh_buf_addc(&b, (char)(v1 << 4 | v2));
		}
		break;
	case C_BASE64:
		if ((rc = decode_base64(c, s, n, &b)))
			goto out;
		break;
	case C_ESCAPE:
		for (size_t i = 0; i < n;) {
			if (s[i] != '\\') {
				dh_buf_addc(&b, s[i++]);
			} else if (i + 3 < n && s[i + 1] >= '0' && s[i + 1] <= '3' &&
				   s[i + 2] >= '0' && s[i + 2] <= '7' && s[i + 3] >= '0' &&
				   s[i + 3] <= '7') {
				dh_buf_addc(&b, (char)(((s[i + 1] - '0') << 6) +
						       ((s[i + 2] - '0') << 3) + (s[i + 3] - '0')));
				i += 4;
			} else if (i + 1 < n && s[i + 1] == '\\') {
				dh_buf_addc(&b, '\\');
				i += 2;
			} else {
				rc = dh_err_sql(c->err, "22P02",
						"invalid input syntax for type %s", "bytea");
				goto out;
			}
		}
		break;
	}
	return ret_buf(c, &b, DH_T_BYTES, o);
out:
	dh_buf_release(&b);
	return rc;
}

/* --- digests --- */

static int
digest(struct dh_sqlcall *c, argv_t a, int bits, struct dh_value *o)
{
	unsigned char out[64];
	size_t n = dh_sha2(bits, a[0].s.p, a[0].s.n, out);
	return ret_bytes(c, out, n, o);
}

static int
sha224(struct dh_sqlcall *c, argv_t a, struct dh_value *o)
{
	return digest(c, a, 224, o);
}

static int
sha256(struct dh_sqlcall *c, argv_t a, struct dh_value *o)
{
	return digest(c, a, 256, o);
}

static int
sha384(struct dh_sqlcall *c, argv_t a, struct dh_value *o)
{
	return digest(c, a, 384, o);
}

static int
sha512(struct dh_sqlcall *c, argv_t a, struct dh_value *o)
{
	return digest(c, a, 512, o);
}

/* --- encodings --- */

enum enc { E_UTF8, E_SQL_ASCII, E_LATIN1 };

/* PostgreSQL's encoding names (pg_encname_tbl) as clean_encoding_name
 * leaves them: lower case, letters and digits only */
static const struct {
	const char *name;
	int enc; /* enum enc, or -1: known, not supported here */
} encnames[] = {
    {"utf8", E_UTF8},	     {"unicode", E_UTF8},    {"sqlascii", E_SQL_ASCII},
    {"latin1", E_LATIN1},    {"iso88591", E_LATIN1}, {"abc", -1},
    {"alt", -1},	     {"big5", -1},	     {"euccn", -1},
    {"eucjis2004", -1},	     {"eucjp", -1},	     {"euckr", -1},
    {"euctw", -1},	     {"gb18030", -1},	     {"gbk", -1},
    {"iso885910", -1},	     {"iso885913", -1},	     {"iso885914", -1},
    {"iso885915", -1},	     {"iso885916", -1},	     {"iso88592", -1},
    {"iso88593", -1},	     {"iso88594", -1},	     {"iso88595", -1},
    {"iso88596", -1},	     {"iso88597", -1},	     {"iso88598", -1},
    {"iso88599", -1},	     {"johab", -1},	     {"koi8", -1},
    {"koi8r", -1},	     {"koi8u", -1},	     {"latin10", -1},
    {"latin2", -1},	     {"latin3", -1},	     {"latin4", -1},
    {"latin5", -1},	     {"latin6", -1},	     {"latin7", -1},
    {"latin8", -1},	     {"latin9", -1},	     {"mskanji", -1},
    {"muleinternal", -1},    {"shiftjis", -1},	     {"shiftjis2004", -1},
    {"sjis", -1},	     {"tcvn", -1},	     {"tcvn5712", -1},
    {"uhc", -1},	     {"vscii", -1},	     {"win", -1},
    {"win1250", -1},	     {"win1251", -1},	     {"win1252", -1},
    {"win1253", -1},	     {"win1254", -1},	     {"win1255", -1},
    {"win1256", -1},	     {"win1257", -1},	     {"win1258", -1},
    {"win866", -1},	     {"win874", -1},	     {"win932", -1},
    {"win936", -1},	     {"win949", -1},	     {"win950", -1},
    {"windows1250", -1},     {"windows1251", -1},    {"windows1252", -1},
    {"windows1253", -1},     {"windows1254", -1},    {"windows1255", -1},
    {"windows1256", -1},     {"windows1257", -1},    {"windows1258", -1},
    {"windows866", -1},	     {"windows874", -1},     {"windows932", -1},
    {"windows936", -1},	     {"windows949", -1},     {"windows950", -1},
};

static const char *const canonical[] = {"UTF8", "SQL_ASCII", "LATIN1"};

/* The encoding named v; what: "source" or "destination" for the error */
static int
enc_of(struct dh_sqlcall *c, const struct dh_value *v, const char *what, enum enc *out)
{
	char clean[64];
	size_t k = 0;
	for (size_t i = 0; i < v->s.n && k + 1 < sizeof(clean); i++) {
		char ch = v->s.p[i];
		if (ch >= 'A' && ch <= 'Z')
			clean[k++] = (char)(ch + 32);
		else if ((ch >= 'a' && ch <= 'z') || (ch >= '0' && ch <= '9'))
			clean[k++] = ch;
	}
	clean[k] = '\0';
	for (size_t i = 0; i < DH_ARRAY_SIZE(encnames); i++) {
		if (strcmp(encnames[i].name, clean) != 0)
			continue;
		if (encnames[i].enc < 0)
			return dh_err_sql(c->err, "0A000",
					  "conversion between encoding \"%.*s\" and UTF8 is not "
					  "supported",
					  (int)v->s.n, v->s.p);
		*out = (enum enc)encnames[i].enc;
		return 0;
	}
	return dh_err_sql(c->err, "22023", "invalid %s encoding name \"%.*s\"", what, (int)v->s.n,
			  v->s.p);
}

/* pg_verify_mbstr for UTF8: a NUL or a bad sequence is 22021 */
static int
verify_utf8(struct dh_sqlcall *c, const unsigned char *p, size_t n)
{
	for (size_t i = 0; i < n;) {
		size_t l = p[i] < 0x80 ? 1 : (p[i] & 0xe0) == 0xc0 ? 2 : (p[i] & 0xf0) == 0xe0 ? 3
						   : (p[i] & 0xf8) == 0xf0 ? 4 : 0;
		int ok = p[i] != 0 && l > 0 && i + l <= n;
		for (size_t k = 1; ok && k < l; k++)
			ok = (p[i + k] & 0xc0) == 0x80;
		if (ok && l == 2)
			ok = p[i] >= 0xc2;
		if (ok && l == 3) {
			uint32_t cp = ((uint32_t)(p[i] & 0x0f) << 12) | ((uint32_t)(p[i + 1] & 0x3f) << 6) |
				      (p[i + 2] & 0x3f);
			ok = cp >= 0x800 && (cp < 0xd800 || cp > 0xdfff);
		}
		if (ok && l == 4) {
			uint32_t cp = ((uint32_t)(p[i] & 0x07) << 18) |
				      ((uint32_t)(p[i + 1] & 0x3f) << 12) |
				      ((uint32_t)(p[i + 2] & 0x3f) << 6) | (p[i + 3] & 0x3f);
			ok = cp >= 0x10000 && cp <= 0x10ffff;
		}
		if (!ok) {
			struct dh_buf b;
			size_t show = l ? l : 1;
			if (i + show > n)
				show = n - i;
			dh_buf_init(&b, 0);
			for (size_t k = 0; k < show; k++)
				dh_buf_printf(&b, "%s0x%02x", k ? " " : "", p[i + k]);
			dh_err_sql(c->err, "22021", "invalid byte sequence for encoding \"UTF8\": %.*s",
				   (int)b.len, (const char *)b.p);
			dh_buf_release(&b);
			return DH_ESQL;
		}
		i += l;
	}
	return 0;
}

/* the bytes p[0..n) in encoding from, as encoding to, into b */
static int
recode(struct dh_sqlcall *c, const unsigned char *p, size_t n, enum enc from, enum enc to,
       struct dh_buf *b)
{
	int rc;
	if (from == to || from == E_SQL_ASCII || to == E_SQL_ASCII) {
		/* no conversion; text that ends up in the database is checked */
		if (to == E_UTF8 && (rc = verify_utf8(c, p, n)))
			return rc;
		dh_buf_add(b, p, n);
		return 0;
	}
	if (from == E_LATIN1) { /* to UTF8 */
		for (size_t i = 0; i < n; i++) {
			if (p[i] == 0)
				return dh_err_sql(c->err, "22021",
						  "invalid byte sequence for encoding \"LATIN1\": 0x00");
			if (p[i] < 0x80) {
				dh_buf_addc(b, (char)p[i]);
			} else {
				dh_buf_addc(b, (char)(0xc0 | (p[i] >> 6)));
				dh_buf_addc(b, (char)(0x80 | (p[i] & 0x3f)));
			}
		}
		return 0;
	}
	/* UTF8 to LATIN1 */
	if ((rc = verify_utf8(c, p, n)))
		return rc;
	for (size_t i = 0; i < n;) {
		size_t l = u8len(p[i]);
		if (l == 1) {
			dh_buf_addc(b, (char)p[i]);
		} else if (l == 2 && p[i] <= 0xc3) {
			dh_buf_addc(b, (char)(((p[i] & 0x1f) << 6) | (p[i + 1] & 0x3f)));
		} else {
			struct dh_buf h;
			dh_buf_init(&h, 0);
			for (size_t k = 0; k < l; k++)
				dh_buf_printf(&h, "%s0x%02x", k ? " " : "", p[i + k]);
			dh_err_sql(c->err, "22P05",
				   "character with byte sequence %.*s in encoding \"UTF8\" has no "
				   "equivalent in encoding \"LATIN1\"",
				   (int)h.len, (const char *)h.p);
			dh_buf_release(&h);
			return DH_ESQL;
		}
		i += l;
	}
	return 0;
}

static int
convert3(struct dh_sqlcall *c, const struct dh_value *s, const struct dh_value *from,
	 const struct dh_value *to, int type, struct dh_value *o)
{
	enum enc f, t;
	struct dh_buf b;
	int rc;
	if ((rc = enc_of(c, from, "source", &f)) || (rc = enc_of(c, to, "destination", &t)))
		return rc;
	dh_buf_init(&b, 0);
	if ((rc = recode(c, (const unsigned char *)s->s.p, s->s.n, f, t, &b))) {
		dh_buf_release(&b);
		return rc;
	}
	return ret_buf(c, &b, type, o);
}

static int
convert(struct dh_sqlcall *c, argv_t a, struct dh_value *o)
{
	return convert3(c, &a[0], &a[1], &a[2], DH_T_BYTES, o);
}

static int
convert_to(struct dh_sqlcall *c, argv_t a, struct dh_value *o)
{
	struct dh_value utf8 = {.type = DH_T_STRING};
	utf8.s.p = canonical[E_UTF8];
	utf8.s.n = 4;
	return convert3(c, &a[0], &utf8, &a[1], DH_T_BYTES, o);
}

static int
convert_from(struct dh_sqlcall *c, argv_t a, struct dh_value *o)
{
	struct dh_value utf8 = {.type = DH_T_STRING};
	utf8.s.p = canonical[E_UTF8];
	utf8.s.n = 4;
	return convert3(c, &a[0], &a[1], &utf8, DH_T_STRING, o);
}

#define PR(n, na, a1, a2, a3, res, f_, src)                                                        \
	{                                                                                          \
		.name = n, .nargs = na, .args = {a1, a2, a3}, .result = res, .fn = f_,             \
		.prosrc = src                                                                      \
	}

const struct dh_sqlproc dh__sqlbytea_procs[] = {
    PR("get_byte", 2, O(BYTEA), O(INT4), 0, O(INT4), get_byte, "byteaGetByte"),
    PR("set_byte", 3, O(BYTEA), O(INT4), O(INT4), O(BYTEA), set_byte, "byteaSetByte"),
    PR("get_bit", 2, O(BYTEA), O(INT8), 0, O(INT4), get_bit, "byteaGetBit"),
    PR("set_bit", 3, O(BYTEA), O(INT8), O(INT4), O(BYTEA), set_bit, "byteaSetBit"),
    PR("position", 2, O(BYTEA), O(BYTEA), 0, O(INT4), bytea_pos, "byteapos"),
    PR("btrim", 2, O(BYTEA), O(BYTEA), 0, O(BYTEA), bytea_btrim, "byteatrim"),
    PR("ltrim", 2, O(BYTEA), O(BYTEA), 0, O(BYTEA), bytea_ltrim, "bytealtrim"),
    PR("rtrim", 2, O(BYTEA), O(BYTEA), 0, O(BYTEA), bytea_rtrim, "byteartrim"),
    PR("encode", 2, O(BYTEA), O(TEXT), 0, O(TEXT), encode, "binary_encode"),
    PR("decode", 2, O(TEXT), O(TEXT), 0, O(BYTEA), decode, "binary_decode"),
    PR("sha224", 1, O(BYTEA), 0, 0, O(BYTEA), sha224, "sha224_bytea"),
    PR("sha256", 1, O(BYTEA), 0, 0, O(BYTEA), sha256, "sha256_bytea"),
    PR("sha384", 1, O(BYTEA), 0, 0, O(BYTEA), sha384, "sha384_bytea"),
    PR("sha512", 1, O(BYTEA), 0, 0, O(BYTEA), sha512, "sha512_bytea"),
    PR("convert", 3, O(BYTEA), O(NAME), O(NAME), O(BYTEA), convert, "pg_convert"),
    PR("convert_to", 2, O(TEXT), O(NAME), 0, O(BYTEA), convert_to, "pg_convert_to"),
    PR("convert_from", 2, O(BYTEA), O(NAME), 0, O(TEXT), convert_from, "pg_convert_from"),
};
const size_t dh__sqlbytea_procs_n = DH_ARRAY_SIZE(dh__sqlbytea_procs);
