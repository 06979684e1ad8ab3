/*
 * test_probe.c - the OPTIONS probe in simulated time. Scenarios are tables:
 * a timeline of what the network does (responses, forged ones, a refused
 * send) in, the exact sends (time, attempt) and events (time, outcome,
 * status, transmissions, RTT) out. Responses are built from the request
 * the probe actually sent, as a UAS would (RFC 3261 section 8.2.6).
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include <cmocka.h>
#include <siphb/siphb.h>

#include "failmem.h"
#include "simclock.h"

#define NEVER SIPHB_NEVER

static sim *S;
static siphb_probe *P;
static const siphb_peer UDP_PEER = {7, NULL, SIPHB_TRANSPORT_UDP};
static const siphb_peer TCP_PEER = {8, NULL, SIPHB_TRANSPORT_TCP};

typedef void (*tweak_fn)(siphb_probe_config *cfg);

static void base_config(siphb_probe_config *cfg) {
  siphb_probe_config_init(cfg, sizeof *cfg);
  cfg->request_uri = siphb_str_c("sip:proxy.example.com");
  cfg->via_host = siphb_str_c("192.0.2.5");
  cfg->via_port = 5060;
  cfg->jitter_permille = 0; /* exact times; jitter has its own test */
}

static int setup(void **state) {
  (void)state;
  int rv;
  S = sim_new(NULL, &rv);
  assert_non_null(S);
  P = NULL;
  return 0;
}

static int teardown(void **state) {
  (void)state;
  sim_delete(S);
  return 0;
}

static void new_probe(const siphb_peer *peer, tweak_fn tweak) {
  siphb_probe_config cfg;
  base_config(&cfg);
  if (tweak) tweak(&cfg);
  assert_int_equal(siphb_probe_new(&P, S->ctx, &cfg, peer, NULL, S->now), 0);
}

/* ---- responses --------------------------------------------------------------------- */

/* A field of the response to change, as a forger or a confused proxy would. */
typedef enum forge {
  FORGE_NONE = 0, FORGE_BRANCH, FORGE_CALL_ID, FORGE_CSEQ, FORGE_METHOD, FORGE_HOST, FORGE_PORT
} forge;


/* The response to send #k with `status` and extra header lines. */
static size_t make_response(char *out, size_t cap, size_t k, unsigned status, const char *extra,
                            forge f) {
  assert_true(k < S->nsends);
  const sim_send *req = &S->sends[k];
  siphb_sip_msg m;
  assert_true(siphb_sip_parse(&m, req->data, req->len, NULL, NULL) > 0);
  char via[256];
  snprintf(via, sizeof via, "%.*s", (int)m.via.value.len, m.via.value.ptr);
  char *b = strstr(via, "branch=z9hG4bK");
  if (f == FORGE_BRANCH) b[14] = b[14] == 'f' ? 'e' : 'f';
  if (f == FORGE_HOST) memcpy(strstr(via, "192.0.2.5"), "192.0.2.6", 9);
  if (f == FORGE_PORT) memcpy(strstr(via, ":5060"), ":5061", 5);
  char call_id[64];
  snprintf(call_id, sizeof call_id, "%.*s", (int)m.call_id.len, m.call_id.ptr);
  if (f == FORGE_CALL_ID) call_id[0] = call_id[0] == 'a' ? 'b' : 'a';
  unsigned cseq = m.cseq + (f == FORGE_CSEQ);
  int n = snprintf(out, cap,
                   "SIP/2.0 %u Some Reason\r\nVia: %s\r\nFrom: %.*s\r\nTo: %.*s;tag=uas1\r\n"
                   "Call-ID: %s\r\nCSeq: %u %s\r\n%sContent-Length: 0\r\n\r\n",
                   status, via, (int)m.from.value.len, m.from.value.ptr, (int)m.to.value.len,
                   m.to.value.ptr, call_id, cseq, f == FORGE_METHOD ? "INFO" : "OPTIONS",
                   extra ? extra : "");
  assert_true(n > 0 && (size_t)n < cap);
  return (size_t)n;
}

/* Delivers the response from `peer` now; returns whether it was consumed. */
static bool reply(const siphb_peer *peer, size_t k, unsigned status, const char *extra, forge f) {
  char buf[1024];
  size_t n = make_response(buf, sizeof buf, k, status, extra, f);
  siphb_rx_result r;
  assert_int_equal(siphb_ctx_receive(S->ctx, peer, (const uint8_t *)buf, n, &r, S->now), 0);
  assert_int_equal(r.kind, SIPHB_STREAM_SIP_RESPONSE);
  assert_int_equal(r.length, n);
  if (r.consumed) {
    assert_int_equal(r.object_kind, SIPHB_OBJECT_PROBE);
    assert_ptr_equal(r.object, P);
  }
  return r.consumed;
}

/* ---- scenario tables ------------------------------------------------------------ */

typedef struct step {
  siphb_ms at;
  size_t send;      /* which send (0 = the first) the response answers */
  unsigned status;
  const char *extra;
  forge f;
  bool consumed;    /* expected */
} step;

typedef struct want_send {
  siphb_ms at;
  uint32_t attempt;
} want_send;

typedef struct want_event {
  siphb_ms at;
  siphb_probe_outcome outcome;
  unsigned status;
  uint32_t transmissions;
  siphb_ms rtt;
} want_event;

typedef struct scenario {
  const char *name;
  const siphb_peer *peer;
  tweak_fn tweak;
  const step *steps;
  size_t nsteps;
  siphb_ms until;
  const want_send *sends;
  size_t nsends;
  const want_event *events;
  size_t nevents;
} scenario;

