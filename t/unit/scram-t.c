/*
 * scram-t: SCRAM-SHA-256 and md5 passwords.  RFC 7677's example exchange
 * is reproduced byte for byte (the server's nonce forced), our client
 * reproduces the RFC's proof, verifiers match values computed by an
 * independent implementation (Python's hashlib), and every way a client
 * message can be wrong gets PostgreSQL 15's error.  t/t4500-scram-pg.sh
 * checks verifiers against a real PostgreSQL 15.
 */
#include "scram.h"
#include "tap.h"

/* RFC 7677, section 3 */
#define RFC_USER "user"
#define RFC_PASSWORD "pencil"
#define RFC_CNONCE "rOprNGfwEbeRWgbNEkqO"
#define RFC_SNONCE "%hvYDpWUa2RaTCAfuxFIlj)hNlF$k0"
#define RFC_C1 "n,,n=user,r=rOprNGfwEbeRWgbNEkqO"
#define RFC_S1                                                                                      \
	"r=rOprNGfwEbeRWgbNEkqO%hvYDpWUa2RaTCAfuxFIlj)hNlF$k0,s=W22ZaJ0SNY7soEsUEjb6gQ==,i=4096"
#define RFC_C2                                                                                      \
	"c=biws,r=rOprNGfwEbeRWgbNEkqO%hvYDpWUa2RaTCAfuxFIlj)hNlF$k0,"                            \
	"p=dHzbZapWIk4jUhN+Ute9ytag9zjfMHgsqmmiz7AndVQ="
#define RFC_S2 "v=6rriTRBi23WpRR/wtup+mMhUZUn/dB5nLTJRsjl95G4="
/* the verifier of "pencil" with the RFC's salt, by Python's hashlib */
#define RFC_VERIFIER                                                                                \
	"SCRAM-SHA-256$4096:W22ZaJ0SNY7soEsUEjb6gQ==$WG5d8oPm3OtcPnkdi4Uo7BkeZkBFzpcXkuLmtbsT4qY=:" \
	"wfPLwcE6nTWhTAmQ7tl2KeoiWGPlZqQxSrmfPwDl2dU="

static const unsigned char rfc_salt[16] = {0x5b, 0x6d, 0x99, 0x68, 0x9d, 0x12, 0x35, 0x8e,
					   0xec, 0xa0, 0x4b, 0x14, 0x12, 0x36, 0xfa, 0x81};
static const unsigned char mock_key[32] = "0123456789abcdef0123456789abcdef";

static int
step(struct dh_scram *s, const char *mech, const char *in, struct dh_buf *out,
     struct dh_err *e)
{
	dh_buf_reset(out);
	memset(e, 0, sizeof(*e));
	return dh_scram_step(s, mech, (const unsigned char *)in, in ? strlen(in) : 0, out, e);
}

/* A whole exchange of our client against our server: the server's final
 * return code. */
static int
exchange(const struct dh_scram_verifier *v, const char *user, const char *password,
	 const unsigned char *cbind_srv, const unsigned char *cbind_cli, struct dh_err *e)
{
	struct dh_scram s;
	struct dh_scram_client c;
	struct dh_buf cm, sm;
	int rc;
	dh_buf_init(&cm, 0);
	dh_buf_init(&sm, 0);
	dh_scram_begin(&s, user, v, mock_key, cbind_srv, cbind_srv ? 32 : 0);
	dh_scram_client_first(&c, NULL, password, NULL, cbind_cli, cbind_cli ? 32 : 0, &cm);
	rc = dh_scram_step(&s, cbind_cli ? "SCRAM-SHA-256-PLUS" : "SCRAM-SHA-256", cm.p, cm.len,
			   &sm, e);
	if (rc == DH_SCRAM_CONTINUE) {
		dh_buf_reset(&cm);
		rc = dh_scram_client_final(&c, sm.p, sm.len, &cm, e);
		if (rc == 0) {
			dh_buf_reset(&sm);
			rc = dh_scram_step(&s, NULL, cm.p, cm.len, &sm, e);
			if (rc == 0 && dh_scram_client_verify(&c, sm.p, sm.len, e) != 0)
				rc = -9999;
		}
	}
	dh_scram_client_release(&c);
	dh_scram_release(&s);
	dh_buf_release(&cm);
	dh_buf_release(&sm);
	return rc;
}

