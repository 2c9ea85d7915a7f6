/*
 * fuzz-pgwire: libFuzzer target for the wire protocol's codec and the
 * SCRAM exchange, as a connection's bytes reach them.  The first byte
 * chooses the phase the stream starts in (startup, password, SASL,
 * normal, COPY IN), how it arrives (chunks of 1, 2, 3, 5, 8, 64 or 512
 * bytes, or all at once) and whether the large-message limit is lowered
 * to 64 bytes; the rest is what the client sends.  Like a server, the
 * target answers SSL and GSS requests with 'N', moves from startup to
 * authentication or the normal phase, runs SASLInitialResponse and
 * SASLResponse through a SCRAM exchange (against a real verifier, or a
 * mock one), and enters COPY IN after a Query that starts with "copy".
 * Every message goes through its own decoder, and its payload through
 * every other decoder as well.  Whatever the bytes:
 *   - nothing crashes or reads outside the input (ASan, UBSan);
 *   - reader errors are DH_EPROTOCOL, 08P01, with a message, and end the
 *     stream; decoder errors are 08P01, or the few other codes the header
 *     names for them;
 *   - whatever decodes, encoded again with the codec's helpers, is exactly
 *     the payload it came from (Query, Parse, Bind, Describe, Close,
 *     Execute, CopyFail, FunctionCall, PasswordMessage,
 *     SASLInitialResponse);
 *   - the messages and the final error do not depend on how the bytes were
 *     split: the same stream fed whole gives the same sequence.
 *
 * mk/pgwire.am builds it in mk/fuzz.am's scheme: t/fuzz/fuzz-pgwire with
 * libFuzzer (make check and make fuzz FUZZ_TARGETS=pgwire run it with
 * -dict=t/fuzz/pgwire.dict over t/fuzz/corpus-pgwire, real clients'
 * messages), t/fuzz/fuzz-pgwire-replay FILE|DIR... with replay.c's main().
 */
#include <assert.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "pgwire-msg.h"
#include "scram.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

#define RFC_VERIFIER                                                                                \
	"SCRAM-SHA-256$4096:W22ZaJ0SNY7soEsUEjb6gQ==$WG5d8oPm3OtcPnkdi4Uo7BkeZkBFzpcXkuLmtbsT4qY=:" \
	"wfPLwcE6nTWhTAmQ7tl2KeoiWGPlZqQxSrmfPwDl2dU="
static const unsigned char mock_key[32] = "fuzz-pgwire-mock-key-fuzz-pgwire";

static void
check_err(int rc, const struct dh_err *e)
{
	assert(rc < 0);
	assert(e->code == rc);
	assert(e->message[0]);
	assert(strlen(e->sqlstate) == 5);
	if (rc == DH_EPROTOCOL)
		assert(strcmp(e->sqlstate, "08P01") == 0);
	else if (rc == DH_ESQL)
		assert(strcmp(e->sqlstate, "28000") == 0 || strcmp(e->sqlstate, "22023") == 0);
	else
		assert(rc == DH_ENOTSUP || rc == DH_EAUTHFAIL);
}

/* A string returned by a decoder lies in the payload with its NUL there. */
static void
in_payload(const struct dh_pgwire_msg *m, const char *s)
{
	if (!s)
		return;
	const unsigned char *p = (const unsigned char *)s;
	assert(p >= m->p && p < m->p + m->n);
	assert(memchr(p, 0, (size_t)(m->p + m->n - p)));
}

/* The re-encoded body b (from offset 5) must be the payload. */
static void
same_body(const struct dh_pgwire_msg *m, struct dh_buf *b, size_t at)
{
	assert(dh_pgwire_end(b, at) == 0);
	assert(b->len - at - 5 == m->n);
	assert(memcmp(b->p + at + 5, m->p, m->n) == 0);
}

static void
put_values(struct dh_buf *b, const struct dh_pgwire_value *v, size_t n)
{
	for (size_t i = 0; i < n; i++) {
		dh_pgwire_put_u32(b, (uint32_t)v[i].len);
		if (v[i].len > 0)
			dh_buf_add(b, v[i].p, (size_t)v[i].len);
	}
}

/* Every decoder over m; each must either decode (and re-encode to the
 * same bytes) or fail cleanly. */
