#!/usr/bin/env python3
"""mkcorpus-serve: record real clients' traffic into seeds for fuzz-serve.

    mkcorpus-serve.py BUILD_DIR OUT_DIR

Makes fuzz-serve's store (fuzz-serve-replay with DH_FUZZ_SERVE_STORE),
serves it with BUILD_DIR/bin/dh-serve, and runs clients through a proxy
that records what each connection's client sends: psql (simple queries,
errors, transactions, COPY both ways, LISTEN/NOTIFY, \\gdesc, \\d),
pgbench -M simple, extended and prepared, psycopg 3 (pipeline mode,
binary parameters, executemany, COPY) and the scripts of t/pgwire/ through
t/helper/pgwire-script.py.  Each connection becomes seeds in fuzz-serve's
input format (t/fuzz/fuzz-serve.c): "raw-NAME" the bytes as sent (mode 2,
its own startup), "msg-NAME-K" its messages after startup framed (mode 0),
split into pieces of at most 4096 bytes at message boundaries (make
check's -max_len).  Run by hand when the clients change; the seeds are
committed.
"""
import os
import socket
import struct
import subprocess
import sys
import tempfile
import threading
import time

MAX = 4096


def free_port():
    s = socket.socket()
    s.bind(("127.0.0.1", 0))
    p = s.getsockname()[1]
    s.close()
    return p


class Recorder:
    def __init__(self, upstream):
        self.upstream = upstream
        self.lsock = socket.socket()
        self.lsock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        self.lsock.bind(("127.0.0.1", 0))
        self.lsock.listen(16)
        self.port = self.lsock.getsockname()[1]
        self.label = "x"
        self.streams = []  # (label, bytes)
        self.lock = threading.Lock()
        threading.Thread(target=self.accept, daemon=True).start()

    def accept(self):
        while True:
            c, _ = self.lsock.accept()
            u = socket.create_connection(("127.0.0.1", self.upstream))
            rec = bytearray()
            with self.lock:
                self.streams.append((self.label, rec))
            threading.Thread(target=self.pump, args=(c, u, rec), daemon=True).start()
            threading.Thread(target=self.pump, args=(u, c, None), daemon=True).start()

    @staticmethod
    def pump(a, b, rec):
        try:
            while True:
                d = a.recv(65536)
                if not d:
                    break
                if rec is not None:
                    rec += d
                b.sendall(d)
        except OSError:
            pass
        try:
            b.shutdown(socket.SHUT_WR)
        except OSError:
            pass


def messages(stream):
    """The startup-phase packets, then the typed messages, of a client's bytes."""
    i, out = 0, []
    while i + 8 <= len(stream):
        n, code = struct.unpack("!ii", stream[i:i + 8])
        i += n
        if code not in (80877103, 80877104):  # SSLRequest, GSSENCRequest
            break
    while i + 5 <= len(stream):
        t = stream[i]
        n = struct.unpack("!i", stream[i + 1:i + 5])[0]
        out.append((t, bytes(stream[i + 5:i + 1 + n])))
        i += 1 + n
    return out


def record(body):
    t, p = body
    if len(p) < 255:
        return bytes([t, len(p)]) + p
    p = p[:65535]
    return bytes([t, 255]) + struct.pack("!H", len(p)) + p


def write_seeds(out, label, stream):
    if len(stream) + 1 <= MAX:
        with open(os.path.join(out, "raw-" + label), "wb") as f:
            f.write(b"\x02" + bytes(stream))
    piece, k = bytearray(b"\x00"), 0
    for m in messages(stream):
        r = record(m)
        if len(piece) + len(r) > MAX and len(piece) > 1:
            with open(os.path.join(out, "msg-%s-%d" % (label, k)), "wb") as f:
                f.write(piece)
            piece, k = bytearray(b"\x00"), k + 1
        piece += r[:MAX - 1]
    if len(piece) > 1:
        with open(os.path.join(out, "msg-%s-%d" % (label, k)), "wb") as f:
            f.write(piece)


PSQL = {
    "psql-simple": "SELECT * FROM part ORDER BY id;\nSELECT 1 / 0;\nSELECT nosuch;\n"
                   "INSERT INTO t VALUES (7, 'x') RETURNING *;\nSELECT 1; SELECT 2;\n;\n",
    "psql-tx": "BEGIN;\nUPDATE part SET qty = qty + 1 WHERE id = 1 RETURNING qty;\n"
               "SAVEPOINT a;\nSELECT 1 +;\nROLLBACK TO a;\nCOMMIT;\nBEGIN;\nSELECT x;\nSELECT 1;\n"
               "ROLLBACK;\n",
    "psql-copy": "COPY t FROM STDIN;\n5\tfive\n6\t\\N\n\\.\nCOPY t TO STDOUT;\n"
                 "COPY t (a) FROM STDIN WITH (FORMAT csv);\n1\nx\n\\.\n"
                 "COPY (SELECT * FROM part) TO STDOUT WITH (FORMAT csv, HEADER);\n",
    "psql-notify": "LISTEN ch;\nNOTIFY ch, 'hello';\nSELECT pg_notify('ch', 'two');\n"
                   "BEGIN;\nNOTIFY ch;\nCOMMIT;\nUNLISTEN *;\n",
    "psql-describe": "SELECT 1 AS one, 'x'::varchar(3) AS v \\gdesc\n\\d part\n",
    "psql-prepare": "PREPARE p (int) AS SELECT * FROM part WHERE id = $1;\nEXECUTE p(2);\n"
                    "DEALLOCATE p;\nBEGIN;\nDECLARE c CURSOR FOR SELECT * FROM t;\n"
                    "FETCH 2 FROM c;\nCLOSE c;\nEND;\nSET statement_timeout = '1s';\n"
                    "SHOW statement_timeout;\n",
}

