/*
 * datom-t: unit and property tests of lib/datom.c.  The key encoding is the
 * base of every index, so besides a table per function this checks, over
 * random values (seeded; override with DH_SEED=<n>), that decoding inverts
 * encoding, that memcmp order of keys is dh_value_cmp order, that keys are
 * prefix-free, and that corrupted keys are refused without reading past
 * their end.
 */
#include <float.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "util.h"
#include "crypto.h"
#include "datom.h"
#include "tap.h"

#define NVALUES 20000
#define NPAIRS 300000

/* --- helpers --- */

static uint64_t rng;

/* splitmix64: tiny, good enough, reproducible from the printed seed */
static uint64_t
rnd(void)
{
	uint64_t z = (rng += 0x9e3779b97f4a7c15);
	z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9;
	z = (z ^ (z >> 27)) * 0x94d049bb133111eb;
	return z ^ (z >> 31);
}

static size_t
rnd_below(size_t n)
{
	return n ? (size_t)(rnd() % n) : 0;
}

static double
bits_double(uint64_t u)
{
	double d;
	memcpy(&d, &u, sizeof(d));
	return d;
}

static uint64_t
double_bits(double d)
{
	uint64_t u;
	memcpy(&u, &d, sizeof(u));
	return u;
}

static int
sign(int x)
{
	return (x > 0) - (x < 0);
}

static struct dh_value
v_str(enum dh_type t, const char *s, size_t n)
{
	struct dh_value v = {.type = t};
	v.s.p = s;
	v.s.n = n;
	return v;
}

static struct dh_value
v_cstr(enum dh_type t, const char *s)
{
	return v_str(t, s, strlen(s));
}

static struct dh_value
v_long(enum dh_type t, int64_t i)
{
	struct dh_value v = {.type = t};
	v.i = i;
	return v;
}

static struct dh_value
v_double(double d)
{
	struct dh_value v = {.type = DH_T_DOUBLE};
	v.d = d;
	return v;
}

static struct dh_value
v_ref(uint64_t r)
{
	struct dh_value v = {.type = DH_T_REF};
	v.ref = r;
	return v;
}

static struct dh_value
v_bool(int b)
{
	struct dh_value v = {.type = DH_T_BOOL};
	v.b = b;
	return v;
}

/* Hex of the encoding of v, or "error <rc>". */
static const char *
enc_hex(const struct dh_value *v, char *out, size_t outn)
{
	struct dh_buf b;
	dh_buf_init(&b, 0);
	int rc = dh_value_encode(&b, v, NULL);
	if (rc) {
		snprintf(out, outn, "error %d", rc);
	} else {
		size_t k = 0;
		for (size_t i = 0; i < b.len && k + 3 < outn; i++)
			k += (size_t)snprintf(out + k, outn - k, "%02x", b.p[i]);
		out[k] = 0;
	}
	dh_buf_release(&b);
	return out;
}

static const char *
edn(const struct dh_value *v, char *out, size_t outn)
{
	struct dh_buf b;
	dh_buf_init(&b, 0);
	if (dh_value_print_edn(&b, v))
		snprintf(out, outn, "(error)");
	else
		snprintf(out, outn, "%s", (const char *)b.p);
	dh_buf_release(&b);
	return out;
}

/* --- targeted tests --- */

static void
test_type_names(void)
{
	int all = 1;
	for (int t = DH_T_BOOL; t < DH_T__COUNT; t++) {
		const char *n = dh_type_name((enum dh_type)t);
		if (dh_type_from_name(n, strlen(n)) != (enum dh_type)t)
			all = 0;
	}
	ok(all, "every type name reads back as its type");
	is_str(dh_type_name(DH_T_BOOL), "boolean", "bool is named boolean");
	is_str(dh_type_name(DH_T_BIGDEC), "bigdec", "bigdec name");
	is_str(dh_type_name(DH_T_REF), "ref", "ref name");
	is_str(dh_type_name((enum dh_type)99), "unknown", "out-of-range type name");
	is_int(dh_type_from_name("bool", 4), DH_T_NONE, "'bool' is not a type name");
	is_int(dh_type_from_name("longs", 5), DH_T_NONE, "'longs' is not a type name");
	is_int(dh_type_from_name("long", 3), DH_T_NONE, "name length is honoured");
	is_int(dh_type_from_name("none", 4), DH_T_NONE, "'none' is not a storable type");
	is_int(dh_type_from_name("keyword", 7), DH_T_KEYWORD, "keyword by name");
}

static void
test_exact_encodings(void)
{
	char h[700];
	struct dh_value v;
	static const char sb[] = {'a', 0, 'b', 1};

	v = v_bool(0);
	is_str(enc_hex(&v, h, sizeof(h)), "1100", "false");
	v = v_bool(1);
	is_str(enc_hex(&v, h, sizeof(h)), "1101", "true");
	v = v_bool(7);
	is_str(enc_hex(&v, h, sizeof(h)), "1101", "nonzero bool encodes as true");
	v = v_long(DH_T_LONG, 0);
	is_str(enc_hex(&v, h, sizeof(h)), "128000000000000000", "long 0");
	v = v_long(DH_T_LONG, -1);
	is_str(enc_hex(&v, h, sizeof(h)), "127fffffffffffffff", "long -1");
	v = v_long(DH_T_LONG, INT64_MIN);
	is_str(enc_hex(&v, h, sizeof(h)), "120000000000000000", "long min");
	v = v_long(DH_T_LONG, INT64_MAX);
	is_str(enc_hex(&v, h, sizeof(h)), "12ffffffffffffffff", "long max");
	v = v_long(DH_T_INSTANT, 1);
	is_str(enc_hex(&v, h, sizeof(h)), "158000000000000001", "instant 1us");
	v = v_ref(258);
	is_str(enc_hex(&v, h, sizeof(h)), "1a0000000000000102", "ref");
	v = v_double(1.0);
	is_str(enc_hex(&v, h, sizeof(h)), "14bff0000000000000", "double 1.0");
	v = v_double(-1.0);
	is_str(enc_hex(&v, h, sizeof(h)), "14400fffffffffffff", "double -1.0");
	v = v_double(0.0);
	is_str(enc_hex(&v, h, sizeof(h)), "148000000000000000", "double 0.0");
	v = v_double(-0.0);
	is_str(enc_hex(&v, h, sizeof(h)), "148000000000000000", "double -0.0 is 0.0");
	v = v_double(NAN);
	is_str(enc_hex(&v, h, sizeof(h)), "14fff8000000000000", "NaN");
	v = v_double(bits_double(0xfff0000000000123));
	is_str(enc_hex(&v, h, sizeof(h)), "14fff8000000000000",
	       "negative payload NaN is the one NaN");
	v = v_double(INFINITY);
	is_str(enc_hex(&v, h, sizeof(h)), "14fff0000000000000", "+Inf");
	v = (struct dh_value){.type = DH_T_UUID};
	for (int i = 0; i < 16; i++)
		v.uuid[i] = (unsigned char)i;
	is_str(enc_hex(&v, h, sizeof(h)), "16000102030405060708090a0b0c0d0e0f", "uuid");
	v = v_str(DH_T_STRING, sb, sizeof(sb));
	is_str(enc_hex(&v, h, sizeof(h)), "1761010162010200", "string escapes 00 and 01");
	v = v_cstr(DH_T_STRING, "");
	is_str(enc_hex(&v, h, sizeof(h)), "1700", "empty string");
	v = v_cstr(DH_T_KEYWORD, "a/b");
	is_str(enc_hex(&v, h, sizeof(h)), "18612f6200", "keyword");
	v = v_cstr(DH_T_BYTES, "\xff");
	is_str(enc_hex(&v, h, sizeof(h)), "19ff00", "bytes");
	v = v_cstr(DH_T_BIGDEC, "0");
	is_str(enc_hex(&v, h, sizeof(h)), "13020000", "bigdec 0");
	v = v_cstr(DH_T_BIGDEC, "0.00");
	is_str(enc_hex(&v, h, sizeof(h)), "13020002", "bigdec 0.00");
	v = v_cstr(DH_T_BIGDEC, "1.5");
	is_str(enc_hex(&v, h, sizeof(h)), "1303800126000001", "bigdec 1.5");
	v = v_cstr(DH_T_BIGDEC, "1.50");
	is_str(enc_hex(&v, h, sizeof(h)), "1303800126000002", "bigdec 1.50");
	v = v_cstr(DH_T_BIGDEC, "-1.5");
	is_str(enc_hex(&v, h, sizeof(h)), "13017ffed9ff0001", "bigdec -1.5");
	v = v_cstr(DH_T_BIGDEC, "123");
	is_str(enc_hex(&v, h, sizeof(h)), "130380032340000000", "bigdec 123");
	v = v_cstr(DH_T_BIGDEC, "0.0012");
	is_str(enc_hex(&v, h, sizeof(h)), "13037ffe23000004", "bigdec 0.0012");
	v = v_cstr(DH_T_BIGDEC, "100");
	is_str(enc_hex(&v, h, sizeof(h)), "1303800320000000",
	       "bigdec 100: trailing zeros stripped");
	v = v_cstr(DH_T_BIGDEC, "-Infinity");
	is_str(enc_hex(&v, h, sizeof(h)), "13000000", "bigdec -Infinity");
	v = v_cstr(DH_T_BIGDEC, "Infinity");
	is_str(enc_hex(&v, h, sizeof(h)), "13040000", "bigdec Infinity");
	v = v_cstr(DH_T_BIGDEC, "NaN");
	is_str(enc_hex(&v, h, sizeof(h)), "13050000", "bigdec NaN");
}