static void
test_rfc7677(void)
{
	struct dh_buf out, cm;
	struct dh_err e;
	struct dh_scram_verifier v;
	struct dh_scram s;
	int rc;

	dh_buf_init(&out, 0);
	dh_buf_init(&cm, 0);
	rc = dh_scram_verifier_make_salt(RFC_PASSWORD, rfc_salt, 16, 4096, &out, &e);
	ok(rc == 0, "the verifier of the RFC's password and salt is made");
	is_str((char *)out.p, RFC_VERIFIER, "and is the one hashlib computes");
	rc = dh_scram_verifier_parse((char *)out.p, &v, &e);
	ok(rc == 0 && v.iterations == 4096 && v.saltlen == 16 && memcmp(v.salt, rfc_salt, 16) == 0,
	   "it parses back");

	dh_scram_begin(&s, RFC_USER, &v, mock_key, NULL, 0);
	dh_scram_force_nonce(&s, RFC_SNONCE);
	const char *names[2];
	ok(dh_scram_mechanisms(&s, names) == 1 && strcmp(names[0], "SCRAM-SHA-256") == 0,
	   "without TLS only SCRAM-SHA-256 is offered");
	rc = step(&s, "SCRAM-SHA-256", RFC_C1, &out, &e);
	ok(rc == DH_SCRAM_CONTINUE, "the RFC's client-first-message is taken");
	is_str((char *)out.p, RFC_S1, "our server-first-message is the RFC's");
	rc = step(&s, NULL, RFC_C2, &out, &e);
	ok(rc == 0, "the RFC's client-final-message authenticates");
	is_str((char *)out.p, RFC_S2, "our server-final-message is the RFC's");
	rc = step(&s, NULL, RFC_C2, &out, &e);
	ok(rc == DH_EPROTOCOL, "a step after the end is refused");
	dh_scram_release(&s);

	/* our client, with the RFC's user and nonce, says what the RFC says */
	struct dh_scram_client c;
	dh_buf_reset(&cm);
	dh_scram_client_first(&c, RFC_USER, RFC_PASSWORD, RFC_CNONCE, NULL, 0, &cm);
	is_str((char *)cm.p, RFC_C1, "our client-first-message is the RFC's");
	dh_buf_reset(&cm);
	rc = dh_scram_client_final(&c, (const unsigned char *)RFC_S1, strlen(RFC_S1), &cm, &e);
	ok(rc == 0, "our client reads the RFC's server-first-message");
	is_str((char *)cm.p, RFC_C2, "our client-final-message (the proof) is the RFC's");
	ok(dh_scram_client_verify(&c, (const unsigned char *)RFC_S2, strlen(RFC_S2), &e) == 0,
	   "our client accepts the RFC's server signature");
	rc = dh_scram_client_verify(&c, (const unsigned char *)"v=AAAA", 6, &e);
	ok(rc == DH_EAUTHFAIL, "and refuses another one");
	dh_scram_client_release(&c);

	/* a wrong password */
	dh_scram_begin(&s, RFC_USER, &v, mock_key, NULL, 0);
	dh_scram_force_nonce(&s, RFC_SNONCE);
	step(&s, "SCRAM-SHA-256", RFC_C1, &out, &e);
	dh_scram_client_first(&c, RFC_USER, "pencil2", RFC_CNONCE, NULL, 0, &cm);
	dh_buf_reset(&cm);
	dh_scram_client_final(&c, (const unsigned char *)RFC_S1, strlen(RFC_S1), &cm, &e);
	rc = step(&s, NULL, (char *)cm.p, &out, &e);
	ok(rc == DH_EAUTHFAIL && strcmp(e.sqlstate, "28P01") == 0 &&
		   strcmp(e.message, "password authentication failed for user \"user\"") == 0 &&
		   out.len == 0,
	   "a wrong password: 28P01 password authentication failed for user \"user\"");
	dh_scram_client_release(&c);
	dh_scram_release(&s);

	ok(exchange(&v, "user", RFC_PASSWORD, NULL, NULL, &e) == 0,
	   "a random-nonce exchange with the right password succeeds");
	rc = exchange(&v, "user", "Pencil", NULL, NULL, &e);
	ok(rc == DH_EAUTHFAIL, "and with a wrong one fails");

	ok(dh_scram_verify_plain(&v, RFC_PASSWORD) == 1 && dh_scram_verify_plain(&v, "x") == 0,
	   "a cleartext password checks against the verifier");
	dh_buf_release(&out);
	dh_buf_release(&cm);
}

