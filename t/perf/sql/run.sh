#!/bin/bash
# t/perf/sql/run.sh: the SQL benchmark, side by side in one run: dh-query
# against sqlite3 and against psql over a throwaway PostgreSQL 15 cluster
# (t/lib-pg.sh).  Same data, same SQL text, same timing for all three: the
# wall clock of one whole CLI run, the median of several runs.  See README.
#
#	run.sh [-q WORKLOAD]... [-e ENGINE,...] [-n RUNS] [-r] [-k] [-p perf|callgrind]
#
# Reported, never asserted: the table goes to stdout and to
# $DH_BUILD_DIR/t/perf/sql-results.md.  The exit status is 1 when the
# engines disagree on a workload's answer or one of them fails it.
if [ -z "${BASH_VERSION:-}" ]; then exec bash "$0" "$@"; fi
set -u
export LC_ALL=C

WORKLOADS="startup insert point join groupby orderby"
ENGINES="dh sqlite pg"

usage() {
	cat <<EOF
usage: run.sh [-q WORKLOAD]... [-e ENGINE,...] [-n RUNS] [-r] [-k] [-p perf|callgrind]
  -q WORKLOAD  run only this workload (repeatable): ${WORKLOADS// /, }
  -e ENGINES   run only these engines, comma separated: dh, sqlite, pg
  -n RUNS      timed runs per workload, median reported (default 5; insert 3)
  -r           reuse the loaded dh store and SQLite file of an earlier run
               with the same scale and seed (PostgreSQL is always loaded)
  -k           keep the insert workload's last databases
  -p TOOL      then run dh-query once more per workload under perf record
               or valgrind --tool=callgrind; the top functions in
               t/perf/sql/prof/WORKLOAD.top of the build tree
environment: DH_PERF_SCALE (1 = 1,000,000 items), DH_PERF_SEED (42),
  DH_PERF_SQL_RUNS, DH_BUILD_DIR (.), DH_PG_BIN (see t/lib-pg.sh)
EOF
	exit "$1"
}

only_q= only_e= runs=${DH_PERF_SQL_RUNS:-} reuse= keep= prof=
while getopts q:e:n:rkp:h opt; do
	case $opt in
	q) case " $WORKLOADS " in
	   *" $OPTARG "*) only_q="$only_q $OPTARG" ;;
	   *) echo "run.sh: unknown workload '$OPTARG'" >&2; usage 2 ;;
	   esac ;;
	e) only_e=" ${OPTARG//,/ } " ;;
	n) runs=$OPTARG ;;
	r) reuse=1 ;;
	k) keep=1 ;;
	p) case $OPTARG in perf | callgrind) prof=$OPTARG ;; *) usage 2 ;; esac ;;
	h) usage 0 ;;
	*) usage 2 ;;
	esac
done
[ -n "$only_q" ] && WORKLOADS=$only_q
if [ -n "$only_e" ]; then
	for e in $only_e; do
		case " $ENGINES " in *" $e "*) ;; *) echo "run.sh: unknown engine '$e'" >&2; usage 2 ;; esac
	done
	ENGINES=$only_e
fi
case $runs in '' | *[!0-9]* | 0) [ -n "$runs" ] && usage 2 ;; esac

src=$(cd "$(dirname "$0")" && pwd)
top=$(cd "$src/../../.." && pwd)
b=$(cd "${DH_BUILD_DIR:-.}" && pwd)
scale=${DH_PERF_SCALE:-1}
seed=${DH_PERF_SEED:-42}
work=$b/t/perf/sql
results=$b/t/perf/sql-results.md
mkdir -p "$work/out"
: >"$work/commands.sh"
status=0

say() { printf '# %s\n' "$*" >&2; }

# now_us: microseconds, from bash's clock (no process of its own)
now_us() { local t=${EPOCHREALTIME/[.,]/}; echo "${t#0}"; }

# median of the numbers on stdin, to 0.1
median() {
	sort -n | awk '{ v[NR] = $1 }
	END { if (!NR) exit; m = NR % 2 ? v[(NR + 1) / 2] : (v[NR / 2] + v[NR / 2 + 1]) / 2
	      printf "%.1f\n", m }'
}

# first line of a file, for a reason in the table
first_line() { head -n 1 "$1" 2>/dev/null | cut -c 1-120; }

