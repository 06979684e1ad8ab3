/*
 * test_sip_iter.c - the SIP parser's names and walkers: header and method
 * names (every compact form, long names in any case, round trips),
 * siphb_sip_next_header/_via/_contact/_token, siphb_sip_has_token, the
 * Allow bitmask, siphb_sip_unfold, and the eight responses of the bench
 * corpus (bench/corpus/sip) with every indexed field checked exactly.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include <siphb/siphb.h>

#include "siptest.h"

static const siphb_sip_msg *const M = &sipt.msg;

static siphb_str str(const char *s) {
  siphb_str r = {s, strlen(s)};
  return r;
}

#define B(h) ((uint64_t)1 << SIPHB_SIP_HDR_##h)
#define MANDATORY (B(VIA) | B(FROM) | B(TO) | B(CALL_ID) | B(CSEQ))
#define METHOD(m) (1u << SIPHB_SIP_METHOD_##m)

/* ---- names ---------------------------------------------------------------- */

typedef struct compact_form {
  char letter;
  siphb_sip_hdr id;
  const char *value; /* a valid value, for messages */
} compact_form;

/* Every compact form sip.h names (RFC 3261 section 7.3.3 and the RFCs in
 * PROTOCOL-FACTS.md section 4). */
static const compact_form compact_forms[] = {
    {'v', SIPHB_SIP_HDR_VIA, "SIP/2.0/UDP 192.0.2.10:5060;branch=z9hG4bKc1"},
    {'f', SIPHB_SIP_HDR_FROM, "<sip:mon@example.net>;tag=cf"},
    {'t', SIPHB_SIP_HDR_TO, "<sip:pbx@example.com>"},
    {'i', SIPHB_SIP_HDR_CALL_ID, "compact@192.0.2.10"},
    {'m', SIPHB_SIP_HDR_CONTACT, "<sip:mon@192.0.2.10>;expires=90"},
    {'l', SIPHB_SIP_HDR_CONTENT_LENGTH, "4"},
    {'k', SIPHB_SIP_HDR_SUPPORTED, "timer, outbound"},
    {'x', SIPHB_SIP_HDR_SESSION_EXPIRES, "1800;refresher=uas"},
    {'c', SIPHB_SIP_HDR_CONTENT_TYPE, "text/plain"},
    {'e', SIPHB_SIP_HDR_CONTENT_ENCODING, "gzip"},
    {'s', SIPHB_SIP_HDR_SUBJECT, "ping"},
    {'o', SIPHB_SIP_HDR_EVENT, "presence"},
    {'u', SIPHB_SIP_HDR_ALLOW_EVENTS, "presence, dialog"},
    {'r', SIPHB_SIP_HDR_REFER_TO, "<sip:x@example.com>"},
    {'b', SIPHB_SIP_HDR_REFERRED_BY, "<sip:y@example.com>"},
    {'a', SIPHB_SIP_HDR_ACCEPT_CONTACT, "*;audio"},
    {'j', SIPHB_SIP_HDR_REJECT_CONTACT, "*;video"},
    {'d', SIPHB_SIP_HDR_REQUEST_DISPOSITION, "proxy"},
    {'y', SIPHB_SIP_HDR_IDENTITY, "abc.def"},
    {'n', SIPHB_SIP_HDR_IDENTITY_INFO, "<https://example.com/cert>"},
};
#define N_COMPACT (sizeof compact_forms / sizeof compact_forms[0])

static void test_compact_forms_by_name(void **state) {
  (void)state;
  unsigned seen = 0;
  for (size_t i = 0; i < N_COMPACT; i++) {
    char lower[2] = {compact_forms[i].letter, 0};
    char upper[2] = {(char)(compact_forms[i].letter - 'a' + 'A'), 0};
    assert_int_equal(siphb_sip_hdr_from(str(lower)), compact_forms[i].id);
    assert_int_equal(siphb_sip_hdr_from(str(upper)), compact_forms[i].id);
    seen |= 1u << (compact_forms[i].letter - 'a');
  }
  /* every other letter, digit or sign is no header */
  for (int c = 0; c < 256; c++) {
    char name[2] = {(char)c, 0};
    siphb_str s = {name, 1};
    int l = c | 0x20;
    if (l >= 'a' && l <= 'z' && (seen >> (l - 'a') & 1u)) continue;
    if (siphb_sip_hdr_from(s) != SIPHB_SIP_HDR_OTHER) fail_msg("byte %d is a compact form", c);
  }
}

/* A message with every compact form, letters in lower or upper case. */
static void parse_compact_message(bool upper) {
  char text[2048];
  size_t n = (size_t)sprintf(text, "SIP/2.0 200 OK\r\n");
  for (size_t i = 0; i < N_COMPACT; i++) {
    char c = upper ? (char)(compact_forms[i].letter - 'a' + 'A') : compact_forms[i].letter;
    n += (size_t)sprintf(text + n, "%c: %s\r\n", c, compact_forms[i].value);
    if (compact_forms[i].id == SIPHB_SIP_HDR_CALL_ID) n += (size_t)sprintf(text + n, "CSeq: 9 OPTIONS\r\n");
  }
  n += (size_t)sprintf(text + n, "\r\nbody");
  assert_int_equal(sipt_parse_bytes(text, n, NULL), n);
}

static void check_compact_message(void) {
  siphb_sip_iter it;
  siphb_sip_header h;
  siphb_sip_iter_init(&it, M);
  for (size_t i = 0; i < N_COMPACT; i++) {
    assert_true(siphb_sip_next_header(&it, &h));
    assert_int_equal(h.id, compact_forms[i].id);
    assert_int_equal(h.name.len, 1);
    assert_int_equal(h.name.ptr[0] | 0x20, compact_forms[i].letter);
    assert_true(sipt_slice(h.value, compact_forms[i].value));
    assert_true(siphb_sip_msg_has(M, compact_forms[i].id));
    if (compact_forms[i].id == SIPHB_SIP_HDR_CALL_ID) {
      assert_true(siphb_sip_next_header(&it, &h));
      assert_int_equal(h.id, SIPHB_SIP_HDR_CSEQ);
    }
  }
  assert_false(siphb_sip_next_header(&it, &h));
  assert_true(sipt_slice(M->via.branch, "z9hG4bKc1"));
  assert_true(sipt_slice(M->from.tag, "cf"));
  assert_true(sipt_slice(M->to.uri, "sip:pbx@example.com"));
  assert_true(sipt_slice(M->call_id, "compact@192.0.2.10"));
  assert_true(M->contact.has_expires);
  assert_int_equal(M->contact.expires, 90);
  assert_int_equal(M->content_length, 4);
  assert_true(sipt_slice(M->body, "body"));
  assert_true(siphb_sip_has_token(M, SIPHB_SIP_HDR_SUPPORTED, "outbound"));
  assert_int_equal(M->session_expires.delta, 1800);
  assert_int_equal(M->session_expires.refresher, SIPHB_SIP_REFRESHER_UAS);
  assert_true(siphb_sip_has_token(M, SIPHB_SIP_HDR_ALLOW_EVENTS, "dialog"));
  assert_int_equal(M->header_count, N_COMPACT + 1);
}