static void
test_mock(void)
{
	struct dh_buf out, out2;
	struct dh_err e, e2;
	struct dh_scram s;
	struct dh_scram_verifier v;
	int rc;
	dh_buf_init(&out, 0);
	dh_buf_init(&out2, 0);
	dh_scram_verifier_parse(RFC_VERIFIER, &v, &e);

	/* a user that does not exist: a salt, then the same failure */
	dh_scram_begin(&s, "nobody", NULL, mock_key, NULL, 0);
	rc = step(&s, "SCRAM-SHA-256", "n,,n=,r=abc", &out, &e);
	ok(rc == DH_SCRAM_CONTINUE && strncmp((char *)out.p, "r=abc", 5) == 0 &&
		   strstr((char *)out.p, ",s=") && strstr((char *)out.p, ",i=4096"),
	   "an unknown user gets a server-first-message like any other");
	dh_scram_release(&s);
	dh_scram_begin(&s, "nobody", NULL, mock_key, NULL, 0);
	step(&s, "SCRAM-SHA-256", "n,,n=,r=abc", &out2, &e);
	const char *s1 = strstr((char *)out.p, ",s="), *s2 = strstr((char *)out2.p, ",s=");
	ok(s1 && s2 && strcmp(s1, s2) == 0, "with the same salt at every attempt");
	dh_scram_release(&s);
	dh_scram_begin(&s, "somebody", NULL, mock_key, NULL, 0);
	step(&s, "SCRAM-SHA-256", "n,,n=,r=abc", &out2, &e);
	s2 = strstr((char *)out2.p, ",s=");
	ok(s2 && strcmp(s1, s2) != 0, "and another user another salt");
	dh_scram_release(&s);

	rc = exchange(NULL, "nobody", RFC_PASSWORD, NULL, NULL, &e);
	ok(rc == DH_EAUTHFAIL && strcmp(e.message, "password authentication failed for user "
						   "\"nobody\"") == 0,
	   "the mock exchange fails at the proof");
	rc = exchange(NULL, "user", RFC_PASSWORD, NULL, NULL, &e);
	int rc2 = exchange(&v, "user", "wrong", NULL, NULL, &e2);
	ok(rc == DH_EAUTHFAIL && rc2 == DH_EAUTHFAIL && strcmp(e.message, e2.message) == 0 &&
		   strcmp(e.sqlstate, e2.sqlstate) == 0 && !e.detail[0] && !e2.detail[0],
	   "an unknown user fails exactly as a wrong password does");
	dh_buf_release(&out);
	dh_buf_release(&out2);
}

struct bad {
	const char *mech, *first, *final;
	int rc;
	const char *state, *msg, *detail;
};

