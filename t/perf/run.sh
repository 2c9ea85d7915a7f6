#!/bin/sh
# make perf: run each benchmark once, side by side with its peer, and print
# the table.  DH_PERF_N overrides the datom count (default 1,000,000).
set -e
b=${DH_BUILD_DIR:-.}
echo "# dh store benchmarks ($(date -u +%Y-%m-%dT%H:%M:%SZ), $(nproc) cpus)"
"$b/t/perf/bench-store" -n "${DH_PERF_N:-1000000}" -r "${DH_PERF_REPS:-3}" -d "${TMPDIR:-/tmp}"
