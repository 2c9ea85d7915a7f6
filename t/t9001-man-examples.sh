#!/bin/sh
# t9001: the EXAMPLES of every man page run, so the manual cannot rot (jq
# runs its manual's examples the same way).
#
# An example is a line starting with "$ " inside a .Bd -literal block of the
# EXAMPLES section; it continues on the following lines that start with a
# space or a tab.  Other lines in the block are sample output and are not
# checked.  Each page's examples run in order, in a fresh directory of
# their own, and each must exit 0.
test_description='the EXAMPLES of the man pages run'
. "$(dirname "$0")/lib.sh"

MAN=$DH_SRC_DIR/man

# extract_examples page dir: one file per example command in dir, named
# 001, 002, ... in order, with the roff escapes undone.
extract_examples() {
	mkdir -p "$2" &&
	awk -v dir="$2" '
		/^\.Sh / { ex = ($0 == ".Sh EXAMPLES"); lit = 0; next }
		!ex { next }
		/^\.Bd -literal/ { lit = 1; next }
		/^\.Ed/ { lit = 0; if (cur != "") close(cur); cur = ""; next }
		!lit { next }
		/^\$ / {
			if (cur != "") close(cur)
			cur = sprintf("%s/%03d", dir, ++n)
			print substr($0, 3) > cur
			next
		}
		/^[ \t]/ && cur != "" { print > cur; next }
		{ if (cur != "") close(cur); cur = "" }
	' "$1" &&
	for f in "$2"/[0-9]*; do
		test -f "$f" || continue
		sed -e 's/\\(aq/'"'"'/g' -e 's/\\(dq/"/g' -e 's/\\-/-/g' -e 's/\\&//g' \
			-e 's/\\e/\\/g' "$f" >"$f.sh" && rm "$f" || return 1
	done
}

for page in "$MAN"/*.[1-9]; do
	name=$(basename "$page")
	dir=$TRASH_DIRECTORY/examples/$name
	extract_examples "$page" "$dir" || {
		echo "Bail out! cannot extract the examples of $page"
		exit 1
	}
	test_expect_success "$name has examples" '
		ls "$dir"/*.sh
	'
	mkdir "$TRASH_DIRECTORY/$name"
	for cmd in "$dir"/*.sh; do
		test -f "$cmd" || continue
		desc=$(sed 's/\\$//' "$cmd" | tr '\t\n' '  ' | tr -s ' ' | cut -c 1-100 | sed 's/ *$//')
		test_expect_success "$name: $desc" '
			cat "$cmd" &&
			cd "$TRASH_DIRECTORY/$name" &&
			sh "$cmd"
		'
	done
done

test_done