static void
test_encode_errors(void)
{
	struct dh_buf b;
	struct dh_value v = {.type = DH_T_NONE};
	static const char *bad[] = {"",   "-",    "01",  "1.",   ".5", "-0",  "-0.0",
				    "+1", "1e3",  "1.5M", "1..2", " 1", "1 ",  "--1",
				    "0x1", "1,5", "-00", "00.1", "1.-5", "nan", "-NaN", "+Infinity",
				    "inf"};
	char big[DH_BIGDEC_MAX_DIGITS + 3];

	dh_buf_init(&b, 0);
	is_int(dh_value_encode(&b, &v, NULL), DH_EBADVALUE, "type none is refused");
	v.type = (enum dh_type)42;
	is_int(dh_value_encode(&b, &v, NULL), DH_EBADVALUE, "unknown type is refused");
	for (size_t i = 0; i < DH_ARRAY_SIZE(bad); i++) {
		v = v_cstr(DH_T_BIGDEC, bad[i]);
		is_int(dh_value_encode(&b, &v, NULL), DH_EBADVALUE, "bigdec '%s' is not canonical",
		       bad[i]);
	}
	memset(big, '7', sizeof(big));
	v = v_str(DH_T_BIGDEC, big, DH_BIGDEC_MAX_DIGITS);
	is_int(dh_value_encode(&b, &v, NULL), 0, "bigdec of %d digits is fine",
	       DH_BIGDEC_MAX_DIGITS);
	v = v_str(DH_T_BIGDEC, big, DH_BIGDEC_MAX_DIGITS + 1);
	is_int(dh_value_encode(&b, &v, NULL), DH_ETOOLONG, "bigdec of %d digits is too long",
	       DH_BIGDEC_MAX_DIGITS + 1);
	big[1] = '.';
	v = v_str(DH_T_BIGDEC, big, DH_BIGDEC_MAX_DIGITS + 2);
	is_int(dh_value_encode(&b, &v, NULL), DH_ETOOLONG, "digits on both sides count");
	ok(b.len <= DH_KEY_INLINE_MAX, "longest bigdec key (%zu bytes) is inline", b.len);
	/* never read: the length check comes first */
	v = v_str(DH_T_STRING, "x", DH_VALUE_MAX_BYTES + 1);
	is_int(dh_value_encode(&b, &v, NULL), DH_ETOOLONG, "over-long string is refused");
	dh_buf_release(&b);

	dh_buf_init(&b, 5);
	v = v_long(DH_T_LONG, 5);
	is_int(dh_value_encode(&b, &v, NULL), DH_ETOOLONG, "buffer cap is honoured");
	ok(b.overflow && b.len == 0, "nothing appended past the cap");
	dh_buf_release(&b);
}

/* Values in strictly ascending order, across and within types. */
static void
test_order_table(void)
{
	static const char nul1[] = {0}, nul2[] = {0, 0}, one1[] = {1}, a0[] = {'a', 0};
	static const char *decs[] = {"-Infinity", "-100", "-10", "-1.5001", "-1.5", "-1.50", "-1.500",
				     "-1.4999", "-1", "-0.5", "-0.05", "-0.0000001", "0",
				     "0.0", "0.00", "0.000001", "0.1", "0.10", "0.12",
				     "0.120", "0.123", "1", "1.0", "1.4999", "1.5", "1.50",
				     "1.500", "1.5001", "9.99", "10", "10.0", "11", "99",
				     "100", "1000000000000000000000", "Infinity", "NaN"};
	struct dh_value vs[128];
	size_t n = 0;
	vs[n++] = v_bool(0);
	vs[n++] = v_bool(1);
	vs[n++] = v_long(DH_T_LONG, INT64_MIN);
	vs[n++] = v_long(DH_T_LONG, -2);
	vs[n++] = v_long(DH_T_LONG, -1);
	vs[n++] = v_long(DH_T_LONG, 0);
	vs[n++] = v_long(DH_T_LONG, 1);
	vs[n++] = v_long(DH_T_LONG, 256);
	vs[n++] = v_long(DH_T_LONG, INT64_MAX);
	for (size_t i = 0; i < DH_ARRAY_SIZE(decs); i++)
		vs[n++] = v_cstr(DH_T_BIGDEC, decs[i]);
	vs[n++] = v_double(-INFINITY);
	vs[n++] = v_double(-DBL_MAX);
	vs[n++] = v_double(-1.0);
	vs[n++] = v_double(-DBL_MIN);
	vs[n++] = v_double(-4.9e-324);
	vs[n++] = v_double(-0.0);
	vs[n++] = v_double(4.9e-324);
	vs[n++] = v_double(DBL_MIN);
	vs[n++] = v_double(1.0);
	vs[n++] = v_double(nextafter(1.0, 2.0));
	vs[n++] = v_double(DBL_MAX);
	vs[n++] = v_double(INFINITY);
	vs[n++] = v_double(NAN);
	vs[n++] = v_long(DH_T_INSTANT, INT64_MIN);
	vs[n++] = v_long(DH_T_INSTANT, -1);
	vs[n++] = v_long(DH_T_INSTANT, 0);
	vs[n++] = (struct dh_value){.type = DH_T_UUID};
	vs[n] = (struct dh_value){.type = DH_T_UUID};
	vs[n++].uuid[15] = 1;
	vs[n] = (struct dh_value){.type = DH_T_UUID};
	memset(vs[n++].uuid, 0xff, 16);
	vs[n++] = v_str(DH_T_STRING, "", 0);
	vs[n++] = v_str(DH_T_STRING, nul1, 1);
	vs[n++] = v_str(DH_T_STRING, nul2, 2);
	vs[n++] = v_str(DH_T_STRING, one1, 1);
	vs[n++] = v_str(DH_T_STRING, "\x02", 1);
	vs[n++] = v_str(DH_T_STRING, "a", 1);
	vs[n++] = v_str(DH_T_STRING, a0, 2);
	vs[n++] = v_str(DH_T_STRING, "ab", 2);
	vs[n++] = v_str(DH_T_STRING, "b", 1);
	vs[n++] = v_str(DH_T_STRING, "\xc3\xa9", 2);       /* U+00E9 */
	vs[n++] = v_str(DH_T_STRING, "\xef\xbf\xbd", 3);   /* U+FFFD */
	vs[n++] = v_str(DH_T_STRING, "\xf0\x9f\x98\x80", 4); /* U+1F600 */
	vs[n++] = v_cstr(DH_T_KEYWORD, "");
	vs[n++] = v_cstr(DH_T_KEYWORD, "a");
	vs[n++] = v_cstr(DH_T_KEYWORD, "a/b");
	vs[n++] = v_cstr(DH_T_BYTES, "");
	vs[n++] = v_cstr(DH_T_BYTES, "\xff");
	vs[n++] = v_ref(0);
	vs[n++] = v_ref(1);
	vs[n++] = v_ref(UINT64_MAX);

	int cmp_ok = 1, enc_ok = 1;
	struct dh_buf x, y;
	dh_buf_init(&x, 0);
	dh_buf_init(&y, 0);
	for (size_t i = 0; i < n; i++) {
		for (size_t j = 0; j < n; j++) {
			int want = i < j ? -1 : i > j;
			char h1[80], h2[80];
			if (sign(dh_value_cmp(&vs[i], &vs[j])) != want) {
				cmp_ok = 0;
				tap_diag("cmp(%s, %s) != %d", edn(&vs[i], h1, 80),
					 edn(&vs[j], h2, 80), want);
			}
			dh_buf_reset(&x);
			dh_buf_reset(&y);
			if (dh_value_encode(&x, &vs[i], NULL) ||
			    dh_value_encode(&y, &vs[j], NULL)) {
				enc_ok = 0;
				continue;
			}
			size_t m = x.len < y.len ? x.len : y.len;
			int c = memcmp(x.p, y.p, m);
			c = c ? sign(c) : (x.len < y.len ? -1 : x.len > y.len);
			if (c != want) {
				enc_ok = 0;
				tap_diag("memcmp(%s, %s) != %d", edn(&vs[i], h1, 80),
					 edn(&vs[j], h2, 80), want);
			}
		}
	}
	ok(cmp_ok, "dh_value_cmp orders the %zu-value table", n);
	ok(enc_ok, "keys order the %zu-value table", n);
	dh_buf_release(&x);
	dh_buf_release(&y);

	struct dh_value a = v_double(-0.0), b = v_double(0.0), c = v_double(NAN),
			d = v_double(bits_double(0xfff8000000000001));
	ok(dh_value_eq(&a, &b), "-0.0 equals 0.0");
	ok(dh_value_eq(&c, &d), "NaN equals NaN whatever the payload");
	a = v_bool(2);
	b = v_bool(1);
	ok(dh_value_eq(&a, &b), "bools compare by truth");
	a = v_cstr(DH_T_BIGDEC, "1.5");
	b = v_cstr(DH_T_BIGDEC, "1.50");
	ok(!dh_value_eq(&a, &b), "1.5 and 1.50 are different values");
	a = v_cstr(DH_T_STRING, "x");
	b = v_cstr(DH_T_KEYWORD, "x");
	ok(dh_value_cmp(&a, &b) < 0, "types order before contents");
}

