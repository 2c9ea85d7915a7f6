/*
 * fuzz-serve: libFuzzer target for dh-serve's connection state machine:
 * startup, authentication, the simple and extended protocols with their
 * statements and portals, COPY's sub-protocol, the skipping to Sync after
 * an error, LISTEN/NOTIFY, CancelRequest.  Each input is what one client
 * sends on one connection of a server (dh_serve_new, serve.h) over a small
 * store; the connection runs in this thread through dh_serve_conn, the
 * code that runs dh-serve's, on one end of a socketpair, while a client
 * thread writes the bytes to the other end and reads every answer.
 *
 * The input.  Its first byte chooses:
 *   bits 0-1  the client's bytes: 0 a fixed StartupMessage (user fz,
 *             database fz), then the rest as framed messages; 1 the
 *             StartupMessage, then the rest raw; 2 the rest raw (the
 *             input's own startup packets); 3 an SSLRequest and the
 *             StartupMessage, then framed messages
 *   bits 2-3  the server: 0 trust; 1 trust with --max-message-size 256;
 *             2 --passwd with --auth password (the prefix sends the right
 *             password; raw inputs may send any); 3 --passwd with SCRAM
 *             (the input is the SASL exchange: it cannot know a proof)
 * Framed messages: a type byte, a length byte (255: a two-byte big-endian
 * length follows) and that many bytes of body, or as many as are left;
 * the harness adds the length word.  A type byte 0 sends the rest of the
 * input raw (a truncated or malformed message, a bad length).  So the
 * fuzzer mutates messages, not length words, and gets far into a session;
 * the raw modes keep the reader's own framing under test.
 *
 * Whatever the bytes:
 *   - nothing crashes, leaks or reads out of bounds (ASan, LSan, UBSan);
 *   - dh_serve_conn returns: the connection ends when the client's bytes
 *     end, or sooner, and the socket and the session's eventfd are closed
 *     (the process has as many descriptors open as before);
 *   - the server's bytes are well framed backend messages, ending on a
 *     message boundary; an ErrorResponse has a severity, a five-character
 *     SQLSTATE and a message, and is never XX000 (internal), XX001
 *     (corrupt) or 58030 (I/O); after a FATAL one nothing follows;
 *   - the server ends with no live connection (dh_serve_free asserts it).
 *
 * The store is made once per process in a new directory under $TMPDIR (or
 * /tmp), without fsync, and removed at exit: database fz with a few tables
 * (the seeds use them, and pgbench's).  Every input starts from the same
 * store: after one that changed it (a commit, CREATE DATABASE), the
 * pristine copy kept beside it is put back.
 *
 * Budget.  A statement runs until it ends or is cancelled.  A watchdog
 * thread sends a CancelRequest, through a second connection of the same
 * server (dh-serve's own path, the client's BackendKeyData), when the
 * connection has used 200 ms of CPU or one second of wall clock since the
 * last ReadyForQuery, and then every 20 ms until the next one.
 *
 * mk/serve-fuzz.am builds it in mk/fuzz.am's scheme: t/fuzz/fuzz-serve
 * with libFuzzer (make check and make fuzz FUZZ_TARGETS=serve run it with
 * -dict=t/fuzz/serve.dict over t/fuzz/corpus-serve, real clients' traffic
 * recorded by t/fuzz/mkcorpus-serve.py), t/fuzz/fuzz-serve-replay
 * FILE|DIR... with replay.c's main() in every build.  DH_FUZZ_VERBOSE=1
 * prints the server's messages; DH_FUZZ_SERVE_STORE=PATH copies the
 * pristine store there (mkcorpus-serve.py records against it).
 */
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <pthread.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <time.h>
#include <unistd.h>

#include "dh.h"
#include "passwd.h"
#include "scram.h"
#include "serve.h"
#include "sql.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static int verbose;

#define USER "fz"
#define DATABASE "fz"
#define PASSWORD "fuzz-password"

/* ------------------------------------------------------------ the store */

