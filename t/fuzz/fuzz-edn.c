/*
 * fuzz-edn: libFuzzer target for the EDN reader and printer.  Whatever the
 * bytes, parsing must not crash or read past the input; whatever parses must
 * print, and the printed text must read back equal (the round trip the REPL
 * and the wire rely on).  dh_edn_complete sees the same bytes.
 *
 * mk/fuzz.am builds it with libFuzzer (t/fuzz/fuzz-edn, which make check
 * and make fuzz run with -dict=t/fuzz/edn.dict over t/fuzz/corpus-edn), and
 * with replay.c's main() instead (t/fuzz/fuzz-edn-replay FILE|DIR...), so
 * any build reruns the corpus or a crash file.
 */
#include <assert.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "edn.h"
#include "util.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct dh_arena a;
	struct dh_edn *x, *y;
	struct dh_err err;
	struct dh_buf b;
	int rc;

	dh_arena_init(&a);
	dh_buf_init(&b, 0);
	(void)dh_edn_complete((const char *)data, size);
	rc = dh_edn_parse_all(&a, (const char *)data, size, &x, &err);
	if (rc) {
		assert(rc == DH_EBADEDN || rc == DH_ETOOLONG);
		assert(!x);
		assert(err.position >= 1 && (size_t)err.position <= size + 1);
		assert(err.message[0]);
		goto out;
	}
	assert(x && x->kind == DH_EDN_VECTOR);
	/* print the forms one by one: printing the wrapper vector would add a
	 * level and push a form nested DH_EDN_MAX_DEPTH deep over the limit */
	for (size_t i = 0; i < x->coll.n; i++) {
		if (i)
			dh_buf_addc(&b, '\n');
		rc = dh_edn_print(&b, x->coll.items[i]);
		assert(rc == 0);
	}
	rc = dh_edn_parse_all(&a, (const char *)b.p, b.len, &y, &err);
	if (rc) {
		fprintf(stderr, "printed form does not read back: %s at %d\n%s\n", err.message,
			err.position, (char *)b.p);
		abort();
	}
	if (!dh_edn_equal(x, y) || !dh_edn_equal(y, x)) {
		fprintf(stderr, "round trip differs:\n%s\n", (char *)b.p);
		abort();
	}
	assert(dh_edn_complete((const char *)b.p, b.len));
out:
	dh_buf_release(&b);
	dh_arena_release(&a);
	return 0;
}
