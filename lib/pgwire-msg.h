/*
 * pgwire-msg: the PostgreSQL wire protocol v3 message codec, without I/O.
 * The server owns the sockets; this module turns received bytes into
 * checked messages and messages into bytes to send.  It follows what
 * PostgreSQL 15 does: the same limits, the same checks in the same order,
 * the same error texts (postmaster.c ProcessStartupPacket, postgres.c
 * SocketBackend, pqcomm.c pq_getmessage, pqformat.c pq_getmsg*).
 *
 * Reading.  A struct dh_pgwire_reader frames the byte stream:
 *
 *   struct dh_pgwire_reader r;
 *   dh_pgwire_reader_init(&r);                  startup phase
 *   for (;;) {
 *       n = recv(fd, tmp, sizeof tmp, 0);
 *       if (n == 0) { rc = dh_pgwire_reader_eof(&r, &err); break; }
 *       dh_pgwire_reader_feed(&r, tmp, n);
 *       while ((rc = dh_pgwire_reader_next(&r, &m, &err)) == 1)
 *           handle m: its kind (startup phase) or type, then the decoder
 *           of that message, e.g. dh_pgwire_decode_bind(&m, arena, &b, &err)
 *       if (rc < 0) send err as a FATAL ErrorResponse and close
 *   }
 *   dh_pgwire_reader_release(&r);
 *
 * The phase decides how bytes are framed and which message types are
 * allowed; the server moves it on (dh_pgwire_reader_set_phase):
 *   DH_PGWIRE_STARTUP   untyped packets: Int32 length, Int32 code, body.
 *                       StartupMessage, SSLRequest, GSSENCRequest,
 *                       CancelRequest.  At most 10,000 bytes.
 *   DH_PGWIRE_PASSWORD  after AuthenticationCleartextPassword or
 *   DH_PGWIRE_SASL      MD5Password / after AuthenticationSASL(Continue):
 *                       only 'p', at most 65,535 bytes (PostgreSQL's
 *                       PG_MAX_AUTH_TOKEN_LENGTH)
 *   DH_PGWIRE_NORMAL    after authentication: Q F P B d up to the large
 *                       limit (default 1 GB - 2, PostgreSQL's
 *                       PQ_LARGE_MESSAGE_LIMIT; dh_pgwire_reader_set_limit),
 *                       C D E H S X c f up to 10,000 bytes
 *                       (PQ_SMALL_MESSAGE_LIMIT); any other type is fatal
 *   DH_PGWIRE_COPY_IN   during COPY FROM STDIN: only d (large), c f H S
 *                       (small)
 * The type byte is checked before the length, and the length before any
 * byte of the body is waited for, so an oversized message never makes the
 * reader allocate: memory grows only with bytes actually received.
 *
 * Every error of the reader is fatal to the connection (the framing is
 * lost): a negative DH_E* code with struct dh_err filled, SQLSTATE 08P01
 * (DH_EPROTOCOL) unless said otherwise.  Decoders check one message; their
 * errors are 08P01 too (PostgreSQL reports them as ERROR, after which the
 * extended protocol skips to Sync; the startup-packet ones are FATAL).
 *
 * Decoded structs borrow from the message (strings point into the payload,
 * which holds their NUL) and arrays come from the arena the caller passes:
 * they live as long as both the message (until the next call of a reader
 * function) and the arena.
 *
 * Writing.  Encoders append whole backend messages to a struct dh_buf and
 * return 0, or DH_ETOOLONG when the buffer's cap would be passed (then the
 * buffer holds a partial message: reset it or drop the connection) or a
 * count does not fit the wire's Int16.  A message built piece by piece:
 *   size_t at = dh_pgwire_begin(b, 'D'); dh_pgwire_put_u16(b, ncols); ...
 *   rc = dh_pgwire_end(b, at);            patches the length
 * (dh_pgwire_data_row_begin / _cell do that for DataRow streaming).
 */
#ifndef DH_PGWIRE_MSG_H
#define DH_PGWIRE_MSG_H

#include <stdint.h>

#include "util.h"