# ------------------------------------------------------------------ the data
data=$work/data-$scale-$seed
stamp="scale=$scale seed=$seed gen=$(cksum <"$src/gen.awk")"
if [ "$(cat "$data/stamp" 2>/dev/null)" != "$stamp" ]; then
	say "generating the data and scripts (scale $scale, seed $seed) in $data"
	rm -rf "$data"
	mkdir -p "$data"
	awk -v scale="$scale" -v seed="$seed" -v out="$data" -f "$src/gen.awk" || exit 1
	echo "$stamp" >"$data/stamp"
fi
size() { awk -v k="$1" '$1 == k { print $2 }' "$data/sizes"; }
n_items=$(size items) n_orders=$(size orders) n_customers=$(size customers)
n_insert=$(size insert) n_point=$(size point)
echo "SELECT 1 AS one;" >"$data/startup.sql"
echo one >"$data/startup.hdr"

# ------------------------------------------------------------------ engines
# For each engine: avail_E (empty or the reason it is not available),
# run_E DB SCRIPT OUT (the CLI, stdout to OUT, stderr to OUT.err), and
# fresh_E DB (an empty database with the schema and its indexes).

sqlite_db=$data/bench.db
dh_store=$data/bench.store
notes=

note() { notes="$notes- $*"$'\n'; say "$*"; }

# Every CLI run is limited (ulimit, set below once PostgreSQL's server is up,
# so it is not limited): a runaway plan fails its row of the table instead
# of taking a shared machine's memory.
cpu_s=${DH_PERF_SQL_CPU_S:-900}
mem_mb=${DH_PERF_SQL_MEM_MB:-8192}
# killed ERRFILE: after a run that failed, say so when a signal ended it
killed() {
	local rc=$?
	[ "$rc" -gt 128 ] && echo "killed by signal $((rc - 128)) (run.sh allows each run" \
		"$cpu_s s of CPU and $mem_mb MB of heap)" >>"$1"
	return "$rc"
}
run_sqlite() { sqlite3 -batch -bail -header -tabs "$1" <"$2" >"$3" 2>"$3.err" || killed "$3.err"; }
run_pg() { "$PSQL" -X -q -v ON_ERROR_STOP=1 -A -F $'\t' -P footer=off -d "$1" -f "$2" >"$3" 2>"$3.err" || killed "$3.err"; }
run_dh() { "$b/bin/dh-query" -s "$1" -d dh --format tsv -f "$2" >"$3" 2>"$3.err" || killed "$3.err"; }

cmd_sqlite() { echo "sqlite3 -batch -bail -header -tabs $1 < $2"; }
cmd_pg() { echo "$PSQL -X -q -v ON_ERROR_STOP=1 -A -F \$'\\t' -P footer=off -d $1 -f $2"; }
cmd_dh() { echo "$b/bin/dh-query -s $1 -d dh --format tsv -f $2"; }

main_db() {
	case $1 in sqlite) echo "$sqlite_db" ;; pg) echo bench ;; dh) echo "$dh_store" ;; esac
}
ins_db() {
	case $1 in sqlite) echo "$work/insert.db" ;; pg) echo ins ;; dh) echo "$work/insert.store" ;; esac
}

# step E WHAT DB SCRIPT: an untimed setup step; fails loudly
step() {
	if ! "run_$1" "$3" "$4" "$work/out/setup-$1"; then
		echo "run.sh: $1: $2 failed: $(first_line "$work/out/setup-$1.err")" >&2
		return 1
	fi
}

# indexes_E DB: CREATE INDEX, which dh may refuse (it keeps every attribute
# in AVET, so nothing is lost for its side)
dh_indexes=yes
apply_indexes() {
	if [ "$1" = dh ] && [ "$dh_indexes" = no ]; then return 0; fi
	if ! "run_$1" "$2" "$data/indexes.sql" "$work/out/setup-$1"; then
		if [ "$1" = dh ]; then
			dh_indexes=no
			note "dh refused CREATE INDEX ($(first_line "$work/out/setup-dh.err")); dh keeps every column in its AVET index anyway"
			return 0
		fi
		echo "run.sh: $1: CREATE INDEX failed: $(first_line "$work/out/setup-$1.err")" >&2
		return 1
	fi
}

