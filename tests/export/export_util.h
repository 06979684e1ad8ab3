/*
 * export_util.h - what the export tests share: the JSON syntax check
 * (json_check.h), the python cross-check of JSON lines, and a probe
 * answered by a real response in simulated time (header-only).
 */
#ifndef SIPHB_TEST_EXPORT_UTIL_H
#define SIPHB_TEST_EXPORT_UTIL_H

#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <siphb/siphb.h>

#include "simclock.h"

#include "json_check.h"

/* ---- python's json module over a file of lines ------------------------------------ */

#define EXPORT_PYTHON "/usr/bin/python3"

/* 1 when python parsed every line of path as a JSON object whose first
 * keys are v, type, t, due, object; 0 when it did not; -1 without python. */
static inline int python_check_lines(const char *path) {
  if (access(EXPORT_PYTHON, X_OK) != 0) return -1;
  char cmd[512];
  snprintf(cmd, sizeof cmd,
           EXPORT_PYTHON " -c 'import json,sys\n"
                         "for l in open(sys.argv[1], encoding=\"utf-8\"):\n"
                         "  o = json.loads(l)\n"
                         "  assert list(o)[:5] == [\"v\",\"type\",\"t\",\"due\",\"object\"], l\n"
                         "  assert o[\"v\"] == 1\n' %s",
           path);
  return system(cmd) == 0;
}

/* ---- a probe's request answered ------------------------------------------------------ */

/* Answers send #k of the sim (an OPTIONS request) with `status` and the
 * reason phrase, from peer, at the sim's now. Returns the ctx's result. */
static inline int answer_request(sim *s, const siphb_peer *peer, size_t k, unsigned status,
                                 const char *phrase) {
  if (k >= s->nsends) return -1;
  const sim_send *req = &s->sends[k];
  siphb_sip_msg m;
  if (siphb_sip_parse(&m, req->data, req->len, NULL, NULL) <= 0) return -1;
  char buf[1024];
  int n = snprintf(buf, sizeof buf,
                   "SIP/2.0 %u %s\r\nVia: %.*s\r\nFrom: %.*s\r\nTo: %.*s;tag=uas1\r\n"
                   "Call-ID: %.*s\r\nCSeq: %u OPTIONS\r\nContent-Length: 0\r\n\r\n",
                   status, phrase, (int)m.via.value.len, m.via.value.ptr, (int)m.from.value.len,
                   m.from.value.ptr, (int)m.to.value.len, m.to.value.ptr, (int)m.call_id.len,
                   m.call_id.ptr, (unsigned)m.cseq);
  if (n <= 0 || (size_t)n >= sizeof buf) return -1;
  siphb_rx_result r;
  return siphb_ctx_receive(s->ctx, peer, (const uint8_t *)buf, (size_t)n, &r, s->now);
}

/* A UDP probe of sip:proxy.example.com at exact times (no jitter). */
static inline int make_probe(sim *s, const siphb_peer *peer, siphb_probe **out) {
  siphb_probe_config cfg;
  siphb_probe_config_init(&cfg, sizeof cfg);
  cfg.request_uri = siphb_str_c("sip:proxy.example.com");
  cfg.via_host = siphb_str_c("192.0.2.5");
  cfg.via_port = 5060;
  cfg.jitter_permille = 0;
  return siphb_probe_new(out, s->ctx, &cfg, peer, NULL, s->now);
}

#endif /* SIPHB_TEST_EXPORT_UTIL_H */