/* Protocol versions and the request codes of the first packet. */
#define DH_PGWIRE_PROTO(major, minor) ((uint32_t)(major) << 16 | (uint32_t)(minor))
#define DH_PGWIRE_PROTO_LATEST DH_PGWIRE_PROTO(3, 0)
#define DH_PGWIRE_CANCEL_CODE DH_PGWIRE_PROTO(1234, 5678) /* 80877102 */
#define DH_PGWIRE_SSL_CODE DH_PGWIRE_PROTO(1234, 5679)    /* 80877103 */
#define DH_PGWIRE_GSS_CODE DH_PGWIRE_PROTO(1234, 5680)    /* 80877104 */

/* PostgreSQL's limits (bytes, counting the length word, not the type). */
#define DH_PGWIRE_STARTUP_MAX 10000       /* MAX_STARTUP_PACKET_LENGTH (+4) */
#define DH_PGWIRE_SMALL_MAX 10000         /* PQ_SMALL_MESSAGE_LIMIT */
#define DH_PGWIRE_AUTH_MAX 65535          /* PG_MAX_AUTH_TOKEN_LENGTH */
#define DH_PGWIRE_LARGE_MAX 0x3ffffffeu   /* PQ_LARGE_MESSAGE_LIMIT */

/* ------------------------------------------------------------ reading */

enum dh_pgwire_phase {
	DH_PGWIRE_STARTUP,
	DH_PGWIRE_PASSWORD,
	DH_PGWIRE_SASL,
	DH_PGWIRE_NORMAL,
	DH_PGWIRE_COPY_IN,
};

/* What a startup-phase packet is (struct dh_pgwire_msg.kind). */
enum dh_pgwire_kind {
	DH_PGWIRE_K_TYPED = 0,  /* not a startup packet: see type */
	DH_PGWIRE_K_STARTUP,    /* StartupMessage (or an unknown code: the
				 * decoder refuses the version) */
	DH_PGWIRE_K_SSL,        /* SSLRequest: answer 'S' or 'N' */
	DH_PGWIRE_K_GSS,        /* GSSENCRequest: answer 'N' (or 'G') */
	DH_PGWIRE_K_CANCEL,     /* CancelRequest: act, answer nothing, close */
};

/* One framed message.  p/n is the payload after the length word (for a
 * startup packet that includes the Int32 code); borrowed from the reader
 * until the next call of a dh_pgwire_reader_* function. */
struct dh_pgwire_msg {
	int type;       /* the type byte; 0 for a startup packet */
	int kind;       /* enum dh_pgwire_kind */
	uint32_t code;  /* startup packet: its first Int32 */
	const unsigned char *p;
	size_t n;
};

struct dh_pgwire_reader {
	struct dh_buf in;  /* bytes received and not yet returned */
	size_t off;        /* start of the unread part of in */
	int phase;         /* enum dh_pgwire_phase */
	size_t large_max;  /* limit of Q F P B d in the normal phase */
	int ssl_done, gss_done; /* an SSLRequest / GSSENCRequest was answered */
};

/* Start in the startup phase with PostgreSQL's limits. */
void dh_pgwire_reader_init(struct dh_pgwire_reader *r);
void dh_pgwire_reader_release(struct dh_pgwire_reader *r);
/* Append received bytes.  0, or DH_ETOOLONG when more than the largest
 * message allowed plus 1 MB would be buffered: read whole messages out with
 * dh_pgwire_reader_next before feeding more. */
int dh_pgwire_reader_feed(struct dh_pgwire_reader *r, const void *p, size_t n);
/* The next complete message into *m: 1; 0 when more bytes are needed;
 * or an error, fatal to the connection:
 *   DH_EPROTOCOL  "invalid length of startup packet" (startup length
 *                 under 8 or over 10,000, or a CancelRequest that is not
 *                 16 bytes), "invalid frontend message type %d" (normal
 *                 phase), "expected password response, got message type
 *                 %d" / "expected SASL response, got message type %d",
 *                 "unexpected message type 0x%02X during COPY from stdin",
 *                 "invalid message length" (under 4 or over the limit)
 * In the startup phase an SSLRequest or GSSENCRequest comes back as such
 * only once (a second one is K_STARTUP, which the decoder refuses as
 * protocol 1234.5679, as PostgreSQL does). */