static void
decode_all(const struct dh_pgwire_msg *m, struct dh_arena *a, struct dh_buf *b)
{
	struct dh_err e;
	int rc;
	size_t at;

	const char *sql;
	size_t sqllen;
	if ((rc = dh_pgwire_decode_query(m, &sql, &sqllen, &e)) == 0) {
		in_payload(m, sql);
		assert(strlen(sql) == sqllen);
		at = dh_pgwire_begin(b, 'Q');
		dh_pgwire_put_str(b, sql);
		same_body(m, b, at);
	} else {
		check_err(rc, &e);
	}

	struct dh_pgwire_parse p;
	if ((rc = dh_pgwire_decode_parse(m, a, &p, &e)) == 0) {
		in_payload(m, p.name);
		in_payload(m, p.query);
		at = dh_pgwire_begin(b, 'P');
		dh_pgwire_put_str(b, p.name);
		dh_pgwire_put_str(b, p.query);
		dh_pgwire_put_u16(b, (unsigned)p.nparams);
		for (size_t i = 0; i < p.nparams; i++)
			dh_pgwire_put_u32(b, p.types[i]);
		same_body(m, b, at);
	} else {
		check_err(rc, &e);
	}

	struct dh_pgwire_bind bd;
	if ((rc = dh_pgwire_decode_bind(m, a, &bd, &e)) == 0) {
		in_payload(m, bd.portal);
		in_payload(m, bd.statement);
		assert(bd.npformats <= 1 || bd.npformats == bd.nparams);
		at = dh_pgwire_begin(b, 'B');
		dh_pgwire_put_str(b, bd.portal);
		dh_pgwire_put_str(b, bd.statement);
		dh_pgwire_put_u16(b, (unsigned)bd.npformats);
		for (size_t i = 0; i < bd.npformats; i++)
			dh_pgwire_put_u16(b, (uint16_t)bd.pformats[i]);
		dh_pgwire_put_u16(b, (unsigned)bd.nparams);
		put_values(b, bd.params, bd.nparams);
		dh_pgwire_put_u16(b, (unsigned)bd.nrformats);
		for (size_t i = 0; i < bd.nrformats; i++)
			dh_pgwire_put_u16(b, (uint16_t)bd.rformats[i]);
		same_body(m, b, at);
		for (size_t i = 0; i < bd.nparams; i++)
			(void)dh_pgwire_format(bd.pformats, bd.npformats, i);
		if ((rc = dh_pgwire_check_bind(&bd, bd.nparams, (long)bd.nrformats, &e)))
			check_err(rc, &e);
		if ((rc = dh_pgwire_check_bind(&bd, 1, 3, &e)))
			check_err(rc, &e);
		/* the values as a DataRow */
		if (bd.nparams) {
			size_t r = dh_pgwire_data_row_begin(b, bd.nparams);
			for (size_t i = 0; i < bd.nparams; i++)
				dh_pgwire_data_row_cell(b, bd.params[i].p, bd.params[i].len);
			assert(dh_pgwire_end(b, r) == 0);
		}
	} else {
		check_err(rc, &e);
	}

	struct dh_pgwire_target t;
	for (int close = 0; close < 2; close++) {
		rc = close ? dh_pgwire_decode_close(m, &t, &e) : dh_pgwire_decode_describe(m, &t, &e);
		if (rc == 0) {
			in_payload(m, t.name);
			assert(t.what == 'S' || t.what == 'P');
			at = dh_pgwire_begin(b, close ? 'C' : 'D');
			dh_pgwire_put_u8(b, (unsigned)t.what);
			dh_pgwire_put_str(b, t.name);
			same_body(m, b, at);
		} else {
			check_err(rc, &e);
		}
	}

	struct dh_pgwire_execute x;
	if ((rc = dh_pgwire_decode_execute(m, &x, &e)) == 0) {
		in_payload(m, x.portal);
		at = dh_pgwire_begin(b, 'E');
		dh_pgwire_put_str(b, x.portal);
		dh_pgwire_put_u32(b, (uint32_t)x.max_rows);
		same_body(m, b, at);
	} else {
		check_err(rc, &e);
	}

	if ((rc = dh_pgwire_decode_empty(m, &e)))
		check_err(rc, &e);
	else
		assert(m->n == 0 || m->type == 'X');

	const unsigned char *cd;
	size_t cdn;
	assert(dh_pgwire_decode_copy_data(m, &cd, &cdn, &e) == 0 && cd == m->p && cdn == m->n);
	const char *reason;
	if ((rc = dh_pgwire_decode_copy_fail(m, &reason, &e)) == 0) {
		in_payload(m, reason);
		at = dh_pgwire_begin(b, 'f');
		dh_pgwire_put_str(b, reason);
		same_body(m, b, at);
	} else {
		check_err(rc, &e);
	}

	struct dh_pgwire_fcall f;
	if ((rc = dh_pgwire_decode_fcall(m, a, &f, &e)) == 0) {
		at = dh_pgwire_begin(b, 'F');
		dh_pgwire_put_u32(b, f.fn);
		dh_pgwire_put_u16(b, (unsigned)f.naformats);
		for (size_t i = 0; i < f.naformats; i++)
			dh_pgwire_put_u16(b, (uint16_t)f.aformats[i]);
		dh_pgwire_put_u16(b, (unsigned)f.nargs);
		put_values(b, f.args, f.nargs);
		dh_pgwire_put_u16(b, (uint16_t)f.rformat);
		same_body(m, b, at);
	} else {
		check_err(rc, &e);
	}

	const char *pw;
	if ((rc = dh_pgwire_decode_password(m, &pw, &e)) == 0) {
		in_payload(m, pw);
		at = dh_pgwire_begin(b, 'p');
		dh_pgwire_put_str(b, pw);
		same_body(m, b, at);
	} else {
		check_err(rc, &e);
	}

	struct dh_pgwire_sasl_initial si;
	if ((rc = dh_pgwire_decode_sasl_initial(m, &si, &e)) == 0) {
		in_payload(m, si.mechanism);
		at = dh_pgwire_begin(b, 'p');
		dh_pgwire_put_str(b, si.mechanism);
		dh_pgwire_put_u32(b, (uint32_t)si.len);
		if (si.len > 0)
			dh_buf_add(b, si.data, (size_t)si.len);
		same_body(m, b, at);
	} else {
		check_err(rc, &e);
	}

	struct dh_pgwire_startup st;
	if ((rc = dh_pgwire_decode_startup(m, a, &st, &e)) == 0) {
		in_payload(m, st.user);
		in_payload(m, st.database);
		in_payload(m, st.options);
		in_payload(m, st.replication);
		for (size_t i = 0; i < st.nparams; i++) {
			in_payload(m, st.names[i]);
			in_payload(m, st.values[i]);
		}
		for (size_t i = 0; i < st.nproto; i++) {
			in_payload(m, st.proto_names[i]);
			in_payload(m, st.proto_values[i]);
			assert(strncmp(st.proto_names[i], "_pq_.", 5) == 0);
		}
		assert(st.major == 3 && st.user[0]);
		assert(dh_pgwire_negotiate_protocol(b, DH_PGWIRE_PROTO_LATEST, st.proto_names,
						    st.nproto) == 0);
	} else {
		check_err(rc, &e);
	}
	struct dh_pgwire_cancel c;
	if ((rc = dh_pgwire_decode_cancel(m, &c, &e)))
		check_err(rc, &e);
}