fresh() {
	local e=$1 db=$2
	case $e in
	sqlite | dh) rm -f "$db" "$db-lock" "$db-journal" ;;
	pg) "$PSQL" -X -q -d postgres -c "SET client_min_messages = warning" \
		-c "DROP DATABASE IF EXISTS $db" -c "CREATE DATABASE $db" >/dev/null || return 1 ;;
	esac
	step "$e" "CREATE TABLE" "$db" "$data/schema.sql" && apply_indexes "$e" "$db"
}

declare -A avail load_ms
for e in $ENGINES; do avail[$e]=; done

# --- availability
if [[ " $ENGINES " == *" sqlite "* ]] && ! command -v sqlite3 >/dev/null; then
	avail[sqlite]="sqlite3 not found (apt-get install sqlite3)"
fi
if [[ " $ENGINES " == *" pg "* ]]; then
	_die() { :; }
	. "$top/t/lib-pg.sh"
	# PostgreSQL 15's own psql: Debian's /usr/bin/psql is a Perl wrapper
	# (pg_wrapper) that would add its start-up to every run
	PSQL=$(pg_bindir)/psql
	[ -x "$PSQL" ] || PSQL=$(command -v psql)
	if [ -z "$PSQL" ]; then
		avail[pg]="psql not found (apt-get install postgresql)"
	else
		trap 'exit 130' INT TERM
		if pg_start; then
			# t/lib-pg.sh turns fsync off for the tests; a benchmark
			# wants PostgreSQL as installed, as durable as the others
			"$PSQL" -X -q -d postgres -c "ALTER SYSTEM SET fsync = on" \
				-c "SELECT pg_reload_conf()" >/dev/null
		else
			avail[pg]="$pg_why"
		fi
	fi
fi
if [[ " $ENGINES " == *" dh "* ]]; then
	rm -f "$work/probe.store"*
	if ! [ -x "$b/bin/dh-query" ]; then
		avail[dh]="$b/bin/dh-query not built"
	elif ! "$b/bin/dh-query" -s "$work/probe.store" -c "SELECT 1" \
		>"$work/out/probe" 2>&1; then
		avail[dh]="dh-query cannot run SQL yet: $(grep -m 1 . "$work/out/probe" | cut -c 1-100)"
	fi
	rm -f "$work/probe.store"*
fi

# -d (RLIMIT_DATA) counts heap and private mappings, not the shared file
# mapping of an LMDB store: -v would make dh shrink its map at every start
ulimit -t "$cpu_s" -d "$((mem_mb * 1024))" || exit 1

# --- loading: schema, data, indexes, statistics (not timed as a workload;
# the time is printed for information)
load() {
	local e=$1 db t0 t1
	db=$(main_db "$e")
	if [ -n "$reuse" ] && [ "$e" != pg ] && [ "$(cat "$db.stamp" 2>/dev/null)" = "$stamp" ]; then
		say "$e: reusing $db"
		load_ms[$e]="reused"
		return 0
	fi
	say "$e: loading $n_customers customers, $n_orders orders, $n_items items"
	rm -f "$db.stamp"
	case $e in
	sqlite | dh) rm -f "$db" "$db-lock" "$db-journal" ;;
	pg) "$PSQL" -X -q -d postgres -c "CREATE DATABASE $db" >/dev/null || return 1 ;;
	esac
	step "$e" "CREATE TABLE" "$db" "$data/schema.sql" || return 1
	t0=$(now_us)
	step "$e" "loading" "$db" "$data/load.sql" || return 1
	t1=$(now_us)
	load_ms[$e]=$(( (t1 - t0) / 1000 ))
	apply_indexes "$e" "$db" || return 1
	case $e in
	sqlite) echo "ANALYZE;" >"$work/out/analyze.sql"; step sqlite ANALYZE "$db" "$work/out/analyze.sql" ;;
	pg) "$PSQL" -X -q -d "$db" -c "VACUUM ANALYZE" >/dev/null ;;
	esac || return 1
	echo "$stamp" >"$db.stamp"
}
for e in $ENGINES; do
	[ -n "${avail[$e]}" ] && continue
	load "$e" || avail[$e]="loading the data failed: $(first_line "$work/out/setup-$e.err")"
done

