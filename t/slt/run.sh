#!/bin/sh
# t/slt/run.sh: the sqllogictest corpus through PostgreSQL and through dh,
# with t/helper/dh-slt; prints one table, file by file:
#
#	file | records | PostgreSQL pass % | dh pass %
#
#	sh t/slt/run.sh [FILE...]     FILEs relative to the corpus; default all
#	make slt                      the same from the build tree
#
# Environment:
#	DH_SLT_DIR      the corpus (default: ../shared/slt beside the source tree)
#	DH_SLT_PG_URI   a PostgreSQL server to make the databases on (default:
#	                a throwaway cluster started with t/lib-pg.sh)
#	DH_SLT_ENGINES  which engines to run (default "pg dh")
#	DH_SLT_ARGS     more dh-slt options, e.g. "--limit 200" or "--timeout 10"
#	DH_SLT_OUT      where each engine's TSV table, stderr and failure log
#	                (--log) go (default: a new temporary directory, kept)
#	DH_SRC_DIR, DH_BUILD_DIR  as for the tests (t/lib.sh)
#
# The corpus is not part of the tree (it is a public yardstick; see
# t/slt/README).  Exit status 0 when every engine ran the files to their
# end (failing records are the point of the table, not an error), 1 when a
# run broke, 2 on bad setup.

DH_SRC_DIR=$(cd "${DH_SRC_DIR:-$(dirname "$0")/../..}" && pwd) || exit 2
if test -z "${DH_BUILD_DIR:-}"; then
	if test -x "$DH_SRC_DIR/t/helper/dh-slt"; then
		DH_BUILD_DIR=$DH_SRC_DIR
	else
		DH_BUILD_DIR=$DH_SRC_DIR/build
	fi
fi
slt=$DH_BUILD_DIR/t/helper/dh-slt
if ! test -x "$slt"; then
	echo "run.sh: no $slt (make t/helper/dh-slt)" >&2
	exit 2
fi
dir=${DH_SLT_DIR:-$DH_SRC_DIR/../shared/slt}
if ! test -d "$dir"; then
	echo "run.sh: no corpus at '$dir' (set DH_SLT_DIR)" >&2
	exit 2
fi
dir=$(cd "$dir" && pwd)
engines=${DH_SLT_ENGINES:-pg dh}
out=${DH_SLT_OUT:-$(mktemp -d "${TMPDIR:-/tmp}/dh-slt-run.XXXXXX")}
mkdir -p "$out" || exit 2
LC_ALL=C
export LC_ALL

if test $# -gt 0; then
	files=$*
else
	files=$(cd "$dir" && find . -name '*.test' | sed 's|^\./||' | sort)
fi

uri=
case " $engines " in
*" pg "*)
	if test -n "${DH_SLT_PG_URI:-}"; then
		uri=$DH_SLT_PG_URI
	else
		# lib-pg.sh is written for t/lib.sh, whose _die its exit trap calls
		_die() { :; }
		. "$DH_SRC_DIR/t/lib-pg.sh"
		trap 'exit 130' INT TERM
		pg_start || {
			echo "run.sh: $pg_why" >&2
			exit 2
		}
		uri=$PG_URI
	fi
	pgver=$(psql -X -At -d "$uri" -c 'show server_version' 2>/dev/null | sed 's/ .*//')
	;;
esac

status=0
for e in $engines; do
	start=$(date +%s)
	# shellcheck disable=SC2086 # word splitting of the file list and options is wanted
	(cd "$dir" && "$slt" --engine "$e" --uri "$uri" --tsv --log "$out/$e.log" \
		${DH_SLT_ARGS:-} $files) >"$out/$e.tsv" 2>"$out/$e.err"
	rc=$?
	end=$(date +%s)
	echo "$e: $((end - start)) s for the run" >"$out/$e.time"
	if test $rc -gt 1; then
		echo "run.sh: dh-slt --engine $e failed (exit $rc); see $out/$e.err" >&2
		status=1
	fi
done

# Join the engines' tables by file.
awk -F '\t' -v engines="$engines" -v pgver="${pgver:-}" -v out="$out" '
function pct(ok, all) { return all ? sprintf("%.2f", 100 * ok / all) : "-" }
BEGIN {
	ne = split(engines, eng, " ")
	for (i = 1; i <= ne; i++) {
		f = out "/" eng[i] ".tsv"
		while ((getline line < f) > 0) {
			split(line, c, "\t")
			if (c[1] == "file")
				continue
			if (!(c[1] in seen)) {
				seen[c[1]] = 1
				order[++nf] = c[1]
				recs[c[1]] = c[2]
			}
			ok = c[3] + c[5]
			all = ok + c[4] + c[6]
			p[eng[i], c[1]] = pct(ok, all)
			tok[eng[i]] += ok
			tall[eng[i]] += all
		}
		close(f)
	}
	w = 4
	for (j = 1; j <= nf; j++)
		if (length(order[j]) > w)
			w = length(order[j])
	printf "| %-" w "s | %7s |", "file", "records"
	for (i = 1; i <= ne; i++)
		printf " %s pass %% |", eng[i] == "pg" ? "PostgreSQL " pgver : eng[i]
	dashes = "--------------------------------"
	while (length(dashes) < w + 10)
		dashes = dashes dashes
	printf "\n|%s|--------:|", substr(dashes, 1, w + 2)
	for (i = 1; i <= ne; i++) {
		h = eng[i] == "pg" ? "PostgreSQL " pgver : eng[i]
		printf "%s:|", substr(dashes, 1, length(h) + 8)
	}
	printf "\n"
	for (j = 1; j <= nf; j++) {
		printf "| %-" w "s | %7d |", order[j], recs[order[j]]
		for (i = 1; i <= ne; i++) {
			h = eng[i] == "pg" ? "PostgreSQL " pgver : eng[i]
			v = (eng[i], order[j]) in p ? p[eng[i], order[j]] : "-"
			printf " %" (length(h) + 7) "s |", v
		}
		printf "\n"
		total += recs[order[j]]
	}
	printf "| %-" w "s | %7d |", "total", total
	for (i = 1; i <= ne; i++) {
		h = eng[i] == "pg" ? "PostgreSQL " pgver : eng[i]
		printf " %" (length(h) + 7) "s |", pct(tok[eng[i]], tall[eng[i]])
	}
	printf "\n"
}' </dev/null
for e in $engines; do
	cat "$out/$e.time"
done
echo "tables, stderr and failure logs: $out"
exit $status