/* One connection's worth of bytes, fed chunk bytes at a time (0: all at
 * once); returns a digest of the messages seen and the final error. */
static uint64_t
run(int phase, size_t chunk, int small_limit, const uint8_t *data, size_t size)
{
	struct dh_pgwire_reader r;
	struct dh_pgwire_msg m;
	struct dh_err e;
	struct dh_arena a;
	struct dh_buf out;
	struct dh_scram s;
	struct dh_scram_verifier v;
	uint64_t digest = 1469598103934665603ull;
	int rc = 0, done = 0, in_sasl = 0;
	size_t fed = 0;

	dh_pgwire_reader_init(&r);
	dh_pgwire_reader_set_phase(&r, phase);
	if (small_limit)
		dh_pgwire_reader_set_limit(&r, 64);
	dh_arena_init(&a);
	dh_buf_init(&out, 1 << 20);
	assert(dh_scram_verifier_parse(RFC_VERIFIER, &v, &e) == 0);
	dh_scram_begin(&s, "user", size % 2 ? &v : NULL, mock_key, NULL, 0);
	dh_scram_force_nonce(&s, "SN");

	while (!done) {
		size_t n = chunk && size - fed > chunk ? chunk : size - fed;
		if (n)
			assert(dh_pgwire_reader_feed(&r, data + fed, n) == 0);
		fed += n;
		while (!done && (rc = dh_pgwire_reader_next(&r, &m, &e)) == 1) {
			assert(m.n <= size);
			assert(m.p >= r.in.p && m.p + m.n <= r.in.p + r.in.len);
			digest = (digest ^ (uint64_t)m.type) * 1099511628211ull;
			digest = (digest ^ dh_hash_bytes(m.p, m.n)) * 1099511628211ull;
			dh_buf_reset(&out);
			decode_all(&m, &a, &out);
			dh_buf_reset(&out);
			if (r.phase == DH_PGWIRE_STARTUP) {
				assert(m.type == 0 && m.kind != DH_PGWIRE_K_TYPED);
				struct dh_pgwire_startup st;
				if (m.kind == DH_PGWIRE_K_SSL || m.kind == DH_PGWIRE_K_GSS) {
					/* whether bytes wait behind the request depends on
					 * the split: the startup phase is left out of the
					 * comparison of the two runs */
					if (dh_pgwire_reader_answered(&r, &m, 'N', &e)) {
						check_err(DH_EPROTOCOL, &e);
						done = 1;
					}
				} else if (m.kind == DH_PGWIRE_K_CANCEL) {
					done = 1;
				} else if (dh_pgwire_decode_startup(&m, &a, &st, &e) == 0) {
					dh_pgwire_reader_set_phase(&r, size % 3 == 0 ? DH_PGWIRE_SASL
									: DH_PGWIRE_NORMAL);
				} else {
					done = 1;
				}
			} else if (r.phase == DH_PGWIRE_SASL) {
				const unsigned char *d = NULL;
				size_t dn = 0;
				const char *mech = NULL;
				struct dh_pgwire_sasl_initial si;
				if (!in_sasl) {
					if (dh_pgwire_decode_sasl_initial(&m, &si, &e)) {
						done = 1;
						break;
					}
					mech = si.mechanism;
					d = si.data;
					dn = si.len < 0 ? 0 : (size_t)si.len;
					in_sasl = 1;
				} else {
					dh_pgwire_decode_sasl_response(&m, &d, &dn, &e);
				}
				rc = dh_scram_step(&s, mech, d, dn, &out, &e);
				digest = (digest ^ (uint64_t)(rc + 100)) * 1099511628211ull;
				if (rc == 0)
					dh_pgwire_reader_set_phase(&r, DH_PGWIRE_NORMAL);
				else if (rc != DH_SCRAM_CONTINUE) {
					check_err(rc, &e);
					done = 1;
				}
				rc = 1;
			} else if (r.phase == DH_PGWIRE_COPY_IN) {
				if (m.type == 'c' || m.type == 'f')
					dh_pgwire_reader_set_phase(&r, DH_PGWIRE_NORMAL);
			} else if (m.type == 'Q') {
				const char *sql;
				size_t len;
				if (dh_pgwire_decode_query(&m, &sql, &len, &e) == 0 &&
				    strncmp(sql, "copy", 4) == 0)
					dh_pgwire_reader_set_phase(&r, DH_PGWIRE_COPY_IN);
			} else if (m.type == 'X') {
				done = 1;
			}
			dh_arena_release(&a);
		}
		if (rc < 0) {
			check_err(rc, &e);
			assert(rc == DH_EPROTOCOL);
			digest = (digest ^ dh_hash_bytes(e.message, strlen(e.message))) *
				 1099511628211ull;
			break;
		}
		if (fed == size && !done) {
			if ((rc = dh_pgwire_reader_eof(&r, &e))) {
				check_err(rc, &e);
				digest = (digest ^ dh_hash_bytes(e.message, strlen(e.message))) *
					 1099511628211ull;
			}
			break;
		}
	}
	dh_scram_release(&s);
	dh_buf_release(&out);
	dh_arena_release(&a);
	dh_pgwire_reader_release(&r);
	return digest;
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static const size_t chunks[8] = {1, 2, 3, 5, 8, 64, 512, 0};
	static const int phases[5] = {DH_PGWIRE_STARTUP, DH_PGWIRE_NORMAL, DH_PGWIRE_PASSWORD,
				      DH_PGWIRE_SASL, DH_PGWIRE_COPY_IN};
	if (size < 1)
		return 0;
	int phase = phases[data[0] % 5];
	size_t chunk = chunks[(data[0] >> 3) & 7];
	int small = data[0] >> 7;
	/* an SSLRequest's answer depends on what arrived with it, so splitting
	 * may change the outcome there; elsewhere it must not */
	uint64_t d1 = run(phase, chunk, small, data + 1, size - 1);
	if (chunk && phase != DH_PGWIRE_STARTUP) {
		uint64_t d2 = run(phase, 0, small, data + 1, size - 1);
		assert(d1 == d2);
	}
	return 0;
}