static void
test_malformed(void)
{
	struct dh_buf out;
	struct dh_err e;
	struct dh_scram s;
	struct dh_scram_verifier v;
	dh_buf_init(&out, 0);
	dh_scram_verifier_parse(RFC_VERIFIER, &v, &e);

#define M "malformed SCRAM message"
	static const struct bad bad[] = {
	    {"SCRAM-SHA-1", RFC_C1, NULL, DH_EPROTOCOL, "08P01",
	     "client selected an invalid SASL authentication mechanism", ""},
	    {"SCRAM-SHA-256-PLUS", RFC_C1, NULL, DH_EPROTOCOL, "08P01",
	     "client selected an invalid SASL authentication mechanism", ""},
	    {"SCRAM-SHA-256", "", NULL, DH_EPROTOCOL, "08P01", M, "The message is empty."},
	    {"SCRAM-SHA-256", "x,,n=,r=a", NULL, DH_EPROTOCOL, "08P01", M,
	     "Unexpected channel-binding flag \"'x'\"."},
	    {"SCRAM-SHA-256", "n;,n=,r=a", NULL, DH_EPROTOCOL, "08P01", M,
	     "Comma expected, but found character \"';'\"."},
	    {"SCRAM-SHA-256", "n", NULL, DH_EPROTOCOL, "08P01", M,
	     "Comma expected, but found character \"0x00\"."},
	    {"SCRAM-SHA-256", "p=tls-server-end-point,,n=,r=a", NULL, DH_EPROTOCOL, "08P01", M,
	     "The client selected SCRAM-SHA-256 without channel binding, but the SCRAM message "
	     "includes channel binding data."},
	    {"SCRAM-SHA-256", "n,a=bob,n=,r=a", NULL, DH_ENOTSUP, "0A000",
	     "client uses authorization identity, but it is not supported", ""},
	    {"SCRAM-SHA-256", "n,x,n=,r=a", NULL, DH_EPROTOCOL, "08P01", M,
	     "Unexpected attribute \"'x'\" in client-first-message."},
	    {"SCRAM-SHA-256", "n,,m=ext,n=,r=a", NULL, DH_ENOTSUP, "0A000",
	     "client requires an unsupported SCRAM extension", ""},
	    {"SCRAM-SHA-256", "n,,r=a", NULL, DH_EPROTOCOL, "08P01", M,
	     "Expected attribute \"n\" but found \"'r'\"."},
	    {"SCRAM-SHA-256", "n,,n=,r", NULL, DH_EPROTOCOL, "08P01", M,
	     "Expected character \"=\" for attribute \"r\"."},
	    {"SCRAM-SHA-256", "n,,n=", NULL, DH_EPROTOCOL, "08P01", M,
	     "Expected attribute \"r\" but found \"0x00\"."},
	    {"SCRAM-SHA-256", "n,,n=,r=a\x7f", NULL, DH_EPROTOCOL, "08P01",
	     "non-printable characters in SCRAM nonce", ""},
	    {"SCRAM-SHA-256", "n,,n=,r=a,1=x", NULL, DH_EPROTOCOL, "08P01", M,
	     "Attribute expected, but found invalid character \"'1'\"."},
	    /* client-final-messages, after "n,,n=,r=a" and the nonce "a" + "SN" */
	    {"SCRAM-SHA-256", "n,,n=,r=a", "c=eSws,r=aSN,p=" RFC_S2, DH_EPROTOCOL, "08P01",
	     "unexpected SCRAM channel-binding attribute in client-final-message", ""},
	    {"SCRAM-SHA-256", "n,,n=,r=a", "r=aSN", DH_EPROTOCOL, "08P01", M,
	     "Expected attribute \"c\" but found \"'r'\"."},
	    {"SCRAM-SHA-256", "n,,n=,r=a", "c=biws,r=aSX,p=dHzbZapWIk4jUhN+Ute9ytag9zjfMHgsqmmiz7AndVQ=",
	     DH_EPROTOCOL, "08P01", "invalid SCRAM response", "Nonce does not match."},
	    {"SCRAM-SHA-256", "n,,n=,r=a", "c=biws,r=aSNx,p=dHzbZapWIk4jUhN+Ute9ytag9zjfMHgsqmmiz7AndVQ=",
	     DH_EPROTOCOL, "08P01", "invalid SCRAM response", "Nonce does not match."},
	    {"SCRAM-SHA-256", "n,,n=,r=a", "c=biws,r=aSN,p=AAAA", DH_EPROTOCOL, "08P01", M,
	     "Malformed proof in client-final-message."},
	    {"SCRAM-SHA-256", "n,,n=,r=a", "c=biws,r=aSN,p=!!!", DH_EPROTOCOL, "08P01", M,
	     "Malformed proof in client-final-message."},
	    {"SCRAM-SHA-256", "n,,n=,r=a",
	     "c=biws,r=aSN,p=dHzbZapWIk4jUhN+Ute9ytag9zjfMHgsqmmiz7AndVQ=,x=1", DH_EPROTOCOL, "08P01",
	     M, "Garbage found at the end of client-final-message."},
	    {"SCRAM-SHA-256", "n,,n=,r=a", "c=biws,r=aSN", DH_EPROTOCOL, "08P01", M,
	     "Attribute expected, but found end of string."},
	    /* well-formed with an extension before the proof: a wrong proof */
	    {"SCRAM-SHA-256", "n,,n=,r=a",
	     "c=biws,r=aSN,x=ext,p=dHzbZapWIk4jUhN+Ute9ytag9zjfMHgsqmmiz7AndVQ=", DH_EAUTHFAIL,
	     "28P01", "password authentication failed for user \"user\"", ""},
	    {"SCRAM-SHA-256", "y,,n=,r=a",
	     "c=eSws,r=aSN,p=dHzbZapWIk4jUhN+Ute9ytag9zjfMHgsqmmiz7AndVQ=", DH_EAUTHFAIL, "28P01",
	     "password authentication failed for user \"user\"", ""},
	};
	for (size_t i = 0; i < DH_ARRAY_SIZE(bad); i++) {
		int rc;
		dh_scram_begin(&s, "user", &v, mock_key, NULL, 0);
		dh_scram_force_nonce(&s, "SN");
		rc = step(&s, bad[i].mech, bad[i].first, &out, &e);
		if (bad[i].final && rc == DH_SCRAM_CONTINUE)
			rc = step(&s, NULL, bad[i].final, &out, &e);
		if (!ok(rc == bad[i].rc && strcmp(e.sqlstate, bad[i].state) == 0 &&
				strcmp(e.message, bad[i].msg) == 0 &&
				strcmp(e.detail, bad[i].detail) == 0,
			"%s / %s: %s %s", bad[i].first, bad[i].final ? bad[i].final : "-",
			bad[i].state, bad[i].detail[0] ? bad[i].detail : bad[i].msg))
			printf("#   got %d %s '%s' '%s'\n", rc, e.sqlstate, e.message, e.detail);
		dh_scram_release(&s);
	}

	/* a NUL inside a message */
	dh_scram_begin(&s, "user", &v, mock_key, NULL, 0);
	int rc = dh_scram_step(&s, "SCRAM-SHA-256", (const unsigned char *)"n,,n=\0,r=a", 10, &out, &e);
	ok(rc == DH_EPROTOCOL && strcmp(e.detail, "Message length does not match input length.") == 0,
	   "a NUL inside the client-first-message");
	dh_scram_release(&s);

	/* no initial response: an empty challenge, then the first message */
	dh_scram_begin(&s, "user", &v, mock_key, NULL, 0);
	dh_scram_force_nonce(&s, "SN");
	dh_buf_reset(&out);
	rc = dh_scram_step(&s, "SCRAM-SHA-256", NULL, 0, &out, &e);
	ok(rc == DH_SCRAM_CONTINUE && out.len == 0,
	   "a SASLInitialResponse without data gets an empty challenge");
	rc = step(&s, NULL, "n,,n=,r=a", &out, &e);
	ok(rc == DH_SCRAM_CONTINUE && strncmp((char *)out.p, "r=aSN,s=", 8) == 0,
	   "and the next response is the client-first-message");
	dh_scram_release(&s);
	dh_scram_begin(&s, "user", &v, mock_key, NULL, 0);
	rc = step(&s, NULL, "n,,n=,r=a", &out, &e);
	ok(rc == DH_EPROTOCOL, "a response before the mechanism is chosen is refused");
	dh_scram_release(&s);
	dh_buf_release(&out);
}