static size_t
encode_to(unsigned char *out, const struct dh_value *v, int *spilled)
{
	struct dh_buf b;
	size_t n;
	dh_buf_init(&b, 0);
	if (dh_value_encode(&b, v, spilled))
		abort();
	n = b.len;
	memcpy(out, b.p, n);
	dh_buf_release(&b);
	return n;
}

static void
test_spill(void)
{
	static char s[600];
	unsigned char k1[DH_VALUE_ENC_MAX], k2[DH_VALUE_ENC_MAX], dg[DH_VALUE_DIGEST];
	size_t n1, n2;
	int sp1, sp2;
	struct dh_value v, w, d;
	struct dh_arena a;
	const unsigned char *digest;

	dh_arena_init(&a);
	memset(s, 'a', sizeof(s));
	v = v_str(DH_T_STRING, s, DH_KEY_INLINE_MAX - 2);
	n1 = encode_to(k1, &v, &sp1);
	ok(n1 == DH_KEY_INLINE_MAX && !sp1, "254-byte string is inline in %d bytes",
	   DH_KEY_INLINE_MAX);
	w = v_str(DH_T_STRING, s, DH_KEY_INLINE_MAX - 1);
	n2 = encode_to(k2, &w, &sp2);
	ok(n2 == 1 + 254 + 2 + DH_VALUE_DIGEST && sp2, "255-byte string spills (%zu bytes)", n2);
	ok(n2 <= DH_VALUE_ENC_MAX, "spilled key within DH_VALUE_ENC_MAX");
	ok(memcmp(k1, k2, n1 < n2 ? n1 : n2) < 0 && dh_value_cmp(&v, &w) < 0,
	   "an inline string sorts before the spilled string it prefixes");
	is_int(dh_value_decode(k2, n2, &d, &a, &digest), (int)n2, "spilled key decodes");
	ok(d.type == DH_T_STRING && d.s.n == 254 && memcmp(d.s.p, s, 254) == 0,
	   "spilled key yields its 254-byte prefix");
	dh_value_digest(&w, dg);
	ok(digest && digest == k2 + n2 - DH_VALUE_DIGEST && memcmp(digest, dg, sizeof(dg)) == 0,
	   "digest points at the key's digest");
	is_int(dh_value_skip(k2, n2), (int)n2, "skip measures a spilled key");
	is_int(dh_value_decode(k1, n1, &d, &a, &digest), (int)n1, "inline key decodes");
	ok(digest == NULL, "inline key has no digest");

	/* NULs take two bytes: 127 fit, 128 spill after 127 */
	memset(s, 0, 200);
	v = v_str(DH_T_BYTES, s, 127);
	n1 = encode_to(k1, &v, &sp1);
	ok(!sp1 && n1 == 256, "127 NULs are inline");
	v = v_str(DH_T_BYTES, s, 128);
	n1 = encode_to(k1, &v, &sp1);
	ok(sp1 && n1 == 1 + 254 + 2 + 16, "128 NULs spill");
	dh_value_decode(k1, n1, &d, &a, NULL);
	is_int(d.s.n, 127, "prefix of 128 NULs is 127 NULs");

	/* 253 plain bytes then a NUL: the NUL does not fit, the prefix is 253
	 * bytes, and an inline string with a plain byte there sorts after */
	memset(s, 'a', 253);
	s[253] = 0;
	memset(s + 254, 'z', 100);
	v = v_str(DH_T_STRING, s, 354);
	n1 = encode_to(k1, &v, &sp1);
	ok(sp1 && n1 == 1 + 253 + 2 + 16, "prefix stops before an escape that does not fit");
	static char t[300];
	memset(t, 'a', 253);
	t[253] = 2;
	w = v_str(DH_T_STRING, t, 254);
	n2 = encode_to(k2, &w, &sp2);
	ok(!sp2 && memcmp(k1, k2, n2) < 0 && dh_value_cmp(&v, &w) < 0,
	   "spilled string with NUL at the cut sorts before inline \\x02 there");
	w = v_str(DH_T_STRING, t, 253);
	n2 = encode_to(k2, &w, &sp2);
	ok(!sp2 && memcmp(k2, k1, n2) < 0 && dh_value_cmp(&w, &v) < 0,
	   "its own prefix sorts first");

	/* two spilled values with the same prefix: equal keys only if equal */
	memset(s, 'q', 400);
	v = v_str(DH_T_STRING, s, 400);
	w = v_str(DH_T_STRING, s, 399);
	n1 = encode_to(k1, &v, &sp1);
	n2 = encode_to(k2, &w, &sp2);
	ok(n1 == n2 && memcmp(k1, k2, n1 - DH_VALUE_DIGEST) == 0 && memcmp(k1, k2, n1) != 0,
	   "same prefix, different values: keys differ by digest");

	w = v_cstr(DH_T_STRING, "abc");
	dh_value_digest(&w, dg);
	static const unsigned char abc[16] = {0xba, 0x78, 0x16, 0xbf, 0x8f, 0x01, 0xcf, 0xea,
					      0x41, 0x41, 0x40, 0xde, 0x5d, 0xae, 0x22, 0x23};
	ok(memcmp(dg, abc, 16) == 0, "digest is SHA-256 truncated to 16 bytes");
	dh_arena_release(&a);
}

struct bad_key {
	const char *hex;
	const char *what;
};

static size_t
unhex(const char *h, unsigned char *out)
{
	size_t n = 0;
	for (; h[0] && h[1]; h += 2) {
		unsigned x;
		if (sscanf(h, "%2x", &x) != 1)
			abort();
		out[n++] = (unsigned char)x;
	}
	return n;
}

static void
test_decode_errors(void)
{
	static const struct bad_key bad[] = {
		{"", "empty"},
		{"00", "tag 00"},
		{"10", "tag none"},
		{"1b", "tag past ref"},
		{"ff", "tag ff"},
		{"11", "bool truncated"},
		{"1102", "bool 2"},
		{"1280000000000000", "long truncated"},
		{"1a00", "ref truncated"},
		{"160001020304050607080910111213", "uuid truncated"},
		{"14", "double truncated"},
		{"147fffffffffffffff", "double -0.0"},
		{"14fff8000000000001", "NaN with a payload"},
		{"14fff0000000000001", "another NaN"},
		{"140007ffffffffffff", "negative NaN"},
		{"17", "string without body"},
		{"176162", "string without terminator"},
		{"176101", "string ends inside an escape"},
		{"17610100", "escape 01 00"},
		{"17610104", "escape 01 04"},
		{"176101ff00", "escape 01 ff"},
		{"17610103", "spill marker without digest"},
		{"1761010300112233445566778899aabbccddeeff", "spill after a short prefix"},
		{"13", "bigdec truncated"},
		{"1300", "bigdec -Infinity without scale"},
		{"130400", "bigdec Infinity, scale truncated"},
		{"13050001", "bigdec NaN with a scale"},
		{"1306", "bigdec class 6"},
		{"130200", "bigdec zero, scale truncated"},
		{"13038001", "bigdec no digits"},
		{"130380012600", "bigdec no scale"},
		{"13038001260000", "bigdec scale truncated"},
		{"1303800126000000", "bigdec 1.5 with scale 0"},
		{"1303800110000000", "bigdec leading zero digit"},
		{"1303800221000000", "bigdec trailing zero digit"},
		{"13038001c0000000", "bigdec nibble 11"},
		{"1303800120260000", "bigdec digits after the pad"},
		{"1303800100000000", "bigdec nonzero without digits"},
		{"130380010f000000", "bigdec high nibble 0"},
		{"13037c0020000000", "bigdec exponent out of range"},
		{"13020191", "bigdec zero with scale 401"},
		{"1301800126000001", "bigdec negative not complemented"},
	};
	unsigned char buf[64];
	struct dh_arena a;
	struct dh_value v;
	dh_arena_init(&a);
	for (size_t i = 0; i < DH_ARRAY_SIZE(bad); i++) {
		size_t n = unhex(bad[i].hex, buf);
		unsigned char *p = xmemdup(buf, n); /* exact size, so ASan sees overreads */
		int rc = dh_value_decode(p, n, &v, &a, NULL);
		int rs = dh_value_skip(p, n);
		ok(rc == DH_ECORRUPT && rs == DH_ECORRUPT, "decode refuses %s (%d, %d)",
		   bad[i].what, rc, rs);
		free(p);
	}

	/* an inline string body of 255 bytes is not what encode writes */
	unsigned char *p = xmalloc(1 + 255 + 1);
	p[0] = 0x17;
	memset(p + 1, 'a', 255);
	p[256] = 0;
	is_int(dh_value_skip(p, 257), DH_ECORRUPT, "inline string body past the budget");
	is_int(dh_value_skip(p, 256), DH_ECORRUPT, "and truncated");
	p[255] = 0;
	is_int(dh_value_skip(p, 257), 256, "a 254-byte body is fine");
	free(p);

	/* well-formed keys followed by more bytes: length is the key's */
	const char *good[] = {"1101", "13020000", "1303800126000001", "1761010162010200"};
	for (size_t i = 0; i < DH_ARRAY_SIZE(good); i++) {
		size_t n = unhex(good[i], buf);
		buf[n] = 0x42;
		buf[n + 1] = 0x00;
		is_int(dh_value_decode(buf, n + 2, &v, &a, NULL), (int)n, "decode %s with a tail",
		       good[i]);
	}
	dh_arena_release(&a);
}