int dh_pgwire_reader_next(struct dh_pgwire_reader *r, struct dh_pgwire_msg *m,
			  struct dh_err *e);
/* The peer closed the connection.  0 when it did so between messages (no
 * complaint: whether that is an error depends on the session, e.g.
 * "unexpected EOF on client connection with an open transaction", 08006,
 * is the server's to say), else DH_EPROTOCOL: "incomplete startup
 * packet", "unexpected EOF within message length word", "incomplete
 * message from client". */
int dh_pgwire_reader_eof(const struct dh_pgwire_reader *r, struct dh_err *e);
/* Call after sending the one-byte answer ('S', 'N' or 'G') to an SSLRequest
 * or GSSENCRequest, and after the TLS handshake when it was 'S'.  Bytes
 * the client sent before the answer were not encrypted and may have been
 * injected (CVE-2021-23214): DH_EPROTOCOL "received unencrypted data after
 * SSL request" (or "... after GSSAPI encryption request"), detail as
 * PostgreSQL's.  Else 0; after 'S' or 'G' no further request of the other
 * kind is honoured. */
int dh_pgwire_reader_answered(struct dh_pgwire_reader *r, const struct dh_pgwire_msg *req,
			      int answer, struct dh_err *e);
void dh_pgwire_reader_set_phase(struct dh_pgwire_reader *r, enum dh_pgwire_phase phase);
/* Is the next message, already received whole, a Sync? */
int dh_pgwire_reader_sync_next(const struct dh_pgwire_reader *r);
/* The normal phase's large-message limit (bytes, length word included),
 * between 5 and DH_PGWIRE_LARGE_MAX; other values are clamped. */
void dh_pgwire_reader_set_limit(struct dh_pgwire_reader *r, size_t large_max);
/* Bytes buffered and not yet returned as messages. */
size_t dh_pgwire_reader_pending(const struct dh_pgwire_reader *r);

/* ------------------------------------------------------------ decoding
 * Each decoder checks one message of its kind completely: every string
 * NUL-terminated inside the payload, every count and length within it,
 * nothing left over.  0, or DH_EPROTOCOL with PostgreSQL's text:
 * "invalid string in message", "insufficient data left in message",
 * "invalid message format" (bytes left over), and those named below.
 * Decoders that take an arena allocate their arrays from it (nothing when
 * the count is 0; then the array pointer is NULL). */

/* StartupMessage.  Protocol 3.x with any minor is accepted (the server
 * answers a minor above 0 or any _pq_. option with NegotiateProtocolVersion,
 * dh_pgwire_negotiate_protocol); other majors are DH_ENOTSUP (0A000)
 * "unsupported frontend protocol %u.%u: server supports 3.0 to 3.0".
 * DH_EPROTOCOL "invalid startup packet layout: expected terminator as last
 * byte"; DH_ESQL 28000 "no PostgreSQL user name specified in startup
 * packet".  database defaults to user, as in PostgreSQL.  (PostgreSQL
 * also cuts user and database to 63 bytes, NAMEDATALEN - 1; the strings
 * here are as sent, and that is the server's to do.) */
struct dh_pgwire_startup {
	uint32_t version;
	int major, minor;
	const char *user, *database;
	const char *options;     /* "options" (-c name=value ...), or NULL */
	const char *replication; /* "replication", or NULL */
	/* every other name/value pair (session settings), in order */
	size_t nparams;
	const char **names, **values;
	/* the _pq_.* options (protocol extensions), kept apart */
	size_t nproto;
	const char **proto_names, **proto_values;
	int negotiate; /* minor > 0 or nproto > 0: send NegotiateProtocolVersion */
};
int dh_pgwire_decode_startup(const struct dh_pgwire_msg *m, struct dh_arena *a,
			     struct dh_pgwire_startup *s, struct dh_err *e);