static void test_compact_forms_in_a_message(void **state) {
  (void)state;
  parse_compact_message(false);
  check_compact_message();
  parse_compact_message(true);
  check_compact_message();
}

/* Lower case, upper case and alternating case of every long name. */
static void test_long_names_round_trip_in_any_case(void **state) {
  (void)state;
  assert_string_equal(siphb_sip_hdr_name(SIPHB_SIP_HDR_OTHER), "");
  assert_string_equal(siphb_sip_hdr_name(SIPHB_SIP_HDR_COUNT_), "");
  assert_string_equal(siphb_sip_hdr_name((siphb_sip_hdr)-1), "");
  assert_string_equal(siphb_sip_hdr_name(SIPHB_SIP_HDR_CALL_ID), "Call-ID");
  assert_string_equal(siphb_sip_hdr_name(SIPHB_SIP_HDR_CSEQ), "CSeq");
  assert_string_equal(siphb_sip_hdr_name(SIPHB_SIP_HDR_WWW_AUTHENTICATE), "WWW-Authenticate");
  assert_string_equal(siphb_sip_hdr_name(SIPHB_SIP_HDR_MIN_SE), "Min-SE");
  for (int id = 1; id < SIPHB_SIP_HDR_COUNT_; id++) {
    const char *name = siphb_sip_hdr_name((siphb_sip_hdr)id);
    size_t n = strlen(name);
    assert_true(n > 1 && n < 32);
    char v[3][32];
    for (size_t i = 0; i <= n; i++) {
      char c = name[i];
      bool letter = (c | 0x20) >= 'a' && (c | 0x20) <= 'z';
      v[0][i] = letter ? (char)(c | 0x20) : c;
      v[1][i] = letter ? (char)(c & ~0x20) : c;
      v[2][i] = letter && (i & 1) ? v[1][i] : v[0][i];
    }
    assert_int_equal(siphb_sip_hdr_from(str(name)), id);
    for (int k = 0; k < 3; k++)
      if (siphb_sip_hdr_from(str(v[k])) != (siphb_sip_hdr)id) fail_msg("\"%s\"", v[k]);
    /* the same name with one byte changed, or cut, or longer, is no header */
    for (size_t i = 0; i < n; i++) {
      char w[32];
      memcpy(w, name, n + 1);
      w[i] = w[i] == '-' ? '_' : (char)(w[i] == 'x' ? 'y' : 'x');
      if (siphb_sip_hdr_from(str(w)) != SIPHB_SIP_HDR_OTHER) fail_msg("\"%s\"", w);
    }
    if (n > 2) assert_int_equal(siphb_sip_hdr_from((siphb_str){name, n - 1}), SIPHB_SIP_HDR_OTHER);
    char longer[40];
    snprintf(longer, sizeof longer, "%ss", name);
    assert_int_equal(siphb_sip_hdr_from(str(longer)), SIPHB_SIP_HDR_OTHER);
  }
  static const char *const others[] = {"Vias", "X-Via", "Call_ID", "CallID", "P-Asserted-Identity",
                                       "Proxy-Authorization-X", "Request-Dispositions",
                                       "Accept-Encoding", "Date", "Warning", "Tor", "Fro", "Mm"};
  for (size_t i = 0; i < sizeof others / sizeof others[0]; i++)
    if (siphb_sip_hdr_from(str(others[i])) != SIPHB_SIP_HDR_OTHER) fail_msg("\"%s\"", others[i]);
  assert_int_equal(siphb_sip_hdr_from((siphb_str){NULL, 0}), SIPHB_SIP_HDR_OTHER);
  assert_int_equal(siphb_sip_hdr_from((siphb_str){NULL, 3}), SIPHB_SIP_HDR_OTHER);
}

static void test_long_names_in_a_message_in_any_case(void **state) {
  (void)state;
  assert_true(sipt_ok(&(sipt_spec){
      .raw = "SIP/2.0 200 OK\r\n"
             "vIA: SIP/2.0/UDP h;branch=z9hG4bKmc\r\n"
             "FROM: <sip:a@b>;tag=mc\r\n"
             "tO: <sip:c@d>\r\n"
             "CALL-id: mixed\r\n"
             "cseq: 3 OPTIONS\r\n"
             "MAX-forwards: 69\r\n"
             "contact: <sip:e@f>\r\n"
             "EXPIRES: 30\r\n"
             "min-EXPIRES: 60\r\n"
             "RETRY-after: 5\r\n"
             "Session-EXPIRES: 90\r\n"
             "min-se: 90\r\n"
             "FLOW-TIMER: 30\r\n"
             "supported: path\r\n"
             "REQUIRE: outbound\r\n"
             "aLLoW: BYE\r\n"
             "server: s\r\n"
             "USER-AGENT: u\r\n"
             "RECORD-ROUTE: <sip:p;lr>\r\n"
             "ROUTE: <sip:p;lr>\r\n"
             "CONTENT-LENGTH: 0\r\n"
             "\r\n"}));
  assert_int_equal(M->present, MANDATORY | B(MAX_FORWARDS) | B(CONTACT) | B(EXPIRES) |
                                   B(MIN_EXPIRES) | B(RETRY_AFTER) | B(SESSION_EXPIRES) |
                                   B(MIN_SE) | B(FLOW_TIMER) | B(SUPPORTED) | B(REQUIRE) |
                                   B(ALLOW) | B(SERVER) | B(USER_AGENT) | B(RECORD_ROUTE) |
                                   B(ROUTE) | B(CONTENT_LENGTH));
  assert_true(sipt_slice(M->via.branch, "z9hG4bKmc"));
  assert_true(sipt_slice(M->call_id, "mixed"));
  assert_int_equal(M->cseq, 3);
  assert_int_equal(M->max_forwards, 69);
  assert_int_equal(M->expires, 30);
  assert_int_equal(M->min_expires, 60);
  assert_int_equal(M->retry_after.delta, 5);
  assert_int_equal(M->session_expires.delta, 90);
  assert_int_equal(M->min_se, 90);
  assert_int_equal(M->flow_timer, 30);
  assert_int_equal(M->allow, METHOD(BYE));
  assert_true(sipt_slice(M->server, "s"));
  assert_true(sipt_slice(M->user_agent, "u"));
}