# ------------------------------------------------------------------ workloads
declare -A ms res
# time_runs E DB SCRIPT N OUT: N timed runs, the median in ms on stdout
time_runs() {
	local e=$1 db=$2 script=$3 n=$4 out=$5 i t0 t1
	for ((i = 0; i < n; i++)); do
		t0=$(now_us)
		"run_$e" "$db" "$script" "$out" || return 1
		t1=$(now_us)
		echo $((t1 - t0))
	done | median | awk '{ printf "%.1f\n", $1 / 1000 }'
	return "${PIPESTATUS[0]}"
}

# summarize OUT HDR: the rows of a result without its header lines (one per
# statement, or none), in OUT.rows; their count and md5 in OUT.sum
summarize() {
	grep -v -x -F -f "$2" "$1" >"$1.rows"
	echo "$(wc -l <"$1.rows") $(md5sum <"$1.rows" | cut -c 1-12)" >"$1.sum"
}

run_workload() {
	local w=$1 e db out n script
	for e in $ENGINES; do
		[ -n "${avail[$e]}" ] && { res[$w,$e]="n/a"; continue; }
		out=$work/out/$w-$e
		script=$data/$w.sql
		if [ "$w" = insert ]; then
			db=$(ins_db "$e")
			n=${runs:-3}
			echo "$(cmd_$e "$db" "$script")   # after a fresh schema" >>"$work/commands.sh"
			local i t0 t1 times=
			for ((i = 0; i < n; i++)); do
				fresh "$e" "$db" || { res[$w,$e]="failed: setup"; break; }
				t0=$(now_us)
				if ! "run_$e" "$db" "$script" "$out"; then
					res[$w,$e]="failed: $(first_line "$out.err")"
					break
				fi
				t1=$(now_us)
				times="$times $((t1 - t0))"
			done
			if [ -z "${res[$w,$e]:-}" ]; then
				ms[$w,$e]=$(printf '%s\n' $times | median | awk '{ printf "%.1f\n", $1 / 1000 }')
				if "run_$e" "$db" "$data/insert-check.sql" "$out.check"; then
					summarize "$out.check" "$data/insert-check.hdr"
					res[$w,$e]=ok
				else
					res[$w,$e]="failed: $(first_line "$out.check.err")"
				fi
			fi
			if [ -z "$keep" ]; then
				case $e in
				sqlite | dh) rm -f "$db" "$db-lock" "$db-journal" ;;
				pg) "$PSQL" -X -q -d postgres -c "DROP DATABASE IF EXISTS $db" >/dev/null ;;
				esac
			fi
			continue
		fi
		db=$(main_db "$e")
		n=${runs:-5}
		echo "$(cmd_$e "$db" "$script")" >>"$work/commands.sh"
		# one untimed warm-up run, whose answer is the one compared
		if ! "run_$e" "$db" "$script" "$out"; then
			res[$w,$e]="failed: $(first_line "$out.err")"
			continue
		fi
		summarize "$out" "$data/$w.hdr"
		if ms[$w,$e]=$(time_runs "$e" "$db" "$script" "$n" "$out.timed"); then
			res[$w,$e]=ok
		else
			res[$w,$e]="failed: $(first_line "$out.timed.err")"
		fi
	done
}

# same_answer W: sets same[W] to "yes", or what differs, and status on a
# difference
declare -A same
same_answer() {
	local w=$1 e sfx=$([ "$1" = insert ] && echo .check) ref= refe= s verdict=yes seen=0
	for e in $ENGINES; do
		[ "${res[$w,$e]:-}" = ok ] || continue
		s=$(cat "$work/out/$w-$e$sfx.sum")
		seen=$((seen + 1))
		if [ -z "$ref" ]; then
			ref=$s refe=$e
		elif [ "$s" != "$ref" ]; then
			verdict="NO: $e differs from $refe (diff out/$w-$refe$sfx.rows out/$w-$e$sfx.rows)"
			status=1
		fi
	done
	if [ "$verdict" = yes ]; then
		[ "$seen" -lt 2 ] && verdict="- (one engine)"
		[ "$seen" -gt 0 ] && verdict="$verdict, ${ref%% *} rows"
	fi
	same[$w]=$verdict
}

what() {
	case $1 in
	startup) echo "SELECT 1 (CLI start, connect; baseline)" ;;
	insert) echo "$n_insert one-row INSERTs in one transaction" ;;
	point) echo "$n_point primary-key SELECTs on items" ;;
	join) echo "customers x orders x items, filtered" ;;
	groupby) echo "GROUP BY product, 5 aggregates, $n_items items" ;;
	orderby) echo "ORDER BY created DESC LIMIT 10, $n_items items" ;;
	esac
}