/* CancelRequest (the reader has checked its length: 16 bytes). */
struct dh_pgwire_cancel {
	int32_t pid;
	uint32_t key;
};
int dh_pgwire_decode_cancel(const struct dh_pgwire_msg *m, struct dh_pgwire_cancel *c,
			    struct dh_err *e);

/* Query 'Q': one string of any number of statements. */
int dh_pgwire_decode_query(const struct dh_pgwire_msg *m, const char **sql, size_t *len,
			   struct dh_err *e);

/* Parse 'P'. */
struct dh_pgwire_parse {
	const char *name, *query;
	size_t nparams;
	uint32_t *types; /* parameter type OIDs, 0 = infer */
};
int dh_pgwire_decode_parse(const struct dh_pgwire_msg *m, struct dh_arena *a,
			   struct dh_pgwire_parse *p, struct dh_err *e);

/* A parameter or column value: len -1 is NULL (p is then NULL). */
struct dh_pgwire_value {
	const unsigned char *p;
	int32_t len;
};

/* Bind 'B'.  Format codes are kept as sent; dh_pgwire_format applies
 * PostgreSQL's rule (0 codes: all text, 1: that code for all, n: one
 * each), dh_pgwire_check_bind the checks that need the statement.
 * DH_EPROTOCOL "bind message has %d parameter formats but %d parameters"
 * (more than one format and not one per parameter); a value length under
 * -1 is "insufficient data left in message", as in PostgreSQL. */
struct dh_pgwire_bind {
	const char *portal, *statement;
	size_t npformats;
	int16_t *pformats;
	size_t nparams;
	struct dh_pgwire_value *params;
	size_t nrformats;
	int16_t *rformats;
};
int dh_pgwire_decode_bind(const struct dh_pgwire_msg *m, struct dh_arena *a,
			  struct dh_pgwire_bind *b, struct dh_err *e);
/* The format code of item i under PostgreSQL's rule (see above). */
int dh_pgwire_format(const int16_t *formats, size_t nformats, size_t i);
/* The checks of a Bind against its statement, in PostgreSQL's order:
 * DH_EPROTOCOL "bind message supplies %d parameters, but prepared statement
 * \"%s\" requires %d"; DH_ESQL 22023 "unsupported format code: %d" (a
 * parameter format other than 0 or 1); DH_EPROTOCOL "bind message has %d
 * result formats but query has %d columns" (more than one result format
 * and not one per column; ncols < 0 skips this: the statement returns no
 * rows, and PostgreSQL then ignores the result formats); DH_ESQL 22023
 * "unsupported format code: %d" (a result format). */
int dh_pgwire_check_bind(const struct dh_pgwire_bind *b, size_t nparams_wanted, long ncols,
			 struct dh_err *e);

/* Describe 'D' and Close 'C': what is 'S' (statement) or 'P' (portal).
 * DH_EPROTOCOL "invalid DESCRIBE message subtype %d" / "invalid CLOSE
 * message subtype %d". */
struct dh_pgwire_target {
	int what;
	const char *name;
};
int dh_pgwire_decode_describe(const struct dh_pgwire_msg *m, struct dh_pgwire_target *t,
			      struct dh_err *e);
int dh_pgwire_decode_close(const struct dh_pgwire_msg *m, struct dh_pgwire_target *t,
			   struct dh_err *e);

/* Execute 'E'.  max_rows <= 0 means all rows. */
struct dh_pgwire_execute {
	const char *portal;
	int32_t max_rows;
};
int dh_pgwire_decode_execute(const struct dh_pgwire_msg *m, struct dh_pgwire_execute *x,
			     struct dh_err *e);

/* Sync 'S', Flush 'H', CopyDone 'c': an empty body.  Terminate 'X' is not
 * checked (PostgreSQL leaves without reading it); this accepts it as is. */
int dh_pgwire_decode_empty(const struct dh_pgwire_msg *m, struct dh_err *e);

/* CopyData 'd': any bytes, the whole payload (nothing to decode; for
 * symmetry). */
int dh_pgwire_decode_copy_data(const struct dh_pgwire_msg *m, const unsigned char **p,
			       size_t *n, struct dh_err *e);
