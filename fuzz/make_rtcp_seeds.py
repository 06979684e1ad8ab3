#!/usr/bin/python3
"""fuzz/make_rtcp_seeds.py - writes the seed corpus of fuzz_rtcp.c.

    /usr/bin/python3 fuzz/make_rtcp_seeds.py

fuzz/corpus/rtcp/ gets compound RTCP packets as they are on the wire
(RFC 3550 section 6): an SR with two report blocks (one with negative
cumulative loss), an RR, the usual SR + SDES (CNAME) + BYE, an RR with
padding on the last packet, an RR + SDES + XR (RFC 3611, walked over), a
reduced-size lone SDES (RFC 5506), an APP, and an SR whose RC leaves a
profile-specific extension. Each is checked to add up before it is written.
Two malformed ones (version 1, a report count beyond the length) keep the
error paths in the replay.
"""
import os
import struct

ROOT = os.path.dirname(os.path.abspath(__file__))
OUT = os.path.join(ROOT, "corpus", "rtcp")


def packet(pt, count, body, pad=0):
    """One RTCP packet: V=2, P when pad, count (5 bits), PT, length."""
    if pad:
        body += b"\0" * (pad - 1) + bytes([pad])
    assert len(body) % 4 == 0
    first = 0x80 | (0x20 if pad else 0) | count
    return struct.pack(">BBH", first, pt, len(body) // 4) + body


def block(ssrc, fraction, lost, seq, jitter, lsr, dlsr):
    return struct.pack(">IB", ssrc, fraction) + (lost & 0xFFFFFF).to_bytes(3, "big") + \
        struct.pack(">IIII", seq, jitter, lsr, dlsr)


def sr(ssrc, blocks, ntp=0xE8A1B2C380000000, rtp=0x12345, pkts=100, octets=16000, ext=b""):
    info = struct.pack(">IQIII", ssrc, ntp, rtp, pkts, octets)
    return packet(200, len(blocks), info + b"".join(blocks) + ext)


def rr(ssrc, blocks, pad=0):
    return packet(201, len(blocks), struct.pack(">I", ssrc) + b"".join(blocks), pad)


def sdes(ssrc, cname):
    item = bytes([1, len(cname)]) + cname + b"\0"
    item += b"\0" * (-len(item) % 4)
    return packet(202, 1, struct.pack(">I", ssrc) + item)


def bye(ssrc):
    return packet(203, 1, struct.pack(">I", ssrc))


B1 = block(0xAABBCCDD, 64, 5, 0x1F00D, 80, 0xB7052000, 0x54000)
B2 = block(0x01020304, 0, -2, 16, 0, 0, 0)
SEEDS = {
    "sr-two-blocks.bin": sr(0x11223344, [B1, B2]),
    "rr-one-block.bin": rr(0x55667788, [block(0x11223344, 255, -(1 << 23), 0xFFFFFFFF, 480,
                                              0x12345678, 0x10000)]),
    "sr-sdes-bye.bin": sr(0x11223344, [B1]) + sdes(0x11223344, b"alice@example.com") +
    bye(0x11223344),
    "rr-padded-last.bin": sdes(0x9, b"x") + rr(0x9, [B2], pad=4),
    "rr-sdes-xr.bin": rr(0x7, [B1]) + sdes(0x7, b"bob") +
    packet(207, 0, struct.pack(">I", 7) + struct.pack(">BBHI", 4, 0, 2, 0) + b"\0" * 4),
    "sdes-reduced-size.bin": sdes(0x42, b"reduced"),
    "app.bin": packet(204, 3, struct.pack(">I", 0x42) + b"TEST" + b"data"),
    "sr-extension.bin": sr(0x1, [B1], ext=b"EXT!" * 2),
    "empty-rr.bin": rr(0x5, []),
}
# Two malformed ones, for the error paths (not checked to add up).
BAD = {
    "bad-version-1.bin": b"\x41" + rr(0x5, [B2])[1:],
    "bad-report-count.bin": b"\x83" + rr(0x5, [B2])[1:],
}

if __name__ == "__main__":
    os.makedirs(OUT, exist_ok=True)
    for name, data in sorted(SEEDS.items()):
        off = 0
        while off < len(data):  # the lengths add up
            off += (struct.unpack(">H", data[off + 2:off + 4])[0] + 1) * 4
        assert off == len(data), name
        with open(os.path.join(OUT, name), "wb") as f:
            f.write(data)
        print(name, len(data))
    for name, data in sorted(BAD.items()):
        with open(os.path.join(OUT, name), "wb") as f:
            f.write(data)
        print(name, len(data), "(malformed)")