static void test_method_names_round_trip(void **state) {
  (void)state;
  static const char *const names[] = {"",        "INVITE",   "ACK",    "BYE",   "CANCEL",
                                      "OPTIONS", "REGISTER", "PRACK",  "SUBSCRIBE", "NOTIFY",
                                      "PUBLISH", "INFO",     "REFER",  "MESSAGE", "UPDATE"};
  for (int m = 0; m <= SIPHB_SIP_METHOD_UPDATE; m++) {
    assert_string_equal(siphb_sip_method_name((siphb_sip_method)m), names[m]);
    if (m) assert_int_equal(siphb_sip_method_from(str(names[m])), m);
  }
  assert_string_equal(siphb_sip_method_name((siphb_sip_method)15), "");
  assert_string_equal(siphb_sip_method_name((siphb_sip_method)-1), "");
  static const char *const others[] = {"", "invite", "Invite", "INVITEX", "INVIT", "OPTION", "X",
                                       "SUBSCRIBES", "INF", "ACK ", "REGISTER\r"};
  for (size_t i = 0; i < sizeof others / sizeof others[0]; i++)
    if (siphb_sip_method_from(str(others[i])) != SIPHB_SIP_METHOD_OTHER) fail_msg("\"%s\"", others[i]);
  assert_int_equal(siphb_sip_method_from((siphb_str){NULL, 0}), SIPHB_SIP_METHOD_OTHER);
  assert_int_equal(siphb_sip_method_from((siphb_str){"INVITE", 3}), SIPHB_SIP_METHOD_OTHER);
  assert_int_equal(siphb_sip_method_from((siphb_str){"ACKNOWLEDGE", 3}), SIPHB_SIP_METHOD_ACK);
}

/* ---- walking header lines -------------------------------------------------- */

static void test_next_header_walk(void **state) {
  (void)state;
  static const char text[] = "\r\n\r\nSIP/2.0 200 OK\r\n" /* leading CRLFs of a stream */
                             "Via: SIP/2.0/UDP h\r\n ;branch=z9hG4bKw\r\n"
                             "From  :\t<sip:a@b>;tag=w \r\n"
                             "To:<sip:c@d>\r\n"
                             "Call-ID: walk\r\n"
                             "CSeq: 1 OPTIONS\r\n"
                             "X-Empty:\r\n"
                             "X-Fold:\r\n folded \r\n\tvalue\r\n"
                             "Content-Length: 2\r\n"
                             "\r\nhiSIP/2.0";
  static const struct {
    const char *name, *value;
    siphb_sip_hdr id;
    size_t offset;
  } want[] = {
      {"Via", "SIP/2.0/UDP h\r\n ;branch=z9hG4bKw", SIPHB_SIP_HDR_VIA, 16},
      {"From", "<sip:a@b>;tag=w", SIPHB_SIP_HDR_FROM, 55},
      {"To", "<sip:c@d>", SIPHB_SIP_HDR_TO, 81},
      {"Call-ID", "walk", SIPHB_SIP_HDR_CALL_ID, 95},
      {"CSeq", "1 OPTIONS", SIPHB_SIP_HDR_CSEQ, 110},
      {"X-Empty", "", SIPHB_SIP_HDR_OTHER, 127},
      {"X-Fold", "folded \r\n\tvalue", SIPHB_SIP_HDR_OTHER, 137},
      {"Content-Length", "2", SIPHB_SIP_HDR_CONTENT_LENGTH, 164},
  };
  assert_int_equal(sipt_parse_bytes(text, sizeof text - 1, &(sipt_spec){.stream = true}), sizeof text - 8);
  siphb_sip_iter it;
  siphb_sip_header h;
  siphb_sip_iter_init(&it, M);
  for (size_t i = 0; i < sizeof want / sizeof want[0]; i++) {
    assert_true(siphb_sip_next_header(&it, &h));
    assert_true(sipt_slice_at(h.name, want[i].name, 4 + want[i].offset)); /* offsets from the start line */
    assert_int_equal(h.offset, want[i].offset);
    if (want[i].value[0]) assert_true(sipt_slice(h.value, want[i].value));
    else assert_int_equal(h.value.len, 0);
    assert_int_equal(h.id, want[i].id);
  }
  assert_false(siphb_sip_next_header(&it, &h));
  assert_false(siphb_sip_next_header(&it, &h)); /* stays at the end */
  /* no header lines at all */
  assert_true(sipt_ok(&(sipt_spec){.raw = "SIP/2.0 200 OK\r\n\r\n", .lenient = true}));
  siphb_sip_iter_init(&it, M);
  assert_false(siphb_sip_next_header(&it, &h));
  /* NULL arguments */
  siphb_sip_iter_init(NULL, M);
  siphb_sip_iter_init(&it, NULL);
  assert_false(siphb_sip_next_header(&it, &h));
  assert_false(siphb_sip_next_header(NULL, &h));
  assert_false(siphb_sip_next_header(&it, NULL));
  siphb_sip_msg empty;
  memset(&empty, 0, sizeof empty);
  siphb_sip_iter_init(&it, &empty);
  assert_false(siphb_sip_next_header(&it, &h));
}

