#!/bin/sh
# t8000: the fuzz targets of t/fuzz/ (mk/fuzz.am).  Each corpus replays clean
# through the target built by the ordinary compiler, in every build (so the
# seeds and the reproducers of fixed bugs are regression tests, also under
# --enable-sanitizers).  Where configure found libFuzzer, each target then
# fuzzes for DH_FUZZ_CHECK_TIME seconds (20) under ASan and UBSan, its crash
# files kept in this script's scratch directory; without libFuzzer those
# tests are skipped, with the reason.  DH_FUZZ_REQUIRED=1 makes a missing
# libFuzzer a failure instead (for CI, which installs clang).  The targets
# are DH_FUZZ_NAMES (make check passes mk/*.am's FUZZ_NAMES), else edn query.
test_description='fuzz targets: the corpora replay clean, and libFuzzer finds nothing in a short run'
. "$(dirname "$0")/lib.sh"

fz=$DH_BUILD_DIR/t/fuzz
corpora=$DH_SRC_DIR/t/fuzz
# make check passes what configure found; by hand, use what was built
if test "${DH_FUZZ_CC+set}" != set; then
	if test -x "$fz/fuzz-edn" && test -x "$fz/fuzz-query"; then
		DH_FUZZ_CC=built
	else
		DH_FUZZ_CC= DH_FUZZ_WHY="t/fuzz/fuzz-edn and fuzz-query are not built (make check builds them)"
	fi
fi
time=${DH_FUZZ_CHECK_TIME:-20}
flags=${DH_FUZZ_RUN_FLAGS:--timeout=10 -rss_limit_mb=2048 -max_len=4096 -print_final_stats=1}

for t in ${DH_FUZZ_NAMES:-edn query}; do
	test_expect_success "corpus-$t replays clean" '
		TMPDIR=$PWD "$fz/fuzz-$t-replay" "$corpora/corpus-$t" >replay-$t.out &&
		ls "$corpora/corpus-$t" >files &&
		test_line_count -eq "$(wc -l <files)" replay-$t.out &&
		! grep -v ": ok\$" replay-$t.out
	'
done

# fuzz T: run libFuzzer target T for $time seconds.  New inputs go to
# new-T/ here, never into the source tree, and so does fuzz-query's store
# (TMPDIR), should a crash leave it behind; on a failure, show the end of
# the log and where the reproducer is.  libFuzzer reports sanitizer errors
# itself, so ASan and UBSan are told to stop but not to abort.
fuzz() {
	mkdir -p "new-$1" &&
	if TMPDIR=$PWD ASAN_OPTIONS=detect_leaks=1 \
		UBSAN_OPTIONS=print_stacktrace=1:halt_on_error=1 "$fz/fuzz-$1" $flags -max_total_time="$time" -dict="$corpora/$1.dict" \
		-artifact_prefix="$PWD/" "new-$1" "$corpora/corpus-$1" >"fuzz-$1.log" 2>&1
	then
		return 0
	fi
	tail -n 40 "fuzz-$1.log"
	for f in crash-* leak-* timeout-* oom-* slow-unit-*; do
		test -f "$f" || continue
		echo "reproducer: $PWD/$f"
		echo "replay it:  $fz/fuzz-$1-replay $PWD/$f"
	done
	return 1
}

for t in ${DH_FUZZ_NAMES:-edn query}; do
	desc="libFuzzer: fuzz-$t for $time s finds nothing"
	if test -z "$DH_FUZZ_CC"; then
		if test "${DH_FUZZ_REQUIRED:-}" = 1; then
			test_expect_success "$desc" '
				echo "no libFuzzer: ${DH_FUZZ_WHY:-configure found none}, and DH_FUZZ_REQUIRED=1" &&
				false
			'
		else
			test_skip "$desc" "no libFuzzer: ${DH_FUZZ_WHY:-configure found none}"
		fi
		continue
	fi
	test_expect_success "$desc" 'fuzz $t'
	# the run's numbers, for the log of make check
	stats=$(grep "DONE" "fuzz-$t.log" 2>/dev/null | tail -n 1)
	test -z "$stats" || test_diag "fuzz-$t: $stats"
done
test_done
