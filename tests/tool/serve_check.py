#!/usr/bin/python3
"""tests/tool/serve_check.py - the clients of tests/tool/serve_test.sh.

    serve_check.py CASE ADDR... (each ADDR "udp HOST PORT" or "tcp HOST PORT")

Talks to a running `siphb serve` on loopback and prints one PASS/FAIL line
per check; exits 1 if any failed. CASE is one of
  basic   exact answers: OPTIONS with received/rport, 405/501, nothing for
          ACK, CRLF pong (TCP), STUN Binding (with and without FINGERPRINT),
          TCP framing of two requests in one segment and of one request
          split over three segments
  code    the answer to OPTIONS is 503
  drop    nothing is answered (OPTIONS, CRLF ping, STUN)
  delay   answers come after 300 ms or more
  abuse   a connection sending 70000 bytes without a message end, and one
          sending binary garbage, are closed by the server
  st      --session-timer 1800: exact answers to INVITE (422 with Min-SE,
          200 with Session-Expires, the refresher and Require: timer, the
          interval raised for a UAC without timer, 400 for malformed
          values), BYE 200, ACK nothing, OPTIONS with Supported: timer; on
          TCP a malformed INVITE and a good one in one segment
Every socket has a timeout: nothing here waits for long.
"""
import os
import re
import socket
import struct
import sys
import time
import zlib

COOKIE = 0x2112A442
failures = 0


def check(ok, what, detail=""):
    global failures
    print(("PASS  " if ok else "FAIL  ") + what)
    if not ok:
        failures += 1
        for line in detail.splitlines():
            print("      | " + line)


def family(host):
    return socket.AF_INET6 if ":" in host else socket.AF_INET


def bracket(host):
    return "[%s]" % host if ":" in host else host


def options(transport, sent_by, via_params, method="OPTIONS", cseq_method=None):
    """A request whose Via names sent_by and carries via_params."""
    cseq_method = cseq_method or method
    return ("%s sip:serve@example.com SIP/2.0\r\n"
            "Via: SIP/2.0/%s %s;branch=z9hG4bKserve1%s\r\n"
            "Max-Forwards: 70\r\n"
            "From: <sip:check@example.com>;tag=f1\r\n"
            "To: <sip:serve@example.com>\r\n"
            "Call-ID: serve-check-1@example.com\r\n"
            "CSeq: 42 %s\r\n"
            "Content-Length: 0\r\n\r\n" % (method, transport, sent_by, via_params,
                                         cseq_method)).encode()


def response(status, reason, via, cseq_method="OPTIONS", options_extras=True):
    """The exact answer `siphb serve` gives (To tag normalised to X)."""
    extras = "Allow: OPTIONS\r\n"
    if options_extras:
        extras += "Accept: application/sdp\r\n"
    return ("SIP/2.0 %d %s\r\n"
            "Via: %s\r\n"
            "From: <sip:check@example.com>;tag=f1\r\n"
            "To: <sip:serve@example.com>;tag=X\r\n"
            "Call-ID: serve-check-1@example.com\r\n"
            "CSeq: 42 %s\r\n"
            "%s"
            "Server: siphb-serve\r\n"
            "Content-Length: 0\r\n\r\n" % (status, reason, via, cseq_method, extras))


def normalise(data):
    text = data.decode("latin-1")
    return re.sub(r"(\r\nTo: [^\r]*;tag=)[0-9a-f]{16}\r\n", r"\1X\r\n", text)


