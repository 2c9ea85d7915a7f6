#!/usr/bin/env python3
"""pgwire-idle: hold N idle sessions open against a server.

    pgwire-idle.py N HOST PORT USER DATABASE

Opens N connections (startup, trust authentication), prints "ready N" once
all are in, then waits for a line on standard input; then runs SELECT 1 on
every one of them and prints "alive K" (K sessions answered 1), and exits 0
when K == N.  Standard library only.
"""
import socket
import struct
import sys


def msg(s, buf):
    while len(buf) < 5:
        d = s.recv(65536)
        if not d:
            raise EOFError
        buf += d
    t = chr(buf[0])
    (n,) = struct.unpack("!i", buf[1:5])
    while len(buf) < 1 + n:
        d = s.recv(65536)
        if not d:
            raise EOFError
        buf += d
    p = bytes(buf[5:1 + n])
    del buf[:1 + n]
    return t, p


def until_ready(s, buf):
    rows = []
    while True:
        t, p = msg(s, buf)
        if t == "E":
            raise RuntimeError(p)
        if t == "D":
            (ln,) = struct.unpack("!i", p[2:6])
            rows.append(p[6:6 + ln])
        if t == "Z":
            return rows


def main():
    n, host, port, user, db = int(sys.argv[1]), sys.argv[2], int(sys.argv[3]), sys.argv[4], \
        sys.argv[5]
    conns = []
    for _ in range(n):
        s = socket.create_connection((host, port), timeout=60)
        body = struct.pack("!i", 196608) + b"user\0" + user.encode() + b"\0database\0" + \
            db.encode() + b"\0\0"
        s.sendall(struct.pack("!i", len(body) + 4) + body)
        buf = bytearray()
        until_ready(s, buf)
        conns.append((s, buf))
    print("ready %d" % len(conns), flush=True)
    sys.stdin.readline()
    alive = 0
    for s, buf in conns:
        try:
            q = b"SELECT 1\0"
            s.sendall(b"Q" + struct.pack("!i", len(q) + 4) + q)
            if until_ready(s, buf) == [b"1"]:
                alive += 1
        except (OSError, EOFError, RuntimeError):
            pass
    print("alive %d" % alive, flush=True)
    sys.exit(0 if alive == n else 1)


if __name__ == "__main__":
    main()