#define N(a) (sizeof(a) / sizeof((a)[0]))

static void run(const scenario *sc) {
  new_probe(sc->peer, sc->tweak);
  assert_int_equal(siphb_probe_start(P, 0), 0);
  for (size_t i = 0; i < sc->nsteps; i++) {
    const step *st = &sc->steps[i];
    assert_int_equal(sim_run_until(S, st->at), 0);
    if (reply(sc->peer, st->send, st->status, st->extra, st->f) != st->consumed)
      fail_msg("%s: step %zu (at %llu): consumed should be %d", sc->name, i,
               (unsigned long long)st->at, st->consumed);
  }
  assert_int_equal(sim_run_until(S, sc->until), 0);
  if (S->nsends != sc->nsends) fail_msg("%s: %zu sends, want %zu", sc->name, S->nsends, sc->nsends);
  for (size_t i = 0; i < sc->nsends; i++) {
    const sim_send *got = &S->sends[i];
    if (got->at != sc->sends[i].at || got->info.attempt != sc->sends[i].attempt)
      fail_msg("%s: send %zu at %llu attempt %u, want at %llu attempt %u", sc->name, i,
               (unsigned long long)got->at, got->info.attempt,
               (unsigned long long)sc->sends[i].at, sc->sends[i].attempt);
    assert_int_equal(got->info.payload, SIPHB_PAYLOAD_SIP_REQUEST);
    assert_int_equal(got->info.object_kind, SIPHB_OBJECT_PROBE);
    assert_ptr_equal(got->info.object, P);
  }
  if (S->nrecords != sc->nevents)
    fail_msg("%s: %zu events, want %zu", sc->name, S->nrecords, sc->nevents);
  for (size_t i = 0; i < sc->nevents; i++) {
    const sim_record *r = &S->records[i];
    const want_event *w = &sc->events[i];
    const siphb_event_probe *e = &r->event.u.probe;
    if (r->at != w->at || r->event.type != SIPHB_EVENT_PROBE_RESULT || e->outcome != w->outcome ||
        e->status != w->status || e->transmissions != w->transmissions || e->rtt != w->rtt)
      fail_msg("%s: event %zu: at %llu outcome %d status %u tx %u rtt %llu; want at %llu "
               "outcome %d status %u tx %u rtt %llu",
               sc->name, i, (unsigned long long)r->at, (int)e->outcome, e->status,
               e->transmissions, (unsigned long long)e->rtt, (unsigned long long)w->at,
               (int)w->outcome, w->status, w->transmissions, (unsigned long long)w->rtt);
    assert_ptr_equal(r->event.object, P);
    assert_int_equal(r->event.object_kind, SIPHB_OBJECT_PROBE);
  }
}

/* UDP without an answer: Timer E doubles from T1 to T2 (RFC 3261 section
 * 17.1.2.2): sends at 0, 0.5, 1.5, 3.5, 7.5, 11.5 ... 31.5 s; Timer F ends
 * the round at exactly 64*T1 = 32 s; the next round follows retry_interval
 * (5 s) later. */
static const want_send udp_silence_sends[] = {
    {0, 0},      {500, 1},    {1500, 2},   {3500, 3},   {7500, 4},    {11500, 5},
    {15500, 6},  {19500, 7},  {23500, 8},  {27500, 9},  {31500, 10},  {37000, 0}};
static const want_event udp_silence_events[] = {{32000, SIPHB_PROBE_TIMEOUT, 0, 11, NEVER}};

/* TCP: one send, no retransmission, the same Timer F. */
static const want_send tcp_silence_sends[] = {{0, 0}, {37000, 0}};
static const want_event tcp_silence_events[] = {{32000, SIPHB_PROBE_TIMEOUT, 0, 1, NEVER}};

/* A 200 after 120 ms; its retransmission while Timer K (T4 = 5 s) runs is
 * consumed without an event; after K it is not ours any more. The next
 * round starts 30 s after this one started. */
static const step udp_alive_steps[] = {
    {120, 0, 200, NULL, FORGE_NONE, true},
    {2000, 0, 200, NULL, FORGE_NONE, true},
    {5200, 0, 200, NULL, FORGE_NONE, false}};
static const want_send udp_alive_sends[] = {{0, 0}, {30000, 0}};
static const want_event udp_alive_events[] = {{120, SIPHB_PROBE_ALIVE, 200, 1, 120}};

/* A lost response, then the late one: round 1 times out at 32 s; its 200
 * arrives at 33 s and again during round 2: neither is consumed, and round 2
 * is not ended by it; round 2's own 200 is. */
static const step late_steps[] = {
    {33000, 0, 200, NULL, FORGE_NONE, false},
    {37100, 0, 200, NULL, FORGE_NONE, false},
    {37200, 11, 200, NULL, FORGE_NONE, true}};
static const want_send late_sends[] = {
    {0, 0},     {500, 1},    {1500, 2},   {3500, 3},   {7500, 4},   {11500, 5},
    {15500, 6}, {19500, 7},  {23500, 8},  {27500, 9},  {31500, 10}, {37000, 0}};
static const want_event late_events[] = {{32000, SIPHB_PROBE_TIMEOUT, 0, 11, NEVER},
                                         {37200, SIPHB_PROBE_ALIVE, 200, 1, 200}};

/* A 100 Trying at 200 ms: Proceeding, so after the retransmission already
 * due at 0.5 s, Timer E is T2 (4 s): 4.5 s, 8.5 s; the 200 at 9 s ends the
 * round after four transmissions. */
