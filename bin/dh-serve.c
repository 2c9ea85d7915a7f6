/*
 * dh-serve: a dh store over PostgreSQL's wire protocol (v3), so psql and
 * the other PostgreSQL clients work against it.  Serves until SIGTERM or
 * SIGINT, then ends every session and exits 0.  See dh-serve(1).
 */
#include <getopt.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "opts.h"
#include "pgwire-msg.h"
#include "serve.h"

#define USAGE                                                                                     \
	"usage: dh-serve [-s store] [-h host] [-p port] [--passwd file] [--auth method] "           \
	"[--tls-cert file --tls-key file] [--max-connections n] [--max-message-size bytes] "     \
	"[--auth-timeout seconds] "                                                              \
	"[--allow-create-database] [--insecure] [--log-queries]"

static volatile sig_atomic_t stop, reload;

static void
on_signal(int sig)
{
	if (sig == SIGHUP)
		reload = 1;
	else
		stop = 1;
}

static void
ready(void *ctx, const char *host, const char *port)
{
	(void)ctx;
	/* stdout's one line: where it listens (scripts wait for it) */
	printf("listening on %s port %s\n", host, port);
	fflush(stdout);
}

int
main(int argc, char **argv)
{
	static const struct option longopts[] = {
		{"store", required_argument, NULL, 's'},
		{"host", required_argument, NULL, 'h'},
		{"port", required_argument, NULL, 'p'},
		{"max-connections", required_argument, NULL, 'm'},
		{"max-message-size", required_argument, NULL, 'M'},
		{"auth-timeout", required_argument, NULL, 'T'},
		{"insecure", no_argument, NULL, 'I'},
		{"passwd", required_argument, NULL, 'W'},
		{"auth", required_argument, NULL, 'A'},
		{"tls-cert", required_argument, NULL, 'C'},
		{"tls-key", required_argument, NULL, 'K'},
		{"allow-create-database", no_argument, NULL, 'D'},
		{"log-queries", no_argument, NULL, 'L'},
		{"help", no_argument, NULL, 'H'},
		{NULL, 0, NULL, 0}};
	struct dh_serve_opts o = {.log = stderr, .ready = ready, .reload = &reload};
	const char *auth = NULL;
	const char *store = NULL;
	int c;
	while ((c = getopt_long(argc, argv, "s:h:p:", longopts, NULL)) != -1) {
		switch (c) {
		case 's':
			store = optarg;
			break;
		case 'h':
			o.host = optarg;
			break;
		case 'p':
			o.port = optarg;
			break;
		case 'm': {
			char *end;
			long n = strtol(optarg, &end, 10);
			if (*end || n < 1 || n > 100000) {
				fprintf(stderr, "dh-serve: --max-connections: not a number from 1 to "
						"100000: '%s'\n",
					optarg);
				return 2;
			}
			o.max_connections = (int)n;
			break;
		}
		case 'M': {
			/* PostgreSQL's PQ_LARGE_MESSAGE_LIMIT is the most */
			char *end;
			unsigned long long n = strtoull(optarg, &end, 10);
			if (*end || optarg[0] == '-' || n < 5 || n > DH_PGWIRE_LARGE_MAX) {
				fprintf(stderr, "dh-serve: --max-message-size: not a number from 5 to "
						"%u: '%s'\n",
					DH_PGWIRE_LARGE_MAX, optarg);
				return 2;
			}
			o.max_message_size = (size_t)n;
			break;
		}
		case 'T': {
			/* PostgreSQL's authentication_timeout: 1 s to 10 min */
			char *end;
			long n = strtol(optarg, &end, 10);
			if (*end || end == optarg || n < 1 || n > 600) {
				fprintf(stderr, "dh-serve: --auth-timeout: not a number of seconds from "
						"1 to 600: '%s'\n",
					optarg);
				return 2;
			}
			o.auth_timeout = (int)n;
			break;
		}
		case 'I':
			o.insecure = 1;
			break;
		case 'W':
			o.passwd = optarg;
			break;
		case 'A':
			auth = optarg;
			break;
		case 'C':
			o.tls_cert = optarg;
			break;
		case 'K':
			o.tls_key = optarg;
			break;
		case 'D':
			o.allow_create_database = 1;
			break;
		case 'L':
			o.log_queries = 1;
			break;
		case 'H':
			printf("%s\n", USAGE);
			return 0;
		default:
			fprintf(stderr, "%s\n", USAGE);
			return 2;
		}
	}
	if (optind != argc) {
		fprintf(stderr, "%s\n", USAGE);
		return 2;
	}
	if (auth && strcmp(auth, "scram-sha-256") != 0 && strcmp(auth, "md5") != 0 &&
	    strcmp(auth, "password") != 0) {
		fprintf(stderr, "dh-serve: --auth: scram-sha-256, md5 or password, not '%s'\n",
			auth);
		return 2;
	}
	if (!o.tls_cert != !o.tls_key) {
		fprintf(stderr, "dh-serve: --tls-cert and --tls-key go together\n");
		return 2;
	}
	if (auth && !o.passwd) {
		fprintf(stderr, "dh-serve: --auth needs --passwd\n");
		return 2;
	}
	/* md5 with SCRAM verifiers is SCRAM, as in PostgreSQL */
	o.auth = auth && strcmp(auth, "password") == 0 ? DH_SERVE_AUTH_PASSWORD
						       : DH_SERVE_AUTH_SCRAM;
	o.store = dh_opts_store(store);
	struct sigaction sa;
	memset(&sa, 0, sizeof(sa));
	sa.sa_handler = on_signal;
	sigaction(SIGTERM, &sa, NULL);
	sigaction(SIGINT, &sa, NULL);
	sigaction(SIGHUP, &sa, NULL);
	signal(SIGPIPE, SIG_IGN);
	struct dh_err err = {0};
	int rc = dh_serve_run(&o, &stop, &err);
	if (rc) {
		dh_print_error(stderr, "dh-serve", &err, NULL, 0);
		return rc == DH_EUSAGE ? 2 : 1;
	}
	return 0;
}
