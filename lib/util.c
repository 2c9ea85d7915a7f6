/*
 * util: allocation, arenas, buffers, errors.  See util.h.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "util.h"

void
dh_die_oom(size_t n)
{
	char msg[96];
	int len = snprintf(msg, sizeof(msg), "dh: out of memory allocating %zu bytes\n", n);
	if (len > 0 && write(2, msg, (size_t)len) < 0)
		abort();
	abort();
}

void *
xmalloc(size_t n)
{
	void *p = malloc(n ? n : 1);
	if (!p)
		dh_die_oom(n);
	return p;
}

void *
xcalloc(size_t nmemb, size_t size)
{
	void *p = calloc(nmemb ? nmemb : 1, size ? size : 1);
	if (!p)
		dh_die_oom(nmemb * size);
	return p;
}

void *
xrealloc(void *p, size_t n)
{
	void *q = realloc(p, n ? n : 1);
	if (!q)
		dh_die_oom(n);
	return q;
}

char *
xstrdup(const char *s)
{
	return xmemdup(s, strlen(s) + 1);
}

char *
xstrndup(const char *s, size_t n)
{
	size_t len = strnlen(s, n);
	char *p = xmalloc(len + 1);
	memcpy(p, s, len);
	p[len] = 0;
	return p;
}

void *
xmemdup(const void *p, size_t n)
{
	void *q = xmalloc(n);
	if (n)
		memcpy(q, p, n);
	return q;
}

/* --- arenas --- */

struct dh_arena_block {
	struct dh_arena_block *next;
	size_t size, used;
	max_align_t data[];
};

#define ARENA_BLOCK 8192
#define ALIGN(n) (((n) + sizeof(max_align_t) - 1) & ~(sizeof(max_align_t) - 1))

void
dh_arena_init(struct dh_arena *a)
{
	a->head = NULL;
	a->total = 0;
}

void *
dh_arena_alloc(struct dh_arena *a, size_t n)
{
	struct dh_arena_block *b = a->head;
	n = ALIGN(n ? n : 1);
	if (!b || b->size - b->used < n) {
		size_t size = n > ARENA_BLOCK / 4 ? n : ARENA_BLOCK;
		struct dh_arena_block *nb = xmalloc(sizeof(*nb) + size);
		nb->size = size;
		nb->used = 0;
		if (b && size == n) {
			/* a big one-off: keep the current block for small ones */
			nb->next = b->next;
			b->next = nb;
			nb->used = n;
			a->total += n;
			return nb->data;
		}
		nb->next = b;
		a->head = b = nb;
	}
	void *p = (char *)b->data + b->used;
	b->used += n;
	a->total += n;
	return p;
}

void *
dh_arena_zalloc(struct dh_arena *a, size_t n)
{
	void *p = dh_arena_alloc(a, n);
	memset(p, 0, n);
	return p;
}

char *
dh_arena_strndup(struct dh_arena *a, const char *s, size_t n)
{
	char *p = dh_arena_alloc(a, n + 1);
	memcpy(p, s, n);
	p[n] = 0;
	return p;
}

char *
dh_arena_strdup(struct dh_arena *a, const char *s)
{
	return dh_arena_strndup(a, s, strlen(s));
}

void *
dh_arena_memdup(struct dh_arena *a, const void *p, size_t n)
{
	void *q = dh_arena_alloc(a, n);
	if (n)
		memcpy(q, p, n);
	return q;
}

char *
dh_arena_printf(struct dh_arena *a, const char *fmt, ...)
{
	va_list ap, ap2;
	va_start(ap, fmt);
	va_copy(ap2, ap);
	int n = vsnprintf(NULL, 0, fmt, ap);
	va_end(ap);
	if (n < 0)
		n = 0;
	char *p = dh_arena_alloc(a, (size_t)n + 1);
	vsnprintf(p, (size_t)n + 1, fmt, ap2);
	va_end(ap2);
	return p;
}

void
dh_arena_release(struct dh_arena *a)
{
	struct dh_arena_block *b = a->head;
	while (b) {
		struct dh_arena_block *next = b->next;
		free(b);
		b = next;
	}
	a->head = NULL;
	a->total = 0;
}

/* --- buffers --- */

static unsigned char buf_empty[1];

void
dh_buf_init(struct dh_buf *b, size_t cap)
{
	b->p = buf_empty;
	b->len = b->alloc = 0;
	b->cap = cap ? cap : DH_BUF_DEFAULT_CAP;
	b->overflow = 0;
}

static int
buf_grow(struct dh_buf *b, size_t extra)
{
	if (extra > b->cap || b->len > b->cap - extra) {
		b->overflow = 1;
		return DH_ETOOLONG;
	}
	size_t need = b->len + extra + 1;
	if (need > b->alloc) {
		size_t n = b->alloc ? b->alloc : 64;
		while (n < need)
			n = n * 3 / 2 + 16;
		b->p = xrealloc(b->alloc ? b->p : NULL, n);
		b->alloc = n;
	}
	return 0;
}

int
dh_buf_add(struct dh_buf *b, const void *p, size_t n)
{
	if (buf_grow(b, n))
		return DH_ETOOLONG;
	if (n)
		memcpy(b->p + b->len, p, n);
	b->len += n;
	b->p[b->len] = 0;
	return 0;
}

