/*
 * replay: the main() of a fuzz target built without libFuzzer (any
 * compiler, with or without sanitizers).  It feeds each file named on the
 * command line, and each file of each directory named (in name order, so a
 * run repeats), to LLVMFuzzerTestOneInput, from a heap copy of exactly the
 * file's size so that a read past the end is caught, and prints
 * "PATH: ok" after it.  make check replays the corpora with it; after a
 * fuzzer found a crash, the same binary under a debugger reruns the file.
 *
 *   fuzz-query-replay t/fuzz/corpus-query crash-1234abcd
 *
 * Exit status 0, 1 when a file cannot be read, 2 on bad usage; a failing
 * input aborts (assert, sanitizer report).
 */
#include <dirent.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "util.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static int
replay_file(const char *path)
{
	FILE *f = fopen(path, "rb");
	struct dh_buf b;
	char chunk[4096];
	size_t n;
	int bad;

	if (!f) {
		perror(path);
		return 1;
	}
	dh_buf_init(&b, 0);
	while ((n = fread(chunk, 1, sizeof(chunk), f)) > 0)
		dh_buf_add(&b, chunk, n);
	bad = ferror(f);
	fclose(f);
	if (bad || b.overflow) {
		fprintf(stderr, "%s: cannot read\n", path);
		dh_buf_release(&b);
		return 1;
	}
	/* the name first, so the output says which input a crash was in */
	printf("%s: ", path);
	fflush(stdout);
	void *copy = xmemdup(b.p, b.len);
	LLVMFuzzerTestOneInput(copy, b.len);
	free(copy);
	dh_buf_release(&b);
	printf("ok\n");
	fflush(stdout);
	return 0;
}

static int
cmp_names(const void *x, const void *y)
{
	return strcmp(*(char *const *)x, *(char *const *)y);
}

static int
replay_dir(const char *path)
{
	DIR *d = opendir(path);
	struct dirent *e;
	char **names = NULL;
	size_t n = 0, cap = 0;
	int rc = 0;

	if (!d) {
		perror(path);
		return 1;
	}
	while ((e = readdir(d))) {
		struct dh_buf p;
		if (e->d_name[0] == '.')
			continue;
		if (n == cap) {
			cap = cap ? 2 * cap : 64;
			names = xrealloc(names, cap * sizeof(*names));
		}
		dh_buf_init(&p, 0);
		dh_buf_printf(&p, "%s/%s", path, e->d_name);
		names[n++] = dh_buf_detach(&p, NULL);
	}
	closedir(d);
	if (n)
		qsort(names, n, sizeof(*names), cmp_names);
	for (size_t i = 0; i < n; i++) {
		if (!rc)
			rc = replay_file(names[i]);
		free(names[i]);
	}
	free(names);
	return rc;
}

int
main(int argc, char **argv)
{
	int rc = 0;

	if (argc < 2 || argv[1][0] == '-') {
		fprintf(stderr, "usage: %s FILE|DIR...\n", argv[0]);
		return 2;
	}
	for (int i = 1; i < argc && !rc; i++) {
		struct stat st;
		if (stat(argv[i], &st) == 0 && S_ISDIR(st.st_mode))
			rc = replay_dir(argv[i]);
		else
			rc = replay_file(argv[i]);
	}
	return rc;
}