static void test_next_via_order_and_fields(void **state) {
  (void)state;
  assert_true(sipt_ok(&(sipt_spec){
      .via = "SIP/2.0/UDP a.example.com:5060;branch=z9hG4bK1;rport=5 , SIP/2.0/TCP [2001:db8::2];branch=z9hG4bK2",
      .extra = "Subject: between\r\n"
               "v: SIP/2.0/TLS c.example.com:5061\r\n ;branch=z9hG4bK3;keep=20,\r\n"
               "\tSIP/2.0/WSS d;branch=z9hG4bK4;received=192.0.2.4;x=\"a,b\"\r\n"
               "VIA: SIP/2.0/UDP e;branch=z9hG4bK5;keep\r\n"}));
  static const sipt_via_want want[] = {
      {.transport = "UDP", .host = "a.example.com", .port = 5060, .branch = "z9hG4bK1", .rport = 5,
       .params = ";branch=z9hG4bK1;rport=5"},
      {.transport = "TCP", .host = "2001:db8::2", .ipv6 = true, .branch = "z9hG4bK2", .params = ";branch=z9hG4bK2"},
      {.transport = "TLS", .host = "c.example.com", .port = 5061, .branch = "z9hG4bK3", .keep = 20,
       .params = ";branch=z9hG4bK3;keep=20", .value = "SIP/2.0/TLS c.example.com:5061\r\n ;branch=z9hG4bK3;keep=20"},
      {.transport = "WSS", .host = "d", .branch = "z9hG4bK4", .received = "192.0.2.4",
       .params = ";branch=z9hG4bK4;received=192.0.2.4;x=\"a,b\""},
      {.transport = "UDP", .host = "e", .branch = "z9hG4bK5", .keep = -1, .params = ";branch=z9hG4bK5;keep"},
  };
  assert_int_equal(M->via_count, 5);
  assert_true(sipt_via_is(&M->via, &want[0]));
  siphb_sip_iter it;
  siphb_sip_via v;
  siphb_sip_iter_init(&it, M);
  for (size_t i = 0; i < 5; i++)
    if (!siphb_sip_next_via(&it, &v) || !sipt_via_is(&v, &want[i])) fail_msg("Via %zu", i);
  assert_false(siphb_sip_next_via(&it, &v));
  assert_false(siphb_sip_next_via(NULL, &v));
  siphb_sip_iter_init(&it, M);
  assert_false(siphb_sip_next_via(&it, NULL));
}

static void test_next_contact(void **state) {
  (void)state;
  assert_true(sipt_ok(&(sipt_spec){
      .extra = "Contact: <sip:a,b@example.com>;expires=10, \"Q, R\" <sip:c@d>;x=\"1,2\"\r\n"
               "Route: <sip:p;lr>\r\n"
               "m: sip:e@f;expires=20,\r\n <sip:g@h>\r\n"}));
  static const sipt_addr_want want[] = {
      {.uri = "sip:a,b@example.com", .params = ";expires=10", .has_expires = true, .expires = 10},
      {.display_name = "\"Q, R\"", .uri = "sip:c@d", .params = ";x=\"1,2\""},
      {.uri = "sip:e@f", .params = ";expires=20", .has_expires = true, .expires = 20},
      {.uri = "sip:g@h", .value = "<sip:g@h>"},
  };
  assert_int_equal(M->contact_count, 4);
  assert_true(sipt_addr_is(&M->contact, &want[0]));
  siphb_sip_iter it;
  siphb_sip_addr a;
  siphb_sip_iter_init(&it, M);
  for (size_t i = 0; i < 4; i++)
    if (!siphb_sip_next_contact(&it, &a) || !sipt_addr_is(&a, &want[i])) fail_msg("Contact %zu", i);
  assert_false(siphb_sip_next_contact(&it, &a));
  assert_true(sipt_ok(&(sipt_spec){.extra = "Contact: *\r\nExpires: 0\r\n"}));
  siphb_sip_iter_init(&it, M);
  assert_true(siphb_sip_next_contact(&it, &a));
  assert_true(sipt_addr_is(&a, &(sipt_addr_want){.star = true, .value = "*"}));
  assert_false(siphb_sip_next_contact(&it, &a));
  /* no Contact at all */
  assert_true(sipt_ok(&(sipt_spec){0}));
  siphb_sip_iter_init(&it, M);
  assert_false(siphb_sip_next_contact(&it, &a));
  assert_int_equal(M->contact_count, 0);
}

/* ---- token lists ---------------------------------------------------------- */

static void expect_tokens(siphb_sip_hdr hdr, const char *const *want, size_t n) {
  siphb_sip_iter it;
  siphb_str t;
  siphb_sip_iter_init(&it, M);
  for (size_t i = 0; i < n; i++)
    if (!siphb_sip_next_token(&it, hdr, &t) || !sipt_slice(t, want[i])) fail_msg("token %zu", i);
  assert_false(siphb_sip_next_token(&it, hdr, &t));
}

static void test_tokens_across_lines(void **state) {
  (void)state;
  assert_true(sipt_ok(&(sipt_spec){
      .extra = "Supported: timer ,path\r\n"
               "Require: outbound\r\n"
               "k: 100rel,\r\n\tReplaces\r\n"
               "Supported:\r\n"
               "Allow: INVITE, ACK\r\n , FOO\r\n"
               "Allow: invite,PUBLISH\r\n"
               "u: presence, dialog\r\n"}));
  static const char *const supported[] = {"timer", "path", "100rel", "Replaces"};
  static const char *const require[] = {"outbound"};
  static const char *const allow[] = {"INVITE", "ACK", "FOO", "invite", "PUBLISH"};
  static const char *const events[] = {"presence", "dialog"};
  expect_tokens(SIPHB_SIP_HDR_SUPPORTED, supported, 4);
  expect_tokens(SIPHB_SIP_HDR_REQUIRE, require, 1);
  expect_tokens(SIPHB_SIP_HDR_ALLOW, allow, 5);
  expect_tokens(SIPHB_SIP_HDR_ALLOW_EVENTS, events, 2);
  expect_tokens(SIPHB_SIP_HDR_SUBJECT, NULL, 0);
  /* methods are case-sensitive: "invite" and "FOO" are bit 0 */
  assert_int_equal(M->allow, METHOD(INVITE) | METHOD(ACK) | METHOD(PUBLISH) | 1u);
  assert_true(siphb_sip_has_token(M, SIPHB_SIP_HDR_SUPPORTED, "TIMER"));
  assert_true(siphb_sip_has_token(M, SIPHB_SIP_HDR_SUPPORTED, "replaces"));
  assert_true(siphb_sip_has_token(M, SIPHB_SIP_HDR_SUPPORTED, "100REL"));
  assert_false(siphb_sip_has_token(M, SIPHB_SIP_HDR_SUPPORTED, "time"));
  assert_false(siphb_sip_has_token(M, SIPHB_SIP_HDR_SUPPORTED, "timers"));
  assert_false(siphb_sip_has_token(M, SIPHB_SIP_HDR_SUPPORTED, ""));
  assert_false(siphb_sip_has_token(M, SIPHB_SIP_HDR_SUPPORTED, "outbound")); /* that is Require */
  assert_true(siphb_sip_has_token(M, SIPHB_SIP_HDR_REQUIRE, "Outbound"));
  assert_true(siphb_sip_has_token(M, SIPHB_SIP_HDR_ALLOW, "publish"));
  assert_true(siphb_sip_has_token(M, SIPHB_SIP_HDR_ALLOW_EVENTS, "DIALOG"));
  assert_false(siphb_sip_has_token(M, SIPHB_SIP_HDR_EVENT, "presence"));
  assert_false(siphb_sip_has_token(M, SIPHB_SIP_HDR_OTHER, "timer"));
  assert_false(siphb_sip_has_token(NULL, SIPHB_SIP_HDR_SUPPORTED, "timer"));
  assert_false(siphb_sip_has_token(M, SIPHB_SIP_HDR_SUPPORTED, NULL));
  siphb_sip_iter it;
  siphb_str t;
  siphb_sip_iter_init(&it, M);
  assert_false(siphb_sip_next_token(&it, SIPHB_SIP_HDR_OTHER, &t));
  assert_false(siphb_sip_next_token(NULL, SIPHB_SIP_HDR_SUPPORTED, &t));
  assert_false(siphb_sip_next_token(&it, SIPHB_SIP_HDR_SUPPORTED, NULL));
}

