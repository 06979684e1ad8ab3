/*
 * codec_demo.c - the codecs on their own, without a ctx: parse a SIP
 * response and read its fields, encode an OPTIONS request, and frame a byte
 * stream. The README's codec snippet is this program's core.
 */
#include <stdio.h>
#include <string.h>

#include <siphb/siphb.h>

static const char response[] =
    "SIP/2.0 200 OK\r\n"
    "Via: SIP/2.0/UDP 192.0.2.5:5060;branch=z9hG4bK776asdhds;rport=5060\r\n"
    "From: <sip:phone@192.0.2.5>;tag=1928301774\r\n"
    "To: <sip:proxy.example.com>;tag=a6c85cf\r\n"
    "Call-ID: a84b4c76e66710@192.0.2.5\r\n"
    "CSeq: 63104 OPTIONS\r\n"
    "Server: ExampleProxy/1.0\r\n"
    "Content-Length: 0\r\n"
    "\r\n";

int main(void) {
  /* Parse: zero-copy, the fields point into `response`. */
  siphb_sip_msg msg;
  siphb_error_info err;
  if (siphb_sip_parse(&msg, (const uint8_t *)response, strlen(response), NULL, &err) < 0) {
    fprintf(stderr, "parse: %s at offset %zu\n", err.message, err.offset);
    return 1;
  }
  printf("status %u, CSeq %u %.*s, branch %.*s, server %.*s\n", msg.status, msg.cseq,
         (int)msg.cseq_method.len, msg.cseq_method.ptr, (int)msg.via.branch.len,
         msg.via.branch.ptr, (int)msg.server.len, msg.server.ptr);

  /* Encode: an OPTIONS request into a caller buffer; ids come from the OS. */
  siphb_sip_options opt;
  siphb_sip_options_init(&opt, sizeof opt);
  opt.request_uri = siphb_str_c("sip:proxy.example.com");
  opt.from_uri = siphb_str_c("sip:phone@192.0.2.5");
  opt.via_host = siphb_str_c("192.0.2.5");
  opt.via_port = 5060;
  opt.random = siphb_random_os;
  uint8_t buf[1024];
  siphb_sip_ids ids;
  siphb_ssize n = siphb_sip_encode_options(buf, sizeof buf, &opt, &ids, &err);
  if (n < 0) {
    fprintf(stderr, "encode: %s: %s\n", siphb_errname((int)n), err.message);
    return 1;
  }
  printf("OPTIONS of %td bytes, branch %.*s\n", n, (int)ids.branch.len, ids.branch.ptr);

  /* Frame: what a TCP stream carries, item by item (RFC 5626 keepalives
   * between SIP messages). */
  static const char stream[] = "\r\n\r\n"
                               "SIP/2.0 200 OK\r\nContent-Length: 0\r\n\r\n"
                               "\r\n";
  size_t off = 0, len = sizeof stream - 1;
  while (off < len) {
    siphb_stream_item item;
    n = siphb_stream_next((const uint8_t *)stream + off, len - off, SIPHB_TRANSPORT_TCP,
                          SIPHB_STREAM_CLIENT, &item, &err);
    if (n < 0) {
      fprintf(stderr, "stream: %s\n", err.message);
      return 1;
    }
    printf("item at %zu: %s, %zu bytes\n", off, siphb_stream_kind_name(item.kind), item.length);
    off += item.length;
  }
  return 0;
}