static const char *const setup_sql[] = {
    "CREATE TABLE part (id int PRIMARY KEY, name text NOT NULL, price numeric(8,2),"
    " qty int DEFAULT 0, at timestamptz, ok bool, f float8, bin bytea, tags int[]);"
    "CREATE TABLE t (a int, b text);"
    "CREATE TABLE pgbench_branches (bid int PRIMARY KEY, bbalance int, filler char(88));"
    "CREATE TABLE pgbench_tellers (tid int PRIMARY KEY, bid int, tbalance int,"
    " filler char(84));"
    "CREATE TABLE pgbench_accounts (aid int PRIMARY KEY, bid int, abalance int,"
    " filler char(84));"
    "CREATE TABLE pgbench_history (tid int, bid int, aid int, delta int, mtime timestamp,"
    " filler char(22));"
    "CREATE SEQUENCE seq;",

    "INSERT INTO part VALUES (1, 'bolt', 0.25, 100, '2026-01-02 03:04:05+00', true, 1.5,"
    " '\\x00ff', '{1,NULL,3}'), (2, 'nut', 0.10, NULL, NULL, false, 'NaN', NULL, '{}'),"
    " (3, 'gear', 12.50, 7, NULL, NULL, -2.25, '\\x', NULL);"
    "INSERT INTO t VALUES (1, 'a'), (2, NULL), (NULL, 'c');"
    "INSERT INTO pgbench_branches VALUES (1, 0, NULL);"
    "INSERT INTO pgbench_tellers SELECT g, 1, 0, NULL FROM generate_series(1, 10) g;"
    "INSERT INTO pgbench_accounts SELECT g, 1, 0, '' FROM generate_series(1, 100) g;",
};

static struct dh_store *store;
static char store_dir[4096], store_path[4200], lock_path[4200], pristine_path[4200],
	passwd_path[4200];
static char *pristine_state; /* databases, branches and heads */
static unsigned long restores;

static void
die(const char *what, const struct dh_err *err)
{
	fprintf(stderr, "fuzz-serve: %s: %s\n", what, err ? err->message : "failed");
	abort();
}

static void
remove_store(void)
{
	dh_store_close(store);
	store = NULL;
	dh_sql_shutdown();
	if (verbose)
		fprintf(stderr, "fuzz-serve: the store was restored %lu times\n", restores);
	free(pristine_state);
	unlink(store_path);
	unlink(lock_path);
	unlink(pristine_path);
	unlink(passwd_path);
	rmdir(store_dir);
}

/* Every database's branches and their heads, as text: what a commit, a
 * CREATE DATABASE or a DROP DATABASE changes. */
static char *
store_state(void)
{
	struct dh_arena a;
	struct dh_db_info *dbs;
	struct dh_err err;
	struct dh_buf b;
	size_t n;
	dh_arena_init(&a);
	dh_buf_init(&b, 0);
	if (dh_db_list(store, &a, &dbs, &n, &err))
		die("cannot list the databases", &err);
	for (size_t i = 0; i < n; i++)
		for (size_t j = 0; j < dbs[i].nbranches; j++)
			dh_buf_printf(&b, "%s:%s@%llu\n", dbs[i].name, dbs[i].branches[j].name,
				      (unsigned long long)dbs[i].branches[j].head_tx);
	dh_arena_release(&a);
	return dh_buf_detach(&b, NULL);
}

static void
copy_file(const char *from, const char *to)
{
	char buf[1 << 16];
	ssize_t n;
	int in = open(from, O_RDONLY | O_CLOEXEC),
	    out = open(to, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0644);
	if (in < 0 || out < 0) {
		perror(in < 0 ? from : to);
		abort();
	}
	while ((n = read(in, buf, sizeof(buf))) > 0)
		if (write(out, buf, (size_t)n) != n) {
			perror(to);
			abort();
		}
	if (n < 0 || close(out)) {
		perror(n < 0 ? from : to);
		abort();
	}
	close(in);
}

static void
reopen(void)
{
	struct dh_err err;
	if (store)
		dh_store_close(store);
	copy_file(pristine_path, store_path);
	if (dh_store_open(store_path, DH_STORE_NOSYNC, &store, &err))
		die("cannot open the store", &err);
}

static int
setup_cb(void *ctx, const struct dh_sql_result *r)
{
	(void)ctx;
	(void)r;
	return 0;
}