static void
test_bigdec_parse(void)
{
	static const struct {
		const char *in, *out;
		int rc;
	} cases[] = {
		{"1.5", "1.5", 0},
		{"-0.50", "-0.50", 0},
		{"+3", "3", 0},
		{"1e3", "1000", 0},
		{"1E+3", "1000", 0},
		{"1.5E-2", "0.015", 0},
		{"15e-1", "1.5", 0},
		{"1.50e1", "15.0", 0},
		{"1.5e1", "15", 0},
		{"7M", "7", 0},
		{"007", "7", 0},
		{"-0", "0", 0},
		{"-0.00", "0.00", 0},
		{"-0e5", "0", 0},
		{"0e-3", "0.000", 0},
		{".5", "0.5", 0},
		{"-.5", "-0.5", 0},
		{"5.", "5", 0},
		{"0.0", "0.0", 0},
		{"000.000", "0.000", 0},
		{"00012.3400", "12.3400", 0},
		{"-12.5M", "-12.5", 0},
		{"123456789012345678901234567890", "123456789012345678901234567890", 0},
		{"1e-1", "0.1", 0},
		{"0.001e3", "1", 0},
		{"0.001e2", "0.1", 0},
		{"0.0010e2", "0.10", 0},
		{"12e0", "12", 0},
		{"0e999999999999999999999", "0", 0},
		{"1e400", NULL, DH_ETOOLONG},
		{"1e399", NULL, 0}, /* 400 digits */
		{"1e-399", NULL, 0},
		{"1e-400", NULL, DH_ETOOLONG},
		{"0e-400", NULL, DH_ETOOLONG},
		{"1e99999999999999999999", NULL, DH_ETOOLONG},
		{"1e-99999999999999999999", NULL, DH_ETOOLONG},
		{"", NULL, DH_EBADVALUE},
		{"M", NULL, DH_EBADVALUE},
		{".", NULL, DH_EBADVALUE},
		{"-", NULL, DH_EBADVALUE},
		{"+", NULL, DH_EBADVALUE},
		{"e3", NULL, DH_EBADVALUE},
		{"1e", NULL, DH_EBADVALUE},
		{"1e+", NULL, DH_EBADVALUE},
		{"1.2.3", NULL, DH_EBADVALUE},
		{"1MM", NULL, DH_EBADVALUE},
		{"1m", NULL, DH_EBADVALUE},
		{" 1", NULL, DH_EBADVALUE},
		{"1 ", NULL, DH_EBADVALUE},
		{"0x10", NULL, DH_EBADVALUE},
		{"1N", NULL, DH_EBADVALUE},
		{"--1", NULL, DH_EBADVALUE},
		{"Infinity", NULL, DH_EBADVALUE},
		{"1e3.5", NULL, DH_EBADVALUE},
	};
	struct dh_arena a;
	dh_arena_init(&a);
	for (size_t i = 0; i < DH_ARRAY_SIZE(cases); i++) {
		struct dh_value v = {0};
		int rc = dh_bigdec_parse(cases[i].in, strlen(cases[i].in), &a, &v);
		if (cases[i].out) {
			ok(rc == 0 && v.type == DH_T_BIGDEC && v.s.n == strlen(cases[i].out) &&
				   memcmp(v.s.p, cases[i].out, v.s.n) == 0,
			   "bigdec '%s' -> '%s' (got %d '%.*s')", cases[i].in, cases[i].out, rc,
			   rc ? 0 : (int)v.s.n, rc ? "" : v.s.p);
		} else {
			is_int(rc, cases[i].rc, "bigdec '%s' -> %d", cases[i].in, cases[i].rc);
		}
		if (rc == 0) {
			struct dh_buf b;
			dh_buf_init(&b, 0);
			if (dh_value_encode(&b, &v, NULL))
				ok(0, "parsed bigdec '%s' is canonical", cases[i].in);
			dh_buf_release(&b);
		}
	}
	struct dh_value v;
	ok(dh_bigdec_parse("1e399", 5, &a, &v) == 0 && v.s.n == 400 && v.s.p[0] == '1' &&
		   v.s.p[399] == '0',
	   "1e399 has 400 digits");
	ok(dh_bigdec_parse("1e-399", 6, &a, &v) == 0 && v.s.n == 401 &&
		   memcmp(v.s.p, "0.00", 4) == 0 && v.s.p[400] == '1',
	   "1e-399 is 0.(398 zeros)1");
	ok(dh_bigdec_parse("12.5", 3, &a, &v) == 0 && v.s.n == 2 && memcmp(v.s.p, "12", 2) == 0,
	   "parse honours n (\"12.\" -> \"12\")");
	dh_arena_release(&a);
}

static void
test_bigdec_cmp(void)
{
	static const struct {
		const char *a, *b;
		int want;
	} cases[] = {
		{"1.5", "1.50", 0},     {"1.5", "1.49", 1},     {"1.5", "1.51", -1},
		{"0", "0.000", 0},      {"0", "0.001", -1},     {"-0.001", "0", -1},
		{"-1", "1", -1},        {"-1", "-2", 1},        {"-1.5", "-1.50", 0},
		{"-1.5", "-1.4", -1},   {"10", "9.99", 1},      {"100", "99", 1},
		{"0.1", "0.09", 1},     {"-0.1", "-0.09", -1},  {"12.3", "12.30001", -1},
		{"123", "123", 0},      {"5", "-5", 1},         {"0.5", "0", 1},
		{"NaN", "NaN", 0},      {"NaN", "Infinity", 1}, {"Infinity", "100", 1},
		{"-Infinity", "-99", -1}, {"-Infinity", "NaN", -1}, {"Infinity", "Infinity", 0},
	};
	for (size_t i = 0; i < DH_ARRAY_SIZE(cases); i++) {
		int c = dh_bigdec_cmp_num(cases[i].a, strlen(cases[i].a), cases[i].b,
					  strlen(cases[i].b));
		is_int(sign(c), cases[i].want, "bigdec cmp %s %s", cases[i].a, cases[i].b);
		c = dh_bigdec_cmp_num(cases[i].b, strlen(cases[i].b), cases[i].a,
				      strlen(cases[i].a));
		is_int(sign(c), -cases[i].want, "bigdec cmp %s %s", cases[i].b, cases[i].a);
	}
	ok(dh_bigdec_cmp_num("x", 1, "y", 1) < 0 && dh_bigdec_cmp_num("x", 1, "x", 1) == 0,
	   "non-canonical text still compares (bytewise)");
}