/* Headers the parser does not validate give whole elements, quotes kept. */
static void test_elements_of_other_lists(void **state) {
  (void)state;
  assert_true(sipt_ok(&(sipt_spec){.extra = "Accept: application/sdp;q=0.5 , text/plain;x=\"1,2\"\r\n"
                                            "Allow-Events: presence, bad/x, dialog\r\n"
                                            "Accept: */*\r\n"}));
  static const char *const accept[] = {"application/sdp;q=0.5", "text/plain;x=\"1,2\"", "*/*"};
  static const char *const events[] = {"presence", "bad/x", "dialog"};
  expect_tokens(SIPHB_SIP_HDR_ACCEPT, accept, 3);
  expect_tokens(SIPHB_SIP_HDR_ALLOW_EVENTS, events, 3);
  assert_true(siphb_sip_has_token(M, SIPHB_SIP_HDR_ALLOW_EVENTS, "Dialog"));
  assert_true(siphb_sip_has_token(M, SIPHB_SIP_HDR_ACCEPT, "TEXT/plain;X=\"1,2\""));
  assert_false(siphb_sip_has_token(M, SIPHB_SIP_HDR_ACCEPT, "application/sdp"));
}

static void test_token_list_errors(void **state) {
  (void)state;
  static const struct {
    const char *extra, *at;
    size_t delta;
  } cases[] = {
      {"Supported: timer,, path\r\n", ",, path", 1},
      {"Supported: timer path\r\n", "path", 0},
      {"Require: a/b\r\n", "/b", 0},
      {"k: ,timer\r\n", ",timer", 0},
      {"Allow: INVITE;x\r\n", ";x", 0},
      {"Allow: INVITE@\r\n", "@\r\n", 0},
  };
  for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
    if (!sipt_refused(&(sipt_spec){.extra = cases[i].extra}, SIPHB_ERR_SIP_HEADER, cases[i].at, cases[i].delta))
      fail_msg("case %zu", i);
  }
}

/* ---- unfolding ------------------------------------------------------------ */

static void expect_unfold(const char *value, const char *want) {
  char out[128];
  siphb_str v = str(value);
  size_t n = strlen(want);
  siphb_ssize r = siphb_sip_unfold(v, out, sizeof out);
  if (r != (siphb_ssize)n || memcmp(out, want, n) != 0)
    fail_msg("unfold(\"%s\") = %td \"%.*s\", expected \"%s\"", value, r, (int)(r > 0 ? r : 0), out, want);
  /* exactly enough room works, one byte less does not */
  assert_int_equal(siphb_sip_unfold(v, out, n), n);
  if (n) assert_int_equal(siphb_sip_unfold(v, out, n - 1), SIPHB_ERR_NOBUF);
}

static void test_unfold(void **state) {
  (void)state;
  expect_unfold("a\r\n b", "a b");
  expect_unfold("a \t\r\n \tb", "a b");
  expect_unfold("a\r\n\tb\r\n  c", "a b c");
  expect_unfold("a\n b", "a b"); /* LF alone: the fold of a lenient parse */
  expect_unfold("a \n\t b\r\n c", "a b c");
  expect_unfold("a\r b", "a\r b"); /* a CR alone is not a fold */
  expect_unfold("a  b\tc", "a  b\tc"); /* blanks without a line break stay */
  expect_unfold("\"x\r\n y\"", "\"x y\"");
  expect_unfold("plain", "plain");
  expect_unfold("", "");
  char out[8];
  assert_int_equal(siphb_sip_unfold((siphb_str){NULL, 0}, out, sizeof out), 0);
  assert_int_equal(siphb_sip_unfold((siphb_str){NULL, 0}, NULL, 0), 0);
  assert_int_equal(siphb_sip_unfold((siphb_str){NULL, 3}, out, sizeof out), SIPHB_ERR_INVALID_ARGUMENT);
  assert_int_equal(siphb_sip_unfold(str("abc"), NULL, 4), SIPHB_ERR_INVALID_ARGUMENT);
  assert_int_equal(siphb_sip_unfold(str("abc"), NULL, 0), SIPHB_ERR_NOBUF);
  assert_int_equal(siphb_sip_unfold(str("a\r\n b"), out, 1), SIPHB_ERR_NOBUF);
  /* values of a parsed message */
  assert_true(sipt_ok(&(sipt_spec){.from = "\"Folded\r\n  Name\" <sip:a@b>\r\n\t;tag=u", .extra = "Subject: one\r\n two\r\n"}));
  char buf[64];
  siphb_ssize n = siphb_sip_unfold(M->from.value, buf, sizeof buf);
  assert_int_equal(n, strlen("\"Folded Name\" <sip:a@b> ;tag=u"));
  assert_memory_equal(buf, "\"Folded Name\" <sip:a@b> ;tag=u", (size_t)n);
  n = siphb_sip_unfold(M->from.display_name, buf, sizeof buf);
  assert_int_equal(n, 13);
  assert_memory_equal(buf, "\"Folded Name\"", 13);
}

