#!/bin/bash
# t/perf/serve/run.sh: pgbench against dh-serve and against PostgreSQL 15,
# side by side in one run on this machine.  Both are initialised with
# pgbench -i at the same scale; then, for each protocol mode (simple,
# prepared), client count and script (-S select-only, the default TPC-B-like
# one), pgbench runs for the same time against each server, one after the
# other; and the round trip of SELECT 1.  PostgreSQL runs with its defaults
# for durability (fsync on, synchronous_commit on); dh-serve commits
# durably as always.
#
#	run.sh [-T SECONDS] [-s SCALE] [-c CLIENTS,...] [-M MODE,...]
#
# Reported, never asserted: a markdown table on stdout and in
# $DH_BUILD_DIR/t/perf/serve-results.md, TPS per server and dh/pg ratios.
# Exit 1 when a run fails or reports failed transactions.
if [ -z "${BASH_VERSION:-}" ]; then exec bash "$0" "$@"; fi
set -u
export LC_ALL=C

secs=10 scale=1 clients="1 4" modes="simple prepared"
while getopts T:s:c:M:h opt; do
	case $opt in
	T) secs=$OPTARG ;;
	s) scale=$OPTARG ;;
	c) clients=${OPTARG//,/ } ;;
	M) modes=${OPTARG//,/ } ;;
	*) echo "usage: run.sh [-T SECONDS] [-s SCALE] [-c CLIENTS,...] [-M MODE,...]" >&2
	   exit 2 ;;
	esac
done

here=$(cd "$(dirname "$0")" && pwd)
DH_SRC_DIR=${DH_SRC_DIR:-$(cd "$here/../../.." && pwd)}
DH_BUILD_DIR=${DH_BUILD_DIR:-$PWD}
PATH=$DH_BUILD_DIR/bin:$PATH
export DH_SRC_DIR DH_BUILD_DIR
_die() { :; }
work=$(mktemp -d "${TMPDIR:-/tmp}/dh-perf-serve.XXXXXX")
chmod 755 "$work"
DH_PG_FSYNC=on
export DH_PG_FSYNC
. "$DH_SRC_DIR/t/lib-pg.sh"
pg_start || { echo "run.sh: $pg_why" >&2; exit 1; }
DH_PORT=$(( $(pg_free_port) + 1 ))
while (exec 3<>"/dev/tcp/127.0.0.1/$DH_PORT") 2>/dev/null; do DH_PORT=$((DH_PORT + 1)); done
SERVE_PID=
cleanup() {
	[ -n "$SERVE_PID" ] && kill -TERM "$SERVE_PID" 2>/dev/null && wait "$SERVE_PID"
	pg_stop
	rm -rf "$work"
}
trap cleanup EXIT

dh-admin -s "$work/bench.store" create bench || exit 1
(cd "$work" && exec dh-serve -s bench.store -p "$DH_PORT" >serve.out 2>serve.err) &
SERVE_PID=$!
for _ in $(seq 100); do grep -q "^listening" "$work/serve.out" 2>/dev/null && break; sleep 0.1; done
psql -X -q -h 127.0.0.1 -p "$PGPORT" -d postgres -c "CREATE DATABASE bench" || exit 1

port_of() { if [ "$1" = dh ]; then echo "$DH_PORT"; else echo "$PGPORT"; fi; }
status=0
for e in dh pg; do
	if ! pgbench -i -q -s "$scale" -h 127.0.0.1 -p "$(port_of $e)" -U postgres bench \
		>"$work/init-$e.log" 2>&1; then
		echo "run.sh: pgbench -i against $e failed:" >&2
		tail -5 "$work/init-$e.log" >&2
		exit 1
	fi
done

# one pgbench run: tps (without the initial connection time)
bench() {
	local e=$1 mode=$2 c=$3 script=$4 out=$work/run.log
	if ! pgbench -n -h 127.0.0.1 -p "$(port_of "$e")" -U postgres -M "$mode" -c "$c" -j "$c" \
		-T "$secs" $script bench >"$out" 2>&1; then
		echo "run.sh: pgbench $script -M $mode -c $c against $e failed" >&2
		tail -3 "$out" >&2
		status=1
		echo "-"
		return
	fi
	if ! grep -q "^number of failed transactions: 0 " "$out"; then
		echo "run.sh: failed transactions against $e:" >&2
		grep "failed" "$out" >&2
		status=1
	fi
	sed -n 's/^tps = \([0-9.]*\) (without initial connection time)$/\1/p' "$out"
}

ratio() { awk -v a="$1" -v b="$2" 'BEGIN { if (a + 0 > 0 && b + 0 > 0) printf "%.2fx", a / b; else print "-" }'; }

echo 'SELECT 1;' >"$work/select1.sql"
res=$DH_BUILD_DIR/t/perf/serve-results.md
mkdir -p "$(dirname "$res")"
{
	echo "pgbench scale $scale, $secs s per run, $(nproc) CPUs, $(date -u +%Y-%m-%dT%H:%MZ)"
	echo
	echo "| script | mode | clients | dh-serve tps | PostgreSQL tps | dh/pg |"
	echo "|---|---|--:|--:|--:|--:|"
	for script in "-S" "" "-f $work/select1.sql"; do
		name=${script:-tpcb}
		case $name in -S) name=select-only ;; -f*) name="SELECT 1" ;; esac
		for mode in $modes; do
			for c in $clients; do
				d=$(bench dh "$mode" "$c" "$script")
				p=$(bench pg "$mode" "$c" "$script")
				echo "| $name | $mode | $c | $d | $p | $(ratio "$d" "$p") |"
			done
		done
	done
} | tee "$res"
exit $status
