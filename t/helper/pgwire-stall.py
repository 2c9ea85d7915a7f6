#!/usr/bin/env python3
"""pgwire-stall.py PORT USER DATABASE: a client that stops halfway.

Two connections to a server: one sends nothing at all, the other sends its
startup packet and then nothing.  For each, prints what came back before
the server closed the connection, one line:

  silent: closed, 0 bytes
  startup: R E(FATAL 57014 canceling authentication due to timeout) closed

(message types in order, an ErrorResponse with its severity, code and
message).  A server that keeps the connection open for 30 s prints
"open" instead of "closed"."""
import socket
import struct
import sys

port, user, db = int(sys.argv[1]), sys.argv[2], sys.argv[3]


def drain(s):
    s.settimeout(30)
    buf = b""
    try:
        while True:
            x = s.recv(65536)
            if not x:
                return buf, "closed"
            buf += x
    except socket.timeout:
        return buf, "open"


def messages(buf):
    out, i = [], 0
    while i + 5 <= len(buf):
        t = chr(buf[i])
        n = struct.unpack("!I", buf[i + 1:i + 5])[0]
        body = buf[i + 5:i + 1 + n]
        if t == "E":
            f = {}
            for part in body.split(b"\0"):
                if part:
                    f[chr(part[0])] = part[1:].decode()
            t = "E(%s %s %s)" % (f.get("S"), f.get("C"), f.get("M"))
        out.append(t)
        i += 1 + n
    return out


s = socket.create_connection(("127.0.0.1", port))
buf, how = drain(s)
print("silent: %s, %d bytes" % (how, len(buf)))

s = socket.create_connection(("127.0.0.1", port))
body = struct.pack("!I", 196608) + b"user\0" + user.encode() + b"\0database\0" + \
    db.encode() + b"\0\0"
s.sendall(struct.pack("!I", len(body) + 4) + body)
buf, how = drain(s)
print("startup: %s %s" % (" ".join(messages(buf)), how))
