/*
 * passwd: dh-serve's password file.  One line per user,
 *
 *	USER:SCRAM-SHA-256$<iterations>:<salt>$<StoredKey>:<ServerKey>
 *
 * (the verifier in PostgreSQL's text form, lib/scram.h); blank lines and
 * lines starting with # are skipped.  Only verifiers are stored, never a
 * password.  A user name is any bytes but ':' and newline.
 *
 *   struct dh_passwd *pw;
 *   dh_passwd_load(path, &pw, &err);      dh-serve, at start and SIGHUP
 *   dh_passwd_lookup(pw, user, &v);        1 with v, 0 if no such user
 *   dh_passwd_free(pw);
 *   dh_passwd_set(path, user, verifier, &err);   dh-admin passwd
 */
#ifndef DH_PASSWD_H
#define DH_PASSWD_H

#include "scram.h"
#include "util.h"

struct dh_passwd;

/* Errors: DH_EIO (cannot read it), DH_EBADVALUE "PATH:LINE: ..." for a
 * line that is no user and verifier, or a user twice. */
int dh_passwd_load(const char *path, struct dh_passwd **out, struct dh_err *err);
void dh_passwd_free(struct dh_passwd *pw);
int dh_passwd_lookup(const struct dh_passwd *pw, const char *user, struct dh_scram_verifier *v);
/* 32 bytes, secret and the same while the file is: the key of the mock
 * exchanges for users that do not exist (dh_scram_begin). */
const unsigned char *dh_passwd_mock_key(const struct dh_passwd *pw);
/* Set user's verifier (text), adding the user or replacing the line; with
 * verifier NULL, remove the user (DH_EBADNAME if absent).  The file is
 * written whole to a temporary file beside it and renamed over it (mode
 * 0600 when new, else its mode), so a reader sees the old file or the
 * new one.  DH_EBADVALUE for a bad user name or verifier, DH_EIO. */
int dh_passwd_set(const char *path, const char *user, const char *verifier, struct dh_err *err);

#endif
