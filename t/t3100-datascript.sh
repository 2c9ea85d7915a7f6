#!/bin/sh
test_description='DataScript as the oracle: the corpus and generated queries agree with it'
. "$(dirname "$0")/lib.sh"
. "$DH_SRC_DIR/t/datalog/tap-pass.sh"

# DataScript comes from npm (t/datascript/package-lock.json pins it) and is
# installed outside the source tree: in $DH_DATASCRIPT_DIR if set, else in
# the build tree.  CI installs it beforehand with the same npm ci.
# CI sets DH_DATASCRIPT_REQUIRED=1: there a missing oracle is a failure.
ds_skip() {
	if test "${DH_DATASCRIPT_REQUIRED:-}" = 1; then
		echo "Bail out! $*"
		exit 1
	fi
	skip_all "$@"
}
command -v node >/dev/null 2>&1 ||
	ds_skip "node not found: DataScript differential skipped"
ds_src=$DH_SRC_DIR/t/datascript
DH_DATASCRIPT_DIR=${DH_DATASCRIPT_DIR:-$DH_BUILD_DIR/t/datascript}
export DH_DATASCRIPT_DIR
want=$(sed -n 's/.*"datascript": *"\([^"]*\)".*/\1/p' "$ds_src/package.json")
have=$(cd "$DH_DATASCRIPT_DIR" 2>/dev/null &&
	node -p 'require("./node_modules/datascript/package.json").version' 2>/dev/null)
if test "$have" != "$want"; then
	command -v npm >/dev/null 2>&1 ||
		ds_skip "npm not found to install datascript $want: DataScript differential skipped"
	mkdir -p "$DH_DATASCRIPT_DIR" &&
	cp "$ds_src/package.json" "$ds_src/package-lock.json" "$DH_DATASCRIPT_DIR/" &&
	(cd "$DH_DATASCRIPT_DIR" && npm ci --no-audit --no-fund --loglevel=error) >npm.log 2>&1 ||
		ds_skip "npm ci of datascript $want failed (offline?): DataScript differential skipped"
fi

test_expect_success 'the corpus agrees with DataScript wherever DataScript can run it' '
	node "$ds_src/check-corpus.js" "$DH_SRC_DIR"/t/datalog/*.edn >check.out &&
	tail -n 3 check.out
'

test_expect_success 'generate at least 400 differential cases' '
	node "$ds_src/gen.js" --out gen.edn 2>gen.log &&
	cat gen.log &&
	test "$(grep -c "^{:name " gen.edn)" -ge 400
'

test_expect_success 'the generated cases agree with DataScript (the generator is faithful)' '
	node "$ds_src/check-corpus.js" gen.edn >gencheck.out
'

pass_tap datascript dh-datalog-t gen.store gen.edn
test_done
