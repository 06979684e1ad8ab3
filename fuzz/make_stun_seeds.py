#!/usr/bin/python3
"""fuzz/make_stun_seeds.py - writes the seed corpora of the STUN harnesses.

    /usr/bin/python3 fuzz/make_stun_seeds.py

fuzz/corpus/stun_parse/ gets the messages as they are on the wire:
  - the five RFC 5769 / RFC 8489 B.1 vectors (tests/data/stun/*.hex);
  - a coturn-like Binding success response: XOR-MAPPED-ADDRESS,
    MAPPED-ADDRESS, RESPONSE-ORIGIN (0x802b), OTHER-ADDRESS (0x802c),
    SOFTWARE, FINGERPRINT;
  - an error response: ERROR-CODE 420 and UNKNOWN-ATTRIBUTES, FINGERPRINT;
  - a classic RFC 3489 Binding response (no magic cookie, 16-byte id):
    MAPPED-ADDRESS, SOURCE-ADDRESS, CHANGED-ADDRESS;
  - the 28-byte keepalive (Binding request with FINGERPRINT), an IPv6
    XOR-MAPPED-ADDRESS response with ALTERNATE-SERVER, and a request with
    PASSWORD-ALGORITHMS, PASSWORD-ALGORITHM, USERHASH, MI, MI-SHA256 (MD5
    and SHA-256 long-term credentials).
fuzz/corpus/stun_auth/ gets the same messages, and copies followed by the
trailer fuzz_stun_auth.c reads the key from (so that long-term and raw
keys verify too). Every MESSAGE-INTEGRITY(-SHA256) and FINGERPRINT written
here is computed with hashlib/hmac/zlib, and the vectors' own are checked.
"""
import hashlib
import hmac
import os
import struct
import zlib

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
VECTORS = os.path.join(ROOT, "tests", "data", "stun")
COOKIE = 0x2112A442
TXID = bytes.fromhex("b7e7a701bc34d686fa87dfae")


def attr(t, value, pad=b"\0"):
    return struct.pack(">HH", t, len(value)) + value + pad * (-len(value) % 4)


def header(mtype, body_len, txid=TXID, cookie=True):
    head = struct.pack(">HH", mtype, body_len)
    return head + (struct.pack(">I", COOKIE) if cookie else b"") + txid


def addr(family, port, ip, xored=False, txid=TXID):
    if xored:
        port ^= COOKIE >> 16
        mask = struct.pack(">I", COOKIE) + txid
        ip = bytes(b ^ mask[i] for i, b in enumerate(ip))
    return struct.pack(">BBH", 0, family, port) + ip


def message(mtype, attrs, key=None, mi=False, mi256=False, fp=False, txid=TXID):
    """attrs: encoded attributes; appends MI, MI-SHA256, FINGERPRINT."""
    body = b"".join(attrs)
    if mi:
        h = header(mtype, len(body) + 24, txid)
        body += attr(0x0008, hmac.new(key, h + body, hashlib.sha1).digest())
    if mi256:
        h = header(mtype, len(body) + 36, txid)
        body += attr(0x001C, hmac.new(key, h + body, hashlib.sha256).digest())
    if fp:
        h = header(mtype, len(body) + 8, txid)
        crc = (zlib.crc32(h + body) ^ 0x5354554E) & 0xFFFFFFFF
        body += attr(0x8028, struct.pack(">I", crc))
    return header(mtype, len(body), txid) + body


def vectors():
    out = {}
    for name in sorted(os.listdir(VECTORS)):
        if name.endswith(".hex"):
            with open(os.path.join(VECTORS, name)) as f:
                out[name[:-4]] = bytes.fromhex(f.read())
    # The vectors' own FINGERPRINTs, as a check of this script's CRC.
    for name, msg in out.items():
        if msg[-8:-6] == b"\x80\x28":
            crc = (zlib.crc32(msg[:-8]) ^ 0x5354554E) & 0xFFFFFFFF
            assert struct.pack(">I", crc) == msg[-4:], name
    return out


