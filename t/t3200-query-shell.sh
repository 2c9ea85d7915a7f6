#!/bin/sh
test_description='dh-query runs Datalog: formats, inputs, \explain, \d, errors, cancel'
. "$(dirname "$0")/lib.sh"

q() { dh-query -s s.store "$@"; }

test_expect_success 'a small dataset' '
	q -c "[{:db/ident :p/name :db/valueType :db.type/string :db/cardinality :db.cardinality/one :db/unique :db.unique/identity}
	       {:db/ident :p/age :db/valueType :db.type/long :db/cardinality :db.cardinality/one}
	       {:db/ident :p/big :db/valueType :db.type/long :db/cardinality :db.cardinality/one}
	       {:db/ident :p/score :db/valueType :db.type/bigdec :db/cardinality :db.cardinality/one}
	       {:db/ident :p/friend :db/valueType :db.type/ref :db/cardinality :db.cardinality/many :db/doc \"who they know\"}]" >/dev/null &&
	q -c "[{:db/id \"a\" :p/name \"Ada\" :p/age 36 :p/big 9007199254740993 :p/score 0.10M :p/friend [\"b\"]}
	       {:db/id \"b\" :p/name \"Bob, Jr.\" :p/age 41 :p/friend [\"c\"]}
	       {:db/id \"c\" :p/name \"Cy\" :p/age 7}]" >/dev/null
'

test_expect_success 'a query prints EDN when piped' '
	q -c "[:find ?n ?a :where [?e :p/name ?n] [?e :p/age ?a] [(> ?a 10)]]" >out &&
	cat >expect <<-\EOT &&
	#{["Ada" 36]
	  ["Bob, Jr." 41]}
	EOT
	test_cmp expect out
'

test_expect_success 'find specs: collection, tuple, scalar' '
	q -c "[:find [?n ...] :where [_ :p/name ?n]]" >out &&
	echo "[\"Ada\" \"Bob, Jr.\" \"Cy\"]" >expect && test_cmp expect out &&
	q -c "[:find [?n ?a] :where [?e :p/name ?n] [?e :p/age 7] [?e :p/age ?a]]" >out &&
	echo "[\"Cy\" 7]" >expect && test_cmp expect out &&
	q -c "[:find (sum ?a) . :where [_ :p/age ?a]]" >out &&
	echo 84 >expect && test_cmp expect out
'

test_expect_success '--format csv, tsv, json, ndjson and aligned print exact values' '
	q --format csv -c "[:find ?n ?b ?s :where [?e :p/name ?n] [?e :p/big ?b] [?e :p/score ?s]]" >out &&
	printf "?n,?b,?s\r\nAda,9007199254740993,0.10\r\n" >expect ||
	printf "?n,?b,?s\nAda,9007199254740993,0.10\n" >expect &&
	tr -d "\r" <out >out2 && tr -d "\r" <expect >expect2 && test_cmp expect2 out2 &&
	q --format csv -c "[:find ?n :where [?e :p/name ?n] [?e :p/age 41]]" >out &&
	tr -d "\r" <out >out2 && printf "?n\n\"Bob, Jr.\"\n" >expect && test_cmp expect out2 &&
	q --format json -c "[:find ?n ?b :where [?e :p/name ?n] [?e :p/big ?b]]" >out &&
	grep -q "\"?b\": *9007199254740993" out &&
	q --format ndjson -c "[:find ?n :where [_ :p/name ?n]]" >out &&
	test_line_count = 3 out &&
	q --format aligned -c "[:find ?n ?a :where [?e :p/name ?n] [?e :p/age ?a]]" >out &&
	grep -q "(3 rows)" out &&
	q --format tsv -c "[:find ?a :where [_ :p/age ?a]]" >out && test_line_count = 4 out
'

test_expect_success 'an unknown format is a usage error' '
	test_must_fail q --format xml -c "[:find ?n :where [_ :p/name ?n]]" 2>err &&
	grep -q "unknown format" err
'

test_expect_success '--in supplies :in inputs in order (scalar, collection, rules)' '
	q --in "\"Ada\"" -c "[:find ?a . :in \$ ?n :where [?e :p/name ?n] [?e :p/age ?a]]" >out &&
	echo 36 >expect && test_cmp expect out &&
	q --in "[\"Ada\" \"Cy\"]" -c "[:find [?a ...] :in \$ [?n ...] :where [?e :p/name ?n] [?e :p/age ?a]]" >out &&
	echo "[7 36]" >expect && test_cmp expect out &&
	q --in "[[(knows ?a ?b) [?a :p/friend ?b]] [(knows ?a ?b) [?a :p/friend ?c] (knows ?c ?b)]]" \
	  --in "\"Ada\"" \
	  -c "[:find [?n ...] :in \$ % ?who :where [?w :p/name ?who] (knows ?w ?x) [?x :p/name ?n]]" >out &&
	echo "[\"Bob, Jr.\" \"Cy\"]" >expect && test_cmp expect out
'

test_expect_success 'inputs set in a session, then forgotten' '
	q -c "\\in \"Cy\"" -c "[:find ?a . :in \$ ?n :where [?e :p/name ?n] [?e :p/age ?a]]" -c "\\in" \
	  -c "[:find (count ?e) . :where [?e :p/name]]" >out &&
	grep -qx 7 out && grep -qx 3 out
'

test_expect_success 'a source input reads the past ($before as of a tx)' '
	t=$(q -c "[:find ?tx . :where [_ :p/name \"Cy\" ?tx]]") &&
	q -c "[[:db/add [:p/name \"Cy\"] :p/age 8]]" >/dev/null &&
	q --in "$t" -c "[:find ?old ?new :in \$ \$before :where [?e :p/name \"Cy\"] [\$before ?e :p/age ?old] [?e :p/age ?new]]" >out &&
	echo "#{[7 8]}" >expect && test_cmp expect out
'

test_expect_success '--as-of and --history views' '
	t=$(q -c "[:find ?tx . :where [_ :p/name \"Cy\" ?tx]]") &&
	q --as-of "$t" -c "[:find ?a . :where [?e :p/name \"Cy\"] [?e :p/age ?a]]" >out &&
	echo 7 >expect && test_cmp expect out &&
	q --history -c "[:find ?a ?added :where [?e :p/name \"Cy\"] [?e :p/age ?a _ ?added]]" >out &&
	cat >expect <<-\EOT &&
	#{[7 false]
	  [7 true]
	  [8 true]}
	EOT
	test_cmp expect out
'

test_expect_success 'pull in :find and standalone' '
	q -c "[:find (pull ?e [:p/name {:p/friend [:p/name]}]) . :where [?e :p/age 36]]" >out &&
	echo "{:p/name \"Ada\", :p/friend [{:p/name \"Bob, Jr.\"}]}" >expect && test_cmp expect out &&
	q -c "(pull [:p/name :p/age] [:p/name \"Cy\"])" >out &&
	echo "{:p/name \"Cy\", :p/age 8}" >expect && test_cmp expect out
'

test_expect_success 'the explain command shows the plan: index, prefix, range, joins' '
	q -c "\\explain [:find ?n :where [?e :p/age ?a] [(> ?a 20)] [?e :p/name ?n]]" >out &&
	grep -q "avet on a range (20, +inf)" out &&
	grep -q "\[?e :p/name ?n\]" out
'

test_expect_success 'the attrs command lists attributes' '
	q -c "\\attrs" >out &&
	grep -q ":p/friend" out && grep -q "who they know" out &&
	! grep -q ":db/ident" out &&
	q -c "\\attrs :db/" >out && grep -q ":db/ident" out &&
	q -c "\\attrs p/fr" >out && grep -q ":p/friend" out && ! grep -q ":p/name" out
'

test_expect_success 'the d command describes a namespace of attributes as a table' '
	q -c "\\d p" >out &&
	head -n 1 out >title && grep -q "^ *Table \"public.p\"$" title &&
	grep -q "^ friend *| bigint *| " out &&
	q -c "\\dt" >out && grep -q "^ public | p  *| table | dh$" out
'

test_expect_success 'errors: position, SQLSTATE, nothing written, exit 1' '
	test_expect_code 1 q -c "[:find ?x :where [?e :p/nope ?x]]" 2>err &&
	grep -q "ERROR:  42703: attribute :p/nope does not exist" err &&
	grep -q "^LINE 1:" err && grep -q "^ *\\^" err &&
	test_expect_code 1 q -c "[:find ?n :where [?e :p/name ?n] [(< ?n 5)]]" 2>err &&
	grep -q "ERROR:  42804" err &&
	test_expect_code 1 q -c "[:find ?x :where [?e :p/name ?n]]" 2>err &&
	grep -q "ERROR:  42601: variable ?x in :find is not bound" err &&
	test_expect_code 1 q -c "[:find ?n :where [?e :p/name ?n]" 2>err &&
	grep -q "ERROR:  42601" err &&
	test_expect_code 1 q -c "SELEC 1" 2>err &&
	grep -q "^ERROR:  syntax error at or near \"SELEC\"" err
'

test_expect_success 'the first error stops a script; --continue goes on' '
	test_expect_code 1 q -c "[:find ?x :where [?e :p/nope ?x]]" -c "[:find ?n . :where [_ :p/name ?n] [(= ?n \"Cy\")]]" >out 2>err &&
	test_must_be_empty out &&
	test_expect_code 1 q --continue -c "[:find ?x :where [?e :p/nope ?x]]" -c "[:find ?n . :where [_ :p/name ?n] [(= ?n \"Cy\")]]" >out 2>err &&
	echo "\"Cy\"" >expect && test_cmp expect out
'

test_expect_success 'SIGINT cancels the running statement, not the session' '
	q -c "[{:db/ident :p/next :db/valueType :db.type/ref :db/cardinality :db.cardinality/one}]" >/dev/null &&
	awk "BEGIN { printf \"[\"; for (i = 0; i < 2000; i++) printf \"{:db/id \\\"n%d\\\" :p/next \\\"n%d\\\"}\", i, i + 1; print \"]\" }" >chain.edn &&
	q -f chain.edn >/dev/null &&
	{ dh-query -s s.store --continue --in "[[(r ?a ?b) [?a :p/next ?b]] [(r ?a ?b) [?a :p/next ?c] (r ?c ?b)]]" \
	    -c "[:find (count ?b) . :in \$ % :where (r ?a ?b)]" -c "\\in" \
	    -c "[:find ?n . :where [_ :p/name ?n] [(= ?n \"Cy\")]]" >out 2>err & } &&
	pid=$! &&
	sleep 0.5 && kill -INT $pid &&
	st=0 && { wait $pid || st=$?; } &&
	test "$st" = 1 &&
	grep -q "ERROR:  57014: canceling statement due to user request" err &&
	grep -q "Inputs cleared" out && grep -qx "\"Cy\"" out
'

test_done