int
dh_buf_addc(struct dh_buf *b, int c)
{
	unsigned char ch = (unsigned char)c;
	return dh_buf_add(b, &ch, 1);
}

int
dh_buf_adds(struct dh_buf *b, const char *s)
{
	return dh_buf_add(b, s, strlen(s));
}

int
dh_buf_add_quoted(struct dh_buf *b, const char *s, char q)
{
	int rc = dh_buf_addc(b, q);
	for (const char *p = s; *p && rc == 0; p++) {
		if (*p == q)
			rc = dh_buf_addc(b, q);
		if (rc == 0)
			rc = dh_buf_addc(b, *p);
	}
	return rc ? rc : dh_buf_addc(b, q);
}

int
dh_buf_vprintf(struct dh_buf *b, const char *fmt, va_list ap)
{
	va_list ap2;
	va_copy(ap2, ap);
	int n = vsnprintf(NULL, 0, fmt, ap2);
	va_end(ap2);
	if (n < 0)
		return DH_EINTERNAL;
	if (buf_grow(b, (size_t)n))
		return DH_ETOOLONG;
	vsnprintf((char *)b->p + b->len, (size_t)n + 1, fmt, ap);
	b->len += (size_t)n;
	return 0;
}

int
dh_buf_printf(struct dh_buf *b, const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	int rc = dh_buf_vprintf(b, fmt, ap);
	va_end(ap);
	return rc;
}

int
dh_buf_add_u64be(struct dh_buf *b, uint64_t v)
{
	unsigned char p[8];
	dh_put_u64be(p, v);
	return dh_buf_add(b, p, 8);
}

int
dh_buf_add_u32be(struct dh_buf *b, uint32_t v)
{
	unsigned char p[4];
	dh_put_u32be(p, v);
	return dh_buf_add(b, p, 4);
}

void
dh_buf_reset(struct dh_buf *b)
{
	b->len = 0;
	b->overflow = 0;
	if (b->alloc)
		b->p[0] = 0;
}

void
dh_buf_release(struct dh_buf *b)
{
	if (b->alloc)
		free(b->p);
	dh_buf_init(b, b->cap);
}

char *
dh_buf_detach(struct dh_buf *b, size_t *len)
{
	char *p;
	if (len)
		*len = b->len;
	if (b->alloc)
		p = (char *)b->p;
	else
		p = xstrdup("");
	dh_buf_init(b, b->cap);
	return p;
}

/* --- errors --- */

int
dh_err_vset(struct dh_err *e, int code, const char *fmt, va_list ap)
{
	if (!e)
		return code;
	/* the arguments may point into e->message itself (an error passed on
	 * with more context or a position: "%s", e->message): format aside */
	char msg[sizeof(e->message)];
	vsnprintf(msg, sizeof(msg), fmt, ap);
	e->code = code;
	memcpy(e->sqlstate, dh_sqlstate(code), 6);
	memcpy(e->message, msg, sizeof(msg));
	e->detail[0] = e->hint[0] = e->context[0] = 0;
	e->position = 0;
	return code;
}

int
dh_err_set(struct dh_err *e, int code, const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	dh_err_vset(e, code, fmt, ap);
	va_end(ap);
	return code;
}

int
dh_err_canceled(struct dh_err *e, int why)
{
	dh_err_set(e, DH_ECANCELED, "%s",
		   why == DH_CANCEL_TIMEOUT ? "canceling statement due to statement timeout"
					    : "canceling statement due to user request");
	if (e)
		memcpy(e->sqlstate, "57014", 6);
	return DH_ECANCELED;
}

int
dh_err_sql(struct dh_err *e, const char *sqlstate, const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	dh_err_vset(e, DH_ESQL, fmt, ap);
	va_end(ap);
	if (e && sqlstate && strlen(sqlstate) == 5)
		memcpy(e->sqlstate, sqlstate, 6);
	return DH_ESQL;
}

void
dh_err_detail(struct dh_err *e, const char *fmt, ...)
{
	if (!e)
		return;
	va_list ap;
	va_start(ap, fmt);
	vsnprintf(e->detail, sizeof(e->detail), fmt, ap);
	va_end(ap);
}

void
dh_err_hint(struct dh_err *e, const char *fmt, ...)
{
	if (!e)
		return;
	va_list ap;
	va_start(ap, fmt);
	vsnprintf(e->hint, sizeof(e->hint), fmt, ap);
	va_end(ap);
}

void
dh_err_context(struct dh_err *e, const char *fmt, ...)
{
	if (!e)
		return;
	va_list ap;
	va_start(ap, fmt);
	vsnprintf(e->context, sizeof(e->context), fmt, ap);
	va_end(ap);
}

void
dh_err_clear(struct dh_err *e)
{
	if (e)
		memset(e, 0, sizeof(*e));
}

int64_t
dh_now_us(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_REALTIME, &ts);
	return (int64_t)ts.tv_sec * 1000000 + ts.tv_nsec / 1000;
}

uint64_t
dh_mono_ns(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (uint64_t)ts.tv_sec * 1000000000u + (uint64_t)ts.tv_nsec;
}
