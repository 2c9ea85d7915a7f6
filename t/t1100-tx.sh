#!/bin/sh
test_description='transactions: tx-data forms, tempids, upserts, errors leave nothing'
. "$(dirname "$0")/lib.sh"

q() { dh-query -s s.store "$@"; }

test_expect_success 'install a schema' '
	q -c "[{:db/ident :p/name :db/valueType :db.type/string :db/cardinality :db.cardinality/one :db/unique :db.unique/identity}
	       {:db/ident :p/email :db/valueType :db.type/string :db/cardinality :db.cardinality/one :db/unique :db.unique/value}
	       {:db/ident :p/age :db/valueType :db.type/long :db/cardinality :db.cardinality/one}
	       {:db/ident :p/tags :db/valueType :db.type/keyword :db/cardinality :db.cardinality/many}
	       {:db/ident :p/friend :db/valueType :db.type/ref :db/cardinality :db.cardinality/many}
	       {:db/ident :p/address :db/valueType :db.type/ref :db/cardinality :db.cardinality/one :db/isComponent true}
	       {:db/ident :a/city :db/valueType :db.type/string :db/cardinality :db.cardinality/one}
	       {:db/ident :p/score :db/valueType :db.type/bigdec :db/cardinality :db.cardinality/one}
	       {:db/ident :p/born :db/valueType :db.type/instant :db/cardinality :db.cardinality/one}
	       {:db/ident :p/id :db/valueType :db.type/uuid :db/cardinality :db.cardinality/one}
	       {:db/ident :p/ratio :db/valueType :db.type/double :db/cardinality :db.cardinality/one}
	       {:db/ident :p/ok :db/valueType :db.type/boolean :db/cardinality :db.cardinality/one}
	       {:db/ident :p/blob :db/valueType :db.type/bytes :db/cardinality :db.cardinality/one}
	       {:db/ident :p/secret :db/valueType :db.type/string :db/cardinality :db.cardinality/one :db/noHistory true}]" >out &&
	grep -q ":db/ident :p/name" out
'