class Peer:
    """One client socket to ADDR: a UDP socket or a TCP connection."""

    def __init__(self, transport, host, port):
        self.transport, self.host, self.port = transport, host, int(port)
        fam = family(host)
        if transport == "udp":
            self.s = socket.socket(fam, socket.SOCK_DGRAM)
            self.s.connect((host, self.port))
        else:
            self.s = socket.create_connection((host, self.port), timeout=3)
            self.s.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
        self.s.settimeout(3)
        self.buf = b""
        self.local_host, self.local_port = self.s.getsockname()[:2]

    def send(self, data):
        if self.transport == "udp":
            self.s.send(data)
        else:
            self.s.sendall(data)

    def recv_exact(self, n, timeout=3.0):
        """UDP: one datagram. TCP: n bytes (or what came before the timeout)."""
        self.s.settimeout(timeout)
        try:
            if self.transport == "udp":
                return self.s.recv(65536)
            while len(self.buf) < n:
                chunk = self.s.recv(65536)
                if not chunk:
                    break
                self.buf += chunk
        except socket.timeout:
            pass
        out, self.buf = self.buf[:n], self.buf[n:]
        return out

    def recv_sip(self, timeout=3.0):
        """One SIP message (TCP: up to the blank line; no bodies here)."""
        if self.transport == "udp":
            try:
                self.s.settimeout(timeout)
                return self.s.recv(65536)
            except socket.timeout:
                return b""
        end = time.monotonic() + timeout
        while b"\r\n\r\n" not in self.buf and time.monotonic() < end:
            self.s.settimeout(max(0.01, end - time.monotonic()))
            try:
                chunk = self.s.recv(65536)
            except socket.timeout:
                break
            if not chunk:
                break
            self.buf += chunk
        i = self.buf.find(b"\r\n\r\n")
        if i < 0:
            out, self.buf = self.buf, b""
            return out
        out, self.buf = self.buf[:i + 4], self.buf[i + 4:]
        return out

    def silent(self, wait=0.4):
        """true when nothing at all arrives within `wait` seconds."""
        self.s.settimeout(wait)
        try:
            data = self.s.recv(65536)
            if self.transport == "tcp" and data == b"":
                return True  # closed, but said nothing
            self.buf += data
            return False
        except socket.timeout:
            return self.buf == b""

    def closed_by_server(self, timeout=3.0):
        end = time.monotonic() + timeout
        while time.monotonic() < end:
            self.s.settimeout(max(0.01, end - time.monotonic()))
            try:
                if self.s.recv(65536) == b"":
                    return True
            except socket.timeout:
                return False
            except ConnectionResetError:
                return True
        return False

    def close(self):
        self.s.close()


def stun_request(txid, fingerprint):
    msg = struct.pack("!HHI", 0x0001, 8 if fingerprint else 0, COOKIE) + txid
    if fingerprint:
        msg += struct.pack("!HHI", 0x8028, 4, (zlib.crc32(msg) ^ 0x5354554E) & 0xFFFFFFFF)
    return msg


def stun_success(txid, host, port, fingerprint):
    """The exact Binding success: XOR-MAPPED-ADDRESS, then FINGERPRINT."""
    if ":" in host:
        raw = socket.inet_pton(socket.AF_INET6, host)
        key = struct.pack("!I", COOKIE) + txid
        xaddr = bytes(a ^ b for a, b in zip(raw, key))
        attr = struct.pack("!HHBBH", 0x0020, 20, 0, 2, port ^ (COOKIE >> 16)) + xaddr
    else:
        raw = struct.unpack("!I", socket.inet_aton(host))[0]
        attr = struct.pack("!HHBBHI", 0x0020, 8, 0, 1, port ^ (COOKIE >> 16), raw ^ COOKIE)
    length = len(attr) + (8 if fingerprint else 0)
    msg = struct.pack("!HHI", 0x0101, length, COOKIE) + txid + attr
    if fingerprint:
        msg += struct.pack("!HHI", 0x8028, 4, (zlib.crc32(msg) ^ 0x5354554E) & 0xFFFFFFFF)
    return msg


def expect_sip(peer, req, expected, what):
    peer.send(req)
    got = normalise(peer.recv_sip())
    check(got == expected, what, "want:\n" + expected + "\ngot:\n" + got)


def each_peer(peer_args):
    """A fresh client per ADDR: (peer, Via transport, line prefix)."""
    for transport, host, port in peer_args:
        p = Peer(transport, host, port)
        yield p, transport.upper(), "%s %s" % (transport, bracket(host))
        p.close()