static void
make_store(void)
{
	struct dh_err err;
	struct dh_sql *s;
	const char *tmp = getenv("TMPDIR");
	snprintf(store_dir, sizeof(store_dir), "%s/fuzz-serve.XXXXXX", tmp && *tmp ? tmp : "/tmp");
	if (!mkdtemp(store_dir)) {
		perror(store_dir);
		abort();
	}
	snprintf(store_path, sizeof(store_path), "%s/s.store", store_dir);
	snprintf(lock_path, sizeof(lock_path), "%s/s.store-lock", store_dir);
	snprintf(pristine_path, sizeof(pristine_path), "%s/pristine", store_dir);
	snprintf(passwd_path, sizeof(passwd_path), "%s/passwd", store_dir);
	atexit(remove_store);
	if (dh_store_open(store_path, DH_STORE_CREATE | DH_STORE_NOSYNC, &store, &err) ||
	    dh_db_create(store, DATABASE, 0, &err) || dh_sql_open(store, DATABASE, &s, &err))
		die("cannot create the store", &err);
	for (size_t i = 0; i < sizeof(setup_sql) / sizeof(setup_sql[0]); i++)
		if (dh_sql_exec(s, setup_sql[i], strlen(setup_sql[i]), setup_cb, NULL, &err)) {
			fprintf(stderr, "fuzz-serve: setup statement %zu: %s\n", i, err.message);
			abort();
		}
	dh_sql_close(s);
	dh_store_close(store);
	store = NULL;
	copy_file(store_path, pristine_path);
	const char *keep = getenv("DH_FUZZ_SERVE_STORE");
	if (keep && *keep)
		copy_file(pristine_path, keep);
	reopen();
	pristine_state = store_state();

	/* the password file: few iterations, the exchange is not under test */
	struct dh_buf v;
	dh_buf_init(&v, 0);
	if (dh_scram_verifier_make(PASSWORD, 2, &v, &err) ||
	    dh_passwd_set(passwd_path, USER, (const char *)v.p, &err))
		die("cannot write the password file", &err);
	dh_buf_release(&v);
}

/* ------------------------------------------------------------ the budget */

static pthread_mutex_t budget_mu = PTHREAD_MUTEX_INITIALIZER;
static struct dh_serve *budget_sv; /* the server of the running input */
static clockid_t run_clock;        /* the CPU clock of the thread serving it */
static int have_key;               /* BackendKeyData came */
static int32_t key_pid;
static uint32_t key_key;
static uint64_t since_cpu, since_wall; /* the last ReadyForQuery */
static unsigned long cancels;

enum { BUDGET_CPU_MS = 200, BUDGET_WALL_MS = 1000, AGAIN_MS = 20 };

static uint64_t
clock_ns(clockid_t c)
{
	struct timespec ts;
	if (clock_gettime(c, &ts))
		return 0;
	return (uint64_t)ts.tv_sec * 1000000000u + (uint64_t)ts.tv_nsec;
}

/* A CancelRequest over a connection of its own, as a client sends it
 * (the caller holds budget_mu, so the server outlives it). */
static void
send_cancel(struct dh_serve *sv, int32_t pid, uint32_t key)
{
	int sp[2];
	unsigned char m[16];
	if (socketpair(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0, sp))
		return;
	dh_put_u32be(m, 16);
	dh_put_u32be(m + 4, 80877102);
	dh_put_u32be(m + 8, (uint32_t)pid);
	dh_put_u32be(m + 12, key);
	if (write(sp[1], m, sizeof(m)) == (ssize_t)sizeof(m)) {
		shutdown(sp[1], SHUT_WR);
		dh_serve_conn(sv, sp[0], "cancel"); /* closes sp[0] */
	} else {
		close(sp[0]);
	}
	close(sp[1]);
	cancels++;
}

static void *
watchdog(void *arg)
{
	(void)arg;
	for (;;) {
		struct timespec ts = {0, 5 * 1000 * 1000};
		nanosleep(&ts, NULL);
		pthread_mutex_lock(&budget_mu);
		if (budget_sv && have_key) {
			uint64_t cpu = clock_ns(run_clock), wall = clock_ns(CLOCK_MONOTONIC);
			if (cpu - since_cpu > (uint64_t)BUDGET_CPU_MS * 1000000 ||
			    wall - since_wall > (uint64_t)BUDGET_WALL_MS * 1000000) {
				send_cancel(budget_sv, key_pid, key_key);
				/* again soon, should it have come between statements */
				since_cpu = cpu - (uint64_t)(BUDGET_CPU_MS - AGAIN_MS) * 1000000;
				since_wall = wall - (uint64_t)(BUDGET_WALL_MS - AGAIN_MS) * 1000000;
			}
		}
		pthread_mutex_unlock(&budget_mu);
	}
	return NULL;
}