static void
test_double_format(void)
{
	static const struct {
		double d;
		const char *s;
	} cases[] = {
		{0.0, "0.0"},
		{-0.0, "-0.0"},
		{1.0, "1.0"},
		{-2.5, "-2.5"},
		{0.1, "0.1"},
		{0.3, "0.3"},
		{100.0, "100.0"},
		{123456789.0, "123456789.0"},
		{1e20, "1.0E20"},
		{1e15, "1.0E15"},
		{1.5e-7, "1.5E-7"},
		{1e-5, "1.0E-5"},
		{1.0 / 3.0, "0.3333333333333333"},
		{0.1 + 0.2, "0.30000000000000004"},
		{DBL_MAX, "1.7976931348623157E308"},
		{DBL_MIN, "2.2250738585072014E-308"},
		{4.9406564584124654e-324, "5.0E-324"},
		{-1e300, "-1.0E300"},
		{NAN, "##NaN"},
		{INFINITY, "##Inf"},
		{-INFINITY, "##-Inf"},
	};
	char out[40];
	for (size_t i = 0; i < DH_ARRAY_SIZE(cases); i++) {
		dh_double_format(cases[i].d, out);
		is_str(out, cases[i].s, "double %s", cases[i].s);
	}

	/* every finite double reads back exactly, and has '.' */
	int all = 1;
	for (int i = 0; i < 20000; i++) {
		uint64_t u = rnd();
		if (i % 4 == 1)
			u &= 0x800fffffffffffff; /* subnormal */
		if (i % 4 == 2)
			u = double_bits((double)(int64_t)rnd_below(2000000) / 1000.0);
		double d = bits_double(u);
		if (isnan(d) || isinf(d))
			continue;
		dh_double_format(d, out);
		if (double_bits(strtod(out, NULL)) != u || !strchr(out, '.') ||
		    strchr(out, '+') || strchr(out, 'e')) {
			if (all)
				tap_diag("double %016llx formats as %s",
					 (unsigned long long)u, out);
			all = 0;
		}
	}
	ok(all, "random doubles format to round-trip text");
}

static void
test_instants(void)
{
	static const struct {
		const char *in;
		int64_t us;
	} good[] = {
		{"1970-01-01T00:00:00Z", 0},
		{"1970-01-01", 0},
		{"1970-01-01T00:00", 0},
		{"1970-01-01 00:00:01", 1000000},
		{"1970-01-01t00:00:00.000001z", 1},
		{"1970-01-01T00:00:00.1Z", 100000},
		{"1970-01-01T00:00:00.123456789Z", 123456},
		{"1969-12-31T23:59:59.999999Z", -1},
		{"1969-12-31T23:59:59.9999999Z", -1},
		{"2026-11-21T10:00:00Z", 1795255200000000},
		{"2026-11-21T11:00:00+01:00", 1795255200000000},
		{"2026-11-21T05:30:00-0430", 1795255200000000},
		{"2026-11-21T10:00:00+00:00", 1795255200000000},
		{"2000-02-29T00:00:00Z", 951782400000000},
		{"1900-03-01", -2203891200000000},
		{"0001-01-01T00:00:00Z", -62135596800000000},
		{"9999-12-31T23:59:59.999999Z", 253402300799999999},
		{"1600-02-29", -11670998400000000},
	};
	static const char *bad[] = {
		"",
		"1970",
		"1970-01",
		"1970-1-01",
		"0000-01-01",
		"1970-00-01",
		"1970-13-01",
		"1970-01-00",
		"1970-01-32",
		"1970-02-30",
		"1900-02-29",
		"2001-02-29",
		"1970-04-31",
		"1970-01-01T",
		"1970-01-01T24:00:00Z",
		"1970-01-01T23:60:00Z",
		"1970-01-01T23:59:60Z",
		"1970-01-01T1:00Z",
		"1970-01-01T10:00:00.Z",
		"1970-01-01T10:00:00.1234567890Z",
		"1970-01-01T10:00.5Z",
		"1970-01-01T10:00:00ZZ",
		"1970-01-01T10:00:00+24:00",
		"1970-01-01T10:00:00+01:60",
		"1970-01-01T10:00:00+1",
		"1970-01-01T10:00:00+01:",
		"1970-01-01T10:00:00 ",
		"1970-01-01Z",
		"1970-01-01X10:00",
		"+1970-01-01",
		"197a-01-01",
		"1970/01/01",
	};
	int64_t us;
	char out[DH_INSTANT_STRLEN];
	for (size_t i = 0; i < DH_ARRAY_SIZE(good); i++) {
		us = 42;
		int rc = dh_instant_parse(good[i].in, strlen(good[i].in), &us);
		ok(rc == 0 && us == good[i].us, "instant '%s' (%lld)", good[i].in, (long long)us);
	}
	for (size_t i = 0; i < DH_ARRAY_SIZE(bad); i++)
		is_int(dh_instant_parse(bad[i], strlen(bad[i]), &us), DH_EBADTIME,
		       "instant '%s' is refused", bad[i]);
	is_int(dh_instant_parse("1970-01-01T00:00:00Zjunk", 20, &us), 0, "parse honours n");

	static const struct {
		int64_t us;
		const char *s;
	} fmt[] = {
		{0, "1970-01-01T00:00:00Z"},
		{1795255200000000, "2026-11-21T10:00:00Z"},
		{1795255200123000, "2026-11-21T10:00:00.123Z"},
		{1795255200123456, "2026-11-21T10:00:00.123456Z"},
		{1795255200000001, "2026-11-21T10:00:00.000001Z"},
		{1795255200100000, "2026-11-21T10:00:00.100Z"},
		{-1, "1969-12-31T23:59:59.999999Z"},
		{-1000, "1969-12-31T23:59:59.999Z"},
		{-62135596800000000, "0001-01-01T00:00:00Z"},
		{-62135596800000001, "0000-12-31T23:59:59.999999Z"},
		{253402300800000000, "+10000-01-01T00:00:00Z"},
		{-62198755200000000, "-0001-01-01T00:00:00Z"},
	};
	for (size_t i = 0; i < DH_ARRAY_SIZE(fmt); i++) {
		dh_instant_format(fmt[i].us, out);
		is_str(out, fmt[i].s, "format %lld", (long long)fmt[i].us);
	}
	dh_instant_format(INT64_MIN, out);
	ok(strlen(out) < DH_INSTANT_STRLEN && out[0] == '-', "INT64_MIN formats (%s)", out);
	dh_instant_format(INT64_MAX, out);
	ok(strlen(out) < DH_INSTANT_STRLEN && out[0] == '+', "INT64_MAX formats (%s)", out);

	/* Walk every day of 0001..9999 with a naive calendar and check parse;
	 * format is checked on a sample. */
	int y = 1, m = 1, d = 1, all = 1;
	int64_t day = -719162; /* 0001-01-01 */
	static const int dm[] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
	while (y <= 9999) {
		char s[11];
		s[0] = (char)('0' + y / 1000);
		s[1] = (char)('0' + y / 100 % 10);
		s[2] = (char)('0' + y / 10 % 10);
		s[3] = (char)('0' + y % 10);
		s[4] = '-';
		s[5] = (char)('0' + m / 10);
		s[6] = (char)('0' + m % 10);
		s[7] = '-';
		s[8] = (char)('0' + d / 10);
		s[9] = (char)('0' + d % 10);
		s[10] = 0;
		if (dh_instant_parse(s, 10, &us) || us != day * 86400 * 1000000) {
			if (all)
				tap_diag("day %s parses wrong", s);
			all = 0;
		}
		if (day % 17 == 0 || (m == 2 && d >= 28) || (m == 3 && d == 1)) {
			dh_instant_format(day * 86400 * 1000000, out);
			if (memcmp(out, s, 10) != 0 || strcmp(out + 10, "T00:00:00Z") != 0) {
				if (all)
					tap_diag("day %s formats as %s", s, out);
				all = 0;
			}
		}
		int leap = y % 4 == 0 && (y % 100 != 0 || y % 400 == 0);
		int last = dm[m - 1] + (m == 2 && leap);
		if (++d > last) {
			d = 1;
			if (++m > 12) {
				m = 1;
				y++;
			}
		}
		day++;
	}
	ok(all, "every day of 0001..9999 parses (and a sample formats) correctly");

	/* random instants round-trip through text */
	all = 1;
	for (int i = 0; i < 20000; i++) {
		int64_t lo = -62135596800000000, hi = 253402300799999999, back;
		int64_t u = lo + (int64_t)(rnd() % (uint64_t)(hi - lo));
		if (i % 3 == 0)
			u -= u % 1000;
		if (i % 5 == 0)
			u -= u % 1000000;
		dh_instant_format(u, out);
		if (dh_instant_parse(out, strlen(out), &back) || back != u) {
			if (all)
				tap_diag("instant %lld -> %s -> %lld", (long long)u, out,
					 (long long)back);
			all = 0;
		}
	}
	ok(all, "random instants round-trip through text");
}