/* CopyFail 'f': the client's reason.  The server then fails the COPY with
 * 57014 "COPY from stdin failed: %s". */
int dh_pgwire_decode_copy_fail(const struct dh_pgwire_msg *m, const char **reason,
			       struct dh_err *e);

/* FunctionCall 'F' (the legacy fast path; dh-serve answers 0A000, but the
 * message is read whole so the connection stays in step).  DH_EPROTOCOL
 * "function call message contains %d argument formats but %d arguments",
 * "invalid argument size %d in function call message". */
struct dh_pgwire_fcall {
	uint32_t fn;
	size_t naformats;
	int16_t *aformats;
	size_t nargs;
	struct dh_pgwire_value *args;
	int16_t rformat;
};
int dh_pgwire_decode_fcall(const struct dh_pgwire_msg *m, struct dh_arena *a,
			   struct dh_pgwire_fcall *f, struct dh_err *e);

/* The three 'p' messages; the server knows which it expects.
 * PasswordMessage (cleartext or "md5..."): DH_EPROTOCOL "invalid password
 * packet size"; DH_EAUTHFAIL (28P01) "empty password returned by client". */
int dh_pgwire_decode_password(const struct dh_pgwire_msg *m, const char **password,
			      struct dh_err *e);
/* SASLInitialResponse: the mechanism and the initial response; data is
 * NULL and len -1 when the client sent none (-1). */
struct dh_pgwire_sasl_initial {
	const char *mechanism;
	const unsigned char *data;
	int32_t len;
};
int dh_pgwire_decode_sasl_initial(const struct dh_pgwire_msg *m,
				  struct dh_pgwire_sasl_initial *s, struct dh_err *e);
/* SASLResponse: the whole payload. */
int dh_pgwire_decode_sasl_response(const struct dh_pgwire_msg *m, const unsigned char **data,
				   size_t *len, struct dh_err *e);

/* During COPY FROM STDIN: CopyData, CopyDone, CopyFail, Flush and Sync
 * (the last two ignored, as PostgreSQL does) are the only messages; the
 * reader's DH_PGWIRE_COPY_IN phase already refuses others.  For a server
 * that keeps the normal phase: 0 for those five, else DH_EPROTOCOL
 * "unexpected message type 0x%02X during COPY from stdin". */
int dh_pgwire_check_copy_in(int type, struct dh_err *e);

/* ------------------------------------------------------------ encoding */

/* Start a message of the given type (a placeholder length follows);
 * returns the offset to hand to dh_pgwire_end.  dh_pgwire_end writes the
 * length: 0, or DH_ETOOLONG if the buffer overflowed meanwhile or the
 * message passed 2^31 - 1 bytes. */
size_t dh_pgwire_begin(struct dh_buf *b, int type);
int dh_pgwire_end(struct dh_buf *b, size_t at);
int dh_pgwire_put_u8(struct dh_buf *b, unsigned v);
int dh_pgwire_put_u16(struct dh_buf *b, unsigned v);
int dh_pgwire_put_u32(struct dh_buf *b, uint32_t v);
int dh_pgwire_put_str(struct dh_buf *b, const char *s); /* with its NUL */

/* The one byte that answers an SSLRequest or GSSENCRequest ('S', 'N', 'G'). */
int dh_pgwire_ssl_answer(struct dh_buf *b, int answer);

/* Authentication requests 'R'. */
int dh_pgwire_auth_ok(struct dh_buf *b);
int dh_pgwire_auth_cleartext(struct dh_buf *b);
int dh_pgwire_auth_md5(struct dh_buf *b, const unsigned char salt[4]);
/* AuthenticationSASL: the mechanism names, then an empty one. */
int dh_pgwire_auth_sasl(struct dh_buf *b, const char *const *mechs, size_t n);
int dh_pgwire_auth_sasl_continue(struct dh_buf *b, const void *data, size_t n);
int dh_pgwire_auth_sasl_final(struct dh_buf *b, const void *data, size_t n);