static void
test_channel_binding(void)
{
	static const unsigned char cb[32] = "certificate-hash-certificate-has";
	static const unsigned char other[32] = "another-hash-another-hash-anothe";
	struct dh_scram_verifier v;
	struct dh_scram s;
	struct dh_err e;
	struct dh_buf out;
	const char *names[2];
	int rc;
	dh_buf_init(&out, 0);
	dh_scram_verifier_parse(RFC_VERIFIER, &v, &e);

	dh_scram_begin(&s, "user", &v, mock_key, cb, 32);
	ok(dh_scram_mechanisms(&s, names) == 2 && strcmp(names[0], "SCRAM-SHA-256-PLUS") == 0 &&
		   strcmp(names[1], "SCRAM-SHA-256") == 0,
	   "with TLS, SCRAM-SHA-256-PLUS is offered first");
	dh_scram_release(&s);
	ok(exchange(&v, "user", RFC_PASSWORD, cb, cb, &e) == 0,
	   "SCRAM-SHA-256-PLUS with the right certificate hash succeeds");
	rc = exchange(&v, "user", RFC_PASSWORD, cb, other, &e);
	ok(rc == DH_ESQL && strcmp(e.sqlstate, "28000") == 0 &&
		   strcmp(e.message, "SCRAM channel binding check failed") == 0,
	   "with another hash: 28000 SCRAM channel binding check failed");
	ok(exchange(&v, "user", RFC_PASSWORD, cb, NULL, &e) == 0,
	   "SCRAM-SHA-256 without binding still works over TLS");

	dh_scram_begin(&s, "user", &v, mock_key, cb, 32);
	rc = step(&s, "SCRAM-SHA-256", "y,,n=,r=a", &out, &e);
	ok(rc == DH_ESQL && strcmp(e.sqlstate, "28000") == 0 &&
		   strcmp(e.message, "SCRAM channel binding negotiation error") == 0,
	   "'y' to a server that can bind: 28000 negotiation error");
	dh_scram_release(&s);
	dh_scram_begin(&s, "user", &v, mock_key, cb, 32);
	rc = step(&s, "SCRAM-SHA-256-PLUS", "n,,n=,r=a", &out, &e);
	ok(rc == DH_EPROTOCOL &&
		   strstr(e.detail, "selected SCRAM-SHA-256-PLUS, but the SCRAM message does not "
				    "include channel binding data"),
	   "PLUS chosen with an 'n' header is malformed");
	dh_scram_release(&s);
	dh_scram_begin(&s, "user", &v, mock_key, cb, 32);
	rc = step(&s, "SCRAM-SHA-256-PLUS", "p=tls-unique,,n=,r=a", &out, &e);
	ok(rc == DH_EPROTOCOL &&
		   strcmp(e.message, "unsupported SCRAM channel-binding type \"tls-unique\"") == 0,
	   "the binding type tls-unique is refused");
	dh_scram_release(&s);
	dh_buf_release(&out);
}