/* ---- the bench corpus ----------------------------------------------------- */

typedef struct corpus_case {
  const char *file;
  unsigned status;
  const char *reason;
  sipt_via_want via;
  size_t via_count;
  sipt_addr_want from, to, contact;
  size_t contact_count;
  const char *call_id;
  uint32_t cseq;
  const char *cseq_method;
  siphb_sip_method cseq_method_id;
  uint32_t expires, flow_timer, min_se, allow;
  siphb_sip_retry_after retry_after; /* comment: NULL or text */
  const char *server;
  size_t header_count;
  uint64_t present;
} corpus_case;

#define KEEPALIVE_FROM(t) {.uri = "sip:keepalive@example.net", .tag = t, .params = ";tag=" t}
#define URI_TAG(u, t) {.uri = u, .tag = t, .params = ";tag=" t}
#define ALL_12 (METHOD(INVITE) | METHOD(ACK) | METHOD(CANCEL) | METHOD(OPTIONS) | METHOD(BYE) | \
                METHOD(REFER) | METHOD(NOTIFY) | METHOD(MESSAGE) | METHOD(SUBSCRIBE) |        \
                METHOD(INFO) | METHOD(UPDATE) | METHOD(PRACK))

static const corpus_case corpus[] = {
    {.file = "01_options_200.sip", .status = 200, .reason = "OK",
     .via = {.transport = "UDP", .host = "192.0.2.10", .port = 5060,
             .branch = "z9hG4bK-524287-1---7f3a9c2e1b4d6a80", .rport = 40213, .received = "198.51.100.7",
             .params = ";branch=z9hG4bK-524287-1---7f3a9c2e1b4d6a80;rport=40213;received=198.51.100.7"},
     .via_count = 1, .from = KEEPALIVE_FROM("a73kszlfl"), .to = URI_TAG("sip:pbx.example.com", "4f2c1e8b-0d9a"),
     .call_id = "843817637684230@192.0.2.10", .cseq = 1826, .cseq_method = "OPTIONS",
     .cseq_method_id = SIPHB_SIP_METHOD_OPTIONS, .allow = ALL_12, .server = "ExamplePBX 4.2.1",
     .header_count = 10,
     .present = MANDATORY | B(ALLOW) | B(ACCEPT) | B(SUPPORTED) | B(SERVER) | B(CONTENT_LENGTH)},
    {.file = "02_register_200.sip", .status = 200, .reason = "OK",
     .via = {.transport = "TCP", .host = "10.0.0.23", .port = 49152, .branch = "z9hG4bKnashds7",
             .received = "203.0.113.45", .rport = 61022,
             .params = ";branch=z9hG4bKnashds7;received=203.0.113.45;rport=61022"},
     .via_count = 1,
     .from = {.display_name = "\"Alice\"", .uri = "sip:alice@example.com", .tag = "456248", .params = ";tag=456248"},
     .to = {.display_name = "\"Alice\"", .uri = "sip:alice@example.com", .tag = "2493k59kd", .params = ";tag=2493k59kd"},
     .contact = {.uri = "sip:alice@10.0.0.23:49152;transport=tcp;ob",
                 .params = ";expires=3600;reg-id=1;+sip.instance=\"<urn:uuid:00000000-0000-1000-8000-AABBCCDDEEFF>\"",
                 .has_expires = true, .expires = 3600},
     .contact_count = 1, .call_id = "843817637684230@998sdasdh09", .cseq = 1827, .cseq_method = "REGISTER",
     .cseq_method_id = SIPHB_SIP_METHOD_REGISTER, .expires = 3600, .flow_timer = 120, .header_count = 12,
     .present = MANDATORY | B(CONTACT) | B(EXPIRES) | B(FLOW_TIMER) | B(REQUIRE) | B(SUPPORTED) |
                B(CONTENT_LENGTH)},
    {.file = "03_401.sip", .status = 401, .reason = "Unauthorized",
     .via = {.transport = "UDP", .host = "192.0.2.10", .port = 5060, .branch = "z9hG4bK776asdhds",
             .received = "198.51.100.7", .rport = 40213,
             .params = ";branch=z9hG4bK776asdhds;received=198.51.100.7;rport=40213"},
     .via_count = 1, .from = URI_TAG("sip:bob@biloxi.example.com", "1928301774"),
     .to = URI_TAG("sip:bob@biloxi.example.com", "a6c85cf"),
     .call_id = "a84b4c76e66710@pc33.atlanta.example.com", .cseq = 314159, .cseq_method = "REGISTER",
     .cseq_method_id = SIPHB_SIP_METHOD_REGISTER, .header_count = 7,
     .present = MANDATORY | B(WWW_AUTHENTICATE) | B(CONTENT_LENGTH)},
    {.file = "04_503.sip", .status = 503, .reason = "Service Unavailable",
     .via = {.transport = "UDP", .host = "192.0.2.10", .port = 5060, .branch = "z9hG4bK-d8754z-1f3c9e0b2a",
             .rport = 5060, .received = "192.0.2.10",
             .params = ";branch=z9hG4bK-d8754z-1f3c9e0b2a;rport=5060;received=192.0.2.10"},
     .via_count = 1, .from = KEEPALIVE_FROM("b81f2a"), .to = URI_TAG("sip:proxy.example.com", "svc-0042"),
     .call_id = "5f1c2d8e9a0b4c6d@192.0.2.10", .cseq = 77, .cseq_method = "OPTIONS",
     .cseq_method_id = SIPHB_SIP_METHOD_OPTIONS,
     .retry_after = {.delta = 300, .comment = {"maintenance window", 18}, .has_duration = true, .duration = 1800},
     .server = "ExampleProxy 2.0", .header_count = 8,
     .present = MANDATORY | B(RETRY_AFTER) | B(SERVER) | B(CONTENT_LENGTH)},
    {.file = "05_422.sip", .status = 422, .reason = "Session Interval Too Small",
     .via = {.transport = "UDP", .host = "192.0.2.10", .port = 5060, .branch = "z9hG4bK74bf9",
             .received = "198.51.100.7", .rport = 40213,
             .params = ";branch=z9hG4bK74bf9;received=198.51.100.7;rport=40213"},
     .via_count = 1, .from = KEEPALIVE_FROM("9fxced76sl"), .to = URI_TAG("sip:pbx.example.com", "8321234356"),
     .call_id = "3848276298220188511@192.0.2.10", .cseq = 31862, .cseq_method = "OPTIONS",
     .cseq_method_id = SIPHB_SIP_METHOD_OPTIONS, .min_se = 1800, .header_count = 7,
     .present = MANDATORY | B(MIN_SE) | B(CONTENT_LENGTH)},
    {.file = "06_compact.sip", .status = 200, .reason = "OK",
     .via = {.transport = "UDP", .host = "192.0.2.10", .port = 5060, .branch = "z9hG4bK3f1a2b",
             .received = "198.51.100.7", .rport = 40213,
             .params = ";branch=z9hG4bK3f1a2b;received=198.51.100.7;rport=40213"},
     .via_count = 1, .from = KEEPALIVE_FROM("77aa"), .to = URI_TAG("sip:pbx.example.com", "88bb"),
     .contact = {.uri = "sip:pbx.example.com:5060", .params = ";expires=600", .has_expires = true, .expires = 600},
     .contact_count = 1, .call_id = "98asjd8@192.0.2.10", .cseq = 42, .cseq_method = "OPTIONS",
     .cseq_method_id = SIPHB_SIP_METHOD_OPTIONS, .header_count = 8,
     .present = MANDATORY | B(SUPPORTED) | B(CONTACT) | B(CONTENT_LENGTH)},
    {.file = "07_folded.sip", .status = 200, .reason = "OK",
     .via = {.transport = "UDP", .host = "192.0.2.10", .port = 5060, .branch = "z9hG4bKfold1",
             .received = "198.51.100.7", .rport = 40213,
             .params = ";branch=z9hG4bKfold1;received=198.51.100.7\r\n ;rport=40213",
             .value = "SIP/2.0/UDP 192.0.2.10:5060\r\n ;branch=z9hG4bKfold1;received=198.51.100.7\r\n ;rport=40213"},
     .via_count = 1,
     .from = {.uri = "sip:keepalive@example.net", .tag = "f0ld3d", .params = ";tag=f0ld3d",
              .value = "<sip:keepalive@example.net>\r\n\t;tag=f0ld3d"},
     .to = URI_TAG("sip:pbx.example.com", "srv77"), .call_id = "fold-4711@192.0.2.10", .cseq = 4711,
     .cseq_method = "OPTIONS", .cseq_method_id = SIPHB_SIP_METHOD_OPTIONS,
     .allow = METHOD(INVITE) | METHOD(ACK) | METHOD(CANCEL) | METHOD(OPTIONS) | METHOD(BYE) |
              METHOD(REFER) | METHOD(NOTIFY),
     .header_count = 8, .present = MANDATORY | B(ALLOW) | B(SUPPORTED) | B(CONTENT_LENGTH)},
    {.file = "08_large.sip", .status = 200, .reason = "OK",
     .via = {.transport = "UDP", .host = "192.0.2.10", .port = 5060, .branch = "z9hG4bK-large-0001-a1b2c3d4e5f6",
             .received = "198.51.100.7", .rport = 40213,
             .params = ";branch=z9hG4bK-large-0001-a1b2c3d4e5f6;received=198.51.100.7;rport=40213"},
     .via_count = 3,
     .from = {.display_name = "\"Monitoring Agent\"", .uri = "sip:monitor@ops.example.net",
              .tag = "mon-1a2b3c4d", .params = ";tag=mon-1a2b3c4d"},
     .to = URI_TAG("sip:sbc-cluster.example.com", "sbc-99ee88dd77"),
     .contact = {.uri = "sip:sbc-node3.example.com:5060;transport=udp", .params = ";expires=300",
                 .has_expires = true, .expires = 300},
     .contact_count = 1, .call_id = "7a9c1e3f5b7d9f1a3c5e7f9b1d3f5a7c@monitor.ops.example.net",
     .cseq = 918273, .cseq_method = "OPTIONS", .cseq_method_id = SIPHB_SIP_METHOD_OPTIONS,
     .allow = ALL_12 | METHOD(PUBLISH), .server = "ExampleSBC/7.3.2 (build 1422)", .header_count = 20,
     .present = MANDATORY | B(RECORD_ROUTE) | B(CONTACT) | B(ALLOW) | B(ACCEPT) | B(SUPPORTED) |
                B(ALLOW_EVENTS) | B(SERVER) | B(CONTENT_LENGTH)},
};