static const step provisional_steps[] = {{200, 0, 100, NULL, FORGE_NONE, true},
                                         {9000, 0, 200, NULL, FORGE_NONE, true}};
static const want_send provisional_sends[] = {{0, 0}, {500, 1}, {4500, 2}, {8500, 3}};
static const want_event provisional_events[] = {{9000, SIPHB_PROBE_ALIVE, 200, 4, 9000}};

/* A 503 with Retry-After: 120 at 100 ms: rejected (a default fail code),
 * and the next round waits for Retry-After (120.1 s), not retry_interval. */
static const step retry_after_steps[] = {
    {100, 0, 503, "Retry-After: 120\r\n", FORGE_NONE, true}};
static const want_send retry_after_sends[] = {{0, 0}, {120100, 0}};
static const want_event retry_after_events[] = {{100, SIPHB_PROBE_REJECTED, 503, 1, 100}};

/* Responses that differ from the round in branch, Call-ID, CSeq number,
 * CSeq method or the sent-by the probe wrote are not consumed and end
 * nothing; the genuine one then does. */
static const step forged_steps[] = {
    {100, 0, 200, NULL, FORGE_BRANCH, false},  {100, 0, 200, NULL, FORGE_CALL_ID, false},
    {100, 0, 200, NULL, FORGE_CSEQ, false},    {100, 0, 200, NULL, FORGE_METHOD, false},
    {100, 0, 200, NULL, FORGE_HOST, false},    {100, 0, 200, NULL, FORGE_PORT, false},
    {150, 0, 200, NULL, FORGE_NONE, true}};
static const want_send forged_sends[] = {{0, 0}, {30000, 0}};
static const want_event forged_events[] = {{150, SIPHB_PROBE_ALIVE, 200, 1, 150}};

/* TCP: a 100 changes nothing (no Timer E), the 200 ends the round. */
static const step tcp_steps[] = {{50, 0, 100, NULL, FORGE_NONE, true},
                                 {300, 0, 200, NULL, FORGE_NONE, true},
                                 {400, 0, 200, NULL, FORGE_NONE, false}};
static const want_send tcp_sends[] = {{0, 0}, {30000, 0}};
static const want_event tcp_events[] = {{300, SIPHB_PROBE_ALIVE, 200, 1, 300}};

/* A 408 from a proxy (the hop behind it did not answer) is a failure; a
 * 486 is an answer (alive). */
static const step codes_steps[] = {{100, 0, 408, NULL, FORGE_NONE, true},
                                   {5200, 1, 486, NULL, FORGE_NONE, true}};
static const want_send codes_sends[] = {{0, 0}, {5100, 0}, {35100, 0}};
static const want_event codes_events[] = {{100, SIPHB_PROBE_REJECTED, 408, 1, 100},
                                          {5200, SIPHB_PROBE_ALIVE, 486, 1, 100}};

static void tweak_no_linger(siphb_probe_config *c) { c->t4 = 0; }

static const scenario scenarios[] = {
    {"udp silence", &UDP_PEER, NULL, NULL, 0, 37000, udp_silence_sends, N(udp_silence_sends),
     udp_silence_events, N(udp_silence_events)},
    {"tcp silence", &TCP_PEER, NULL, NULL, 0, 37000, tcp_silence_sends, N(tcp_silence_sends),
     tcp_silence_events, N(tcp_silence_events)},
    {"udp alive", &UDP_PEER, NULL, udp_alive_steps, N(udp_alive_steps), 30000, udp_alive_sends,
     N(udp_alive_sends), udp_alive_events, N(udp_alive_events)},
    {"late response", &UDP_PEER, NULL, late_steps, N(late_steps), 37300, late_sends,
     N(late_sends), late_events, N(late_events)},
    {"provisional", &UDP_PEER, NULL, provisional_steps, N(provisional_steps), 9100,
     provisional_sends, N(provisional_sends), provisional_events, N(provisional_events)},
    {"retry-after", &UDP_PEER, NULL, retry_after_steps, N(retry_after_steps), 120100,
     retry_after_sends, N(retry_after_sends), retry_after_events, N(retry_after_events)},
    {"forged", &UDP_PEER, NULL, forged_steps, N(forged_steps), 30000, forged_sends,
     N(forged_sends), forged_events, N(forged_events)},
    {"tcp", &TCP_PEER, NULL, tcp_steps, N(tcp_steps), 30000, tcp_sends, N(tcp_sends), tcp_events,
     N(tcp_events)},
    {"codes", &UDP_PEER, tweak_no_linger, codes_steps, N(codes_steps), 35100, codes_sends,
     N(codes_sends), codes_events, N(codes_events)},
};

static void test_scenarios(void **state) {
  for (size_t i = 0; i < N(scenarios); i++) {
    setup(state);
    run(&scenarios[i]);
    siphb_probe_del(P);
    teardown(state);
  }
}

/* ---- the request ------------------------------------------------------------------ */

/* The simulated random source gives byte i of call n the value
 * i*37 + n*11 + 1: call 0 seeds the ctx's jitter generator, call 1 keys the
 * branch map, call 2 draws the Call-ID, the From tag and the CSeq before
 * the first (1275680399, from its bytes 24-27), call 3 the first branch. */
