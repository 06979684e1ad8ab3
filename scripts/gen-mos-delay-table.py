#!/usr/bin/python3
"""scripts/gen-mos-delay-table.py - the delay impairment table of
lib/policy/mos.c (siphb/mos.h says why a table).

    /usr/bin/python3 scripts/gen-mos-delay-table.py

Computes ITU-T G.107's full delay impairment Id = Idte + Idle + Idd with
every default value (SLR 8, RLR 2, STMR 15, LSTR 18, Ds = Dr = 3, TELR 65,
WEPL 110, qdu 1, Nc -70, Nfor -64, Ps = Pr = 35; T = Ta = d, Tr = 2d,
mT 100, sT 1), relative to its value at d = 0 so that R(0) = 93.2, in
hundredths, every 10 ms over 0-1000 ms, every 100 ms over 1000-5000 ms
and every 1000 ms over 5000-20000 ms. Prints the C arrays and the largest
error of the interpolated table (held beyond 20000 ms) against the formula
at every whole millisecond up to 30000 ms.
The formulas are written out from the E-model's definitions; the same
ones, in C with libm, are the reference of tests/policy/test_mos.c.
"""
import math


def lg(x):
    return math.log10(x)


SLR, RLR, STMR, LSTR, DS, TELR, WEPL = 8.0, 2.0, 15.0, 18.0, 3.0, 65.0, 110.0
NC, NFOR, PS, PR = -70.0, -64.0, 35.0, 35.0
OLR = SLR + RLR
NOS = PS - SLR - DS - 100 + 0.004 * (PS - OLR - DS - 14) ** 2
PRE = PR + 10 * lg(1 + 10 ** ((10 - LSTR) / 10))
NOR = RLR - 121 + PRE + 0.008 * (PRE - 35) ** 2
NFO = NFOR + RLR
NO = 10 * lg(10 ** (NC / 10) + 10 ** (NOS / 10) + 10 ** (NOR / 10) + 10 ** (NFO / 10))
RO = 15 - 1.5 * (SLR + NO)


def idte(t):
    terv = TELR - 40 * lg((1 + t / 10) / (1 + t / 150)) + 6 * math.exp(-0.3 * t * t)
    roe = -1.5 * (NO - RLR)
    re = 80 + 2.5 * (terv - 14)
    return ((roe - re) / 2 + math.sqrt((roe - re) ** 2 / 4 + 100) - 1) * (1 - math.exp(-t))


def idle(tr):
    rle = 10.5 * (WEPL + 7) * (tr + 1) ** -0.25
    return (RO - rle) / 2 + math.sqrt((RO - rle) ** 2 / 4 + 169)


def idd(ta):
    if ta <= 100:
        return 0.0
    x = math.log2(ta / 100)
    return 25 * ((1 + x ** 6) ** (1 / 6) - 3 * (1 + (x / 3) ** 6) ** (1 / 6) + 2)


def id_full(d):
    return idte(d) + idle(2 * d) + idd(d) - (idte(0) + idle(0) + idd(0))


# (first ms, last ms, step): each segment's points, last one included.
SEGMENTS = ((0, 1000, 10), (1000, 5000, 100), (5000, 20000, 1000))
TABLES = [[round(id_full(d) * 100) for d in range(a, b + 1, step)] for a, b, step in SEGMENTS]


def id_table(d):
    for (a, b, step), t in zip(SEGMENTS, TABLES):
        if d < b:
            i, f = divmod(d - a, step)
            return (t[i] + (t[i + 1] - t[i]) * f / step) / 100
    return TABLES[-1][-1] / 100


def c_array(name, values):
    body = ", ".join(str(v) for v in values)
    return "static const int16_t %s[%d] = {%s};" % (name, len(values), body)


if __name__ == "__main__":
    for n, t in enumerate(TABLES):
        print(c_array("id_seg%d" % n, t))
    for lo, hi in ((0, 10), (10, 601), (601, 5000), (5000, 20000), (20000, 30001)):
        e, at = max((abs(id_table(d) - id_full(d)), d) for d in range(lo, hi))
        print("max |error| %.4f R at %d ms (range %d-%d ms)" % (e, at, lo, hi - 1))