static void
test_uuid(void)
{
	unsigned char u[16], want[16] = {0x12, 0x3e, 0x45, 0x67, 0xe8, 0x9b, 0x12, 0xd3,
					 0xa4, 0x56, 0x42, 0x66, 0x14, 0x17, 0x40, 0x00};
	char out[DH_UUID_STRLEN];
	const char *s = "123E4567-e89b-12d3-A456-426614174000";
	is_int(dh_uuid_parse(s, 36, u), 0, "uuid parses in either case");
	ok(memcmp(u, want, 16) == 0, "uuid bytes");
	dh_uuid_format(u, out);
	is_str(out, "123e4567-e89b-12d3-a456-426614174000", "uuid formats lower case");
	static const char *bad[] = {
		"",
		"123e4567-e89b-12d3-a456-42661417400",
		"123e4567-e89b-12d3-a456-4266141740000",
		"123e4567e89b-12d3-a456-4266141740000",
		"123e4567-e89b-12d3-a456_426614174000",
		"123e4567-e89b-12d3-a456-42661417400g",
		"{23e4567-e89b-12d3-a456-426614174000",
		"123e4567-e89b-12d3-a4564-26614174000",
		"123e4567-e89b-12d3-a456-42661417\xc3\xa9",
	};
	for (size_t i = 0; i < DH_ARRAY_SIZE(bad); i++)
		is_int(dh_uuid_parse(bad[i], strlen(bad[i]), u), DH_EBADVALUE, "uuid '%s' refused",
		       bad[i]);
}

static void
test_base64(void)
{
	static const char *vec[][2] = {{"", ""},
				       {"f", "Zg=="},
				       {"fo", "Zm8="},
				       {"foo", "Zm9v"},
				       {"foob", "Zm9vYg=="},
				       {"fooba", "Zm9vYmE="},
				       {"foobar", "Zm9vYmFy"},
				       {"\xff\xfe\xfd", "//79"},
				       {"\xfb\xef", "++8="}};
	struct dh_arena a;
	struct dh_buf b;
	unsigned char *out;
	size_t n;
	dh_arena_init(&a);
	dh_buf_init(&b, 0);
	for (size_t i = 0; i < DH_ARRAY_SIZE(vec); i++) {
		dh_buf_reset(&b);
		dh_base64_encode(&b, vec[i][0], strlen(vec[i][0]));
		is_str((const char *)b.p, vec[i][1], "base64 of '%s'", vec[i][0]);
		int rc = dh_base64_decode(vec[i][1], strlen(vec[i][1]), &a, &out, &n);
		ok(rc == 0 && n == strlen(vec[i][0]) && memcmp(out, vec[i][0], n) == 0,
		   "base64 decode '%s'", vec[i][1]);
	}
	static const char *bad[] = {"Zg=",  "Zg",       "Z===",     "Zh==",      "Zm9=",
				    "====", "Zm8=Zm8=", "Zm9v YmFy", "Zm=v",     "Zm9*",
				    "Zm9-", "Zm9_",     "=Zm9",     "Zm9vYg=a", "Zg==Zg=="};
	for (size_t i = 0; i < DH_ARRAY_SIZE(bad); i++)
		is_int(dh_base64_decode(bad[i], strlen(bad[i]), &a, &out, &n), DH_EBADVALUE,
		       "base64 '%s' refused", bad[i]);

	int all = 1;
	for (int i = 0; i < 2000; i++) {
		unsigned char raw[64];
		size_t rn = rnd_below(sizeof(raw) + 1);
		for (size_t j = 0; j < rn; j++)
			raw[j] = (unsigned char)rnd();
		dh_buf_reset(&b);
		dh_base64_encode(&b, raw, rn);
		if (dh_base64_decode((const char *)b.p, b.len, &a, &out, &n) || n != rn ||
		    memcmp(out, raw, rn) != 0)
			all = 0;
	}
	ok(all, "random bytes round-trip through base64");
	dh_buf_release(&b);
	dh_buf_init(&b, 6);
	is_int(dh_base64_encode(&b, "foobar", 6), DH_ETOOLONG, "base64 honours the buffer cap");
	dh_buf_release(&b);
	dh_arena_release(&a);
}

static void
test_print_edn(void)
{
	char out[200];
	struct dh_value v;
	static const char ctl[] = {'a', '"', '\\', '\n', '\t', '\r', 1, 0, 0x7f, 'z'};

	v = v_long(DH_T_LONG, -42);
	is_str(edn(&v, out, sizeof(out)), "-42", "edn long");
	v = v_long(DH_T_LONG, INT64_MIN);
	is_str(edn(&v, out, sizeof(out)), "-9223372036854775808", "edn long min");
	v = v_ref(UINT64_MAX);
	is_str(edn(&v, out, sizeof(out)), "18446744073709551615", "edn ref");
	v = v_bool(1);
	is_str(edn(&v, out, sizeof(out)), "true", "edn true");
	v = v_bool(0);
	is_str(edn(&v, out, sizeof(out)), "false", "edn false");
	v = v_double(1.0);
	is_str(edn(&v, out, sizeof(out)), "1.0", "edn 1.0");
	v = v_double(NAN);
	is_str(edn(&v, out, sizeof(out)), "##NaN", "edn NaN");
	v = v_double(-INFINITY);
	is_str(edn(&v, out, sizeof(out)), "##-Inf", "edn -Inf");
	v = v_cstr(DH_T_BIGDEC, "1.50");
	is_str(edn(&v, out, sizeof(out)), "1.50M", "edn bigdec");
	v = v_cstr(DH_T_BIGDEC, "NaN");
	is_str(edn(&v, out, sizeof(out)), "##NaN", "edn bigdec NaN");
	v = v_cstr(DH_T_BIGDEC, "-Infinity");
	is_str(edn(&v, out, sizeof(out)), "##-Inf", "edn bigdec -Infinity");
	v = v_long(DH_T_INSTANT, 1795255200123456);
	is_str(edn(&v, out, sizeof(out)), "#inst \"2026-11-21T10:00:00.123456Z\"", "edn inst");
	v = (struct dh_value){.type = DH_T_UUID};
	v.uuid[0] = 0xab;
	is_str(edn(&v, out, sizeof(out)), "#uuid \"ab000000-0000-0000-0000-000000000000\"",
	       "edn uuid");
	v = v_cstr(DH_T_STRING, "h\xc3\xa9llo");
	is_str(edn(&v, out, sizeof(out)), "\"h\xc3\xa9llo\"", "edn string keeps UTF-8");
	v = v_str(DH_T_STRING, ctl, sizeof(ctl));
	is_str(edn(&v, out, sizeof(out)), "\"a\\\"\\\\\\n\\t\\r\\u0001\\u0000\\u007fz\"",
	       "edn string escapes");
	v = v_cstr(DH_T_KEYWORD, "db/ident");
	is_str(edn(&v, out, sizeof(out)), ":db/ident", "edn keyword");
	v = v_cstr(DH_T_BYTES, "foobar");
	is_str(edn(&v, out, sizeof(out)), "#bytes \"Zm9vYmFy\"", "edn bytes");
	v = v_cstr(DH_T_STRING, "");
	is_str(edn(&v, out, sizeof(out)), "\"\"", "edn empty string");

	struct dh_buf b;
	dh_buf_init(&b, 4);
	v = v_cstr(DH_T_STRING, "abcdef");
	is_int(dh_value_print_edn(&b, &v), DH_ETOOLONG, "edn honours the buffer cap");
	dh_buf_release(&b);
}

/* --- property tests --- */

struct item {
	struct dh_value v;
	unsigned char *k; /* exact-size heap copy of the key */
	size_t kn;
	int spilled;
};

/* Prefixes shared by many generated strings, so that long values collide on
 * long prefixes and near the spill cut. */
static char prefixes[8][320];
static size_t prefix_len[8];

static unsigned char
small_byte(void)
{
	static const unsigned char alpha[] = {0, 1, 2, 'a', 'b', 0x7f, 0x80, 0xff};
	return alpha[rnd_below(sizeof(alpha))];
}

static size_t
put_utf8(unsigned char *p, uint32_t c)
{
	if (c < 0x80) {
		p[0] = (unsigned char)c;
		return 1;
	}
	if (c < 0x800) {
		p[0] = (unsigned char)(0xc0 | c >> 6);
		p[1] = (unsigned char)(0x80 | (c & 63));
		return 2;
	}
	if (c < 0x10000) {
		p[0] = (unsigned char)(0xe0 | c >> 12);
		p[1] = (unsigned char)(0x80 | (c >> 6 & 63));
		p[2] = (unsigned char)(0x80 | (c & 63));
		return 3;
	}
	p[0] = (unsigned char)(0xf0 | c >> 18);
	p[1] = (unsigned char)(0x80 | (c >> 12 & 63));
	p[2] = (unsigned char)(0x80 | (c >> 6 & 63));
	p[3] = (unsigned char)(0x80 | (c & 63));
	return 4;
}

static uint32_t
rnd_codepoint(void)
{
	for (;;) {
		uint32_t c;
		switch (rnd_below(4)) {
		case 0:
			c = (uint32_t)rnd_below(0x80);
			break;
		case 1:
			c = 0x80 + (uint32_t)rnd_below(0x800 - 0x80);
			break;
		case 2:
			c = 0x800 + (uint32_t)rnd_below(0x10000 - 0x800);
			break;
		default:
			c = 0x10000 + (uint32_t)rnd_below(0x110000 - 0x10000);
		}
		if (c < 0xd800 || c > 0xdfff)
			return c;
	}
}

