#!/usr/bin/env python3
"""pgwire-script: speak the PostgreSQL v3 protocol from a script, print
what the server answers, one decoded message a line.

    pgwire-script.py HOST PORT USER DATABASE < SCRIPT

The tests run one script against PostgreSQL 15 and against dh-serve and
compare the two outputs.  Only the standard library: the point is to send
exactly the messages written, in any order and batching a real client
would not (pipelines, errors before Sync, row limits).

A script line is one frontend message, as a call:

    Q("sql")                              Query
    P("name", "sql", [oid, ...])          Parse (types optional)
    B("portal", "stmt", [v, ...], pformats=[...], rformats=[...])
                                          Bind; v: str (sent as UTF-8),
                                          bytes, hex("0001"), or None
    D("S" or "P", "name")                 Describe
    E("portal", max_rows)                 Execute (max_rows optional, 0)
    C("S" or "P", "name")                 Close
    S()  H()                              Sync, Flush
    raw(b"...")                           bytes as they are
    read()                                read up to the next ReadyForQuery
    wait(seconds)                         read whatever comes meanwhile
    use("name")                           go on in another connection
                                          (opened at first use; the first
                                          one is "main")

Messages are buffered and sent at Q, S, H and read(); the answers are read
after Q and S up to ReadyForQuery, after H for as long as they keep coming
(0.3 s).  Lines starting with # and blank lines are skipped; a line
"echo TEXT" is printed as it is.

Output: ParameterStatus and BackendKeyData are left out (they differ
between servers by design); RowDescription prints each field's name, type
OID, typlen, typmod and format, and for a field with a table OID,
@tN.ATTNUM: the OIDs differ between servers, so tN numbers them in the
order they first appear, and after the script a new connection asks the
server for each one's pg_class.relname and prints "table tN: NAME";
ErrorResponse and NoticeResponse print severity, code, message and the
position if any.  DataRow cells print as Python literals of the bytes.
NotificationResponse prints the name of the connection that notified
(its BackendKeyData process id), the channel and the payload.
"""
import socket
import struct
import sys


PIDS = {}
TABLES = {}  # RowDescription's table OIDs -> their label number


class Conn:
    def __init__(self, name, host, port, user, db):
        self.name = name
        self.s = socket.create_connection((host, int(port)), timeout=30)
        self.out = bytearray()
        self.buf = bytearray()
        body = struct.pack("!i", 196608)
        for k, v in (("user", user), ("database", db), ("client_encoding", "UTF8"),
                     ("DateStyle", "ISO"), ("TimeZone", "UTC")):
            body += k.encode() + b"\0" + v.encode() + b"\0"
        body += b"\0"
        self.s.sendall(struct.pack("!i", len(body) + 4) + body)
        while True:
            t, p = self.msg()
            if t == "R":
                (code,) = struct.unpack("!i", p[:4])
                if code != 0:
                    sys.exit("pgwire-script: the server wants authentication %d" % code)
            elif t == "E":
                print(self.decode(t, p))
                sys.exit(1)
            elif t == "K":
                PIDS[struct.unpack("!i", p[:4])[0]] = name
            elif t == "Z":
                return

    def recv(self, n):
        while len(self.buf) < n:
            d = self.s.recv(65536)
            if not d:
                raise EOFError
            self.buf += d
        r = bytes(self.buf[:n])
        del self.buf[:n]
        return r

    def msg(self):
        h = self.recv(5)
        t = chr(h[0])
        (n,) = struct.unpack("!i", h[1:])
        return t, self.recv(n - 4)

    def put(self, t, body):
        self.out += t.encode() + struct.pack("!i", len(body) + 4) + body

    def flush(self):
        self.s.sendall(bytes(self.out))
        self.out = bytearray()

    def read_to_ready(self):
        self.flush()
        while True:
            try:
                t, p = self.msg()
            except EOFError:
                print("<connection closed>")
                return False
            line = self.decode(t, p)
            if line is not None:
                print(line)
            if t == "Z":
                return True

    def read_for_a_while(self, seconds=0.3):
        self.flush()
        self.s.settimeout(seconds)
        try:
            while True:
                t, p = self.msg()
                line = self.decode(t, p)
                if line is not None:
                    print(line)
        except (socket.timeout, TimeoutError):
            pass
        except EOFError:
            print("<connection closed>")
        self.s.settimeout(30)

    @staticmethod
    def cstr(p, i):
        j = p.index(b"\0", i)
        return p[i:j].decode(), j + 1

    def decode(self, t, p):
        if t in "SK":
            return None
        simple = {"1": "ParseComplete", "2": "BindComplete", "3": "CloseComplete",
                  "n": "NoData", "s": "PortalSuspended", "I": "EmptyQueryResponse",
                  "c": "CopyDone"}
        if t in simple:
            return simple[t]
        if t == "Z":
            return "ReadyForQuery %s" % p.decode()
        if t == "C":
            return "CommandComplete %s" % self.cstr(p, 0)[0]
        if t == "t":
            (n,) = struct.unpack("!h", p[:2])
            oids = struct.unpack("!%dI" % n, p[2:2 + 4 * n])
            return "ParameterDescription %s" % list(oids)
        if t == "T":
            (n,) = struct.unpack("!h", p[:2])
            i, fields = 2, []
            for _ in range(n):
                name, i = self.cstr(p, i)
                tab, att, typ, tlen, tmod, fmt = struct.unpack("!IhIhih", p[i:i + 18])
                i += 18
                f = "%s:%d:%d:%d:%d" % (name, typ, tlen, tmod, fmt)
                if tab:
                    f += "@t%d.%d" % (TABLES.setdefault(tab, len(TABLES) + 1), att)
                elif att:
                    f += "@0.%d" % att
                fields.append(f)
            return "RowDescription %s" % " ".join(fields)
        if t == "D":
            (n,) = struct.unpack("!h", p[:2])
            i, cells = 2, []
            for _ in range(n):
                (ln,) = struct.unpack("!i", p[i:i + 4])
                i += 4
                if ln < 0:
                    cells.append("NULL")
                else:
                    cells.append(repr(p[i:i + ln]))
                    i += ln
            return "DataRow " + " | ".join(cells)
        if t in "EN":
            f, i = {}, 0
            while p[i] != 0:
                k = chr(p[i])
                v, i = self.cstr(p, i + 1)
                f[k] = v
            s = "%s %s %s %s" % ("Error" if t == "E" else "Notice", f.get("S"), f.get("C"),
                                 f.get("M"))
            if "P" in f:
                s += " (position %s)" % f["P"]
            return s
        if t in "GH":
            fmt, n = struct.unpack("!bh", p[:3])
            return "%s %d %d" % ("CopyInResponse" if t == "G" else "CopyOutResponse", fmt, n)
        if t == "d":
            return "CopyData %r" % p
        if t == "A":
            (pid,) = struct.unpack("!i", p[:4])
            ch, i = self.cstr(p, 4)
            pl, _ = self.cstr(p, i)
            return "NotificationResponse from %s: %s %r" % (PIDS.get(pid, "?"), ch, pl)
        return "message %r %r" % (t, p)


