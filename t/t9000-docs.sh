#!/bin/sh
# t9000: the documentation agrees with the code.  The man pages are lint
# clean, the ERROR CODES of dh(7) are those of lib/errcodes.txt, each
# program's usage line is its man page's SYNOPSIS, and README opens with
# the two quick-start commands.
test_description='man pages and README agree with the code'
. "$(dirname "$0")/lib.sh"

if ! command -v mandoc >/dev/null 2>&1; then
	skip_all "mandoc is not installed (apt-get install mandoc; .ci/run does)"
fi

MAN=$DH_SRC_DIR/man

# The text between the BEGIN/END ERRCODES comments of a page.
man_errcodes() {
	sed -n '/^\.\\" BEGIN ERRCODES$/,/^\.\\" END ERRCODES$/p' "$1" | sed '1d;$d'
}

# The SYNOPSIS paragraph of a rendered page on one line.
man_synopsis() {
	mandoc -Tascii "$1" | col -b | awk '
		/^SYNOPSIS/ { on = 1; next }
		on && /^[^ \t]/ { exit }
		on && /^[ \t]*$/ { if (seen) exit; next }
		on { seen = 1; print }
	' | normalise
}

# Whitespace squeezed, lines joined, no "usage: " prefix.
normalise() {
	tr '\t\n' '  ' | tr -s ' ' | sed -e 's/^ //' -e 's/ $//' -e 's/^usage: //'
	echo
}

test_expect_success 'the man pages are there' '
	test_path_is_file "$MAN/dh.7" &&
	test_path_is_file "$MAN/dh-admin.1" &&
	test_path_is_file "$MAN/dh-query.1"
'

test_expect_success 'every program has a man page' '
	for src in "$DH_SRC_DIR"/bin/*.c; do
		test_path_is_file "$MAN/$(basename "$src" .c).1" || exit 1
	done
'

for page in "$MAN"/*.[1-9]; do
	name=$(basename "$page")
	test_expect_success "man/$name is mandoc -Tlint -W warning clean" '
		rc=0 &&
		{ mandoc -Tlint -W warning "$page" >lint.out 2>&1 || rc=$?; } &&
		cat lint.out &&
		test_must_be_empty lint.out &&
		test $rc = 0
	'
done

test_expect_success 'dh(7) ERROR CODES are generated from lib/errcodes.txt' '
	{
		echo ".Bl -tag -width Ds" &&
		awk -v what=man -f "$DH_SRC_DIR/lib/errcodes.awk" \
			"$DH_SRC_DIR/lib/errcodes.txt" &&
		echo ".El"
	} >expect &&
	test_line_count -gt 10 expect &&
	man_errcodes "$MAN/dh.7" >actual &&
	test_cmp expect actual
'

for page in "$MAN"/*.1; do
	prog=$(basename "$page" .1)
	test_expect_success "$prog --help prints the SYNOPSIS of $prog(1)" '
		man_synopsis "$page" >expect &&
		grep "^$prog " expect &&
		$prog --help >help.out &&
		sed -n 1p help.out | normalise >actual &&
		test_cmp expect actual
	'

	test_expect_success "$prog exits 2 on a usage error, as $prog(1) says" '
		test_expect_code 2 $prog --no-such-option 2>err &&
		grep "usage: $prog " err
	'
done

test_expect_success 'README opens with the two quick-start commands' '
	awk "NR <= 20 && /^(    |\t)/" "$DH_SRC_DIR/README" |
		sed -e "s/^[[:space:]]*//" -e "s/^\\$ //" | head -n 2 >actual &&
	printf "%s\n" "sudo sh .ci/quickstart" "sudo sh .ci/run" >expect &&
	test_cmp expect actual
'

test_expect_success 'the sample database of the quick start loads' '
	dh-admin -s sample.store create shop &&
	dh-query -s sample.store -d shop -f "$DH_SRC_DIR/t/data/sample-shop.edn" >report &&
	test $(grep -c "^{:tx " report) = 3 &&
	dh-query -s sample.store -d shop -c "\\datoms aevt :product/sku" >products &&
	test_line_count = 10 products &&
	dh-query -s sample.store -d shop -c "\\datoms aevt :order/product" >orders &&
	test_line_count = 10 orders &&
	dh-query -s sample.store -d shop -c "\\datoms avet :product/tags :sale" >sale &&
	test_line_count = 2 sale &&
	dh-admin -s sample.store check
'

test_expect_success 'the scripts README names exist' '
	test_path_is_file "$DH_SRC_DIR/.ci/quickstart" &&
	test_path_is_file "$DH_SRC_DIR/.ci/run" &&
	test_path_is_file "$DH_SRC_DIR/HACKING"
'

test_done