static bool str_is(siphb_str s, siphb_str want) {
  return sipt_slice(s, want.ptr ? want.ptr : "");
}

static void check_corpus_message(const corpus_case *c, size_t len) {
  assert_false(M->is_request);
  assert_int_equal(M->status, c->status);
  assert_true(sipt_slice(M->reason, c->reason));
  assert_int_equal(M->length, len);
  assert_int_equal(M->body.len, 0);
  assert_int_equal(M->header_count, c->header_count);
  assert_int_equal(M->present, c->present);
  assert_true(sipt_via_is(&M->via, &c->via));
  assert_int_equal(M->via_count, c->via_count);
  assert_true(sipt_addr_is(&M->from, &c->from));
  assert_true(sipt_addr_is(&M->to, &c->to));
  assert_true(sipt_addr_is(&M->contact, &c->contact));
  assert_int_equal(M->contact_count, c->contact_count);
  assert_true(sipt_slice(M->call_id, c->call_id));
  assert_int_equal(M->cseq, c->cseq);
  assert_true(sipt_slice(M->cseq_method, c->cseq_method));
  assert_int_equal(M->cseq_method_id, c->cseq_method_id);
  assert_int_equal(M->max_forwards, 0);
  assert_int_equal(M->content_length, 0);
  assert_int_equal(M->expires, c->expires);
  assert_int_equal(M->min_expires, 0);
  assert_int_equal(M->flow_timer, c->flow_timer);
  assert_int_equal(M->min_se, c->min_se);
  assert_int_equal(M->allow, c->allow);
  assert_int_equal(M->retry_after.delta, c->retry_after.delta);
  assert_true(str_is(M->retry_after.comment, c->retry_after.comment));
  assert_int_equal(M->retry_after.has_duration, c->retry_after.has_duration);
  assert_int_equal(M->retry_after.duration, c->retry_after.duration);
  assert_int_equal(M->session_expires.delta, 0);
  assert_int_equal(M->session_expires.refresher, SIPHB_SIP_REFRESHER_NONE);
  assert_true(sipt_slice(M->server, c->server));
  assert_int_equal(M->user_agent.len, 0);
  /* the walk sees every line */
  siphb_sip_iter it;
  siphb_sip_header h;
  size_t lines = 0;
  siphb_sip_iter_init(&it, M);
  while (siphb_sip_next_header(&it, &h)) lines++;
  assert_int_equal(lines, c->header_count);
}