for w in $WORKLOADS; do
	say "workload $w"
	run_workload "$w"
	same_answer "$w"
done

# --- -p: where dh's time goes, one more run of each workload under a
# profiler (not timed; the insert workload into a fresh store again)
profile() {
	local w=$1 db script pd=$work/prof
	db=$(main_db dh)
	script=$data/$w.sql
	mkdir -p "$pd"
	if [ "$w" = insert ]; then
		db=$(ins_db dh)
		fresh dh "$db" || return 1
	fi
	say "profiling dh on $w with $prof"
	case $prof in
	perf)
		perf record -q -g -o "$pd/$w.perf.data" -- \
			"$b/bin/dh-query" -s "$db" -d dh --format tsv -f "$script" \
			>/dev/null 2>"$pd/$w.err" || return 1
		perf report -q -i "$pd/$w.perf.data" --stdio --no-children \
			--percent-limit 0.5 -g none 2>/dev/null | grep -v '^$' | head -n 40 >"$pd/$w.top"
		;;
	callgrind)
		valgrind -q --tool=callgrind --callgrind-out-file="$pd/$w.callgrind.out" \
			"$b/bin/dh-query" -s "$db" -d dh --format tsv -f "$script" \
			>/dev/null 2>"$pd/$w.err" || return 1
		{
			echo "self (exclusive) Ir:"
			callgrind_annotate "$pd/$w.callgrind.out" 2>/dev/null |
				sed -n '/PROGRAM TOTALS/p; /file:function/,$p' | sed -n '1p; 3,27p'
			echo "inclusive Ir:"
			callgrind_annotate --inclusive=yes "$pd/$w.callgrind.out" 2>/dev/null |
				sed -n '/file:function/,$p' | sed -n '2,31p'
		} | sed -E -e 's|^( *[0-9,]+ \( *[0-9.]+%\)  )[^ ]*/([^/ ]*:)|\1\2|' \
			-e 's| \[/usr/lib/[^/]*/| [|' -e 's| \[[^]]*/dh-query\]||' -e 's| +$||' |
			awk '!seen[$0]++' | cut -c 1-150 >"$pd/$w.top"
		;;
	esac
	[ "$w" = insert ] && [ -z "$keep" ] && rm -f "$db" "$db-lock"
	echo "## dh, $w, $prof ($pd/$w.*)"
	cat "$pd/$w.top"
}
if [ -n "$prof" ]; then
	if [[ " $ENGINES " != *" dh "* ]]; then
		say "-p: dh is not among the engines"
	elif [ -n "${avail[dh]}" ]; then
		say "-p: dh is not available: ${avail[dh]}"
	else
		for w in $WORKLOADS; do profile "$w" || say "profiling $w failed: $(first_line "$work/prof/$w.err")"; done >"$work/prof.txt"
		cat "$work/prof.txt"
	fi
fi

# --- plans of the peers: ORDER BY ... LIMIT must walk the index
plans=
plan_check() {
	local e=$1 db script out
	[ -n "${avail[$e]}" ] && return
	db=$(main_db "$e")
	out=$work/out/plan-$e
	script=$work/out/plan-$e.sql
	case $e in
	sqlite) sed 's/^/EXPLAIN QUERY PLAN /' "$data/orderby.sql" >"$script" ;;
	*) sed 's/^/EXPLAIN /' "$data/orderby.sql" >"$script" ;;
	esac
	if ! "run_$e" "$db" "$script" "$out"; then
		plans="$plans- $e: EXPLAIN not available ($(first_line "$out.err"))"$'\n'
		return
	fi
	local p
	p=$(grep -v -e '^QUERY PLAN$' -e '^id	parent' "$out" | sed -e 's/^[`|]--//' -e 's/^ *//' |
		tr '\n\t' '; ' | sed 's/;$//' | cut -c 1-200)
	case $e in
	sqlite) if grep -q 'USING INDEX items_created' "$out" && ! grep -q 'TEMP B-TREE' "$out"; then
			p="uses the index: $p"; else p="DOES NOT use the index: $p"; fi ;;
	pg) if grep -q 'Index Scan Backward using items_created' "$out" && ! grep -q 'Sort' "$out"; then
			p="uses the index: $p"; else p="DOES NOT use the index: $p"; fi ;;
	esac
	plans="$plans- $e: $p"$'\n'
}
if [[ " $WORKLOADS " == *" orderby "* ]]; then
	for e in $ENGINES; do plan_check "$e"; done