test_expect_success 'entity maps, string and negative tempids, nested maps, every type' '
	q -c "[{:db/id \"ada\" :p/name \"Ada\" :p/age 36 :p/tags [:math :poet]
	        :p/address {:a/city \"London\"} :p/score 1.50M
	        :p/born #inst \"1815-12-10T00:00:00Z\" :p/id #uuid \"6f1d3a2e-0000-4000-8000-000000000001\"
	        :p/ratio 0.5 :p/ok true :p/blob #bytes \"aGVsbG8=\"}
	       {:db/id -1 :p/name \"Bob\" :p/friend \"ada\"}]" >out &&
	grep -q "tempids {\"ada\" [0-9]*, \"-1\" [0-9]*}" out &&
	q -c "\\datoms avet :p/name \"Ada\"" >ada &&
	test_line_count = 1 ada &&
	e=$(sed "s/^\[\([0-9]*\) .*/\1/" ada) &&
	q -c "\\datoms eavt $e" >all &&
	grep -q ":p/score 1.50M" all &&
	grep -q ":p/born #inst \"1815-12-10T00:00:00Z\"" all &&
	grep -q ":p/id #uuid \"6f1d3a2e-0000-4000-8000-000000000001\"" all &&
	grep -q ":p/blob #bytes \"aGVsbG8=\"" all &&
	grep -q ":p/tags :math" all && grep -q ":p/tags :poet" all &&
	q -c "\\datoms aevt :a/city" | grep -q "\"London\""
'

test_expect_success 'upsert through a unique identity and implicit retraction' '
	q -c "[{:p/name \"Ada\" :p/age 37}]" >out &&
	grep -q ":p/age 36 [0-9]* false" out &&
	grep -q ":p/age 37 [0-9]* true" out &&
	q -c "\\datoms aevt :p/name" >names &&
	test_line_count = 2 names
'

test_expect_success 'lookup refs, :db/add, :db/retract and :db/cas' '
	q -c "[[:db/add [:p/name \"Bob\"] :p/age 40]]" >/dev/null &&
	q -c "[[:db/cas [:p/name \"Bob\"] :p/age 40 41]]" >/dev/null &&
	q -c "\\datoms aevt :p/age" | grep -q " 41 " &&
	test_expect_code 1 q -c "[[:db/cas [:p/name \"Bob\"] :p/age 40 42]]" 2>err &&
	grep -q "compare-and-set of :p/age on entity [0-9]* failed: expected 40, found 41" err &&
	q -c "[[:db/retract [:p/name \"Bob\"] :p/age 41]]" >/dev/null &&
	q -c "\\datoms aevt :p/age" >ages &&
	! grep -q " 41 " ages
'

test_expect_success 'retractEntity takes components and references with it' '
	q -c "[[:db/retractEntity [:p/name \"Ada\"]]]" >out &&
	grep -q ":a/city \"London\" [0-9]* false" out &&
	grep -q ":p/friend [0-9]* [0-9]* false" out &&
	test_must_be_empty_datoms() { q -c "\\datoms aevt $1" >o && test ! -s o; } &&
	test_must_be_empty_datoms :a/city &&
	test_must_be_empty_datoms :p/friend
'

test_expect_success 'transaction metadata on the tx entity' '
	q -c "[{:db/ident :tx/who :db/valueType :db.type/string :db/cardinality :db.cardinality/one}]" >/dev/null &&
	q -c "[{:p/name \"Cy\"} {:db/id \"datomic.tx\" :tx/who \"ops\"}]" >out &&
	tx=$(sed -n "s/^{:tx \([0-9]*\),/\1/p" out) &&
	q -c "\\datoms eavt $tx" >t &&
	grep -q ":tx/who \"ops\"" t && grep -q ":db/txInstant" t
'

# Each bad input: an error naming the subject, exit 1, and the store unchanged.
bad() {
	desc=$1 txt=$2 pat=$3
	test_expect_success "bad input: $desc" '
		cp s.store before.store &&
		q -c "\\datoms eavt" >before.txt &&
		test_expect_code 1 q -c "$txt" 2>err &&
		grep -q -- "$pat" err &&
		q -c "\\datoms eavt" >after.txt &&
		test_cmp before.txt after.txt
	'
}
bad "unknown attribute" '[{:p/nope 1}]' "attribute :p/nope does not exist"
bad "wrong value type" '[{:p/name "Z" :p/age "old"}]' "expected a value of type long"
bad "long out of range" '[{:p/name "Z" :p/age 99999999999999999999}]' "out of range"
bad "bad tempid" '[[:db/add {:x 1} :p/age 3]]' "is not an entity"
bad "unresolvable lookup ref" '[[:db/add [:p/name "Nobody"] :p/age 3]]' "does not resolve to an entity"
bad "lookup ref on a non-unique attribute" '[[:db/add [:p/age 3] :p/age 4]]' "is not unique"
bad "unique value taken" '[{:p/name "Q" :p/email "x@y"} {:p/name "R" :p/email "x@y"}]' "unique value"
bad "two values of a cardinality-one attribute" '[[:db/add "n" :p/age 1] [:db/add "n" :p/age 2]]' "two values of cardinality-one"
bad "assert and retract one datom" '[[:db/add [:p/name "Cy"] :p/age 5] [:db/retract [:p/name "Cy"] :p/age 5]]' "both asserts and retracts"
bad "malformed EDN" '[{:p/name "unterminated}]' "ERROR"
bad "nonexistent entity id" '[[:db/add 99999999 :p/age 1]]' "entity id 99999999 does not exist"
bad "schema without cardinality" '[{:db/ident :q/x :db/valueType :db.type/long}]' "needs :db/cardinality"
bad "changing a value type" '[{:db/ident :p/name :db/valueType :db.type/long}]' "cannot change the value type"
bad "reserved namespace" '[{:db/ident :db/mine :db/valueType :db.type/long :db/cardinality :db.cardinality/one}]' "reserved namespace"
bad "bad instant" '[{:p/name "W" :p/born #inst "2026-02-30T00:00:00Z"}]' "invalid instant"
bad "bad uuid" '[{:p/name "W" :p/id #uuid "nope"}]' "invalid uuid"
bad "not a vector" '{:p/name "W"}' "expected a query"

test_expect_success 'an attribute without values may change its value type; history keeps the old values' '
	q -c "[{:db/ident :r/v :db/valueType :db.type/long :db/cardinality :db.cardinality/one}]" &&
	q -c "[{:db/id \"x\" :r/v 7}]" &&
	e=$(q -c "\\datoms aevt :r/v" | sed "s/^\[\([0-9]*\) .*/\1/") &&
	test_must_fail q -c "[{:db/ident :r/v :db/valueType :db.type/string}]" 2>err &&
	grep -q "while it has values" err &&
	q -c "[[:db/retract $e :r/v 7]]" &&
	q -c "[{:db/ident :r/v :db/valueType :db.type/string}]" &&
	q -c "[[:db/add $e :r/v \"seven\"]]" &&
	q -c "\\datoms aevt :r/v" >now &&
	grep -q "\"seven\"" now && test_line_count = 1 now &&
	q -c "[:find ?v :in \$ ?e :where [?e :r/v ?v _ false]]" --history --in "$e" >old &&
	grep -q 7 old
'

test_expect_success 'reverse attributes in entity maps' '
	q -c "[{:p/name \"Dee\" :p/_friend [{:p/name \"Eve\"} [:p/name \"Cy\"]]}]" >out &&
	dee=$(q -c "\\datoms avet :p/name \"Dee\"" | sed "s/^\[\([0-9]*\) .*/\1/") &&
	q -c "\\datoms vaet $dee :p/friend" >refs &&
	test_line_count = 2 refs
'

test_expect_success 'errors carry the SQLSTATE and a caret' '
	test_expect_code 1 q -c "[{:p/nope 1}]" 2>err &&
	grep -q "^ERROR:  42703: attribute :p/nope does not exist" err &&
	grep -q "^LINE 1: \[{:p/nope 1}\]" err &&
	grep -q "^          \^" err
'

test_expect_success 'an over-long value is refused' '
	head -c 70000000 /dev/zero | tr "\0" a >big.txt &&
	{ printf "[{:p/name \"big\" :p/secret \""; cat big.txt; printf "\"}]"; } >big.edn &&
	test_expect_code 1 q -f big.edn 2>err &&
	grep -q "longer than the limit" err
'

test_expect_success 'long strings are stored out of line and read back whole' '
	head -c 5000 /dev/zero | tr "\0" b >long.txt &&
	{ printf "[{:p/name \""; cat long.txt; printf "\"}]"; } >long.edn &&
	q -f long.edn >/dev/null &&
	q -c "\\datoms aevt :p/name" >names &&
	grep -q "$(cat long.txt)" names &&
	dh-admin -s s.store check
'

test_expect_success ':db/doc and :db/index are stored as data' '
	q -c "[{:db/id :p/age :db/doc \"age in years\" :db/index true}]" >/dev/null &&
	q -c "\\datoms eavt :p/age" >attr &&
	grep -q ":db/doc \"age in years\"" attr &&
	grep -q ":db/index true" attr
'

test_expect_success '--no-sync loads and the data is there afterwards' '
	dh-admin -s ns.store --no-sync create bulk &&
	dh-query -s ns.store -d bulk --no-sync -c "[{:db/ident :b/n :db/valueType :db.type/long :db/cardinality :db.cardinality/one}]" -c "[{:b/n 1} {:b/n 2}]" >/dev/null &&
	dh-query -s ns.store -d bulk -c "\\datoms aevt :b/n" >n &&
	test_line_count = 2 n &&
	dh-admin -s ns.store check
'

test_expect_success 'schema-on-read databases take any attribute' '
	dh-admin -s s.store create --schema-on-read loose &&
	q -d loose -c "[{:any/thing 42 :other/x \"y\"}]" >out &&
	grep -q ":any/thing 42" out &&
	q -d loose -c "\\datoms aevt :any/thing" | grep -q " 42 "
'

test_done