int dh_pgwire_parameter_status(struct dh_buf *b, const char *name, const char *value);
int dh_pgwire_backend_key_data(struct dh_buf *b, int32_t pid, uint32_t key);
/* status 'I' idle, 'T' in a transaction block, 'E' in a failed one. */
int dh_pgwire_ready_for_query(struct dh_buf *b, int status);
/* NegotiateProtocolVersion: the newest version the server speaks (whole,
 * as PostgreSQL sends it: DH_PGWIRE_PROTO_LATEST) and the unrecognized
 * _pq_ options of the startup message. */
int dh_pgwire_negotiate_protocol(struct dh_buf *b, uint32_t version, const char *const *names,
				 size_t n);

/* RowDescription 'T': one field per column. */
struct dh_pgwire_field {
	const char *name;
	uint32_t table_oid; /* 0 when not a table's column */
	int16_t attnum;     /* 0 when not a table's column */
	uint32_t type_oid;
	int16_t typlen;     /* pg_type.typlen: -1 varlena, -2 cstring */
	int32_t typmod;     /* -1 when none */
	int16_t format;     /* 0 text, 1 binary */
};
int dh_pgwire_row_description(struct dh_buf *b, const struct dh_pgwire_field *f, size_t n);
/* DataRow 'D' whole, or streamed: begin (returns the offset for
 * dh_pgwire_end), one _cell per column (len -1 = NULL), end. */
int dh_pgwire_data_row(struct dh_buf *b, const struct dh_pgwire_value *v, size_t n);
size_t dh_pgwire_data_row_begin(struct dh_buf *b, size_t ncols);
int dh_pgwire_data_row_cell(struct dh_buf *b, const void *p, int32_t len);
int dh_pgwire_command_complete(struct dh_buf *b, const char *tag);
int dh_pgwire_empty_query(struct dh_buf *b);

/* ErrorResponse 'E' / NoticeResponse 'N' from a struct dh_err: S and V
 * (severity: "ERROR", "FATAL", "PANIC" / "WARNING", "NOTICE", "INFO",
 * "DEBUG", "LOG"), C (e->sqlstate, else that of e->code), M (e->message,
 * else dh_strerror(e->code)), D, H, P (e->position > 0), W (e->context),
 * and the optional fields of x (NULL for none): s t c d n, p q, F L R. */
struct dh_pgwire_errextra {
	const char *schema, *table, *column, *datatype, *constraint;
	int internal_position;      /* p, when > 0 */
	const char *internal_query; /* q */
	const char *file, *routine; /* F, R */
	int line;                   /* L, when > 0 */
};
int dh_pgwire_error_response(struct dh_buf *b, const char *severity, const struct dh_err *e,
			     const struct dh_pgwire_errextra *x);
int dh_pgwire_notice_response(struct dh_buf *b, const char *severity, const struct dh_err *e,
			      const struct dh_pgwire_errextra *x);
/* The same from loose fields of any length (detail and hint may be NULL):
 * a statement's notices (sql.h's struct dh_sql_notice). */
int dh_pgwire_notice(struct dh_buf *b, const char *severity, const char *sqlstate,
		     const char *message, const char *detail, const char *hint);

int dh_pgwire_parse_complete(struct dh_buf *b);
int dh_pgwire_bind_complete(struct dh_buf *b);
int dh_pgwire_close_complete(struct dh_buf *b);
int dh_pgwire_no_data(struct dh_buf *b);
int dh_pgwire_portal_suspended(struct dh_buf *b);
int dh_pgwire_parameter_description(struct dh_buf *b, const uint32_t *types, size_t n);
/* CopyInResponse 'G' / CopyOutResponse 'H': the overall format (0 text, 1
 * binary) and one format per column. */
int dh_pgwire_copy_in_response(struct dh_buf *b, int format, const int16_t *formats,
			       size_t n);
int dh_pgwire_copy_out_response(struct dh_buf *b, int format, const int16_t *formats,
				size_t n);
int dh_pgwire_copy_data(struct dh_buf *b, const void *p, size_t n);
int dh_pgwire_copy_done(struct dh_buf *b);
int dh_pgwire_notification(struct dh_buf *b, int32_t pid, const char *channel,
			   const char *payload);

#endif