fi

# ------------------------------------------------------------------ report
ver_dh=$(git -C "$top" describe --always --dirty 2>/dev/null || echo unknown)
ver_sqlite=$(sqlite3 --version 2>/dev/null | cut -d' ' -f1)
ver_pg=$("${PSQL:-psql}" --version 2>/dev/null | awk '{ print $3 }')
cell() { # ENGINE WORKLOAD: the ms, or why not
	case ${res[$2,$1]:-} in
	ok) echo "${ms[$2,$1]}" ;;
	n/a) echo "n/a" ;;
	'') echo "-" ;;
	*) echo "failed" ;;
	esac
}
ratio() { # W A B
	[ "${res[$1,$2]:-}" = ok ] && [ "${res[$1,$3]:-}" = ok ] || { echo "-"; return; }
	awk -v a="${ms[$1,$2]}" -v b="${ms[$1,$3]}" 'BEGIN { printf (b > 0 ? "%.2fx" : "-"), a / b }'
}
goal() { # W: the issue's goal, dh < pg and dh <= 1.5 x sqlite
	[ "${res[$1,dh]:-}" = ok ] || { echo "-"; return; }
	local s=${ms[$1,sqlite]:-} p=${ms[$1,pg]:-} d=${ms[$1,dh]}
	[ "${res[$1,sqlite]:-}" = ok ] || s=
	[ "${res[$1,pg]:-}" = ok ] || p=
	[ -n "$s$p" ] || { echo "-"; return; }
	awk -v d="$d" -v s="$s" -v p="$p" 'BEGIN {
		r = "yes"
		if (p != "" && d >= p) r = "no"
		if (s != "" && d > 1.5 * s) r = "no"
		print r }'
}
{
	echo "# SQL benchmark: dh-query vs sqlite3 vs psql (PostgreSQL $ver_pg)"
	echo
	echo "$(date -u +%Y-%m-%dT%H:%M:%SZ), $(nproc) cpus, dh $ver_dh, SQLite $ver_sqlite, PostgreSQL $ver_pg;"
	echo "scale $scale (seed $seed): $n_customers customers, $n_orders orders, $n_items items."
	echo "Wall clock of one whole CLI run (start, connect, run the script, exit), median"
	echo "of ${runs:-5} runs after one warm-up (insert: ${runs:-3} runs, each into a fresh database)."
	echo "Goal (the issue): dh faster than PostgreSQL and within 1.5x of SQLite on every row."
	echo
	echo "| workload | what | dh ms | sqlite ms | pg ms | dh/sqlite | dh/pg | goal | same answer |"
	echo "|---|---|---:|---:|---:|---:|---:|---|---|"
	for w in $WORKLOADS; do
		echo "| $w | $(what "$w") | $(cell dh "$w") | $(cell sqlite "$w") | $(cell pg "$w") |" \
			"$(ratio "$w" dh sqlite) | $(ratio "$w" dh pg) | $(goal "$w") | ${same[$w]} |"
	done
	echo
	for e in dh sqlite pg; do
		[[ " $ENGINES " == *" $e "* ]] || continue
		if [ -n "${avail[$e]}" ]; then
			echo "- $e: not available (${avail[$e]})"
		fi
		for w in $WORKLOADS; do
			case ${res[$w,$e]:-} in
			failed*) echo "- $e: $w ${res[$w,$e]} (see $work/out/$w-$e*.err)"; status=1 ;;
			esac
		done
		[ -n "${load_ms[$e]:-}" ] && echo "- $e: bulk load (not a workload): ${load_ms[$e]}$([ "${load_ms[$e]}" = reused ] || echo " ms")"
	done
	printf '%s' "$notes"
	[ -n "$plans" ] && { echo; echo "ORDER BY created DESC LIMIT 10, the plans:"; echo; printf '%s' "$plans"; }
	echo
	echo "The exact commands: $work/commands.sh; outputs in $work/out/."
} >"$results.tmp"
mv "$results.tmp" "$results"
cat "$results"
exit "$status"