static void
budget_start(struct dh_serve *sv)
{
	pthread_mutex_lock(&budget_mu);
	if (pthread_getcpuclockid(pthread_self(), &run_clock))
		run_clock = CLOCK_MONOTONIC;
	budget_sv = sv;
	have_key = 0;
	since_cpu = clock_ns(run_clock);
	since_wall = clock_ns(CLOCK_MONOTONIC);
	pthread_mutex_unlock(&budget_mu);
}

/* A ReadyForQuery: the statements so far ended. */
static void
budget_progress(void)
{
	pthread_mutex_lock(&budget_mu);
	since_cpu = clock_ns(run_clock);
	since_wall = clock_ns(CLOCK_MONOTONIC);
	pthread_mutex_unlock(&budget_mu);
}

static void
budget_key(int32_t pid, uint32_t key)
{
	pthread_mutex_lock(&budget_mu);
	key_pid = pid;
	key_key = key;
	have_key = 1;
	pthread_mutex_unlock(&budget_mu);
}

static void
budget_stop(void)
{
	pthread_mutex_lock(&budget_mu);
	budget_sv = NULL;
	have_key = 0;
	pthread_mutex_unlock(&budget_mu);
}

/* ------------------------------------------------------------ the servers */

static struct dh_serve_opts opts[4];

static void
setup(void)
{
	pthread_t t;
	const char *s;
	verbose = (s = getenv("DH_FUZZ_VERBOSE")) && atoi(s) > 0;
	/* the client's end may close first */
	signal(SIGPIPE, SIG_IGN);
	make_store();
	opts[0] = (struct dh_serve_opts){.allow_create_database = 1};
	opts[1] = (struct dh_serve_opts){.allow_create_database = 1, .max_message_size = 256};
	opts[2] = (struct dh_serve_opts){.passwd = passwd_path, .auth = DH_SERVE_AUTH_PASSWORD};
	opts[3] = (struct dh_serve_opts){.passwd = passwd_path, .auth = DH_SERVE_AUTH_SCRAM};
	for (size_t i = 0; i < 4; i++)
		opts[i].log = verbose ? stderr : NULL;
	if (pthread_create(&t, NULL, watchdog, NULL)) {
		perror("pthread_create");
		abort();
	}
	pthread_detach(t);
}

static int
open_fds(void)
{
	int n = 0;
	DIR *d = opendir("/proc/self/fd");
	struct dirent *e;
	if (!d)
		return -1;
	while ((e = readdir(d)))
		n += e->d_name[0] != '.';
	closedir(d);
	return n - 1; /* the directory's own */
}

/* ------------------------------------------------------------ the answers */

/* The server's messages, checked as they come. */
struct scan {
	size_t off;   /* the next message */
	int authed;   /* an Authentication or ErrorResponse came: no more
		       * one-byte answers to SSLRequest and GSSENCRequest */
	int fatal;    /* a FATAL ErrorResponse came */
	unsigned long nmsgs;
};

static void
bad(const char *what, const unsigned char *p, size_t n)
{
	fprintf(stderr, "fuzz-serve: the server sent %s:", what);
	for (size_t i = 0; i < n && i < 64; i++)
		fprintf(stderr, " %02x", p[i]);
	fprintf(stderr, "\n");
	abort();
}