static void test_request_bytes(void **state) {
  (void)state;
  new_probe(&UDP_PEER, NULL);
  assert_int_equal(siphb_probe_start(P, 0), 0);
  assert_int_equal(sim_run_until(S, 0), 0);
  assert_int_equal(S->nsends, 1);
  static const char want[] =
      "OPTIONS sip:proxy.example.com SIP/2.0\r\n"
      "Via: SIP/2.0/UDP 192.0.2.5:5060;branch=z9hG4bK22476c91b6db0025;rport\r\n"
      "Max-Forwards: 70\r\n"
      "To: <sip:proxy.example.com>\r\n"
      "From: <sip:siphb@invalid>;tag=678cb1d6fb20456a\r\n"
      "Call-ID: 173c6186abd0f51a3f6489aed3f81d42\r\n"
      "CSeq: 1275680400 OPTIONS\r\n"
      "Accept: application/sdp\r\n"
      "Content-Length: 0\r\n\r\n";
  if (S->sends[0].len != sizeof want - 1 || memcmp(S->sends[0].data, want, sizeof want - 1))
    fail_msg("request:\n%.*s", (int)S->sends[0].len, (const char *)S->sends[0].data);
  assert_int_equal(S->sends[0].info.ref, 1275680400);
  /* the next round: CSeq + 1, a new branch, the same Call-ID and tag */
  assert_true(reply(&UDP_PEER, 0, 200, NULL, FORGE_NONE));
  assert_int_equal(sim_run_until(S, 30000), 0);
  assert_int_equal(S->nsends, 2);
  siphb_sip_msg a, b;
  assert_true(siphb_sip_parse(&a, S->sends[0].data, S->sends[0].len, NULL, NULL) > 0);
  assert_true(siphb_sip_parse(&b, S->sends[1].data, S->sends[1].len, NULL, NULL) > 0);
  assert_int_equal(b.cseq, a.cseq + 1);
  assert_true(b.call_id.len == a.call_id.len &&
              memcmp(b.call_id.ptr, a.call_id.ptr, a.call_id.len) == 0);
  assert_true(b.from.tag.len == a.from.tag.len &&
              memcmp(b.from.tag.ptr, a.from.tag.ptr, a.from.tag.len) == 0);
  assert_int_equal(b.via.branch.len, a.via.branch.len);
  assert_true(memcmp(b.via.branch.ptr, a.via.branch.ptr, a.via.branch.len) != 0);
  siphb_probe_del(P);
}

static void tweak_tls_everything(siphb_probe_config *c) {
  c->from_uri = siphb_str_c("sip:monitor@example.net");
  c->to_uri = siphb_str_c("sip:pbx@example.com");
  c->contact_uri = siphb_str_c("sip:monitor@192.0.2.5:5061;transport=tls");
  c->user_agent = siphb_str_c("siphb-test/1");
  c->via_host = siphb_str_c("2001:db8::5");
  c->via_port = 5061;
  c->rport = false;
  c->accept_sdp = false;
  c->max_forwards = 10;
}

static void test_request_options_and_ipv6(void **state) {
  (void)state;
  const siphb_peer tls = {9, NULL, SIPHB_TRANSPORT_TLS};
  new_probe(&tls, tweak_tls_everything);
  assert_int_equal(siphb_probe_start(P, 0), 0);
  assert_int_equal(sim_run_until(S, 0), 0);
  static const char want[] =
      "OPTIONS sip:proxy.example.com SIP/2.0\r\n"
      "Via: SIP/2.0/TLS [2001:db8::5]:5061;branch=z9hG4bK22476c91b6db0025\r\n"
      "Max-Forwards: 10\r\n"
      "To: <sip:pbx@example.com>\r\n"
      "From: <sip:monitor@example.net>;tag=678cb1d6fb20456a\r\n"
      "Call-ID: 173c6186abd0f51a3f6489aed3f81d42\r\n"
      "CSeq: 1275680400 OPTIONS\r\n"
      "Contact: <sip:monitor@192.0.2.5:5061;transport=tls>\r\n"
      "User-Agent: siphb-test/1\r\n"
      "Content-Length: 0\r\n\r\n";
  if (S->sends[0].len != sizeof want - 1 || memcmp(S->sends[0].data, want, sizeof want - 1))
    fail_msg("request:\n%.*s", (int)S->sends[0].len, (const char *)S->sends[0].data);
  /* the IPv6 sent-by matches a response that carries it in brackets */
  assert_true(reply(&tls, 0, 200, NULL, FORGE_NONE));
  siphb_probe_del(P);
}

/* ---- configuration ---------------------------------------------------------------- */

static void test_config_defaults(void **state) {
  (void)state;
  siphb_probe_config c;
  siphb_probe_config_init(&c, sizeof c);
  assert_int_equal(c.size, sizeof c);
  assert_int_equal(c.interval, 30000);
  assert_int_equal(c.jitter_permille, 200);
  assert_int_equal(c.retry_interval, 5000);
  assert_int_equal(c.t1, 500);
  assert_int_equal(c.t2, 4000);
  assert_int_equal(c.t4, 5000);
  assert_int_equal(c.timeout, 0);
  assert_int_equal(c.alive_classes, 0x7C);
  assert_int_equal(c.fail_codes[0], 408);
  assert_int_equal(c.fail_codes[1], 503);
  assert_int_equal(c.fail_codes[2], 0);
  assert_true(c.honour_retry_after && c.rport && c.accept_sdp);
  assert_int_equal(c.max_forwards, 70);
  assert_true(c.from_uri.len == 17 && memcmp(c.from_uri.ptr, "sip:siphb@invalid", 17) == 0);
}

typedef struct bad_case {
  const char *what;
  void (*apply)(siphb_probe_config *c);
  int code;
} bad_case;

