/*
 * scram: password authentication for dh-serve.  SCRAM-SHA-256 (RFC 5802,
 * RFC 7677) as PostgreSQL 15 does it, its stored verifiers, and the md5
 * and cleartext checks.  No I/O: the server carries the messages in
 * AuthenticationSASL* and SASLInitialResponse/SASLResponse (pgwire-msg.h).
 *
 * Verifiers are PostgreSQL's text form, so they move between the two:
 *   SCRAM-SHA-256$<iterations>:<base64 salt>$<base64 StoredKey>:<base64 ServerKey>
 *
 * Server side, one exchange per connection:
 *
 *   struct dh_scram s;
 *   dh_scram_begin(&s, user, found ? &verifier : NULL, mock_key, NULL, 0);
 *   send AuthenticationSASL with dh_scram_mechanisms(&s, names)
 *   read SASLInitialResponse (mechanism, data or -1)
 *   rc = dh_scram_step(&s, mechanism, data, len, &out, &err);
 *   while (rc == DH_SCRAM_CONTINUE) {
 *       send AuthenticationSASLContinue with out; read SASLResponse;
 *       rc = dh_scram_step(&s, NULL, data, len, &out, &err);
 *   }
 *   rc == 0: send AuthenticationSASLFinal with out, then AuthenticationOk;
 *   rc < 0:  send err as a FATAL ErrorResponse and close
 *   dh_scram_release(&s);
 *
 * A user who does not exist (or has no usable verifier) gets the same
 * exchange against a made-up verifier, failing only at the proof, with
 * the same error as a wrong password: a client cannot tell the two apart,
 * neither from the messages nor from the work the server does.
 *
 * SASLprep: passwords are used as their bytes.  PostgreSQL (the server
 * and libpq) applies SASLprep (RFC 4013) to a password that is valid
 * UTF-8, and its SASLprep returns ASCII input unchanged, so ASCII
 * passwords agree with PostgreSQL exactly.  A non-ASCII password is
 * refused by dh_scram_verifier_make (DH_ENOTSUP) rather than stored in a
 * form libpq might not reproduce: SASLprep's NFKC normalization needs
 * Unicode tables this module does not have.  (Checks against verifiers
 * made elsewhere use the bytes the client proves it knows, so nothing
 * else depends on SASLprep.)
 */
#ifndef DH_SCRAM_H
#define DH_SCRAM_H

#include "util.h"

#define DH_SCRAM_KEY_LEN 32
#define DH_SCRAM_SALT_LEN 16      /* of made verifiers */
#define DH_SCRAM_SALT_MAX 64      /* of verifiers accepted */
#define DH_SCRAM_ITERATIONS 4096  /* PostgreSQL's default */
#define DH_SCRAM_NONCE_MAX 128    /* of server nonces forced by tests */

/* dh_scram_step's answer when another round follows. */
#define DH_SCRAM_CONTINUE 1

struct dh_scram_verifier {
	int iterations;
	size_t saltlen;
	unsigned char salt[DH_SCRAM_SALT_MAX];
	unsigned char stored_key[DH_SCRAM_KEY_LEN];
	unsigned char server_key[DH_SCRAM_KEY_LEN];
};

/* Make the verifier of a password: a random 16-byte salt and the given
 * iterations (0: 4096).  Appends its text to out.  0, DH_ENOTSUP for a
 * non-ASCII password (see SASLprep above), DH_EBADVALUE for an empty one
 * or iterations out of 1..INT_MAX, DH_EIO when no random bytes,
 * DH_ETOOLONG when out is full. */
int dh_scram_verifier_make(const char *password, int iterations, struct dh_buf *out,
			   struct dh_err *e);
/* The same with the salt given (tests, and reproducing a verifier). */
int dh_scram_verifier_make_salt(const char *password, const unsigned char *salt,
				size_t saltlen, int iterations, struct dh_buf *out,
				struct dh_err *e);
/* Parse a verifier's text.  0 or DH_EBADVALUE ("invalid SCRAM verifier"
 * with what is wrong in the detail): not SCRAM-SHA-256, iterations not a
 * positive decimal, a salt not base64 or empty or over 64 bytes, keys not
 * 32 bytes of base64, anything after them. */
int dh_scram_verifier_parse(const char *text, struct dh_scram_verifier *v, struct dh_err *e);
/* Whether a cleartext password matches a verifier (PostgreSQL's
 * scram_verify_plain_password, for cleartext authentication against
 * stored SCRAM verifiers): 1 or 0, compared in constant time. */
int dh_scram_verify_plain(const struct dh_scram_verifier *v, const char *password);

/* ------------------------------------------------------------ server */

struct dh_scram {
	int state;
	int chosen;      /* the mechanism was chosen */
	int doomed;      /* a mock exchange: fails at the proof */
	int cbind;       /* SCRAM-SHA-256-PLUS chosen */
	int cbind_flag;  /* the gs2 header's 'n', 'y' or 'p' */
	const char *user;
	struct dh_scram_verifier v;
	const unsigned char *cbind_data; /* tls-server-end-point hash, or NULL */
	size_t cbind_len;
	char forced_nonce[DH_SCRAM_NONCE_MAX + 1];
	struct dh_arena a; /* the messages kept for AuthMessage */
	const char *client_first_bare, *server_first, *nonce;
};