def case_basic(peer_args):
    for p, T, tag in each_peer(peer_args):
        lh, lp = p.local_host, p.local_port
        # RFC 3581: an empty rport gets the port and received= even when
        # the address is sent-by's.
        expect_sip(p, options(T, "%s:%d" % (bracket(lh), lp), ";rport"),
                   response(200, "OK", "SIP/2.0/%s %s:%d;branch=z9hG4bKserve1;rport=%d;"
                            "received=%s" % (T, bracket(lh), lp, lp, lh)),
                   "%s: OPTIONS, empty rport: rport=%d and received=%s" % (tag, lp, lh))
        # RFC 3261 section 18.2.1: sent-by another address: received= only.
        expect_sip(p, options(T, "192.0.2.1:5060", ""),
                   response(200, "OK", "SIP/2.0/%s 192.0.2.1:5060;branch=z9hG4bKserve1;"
                            "received=%s" % (T, lh)),
                   "%s: OPTIONS from another sent-by: received=%s" % (tag, lh))
        # sent-by is the source, no rport: the Via as sent.
        expect_sip(p, options(T, "%s:%d" % (bracket(lh), lp), ""),
                   response(200, "OK", "SIP/2.0/%s %s:%d;branch=z9hG4bKserve1"
                            % (T, bracket(lh), lp)),
                   "%s: OPTIONS from sent-by itself: Via unchanged" % tag)
        # an rport with a value is left as is
        expect_sip(p, options(T, "pc.example.com", ";rport=1234"),
                   response(200, "OK", "SIP/2.0/%s pc.example.com;branch=z9hG4bKserve1;"
                            "rport=1234;received=%s" % (T, lh)),
                   "%s: OPTIONS with rport=1234: kept, received= for the host name" % tag)
        expect_sip(p, options(T, "192.0.2.1", "", method="INVITE"),
                   response(405, "Method Not Allowed", "SIP/2.0/%s 192.0.2.1;"
                            "branch=z9hG4bKserve1;received=%s" % (T, lh), "INVITE", False),
                   "%s: INVITE gets 405 with Allow" % tag)
        expect_sip(p, options(T, "192.0.2.1", "", method="FROBNICATE"),
                   response(501, "Not Implemented", "SIP/2.0/%s 192.0.2.1;"
                            "branch=z9hG4bKserve1;received=%s" % (T, lh), "FROBNICATE", False),
                   "%s: unknown method FROBNICATE gets 501 with Allow" % tag)
        p.send(options(T, "192.0.2.1", "", method="ACK"))
        check(p.silent(), "%s: ACK gets nothing" % tag)
        # STUN Binding, without and with FINGERPRINT
        for fp in (False, True):
            txid = os.urandom(12)
            p.send(stun_request(txid, fp))
            want = stun_success(txid, lh, lp, fp)
            got = p.recv_exact(len(want))
            check(got == want, "%s: STUN Binding%s: success, XOR-MAPPED-ADDRESS %s:%d" %
                  (tag, " with FINGERPRINT" if fp else "", bracket(lh), lp),
                  "want %s\ngot  %s" % (want.hex(), got.hex()))
        if p.transport == "udp":
            p.send(b"\r\n\r\n")
            check(p.silent(), "%s: CRLFCRLF datagram gets nothing (RFC 5626 3.5.1)" % tag)
        else:
            p.send(b"\r\n\r\n")
            got = p.recv_exact(2)
            check(got == b"\r\n", "%s: CRLFCRLF ping gets a CRLF pong" % tag, repr(got))
            p.send(b"\r\n")
            time.sleep(0.05)
            p.send(b"\r\n")
            got = p.recv_exact(2)
            check(got == b"\r\n", "%s: a ping in two segments gets one pong" % tag, repr(got))
            # two requests in one segment, then one split over three
            a = options(T, "192.0.2.1", "")
            b = options(T, "192.0.2.2", ";rport").replace(b"CSeq: 42", b"CSeq: 43")
            p.send(a + b)
            ra = normalise(p.recv_sip())
            rb = normalise(p.recv_sip())
            wa = response(200, "OK", "SIP/2.0/TCP 192.0.2.1;branch=z9hG4bKserve1;received=%s"
                          % lh)
            wb = response(200, "OK", "SIP/2.0/TCP 192.0.2.2;branch=z9hG4bKserve1;rport=%d;"
                          "received=%s" % (lp, lh)).replace("CSeq: 42", "CSeq: 43")
            check(ra == wa and rb == wb, "%s: two requests in one segment: two answers, in order"
                  % tag, "got:\n" + ra + rb)
            for cut in ((10, 60), (1, len(a) - 1)):
                p.send(a[:cut[0]])
                time.sleep(0.05)
                p.send(a[cut[0]:cut[1]])
                time.sleep(0.05)
                early = p.silent(0.05)
                p.send(a[cut[1]:])
                got = normalise(p.recv_sip())
                check(early and got == wa, "%s: one request over three segments (cut at %d, %d)"
                      % (tag, cut[0], cut[1]), "got:\n" + got)


def case_code(peer_args):
    for p, T, tag in each_peer(peer_args):
        expect_sip(p, options(T, "192.0.2.1", ""),
                   response(503, "Service Unavailable", "SIP/2.0/%s 192.0.2.1;"
                            "branch=z9hG4bKserve1;received=%s" % (T, p.local_host)),
                   "%s: --code 503: OPTIONS gets 503" % tag)


def case_drop(peer_args):
    for p, T, tag in each_peer(peer_args):
        p.send(options(T, "192.0.2.1", ""))
        check(p.silent(0.5), "%s: --drop 1000: OPTIONS unanswered" % tag)
        p.send(stun_request(os.urandom(12), False))
        check(p.silent(0.3), "%s: --drop 1000: STUN unanswered" % tag)
        if p.transport == "tcp":
            p.send(b"\r\n\r\n")
            check(p.silent(0.3), "%s: --drop 1000: CRLF ping unanswered" % tag)