static void no_uri(siphb_probe_config *c) { c->request_uri = (siphb_str){NULL, 0}; }
static void no_host(siphb_probe_config *c) { c->via_host = (siphb_str){NULL, 0}; }
static void zero_interval(siphb_probe_config *c) { c->interval = 0; }
static void huge_interval(siphb_probe_config *c) { c->interval = (siphb_ms)UINT32_MAX + 1; }
static void zero_retry(siphb_probe_config *c) { c->retry_interval = 0; }
static void jitter_over(siphb_probe_config *c) { c->jitter_permille = 1001; }
static void zero_t1(siphb_probe_config *c) { c->t1 = 0; }
static void t2_below_t1(siphb_probe_config *c) { c->t2 = 400; }
static void timeout_below_t1(siphb_probe_config *c) { c->timeout = 499; }
static void no_classes(siphb_probe_config *c) { c->alive_classes = 0; }
static void class_1xx(siphb_probe_config *c) { c->alive_classes = 0x7E; }
static void bad_fail_code(siphb_probe_config *c) { c->fail_codes[2] = 150; }
static void fail_code_700(siphb_probe_config *c) { c->fail_codes[0] = 700; }
static void max_fwd(siphb_probe_config *c) { c->max_forwards = 256; }
static void crlf_uri(siphb_probe_config *c) { c->request_uri = siphb_str_c("sip:a\r\nX: y"); }
static void nul_agent(siphb_probe_config *c) { c->user_agent = (siphb_str){"a\0b", 3}; }
static void port_in_host(siphb_probe_config *c) { c->via_host = siphb_str_c("192.0.2.5:5060"); }
static void null_ptr(siphb_probe_config *c) { c->from_uri = (siphb_str){NULL, 4}; }
static char long_agent[1400];
static void too_big_udp(siphb_probe_config *c) {
  memset(long_agent, 'a', sizeof long_agent);
  c->user_agent = (siphb_str){long_agent, sizeof long_agent};
}
static void not_inited(siphb_probe_config *c) { c->size = 0; }

static const bad_case bad_cases[] = {
    {"no request_uri", no_uri, SIPHB_ERR_INVALID_ARGUMENT},
    {"no via_host", no_host, SIPHB_ERR_INVALID_ARGUMENT},
    {"interval 0", zero_interval, SIPHB_ERR_INVALID_ARGUMENT},
    {"interval 2^32", huge_interval, SIPHB_ERR_INVALID_ARGUMENT},
    {"retry_interval 0", zero_retry, SIPHB_ERR_INVALID_ARGUMENT},
    {"jitter 1001", jitter_over, SIPHB_ERR_INVALID_ARGUMENT},
    {"t1 0", zero_t1, SIPHB_ERR_INVALID_ARGUMENT},
    {"t2 < t1", t2_below_t1, SIPHB_ERR_INVALID_ARGUMENT},
    {"timeout < t1", timeout_below_t1, SIPHB_ERR_INVALID_ARGUMENT},
    {"no alive class", no_classes, SIPHB_ERR_INVALID_ARGUMENT},
    {"1xx alive", class_1xx, SIPHB_ERR_INVALID_ARGUMENT},
    {"fail code 150", bad_fail_code, SIPHB_ERR_INVALID_ARGUMENT},
    {"fail code 700", fail_code_700, SIPHB_ERR_INVALID_ARGUMENT},
    {"max_forwards 256", max_fwd, SIPHB_ERR_INVALID_ARGUMENT},
    {"CRLF in request_uri", crlf_uri, SIPHB_ERR_INVALID_ARGUMENT},
    {"NUL in user_agent", nul_agent, SIPHB_ERR_INVALID_ARGUMENT},
    {"port in via_host", port_in_host, SIPHB_ERR_INVALID_ARGUMENT},
    {"NULL text with a length", null_ptr, SIPHB_ERR_INVALID_ARGUMENT},
    {"over 1300 bytes on UDP", too_big_udp, SIPHB_ERR_INVALID_ARGUMENT},
    {"never initialised", not_inited, SIPHB_ERR_INVALID_ARGUMENT},
};

static void test_config_refused(void **state) {
  (void)state;
  size_t used = siphb_ctx_mem_used(S->ctx);
  for (size_t i = 0; i < N(bad_cases); i++) {
    siphb_probe_config c;
    base_config(&c);
    bad_cases[i].apply(&c);
    siphb_probe *p = (siphb_probe *)(uintptr_t)1;
    int rv = siphb_probe_new(&p, S->ctx, &c, &UDP_PEER, NULL, 0);
    if (rv != bad_cases[i].code) fail_msg("%s: %s", bad_cases[i].what, siphb_errname(rv));
    assert_ptr_equal(p, (siphb_probe *)(uintptr_t)1); /* *out untouched */
  }
  /* DTLS has no Via token; an unknown transport is no transport */
  siphb_probe_config c;
  base_config(&c);
  const siphb_peer dtls = {1, NULL, SIPHB_TRANSPORT_DTLS};
  const siphb_peer bogus = {1, NULL, (siphb_transport)9};
  assert_int_equal(siphb_probe_new(&P, S->ctx, &c, &dtls, NULL, 0), SIPHB_ERR_UNSUPPORTED);
  assert_int_equal(siphb_probe_new(&P, S->ctx, &c, &bogus, NULL, 0), SIPHB_ERR_INVALID_ARGUMENT);
  assert_int_equal(siphb_probe_new(&P, S->ctx, NULL, &UDP_PEER, NULL, 0),
                   SIPHB_ERR_INVALID_ARGUMENT);
  assert_int_equal(siphb_probe_new(&P, S->ctx, &c, NULL, NULL, 0), SIPHB_ERR_INVALID_ARGUMENT);
  assert_int_equal(siphb_probe_new(NULL, S->ctx, &c, &UDP_PEER, NULL, 0),
                   SIPHB_ERR_INVALID_ARGUMENT);
  /* the 1400-byte User-Agent is fine on TCP */
  too_big_udp(&c);
  assert_int_equal(siphb_probe_new(&P, S->ctx, &c, &TCP_PEER, NULL, 0), 0);
  /* ... and moving that probe to UDP is refused, the probe unchanged */
  assert_int_equal(siphb_probe_set_peer(P, &UDP_PEER, 0), SIPHB_ERR_UNSUPPORTED);
  assert_int_equal(siphb_probe_get_peer(P)->transport, SIPHB_TRANSPORT_TCP);
  siphb_probe_del(P);
  /* refusals leave no memory behind (the module's map stays, reserved once) */
  assert_true(siphb_ctx_mem_used(S->ctx) >= used);
}

