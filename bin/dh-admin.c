/*
 * dh-admin: create, drop, list, branch, check and back up the databases of a
 * dh store.  Cron-friendly: quiet on success unless -v; exit 0 on success, 1
 * on failure, 2 on usage errors.  See dh-admin(1).
 */
#include <getopt.h>
#include <stdio.h>
#include <string.h>

#include "admin.h"

static int
usage(FILE *f, int code)
{
	fprintf(f, "%s\n", DH_ADMIN_USAGE);
	if (code == 0)
		dh_admin_help(f);
	return code;
}

int
main(int argc, char **argv)
{
	static const struct option longopts[] = {
		{"store", required_argument, NULL, 's'}, {"verbose", no_argument, NULL, 'v'},
		{"no-sync", no_argument, NULL, 'N'},     {"help", no_argument, NULL, 'h'},
		{NULL, 0, NULL, 0}};
	struct dh_admin_opts o = {0};
	int c;
	/* '+': stop at the command, whose options are its own */
	while ((c = getopt_long(argc, argv, "+s:vh", longopts, NULL)) != -1) {
		switch (c) {
		case 's':
			o.store = optarg;
			break;
		case 'v':
			o.verbose = 1;
			break;
		case 'N':
			o.nosync = 1;
			break;
		case 'h':
			return usage(stdout, 0);
		default:
			return usage(stderr, 2);
		}
	}
	if (optind >= argc)
		return usage(stderr, 2);
	int rc = dh_admin_run(&o, argc - optind, argv + optind, stdout, stderr);
	if (fflush(stdout) != 0 && rc == 0)
		rc = 1;
	return rc;
}
