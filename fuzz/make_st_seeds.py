#!/usr/bin/env python3
# Writes fuzz/corpus/st/ (run from the repository root: /usr/bin/python3
# fuzz/make_st_seeds.py). Each seed is a Session-Expires value, LF, a Min-SE
# value, LF, a SIP message whose bytes 16-20 carry fuzz_st's config (cfg()).
import os, glob
d = 'fuzz/corpus/st'
for f in glob.glob(d + '/*.txt'): os.remove(f)
SE = [0, 90, 100, 600, 1800, 3600, 86400, 2**32-1]
MIN = [90, 90, 120, 600, 1800, 90, 4000, 89]
SEEN = [0, 0, 90, 100, 1800, 3600, 7200, 2**32-1]
ST = [200, 202, 299, 422, 422, 422, 100, 199, 302, 404, 486, 503, 603, 699, 700, 0]
def cfg(se=1800, mn=90, pref_uac=False, anyway=True, seen=0, ref=0, status=200, cut='k'):
    b0 = 0x40 | (MIN.index(mn) << 3) | SE.index(se)
    b1 = 0x60 | (1 if pref_uac else 0) | (4 if anyway else 0)
    b2 = 0x40 | (ref << 3) | SEEN.index(seen)
    b3 = 0x40 | ST.index(status)
    return bytes([b0, b1, b2, b3]).decode() + cut
def hdrs(cseq):
    return ("Via: SIP/2.0/UDP 192.0.2.10:5060;branch=z9hG4bK-st1\r\n"
            "From: <sip:alice@example.net>;tag=a1\r\nTo: <sip:bob@example.com>\r\n"
            "Call-ID: st-1@192.0.2.10\r\nCSeq: %s\r\n" % cseq)
# bytes 16..20 of the message part are the config
def req(c, extra, method="INVITE", cseq=1):
    start = "%s sip:" % method
    start += "b" * (16 - len(start)) + c + "@example.com SIP/2.0\r\n"
    return start + hdrs("%d %s" % (cseq, method)) + extra + "Content-Length: 0\r\n\r\n"
def resp(c, status, extra, cseq=1):
    start = "SIP/2.0 %d " % status
    start += "R" * (16 - len(start)) + c + " Session Timer\r\n"
    return start + hdrs("%d INVITE" % cseq) + extra + "Content-Length: 0\r\n\r\n"
seeds = {
  "invite-offer": ("1800", "90", req(cfg(), "Supported: timer\r\nSession-Expires: 1800\r\n")),
  "invite-offer-prefer-uac": ("1800", "90", req(cfg(pref_uac=True, status=422), "Supported: timer\r\nSession-Expires: 1800\r\n")),
  "invite-compact-uac": ("1800;refresher=uac", "600", req(cfg(mn=600, ref=1), "k: timer\r\nx: 1800;refresher=uac\r\nMin-SE: 600\r\n")),
  "invite-below-90": ("60", "30", req(cfg(status=422), "Supported: timer\r\nSession-Expires: 60\r\nMin-SE: 30\r\n")),
  "invite-below-min": ("900", "90", req(cfg(mn=1800, status=422), "Supported: timer\r\nSession-Expires: 900\r\n")),
  "invite-shorter": ("900;refresher=uac", "90", req(cfg(pref_uac=True), "Supported: timer\r\nSession-Expires: 900\r\n")),
  "invite-no-support": ("900;refresher=uas", "1800", req(cfg(mn=1800, ref=2), "Session-Expires: 900\r\n")),
  "invite-long": ("86400", "4000", req(cfg(se=3600, mn=90, seen=7200), "Supported: 100rel, timer\r\nSession-Expires: 86400;refresher=uas\r\nMin-SE: 4000\r\n")),
  "invite-none": ("", "", req(cfg(se=0, mn=600), "Supported: timer\r\n")),
  "invite-none-no-timer": ("", "", req(cfg(se=0), "Allow: INVITE, UPDATE\r\n")),
  "update-refresh": ("1800;refresher=uac", "1800", req(cfg(seen=1800, ref=1, status=200), "Supported: timer\r\nSession-Expires: 1800;refresher=uac\r\nMin-SE: 1800\r\n", method="UPDATE", cseq=3)),
  "resp-422": ("90", "1800", resp(cfg(se=90), 422, "Min-SE: 1800\r\n")),
  "resp-422-again": ("1800", "1800", resp(cfg(seen=1800), 422, "Min-SE: 1800\r\n", cseq=2)),
  "resp-422-no-min-se": ("1800", "", resp(cfg(), 422, "")),
  "resp-422-low": ("1800", "100", resp(cfg(se=0, mn=600), 422, "Min-SE: 100\r\n")),
  "resp-200-uas": ("1800;refresher=uas", "90", resp(cfg(), 200, "Supported: timer\r\nSession-Expires: 1800;refresher=uas\r\n")),
  "resp-200-uac": ("1800;refresher=uac", "90", resp(cfg(), 200, "Supported: timer\r\nSession-Expires: 1800;refresher=uac\r\nRequire: timer\r\n")),
  "resp-200-none": ("1800", "90", resp(cfg(), 200, "Supported: timer\r\n")),
  "resp-200-none-no-anyway": ("1800", "90", resp(cfg(anyway=False), 200, "Supported: timer\r\n")),
  "resp-200-no-refresher": ("1800", "90", resp(cfg(), 200, "Session-Expires: 1200\r\n")),
  "resp-486": ("1800", "90", resp(cfg(), 486, "Session-Expires: 1800;refresher=uac\r\n")),
  "params": ("1800;foo;refresher=uac;bar=\"a;b\"", "90;lr", req(cfg(), "Supported: timer\r\nSession-Expires: 1800 ; foo ; refresher = UAC ; bar=\"a,b\"\r\nMin-SE: 90;lr\r\n")),
  "errors": ("1800;refresher=bad", "-5", req(cfg(), "Supported: timer\r\nSession-Expires: 1800;refresher=uac;refresher=uas\r\n")),
  "numbers": ("4294967296", "4294967295", req(cfg(se=2**32-1, seen=2**32-1), "Supported: timer\r\nSession-Expires: 4294967295\r\nMin-SE: 4294967295\r\n")),
  "folded": ("1800\r\n ;refresher=uac", "600\r\n\t;x=y", req(cfg(mn=600), "Supported: timer\r\nSession-Expires: 1800\r\n ;refresher=uac\r\nMin-SE:\r\n 600\r\n")),
  "commas": ("1800, 90", "90, 120", req(cfg(), "Supported: timer\r\nSession-Expires: 1800, 900\r\nMin-SE: 600, 900\r\nMin-SE: 1200\r\n")),
  "twice": ("1800;refresher=", "90;", req(cfg(), "Supported: timer\r\nSession-Expires: 1800\r\nx: 900\r\n")),
  "bad-config": ("1800", "90", req(cfg(mn=89), "Supported: timer\r\nSession-Expires: 1800\r\n")),
}
for name, (se, mn, msg) in seeds.items():
    with open(os.path.join(d, name + ".txt"), "wb") as f:
        f.write((se + "\n" + mn + "\n" + msg).encode())
