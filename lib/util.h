/*
 * util: the bottom of libdh.  Allocation that aborts on failure, arenas with
 * named lifetimes, a growable byte buffer with a hard cap, and the error
 * record every fallible function fills.
 *
 * Calling sequence:
 *   struct dh_arena a; dh_arena_init(&a); p = dh_arena_alloc(&a, n); ...
 *   dh_arena_release(&a);            frees everything allocated from it
 *   struct dh_buf b; dh_buf_init(&b, cap); dh_buf_add(&b, p, n) ...
 *   dh_buf_release(&b);
 *   struct dh_err e = {0}; rc = dh_something(..., &e); if (rc) use e.
 *
 * Nothing here prints or exits, except xmalloc and friends, which abort on
 * allocation failure (there is no useful recovery; see CONVENTIONS).
 */
#ifndef DH_UTIL_H
#define DH_UTIL_H

#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "errcodes.h"

#if defined(__GNUC__)
#define DH_PRINTF(f, a) __attribute__((format(printf, f, a)))
#define DH_NORETURN __attribute__((noreturn))
#else
#define DH_PRINTF(f, a)
#define DH_NORETURN
#endif

#define DH_ARRAY_SIZE(x) (sizeof(x) / sizeof((x)[0]))

/* --- allocation: never returns NULL --- */
void *xmalloc(size_t n);
void *xcalloc(size_t nmemb, size_t size);
void *xrealloc(void *p, size_t n);
char *xstrdup(const char *s);
char *xstrndup(const char *s, size_t n);
void *xmemdup(const void *p, size_t n);
DH_NORETURN void dh_die_oom(size_t n);

/* --- arenas: many small allocations, freed whole --- */
struct dh_arena_block;
struct dh_arena {
	struct dh_arena_block *head;
	size_t total; /* bytes handed out, for statistics */
};
void dh_arena_init(struct dh_arena *a);
/* Memory aligned for any type; never NULL; zeroed when _zalloc. */
void *dh_arena_alloc(struct dh_arena *a, size_t n);
void *dh_arena_zalloc(struct dh_arena *a, size_t n);
char *dh_arena_strndup(struct dh_arena *a, const char *s, size_t n);
char *dh_arena_strdup(struct dh_arena *a, const char *s);
void *dh_arena_memdup(struct dh_arena *a, const void *p, size_t n);
char *dh_arena_printf(struct dh_arena *a, const char *fmt, ...) DH_PRINTF(2, 3);
/* Free every block; the arena is then empty and may be reused. */
void dh_arena_release(struct dh_arena *a);

/* --- growable buffer with a hard cap --- */
struct dh_buf {
	unsigned char *p; /* NUL-terminated for convenience (not counted in len) */
	size_t len, alloc;
	size_t cap; /* hard limit on len; 0 means DH_BUF_DEFAULT_CAP */
	int overflow; /* set once an append would have passed cap */
};
#define DH_BUF_DEFAULT_CAP ((size_t)1 << 30)
void dh_buf_init(struct dh_buf *b, size_t cap);
/* Append; on passing the cap, appends nothing, sets b->overflow and returns
 * DH_ETOOLONG.  Otherwise 0. */
int dh_buf_add(struct dh_buf *b, const void *p, size_t n);
int dh_buf_addc(struct dh_buf *b, int c);
int dh_buf_adds(struct dh_buf *b, const char *s);
/* s between two q's, each q inside doubled: SQL's "identifier" (q '"') or
 * 'literal' (q '\''). */
int dh_buf_add_quoted(struct dh_buf *b, const char *s, char q);
int dh_buf_printf(struct dh_buf *b, const char *fmt, ...) DH_PRINTF(2, 3);
int dh_buf_vprintf(struct dh_buf *b, const char *fmt, va_list ap);
void dh_buf_reset(struct dh_buf *b); /* len = 0, keep memory */
void dh_buf_release(struct dh_buf *b);
/* Append big-endian integers (keys sort by them). */
int dh_buf_add_u64be(struct dh_buf *b, uint64_t v);
int dh_buf_add_u32be(struct dh_buf *b, uint32_t v);
/* Hand over the contents (NUL-terminated, caller frees); b is reset. */
char *dh_buf_detach(struct dh_buf *b, size_t *len);

/* --- errors ---
 * The fields are those of a PostgreSQL ErrorResponse.  code is a negative
 * DH_E* value (see errcodes.h); sqlstate is filled from it by dh_err_set. */
