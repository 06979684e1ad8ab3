#!/usr/bin/python3
"""tests/tool/probe_responder.py - a tiny SIP responder for probe_test.sh.

    probe_responder.py PORTFILE udp|tcp "200 OK" [SECONDS]

Binds 127.0.0.1 on a port the kernel picks, writes the port to PORTFILE,
and answers every request with the given status line, echoing Via, From,
To, Call-ID and CSeq (RFC 3261 section 8.2.6.2). "drop" answers nothing.
Exits after SECONDS (default 20) so that a test can never leave it behind.
"""
import os
import select
import socket
import sys
import time

ECHO = ("via", "v", "from", "f", "to", "t", "call-id", "i", "cseq")


def answer(request: bytes, status: str) -> bytes:
    head = request.split(b"\r\n\r\n", 1)[0].decode("utf-8", "replace")
    keep = [l for l in head.split("\r\n")[1:] if l.split(":", 1)[0].strip().lower() in ECHO]
    return ("SIP/2.0 " + status + "\r\n" + "\r\n".join(keep) +
            "\r\nServer: probe_responder\r\nContent-Length: 0\r\n\r\n").encode()


def main() -> None:
    portfile, transport, status = sys.argv[1], sys.argv[2], sys.argv[3]
    end = time.monotonic() + (float(sys.argv[4]) if len(sys.argv) > 4 else 20.0)
    kind = socket.SOCK_DGRAM if transport == "udp" else socket.SOCK_STREAM
    srv = socket.socket(socket.AF_INET, kind)
    srv.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    srv.bind(("127.0.0.1", 0))
    if kind == socket.SOCK_STREAM:
        srv.listen(4)
    with open(portfile + ".tmp", "w") as f:
        f.write("%d\n" % srv.getsockname()[1])
    os.rename(portfile + ".tmp", portfile)
    conns = {}
    while time.monotonic() < end:
        ready, _, _ = select.select([srv] + list(conns), [], [], 0.2)
        for s in ready:
            if s is srv and kind == socket.SOCK_DGRAM:
                data, peer = srv.recvfrom(65535)
                if status != "drop":
                    srv.sendto(answer(data, status), peer)
            elif s is srv:
                c, _ = srv.accept()
                conns[c] = b""
            else:
                data = s.recv(65535)
                if not data:
                    s.close()
                    del conns[s]
                    continue
                conns[s] += data
                while b"\r\n\r\n" in conns[s]:  # requests without a body
                    req, conns[s] = conns[s].split(b"\r\n\r\n", 1)
                    if status != "drop":
                        s.sendall(answer(req + b"\r\n\r\n", status))


main()