/* An ErrorResponse or NoticeResponse body: its fields.  1 when FATAL. */
static int
check_fields(int type, const unsigned char *p, size_t n)
{
	const char *sev = NULL, *code = NULL, *msg = NULL;
	size_t i = 0;
	while (i < n && p[i]) {
		int f = p[i++];
		const unsigned char *z = memchr(p + i, 0, n - i);
		if (!z)
			bad("a field without its NUL", p, n);
		const char *v = (const char *)p + i;
		if (f == 'S')
			sev = v;
		else if (f == 'C')
			code = v;
		else if (f == 'M')
			msg = v;
		i = (size_t)(z - p) + 1;
	}
	if (i + 1 != n)
		bad("fields not ending in one NUL", p, n);
	if (!sev || !code || !msg || strlen(code) != 5 || !*msg)
		bad("an error or notice without severity, SQLSTATE or message", p, n);
	if (type == 'E' && (strcmp(code, "XX000") == 0 || strcmp(code, "XX001") == 0 ||
			    strcmp(code, "58030") == 0)) {
		fprintf(stderr, "fuzz-serve: the server failed: %s %s %s\n", sev, code, msg);
		abort();
	}
	if (verbose)
		fprintf(stderr, "  %c %s %s %s\n", type, sev, code, msg);
	return type == 'E' && strcmp(sev, "FATAL") == 0;
}

/* The complete messages from s->off on. */
static void
scan_some(struct scan *s, const struct dh_buf *b, int live)
{
	static const char types[] = "RSKZTDCIENAtn123sGHWdcv";
	while (s->off < b->len) {
		const unsigned char *p = (const unsigned char *)b->p + s->off;
		size_t have = b->len - s->off;
		if (s->fatal)
			bad("a message after a FATAL error", p, have);
		if (!s->authed && p[0] == 'N') {
			s->off++; /* 'N': no TLS, no GSSAPI encryption */
			continue;
		}
		if (!strchr(types, p[0]) || !p[0])
			bad("an unknown message type", p, have);
		if (have < 5)
			return;
		uint32_t len = dh_get_u32be(p + 1);
		if (len < 4 || len > (1u << 30))
			bad("a bad message length", p, have);
		if (have < 1 + (size_t)len)
			return;
		const unsigned char *body = p + 5;
		size_t n = len - 4;
		switch (p[0]) {
		case 'R':
			s->authed = 1;
			break;
		case 'E':
			s->authed = 1;
			/* fall through */
		case 'N':
			if (check_fields(p[0], body, n))
				s->fatal = 1;
			break;
		case 'K':
			if (n != 8)
				bad("a BackendKeyData not of 8 bytes", p, have);
			if (live)
				budget_key((int32_t)dh_get_u32be(body), dh_get_u32be(body + 4));
			break;
		case 'Z':
			if (n != 1 || !strchr("ITE", body[0]))
				bad("a bad ReadyForQuery", p, have);
			if (live)
				budget_progress();
			break;
		default:
			break;
		}
		if (verbose && p[0] != 'E' && p[0] != 'N')
			fprintf(stderr, "  %c (%zu bytes)\n", p[0], n);
		s->nmsgs++;
		s->off += 1 + (size_t)len;
	}
}

/* ------------------------------------------------------------ the client */

struct client {
	int fd;
	const unsigned char *out; /* the client's bytes */
	size_t nout;
	struct dh_buf in; /* the server's */
	struct scan scan;
};

static void
put_startup(struct dh_buf *b)
{
	static const char params[] = "user\0" USER "\0database\0" DATABASE "\0"
				     "application_name\0fuzz\0";
	unsigned char w[8];
	dh_put_u32be(w, (uint32_t)(8 + sizeof(params)));
	dh_put_u32be(w + 4, 196608);
	dh_buf_add(b, w, 8);
	dh_buf_add(b, params, sizeof(params)); /* its NUL ends the list */
}

static void
put_msg(struct dh_buf *b, int type, const void *p, size_t n)
{
	unsigned char w[5];
	w[0] = (unsigned char)type;
	dh_put_u32be(w + 1, (uint32_t)(n + 4));
	dh_buf_add(b, w, 5);
	if (n)
		dh_buf_add(b, p, n);
}

/* The client's bytes from the input (see the top). */
static void
client_bytes(const uint8_t *data, size_t size, struct dh_buf *b)
{
	int how = data[0] & 3, server = (data[0] >> 2) & 3;
	size_t i = 1;
	if (how == 3) {
		unsigned char ssl[8];
		dh_put_u32be(ssl, 8);
		dh_put_u32be(ssl + 4, 80877103);
		dh_buf_add(b, ssl, 8);
	}
	if (how != 2) {
		put_startup(b);
		if (server == 2)
			put_msg(b, 'p', PASSWORD, sizeof(PASSWORD));
	}
	if (how == 1 || how == 2) {
		dh_buf_add(b, data + i, size - i);
		return;
	}
	while (i < size) {
		int type = data[i++];
		if (type == 0) {
			dh_buf_add(b, data + i, size - i);
			return;
		}
		size_t n = 0;
		if (i < size)
			n = data[i++];
		if (n == 255) {
			n = 0;
			for (int k = 0; k < 2 && i < size; k++)
				n = n << 8 | data[i++];
		}
		if (n > size - i)
			n = size - i;
		put_msg(b, type, data + i, n);
		i += n;
	}
}