static void
gen_string(struct dh_arena *a, struct dh_value *v)
{
	size_t n = 0, cap;
	unsigned char *p;
	switch (rnd_below(5)) {
	case 0: /* short, small alphabet: many equal and prefix pairs */
		n = rnd_below(6);
		p = dh_arena_alloc(a, n + 1);
		for (size_t i = 0; i < n; i++)
			p[i] = small_byte();
		break;
	case 1: /* long random bytes */
		n = rnd_below(2001);
		p = dh_arena_alloc(a, n + 1);
		for (size_t i = 0; i < n; i++)
			p[i] = rnd_below(4) ? (unsigned char)rnd() : small_byte();
		break;
	case 2: { /* valid UTF-8 */
		size_t ncp = rnd_below(4) ? rnd_below(10) : rnd_below(300);
		cap = ncp * 4 + 1;
		p = dh_arena_alloc(a, cap);
		for (size_t i = 0; i < ncp; i++)
			n += put_utf8(p + n, rnd_codepoint());
		break;
	}
	default: { /* shared long prefix, maybe cut, plus a short tail */
		size_t w = rnd_below(DH_ARRAY_SIZE(prefixes));
		size_t pl = prefix_len[w] - (rnd_below(3) ? 0 : rnd_below(prefix_len[w] + 1));
		size_t tail = rnd_below(4) ? rnd_below(4) : rnd_below(400);
		p = dh_arena_alloc(a, pl + tail + 1);
		memcpy(p, prefixes[w], pl);
		n = pl;
		for (size_t i = 0; i < tail; i++)
			p[n++] = small_byte();
	}
	}
	static const enum dh_type ts[] = {DH_T_STRING, DH_T_STRING, DH_T_KEYWORD, DH_T_BYTES};
	v->type = ts[rnd_below(4)];
	v->s.p = (const char *)p;
	v->s.n = n;
}

static void
gen_bigdec(struct dh_arena *a, struct dh_value *v)
{
	static const char dig[] = "00019";
	char t[DH_BIGDEC_MAX_DIGITS + 4];
	size_t n = 0, in, fn, maxd = rnd_below(20) ? 12 : DH_BIGDEC_MAX_DIGITS;
	int zero = 1;

	if (rnd_below(4) == 0) { /* through the parser, with an exponent */
		char s[64];
		int k = snprintf(s, sizeof(s), "%s%llu.%llue%d", rnd_below(2) ? "-" : "",
				 (unsigned long long)rnd_below(100000),
				 (unsigned long long)rnd_below(1000), (int)rnd_below(41) - 20);
		if (dh_bigdec_parse(s, (size_t)k, a, v))
			abort();
		return;
	}
	if (rnd_below(2))
		t[n++] = '-';
	in = rnd_below(3) ? 1 + rnd_below(maxd / 2 + 1) : 1;
	fn = rnd_below(3) ? rnd_below(maxd / 2 + 1) : 0;
	if (in + fn > DH_BIGDEC_MAX_DIGITS)
		fn = DH_BIGDEC_MAX_DIGITS - in;
	for (size_t i = 0; i < in; i++) {
		char c = rnd_below(2) ? dig[rnd_below(5)] : (char)('0' + rnd_below(10));
		if (i == 0 && in > 1 && c == '0')
			c = '1';
		if (in == 1 && rnd_below(2))
			c = '0';
		zero &= c == '0';
		t[n++] = c;
	}
	if (fn) {
		t[n++] = '.';
		for (size_t i = 0; i < fn; i++) {
			char c = rnd_below(2) ? dig[rnd_below(5)] : (char)('0' + rnd_below(10));
			zero &= c == '0';
			t[n++] = c;
		}
	}
	if (zero && t[0] == '-') {
		memmove(t, t + 1, --n);
	}
	v->type = DH_T_BIGDEC;
	v->s.p = dh_arena_memdup(a, t, n);
	v->s.n = n;
}

static void
gen_double(struct dh_value *v)
{
	static const double special[] = {0.0, -0.0, 1.0, -1.0, INFINITY, -INFINITY, DBL_MAX,
					 -DBL_MAX, DBL_MIN, -DBL_MIN, 4.9e-324, -4.9e-324, 0.5};
	v->type = DH_T_DOUBLE;
	switch (rnd_below(6)) {
	case 0:
		v->d = special[rnd_below(DH_ARRAY_SIZE(special))];
		break;
	case 1: /* NaNs with random payloads and signs */
		v->d = bits_double(0x7ff0000000000000 | (rnd() & 0x800fffffffffffff) | 1);
		break;
	case 2: /* subnormals */
		v->d = bits_double(rnd() & 0x800fffffffffffff);
		break;
	case 3:
		v->d = (double)((int64_t)rnd_below(2001) - 1000) / 8;
		break;
	default:
		v->d = bits_double(rnd());
	}
}

static int64_t
gen_i64(void)
{
	static const int64_t special[] = {INT64_MIN, INT64_MIN + 1, -1, 0, 1, INT64_MAX - 1,
					  INT64_MAX, 255, 256, -256};
	switch (rnd_below(3)) {
	case 0:
		return special[rnd_below(DH_ARRAY_SIZE(special))];
	case 1:
		return (int64_t)rnd_below(2001) - 1000;
	default:
		return (int64_t)rnd();
	}
}

static void
gen_value(struct dh_arena *a, struct dh_value *v)
{
	memset(v, 0, sizeof(*v));
	switch (rnd_below(12)) {
	case 0:
		v->type = DH_T_BOOL;
		v->b = (int)rnd_below(2);
		break;
	case 1:
		*v = v_long(DH_T_LONG, gen_i64());
		break;
	case 2:
	case 3:
		gen_bigdec(a, v);
		break;
	case 4:
	case 5:
		gen_double(v);
		break;
	case 6:
		*v = v_long(DH_T_INSTANT, gen_i64());
		break;
	case 7:
		v->type = DH_T_UUID;
		for (int i = 0; i < 16; i++)
			v->uuid[i] = i < 14 && rnd_below(2) ? 0 : (unsigned char)rnd();
		break;
	case 8:
		*v = v_ref(rnd_below(2) ? (uint64_t)gen_i64() : rnd_below(100));
		break;
	default:
		gen_string(a, v);
	}
}

static int
item_cmp(const void *x, const void *y)
{
	return dh_value_cmp(&((const struct item *)x)->v, &((const struct item *)y)->v);
}

/* Spilled values with the same inline prefix sort by digest, not value. */
static int
same_spill_prefix(const struct item *x, const struct item *y)
{
	return x->spilled && y->spilled && x->kn == y->kn &&
	       memcmp(x->k, y->k, x->kn - DH_VALUE_DIGEST) == 0;
}

static int
key_cmp(const unsigned char *a, size_t an, const unsigned char *b, size_t bn)
{
	int c = memcmp(a, b, an < bn ? an : bn);
	if (c)
		return sign(c);
	return an < bn ? -1 : an > bn;
}

/* Decoded value equals the original exactly (modulo -0.0 and NaN payloads,
 * which the encoding folds), or its inline prefix when spilled. */
static int
same_decoded(const struct item *it, const struct dh_value *d)
{
	const struct dh_value *v = &it->v;
	if (d->type != v->type)
		return 0;
	switch (v->type) {
	case DH_T_DOUBLE:
		if (isnan(v->d))
			return double_bits(d->d) == 0x7ff8000000000000;
		if (v->d == 0)
			return double_bits(d->d) == 0;
		return double_bits(d->d) == double_bits(v->d);
	case DH_T_BOOL:
		return d->b == v->b;
	case DH_T_STRING:
	case DH_T_KEYWORD:
	case DH_T_BYTES:
		if (it->spilled)
			return d->s.n < v->s.n && memcmp(d->s.p, v->s.p, d->s.n) == 0;
		/* fallthrough */
	case DH_T_BIGDEC:
		return d->s.n == v->s.n && memcmp(d->s.p, v->s.p, d->s.n) == 0 &&
		       d->s.p[d->s.n] == 0;
	default:
		return dh_value_cmp(v, d) == 0;
	}
}

