/*
 * passwd: dh-serve's password file (see passwd.h).
 */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "crypto.h"
#include "passwd.h"

struct entry {
	char *user;
	struct dh_scram_verifier v;
};

struct dh_passwd {
	struct entry *e;
	size_t n;
	unsigned char mock_key[32];
};

/* The whole file (NUL-terminated), or NULL with errno set. */
static char *
slurp(const char *path, size_t *len)
{
	FILE *f = fopen(path, "rb");
	if (!f)
		return NULL;
	struct dh_buf b;
	dh_buf_init(&b, 0);
	char tmp[4096];
	size_t n;
	while ((n = fread(tmp, 1, sizeof(tmp), f)) > 0)
		dh_buf_add(&b, tmp, n);
	int bad = ferror(f);
	fclose(f);
	if (bad) {
		dh_buf_release(&b);
		errno = EIO;
		return NULL;
	}
	*len = b.len;
	dh_buf_add(&b, "", 1);
	return (char *)dh_buf_detach(&b, NULL);
}

static int
user_ok(const char *u, size_t n)
{
	if (n == 0)
		return 0;
	for (size_t i = 0; i < n; i++)
		if (u[i] == ':' || u[i] == '\n' || u[i] == '\r' || u[i] == 0)
			return 0;
	return 1;
}

void
dh_passwd_free(struct dh_passwd *pw)
{
	if (!pw)
		return;
	for (size_t i = 0; i < pw->n; i++)
		free(pw->e[i].user);
	free(pw->e);
	free(pw);
}

int
dh_passwd_load(const char *path, struct dh_passwd **out, struct dh_err *err)
{
	size_t len;
	*out = NULL;
	char *text = slurp(path, &len);
	if (!text)
		return dh_err_set(err, DH_EIO, "cannot read the password file '%s': %s", path,
				  strerror(errno));
	struct dh_passwd *pw = xcalloc(1, sizeof(*pw));
	/* the mock key: secret (the verifiers are in it) and the same while
	 * the file is */
	struct dh_buf k;
	dh_buf_init(&k, 0);
	dh_buf_adds(&k, "dh-serve mock SCRAM key\n");
	dh_buf_add(&k, text, len);
	dh_sha256(k.p, k.len, pw->mock_key);
	dh_buf_release(&k);
	int rc = 0, lineno = 0;
	size_t cap = 0;
	for (char *p = text; *p && rc == 0;) {
		char *nl = strchr(p, '\n'), *line = p;
		if (nl)
			*nl = 0;
		p = nl ? nl + 1 : p + strlen(p);
		lineno++;
		size_t ll = strlen(line);
		if (ll && line[ll - 1] == '\r')
			line[--ll] = 0;
		if (ll == 0 || line[0] == '#')
			continue;
		char *colon = strchr(line, ':');
		struct dh_err e2 = {0};
		struct entry en = {0};
		if (!colon || !user_ok(line, (size_t)(colon - line)))
			rc = dh_err_set(err, DH_EBADVALUE, "%s:%d: not USER:VERIFIER", path, lineno);
		else if (dh_scram_verifier_parse(colon + 1, &en.v, &e2))
			rc = dh_err_set(err, DH_EBADVALUE, "%s:%d: %s", path, lineno, e2.message);
		if (rc)
			break;
		*colon = 0;
		for (size_t i = 0; i < pw->n; i++)
			if (strcmp(pw->e[i].user, line) == 0)
				rc = dh_err_set(err, DH_EBADVALUE, "%s:%d: user \"%s\" again", path,
						lineno, line);
		if (rc)
			break;
		if (pw->n == cap) {
			cap = cap ? 2 * cap : 8;
			pw->e = xrealloc(pw->e, cap * sizeof(*pw->e));
		}
		en.user = xstrdup(line);
		pw->e[pw->n++] = en;
	}
	free(text);
	if (rc) {
		dh_passwd_free(pw);
		return rc;
	}
	*out = pw;
	return 0;
}

int
dh_passwd_lookup(const struct dh_passwd *pw, const char *user, struct dh_scram_verifier *v)
{
	for (size_t i = 0; i < pw->n; i++)
		if (strcmp(pw->e[i].user, user) == 0) {
			*v = pw->e[i].v;
			return 1;
		}
	return 0;
}

const unsigned char *
dh_passwd_mock_key(const struct dh_passwd *pw)
{
	return pw->mock_key;
}

int
dh_passwd_set(const char *path, const char *user, const char *verifier, struct dh_err *err)
{
	struct dh_scram_verifier v;
	if (!user_ok(user, strlen(user)))
		return dh_err_set(err, DH_EBADVALUE,
				  "a user name must be one or more bytes, none of them ':' or a "
				  "line end");
	if (verifier && dh_scram_verifier_parse(verifier, &v, err))
		return DH_EBADVALUE;
	size_t len = 0;
	char *text = slurp(path, &len);
	if (!text && errno != ENOENT)
		return dh_err_set(err, DH_EIO, "cannot read the password file '%s': %s", path,
				  strerror(errno));
	mode_t mode = 0600;
	struct stat sb;
	if (text && stat(path, &sb) == 0)
		mode = sb.st_mode & 0777;
	/* the other lines as they are, the user's line replaced in place */
	struct dh_buf b;
	dh_buf_init(&b, 0);
	int found = 0;
	size_t ulen = strlen(user);
	for (char *p = text; p && *p;) {
		char *nl = strchr(p, '\n');
		size_t ll = nl ? (size_t)(nl - p) : strlen(p);
		if (ll > ulen && memcmp(p, user, ulen) == 0 && p[ulen] == ':') {
			if (verifier && !found)
				dh_buf_printf(&b, "%s:%s\n", user, verifier);
			found = 1;
		} else {
			dh_buf_add(&b, p, ll);
			dh_buf_add(&b, "\n", 1);
		}
		p += ll + (nl ? 1 : 0);
	}
	free(text);
	if (!found && !verifier) {
		dh_buf_release(&b);
		return dh_err_set(err, DH_EBADNAME, "no user \"%s\" in '%s'", user, path);
	}
	if (!found)
		dh_buf_printf(&b, "%s:%s\n", user, verifier);
	char *tmp = xmalloc(strlen(path) + 16);
	snprintf(tmp, strlen(path) + 16, "%s.tmp%d", path, (int)getpid());
	int rc = 0;
	int fd = open(tmp, O_WRONLY | O_CREAT | O_TRUNC, mode);
	if (fd < 0) {
		rc = dh_err_set(err, DH_EIO, "cannot write '%s': %s", tmp, strerror(errno));
	} else {
		size_t off = 0;
		while (off < b.len && rc == 0) {
			ssize_t n = write(fd, b.p + off, b.len - off);
			if (n < 0 && errno == EINTR)
				continue;
			if (n < 0)
				rc = dh_err_set(err, DH_EIO, "cannot write '%s': %s", tmp,
						strerror(errno));
			else
				off += (size_t)n;
		}
		if (rc == 0 && (fchmod(fd, mode) != 0 || fsync(fd) != 0))
			rc = dh_err_set(err, DH_EIO, "cannot write '%s': %s", tmp, strerror(errno));
		if (close(fd) != 0 && rc == 0)
			rc = dh_err_set(err, DH_EIO, "cannot write '%s': %s", tmp, strerror(errno));
		if (rc == 0 && rename(tmp, path) != 0)
			rc = dh_err_set(err, DH_EIO, "cannot rename '%s' to '%s': %s", tmp, path,
					strerror(errno));
		if (rc)
			unlink(tmp);
	}
	free(tmp);
	dh_buf_release(&b);
	return rc;
}