struct dh_err {
	int code;
	char sqlstate[6];
	char message[1024];
	char detail[1024];
	char hint[512];
	char context[512]; /* where: "JSON data, line 1: ..." (PostgreSQL's CONTEXT) */
	int position; /* 1-based character position in the input, 0 if none */
};
/* Fill e (if not NULL) and return code, so callers can write
 *   return dh_err_set(e, DH_EBADEDN, "...", ...);
 * message follows the style rules: lower case, no trailing period. */
int dh_err_set(struct dh_err *e, int code, const char *fmt, ...) DH_PRINTF(3, 4);
int dh_err_vset(struct dh_err *e, int code, const char *fmt, va_list ap);
/* An SQL error with its own SQLSTATE (five characters, e.g. "23502"):
 * code DH_ESQL, e->sqlstate as given.  SQL code uses it for the many
 * states PostgreSQL has that no DH_E* code names. */
/* 57014 for a statement stopped by its cancel flag, by the flag's value:
 * DH_CANCEL_TIMEOUT "canceling statement due to statement timeout", else
 * "canceling statement due to user request".  Returns DH_ECANCELED. */
#define DH_CANCEL_USER 1
#define DH_CANCEL_TIMEOUT 2
int dh_err_canceled(struct dh_err *e, int why);
int dh_err_sql(struct dh_err *e, const char *sqlstate, const char *fmt, ...) DH_PRINTF(3, 4);
void dh_err_detail(struct dh_err *e, const char *fmt, ...) DH_PRINTF(2, 3);
void dh_err_hint(struct dh_err *e, const char *fmt, ...) DH_PRINTF(2, 3);
void dh_err_context(struct dh_err *e, const char *fmt, ...) DH_PRINTF(2, 3);
void dh_err_clear(struct dh_err *e);
/* Text and SQLSTATE of a DH_E* code (generated from errcodes.txt). */
const char *dh_strerror(int code);
const char *dh_sqlstate(int code);

/* --- small helpers --- */
/* The value of hex digit c (either case), or -1. */
static inline int dh_hexval(int c)
{
	if (c >= '0' && c <= '9')
		return c - '0';
	if (c >= 'a' && c <= 'f')
		return c - 'a' + 10;
	if (c >= 'A' && c <= 'F')
		return c - 'A' + 10;
	return -1;
}
/* Big-endian integers: keys sort as their bytes.  A byte loop that GCC at
 * -O2 does not turn into one load and a byte swap (decoding keys showed in
 * scan profiles), hence the builtin where there is one. */
#if defined(__GNUC__) && defined(__BYTE_ORDER__) && __BYTE_ORDER__ == __ORDER_LITTLE_ENDIAN__
static inline void dh_put_u64be(unsigned char *p, uint64_t v)
{
	v = __builtin_bswap64(v);
	memcpy(p, &v, sizeof(v));
}
static inline uint64_t dh_get_u64be(const unsigned char *p)
{
	uint64_t v;
	memcpy(&v, p, sizeof(v));
	return __builtin_bswap64(v);
}
#else
static inline void dh_put_u64be(unsigned char *p, uint64_t v)
{
	for (int i = 7; i >= 0; i--) {
		p[i] = (unsigned char)v;
		v >>= 8;
	}
}
static inline uint64_t dh_get_u64be(const unsigned char *p)
{
	uint64_t v = 0;
	for (int i = 0; i < 8; i++)
		v = (v << 8) | p[i];
	return v;
}
#endif
static inline void dh_put_u32be(unsigned char *p, uint32_t v)
{
	p[0] = (unsigned char)(v >> 24);
	p[1] = (unsigned char)(v >> 16);
	p[2] = (unsigned char)(v >> 8);
	p[3] = (unsigned char)v;
}
static inline uint32_t dh_get_u32be(const unsigned char *p)
{
	return (uint32_t)p[0] << 24 | (uint32_t)p[1] << 16 | (uint32_t)p[2] << 8 | p[3];
}
/* FNV-1a over n bytes: the hash of the library's own hash tables. */
static inline uint64_t dh_hash_bytes(const void *p, size_t n)
{
	const unsigned char *b = p;
	uint64_t h = 1469598103934665603ull;
	for (size_t i = 0; i < n; i++)
		h = (h ^ b[i]) * 1099511628211ull;
	return h;
}
/* Wall clock in microseconds since the Unix epoch, UTC. */
int64_t dh_now_us(void);
/* Monotonic clock in nanoseconds, for timing. */
uint64_t dh_mono_ns(void);

#include "banned.h"

#endif
