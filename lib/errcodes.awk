# Generate errcodes.h or errcodes.c from errcodes.txt; -v what=h|c|man
/^#/ || NF < 3 { next }
{
	n++; name[n] = $1; state[n] = $2
	t = $0; sub(/^[^ \t]+[ \t]+[^ \t]+[ \t]+/, "", t); text[n] = t
}
END {
	if (what == "h") {
		print "/* Generated from errcodes.txt by errcodes.awk: do not edit. */"
		print "#ifndef DH_ERRCODES_H\n#define DH_ERRCODES_H"
		print "#define DH_OK 0"
		for (i = 1; i <= n; i++) printf "#define DH_E%s (-%d)\n", name[i], i
		printf "#define DH__NERRCODES %d\n", n
		print "#endif"
	} else if (what == "c") {
		print "/* Generated from errcodes.txt by errcodes.awk: do not edit. */"
		print "#include \"util.h\"\n"
		print "static const char *const texts[] = {\n\t\"success\","
		for (i = 1; i <= n; i++) printf "\t\"%s\",\n", text[i]
		print "};\nstatic const char *const states[] = {\n\t\"00000\","
		for (i = 1; i <= n; i++) printf "\t\"%s\",\n", state[i]
		print "};\n"
		print "const char *\ndh_strerror(int code)\n{\n\tif (code > 0 || -code > DH__NERRCODES)\n\t\treturn \"unknown error\";\n\treturn texts[-code];\n}\n"
		print "const char *\ndh_sqlstate(int code)\n{\n\tif (code > 0 || -code > DH__NERRCODES)\n\t\treturn \"XX000\";\n\treturn states[-code];\n}"
	} else {
		for (i = 1; i <= n; i++) printf ".It Dv DH_E%s Pq %s\n%s.\n", name[i], state[i], text[i]
	}
}