static void
test_verifiers(void)
{
	struct dh_buf a, b;
	struct dh_err e;
	struct dh_scram_verifier v;
	int rc;
	dh_buf_init(&a, 0);
	dh_buf_init(&b, 0);
	ok(dh_scram_verifier_make("secret", 0, &a, &e) == 0 &&
		   dh_scram_verifier_make("secret", 0, &b, &e) == 0,
	   "verifiers are made");
	ok(strncmp((char *)a.p, "SCRAM-SHA-256$4096:", 19) == 0 && a.len == 19 + 24 + 1 + 44 + 1 + 44,
	   "in PostgreSQL's form with a 16-byte salt: %s", (char *)a.p);
	ok(strcmp((char *)a.p, (char *)b.p) != 0, "two verifiers of one password differ (the salt)");
	ok(dh_scram_verifier_parse((char *)a.p, &v, &e) == 0 && dh_scram_verify_plain(&v, "secret"),
	   "a made verifier parses and matches its password");
	dh_buf_reset(&a);
	ok(dh_scram_verifier_make("secret", 10000, &a, &e) == 0 &&
		   strncmp((char *)a.p, "SCRAM-SHA-256$10000:", 20) == 0,
	   "iterations may be chosen");
	rc = dh_scram_verifier_make("p\xc3\xa4ss", 0, &a, &e);
	ok(rc == DH_ENOTSUP, "a non-ASCII password is refused (no SASLprep)");
	rc = dh_scram_verifier_make("", 0, &a, &e);
	ok(rc == DH_EBADVALUE, "an empty password is refused");

	static const char *const bad[] = {
	    "md520c46e3762c864548e296b33c3406aa9",
	    "SCRAM-SHA-1$4096:W22ZaJ0SNY7soEsUEjb6gQ==$WG5d8oPm3OtcPnkdi4Uo7BkeZkBFzpcXkuLmtbsT4qY=:"
	    "wfPLwcE6nTWhTAmQ7tl2KeoiWGPlZqQxSrmfPwDl2dU=",
	    "SCRAM-SHA-256$0:W22ZaJ0SNY7soEsUEjb6gQ==$WG5d8oPm3OtcPnkdi4Uo7BkeZkBFzpcXkuLmtbsT4qY=:"
	    "wfPLwcE6nTWhTAmQ7tl2KeoiWGPlZqQxSrmfPwDl2dU=",
	    "SCRAM-SHA-256$-1:W22ZaJ0SNY7soEsUEjb6gQ==$WG5d8oPm3OtcPnkdi4Uo7BkeZkBFzpcXkuLmtbsT4qY=:"
	    "wfPLwcE6nTWhTAmQ7tl2KeoiWGPlZqQxSrmfPwDl2dU=",
	    "SCRAM-SHA-256$99999999999:W22ZaJ0SNY7soEsUEjb6gQ==$WG5d8oPm3OtcPnkdi4Uo7BkeZkBFzpcXkuLmtb"
	    "sT4qY=:wfPLwcE6nTWhTAmQ7tl2KeoiWGPlZqQxSrmfPwDl2dU=",
	    "SCRAM-SHA-256$4096x:W22ZaJ0SNY7soEsUEjb6gQ==$WG5d8oPm3OtcPnkdi4Uo7BkeZkBFzpcXkuLmtbsT4qY=:"
	    "wfPLwcE6nTWhTAmQ7tl2KeoiWGPlZqQxSrmfPwDl2dU=",
	    "SCRAM-SHA-256$4096:W22ZaJ0SNY7soEsUEjb6g!==$WG5d8oPm3OtcPnkdi4Uo7BkeZkBFzpcXkuLmtbsT4qY=:"
	    "wfPLwcE6nTWhTAmQ7tl2KeoiWGPlZqQxSrmfPwDl2dU=",
	    "SCRAM-SHA-256$4096:$WG5d8oPm3OtcPnkdi4Uo7BkeZkBFzpcXkuLmtbsT4qY=:"
	    "wfPLwcE6nTWhTAmQ7tl2KeoiWGPlZqQxSrmfPwDl2dU=",
	    "SCRAM-SHA-256$4096:W22ZaJ0SNY7soEsUEjb6gQ==$WG5d8oPm3OtcPnkdi4Uo7BkeZkBFzpcXkuLmtbsT4q=:"
	    "wfPLwcE6nTWhTAmQ7tl2KeoiWGPlZqQxSrmfPwDl2dU=",
	    "SCRAM-SHA-256$4096:W22ZaJ0SNY7soEsUEjb6gQ==$WG5d8oPm3OtcPnkdi4Uo7BkeZkBFzpcXkuLmtbsT4qY=:"
	    "wfPLwcE6nTWhTAmQ7tl2KeoiWGPlZqQxSrmfPwDl2dU=:extra",
	    "SCRAM-SHA-256$4096:W22ZaJ0SNY7soEsUEjb6gQ==$WG5d8oPm3OtcPnkdi4Uo7BkeZkBFzpcXkuLmtbsT4qY=",
	    "SCRAM-SHA-256$4096:W22ZaJ0SNY7soEsUEjb6gQ==:WG5d8oPm3OtcPnkdi4Uo7BkeZkBFzpcXkuLmtbsT4qY=:"
	    "wfPLwcE6nTWhTAmQ7tl2KeoiWGPlZqQxSrmfPwDl2dU=",
	    "",
	};
	int refused = 0;
	for (size_t i = 0; i < DH_ARRAY_SIZE(bad); i++) {
		memset(&e, 0, sizeof(e));
		rc = dh_scram_verifier_parse(bad[i], &v, &e);
		if (rc == DH_EBADVALUE && strcmp(e.message, "invalid SCRAM verifier") == 0 &&
		    e.detail[0])
			refused++;
		else
			printf("#   taken: %s\n", bad[i]);
	}
	is_int(refused, DH_ARRAY_SIZE(bad), "malformed verifiers are refused with a reason");
	dh_buf_release(&a);
	dh_buf_release(&b);
}

