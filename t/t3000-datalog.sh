#!/bin/sh
test_description='Datalog conformance: every case of t/datalog/*.edn through dh-datalog-t'
. "$(dirname "$0")/lib.sh"
. "$DH_SRC_DIR/t/datalog/tap-pass.sh"

# One store per corpus file, so a file that bails out leaves the others be.
for f in "$DH_SRC_DIR"/t/datalog/*.edn; do
	name=$(basename "$f" .edn)
	pass_tap "$name" dh-datalog-t "$name.store" "$f"
done
test_done