/* Begin an exchange for user (the name of the startup packet; kept by
 * pointer until dh_scram_release, and named in the failure message).  v is
 * the user's verifier, copied; NULL for a user who does not exist or has
 * none: the exchange is then a mock with a salt derived from mock_key and
 * the user name, so it is the same salt at every attempt.  mock_key is 32
 * bytes the server keeps secret and stable (across restarts too, or the
 * salts of unknown users change while real ones do not).  cbind_data is
 * the tls-server-end-point channel-binding data of a TLS connection (the
 * certificate's hash), which also offers SCRAM-SHA-256-PLUS; NULL
 * without TLS. */
void dh_scram_begin(struct dh_scram *s, const char *user, const struct dh_scram_verifier *v,
		    const unsigned char mock_key[32], const unsigned char *cbind_data,
		    size_t cbind_len);
/* The mechanism names to offer in AuthenticationSASL, into names[2]; their
 * count (1, or 2 with channel binding). */
size_t dh_scram_mechanisms(const struct dh_scram *s, const char *names[2]);
/* Use this server nonce instead of 18 random bytes in base64 (tests: RFC
 * 7677's exchange).  It must be printable ASCII without ','. */
void dh_scram_force_nonce(struct dh_scram *s, const char *nonce);
/* One round.  The first call passes the mechanism the client chose and
 * its initial response (data NULL when it sent none: the answer is then
 * an empty challenge and DH_SCRAM_CONTINUE); later calls pass mechanism
 * NULL and the SASLResponse.  Appends the server's message to out.
 * Returns DH_SCRAM_CONTINUE (send out in AuthenticationSASLContinue), 0
 * (authenticated: send out in AuthenticationSASLFinal), or an error, all
 * to be sent as FATAL, with PostgreSQL's texts:
 *   DH_EPROTOCOL  "client selected an invalid SASL authentication
 *                 mechanism", "malformed SCRAM message" (what is wrong in
 *                 the detail), "unsupported SCRAM channel-binding type",
 *                 "non-printable characters in SCRAM nonce", "invalid
 *                 SCRAM response" (nonce mismatch), "unexpected SCRAM
 *                 channel-binding attribute in client-final-message"
 *   DH_ENOTSUP    "client uses authorization identity, but it is not
 *                 supported", "client requires an unsupported SCRAM
 *                 extension"
 *   DH_ESQL 28000 "SCRAM channel binding negotiation error", "SCRAM
 *                 channel binding check failed"
 *   DH_EAUTHFAIL  "password authentication failed for user \"%s\"": a
 *                 wrong proof, or any mock exchange
 * A step after the end is DH_EPROTOCOL. */
int dh_scram_step(struct dh_scram *s, const char *mechanism, const unsigned char *data,
		  size_t len, struct dh_buf *out, struct dh_err *e);
void dh_scram_release(struct dh_scram *s);

/* ------------------------------------------------------------ client
 * The client's side, as libpq computes it: for tests of the server side
 * and for tools that log in to PostgreSQL with a password. */
struct dh_scram_client {
	struct dh_arena a;
	const char *password, *nonce, *client_first_bare, *gs2;
	const unsigned char *cbind;
	size_t cbind_len;
	unsigned char salted[DH_SCRAM_KEY_LEN];
	unsigned char server_signature[DH_SCRAM_KEY_LEN];
	int state;
};
/* Start with the password (kept by pointer), the user name for the
 * client-first-message (NULL or "": "n=", as libpq sends; PostgreSQL
 * ignores it), a client nonce (NULL: random) and channel-binding data
 * (NULL: none, gs2 header "n,,"; else "p=tls-server-end-point,," and the
 * data in the final message).  Appends the client-first-message to out:
 * 0, DH_EIO (no random bytes), DH_ETOOLONG. */
int dh_scram_client_first(struct dh_scram_client *c, const char *user, const char *password,
			  const char *nonce, const unsigned char *cbind, size_t cbind_len,
			  struct dh_buf *out);
/* Read the server-first-message, append the client-final-message.  0 or
 * DH_EPROTOCOL (a malformed message, a nonce that does not extend ours,
 * iterations out of range). */
int dh_scram_client_final(struct dh_scram_client *c, const unsigned char *server_first,
			  size_t len, struct dh_buf *out, struct dh_err *e);
/* Check the server-final-message's signature: 0 or DH_EAUTHFAIL. */
int dh_scram_client_verify(struct dh_scram_client *c, const unsigned char *server_final,
			   size_t len, struct dh_err *e);
void dh_scram_client_release(struct dh_scram_client *c);

/* ------------------------------------------------------------ md5 */

/* PostgreSQL's stored md5 form: "md5" + hex(md5(password || user)), into
 * out[36] with its NUL. */
void dh_md5_password_hash(const char *password, const char *user, char out[36]);
/* Check a client's answer to AuthenticationMD5Password: "md5" +
 * hex(md5(hex-part-of-stored || salt)), stored being the form above.
 * 0, or DH_EAUTHFAIL "password authentication failed for user \"%s\"". */
int dh_md5_password_check(const char *stored, const char *user, const unsigned char salt[4],
			  const char *response, struct dh_err *e);

#endif