static void
test_properties(void)
{
	struct dh_arena a, scratch;
	struct item *items = xcalloc(NVALUES, sizeof(*items));
	struct dh_buf b;
	int roundtrip = 1, skip = 1, order = 1, sorted = 1, prefixfree = 1, eqkeys = 1,
	    trunc = 1, mutate = 1, ntypes[DH_T__COUNT] = {0}, nspilled = 0;
	long checked_pairs = 0, excepted = 0;
	char h1[120], h2[120];

	dh_arena_init(&a);
	dh_arena_init(&scratch);
	dh_buf_init(&b, 0);
	for (size_t w = 0; w < DH_ARRAY_SIZE(prefixes); w++) {
		prefix_len[w] = 200 + rnd_below(120);
		for (size_t i = 0; i < prefix_len[w]; i++)
			prefixes[w][i] = (char)(rnd_below(3) ? 'a' : small_byte());
	}

	for (size_t i = 0; i < NVALUES; i++) {
		struct item *it = &items[i];
		gen_value(&a, &it->v);
		dh_buf_reset(&b);
		if (dh_value_encode(&b, &it->v, &it->spilled)) {
			roundtrip = 0;
			tap_diag("encode failed for %s", edn(&it->v, h1, sizeof(h1)));
			continue;
		}
		it->k = xmemdup(b.p, b.len);
		it->kn = b.len;
		ntypes[it->v.type]++;
		nspilled += it->spilled;

		/* (1) round trip, (4) skip, on an exact-size copy */
		struct dh_value d;
		const unsigned char *dg;
		int rc = dh_value_decode(it->k, it->kn, &d, &scratch, &dg);
		if (rc != (int)it->kn || !same_decoded(it, &d) || (it->spilled != (dg != NULL))) {
			if (roundtrip)
				tap_diag("round trip of %s: rc %d",
					 edn(&it->v, h1, sizeof(h1)), rc);
			roundtrip = 0;
		}
		if (dh_value_skip(it->k, it->kn) != (int)it->kn)
			skip = 0;
		if (it->kn > (it->spilled ? DH_VALUE_ENC_MAX : DH_KEY_INLINE_MAX))
			roundtrip = 0;

		/* every proper prefix of a key is refused, never overread */
		size_t step = it->kn > 40 ? 1 + rnd_below(it->kn / 8) : 1;
		for (size_t cut = 0; cut < it->kn; cut += step) {
			unsigned char *p = xmemdup(it->k, cut);
			if (dh_value_skip(p, cut) != DH_ECORRUPT ||
			    dh_value_decode(p, cut, &d, &scratch, NULL) != DH_ECORRUPT) {
				if (trunc)
					tap_diag("prefix %zu of %s accepted", cut,
						 edn(&it->v, h1, sizeof(h1)));
				trunc = 0;
			}
			free(p);
		}

		/* corrupted keys: refused, or canonical (re-encode gives the bytes) */
		for (int r = 0; r < 3; r++) {
			unsigned char *p = xmemdup(it->k, it->kn);
			size_t pn = it->kn;
			int nflip = 1 + (int)rnd_below(3);
			for (int f = 0; f < nflip; f++) {
				size_t at = rnd_below(pn);
				p[at] = rnd_below(2) ? (unsigned char)rnd() : p[at] ^ 1;
			}
			if (rnd_below(3) == 0)
				pn = rnd_below(pn + 1);
			rc = dh_value_decode(p, pn, &d, &scratch, &dg);
			int rs = dh_value_skip(p, pn);
			if (rc != rs || (rc < 0 && rc != DH_ECORRUPT) || rc > (int)pn)
				mutate = 0;
			if (rc > 0 && !dg) {
				dh_buf_reset(&b);
				if (dh_value_encode(&b, &d, NULL) || b.len != (size_t)rc ||
				    memcmp(b.p, p, b.len) != 0) {
					if (mutate)
						tap_diag("non-canonical key accepted as %s",
							 edn(&d, h1, sizeof(h1)));
					mutate = 0;
				}
			}
			free(p);
		}
		if (i % 1000 == 999)
			dh_arena_release(&scratch);
	}
	ok(roundtrip, "decode(encode(v)) == v for %d random values (%d spilled)", NVALUES,
	   nspilled);
	ok(skip, "skip == key length for %d random values", NVALUES);
	ok(trunc, "every truncated key is refused");
	ok(mutate, "corrupted keys are refused or read back canonically");
	for (int t = DH_T_BOOL; t < DH_T__COUNT; t++)
		ok(ntypes[t] > 100, "generated %d values of type %s", ntypes[t],
		   dh_type_name((enum dh_type)t));

	/* (2) key order == value order on random pairs; (3) prefix-free */
	for (long r = 0; r < NPAIRS; r++) {
		struct item *x = &items[rnd_below(NVALUES)];
		/* half of the pairs are of one type, where order is subtle */
		struct item *y;
		int same = (int)rnd_below(2), tries = 0;
		do
			y = &items[rnd_below(NVALUES)];
		while (same && y->v.type != x->v.type && tries++ < 50);
		if (!x->k || !y->k)
			continue;
		int cv = sign(dh_value_cmp(&x->v, &y->v));
		int ck = key_cmp(x->k, x->kn, y->k, y->kn);
		if (sign(dh_value_cmp(&y->v, &x->v)) != -cv)
			order = 0;
		if (same_spill_prefix(x, y)) {
			excepted++;
			if ((cv == 0) != (ck == 0))
				eqkeys = 0;
		} else {
			checked_pairs++;
			if (cv != ck) {
				if (order)
					tap_diag("cmp %d, keys %d: %s vs %s", cv, ck,
						 edn(&x->v, h1, sizeof(h1)),
						 edn(&y->v, h2, sizeof(h2)));
				order = 0;
			}
		}
		if (ck == 0)
			continue;
		size_t m = x->kn < y->kn ? x->kn : y->kn;
		if (memcmp(x->k, y->k, m) == 0)
			prefixfree = 0; /* one key is a proper prefix of the other */
		unsigned char ex[DH_VALUE_ENC_MAX + 8], ey[DH_VALUE_ENC_MAX + 8];
		size_t sx = rnd_below(9), sy = rnd_below(9);
		memcpy(ex, x->k, x->kn);
		memcpy(ey, y->k, y->kn);
		for (size_t j = 0; j < sx; j++)
			ex[x->kn + j] = (unsigned char)rnd();
		for (size_t j = 0; j < sy; j++)
			ey[y->kn + j] = (unsigned char)rnd();
		if (key_cmp(ex, x->kn + sx, ey, y->kn + sy) != ck)
			prefixfree = 0;
		if (dh_value_skip(ex, x->kn + sx) != (int)x->kn)
			prefixfree = 0;
	}
	ok(order, "key order == dh_value_cmp on %ld random pairs (%ld same-prefix spills)",
	   checked_pairs, excepted);
	ok(eqkeys, "spilled values with a shared prefix: equal keys iff equal values");
	ok(prefixfree, "keys are prefix-free: suffixes never change their order");

	/* sorted neighbours */
	qsort(items, NVALUES, sizeof(*items), item_cmp);
	for (size_t i = 1; i < NVALUES; i++) {
		struct item *x = &items[i - 1], *y = &items[i];
		if (!x->k || !y->k || same_spill_prefix(x, y))
			continue;
		int cv = sign(dh_value_cmp(&x->v, &y->v));
		int ck = key_cmp(x->k, x->kn, y->k, y->kn);
		if (cv > 0 || ck != cv) {
			if (sorted)
				tap_diag("neighbours %s, %s: cmp %d keys %d",
					 edn(&x->v, h1, sizeof(h1)), edn(&y->v, h2, sizeof(h2)), cv,
					 ck);
			sorted = 0;
		}
	}
	ok(sorted, "sorted by dh_value_cmp, keys ascend too");

	/* UTF-8 byte order is code point order */
	int cp_order = 1;
	for (int r = 0; r < 20000; r++) {
		unsigned char s1[16], s2[16];
		uint32_t c1[4], c2[4];
		size_t n1 = 0, n2 = 0, k = 1 + rnd_below(3);
		for (size_t j = 0; j < k; j++) {
			c1[j] = rnd_codepoint();
			c2[j] = rnd_below(2) ? c1[j] : rnd_codepoint();
			n1 += put_utf8(s1 + n1, c1[j]);
			n2 += put_utf8(s2 + n2, c2[j]);
		}
		int want = 0;
		for (size_t j = 0; j < k && !want; j++)
			want = c1[j] < c2[j] ? -1 : c1[j] > c2[j];
		struct dh_value x = v_str(DH_T_STRING, (char *)s1, n1),
				y = v_str(DH_T_STRING, (char *)s2, n2);
		if (sign(dh_value_cmp(&x, &y)) != want)
			cp_order = 0;
	}
	ok(cp_order, "UTF-8 strings compare in code point order");

	for (size_t i = 0; i < NVALUES; i++)
		free(items[i].k);
	free(items);
	dh_buf_release(&b);
	dh_arena_release(&scratch);
	dh_arena_release(&a);
}

int
main(void)
{
	const char *s = getenv("DH_SEED");
	uint64_t seed = (uint64_t)time(NULL) ^ ((uint64_t)getpid() << 32);
	if (s)
		seed = strtoull(s, NULL, 0);
	rng = seed;
	tap_diag("seed %llu (set DH_SEED to repeat)", (unsigned long long)seed);

	test_type_names();
	test_exact_encodings();
	test_encode_errors();
	test_order_table();
	test_spill();
	test_decode_errors();
	test_bigdec_parse();
	test_bigdec_cmp();
	test_double_format();
	test_instants();
	test_uuid();
	test_base64();
	test_print_edn();
	test_properties();
	return tap_done();
}