/* ---- the object's life --------------------------------------------------------- */

static int fail_first_send(sim *s, const sim_send *snd) {
  (void)s;
  return snd->at == 0 ? SIPHB_ERR_SEND : 0;
}

/* A refused first send ends the round at once; a refused retransmission is
 * a loss and the round goes on. */
static void test_send_failures(void **state) {
  (void)state;
  S->send_hook = fail_first_send;
  new_probe(&UDP_PEER, NULL);
  assert_int_equal(siphb_probe_start(P, 0), 0);
  assert_int_equal(sim_run_until(S, 5000), 0);
  assert_int_equal(S->nrecords, 1);
  assert_int_equal(S->records[0].at, 0);
  assert_int_equal(S->records[0].event.u.probe.outcome, SIPHB_PROBE_SEND_FAILED);
  assert_int_equal(S->records[0].event.u.probe.transmissions, 1);
  assert_int_equal(S->nsends, 2); /* the next round at 5 s */
  assert_int_equal(S->sends[1].at, 5000);
  siphb_probe_stats st;
  assert_int_equal(siphb_probe_get_stats(P, &st), 0);
  assert_int_equal(st.send_failures, 1);
  assert_int_equal(st.consecutive_failures, 1);
  siphb_probe_del(P);
}

static int refuse_retransmissions(sim *s, const sim_send *snd) {
  (void)s;
  return snd->info.attempt > 0 ? SIPHB_ERR_SEND : 0;
}

static void test_retransmission_failures(void **state) {
  (void)state;
  S->send_hook = refuse_retransmissions;
  new_probe(&UDP_PEER, NULL);
  assert_int_equal(siphb_probe_start(P, 0), 0);
  assert_int_equal(sim_run_until(S, 32000), 0);
  assert_int_equal(S->nrecords, 1);
  assert_int_equal(S->records[0].event.u.probe.outcome, SIPHB_PROBE_TIMEOUT);
  siphb_probe_stats st;
  assert_int_equal(siphb_probe_get_stats(P, &st), 0);
  assert_int_equal(st.retransmit_failures, 10);
  assert_int_equal(st.transmissions, 11);
  siphb_probe_del(P);
}

static int delete_on_event(sim *s, const siphb_event *ev) {
  (void)s;
  siphb_probe_del((siphb_probe *)ev->object);
  return 0;
}

/* Deleting the probe from its own event: nothing more is sent or matched. */
static void test_delete_from_event(void **state) {
  (void)state;
  S->hook = delete_on_event;
  new_probe(&UDP_PEER, NULL);
  assert_int_equal(siphb_probe_start(P, 0), 0);
  assert_int_equal(sim_run_until(S, 0), 0);
  size_t events = S->nrecords;
  char buf[1024];
  size_t n = make_response(buf, sizeof buf, 0, 200, NULL, FORGE_NONE);
  siphb_rx_result r;
  assert_int_equal(siphb_ctx_receive(S->ctx, &UDP_PEER, (const uint8_t *)buf, n, &r, 10), 0);
  assert_true(r.consumed);
  assert_int_equal(S->nrecords, events + 1);
  /* deleted in the callback: the retransmitted 200 is no one's, no round follows */
  assert_int_equal(siphb_ctx_receive(S->ctx, &UDP_PEER, (const uint8_t *)buf, n, &r, 20), 0);
  assert_false(r.consumed);
  assert_int_equal(sim_run_until(S, 100000), 0);
  assert_int_equal(S->nsends, 1);
  assert_int_equal(siphb_ctx_next_deadline(S->ctx), NEVER);
}

static int stop_in_send(sim *s, const sim_send *snd) {
  (void)s;
  siphb_probe_stop((siphb_probe *)snd->info.object, snd->at);
  return 0;
}

/* Stopped from inside its send: no timer left, no event, no match. */
static void test_stop_from_send(void **state) {
  (void)state;
  S->send_hook = stop_in_send;
  new_probe(&UDP_PEER, NULL);
  assert_int_equal(siphb_probe_start(P, 0), 0);
  assert_int_equal(sim_run_until(S, 60000), 0);
  assert_int_equal(S->nsends, 1);
  assert_int_equal(S->nrecords, 0);
  assert_false(siphb_probe_running(P));
  assert_false(reply(&UDP_PEER, 0, 200, NULL, FORGE_NONE));
  assert_int_equal(siphb_ctx_next_deadline(S->ctx), NEVER);
  siphb_probe_del(P);
}

