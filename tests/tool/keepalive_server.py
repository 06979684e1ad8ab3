#!/usr/bin/python3
"""tests/tool/keepalive_server.py - a tiny keepalive server for crlf_test.sh.

    keepalive_server.py PORTFILE MODE [SECONDS]

Binds 127.0.0.1 on a port the kernel picks, writes the port to PORTFILE,
and serves until SECONDS (default 20) have passed, so that a test can
never leave it behind. MODE:
  pong      TCP: every "\\r\\n\\r\\n" ping is answered with a "\\r\\n" pong
            (RFC 5626 section 4.4.1)
  mute      TCP: takes the connection and answers nothing
  close     TCP: answers the first ping, closes the connection at the second
  stun      UDP: every Binding request is answered with a success response
            whose XOR-MAPPED-ADDRESS is the sender's address
  rebind    UDP: as stun, but from the third request on the mapped address
            is 192.0.2.1:40000 (a NAT that bound the flow anew)
  error     UDP: the second request gets a 420 error response
  silent    UDP: answers nothing
"""
import os
import select
import socket
import struct
import sys
import time

COOKIE = 0x2112A442


def stun_msg(mtype: int, txid: bytes, attrs: bytes) -> bytes:
    return struct.pack("!HHI", mtype, len(attrs), COOKIE) + txid + attrs


def xor_mapped(host: str, port: int) -> bytes:
    addr = struct.unpack("!I", socket.inet_aton(host))[0] ^ COOKIE
    return struct.pack("!HHBBHI", 0x0020, 8, 0, 1, port ^ 0x2112, addr)


def error_420(txid: bytes) -> bytes:
    reason = b"Unknown Attribute"
    attr = struct.pack("!HHHBB", 0x0009, 4 + len(reason), 0, 4, 20) + reason
    attr += b"\0" * (-len(attr) % 4)
    return stun_msg(0x0111, txid, attr)


def main() -> None:
    portfile, mode = sys.argv[1], sys.argv[2]
    end = time.monotonic() + (float(sys.argv[3]) if len(sys.argv) > 3 else 20.0)
    udp = mode in ("stun", "rebind", "error", "silent")
    srv = socket.socket(socket.AF_INET, socket.SOCK_DGRAM if udp else socket.SOCK_STREAM)
    srv.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    srv.bind(("127.0.0.1", 0))
    if not udp:
        srv.listen(4)
    with open(portfile + ".tmp", "w") as f:
        f.write("%d\n" % srv.getsockname()[1])
    os.rename(portfile + ".tmp", portfile)
    conns = {}
    requests = 0
    while time.monotonic() < end:
        ready, _, _ = select.select([srv] + list(conns), [], [], 0.2)
        for s in ready:
            if s is srv and udp:
                data, peer = srv.recvfrom(2048)
                if len(data) < 20 or data[0:2] != b"\x00\x01":
                    continue
                requests += 1
                txid = data[8:20]
                if mode == "silent":
                    continue
                if mode == "error" and requests == 2:
                    srv.sendto(error_420(txid), peer)
                    continue
                host, port = peer
                if mode == "rebind" and requests >= 3:
                    host, port = "192.0.2.1", 40000
                srv.sendto(stun_msg(0x0101, txid, xor_mapped(host, port)), peer)
            elif s is srv:
                c, _ = srv.accept()
                conns[c] = [b"", 0]
            else:
                data = s.recv(65535)
                if not data:
                    s.close()
                    del conns[s]
                    continue
                st = conns[s]
                st[0] += data
                while b"\r\n\r\n" in st[0]:
                    _, st[0] = st[0].split(b"\r\n\r\n", 1)
                    st[1] += 1
                    if mode == "close" and st[1] >= 2:
                        s.close()
                        del conns[s]
                        break
                    if mode in ("pong", "close"):
                        s.sendall(b"\r\n")


main()
