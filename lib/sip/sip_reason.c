/*
 * sip_reason.c - reason phrases of SIP status codes (RFC 3261 section 21),
 * and of the classes (section 7.2) for codes section 21 does not name.
 *
 * The responder writes them when the caller gives no reason; probes and the
 * command-line tool use them to describe a status in logs. A switch rather
 * than a table: the compiler turns it into a jump table or a short search,
 * and the codes stay readable next to their phrases.
 */
#include <siphb/sip.h>

static const char *class_phrase(unsigned status) {
  switch (status / 100) {
  case 1: return "Provisional";
  case 2: return "Success";
  case 3: return "Redirection";
  case 4: return "Client Error";
  case 5: return "Server Error";
  case 6: return "Global Failure";
  default: return "Unknown";
  }
}

const char *siphb_sip_reason(unsigned status) {
  switch (status) {
  /* 21.1 Provisional 1xx */
  case 100: return "Trying";
  case 180: return "Ringing";
  case 181: return "Call Is Being Forwarded";
  case 182: return "Queued";
  case 183: return "Session Progress";
  /* 21.2 Successful 2xx */
  case 200: return "OK";
  /* 21.3 Redirection 3xx */
  case 300: return "Multiple Choices";
  case 301: return "Moved Permanently";
  case 302: return "Moved Temporarily";
  case 305: return "Use Proxy";
  case 380: return "Alternative Service";
  /* 21.4 Request Failure 4xx */
  case 400: return "Bad Request";
  case 401: return "Unauthorized";
  case 402: return "Payment Required";
  case 403: return "Forbidden";
  case 404: return "Not Found";
  case 405: return "Method Not Allowed";
  case 406: return "Not Acceptable";
  case 407: return "Proxy Authentication Required";
  case 408: return "Request Timeout";
  case 410: return "Gone";
  case 413: return "Request Entity Too Large";
  case 414: return "Request-URI Too Long";
  case 415: return "Unsupported Media Type";
  case 416: return "Unsupported URI Scheme";
  case 420: return "Bad Extension";
  case 421: return "Extension Required";
  case 422: return "Session Interval Too Small"; /* RFC 4028 section 6 */
  case 423: return "Interval Too Brief";
  case 480: return "Temporarily Unavailable";
  case 481: return "Call/Transaction Does Not Exist";
  case 482: return "Loop Detected";
  case 483: return "Too Many Hops";
  case 484: return "Address Incomplete";
  case 485: return "Ambiguous";
  case 486: return "Busy Here";
  case 487: return "Request Terminated";
  case 488: return "Not Acceptable Here";
  case 491: return "Request Pending";
  case 493: return "Undecipherable";
  /* 21.5 Server Failure 5xx */
  case 500: return "Server Internal Error";
  case 501: return "Not Implemented";
  case 502: return "Bad Gateway";
  case 503: return "Service Unavailable";
  case 504: return "Server Time-out";
  case 505: return "Version Not Supported";
  case 513: return "Message Too Large";
  /* 21.6 Global Failures 6xx */
  case 600: return "Busy Everywhere";
  case 603: return "Decline";
  case 604: return "Does Not Exist Anywhere";
  case 606: return "Not Acceptable";
  default: return class_phrase(status);
  }
}
