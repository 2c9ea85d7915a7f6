#!/bin/sh
# make perf: run each benchmark once, side by side with its peer, and print
# the table.  DH_PERF_N overrides the datom count (default 1,000,000).
#
# Then DataScript's own query benchmark (20,000 persons; see
# t/perf/bench-query.c and t/perf/datascript/bench.js): dh against DataScript
# on node, when node and npm are there.  DH_PERF_SEED picks the dataset
# (default 42), DH_PERF_MIN_S the seconds of warm-up and of timed runs per
# query (default 0.5).
#
# Last the SQL benchmark (t/perf/sql/README): dh-query against sqlite3 and
# psql over a throwaway PostgreSQL 15; DH_PERF_SCALE sizes it (default 1:
# 1,000,000 items).  It fails make perf when the engines disagree.
set -e
b=${DH_BUILD_DIR:-.}
src=$(cd "$(dirname "$0")" && pwd)
echo "# dh store benchmarks ($(date -u +%Y-%m-%dT%H:%M:%SZ), $(nproc) cpus)"
"$b/t/perf/bench-store" -n "${DH_PERF_N:-1000000}" -r "${DH_PERF_REPS:-3}" -d "${TMPDIR:-/tmp}"

# ------------------------------------------------ DataScript's query benchmark
seed=${DH_PERF_SEED:-42}
min_s=${DH_PERF_MIN_S:-0.5}
w=$b/t/perf/datascript
mkdir -p "$w"
echo
echo "# DataScript's query benchmark: 20000 persons, seed $seed, median ms per run"
ds=
if ! command -v node >/dev/null 2>&1 || ! command -v npm >/dev/null 2>&1; then
	echo "# DataScript comparison skipped: node or npm not found"
else
	cp "$src/datascript/package.json" "$src/datascript/package-lock.json" \
		"$src/datascript/bench.js" "$w/"
	# npm ci starts from scratch: only when the installed lock is not ours
	if cmp -s "$w/package-lock.json" "$w/node_modules/.dh-package-lock.json" &&
		[ -f "$w/node_modules/datascript/package.json" ] ||
		{ npm ci --prefix "$w" --no-audit --no-fund >"$w/npm.log" 2>&1 &&
			cp "$w/package-lock.json" "$w/node_modules/.dh-package-lock.json"; }; then
		if (cd "$w" && node bench.js --seed "$seed" --min-s "$min_s" --edn persons.edn) \
			>"$w/datascript.out"; then
			ds=$w/datascript.out
		else
			echo "# DataScript comparison skipped: bench.js failed"
		fi
	else
		echo "# DataScript comparison skipped: npm ci failed (see $w/npm.log)"
	fi
fi

if [ -n "$ds" ]; then
	# both sides must load the same datoms: bench-query's own generator
	# has to write what bench.js wrote
	"$b/t/perf/bench-query" -s "$seed" -w "$w/persons-dh.edn"
	if ! cmp -s "$w/persons.edn" "$w/persons-dh.edn"; then
		echo "# WARNING: bench.js and bench-query generate different datasets"
	fi
	"$b/t/perf/bench-query" -f "$w/persons.edn" -t "$min_s" -d "${TMPDIR:-/tmp}" >"$w/dh.out"
	grep '^#' "$ds" || :
else
	"$b/t/perf/bench-query" -s "$seed" -t "$min_s" -d "${TMPDIR:-/tmp}" >"$w/dh.out"
	ds=/dev/null
fi

# NAME MEDIAN_MS ROWS CHECKSUM RUNS from each side, joined on NAME
awk -v have_ds="$([ "$ds" = /dev/null ] && echo 0 || echo 1)" -v dh="$w/dh.out" '
/^#/ { next }
FILENAME != dh { dsms[$1] = $2; dsrows[$1] = $3; dssum[$1] = $4; next }
!header++ {
	printf "%-10s %12s %14s %9s %8s %8s  %s\n", "query", "dh ms", "DataScript ms",
		"dh/DS", "dh rows", "DS rows", "same answer"
}
{
	if (have_ds && ($1 in dsms)) {
		same = "yes"
		if ($3 != dsrows[$1] || $4 != dssum[$1])
			same = "NO (checksum dh " $4 ", DataScript " dssum[$1] ")"
		printf "%-10s %12.3f %14.3f %8.2fx %8d %8d  %s\n", $1, $2, dsms[$1],
			(dsms[$1] > 0 ? $2 / dsms[$1] : 0), $3, dsrows[$1], same
	} else
		printf "%-10s %12.3f %14s %9s %8d %8s\n", $1, $2, "-", "-", $3, "-"
}' "$ds" "$w/dh.out"

# ------------------------------------------------ the SQL benchmark
echo
bash "$src/sql/run.sh"