def case_delay(peer_args):
    for p, T, tag in each_peer(peer_args):
        t0 = time.monotonic()
        p.send(options(T, "192.0.2.1", ""))
        got = p.recv_sip(5)
        dt = (time.monotonic() - t0) * 1000
        check(got.startswith(b"SIP/2.0 200 OK\r\n") and 300 <= dt < 3000,
              "%s: --delay 300: OPTIONS answered after %.0f ms" % (tag, dt), repr(got[:40]))
        if p.transport == "tcp":
            t0 = time.monotonic()
            p.send(b"\r\n\r\n")
            got = p.recv_exact(2, 5)
            dt = (time.monotonic() - t0) * 1000
            check(got == b"\r\n" and 300 <= dt < 3000,
                  "%s: --delay 300: pong after %.0f ms" % (tag, dt))


def case_abuse(peer_args):
    for transport, host, port in peer_args:
        if transport != "tcp":
            continue
        tag = "tcp %s" % bracket(host)
        p = Peer(transport, host, port)
        p.send(b"OPTIONS sip:x SIP/2.0\r\nSubject: " + b"a" * 70000)
        check(p.closed_by_server(), "%s: 70000 bytes without a message end: closed" % tag)
        p.close()
        p = Peer(transport, host, port)
        p.send(b"\x80\x81garbage\r\n\r\n")
        check(p.closed_by_server(), "%s: binary garbage: closed" % tag)
        p.close()
        # and the server still answers
        p = Peer(transport, host, port)
        p.send(b"\r\n\r\n")
        check(p.recv_exact(2) == b"\r\n", "%s: still answering after that" % tag)
        p.close()


ST_ALLOW = "OPTIONS, INVITE, ACK, BYE"


def invite(transport, sent_by, timer_lines, method="INVITE", cseq=7, to_tag=""):
    """An INVITE (or BYE, ACK) from sent_by with the given timer header lines."""
    return ("%s sip:serve@example.com SIP/2.0\r\n"
            "Via: SIP/2.0/%s %s;branch=z9hG4bKst%d\r\n"
            "Max-Forwards: 70\r\n"
            "From: <sip:check@example.com>;tag=f1\r\n"
            "To: <sip:serve@example.com>%s\r\n"
            "Call-ID: serve-st-1@example.com\r\n"
            "CSeq: %d %s\r\n"
            "Contact: <sip:check@%s>\r\n"
            "%s"
            "Content-Length: 0\r\n\r\n" % (method, transport, sent_by, cseq, to_tag, cseq,
                                             method, sent_by, timer_lines)).encode()


def st_response(status, reason, via, lines, cseq=7, method="INVITE", contact=None,
                to_tag=None, supported=False):
    """The exact answer of `siphb serve --session-timer` (To tag normalised
    to X unless the request had one)."""
    extras = "Allow: %s\r\n" % ST_ALLOW
    if supported:
        extras += "Accept: application/sdp\r\nSupported: timer\r\n"
    extras += "Server: siphb-serve\r\n"
    if contact:
        extras += "Contact: <%s>\r\n" % contact
    return ("SIP/2.0 %d %s\r\n"
            "Via: %s\r\n"
            "From: <sip:check@example.com>;tag=f1\r\n"
            "To: <sip:serve@example.com>;tag=%s\r\n"
            "Call-ID: serve-st-1@example.com\r\n"
            "CSeq: %d %s\r\n"
            "%s%s"
            "Content-Length: 0\r\n\r\n" % (status, reason, via, to_tag or "X", cseq, method,
                                             extras, lines))


