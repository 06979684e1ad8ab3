/*
 * sip_values.h - parsers of the header values the SIP parser indexes
 * (internal). Each reads [p, end) of one header value, where CR and LF only
 * occur in folds, and either fills its output and returns 0, or returns a
 * SIPHB_ERR_SIP_* code with *where pointing at the offending byte and *why a
 * short message. None of them reads outside [p, end).
 */
#ifndef SIPHB_LIB_SIP_VALUES_H
#define SIPHB_LIB_SIP_VALUES_H

#include <siphb/sip.h>

typedef struct siphb_sip_verr {
  int code;
  const char *where;
  const char *why;
} siphb_sip_verr;

/* One via-parm from p; *next is where it ends (at a top-level ',' or end). */
int siphb_sip_parse_via(const char *p, const char *end, siphb_sip_via *via, const char **next,
                        siphb_sip_verr *e);

/* One From/To/Contact value from p; *next is where it ends (at a top-level
 * ',' or end). `contact` allows "*" and reads expires=. */
int siphb_sip_parse_addr(const char *p, const char *end, bool contact, siphb_sip_addr *addr,
                         const char **next, siphb_sip_verr *e);

/* "<number> <method>", number < 2^31. */
int siphb_sip_parse_cseq(const char *p, const char *end, uint32_t *number, siphb_str *method,
                         siphb_sip_verr *e);

/* A delta-seconds / 1*DIGIT header: a number <= max, then, if params is
 * true, any ;parameters. A ',' at the top level is
 * SIPHB_ERR_SIP_MULTIPLE_VALUES, a leading '-' `negative_code`. */
int siphb_sip_parse_number(const char *p, const char *end, uint32_t max, bool params,
                           int negative_code, uint32_t *out, siphb_sip_verr *e);

int siphb_sip_parse_retry_after(const char *p, const char *end, siphb_sip_retry_after *ra,
                                siphb_sip_verr *e);

int siphb_sip_parse_session_expires(const char *p, const char *end,
                                    siphb_sip_session_expires *se, siphb_sip_verr *e);
/* The same, with the parameters' text (each with its ';', the refresher
 * included, blanks around trimmed) in *params. */
int siphb_sip_parse_session_expires_params(const char *p, const char *end,
                                           siphb_sip_session_expires *se, siphb_str *params,
                                           siphb_sip_verr *e);

/* A comma list of tokens (Allow, Supported, Require); with `methods`, ORs
 * the bit of each method into *methods. */
int siphb_sip_parse_tokens(const char *p, const char *end, uint32_t *methods,
                           siphb_sip_verr *e);

#endif /* SIPHB_LIB_SIP_VALUES_H */