class hex_:
    def __init__(self, h):
        self.b = bytes.fromhex(h)


def main():
    conns = {"main": Conn("main", *sys.argv[1:5])}
    c = conns["main"]

    def Q(sql):
        c.put("Q", sql.encode() + b"\0")
        return c.read_to_ready()

    def P(name, sql, types=()):
        body = name.encode() + b"\0" + sql.encode() + b"\0" + struct.pack("!h", len(types))
        for t in types:
            body += struct.pack("!I", t)
        c.put("P", body)

    def B(portal, stmt, params=(), pformats=(), rformats=()):
        body = portal.encode() + b"\0" + stmt.encode() + b"\0"
        body += struct.pack("!h", len(pformats)) + b"".join(struct.pack("!h", f) for f in pformats)
        body += struct.pack("!h", len(params))
        for v in params:
            if v is None:
                body += struct.pack("!i", -1)
                continue
            b = v.b if isinstance(v, hex_) else v if isinstance(v, bytes) else v.encode()
            body += struct.pack("!i", len(b)) + b
        body += struct.pack("!h", len(rformats)) + b"".join(struct.pack("!h", f) for f in rformats)
        c.put("B", body)

    def D(what, name):
        c.put("D", what.encode() + name.encode() + b"\0")

    def E(portal, max_rows=0):
        c.put("E", portal.encode() + b"\0" + struct.pack("!i", max_rows))

    def C(what, name):
        c.put("C", what.encode() + name.encode() + b"\0")

    def S():
        c.put("S", b"")
        return c.read_to_ready()

    def H():
        c.put("H", b"")
        c.read_for_a_while()

    def raw(b):
        c.out += b

    def read():
        return c.read_to_ready()

    def wait(seconds):
        c.read_for_a_while(seconds)

    def use(name):
        nonlocal c
        if name not in conns:
            conns[name] = Conn(name, *sys.argv[1:5])
        c = conns[name]

    env = {"Q": Q, "P": P, "B": B, "D": D, "E": E, "C": C, "S": S, "H": H, "raw": raw,
           "read": read, "hex": hex_, "wait": wait, "use": use}
    for line in sys.stdin:
        line = line.rstrip("\n")
        if not line.strip() or line.lstrip().startswith("#"):
            continue
        if line.startswith("echo "):
            print(line[5:])
            continue
        print(">> " + line)
        sys.stdout.flush()
        if eval(line, env) is False:
            break
    for c in conns.values():
        c.put("X", b"")
        try:
            c.flush()
        except OSError:
            pass
    if TABLES:
        c = Conn("tables", *sys.argv[1:5])
        for oid, n in sorted(TABLES.items(), key=lambda x: x[1]):
            c.put("Q", b"SELECT relname FROM pg_class WHERE oid = %d\0" % oid)
            c.flush()
            names = []
            while True:
                t, p = c.msg()
                if t == "D":
                    (ln,) = struct.unpack("!i", p[2:6])
                    names.append(p[6:6 + ln].decode() if ln >= 0 else "NULL")
                elif t == "E":
                    names.append(c.decode(t, p))
                elif t == "Z":
                    break
            print("table t%d: %s" % (n, " ".join(names) or "(no pg_class row)"))
        c.put("X", b"")
        c.flush()


if __name__ == "__main__":
    main()