def case_st(peer_args):
    for p, T, tag in each_peer(peer_args):
        lh = p.local_host
        via = "SIP/2.0/%s 192.0.2.1;branch=z9hG4bKst7;received=%s" % (T, lh)
        contact = "sip:siphb@%s:%d%s" % (bracket(p.host), p.port,
                                         ";transport=tcp" if p.transport == "tcp" else "")
        ok200 = lambda lines: st_response(200, "OK", via, lines, contact=contact)
        cases = [
            ("Supported: timer\r\nSession-Expires: 90\r\n",
             st_response(422, "Session Interval Too Small", via, "Min-SE: 1800\r\n"),
             "Session-Expires 90 with Supported: timer: 422 with Min-SE 1800"),
            ("Supported: timer\r\nSession-Expires: 1000\r\nMin-SE: 1000\r\n",
             st_response(422, "Session Interval Too Small", via, "Min-SE: 1800\r\n"),
             "Session-Expires 1000, Min-SE 1000: 422 with our Min-SE 1800"),
            ("Supported: timer\r\nSession-Expires: 1800\r\nMin-SE: 1800\r\n",
             ok200("Supported: timer\r\nSession-Expires: 1800;refresher=uas\r\n"),
             "the retry with 1800: 200, refresher=uas (the default preference), no Require"),
            ("Supported: timer\r\nSession-Expires: 3600;refresher=uac\r\n",
             ok200("Supported: timer\r\nSession-Expires: 1800;refresher=uac\r\n"
                   "Require: timer\r\n"),
             "Session-Expires 3600;refresher=uac: 200 lowered to 1800, refresher=uac, "
             "Require: timer"),
            ("Session-Expires: 90\r\n",
             ok200("Supported: timer\r\nSession-Expires: 1800;refresher=uas\r\n"),
             "Session-Expires 90 without Supported: timer: 200 raised to 1800 "
             "(erratum 1687), refresher=uas"),
            ("Supported: timer\r\n",
             ok200("Supported: timer\r\nSession-Expires: 1800;refresher=uas\r\n"),
             "no Session-Expires: 200 with ours, 1800;refresher=uas"),
            ("Supported: timer\r\nSession-Expires: abc\r\n",
             st_response(400, "Bad Request", via, ""),
             "Session-Expires abc: 400"),
            ("Supported: timer\r\nSession-Expires: 1800;refresher=foo\r\n",
             st_response(400, "Bad Request", via, ""),
             "Session-Expires 1800;refresher=foo: 400"),
            ("Supported: timer\r\nMin-SE: x\r\nSession-Expires: 1800\r\n",
             st_response(400, "Bad Request", via, ""),
             "Min-SE x: 400"),
            ("Supported: timer\r\nSession-Expires: 1800\r\nSession-Expires: 3600\r\n",
             st_response(400, "Bad Request", via, ""),
             "two Session-Expires lines: 400"),
        ]
        for lines, want, what in cases:
            expect_sip(p, invite(T, "192.0.2.1", lines), want, "%s: INVITE, %s" % (tag, what))
        # the dialog's other requests: ACK nothing, BYE 200 (To tag kept)
        p.send(invite(T, "192.0.2.1", "", method="ACK", to_tag=";tag=t9"))
        check(p.silent(), "%s: ACK gets nothing" % tag)
        expect_sip(p, invite(T, "192.0.2.1", "", method="BYE", cseq=8, to_tag=";tag=t9"),
                   st_response(200, "OK", via.replace("st7", "st8"), "", cseq=8, method="BYE",
                               to_tag="t9"),
                   "%s: BYE gets 200" % tag)
        expect_sip(p, options(T, "192.0.2.1", ""),
                   st_response(200, "OK", "SIP/2.0/%s 192.0.2.1;branch=z9hG4bKserve1;"
                               "received=%s" % (T, lh), "", cseq=42, method="OPTIONS",
                               supported=True).replace("serve-st-1", "serve-check-1"),
                   "%s: OPTIONS: Allow with INVITE, Supported: timer" % tag)
        if p.transport == "tcp":
            # framing: the malformed INVITE is cut where its Content-Length
            # says, and the next one is answered too
            bad = invite(T, "192.0.2.1", "Supported: timer\r\nSession-Expires: abc\r\n")
            good = invite(T, "192.0.2.1", "Supported: timer\r\nSession-Expires: 90\r\n")
            p.send(bad + good)
            ra, rb = normalise(p.recv_sip()), normalise(p.recv_sip())
            check(ra == st_response(400, "Bad Request", via, "") and
                  rb == st_response(422, "Session Interval Too Small", via, "Min-SE: 1800\r\n"),
                  "%s: a malformed INVITE and another in one segment: 400, then 422" % tag,
                  "got:\n" + ra + rb)


def main():
    args = sys.argv[1:]
    if len(args) < 4 or (len(args) - 1) % 3:
        print(__doc__, file=sys.stderr)
        return 2
    peers = [tuple(args[i:i + 3]) for i in range(1, len(args), 3)]
    cases = {"basic": case_basic, "code": case_code, "drop": case_drop, "delay": case_delay,
             "abuse": case_abuse, "st": case_st}
    if args[0] not in cases:
        print("serve_check.py: unknown case %s" % args[0], file=sys.stderr)
        return 2
    try:
        cases[args[0]](peers)
    except OSError as e:
        check(False, "%s: socket error: %s" % (args[0], e))
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main())