/* Write everything, then half-close; read until the server closes. */
static void *
client_main(void *arg)
{
	struct client *c = arg;
	size_t off = 0;
	int wr = 1;
	static __thread unsigned char tmp[65536];
	fcntl(c->fd, F_SETFL, fcntl(c->fd, F_GETFL) | O_NONBLOCK);
	if (c->nout == 0) {
		shutdown(c->fd, SHUT_WR);
		wr = 0;
	}
	for (;;) {
		struct pollfd p = {.fd = c->fd, .events = POLLIN | (wr ? POLLOUT : 0)};
		if (poll(&p, 1, -1) < 0) {
			if (errno == EINTR)
				continue;
			perror("poll");
			abort();
		}
		if (wr && (p.revents & (POLLOUT | POLLERR | POLLHUP))) {
			ssize_t n = send(c->fd, c->out + off, c->nout - off, MSG_NOSIGNAL);
			if (n > 0)
				off += (size_t)n;
			/* EPIPE: the server ended the connection first */
			if (off == c->nout || (n < 0 && errno != EAGAIN && errno != EINTR)) {
				shutdown(c->fd, SHUT_WR);
				wr = 0;
			}
		}
		if (p.revents & (POLLIN | POLLHUP | POLLERR)) {
			ssize_t n = recv(c->fd, tmp, sizeof(tmp), 0);
			if (n == 0 || (n < 0 && errno == ECONNRESET))
				break;
			if (n < 0) {
				if (errno == EAGAIN || errno == EINTR)
					continue;
				perror("recv");
				abort();
			}
			dh_buf_add(&c->in, tmp, (size_t)n);
			scan_some(&c->scan, &c->in, 1);
		}
	}
	return NULL;
}

/* ------------------------------------------------------------ one input */

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static int ready;
	struct dh_serve *sv;
	struct dh_err err;
	struct client c;
	pthread_t t;
	int sp[2];

	if (!ready) {
		setup();
		ready = 1;
	}
	if (size < 1)
		return 0;
	int fds = open_fds();
	if (dh_serve_new(store, &opts[(data[0] >> 2) & 3], NULL, &sv, &err))
		die("cannot make the server", &err);
	if (socketpair(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0, sp)) {
		perror("socketpair");
		abort();
	}
	memset(&c, 0, sizeof(c));
	struct dh_buf out;
	dh_buf_init(&out, 0);
	client_bytes(data, size, &out);
	c.fd = sp[1];
	c.out = (const unsigned char *)out.p;
	c.nout = out.len;
	dh_buf_init(&c.in, 0);
	budget_start(sv);
	if (pthread_create(&t, NULL, client_main, &c)) {
		perror("pthread_create");
		abort();
	}
	dh_serve_conn(sv, sp[0], "fuzz"); /* closes sp[0] */
	pthread_join(t, NULL);
	budget_stop();
	close(sp[1]);
	dh_serve_free(sv);

	scan_some(&c.scan, &c.in, 0);
	if (c.scan.off != c.in.len)
		bad("a truncated message at its end", (const unsigned char *)c.in.p + c.scan.off,
		    c.in.len - c.scan.off);
	if (verbose)
		fprintf(stderr, "fuzz-serve: %zu bytes sent, %lu messages back, %lu cancels\n",
			out.len, c.scan.nmsgs, cancels);
	dh_buf_release(&c.in);
	dh_buf_release(&out);
	int now = open_fds();
	if (now != fds) {
		fprintf(stderr, "fuzz-serve: %d descriptors open before the input, %d after\n",
			fds, now);
		abort();
	}

	char *state = store_state();
	if (strcmp(state, pristine_state) != 0) {
		reopen();
		restores++;
	}
	free(state);
	return 0;
}