static void test_start_stop_trigger(void **state) {
  (void)state;
  new_probe(&UDP_PEER, NULL);
  assert_false(siphb_probe_running(P));
  assert_int_equal(siphb_ctx_next_deadline(S->ctx), NEVER); /* nothing before start */
  assert_int_equal(siphb_probe_trigger(P, 0), SIPHB_ERR_INVALID_STATE);
  assert_int_equal(siphb_probe_start(P, 0), 0);
  assert_int_equal(siphb_probe_start(P, 0), 0); /* no second first round */
  assert_int_equal(sim_run_until(S, 0), 0);
  assert_int_equal(S->nsends, 1);
  assert_int_equal(siphb_probe_trigger(P, 0), SIPHB_ERR_INVALID_STATE); /* in flight */
  assert_true(reply(&UDP_PEER, 0, 200, NULL, FORGE_NONE));
  S->now = 1000;
  assert_int_equal(siphb_probe_trigger(P, 1000), 0);
  assert_int_equal(sim_run_until(S, 1000), 0);
  assert_int_equal(S->nsends, 2);
  assert_int_equal(S->sends[1].at, 1000);
  assert_int_equal(siphb_probe_stop(P, 1000), 0);
  assert_int_equal(siphb_probe_stop(P, 1000), 0);
  assert_int_equal(siphb_ctx_next_deadline(S->ctx), NEVER);
  assert_int_equal(S->nrecords, 1); /* the stopped round reported nothing */
  assert_int_equal(siphb_probe_start(NULL, 0), SIPHB_ERR_INVALID_ARGUMENT);
  assert_int_equal(siphb_probe_stop(NULL, 0), SIPHB_ERR_INVALID_ARGUMENT);
  assert_int_equal(siphb_probe_get_stats(P, NULL), SIPHB_ERR_INVALID_ARGUMENT);
  siphb_probe_del(P);
  siphb_probe_del(NULL);
}

/* Moving to another peer abandons the round in flight without an event
 * and starts one on the new peer, with the new transport in Via. */
static void test_set_peer(void **state) {
  (void)state;
  new_probe(&UDP_PEER, NULL);
  assert_int_equal(siphb_probe_start(P, 0), 0);
  assert_int_equal(sim_run_until(S, 0), 0);
  S->now = 100;
  assert_int_equal(siphb_probe_set_peer(P, &TCP_PEER, 100), 0);
  assert_false(reply(&UDP_PEER, 0, 200, NULL, FORGE_NONE)); /* the old round is gone */
  assert_int_equal(sim_run_until(S, 100), 0);
  assert_int_equal(S->nsends, 2);
  assert_int_equal(S->sends[1].info.peer.id, TCP_PEER.id);
  siphb_sip_msg m;
  assert_true(siphb_sip_parse(&m, S->sends[1].data, S->sends[1].len, NULL, NULL) > 0);
  assert_true(m.via.transport.len == 3 && memcmp(m.via.transport.ptr, "TCP", 3) == 0);
  assert_true(reply(&TCP_PEER, 1, 200, NULL, FORGE_NONE));
  assert_int_equal(S->nrecords, 1);
  assert_int_equal(S->records[0].event.u.probe.peer.id, TCP_PEER.id);
  siphb_probe_del(P);
}

/* A transport error for the peer ends its round in flight as
 * TRANSPORT_ERROR at once (RFC 3261 section 8.1.3.1); a probe on another
 * peer and a probe between rounds are not touched. */
static void test_peer_event(void **state) {
  (void)state;
  new_probe(&UDP_PEER, NULL);
  siphb_probe *first = P;
  siphb_probe_config c;
  base_config(&c);
  siphb_probe *other;
  assert_int_equal(siphb_probe_new(&other, S->ctx, &c, &TCP_PEER, NULL, 0), 0);
  assert_int_equal(siphb_probe_start(first, 0), 0);
  assert_int_equal(siphb_probe_start(other, 0), 0);
  assert_int_equal(sim_run_until(S, 700), 0);
  assert_int_equal(S->nsends, 3); /* UDP at 0 and 0.5 s, TCP at 0 */
  assert_int_equal(siphb_ctx_peer_event(S->ctx, &UDP_PEER, SIPHB_PEER_UNREACHABLE, 700), 0);
  assert_int_equal(S->nrecords, 1);
  assert_ptr_equal(S->records[0].event.object, first);
  assert_int_equal(S->records[0].event.u.probe.outcome, SIPHB_PROBE_TRANSPORT_ERROR);
  assert_int_equal(S->records[0].event.u.probe.transmissions, 2);
  /* nothing waits on the UDP peer now: a second event changes nothing */
  assert_int_equal(siphb_ctx_peer_event(S->ctx, &UDP_PEER, SIPHB_PEER_CLOSED, 800), 0);
  assert_int_equal(S->nrecords, 1);
  /* the next UDP round follows retry_interval after the error */
  assert_int_equal(sim_run_until(S, 5700), 0);
  assert_int_equal(S->sends[S->nsends - 1].at, 5700);
  siphb_probe_stats st;
  assert_int_equal(siphb_probe_get_stats(first, &st), 0);
  assert_int_equal(st.transport_errors, 1);
  /* the TCP probe's round is still in flight and ends by its own timer */
  assert_int_equal(sim_run_until(S, 32000), 0);
  assert_int_equal(S->nrecords, 2);
  assert_ptr_equal(S->records[1].event.object, other);
  assert_int_equal(S->records[1].event.u.probe.outcome, SIPHB_PROBE_TIMEOUT);
  /* bad arguments */
  assert_int_equal(siphb_ctx_peer_event(NULL, &UDP_PEER, SIPHB_PEER_CLOSED, 32000),
                   SIPHB_ERR_INVALID_ARGUMENT);
  assert_int_equal(siphb_ctx_peer_event(S->ctx, NULL, SIPHB_PEER_CLOSED, 32000),
                   SIPHB_ERR_INVALID_ARGUMENT);
  assert_int_equal(siphb_ctx_peer_event(S->ctx, &UDP_PEER, (siphb_peer_event)3, 32000),
                   SIPHB_ERR_INVALID_ARGUMENT);
  siphb_probe_del(first);
  siphb_probe_del(other);
}