def built():
    ip4 = bytes([192, 0, 2, 1])
    out = {}
    # coturn answers a Binding request with these (RFC 5780 attributes too).
    out["coturn-binding-response"] = message(0x0101, [
        attr(0x0020, addr(1, 32853, ip4, xored=True)),
        attr(0x0001, addr(1, 32853, ip4)),
        attr(0x802B, addr(1, 3478, bytes([203, 0, 113, 5]))),   # RESPONSE-ORIGIN
        attr(0x802C, addr(1, 3479, bytes([203, 0, 113, 6]))),   # OTHER-ADDRESS
        attr(0x8022, b"Coturn-4.6.1 'Gorst'"),
    ], fp=True)
    out["error-420-unknown-attributes"] = message(0x0111, [
        attr(0x0009, bytes([0, 0, 4, 20]) + b"Unknown Attribute"),
        attr(0x000A, struct.pack(">HH", 0x0024, 0x7F01)),
        attr(0x8022, b"siphb seed"),
    ], fp=True)
    classic_id = bytes.fromhex("0badc0de0123456789abcdef55aa55aa")
    body = b"".join([
        attr(0x0001, addr(1, 40000, bytes([198, 51, 100, 7]))),  # MAPPED-ADDRESS
        attr(0x0004, addr(1, 3478, bytes([203, 0, 113, 5]))),    # SOURCE-ADDRESS
        attr(0x0005, addr(1, 3479, bytes([203, 0, 113, 6]))),    # CHANGED-ADDRESS
    ])
    out["classic-rfc3489-response"] = struct.pack(">HH", 0x0101, len(body)) + classic_id + body
    out["keepalive-fingerprint"] = message(0x0001, [], fp=True)
    ip6 = bytes.fromhex("20010db8123456780011223344556677")
    out["ipv6-alternate-server"] = message(0x0101, [
        attr(0x0020, addr(2, 32853, ip6, xored=True)),
        attr(0x8023, addr(2, 3478, ip6)),
        attr(0x8003, b"stun.example.org"),
    ], fp=True)
    user, realm, password = b"user", b"example.org", b"pass"
    lt_sha256 = hashlib.sha256(user + b":" + realm + b":" + password).digest()
    out["request-password-algorithms-sha256"] = message(0x0001, [
        attr(0x001E, hashlib.sha256(user + b":" + realm).digest()),   # USERHASH
        attr(0x0006, user),
        attr(0x0014, realm),
        attr(0x0015, b"obMatJos2AAACf//499k954d6OL34oL9FSTvy64sA"),
        attr(0x8002, struct.pack(">HHHH", 1, 0, 2, 0)),               # PASSWORD-ALGORITHMS
        attr(0x001D, struct.pack(">HH", 2, 0)),                       # PASSWORD-ALGORITHM
    ], key=lt_sha256, mi=True, mi256=True, fp=True)
    return out


def write(dirname, name, data):
    os.makedirs(dirname, exist_ok=True)
    with open(os.path.join(dirname, name), "wb") as f:
        f.write(data)


def main():
    vec = vectors()
    extra = built()
    parse_dir = os.path.join(ROOT, "fuzz", "corpus", "stun_parse")
    auth_dir = os.path.join(ROOT, "fuzz", "corpus", "stun_auth")
    for name, msg in list(vec.items()) + list(extra.items()):
        write(parse_dir, name + ".bin", msg)
        write(auth_dir, name + ".bin", msg)
    # Trailers (fuzz_stun_auth.c): kind byte, then the key material.
    matrix = "マトリックス".encode()
    lt_md5 = hashlib.md5(matrix + b":example.org:TheMatrIX").digest()
    trailers = {
        # long-term MD5, user and realm from the message
        "sample-request-long-term-auth+md5": (vec["sample-request-long-term-auth"],
                                              b"\x01\0\0TheMatrIX"),
        # B.1 has USERHASH, not USERNAME: the user comes with the trailer
        "rfc8489-b1+md5-user": (vec["rfc8489-b1-request-long-term-sha256"],
                                b"\x01" + matrix + b"\0\0TheMatrIX"),
        # the same MD5 key as raw bytes (kind 3), all finish flags (bits 2-4)
        "sample-request-long-term-auth+raw-key": (vec["sample-request-long-term-auth"],
                                                  bytes([0x03 | 7 << 2]) + lt_md5),
        # long-term SHA-256 (kind 2)
        "request-password-algorithms-sha256+sha256": (
            extra["request-password-algorithms-sha256"], b"\x02\0\0pass"),
        # short-term with an explicit password
        "sample-request+short-term": (vec["sample-request"], b"\x00VOkJxbRl1RmTxUk/WvJxBt"),
    }
    for name, (msg, trailer) in trailers.items():
        write(auth_dir, name + ".bin", msg + trailer)


if __name__ == "__main__":
    main()
