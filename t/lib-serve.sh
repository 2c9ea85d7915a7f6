# t/lib-serve.sh: a dh-serve for the tests that talk to it.  Source it
# after t/lib.sh and t/lib-pg.sh (and pg_start: the port is picked beside
# PostgreSQL's), then, at the top level of the script (not in a test
# body, which is a subshell: SERVE_PID must stay):
#
#	serve [OPTION...]   dh-serve -s s.store -p $DH_PORT in the trash
#	                    directory, in the background, until it listens
#	                    (its one line on stdout); its log is serve.err
#	unserve             SIGTERM, and its exit status into serve.rc
#
# The EXIT trap stops it, and PostgreSQL.

DH_PORT=$(( $(pg_free_port) + 1 ))
while (exec 3<>"/dev/tcp/127.0.0.1/$DH_PORT") 2>/dev/null; do
	DH_PORT=$((DH_PORT + 1))
done

serve() {
	(cd "$TRASH_DIRECTORY" &&
		exec dh-serve -s s.store -p "$DH_PORT" "$@" >serve.out 2>serve.err) &
	SERVE_PID=$!
	i=0
	while ! grep -q "^listening on" "$TRASH_DIRECTORY/serve.out" 2>/dev/null; do
		i=$((i + 1))
		if test $i -gt 100 || ! kill -0 $SERVE_PID 2>/dev/null; then
			cat "$TRASH_DIRECTORY/serve.err" >&2
			return 1
		fi
		sleep 0.1
	done
}

unserve() {
	if test -n "${SERVE_PID:-}"; then
		kill -TERM $SERVE_PID 2>/dev/null
		wait $SERVE_PID
		echo $? >"$TRASH_DIRECTORY/serve.rc"
		SERVE_PID=
	fi
}

trap 'unserve; pg_stop; _die' EXIT
