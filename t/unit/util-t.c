/* util-t: arenas, capped buffers and error records. */
#include "util.h"
#include "tap.h"

int
main(void)
{
	struct dh_arena a;
	dh_arena_init(&a);
	char *p = dh_arena_alloc(&a, 10);
	ok(((uintptr_t)p % sizeof(max_align_t)) == 0, "arena memory is aligned");
	char *big = dh_arena_alloc(&a, 100000);
	big[99999] = 1;
	is_str(dh_arena_printf(&a, "%d-%s", 42, "x"), "42-x", "arena printf");
	is_str(dh_arena_strndup(&a, "hello", 3), "hel", "arena strndup");
	dh_arena_release(&a);
	ok(a.head == NULL, "released arena is empty");

	struct dh_buf b;
	dh_buf_init(&b, 8);
	is_int(dh_buf_adds(&b, "12345678"), 0, "buffer takes up to its cap");
	is_int(dh_buf_addc(&b, '9'), DH_ETOOLONG, "buffer refuses to pass its cap");
	ok(b.overflow && b.len == 8, "overflow is recorded and nothing appended");
	dh_buf_release(&b);
	dh_buf_init(&b, 0);
	dh_buf_printf(&b, "%s=%d", "n", 7);
	is_str((char *)b.p, "n=7", "buffer printf");
	size_t n;
	char *s = dh_buf_detach(&b, &n);
	is_int(n, 3, "detach returns the length");
	free(s);

	struct dh_err e;
	dh_err_clear(&e);
	int rc = dh_err_set(&e, DH_ENODB, "database '%s' does not exist", "x");
	is_int(rc, DH_ENODB, "dh_err_set returns the code");
	is_str(e.sqlstate, "3D000", "sqlstate filled from the code");
	is_str(e.message, "database 'x' does not exist", "message formatted");
	is_str(dh_sqlstate(DH_EUNIQUE), "23505", "unique violation is 23505");
	is_str(dh_strerror(DH_ENOATTR), "attribute does not exist", "strerror text");
	is_str(dh_sqlstate(12345), "XX000", "unknown code maps to XX000");
	return tap_done();
}