PSYCOPG = r'''
import sys, psycopg
dsn = sys.argv[1]
which = sys.argv[2]
with psycopg.connect(dsn) as conn:
    if which == "pipeline":
        with conn.pipeline():
            conn.execute("select 1")
            conn.execute("select %s::int + %s", (1, 2))
            conn.execute("select * from part where id = %s", (1,))
    elif which == "binary":
        cur = conn.cursor(binary=True)
        cur.execute("select %s::int, %s::text, %s::numeric, %s::bytea, %s::float8",
                    (1, "x", 1.5, b"\x00\x01", 2.5))
        cur.fetchall()
        cur.executemany("insert into t values (%s, %s)", [(10, "a"), (11, None)])
        try:
            cur.execute("select 1/%s", (0,))
        except psycopg.Error:
            conn.rollback()
    elif which == "copy":
        with conn.cursor() as cur:
            with cur.copy("COPY t FROM STDIN") as cp:
                cp.write_row((20, "c"))
                cp.write_row((21, None))
            with cur.copy("COPY t TO STDOUT") as cp:
                for row in cp.rows():
                    pass
'''


def main():
    build, out = sys.argv[1], sys.argv[2]
    src = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
    os.makedirs(out, exist_ok=True)
    tmp = tempfile.mkdtemp(prefix="mkcorpus-serve.")
    store = os.path.join(tmp, "s.store")
    env = dict(os.environ, DH_FUZZ_SERVE_STORE=store, TMPDIR=tmp)
    open(os.path.join(tmp, "empty"), "wb").close()
    subprocess.run([os.path.join(build, "t/fuzz/fuzz-serve-replay"), os.path.join(tmp, "empty")],
                   env=env, check=True, stdout=subprocess.DEVNULL)
    port = free_port()
    srv = subprocess.Popen([os.path.join(build, "bin/dh-serve"), "-s", store, "-p", str(port),
                            "--allow-create-database"], stdout=subprocess.PIPE,
                           stderr=open(os.path.join(tmp, "serve.err"), "w"))
    srv.stdout.readline()
    rec = Recorder(port)
    penv = dict(os.environ, PGHOST="127.0.0.1", PGPORT=str(rec.port), PGUSER="fz",
                PGDATABASE="fz", PGSSLMODE="disable", PGAPPNAME="psql")

    def run(label, argv, inp=None, extra=None):
        rec.label = label
        e = dict(penv, **(extra or {}))
        subprocess.run(argv, input=inp, env=e, stdout=subprocess.DEVNULL,
                       stderr=subprocess.DEVNULL, timeout=60)
        time.sleep(0.3)

    for label, script in PSQL.items():
        run(label, ["psql", "-X", "-f", "-"], script.encode())
    run("psql-sslrequest", ["psql", "-X", "-c", "SELECT 1"], extra={"PGSSLMODE": "prefer"})
    pgb = os.path.join(tmp, "pgb.sql")
    with open(pgb, "w") as f:
        f.write("\\set aid random(1, 100)\n\\set delta random(-5000, 5000)\nBEGIN;\n"
                "UPDATE pgbench_accounts SET abalance = abalance + :delta WHERE aid = :aid;\n"
                "SELECT abalance FROM pgbench_accounts WHERE aid = :aid;\n"
                "INSERT INTO pgbench_history (tid, bid, aid, delta, mtime) VALUES "
                "(1, 1, :aid, :delta, CURRENT_TIMESTAMP);\nEND;\n")
    for mode in ("simple", "extended", "prepared"):
        run("pgbench-" + mode, ["pgbench", "-n", "-M", mode, "-t", "2", "-f", pgb])
    run("pgbench-select", ["pgbench", "-n", "-S", "-M", "extended", "-t", "3"])
    py = os.path.join(tmp, "py.py")
    with open(py, "w") as f:
        f.write(PSYCOPG)
    dsn = "host=127.0.0.1 port=%d user=fz dbname=fz sslmode=disable" % rec.port
    for which in ("pipeline", "binary", "copy"):
        run("psycopg-" + which, ["/usr/bin/python3", py, dsn, which])
    for script in sorted(os.listdir(os.path.join(src, "t/pgwire"))):
        name = script.rsplit(".", 1)[0]
        with open(os.path.join(src, "t/pgwire", script), "rb") as f:
            run("script-" + name, [sys.executable, os.path.join(src, "t/helper/pgwire-script.py"),
                                   "127.0.0.1", str(rec.port), "fz", "fz"], f.read())
    srv.terminate()
    srv.wait()
    with rec.lock:
        n = {}
        for label, stream in rec.streams:
            k = n.get(label, 0)
            n[label] = k + 1
            write_seeds(out, label if k == 0 else "%s-c%d" % (label, k), stream)
    for f in os.listdir(tmp):
        os.unlink(os.path.join(tmp, f))
    os.rmdir(tmp)


if __name__ == "__main__":
    main()