/* With the default jitter (200 permille) every interval lies in [24 s,
 * 30 s] and they are not all equal. */
static void test_jitter_range(void **state) {
  (void)state;
  siphb_probe_config c;
  base_config(&c);
  c.jitter_permille = 200;
  assert_int_equal(siphb_probe_new(&P, S->ctx, &c, &TCP_PEER, NULL, 0), 0);
  assert_int_equal(siphb_probe_start(P, 0), 0);
  siphb_ms lo = NEVER, hi = 0;
  for (size_t k = 0; k < 200; k++) {
    assert_int_equal(sim_run_until(S, siphb_ctx_next_deadline(S->ctx)), 0);
    assert_int_equal(S->nsends, k + 1);
    assert_true(reply(&TCP_PEER, k, 200, NULL, FORGE_NONE));
    if (k == 0) continue;
    siphb_ms gap = S->sends[k].at - S->sends[k - 1].at;
    assert_true(gap >= 24000 && gap <= 30000);
    lo = gap < lo ? gap : lo;
    hi = gap > hi ? gap : hi;
  }
  assert_true(hi - lo > 3000);
  siphb_probe_del(P);
}

/* Karn's rule and RFC 6298 smoothing: single-send rounds sample SRTT. */
static void test_rtt_statistics(void **state) {
  (void)state;
  new_probe(&UDP_PEER, NULL);
  assert_int_equal(siphb_probe_start(P, 0), 0);
  static const siphb_ms rtts[] = {100, 300, 200};
  for (size_t k = 0; k < N(rtts); k++) {
    siphb_ms start = 30000 * (siphb_ms)k;
    assert_int_equal(sim_run_until(S, start + rtts[k]), 0);
    assert_true(reply(&UDP_PEER, k, 200, NULL, FORGE_NONE));
  }
  siphb_probe_stats st;
  assert_int_equal(siphb_probe_get_stats(P, &st), 0);
  assert_int_equal(st.rtt_min, 100);
  assert_int_equal(st.rtt_max, 300);
  assert_int_equal(st.rtt_last, 200);
  /* 100 -> srtt 100, var 50; 300 -> var (150+200)/4 = 87, srtt (700+300)/8 = 125;
   * 200 -> var (261+75)/4 = 84, srtt (875+200)/8 = 134 */
  assert_int_equal(st.srtt, 134);
  assert_int_equal(st.rttvar, 84);
  assert_int_equal(st.rounds, 3);
  assert_int_equal(st.alive, 3);
  for (size_t i = 0; i < N(st.reserved_); i++) assert_int_equal(st.reserved_[i], 0);
  siphb_probe_del(P);
}

/* ---- the allocation-failure sweep ------------------------------------------------ */

/* Creates probes until one fails (the module's state, the map's buckets as
 * they grow, each probe's object and text block: every allocation site of
 * the probe); a failed _new changes nothing, and the probes made so far
 * still run their rounds. */
static int make_probe(sim *s, size_t i, void **obj) {
  (void)i;
  siphb_probe_config c;
  base_config(&c);
  siphb_probe *p;
  int rv = siphb_probe_new(&p, s->ctx, &c, &UDP_PEER, NULL, 0);
  if (rv != 0) return rv;
  assert_int_equal(siphb_probe_start(p, 0), 0);
  *obj = p;
  return 0;
}

static void del_probe(void *p) { siphb_probe_del(p); }

static const sim_sweep sweep = {5, make_probe, del_probe, 0, 1};

static void test_allocation_sweep(void **state) {
  (void)state;
  long allocs = failmem_sweep(sim_sweep_objects, (void *)(uintptr_t)&sweep);
  assert_true(allocs >= 1 + 5 * 2); /* ctx, module, map buckets, 2 per probe */
}

int main(void) {
  const struct CMUnitTest tests[] = {
      cmocka_unit_test(test_scenarios),
      cmocka_unit_test_setup_teardown(test_request_bytes, setup, teardown),
      cmocka_unit_test_setup_teardown(test_request_options_and_ipv6, setup, teardown),
      cmocka_unit_test(test_config_defaults),
      cmocka_unit_test_setup_teardown(test_config_refused, setup, teardown),
      cmocka_unit_test_setup_teardown(test_send_failures, setup, teardown),
      cmocka_unit_test_setup_teardown(test_retransmission_failures, setup, teardown),
      cmocka_unit_test_setup_teardown(test_delete_from_event, setup, teardown),
      cmocka_unit_test_setup_teardown(test_stop_from_send, setup, teardown),
      cmocka_unit_test_setup_teardown(test_start_stop_trigger, setup, teardown),
      cmocka_unit_test_setup_teardown(test_set_peer, setup, teardown),
      cmocka_unit_test_setup_teardown(test_peer_event, setup, teardown),
      cmocka_unit_test_setup_teardown(test_jitter_range, setup, teardown),
      cmocka_unit_test_setup_teardown(test_rtt_statistics, setup, teardown),
      cmocka_unit_test(test_allocation_sweep),
  };
  return cmocka_run_group_tests(tests, NULL, NULL);
}
