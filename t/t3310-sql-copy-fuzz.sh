#!/bin/sh
# t3310: COPY's line reader and field parsers, fuzz-ish (dh-test-tool
# copy-fuzz): random rows of delimiters, quotes, backslashes, line ends,
# dots and NULLs copied out (text and csv, several options), copied back
# in with the data cut into random pieces, copied out again must give the
# same bytes; random bytes copied in end in success or an error, never a
# crash.  PostgreSQL's own answers are t4610's.
test_description='COPY: out, in (in random pieces) and out again give the same bytes'
. "$(dirname "$0")/lib.sh"

for seed in 1 2 3; do
	test_expect_success "copy-fuzz, seed $seed" '
		dh-test-tool copy-fuzz f$seed.store '"$seed"' 300 >out &&
		grep "^ok 300$" out
	'
done

test_done