static void
test_md5(void)
{
	char h[36];
	struct dh_err e;
	static const unsigned char salt[4] = {1, 2, 3, 4};
	dh_md5_password_hash("pencil", "user", h);
	/* Python: "md5" + md5(b"penciluser").hexdigest() */
	is_str(h, "md520c46e3762c864548e296b33c3406aa9", "md5 password hash");
	/* Python: "md5" + md5(hash[3:].encode() + bytes([1,2,3,4])).hexdigest() */
	ok(dh_md5_password_check(h, "user", salt, "md54376eb6913b38f9aaff38dc7cf19ca76", &e) == 0,
	   "the md5 answer of the right password is taken");
	int rc = dh_md5_password_check(h, "user", salt, "md54376eb6913b38f9aaff38dc7cf19ca77", &e);
	ok(rc == DH_EAUTHFAIL && strcmp(e.sqlstate, "28P01") == 0, "a wrong one is 28P01");
	rc = dh_md5_password_check(RFC_VERIFIER, "user", salt, "md54376eb6913b38f9aaff38dc7cf19ca76",
				   &e);
	ok(rc == DH_EAUTHFAIL, "a stored SCRAM verifier cannot answer md5");
}

int
main(void)
{
	test_rfc7677();
	test_mock();
	test_malformed();
	test_channel_binding();
	test_verifiers();
	test_md5();
	return tap_done();
}