static void test_corpus(void **state) {
  (void)state;
  for (size_t i = 0; i < sizeof corpus / sizeof corpus[0]; i++) {
    size_t len;
    uint8_t *data = sipt_load(corpus[i].file, &len);
    print_message("%s\n", corpus[i].file);
    for (int stream = 0; stream < 2; stream++) {
      for (int lenient = 0; lenient < 2; lenient++) {
        sipt_spec s = {.stream = stream != 0, .lenient = lenient != 0};
        if (sipt_parse_bytes(data, len, &s) != (siphb_ssize)len) fail_msg("%s: %s", corpus[i].file, sipt.err.message);
        check_corpus_message(&corpus[i], len);
      }
    }
    free(data);
  }
}

static void test_corpus_lists(void **state) {
  (void)state;
  size_t len;
  uint8_t *data = sipt_load("08_large.sip", &len);
  assert_int_equal(sipt_parse_bytes(data, len, NULL), len);
  free(data);
  static const sipt_via_want vias[] = {
      {.transport = "UDP", .host = "192.0.2.10", .port = 5060, .branch = "z9hG4bK-large-0001-a1b2c3d4e5f6",
       .received = "198.51.100.7", .rport = 40213,
       .params = ";branch=z9hG4bK-large-0001-a1b2c3d4e5f6;received=198.51.100.7;rport=40213"},
      {.transport = "TCP", .host = "edge1.example.com", .port = 5060, .branch = "z9hG4bK-edge1-3c4d5e6f",
       .received = "203.0.113.1", .params = ";branch=z9hG4bK-edge1-3c4d5e6f;received=203.0.113.1"},
      {.transport = "TLS", .host = "core2.example.com", .port = 5061, .branch = "z9hG4bK-core2-778899aabb",
       .params = ";branch=z9hG4bK-core2-778899aabb"},
  };
  siphb_sip_iter it;
  siphb_sip_via v;
  siphb_sip_iter_init(&it, M);
  for (size_t i = 0; i < 3; i++)
    if (!siphb_sip_next_via(&it, &v) || !sipt_via_is(&v, &vias[i])) fail_msg("Via %zu", i);
  assert_false(siphb_sip_next_via(&it, &v));
  static const char *const supported[] = {"replaces", "timer", "path", "outbound", "100rel", "gruu", "norefersub", "histinfo"};
  static const char *const events[] = {"presence", "message-summary", "refer", "dialog", "talk", "hold", "conference"};
  expect_tokens(SIPHB_SIP_HDR_SUPPORTED, supported, 8);
  expect_tokens(SIPHB_SIP_HDR_ALLOW_EVENTS, events, 7);
  assert_true(siphb_sip_has_token(M, SIPHB_SIP_HDR_ALLOW, "publish"));
  /* the folded one: unfolded values */
  data = sipt_load("07_folded.sip", &len);
  assert_int_equal(sipt_parse_bytes(data, len, NULL), len);
  free(data);
  char buf[128];
  siphb_ssize n = siphb_sip_unfold(M->via.value, buf, sizeof buf);
  static const char via[] = "SIP/2.0/UDP 192.0.2.10:5060 ;branch=z9hG4bKfold1;received=198.51.100.7 ;rport=40213";
  assert_int_equal(n, sizeof via - 1);
  assert_memory_equal(buf, via, sizeof via - 1);
  static const char *const allow[] = {"INVITE", "ACK", "CANCEL", "OPTIONS", "BYE", "REFER", "NOTIFY"};
  static const char *const folded_supported[] = {"timer", "outbound"};
  expect_tokens(SIPHB_SIP_HDR_ALLOW, allow, 7);
  expect_tokens(SIPHB_SIP_HDR_SUPPORTED, folded_supported, 2);
}

/* ---- regressions: bugs the first version of these tests found ------------- */

/* siphb_sip_hdr_from() on an empty, non-NULL name reads name.ptr[-1] (and
 * name.ptr[0]): ASan/UBSan report it; a slice must not be read outside. */
static void test_regression_hdr_from_empty_name(void **state) {
  (void)state;
  char *one = malloc(1);
  assert_non_null(one);
  one[0] = 'v';
  assert_int_equal(siphb_sip_hdr_from((siphb_str){one, 0}), SIPHB_SIP_HDR_OTHER);
  free(one);
}

/* A list ending in a comma is accepted (a comma anywhere else is refused,
 * as in Via and Contact lists), and the walk then yields an empty token. */
static void test_regression_token_list_trailing_comma(void **state) {
  (void)state;
  assert_true(sipt_refused(&(sipt_spec){.extra = "Supported: timer,\r\n"}, SIPHB_ERR_SIP_HEADER, ",\r\n", 1));
  assert_true(sipt_ok(&(sipt_spec){.extra = "Allow-Events: presence,\r\n"}));
  assert_false(siphb_sip_has_token(M, SIPHB_SIP_HDR_ALLOW_EVENTS, ""));
}

int main(void) {
  const struct CMUnitTest tests[] = {
      cmocka_unit_test(test_compact_forms_by_name),
      cmocka_unit_test(test_compact_forms_in_a_message),
      cmocka_unit_test(test_long_names_round_trip_in_any_case),
      cmocka_unit_test(test_long_names_in_a_message_in_any_case),
      cmocka_unit_test(test_method_names_round_trip),
      cmocka_unit_test(test_next_header_walk),
      cmocka_unit_test(test_next_via_order_and_fields),
      cmocka_unit_test(test_next_contact),
      cmocka_unit_test(test_tokens_across_lines),
      cmocka_unit_test(test_elements_of_other_lists),
      cmocka_unit_test(test_token_list_errors),
      cmocka_unit_test(test_unfold),
      cmocka_unit_test(test_corpus),
      cmocka_unit_test(test_corpus_lists),
      cmocka_unit_test(test_regression_hdr_from_empty_name),
      cmocka_unit_test(test_regression_token_list_trailing_comma),
  };
  return cmocka_run_group_tests(tests, NULL, sipt_teardown);
}
